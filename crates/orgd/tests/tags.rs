//! Tags on accounts, OUs and the root through the official Rust SDK: TagResource, UntagResource,
//! ListTagsForResource and the Tags of CreateOrganizationalUnit and CreateAccount.

#[macro_use]
mod common;

use aws_sdk_organizations::operation::list_tags_for_resource::ListTagsForResourceError;
use aws_sdk_organizations::operation::tag_resource::TagResourceError;
use aws_sdk_organizations::operation::untag_resource::UntagResourceError;
use common::*;

fn sorted(mut tags: Vec<(String, String)>) -> Vec<(String, String)> {
    tags.sort();
    tags
}

#[tokio::test]
async fn tag_list_and_untag_accounts_ous_and_the_root() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let account = org.new_account("tagged").await;
    let ou = org.new_ou(&org.root_id, "tagged").await;
    for resource in [account.as_str(), ou.as_str(), org.root_id.as_str(), MGMT] {
        assert!(org.tags_of(resource).await.is_empty(), "{resource}");
        c.tag_resource()
            .resource_id(resource)
            .tags(tag("owner", "platform"))
            .tags(tag("cost-center", "42"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            sorted(org.tags_of(resource).await),
            pairs(&[("cost-center", "42"), ("owner", "platform")]),
            "{resource}"
        );
        // Tagging an existing key replaces its value and keeps the others.
        c.tag_resource()
            .resource_id(resource)
            .tags(tag("owner", "security"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            sorted(org.tags_of(resource).await),
            pairs(&[("cost-center", "42"), ("owner", "security")]),
            "{resource}"
        );
        c.untag_resource()
            .resource_id(resource)
            .tag_keys("owner")
            .send()
            .await
            .unwrap();
        assert_eq!(
            org.tags_of(resource).await,
            pairs(&[("cost-center", "42")]),
            "{resource}"
        );
        // Removing a key the resource does not have changes nothing.
        c.untag_resource()
            .resource_id(resource)
            .tag_keys("never-set")
            .send()
            .await
            .unwrap();
        assert_eq!(
            org.tags_of(resource).await,
            pairs(&[("cost-center", "42")]),
            "{resource}"
        );
    }
    // Tags stay on their own resource.
    c.tag_resource()
        .resource_id(&ou)
        .tags(tag("only-here", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sorted(org.tags_of(&ou).await),
        pairs(&[("cost-center", "42"), ("only-here", "")])
    );
    assert_eq!(org.tags_of(&account).await, pairs(&[("cost-center", "42")]));
}

#[tokio::test]
async fn tags_given_at_creation() {
    let server = start().await;
    let org = create_org(&server).await;
    let ou = org
        .client
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("prod")
        .tags(tag("tier", "prod"))
        .tags(tag("team", "payments"))
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap()
        .id
        .unwrap();
    assert_eq!(
        sorted(org.tags_of(&ou).await),
        pairs(&[("team", "payments"), ("tier", "prod")])
    );
    let account = org
        .new_account_with(
            "tagged-at-birth",
            "tagged-at-birth@example.com",
            &[("env", "prod"), ("owner", "ops")],
        )
        .await;
    assert_eq!(
        sorted(org.tags_of(&account).await),
        pairs(&[("env", "prod"), ("owner", "ops")])
    );
}

#[tokio::test]
async fn names_and_tags_round_trip_exactly() {
    let server = start().await;
    let org = create_org(&server).await;
    let name = "Équipe Ops 東京 🚀 \"quoted\" \\";
    let ou = org.new_ou(&org.root_id, name).await;
    let described = org
        .client
        .describe_organizational_unit()
        .organizational_unit_id(&ou)
        .send()
        .await
        .unwrap()
        .organizational_unit
        .unwrap();
    assert_eq!(described.name(), Some(name));
    org.client
        .tag_resource()
        .resource_id(&ou)
        .tags(tag("Kostenstelle", "café 42"))
        .tags(tag("équipe", "über"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sorted(org.tags_of(&ou).await),
        pairs(&[("Kostenstelle", "café 42"), ("équipe", "über")])
    );
}

#[tokio::test]
async fn tagging_something_that_does_not_exist() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let ghost_ou = format!("ou-{}-zzzzzzzz", &org.root_id[2..]);
    for resource in ["210987654321", ghost_ou.as_str(), "r-zzzz"] {
        assert_eq!(
            error_code(
                c.tag_resource()
                    .resource_id(resource)
                    .tags(tag("k", "v"))
                    .send()
                    .await
            ),
            "TargetNotFoundException",
            "{resource}"
        );
        assert_eq!(
            error_code(
                c.untag_resource()
                    .resource_id(resource)
                    .tag_keys("k")
                    .send()
                    .await
            ),
            "TargetNotFoundException",
            "{resource}"
        );
        assert_eq!(
            error_code(
                c.list_tags_for_resource()
                    .resource_id(resource)
                    .send()
                    .await
            ),
            "TargetNotFoundException",
            "{resource}"
        );
    }
    let malformed = c
        .list_tags_for_resource()
        .resource_id("not-a-resource")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: malformed, ListTagsForResourceError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
}

#[tokio::test]
async fn at_most_fifty_tags_per_resource() {
    let server = start().await;
    let org = create_org(&server).await;
    let ou = org.new_ou(&org.root_id, "crowded").await;
    let fifty: Vec<_> = (0..50).map(|i| tag(&format!("k{i:02}"), "v")).collect();
    org.client
        .tag_resource()
        .resource_id(&ou)
        .set_tags(Some(fifty))
        .send()
        .await
        .unwrap();
    assert_eq!(org.tags_of(&ou).await.len(), 50);
    // Replacing a value of an existing key is not a 51st tag.
    org.client
        .tag_resource()
        .resource_id(&ou)
        .tags(tag("k00", "changed"))
        .send()
        .await
        .unwrap();
    let one_more = org
        .client
        .tag_resource()
        .resource_id(&ou)
        .tags(tag("k50", "v"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(one_more, TagResourceError),
        expect("ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED")
    );
    let tags = org.tags_of(&ou).await;
    assert_eq!(tags.len(), 50);
    assert!(!tags.iter().any(|(k, _)| k == "k50"));
    assert!(tags.contains(&("k00".to_string(), "changed".to_string())));

    let fifty_one: Vec<_> = (0..51).map(|i| tag(&format!("n{i:02}"), "v")).collect();
    let at_creation = org
        .client
        .create_organizational_unit()
        .parent_id(&org.root_id)
        .name("too-many-tags")
        .set_tags(Some(fifty_one))
        .send()
        .await;
    assert_eq!(error_code(at_creation), "ConstraintViolationException");
    let ous = org
        .client
        .list_organizational_units_for_parent()
        .parent_id(&org.root_id)
        .send()
        .await
        .unwrap()
        .organizational_units
        .unwrap();
    assert_eq!(ous.len(), 1, "the OU with too many tags was not created");
}

#[tokio::test]
async fn invalid_tags_are_refused_with_their_reason() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let reserved = c
        .tag_resource()
        .resource_id(&org.root_id)
        .tags(tag("aws:createdBy", "me"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(reserved, TagResourceError),
        expect("InvalidInputException", "INVALID_SYSTEM_TAGS_PARAMETER")
    );
    let reserved = c
        .untag_resource()
        .resource_id(&org.root_id)
        .tag_keys("aws:createdBy")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(reserved, UntagResourceError),
        expect("InvalidInputException", "INVALID_SYSTEM_TAGS_PARAMETER")
    );
    let twice = c
        .tag_resource()
        .resource_id(&org.root_id)
        .tags(tag("k", "1"))
        .tags(tag("k", "2"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(twice, TagResourceError),
        expect("InvalidInputException", "DUPLICATE_TAG_KEY")
    );
    let bad_key = c
        .tag_resource()
        .resource_id(&org.root_id)
        .tags(tag("a*b", "v"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_key, TagResourceError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    let long_key = c
        .tag_resource()
        .resource_id(&org.root_id)
        .tags(tag(&"k".repeat(129), "v"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(long_key, TagResourceError),
        expect("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    );
    let long_value = c
        .tag_resource()
        .resource_id(&org.root_id)
        .tags(tag("k", &"v".repeat(257)))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(long_value, TagResourceError),
        expect("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    );
    // None of the refused requests left a tag behind.
    assert!(org.tags_of(&org.root_id).await.is_empty());

    let forged = c
        .list_tags_for_resource()
        .resource_id(&org.root_id)
        .next_token("forged-token")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: forged, ListTagsForResourceError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
}

#[tokio::test]
async fn only_the_management_account_tags() {
    let server = start().await;
    let org = create_org(&server).await;
    let member = org.new_account("member").await;
    let m = client(&server, &member);
    for resource in [member.as_str(), org.root_id.as_str()] {
        assert_eq!(
            error_code(
                m.tag_resource()
                    .resource_id(resource)
                    .tags(tag("k", "v"))
                    .send()
                    .await
            ),
            "AccessDeniedException"
        );
        assert_eq!(
            error_code(
                m.untag_resource()
                    .resource_id(resource)
                    .tag_keys("k")
                    .send()
                    .await
            ),
            "AccessDeniedException"
        );
    }
    assert!(org.tags_of(&member).await.is_empty());
    let outsider = client(&server, OUTSIDER);
    assert_eq!(
        error_code(
            outsider
                .tag_resource()
                .resource_id(&org.root_id)
                .tags(tag("k", "v"))
                .send()
                .await
        ),
        "AWSOrganizationsNotInUseException"
    );
}
