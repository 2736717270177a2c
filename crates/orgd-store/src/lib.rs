//! Storage behind a narrow interface. orgd keeps its whole state in memory (`orgd_domain::State`)
//! and uses a `Store` to make every write durable before it becomes visible, and to load the state
//! at start-up. Backends: `SqliteStore` (embedded, the default), `PgStore` (PostgreSQL, shared by
//! any number of orgd replicas) and `MemoryStore` (nothing kept). Every backend runs the same
//! contract tests, `conformance` (`store_conformance!`).
//!
//! A store shared with other processes is versioned: each commit is checked against the version
//! the store last loaded, committed or caught up to (`Store::version`), and fails with
//! `StoreError::Conflict` when another process committed since; `catch_up` then returns what the
//! others committed, and `feed` wakes a follower when they commit.

#[cfg(any(test, feature = "testing"))]
pub mod conformance;
mod memory;
mod pg;
mod rows;
mod sqlite;

pub use memory::MemoryStore;
pub use pg::PgStore;
#[cfg(any(test, feature = "testing"))]
pub use pg::testing as pg_testing;
pub use sqlite::SqliteStore;

use std::time::Duration;

use orgd_domain::Change;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("corrupt record {kind}/{id}: {source}")]
    Corrupt {
        kind: &'static str,
        id: String,
        source: serde_json::Error,
    },
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("postgresql: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("the database's schema is at version {found}, newer than this orgd knows ({known})")]
    SchemaTooNew { found: i32, known: i32 },
    /// Another process committed since this store's `version`: nothing was written; `catch_up`
    /// and decide again.
    #[error("another replica committed first")]
    Conflict,
}

/// What other processes committed since a store's `version` (`Store::catch_up`).
#[derive(Debug)]
pub enum Refresh {
    /// Nothing: the state this store last handed out is current.
    Current,
    /// These changes, in commit order, to apply on top of that state.
    Changes(Vec<Change>),
    /// The whole state (after a reset, or when the commits in between are no longer kept):
    /// replace the state with it, and read the metadata again.
    Reload(Vec<Change>),
}

/// Wakes a follower when another process may have committed.
pub trait Feed: Send {
    /// Waits at most `max` for a commit by anyone, then returns the store's current version.
    fn wait(&mut self, max: Duration) -> Result<u64>;
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Durable storage for orgd's state.
pub trait Store: Send {
    /// Every stored entity, as the changes that rebuild the state from empty.
    fn load(&mut self) -> Result<Vec<Change>>;
    /// Stores `changes` atomically; returns only once they are durable.
    fn commit(&mut self, changes: &[Change]) -> Result<()>;
    /// `commit`, telling `progress` how many of `changes` have been written so far (for long
    /// imports); still atomic and durable when it returns.
    fn commit_with_progress(
        &mut self,
        changes: &[Change],
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        self.commit(changes)?;
        progress(changes.len());
        Ok(())
    }
    /// Deletes everything, metadata included.
    fn reset(&mut self) -> Result<()>;
    /// A small named value that is not part of the organization model (e.g. a server secret).
    fn meta(&mut self, key: &str) -> Result<Option<Vec<u8>>>;
    fn set_meta(&mut self, key: &str, value: &[u8]) -> Result<()>;
    /// `meta(key)` if set; otherwise sets it to `value`. Returns the stored value: of processes
    /// racing to set the same key, all get the first one's.
    fn meta_or_insert(&mut self, key: &str, value: &[u8]) -> Result<Vec<u8>> {
        if let Some(v) = self.meta(key)? {
            return Ok(v);
        }
        self.set_meta(key, value)?;
        Ok(value.to_vec())
    }
    /// Whether `load` gives back every committed change (false for a store that keeps nothing).
    fn keeps_state(&self) -> bool {
        true
    }
    /// The version of the state this store last loaded, committed or caught up to (always 0 for
    /// a store no other process writes).
    fn version(&self) -> u64 {
        0
    }
    /// What other processes committed since `version`, advancing `version` past it.
    fn catch_up(&mut self) -> Result<Refresh> {
        Ok(Refresh::Current)
    }
    /// A separate connection that wakes when others commit (`None`: no other process writes).
    fn feed(&self) -> Result<Option<Box<dyn Feed>>> {
        Ok(None)
    }
}
