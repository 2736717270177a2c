//! SCPs that bind member accounts' own calls, the resource policy's IAM conditions, and the policy
//! simulator (`POST /_orgd/simulate`, `orgd simulate`), through the AWS SDK for Rust and HTTP.

#[macro_use]
mod common;

use aws_sdk_organizations::error::ProvideErrorMetadata;
use aws_sdk_organizations::types::PolicyType;
use common::*;
use orgd::config::SimulateArgs;
use serde_json::{Value, json};

const DENY_LEAVE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeaving","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#;

async fn scp(org: &Org, name: &str, content: &str) -> String {
    org.new_policy(PolicyType::ServiceControlPolicy, name, content)
        .await
}

/// A member account in OU `a/b` under the root.
async fn deep_member(org: &Org) -> (String, String, String) {
    let member = org.new_account("member").await;
    let a = org.new_ou(&org.root_id, "a").await;
    let b = org.new_ou(&a, "b").await;
    org.move_account(&member, &org.root_id, &b).await;
    (member, a, b)
}

#[tokio::test]
async fn an_scp_denying_leave_organization_stops_a_member_until_it_is_detached() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let (member, a, _b) = deep_member(&org).await;
    let p = scp(&org, "deny-leave", DENY_LEAVE).await;
    org.attach(&p, &a).await;

    let as_member = client(&server, &member);
    let e = service_error(as_member.leave_organization().send().await);
    assert_eq!(e.code(), Some("AccessDeniedException"));
    let expected = format!(
        "User: arn:aws:iam::{member}:root is not authorized to perform: \
         organizations:LeaveOrganization with an explicit deny in a service control policy: \
         arn:aws:organizations::{MGMT}:policy/{}/service_control_policy/{p}",
        org.id
    );
    assert_eq!(e.message(), Some(expected.as_str()));
    // Still a member; other calls are not affected.
    assert!(org.account_ids().await.contains(&member));
    as_member
        .describe_organization()
        .send()
        .await
        .expect("DescribeOrganization is not denied");

    org.detach(&p, &a).await;
    common::after_wait_period(&server);
    as_member
        .leave_organization()
        .send()
        .await
        .expect("leaving is allowed once the SCP is detached");
    assert!(!org.account_ids().await.contains(&member));
}

#[tokio::test]
async fn the_management_account_is_never_restricted_and_an_allow_is_needed_at_every_level() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let (member, _a, b) = deep_member(&org).await;
    let deny_describe = scp(
        &org,
        "deny-describe",
        r#"{"Statement":{"Effect":"Deny","Action":"organizations:Describe*","Resource":"*"}}"#,
    )
    .await;
    org.attach(&deny_describe, &org.root_id).await;
    org.client
        .describe_organization()
        .send()
        .await
        .expect("the management account is not restricted");
    let as_member = client(&server, &member);
    assert_eq!(
        error_code(as_member.describe_organization().send().await),
        "AccessDeniedException"
    );
    org.detach(&deny_describe, &org.root_id).await;
    as_member.describe_organization().send().await.unwrap();

    // An allow-list at OU b that does not cover Organizations: implicitly denied there.
    let only_s3 = scp(
        &org,
        "s3-only",
        r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
    )
    .await;
    org.attach(&only_s3, &b).await;
    org.detach("p-FullAWSAccess", &b).await;
    let e = service_error(as_member.describe_organization().send().await);
    assert_eq!(e.code(), Some("AccessDeniedException"));
    assert_eq!(
        e.message(),
        Some(
            format!(
                "User: arn:aws:iam::{member}:root is not authorized to perform: \
                 organizations:DescribeOrganization because no service control policy allows \
                 the organizations:DescribeOrganization action"
            )
            .as_str()
        )
    );

    // SCPs bind only while the type is enabled on the root.
    org.client
        .disable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    as_member.describe_organization().send().await.unwrap();
}

#[tokio::test]
async fn conditions_on_global_keys_bind_as_the_request_has_them() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let (member, a, _b) = deep_member(&org).await;
    let outside_eu = scp(
        &org,
        "eu-only",
        r#"{"Statement":{"Sid":"DenyAllOutsideEU","Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}}"#,
    )
    .await;
    org.attach(&outside_eu, &a).await;
    let us = client_in_region(&server, &member, "us-east-1");
    assert_eq!(
        error_code(us.describe_organization().send().await),
        "AccessDeniedException"
    );
    let eu = client_in_region(&server, &member, "eu-west-1");
    eu.describe_organization().send().await.unwrap();
    org.detach(&outside_eu, &a).await;

    let from_elsewhere = scp(
        &org,
        "loopback-only",
        r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#,
    )
    .await;
    org.attach(&from_elsewhere, &a).await;
    assert_eq!(
        error_code(us.describe_organization().send().await),
        "AccessDeniedException",
        "the test client calls from 127.0.0.1"
    );
}

/// The Organizations guide's resource-policy example for a delegated administrator: tagging is
/// allowed with `StringLikeIfExists` on `organizations:PolicyType`.
fn delegation_example(admin: &str, operator: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Fullaccess", "Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{admin}:root")},
             "Action": ["organizations:Describe*", "organizations:List*"], "Resource": "*"},
            {"Sid": "AllowTagging", "Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{admin}:root")},
             "Action": ["organizations:TagResource", "organizations:UntagResource"], "Resource": "*",
             "Condition": {operator: {"organizations:PolicyType": "BACKUP_POLICY"}}}
        ]
    })
    .to_string()
}

#[tokio::test]
async fn the_delegation_example_with_string_like_if_exists_is_accepted_and_evaluated() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let admin = org.new_account("admin").await;
    let ou = org.new_ou(&org.root_id, "workloads").await;
    org.client
        .put_resource_policy()
        .content(delegation_example(&admin, "StringLikeIfExists"))
        .send()
        .await
        .expect("the guide's example is accepted");
    let as_admin = client(&server, &admin);
    as_admin.list_accounts().send().await.expect("ListAccounts");
    as_admin
        .tag_resource()
        .resource_id(&ou)
        .tags(tag("team", "platform"))
        .send()
        .await
        .expect("tagging an OU: no policy type, IfExists holds");
    assert_eq!(
        org.tags_of(&ou).await,
        vec![("team".to_string(), "platform".to_string())]
    );

    // Without IfExists the missing key fails the condition: no grant.
    org.client
        .put_resource_policy()
        .content(delegation_example(&admin, "StringLike"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(
            as_admin
                .tag_resource()
                .resource_id(&ou)
                .tags(tag("team", "other"))
                .send()
                .await
        ),
        "AccessDeniedException"
    );

    // A statement without Principal is refused with the grammar's reason.
    let e = service_error(
        org.client
            .put_resource_policy()
            .content(
                r#"{"Statement":{"Effect":"Allow","Action":"organizations:List*","Resource":"*"}}"#,
            )
            .send()
            .await,
    );
    assert_eq!(e.code(), Some("InvalidInputException"));
    assert!(
        e.message().unwrap_or_default().contains("Principal"),
        "{e:?}"
    );
}

fn simulation(
    server: &orgd::Server,
    account: &str,
    action: &str,
    context: &[&str],
) -> SimulateArgs {
    SimulateArgs {
        url: format!("http://{}", server.addr),
        account_id: account.to_string(),
        action: action.to_string(),
        resource: None,
        context: context.iter().map(|s| s.to_string()).collect(),
    }
}

#[tokio::test]
async fn the_simulator_answers_with_the_policies_in_effect_and_the_statements_that_decided() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let (member, a, _b) = deep_member(&org).await;
    let p = scp(&org, "deny-leave", DENY_LEAVE).await;
    org.attach(&p, &a).await;

    let answer = orgd::simulate::run(&simulation(
        &server,
        &member,
        "organizations:LeaveOrganization",
        &[],
    ))
    .await
    .unwrap();
    assert_eq!(answer["decision"], "denied");
    assert_eq!(answer["reason"], "explicit_deny");
    let policies = answer["policies"].as_array().unwrap();
    let decided: Vec<&Value> = policies.iter().filter(|p| p["decided"] == true).collect();
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["id"], p.as_str());
    assert_eq!(decided[0]["target_id"], a.as_str());
    assert_eq!(decided[0]["type"], "SERVICE_CONTROL_POLICY");
    assert_eq!(
        decided[0]["statements"],
        json!([{"index": 0, "sid": "DenyLeaving", "effect": "Deny"}])
    );
    // FullAWSAccess at the root, a, b and the account, and the denying policy.
    assert_eq!(policies.len(), 5, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("with an explicit deny in a service control policy")
    );

    let allowed = orgd::simulate::run(&simulation(
        &server,
        &member,
        "organizations:DescribeOrganization",
        &[],
    ))
    .await
    .unwrap();
    assert_eq!(allowed["decision"], "allowed");
    assert_eq!(
        allowed["policies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["decided"] == true)
            .count(),
        4,
        "an allow at every level decided"
    );
    let management = orgd::simulate::run(&simulation(
        &server,
        MGMT,
        "organizations:LeaveOrganization",
        &[],
    ))
    .await
    .unwrap();
    assert_eq!(management["decision"], "allowed");
    assert_eq!(management["reason"], "management_account");

    // Context keys from the request: an RCP on s3 requiring TLS.
    org.client
        .enable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::ResourceControlPolicy)
        .send()
        .await
        .unwrap();
    let rcp = org
        .client
        .create_policy()
        .name("tls")
        .description("")
        .r#type(PolicyType::ResourceControlPolicy)
        .content(r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}}"#)
        .send()
        .await
        .unwrap()
        .policy
        .and_then(|p| p.policy_summary)
        .and_then(|s| s.id)
        .unwrap();
    org.attach(&rcp, &member).await;
    let http = orgd::simulate::run(&simulation(
        &server,
        &member,
        "s3:GetObject",
        &["aws:SecureTransport=false"],
    ))
    .await
    .unwrap();
    assert_eq!(http["decision"], "denied");
    assert!(
        http["message"]
            .as_str()
            .unwrap()
            .contains("explicit deny in a resource control policy")
    );
    let https = orgd::simulate::run(&simulation(
        &server,
        &member,
        "s3:GetObject",
        &["aws:SecureTransport=true"],
    ))
    .await
    .unwrap();
    assert_eq!(https["decision"], "allowed");

    // A malformed simulation is refused with orgd's own error shape.
    let bad = orgd::simulate::run(&simulation(&server, &member, "LeaveOrganization", &[])).await;
    assert!(
        bad.unwrap_err().to_string().contains("not an action"),
        "an action without its service is refused"
    );
}

#[tokio::test]
async fn orgd_simulate_on_the_command_line_prints_the_answer_and_exits_by_decision() {
    let server = start_with_scps().await;
    let org = create_org(&server).await;
    let (member, a, _b) = deep_member(&org).await;
    let p = scp(&org, "deny-leave", DENY_LEAVE).await;
    org.attach(&p, &a).await;
    let url = format!("http://{}", server.addr);
    let run = |action: &'static str| {
        let (url, member) = (url.clone(), member.clone());
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_orgd"))
                .args(["simulate", "--url", &url, "--account-id", &member])
                .args([
                    "--action",
                    action,
                    "--context",
                    "aws:RequestedRegion=us-east-1",
                ])
                .output()
                .unwrap()
        })
    };
    let denied = run("organizations:LeaveOrganization").await.unwrap();
    assert_eq!(denied.status.code(), Some(2));
    let answer: Value = serde_json::from_slice(&denied.stdout).unwrap();
    assert_eq!(answer["decision"], "denied");
    let allowed = run("organizations:DescribeOrganization").await.unwrap();
    assert_eq!(allowed.status.code(), Some(0), "{allowed:?}");
    let answer: Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(answer["decision"], "allowed");
}
