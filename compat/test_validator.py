"""The response validator must catch what it claims to catch. These tests need
no server: they feed hand-made responses to awsmodel.check_response."""

import json

import pytest

from awsmodel import check_response, error_code

pytestmark = pytest.mark.offline

HEADERS = {"x-amzn-RequestId": "5f1c8a3e-0000-4000-8000-000000000001",
           "Content-Type": "application/x-amz-json-1.1"}
ORG = "o-abcdefghij"
GOOD_ACCOUNT = {
    "Id": "222222222222",
    "Arn": f"arn:aws:organizations::111111111111:account/{ORG}/222222222222",
    "Email": "dev@example.com",
    "Name": "dev",
    "Status": "ACTIVE",
    "JoinedMethod": "CREATED",
    "JoinedTimestamp": 1767225600.5,
}


def problems_for(operation, body, status=200, headers=HEADERS):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return check_response(operation, status, headers, raw)


def test_a_good_response_passes():
    assert problems_for("DescribeAccount", {"Account": GOOD_ACCOUNT}) == []
    assert problems_for("ListAccounts", {"Accounts": [GOOD_ACCOUNT], "NextToken": "abc"}) == []
    assert problems_for("DeleteOrganization", b"") == []
    assert problems_for("DeleteOrganization", {}) == []


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"Status": "ENABLED"}, "not a value of enum AccountStatus"),
        ({"Id": "2222"}, "does not match the pattern of AccountId"),
        ({"Arn": "arn:aws:iam::222222222222:root"}, "does not match the pattern of AccountArn"),
        ({"JoinedTimestamp": "2026-01-01T00:00:00Z"}, "timestamp must be a JSON number"),
        ({"JoinedTimestamp": 1767225600000}, "implausible"),
        ({"Name": ""}, "fewer than the minimum 1"),
        ({"Name": "n" * 129}, "more than the maximum 128"),
        ({"Email": None}, "null"),
        ({"AccountId": "222222222222"}, "not a member of Account"),
        ({"Name": 7}, "expected a string"),
    ],
)
def test_broken_account_members_are_caught(change, expected):
    account = dict(GOOD_ACCOUNT, **change)
    problems = problems_for("DescribeAccount", {"Account": account})
    assert any(expected in p for p in problems), problems


def test_member_aws_always_returns_must_be_present():
    account = {k: v for k, v in GOOD_ACCOUNT.items() if k != "JoinedMethod"}
    problems = problems_for("DescribeAccount", {"Account": account})
    assert any("Account.JoinedMethod" in p for p in problems), problems
    assert any("Accounts: missing" in p for p in problems_for("ListAccounts", {}))


def test_create_account_status_consistency():
    status = {"Id": "car-abcdefgh12", "AccountName": "a", "State": "SUCCEEDED",
              "RequestedTimestamp": 1767225600}
    problems = problems_for("DescribeCreateAccountStatus", {"CreateAccountStatus": status})
    assert any("AccountId: missing although State is SUCCEEDED" in p for p in problems), problems


def test_tag_patterns_with_unicode_classes():
    ok = {"Tags": [{"Key": "Kostenstelle ü:1", "Value": ""}]}
    assert problems_for("ListTagsForResource", ok) == []
    bad = {"Tags": [{"Key": "semi;colon", "Value": "v"}]}
    assert any("pattern of TagKey" in p for p in problems_for("ListTagsForResource", bad))


def test_missing_request_id_and_wrong_content_type():
    problems = problems_for("DeleteOrganization", {}, headers={"Content-Type": "text/html"})
    assert any("x-amzn-RequestId" in p for p in problems)
    assert any("Content-Type" in p for p in problems)


def test_non_json_body():
    assert any("not valid UTF-8 JSON" in p for p in problems_for("ListRoots", b"<html>"))


def test_good_errors_pass():
    body = {"__type": "ConstraintViolationException", "Message": "too deep",
            "Reason": "OU_DEPTH_LIMIT_EXCEEDED"}
    assert problems_for("CreateOrganizationalUnit", body, status=400) == []
    prefixed = {"__type": "com.amazonaws.organizations#AccountNotFoundException", "Message": "x"}
    assert problems_for("DescribeAccount", prefixed, status=400) == []
    assert error_code(prefixed) == "AccountNotFoundException"


@pytest.mark.parametrize(
    "body,status,expected",
    [
        ({"Message": "no type"}, 400, "no string __type"),
        ({"__type": "AccountNotFoundException"}, 400, "lacks a string Message"),
        ({"__type": "AccountNotFoundException", "Message": "x"}, 500, "server error 500"),
        ({"__type": "AccountNotFoundException", "Message": "x"}, 302, "neither 4xx nor 5xx"),
        ({"__type": "DuplicatePolicyException", "Message": "x"}, 400, "not one DescribeAccount can raise"),
        ({"__type": "ValidationException", "Message": "x"}, 400, "not one DescribeAccount can raise"),
        ({"__type": "InvalidInputException", "Message": "x", "Reason": "TOO_BAD"}, 400,
         "not a value of enum InvalidInputExceptionReason"),
        ({"__type": "InvalidInputException", "Message": "x"}, 400, "Reason: missing"),
        ({"__type": "ServiceException", "Message": "x"}, 400, "ServiceException with client status"),
    ],
)
def test_broken_errors_are_caught(body, status, expected):
    problems = problems_for("DescribeAccount", body, status=status)
    assert any(expected in p for p in problems), problems
