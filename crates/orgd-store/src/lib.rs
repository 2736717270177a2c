//! Storage behind a narrow interface. orgd keeps its whole state in memory (`orgd_domain::State`)
//! and uses a `Store` to make every write durable before it becomes visible, and to load the state
//! at start-up. Backends: `SqliteStore` (embedded, the default) and `MemoryStore` (nothing kept).
//! Every backend runs the same contract tests, `conformance` (`store_conformance!`).

#[cfg(any(test, feature = "testing"))]
pub mod conformance;
mod memory;
mod sqlite;

pub use memory::MemoryStore;
pub use sqlite::SqliteStore;

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
    /// Whether `load` gives back every committed change (false for a store that keeps nothing).
    fn keeps_state(&self) -> bool {
        true
    }
}
