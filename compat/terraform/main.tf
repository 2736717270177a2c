# A small landing zone managed with the hashicorp/aws provider against orgd.
# compat/test_terraform.py copies this folder to a temporary directory, writes
# a Terraform CLI config that installs the provider from the machine's local
# filesystem mirror (no network), and runs init, apply, plan (must be empty)
# and destroy.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0"
    }
  }
}

variable "endpoint" {
  description = "orgd's URL, e.g. http://127.0.0.1:4566"
  type        = string
}

variable "management_account_id" {
  description = "12-digit access key id: orgd makes the caller this account"
  type        = string
  default     = "111111111111"
}

variable "with_policies" {
  description = "Also manage policies, their attachments and the enabled policy types (policies.tf)"
  type        = bool
  default     = false
}

provider "aws" {
  region     = "us-east-1"
  access_key = var.management_account_id
  secret_key = "x"

  # Nothing but Organizations is called, and only on orgd: no STS
  # GetCallerIdentity, no IMDS, no region list.
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {
    organizations = var.endpoint
  }
}
