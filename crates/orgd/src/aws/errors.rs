//! The one table from domain error kinds to AWS's wire errors: the exception name (`__type`),
//! the `Reason` where the exception's shape has one, and the `Message` text. The domain says what
//! went wrong; only this module says how AWS words it.
//!
//! The texts are AWS's own, fixed per exception and reason, as AWS sends them. Each one says where
//! it comes from:
//! - `observed`: the text as AWS sent it, quoted from a real response in a public issue thread
//!   (the thread is named); tests compare these exactly.
//! - `seed`: no observed text was found; the description in AWS's API reference (seed 003, the
//!   SDK for PHP reference: the exception's or the `Reason`'s description, its first sentence) is
//!   used instead. AWS's observed texts are often shorter than its documented descriptions
//!   (`AccountNotFoundException`: documented "We can't find an Amazon Web Services account with
//!   the AccountId that you specified, ...", observed "You specified an account that doesn't
//!   exist."), so where both exist the observed one wins.
//! - `model`: botocore's service model documents the text (newer than seed 003).
//! - `orgd`: AWS documents no text for a case that only orgd has (a policy found malformed while
//!   computing an effective policy); orgd's own wording.

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
                // seed, then orgd's diagnostic: no observed text was found, and the grammar's
                // own words say what to fix.
                None => format!(
                    "The provided policy document doesn't meet the requirements of the \
                     specified policy type: {error}"
                ),
                // orgd
                Some(p) => format!(
                    "The policy at level {} position {} is malformed: {error}",
                    p.level, p.index
                ),
            },
        ),
        // seed
        OrgError::AlreadyInOrganization => plain(
            "AlreadyInOrganizationException",
            "This account is already a member of an organization.",
        ),
        // seed
        OrgError::ManagementAccountCannotLeave => plain(
            "MasterCannotLeaveOrganizationException",
            "You can't remove a management account from an organization.",
        ),
        // seed
        OrgError::OrganizationNotEmpty => plain(
            "OrganizationNotEmptyException",
            "The organization isn't empty.",
        ),
        // seed
        OrgError::OrganizationalUnitNotEmpty => plain(
            "OrganizationalUnitNotEmptyException",
            "The specified OU is not empty.",
        ),
        // seed
        OrgError::DuplicateOrganizationalUnit => plain(
            "DuplicateOrganizationalUnitException",
            "An OU with the same name already exists.",
        ),
        // seed
        OrgError::AccountAlreadyInParent => plain(
            "DuplicateAccountException",
            "That account is already present in the specified destination.",
        ),
        // seed
        OrgError::AccountAlreadyClosed => plain(
            "AccountAlreadyClosedException",
            "You attempted to close an account that is already closed.",
        ),
        // observed: github.com/pepperize/cdk-organizations/issues/716
        OrgError::AlreadyDelegatedAdministrator => plain(
            "AccountAlreadyRegisteredException",
            "The provided account is already a delegated administrator for your organization.",
        ),
        // seed
        OrgError::NotDelegatedAdministrator => plain(
            "AccountNotRegisteredException",
            "The specified account is not a delegated administrator for this Amazon Web \
             Services service.",
        ),
        // seed
        OrgError::DuplicateHandshake => plain(
            "DuplicateHandshakeException",
            "A handshake with the same action and target already exists.",
        ),
        // seed
        OrgError::HandshakeAlreadyInState => plain(
            "HandshakeAlreadyInStateException",
            "The specified handshake is already in the requested state.",
        ),
        // seed (one text for every transition, as AWS documents it)
        OrgError::HandshakeTransition(HandshakeTransition::Between { .. })
        | OrgError::HandshakeTransition(HandshakeTransition::CancelApproval) => plain(
            "InvalidHandshakeTransitionException",
            "You can't perform the operation on the handshake in its current state.",
        ),
        // seed
        OrgError::PolicyInUse => plain(
            "PolicyInUseException",
            "The policy is attached to one or more entities. You must detach it from all \
             roots, OUs, and accounts before performing this operation.",
        ),
        // observed: github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2245
        OrgError::DuplicatePolicy => plain(
            "DuplicatePolicyException",
            "A policy with the specified name and type already exists.",
        ),
        // seed
        OrgError::PolicyAlreadyAttached => plain(
            "DuplicatePolicyAttachmentException",
            "The selected policy is already attached to the specified target.",
        ),
        // seed
        OrgError::PolicyNotAttached => plain(
            "PolicyNotAttachedException",
            "The policy isn't attached to the specified target in the specified root.",
        ),
        // seed
        OrgError::PolicyTypeAlreadyEnabled => plain(
            "PolicyTypeAlreadyEnabledException",
            "The specified policy type is already enabled in the specified root.",
        ),
        // seed
        OrgError::PolicyTypeNotEnabled => plain(
            "PolicyTypeNotEnabledException",
            "The specified policy type isn't currently enabled in this root.",
        ),
        // orgd: Huawei's SCP simulation; AWS organizations have none, so only for completeness.
        OrgError::DryRunNotEnabled => plain(
            "PolicyTypeNotEnabledException",
            "SCP dry-run is not enabled in the root.",
        ),
        // seed
        OrgError::PolicyTypeNeedsAllFeatures(_) => plain(
            "PolicyTypeNotAvailableForOrganizationException",
            "You can't use the specified policy type with the feature set currently enabled \
             for this organization.",
        ),
        // model (botocore's service model; seed 003 predates transfers)
        OrgError::TransferAlreadyInStatus => plain(
            "ResponsibilityTransferAlreadyInStatusException",
            "The responsibility transfer is already in the status that you specified.",
        ),
        // model
        OrgError::TransferCannotEnd(_) => plain(
            "InvalidResponsibilityTransferTransitionException",
            "The responsibility transfer can't transition to the requested state because it's \
             not in a valid state for this operation.",
        ),
    }
}

fn not_found(entity: Entity) -> AwsError {
    let (code, message) = match entity {
        // observed: github.com/cloud-custodian/cloud-custodian/issues/8106,
        // github.com/duo-labs/cloudmapper/issues/733
        Entity::Organization => (
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        ),
        // observed: github.com/aws-ia/terraform-aws-control_tower_account_factory/issues/289
        Entity::Account => (
            "AccountNotFoundException",
            "You specified an account that doesn't exist.",
        ),
        // seed
        Entity::OrganizationalUnit => (
            "OrganizationalUnitNotFoundException",
            "We can't find an OU with the OrganizationalUnitId that you specified.",
        ),
        // seed
        Entity::Root => (
            "RootNotFoundException",
            "We can't find a root with the RootId that you specified.",
        ),
        // seed
        Entity::Parent => (
            "ParentNotFoundException",
            "We can't find a root or OU with the ParentId that you specified.",
        ),
        // seed
        Entity::SourceParent => (
            "SourceParentNotFoundException",
            "We can't find a source root or OU with the ParentId that you specified.",
        ),
        // seed
        Entity::DestinationParent => (
            "DestinationParentNotFoundException",
            "We can't find the destination container (a root or OU) with the ParentId that \
             you specified.",
        ),
        // seed
        Entity::Child => (
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or Amazon Web Services account with the \
             ChildId that you specified.",
        ),
        // seed
        Entity::Target => (
            "TargetNotFoundException",
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
        ),
        // seed
        Entity::CreateAccountRequest => (
            "CreateAccountStatusNotFoundException",
            "We can't find an create account request with the CreateAccountRequestId that you \
             specified.",
        ),
        // seed
        Entity::Handshake => (
            "HandshakeNotFoundException",
            "We can't find a handshake with the HandshakeId that you specified.",
        ),
        // seed
        Entity::Policy => (
            "PolicyNotFoundException",
            "We can't find a policy with the PolicyId that you specified.",
        ),
        // seed
        Entity::EffectivePolicy => (
            "EffectivePolicyNotFoundException",
            "If you ran this action on the management account, this policy type is not enabled. \
             If you ran the action on a member account, the account doesn't have an effective \
             policy of this type.",
        ),
        // seed
        Entity::ResourcePolicy => (
            "ResourcePolicyNotFoundException",
            "We can't find a resource policy request with the parameter that you specified.",
        ),
        // model
        Entity::ResponsibilityTransfer => (
            "ResponsibilityTransferNotFoundException",
            "We can't find a transfer that you specified.",
        ),
    };
    plain(code, message)
}

/// AccessDeniedException's text: one whatever the reason. Observed for a member account calling
/// an operation of the management account (ListAccounts:
/// github.com/aws-samples/aws-iam-access-key-auto-rotation/issues/10; ListRoots:
/// github.com/awslabs/aws-innovation-sandbox/issues/6); the documented text is "You don't have
/// permissions to perform the requested operation."
fn denial(d: &Denial) -> String {
    match d {
        Denial::Operation { .. }
        | Denial::AcceptHandshake
        | Denial::DeclineHandshake
        | Denial::CancelHandshake
        | Denial::AcceptTransfer
        | Denial::OthersEffectivePolicy
        // STS answers this one in its own shape (`aws/sts.rs`).
        | Denial::AssumeRole => {
            "You don't have permissions to access this resource.".into()
        }
    }
}

/// `ConstraintViolationException`: the reason's text (seed 003's description of the reason,
/// first sentence, unless an observed text is named).
fn constraint(c: &Constraint) -> AwsError {
    let (reason, message) = match c {
        Constraint::AccountLimit { .. } => (
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the limit on the number of accounts in an organization.",
        ),
        Constraint::OuLimit { .. } => (
            "OU_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the number of OUs that you can have in an organization.",
        ),
        Constraint::OuDepth { .. } => (
            "OU_DEPTH_LIMIT_EXCEEDED",
            "You attempted to create an OU tree that is too many levels deep.",
        ),
        Constraint::TagLimit { .. } => (
            "MAX_TAG_LIMIT_EXCEEDED",
            "You have exceeded the number of tags allowed on this resource.",
        ),
        Constraint::PolicyLimit { .. } => (
            "POLICY_NUMBER_LIMIT_EXCEEDED",
            "You attempted to exceed the number of policies that you can have in an \
             organization.",
        ),
        Constraint::PolicyContentTooLarge { .. } => (
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            "You attempted to create a policy that is larger than the maximum size.",
        ),
        // observed: github.com/hashicorp/terraform-provider-aws/issues/41493
        Constraint::MaxPoliciesAttached { .. } => (
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You have attached the maximum number of policies to the specified target.",
        ),
        Constraint::MinPoliciesAttached { .. } => (
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You attempted to detach a policy from an entity that would cause the entity to \
             have fewer than the minimum number of policies of a certain type required.",
        ),
        Constraint::CloseManagementAccount => (
            "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
            "You attempted to close the management account.",
        ),
        Constraint::CloseAccountQuota { .. } => (
            "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
            "You have exceeded close account quota for the past 30 days.",
        ),
        Constraint::WaitPeriodActive => (
            "WAIT_PERIOD_ACTIVE",
            "After you create an Amazon Web Services account, you must wait until at least \
             seven days after the account was created.",
        ),
        Constraint::AllFeaturesRequired | Constraint::CloseNeedsAllFeatures => (
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "You attempted to perform an operation that requires the organization to be \
             configured to support all features.",
        ),
        // observed: github.com/aws-samples/iam-identity-center-team/issues/355
        Constraint::ManagementAsDelegatedAdministrator => (
            "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            "You cannot register management account/yourself as delegated administrator for \
             your organization.",
        ),
        Constraint::SuspendedAsDelegatedAdministrator => (
            "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
            "You cannot register a suspended account as a delegated administrator.",
        ),
        Constraint::RemoveDelegatedAdministrator | Constraint::LeaveAsDelegatedAdministrator => (
            "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            "You attempted to remove an account that is registered as a delegated \
             administrator for a service integrated with your organization.",
        ),
        Constraint::ServiceAccessNotEnabled { .. } => (
            "SERVICE_ACCESS_NOT_ENABLED",
            "You attempted to register a delegated administrator before you enabled service \
             access.",
        ),
        Constraint::GovCloudNotEnabled => (
            "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED",
            "To complete this operation, the management account must have an associated \
             account in the Amazon Web Services GovCloud (US-West) Region.",
        ),
    };
    with_reason(CONSTRAINT, reason, message)
}

/// `InvalidInputException` for the domain's refusals: the reason's text (seed 003).
fn invalid(i: &Invalid) -> AwsError {
    let reason = match i {
        Invalid::ImmutablePolicy { .. } => InputReason::ImmutablePolicy,
        Invalid::ReservedTagKey { .. } => InputReason::InvalidSystemTagsParameter,
        Invalid::DuplicateTagKey { .. } => InputReason::DuplicateTagKey,
        Invalid::UnrecognizedServicePrincipal { .. } => InputReason::UnrecognizedServicePrincipal,
        Invalid::ResourcePolicy(
            ResourcePolicyFault::NotJson(_)
            | ResourcePolicyFault::NotAnObject
            | ResourcePolicyFault::NoStatement
            | ResourcePolicyFault::Grammar(_),
        ) => InputReason::InvalidResourcePolicyJson,
        Invalid::ResourcePolicyTagsOnUpdate | Invalid::EffectivePolicyTarget => {
            InputReason::TargetNotSupported
        }
        Invalid::NoEffectivePolicy(_) | Invalid::DryRunUnsupported => InputReason::InvalidEnum,
        Invalid::InvitationToOrganization
        | Invalid::TransferToOrganization
        | Invalid::AmbiguousAccountName { .. } => InputReason::InvalidPartyTypeTarget,
        Invalid::TooManyFilters => InputReason::MaxLimitExceededFilter,
        Invalid::StartNotBeginningOfDay => InputReason::StartDateNotBeginningOfDay,
        Invalid::StartNotBeginningOfMonth => InputReason::StartDateNotBeginningOfMonth,
        Invalid::StartTooEarly => InputReason::StartDateTooEarly,
        Invalid::StartTooLate => InputReason::StartDateTooLate,
        Invalid::EndNotEndOfMonth => InputReason::EndDateNotEndOfMonth,
        Invalid::EndTooEarly => InputReason::EndDateTooEarly,
    };
    // A resource policy the IAM grammar refuses: AWS's text, then the grammar's own words on
    // what to fix (no observed text exists for it).
    if let Invalid::ResourcePolicy(ResourcePolicyFault::Grammar(diagnostic)) = i {
        return with_reason(
            INVALID,
            reason.as_str(),
            format!("{} {diagnostic}", reason.message()),
        );
    }
    with_reason(INVALID, reason.as_str(), reason.message())
}

/// `HandshakeConstraintViolationException`: the reason's text (seed 003, first sentence, unless
/// an observed text is named).
fn handshake(h: &HandshakeConstraint) -> AwsError {
    let (reason, message) = match h {
        HandshakeConstraint::InviteDuringEnableAllFeatures => (
            "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
            "You can't issue new invitations to join an organization while it's in the process \
             of enabling all features.",
        ),
        HandshakeConstraint::AlreadyMember | HandshakeConstraint::InAnotherOrganization => (
            "ALREADY_IN_AN_ORGANIZATION",
            "The handshake request is invalid because the invited account is already a member \
             of an organization.",
        ),
        HandshakeConstraint::InvitationRate { .. } => (
            "HANDSHAKE_RATE_LIMIT_EXCEEDED",
            "You attempted to exceed the number of handshakes that you can send in one day.",
        ),
        // observed: github.com/awslabs/compliant-framework-for-federal-and-dod-workloads-in-aws-govcloud-us/issues/12
        HandshakeConstraint::AccountQuotaWithInvitations | HandshakeConstraint::AccountQuota => (
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
            "You have exceeded the allowed number of AWS accounts",
        ),
        HandshakeConstraint::AlreadyAllFeatures => (
            "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
            "The handshake request is invalid because the organization has already enabled all \
             features.",
        ),
        HandshakeConstraint::AlreadyEnablingAllFeatures => (
            "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
            "The handshake request is invalid because the organization has already started \
             the process to enable all features.",
        ),
        HandshakeConstraint::TransferToOwnOrganization
        | HandshakeConstraint::TransferFromOwnOrganization => (
            "SOURCE_AND_TARGET_CANNOT_MATCH",
            "An account can't accept a transfer invitation if it is both the sender and \
             recipient of the invitation.",
        ),
        HandshakeConstraint::TransferExistsAtTarget | HandshakeConstraint::TransferExistsHere => (
            "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS",
            "You cannot perform this operation with the current transfer.",
        ),
    };
    with_reason(HANDSHAKE, reason, message)
}

macro_rules! reasons {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal => $message:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant,)* }
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            /// AWS's text for the reason.
            pub fn message(self) -> &'static str {
                match self { $($name::$variant => $message,)* }
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

reasons!(
    /// `InvalidInputException.Reason` values: those the model's constraints give (raised by
    /// `input.rs`) and those the domain's `Invalid` kinds map to, each with AWS's text: seed 003's
    /// description of the reason (first sentence), or the service model's (the transfer dates);
    /// `INVALID_NEXT_TOKEN` and `MAX_LIMIT_EXCEEDED_FILTER` are documented under other names
    /// (`INVALID_PAGINATION_TOKEN`, `MAX_FILTER_LIMIT_EXCEEDED`) than the model's enum gives;
    /// `INVALID_RESOURCE_POLICY_JSON` has no documented text (orgd's). A value that does not
    /// match its pattern gets the text AWS was observed to send, for a policy target too
    /// (github.com/boto/boto3/issues/4565, `ListPoliciesForTarget`;
    /// github.com/aws-ia/terraform-aws-control_tower_account_factory/issues/149, `TagResource`),
    /// not the documented descriptions ("You provided a value that doesn't match ...", "You
    /// specified a policy target ID that doesn't match ..."). The text never names the member:
    /// AWS's does not. `UNRECOGNIZED_SERVICE_PRINCIPAL`'s text is observed too
    /// (github.com/pepperize/cdk-organizations/issues/1718), not the documented "You specified a
    /// service principal that isn't recognized."
    InputReason {
        InputRequired = "INPUT_REQUIRED" => "You must include a value for all required parameters.",
        InvalidEnum = "INVALID_ENUM" => "You specified an invalid value.",
        InvalidPattern = "INVALID_PATTERN" => "You provided a value that does not match the required pattern.",
        InvalidPatternTargetId = "INVALID_PATTERN_TARGET_ID" => "You provided a value that does not match the required pattern.",
        MaxLengthExceeded = "MAX_LENGTH_EXCEEDED" => "You provided a string parameter that is longer than allowed.",
        MinLengthExceeded = "MIN_LENGTH_EXCEEDED" => "You provided a string parameter that is shorter than allowed.",
        MaxValueExceeded = "MAX_VALUE_EXCEEDED" => "You provided a numeric parameter that has a larger value than allowed.",
        MinValueExceeded = "MIN_VALUE_EXCEEDED" => "You provided a numeric parameter that has a smaller value than allowed.",
        InvalidNextToken = "INVALID_NEXT_TOKEN" => "Get the value for the NextToken parameter from the response to a previous call of the operation.",
        InvalidSystemTagsParameter = "INVALID_SYSTEM_TAGS_PARAMETER" => "You specified a tag key that is a system tag.",
        DuplicateTagKey = "DUPLICATE_TAG_KEY" => "Tag keys must be unique among the tags attached to the same entity.",
        InvalidRoleName = "INVALID_ROLE_NAME" => "You provided a role name that isn't valid.",
        UnrecognizedServicePrincipal = "UNRECOGNIZED_SERVICE_PRINCIPAL" => "You specified an unrecognized service principal.",
        InvalidResourcePolicyJson = "INVALID_RESOURCE_POLICY_JSON" => "You provided a resource policy that isn't valid JSON.",
        TargetNotSupported = "TARGET_NOT_SUPPORTED" => "You can't perform the specified operation on that target entity.",
        InvalidPartyTypeTarget = "INVALID_PARTY_TYPE_TARGET" => "You specified the wrong type of entity (account, organization, or email) as a party.",
        MaxLimitExceededFilter = "MAX_LIMIT_EXCEEDED_FILTER" => "You can specify only one filter parameter for the operation.",
        ImmutablePolicy = "IMMUTABLE_POLICY" => "You specified a policy that is managed by Amazon Web Services and can't be modified.",
        StartDateNotBeginningOfDay = "START_DATE_NOT_BEGINNING_OF_DAY" => "You provided an invalid start date.",
        StartDateNotBeginningOfMonth = "START_DATE_NOT_BEGINNING_OF_MONTH" => "You provided an invalid start date.",
        StartDateTooEarly = "START_DATE_TOO_EARLY" => "You provided an invalid start date.",
        StartDateTooLate = "START_DATE_TOO_LATE" => "You provided an invalid start date.",
        EndDateNotEndOfMonth = "END_DATE_NOT_END_OF_MONTH" => "You provided an invalid end date.",
        EndDateTooEarly = "END_DATE_TOO_EARLY" => "You provided an invalid end date.",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_aws_fixed_texts_per_exception_and_reason() {
        let e = aws_error(&OrgError::Constraint(Constraint::OuDepth { max: 5 }));
        assert_eq!(e.code, "ConstraintViolationException");
        assert_eq!(e.reason, Some("OU_DEPTH_LIMIT_EXCEEDED"));
        assert_eq!(
            e.message,
            "You attempted to create an OU tree that is too many levels deep."
        );
        let e = aws_error(&OrgError::NotFound(Entity::Organization));
        assert_eq!(e.code, "AWSOrganizationsNotInUseException");
        assert_eq!(e.reason, None);
        assert_eq!(
            e.message,
            "Your account is not a member of an organization."
        );
        let e = aws_error(&OrgError::NotFound(Entity::Account));
        assert_eq!(e.message, "You specified an account that doesn't exist.");
        let e = aws_error(&OrgError::InvalidInput(Invalid::DuplicateTagKey {
            key: "team".into(),
        }));
        assert_eq!(
            (e.code, e.reason),
            ("InvalidInputException", Some("DUPLICATE_TAG_KEY"))
        );
        assert_eq!(
            e.message,
            "Tag keys must be unique among the tags attached to the same entity."
        );
        let e = aws_error(&OrgError::Constraint(Constraint::CloseAccountQuota {
            max: 10,
        }));
        assert_eq!(e.reason, Some("CLOSE_ACCOUNT_QUOTA_EXCEEDED"));
        assert_eq!(
            e.message,
            "You have exceeded close account quota for the past 30 days."
        );
    }

    #[test]
    fn every_text_is_a_sentence() {
        let kinds = [
            OrgError::PolicyInUse,
            OrgError::DuplicatePolicy,
            OrgError::AlreadyDelegatedAdministrator,
            OrgError::Constraint(Constraint::WaitPeriodActive),
            OrgError::Handshake(HandshakeConstraint::InvitationRate { max: 20 }),
        ];
        for k in kinds {
            let m = aws_error(&k).message;
            assert!(m.ends_with('.') && !m.contains("  "), "{k:?}: {m}");
        }
    }
}
