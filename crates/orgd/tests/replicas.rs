//! Several orgd replicas over one PostgreSQL database, driven by the AWS SDK for Rust with
//! conflicting concurrent clients: the organization's invariants hold, the loser of a conflict
//! gets the error a sequential order gives (never a 5xx), a write is visible at once where it was
//! acknowledged and within a second elsewhere, asynchronous work finishes once on the survivors,
//! and a kill -9 of a replica under load loses nothing it acknowledged.
//!
//! The database server comes from `ORGD_TEST_DATABASE_URL` (scripts/test.sh starts one); without
//! it these tests are skipped, unless `ORGD_REQUIRE_POSTGRES=1`, where they fail.

#[macro_use]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::retry::RetryConfig;
use aws_sdk_organizations::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::types::{AccountStatus, CreateAccountState};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use common::*;
use futures_util::future::join_all;
use orgd::{ServeConfig, Server};
use orgd_store::pg_testing;

/// An SDK client for `endpoint` acting as `account`, without retries: every answer is seen.
fn sdk(endpoint: &str, account: &str) -> Client {
    let conf = sdk_config(endpoint, account, "secret", "us-east-1")
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}

/// `Ok` or the AWS error code; panics on a 5xx or on an answer that is not AWS's shape.
fn outcome<T, E>(result: Result<T, SdkError<E, HttpResponse>>) -> Result<T, String>
where
    T: Debug,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(v) => Ok(v),
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            assert!(
                status.is_some_and(|s| s < 500),
                "a replica answered {status:?}: {e:?}"
            );
            Err(ProvideErrorMetadata::code(&e)
                .expect("a client error has a code")
                .to_string())
        }
    }
}

/// Counts of each outcome (`"ok"` or the error code).
fn tally<T>(results: &[Result<T, String>]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in results {
        let key = r.as_ref().map_or_else(Clone::clone, |_| "ok".to_string());
        *out.entry(key).or_default() += 1;
    }
    out
}

/// `n` in-process replicas over a new database, started together; `None` when there is no
/// PostgreSQL to test against.
async fn replicas(label: &str, n: usize, cfg: ServeConfig) -> Option<Vec<Server>> {
    let url = pg_testing::fresh_database(label)?;
    let cfg = ServeConfig {
        database_url: Some(url),
        in_memory: false,
        ..cfg
    };
    Some(join_all((0..n).map(|_| start_with(cfg.clone()))).await)
}

/// `n` calls made at once, call `i` through the client of replica `i % replicas`.
async fn on_replicas<T, F, Fut>(c: &[Client], n: usize, call: F) -> Vec<T>
where
    F: Fn(Client, usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    join_all((0..n).map(|i| call(c[i % c.len()].clone(), i))).await
}

/// Polls `check` until it holds; returns how long that took (panics after `limit`).
async fn within<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn ou_names(c: &Client, parent: &str) -> BTreeMap<String, String> {
    let pages: Vec<_> = c
        .list_organizational_units_for_parent()
        .parent_id(parent)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .expect("ListOrganizationalUnitsForParent");
    pages
        .into_iter()
        .flat_map(|p| p.organizational_units.unwrap_or_default())
        .map(|ou| (ou.name.unwrap_or_default(), ou.id.unwrap_or_default()))
        .collect()
}

async fn root_of(c: &Client) -> String {
    c.list_roots()
        .send()
        .await
        .expect("ListRoots")
        .roots
        .unwrap()[0]
        .id
        .clone()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicting_writes_on_three_replicas_keep_the_invariants() {
    let cfg = ServeConfig {
        max_ous: 12,
        ..ServeConfig::ephemeral()
    };
    let Some(servers) = replicas("orgd_invariants", 3, cfg).await else {
        return;
    };
    let c: Vec<Client> = servers.iter().map(|s| sdk(&s.endpoint(), MGMT)).collect();
    c[0].create_organization().send().await.unwrap();
    let root = root_of(&c[0]).await;
    for other in &c[1..] {
        within(
            Duration::from_secs(1),
            "the organization on every replica",
            || async { other.describe_organization().send().await.is_ok() },
        )
        .await;
    }

    // One name per parent: twelve clients on three replicas create the same OU.
    let same = on_replicas(&c, 12, |c, _| {
        let root = root.clone();
        async move {
            outcome(
                c.create_organizational_unit()
                    .parent_id(root)
                    .name("Shared")
                    .send()
                    .await,
            )
        }
    })
    .await;
    assert_eq!(
        tally(&same),
        BTreeMap::from([
            ("ok".to_string(), 1),
            ("DuplicateOrganizationalUnitException".to_string(), 11)
        ])
    );

    // The OU quota: 24 distinct OUs asked for, 11 more fit.
    let many = on_replicas(&c, 24, |c, i| {
        let root = root.clone();
        async move {
            outcome(
                c.create_organizational_unit()
                    .parent_id(root)
                    .name(format!("Unit {i}"))
                    .send()
                    .await,
            )
        }
    })
    .await;
    assert_eq!(
        tally(&many),
        BTreeMap::from([
            ("ok".to_string(), 11),
            ("ConstraintViolationException".to_string(), 13)
        ])
    );
    let units = ou_names(&c[0], &root).await;
    assert_eq!(units.len(), 12);

    // One parent per account: each account is moved from the root to two OUs at once, from two
    // replicas; one move wins, the other finds the account no longer in the root.
    // Which of the contended creates won is up to the race: take any of them.
    let some_unit = units
        .iter()
        .find(|(name, _)| name.starts_with("Unit "))
        .map(|(_, id)| id.clone())
        .expect("11 units were created");
    let (ou_a, ou_b) = (some_unit, units["Shared"].clone());
    let mut accounts = Vec::new();
    for i in 0..4 {
        let started = c[i % 3]
            .create_account()
            .account_name(format!("member {i}"))
            .email(format!("member{i}@example.com"))
            .send()
            .await
            .unwrap()
            .create_account_status
            .unwrap();
        let done = wait_for_create(&c[i % 3], started.id().unwrap()).await;
        accounts.push(done.account_id().unwrap().to_string());
    }
    let moves = join_all(accounts.iter().flat_map(|account| {
        [(1, &ou_a), (2, &ou_b)].map(|(r, dst)| {
            let c = c[r].clone();
            let (account, root, dst) = (account.clone(), root.clone(), dst.clone());
            async move {
                let r = c
                    .move_account()
                    .account_id(&account)
                    .source_parent_id(root)
                    .destination_parent_id(&dst)
                    .send()
                    .await;
                (account, dst, outcome(r))
            }
        })
    }))
    .await;
    let mut winners = BTreeMap::new();
    for (account, dst, result) in &moves {
        match result {
            Ok(_) => assert!(winners.insert(account.clone(), dst.clone()).is_none()),
            // The loser's account is no longer under the source parent it named.
            Err(code) => assert_eq!(code, "SourceParentNotFoundException"),
        }
    }
    assert_eq!(
        winners.len(),
        accounts.len(),
        "one move of each account won"
    );

    // No lost update: fifteen tags added to one OU at once from three replicas.
    let tagged = on_replicas(&c, 15, |c, i| {
        let ou = ou_a.clone();
        async move {
            outcome(
                c.tag_resource()
                    .resource_id(ou)
                    .tags(tag(&format!("k{i}"), "v"))
                    .send()
                    .await,
            )
        }
    })
    .await;
    assert_eq!(tally(&tagged), BTreeMap::from([("ok".to_string(), 15)]));

    // One organization per management account: a new account creates one on every replica at
    // once.
    let founders = join_all(servers.iter().map(|s| {
        let c = sdk(&s.endpoint(), "222222222222");
        async move { outcome(c.create_organization().send().await) }
    }))
    .await;
    assert_eq!(
        tally(&founders),
        BTreeMap::from([
            ("ok".to_string(), 1),
            ("AlreadyInOrganizationException".to_string(), 2)
        ])
    );

    // Every replica converges on the same state within a second.
    let expected_tags: Vec<(String, String)> = {
        let mut t: Vec<_> = (0..15)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect();
        t.sort();
        t
    };
    for (i, cl) in c.iter().enumerate() {
        within(Duration::from_secs(1), "convergence", || async {
            if ou_names(cl, &root).await != units {
                return false;
            }
            for (account, dst) in &winners {
                let parents = cl
                    .list_parents()
                    .child_id(account)
                    .send()
                    .await
                    .unwrap()
                    .parents
                    .unwrap_or_default();
                if parents.len() != 1 || parents[0].id() != Some(dst.as_str()) {
                    return false;
                }
            }
            let tags = cl
                .list_tags_for_resource()
                .resource_id(&ou_a)
                .send()
                .await
                .unwrap()
                .tags
                .unwrap_or_default();
            let mut tags: Vec<_> = tags.into_iter().map(|t| (t.key, t.value)).collect();
            tags.sort();
            tags == expected_tags
        })
        .await;
        let orgs = servers[i].engine.inspect(|s| s.organizations.len());
        assert_eq!(orgs, 2, "replica {i}");
    }
    for s in servers {
        s.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_is_seen_at_once_where_acknowledged_and_within_a_second_elsewhere() {
    let Some(servers) = replicas("orgd_visibility", 3, ServeConfig::ephemeral()).await else {
        return;
    };
    let c: Vec<Client> = servers.iter().map(|s| sdk(&s.endpoint(), MGMT)).collect();
    c[0].create_organization().send().await.unwrap();
    let root = root_of(&c[0]).await;
    let mut slowest = Duration::ZERO;
    for i in 0..30 {
        let writer = &c[i % 3];
        let ou = writer
            .create_organizational_unit()
            .parent_id(&root)
            .name(format!("Seen {i}"))
            .send()
            .await
            .unwrap()
            .organizational_unit
            .unwrap()
            .id
            .unwrap();
        writer
            .describe_organizational_unit()
            .organizational_unit_id(&ou)
            .send()
            .await
            .expect("the acknowledging replica sees its write at once");
        for reader in [&c[(i + 1) % 3], &c[(i + 2) % 3]] {
            let took = within(
                Duration::from_secs(1),
                "another replica sees the write",
                || {
                    let ou = ou.clone();
                    async move {
                        reader
                            .describe_organizational_unit()
                            .organizational_unit_id(ou)
                            .send()
                            .await
                            .is_ok()
                    }
                },
            )
            .await;
            slowest = slowest.max(took);
        }
    }
    eprintln!("slowest propagation to another replica: {slowest:?}");
    // A reset on one replica wipes the state every replica serves.
    let addr = servers[1].addr.to_string();
    let host = [("host", addr.as_str())];
    let (status, reset) = raw_http(&addr, "POST", "/_orgd/reset", &host, b"").await;
    assert_eq!(status, 200, "{reset}");
    for cl in &c {
        within(
            Duration::from_secs(1),
            "the reset on every replica",
            || async {
                outcome(cl.describe_organization().send().await).err()
                    == Some("AWSOrganizationsNotInUseException".to_string())
            },
        )
        .await;
    }
    // Paging tokens sealed by one replica open on another (they share the key, new after reset).
    c[2].create_organization().send().await.unwrap();
    let root = root_of(&c[2]).await;
    for (i, cl) in c.iter().enumerate() {
        cl.create_organizational_unit()
            .parent_id(&root)
            .name(format!("Paged {i}"))
            .send()
            .await
            .unwrap();
    }
    within(
        Duration::from_secs(1),
        "replica 0 sees the three OUs",
        || async { ou_names(&c[0], &root).await.len() == 3 },
    )
    .await;
    let first = c[0]
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = first.next_token().expect("more pages").to_string();
    let second = c[1]
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .max_results(1)
        .next_token(token)
        .send()
        .await
        .expect("a token from another replica opens");
    assert_eq!(second.organizational_units().len(), 1);
    for s in servers {
        s.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn async_work_acknowledged_by_a_stopped_replica_finishes_once_on_the_survivors() {
    let cfg = ServeConfig {
        create_account_delay_ms: 1500,
        close_account_delay_ms: 1500,
        ..ServeConfig::ephemeral()
    };
    let Some(mut servers) = replicas("orgd_async", 3, cfg).await else {
        return;
    };
    let c: Vec<Client> = servers.iter().map(|s| sdk(&s.endpoint(), MGMT)).collect();
    c[0].create_organization().send().await.unwrap();
    let first = c[0]
        .create_account()
        .account_name("closing")
        .email("closing@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    let closing = wait_for_create(&c[0], first.id().unwrap())
        .await
        .account_id()
        .unwrap()
        .to_string();
    // The victim acknowledges a CreateAccount and a CloseAccount, then stops.
    let pending = c[0]
        .create_account()
        .account_name("pending")
        .email("pending@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    c[0].close_account()
        .account_id(&closing)
        .send()
        .await
        .unwrap();
    servers.remove(0).stop().await.unwrap();

    for cl in &c[1..] {
        within(
            Duration::from_secs(1),
            "the request on a survivor",
            || async {
                cl.describe_create_account_status()
                    .create_account_request_id(pending.id().unwrap())
                    .send()
                    .await
                    .is_ok()
            },
        )
        .await;
        let done = wait_for_create(cl, pending.id().unwrap()).await;
        assert_eq!(done.state(), Some(&CreateAccountState::Succeeded));
        within(Duration::from_secs(10), "the closure completes", || async {
            cl.describe_account()
                .account_id(&closing)
                .send()
                .await
                .unwrap()
                .account
                .unwrap()
                .status()
                == Some(&AccountStatus::Suspended)
        })
        .await;
    }
    // Exactly once: one account with the pending email, one creation request, on every survivor.
    for s in &servers {
        let (accounts, requests) = s.engine.inspect(|st| {
            (
                st.accounts
                    .values()
                    .filter(|a| a.email == "pending@example.com")
                    .count(),
                st.create_requests.len(),
            )
        });
        assert_eq!((accounts, requests), (1, 2));
    }
    for s in servers {
        s.stop().await.unwrap();
    }
}

/// Runs the built binary on `url`; returns once it listens.
async fn spawn_replica(url: &str) -> (Orgd, String) {
    let port = free_port();
    let child = spawn_orgd(port, |cmd| {
        cmd.args(["--max-ous", "100000", "--create-account-delay-ms", "1500"])
            .env("ORGD_DATABASE_URL", url)
            .stderr(Stdio::inherit());
    })
    .await;
    (child, format!("http://127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_dash_nine_of_a_replica_under_load_loses_no_acknowledged_write() {
    let Some(url) = pg_testing::fresh_database("orgd_kill") else {
        return;
    };
    let started = join_all((0..3).map(|_| spawn_replica(&url))).await;
    let (mut procs, endpoints): (Vec<Orgd>, Vec<String>) = started.into_iter().unzip();
    let c: Vec<Client> = endpoints.iter().map(|e| sdk(e, MGMT)).collect();
    c[1].create_organization().send().await.unwrap();
    let root = root_of(&c[1]).await;
    within(
        Duration::from_secs(1),
        "the organization on replica 0",
        || async { c[0].describe_organization().send().await.is_ok() },
    )
    .await;

    // One writer per replica creates OUs until told to stop, keeping what was acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|r| {
            let (c, root, stop) = (c[r].clone(), root.clone(), stop.clone());
            tokio::spawn(async move {
                let (mut acked, mut failed) = (Vec::new(), 0usize);
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let name = format!("w{r}-{n}");
                    match c
                        .create_organizational_unit()
                        .parent_id(&root)
                        .name(&name)
                        .send()
                        .await
                    {
                        Ok(_) => acked.push(name),
                        Err(SdkError::ServiceError(e)) => {
                            panic!("replica {r} refused {name}: {:?}", e.err())
                        }
                        Err(_) if r == 0 => {
                            failed += 1;
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                        Err(e) => panic!("survivor {r} failed {name}: {e:?}"),
                    }
                }
                (acked, failed)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // The victim acknowledges a CreateAccount (1.5 s to complete), then dies mid-load.
    let pending = c[0]
        .create_account()
        .account_name("orphan")
        .email("orphan@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    let victim = procs.remove(0);
    let pid = victim.0.id().to_string();
    let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked = BTreeSet::new();
    let mut per_replica = Vec::new();
    for w in writers {
        let (names, failed) = w.await.unwrap();
        per_replica.push((names.len(), failed));
        acked.extend(names);
    }
    drop(victim);
    eprintln!("acknowledged OUs per replica (and failures): {per_replica:?}");
    assert!(per_replica.iter().all(|(n, _)| *n > 0), "{per_replica:?}");

    // The survivors finish the orphaned CreateAccount once.
    for cl in &c[1..] {
        let done = wait_for_create(cl, pending.id().unwrap()).await;
        assert_eq!(done.state(), Some(&CreateAccountState::Succeeded));
    }
    // A restarted replica serves the same state; every acknowledged write is on every replica.
    let (restarted, endpoint) = spawn_replica(&url).await;
    procs.push(restarted);
    let readers = [c[1].clone(), c[2].clone(), sdk(&endpoint, MGMT)];
    for cl in &readers {
        within(Duration::from_secs(1), "every acknowledged OU", || async {
            let names: BTreeSet<String> = ou_names(cl, &root).await.into_keys().collect();
            acked.is_subset(&names)
        })
        .await;
        let orphans = cl
            .list_accounts()
            .send()
            .await
            .unwrap()
            .accounts
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.email() == Some("orphan@example.com"))
            .count();
        assert_eq!(orphans, 1);
    }
    drop(procs);
}
