//! Huawei's JSON shapes (API.md §13): snake_case members, ISO-8601 UTC timestamps, lower-case
//! enums. One encoder per shape; every URN comes from `urn::urn`.

use orgd_domain::Millis;
use orgd_domain::model::Recipient;
use orgd_domain::model::{AccountStatus, CreateAccountState, HandshakeState, JoinedMethod};
use orgd_domain::ops::{
    AccountView, ClosureView, CreateAccountStatusView, DelegatedAdministratorView, EntityView,
    HandshakeView, OrganizationView, OuView, PolicyTargetView, PolicyView, RootView, TargetType,
    Usage,
};
use orgd_domain::policy::PolicyType;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use super::urn::urn;

/// An instant as Huawei writes it: `2022-08-24T06:31:46Z` (whole seconds, UTC).
pub fn timestamp(ms: Millis) -> Value {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .map_or(Value::Null, Value::from)
}

/// The policy types Huawei knows, as it names them.
const POLICY_TYPES: &[(PolicyType, &str)] = &[
    (PolicyType::ServiceControl, "service_control_policy"),
    (PolicyType::Tag, "tag_policy"),
];

/// A policy type's Huawei name (`service_control_policy`, `tag_policy`); the AWS-only types,
/// which a Huawei organization never has, by the same rule (their name in lower case).
pub fn policy_type(t: PolicyType) -> String {
    POLICY_TYPES
        .iter()
        .find(|(p, _)| *p == t)
        .map_or_else(|| t.as_str().to_ascii_lowercase(), |(_, n)| n.to_string())
}

/// A Huawei policy type name back to the type; `None` for anything Huawei does not know.
pub fn parse_policy_type(s: &str) -> Option<PolicyType> {
    POLICY_TYPES.iter().find(|(_, n)| *n == s).map(|(p, _)| *p)
}

pub fn account_status(s: AccountStatus) -> &'static str {
    match s {
        AccountStatus::Active => "active",
        AccountStatus::PendingClosure => "pending_closure",
        AccountStatus::Suspended => "suspended",
    }
}

pub fn join_method(m: JoinedMethod) -> &'static str {
    match m {
        JoinedMethod::Invited => "invited",
        JoinedMethod::Created => "created",
    }
}

pub fn create_account_state(s: CreateAccountState) -> &'static str {
    match s {
        CreateAccountState::InProgress => "in_progress",
        CreateAccountState::Succeeded => "succeeded",
        CreateAccountState::Failed => "failed",
    }
}

/// `states` of list_create_account_statuses back to the domain's states.
pub fn parse_create_account_state(s: &str) -> Option<CreateAccountState> {
    [
        CreateAccountState::InProgress,
        CreateAccountState::Succeeded,
        CreateAccountState::Failed,
    ]
    .into_iter()
    .find(|st| create_account_state(*st) == s)
}

/// Huawei's handshake statuses; AWS's REQUESTED and OPEN both are `pending`.
pub fn handshake_status(s: HandshakeState) -> &'static str {
    match s {
        HandshakeState::Requested | HandshakeState::Open => "pending",
        HandshakeState::Accepted => "accepted",
        HandshakeState::Canceled => "cancelled",
        HandshakeState::Declined => "declined",
        HandshakeState::Expired => "expired",
    }
}

pub fn entity_type(t: TargetType) -> &'static str {
    match t {
        TargetType::Account => "account",
        TargetType::OrganizationalUnit => "organizational_unit",
        TargetType::Root => "root",
    }
}

/// `OrganizationDto`.
pub fn organization(v: &OrganizationView) -> Value {
    json!({
        "id": v.id,
        "urn": urn(&v.resource_name),
        "management_account_id": v.management_account_id,
        "management_account_name": v.management_name,
        "created_at": timestamp(v.created_at),
    })
}

/// `RootDto`: the enabled policy types, each `enabled` (orgd enables and disables at once).
pub fn root(v: &RootView) -> Value {
    let types: Vec<Value> = v
        .policy_types
        .iter()
        .map(|t| json!({ "type": policy_type(*t), "status": "enabled" }))
        .collect();
    json!({
        "id": v.id,
        "urn": urn(&v.resource_name),
        "name": v.name,
        "policy_types": types,
        "created_at": timestamp(v.created_at),
    })
}

/// `OrganizationalUnitDto`.
pub fn ou(v: &OuView) -> Value {
    json!({
        "id": v.id,
        "urn": urn(&v.resource_name),
        "name": v.name,
        "created_at": timestamp(v.created_at),
    })
}

/// `AccountDto`; the contact members only when asked for (`with_register_contact_info`).
pub fn account(v: &AccountView, contact: bool) -> Value {
    let mut a = json!({
        "id": v.id,
        "urn": urn(&v.resource_name),
        "join_method": join_method(v.joined_method),
        "status": account_status(v.status),
        "joined_at": timestamp(v.joined_at),
        "name": v.name,
    });
    if contact && !v.email.is_empty() {
        a["email"] = json!(v.email);
    }
    if !v.description.is_empty() {
        a["description"] = json!(v.description);
    }
    a
}

/// `CreateAccountStatusDto`.
pub fn create_account_status(v: &CreateAccountStatusView) -> Value {
    let mut s = json!({
        "id": v.id,
        "account_name": v.account_name,
        "state": create_account_state(v.state),
        "created_at": timestamp(v.requested_at),
    });
    if !v.account_id.is_empty() {
        s["account_id"] = json!(v.account_id);
    }
    if let Some(t) = v.completed_at {
        s["completed_at"] = timestamp(t);
    }
    if let Some(r) = &v.failure_reason {
        s["failure_reason"] = json!(r.to_ascii_lowercase());
    }
    s
}

/// `EntityDto`.
pub fn entity(id: &str, name: &str, t: TargetType) -> Value {
    json!({ "id": id, "name": name, "type": entity_type(t) })
}

/// `EntityDto` of a policy's target.
pub fn policy_target(v: &PolicyTargetView) -> Value {
    entity(&v.id, &v.name, v.target_type)
}

/// `EntityDto` of an entity of the tree.
pub fn entity_view(v: &EntityView) -> Value {
    entity(&v.id, &v.name, v.entity_type)
}

/// `HandshakeDto`. An invitation addressed by email (AWS's alone) shows its email as a `name`.
pub fn handshake(v: &HandshakeView) -> Value {
    let h = &v.handshake;
    let (target_type, entity) = match &h.recipient {
        Recipient::Account(id) => ("account", id.as_str()),
        Recipient::Email(email) => ("name", email.as_str()),
    };
    json!({
        "id": h.id,
        "urn": urn(&v.resource_name),
        "created_at": timestamp(h.requested_at),
        "updated_at": timestamp(h.completed_at.unwrap_or(h.requested_at)),
        "expired_at": timestamp(h.expires_at),
        "management_account_id": v.management_account_id,
        "management_account_name": v.management_name,
        "organization_id": h.org_id,
        "notes": h.notes.as_deref().unwrap_or_default(),
        "target": { "type": target_type, "entity": entity },
        "status": handshake_status(h.state),
    })
}

/// `DelegatedAdministratorDto`.
pub fn delegated_administrator(v: &DelegatedAdministratorView) -> Value {
    json!({
        "account_id": v.account.id,
        "account_urn": urn(&v.account.resource_name),
        "account_name": v.account.name,
        "join_method": join_method(v.account.joined_method),
        "joined_at": timestamp(v.account.joined_at),
        "delegation_enabled_at": timestamp(v.enabled_at),
    })
}

/// `CloseAccountStatusDto`.
pub fn close_account_status(v: &ClosureView) -> Value {
    json!({
        "account_id": v.account_id,
        "organization_id": v.org_id,
        "state": account_status(v.status),
        "created_at": timestamp(v.requested_at),
        "updated_at": timestamp(v.updated_at),
    })
}

/// `QuotaDto`: orgd's quotas are set by its flags, not through the API, so the settable range
/// is the quota itself.
pub fn quota(quota_type: &str, u: Usage) -> Value {
    json!({
        "type": quota_type,
        "quota": u.limit,
        "min": u.limit,
        "max": u.limit,
        "used": u.used,
    })
}

/// `PolicySummaryDto`.
pub fn policy_summary(v: &PolicyView) -> Value {
    json!({
        "id": v.id,
        "urn": urn(&v.resource_name),
        "name": v.name,
        "description": v.description,
        "type": policy_type(v.policy_type),
        "is_builtin": v.aws_managed,
    })
}

/// `PolicyDto`.
pub fn policy(v: &PolicyView) -> Value {
    json!({ "policy_summary": policy_summary(v), "content": v.content })
}

/// `TagDto` list.
pub fn tags(tags: &[(String, String)]) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| json!({ "key": k, "value": v }))
            .collect(),
    )
}

/// `TrustedServiceDto`.
pub fn trusted_service(principal: &str, enabled_at: Millis) -> Value {
    json!({ "service_principal": principal, "enabled_at": timestamp(enabled_at) })
}

/// `DelegatedServiceDto`.
pub fn delegated_service(principal: &str, enabled_at: Millis) -> Value {
    json!({ "service_principal": principal, "delegation_enabled_at": timestamp(enabled_at) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_8601_utc_whole_seconds() {
        assert_eq!(timestamp(1_661_322_706_999), json!("2022-08-24T06:31:46Z"));
        assert_eq!(timestamp(0), json!("1970-01-01T00:00:00Z"));
    }

    #[test]
    fn policy_types_have_huaweis_names_both_ways() {
        for (t, n) in POLICY_TYPES {
            assert_eq!(policy_type(*t), *n);
            assert_eq!(parse_policy_type(n), Some(*t));
        }
        assert_eq!(parse_policy_type("SERVICE_CONTROL_POLICY"), None);
        assert_eq!(parse_policy_type("backup_policy"), None);
    }

    #[test]
    fn enums_are_lower_case() {
        assert_eq!(handshake_status(HandshakeState::Open), "pending");
        assert_eq!(handshake_status(HandshakeState::Canceled), "cancelled");
        assert_eq!(
            parse_create_account_state("in_progress"),
            Some(CreateAccountState::InProgress)
        );
        assert_eq!(parse_create_account_state("IN_PROGRESS"), None);
    }
}
