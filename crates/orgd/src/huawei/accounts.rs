//! Accounts of the Huawei API: creation, listing, description, moves, removal, closure.

use super::errors::HwError;
use super::request::Call;
use super::{Answer, HuaweiApi};

pub async fn create_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn create_resource_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_accounts(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn update_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn move_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn remove_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn close_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_create_account_statuses(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_create_account_status(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_close_account_statuses(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}
