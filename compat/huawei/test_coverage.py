"""Coverage: every public operation of the official SDK's OrganizationsClient
reaches one of orgd's Huawei routes.

An operation is a method `foo` of the client that has a `foo_invoker` twin and
a `_foo_http_info` template (69 in 3.1.219). Each is called through the SDK
itself, with placeholder path parameters and no body, so the request is on
the wire exactly as the SDK shapes it. It counts as routed unless orgd answers
the way its router answers a path it does not know, or a method the path does
not take: those two answers are learnt first from requests that no route can
match, so the check does not depend on the codes orgd chose for them. Any
other answer below 500 (success, a 400 for the missing body, a 404 for the
placeholder id, a 401 for the caller) means an operation handled the request;
a 5xx (orgd answers 501 for a routed operation it does not serve yet) fails
the check as well, listed apart.
"""

import inspect

import pytest
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkorganizations import v1

import hwkit

SDK_OPERATIONS = 69

# Placeholder path parameters: well-formed, naming nothing that exists.
PLACEHOLDERS = {
    "account_id": "00000000000000000000000000000000",
    "organizational_unit_id": "ou-0000000000000000",
    "policy_id": "p-00000000000000000000",
    "handshake_id": "h-0000000000000000",
    "create_account_status_id": "ca-0000000000000000",
    "resource_id": "00000000000000000000000000000000",
    "resource_type": "organizations:accounts",
}


def operations():
    client = v1.OrganizationsClient
    names = []
    for name, _ in inspect.getmembers(client, inspect.isfunction):
        if name.startswith("_") or name.endswith("_invoker"):
            continue
        if hasattr(client, f"{name}_invoker") and hasattr(client, f"_{name}_http_info"):
            names.append(name)
    return sorted(names)


def template(op):
    """(method, resource path) of an operation, from the SDK's own table."""
    cls = v1.OrganizationsClient
    request_type = getattr(v1, f"{''.join(p.title() for p in op.split('_'))}Request")
    info = getattr(cls, f"_{op}_http_info")(request_type())
    return info["method"], info["resource_path"]


def answer(call):
    """(status, error_code) of an SDK call; (status, None) on success."""
    try:
        response = call()
    except exceptions.ClientRequestException as e:
        return e.status_code, e.error_code
    except exceptions.ServerResponseException as e:
        return e.status_code, e.error_code
    return response.status_code, None


@pytest.mark.offline
def test_the_sdk_has_the_69_operations_of_api_md():
    ops = operations()
    assert len(ops) == SDK_OPERATIONS, ops
    paths = {template(op) for op in ops}
    assert len(paths) == SDK_OPERATIONS, "two operations share a method and path"


def test_every_sdk_operation_is_routed(endpoint, hw):
    # What the router answers when nothing matches: an unknown path, and a
    # method that a known path does not take (no operation uses PUT).
    unknown = hwkit.http(endpoint, "GET", "/v1/orgd-compat-no-such-collection/x")
    wrong_method = hwkit.http(endpoint, "PUT", "/v1/organizations")
    not_routed = set()
    for status, _, body in (unknown, wrong_method):
        assert status in (404, 405), f"unmatched request answered {status} {body!r}"
        assert isinstance(body, dict) and body.get("error_code"), f"not Huawei-shaped: {body!r}"
        not_routed.add((status, body["error_code"]))

    client = hw()
    unrouted, unserved = [], []
    for op in operations():
        request_type = getattr(v1, f"{''.join(p.title() for p in op.split('_'))}Request")
        request = request_type()
        _, path = template(op)
        for name, value in PLACEHOLDERS.items():
            if "{" + name + "}" in path:
                setattr(request, name, value)
        got = answer(lambda: getattr(client, op)(request))
        method, path = template(op)
        if got in not_routed:
            unrouted.append(f"{op} ({method} {path}) -> {got}")
        elif got[0] >= 500:
            # 501: routed to a stub that does not serve it; any other 5xx is a fault.
            unserved.append(f"{op} ({method} {path}) -> {got}")
    problems = []
    if unrouted:
        problems.append(f"{len(unrouted)} of {SDK_OPERATIONS} SDK operations are not routed:\n  " + "\n  ".join(unrouted))
    if unserved:
        problems.append(f"{len(unserved)} answer 5xx (not implemented or failing):\n  " + "\n  ".join(unserved))
    assert not problems, "\n".join(problems)
