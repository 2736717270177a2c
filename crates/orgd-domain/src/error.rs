//! Every error the domain can raise, in AWS's vocabulary. The protocol adapters map each variant to
//! their wire form in one place (for AWS: `__type`, `Message` and, where the shape has one, `Reason`).

use std::fmt;

/// The exception an operation fails with. `code()` is AWS's exception name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("{0}")]
    AccessDenied(String),
    #[error("Your account is not a member of an organization.")]
    NotInUse,
    #[error("The provided account is already a member of an organization.")]
    AlreadyInOrganization,
    #[error("{message}")]
    ConstraintViolation {
        reason: ConstraintReason,
        message: String,
    },
    #[error("{message}")]
    InvalidInput {
        reason: InputReason,
        message: String,
    },
    #[error("You cannot perform this operation with the management account.")]
    MasterCannotLeave,
    #[error("The organization still contains member accounts or organizational units.")]
    OrganizationNotEmpty,
    #[error("The organizational unit still contains accounts or organizational units.")]
    OrganizationalUnitNotEmpty,
    #[error("An organizational unit with this name already exists in the parent.")]
    DuplicateOrganizationalUnit,
    #[error("The account is already in the destination parent.")]
    DuplicateAccount,
    #[error("The account cannot be found.")]
    AccountNotFound,
    #[error("The account is already closed.")]
    AccountAlreadyClosed,
    #[error("The organizational unit cannot be found.")]
    OrganizationalUnitNotFound,
    #[error("The parent cannot be found.")]
    ParentNotFound,
    #[error("The source parent cannot be found.")]
    SourceParentNotFound,
    #[error("The destination parent cannot be found.")]
    DestinationParentNotFound,
    #[error("The child cannot be found.")]
    ChildNotFound,
    #[error("The create account request cannot be found.")]
    CreateAccountStatusNotFound,
    #[error("The target cannot be found.")]
    TargetNotFound,
    #[error("The root cannot be found.")]
    RootNotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("The account is already a delegated administrator for this service.")]
    AccountAlreadyRegistered,
    #[error("The account is not a delegated administrator for this service.")]
    AccountNotRegistered,
    #[error("The organization has no resource policy.")]
    ResourcePolicyNotFound,
    #[error("{message}")]
    HandshakeConstraintViolation {
        reason: HandshakeReason,
        message: String,
    },
    #[error("An open handshake of this kind already exists for this party.")]
    DuplicateHandshake,
    #[error("The handshake cannot be found.")]
    HandshakeNotFound,
    #[error("{0}")]
    InvalidHandshakeTransition(String),
    #[error("The handshake is already in the requested state.")]
    HandshakeAlreadyInState,
    /// The content breaks its type's grammar; the message says what is wrong.
    #[error("{0}")]
    MalformedPolicyDocument(String),
    #[error("The policy cannot be found.")]
    PolicyNotFound,
    #[error(
        "The policy is attached to one or more entities: detach it from all of them before you delete it."
    )]
    PolicyInUse,
    #[error("A policy with the same name and type already exists.")]
    DuplicatePolicy,
    #[error("The policy is already attached to the target.")]
    DuplicatePolicyAttachment,
    #[error("The policy is not attached to the target.")]
    PolicyNotAttached,
    #[error("The policy type is already enabled in the root.")]
    PolicyTypeAlreadyEnabled,
    #[error("The policy type is not enabled in the root.")]
    PolicyTypeNotEnabled,
    #[error("{0}")]
    PolicyTypeNotAvailableForOrganization(String),
    #[error("No policy of this type is in effect for the target.")]
    EffectivePolicyNotFound,
    #[error("The responsibility transfer cannot be found.")]
    ResponsibilityTransferNotFound,
    #[error("The responsibility transfer is already in the requested status.")]
    ResponsibilityTransferAlreadyInStatus,
    #[error("{0}")]
    InvalidResponsibilityTransferTransition(String),
}

impl OrgError {
    /// AWS's exception name for this error.
    pub fn code(&self) -> &'static str {
        match self {
            OrgError::AccessDenied(_) => "AccessDeniedException",
            OrgError::NotInUse => "AWSOrganizationsNotInUseException",
            OrgError::AlreadyInOrganization => "AlreadyInOrganizationException",
            OrgError::ConstraintViolation { .. } => "ConstraintViolationException",
            OrgError::InvalidInput { .. } => "InvalidInputException",
            OrgError::MasterCannotLeave => "MasterCannotLeaveOrganizationException",
            OrgError::OrganizationNotEmpty => "OrganizationNotEmptyException",
            OrgError::OrganizationalUnitNotEmpty => "OrganizationalUnitNotEmptyException",
            OrgError::DuplicateOrganizationalUnit => "DuplicateOrganizationalUnitException",
            OrgError::DuplicateAccount => "DuplicateAccountException",
            OrgError::AccountNotFound => "AccountNotFoundException",
            OrgError::AccountAlreadyClosed => "AccountAlreadyClosedException",
            OrgError::OrganizationalUnitNotFound => "OrganizationalUnitNotFoundException",
            OrgError::ParentNotFound => "ParentNotFoundException",
            OrgError::SourceParentNotFound => "SourceParentNotFoundException",
            OrgError::DestinationParentNotFound => "DestinationParentNotFoundException",
            OrgError::ChildNotFound => "ChildNotFoundException",
            OrgError::CreateAccountStatusNotFound => "CreateAccountStatusNotFoundException",
            OrgError::TargetNotFound => "TargetNotFoundException",
            OrgError::RootNotFound => "RootNotFoundException",
            OrgError::Conflict(_) => "ConflictException",
            OrgError::AccountAlreadyRegistered => "AccountAlreadyRegisteredException",
            OrgError::AccountNotRegistered => "AccountNotRegisteredException",
            OrgError::ResourcePolicyNotFound => "ResourcePolicyNotFoundException",
            OrgError::HandshakeConstraintViolation { .. } => {
                "HandshakeConstraintViolationException"
            }
            OrgError::DuplicateHandshake => "DuplicateHandshakeException",
            OrgError::HandshakeNotFound => "HandshakeNotFoundException",
            OrgError::InvalidHandshakeTransition(_) => "InvalidHandshakeTransitionException",
            OrgError::HandshakeAlreadyInState => "HandshakeAlreadyInStateException",
            OrgError::MalformedPolicyDocument(_) => "MalformedPolicyDocumentException",
            OrgError::PolicyNotFound => "PolicyNotFoundException",
            OrgError::PolicyInUse => "PolicyInUseException",
            OrgError::DuplicatePolicy => "DuplicatePolicyException",
            OrgError::DuplicatePolicyAttachment => "DuplicatePolicyAttachmentException",
            OrgError::PolicyNotAttached => "PolicyNotAttachedException",
            OrgError::PolicyTypeAlreadyEnabled => "PolicyTypeAlreadyEnabledException",
            OrgError::PolicyTypeNotEnabled => "PolicyTypeNotEnabledException",
            OrgError::PolicyTypeNotAvailableForOrganization(_) => {
                "PolicyTypeNotAvailableForOrganizationException"
            }
            OrgError::EffectivePolicyNotFound => "EffectivePolicyNotFoundException",
            OrgError::ResponsibilityTransferNotFound => "ResponsibilityTransferNotFoundException",
            OrgError::ResponsibilityTransferAlreadyInStatus => {
                "ResponsibilityTransferAlreadyInStatusException"
            }
            OrgError::InvalidResponsibilityTransferTransition(_) => {
                "InvalidResponsibilityTransferTransitionException"
            }
        }
    }

    /// The `Reason` member, for the exceptions whose shape has one.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            OrgError::ConstraintViolation { reason, .. } => Some(reason.as_str()),
            OrgError::InvalidInput { reason, .. } => Some(reason.as_str()),
            OrgError::HandshakeConstraintViolation { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    }

    pub fn constraint(reason: ConstraintReason, message: impl Into<String>) -> Self {
        OrgError::ConstraintViolation {
            reason,
            message: message.into(),
        }
    }

    pub fn invalid(reason: InputReason, message: impl Into<String>) -> Self {
        OrgError::InvalidInput {
            reason,
            message: message.into(),
        }
    }

    pub fn handshake_constraint(reason: HandshakeReason, message: impl Into<String>) -> Self {
        OrgError::HandshakeConstraintViolation {
            reason,
            message: message.into(),
        }
    }
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
    /// `ConstraintViolationException.Reason` values orgd raises.
    ConstraintReason {
        AccountNumberLimitExceeded = "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
        OuNumberLimitExceeded = "OU_NUMBER_LIMIT_EXCEEDED",
        OuDepthLimitExceeded = "OU_DEPTH_LIMIT_EXCEEDED",
        MaxTagLimitExceeded = "MAX_TAG_LIMIT_EXCEEDED",
        CannotCloseManagementAccount = "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
        OrganizationNotInAllFeaturesMode = "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
        CloseAccountQuotaExceeded = "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
        AccountCreationNotComplete = "ACCOUNT_CREATION_NOT_COMPLETE",
        CannotRegisterMasterAsDelegatedAdministrator = "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
        CannotRegisterSuspendedAccountAsDelegatedAdministrator = "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR",
        CannotRemoveDelegatedAdministratorFromOrg = "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
        ServiceAccessNotEnabled = "SERVICE_ACCESS_NOT_ENABLED",
        PolicyContentLimitExceeded = "POLICY_CONTENT_LIMIT_EXCEEDED",
        PolicyNumberLimitExceeded = "POLICY_NUMBER_LIMIT_EXCEEDED",
        MaxPolicyTypeAttachmentLimitExceeded = "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
        MinPolicyTypeAttachmentLimitExceeded = "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
        MasterAccountNotGovcloudEnabled = "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED",
    }
);

reasons!(
    /// `InvalidInputException.Reason` values orgd raises.
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
        MovingAccountBetweenDifferentRoots = "MOVING_ACCOUNT_BETWEEN_DIFFERENT_ROOTS",
        InvalidRoleName = "INVALID_ROLE_NAME",
        InvalidEmailAddressTarget = "INVALID_EMAIL_ADDRESS_TARGET",
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

reasons!(
    /// `HandshakeConstraintViolationException.Reason` values orgd raises.
    HandshakeReason {
        AccountNumberLimitExceeded = "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
        HandshakeRateLimitExceeded = "HANDSHAKE_RATE_LIMIT_EXCEEDED",
        AlreadyInAnOrganization = "ALREADY_IN_AN_ORGANIZATION",
        OrganizationAlreadyHasAllFeatures = "ORGANIZATION_ALREADY_HAS_ALL_FEATURES",
        OrganizationIsAlreadyPendingAllFeaturesMigration = "ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION",
        InviteDisabledDuringEnableAllFeatures = "INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES",
        ResponsibilityTransferAlreadyExists = "RESPONSIBILITY_TRANSFER_ALREADY_EXISTS",
        SourceAndTargetCannotMatch = "SOURCE_AND_TARGET_CANNOT_MATCH",
    }
);

pub type Result<T, E = OrgError> = std::result::Result<T, E>;
