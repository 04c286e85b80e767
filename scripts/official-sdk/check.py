#!/usr/bin/env python3
"""Runs the official Alibaba Cloud Python SDK against the local emulator.

Starts the emulator binary on 127.0.0.1 (any free port), points the official typed
clients (alibabacloud-cas20200407, -cas20200630, -cas20180813, -cas20180713,
-bssopenapi20230930, -bssopenapi20171214, -sts20150401 on alibabacloud-tea-openapi) at it
with the emulator's access key, and calls a sample of operations of every product version,
once with each signature style the SDK offers:

* ``v3``: the tea-openapi default, ``ACS3-HMAC-SHA256`` in an ``Authorization`` header;
* ``v1``: ``Config.signature_algorithm = 'v2'`` sends the RPC signature
  (``SignatureMethod=HMAC-SHA1``, ``SignatureVersion=1.0``) in the query.

A call passes when the SDK returned a response (the emulator verified the signature and
answered 2xx), the request went out with the signature style asked for, the body holds the
operation's main fields, and every field of the received body survived the SDK's parsing
into its model (``to_map()`` has it, with the same value). One line per call, a summary,
exit code 1 on any failure. Some calls also check what the answer says (the tag just set
is listed, the private key decrypts with ``openssl pkcs8``); where the emulator answers from
the response schema rather than from what was sent, that is printed as a NOTE, not a failure.

BssOpenApi 2023-09-30's budget operations (CreateBudget, DescribeBudget(s), UpdateBudget,
DeleteBudget, CheckBudgetNameExists) are in the API metadata but not in
alibabacloud-bssopenapi20230930 2.0.1 (the newest release, pinned): they are sent through
the same runtime's generic ``call_api`` (the method every typed one ends in), so their
signatures and answers are checked, but there is no model to parse into.

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

from darabonba.runtime import RuntimeOptions
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.utils import Utils as OpenApiUtils

from alibabacloud_bssopenapi20171214 import models as bss_models
from alibabacloud_bssopenapi20171214.client import Client as BssClient
from alibabacloud_bssopenapi20230930 import models as bss23_models
from alibabacloud_bssopenapi20230930.client import Client as Bss2023Client
from alibabacloud_cas20180713 import models as cas18_models
from alibabacloud_cas20180713.client import Client as Cas2018Client
from alibabacloud_cas20180813 import models as cas1808_models
from alibabacloud_cas20180813.client import Client as Cas201808Client
from alibabacloud_cas20200407 import models as cas20_models
from alibabacloud_cas20200407.client import Client as Cas2020Client
from alibabacloud_cas20200630 import models as pca_models
from alibabacloud_cas20200630.client import Client as PcaClient
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
    notes: list[str] = field(default_factory=list)

    def call(
        self,
        product: str,
        operation: str,
        invoke: Callable[[], Any],
        expect: list[str],
        method: str | None = None,
        form_body: bool = False,
        signature: str | None = None,
        check: Callable[[dict], str | None] | None = None,
    ) -> dict | None:
        """Calls, checks, prints one line; the response body (wire names) or None.

        `check` looks at the body (wire names) and returns a problem, or None; a problem
        starting with "note: " is printed as a NOTE line and fails nothing (what the emulator
        answers from the response schema rather than from its state). A response
        that is a plain dict comes from the runtime's generic `call_api` (an operation the
        package has no typed method for): it has no model to parse into, so only the
        signature, the status and the expected fields are checked."""
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
        generic = isinstance(response, dict)
        try:
            body = (response if generic else response.to_map()).get("body") or {}
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
            if check is not None and not problems:
                try:
                    problem = check(raw)
                except Exception as error:  # the body is not shaped as the check expects
                    problem = f"check failed: {type(error).__name__}: {error}"
                if problem and problem.startswith("note: "):
                    self.notes.append(f"{self.style}  {product}  {operation}: {problem[6:]}")
                elif problem:
                    problems.append(problem)
        detail = "; ".join(problems) if problems else (
            f"{WIRE.method} {WIRE.signature}"
            + (" form" if WIRE.has_body and "form" in WIRE.content_type else "")
            + f", {len(body)} body fields"
            + (" (generic call_api: no model)" if generic else "")
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
        run.skip(product, "tag operations", "nothing uploaded")
    else:
        check_cas_tags(run, client, int(uploaded), tag)

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


def check_cas_tags(run: Runner, client: Any, cert_id: int, tag: str) -> None:
    """CAS 2020-04-07's tag operations on an uploaded certificate (ResourceType `cert`)."""
    product = "cas 2020-04-07"
    m = cas20_models
    key = f"pysdk-{tag}"

    def tagged(body: dict) -> str | None:
        rows = body.get("TagResources") or []
        if not any(r.get("ResourceId") == str(cert_id) and r.get("TagKey") == key
                   and r.get("TagValue") == "check" for r in rows):
            return f"no row ({cert_id}, {key}=check) in TagResources: {rows!r:.120}"
        return None

    run.call(product, "TagResources", lambda: client.tag_resources(m.TagResourcesRequest(
        region_id="cn-hangzhou", resource_type="cert", resource_id=[str(cert_id)],
        tag=[m.TagResourcesRequestTag(key=key, value="check"),
             m.TagResourcesRequestTag(key=f"{key}-2", value="two")])), [])
    run.call(product, "ListTagResources", lambda: client.list_tag_resources(m.ListTagResourcesRequest(
        region_id="cn-hangzhou", resource_type="cert", resource_id=[str(cert_id)],
        tag=[m.ListTagResourcesRequestTag(key=key)], max_results=10)),
        ["TagResources"], check=tagged)
    run.call(product, "ListTagKeys", lambda: client.list_tag_keys(m.ListTagKeysRequest(
        region_id="cn-hangzhou", resource_type="cert", max_results=50)),
        ["TagKeys"], check=listed("TagKeys", "TagKey", key))
    run.call(product, "UntagResources", lambda: client.untag_resources(m.UntagResourcesRequest(
        region_id="cn-hangzhou", resource_type="cert", resource_id=[str(cert_id)],
        tag_key=[f"{key}-2"])), [])
    run.call(product, "ListTagResources after UntagResources", lambda: client.list_tag_resources(
        m.ListTagResourcesRequest(region_id="cn-hangzhou", resource_type="cert",
                                  resource_id=[str(cert_id)])),
        ["TagResources"], check=lambda body: None if [
            (r.get("TagKey"), r.get("TagValue")) for r in body.get("TagResources") or []
        ] == [(key, "check")] else f"wanted only {key}=check, got {body.get('TagResources')!r:.120}")


def listed(rows: str, key: str, *values: Any) -> Callable[[dict], str | None]:
    """A check: each of `values` is the `key` of a row of the body's list `rows`."""
    def check(body: dict) -> str | None:
        have = {row.get(key) for row in body.get(rows) or [] if isinstance(row, dict)}
        gone = [v for v in values if v is not None and v not in have]
        return f"{key} {', '.join(map(str, gone))} not in {rows}" if gone else None
    return check


def same(path: str, key: str, value: Any) -> Callable[[dict], str | None]:
    """A check: the body's object `path` has `key` = `value`."""
    return lambda body: None if (body.get(path) or {}).get(key) == value else (
        f"{path}.{key} is {(body.get(path) or {}).get(key)!r}, wanted {value!r}")


def openssl_decrypts(pem: str, password: str) -> str | None:
    """None when `openssl pkcs8` decrypts the PKCS #8 PEM with the password."""
    if "-----BEGIN ENCRYPTED PRIVATE KEY-----" not in pem:
        return f"EncryptedData is not an ENCRYPTED PRIVATE KEY: {pem!r:.60}"
    done = subprocess.run(["openssl", "pkcs8", "-passin", f"pass:{password}"],
                          input=pem, capture_output=True, text=True)
    if done.returncode != 0 or "PRIVATE KEY" not in done.stdout:
        return f"openssl pkcs8 cannot decrypt it: {done.stderr.strip()[:120]}"
    return None


def check_private_ca(run: Runner, config: Callable[..., Config], tag: str) -> None:
    """CAS 2020-06-30: a root, a sub CA under it, a server and a client certificate under
    the sub CA; descriptions, lists, the client key, revocation."""
    product = "cas 2020-06-30"
    client = PcaClient(config())
    m = pca_models
    subject = dict(country_code="CN", state="Zhejiang", locality="Hangzhou",
                   organization="PySDK Check", organization_unit="Security")
    chain_of = lambda n: lambda body: None if str(body.get("CertificateChain", "")).count(
        "BEGIN CERTIFICATE") == n else f"CertificateChain holds not {n} certificates"

    root = run.call(product, "CreateRootCACertificate", lambda: client.create_root_cacertificate(
        m.CreateRootCACertificateRequest(
            common_name=f"PySDK Check Root {tag}", algorithm="RSA_2048", years=10,
            tags=[m.CreateRootCACertificateRequestTags(key="pysdk", value=tag)], **subject)),
        ["Identifier", "Certificate", "CertificateChain"], check=chain_of(1))
    root_id = (root or {}).get("Identifier")
    if not root_id:
        run.skip(product, "the private CA chain", "no Identifier from CreateRootCACertificate")
        return
    sub = run.call(product, "CreateSubCACertificate", lambda: client.create_sub_cacertificate(
        m.CreateSubCACertificateRequest(
            parent_identifier=root_id, common_name=f"PySDK Check Sub CA {tag}",
            algorithm="ECC_256", years=5, path_len_constraint=0, enable_crl=True, crl_day=30,
            extended_key_usages=["serverAuth", "clientAuth"], **subject)),
        ["Identifier", "Certificate", "CertificateChain"], check=chain_of(2))
    sub_id = (sub or {}).get("Identifier")
    if not sub_id:
        run.skip(product, "the end-entity certificates", "no Identifier from CreateSubCACertificate")
        return
    server = run.call(product, "CreateServerCertificate", lambda: client.create_server_certificate(
        m.CreateServerCertificateRequest(
            parent_identifier=sub_id, algorithm="RSA_2048", common_name=f"pysdk-{tag}.example.com",
            domain=f"www.pysdk-{tag}.example.com,api.pysdk-{tag}.example.com", days=30,
            country="CN", state="Zhejiang", locality="Hangzhou", organization="PySDK Check",
            organization_unit="IT")),
        ["Identifier", "X509Certificate", "CertificateChain", "SerialNumber"], check=chain_of(3))
    client_cert = run.call(product, "CreateClientCertificate", lambda: client.create_client_certificate(
        m.CreateClientCertificateRequest(
            parent_identifier=sub_id, algorithm="ECC_256", common_name=f"pysdk-client-{tag}",
            alias_name=f"pysdk-client-{tag}", san_type=1, san_value="check@example.com",
            months=1, country="CN", state="Zhejiang", locality="Hangzhou",
            organization="PySDK Check", organization_unit="IT")),
        ["Identifier", "X509Certificate", "CertificateChain", "SerialNumber"], check=chain_of(3))
    client_id = (client_cert or {}).get("Identifier")

    for name, identifier in (("root", root_id), ("sub CA", sub_id)):
        run.call(product, f"DescribeCACertificate ({name})", lambda identifier=identifier:
                 client.describe_cacertificate(m.DescribeCACertificateRequest(identifier=identifier)),
                 ["Certificate"], check=same("Certificate", "Identifier", identifier))
    run.call(product, "DescribeCACertificateList", lambda: client.describe_cacertificate_list(
        m.DescribeCACertificateListRequest(current_page=1, show_size=50)),
        ["CertificateList", "TotalCount", "CurrentPage", "ShowSize"],
        check=listed("CertificateList", "Identifier", root_id, sub_id))
    run.call(product, "ListClientCertificate", lambda: client.list_client_certificate(
        m.ListClientCertificateRequest(current_page=1, show_size=50)),
        ["CertificateList", "TotalCount"], check=listed("CertificateList", "Identifier", client_id))
    if server is not None:
        run.call(product, "DescribeClientCertificate (server)", lambda: client.describe_client_certificate(
            m.DescribeClientCertificateRequest(identifier=server["Identifier"])), ["Certificate"])
    if not client_id:
        run.skip(product, "the client certificate's key and revocation", "no client certificate")
        return
    run.call(product, "DescribeClientCertificate (client)", lambda: client.describe_client_certificate(
        m.DescribeClientCertificateRequest(identifier=client_id)), ["Certificate"],
        check=same("Certificate", "Identifier", client_id))
    password = f"PySdk!{tag}#Check"
    run.call(product, "DescribeCertificatePrivateKey", lambda: client.describe_certificate_private_key(
        m.DescribeCertificatePrivateKeyRequest(identifier=client_id, encrypted_code=password)),
        ["EncryptedData"], check=lambda body: openssl_decrypts(body["EncryptedData"], password))
    run.call(product, "CreateRevokeClientCertificate", lambda: client.create_revoke_client_certificate(
        m.CreateRevokeClientCertificateRequest(identifier=client_id)), [])
    run.call(product, "ListRevokeCertificate", lambda: client.list_revoke_certificate(
        m.ListRevokeCertificateRequest(current_page=1, show_size=50)),
        ["CertificateList", "TotalCount"], check=listed("CertificateList", "Identifier", client_id))
    run.call(product, "DeleteClientCertificate (revoked)", lambda: client.delete_client_certificate(
        m.DeleteClientCertificateRequest(identifier=client_id)), [])


def check_cas_201808(run: Runner, config: Callable[..., Config]) -> None:
    product = "cas 2018-08-13"
    client = Cas201808Client(config())
    m = cas1808_models
    run.call(product, "ListPCAInstance", lambda: client.list_pcainstance(
        m.ListPCAInstanceRequest(current_page=1, show_size=10)),
        ["PCAInstanceList", "TotalCount", "CurrentPage", "ShowSize"])


def generic_call(client: Any, action: str, version: str, query: dict | None = None,
                 form: dict | None = None) -> dict:
    """An RPC call through the official runtime's `call_api`, as the typed methods make it."""
    request = open_api_models.OpenApiRequest(
        query=OpenApiUtils.query(query or {}),
        body=OpenApiUtils.parse_to_map(form) if form else None)
    params = open_api_models.Params(
        action=action, version=version, protocol="HTTPS", pathname="/", method="POST",
        auth_type="AK", style="RPC", req_body_type="formData", body_type="json")
    return client.call_api(params, request, RuntimeOptions())


def check_bss_2023(run: Runner, config: Callable[..., Config], account_id: str, tag: str) -> None:
    product = "bssopenapi 2023-09-30"
    client = Bss2023Client(config())
    m = bss23_models
    account = int(account_id)
    stamp = f"{tag}-{int(time.time() * 1000)}"

    # Cost centres and their rules (typed).
    created = run.call(product, "CreateCostCenter", lambda: client.create_cost_center(
        m.CreateCostCenterRequest(cost_center_entity_list=[m.CreateCostCenterRequestCostCenterEntityList(
            cost_center_name=f"pysdk-{stamp}", owner_account_id=account, parent_cost_center_id=-1)])),
        ["CostCenterDtoList"])
    cost_center = first((created or {}).get("CostCenterDtoList"), "CostCenterId")
    run.call(product, "QueryCostCenter", lambda: client.query_cost_center(m.QueryCostCenterRequest(
        current_page=1, page_size=100, owner_account_id=account, parent_cost_center_id=-1)),
        ["CostCenterDtoList", "TotalCount"],
        check=listed("CostCenterDtoList", "CostCenterId", cost_center))
    if cost_center is None:
        run.skip(product, "the cost centre's changes and rule", "no CostCenterId from CreateCostCenter")
    else:
        run.call(product, "ModifyCostCenter", lambda: client.modify_cost_center(m.ModifyCostCenterRequest(
            cost_center_entity_list=[m.ModifyCostCenterRequestCostCenterEntityList(
                cost_center_id=cost_center, cost_center_name=f"pysdk-{stamp}-renamed",
                owner_account_id=account)])),
            ["CostCenterOperateDto"])
        expression = m.CreateCostCenterRuleRequestFilterExpression(
            filter_values=m.CreateCostCenterRuleRequestFilterExpressionFilterValues(
                code="TAG-pysdk-check", select_type="IN", values=["a", "b"]))

        def rule_sent(body: dict) -> str | None:
            values = (body.get("FilterExpression") or {}).get("FilterValues") or {}
            if values.get("Code") != "TAG-pysdk-check":
                return f"not the rule sent: {body.get('FilterExpression')!r:.100}"
            if values.get("Values") != ["a", "b"]:
                # The metadata gives the answer's Values an enum (single_float, range_float),
                # and the emulator drops answer values outside a documented enum.
                return f"note: FilterValues.Values came back as {values.get('Values')!r}, sent ['a', 'b']"
            return None

        run.call(product, "CreateCostCenterRule", lambda: client.create_cost_center_rule(
            m.CreateCostCenterRuleRequest(cost_center_id=cost_center, filter_expression=expression)), [])
        run.call(product, "QueryCostCenterRule", lambda: client.query_cost_center_rule(
            m.QueryCostCenterRuleRequest(cost_center_id=cost_center)),
            ["CostCenterId", "FilterExpression"],
            check=rule_sent)
        run.call(product, "ModifyCostCenterRule", lambda: client.modify_cost_center_rule(
            m.ModifyCostCenterRuleRequest(
                cost_center_id=cost_center, owner_account_id=account,
                filter_expression=m.ModifyCostCenterRuleRequestFilterExpression(
                    filter_values=m.ModifyCostCenterRuleRequestFilterExpressionFilterValues(
                        code="TAG-pysdk-check", select_type="IN", values=["c"])))), [])
        run.call(product, "DeleteCostCenterRule", lambda: client.delete_cost_center_rule(
            m.DeleteCostCenterRuleRequest(cost_center_id=cost_center)), [])
        run.call(product, "DeleteCostCenter", lambda: client.delete_cost_center(
            m.DeleteCostCenterRequest(cost_center_id=cost_center, owner_account_id=account)), [])

    # Reads the emulator answers from the response schema (typed).
    run.call(product, "DescribeCoupon", lambda: client.describe_coupon(
        m.DescribeCouponRequest(current_page=1, page_size=5)), ["Data", "TotalCount"])
    run.call(product, "ListFundAccount", lambda: client.list_fund_account(
        m.ListFundAccountRequest(query_only_in_use=True)), ["Data"], form_body=True)
    run.call(product, "GetFundAccountAvailableAmount (form)",
             lambda: client.get_fund_account_available_amount(
                 m.GetFundAccountAvailableAmountRequest(fund_account_id="12332112")),
             ["AvailableAmount"], form_body=True)
    run.call(product, "ListReportDefinitions", lambda: client.list_report_definitions(
        m.ListReportDefinitionsRequest()), ["ReportDefinitions"])

    # Budgets: not in the package (2.0.1), sent through the runtime's call_api.
    version = "2023-09-30"
    now = dt.datetime.now(dt.timezone.utc)
    start = now.strftime("%Y-%m")
    end = f"{now.year + 1}-{now.month:02d}"
    name = f"pysdk-{stamp}"
    budget = {
        "BudgetType": "CONSUME", "CycleType": "MONTHLY", "Metric": "REQUIRE_AMOUNT",
        "QuotaType": "FIXED", "Quota": "1000", "CycleStartPeriod": start, "CycleEndPeriod": end,
        "Comment": "official SDK check",
        "QueryFilter": json.dumps([{"Code": "PRODUCT", "SelectType": "IN", "Values": ["ecs", "cas"]}]),
        "WarnConfs": json.dumps([{"Name": "warn-1", "ThresholdType": "PERCENT", "ThresholdValue": "80",
                                  "WarnTarget": "ACTUAL", "EventBridge": False}]),
    }
    run.call(product, "CreateBudget (call_api)", lambda: generic_call(
        client, "CreateBudget", version, form={"BudgetName": name, **budget}),
        ["BudgetName"], form_body=True,
        check=lambda body: None if body.get("BudgetName") == name else "another BudgetName")
    run.call(product, "CheckBudgetNameExists (call_api)", lambda: generic_call(
        client, "CheckBudgetNameExists", version, form={"BudgetName": name}), ["Exists"],
        check=lambda body: None if body.get("Exists") in (True, "true") else "Exists is not true")
    run.call(product, "DescribeBudget (call_api)", lambda: generic_call(
        client, "DescribeBudget", version, form={"BudgetName": name}),
        ["BudgetName", "CycleStartPeriod", "CycleEndPeriod", "WarnConfs"],
        check=lambda body: None if (body.get("CycleStartPeriod"), body.get("Quota")) == (start, "1000")
        else f"not the budget sent: {body.get('CycleStartPeriod')!r} {body.get('Quota')!r}")
    run.call(product, "DescribeBudgets (call_api)", lambda: generic_call(
        client, "DescribeBudgets", version, form={"BudgetName": name, "PageNo": 1, "PageSize": 10}),
        ["Data", "TotalCount"], check=listed("Data", "BudgetName", name))
    renamed = f"{name}-renamed"
    run.call(product, "UpdateBudget (call_api)", lambda: generic_call(
        client, "UpdateBudget", version,
        form={"OriginalBudgetName": name, "BudgetName": renamed, **budget, "Quota": "2000"}),
        ["BudgetName"])
    run.call(product, "DeleteBudget (call_api)", lambda: generic_call(
        client, "DeleteBudget", version, form={"BudgetName": renamed}), ["BudgetName"])


def check_sts(run: Runner, config: Callable[..., Config], account_id: str) -> None:
    product = "sts 2015-04-01"
    client = StsClient(config())
    m = sts_models
    role = f"acs:ram::{account_id}:role/pysdk-check"

    run.call(product, "GetCallerIdentity", client.get_caller_identity,
             ["AccountId", "Arn", "IdentityType"],
             check=lambda body: None if str(body.get("AccountId")) == account_id
             else f"note: AccountId {body.get('AccountId')!r}, not the caller's {account_id} "
                  "(answered from the response schema)")
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
        run.call(product, "STS key: GetCallerIdentity", chained.get_caller_identity,
                 ["AccountId", "Arn", "IdentityType"],
                 check=lambda body: None if "pysdk-check" in str(body.get("Arn"))
                 else f"note: Arn {body.get('Arn')!r} names not the assumed role "
                      "(answered from the response schema)")
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
    notes: list[str] = []
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
                    lambda: check_private_ca(run, config, style),
                    lambda: check_cas_201808(run, config),
                    lambda: check_cas_2018(run, config, pem, style),
                    lambda: check_bss_2023(run, config, emulator.account_id, style),
                    lambda: check_bss(run, config),
                    lambda: check_sts(run, config, emulator.account_id),
                ):
                    try:
                        check()
                    except Exception:  # a bug in this script or an SDK crash
                        run.skip("check.py", "crash", traceback.format_exc().strip().splitlines()[-1])
                results.extend(run.results)
                notes.extend(run.notes)
    finally:
        emulator.stop()

    print()
    for note in notes:
        print(f"NOTE  {note}")
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
