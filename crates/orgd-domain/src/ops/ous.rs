//! Organizational units and the tree: Create/Describe/Update/DeleteOrganizationalUnit,
//! ListOrganizationalUnitsForParent, ListChildren, ListParents.

use super::{
    ChildType, Ctx, OuView, Page, PageRequest, ParentType, Write, ou_view, page_keys,
    tags::new_tags,
};
use crate::access::Operation;
use crate::error::{Constraint, Entity, OrgError, Result};
use crate::ids::IdSource;
use crate::model::{Change, Kind, Organization, OrganizationalUnit};

/// Resolves a parent (root or OU) of the caller's organization, or `missing`.
pub(crate) fn parent_in_org(
    cx: &Ctx,
    org: &Organization,
    parent_id: &str,
    missing: OrgError,
) -> Result<()> {
    match cx.state.org_of_parent(parent_id) {
        Some(o) if o == org.id => Ok(()),
        _ => Err(missing),
    }
}

fn ou_in_org<'s>(cx: &Ctx<'s>, org: &Organization, ou_id: &str) -> Result<&'s OrganizationalUnit> {
    cx.state
        .ous
        .get(ou_id)
        .filter(|ou| ou.org_id == org.id)
        .ok_or(OrgError::NotFound(Entity::OrganizationalUnit))
}

fn name_taken(cx: &Ctx, parent_id: &str, name: &str, except: Option<&str>) -> bool {
    cx.state
        .child_ous(parent_id)
        .iter()
        .filter(|id| Some(id.as_str()) != except)
        .filter_map(|id| cx.state.ous.get(id))
        .any(|ou| ou.name == name)
}

pub fn create_organizational_unit(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    parent_id: &str,
    name: &str,
    tags: &[(String, String)],
) -> Result<Write<OuView>> {
    let org = cx.org(Operation::CreateOrganizationalUnit)?;
    parent_in_org(cx, org, parent_id, OrgError::NotFound(Entity::Parent))?;
    let tags = new_tags(cx, tags)?;
    if name_taken(cx, parent_id, name, None) {
        return Err(OrgError::DuplicateOrganizationalUnit);
    }
    if cx.state.depth(parent_id) + 1 > cx.limits.max_ou_depth {
        return Err(OrgError::Constraint(Constraint::OuDepth {
            max: cx.limits.max_ou_depth,
        }));
    }
    if cx.state.ou_count(&org.id) >= cx.limits.max_ous {
        return Err(OrgError::Constraint(Constraint::OuLimit {
            max: cx.limits.max_ous,
        }));
    }
    let id = loop {
        let id = org.id_scheme.new_ou_id(ids, &org.root_id);
        if !cx.state.ous.contains_key(&id) {
            break id;
        }
    };
    let ou = OrganizationalUnit {
        id,
        org_id: org.id.clone(),
        parent_id: parent_id.to_string(),
        name: name.to_string(),
        created_at: cx.now,
        tags,
        policies: super::policies::new_target_policies(cx.state, org),
    };
    // The path is the parent's path and the new OU's id.
    let mut view = ou_view(cx.state, org, &ou);
    view.path = format!("{}{}/", cx.state.path_of_parent(&org.id, parent_id), ou.id);
    Ok(Write::new(view, vec![Change::PutOu(ou)]))
}

pub fn describe_organizational_unit(cx: &Ctx, ou_id: &str) -> Result<OuView> {
    let org = cx.org(Operation::DescribeOrganizationalUnit)?;
    let ou = ou_in_org(cx, org, ou_id)?;
    Ok(ou_view(cx.state, org, ou))
}

/// Renames an OU; without a name it changes nothing and answers the OU as it is.
pub fn update_organizational_unit(
    cx: &Ctx,
    ou_id: &str,
    name: Option<&str>,
) -> Result<Write<OuView>> {
    let org = cx.org(Operation::UpdateOrganizationalUnit)?;
    let ou = ou_in_org(cx, org, ou_id)?;
    let Some(name) = name.filter(|n| *n != ou.name) else {
        return Ok(Write::new(ou_view(cx.state, org, ou), vec![]));
    };
    if name_taken(cx, &ou.parent_id, name, Some(ou_id)) {
        return Err(OrgError::DuplicateOrganizationalUnit);
    }
    let mut updated = ou.clone();
    updated.name = name.to_string();
    let view = ou_view(cx.state, org, &updated);
    Ok(Write::new(view, vec![Change::PutOu(updated)]))
}

pub fn delete_organizational_unit(cx: &Ctx, ou_id: &str) -> Result<Write<()>> {
    let org = cx.org(Operation::DeleteOrganizationalUnit)?;
    let ou = ou_in_org(cx, org, ou_id)?;
    if !cx.state.child_ous(&ou.id).is_empty() || !cx.state.child_accounts(&ou.id).is_empty() {
        return Err(OrgError::OrganizationalUnitNotEmpty);
    }
    Ok(Write::new((), vec![Change::DeleteOu(ou.id.clone())]))
}

pub fn list_organizational_units_for_parent(
    cx: &Ctx,
    parent_id: &str,
    page: &PageRequest,
) -> Result<Page<OuView>> {
    let org = cx.org(Operation::ListOrganizationalUnitsForParent)?;
    parent_in_org(cx, org, parent_id, OrgError::NotFound(Entity::Parent))?;
    let keys = page_keys(cx.state.child_ous(parent_id), page);
    let items = keys
        .items
        .iter()
        .filter_map(|id| cx.state.ous.get(*id))
        .map(|ou| ou_view(cx.state, org, ou))
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}

pub fn list_children(
    cx: &Ctx,
    parent_id: &str,
    child_type: ChildType,
    page: &PageRequest,
) -> Result<Page<(String, ChildType)>> {
    let org = cx.org(Operation::ListChildren)?;
    parent_in_org(cx, org, parent_id, OrgError::NotFound(Entity::Parent))?;
    let set = match child_type {
        ChildType::Account => cx.state.child_accounts(parent_id),
        ChildType::OrganizationalUnit => cx.state.child_ous(parent_id),
    };
    let keys = page_keys(set, page);
    let items = keys
        .items
        .into_iter()
        .map(|id| (id.clone(), child_type))
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}

/// The one parent of an account or OU.
pub fn list_parents(
    cx: &Ctx,
    child_id: &str,
    page: &PageRequest,
) -> Result<Page<(String, ParentType)>> {
    let org = cx.org(Operation::ListParents)?;
    let parent = match cx.state.kind_of(child_id) {
        Some(Kind::Account) => cx
            .state
            .accounts
            .get(child_id)
            .and_then(|a| a.membership.as_ref())
            .filter(|m| m.org_id == org.id)
            .map(|m| m.parent_id.clone()),
        Some(Kind::OrganizationalUnit) => cx
            .state
            .ous
            .get(child_id)
            .filter(|ou| ou.org_id == org.id)
            .map(|ou| ou.parent_id.clone()),
        _ => None,
    };
    let parent = parent.ok_or(OrgError::NotFound(Entity::Child))?;
    let kind = if cx.state.kind_of(&parent) == Some(Kind::Root) {
        ParentType::Root
    } else {
        ParentType::OrganizationalUnit
    };
    let set = std::collections::BTreeSet::from([parent]);
    let keys = page_keys(&set, page);
    let items = keys
        .items
        .into_iter()
        .map(|id| (id.clone(), kind))
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}
