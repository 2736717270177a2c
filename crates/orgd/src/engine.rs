//! The engine: the in-memory `State` behind a read-write lock, and one writer at a time that makes
//! each write durable in the `Store` before applying it. Reads never wait for the disk.
//!
//! Writes are committed in groups (group commit): the writes that arrive while a commit is on
//! its way to the disk queue up, and the next leader decides them one after another, each on the
//! state the ones before it leave (applied tentatively under the state's write lock, then taken
//! back with `State::undo`, so readers never see them), stores all their changes in one commit
//! (one transaction, one fsync), and only then applies them and answers each. A write is answered
//! only once durable, and its answer is the one the sequential order of the group gives.
//!
//! Over a store that other orgd processes share (PostgreSQL), a write is optimistic: it is decided
//! on this replica's state and committed with the version that state has; when another replica
//! committed first, the store refuses it (`StoreError::Conflict`), the engine catches up with the
//! other commits and decides again on the fresh state. An answer that commits nothing (an error,
//! or a write with no changes) is checked the same way: if other commits arrived meanwhile, the
//! operation runs again on them. So every write answers as the sequential order of commits says.
//! A follower thread (`follow`) applies other replicas' commits as the store's feed reports them.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use orgd_domain::ids::IdSource;
use orgd_domain::model::State;
use orgd_domain::ops::{self, Ctx, Write};
use orgd_domain::{Change, Limits, OrgError};
use orgd_store::{Feed, Refresh, Store, StoreError};
use parking_lot::{Mutex, RwLock};
use prometheus_client::metrics::histogram::Histogram;
use rand::{Rng, RngCore, SeedableRng, rngs::StdRng};
use tokio::sync::oneshot;

use crate::clock::Clock;

/// Why a request could not be served.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Domain(#[from] OrgError),
    /// Shared by every write of the group whose commit failed.
    #[error("storage failed: {0}")]
    Store(Arc<StoreError>),
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        EngineError::Store(Arc::new(e))
    }
}

/// Why an import was refused or failed (nothing of it was kept either way).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "orgd already holds {organizations} organization(s) and {accounts} account(s); \
         import loads only into an empty orgd (reset it, or use a new data directory)"
    )]
    NotEmpty {
        organizations: usize,
        accounts: usize,
    },
    #[error("storage failed: {0}")]
    Store(#[from] StoreError),
}

struct RandIds<'a>(&'a mut StdRng);

impl IdSource for RandIds<'_> {
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }
}

struct Writer {
    store: Box<dyn Store>,
    rng: StdRng,
}

/// The key that seals pagination tokens, kept in the store so tokens survive a restart.
const TOKEN_KEY: &str = "token-key";

/// How long the follower waits for a notification before asking the store anyway.
const FOLLOW_POLL: Duration = Duration::from_millis(250);

/// A write operation with its output sent elsewhere: it answers the changes it decided.
type Decide = Box<dyn FnMut(&Ctx, &mut dyn IdSource) -> Result<Vec<Change>, OrgError> + Send>;

/// One write waiting in the queue for the next group commit.
struct Job {
    caller: String,
    decide: Decide,
    done: oneshot::Sender<Outcome>,
}

/// How a queued write ended (its output, when it has one, is in the caller's own cell).
enum Outcome {
    Done,
    Refused(OrgError),
    Failed(Arc<StoreError>),
    /// The operation panicked, with its panic's payload.
    Panicked(Box<dyn Any + Send>),
}

/// The writes waiting for a group commit, and whether a leader is committing groups.
#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    leading: bool,
}

/// A write's job, the receiver of its outcome and the cell its output lands in.
type Queued<T> = (Job, oneshot::Receiver<Outcome>, Arc<Mutex<Option<T>>>);

pub struct Engine {
    state: RwLock<State>,
    writer: Mutex<Writer>,
    queue: Mutex<Queue>,
    /// The store's version that `state` reflects (written under the writer lock).
    version: AtomicU64,
    /// The store's feed of other replicas' commits, until `follow` takes it.
    feed: Mutex<Option<Box<dyn Feed>>>,
    token_key: RwLock<[u8; 32]>,
    limits: Limits,
    clock: Arc<Clock>,
    /// How long each store commit takes (see `metrics`).
    commit_latency: Histogram,
}

impl Engine {
    /// Loads the state from `store`.
    pub fn open(
        mut store: Box<dyn Store>,
        limits: Limits,
        clock: Arc<Clock>,
    ) -> Result<Self, StoreError> {
        let state = State::from_changes(store.load()?);
        let version = AtomicU64::new(store.version());
        let feed = Mutex::new(store.feed()?);
        let mut rng = StdRng::from_os_rng();
        let token_key = load_or_make_key(store.as_mut(), &mut rng)?;
        Ok(Engine {
            state: RwLock::new(state),
            writer: Mutex::new(Writer { store, rng }),
            queue: Mutex::new(Queue::default()),
            version,
            feed,
            token_key: RwLock::new(token_key),
            limits,
            clock,
            commit_latency: crate::metrics::latency_histogram(),
        })
    }

    /// The histogram of store commit latencies (a handle to the engine's own).
    pub fn commit_latency(&self) -> Histogram {
        self.commit_latency.clone()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn token_key(&self) -> [u8; 32] {
        *self.token_key.read()
    }

    /// Looks at the whole current state (for tests and tools; operations go through `read`).
    pub fn inspect<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.read())
    }

    /// Runs a read operation against the current state.
    pub fn read<T>(
        &self,
        caller: &str,
        f: impl FnOnce(&Ctx) -> Result<T, OrgError>,
    ) -> Result<T, EngineError> {
        let state = self.state.read();
        let cx = Ctx {
            state: &state,
            caller,
            now: self.clock.now(),
            limits: &self.limits,
        };
        Ok(f(&cx)?)
    }

    /// Runs a write operation: decides its changes on the current state (with the writes queued
    /// before it in its group applied), stores them durably, then applies them. Blocks on the
    /// disk: for tests and tools outside the async runtime (the servers use `write_async`). `f`
    /// runs again on fresh state when another replica committed first (see the module's notes).
    pub fn write<T: Send + 'static>(
        &self,
        caller: &str,
        f: impl FnMut(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let (job, outcome, output) = queued(caller, f);
        if self.enqueue(job) {
            self.lead();
        }
        answer(outcome.blocking_recv(), &output)
    }

    /// `write` for async callers: the write waits in the queue without holding a thread, and a
    /// blocking thread leads group commits while writes keep arriving.
    pub async fn write_async<T: Send + 'static>(
        self: &Arc<Self>,
        caller: &str,
        f: impl FnMut(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let (job, outcome, output) = queued(caller, f);
        if self.enqueue(job) {
            let engine = self.clone();
            tokio::task::spawn_blocking(move || engine.lead());
        }
        answer(outcome.await, &output)
    }

    /// Queues a write; whether the caller is to lead (no one else is committing groups).
    fn enqueue(&self, job: Job) -> bool {
        let mut queue = self.queue.lock();
        queue.jobs.push(job);
        !std::mem::replace(&mut queue.leading, true)
    }

    /// Commits the queued writes, a group at a time, until none is left. Should this panic, the
    /// writes it holds and those queued are dropped (their callers see a panic) and the lead is
    /// given up, so later writes find a leader.
    fn lead(&self) {
        /// Gives the lead up on a panic only: a leader that found the queue empty gave it up
        /// under the queue's lock, and another thread may be leading by the time this drops.
        struct GiveUp<'e>(&'e Engine);
        impl Drop for GiveUp<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    let mut queue = self.0.queue.lock();
                    queue.leading = false;
                    queue.jobs.clear();
                }
            }
        }
        let _lead = GiveUp(self);
        loop {
            // Let the threads that just received answers run first: their clients' next writes
            // then join this group instead of waiting out a commit of one (measured: groups of
            // about 8 without it, 10 with it, at 16 clients).
            std::thread::yield_now();
            let mut jobs = {
                let mut queue = self.queue.lock();
                if queue.jobs.is_empty() {
                    queue.leading = false;
                    return;
                }
                std::mem::take(&mut queue.jobs)
            };
            let outcomes = self.commit_group(&mut jobs);
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                // A caller that stopped waiting (a dropped request) needs no answer.
                let _ = job.done.send(outcome);
            }
        }
    }

    /// Decides `jobs` in order on the state, each seeing the changes of those before it, stores
    /// all their changes in one commit and applies them; each job's outcome.
    fn commit_group(&self, jobs: &mut [Job]) -> Vec<Outcome> {
        let mut w = self.writer.lock();
        loop {
            let Writer { store, rng } = &mut *w;
            let (changes, outcomes) = self.decide_group(jobs, rng);
            let result = match changes.is_empty() {
                // Nothing to commit: the answers stand if the state was current.
                true => self.catch_up(store.as_mut()).map(|fresh| !fresh),
                false => match self.commit(store.as_mut(), changes) {
                    Ok(_) => Ok(true),
                    // Another replica committed first: catch up and decide again.
                    Err(StoreError::Conflict) => self.catch_up(store.as_mut()).map(|_| false),
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(true) => return outcomes,
                Ok(false) => continue,
                Err(e) => {
                    let e = Arc::new(e);
                    return outcomes
                        .into_iter()
                        .map(|o| match o {
                            Outcome::Done => Outcome::Failed(e.clone()),
                            other => other,
                        })
                        .collect();
                }
            }
        }
    }

    /// Runs each job's decision on the state with the changes of the jobs before it applied,
    /// then takes those changes back: the group's changes, in order, and each job's outcome
    /// (`Done` for a write whose changes are among them).
    fn decide_group(&self, jobs: &mut [Job], rng: &mut StdRng) -> (Vec<Change>, Vec<Outcome>) {
        let now = self.clock.now();
        let mut state = self.state.write();
        let mut changes = Vec::new();
        let mut undos = Vec::new();
        let mut outcomes = Vec::with_capacity(jobs.len());
        for job in jobs.iter_mut() {
            let decided = std::panic::catch_unwind(AssertUnwindSafe(|| {
                let cx = Ctx {
                    state: &state,
                    caller: &job.caller,
                    now,
                    limits: &self.limits,
                };
                (job.decide)(&cx, &mut RandIds(rng))
            }));
            outcomes.push(match decided {
                Ok(Ok(decided)) => {
                    for change in decided {
                        changes.push(change.clone());
                        undos.push(state.apply_undoable(change));
                    }
                    Outcome::Done
                }
                Ok(Err(e)) => Outcome::Refused(e),
                Err(panic) => Outcome::Panicked(panic),
            });
        }
        for undo in undos.into_iter().rev() {
            state.undo(undo);
        }
        (changes, outcomes)
    }

    /// Applies what other replicas committed since this state's version; whether there was any.
    fn catch_up(&self, store: &mut dyn Store) -> Result<bool, StoreError> {
        let changed = match store.catch_up()? {
            Refresh::Current => false,
            Refresh::Changes(changes) => {
                self.apply(store, changes)?;
                true
            }
            Refresh::Reload(changes) => {
                *self.state.write() = State::from_changes(changes);
                let key = load_or_make_key(store, &mut StdRng::from_os_rng())?;
                *self.token_key.write() = key;
                true
            }
        };
        self.version.store(store.version(), Ordering::Release);
        Ok(changed)
    }

    /// Applies other replicas' commits now (the follower calls this when the feed reports them).
    pub fn refresh(&self) -> Result<(), StoreError> {
        let mut w = self.writer.lock();
        self.catch_up(w.store.as_mut())?;
        Ok(())
    }

    /// Starts the thread that keeps this replica's state current with the store's feed, if the
    /// store has one (a store shared with other replicas). It stops once the engine is dropped.
    pub fn follow(engine: &Arc<Engine>) -> std::io::Result<()> {
        let Some(mut feed) = engine.feed.lock().take() else {
            return Ok(());
        };
        let engine: Weak<Engine> = Arc::downgrade(engine);
        std::thread::Builder::new()
            .name("orgd-follow".into())
            .spawn(move || {
                loop {
                    let head = feed.wait(FOLLOW_POLL);
                    let Some(engine) = engine.upgrade() else {
                        return;
                    };
                    let behind = match head {
                        Ok(head) => head > engine.version.load(Ordering::Acquire),
                        Err(err) => {
                            tracing::warn!(%err, "the change feed failed; retrying");
                            drop(engine);
                            std::thread::sleep(FOLLOW_POLL);
                            continue;
                        }
                    };
                    if behind && let Err(err) = engine.refresh() {
                        tracing::warn!(%err, "catching up with other replicas failed");
                    }
                }
            })?;
        Ok(())
    }

    /// Stores `changes`, then applies them; whether there were any.
    fn commit(&self, store: &mut dyn Store, changes: Vec<Change>) -> Result<bool, StoreError> {
        self.commit_reporting(store, changes, &mut |_| {})
    }

    /// `commit`, telling `progress` how many changes the store has written so far.
    fn commit_reporting(
        &self,
        store: &mut dyn Store,
        changes: Vec<Change>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<bool, StoreError> {
        if changes.is_empty() {
            return Ok(false);
        }
        let started = std::time::Instant::now();
        store.commit_with_progress(&changes, progress)?;
        self.commit_latency.observe(started.elapsed().as_secs_f64());
        self.apply(store, changes)?;
        Ok(true)
    }

    /// Applies changes the store holds to the state.
    fn apply(&self, store: &mut dyn Store, changes: Vec<Change>) -> Result<(), StoreError> {
        let mut state = self.state.write();
        let applied = std::panic::catch_unwind(AssertUnwindSafe(|| {
            for c in changes {
                state.apply(c);
            }
        }));
        self.version.store(store.version(), Ordering::Release);
        if let Err(panic) = applied {
            // The store holds the whole write: rebuild the state from it rather than serve a
            // half-applied one. (A store that keeps nothing has no copy to rebuild from.)
            if store.keeps_state() {
                *state = State::from_changes(store.load()?);
                self.version.store(store.version(), Ordering::Release);
            }
            drop(state);
            std::panic::resume_unwind(panic);
        }
        Ok(())
    }

    /// Whether the caller is new to orgd (then `remember` it).
    pub fn knows(&self, caller: &str) -> bool {
        self.state.read().accounts.contains_key(caller)
    }

    /// Records a first-time caller as a standalone account.
    pub fn remember(&self, caller: &str) -> Result<(), EngineError> {
        let who = caller.to_string();
        self.write(caller, move |cx, _| {
            Ok(Write::new((), upkeep(cx, Some(&who))))
        })
    }

    /// Whether some time-driven transition is due (cheap; call `settle` when it is).
    pub fn is_due(&self) -> bool {
        self.state.read().has_due(self.clock.now())
    }

    /// Applies every transition due now (account creation completing, closure finishing) as a
    /// queued write, so it shares a group commit with the writes around it. Over a shared store
    /// every replica may try: the versioned commit lets exactly one make each transition, and
    /// the others find it made when they catch up.
    pub fn settle(&self) -> Result<(), EngineError> {
        self.write("", |cx, _| Ok(Write::new((), upkeep(cx, None))))
    }

    /// `settle` for async callers.
    pub async fn settle_async(self: &Arc<Self>) -> Result<(), EngineError> {
        self.write_async("", |cx, _| Ok(Write::new((), upkeep(cx, None))))
            .await
    }

    /// What every request needs before its operation, as one queued write: a first-time caller
    /// remembered and the transitions due now made. Nothing is queued when neither is needed.
    pub async fn prepare(self: &Arc<Self>, caller: &str) -> Result<(), EngineError> {
        if self.knows(caller) && !self.is_due() {
            return Ok(());
        }
        let who = caller.to_string();
        self.write_async(caller, move |cx, _| {
            Ok(Write::new((), upkeep(cx, Some(&who))))
        })
        .await
    }

    /// Loads `changes` (a whole exported state) into an empty orgd as one durable write, telling
    /// `progress` how many the store has written so far. Refused, changing nothing, if any
    /// organization or account exists; the check and the write happen under the writer lock.
    pub fn import(
        &self,
        changes: Vec<Change>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), ImportError> {
        let mut w = self.writer.lock();
        self.catch_up(w.store.as_mut())?;
        loop {
            {
                let state = self.state.read();
                if !state.organizations.is_empty() || !state.accounts.is_empty() {
                    return Err(ImportError::NotEmpty {
                        organizations: state.organizations.len(),
                        accounts: state.accounts.len(),
                    });
                }
            }
            // Another replica may have written first: then look again (the import is not cloned
            // for the retry; the store takes it by reference).
            match w.store.commit_with_progress(&changes, progress) {
                Err(StoreError::Conflict) => self.catch_up(w.store.as_mut())?,
                Err(e) => return Err(e.into()),
                Ok(()) => {
                    self.apply(w.store.as_mut(), changes)?;
                    return Ok(());
                }
            };
        }
    }

    /// Wipes every organization, account and secret, and puts the clock back to wall time.
    pub fn reset(&self) -> Result<(), StoreError> {
        let mut w = self.writer.lock();
        w.store.reset()?;
        let Writer { store, rng } = &mut *w;
        let key = load_or_make_key(store.as_mut(), rng)?;
        *self.state.write() = State::default();
        self.version.store(store.version(), Ordering::Release);
        self.clock.reset();
        *self.token_key.write() = key;
        Ok(())
    }
}

/// The changes that remember `caller` (when given and new) and make the transitions due now.
fn upkeep(cx: &Ctx, caller: Option<&str>) -> Vec<Change> {
    let mut changes: Vec<Change> = (caller.and_then(|c| ops::remember_caller(cx.state, c)))
        .into_iter()
        .collect();
    if cx.state.has_due(cx.now) {
        changes.extend(ops::settle(cx.state, cx.now, cx.limits));
    }
    changes
}

/// Wraps a write operation as a job whose output goes to a cell of its own.
fn queued<T: Send + 'static>(
    caller: &str,
    mut f: impl FnMut(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
) -> Queued<T> {
    let output = Arc::new(Mutex::new(None));
    let cell = output.clone();
    let (done, outcome) = oneshot::channel();
    let job = Job {
        caller: caller.to_string(),
        decide: Box::new(move |cx, ids| {
            let write = f(cx, ids)?;
            *cell.lock() = Some(write.output);
            Ok(write.changes)
        }),
        done,
    };
    (job, outcome, output)
}

/// A queued write's answer: its output, its error, or its panic resumed in the caller.
fn answer<T>(
    outcome: Result<Outcome, oneshot::error::RecvError>,
    output: &Mutex<Option<T>>,
) -> Result<T, EngineError> {
    match outcome {
        Ok(Outcome::Done) => Ok(output
            .lock()
            .take()
            .expect("a decided write leaves its output")),
        Ok(Outcome::Refused(e)) => Err(e.into()),
        Ok(Outcome::Failed(e)) => Err(EngineError::Store(e)),
        Ok(Outcome::Panicked(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("the group commit holding this write panicked"),
    }
}

/// The stored token key, made on first use. Replicas sharing a store share the key (the first
/// one stored), so a token one replica sealed opens on another.
fn load_or_make_key(store: &mut dyn Store, rng: &mut StdRng) -> Result<[u8; 32], StoreError> {
    let mut fresh = [0u8; 32];
    rng.fill_bytes(&mut fresh);
    let stored = store.meta_or_insert(TOKEN_KEY, &fresh)?;
    if let Ok(key) = <[u8; 32]>::try_from(stored.as_slice()) {
        return Ok(key);
    }
    store.set_meta(TOKEN_KEY, &fresh)?;
    Ok(fresh)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
