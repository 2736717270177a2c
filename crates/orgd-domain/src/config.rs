//! Quotas and timings. AWS documents the quotas; orgd's defaults are chosen so that test suites do
//! not trip over them, and every one can be changed (see the README's "Quotas" table).

use crate::model::Millis;

const DAY: Millis = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Accounts per organization, the management account included (AWS default quota: 10).
    pub max_accounts: usize,
    /// OUs per organization (AWS maximum: 1,000).
    pub max_ous: usize,
    /// Levels of OUs below the root (AWS: 5, not adjustable).
    pub max_ou_depth: usize,
    /// Tags per resource (AWS: 50, not adjustable).
    pub max_tags: usize,
    /// Invitations an organization may send in a rolling 24 hours (AWS: 20).
    pub max_invitations_per_day: usize,
    /// How long an invitation stays open (AWS: 15 days).
    pub invitation_ttl: Millis,
    /// How long an enable-all-features request stays open (AWS: 90 days).
    pub enable_all_features_ttl: Millis,
    /// How long a completed handshake stays visible (AWS: 30 days).
    pub handshake_retention: Millis,
    /// How far ahead a responsibility transfer may start (AWS does not document its limit).
    pub transfer_start_horizon: Millis,
    /// Whether a new all-features organization starts with SCPs enabled in its root (and
    /// `FullAWSAccess` attached), as AWS's documentation says; AWS itself does not.
    pub scp_enabled_at_creation: bool,
    /// How long a CreateAccount request stays `IN_PROGRESS`.
    pub create_account_delay: Millis,
    /// How long a closed account stays `PENDING_CLOSURE` before it is `SUSPENDED`.
    pub close_account_delay: Millis,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_accounts: 100_000,
            max_ous: 1_000,
            max_ou_depth: 5,
            max_tags: 50,
            scp_enabled_at_creation: false,
            max_invitations_per_day: 20,
            invitation_ttl: 15 * DAY,
            enable_all_features_ttl: 90 * DAY,
            handshake_retention: 30 * DAY,
            transfer_start_horizon: 366 * DAY,
            create_account_delay: 0,
            close_account_delay: 0,
        }
    }
}
