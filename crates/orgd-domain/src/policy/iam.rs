//! The IAM policy language as AWS Organizations accepts it in authorization policies.
//!
//! Common to SCPs and RCPs (IAM JSON policy reference): a JSON object with `Version`
//! (`"2012-10-17"` or `"2008-10-17"`; optional, as the Organizations guide's own examples omit
//! it), `Id` (a string) and `Statement` (one statement object or a non-empty array of them), and
//! no other member. A statement has an optional string `Sid`, an `Effect` of `Allow` or `Deny`,
//! exactly one of `Action`/`NotAction`, at most one of `Resource`/`NotResource`, and an optional
//! `Condition` (`{operator: {key: value or [values]}}` with IAM's condition operators, their
//! `IfExists` forms and `ForAllValues:`/`ForAnyValue:` qualifiers). Actions are `*` or
//! `service:action` with exactly one colon; resources are `*` or ARNs.
//!
//! SCPs ("SCP syntax", with the September 2025 full IAM language support): `Allow` and `Deny`
//! statements may both use `NotAction`, `Resource` ARNs, `NotResource`, `Condition`, and wildcards
//! anywhere in the action name; `Principal` and `NotPrincipal` are not supported.
//!
//! RCPs ("RCP syntax"): customer-managed RCPs only `Deny` (`Allow` exists only in the AWS managed
//! `RCPFullAWSAccess`, which orgd creates itself and never validates); every statement needs
//! `Principal`, which can only be `"*"`, an `Action` naming a service (a bare `"*"` is refused),
//! and a `Resource` or `NotResource`; `NotAction` and `NotPrincipal` are not supported.

use super::eval::{Condition, Document, Effect, Elements, Operator, Principals, Statement};
use super::json::Json;
use super::{PolicyContentError, PolicyType};

/// Versions of the IAM policy language.
const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

type Result<T = ()> = std::result::Result<T, PolicyContentError>;

fn bad(path: impl Into<String>, message: impl Into<String>) -> PolicyContentError {
    PolicyContentError::malformed(path, message)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Scp,
    Rcp,
    /// The organization's resource policy: a resource-based policy (`Principal` or
    /// `NotPrincipal`, either effect).
    Resource,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::Scp => "service control policies",
            Family::Rcp => "resource control policies",
            Family::Resource => "resource policies",
        }
    }

    pub(crate) fn of(ty: PolicyType) -> Family {
        match ty {
            PolicyType::ServiceControl => Family::Scp,
            PolicyType::ResourceControl => Family::Rcp,
            other => unreachable!("{other} is not an authorization policy"),
        }
    }
}

/// Checks a document (already parsed) against its family's grammar and returns it parsed.
pub(crate) fn parse(family: Family, doc: &Json) -> Result<Document> {
    let Json::Object(members) = doc else {
        return Err(bad(
            "",
            format!("The policy must be a JSON object, not {}.", doc.kind()),
        ));
    };
    let mut statement = None;
    for (key, value) in members {
        match key.as_str() {
            "Version" => match value {
                Json::String(v) if VERSIONS.contains(&v.as_str()) => {}
                Json::String(v) => {
                    return Err(bad(
                        "Version",
                        format!("\"{v}\" is not a policy language version; use \"2012-10-17\"."),
                    ));
                }
                other => return Err(bad("Version", must_be_string(other))),
            },
            "Id" => {
                string(value, "Id")?;
            }
            "Statement" => statement = Some(value),
            other => {
                return Err(bad(
                    "",
                    format!(
                        "Unknown element \"{other}\": a policy has only Version, Id and Statement \
                         at its top level."
                    ),
                ));
            }
        }
    }
    let statements = match statement {
        None => Err(bad("", "The policy has no Statement element.")),
        Some(s @ Json::Object(_)) => check_statement(family, "Statement", s).map(|s| vec![s]),
        Some(Json::Array(items)) if items.is_empty() => Err(bad(
            "Statement",
            "The Statement array must hold at least one statement.",
        )),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| check_statement(family, &format!("Statement[{i}]"), s))
            .collect(),
        Some(other) => Err(bad(
            "Statement",
            format!(
                "Statement must be an object or an array of objects, not {}.",
                other.kind()
            ),
        )),
    }?;
    Ok(Document { statements })
}

fn must_be_string(v: &Json) -> String {
    format!("This element must be a string, not {}.", v.kind())
}

fn string<'a>(v: &'a Json, path: &str) -> Result<&'a str> {
    match v {
        Json::String(s) => Ok(s),
        other => Err(bad(path, must_be_string(other))),
    }
}

fn check_statement(family: Family, path: &str, statement: &Json) -> Result<Statement> {
    let Json::Object(members) = statement else {
        return Err(bad(
            path,
            format!(
                "A statement must be a JSON object, not {}.",
                statement.kind()
            ),
        ));
    };
    let at = |element: &str| format!("{path}.{element}");
    let (mut effect, mut action, mut not_action) = (None, None, None);
    let (mut resource, mut not_resource, mut principal) = (None, None, None);
    let (mut sid, mut conditions, mut not_principal) = (None, Vec::new(), None);
    for (key, value) in members {
        match key.as_str() {
            "Sid" => sid = Some(string(value, &at("Sid"))?.to_string()),
            "Effect" => effect = Some(value),
            "Action" => action = Some(value),
            "NotAction" => not_action = Some(value),
            "Resource" => resource = Some(value),
            "NotResource" => not_resource = Some(value),
            "Condition" => conditions = check_condition(&at("Condition"), value)?,
            "Principal" => principal = Some(value),
            "NotPrincipal" if family == Family::Resource => not_principal = Some(value),
            "NotPrincipal" => {
                return Err(bad(
                    at("NotPrincipal"),
                    format!(
                        "The NotPrincipal element is not supported in {}.",
                        family.name()
                    ),
                ));
            }
            other => {
                return Err(bad(
                    path,
                    format!(
                        "Unknown element \"{other}\" in a statement: {} use Sid, Effect, {}, \
                         and Condition.",
                        family.name(),
                        match family {
                            Family::Scp => "Action or NotAction, Resource or NotResource",
                            Family::Rcp => "Principal, Action, Resource or NotResource",
                            Family::Resource =>
                                "Principal or NotPrincipal, Action or NotAction, Resource or \
                                 NotResource",
                        }
                    ),
                ));
            }
        }
    }

    let deny = match effect {
        None => return Err(bad(path, "The statement has no Effect element.")),
        Some(Json::String(e)) if e == "Deny" => true,
        Some(Json::String(e)) if e == "Allow" => false,
        Some(Json::String(e)) => {
            return Err(bad(
                at("Effect"),
                format!("\"{e}\" is not an effect; use \"Allow\" or \"Deny\"."),
            ));
        }
        Some(other) => return Err(bad(at("Effect"), must_be_string(other))),
    };

    let mut principals = None;
    match family {
        Family::Scp => {
            if principal.is_some() {
                return Err(bad(
                    at("Principal"),
                    "The Principal element is not supported in service control policies.",
                ));
            }
        }
        Family::Rcp => {
            if !deny {
                return Err(bad(
                    at("Effect"),
                    "Resource control policies can only deny: the Effect must be \"Deny\".",
                ));
            }
            match principal {
                None => return Err(bad(path, "An RCP statement must have a Principal element.")),
                Some(Json::String(p)) if p == "*" => {}
                Some(_) => {
                    return Err(bad(
                        at("Principal"),
                        "The Principal of an RCP statement can only be \"*\"; restrict principals \
                         with a Condition instead.",
                    ));
                }
            }
            if not_action.is_some() {
                return Err(bad(
                    at("NotAction"),
                    "The NotAction element is not supported in resource control policies.",
                ));
            }
            principals = Some(Principals {
                negated: false,
                anyone: true,
                aws: Vec::new(),
                services: Vec::new(),
            });
        }
        Family::Resource => {
            principals = Some(match (principal, not_principal) {
                (Some(_), Some(_)) => {
                    return Err(bad(
                        path,
                        "A statement cannot have both Principal and NotPrincipal.",
                    ));
                }
                (None, None) => {
                    return Err(bad(
                        path,
                        "A resource policy statement must have a Principal or a NotPrincipal \
                         element.",
                    ));
                }
                (Some(p), None) => check_principal(&at("Principal"), p, false)?,
                (None, Some(p)) => check_principal(&at("NotPrincipal"), p, true)?,
            });
        }
    }

    let actions = match (action, not_action) {
        (Some(_), Some(_)) => {
            return Err(bad(
                path,
                "A statement cannot have both Action and NotAction.",
            ));
        }
        (None, None) => {
            return Err(bad(
                path,
                match family {
                    Family::Rcp => "The statement must have an Action element.",
                    _ => "The statement must have an Action or a NotAction element.",
                },
            ));
        }
        (Some(list), None) => check_actions(family, &at("Action"), list, false)?,
        (None, Some(list)) => check_actions(family, &at("NotAction"), list, true)?,
    };

    let resources = match (resource, not_resource) {
        (Some(_), Some(_)) => {
            return Err(bad(
                path,
                "A statement cannot have both Resource and NotResource.",
            ));
        }
        (None, None) if family == Family::Rcp => {
            return Err(bad(
                path,
                "An RCP statement must have a Resource or a NotResource element.",
            ));
        }
        (None, None) => None,
        (Some(list), None) => Some(check_resources(&at("Resource"), list, false)?),
        (None, Some(list)) => Some(check_resources(&at("NotResource"), list, true)?),
    };
    Ok(Statement {
        sid,
        effect: if deny { Effect::Deny } else { Effect::Allow },
        principal: principals,
        actions,
        resources,
        conditions,
    })
}

/// `"*"`, or an object of principal types (`AWS`, `Service`, `Federated`, `CanonicalUser`) each
/// with a string or a list of strings.
fn check_principal(path: &str, v: &Json, negated: bool) -> Result<Principals> {
    let mut p = Principals {
        negated,
        anyone: false,
        aws: Vec::new(),
        services: Vec::new(),
    };
    match v {
        Json::String(s) if s == "*" => p.anyone = true,
        Json::Object(types) if !types.is_empty() => {
            for (ty, names) in types {
                let at = format!("{path}.{ty}");
                let names = strings(&at, names)?;
                match ty.as_str() {
                    "AWS" => {
                        for (at, name) in names {
                            let account =
                                name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit());
                            let arn = name.starts_with("arn:")
                                && name.bytes().filter(|&b| b == b':').count() >= 5;
                            if name != "*" && !account && !arn {
                                return Err(bad(
                                    at,
                                    format!(
                                        "\"{name}\" is not a principal: use \"*\", an account ID or an ARN."
                                    ),
                                ));
                            }
                            p.anyone |= name == "*";
                            p.aws.push(name.to_string());
                        }
                    }
                    "Service" => p
                        .services
                        .extend(names.into_iter().map(|(_, n)| n.to_string())),
                    "Federated" | "CanonicalUser" => {}
                    other => {
                        return Err(bad(
                            at,
                            format!(
                                "\"{other}\" is not a principal type: use AWS, Service, Federated or \
                                 CanonicalUser."
                            ),
                        ));
                    }
                }
            }
        }
        other => {
            return Err(bad(
                path,
                format!(
                    "A principal must be \"*\" or an object such as {{\"AWS\": ...}}, not {}.",
                    other.kind()
                ),
            ));
        }
    }
    Ok(p)
}

/// A string or a non-empty array of strings, each with its own path.
fn strings<'a>(path: &str, v: &'a Json) -> Result<Vec<(String, &'a str)>> {
    match v {
        Json::String(s) => Ok(vec![(path.to_string(), s.as_str())]),
        Json::Array(items) if items.is_empty() => {
            Err(bad(path, "The list must hold at least one value."))
        }
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::String(s) => Ok((format!("{path}[{i}]"), s.as_str())),
                other => Err(bad(format!("{path}[{i}]"), must_be_string(other))),
            })
            .collect(),
        other => Err(bad(
            path,
            format!(
                "This element must be a string or an array of strings, not {}.",
                other.kind()
            ),
        )),
    }
}

fn check_actions(family: Family, path: &str, v: &Json, negated: bool) -> Result<Elements> {
    let mut patterns = Vec::new();
    for (path, action) in strings(path, v)? {
        check_action(family, &path, action)?;
        patterns.push(action.to_string());
    }
    Ok(Elements { negated, patterns })
}

fn check_action(family: Family, path: &str, action: &str) -> Result {
    if action == "*" {
        return match family {
            Family::Scp | Family::Resource => Ok(()),
            Family::Rcp => Err(bad(
                path,
                "A resource control policy cannot use \"*\" as an action; name the service, as \
                 in \"s3:*\".",
            )),
        };
    }
    let Some((service, name)) = action.split_once(':') else {
        return Err(bad(
            path,
            format!(
                "\"{action}\" is not an action: write \"*\" or service:action, as in \"s3:GetObject\"."
            ),
        ));
    };
    if name.contains(':') {
        return Err(bad(
            path,
            format!("\"{action}\": an action can contain only one colon."),
        ));
    }
    if service.is_empty()
        || !service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(bad(
            path,
            format!(
                "\"{action}\": \"{service}\" is not a service prefix (letters, digits and hyphens)."
            ),
        ));
    }
    let name_ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'?' | b'-' | b'_');
    if name.is_empty() || !name.bytes().all(name_ok) {
        return Err(bad(
            path,
            format!(
                "\"{action}\": \"{name}\" is not an action name (letters, digits and the wildcards * and ?)."
            ),
        ));
    }
    Ok(())
}

fn check_resources(path: &str, v: &Json, negated: bool) -> Result<Elements> {
    let mut patterns = Vec::new();
    for (path, resource) in strings(path, v)? {
        let arn =
            resource.starts_with("arn:") && resource.bytes().filter(|&b| b == b':').count() >= 5;
        if resource != "*" && !arn {
            return Err(bad(
                path,
                format!(
                    "\"{resource}\" is not a resource: use \"*\" or an ARN (arn:partition:service:region:account:resource)."
                ),
            ));
        }
        patterns.push(resource.to_string());
    }
    Ok(Elements { negated, patterns })
}

fn check_condition(path: &str, v: &Json) -> Result<Vec<Condition>> {
    let Json::Object(blocks) = v else {
        return Err(bad(
            path,
            format!("Condition must be an object, not {}.", v.kind()),
        ));
    };
    let mut conditions = Vec::new();
    for (operator, block) in blocks {
        let at = format!("{path}.{operator}");
        let Some(op) = Operator::parse(operator) else {
            return Err(bad(
                at,
                format!("\"{operator}\" is not a condition operator."),
            ));
        };
        let Json::Object(entries) = block else {
            return Err(bad(
                at,
                format!(
                    "A condition operator takes an object of condition keys, not {}.",
                    block.kind()
                ),
            ));
        };
        if entries.is_empty() {
            return Err(bad(at, "The condition operator names no condition key."));
        }
        for (key, value) in entries {
            let at = format!("{at}.{key}");
            if key.is_empty() {
                return Err(bad(at, "A condition key cannot be empty."));
            }
            let values = match value {
                v if v.is_scalar() => vec![scalar_text(v)],
                Json::Array(values) if values.is_empty() => {
                    return Err(bad(at, "The condition key has an empty list of values."));
                }
                Json::Array(values) => {
                    if let Some(i) = values.iter().position(|v| !v.is_scalar()) {
                        return Err(bad(
                            format!("{at}[{i}]"),
                            format!(
                                "A condition value must be a string, number or boolean, not {}.",
                                values[i].kind()
                            ),
                        ));
                    }
                    values.iter().map(scalar_text).collect()
                }
                other => {
                    return Err(bad(
                        at,
                        format!(
                            "A condition value must be a string, number, boolean or an array of \
                             them, not {}.",
                            other.kind()
                        ),
                    ));
                }
            };
            conditions.push(Condition {
                operator: op,
                key: key.to_ascii_lowercase(),
                values,
            });
        }
    }
    Ok(conditions)
}

/// A condition value's text: IAM compares numbers and booleans written in JSON by their text.
fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{PolicyContentError, PolicyType, validate_content};

    const SCP: PolicyType = PolicyType::ServiceControl;
    const RCP: PolicyType = PolicyType::ResourceControl;

    fn ok(ty: PolicyType, doc: &str) {
        if let Err(e) = validate_content(ty, doc) {
            panic!("expected {ty} to accept {doc}, got: {e}");
        }
    }

    /// Asserts rejection and returns `path: message` for further checks.
    fn err(ty: PolicyType, doc: &str) -> String {
        match validate_content(ty, doc) {
            Ok(()) => panic!("expected {ty} to reject {doc}"),
            Err(e @ PolicyContentError::Malformed { .. }) => e.to_string(),
            Err(e) => panic!("expected a malformed-document error, got {e:?}"),
        }
    }

    fn scp_statement(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
    }

    fn rcp_statement(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":{statement}}}"#)
    }

    // ---- documented examples ----

    #[test]
    fn the_full_aws_access_policy_is_a_valid_scp() {
        ok(
            SCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
    }

    #[test]
    fn the_guides_deny_outside_eu_example_is_valid() {
        ok(
            SCP,
            r#"{
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "DenyAllOutsideEU",
                    "Effect": "Deny",
                    "NotAction": ["cloudfront:*", "iam:*", "route53:*", "support:*"],
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}
                }]
            }"#,
        );
    }

    #[test]
    fn the_guides_allow_with_condition_example_is_valid() {
        ok(
            SCP,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowServicesForSpecificPrincipal",
                "Effect":"Allow","Action":["ec2:*","s3:*"],"Resource":"*",
                "Condition":{"StringEquals":{"aws:PrincipalArn":["arn:aws:iam::123456789012:role/specific-role"]}}}]}"#,
        );
    }

    #[test]
    fn the_guides_not_resource_example_is_valid() {
        ok(
            SCP,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Statement1","Effect":"Deny",
                "Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],
                "NotResource":["arn:aws:bedrock:*::foundation-model/model-to-permit"]}]}"#,
        );
    }

    #[test]
    fn the_guides_statement_object_without_version_is_valid() {
        ok(
            SCP,
            r#"{"Statement":{"Sid":"AllowsAllActions","Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
    }

    #[test]
    fn the_guides_rcp_examples_are_valid() {
        ok(
            RCP,
            r#"{"Statement":{"Sid":"DenyBPAConfigurations","Effect":"Deny","Principal":"*",
                "Action":"s3:PutBucketPublicAccessBlock","Resource":"*"}}"#,
        );
        ok(
            RCP,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
                "Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}"#,
        );
    }

    // ---- document shape ----

    #[test]
    fn the_document_must_be_an_object() {
        assert!(err(SCP, "[]").contains("must be a JSON object, not an array"));
        assert!(err(SCP, r#""x""#).contains("not a string"));
    }

    #[test]
    fn invalid_json_is_reported_with_its_position() {
        let e = err(SCP, "{\"Statement\": [}");
        assert!(e.contains("not valid JSON") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn a_repeated_element_is_rejected() {
        let e = err(
            SCP,
            r#"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*"}}"#,
        );
        assert!(e.contains("\"Effect\" appears more than once"), "{e}");
    }

    #[test]
    fn version_must_be_a_known_language_version() {
        ok(
            SCP,
            r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*"}}"#,
        );
        let e = err(
            SCP,
            r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*"}}"#,
        );
        assert!(e.starts_with("Version:") && e.contains("2012-10-18"), "{e}");
        assert!(
            err(
                SCP,
                r#"{"Version":2012,"Statement":{"Effect":"Allow","Action":"*"}}"#
            )
            .contains("must be a string")
        );
    }

    #[test]
    fn id_is_accepted_when_it_is_a_string() {
        ok(
            SCP,
            r#"{"Id":"guardrails","Statement":{"Effect":"Allow","Action":"*"}}"#,
        );
        assert!(
            err(
                SCP,
                r#"{"Id":1,"Statement":{"Effect":"Allow","Action":"*"}}"#
            )
            .starts_with("Id:")
        );
    }

    #[test]
    fn unknown_top_level_elements_are_rejected() {
        let e = err(
            SCP,
            r#"{"Statement":{"Effect":"Allow","Action":"*"},"Comment":"x"}"#,
        );
        assert!(e.contains("Unknown element \"Comment\""), "{e}");
        // Element names are case-sensitive.
        assert!(
            err(SCP, r#"{"statement":{"Effect":"Allow","Action":"*"}}"#).contains("\"statement\"")
        );
    }

    #[test]
    fn statement_is_required_and_not_empty() {
        assert!(err(SCP, r#"{"Version":"2012-10-17"}"#).contains("no Statement"));
        assert!(err(SCP, r#"{"Statement":[]}"#).contains("at least one statement"));
        assert!(err(SCP, r#"{"Statement":"Allow"}"#).contains("object or an array of objects"));
        assert!(
            err(SCP, r#"{"Statement":[{"Effect":"Allow","Action":"*"}, 3]}"#)
                .starts_with("Statement[1]:")
        );
    }

    // ---- statements ----

    #[test]
    fn unknown_statement_elements_are_rejected() {
        let e = err(
            SCP,
            &scp_statement(r#"{"Effect":"Deny","Action":"*","Resources":"*"}"#),
        );
        assert!(
            e.starts_with("Statement[0]:") && e.contains("\"Resources\""),
            "{e}"
        );
    }

    #[test]
    fn sid_must_be_a_string() {
        ok(
            SCP,
            &scp_statement(r#"{"Sid":"Deny-1 all","Effect":"Deny","Action":"*"}"#),
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Sid":1,"Effect":"Deny","Action":"*"}"#)
            )
            .starts_with("Statement[0].Sid:")
        );
    }

    #[test]
    fn effect_is_required_and_is_allow_or_deny_exactly() {
        assert!(err(SCP, &scp_statement(r#"{"Action":"*"}"#)).contains("no Effect"));
        let e = err(SCP, &scp_statement(r#"{"Effect":"deny","Action":"*"}"#));
        assert!(
            e.starts_with("Statement[0].Effect:") && e.contains("\"deny\""),
            "{e}"
        );
        assert!(
            err(SCP, &scp_statement(r#"{"Effect":true,"Action":"*"}"#))
                .contains("must be a string")
        );
    }

    #[test]
    fn a_statement_needs_exactly_one_of_action_and_not_action() {
        assert!(
            err(SCP, &scp_statement(r#"{"Effect":"Deny","Resource":"*"}"#))
                .contains("Action or a NotAction")
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Effect":"Deny","Action":"*","NotAction":"s3:*"}"#)
            )
            .contains("both Action and NotAction")
        );
    }

    #[test]
    fn scps_accept_not_action_in_allow_statements() {
        ok(
            SCP,
            &scp_statement(r#"{"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}"#),
        );
    }

    #[test]
    fn scps_accept_resource_arns_and_conditions_in_allow_statements() {
        ok(
            SCP,
            &scp_statement(
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*",
                    "Condition":{"Bool":{"aws:SecureTransport":true}}}"#,
            ),
        );
    }

    #[test]
    fn scps_make_resource_optional_and_exclusive_with_not_resource() {
        ok(SCP, &scp_statement(r#"{"Effect":"Allow","Action":"s3:*"}"#));
        ok(
            SCP,
            &scp_statement(
                r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::logs"}"#,
            ),
        );
        assert!(
            err(
                SCP,
                &scp_statement(
                    r#"{"Effect":"Deny","Action":"*","Resource":"*","NotResource":"*"}"#
                )
            )
            .contains("both Resource and NotResource")
        );
    }

    #[test]
    fn scps_reject_principal_and_not_principal() {
        let e = err(
            SCP,
            &scp_statement(r#"{"Effect":"Deny","Principal":"*","Action":"*"}"#),
        );
        assert!(
            e.starts_with("Statement[0].Principal:") && e.contains("not supported"),
            "{e}"
        );
        let e = err(
            SCP,
            &scp_statement(r#"{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"*"}"#),
        );
        assert!(e.starts_with("Statement[0].NotPrincipal:"), "{e}");
    }

    // ---- actions ----

    #[test]
    fn actions_are_a_string_or_a_non_empty_list_of_strings() {
        ok(
            SCP,
            &scp_statement(r#"{"Effect":"Deny","Action":["iam:*","ec2:*","rds:*"]}"#),
        );
        assert!(
            err(SCP, &scp_statement(r#"{"Effect":"Deny","Action":[]}"#))
                .contains("at least one value")
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Effect":"Deny","Action":["s3:*",1]}"#)
            )
            .starts_with("Statement[0].Action[1]:")
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Effect":"Deny","Action":{"s3":"*"}}"#)
            )
            .contains("not an object")
        );
    }

    #[test]
    fn an_action_is_star_or_service_colon_name() {
        for good in [
            "*",
            "s3:*",
            "ec2:Describe*",
            "s3:Get?bject",
            "iam:*Role*",
            "resource-groups:List*",
        ] {
            ok(
                SCP,
                &scp_statement(&format!(r#"{{"Effect":"Deny","Action":"{good}"}}"#)),
            );
        }
        let cases = [
            ("s3", "not an action"),
            ("s3:Get:Object", "only one colon"),
            (":GetObject", "not a service prefix"),
            ("s 3:GetObject", "not a service prefix"),
            ("s*:GetObject", "not a service prefix"),
            ("s3:", "not an action name"),
            ("s3:Get Object", "not an action name"),
        ];
        for (action, why) in cases {
            let e = err(
                SCP,
                &scp_statement(&format!(r#"{{"Effect":"Deny","Action":"{action}"}}"#)),
            );
            assert!(e.contains(why), "{action}: {e}");
        }
    }

    #[test]
    fn scps_accept_wildcards_anywhere_in_the_action_name() {
        ok(
            SCP,
            &scp_statement(
                r#"{"Effect":"Allow","Action":["s3:*Object","ec2:Describe*Attribute"]}"#,
            ),
        );
    }

    // ---- resources ----

    #[test]
    fn a_resource_is_star_or_an_arn() {
        ok(
            SCP,
            &scp_statement(
                r#"{"Effect":"Deny","Action":"*","Resource":["arn:aws:iam::*:role/x","*"]}"#,
            ),
        );
        let e = err(
            SCP,
            &scp_statement(r#"{"Effect":"Deny","Action":"*","Resource":["*","bucket"]}"#),
        );
        assert!(
            e.starts_with("Statement[0].Resource[1]:") && e.contains("\"bucket\""),
            "{e}"
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3"}"#)
            )
            .contains("not a resource")
        );
        assert!(
            err(
                SCP,
                &scp_statement(r#"{"Effect":"Deny","Action":"*","NotResource":[]}"#)
            )
            .contains("at least one value")
        );
    }

    // ---- conditions ----

    #[test]
    fn condition_operators_include_if_exists_and_set_qualifiers() {
        for op in [
            "StringEquals",
            "StringNotLikeIfExists",
            "ForAnyValue:StringLike",
            "ForAllValues:StringEqualsIgnoreCase",
            "ArnNotLike",
            "NumericLessThanEquals",
            "DateGreaterThan",
            "IpAddress",
            "Null",
            "BinaryEquals",
        ] {
            let c = format!(
                r#"{{"Effect":"Deny","Action":"*","Condition":{{"{op}":{{"aws:x":"1"}}}}}}"#
            );
            ok(SCP, &scp_statement(&c));
        }
    }

    #[test]
    fn unknown_condition_operators_are_rejected() {
        for op in [
            "StringEqual",
            "NullIfExists",
            "ForSomeValues:StringLike",
            "IfExists",
            "ForAnyValue:",
        ] {
            let c = format!(
                r#"{{"Effect":"Deny","Action":"*","Condition":{{"{op}":{{"aws:x":"1"}}}}}}"#
            );
            let e = err(SCP, &scp_statement(&c));
            assert!(e.contains("not a condition operator"), "{op}: {e}");
        }
    }

    #[test]
    fn condition_blocks_map_keys_to_scalars_or_lists_of_scalars() {
        ok(
            SCP,
            &scp_statement(
                r#"{"Effect":"Deny","Action":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}"#,
            ),
        );
        let cases = [
            (r#""Condition":"x""#, "Condition must be an object"),
            (
                r#""Condition":{"StringEquals":"x"}"#,
                "object of condition keys",
            ),
            (
                r#""Condition":{"StringEquals":{}}"#,
                "names no condition key",
            ),
            (r#""Condition":{"StringEquals":{"aws:x":[]}}"#, "empty list"),
            (
                r#""Condition":{"StringEquals":{"aws:x":[{"a":1}]}}"#,
                "not an object",
            ),
            (r#""Condition":{"StringEquals":{"aws:x":null}}"#, "not null"),
            (
                r#""Condition":{"StringEquals":{"":"x"}}"#,
                "cannot be empty",
            ),
        ];
        for (condition, why) in cases {
            let e = err(
                SCP,
                &scp_statement(&format!(r#"{{"Effect":"Deny","Action":"*",{condition}}}"#)),
            );
            assert!(e.contains(why), "{condition}: {e}");
            assert!(e.starts_with("Statement[0].Condition"), "{e}");
        }
    }

    // ---- RCP specifics ----

    #[test]
    fn rcps_only_deny() {
        let e = err(
            RCP,
            &rcp_statement(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#),
        );
        assert!(
            e.starts_with("Statement.Effect:") && e.contains("only deny"),
            "{e}"
        );
    }

    #[test]
    fn rcps_need_a_principal_of_star() {
        assert!(
            err(
                RCP,
                &rcp_statement(r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#)
            )
            .contains("must have a Principal")
        );
        for principal in [
            r#"{"AWS":"*"}"#,
            r#"["*"]"#,
            r#""arn:aws:iam::111122223333:root""#,
        ] {
            let s = format!(
                r#"{{"Effect":"Deny","Principal":{principal},"Action":"s3:*","Resource":"*"}}"#
            );
            assert!(
                err(RCP, &rcp_statement(&s)).contains("can only be \"*\""),
                "{principal}"
            );
        }
    }

    #[test]
    fn rcps_reject_not_action_and_not_principal() {
        let e = err(
            RCP,
            &rcp_statement(
                r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}"#,
            ),
        );
        assert!(e.contains("NotAction element is not supported"), "{e}");
        let e = err(
            RCP,
            &rcp_statement(
                r#"{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}"#,
            ),
        );
        assert!(
            e.contains("NotPrincipal element is not supported in resource control policies"),
            "{e}"
        );
    }

    #[test]
    fn rcps_need_an_action_that_names_a_service() {
        assert!(
            err(
                RCP,
                &rcp_statement(r#"{"Effect":"Deny","Principal":"*","Resource":"*"}"#)
            )
            .contains("must have an Action")
        );
        let e = err(
            RCP,
            &rcp_statement(r#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}"#),
        );
        assert!(e.contains("cannot use \"*\" as an action"), "{e}");
        ok(
            RCP,
            &rcp_statement(
                r#"{"Effect":"Deny","Principal":"*","Action":["sts:*Role*","kms:?ecrypt"],"Resource":"*"}"#,
            ),
        );
    }

    #[test]
    fn rcps_need_a_resource_or_not_resource() {
        assert!(
            err(
                RCP,
                &rcp_statement(r#"{"Effect":"Deny","Principal":"*","Action":"s3:*"}"#)
            )
            .contains("Resource or a NotResource")
        );
        ok(
            RCP,
            &rcp_statement(
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}"#,
            ),
        );
    }
}
