//! Policies through the AWS SDK for Rust: CRUD, policy types, attachments and their quotas, the
//! AWS-managed policies, tags on policies and effective policies.

#[macro_use]
mod common;

use aws_sdk_organizations::operation::attach_policy::AttachPolicyError;
use aws_sdk_organizations::operation::create_policy::CreatePolicyError;
use aws_sdk_organizations::operation::delete_policy::DeletePolicyError;
use aws_sdk_organizations::operation::describe_effective_policy::DescribeEffectivePolicyError;
use aws_sdk_organizations::operation::detach_policy::DetachPolicyError;
use aws_sdk_organizations::operation::update_policy::UpdatePolicyError;
use aws_sdk_organizations::types::{
    EffectivePolicyType, OrganizationFeatureSet, PolicyType, PolicyTypeStatus, TargetType,
};
use common::*;
use serde_json::json;

// These tests start from the documented state, SCPs enabled when an all-features organization
// is created (`start_with_scps`, `scp_at_creation`); orgd's default, like AWS, enables none (see
// organization.rs).

const DENY_S3: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
// "Inheritance examples" of the Organizations guide: policies A (root), C (OU), D (account).
const TAG_A: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@assign":["Development","Support"]}}}}"#;
const TAG_C: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@append":["Marketing"]},"enforced_for":{"@@append":["redshift:*","dynamodb:table"]}}}}"#;
const TAG_D: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@remove":["Development","Marketing"]},"enforced_for":{"@@remove":["redshift:*","dynamodb:table"]}}}}"#;
const TAG_E: &str = r#"{"tags":{"project":{"tag_key":{"@@operators_allowed_for_child_policies":["@@none"],"@@assign":"Project"}}}}"#;
const TAG_F: &str = r#"{"tags":{"project":{"tag_key":{"@@assign":"PROJECT"}}}}"#;

async fn enable(org: &Org, ty: PolicyType) -> Vec<(PolicyType, PolicyTypeStatus)> {
    org.client
        .enable_policy_type()
        .root_id(&org.root_id)
        .policy_type(ty)
        .send()
        .await
        .expect("EnablePolicyType")
        .root
        .unwrap()
        .policy_types()
        .iter()
        .map(|p| (p.r#type().unwrap().clone(), p.status().unwrap().clone()))
        .collect()
}

async fn attached(org: &Org, target: &str, ty: PolicyType) -> Vec<String> {
    let mut ids: Vec<String> = org
        .client
        .list_policies_for_target()
        .target_id(target)
        .filter(ty)
        .send()
        .await
        .expect("ListPoliciesForTarget")
        .policies()
        .iter()
        .map(|p| p.id().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn an_all_features_organization_has_scps_enabled_and_full_aws_access_on_every_target() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let acct = org.new_account("a").await;
    let ou = org.new_ou(&org.root_id, "Prod").await;
    for t in [org.root_id.as_str(), MGMT, acct.as_str(), ou.as_str()] {
        assert_eq!(
            attached(&org, t, PolicyType::ServiceControlPolicy).await,
            ["p-FullAWSAccess"],
            "{t}"
        );
    }
    let p = org
        .client
        .describe_policy()
        .policy_id("p-FullAWSAccess")
        .send()
        .await
        .unwrap()
        .policy
        .unwrap();
    let s = p.policy_summary.unwrap();
    assert!(s.aws_managed);
    assert_eq!(
        s.arn.as_deref(),
        Some("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess")
    );
    let content: serde_json::Value = serde_json::from_str(&p.content.unwrap()).unwrap();
    assert_eq!(
        content["Statement"][0],
        json!({"Effect":"Allow","Action":"*","Resource":"*"})
    );
    let targets = org
        .client
        .list_targets_for_policy()
        .policy_id("p-FullAWSAccess")
        .send()
        .await
        .unwrap();
    let mut kinds: Vec<_> = targets
        .targets()
        .iter()
        .map(|t| t.r#type().unwrap().clone())
        .collect();
    kinds.sort_by_key(|k| k.as_str().to_string());
    assert_eq!(
        kinds,
        [
            TargetType::Account,
            TargetType::Account,
            TargetType::OrganizationalUnit,
            TargetType::Root
        ]
    );
}

#[tokio::test]
async fn policy_crud_names_content_and_immutable_managed_policies() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let id = org
        .new_policy(PolicyType::ServiceControlPolicy, "DenyS3", DENY_S3)
        .await;
    assert!(id.starts_with("p-") && id.len() == 12, "{id}");
    let p = org
        .client
        .describe_policy()
        .policy_id(&id)
        .send()
        .await
        .unwrap()
        .policy
        .unwrap();
    let s = p.policy_summary.unwrap();
    assert_eq!(
        s.arn.unwrap(),
        format!(
            "arn:aws:organizations::{MGMT}:policy/{}/service_control_policy/{id}",
            org.id
        )
    );
    assert!(!s.aws_managed);
    assert_eq!(p.content.as_deref(), Some(DENY_S3));

    let dup = org
        .client
        .create_policy()
        .r#type(PolicyType::ServiceControlPolicy)
        .name("DenyS3")
        .description("")
        .content(DENY_S3)
        .send()
        .await;
    assert_eq!(error_code(dup), "DuplicatePolicyException");
    let malformed = org
        .client
        .create_policy()
        .r#type(PolicyType::ServiceControlPolicy)
        .name("bad")
        .description("")
        .content(r#"{"Statement":{"Effect":"Maybe","Action":"*"}}"#)
        .send()
        .await;
    let e = service_error(malformed);
    assert!(matches!(
        e,
        CreatePolicyError::MalformedPolicyDocumentException(_)
    ));
    assert!(
        aws_sdk_organizations::error::ProvideErrorMetadata::message(&e)
            .unwrap()
            .contains("Effect"),
        "{e:?}"
    );
    let big = format!("{DENY_S3}{}", " ".repeat(10_240));
    let res = org
        .client
        .create_policy()
        .r#type(PolicyType::ServiceControlPolicy)
        .name("big")
        .description("")
        .content(big)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, CreatePolicyError),
        expect(
            "ConstraintViolationException",
            "POLICY_CONTENT_LIMIT_EXCEEDED"
        )
    );

    let updated = org
        .client
        .update_policy()
        .policy_id(&id)
        .name("DenyS3Renamed")
        .send()
        .await
        .unwrap()
        .policy
        .unwrap();
    assert_eq!(
        updated.policy_summary.unwrap().name.as_deref(),
        Some("DenyS3Renamed")
    );
    let res = org
        .client
        .update_policy()
        .policy_id("p-FullAWSAccess")
        .name("x")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, UpdatePolicyError),
        expect("InvalidInputException", "IMMUTABLE_POLICY")
    );
    let res = org
        .client
        .delete_policy()
        .policy_id("p-FullAWSAccess")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: res, DeletePolicyError),
        expect("InvalidInputException", "IMMUTABLE_POLICY")
    );

    let listed = org
        .client
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let mut ids: Vec<_> = listed.policies().iter().map(|p| p.id().unwrap()).collect();
    ids.sort();
    let mut want = vec!["p-FullAWSAccess", id.as_str()];
    want.sort();
    assert_eq!(ids, want);

    org.client
        .delete_policy()
        .policy_id(&id)
        .send()
        .await
        .unwrap();
    let gone = org.client.describe_policy().policy_id(&id).send().await;
    assert_eq!(error_code(gone), "PolicyNotFoundException");
}

#[tokio::test]
async fn attachment_rules_and_quotas() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let root = org.root_id.clone();
    let tag = org.new_policy(PolicyType::TagPolicy, "t", TAG_A).await;
    let res = org
        .client
        .attach_policy()
        .policy_id(&tag)
        .target_id(&root)
        .send()
        .await;
    assert_eq!(error_code(res), "PolicyTypeNotEnabledException");
    let types = enable(&org, PolicyType::TagPolicy).await;
    assert!(types.contains(&(PolicyType::TagPolicy, PolicyTypeStatus::Enabled)));
    let again = org
        .client
        .enable_policy_type()
        .root_id(&root)
        .policy_type(PolicyType::TagPolicy)
        .send()
        .await;
    assert_eq!(error_code(again), "PolicyTypeAlreadyEnabledException");
    org.attach(&tag, &root).await;
    let dup = org
        .client
        .attach_policy()
        .policy_id(&tag)
        .target_id(&root)
        .send()
        .await;
    assert_eq!(error_code(dup), "DuplicatePolicyAttachmentException");
    let in_use = org.client.delete_policy().policy_id(&tag).send().await;
    assert_eq!(error_code(in_use), "PolicyInUseException");
    let not_attached = org
        .client
        .detach_policy()
        .policy_id(&tag)
        .target_id(MGMT)
        .send()
        .await;
    assert_eq!(error_code(not_attached), "PolicyNotAttachedException");
    let no_target = org
        .client
        .attach_policy()
        .policy_id(&tag)
        .target_id("ou-zzzz-zzzzzzzz")
        .send()
        .await;
    assert_eq!(error_code(no_target), "TargetNotFoundException");
    let bad_target = org
        .client
        .attach_policy()
        .policy_id(&tag)
        .target_id("o-abcdefghij")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_target, AttachPolicyError),
        expect("InvalidInputException", "INVALID_PATTERN_TARGET_ID")
    );

    let res = org
        .client
        .detach_policy()
        .policy_id("p-FullAWSAccess")
        .target_id(&root)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, DetachPolicyError),
        expect(
            "ConstraintViolationException",
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
        )
    );
    for i in 0..9 {
        let p = org
            .new_policy(PolicyType::ServiceControlPolicy, &format!("s{i}"), DENY_S3)
            .await;
        org.attach(&p, &root).await;
    }
    let eleventh = org
        .new_policy(PolicyType::ServiceControlPolicy, "s9", DENY_S3)
        .await;
    let res = org
        .client
        .attach_policy()
        .policy_id(&eleventh)
        .target_id(&root)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, AttachPolicyError),
        expect(
            "ConstraintViolationException",
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
        )
    );
    org.client
        .detach_policy()
        .policy_id("p-FullAWSAccess")
        .target_id(&root)
        .send()
        .await
        .expect("another SCP remains");

    // Only the management account changes policies.
    let member = org.new_account("m").await;
    let denied = client(&server, &member)
        .create_policy()
        .r#type(PolicyType::TagPolicy)
        .name("x")
        .description("")
        .content(TAG_A)
        .send()
        .await;
    assert_eq!(error_code(denied), "AccessDeniedException");
}

#[tokio::test]
async fn rcps_attach_rcp_full_aws_access_and_disabling_a_type_detaches_its_policies() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let acct = org.new_account("a").await;
    let ou = org.new_ou(&org.root_id, "Prod").await;
    enable(&org, PolicyType::ResourceControlPolicy).await;
    for t in [org.root_id.as_str(), MGMT, acct.as_str(), ou.as_str()] {
        assert_eq!(
            attached(&org, t, PolicyType::ResourceControlPolicy).await,
            ["p-RCPFullAWSAccess"],
            "{t}"
        );
    }
    let deny = org
        .new_policy(PolicyType::ServiceControlPolicy, "deny", DENY_S3)
        .await;
    org.attach(&deny, &ou).await;
    let root = org
        .client
        .disable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap()
        .root
        .unwrap();
    let types: Vec<_> = root
        .policy_types()
        .iter()
        .map(|p| p.r#type().unwrap().clone())
        .collect();
    assert_eq!(types, [PolicyType::ResourceControlPolicy]);
    for t in [org.root_id.as_str(), MGMT, acct.as_str(), ou.as_str()] {
        assert!(
            attached(&org, t, PolicyType::ServiceControlPolicy)
                .await
                .is_empty()
        );
    }
    let again = org
        .client
        .disable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await;
    assert_eq!(error_code(again), "PolicyTypeNotEnabledException");
    let no_root = org
        .client
        .enable_policy_type()
        .root_id("r-zzzz")
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await;
    assert_eq!(error_code(no_root), "RootNotFoundException");
}

#[tokio::test]
async fn consolidated_billing_organizations_have_no_policy_types() {
    let server = start_with_scps().await;
    let org = create_org_with(&server, OrganizationFeatureSet::ConsolidatedBilling).await;
    let res = org
        .client
        .enable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await;
    assert_eq!(
        error_code(res),
        "PolicyTypeNotAvailableForOrganizationException"
    );
    let res = org
        .client
        .create_policy()
        .r#type(PolicyType::TagPolicy)
        .name("t")
        .description("")
        .content(TAG_A)
        .send()
        .await;
    assert_eq!(
        error_code(res),
        "PolicyTypeNotAvailableForOrganizationException"
    );
}

#[tokio::test]
async fn policies_carry_tags() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let id = org
        .client
        .create_policy()
        .r#type(PolicyType::TagPolicy)
        .name("t")
        .description("")
        .content(TAG_A)
        .tags(tag("team", "platform"))
        .send()
        .await
        .unwrap()
        .policy
        .unwrap()
        .policy_summary
        .unwrap()
        .id
        .unwrap();
    assert_eq!(org.tags_of(&id).await, pairs(&[("team", "platform")]));
    org.client
        .tag_resource()
        .resource_id(&id)
        .tags(tag("env", "prod"))
        .send()
        .await
        .unwrap();
    org.client
        .untag_resource()
        .resource_id(&id)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert_eq!(org.tags_of(&id).await, pairs(&[("env", "prod")]));
}

#[tokio::test]
async fn effective_tag_policy_through_root_ou_and_account() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    enable(&org, PolicyType::TagPolicy).await;
    let ou = org.new_ou(&org.root_id, "Prod").await;
    let acct = org.new_account("a").await;
    org.move_account(&acct, &org.root_id, &ou).await;
    let member = client(&server, &acct);
    let none = member
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await;
    assert_eq!(error_code(none), "EffectivePolicyNotFoundException");

    let a = org.new_policy(PolicyType::TagPolicy, "A", TAG_A).await;
    let c = org.new_policy(PolicyType::TagPolicy, "C", TAG_C).await;
    let d = org.new_policy(PolicyType::TagPolicy, "D", TAG_D).await;
    org.attach(&a, &org.root_id).await;
    org.attach(&c, &ou).await;
    org.attach(&d, &acct).await;

    // The member reads its own effective policy without naming itself.
    let own = member
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap()
        .effective_policy
        .unwrap();
    assert_eq!(own.target_id.as_deref(), Some(acct.as_str()));
    assert_eq!(own.policy_type, Some(EffectivePolicyType::TagPolicy));
    assert!(own.last_updated_timestamp.is_some());
    let v: serde_json::Value = serde_json::from_str(&own.policy_content.unwrap()).unwrap();
    assert_eq!(
        v,
        json!({"tags":{"costcenter":{"tag_key":"CostCenter","tag_value":["Support"]}}})
    );
    // The management account names the account; the member cannot name another.
    let by_mgmt = org
        .client
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .target_id(&acct)
        .send()
        .await
        .unwrap();
    assert!(by_mgmt.effective_policy.is_some());
    let other = member
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .target_id(MGMT)
        .send()
        .await;
    assert_eq!(error_code(other), "AccessDeniedException");
    let root_target = org
        .client
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .target_id(&org.root_id)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(root_target, DescribeEffectivePolicyError),
        expect("InvalidInputException", "TARGET_NOT_SUPPORTED")
    );
    // The management account has only the root's policy A.
    let mgmt = org
        .client
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap()
        .effective_policy
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&mgmt.policy_content.unwrap()).unwrap();
    assert_eq!(
        v["tags"]["costcenter"]["tag_value"],
        json!(["Development", "Support"])
    );
}

#[tokio::test]
async fn invalid_effective_policies_are_reported() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    enable(&org, PolicyType::TagPolicy).await;
    let acct = org.new_account("a").await;
    let e = org.new_policy(PolicyType::TagPolicy, "E", TAG_E).await;
    let f = org.new_policy(PolicyType::TagPolicy, "F", TAG_F).await;
    org.attach(&e, &org.root_id).await;
    org.attach(&f, &acct).await;
    let invalid = org
        .client
        .list_accounts_with_invalid_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.policy_type, Some(EffectivePolicyType::TagPolicy));
    let ids: Vec<_> = invalid.accounts().iter().map(|a| a.id().unwrap()).collect();
    assert_eq!(ids, [acct.as_str()]);
    let errs = org
        .client
        .list_effective_policy_validation_errors()
        .account_id(&acct)
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(errs.account_id.as_deref(), Some(acct.as_str()));
    assert_eq!(
        errs.path.as_deref(),
        Some(format!("{}/{}/{acct}/", org.id, org.root_id).as_str())
    );
    assert!(errs.evaluation_timestamp.is_some());
    let list = errs.effective_policy_validation_errors();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].error_code(), Some("OPERATOR_NOT_ALLOWED"));
    assert_eq!(list[0].path_to_error(), Some("tags.project.tag_key"));
    assert_eq!(list[0].contributing_policies(), [f.clone(), e.clone()]);
}

#[tokio::test]
async fn policies_and_attachments_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (policy, acct) = {
        let server = start_with(scp_at_creation(persistent(dir.path()))).await;
        let org = create_org(&server).await;
        enable(&org, PolicyType::TagPolicy).await;
        let acct = org.new_account("a").await;
        let p = org.new_policy(PolicyType::TagPolicy, "A", TAG_A).await;
        org.attach(&p, &acct).await;
        server.stop().await.unwrap();
        (p, acct)
    };
    let server = start_with(scp_at_creation(persistent(dir.path()))).await;
    let c = client(&server, MGMT);
    let listed = c
        .list_policies_for_target()
        .target_id(&acct)
        .filter(PolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = listed.policies().iter().map(|p| p.id().unwrap()).collect();
    assert_eq!(ids, [policy.as_str()]);
    let roots = c.list_roots().send().await.unwrap();
    let types: Vec<_> = roots.roots()[0]
        .policy_types()
        .iter()
        .map(|p| p.r#type().unwrap().clone())
        .collect();
    assert_eq!(
        types,
        [PolicyType::ServiceControlPolicy, PolicyType::TagPolicy]
    );
}
