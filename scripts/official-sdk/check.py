#!/usr/bin/env python3
"""Runs the official Alibaba Cloud Python SDK against the local emulator.

Starts the emulator binary on 127.0.0.1 (any free port), points the official typed
clients (alibabacloud-cas20200407, -cas20180713, -bssopenapi20171214, -sts20150401 on
alibabacloud-tea-openapi) at it with the emulator's access key, and calls a sample of
operations of every product, once with each signature style the SDK offers:

* ``v3``: the tea-openapi default, ``ACS3-HMAC-SHA256`` in an ``Authorization`` header;
* ``v1``: ``Config.signature_algorithm = 'v2'`` sends the RPC signature
  (``SignatureMethod=HMAC-SHA1``, ``SignatureVersion=1.0``) in the query.

A call passes when the SDK returned a response (the emulator verified the signature and
answered 2xx), the request went out with the signature style asked for, the body holds the
operation's main fields, and every field of the received body survived the SDK's parsing
into its model (``to_map()`` has it, with the same value). One line per call, a summary,
exit code 1 on any failure.

Usage: check.py [--emulator PATH] [--only v3|v1] [--verbose]
       (or ALIBABACLOUD_EMULATOR_BIN=PATH check.py)
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from darabonba.core import DaraCore
from darabonba.utils.stream import Stream as DaraStream
from alibabacloud_tea_openapi.utils_models import Config

from alibabacloud_bssopenapi20171214 import models as bss_models
from alibabacloud_bssopenapi20171214.client import Client as BssClient
from alibabacloud_cas20180713 import models as cas18_models
from alibabacloud_cas20180713.client import Client as Cas2018Client
from alibabacloud_cas20200407 import models as cas20_models
from alibabacloud_cas20200407.client import Client as Cas2020Client
from alibabacloud_sts20150401 import models as sts_models
from alibabacloud_sts20150401.client import Client as StsClient

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BINARY_NAME = "alibabacloud-emulator"

# ---------------------------------------------------------------------------------------
# The emulator process
# ---------------------------------------------------------------------------------------


@dataclass
class Emulator:
    """A running emulator binary and what it printed about itself."""

    process: subprocess.Popen
    host_port: str
    access_key_id: str
    access_key_secret: str
    account_id: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_emulator(binary: str) -> Emulator:
    """Starts the binary with `--port 0` and reads the endpoint and key it prints."""
    process = subprocess.Popen(
        [binary, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: dict[str, str] = {}
    patterns = {
        "endpoint": re.compile(r"listening on http://(127\.0\.0\.1:\d+)"),
        "id": re.compile(r"access key id:\s+(\S+)"),
        "secret": re.compile(r"access key secret:\s+(\S+)"),
        "account": re.compile(r"account id:\s+(\S+)"),
    }
    deadline = time.monotonic() + 30
    while len(seen) < len(patterns):
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            process.kill()
            raise SystemExit(
                f"check.py: the emulator did not print its endpoint and key (got {seen})"
            )
        for key, pattern in patterns.items():
            match = pattern.search(line)
            if match:
                seen[key] = match.group(1)
    return Emulator(process, seen["endpoint"], seen["id"], seen["secret"], seen["account"])


# ---------------------------------------------------------------------------------------
# What went over the wire (recorded around two darabonba entry points the SDK calls)
# ---------------------------------------------------------------------------------------


@dataclass
class Wire:
    method: str = ""
    signature: str = ""
    content_type: str = ""
    has_body: bool = False
    status: int | None = None
    raw_body: str | None = None


WIRE = Wire()
_do_action = DaraCore.do_action
_read_as_string = DaraStream.read_as_string


def _recording_do_action(request, runtime=None):
    headers = {k.lower(): v for k, v in (request.headers or {}).items()}
    query = request.query or {}
    authorization = headers.get("authorization")
    if authorization:
        WIRE.signature = authorization.split(" ", 1)[0]
    elif "Signature" in query:
        WIRE.signature = (
            f"V1 {query.get('SignatureMethod')}/{query.get('SignatureVersion')}"
        )
    else:
        WIRE.signature = "anonymous"
    if "SecurityToken" in query or "x-acs-security-token" in headers:
        WIRE.signature += "+token"
    WIRE.method = request.method
    WIRE.content_type = headers.get("content-type", "")
    WIRE.has_body = request.body not in (None, b"", "")
    response = _do_action(request, runtime)
    WIRE.status = response.status_code
    return response


def _recording_read_as_string(stream):
    text = _read_as_string(stream)
    WIRE.raw_body = text
    return text


DaraCore.do_action = staticmethod(_recording_do_action)
DaraStream.read_as_string = staticmethod(_recording_read_as_string)


# ---------------------------------------------------------------------------------------
# Checking one call
# ---------------------------------------------------------------------------------------


def missing_after_parse(raw: Any, parsed: Any, path: str = "") -> list[str]:
    """Paths of `raw` (the received JSON) that the SDK's model lost or changed."""
    problems: list[str] = []
    if isinstance(raw, dict):
        if not isinstance(parsed, dict):
            return [f"{path or '.'}: object parsed as {type(parsed).__name__}"]
        for key, value in raw.items():
            where = f"{path}.{key}" if path else key
            if key not in parsed:
                problems.append(f"{where}: not in the model")
            else:
                problems.extend(missing_after_parse(value, parsed[key], where))
    elif isinstance(raw, list):
        if not isinstance(parsed, list) or len(parsed) != len(raw):
            return [f"{path}: list parsed as {parsed!r:.60}"]
        for index, (a, b) in enumerate(zip(raw, parsed)):
            problems.extend(missing_after_parse(a, b, f"{path}[{index}]"))
    elif raw != parsed:
        problems.append(f"{path}: {raw!r:.40} parsed as {parsed!r:.40}")
    return problems


@dataclass
class Result:
    style: str
    product: str
    operation: str
    ok: bool
    detail: str


@dataclass
class Runner:
    style: str
    verbose: bool = False
    results: list[Result] = field(default_factory=list)

    def call(
        self,
        product: str,
        operation: str,
        invoke: Callable[[], Any],
        expect: list[str],
        method: str | None = None,
        form_body: bool = False,
        signature: str | None = None,
    ) -> dict | None:
        """Calls, checks, prints one line; the response body (wire names) or None."""
        global WIRE
        WIRE = Wire()
        try:
            response = invoke()
        except Exception as error:  # an SDK exception: the request failed
            self._record(product, operation, False, describe_error(error))
            return None
        problems: list[str] = []
        # What the emulator answered (the 2018-07-13 SDK's models carry no status code).
        if WIRE.status is None or not 200 <= WIRE.status < 300:
            problems.append(f"HTTP {WIRE.status}")
        want_signature = signature or ("ACS3-HMAC-SHA256" if self.style == "v3" else "V1 HMAC-SHA1/1.0")
        if not WIRE.signature.startswith(want_signature):
            problems.append(f"sent {WIRE.signature!r}, wanted {want_signature!r}")
        if method and WIRE.method != method:
            problems.append(f"sent {WIRE.method}, wanted {method}")
        if form_body and not (
            WIRE.has_body and WIRE.content_type.startswith("application/x-www-form-urlencoded")
        ):
            problems.append(f"no form body (content-type {WIRE.content_type!r})")
        body: dict = {}
        try:
            body = response.to_map().get("body") or {}
        except Exception as error:
            problems.append(f"to_map() failed: {error}")
        try:
            raw = json.loads(WIRE.raw_body or "null")
        except ValueError as error:
            raw = None
            problems.append(f"body is not JSON: {error}")
        if not isinstance(raw, dict):
            problems.append(f"body is not a JSON object: {WIRE.raw_body!r:.80}")
        else:
            for name in ["RequestId", *expect]:
                if name not in raw:
                    problems.append(f"no {name} in the body")
            lost = missing_after_parse(raw, body)
            if lost:
                problems.append("lost in parsing: " + "; ".join(lost[:5]) + (
                    f" (+{len(lost) - 5} more)" if len(lost) > 5 else ""))
        detail = "; ".join(problems) if problems else (
            f"{WIRE.method} {WIRE.signature}"
            + (" form" if WIRE.has_body and "form" in WIRE.content_type else "")
            + f", {len(body)} body fields"
        )
        self._record(product, operation, not problems, detail)
        if self.verbose:
            print(f"      body: {WIRE.raw_body}", flush=True)
        return body if not problems else None

    def skip(self, product: str, operation: str, reason: str) -> None:
        self._record(product, operation, False, f"not run: {reason}")

    def _record(self, product: str, operation: str, ok: bool, detail: str) -> None:
        result = Result(self.style, product, operation, ok, detail)
        self.results.append(result)
        print(f"{'PASS' if ok else 'FAIL'}  {self.style}  {product:<22} {operation:<46} {detail}",
              flush=True)


def describe_error(error: Exception) -> str:
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or str(error)
    data = getattr(error, "data", None)
    text = f"{type(error).__name__}"
    if code:
        text += f" {code}"
    text += f": {message}"
    if isinstance(data, dict) and data.get("Message") and data["Message"] not in text:
        text += f" ({data['Message']})"
    inner = getattr(error, "inner_exception", None) or getattr(error, "ex", None)
    if inner is not None and inner is not error:
        text += f" <- {describe_error(inner)}"
    return " ".join(text.split())[:400]


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


@dataclass
class Pem:
    cert: str
    key: str


def openssl_certificate(directory: Path, name: str) -> Pem:
    """A self-signed RSA certificate and key made by `openssl` for `name`.example.com."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
         "-days", "365", "-keyout", str(key), "-out", str(cert),
         "-subj", f"/C=CN/ST=Zhejiang/L=Hangzhou/O=PySDK Check/CN={name}.example.com",
         "-addext", f"subjectAltName=DNS:{name}.example.com,DNS:www.{name}.example.com"],
        check=True, capture_output=True,
    )
    return Pem(cert.read_text(), key.read_text())


def unsigned_jwt(account_id: str) -> str:
    """An OIDC token shaped like a JWT (the emulator reads its claims, not its signature)."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    now = int(time.time())
    claims = {"iss": "https://oidc.pysdk-check.example.com", "sub": "pysdk-check",
              "aud": "sts.aliyuncs.com", "iat": now, "exp": now + 3600,
              "jti": f"pysdk-{now}-{account_id}"}
    return f"{part({'alg': 'RS256', 'typ': 'JWT', 'kid': 'k1'})}.{part(claims)}.c2lnbmF0dXJl"


def first(rows: Any, key: str) -> Any:
    for row in rows or []:
        if isinstance(row, dict) and row.get(key) not in (None, ""):
            return row[key]
    return None


# ---------------------------------------------------------------------------------------
# The operations, per product
# ---------------------------------------------------------------------------------------


def check_cas_2020(run: Runner, config: Callable[..., Config], pem: Pem, tag: str) -> None:
    product = "cas 2020-04-07"
    client = Cas2020Client(config())
    m = cas20_models

    run.call(product, "ListUserCertificateOrder OrderType=CPACK", lambda: client.list_user_certificate_order(
        m.ListUserCertificateOrderRequest(order_type="CPACK", show_size=5, current_page=1)),
        ["CertificateOrderList", "TotalCount", "CurrentPage", "ShowSize"])
    certs = run.call(product, "ListUserCertificateOrder OrderType=CERT", lambda: client.list_user_certificate_order(
        m.ListUserCertificateOrderRequest(order_type="CERT", status="ISSUED", show_size=5)),
        ["CertificateOrderList", "TotalCount"])
    listed_cert = first((certs or {}).get("CertificateOrderList"), "CertificateId")

    upload = run.call(product, "UploadUserCertificate (openssl PEM)", lambda: client.upload_user_certificate(
        m.UploadUserCertificateRequest(name=f"pysdk-{tag}-{int(time.time())}", cert=pem.cert, key=pem.key)),
        ["CertId"])
    uploaded = (upload or {}).get("CertId")

    cert_id = uploaded or listed_cert
    if cert_id is None:
        run.skip(product, "GetUserCertificateDetail", "no certificate id from the calls before")
    else:
        run.call(product, "GetUserCertificateDetail", lambda: client.get_user_certificate_detail(
            m.GetUserCertificateDetailRequest(cert_id=int(cert_id), cert_filter=False)),
            ["Id", "Name", "Cert", "Sans", "StartDate", "EndDate"])

    resources = run.call(product, "ListCloudResources", lambda: client.list_cloud_resources(
        m.ListCloudResourcesRequest(cloud_name="aliyun", current_page=1, show_size=5)),
        ["Data", "Total"])
    contacts = run.call(product, "ListContact", lambda: client.list_contact(
        m.ListContactRequest(current_page=1, show_size=5)), ["ContactList", "TotalCount"])
    resource_id = first((resources or {}).get("Data"), "Id")
    contact_id = first((contacts or {}).get("ContactList"), "ContactId")
    job_id = None
    if cert_id is None or resource_id is None or contact_id is None:
        run.skip(product, "CreateDeploymentJob", "no certificate, resource or contact id from the lists")
    else:
        job = run.call(product, "CreateDeploymentJob", lambda: client.create_deployment_job(
            m.CreateDeploymentJobRequest(
                name=f"pysdk-{tag}", job_type="user", cert_ids=str(cert_id),
                resource_ids=str(resource_id), contact_ids=str(contact_id))), ["JobId"])
        job_id = (job or {}).get("JobId")
    if job_id is None:
        run.skip(product, "DescribeDeploymentJob", "no job id from CreateDeploymentJob")
    else:
        run.call(product, "DescribeDeploymentJob", lambda: client.describe_deployment_job(
            m.DescribeDeploymentJobRequest(job_id=int(job_id))), ["Id", "Name", "Status", "JobType"])

    jobs = run.call(product, "ListDeploymentJob", lambda: client.list_deployment_job(
        m.ListDeploymentJobRequest(current_page=1, show_size=5)), ["Data", "Total"])
    listed_job = first((jobs or {}).get("Data"), "Id")
    if listed_job is None:
        run.skip(product, "ListDeploymentJobCert", "no job id from ListDeploymentJob")
    else:
        run.call(product, f"ListDeploymentJobCert JobId={listed_job}", lambda: client.list_deployment_job_cert(
            m.ListDeploymentJobCertRequest(job_id=int(listed_job))), ["Data"])

    if uploaded is None:
        run.skip(product, "DeleteUserCertificate", "nothing uploaded")
    else:
        run.call(product, "DeleteUserCertificate", lambda: client.delete_user_certificate(
            m.DeleteUserCertificateRequest(cert_id=int(uploaded))), [])


def check_cas_2018(run: Runner, config: Callable[..., Config], pem: Pem, tag: str) -> None:
    product = "cas 2018-07-13"
    client = Cas2018Client(config())
    m = cas18_models

    instances = run.call(product, "DescribeOrderInstanceList", lambda: client.describe_order_instance_list(
        m.DescribeOrderInstanceListRequest(start_index=0)), ["OrderList", "TotalCount"])
    rows = (instances or {}).get("OrderList") or []
    # DV orders that went through validation (the emulator's README: checking, issued, checked_fail).
    dv = [r for r in rows if str(r.get("CertType", "")).upper() in ("DV", "FREE")
          and str(r.get("Status", "")).lower() in ("checking", "issued", "checked_fail")]
    if not dv:
        run.skip(product, "DescribeDVOrderResult", "no DV order in DescribeOrderInstanceList")
    else:
        for row in dv[:2]:
            run.call(product, f"DescribeDVOrderResult {row.get('Status')}", lambda row=row: client.describe_dvorder_result(
                m.DescribeDVOrderResultRequest(instance_id=row["InstanceId"])),
                ["OrderStatus", "CheckType", "CheckName", "CheckValue"])

    run.call(product, "DescribeUserCertificateList", lambda: client.describe_user_certificate_list(
        m.DescribeUserCertificateListRequest(show_size=5, current_page=1)),
        ["CertificateList", "TotalCount", "CurrentPage", "ShowSize"])

    created = run.call(product, "CreateUserCertificate (openssl PEM)", lambda: client.create_user_certificate(
        m.CreateUserCertificateRequest(name=f"pysdk18-{tag}-{int(time.time())}", cert=pem.cert, key=pem.key)),
        ["CertId"])
    cert_id = (created or {}).get("CertId")
    if cert_id is None:
        run.skip(product, "DescribeUserCertificateDetail", "no CertId from CreateUserCertificate")
        run.skip(product, "DeleteUserCertificate", "no CertId from CreateUserCertificate")
    else:
        run.call(product, "DescribeUserCertificateDetail", lambda: client.describe_user_certificate_detail(
            m.DescribeUserCertificateDetailRequest(cert_id=int(cert_id))),
            ["Id", "Name", "Cert", "Common", "StartDate", "EndDate"])
        run.call(product, "DeleteUserCertificate", lambda: client.delete_user_certificate(
            m.DeleteUserCertificateRequest(cert_id=int(cert_id))), [])

    checking = [r for r in dv if str(r.get("Status", "")).lower() == "checking"]
    if not checking:
        run.skip(product, "CreateDVOrderAudit", "no DV order under validation in the list")
    else:
        row = checking[0]
        run.call(product, "CreateDVOrderAudit", lambda: client.create_dvorder_audit(
            m.CreateDVOrderAuditRequest(
                instance_id=row["InstanceId"], domain="pysdk-check.example.com",
                domain_verify_type="DNS", username="PySDK Check", email="check@example.com",
                mobile="13800000000", province="Zhejiang", city="Hangzhou")), [])


def check_bss(run: Runner, config: Callable[..., Config]) -> None:
    product = "bssopenapi 2017-12-14"
    client = BssClient(config())
    m = bss_models
    now = dt.datetime.now(dt.timezone.utc)
    cycle = now.strftime("%Y-%m")
    stamp = "%Y-%m-%dT%H:%M:%SZ"

    run.call(product, "QueryAccountBalance", client.query_account_balance,
             ["Code", "Success", "Data"])
    run.call(product, "QueryBill", lambda: client.query_bill(
        m.QueryBillRequest(billing_cycle=cycle, page_num=1, page_size=5)), ["Success", "Data"])
    run.call(product, "QueryBillOverview", lambda: client.query_bill_overview(
        m.QueryBillOverviewRequest(billing_cycle=cycle)), ["Success", "Data"])
    orders = run.call(product, "QueryOrders (last 90 days)", lambda: client.query_orders(
        m.QueryOrdersRequest(create_time_start=(now - dt.timedelta(days=90)).strftime(stamp),
                             create_time_end=now.strftime(stamp), page_num=1, page_size=5)),
        ["Success", "Data"])
    order_list = (((orders or {}).get("Data") or {}).get("OrderList") or {}).get("Order")
    order_id = first(order_list, "OrderId")
    if order_id is None:
        run.skip(product, "GetOrderDetail", "no order from QueryOrders")
    else:
        run.call(product, "GetOrderDetail", lambda: client.get_order_detail(
            m.GetOrderDetailRequest(order_id=str(order_id))), ["Success", "Data"])
    page = run.call(product, "DescribeInstanceBill page 1", lambda: client.describe_instance_bill(
        m.DescribeInstanceBillRequest(billing_cycle=cycle, max_results=2)), ["Success", "Data"])
    token = ((page or {}).get("Data") or {}).get("NextToken")
    if token:
        run.call(product, "DescribeInstanceBill NextToken", lambda: client.describe_instance_bill(
            m.DescribeInstanceBillRequest(billing_cycle=cycle, max_results=2, next_token=token)),
            ["Success", "Data"])
    run.call(product, "QueryInstanceBill", lambda: client.query_instance_bill(
        m.QueryInstanceBillRequest(billing_cycle=cycle, page_num=1, page_size=5)),
        ["Success", "Data"])
    run.call(product, "QueryCommodityList (GET)", lambda: client.query_commodity_list(
        m.QueryCommodityListRequest(product_code="ecs")), ["Success", "Data"], method="GET")
    run.call(product, "DescribeInstanceAmortizedCostByConsumePeriod (form)",
             lambda: client.describe_instance_amortized_cost_by_consume_period(
                 m.DescribeInstanceAmortizedCostByConsumePeriodRequest(
                     billing_cycle=cycle, max_results=5, product_code="ecs")),
             ["Success", "Data"], form_body=True)


def check_sts(run: Runner, config: Callable[..., Config], account_id: str) -> None:
    product = "sts 2015-04-01"
    client = StsClient(config())
    m = sts_models
    role = f"acs:ram::{account_id}:role/pysdk-check"

    assumed = run.call(product, "AssumeRole", lambda: client.assume_role(
        m.AssumeRoleRequest(role_arn=role, role_session_name="pysdk-check", duration_seconds=900)),
        ["Credentials", "AssumedRoleUser"])
    credentials = (assumed or {}).get("Credentials") or {}
    if not credentials.get("SecurityToken"):
        run.skip(product, "calls with the AssumeRole key", "no credentials from AssumeRole")
    else:
        temporary = dict(access_key_id=credentials["AccessKeyId"],
                         access_key_secret=credentials["AccessKeySecret"],
                         security_token=credentials["SecurityToken"])
        cas = Cas2020Client(config(**temporary))
        run.call(product, "STS key: cas ListUserCertificateOrder", lambda: cas.list_user_certificate_order(
            cas20_models.ListUserCertificateOrderRequest(order_type="CERT", show_size=2)),
            ["CertificateOrderList"], signature=None)
        bss = BssClient(config(**temporary))
        run.call(product, "STS key: bss QueryAccountBalance", bss.query_account_balance, ["Data"])
        chained = StsClient(config(**temporary))
        run.call(product, "STS key: AssumeRole (role chaining)", lambda: chained.assume_role(
            m.AssumeRoleRequest(role_arn=role, role_session_name="pysdk-chained")), ["Credentials"])

    # Anonymous: the SDK always sends it unsigned through its RPC path.
    run.call(product, "AssumeRoleWithOIDC (anonymous)", lambda: client.assume_role_with_oidc(
        m.AssumeRoleWithOIDCRequest(
            oidcprovider_arn=f"acs:ram::{account_id}:oidc-provider/pysdk-check",
            oidctoken=unsigned_jwt(account_id), role_arn=role, role_session_name="pysdk-oidc")),
        ["Credentials", "AssumedRoleUser", "OIDCTokenInfo"], signature="anonymous")


# ---------------------------------------------------------------------------------------


def default_binary() -> str:
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return str(Path(target) / "debug" / DEFAULT_BINARY_NAME)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emulator", default=os.environ.get("ALIBABACLOUD_EMULATOR_BIN") or default_binary(),
                        help="the alibabacloud-emulator binary (default: $ALIBABACLOUD_EMULATOR_BIN, "
                             "else $CARGO_TARGET_DIR/debug/alibabacloud-emulator)")
    parser.add_argument("--only", choices=["v3", "v1"], help="one signature style only")
    parser.add_argument("--verbose", action="store_true", help="print every response body")
    args = parser.parse_args()
    if not os.access(args.emulator, os.X_OK):
        print(f"check.py: no emulator binary at {args.emulator}", file=sys.stderr)
        return 2

    emulator = start_emulator(args.emulator)
    print(f"emulator at {emulator.host_port}, access key {emulator.access_key_id}", flush=True)
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="pysdk-check-") as tmp:
            for style in ["v3", "v1"]:
                if args.only and style != args.only:
                    continue

                def config(style=style, **credentials) -> Config:
                    settings = dict(access_key_id=emulator.access_key_id,
                                    access_key_secret=emulator.access_key_secret)
                    settings.update(credentials)
                    cfg = Config(endpoint=emulator.host_port, protocol="http", region_id="cn-hangzhou",
                                 connect_timeout=5000, read_timeout=10000, **settings)
                    if style == "v1":
                        # tea-openapi: anything but signature_algorithm 'v2' signs ACS3 (V3).
                        cfg.signature_algorithm = "v2"
                    return cfg

                run = Runner(style, verbose=args.verbose)
                pem = openssl_certificate(Path(tmp), f"pysdk-{style}")
                for check in (
                    lambda: check_cas_2020(run, config, pem, style),
                    lambda: check_cas_2018(run, config, pem, style),
                    lambda: check_bss(run, config),
                    lambda: check_sts(run, config, emulator.account_id),
                ):
                    try:
                        check()
                    except Exception:  # a bug in this script or an SDK crash
                        run.skip("check.py", "crash", traceback.format_exc().strip().splitlines()[-1])
                results.extend(run.results)
    finally:
        emulator.stop()

    print()
    failed = [r for r in results if not r.ok]
    for style in ["v3", "v1"]:
        mine = [r for r in results if r.style == style]
        if mine:
            by_product: dict[str, list[Result]] = {}
            for r in mine:
                by_product.setdefault(r.product, []).append(r)
            summary = ", ".join(f"{p} {sum(r.ok for r in rs)}/{len(rs)}" for p, rs in by_product.items())
            print(f"{style}: {summary}")
    print(f"official-sdk: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
