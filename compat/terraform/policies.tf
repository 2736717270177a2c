# Policies: only with var.with_policies (orgd serves the policy operations
# once they have landed; see compat/README.md).

locals {
  policy_types = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
  policies           = var.with_policies ? 1 : 0
}

resource "aws_organizations_policy" "deny_leaving" {
  count       = local.policies
  name        = "deny-leaving-the-organization"
  description = "Member accounts stay in the organization"
  type        = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyLeave"
      Effect   = "Deny"
      Action   = "organizations:LeaveOrganization"
      Resource = "*"
    }]
  })
  tags = { guardrail = "true" }

  depends_on = [aws_organizations_organization.org]
}

resource "aws_organizations_policy" "deny_regions" {
  count = local.policies
  name  = "sandbox-us-only"
  type  = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyOutsideUs"
      Effect   = "Deny"
      Action   = "*"
      Resource = "*"
      Condition = {
        StringNotEquals = { "aws:RequestedRegion" = ["us-east-1", "us-west-2"] }
      }
    }]
  })

  depends_on = [aws_organizations_organization.org]
}

resource "aws_organizations_policy" "cost_center_tag" {
  count = local.policies
  name  = "cost-center-tag"
  type  = "TAG_POLICY"
  content = jsonencode({
    tags = {
      costcenter = {
        tag_key   = { "@@assign" = "CostCenter" }
        tag_value = { "@@assign" = ["cc-42", "cc-43"] }
      }
    }
  })

  # The tag policy type is enabled by the organization resource.
  depends_on = [aws_organizations_organization.org]
}

resource "aws_organizations_policy_attachment" "deny_leaving_workloads" {
  count     = local.policies
  policy_id = aws_organizations_policy.deny_leaving[0].id
  target_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_policy_attachment" "deny_leaving_security" {
  count     = local.policies
  policy_id = aws_organizations_policy.deny_leaving[0].id
  target_id = aws_organizations_organizational_unit.security.id
}

resource "aws_organizations_policy_attachment" "deny_regions_sandbox_account" {
  count     = local.policies
  policy_id = aws_organizations_policy.deny_regions[0].id
  target_id = aws_organizations_account.sandbox.id
}

resource "aws_organizations_policy_attachment" "cost_center_root" {
  count     = local.policies
  policy_id = aws_organizations_policy.cost_center_tag[0].id
  target_id = local.root_id
}

data "aws_organizations_policies" "scps" {
  count      = local.policies
  filter     = "SERVICE_CONTROL_POLICY"
  depends_on = [aws_organizations_policy.deny_leaving, aws_organizations_policy.deny_regions]
}

data "aws_organizations_policies_for_target" "workloads" {
  count      = local.policies
  target_id  = aws_organizations_organizational_unit.workloads.id
  filter     = "SERVICE_CONTROL_POLICY"
  depends_on = [aws_organizations_policy_attachment.deny_leaving_workloads]
}

data "aws_organizations_policy" "deny_leaving" {
  count     = local.policies
  policy_id = aws_organizations_policy.deny_leaving[0].id
}

output "policy_ids" {
  value = var.with_policies ? {
    deny_leaving    = aws_organizations_policy.deny_leaving[0].id
    deny_regions    = aws_organizations_policy.deny_regions[0].id
    cost_center_tag = aws_organizations_policy.cost_center_tag[0].id
  } : {}
}

output "data_scp_ids" {
  value = var.with_policies ? sort(data.aws_organizations_policies.scps[0].ids) : []
}

output "data_workloads_scp_ids" {
  value = var.with_policies ? sort(data.aws_organizations_policies_for_target.workloads[0].ids) : []
}

output "data_deny_leaving_name" {
  value = var.with_policies ? data.aws_organizations_policy.deny_leaving[0].name : ""
}
