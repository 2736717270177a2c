"""A small, realistic organization built through the API (boto3, as the management account):
the console test checks what the console shows of it, and `console_tool.py screenshot` takes the
README's picture of it."""

import json
import types

import orgkit

DENY_LEAVE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "DenyLeavingTheOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
    ],
}
DENY_REGIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OnlyTwoRegions",
            "Effect": "Deny",
            "NotAction": ["iam:*", "organizations:*", "sts:*"],
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}},
        }
    ],
}
COST_CENTER_TAGS = {
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["100", "200", "300"]},
        }
    }
}


def build(mgmt):
    """Creates the organization; a namespace of the ids the test needs."""
    org = mgmt.create_organization(FeatureSet="ALL")["Organization"]
    root = mgmt.list_roots()["Roots"][0]["Id"]
    mgmt.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    mgmt.enable_policy_type(RootId=root, PolicyType="TAG_POLICY")

    def ou(parent, name):
        return mgmt.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]

    security = ou(root, "Security")
    infrastructure = ou(root, "Infrastructure")
    workloads = ou(root, "Workloads")
    prod = ou(workloads, "Production")
    staging = ou(workloads, "Staging")
    sandbox = ou(root, "Sandbox")

    def account(name, parent, tags=()):
        tag_list = [{"Key": k, "Value": v} for k, v in tags]
        account_id = orgkit.create_account(mgmt, name=name, email=f"{name}@example.com", tags=tag_list)
        if parent != root:
            mgmt.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    ids = types.SimpleNamespace(org=org["Id"], root=root, security=security, infrastructure=infrastructure,
                                workloads=workloads, prod=prod, staging=staging, sandbox=sandbox)
    ids.log_archive = account("log-archive", security, [("team", "security"), ("CostCenter", "100")])
    ids.audit = account("audit", security, [("team", "security")])
    ids.network = account("network", infrastructure, [("team", "platform"), ("CostCenter", "200")])
    ids.shop_prod = account("shop-prod", prod, [("team", "shop"), ("CostCenter", "300"), ("env", "prod")])
    ids.shop_staging = account("shop-staging", staging, [("team", "shop"), ("env", "staging")])
    ids.experiments = account("experiments", sandbox, [("team", "research")])
    ids.legacy = account("legacy-billing", root)
    mgmt.close_account(AccountId=ids.legacy)

    def policy(name, kind, content, description):
        return mgmt.create_policy(Name=name, Type=kind, Content=json.dumps(content), Description=description)[
            "Policy"
        ]["PolicySummary"]["Id"]

    ids.deny_leave = policy("DenyLeaveOrganization", "SERVICE_CONTROL_POLICY", DENY_LEAVE, "Member accounts stay")
    ids.deny_regions = policy("TwoRegionsOnly", "SERVICE_CONTROL_POLICY", DENY_REGIONS, "eu-west-1 and us-east-1")
    ids.cost_tags = policy("CostCenterTags", "TAG_POLICY", COST_CENTER_TAGS, "CostCenter is 100, 200 or 300")
    mgmt.attach_policy(PolicyId=ids.deny_leave, TargetId=root)
    mgmt.attach_policy(PolicyId=ids.deny_regions, TargetId=workloads)
    mgmt.attach_policy(PolicyId=ids.cost_tags, TargetId=root)

    mgmt.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    mgmt.enable_aws_service_access(ServicePrincipal="securityhub.amazonaws.com")
    mgmt.register_delegated_administrator(AccountId=ids.audit, ServicePrincipal="guardduty.amazonaws.com")
    ids.invitation = mgmt.invite_account_to_organization(Target={"Id": "444455556666", "Type": "ACCOUNT"})[
        "Handshake"
    ]["Id"]
    return ids
