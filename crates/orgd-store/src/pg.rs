//! The PostgreSQL backend, shared by any number of orgd processes ("replicas").
//!
//! Tables: one per kind of entity, `orgd_<kind> (id, body)` with the entity as JSON (the rows of
//! `rows.rs`, as in SQLite); `orgd_meta`; `orgd_head`, one row holding the version of the whole
//! state; `orgd_commits`, the commit log (each version's changes as JSON, or a reset), which is
//! the change feed replicas catch up from; `orgd_schema`, the migrations applied.
//!
//! A commit is optimistic: one statement moves the head from the version this store last saw to
//! the next (`UPDATE … WHERE version = $seen`), logs the changes under the new version and
//! notifies the `orgd_commits` channel; the entity rows follow in the same transaction. When
//! another replica committed first the update matches no row (it waits for that replica's row
//! lock, then re-checks its condition), nothing is written and `commit` returns
//! `StoreError::Conflict`. Every writer takes the head's row lock first, so writers never
//! deadlock.
//!
//! The driver is the `postgres` crate, the blocking face of `tokio-postgres`: the `Store` trait is
//! synchronous and the engine calls it from blocking threads, so a blocking client keeps the
//! engine as it is. Each store holds one connection (the engine's writer lock serialises its
//! use, so a pool would add nothing) and reconnects when it finds it closed; `feed` opens a second
//! one that LISTENs. A `postgres::Client` runs its own small runtime and must not be dropped on
//! an async worker thread, so its connections are dropped on a thread of their own.

use std::time::Duration;

use orgd_domain::Change;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use postgres::{Client, Config, IsolationLevel, NoTls};

use crate::rows::{self, TABLES};
use crate::{Feed, Refresh, Result, Store, StoreError};

/// The channel a commit notifies, with its version as payload.
const CHANNEL: &str = "orgd_commits";

/// The advisory lock held while migrating, so replicas starting together migrate one at a time.
const MIGRATION_LOCK: i64 = 0x6f72_6764_6d69_6772;

/// Commits kept in the log; a replica further behind reloads the whole state instead.
const KEEP_COMMITS: i64 = 10_000;

/// The schema's migrations, in order: migration `i` brings the schema to version `i + 1`. Append
/// only; never edit one that has shipped.
const MIGRATIONS: &[&str] = &["
CREATE TABLE orgd_organizations (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_roots (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_ous (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_accounts (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_create_account_requests (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_handshakes (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_policies (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_responsibility_transfers (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE orgd_meta (key TEXT PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE orgd_head (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    version BIGINT NOT NULL
);
INSERT INTO orgd_head (version) VALUES (0);
CREATE TABLE orgd_commits (
    version BIGINT PRIMARY KEY,
    reset BOOLEAN NOT NULL,
    changes TEXT
);
"];

fn table(kind: &str) -> String {
    format!("orgd_{kind}")
}

pub struct PgStore {
    config: Config,
    client: Option<Client>,
    /// The version of the state last loaded, committed or caught up to.
    seen: i64,
}

impl PgStore {
    /// Connects to the database at `url` (`postgresql://USER@HOST:PORT/DB`) and brings its
    /// schema up to date.
    pub fn open(url: &str) -> Result<Self> {
        let config = parse(url)?;
        let mut client = config.connect(NoTls)?;
        migrate(&mut client)?;
        Ok(PgStore {
            config,
            client: Some(client),
            seen: 0,
        })
    }

    /// The connection, opened again if it was lost.
    fn client(&mut self) -> Result<&mut Client> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            release(self.client.take());
            self.client = Some(self.config.connect(NoTls)?);
        }
        Ok(self.client.as_mut().expect("connected above"))
    }
}

fn parse(url: &str) -> Result<Config> {
    let mut config: Config = url.parse()?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    Ok(config)
}

/// Drops a connection on a thread of its own (see the module's notes).
fn release(client: Option<Client>) {
    if let Some(client) = client {
        std::thread::spawn(move || drop(client));
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        release(self.client.take());
    }
}

/// Applies the migrations the database lacks, under the advisory lock.
fn migrate(client: &mut Client) -> Result<()> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let migrated = (|| -> Result<()> {
        client.batch_execute("CREATE TABLE IF NOT EXISTS orgd_schema (version INT PRIMARY KEY)")?;
        let found: Option<i32> = client
            .query_one("SELECT max(version) FROM orgd_schema", &[])?
            .get(0);
        let found = found.unwrap_or(0);
        let known = MIGRATIONS.len() as i32;
        if found > known {
            return Err(StoreError::SchemaTooNew { found, known });
        }
        for (done, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let mut tx = client.transaction()?;
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO orgd_schema (version) VALUES ($1)",
                &[&(done as i32 + 1)],
            )?;
            tx.commit()?;
        }
        Ok(())
    })();
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
    migrated
}

impl Store for PgStore {
    fn load(&mut self) -> Result<Vec<Change>> {
        let client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let version: i64 = tx
            .query_typed_one("SELECT version FROM orgd_head", &[])?
            .get(0);
        let mut out = Vec::new();
        for kind in TABLES {
            let sql = format!("SELECT id, body FROM {}", table(kind));
            for row in tx.query_typed(&sql, &[])? {
                let body: &str = row.get(1);
                out.push(rows::decode(kind, row.get(0), body)?);
            }
        }
        tx.commit()?;
        self.seen = version;
        Ok(out)
    }

    fn commit(&mut self, changes: &[Change]) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let seen = self.seen;
        let log = serde_json::to_string(changes).expect("changes always serialize");
        // The last change to an entity decides its row; the rows of one kind are written by one
        // statement each (puts, then deletes), in the order the kinds are loaded.
        let mut last: Vec<(&'static str, &str, Option<String>)> = Vec::new();
        let mut at = std::collections::HashMap::new();
        for change in changes {
            let row = rows::row(change);
            match at.get(&(row.table, row.id)) {
                Some(&i) => last[i] = (row.table, row.id, row.body),
                None => {
                    at.insert((row.table, row.id), last.len());
                    last.push((row.table, row.id, row.body));
                }
            }
        }
        let client = self.client()?;
        let mut tx = client.transaction()?;
        let committed = tx.query_typed(
            "WITH head AS (
                 UPDATE orgd_head SET version = version + 1 WHERE version = $1 RETURNING version
             ), logged AS (
                 INSERT INTO orgd_commits (version, reset, changes)
                 SELECT version, FALSE, $2 FROM head RETURNING version
             )
             SELECT version, pg_notify($3, version::text) FROM logged",
            &[
                (&seen, Type::INT8),
                (&log, Type::TEXT),
                (&CHANNEL, Type::TEXT),
            ],
        )?;
        let Some(row) = committed.first() else {
            tx.rollback()?;
            return Err(StoreError::Conflict);
        };
        let version: i64 = row.get(0);
        for kind in TABLES {
            let (mut put_ids, mut bodies, mut deleted) = (Vec::new(), Vec::new(), Vec::new());
            for (_, id, body) in last.iter().filter(|(t, _, _)| *t == kind) {
                match body {
                    Some(body) => {
                        put_ids.push(*id);
                        bodies.push(body.as_str());
                    }
                    None => deleted.push(*id),
                }
            }
            if !put_ids.is_empty() {
                let sql = format!(
                    "INSERT INTO {} (id, body) SELECT * FROM unnest($1::text[], $2::text[])
                     ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                    table(kind)
                );
                tx.execute_typed(
                    &sql,
                    &[(&put_ids, Type::TEXT_ARRAY), (&bodies, Type::TEXT_ARRAY)],
                )?;
            }
            if !deleted.is_empty() {
                let sql = format!("DELETE FROM {} WHERE id = ANY($1)", table(kind));
                tx.execute_typed(&sql, &[(&deleted, Type::TEXT_ARRAY)])?;
            }
        }
        if version % 1000 == 0 {
            tx.execute_typed(
                "DELETE FROM orgd_commits WHERE version <= $1",
                &[(&(version - KEEP_COMMITS), Type::INT8)],
            )?;
        }
        tx.commit()?;
        self.seen = version;
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        let client = self.client()?;
        let mut tx = client.transaction()?;
        let version: i64 = tx
            .query_typed_one(
                "UPDATE orgd_head SET version = version + 1 RETURNING version",
                &[],
            )?
            .get(0);
        for kind in TABLES {
            tx.batch_execute(&format!("DELETE FROM {}", table(kind)))?;
        }
        tx.batch_execute("DELETE FROM orgd_meta; DELETE FROM orgd_commits")?;
        tx.execute_typed(
            "INSERT INTO orgd_commits (version, reset) VALUES ($1, TRUE)",
            &[(&version, Type::INT8)],
        )?;
        tx.execute_typed(
            "SELECT pg_notify($1, $2::bigint::text)",
            &[(&CHANNEL, Type::TEXT), (&version, Type::INT8)],
        )?;
        tx.commit()?;
        self.seen = version;
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let row = self.client()?.query_typed_opt(
            "SELECT value FROM orgd_meta WHERE key = $1",
            &[(&key, Type::TEXT)],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    fn set_meta(&mut self, key: &str, value: &[u8]) -> Result<()> {
        self.client()?.execute_typed(
            "INSERT INTO orgd_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[(&key, Type::TEXT), (&value, Type::BYTEA)],
        )?;
        Ok(())
    }

    fn meta_or_insert(&mut self, key: &str, value: &[u8]) -> Result<Vec<u8>> {
        let client = self.client()?;
        client.execute_typed(
            "INSERT INTO orgd_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[(&key, Type::TEXT), (&value, Type::BYTEA)],
        )?;
        Ok(client
            .query_typed_one(
                "SELECT value FROM orgd_meta WHERE key = $1",
                &[(&key, Type::TEXT)],
            )?
            .get(0))
    }

    fn version(&self) -> u64 {
        self.seen as u64
    }

    fn catch_up(&mut self) -> Result<Refresh> {
        let seen = self.seen;
        let rows = self.client()?.query_typed(
            "SELECT version, reset, changes FROM orgd_commits WHERE version > $1 ORDER BY version",
            &[(&seen, Type::INT8)],
        )?;
        let Some(first) = rows.first() else {
            return Ok(Refresh::Current);
        };
        let contiguous = first.get::<_, i64>(0) == seen + 1;
        if !contiguous || rows.iter().any(|r| r.get::<_, bool>(1)) {
            return Ok(Refresh::Reload(self.load()?));
        }
        let mut out = Vec::new();
        for row in &rows {
            let version: i64 = row.get(0);
            let text: &str = row.get(2);
            let changes: Vec<Change> =
                serde_json::from_str(text).map_err(|source| StoreError::Corrupt {
                    kind: "commits",
                    id: version.to_string(),
                    source,
                })?;
            out.extend(changes);
        }
        self.seen = rows.last().map_or(seen, |r| r.get(0));
        Ok(Refresh::Changes(out))
    }

    fn feed(&self) -> Result<Option<Box<dyn Feed>>> {
        let mut feed = PgFeed {
            config: self.config.clone(),
            client: None,
        };
        feed.listen()?;
        Ok(Some(Box::new(feed)))
    }
}

/// A connection that LISTENs to the commit channel.
struct PgFeed {
    config: Config,
    client: Option<Client>,
}

impl PgFeed {
    fn listen(&mut self) -> Result<&mut Client> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            release(self.client.take());
            let mut client = self.config.connect(NoTls)?;
            client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
            self.client = Some(client);
        }
        Ok(self.client.as_mut().expect("connected above"))
    }
}

impl Feed for PgFeed {
    fn wait(&mut self, max: Duration) -> Result<u64> {
        let client = self.listen()?;
        {
            let mut notes = client.notifications();
            // Whatever woke us (or the timeout, the safety net for a lost notification), the
            // head is read below; the notifications themselves only cut the wait short.
            let _ = notes.timeout_iter(max).next()?;
            while notes.iter().next()?.is_some() {}
        }
        let head: i64 = client
            .query_typed_one("SELECT version FROM orgd_head", &[])?
            .get(0);
        Ok(head as u64)
    }
}

impl Drop for PgFeed {
    fn drop(&mut self) {
        release(self.client.take());
    }
}

/// Helpers for tests that need a PostgreSQL server: its URL comes from `ORGD_TEST_DATABASE_URL`
/// (`postgresql://USER@HOST:PORT/DB`); without it they are skipped, unless
/// `ORGD_REQUIRE_POSTGRES=1` says PostgreSQL is expected (as in CI), where they fail.
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    use std::sync::atomic::{AtomicU32, Ordering};

    pub const URL_VAR: &str = "ORGD_TEST_DATABASE_URL";
    pub const REQUIRE_VAR: &str = "ORGD_REQUIRE_POSTGRES";

    /// The test server's URL; `None` to skip. Panics when PostgreSQL is required but not given.
    pub fn server_url() -> Option<String> {
        match std::env::var(URL_VAR) {
            Ok(url) if !url.is_empty() => Some(url),
            _ => {
                assert!(
                    std::env::var(REQUIRE_VAR).as_deref() != Ok("1"),
                    "{REQUIRE_VAR}=1 but {URL_VAR} is not set"
                );
                eprintln!("skipped: {URL_VAR} is not set");
                None
            }
        }
    }

    /// `url` with its database name replaced by `name`.
    pub fn with_database(url: &str, name: &str) -> String {
        let (base, query) = url.split_once('?').map_or((url, ""), |(b, q)| (b, q));
        let authority = base.find("://").map_or(0, |i| i + 3);
        let base = match base[authority..].find('/') {
            Some(slash) => &base[..authority + slash],
            None => base,
        };
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("{base}/{name}{query}")
    }

    /// Creates the database `name` on the test server if it does not exist; returns its URL.
    /// Safe to call from async code (it connects on a thread of its own).
    pub fn database(name: &str) -> Option<String> {
        let server = server_url()?;
        let name = name.to_string();
        let url = std::thread::spawn(move || {
            let mut admin = postgres::Client::connect(&server, postgres::NoTls)
                .unwrap_or_else(|e| panic!("connecting to {server}: {e}"));
            let exists = admin
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .expect("listing databases")
                .is_some();
            if !exists {
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("creating a test database");
            }
            with_database(&server, &name)
        })
        .join()
        .expect("the database helper does not panic");
        Some(url)
    }

    /// A new, empty database whose name starts with `label`; returns its URL.
    pub fn fresh_database(label: &str) -> Option<String> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "{label}_{}_{}_{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        database(&name)
    }

    /// The database standing for the test directory `dir` (the same one for the same `dir`).
    pub fn database_for(dir: &std::path::Path) -> Option<String> {
        // FNV-1a: a stable name for the directory, short enough for PostgreSQL's 63 bytes.
        let hash = dir
            .as_os_str()
            .as_encoded_bytes()
            .iter()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
            });
        database(&format!("orgd_conformance_{hash:016x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::store_conformance!(shared, when testing::server_url().is_some(), |dir| {
        PgStore::open(&testing::database_for(dir).expect("checked above")).unwrap()
    });

    #[test]
    fn urls_name_another_database() {
        assert_eq!(
            testing::with_database("postgresql://u@h:5/postgres", "x"),
            "postgresql://u@h:5/x"
        );
        assert_eq!(
            testing::with_database("postgresql://u@h:5/db?sslmode=disable", "x"),
            "postgresql://u@h:5/x?sslmode=disable"
        );
        assert_eq!(
            testing::with_database("postgresql://u@h:5", "x"),
            "postgresql://u@h:5/x"
        );
    }

    /// Replicas starting together on an empty database migrate it once, without errors.
    #[test]
    fn replicas_starting_together_migrate_once() {
        let Some(url) = testing::fresh_database("orgd_migrate") else {
            return;
        };
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                std::thread::spawn(move || PgStore::open(&url).map(|_| ()))
            })
            .collect();
        for s in starts {
            s.join().unwrap().expect("every replica opens");
        }
        let mut c = Client::connect(&url, NoTls).unwrap();
        let versions: Vec<i32> = c
            .query("SELECT version FROM orgd_schema ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(versions, (1..=MIGRATIONS.len() as i32).collect::<Vec<_>>());
    }
}
