//! Trusted services, the catalogue of services that can be trusted, and delegated administrators
//! of the Huawei API.

use super::errors::HwError;
use super::request::Call;
use super::{Answer, HuaweiApi};

pub async fn enable_trusted_service(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn disable_trusted_service(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_trusted_services(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn register_delegated_administrator(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn deregister_delegated_administrator(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_delegated_administrators(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_delegated_services(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_services(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}
