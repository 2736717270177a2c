//! The engine: the in-memory `State` behind a read-write lock, and one writer at a time that makes
//! each write durable in the `Store` before applying it. Reads never wait for the disk.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use orgd_domain::ids::IdSource;
use orgd_domain::model::State;
use orgd_domain::ops::{self, Ctx, Write};
use orgd_domain::{Change, Limits, OrgError};
use orgd_store::{Store, StoreError};
use parking_lot::{Mutex, RwLock};
use prometheus_client::metrics::histogram::Histogram;
use rand::{Rng, RngCore, SeedableRng, rngs::StdRng};

use crate::clock::Clock;

/// Why a request could not be served.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Domain(#[from] OrgError),
    #[error("storage failed: {0}")]
    Store(#[from] StoreError),
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

pub struct Engine {
    state: RwLock<State>,
    writer: Mutex<Writer>,
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
        let mut rng = StdRng::from_os_rng();
        let token_key = load_or_make_key(store.as_mut(), &mut rng)?;
        Ok(Engine {
            state: RwLock::new(state),
            writer: Mutex::new(Writer { store, rng }),
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

    /// Runs a write operation: decides its changes on the current state, stores them durably, then
    /// applies them. Blocks on the disk: call it off the async runtime's worker threads.
    pub fn write<T>(
        &self,
        caller: &str,
        f: impl FnOnce(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError>,
    ) -> Result<T, EngineError> {
        let mut w = self.writer.lock();
        let Writer { store, rng } = &mut *w;
        let write = {
            let state = self.state.read();
            let cx = Ctx {
                state: &state,
                caller,
                now: self.clock.now(),
                limits: &self.limits,
            };
            f(&cx, &mut RandIds(rng))?
        };
        self.commit(store.as_mut(), write.changes)?;
        Ok(write.output)
    }

    fn commit(&self, store: &mut dyn Store, changes: Vec<Change>) -> Result<(), StoreError> {
        self.commit_reporting(store, changes, &mut |_| {})
    }

    /// `commit`, telling `progress` how many changes the store has written so far.
    fn commit_reporting(
        &self,
        store: &mut dyn Store,
        changes: Vec<Change>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        store.commit_with_progress(&changes, progress)?;
        self.commit_latency.observe(started.elapsed().as_secs_f64());
        let mut state = self.state.write();
        let applied = std::panic::catch_unwind(AssertUnwindSafe(|| {
            for c in changes {
                state.apply(c);
            }
        }));
        if let Err(panic) = applied {
            // The store holds the whole write: rebuild the state from it rather than serve a
            // half-applied one. (A store that keeps nothing has no copy to rebuild from.)
            if store.keeps_state() {
                *state = State::from_changes(store.load()?);
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
    pub fn remember(&self, caller: &str) -> Result<(), StoreError> {
        let mut w = self.writer.lock();
        let change = ops::remember_caller(&self.state.read(), caller);
        self.commit(w.store.as_mut(), change.into_iter().collect())
    }

    /// Whether some time-driven transition is due (cheap; call `settle` when it is).
    pub fn is_due(&self) -> bool {
        self.state.read().has_due(self.clock.now())
    }

    /// Applies every transition due now (account creation completing, closure finishing).
    pub fn settle(&self) -> Result<(), StoreError> {
        let mut w = self.writer.lock();
        let now = self.clock.now();
        let changes = {
            let state = self.state.read();
            if !state.has_due(now) {
                return Ok(());
            }
            ops::settle(&state, now, &self.limits)
        };
        self.commit(w.store.as_mut(), changes)
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
        {
            let state = self.state.read();
            if !state.organizations.is_empty() || !state.accounts.is_empty() {
                return Err(ImportError::NotEmpty {
                    organizations: state.organizations.len(),
                    accounts: state.accounts.len(),
                });
            }
        }
        self.commit_reporting(w.store.as_mut(), changes, progress)?;
        Ok(())
    }

    /// Wipes every organization, account and secret, and puts the clock back to wall time.
    pub fn reset(&self) -> Result<(), StoreError> {
        let mut w = self.writer.lock();
        w.store.reset()?;
        let Writer { store, rng } = &mut *w;
        let key = load_or_make_key(store.as_mut(), rng)?;
        *self.state.write() = State::default();
        self.clock.reset();
        *self.token_key.write() = key;
        Ok(())
    }
}

fn load_or_make_key(store: &mut dyn Store, rng: &mut StdRng) -> Result<[u8; 32], StoreError> {
    if let Some(k) = store.meta(TOKEN_KEY)?.filter(|k| k.len() == 32) {
        let mut key = [0u8; 32];
        key.copy_from_slice(&k);
        return Ok(key);
    }
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    store.set_meta(TOKEN_KEY, &key)?;
    Ok(key)
}
