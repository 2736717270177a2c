//! A `kill -9` of the real binary loses nothing that was acknowledged: every write answered with
//! success is served again after a restart over the same data directory.

mod common;

use std::process::Stdio;

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::ChildType;
use common::{MGMT, Orgd, free_port, sdk_config, spawn_orgd};

/// The built binary on `port`, persisting under `dir`.
async fn start(dir: &std::path::Path, port: u16) -> Orgd {
    spawn_orgd(port, |cmd| {
        cmd.arg("--data-dir").arg(dir).stderr(Stdio::null());
    })
    .await
}

fn client(port: u16) -> Client {
    let endpoint = format!("http://127.0.0.1:{port}");
    Client::from_conf(sdk_config(&endpoint, MGMT, "secret", "us-east-1").build())
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_dash_nine() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), port).await;
    let c = client(port);
    let org = c
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let root = c
        .list_roots()
        .send()
        .await
        .unwrap()
        .roots
        .unwrap()
        .remove(0)
        .id
        .unwrap();
    let mut ous = Vec::new();
    for i in 0..25 {
        let ou = c
            .create_organizational_unit()
            .parent_id(&root)
            .name(format!("ou-{i}"))
            .send()
            .await
            .unwrap();
        ous.push(ou.organizational_unit.unwrap().id.unwrap());
    }
    // SIGKILL right after the last acknowledged write: no chance to flush anything more.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    drop(server);

    let _server = start(dir.path(), port).await;
    let c = client(port);
    let again = c
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(again.id, org.id);
    let mut listed = Vec::new();
    let mut pages = c
        .list_children()
        .parent_id(&root)
        .child_type(ChildType::OrganizationalUnit)
        .max_results(10)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        listed.extend(
            page.unwrap()
                .children
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.id.unwrap()),
        );
    }
    listed.sort();
    ous.sort();
    assert_eq!(listed, ous);
}
