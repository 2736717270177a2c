//! The organization itself through the official Rust SDK: CreateOrganization,
//! DescribeOrganization, DeleteOrganization, ListRoots, and who may call what (management account,
//! member account, outsider).

#[macro_use]
mod common;

use aws_sdk_organizations::operation::list_roots::ListRootsError;
use aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType, PolicyTypeStatus};
use common::*;
use orgd::ServeConfig;

#[tokio::test]
async fn create_organization_makes_the_caller_the_management_account() {
    let server = start().await;
    let c = client(&server, MGMT);
    let created = c
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let id = created.id().unwrap().to_string();
    assert!(is_org_id(&id), "{id}");
    assert_eq!(created.feature_set(), Some(&OrganizationFeatureSet::All));
    assert_eq!(
        created.arn(),
        Some(format!("arn:aws:organizations::{MGMT}:organization/{id}").as_str())
    );
    assert_eq!(created.master_account_id(), Some(MGMT));
    assert_eq!(
        created.master_account_arn(),
        Some(format!("arn:aws:organizations::{MGMT}:account/{id}/{MGMT}").as_str())
    );
    let email = created.master_account_email().unwrap_or_default();
    assert!(email.contains('@'), "MasterAccountEmail: {email:?}");

    let described = c
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(described.id(), Some(id.as_str()));
    assert_eq!(described.arn(), created.arn());
    assert_eq!(described.feature_set(), created.feature_set());
    assert_eq!(described.master_account_id(), Some(MGMT));
    assert_eq!(described.master_account_arn(), created.master_account_arn());
    assert_eq!(described.master_account_email(), Some(email));
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_organization_has_one_root_named_root() {
    let server = start().await;
    let org = create_org(&server).await;
    let roots = org.client.list_roots().send().await.unwrap().roots.unwrap();
    assert_eq!(roots.len(), 1);
    let root = &roots[0];
    let root_id = root.id().unwrap();
    assert!(is_root_id(root_id), "{root_id}");
    assert_eq!(root.name(), Some("Root"));
    assert_eq!(
        root.arn(),
        Some(format!("arn:aws:organizations::{MGMT}:root/{}/{root_id}", org.id).as_str())
    );
    // The same root through the paginator, one page of at most one item at a time.
    let pages: Vec<_> = org
        .client
        .list_roots()
        .max_results(1)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let paged: Vec<_> = pages.iter().flat_map(|p| p.roots()).collect();
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].id(), Some(root_id));
}

#[tokio::test]
async fn consolidated_billing_organization_has_no_policy_types() {
    let server = start().await;
    let org = create_org_with(&server, OrganizationFeatureSet::ConsolidatedBilling).await;
    let described = org
        .client
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(
        described.feature_set(),
        Some(&OrganizationFeatureSet::ConsolidatedBilling)
    );
    #[allow(deprecated)]
    let available = described.available_policy_types();
    assert!(available.is_empty(), "{available:?}");
    let roots = org.client.list_roots().send().await.unwrap().roots.unwrap();
    assert!(roots[0].policy_types().is_empty(), "{:?}", roots[0]);
}

/// AWS creates an all-features organization with no policy type enabled (Terraform and
/// CloudFormation users enable SCPs right after creating it), so that is orgd's default.
#[tokio::test]
async fn a_new_organization_has_no_policy_type_enabled_by_default() {
    let server = start().await;
    let org = create_org(&server).await;
    let roots = org.client.list_roots().send().await.unwrap().roots.unwrap();
    assert!(roots[0].policy_types().is_empty(), "{:?}", roots[0]);
    let root_id = roots[0].id().unwrap().to_string();
    org.client
        .enable_policy_type()
        .root_id(&root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .expect("enabling SCPs right after creating the organization works, as with AWS");
}

/// Seed 003, CreateOrganization: "By default (or if you set the FeatureSet parameter to ALL), the
/// new organization is created with all features enabled and service control policies
/// automatically enabled in the root." Its example shows `AvailablePolicyTypes: [{Type:
/// SERVICE_CONTROL_POLICY, Status: ENABLED}]`. orgd does that with `--scp-enabled-at-creation`.
#[tokio::test]
async fn all_features_enables_service_control_policies_in_the_root() {
    let server = start_with(ServeConfig {
        scp_enabled_at_creation: true,
        ..ServeConfig::ephemeral()
    })
    .await;
    let org = create_org(&server).await;
    let roots = org.client.list_roots().send().await.unwrap().roots.unwrap();
    let enabled: Vec<_> = roots[0]
        .policy_types()
        .iter()
        .map(|p| (p.r#type().cloned(), p.status().cloned()))
        .collect();
    assert!(
        enabled.contains(&(
            Some(PolicyType::ServiceControlPolicy),
            Some(PolicyTypeStatus::Enabled)
        )),
        "root PolicyTypes: {enabled:?}"
    );
    let described = org
        .client
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    #[allow(deprecated)]
    let available: Vec<_> = described
        .available_policy_types()
        .iter()
        .map(|p| (p.r#type().cloned(), p.status().cloned()))
        .collect();
    assert!(
        available.contains(&(
            Some(PolicyType::ServiceControlPolicy),
            Some(PolicyTypeStatus::Enabled)
        )),
        "AvailablePolicyTypes: {available:?}"
    );
}

#[tokio::test]
async fn an_account_can_belong_to_only_one_organization() {
    let server = start().await;
    let org = create_org(&server).await;
    let again = org.client.create_organization().send().await;
    assert_eq!(error_code(again), "AlreadyInOrganizationException");

    let member = org.new_account("member").await;
    let as_member = client(&server, &member);
    let theirs = as_member.create_organization().send().await;
    assert_eq!(error_code(theirs), "AlreadyInOrganizationException");
    // Nothing changed: still one organization with the same management account.
    let seen = as_member
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(seen.id(), Some(org.id.as_str()));
    assert_eq!(seen.master_account_id(), Some(MGMT));
}

#[tokio::test]
async fn an_outsider_is_not_in_an_organization() {
    let server = start().await;
    // Before any organization exists, and after one exists for someone else.
    for with_org in [false, true] {
        if with_org {
            create_org(&server).await;
        }
        let c = client(&server, OUTSIDER);
        let codes = [
            error_code(c.describe_organization().send().await),
            error_code(c.list_roots().send().await),
            error_code(c.list_accounts().send().await),
            error_code(c.delete_organization().send().await),
            error_code(
                c.create_account()
                    .account_name("x")
                    .email("x@example.com")
                    .send()
                    .await,
            ),
            error_code(
                c.create_organizational_unit()
                    .parent_id("r-abcd")
                    .name("x")
                    .send()
                    .await,
            ),
            error_code(c.describe_account().account_id(MGMT).send().await),
            error_code(
                c.list_tags_for_resource()
                    .resource_id("r-abcd")
                    .send()
                    .await,
            ),
        ];
        for code in codes {
            assert_eq!(
                code, "AWSOrganizationsNotInUseException",
                "with_org={with_org}"
            );
        }
    }
}

#[tokio::test]
async fn a_member_sees_its_organization_but_cannot_manage_it() {
    let server = start().await;
    let org = create_org(&server).await;
    let member = org.new_account("member").await;
    let m = client(&server, &member);

    let seen = m
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(seen.id(), Some(org.id.as_str()));
    assert_eq!(seen.master_account_id(), Some(MGMT));
    assert_eq!(
        seen.master_account_arn(),
        Some(format!("arn:aws:organizations::{MGMT}:account/{}/{MGMT}", org.id).as_str())
    );

    let ou = org.new_ou(&org.root_id, "team").await;
    let denied = [
        ("ListRoots", error_code(m.list_roots().send().await)),
        ("ListAccounts", error_code(m.list_accounts().send().await)),
        (
            "DescribeAccount",
            error_code(m.describe_account().account_id(&member).send().await),
        ),
        (
            "DescribeOrganizationalUnit",
            error_code(
                m.describe_organizational_unit()
                    .organizational_unit_id(&ou)
                    .send()
                    .await,
            ),
        ),
        (
            "CreateOrganizationalUnit",
            error_code(
                m.create_organizational_unit()
                    .parent_id(&org.root_id)
                    .name("mine")
                    .send()
                    .await,
            ),
        ),
        (
            "CreateAccount",
            error_code(
                m.create_account()
                    .account_name("sneaky")
                    .email("sneaky@example.com")
                    .send()
                    .await,
            ),
        ),
        (
            "ListCreateAccountStatus",
            error_code(m.list_create_account_status().send().await),
        ),
        (
            "MoveAccount",
            error_code(
                m.move_account()
                    .account_id(&member)
                    .source_parent_id(&org.root_id)
                    .destination_parent_id(&ou)
                    .send()
                    .await,
            ),
        ),
        (
            "CloseAccount",
            error_code(m.close_account().account_id(&member).send().await),
        ),
        (
            "RemoveAccountFromOrganization",
            error_code(
                m.remove_account_from_organization()
                    .account_id(&member)
                    .send()
                    .await,
            ),
        ),
        (
            "TagResource",
            error_code(
                m.tag_resource()
                    .resource_id(&member)
                    .tags(tag("k", "v"))
                    .send()
                    .await,
            ),
        ),
        (
            "ListTagsForResource",
            error_code(m.list_tags_for_resource().resource_id(&ou).send().await),
        ),
        (
            "DeleteOrganization",
            error_code(m.delete_organization().send().await),
        ),
    ];
    for (op, code) in denied {
        assert_eq!(code, "AccessDeniedException", "{op}");
    }
    // The denied calls changed nothing.
    assert_eq!(
        org.account_ids().await,
        [MGMT.to_string(), member.clone()].into()
    );
    let parents = org
        .client
        .list_parents()
        .child_id(&member)
        .send()
        .await
        .unwrap()
        .parents
        .unwrap();
    assert_eq!(parents[0].id(), Some(org.root_id.as_str()));
}

#[tokio::test]
async fn delete_organization_requires_no_member_accounts() {
    let server = start().await;
    let org = create_org(&server).await;
    let member = org.new_account("member").await;
    let ou = org.new_ou(&org.root_id, "kept").await;

    let refused = org.client.delete_organization().send().await;
    assert_eq!(error_code(refused), "OrganizationNotEmptyException");
    assert_eq!(
        org.client
            .describe_organization()
            .send()
            .await
            .unwrap()
            .organization
            .unwrap()
            .id(),
        Some(org.id.as_str())
    );

    after_wait_period(&server);
    org.client
        .remove_account_from_organization()
        .account_id(&member)
        .send()
        .await
        .unwrap();
    // OUs do not keep an organization alive; only member accounts do.
    org.client.delete_organization().send().await.unwrap();
    let gone = org.client.describe_organization().send().await;
    assert_eq!(error_code(gone), "AWSOrganizationsNotInUseException");
    let ou_gone = org
        .client
        .describe_organizational_unit()
        .organizational_unit_id(&ou)
        .send()
        .await;
    assert_eq!(error_code(ou_gone), "AWSOrganizationsNotInUseException");

    // The former management account can start over, in a brand new organization.
    let again = create_org(&server).await;
    assert_ne!(again.id, org.id);
    assert_ne!(again.root_id, org.root_id);
    assert_eq!(again.account_ids().await, [MGMT.to_string()].into());
    let children = again
        .client
        .list_children()
        .parent_id(&again.root_id)
        .child_type(aws_sdk_organizations::types::ChildType::OrganizationalUnit)
        .send()
        .await
        .unwrap()
        .children
        .unwrap();
    assert!(children.is_empty(), "{children:?}");
}

#[tokio::test]
async fn an_access_key_that_is_not_an_account_id_acts_as_the_default_account() {
    let server = start().await;
    let c = client_with_key(&server, "AKIAIOSFODNN7EXAMPLE");
    let org = c
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(org.master_account_id(), Some("123456789012"));
    // The same default account behind another non-numeric key.
    let other = client_with_key(&server, "ASIAOTHERKEYEXAMPLE");
    let seen = other
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(seen.id(), org.id());
}

#[tokio::test]
async fn list_roots_rejects_bad_paging_input() {
    let server = start().await;
    let org = create_org(&server).await;
    let too_many = org.client.list_roots().max_results(21).send().await;
    assert_eq!(
        code_and_reason!(invalid: too_many, ListRootsError),
        expect("InvalidInputException", "MAX_VALUE_EXCEEDED")
    );
    let forged = org
        .client
        .list_roots()
        .next_token("not-a-token-orgd-ever-gave")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: forged, ListRootsError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
}

#[tokio::test]
async fn arns_are_in_the_partition_of_the_signed_region() {
    let server = start().await;
    let cn = client_in_region(&server, MGMT, "cn-north-1");
    let org = cn
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let id = org.id().unwrap();
    assert_eq!(
        org.arn(),
        Some(format!("arn:aws-cn:organizations::{MGMT}:organization/{id}").as_str())
    );
    assert_eq!(
        org.master_account_arn(),
        Some(format!("arn:aws-cn:organizations::{MGMT}:account/{id}/{MGMT}").as_str())
    );
    let roots = cn.list_roots().send().await.unwrap();
    let root = &roots.roots()[0];
    assert_eq!(
        root.arn(),
        Some(
            format!(
                "arn:aws-cn:organizations::{MGMT}:root/{id}/{}",
                root.id().unwrap()
            )
            .as_str()
        )
    );
    let full = cn
        .describe_policy()
        .policy_id("p-FullAWSAccess")
        .send()
        .await
        .unwrap();
    assert_eq!(
        full.policy().unwrap().policy_summary().unwrap().arn(),
        Some("arn:aws-cn:organizations::aws:policy/service_control_policy/p-FullAWSAccess")
    );
    // The same organization, asked from an `aws` region, answers in `aws`.
    let global = client(&server, MGMT);
    let described = global.describe_organization().send().await.unwrap();
    assert_eq!(
        described.organization().unwrap().arn(),
        Some(format!("arn:aws:organizations::{MGMT}:organization/{id}").as_str())
    );
}
