//! The AWS JSON 1.1 wire: errors (`__type`, `Message`, `Reason`) and the JSON shapes of the
//! domain's views. Domain errors become AWS errors through the one table in `errors.rs`.

use orgd_domain::OrgError;
use orgd_domain::ops::{
    AccountView, CreateAccountStatusView, EffectivePolicyView, OrganizationView, OuView,
    PolicyTargetView, PolicyView, RootView, ValidationErrorView,
};
use orgd_domain::policy::PolicyType;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use super::arn::arn;
use super::errors::{AwsError, InputReason, aws_error};

/// Everything a request can fail with, as AWS names it.
#[derive(Debug)]
pub enum WireError {
    Domain(OrgError),
    /// A member breaks the service model's constraints (`InvalidInputException`); the message
    /// is the reason's fixed text, as AWS sends it.
    Input(InputReason),
    /// The request's credentials are missing or malformed, or (strict mode) its signature is
    /// refused.
    Signature(super::sigv4::SigError),
    /// The body is not JSON, or a member has the wrong type.
    Serialization(String),
    UnknownOperation(String),
    /// A path that no operation is served on (`METHOD /path`).
    UnknownPath(String),
    /// A method other than POST on `/`.
    MethodNotAllowed(String),
    /// The body is larger than the limit (bytes); the request was not run.
    BodyTooLarge(usize),
    /// The body did not arrive in time; the request was not run.
    RequestTimeout,
    /// The caller sent more requests than `--throttle-rps` allows.
    TooManyRequests,
    /// The service control policies in effect on the calling account refuse the request
    /// (`AccessDeniedException` with IAM's text).
    PolicyDenied(String),
    /// orgd failed (storage): the write was not acknowledged and changed nothing.
    Service(String),
    /// orgd failed unexpectedly (a panic); the details are in the log, not the answer.
    Internal,
}

impl From<OrgError> for WireError {
    fn from(e: OrgError) -> Self {
        WireError::Domain(e)
    }
}

impl From<crate::engine::EngineError> for WireError {
    fn from(e: crate::engine::EngineError) -> Self {
        match e {
            crate::engine::EngineError::Domain(e) => WireError::Domain(e),
            crate::engine::EngineError::Store(e) => WireError::Service(e.to_string()),
        }
    }
}

impl WireError {
    pub fn code(&self) -> &str {
        match self {
            WireError::Domain(e) => aws_error(e).code,
            WireError::Input(_) => "InvalidInputException",
            WireError::Signature(e) => e.code(),
            WireError::Serialization(_) => "SerializationException",
            WireError::UnknownOperation(_) | WireError::UnknownPath(_) => {
                "UnknownOperationException"
            }
            WireError::MethodNotAllowed(_) => "MethodNotAllowedException",
            WireError::BodyTooLarge(_) => "RequestEntityTooLargeException",
            WireError::RequestTimeout => "RequestTimeoutException",
            WireError::TooManyRequests => "TooManyRequestsException",
            WireError::PolicyDenied(_) => "AccessDeniedException",
            WireError::Service(_) => "ServiceException",
            WireError::Internal => "InternalFailure",
        }
    }

    /// AWS Organizations answers every client error with 400 and its own failures with 500.
    pub fn status(&self) -> u16 {
        match self {
            WireError::UnknownPath(_) => 404,
            WireError::MethodNotAllowed(_) => 405,
            WireError::RequestTimeout => 408,
            WireError::BodyTooLarge(_) => 413,
            WireError::Service(_) | WireError::Internal => 500,
            _ => 400,
        }
    }

    pub fn body(&self) -> Value {
        if let WireError::Domain(e) = self {
            let AwsError {
                code,
                reason,
                message,
            } = aws_error(e);
            let mut body = json!({ "__type": code, "Message": message });
            if let Some(reason) = reason {
                body["Reason"] = Value::from(reason);
            }
            return body;
        }
        let message = match self {
            WireError::Domain(_) => unreachable!("answered above"),
            WireError::Input(reason) => reason.message().into(),
            WireError::Signature(e) => e.message(),
            WireError::Serialization(m) | WireError::Service(m) | WireError::PolicyDenied(m) => {
                m.clone()
            }
            WireError::UnknownOperation(asked) => format!("Unknown operation {asked}"),
            WireError::UnknownPath(what) => {
                format!("No operation is served at {what}: AWS Organizations is POST / with X-Amz-Target.")
            }
            WireError::MethodNotAllowed(method) => {
                format!("Method {method} is not allowed: AWS Organizations requests are POST.")
            }
            WireError::BodyTooLarge(limit) => {
                format!("The request body is larger than the maximum of {limit} bytes.")
            }
            WireError::RequestTimeout => "The request body was not received in time.".into(),
            // AWS's text, as clients quote it (seed 003 documents the exception only).
            WireError::TooManyRequests => "AWS Organizations can't complete your request because another request is already in progress. Try again later.".into(),
            WireError::Internal => "The request processing has failed because of an unknown error, exception or failure.".into(),
        };
        let mut body = json!({ "__type": self.code(), "Message": message });
        if let WireError::Input(reason) = self {
            body["Reason"] = Value::from(reason.as_str());
        }
        body
    }
}

/// An instant as ISO 8601 in UTC, to the second (`2026-06-01T00:00:00Z`), as handshake resources
/// carry `TRANSFER_START_TIMESTAMP`.
pub(crate) fn iso8601(ms: i64) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(FORMAT).ok())
        .unwrap_or_default()
}

/// Epoch seconds with millisecond precision, as the JSON protocols carry timestamps.
pub fn timestamp(ms: i64) -> Value {
    serde_json::to_value(Timestamp(ms)).unwrap_or(Value::Null)
}

/// An instant (epoch milliseconds) as the JSON protocols carry it: epoch seconds, a whole number
/// when it falls on a second.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp(pub i64);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 1000 == 0 {
            s.serialize_i64(self.0 / 1000)
        } else {
            s.serialize_f64(self.0 as f64 / 1000.0)
        }
    }
}

/// An answer of one member, `{ name: value }`, serialized straight to JSON.
pub struct Single<T>(pub &'static str, pub T);

impl<T: Serialize> Serialize for Single<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, &self.1)?;
        m.end()
    }
}

/// A page of a listing, `{ member: [items], NextToken? }` (see `AwsApi::read_page`), serialized
/// straight to JSON.
pub struct Listed<T> {
    pub member: &'static str,
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T: Serialize> Serialize for Listed<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(self.member, &self.items)?;
        if let Some(t) = &self.next {
            m.serialize_entry("NextToken", t)?;
        }
        m.end()
    }
}

// Every encoder of a named entity takes the request's partition for its ARNs.

/// The model's `Organization`, serialized straight from the view (DescribeOrganization encodes no
/// JSON tree). Members in name order, as a `Value` orders them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organization<'a> {
    arn: String,
    available_policy_types: Value,
    feature_set: &'static str,
    id: &'a str,
    master_account_arn: String,
    master_account_email: &'a str,
    master_account_id: &'a str,
}

impl<'a> Organization<'a> {
    pub fn of(o: &'a OrganizationView, partition: &str) -> Self {
        Organization {
            arn: arn(partition, &o.resource_name),
            available_policy_types: available_policy_types(o, partition),
            feature_set: o.feature_set,
            id: &o.id,
            master_account_arn: arn(partition, &o.management_account_name),
            master_account_email: &o.management_account_email,
            master_account_id: &o.management_account_id,
        }
    }
}

pub fn organization(o: &OrganizationView, partition: &str) -> Value {
    serde_json::to_value(Organization::of(o, partition)).unwrap_or(Value::Null)
}

/// `Organization.AvailablePolicyTypes`, deprecated, as AWS fills it (botocore's documentation of
/// DescribeOrganization): SCPs only (when enabled in the root), never another type, and nothing in
/// the China partition.
fn available_policy_types(o: &OrganizationView, partition: &str) -> Value {
    if partition == "aws-cn" {
        return json!([]);
    }
    let scps: Vec<PolicyType> = o
        .available_policy_types
        .iter()
        .copied()
        .filter(|t| *t == PolicyType::ServiceControl)
        .collect();
    policy_types(&scps)
}

/// `PolicyTypeSummary` list: orgd enables and disables synchronously, so every type is `ENABLED`.
fn policy_types(types: &[PolicyType]) -> Value {
    Value::Array(
        types
            .iter()
            .map(|t| json!({ "Type": t.as_str(), "Status": "ENABLED" }))
            .collect(),
    )
}

pub fn root(r: &RootView, partition: &str) -> Value {
    json!({ "Id": r.id, "Arn": arn(partition, &r.resource_name), "Name": r.name, "PolicyTypes": policy_types(&r.policy_types) })
}

pub fn policy_summary(p: &PolicyView, partition: &str) -> Value {
    json!({
        "Id": p.id,
        "Arn": arn(partition, &p.resource_name),
        "Name": p.name,
        "Description": p.description,
        "Type": p.policy_type.as_str(),
        "AwsManaged": p.aws_managed,
    })
}

pub fn policy(p: &PolicyView, partition: &str) -> Value {
    json!({ "PolicySummary": policy_summary(p, partition), "Content": p.content })
}

pub fn policy_target(t: &PolicyTargetView, partition: &str) -> Value {
    json!({ "TargetId": t.id, "Arn": arn(partition, &t.resource_name), "Name": t.name, "Type": t.target_type.as_str() })
}

pub fn effective_policy(e: &EffectivePolicyView) -> Value {
    json!({
        "PolicyContent": e.content,
        "LastUpdatedTimestamp": timestamp(e.last_updated),
        "TargetId": e.target_id,
        "PolicyType": e.policy_type.as_str(),
    })
}

pub fn validation_error(e: &ValidationErrorView) -> Value {
    json!({
        "ErrorCode": e.code,
        "ErrorMessage": e.message,
        "PathToError": e.path,
        "ContributingPolicies": e.contributing_policies,
    })
}

pub fn ou(o: &OuView, partition: &str) -> Value {
    json!({ "Id": o.id, "Arn": arn(partition, &o.resource_name), "Name": o.name, "Path": o.path })
}

/// The model's `Account`, serialized straight from the view (DescribeAccount and ListAccounts
/// encode no JSON tree). Members in name order, as a `Value` orders them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account<'a> {
    arn: String,
    email: &'a str,
    id: &'a str,
    joined_method: &'static str,
    joined_timestamp: Timestamp,
    name: &'a str,
    paths: &'a [String],
    state: &'static str,
    status: &'static str,
}

impl<'a> Account<'a> {
    pub fn of(a: &'a AccountView, partition: &str) -> Self {
        Account {
            arn: arn(partition, &a.resource_name),
            email: &a.email,
            id: &a.id,
            joined_method: a.joined_method.as_str(),
            joined_timestamp: Timestamp(a.joined_at),
            name: &a.name,
            paths: &a.paths,
            state: a.status.as_str(),
            status: a.status.as_str(),
        }
    }
}

pub fn account(a: &AccountView, partition: &str) -> Value {
    serde_json::to_value(Account::of(a, partition)).unwrap_or(Value::Null)
}

pub fn delegated_administrator(
    d: &orgd_domain::ops::DelegatedAdministratorView,
    partition: &str,
) -> Value {
    let mut v = account(&d.account, partition);
    // The model's DelegatedAdministrator has every member of Account but Paths.
    if let Value::Object(o) = &mut v {
        o.insert("DelegationEnabledDate".into(), timestamp(d.enabled_at));
        o.remove("Paths");
    }
    v
}

pub fn create_account_status(r: &CreateAccountStatusView) -> Value {
    let mut m = Map::new();
    m.insert("Id".into(), Value::from(r.id.as_str()));
    m.insert("AccountName".into(), Value::from(r.account_name.as_str()));
    m.insert("State".into(), Value::from(r.state.as_str()));
    m.insert("RequestedTimestamp".into(), timestamp(r.requested_at));
    if let Some(t) = r.completed_at {
        m.insert("CompletedTimestamp".into(), timestamp(t));
    }
    if r.state == orgd_domain::model::CreateAccountState::Succeeded {
        m.insert("AccountId".into(), Value::from(r.account_id.as_str()));
    }
    if let Some(reason) = &r.failure_reason {
        m.insert("FailureReason".into(), Value::from(reason.as_str()));
    }
    Value::Object(m)
}

pub fn tags(t: &orgd_domain::model::Tags) -> Value {
    Value::Array(
        t.iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect(),
    )
}

pub fn resource_policy(p: &orgd_domain::ops::ResourcePolicyView, partition: &str) -> Value {
    json!({
        "ResourcePolicySummary": { "Id": p.id, "Arn": arn(partition, &p.resource_name) },
        "Content": p.content,
    })
}

pub fn handshake(v: &orgd_domain::ops::HandshakeView, partition: &str) -> Value {
    use orgd_domain::model::{HandshakeAction, Recipient};
    let h = &v.handshake;
    let (target_type, target) = match &h.recipient {
        Recipient::Account(id) => ("ACCOUNT", id.as_str()),
        Recipient::Email(email) => ("EMAIL", email.as_str()),
    };
    let resource = |t: &str, value: &str| json!({ "Type": t, "Value": value });
    let mut resources = Vec::new();
    match h.action {
        HandshakeAction::Invite => {
            resources.push(json!({
                "Type": "ORGANIZATION",
                "Value": h.org_id,
                "Resources": [
                    resource("MASTER_EMAIL", &v.management_email),
                    resource("MASTER_NAME", &v.management_name),
                    resource("ORGANIZATION_FEATURE_SET", v.feature_set),
                ],
            }));
            resources.push(resource(target_type, target));
            if let Some(notes) = &h.notes {
                resources.push(resource("NOTES", notes));
            }
        }
        HandshakeAction::EnableAllFeatures => resources.push(resource("ORGANIZATION", &h.org_id)),
        HandshakeAction::ApproveAllFeatures => {
            resources.push(resource("ORGANIZATION", &h.org_id));
            resources.push(resource(
                "PARENT_HANDSHAKE",
                h.parent_id.as_deref().unwrap_or_default(),
            ));
        }
        HandshakeAction::TransferResponsibility => {
            resources.push(json!({
                "Type": "ORGANIZATION",
                "Value": h.org_id,
                "Resources": [
                    resource("MANAGEMENT_ACCOUNT", &v.management_account_id),
                    resource("MANAGEMENT_EMAIL", &v.management_email),
                    resource("MANAGEMENT_NAME", &v.management_name),
                ],
            }));
            if let Some(t) = &v.transfer {
                resources.push(json!({
                    "Type": "RESPONSIBILITY_TRANSFER",
                    "Value": t.id,
                    "Resources": [
                        resource("TRANSFER_TYPE", t.transfer_type.as_str()),
                        resource(
                            "TRANSFER_START_TIMESTAMP",
                            &iso8601(t.start_at),
                        ),
                    ],
                }));
            }
            resources.push(resource(target_type, target));
            if let Some(notes) = &h.notes {
                resources.push(resource("NOTES", notes));
            }
        }
    }
    json!({
        "Id": h.id,
        "Arn": arn(partition, &v.resource_name),
        "Parties": [
            { "Id": h.org_id, "Type": "ORGANIZATION" },
            { "Id": target, "Type": target_type },
        ],
        "State": h.state.as_str(),
        "RequestedTimestamp": timestamp(h.requested_at),
        "ExpirationTimestamp": timestamp(h.expires_at),
        "Action": h.action.as_str(),
        "Resources": resources,
    })
}

/// A `TransferParticipant`: the members orgd knows.
fn participant(account_id: Option<&str>, email: Option<&str>) -> Value {
    let mut m = Map::new();
    if let Some(id) = account_id {
        m.insert("ManagementAccountId".into(), Value::from(id));
    }
    if let Some(e) = email {
        m.insert("ManagementAccountEmail".into(), Value::from(e));
    }
    Value::Object(m)
}

pub fn responsibility_transfer(v: &orgd_domain::ops::TransferView, partition: &str) -> Value {
    let t = &v.transfer;
    let mut out = json!({
        "Arn": arn(partition, &v.resource_name),
        "Name": t.name,
        "Id": t.id,
        "Type": t.transfer_type.as_str(),
        "Status": t.status.as_str(),
        "Source": participant(v.source_account_id.as_deref(), v.source_email.as_deref()),
        "Target": participant(Some(&t.target_account_id), v.target_email.as_deref()),
        "StartTimestamp": timestamp(t.start_at),
        "ActiveHandshakeId": t.handshake_id,
    });
    if let Some(end) = t.end_at {
        out["EndTimestamp"] = timestamp(end);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn transfer_start_timestamps_are_iso_8601_in_utc() {
        assert_eq!(super::iso8601(1_780_272_000_000), "2026-06-01T00:00:00Z");
        assert_eq!(
            super::iso8601(1_835_395_200_000 + 3_723_000),
            "2028-02-29T01:02:03Z"
        );
    }
}
