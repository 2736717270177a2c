//! Huawei Cloud's SCP language (its identity-policy language, version "5.0"), as far as Huawei
//! documents it for Organizations, and the one evaluation orgd makes of it: which `Deny`
//! statements of a (dry-run) SCP name an action.
//!
//! Grammar (Huawei's SCP syntax and "Creating an SCP" pages; API.md §9, MAPPING.md §4.1): a JSON
//! object with `Version` and `Statement` and nothing else. `Version` must be `"5.0"` ("the Version
//! value of a custom policy must be 5.0"). `Statement` is a non-empty array of statements. A
//! statement has an optional string `Sid`, an `Effect` of `Allow` or `Deny`, an `Action` (a string
//! or a non-empty array of strings), an optional `Resource` (the same) and an optional `Condition`,
//! which only `Deny` statements may have ("when Effect is Allow, the Condition element is not
//! allowed"). Actions are `*` or three colon-separated parts, `service:resource:action`
//! (`ram:resourceShares:create`), any of which may hold `*` wildcards. `NotAction`,
//! `NotResource` and `Principal` are AWS's and are refused.
//!
//! Huawei does not publish its list of condition operators for SCPs, so `Condition` is checked
//! for shape only: `{operator: {key: value or [values]}}` with non-empty names and scalar values.

use super::PolicyContentError;
use super::json::Json;

/// The only version Huawei accepts in a custom SCP.
pub const VERSION: &str = "5.0";

/// A cloud service whose resources Huawei tag policies can enforce tags on
/// (`list_tag_policy_services`): the service, its resource types, and whether `<service>:*`
/// (every type of the service) is allowed in `enforced_for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagPolicyService {
    pub service: &'static str,
    pub resource_types: &'static [&'static str],
    pub all_types: bool,
}

/// The catalogue of services tag policies can enforce, as far as sources show it. Huawei's
/// "Cloud Services for Using Tag Policies" page could not be read; its guide names `ces:alarm`
/// (Cloud Eye alarm rules) as an enforceable type, and the API reference's example answer lists
/// the types `account` and `ou`, which are Organizations' own taggable resources (with `policy`
/// and `root`, the other two of its TMS resource types). orgd does not check `enforced_for`
/// against this list.
pub const TAG_POLICY_SERVICES: &[TagPolicyService] = &[
    TagPolicyService {
        service: "ces",
        resource_types: &["alarm"],
        all_types: false,
    },
    TagPolicyService {
        service: "organizations",
        resource_types: &["account", "ou", "policy", "root"],
        all_types: true,
    },
];

type Result<T = ()> = std::result::Result<T, PolicyContentError>;

fn bad(path: impl Into<String>, message: impl Into<String>) -> PolicyContentError {
    PolicyContentError::malformed(path, message)
}

/// One statement, as much of it as orgd evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub deny: bool,
    pub actions: Vec<String>,
    /// It has a `Condition`, which orgd does not evaluate.
    pub conditional: bool,
    /// It names resources other than `*`, which orgd does not narrow.
    pub narrowed: bool,
}

/// Checks an SCP document (already parsed) against Huawei's grammar and returns its statements.
pub(crate) fn scp(doc: &Json) -> Result<Vec<Statement>> {
    let Json::Object(members) = doc else {
        return Err(bad(
            "",
            format!("The policy must be a JSON object, not {}.", doc.kind()),
        ));
    };
    let (mut version, mut statement) = (None, None);
    for (key, value) in members {
        match key.as_str() {
            "Version" => version = Some(value),
            "Statement" => statement = Some(value),
            other => {
                return Err(bad(
                    "",
                    format!(
                        "Unknown element \"{other}\": a policy has only Version and Statement at \
                         its top level."
                    ),
                ));
            }
        }
    }
    match version {
        None => return Err(bad("", "The policy has no Version element; use \"5.0\".")),
        Some(Json::String(v)) if v == VERSION => {}
        Some(Json::String(v)) => {
            return Err(bad(
                "Version",
                format!("\"{v}\" is not accepted: the Version of a custom policy must be \"5.0\"."),
            ));
        }
        Some(other) => return Err(bad("Version", must_be("a string", other))),
    }
    match statement {
        None => Err(bad("", "The policy has no Statement element.")),
        Some(Json::Array(items)) if items.is_empty() => Err(bad(
            "Statement",
            "The Statement array must hold at least one statement.",
        )),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| check_statement(&format!("Statement[{i}]"), s))
            .collect(),
        Some(other) => Err(bad("Statement", must_be("an array of statements", other))),
    }
}

fn must_be(what: &str, v: &Json) -> String {
    format!("This element must be {what}, not {}.", v.kind())
}

/// A string or a non-empty array of strings.
fn strings(path: &str, v: &Json) -> Result<Vec<String>> {
    match v {
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(items) if items.is_empty() => {
            Err(bad(path, "This element must not be an empty array."))
        }
        Json::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::String(s) => Ok(s.clone()),
                other => Err(bad(format!("{path}[{i}]"), must_be("a string", other))),
            })
            .collect(),
        other => Err(bad(path, must_be("a string or an array of strings", other))),
    }
}

fn check_statement(path: &str, statement: &Json) -> Result<Statement> {
    let Json::Object(members) = statement else {
        return Err(bad(path, must_be("an object", statement)));
    };
    let at = |element: &str| format!("{path}.{element}");
    let (mut effect, mut actions, mut resources, mut condition) = (None, None, None, None);
    for (key, value) in members {
        match key.as_str() {
            "Sid" if matches!(value, Json::String(_)) => {}
            "Sid" => return Err(bad(at("Sid"), must_be("a string", value))),
            "Effect" => effect = Some(value),
            "Action" => actions = Some(strings(&at("Action"), value)?),
            "Resource" => resources = Some(strings(&at("Resource"), value)?),
            "Condition" => {
                check_condition(&at("Condition"), value)?;
                condition = Some(value);
            }
            other => {
                return Err(bad(
                    path,
                    format!(
                        "Unknown element \"{other}\" in a statement: an SCP statement has Sid, \
                         Effect, Action, Resource and Condition."
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
                format!("\"{e}\" is not an Effect: use \"Allow\" or \"Deny\"."),
            ));
        }
        Some(other) => return Err(bad(at("Effect"), must_be("a string", other))),
    };
    if !deny && condition.is_some() {
        return Err(bad(
            at("Condition"),
            "A statement whose Effect is Allow cannot have a Condition.",
        ));
    }
    let Some(actions) = actions else {
        return Err(bad(path, "The statement has no Action element."));
    };
    for (i, a) in actions.iter().enumerate() {
        if !is_action(a) {
            return Err(bad(
                format!("{}[{i}]", at("Action")),
                format!(
                    "\"{a}\" is not an action: use \"*\" or service:resource:action, such as \
                     \"ecs:cloudServers:create\"."
                ),
            ));
        }
    }
    if let Some(rs) = &resources
        && let Some(i) = rs.iter().position(|r| r.is_empty())
    {
        return Err(bad(
            format!("{}[{i}]", at("Resource")),
            "A resource must be \"*\" or a URN.",
        ));
    }
    Ok(Statement {
        deny,
        actions,
        conditional: condition.is_some(),
        narrowed: resources.is_some_and(|rs| rs.iter().any(|r| r != "*")),
    })
}

/// `*`, or three non-empty colon-separated parts without spaces.
fn is_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let parts: Vec<&str> = a.split(':').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && !p.contains(char::is_whitespace))
}

fn check_condition(path: &str, v: &Json) -> Result {
    let Json::Object(operators) = v else {
        return Err(bad(path, must_be("an object", v)));
    };
    for (op, keys) in operators {
        let at = format!("{path}.{op}");
        if op.is_empty() {
            return Err(bad(path, "A condition operator must not be empty."));
        }
        let Json::Object(keys) = keys else {
            return Err(bad(at, must_be("an object", keys)));
        };
        for (key, values) in keys {
            if key.is_empty() {
                return Err(bad(&at, "A condition key must not be empty."));
            }
            let ok = match values {
                Json::Array(items) => !items.is_empty() && items.iter().all(Json::is_scalar),
                other => other.is_scalar(),
            };
            if !ok {
                return Err(bad(
                    format!("{at}.{key}"),
                    "A condition value must be a string, number or boolean, or a non-empty array \
                     of them.",
                ));
            }
        }
    }
    Ok(())
}

/// Whether an action pattern names `action`: the evaluator's wildcard match (`eval::glob`),
/// without regard to ASCII case, as Huawei compares action names. `*` is the only wildcard, as
/// Huawei documents no other: a `?` is a literal character here (AWS's `?` matches any one).
pub(crate) fn action_matches(pattern: &str, action: &str) -> bool {
    super::eval::glob(&super::eval::star_tokens(pattern), action, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::json;

    fn check(doc: &str) -> Result<Vec<Statement>> {
        scp(&json::parse(doc).expect("test documents are JSON"))
    }

    fn error(doc: &str) -> String {
        check(doc).unwrap_err().to_string()
    }

    const HUAWEI_EXAMPLE: &str = r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":["ram:resourceShares:create"],"Resource":["*"],"Condition":{"ForAnyValue:StringNotEquals":{"g:RequestTag/owner":["Alice","Jack"]}}}]}"#;

    #[test]
    fn huaweis_documented_example_is_valid() {
        let s = check(HUAWEI_EXAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert!(s[0].deny && s[0].conditional && !s[0].narrowed);
        assert_eq!(s[0].actions, ["ram:resourceShares:create"]);
    }

    #[test]
    fn the_version_must_be_5_0() {
        assert!(error(r#"{"Statement":[{"Effect":"Allow","Action":"*"}]}"#).contains("no Version"));
        let aws = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}"#;
        assert!(error(aws).starts_with("Version: "), "{}", error(aws));
        assert!(error(r#"{"Version":5,"Statement":[]}"#).contains("must be a string"));
    }

    #[test]
    fn statement_must_be_a_non_empty_array() {
        assert!(error(r#"{"Version":"5.0","Statement":[]}"#).contains("at least one"));
        assert!(
            error(r#"{"Version":"5.0","Statement":{"Effect":"Allow","Action":"*"}}"#)
                .starts_with("Statement: ")
        );
        assert!(error(r#"{"Version":"5.0"}"#).contains("no Statement"));
    }

    #[test]
    fn allow_statements_cannot_have_conditions() {
        let doc = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":"*","Condition":{"StringEquals":{"g:PrincipalAccount":"x"}}}]}"#;
        assert!(
            error(doc).starts_with("Statement[0].Condition: "),
            "{}",
            error(doc)
        );
    }

    #[test]
    fn actions_have_three_parts() {
        for good in ["*", "ecs:*:*", "ecs:cloudServers:create", "obs:object:get*"] {
            let doc = format!(
                r#"{{"Version":"5.0","Statement":[{{"Effect":"Deny","Action":["{good}"]}}]}}"#
            );
            assert!(check(&doc).is_ok(), "{good}");
        }
        for bad in ["s3:GetObject", "ecs", "ecs::create", "a:b:c:d", ""] {
            let doc = format!(
                r#"{{"Version":"5.0","Statement":[{{"Effect":"Deny","Action":["{bad}"]}}]}}"#
            );
            assert!(error(&doc).starts_with("Statement[0].Action[0]: "), "{bad}");
        }
        assert!(
            error(r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":[]}]}"#)
                .contains("empty array")
        );
        assert!(
            error(r#"{"Version":"5.0","Statement":[{"Effect":"Deny"}]}"#).contains("no Action")
        );
    }

    #[test]
    fn aws_only_elements_are_refused() {
        for element in ["NotAction", "NotResource", "Principal"] {
            let doc = format!(
                r#"{{"Version":"5.0","Statement":[{{"Effect":"Deny","Action":"*","{element}":"*"}}]}}"#
            );
            assert!(error(&doc).contains(&format!("\"{element}\"")), "{element}");
        }
        assert!(
            error(r#"{"Version":"5.0","Id":"x","Statement":[]}"#)
                .contains("Unknown element \"Id\"")
        );
    }

    #[test]
    fn effect_and_conditions_are_checked() {
        let doc = r#"{"Version":"5.0","Statement":[{"Effect":"Maybe","Action":"*"}]}"#;
        assert!(error(doc).starts_with("Statement[0].Effect: "));
        let doc = r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":"*","Condition":{"StringEquals":{"k":{}}}}]}"#;
        assert!(error(doc).starts_with("Statement[0].Condition.StringEquals.k: "));
        let doc =
            r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":"*","Condition":[]}]}"#;
        assert!(error(doc).starts_with("Statement[0].Condition: "));
    }

    #[test]
    fn resources_other_than_star_mark_the_statement_narrowed() {
        let doc = r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":"*","Resource":["obs:*:*:bucket:b"]}]}"#;
        assert!(check(doc).unwrap()[0].narrowed);
    }

    #[test]
    fn action_patterns_match_with_wildcards_and_without_case() {
        assert!(action_matches("*", "ecs:cloudServers:create"));
        assert!(action_matches("ecs:*:*", "ecs:cloudServers:create"));
        assert!(action_matches(
            "ECS:cloudservers:CREATE",
            "ecs:cloudServers:create"
        ));
        assert!(action_matches(
            "ecs:cloudServers:get*",
            "ecs:cloudServers:getDetail"
        ));
        assert!(action_matches("ecs:*:create", "ecs:volumes:create"));
        assert!(!action_matches("ecs:*:create", "ecs:volumes:delete"));
        assert!(!action_matches(
            "ecs:cloudServers:create",
            "ecs:cloudServers:createX"
        ));
        assert!(!action_matches("evs:*:*", "ecs:cloudServers:create"));
        assert!(!action_matches("ecs:a*a:x", "ecs:a:x"));
        // `?` is no wildcard in Huawei's language.
        assert!(!action_matches(
            "ecs:cloudServers:ge?",
            "ecs:cloudServers:get"
        ));
        assert!(action_matches(
            "ecs:cloudServers:ge?",
            "ECS:cloudServers:ge?"
        ));
    }
}
