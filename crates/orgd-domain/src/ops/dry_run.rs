//! SCP dry-run (Huawei's SCP simulation): the per-root dry-run configuration, the rules only
//! dry-run policies have, and `dry_run_denials`, which says which dry-run SCP statements would
//! have denied an action. The dry-run SCPs themselves are created, described, updated, deleted,
//! listed, attached and detached by the policy operations of `ops::policies` in
//! `PolicyMode::DryRun`, like SCPs but enforcing nothing.
//!
//! Rules, where Huawei documents none, chosen to mirror its SCP rules: a dry-run policy is an
//! SCP in the organization's SCP language; names are unique among the dry-run policies; it
//! attaches only while dry-run is enabled in the root, at most as many per target as SCPs, with
//! no minimum; disabling dry-run detaches every dry-run policy (as disabling a policy type does);
//! a dry-run policy attached anywhere cannot be deleted.

use super::effective::path_targets;
use super::policies::{language, target, targets_below_root, the_root};
use super::{Ctx, Write, accounts::member};
use crate::access::Operation;
use crate::error::{Invalid, OrgError, Result};
use crate::model::{Change, DryRunConfig, Millis, Organization};
use crate::policy::{self, PolicyType};

/// Dry-run simulates SCPs only.
const TYPE: PolicyType = PolicyType::ServiceControl;

/// A root's dry-run configuration as it stands (disabled, with no log destination, if it was
/// never set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunConfigView {
    pub root_id: String,
    pub policy_type: PolicyType,
    pub enabled: bool,
    pub log_bucket: Option<String>,
    pub log_region: Option<String>,
    pub log_prefix: Option<String>,
    pub agency: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// What `update_dry_run_config` changes; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DryRunConfigUpdate {
    pub enabled: Option<bool>,
    pub log_bucket: Option<String>,
    pub log_region: Option<String>,
    pub log_prefix: Option<String>,
    pub agency: Option<String>,
}

/// The organization, if its policy language has SCP dry-run.
pub(super) fn dry_run_org<'s>(cx: &Ctx<'s>, op: Operation) -> Result<&'s Organization> {
    let org = cx.org(op)?;
    if !language(org).has_dry_run() {
        return Err(OrgError::InvalidInput(Invalid::DryRunUnsupported));
    }
    Ok(org)
}

/// Dry-run is for SCPs only.
pub(super) fn require_scp(ty: PolicyType) -> Result<()> {
    if ty == TYPE {
        return Ok(());
    }
    Err(OrgError::InvalidInput(Invalid::DryRunUnsupported))
}

fn config_view(root_id: &str, c: Option<&DryRunConfig>, org: &Organization) -> DryRunConfigView {
    DryRunConfigView {
        root_id: root_id.to_string(),
        policy_type: TYPE,
        enabled: c.is_some_and(|c| c.enabled),
        log_bucket: c.and_then(|c| c.log_bucket.clone()),
        log_region: c.and_then(|c| c.log_region.clone()),
        log_prefix: c.and_then(|c| c.log_prefix.clone()),
        agency: c.and_then(|c| c.agency.clone()),
        created_at: c.map_or(org.created_at, |c| c.created_at),
        updated_at: c.map_or(org.created_at, |c| c.updated_at),
    }
}

pub fn show_dry_run_config(
    cx: &Ctx,
    root_id: &str,
    policy_type: PolicyType,
) -> Result<DryRunConfigView> {
    let org = dry_run_org(cx, Operation::ListRoots)?;
    require_scp(policy_type)?;
    let root = the_root(cx, org, root_id)?;
    Ok(config_view(root_id, root.dry_run.as_ref(), org))
}

/// Sets what is given; turning dry-run off detaches every dry-run policy from the root, every
/// OU and every account.
pub fn update_dry_run_config(
    cx: &Ctx,
    root_id: &str,
    policy_type: PolicyType,
    update: DryRunConfigUpdate,
) -> Result<Write<DryRunConfigView>> {
    let org = dry_run_org(cx, Operation::EnablePolicyType)?;
    require_scp(policy_type)?;
    let root = the_root(cx, org, root_id)?;
    let old = root.dry_run.clone();
    let mut c = old.clone().unwrap_or(DryRunConfig {
        enabled: false,
        log_bucket: None,
        log_region: None,
        log_prefix: None,
        agency: None,
        created_at: cx.now,
        updated_at: cx.now,
    });
    let DryRunConfigUpdate {
        enabled,
        log_bucket,
        log_region,
        log_prefix,
        agency,
    } = update;
    if let Some(e) = enabled {
        c.enabled = e;
    }
    for (slot, value) in [
        (&mut c.log_bucket, log_bucket),
        (&mut c.log_region, log_region),
        (&mut c.log_prefix, log_prefix),
        (&mut c.agency, agency),
    ] {
        if value.is_some() {
            *slot = value;
        }
    }
    let unchanged = |c: &DryRunConfig, o: &DryRunConfig| {
        DryRunConfig {
            updated_at: o.updated_at,
            ..c.clone()
        } == *o
    };
    if old.as_ref().is_some_and(|o| unchanged(&c, o)) {
        return Ok(Write::new(config_view(root_id, old.as_ref(), org), vec![]));
    }
    c.updated_at = cx.now;
    let is_dry = |id: &String| cx.state.policies.get(id).is_some_and(|p| p.dry_run);
    let mut root = root.clone();
    let mut changes = Vec::new();
    if !c.enabled {
        root.policies.retain(|p| !is_dry(p));
        for t in targets_below_root(cx, org) {
            if t.policies.iter().any(is_dry) {
                let kept = t.policies.iter().filter(|p| !is_dry(p)).cloned().collect();
                changes.push((t.rewrite)(kept));
            }
        }
    }
    root.dry_run = Some(c);
    let view = config_view(root_id, root.dry_run.as_ref(), org);
    changes.insert(0, Change::PutRoot(root));
    Ok(Write::new(view, changes))
}

/// Whether dry-run is enabled in the organization's root (attaching a dry-run policy needs it).
pub(super) fn dry_run_enabled(cx: &Ctx, org: &Organization) -> Result<bool> {
    Ok(the_root(cx, org, &org.root_id)?
        .dry_run
        .as_ref()
        .is_some_and(|c| c.enabled))
}

/// One dry-run SCP statement that would have denied an action to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunDenial {
    pub policy_id: String,
    pub policy_name: String,
    /// Where the policy is attached on the account's path: the root, an OU or the account.
    pub target_id: String,
    /// The statement's position in the policy's `Statement` array.
    pub statement: usize,
    /// The statement has a `Condition`, which orgd does not evaluate: it denies only when the
    /// condition holds.
    pub conditional: bool,
    /// The statement names resources, which orgd does not narrow: it denies only on those.
    pub narrowed: bool,
}

/// What the dry-run SCPs that apply to `account_id` (attached to its root, any OU above it, or
/// itself) would have denied of `action` (`service:resource:action`): each of their `Deny`
/// statements whose `Action` names it, root first. orgd evaluates actions only: a statement's
/// `Condition` and `Resource` are reported, not evaluated, and implicit denial (no `Allow` for
/// the action at some level) is not reported.
pub fn dry_run_denials(cx: &Ctx, account_id: &str, action: &str) -> Result<Vec<DryRunDenial>> {
    let org = dry_run_org(cx, Operation::ListPoliciesForTarget)?;
    let account = member(cx, org, account_id)?;
    let mut out = Vec::new();
    for t in path_targets(cx.state, account) {
        for id in &target(cx, org, t)?.policies {
            let Some(p) = cx.state.policies.get(id).filter(|p| p.dry_run) else {
                continue;
            };
            let statements = policy::huawei_scp_denials(&p.content, action).map_err(|error| {
                OrgError::MalformedPolicy {
                    policy: None,
                    error,
                }
            })?;
            out.extend(statements.into_iter().map(|s| DryRunDenial {
                policy_id: p.id.clone(),
                policy_name: p.name.clone(),
                target_id: t.to_string(),
                statement: s.index,
                conditional: s.conditional,
                narrowed: s.narrowed,
            }));
        }
    }
    Ok(out)
}
