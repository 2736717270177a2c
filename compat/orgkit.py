"""Small helpers shared by the compatibility tests: identities, clients, raw
HTTP, and waiting for asynchronous account creation."""

import copy
import itertools
import json
import os
import time
import urllib.error
import urllib.request

import boto3
import botocore.config
from botocore.exceptions import ClientError

from awsmodel import TARGET_PREFIX, check_response

MGMT = "111111111111"  # plays the management account
OUTSIDER = "999999999999"  # an account that belongs to no organization
DEFAULT_ACCOUNT = "123456789012"  # what a non-numeric access key maps to
REGION = "us-east-1"

RESET_PATH = os.environ.get("ORGD_RESET_PATH", "/_orgd/reset")
HEALTH_PATH = os.environ.get("ORGD_HEALTH_PATH", "/_orgd/health")


class ResponseContractViolation(AssertionError):
    """A response that no AWS endpoint would send."""


# Violations seen during the current test; conftest fails the test if any
# were recorded, even when the test swallowed the exception raised here.
VIOLATIONS = []

# Contract problems (regexes) that the current test knowingly lets pass: a
# known server defect that a strict-xfail test of its own covers, so that the
# rest of a journey still runs. Cleared before each test (conftest.py).
TOLERATED = []

# Filled by test_coverage.py, printed by conftest at the end of the run.
COVERAGE_REPORT = {}

_counter = itertools.count(1)


def unique(prefix):
    """A name unique within the test session."""
    return f"{prefix}{os.getpid() % 1000}x{next(_counter)}"


def _remember_params(params, context, **_):
    context["compat_params"] = copy.deepcopy(params)


def _check_after_call(http_response, model, context, **_):
    problems = check_response(
        model.name, http_response.status_code, http_response.headers, http_response.content
    )
    problems = [p for p in problems if not any(t.search(p) for t in TOLERATED)]
    if problems:
        body = http_response.content.decode("utf-8", "replace")
        message = (
            f"{model.name}: the response breaks the AWS contract\n"
            f"  request params: {json.dumps(context.get('compat_params'), default=str)}\n"
            f"  HTTP status: {http_response.status_code}\n"
            f"  raw body: {body[:4000]}\n"
            + "".join(f"  - {p}\n" for p in problems)
        )
        VIOLATIONS.append(message)
        raise ResponseContractViolation(message)


def attach_validator(client):
    """Check every response the client receives against the model."""
    events = client.meta.events
    events.register("provide-client-params.organizations", _remember_params)
    events.register("after-call.organizations", _check_after_call)
    return client


def make_client(endpoint, account_id=MGMT):
    """A boto3 Organizations client whose caller is `account_id` (the access
    key id carries the identity). Retries are off so that every answer of the
    server is seen exactly as sent."""
    session = boto3.session.Session()
    client = session.client(
        "organizations",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=account_id,
        aws_secret_access_key="compat-secret-key",
        config=botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=5,
            read_timeout=30,
        ),
    )
    return attach_validator(client)


def http(endpoint, method, path, body=None, headers=None, timeout=10):
    """Plain HTTP; returns (status, headers as list of pairs, body bytes)."""
    request = urllib.request.Request(endpoint + path, data=body, method=method)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.getheaders(), response.read()
    except urllib.error.HTTPError as err:
        return err.code, list(err.headers.items()), err.read()


FAKE_AUTH = (
    "AWS4-HMAC-SHA256 Credential={key}/20260101/us-east-1/organizations/aws4_request, "
    "SignedHeaders=host, Signature=00"
)


def raw_call(endpoint, operation, payload=b"{}", account_id=MGMT, auth=True, target=None):
    """An AWS JSON 1.1 request sent without an SDK. `payload` is bytes or a
    JSON-serialisable object."""
    if not isinstance(payload, (bytes, bytearray)):
        payload = json.dumps(payload).encode()
    headers = {
        "X-Amz-Target": target or f"{TARGET_PREFIX}.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Date": "20260101T000000Z",
    }
    if auth:
        headers["Authorization"] = FAKE_AUTH.format(key=account_id)
    return http(endpoint, "POST", "/", payload, headers)


def reset(endpoint):
    status, _, body = http(endpoint, "POST", RESET_PATH, b"")
    assert 200 <= status < 300, f"reset failed: {status} {body[:300]!r}"


CLOCK_PATH = os.environ.get("ORGD_CLOCK_PATH", "/_orgd/clock")
DAY_MS = 24 * 3600 * 1000


def server_now_ms(endpoint):
    """The server's clock, in epoch milliseconds (GET /_orgd/clock)."""
    status, _, body = http(endpoint, "GET", CLOCK_PATH)
    assert status == 200, f"GET {CLOCK_PATH}: {status} {body[:300]!r}"
    return json.loads(body)["now_ms"]


def advance_clock(endpoint, ms):
    """Move the server's clock forward by `ms` (it never goes back, and a
    reset keeps it): what is due by then (expiries, closures) happens."""
    status, _, body = http(
        endpoint, "POST", CLOCK_PATH, json.dumps({"advance_ms": int(ms)}).encode(),
        {"Content-Type": "application/json"},
    )
    assert 200 <= status < 300, f"POST {CLOCK_PATH}: {status} {body[:300]!r}"


def error_of(exc_info):
    """(code, reason) of a botocore ClientError caught by pytest.raises."""
    err = exc_info.value
    assert isinstance(err, ClientError), f"expected ClientError, got {err!r}"
    return err.response["Error"]["Code"], err.response.get("Reason")


def wait_for_create(client, request_id, timeout=20.0):
    """Poll DescribeCreateAccountStatus until the request leaves IN_PROGRESS;
    returns the final CreateAccountStatus."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        status = client.describe_create_account_status(CreateAccountRequestId=request_id)[
            "CreateAccountStatus"
        ]
        assert status["Id"] == request_id
        if status["State"] != "IN_PROGRESS":
            return status
        assert time.monotonic() < deadline, f"{request_id} still IN_PROGRESS after {timeout}s"
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def create_account(client, name=None, email=None, tags=None):
    """Create an account, wait for it, and return its id (asserting success)."""
    name = name or unique("acct")
    email = email or f"{name}@example.com"
    kwargs = {"AccountName": name, "Email": email}
    if tags is not None:
        kwargs["Tags"] = tags
    started = client.create_account(**kwargs)["CreateAccountStatus"]
    final = wait_for_create(client, started["Id"])
    assert final["State"] == "SUCCEEDED", f"account creation failed: {final}"
    return final["AccountId"]


def all_pages(client, operation, key, **kwargs):
    """Every item of a paginated List* call, through botocore's paginator."""
    items = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        items.extend(page[key])
    return items
