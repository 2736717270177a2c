//! The embedded backend: one SQLite database, `orgd.db`, in the data directory. Each kind of entity
//! has its own table of `(id, body)`, the body being the entity as JSON. The database runs in WAL
//! mode with `synchronous=FULL`, so a commit has reached the disk when `commit` returns.

use std::path::Path;

use orgd_domain::Change;
use rusqlite::{Connection, params};

use crate::rows::{self, TABLES};
use crate::{Result, Store};

/// The database's file name in the data directory.
const FILE_NAME: &str = "orgd.db";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS organizations (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roots (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ous (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS create_account_requests (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS handshakes (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS policies (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS responsibility_transfers (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
";

pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Whether `dir` holds an orgd database (without creating one).
    pub fn exists_in(dir: &Path) -> bool {
        dir.join(FILE_NAME).is_file()
    }

    /// Opens (creating if needed) `orgd.db` in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join(FILE_NAME))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteStore { conn })
    }
}

fn put(tx: &rusqlite::Transaction, table: &str, id: &str, body: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO {table} (id, body) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET body = excluded.body"
    );
    tx.prepare_cached(&sql)?.execute(params![id, body])?;
    Ok(())
}

fn delete(tx: &rusqlite::Transaction, table: &str, id: &str) -> Result<()> {
    tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?
        .execute(params![id])?;
    Ok(())
}

fn load_table(conn: &Connection, table: &'static str, out: &mut Vec<Change>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT id, body FROM {table}"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let text: String = row.get(1)?;
        out.push(rows::decode(table, id, &text)?);
    }
    Ok(())
}

impl Store for SqliteStore {
    fn load(&mut self) -> Result<Vec<Change>> {
        let mut out = Vec::new();
        for table in TABLES {
            load_table(&self.conn, table, &mut out)?;
        }
        Ok(out)
    }

    fn commit(&mut self, changes: &[Change]) -> Result<()> {
        self.commit_with_progress(changes, &mut |_| {})
    }

    fn commit_with_progress(
        &mut self,
        changes: &[Change],
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for (done, change) in changes.iter().enumerate() {
            progress(done);
            let row = rows::row(change);
            match &row.body {
                Some(body) => put(&tx, row.table, row.id, body)?,
                None => delete(&tx, row.table, row.id)?,
            }
        }
        tx.commit()?;
        progress(changes.len());
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        for table in TABLES.iter().chain(["meta"].iter()) {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
        let mut rows = stmt.query(params![key])?;
        Ok(match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        })
    }

    fn set_meta(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store_conformance!(Keeps::Durably, |dir| SqliteStore::open(dir).unwrap());
}
