//! Whole-organization reads that not every cloud has: every OU, every entity (root, OUs and
//! accounts) with names, and the organization's usage against its quotas.

use std::collections::BTreeSet;

use super::{Ctx, OuView, Page, PageRequest, TargetType, ou_view, page_keys, page_keys_union};
use crate::access::Operation;
use crate::error::{Entity, OrgError, Result};
use crate::model::{Kind, Organization, State};
use crate::policy::PolicyType;

/// A root, OU or account with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityView {
    pub id: String,
    pub name: String,
    pub entity_type: TargetType,
}

/// Which entities `list_entities` answers.
#[derive(Debug, Clone, Copy)]
pub enum EntitySelector<'a> {
    /// Every entity of the organization: its root, OUs and member accounts.
    All,
    /// The OUs and accounts directly under a root or OU.
    ChildrenOf(&'a str),
    /// The parent of an OU or account.
    ParentOf(&'a str),
}

fn entity(state: &State, id: &str) -> Option<EntityView> {
    let (name, entity_type) = match state.kind_of(id)? {
        Kind::Root => (state.roots.get(id)?.name.clone(), TargetType::Root),
        Kind::OrganizationalUnit => (
            state.ous.get(id)?.name.clone(),
            TargetType::OrganizationalUnit,
        ),
        Kind::Account => (state.accounts.get(id)?.name.clone(), TargetType::Account),
        _ => return None,
    };
    Some(EntityView {
        id: id.to_string(),
        name,
        entity_type,
    })
}

fn entity_page(state: &State, keys: Page<&String>) -> Page<EntityView> {
    Page {
        items: keys
            .items
            .iter()
            .filter_map(|id| entity(state, id))
            .collect(),
        next: keys.next,
    }
}

/// The parent (root or OU) of an OU or account of `org`.
fn parent_of(state: &State, org: &Organization, child_id: &str) -> Option<String> {
    match state.kind_of(child_id)? {
        Kind::Account => state
            .accounts
            .get(child_id)?
            .membership
            .as_ref()
            .filter(|m| m.org_id == org.id)
            .map(|m| m.parent_id.clone()),
        Kind::OrganizationalUnit => state
            .ous
            .get(child_id)
            .filter(|ou| ou.org_id == org.id)
            .map(|ou| ou.parent_id.clone()),
        _ => None,
    }
}

/// Roots, OUs and accounts of the caller's organization, paged by id.
pub fn list_entities(
    cx: &Ctx,
    selector: EntitySelector,
    page: &PageRequest,
) -> Result<Page<EntityView>> {
    let org = cx.org(Operation::ListChildren)?;
    // Each arm resolves its page while the sets its keys borrow (some local) still live.
    let page = match selector {
        EntitySelector::All => {
            let root = BTreeSet::from([org.root_id.clone()]);
            let sets = [&root, cx.state.ous_of(&org.id), cx.state.members(&org.id)];
            entity_page(cx.state, page_keys_union(&sets, page))
        }
        EntitySelector::ChildrenOf(parent_id) => {
            super::ous::parent_in_org(cx, org, parent_id, OrgError::NotFound(Entity::Parent))?;
            let sets = [
                cx.state.child_ous(parent_id),
                cx.state.child_accounts(parent_id),
            ];
            entity_page(cx.state, page_keys_union(&sets, page))
        }
        EntitySelector::ParentOf(child_id) => {
            let parent =
                parent_of(cx.state, org, child_id).ok_or(OrgError::NotFound(Entity::Child))?;
            let set = BTreeSet::from([parent]);
            entity_page(cx.state, page_keys(&set, page))
        }
    };
    Ok(page)
}

/// Every OU of the caller's organization, whatever its parent, paged by id.
pub fn list_organizational_units(cx: &Ctx, page: &PageRequest) -> Result<Page<OuView>> {
    let org = cx.org(Operation::ListOrganizationalUnitsForParent)?;
    let keys = page_keys(cx.state.ous_of(&org.id), page);
    Ok(Page {
        items: keys
            .items
            .iter()
            .filter_map(|id| cx.state.ous.get(*id))
            .map(|ou| ou_view(cx.state, org, ou))
            .collect(),
        next: keys.next,
    })
}

/// One quota: what is used and the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used: usize,
    pub limit: usize,
}

/// The organization's usage against its quotas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotasView {
    /// Member accounts (the management account included) against `Limits::max_accounts`.
    pub accounts: Usage,
    /// OUs against `Limits::max_ous`.
    pub organizational_units: Usage,
    /// Customer-managed policies of each type against the type's quota.
    pub policies: Vec<(PolicyType, Usage)>,
}

pub fn quotas(cx: &Ctx) -> Result<QuotasView> {
    let org = cx.org(Operation::ListAccounts)?;
    let policies = PolicyType::ALL
        .iter()
        .map(|t| {
            let used = cx
                .state
                .org_policies(&org.id)
                .iter()
                .filter(|id| cx.state.policies.get(*id).map(|p| p.policy_type) == Some(*t))
                .count();
            let limit = t.max_policies_per_organization();
            (*t, Usage { used, limit })
        })
        .collect();
    Ok(QuotasView {
        accounts: Usage {
            used: cx.state.members(&org.id).len(),
            limit: cx.limits.max_accounts,
        },
        organizational_units: Usage {
            used: cx.state.ou_count(&org.id),
            limit: cx.limits.max_ous,
        },
        policies,
    })
}
