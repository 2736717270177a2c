//! The one table from domain error kinds (and the adapter's own refusals) to Huawei's wire
//! errors: HTTP status, `error_code` and `error_msg`. The body is
//! `{"error_code", "error_msg", "request_id"}` and the same request id goes in `X-Request-Id`.
//!
//! Codes API.md §14 knows are used where they fit (1001, 1002, 1003, 1007, 1015, 1325, 1401,
//! 1500, 1900); every other code is allocated here, inside the family its number suggests, with
//! the status semantics of §14.2 (400 validation or state, 401 role, 403 IAM, 404 not found, 409
//! conflict). `docs/huawei.md` ("Huawei: choices where API.md is unsure") lists each allocation.

use orgd_domain::{
    Constraint, Denial, Entity, HandshakeConstraint, HandshakeTransition, Invalid, OrgError,
};
use serde_json::{Value, json};

/// A Huawei error as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HwError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl HwError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        HwError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The body Huawei answers an error with.
    pub fn body(&self, request_id: &str) -> Value {
        json!({ "error_code": self.code, "error_msg": self.message, "request_id": request_id })
    }

    /// No operation at this path: what Huawei's API gateway answers.
    pub fn unknown_path(method: &str, path: &str) -> Self {
        HwError::new(
            404,
            GATEWAY_NO_API,
            format!("The API does not exist or has not been published: {method} {path}"),
        )
    }

    /// The path is an operation's, the method is not.
    pub fn wrong_method(method: &str, allowed: &[&str]) -> Self {
        HwError::new(
            405,
            GATEWAY_NO_API,
            format!(
                "Method {method} is not allowed on this path; allowed: {}.",
                allowed.join(", ")
            ),
        )
    }

    /// A request that names no caller (default mode: no `X-Domain-Id`).
    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        HwError::new(
            401,
            GATEWAY_AUTH,
            format!(
                "Incorrect IAM authentication information: {}",
                detail.into()
            ),
        )
    }

    /// A request the adapter refuses before any operation: a body that is not a JSON object, a
    /// missing or mistyped member, a value out of its documented range.
    pub fn invalid(message: impl Into<String>) -> Self {
        HwError::new(400, INVALID_PARAMETER, message)
    }

    /// The invitation has been cancelled (API.md §14.2).
    pub fn cancelled_invitation() -> Self {
        HwError::new(
            400,
            "Organizations.1401",
            "The invitation has been cancelled.",
        )
    }

    /// The caller sent more requests a second than the throttle admits.
    pub fn throttled() -> Self {
        HwError::new(
            429,
            THROTTLED,
            "Too many requests: the request rate of this account is over its limit.",
        )
    }

    /// An operation orgd routes but does not serve (yet).
    pub fn not_implemented(operation: &str) -> Self {
        HwError::new(
            501,
            NOT_IMPLEMENTED,
            format!("{operation} is not implemented by this server yet."),
        )
    }

    /// A fault of the server itself; nothing of it is told.
    pub fn internal() -> Self {
        HwError::new(500, INTERNAL, "The server failed to handle the request.")
    }
}

/// Huawei's API gateway: no such API.
pub const GATEWAY_NO_API: &str = "APIGW.0101";
/// Huawei's API gateway: authentication failed (AUTH.md, API.md §14.3).
pub const GATEWAY_AUTH: &str = "APIGW.0301";

// Allocated adapter codes (family 10xx, generic).
const INVALID_PARAMETER: &str = "Organizations.1016";
const THROTTLED: &str = "Organizations.1017";
const NOT_IMPLEMENTED: &str = "Organizations.1018";
const INTERNAL: &str = "Organizations.1019";

impl From<&OrgError> for HwError {
    fn from(e: &OrgError) -> Self {
        huawei_error(e)
    }
}

impl From<OrgError> for HwError {
    fn from(e: OrgError) -> Self {
        huawei_error(&e)
    }
}

/// Huawei's wire form of a domain error.
pub fn huawei_error(e: &OrgError) -> HwError {
    let e400 = |code, msg: &str| HwError::new(400, code, msg);
    let e409 = |code, msg: &str| HwError::new(409, code, msg);
    match e {
        OrgError::NotFound(entity) => not_found(*entity),
        OrgError::AccessDenied(d) => denial(d),
        OrgError::Constraint(c) => constraint(c),
        OrgError::InvalidInput(i) => invalid(i),
        OrgError::Handshake(h) => handshake(h),
        OrgError::MalformedPolicy { policy, error } => HwError::new(
            400,
            "Organizations.1608",
            match policy {
                None => format!("The policy document is malformed: {error}"),
                Some(p) => format!(
                    "The policy at level {} position {} is malformed: {error}",
                    p.level, p.index
                ),
            },
        ),
        OrgError::AlreadyInOrganization => e409(
            "Organizations.1101",
            "The account is already a member of an organization.",
        ),
        OrgError::OrganizationNotEmpty => e400(
            "Organizations.1102",
            "The organization still contains member accounts, organizational units or custom \
             policies.",
        ),
        OrgError::ManagementAccountCannotLeave => e400(
            "Organizations.1103",
            "The management account cannot leave or be removed from its organization.",
        ),
        OrgError::OrganizationalUnitNotEmpty => e400(
            "Organizations.1204",
            "The organizational unit still contains accounts or organizational units.",
        ),
        OrgError::DuplicateOrganizationalUnit => e409(
            "Organizations.1205",
            "An organizational unit with this name already exists in the parent.",
        ),
        OrgError::AccountAlreadyInParent => e409(
            "Organizations.1304",
            "The account is already in the destination parent.",
        ),
        OrgError::AccountAlreadyClosed => e400(
            "Organizations.1325",
            "The account is already being closed or is closed.",
        ),
        OrgError::DuplicateHandshake => e409(
            "Organizations.1403",
            "An open invitation for this account already exists.",
        ),
        OrgError::HandshakeAlreadyInState => e400(
            "Organizations.1405",
            "The invitation is already in the requested status.",
        ),
        OrgError::HandshakeTransition(HandshakeTransition::Between { from, .. })
            if *from == orgd_domain::model::HandshakeState::Canceled =>
        {
            HwError::cancelled_invitation()
        }
        OrgError::HandshakeTransition(t) => e400(
            "Organizations.1405",
            &match t {
                HandshakeTransition::Between { from, to } => format!(
                    "An invitation in status {} cannot become {}.",
                    super::wire::handshake_status(*from),
                    super::wire::handshake_status(*to)
                ),
                HandshakeTransition::CancelApproval => {
                    "This invitation cannot be cancelled on its own.".to_string()
                }
            },
        ),
        OrgError::AlreadyDelegatedAdministrator => e409(
            "Organizations.1501",
            "The account is already a delegated administrator for this service.",
        ),
        OrgError::NotDelegatedAdministrator => e400(
            "Organizations.1500",
            "The account is not a delegated administrator for this service.",
        ),
        OrgError::PolicyInUse => e400(
            "Organizations.1603",
            "The policy is attached to one or more entities: detach it from all of them first.",
        ),
        OrgError::DuplicatePolicy => e409(
            "Organizations.1602",
            "A policy with the same name and type already exists.",
        ),
        OrgError::PolicyAlreadyAttached => e409(
            "Organizations.1604",
            "The policy is already attached to the entity.",
        ),
        OrgError::PolicyNotAttached => e400(
            "Organizations.1605",
            "The policy is not attached to the entity.",
        ),
        OrgError::PolicyTypeAlreadyEnabled => e409(
            "Organizations.1606",
            "The policy type is already enabled in the root.",
        ),
        OrgError::PolicyTypeNotEnabled => e400(
            "Organizations.1607",
            "The policy type is not enabled in the root.",
        ),
        OrgError::DryRunNotEnabled => e400(
            "Organizations.1616",
            "SCP dry-run is not enabled in the root.",
        ),
        // A Huawei organization always has all features: these are AWS's alone, answered as
        // invalid requests should they ever be met.
        OrgError::PolicyTypeNeedsAllFeatures(_)
        | OrgError::TransferAlreadyInStatus
        | OrgError::TransferCannotEnd(_) => HwError::invalid(format!("{e}")),
    }
}

fn not_found(entity: Entity) -> HwError {
    let (code, what) = match entity {
        // Huawei answers a caller in no organization with 401 (API.md §14.2).
        Entity::Organization => {
            return HwError::new(
                401,
                "Organizations.1015",
                "The organization is not found: the account is not in an organization.",
            );
        }
        Entity::Account => ("Organizations.1301", "account"),
        Entity::CreateAccountRequest => ("Organizations.1302", "create account request"),
        Entity::Child => ("Organizations.1303", "child entity"),
        Entity::OrganizationalUnit => ("Organizations.1201", "organizational unit"),
        Entity::Root => ("Organizations.1202", "root"),
        Entity::Parent => ("Organizations.1203", "parent"),
        Entity::SourceParent => ("Organizations.1203", "source parent"),
        Entity::DestinationParent => ("Organizations.1203", "destination parent"),
        Entity::Handshake => ("Organizations.1402", "invitation"),
        Entity::Policy => ("Organizations.1601", "policy"),
        Entity::EffectivePolicy => ("Organizations.1614", "effective policy"),
        Entity::Target => ("Organizations.1701", "resource"),
        Entity::ResourcePolicy | Entity::ResponsibilityTransfer => {
            ("Organizations.1701", "resource")
        }
    };
    HwError::new(404, code, format!("The {what} is not found."))
}

fn denial(d: &Denial) -> HwError {
    match d {
        Denial::Operation {
            delegated: false, ..
        } => HwError::new(
            401,
            "Organizations.1001",
            "This operation can be performed only by the management account of the organization.",
        ),
        Denial::Operation {
            delegated: true, ..
        } => HwError::new(
            401,
            "Organizations.1002",
            "This operation can be performed only by the management account or a delegated \
             administrator.",
        ),
        Denial::AcceptHandshake | Denial::DeclineHandshake => HwError::new(
            401,
            "Organizations.1404",
            "Only the invited account can accept or decline the invitation.",
        ),
        Denial::CancelHandshake => HwError::new(
            401,
            "Organizations.1404",
            "Only the organization that sent the invitation can cancel it.",
        ),
        Denial::OthersEffectivePolicy => HwError::new(
            401,
            "Organizations.1002",
            "Only the management account or a delegated administrator can see another \
             account's effective policy.",
        ),
        // Only STS (the AWS dialect) assumes roles; Huawei has no counterpart, so this is the
        // IAM refusal.
        Denial::AssumeRole => HwError::new(
            403,
            "Organizations.1007",
            "The caller is not allowed to act in this account.",
        ),
        Denial::AcceptTransfer => HwError::invalid(format!("{d:?}")),
    }
}

fn constraint(c: &Constraint) -> HwError {
    let e = |code, msg: String| HwError::new(400, code, msg);
    match c {
        Constraint::AccountLimit { max } => e(
            "Organizations.1305",
            format!("The organization has reached its quota of {max} accounts."),
        ),
        Constraint::OuLimit { max } => e(
            "Organizations.1206",
            format!("The organization has reached its quota of {max} organizational units."),
        ),
        Constraint::OuDepth { max } => e(
            "Organizations.1207",
            format!("Organizational units cannot nest more than {max} levels deep."),
        ),
        Constraint::TagLimit { max } => e(
            "Organizations.1702",
            format!("A resource can have at most {max} tags."),
        ),
        Constraint::PolicyLimit { max, .. } => e(
            "Organizations.1609",
            format!("The organization has reached its quota of {max} policies of this type."),
        ),
        Constraint::PolicyContentTooLarge { limit, actual, .. } => e(
            "Organizations.1610",
            format!("The policy content has {actual} characters; at most {limit} are allowed."),
        ),
        Constraint::MaxPoliciesAttached { max, .. } => e(
            "Organizations.1611",
            format!("An entity can have at most {max} policies of this type attached."),
        ),
        Constraint::MinPoliciesAttached { min, .. } => e(
            "Organizations.1612",
            format!("An entity must keep at least {min} policies of this type attached."),
        ),
        Constraint::CloseManagementAccount => e(
            "Organizations.1306",
            "The management account cannot be closed.".into(),
        ),
        Constraint::RemoveDelegatedAdministrator => e(
            "Organizations.1307",
            "The account is a delegated administrator: deregister it first.".into(),
        ),
        Constraint::LeaveAsDelegatedAdministrator => e(
            "Organizations.1307",
            "The account is a delegated administrator: deregister it first.".into(),
        ),
        Constraint::CloseAccountQuota { max } => e(
            "Organizations.1308",
            format!("The organization has closed {max} accounts in the last 30 days, its quota."),
        ),
        Constraint::WaitPeriodActive => e(
            "Organizations.1309",
            "The account was created too recently to leave or be removed from the organization."
                .into(),
        ),
        Constraint::ManagementAsDelegatedAdministrator => e(
            "Organizations.1502",
            "The management account cannot be a delegated administrator.".into(),
        ),
        Constraint::SuspendedAsDelegatedAdministrator => e(
            "Organizations.1503",
            "A closed or closing account cannot be a delegated administrator.".into(),
        ),
        Constraint::ServiceAccessNotEnabled { principal } => e(
            "Organizations.1900",
            format!("The trusted service {principal} is not enabled."),
        ),
        Constraint::AllFeaturesRequired
        | Constraint::CloseNeedsAllFeatures
        | Constraint::GovCloudNotEnabled => HwError::invalid(format!("{c:?}")),
    }
}

fn invalid(i: &Invalid) -> HwError {
    let e = |code, msg: String| HwError::new(400, code, msg);
    match i {
        Invalid::ImmutablePolicy { name } => e(
            "Organizations.1613",
            format!("The system policy {name} cannot be changed."),
        ),
        Invalid::ReservedTagKey { key } => e(
            "Organizations.1703",
            format!("The tag key {key} is reserved for system use."),
        ),
        Invalid::DuplicateTagKey { key } => e(
            "Organizations.1704",
            format!("The tag key {key} is given more than once."),
        ),
        Invalid::UnrecognizedServicePrincipal { principal, .. } => e(
            "Organizations.1901",
            format!("The service principal {principal} is not a service that can be trusted."),
        ),
        Invalid::EffectivePolicyTarget => e(
            "Organizations.1615",
            "Effective policies are available for accounts only.".into(),
        ),
        Invalid::NoEffectivePolicy(_) => e(
            "Organizations.1615",
            "This policy type has no effective policy.".into(),
        ),
        Invalid::InvitationToOrganization => HwError::invalid("An invitation targets an account."),
        Invalid::DryRunUnsupported => e(
            "Organizations.1617",
            "SCP dry-run is available for service control policies only.".into(),
        ),
        Invalid::AmbiguousAccountName { name } => HwError::invalid(format!(
            "More than one account is named {name}: invite it by its id."
        )),
        _ => HwError::invalid(format!("{i:?}")),
    }
}

fn handshake(h: &HandshakeConstraint) -> HwError {
    let e = |msg: String| HwError::new(400, "Organizations.1406", msg);
    match h {
        HandshakeConstraint::AlreadyMember => {
            e("The invited account is already a member of this organization.".into())
        }
        HandshakeConstraint::InAnotherOrganization => {
            e("The account is already a member of another organization.".into())
        }
        HandshakeConstraint::InvitationRate { max } => e(format!(
            "The organization can send at most {max} invitations a day."
        )),
        HandshakeConstraint::AccountQuotaWithInvitations | HandshakeConstraint::AccountQuota => {
            e("Accepting would take the organization past its account quota.".into())
        }
        other => e(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgd_domain::access::Operation;

    #[test]
    fn known_codes_keep_their_documented_status() {
        let org = huawei_error(&OrgError::NotFound(Entity::Organization));
        assert_eq!((org.status, org.code), (401, "Organizations.1015"));
        let mgmt = huawei_error(&OrgError::AccessDenied(Denial::Operation {
            operation: Operation::CreateAccount,
            delegated: false,
        }));
        assert_eq!((mgmt.status, mgmt.code), (401, "Organizations.1001"));
        let closed = huawei_error(&OrgError::AccountAlreadyClosed);
        assert_eq!((closed.status, closed.code), (400, "Organizations.1325"));
        let gone = huawei_error(&OrgError::HandshakeTransition(
            HandshakeTransition::Between {
                from: orgd_domain::model::HandshakeState::Canceled,
                to: orgd_domain::model::HandshakeState::Accepted,
            },
        ));
        assert_eq!(gone.code, "Organizations.1401");
    }

    #[test]
    fn every_not_found_is_a_404_but_the_callers_organization() {
        for entity in [
            Entity::Account,
            Entity::OrganizationalUnit,
            Entity::Root,
            Entity::Parent,
            Entity::Handshake,
            Entity::Policy,
            Entity::CreateAccountRequest,
            Entity::Target,
        ] {
            let e = not_found(entity);
            assert_eq!(e.status, 404, "{entity:?}");
            assert!(e.code.starts_with("Organizations."));
        }
    }

    #[test]
    fn the_body_carries_code_message_and_request_id() {
        let b = HwError::invalid("bad").body("req-1");
        assert_eq!(
            b,
            json!({"error_code": "Organizations.1016", "error_msg": "bad", "request_id": "req-1"})
        );
    }
}
