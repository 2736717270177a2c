//! Group commit: writes that queue up while a commit is on its way share one commit, each decided
//! on the state the writes before it leave, answered only once stored; a failed commit fails its
//! whole group and leaves nothing behind; one write's panic is its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use orgd_domain::error::Constraint;
use orgd_domain::ids::IdScheme;
use orgd_domain::model::FeatureSet;
use orgd_domain::ops::{self, Write};
use orgd_domain::{Change, Limits, OrgError, State};
use orgd_store::{Result as StoreResult, Store, StoreError};

use super::{Engine, EngineError};
use crate::clock::Clock;

const MGMT: &str = "111111111111";

/// What the test store saw, shared with the test.
#[derive(Default)]
struct Log {
    commits: AtomicUsize,
    changes: parking_lot::Mutex<Vec<Change>>,
    failing: AtomicBool,
}

/// A store that keeps every committed change in `Log`, takes a while per commit (as an fsync
/// does) so that writes queue up, and fails while `failing` is set.
struct SlowStore(Arc<Log>);

impl Store for SlowStore {
    fn load(&mut self) -> StoreResult<Vec<Change>> {
        Ok(self.0.changes.lock().clone())
    }

    fn commit(&mut self, changes: &[Change]) -> StoreResult<()> {
        std::thread::sleep(Duration::from_millis(3));
        if self.0.failing.load(Ordering::SeqCst) {
            return Err(StoreError::Io(std::io::Error::other("disk full")));
        }
        self.0.commits.fetch_add(1, Ordering::SeqCst);
        self.0.changes.lock().extend_from_slice(changes);
        Ok(())
    }

    fn reset(&mut self) -> StoreResult<()> {
        self.0.changes.lock().clear();
        Ok(())
    }

    fn meta(&mut self, _key: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(None)
    }

    fn set_meta(&mut self, _key: &str, _value: &[u8]) -> StoreResult<()> {
        Ok(())
    }
}

/// An engine over a fresh `SlowStore` with an organization of `MGMT`; its root's id.
fn engine() -> (Arc<Engine>, Arc<Log>, String) {
    engine_with(Limits::default())
}

/// `engine` with these limits.
fn engine_with(limits: Limits) -> (Arc<Engine>, Arc<Log>, String) {
    let log = Arc::new(Log::default());
    let engine = Engine::open(
        Box::new(SlowStore(log.clone())),
        limits,
        Arc::new(Clock::default()),
    )
    .unwrap();
    engine.remember(MGMT).unwrap();
    engine
        .write(MGMT, |cx, ids| {
            ops::create_organization(cx, ids, Some(FeatureSet::All), IdScheme::Aws)
        })
        .unwrap();
    let root = engine.inspect(|s| s.roots.keys().next().unwrap().clone());
    (Arc::new(engine), log, root)
}

/// Runs `n` writes at once, each from its own thread, all released together; their results.
fn at_once<T: Send + 'static>(
    n: usize,
    write: impl Fn(usize) -> Result<T, EngineError> + Send + Sync + 'static,
) -> Vec<std::thread::Result<Result<T, EngineError>>> {
    let write = Arc::new(write);
    let start = Arc::new(std::sync::Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (write, start) = (write.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                write(i)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join()).collect()
}

fn create_ou(engine: &Engine, root: &str, name: String) -> Result<String, EngineError> {
    let root = root.to_string();
    engine.write(MGMT, move |cx, ids| {
        ops::create_organizational_unit(cx, ids, &root, &name, &[])
            .map(|w| Write::new(w.output.id, w.changes))
    })
}

#[test]
fn writes_that_queue_up_share_a_commit_and_see_each_other() {
    let (engine, log, root) = engine();
    let before = log.commits.load(Ordering::SeqCst);
    // 48 creates of 6 names under one parent: exactly one of each name may succeed, also when
    // several of the same name are decided in one group.
    let e = engine.clone();
    let results = at_once(48, move |i| create_ou(&e, &root, format!("Unit {}", i % 6)));
    let results: Vec<_> = results.into_iter().map(|r| r.unwrap()).collect();
    let created = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(created, 6, "one OU per name");
    for r in &results {
        if let Err(e) = r {
            assert!(
                matches!(
                    e,
                    EngineError::Domain(OrgError::DuplicateOrganizationalUnit)
                ),
                "{e:?}"
            );
        }
    }
    let commits = log.commits.load(Ordering::SeqCst) - before;
    assert!(
        commits < created,
        "{created} OUs created in {commits} commits: the writes did not share commits"
    );
    // What was answered is what is stored, and what the state holds.
    let stored = State::from_changes(log.changes.lock().clone());
    let names = |s: &State| {
        let mut v: Vec<String> = s.ous.values().map(|o| o.name.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(engine.inspect(names), names(&stored));
    assert_eq!(names(&stored).len(), 6);
}

#[test]
fn a_quota_holds_across_a_group() {
    let (engine, _log, root) = engine_with(Limits {
        max_ous: 5,
        ..Limits::default()
    });
    let e = engine.clone();
    let results = at_once(24, move |i| create_ou(&e, &root, format!("Unit {i}")));
    let refused = results
        .iter()
        .filter(|r| {
            matches!(
                r.as_ref().unwrap(),
                Err(EngineError::Domain(OrgError::Constraint(
                    Constraint::OuLimit { .. }
                )))
            )
        })
        .count();
    assert_eq!(refused, 19);
    assert_eq!(engine.inspect(|s| s.ous.len()), 5);
}

#[test]
fn a_failed_commit_fails_its_whole_group_and_changes_nothing() {
    let (engine, log, root) = engine();
    log.failing.store(true, Ordering::SeqCst);
    let e = engine.clone();
    let r = root.clone();
    let results = at_once(16, move |i| create_ou(&e, &r, format!("Unit {i}")));
    for r in results {
        assert!(matches!(r.unwrap(), Err(EngineError::Store(_))));
    }
    assert_eq!(
        engine.inspect(|s| s.ous.len()),
        0,
        "nothing unstored is applied"
    );
    log.failing.store(false, Ordering::SeqCst);
    create_ou(&engine, &root, "Unit 0".into()).unwrap();
    assert_eq!(engine.inspect(|s| s.ous.len()), 1);
}

#[test]
fn a_panicking_write_fails_alone() {
    let (engine, _log, root) = engine();
    let e = engine.clone();
    let results = at_once(16, move |i| {
        let root = root.clone();
        e.write(MGMT, move |cx, ids| {
            assert!(i != 7, "write 7 fails");
            ops::create_organizational_unit(cx, ids, &root, &format!("Unit {i}"), &[])
                .map(|w| Write::new(w.output.id, w.changes))
        })
    });
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Err(panic) if i == 7 => {
                let text = (panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                assert!(text.contains("write 7 fails"), "{text}");
            }
            Ok(Ok(_)) if i != 7 => {}
            other => panic!("write {i}: {:?}", other.map(|r| r.map(|_| ()))),
        }
    }
    assert_eq!(engine.inspect(|s| s.ous.len()), 15);
}
