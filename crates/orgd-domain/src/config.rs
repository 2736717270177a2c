//! Quotas and timings, in one place. Defaults are AWS's documented values (the "Quotas for AWS
//! Organizations" page, and AWS's announcements where the page lags), except where a field says
//! otherwise; every one can be changed (`Limits::set`, the server's `--limit NAME=VALUE`; see the
//! README's "Quotas" table).

use std::collections::BTreeMap;

use crate::model::Millis;
use crate::policy::PolicyType;

const DAY: Millis = 24 * 60 * 60 * 1000;

/// The quotas of one policy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyQuota {
    /// Largest policy document, in characters (`POLICY_CONTENT_LIMIT_EXCEEDED`).
    pub content_chars: usize,
    /// Policies of the type attached directly to one root, OU or account
    /// (`MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`).
    pub attached_per_target: usize,
    /// Policies of the type in one organization (`POLICY_NUMBER_LIMIT_EXCEEDED`).
    pub per_organization: usize,
}

impl PolicyQuota {
    /// AWS's quotas for the type (`policy/types.rs` keeps the facts).
    pub fn aws(ty: PolicyType) -> Self {
        PolicyQuota {
            content_chars: ty.max_content_chars(),
            attached_per_target: ty.max_attached_per_target(),
            per_organization: ty.max_policies_per_organization(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Accounts per organization, the management account and closed accounts still in their
    /// post-closure period included (`ACCOUNT_NUMBER_LIMIT_EXCEEDED`). AWS's default quota is 10
    /// and AWS raises it on request; orgd's default is 100,000 so that test suites that create
    /// many accounts work unchanged (`max_accounts=10` gives AWS's).
    pub max_accounts: usize,
    /// OUs per organization (AWS: 2,000; `OU_NUMBER_LIMIT_EXCEEDED`).
    pub max_ous: usize,
    /// Levels of OUs below the root (AWS: 5, not adjustable; `OU_DEPTH_LIMIT_EXCEEDED`).
    pub max_ou_depth: usize,
    /// Tags per resource (AWS: 50, not adjustable; `MAX_TAG_LIMIT_EXCEEDED`).
    pub max_tags: usize,
    /// Invitations an organization may send in a rolling 24 hours (AWS: 20;
    /// `HANDSHAKE_RATE_LIMIT_EXCEEDED`).
    pub max_invitations_per_day: usize,
    /// How long an account created in the organization must exist before it can be removed from
    /// it (AWS: 7 days; `WAIT_PERIOD_ACTIVE`). Invited accounts are not subject to it.
    pub min_account_age: Millis,
    /// Accounts an organization may close in a rolling `close_quota_window`: this percentage of
    /// its member accounts, but at least `close_quota_min` and at most `close_quota_max` (AWS:
    /// 10%, 10, 1,000, 30 days; `CLOSE_ACCOUNT_QUOTA_EXCEEDED`).
    pub close_quota_percent: usize,
    pub close_quota_min: usize,
    pub close_quota_max: usize,
    pub close_quota_window: Millis,
    /// How long a closed account stays in its organization, `SUSPENDED`, before it leaves it
    /// (AWS: the 90-day post-closure period).
    pub post_closure_period: Millis,
    /// Per policy type: document size, attachments per target, policies per organization.
    pub policy: BTreeMap<PolicyType, PolicyQuota>,
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
    /// How long a CreateAccount request stays `IN_PROGRESS` (orgd: at once).
    pub create_account_delay: Millis,
    /// How long a closed account stays `PENDING_CLOSURE` before it is `SUSPENDED` (orgd: at once).
    pub close_account_delay: Millis,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_accounts: 100_000,
            max_ous: 2_000,
            max_ou_depth: 5,
            max_tags: 50,
            max_invitations_per_day: 20,
            min_account_age: 7 * DAY,
            close_quota_percent: 10,
            close_quota_min: 10,
            close_quota_max: 1_000,
            close_quota_window: 30 * DAY,
            post_closure_period: 90 * DAY,
            policy: PolicyType::ALL
                .iter()
                .map(|&ty| (ty, PolicyQuota::aws(ty)))
                .collect(),
            scp_enabled_at_creation: false,
            invitation_ttl: 15 * DAY,
            enable_all_features_ttl: 90 * DAY,
            handshake_retention: 30 * DAY,
            transfer_start_horizon: 366 * DAY,
            create_account_delay: 0,
            close_account_delay: 0,
        }
    }
}

/// Why `Limits::set` refused a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLimit(pub String);

impl std::fmt::Display for UnknownLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Limits {
    /// The quotas of a policy type.
    pub fn policy(&self, ty: PolicyType) -> PolicyQuota {
        self.policy
            .get(&ty)
            .copied()
            .unwrap_or_else(|| PolicyQuota::aws(ty))
    }

    /// How many accounts an organization with `members` member accounts may close in the window.
    pub fn close_quota(&self, members: usize) -> usize {
        (members * self.close_quota_percent / 100)
            .max(self.close_quota_min)
            .min(self.close_quota_max)
    }

    /// The names `set` accepts, for help texts.
    pub const NAMES: &'static str = "max_accounts, max_ous, max_ou_depth, max_tags, \
        max_invitations_per_day, min_account_age_ms, close_quota_percent, close_quota_min, \
        close_quota_max, close_quota_window_ms, post_closure_period_ms, \
        policy_content_chars.TYPE, policy_attached_per_target.TYPE, \
        policy_per_organization.TYPE (TYPE: a PolicyType such as SERVICE_CONTROL_POLICY)";

    /// Sets one quota by name (`NAMES`) to a whole number.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), UnknownLimit> {
        let too_large = || UnknownLimit(format!("{value} is too large"));
        let n = usize::try_from(value).map_err(|_| too_large())?;
        let ms = Millis::try_from(value).map_err(|_| too_large())?;
        match name {
            "max_accounts" => self.max_accounts = n,
            "max_ous" => self.max_ous = n,
            "max_ou_depth" => self.max_ou_depth = n,
            "max_tags" => self.max_tags = n,
            "max_invitations_per_day" => self.max_invitations_per_day = n,
            "min_account_age_ms" => self.min_account_age = ms,
            "close_quota_percent" => self.close_quota_percent = n,
            "close_quota_min" => self.close_quota_min = n,
            "close_quota_max" => self.close_quota_max = n,
            "close_quota_window_ms" => self.close_quota_window = ms,
            "post_closure_period_ms" => self.post_closure_period = ms,
            _ => {
                let (field, ty) = name
                    .split_once('.')
                    .and_then(|(f, t)| Some((f, PolicyType::parse(t)?)))
                    .ok_or_else(|| {
                        UnknownLimit(format!("unknown limit {name:?}; known: {}", Self::NAMES))
                    })?;
                let mut q = self.policy(ty);
                match field {
                    "policy_content_chars" => q.content_chars = n,
                    "policy_attached_per_target" => q.attached_per_target = n,
                    "policy_per_organization" => q.per_organization = n,
                    _ => {
                        return Err(UnknownLimit(format!(
                            "unknown limit {name:?}; known: {}",
                            Self::NAMES
                        )));
                    }
                }
                self.policy.insert(ty, q);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_aws_quotas() {
        let l = Limits::default();
        assert_eq!(l.max_ous, 2_000);
        assert_eq!(l.max_ou_depth, 5);
        assert_eq!(l.max_invitations_per_day, 20);
        assert_eq!(l.min_account_age, 7 * DAY);
        assert_eq!(l.post_closure_period, 90 * DAY);
        let scp = l.policy(PolicyType::ServiceControl);
        assert_eq!(
            (
                scp.content_chars,
                scp.attached_per_target,
                scp.per_organization
            ),
            (10_240, 10, 10_000)
        );
    }

    #[test]
    fn close_quota_is_ten_percent_between_ten_and_a_thousand() {
        let l = Limits::default();
        assert_eq!(l.close_quota(5), 10);
        assert_eq!(l.close_quota(100), 10);
        assert_eq!(l.close_quota(250), 25);
        assert_eq!(l.close_quota(10_000), 1_000);
        assert_eq!(l.close_quota(50_000), 1_000);
    }

    #[test]
    fn every_quota_is_settable_by_name() {
        let mut l = Limits::default();
        l.set("max_accounts", 10).unwrap();
        l.set("min_account_age_ms", 0).unwrap();
        l.set("policy_attached_per_target.SERVICE_CONTROL_POLICY", 3)
            .unwrap();
        assert_eq!(l.max_accounts, 10);
        assert_eq!(l.min_account_age, 0);
        assert_eq!(l.policy(PolicyType::ServiceControl).attached_per_target, 3);
        assert!(l.set("max_nothing", 1).is_err());
        assert!(l.set("policy_content_chars.NOT_A_TYPE", 1).is_err());
    }
}
