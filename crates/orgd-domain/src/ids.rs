//! Identifier schemes: how an organization's ids are minted. Each organization keeps the scheme
//! it was created with (`Organization::id_scheme`), so the core mints ids through it and never
//! parses an id to learn what it is: `State::kind_of` answers that from what is stored.
//!
//! The recognisers below (`is_account_id`, `is_ou_id`, ...) are the AWS scheme's formats, as the
//! service model's patterns give them; the AWS adapter validates input with them, the core does
//! not use them. Generation goes through `IdSource` so tests can make it deterministic.

use serde::{Deserialize, Serialize};

pub const ENTITY_PATH_SEP: char = '/';

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS: &[u8] = b"0123456789";
const LOWER_HEX: &[u8] = b"0123456789abcdef";

/// A source of randomness for identifiers. The engine injects a real one; tests a seeded one.
pub trait IdSource {
    /// A uniformly random index in `0..n`.
    fn below(&mut self, n: usize) -> usize;
}

fn draw(src: &mut dyn IdSource, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[src.below(alphabet.len())] as char)
        .collect()
}

/// The id formats of an organization. Stored organizations without one are AWS's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdScheme {
    /// AWS Organizations' formats: `o-`, `r-`, `ou-<root>-`, 12-digit accounts, `p-`, `h-`, ...
    #[default]
    Aws,
    /// Huawei Cloud Organizations' formats: `o-` and `ou-` ids of 32 characters with no root part,
    /// 32-hex accounts (Huawei domain ids), `r-`, `p-`, `h-` (see `crates/orgd/src/huawei`).
    Huawei,
}

impl IdScheme {
    /// `o-` and 10 lowercase letters or digits (Huawei: 32).
    pub fn new_organization_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws => format!("o-{}", draw(src, LOWER_ALNUM, 10)),
            IdScheme::Huawei => format!("o-{}", draw(src, LOWER_ALNUM, 32)),
        }
    }

    /// `r-` and 4 lowercase letters or digits (Huawei: 12, as Huawei's examples).
    pub fn new_root_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws => format!("r-{}", draw(src, LOWER_ALNUM, 4)),
            IdScheme::Huawei => format!("r-{}", draw(src, LOWER_ALNUM, 12)),
        }
    }

    /// `ou-`, the root's suffix, `-`, and 8 lowercase letters or digits (Huawei: `ou-` and 32, no
    /// root part).
    pub fn new_ou_id(self, src: &mut dyn IdSource, root_id: &str) -> String {
        match self {
            IdScheme::Aws => {
                let suffix = root_id.strip_prefix("r-").unwrap_or(root_id);
                format!("ou-{}-{}", suffix, draw(src, LOWER_ALNUM, 8))
            }
            IdScheme::Huawei => format!("ou-{}", draw(src, LOWER_ALNUM, 32)),
        }
    }

    /// 12 digits, never starting with 0 (so it never looks like a padded number). Huawei: 32
    /// lowercase hex digits, a Huawei domain id.
    pub fn new_account_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws => {
                let first = (b'1' + src.below(9) as u8) as char;
                format!("{first}{}", draw(src, DIGITS, 11))
            }
            IdScheme::Huawei => draw(src, LOWER_HEX, 32),
        }
    }

    /// `car-` and 32 lowercase letters or digits (Huawei documents no format: the same).
    pub fn new_create_account_request_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws | IdScheme::Huawei => format!("car-{}", draw(src, LOWER_ALNUM, 32)),
        }
    }

    /// `h-` and 10 lowercase letters or digits (Huawei: 32).
    pub fn new_handshake_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws => format!("h-{}", draw(src, LOWER_ALNUM, 10)),
            IdScheme::Huawei => format!("h-{}", draw(src, LOWER_ALNUM, 32)),
        }
    }

    /// `rt-` and 16 lowercase letters or digits.
    pub fn new_transfer_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws | IdScheme::Huawei => format!("rt-{}", draw(src, LOWER_ALNUM, 16)),
        }
    }

    /// `rp-` and 8 lowercase letters or digits.
    pub fn new_resource_policy_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws | IdScheme::Huawei => format!("rp-{}", draw(src, LOWER_ALNUM, 8)),
        }
    }

    /// `p-` and 10 lowercase letters or digits (the model's policy ARN pattern wants 10 to 32;
    /// Huawei: 32).
    pub fn new_policy_id(self, src: &mut dyn IdSource) -> String {
        match self {
            IdScheme::Aws => format!("p-{}", draw(src, LOWER_ALNUM, 10)),
            IdScheme::Huawei => format!("p-{}", draw(src, LOWER_ALNUM, 32)),
        }
    }
}

/// `^h-[0-9a-z]{8,32}$`
pub fn is_handshake_id(s: &str) -> bool {
    s.strip_prefix("h-").is_some_and(|t| suffix_ok(t, 8, 32))
}

/// `^rt-[0-9a-z]{8,32}$`
pub fn is_transfer_id(s: &str) -> bool {
    s.strip_prefix("rt-").is_some_and(|t| suffix_ok(t, 8, 32))
}

/// `^rp-[0-9a-zA-Z_]{4,128}$`
pub fn is_resource_policy_id(s: &str) -> bool {
    s.strip_prefix("rp-").is_some_and(|t| {
        (4..=128).contains(&t.len()) && all(t, |b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn suffix_ok(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && all(s, is_lower_alnum)
}

/// `^\d{12}$`
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && all(s, |b| b.is_ascii_digit())
}

/// `^r-[0-9a-z]{4,32}$`
pub fn is_root_id(s: &str) -> bool {
    s.strip_prefix("r-").is_some_and(|t| suffix_ok(t, 4, 32))
}

/// `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`
pub fn is_ou_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("ou-") else {
        return false;
    };
    let Some((a, b)) = rest.split_once('-') else {
        return false;
    };
    suffix_ok(a, 4, 32) && suffix_ok(b, 8, 32)
}

/// A root or an OU id.
pub fn is_parent_id(s: &str) -> bool {
    is_root_id(s) || is_ou_id(s)
}

/// An account or an OU id.
pub fn is_child_id(s: &str) -> bool {
    is_account_id(s) || is_ou_id(s)
}

/// `^car-[a-z0-9]{8,32}$`
pub fn is_create_account_request_id(s: &str) -> bool {
    s.strip_prefix("car-").is_some_and(|t| suffix_ok(t, 8, 32))
}

/// A root, an OU or an account id: what a policy can be attached to.
pub fn is_policy_target_id(s: &str) -> bool {
    is_root_id(s) || is_ou_id(s) || is_account_id(s)
}

/// `^p-[0-9a-zA-Z_]{8,128}$`
pub fn is_policy_id(s: &str) -> bool {
    s.strip_prefix("p-").is_some_and(|t| {
        (8..=128).contains(&t.len()) && all(t, |b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// A resource that can carry tags: root, OU, account, policy, resource policy or responsibility
/// transfer.
pub fn is_taggable_id(s: &str) -> bool {
    is_root_id(s)
        || is_ou_id(s)
        || is_account_id(s)
        || is_policy_id(s)
        || is_resource_policy_id(s)
        || is_transfer_id(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(usize);
    impl IdSource for Counter {
        fn below(&mut self, n: usize) -> usize {
            self.0 += 7;
            self.0 % n
        }
    }

    #[test]
    fn minted_ids_match_the_model_patterns() {
        let mut src = Counter(0);
        let aws = IdScheme::Aws;
        let root = aws.new_root_id(&mut src);
        assert!(is_root_id(&root), "{root}");
        let ou = aws.new_ou_id(&mut src, &root);
        assert!(is_ou_id(&ou), "{ou}");
        assert!(ou.starts_with(&format!("ou-{}-", &root[2..])));
        let acct = aws.new_account_id(&mut src);
        assert!(is_account_id(&acct) && !acct.starts_with('0'), "{acct}");
        let car = aws.new_create_account_request_id(&mut src);
        assert!(is_create_account_request_id(&car), "{car}");
        let org = aws.new_organization_id(&mut src);
        assert!(org.len() == 12 && org.starts_with("o-"));
        assert!(is_handshake_id(&aws.new_handshake_id(&mut src)));
        assert!(is_transfer_id(&aws.new_transfer_id(&mut src)));
        assert!(is_policy_id(&aws.new_policy_id(&mut src)));
        assert!(is_resource_policy_id(&aws.new_resource_policy_id(&mut src)));
    }

    #[test]
    fn huawei_ids_have_huaweis_formats() {
        let mut src = Counter(0);
        let hw = IdScheme::Huawei;
        let lower_alnum = |s: &str, n: usize| s.len() == n && all(s, is_lower_alnum);
        let org = hw.new_organization_id(&mut src);
        assert!(lower_alnum(org.strip_prefix("o-").unwrap(), 32), "{org}");
        let root = hw.new_root_id(&mut src);
        assert!(is_root_id(&root), "{root}");
        let ou = hw.new_ou_id(&mut src, &root);
        assert!(lower_alnum(ou.strip_prefix("ou-").unwrap(), 32), "{ou}");
        assert!(!ou[3..].contains('-'), "no root part: {ou}");
        let account = hw.new_account_id(&mut src);
        assert!(
            account.len() == 32
                && all(&account, |b| b.is_ascii_hexdigit()
                    && !b.is_ascii_uppercase()),
            "{account}"
        );
        assert!(is_handshake_id(&hw.new_handshake_id(&mut src)));
        let policy = hw.new_policy_id(&mut src);
        assert!(
            lower_alnum(policy.strip_prefix("p-").unwrap(), 32),
            "{policy}"
        );
        let car = hw.new_create_account_request_id(&mut src);
        assert!(is_create_account_request_id(&car), "{car}");
    }

    #[test]
    fn stored_organizations_without_a_scheme_are_aws() {
        #[derive(Deserialize)]
        struct Stored {
            #[serde(default)]
            scheme: IdScheme,
        }
        let s: Stored = serde_json::from_str("{}").unwrap();
        assert_eq!(s.scheme, IdScheme::Aws);
    }

    #[test]
    fn recognisers_reject_near_misses() {
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
        assert!(!is_root_id("r-ab"));
        assert!(!is_root_id("r-ABCD"));
        assert!(!is_ou_id("ou-abcd-1234567"));
        assert!(!is_ou_id("ou-abcd"));
        assert!(is_ou_id("ou-abcd-12345678"));
        assert!(is_policy_id("p-FullAWSAccess"));
        assert!(!is_create_account_request_id("car-short"));
    }
}
