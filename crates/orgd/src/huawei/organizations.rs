//! Organizations, roots, OUs, entities and quotas of the Huawei API.

use orgd_domain::ids::IdScheme;
use orgd_domain::ops;
use serde_json::json;

use super::errors::HwError;
use super::request::{Call, DEFAULT_LIMIT, DEFAULT_OU_LIMIT, page_request, paged};
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

/// An OU's or a root's name: 1 to 64 characters.
const NAME_CHARS: (usize, usize) = (1, 64);
/// Parent and child ids: at most 100 characters (API.md §4).
const ENTITY_ID_CHARS: usize = 100;

pub async fn create_organizational_unit(api: &HuaweiApi, call: &Call) -> Answer {
    let name = call
        .body
        .bounded("name", NAME_CHARS.0, NAME_CHARS.1)?
        .to_string();
    let parent = call
        .body
        .bounded("parent_id", 1, ENTITY_ID_CHARS)?
        .to_string();
    let tags = call.body.tags("tags")?;
    let ou = api
        .write(&call.caller, move |cx, ids| {
            ops::create_organizational_unit(cx, ids, &parent, &name, &tags)
        })
        .await?;
    Ok(Some(json!({ "organizational_unit": wire::ou(&ou) })))
}

/// Without `parent_id`, every OU of the organization; with it, the parent's direct children.
pub async fn list_organizational_units(api: &HuaweiApi, call: &Call) -> Answer {
    let parent = call.query.str("parent_id", ENTITY_ID_CHARS)?;
    let page = page_request(&call.query, DEFAULT_OU_LIMIT)?;
    let ous = api.read(&call.caller, |cx| match parent {
        Some(p) => ops::list_organizational_units_for_parent(cx, p, &page),
        None => ops::list_organizational_units(cx, &page),
    })?;
    Ok(Some(paged("organizational_units", ous, wire::ou)))
}

pub async fn show_organizational_unit(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("organizational_unit_id");
    let ou = api.read(&call.caller, |cx| ops::describe_organizational_unit(cx, id))?;
    Ok(Some(json!({ "organizational_unit": wire::ou(&ou) })))
}

pub async fn update_organizational_unit(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("organizational_unit_id").to_string();
    let name = call
        .body
        .bounded("name", NAME_CHARS.0, NAME_CHARS.1)?
        .to_string();
    let ou = api
        .write(&call.caller, move |cx, _| {
            ops::update_organizational_unit(cx, &id, Some(&name))
        })
        .await?;
    Ok(Some(json!({ "organizational_unit": wire::ou(&ou) })))
}

pub async fn delete_organizational_unit(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("organizational_unit_id").to_string();
    api.write(&call.caller, move |cx, _| {
        ops::delete_organizational_unit(cx, &id)
    })
    .await?;
    Ok(None)
}

/// With `parent_id`, the parent's children; with `child_id`, the child's parent; with neither,
/// every root, OU and account of the organization.
pub async fn list_entities(api: &HuaweiApi, call: &Call) -> Answer {
    let parent = call.query.str("parent_id", ENTITY_ID_CHARS)?;
    let child = call.query.str("child_id", ENTITY_ID_CHARS)?;
    let selector = match (parent, child) {
        (Some(_), Some(_)) => {
            return Err(HwError::invalid("Give parent_id or child_id, not both."));
        }
        (Some(p), None) => ops::EntitySelector::ChildrenOf(p),
        (None, Some(c)) => ops::EntitySelector::ParentOf(c),
        (None, None) => ops::EntitySelector::All,
    };
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let entities = api.read(&call.caller, |cx| ops::list_entities(cx, selector, &page))?;
    Ok(Some(paged("entities", entities, wire::entity_view)))
}

/// Accounts, OUs and policies (of Huawei's policy types) against their quotas.
pub async fn list_quotas(api: &HuaweiApi, call: &Call) -> Answer {
    let q = api.read(&call.caller, ops::quotas)?;
    let policies = q
        .policies
        .iter()
        .filter(|(t, _)| wire::parse_policy_type(&wire::policy_type(*t)).is_some())
        .fold(ops::Usage { used: 0, limit: 0 }, |sum, (_, u)| ops::Usage {
            used: sum.used + u.used,
            limit: sum.limit + u.limit,
        });
    Ok(Some(json!({ "quotas": { "resources": [
        wire::quota("account", q.accounts),
        wire::quota("organizational_unit", q.organizational_units),
        wire::quota("policy", policies),
    ] } })))
}
