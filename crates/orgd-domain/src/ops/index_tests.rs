//! `State`'s indexes: they stay equal to indexes rebuilt from the entities across long, varied
//! sequences of operations (the `World` of `testkit` also checks this after every write and
//! settle), whatever order a store loads the entities in; and the rules that now read them
//! (quotas counting pending requests, reserved account ids, due transitions, filtered listings)
//! behave as before.

use super::testkit::{SeqIds, World, new_policy};
use super::*;
use crate::error::{Constraint, HandshakeConstraint, OrgError};
use crate::ids::{IdScheme, IdSource};
use crate::model::{
    Change, CreateAccountState, DueKind, FeatureSet, HandshakeAction, Millis, Recipient, State,
};
use crate::policy::PolicyType;
use PolicyMode::Enforced;

const DAY: Millis = 24 * 60 * 60 * 1000;
const MGMTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];
/// Accounts that call but start in no organization: the walk invites them.
const OTHERS: [&str; 4] = [
    "444444444444",
    "555555555555",
    "666666666666",
    "777777777777",
];
const TAG: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"}}}}"#;

fn all() -> PageRequest {
    PageRequest {
        after: None,
        limit: 1000,
    }
}

/// Every entity of the state as the puts a store would load, in an order `shuffle` picks.
fn puts(s: &State, shuffle: &mut SeqIds) -> Vec<Change> {
    let mut v: Vec<Change> = Vec::new();
    v.extend(
        s.organizations
            .values()
            .cloned()
            .map(Change::PutOrganization),
    );
    v.extend(s.roots.values().cloned().map(Change::PutRoot));
    v.extend(s.ous.values().cloned().map(Change::PutOu));
    v.extend(s.accounts.values().cloned().map(Change::PutAccount));
    v.extend(
        s.create_requests
            .values()
            .cloned()
            .map(Change::PutCreateAccountRequest),
    );
    v.extend(s.handshakes.values().cloned().map(Change::PutHandshake));
    v.extend(s.policies.values().cloned().map(Change::PutPolicy));
    v.extend(
        s.transfers
            .values()
            .cloned()
            .map(Change::PutResponsibilityTransfer),
    );
    for i in (1..v.len()).rev() {
        v.swap(i, shuffle.below(i + 1));
    }
    v
}

/// One of `items`, chosen by `r` (None when there is none).
fn one<T: Clone>(r: &mut SeqIds, items: impl IntoIterator<Item = T>) -> Option<T> {
    let v: Vec<T> = items.into_iter().collect();
    (!v.is_empty()).then(|| v[r.below(v.len())].clone())
}

/// The most of each kind of entity a walk had at once: proof that it reached them.
#[derive(Debug, Default)]
struct Seen {
    organizations: usize,
    ous: usize,
    requests: usize,
    failed_requests: usize,
    handshakes: usize,
    approvals: usize,
    policies: usize,
    closing: usize,
}

impl Seen {
    fn note(&mut self, s: &State) {
        let max = |a: &mut usize, b: usize| *a = (*a).max(b);
        max(&mut self.organizations, s.organizations.len());
        max(&mut self.ous, s.ous.len());
        max(&mut self.requests, s.create_requests.len());
        let failed = s.create_requests.values();
        let failed = failed.filter(|r| r.state == CreateAccountState::Failed);
        max(&mut self.failed_requests, failed.count());
        max(&mut self.handshakes, s.handshakes.len());
        let approvals = s.handshakes.values().filter(|h| h.parent_id.is_some());
        max(&mut self.approvals, approvals.count());
        max(&mut self.policies, s.policies.len());
        let closing = s.accounts.values().filter(|a| a.closes_at.is_some());
        max(&mut self.closing, closing.count());
    }
}

/// A random-ish but deterministic walk through the operations that change what the indexes
/// cover. Failing operations are part of the walk (they must change nothing).
fn walk(seed: u64, steps: usize) -> World {
    walk_seen(seed, steps).0
}

fn walk_seen(seed: u64, steps: usize) -> (World, Seen) {
    let mut seen = Seen::default();
    let mut w = World::new();
    let mut r = SeqIds(seed);
    let emails: Vec<String> = (0..40).map(|i| format!("user{i}@example.com")).collect();
    for step in 0..steps {
        let callers: Vec<String> = MGMTS
            .iter()
            .chain(&OTHERS)
            .map(|s| s.to_string())
            .chain(w.state.accounts.keys().cloned())
            .collect();
        // Half the calls come from a management account (most operations need one).
        let caller = match r.below(2) {
            0 => one(&mut r, MGMTS).unwrap().to_string(),
            _ => one(&mut r, callers).unwrap(),
        };
        let org = w.state.org_of(&caller).cloned();
        let parents: Vec<String> = org
            .as_ref()
            .map(|o| {
                std::iter::once(o.root_id.clone())
                    .chain(w.state.ous_of(&o.id).iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        let members: Vec<String> = org
            .as_ref()
            .map(|o| w.state.members(&o.id).iter().cloned().collect())
            .unwrap_or_default();
        let handshakes: Vec<String> = w.state.handshakes.keys().cloned().collect();
        let delay = if r.below(2) == 0 { 0 } else { 3 * DAY };
        w.limits.create_account_delay = delay;
        w.limits.close_account_delay = delay;
        let _ = match r.below(18) {
            0 => {
                let fs = if r.below(2) == 0 {
                    FeatureSet::All
                } else {
                    FeatureSet::ConsolidatedBilling
                };
                w.write(&caller, |cx, ids| {
                    create_organization(cx, ids, Some(fs), IdScheme::Aws)
                })
                .map(drop)
            }
            1 | 2 => match one(&mut r, parents.clone()) {
                Some(p) => w
                    .write(&caller, |cx, ids| {
                        create_organizational_unit(cx, ids, &p, &format!("ou{step}"), &[])
                    })
                    .map(drop),
                None => Ok(()),
            },
            3..=5 => {
                let email = one(&mut r, emails.clone()).unwrap();
                w.write(&caller, |cx, ids| {
                    create_account(cx, ids, &email, "A", &[("k".into(), "v".into())], None)
                })
                .map(drop)
            }
            6 => match (one(&mut r, members.clone()), one(&mut r, parents.clone())) {
                (Some(a), Some(dest)) => {
                    let src = w.state.accounts[&a].parent_id().unwrap().to_string();
                    w.write(&caller, |cx, _| move_account(cx, &a, &src, &dest))
                        .map(drop)
                }
                _ => Ok(()),
            },
            7 => match one(&mut r, members.clone()) {
                Some(a) if r.below(2) == 0 => w.write(&caller, |cx, _| close_account(cx, &a)),
                Some(a) => w.write(&caller, |cx, _| remove_account_from_organization(cx, &a)),
                None => Ok(()),
            },
            8 => match one(&mut r, parents.iter().skip(1).cloned()) {
                Some(ou) => w.write(&caller, |cx, _| delete_organizational_unit(cx, &ou)),
                None => Ok(()),
            },
            9 | 10 => {
                let target = match one(&mut r, w.state.accounts.values().cloned()) {
                    Some(a) if r.below(3) == 0 => InviteTarget::Email(a.email.to_uppercase()),
                    Some(a) if r.below(2) == 0 => InviteTarget::Account(a.id),
                    _ => InviteTarget::Account(one(&mut r, OTHERS).unwrap().to_string()),
                };
                w.write(&caller, |cx, ids| {
                    invite_account_to_organization(cx, ids, target, None, &[])
                })
                .map(drop)
            }
            11 | 12 => match one(&mut r, handshakes) {
                Some(h) => {
                    // The recipient (or someone else: that fails) acts on it.
                    let who = match &w.state.handshakes[&h].recipient {
                        Recipient::Account(id) if r.below(4) > 0 => id.clone(),
                        Recipient::Email(e) if r.below(4) > 0 => w
                            .state
                            .account_by_email(e)
                            .map_or(caller.clone(), |a| a.id.clone()),
                        _ => caller.clone(),
                    };
                    match r.below(5) {
                        0..=2 => w.write(&who, |cx, _| accept_handshake(cx, &h)).map(drop),
                        3 => w.write(&who, |cx, _| decline_handshake(cx, &h)).map(drop),
                        _ => w.write(&caller, |cx, _| cancel_handshake(cx, &h)).map(drop),
                    }
                }
                None => Ok(()),
            },
            13 => w
                .write(&caller, |cx, ids| enable_all_features(cx, ids))
                .map(drop),
            14 => match (org.as_ref(), one(&mut r, parents.iter().chain(&members))) {
                (Some(o), Some(target)) => {
                    let root = o.root_id.clone();
                    let _ = w.write(&caller, |cx, _| {
                        enable_policy_type(cx, &root, PolicyType::Tag)
                    });
                    let p = w.write(&caller, |cx, ids| {
                        create_policy(
                            cx,
                            ids,
                            Enforced,
                            &new_policy(PolicyType::Tag, &format!("p{step}"), TAG),
                        )
                    });
                    match p {
                        Ok(p) => w
                            .write(&caller, |cx, _| attach_policy(cx, Enforced, &p.id, target))
                            .map(drop),
                        Err(e) => Err(e),
                    }
                }
                _ => Ok(()),
            },
            15 => match org.as_ref() {
                Some(o) => {
                    let root = o.root_id.clone();
                    w.write(&caller, |cx, _| {
                        disable_policy_type(cx, &root, PolicyType::Tag)
                    })
                    .map(drop)
                }
                None => Ok(()),
            },
            16 => match r.below(3) {
                0 => w.write(&caller, |cx, _| delete_organization(cx)),
                1 => w.write(&caller, |cx, _| leave_organization(cx)),
                _ => Ok(()),
            },
            _ => {
                w.advance(one(&mut r, [0, 1, DAY, 4 * DAY, 16 * DAY, 31 * DAY]).unwrap());
                Ok(())
            }
        };
        // Remember first-time callers the way the adapter does.
        if let Some(c) = remember_caller(&w.state, &caller) {
            w.state.apply(c);
        }
        w.state.assert_indexes_true();
        seen.note(&w.state);
    }
    (w, seen)
}

#[test]
fn indexes_stay_true_across_varied_operation_sequences() {
    for seed in [1, 2, 3, 4] {
        let (mut w, seen) = walk_seen(seed, 700);
        // The walk must have reached the states the indexes cover.
        assert!(seen.organizations > 1, "seed {seed}: {seen:?}");
        assert!(seen.ous > 2, "seed {seed}: {seen:?}");
        assert!(seen.requests > 10, "seed {seed}: {seen:?}");
        assert!(seen.failed_requests > 0, "seed {seed}: {seen:?}");
        assert!(seen.handshakes > 2, "seed {seed}: {seen:?}");
        assert!(seen.policies > 0, "seed {seed}: {seen:?}");
        assert!(seen.closing > 0, "seed {seed}: {seen:?}");
        // (An expiry settles first; forgetting the expired handshake is a second settle.)
        w.advance(400 * DAY);
        w.advance(0);
        assert!(!w.state.has_due(w.now + 100 * DAY));
    }
}

#[test]
fn indexes_do_not_depend_on_the_order_entities_are_loaded_in() {
    let w = walk(11, 500);
    let mut shuffle = SeqIds(99);
    for _ in 0..3 {
        let loaded = State::from_changes(puts(&w.state, &mut shuffle));
        loaded.assert_indexes_true();
        assert!(loaded.indexes_eq(&w.state));
        assert_eq!(loaded.next_due(), w.state.next_due());
    }
}

#[test]
fn puts_that_replace_and_deletes_take_back_what_they_indexed() {
    let mut w = walk(5, 300);
    // Replace every entity with itself, then with a changed version, then delete what can be.
    let mut shuffle = SeqIds(3);
    for c in puts(&w.state.clone(), &mut shuffle) {
        w.state.apply(c);
    }
    w.state.assert_indexes_true();
    let requests: Vec<_> = w.state.create_requests.values().cloned().collect();
    for mut r in requests {
        r.state = CreateAccountState::Failed;
        r.org_id = "o-elsewhere0".into();
        r.account_id = format!("9{}", &r.account_id[1..]);
        w.state.apply(Change::PutCreateAccountRequest(r));
    }
    let handshakes: Vec<_> = w.state.handshakes.values().cloned().collect();
    for mut h in handshakes {
        h.recipient = Recipient::Email("Someone@Example.com".into());
        h.expires_at += 1;
        w.state.apply(Change::PutHandshake(h));
    }
    w.state.assert_indexes_true();
    let ids: Vec<String> = w.state.create_requests.keys().cloned().collect();
    for id in ids {
        w.state.apply(Change::DeleteCreateAccountRequest(id));
    }
    let ids: Vec<String> = w.state.handshakes.keys().cloned().collect();
    for id in ids {
        w.state.apply(Change::DeleteHandshake(id));
    }
    let ids: Vec<String> = w.state.ous.keys().cloned().collect();
    for id in ids {
        w.state.apply(Change::DeleteOu(id));
    }
    let ids: Vec<String> = w.state.policies.keys().cloned().collect();
    for id in ids {
        w.state.apply(Change::DeletePolicy(id));
    }
    w.state.assert_indexes_true();
    assert!(
        w.state
            .handshakes_to(&Recipient::Email("someone@EXAMPLE.com".into()))
            .is_empty()
    );
}

fn org_world(max_accounts: usize) -> World {
    let mut w = World::new();
    w.limits.max_accounts = max_accounts;
    w.write(MGMTS[0], |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
    w
}

fn create(w: &mut World, email: &str) -> crate::Result<CreateAccountStatusView> {
    w.write(MGMTS[0], |cx, ids| {
        create_account(cx, ids, email, "A", &[], None)
    })
}

#[test]
fn pending_requests_count_toward_the_account_quota_until_they_settle() {
    let mut w = org_world(4);
    w.limits.create_account_delay = 1_000;
    create(&mut w, "a@example.com").unwrap();
    create(&mut w, "b@example.com").unwrap();
    // An email used twice: the second request fails when it settles.
    create(&mut w, "a@example.com").unwrap();
    // 1 member and 3 requests in progress: the quota of 4 is reached.
    let err = create(&mut w, "c@example.com").unwrap_err();
    assert!(
        matches!(err, OrgError::Constraint(Constraint::AccountLimit { .. })),
        "{err:?}"
    );
    w.advance(1_000);
    // 3 members; the failed request no longer counts.
    let org = w.state.organizations.values().next().unwrap().id.clone();
    assert_eq!(w.state.members(&org).len(), 3);
    assert_eq!(
        w.state
            .requests_in(&org, CreateAccountState::InProgress)
            .len(),
        0
    );
    assert_eq!(
        w.state.requests_in(&org, CreateAccountState::Failed).len(),
        1
    );
    create(&mut w, "c@example.com").unwrap();
    let err = create(&mut w, "d@example.com").unwrap_err();
    assert!(
        matches!(err, OrgError::Constraint(Constraint::AccountLimit { .. })),
        "{err:?}"
    );
}

/// Replays a script of draws, then behaves like `SeqIds`.
struct Script(Vec<usize>, SeqIds);

impl IdSource for Script {
    fn below(&mut self, n: usize) -> usize {
        if self.0.is_empty() {
            self.1.below(n)
        } else {
            self.0.remove(0) % n
        }
    }
}

#[test]
fn an_account_id_chosen_by_any_request_is_never_chosen_again() {
    let mut w = org_world(100);
    // The first request (it fails: the email is the management account's) picks 1 followed by
    // eleven 0s.
    let mgmt_email = w.state.accounts[MGMTS[0]].email.clone();
    let mut script = Script(vec![0; 12 + 32], SeqIds(1));
    let first = {
        let cx = Ctx {
            state: &w.state,
            caller: MGMTS[0],
            now: w.now,
            limits: &w.limits,
        };
        create_account(&cx, &mut script, &mgmt_email, "A", &[], None).unwrap()
    };
    assert_eq!(first.output.account_id, "100000000000");
    for c in first.changes {
        w.state.apply(c);
    }
    w.advance(0);
    let failed = w.state.create_requests.values().next().unwrap();
    assert_eq!(failed.state, CreateAccountState::Failed);
    assert!(!w.state.accounts.contains_key("100000000000"));
    assert!(w.state.account_id_taken("100000000000"));
    // The same draws again: the id (and the request id) are taken, so fresh ones are drawn.
    let mut script = Script(vec![0; 12 + 32], SeqIds(1));
    let cx = Ctx {
        state: &w.state,
        caller: MGMTS[0],
        now: w.now,
        limits: &w.limits,
    };
    let second = create_account(&cx, &mut script, "new@example.com", "B", &[], None).unwrap();
    assert_ne!(second.output.account_id, "100000000000");
    assert_ne!(second.output.id, failed.id);
}

#[test]
fn due_transitions_are_exactly_the_pending_ones() {
    let mut w = org_world(100);
    assert_eq!(w.state.next_due(), None);
    w.limits.create_account_delay = 5_000;
    let req = create(&mut w, "a@example.com").unwrap();
    assert_eq!(w.state.next_due(), Some(w.now + 5_000));
    assert!(!w.state.has_due(w.now + 4_999));
    assert!(w.state.has_due(w.now + 5_000));
    w.advance(5_000);
    assert_eq!(w.state.next_due(), None);
    let account = w.state.create_requests[&req.id].account_id.clone();

    w.limits.close_account_delay = 7_000;
    w.write(MGMTS[0], |cx, _| close_account(cx, &account))
        .unwrap();
    assert_eq!(w.state.next_due(), Some(w.now + 7_000));
    let invite = w
        .write(MGMTS[0], |cx, ids| {
            invite_account_to_organization(
                cx,
                ids,
                InviteTarget::Account(MGMTS[1].into()),
                None,
                &[],
            )
        })
        .unwrap();
    let expires = invite.handshake.expires_at;
    let due: Vec<_> = w
        .state
        .due_at(expires)
        .map(|(k, id)| (k, id.to_string()))
        .collect();
    assert_eq!(
        due,
        vec![
            (DueKind::Closure, account.clone()),
            (DueKind::Handshake, invite.handshake.id.clone())
        ]
    );
    w.advance(7_000);
    assert_eq!(w.state.next_due(), Some(expires));
    w.advance(expires - w.now);
    // Expired: now due to be forgotten after the retention.
    assert_eq!(
        w.state.next_due(),
        Some(expires + w.limits.handshake_retention)
    );
    w.advance(w.limits.handshake_retention);
    assert!(w.state.handshakes.is_empty());
    // The closed account's post-closure period is still running.
    let leaves = w.state.accounts[&account].leaves_at.unwrap();
    assert_eq!(w.state.next_due(), Some(leaves));
    assert_eq!(
        w.state.due_at(leaves).collect::<Vec<_>>(),
        vec![(DueKind::Departure, account.as_str())]
    );
    w.advance(leaves - w.now);
    assert!(w.state.accounts[&account].membership.is_none());
    assert_eq!(w.state.next_due(), None);
    // A settle with nothing due changes nothing.
    assert!(settle(&w.state, w.now + DAY, &w.limits).is_empty());
}

#[test]
fn create_account_status_filters_page_like_a_filtered_listing() {
    let mut w = org_world(100);
    w.limits.create_account_delay = 1_000;
    for i in 0..9 {
        create(&mut w, &format!("u{}@example.com", i % 6)).unwrap();
    }
    w.advance(1_000);
    for i in 0..4 {
        create(&mut w, &format!("v{i}@example.com")).unwrap();
    }
    let org = w.state.organizations.values().next().unwrap().id.clone();
    use CreateAccountState::*;
    for states in [
        vec![],
        vec![InProgress],
        vec![Failed],
        vec![Succeeded, InProgress],
        vec![Failed, Succeeded, Failed],
        vec![InProgress, Failed, Succeeded],
    ] {
        let expect: Vec<String> = w
            .state
            .requests_of(&org)
            .iter()
            .filter(|id| states.is_empty() || states.contains(&w.state.create_requests[*id].state))
            .cloned()
            .collect();
        for limit in [1, 2, 3, 20] {
            let mut got = Vec::new();
            let mut after = None;
            loop {
                let page = w
                    .read(MGMTS[0], |cx| {
                        list_create_account_status(
                            cx,
                            &states,
                            &PageRequest {
                                after: after.clone(),
                                limit,
                            },
                        )
                    })
                    .unwrap();
                assert!(page.items.len() <= limit);
                got.extend(page.items.into_iter().map(|r| r.id));
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            assert_eq!(got, expect, "states {states:?}, pages of {limit}");
        }
    }
}

#[test]
fn page_keys_union_pages_the_union() {
    let mut r = SeqIds(5);
    for _ in 0..50 {
        let sets: Vec<std::collections::BTreeSet<String>> = (0..r.below(4))
            .map(|_| {
                (0..r.below(12))
                    .map(|_| format!("k{:02}", r.below(30)))
                    .collect()
            })
            .collect();
        let union: std::collections::BTreeSet<String> = sets.iter().flatten().cloned().collect();
        let refs: Vec<&std::collections::BTreeSet<String>> = sets.iter().collect();
        for limit in [0, 1, 2, 5, 100] {
            for after in [None, Some("k10".to_string()), Some("k99".to_string())] {
                let req = PageRequest {
                    after: after.clone(),
                    limit,
                };
                let a = page_keys_union(&refs, &req);
                let b = page_keys(&union, &req);
                assert_eq!(a.items, b.items);
                assert_eq!(a.next, b.next);
            }
        }
    }
}

#[test]
fn handshake_listings_and_enable_all_features_use_the_indexes_alike() {
    let mut w = World::new();
    w.write(MGMTS[0], |cx, ids| {
        create_organization(
            cx,
            ids,
            Some(FeatureSet::ConsolidatedBilling),
            IdScheme::Aws,
        )
    })
    .unwrap();
    let org = w.state.organizations.values().next().unwrap().id.clone();
    // Two invited members: one invited by account id, one by email in another case.
    for (who, target) in [
        (MGMTS[1], InviteTarget::Account(MGMTS[1].into())),
        (
            MGMTS[2],
            InviteTarget::Email(format!("ACCOUNT-{}@Example.COM", MGMTS[2])),
        ),
    ] {
        if let Some(c) = remember_caller(&w.state, who) {
            w.state.apply(c);
        }
        let inv = w
            .write(MGMTS[0], |cx, ids| {
                invite_account_to_organization(cx, ids, target, None, &[])
            })
            .unwrap();
        let mine = w
            .read(who, |cx| {
                list_handshakes_for_account(cx, &HandshakeFilter::default(), &all())
            })
            .unwrap();
        assert_eq!(mine.items.len(), 1);
        assert_eq!(mine.items[0].handshake.id, inv.handshake.id);
        w.write(who, |cx, _| accept_handshake(cx, &inv.handshake.id))
            .unwrap();
    }
    assert_eq!(w.state.members(&org).len(), 3);
    // Invited again: already a member, found through the email index without regard to case.
    let err = w
        .write(MGMTS[0], |cx, ids| {
            invite_account_to_organization(
                cx,
                ids,
                InviteTarget::Email(format!("account-{}@EXAMPLE.com", MGMTS[2])),
                None,
                &[],
            )
        })
        .unwrap_err();
    assert!(
        matches!(err, OrgError::Handshake(HandshakeConstraint::AlreadyMember)),
        "{err:?}"
    );
    let parent = w
        .write(MGMTS[0], |cx, ids| enable_all_features(cx, ids))
        .unwrap();
    let approvals = w.state.approvals_of(&parent.handshake.id).clone();
    assert_eq!(approvals.len(), 2);
    assert_eq!(
        w.state
            .handshakes_of(&org, HandshakeAction::ApproveAllFeatures),
        &approvals
    );
    let listed = w
        .read(MGMTS[0], |cx| {
            list_handshakes_for_organization(cx, &HandshakeFilter::default(), &all())
        })
        .unwrap();
    assert_eq!(listed.items.len(), 2 + 1 + 2);
    // Each invited member approves; the request opens once the last one has.
    for (i, m) in [MGMTS[1], MGMTS[2]].into_iter().enumerate() {
        let mine = w
            .read(m, |cx| {
                list_handshakes_for_account(cx, &HandshakeFilter::default(), &all())
            })
            .unwrap();
        let h = mine
            .items
            .iter()
            .find(|h| h.handshake.action == HandshakeAction::ApproveAllFeatures)
            .unwrap()
            .handshake
            .id
            .clone();
        w.write(m, |cx, _| accept_handshake(cx, &h)).unwrap();
        let state = w.state.handshakes[&parent.handshake.id].state;
        assert_eq!(state == crate::model::HandshakeState::Open, i == 1);
    }
}
