//! The organization model: the entities orgd keeps, the in-memory `State` that indexes them, and
//! `Change`, the unit of every write. Operations read a `State` and return the `Change`s they decide;
//! the engine makes them durable and then applies them, so nothing is visible before it is stored.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

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
    /// The SCP dry-run (simulation) settings of the root, once they were set (Huawei only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<DryRunConfig>,
}

/// Whether dry-run SCPs are in force in a root, and where the cloud would log what they would
/// have denied. orgd keeps the log destination as given: it writes no log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunConfig {
    pub enabled: bool,
    /// The bucket, its region and the key prefix the simulated denials would be written to.
    #[serde(default)]
    pub log_bucket: Option<String>,
    #[serde(default)]
    pub log_region: Option<String>,
    #[serde(default)]
    pub log_prefix: Option<String>,
    /// The agency (delegation) the cloud would write the log with.
    #[serde(default)]
    pub agency: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationalUnit {
    pub id: String,
    pub org_id: String,
    pub parent_id: String,
    pub name: String,
    /// When the OU was created (0 for OUs stored before orgd recorded it).
    #[serde(default)]
    pub created_at: Millis,
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
    /// When CloseAccount was accepted for this account (it counts towards the organization's
    /// close-account quota for a while after).
    #[serde(default)]
    pub closed_at: Option<Millis>,
    /// When a closed member account's post-closure period ends and it leaves its organization.
    #[serde(default)]
    pub leaves_at: Option<Millis>,
    /// A free description (Huawei's accounts have one; empty for none).
    #[serde(default)]
    pub description: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The role the management account may assume in the new account (`RoleName`); `None` is
    /// `DEFAULT_ACCESS_ROLE`.
    #[serde(default)]
    pub role_name: Option<String>,
    /// The new account's description (empty for none).
    #[serde(default)]
    pub description: String,
}

/// The role CreateAccount makes in a new account for the management account to assume, when the
/// request names none; also the role AWS tells invited accounts to create.
pub const DEFAULT_ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HandshakeAction {
    Invite,
    EnableAllFeatures,
    ApproveAllFeatures,
    TransferResponsibility,
}

impl HandshakeAction {
    pub const ALL: [HandshakeAction; 4] = [
        HandshakeAction::Invite,
        HandshakeAction::EnableAllFeatures,
        HandshakeAction::ApproveAllFeatures,
        HandshakeAction::TransferResponsibility,
    ];

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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// A dry-run SCP (Huawei's SCP simulation): attached and detached like an SCP, but it never
    /// denies, counts toward no SCP quota and is listed only with the dry-run policies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
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

/// What a pending time-driven transition does (see `ops::settle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DueKind {
    /// A pending handshake expires, or a completed one is forgotten.
    Handshake,
    /// A `PENDING_CLOSURE` account becomes `SUSPENDED`.
    Closure,
    /// A closed member account's post-closure period ends: it leaves its organization.
    Departure,
    /// An `IN_PROGRESS` CreateAccount request settles.
    Creation,
}

type IdSets<K> = HashMap<K, BTreeSet<String>>;

/// The indexes of `State`. Each is a function of the entities alone: `index_*` adds what one
/// entity contributes and `unindex_*` takes exactly that away again, so a put that replaces an
/// entity first unindexes the old version, and a delete unindexes what it removes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Indexes {
    /// organization id -> the responsibility transfers it is the target or the source of
    org_transfers: IdSets<String>,
    /// recipient (emails lowercased) -> the responsibility transfers addressed to it
    recipient_transfers: IdSets<Recipient>,
    /// organization id -> its (customer-managed) policy ids
    org_policies: IdSets<String>,
    /// (organization id, policy id) -> the roots, OUs and accounts it is attached to. AWS-managed
    /// policies are attached in many organizations, hence the organization in the key.
    policy_targets: IdSets<(String, String)>,
    /// parent id (root or OU) -> child OU ids
    child_ous: IdSets<String>,
    /// parent id (root or OU) -> child account ids
    child_accounts: IdSets<String>,
    /// organization id -> member account ids
    members: IdSets<String>,
    /// organization id -> its OU ids
    org_ous: IdSets<String>,
    /// organization id -> create account request ids
    org_requests: IdSets<String>,
    /// (organization id, state) -> the organization's create account requests in that state
    org_requests_in: IdSets<(String, CreateAccountState)>,
    /// account id -> the create account requests that chose it (reserved for them)
    request_account_ids: IdSets<String>,
    /// (organization id, action) -> the handshakes the organization sent with that action
    org_handshakes: IdSets<(String, HandshakeAction)>,
    /// ENABLE_ALL_FEATURES handshake id -> its APPROVE_ALL_FEATURES handshakes
    handshake_children: IdSets<String>,
    /// recipient (emails lowercased) -> the handshakes addressed to it
    recipient_handshakes: IdSets<Recipient>,
    /// lowercased email -> the accounts that use it
    emails: IdSets<String>,
    /// organization id -> (when CloseAccount was accepted, account id) of its closed members
    org_closures: HashMap<String, BTreeSet<(Millis, String)>>,
    /// Every pending time-driven transition: when it is due, what it is, and the entity's id.
    due: BTreeSet<(Millis, DueKind, String)>,
    /// (organization id, kind, tag key, tag value) -> the roots, OUs, member accounts or policies
    /// of that kind in the organization that carry the tag. Ordered, so that one organization's
    /// keys and values of one kind are one range.
    tags: BTreeMap<TagKey, BTreeSet<String>>,
}

type TagKey = (String, Kind, String, String);

fn add<K: Hash + Eq>(sets: &mut IdSets<K>, key: K, id: &str) {
    sets.entry(key).or_default().insert(id.to_string());
}

/// Removes `id` from the set of `key`, and the set once it is empty.
fn remove<K: Hash + Eq + Borrow<Q>, Q: Hash + Eq + ?Sized>(
    sets: &mut IdSets<K>,
    key: &Q,
    id: &str,
) {
    if let Some(set) = sets.get_mut(key) {
        set.remove(id);
        if set.is_empty() {
            sets.remove(key);
        }
    }
}

/// A recipient as the indexes key it: emails compared without regard to ASCII case.
fn recipient_key(r: &Recipient) -> Recipient {
    match r {
        Recipient::Account(id) => Recipient::Account(id.clone()),
        Recipient::Email(e) => Recipient::Email(e.to_ascii_lowercase()),
    }
}

impl Indexes {
    fn tags(&mut self, org_id: &str, kind: Kind, id: &str, tags: &Tags, on: bool) {
        for (k, v) in tags {
            let key = (org_id.to_string(), kind, k.clone(), v.clone());
            if on {
                self.tags.entry(key).or_default().insert(id.to_string());
            } else if let Some(set) = self.tags.get_mut(&key) {
                set.remove(id);
                if set.is_empty() {
                    self.tags.remove(&key);
                }
            }
        }
    }

    fn attachments(&mut self, org_id: &str, target: &str, policies: &[String], on: bool) {
        for p in policies {
            let key = (org_id.to_string(), p.clone());
            if on {
                add(&mut self.policy_targets, key, target);
            } else {
                remove(&mut self.policy_targets, &key, target);
            }
        }
    }

    fn due(&mut self, at: Millis, kind: DueKind, id: &str, on: bool) {
        let entry = (at, kind, id.to_string());
        if on {
            self.due.insert(entry);
        } else {
            self.due.remove(&entry);
        }
    }

    fn root(&mut self, r: &Root, on: bool) {
        self.attachments(&r.org_id, &r.id, &r.policies, on);
        self.tags(&r.org_id, Kind::Root, &r.id, &r.tags, on);
    }

    fn ou(&mut self, ou: &OrganizationalUnit, on: bool) {
        if on {
            add(&mut self.child_ous, ou.parent_id.clone(), &ou.id);
            add(&mut self.org_ous, ou.org_id.clone(), &ou.id);
        } else {
            remove(&mut self.child_ous, &ou.parent_id, &ou.id);
            remove(&mut self.org_ous, &ou.org_id, &ou.id);
        }
        self.attachments(&ou.org_id, &ou.id, &ou.policies, on);
        self.tags(&ou.org_id, Kind::OrganizationalUnit, &ou.id, &ou.tags, on);
    }

    fn account(&mut self, a: &Account, on: bool) {
        let email = a.email.to_ascii_lowercase();
        if on {
            add(&mut self.emails, email, &a.id);
        } else {
            remove(&mut self.emails, &email, &a.id);
        }
        if let Some(m) = &a.membership {
            if on {
                add(&mut self.child_accounts, m.parent_id.clone(), &a.id);
                add(&mut self.members, m.org_id.clone(), &a.id);
            } else {
                remove(&mut self.child_accounts, &m.parent_id, &a.id);
                remove(&mut self.members, &m.org_id, &a.id);
            }
            self.attachments(&m.org_id, &a.id, &m.policies, on);
            self.tags(&m.org_id, Kind::Account, &a.id, &a.tags, on);
            if let Some(t) = a.closed_at {
                let entry = (t, a.id.clone());
                if on {
                    self.org_closures
                        .entry(m.org_id.clone())
                        .or_default()
                        .insert(entry);
                } else if let Some(set) = self.org_closures.get_mut(&m.org_id) {
                    set.remove(&entry);
                    if set.is_empty() {
                        self.org_closures.remove(&m.org_id);
                    }
                }
            }
            if let Some(t) = a.leaves_at {
                self.due(t, DueKind::Departure, &a.id, on);
            }
        }
        if let Some(t) = a.closes_at {
            self.due(t, DueKind::Closure, &a.id, on);
        }
    }

    fn request(&mut self, r: &CreateAccountRequest, on: bool) {
        let in_state = (r.org_id.clone(), r.state);
        if on {
            add(&mut self.org_requests, r.org_id.clone(), &r.id);
            add(&mut self.org_requests_in, in_state, &r.id);
            add(&mut self.request_account_ids, r.account_id.clone(), &r.id);
        } else {
            remove(&mut self.org_requests, &r.org_id, &r.id);
            remove(&mut self.org_requests_in, &in_state, &r.id);
            remove(&mut self.request_account_ids, &r.account_id, &r.id);
        }
        if r.state == CreateAccountState::InProgress {
            self.due(r.completes_at, DueKind::Creation, &r.id, on);
        }
    }

    fn handshake(&mut self, h: &Handshake, on: bool) {
        let sent = (h.org_id.clone(), h.action);
        let to = recipient_key(&h.recipient);
        if on {
            add(&mut self.org_handshakes, sent, &h.id);
            add(&mut self.recipient_handshakes, to, &h.id);
            if let Some(p) = &h.parent_id {
                add(&mut self.handshake_children, p.clone(), &h.id);
            }
        } else {
            remove(&mut self.org_handshakes, &sent, &h.id);
            remove(&mut self.recipient_handshakes, &to, &h.id);
            if let Some(p) = &h.parent_id {
                remove(&mut self.handshake_children, p, &h.id);
            }
        }
        self.due(h.due_at(), DueKind::Handshake, &h.id, on);
    }

    fn policy(&mut self, p: &Policy, on: bool) {
        self.tags(&p.org_id, Kind::Policy, &p.id, &p.tags, on);
        if on {
            add(&mut self.org_policies, p.org_id.clone(), &p.id);
        } else {
            remove(&mut self.org_policies, &p.org_id, &p.id);
        }
    }

    fn transfer(&mut self, t: &ResponsibilityTransfer, on: bool) {
        let to = recipient_key(&t.recipient);
        let orgs = [Some(&t.target_org_id), t.source_org_id.as_ref()];
        for org in orgs.into_iter().flatten() {
            if on {
                add(&mut self.org_transfers, org.clone(), &t.id);
            } else {
                remove(&mut self.org_transfers, org, &t.id);
            }
        }
        if on {
            add(&mut self.recipient_transfers, to, &t.id);
        } else {
            remove(&mut self.recipient_transfers, &to, &t.id);
        }
    }

    /// The indexes of these entities, built from scratch.
    #[cfg(test)]
    fn of(s: &State) -> Indexes {
        let mut ix = Indexes::default();
        s.roots.values().for_each(|r| ix.root(r, true));
        s.ous.values().for_each(|o| ix.ou(o, true));
        s.accounts.values().for_each(|a| ix.account(a, true));
        s.create_requests.values().for_each(|r| ix.request(r, true));
        s.handshakes.values().for_each(|h| ix.handshake(h, true));
        s.policies.values().for_each(|p| ix.policy(p, true));
        s.transfers.values().for_each(|t| ix.transfer(t, true));
        ix
    }
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
    ix: Indexes,
    parsed: Parsed,
}

/// The IAM documents of the stored SCPs and RCPs (by policy id), the settings of the stored
/// management policies (by policy id) and each organization's resource policy (by organization
/// id), parsed when their version is applied, so that evaluating them per request and computing
/// effective policies never parses. A function of the entities, like the indexes.
#[derive(Debug, Default, Clone)]
struct Parsed {
    policies: HashMap<String, std::sync::Arc<crate::policy::Document>>,
    management: HashMap<String, std::sync::Arc<ParsedManagement>>,
    resource_policies: HashMap<String, std::sync::Arc<crate::policy::Document>>,
}

/// A stored management policy's content as `policy::parse_management` left it: its settings,
/// or why the content does not parse (reported where the policy is merged).
pub type ParsedManagement =
    std::result::Result<crate::policy::ManagementDocument, crate::policy::PolicyContentError>;

impl Parsed {
    fn policy(&mut self, p: &Policy) {
        match crate::policy::parse_authorization(p.policy_type, &p.content) {
            Ok(doc) if p.policy_type.is_authorization() => {
                self.policies.insert(p.id.clone(), std::sync::Arc::new(doc));
            }
            _ => {
                self.policies.remove(&p.id);
            }
        }
        if p.policy_type.is_management() {
            let parsed = crate::policy::parse_management(p.policy_type, &p.content);
            self.management
                .insert(p.id.clone(), std::sync::Arc::new(parsed));
        } else {
            self.management.remove(&p.id);
        }
    }

    fn remove_policy(&mut self, id: &str) {
        self.policies.remove(id);
        self.management.remove(id);
    }

    fn organization(&mut self, o: &Organization) {
        match o
            .resource_policy
            .as_ref()
            .map(|rp| crate::policy::parse_resource_policy(&rp.content))
        {
            Some(Ok(doc)) => {
                self.resource_policies
                    .insert(o.id.clone(), std::sync::Arc::new(doc));
            }
            _ => {
                self.resource_policies.remove(&o.id);
            }
        }
    }
}

/// What takes one applied change back (`State::apply_undoable`, `State::undo`).
#[derive(Debug)]
pub struct Undo(Prior);

#[derive(Debug)]
enum Prior {
    /// The entity existed: put this version back.
    Put(Box<Change>),
    /// The change created the entity: remove it.
    Remove(Kind, String),
}

static EMPTY: BTreeSet<String> = BTreeSet::new();

/// The kinds of entity an id can name (`State::kind_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    /// Applies one change and keeps every index true: the version an entity replaces or a delete
    /// removes is unindexed first, then the new version is indexed. O(log n) per index touched.
    pub fn apply(&mut self, change: Change) {
        let ix = &mut self.ix;
        match change {
            Change::PutOrganization(o) => {
                let unchanged = self.organizations.get(&o.id).is_some_and(|old| {
                    old.resource_policy.as_ref().map(|p| &p.content)
                        == o.resource_policy.as_ref().map(|p| &p.content)
                });
                if !unchanged || !self.parsed.resource_policies.contains_key(&o.id) {
                    self.parsed.organization(&o);
                }
                self.organizations.insert(o.id.clone(), o);
            }
            Change::DeleteOrganization(id) => {
                self.parsed.resource_policies.remove(&id);
                self.organizations.remove(&id);
            }
            Change::PutRoot(r) => {
                if let Some(old) = self.roots.get(&r.id) {
                    ix.root(old, false);
                }
                ix.root(&r, true);
                self.roots.insert(r.id.clone(), r);
            }
            Change::DeleteRoot(id) => {
                if let Some(old) = self.roots.remove(&id) {
                    ix.root(&old, false);
                }
            }
            Change::PutOu(ou) => {
                if let Some(old) = self.ous.get(&ou.id) {
                    ix.ou(old, false);
                }
                ix.ou(&ou, true);
                self.ous.insert(ou.id.clone(), ou);
            }
            Change::DeleteOu(id) => {
                if let Some(old) = self.ous.remove(&id) {
                    ix.ou(&old, false);
                }
            }
            Change::PutAccount(a) => {
                if let Some(old) = self.accounts.get(&a.id) {
                    ix.account(old, false);
                }
                ix.account(&a, true);
                self.accounts.insert(a.id.clone(), a);
            }
            Change::PutCreateAccountRequest(r) => {
                if let Some(old) = self.create_requests.get(&r.id) {
                    ix.request(old, false);
                }
                ix.request(&r, true);
                self.create_requests.insert(r.id.clone(), r);
            }
            Change::DeleteCreateAccountRequest(id) => {
                if let Some(old) = self.create_requests.remove(&id) {
                    ix.request(&old, false);
                }
            }
            Change::PutHandshake(h) => {
                if let Some(old) = self.handshakes.get(&h.id) {
                    ix.handshake(old, false);
                }
                ix.handshake(&h, true);
                self.handshakes.insert(h.id.clone(), h);
            }
            Change::DeleteHandshake(id) => {
                if let Some(old) = self.handshakes.remove(&id) {
                    ix.handshake(&old, false);
                }
            }
            Change::PutPolicy(p) => {
                let mut reparse = true;
                if let Some(old) = self.policies.get(&p.id) {
                    ix.policy(old, false);
                    // A new name, description or tags leave the parsed document as it is.
                    reparse = old.policy_type != p.policy_type || old.content != p.content;
                }
                ix.policy(&p, true);
                if reparse {
                    self.parsed.policy(&p);
                }
                self.policies.insert(p.id.clone(), p);
            }
            Change::DeletePolicy(id) => {
                if let Some(old) = self.policies.remove(&id) {
                    ix.policy(&old, false);
                }
                self.parsed.remove_policy(&id);
            }
            Change::PutResponsibilityTransfer(t) => {
                if let Some(old) = self.transfers.get(&t.id) {
                    ix.transfer(old, false);
                }
                ix.transfer(&t, true);
                self.transfers.insert(t.id.clone(), t);
            }
        }
    }

    /// `apply`, returning what puts the state back as it was before the change (`undo`). The
    /// engine decides a group of writes one after another on the state, each seeing the ones
    /// before it, then takes them back so that readers never see what is not yet stored.
    pub fn apply_undoable(&mut self, change: Change) -> Undo {
        fn prior<T: Clone>(
            map: &BTreeMap<String, T>,
            id: &str,
            kind: Kind,
            put: fn(T) -> Change,
        ) -> Undo {
            Undo(match map.get(id) {
                Some(old) => Prior::Put(Box::new(put(old.clone()))),
                None => Prior::Remove(kind, id.to_string()),
            })
        }
        let undo = match &change {
            Change::PutOrganization(Organization { id, .. }) | Change::DeleteOrganization(id) => {
                prior(
                    &self.organizations,
                    id,
                    Kind::Organization,
                    Change::PutOrganization,
                )
            }
            Change::PutRoot(Root { id, .. }) | Change::DeleteRoot(id) => {
                prior(&self.roots, id, Kind::Root, Change::PutRoot)
            }
            Change::PutOu(OrganizationalUnit { id, .. }) | Change::DeleteOu(id) => {
                prior(&self.ous, id, Kind::OrganizationalUnit, Change::PutOu)
            }
            Change::PutAccount(Account { id, .. }) => {
                prior(&self.accounts, id, Kind::Account, Change::PutAccount)
            }
            Change::PutCreateAccountRequest(CreateAccountRequest { id, .. })
            | Change::DeleteCreateAccountRequest(id) => prior(
                &self.create_requests,
                id,
                Kind::CreateAccountRequest,
                Change::PutCreateAccountRequest,
            ),
            Change::PutHandshake(Handshake { id, .. }) | Change::DeleteHandshake(id) => {
                prior(&self.handshakes, id, Kind::Handshake, Change::PutHandshake)
            }
            Change::PutPolicy(Policy { id, .. }) | Change::DeletePolicy(id) => {
                prior(&self.policies, id, Kind::Policy, Change::PutPolicy)
            }
            Change::PutResponsibilityTransfer(ResponsibilityTransfer { id, .. }) => prior(
                &self.transfers,
                id,
                Kind::ResponsibilityTransfer,
                Change::PutResponsibilityTransfer,
            ),
        };
        self.apply(change);
        undo
    }

    /// Takes one change back (undo a group's changes in the reverse order they were applied).
    pub fn undo(&mut self, undo: Undo) {
        match undo.0 {
            Prior::Put(change) => self.apply(*change),
            Prior::Remove(kind, id) => match kind {
                Kind::Organization => self.apply(Change::DeleteOrganization(id)),
                Kind::Root => self.apply(Change::DeleteRoot(id)),
                Kind::OrganizationalUnit => self.apply(Change::DeleteOu(id)),
                Kind::CreateAccountRequest => self.apply(Change::DeleteCreateAccountRequest(id)),
                Kind::Handshake => self.apply(Change::DeleteHandshake(id)),
                Kind::Policy => self.apply(Change::DeletePolicy(id)),
                // Stores never delete these two kinds, so `Change` has no delete for them.
                Kind::Account => {
                    if let Some(old) = self.accounts.remove(&id) {
                        self.ix.account(&old, false);
                    }
                }
                Kind::ResponsibilityTransfer => {
                    if let Some(old) = self.transfers.remove(&id) {
                        self.ix.transfer(&old, false);
                    }
                }
                Kind::ResourcePolicy => unreachable!("no change puts a resource policy alone"),
            },
        }
    }

    /// Whether two states hold the same entities, indexes and parsed documents (by key).
    #[cfg(test)]
    pub(crate) fn same_as(&self, other: &State) -> bool {
        self.organizations == other.organizations
            && self.roots == other.roots
            && self.ous == other.ous
            && self.accounts == other.accounts
            && self.create_requests == other.create_requests
            && self.handshakes == other.handshakes
            && self.policies == other.policies
            && self.transfers == other.transfers
            && self.ix == other.ix
            && self.parsed.policies.keys().collect::<BTreeSet<_>>()
                == other.parsed.policies.keys().collect::<BTreeSet<_>>()
            && self.parsed.management.keys().collect::<BTreeSet<_>>()
                == other.parsed.management.keys().collect::<BTreeSet<_>>()
            && self
                .parsed
                .resource_policies
                .keys()
                .collect::<BTreeSet<_>>()
                == other
                    .parsed
                    .resource_policies
                    .keys()
                    .collect::<BTreeSet<_>>()
    }

    /// Panics unless every index equals the one rebuilt from scratch from the entities.
    #[cfg(test)]
    pub(crate) fn assert_indexes_true(&self) {
        let fresh = Indexes::of(self);
        // Field by field, so that a failure names the index that went wrong.
        macro_rules! same {
            ($($f:ident),*) => {$(
                assert_eq!(self.ix.$f, fresh.$f, concat!("index `", stringify!($f), "` drifted"));
            )*};
        }
        same!(
            org_transfers,
            recipient_transfers,
            org_policies,
            policy_targets,
            child_ous,
            child_accounts,
            members,
            org_ous,
            org_requests,
            org_requests_in,
            request_account_ids,
            org_handshakes,
            handshake_children,
            recipient_handshakes,
            emails,
            org_closures,
            due,
            tags
        );
        assert_eq!(self.ix, fresh);
        // The parsed management policies are those stored, each of its current content.
        let management: BTreeSet<&String> = self
            .policies
            .values()
            .filter(|p| p.policy_type.is_management())
            .map(|p| &p.id)
            .collect();
        assert_eq!(
            self.parsed.management.keys().collect::<BTreeSet<_>>(),
            management,
            "parsed management policies drifted"
        );
        for id in management {
            let p = &self.policies[id];
            let fresh = crate::policy::parse_management(p.policy_type, &p.content);
            assert_eq!(
                format!("{:?}", self.parsed.management[id]),
                format!("{fresh:?}"),
                "the parsed content of {id} is not its current content's"
            );
        }
    }

    /// The parsed IAM document of a stored SCP or RCP (parsed once, when its version was
    /// applied); `None` for other types and for content the grammar refuses.
    pub fn parsed_policy(&self, policy_id: &str) -> Option<&crate::policy::Document> {
        self.parsed.policies.get(policy_id).map(|d| &**d)
    }

    /// The parsed content of a stored management policy (parsed once, when its version was
    /// applied); `None` for other types and unknown ids.
    pub fn parsed_management_policy(&self, policy_id: &str) -> Option<&ParsedManagement> {
        self.parsed.management.get(policy_id).map(|d| &**d)
    }

    /// The parsed resource policy of an organization, when it has one the grammar accepts.
    pub fn parsed_resource_policy(&self, org_id: &str) -> Option<&crate::policy::Document> {
        self.parsed.resource_policies.get(org_id).map(|d| &**d)
    }

    /// Whether two states have the same indexes.
    #[cfg(test)]
    pub(crate) fn indexes_eq(&self, other: &State) -> bool {
        self.ix == other.ix
    }

    /// The roots, OUs and accounts of `org_id` that `policy_id` is attached to directly.
    pub fn policy_targets(&self, org_id: &str, policy_id: &str) -> &BTreeSet<String> {
        self.ix
            .policy_targets
            .get(&(org_id.to_string(), policy_id.to_string()))
            .unwrap_or(&EMPTY)
    }

    /// The responsibility transfers an organization is the target or the (accepted) source of.
    pub fn org_transfers(&self, org_id: &str) -> &BTreeSet<String> {
        self.ix.org_transfers.get(org_id).unwrap_or(&EMPTY)
    }

    /// The responsibility transfers addressed to `recipient` (an email without regard to case).
    pub fn transfers_to(&self, recipient: &Recipient) -> &BTreeSet<String> {
        self.ix
            .recipient_transfers
            .get(&recipient_key(recipient))
            .unwrap_or(&EMPTY)
    }

    /// The roots, OUs, member accounts or policies (`kind`) of an organization that carry the tag
    /// `key` with any of `values` (any value at all when `values` is empty).
    pub fn tagged(
        &self,
        org_id: &str,
        kind: Kind,
        key: &str,
        values: &[String],
    ) -> BTreeSet<&String> {
        let mut ids = BTreeSet::new();
        if values.is_empty() {
            for (_, set) in self.tag_range(org_id, kind, Some(key)) {
                ids.extend(set);
            }
        } else {
            for v in values {
                let k = (org_id.to_string(), kind, key.to_string(), v.clone());
                ids.extend(self.ix.tags.get(&k).into_iter().flatten());
            }
        }
        ids
    }

    /// The tag keys and values used on the roots, OUs, member accounts or policies (`kind`) of
    /// an organization, sorted by key then value.
    pub fn tag_values(&self, org_id: &str, kind: Kind) -> Vec<(&str, &str)> {
        self.tag_range(org_id, kind, None)
            .map(|((_, _, k, v), _)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// The tag index entries of one organization and kind (and key, if given), in order.
    fn tag_range(
        &self,
        org_id: &str,
        kind: Kind,
        key: Option<&str>,
    ) -> impl Iterator<Item = (&TagKey, &BTreeSet<String>)> {
        let (org, key) = (org_id.to_string(), key.map(str::to_string));
        let start = (
            org.clone(),
            kind,
            key.clone().unwrap_or_default(),
            String::new(),
        );
        self.ix
            .tags
            .range(start..)
            .take_while(move |((o, k, tk, _), _)| {
                *o == org && *k == kind && key.as_ref().is_none_or(|key| key == tk)
            })
    }

    /// The customer-managed policies of an organization.
    pub fn org_policies(&self, org_id: &str) -> &BTreeSet<String> {
        self.ix.org_policies.get(org_id).unwrap_or(&EMPTY)
    }

    /// How many member accounts of an organization were closed at or after `since`.
    pub fn closures_since(&self, org_id: &str, since: Millis) -> usize {
        self.ix
            .org_closures
            .get(org_id)
            .map_or(0, |set| set.range((since, String::new())..).count())
    }

    /// True when some time-driven transition is due at `now` (see `ops::settle`).
    pub fn has_due(&self, now: Millis) -> bool {
        self.ix.due.first().is_some_and(|(t, _, _)| *t <= now)
    }

    /// The time-driven transitions due at `now`, earliest first: what each is and the id of the
    /// handshake, account or CreateAccount request it concerns.
    pub fn due_at(&self, now: Millis) -> impl Iterator<Item = (DueKind, &str)> {
        self.ix
            .due
            .iter()
            .take_while(move |(t, _, _)| *t <= now)
            .map(|(_, kind, id)| (*kind, id.as_str()))
    }

    /// When the next time-driven transition is due, if any is pending.
    pub fn next_due(&self) -> Option<Millis> {
        self.ix.due.first().map(|(t, _, _)| *t)
    }

    /// Whether an account already uses this email (compared without regard to ASCII case). No
    /// email (a Huawei account may be created without one) is never in use.
    pub fn email_in_use(&self, email: &str) -> bool {
        !email.is_empty() && self.ix.emails.contains_key(&email.to_ascii_lowercase())
    }

    /// The accounts that use this email (compared without regard to ASCII case).
    pub fn accounts_by_email(&self, email: &str) -> &BTreeSet<String> {
        self.ix
            .emails
            .get(&email.to_ascii_lowercase())
            .unwrap_or(&EMPTY)
    }

    /// The account that uses this email (compared without regard to ASCII case).
    pub fn account_by_email(&self, email: &str) -> Option<&Account> {
        let id = self.accounts_by_email(email).first()?;
        self.accounts.get(id)
    }

    pub fn child_ous(&self, parent_id: &str) -> &BTreeSet<String> {
        self.ix.child_ous.get(parent_id).unwrap_or(&EMPTY)
    }

    pub fn child_accounts(&self, parent_id: &str) -> &BTreeSet<String> {
        self.ix.child_accounts.get(parent_id).unwrap_or(&EMPTY)
    }

    pub fn members(&self, org_id: &str) -> &BTreeSet<String> {
        self.ix.members.get(org_id).unwrap_or(&EMPTY)
    }

    /// Every CreateAccount request of an organization.
    pub fn requests_of(&self, org_id: &str) -> &BTreeSet<String> {
        self.ix.org_requests.get(org_id).unwrap_or(&EMPTY)
    }

    /// The CreateAccount requests of an organization that are in `state`.
    pub fn requests_in(&self, org_id: &str, state: CreateAccountState) -> &BTreeSet<String> {
        self.ix
            .org_requests_in
            .get(&(org_id.to_string(), state))
            .unwrap_or(&EMPTY)
    }

    /// The CreateAccount requests (in any state) that chose this account id.
    pub fn requests_for_account(&self, account_id: &str) -> &BTreeSet<String> {
        self.ix
            .request_account_ids
            .get(account_id)
            .unwrap_or(&EMPTY)
    }

    /// Whether an account id is taken: by an account, or by a CreateAccount request (in any
    /// state) that chose it.
    pub fn account_id_taken(&self, account_id: &str) -> bool {
        self.accounts.contains_key(account_id)
            || self.ix.request_account_ids.contains_key(account_id)
    }

    /// The handshakes an organization sent with this action.
    pub fn handshakes_of(&self, org_id: &str, action: HandshakeAction) -> &BTreeSet<String> {
        self.ix
            .org_handshakes
            .get(&(org_id.to_string(), action))
            .unwrap_or(&EMPTY)
    }

    /// Every handshake an organization sent, in id order.
    pub fn all_handshakes_of(&self, org_id: &str) -> BTreeSet<&String> {
        HandshakeAction::ALL
            .iter()
            .flat_map(|a| self.handshakes_of(org_id, *a))
            .collect()
    }

    /// The APPROVE_ALL_FEATURES handshakes of an ENABLE_ALL_FEATURES handshake.
    pub fn approvals_of(&self, handshake_id: &str) -> &BTreeSet<String> {
        self.ix
            .handshake_children
            .get(handshake_id)
            .unwrap_or(&EMPTY)
    }

    /// The handshakes addressed to `recipient` (an email without regard to ASCII case).
    pub fn handshakes_to(&self, recipient: &Recipient) -> &BTreeSet<String> {
        self.ix
            .recipient_handshakes
            .get(&recipient_key(recipient))
            .unwrap_or(&EMPTY)
    }

    /// The OUs of an organization.
    pub fn ous_of(&self, org_id: &str) -> &BTreeSet<String> {
        self.ix.org_ous.get(org_id).unwrap_or(&EMPTY)
    }

    pub fn ou_count(&self, org_id: &str) -> usize {
        self.ous_of(org_id).len()
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
