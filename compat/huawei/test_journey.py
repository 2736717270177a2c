"""Journeys through every operation of the official SDK against orgd, area by
area, asserting what a user of the SDK relies on: success statuses, ids and
URNs in Huawei's formats (API.md section 2), snake_case members, lower-case
enums, ISO-8601 times, and that what one call did is what the next one sees.

test_the_journeys_call_every_operation checks that, together, they call all 69.
"""

import ast
import json
import pathlib
import time

import pytest
from huaweicloudsdkorganizations import v1

import hwkit
from hwkit import MGMT, is_time, raw_dict, snake_case_keys, unique, urn_of

SCP = json.dumps(
    {
        "Version": "5.0",
        "Statement": [{"Effect": "Deny", "Action": ["ram:resourceShares:create"], "Resource": ["*"]}],
    }
)
SCP2 = json.dumps(
    {
        "Version": "5.0",
        "Statement": [{"Effect": "Deny", "Action": ["evs:volumes:create"], "Resource": ["*"]}],
    }
)
TAG_POLICY = json.dumps(
    {
        "tags": {
            "costcenter": {
                "tag_key": {"@@assign": "CostCenter"},
                "tag_value": {"@@assign": ["100", "200"]},
            }
        }
    }
)


def check_shape(response):
    """Every answer: snake_case members only."""
    body = raw_dict(response)
    assert not snake_case_keys(body), f"members not in snake_case: {snake_case_keys(body)}"
    return body


def new_org(client):
    r = client.create_organization(v1.CreateOrganizationRequest())
    assert r.status_code == 201
    check_shape(r)
    root = client.list_roots(v1.ListRootsRequest()).roots[0]
    return r.organization, root


def wait_created(client, status, timeout=10):
    """Polls show_create_account_status until the request has finished."""
    deadline = time.time() + timeout
    while status.state == "in_progress":
        assert time.time() < deadline, f"account creation {status.id} still in progress"
        time.sleep(0.05)
        status = client.show_create_account_status(
            v1.ShowCreateAccountStatusRequest(create_account_status_id=status.id)
        ).create_account_status
    assert status.state == "succeeded", f"{status.state}: {status.failure_reason}"
    return status


def new_account(client, name=None):
    name = name or unique("acct")
    r = client.create_account(v1.CreateAccountRequest(body=v1.CreateAccountReqBody(name=name)))
    assert r.status_code == 202
    return wait_created(client, r.create_account_status).account_id


def join(hw, domain_id=None):
    """An outside account invited by id that accepts: returns its id."""
    domain_id = domain_id or hwkit.new_domain_id()
    hw(domain_id).list_received_handshakes(v1.ListReceivedHandshakesRequest())
    h = hw().invite_account(
        v1.InviteAccountRequest(
            body=v1.InviteAccountReqBody(target=v1.TargetDto(type="account", entity=domain_id), notes="join")
        )
    ).handshake
    hw(domain_id).accept_handshake(v1.AcceptHandshakeRequest(handshake_id=h.id))
    return domain_id


def test_organization_and_roots(hw):
    client = hw()
    r = client.create_organization(v1.CreateOrganizationRequest())
    assert r.status_code == 201
    org = r.organization
    assert hwkit.ORG_ID.match(org.id), org.id
    assert org.urn == urn_of("organization", MGMT, org.id)
    assert org.management_account_id == MGMT
    assert is_time(org.created_at)
    check_shape(r)

    shown = client.show_organization(v1.ShowOrganizationRequest())
    assert shown.status_code == 200
    assert shown.organization.id == org.id
    assert shown.organization.urn == org.urn

    roots = client.list_roots(v1.ListRootsRequest())
    assert roots.status_code == 200
    body = check_shape(roots)
    assert len(roots.roots) == 1
    root = roots.roots[0]
    assert hwkit.ROOT_ID.match(root.id), root.id
    assert root.urn == urn_of("root", MGMT, org.id, root.id)
    assert root.name
    assert is_time(root.created_at)
    assert isinstance(body["roots"][0]["policy_types"], list)
    assert "page_info" in body

    gone = client.delete_organization(v1.DeleteOrganizationRequest())
    assert gone.status_code == 204
    hwkit.expect_error(lambda: client.show_organization(v1.ShowOrganizationRequest()), 401, "Organizations.1015")


def test_organizational_units(hw):
    client = hw()
    org, root = new_org(client)
    r = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(
            body=v1.CreateOrganizationalUnitReqBody(
                name="dev", parent_id=root.id, tags=[v1.TagDto(key="env", value="dev")]
            )
        )
    )
    assert r.status_code == 201
    check_shape(r)
    ou = r.organizational_unit
    assert hwkit.OU_ID.match(ou.id), ou.id
    assert ou.urn == urn_of("ou", MGMT, org.id, ou.id)
    assert ou.name == "dev"
    assert is_time(ou.created_at)

    child = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="team", parent_id=ou.id))
    ).organizational_unit

    everything = client.list_organizational_units(v1.ListOrganizationalUnitsRequest())
    assert everything.status_code == 200
    assert {o.id for o in everything.organizational_units} == {ou.id, child.id}
    under_root = client.list_organizational_units(v1.ListOrganizationalUnitsRequest(parent_id=root.id))
    assert [o.id for o in under_root.organizational_units] == [ou.id]

    shown = client.show_organizational_unit(v1.ShowOrganizationalUnitRequest(organizational_unit_id=child.id))
    assert shown.status_code == 200
    assert shown.organizational_unit.name == "team"

    renamed = client.update_organizational_unit(
        v1.UpdateOrganizationalUnitRequest(
            organizational_unit_id=child.id, body=v1.UpdateOrganizationalUnitReqBody(name="platform")
        )
    )
    assert renamed.status_code == 200
    assert renamed.organizational_unit.name == "platform"
    assert renamed.organizational_unit.id == child.id

    tags = client.list_tags_for_resource(v1.ListTagsForResourceRequest(resource_id=ou.id)).tags
    assert [(t.key, t.value) for t in tags] == [("env", "dev")]

    assert (
        client.delete_organizational_unit(
            v1.DeleteOrganizationalUnitRequest(organizational_unit_id=child.id)
        ).status_code
        == 204
    )
    assert (
        client.delete_organizational_unit(v1.DeleteOrganizationalUnitRequest(organizational_unit_id=ou.id)).status_code
        == 204
    )
    assert client.list_organizational_units(v1.ListOrganizationalUnitsRequest()).organizational_units == []


def test_accounts_created_updated_moved_and_closed(hw):
    client = hw()
    org, root = new_org(client)
    r = client.create_account(
        v1.CreateAccountRequest(
            body=v1.CreateAccountReqBody(
                name="prod", email="prod@example.com", description="production",
                tags=[v1.TagDto(key="team", value="core")],
            )
        )
    )
    assert r.status_code == 202
    check_shape(r)
    status = r.create_account_status
    assert status.state in ("in_progress", "succeeded")
    assert status.account_name == "prod"
    assert is_time(status.created_at)
    done = wait_created(client, status)
    account_id = done.account_id
    assert hwkit.DOMAIN_ID.match(account_id), account_id
    assert is_time(done.completed_at)

    v2 = client.create_resource_account(
        v1.CreateResourceAccountRequest(body=v1.CreateResourceAccountReqBody(name="sandbox", description="v2"))
    )
    assert v2.status_code == 202
    sandbox_id = wait_created(client, v2.create_account_status).account_id

    statuses = client.list_create_account_statuses(v1.ListCreateAccountStatusesRequest(states=["succeeded"]))
    assert statuses.status_code == 200
    assert {s.account_id for s in statuses.create_account_statuses} == {account_id, sandbox_id}
    assert client.list_create_account_statuses(
        v1.ListCreateAccountStatusesRequest(states=["failed", "in_progress"])
    ).create_account_statuses == []

    shown = client.show_account(v1.ShowAccountRequest(account_id=account_id))
    assert shown.status_code == 200
    check_shape(shown)
    a = shown.account
    assert a.id == account_id
    assert a.urn == urn_of("account", MGMT, org.id, account_id)
    assert a.name == "prod"
    assert a.join_method == "created"
    assert a.status == "active"
    assert is_time(a.joined_at)
    assert a.description == "production"
    with_contact = client.show_account(v1.ShowAccountRequest(account_id=account_id, with_register_contact_info=True))
    assert with_contact.account.email == "prod@example.com"

    listed = client.list_accounts(v1.ListAccountsRequest())
    assert listed.status_code == 200
    assert {x.id for x in listed.accounts} == {MGMT, account_id, sandbox_id}
    assert client.list_accounts(v1.ListAccountsRequest(with_register_contact_info=True)).status_code == 200

    updated = client.update_account(
        v1.UpdateAccountRequest(account_id=account_id, body=v1.UpdateAccountReqBody(description="prod workloads"))
    )
    assert updated.status_code == 200
    assert updated.account.description == "prod workloads"
    cleared = client.update_account(v1.UpdateAccountRequest(account_id=account_id, body=v1.UpdateAccountReqBody(description="")))
    assert not cleared.account.description

    ou = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="prod", parent_id=root.id))
    ).organizational_unit
    moved = client.move_account(
        v1.MoveAccountRequest(
            account_id=account_id,
            body=v1.MoveAccountReqBody(source_parent_id=root.id, destination_parent_id=ou.id),
        )
    )
    assert moved.status_code == 200
    in_ou = client.list_accounts(v1.ListAccountsRequest(parent_id=ou.id)).accounts
    assert [x.id for x in in_ou] == [account_id]
    parent = client.list_entities(v1.ListEntitiesRequest(child_id=account_id)).entities
    assert [(e.id, e.type) for e in parent] == [(ou.id, "organizational_unit")]

    closed = client.close_account(v1.CloseAccountRequest(account_id=sandbox_id))
    assert closed.status_code == 200
    state = client.show_account(v1.ShowAccountRequest(account_id=sandbox_id)).account.status
    assert state in ("pending_closure", "suspended")
    closing = client.list_close_account_statuses(v1.ListCloseAccountStatusesRequest())
    assert closing.status_code == 200
    check_shape(closing)
    [c] = closing.close_account_statuses
    assert c.account_id == sandbox_id
    assert c.organization_id == org.id
    assert c.state in ("pending_closure", "suspended")
    assert is_time(c.created_at) and is_time(c.updated_at)
    assert client.list_close_account_statuses(
        v1.ListCloseAccountStatusesRequest(states=["pending_closure", "suspended"])
    ).close_account_statuses


def test_invitations_from_both_sides(hw):
    client = hw()
    org, root = new_org(client)
    guest = hwkit.new_domain_id()
    guest_client = hw(guest)
    assert guest_client.list_received_handshakes(v1.ListReceivedHandshakesRequest()).handshakes == []

    def invite(notes):
        r = client.invite_account(
            v1.InviteAccountRequest(
                body=v1.InviteAccountReqBody(
                    target=v1.TargetDto(type="account", entity=guest), notes=notes,
                    tags=[v1.TagDto(key="source", value="invite")],
                )
            )
        )
        assert r.status_code == 200
        check_shape(r)
        return r.handshake

    h = invite("please join")
    assert hwkit.HANDSHAKE_ID.match(h.id), h.id
    assert h.status == "pending"
    assert h.organization_id == org.id
    assert h.management_account_id == MGMT
    assert h.notes == "please join"
    assert (h.target.type, h.target.entity) == ("account", guest)
    assert h.urn and is_time(h.created_at) and is_time(h.expired_at) and is_time(h.updated_at)

    sent = client.list_handshakes(v1.ListHandshakesRequest())
    assert sent.status_code == 200
    assert [x.id for x in sent.handshakes] == [h.id]
    assert client.show_handshake(v1.ShowHandshakeRequest(handshake_id=h.id)).handshake.status == "pending"
    received = guest_client.list_received_handshakes(v1.ListReceivedHandshakesRequest())
    assert [x.id for x in received.handshakes] == [h.id]

    declined = guest_client.decline_handshake(v1.DeclineHandshakeRequest(handshake_id=h.id))
    assert declined.status_code == 200
    assert declined.handshake.status == "declined"

    h2 = invite("second try")
    cancelled = client.cancel_handshake(v1.CancelHandshakeRequest(handshake_id=h2.id))
    assert cancelled.status_code == 200
    assert cancelled.handshake.status == "cancelled"
    hwkit.expect_error(
        lambda: guest_client.accept_handshake(v1.AcceptHandshakeRequest(handshake_id=h2.id)), 400, "Organizations.1401"
    )

    h3 = invite("third time")
    accepted = guest_client.accept_handshake(v1.AcceptHandshakeRequest(handshake_id=h3.id))
    assert accepted.status_code == 200
    assert accepted.handshake.status == "accepted"
    member = client.show_account(v1.ShowAccountRequest(account_id=guest)).account
    assert member.join_method == "invited"
    assert member.urn == urn_of("account", MGMT, org.id, guest)
    tags = client.list_tags_for_resource(v1.ListTagsForResourceRequest(resource_id=guest)).tags
    assert ("source", "invite") in [(t.key, t.value) for t in tags]
    assert guest_client.show_organization(v1.ShowOrganizationRequest()).organization.id == org.id

    left = guest_client.leave_organization(v1.LeaveOrganizationRequest())
    assert left.status_code == 200
    hwkit.expect_error(lambda: guest_client.show_organization(v1.ShowOrganizationRequest()), 401, "Organizations.1015")

    join(hw, guest)
    removed = client.remove_account(v1.RemoveAccountRequest(account_id=guest))
    assert removed.status_code == 200
    assert guest not in {a.id for a in client.list_accounts(v1.ListAccountsRequest()).accounts}


def test_trusted_services_and_delegated_administrators(hw):
    client = hw()
    new_org(client)
    services = client.list_services(v1.ListServicesRequest())
    assert services.status_code == 200
    catalogue = services.services
    assert catalogue and all(isinstance(s, str) and s for s in catalogue)
    principal = catalogue[0]

    enabled = client.enable_trusted_service(
        v1.EnableTrustedServiceRequest(body=v1.TrustedServiceReqBody(service_principal=principal))
    )
    assert enabled.status_code == 200
    trusted = client.list_trusted_services(v1.ListTrustedServicesRequest())
    assert trusted.status_code == 200
    check_shape(trusted)
    assert [t.service_principal for t in trusted.trusted_services] == [principal]
    assert is_time(trusted.trusted_services[0].enabled_at)

    admin = new_account(client, "security")
    body = v1.DelegatedAdministratorReqBody(service_principal=principal, account_id=admin)
    registered = client.register_delegated_administrator(v1.RegisterDelegatedAdministratorRequest(body=body))
    assert registered.status_code == 201
    admins = client.list_delegated_administrators(v1.ListDelegatedAdministratorsRequest(service_principal=principal))
    assert admins.status_code == 200
    check_shape(admins)
    [d] = admins.delegated_administrators
    assert d.account_id == admin and d.account_name == "security" and d.join_method == "created"
    assert d.account_urn.endswith(f"/{admin}")
    assert is_time(d.delegation_enabled_at) and is_time(d.joined_at)
    delegated = client.list_delegated_services(v1.ListDelegatedServicesRequest(account_id=admin))
    assert delegated.status_code == 200
    assert [s.service_principal for s in delegated.delegated_services] == [principal]
    # The delegated administrator may now read the organization's accounts.
    assert admin in {a.id for a in hw(admin).list_accounts(v1.ListAccountsRequest()).accounts}

    deregistered = client.deregister_delegated_administrator(v1.DeregisterDelegatedAdministratorRequest(body=body))
    assert deregistered.status_code == 200
    hwkit.expect_error(
        lambda: client.deregister_delegated_administrator(v1.DeregisterDelegatedAdministratorRequest(body=body)),
        400,
        "Organizations.1500",
    )
    disabled = client.disable_trusted_service(
        v1.DisableTrustedServiceRequest(body=v1.TrustedServiceReqBody(service_principal=principal))
    )
    assert disabled.status_code == 200
    assert client.list_trusted_services(v1.ListTrustedServicesRequest()).trusted_services == []
    hwkit.expect_error(
        lambda: client.disable_trusted_service(
            v1.DisableTrustedServiceRequest(body=v1.TrustedServiceReqBody(service_principal=principal))
        ),
        400,
        "Organizations.1900",
    )


def test_policies_types_and_attachments(hw):
    client = hw()
    org, root = new_org(client)
    enabled = client.enable_policy_type(
        v1.EnablePolicyTypeRequest(body=v1.PolicyTypeReqBody(policy_type="service_control_policy", root_id=root.id))
    )
    assert enabled.status_code == 202
    assert enabled.root.id == root.id
    types = {t.type: t.status for t in client.list_roots(v1.ListRootsRequest()).roots[0].policy_types}
    assert types.get("service_control_policy") in ("enabled", "pending_enable")

    created = client.create_policy(
        v1.CreatePolicyRequest(
            x_language="en-us",
            body=v1.CreatePolicyReqBody(
                name="deny-shares", description="no RAM shares", type="service_control_policy", content=SCP,
                tags=[v1.TagDto(key="owner", value="sec")],
            ),
        )
    )
    assert created.status_code == 201
    check_shape(created)
    summary = created.policy.policy_summary
    assert hwkit.POLICY_ID.match(summary.id), summary.id
    assert summary.type == "service_control_policy"
    assert summary.is_builtin is False
    assert summary.name == "deny-shares" and summary.description == "no RAM shares"
    assert summary.urn and org.id in summary.urn
    assert json.loads(created.policy.content) == json.loads(SCP)

    listed = client.list_policies(v1.ListPoliciesRequest())
    assert listed.status_code == 200
    assert summary.id in {p.id for p in listed.policies}
    shown = client.show_policy(v1.ShowPolicyRequest(policy_id=summary.id))
    assert shown.status_code == 200
    assert shown.policy.policy_summary.name == "deny-shares"

    updated = client.update_policy(
        v1.UpdatePolicyRequest(policy_id=summary.id, body=v1.UpdatePolicyReqBody(name="deny-volumes", content=SCP2))
    )
    assert updated.status_code == 200
    assert updated.policy.policy_summary.name == "deny-volumes"
    assert updated.policy.policy_summary.description == "no RAM shares"
    assert json.loads(updated.policy.content) == json.loads(SCP2)

    ou = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="locked", parent_id=root.id))
    ).organizational_unit
    attached = client.attach_policy(v1.AttachPolicyRequest(policy_id=summary.id, body=v1.PolicyTachReqBody(entity_id=ou.id)))
    assert attached.status_code == 200
    entities = client.list_entities_for_policy(v1.ListEntitiesForPolicyRequest(policy_id=summary.id))
    assert entities.status_code == 200
    assert [(e.id, e.name, e.type) for e in entities.attached_entities] == [(ou.id, "locked", "organizational_unit")]
    on_ou = client.list_policies(v1.ListPoliciesRequest(attached_entity_id=ou.id)).policies
    assert summary.id in {p.id for p in on_ou}

    detached = client.detach_policy(v1.DetachPolicyRequest(policy_id=summary.id, body=v1.PolicyTachReqBody(entity_id=ou.id)))
    assert detached.status_code == 200
    assert summary.id not in {
        p.id for p in client.list_policies(v1.ListPoliciesRequest(attached_entity_id=ou.id)).policies
    }
    assert client.delete_policy(v1.DeletePolicyRequest(policy_id=summary.id)).status_code == 204
    hwkit.expect_error(lambda: client.show_policy(v1.ShowPolicyRequest(policy_id=summary.id)), 404)

    disabled = client.disable_policy_type(
        v1.DisablePolicyTypeRequest(body=v1.PolicyTypeReqBody(policy_type="service_control_policy", root_id=root.id))
    )
    assert disabled.status_code == 202
    types = {t.type: t.status for t in client.list_roots(v1.ListRootsRequest()).roots[0].policy_types}
    assert types.get("service_control_policy", "disabled") in ("disabled", "pending_disable")


def test_tag_policies_and_effective_policies(hw):
    client = hw()
    _, root = new_org(client)
    client.enable_policy_type(
        v1.EnablePolicyTypeRequest(body=v1.PolicyTypeReqBody(policy_type="tag_policy", root_id=root.id))
    )
    account = new_account(client, "billing")
    policy = client.create_policy(
        v1.CreatePolicyRequest(
            body=v1.CreatePolicyReqBody(name="cost", description="", type="tag_policy", content=TAG_POLICY)
        )
    ).policy.policy_summary
    assert policy.type == "tag_policy"
    client.attach_policy(v1.AttachPolicyRequest(policy_id=policy.id, body=v1.PolicyTachReqBody(entity_id=account)))
    eff = client.show_effective_policies(v1.ShowEffectivePoliciesRequest(entity_id=account, policy_type="tag_policy"))
    assert eff.status_code == 200
    check_shape(eff)
    assert eff.entity_id == account
    assert eff.policy_type == "tag_policy"
    assert is_time(eff.last_updated_at)
    assert "costcenter" in json.loads(eff.policy_content)["tags"]

    services = client.list_tag_policy_services(v1.ListTagPolicyServicesRequest())
    assert services.status_code == 200
    check_shape(services)
    assert services.services
    for s in services.services:
        assert s.service_name and isinstance(s.resource_types, list) and isinstance(s.support_all, bool)


def test_dry_run_configuration_and_policies(hw):
    client = hw()
    _, root = new_org(client)
    config = client.show_dry_run_config(v1.ShowDryRunConfigRequest(root_id=root.id, policy_type="service_control_policy"))
    assert config.status_code == 200
    check_shape(config)
    assert config.root.root_id == root.id
    assert config.root.status in ("enabled", "disabled", "pending_enable", "pending_disable")

    updated = client.update_dry_run_config(
        v1.UpdateDryRunConfigRequest(
            body=v1.UpdateDryRunConfigReqBody(
                policy_type="service_control_policy", root_id=root.id, status="enabled",
                bucket_name="dry-run-logs", region_id="cn-north-4", bucket_prefix="org/", agency_name="org-agency",
            )
        )
    )
    assert updated.status_code == 200
    assert updated.root.status in ("enabled", "pending_enable")
    assert updated.root.bucket_name == "dry-run-logs"
    assert updated.root.policy_type == "service_control_policy"
    assert is_time(updated.root.created_at) and is_time(updated.root.updated_at)

    created = client.create_dry_run_policy(
        v1.CreateDryRunPolicyRequest(
            body=v1.CreateDryRunPolicyReqBody(name="trial", description="simulate", type="service_control_policy", content=SCP)
        )
    )
    assert created.status_code == 201
    check_shape(created)
    p = created.policy.policy_summary
    assert hwkit.POLICY_ID.match(p.id), p.id
    assert p.type == "service_control_policy"

    listed = client.list_dry_run_policies(v1.ListDryRunPoliciesRequest())
    assert listed.status_code == 200
    assert [x.id for x in listed.policies] == [p.id]
    # A dry-run policy is not a policy: it never shows among the real ones.
    assert p.id not in {x.id for x in client.list_policies(v1.ListPoliciesRequest()).policies}
    assert client.show_dry_run_policy(v1.ShowDryRunPolicyRequest(policy_id=p.id)).policy.policy_summary.name == "trial"
    renamed = client.update_dry_run_policy(
        v1.UpdateDryRunPolicyRequest(policy_id=p.id, body=v1.UpdatePolicyReqBody(name="trial-2", content=SCP2))
    )
    assert renamed.status_code == 200
    assert renamed.policy.policy_summary.name == "trial-2"

    account = new_account(client, "sim")
    att = client.attach_dry_run_policy(v1.AttachDryRunPolicyRequest(policy_id=p.id, body=v1.PolicyTachReqBody(entity_id=account)))
    assert att.status_code == 200
    ents = client.list_entities_for_dry_run_policy(v1.ListEntitiesForDryRunPolicyRequest(policy_id=p.id))
    assert ents.status_code == 200
    assert [(e.id, e.type) for e in ents.attached_entities] == [(account, "account")]
    assert [x.id for x in client.list_dry_run_policies(v1.ListDryRunPoliciesRequest(attached_entity_id=account)).policies] == [p.id]
    det = client.detach_dry_run_policy(v1.DetachDryRunPolicyRequest(policy_id=p.id, body=v1.PolicyTachReqBody(entity_id=account)))
    assert det.status_code == 200
    assert client.list_entities_for_dry_run_policy(v1.ListEntitiesForDryRunPolicyRequest(policy_id=p.id)).attached_entities == []
    assert client.delete_dry_run_policy(v1.DeleteDryRunPolicyRequest(policy_id=p.id)).status_code == 204
    hwkit.expect_error(lambda: client.show_dry_run_policy(v1.ShowDryRunPolicyRequest(policy_id=p.id)), 404)


def test_tags_of_both_families_and_resource_queries(hw):
    client = hw()
    _, root = new_org(client)
    a = new_account(client, "alpha")
    b = new_account(client, "beta")
    new_account(client, "gamma")

    # AWS-style family, by id.
    tagged = client.tag_resource(
        v1.TagResourceRequest(resource_id=a, body=v1.TagResourceReqBody(tags=[v1.TagDto(key="env", value="prod"), v1.TagDto(key="k", value="")]))
    )
    assert tagged.status_code == 200
    tags = client.list_tags_for_resource(v1.ListTagsForResourceRequest(resource_id=a))
    assert tags.status_code == 200
    assert sorted((t.key, t.value) for t in tags.tags) == [("env", "prod"), ("k", "")]
    untagged = client.untag_resource(v1.UntagResourceRequest(resource_id=a, body=v1.UntagResourceReqBody(tag_keys=["k"])))
    assert untagged.status_code == 200
    assert [(t.key, t.value) for t in client.list_tags_for_resource(v1.ListTagsForResourceRequest(resource_id=a)).tags] == [("env", "prod")]

    # TMS-style family, with the resource type in the path (organizations%3Aaccounts on the wire).
    made = client.create_tag_resource(
        v1.CreateTagResourceRequest(
            resource_type="organizations:accounts", resource_id=b,
            body=v1.TagResourceReqBody(tags=[v1.TagDto(key="env", value="dev"), v1.TagDto(key="team", value="web")]),
        )
    )
    assert made.status_code == 200
    listed = client.list_tag_resources(v1.ListTagResourcesRequest(resource_type="organizations:accounts", resource_id=b))
    assert listed.status_code == 200
    assert sorted((t.key, t.value) for t in listed.tags) == [("env", "dev"), ("team", "web")]
    deleted = client.delete_tag_resource(
        v1.DeleteTagResourceRequest(
            resource_type="organizations:accounts", resource_id=b,
            body=v1.TagResourceReqBody(tags=[v1.TagDto(key="team", value="web")]),
        )
    )
    assert deleted.status_code == 200
    listed = client.list_tag_resources(v1.ListTagResourcesRequest(resource_type="organizations:accounts", resource_id=b))
    assert [(t.key, t.value) for t in listed.tags] == [("env", "dev")]
    ou = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="tagged", parent_id=root.id))
    ).organizational_unit
    client.create_tag_resource(
        v1.CreateTagResourceRequest(
            resource_type="organizations:ous", resource_id=ou.id,
            body=v1.TagResourceReqBody(tags=[v1.TagDto(key="env", value="prod")]),
        )
    )

    keys = client.list_resource_tags(v1.ListResourceTagsRequest(resource_type="organizations:accounts"))
    assert keys.status_code == 200
    check_shape(keys)
    assert {t.key: sorted(t.values) for t in keys.tags} == {"env": ["dev", "prod"]}

    def query(**body):
        return v1.ResourceInstanceReqBody(**body)

    prod = client.list_resource_instances(
        v1.ListResourceInstancesRequest(
            resource_type="organizations:accounts", body=query(tags=[v1.TagsDTO(key="env", values=["prod"])])
        )
    )
    assert prod.status_code == 200
    check_shape(prod)
    assert [r.resource_id for r in prod.resources] == [a]
    assert prod.total_count == 1
    assert [(t.key, t.value) for t in prod.resources[0].tags] == [("env", "prod")]
    assert prod.resources[0].resource_name == "alpha"
    either = client.list_resource_instances(
        v1.ListResourceInstancesRequest(
            resource_type="organizations:accounts", body=query(tags=[v1.TagsDTO(key="env", values=["prod", "dev"])])
        )
    )
    assert {r.resource_id for r in either.resources} == {a, b}
    bare = client.list_resource_instances(
        v1.ListResourceInstancesRequest(resource_type="organizations:accounts", body=query(without_any_tag=True))
    )
    assert b not in {r.resource_id for r in bare.resources} and a not in {r.resource_id for r in bare.resources}
    named = client.list_resource_instances(
        v1.ListResourceInstancesRequest(
            resource_type="organizations:accounts", body=query(matches=[v1.Match(key="account", value="bet")])
        )
    )
    assert [r.resource_id for r in named.resources] == [b]
    count = client.show_resource_instances_count(
        v1.ShowResourceInstancesCountRequest(
            resource_type="organizations:accounts", body=query(tags=[v1.TagsDTO(key="env", values=["prod", "dev"])])
        )
    )
    assert count.status_code == 200
    assert count.total_count == 2
    ous = client.show_resource_instances_count(
        v1.ShowResourceInstancesCountRequest(resource_type="organizations:ous", body=query(tags=[v1.TagsDTO(key="env", values=["prod"])]))
    )
    assert ous.total_count == 1


def test_entities_and_quotas(hw):
    client = hw()
    _, root = new_org(client)
    ou = client.create_organizational_unit(
        v1.CreateOrganizationalUnitRequest(body=v1.CreateOrganizationalUnitReqBody(name="ops", parent_id=root.id))
    ).organizational_unit
    account = new_account(client, "worker")

    everything = client.list_entities(v1.ListEntitiesRequest())
    assert everything.status_code == 200
    check_shape(everything)
    kinds = {(e.id, e.type) for e in everything.entities}
    assert {(root.id, "root"), (ou.id, "organizational_unit"), (account, "account"), (MGMT, "account")} <= kinds
    children = client.list_entities(v1.ListEntitiesRequest(parent_id=root.id)).entities
    assert {e.id for e in children} == {ou.id, account, MGMT}

    quotas = client.list_quotas(v1.ListQuotasRequest())
    assert quotas.status_code == 200
    check_shape(quotas)
    used = {q.type: q for q in quotas.quotas.resources}
    assert {"account", "organizational_unit", "policy"} <= set(used)
    assert used["account"].used == 2
    assert used["organizational_unit"].used == 1
    for q in used.values():
        assert q.min <= q.quota <= q.max and 0 <= q.used <= q.quota


@pytest.mark.offline
def test_the_journeys_call_every_operation():
    """Static: the SDK operations called in this file are all 69."""
    from test_coverage import operations

    tree = ast.parse(pathlib.Path(__file__).read_text())
    called = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    missing = sorted(set(operations()) - called)
    assert not missing, f"operations no journey calls: {missing}"
