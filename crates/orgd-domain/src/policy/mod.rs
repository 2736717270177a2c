//! Organization policies as pure rules: the policy types and their quotas (`PolicyType`), content
//! validation as AWS does it (`validate_content`), and the effective policy of a management policy
//! type for one account (`effective_policy`).
//!
//! - `types`: the service model's policy types, their ARN segment, size limit and quotas.
//! - `iam`: the IAM policy grammar of SCPs, RCPs and the resource policy: the one reader of IAM
//!   JSON, which checks a document and returns it parsed (`Document`).
//! - `eval`: how a parsed document's statements apply to a request (every condition operator,
//!   set qualifiers, policy variables, wildcards).
//! - `huawei`: Huawei Cloud's SCP grammar (version "5.0") and which of its statements deny an
//!   action; `PolicyLanguage` picks it for organizations of the Huawei scheme.
//! - `management`: the inheritance-operator grammar of every other type.
//! - `effective`: how the policies along an account's path merge.
//! - `json`: the order-keeping, duplicate-refusing JSON tree the other modules read.

mod effective;
mod eval;
#[cfg(test)]
mod eval_tests;
mod huawei;
mod iam;
mod json;
mod management;
mod types;

use std::fmt;

pub use effective::{
    EffectivePolicy, EffectivePolicyError, ManagementDocument, PolicyRef, ValidationError,
    ValidationErrorCode, effective_policy, effective_policy_of_parsed, parse_management,
};
pub use eval::{Context, Document, Effect, Request, Statement};
#[cfg(test)]
pub(crate) use eval::{action_matches, principal_account};
pub use huawei::{TAG_POLICY_SERVICES as HUAWEI_TAG_POLICY_SERVICES, TagPolicyService};
pub use types::{PolicyKind, PolicyType};

use crate::ids::IdScheme;

/// The policy language an organization's policies are written in, decided by the scheme the
/// organization was created with (never by the wire a request came through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyLanguage {
    /// AWS Organizations: every type of the service model, IAM grammar version 2012-10-17.
    Aws,
    /// Huawei Cloud Organizations: SCPs (identity-policy language "5.0") and tag policies.
    Huawei,
}

/// Huawei's limit on policy content, every type (API.md §9, `CreatePolicyReqBody.content`).
const HUAWEI_MAX_CONTENT_CHARS: usize = 20_000;

impl PolicyLanguage {
    pub fn of(scheme: IdScheme) -> PolicyLanguage {
        match scheme {
            IdScheme::Aws => PolicyLanguage::Aws,
            IdScheme::Huawei => PolicyLanguage::Huawei,
        }
    }

    /// The policy types an organization of this language has.
    pub fn types(self) -> &'static [PolicyType] {
        match self {
            PolicyLanguage::Aws => PolicyType::ALL,
            PolicyLanguage::Huawei => &[PolicyType::ServiceControl, PolicyType::Tag],
        }
    }

    pub fn supports(self, ty: PolicyType) -> bool {
        self.types().contains(&ty)
    }

    /// Whether SCPs can be attached in dry-run mode (Huawei's SCP simulation).
    pub fn has_dry_run(self) -> bool {
        self == PolicyLanguage::Huawei
    }

    /// The longest content a policy of `ty` may have, in characters.
    pub fn max_content_chars(self, ty: PolicyType) -> usize {
        match self {
            PolicyLanguage::Aws => ty.max_content_chars(),
            PolicyLanguage::Huawei => HUAWEI_MAX_CONTENT_CHARS,
        }
    }
}

/// A `Deny` statement of an SCP that names an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DenyingStatement {
    /// Its position in the policy's `Statement` array.
    pub index: usize,
    /// It has a `Condition`, which orgd does not evaluate: it denies only if the condition holds.
    pub conditional: bool,
    /// It names resources other than `*`, which orgd does not narrow: it denies only on those.
    pub narrowed: bool,
}

/// The `Deny` statements of a Huawei SCP whose `Action` names `action`
/// (`service:resource:action`). Implicit denial (no `Allow` for the action) is not reported: an
/// SCP level is judged by all the policies attached there, not by one of them.
pub fn huawei_scp_denials(
    content: &str,
    action: &str,
) -> Result<Vec<DenyingStatement>, PolicyContentError> {
    let doc = json::parse(content).map_err(|m| PolicyContentError::invalid_json(&m))?;
    Ok(huawei::scp(&doc)?
        .into_iter()
        .enumerate()
        .filter(|(_, s)| s.deny && s.actions.iter().any(|p| huawei::action_matches(p, action)))
        .map(|(index, s)| DenyingStatement {
            index,
            conditional: s.conditional,
            narrowed: s.narrowed,
        })
        .collect())
}

/// Why policy content was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyContentError {
    /// The document breaks its type's grammar (the grammar's own diagnostic).
    Malformed {
        /// Where, from the top of the document: `Statement[0].Action[1]`, `tags.costcenter`;
        /// empty for the document as a whole.
        path: String,
        message: String,
    },
    /// The document is longer than its type allows (a constraint, not a malformed document).
    TooLarge {
        policy_type: PolicyType,
        limit: usize,
        actual: usize,
    },
}

impl PolicyContentError {
    pub(crate) fn malformed(path: impl Into<String>, message: impl Into<String>) -> Self {
        PolicyContentError::Malformed {
            path: path.into(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid_json(detail: &str) -> Self {
        Self::malformed("", format!("The policy is not valid JSON: {detail}."))
    }

    /// The same error, one setting further from the top: `key` is prepended to the path.
    pub(crate) fn within(self, key: &str) -> Self {
        match self {
            PolicyContentError::Malformed { path, message } => PolicyContentError::Malformed {
                path: if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{key}.{path}")
                },
                message,
            },
            other => other,
        }
    }

    /// A size violation (a constraint) rather than a malformed document.
    pub fn is_too_large(&self) -> bool {
        matches!(self, PolicyContentError::TooLarge { .. })
    }
}

impl fmt::Display for PolicyContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyContentError::Malformed { path, message } if path.is_empty() => {
                f.write_str(message)
            }
            PolicyContentError::Malformed { path, message } => write!(f, "{path}: {message}"),
            PolicyContentError::TooLarge {
                policy_type,
                limit,
                actual,
            } => write!(
                f,
                "The policy content is {actual} characters long; a {policy_type} can have at most \
                 {limit}."
            ),
        }
    }
}

impl std::error::Error for PolicyContentError {}

/// Checks policy content for `CreatePolicy` and `UpdatePolicy` in AWS's language.
pub fn validate_content(ty: PolicyType, content: &str) -> Result<(), PolicyContentError> {
    validate_content_in(PolicyLanguage::Aws, ty, content, ty.max_content_chars())
}

/// Checks policy content in an organization's language, within `limit` characters (the
/// configured `Limits` for AWS's types): first its length (every character counts, whitespace
/// included), then its grammar: for AWS the IAM policy language for SCPs and RCPs; for Huawei its
/// "5.0" language for SCPs; for both the inheritance operators for management policies (Huawei's
/// tag policies mirror AWS's).
pub fn validate_content_in(
    lang: PolicyLanguage,
    ty: PolicyType,
    content: &str,
    limit: usize,
) -> Result<(), PolicyContentError> {
    if content.len() > limit {
        let actual = content.chars().count();
        if actual > limit {
            return Err(PolicyContentError::TooLarge {
                policy_type: ty,
                limit,
                actual,
            });
        }
    }
    let doc = json::parse(content).map_err(|m| PolicyContentError::invalid_json(&m))?;
    match (lang, ty.kind()) {
        (PolicyLanguage::Huawei, PolicyKind::Authorization) => huawei::scp(&doc).map(drop),
        (PolicyLanguage::Aws, PolicyKind::Authorization) => {
            iam::parse(iam::Family::of(ty), &doc).map(drop)
        }
        (_, PolicyKind::Management) => management::parse(ty, doc).map(drop),
    }
}

/// Parses an SCP or RCP (content already accepted by `validate_content`) for evaluation.
pub fn parse_authorization(ty: PolicyType, content: &str) -> Result<Document, PolicyContentError> {
    if !ty.is_authorization() {
        return Err(PolicyContentError::malformed(
            "",
            format!("A {ty} is not an IAM policy."),
        ));
    }
    let doc = json::parse(content).map_err(|m| PolicyContentError::invalid_json(&m))?;
    iam::parse(iam::Family::of(ty), &doc)
}

/// Checks and parses the organization's resource policy: a resource-based IAM policy (each
/// statement with `Principal` or `NotPrincipal`).
pub fn parse_resource_policy(content: &str) -> Result<Document, PolicyContentError> {
    let doc = json::parse(content).map_err(|m| PolicyContentError::invalid_json(&m))?;
    iam::parse(iam::Family::Resource, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_longer_than_the_type_allows_is_a_size_violation() {
        let pad = " ".repeat(5_120);
        let doc = format!(
            r#"{{"Statement":{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}}}{pad}"#
        );
        let e = validate_content(PolicyType::ResourceControl, &doc).unwrap_err();
        assert!(e.is_too_large());
        assert_eq!(
            e,
            PolicyContentError::TooLarge {
                policy_type: PolicyType::ResourceControl,
                limit: 5_120,
                actual: doc.len()
            }
        );
        assert!(e.to_string().contains("at most 5120"), "{e}");
    }

    #[test]
    fn whitespace_counts_toward_the_limit_and_the_limit_itself_is_allowed() {
        let body = r#"{"Statement":{"Effect":"Allow","Action":"*"}}"#;
        let exact = format!("{body}{}", " ".repeat(10_240 - body.len()));
        assert!(validate_content(PolicyType::ServiceControl, &exact).is_ok());
        let over = format!("{exact} ");
        assert!(
            validate_content(PolicyType::ServiceControl, &over)
                .unwrap_err()
                .is_too_large()
        );
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        // More than 2,500 bytes but fewer than 2,500 characters: within the AI opt-out limit.
        let wide = format!(
            r#"{{"services":{{"default":{{"opt_out_policy":{{"@@assign":"{}"}}}}}}}}"#,
            "é".repeat(2_000)
        );
        assert!(wide.len() > 2_500 && wide.chars().count() <= 2_500);
        assert!(validate_content(PolicyType::AiServicesOptOut, &wide).is_ok());
    }

    #[test]
    fn size_is_checked_before_syntax() {
        let junk = "x".repeat(10_001);
        assert!(
            validate_content(PolicyType::Tag, &junk)
                .unwrap_err()
                .is_too_large()
        );
        assert!(
            !validate_content(PolicyType::Tag, "x")
                .unwrap_err()
                .is_too_large()
        );
    }

    #[test]
    fn malformed_errors_render_their_path_first() {
        let e = PolicyContentError::malformed("", "m")
            .within("b")
            .within("a");
        assert_eq!(e.to_string(), "a.b: m");
        assert_eq!(
            PolicyContentError::malformed("", "whole").to_string(),
            "whole"
        );
    }

    #[test]
    fn huawei_organizations_use_huaweis_scp_grammar_and_limit() {
        let h = PolicyLanguage::Huawei;
        let in_huawei = |ty: PolicyType, content: &str| {
            validate_content_in(h, ty, content, h.max_content_chars(ty))
        };
        let scp = PolicyType::ServiceControl;
        let huawei = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":["*"]}]}"#;
        let aws = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}"#;
        assert!(in_huawei(scp, huawei).is_ok());
        assert!(in_huawei(scp, aws).is_err());
        assert!(validate_content(scp, huawei).is_err());
        assert!(validate_content(scp, aws).is_ok());
        // 20,000 characters for Huawei, where AWS stops at 10,240.
        let long = format!("{huawei}{}", " ".repeat(20_000 - huawei.len()));
        assert!(in_huawei(scp, &long).is_ok());
        let e = in_huawei(scp, &format!("{long} "));
        assert!(e.unwrap_err().is_too_large());
        // Tag policies keep the inheritance-operator grammar.
        let tag = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"}}}}"#;
        assert!(in_huawei(PolicyType::Tag, tag).is_ok());
        assert!(in_huawei(PolicyType::Tag, huawei).is_err());
    }

    #[test]
    fn huawei_has_two_policy_types_and_dry_run() {
        let h = PolicyLanguage::Huawei;
        assert_eq!(h.types(), [PolicyType::ServiceControl, PolicyType::Tag]);
        assert!(!h.supports(PolicyType::ResourceControl));
        assert!(h.has_dry_run() && !PolicyLanguage::Aws.has_dry_run());
        assert_eq!(PolicyLanguage::of(IdScheme::Aws), PolicyLanguage::Aws);
        assert_eq!(PolicyLanguage::of(IdScheme::Huawei), PolicyLanguage::Huawei);
        assert!(PolicyLanguage::Aws.supports(PolicyType::Backup));
    }

    #[test]
    fn denials_are_the_deny_statements_naming_the_action() {
        let doc = r#"{"Version":"5.0","Statement":[
            {"Effect":"Allow","Action":["*"]},
            {"Effect":"Deny","Action":["ecs:*:delete"]},
            {"Effect":"Deny","Action":["ecs:cloudServers:*"],"Condition":{"StringEquals":{"g:RequestTag/env":"prod"}}},
            {"Effect":"Deny","Action":["evs:*:*"]}]}"#;
        let d = huawei_scp_denials(doc, "ecs:cloudServers:delete").unwrap();
        assert_eq!(
            d,
            [
                DenyingStatement {
                    index: 1,
                    conditional: false,
                    narrowed: false
                },
                DenyingStatement {
                    index: 2,
                    conditional: true,
                    narrowed: false
                },
            ]
        );
        assert!(
            huawei_scp_denials(doc, "obs:object:get")
                .unwrap()
                .is_empty()
        );
        assert!(huawei_scp_denials("{", "x:y:z").is_err());
    }

    #[test]
    fn every_type_validates_with_its_own_grammar() {
        let scp = r#"{"Statement":{"Effect":"Allow","Action":"*"}}"#;
        let mgmt = r#"{"x":{"y":{"@@assign":"z"}}}"#;
        for ty in PolicyType::ALL {
            let (good, bad) = if ty.is_authorization() {
                (scp, mgmt)
            } else {
                (mgmt, scp)
            };
            match ty {
                PolicyType::ResourceControl
                | PolicyType::Tag
                | PolicyType::Backup
                | PolicyType::AiServicesOptOut => {}
                _ => assert!(validate_content(*ty, good).is_ok(), "{ty}"),
            }
            assert!(validate_content(*ty, bad).is_err(), "{ty}");
        }
    }
}
