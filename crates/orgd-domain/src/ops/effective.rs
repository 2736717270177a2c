//! Effective policies of management policy types: DescribeEffectivePolicy,
//! ListEffectivePolicyValidationErrors, ListAccountsWithInvalidEffectivePolicy. The merge itself
//! is `policy::effective_policy`; this module gathers the policies along an account's path.

use std::collections::BTreeSet;

use super::{
    AccountView, Ctx, EffectivePolicyView, Page, PageRequest, ValidationErrorView,
    ValidationErrorsView, account_view, accounts::member, page_keys, page_keys_where,
    policies::attached,
};
use crate::access::Operation;
use crate::error::{Denial, Entity, Invalid, OrgError, Result};
use crate::model::{Account, Kind, Millis, Organization, ParsedManagement, Policy, State};
use crate::policy::{self, EffectivePolicy, EffectivePolicyError, PolicyType};

/// SCPs and RCPs have no effective policy.
fn require_management_type(ty: PolicyType) -> Result<()> {
    if ty.is_management() {
        return Ok(());
    }
    Err(OrgError::InvalidInput(Invalid::NoEffectivePolicy(ty)))
}

/// The merge for one account, with the policies of each level (root first) that went into it.
struct Computed<'s> {
    effective: EffectivePolicy,
    levels: Vec<Vec<&'s Policy>>,
}

impl Computed<'_> {
    fn last_updated(&self) -> Millis {
        self.levels
            .iter()
            .flatten()
            .map(|p| p.updated_at)
            .max()
            .unwrap_or(0)
    }
}

/// The root, each OU down, then the account.
pub(crate) fn path_targets<'s>(state: &'s State, account: &'s Account) -> Vec<&'s str> {
    let mut chain = vec![account.id.as_str()];
    let mut cur = account.parent_id();
    while let Some(id) = cur {
        chain.push(id);
        cur = state.ous.get(id).map(|ou| ou.parent_id.as_str());
    }
    chain.reverse();
    chain
}

/// `None` when no policy of the type applies to the account.
fn compute<'s>(
    state: &'s State,
    account: &'s Account,
    ty: PolicyType,
) -> Result<Option<Computed<'s>>> {
    let levels: Vec<Vec<&Policy>> = path_targets(state, account)
        .into_iter()
        .map(|t| {
            attached(state, t)
                .iter()
                .filter_map(|id| state.policies.get(id))
                // (Every stored management policy has its parsed content.)
                .filter(|p| p.policy_type == ty && state.parsed_management_policy(&p.id).is_some())
                .collect()
        })
        .collect();
    if levels.iter().all(Vec::is_empty) {
        return Ok(None);
    }
    // Each policy's content was parsed when its version was stored.
    let parsed: Vec<Vec<&ParsedManagement>> = levels
        .iter()
        .map(|l| {
            l.iter()
                .filter_map(|p| state.parsed_management_policy(&p.id))
                .collect()
        })
        .collect();
    let effective = policy::effective_policy_of_parsed(ty, &parsed).map_err(|e| match e {
        EffectivePolicyError::NotManagementPolicy(_) => {
            OrgError::InvalidInput(Invalid::NoEffectivePolicy(ty))
        }
        // Content is validated when saved; a stored policy that no longer parses is reported
        // as what it is rather than silently skipped.
        EffectivePolicyError::Malformed { policy, error } => OrgError::MalformedPolicy {
            policy: Some(policy),
            error,
        },
    })?;
    Ok(Some(Computed { effective, levels }))
}

/// The effective policy of `ty` for an account: the caller itself when `target_id` is absent.
/// Any member may ask for itself; only the management account or a delegated administrator may
/// name another account. Roots and OUs have no effective policy of their own.
pub fn describe_effective_policy(
    cx: &Ctx,
    policy_type: PolicyType,
    target_id: Option<&str>,
) -> Result<EffectivePolicyView> {
    let org = cx.org(Operation::DescribeEffectivePolicy)?;
    require_management_type(policy_type)?;
    let target = target_id.unwrap_or(cx.caller);
    if matches!(
        cx.state.kind_of(target),
        Some(Kind::Root | Kind::OrganizationalUnit)
    ) {
        return Err(OrgError::InvalidInput(Invalid::EffectivePolicyTarget));
    }
    if target != cx.caller
        && org.management_account_id != cx.caller
        && !org.is_delegated_admin(cx.caller)
    {
        return Err(OrgError::AccessDenied(Denial::OthersEffectivePolicy));
    }
    let account = member(cx, org, target).map_err(|_| OrgError::NotFound(Entity::Target))?;
    let c = compute(cx.state, account, policy_type)?
        .ok_or(OrgError::NotFound(Entity::EffectivePolicy))?;
    Ok(EffectivePolicyView {
        content: c.effective.content(),
        last_updated: c.last_updated(),
        target_id: account.id.clone(),
        policy_type,
    })
}

fn error_views(c: &Computed) -> Vec<ValidationErrorView> {
    c.effective
        .validation_errors
        .iter()
        .map(|e| ValidationErrorView {
            code: e.code.as_str(),
            message: e.message.clone(),
            path: e.path.clone(),
            contributing_policies: e
                .contributing
                .iter()
                .filter_map(|r| c.levels.get(r.level)?.get(r.index))
                .map(|p| p.id.clone())
                .collect(),
        })
        .collect()
}

/// What the inheritance of `ty` produced for one account that is not valid.
pub fn list_effective_policy_validation_errors(
    cx: &Ctx,
    account_id: &str,
    policy_type: PolicyType,
    page: &PageRequest,
) -> Result<ValidationErrorsView> {
    let org = cx.org(Operation::ListEffectivePolicyValidationErrors)?;
    require_management_type(policy_type)?;
    let account = member(cx, org, account_id)?;
    let c = compute(cx.state, account, policy_type)?
        .ok_or(OrgError::NotFound(Entity::EffectivePolicy))?;
    let errors = error_views(&c);
    // Errors keep the engine's order; their keys are their positions.
    let keys: BTreeSet<String> = (0..errors.len()).map(|i| format!("{i:08}")).collect();
    let ids = page_keys(&keys, page);
    let items = ids
        .items
        .iter()
        .filter_map(|k| k.parse::<usize>().ok())
        .filter_map(|i| errors.get(i).cloned())
        .collect();
    Ok(ValidationErrorsView {
        account_id: account.id.clone(),
        policy_type,
        path: account_view(cx.state, org, account)
            .paths
            .pop()
            .unwrap_or_default(),
        evaluated_at: cx.now,
        errors: Page {
            items,
            next: ids.next,
        },
    })
}

fn has_errors(state: &State, org: &Organization, account_id: &str, ty: PolicyType) -> bool {
    state
        .accounts
        .get(account_id)
        .filter(|a| a.org_id() == Some(org.id.as_str()))
        .and_then(|a| compute(state, a, ty).ok().flatten())
        .is_some_and(|c| !c.effective.validation_errors.is_empty())
}

/// The member accounts whose effective policy of `ty` has validation errors.
pub fn list_accounts_with_invalid_effective_policy(
    cx: &Ctx,
    policy_type: PolicyType,
    page: &PageRequest,
) -> Result<Page<AccountView>> {
    let org = cx.org(Operation::ListAccountsWithInvalidEffectivePolicy)?;
    require_management_type(policy_type)?;
    let keys = page_keys_where(cx.state.members(&org.id), page, |id| {
        has_errors(cx.state, org, id, policy_type)
    });
    let items = keys
        .items
        .iter()
        .filter_map(|id| cx.state.accounts.get(*id))
        .map(|a| account_view(cx.state, org, a))
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}
