//! AWS STS on orgd's endpoint: `GetCallerIdentity` and `AssumeRole` in the Query protocol
//! (`Action=...&Version=2011-06-15`, form-encoded, answered in XML), as botocore, the AWS CLI and
//! Terraform's provider send them when `AWS_ENDPOINT_URL` points every service at orgd. Tools ask
//! who they are first, and act in member accounts through their access role; the credentials
//! `AssumeRole` issues (`session.rs`) are then recognized as that account by every API orgd serves.
//! Who may assume which role is the domain's rule (`ops::assume_role`).

use std::collections::BTreeMap;

use quick_xml::Writer;
use quick_xml::events::BytesText;

use super::sigv4::SigError;

/// The XML namespace of STS's answers.
pub const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// The service name in the credential scope of an STS request.
pub const SIGNING_NAME: &str = "sts";
/// The content type of Query-protocol answers.
pub const CONTENT_TYPE: &str = "text/xml";
/// How long `AssumeRole` credentials last when `DurationSeconds` is not given, and the most a
/// role allows by default (a role's `MaxSessionDuration` is one hour unless raised; the access
/// role CreateAccount makes keeps the default).
pub const DEFAULT_DURATION_SECONDS: i64 = 3600;
/// The range of `DurationSeconds` in the service model.
pub const MIN_DURATION_SECONDS: i64 = 900;
pub const MAX_DURATION_SECONDS: i64 = 43200;

/// Whether a request is in the Query protocol (a form-encoded body).
pub fn is_query(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    })
}

/// The parameters of a Query request: the form body's, and the query string's where the body
/// has none of that name.
pub fn params(body: &[u8], query: Option<&str>) -> BTreeMap<String, String> {
    let mut params: BTreeMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned() {
        params.entry(k).or_insert(v);
    }
    params
}

/// An STS error in the Query protocol's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// `Sender` (the client's fault) or `Receiver` (the service's).
    pub sender: bool,
}

impl QueryError {
    fn sender(status: u16, code: &str, message: impl Into<String>) -> Self {
        QueryError {
            status,
            code: code.into(),
            message: message.into(),
            sender: true,
        }
    }

    /// A member that breaks the model's constraints, in AWS's validation wording.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::sender(400, "ValidationError", message)
    }

    pub fn access_denied(caller_arn: &str, role_arn: &str) -> Self {
        Self::sender(
            403,
            "AccessDenied",
            format!(
                "User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
            ),
        )
    }

    pub fn unknown_action(action: &str) -> Self {
        Self::sender(
            400,
            "InvalidAction",
            format!("Could not find operation {action} for version 2011-06-15"),
        )
    }

    pub fn service(message: impl Into<String>) -> Self {
        QueryError {
            status: 500,
            code: "InternalFailure".into(),
            message: message.into(),
            sender: false,
        }
    }

    /// How the Query protocol names a refused signature (the JSON protocol's names without
    /// `Exception`, and STS's own for an unknown key and a bad signature).
    pub fn signature(e: &SigError) -> Self {
        let (status, code) = match e {
            SigError::Missing => (403, "MissingAuthenticationToken"),
            SigError::Incomplete(_) => (400, "IncompleteSignature"),
            SigError::UnknownKey => (403, "InvalidClientTokenId"),
            SigError::TokenExpired => (400, "ExpiredToken"),
            SigError::BadSignature | SigError::Expired(_) | SigError::Scope(_) => {
                (403, "SignatureDoesNotMatch")
            }
        };
        Self::sender(status, code, e.message())
    }

    /// The XML body.
    pub fn body(&self, request_id: &str) -> Vec<u8> {
        let mut w = Writer::new(Vec::new());
        w.create_element("ErrorResponse")
            .with_attribute(("xmlns", NAMESPACE))
            .write_inner_content(|w| {
                w.create_element("Error").write_inner_content(|w| {
                    text(w, "Type", if self.sender { "Sender" } else { "Receiver" })?;
                    text(w, "Code", &self.code)?;
                    text(w, "Message", &self.message)
                })?;
                text(w, "RequestId", request_id)
            })
            .expect("writing XML to memory does not fail");
        w.into_inner()
    }
}

type XmlResult = std::io::Result<()>;

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> XmlResult {
    w.create_element(name)
        .write_text_content(BytesText::new(value))
        .map(|_| ())
}

/// `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata>...`
pub fn response(
    action: &str,
    request_id: &str,
    result: impl Fn(&mut Writer<Vec<u8>>) -> XmlResult,
) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    w.create_element(format!("{action}Response"))
        .with_attribute(("xmlns", NAMESPACE))
        .write_inner_content(|w| {
            w.create_element(format!("{action}Result"))
                .write_inner_content(&result)?;
            w.create_element("ResponseMetadata")
                .write_inner_content(|w| text(w, "RequestId", request_id))
                .map(|_| ())
        })
        .expect("writing XML to memory does not fail");
    w.into_inner()
}

/// Who the caller is, as GetCallerIdentity answers.
pub struct Identity<'a> {
    pub user_id: &'a str,
    pub account: &'a str,
    pub arn: &'a str,
}

pub fn caller_identity(request_id: &str, id: &Identity) -> Vec<u8> {
    response("GetCallerIdentity", request_id, |w| {
        text(w, "Arn", id.arn)?;
        text(w, "UserId", id.user_id)?;
        text(w, "Account", id.account)
    })
}

/// What AssumeRole answers.
pub struct Assumed<'a> {
    pub arn: &'a str,
    pub assumed_role_id: &'a str,
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: &'a str,
    pub expiration: &'a str,
}

pub fn assumed_role(request_id: &str, a: &Assumed) -> Vec<u8> {
    response("AssumeRole", request_id, |w| {
        w.create_element("AssumedRoleUser")
            .write_inner_content(|w| {
                text(w, "Arn", a.arn)?;
                text(w, "AssumedRoleId", a.assumed_role_id)
            })?;
        w.create_element("Credentials").write_inner_content(|w| {
            text(w, "AccessKeyId", a.access_key_id)?;
            text(w, "SecretAccessKey", a.secret_access_key)?;
            text(w, "SessionToken", a.session_token)?;
            text(w, "Expiration", a.expiration)
        })?;
        Ok(())
    })
}

/// The checked members of an AssumeRole request.
pub struct AssumeRoleInput {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: i64,
}

/// AWS's validation text for one member (`1 validation error detected: ...`).
fn invalid(value: Option<&str>, member: &str, constraint: &str) -> QueryError {
    let value = match value {
        Some(v) => format!("'{v}'"),
        None => "null".into(),
    };
    QueryError::validation(format!(
        "1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: Member must {constraint}"
    ))
}

/// The required parameter `key`, of `min` to `max` characters; `member` names it in the
/// refusal, as STS does.
fn required_chars<'p>(
    p: &'p BTreeMap<String, String>,
    key: &str,
    member: &str,
    min: usize,
    max: usize,
) -> Result<&'p str, QueryError> {
    match p.get(key).map(String::as_str) {
        None => Err(invalid(None, member, "not be null")),
        Some(v) if v.chars().count() < min => Err(invalid(
            Some(v),
            member,
            &format!("have length greater than or equal to {min}"),
        )),
        Some(v) if v.chars().count() > max => Err(invalid(
            Some(v),
            member,
            &format!("have length less than or equal to {max}"),
        )),
        Some(v) => Ok(v),
    }
}

fn session_name_ok(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// Checks AssumeRole's members against the service model's constraints (`RoleArn` 20 to 2048
/// characters, `RoleSessionName` 2 to 64 of `[\w+=,.@-]`, `DurationSeconds` 900 to 43200).
pub fn assume_role_input(p: &BTreeMap<String, String>) -> Result<AssumeRoleInput, QueryError> {
    let role_arn = required_chars(p, "RoleArn", "roleArn", 20, 2048)?.to_string();
    let session_name = required_chars(p, "RoleSessionName", "roleSessionName", 2, 64)?;
    if !session_name_ok(session_name) {
        return Err(invalid(
            Some(session_name),
            "roleSessionName",
            r"satisfy regular expression pattern: [\w+=,.@-]*",
        ));
    }
    let session_name = session_name.to_string();
    let duration_seconds = match p.get("DurationSeconds") {
        None => DEFAULT_DURATION_SECONDS,
        Some(d) => {
            let n: i64 = d.parse().map_err(|_| {
                QueryError::validation(format!(
                    "Value '{d}' for parameter DurationSeconds is invalid. It must be an integer."
                ))
            })?;
            if n < MIN_DURATION_SECONDS {
                return Err(invalid(
                    Some(d),
                    "durationSeconds",
                    "have value greater than or equal to 900",
                ));
            }
            if n > MAX_DURATION_SECONDS {
                return Err(invalid(
                    Some(d),
                    "durationSeconds",
                    "have value less than or equal to 43200",
                ));
            }
            n
        }
    };
    Ok(AssumeRoleInput {
        role_arn,
        session_name,
        duration_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_bodies_and_query_strings_are_read_body_first() {
        let got = params(
            b"Action=AssumeRole&RoleSessionName=a%2Bb&Version=2011-06-15",
            Some("Action=Other&X=1"),
        );
        assert_eq!(got["Action"], "AssumeRole");
        assert_eq!(got["RoleSessionName"], "a+b");
        assert_eq!(got["X"], "1");
        assert!(is_query(Some(
            "application/x-www-form-urlencoded; charset=utf-8"
        )));
        assert!(!is_query(Some("application/x-amz-json-1.1")));
        assert!(!is_query(None));
    }

    #[test]
    fn assume_role_members_are_checked_as_the_model_says() {
        let arn = "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole";
        let ok = assume_role_input(&p(&[("RoleArn", arn), ("RoleSessionName", "ci@x")])).unwrap();
        assert_eq!(ok.duration_seconds, 3600);
        for (pairs, needle) in [
            (vec![("RoleSessionName", "ci")], "Value null at 'roleArn'"),
            (vec![("RoleArn", arn)], "Value null at 'roleSessionName'"),
            (
                vec![("RoleArn", arn), ("RoleSessionName", "a b")],
                r"regular expression pattern: [\w+=,.@-]*",
            ),
            (
                vec![("RoleArn", arn), ("RoleSessionName", "x")],
                "greater than or equal to 2",
            ),
            (
                vec![
                    ("RoleArn", arn),
                    ("RoleSessionName", "ci"),
                    ("DurationSeconds", "899"),
                ],
                "greater than or equal to 900",
            ),
            (
                vec![
                    ("RoleArn", "arn:aws:iam::1:role"),
                    ("RoleSessionName", "ci"),
                ],
                "length greater than or equal to 20",
            ),
        ] {
            let e = assume_role_input(&p(&pairs)).err().unwrap();
            assert_eq!((e.status, e.code.as_str()), (400, "ValidationError"));
            assert!(e.message.contains(needle), "{} lacks {needle}", e.message);
        }
    }

    #[test]
    fn answers_and_errors_are_sts_xml_with_text_escaped() {
        let body = caller_identity(
            "rid",
            &Identity {
                user_id: "AROA:<x>",
                account: "111122223333",
                arn: "arn:aws:iam::111122223333:root",
            },
        );
        let s = String::from_utf8(body).unwrap();
        assert_eq!(
            s,
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:root</Arn>\
             <UserId>AROA:&lt;x&gt;</UserId><Account>111122223333</Account>\
             </GetCallerIdentityResult><ResponseMetadata><RequestId>rid</RequestId>\
             </ResponseMetadata></GetCallerIdentityResponse>"
        );
        let e = QueryError::access_denied("arn:aws:iam::1:root", "arn:aws:iam::2:role/R");
        let s = String::from_utf8(e.body("rid")).unwrap();
        assert!(s.contains("<Type>Sender</Type><Code>AccessDenied</Code>"));
        assert!(s.contains(
            "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::2:role/R"
        ));
    }
}
