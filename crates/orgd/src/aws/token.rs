//! Pagination tokens. A token seals the listing it belongs to (operation and parameters), the key
//! of the last item returned and when it was issued, with an HMAC under the server's key: a client
//! cannot forge one or reuse it for another listing, and one older than a day, or issued before a
//! reset, is refused.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use orgd_domain::Millis;
use sha2::Sha256;

const MAX_AGE: Millis = 24 * 60 * 60 * 1000;
const MAC_LEN: usize = 16;

fn mac(key: &[u8; 32], listing: &str, payload: &[u8]) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(listing.as_bytes());
    m.update(&[0]);
    m.update(payload);
    m
}

/// Seals `after` (the last key returned) for `listing` (operation and parameters).
pub fn seal(key: &[u8; 32], listing: &str, after: &str, now: Millis) -> String {
    let mut payload = now.to_be_bytes().to_vec();
    payload.extend_from_slice(after.as_bytes());
    let tag = mac(key, listing, &payload).finalize().into_bytes();
    payload.extend_from_slice(&tag[..MAC_LEN]);
    URL_SAFE_NO_PAD.encode(payload)
}

/// Opens a token for `listing`; `None` when it is forged, for another listing, or stale.
pub fn open(key: &[u8; 32], listing: &str, token: &str, now: Millis) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
    if raw.len() < 8 + MAC_LEN {
        return None;
    }
    let (payload, tag) = raw.split_at(raw.len() - MAC_LEN);
    mac(key, listing, payload).verify_truncated_left(tag).ok()?;
    let issued = Millis::from_be_bytes(payload[..8].try_into().ok()?);
    if now - issued > MAX_AGE || issued - now > MAX_AGE {
        return None;
    }
    String::from_utf8(payload[8..].to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_only_for_their_listing_key_and_age() {
        let key = [7u8; 32];
        let t = seal(&key, "ListAccounts", "111122223333", 1000);
        assert_eq!(
            open(&key, "ListAccounts", &t, 2000).as_deref(),
            Some("111122223333")
        );
        assert_eq!(open(&key, "ListRoots", &t, 2000), None);
        assert_eq!(open(&[8u8; 32], "ListAccounts", &t, 2000), None);
        assert_eq!(open(&key, "ListAccounts", &t, 1000 + MAX_AGE + 1), None);
        let mut forged = t.clone().into_bytes();
        forged[3] ^= 1;
        assert_eq!(
            open(
                &key,
                "ListAccounts",
                std::str::from_utf8(&forged).unwrap(),
                2000
            ),
            None
        );
        assert_eq!(open(&key, "ListAccounts", "not a token!", 2000), None);
    }
}
