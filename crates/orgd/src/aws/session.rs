//! Temporary credentials, as STS `AssumeRole` issues them: an access key ID (`ASIA...`), a secret
//! and a session token. They are stateless: the session token seals who the session acts as and
//! until when, with an HMAC under the server's key (the key pagination tokens use, kept in the
//! store, new after a reset), and the secret is derived from the access key ID under the same key.
//! So every replica and every restart recognizes them, and a reset revokes them all.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use orgd_domain::Millis;
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// What a session acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The access key ID issued with the session; a request must be signed with it.
    pub access_key_id: String,
    /// The account the session acts in.
    pub account_id: String,
    /// The role assumed and the session's name, for the assumed-role ARN.
    pub role_name: String,
    pub session_name: String,
    /// When the credentials stop working (orgd's clock, milliseconds).
    pub expires_at: Millis,
}

/// The three parts of temporary credentials, as a client receives them.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

/// Why a session token is refused (AWS: `UnrecognizedClientException`, `ExpiredTokenException`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
}

const TOKEN_CONTEXT: &[u8] = b"orgd sts session token\0";
const SECRET_CONTEXT: &[u8] = b"orgd sts secret access key\0";
const MAC_LEN: usize = 32;
/// The characters of an AWS access key ID after its four-letter prefix.
const KEY_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn mac(key: &[u8; 32], context: &[u8], data: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(context);
    m.update(data);
    m
}

/// The secret access key of a temporary access key ID.
pub fn secret_for(key: &[u8; 32], access_key_id: &str) -> String {
    let tag = mac(key, SECRET_CONTEXT, access_key_id.as_bytes())
        .finalize()
        .into_bytes();
    STANDARD.encode(&tag[..30])
}

/// The unique id of a role (`AROA` and 17 characters), stable for an account's role name, as
/// `AssumedRoleId` and `UserId` begin with it.
pub fn role_id(account_id: &str, role_name: &str) -> String {
    use sha2::Digest;
    let digest = Sha256::digest(format!("{account_id}/{role_name}").as_bytes());
    let suffix: String = digest
        .iter()
        .take(17)
        .map(|b| KEY_ALPHABET[usize::from(*b) % KEY_ALPHABET.len()] as char)
        .collect();
    format!("AROA{suffix}")
}

/// Issues credentials for a session (its `access_key_id` is chosen here).
pub fn issue(
    key: &[u8; 32],
    rng: &mut impl Rng,
    account_id: &str,
    role_name: &str,
    session_name: &str,
    expires_at: Millis,
) -> (Session, Credentials) {
    let suffix: String = (0..16)
        .map(|_| KEY_ALPHABET[rng.random_range(0..KEY_ALPHABET.len())] as char)
        .collect();
    let session = Session {
        access_key_id: format!("ASIA{suffix}"),
        account_id: account_id.to_string(),
        role_name: role_name.to_string(),
        session_name: session_name.to_string(),
        expires_at,
    };
    let mut sealed = serde_json::to_vec(&session).expect("a session serializes");
    let tag = mac(key, TOKEN_CONTEXT, &sealed).finalize().into_bytes();
    sealed.extend_from_slice(&tag);
    let credentials = Credentials {
        access_key_id: session.access_key_id.clone(),
        secret_access_key: secret_for(key, &session.access_key_id),
        session_token: URL_SAFE_NO_PAD.encode(sealed),
    };
    (session, credentials)
}

/// Opens a session token at time `now`.
pub fn open(key: &[u8; 32], token: &str, now: Millis) -> Result<Session, TokenError> {
    let raw = URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .map_err(|_| TokenError::Invalid)?;
    if raw.len() <= MAC_LEN {
        return Err(TokenError::Invalid);
    }
    let (payload, tag) = raw.split_at(raw.len() - MAC_LEN);
    mac(key, TOKEN_CONTEXT, payload)
        .verify_slice(tag)
        .map_err(|_| TokenError::Invalid)?;
    let session: Session = serde_json::from_slice(payload).map_err(|_| TokenError::Invalid)?;
    if now >= session.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_token_opens_only_under_its_key_unaltered_and_before_it_expires() {
        let key = [3u8; 32];
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let (s, c) = issue(&key, &mut rng, "222233334444", "Admin", "ci", 10_000);
        assert!(c.access_key_id.starts_with("ASIA") && c.access_key_id.len() == 20);
        assert_eq!(c.secret_access_key, secret_for(&key, &c.access_key_id));
        assert_eq!(c.secret_access_key.len(), 40);
        assert_eq!(open(&key, &c.session_token, 9_999), Ok(s));
        assert_eq!(
            open(&key, &c.session_token, 10_000),
            Err(TokenError::Expired)
        );
        assert_eq!(
            open(&[4u8; 32], &c.session_token, 0),
            Err(TokenError::Invalid)
        );
        let mut raw = URL_SAFE_NO_PAD.decode(&c.session_token).unwrap();
        raw[5] ^= 1;
        assert_eq!(
            open(&key, &URL_SAFE_NO_PAD.encode(raw), 0),
            Err(TokenError::Invalid)
        );
        assert_eq!(open(&key, "not a token", 0), Err(TokenError::Invalid));
        let (_, other) = issue(&key, &mut rng, "222233334444", "Admin", "ci", 10_000);
        assert_ne!(other.access_key_id, c.access_key_id);
        assert_ne!(other.secret_access_key, c.secret_access_key);
    }
}
