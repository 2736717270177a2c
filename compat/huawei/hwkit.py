"""Helpers of the Huawei compatibility suite: SDK clients acting as a given
account, raw HTTP, Huawei's formats, and error assertions.

The official SDK (huaweicloudsdkorganizations, pinned in run.sh) is driven as
shared/huawei/CLIENT.md says: explicit GlobalCredentials(ak, sk, domain_id),
never with_region (it would add Huawei's real endpoint), retry_times = 0, and
HOME in a scratch directory (conftest.py sets it before the SDK is imported).
"""

import itertools
import json
import os
import re
import secrets
import urllib.error
import urllib.request
from datetime import datetime

from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkorganizations import v1

# The example key of AUTH.md; in default mode orgd verifies no signature, so
# any key works and the caller is the X-Domain-Id the SDK sends.
AK = "HWEXAMPLEAK000000001"
SK = "hwexampleSecretKey0000000000000000000001"
MGMT = "0a6d25d23900d45c0faac010e0fb4de0"  # plays the management account
OUTSIDER = "5f1e2d3c4b5a69788796a5b4c3d2e1f0"  # belongs to no organization

RESET_PATH = "/_orgd/reset"

# Formats of API.md section 2.
DOMAIN_ID = re.compile(r"^[0-9a-f]{32}$")
ORG_ID = re.compile(r"^o-[0-9a-z]{1,32}$")
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
OU_ID = re.compile(r"^ou-[0-9a-z]{8,32}$")
POLICY_ID = re.compile(r"^p-[0-9a-zA-Z_]{1,128}$")
HANDSHAKE_ID = re.compile(r"^h-[0-9a-z]{8,32}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")

_counter = itertools.count(1)


def unique(prefix):
    """A name unique within the test session."""
    return f"{prefix}{os.getpid() % 1000}x{next(_counter)}"


def new_domain_id():
    """A fresh 32-hex Huawei account (domain) id."""
    return secrets.token_hex(16)


def make_client(endpoint, domain_id=MGMT, ak=AK, sk=SK):
    config = HttpConfig.get_default_config()
    config.timeout = (5, 30)
    config.retry_times = 0
    return (
        v1.OrganizationsClient.new_builder()
        .with_http_config(config)
        .with_credentials(GlobalCredentials(ak, sk, domain_id))
        .with_endpoints([endpoint])
        .build()
    )


def http(endpoint, method, path, body=None, headers=None):
    """A raw request: (status, headers, parsed JSON body or raw bytes)."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, hdrs, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, dict(e.headers), e.read()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw
    return status, hdrs, parsed


def reset(endpoint):
    status, _, body = http(endpoint, "POST", RESET_PATH, b"")
    assert 200 <= status < 300, f"reset failed: {status} {body!r}"


def expect_error(call, status, code=None, code_prefix="Organizations."):
    """Runs call(); it must fail with this HTTP status and error code (or a code
    with this prefix when the exact code is orgd's choice), a message and a
    request id. Returns the exception."""
    try:
        result = call()
    except exceptions.ClientRequestException as e:
        assert e.status_code == status, f"status {e.status_code} {e.error_code} {e.error_msg}, wanted {status}"
        if code is not None:
            assert e.error_code == code, f"error_code {e.error_code} ({e.error_msg}), wanted {code}"
        else:
            assert str(e.error_code).startswith(code_prefix), f"error_code {e.error_code} ({e.error_msg})"
        assert e.error_msg, "an error has a message"
        assert e.request_id, "an error carries X-Request-Id"
        return e
    raise AssertionError(f"expected HTTP {status} {code or code_prefix}, got success {result}")


def is_time(value):
    """An ISO-8601 date-time as the SDK receives it (a string it parses, or the
    datetime it made of it)."""
    if isinstance(value, datetime):
        return True
    return isinstance(value, str) and ISO_TIME.match(value) is not None


def raw_dict(response):
    """The JSON object the server sent for an SDK response."""
    raw = response.raw_content
    return json.loads(raw) if raw else {}


def snake_case_keys(value, path="$"):
    """Every member name in a JSON value that is not snake_case."""
    bad = []
    if isinstance(value, dict):
        for k, v in value.items():
            if not re.match(r"^[a-z][a-z0-9_]*$", k):
                bad.append(f"{path}.{k}")
            bad += snake_case_keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            bad += snake_case_keys(v, f"{path}[{i}]")
    return bad


def urn_of(kind, mgmt, org_id, tail=None):
    """A URN of API.md section 2: organizations::<mgmt>:<kind>:<org-id>[/<tail>]."""
    base = f"organizations::{mgmt}:{kind}:{org_id}"
    return base if tail is None else f"{base}/{tail}"


def all_pages(call, items, limit=1):
    """Follows page_info.next_marker from the first page to the last and
    returns every item of every page (the attribute `items` of each)."""
    seen, marker, pages = [], None, 0
    while True:
        page = call(limit=limit, marker=marker)
        pages += 1
        got = getattr(page, items) or []
        assert len(got) <= limit, f"page of {len(got)} items for limit={limit}"
        if page.page_info is not None and page.page_info.current_count is not None:
            assert page.page_info.current_count == len(got)
        seen += got
        marker = page.page_info.next_marker if page.page_info else None
        if not marker:
            return seen
        assert pages < 1000, "paging does not end"
