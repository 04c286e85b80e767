#!/usr/bin/env python3
"""Resolves every case of crates/alibabacloud-credentials/tests/official/cases.json with the
official Python credentials library (alibabacloud-credentials, pinned in requirements.txt)
and records what it did: the credentials it returned (or that it failed), each request it
made (normalized), and for OAuth the profile it wrote back.

Nothing leaves the machine: the library's one HTTP entry point (Tea's TeaCore.do_action) is
replaced by a fake that records the request and answers from the case file's canned
answers. External commands really run (they only echo).

    resolve.py --check   compare with observed.json (the default); exit 1 on a difference
    resolve.py --write   rewrite observed.json

tests/providers/official.rs in the same crate resolves the same cases with this crate against
a loopback fake giving the same answers, and compares with observed.json the same way.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.join(HERE, "..", "..", "crates", "alibabacloud-credentials")
CASES = os.path.join(CRATE, "tests", "official", "cases.json")
OBSERVED = os.path.join(CRATE, "tests", "official", "observed.json")

# The environment variables the library reads at import time: none may leak in.
for name in list(os.environ):
    if name.startswith("ALIBABA_CLOUD_") or name.startswith("ALIBABACLOUD_"):
        del os.environ[name]

import logging  # noqa: E402

# The library logs each failed refresh with its traceback; the outcome is recorded instead.
logging.disable(logging.CRITICAL)

from Tea.core import TeaCore  # noqa: E402
from Tea.response import TeaResponse  # noqa: E402
from alibabacloud_credentials.provider.cli_profile import (  # noqa: E402
    CLIProfileCredentialsProvider,
)

# The STS parameters compared (the rest are per-request values or transport details).
STS_PARAMS = [
    "Action", "Version", "Format", "RoleArn", "RoleSessionName", "DurationSeconds",
    "Policy", "ExternalId", "AccessKeyId", "SecurityToken", "OIDCProviderArn", "OIDCToken",
    "SignatureMethod", "SignatureVersion",
]
# Parameters whose value changes at every request: only their presence is compared.
VOLATILE = {"Timestamp", "SignatureNonce", "Signature"}
HEADERS = [
    "authorization", "content-type", "accept",
    "x-aliyun-ecs-metadata-token", "x-aliyun-ecs-metadata-token-ttl-seconds",
]


def route(path, params):
    """Which canned answer a request gets."""
    if path in ("", "/"):
        return "sts"
    if path == "/cloud-credentials":
        return "cloud_sso"
    if path == "/v1/token":
        return "oauth_token"
    if path == "/v1/exchange":
        return "oauth_exchange"
    if path == "/latest/api/token":
        return "imds_token"
    if path == "/latest/meta-data/ram/security-credentials/":
        return "imds_roles"
    if path.startswith("/latest/meta-data/ram/security-credentials/"):
        return "imds_credentials"
    return None


def answer(answers, name, n):
    value = answers[name]
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace("{n}", str(n))


def normalize(method, path, params, headers, body):
    """A request as the comparison sees it; the Rust test builds the same shape."""
    kind = route(path, params)
    content_type = (headers.get("content-type") or "").split(";")[0].strip()
    merged = dict(params)
    if content_type == "application/x-www-form-urlencoded" and body:
        merged.update(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))
    if kind == "sts":
        merged = {k: v for k, v in merged.items() if k in STS_PARAMS or k in VOLATILE}
        # Transport details, not behaviour: the format's case, and a nonce on an unsigned
        # request (AssumeRoleWithOIDC).
        if "Format" in merged:
            merged["Format"] = merged["Format"].upper()
        if "Signature" not in merged:
            merged.pop("SignatureNonce", None)
    shown = {}
    for key in sorted(merged):
        shown[key] = "<set>" if key in VOLATILE or key == "Timestamp" else merged[key]
    record = {"route": kind, "path": path or "/"}
    if kind != "sts":
        # STS is called with GET by the Python library and POST by ours: both are accepted.
        record["method"] = method.upper()
    record["params"] = shown
    # A catch-all Accept (an HTTP client's default) says nothing.
    record["headers"] = {h: (headers[h].split(";")[0].strip() if h == "content-type" else headers[h])
                         for h in HEADERS if h in headers
                         and not (h == "accept" and headers[h] == "*/*")}
    record["json"] = json.loads(body) if content_type == "application/json" and body else None
    return record


def normalize_written(profile, now):
    """A written-back profile: token expiry relative to now, to the minute."""
    out = []
    for key, value in profile.items():
        if key == "oauth_access_token_expire" and isinstance(value, int) and value > 1700000000 \
                and value < 4000000000:
            value = "now+%d" % (round((value - now) / 60.0) * 60)
        out.append([key, value])
    return out


def run_case(cases, case):
    answers = cases["answers"]
    recorded = []
    counts = {}

    def fake_do_action(request, runtime_option=None):
        headers = {k.lower(): v for k, v in (request.headers or {}).items()}
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        params = {k: v for k, v in (request.query or {}).items() if v is not None}
        recorded.append(normalize(request.method or "GET", request.pathname or "/", params,
                                  headers, body))
        name = route(request.pathname or "/", params)
        counts[name] = counts.get(name, 0) + 1
        response = TeaResponse()
        response.status_code = 200 if name else 404
        response.status_message = "OK"
        response.headers = {"content-type": "application/json"}
        response.body = answer(answers, name, counts[name]).encode("utf-8") if name else b"{}"
        return response

    TeaCore.do_action = staticmethod(fake_do_action)

    with tempfile.TemporaryDirectory() as scratch:
        for name, content in cases.get("files", {}).items():
            with open(os.path.join(scratch, name), "w") as f:
                f.write(content)
        path = os.path.join(scratch, "config.json")
        if "config_text" in case:
            text = case["config_text"]
        else:
            text = json.dumps(cases["config"], indent=2, sort_keys=True)
            text = text.replace("{dir}", scratch).replace("{portal}", "http://127.0.0.1:9")
        with open(path, "w") as f:
            f.write(text)
        now = int(time.time())
        result = {}
        try:
            provider = CLIProfileCredentialsProvider(profile_name=case["profile"], profile_file=path)
            credentials = provider.get_credentials()
            result["credentials"] = {
                "access_key_id": credentials.get_access_key_id(),
                "access_key_secret": credentials.get_access_key_secret(),
                "security_token": credentials.get_security_token(),
            }
        except BaseException as error:  # RecursionError is not an Exception subclass of theirs
            if isinstance(error, KeyboardInterrupt):
                raise
            result["error"] = type(error).__name__
            result["error_message"] = str(error)[:300]
        result["requests"] = recorded
        if case.get("compare_written"):
            with open(path) as f:
                written = json.load(f)
            profile = next(p for p in written["profiles"] if p.get("name") == case["profile"])
            result["written"] = normalize_written(profile, now)
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite observed.json")
    group.add_argument("--check", action="store_true", help="compare with observed.json (default)")
    args = parser.parse_args()

    with open(CASES) as f:
        cases = json.load(f)
    import alibabacloud_credentials  # noqa: F401
    from importlib.metadata import version
    observed = {
        "library": "alibabacloud-credentials " + version("alibabacloud-credentials"),
        "cases": {},
    }
    sys.setrecursionlimit(200)
    for case in cases["cases"]:
        observed["cases"][case["name"]] = run_case(cases, case)
        outcome = observed["cases"][case["name"]]
        summary = outcome.get("credentials", {}).get("access_key_id") or outcome.get("error")
        print("%-55s %s (%d requests)" % (case["name"], summary, len(outcome["requests"])))

    text = json.dumps(observed, indent=2, ensure_ascii=False) + "\n"
    if args.write:
        with open(OBSERVED, "w") as f:
            f.write(text)
        print("wrote", os.path.relpath(OBSERVED))
        return 0
    with open(OBSERVED) as f:
        recorded = json.load(f)
    # Error messages are informative only; everything else must match.
    def strip(o):
        return {name: {k: v for k, v in c.items() if k != "error_message"}
                for name, c in o["cases"].items()}
    if strip(recorded) != strip(observed):
        for name in observed["cases"]:
            a = strip(recorded).get(name)
            b = strip(observed)[name]
            if a != b:
                print("DIFFERENT: %s\n  recorded: %s\n  now:      %s" % (name, json.dumps(a), json.dumps(b)))
        print("observed.json is out of date: the official library now behaves differently "
              "(rerun with --write and review the diff)")
        return 1
    print("observed.json matches %s" % observed["library"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
