//! Policies: CreatePolicy, DescribePolicy, UpdatePolicy, DeletePolicy, ListPolicies, AttachPolicy,
//! DetachPolicy, ListPoliciesForTarget, ListTargetsForPolicy, EnablePolicyType, DisablePolicyType;
//! the AWS-managed policies every organization shares, and which policies a new root, OU or
//! account starts with.
//!
//! Attachments live on the targets (`Root::policies`, `OrganizationalUnit::policies`,
//! `Membership::policies`), in attachment order; `State::policy_targets` indexes them by policy.

use std::collections::BTreeSet;

use super::dry_run::{dry_run_enabled, dry_run_org, require_scp};
use super::{
    Ctx, Named, Page, PageRequest, PolicyTargetView, PolicyView, ResourceName, RootView,
    TargetType, Write, page_keys, root_view, tags::new_tags,
};
use crate::access::Operation;
use crate::error::{Constraint, Entity, Invalid, OrgError, Result};
use crate::ids::IdSource;
use crate::model::{
    Account, Change, FeatureSet, Kind, Membership, Organization, OrganizationalUnit, Policy, Root,
    State,
};
use crate::policy::{self, PolicyContentError, PolicyLanguage, PolicyType};

/// A cloud-managed policy (AWS-managed, Huawei built-in): global, immutable, the same in every
/// organization of its cloud.
#[derive(Debug)]
pub struct ManagedPolicy {
    /// The organizations that see it: those whose policies are in this language.
    pub language: PolicyLanguage,
    pub id: &'static str,
    pub policy_type: PolicyType,
    pub name: &'static str,
    pub description: &'static str,
    pub content: &'static str,
}

/// The cloud-managed policies. Enabling a type that has one attaches it to the root, every OU and
/// every account; roots, OUs and accounts created or joined later start with it too (Huawei's
/// guide says the same of its `FullAccess` SCP: "after the SCP type is enabled, Organizations
/// automatically attaches the FullAccess policy to all OUs and accounts"). Huawei does not
/// publish the built-in policy's id or content: orgd uses `p-FullAccess` and an allow-all "5.0"
/// document.
pub const MANAGED_POLICIES: &[ManagedPolicy] = &[
    ManagedPolicy {
        language: PolicyLanguage::Aws,
        id: "p-FullAWSAccess",
        policy_type: PolicyType::ServiceControl,
        name: "FullAWSAccess",
        description: "Allows access to every operation",
        content: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
    },
    ManagedPolicy {
        language: PolicyLanguage::Aws,
        id: "p-RCPFullAWSAccess",
        policy_type: PolicyType::ResourceControl,
        name: "RCPFullAWSAccess",
        description: "Allows access to every operation",
        content: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
    },
    ManagedPolicy {
        language: PolicyLanguage::Huawei,
        id: "p-FullAccess",
        policy_type: PolicyType::ServiceControl,
        name: "FullAccess",
        description: "Allows all operations",
        content: "{\n  \"Version\": \"5.0\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\n        \"*\"\n      ]\n    }\n  ]\n}",
    },
];

/// The policy language of an organization (from its id scheme).
pub(crate) fn language(org: &Organization) -> PolicyLanguage {
    PolicyLanguage::of(org.id_scheme)
}

fn managed(id: &str) -> Option<&'static ManagedPolicy> {
    MANAGED_POLICIES.iter().find(|m| m.id == id)
}

fn managed_for(lang: PolicyLanguage, ty: PolicyType) -> Option<&'static ManagedPolicy> {
    MANAGED_POLICIES
        .iter()
        .find(|m| m.language == lang && m.policy_type == ty)
}

/// The type an attached policy id enforces (managed or stored); `None` for a dry-run policy,
/// which enforces nothing and so counts toward no quota and goes with no policy type.
pub(crate) fn type_of(state: &State, id: &str) -> Option<PolicyType> {
    managed(id).map(|m| m.policy_type).or_else(|| {
        state
            .policies
            .get(id)
            .filter(|p| !p.dry_run)
            .map(|p| p.policy_type)
    })
}

/// The policy types a new organization's root starts with. AWS's documentation says SCPs are
/// enabled in the root of a new all-features organization, but AWS creates it with no policy type
/// enabled (clients such as Terraform enable SCPs right after creating it and would fail with
/// `PolicyTypeAlreadyEnabled`), so that is the default; `Limits::scp_enabled_at_creation`
/// gives the documented behaviour. Consolidated billing has none either way.
pub(crate) fn initial_policy_types(fs: FeatureSet, limits: &crate::Limits) -> Vec<PolicyType> {
    match fs {
        FeatureSet::All if limits.scp_enabled_at_creation => vec![PolicyType::ServiceControl],
        _ => vec![],
    }
}

/// The policies a root, OU or account starts with, given the types enabled in its root: the
/// AWS-managed policy of each enabled type that has one.
pub(crate) fn default_attachments(lang: PolicyLanguage, enabled: &[PolicyType]) -> Vec<String> {
    enabled
        .iter()
        .filter_map(|t| managed_for(lang, *t))
        .map(|m| m.id.to_string())
        .collect()
}

/// What a new OU or a joining account of `org` starts with.
pub(crate) fn new_target_policies(state: &State, org: &Organization) -> Vec<String> {
    state
        .roots
        .get(&org.root_id)
        .map(|r| default_attachments(language(org), &r.policy_types))
        .unwrap_or_default()
}

/// The policies attached directly to a root, OU or account (empty if there is no such target).
pub(crate) fn attached<'s>(state: &'s State, target_id: &str) -> &'s [String] {
    match state.kind_of(target_id) {
        Some(Kind::Root) => state.roots.get(target_id).map(|r| r.policies.as_slice()),
        Some(Kind::OrganizationalUnit) => state.ous.get(target_id).map(|o| o.policies.as_slice()),
        Some(Kind::Account) => state
            .accounts
            .get(target_id)
            .and_then(|a| a.membership.as_ref())
            .map(|m| m.policies.as_slice()),
        _ => None,
    }
    .unwrap_or(&[])
}

fn managed_view(m: &ManagedPolicy) -> PolicyView {
    PolicyView {
        id: m.id.to_string(),
        resource_name: ResourceName::ManagedPolicy {
            policy_type: m.policy_type,
            policy_id: m.id.to_string(),
        },
        name: m.name.to_string(),
        description: m.description.to_string(),
        policy_type: m.policy_type,
        aws_managed: true,
        content: m.content.to_string(),
    }
}

fn policy_view(org: &Organization, p: &Policy) -> PolicyView {
    PolicyView {
        id: p.id.clone(),
        resource_name: ResourceName::of(
            org,
            Named::Policy {
                policy_type: p.policy_type,
                policy_id: p.id.clone(),
            },
        ),
        name: p.name.clone(),
        description: p.description.clone(),
        policy_type: p.policy_type,
        aws_managed: false,
        content: p.content.clone(),
    }
}

/// A policy the caller's organization can see.
pub(super) enum Found<'s> {
    Managed(&'static ManagedPolicy),
    Own(&'s Policy),
}

impl Found<'_> {
    pub(super) fn policy_type(&self) -> PolicyType {
        match self {
            Found::Managed(m) => m.policy_type,
            Found::Own(p) => p.policy_type,
        }
    }

    pub(super) fn id(&self) -> &str {
        match self {
            Found::Managed(m) => m.id,
            Found::Own(p) => &p.id,
        }
    }

    pub(super) fn view(&self, org: &Organization) -> PolicyView {
        match self {
            Found::Managed(m) => managed_view(m),
            Found::Own(p) => policy_view(org, p),
        }
    }
}

/// Whether a request is about the enforced policies or the dry-run ones (Huawei's SCP dry-run,
/// `ops::dry_run`): each sees only its own. The policy operations take it, so both families run
/// the same rules; where they differ, the difference is spelled out at that rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyMode {
    /// Policies that bind (SCPs, RCPs, management policies), the cloud-managed ones included.
    Enforced,
    /// Dry-run SCPs: only in a policy language that has dry-run, SCPs only, never counted as
    /// SCPs, attached only while dry-run is enabled in the root, with no minimum per target.
    DryRun,
}

impl PolicyMode {
    fn of(p: &Policy) -> PolicyMode {
        if p.dry_run {
            PolicyMode::DryRun
        } else {
            PolicyMode::Enforced
        }
    }
}

/// A policy of the organization in `mode` (the cloud-managed ones are enforced policies).
pub(super) fn find_in<'s>(
    cx: &Ctx<'s>,
    org: &Organization,
    id: &str,
    mode: PolicyMode,
) -> Result<Found<'s>> {
    if mode == PolicyMode::Enforced
        && let Some(m) = managed(id).filter(|m| m.language == language(org))
    {
        return Ok(Found::Managed(m));
    }
    cx.state
        .policies
        .get(id)
        .filter(|p| p.org_id == org.id && PolicyMode::of(p) == mode)
        .map(Found::Own)
        .ok_or(OrgError::NotFound(Entity::Policy))
}

/// A page of the views of the policies in `mode` whose ids are `keys`.
pub(super) fn policy_page(
    cx: &Ctx,
    org: &Organization,
    keys: &BTreeSet<String>,
    page: &PageRequest,
    mode: PolicyMode,
) -> Page<PolicyView> {
    let ids = page_keys(keys, page);
    let items = ids
        .items
        .iter()
        .filter_map(|id| find_in(cx, org, id, mode).ok())
        .map(|f| f.view(org))
        .collect();
    Page {
        items,
        next: ids.next,
    }
}

/// The request context the resource policy's conditions see for a policy type.
fn of_type(ty: PolicyType) -> crate::grants::RequestContext<'static> {
    crate::grants::RequestContext {
        policy_type: Some(ty.as_str()),
    }
}

/// Authorizes `op` in `mode`: on an enforced policy of type `ty` the resource policy's conditions
/// see the type; the dry-run family needs an organization whose language has dry-run (and its
/// conditions see no type).
fn org_in<'s>(
    cx: &Ctx<'s>,
    op: Operation,
    mode: PolicyMode,
    ty: Option<PolicyType>,
) -> Result<&'s Organization> {
    match mode {
        PolicyMode::Enforced => cx.org_for(op, ty.map(of_type).unwrap_or_default()),
        PolicyMode::DryRun => dry_run_org(cx, op),
    }
}

/// Authorizes `op` on an existing policy in `mode` (`org_in` with the policy's type).
fn org_for_policy<'s>(
    cx: &Ctx<'s>,
    op: Operation,
    mode: PolicyMode,
    policy_id: &str,
) -> Result<&'s Organization> {
    let ty = cx
        .state
        .org_of(cx.caller)
        .and_then(|org| find_in(cx, org, policy_id, mode).ok())
        .map(|p| p.policy_type());
    org_in(cx, op, mode, ty)
}

/// A customer-managed policy of the organization; the AWS-managed ones cannot change.
fn find_mutable<'s>(
    cx: &Ctx<'s>,
    org: &Organization,
    id: &str,
    mode: PolicyMode,
) -> Result<&'s Policy> {
    match find_in(cx, org, id, mode)? {
        Found::Own(p) => Ok(p),
        Found::Managed(m) => Err(OrgError::InvalidInput(Invalid::ImmutablePolicy {
            name: m.name.to_string(),
        })),
    }
}

/// Policies need an organization with all features.
fn require_all_features(org: &Organization, ty: PolicyType) -> Result<()> {
    if org.feature_set == FeatureSet::All {
        return Ok(());
    }
    Err(OrgError::PolicyTypeNeedsAllFeatures(ty))
}

fn org_root<'s>(cx: &Ctx<'s>, org: &Organization) -> Result<&'s Root> {
    cx.state
        .roots
        .get(&org.root_id)
        .ok_or(OrgError::NotFound(Entity::Root))
}

fn check_content(cx: &Ctx, org: &Organization, ty: PolicyType, content: &str) -> Result<()> {
    let lang = language(org);
    // AWS's limits are the configured ones; Huawei's is its own.
    let limit = match lang {
        PolicyLanguage::Aws => cx.limits.policy(ty).content_chars,
        PolicyLanguage::Huawei => lang.max_content_chars(ty),
    };
    policy::validate_content_in(lang, ty, content, limit).map_err(|e| match e {
        PolicyContentError::TooLarge {
            policy_type,
            limit,
            actual,
        } => OrgError::Constraint(Constraint::PolicyContentTooLarge {
            policy_type,
            limit,
            actual,
        }),
        error @ PolicyContentError::Malformed { .. } => OrgError::MalformedPolicy {
            policy: None,
            error,
        },
    })
}

/// Names are unique per type within an organization (the cloud-managed names included), the
/// dry-run policies having names of their own.
fn name_taken(
    cx: &Ctx,
    org: &Organization,
    ty: PolicyType,
    name: &str,
    except: Option<&str>,
    mode: PolicyMode,
) -> bool {
    (mode == PolicyMode::Enforced && managed_for(language(org), ty).is_some_and(|m| m.name == name))
        || cx
            .state
            .org_policies(&org.id)
            .iter()
            .filter(|id| Some(id.as_str()) != except)
            .filter_map(|id| cx.state.policies.get(id))
            .any(|p| p.policy_type == ty && p.name == name && PolicyMode::of(p) == mode)
}

/// A policy to create: its type, name, description, content and tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPolicy {
    pub policy_type: PolicyType,
    pub name: String,
    pub description: String,
    pub content: String,
    pub tags: Vec<(String, String)>,
}

/// Creates an enforced or a dry-run policy.
pub fn create_policy(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    mode: PolicyMode,
    new: &NewPolicy,
) -> Result<Write<PolicyView>> {
    let policy_type = new.policy_type;
    let org = org_in(cx, Operation::CreatePolicy, mode, Some(policy_type))?;
    if mode == PolicyMode::DryRun {
        require_scp(policy_type)?;
    }
    require_all_features(org, policy_type)?;
    let tags = new_tags(cx, &new.tags)?;
    check_content(cx, org, policy_type, &new.content)?;
    if name_taken(cx, org, policy_type, &new.name, None, mode) {
        return Err(OrgError::DuplicatePolicy);
    }
    let count = cx
        .state
        .org_policies(&org.id)
        .iter()
        .filter_map(|id| cx.state.policies.get(id))
        .filter(|p| p.policy_type == policy_type && PolicyMode::of(p) == mode)
        .count();
    let max = cx.limits.policy(policy_type).per_organization;
    if count >= max {
        return Err(OrgError::Constraint(Constraint::PolicyLimit {
            policy_type,
            max,
        }));
    }
    let id = loop {
        let id = org.id_scheme.new_policy_id(ids);
        if !cx.state.policies.contains_key(&id) {
            break id;
        }
    };
    let p = Policy {
        id,
        org_id: org.id.clone(),
        policy_type,
        name: new.name.clone(),
        description: new.description.clone(),
        content: new.content.clone(),
        updated_at: cx.now,
        tags,
        dry_run: mode == PolicyMode::DryRun,
    };
    Ok(Write::new(policy_view(org, &p), vec![Change::PutPolicy(p)]))
}

pub fn describe_policy(cx: &Ctx, mode: PolicyMode, policy_id: &str) -> Result<PolicyView> {
    let org = org_in(cx, Operation::DescribePolicy, mode, None)?;
    Ok(find_in(cx, org, policy_id, mode)?.view(org))
}

/// Changes what is given of name, description and content of an enforced or a dry-run policy.
pub fn update_policy(
    cx: &Ctx,
    mode: PolicyMode,
    policy_id: &str,
    name: Option<&str>,
    description: Option<&str>,
    content: Option<&str>,
) -> Result<Write<PolicyView>> {
    let org = org_for_policy(cx, Operation::UpdatePolicy, mode, policy_id)?;
    let p = find_mutable(cx, org, policy_id, mode)?;
    if let Some(c) = content {
        check_content(cx, org, p.policy_type, c)?;
    }
    if let Some(n) = name
        && name_taken(cx, org, p.policy_type, n, Some(&p.id), mode)
    {
        return Err(OrgError::DuplicatePolicy);
    }
    let mut updated = p.clone();
    if let Some(n) = name {
        updated.name = n.to_string();
    }
    if let Some(d) = description {
        updated.description = d.to_string();
    }
    if let Some(c) = content {
        updated.content = c.to_string();
    }
    if updated == *p {
        return Ok(Write::new(policy_view(org, p), vec![]));
    }
    updated.updated_at = cx.now;
    Ok(Write::new(
        policy_view(org, &updated),
        vec![Change::PutPolicy(updated)],
    ))
}

/// Deletes an enforced or a dry-run policy that is attached nowhere.
pub fn delete_policy(cx: &Ctx, mode: PolicyMode, policy_id: &str) -> Result<Write<()>> {
    let org = org_for_policy(cx, Operation::DeletePolicy, mode, policy_id)?;
    let p = find_mutable(cx, org, policy_id, mode)?;
    if !cx.state.policy_targets(&org.id, &p.id).is_empty() {
        return Err(OrgError::PolicyInUse);
    }
    Ok(Write::new((), vec![Change::DeletePolicy(p.id.clone())]))
}

/// The organization's policies of one type, the AWS-managed one of that type included.
pub fn list_policies(
    cx: &Ctx,
    policy_type: PolicyType,
    page: &PageRequest,
) -> Result<Page<PolicyView>> {
    let org = cx.org(Operation::ListPolicies)?;
    let mut keys: BTreeSet<String> = cx
        .state
        .org_policies(&org.id)
        .iter()
        .filter(|id| type_of(cx.state, id) == Some(policy_type))
        .cloned()
        .collect();
    if org.feature_set == FeatureSet::All
        && let Some(m) = managed_for(language(org), policy_type)
    {
        keys.insert(m.id.to_string());
    }
    Ok(policy_page(cx, org, &keys, page, PolicyMode::Enforced))
}

/// The organization's policies in `mode` of every type of its language, the cloud-managed ones
/// included (Huawei's `list_policies` and `list_dry_run_policies`, which have no type filter), or
/// those attached directly to `attached_to`.
pub fn list_policies_of_every_type(
    cx: &Ctx,
    mode: PolicyMode,
    attached_to: Option<&str>,
    page: &PageRequest,
) -> Result<Page<PolicyView>> {
    let org = org_in(cx, Operation::ListPolicies, mode, None)?;
    let keys: BTreeSet<String> = match attached_to {
        Some(t) => target(cx, org, t)?.policies.into_iter().collect(),
        None => {
            let mut keys = cx.state.org_policies(&org.id).clone();
            if mode == PolicyMode::Enforced && org.feature_set == FeatureSet::All {
                let lang = language(org);
                keys.extend(
                    lang.types()
                        .iter()
                        .filter_map(|t| managed_for(lang, *t))
                        .map(|m| m.id.to_string()),
                );
            }
            keys
        }
    };
    let keys = keys
        .into_iter()
        .filter(|id| find_in(cx, org, id, mode).is_ok())
        .collect();
    Ok(policy_page(cx, org, &keys, page, mode))
}

/// A root, OU or account of the caller's organization that policies attach to.
pub(super) struct Target {
    pub(super) policies: Vec<String>,
    pub(super) view: PolicyTargetView,
    pub(super) rewrite: Box<dyn FnOnce(Vec<String>) -> Change>,
}

fn root_target(org: &Organization, r: &Root) -> Target {
    let r = r.clone();
    Target {
        policies: r.policies.clone(),
        view: PolicyTargetView {
            id: r.id.clone(),
            resource_name: root_view(org, &r).resource_name,
            name: r.name.clone(),
            target_type: TargetType::Root,
        },
        rewrite: Box::new(move |policies| Change::PutRoot(Root { policies, ..r })),
    }
}

fn ou_target(org: &Organization, ou: &OrganizationalUnit) -> Target {
    let ou = ou.clone();
    Target {
        policies: ou.policies.clone(),
        view: PolicyTargetView {
            id: ou.id.clone(),
            resource_name: ResourceName::of(org, Named::OrganizationalUnit(ou.id.clone())),
            name: ou.name.clone(),
            target_type: TargetType::OrganizationalUnit,
        },
        rewrite: Box::new(move |policies| Change::PutOu(OrganizationalUnit { policies, ..ou })),
    }
}

fn account_target(org: &Organization, a: &Account) -> Target {
    let a = a.clone();
    Target {
        policies: a
            .membership
            .as_ref()
            .map(|m| m.policies.clone())
            .unwrap_or_default(),
        view: PolicyTargetView {
            id: a.id.clone(),
            resource_name: ResourceName::of(org, Named::Account(a.id.clone())),
            name: a.name.clone(),
            target_type: TargetType::Account,
        },
        rewrite: Box::new(move |policies| {
            let mut a = a;
            if let Some(m) = a.membership.as_mut() {
                *m = Membership {
                    policies,
                    ..m.clone()
                };
            }
            Change::PutAccount(a)
        }),
    }
}

pub(super) fn target(cx: &Ctx, org: &Organization, id: &str) -> Result<Target> {
    let s = cx.state;
    let found = match s.kind_of(id) {
        Some(Kind::Root) => s
            .roots
            .get(id)
            .filter(|r| r.org_id == org.id)
            .map(|r| root_target(org, r)),
        Some(Kind::OrganizationalUnit) => s
            .ous
            .get(id)
            .filter(|ou| ou.org_id == org.id)
            .map(|ou| ou_target(org, ou)),
        Some(Kind::Account) => s
            .accounts
            .get(id)
            .filter(|a| a.org_id() == Some(org.id.as_str()))
            .map(|a| account_target(org, a)),
        _ => None,
    };
    found.ok_or(OrgError::NotFound(Entity::Target))
}

/// How many of `policies` are of type `ty` in `mode`: a dry-run SCP never counts as an SCP, nor
/// an SCP as a dry-run one.
fn count_of_type(state: &State, policies: &[String], ty: PolicyType, mode: PolicyMode) -> usize {
    let type_in = |id: &str| match mode {
        PolicyMode::Enforced => type_of(state, id),
        PolicyMode::DryRun => state
            .policies
            .get(id)
            .filter(|p| p.dry_run)
            .map(|p| p.policy_type),
    };
    policies.iter().filter(|p| type_in(p) == Some(ty)).count()
}

/// Attaches an enforced policy, whose type must be enabled in the root, or a dry-run one, for
/// which dry-run must be enabled in the root; at most the type's `attached_per_target` of each.
pub fn attach_policy(
    cx: &Ctx,
    mode: PolicyMode,
    policy_id: &str,
    target_id: &str,
) -> Result<Write<()>> {
    let org = org_for_policy(cx, Operation::AttachPolicy, mode, policy_id)?;
    let p = find_in(cx, org, policy_id, mode)?;
    let t = target(cx, org, target_id)?;
    let ty = p.policy_type();
    match mode {
        PolicyMode::Enforced if !org_root(cx, org)?.policy_types.contains(&ty) => {
            return Err(OrgError::PolicyTypeNotEnabled);
        }
        PolicyMode::DryRun if !dry_run_enabled(cx, org)? => {
            return Err(OrgError::DryRunNotEnabled);
        }
        _ => {}
    }
    if t.policies.iter().any(|id| id == p.id()) {
        return Err(OrgError::PolicyAlreadyAttached);
    }
    let max = cx.limits.policy(ty).attached_per_target;
    if count_of_type(cx.state, &t.policies, ty, mode) >= max {
        return Err(OrgError::Constraint(Constraint::MaxPoliciesAttached {
            policy_type: ty,
            max,
        }));
    }
    let mut policies = t.policies;
    policies.push(p.id().to_string());
    Ok(Write::new((), vec![(t.rewrite)(policies)]))
}

/// Detaches an enforced policy, keeping the type's minimum per target, or a dry-run one (no
/// minimum).
pub fn detach_policy(
    cx: &Ctx,
    mode: PolicyMode,
    policy_id: &str,
    target_id: &str,
) -> Result<Write<()>> {
    let org = org_for_policy(cx, Operation::DetachPolicy, mode, policy_id)?;
    let p = find_in(cx, org, policy_id, mode)?;
    let t = target(cx, org, target_id)?;
    if !t.policies.iter().any(|id| id == p.id()) {
        return Err(OrgError::PolicyNotAttached);
    }
    let ty = p.policy_type();
    // Dry-run policies have no minimum: the one detached counts, so the count is above 0.
    let min = match mode {
        PolicyMode::Enforced => ty.min_attached_per_target(),
        PolicyMode::DryRun => 0,
    };
    if count_of_type(cx.state, &t.policies, ty, mode) <= min {
        return Err(OrgError::Constraint(Constraint::MinPoliciesAttached {
            policy_type: ty,
            min,
        }));
    }
    let mut policies = t.policies;
    policies.retain(|id| id != p.id());
    Ok(Write::new((), vec![(t.rewrite)(policies)]))
}

/// The policies of one type attached directly to a root, OU or account.
pub fn list_policies_for_target(
    cx: &Ctx,
    target_id: &str,
    policy_type: PolicyType,
    page: &PageRequest,
) -> Result<Page<PolicyView>> {
    let org = cx.org(Operation::ListPoliciesForTarget)?;
    let t = target(cx, org, target_id)?;
    let keys: BTreeSet<String> = t
        .policies
        .into_iter()
        .filter(|id| type_of(cx.state, id) == Some(policy_type))
        .collect();
    Ok(policy_page(cx, org, &keys, page, PolicyMode::Enforced))
}

/// The roots, OUs and accounts of the organization an enforced or a dry-run policy is attached
/// to directly.
pub fn list_targets_for_policy(
    cx: &Ctx,
    mode: PolicyMode,
    policy_id: &str,
    page: &PageRequest,
) -> Result<Page<PolicyTargetView>> {
    let org = org_in(cx, Operation::ListTargetsForPolicy, mode, None)?;
    let p = find_in(cx, org, policy_id, mode)?;
    let ids = page_keys(cx.state.policy_targets(&org.id, p.id()), page);
    let items = ids
        .items
        .iter()
        .filter_map(|id| target(cx, org, id).ok())
        .map(|t| t.view)
        .collect();
    Ok(Page {
        items,
        next: ids.next,
    })
}

/// Every root, OU and account of the organization except the root.
pub(super) fn targets_below_root(cx: &Ctx, org: &Organization) -> Vec<Target> {
    let ous = cx
        .state
        .ous_of(&org.id)
        .iter()
        .filter_map(|id| cx.state.ous.get(id))
        .map(|ou| ou_target(org, ou));
    let accounts = cx
        .state
        .members(&org.id)
        .iter()
        .filter_map(|id| cx.state.accounts.get(id))
        .map(|a| account_target(org, a));
    ous.chain(accounts).collect()
}

pub(super) fn the_root<'s>(cx: &Ctx<'s>, org: &Organization, root_id: &str) -> Result<&'s Root> {
    cx.state
        .roots
        .get(root_id)
        .filter(|r| r.org_id == org.id && r.id == org.root_id)
        .ok_or(OrgError::NotFound(Entity::Root))
}

/// Enables a policy type in the root. A type with an AWS-managed policy gets it attached to the
/// root, every OU and every account.
pub fn enable_policy_type(
    cx: &Ctx,
    root_id: &str,
    policy_type: PolicyType,
) -> Result<Write<RootView>> {
    let org = cx.org_for(Operation::EnablePolicyType, of_type(policy_type))?;
    let root = the_root(cx, org, root_id)?;
    require_all_features(org, policy_type)?;
    if root.policy_types.contains(&policy_type) {
        return Err(OrgError::PolicyTypeAlreadyEnabled);
    }
    let mut root = root.clone();
    root.policy_types.push(policy_type);
    let mut changes = Vec::new();
    if let Some(m) = managed_for(language(org), policy_type) {
        let add = |mut policies: Vec<String>| {
            if !policies.iter().any(|p| p == m.id) {
                policies.push(m.id.to_string());
            }
            policies
        };
        root.policies = add(std::mem::take(&mut root.policies));
        for t in targets_below_root(cx, org) {
            changes.push((t.rewrite)(add(t.policies)));
        }
    }
    let view = root_view(org, &root);
    changes.insert(0, Change::PutRoot(root));
    Ok(Write::new(view, changes))
}

/// Disables a policy type in the root and detaches every policy of that type from the root,
/// every OU and every account.
pub fn disable_policy_type(
    cx: &Ctx,
    root_id: &str,
    policy_type: PolicyType,
) -> Result<Write<RootView>> {
    let org = cx.org_for(Operation::DisablePolicyType, of_type(policy_type))?;
    let root = the_root(cx, org, root_id)?;
    if !root.policy_types.contains(&policy_type) {
        return Err(OrgError::PolicyTypeNotEnabled);
    }
    let of_type = |id: &String| type_of(cx.state, id) == Some(policy_type);
    let mut root = root.clone();
    root.policy_types.retain(|t| *t != policy_type);
    root.policies.retain(|p| !of_type(p));
    let mut changes = vec![Change::PutRoot(root.clone())];
    for t in targets_below_root(cx, org) {
        if t.policies.iter().any(of_type) {
            let kept = t.policies.iter().filter(|p| !of_type(p)).cloned().collect();
            changes.push((t.rewrite)(kept));
        }
    }
    Ok(Write::new(root_view(org, &root), changes))
}
