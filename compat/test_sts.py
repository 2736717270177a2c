"""STS on orgd's endpoint, through boto3: GetCallerIdentity (what Terraform's
provider and most tools ask first) and AssumeRole into a member account's
access role, whose temporary credentials then act as that account in
Organizations and STS alike."""

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import MGMT, OUTSIDER, REGION

HOUR_MS = 3600 * 1000


def sts_client(endpoint, key, secret="compat-secret-key", token=None, region=REGION):
    return boto3.session.Session().client(
        "sts",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def with_credentials(endpoint, creds, service="organizations"):
    client = boto3.session.Session().client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    return orgkit.attach_validator(client) if service == "organizations" else client


def role_arn(account, name="OrganizationAccountAccessRole", partition="aws"):
    return f"arn:{partition}:iam::{account}:role/{name}"


def sts_error(exc_info):
    err = exc_info.value
    assert isinstance(err, ClientError)
    return err.response["Error"], err.response["ResponseMetadata"]["HTTPStatusCode"]


def test_get_caller_identity_names_the_account_of_the_key(endpoint):
    who = sts_client(endpoint, MGMT).get_caller_identity()
    assert who["Account"] == MGMT
    assert who["Arn"] == f"arn:aws:iam::{MGMT}:root"
    assert who["UserId"] == MGMT
    cn = sts_client(endpoint, OUTSIDER, region="cn-north-1").get_caller_identity()
    assert cn["Arn"] == f"arn:aws-cn:iam::{OUTSIDER}:root"


def test_the_management_account_assumes_the_access_role_and_acts_as_the_member(
    endpoint, client
):
    org = client()
    org.create_organization(FeatureSet="ALL")
    member = orgkit.create_account(org)
    sts = sts_client(endpoint, MGMT)
    out = sts.assume_role(RoleArn=role_arn(member), RoleSessionName="ci-run", DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert creds["SessionToken"] and creds["SecretAccessKey"]
    user = out["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/ci-run"
    assert user["AssumedRoleId"].startswith("AROA") and user["AssumedRoleId"].endswith(":ci-run")

    who = with_credentials(endpoint, creds, "sts").get_caller_identity()
    assert (who["Account"], who["Arn"], who["UserId"]) == (
        member,
        user["Arn"],
        user["AssumedRoleId"],
    )
    # The session is the member account for Organizations: it sees the organization and is
    # refused what only the management account may do.
    as_member = with_credentials(endpoint, creds)
    assert as_member.describe_organization()["Organization"]["MasterAccountId"] == MGMT
    with pytest.raises(ClientError) as e:
        as_member.list_accounts()
    assert orgkit.error_of(e)[0] == "AccessDeniedException"


def test_the_role_name_given_at_create_account_is_the_one_to_assume(endpoint, client):
    org = client()
    org.create_organization(FeatureSet="ALL")
    started = org.create_account(Email="admin-role@example.com", AccountName="r", RoleName="Admin")
    member = orgkit.wait_for_create(org, started["CreateAccountStatus"]["Id"])["AccountId"]
    sts = sts_client(endpoint, MGMT)
    assert sts.assume_role(RoleArn=role_arn(member, "Admin"), RoleSessionName="ss")["Credentials"]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role_arn(member), RoleSessionName="ss")
    error, status = sts_error(e)
    assert status == 403 and error["Code"] == "AccessDenied" and error["Type"] == "Sender"
    assert error["Message"] == (
        f"User: arn:aws:iam::{MGMT}:root is not authorized to perform: sts:AssumeRole "
        f"on resource: {role_arn(member)}"
    )


def test_only_the_management_account_or_the_account_itself_may_assume_it(endpoint, client):
    org = client()
    org.create_organization(FeatureSet="ALL")
    a, b = orgkit.create_account(org), orgkit.create_account(org)
    for caller, target in [(b, a), (OUTSIDER, a), (MGMT, "123412341234")]:
        with pytest.raises(ClientError) as e:
            sts_client(endpoint, caller).assume_role(RoleArn=role_arn(target), RoleSessionName="ss")
        assert sts_error(e)[0]["Code"] == "AccessDenied"
    assert sts_client(endpoint, a).assume_role(RoleArn=role_arn(a), RoleSessionName="self")


def test_bad_input_gets_sts_validation_errors(endpoint, client):
    org = client()
    org.create_organization(FeatureSet="ALL")
    member = orgkit.create_account(org)
    sts = sts_client(endpoint, MGMT)
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role_arn(member), RoleSessionName="has space")
    error, status = sts_error(e)
    assert (status, error["Code"]) == (400, "ValidationError")
    assert "roleSessionName" in error["Message"]
    with pytest.raises(ClientError) as e:
        sts.assume_role(RoleArn=role_arn(member), RoleSessionName="ss", DurationSeconds=7200)
    assert sts_error(e)[0]["Message"] == (
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    )
    with pytest.raises(ClientError) as e:
        sts.get_session_token()
    assert sts_error(e)[0]["Code"] == "InvalidAction"


def test_temporary_credentials_expire_on_orgds_clock(endpoint, client):
    org = client()
    org.create_organization(FeatureSet="ALL")
    member = orgkit.create_account(org)
    creds = sts_client(endpoint, MGMT).assume_role(
        RoleArn=role_arn(member), RoleSessionName="short", DurationSeconds=900
    )["Credentials"]
    as_member = with_credentials(endpoint, creds)
    as_member.describe_organization()
    orgkit.advance_clock(endpoint, HOUR_MS)
    with pytest.raises(ClientError) as e:
        as_member.describe_organization()
    assert e.value.response["Error"] == {
        "Code": "ExpiredTokenException",
        "Message": "The security token included in the request is expired",
    }
    with pytest.raises(ClientError) as e:
        with_credentials(endpoint, creds, "sts").get_caller_identity()
    assert sts_error(e)[0]["Code"] == "ExpiredToken"
