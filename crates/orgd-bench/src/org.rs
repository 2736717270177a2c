//! Building the benchmark's organization through the API: a management account, OUs up to five
//! levels deep, member accounts created with CreateAccount and spread over the OUs with
//! MoveAccount.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use serde_json::{Value, json};

use crate::client::{Api, Reply, micros};

/// The deepest OU level below the root (AWS's limit).
const MAX_DEPTH: usize = 5;
/// Relative sizes of the OU levels 1 to 5 (for 200 OUs: 10, 50, 80, 40, 20).
const LEVEL_WEIGHTS: [usize; MAX_DEPTH] = [1, 5, 8, 4, 2];
/// One account in this many goes to the busy OU (the rest are spread over all OUs).
const BUSY_EVERY: usize = 10;
/// How long a CreateAccount request may stay `IN_PROGRESS`.
const CREATE_ACCOUNT_LIMIT: Duration = Duration::from_secs(60);

/// The organization as the bench built it.
pub struct Org {
    pub root: String,
    /// OU ids, level 1 first.
    pub ous: Vec<String>,
    /// Member accounts: id, and the index in `ous` of the OU it was moved to (`None`: the root).
    pub accounts: Vec<(String, Option<usize>)>,
    /// The OU holding the most accounts.
    pub busy_ou: Option<usize>,
    /// An account in one of the deepest OUs, and how many tag policies it inherits or has.
    pub deep_account: Option<(String, usize)>,
}

/// What to build.
#[derive(Clone, Copy)]
pub struct Shape {
    pub accounts: usize,
    pub ous: usize,
    /// Policies, half of them SCPs and half tag policies (0: none, and no policy type enabled).
    pub policies: usize,
    pub concurrency: usize,
}

impl Org {
    pub fn accounts_in(&self, ou: usize) -> usize {
        self.accounts.iter().filter(|a| a.1 == Some(ou)).count()
    }
}

/// How the build went: API calls made, their latencies, and the time it took.
pub struct BuildReport {
    pub elapsed: Duration,
    pub latencies: Vec<u32>,
}

/// Runs `f(0..n)` on `concurrency` tasks; the results in index order. Stops at the first error.
pub async fn parallel<T, F, Fut>(n: usize, concurrency: usize, f: F) -> anyhow::Result<Vec<T>>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let f = Arc::new(f);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency.clamp(1, n.max(1)) {
        let (f, next) = (f.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<_, anyhow::Error>(done);
                }
                match f(i).await {
                    Ok(t) => done.push((i, t)),
                    Err(e) => {
                        // Let the other tasks stop too.
                        next.store(n, Ordering::Relaxed);
                        return Err(e.context(format!("item {i}")));
                    }
                }
            }
        }));
    }
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, t)| t).collect())
}

/// Calls `op` and records its latency.
async fn timed(api: &Api, lat: &Mutex<Vec<u32>>, op: &str, body: Value) -> anyhow::Result<Value> {
    let t = Instant::now();
    let r = api.ok(op, &body).await;
    lat.lock().unwrap().push(micros(t.elapsed()));
    r
}

/// How many OUs each level (1 to 5) gets.
pub fn level_sizes(ous: usize) -> Vec<usize> {
    if ous < MAX_DEPTH {
        return vec![1; ous];
    }
    let total: usize = LEVEL_WEIGHTS.iter().sum();
    let mut sizes: Vec<usize> = LEVEL_WEIGHTS
        .iter()
        .map(|w| (ous * w / total).max(1))
        .collect();
    // Give the rounding difference to the largest level.
    let sum: usize = sizes.iter().sum();
    if sum < ous {
        sizes[2] += ous - sum;
    } else {
        sizes[2] -= (sum - ous).min(sizes[2] - 1);
    }
    sizes
}

/// Creates the organization `shape` describes, as the management account, with
/// `shape.concurrency` requests in flight.
pub async fn build(api: Arc<Api>, shape: Shape) -> anyhow::Result<(Org, BuildReport)> {
    let Shape {
        accounts: n_accounts,
        ous: n_ous,
        policies: n_policies,
        concurrency,
    } = shape;
    let start = Instant::now();
    let lat = Arc::new(Mutex::new(Vec::new()));
    timed(
        &api,
        &lat,
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    )
    .await?;
    let roots = timed(&api, &lat, "ListRoots", json!({})).await?;
    let root = roots["Roots"][0]["Id"]
        .as_str()
        .ok_or_else(|| anyhow!("ListRoots: no root in {roots}"))?
        .to_string();

    // OUs, level by level: the j-th OU of a level goes under OU j mod (size of the level above).
    let mut ous: Vec<String> = Vec::with_capacity(n_ous);
    // The parent of each OU, as an index in `ous` (`None`: the root).
    let mut ou_parent: Vec<Option<usize>> = Vec::with_capacity(n_ous);
    let sizes = level_sizes(n_ous);
    let mut above: Vec<(String, Option<usize>)> = vec![(root.clone(), None)];
    for (level, &size) in sizes.iter().enumerate() {
        let parents = Arc::new(above);
        let (api2, lat2, parents2) = (api.clone(), lat.clone(), parents.clone());
        let made = parallel(size, concurrency, move |j| {
            let (api, lat, parents) = (api2.clone(), lat2.clone(), parents2.clone());
            async move {
                let parent = &parents[j % parents.len()].0;
                let body = json!({"ParentId": parent, "Name": format!("bench-l{}-{j}", level + 1)});
                let ou = timed(&api, &lat, "CreateOrganizationalUnit", body).await?;
                ou["OrganizationalUnit"]["Id"]
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| anyhow!("CreateOrganizationalUnit: no id in {ou}"))
            }
        })
        .await?;
        let first = ous.len();
        above = Vec::with_capacity(made.len());
        for (j, id) in made.into_iter().enumerate() {
            let parent_index = parents[j % parents.len()].1;
            ou_parent.push(parent_index);
            ous.push(id.clone());
            above.push((id, Some(first + j)));
        }
    }

    // Accounts: CreateAccount, then DescribeCreateAccountStatus until it has settled.
    let (api2, lat2) = (api.clone(), lat.clone());
    let ids = parallel(n_accounts, concurrency, move |i| {
        let (api, lat) = (api2.clone(), lat2.clone());
        async move { create_account(&api, &lat, i).await }
    })
    .await?;

    // Spread them: one in BUSY_EVERY to the busy OU (the first), the others round-robin.
    let n = ous.len();
    let placement: Vec<Option<usize>> = (0..n_accounts)
        .map(|i| match n {
            0 => None,
            _ if i % BUSY_EVERY == 0 => Some(0),
            _ => Some(i % n),
        })
        .collect();
    let moves: Arc<Vec<(String, String)>> = Arc::new(
        ids.iter()
            .zip(&placement)
            .filter_map(|(id, p)| p.map(|p| (id.clone(), ous[p].clone())))
            .collect(),
    );
    let (api2, lat2, root2) = (api.clone(), lat.clone(), root.clone());
    parallel(moves.len(), concurrency, move |k| {
        let (api, lat, moves, root) = (api2.clone(), lat2.clone(), moves.clone(), root2.clone());
        async move {
            let (account, dest) = &moves[k];
            let body =
                json!({"AccountId": account, "SourceParentId": root, "DestinationParentId": dest});
            timed(&api, &lat, "MoveAccount", body).await.map(drop)
        }
    })
    .await?;

    // The deep account: the first one placed in the last (deepest) level.
    let deepest_first = n - sizes.last().copied().unwrap_or(0);
    let deep = placement
        .iter()
        .position(|p| p.is_some_and(|p| p >= deepest_first))
        .or((n_accounts > 0).then_some(0));
    let mut deep_account = None;

    if n_policies > 0 {
        // The deep account, its OUs and the root: where the tag policies go.
        let mut chain: Vec<String> = vec![root.clone()];
        if let Some(d) = deep {
            let mut ou_chain = Vec::new();
            let mut cur = placement[d];
            while let Some(i) = cur {
                ou_chain.push(ous[i].clone());
                cur = ou_parent[i];
            }
            chain.extend(ou_chain.into_iter().rev());
            chain.push(ids[d].clone());
        }
        let n_tag = n_policies - n_policies / 2;
        deep_account = deep.map(|d| (ids[d].clone(), n_tag));
        add_policies(&api, &lat, &root, &ous, &chain, n_policies, concurrency).await?;
        if let Some(d) = deep {
            delegate(&api, &ids[d]).await;
        }
    }

    let elapsed = start.elapsed();
    let latencies = std::mem::take(&mut *lat.lock().unwrap());
    let org = Org {
        root,
        busy_ou: (n > 0).then_some(0),
        ous,
        accounts: ids.into_iter().zip(placement).collect(),
        deep_account,
    };
    Ok((org, BuildReport { elapsed, latencies }))
}

/// Enables SCPs and tag policies, creates `n` policies (half SCPs, attached to OUs spread over
/// the tree; half tag policies, attached round-robin along `chain`) and attaches them.
async fn add_policies(
    api: &Arc<Api>,
    lat: &Arc<Mutex<Vec<u32>>>,
    root: &str,
    ous: &[String],
    chain: &[String],
    n: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    for ty in ["SERVICE_CONTROL_POLICY", "TAG_POLICY"] {
        let body = json!({"RootId": root, "PolicyType": ty});
        let t = Instant::now();
        let reply = api.call("EnablePolicyType", &body).await?;
        lat.lock().unwrap().push(micros(t.elapsed()));
        match reply {
            Reply::Ok(_) => {}
            // Some servers enable SCPs with the organization.
            Reply::Err(_, e) if e.contains("PolicyTypeAlreadyEnabled") => {}
            Reply::Err(status, e) => bail!("EnablePolicyType {ty}: HTTP {status}: {e}"),
        }
    }
    let n_scp = n / 2;
    let targets: Arc<Vec<(String, String)>> = Arc::new(
        (0..n)
            .map(|k| {
                if k < n_scp {
                    // Every other SCP goes along the deep account's path, with a condition
                    // every Organizations call evaluates (and that never denies the bench's
                    // region); the others spread over the tree.
                    let scp = json!({"Version": "2012-10-17", "Statement": [{
                        "Sid": format!("BenchDeny{k}"),
                        "Effect": "Deny",
                        "Action": ["ec2:TerminateInstances", "s3:DeleteBucket"],
                        "Resource": "*"
                    }, {
                        "Sid": format!("BenchRegions{k}"),
                        "Effect": "Deny",
                        "NotAction": ["iam:*", "sts:*"],
                        "Resource": "*",
                        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
                                      "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}
                    }]});
                    let target = match ous.len() {
                        _ if k % 2 == 0 => chain[(k / 2) % chain.len()].clone(),
                        0 => root.to_string(),
                        m => ous[(k * 7) % m].clone(),
                    };
                    (scp.to_string(), target)
                } else {
                    let t = k - n_scp;
                    let tag = json!({"tags": {format!("benchtag{t}"): {
                        "tag_key": {"@@assign": format!("BenchTag{t}")},
                        "tag_value": {"@@assign": [format!("a{t}"), format!("b{t}")]}
                    }}});
                    (tag.to_string(), chain[t % chain.len()].clone())
                }
            })
            .collect(),
    );
    let (api2, lat2) = (api.clone(), lat.clone());
    parallel(n, concurrency, move |k| {
        let (api, lat, targets) = (api2.clone(), lat2.clone(), targets.clone());
        async move {
            let (content, target) = &targets[k];
            let ty = if k < n_scp {
                "SERVICE_CONTROL_POLICY"
            } else {
                "TAG_POLICY"
            };
            let body = json!({
                "Name": format!("bench-policy-{k}"),
                "Description": "orgd-bench",
                "Type": ty,
                "Content": content,
            });
            let p = timed(&api, &lat, "CreatePolicy", body).await?;
            let id = p["Policy"]["PolicySummary"]["Id"]
                .as_str()
                .ok_or_else(|| anyhow!("CreatePolicy: no id in {p}"))?
                .to_string();
            let body = json!({"PolicyId": id, "TargetId": target});
            timed(&api, &lat, "AttachPolicy", body).await.map(drop)
        }
    })
    .await?;
    Ok(())
}

/// Makes the deep account a delegated administrator (for GuardDuty), so that it may list the
/// accounts. A server that refuses leaves it an ordinary member (its member listing then fails).
async fn delegate(api: &Api, account: &str) {
    let service = "guardduty.amazonaws.com";
    let steps = [
        (
            "EnableAWSServiceAccess",
            json!({"ServicePrincipal": service}),
        ),
        (
            "RegisterDelegatedAdministrator",
            json!({"AccountId": account, "ServicePrincipal": service}),
        ),
    ];
    for (op, body) in steps {
        match api.call(op, &body).await {
            Ok(Reply::Ok(_)) => {}
            Ok(Reply::Err(status, e)) => eprintln!("warning: {op}: HTTP {status}: {e}"),
            Err(e) => eprintln!("warning: {op}: {e}"),
        }
    }
}

/// Creates member account number `i` and waits until its creation has settled; its id.
pub async fn create_account(api: &Api, lat: &Mutex<Vec<u32>>, i: usize) -> anyhow::Result<String> {
    let body =
        json!({"Email": format!("bench-{i}@example.com"), "AccountName": format!("bench-{i}")});
    let mut status = timed(api, lat, "CreateAccount", body).await?["CreateAccountStatus"].take();
    let request_id = status["Id"]
        .as_str()
        .context("CreateAccount: no request id")?
        .to_string();
    let start = Instant::now();
    let mut wait = Duration::from_millis(1);
    loop {
        match status["State"].as_str() {
            Some("SUCCEEDED") => {
                return status["AccountId"]
                    .as_str()
                    .map(str::to_string)
                    .context("SUCCEEDED without an AccountId");
            }
            Some("IN_PROGRESS") if start.elapsed() < CREATE_ACCOUNT_LIMIT => {}
            Some("IN_PROGRESS") => bail!("CreateAccount {request_id}: still IN_PROGRESS"),
            _ => bail!("CreateAccount {request_id}: {status}"),
        }
        let body = json!({"CreateAccountRequestId": request_id});
        status = timed(api, lat, "DescribeCreateAccountStatus", body).await?["CreateAccountStatus"]
            .take();
        if status["State"] == "IN_PROGRESS" {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_millis(100));
        }
    }
}
