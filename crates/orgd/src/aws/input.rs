//! Decoding and validating request members as the service model constrains them (required
//! members, types, lengths, patterns, enums, ranges). A type error is a `SerializationException`;
//! a constraint is an `InvalidInputException` with the model's `Reason`.

use orgd_domain::ids;
use serde_json::{Map, Value};

use super::errors::InputReason;
use super::wire::WireError;

/// The members of a request body.
pub struct Input(Map<String, Value>);

fn type_error(name: &str, expected: &str) -> WireError {
    WireError::Serialization(format!("Member {name} must be {expected}."))
}

fn invalid(reason: InputReason, message: String) -> WireError {
    WireError::Input { reason, message }
}

impl Input {
    /// An empty body counts as `{}`; anything but a JSON object is a `SerializationException`.
    pub fn parse(body: &[u8]) -> Result<Self, WireError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(Input(m)),
            Ok(_) => Err(WireError::Serialization(
                "The request body must be a JSON object.".into(),
            )),
            Err(e) => Err(WireError::Serialization(format!(
                "The request body is not valid JSON: {e}"
            ))),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&str>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(type_error(name, "a string")),
        }
    }

    pub fn str(&self, name: &str) -> Result<&str, WireError> {
        self.opt_str(name)?.ok_or_else(|| required(name))
    }

    /// A required string member, checked by one of this module's validators under its own name.
    pub fn checked(
        &self,
        name: &str,
        check: fn(&str, &str) -> Result<(), WireError>,
    ) -> Result<&str, WireError> {
        let s = self.str(name)?;
        check(name, s)?;
        Ok(s)
    }

    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| type_error(name, "an integer")),
            Some(_) => Err(type_error(name, "an integer")),
        }
    }

    /// A timestamp member: epoch seconds, possibly fractional, as milliseconds.
    pub fn opt_timestamp(&self, name: &str) -> Result<Option<i64>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|s| s.is_finite())
                .map(|s| Some((s * 1000.0).round() as i64))
                .ok_or_else(|| type_error(name, "a timestamp")),
            Some(_) => Err(type_error(name, "a timestamp")),
        }
    }

    fn opt_list(&self, name: &str) -> Result<Option<&Vec<Value>>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(type_error(name, "a list")),
        }
    }

    /// A nested structure member.
    pub fn object(&self, name: &str) -> Result<Option<Input>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Input(m.clone()))),
            Some(_) => Err(type_error(name, "a structure")),
        }
    }

    pub fn str_list(&self, name: &str) -> Result<Option<Vec<&str>>, WireError> {
        let Some(list) = self.opt_list(name)? else {
            return Ok(None);
        };
        list.iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| type_error(name, "a list of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A `Tags` list, each `{Key, Value}` checked against the tag key and value constraints.
    pub fn tags(&self, name: &str) -> Result<Option<Vec<(String, String)>>, WireError> {
        let Some(list) = self.opt_list(name)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(list.len());
        for item in list {
            let Value::Object(m) = item else {
                return Err(type_error(name, "a list of tags"));
            };
            let tag = Input(m.clone());
            let key = tag.str("Key")?;
            let value = tag.str("Value")?;
            tag_key("Key", key)?;
            tag_value("Value", value)?;
            out.push((key.to_string(), value.to_string()));
        }
        Ok(Some(out))
    }
}

pub fn required(name: &str) -> WireError {
    invalid(
        InputReason::InputRequired,
        format!("You must specify a value for {name}."),
    )
}

/// Length in characters within `min..=max`.
pub fn length(name: &str, s: &str, min: usize, max: usize) -> Result<(), WireError> {
    let n = s.chars().count();
    if n < min {
        return Err(invalid(
            InputReason::MinLengthExceeded,
            format!("{name} must be at least {min} characters long."),
        ));
    }
    if n > max {
        return Err(invalid(
            InputReason::MaxLengthExceeded,
            format!("{name} must be at most {max} characters long."),
        ));
    }
    Ok(())
}

pub fn pattern(name: &str, s: &str, ok: bool, expected: &str) -> Result<(), WireError> {
    if ok {
        Ok(())
    } else {
        Err(invalid(
            InputReason::InvalidPattern,
            format!("{name} '{s}' does not match the required pattern: {expected}."),
        ))
    }
}

pub fn one_of<T>(
    name: &str,
    s: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Result<T, WireError> {
    parse(s).ok_or_else(|| {
        invalid(
            InputReason::InvalidEnum,
            format!("{name} '{s}' is not one of: {allowed}."),
        )
    })
}

pub fn account_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 12)?;
    pattern(name, s, ids::is_account_id(s), "12 digits")
}

pub fn parent_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 100)?;
    pattern(
        name,
        s,
        ids::is_parent_id(s),
        "a root ID (r-...) or an OU ID (ou-...-...)",
    )
}

pub fn ou_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 68)?;
    pattern(name, s, ids::is_ou_id(s), "an OU ID (ou-...-...)")
}

pub fn child_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 100)?;
    pattern(
        name,
        s,
        ids::is_child_id(s),
        "an account ID (12 digits) or an OU ID (ou-...-...)",
    )
}

pub fn taggable_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 130)?;
    pattern(
        name,
        s,
        ids::is_taggable_id(s),
        "a root, OU, account, policy, resource policy or transfer ID",
    )
}

pub fn handshake_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 34)?;
    pattern(
        name,
        s,
        ids::is_handshake_id(s),
        "h- followed by 8 to 32 lowercase letters or digits",
    )
}

pub fn transfer_id(name: &str, s: &str) -> Result<(), WireError> {
    pattern(
        name,
        s,
        ids::is_transfer_id(s),
        "rt- followed by 8 to 32 lowercase letters or digits",
    )
}

/// `ResponsibilityTransferName`: `^[ -~]+$`, 1 to 128 characters.
pub fn transfer_name(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 128)?;
    pattern(
        name,
        s,
        s.chars().all(|c| (' '..='~').contains(&c)),
        "printable ASCII characters",
    )
}

/// `ResponsibilityTransferType`: only `BILLING`.
pub fn transfer_type(name: &str, s: &str) -> Result<orgd_domain::model::TransferType, WireError> {
    one_of(name, s, orgd_domain::model::TransferType::parse, "BILLING")
}

pub fn create_account_request_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 36)?;
    pattern(
        name,
        s,
        ids::is_create_account_request_id(s),
        "car- followed by 8 to 32 lowercase letters or digits",
    )
}

pub fn ou_name(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 128)
}

/// `[^\s@]+@[^\s@]+\.[^\s@]+`, 6 to 64 characters.
pub fn email(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 6, 64)?;
    let ok = s.split_once('@').is_some_and(|(local, domain)| {
        let clean = |p: &str| !p.is_empty() && !p.contains(|c: char| c.is_whitespace() || c == '@');
        clean(local)
            && domain
                .rsplit_once('.')
                .is_some_and(|(host, tld)| clean(host) && clean(tld))
    });
    pattern(name, s, ok, "an email address")
}

/// `[\u0020-\u007E]+`, 1 to 50 characters.
pub fn account_name(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 50)?;
    pattern(
        name,
        s,
        s.chars().all(|c| (' '..='~').contains(&c)),
        "printable ASCII characters",
    )
}

/// `[\w+=,.@-]{1,64}`, and not AWS's reserved prefix for service-linked roles.
pub fn role_name(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 64)?;
    let ok = s
        .chars()
        .all(|c| c.is_alphanumeric() || "_+=,.@-".contains(c));
    pattern(name, s, ok, "letters, digits and _+=,.@-")?;
    if s.starts_with("AWSServiceRoleFor") {
        return Err(invalid(
            InputReason::InvalidRoleName,
            format!("{name} cannot begin with the reserved prefix AWSServiceRoleFor."),
        ));
    }
    Ok(())
}

/// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
fn tag_chars_ok(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || "_.:/=+-@".contains(c)
    })
}

pub fn tag_key(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 128)?;
    pattern(
        name,
        s,
        tag_chars_ok(s),
        "letters, digits, spaces and _.:/=+-@",
    )
}

pub fn tag_value(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 256)?;
    pattern(
        name,
        s,
        tag_chars_ok(s),
        "letters, digits, spaces and _.:/=+-@",
    )
}

/// `[\w+=,.@-]*`, 1 to 128 characters.
pub fn service_principal(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 1, 128)?;
    let ok = s
        .chars()
        .all(|c| c.is_alphanumeric() || "_+=,.@-".contains(c));
    pattern(name, s, ok, "letters, digits and _+=,.@-")
}

pub fn policy_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 130)?;
    pattern(
        name,
        s,
        ids::is_policy_id(s),
        "p- followed by 8 to 128 letters, digits or _",
    )
}

/// A root, OU or account ID; a mismatch is `INVALID_PATTERN_TARGET_ID`.
pub fn policy_target_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 100)?;
    if ids::is_policy_target_id(s) {
        return Ok(());
    }
    Err(invalid(
        InputReason::InvalidPatternTargetId,
        format!("{name} '{s}' is not a root ID (r-...), an OU ID (ou-...-...) or an account ID."),
    ))
}

pub fn root_id(name: &str, s: &str) -> Result<(), WireError> {
    length(name, s, 0, 34)?;
    pattern(name, s, ids::is_root_id(s), "a root ID (r-...)")
}

/// A member naming a policy type: any value of the model's `PolicyType` enum.
pub fn policy_type(name: &str, s: &str) -> Result<orgd_domain::policy::PolicyType, WireError> {
    use orgd_domain::policy::PolicyType;
    let allowed: Vec<&str> = PolicyType::ALL.iter().map(|t| t.as_str()).collect();
    one_of(name, s, PolicyType::parse, &allowed.join(", "))
}

/// The members of CreateAccount and CreateGovCloudAccount.
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub tags: Vec<(String, String)>,
}

/// Reads `NewAccount`, with `RoleName` and `IamUserAccessToBilling` checked too.
pub fn new_account(input: &Input) -> Result<NewAccount, WireError> {
    let email = input.checked("Email", email)?.to_string();
    let name = input.checked("AccountName", account_name)?.to_string();
    if let Some(role) = input.opt_str("RoleName")? {
        role_name("RoleName", role)?;
    }
    if let Some(b) = input.opt_str("IamUserAccessToBilling")? {
        let allowed = |s: &str| matches!(s, "ALLOW" | "DENY").then_some(());
        one_of("IamUserAccessToBilling", b, allowed, "ALLOW, DENY")?;
    }
    let tags = input.tags("Tags")?.unwrap_or_default();
    Ok(NewAccount { email, name, tags })
}

/// `MaxResults`: 1 to 20; AWS's page size when absent is the maximum.
pub fn max_results(input: &Input) -> Result<usize, WireError> {
    match input.opt_int("MaxResults")? {
        None => Ok(20),
        Some(n) if n < 1 => Err(invalid(
            InputReason::MinValueExceeded,
            "MaxResults must be at least 1.".into(),
        )),
        Some(n) if n > 20 => Err(invalid(
            InputReason::MaxValueExceeded,
            "MaxResults must be at most 20.".into(),
        )),
        Some(n) => Ok(n as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<(), WireError>) -> Option<&'static str> {
        match r {
            Err(WireError::Input { reason, .. }) => Some(reason.as_str()),
            _ => None,
        }
    }

    #[test]
    fn emails_follow_the_model_pattern() {
        assert!(email("Email", "bill@example.com").is_ok());
        assert_eq!(
            reason(email("Email", "bill@example")),
            Some("INVALID_PATTERN")
        );
        assert_eq!(reason(email("Email", "b@e.c")), Some("MIN_LENGTH_EXCEEDED"));
        assert_eq!(
            reason(email("Email", "a b@example.com")),
            Some("INVALID_PATTERN")
        );
    }

    #[test]
    fn tag_characters_follow_the_model_pattern() {
        assert!(tag_key("Key", "cost-center/ü 1").is_ok());
        assert_eq!(reason(tag_key("Key", "a*b")), Some("INVALID_PATTERN"));
        assert_eq!(reason(tag_key("Key", "")), Some("MIN_LENGTH_EXCEEDED"));
        assert!(tag_value("Value", "").is_ok());
    }

    #[test]
    fn wrong_member_types_are_serialization_errors() {
        let input = Input::parse(br#"{"Name": 5, "MaxResults": "x"}"#).unwrap();
        assert!(matches!(
            input.opt_str("Name"),
            Err(WireError::Serialization(_))
        ));
        assert!(matches!(
            max_results(&input),
            Err(WireError::Serialization(_))
        ));
        assert!(matches!(
            Input::parse(b"[1]"),
            Err(WireError::Serialization(_))
        ));
        assert!(matches!(
            Input::parse(b"{"),
            Err(WireError::Serialization(_))
        ));
    }
}
