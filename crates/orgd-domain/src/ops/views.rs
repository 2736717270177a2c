//! Resolved, owned views of entities: everything a protocol adapter needs to answer, paths and
//! the facts a resource name needs included, so adapters never reach into the model's rules.

use crate::model::{
    Account, AccountStatus, CreateAccountRequest, HandshakeAction, JoinedMethod, Millis,
    Organization, OrganizationalUnit, Root, State, TransferType,
};
use crate::policy::PolicyType;

/// What a cloud needs to name an entity in its resource-name scheme (an AWS adapter builds an
/// ARN from it, a Huawei adapter a URN). The domain holds ids, never the names themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceName {
    /// An entity of an organization, named in the name space of `account_id`: the organization's
    /// management account (for an inbound transfer, the receiving one).
    Org {
        account_id: String,
        org_id: String,
        entity: Named,
    },
    /// A policy the cloud itself manages, the same in every organization.
    ManagedPolicy {
        policy_type: PolicyType,
        policy_id: String,
    },
}

/// The entity part of a `ResourceName::Org`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Organization,
    Account(String),
    Root(String),
    OrganizationalUnit(String),
    Policy {
        policy_type: PolicyType,
        policy_id: String,
    },
    Handshake {
        action: HandshakeAction,
        handshake_id: String,
    },
    ResourcePolicy(String),
    Transfer {
        transfer_type: TransferType,
        inbound: bool,
        transfer_id: String,
    },
}

impl ResourceName {
    /// `entity` of `org`, in the name space of its management account.
    pub fn of(org: &Organization, entity: Named) -> Self {
        ResourceName::Org {
            account_id: org.management_account_id.clone(),
            org_id: org.id.clone(),
            entity,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationView {
    pub id: String,
    pub resource_name: ResourceName,
    pub feature_set: &'static str,
    pub management_account_id: String,
    pub management_account_name: ResourceName,
    pub management_account_email: String,
    /// The management account's name.
    pub management_name: String,
    pub created_at: Millis,
    /// The policy types enabled in the organization's root.
    pub available_policy_types: Vec<PolicyType>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootView {
    pub id: String,
    pub resource_name: ResourceName,
    pub name: String,
    /// Enabled policy types (always `ENABLED`: orgd enables and disables synchronously).
    pub policy_types: Vec<PolicyType>,
    /// The root is created with its organization.
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OuView {
    pub id: String,
    pub resource_name: ResourceName,
    pub name: String,
    pub path: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub id: String,
    pub resource_name: ResourceName,
    pub email: String,
    pub name: String,
    pub status: AccountStatus,
    pub joined_method: JoinedMethod,
    pub joined_at: Millis,
    pub paths: Vec<String>,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildType {
    Account,
    OrganizationalUnit,
}

impl ChildType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChildType::Account => "ACCOUNT",
            ChildType::OrganizationalUnit => "ORGANIZATIONAL_UNIT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentType {
    Root,
    OrganizationalUnit,
}

impl ParentType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParentType::Root => "ROOT",
            ParentType::OrganizationalUnit => "ORGANIZATIONAL_UNIT",
        }
    }
}

pub fn organization_view(state: &State, org: &Organization) -> OrganizationView {
    let mgmt = state.accounts.get(&org.management_account_id);
    OrganizationView {
        id: org.id.clone(),
        resource_name: ResourceName::of(org, Named::Organization),
        feature_set: org.feature_set.as_str(),
        management_account_id: org.management_account_id.clone(),
        management_account_name: ResourceName::of(
            org,
            Named::Account(org.management_account_id.clone()),
        ),
        management_account_email: mgmt.map(|a| a.email.clone()).unwrap_or_default(),
        management_name: mgmt.map(|a| a.name.clone()).unwrap_or_default(),
        created_at: org.created_at,
        available_policy_types: state
            .roots
            .get(&org.root_id)
            .map(|r| r.policy_types.clone())
            .unwrap_or_default(),
    }
}

pub fn root_view(org: &Organization, root: &Root) -> RootView {
    RootView {
        id: root.id.clone(),
        resource_name: ResourceName::of(org, Named::Root(root.id.clone())),
        name: root.name.clone(),
        policy_types: root.policy_types.clone(),
        created_at: org.created_at,
    }
}

pub fn ou_view(state: &State, org: &Organization, ou: &OrganizationalUnit) -> OuView {
    OuView {
        id: ou.id.clone(),
        resource_name: ResourceName::of(org, Named::OrganizationalUnit(ou.id.clone())),
        name: ou.name.clone(),
        path: state.path_of_parent(&org.id, &ou.id),
        created_at: ou.created_at,
    }
}

/// The view of a member account. Panics in debug builds if the account is standalone.
pub fn account_view(state: &State, org: &Organization, account: &Account) -> AccountView {
    let m = account.membership.as_ref();
    debug_assert!(m.is_some(), "account_view of a standalone account");
    let paths = m
        .map(|m| {
            vec![format!(
                "{}{}/",
                state.path_of_parent(&org.id, &m.parent_id),
                account.id
            )]
        })
        .unwrap_or_default();
    AccountView {
        id: account.id.clone(),
        resource_name: ResourceName::of(org, Named::Account(account.id.clone())),
        email: account.email.clone(),
        name: account.name.clone(),
        status: account.status,
        joined_method: m.map_or(JoinedMethod::Created, |m| m.joined_method),
        joined_at: m.map_or(0, |m| m.joined_at),
        paths,
        description: account.description.clone(),
    }
}

/// A CreateAccount request is its own view.
pub type CreateAccountStatusView = CreateAccountRequest;

/// A policy as `Policy` (its `PolicySummary` and `Content`) shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyView {
    pub id: String,
    pub resource_name: ResourceName,
    pub name: String,
    pub description: String,
    pub policy_type: PolicyType,
    pub aws_managed: bool,
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetType {
    Account,
    OrganizationalUnit,
    Root,
}

impl TargetType {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetType::Account => "ACCOUNT",
            TargetType::OrganizationalUnit => "ORGANIZATIONAL_UNIT",
            TargetType::Root => "ROOT",
        }
    }
}

/// A `PolicyTargetSummary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTargetView {
    pub id: String,
    pub resource_name: ResourceName,
    pub name: String,
    pub target_type: TargetType,
}

/// An `EffectivePolicy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectivePolicyView {
    pub content: String,
    pub last_updated: Millis,
    pub target_id: String,
    pub policy_type: PolicyType,
}

/// One `EffectivePolicyValidationError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrorView {
    pub code: &'static str,
    pub message: String,
    pub path: String,
    pub contributing_policies: Vec<String>,
}

/// `ListEffectivePolicyValidationErrors`: the account, its path, when it was evaluated, and one
/// page of errors.
#[derive(Debug)]
pub struct ValidationErrorsView {
    pub account_id: String,
    pub policy_type: PolicyType,
    pub path: String,
    pub evaluated_at: Millis,
    pub errors: super::Page<ValidationErrorView>,
}
