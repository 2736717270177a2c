"""What users of boto3 rely on, journey by journey. Every response is also
checked against the service model by the clients' validator (conftest.py)."""

import concurrent.futures
import datetime
import re

import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import DEFAULT_ACCOUNT, MGMT, OUTSIDER, all_pages, error_of, unique, wait_for_create

ORG_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
CAR_ID = re.compile(r"^car-[a-z0-9]{8,32}$")

# Well-formed ids that name nothing in a fresh organization.
GHOST_ACCOUNT = "444444444444"


def ghost_ou(org):
    return f"ou-{org.root_suffix}-zzzzzzzz"


def ou_id_pattern(org):
    return re.compile(rf"^ou-{re.escape(org.root_suffix)}-[a-z0-9]{{8,32}}$")


def make_ou(org, parent, name=None, **kwargs):
    return org.client.create_organizational_unit(
        ParentId=parent, Name=name or unique("ou"), **kwargs
    )["OrganizationalUnit"]


def ids(items):
    return [item["Id"] for item in items]


def parent_of(c, child):
    parents = c.list_parents(ChildId=child)["Parents"]
    assert len(parents) == 1, parents
    return parents[0]["Id"]


# --- the organization -------------------------------------------------------


def test_create_organization_all_features(mgmt):
    organization = mgmt.create_organization(FeatureSet="ALL")["Organization"]
    org_id = organization["Id"]
    assert ORG_ID.match(org_id), org_id
    assert organization["FeatureSet"] == "ALL"
    assert organization["MasterAccountId"] == MGMT
    assert organization["Arn"] == f"arn:aws:organizations::{MGMT}:organization/{org_id}"
    assert organization["MasterAccountArn"] == f"arn:aws:organizations::{MGMT}:account/{org_id}/{MGMT}"

    described = mgmt.describe_organization()["Organization"]
    for key in ("Id", "Arn", "FeatureSet", "MasterAccountId", "MasterAccountArn", "MasterAccountEmail"):
        assert described[key] == organization[key], key


def test_feature_set_defaults_to_all(mgmt):
    assert mgmt.create_organization()["Organization"]["FeatureSet"] == "ALL"


def test_consolidated_billing_organization(mgmt):
    organization = mgmt.create_organization(FeatureSet="CONSOLIDATED_BILLING")["Organization"]
    assert organization["FeatureSet"] == "CONSOLIDATED_BILLING"
    assert mgmt.describe_organization()["Organization"]["FeatureSet"] == "CONSOLIDATED_BILLING"
    # No policy type is enabled in a consolidated-billing organization.
    assert mgmt.list_roots()["Roots"][0]["PolicyTypes"] == []


def test_a_new_organization_enables_scps_when_asked(org):
    """The seeds say CreateOrganization with ALL enables service control
    policies in the root, but AWS creates the organization with no policy type
    enabled, and clients (Terraform's enabled_policy_types, CloudFormation)
    enable SCPs right after; orgd does what AWS does (the documented behaviour
    is `--scp-enabled-at-creation`)."""
    root = org.client.list_roots()["Roots"][0]
    assert root["PolicyTypes"] == []
    assert org.client.describe_organization()["Organization"]["AvailablePolicyTypes"] == []
    org.client.enable_policy_type(RootId=root["Id"], PolicyType="SERVICE_CONTROL_POLICY")
    scp = {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}
    assert scp in org.client.list_roots()["Roots"][0]["PolicyTypes"]
    targets = org.client.list_targets_for_policy(PolicyId="p-FullAWSAccess")["Targets"]
    assert {t["Type"] for t in targets} >= {"ROOT", "ACCOUNT"}


def test_creating_a_second_organization_is_refused(org):
    with pytest.raises(ClientError) as exc:
        org.client.create_organization(FeatureSet="ALL")
    assert error_of(exc)[0] == "AlreadyInOrganizationException"


def test_outsider_is_not_in_an_organization(org, client):
    outsider = client(OUTSIDER)
    for call in (outsider.describe_organization, outsider.list_roots, outsider.list_accounts):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc)[0] == "AWSOrganizationsNotInUseException", call


def test_non_numeric_access_key_is_the_default_account(endpoint):
    caller = orgkit.make_client(endpoint, "AKIAEXAMPLEKEY000001")
    organization = caller.create_organization()["Organization"]
    assert organization["MasterAccountId"] == DEFAULT_ACCOUNT


def test_reset_wipes_everything(org, endpoint):
    orgkit.reset(endpoint)
    with pytest.raises(ClientError) as exc:
        org.client.describe_organization()
    assert error_of(exc)[0] == "AWSOrganizationsNotInUseException"


def test_list_roots(org):
    roots = org.client.list_roots()["Roots"]
    assert len(roots) == 1
    root = roots[0]
    assert ROOT_ID.match(root["Id"]), root["Id"]
    assert root["Name"] == "Root"
    assert root["Arn"] == f"arn:aws:organizations::{MGMT}:root/{org.id}/{root['Id']}"


# --- organizational units ---------------------------------------------------


def test_nested_organizational_units(org):
    c = org.client
    top = make_ou(org, org.root_id, "Workloads")
    nested = make_ou(org, top["Id"], "Prod")
    for ou, name in ((top, "Workloads"), (nested, "Prod")):
        assert ou_id_pattern(org).match(ou["Id"]), ou["Id"]
        assert ou["Name"] == name
        assert ou["Arn"] == f"arn:aws:organizations::{MGMT}:ou/{org.id}/{ou['Id']}"
        described = c.describe_organizational_unit(OrganizationalUnitId=ou["Id"])["OrganizationalUnit"]
        assert (described["Id"], described["Name"], described["Arn"]) == (ou["Id"], name, ou["Arn"])

    assert ids(c.list_organizational_units_for_parent(ParentId=org.root_id)["OrganizationalUnits"]) == [top["Id"]]
    assert ids(c.list_organizational_units_for_parent(ParentId=top["Id"])["OrganizationalUnits"]) == [nested["Id"]]
    assert c.list_organizational_units_for_parent(ParentId=nested["Id"])["OrganizationalUnits"] == []

    assert c.list_parents(ChildId=top["Id"])["Parents"] == [{"Id": org.root_id, "Type": "ROOT"}]
    assert c.list_parents(ChildId=nested["Id"])["Parents"] == [
        {"Id": top["Id"], "Type": "ORGANIZATIONAL_UNIT"}
    ]


def test_ou_names_are_unique_within_a_parent(org):
    first = make_ou(org, org.root_id, "Security")
    with pytest.raises(ClientError) as exc:
        make_ou(org, org.root_id, "Security")
    assert error_of(exc)[0] == "DuplicateOrganizationalUnitException"
    # The same name under another parent is fine.
    make_ou(org, first["Id"], "Security")


def test_ou_depth_limit_is_five_levels(org):
    parent = org.root_id
    for level in range(1, 6):
        parent = make_ou(org, parent, f"level{level}")["Id"]
    with pytest.raises(ClientError) as exc:
        make_ou(org, parent, "level6")
    assert error_of(exc) == ("ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED")
    assert org.client.list_organizational_units_for_parent(ParentId=parent)["OrganizationalUnits"] == []


def test_update_organizational_unit(org):
    c = org.client
    ou = make_ou(org, org.root_id, "Sandbox")
    make_ou(org, org.root_id, "Taken")
    renamed = c.update_organizational_unit(OrganizationalUnitId=ou["Id"], Name="Experiments")[
        "OrganizationalUnit"
    ]
    assert (renamed["Id"], renamed["Name"], renamed["Arn"]) == (ou["Id"], "Experiments", ou["Arn"])
    described = c.describe_organizational_unit(OrganizationalUnitId=ou["Id"])["OrganizationalUnit"]
    assert described["Name"] == "Experiments"
    with pytest.raises(ClientError) as exc:
        c.update_organizational_unit(OrganizationalUnitId=ou["Id"], Name="Taken")
    assert error_of(exc)[0] == "DuplicateOrganizationalUnitException"


def test_delete_organizational_unit(org):
    c = org.client
    empty = make_ou(org, org.root_id)
    c.delete_organizational_unit(OrganizationalUnitId=empty["Id"])
    with pytest.raises(ClientError) as exc:
        c.describe_organizational_unit(OrganizationalUnitId=empty["Id"])
    assert error_of(exc)[0] == "OrganizationalUnitNotFoundException"
    with pytest.raises(ClientError) as exc:
        c.delete_organizational_unit(OrganizationalUnitId=empty["Id"])
    assert error_of(exc)[0] == "OrganizationalUnitNotFoundException"


def test_ou_with_a_child_ou_cannot_be_deleted(org):
    parent = make_ou(org, org.root_id)
    make_ou(org, parent["Id"])
    with pytest.raises(ClientError) as exc:
        org.client.delete_organizational_unit(OrganizationalUnitId=parent["Id"])
    assert error_of(exc)[0] == "OrganizationalUnitNotEmptyException"


def test_ou_with_an_account_cannot_be_deleted(org, new_account):
    ou = make_ou(org, org.root_id)
    account = new_account()
    org.client.move_account(AccountId=account, SourceParentId=org.root_id, DestinationParentId=ou["Id"])
    with pytest.raises(ClientError) as exc:
        org.client.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
    assert error_of(exc)[0] == "OrganizationalUnitNotEmptyException"


# --- accounts ---------------------------------------------------------------


def test_create_account_is_asynchronous(org, endpoint):
    c = org.client
    started = c.create_account(AccountName="Payments Prod", Email="payments-prod@example.com")[
        "CreateAccountStatus"
    ]
    assert started["State"] == "IN_PROGRESS"
    assert CAR_ID.match(started["Id"]), started["Id"]
    assert started["AccountName"] == "Payments Prod"

    final = wait_for_create(c, started["Id"])
    assert final["State"] == "SUCCEEDED", final
    assert final["AccountName"] == "Payments Prod"
    account_id = final["AccountId"]
    assert ACCOUNT_ID.match(account_id) and account_id != MGMT
    assert final["CompletedTimestamp"] >= final["RequestedTimestamp"]
    # The request happened just now by the server's clock (real time, unless
    # a test moved it forward with /_orgd/clock).
    now = datetime.datetime.fromtimestamp(orgkit.server_now_ms(endpoint) / 1000, datetime.timezone.utc)
    assert abs((final["RequestedTimestamp"] - now).total_seconds()) < 600, final

    account = c.describe_account(AccountId=account_id)["Account"]
    assert account["Id"] == account_id
    assert account["Name"] == "Payments Prod"
    assert account["Email"] == "payments-prod@example.com"
    assert account["Status"] == "ACTIVE"
    assert account["JoinedMethod"] == "CREATED"
    assert account["Arn"] == f"arn:aws:organizations::{MGMT}:account/{org.id}/{account_id}"
    # A new account starts in the root.
    assert c.list_parents(ChildId=account_id)["Parents"] == [{"Id": org.root_id, "Type": "ROOT"}]


def test_list_create_account_status_filters_by_state(org):
    c = org.client
    good = c.create_account(AccountName="good", Email="good@example.com")["CreateAccountStatus"]["Id"]
    wait_for_create(c, good)
    bad = c.create_account(AccountName="bad", Email="good@example.com")["CreateAccountStatus"]["Id"]
    assert wait_for_create(c, bad)["State"] == "FAILED"

    everything = ids(all_pages(c, "list_create_account_status", "CreateAccountStatuses"))
    assert sorted(everything) == sorted([good, bad])
    succeeded = all_pages(c, "list_create_account_status", "CreateAccountStatuses", States=["SUCCEEDED"])
    assert ids(succeeded) == [good]
    failed = all_pages(c, "list_create_account_status", "CreateAccountStatuses", States=["FAILED"])
    assert ids(failed) == [bad]
    assert all_pages(c, "list_create_account_status", "CreateAccountStatuses", States=["IN_PROGRESS"]) == []


def test_duplicate_email_fails_asynchronously(org, new_account):
    new_account(name="first", email="shared@example.com")
    c = org.client
    started = c.create_account(AccountName="second", Email="shared@example.com")["CreateAccountStatus"]
    assert started["State"] == "IN_PROGRESS"
    final = wait_for_create(c, started["Id"])
    assert final["State"] == "FAILED"
    assert final["FailureReason"] == "EMAIL_ALREADY_EXISTS"
    assert "AccountId" not in final
    names = [a["Name"] for a in all_pages(c, "list_accounts", "Accounts")]
    assert names.count("second") == 0


def test_management_account_email_is_taken(org):
    email = org.organization["MasterAccountEmail"]
    started = org.client.create_account(AccountName="copycat", Email=email)["CreateAccountStatus"]
    final = wait_for_create(org.client, started["Id"])
    assert (final["State"], final.get("FailureReason")) == ("FAILED", "EMAIL_ALREADY_EXISTS")


def test_management_account_is_listed_in_the_root(org, new_account):
    member = new_account()
    c = org.client
    accounts = {a["Id"]: a for a in all_pages(c, "list_accounts", "Accounts")}
    assert set(accounts) == {MGMT, member}
    management = accounts[MGMT]
    assert management["Status"] == "ACTIVE"
    assert management["Arn"] == org.organization["MasterAccountArn"]
    assert management["Email"] == org.organization["MasterAccountEmail"]
    in_root = ids(all_pages(c, "list_accounts_for_parent", "Accounts", ParentId=org.root_id))
    assert sorted(in_root) == sorted([MGMT, member])
    assert c.describe_account(AccountId=MGMT)["Account"]["Id"] == MGMT


def test_tags_given_at_account_creation(org, new_account):
    account = new_account(tags=[{"Key": "team", "Value": "payments"}, {"Key": "env", "Value": ""}])
    tags = org.client.list_tags_for_resource(ResourceId=account)["Tags"]
    assert sorted(tags, key=lambda t: t["Key"]) == [
        {"Key": "env", "Value": ""},
        {"Key": "team", "Value": "payments"},
    ]


# --- moving accounts and walking the tree -------------------------------------


def test_move_account_between_ous(org, new_account):
    c = org.client
    a, b = make_ou(org, org.root_id, "A")["Id"], make_ou(org, org.root_id, "B")["Id"]
    account = new_account()

    c.move_account(AccountId=account, SourceParentId=org.root_id, DestinationParentId=a)
    assert c.list_parents(ChildId=account)["Parents"] == [{"Id": a, "Type": "ORGANIZATIONAL_UNIT"}]
    assert ids(c.list_accounts_for_parent(ParentId=a)["Accounts"]) == [account]
    assert account not in ids(c.list_accounts_for_parent(ParentId=org.root_id)["Accounts"])
    assert c.list_children(ParentId=a, ChildType="ACCOUNT")["Children"] == [
        {"Id": account, "Type": "ACCOUNT"}
    ]

    c.move_account(AccountId=account, SourceParentId=a, DestinationParentId=b)
    assert c.list_parents(ChildId=account)["Parents"] == [{"Id": b, "Type": "ORGANIZATIONAL_UNIT"}]
    assert c.list_accounts_for_parent(ParentId=a)["Accounts"] == []
    assert ids(c.list_accounts_for_parent(ParentId=b)["Accounts"]) == [account]

    c.move_account(AccountId=account, SourceParentId=b, DestinationParentId=org.root_id)
    assert c.list_parents(ChildId=account)["Parents"] == [{"Id": org.root_id, "Type": "ROOT"}]


def test_the_management_account_can_be_moved(org):
    ou = make_ou(org, org.root_id)["Id"]
    org.client.move_account(AccountId=MGMT, SourceParentId=org.root_id, DestinationParentId=ou)
    assert org.client.list_parents(ChildId=MGMT)["Parents"] == [{"Id": ou, "Type": "ORGANIZATIONAL_UNIT"}]


def test_move_account_mistakes(org, new_account):
    c = org.client
    account = new_account()
    ou = make_ou(org, org.root_id)["Id"]
    cases = [
        ((account, org.root_id, org.root_id), "DuplicateAccountException"),
        ((account, org.root_id, ghost_ou(org)), "DestinationParentNotFoundException"),
        ((account, ghost_ou(org), ou), "SourceParentNotFoundException"),
        # An existing OU that does not hold the account is not its source parent.
        ((account, ou, org.root_id), "SourceParentNotFoundException"),
        ((GHOST_ACCOUNT, org.root_id, ou), "AccountNotFoundException"),
    ]
    for (acct, source, destination), expected in cases:
        with pytest.raises(ClientError) as exc:
            c.move_account(AccountId=acct, SourceParentId=source, DestinationParentId=destination)
        assert error_of(exc)[0] == expected, (acct, source, destination)
    assert c.list_parents(ChildId=account)["Parents"] == [{"Id": org.root_id, "Type": "ROOT"}]


def test_list_children_by_type(org, new_account):
    c = org.client
    ou1, ou2 = make_ou(org, org.root_id)["Id"], make_ou(org, org.root_id)["Id"]
    make_ou(org, ou1)  # a grandchild: not a child of the root
    account = new_account()
    ous = c.list_children(ParentId=org.root_id, ChildType="ORGANIZATIONAL_UNIT")["Children"]
    assert sorted(ous, key=lambda x: x["Id"]) == sorted(
        [{"Id": ou1, "Type": "ORGANIZATIONAL_UNIT"}, {"Id": ou2, "Type": "ORGANIZATIONAL_UNIT"}],
        key=lambda x: x["Id"],
    )
    accounts = c.list_children(ParentId=org.root_id, ChildType="ACCOUNT")["Children"]
    assert sorted(ids(accounts)) == sorted([MGMT, account])
    assert all(child["Type"] == "ACCOUNT" for child in accounts)
    assert c.list_children(ParentId=ou2, ChildType="ACCOUNT")["Children"] == []


# --- pagination -------------------------------------------------------------


def test_paginator_visits_every_account_once(org, new_account):
    created = [new_account() for _ in range(6)]
    pages = list(
        org.client.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 2})
    )
    seen = [a["Id"] for page in pages for a in page["Accounts"]]
    assert sorted(seen) == sorted(created + [MGMT])  # each exactly once
    assert all(len(page["Accounts"]) <= 2 for page in pages)
    assert len(pages) >= 4
    assert "NextToken" not in pages[-1]


def test_manual_pagination_with_next_token(org, new_account):
    created = {new_account() for _ in range(3)}
    c = org.client
    first = c.list_accounts(MaxResults=1)
    assert len(first["Accounts"]) == 1 and first.get("NextToken")
    seen = ids(first["Accounts"])
    token = first["NextToken"]
    while token:
        page = c.list_accounts(MaxResults=1, NextToken=token)
        assert len(page["Accounts"]) <= 1
        seen += ids(page["Accounts"])
        token = page.get("NextToken")
    assert sorted(seen) == sorted(created | {MGMT})


@pytest.mark.parametrize(
    "operation,key,kwargs",
    [
        ("list_children", "Children", {"ChildType": "ORGANIZATIONAL_UNIT"}),
        ("list_organizational_units_for_parent", "OrganizationalUnits", {}),
        ("list_accounts_for_parent", "Accounts", {}),
    ],
)
def test_paginators_of_the_tree(org, new_account, operation, key, kwargs):
    if key == "Accounts":
        expected = [new_account() for _ in range(4)] + [MGMT]
    else:
        expected = [make_ou(org, org.root_id)["Id"] for _ in range(5)]
    items = all_pages(
        org.client, operation, key, ParentId=org.root_id, PaginationConfig={"PageSize": 2}, **kwargs
    )
    assert sorted(ids(items)) == sorted(expected)


def test_unpaginated_call_pages_at_twenty(org, new_account):
    """Callers who forget to paginate get at most 20 accounts (the largest
    MaxResults the model allows) and a NextToken, as on AWS."""
    for _ in range(21):
        new_account()
    first = org.client.list_accounts()
    assert len(first["Accounts"]) <= 20
    assert first.get("NextToken"), "22 accounts but no NextToken"
    assert len(all_pages(org.client, "list_accounts", "Accounts")) == 22


def test_forged_next_token(org):
    with pytest.raises(ClientError) as exc:
        org.client.list_accounts(NextToken="this-token-was-never-issued")
    assert error_of(exc) == ("InvalidInputException", "INVALID_NEXT_TOKEN")


def test_max_results_above_twenty(org):
    with pytest.raises(ClientError) as exc:
        org.client.list_accounts(MaxResults=21)
    assert error_of(exc) == ("InvalidInputException", "MAX_VALUE_EXCEEDED")


# --- tags -------------------------------------------------------------------


def test_tagging_accounts_ous_and_the_root(org, new_account):
    c = org.client
    ou = make_ou(org, org.root_id)["Id"]
    for resource in (new_account(), ou, org.root_id):
        assert c.list_tags_for_resource(ResourceId=resource)["Tags"] == []
        c.tag_resource(
            ResourceId=resource,
            Tags=[{"Key": "owner", "Value": "platform"}, {"Key": "cost-center", "Value": "42"}],
        )
        tags = all_pages(c, "list_tags_for_resource", "Tags", ResourceId=resource)
        assert sorted(tags, key=lambda t: t["Key"]) == [
            {"Key": "cost-center", "Value": "42"},
            {"Key": "owner", "Value": "platform"},
        ], resource
        # Tagging an existing key replaces its value.
        c.tag_resource(ResourceId=resource, Tags=[{"Key": "owner", "Value": "security"}])
        tags = {t["Key"]: t["Value"] for t in c.list_tags_for_resource(ResourceId=resource)["Tags"]}
        assert tags == {"owner": "security", "cost-center": "42"}, resource
        c.untag_resource(ResourceId=resource, TagKeys=["owner"])
        assert c.list_tags_for_resource(ResourceId=resource)["Tags"] == [
            {"Key": "cost-center", "Value": "42"}
        ], resource


def test_names_and_tags_round_trip_exactly(org):
    """Non-ASCII text, quotes and backslashes survive JSON both ways."""
    name = 'Équipe "Ops" \\ 東京 🚀'
    ou = make_ou(org, org.root_id, name)
    assert ou["Name"] == name
    assert org.client.describe_organizational_unit(OrganizationalUnitId=ou["Id"])["OrganizationalUnit"]["Name"] == name
    tags = [{"Key": "Kostenstelle", "Value": "café 42"}, {"Key": "équipe", "Value": "über"}]
    org.client.tag_resource(ResourceId=ou["Id"], Tags=tags)
    listed = org.client.list_tags_for_resource(ResourceId=ou["Id"])["Tags"]
    assert sorted(listed, key=lambda t: t["Key"]) == sorted(tags, key=lambda t: t["Key"])


def test_tags_given_at_ou_creation(org):
    ou = make_ou(org, org.root_id, Tags=[{"Key": "tier", "Value": "prod"}])["Id"]
    assert org.client.list_tags_for_resource(ResourceId=ou)["Tags"] == [{"Key": "tier", "Value": "prod"}]


def test_tagging_something_that_does_not_exist(org):
    c = org.client
    for resource in (GHOST_ACCOUNT, ghost_ou(org)):
        with pytest.raises(ClientError) as exc:
            c.tag_resource(ResourceId=resource, Tags=[{"Key": "k", "Value": "v"}])
        assert error_of(exc)[0] == "TargetNotFoundException", resource
        with pytest.raises(ClientError) as exc:
            c.list_tags_for_resource(ResourceId=resource)
        assert error_of(exc)[0] == "TargetNotFoundException", resource
        with pytest.raises(ClientError) as exc:
            c.untag_resource(ResourceId=resource, TagKeys=["k"])
        assert error_of(exc)[0] == "TargetNotFoundException", resource


def test_at_most_fifty_tags_per_resource(org):
    ou = make_ou(org, org.root_id)["Id"]
    org.client.tag_resource(
        ResourceId=ou, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    )
    with pytest.raises(ClientError) as exc:
        org.client.tag_resource(ResourceId=ou, Tags=[{"Key": "one-too-many", "Value": "v"}])
    assert error_of(exc) == ("ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED")
    assert len(all_pages(org.client, "list_tags_for_resource", "Tags", ResourceId=ou)) == 50


# --- closing and removing accounts ------------------------------------------


def test_close_account(org, new_account):
    c = org.client
    account = new_account()
    c.close_account(AccountId=account)
    assert c.describe_account(AccountId=account)["Account"]["Status"] in ("PENDING_CLOSURE", "SUSPENDED")
    with pytest.raises(ClientError) as exc:
        c.close_account(AccountId=account)
    assert error_of(exc)[0] == "AccountAlreadyClosedException"


def test_management_account_cannot_be_closed(org):
    with pytest.raises(ClientError) as exc:
        org.client.close_account(AccountId=MGMT)
    assert error_of(exc) == ("ConstraintViolationException", "CANNOT_CLOSE_MANAGEMENT_ACCOUNT")
    assert org.client.describe_account(AccountId=MGMT)["Account"]["Status"] == "ACTIVE"


def test_closing_an_unknown_account(org):
    with pytest.raises(ClientError) as exc:
        org.client.close_account(AccountId=GHOST_ACCOUNT)
    assert error_of(exc)[0] == "AccountNotFoundException"


def test_management_account_cannot_leave(org):
    with pytest.raises(ClientError) as exc:
        org.client.remove_account_from_organization(AccountId=MGMT)
    assert error_of(exc)[0] == "MasterCannotLeaveOrganizationException"


def test_remove_account_from_organization(org, new_account, client, endpoint):
    c = org.client
    leaving, staying = new_account(), new_account()
    # A created account may be removed 7 days after its creation (WAIT_PERIOD_ACTIVE before).
    orgkit.advance_clock(endpoint, 7 * orgkit.DAY_MS)
    c.remove_account_from_organization(AccountId=leaving)
    with pytest.raises(ClientError) as exc:
        c.describe_account(AccountId=leaving)
    assert error_of(exc)[0] == "AccountNotFoundException"
    assert sorted(ids(all_pages(c, "list_accounts", "Accounts"))) == sorted([MGMT, staying])
    # The removed account now stands alone.
    with pytest.raises(ClientError) as exc:
        client(leaving).describe_organization()
    assert error_of(exc)[0] == "AWSOrganizationsNotInUseException"
    with pytest.raises(ClientError) as exc:
        c.remove_account_from_organization(AccountId=leaving)
    assert error_of(exc)[0] == "AccountNotFoundException"


# --- what a member account may do --------------------------------------------


def test_member_account_cannot_create_an_organization(org, new_account, client):
    with pytest.raises(ClientError) as exc:
        client(new_account()).create_organization(FeatureSet="ALL")
    assert error_of(exc)[0] == "AlreadyInOrganizationException"


def test_removed_account_can_found_its_own_organization(org, new_account, client, endpoint):
    account = new_account()
    orgkit.advance_clock(endpoint, 7 * orgkit.DAY_MS)
    org.client.remove_account_from_organization(AccountId=account)
    former = client(account)
    organization = former.create_organization(FeatureSet="ALL")["Organization"]
    assert organization["MasterAccountId"] == account
    assert organization["Id"] != org.id
    assert ids(all_pages(former, "list_accounts", "Accounts")) == [account]
    # The first organization no longer knows the account.
    assert account not in ids(all_pages(org.client, "list_accounts", "Accounts"))


def test_member_account_sees_its_organization(org, new_account, client):
    member = client(new_account())
    organization = member.describe_organization()["Organization"]
    assert organization["Id"] == org.id
    assert organization["MasterAccountId"] == MGMT
    assert organization["MasterAccountArn"] == org.organization["MasterAccountArn"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c, org: c.list_accounts(),
        lambda c, org: c.list_roots(),
        lambda c, org: c.describe_account(AccountId=MGMT),
        lambda c, org: c.create_organizational_unit(ParentId=org.root_id, Name="mine"),
        lambda c, org: c.create_account(AccountName="mine", Email="mine@example.com"),
        lambda c, org: c.remove_account_from_organization(AccountId=MGMT),
        lambda c, org: c.delete_organization(),
    ],
    ids=["ListAccounts", "ListRoots", "DescribeAccount", "CreateOrganizationalUnit",
         "CreateAccount", "RemoveAccountFromOrganization", "DeleteOrganization"],
)
def test_member_account_is_denied_management_operations(org, new_account, client, call):
    member = client(new_account())
    with pytest.raises(ClientError) as exc:
        call(member, org)
    assert error_of(exc)[0] == "AccessDeniedException"


# --- concurrent callers --------------------------------------------------------


def test_concurrent_account_creation(org, endpoint):
    def create(i):
        c = orgkit.make_client(endpoint, MGMT)
        return orgkit.create_account(c, name=f"parallel{i}", email=f"parallel{i}@example.com")

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(create, range(16)))
    assert len(set(created)) == 16
    assert sorted(ids(all_pages(org.client, "list_accounts", "Accounts"))) == sorted(created + [MGMT])


def test_concurrent_duplicate_ou_names(org, endpoint):
    """Eight callers race to create the same OU: exactly one wins."""
    def create(_):
        c = orgkit.make_client(endpoint, MGMT)
        try:
            return c.create_organizational_unit(ParentId=org.root_id, Name="Contended")["OrganizationalUnit"]["Id"]
        except ClientError as err:
            return err.response["Error"]["Code"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(create, range(8)))
    winners = [o for o in outcomes if o.startswith("ou-")]
    assert len(winners) == 1, outcomes
    assert sorted(set(outcomes) - set(winners)) == ["DuplicateOrganizationalUnitException"], outcomes
    listed = org.client.list_organizational_units_for_parent(ParentId=org.root_id)["OrganizationalUnits"]
    assert ids(listed) == winners


# --- several organizations ------------------------------------------------------


def test_organizations_are_isolated(org, new_account, client):
    """A second management account sees nothing of the first organization."""
    mine = new_account()
    my_ou = make_ou(org, org.root_id)["Id"]
    other = client("555555555555")
    other.create_organization(FeatureSet="ALL")
    other_root = other.list_roots()["Roots"][0]["Id"]
    other_ou = other.create_organizational_unit(ParentId=other_root, Name="theirs")["OrganizationalUnit"]["Id"]

    assert ids(all_pages(other, "list_accounts", "Accounts")) == ["555555555555"]
    cases = [
        (lambda: other.describe_account(AccountId=mine), "AccountNotFoundException"),
        (lambda: other.describe_organizational_unit(OrganizationalUnitId=my_ou),
         "OrganizationalUnitNotFoundException"),
        (lambda: other.list_children(ParentId=org.root_id, ChildType="ACCOUNT"), "ParentNotFoundException"),
        (lambda: other.tag_resource(ResourceId=org.root_id, Tags=[{"Key": "k", "Value": "v"}]),
         "TargetNotFoundException"),
        (lambda: other.close_account(AccountId=mine), "AccountNotFoundException"),
        (lambda: other.remove_account_from_organization(AccountId=mine), "AccountNotFoundException"),
        (lambda: org.client.move_account(AccountId=mine, SourceParentId=org.root_id,
                                         DestinationParentId=other_ou), "DestinationParentNotFoundException"),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc)[0] == expected
    assert parent_of(org.client, mine) == org.root_id


# --- deleting the organization ------------------------------------------------


def test_delete_organization(org, new_account, client, endpoint):
    c = org.client
    account = new_account()
    orgkit.advance_clock(endpoint, 7 * orgkit.DAY_MS)
    ou = make_ou(org, org.root_id)["Id"]
    c.move_account(AccountId=account, SourceParentId=org.root_id, DestinationParentId=ou)
    with pytest.raises(ClientError) as exc:
        c.delete_organization()
    assert error_of(exc)[0] == "OrganizationNotEmptyException"

    c.remove_account_from_organization(AccountId=account)
    c.delete_organizational_unit(OrganizationalUnitId=ou)
    c.delete_organization()
    with pytest.raises(ClientError) as exc:
        c.describe_organization()
    assert error_of(exc)[0] == "AWSOrganizationsNotInUseException"

    # The former management account can start over with a new organization.
    again = c.create_organization(FeatureSet="ALL")["Organization"]
    assert again["Id"] != org.id
    assert ids(all_pages(c, "list_accounts", "Accounts")) == [MGMT]


# --- common mistakes: error codes and reasons ---------------------------------


def test_malformed_ids_are_invalid_input(org):
    c = org.client
    calls = [
        lambda: c.describe_account(AccountId="12345"),
        lambda: c.describe_organizational_unit(OrganizationalUnitId="my-ou"),
        lambda: c.create_organizational_unit(ParentId="root", Name="x"),
        lambda: c.list_children(ParentId="r-", ChildType="ACCOUNT"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc) == ("InvalidInputException", "INVALID_PATTERN")


def test_values_outside_an_enum_are_invalid_input(org):
    c = org.client
    calls = [
        lambda: c.list_children(ParentId=org.root_id, ChildType="ACCOUNTS"),
        lambda: c.list_create_account_status(States=["DONE"]),
        lambda: c.create_account(AccountName="x", Email="x@example.com", IamUserAccessToBilling="YES"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc) == ("InvalidInputException", "INVALID_ENUM")


def test_aws_prefixed_tag_keys_are_reserved(org):
    with pytest.raises(ClientError) as exc:
        org.client.tag_resource(ResourceId=org.root_id, Tags=[{"Key": "aws:owner", "Value": "me"}])
    assert error_of(exc) == ("InvalidInputException", "INVALID_SYSTEM_TAGS_PARAMETER")
    assert org.client.list_tags_for_resource(ResourceId=org.root_id)["Tags"] == []


def test_ou_name_longer_than_128_characters(org):
    with pytest.raises(ClientError) as exc:
        make_ou(org, org.root_id, "n" * 129)
    assert error_of(exc) == ("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    make_ou(org, org.root_id, "n" * 128)


def test_account_name_must_be_printable_ascii(org):
    with pytest.raises(ClientError) as exc:
        org.client.create_account(AccountName="Zürich", Email="zurich@example.com")
    assert error_of(exc) == ("InvalidInputException", "INVALID_PATTERN")


def test_account_name_longer_than_50_characters(org):
    with pytest.raises(ClientError) as exc:
        org.client.create_account(AccountName="a" * 51, Email="long-name@example.com")
    assert error_of(exc) == ("InvalidInputException", "MAX_LENGTH_EXCEEDED")


def test_well_formed_ids_that_name_nothing(org):
    c = org.client
    cases = [
        (lambda: c.describe_account(AccountId=GHOST_ACCOUNT), "AccountNotFoundException"),
        (lambda: c.describe_organizational_unit(OrganizationalUnitId=ghost_ou(org)),
         "OrganizationalUnitNotFoundException"),
        (lambda: c.create_organizational_unit(ParentId=ghost_ou(org), Name="x"), "ParentNotFoundException"),
        (lambda: c.list_children(ParentId=ghost_ou(org), ChildType="ACCOUNT"), "ParentNotFoundException"),
        (lambda: c.list_accounts_for_parent(ParentId=ghost_ou(org)), "ParentNotFoundException"),
        (lambda: c.list_organizational_units_for_parent(ParentId=ghost_ou(org)), "ParentNotFoundException"),
        (lambda: c.list_parents(ChildId=GHOST_ACCOUNT), "ChildNotFoundException"),
        (lambda: c.describe_create_account_status(CreateAccountRequestId="car-0123456789abcdef"),
         "CreateAccountStatusNotFoundException"),
        (lambda: c.remove_account_from_organization(AccountId=GHOST_ACCOUNT), "AccountNotFoundException"),
        (lambda: c.update_organizational_unit(OrganizationalUnitId=ghost_ou(org), Name="x"),
         "OrganizationalUnitNotFoundException"),
        (lambda: c.delete_organizational_unit(OrganizationalUnitId=ghost_ou(org)),
         "OrganizationalUnitNotFoundException"),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as exc:
            call()
        assert error_of(exc)[0] == expected


def test_an_ou_of_another_root_is_not_found(org):
    """An OU id whose root part is not this organization's root names nothing."""
    foreign = "ou-zz99-abcdefgh" if org.root_suffix != "zz99" else "ou-zz98-abcdefgh"
    with pytest.raises(ClientError) as exc:
        org.client.describe_organizational_unit(OrganizationalUnitId=foreign)
    assert error_of(exc)[0] == "OrganizationalUnitNotFoundException"
