//! A `kill -9` of the real binary loses nothing that was acknowledged: every write answered with
//! success is served again after a restart over the same data directory.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sdk_organizations::types::ChildType;

struct Orgd(Child);

impl Drop for Orgd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(dir: &std::path::Path, port: u16) -> Orgd {
    let child = Command::new(env!("CARGO_BIN_EXE_orgd"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--log",
            "warn",
        ])
        .arg("--data-dir")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("orgd starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "orgd did not start listening");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Orgd(child)
}

fn client(port: u16) -> Client {
    let conf = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Credentials::new(
            "111111111111",
            "secret",
            None,
            None,
            "test",
        ))
        .build();
    Client::from_conf(conf)
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
