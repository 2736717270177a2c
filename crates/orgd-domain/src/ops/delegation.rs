//! Trusted access and delegated administrators: EnableAWSServiceAccess, DisableAWSServiceAccess,
//! ListAWSServiceAccessForOrganization, RegisterDelegatedAdministrator,
//! DeregisterDelegatedAdministrator, ListDelegatedAdministrators, ListDelegatedServicesForAccount.

use std::collections::BTreeSet;

use super::accounts::member;
use super::{AccountView, Ctx, Page, PageRequest, Write, account_view, page_keys};
use crate::access::Operation;
use crate::error::{Constraint, Invalid, OrgError, Result};
use crate::model::{AccountStatus, Change, FeatureSet, Millis, Organization};
use crate::services;

fn recognised(org: &Organization, principal: &str, need_delegation: bool) -> Result<()> {
    let ok = if need_delegation {
        services::supports_delegated_admin(org.id_scheme, principal)
    } else {
        services::is_integrated(org.id_scheme, principal)
    };
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidInput(
            Invalid::UnrecognizedServicePrincipal {
                principal: principal.to_string(),
                delegation: need_delegation,
            },
        ))
    }
}

fn all_features(org: &Organization) -> Result<()> {
    if org.feature_set == FeatureSet::All {
        Ok(())
    } else {
        Err(OrgError::Constraint(Constraint::AllFeaturesRequired))
    }
}

/// Enables trusted access for a service (idempotent, as in AWS).
pub fn enable_aws_service_access(cx: &Ctx, principal: &str) -> Result<Write<()>> {
    let org = cx.org(Operation::EnableAWSServiceAccess)?;
    recognised(org, principal, false)?;
    all_features(org)?;
    if org.service_access.contains_key(principal) {
        return Ok(Write::new((), vec![]));
    }
    let mut org = org.clone();
    org.service_access.insert(principal.to_string(), cx.now);
    Ok(Write::new((), vec![Change::PutOrganization(org)]))
}

/// Disables trusted access for a service (idempotent).
pub fn disable_aws_service_access(cx: &Ctx, principal: &str) -> Result<Write<()>> {
    let org = cx.org(Operation::DisableAWSServiceAccess)?;
    recognised(org, principal, false)?;
    if !org.service_access.contains_key(principal) {
        return Ok(Write::new((), vec![]));
    }
    let mut org = org.clone();
    org.service_access.remove(principal);
    Ok(Write::new((), vec![Change::PutOrganization(org)]))
}

pub fn list_aws_service_access(cx: &Ctx, page: &PageRequest) -> Result<Page<(String, Millis)>> {
    let org = cx.org(Operation::ListAWSServiceAccessForOrganization)?;
    let keys: BTreeSet<String> = org.service_access.keys().cloned().collect();
    let p = page_keys(&keys, page);
    let items = p
        .items
        .iter()
        .map(|k| ((*k).clone(), org.service_access[*k]))
        .collect();
    Ok(Page {
        items,
        next: p.next,
    })
}

pub fn register_delegated_administrator(
    cx: &Ctx,
    account_id: &str,
    principal: &str,
) -> Result<Write<()>> {
    let org = cx.org(Operation::RegisterDelegatedAdministrator)?;
    recognised(org, principal, true)?;
    let account = member(cx, org, account_id)?;
    if account.id == org.management_account_id {
        return Err(OrgError::Constraint(
            Constraint::ManagementAsDelegatedAdministrator,
        ));
    }
    if account.status != AccountStatus::Active {
        return Err(OrgError::Constraint(
            Constraint::SuspendedAsDelegatedAdministrator,
        ));
    }
    if !org.service_access.contains_key(principal) {
        return Err(OrgError::Constraint(Constraint::ServiceAccessNotEnabled {
            principal: principal.to_string(),
        }));
    }
    if org
        .delegated_admins
        .get(principal)
        .is_some_and(|a| a.contains_key(account_id))
    {
        return Err(OrgError::AlreadyDelegatedAdministrator);
    }
    let mut org = org.clone();
    org.delegated_admins
        .entry(principal.to_string())
        .or_default()
        .insert(account_id.to_string(), cx.now);
    Ok(Write::new((), vec![Change::PutOrganization(org)]))
}

pub fn deregister_delegated_administrator(
    cx: &Ctx,
    account_id: &str,
    principal: &str,
) -> Result<Write<()>> {
    let org = cx.org(Operation::DeregisterDelegatedAdministrator)?;
    recognised(org, principal, true)?;
    member(cx, org, account_id)?;
    if !org
        .delegated_admins
        .get(principal)
        .is_some_and(|a| a.contains_key(account_id))
    {
        return Err(OrgError::NotDelegatedAdministrator);
    }
    let mut org = org.clone();
    if let Some(accounts) = org.delegated_admins.get_mut(principal) {
        accounts.remove(account_id);
        if accounts.is_empty() {
            org.delegated_admins.remove(principal);
        }
    }
    Ok(Write::new((), vec![Change::PutOrganization(org)]))
}

/// A delegated administrator: the account and when it was first delegated (for the services asked).
pub struct DelegatedAdministratorView {
    pub account: AccountView,
    pub enabled_at: Millis,
}

pub fn list_delegated_administrators(
    cx: &Ctx,
    principal: Option<&str>,
    page: &PageRequest,
) -> Result<Page<DelegatedAdministratorView>> {
    let org = cx.org(Operation::ListDelegatedAdministrators)?;
    if let Some(p) = principal {
        recognised(org, p, true)?;
    }
    let mut since: std::collections::BTreeMap<String, Millis> = Default::default();
    for (p, accounts) in &org.delegated_admins {
        if principal.is_none_or(|want| want == p) {
            for (a, t) in accounts {
                let e = since.entry(a.clone()).or_insert(*t);
                *e = (*e).min(*t);
            }
        }
    }
    let keys: BTreeSet<String> = since.keys().cloned().collect();
    let p = page_keys(&keys, page);
    let items = p
        .items
        .iter()
        .filter_map(|id| cx.state.accounts.get(*id))
        .map(|a| DelegatedAdministratorView {
            account: account_view(cx.state, org, a),
            enabled_at: since[&a.id],
        })
        .collect();
    Ok(Page {
        items,
        next: p.next,
    })
}

pub fn list_delegated_services_for_account(
    cx: &Ctx,
    account_id: &str,
    page: &PageRequest,
) -> Result<Page<(String, Millis)>> {
    let org = cx.org(Operation::ListDelegatedServicesForAccount)?;
    member(cx, org, account_id)?;
    let services: std::collections::BTreeMap<&String, Millis> = org
        .delegated_admins
        .iter()
        .filter_map(|(p, accounts)| accounts.get(account_id).map(|t| (p, *t)))
        .collect();
    if services.is_empty() {
        return Err(OrgError::NotDelegatedAdministrator);
    }
    let keys: BTreeSet<String> = services.keys().map(|k| (*k).clone()).collect();
    let p = page_keys(&keys, page);
    let items = p
        .items
        .iter()
        .map(|k| ((*k).clone(), services[*k]))
        .collect();
    Ok(Page {
        items,
        next: p.next,
    })
}
