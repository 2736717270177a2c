//! The Huawei Cloud Organizations API, driven with raw HTTP against the in-process server: its
//! routing, the shape of its errors and answers, and each operation's success and error paths.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header::HeaderMap;
use hyper_util::rt::TokioIo;
use orgd::{ServeConfig, Server};
use serde_json::{Value, json};

/// The management account of the test organizations (a Huawei domain id).
const MGMT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
/// An account in no organization.
const OUTSIDER: &str = "5f0e2a9c1b7d4e3f8a6b2c1d0e9f8a7b";

async fn start() -> Server {
    Server::start(&ServeConfig::ephemeral())
        .await
        .expect("orgd starts")
}

/// One answer: status, headers and the JSON body (`Value::Null` when empty).
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
    raw: Bytes,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or_default()
    }

    /// Asserts the answer is a Huawei error with `status` and `code`, shaped as the SDK parses it.
    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "answer: {}",
            String::from_utf8_lossy(&self.raw)
        );
        assert!(
            self.body["error_msg"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        let id = self.request_id();
        assert_eq!(self.body["request_id"], json!(id));
    }

    #[track_caller]
    fn ok(&self, status: u16) -> &Value {
        assert_eq!(
            self.status,
            status,
            "answer: {}",
            String::from_utf8_lossy(&self.raw)
        );
        self.request_id();
        &self.body
    }

    #[track_caller]
    fn request_id(&self) -> String {
        let id = self
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("every answer has X-Request-Id");
        assert!(!id.is_empty());
        id.to_string()
    }
}

/// Sends one request as `caller` (the `X-Domain-Id`), with a raw body.
async fn send(
    server: &Server,
    method: &str,
    path: &str,
    caller: Option<&str>,
    body: &str,
) -> Answer {
    let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(conn);
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", server.addr.to_string())
        .header("content-type", "application/json");
    if let Some(c) = caller {
        req = req.header("x-domain-id", c);
    }
    let req = req.body(Full::new(Bytes::from(body.to_string()))).unwrap();
    let res = sender.send_request(req).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let raw = res.into_body().collect().await.unwrap().to_bytes();
    // orgd's own endpoints answer plain text: their body reads as null.
    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        raw,
    }
}

async fn get(server: &Server, path: &str, caller: &str) -> Answer {
    send(server, "GET", path, Some(caller), "").await
}

async fn post(server: &Server, path: &str, caller: &str, body: Value) -> Answer {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    send(server, "POST", path, Some(caller), &body).await
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_huaweis_shape() {
    let server = start().await;
    let a = get(&server, "/v1/organizations/nothing-here", MGMT).await;
    a.refused(404, "APIGW.0101");
    let a = get(&server, "/v2/organizations/accounts", MGMT).await;
    a.refused(405, "APIGW.0101");
    assert_eq!(a.headers["allow"], "POST");
    // A literal path wins over a parameter: GET on the invite path is not show_account.
    let a = get(&server, "/v1/organizations/accounts/invite", MGMT).await;
    a.refused(405, "APIGW.0101");
    let a = send(&server, "PUT", "/v1/organizations", Some(MGMT), "").await;
    a.refused(405, "APIGW.0101");
    assert_eq!(a.headers["allow"], "POST, GET, DELETE");
}

#[tokio::test]
async fn the_aws_side_and_orgds_endpoints_are_unchanged() {
    let server = start().await;
    let a = get(&server, "/_orgd/health", MGMT).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.raw, "ok");
    // Outside the Huawei name space, an unknown path keeps its AWS answer.
    let a = get(&server, "/nowhere", MGMT).await;
    assert_eq!(a.status, 404);
    assert!(a.body.get("__type").is_some(), "{:?}", a.body);
    let a = get(&server, "/", MGMT).await;
    assert_eq!(a.status, 405);
    assert!(a.body.get("__type").is_some());
}

#[tokio::test]
async fn a_request_without_a_domain_id_is_a_401() {
    let server = start().await;
    let a = send(&server, "GET", "/v1/organizations", None, "").await;
    a.refused(401, "APIGW.0301");
    let a = send(
        &server,
        "GET",
        "/v1/organizations",
        Some("not a domain"),
        "",
    )
    .await;
    a.refused(401, "APIGW.0301");
}

#[tokio::test]
async fn a_malformed_body_is_a_400_and_changes_nothing() {
    let server = start().await;
    for body in ["{", "[1]", "\"text\"", "{\"name\": \"x\",}"] {
        let a = send(
            &server,
            "POST",
            "/v1/organizations/organizational-units",
            Some(MGMT),
            body,
        )
        .await;
        a.refused(400, "Organizations.1016");
    }
}

#[tokio::test]
async fn operations_of_the_policies_work_are_routed() {
    let server = start().await;
    // Routed (not a 404/405), through the resource-type segment with its colon encoded.
    let a = get(
        &server,
        "/v1/organizations/organizations%3Aaccounts/tags",
        MGMT,
    )
    .await;
    assert_ne!(a.status, 404, "{:?}", a.body);
    assert_ne!(a.status, 405, "{:?}", a.body);
    let a = post(
        &server,
        "/v1/organizations/policies/enable",
        MGMT,
        json!({}),
    )
    .await;
    assert_ne!(a.status, 404);
    assert_ne!(a.status, 405);
}

#[tokio::test]
async fn an_outsider_has_no_organization() {
    let server = start().await;
    get(&server, "/v1/organizations", OUTSIDER)
        .await
        .refused(401, "Organizations.1015");
}

#[tokio::test]
async fn an_organization_created_through_huawei_has_huaweis_formats() {
    let server = start().await;
    let a = post(&server, "/v1/organizations", MGMT, Value::Null).await;
    let org = a.ok(201)["organization"].clone();
    let id = org["id"].as_str().unwrap();
    assert!(id.starts_with("o-") && id.len() == 34, "{id}");
    assert_eq!(org["management_account_id"], MGMT);
    assert_eq!(
        org["urn"],
        json!(format!("organizations::{MGMT}:organization:{id}"))
    );
    assert!(org["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        get(&server, "/v1/organizations", MGMT).await.ok(200)["organization"],
        org
    );
    post(&server, "/v1/organizations", MGMT, Value::Null)
        .await
        .refused(409, "Organizations.1101");

    let roots = get(&server, "/v1/organizations/roots", MGMT).await;
    let roots = roots.ok(200);
    assert_eq!(
        roots["page_info"],
        json!({"next_marker": null, "current_count": 1})
    );
    let root = &roots["roots"][0];
    assert!(root["id"].as_str().unwrap().starts_with("r-"));
    assert_eq!(root["name"], "Root");

    let a = send(&server, "DELETE", "/v1/organizations", Some(MGMT), "").await;
    a.ok(204);
    assert!(a.raw.is_empty());
    get(&server, "/v1/organizations", MGMT)
        .await
        .refused(401, "Organizations.1015");
}
