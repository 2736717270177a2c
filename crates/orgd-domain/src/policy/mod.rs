//! Organization policies as pure rules: the policy types and their quotas (`PolicyType`), content
//! validation as AWS does it (`validate_content`), and the effective policy of a management policy
//! type for one account (`effective_policy`).
//!
//! - `types`: the service model's policy types, their ARN segment, size limit and quotas.
//! - `iam`: the IAM policy grammar of SCPs and RCPs.
//! - `management`: the inheritance-operator grammar of every other type.
//! - `effective`: how the policies along an account's path merge.
//! - `json`: the order-keeping, duplicate-refusing JSON tree the other modules read.

mod effective;
mod iam;
mod json;
mod management;
mod types;

use std::fmt;

pub use effective::{
    EffectivePolicy, EffectivePolicyError, PolicyRef, ValidationError, ValidationErrorCode,
    effective_policy,
};
pub use types::{PolicyKind, PolicyType};

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

/// Checks policy content for `CreatePolicy` and `UpdatePolicy`: first its length (every character
/// counts, whitespace included), then its grammar: the IAM policy language for SCPs and RCPs,
/// the inheritance operators for management policies.
pub fn validate_content(ty: PolicyType, content: &str) -> Result<(), PolicyContentError> {
    validate_content_within(ty, content, ty.max_content_chars())
}

/// `validate_content` with the size limit given (the configured `Limits`).
pub fn validate_content_within(
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
    match ty.kind() {
        PolicyKind::Authorization => iam::validate(ty, &doc),
        PolicyKind::Management => management::parse(ty, doc).map(drop),
    }
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
