//! Who may call what: the one authorization table of orgd.

use crate::error::{Denial, Entity, OrgError, Result};
use crate::grants;
use crate::model::{Organization, State};

/// The callers an operation admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Any account, in an organization or not (CreateOrganization).
    Anyone,
    /// Any account of the organization, management or member.
    AnyMember,
    /// The management account, or a member account that is a delegated administrator for some
    /// service (AWS gives them the read-only operations).
    ManagementOrDelegatedAdmin,
    /// The management account of the organization only.
    Management,
}

/// Every operation orgd serves, with the audience AWS admits for it.
macro_rules! operations {
    ($($name:ident => $aud:ident,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation { $($name,)* }
        impl Operation {
            pub const ALL: &'static [Operation] = &[$(Operation::$name,)*];
            pub fn name(self) -> &'static str {
                match self { $(Operation::$name => stringify!($name),)* }
            }
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $(stringify!($name) => Some(Operation::$name),)* _ => None }
            }
            pub fn audience(self) -> Audience {
                match self { $(Operation::$name => Audience::$aud,)* }
            }
        }
    };
}

operations! {
    CreateOrganization => Anyone,
    DescribeOrganization => AnyMember,
    DeleteOrganization => Management,
    ListRoots => ManagementOrDelegatedAdmin,
    CreateOrganizationalUnit => Management,
    DescribeOrganizationalUnit => ManagementOrDelegatedAdmin,
    UpdateOrganizationalUnit => Management,
    DeleteOrganizationalUnit => Management,
    ListOrganizationalUnitsForParent => ManagementOrDelegatedAdmin,
    ListChildren => ManagementOrDelegatedAdmin,
    ListParents => ManagementOrDelegatedAdmin,
    CreateAccount => Management,
    DescribeCreateAccountStatus => ManagementOrDelegatedAdmin,
    ListCreateAccountStatus => ManagementOrDelegatedAdmin,
    DescribeAccount => ManagementOrDelegatedAdmin,
    ListAccounts => ManagementOrDelegatedAdmin,
    ListAccountsForParent => ManagementOrDelegatedAdmin,
    MoveAccount => Management,
    RemoveAccountFromOrganization => Management,
    CloseAccount => Management,
    TagResource => Management,
    UntagResource => Management,
    ListTagsForResource => ManagementOrDelegatedAdmin,
    EnableAWSServiceAccess => Management,
    DisableAWSServiceAccess => Management,
    ListAWSServiceAccessForOrganization => ManagementOrDelegatedAdmin,
    RegisterDelegatedAdministrator => Management,
    DeregisterDelegatedAdministrator => Management,
    ListDelegatedAdministrators => ManagementOrDelegatedAdmin,
    ListDelegatedServicesForAccount => ManagementOrDelegatedAdmin,
    PutResourcePolicy => Management,
    DescribeResourcePolicy => ManagementOrDelegatedAdmin,
    DeleteResourcePolicy => Management,
    LeaveOrganization => AnyMember,
    InviteAccountToOrganization => Management,
    AcceptHandshake => Anyone,
    DeclineHandshake => Anyone,
    CancelHandshake => Anyone,
    DescribeHandshake => Anyone,
    ListHandshakesForAccount => Anyone,
    ListHandshakesForOrganization => ManagementOrDelegatedAdmin,
    EnableAllFeatures => Management,
    CreatePolicy => Management,
    DescribePolicy => ManagementOrDelegatedAdmin,
    UpdatePolicy => Management,
    DeletePolicy => Management,
    ListPolicies => ManagementOrDelegatedAdmin,
    AttachPolicy => Management,
    DetachPolicy => Management,
    ListPoliciesForTarget => ManagementOrDelegatedAdmin,
    ListTargetsForPolicy => ManagementOrDelegatedAdmin,
    EnablePolicyType => Management,
    DisablePolicyType => Management,
    // Any member may read its own effective policy; only the management account or a delegated
    // administrator may name another target (checked in `ops::describe_effective_policy`).
    DescribeEffectivePolicy => AnyMember,
    ListAccountsWithInvalidEffectivePolicy => ManagementOrDelegatedAdmin,
    ListEffectivePolicyValidationErrors => ManagementOrDelegatedAdmin,
    // Responsibility transfers are between management accounts: each side's management account
    // sees and ends the transfers it is part of (checked in `ops::transfers`).
    InviteOrganizationToTransferResponsibility => Management,
    DescribeResponsibilityTransfer => Management,
    ListInboundResponsibilityTransfers => Management,
    ListOutboundResponsibilityTransfers => Management,
    UpdateResponsibilityTransfer => Management,
    TerminateResponsibilityTransfer => Management,
    CreateGovCloudAccount => Management,
}

/// Whether the organization's resource policy may grant `op` to a member account: the policy
/// operations and the read-only ones (AWS's delegated administrator for Organizations).
pub fn delegable(op: Operation) -> bool {
    let name = op.name();
    name.starts_with("Describe")
        || name.starts_with("List")
        || matches!(
            op,
            Operation::CreatePolicy
                | Operation::UpdatePolicy
                | Operation::DeletePolicy
                | Operation::AttachPolicy
                | Operation::DetachPolicy
                | Operation::EnablePolicyType
                | Operation::DisablePolicyType
                | Operation::TagResource
                | Operation::UntagResource
        )
}

/// `authorize`, and for a member account the table refuses, what the organization's resource
/// policy grants it for this request.
pub fn authorize_for<'s>(
    state: &'s State,
    caller: &str,
    op: Operation,
    request: grants::RequestContext,
) -> Result<Option<&'s Organization>> {
    match authorize(state, caller, op) {
        Err(OrgError::AccessDenied(denial)) => {
            let org = state
                .org_of(caller)
                .ok_or(OrgError::NotFound(Entity::Organization))?;
            let granted = delegable(op)
                && state.parsed_resource_policy(&org.id).is_some_and(|doc| {
                    grants::allows(
                        doc,
                        &org.id,
                        caller,
                        &format!("organizations:{}", op.name()),
                        request,
                    )
                });
            if granted {
                Ok(Some(org))
            } else {
                Err(OrgError::AccessDenied(denial))
            }
        }
        other => other,
    }
}

/// Checks that `caller` may call `op` and returns the caller's organization (None only for
/// `Audience::Anyone` callers outside any organization).
pub fn authorize<'s>(
    state: &'s State,
    caller: &str,
    op: Operation,
) -> Result<Option<&'s Organization>> {
    let org = state.org_of(caller);
    match (op.audience(), org) {
        (Audience::Anyone, org) => Ok(org),
        (_, None) => Err(OrgError::NotFound(Entity::Organization)),
        (Audience::AnyMember, Some(org)) => Ok(Some(org)),
        (_, Some(org)) if org.management_account_id == caller => Ok(Some(org)),
        (Audience::ManagementOrDelegatedAdmin, Some(org)) if org.is_delegated_admin(caller) => {
            Ok(Some(org))
        }
        (_, Some(_)) => Err(OrgError::AccessDenied(Denial::Operation {
            operation: op,
            delegated: op.audience() == Audience::ManagementOrDelegatedAdmin,
        })),
    }
}
