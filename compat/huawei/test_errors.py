"""The error paths SDK users meet, and paging with limit/marker.

Codes that API.md documents are asserted exactly (Organizations.1001, 1015,
1325, 1401, 1500, 1900), and so are the codes orgd allocated where Huawei's
table is unknown (after 1012), as docs/huawei.md lists them: a client that
branches on a code relies on it staying put. Each refusal must change nothing.
"""

import json

import pytest
from huaweicloudsdkorganizations import v1

import hwkit
from hwkit import MGMT, OUTSIDER
from test_journey import new_account, new_org

UNKNOWN_ACCOUNT = "0123456789abcdef0123456789abcdef"


def test_unknown_ids_answer_404_with_an_organizations_code(hw):
    client = hw()
    new_org(client)
    calls = {
        "show_account": (
            "Organizations.1301",
            lambda: client.show_account(v1.ShowAccountRequest(account_id=UNKNOWN_ACCOUNT)),
        ),
        "show_organizational_unit": (
            "Organizations.1201",
            lambda: client.show_organizational_unit(
                v1.ShowOrganizationalUnitRequest(organizational_unit_id="ou-abcdefgh12345678")
            ),
        ),
        "show_policy": (
            "Organizations.1601",
            lambda: client.show_policy(v1.ShowPolicyRequest(policy_id="p-abcdefgh12345678")),
        ),
        "show_handshake": (
            "Organizations.1402",
            lambda: client.show_handshake(v1.ShowHandshakeRequest(handshake_id="h-abcdefgh12345678")),
        ),
        "show_create_account_status": (
            "Organizations.1302",
            lambda: client.show_create_account_status(
                v1.ShowCreateAccountStatusRequest(create_account_status_id="car-abcdefgh12345678")
            ),
        ),
        "show_dry_run_policy": (
            None,
            lambda: client.show_dry_run_policy(v1.ShowDryRunPolicyRequest(policy_id="p-abcdefgh12345678")),
        ),
        "delete_organizational_unit": (
            "Organizations.1201",
            lambda: client.delete_organizational_unit(
                v1.DeleteOrganizationalUnitRequest(organizational_unit_id="ou-abcdefgh12345678")
            ),
        ),
        "list_tags_for_resource": (
            "Organizations.1701",
            lambda: client.list_tags_for_resource(v1.ListTagsForResourceRequest(resource_id=UNKNOWN_ACCOUNT)),
        ),
    }
    failures = []
    for name, (code, call) in calls.items():
        try:
            hwkit.expect_error(call, 404, code)
        except AssertionError as e:
            failures.append(f"{name}: {e}")
    assert not failures, "\n".join(failures)


def test_a_member_calling_a_management_operation_gets_401_organizations_1001(hw):
    client = hw()
    _, root = new_org(client)
    member = new_account(client, "member")
    m = hw(member)
    hwkit.expect_error(
        lambda: m.create_organizational_unit(
            v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="x", parent_id=root.id))
        ),
        401,
        "Organizations.1001",
    )
    hwkit.expect_error(
        lambda: m.create_account(v1.CreateAccountRequest(body=v1.CreateAccountReqBody(name="y"))), 401, "Organizations.1001"
    )
    assert client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units == []
    # A member may still see its organization.
    assert m.show_organization(v1.ShowOrganizationRequest()).organization.management_account_id == MGMT


def test_an_account_without_organization_gets_organizations_1015(hw):
    outsider = hw(OUTSIDER)
    hwkit.expect_error(lambda: outsider.show_organization(v1.ShowOrganizationRequest()), 401, "Organizations.1015")
    hwkit.expect_error(lambda: outsider.list_roots(v1.ListRootsRequest()), 401, "Organizations.1015")
    hwkit.expect_error(lambda: outsider.list_accounts(v1.ListAccountsRequest()), 401, "Organizations.1015")


def test_a_second_organization_for_the_same_account_is_refused(hw):
    client = hw()
    org, _ = new_org(client)
    hwkit.expect_error(lambda: client.create_organization(v1.CreateOrganizationRequest()), 409, "Organizations.1101")
    assert client.show_organization(v1.ShowOrganizationRequest()).organization.id == org.id


def test_duplicate_names_and_not_empty_deletes_are_refused(hw):
    client = hw()
    _, root = new_org(client)

    def ou(name, parent):
        return client.create_organizational_unit(
            v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name=name, parent_id=parent))
        ).organizational_unit

    dev = ou("dev", root.id)
    hwkit.expect_error(lambda: ou("dev", root.id), 409, "Organizations.1205")
    assert len(client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units) == 1

    scp = json.dumps({"Version": "5.0", "Statement": [{"Effect": "Deny", "Action": ["evs:volumes:create"], "Resource": ["*"]}]})
    body = v1.CreatePolicyReqBody(name="p1", description="", type="service_control_policy", content=scp)
    client.enable_policy_type(
        v1.EnablePolicyTypeRequest(body=v1.PolicyTypeReqBody(policy_type="service_control_policy", root_id=root.id))
    )
    policy = client.create_policy(v1.CreatePolicyRequest(body=body)).policy.policy_summary
    hwkit.expect_error(lambda: client.create_policy(v1.CreatePolicyRequest(body=body)), 409, "Organizations.1602")

    ou("team", dev.id)
    hwkit.expect_error(
        lambda: client.delete_organizational_unit(v1.DeleteOrganizationalUnitRequest(organizational_unit_id=dev.id)),
        400,
        "Organizations.1204",
    )
    client.attach_policy(v1.AttachPolicyRequest(policy_id=policy.id, body=v1.PolicyTachReqBody(entity_id=dev.id)))
    hwkit.expect_error(lambda: client.delete_policy(v1.DeletePolicyRequest(policy_id=policy.id)), 400, "Organizations.1603")
    new_account(client, "member")
    hwkit.expect_error(lambda: client.delete_organization(v1.DeleteOrganizationRequest()), 400, "Organizations.1102")
    # Nothing of it changed anything.
    assert len(client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units) == 2
    assert client.show_policy(v1.ShowPolicyRequest(policy_id=policy.id)).policy.policy_summary.name == "p1"


def test_closing_an_account_twice_answers_organizations_1325(hw, endpoint):
    client = hw()
    new_org(client)
    account = new_account(client, "closing")
    client.close_account(v1.CloseAccountRequest(account_id=account))
    hwkit.expect_error(lambda: client.close_account(v1.CloseAccountRequest(account_id=account)), 400, "Organizations.1325")


def test_a_cancelled_invitation_answers_organizations_1401(hw):
    client = hw()
    new_org(client)
    h = client.invite_account(
        v1.InviteAccountRequest(
            body=v1.InviteAccountReqBody(target=v1.TargetDto(type="account", entity=OUTSIDER), notes="hi")
        )
    ).handshake
    client.cancel_handshake(v1.CancelHandshakeRequest(handshake_id=h.id))
    hwkit.expect_error(lambda: client.cancel_handshake(v1.CancelHandshakeRequest(handshake_id=h.id)), 400, "Organizations.1401")
    hwkit.expect_error(
        lambda: hw(OUTSIDER).decline_handshake(v1.DeclineHandshakeRequest(handshake_id=h.id)), 400, "Organizations.1401"
    )


@pytest.mark.parametrize(
    "method,path,body,code",
    [
        ("POST", "/v1/organizations/organizational-units", b"{not json", "Organizations.1016"),
        ("POST", "/v1/organizations/organizational-units", b'{"name": "x"}', "Organizations.1016"),
        ("POST", "/v1/organizations/organizational-units", b'{"name": 7, "parent_id": "r-abcd"}', "Organizations.1016"),
        ("POST", "/v1/organizations/organizational-units", b"[]", "Organizations.1016"),
        ("POST", "/v1/organizations/accounts", b'{"name": ""}', "Organizations.1016"),
        (
            "POST",
            "/v1/organizations/policies",
            b'{"name": "p", "description": "", "type": "backup_policy", "content": "{}"}',
            None,
        ),
    ],
)
def test_a_malformed_body_answers_400_and_changes_nothing(hw, endpoint, method, path, body, code):
    client = hw()
    new_org(client)
    status, headers, answer = hwkit.http(endpoint, method, path, body, {"X-Domain-Id": MGMT})
    assert status == 400, (status, answer)
    assert isinstance(answer, dict) and str(answer.get("error_code", "")).startswith("Organizations."), answer
    assert code is None or answer["error_code"] == code, answer
    assert answer.get("error_msg")
    assert any(k.lower() == "x-request-id" for k in headers)
    assert client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units == []
    assert {a.id for a in client.list_accounts(v1.ListAccountsRequest()).accounts} == {MGMT}


def test_a_request_without_domain_id_gets_a_huawei_shaped_401(endpoint):
    status, headers, answer = hwkit.http(endpoint, "GET", "/v1/organizations")
    assert status == 401, (status, answer)
    assert isinstance(answer, dict) and answer.get("error_code") and answer.get("error_msg"), answer
    assert any(k.lower() == "x-request-id" for k in headers)


def test_paging_sees_every_item_exactly_once(hw):
    client = hw()
    _, root = new_org(client)
    ous = [
        client.create_organizational_unit(
            v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name=f"ou{i}", parent_id=root.id))
        ).organizational_unit.id
        for i in range(7)
    ]
    accounts = [new_account(client, f"acct{i}") for i in range(5)]

    for limit in (1, 2, 3, 7, 100):
        seen = hwkit.all_pages(
            lambda limit, marker: client.list_organizational_units(
                v1.ListOrganizationalUnitsRequest(parent_id=root.id, limit=limit, marker=marker)
            ),
            "organizational_units",
            limit,
        )
        ids = [o.id for o in seen]
        assert sorted(ids) == sorted(ous), f"limit={limit}"
        assert len(ids) == len(set(ids)), f"limit={limit}: an OU seen twice"

    seen = hwkit.all_pages(
        lambda limit, marker: client.list_accounts(v1.ListAccountsRequest(limit=limit, marker=marker)), "accounts", 2
    )
    ids = [a.id for a in seen]
    assert sorted(ids) == sorted(accounts + [MGMT]) and len(ids) == len(set(ids))

    seen = hwkit.all_pages(
        lambda limit, marker: client.list_entities(v1.ListEntitiesRequest(parent_id=root.id, limit=limit, marker=marker)),
        "entities",
        4,
    )
    ids = [e.id for e in seen]
    assert sorted(ids) == sorted(ous + accounts + [MGMT]) and len(ids) == len(set(ids))

    seen = hwkit.all_pages(
        lambda limit, marker: client.list_create_account_statuses(
            v1.ListCreateAccountStatusesRequest(limit=limit, marker=marker)
        ),
        "create_account_statuses",
        2,
    )
    assert sorted(s.account_id for s in seen) == sorted(accounts)

    # The last page says there is no more: no next_marker.
    last = client.list_organizational_units(v1.ListOrganizationalUnitsRequest(parent_id=root.id, limit=100))
    assert not (last.page_info and last.page_info.next_marker)
