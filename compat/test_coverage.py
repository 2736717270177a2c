"""Which operations of the model does the server route, and does the AWS JSON
1.1 front door behave like AWS's (unknown targets, bad bodies, missing
credentials, request ids)?

Each operation gets a minimal request that the model accepts, sent with plain
HTTP as the management account of a fresh organization.
"""

import json
import os
import time
import uuid

import pytest

import orgkit
from awsmodel import OPERATIONS, SHAPES, TARGET_PREFIX, check_response, error_code, header
from orgkit import MGMT

ROOT = "<root>"  # replaced by the fresh organization's root id

# Well-formed sample values for the string shapes that have a pattern.
SAMPLES = {
    "AccountId": "222222222222",
    "ChildId": "222222222222",
    "HandshakePartyId": "222222222222",
    "ParentId": ROOT,
    "PolicyTargetId": ROOT,
    "TaggableResourceId": ROOT,
    "RootId": ROOT,
    "OrganizationalUnitId": "ou-abcd-abcdefgh",
    "CreateAccountRequestId": "car-abcdefgh12",
    "HandshakeId": "h-abcdefgh12",
    "PolicyId": "p-abcdefgh12",
    "ResponsibilityTransferId": "rt-abcdefgh12",
    "Email": "probe@example.com",
    "CreateAccountName": "probe",
    "RoleName": "OrganizationAccountAccessRole",
    "ServicePrincipal": "tagpolicies.tag.amazonaws.com",
    "GenericArn": "arn:aws:organizations::111111111111:organization/o-abcdefghij",
    "PolicyContent": json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    ),
    "ResourcePolicyContent": json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                    "Action": "organizations:DescribeOrganization",
                    "Resource": "*",
                }
            ],
        }
    ),
    "TagKey": "probe",
    "TagValue": "probe",
    "ResponsibilityTransferName": "probe",
}


def minimal_value(shape_name):
    """A value of the shape that satisfies the model: only required members,
    one item in required lists, the first enum value."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if kind == "structure":
        members = shape.get("members", {})
        return {name: minimal_value(members[name]["shape"]) for name in shape.get("required", [])}
    if kind == "list":
        return [minimal_value(shape["member"]["shape"]) for _ in range(max(1, shape.get("min", 1)))]
    if kind == "map":
        return {}
    if kind == "string":
        if shape_name in SAMPLES:
            return SAMPLES[shape_name]
        if "enum" in shape:
            return shape["enum"][0]
        return "x" * max(1, shape.get("min", 1))
    if kind in ("integer", "long"):
        return max(1, shape.get("min", 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return int(time.time())
    raise AssertionError(f"no sample for {shape_name} ({kind})")


def minimal_request(operation):
    op = OPERATIONS[operation]
    return minimal_value(op["input"]["shape"]) if "input" in op else {}


def _fill_root(value, root_id):
    if isinstance(value, dict):
        return {k: _fill_root(v, root_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_root(v, root_id) for v in value]
    return root_id if value == ROOT else value


def _decode(body):
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except ValueError:
        return None


def _fresh_org(endpoint):
    orgkit.reset(endpoint)
    status, _, body = orgkit.raw_call(endpoint, "CreateOrganization", {"FeatureSet": "ALL"})
    assert status == 200, f"CreateOrganization failed: {status} {body[:500]!r}"
    status, _, body = orgkit.raw_call(endpoint, "ListRoots", {})
    assert status == 200, f"ListRoots failed: {status} {body[:500]!r}"
    return json.loads(body)["Roots"][0]["Id"]


def _is_not_implemented(code):
    return code is not None and "notimplemented" in code.lower().replace("_", "")


@pytest.fixture(scope="module")
def probes(endpoint):
    """operation -> (request, status, headers, body, code), each sent to a
    fresh organization so that destructive operations disturb nothing."""
    results = {}
    for operation in sorted(OPERATIONS):
        root_id = _fresh_org(endpoint)
        request = _fill_root(minimal_request(operation), root_id)
        status, headers, body = orgkit.raw_call(endpoint, operation, request)
        code = error_code(_decode(body)) if status >= 300 else None
        results[operation] = (request, status, headers, body, code)
    orgkit.reset(endpoint)
    unrouted = sorted(op for op, r in results.items() if r[4] == "UnknownOperationException")
    not_implemented = sorted(op for op, r in results.items() if _is_not_implemented(r[4]))
    orgkit.COVERAGE_REPORT.update(
        total=len(results), missing=sorted(unrouted + not_implemented)
    )
    return results


def test_every_model_operation_is_routed(probes):
    missing = orgkit.COVERAGE_REPORT["missing"]
    print(f"\nimplemented: {len(probes) - len(missing)} of {len(probes)}")
    print("not implemented yet: " + (", ".join(missing) or "none"))
    if os.environ.get("ORGD_REQUIRE_ALL_OPERATIONS") == "1":
        assert not missing, f"operations not implemented: {', '.join(missing)}"


FOUNDATION = [
    "CreateOrganization", "DescribeOrganization", "DeleteOrganization", "ListRoots",
    "CreateOrganizationalUnit", "DescribeOrganizationalUnit", "UpdateOrganizationalUnit",
    "DeleteOrganizationalUnit", "ListOrganizationalUnitsForParent", "ListChildren",
    "ListParents", "CreateAccount", "DescribeCreateAccountStatus", "ListCreateAccountStatus",
    "DescribeAccount", "ListAccounts", "ListAccountsForParent", "MoveAccount",
    "RemoveAccountFromOrganization", "CloseAccount", "TagResource", "UntagResource",
    "ListTagsForResource",
]


@pytest.mark.parametrize("operation", FOUNDATION)
def test_foundation_operation_is_implemented(probes, operation):
    request, status, _, body, code = probes[operation]
    assert code != "UnknownOperationException" and not _is_not_implemented(code), (
        f"{operation} is not served: {status} {body[:300]!r}"
    )


# Known server defects: {operation: what is wrong}. Strict: the case fails
# once the server is fixed, so the entry must then be removed.
KNOWN_DEFECTS: dict[str, str] = {}


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            op,
            marks=pytest.mark.xfail(strict=True, reason=f"server defect: {KNOWN_DEFECTS[op]}"),
        )
        if op in KNOWN_DEFECTS
        else op
        for op in sorted(OPERATIONS)
    ],
)
def test_minimal_request_gets_a_well_formed_answer(probes, operation):
    """Whatever a routed operation answers to a valid minimal request (a
    result or a not-found error) must be shaped as AWS shapes it."""
    request, status, headers, body, code = probes[operation]
    if code == "UnknownOperationException" or _is_not_implemented(code):
        pytest.skip(f"{operation} not implemented yet")
    problems = check_response(operation, status, headers, body)
    assert not problems, (
        f"{operation} request {json.dumps(request)} -> {status} "
        f"{body.decode('utf-8', 'replace')[:2000]}\n" + "\n".join(problems)
    )


def _error(endpoint, *args, **kwargs):
    status, headers, body = orgkit.raw_call(endpoint, *args, **kwargs)
    decoded = _decode(body)
    return status, headers, body, decoded, error_code(decoded)


def test_unknown_operation(endpoint):
    _fresh_org(endpoint)
    for target in (f"{TARGET_PREFIX}.FrobnicateAccount", "SomeOtherServiceV1.ListRoots"):
        status, _, body, decoded, code = _error(endpoint, None, {}, target=target)
        assert status == 400, (target, status, body)
        assert code == "UnknownOperationException", (target, body)
        assert isinstance(decoded.get("Message", decoded.get("message")), str), body


def test_body_that_is_not_json(endpoint):
    _fresh_org(endpoint)
    for payload in (b"this is not json", b'{"ParentId": ', b"[1, 2]"):
        status, _, body, decoded, code = _error(endpoint, "ListChildren", payload)
        assert status == 400, (payload, status, body)
        assert code == "SerializationException", (payload, body)


def test_member_of_the_wrong_json_type(endpoint):
    """An object or a list where the model wants a string is refused as bad
    input (400), never a crash."""
    root_id = _fresh_org(endpoint)
    for payload in ({"ParentId": root_id, "Name": {"a": 1}}, {"ParentId": [root_id], "Name": "x"}):
        status, _, body, decoded, code = _error(endpoint, "CreateOrganizationalUnit", payload)
        assert status == 400, (payload, status, body)
        assert code in ("SerializationException", "InvalidInputException"), (payload, body)


def test_missing_required_member_and_out_of_range_number(endpoint):
    """What botocore would have caught client-side, other clients send: the
    server explains it with InvalidInputException and a Reason."""
    _fresh_org(endpoint)
    cases = [
        ("DescribeAccount", {}, "INPUT_REQUIRED"),
        ("MoveAccount", {"AccountId": "222222222222"}, "INPUT_REQUIRED"),
        ("ListAccounts", {"MaxResults": 0}, "MIN_VALUE_EXCEEDED"),
    ]
    for operation, payload, reason in cases:
        status, _, body, decoded, code = _error(endpoint, operation, payload)
        assert status == 400, (operation, payload, status, body)
        assert (code, decoded.get("Reason")) == ("InvalidInputException", reason), (operation, body)


def test_request_without_credentials_is_refused(endpoint):
    _fresh_org(endpoint)
    status, _, body, decoded, code = _error(endpoint, "DescribeOrganization", {}, auth=False)
    assert 400 <= status < 500, (status, body)
    assert code in (
        "MissingAuthenticationTokenException",
        "IncompleteSignatureException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
    ), body
    assert isinstance(decoded.get("Message", decoded.get("message")), str), body


def test_authorization_that_is_not_sigv4_is_refused(endpoint):
    _fresh_org(endpoint)
    status, headers, body = orgkit.http(
        endpoint, "POST", "/", b"{}",
        {"X-Amz-Target": f"{TARGET_PREFIX}.DescribeOrganization",
         "Content-Type": "application/x-amz-json-1.1", "Authorization": "Bearer abc"},
    )
    decoded = _decode(body)
    assert 400 <= status < 500, (status, body)
    assert error_code(decoded) in (
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
        "InvalidSignatureException",
        "UnrecognizedClientException",
    ), body


def test_every_response_carries_a_request_id(endpoint):
    answers = [("no organization", orgkit.raw_call(endpoint, "DescribeOrganization", {}))]
    _fresh_org(endpoint)
    answers += [
        ("success", orgkit.raw_call(endpoint, "DescribeOrganization", {})),
        ("modeled error", orgkit.raw_call(endpoint, "DescribeAccount", {"AccountId": "444444444444"})),
        ("unknown operation", orgkit.raw_call(endpoint, None, {}, target=f"{TARGET_PREFIX}.Nope")),
        ("bad json", orgkit.raw_call(endpoint, "ListRoots", b"{{{")),
        ("no credentials", orgkit.raw_call(endpoint, "ListRoots", {}, auth=False)),
    ]
    seen = set()
    for name, (status, headers, body) in answers:
        request_id = header(headers, "x-amzn-RequestId")
        assert request_id, f"{name}: no x-amzn-RequestId header ({status} {body[:200]!r})"
        seen.add(request_id)
    assert len(seen) == len(answers), f"request ids are not unique per request: {seen}"


def test_account_identity_comes_from_the_access_key(endpoint):
    """A 12-digit key id is that account; any other key is the default account."""
    orgkit.reset(endpoint)
    status, _, body = orgkit.raw_call(endpoint, "CreateOrganization", {}, account_id="333333333333")
    assert status == 200, body
    assert json.loads(body)["Organization"]["MasterAccountId"] == "333333333333"
    orgkit.reset(endpoint)
    key = "AKIA" + uuid.uuid4().hex[:16].upper()
    status, _, body = orgkit.raw_call(endpoint, "CreateOrganization", {}, account_id=key)
    assert status == 200, body
    assert json.loads(body)["Organization"]["MasterAccountId"] == orgkit.DEFAULT_ACCOUNT
