//! The contract of `Store`, as tests every backend runs. A backend's test module invokes the
//! whole suite with one line:
//!
//! ```ignore
//! orgd_store::store_conformance!(Keeps::Durably, |dir| SqliteStore::open(dir).unwrap());
//! ```
//!
//! The opener gets a fresh directory per test and is called again with the same directory to
//! reopen the store; a backend that lives elsewhere (a database server) maps the directory to its
//! own fresh namespace. Outside this crate the module needs the `testing` feature.

use std::path::Path;

use orgd_domain::Change;
use orgd_domain::model::{FeatureSet, Organization, OrganizationalUnit, Policy, Root};
use orgd_domain::policy::PolicyType;

use crate::Store;

/// What a backend keeps of the committed changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeps {
    /// Nothing: the engine's state is the only copy (`MemoryStore`). Metadata lives as long as
    /// the store value.
    Nothing,
    /// Everything, durably: `load` returns what was committed, also after reopening.
    Durably,
}

/// Runs `check` with a store opened in a fresh directory, and the opener to reopen it.
fn with_store<S: Store>(open: &dyn Fn(&Path) -> S, check: impl FnOnce(S, &dyn Fn() -> S)) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let reopen = || open(dir.path());
    check(open(dir.path()), &reopen);
}

/// The state a loading engine would see, independent of the backend's order within a kind.
fn loaded(store: &mut dyn Store) -> Vec<String> {
    let mut changes: Vec<String> = store
        .load()
        .expect("load")
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    changes.sort();
    changes
}

fn expected(keeps: Keeps, changes: &[Change]) -> Vec<String> {
    let mut out: Vec<String> = match keeps {
        Keeps::Nothing => Vec::new(),
        Keeps::Durably => changes.iter().map(|c| format!("{c:?}")).collect(),
    };
    out.sort();
    out
}

fn org(id: &str) -> Organization {
    Organization {
        id: id.into(),
        feature_set: FeatureSet::All,
        management_account_id: "111111111111".into(),
        root_id: "r-abcd".into(),
        created_at: 5,
        service_access: Default::default(),
        delegated_admins: Default::default(),
        resource_policy: None,
        id_scheme: Default::default(),
    }
}

fn root(name: &str) -> Root {
    Root {
        id: "r-abcd".into(),
        org_id: "o-abcdefghij".into(),
        name: name.into(),
        tags: [("k".to_string(), "v".to_string())].into(),
        policy_types: vec![PolicyType::Tag],
        policies: vec!["p-abcdefgh".into()],
    }
}

fn ou(id: &str) -> OrganizationalUnit {
    OrganizationalUnit {
        id: id.into(),
        org_id: "o-abcdefghij".into(),
        parent_id: "r-abcd".into(),
        name: format!("unit {id} ü"),
        created_at: 1_700_000_000_123,
        tags: Default::default(),
        policies: Vec::new(),
    }
}

fn policy() -> Policy {
    Policy {
        id: "p-abcdefgh".into(),
        org_id: "o-abcdefghij".into(),
        policy_type: PolicyType::Tag,
        name: "t".into(),
        description: String::new(),
        content: r#"{"tags": {}}"#.into(),
        updated_at: 5,
        tags: Default::default(),
    }
}

fn some_changes() -> Vec<Change> {
    vec![
        Change::PutOrganization(org("o-abcdefghij")),
        Change::PutRoot(root("Root")),
        Change::PutOu(ou("ou-abcd-11111111")),
        Change::PutOu(ou("ou-abcd-22222222")),
        Change::PutPolicy(policy()),
    ]
}

/// `load` returns every entity committed, one change per entity.
pub fn load_returns_what_was_committed<S: Store>(keeps: Keeps, open: &dyn Fn(&Path) -> S) {
    with_store(open, |mut s, _| {
        assert!(s.load().unwrap().is_empty(), "a new store is empty");
        let changes = some_changes();
        s.commit(&changes[..2]).unwrap();
        s.commit(&changes[2..]).unwrap();
        assert_eq!(loaded(&mut s), expected(keeps, &changes));
    });
}

/// One commit of several kinds, puts and deletes, applies in order as a whole.
pub fn a_commit_applies_all_its_changes_in_order<S: Store>(
    keeps: Keeps,
    open: &dyn Fn(&Path) -> S,
) {
    with_store(open, |mut s, _| {
        s.commit(&[]).unwrap();
        s.commit(&[
            Change::PutOrganization(org("o-abcdefghij")),
            Change::PutOu(ou("ou-abcd-11111111")),
            Change::DeleteOu("ou-abcd-11111111".into()),
            Change::DeleteOu("ou-abcd-22222222".into()),
            Change::PutOu(ou("ou-abcd-22222222")),
            Change::PutRoot(root("first")),
            Change::PutRoot(root("second")),
        ])
        .unwrap();
        let after = [
            Change::PutOrganization(org("o-abcdefghij")),
            Change::PutOu(ou("ou-abcd-22222222")),
            Change::PutRoot(root("second")),
        ];
        assert_eq!(loaded(&mut s), expected(keeps, &after));
    });
}

/// A put of an existing id replaces the entity; a delete removes it, and deleting what is not
/// there is no error.
pub fn puts_overwrite_and_deletes_remove<S: Store>(keeps: Keeps, open: &dyn Fn(&Path) -> S) {
    with_store(open, |mut s, _| {
        s.commit(&some_changes()).unwrap();
        s.commit(&[Change::PutRoot(root("renamed"))]).unwrap();
        s.commit(&[
            Change::DeletePolicy("p-abcdefgh".into()),
            Change::DeleteOu("ou-abcd-11111111".into()),
            Change::DeleteOu("ou-abcd-99999999".into()),
            Change::DeleteHandshake("h-12345678".into()),
        ])
        .unwrap();
        let after = [
            Change::PutOrganization(org("o-abcdefghij")),
            Change::PutRoot(root("renamed")),
            Change::PutOu(ou("ou-abcd-22222222")),
        ];
        assert_eq!(loaded(&mut s), expected(keeps, &after));
    });
}

/// Metadata: absent until set, then the last value set, bytes as given.
pub fn meta_keeps_the_last_value<S: Store>(_keeps: Keeps, open: &dyn Fn(&Path) -> S) {
    with_store(open, |mut s, _| {
        assert_eq!(s.meta("token-key").unwrap(), None);
        s.set_meta("token-key", &[0, 159, 255]).unwrap();
        s.set_meta("other", b"x").unwrap();
        assert_eq!(s.meta("token-key").unwrap(), Some(vec![0, 159, 255]));
        s.set_meta("token-key", b"").unwrap();
        assert_eq!(s.meta("token-key").unwrap(), Some(Vec::new()));
        assert_eq!(s.meta("other").unwrap(), Some(b"x".to_vec()));
    });
}

/// `reset` deletes every entity and every metadata value; the store stays usable.
pub fn reset_wipes_everything<S: Store>(keeps: Keeps, open: &dyn Fn(&Path) -> S) {
    with_store(open, |mut s, reopen| {
        s.commit(&some_changes()).unwrap();
        s.set_meta("k", b"v").unwrap();
        s.reset().unwrap();
        assert!(s.load().unwrap().is_empty());
        assert_eq!(s.meta("k").unwrap(), None);
        s.commit(&[Change::PutPolicy(policy())]).unwrap();
        assert_eq!(
            loaded(&mut s),
            expected(keeps, &[Change::PutPolicy(policy())])
        );
        if keeps == Keeps::Durably {
            drop(s);
            let mut s = reopen();
            assert_eq!(
                loaded(&mut s),
                expected(keeps, &[Change::PutPolicy(policy())])
            );
            assert_eq!(s.meta("k").unwrap(), None);
        }
    });
}

/// What a durable store acknowledged is there after reopening, metadata included; a store that
/// keeps nothing starts empty again.
pub fn reopening_finds_what_the_backend_keeps<S: Store>(keeps: Keeps, open: &dyn Fn(&Path) -> S) {
    with_store(open, |mut s, reopen| {
        let changes = some_changes();
        s.commit(&changes).unwrap();
        s.commit(&[Change::DeleteOu("ou-abcd-11111111".into())])
            .unwrap();
        s.set_meta("k", b"v").unwrap();
        drop(s);
        let mut s = reopen();
        let after: Vec<Change> = changes
            .into_iter()
            .filter(|c| !matches!(c, Change::PutOu(o) if o.id == "ou-abcd-11111111"))
            .collect();
        assert_eq!(loaded(&mut s), expected(keeps, &after));
        let meta = (keeps == Keeps::Durably).then(|| b"v".to_vec());
        assert_eq!(s.meta("k").unwrap(), meta);
    });
}

/// Defines one `#[test]` per check of the store contract, for the backend `open` opens in a
/// directory. `keeps` says what the backend keeps (`conformance::Keeps`).
#[macro_export]
macro_rules! store_conformance {
    ($keeps:expr, |$dir:ident| $open:expr) => {
        $crate::store_conformance!(@tests $keeps, |$dir| $open;
            load_returns_what_was_committed,
            a_commit_applies_all_its_changes_in_order,
            puts_overwrite_and_deletes_remove,
            meta_keeps_the_last_value,
            reset_wipes_everything,
            reopening_finds_what_the_backend_keeps,
        );
    };
    (@tests $keeps:expr, |$dir:ident| $open:expr; $($check:ident,)*) => {
        $(
            #[test]
            fn $check() {
                use $crate::conformance::Keeps;
                $crate::conformance::$check($keeps, &|$dir: &::std::path::Path| $open);
            }
        )*
    };
}
