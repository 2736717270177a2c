//! The one table from domain error kinds to AWS's wire errors: the exception name (`__type`),
//! the `Reason` where the exception's shape has one, and the `Message` text. The domain says what
//! went wrong; only this module says how AWS words it.

use std::fmt;

use orgd_domain::{
    Constraint, Denial, Entity, HandshakeConstraint, HandshakeTransition, Invalid, OrgError,
    ResourcePolicyFault,
};

/// An AWS error as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub code: &'static str,
    pub reason: Option<&'static str>,
    pub message: String,
}

fn plain(code: &'static str, message: impl Into<String>) -> AwsError {
    AwsError {
        code,
        reason: None,
        message: message.into(),
    }
}

fn with_reason(code: &'static str, reason: &'static str, message: impl Into<String>) -> AwsError {
    AwsError {
        code,
        reason: Some(reason),
        message: message.into(),
    }
}

const CONSTRAINT: &str = "ConstraintViolationException";
const INVALID: &str = "InvalidInputException";
const HANDSHAKE: &str = "HandshakeConstraintViolationException";

/// AWS's wire form of a domain error.
pub fn aws_error(e: &OrgError) -> AwsError {
    match e {
        OrgError::NotFound(entity) => not_found(*entity),
        OrgError::AccessDenied(d) => plain("AccessDeniedException", denial(d)),
        OrgError::Constraint(c) => constraint(c),
        OrgError::InvalidInput(i) => invalid(i),
        OrgError::Handshake(h) => handshake(h),
        OrgError::MalformedPolicy { policy, error } => plain(
            "MalformedPolicyDocumentException",
            match policy {
                None => error.to_string(),
                Some(p) => format!(
                    "The policy at level {} position {} is malformed: {error}",
                    p.level, p.index
                ),
            },
        ),
        OrgError::AlreadyInOrganization => plain(
            "AlreadyInOrganizationException",
            "The provided account is already a member of an organization.",
        ),
        OrgError::ManagementAccountCannotLeave => plain(
            "MasterCannotLeaveOrganizationException",
            "You cannot perform this operation with the management account.",
        ),
        OrgError::OrganizationNotEmpty => plain(
            "OrganizationNotEmptyException",
            "The organization still contains member accounts or organizational units.",
        ),
        OrgError::OrganizationalUnitNotEmpty => plain(
            "OrganizationalUnitNotEmptyException",
            "The organizational unit still contains accounts or organizational units.",
        ),
        OrgError::DuplicateOrganizationalUnit => plain(
            "DuplicateOrganizationalUnitException",
            "An organizational unit with this name already exists in the parent.",
        ),
        OrgError::AccountAlreadyInParent => plain(
            "DuplicateAccountException",
            "The account is already in the destination parent.",
        ),
        OrgError::AccountAlreadyClosed => plain(
            "AccountAlreadyClosedException",
            "The account is already closed.",
        ),
        OrgError::AlreadyDelegatedAdministrator => plain(
            "AccountAlreadyRegisteredException",
            "The account is already a delegated administrator for this service.",
        ),
        OrgError::NotDelegatedAdministrator => plain(
            "AccountNotRegisteredException",
            "The account is not a delegated administrator for this service.",
        ),
        OrgError::DuplicateHandshake => plain(
            "DuplicateHandshakeException",
            "An open handshake of this kind already exists for this party.",
        ),
        OrgError::HandshakeAlreadyInState => plain(
            "HandshakeAlreadyInStateException",
            "The handshake is already in the requested state.",
        ),
        OrgError::HandshakeTransition(t) => plain(
            "InvalidHandshakeTransitionException",
            match t {
                HandshakeTransition::Between { from, to } => format!(
                    "A handshake in state {} cannot become {}.",
                    from.as_str(),
                    to.as_str()
                ),
                HandshakeTransition::CancelApproval => {
                    "Cancel the ENABLE_ALL_FEATURES handshake instead of one of its approvals."
                        .into()
                }
            },
        ),
        OrgError::PolicyInUse => plain(
            "PolicyInUseException",
            "The policy is attached to one or more entities: detach it from all of them before \
             you delete it.",
        ),
        OrgError::DuplicatePolicy => plain(
            "DuplicatePolicyException",
            "A policy with the same name and type already exists.",
        ),
        OrgError::PolicyAlreadyAttached => plain(
            "DuplicatePolicyAttachmentException",
            "The policy is already attached to the target.",
        ),
        OrgError::PolicyNotAttached => plain(
            "PolicyNotAttachedException",
            "The policy is not attached to the target.",
        ),
        OrgError::PolicyTypeAlreadyEnabled => plain(
            "PolicyTypeAlreadyEnabledException",
            "The policy type is already enabled in the root.",
        ),
        OrgError::PolicyTypeNotEnabled => plain(
            "PolicyTypeNotEnabledException",
            "The policy type is not enabled in the root.",
        ),
        // Huawei's SCP simulation: AWS organizations have none, so only for completeness.
        OrgError::DryRunNotEnabled => plain(
            "PolicyTypeNotEnabledException",
            "SCP dry-run is not enabled in the root.",
        ),
        OrgError::PolicyTypeNeedsAllFeatures(ty) => plain(
            "PolicyTypeNotAvailableForOrganizationException",
            format!(
                "{ty} is not available: the organization supports only consolidated billing; \
                 enable all features first."
            ),
        ),
        OrgError::TransferAlreadyInStatus => plain(
            "ResponsibilityTransferAlreadyInStatusException",
            "The responsibility transfer is already in the requested status.",
        ),
        OrgError::TransferCannotEnd(status) => plain(
            "InvalidResponsibilityTransferTransitionException",
            format!(
                "A transfer in status {} cannot be terminated.",
                status.as_str()
            ),
        ),
    }
}

fn not_found(entity: Entity) -> AwsError {
    let (code, message) = match entity {
        Entity::Organization => (
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        ),
        Entity::Account => ("AccountNotFoundException", "The account cannot be found."),
        Entity::OrganizationalUnit => (
            "OrganizationalUnitNotFoundException",
            "The organizational unit cannot be found.",
        ),
        Entity::Root => ("RootNotFoundException", "The root cannot be found."),
        Entity::Parent => ("ParentNotFoundException", "The parent cannot be found."),
        Entity::SourceParent => (
            "SourceParentNotFoundException",
            "The source parent cannot be found.",
        ),
        Entity::DestinationParent => (
            "DestinationParentNotFoundException",
            "The destination parent cannot be found.",
        ),
        Entity::Child => ("ChildNotFoundException", "The child cannot be found."),
        Entity::Target => ("TargetNotFoundException", "The target cannot be found."),
        Entity::CreateAccountRequest => (
            "CreateAccountStatusNotFoundException",
            "The create account request cannot be found.",
        ),
        Entity::Handshake => (
            "HandshakeNotFoundException",
            "The handshake cannot be found.",
        ),
        Entity::Policy => ("PolicyNotFoundException", "The policy cannot be found."),
        Entity::EffectivePolicy => (
            "EffectivePolicyNotFoundException",
            "No policy of this type is in effect for the target.",
        ),
        Entity::ResourcePolicy => (
            "ResourcePolicyNotFoundException",
            "The organization has no resource policy.",
        ),
        Entity::ResponsibilityTransfer => (
            "ResponsibilityTransferNotFoundException",
            "The responsibility transfer cannot be found.",
        ),
    };
    plain(code, message)
}

fn denial(d: &Denial) -> String {
    match d {
        Denial::Operation {
            operation,
            delegated,
        } => format!(
            "You don't have permissions to call {}: only the organization's management account{} \
             can.",
            operation.name(),
            if *delegated {
                " or a delegated administrator"
            } else {
                ""
            }
        ),
        Denial::AcceptHandshake => "Only the recipient of a handshake can accept it.".into(),
        Denial::DeclineHandshake => "Only the recipient of a handshake can decline it.".into(),
        Denial::CancelHandshake => {
            "Only the organization that sent a handshake can cancel it.".into()
        }
        Denial::AcceptTransfer => {
            "Only the management account of an organization can accept a transfer invitation."
                .into()
        }
        Denial::OthersEffectivePolicy => "Only the management account or a delegated \
                                          administrator can view the effective policy of \
                                          another account."
            .into(),
    }
}

fn constraint(c: &Constraint) -> AwsError {
    let (reason, message) = match c {
        Constraint::AccountLimit { max } => (
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            format!("The organization already has the maximum of {max} accounts."),
        ),
        Constraint::OuLimit { max } => (
            "OU_NUMBER_LIMIT_EXCEEDED",
            format!("The organization already has the maximum of {max} OUs."),
        ),
        Constraint::OuDepth { max } => (
            "OU_DEPTH_LIMIT_EXCEEDED",
            format!("OUs can be nested at most {max} levels below the root."),
        ),
        Constraint::TagLimit { max } => (
            "MAX_TAG_LIMIT_EXCEEDED",
            format!("A resource can have at most {max} tags."),
        ),
        Constraint::PolicyLimit { policy_type, max } => (
            "POLICY_NUMBER_LIMIT_EXCEEDED",
            format!("An organization can have at most {max} policies of type {policy_type}."),
        ),
        Constraint::PolicyContentTooLarge {
            policy_type,
            limit,
            actual,
        } => (
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            format!(
                "The policy content is {actual} characters long; a {policy_type} can have at \
                 most {limit}."
            ),
        ),
        Constraint::MaxPoliciesAttached { policy_type, max } => (
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            format!(
                "A root, OU or account can have at most {max} policies of type {policy_type} \
                 attached."
            ),
        ),
        Constraint::MinPoliciesAttached { policy_type, min } => (
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            format!(
                "A root, OU or account must keep at least {min} policy of type {policy_type} \
                 attached while the type is enabled."
            ),
        ),
        Constraint::CloseManagementAccount => (
            "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
            "The management account cannot be closed with CloseAccount.".into(),
        ),
        Constraint::AllFeaturesRequired => (
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "This operation needs an organization with all features enabled.".into(),
        ),
        Constraint::CloseNeedsAllFeatures => (
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "Accounts can be closed only in an organization with all features enabled.".into(),
        ),
        Constraint::ManagementAsDelegatedAdministrator => (
            "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            "The management account cannot be a delegated administrator.".into(),
        ),
        Constraint::SuspendedAsDelegatedAdministrator => (
            "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
            "A closed or suspended account cannot be a delegated administrator.".into(),
        ),
        Constraint::RemoveDelegatedAdministrator => (
            "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            "The account is a delegated administrator: deregister it first.".into(),
        ),
        Constraint::LeaveAsDelegatedAdministrator => (
            "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            "A delegated administrator must be deregistered before it leaves the organization."
                .into(),
        ),
        Constraint::ServiceAccessNotEnabled { principal } => (
            "SERVICE_ACCESS_NOT_ENABLED",
            format!(
                "Enable trusted access for {principal} before registering a delegated \
                 administrator."
            ),
        ),
        Constraint::GovCloudNotEnabled => (
            "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED",
            "The management account has no associated account in the AWS GovCloud (US) Region."
                .into(),
        ),
    };
    with_reason(CONSTRAINT, reason, message)
}

fn invalid(i: &Invalid) -> AwsError {
    let (reason, message) = match i {
        Invalid::ImmutablePolicy { name } => (
            InputReason::ImmutablePolicy,
            format!("{name} is managed by AWS and can't be modified or deleted."),
        ),
        Invalid::ReservedTagKey { key } => (
            InputReason::InvalidSystemTagsParameter,
            format!("The tag key '{key}' is reserved for AWS use."),
        ),
        Invalid::DuplicateTagKey { key } => (
            InputReason::DuplicateTagKey,
            format!("The tag key '{key}' appears more than once in the request."),
        ),
        Invalid::UnrecognizedServicePrincipal {
            principal,
            delegation,
        } => (
            InputReason::UnrecognizedServicePrincipal,
            format!(
                "The service principal '{principal}' is not recognized{}.",
                if *delegation {
                    " as one that supports a delegated administrator"
                } else {
                    ""
                }
            ),
        ),
        Invalid::ResourcePolicy(fault) => (
            InputReason::InvalidResourcePolicyJson,
            format!(
                "The resource policy is not valid: {}.",
                match fault {
                    ResourcePolicyFault::NotJson(e) => format!("not JSON ({e})"),
                    ResourcePolicyFault::NotAnObject => {
                        "the document must be a JSON object".into()
                    }
                    ResourcePolicyFault::NoStatement => {
                        "it needs a Statement (an object or a list of objects)".into()
                    }
                }
            ),
        ),
        Invalid::ResourcePolicyTagsOnUpdate => (
            InputReason::TargetNotSupported,
            "Tags can be given only when the resource policy is created; use TagResource to \
             change them."
                .into(),
        ),
        Invalid::EffectivePolicyTarget => (
            InputReason::TargetNotSupported,
            "Effective policies are available for accounts only, not for roots or OUs.".into(),
        ),
        Invalid::NoEffectivePolicy(ty) => (
            InputReason::InvalidEnum,
            format!("{ty} has no effective policy: only management policy types do."),
        ),
        Invalid::InvitationToOrganization => (
            InputReason::InvalidPartyTypeTarget,
            "An invitation is addressed to an ACCOUNT or an EMAIL, not an ORGANIZATION.".into(),
        ),
        Invalid::AmbiguousAccountName { name } => (
            InputReason::InvalidPartyTypeTarget,
            format!("More than one account is named {name}."),
        ),
        Invalid::TransferToOrganization => (
            InputReason::InvalidPartyTypeTarget,
            "A transfer invitation is addressed to an ACCOUNT or an EMAIL, not an ORGANIZATION."
                .into(),
        ),
        Invalid::DryRunUnsupported => (
            InputReason::InvalidEnum,
            "SCP dry-run is available for service control policies of Huawei organizations only."
                .into(),
        ),
        Invalid::TooManyFilters => (
            InputReason::MaxLimitExceededFilter,
            "Specify at most one filter.".into(),
        ),
        Invalid::StartNotBeginningOfDay => (
            InputReason::StartDateNotBeginningOfDay,
            "StartTimestamp must be the beginning of a day (00:00:00.000 UTC).".into(),
        ),
        Invalid::StartNotBeginningOfMonth => (
            InputReason::StartDateNotBeginningOfMonth,
            "StartTimestamp must be the first day of a month.".into(),
        ),
        Invalid::StartTooEarly => (
            InputReason::StartDateTooEarly,
            "StartTimestamp is too early: the invitation must be accepted at least 24 hours \
             before the transfer starts."
                .into(),
        ),
        Invalid::StartTooLate => (
            InputReason::StartDateTooLate,
            "StartTimestamp is too late.".into(),
        ),
        Invalid::EndNotEndOfMonth => (
            InputReason::EndDateNotEndOfMonth,
            "EndTimestamp must be the end of the last day of a month (23:59:59.999 UTC).".into(),
        ),
        Invalid::EndTooEarly => (
            InputReason::EndDateTooEarly,
            "EndTimestamp is too early: it must not be before the transfer starts or in the past."
                .into(),
        ),
    };
    with_reason(INVALID, reason.as_str(), message)
}

fn handshake(h: &HandshakeConstraint) -> AwsError {
    let (reason, message) = match h {
        HandshakeConstraint::InviteDuringEnableAllFeatures => (
            "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
            "Invitations are disabled while the organization is enabling all features.".into(),
        ),
        HandshakeConstraint::AlreadyMember => (
            "ALREADY_IN_AN_ORGANIZATION",
            "The account is already a member of this organization.".into(),
        ),
        HandshakeConstraint::InAnotherOrganization => (
            "ALREADY_IN_AN_ORGANIZATION",
            "The account is already a member of an organization: it must leave it first.".into(),
        ),
        HandshakeConstraint::InvitationRate { max } => (
            "HANDSHAKE_RATE_LIMIT_EXCEEDED",
            format!("An organization can send at most {max} invitations a day."),
        ),
        HandshakeConstraint::AccountQuotaWithInvitations => (
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "Accepting this invitation would exceed the organization's account quota.".into(),
        ),
        HandshakeConstraint::AccountQuota => (
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "The organization has reached its account quota.".into(),
        ),
        HandshakeConstraint::AlreadyAllFeatures => (
            "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
            "The organization already has all features enabled.".into(),
        ),
        HandshakeConstraint::AlreadyEnablingAllFeatures => (
            "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
            "The organization is already enabling all features.".into(),
        ),
        HandshakeConstraint::TransferToOwnOrganization => (
            "SOURCE_AND_TARGET_CANNOT_MATCH",
            "A transfer is between two organizations: invite another organization's management \
             account."
                .into(),
        ),
        HandshakeConstraint::TransferFromOwnOrganization => (
            "SOURCE_AND_TARGET_CANNOT_MATCH",
            "An organization cannot transfer a responsibility to itself.".into(),
        ),
        HandshakeConstraint::TransferExistsAtTarget => (
            "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS",
            "The invited organization already transfers this responsibility.".into(),
        ),
        HandshakeConstraint::TransferExistsHere => (
            "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS",
            "Your organization already transfers this responsibility.".into(),
        ),
    };
    with_reason(HANDSHAKE, reason, message)
}

macro_rules! reasons {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant,)* }
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

reasons!(
    /// `InvalidInputException.Reason` values: those the model's constraints give (raised by
    /// `input.rs`) and those the domain's `Invalid` kinds map to.
    InputReason {
        InputRequired = "INPUT_REQUIRED",
        InvalidEnum = "INVALID_ENUM",
        InvalidPattern = "INVALID_PATTERN",
        InvalidPatternTargetId = "INVALID_PATTERN_TARGET_ID",
        MaxLengthExceeded = "MAX_LENGTH_EXCEEDED",
        MinLengthExceeded = "MIN_LENGTH_EXCEEDED",
        MaxValueExceeded = "MAX_VALUE_EXCEEDED",
        MinValueExceeded = "MIN_VALUE_EXCEEDED",
        InvalidNextToken = "INVALID_NEXT_TOKEN",
        InvalidSystemTagsParameter = "INVALID_SYSTEM_TAGS_PARAMETER",
        DuplicateTagKey = "DUPLICATE_TAG_KEY",
        InvalidRoleName = "INVALID_ROLE_NAME",
        UnrecognizedServicePrincipal = "UNRECOGNIZED_SERVICE_PRINCIPAL",
        InvalidResourcePolicyJson = "INVALID_RESOURCE_POLICY_JSON",
        TargetNotSupported = "TARGET_NOT_SUPPORTED",
        InvalidPartyTypeTarget = "INVALID_PARTY_TYPE_TARGET",
        MaxLimitExceededFilter = "MAX_LIMIT_EXCEEDED_FILTER",
        ImmutablePolicy = "IMMUTABLE_POLICY",
        StartDateNotBeginningOfDay = "START_DATE_NOT_BEGINNING_OF_DAY",
        StartDateNotBeginningOfMonth = "START_DATE_NOT_BEGINNING_OF_MONTH",
        StartDateTooEarly = "START_DATE_TOO_EARLY",
        StartDateTooLate = "START_DATE_TOO_LATE",
        EndDateNotEndOfMonth = "END_DATE_NOT_END_OF_MONTH",
        EndDateTooEarly = "END_DATE_TOO_EARLY",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_carry_the_data_their_messages_need() {
        let e = aws_error(&OrgError::Constraint(Constraint::OuDepth { max: 5 }));
        assert_eq!(e.code, "ConstraintViolationException");
        assert_eq!(e.reason, Some("OU_DEPTH_LIMIT_EXCEEDED"));
        assert_eq!(
            e.message,
            "OUs can be nested at most 5 levels below the root."
        );
        let e = aws_error(&OrgError::NotFound(Entity::Organization));
        assert_eq!(e.code, "AWSOrganizationsNotInUseException");
        assert_eq!(e.reason, None);
        let e = aws_error(&OrgError::InvalidInput(Invalid::DuplicateTagKey {
            key: "team".into(),
        }));
        assert_eq!(
            (e.code, e.reason),
            ("InvalidInputException", Some("DUPLICATE_TAG_KEY"))
        );
        assert_eq!(
            e.message,
            "The tag key 'team' appears more than once in the request."
        );
    }
}
