"""What scripts notice about AWS beyond shapes: AWS's own error texts, the
quotas AWS documents, closed accounts leaving after the post-closure period,
unknown operations named in the protocol they were asked in, the deprecated
AvailablePolicyTypes as AWS fills it. Sources for each text are in
crates/orgd/src/aws/errors.rs."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import DAY_MS, MGMT, OUTSIDER, error_of


def message_of(exc_info):
    return exc_info.value.response["Error"]["Message"]


def scp(name):
    content = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": f"{name}:*", "Resource": "*"}]}
    )
    return content


# --- AWS's texts, where an observed response is the source ---------------------


def test_observed_error_texts(org, new_account, client):
    c = org.client
    with pytest.raises(ClientError) as exc:
        c.describe_account(AccountId="210987654321")
    assert error_of(exc)[0] == "AccountNotFoundException"
    assert message_of(exc) == "You specified an account that doesn't exist."

    with pytest.raises(ClientError) as exc:
        client(OUTSIDER).describe_organization()
    assert message_of(exc) == "Your account is not a member of an organization."

    with pytest.raises(ClientError) as exc:
        client(new_account()).list_accounts()
    assert error_of(exc)[0] == "AccessDeniedException"
    assert message_of(exc) == "You don't have permissions to access this resource."

    c.enable_policy_type(RootId=org.root_id, PolicyType="SERVICE_CONTROL_POLICY")
    c.create_policy(Name="same", Description="", Type="SERVICE_CONTROL_POLICY", Content=scp("s3"))
    with pytest.raises(ClientError) as exc:
        c.create_policy(Name="same", Description="", Type="SERVICE_CONTROL_POLICY", Content=scp("ec2"))
    assert error_of(exc)[0] == "DuplicatePolicyException"
    assert message_of(exc) == "A policy with the specified name and type already exists."

    # FullAWSAccess is attached to the root already: nine more make ten.
    for i in range(9):
        policy = c.create_policy(Name=f"p{i}", Description="", Type="SERVICE_CONTROL_POLICY", Content=scp(f"s{i}"))
        c.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=org.root_id)
    extra = c.create_policy(Name="extra", Description="", Type="SERVICE_CONTROL_POLICY", Content=scp("x"))
    with pytest.raises(ClientError) as exc:
        c.attach_policy(PolicyId=extra["Policy"]["PolicySummary"]["Id"], TargetId=org.root_id)
    assert error_of(exc) == ("ConstraintViolationException", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
    assert message_of(exc) == "You have attached the maximum number of policies to the specified target."

    c.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    with pytest.raises(ClientError) as exc:
        c.register_delegated_administrator(AccountId=MGMT, ServicePrincipal="guardduty.amazonaws.com")
    assert error_of(exc) == ("ConstraintViolationException", "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR")
    assert message_of(exc) == (
        "You cannot register management account/yourself as delegated administrator for your organization."
    )
    admin = new_account()
    c.register_delegated_administrator(AccountId=admin, ServicePrincipal="guardduty.amazonaws.com")
    with pytest.raises(ClientError) as exc:
        c.register_delegated_administrator(AccountId=admin, ServicePrincipal="guardduty.amazonaws.com")
    assert message_of(exc) == "The provided account is already a delegated administrator for your organization."


def test_invalid_input_texts_are_the_reasons_naming_no_member(org):
    c = org.client
    # Observed for TagResource and for a policy target of ListPoliciesForTarget alike.
    pattern = "You provided a value that does not match the required pattern."
    with pytest.raises(ClientError) as exc:
        c.tag_resource(ResourceId="0A000000X000", Tags=[{"Key": "k", "Value": "v"}])
    assert error_of(exc) == ("InvalidInputException", "INVALID_PATTERN")
    assert message_of(exc) == pattern
    with pytest.raises(ClientError) as exc:
        c.list_policies_for_target(TargetId="ROOT_OR_OU_ID", Filter="SERVICE_CONTROL_POLICY")
    assert error_of(exc) == ("InvalidInputException", "INVALID_PATTERN_TARGET_ID")
    assert message_of(exc) == pattern
    # No observed text: the reason's documented one.
    with pytest.raises(ClientError) as exc:
        c.list_children(ParentId=org.root_id, ChildType="BLEE")
    assert error_of(exc) == ("InvalidInputException", "INVALID_ENUM")
    assert message_of(exc) == "You specified an invalid value."
    for call in (c.enable_aws_service_access, c.disable_aws_service_access):
        with pytest.raises(ClientError) as exc:
            call(ServicePrincipal="moto.amazonaws.com")
        assert error_of(exc) == ("InvalidInputException", "UNRECOGNIZED_SERVICE_PRINCIPAL")
        assert message_of(exc) == "You specified an unrecognized service principal."


# --- quotas ------------------------------------------------------------------------


def test_a_created_account_is_removable_seven_days_after_its_creation(org, new_account, client, endpoint):
    account = new_account()
    with pytest.raises(ClientError) as exc:
        org.client.remove_account_from_organization(AccountId=account)
    assert error_of(exc) == ("ConstraintViolationException", "WAIT_PERIOD_ACTIVE")
    with pytest.raises(ClientError) as exc:
        client(account).leave_organization()
    assert error_of(exc) == ("ConstraintViolationException", "WAIT_PERIOD_ACTIVE")
    orgkit.advance_clock(endpoint, 7 * DAY_MS)
    org.client.remove_account_from_organization(AccountId=account)


def test_closing_is_limited_to_ten_accounts_in_thirty_days(org, new_account, endpoint):
    accounts = [new_account() for _ in range(11)]
    for account in accounts[:10]:
        org.client.close_account(AccountId=account)
    with pytest.raises(ClientError) as exc:
        org.client.close_account(AccountId=accounts[10])
    assert error_of(exc) == ("ConstraintViolationException", "CLOSE_ACCOUNT_QUOTA_EXCEEDED")
    assert message_of(exc) == "You have exceeded close account quota for the past 30 days."
    assert org.client.describe_account(AccountId=accounts[10])["Account"]["Status"] == "ACTIVE"
    orgkit.advance_clock(endpoint, 30 * DAY_MS)
    org.client.close_account(AccountId=accounts[10])


# --- closed accounts ---------------------------------------------------------------


def test_a_closed_account_leaves_after_the_post_closure_period(org, new_account, endpoint):
    c = org.client
    account = new_account()
    c.close_account(AccountId=account)
    orgkit.advance_clock(endpoint, 89 * DAY_MS)
    assert c.describe_account(AccountId=account)["Account"]["Status"] == "SUSPENDED"
    with pytest.raises(ClientError) as exc:
        c.delete_organization()
    assert error_of(exc)[0] == "OrganizationNotEmptyException"
    orgkit.advance_clock(endpoint, DAY_MS)
    with pytest.raises(ClientError) as exc:
        c.describe_account(AccountId=account)
    assert error_of(exc)[0] == "AccountNotFoundException"
    assert [a["Id"] for a in orgkit.all_pages(c, "list_accounts", "Accounts")] == [MGMT]
    c.delete_organization()


# --- smaller ones --------------------------------------------------------------------


def test_a_query_protocol_request_is_answered_unknown_in_its_own_shape(endpoint):
    # STS is served (GetCallerIdentity, AssumeRole); an action it lacks is named in STS's shape.
    sts = boto3.session.Session().client(
        "sts",
        region_name=orgkit.REGION,
        endpoint_url=endpoint,
        aws_access_key_id=MGMT,
        aws_secret_access_key="x",
    )
    with pytest.raises(ClientError) as exc:
        sts.get_session_token()
    assert exc.value.response["Error"]["Code"] == "InvalidAction"
    assert message_of(exc) == "Could not find operation GetSessionToken for version 2011-06-15"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_unknown_json_operation_is_named(endpoint):
    status, _, body = orgkit.http(
        endpoint,
        "POST",
        "/",
        b"{}",
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSOrganizationsV20161128.NoSuchThing",
            "Authorization": orgkit.FAKE_AUTH.format(key=MGMT),
        },
    )
    assert status == 400
    answer = json.loads(body)
    assert answer["__type"] == "UnknownOperationException"
    assert answer["Message"] == "Unknown operation NoSuchThing"


def test_available_policy_types_lists_scps_only(org):
    c = org.client
    assert c.describe_organization()["Organization"]["AvailablePolicyTypes"] == []
    c.enable_policy_type(RootId=org.root_id, PolicyType="TAG_POLICY")
    assert c.describe_organization()["Organization"]["AvailablePolicyTypes"] == []
    c.enable_policy_type(RootId=org.root_id, PolicyType="SERVICE_CONTROL_POLICY")
    assert c.describe_organization()["Organization"]["AvailablePolicyTypes"] == [
        {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}
    ]
