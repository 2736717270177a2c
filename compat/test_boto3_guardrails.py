"""Service control policies that bind member accounts, as boto3 sees them:
AccessDeniedException with IAM's access-denied text, the same over raw HTTP
(the JSON 1.1 error shape), and the policy simulator (POST /_orgd/simulate)."""

import json

import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import MGMT

DENY_LEAVE = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Sid": "DenyLeaving", "Effect": "Deny",
                   "Action": "organizations:LeaveOrganization", "Resource": "*"}],
})


def enable_scps(org):
    types = org.client.list_roots()["Roots"][0]["PolicyTypes"]
    if not any(t["Type"] == "SERVICE_CONTROL_POLICY" for t in types):
        org.client.enable_policy_type(RootId=org.root_id, PolicyType="SERVICE_CONTROL_POLICY")


def deny_leave_on(org, target):
    enable_scps(org)
    policy = org.client.create_policy(
        Name="deny-leave", Description="", Type="SERVICE_CONTROL_POLICY", Content=DENY_LEAVE
    )["Policy"]["PolicySummary"]
    org.client.attach_policy(PolicyId=policy["Id"], TargetId=target)
    return policy


def test_a_member_denied_by_an_scp_gets_access_denied_with_iams_text(
    org, client, new_account, endpoint
):
    member = new_account()
    ou = org.client.create_organizational_unit(ParentId=org.root_id, Name="guarded")[
        "OrganizationalUnit"]["Id"]
    org.client.move_account(AccountId=member, SourceParentId=org.root_id, DestinationParentId=ou)
    policy = deny_leave_on(org, ou)

    with pytest.raises(ClientError) as exc:
        client(member).leave_organization()
    error = exc.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Message"] == (
        f"User: arn:aws:iam::{member}:root is not authorized to perform: "
        "organizations:LeaveOrganization with an explicit deny in a service control policy: "
        f"{policy['Arn']}"
    )
    # The management account is never restricted, even by an SCP on the root.
    org.client.attach_policy(PolicyId=policy["Id"], TargetId=org.root_id)
    org.client.describe_organization()

    org.client.detach_policy(PolicyId=policy["Id"], TargetId=org.root_id)
    org.client.detach_policy(PolicyId=policy["Id"], TargetId=ou)
    # A created account may leave once AWS's 7-day waiting period is over.
    orgkit.advance_clock(endpoint, 7 * orgkit.DAY_MS)
    client(member).leave_organization()


def test_the_denial_has_aws_json_error_shape_on_the_wire(endpoint, org, new_account):
    member = new_account()
    deny_leave_on(org, member)
    status, headers, body = orgkit.raw_call(endpoint, "LeaveOrganization", account_id=member)
    assert status == 400
    answer = json.loads(body)
    assert set(answer) == {"__type", "Message"}, answer
    assert answer["__type"] == "AccessDeniedException"
    assert "with an explicit deny in a service control policy" in answer["Message"]


def test_the_simulator_explains_the_decision(endpoint, org, new_account):
    member = new_account()
    policy = deny_leave_on(org, member)
    request = {"account_id": member, "action": "organizations:LeaveOrganization",
               "context": {"aws:RequestedRegion": "us-east-1"}}
    status, _, body = orgkit.http(endpoint, "POST", "/_orgd/simulate",
                                  json.dumps(request).encode(),
                                  {"Content-Type": "application/json"})
    assert status == 200, body
    answer = json.loads(body)
    assert answer["decision"] == "denied"
    decided = [p for p in answer["policies"] if p["decided"]]
    assert [(p["id"], p["arn"], p["target_id"]) for p in decided] == [
        (policy["Id"], policy["Arn"], member)]
    assert decided[0]["statements"] == [{"index": 0, "sid": "DenyLeaving", "effect": "Deny"}]

    status, _, body = orgkit.http(endpoint, "POST", "/_orgd/simulate", b'{"account_id": 1}',
                                  {"Content-Type": "application/json"})
    assert status == 400
    assert json.loads(body)["error"] == "InvalidRequest"
