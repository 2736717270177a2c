//! Time-driven transitions: account creation completing, closure finishing, a closed account
//! leaving its organization at the end of its post-closure period. `settle` is called by
//! the engine before serving a request (when something is due) and by a background ticker, so a
//! moved clock or an elapsed delay shows up without anyone polling for it.

use std::collections::{BTreeSet, HashSet};

use crate::config::Limits;
use crate::model::{
    Account, AccountStatus, Change, CreateAccountState, DueKind, JoinedMethod, Membership, Millis,
    State,
};

/// A standalone account as orgd first sees it: a caller it did not know, with a made-up contact.
pub(crate) fn standalone_account(state: &State, id: &str) -> Account {
    state.accounts.get(id).cloned().unwrap_or_else(|| Account {
        id: id.to_string(),
        email: format!("account-{id}@example.com"),
        name: format!("account-{id}"),
        status: AccountStatus::Active,
        closes_at: None,
        closed_at: None,
        leaves_at: None,
        description: String::new(),
        membership: None,
        tags: Default::default(),
    })
}

/// Orgd remembers every account that calls it: a first-time caller becomes a standalone account.
pub fn remember_caller(state: &State, caller: &str) -> Option<Change> {
    (!state.accounts.contains_key(caller))
        .then(|| Change::PutAccount(standalone_account(state, caller)))
}

/// The changes that every transition due at `now` makes. Only the due transitions are looked at
/// (`State::due_at`), so a settle costs what it changes, not what the state holds.
pub fn settle(state: &State, now: Millis, limits: &Limits) -> Vec<Change> {
    let mut handshakes = BTreeSet::new();
    let mut closing = BTreeSet::new();
    let mut departing = BTreeSet::new();
    let mut due = Vec::new();
    for (kind, id) in state.due_at(now) {
        match kind {
            DueKind::Handshake => {
                handshakes.insert(id);
            }
            DueKind::Closure => {
                closing.insert(id);
            }
            DueKind::Departure => {
                departing.insert(id);
            }
            DueKind::Creation => due.extend(state.create_requests.get(id)),
        }
    }
    let mut changes = Vec::new();
    super::handshakes::settle_handshakes(
        state,
        handshakes
            .into_iter()
            .filter_map(|id| state.handshakes.get(id)),
        limits.handshake_retention,
        &mut changes,
    );
    for account in closing
        .union(&departing)
        .filter_map(|id| state.accounts.get(*id))
    {
        let mut a = account.clone();
        if a.closes_at.is_some_and(|t| t <= now) {
            a.status = AccountStatus::Suspended;
            a.closes_at = None;
        }
        // The post-closure period is over: the account leaves its organization.
        if a.leaves_at.is_some_and(|t| t <= now) && a.membership.is_some() {
            a = super::accounts::departed(&a);
        }
        if a != *account {
            changes.push(Change::PutAccount(a));
        }
    }
    due.retain(|r| r.state == CreateAccountState::InProgress && r.completes_at <= now);
    due.sort_by(|a, b| (a.requested_at, &a.id).cmp(&(b.requested_at, &b.id)));
    let mut taken_emails: HashSet<String> = HashSet::new();
    let mut added: std::collections::HashMap<&str, usize> = Default::default();
    for req in due {
        let mut r = req.clone();
        r.completed_at = Some(req.completes_at.max(req.requested_at));
        let email = req.email.to_ascii_lowercase();
        let org = state.organizations.get(&req.org_id);
        let members =
            state.members(&req.org_id).len() + added.get(req.org_id.as_str()).copied().unwrap_or(0);
        let failure = if org.is_none() {
            Some("INTERNAL_FAILURE")
        } else if !email.is_empty() && (taken_emails.contains(&email) || state.email_in_use(&email))
        {
            Some("EMAIL_ALREADY_EXISTS")
        } else if members >= limits.max_accounts {
            Some("ACCOUNT_LIMIT_EXCEEDED")
        } else {
            None
        };
        match (failure, org) {
            (None, Some(org)) => {
                taken_emails.insert(email);
                *added.entry(req.org_id.as_str()).or_default() += 1;
                r.state = CreateAccountState::Succeeded;
                changes.push(Change::PutAccount(Account {
                    id: req.account_id.clone(),
                    email: req.email.clone(),
                    name: req.account_name.clone(),
                    status: AccountStatus::Active,
                    closes_at: None,
                    closed_at: None,
                    leaves_at: None,
                    description: req.description.clone(),
                    membership: Some(Membership {
                        org_id: org.id.clone(),
                        parent_id: org.root_id.clone(),
                        joined_method: JoinedMethod::Created,
                        joined_at: r.completed_at.unwrap_or(now),
                        policies: super::policies::new_target_policies(state, org),
                    }),
                    tags: req.tags.clone(),
                }));
            }
            (reason, _) => {
                r.state = CreateAccountState::Failed;
                r.failure_reason = reason.map(str::to_string);
            }
        }
        changes.push(Change::PutCreateAccountRequest(r));
    }
    changes
}
