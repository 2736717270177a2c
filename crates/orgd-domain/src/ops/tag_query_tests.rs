//! Rule tests for tag queries and tagging by kind (`tag_query.rs`).

use super::testkit::World;
use super::*;
use crate::error::{Entity, OrgError};
use crate::ids::IdScheme;
use crate::model::{FeatureSet, Kind};

const MGMT: &str = "111111111111";
const OTHER_MGMT: &str = "222222222222";

fn t(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn org(w: &mut World, mgmt: &str) {
    w.write(mgmt, |cx, ids| {
        create_organization(cx, ids, Some(FeatureSet::All), IdScheme::Aws)
    })
    .unwrap();
}

fn ou(w: &mut World, mgmt: &str, name: &str, tags: &[(String, String)]) -> String {
    let root = w.state.org_of(mgmt).unwrap().root_id.clone();
    w.write(mgmt, |cx, ids| {
        create_organizational_unit(cx, ids, &root, name, tags)
    })
    .unwrap()
    .id
}

fn query(kind: Kind) -> ResourceQuery {
    ResourceQuery {
        kind,
        without_any_tag: false,
        tags: vec![],
        name_contains: vec![],
    }
}

fn filter(key: &str, values: &[&str]) -> TagFilter {
    TagFilter {
        key: key.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn names(w: &World, q: &ResourceQuery) -> Vec<String> {
    let m = w.read(MGMT, |cx| select_resources(cx, q, 0, 100)).unwrap();
    assert_eq!(m.total, m.items.len());
    assert_eq!(w.read(MGMT, |cx| count_resources(cx, q)).unwrap(), m.total);
    m.items.into_iter().map(|r| r.name).collect()
}

/// Four OUs: a (env=prod, team=x), b (env=dev, team=x), c (env=test), d (no tags); and an OU of
/// another organization tagged like a.
fn world() -> World {
    let mut w = World::new();
    org(&mut w, MGMT);
    ou(&mut w, MGMT, "alpha", &[t("env", "prod"), t("team", "x")]);
    ou(&mut w, MGMT, "beta", &[t("env", "dev"), t("team", "x")]);
    ou(&mut w, MGMT, "gamma", &[t("env", "test")]);
    ou(&mut w, MGMT, "delta", &[]);
    org(&mut w, OTHER_MGMT);
    ou(
        &mut w,
        OTHER_MGMT,
        "alpha-elsewhere",
        &[t("env", "prod"), t("team", "x")],
    );
    w
}

#[test]
fn without_filters_every_resource_of_the_kind_in_the_organization() {
    let w = world();
    let mut got = names(&w, &query(Kind::OrganizationalUnit));
    got.sort();
    assert_eq!(got, ["alpha", "beta", "delta", "gamma"]);
    assert_eq!(names(&w, &query(Kind::Root)), ["Root"]);
    assert_eq!(names(&w, &query(Kind::Account)).len(), 1);
    assert!(names(&w, &query(Kind::Policy)).is_empty());
}

#[test]
fn values_of_one_key_are_alternatives_and_keys_must_all_hold() {
    let w = world();
    let mut q = query(Kind::OrganizationalUnit);
    q.tags = vec![filter("env", &["prod", "dev"])];
    let mut got = names(&w, &q);
    got.sort();
    assert_eq!(got, ["alpha", "beta"]);
    q.tags.push(filter("team", &["x"]));
    got = names(&w, &q);
    got.sort();
    assert_eq!(got, ["alpha", "beta"]);
    q.tags = vec![filter("env", &["test", "prod"]), filter("team", &["x"])];
    assert_eq!(names(&w, &q), ["alpha"]);
    q.tags = vec![filter("env", &["nope"])];
    assert!(names(&w, &q).is_empty());
}

#[test]
fn a_key_without_values_matches_any_value() {
    let w = world();
    let mut q = query(Kind::OrganizationalUnit);
    q.tags = vec![filter("env", &[])];
    assert_eq!(names(&w, &q).len(), 3);
    q.tags = vec![filter("team", &[]), filter("env", &["dev"])];
    assert_eq!(names(&w, &q), ["beta"]);
}

#[test]
fn without_any_tag_selects_the_untagged_and_ignores_tag_filters() {
    let w = world();
    let mut q = query(Kind::OrganizationalUnit);
    q.without_any_tag = true;
    assert_eq!(names(&w, &q), ["delta"]);
    q.tags = vec![filter("env", &["prod"])];
    assert_eq!(names(&w, &q), ["delta"]);
}

#[test]
fn name_matches_are_substrings_without_case() {
    let w = world();
    let mut q = query(Kind::OrganizationalUnit);
    q.name_contains = vec!["ALP".into()];
    assert_eq!(names(&w, &q), ["alpha"]);
    q.name_contains = vec!["a".into(), "ta".into()];
    let mut got = names(&w, &q);
    got.sort();
    assert_eq!(got, ["beta", "delta"]);
}

#[test]
fn offset_pages_by_id_and_the_total_counts_every_match() {
    let w = world();
    let q = query(Kind::OrganizationalUnit);
    let all = w.read(MGMT, |cx| select_resources(cx, &q, 0, 100)).unwrap();
    let ids: Vec<String> = all.items.iter().map(|r| r.id.clone()).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, sorted);
    let mut paged = Vec::new();
    for offset in (0..5).step_by(2) {
        let page = w
            .read(MGMT, |cx| select_resources(cx, &q, offset, 2))
            .unwrap();
        assert_eq!(page.total, 4);
        paged.extend(page.items.into_iter().map(|r| r.id));
    }
    assert_eq!(paged, ids);
    let past = w.read(MGMT, |cx| select_resources(cx, &q, 10, 2)).unwrap();
    assert!(past.items.is_empty() && past.total == 4);
}

#[test]
fn tag_values_are_grouped_by_key_for_one_organization_and_kind() {
    let mut w = world();
    assert_eq!(
        w.read(MGMT, |cx| resource_tag_values(cx, Kind::OrganizationalUnit))
            .unwrap(),
        [
            (
                "env".to_string(),
                vec!["dev".into(), "prod".into(), "test".into()]
            ),
            ("team".to_string(), vec!["x".into()]),
        ]
    );
    assert!(
        w.read(MGMT, |cx| resource_tag_values(cx, Kind::Root))
            .unwrap()
            .is_empty()
    );
    // Retagging moves the index with the entity.
    let root = w.state.org_of(MGMT).unwrap().root_id.clone();
    w.write(MGMT, |cx, _| tag_resource(cx, &root, &[t("env", "prod")]))
        .unwrap();
    assert_eq!(
        w.read(MGMT, |cx| resource_tag_values(cx, Kind::Root))
            .unwrap(),
        [("env".to_string(), vec!["prod".into()])]
    );
    w.write(MGMT, |cx, _| untag_resource(cx, &root, &["env".into()]))
        .unwrap();
    assert!(
        w.read(MGMT, |cx| resource_tag_values(cx, Kind::Root))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn tagging_by_kind_needs_the_id_to_be_of_that_kind() {
    let mut w = world();
    let root = w.state.org_of(MGMT).unwrap().root_id.clone();
    let e = w
        .write(MGMT, |cx, _| {
            tag_resource_of_kind(cx, Kind::Account, &root, &[t("a", "b")])
        })
        .unwrap_err();
    assert_eq!(e, OrgError::NotFound(Entity::Target));
    w.write(MGMT, |cx, _| {
        tag_resource_of_kind(cx, Kind::Root, &root, &[t("a", "b"), t("c", "d")])
    })
    .unwrap();
    assert_eq!(
        w.read(MGMT, |cx| list_tags_of_kind(cx, Kind::Root, &root))
            .unwrap()
            .len(),
        2
    );
    // Removal by key and value: a pair whose value differs leaves the tag.
    w.write(MGMT, |cx, _| {
        untag_resource_of_kind(cx, Kind::Root, &root, &[t("a", "b"), t("c", "other")])
    })
    .unwrap();
    let left = w
        .read(MGMT, |cx| list_tags_of_kind(cx, Kind::Root, &root))
        .unwrap();
    assert_eq!(left.into_iter().collect::<Vec<_>>(), [t("c", "d")]);
}

#[test]
fn queries_need_an_organization() {
    let w = world();
    let e = w
        .read("333333333333", |cx| {
            count_resources(cx, &query(Kind::OrganizationalUnit))
        })
        .unwrap_err();
    assert_eq!(e, OrgError::NotFound(Entity::Organization));
}
