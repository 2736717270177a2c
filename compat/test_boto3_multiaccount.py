"""Journeys that need several accounts, each played by its own boto3 client
(a 12-digit access key id makes the caller that account): invitations and
the other handshakes, leaving, enabling all features, trusted access,
delegated administrators and the resource policy. Every response is also
checked against the service model (conftest.py)."""

import datetime
import json
import re

import pytest

import orgkit
from orgkit import DAY_MS, MGMT, OUTSIDER, all_pages, error_of

HANDSHAKE_ID = re.compile(r"^h-[0-9a-z]{8,32}$")
RESOURCE_POLICY_ID = re.compile(r"^rp-[0-9a-zA-Z_]{4,128}$")

# Standalone accounts (in no organization until they join one).
ALICE = "222222222222"
BOB = "333333333333"
CAROL = "444444444444"
# Well-formed, but no such member in the organizations of these tests.
GHOST = "555555555555"

GUARDDUTY = "guardduty.amazonaws.com"
SSO = "sso.amazonaws.com"


def invite(c, target, kind="ACCOUNT", **kwargs):
    return c.invite_account_to_organization(Target={"Id": target, "Type": kind}, **kwargs)["Handshake"]


def resources_of(handshake):
    """{type: resource} of a handshake's top-level resources."""
    return {r["Type"]: r for r in handshake.get("Resources", [])}


def parties_of(handshake):
    return {(p["Type"], p["Id"]) for p in handshake["Parties"]}


def ids(items):
    return sorted(item["Id"] for item in items)


def raises(code, call, *args, reason=None, **kwargs):
    """Assert that call(...) fails with `code` (and `reason`, if given)."""
    with pytest.raises(Exception) as exc:
        call(*args, **kwargs)
    got_code, got_reason = error_of(exc)
    assert got_code == code, f"expected {code}, got {got_code}: {exc.value}"
    if reason is not None:
        assert got_reason == reason, f"expected Reason {reason}, got {got_reason}: {exc.value}"
    return exc.value


def member_of(c, org_id):
    return c.describe_organization()["Organization"]["Id"] == org_id


# --- invitations --------------------------------------------------------------


def test_invite_by_account_id_then_accept(org, client):
    alice = client(ALICE)
    sent = invite(
        org.client, ALICE, Notes="Welcome to the platform", Tags=[{"Key": "team", "Value": "blue"}]
    )
    assert HANDSHAKE_ID.match(sent["Id"]), sent["Id"]
    assert sent["Action"] == "INVITE"
    assert sent["State"] == "OPEN"
    assert sent["Arn"] == f"arn:aws:organizations::{MGMT}:handshake/{org.id}/invite/{sent['Id']}"
    assert parties_of(sent) == {("ORGANIZATION", org.id), ("ACCOUNT", ALICE)}
    lifetime = sent["ExpirationTimestamp"] - sent["RequestedTimestamp"]
    assert lifetime == datetime.timedelta(days=15), lifetime
    resources = resources_of(sent)
    assert resources["ORGANIZATION"]["Value"] == org.id
    nested = {r["Type"]: r["Value"] for r in resources["ORGANIZATION"]["Resources"]}
    assert nested["ORGANIZATION_FEATURE_SET"] == "ALL"
    assert nested["MASTER_EMAIL"] == org.organization["MasterAccountEmail"]
    assert resources["ACCOUNT"]["Value"] == ALICE
    assert resources["NOTES"]["Value"] == "Welcome to the platform"

    # The invitee sees the invitation with its own credentials.
    mine = all_pages(alice, "list_handshakes_for_account", "Handshakes")
    assert [h["Id"] for h in mine] == [sent["Id"]]
    assert alice.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "OPEN"
    raises("AWSOrganizationsNotInUseException", alice.describe_organization)

    accepted = alice.accept_handshake(HandshakeId=sent["Id"])["Handshake"]
    assert accepted["State"] == "ACCEPTED"
    assert accepted["Id"] == sent["Id"]

    assert member_of(alice, org.id)
    account = org.client.describe_account(AccountId=ALICE)["Account"]
    assert account["JoinedMethod"] == "INVITED"
    assert account["Status"] == "ACTIVE"
    assert account["Arn"] == f"arn:aws:organizations::{MGMT}:account/{org.id}/{ALICE}"
    # An accepted invitation puts the account in the root, with the tags of the invitation.
    assert org.client.list_parents(ChildId=ALICE)["Parents"] == [{"Id": org.root_id, "Type": "ROOT"}]
    assert org.client.list_tags_for_resource(ResourceId=ALICE)["Tags"] == [{"Key": "team", "Value": "blue"}]
    assert ALICE in ids(all_pages(org.client, "list_accounts", "Accounts"))
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "ACCEPTED"
    # Accepting twice.
    raises("HandshakeAlreadyInStateException", alice.accept_handshake, HandshakeId=sent["Id"])


def test_invite_by_email_then_accept(org, client):
    bob = client(BOB)
    # orgd knows an account once it has called; its contact address is
    # account-<id>@example.com.
    assert bob.list_handshakes_for_account()["Handshakes"] == []
    email = f"account-{BOB}@example.com"
    sent = invite(org.client, email, kind="EMAIL")
    assert parties_of(sent) == {("ORGANIZATION", org.id), ("EMAIL", email)}
    assert resources_of(sent)["EMAIL"]["Value"] == email

    mine = bob.list_handshakes_for_account()["Handshakes"]
    assert [h["Id"] for h in mine] == [sent["Id"]]
    bob.accept_handshake(HandshakeId=sent["Id"])
    assert member_of(bob, org.id)
    account = org.client.describe_account(AccountId=BOB)["Account"]
    assert account["JoinedMethod"] == "INVITED"
    assert account["Email"] == email


def test_only_the_recipient_responds(org, client):
    sent = invite(org.client, ALICE)
    bob = client(BOB)
    # Another account neither sees nor answers the invitation.
    assert bob.list_handshakes_for_account()["Handshakes"] == []
    with pytest.raises(Exception) as exc:
        bob.accept_handshake(HandshakeId=sent["Id"])
    assert error_of(exc)[0] in ("HandshakeNotFoundException", "AccessDeniedException"), exc.value
    with pytest.raises(Exception) as exc:
        bob.describe_handshake(HandshakeId=sent["Id"])
    assert error_of(exc)[0] in ("HandshakeNotFoundException", "AccessDeniedException"), exc.value
    # The sender cannot accept on the recipient's behalf.
    with pytest.raises(Exception) as exc:
        org.client.accept_handshake(HandshakeId=sent["Id"])
    assert error_of(exc)[0] in ("AccessDeniedException", "HandshakeNotFoundException"), exc.value
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "OPEN"


def test_the_recipient_cannot_cancel(org, client):
    sent = invite(org.client, ALICE)
    # The recipient declines instead; cancelling is the sender's.
    with pytest.raises(Exception) as exc:
        client(ALICE).cancel_handshake(HandshakeId=sent["Id"])
    assert error_of(exc)[0] in ("AccessDeniedException", "HandshakeNotFoundException"), exc.value
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "OPEN"


def test_decline(org, client):
    alice = client(ALICE)
    sent = invite(org.client, ALICE)
    declined = alice.decline_handshake(HandshakeId=sent["Id"])["Handshake"]
    assert declined["State"] == "DECLINED"
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "DECLINED"
    raises("HandshakeAlreadyInStateException", alice.decline_handshake, HandshakeId=sent["Id"])
    raises("InvalidHandshakeTransitionException", alice.accept_handshake, HandshakeId=sent["Id"])
    raises("InvalidHandshakeTransitionException", org.client.cancel_handshake, HandshakeId=sent["Id"])
    raises("AWSOrganizationsNotInUseException", alice.describe_organization)
    # A declined invitation is no obstacle to a new one.
    again = invite(org.client, ALICE)
    assert again["Id"] != sent["Id"]


def test_cancel(org, client):
    alice = client(ALICE)
    sent = invite(org.client, ALICE)
    canceled = org.client.cancel_handshake(HandshakeId=sent["Id"])["Handshake"]
    assert canceled["State"] == "CANCELED"
    assert alice.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "CANCELED"
    raises("HandshakeAlreadyInStateException", org.client.cancel_handshake, HandshakeId=sent["Id"])
    raises("InvalidHandshakeTransitionException", alice.accept_handshake, HandshakeId=sent["Id"])
    raises("InvalidHandshakeTransitionException", alice.decline_handshake, HandshakeId=sent["Id"])
    raises("HandshakeNotFoundException", org.client.cancel_handshake, HandshakeId="h-doesnotexist1")
    again = invite(org.client, ALICE)
    alice.accept_handshake(HandshakeId=again["Id"])
    assert member_of(alice, org.id)


def test_duplicate_invitation(org, client):
    invite(org.client, ALICE)
    raises("DuplicateHandshakeException", invite, org.client, ALICE)


def test_inviting_a_member_of_the_organization(org, new_account):
    member = new_account()
    raises(
        "HandshakeConstraintViolationException",
        invite,
        org.client,
        member,
        reason="ALREADY_IN_AN_ORGANIZATION",
    )
    raises(
        "HandshakeConstraintViolationException",
        invite,
        org.client,
        MGMT,
        reason="ALREADY_IN_AN_ORGANIZATION",
    )


def test_invitee_in_another_organization_must_leave_it_first(org, client):
    alice = client(ALICE)
    sent = invite(org.client, ALICE)
    alice.create_organization(FeatureSet="ALL")
    raises(
        "HandshakeConstraintViolationException",
        alice.accept_handshake,
        HandshakeId=sent["Id"],
        reason="ALREADY_IN_AN_ORGANIZATION",
    )
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "OPEN"
    alice.delete_organization()
    alice.accept_handshake(HandshakeId=sent["Id"])
    assert member_of(alice, org.id)


def test_handshake_listings_and_filters(org, client):
    c = org.client
    sent = [invite(c, account) for account in (ALICE, BOB, CAROL)]
    listed = all_pages(c, "list_handshakes_for_organization", "Handshakes", PaginationConfig={"PageSize": 1})
    assert sorted(h["Id"] for h in listed) == sorted(h["Id"] for h in sent)

    invites = all_pages(
        c, "list_handshakes_for_organization", "Handshakes", Filter={"ActionType": "INVITE"}
    )
    assert len(invites) == 3
    assert c.list_handshakes_for_organization(Filter={"ActionType": "ENABLE_ALL_FEATURES"})["Handshakes"] == []
    assert c.list_handshakes_for_organization(Filter={"ParentHandshakeId": sent[0]["Id"]})["Handshakes"] == []
    raises(
        "InvalidInputException",
        c.list_handshakes_for_organization,
        Filter={"ActionType": "INVITE", "ParentHandshakeId": sent[0]["Id"]},
        reason="MAX_LIMIT_EXCEEDED_FILTER",
    )

    # Each recipient lists only its own.
    bob = client(BOB)
    assert [h["Id"] for h in bob.list_handshakes_for_account(Filter={"ActionType": "INVITE"})["Handshakes"]] == [
        sent[1]["Id"]
    ]
    assert bob.list_handshakes_for_account(Filter={"ActionType": "APPROVE_ALL_FEATURES"})["Handshakes"] == []

    # Completed handshakes stay listed with their final state.
    client(ALICE).decline_handshake(HandshakeId=sent[0]["Id"])
    c.cancel_handshake(HandshakeId=sent[2]["Id"])
    states = {h["Id"]: h["State"] for h in all_pages(c, "list_handshakes_for_organization", "Handshakes")}
    assert states == {sent[0]["Id"]: "DECLINED", sent[1]["Id"]: "OPEN", sent[2]["Id"]: "CANCELED"}

    # A member that is not a delegated administrator may not list the organization's handshakes.
    bob.accept_handshake(HandshakeId=sent[1]["Id"])
    raises("AccessDeniedException", bob.list_handshakes_for_organization)
    raises("AWSOrganizationsNotInUseException", client(OUTSIDER).list_handshakes_for_organization)


def test_invitation_expires_after_15_days(org, client, endpoint):
    alice = client(ALICE)
    sent = invite(org.client, ALICE)
    orgkit.advance_clock(endpoint, 15 * DAY_MS - 60_000)
    assert alice.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "OPEN"
    orgkit.advance_clock(endpoint, 120_000)
    assert alice.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "EXPIRED"
    listed = org.client.list_handshakes_for_organization()["Handshakes"]
    assert [(h["Id"], h["State"]) for h in listed] == [(sent["Id"], "EXPIRED")]
    raises("InvalidHandshakeTransitionException", alice.accept_handshake, HandshakeId=sent["Id"])
    # An expired invitation does not block a new one.
    again = invite(org.client, ALICE)
    alice.accept_handshake(HandshakeId=again["Id"])
    assert member_of(alice, org.id)


def test_completed_handshakes_are_kept_30_days(org, client, endpoint):
    alice = client(ALICE)
    sent = invite(org.client, ALICE)
    alice.accept_handshake(HandshakeId=sent["Id"])
    orgkit.advance_clock(endpoint, 29 * DAY_MS)
    assert org.client.describe_handshake(HandshakeId=sent["Id"])["Handshake"]["State"] == "ACCEPTED"
    orgkit.advance_clock(endpoint, 2 * DAY_MS)
    raises("HandshakeNotFoundException", org.client.describe_handshake, HandshakeId=sent["Id"])
    assert org.client.list_handshakes_for_organization()["Handshakes"] == []


def test_invitation_rate_limit(org, endpoint):
    # At most 20 invitations a day per organization.
    for n in range(20):
        invite(org.client, f"7000000000{n:02d}")
    raises(
        "HandshakeConstraintViolationException",
        invite,
        org.client,
        "700000000099",
        reason="HANDSHAKE_RATE_LIMIT_EXCEEDED",
    )
    orgkit.advance_clock(endpoint, DAY_MS + 60_000)
    invite(org.client, "700000000099")


# --- leaving ------------------------------------------------------------------


def test_an_invited_member_leaves(org, client):
    alice = client(ALICE)
    alice.accept_handshake(HandshakeId=invite(org.client, ALICE)["Id"])
    alice.leave_organization()
    raises("AWSOrganizationsNotInUseException", alice.describe_organization)
    assert ALICE not in ids(all_pages(org.client, "list_accounts", "Accounts"))
    raises("AccountNotFoundException", org.client.describe_account, AccountId=ALICE)
    # Standalone again, it can be invited anew.
    alice.accept_handshake(HandshakeId=invite(org.client, ALICE)["Id"])
    assert member_of(alice, org.id)


def test_the_management_account_cannot_leave(org):
    raises("MasterCannotLeaveOrganizationException", org.client.leave_organization)
    raises("MasterCannotLeaveOrganizationException", org.client.remove_account_from_organization, AccountId=MGMT)


# --- enabling all features ----------------------------------------------------


def test_enable_all_features_with_member_approvals(mgmt, client):
    organization = mgmt.create_organization(FeatureSet="CONSOLIDATED_BILLING")["Organization"]
    alice, bob = client(ALICE), client(BOB)
    for account, c in ((ALICE, alice), (BOB, bob)):
        c.accept_handshake(HandshakeId=invite(mgmt, account)["Id"])
    created = orgkit.create_account(mgmt)  # created accounts need not approve
    # Trusted access needs all features.
    raises(
        "ConstraintViolationException",
        mgmt.enable_aws_service_access,
        ServicePrincipal=SSO,
        reason="ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
    )

    parent = mgmt.enable_all_features()["Handshake"]
    assert parent["Action"] == "ENABLE_ALL_FEATURES"
    assert parent["State"] == "REQUESTED"
    assert ("ORGANIZATION", organization["Id"]) in parties_of(parent)

    approvals = all_pages(
        mgmt, "list_handshakes_for_organization", "Handshakes", Filter={"ParentHandshakeId": parent["Id"]}
    )
    assert len(approvals) == 2, approvals
    assert {h["Action"] for h in approvals} == {"APPROVE_ALL_FEATURES"}
    recipients = set()
    for h in approvals:
        recipients |= {p["Id"] for p in h["Parties"] if p["Type"] == "ACCOUNT"}
        assert resources_of(h)["PARENT_HANDSHAKE"]["Value"] == parent["Id"]
    assert recipients == {ALICE, BOB}
    assert created not in recipients

    # While the change is pending: no invitations, no second request, and the
    # management account cannot finalize yet.
    raises(
        "HandshakeConstraintViolationException",
        invite,
        mgmt,
        CAROL,
        reason="INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
    )
    raises(
        "HandshakeConstraintViolationException",
        mgmt.enable_all_features,
        reason="ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
    )
    raises("InvalidHandshakeTransitionException", mgmt.accept_handshake, HandshakeId=parent["Id"])

    for c in (alice, bob):
        mine = c.list_handshakes_for_account(Filter={"ActionType": "APPROVE_ALL_FEATURES"})["Handshakes"]
        assert len(mine) == 1 and mine[0]["State"] == "OPEN", mine
        assert c.accept_handshake(HandshakeId=mine[0]["Id"])["Handshake"]["State"] == "ACCEPTED"

    # Everyone approved: the management account finalizes the change.
    assert mgmt.describe_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "OPEN"
    assert mgmt.accept_handshake(HandshakeId=parent["Id"])["Handshake"]["State"] == "ACCEPTED"
    assert mgmt.describe_organization()["Organization"]["FeatureSet"] == "ALL"
    raises(
        "HandshakeConstraintViolationException",
        mgmt.enable_all_features,
        reason="ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
    )
    mgmt.enable_aws_service_access(ServicePrincipal=SSO)
    invite(mgmt, CAROL)


# --- trusted access -----------------------------------------------------------


def test_trusted_access(org, client, new_account):
    c = org.client
    assert c.list_aws_service_access_for_organization()["EnabledServicePrincipals"] == []
    c.enable_aws_service_access(ServicePrincipal=GUARDDUTY)
    c.enable_aws_service_access(ServicePrincipal=SSO)
    enabled = all_pages(
        c, "list_aws_service_access_for_organization", "EnabledServicePrincipals", PaginationConfig={"PageSize": 1}
    )
    assert sorted(e["ServicePrincipal"] for e in enabled) == [GUARDDUTY, SSO]
    assert all(isinstance(e["DateEnabled"], datetime.datetime) for e in enabled)

    c.disable_aws_service_access(ServicePrincipal=GUARDDUTY)
    enabled = c.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [e["ServicePrincipal"] for e in enabled] == [SSO]

    raises(
        "InvalidInputException",
        c.enable_aws_service_access,
        ServicePrincipal="notaservice.amazonaws.com",
        reason="UNRECOGNIZED_SERVICE_PRINCIPAL",
    )
    member = client(new_account())
    raises("AccessDeniedException", member.enable_aws_service_access, ServicePrincipal=GUARDDUTY)
    raises("AccessDeniedException", member.list_aws_service_access_for_organization)
    raises(
        "AWSOrganizationsNotInUseException",
        client(OUTSIDER).enable_aws_service_access,
        ServicePrincipal=GUARDDUTY,
    )


# --- delegated administrators -------------------------------------------------


def test_delegated_administrator_has_the_model_members(org, new_account):
    admin_id = new_account()
    org.client.enable_aws_service_access(ServicePrincipal=GUARDDUTY)
    org.client.register_delegated_administrator(AccountId=admin_id, ServicePrincipal=GUARDDUTY)
    org.client.list_delegated_administrators()


def test_delegated_administrators(org, client, new_account, endpoint):
    c = org.client
    admin_id = new_account(name="security-tooling")
    other_id = new_account()
    raises(
        "ConstraintViolationException",
        c.register_delegated_administrator,
        AccountId=admin_id,
        ServicePrincipal=GUARDDUTY,
        reason="SERVICE_ACCESS_NOT_ENABLED",
    )
    c.enable_aws_service_access(ServicePrincipal=GUARDDUTY)
    raises(
        "ConstraintViolationException",
        c.register_delegated_administrator,
        AccountId=MGMT,
        ServicePrincipal=GUARDDUTY,
        reason="CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
    )
    raises(
        "AccountNotFoundException",
        c.register_delegated_administrator,
        AccountId=GHOST,
        ServicePrincipal=GUARDDUTY,
    )
    raises(
        "InvalidInputException",
        c.register_delegated_administrator,
        AccountId=admin_id,
        ServicePrincipal="notaservice.amazonaws.com",
        reason="UNRECOGNIZED_SERVICE_PRINCIPAL",
    )

    c.register_delegated_administrator(AccountId=admin_id, ServicePrincipal=GUARDDUTY)
    raises(
        "AccountAlreadyRegisteredException",
        c.register_delegated_administrator,
        AccountId=admin_id,
        ServicePrincipal=GUARDDUTY,
    )

    admins = all_pages(c, "list_delegated_administrators", "DelegatedAdministrators")
    assert [a["Id"] for a in admins] == [admin_id]
    admin = admins[0]
    assert admin["Name"] == "security-tooling"
    assert admin["JoinedMethod"] == "CREATED"
    assert admin["Status"] == "ACTIVE"
    assert isinstance(admin["DelegationEnabledDate"], datetime.datetime)
    filtered = c.list_delegated_administrators(ServicePrincipal=GUARDDUTY)["DelegatedAdministrators"]
    assert [a["Id"] for a in filtered] == [admin_id]
    assert c.list_delegated_administrators(ServicePrincipal=SSO)["DelegatedAdministrators"] == []
    services = c.list_delegated_services_for_account(AccountId=admin_id)["DelegatedServices"]
    assert [s["ServicePrincipal"] for s in services] == [GUARDDUTY]
    raises("AccountNotRegisteredException", c.list_delegated_services_for_account, AccountId=other_id)

    # The delegated administrator reads the organization but does not change it.
    delegate = client(admin_id)
    listed = all_pages(delegate, "list_accounts", "Accounts")
    assert sorted(a["Id"] for a in listed) == sorted([MGMT, admin_id, other_id])
    assert delegate.describe_organization()["Organization"]["Id"] == org.id
    assert [a["Id"] for a in delegate.list_delegated_administrators()["DelegatedAdministrators"]] == [admin_id]
    raises(
        "AccessDeniedException",
        delegate.create_organizational_unit,
        ParentId=org.root_id,
        Name="not-allowed",
    )
    raises("AccessDeniedException", delegate.register_delegated_administrator, AccountId=other_id, ServicePrincipal=GUARDDUTY)
    # A plain member does neither.
    raises("AccessDeniedException", client(other_id).list_accounts)

    # An administrator cannot be taken out of the organization while registered.
    raises(
        "ConstraintViolationException",
        c.remove_account_from_organization,
        AccountId=admin_id,
        reason="CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
    )

    c.deregister_delegated_administrator(AccountId=admin_id, ServicePrincipal=GUARDDUTY)
    raises(
        "AccountNotRegisteredException",
        c.deregister_delegated_administrator,
        AccountId=admin_id,
        ServicePrincipal=GUARDDUTY,
    )
    assert c.list_delegated_administrators()["DelegatedAdministrators"] == []
    raises("AccessDeniedException", delegate.list_accounts)
    orgkit.advance_clock(endpoint, 7 * DAY_MS)
    c.remove_account_from_organization(AccountId=admin_id)


# --- the resource policy ------------------------------------------------------


def resource_policy_document(account_id):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DelegateReads",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": ["organizations:DescribeOrganization", "organizations:ListAccounts"],
                    "Resource": "*",
                }
            ],
        }
    )


def test_resource_policy(org, client, new_account):
    c = org.client
    member = new_account()
    raises("ResourcePolicyNotFoundException", c.describe_resource_policy)
    raises("ResourcePolicyNotFoundException", c.delete_resource_policy)

    content = resource_policy_document(member)
    put = c.put_resource_policy(Content=content, Tags=[{"Key": "owner", "Value": "platform"}])["ResourcePolicy"]
    summary = put["ResourcePolicySummary"]
    assert RESOURCE_POLICY_ID.match(summary["Id"]), summary
    assert summary["Arn"] == f"arn:aws:organizations::{MGMT}:resourcepolicy/{org.id}/{summary['Id']}"
    assert json.loads(put["Content"]) == json.loads(content)

    described = c.describe_resource_policy()["ResourcePolicy"]
    assert described["ResourcePolicySummary"] == summary
    assert json.loads(described["Content"]) == json.loads(content)
    assert c.list_tags_for_resource(ResourceId=summary["Id"])["Tags"] == [{"Key": "owner", "Value": "platform"}]

    # Putting again replaces the content of the same policy.
    replaced = json.loads(content)
    replaced["Statement"][0]["Sid"] = "DelegateReadsV2"
    again = c.put_resource_policy(Content=json.dumps(replaced))["ResourcePolicy"]
    assert again["ResourcePolicySummary"]["Id"] == summary["Id"]
    assert json.loads(c.describe_resource_policy()["ResourcePolicy"]["Content"]) == replaced

    raises("InvalidInputException", c.put_resource_policy, Content="{not json", reason="INVALID_RESOURCE_POLICY_JSON")
    raises("AccessDeniedException", client(member).put_resource_policy, Content=content)
    raises("AWSOrganizationsNotInUseException", client(OUTSIDER).describe_resource_policy)

    c.delete_resource_policy()
    raises("ResourcePolicyNotFoundException", c.describe_resource_policy)
    raises("ResourcePolicyNotFoundException", c.delete_resource_policy)
