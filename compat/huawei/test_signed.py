"""Signed mode: a second orgd started with `--auth signed --credentials FILE`
verifies the SDK's SDK-HMAC-SHA256 signatures. The right key acts as its
account; a wrong SK, an unknown AK, or an X-Domain-Id naming another account
get the gateway's 401 APIGW.0301; /_orgd/* needs no signature.

The binary comes from ORGD_BINARY (run.sh exports it).
"""

import json
import os
import socket
import subprocess
import time

import pytest
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkorganizations import v1

import hwkit
from hwkit import AK, MGMT, SK

MEMBER_AK = "HWEXAMPLEAK000000002"
MEMBER_SK = "hwexampleSecretKey0000000000000000000002"
MEMBER = "7c2d5e8f90a1b2c3d4e5f60718293a4b"
AWS_AK = "AKIAEXAMPLEAWS000001"


@pytest.fixture(scope="module")
def signed_endpoint(tmp_path_factory):
    binary = os.environ.get("ORGD_BINARY")
    if not binary:
        pytest.fail("ORGD_BINARY is not set: run the suite with compat/run.sh ORGD_BINARY")
    work = tmp_path_factory.mktemp("signed")
    keys = work / "keys.json"
    keys.write_text(
        json.dumps(
            [
                {"access_key_id": AK, "secret_access_key": SK, "account_id": MGMT},
                {"access_key_id": MEMBER_AK, "secret_access_key": MEMBER_SK, "account_id": MEMBER},
                {"access_key_id": AWS_AK, "secret_access_key": SK, "account_id": "111111111111"},
            ]
        )
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(work / "orgd.log", "wb")
    proc = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--in-memory", "--auth", "signed", "--credentials", str(keys)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            assert proc.poll() is None, f"signed orgd exited: {(work / 'orgd.log').read_text()}"
            try:
                status, _, _ = hwkit.http(url, "GET", "/_orgd/health")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline, "signed orgd did not start"
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(autouse=True)
def _fresh_signed_state(signed_endpoint):
    hwkit.reset(signed_endpoint)  # /_orgd/* needs no signature


def gateway_refusal(call):
    e = hwkit.expect_error(call, 401, "APIGW.0301", code_prefix="APIGW.")
    assert "verify aksk signature fail" in e.error_msg
    return e


def test_the_right_key_acts_as_its_account(signed_endpoint):
    client = hwkit.make_client(signed_endpoint, MGMT, AK, SK)
    org = client.create_organization(v1.CreateOrganizationRequest()).organization
    assert org.management_account_id == MGMT
    assert client.show_organization(v1.ShowOrganizationRequest()).organization.id == org.id
    # A sorted, repeated query and a path with an encoded colon verify too: whatever the
    # operation answers, it is not the gateway's refusal.
    client.list_create_account_statuses(v1.ListCreateAccountStatusesRequest(states=["in_progress", "failed"], limit=5))
    try:
        client.list_resource_tags(v1.ListResourceTagsRequest(resource_type="organizations:accounts"))
    except (exceptions.ClientRequestException, exceptions.ServerResponseException) as e:
        assert not str(e.error_code).startswith("APIGW."), e


def test_a_wrong_secret_or_an_unknown_key_is_refused(signed_endpoint):
    client = hwkit.make_client(signed_endpoint, MGMT, AK, SK)
    client.create_organization(v1.CreateOrganizationRequest())
    wrong_sk = hwkit.make_client(signed_endpoint, MGMT, AK, "not-the-secret")
    gateway_refusal(lambda: wrong_sk.show_organization(v1.ShowOrganizationRequest()))
    gateway_refusal(lambda: wrong_sk.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="x", parent_id="r-abcd"))
    ))
    unknown = hwkit.make_client(signed_endpoint, MGMT, "HWUNKNOWNAK", SK)
    gateway_refusal(lambda: unknown.show_organization(v1.ShowOrganizationRequest()))
    # A key of an AWS account signs AWS requests only.
    aws_key = hwkit.make_client(signed_endpoint, MGMT, AWS_AK, SK)
    gateway_refusal(lambda: aws_key.show_organization(v1.ShowOrganizationRequest()))
    # Nothing the refused requests asked for happened.
    assert client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units == []


def test_a_domain_id_naming_another_account_is_refused(signed_endpoint):
    client = hwkit.make_client(signed_endpoint, MGMT, AK, SK)
    client.create_organization(v1.CreateOrganizationRequest())
    posing = hwkit.make_client(signed_endpoint, MGMT, MEMBER_AK, MEMBER_SK)
    gateway_refusal(lambda: posing.show_organization(v1.ShowOrganizationRequest()))
    # The member's own key, with its own domain id, is that account.
    member = hwkit.make_client(signed_endpoint, MEMBER, MEMBER_AK, MEMBER_SK)
    hwkit.expect_error(lambda: member.show_organization(v1.ShowOrganizationRequest()), 401, "Organizations.1015")


def test_an_unsigned_request_is_refused(signed_endpoint):
    status, headers, body = hwkit.http(signed_endpoint, "GET", "/v1/organizations", headers={"X-Domain-Id": MGMT})
    assert status == 401, (status, body)
    assert body["error_code"] == "APIGW.0301"
    assert body.get("request_id")
    assert any(k.lower() == "x-request-id" for k in headers)
