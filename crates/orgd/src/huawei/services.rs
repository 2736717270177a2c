//! Trusted services, the catalogue of services that can be trusted, and delegated administrators
//! of the Huawei API.

use orgd_domain::ids::IdScheme;
use orgd_domain::{ops, services};
use serde_json::json;

use super::request::{Call, DEFAULT_LIMIT, page_request, paged};
use super::{Answer, HuaweiApi, wire};

/// A service principal: 1 to 100 characters.
const PRINCIPAL_CHARS: (usize, usize) = (1, 100);
/// An account id in a delegation body: at most 36 characters (API.md §8).
const ACCOUNT_ID_CHARS: usize = 36;

fn principal(call: &Call) -> Result<String, super::errors::HwError> {
    Ok(call
        .body
        .bounded("service_principal", PRINCIPAL_CHARS.0, PRINCIPAL_CHARS.1)?
        .to_string())
}

pub async fn enable_trusted_service(api: &HuaweiApi, call: &Call) -> Answer {
    let p = principal(call)?;
    api.write(&call.caller, move |cx, _| {
        ops::enable_aws_service_access(cx, &p)
    })
    .await?;
    Ok(None)
}

/// Disabling a service that is not trusted is Huawei's `Organizations.1900` (API.md §14.2),
/// where AWS's DisableAWSServiceAccess succeeds.
pub async fn disable_trusted_service(api: &HuaweiApi, call: &Call) -> Answer {
    let p = principal(call)?;
    api.write(&call.caller, move |cx, _| {
        let org = cx.org(orgd_domain::access::Operation::DisableAWSServiceAccess)?;
        if !org.service_access.contains_key(&p) {
            return Err(orgd_domain::OrgError::Constraint(
                orgd_domain::Constraint::ServiceAccessNotEnabled {
                    principal: p.clone(),
                },
            ));
        }
        ops::disable_aws_service_access(cx, &p)
    })
    .await?;
    Ok(None)
}

pub async fn list_trusted_services(api: &HuaweiApi, call: &Call) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let services = api.read(&call.caller, |cx| ops::list_aws_service_access(cx, &page))?;
    Ok(Some(paged("trusted_services", services, |(p, t)| {
        wire::trusted_service(p, *t)
    })))
}

/// The catalogue of Huawei services that can be trusted (any caller; it is data).
pub async fn list_services(_api: &HuaweiApi, _call: &Call) -> Answer {
    let names: Vec<&str> = services::catalogue(IdScheme::Huawei)
        .iter()
        .map(|(p, _)| *p)
        .collect();
    Ok(Some(json!({ "services": names })))
}

fn delegation(call: &Call) -> Result<(String, String), super::errors::HwError> {
    let account = call
        .body
        .bounded("account_id", 1, ACCOUNT_ID_CHARS)?
        .to_string();
    Ok((account, principal(call)?))
}

pub async fn register_delegated_administrator(api: &HuaweiApi, call: &Call) -> Answer {
    let (account, p) = delegation(call)?;
    api.write(&call.caller, move |cx, _| {
        ops::register_delegated_administrator(cx, &account, &p)
    })
    .await?;
    Ok(None)
}

pub async fn deregister_delegated_administrator(api: &HuaweiApi, call: &Call) -> Answer {
    let (account, p) = delegation(call)?;
    api.write(&call.caller, move |cx, _| {
        ops::deregister_delegated_administrator(cx, &account, &p)
    })
    .await?;
    Ok(None)
}

pub async fn list_delegated_administrators(api: &HuaweiApi, call: &Call) -> Answer {
    let p = call.query.str("service_principal", PRINCIPAL_CHARS.1)?;
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let admins = api.read(&call.caller, |cx| {
        ops::list_delegated_administrators(cx, p, &page)
    })?;
    Ok(Some(paged(
        "delegated_administrators",
        admins,
        wire::delegated_administrator,
    )))
}

pub async fn list_delegated_services(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id");
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let services = api.read(&call.caller, |cx| {
        ops::list_delegated_services_for_account(cx, id, &page)
    })?;
    Ok(Some(paged("delegated_services", services, |(p, t)| {
        wire::delegated_service(p, *t)
    })))
}
