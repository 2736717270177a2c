//! `--auth sigv4`: every request's signature is verified against the credentials file, with the
//! SDK's own signing (header form) and a presigned query, good and bad secrets, and clock skew.

use std::time::{Duration, SystemTime};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::config::{BehaviorVersion, Config, Credentials, Region};
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use orgd::config::AuthMode;
use orgd::{ServeConfig, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEYS: &str = r#"[
  {"access_key_id": "AKIAMGMTEXAMPLE", "secret_access_key": "mgmt-secret", "account_id": "111111111111",
   "principal_arn": "arn:aws:iam::111111111111:user/admin"}
]"#;

async fn strict_server() -> (Server, tempfile::NamedTempFile) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), KEYS).unwrap();
    let mut cfg = ServeConfig::ephemeral();
    cfg.auth = AuthMode::Sigv4;
    cfg.credentials = Some(file.path().to_path_buf());
    (Server::start(&cfg).await.unwrap(), file)
}

fn client(server: &Server, key: &str, secret: &str) -> Client {
    let conf = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.endpoint())
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .build();
    Client::from_conf(conf)
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
    let identity: Identity = Credentials::new("AKIAMGMTEXAMPLE", secret, None, None, "t").into();
    let mut settings = SigningSettings::default();
    if presigned {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(300));
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("organizations")
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let url = format!("http://{host}/");
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let query: Vec<String> = instructions
        .params()
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
    let mut req = format!("POST {path} HTTP/1.1\r\n");
    for (k, v) in headers.iter().copied().chain(instructions.headers()) {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, out)
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
