//! The grammar of management policies (every type but SCPs and RCPs), from "Management policy
//! syntax and inheritance" / "Inheritance operators" and the per-type syntax pages.
//!
//! A document is a JSON object of *settings*. Every setting is an object whose members are either
//! nested settings (any name not starting with `@@`) or inheritance operators:
//! - `@@assign`: a string, number, boolean, or an array of them; replaces the inherited value.
//! - `@@append`, `@@remove`: an array of them (they apply only to multi-valued settings).
//! - `@@operators_allowed_for_child_policies`: a non-empty array drawn from `@@assign`,
//!   `@@append`, `@@remove`, or exactly `["@@all"]` or `["@@none"]`.
//!
//! A setting either sets a value (value-setting operators) or contains nested settings, never
//! both; a bare value where a setting belongs is refused (a displayed effective policy, which has
//! no operators, cannot be used as policy content). Any other `@@` name is refused. Setting names
//! are not case-sensitive, so two names differing only in case in one object are refused. The
//! top level holds settings, and may hold the child control operator, but no value.
//!
//! Per type: tag policies keep everything under `tags`, backup policies under `plans`, AI services
//! opt-out policies under `services`, and AI services opt-out policies use only `@@assign`.

use super::json::Json;
use super::{PolicyContentError, PolicyType};

pub(crate) const ASSIGN: u8 = 1;
pub(crate) const APPEND: u8 = 2;
pub(crate) const REMOVE: u8 = 4;
pub(crate) const ALL_OPERATORS: u8 = ASSIGN | APPEND | REMOVE;

const OP_ASSIGN: &str = "@@assign";
const OP_APPEND: &str = "@@append";
const OP_REMOVE: &str = "@@remove";
const OP_CHILD_CONTROL: &str = "@@operators_allowed_for_child_policies";

/// One setting of a parsed management policy.
#[derive(Debug, Default)]
pub(crate) struct Setting {
    /// The operators this policy allows policies attached below it to use on this setting.
    pub allowed: Option<u8>,
    pub assign: Option<Json>,
    pub append: Option<Vec<Json>>,
    pub remove: Option<Vec<Json>>,
    pub children: Vec<Child>,
    /// Whether this setting or one below it sets a value.
    pub sets_values: bool,
}

#[derive(Debug)]
pub(crate) struct Child {
    pub key: String,
    /// `key` lowercased: names are matched without regard to case.
    pub folded: String,
    pub setting: Setting,
}

impl Setting {
    pub(crate) fn has_value_operators(&self) -> bool {
        self.assign.is_some() || self.append.is_some() || self.remove.is_some()
    }
}

/// The name under which every setting of `ty` lives, where AWS fixes one.
fn required_top_level_key(ty: PolicyType) -> Option<&'static str> {
    match ty {
        PolicyType::Tag => Some("tags"),
        PolicyType::Backup => Some("plans"),
        PolicyType::AiServicesOptOut => Some("services"),
        _ => None,
    }
}

fn type_name(ty: PolicyType) -> &'static str {
    match ty {
        PolicyType::Tag => "tag policy",
        PolicyType::Backup => "backup policy",
        PolicyType::AiServicesOptOut => "AI services opt-out policy",
        _ => "management policy",
    }
}

/// Checks a management policy document and returns its settings tree.
pub(crate) fn parse(ty: PolicyType, doc: Json) -> Result<Setting, PolicyContentError> {
    let Json::Object(members) = doc else {
        return Err(PolicyContentError::malformed(
            "",
            format!("The policy must be a JSON object, not {}.", doc.kind()),
        ));
    };
    let root = parse_setting(ty, members, true)?;
    if let Some(required) = required_top_level_key(ty)
        && let Some(other) = root.children.iter().find(|c| c.folded != required)
    {
        return Err(PolicyContentError::malformed(
            "",
            format!(
                "Unknown top-level key \"{}\": a {} keeps its settings under \"{required}\".",
                other.key,
                type_name(ty)
            ),
        ));
    }
    Ok(root)
}

fn parse_setting(
    ty: PolicyType,
    members: Vec<(String, Json)>,
    top: bool,
) -> Result<Setting, PolicyContentError> {
    let mut setting = Setting::default();
    for (key, value) in members {
        if key.starts_with("@@") {
            match key.as_str() {
                OP_ASSIGN | OP_APPEND | OP_REMOVE if top => {
                    return Err(PolicyContentError::malformed(
                        "",
                        format!(
                            "The {key} operator cannot be used at the top level of a policy; put it \
                             inside a setting."
                        ),
                    ));
                }
                OP_ASSIGN => setting.assign = Some(assign_value(value)?),
                OP_APPEND | OP_REMOVE => {
                    if ty == PolicyType::AiServicesOptOut {
                        return Err(PolicyContentError::malformed(
                            "",
                            format!(
                                "AI services opt-out policies do not support the {key} operator; \
                                 use @@assign."
                            ),
                        ));
                    }
                    let values = list_value(&key, value)?;
                    if key == OP_APPEND {
                        setting.append = Some(values);
                    } else {
                        setting.remove = Some(values);
                    }
                }
                OP_CHILD_CONTROL => setting.allowed = Some(allowed_operators(value)?),
                _ => {
                    return Err(PolicyContentError::malformed(
                        "",
                        format!(
                            "Unknown inheritance operator \"{key}\": use @@assign, @@append, \
                             @@remove or @@operators_allowed_for_child_policies."
                        ),
                    ));
                }
            }
            continue;
        }
        if key.is_empty() {
            return Err(PolicyContentError::malformed(
                "",
                "A setting name cannot be empty.",
            ));
        }
        let folded = key.to_lowercase();
        if let Some(twin) = setting.children.iter().find(|c| c.folded == folded) {
            return Err(PolicyContentError::malformed(
                "",
                format!(
                    "\"{}\" and \"{key}\" name the same setting: setting names are not case-sensitive.",
                    twin.key
                ),
            ));
        }
        let child = match value {
            Json::Object(members) => parse_setting(ty, members, false),
            other => Err(PolicyContentError::malformed(
                "",
                format!(
                    "A setting must be an object holding an inheritance operator, such as \
                     {{\"@@assign\": ...}}, not {}.",
                    other.kind()
                ),
            )),
        }
        .map_err(|e| e.within(&key))?;
        setting.children.push(Child {
            key,
            folded,
            setting: child,
        });
    }
    if setting.has_value_operators()
        && let Some(child) = setting.children.first()
    {
        return Err(PolicyContentError::malformed(
            "",
            format!(
                "A setting cannot both set a value with an inheritance operator and contain the \
                 nested setting \"{}\".",
                child.key
            ),
        ));
    }
    setting.sets_values =
        setting.has_value_operators() || setting.children.iter().any(|c| c.setting.sets_values);
    Ok(setting)
}

fn assign_value(value: Json) -> Result<Json, PolicyContentError> {
    match value {
        v if v.is_scalar() => Ok(v),
        Json::Array(items) => {
            check_scalars(OP_ASSIGN, &items)?;
            Ok(Json::Array(items))
        }
        other => Err(PolicyContentError::malformed(
            "",
            format!(
                "The value of @@assign must be a string, number, boolean or an array of them, not {}.",
                other.kind()
            ),
        )),
    }
}

fn list_value(op: &str, value: Json) -> Result<Vec<Json>, PolicyContentError> {
    match value {
        Json::Array(items) => {
            check_scalars(op, &items)?;
            Ok(items)
        }
        other => Err(PolicyContentError::malformed(
            "",
            format!(
                "The value of {op} must be an array: the operator applies only to multi-valued \
                 settings (found {}).",
                other.kind()
            ),
        )),
    }
}

fn check_scalars(op: &str, items: &[Json]) -> Result<(), PolicyContentError> {
    match items.iter().find(|v| !v.is_scalar()) {
        None => Ok(()),
        Some(v) => Err(PolicyContentError::malformed(
            "",
            format!(
                "The values of {op} must be strings, numbers or booleans, not {}.",
                v.kind()
            ),
        )),
    }
}

fn allowed_operators(value: Json) -> Result<u8, PolicyContentError> {
    let problem = |detail: String| {
        PolicyContentError::malformed(
            "",
            format!(
                "@@operators_allowed_for_child_policies takes [\"@@all\"], [\"@@none\"] or a list of \
                 @@assign, @@append and @@remove; {detail}"
            ),
        )
    };
    let Json::Array(items) = value else {
        return Err(problem(format!("found {}.", value.kind())));
    };
    if items.is_empty() {
        return Err(problem("found an empty list.".to_string()));
    }
    let mut mask = 0;
    for item in &items {
        let Json::String(op) = item else {
            return Err(problem(format!("found {}.", item.kind())));
        };
        mask |= match op.as_str() {
            "@@all" | "@@none" if items.len() > 1 => {
                return Err(problem(format!("{op} must stand alone.")));
            }
            "@@all" => ALL_OPERATORS,
            "@@none" => 0,
            OP_ASSIGN => ASSIGN,
            OP_APPEND => APPEND,
            OP_REMOVE => REMOVE,
            other => return Err(problem(format!("found \"{other}\"."))),
        };
    }
    Ok(mask)
}

#[cfg(test)]
mod tests {
    use super::super::{PolicyContentError, PolicyType, validate_content};
    use super::*;

    const TAG: PolicyType = PolicyType::Tag;

    fn ok(ty: PolicyType, doc: &str) {
        if let Err(e) = validate_content(ty, doc) {
            panic!("expected {ty} to accept {doc}, got: {e}");
        }
    }

    fn err(ty: PolicyType, doc: &str) -> String {
        match validate_content(ty, doc) {
            Ok(()) => panic!("expected {ty} to reject {doc}"),
            Err(e @ PolicyContentError::Malformed { .. }) => e.to_string(),
            Err(e) => panic!("expected a malformed-document error, got {e:?}"),
        }
    }

    fn tree(ty: PolicyType, doc: &str) -> Setting {
        parse(ty, super::super::json::parse(doc).unwrap()).unwrap()
    }

    // ---- documented examples ----

    #[test]
    fn the_inheritance_guides_tag_policies_are_valid() {
        ok(
            TAG,
            r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@assign":["Development","Support"]}}}}"#,
        );
        ok(
            TAG,
            r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@append":["Marketing"]},"enforced_for":{"@@append":["redshift:*","dynamodb:table"]}}}}"#,
        );
        ok(
            TAG,
            r#"{"tags":{"project":{"tag_key":{"@@operators_allowed_for_child_policies":["@@none"],"@@assign":"Project"},"tag_value":{"@@operators_allowed_for_child_policies":["@@append"],"@@assign":["Maintenance","Escalations"]}}}}"#,
        );
        ok(
            TAG,
            r#"{"tags":{"project":{"tag_value":{"@@operators_allowed_for_child_policies":["@@append","@@remove"]}}}}"#,
        );
    }

    #[test]
    fn the_ai_opt_out_guides_policies_are_valid() {
        let ai = PolicyType::AiServicesOptOut;
        ok(
            ai,
            r#"{"services":{"@@operators_allowed_for_child_policies":["@@none"],"default":{"@@operators_allowed_for_child_policies":["@@none"],"opt_out_policy":{"@@operators_allowed_for_child_policies":["@@none"],"@@assign":"optOut"}}}}"#,
        );
        ok(
            ai,
            r#"{"services":{"rekognition":{"opt_out_policy":{"@@assign":"optOut","@@operators_allowed_for_child_policies":["@@none"]}}}}"#,
        );
    }

    #[test]
    fn a_declarative_policy_with_its_own_top_level_key_is_valid() {
        ok(
            PolicyType::DeclarativeEc2,
            r#"{"ec2_attributes":{"image_block_public_access":{"state":{"@@assign":"block_new_sharing"}}}}"#,
        );
    }

    // ---- document shape ----

    #[test]
    fn the_document_must_be_a_json_object() {
        assert!(err(TAG, "[1]").contains("must be a JSON object, not an array"));
        assert!(err(TAG, "{\"tags\":").contains("not valid JSON"));
    }

    #[test]
    fn bare_values_are_refused_where_a_setting_belongs() {
        let e = err(TAG, r#"{"tags":{"costcenter":{"tag_key":"CostCenter"}}}"#);
        assert!(
            e.starts_with("tags.costcenter.tag_key:") && e.contains("not a string"),
            "{e}"
        );
        assert!(err(TAG, r#"{"tags":["x"]}"#).starts_with("tags:"));
    }

    #[test]
    fn unknown_operators_are_refused_with_their_path() {
        let e = err(TAG, r#"{"tags":{"cc":{"tag_key":{"@@set":"x"}}}}"#);
        assert!(
            e.starts_with("tags.cc.tag_key:") && e.contains("\"@@set\""),
            "{e}"
        );
        assert!(
            err(TAG, r#"{"tags":{"cc":{"tag_key":{"@@Assign":"x"}}}}"#).contains("\"@@Assign\"")
        );
    }

    #[test]
    fn value_operators_are_refused_at_the_top_level() {
        assert!(err(PolicyType::Chatbot, r#"{"@@assign":"x"}"#).contains("top level"));
        ok(
            PolicyType::Chatbot,
            r#"{"@@operators_allowed_for_child_policies":["@@none"],"chatbot":{"x":{"@@assign":"y"}}}"#,
        );
    }

    #[test]
    fn a_setting_cannot_mix_a_value_and_nested_settings() {
        // The guide's example 3 nests "enforced_for" inside "tag_value" next to @@remove.
        let e = err(
            TAG,
            r#"{"tags":{"costcenter":{"tag_value":{"@@remove":["Development"],"enforced_for":{"@@remove":["redshift:*"]}}}}}"#,
        );
        assert!(
            e.starts_with("tags.costcenter.tag_value:") && e.contains("\"enforced_for\""),
            "{e}"
        );
    }

    #[test]
    fn names_differing_only_in_case_are_the_same_setting() {
        let e = err(
            TAG,
            r#"{"tags":{"CostCenter":{"tag_key":{"@@assign":"a"}},"costcenter":{"tag_key":{"@@assign":"b"}}}}"#,
        );
        assert!(
            e.starts_with("tags:") && e.contains("not case-sensitive"),
            "{e}"
        );
        assert!(
            err(TAG, r#"{"tags":{"":{"tag_key":{"@@assign":"a"}}}}"#).contains("cannot be empty")
        );
    }

    #[test]
    fn exact_duplicates_are_refused_by_the_parser() {
        assert!(
            err(
                TAG,
                r#"{"tags":{"a":{"tag_key":{"@@assign":"x","@@assign":"y"}}}}"#
            )
            .contains("more than once")
        );
    }

    // ---- operator values ----

    #[test]
    fn assign_takes_a_scalar_or_a_list_of_scalars() {
        for v in [r#""x""#, "60", "true", r#"["a","b"]"#, "[]"] {
            ok(
                PolicyType::Chatbot,
                &format!(r#"{{"chatbot":{{"k":{{"@@assign":{v}}}}}}}"#),
            );
        }
        for (v, why) in [
            ("null", "not null"),
            (r#"{"a":1}"#, "not an object"),
            (r#"[["a"]]"#, "not an array"),
        ] {
            let e = err(
                PolicyType::Chatbot,
                &format!(r#"{{"chatbot":{{"k":{{"@@assign":{v}}}}}}}"#),
            );
            assert!(e.starts_with("chatbot.k:") && e.contains(why), "{v}: {e}");
        }
    }

    #[test]
    fn append_and_remove_take_lists() {
        ok(
            TAG,
            r#"{"tags":{"a":{"tag_value":{"@@append":["x"],"@@remove":["y"]}}}}"#,
        );
        assert!(
            err(TAG, r#"{"tags":{"a":{"tag_value":{"@@append":"x"}}}}"#)
                .contains("must be an array")
        );
        assert!(
            err(TAG, r#"{"tags":{"a":{"tag_value":{"@@remove":{"x":1}}}}}"#)
                .contains("must be an array")
        );
        assert!(
            err(TAG, r#"{"tags":{"a":{"tag_value":{"@@append":[null]}}}}"#).contains("not null")
        );
    }

    #[test]
    fn child_control_takes_all_none_or_value_operators() {
        for v in [
            r#"["@@all"]"#,
            r#"["@@none"]"#,
            r#"["@@assign"]"#,
            r#"["@@append","@@remove"]"#,
        ] {
            ok(
                TAG,
                &format!(r#"{{"tags":{{"a":{{"@@operators_allowed_for_child_policies":{v}}}}}}}"#),
            );
        }
        for (v, why) in [
            ("[]", "empty list"),
            (r#""@@none""#, "found a string"),
            (r#"["@@none","@@assign"]"#, "@@none must stand alone"),
            (r#"["@@all","@@all"]"#, "@@all must stand alone"),
            (r#"["@@replace"]"#, "\"@@replace\""),
            ("[1]", "found a number"),
        ] {
            let e = err(
                TAG,
                &format!(r#"{{"tags":{{"a":{{"@@operators_allowed_for_child_policies":{v}}}}}}}"#),
            );
            assert!(e.starts_with("tags.a:") && e.contains(why), "{v}: {e}");
        }
    }

    #[test]
    fn child_control_is_parsed_into_an_operator_mask() {
        let t = tree(
            TAG,
            r#"{"tags":{"a":{"@@operators_allowed_for_child_policies":["@@append","@@remove"]},"b":{"@@operators_allowed_for_child_policies":["@@all"]},"c":{"@@operators_allowed_for_child_policies":["@@none"]}}}"#,
        );
        let tags = &t.children[0].setting;
        let masks: Vec<_> = tags.children.iter().map(|c| c.setting.allowed).collect();
        assert_eq!(masks, [Some(APPEND | REMOVE), Some(ALL_OPERATORS), Some(0)]);
        assert!(!tags.sets_values);
    }

    // ---- per-type rules ----

    #[test]
    fn tag_backup_and_ai_policies_have_a_fixed_top_level_key() {
        ok(TAG, r#"{"TAGS":{"a":{"tag_key":{"@@assign":"A"}}}}"#);
        let e = err(TAG, r#"{"plans":{}}"#);
        assert!(
            e.contains("\"plans\"") && e.contains("under \"tags\""),
            "{e}"
        );
        assert!(err(PolicyType::Backup, r#"{"tags":{}}"#).contains("under \"plans\""));
        assert!(
            err(PolicyType::AiServicesOptOut, r#"{"plans":{}}"#).contains("under \"services\"")
        );
        ok(
            PolicyType::Backup,
            r#"{"plans":{"p":{"regions":{"@@append":["us-east-1"]}}}}"#,
        );
    }

    #[test]
    fn ai_opt_out_policies_use_only_assign() {
        let ai = PolicyType::AiServicesOptOut;
        let e = err(
            ai,
            r#"{"services":{"lex":{"opt_out_policy":{"@@append":["optIn"]}}}}"#,
        );
        assert!(
            e.starts_with("services.lex.opt_out_policy:") && e.contains("@@append"),
            "{e}"
        );
        assert!(
            err(
                ai,
                r#"{"services":{"lex":{"opt_out_policy":{"@@remove":["optIn"]}}}}"#
            )
            .contains("@@remove")
        );
    }

    #[test]
    fn the_tree_keeps_names_order_and_values() {
        let t = tree(
            TAG,
            r#"{"tags":{"Zeta":{"tag_key":{"@@assign":"Z"}},"alpha":{"tag_value":{"@@append":["a"]}}}}"#,
        );
        let tags = &t.children[0].setting;
        let names: Vec<_> = tags
            .children
            .iter()
            .map(|c| (c.key.as_str(), c.folded.as_str()))
            .collect();
        assert_eq!(names, [("Zeta", "zeta"), ("alpha", "alpha")]);
        assert!(t.sets_values && tags.sets_values);
        let key = &tags.children[0].setting.children[0].setting;
        assert_eq!(key.assign, Some(Json::String("Z".into())));
    }
}
