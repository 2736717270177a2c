//! Operators' tools: `GET /metrics`, `GET /_orgd/export`, `POST /_orgd/import`, and the offline
//! `orgd export` / `orgd import` subcommands of the built binary.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use aws_sdk_organizations::types::{HandshakeParty, HandshakePartyType, PolicyType};
use common::*;
use orgd::Server;

async fn export(server: &Server) -> Vec<u8> {
    let (status, content_type, body) = http(server, "GET", "/_orgd/export", b"").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/json");
    body
}

/// Posts `doc` to `/_orgd/import`: the status and the JSON answer.
async fn import(server: &Server, doc: &[u8]) -> (u16, serde_json::Value) {
    let (status, _, body) = http(server, "POST", "/_orgd/import", doc).await;
    (
        status,
        serde_json::from_slice(&body).expect("a JSON answer"),
    )
}

/// Every sample of a Prometheus text exposition, keyed by `name{labels}`. Panics on a line that
/// is neither a comment nor `name[{labels}] value`.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, value) = l.rsplit_once(' ').unwrap_or_else(|| panic!("sample {l}"));
            let name_end = key.find('{').unwrap_or(key.len());
            assert!(
                key[..name_end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
                "metric name in {l}"
            );
            assert!(key.ends_with('}') || name_end == key.len(), "labels in {l}");
            (key.to_string(), value.parse().expect("a number"))
        })
        .collect()
}

#[tokio::test]
async fn metrics_count_each_request_by_operation_and_outcome() {
    let server = start().await;
    let org = create_org(&server).await;
    let missing = org
        .client
        .describe_account()
        .account_id("222222222222")
        .send()
        .await;
    assert_eq!(error_code(missing), "AccountNotFoundException");

    // A request that names no operation is counted too, under `unknown`.
    let (status, _, _) = http(&server, "POST", "/", b"{}").await;
    assert_eq!(status, 400);

    let (status, content_type, body) = http(&server, "GET", "/metrics", b"").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain; version=0.0.4"));
    let m = samples(&String::from_utf8(body).unwrap());
    let get = |k: &str| {
        m.get(k)
            .copied()
            .unwrap_or_else(|| panic!("no {k} in {m:?}"))
    };
    assert_eq!(
        get(r#"orgd_requests_total{operation="CreateOrganization",outcome="success"}"#),
        1.0
    );
    assert_eq!(
        get(
            r#"orgd_requests_total{operation="DescribeAccount",outcome="AccountNotFoundException"}"#
        ),
        1.0
    );
    assert!(
        !m.contains_key(r#"orgd_requests_total{operation="DescribeAccount",outcome="success"}"#)
    );
    assert_eq!(
        get(r#"orgd_request_duration_seconds_count{operation="DescribeAccount"}"#),
        1.0
    );
    assert_eq!(
        get(r#"orgd_request_duration_seconds_bucket{operation="DescribeAccount",le="+Inf"}"#),
        1.0
    );
    let unknown: f64 = m
        .iter()
        .filter(|(k, _)| k.starts_with(r#"orgd_requests_total{operation="unknown",outcome=""#))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(unknown, 1.0, "{m:?}");
    assert!(get("orgd_store_commit_duration_seconds_count") >= 1.0);
    assert_eq!(get(r#"orgd_entities{kind="organizations"}"#), 1.0);
    assert_eq!(get(r#"orgd_entities{kind="accounts"}"#), 1.0);
    assert_eq!(get(r#"orgd_largest_organization{kind="accounts"}"#), 1.0);
    assert!(get("process_start_time_seconds") > 0.0);
}

/// An organization with something of every kind worth carrying over: accounts in an OU, a
/// policy attached to it, tags, an enabled policy type and an open invitation.
async fn populate(server: &Server) -> Org {
    let org = create_org(server).await;
    let ou = org.new_ou(&org.root_id, "Workloads").await;
    let dev = org.new_account("dev").await;
    org.new_account("prod").await;
    org.move_account(&dev, &org.root_id, &ou).await;
    org.client
        .enable_policy_type()
        .root_id(&org.root_id)
        .policy_type(PolicyType::TagPolicy)
        .send()
        .await
        .expect("EnablePolicyType");
    let content = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"}}}}"#;
    let tags = [("team", "platform")];
    let policy = org
        .new_policy_with(PolicyType::TagPolicy, "tags", "cost centre", content, &tags)
        .await;
    org.attach(&policy, &ou).await;
    org.client
        .invite_account_to_organization()
        .target(
            HandshakeParty::builder()
                .r#type(HandshakePartyType::Account)
                .id(OUTSIDER)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("InviteAccountToOrganization");
    org
}

/// What the SDK sees of an organization: accounts with their parents, OUs, policies with targets.
async fn seen(server: &Server) -> Vec<String> {
    let c = client(server, MGMT);
    let root = c.list_roots().send().await.unwrap().roots.unwrap()[0]
        .id
        .clone()
        .unwrap();
    let mut out = vec![format!("root {root}")];
    for a in c.list_accounts().send().await.unwrap().accounts.unwrap() {
        let id = a.id.unwrap();
        let parent = c
            .list_parents()
            .child_id(&id)
            .send()
            .await
            .unwrap()
            .parents
            .unwrap()[0]
            .id
            .clone()
            .unwrap();
        out.push(format!(
            "account {id} {} {:?} in {parent}",
            a.name.unwrap(),
            a.status
        ));
    }
    let ous = c
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap();
    for ou in ous.organizational_units.unwrap() {
        out.push(format!("ou {} {}", ou.id.unwrap(), ou.name.unwrap()));
    }
    let policies = c
        .list_policies()
        .filter(PolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    for p in policies.policies.unwrap() {
        let id = p.id.unwrap();
        let targets = c
            .list_targets_for_policy()
            .policy_id(&id)
            .send()
            .await
            .unwrap();
        let targets: Vec<_> = targets
            .targets
            .unwrap()
            .into_iter()
            .map(|t| t.target_id)
            .collect();
        out.push(format!("policy {id} {} on {targets:?}", p.name.unwrap()));
    }
    let invites = c.list_handshakes_for_organization().send().await.unwrap();
    out.push(format!("handshakes {}", invites.handshakes.unwrap().len()));
    out
}

#[tokio::test]
async fn an_export_imported_into_a_fresh_orgd_exports_identically_and_looks_the_same() {
    let source = start().await;
    populate(&source).await;
    let doc = export(&source).await;

    let target = start().await;
    let (status, answer) = import(&target, &doc).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["imported"]["accounts"], 3);
    assert_eq!(answer["imported"]["policies"], 1);
    assert_eq!(export(&target).await, doc);
    assert_eq!(seen(&target).await, seen(&source).await);

    // The imported organization keeps working.
    let org = client(&target, MGMT);
    let ou = org
        .create_organizational_unit()
        .parent_id(seen(&target).await[0].strip_prefix("root ").unwrap())
        .name("More")
        .send()
        .await;
    assert!(ou.is_ok(), "{ou:?}");
}

#[tokio::test]
async fn an_import_into_an_orgd_that_holds_anything_is_refused_and_changes_nothing() {
    let source = start().await;
    populate(&source).await;
    let doc = export(&source).await;

    let target = start().await;
    create_org(&target).await;
    let before = export(&target).await;
    let (status, answer) = import(&target, &doc).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"], "NotEmpty");
    assert!(answer["message"].as_str().unwrap().contains("empty"));
    assert_eq!(export(&target).await, before);
}

#[tokio::test]
async fn a_malformed_or_foreign_document_is_refused_and_changes_nothing() {
    let source = start().await;
    populate(&source).await;
    let doc = export(&source).await;
    let mut value: serde_json::Value = serde_json::from_slice(&doc).unwrap();

    let target = start().await;
    let empty = export(&target).await;
    let refuse = async |body: Vec<u8>, code: &str| {
        let (status, answer) = import(&target, &body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["error"], code, "{answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty());
        assert_eq!(export(&target).await, empty);
    };
    refuse(doc[..doc.len() / 2].to_vec(), "MalformedDocument").await;
    refuse(b"{\"Organizations\": []}".to_vec(), "NotAnExport").await;
    value["version"] = 99.into();
    refuse(value.to_string().into_bytes(), "UnsupportedVersion").await;
    value["version"] = 1.into();
    value["roots"] = serde_json::json!([]);
    refuse(value.to_string().into_bytes(), "InvalidDocument").await;
    value["roots"] = serde_json::json!("not a list");
    refuse(value.to_string().into_bytes(), "InvalidDocument").await;

    // Nothing of the refused documents stuck: the real one still loads.
    let (status, answer) = import(&target, &doc).await;
    assert_eq!(status, 200, "{answer}");
}

fn orgd(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_orgd"))
        .args(args)
        .env_remove("ORGD_DATA_DIR")
        .output()
        .expect("orgd runs")
}

#[tokio::test]
async fn offline_export_and_import_round_trip_a_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let file = tmp.path().join("org.json");
    let server = start_with(persistent(&a)).await;
    populate(&server).await;
    let online = export(&server).await;
    let looks = seen(&server).await;
    server.stop().await.unwrap();

    let out = orgd(&[
        "export",
        "--data-dir",
        a.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&file).unwrap(), online);

    // The data directory may come from ORGD_DATA_DIR as well as --data-dir.
    let out = Command::new(env!("CARGO_BIN_EXE_orgd"))
        .args(["import", file.to_str().unwrap()])
        .env("ORGD_DATA_DIR", &b)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = orgd(&["export", "--data-dir", b.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(out.stdout, online);

    let again = orgd(&[
        "import",
        "--data-dir",
        b.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("import loads only into an empty"));
    let missing = orgd(&[
        "export",
        "--data-dir",
        tmp.path().join("none").to_str().unwrap(),
    ]);
    assert!(!missing.status.success());
    assert!(!tmp.path().join("none").exists());

    let server = start_with(persistent(&b)).await;
    assert_eq!(seen(&server).await, looks);
    assert_eq!(export(&server).await, online);
    server.stop().await.unwrap();
}

/// moto's server mode resets its server with `POST /moto-api/reset` between tests; orgd answers
/// it as `POST /_orgd/reset`, so moto's own suites run against orgd unchanged.
#[tokio::test]
async fn the_moto_api_reset_wipes_the_state_as_orgds_own_reset_does() {
    let server = start().await;
    let org = create_org(&server).await;
    assert!(org.account_ids().await.contains(MGMT));
    let (status, _, _) = http(&server, "POST", "/moto-api/reset", b"").await;
    assert_eq!(status, 200);
    let e = service_error(org.client.describe_organization().send().await);
    assert_eq!(
        aws_sdk_organizations::error::ProvideErrorMetadata::code(&e),
        Some("AWSOrganizationsNotInUseException")
    );
    server.stop().await.unwrap();
}
