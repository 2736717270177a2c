//! Organizational units and the tree through the official Rust SDK: Create/Describe/Update/Delete
//! OrganizationalUnit, ListOrganizationalUnitsForParent, ListChildren, ListParents.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use aws_sdk_organizations::operation::create_organizational_unit::CreateOrganizationalUnitError;
use aws_sdk_organizations::operation::describe_organizational_unit::DescribeOrganizationalUnitError;
use aws_sdk_organizations::operation::list_children::ListChildrenError;
use aws_sdk_organizations::operation::list_organizational_units_for_parent::ListOrganizationalUnitsForParentError;
use aws_sdk_organizations::operation::update_organizational_unit::UpdateOrganizationalUnitError;
use aws_sdk_organizations::types::{ChildType, ParentType};
use common::*;
use orgd::ServeConfig;

/// A well-formed OU ID under `root` that names nothing.
fn ghost_ou(root: &str) -> String {
    format!("ou-{}-zzzzzzzz", &root[2..])
}

#[tokio::test]
async fn ou_ids_arns_and_paths() {
    let server = start().await;
    let org = create_org(&server).await;
    let created = org
        .client
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("Engineering")
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    let id = created.id().unwrap().to_string();
    assert!(is_ou_id(&id), "{id}");
    // The OU ID embeds the root's suffix: ou-<root suffix>-<8+ characters>.
    let suffix = org.root_id.strip_prefix("r-").unwrap();
    assert!(
        id.starts_with(&format!("ou-{suffix}-")),
        "{id} under {}",
        org.root_id
    );
    assert_eq!(created.name(), Some("Engineering"));
    assert_eq!(
        created.arn(),
        Some(format!("arn:aws:organizations::{MGMT}:ou/{}/{id}", org.id).as_str())
    );
    assert_eq!(
        created.path(),
        Some(format!("{}/{}/{id}/", org.id, org.root_id).as_str())
    );

    let described = org
        .client
        .describe_organizational_unit()
        .organizational_unit_id(&id)
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    assert_eq!(described, created);

    let nested = org
        .client
        .create_organizational_unit()
        .parent_id(&id)
        .name("Platform")
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    let nested_id = nested.id().unwrap();
    assert!(
        nested_id.starts_with(&format!("ou-{suffix}-")),
        "{nested_id}"
    );
    assert_ne!(nested_id, id);
    assert_eq!(
        nested.path(),
        Some(format!("{}/{}/{id}/{nested_id}/", org.id, org.root_id).as_str())
    );
}

#[tokio::test]
async fn the_tree_is_listed_from_both_ends() {
    let server = start().await;
    let org = create_org(&server).await;
    let top = org.new_ou(&org.root_id, "top").await;
    let sibling = org.new_ou(&org.root_id, "sibling").await;
    let nested = org.new_ou(&top, "nested").await;
    let c = &org.client;

    let under_root: BTreeSet<String> = c
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap()
        .into_iter()
        .filter_map(|ou| ou.id)
        .collect();
    assert_eq!(under_root, [top.clone(), sibling.clone()].into());

    let under_top = c
        .list_organizational_units_for_parent()
        .parent_id(&top)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert_eq!(under_top.len(), 1);
    assert_eq!(under_top[0].id(), Some(nested.as_str()));
    assert_eq!(under_top[0].name(), Some("nested"));

    let leaf = c
        .list_organizational_units_for_parent()
        .parent_id(&nested)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert!(leaf.is_empty(), "{leaf:?}");

    let children = c
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::OrganizationalUnit)
        .send()
        .await
        .unwrap()
        .children
        .unwrap();
    let listed: BTreeSet<(String, ChildType)> = children
        .into_iter()
        .map(|ch| (ch.id.unwrap(), ch.r#type.unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            (top.clone(), ChildType::OrganizationalUnit),
            (sibling.clone(), ChildType::OrganizationalUnit)
        ]
        .into()
    );
    // The management account is the root's only account child.
    let accounts = c
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::Account)
        .send()
        .await
        .unwrap()
        .children
        .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].id(), Some(MGMT));
    assert_eq!(accounts[0].r#type(), Some(&ChildType::Account));

    let parents_of_top = c
        .list_parents()
        .child_id(&top)
        .send()
        .await
        .unwrap()
        .parents
        .unwrap();
    assert_eq!(parents_of_top.len(), 1);
    assert_eq!(parents_of_top[0].id(), Some(org.root_id.as_str()));
    assert_eq!(parents_of_top[0].r#type(), Some(&ParentType::Root));

    let parents_of_nested = c
        .list_parents()
        .child_id(&nested)
        .send()
        .await
        .unwrap()
        .parents
        .unwrap();
    assert_eq!(parents_of_nested.len(), 1);
    assert_eq!(parents_of_nested[0].id(), Some(top.as_str()));
    assert_eq!(
        parents_of_nested[0].r#type(),
        Some(&ParentType::OrganizationalUnit)
    );
}

#[tokio::test]
async fn ou_names_are_unique_among_siblings_only() {
    let server = start().await;
    let org = create_org(&server).await;
    let a = org.new_ou(&org.root_id, "Prod").await;
    let again = org
        .client
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("Prod")
        .send()
        .await;
    assert_eq!(error_code(again), "DuplicateOrganizationalUnitException");
    // The same name under another parent is fine.
    let nested = org.new_ou(&a, "Prod").await;
    assert_ne!(nested, a);
    let under_root = org
        .client
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert_eq!(under_root.len(), 1, "{under_root:?}");
}

#[tokio::test]
async fn ous_nest_at_most_five_levels_below_the_root() {
    let server = start().await;
    let org = create_org(&server).await;
    let mut parent = org.root_id.clone();
    for level in 1..=5 {
        parent = org.new_ou(&parent, &format!("level-{level}")).await;
    }
    let too_deep = org
        .client
        .create_organizational_unit()
        .parent_id(&parent)
        .name("level-6")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(too_deep, CreateOrganizationalUnitError),
        expect("ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED")
    );
    let below = org
        .client
        .list_organizational_units_for_parent()
        .parent_id(&parent)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert!(below.is_empty(), "{below:?}");
}

#[tokio::test]
async fn the_number_of_ous_is_limited() {
    let server = start_with(ServeConfig {
        max_ous: 3,
        ..ServeConfig::ephemeral()
    })
    .await;
    let org = create_org(&server).await;
    for i in 0..3 {
        org.new_ou(&org.root_id, &format!("ou-{i}")).await;
    }
    let fourth = org
        .client
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("one-too-many")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(fourth, CreateOrganizationalUnitError),
        expect("ConstraintViolationException", "OU_NUMBER_LIMIT_EXCEEDED")
    );
}

#[tokio::test]
async fn update_organizational_unit_renames() {
    let server = start().await;
    let org = create_org(&server).await;
    let ou = org.new_ou(&org.root_id, "Sandbox").await;
    org.new_ou(&org.root_id, "Taken").await;
    let before = org
        .client
        .describe_organizational_unit()
        .organizational_unit_id(&ou)
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();

    let renamed = org
        .client
        .update_organizational_unit()
        .organizational_unit_id(&ou)
        .name("Experiments")
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    assert_eq!(renamed.id(), Some(ou.as_str()));
    assert_eq!(renamed.name(), Some("Experiments"));
    assert_eq!(renamed.arn(), before.arn());
    let described = org
        .client
        .describe_organizational_unit()
        .organizational_unit_id(&ou)
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    assert_eq!(described.name(), Some("Experiments"));

    let clash = org
        .client
        .update_organizational_unit()
        .organizational_unit_id(&ou)
        .name("Taken")
        .send()
        .await;
    assert_eq!(error_code(clash), "DuplicateOrganizationalUnitException");

    let ghost = org
        .client
        .update_organizational_unit()
        .organizational_unit_id(ghost_ou(&org.root_id))
        .name("x")
        .send()
        .await;
    assert_eq!(error_code(ghost), "OrganizationalUnitNotFoundException");

    let malformed = org
        .client
        .update_organizational_unit()
        .organizational_unit_id("my-ou")
        .name("x")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: malformed, UpdateOrganizationalUnitError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
}

#[tokio::test]
async fn only_empty_ous_can_be_deleted() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let outer = org.new_ou(&org.root_id, "outer").await;
    let inner = org.new_ou(&outer, "inner").await;
    let refused = c
        .delete_organizational_unit()
        .organizational_unit_id(&outer)
        .send()
        .await;
    assert_eq!(error_code(refused), "OrganizationalUnitNotEmptyException");

    let account = org.new_account("resident").await;
    c.move_account()
        .account_id(&account)
        .source_parent_id(&org.root_id)
        .destination_parent_id(&inner)
        .send()
        .await
        .unwrap();
    let refused = c
        .delete_organizational_unit()
        .organizational_unit_id(&inner)
        .send()
        .await;
    assert_eq!(error_code(refused), "OrganizationalUnitNotEmptyException");

    c.move_account()
        .account_id(&account)
        .source_parent_id(&inner)
        .destination_parent_id(&org.root_id)
        .send()
        .await
        .unwrap();
    c.delete_organizational_unit()
        .organizational_unit_id(&inner)
        .send()
        .await
        .unwrap();
    c.delete_organizational_unit()
        .organizational_unit_id(&outer)
        .send()
        .await
        .unwrap();

    for ou in [&inner, &outer] {
        let gone = c
            .describe_organizational_unit()
            .organizational_unit_id(ou)
            .send()
            .await;
        assert_eq!(error_code(gone), "OrganizationalUnitNotFoundException");
        let again = c
            .delete_organizational_unit()
            .organizational_unit_id(ou)
            .send()
            .await;
        assert_eq!(error_code(again), "OrganizationalUnitNotFoundException");
    }
    let left = c
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn unknown_parents_and_children_are_not_found() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let ghost = ghost_ou(&org.root_id);
    assert_eq!(
        error_code(
            c.create_organizational_unit()
                .parent_id(&ghost)
                .name("x")
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(
            c.create_organizational_unit()
                .parent_id("r-zzzz")
                .name("x")
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(
            c.list_organizational_units_for_parent()
                .parent_id(&ghost)
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(
            c.list_children()
                .parent_id(&ghost)
                .child_type(ChildType::Account)
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(c.list_accounts_for_parent().parent_id(&ghost).send().await),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(c.list_parents().child_id(&ghost).send().await),
        "ChildNotFoundException"
    );
    assert_eq!(
        error_code(c.list_parents().child_id("210987654321").send().await),
        "ChildNotFoundException"
    );
    assert_eq!(
        error_code(
            c.describe_organizational_unit()
                .organizational_unit_id(&ghost)
                .send()
                .await
        ),
        "OrganizationalUnitNotFoundException"
    );
}

#[tokio::test]
async fn malformed_input_is_invalid_input_with_its_reason() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;

    let bad_parent = c
        .create_organizational_unit()
        .parent_id("root")
        .name("x")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_parent, CreateOrganizationalUnitError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    let long_name = c
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("n".repeat(129))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(long_name, CreateOrganizationalUnitError),
        expect("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    );
    // 128 characters is the longest name allowed.
    org.new_ou(&org.root_id, &"n".repeat(128)).await;
    let empty_name = c
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(empty_name, CreateOrganizationalUnitError),
        expect("InvalidInputException", "MIN_LENGTH_EXCEEDED")
    );
    let bad_ou = c
        .describe_organizational_unit()
        .organizational_unit_id("ou-1")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: bad_ou, DescribeOrganizationalUnitError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    let bad_type = c
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::from("POLICY"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: bad_type, ListChildrenError),
        expect("InvalidInputException", "INVALID_ENUM")
    );
    let bad_children_parent = c
        .list_children()
        .parent_id("r-")
        .child_type(ChildType::Account)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: bad_children_parent, ListChildrenError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
}

#[tokio::test]
async fn another_organizations_ous_are_invisible() {
    let server = start().await;
    let org = create_org(&server).await;
    let mine = org.new_ou(&org.root_id, "mine").await;
    let other = client(&server, "555555555555");
    other.create_organization().send().await.unwrap();
    let theirs_root = other.list_roots().send().await.unwrap().roots.unwrap()[0]
        .id
        .clone()
        .unwrap();
    assert_eq!(
        error_code(
            other
                .describe_organizational_unit()
                .organizational_unit_id(&mine)
                .send()
                .await
        ),
        "OrganizationalUnitNotFoundException"
    );
    assert_eq!(
        error_code(
            other
                .list_children()
                .parent_id(&org.root_id)
                .child_type(ChildType::OrganizationalUnit)
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(
            other
                .create_organizational_unit()
                .parent_id(&mine)
                .name("intruder")
                .send()
                .await
        ),
        "ParentNotFoundException"
    );
    assert_eq!(
        error_code(
            org.client
                .delete_organizational_unit()
                .organizational_unit_id(ghost_ou(&theirs_root))
                .send()
                .await
        ),
        "OrganizationalUnitNotFoundException"
    );
    // Each organization's root has its own OU ID prefix.
    let theirs = other
        .create_organizational_unit()
        .parent_id(&theirs_root)
        .name("mine")
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    assert!(
        theirs
            .id()
            .unwrap()
            .starts_with(&format!("ou-{}-", &theirs_root[2..]))
    );
}

#[tokio::test]
async fn paginators_visit_every_ou_exactly_once() {
    let server = start().await;
    let org = create_org(&server).await;
    let mut created = BTreeSet::new();
    for i in 0..7 {
        created.insert(org.new_ou(&org.root_id, &format!("team-{i}")).await);
    }

    let pages: Vec<_> = org
        .client
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert!(
        pages.len() >= 4,
        "7 OUs in pages of 2: {} pages",
        pages.len()
    );
    let mut seen = Vec::new();
    for page in &pages {
        assert!(page.organizational_units().len() <= 2);
        seen.extend(
            page.organizational_units()
                .iter()
                .map(|ou| ou.id().unwrap().to_string()),
        );
    }
    assert!(pages.last().unwrap().next_token().is_none());
    assert_eq!(seen.len(), 7, "each OU exactly once: {seen:?}");
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), created);

    let pages: Vec<_> = org
        .client
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::OrganizationalUnit)
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.children.unwrap_or_default())
        .filter_map(|c| c.id)
        .collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), created);

    let too_many = org
        .client
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .max_results(21)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: too_many, ListOrganizationalUnitsForParentError),
        expect("InvalidInputException", "MAX_VALUE_EXCEEDED")
    );
    let forged = org
        .client
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::OrganizationalUnit)
        .next_token("eyJhZnRlciI6Im91LWZha2UifQ==")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: forged, ListChildrenError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
}
