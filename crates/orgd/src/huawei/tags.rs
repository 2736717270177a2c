//! Tags (both of Huawei's families) and tag-based resource queries of the Huawei API.
//!
//! The AWS-style family names a resource by id alone (`/resources/{resource_id}/...`); the
//! TMS-style family by type and id (`/{resource_type}/{resource_id}/tags...`, the type one of the
//! four below). Both reach the same tags in the domain. The queries (`ops::select_resources`)
//! take Huawei's filter: AND across keys, OR across values, `without_any_tag`, `matches` on names.

use orgd_domain::model::{Kind, Tags};
use orgd_domain::ops::{self, ResourceQuery, TagFilter};
use serde_json::{Value, json};

use super::errors::HwError;
use super::request::{Body, Call, DEFAULT_LIMIT, MAX_LIMIT, Query, check_length};
use super::{Answer, HuaweiApi, wire};

/// The TMS resource types (API.md §11, §15), the kind each names, and the `matches` key that
/// names its resources' names (API.md's `Match.key`; `resource_name`, TMS's own key, works for
/// every type).
const RESOURCE_TYPES: &[(&str, Kind, &str)] = &[
    ("organizations:policies", Kind::Policy, "policy"),
    (
        "organizations:ous",
        Kind::OrganizationalUnit,
        "organizational-unit",
    ),
    ("organizations:accounts", Kind::Account, "account"),
    ("organizations:roots", Kind::Root, "root"),
];
const ANY_NAME_KEY: &str = "resource_name";

/// Filter bounds (API.md §11): at most 10 keys of at most 127 characters, 10 values each of at
/// most 255; `matches` values at most 255. Paging: `limit` 1..=1000, default 1000 (TMS's bounds,
/// which API.md cites for want of Organizations' own), `offset` a number from 0.
const MAX_FILTER_KEYS: usize = 10;
const MAX_FILTER_VALUES: usize = 10;
const FILTER_KEY_CHARS: usize = 127;
const VALUE_CHARS: usize = 255;
const MAX_INSTANCES_LIMIT: usize = 1000;
/// A resource id's documented length.
const ID_CHARS: usize = 130;
/// A tag-listing marker: the last key of the previous page, after this prefix (markers are 4 to
/// 400 characters long, keys may be 1).
const TAG_MARKER: &str = "tag:";

/// The kind a `resource_type` path parameter names, and its name key.
fn resource_type(call: &Call) -> Result<(Kind, &'static str), HwError> {
    let t = call.param("resource_type");
    RESOURCE_TYPES
        .iter()
        .find(|(name, _, _)| *name == t)
        .map(|(_, k, m)| (*k, *m))
        .ok_or_else(|| {
            HwError::invalid(format!(
                "resource_type must be one of organizations:policies, organizations:ous, \
                 organizations:accounts, organizations:roots, not '{t}'."
            ))
        })
}

fn resource_id(call: &Call) -> Result<String, HwError> {
    let id = call.param("resource_id");
    check_length("resource_id", id, 1, ID_CHARS)?;
    Ok(id.to_string())
}

/// A `TagDto` list that must be present.
fn required_tags(body: &Body) -> Result<Vec<(String, String)>, HwError> {
    if body.get("tags").is_none() {
        return Err(HwError::invalid("The member tags is required."));
    }
    body.tags("tags")
}

fn tag_list(tags: &Tags) -> Value {
    let pairs: Vec<(String, String)> = tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    wire::tags(&pairs)
}

/// A page of a resource's tags, in key order: `{tags, page_info}`.
fn tag_page(tags: Tags, query: &Query) -> Answer {
    let page = super::request::page_request(query, DEFAULT_LIMIT)?;
    let after = match page.after.as_deref() {
        None => None,
        Some(m) => Some(
            m.strip_prefix(TAG_MARKER)
                .ok_or_else(|| HwError::invalid("The marker is not one this listing gave."))?
                .to_string(),
        ),
    };
    let mut rest = tags
        .into_iter()
        .filter(|(k, _)| after.as_ref().is_none_or(|a| k > a))
        .peekable();
    let items: Tags = rest.by_ref().take(page.limit).collect();
    let next = match (rest.peek(), items.keys().last()) {
        (Some(_), Some(last)) => Some(format!("{TAG_MARKER}{last}")),
        _ => None,
    };
    Ok(Some(json!({
        "tags": tag_list(&items),
        "page_info": { "next_marker": next, "current_count": items.len() },
    })))
}

pub async fn tag_resource(api: &HuaweiApi, call: &Call) -> Answer {
    let (id, tags) = (resource_id(call)?, required_tags(&call.body)?);
    api.write(&call.caller, move |cx, _| ops::tag_resource(cx, &id, &tags))
        .await?;
    Ok(None)
}

pub async fn untag_resource(api: &HuaweiApi, call: &Call) -> Answer {
    let id = resource_id(call)?;
    let keys = call
        .body
        .opt_strings("tag_keys")?
        .ok_or_else(|| HwError::invalid("The member tag_keys is required."))?;
    for k in &keys {
        check_length("tag_keys", k, 1, 128)?;
    }
    api.write(&call.caller, move |cx, _| {
        ops::untag_resource(cx, &id, &keys)
    })
    .await?;
    Ok(None)
}

pub async fn list_tags_for_resource(api: &HuaweiApi, call: &Call) -> Answer {
    let id = resource_id(call)?;
    let tags = api.read(&call.caller, |cx| ops::list_tags_for_resource(cx, &id))?;
    tag_page(tags, &call.query)
}

pub async fn create_tag_resource(api: &HuaweiApi, call: &Call) -> Answer {
    let (kind, _) = resource_type(call)?;
    let (id, tags) = (resource_id(call)?, required_tags(&call.body)?);
    api.write(&call.caller, move |cx, _| {
        ops::tag_resource_of_kind(cx, kind, &id, &tags)
    })
    .await?;
    Ok(None)
}

/// TMS-style removal: the body lists whole tags; a key whose value differs stays.
pub async fn delete_tag_resource(api: &HuaweiApi, call: &Call) -> Answer {
    let (kind, _) = resource_type(call)?;
    let (id, tags) = (resource_id(call)?, required_tags(&call.body)?);
    api.write(&call.caller, move |cx, _| {
        ops::untag_resource_of_kind(cx, kind, &id, &tags)
    })
    .await?;
    Ok(None)
}

pub async fn list_tag_resources(api: &HuaweiApi, call: &Call) -> Answer {
    let (kind, _) = resource_type(call)?;
    let id = resource_id(call)?;
    let tags = api.read(&call.caller, |cx| ops::list_tags_of_kind(cx, kind, &id))?;
    tag_page(tags, &call.query)
}

/// `{tags: [{key, values}]}`: every key used on the type's resources, with its values.
pub async fn list_resource_tags(api: &HuaweiApi, call: &Call) -> Answer {
    let (kind, _) = resource_type(call)?;
    let keys = api.read(&call.caller, |cx| ops::resource_tag_values(cx, kind))?;
    let tags: Vec<Value> = keys
        .into_iter()
        .map(|(key, values)| json!({ "key": key, "values": values }))
        .collect();
    Ok(Some(json!({ "tags": tags })))
}

/// `ResourceInstanceReqBody` as a domain query.
fn resource_query(call: &Call) -> Result<ResourceQuery, HwError> {
    let (kind, name_key) = resource_type(call)?;
    let body = &call.body;
    let mut tags: Vec<TagFilter> = Vec::new();
    for f in body.opt_objects("tags")?.unwrap_or_default() {
        let key = f.bounded("key", 1, FILTER_KEY_CHARS)?.to_string();
        let values = f
            .opt_strings("values")?
            .ok_or_else(|| HwError::invalid("Each tag filter needs its values."))?;
        if values.len() > MAX_FILTER_VALUES {
            return Err(HwError::invalid(format!(
                "A tag filter can have at most {MAX_FILTER_VALUES} values."
            )));
        }
        for v in &values {
            check_length("values", v, 0, VALUE_CHARS)?;
        }
        if tags.iter().any(|t| t.key == key) {
            return Err(HwError::invalid(format!(
                "The tag key {key} appears twice in the filter."
            )));
        }
        tags.push(TagFilter { key, values });
    }
    if tags.len() > MAX_FILTER_KEYS {
        return Err(HwError::invalid(format!(
            "A filter can have at most {MAX_FILTER_KEYS} tag keys."
        )));
    }
    let mut name_contains = Vec::new();
    for m in body.opt_objects("matches")?.unwrap_or_default() {
        let key = m.str("key")?;
        if key != name_key && key != ANY_NAME_KEY {
            return Err(HwError::invalid(format!(
                "A match key for this resource type is {name_key} or {ANY_NAME_KEY}, not '{key}'."
            )));
        }
        name_contains.push(m.bounded("value", 0, VALUE_CHARS)?.to_string());
    }
    Ok(ResourceQuery {
        kind,
        without_any_tag: body.opt_bool("without_any_tag")?.unwrap_or(false),
        tags,
        name_contains,
    })
}

/// `limit` (1..=1000, default 1000) and `offset` (a number from 0, sent as a string).
fn window(query: &Query) -> Result<(usize, usize), HwError> {
    let limit = match query.one("limit")? {
        None => MAX_INSTANCES_LIMIT,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_INSTANCES_LIMIT.min(MAX_LIMIT)).contains(n))
            .ok_or_else(|| {
                HwError::invalid(format!(
                    "The limit must be an integer from 1 to {MAX_INSTANCES_LIMIT}, not '{s}'."
                ))
            })?,
    };
    let offset = match query.one("offset")? {
        None | Some("") => 0,
        Some(s) => s.parse::<usize>().map_err(|_| {
            HwError::invalid(format!("The offset must be a number from 0, not '{s}'."))
        })?,
    };
    Ok((offset, limit))
}

pub async fn list_resource_instances(api: &HuaweiApi, call: &Call) -> Answer {
    let q = resource_query(call)?;
    let (offset, limit) = window(&call.query)?;
    let found = api.read(&call.caller, |cx| {
        ops::select_resources(cx, &q, offset, limit)
    })?;
    let resources: Vec<Value> = found
        .items
        .iter()
        .map(|r| {
            json!({
                "resource_id": r.id,
                "resource_name": r.name,
                "tags": tag_list(&r.tags),
            })
        })
        .collect();
    Ok(Some(
        json!({ "resources": resources, "total_count": found.total }),
    ))
}

pub async fn show_resource_instances_count(api: &HuaweiApi, call: &Call) -> Answer {
    let q = resource_query(call)?;
    let total = api.read(&call.caller, |cx| ops::count_resources(cx, &q))?;
    Ok(Some(json!({ "total_count": total })))
}
