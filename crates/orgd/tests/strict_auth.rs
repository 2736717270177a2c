//! `--auth signed` (alias `sigv4`), the AWS side: every request's signature is verified against the credentials file, with the
//! SDK's own signing (header form) and a presigned query, good and bad secrets, and clock skew.

mod common;

use std::time::{Duration, SystemTime};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use orgd::Server;

const KEYS: &str = r#"[
  {"access_key_id": "AKIAMGMTEXAMPLE", "secret_access_key": "mgmt-secret", "account_id": "111111111111",
   "principal_arn": "arn:aws:iam::111111111111:user/admin"}
]"#;

async fn strict_server() -> (Server, tempfile::NamedTempFile) {
    common::start_signed(KEYS).await
}

fn client(server: &Server, key: &str, secret: &str) -> Client {
    Client::from_conf(common::sdk_config(&server.endpoint(), key, secret, "us-east-1").build())
}

fn code<E: aws_sdk_organizations::error::ProvideErrorMetadata>(e: E) -> String {
    e.code().unwrap_or_default().to_string()
}

/// Sends a DescribeOrganization signed by hand at `time`, in the header or as a presigned query.
async fn raw_describe(
    server: &Server,
    secret: &str,
    time: SystemTime,
    presigned: bool,
) -> (u16, String) {
    let how = Signing {
        expires: presigned.then_some(Duration::from_secs(300)),
        ..Signing::default()
    };
    raw_signed(server, secret, time, &how).await
}

/// How `raw_signed` signs.
struct Signing {
    region: &'static str,
    service: &'static str,
    /// Presigned with this expiry; `None` signs the header.
    expires: Option<Duration>,
}

impl Default for Signing {
    fn default() -> Self {
        Signing {
            region: "us-east-1",
            service: "organizations",
            expires: None,
        }
    }
}

/// Sends a DescribeOrganization signed by hand at `time` as `how` says.
async fn raw_signed(
    server: &Server,
    secret: &str,
    time: SystemTime,
    how: &Signing,
) -> (u16, String) {
    let presigned = how.expires.is_some();
    let body = b"{}";
    let host = server.addr.to_string();
    let headers = [
        ("host", host.as_str()),
        ("content-type", "application/x-amz-json-1.1"),
        (
            "x-amz-target",
            "AWSOrganizationsV20161128.DescribeOrganization",
        ),
    ];
    let mut settings = SigningSettings::default();
    if presigned {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = how.expires;
    }
    let scope = (how.region, how.service, time);
    let (signed, query) = sign_post(&headers, body, secret, scope, settings);
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    let path = if query.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", query.join("&"))
    };
    send(server, &path, &signed, body).await
}

type Pairs = Vec<(String, String)>;

/// Signs a POST of `body` to `/` of the `host` among `headers` with the management key and
/// `secret`, for (region, service, time), as `settings` say: the headers with the signature's
/// added, and the query parameters it adds (presigned).
fn sign_post(
    headers: &[(&str, &str)],
    body: &[u8],
    secret: &str,
    (region, service, time): (&str, &str, SystemTime),
    settings: SigningSettings,
) -> (Pairs, Pairs) {
    let identity: Identity = Credentials::new("AKIAMGMTEXAMPLE", secret, None, None, "t").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = headers.iter().find(|(k, _)| *k == "host").unwrap().1;
    let url = format!("http://{host}/");
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let signed = headers
        .iter()
        .copied()
        .chain(instructions.headers())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let query = instructions
        .params()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (signed, query)
}

/// Sends a POST of `body` to `path` with `headers`; returns the status and the whole answer.
async fn send(
    server: &Server,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, String) {
    common::raw_http(&server.addr.to_string(), "POST", path, headers, body).await
}

#[tokio::test]
async fn signed_requests_with_the_right_secret_act_as_the_configured_account() {
    let (server, _keys) = strict_server().await;
    let org = client(&server, "AKIAMGMTEXAMPLE", "mgmt-secret")
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(org.master_account_id.as_deref(), Some("111111111111"));
    let (status, body) = raw_describe(&server, "mgmt-secret", SystemTime::now(), true).await;
    assert_eq!(status, 200, "a presigned request verifies: {body}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn wrong_secrets_unknown_keys_and_stale_signatures_are_refused() {
    let (server, _keys) = strict_server().await;
    let err = client(&server, "AKIAMGMTEXAMPLE", "wrong")
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(err.into_service_error()), "InvalidSignatureException");
    let err = client(&server, "AKIAUNKNOWN", "x")
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(err.into_service_error()),
        "UnrecognizedClientException"
    );
    // A 12-digit key is no longer an account of its own choosing in strict mode.
    let err = client(&server, "222222222222", "x")
        .create_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(err.into_service_error()),
        "UnrecognizedClientException"
    );

    let stale = SystemTime::now() - Duration::from_secs(20 * 60);
    let (status, body) = raw_describe(&server, "mgmt-secret", stale, false).await;
    assert_eq!(status, 400);
    assert!(
        body.contains("InvalidSignatureException") && body.contains("expired"),
        "{body}"
    );
    let (status, body) = raw_describe(&server, "mgmt-secret", SystemTime::now(), false).await;
    assert_eq!(
        status, 400,
        "the signature is fine; the caller just has no organization yet"
    );
    assert!(body.contains("AWSOrganizationsNotInUseException"), "{body}");
    server.stop().await.unwrap();
}

fn amz_date(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
    let t = time::OffsetDateTime::from_unix_timestamp(secs as i64).unwrap();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A presigned DescribeOrganization with the known key and any `X-Amz-Expires`, signature bogus:
/// what is checked before the signature.
async fn presigned_with_expires(
    server: &Server,
    signed_at: SystemTime,
    expires: &str,
) -> (u16, String) {
    let date = amz_date(signed_at);
    let query = format!(
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAMGMTEXAMPLE%2F{}%2Fus-east-1%2Forganizations%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={}",
        &date[..8],
        "0".repeat(64)
    );
    let headers = vec![
        ("host".to_string(), server.addr.to_string()),
        (
            "content-type".to_string(),
            "application/x-amz-json-1.1".to_string(),
        ),
        (
            "x-amz-target".to_string(),
            "AWSOrganizationsV20161128.DescribeOrganization".to_string(),
        ),
    ];
    send(server, &format!("/?{query}"), &headers, b"{}").await
}

#[tokio::test]
async fn presigned_expiry_is_at_most_a_week_and_never_overflows() {
    let (server, _keys) = strict_server().await;
    for expires in ["18446744073709551615", "604801", "99999999999999999999999"] {
        let (status, body) = presigned_with_expires(&server, SystemTime::now(), expires).await;
        assert_eq!(status, 400, "X-Amz-Expires={expires}: {body}");
        assert!(
            body.contains("\"__type\":\"IncompleteSignatureException\""),
            "{body}"
        );
    }
    let (status, body) = presigned_with_expires(&server, SystemTime::now(), "604801").await;
    assert!(body.contains("less than a week"), "{status} {body}");
    // The server is still there, and a week exactly is a matter for the signature.
    let (status, body) = presigned_with_expires(&server, SystemTime::now(), "604800").await;
    assert_eq!(status, 400);
    assert!(body.contains("InvalidSignatureException"), "{body}");
    server.stop().await.unwrap();
}

#[tokio::test]
async fn presigned_requests_expire_and_cannot_be_dated_in_the_future() {
    let (server, _keys) = strict_server().await;
    let week = Duration::from_secs(604_800);
    // Valid for a week, signed eight days ago: expired.
    let how = Signing {
        expires: Some(week),
        ..Signing::default()
    };
    let old = SystemTime::now() - Duration::from_secs(8 * 86_400);
    let (status, body) = raw_signed(&server, "mgmt-secret", old, &how).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("InvalidSignatureException") && body.contains("Signature expired"),
        "{body}"
    );
    // Signed six days ago, valid for a week: still good.
    let recent = SystemTime::now() - Duration::from_secs(6 * 86_400);
    let (status, body) = raw_signed(&server, "mgmt-secret", recent, &how).await;
    assert!(
        body.contains("AWSOrganizationsNotInUseException"),
        "{status} {body}"
    );
    // Dated an hour ahead: not yet current, presigned or not.
    let ahead = SystemTime::now() + Duration::from_secs(3600);
    for how in [how, Signing::default()] {
        let (status, body) = raw_signed(&server, "mgmt-secret", ahead, &how).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("Signature not yet current"), "{body}");
    }
    server.stop().await.unwrap();
}

#[tokio::test]
async fn the_credential_scope_must_name_organizations_and_a_real_region() {
    let (server, _keys) = strict_server().await;
    let now = SystemTime::now();
    for service in ["s3", "sts"] {
        let how = Signing {
            service,
            ..Signing::default()
        };
        let (status, body) = raw_signed(&server, "mgmt-secret", now, &how).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains("InvalidSignatureException")
                && body
                    .contains("Credential should be scoped to correct service: 'organizations'."),
            "{service}: {body}"
        );
    }
    for region in ["mars-1", "us-east", "aws-global"] {
        let how = Signing {
            region,
            ..Signing::default()
        };
        let (status, body) = raw_signed(&server, "mgmt-secret", now, &how).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body.contains(&format!(
                "Credential should be scoped to a valid region, not '{region}'."
            )),
            "{body}"
        );
    }
    // Any region of a partition is accepted: SDKs pointed at a custom endpoint sign with the
    // client's own region, not the global endpoint's us-east-1.
    for region in ["eu-west-1", "cn-northwest-1", "us-gov-west-1"] {
        let how = Signing {
            region,
            ..Signing::default()
        };
        let (_, body) = raw_signed(&server, "mgmt-secret", now, &how).await;
        assert!(
            body.contains("AWSOrganizationsNotInUseException"),
            "{region}: {body}"
        );
    }
    server.stop().await.unwrap();
}

/// Sends an STS Query request (form `body`) signed now by the management key for `sts`.
async fn signed_sts(server: &Server, body: &str) -> (u16, String) {
    let host = server.addr.to_string();
    let headers = [
        ("host", host.as_str()),
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
    ];
    let scope = ("us-east-1", "sts", SystemTime::now());
    let (signed, _) = sign_post(
        &headers,
        body.as_bytes(),
        "mgmt-secret",
        scope,
        SigningSettings::default(),
    );
    send(server, "/", &signed, body.as_bytes()).await
}

fn xml_text<'a>(xml: &'a str, element: &str) -> &'a str {
    let open = format!("<{element}>");
    let start = xml.find(&open).expect(element) + open.len();
    let end = xml[start..].find("</").unwrap() + start;
    &xml[start..end]
}

#[tokio::test]
async fn assumed_role_credentials_are_verified_and_act_as_the_member_in_strict_mode() {
    let (server, _keys) = strict_server().await;
    let mgmt = client(&server, "AKIAMGMTEXAMPLE", "mgmt-secret");
    let created = mgmt.create_organization().send().await.unwrap();
    let org = common::Org {
        client: mgmt,
        id: created.organization.unwrap().id.unwrap(),
        root_id: String::new(),
    };
    let member = org.new_account("assume").await;

    let (status, out) = signed_sts(&server, "Action=GetCallerIdentity&Version=2011-06-15").await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        xml_text(&out, "Arn"),
        "arn:aws:iam::111111111111:user/admin"
    );

    let body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=strict&RoleArn=arn%3Aaws%3Aiam%3A%3A{member}%3Arole%2FOrganizationAccountAccessRole"
    );
    let (status, out) = signed_sts(&server, &body).await;
    assert_eq!(status, 200, "{out}");
    let (key, secret, token) = (
        xml_text(&out, "AccessKeyId"),
        xml_text(&out, "SecretAccessKey"),
        xml_text(&out, "SessionToken"),
    );
    let with = |secret: &str, token: &str| {
        let conf = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(server.endpoint())
            .credentials_provider(Credentials::new(
                key,
                secret,
                Some(token.to_string()),
                None,
                "t",
            ))
            .build();
        Client::from_conf(conf)
    };
    // The session acts as the member: it may describe the organization, not list accounts.
    let org = with(secret, token).describe_organization().send().await;
    assert_eq!(
        org.unwrap().organization.unwrap().master_account_id(),
        Some("111111111111")
    );
    let e = with(secret, token)
        .list_accounts()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(e.into_service_error()), "AccessDeniedException");
    // A wrong secret does not sign for the session; a forged token names no session.
    let e = with("not-the-secret", token)
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(e.into_service_error()), "InvalidSignatureException");
    let e = with(secret, &format!("{token}x"))
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(e.into_service_error()), "UnrecognizedClientException");
}
