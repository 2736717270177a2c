//! The organization model: the entities orgd keeps, the in-memory `State` that indexes them, and
//! `Change`, the unit of every write. Operations read a `State` and return the `Change`s they decide;
//! the engine makes them durable and then applies them, so nothing is visible before it is stored.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::ids::{ENTITY_PATH_SEP, IdScheme};
use crate::policy::PolicyType;

/// Milliseconds since the Unix epoch. The domain never reads a clock: callers pass `now`.
pub type Millis = i64;

/// Tags of one resource, kept sorted by key.
pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeatureSet {
    All,
    ConsolidatedBilling,
}

impl FeatureSet {
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureSet::All => "ALL",
            FeatureSet::ConsolidatedBilling => "CONSOLIDATED_BILLING",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub feature_set: FeatureSet,
    pub management_account_id: String,
    pub root_id: String,
    pub created_at: Millis,
    /// Service principals with trusted access, and when it was enabled.
    #[serde(default)]
    pub service_access: BTreeMap<String, Millis>,
    /// Service principal -> delegated administrator accounts, and when each was registered.
    #[serde(default)]
    pub delegated_admins: BTreeMap<String, BTreeMap<String, Millis>>,
    /// The organization's resource policy, if one was put.
    #[serde(default)]
    pub resource_policy: Option<ResourcePolicy>,
    /// How the organization's ids are minted (organizations stored before schemes are AWS's).
    #[serde(default)]
    pub id_scheme: IdScheme,
}

/// The organization's resource policy: who outside the management account may do what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePolicy {
    pub id: String,
    pub content: String,
    #[serde(default)]
    pub tags: Tags,
}

impl Organization {
    /// Whether `account_id` is a delegated administrator for any service.
    pub fn is_delegated_admin(&self, account_id: &str) -> bool {
        self.delegated_admins
            .values()
            .any(|accounts| accounts.contains_key(account_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    pub id: String,
    pub org_id: String,
    pub name: String,
    #[serde(default)]
    pub tags: Tags,
    /// The policy types enabled in this root, in the order they were enabled.
    #[serde(default)]
    pub policy_types: Vec<PolicyType>,
    /// Policies attached directly to the root, in attachment order.
    #[serde(default)]
    pub policies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationalUnit {
    pub id: String,
    pub org_id: String,
    pub parent_id: String,
    pub name: String,
    #[serde(default)]
    pub tags: Tags,
    /// Policies attached directly to the OU, in attachment order.
    #[serde(default)]
    pub policies: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    Active,
    PendingClosure,
    Suspended,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "ACTIVE",
            AccountStatus::PendingClosure => "PENDING_CLOSURE",
            AccountStatus::Suspended => "SUSPENDED",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JoinedMethod {
    Invited,
    Created,
}

impl JoinedMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinedMethod::Invited => "INVITED",
            JoinedMethod::Created => "CREATED",
        }
    }
}

/// Where an account stands in an organization. Standalone accounts have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub org_id: String,
    pub parent_id: String,
    pub joined_method: JoinedMethod,
    pub joined_at: Millis,
    /// Policies attached directly to the account, in attachment order. They belong to the
    /// membership: an account that leaves its organization leaves them behind.
    #[serde(default)]
    pub policies: Vec<String>,
}

/// An AWS account orgd knows: a member of an organization, or a standalone account that has called
/// orgd (or left or was removed from an organization).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub name: String,
    pub status: AccountStatus,
    /// When a `PENDING_CLOSURE` account becomes `SUSPENDED`.
    #[serde(default)]
    pub closes_at: Option<Millis>,
    #[serde(default)]
    pub membership: Option<Membership>,
    #[serde(default)]
    pub tags: Tags,
}

impl Account {
    pub fn org_id(&self) -> Option<&str> {
        self.membership.as_ref().map(|m| m.org_id.as_str())
    }

    pub fn parent_id(&self) -> Option<&str> {
        self.membership.as_ref().map(|m| m.parent_id.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreateAccountState {
    InProgress,
    Succeeded,
    Failed,
}

impl CreateAccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            CreateAccountState::InProgress => "IN_PROGRESS",
            CreateAccountState::Succeeded => "SUCCEEDED",
            CreateAccountState::Failed => "FAILED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "IN_PROGRESS" => Some(CreateAccountState::InProgress),
            "SUCCEEDED" => Some(CreateAccountState::Succeeded),
            "FAILED" => Some(CreateAccountState::Failed),
            _ => None,
        }
    }
}

/// A CreateAccount request and its asynchronous outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateAccountRequest {
    pub id: String,
    pub org_id: String,
    pub account_name: String,
    pub email: String,
    pub state: CreateAccountState,
    pub requested_at: Millis,
    /// When the request settles (it is `IN_PROGRESS` until then).
    pub completes_at: Millis,
    #[serde(default)]
    pub completed_at: Option<Millis>,
    /// Chosen when the request is made, so the outcome is decided then and only revealed later.
    pub account_id: String,
    #[serde(default)]
    pub failure_reason: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HandshakeAction {
    Invite,
    EnableAllFeatures,
    ApproveAllFeatures,
    TransferResponsibility,
}

impl HandshakeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            HandshakeAction::Invite => "INVITE",
            HandshakeAction::EnableAllFeatures => "ENABLE_ALL_FEATURES",
            HandshakeAction::ApproveAllFeatures => "APPROVE_ALL_FEATURES",
            HandshakeAction::TransferResponsibility => "TRANSFER_RESPONSIBILITY",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HandshakeState {
    Requested,
    Open,
    Canceled,
    Accepted,
    Declined,
    Expired,
}

impl HandshakeState {
    pub fn as_str(self) -> &'static str {
        match self {
            HandshakeState::Requested => "REQUESTED",
            HandshakeState::Open => "OPEN",
            HandshakeState::Canceled => "CANCELED",
            HandshakeState::Accepted => "ACCEPTED",
            HandshakeState::Declined => "DECLINED",
            HandshakeState::Expired => "EXPIRED",
        }
    }

    /// Still waiting for someone to act.
    pub fn is_pending(self) -> bool {
        matches!(self, HandshakeState::Requested | HandshakeState::Open)
    }
}

/// Who a handshake is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recipient {
    Account(String),
    Email(String),
}

/// A handshake: an invitation, or a step of enabling all features.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handshake {
    pub id: String,
    pub org_id: String,
    pub action: HandshakeAction,
    pub state: HandshakeState,
    pub recipient: Recipient,
    pub requested_at: Millis,
    pub expires_at: Millis,
    /// When the handshake left the pending states.
    #[serde(default)]
    pub completed_at: Option<Millis>,
    /// When a completed handshake stops being visible.
    #[serde(default)]
    pub forget_at: Option<Millis>,
    #[serde(default)]
    pub notes: Option<String>,
    /// The ENABLE_ALL_FEATURES handshake an APPROVE_ALL_FEATURES one belongs to.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Tags the invited account receives when it joins.
    #[serde(default)]
    pub tags: Tags,
    /// The responsibility transfer a TRANSFER_RESPONSIBILITY handshake proposes.
    #[serde(default)]
    pub transfer_id: Option<String>,
}

impl Handshake {
    /// When something next happens to it by itself: it expires, or it is forgotten.
    pub fn due_at(&self) -> Millis {
        if self.state.is_pending() {
            self.expires_at
        } else {
            self.forget_at.unwrap_or(Millis::MAX)
        }
    }

    /// Moves it to a final state at `now`, to be forgotten `retention` later.
    pub fn complete(&mut self, state: HandshakeState, now: Millis, retention: Millis) {
        self.state = state;
        self.completed_at = Some(now);
        self.forget_at = Some(now.saturating_add(retention));
    }
}

/// A customer-managed policy of an organization. The AWS-managed policies (`p-FullAWSAccess`,
/// `p-RCPFullAWSAccess`) are global and immutable, so they are not stored (see `ops::policies`).
/// Attachments live on the targets (`Root::policies`, `OrganizationalUnit::policies`,
/// `Membership::policies`); `State` indexes them by policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub id: String,
    pub org_id: String,
    pub policy_type: PolicyType,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub content: String,
    /// When the policy was created or last updated.
    pub updated_at: Millis,
    #[serde(default)]
    pub tags: Tags,
}

/// What a responsibility transfer hands over (the model knows only `BILLING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransferType {
    Billing,
}

impl TransferType {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferType::Billing => "BILLING",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        (s == "BILLING").then_some(TransferType::Billing)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransferStatus {
    /// Its invitation is open.
    Requested,
    Declined,
    Canceled,
    Expired,
    Accepted,
    /// Terminated: it still runs until its end timestamp.
    Withdrawn,
}

impl TransferStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Requested => "REQUESTED",
            TransferStatus::Declined => "DECLINED",
            TransferStatus::Canceled => "CANCELED",
            TransferStatus::Expired => "EXPIRED",
            TransferStatus::Accepted => "ACCEPTED",
            TransferStatus::Withdrawn => "WITHDRAWN",
        }
    }
}

/// A responsibility transfer between two organizations' management accounts. The inviting
/// organization is the *target* (it takes the responsibility over); the invited management account
/// is the *source* once it accepts. Until then only the invitation's recipient is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsibilityTransfer {
    pub id: String,
    pub transfer_type: TransferType,
    pub status: TransferStatus,
    pub name: String,
    /// The inviting organization and its management account.
    pub target_org_id: String,
    pub target_account_id: String,
    /// Who the invitation is addressed to.
    pub recipient: Recipient,
    /// The accepting organization and its management account, once accepted.
    #[serde(default)]
    pub source_org_id: Option<String>,
    #[serde(default)]
    pub source_account_id: Option<String>,
    pub start_at: Millis,
    #[serde(default)]
    pub end_at: Option<Millis>,
    pub handshake_id: String,
    pub requested_at: Millis,
    #[serde(default)]
    pub tags: Tags,
}

impl ResponsibilityTransfer {
    /// Accepted, or withdrawn but not yet ended: the source's responsibility is with the target.
    pub fn is_active(&self, now: Millis) -> bool {
        match self.status {
            TransferStatus::Accepted => true,
            TransferStatus::Withdrawn => self.end_at.is_some_and(|e| e > now),
            _ => false,
        }
    }
}

/// One durable write. Every mutation of the state is a list of these, stored atomically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    PutOrganization(Organization),
    DeleteOrganization(String),
    PutRoot(Root),
    DeleteRoot(String),
    PutOu(OrganizationalUnit),
    DeleteOu(String),
    PutAccount(Account),
    PutCreateAccountRequest(CreateAccountRequest),
    DeleteCreateAccountRequest(String),
    PutHandshake(Handshake),
    DeleteHandshake(String),
    PutPolicy(Policy),
    DeletePolicy(String),
    PutResponsibilityTransfer(ResponsibilityTransfer),
}

/// Everything orgd knows, with the indexes operations need. Only `apply` mutates it.
#[derive(Debug, Default, Clone)]
pub struct State {
    pub organizations: BTreeMap<String, Organization>,
    pub roots: BTreeMap<String, Root>,
    pub ous: BTreeMap<String, OrganizationalUnit>,
    pub accounts: BTreeMap<String, Account>,
    pub create_requests: BTreeMap<String, CreateAccountRequest>,
    pub handshakes: BTreeMap<String, Handshake>,
    pub policies: BTreeMap<String, Policy>,
    pub transfers: BTreeMap<String, ResponsibilityTransfer>,
    /// organization id -> the responsibility transfers it is the target or the source of
    org_transfers: HashMap<String, BTreeSet<String>>,
    /// organization id -> its (customer-managed) policy ids
    org_policies: HashMap<String, BTreeSet<String>>,
    /// (organization id, policy id) -> the roots, OUs and accounts it is attached to. AWS-managed
    /// policies are attached in many organizations, hence the organization in the key.
    policy_targets: HashMap<(String, String), BTreeSet<String>>,
    /// parent id (root or OU) -> child OU ids
    child_ous: HashMap<String, BTreeSet<String>>,
    /// parent id (root or OU) -> child account ids
    child_accounts: HashMap<String, BTreeSet<String>>,
    /// organization id -> member account ids
    members: HashMap<String, BTreeSet<String>>,
    /// organization id -> create account request ids
    org_requests: HashMap<String, BTreeSet<String>>,
    /// organization id -> number of OUs
    ou_count: HashMap<String, usize>,
    /// lowercased email -> account id
    emails: HashMap<String, String>,
    /// Earliest time at which a pending transition (account creation, closure) is due.
    next_due: Option<Millis>,
}

static EMPTY: BTreeSet<String> = BTreeSet::new();

/// The kinds of entity an id can name (`State::kind_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organization,
    Root,
    OrganizationalUnit,
    Account,
    Policy,
    ResourcePolicy,
    Handshake,
    CreateAccountRequest,
    ResponsibilityTransfer,
}

impl State {
    pub fn from_changes(changes: impl IntoIterator<Item = Change>) -> Self {
        let mut s = State::default();
        for c in changes {
            s.apply(c);
        }
        s
    }

    /// Applies one change and keeps every index true.
    pub fn apply(&mut self, change: Change) {
        match change {
            Change::PutOrganization(o) => {
                self.organizations.insert(o.id.clone(), o);
            }
            Change::DeleteOrganization(id) => {
                self.organizations.remove(&id);
                self.members.remove(&id);
                self.org_requests.remove(&id);
                self.ou_count.remove(&id);
            }
            Change::PutRoot(r) => {
                if let Some(old) = self.roots.get(&r.id) {
                    let (org, id, ps) = (old.org_id.clone(), old.id.clone(), old.policies.clone());
                    self.unindex_attachments(&org, &id, &ps);
                }
                self.index_attachments(&r.org_id, &r.id, &r.policies);
                self.roots.insert(r.id.clone(), r);
            }
            Change::DeleteRoot(id) => {
                if let Some(old) = self.roots.remove(&id) {
                    self.unindex_attachments(&old.org_id, &id, &old.policies);
                }
                self.child_ous.remove(&id);
                self.child_accounts.remove(&id);
            }
            Change::PutOu(ou) => {
                if let Some(old) = self.ous.get(&ou.id) {
                    if let Some(set) = self.child_ous.get_mut(&old.parent_id) {
                        set.remove(&old.id);
                    }
                    let (org, id, ps) = (old.org_id.clone(), old.id.clone(), old.policies.clone());
                    self.unindex_attachments(&org, &id, &ps);
                } else {
                    *self.ou_count.entry(ou.org_id.clone()).or_default() += 1;
                }
                self.child_ous
                    .entry(ou.parent_id.clone())
                    .or_default()
                    .insert(ou.id.clone());
                self.index_attachments(&ou.org_id, &ou.id, &ou.policies);
                self.ous.insert(ou.id.clone(), ou);
            }
            Change::DeleteOu(id) => {
                if let Some(old) = self.ous.remove(&id) {
                    if let Some(set) = self.child_ous.get_mut(&old.parent_id) {
                        set.remove(&id);
                    }
                    if let Some(n) = self.ou_count.get_mut(&old.org_id) {
                        *n = n.saturating_sub(1);
                    }
                    self.unindex_attachments(&old.org_id, &id, &old.policies);
                }
                self.child_ous.remove(&id);
                self.child_accounts.remove(&id);
            }
            Change::PutAccount(a) => {
                if let Some(m) = self
                    .accounts
                    .get(&a.id)
                    .and_then(|old| old.membership.clone())
                {
                    if let Some(set) = self.child_accounts.get_mut(&m.parent_id) {
                        set.remove(&a.id);
                    }
                    if let Some(set) = self.members.get_mut(&m.org_id) {
                        set.remove(&a.id);
                    }
                    self.unindex_attachments(&m.org_id, &a.id, &m.policies);
                }
                if let Some(old) = self.accounts.get(&a.id) {
                    self.emails.remove(&old.email.to_ascii_lowercase());
                }
                self.emails
                    .insert(a.email.to_ascii_lowercase(), a.id.clone());
                if let Some(m) = &a.membership {
                    self.child_accounts
                        .entry(m.parent_id.clone())
                        .or_default()
                        .insert(a.id.clone());
                    self.members
                        .entry(m.org_id.clone())
                        .or_default()
                        .insert(a.id.clone());
                    self.index_attachments(&m.org_id, &a.id, &m.policies);
                }
                if let Some(t) = a.closes_at {
                    self.note_due(t);
                }
                self.accounts.insert(a.id.clone(), a);
            }
            Change::PutCreateAccountRequest(r) => {
                if r.state == CreateAccountState::InProgress {
                    self.note_due(r.completes_at);
                }
                self.org_requests
                    .entry(r.org_id.clone())
                    .or_default()
                    .insert(r.id.clone());
                self.create_requests.insert(r.id.clone(), r);
            }
            Change::PutHandshake(h) => {
                self.note_due(h.due_at());
                self.handshakes.insert(h.id.clone(), h);
            }
            Change::DeleteHandshake(id) => {
                self.handshakes.remove(&id);
            }
            Change::PutPolicy(p) => {
                self.org_policies
                    .entry(p.org_id.clone())
                    .or_default()
                    .insert(p.id.clone());
                self.policies.insert(p.id.clone(), p);
            }
            Change::DeletePolicy(id) => {
                if let Some(p) = self.policies.remove(&id)
                    && let Some(set) = self.org_policies.get_mut(&p.org_id)
                {
                    set.remove(&id);
                    if set.is_empty() {
                        self.org_policies.remove(&p.org_id);
                    }
                }
            }
            Change::PutResponsibilityTransfer(t) => {
                for org in [Some(&t.target_org_id), t.source_org_id.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    self.org_transfers
                        .entry(org.clone())
                        .or_default()
                        .insert(t.id.clone());
                }
                self.transfers.insert(t.id.clone(), t);
            }
            Change::DeleteCreateAccountRequest(id) => {
                if let Some(r) = self.create_requests.remove(&id)
                    && let Some(set) = self.org_requests.get_mut(&r.org_id)
                {
                    set.remove(&id);
                }
            }
        }
    }

    fn index_attachments(&mut self, org_id: &str, target: &str, policies: &[String]) {
        for p in policies {
            self.policy_targets
                .entry((org_id.to_string(), p.clone()))
                .or_default()
                .insert(target.to_string());
        }
    }

    fn unindex_attachments(&mut self, org_id: &str, target: &str, policies: &[String]) {
        for p in policies {
            let key = (org_id.to_string(), p.clone());
            if let Some(set) = self.policy_targets.get_mut(&key) {
                set.remove(target);
                if set.is_empty() {
                    self.policy_targets.remove(&key);
                }
            }
        }
    }

    /// The roots, OUs and accounts of `org_id` that `policy_id` is attached to directly.
    pub fn policy_targets(&self, org_id: &str, policy_id: &str) -> &BTreeSet<String> {
        self.policy_targets
            .get(&(org_id.to_string(), policy_id.to_string()))
            .unwrap_or(&EMPTY)
    }

    /// The responsibility transfers an organization is the target or the (accepted) source of.
    pub fn org_transfers(&self, org_id: &str) -> &BTreeSet<String> {
        self.org_transfers.get(org_id).unwrap_or(&EMPTY)
    }

    /// The customer-managed policies of an organization.
    pub fn org_policies(&self, org_id: &str) -> &BTreeSet<String> {
        self.org_policies.get(org_id).unwrap_or(&EMPTY)
    }

    fn note_due(&mut self, t: Millis) {
        self.next_due = Some(self.next_due.map_or(t, |d| d.min(t)));
    }

    /// True when some pending transition may be due at `now` (see `ops::settle`).
    pub fn has_due(&self, now: Millis) -> bool {
        self.next_due.is_some_and(|d| d <= now)
    }

    /// Recomputes the earliest pending deadline after `settle` has run.
    pub fn recompute_due(&mut self) {
        let accounts = self.accounts.values().filter_map(|a| a.closes_at);
        let requests = self
            .create_requests
            .values()
            .filter(|r| r.state == CreateAccountState::InProgress)
            .map(|r| r.completes_at);
        let handshakes = self.handshakes.values().map(Handshake::due_at);
        self.next_due = accounts.chain(requests).chain(handshakes).min();
    }

    /// Whether an account already uses this email (compared without regard to ASCII case).
    pub fn email_in_use(&self, email: &str) -> bool {
        self.emails.contains_key(&email.to_ascii_lowercase())
    }

    /// The account that uses this email (compared without regard to ASCII case).
    pub fn account_by_email(&self, email: &str) -> Option<&Account> {
        let id = self.emails.get(&email.to_ascii_lowercase())?;
        self.accounts.get(id)
    }

    pub fn child_ous(&self, parent_id: &str) -> &BTreeSet<String> {
        self.child_ous.get(parent_id).unwrap_or(&EMPTY)
    }

    pub fn child_accounts(&self, parent_id: &str) -> &BTreeSet<String> {
        self.child_accounts.get(parent_id).unwrap_or(&EMPTY)
    }

    pub fn members(&self, org_id: &str) -> &BTreeSet<String> {
        self.members.get(org_id).unwrap_or(&EMPTY)
    }

    pub fn requests_of(&self, org_id: &str) -> &BTreeSet<String> {
        self.org_requests.get(org_id).unwrap_or(&EMPTY)
    }

    pub fn ou_count(&self, org_id: &str) -> usize {
        self.ou_count.get(org_id).copied().unwrap_or(0)
    }

    /// The organization an account belongs to, if any.
    pub fn org_of(&self, account_id: &str) -> Option<&Organization> {
        let org_id = self.accounts.get(account_id)?.org_id()?;
        self.organizations.get(org_id)
    }

    /// The organization a root or OU belongs to, if the parent exists.
    pub fn org_of_parent(&self, parent_id: &str) -> Option<&str> {
        match self.roots.get(parent_id) {
            Some(r) => Some(r.org_id.as_str()),
            None => self.ous.get(parent_id).map(|o| o.org_id.as_str()),
        }
    }

    /// What kind of entity `id` names, from what the state holds (never from the id's shape);
    /// `None` for an id it does not hold. Cloud-managed policies are not stored, so not answered.
    pub fn kind_of(&self, id: &str) -> Option<Kind> {
        if self.accounts.contains_key(id) {
            Some(Kind::Account)
        } else if self.ous.contains_key(id) {
            Some(Kind::OrganizationalUnit)
        } else if self.roots.contains_key(id) {
            Some(Kind::Root)
        } else if self.policies.contains_key(id) {
            Some(Kind::Policy)
        } else if self.transfers.contains_key(id) {
            Some(Kind::ResponsibilityTransfer)
        } else if self.handshakes.contains_key(id) {
            Some(Kind::Handshake)
        } else if self.create_requests.contains_key(id) {
            Some(Kind::CreateAccountRequest)
        } else if self.organizations.contains_key(id) {
            Some(Kind::Organization)
        } else if self
            .organizations
            .values()
            .any(|o| o.resource_policy.as_ref().is_some_and(|rp| rp.id == id))
        {
            Some(Kind::ResourcePolicy)
        } else {
            None
        }
    }

    /// Depth of a parent below its root: the root is 0, its child OUs 1, and so on.
    pub fn depth(&self, parent_id: &str) -> usize {
        let mut depth = 0;
        let mut cur = parent_id;
        while let Some(ou) = self.ous.get(cur) {
            depth += 1;
            cur = &ou.parent_id;
        }
        depth
    }

    /// The entity path of a root or OU: `o-.../r-.../ou-.../` (ending with `/`).
    pub fn path_of_parent(&self, org_id: &str, parent_id: &str) -> String {
        let mut chain = Vec::new();
        let mut cur = parent_id;
        while let Some(ou) = self.ous.get(cur) {
            chain.push(cur);
            cur = &ou.parent_id;
        }
        chain.push(cur);
        let mut path = String::with_capacity(16 + chain.len() * 20);
        path.push_str(org_id);
        for id in chain.iter().rev() {
            path.push(ENTITY_PATH_SEP);
            path.push_str(id);
        }
        path.push(ENTITY_PATH_SEP);
        path
    }
}
