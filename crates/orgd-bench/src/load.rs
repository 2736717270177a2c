//! The concurrent workloads: each of `concurrency` clients repeats one operation until the
//! measured window ends (or it reaches its share of the request cap), recording latencies.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::StatusCode;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::json;
use tokio::sync::Barrier;

use crate::client::{Api, error_text, micros};
use crate::org::Org;

/// The operations the bench drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Workload {
    DescribeOrganization,
    ListAccounts,
    ListChildren,
    CreateDeleteOu,
    MoveAccount,
    DescribeEffectivePolicy,
    /// DescribeOrganization by the deep member account, whose calls the SCPs on its path (root,
    /// five OUs, the account) authorize.
    MemberDescribeOrganization,
    /// ListAccounts (all pages) by the deep member account, a delegated administrator, under the
    /// SCPs on its path.
    MemberListAccounts,
    /// CreateAccount throughput as the organization grows: a phase of its own (a fresh server
    /// and organization), not a load on the built organization, so not in `ALL`.
    CreateAccountGrowth,
    /// The phase of `--huge-accounts` (start-up, RSS, reads in an organization of 100,000
    /// accounts), with the two loads below; not in `ALL`.
    HugeAccounts,
    /// DescribeAccount of the organization's accounts in turn (each client its own sequence).
    DescribeAccount,
    /// One ListAccounts page per operation (MaxResults 20): each client walks the whole listing,
    /// following `NextToken`, and starts again at the end.
    ListAccountsPage,
}

impl Workload {
    pub const ALL: [Workload; 8] = [
        Workload::DescribeOrganization,
        Workload::ListAccounts,
        Workload::MemberDescribeOrganization,
        Workload::MemberListAccounts,
        Workload::ListChildren,
        Workload::DescribeEffectivePolicy,
        Workload::CreateDeleteOu,
        Workload::MoveAccount,
    ];

    pub fn is_listing(self) -> bool {
        matches!(
            self,
            Workload::ListAccounts | Workload::ListChildren | Workload::MemberListAccounts
        )
    }

    /// Whether the deep member account makes the calls (not the management account).
    pub fn as_member(self) -> bool {
        matches!(
            self,
            Workload::MemberDescribeOrganization | Workload::MemberListAccounts
        )
    }
}

/// What the clients of one workload measured together.
#[derive(Default)]
pub struct Measured {
    /// Latency of each operation (a listing: all its pages), microseconds.
    pub ops: Vec<u32>,
    /// Latency of each page of a listing, microseconds.
    pub pages: Vec<u32>,
    pub errors: u64,
    pub first_error: Option<String>,
    /// From the start of the measured window to the end of the last operation.
    pub elapsed: Duration,
}

impl Measured {
    fn merge(&mut self, other: Measured) {
        self.ops.extend(other.ops);
        self.pages.extend(other.pages);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn error(&mut self, e: impl std::fmt::Display) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(e.to_string());
        }
    }
}

/// A listing page: only what the bench looks at.
#[derive(Deserialize)]
struct Page<'a> {
    #[serde(rename = "NextToken", borrow, default)]
    next_token: Option<Cow<'a, str>>,
    #[serde(rename = "Accounts", default)]
    accounts: Option<Vec<IgnoredAny>>,
    #[serde(rename = "Children", default)]
    children: Option<Vec<IgnoredAny>>,
}

/// The fixed inputs of a workload, shared by its clients.
pub struct Plan {
    pub workload: Workload,
    /// Items a full listing must return.
    pub expect_items: usize,
    /// The request body of the single-request reads and of a listing's first page.
    pub body: Bytes,
    /// Per client: the accounts it moves, with their two parents (MoveAccount).
    pub movers: Vec<Vec<(String, String, String)>>,
    /// Per client: the parent under which it creates and deletes OUs.
    pub ou_parents: Vec<String>,
    /// The accounts DescribeAccount asks for (all of the organization's).
    pub accounts: Vec<String>,
}

impl Plan {
    pub fn new(workload: Workload, org: &Org, concurrency: usize) -> Plan {
        let busy = org.busy_ou.map(|i| org.ous[i].clone());
        let (expect_items, body) = match workload {
            Workload::DescribeOrganization | Workload::MemberDescribeOrganization => (0, json!({})),
            Workload::ListAccounts | Workload::MemberListAccounts => {
                (org.accounts.len() + 1, json!({"MaxResults": 20}))
            }
            Workload::ListAccountsPage => (0, json!({"MaxResults": 20})),
            Workload::DescribeAccount => (0, json!({})),
            Workload::ListChildren => {
                let parent = busy.clone().unwrap_or_else(|| org.root.clone());
                let n = match org.busy_ou {
                    Some(i) => org.accounts_in(i),
                    None => org.accounts.len() + 1,
                };
                (
                    n,
                    json!({"ParentId": parent, "ChildType": "ACCOUNT", "MaxResults": 20}),
                )
            }
            Workload::DescribeEffectivePolicy => match &org.deep_account {
                Some((id, _)) => (0, json!({"PolicyType": "TAG_POLICY", "TargetId": id})),
                None => (0, json!({"PolicyType": "TAG_POLICY"})),
            },
            Workload::CreateDeleteOu | Workload::MoveAccount => (0, json!({})),
            Workload::CreateAccountGrowth | Workload::HugeAccounts => {
                unreachable!("{workload:?} is a phase")
            }
        };
        let parent_of = |p: Option<usize>| p.map_or(org.root.clone(), |i| org.ous[i].clone());
        // Movers: accounts outside the busy OU, dealt round-robin, at most 8 per client; each
        // moves between its OU and the next one.
        let mut movers = vec![Vec::new(); concurrency];
        let candidates = org
            .accounts
            .iter()
            .filter(|(_, p)| *p != org.busy_ou || org.ous.is_empty());
        for (k, (id, p)) in candidates.take(8 * concurrency).enumerate() {
            let other = match (p, org.ous.len()) {
                (_, 0) => None,
                (Some(i), n) if n > 1 => Some((i + 1) % n),
                (None, _) => Some(0),
                (Some(_), _) => None,
            };
            if other == *p {
                continue;
            }
            movers[k % concurrency].push((id.clone(), parent_of(*p), parent_of(other)));
        }
        let level1 = crate::org::level_sizes(org.ous.len())
            .first()
            .copied()
            .unwrap_or(0);
        let ou_parents = (0..concurrency)
            .map(|c| match level1 {
                0 => org.root.clone(),
                n => org.ous[c % n].clone(),
            })
            .collect();
        Plan {
            workload,
            expect_items,
            body: Bytes::from(body.to_string()),
            movers,
            ou_parents,
            accounts: match workload {
                Workload::DescribeAccount => org.accounts.iter().map(|a| a.0.clone()).collect(),
                _ => Vec::new(),
            },
        }
    }
}

/// How long a workload may run at most, whatever the minimum number of operations says.
const HARD_LIMIT: Duration = Duration::from_secs(60);

/// Runs `plan` with `concurrency` clients. Each client first does one unrecorded operation (to
/// open its connection); then all start together and repeat the operation, recorded, until
/// `duration` has passed and each has done at least `min_ops_per_client`, but at most
/// `max_ops` operations in all and never beyond `duration` + `HARD_LIMIT`.
pub async fn run(
    api: Arc<Api>,
    plan: Arc<Plan>,
    concurrency: usize,
    duration: Duration,
    min_ops_per_client: u64,
    max_ops: u64,
) -> Measured {
    let per_client = max_ops.div_ceil(concurrency as u64).max(1);
    let barrier = Arc::new(Barrier::new(concurrency + 1));
    let mut tasks = Vec::new();
    for c in 0..concurrency {
        let (api, plan, barrier) = (api.clone(), plan.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = Client::new(api, plan, c);
            let mut scratch = Measured::default();
            client.step(&mut scratch).await;
            barrier.wait().await;
            let start = Instant::now();
            let (until, hard) = (start + duration, start + duration + HARD_LIMIT);
            let mut m = Measured::default();
            let mut n = 0;
            loop {
                let now = Instant::now();
                let enough = now >= until && n >= min_ops_per_client;
                if enough || n >= per_client || now >= hard {
                    break;
                }
                client.step(&mut m).await;
                n += 1;
            }
            let ended = Instant::now();
            client.finish(&mut m).await;
            (m, ended)
        }));
    }
    let mut all = Measured::default();
    if tokio::time::timeout(WARMUP_LIMIT, barrier.wait())
        .await
        .is_err()
    {
        all.error("warm-up did not finish in time");
        for t in &tasks {
            t.abort();
        }
        return all;
    }
    let start = Instant::now();
    let mut last = start;
    let limit = duration + HARD_LIMIT + REQUEST_LIMIT * 2;
    for t in tasks {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), t).await {
            Ok(Ok((m, ended))) => {
                last = last.max(ended);
                all.merge(m);
            }
            Ok(Err(e)) => all.error(format!("client task failed: {e}")),
            Err(_) => all.error("client did not finish in time"),
        }
    }
    all.elapsed = last.saturating_duration_since(start);
    all
}

/// One load client and its state (which parent each of its accounts is in, OU names used).
struct Client {
    api: Arc<Api>,
    plan: Arc<Plan>,
    id: usize,
    seq: u64,
    /// For each account it moves: whether it is in its second parent now.
    moved: Vec<bool>,
    /// ListAccountsPage: where this client's walk through the listing is.
    next_token: Option<String>,
}

/// Per-request time limit.
const REQUEST_LIMIT: Duration = Duration::from_secs(30);
/// A listing with more pages than this is an error.
const MAX_PAGES: usize = 100_000;
/// How long the warm-up (one operation per client) may take.
const WARMUP_LIMIT: Duration = Duration::from_secs(120);

impl Client {
    fn new(api: Arc<Api>, plan: Arc<Plan>, id: usize) -> Client {
        let movers = plan.movers.get(id).map_or(0, Vec::len);
        Client {
            api,
            plan,
            id,
            seq: 0,
            moved: vec![false; movers],
            next_token: None,
        }
    }

    /// Sends one request; the answer body when it was a 200.
    async fn send(&self, op: &str, body: Bytes, m: &mut Measured) -> Option<Bytes> {
        match tokio::time::timeout(REQUEST_LIMIT, self.api.send(op, body)).await {
            Ok(Ok((StatusCode::OK, b))) => Some(b),
            Ok(Ok((status, b))) => {
                m.error(format!("{op}: HTTP {status}: {}", error_text(&b)));
                None
            }
            Ok(Err(e)) => {
                m.error(format!("{e:#}"));
                None
            }
            Err(_) => {
                m.error(format!("{op}: no answer within {REQUEST_LIMIT:?}"));
                None
            }
        }
    }

    /// One operation of the workload, recorded in `m`.
    async fn step(&mut self, m: &mut Measured) {
        self.seq += 1;
        let plan = self.plan.clone();
        match plan.workload {
            Workload::DescribeOrganization
            | Workload::MemberDescribeOrganization
            | Workload::DescribeEffectivePolicy => {
                let op = match plan.workload {
                    Workload::DescribeEffectivePolicy => "DescribeEffectivePolicy",
                    _ => "DescribeOrganization",
                };
                let t = Instant::now();
                if self.send(op, plan.body.clone(), m).await.is_some() {
                    m.ops.push(micros(t.elapsed()));
                }
            }
            Workload::ListAccounts | Workload::MemberListAccounts => {
                self.listing("ListAccounts", m).await
            }
            Workload::ListChildren => self.listing("ListChildren", m).await,
            Workload::CreateAccountGrowth | Workload::HugeAccounts => {
                unreachable!("{:?} is a phase", plan.workload)
            }
            Workload::DescribeAccount => {
                if plan.accounts.is_empty() {
                    return m.error("no account to describe");
                }
                // Clients start far apart and step by a prime, so they spread over the accounts.
                let n = plan.accounts.len();
                let i = (self.id * (n / 16 + 1) + self.seq as usize * 7919) % n;
                let body = json!({"AccountId": plan.accounts[i]}).to_string();
                let t = Instant::now();
                if self.send("DescribeAccount", body.into(), m).await.is_some() {
                    m.ops.push(micros(t.elapsed()));
                }
            }
            Workload::ListAccountsPage => {
                let body = match &self.next_token {
                    None => plan.body.clone(),
                    Some(token) => {
                        Bytes::from(json!({"MaxResults": 20, "NextToken": token}).to_string())
                    }
                };
                let t = Instant::now();
                let Some(b) = self.send("ListAccounts", body, m).await else {
                    self.next_token = None;
                    return;
                };
                m.ops.push(micros(t.elapsed()));
                match serde_json::from_slice::<Page>(&b) {
                    Ok(page) => {
                        self.next_token = page
                            .next_token
                            .filter(|t| !t.is_empty())
                            .map(|t| t.into_owned())
                    }
                    Err(e) => {
                        self.next_token = None;
                        m.error(format!("ListAccounts: bad page: {e}"));
                    }
                }
            }
            Workload::CreateDeleteOu => {
                let parent = &plan.ou_parents[self.id];
                let name = format!("load-{}-{}", self.id, self.seq);
                let body = json!({"ParentId": parent, "Name": name}).to_string();
                let t = Instant::now();
                let Some(b) = self.send("CreateOrganizationalUnit", body.into(), m).await else {
                    return;
                };
                m.ops.push(micros(t.elapsed()));
                let id = serde_json::from_slice::<serde_json::Value>(&b)
                    .ok()
                    .and_then(|v| v["OrganizationalUnit"]["Id"].as_str().map(str::to_string));
                let Some(id) = id else {
                    m.error("CreateOrganizationalUnit: no OU id in the answer");
                    return;
                };
                let body = json!({"OrganizationalUnitId": id}).to_string();
                let t = Instant::now();
                if self
                    .send("DeleteOrganizationalUnit", body.into(), m)
                    .await
                    .is_some()
                {
                    m.ops.push(micros(t.elapsed()));
                }
            }
            Workload::MoveAccount => {
                let Some(mine) = plan.movers.get(self.id).filter(|v| !v.is_empty()) else {
                    m.error("no account to move");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    return;
                };
                let k = (self.seq as usize) % mine.len();
                let (account, home, away) = &mine[k];
                let (from, to) = if self.moved[k] {
                    (away, home)
                } else {
                    (home, away)
                };
                let body = json!({"AccountId": account, "SourceParentId": from, "DestinationParentId": to})
                    .to_string();
                let t = Instant::now();
                if self.send("MoveAccount", body.into(), m).await.is_some() {
                    m.ops.push(micros(t.elapsed()));
                    self.moved[k] = !self.moved[k];
                }
            }
        }
    }

    /// Lists every page; records the whole listing and each page.
    async fn listing(&self, op: &str, m: &mut Measured) {
        let start = Instant::now();
        let mut body = self.plan.body.clone();
        let mut items = 0;
        let mut pages = Vec::new();
        for _ in 0..MAX_PAGES {
            let t = Instant::now();
            let Some(b) = self.send(op, body.clone(), m).await else {
                return;
            };
            pages.push(micros(t.elapsed()));
            let page: Page = match serde_json::from_slice(&b) {
                Ok(p) => p,
                Err(e) => return m.error(format!("{op}: bad page: {e}")),
            };
            items += page.accounts.map_or(0, |a| a.len()) + page.children.map_or(0, |c| c.len());
            match page.next_token.filter(|t| !t.is_empty()) {
                Some(token) => {
                    let mut v: serde_json::Value = match serde_json::from_slice(&self.plan.body) {
                        Ok(v) => v,
                        Err(e) => return m.error(e),
                    };
                    v["NextToken"] = json!(token);
                    body = Bytes::from(v.to_string());
                }
                None => {
                    if items != self.plan.expect_items {
                        return m.error(format!(
                            "{op}: listed {items} items, expected {}",
                            self.plan.expect_items
                        ));
                    }
                    m.ops.push(micros(start.elapsed()));
                    m.pages.extend(pages);
                    return;
                }
            }
        }
        m.error(format!("{op}: more than {MAX_PAGES} pages"));
    }

    /// Puts moved accounts back where they were.
    async fn finish(&mut self, m: &mut Measured) {
        if self.plan.workload != Workload::MoveAccount {
            return;
        }
        let plan = self.plan.clone();
        let Some(mine) = plan.movers.get(self.id) else {
            return;
        };
        for (k, (account, home, away)) in mine.iter().enumerate() {
            if self.moved[k] {
                let body = json!({"AccountId": account, "SourceParentId": away, "DestinationParentId": home})
                    .to_string();
                let mut scratch = Measured::default();
                if self
                    .send("MoveAccount", body.into(), &mut scratch)
                    .await
                    .is_some()
                {
                    self.moved[k] = false;
                } else if let Some(e) = scratch.first_error {
                    m.error(format!("moving back: {e}"));
                }
            }
        }
    }
}

/// The `q`-th quantile (0 to 1) of sorted latencies.
pub fn quantile(sorted: &[u32], q: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    Some(sorted[i])
}
