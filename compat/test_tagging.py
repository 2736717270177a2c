"""The Resource Groups Tagging API for Organizations resources, through boto3's
resourcegroupstaggingapi client: how Cloud Custodian and other tag-driven tools
read and write the tags of accounts, OUs, roots and policies."""

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import MGMT, OUTSIDER, REGION


def tagging(endpoint, account=MGMT):
    return boto3.session.Session().client(
        "resourcegroupstaggingapi",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=account,
        aws_secret_access_key="compat-secret-key",
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def tags_of(mapping):
    return {t["Key"]: t["Value"] for t in mapping["Tags"]}


def everything(client, **kwargs):
    found = []
    for page in client.get_paginator("get_resources").paginate(**kwargs):
        found.extend(page["ResourceTagMappingList"])
    return found


@pytest.fixture
def tagged_org(client):
    org = client()
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]
    ou = org.create_organizational_unit(
        ParentId=root["Id"], Name="Prod", Tags=[{"Key": "env", "Value": "prod"}]
    )["OrganizationalUnit"]
    a = orgkit.create_account(org, tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a"}])
    b = orgkit.create_account(org, tags=[{"Key": "env", "Value": "dev"}])
    untagged = orgkit.create_account(org)
    accounts = {x["Id"]: x["Arn"] for x in org.list_accounts()["Accounts"]}
    return org, root, ou, accounts[a], accounts[b], accounts[untagged]


def test_get_resources_lists_tagged_organizations_resources_by_type_and_tags(endpoint, tagged_org):
    org, root, ou, a, b, untagged = tagged_org
    rg = tagging(endpoint)
    arns = {m["ResourceARN"]: tags_of(m) for m in everything(rg)}
    assert arns == {
        ou["Arn"]: {"env": "prod"},
        a: {"env": "prod", "team": "a"},
        b: {"env": "dev"},
    }
    prod = everything(rg, TagFilters=[{"Key": "env", "Values": ["prod"]}])
    assert {m["ResourceARN"] for m in prod} == {ou["Arn"], a}
    both = everything(rg, TagFilters=[{"Key": "env", "Values": ["prod", "dev"]}, {"Key": "team"}])
    assert [m["ResourceARN"] for m in both] == [a]
    accounts_only = everything(rg, ResourceTypeFilters=["organizations:account"])
    assert {m["ResourceARN"] for m in accounts_only} == {a, b}
    assert everything(rg, ResourceTypeFilters=["ec2:instance"]) == []
    pages = list(rg.get_paginator("get_resources").paginate(ResourcesPerPage=1))
    assert len(pages) >= 3
    assert sorted(m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]) == sorted(arns)
    by_arn = rg.get_resources(ResourceARNList=[a, untagged, ou["Arn"]])["ResourceTagMappingList"]
    assert {m["ResourceARN"] for m in by_arn} == {a, ou["Arn"]}


def test_tag_and_untag_resources_change_what_organizations_answers(endpoint, tagged_org):
    org, root, ou, a, b, untagged = tagged_org
    rg = tagging(endpoint)
    out = rg.tag_resources(ResourceARNList=[root["Arn"], untagged], Tags={"owner": "platform"})
    assert out["FailedResourcesMap"] == {}
    assert org.list_tags_for_resource(ResourceId=root["Id"])["Tags"] == [
        {"Key": "owner", "Value": "platform"}
    ]
    untagged_id = untagged.rsplit("/", 1)[1]
    assert rg.untag_resources(ResourceARNList=[untagged], TagKeys=["owner"])["FailedResourcesMap"] == {}
    assert org.list_tags_for_resource(ResourceId=untagged_id)["Tags"] == []
    assert rg.get_tag_keys()["TagKeys"] == ["env", "owner", "team"]
    assert rg.get_tag_values(Key="env")["TagValues"] == ["dev", "prod"]


def test_what_cannot_be_tagged_is_reported_per_resource(endpoint, tagged_org):
    org, root, ou, a, b, untagged = tagged_org
    rg = tagging(endpoint)
    gone = a.rsplit("/", 1)[0] + "/123412341234"
    out = rg.tag_resources(
        ResourceARNList=[a, gone, "arn:aws:ec2:us-east-1:111111111111:instance/i-1"],
        Tags={"aws:reserved": "x"},
    )["FailedResourcesMap"]
    assert set(out) == {a, gone, "arn:aws:ec2:us-east-1:111111111111:instance/i-1"}
    assert out[a]["ErrorCode"] == "InvalidInputException"
    assert out[gone]["StatusCode"] == 400
    assert out["arn:aws:ec2:us-east-1:111111111111:instance/i-1"]["ErrorCode"] == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        rg.get_resources(ResourceARNList=[a], ResourcesPerPage=5)
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"


def test_members_and_outsiders_see_no_organizations_resources(endpoint, tagged_org):
    org, root, ou, a, b, untagged = tagged_org
    member = a.rsplit("/", 1)[1]
    assert tagging(endpoint, member).get_resources()["ResourceTagMappingList"] == []
    assert tagging(endpoint, OUTSIDER).get_tag_keys()["TagKeys"] == []
    failed = tagging(endpoint, member).tag_resources(ResourceARNList=[a], Tags={"k": "v"})
    assert failed["FailedResourcesMap"][a]["ErrorCode"] == "AccessDeniedException"
