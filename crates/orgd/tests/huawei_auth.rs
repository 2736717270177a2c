//! `--auth signed` on the Huawei API: raw HTTP requests to a strict server, signed with
//! SDK-HMAC-SHA256 by a small signer of this file (written from AUTH.md, not orgd's verifier,
//! and first checked against AUTH.md's worked examples, which the SDK's own signer produced),
//! and the worked examples' fixed signatures replayed as they were sent.

mod common;

use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use orgd::Server;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

const AK: &str = "HWEXAMPLEAK000000001";
const SK: &str = "hwexampleSecretKey0000000000000000000001";
const DOMAIN: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const MEMBER_AK: &str = "HWEXAMPLEAK000000002";
const MEMBER_SK: &str = "hwexampleSecretKey0000000000000000000002";
const MEMBER: &str = "7c2d5e8f90a1b2c3d4e5f60718293a4b";

const KEYS: &str = r#"[
  {"access_key_id": "HWEXAMPLEAK000000001", "secret_access_key": "hwexampleSecretKey0000000000000000000001",
   "account_id": "0a6d25d23900d45c0faac010e0fb4de0"},
  {"access_key_id": "HWEXAMPLEAK000000002", "secret_access_key": "hwexampleSecretKey0000000000000000000002",
   "account_id": "7c2d5e8f90a1b2c3d4e5f60718293a4b"},
  {"access_key_id": "AKIAMGMTEXAMPLE", "secret_access_key": "mgmt-secret", "account_id": "111111111111"}
]"#;

const GATEWAY_MESSAGE: &str =
    "Incorrect IAM authentication information: verify aksk signature fail";

async fn strict_server() -> (Server, tempfile::NamedTempFile) {
    common::start_signed(KEYS).await
}

// ---- a signer written from AUTH.md sections 1-3 ----

const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, KEEP).to_string()
}

fn dec(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A request as the SDK would send it: method, raw path, raw query, headers (`host` and
/// `x-sdk-date` among them), body.
#[derive(Clone)]
struct Req {
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn new(
        method: &'static str,
        path: &str,
        query: &str,
        body: &[u8],
        host: &str,
        date: &str,
        domain: &str,
    ) -> Req {
        let headers = [
            ("content-type", "application/json"),
            ("host", host),
            ("user-agent", "huaweicloud-usdk-python/3.0"),
            ("x-domain-id", domain),
            ("x-sdk-date", date),
        ];
        Req {
            method,
            path: path.into(),
            query: query.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` value signing every header of the request with `sk`.
    fn authorization(&self, ak: &str, sk: &str) -> String {
        let mut names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        names.sort();
        let signed = names.join(";");
        let mut uri: String = self
            .path
            .split('/')
            .map(|s| enc(&dec(s)))
            .collect::<Vec<_>>()
            .join("/");
        if !uri.ends_with('/') {
            uri.push('/');
        }
        let mut pairs: Vec<(String, String)> = self
            .query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (dec(k), dec(v))
            })
            .collect();
        pairs.sort();
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let headers: String = names
            .iter()
            .map(|n| format!("{n}:{}\n", self.header(n).unwrap().trim()))
            .collect();
        let canonical = format!(
            "{}\n{uri}\n{}\n{headers}\n{signed}\n{}",
            self.method,
            query.join("&"),
            hex::encode(Sha256::digest(&self.body))
        );
        let to_sign = format!(
            "SDK-HMAC-SHA256\n{}\n{}",
            self.header("x-sdk-date").unwrap(),
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).unwrap();
        mac.update(to_sign.as_bytes());
        let sig = hex::encode(mac.finalize().into_bytes());
        format!("SDK-HMAC-SHA256 Access={ak}, SignedHeaders={signed}, Signature={sig}")
    }

    fn signed(mut self, ak: &str, sk: &str) -> Req {
        let auth = self.authorization(ak, sk);
        self.headers.push(("authorization".into(), auth));
        self
    }

    fn with(mut self, name: &str, value: &str) -> Req {
        self.headers.retain(|(k, _)| k != name);
        self.headers.push((name.into(), value.into()));
        self
    }
}

fn sdk_date(t: SystemTime) -> String {
    let f = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from(t).format(f).unwrap()
}

/// A request to `server` signed now (or at `at`) by `ak`/`sk` for `domain`.
fn live(
    server: &Server,
    method: &'static str,
    path: &str,
    query: &str,
    body: &[u8],
    domain: &str,
) -> Req {
    Req::new(
        method,
        path,
        query,
        body,
        &server.addr.to_string(),
        &sdk_date(SystemTime::now()),
        domain,
    )
}

/// Sends `req` as raw HTTP/1.1; returns the status and the whole answer.
async fn send(server: &Server, req: &Req) -> (u16, String) {
    let target = if req.query.is_empty() {
        req.path.clone()
    } else {
        format!("{}?{}", req.path, req.query)
    };
    let addr = server.addr.to_string();
    common::raw_http(&addr, req.method, &target, &req.headers, &req.body).await
}

fn json_body(answer: &str) -> serde_json::Value {
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// The answer is the gateway's refusal: 401, `APIGW.0301`, its text, a request id in the body
/// and in `X-Request-Id`.
fn assert_refused(what: &str, (status, answer): &(u16, String)) {
    assert_eq!(*status, 401, "{what}: {answer}");
    let body = json_body(answer);
    assert_eq!(body["error_code"], "APIGW.0301", "{what}: {answer}");
    assert_eq!(body["error_msg"], GATEWAY_MESSAGE, "{what}");
    let id = body["request_id"].as_str().unwrap_or_default();
    assert!(!id.is_empty(), "{what}: no request_id");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains(&format!("x-request-id: {id}")),
        "{what}: {answer}"
    );
}

// ---- AUTH.md section 6, fixed inputs ----

const EXAMPLE_DATE: &str = "20240101T120000Z";
const EXAMPLE_HOST: &str = "127.0.0.1:4720";

/// A request of AUTH.md's worked examples: their host, date and domain.
fn example(method: &'static str, path: &str, query: &str, body: &[u8]) -> Req {
    Req::new(
        method,
        path,
        query,
        body,
        EXAMPLE_HOST,
        EXAMPLE_DATE,
        DOMAIN,
    )
}

fn example_a() -> Req {
    example(
        "GET",
        "/v1/organizations/accounts",
        "limit=2&parent_id=r-abcd&with_register_contact_info=true",
        b"",
    )
}

fn example_b() -> Req {
    example(
        "POST",
        "/v1/organizations/organizational-units",
        "",
        br#"{"name": "dev", "parent_id": "r-abcd"}"#,
    )
}

fn example_c() -> Req {
    example(
        "POST",
        "/v1/organizations/organizations%3Aaccounts/0a6d25d23900d45c0faac010e0fb4de1/tags/create",
        "",
        br#"{"tags": [{"key": "env", "value": "prod"}]}"#,
    )
}

fn example_e() -> Req {
    example("POST", "/v1/organizations", "", b"")
}

fn signature_of(auth: &str) -> &str {
    auth.rsplit("Signature=").next().unwrap()
}

/// Examples A, B, C and E with the signatures the SDK computed for them.
fn examples() -> [(&'static str, Req, &'static str); 4] {
    [
        (
            "A",
            example_a(),
            "c30805917f08cd5334544fe1a52394bfc4ff80cb7dfb682e58810a3cd02e1afc",
        ),
        (
            "B",
            example_b(),
            "c375b0e0a00f5d28053ce57579b0246a3f3bc2f03cb692076d9268a0eb99dd73",
        ),
        (
            "C",
            example_c(),
            "a0552af7ed87a43eb31d99edc5bad15d0005742500bba33191916e5fe129915b",
        ),
        (
            "E",
            example_e(),
            "da43fdb1d2ae2a1f820e78fff22d6d3fd6a96155e6c41924cd787ca014fb8337",
        ),
    ]
}

const EXAMPLE_SIGNED: &str = "content-type;host;user-agent;x-domain-id;x-sdk-date";

#[test]
fn this_files_signer_reproduces_the_sdks_worked_examples() {
    for (name, req, sig) in examples() {
        let auth = req.authorization(AK, SK);
        assert_eq!(signature_of(&auth), sig, "example {name}");
        assert_eq!(
            auth,
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={EXAMPLE_SIGNED}, Signature={sig}")
        );
    }
    let d = example("GET", "/v1/organizations", "", b"")
        .with("x-security-token", "EXAMPLE-SECURITY-TOKEN");
    assert_eq!(
        signature_of(&d.authorization(AK, SK)),
        "1d5895b87e35d36dc682547e8cc8d5a492e1b27a0a30f090d019a7b6a1c5419d"
    );
}

/// The signature was accepted: whatever the operation answers, it is not the gateway's refusal.
fn assert_accepted(what: &str, (status, answer): &(u16, String)) {
    let code = json_body(answer)["error_code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        *status != 401 && !code.starts_with("APIGW."),
        "{what}: {answer}"
    );
}

#[tokio::test]
async fn signed_requests_act_as_the_keys_account() {
    let (server, _keys) = strict_server().await;
    let create = live(&server, "POST", "/v1/organizations", "", b"", DOMAIN).signed(AK, SK);
    let (status, answer) = send(&server, &create).await;
    assert_eq!(status, 201, "{answer}");
    let org = json_body(&answer)["organization"].clone();
    assert_eq!(org["management_account_id"], DOMAIN);

    let show = live(&server, "GET", "/v1/organizations", "", b"", DOMAIN).signed(AK, SK);
    let (status, answer) = send(&server, &show).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(json_body(&answer)["organization"]["id"], org["id"]);

    // Without X-Domain-Id the caller is still the key's account.
    let mut anonymous = live(&server, "GET", "/v1/organizations", "", b"", DOMAIN);
    anonymous.headers.retain(|(k, _)| k != "x-domain-id");
    let (status, answer) = send(&server, &anonymous.signed(AK, SK)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(json_body(&answer)["organization"]["id"], org["id"]);

    // A query, sent in canonical order or not.
    let roots = live(
        &server,
        "GET",
        "/v1/organizations/roots",
        "limit=1",
        b"",
        DOMAIN,
    )
    .signed(AK, SK);
    let (status, answer) = send(&server, &roots).await;
    assert_eq!(status, 200, "{answer}");
    let root = json_body(&answer)["roots"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let query = format!("with_register_contact_info=true&parent_id={root}&limit=2");
    let accounts = live(
        &server,
        "GET",
        "/v1/organizations/accounts",
        &query,
        b"",
        DOMAIN,
    )
    .signed(AK, SK);
    assert_accepted("unsorted query", &send(&server, &accounts).await);
    let states = "states=in_progress&limit=5&states=failed";
    let statuses = live(
        &server,
        "GET",
        "/v1/organizations/create-account-status",
        states,
        b"",
        DOMAIN,
    )
    .signed(AK, SK);
    assert_accepted("repeated query name", &send(&server, &statuses).await);

    // A body, and a resource type with a colon sent as %3A or as `:`.
    let body = format!(r#"{{"name": "dev", "parent_id": "{root}"}}"#);
    let ou = live(
        &server,
        "POST",
        "/v1/organizations/organizational-units",
        "",
        body.as_bytes(),
        DOMAIN,
    )
    .signed(AK, SK);
    assert_accepted("body", &send(&server, &ou).await);
    for path in [
        "/v1/organizations/organizations%3Aaccounts/tags",
        "/v1/organizations/organizations:accounts/tags",
    ] {
        let req = live(&server, "GET", path, "", b"", DOMAIN).signed(AK, SK);
        assert_accepted(path, &send(&server, &req).await);
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn tampered_unknown_and_foreign_signatures_get_apigw_0301() {
    let (server, _keys) = strict_server().await;
    // The member creating its own organization, signed by its own key.
    let good =
        live(&server, "POST", "/v1/organizations", "", b"", MEMBER).signed(MEMBER_AK, MEMBER_SK);

    let mut tampered_body = good.clone();
    tampered_body.body = b"{}".to_vec();
    assert_refused("tampered body", &send(&server, &tampered_body).await);
    let mut tampered_path = good.clone();
    tampered_path.path = "/v1/organizations/leave".into();
    assert_refused("tampered path", &send(&server, &tampered_path).await);
    let mut tampered_method = good.clone();
    tampered_method.method = "DELETE";
    assert_refused("tampered method", &send(&server, &tampered_method).await);
    let mut added_query = good.clone();
    added_query.query = "x=1".into();
    assert_refused("added query", &send(&server, &added_query).await);
    let roots = live(
        &server,
        "GET",
        "/v1/organizations/roots",
        "limit=2",
        b"",
        MEMBER,
    )
    .signed(MEMBER_AK, MEMBER_SK);
    let mut tampered_query = roots.clone();
    tampered_query.query = "limit=3".into();
    assert_refused("tampered query", &send(&server, &tampered_query).await);
    assert_refused(
        "tampered signed header",
        &send(&server, &good.clone().with("user-agent", "curl/8")).await,
    );
    let wrong_key = live(&server, "POST", "/v1/organizations", "", b"", MEMBER)
        .signed(MEMBER_AK, "not-the-secret");
    assert_refused("wrong secret", &send(&server, &wrong_key).await);
    let unknown =
        live(&server, "POST", "/v1/organizations", "", b"", MEMBER).signed("HWUNKNOWN", MEMBER_SK);
    assert_refused("unknown key", &send(&server, &unknown).await);
    let aws_key = live(&server, "POST", "/v1/organizations", "", b"", MEMBER)
        .signed("AKIAMGMTEXAMPLE", "mgmt-secret");
    assert_refused("an AWS account's key", &send(&server, &aws_key).await);
    let posing = live(&server, "POST", "/v1/organizations", "", b"", MEMBER).signed(AK, SK);
    assert_refused(
        "X-Domain-Id of another account",
        &send(&server, &posing).await,
    );
    let unsigned = live(&server, "POST", "/v1/organizations", "", b"", MEMBER);
    assert_refused("no Authorization", &send(&server, &unsigned).await);
    let host = server.addr.to_string();
    for (what, at) in [
        ("stale", SystemTime::now() - Duration::from_secs(16 * 60)),
        ("future", SystemTime::now() + Duration::from_secs(16 * 60)),
    ] {
        let req = Req::new(
            "POST",
            "/v1/organizations",
            "",
            b"",
            &host,
            &sdk_date(at),
            MEMBER,
        )
        .signed(MEMBER_AK, MEMBER_SK);
        assert_refused(what, &send(&server, &req).await);
    }

    // None of the refused requests did anything: the member has no organization yet, and the
    // request as signed still works.
    let show =
        live(&server, "GET", "/v1/organizations", "", b"", MEMBER).signed(MEMBER_AK, MEMBER_SK);
    let (status, answer) = send(&server, &show).await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(
        json_body(&answer)["error_code"],
        "Organizations.1015",
        "{answer}"
    );
    let (status, answer) = send(&server, &good).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(
        json_body(&answer)["organization"]["management_account_id"],
        MEMBER
    );
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_worked_examples_fixed_signatures_are_stale_now_and_orgd_endpoints_need_none() {
    let (server, _keys) = strict_server().await;
    // Signed by the SDK in 2024 for 127.0.0.1:4720: correct, but far outside the 15 minutes.
    for (name, req, sig) in examples() {
        let auth =
            format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={EXAMPLE_SIGNED}, Signature={sig}");
        assert_refused(
            name,
            &send(&server, &req.with("authorization", &auth)).await,
        );
    }
    let health = Req {
        method: "GET",
        path: "/_orgd/health".into(),
        query: String::new(),
        headers: vec![("host".into(), server.addr.to_string())],
        body: Vec::new(),
    };
    assert_eq!(send(&server, &health).await.0, 200);
    server.stop().await.unwrap();
}
