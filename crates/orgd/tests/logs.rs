//! The log is written by a background thread through a buffer: a clean stop (SIGTERM) still
//! writes every line, the last request's included.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::free_port;

/// Sends one DescribeOrganization over a fresh connection; the `x-amzn-requestid` of the answer.
fn describe_organization(port: u16) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = "{}";
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         X-Amz-Target: AWSOrganizationsV20161128.DescribeOrganization\r\n\
         Content-Type: application/x-amz-json-1.1\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("x-amzn-requestid: ")
                .map(str::to_string)
        })
        .expect("a request id header")
}

#[test]
fn a_clean_stop_writes_every_request_line() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgd"))
        .args(["serve", "--in-memory", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("NO_COLOR", "1")
        .spawn()
        .expect("orgd starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "orgd did not start listening");
        std::thread::sleep(Duration::from_millis(20));
    }
    let ids: Vec<String> = (0..50).map(|_| describe_organization(port)).collect();
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "request ids are unique");
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(child.wait().unwrap().success());
    for id in &ids {
        assert_eq!(id.len(), 36, "a request id is a hyphenated UUID: {id}");
        assert!(out.contains(id.as_str()), "no log line for request {id}");
    }
    assert!(out.contains("orgd stopped"), "the last line is written too");
}
