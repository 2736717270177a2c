//! Every way an operation can fail, as domain facts: a closed set of kinds, each with the data
//! that says what went wrong (which entity was missing, which limit and its value, which policy
//! type...). No wire names and no message texts live here: each protocol adapter maps a kind to
//! its wire form in one table (AWS: `crates/orgd/src/aws/errors.rs`).

use std::fmt;

use crate::access::Operation;
use crate::model::{HandshakeState, TransferStatus};
use crate::policy::{PolicyContentError, PolicyRef, PolicyType};

/// Why an operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgError {
    /// Something the request names does not exist, or is not where the caller can see it.
    NotFound(Entity),
    /// The caller may not do this.
    AccessDenied(Denial),
    /// A quota or a rule of the organization stands in the way.
    Constraint(Constraint),
    /// The request is well-formed but asks for something the rules refuse.
    InvalidInput(Invalid),
    /// A handshake (invitation, all-features migration, transfer) cannot be made or accepted.
    Handshake(HandshakeConstraint),
    /// Policy content breaks its type's grammar: the grammar's own diagnostic, and for a stored
    /// policy met while merging, which one it was.
    MalformedPolicy {
        policy: Option<PolicyRef>,
        error: PolicyContentError,
    },
    /// The caller already belongs to an organization.
    AlreadyInOrganization,
    /// The management account cannot leave (or be removed from) its organization.
    ManagementAccountCannotLeave,
    /// The organization still has members or OUs.
    OrganizationNotEmpty,
    /// The OU still has accounts or OUs.
    OrganizationalUnitNotEmpty,
    /// The parent already has an OU of that name.
    DuplicateOrganizationalUnit,
    /// The account already is in the destination parent.
    AccountAlreadyInParent,
    AccountAlreadyClosed,
    /// The account already is a delegated administrator for the service.
    AlreadyDelegatedAdministrator,
    /// The account is not a delegated administrator (for the service).
    NotDelegatedAdministrator,
    /// An open handshake of the same kind already exists for the party.
    DuplicateHandshake,
    HandshakeAlreadyInState,
    /// The handshake cannot move from its state to the one asked for.
    HandshakeTransition(HandshakeTransition),
    /// The policy is still attached somewhere.
    PolicyInUse,
    /// A policy of that name and type already exists.
    DuplicatePolicy,
    PolicyAlreadyAttached,
    PolicyNotAttached,
    PolicyTypeAlreadyEnabled,
    PolicyTypeNotEnabled,
    /// SCP dry-run is not enabled in the root (Huawei's SCP simulation).
    DryRunNotEnabled,
    /// The policy type needs an organization with all features.
    PolicyTypeNeedsAllFeatures(PolicyType),
    TransferAlreadyInStatus,
    /// A transfer in this status cannot be terminated.
    TransferCannotEnd(TransferStatus),
}

/// What was not found, in the role the request names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// The caller's organization: the caller is in none.
    Organization,
    Account,
    OrganizationalUnit,
    Root,
    Parent,
    SourceParent,
    DestinationParent,
    Child,
    /// A policy target (root, OU or account), or a resource that carries tags.
    Target,
    CreateAccountRequest,
    Handshake,
    Policy,
    /// No policy of the type applies to the account.
    EffectivePolicy,
    ResourcePolicy,
    ResponsibilityTransfer,
}

/// Why the caller may not do this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// Only the management account (and, when `delegated` is true, a delegated administrator)
    /// may call the operation.
    Operation {
        operation: Operation,
        delegated: bool,
    },
    /// Only the recipient of a handshake can accept it.
    AcceptHandshake,
    /// Only the recipient of a handshake can decline it.
    DeclineHandshake,
    /// Only the organization that sent a handshake can cancel it.
    CancelHandshake,
    /// Only a management account can accept a transfer invitation.
    AcceptTransfer,
    /// Only the management account or a delegated administrator can see another account's
    /// effective policy.
    OthersEffectivePolicy,
    /// Only the account itself or its organization's management account may assume the
    /// account's access role, and no other role exists.
    AssumeRole,
}

/// A quota or rule of the organization, with the limit where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    AccountLimit {
        max: usize,
    },
    OuLimit {
        max: usize,
    },
    OuDepth {
        max: usize,
    },
    TagLimit {
        max: usize,
    },
    PolicyLimit {
        policy_type: PolicyType,
        max: usize,
    },
    PolicyContentTooLarge {
        policy_type: PolicyType,
        limit: usize,
        actual: usize,
    },
    MaxPoliciesAttached {
        policy_type: PolicyType,
        max: usize,
    },
    MinPoliciesAttached {
        policy_type: PolicyType,
        min: usize,
    },
    CloseManagementAccount,
    /// The organization has closed as many accounts as it may in the rolling window.
    CloseAccountQuota {
        max: usize,
    },
    /// An account created in the organization is too young to leave it or be removed.
    WaitPeriodActive,
    /// The operation needs an organization with all features.
    AllFeaturesRequired,
    /// Closing accounts needs an organization with all features.
    CloseNeedsAllFeatures,
    ManagementAsDelegatedAdministrator,
    SuspendedAsDelegatedAdministrator,
    /// A delegated administrator cannot be removed before it is deregistered.
    RemoveDelegatedAdministrator,
    /// A delegated administrator cannot leave before it is deregistered.
    LeaveAsDelegatedAdministrator,
    /// Trusted access for the service is not enabled.
    ServiceAccessNotEnabled {
        principal: String,
    },
    /// The management account has no GovCloud account.
    GovCloudNotEnabled,
}

/// A request the rules refuse, with what the refusal is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// A policy managed by the cloud (not the customer) cannot change.
    ImmutablePolicy {
        name: String,
    },
    /// A tag key reserved for the cloud's own use.
    ReservedTagKey {
        key: String,
    },
    DuplicateTagKey {
        key: String,
    },
    /// `delegation`: the principal was to get a delegated administrator.
    UnrecognizedServicePrincipal {
        principal: String,
        delegation: bool,
    },
    ResourcePolicy(ResourcePolicyFault),
    /// Tags can be given only when the resource policy is created.
    ResourcePolicyTagsOnUpdate,
    /// Effective policies are for accounts, not roots or OUs.
    EffectivePolicyTarget,
    /// The policy type (an authorization type) has no effective policy.
    NoEffectivePolicy(PolicyType),
    /// An invitation addressed to an organization.
    InvitationToOrganization,
    /// An invitation addressed to an account name that several accounts have.
    AmbiguousAccountName {
        name: String,
    },
    /// A transfer invitation addressed to an organization.
    TransferToOrganization,
    /// The organization's policy language has no SCP dry-run, or the type is not an SCP.
    DryRunUnsupported,
    /// More than one handshake filter.
    TooManyFilters,
    StartNotBeginningOfDay,
    StartNotBeginningOfMonth,
    StartTooEarly,
    StartTooLate,
    EndNotEndOfMonth,
    EndTooEarly,
}

/// What is wrong with a resource policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourcePolicyFault {
    /// Not JSON, with the parser's explanation.
    NotJson(String),
    NotAnObject,
    NoStatement,
    /// The document breaks the IAM grammar of a resource-based policy (the grammar's diagnostic,
    /// `path: message`).
    Grammar(String),
}

/// Why a handshake cannot be made or accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeConstraint {
    InviteDuringEnableAllFeatures,
    /// The invited account already is a member of the organization.
    AlreadyMember,
    /// The accepting account is in another organization.
    InAnotherOrganization,
    InvitationRate {
        max: usize,
    },
    /// Open invitations would take the organization past its account quota.
    AccountQuotaWithInvitations,
    /// The organization has reached its account quota.
    AccountQuota,
    AlreadyAllFeatures,
    AlreadyEnablingAllFeatures,
    /// A transfer invitation to the inviting organization itself.
    TransferToOwnOrganization,
    /// Accepting a transfer from one's own organization.
    TransferFromOwnOrganization,
    /// The invited organization already transfers this responsibility.
    TransferExistsAtTarget,
    /// The accepting organization already transfers this responsibility.
    TransferExistsHere,
}

/// A handshake move that its state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeTransition {
    Between {
        from: HandshakeState,
        to: HandshakeState,
    },
    /// An all-features approval is canceled through its parent handshake.
    CancelApproval,
}

impl fmt::Display for OrgError {
    /// A description for logs; what clients see is the adapter's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for OrgError {}

pub type Result<T, E = OrgError> = std::result::Result<T, E>;
