//! The IAM policy evaluator: a parsed policy document (`Document`, built once per policy version
//! by the grammar in `iam.rs`) and how its statements apply to one request (`Request`).
//!
//! Semantics are AWS's IAM JSON policy reference:
//! - `Action`/`NotAction` compare without case, with the `*` and `?` wildcards.
//! - `Resource`/`NotResource` compare with case, with wildcards and policy variables; a request
//!   without a resource (an action with no resource type) is the resource `*`.
//! - Every condition operator family: `String*`, `Numeric*`, `Date*`, `Bool`, `BinaryEquals`,
//!   `IpAddress`/`NotIpAddress`, `Arn*`, `Null`; the `IfExists` suffix; the set qualifiers
//!   `ForAnyValue:` (false for a missing or empty key) and `ForAllValues:` (true for a missing or
//!   empty key). Without `IfExists`, a missing key fails a positive operator and satisfies a
//!   negated one (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, ...).
//! - Policy variables `${key}` and `${key, 'default'}` in string and ARN condition values and in
//!   `Resource`, with the escapes `${*}`, `${?}` and `${$}` for the literal characters; a variable
//!   whose key is missing (and has no default) matches nothing.
//! - Condition keys are case-insensitive; values are compared as IAM does for each family.
//! - Within a statement every operator block must hold, within a block every key.

use std::collections::BTreeMap;
use std::net::IpAddr;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A policy document, parsed once. Build it with `policy::parse_authorization` (SCPs and RCPs) or
/// `policy::parse_resource_policy`; evaluate it with `Document::matching`.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub(crate) statements: Vec<Statement>,
}

/// One statement of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub(crate) principal: Option<Principals>,
    pub(crate) actions: Elements,
    /// `None`: the statement has no `Resource` element (allowed in SCPs) and covers every resource.
    pub(crate) resources: Option<Elements>,
    pub(crate) conditions: Vec<Condition>,
}

/// `Action` or `NotAction` (`negated`), `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Elements {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// `Principal` or `NotPrincipal` (`negated`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Principals {
    pub negated: bool,
    /// `"*"`, or `{"AWS": "*"}`.
    pub anyone: bool,
    /// `AWS` principals: account ids and IAM ARNs.
    pub aws: Vec<String>,
    /// `Service` principals.
    pub services: Vec<String>,
}

/// The values of a request's condition keys (keys are case-insensitive). Multivalued keys (tag
/// keys, `aws:PrincipalOrgPaths`) hold several values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    keys: BTreeMap<String, Vec<String>>,
}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a single-valued key.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.keys
            .insert(key.to_ascii_lowercase(), vec![value.into()]);
        self
    }

    /// Sets a multivalued key (an empty list is an empty set, which `Null` sees as missing).
    pub fn set_all(&mut self, key: &str, values: Vec<String>) -> &mut Self {
        self.keys.insert(key.to_ascii_lowercase(), values);
        self
    }

    /// Sets a key unless it is already set.
    pub fn set_default(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.keys
            .entry(key.to_ascii_lowercase())
            .or_insert_with(|| vec![value.into()]);
        self
    }

    /// The values of a key; `None` when the request does not have it.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        match self.keys.get(key) {
            Some(v) => Some(v),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.keys.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
            }
            None => None,
        }
    }

    /// Every key and its values (keys in lower case).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.keys.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

/// What a request is, as a policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The account of the calling principal.
    pub principal_account: &'a str,
    /// `service:Action`, e.g. `organizations:LeaveOrganization`.
    pub action: &'a str,
    /// The resource's ARN; `None` for an action without a resource type (matches only `*`).
    pub resource: Option<&'a str>,
    pub context: &'a Context,
}

impl Document {
    /// The statements that apply to the request (principal, action, resource and every condition),
    /// with their index in the document.
    pub fn matching<'d>(
        &'d self,
        req: &'d Request<'d>,
    ) -> impl Iterator<Item = (usize, &'d Statement)> + 'd {
        self.statements
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.applies(req))
    }

    /// Whether the document allows the request: some statement allows it and none denies it.
    pub fn allows(&self, req: &Request) -> bool {
        let mut allowed = false;
        for (_, s) in self.matching(req) {
            match s.effect {
                Effect::Deny => return false,
                Effect::Allow => allowed = true,
            }
        }
        allowed
    }

    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

impl Statement {
    fn applies(&self, req: &Request) -> bool {
        self.principal.as_ref().is_none_or(|p| p.matches(req))
            && self.actions.matches_action(req.action)
            && self
                .resources
                .as_ref()
                .is_none_or(|r| r.matches_resource(req))
            && self.conditions.iter().all(|c| c.holds(req.context))
    }
}

impl Elements {
    fn matches_action(&self, action: &str) -> bool {
        let hit = self
            .patterns
            .iter()
            .any(|p| glob(&literal_tokens(p), action, false));
        hit != self.negated
    }

    fn matches_resource(&self, req: &Request) -> bool {
        let resource = req.resource.unwrap_or("*");
        let hit = self.patterns.iter().any(|p| {
            if p == "*" {
                return true;
            }
            match expand(p, req.context) {
                Some(tokens) => glob(&tokens, resource, true),
                None => false,
            }
        });
        hit != self.negated
    }
}

/// Whether an `Action` pattern covers an action (without case, with wildcards).
#[cfg(test)]
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    glob(&literal_tokens(pattern), action, false)
}

impl Principals {
    fn matches(&self, req: &Request) -> bool {
        let account = req.principal_account;
        let hit = self.anyone
            || self
                .aws
                .iter()
                .any(|p| p == "*" || p == account || principal_account(p) == Some(account))
            || req
                .context
                .get("aws:principalservicename")
                .is_some_and(|names| names.iter().any(|n| self.services.contains(n)));
        hit != self.negated
    }
}

/// The account of an IAM principal ARN, `arn:<partition>:iam::<account>:<resource>` (or `sts`),
/// whatever the partition.
pub(crate) fn principal_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(partition), Some("iam" | "sts"), Some(""), Some(account), Some(_))
            if !partition.is_empty() =>
        {
            Some(account)
        }
        _ => None,
    }
}

// ---- conditions ----

/// `ForAnyValue:` / `ForAllValues:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qualifier {
    Single,
    AnyValue,
    AllValues,
}

/// The comparisons of the operator families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Order),
    Date(Order),
    Bool,
    BinaryEquals,
    IpAddress,
    /// `ArnEquals` and `ArnLike` compare the same way (each ARN component with wildcards).
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// A condition operator: `[ForAnyValue:|ForAllValues:]Base[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    pub qualifier: Qualifier,
    pub test: Test,
    /// The `Not` forms: `StringNotEquals`, `NumericNotEquals`, `NotIpAddress`, `ArnNotLike`, ...
    pub negated: bool,
    pub if_exists: bool,
}

/// Every base operator of IAM's condition-operator reference.
const BASES: &[(&str, Test, bool)] = &[
    ("StringEquals", Test::StringEquals, false),
    ("StringNotEquals", Test::StringEquals, true),
    (
        "StringEqualsIgnoreCase",
        Test::StringEqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Test::StringEqualsIgnoreCase,
        true,
    ),
    ("StringLike", Test::StringLike, false),
    ("StringNotLike", Test::StringLike, true),
    ("NumericEquals", Test::Numeric(Order::Equals), false),
    ("NumericNotEquals", Test::Numeric(Order::Equals), true),
    ("NumericLessThan", Test::Numeric(Order::LessThan), false),
    (
        "NumericLessThanEquals",
        Test::Numeric(Order::LessThanEquals),
        false,
    ),
    (
        "NumericGreaterThan",
        Test::Numeric(Order::GreaterThan),
        false,
    ),
    (
        "NumericGreaterThanEquals",
        Test::Numeric(Order::GreaterThanEquals),
        false,
    ),
    ("DateEquals", Test::Date(Order::Equals), false),
    ("DateNotEquals", Test::Date(Order::Equals), true),
    ("DateLessThan", Test::Date(Order::LessThan), false),
    (
        "DateLessThanEquals",
        Test::Date(Order::LessThanEquals),
        false,
    ),
    ("DateGreaterThan", Test::Date(Order::GreaterThan), false),
    (
        "DateGreaterThanEquals",
        Test::Date(Order::GreaterThanEquals),
        false,
    ),
    ("Bool", Test::Bool, false),
    ("BinaryEquals", Test::BinaryEquals, false),
    ("IpAddress", Test::IpAddress, false),
    ("NotIpAddress", Test::IpAddress, true),
    ("ArnEquals", Test::Arn, false),
    ("ArnLike", Test::Arn, false),
    ("ArnNotEquals", Test::Arn, true),
    ("ArnNotLike", Test::Arn, true),
    ("Null", Test::Null, false),
];

impl Operator {
    /// Reads an operator name (case-insensitive, as IAM accepts them); `Null` takes no `IfExists`.
    pub(crate) fn parse(name: &str) -> Option<Operator> {
        let strip = |prefix: &str, text: &str| -> Option<usize> {
            let b = text.as_bytes();
            (b.len() > prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()))
                .then_some(prefix.len())
        };
        let (qualifier, start) = if let Some(n) = strip("ForAllValues:", name) {
            (Qualifier::AllValues, n)
        } else if let Some(n) = strip("ForAnyValue:", name) {
            (Qualifier::AnyValue, n)
        } else {
            (Qualifier::Single, 0)
        };
        let rest = &name[start..];
        const SUFFIX: &str = "IfExists";
        let (base, if_exists) = if rest.len() > SUFFIX.len()
            && rest.is_char_boundary(rest.len() - SUFFIX.len())
            && rest[rest.len() - SUFFIX.len()..].eq_ignore_ascii_case(SUFFIX)
        {
            (&rest[..rest.len() - SUFFIX.len()], true)
        } else {
            (rest, false)
        };
        let &(_, test, negated) = BASES.iter().find(|(n, ..)| n.eq_ignore_ascii_case(base))?;
        if if_exists && test == Test::Null {
            return None;
        }
        Some(Operator {
            qualifier,
            test,
            negated,
            if_exists,
        })
    }
}

/// One key of one operator block: `{"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub operator: Operator,
    /// In lower case.
    pub key: String,
    /// JSON scalars as their text (`true`, `3600`).
    pub values: Vec<String>,
}

impl Condition {
    pub(crate) fn holds(&self, cx: &Context) -> bool {
        let op = self.operator;
        let have = cx.get(&self.key).filter(|v| !v.is_empty());
        if op.test == Test::Null {
            // `"true"`: the key must be absent; `"false"`: present.
            return self
                .values
                .iter()
                .any(|v| match v.to_ascii_lowercase().as_str() {
                    "true" => have.is_none(),
                    "false" => have.is_some(),
                    _ => false,
                });
        }
        let Some(have) = have else {
            return match op.qualifier {
                _ if op.if_exists => true,
                Qualifier::Single => op.negated,
                Qualifier::AnyValue => false,
                Qualifier::AllValues => true,
            };
        };
        // A context value passes when it matches a policy value (or, negated, matches none).
        let passes =
            |v: &String| self.values.iter().any(|p| compare(op.test, v, p, cx)) != op.negated;
        match op.qualifier {
            Qualifier::Single if op.negated => have.iter().all(passes),
            Qualifier::Single | Qualifier::AnyValue => have.iter().any(passes),
            Qualifier::AllValues => have.iter().all(passes),
        }
    }
}

/// Whether the request's value `have` matches the policy's value `want` under `test`.
fn compare(test: Test, have: &str, want: &str, cx: &Context) -> bool {
    match test {
        Test::StringEquals => expand(want, cx).is_some_and(|t| text_of(&t) == have),
        Test::StringEqualsIgnoreCase => {
            expand(want, cx).is_some_and(|t| text_of(&t).to_lowercase() == have.to_lowercase())
        }
        Test::StringLike => expand(want, cx).is_some_and(|t| glob(&t, have, true)),
        Test::Numeric(order) => match (number(have), number(want)) {
            (Some(h), Some(w)) => ordered(order, h.partial_cmp(&w)),
            _ => false,
        },
        Test::Date(order) => match (date(have), date(want)) {
            (Some(h), Some(w)) => ordered(order, Some(h.cmp(&w))),
            _ => false,
        },
        Test::Bool => {
            let b = |s: &str| match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            matches!((b(have), b(want)), (Some(h), Some(w)) if h == w)
        }
        Test::BinaryEquals => have == want,
        Test::IpAddress => in_network(have, want),
        Test::Arn => expand(want, cx).is_some_and(|t| arn_matches(&t, have)),
        Test::Null => false,
    }
}

fn ordered(order: Order, cmp: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    matches!(
        (order, cmp),
        (Order::Equals, Some(Equal))
            | (Order::LessThan, Some(Less))
            | (Order::LessThanEquals, Some(Less | Equal))
            | (Order::GreaterThan, Some(Greater))
            | (Order::GreaterThanEquals, Some(Greater | Equal))
    )
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as IAM reads one: an ISO 8601 date or date-time (`2020-01-01`, `2020-01-01T12:00:00Z`,
/// with an offset or fractional seconds, or without seconds) or epoch seconds. Nanoseconds since
/// the epoch.
pub(crate) fn date(s: &str) -> Option<i128> {
    use time::format_description::well_known::{Iso8601, Rfc3339};
    use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};
    let s = s.trim();
    if let Some(n) = number(s).filter(|_| s.bytes().all(|b| b.is_ascii_digit() || b == b'.')) {
        return Some((n * 1e9) as i128);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    let d = Date::parse(s, &Iso8601::DEFAULT).ok()?;
    Some(
        PrimitiveDateTime::new(d, Time::MIDNIGHT)
            .assume_utc()
            .unix_timestamp_nanos(),
    )
}

/// Whether the address `have` is in `want`, a CIDR block or one address (IPv4 or IPv6).
fn in_network(have: &str, want: &str) -> bool {
    let Ok(addr) = have.trim().parse::<IpAddr>() else {
        return false;
    };
    let want = want.trim();
    if let Ok(net) = want.parse::<ipnet::IpNet>() {
        return net.contains(&addr);
    }
    want.parse::<IpAddr>().is_ok_and(|w| w == addr)
}

/// ArnEquals / ArnLike: the six colon-separated components compared one by one, each with the
/// wildcards; the last component keeps its colons.
fn arn_matches(pattern: &[Tok], arn: &str) -> bool {
    let mut want: Vec<&[Tok]> = Vec::with_capacity(6);
    let mut rest = pattern;
    while want.len() < 5 {
        match rest.iter().position(|t| *t == Tok::Char(':')) {
            Some(i) => {
                want.push(&rest[..i]);
                rest = &rest[i + 1..];
            }
            None => return false,
        }
    }
    want.push(rest);
    let have: Vec<&str> = arn.splitn(6, ':').collect();
    have.len() == 6 && want.iter().zip(&have).all(|(w, h)| glob(w, h, true))
}

// ---- wildcards and policy variables ----

/// A pattern character: a literal, `*` (any run) or `?` (any one character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Char(char),
    Star,
    One,
}

fn literal_tokens(p: &str) -> Vec<Tok> {
    p.chars()
        .map(|c| match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Char(c),
        })
        .collect()
}

/// A pattern whose only wildcard is `*` (a `?` is a literal character): Huawei's action patterns.
pub(crate) fn star_tokens(p: &str) -> Vec<Tok> {
    p.chars()
        .map(|c| match c {
            '*' => Tok::Star,
            c => Tok::Char(c),
        })
        .collect()
}

/// The pattern's text for exact comparison (a wildcard compares as its character).
fn text_of(tokens: &[Tok]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Tok::Char(c) => *c,
            Tok::Star => '*',
            Tok::One => '?',
        })
        .collect()
}

/// Substitutes policy variables: `${key}` and `${key, 'default'}` become the key's value (as
/// literal characters), `${*}`, `${?}`, `${$}` the literal characters. `None` when a variable's
/// key is missing and has no default: the value then matches nothing.
pub(crate) fn expand(p: &str, cx: &Context) -> Option<Vec<Tok>> {
    let mut out = Vec::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest.find("${") {
        out.extend(literal_tokens(&rest[..i]));
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.extend(literal_tokens(&rest[i..]));
            return Some(out);
        };
        let inner = after[..end].trim();
        match inner {
            "*" | "?" | "$" => out.push(Tok::Char(inner.chars().next().unwrap_or('$'))),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        let d = d
                            .strip_prefix('\'')
                            .and_then(|d| d.strip_suffix('\''))
                            .unwrap_or(d);
                        (k.trim(), Some(d))
                    }
                    None => (inner, None),
                };
                let value = cx
                    .get(key)
                    .and_then(|v| v.first())
                    .map(String::as_str)
                    .or(default)?;
                out.extend(value.chars().map(Tok::Char));
            }
        }
        rest = &after[end + 1..];
    }
    out.extend(literal_tokens(rest));
    Some(out)
}

/// Wildcard match of a whole text; `case` for case-sensitive comparison (ASCII case otherwise).
pub(crate) fn glob(pattern: &[Tok], text: &str, case: bool) -> bool {
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if case {
            a == b
        } else {
            a.eq_ignore_ascii_case(&b)
        }
    };
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        match pattern.get(pi) {
            Some(Tok::One) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Char(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Star) => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    pattern[pi..].iter().all(|t| *t == Tok::Star)
}
