//! Invitations (handshakes) of the Huawei API, on the sender's and the receiver's paths.

use super::errors::HwError;
use super::request::Call;
use super::{Answer, HuaweiApi};

pub async fn invite_account(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_handshakes(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_handshake(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn cancel_handshake(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_received_handshakes(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn accept_handshake(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn decline_handshake(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}
