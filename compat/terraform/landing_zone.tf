resource "aws_organizations_organization" "org" {
  feature_set = "ALL"

  aws_service_access_principals = [
    "guardduty.amazonaws.com",
    "sso.amazonaws.com",
  ]

  # Policy types are managed only with var.with_policies (see policies.tf). As
  # with AWS, a new organization has none enabled, so the usual landing-zone
  # configuration that enables SERVICE_CONTROL_POLICY here applies and plans
  # clean.
  enabled_policy_types = var.with_policies ? local.policy_types : []
}

locals {
  root_id = aws_organizations_organization.org.roots[0].id
}

# Three levels of organizational units below the root.
resource "aws_organizations_organizational_unit" "security" {
  name      = "Security"
  parent_id = local.root_id
  tags      = { tier = "core" }
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "Workloads"
  parent_id = local.root_id
}

resource "aws_organizations_organizational_unit" "prod" {
  name      = "Prod"
  parent_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_organizational_unit" "payments" {
  name      = "Payments"
  parent_id = aws_organizations_organizational_unit.prod.id
  tags      = { cost-center = "cc-42" }
}

resource "aws_organizations_organizational_unit" "sandbox" {
  name      = "Sandbox"
  parent_id = local.root_id
}

# Member accounts, each in its own OU.
resource "aws_organizations_account" "log_archive" {
  name      = "log-archive"
  email     = "log-archive@landing-zone.example.com"
  parent_id = aws_organizations_organizational_unit.security.id
  tags      = { role = "logs" }
}

resource "aws_organizations_account" "audit" {
  name      = "audit"
  email     = "audit@landing-zone.example.com"
  parent_id = aws_organizations_organizational_unit.security.id
}

resource "aws_organizations_account" "payments_prod" {
  name      = "payments-prod"
  email     = "payments-prod@landing-zone.example.com"
  parent_id = aws_organizations_organizational_unit.payments.id
  role_name = "OrganizationAccountAccessRole"
}

resource "aws_organizations_account" "sandbox" {
  name              = "sandbox-dev"
  email             = "sandbox-dev@landing-zone.example.com"
  parent_id         = aws_organizations_organizational_unit.sandbox.id
  close_on_deletion = true
}

# The audit account administers GuardDuty for the organization.
resource "aws_organizations_delegated_administrator" "guardduty" {
  account_id        = aws_organizations_account.audit.id
  service_principal = "guardduty.amazonaws.com"

  # Trusted access for the service must be on first.
  depends_on = [aws_organizations_organization.org]
}

resource "aws_organizations_resource_policy" "org" {
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AuditReadsTheOrganization"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${aws_organizations_account.audit.id}:root" }
      Action    = ["organizations:Describe*", "organizations:List*"]
      Resource  = "*"
    }]
  })
  tags = { owner = "platform" }

  depends_on = [aws_organizations_organization.org]
}

# Data sources, read after everything above exists.
# (aws_organizations_delegated_administrators and
# aws_organizations_delegated_services are left out: they take their id from
# the caller's account, which the provider learns only from STS
# GetCallerIdentity; with skip_requesting_account_id they read as null.)
data "aws_organizations_organization" "current" {
  depends_on = [
    aws_organizations_account.log_archive,
    aws_organizations_account.audit,
    aws_organizations_account.payments_prod,
    aws_organizations_account.sandbox,
    aws_organizations_delegated_administrator.guardduty,
  ]
}

data "aws_organizations_organizational_units" "top" {
  parent_id = local.root_id
  depends_on = [
    aws_organizations_organizational_unit.security,
    aws_organizations_organizational_unit.workloads,
    aws_organizations_organizational_unit.sandbox,
  ]
}

data "aws_organizations_organizational_unit_descendant_organizational_units" "workloads" {
  parent_id  = aws_organizations_organizational_unit.workloads.id
  depends_on = [aws_organizations_organizational_unit.payments]
}

data "aws_organizations_organizational_unit_descendant_accounts" "workloads" {
  parent_id  = aws_organizations_organizational_unit.workloads.id
  depends_on = [aws_organizations_account.payments_prod]
}

data "aws_organizations_organizational_unit_child_accounts" "security" {
  parent_id = aws_organizations_organizational_unit.security.id
  depends_on = [
    aws_organizations_account.log_archive,
    aws_organizations_account.audit,
  ]
}

data "aws_organizations_organizational_unit" "sandbox" {
  parent_id = local.root_id
  name      = aws_organizations_organizational_unit.sandbox.name
}

data "aws_organizations_resource_tags" "payments_ou" {
  resource_id = aws_organizations_organizational_unit.payments.id
}

# What the test checks after apply (terraform output -json).
output "organization_id" {
  value = aws_organizations_organization.org.id
}

output "root_id" {
  value = local.root_id
}

output "master_account_id" {
  value = aws_organizations_organization.org.master_account_id
}

output "service_access_principals" {
  value = sort(tolist(aws_organizations_organization.org.aws_service_access_principals))
}

output "account_parents" {
  value = {
    log_archive   = aws_organizations_account.log_archive.parent_id
    audit         = aws_organizations_account.audit.parent_id
    payments_prod = aws_organizations_account.payments_prod.parent_id
    sandbox       = aws_organizations_account.sandbox.parent_id
  }
}

output "account_ids" {
  value = {
    log_archive   = aws_organizations_account.log_archive.id
    audit         = aws_organizations_account.audit.id
    payments_prod = aws_organizations_account.payments_prod.id
    sandbox       = aws_organizations_account.sandbox.id
  }
}

output "ou_ids" {
  value = {
    security  = aws_organizations_organizational_unit.security.id
    workloads = aws_organizations_organizational_unit.workloads.id
    prod      = aws_organizations_organizational_unit.prod.id
    payments  = aws_organizations_organizational_unit.payments.id
    sandbox   = aws_organizations_organizational_unit.sandbox.id
  }
}

output "account_joined_methods" {
  value = sort(distinct([
    aws_organizations_account.log_archive.joined_method,
    aws_organizations_account.audit.joined_method,
    aws_organizations_account.payments_prod.joined_method,
    aws_organizations_account.sandbox.joined_method,
  ]))
}

output "data_org_account_count" {
  value = length(data.aws_organizations_organization.current.accounts)
}

output "data_org_non_master_account_ids" {
  value = sort([for a in data.aws_organizations_organization.current.non_master_accounts : a.id])
}

output "data_top_ou_names" {
  value = sort([for c in data.aws_organizations_organizational_units.top.children : c.name])
}

output "data_workloads_descendant_ou_names" {
  value = sort([for c in data.aws_organizations_organizational_unit_descendant_organizational_units.workloads.children : c.name])
}

output "data_workloads_descendant_account_names" {
  value = sort([for a in data.aws_organizations_organizational_unit_descendant_accounts.workloads.accounts : a.name])
}

output "data_security_child_account_names" {
  value = sort([for a in data.aws_organizations_organizational_unit_child_accounts.security.accounts : a.name])
}

output "data_sandbox_ou_id" {
  value = data.aws_organizations_organizational_unit.sandbox.id
}

output "data_payments_ou_tags" {
  value = data.aws_organizations_resource_tags.payments_ou.tags
}

output "resource_policy_arn" {
  value = aws_organizations_resource_policy.org.arn
}
