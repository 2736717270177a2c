//! The HTTP edge as a public service needs it: a request runs only on the body it was sent, the
//! head and body must arrive in time and within size, connections are bounded, throttling answers
//! AWS's TooManyRequestsException, and paths or methods that are not the API get AWS-shaped errors.

mod common;

use std::time::Duration;

use aws_sdk_organizations::config::retry::RetryConfig;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use common::*;
use orgd::{ServeConfig, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00";

/// The head of an AWS request for `operation` from the management account.
fn head(server: &Server, operation: &str, extra: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: AWSOrganizationsV20161128.{operation}\r\nauthorization: {AUTH}\r\n{extra}connection: close\r\n\r\n",
        server.addr
    )
}

/// Sends `head` and then `body` (from a separate task, so that a server that answers early and
/// closes does not block the writer), and returns the status and the whole answer.
async fn exchange(server: &Server, head: String, body: Vec<u8>) -> (u16, String) {
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(head.as_bytes()).await;
        for chunk in body.chunks(64 * 1024) {
            if wr.write_all(chunk).await.is_err() {
                break;
            }
        }
        wr
    });
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), rd.read_to_end(&mut out)).await;
    drop(writer);
    let out = String::from_utf8_lossy(&out).into_owned();
    (common::http_status(&out), out)
}

/// A JSON body of `size` bytes: `{"Padding": "xxx..."}`.
fn padded(size: usize) -> Vec<u8> {
    let mut body = b"{\"Padding\": \"".to_vec();
    body.resize(size - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_unread_and_changes_nothing() {
    let server = start().await;
    let org = create_org(&server).await;

    // Declared with Content-Length: refused before a byte of it is read.
    let body = padded(20 * 1024 * 1024);
    let h = head(
        &server,
        "DeleteOrganization",
        &format!("content-length: {}\r\n", body.len()),
    );
    let (status, answer) = exchange(&server, h, body).await;
    assert_eq!(status, 413, "{answer}");
    assert!(
        answer.contains("\"__type\":\"RequestEntityTooLargeException\""),
        "{answer}"
    );

    // Chunked, with no declared length: refused once the limit is crossed.
    let payload = padded(2 * 1024 * 1024);
    let mut chunked = Vec::new();
    for chunk in payload.chunks(100_000) {
        chunked.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        chunked.extend_from_slice(chunk);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let h = head(
        &server,
        "DeleteOrganization",
        "transfer-encoding: chunked\r\n",
    );
    let (status, answer) = exchange(&server, h, chunked).await;
    assert_eq!(status, 413, "{answer}");

    let still = org.client.describe_organization().send().await.unwrap();
    assert_eq!(still.organization.unwrap().id.unwrap(), org.id);

    // A body just under the limit is read and answered by the operation itself.
    let body = padded(orgd::aws::MAX_BODY_BYTES - 10);
    let h = head(
        &server,
        "DescribeOrganization",
        &format!("content-length: {}\r\n", body.len()),
    );
    let (status, answer) = exchange(&server, h, body).await;
    assert_eq!(status, 200, "{answer}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn other_methods_and_paths_get_aws_shaped_errors() {
    let server = start().await;
    let get = format!(
        "GET / HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
        server.addr
    );
    let (status, answer) = exchange(&server, get, Vec::new()).await;
    assert_eq!(status, 405, "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("allow: post"),
        "{answer}"
    );
    assert!(
        answer.contains("\"__type\":\"MethodNotAllowedException\""),
        "{answer}"
    );

    let elsewhere = format!(
        "POST /nowhere HTTP/1.1\r\nhost: {}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}",
        server.addr
    );
    let (status, answer) = exchange(&server, elsewhere, Vec::new()).await;
    assert_eq!(status, 404, "{answer}");
    assert!(
        answer.contains("\"__type\":\"UnknownOperationException\"")
            && answer.contains("application/x-amz-json-1.1"),
        "{answer}"
    );
    server.stop().await.unwrap();
}

async fn start_limited(f: impl FnOnce(&mut ServeConfig)) -> Server {
    let mut cfg = ServeConfig::ephemeral();
    f(&mut cfg);
    start_with(cfg).await
}

#[tokio::test]
async fn a_client_that_sends_too_slowly_is_cut_off() {
    let server = start_limited(|c| c.request_timeout_ms = 300).await;
    // Half a head, then nothing: the connection is closed.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    assert!(
        read.is_ok(),
        "the server closes a connection whose head does not arrive"
    );

    // A whole head, then half the body: 408, and the request does not run.
    let h = head(&server, "CreateOrganization", "content-length: 100\r\n");
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(h.as_bytes()).await.unwrap();
    stream.write_all(b"{\"FeatureSet\":").await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out))
        .await
        .expect("answered in time")
        .unwrap();
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(out.contains("RequestTimeoutException"), "{out}");
    let err = client(&server, MGMT)
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        common::error_code::<(), _, _>(Err(err)),
        "AWSOrganizationsNotInUseException"
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn an_oversized_request_head_is_refused() {
    let server = start().await;
    let big = format!("x-padding: {}\r\n", "a".repeat(200 * 1024));
    let (status, _) = exchange(&server, head(&server, "ListRoots", &big), Vec::new()).await;
    assert_eq!(status, 431);
    server.stop().await.unwrap();
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let server = start_limited(|c| c.max_connections = 1).await;
    let idle = TcpStream::connect(server.addr).await.unwrap();
    // Give the server time to accept the first connection and take the only slot.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let h = head(&server, "ListRoots", "content-length: 2\r\n");
    let waiting = tokio::spawn({
        let addr = server.addr;
        async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(h.as_bytes()).await.unwrap();
            s.write_all(b"{}").await.unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).await.unwrap();
            String::from_utf8_lossy(&out).into_owned()
        }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !waiting.is_finished(),
        "the second connection is not served while the first holds the only slot"
    );
    drop(idle);
    let answer = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("served once the slot is free")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn throttling_answers_too_many_requests_per_caller() {
    let server = start_limited(|c| c.throttle_rps = 3).await;
    let conf = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.endpoint())
        .credentials_provider(Credentials::new(MGMT, "x", None, None, "test"))
        .retry_config(RetryConfig::disabled())
        .build();
    let mgmt = aws_sdk_organizations::Client::from_conf(conf);
    let mut codes = Vec::new();
    for _ in 0..6 {
        let r = mgmt.list_roots().send().await;
        codes.push(match r {
            Ok(_) => "ok".to_string(),
            Err(e) => common::error_code::<(), _, _>(Err(e)),
        });
    }
    assert!(
        codes.iter().any(|c| c == "TooManyRequestsException"),
        "{codes:?}"
    );
    // Another caller has a bucket of its own.
    let other = client(&server, "222222222222").list_roots().send().await;
    assert_eq!(
        common::error_code::<(), _, _>(other.map(|_| ())),
        "AWSOrganizationsNotInUseException"
    );
    server.stop().await.unwrap();
}

/// An operation orgd does not serve is named in the answer, in the protocol it was asked in: JSON
/// for an `X-Amz-Target` request, the Query protocol's XML `ErrorResponse` for a form-encoded
/// `Action=...` request (STS's own answer to an action it lacks).
#[tokio::test]
async fn unknown_operations_are_named_in_the_protocol_they_were_asked_in() {
    let server = start().await;
    let (status, answer) = exchange(
        &server,
        head(&server, "NoSuchThing", "content-length: 2\r\n"),
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer.contains("\"Message\":\"Unknown operation NoSuchThing\""),
        "{answer}"
    );

    let body = b"Action=GetFederationToken&Version=2011-06-15".to_vec();
    let query = format!(
        "POST / HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-www-form-urlencoded; charset=utf-8\r\nauthorization: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        server.addr,
        AUTH.replace("/organizations/", "/sts/"),
        body.len()
    );
    let (status, answer) = exchange(&server, query, body).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("text/xml"), "{answer}");
    assert!(
        answer.contains(
            "<Error><Type>Sender</Type><Code>InvalidAction</Code>\
             <Message>Could not find operation GetFederationToken for version 2011-06-15</Message></Error>"
        ),
        "{answer}"
    );
    assert!(answer.contains("<RequestId>"), "{answer}");
    server.stop().await.unwrap();
}
