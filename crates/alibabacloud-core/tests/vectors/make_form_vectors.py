#!/usr/bin/env python3
"""Form-body signing vectors made by running the official Alibaba Cloud Python SDK.

Run with the venv that holds the official packages (nothing is sent over the network):

    /tmp/aliyun-venv/bin/python crates/alibabacloud-core/tests/vectors/make_form_vectors.py

It writes `form_v3.json` (ACS3-HMAC-SHA256) and `form_v1.json` (HMAC-SHA1) next to itself, in
the schema of `v3.json` / `v1.json`, for BssOpenApi 2017-12-14 style RPC POST requests whose
parameters travel in an `application/x-www-form-urlencoded` body.

Every request goes through the SDK's own code path, as a generated product client drives it:
`alibabacloud_tea_openapi.client.Client.call_api` with `style='RPC'`, `req_body_type='formData'`,
and an `OpenApiRequest(query=Utils.query(query), body=Utils.parse_to_map(body))`. JSON-style
("shrink") parameters are first turned into one string by
`Utils.array_to_string_with_specified_style(value, name, 'json')`, as the product clients do.
V3 is the client's default (`do_request`); V1 is selected with `Config(signature_algorithm='v2')`,
which routes `call_api` to `do_rpcrequest`.

Patches (the only behavioural changes):
  P1 `Utils.get_timestamp` -> the pinned time,
  P2 `Utils.get_nonce` -> the pinned nonce,
  P3 `Utils.get_user_agent` -> the user-agent the existing vectors pin (V3 signs it),
  P4 `DaraCore.do_action` -> a capture stub: it composes the URL with the SDK's own
     `DaraCore.compose_url`, prepares the same `requests.PreparedRequest` the real transport
     would send (to record the headers as sent, with Content-Length), and answers 200 with a
     small JSON body. No socket is opened.
Passive spies (they call through and only record): `Utils.get_authorization` (headers and
query as signed), `Utils.hash` (the canonical request hashed inside it), the module-level
`signature_method` (the V3 string to sign), `Utils.get_rpcsignature` (the V1 signed params) and
`hmac.new` as seen by the SDK's utils module (the V1 HMAC key and string to sign).

Cross-checks: every body and signature is recomputed with the independent helper package
`alibabacloud_openapi_util` (`to_form`, `query`, `get_rpcsignature`, `get_authorization`); the
script stops if any differs.

Schema note: vectors whose logical parameters include a JSON-style value carry an extra
`inputs.param_styles` object, `{"query"|"body": {Name: "json"}}`; `logical_params` then holds
the structured value before the SDK turned it into one JSON string. Without `param_styles`
every list is a repeat list (`Name.1`, ...), every object is flattened (`Name.Key`).
"""

import copy
import hashlib
import hmac
import json
import os
import sys
import types

from alibabacloud_openapi_util.client import Client as OpenApiUtilClient
from alibabacloud_tea_openapi import utils as sdk_utils_module
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.client import Client
from alibabacloud_tea_openapi.utils import Utils
from darabonba.core import DaraCore
from darabonba.response import DaraResponse
from darabonba.runtime import RuntimeOptions
from requests import PreparedRequest

NONCE = "3ee8c1b883d344afa94f4e0ad82fd6cf"
TIMESTAMP = "2025-01-02T03:04:05Z"
USER_AGENT = "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2"
ACCESS_KEY_ID = "testid"
ACCESS_KEY_SECRET = "testsecret"
HOST = "business.aliyuncs.com"
VERSION = "2017-12-14"
SDK = "alibabacloud-tea-openapi 0.4.6"

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# -------------------------------------------------------------------------------------------
# The cases: (id, description, action, logical query, logical body, json-style names)
# -------------------------------------------------------------------------------------------

CASES = [
    (
        "form_repeat_list",
        "Form body with repeat lists of scalars (InstanceIdList.1.., BillOwnerIdList.1..) and "
        "scalars; nothing in the query",
        "DescribeInstanceAmortizedCostByAmortizationPeriod",
        {},
        {
            "BillingCycle": "2024-12",
            "InstanceIdList": ["i-bp1aaaaaaaaaaaaaaaaa", "i-bp1 second", "i-bp1c"],
            "BillOwnerIdList": [1234567890123456, 42],
            "MaxResults": 20,
            "ProductCode": "ecs",
        },
        {},
    ),
    (
        "form_object_list",
        "Form body with a list of objects (Tag.1.Key, Tag.1.Value, ..., Tag.10.*; Tag.2 has no "
        "Value, Tag.3 an empty one): Tag.10 sorts before Tag.2 in the body",
        "TagResources",
        {"RegionId": "cn-hangzhou"},
        {
            "ResourceType": "instance",
            "ResourceId": ["bss-1", "bss-2"],
            "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "team"}, {"Key": "empty", "Value": ""}]
            + [{"Key": "k%d" % n, "Value": "v %d" % n} for n in range(4, 11)],
        },
        {},
    ),
    (
        "form_flat_object",
        "Form body with a flat object / map (Filter.Code, Filter.Region) next to scalars",
        "QueryBillOverview",
        {},
        {
            "BillingCycle": "2024-12",
            "Filter": {"Code": "ecs", "Region": "cn-hangzhou", "Type": "Subscription"},
        },
        {},
    ),
    (
        "form_json_style",
        "SetSavingPlanUserDeductRule: JSON-style (shrink) parameters sent as one compact JSON "
        "string, UserDeductRules in the form body and EcIdAccountIds in the query",
        "SetSavingPlanUserDeductRule",
        {
            "EcIdAccountIds": [{"AccountIds": [1234567890123456, 42], "EcId": "ec-01"}],
            "Nbid": "26842",
        },
        {
            "SpnInstanceCode": "spn-xxx",
            "UserDeductRules": [
                {"CommodityCode": "ecs", "SkipDeduct": True},
                {"CommodityCode": "rds", "ModuleCode": "中文 模块", "SkipDeduct": False},
            ],
        },
        {"query": ["EcIdAccountIds"], "body": ["UserDeductRules"]},
    ),
    (
        "form_mixed_query_body",
        "Query and form body in one request; values with spaces, '*', '~', '+', '/', '&', '=' "
        "and Chinese in both places (body: '+' for space; query: %20 when signed)",
        "DescribeInstanceAmortizedCostByConsumePeriod",
        {
            "CostUnitCode": "cu *~ 成本/1",
            "NextToken": "a+b=c&d",
        },
        {
            "BillingCycle": "2024-12",
            "ProductDetail": "云服务器 ECS * ~x+y/z&k=v",
            "InstanceIdList": ["i-1 a", "i-2*~"],
            "SubscriptionType": "Subscription",
        },
        {},
    ),
]

# -------------------------------------------------------------------------------------------
# Patches and spies
# -------------------------------------------------------------------------------------------

CAPTURE = {}


def reset_capture():
    CAPTURE.clear()
    CAPTURE["hash_inputs"] = []
    CAPTURE["hmac"] = []


Utils.get_timestamp = staticmethod(lambda: TIMESTAMP)  # P1
Utils.get_nonce = staticmethod(lambda: NONCE)  # P2
Utils.get_user_agent = staticmethod(lambda user_agent=None: USER_AGENT)  # P3

_real_hash = Utils.hash
_real_get_authorization = Utils.get_authorization
_real_get_rpcsignature = Utils.get_rpcsignature
_real_signature_method = sdk_utils_module.signature_method
_real_hmac_new = hmac.new


def spy_hash(raw, sign_type):
    digest = _real_hash(raw, sign_type)
    CAPTURE["hash_inputs"].append((bytes(raw), digest))
    return digest


def spy_get_authorization(request, sign_type, payload, ak, secret):
    CAPTURE["signed_headers_before"] = copy.deepcopy(dict(request.headers))
    CAPTURE["signed_query"] = list(request.query.items())
    start = len(CAPTURE["hash_inputs"])
    auth = _real_get_authorization(request, sign_type, payload, ak, secret)
    # The only hash computed inside get_authorization is the canonical request's.
    inner = CAPTURE["hash_inputs"][start:]
    assert len(inner) == 1, inner
    CAPTURE["canonical_request"] = inner[0][0].decode("utf-8")
    CAPTURE["hashed_canonical_request"] = inner[0][1].hex()
    CAPTURE["authorization"] = auth
    CAPTURE["crosscheck_authorization"] = OpenApiUtilClient.get_authorization(
        request, sign_type, payload, ak, secret
    )
    return auth


def spy_signature_method(secret, source, sign_type):
    CAPTURE["v3_string_to_sign"] = source
    return _real_signature_method(secret, source, sign_type)


def spy_get_rpcsignature(signed_params, method, secret):
    CAPTURE["rpc_signed_params"] = dict(signed_params)
    signature = _real_get_rpcsignature(signed_params, method, secret)
    CAPTURE["rpc_signature"] = signature
    CAPTURE["crosscheck_rpc_signature"] = OpenApiUtilClient.get_rpcsignature(
        dict(signed_params), method, secret
    )
    return signature


def spy_hmac_new(key, msg=None, digestmod=None):
    CAPTURE["hmac"].append((key, msg))
    return _real_hmac_new(key, msg, digestmod)


def capture_do_action(request, runtime_option=None):  # P4
    url = DaraCore.compose_url(request)
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    prepared = PreparedRequest()
    prepared.prepare(method=request.method.upper(), url=url, data=body, headers=request.headers)
    CAPTURE["wire"] = {
        "method": request.method,
        "url": url,
        "headers_sdk": dict(request.headers),
        "headers_as_sent": dict(prepared.headers),
        "body": request.body if request.body is None or isinstance(request.body, str)
        else request.body.decode("utf-8"),
    }
    CAPTURE["final_query"] = list(request.query.items())
    response = DaraResponse()
    response.status_code = 200
    response.status_message = "OK"
    response.headers = {"content-type": "application/json;charset=utf-8"}
    response.body = b'{"RequestId":"00000000-0000-0000-0000-000000000000","Success":true}'
    return response


Utils.hash = staticmethod(spy_hash)
Utils.get_authorization = staticmethod(spy_get_authorization)
Utils.get_rpcsignature = staticmethod(spy_get_rpcsignature)
sdk_utils_module.signature_method = spy_signature_method
sdk_utils_module.hmac = types.SimpleNamespace(new=spy_hmac_new)
DaraCore.do_action = staticmethod(capture_do_action)

# -------------------------------------------------------------------------------------------
# Driving the SDK
# -------------------------------------------------------------------------------------------


def shrink(logical, json_names):
    """What a product client does before building the request: JSON-style lists become one
    string (`*Shrink` fields)."""
    out = {}
    for name, value in logical.items():
        if name in json_names:
            out[name] = Utils.array_to_string_with_specified_style(value, name, "json")
        else:
            out[name] = value
    return out


def call(action, query, body, signature_algorithm):
    config = utils_models.Config(
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        endpoint=HOST,
        protocol="HTTPS",
        signature_algorithm=signature_algorithm,
    )
    client = Client(config)
    params = utils_models.Params(
        action=action,
        version=VERSION,
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = utils_models.OpenApiRequest(
        query=Utils.query(query), body=Utils.parse_to_map(body)
    )
    reset_capture()
    result = client.call_api(params, request, RuntimeOptions())
    assert result["statusCode"] == 200, result
    return dict(CAPTURE)


def pairs(mapping):
    return [[k, v] for k, v in mapping.items()] if mapping else None


def logical(query, body):
    out = {}
    if query:
        out["query"] = query
    if body:
        out["body"] = body
    return out


def styles(json_names):
    out = {}
    for location in ("query", "body"):
        if json_names.get(location):
            out[location] = {name: "json" for name in json_names[location]}
    return out


def base_inputs(action):
    return {
        "method": "POST",
        "host": HOST,
        "pathname": "/",
        "action": action,
        "version": VERSION,
        "access_key_id": ACCESS_KEY_ID,
        "access_key_secret": ACCESS_KEY_SECRET,
        "security_token": None,
    }


def v3_vector(case):
    vid, description, action, query, body, json_names = case
    wire_query = shrink(query, json_names.get("query", []))
    wire_body = shrink(body, json_names.get("body", []))
    cap = call(action, wire_query, wire_body, None)

    expected_form = OpenApiUtilClient.to_form(Utils.parse_to_map(wire_body))
    assert cap["wire"]["body"] == expected_form, (cap["wire"]["body"], expected_form)
    assert cap["authorization"] == cap["crosscheck_authorization"]
    headers = cap["signed_headers_before"]
    assert hashlib.sha256(cap["wire"]["body"].encode("utf-8")).hexdigest() == headers[
        "x-acs-content-sha256"
    ]
    assert cap["signed_query"] == list(OpenApiUtilClient.query(wire_query).items())
    auth = cap["authorization"]
    signed_headers = auth.split("SignedHeaders=", 1)[1].split(",", 1)[0]
    signature = auth.rsplit("Signature=", 1)[1]

    inputs = base_inputs(action)
    inputs.update(
        {
            "signature_nonce": NONCE,
            "x_acs_date": TIMESTAMP,
            "logical_params": logical(query, body),
            "query_params": [[k, v] for k, v in cap["signed_query"]],
            "body": cap["wire"]["body"],
            "headers_before_signing": headers,
        }
    )
    if json_names:
        inputs["param_styles"] = styles(json_names)
    return {
        "id": vid,
        "description": description,
        "inputs": inputs,
        "outputs": {
            "hashed_payload": headers["x-acs-content-sha256"],
            "canonical_request": cap["canonical_request"],
            "hashed_canonical_request": cap["hashed_canonical_request"],
            "string_to_sign": cap["v3_string_to_sign"],
            "signed_headers": signed_headers,
            "signature": signature,
            "authorization": auth,
            "wire": cap["wire"],
            "crosscheck": {
                "alibabacloud_openapi_util.get_authorization": cap["crosscheck_authorization"],
                "alibabacloud_openapi_util.to_form": expected_form,
            },
        },
    }


def v1_vector(case):
    vid, description, action, query, body, json_names = case
    wire_query = shrink(query, json_names.get("query", []))
    wire_body = shrink(body, json_names.get("body", []))
    cap = call(action, wire_query, wire_body, "v2")

    body_params = Utils.query(Utils.parse_to_map(wire_body))
    assert body_params == OpenApiUtilClient.query(Utils.parse_to_map(wire_body))
    expected_form = OpenApiUtilClient.to_form(Utils.parse_to_map(wire_body))
    assert cap["wire"]["body"] == expected_form, (cap["wire"]["body"], expected_form)
    assert cap["rpc_signature"] == cap["crosscheck_rpc_signature"]
    # The spy saw exactly one HMAC-SHA1 computation: the signature's.
    assert len(cap["hmac"]) == 1, cap["hmac"]
    key, msg = cap["hmac"][0]
    signed = cap["rpc_signed_params"]

    inputs = base_inputs(action)
    inputs.update(
        {
            "signature_nonce": NONCE,
            "timestamp": TIMESTAMP,
            "logical_params": logical(query, body),
            "query_params": pairs(Utils.query(wire_query)),
            "body_params": pairs(body_params),
        }
    )
    if json_names:
        inputs["param_styles"] = styles(json_names)
    return {
        "id": vid,
        "description": description,
        "inputs": inputs,
        "outputs": {
            "signed_params_sorted": [
                [k, signed[k]] for k in sorted(signed) if signed[k] is not None
            ],
            "string_to_sign": msg.decode("utf-8"),
            "hmac_key": key.decode("utf-8"),
            "signature": cap["rpc_signature"],
            "final_query": [[k, v] for k, v in cap["final_query"]],
            "wire": cap["wire"],
            "crosscheck": {
                "alibabacloud_openapi_util.get_rpcsignature": cap["crosscheck_rpc_signature"],
                "alibabacloud_openapi_util.to_form": expected_form,
            },
        },
    }


def write(name, algorithm, vectors):
    doc = {
        "meta": {
            "note": "Form-body signature test vectors produced by running the official Alibaba "
            "Cloud Python SDK code paths (%s, Client.call_api, style RPC, req_body_type "
            "formData) with fixed nonce, timestamp and user-agent; made by "
            "make_form_vectors.py. Compare every stage." % SDK,
            "algorithm": algorithm,
        },
        "vectors": vectors,
    }
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %s (%d vectors)" % (path, len(vectors)))


def main():
    if sys.version_info[:3] != (3, 11, 7):
        print("note: the pinned user-agent names Python 3.11.7; running %s" % sys.version.split()[0])
    write("form_v3.json", "ACS3-HMAC-SHA256", [v3_vector(c) for c in CASES])
    write("form_v1.json", "HMAC-SHA1 / SignatureVersion 1.0", [v1_vector(c) for c in CASES])


if __name__ == "__main__":
    main()
