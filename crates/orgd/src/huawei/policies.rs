//! Policies, policy types and attachments, the SCP dry-run family, effective policies and the
//! tag-policy service catalogue of the Huawei API (owned by the policies work: hw-policy).

use super::errors::HwError;
use super::request::Call;
use super::{Answer, HuaweiApi};

pub async fn create_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_policies(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn update_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn delete_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn enable_policy_type(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn disable_policy_type(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn attach_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn detach_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_entities_for_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_dry_run_config(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn update_dry_run_config(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn create_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_dry_run_policies(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn update_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn delete_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn attach_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn detach_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_entities_for_dry_run_policy(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_effective_policies(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_tag_policy_services(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}
