//! Policies, policy types and attachments, the SCP dry-run family, effective policies and the
//! tag-policy service catalogue of the Huawei API.
//!
//! The rules are the domain's (`ops::policies`, `ops::dry_run`, `ops::effective`); the
//! organization's scheme picks Huawei's policy language there. Here: reading Huawei's members
//! (their documented lengths), and the shapes only these operations answer with
//! (`DryRunConfigDto`, the effective policy, `TagPolicyServiceDto`).

use orgd_domain::ops::{self, DryRunConfigUpdate, DryRunConfigView, NewPolicy, PolicyMode};
use orgd_domain::policy::{HUAWEI_TAG_POLICY_SERVICES, PolicyType};
use serde_json::{Value, json};

use super::errors::HwError;
use super::request::{Body, Call, DEFAULT_LIMIT, Query, page_request, paged};
use super::{Answer, HuaweiApi, wire};

/// Documented lengths (API.md §9, §13): name 1..64, description 0..512, tags 0..20 per request,
/// root ids at most 34 characters, entity and policy ids at most 130 (`resource_id`).
const NAME: (usize, usize) = (1, 64);
const DESCRIPTION: (usize, usize) = (0, 512);
const MAX_REQUEST_TAGS: usize = 20;
const ROOT_ID_CHARS: usize = 34;
const ID_CHARS: usize = 130;

/// A policy type member: `service_control_policy` or `tag_policy`.
fn policy_type(v: &str, name: &str) -> Result<PolicyType, HwError> {
    wire::parse_policy_type(v).ok_or_else(|| {
        HwError::invalid(format!(
            "{name} must be service_control_policy or tag_policy, not '{v}'."
        ))
    })
}

fn body_policy_type(body: &Body, name: &str) -> Result<PolicyType, HwError> {
    policy_type(body.str(name)?, name)
}

fn query_policy_type(query: &Query, name: &str) -> Result<PolicyType, HwError> {
    policy_type(query.required(name, 64)?, name)
}

/// The tags of a create request: at most 20 (API.md §9).
fn request_tags(body: &Body) -> Result<Vec<(String, String)>, HwError> {
    let tags = body.tags("tags")?;
    if tags.len() > MAX_REQUEST_TAGS {
        return Err(HwError::invalid(format!(
            "A request can carry at most {MAX_REQUEST_TAGS} tags."
        )));
    }
    Ok(tags)
}

/// `CreatePolicyReqBody` / `CreateDryRunPolicyReqBody`.
fn new_policy(body: &Body) -> Result<NewPolicy, HwError> {
    Ok(NewPolicy {
        content: body.str("content")?.to_string(),
        description: body
            .bounded("description", DESCRIPTION.0, DESCRIPTION.1)?
            .to_string(),
        name: body.bounded("name", NAME.0, NAME.1)?.to_string(),
        policy_type: body_policy_type(body, "type")?,
        tags: request_tags(body)?,
    })
}

/// `UpdatePolicyReqBody`: what is given of (name, description, content).
type PolicyUpdate = (Option<String>, Option<String>, Option<String>);

fn policy_update(body: &Body) -> Result<PolicyUpdate, HwError> {
    let name = body.opt_str("name")?;
    if let Some(n) = name {
        super::request::check_length("name", n, NAME.0, NAME.1)?;
    }
    let description = body.opt_str("description")?;
    if let Some(d) = description {
        super::request::check_length("description", d, DESCRIPTION.0, DESCRIPTION.1)?;
    }
    let content = body.opt_str("content")?;
    Ok((
        name.map(str::to_string),
        description.map(str::to_string),
        content.map(str::to_string),
    ))
}

fn entity_id(body: &Body) -> Result<String, HwError> {
    Ok(body.bounded("entity_id", 1, ID_CHARS)?.to_string())
}

fn policy_id(call: &Call) -> String {
    call.param("policy_id").to_string()
}

fn one_policy(v: &ops::PolicyView) -> Value {
    json!({ "policy": wire::policy(v) })
}

// The policy operations and their dry-run twins (`create_dry_run_policy`, ...) take the same
// members and answer the same shapes: one handler each, over the mode the routed operation names.

pub async fn create_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let p = new_policy(&call.body)?;
    let v = api
        .write(&call.caller, move |cx, ids| {
            ops::create_policy(cx, ids, mode, &p)
        })
        .await?;
    Ok(Some(one_policy(&v)))
}

pub async fn list_policies(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let attached = call.query.str("attached_entity_id", ID_CHARS)?;
    let policies = api.read(&call.caller, |cx| {
        ops::list_policies_of_every_type(cx, mode, attached, &page)
    })?;
    Ok(Some(paged("policies", policies, wire::policy_summary)))
}

pub async fn show_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let v = api.read(&call.caller, |cx| {
        ops::describe_policy(cx, mode, call.param("policy_id"))
    })?;
    Ok(Some(one_policy(&v)))
}

pub async fn update_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let (name, description, content) = policy_update(&call.body)?;
    let id = policy_id(call);
    let v = api
        .write(&call.caller, move |cx, _| {
            ops::update_policy(
                cx,
                mode,
                &id,
                name.as_deref(),
                description.as_deref(),
                content.as_deref(),
            )
        })
        .await?;
    Ok(Some(one_policy(&v)))
}

pub async fn delete_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let id = policy_id(call);
    api.write(&call.caller, move |cx, _| ops::delete_policy(cx, mode, &id))
        .await?;
    Ok(None)
}

/// Attaches (`attach`) or detaches a policy of `mode`.
pub async fn attach_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode, attach: bool) -> Answer {
    let (id, target) = (policy_id(call), entity_id(&call.body)?);
    api.write(&call.caller, move |cx, _| {
        if attach {
            ops::attach_policy(cx, mode, &id, &target)
        } else {
            ops::detach_policy(cx, mode, &id, &target)
        }
    })
    .await?;
    Ok(None)
}

pub async fn list_entities_for_policy(api: &HuaweiApi, call: &Call, mode: PolicyMode) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let targets = api.read(&call.caller, |cx| {
        ops::list_targets_for_policy(cx, mode, call.param("policy_id"), &page)
    })?;
    Ok(Some(paged(
        "attached_entities",
        targets,
        wire::policy_target,
    )))
}

/// `PolicyTypeReqBody`: (root id, policy type).
fn policy_type_request(body: &Body) -> Result<(String, PolicyType), HwError> {
    let root = body.bounded("root_id", 1, ROOT_ID_CHARS)?.to_string();
    Ok((root, body_policy_type(body, "policy_type")?))
}

/// Enables (`enable`) or disables a policy type in the root.
pub async fn set_policy_type(api: &HuaweiApi, call: &Call, enable: bool) -> Answer {
    let (root, ty) = policy_type_request(&call.body)?;
    let v = api
        .write(&call.caller, move |cx, _| {
            if enable {
                ops::enable_policy_type(cx, &root, ty)
            } else {
                ops::disable_policy_type(cx, &root, ty)
            }
        })
        .await?;
    Ok(Some(json!({ "root": wire::root(&v) })))
}

/// `DryRunConfigDto`. orgd enables and disables at once, so the status is `enabled` or
/// `disabled`, never pending.
fn dry_run_config(v: &DryRunConfigView) -> Value {
    let mut c = json!({
        "root_id": v.root_id,
        "status": if v.enabled { "enabled" } else { "disabled" },
        "policy_type": wire::policy_type(v.policy_type),
        "created_at": wire::timestamp(v.created_at),
        "updated_at": wire::timestamp(v.updated_at),
    });
    for (member, value) in [
        ("bucket_name", &v.log_bucket),
        ("region_id", &v.log_region),
        ("bucket_prefix", &v.log_prefix),
        ("agency_name", &v.agency),
    ] {
        if let Some(value) = value {
            c[member] = json!(value);
        }
    }
    c
}

pub async fn show_dry_run_config(api: &HuaweiApi, call: &Call) -> Answer {
    let root = call.query.required("root_id", ROOT_ID_CHARS)?;
    let ty = query_policy_type(&call.query, "policy_type")?;
    let v = api.read(&call.caller, |cx| ops::show_dry_run_config(cx, root, ty))?;
    Ok(Some(json!({ "root": dry_run_config(&v) })))
}

/// An optional string member of at most `max` characters (the OBS names are not documented
/// further; 1..=255 is chosen).
fn setting(body: &Body, name: &str) -> Result<Option<String>, HwError> {
    let v = body.opt_str(name)?;
    if let Some(s) = v {
        super::request::check_length(name, s, 1, 255)?;
    }
    Ok(v.map(str::to_string))
}

pub async fn update_dry_run_config(api: &HuaweiApi, call: &Call) -> Answer {
    let b = &call.body;
    let (root, ty) = policy_type_request(b)?;
    let enabled = match b.opt_str("status")? {
        None => None,
        Some("enabled") => Some(true),
        Some("disabled") => Some(false),
        Some(other) => {
            return Err(HwError::invalid(format!(
                "status must be enabled or disabled, not '{other}'."
            )));
        }
    };
    let update = DryRunConfigUpdate {
        enabled,
        log_bucket: setting(b, "bucket_name")?,
        log_region: setting(b, "region_id")?,
        log_prefix: setting(b, "bucket_prefix")?,
        agency: setting(b, "agency_name")?,
    };
    let v = api
        .write(&call.caller, move |cx, _| {
            ops::update_dry_run_config(cx, &root, ty, update.clone())
        })
        .await?;
    Ok(Some(json!({ "root": dry_run_config(&v) })))
}

/// Only tag policies and only accounts (API.md §12); an SCP is refused by the domain (it has no
/// effective policy), a root or OU too.
pub async fn show_effective_policies(api: &HuaweiApi, call: &Call) -> Answer {
    let entity = call.query.required("entity_id", ID_CHARS)?;
    let ty = query_policy_type(&call.query, "policy_type")?;
    let v = api.read(&call.caller, |cx| {
        ops::describe_effective_policy(cx, ty, Some(entity))
    })?;
    Ok(Some(json!({
        "last_updated_at": wire::timestamp(v.last_updated),
        "policy_content": v.content,
        "policy_type": wire::policy_type(v.policy_type),
        "entity_id": v.target_id,
    })))
}

/// The catalogue is data of the domain's Huawei policy language; any caller may read it.
pub async fn list_tag_policy_services(_api: &HuaweiApi, _call: &Call) -> Answer {
    let services: Vec<Value> = HUAWEI_TAG_POLICY_SERVICES
        .iter()
        .map(|s| {
            json!({
                "service_name": s.service,
                "resource_types": s.resource_types,
                "support_all": s.all_types,
            })
        })
        .collect();
    Ok(Some(json!({ "services": services })))
}
