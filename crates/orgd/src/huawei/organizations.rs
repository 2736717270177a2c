//! Organizations, roots, OUs, entities and quotas of the Huawei API.

use orgd_domain::ids::IdScheme;
use orgd_domain::ops;
use serde_json::json;

use super::errors::HwError;
use super::request::{Call, DEFAULT_LIMIT, page_request, paged};
use super::{Answer, HuaweiApi, wire};

/// A Huawei organization always has all features and mints Huawei's ids.
pub async fn create_organization(api: &HuaweiApi, call: &Call) -> Answer {
    let org = api
        .write(&call.caller, |cx, ids| {
            ops::create_organization(cx, ids, None, IdScheme::Huawei)
        })
        .await?;
    Ok(Some(json!({ "organization": wire::organization(&org) })))
}

pub async fn show_organization(api: &HuaweiApi, call: &Call) -> Answer {
    let org = api.read(&call.caller, ops::describe_organization)?;
    Ok(Some(json!({ "organization": wire::organization(&org) })))
}

pub async fn delete_organization(api: &HuaweiApi, call: &Call) -> Answer {
    api.write(&call.caller, |cx, _| ops::delete_organization(cx))
        .await?;
    Ok(None)
}

pub async fn leave_organization(api: &HuaweiApi, call: &Call) -> Answer {
    api.write(&call.caller, |cx, _| ops::leave_organization(cx))
        .await?;
    Ok(None)
}

pub async fn list_roots(api: &HuaweiApi, call: &Call) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let roots = api.read(&call.caller, |cx| ops::list_roots(cx, &page))?;
    Ok(Some(paged("roots", roots, wire::root)))
}

pub async fn create_organizational_unit(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_organizational_units(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn show_organizational_unit(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn update_organizational_unit(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn delete_organizational_unit(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_entities(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}

pub async fn list_quotas(_api: &HuaweiApi, call: &Call) -> Answer {
    Err(HwError::not_implemented(call.op.name()))
}
