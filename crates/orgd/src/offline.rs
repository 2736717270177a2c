//! `orgd export` and `orgd import`: the export document (see `export`) read from or loaded into a
//! data directory directly, with no server running. An import goes through the engine, so it is
//! checked and written exactly as `POST /_orgd/import` does: into an empty orgd only, as one
//! durable transaction.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use orgd_domain::Limits;
use orgd_domain::model::State;
use orgd_store::{SqliteStore, Store};

use crate::clock::Clock;
use crate::engine::Engine;
use crate::export::{Counts, Document};

/// Imports of at least this many entities show a progress bar (when stderr is a terminal).
const PROGRESS_FROM: usize = 1_000;

/// Writes the export document of the data directory `data_dir` to `output` (or stdout).
pub fn export(data_dir: &Path, output: Option<&Path>) -> anyhow::Result<Counts> {
    if !SqliteStore::exists_in(data_dir) {
        bail!("{} holds no orgd database", data_dir.display());
    }
    let mut store = SqliteStore::open(data_dir)
        .with_context(|| format!("opening the database in {}", data_dir.display()))?;
    let doc = Document::of(&State::from_changes(store.load()?));
    let json = doc.to_json();
    match output {
        Some(path) => {
            std::fs::write(path, &json).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&json)?;
            out.flush()?;
        }
    }
    Ok(doc.counts())
}

/// Loads the export document in `file` ("-": stdin) into the data directory `data_dir`, which
/// must hold no organization and no account (it is created if missing).
pub fn import(data_dir: &Path, file: &Path) -> anyhow::Result<Counts> {
    let bytes = if file == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(file).with_context(|| format!("reading {}", file.display()))?
    };
    let doc = Document::parse(&bytes).with_context(|| format!("{} refused", file.display()))?;
    let counts = doc.counts();
    let changes = doc.into_changes();
    let store: Box<dyn Store> = Box::new(
        SqliteStore::open(data_dir)
            .with_context(|| format!("opening the database in {}", data_dir.display()))?,
    );
    let engine = Engine::open(store, Limits::default(), Arc::new(Clock::default()))?;
    let bar = progress_bar(changes.len());
    let mut progress = |done: usize| bar.set_position(done as u64);
    let imported = engine.import(changes, &mut progress);
    bar.finish_and_clear();
    imported?;
    Ok(counts)
}

/// A bar counting entities written, drawn only for a large import on a terminal.
fn progress_bar(total: usize) -> ProgressBar {
    if total < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) =
        ProgressStyle::with_template("importing {bar:40} {pos}/{len} entities ({eta} left)")
    {
        bar.set_style(style);
    }
    bar
}
