//! Request members: one generic check of a request against its operation's input shape in the
//! generated model (`model.rs`): required members, JSON types, enums, lengths, patterns and
//! ranges, nested structures and lists included. A type error is a `SerializationException`; a
//! broken constraint is an `InvalidInputException` with the model's `Reason` and that reason's
//! fixed text (`errors.rs`). The few rules AWS applies beyond the model are in `beyond_model`.
//! Once checked, members are only read.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::errors::InputReason;
use super::model::{self, Kind, Shape};
use super::wire::WireError;

/// The members of a request body.
pub struct Input(Map<String, Value>);

/// Where a value sits in the request, for messages: `Name`, `Target.Id`, `Tags[0].Key`.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Member(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Member(Path::Root, name) => f.write_str(name),
            Path::Member(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

fn type_error(path: &Path, expected: &str) -> WireError {
    WireError::Serialization(format!("Member {path} must be {expected}."))
}

/// A member the operation needs is absent.
pub fn required() -> WireError {
    WireError::Input(InputReason::InputRequired)
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

    /// Checks every member the operation's input shape defines; members it does not define are
    /// ignored, as AWS does.
    pub fn validate(&self, op: &model::Operation) -> Result<(), WireError> {
        match op.input {
            Some(shape) => structure(shape, &self.0, &Path::Root),
            None => Ok(()),
        }
    }

    /// The members that choose what a listing lists (all but `NextToken` and `MaxResults`), in
    /// the model's order: a page token is bound to them.
    pub fn listing_params(&self, op: &model::Operation) -> String {
        let mut out = String::new();
        let members = match op.input.map(|s| &s.kind) {
            Some(Kind::Structure { members }) => *members,
            _ => &[],
        };
        for m in members {
            if m.name == "NextToken" || m.name == "MaxResults" {
                continue;
            }
            if let Some(v) = self.get(m.name) {
                out.push('\0');
                out.push_str(m.name);
                out.push('=');
                out.push_str(&v.to_string());
            }
        }
        out
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn opt_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// A member the model requires (so `validate` has seen it).
    pub fn str(&self, name: &str) -> Result<&str, WireError> {
        self.opt_str(name).ok_or_else(required)
    }

    pub fn opt_int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Value::as_i64)
    }

    /// A timestamp member: epoch seconds, possibly fractional, as milliseconds.
    pub fn opt_timestamp(&self, name: &str) -> Option<i64> {
        self.get(name)
            .and_then(Value::as_f64)
            .map(|s| (s * 1000.0).round() as i64)
    }

    /// A nested structure member.
    pub fn object(&self, name: &str) -> Option<Input> {
        match self.get(name) {
            Some(Value::Object(m)) => Some(Input(m.clone())),
            _ => None,
        }
    }

    pub fn str_list(&self, name: &str) -> Option<Vec<&str>> {
        match self.get(name) {
            Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).collect()),
            _ => None,
        }
    }

    /// A `Tags` list as `(Key, Value)` pairs.
    pub fn tags(&self, name: &str) -> Option<Vec<(String, String)>> {
        let Some(Value::Array(list)) = self.get(name) else {
            return None;
        };
        let field = |t: &Value, k: &str| t[k].as_str().unwrap_or_default().to_string();
        Some(
            list.iter()
                .map(|t| (field(t, "Key"), field(t, "Value")))
                .collect(),
        )
    }
}

/// `MaxResults`, already checked; AWS's page size when absent is the model's maximum.
pub fn max_results(input: &Input) -> usize {
    let max = match model::shapes::MaxResults.kind {
        Kind::Integer { max: Some(max), .. } => max,
        _ => 20,
    };
    input.opt_int("MaxResults").unwrap_or(max) as usize
}

fn structure(shape: &Shape, members: &Map<String, Value>, path: &Path) -> Result<(), WireError> {
    let Kind::Structure { members: defined } = &shape.kind else {
        return Ok(());
    };
    for m in *defined {
        match members.get(m.name).filter(|v| !v.is_null()) {
            None if m.required => return Err(required()),
            None => {}
            Some(v) => value(m.shape, v, &Path::Member(path, m.name))?,
        }
    }
    Ok(())
}

fn value(shape: &Shape, v: &Value, path: &Path) -> Result<(), WireError> {
    match &shape.kind {
        Kind::String { .. } => {
            let s = v.as_str().ok_or_else(|| type_error(path, "a string"))?;
            string(shape, s)
        }
        Kind::Integer { min, max } => {
            let n = v.as_i64().ok_or_else(|| type_error(path, "an integer"))?;
            let reasons = [InputReason::MinValueExceeded, InputReason::MaxValueExceeded];
            within(n, *min, *max, reasons)
        }
        Kind::Boolean if v.is_boolean() => Ok(()),
        Kind::Boolean => Err(type_error(path, "a boolean")),
        Kind::Timestamp if v.as_f64().is_some_and(f64::is_finite) => Ok(()),
        Kind::Timestamp => Err(type_error(path, "a timestamp")),
        Kind::List { member, min, max } => {
            let items = v.as_array().ok_or_else(|| type_error(path, "a list"))?;
            within(items.len(), *min, *max, LENGTH)?;
            for (i, item) in items.iter().enumerate() {
                value(member, item, &Path::Index(path, i))?;
            }
            Ok(())
        }
        Kind::Structure { .. } => {
            let m = v
                .as_object()
                .ok_or_else(|| type_error(path, "a structure"))?;
            structure(shape, m, path)
        }
    }
}

/// Checks one value against a shape: the output-shape tests use it on answers.
#[cfg(test)]
pub fn conforms_value(shape: &Shape, v: &Value) -> Result<(), WireError> {
    value(shape, v, &Path::Root)
}

/// Checks `n` (a value, or a length) against the bounds `min..=max`.
fn within<T: PartialOrd + Copy>(
    n: T,
    min: Option<T>,
    max: Option<T>,
    [below, above]: [InputReason; 2],
) -> Result<(), WireError> {
    if min.is_some_and(|m| n < m) {
        return Err(WireError::Input(below));
    }
    if max.is_some_and(|m| n > m) {
        return Err(WireError::Input(above));
    }
    Ok(())
}

const LENGTH: [InputReason; 2] = [
    InputReason::MinLengthExceeded,
    InputReason::MaxLengthExceeded,
];

/// Checks a string against a string shape (enum, length in characters, pattern).
fn string(shape: &Shape, s: &str) -> Result<(), WireError> {
    let Kind::String {
        min, max, values, ..
    } = &shape.kind
    else {
        return Ok(());
    };
    if !values.is_empty() && !values.contains(&s) {
        return Err(WireError::Input(InputReason::InvalidEnum));
    }
    within(s.chars().count(), *min, *max, LENGTH)?;
    if let Some(re) = PATTERNS.get(shape.name)
        && !re.is_match(s)
    {
        return Err(WireError::Input(pattern_reason(shape)));
    }
    beyond_model(shape, s)
}

/// Checks the string `s` against the model's shape `shape`: for members whose shape depends on
/// another member (an invitation's `Target.Id` by its `Type`).
pub fn conform(shape: &Shape, s: &str) -> Result<(), WireError> {
    string(shape, s)
}

/// A value that does not match its pattern is `INVALID_PATTERN`, except for policy targets.
fn pattern_reason(shape: &Shape) -> InputReason {
    match shape.name {
        "PolicyTargetId" => InputReason::InvalidPatternTargetId,
        _ => InputReason::InvalidPattern,
    }
}

/// What AWS refuses although the model allows it.
fn beyond_model(shape: &Shape, s: &str) -> Result<(), WireError> {
    if shape.name == "RoleName" && s.starts_with("AWSServiceRoleFor") {
        return Err(WireError::Input(InputReason::InvalidRoleName));
    }
    Ok(())
}

/// Every pattern of the model, compiled once: shape name -> the regex.
static PATTERNS: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
    model::SHAPES
        .iter()
        .filter_map(|shape| match shape.kind {
            Kind::String {
                pattern: Some(p), ..
            } => Some((shape.name, compile(p))),
            _ => None,
        })
        .collect()
});

/// A model pattern as a `regex`. The model's patterns are ECMAScript-flavoured, where `\d` and
/// `\w` are ASCII (in `regex` they are Unicode). Each pattern must match the whole value: that is
/// how AWS applies them, and it gives alternations such as `^(r-...)|(ou-...)$` their intent.
fn compile(pattern: &str) -> Regex {
    let mut out = String::from("^(?:");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('d') => out.push_str("[0-9]"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push_str("\\\\"),
            },
            (c, false) => out.push(c),
        }
    }
    out.push_str(")$");
    Regex::new(&out).unwrap_or_else(|e| panic!("model pattern {pattern} does not compile: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::shapes;

    fn reason(r: Result<(), WireError>) -> Option<&'static str> {
        match r {
            Err(WireError::Input(reason)) => Some(reason.as_str()),
            _ => None,
        }
    }

    fn check(op: &str, body: &str) -> Result<(), WireError> {
        let input = Input::parse(body.as_bytes())?;
        input.validate(model::operation(op).unwrap())
    }

    #[test]
    fn every_model_pattern_compiles() {
        assert!(PATTERNS.len() > 20);
    }

    #[test]
    fn emails_follow_the_model_pattern() {
        let email = |s| conform(&shapes::Email, s);
        assert!(email("bill@example.com").is_ok());
        assert_eq!(reason(email("bill@example")), Some("INVALID_PATTERN"));
        assert_eq!(reason(email("b@e.c")), Some("MIN_LENGTH_EXCEEDED"));
        assert_eq!(reason(email("a b@example.com")), Some("INVALID_PATTERN"));
    }

    #[test]
    fn tag_characters_follow_the_model_pattern() {
        let key = |s| conform(&shapes::TagKey, s);
        assert!(key("cost-center/ü 1").is_ok());
        assert_eq!(reason(key("a*b")), Some("INVALID_PATTERN"));
        assert_eq!(reason(key("")), Some("MIN_LENGTH_EXCEEDED"));
        assert!(conform(&shapes::TagValue, "").is_ok());
    }

    #[test]
    fn ids_match_the_whole_pattern_with_ascii_digits() {
        let parent = |s| conform(&shapes::ParentId, s);
        assert!(parent("r-ab12").is_ok());
        assert!(parent("ou-ab12-abcdefgh").is_ok());
        assert_eq!(reason(parent("r-ab12 and more")), Some("INVALID_PATTERN"));
        assert_eq!(reason(parent("xou-ab12-abcdefgh")), Some("INVALID_PATTERN"));
        let account = |s| conform(&shapes::AccountId, s);
        assert!(account("111111111111").is_ok());
        assert_eq!(reason(account("١١١١١١١١١١١١")), Some("INVALID_PATTERN"));
    }

    #[test]
    fn aws_rules_beyond_the_model() {
        let target = |s| conform(&shapes::PolicyTargetId, s);
        assert_eq!(reason(target("x-1")), Some("INVALID_PATTERN_TARGET_ID"));
        let role = |s| conform(&shapes::RoleName, s);
        assert!(role("OrganizationAccountAccessRole").is_ok());
        assert_eq!(
            reason(role("AWSServiceRoleForX")),
            Some("INVALID_ROLE_NAME")
        );
    }

    #[test]
    fn requests_are_checked_member_by_member() {
        assert!(check("ListAccounts", "").is_ok());
        assert_eq!(
            reason(check("MoveAccount", r#"{"AccountId": "111111111111"}"#)),
            Some("INPUT_REQUIRED")
        );
        assert_eq!(
            reason(check("ListAccounts", r#"{"MaxResults": 21}"#)),
            Some("MAX_VALUE_EXCEEDED")
        );
        assert_eq!(
            reason(check("ListAccounts", r#"{"MaxResults": 0}"#)),
            Some("MIN_VALUE_EXCEEDED")
        );
        assert_eq!(
            reason(check(
                "ListChildren",
                r#"{"ParentId": "r-ab12", "ChildType": "X"}"#
            )),
            Some("INVALID_ENUM")
        );
        let tags =
            r#"{"ResourceId": "r-ab12", "Tags": [{"Key": "k", "Value": "v"}, {"Key": "a"}]}"#;
        assert_eq!(reason(check("TagResource", tags)), Some("INPUT_REQUIRED"));
        assert_eq!(
            reason(check(
                "ListCreateAccountStatus",
                r#"{"States": ["SUCCEEDED", "DONE"]}"#
            )),
            Some("INVALID_ENUM")
        );
        assert_eq!(
            reason(check(
                "ListHandshakesForAccount",
                r#"{"Filter": {"ParentHandshakeId": "h-x"}}"#
            )),
            Some("INVALID_PATTERN")
        );
    }

    #[test]
    fn messages_are_the_reasons_fixed_texts_naming_no_member() {
        let message = |op, body| check(op, body).unwrap_err().body()["Message"].clone();
        assert_eq!(
            message(
                "ListChildren",
                r#"{"ParentId": "r-ab12", "ChildType": "X"}"#
            ),
            "You specified an invalid value."
        );
        let observed = "You provided a value that does not match the required pattern.";
        assert_eq!(
            message("ListTagsForResource", r#"{"ResourceId": "0A000000X000"}"#),
            observed
        );
        let target = r#"{"TargetId": "ROOT_OR_OU_ID", "Filter": "SERVICE_CONTROL_POLICY"}"#;
        assert_eq!(message("ListPoliciesForTarget", target), observed);
        assert_eq!(
            message("ListAccounts", r#"{"MaxResults": 21}"#),
            "You provided a numeric parameter that has a larger value than allowed."
        );
        assert_eq!(
            message("MoveAccount", r#"{"AccountId": "111111111111"}"#),
            "You must include a value for all required parameters."
        );
    }

    #[test]
    fn wrong_member_types_are_serialization_errors() {
        let serialization =
            |r: Result<(), WireError>| matches!(r, Err(WireError::Serialization(_)));
        assert!(serialization(check(
            "UpdatePolicy",
            r#"{"PolicyId": "p-12345678", "Name": 5}"#
        )));
        assert!(serialization(check(
            "ListAccounts",
            r#"{"MaxResults": "x"}"#
        )));
        assert!(serialization(check(
            "UntagResource",
            r#"{"ResourceId": "r-ab12", "TagKeys": [1]}"#
        )));
        assert!(serialization(check(
            "InviteAccountToOrganization",
            r#"{"Target": "x"}"#
        )));
        assert!(serialization(check(
            "TerminateResponsibilityTransfer",
            r#"{"Id": "rt-12345678", "EndTimestamp": "x"}"#
        )));
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
