//! CreateOrganization, DescribeOrganization, DeleteOrganization, ListRoots.

use super::{Ctx, Page, PageRequest, RootView, Write, organization_view, page_keys, root_view};
use crate::access::Operation;
use crate::error::{OrgError, Result};
use crate::ids::{IdScheme, IdSource};
use crate::model::{Change, FeatureSet, JoinedMethod, Membership, Organization, Root};
use crate::ops::OrganizationView;

/// The caller becomes the management account of a new organization, in its root.
pub fn create_organization(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    feature_set: Option<FeatureSet>,
    id_scheme: IdScheme,
) -> Result<Write<OrganizationView>> {
    if cx.state.org_of(cx.caller).is_some() {
        return Err(OrgError::AlreadyInOrganization);
    }
    let mut account = super::settle::standalone_account(cx.state, cx.caller);
    let org_id = id_scheme.new_organization_id(ids);
    let root_id = id_scheme.new_root_id(ids);
    let org = Organization {
        id: org_id.clone(),
        feature_set: feature_set.unwrap_or(FeatureSet::All),
        management_account_id: cx.caller.to_string(),
        root_id: root_id.clone(),
        created_at: cx.now,
        service_access: Default::default(),
        delegated_admins: Default::default(),
        resource_policy: None,
        id_scheme,
    };
    let policy_types = super::policies::initial_policy_types(org.feature_set, cx.limits);
    let policies = super::policies::default_attachments(
        crate::policy::PolicyLanguage::of(id_scheme),
        &policy_types,
    );
    let root = Root {
        id: root_id.clone(),
        org_id: org_id.clone(),
        name: "Root".into(),
        tags: Default::default(),
        policy_types,
        policies: policies.clone(),
        dry_run: None,
    };
    account.membership = Some(Membership {
        org_id,
        parent_id: root_id,
        joined_method: JoinedMethod::Invited,
        joined_at: cx.now,
        policies,
    });
    let mut view = organization_view(cx.state, &org);
    view.management_account_email = account.email.clone();
    view.available_policy_types = root.policy_types.clone();
    Ok(Write::new(
        view,
        vec![
            Change::PutOrganization(org),
            Change::PutRoot(root),
            Change::PutAccount(account),
        ],
    ))
}

pub fn describe_organization(cx: &Ctx) -> Result<OrganizationView> {
    let org = cx.org(Operation::DescribeOrganization)?;
    Ok(organization_view(cx.state, org))
}

/// Deletes an organization that has no member account but the management account. Its OUs, root
/// and account-creation history go with it; the management account becomes standalone.
pub fn delete_organization(cx: &Ctx) -> Result<Write<()>> {
    let org = cx.org(Operation::DeleteOrganization)?;
    if cx
        .state
        .members(&org.id)
        .iter()
        .any(|a| *a != org.management_account_id)
    {
        return Err(OrgError::OrganizationNotEmpty);
    }
    let mut changes = Vec::new();
    for ou in cx.state.ous_of(&org.id) {
        changes.push(Change::DeleteOu(ou.clone()));
    }
    for p in cx.state.org_policies(&org.id) {
        changes.push(Change::DeletePolicy(p.clone()));
    }
    for h in cx.state.all_handshakes_of(&org.id) {
        changes.push(Change::DeleteHandshake(h.clone()));
    }
    for req in cx.state.requests_of(&org.id) {
        changes.push(Change::DeleteCreateAccountRequest(req.clone()));
    }
    if let Some(mut mgmt) = cx.state.accounts.get(&org.management_account_id).cloned() {
        mgmt.membership = None;
        changes.push(Change::PutAccount(mgmt));
    }
    changes.push(Change::DeleteRoot(org.root_id.clone()));
    changes.push(Change::DeleteOrganization(org.id.clone()));
    Ok(Write::new((), changes))
}

pub fn list_roots(cx: &Ctx, page: &PageRequest) -> Result<Page<RootView>> {
    let org = cx.org(Operation::ListRoots)?;
    let roots = std::collections::BTreeSet::from([org.root_id.clone()]);
    let keys = page_keys(&roots, page);
    let items = keys
        .items
        .iter()
        .filter_map(|id| cx.state.roots.get(*id))
        .map(|r| root_view(org, r))
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}
