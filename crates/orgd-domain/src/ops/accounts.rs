//! Accounts: CreateAccount and its status, DescribeAccount, ListAccounts, ListAccountsForParent,
//! MoveAccount, RemoveAccountFromOrganization, CloseAccount.

use super::{
    AccountView, CreateAccountStatusView, Ctx, Page, PageRequest, Write, account_view,
    ous::parent_in_org, page_keys, page_keys_union, tags::new_tags,
};
use crate::Millis;
use crate::access::Operation;
use crate::error::{Constraint, Entity, OrgError, Result};
use crate::ids::IdSource;
use crate::model::{
    Account, AccountStatus, Change, CreateAccountRequest, CreateAccountState, FeatureSet,
    JoinedMethod, Organization,
};

/// A member account of the caller's organization, or `NotFound(Account)`.
pub(crate) fn member<'s>(
    cx: &Ctx<'s>,
    org: &Organization,
    account_id: &str,
) -> Result<&'s Account> {
    cx.state
        .accounts
        .get(account_id)
        .filter(|a| a.org_id() == Some(org.id.as_str()))
        .ok_or(OrgError::NotFound(Entity::Account))
}

/// Starts creating an account; it settles (see `settle`) after the configured delay.
pub fn create_account(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    email: &str,
    account_name: &str,
    tags: &[(String, String)],
    role_name: Option<&str>,
) -> Result<Write<CreateAccountStatusView>> {
    create_described_account(cx, ids, email, account_name, tags, "", role_name)
}

/// `create_account` with the new account's description. `email` may be empty (Huawei's accounts
/// need none); an empty email never clashes with another account's. `role_name` is the role the
/// management account may assume in it (AWS's `RoleName`, Huawei's `agency_name`).
pub fn create_described_account(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    email: &str,
    account_name: &str,
    tags: &[(String, String)],
    description: &str,
    role_name: Option<&str>,
) -> Result<Write<CreateAccountStatusView>> {
    let org = cx.org(Operation::CreateAccount)?;
    let tags = new_tags(cx, tags)?;
    let pending = cx
        .state
        .requests_in(&org.id, CreateAccountState::InProgress)
        .len();
    if cx.state.members(&org.id).len() + pending >= cx.limits.max_accounts {
        return Err(OrgError::Constraint(Constraint::AccountLimit {
            max: cx.limits.max_accounts,
        }));
    }
    let account_id = loop {
        let id = org.id_scheme.new_account_id(ids);
        if !cx.state.account_id_taken(&id) {
            break id;
        }
    };
    let id = loop {
        let id = org.id_scheme.new_create_account_request_id(ids);
        if !cx.state.create_requests.contains_key(&id) {
            break id;
        }
    };
    let req = CreateAccountRequest {
        id,
        org_id: org.id.clone(),
        account_name: account_name.to_string(),
        email: email.to_string(),
        state: CreateAccountState::InProgress,
        requested_at: cx.now,
        completes_at: cx.now + cx.limits.create_account_delay,
        completed_at: None,
        account_id,
        failure_reason: None,
        tags,
        role_name: role_name.map(str::to_string),
        description: description.to_string(),
    };
    Ok(Write::new(
        req.clone(),
        vec![Change::PutCreateAccountRequest(req)],
    ))
}

pub fn describe_create_account_status(
    cx: &Ctx,
    request_id: &str,
) -> Result<CreateAccountStatusView> {
    let org = cx.org(Operation::DescribeCreateAccountStatus)?;
    cx.state
        .create_requests
        .get(request_id)
        .filter(|r| r.org_id == org.id)
        .cloned()
        .ok_or(OrgError::NotFound(Entity::CreateAccountRequest))
}

/// The organization's CreateAccount requests, optionally only those in `states`.
pub fn list_create_account_status(
    cx: &Ctx,
    states: &[CreateAccountState],
    page: &PageRequest,
) -> Result<Page<CreateAccountStatusView>> {
    let org = cx.org(Operation::ListCreateAccountStatus)?;
    let keys = if states.is_empty() {
        page_keys(cx.state.requests_of(&org.id), page)
    } else {
        let sets: Vec<_> = states
            .iter()
            .map(|s| cx.state.requests_in(&org.id, *s))
            .collect();
        page_keys_union(&sets, page)
    };
    let items = keys
        .items
        .iter()
        .filter_map(|id| cx.state.create_requests.get(*id))
        .cloned()
        .collect();
    Ok(Page {
        items,
        next: keys.next,
    })
}

pub fn describe_account(cx: &Ctx, account_id: &str) -> Result<AccountView> {
    let org = cx.org(Operation::DescribeAccount)?;
    Ok(account_view(cx.state, org, member(cx, org, account_id)?))
}

fn account_page(cx: &Ctx, org: &Organization, keys: Page<&String>) -> Page<AccountView> {
    let items = keys
        .items
        .iter()
        .filter_map(|id| cx.state.accounts.get(*id))
        .map(|a| account_view(cx.state, org, a))
        .collect();
    Page {
        items,
        next: keys.next,
    }
}

pub fn list_accounts(cx: &Ctx, page: &PageRequest) -> Result<Page<AccountView>> {
    let org = cx.org(Operation::ListAccounts)?;
    Ok(account_page(
        cx,
        org,
        page_keys(cx.state.members(&org.id), page),
    ))
}

pub fn list_accounts_for_parent(
    cx: &Ctx,
    parent_id: &str,
    page: &PageRequest,
) -> Result<Page<AccountView>> {
    let org = cx.org(Operation::ListAccountsForParent)?;
    parent_in_org(cx, org, parent_id, OrgError::NotFound(Entity::Parent))?;
    Ok(account_page(
        cx,
        org,
        page_keys(cx.state.child_accounts(parent_id), page),
    ))
}

pub fn move_account(
    cx: &Ctx,
    account_id: &str,
    source: &str,
    destination: &str,
) -> Result<Write<()>> {
    let org = cx.org(Operation::MoveAccount)?;
    let account = member(cx, org, account_id)?;
    parent_in_org(cx, org, source, OrgError::NotFound(Entity::SourceParent))?;
    parent_in_org(
        cx,
        org,
        destination,
        OrgError::NotFound(Entity::DestinationParent),
    )?;
    // The source names a parent that exists but does not hold the account: AWS's reference reads
    // SourceParentId as "the root or OU that you want to move the account from", and documents
    // SourceParentNotFoundException for a source it can't find (no observed answer was found).
    if account.parent_id() != Some(source) {
        return Err(OrgError::NotFound(Entity::SourceParent));
    }
    if source == destination {
        return Err(OrgError::AccountAlreadyInParent);
    }
    let mut moved = account.clone();
    if let Some(m) = moved.membership.as_mut() {
        m.parent_id = destination.to_string();
    }
    Ok(Write::new((), vec![Change::PutAccount(moved)]))
}

/// The account leaves the organization and becomes standalone.
pub fn remove_account_from_organization(cx: &Ctx, account_id: &str) -> Result<Write<()>> {
    let org = cx.org(Operation::RemoveAccountFromOrganization)?;
    let account = member(cx, org, account_id)?;
    if account.id == org.management_account_id {
        return Err(OrgError::ManagementAccountCannotLeave);
    }
    if org.is_delegated_admin(&account.id) {
        return Err(OrgError::Constraint(
            Constraint::RemoveDelegatedAdministrator,
        ));
    }
    wait_period_over(cx, account)?;
    Ok(Write::new((), vec![Change::PutAccount(departed(account))]))
}

/// An account created in its organization can leave it (or be removed) only once it is
/// `Limits::min_account_age` old; invited accounts can at any time. This is AWS's waiting
/// period: Huawei documents none, so its organizations have none.
pub(crate) fn wait_period_over(cx: &Ctx, account: &Account) -> Result<()> {
    let aws_org = |org_id: &str| {
        cx.state
            .organizations
            .get(org_id)
            .is_some_and(|o| o.id_scheme == crate::ids::IdScheme::Aws)
    };
    match &account.membership {
        Some(m)
            if m.joined_method == JoinedMethod::Created
                && cx.now < m.joined_at.saturating_add(cx.limits.min_account_age)
                && aws_org(&m.org_id) =>
        {
            Err(OrgError::Constraint(Constraint::WaitPeriodActive))
        }
        _ => Ok(()),
    }
}

/// The account as it is once it has left its organization: standalone, without the tags and
/// policies its membership had, and no longer waiting for the end of a post-closure period.
pub(crate) fn departed(account: &Account) -> Account {
    let mut a = account.clone();
    a.membership = None;
    a.tags.clear();
    a.leaves_at = None;
    a
}

/// Starts closing a member account: `PENDING_CLOSURE` now, `SUSPENDED` once the delay has passed,
/// and out of the organization once the post-closure period is over. An organization may close
/// `Limits::close_quota` accounts in a rolling `close_quota_window`.
pub fn close_account(cx: &Ctx, account_id: &str) -> Result<Write<()>> {
    let org = cx.org(Operation::CloseAccount)?;
    if org.feature_set != FeatureSet::All {
        return Err(OrgError::Constraint(Constraint::CloseNeedsAllFeatures));
    }
    let account = member(cx, org, account_id)?;
    if account.id == org.management_account_id {
        return Err(OrgError::Constraint(Constraint::CloseManagementAccount));
    }
    if account.status != AccountStatus::Active {
        return Err(OrgError::AccountAlreadyClosed);
    }
    let members = cx.state.members(&org.id).len().saturating_sub(1);
    let max = cx.limits.close_quota(members);
    let since = (cx.now + 1).saturating_sub(cx.limits.close_quota_window);
    if cx.state.closures_since(&org.id, since) >= max {
        return Err(OrgError::Constraint(Constraint::CloseAccountQuota { max }));
    }
    let mut closing = account.clone();
    closing.status = AccountStatus::PendingClosure;
    closing.closes_at = Some(cx.now + cx.limits.close_account_delay);
    closing.closed_at = Some(cx.now);
    closing.leaves_at = Some(cx.now + cx.limits.post_closure_period);
    Ok(Write::new((), vec![Change::PutAccount(closing)]))
}

/// Sets a member account's description; `None` leaves it as it is, an empty one clears it.
pub fn update_account(
    cx: &Ctx,
    account_id: &str,
    description: Option<&str>,
) -> Result<Write<AccountView>> {
    let org = cx.org(Operation::CloseAccount)?;
    let account = member(cx, org, account_id)?;
    match description.filter(|d| *d != account.description) {
        None => Ok(Write::new(account_view(cx.state, org, account), vec![])),
        Some(d) => {
            let mut updated = account.clone();
            updated.description = d.to_string();
            let view = account_view(cx.state, org, &updated);
            Ok(Write::new(view, vec![Change::PutAccount(updated)]))
        }
    }
}

/// A member account's closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureView {
    pub account_id: String,
    pub org_id: String,
    pub status: AccountStatus,
    pub requested_at: Millis,
    /// When the status last changed: the request, or the suspension once it happened.
    pub updated_at: Millis,
}

/// The member accounts being closed or closed, optionally only those in `states`, by id.
pub fn list_account_closures(cx: &Ctx, states: &[AccountStatus]) -> Result<Vec<ClosureView>> {
    let org = cx.org(Operation::ListAccounts)?;
    Ok(cx
        .state
        .members(&org.id)
        .iter()
        .filter_map(|id| cx.state.accounts.get(id))
        .filter(|a| a.status != AccountStatus::Active)
        .filter(|a| states.is_empty() || states.contains(&a.status))
        .map(|a| {
            let requested_at = a.closed_at.unwrap_or_default();
            ClosureView {
                account_id: a.id.clone(),
                org_id: org.id.clone(),
                status: a.status,
                requested_at,
                updated_at: match (a.status, a.closes_at) {
                    (AccountStatus::Suspended, Some(t)) => t,
                    _ => requested_at,
                },
            }
        })
        .collect())
}

/// CreateGovCloudAccount. AWS creates the GovCloud (US) account only for a management account
/// that has an associated GovCloud account; orgd has no GovCloud partition, so no management
/// account is GovCloud-enabled and the request is refused after the usual checks.
pub fn create_gov_cloud_account(
    cx: &Ctx,
    tags: &[(String, String)],
) -> Result<Write<CreateAccountStatusView>> {
    cx.org(Operation::CreateGovCloudAccount)?;
    new_tags(cx, tags)?;
    Err(OrgError::Constraint(Constraint::GovCloudNotEnabled))
}
