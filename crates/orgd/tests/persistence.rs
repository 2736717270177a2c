//! State survives a restart: a second server over the same data directory serves the same
//! organization, OUs, accounts, tags and account-creation history, and keeps working from there.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{
    AccountStatus, ChildType, CreateAccountFailureReason, CreateAccountState,
};
use common::*;
use orgd::ServeConfig;

const MINUTE_MS: i64 = 60_000;

/// An OU: (id, arn, name, path, parent).
type OuRow = (String, String, String, String, String);
/// An account: (id, arn, name, email, status, joined, paths).
type AccountRow = (String, String, String, String, String, i64, Vec<String>);
/// A CreateAccount request: (request id, state, account id, failure reason).
type CreationRow = (String, String, Option<String>, Option<String>);

/// Everything a user would look at, as plain values to compare across restarts.
#[derive(Debug, PartialEq)]
struct Snapshot {
    organization: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
    roots: Vec<(Option<String>, Option<String>, Option<String>)>,
    ous: BTreeSet<OuRow>,
    accounts: BTreeSet<AccountRow>,
    /// (resource, sorted tags)
    tags: Vec<(String, Vec<(String, String)>)>,
    creations: BTreeSet<CreationRow>,
}

async fn ous_under(c: &Client, parent: &str, out: &mut BTreeSet<OuRow>) {
    let mut todo = vec![parent.to_string()];
    while let Some(p) = todo.pop() {
        let pages: Vec<_> = c
            .list_organizational_units_for_parent()
            .parent_id(&p)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .unwrap();
        for ou in pages
            .into_iter()
            .flat_map(|page| page.organizational_units.unwrap_or_default())
        {
            let id = ou.id.unwrap();
            todo.push(id.clone());
            out.insert((
                id,
                ou.arn.unwrap(),
                ou.name.unwrap(),
                ou.path.unwrap_or_default(),
                p.clone(),
            ));
        }
    }
}

async fn snapshot(org: &Org, tagged: &[&str]) -> Snapshot {
    let c = &org.client;
    let o = c
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let roots = c
        .list_roots()
        .send()
        .await
        .unwrap()
        .roots
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.arn, r.name))
        .collect();
    let mut ous = BTreeSet::new();
    ous_under(c, &org.root_id, &mut ous).await;
    let pages: Vec<_> = c
        .list_accounts()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let accounts = pages
        .into_iter()
        .flat_map(|p| p.accounts.unwrap_or_default())
        .map(|a| {
            (
                a.id.unwrap(),
                a.arn.unwrap(),
                a.name.unwrap(),
                a.email.unwrap(),
                a.status.unwrap().as_str().to_string(),
                a.joined_timestamp.unwrap().secs(),
                a.paths.unwrap_or_default(),
            )
        })
        .collect();
    let mut tags = Vec::new();
    for r in tagged {
        let mut t = org.tags_of(r).await;
        t.sort();
        tags.push((r.to_string(), t));
    }
    let pages: Vec<_> = c
        .list_create_account_status()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let creations = pages
        .into_iter()
        .flat_map(|p| p.create_account_statuses.unwrap_or_default())
        .map(|s| {
            (
                s.id.unwrap(),
                s.state.unwrap().as_str().to_string(),
                s.account_id,
                s.failure_reason.map(|f| f.as_str().to_string()),
            )
        })
        .collect();
    Snapshot {
        organization: (o.id, o.arn, o.master_account_id, o.master_account_email),
        roots,
        ous,
        accounts,
        tags,
        creations,
    }
}

#[tokio::test]
async fn a_restart_serves_the_same_organization() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_with(persistent(dir.path())).await;
    let org = create_org(&server).await;
    let c = &org.client;
    let eng = org.new_ou(&org.root_id, "Engineering").await;
    let platform = org.new_ou(&eng, "Platform").await;
    let renamed = org.new_ou(&org.root_id, "Old name").await;
    c.update_organizational_unit()
        .organizational_unit_id(&renamed)
        .name("New name")
        .send()
        .await
        .unwrap();
    let deleted = org.new_ou(&org.root_id, "Deleted").await;
    c.delete_organizational_unit()
        .organizational_unit_id(&deleted)
        .send()
        .await
        .unwrap();

    let moved = org
        .new_account_with("moved", "moved@example.com", &[("team", "platform")])
        .await;
    c.move_account()
        .account_id(&moved)
        .source_parent_id(&org.root_id)
        .destination_parent_id(&platform)
        .send()
        .await
        .unwrap();
    let closed = org.new_account("closed").await;
    c.close_account().account_id(&closed).send().await.unwrap();
    let removed = org.new_account("removed").await;
    after_wait_period(&server);
    c.remove_account_from_organization()
        .account_id(&removed)
        .send()
        .await
        .unwrap();
    let failed = c
        .create_account()
        .account_name("dup")
        .email("moved@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap()
        .id
        .unwrap();
    assert_eq!(
        wait_for_create(c, &failed).await.failure_reason(),
        Some(&CreateAccountFailureReason::EmailAlreadyExists)
    );
    c.tag_resource()
        .resource_id(&org.root_id)
        .tags(tag("scope", "org"))
        .send()
        .await
        .unwrap();
    c.tag_resource()
        .resource_id(&eng)
        .tags(tag("cost-center", "42"))
        .tags(tag("owner", "eng"))
        .send()
        .await
        .unwrap();
    c.untag_resource()
        .resource_id(&eng)
        .tag_keys("owner")
        .send()
        .await
        .unwrap();

    let tagged = [org.root_id.as_str(), &eng, &platform, &moved, &closed];
    let before = snapshot(&org, &tagged).await;
    // The snapshot holds what was done, so comparing snapshots compares something.
    assert_eq!(before.ous.len(), 3, "{:?}", before.ous);
    assert_eq!(before.accounts.len(), 3, "{:?}", before.accounts);
    assert!(
        before
            .accounts
            .iter()
            .any(|a| a.0 == closed && a.4 == "SUSPENDED")
    );
    assert_eq!(before.creations.len(), 4, "{:?}", before.creations);
    assert_eq!(
        before.tags[1].1,
        pairs(&[("cost-center", "42")]),
        "{:?}",
        before.tags
    );
    server.stop().await.unwrap();

    let server = start_with(persistent(dir.path())).await;
    let again = Org {
        client: client(&server, MGMT),
        id: org.id.clone(),
        root_id: org.root_id.clone(),
    };
    let after = snapshot(&again, &tagged).await;
    assert_eq!(after, before);
    // The removed account is still standalone, and the member still a member.
    assert_eq!(
        error_code(
            client(&server, &removed)
                .describe_organization()
                .send()
                .await
        ),
        "AWSOrganizationsNotInUseException"
    );
    let seen = client(&server, &moved)
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(seen.id(), Some(org.id.as_str()));

    // The restarted server keeps working on the same organization, and remembers that too.
    let newer_ou = again.new_ou(&platform, "Newer").await;
    let newer_account = again.new_account("newer").await;
    let duplicate = again
        .client
        .create_organizational_unit()
        .parent_id(&eng)
        .name("Platform")
        .send()
        .await;
    assert_eq!(
        error_code(duplicate),
        "DuplicateOrganizationalUnitException"
    );
    server.stop().await.unwrap();

    let server = start_with(persistent(dir.path())).await;
    let third = Org {
        client: client(&server, MGMT),
        id: org.id.clone(),
        root_id: org.root_id.clone(),
    };
    let children = third
        .client
        .list_children()
        .parent_id(&platform)
        .child_type(ChildType::OrganizationalUnit)
        .send()
        .await
        .unwrap()
        .children
        .unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].id(), Some(newer_ou.as_str()));
    assert!(third.account_ids().await.contains(&newer_account));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn pending_work_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let slow = || ServeConfig {
        create_account_delay_ms: MINUTE_MS as u32,
        close_account_delay_ms: MINUTE_MS as u32,
        ..persistent(dir.path())
    };
    let server = start_with(slow()).await;
    let org = create_org(&server).await;
    // One account exists already (made before the delays matter, by waiting them out).
    let started = org
        .client
        .create_account()
        .account_name("first")
        .email("first@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    server.engine.clock().advance(MINUTE_MS);
    let first = wait_for_create(&org.client, started.id().unwrap())
        .await
        .account_id
        .unwrap();
    org.client
        .close_account()
        .account_id(&first)
        .send()
        .await
        .unwrap();
    let pending = org
        .client
        .create_account()
        .account_name("second")
        .email("second@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap()
        .id
        .unwrap();
    assert_eq!(
        org.describe_account(&first).await.status(),
        Some(&AccountStatus::PendingClosure)
    );
    server.stop().await.unwrap();

    let server = start_with(slow()).await;
    let org = Org {
        client: client(&server, MGMT),
        ..org
    };
    assert_eq!(
        org.describe_account(&first).await.status(),
        Some(&AccountStatus::PendingClosure)
    );
    let status = org
        .client
        .describe_create_account_status()
        .create_account_request_id(&pending)
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    assert_eq!(status.state(), Some(&CreateAccountState::InProgress));

    // Time passes on the restarted server: both finish.
    server.engine.clock().advance(2 * MINUTE_MS);
    let done = wait_for_create(&org.client, &pending).await;
    assert_eq!(
        done.state(),
        Some(&CreateAccountState::Succeeded),
        "{done:?}"
    );
    assert_eq!(
        org.describe_account(&first).await.status(),
        Some(&AccountStatus::Suspended)
    );
    let second = done.account_id.unwrap();
    assert_eq!(
        org.account_ids().await,
        [MGMT.to_string(), first, second].into()
    );
    server.stop().await.unwrap();
}
