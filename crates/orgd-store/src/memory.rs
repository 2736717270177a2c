use std::collections::HashMap;

use orgd_domain::Change;

use crate::{Result, Store};

/// Keeps nothing: for `--in-memory` and tests. The engine's in-memory state is the only copy.
#[derive(Debug, Default)]
pub struct MemoryStore {
    meta: HashMap<String, Vec<u8>>,
}

impl Store for MemoryStore {
    fn load(&mut self) -> Result<Vec<Change>> {
        Ok(Vec::new())
    }

    fn keeps_state(&self) -> bool {
        false
    }

    fn commit(&mut self, _changes: &[Change]) -> Result<()> {
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        self.meta.clear();
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.meta.get(key).cloned())
    }

    fn set_meta(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.meta.insert(key.to_string(), value.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store_conformance!(Keeps::Nothing, |_dir| MemoryStore::default());
}
