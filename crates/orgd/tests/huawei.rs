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

async fn patch(server: &Server, path: &str, caller: &str, body: Value) -> Answer {
    send(server, "PATCH", path, Some(caller), &body.to_string()).await
}

async fn delete(server: &Server, path: &str, caller: &str) -> Answer {
    send(server, "DELETE", path, Some(caller), "").await
}

/// Creates the organization of `MGMT` and answers its root id.
async fn organization(server: &Server) -> String {
    post(server, "/v1/organizations", MGMT, Value::Null)
        .await
        .ok(201);
    get(server, "/v1/organizations/roots", MGMT).await.ok(200)["roots"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Creates an account through v1 (`email` given) or v2 and answers its id once created.
async fn new_account(server: &Server, name: &str, v2: bool) -> String {
    let (path, body) = if v2 {
        ("/v2/organizations/accounts", json!({ "name": name }))
    } else {
        (
            "/v1/organizations/accounts",
            json!({ "name": name, "email": format!("{name}@example.com") }),
        )
    };
    let status = post(server, path, MGMT, body).await.ok(202)["create_account_status"].clone();
    assert_eq!(status["state"], "in_progress");
    assert_eq!(status["account_name"], name);
    let id = status["id"].as_str().unwrap();
    let shown = get(
        server,
        &format!("/v1/organizations/create-account-status/{id}"),
        MGMT,
    )
    .await;
    let shown = shown.ok(200)["create_account_status"].clone();
    assert_eq!(shown["state"], "succeeded", "{shown}");
    shown["account_id"].as_str().unwrap().to_string()
}

fn is_domain_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[tokio::test]
async fn organizational_units_are_created_listed_renamed_and_deleted() {
    let server = start().await;
    let root = organization(&server).await;
    let a = post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "Dev", "parent_id": root, "tags": [{"key": "team", "value": "a"}]}),
    )
    .await;
    let ou = a.ok(201)["organizational_unit"].clone();
    let ou_id = ou["id"].as_str().unwrap().to_string();
    assert!(ou_id.starts_with("ou-") && ou_id.len() == 35 && !ou_id[3..].contains('-'));
    assert_eq!(ou["name"], "Dev");
    assert!(ou["urn"].as_str().unwrap().contains(":ou:o-"));
    // A child of Dev, then a sibling of the same name is refused.
    let child = post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "Team", "parent_id": ou_id}),
    )
    .await;
    let child_id = child.ok(201)["organizational_unit"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "Dev", "parent_id": root}),
    )
    .await
    .refused(409, "Organizations.1205");
    post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "X", "parent_id": "ou-nonexistent0"}),
    )
    .await
    .refused(404, "Organizations.1203");
    post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "", "parent_id": root}),
    )
    .await
    .refused(400, "Organizations.1016");
    post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": 5, "parent_id": root}),
    )
    .await
    .refused(400, "Organizations.1016");

    // Without parent_id: every OU; with it: direct children only.
    let all = get(&server, "/v1/organizations/organizational-units", MGMT).await;
    assert_eq!(all.ok(200)["page_info"]["current_count"], 2);
    let under_root = get(
        &server,
        &format!("/v1/organizations/organizational-units?parent_id={root}"),
        MGMT,
    )
    .await;
    let under_root = under_root.ok(200)["organizational_units"].clone();
    assert_eq!(under_root.as_array().unwrap().len(), 1);
    assert_eq!(under_root[0]["id"], json!(ou_id));

    let shown = get(
        &server,
        &format!("/v1/organizations/organizational-units/{ou_id}"),
        MGMT,
    )
    .await;
    assert_eq!(shown.ok(200)["organizational_unit"], ou);
    let renamed = patch(
        &server,
        &format!("/v1/organizations/organizational-units/{ou_id}"),
        MGMT,
        json!({"name": "Prod"}),
    )
    .await;
    assert_eq!(renamed.ok(200)["organizational_unit"]["name"], "Prod");
    delete(
        &server,
        &format!("/v1/organizations/organizational-units/{ou_id}"),
        MGMT,
    )
    .await
    .refused(400, "Organizations.1204");
    delete(
        &server,
        &format!("/v1/organizations/organizational-units/{child_id}"),
        MGMT,
    )
    .await
    .ok(204);
    get(
        &server,
        &format!("/v1/organizations/organizational-units/{child_id}"),
        MGMT,
    )
    .await
    .refused(404, "Organizations.1201");
}

#[tokio::test]
async fn accounts_are_created_shown_described_moved_and_listed() {
    let server = start().await;
    let root = organization(&server).await;
    let dev = new_account(&server, "dev", false).await;
    let res = new_account(&server, "res", true).await;
    assert!(is_domain_id(&dev) && is_domain_id(&res), "{dev} {res}");

    let shown = get(&server, &format!("/v1/organizations/accounts/{dev}"), MGMT).await;
    let account = shown.ok(200)["account"].clone();
    assert_eq!(account["join_method"], "created");
    assert_eq!(account["status"], "active");
    assert_eq!(account["name"], "dev");
    assert!(
        account.get("email").is_none(),
        "contact details only when asked"
    );
    let with_contact = get(
        &server,
        &format!("/v1/organizations/accounts/{dev}?with_register_contact_info=true"),
        MGMT,
    )
    .await;
    assert_eq!(with_contact.ok(200)["account"]["email"], "dev@example.com");
    get(
        &server,
        "/v1/organizations/accounts/00000000000000000000000000000000",
        MGMT,
    )
    .await
    .refused(404, "Organizations.1301");

    // Description: set, kept when absent, cleared when empty.
    let path = format!("/v1/organizations/accounts/{dev}");
    let a = patch(
        &server,
        &path,
        MGMT,
        json!({"description": "the dev account"}),
    )
    .await;
    assert_eq!(a.ok(200)["account"]["description"], "the dev account");
    let a = patch(&server, &path, MGMT, json!({})).await;
    assert_eq!(a.ok(200)["account"]["description"], "the dev account");
    let a = patch(&server, &path, MGMT, json!({"description": ""})).await;
    assert!(a.ok(200)["account"].get("description").is_none());

    // Paging over the three accounts, one at a time, resuming after each marker.
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let q = match &marker {
            None => "/v1/organizations/accounts?limit=1".to_string(),
            Some(m) => format!("/v1/organizations/accounts?limit=1&marker={m}"),
        };
        let page = get(&server, &q, MGMT).await;
        let page = page.ok(200);
        assert_eq!(page["page_info"]["current_count"], 1);
        let id = page["accounts"][0]["id"].as_str().unwrap().to_string();
        seen.push(id.clone());
        match page["page_info"]["next_marker"].as_str() {
            Some(m) => {
                assert_eq!(m, id, "the marker is the last item's id");
                marker = Some(m.to_string());
            }
            None => break,
        }
    }
    let mut expected = vec![MGMT.to_string(), dev.clone(), res.clone()];
    expected.sort();
    assert_eq!(seen, expected);
    get(&server, "/v1/organizations/accounts?limit=0", MGMT)
        .await
        .refused(400, "Organizations.1016");
    get(
        &server,
        "/v1/organizations/accounts?with_register_contact_info=true&limit=201",
        MGMT,
    )
    .await
    .refused(400, "Organizations.1016");

    // Move dev into an OU; list by parent; list_entities both ways.
    let ou = post(
        &server,
        "/v1/organizations/organizational-units",
        MGMT,
        json!({"name": "Dev", "parent_id": root}),
    )
    .await;
    let ou = ou.ok(201)["organizational_unit"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = post(
        &server,
        &format!("/v1/organizations/accounts/{dev}/move"),
        MGMT,
        json!({"source_parent_id": root, "destination_parent_id": ou}),
    )
    .await;
    a.ok(200);
    assert!(a.raw.is_empty());
    post(
        &server,
        &format!("/v1/organizations/accounts/{dev}/move"),
        MGMT,
        json!({"source_parent_id": ou, "destination_parent_id": ou}),
    )
    .await
    .refused(409, "Organizations.1304");
    post(
        &server,
        &format!("/v1/organizations/accounts/{dev}/move"),
        MGMT,
        json!({"source_parent_id": ou}),
    )
    .await
    .refused(400, "Organizations.1016");
    let in_ou = get(
        &server,
        &format!("/v1/organizations/accounts?parent_id={ou}"),
        MGMT,
    )
    .await;
    let in_ou = in_ou.ok(200)["accounts"].clone();
    assert_eq!(in_ou.as_array().unwrap().len(), 1);
    assert_eq!(in_ou[0]["id"], json!(dev));

    let parent = get(
        &server,
        &format!("/v1/organizations/entities?child_id={dev}"),
        MGMT,
    )
    .await;
    assert_eq!(
        parent.ok(200)["entities"],
        json!([{"id": ou, "name": "Dev", "type": "organizational_unit"}])
    );
    let children = get(
        &server,
        &format!("/v1/organizations/entities?parent_id={root}"),
        MGMT,
    )
    .await;
    let children = children.ok(200)["entities"].clone();
    let ids: Vec<&str> = children
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{children}");
    assert!(ids.contains(&ou.as_str()) && ids.contains(&MGMT) && ids.contains(&res.as_str()));
    let everything = get(&server, "/v1/organizations/entities", MGMT).await;
    let everything = everything.ok(200);
    assert_eq!(everything["page_info"]["current_count"], 5, "{everything}");
    let types: Vec<&str> = everything["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"root"));

    // Quotas count what exists.
    let quotas = get(&server, "/v1/organizations/quotas", MGMT).await;
    let resources = quotas.ok(200)["quotas"]["resources"].clone();
    let used = |t: &str| {
        resources
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["type"] == t)
            .unwrap()["used"]
            .clone()
    };
    assert_eq!(used("account"), 3);
    assert_eq!(used("organizational_unit"), 1);
    assert_eq!(used("policy"), 0);

    // Remove res; close dev (twice is refused); the closure is listed.
    post(
        &server,
        &format!("/v1/organizations/accounts/{res}/remove"),
        MGMT,
        Value::Null,
    )
    .await
    .ok(200);
    get(&server, &format!("/v1/organizations/accounts/{res}"), MGMT)
        .await
        .refused(404, "Organizations.1301");
    let close = format!("/v1/organizations/accounts/{dev}/close");
    post(&server, &close, MGMT, Value::Null).await.ok(200);
    post(&server, &close, MGMT, Value::Null)
        .await
        .refused(400, "Organizations.1325");
    let closing = get(&server, "/v1/organizations/close-account-status", MGMT).await;
    let closing = closing.ok(200)["close_account_statuses"].clone();
    assert_eq!(closing[0]["account_id"], json!(dev));
    assert!(closing.get("page_info").is_none());
    let suspended = get(
        &server,
        "/v1/organizations/close-account-status?states=suspended&states=pending_closure",
        MGMT,
    )
    .await;
    assert_eq!(
        suspended.ok(200)["close_account_statuses"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    get(
        &server,
        "/v1/organizations/close-account-status?states=gone",
        MGMT,
    )
    .await
    .refused(400, "Organizations.1016");

    let statuses = get(
        &server,
        "/v1/organizations/create-account-status?states=succeeded&states=failed",
        MGMT,
    )
    .await;
    assert_eq!(statuses.ok(200)["page_info"]["current_count"], 2);
    get(
        &server,
        "/v1/organizations/create-account-status/car-nothing",
        MGMT,
    )
    .await
    .refused(404, "Organizations.1302");
}

#[tokio::test]
async fn members_are_not_the_management_account() {
    let server = start().await;
    organization(&server).await;
    // The outsider joins by invitation, then tries management operations.
    let invite = post(
        &server,
        "/v1/organizations/accounts/invite",
        MGMT,
        json!({"target": {"type": "account", "entity": OUTSIDER}, "notes": "join us"}),
    )
    .await;
    let h = invite.ok(200)["handshake"].clone();
    assert_eq!(h["status"], "pending");
    assert_eq!(h["target"], json!({"type": "account", "entity": OUTSIDER}));
    let hid = h["id"].as_str().unwrap().to_string();
    let received = get(&server, "/v1/received-handshakes", OUTSIDER).await;
    assert_eq!(received.ok(200)["handshakes"][0]["id"], json!(hid));
    let accepted = post(
        &server,
        &format!("/v1/received-handshakes/{hid}/accept"),
        OUTSIDER,
        Value::Null,
    )
    .await;
    assert_eq!(accepted.ok(200)["handshake"]["status"], "accepted");

    post(
        &server,
        "/v1/organizations/organizational-units",
        OUTSIDER,
        json!({"name": "Mine", "parent_id": "r-abcd"}),
    )
    .await
    .refused(401, "Organizations.1001");
    get(&server, "/v1/organizations/accounts", OUTSIDER)
        .await
        .refused(401, "Organizations.1002");
    // A member sees its organization, and may leave it.
    get(&server, "/v1/organizations", OUTSIDER).await.ok(200);
    post(&server, "/v1/organizations/leave", OUTSIDER, Value::Null)
        .await
        .ok(200);
    get(&server, "/v1/organizations", OUTSIDER)
        .await
        .refused(401, "Organizations.1015");
    post(&server, "/v1/organizations/leave", MGMT, Value::Null)
        .await
        .refused(400, "Organizations.1103");
}

#[tokio::test]
async fn invitations_are_cancelled_declined_and_listed_by_both_sides() {
    let server = start().await;
    organization(&server).await;
    let invite = |target: Value| {
        let server = &server;
        async move {
            post(
                server,
                "/v1/organizations/accounts/invite",
                MGMT,
                json!({"target": target, "notes": "hello"}),
            )
            .await
        }
    };
    let h = invite(json!({"type": "account", "entity": OUTSIDER})).await;
    let hid = h.ok(200)["handshake"]["id"].as_str().unwrap().to_string();
    assert!(hid.starts_with("h-") && hid.len() == 34);
    invite(json!({"type": "account", "entity": OUTSIDER}))
        .await
        .refused(409, "Organizations.1403");
    invite(json!({"type": "email", "entity": OUTSIDER}))
        .await
        .refused(400, "Organizations.1016");
    post(
        &server,
        "/v1/organizations/accounts/invite",
        MGMT,
        json!({"target": {"type": "account", "entity": OUTSIDER}}),
    )
    .await
    .refused(400, "Organizations.1016");

    let listed = get(&server, "/v1/organizations/handshakes", MGMT).await;
    assert_eq!(listed.ok(200)["handshakes"][0]["id"], json!(hid));
    let shown = get(
        &server,
        &format!("/v1/organizations/handshakes/{hid}"),
        MGMT,
    )
    .await;
    assert_eq!(shown.ok(200)["handshake"]["notes"], "hello");
    // Only the invited account may decline; only the sender may cancel.
    post(
        &server,
        &format!("/v1/received-handshakes/{hid}/decline"),
        MGMT,
        Value::Null,
    )
    .await
    .refused(401, "Organizations.1404");
    let cancelled = post(
        &server,
        &format!("/v1/organizations/handshakes/{hid}/cancel"),
        MGMT,
        Value::Null,
    )
    .await;
    assert_eq!(cancelled.ok(200)["handshake"]["status"], "cancelled");
    post(
        &server,
        &format!("/v1/received-handshakes/{hid}/accept"),
        OUTSIDER,
        Value::Null,
    )
    .await
    .refused(400, "Organizations.1401");
    get(
        &server,
        "/v1/organizations/handshakes/h-doesnotexist0",
        MGMT,
    )
    .await
    .refused(404, "Organizations.1402");

    // By name: the one account orgd knows by that name (a caller is remembered as
    // `account-<id>`).
    let other = "1b2c3d4e5f60718293a4b5c6d7e8f901";
    get(&server, "/v1/received-handshakes", other).await.ok(200);
    let by_name = invite(json!({"type": "name", "entity": format!("account-{other}")})).await;
    let h2 = by_name.ok(200)["handshake"].clone();
    assert_eq!(h2["target"], json!({"type": "account", "entity": other}));
    let declined = post(
        &server,
        &format!(
            "/v1/received-handshakes/{}/decline",
            h2["id"].as_str().unwrap()
        ),
        other,
        Value::Null,
    )
    .await;
    assert_eq!(declined.ok(200)["handshake"]["status"], "declined");
    invite(json!({"type": "name", "entity": "nobody-by-this-name"}))
        .await
        .refused(404, "Organizations.1301");
}

#[tokio::test]
async fn trusted_services_and_delegated_administrators() {
    let server = start().await;
    organization(&server).await;
    let services = get(&server, "/v1/organizations/services", OUTSIDER).await;
    let services = services.ok(200)["services"].clone();
    let principal = services[0].as_str().unwrap().to_string();
    assert!(principal.starts_with("service."), "{services}");

    let enable = "/v1/organizations/trusted-services/enable";
    post(
        &server,
        enable,
        MGMT,
        json!({"service_principal": "config.amazonaws.com"}),
    )
    .await
    .refused(400, "Organizations.1901");
    post(
        &server,
        enable,
        MGMT,
        json!({"service_principal": principal}),
    )
    .await
    .ok(200);
    let trusted = get(&server, "/v1/organizations/trusted-services", MGMT).await;
    let trusted = trusted.ok(200)["trusted_services"][0].clone();
    assert_eq!(trusted["service_principal"], json!(principal));
    assert!(trusted["enabled_at"].as_str().unwrap().ends_with('Z'));

    let member = new_account(&server, "sec", true).await;
    let register = "/v1/organizations/delegated-administrators/register";
    let body = json!({"service_principal": principal, "account_id": member});
    post(&server, register, MGMT, body.clone()).await.ok(201);
    post(&server, register, MGMT, body.clone())
        .await
        .refused(409, "Organizations.1501");
    post(
        &server,
        register,
        MGMT,
        json!({"service_principal": principal, "account_id": MGMT}),
    )
    .await
    .refused(400, "Organizations.1502");
    let admins = get(&server, "/v1/organizations/delegated-administrators", MGMT).await;
    let admin = admins.ok(200)["delegated_administrators"][0].clone();
    assert_eq!(admin["account_id"], json!(member));
    assert_eq!(admin["account_name"], "sec");
    assert!(admin["account_urn"].as_str().unwrap().ends_with(&member));
    let delegated = get(
        &server,
        &format!("/v1/organizations/accounts/{member}/delegated-services"),
        MGMT,
    )
    .await;
    assert_eq!(
        delegated.ok(200)["delegated_services"][0]["service_principal"],
        json!(principal)
    );
    // The delegated administrator may now list accounts.
    get(&server, "/v1/organizations/accounts", &member)
        .await
        .ok(200);
    let deregister = "/v1/organizations/delegated-administrators/deregister";
    post(&server, deregister, MGMT, body.clone()).await.ok(200);
    post(&server, deregister, MGMT, body)
        .await
        .refused(400, "Organizations.1500");

    let disable = "/v1/organizations/trusted-services/disable";
    post(
        &server,
        disable,
        MGMT,
        json!({"service_principal": principal}),
    )
    .await
    .ok(200);
    let trusted = get(&server, "/v1/organizations/trusted-services", MGMT).await;
    assert_eq!(trusted.ok(200)["trusted_services"], json!([]));
}

#[tokio::test]
async fn accounts_without_contact_details_never_clash() {
    let server = start().await;
    organization(&server).await;
    let a = new_account(&server, "one", true).await;
    let b = new_account(&server, "two", true).await;
    assert_ne!(a, b);
    let listed = get(&server, "/v1/organizations/accounts", MGMT).await;
    assert_eq!(listed.ok(200)["page_info"]["current_count"], 3);
}
