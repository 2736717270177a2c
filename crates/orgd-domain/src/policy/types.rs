//! The policy types of the service model and the facts AWS documents for each: wire name, ARN
//! segment, family (authorization or management), content size limit and attachment quotas.
//!
//! Sources: the `PolicyType` enum of the 2016-11-28 service model; "Quotas and service limits for
//! AWS Organizations" (maximum size of a policy document, policies per organization, policies
//! attached to one root, OU or account). Types that page does not list yet (Amazon Inspector,
//! upgrade rollout, Amazon Bedrock, S3, Network Security Director) take the size the
//! CloudFormation `AWS::Organizations::Policy` reference documents (10,000 characters) and the
//! attachment quota of their closest documented sibling (10).

use std::fmt;

/// Whether a policy type restricts permissions (its content is IAM policy language and it has no
/// effective policy) or configures services (its content uses inheritance operators and it has an
/// effective policy per account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    Authorization,
    Management,
}

macro_rules! policy_types {
    ($(
        $(#[$m:meta])*
        $variant:ident = $wire:literal, $kind:ident,
            size $size:literal, attach $min:literal..=$max:literal, per_org $org:literal;
    )*) => {
        /// A value of the service model's `PolicyType` enum.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum PolicyType {
            $($(#[$m])* $variant,)*
        }

        impl PolicyType {
            /// Every policy type, in the order of the service model.
            pub const ALL: &'static [PolicyType] = &[$(PolicyType::$variant,)*];

            /// The wire name, e.g. `SERVICE_CONTROL_POLICY`.
            pub fn as_str(self) -> &'static str {
                match self { $(PolicyType::$variant => $wire,)* }
            }

            /// The wire name back to a type; `None` for anything else (an adapter answers with
            /// its invalid-enum error).
            pub fn parse(s: &str) -> Option<PolicyType> {
                match s { $($wire => Some(PolicyType::$variant),)* _ => None }
            }

            pub fn kind(self) -> PolicyKind {
                match self { $(PolicyType::$variant => PolicyKind::$kind,)* }
            }

            /// The largest content, in characters (whitespace included: content saved through
            /// the API is stored exactly as sent), that `CreatePolicy`/`UpdatePolicy` accept.
            pub fn max_content_chars(self) -> usize {
                match self { $(PolicyType::$variant => $size,)* }
            }

            /// How many policies of this type one root, OU or account may have attached directly
            /// (inherited ones do not count). Exceeding it is `Constraint::MaxPoliciesAttached`.
            pub fn max_attached_per_target(self) -> usize {
                match self { $(PolicyType::$variant => $max,)* }
            }

            /// How many policies of this type every root, OU and account must keep attached while
            /// the type is enabled: 1 for SCPs and RCPs (detaching the last one is
            /// `MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`), 0 otherwise.
            pub fn min_attached_per_target(self) -> usize {
                match self { $(PolicyType::$variant => $min,)* }
            }

            /// How many policies of this type one organization may hold (AWS default quota).
            /// Exceeding it is `POLICY_NUMBER_LIMIT_EXCEEDED`.
            pub fn max_policies_per_organization(self) -> usize {
                match self { $(PolicyType::$variant => $org,)* }
            }
        }
    };
}

policy_types! {
    ServiceControl = "SERVICE_CONTROL_POLICY", Authorization,
        size 10_240, attach 1..=10, per_org 10_000;
    ResourceControl = "RESOURCE_CONTROL_POLICY", Authorization,
        size 5_120, attach 1..=5, per_org 1_000;
    Tag = "TAG_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    Backup = "BACKUP_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    AiServicesOptOut = "AISERVICES_OPT_OUT_POLICY", Management,
        size 2_500, attach 0..=5, per_org 1_000;
    Chatbot = "CHATBOT_POLICY", Management,
        size 10_000, attach 0..=5, per_org 1_000;
    DeclarativeEc2 = "DECLARATIVE_POLICY_EC2", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    SecurityHub = "SECURITYHUB_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    Inspector = "INSPECTOR_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    UpgradeRollout = "UPGRADE_ROLLOUT_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    Bedrock = "BEDROCK_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    S3 = "S3_POLICY", Management,
        size 10_000, attach 0..=10, per_org 1_000;
    NetworkSecurityDirector = "NETWORK_SECURITY_DIRECTOR_POLICY",
        Management,
        size 10_000, attach 0..=10, per_org 1_000;
}

impl PolicyType {
    /// SCPs and RCPs.
    pub fn is_authorization(self) -> bool {
        self.kind() == PolicyKind::Authorization
    }

    /// Every type that has an effective policy (`DescribeEffectivePolicy`,
    /// `ListEffectivePolicyValidationErrors`): the service model's `EffectivePolicyType` enum.
    pub fn is_management(self) -> bool {
        self.kind() == PolicyKind::Management
    }
}

/// Stored by its wire name.
impl serde::Serialize for PolicyType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for PolicyType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        PolicyType::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown policy type {s}")))
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_value_round_trips_through_its_wire_name() {
        let model = [
            "SERVICE_CONTROL_POLICY",
            "RESOURCE_CONTROL_POLICY",
            "TAG_POLICY",
            "BACKUP_POLICY",
            "AISERVICES_OPT_OUT_POLICY",
            "CHATBOT_POLICY",
            "DECLARATIVE_POLICY_EC2",
            "SECURITYHUB_POLICY",
            "INSPECTOR_POLICY",
            "UPGRADE_ROLLOUT_POLICY",
            "BEDROCK_POLICY",
            "S3_POLICY",
            "NETWORK_SECURITY_DIRECTOR_POLICY",
        ];
        assert_eq!(PolicyType::ALL.len(), model.len());
        for (ty, wire) in PolicyType::ALL.iter().zip(model) {
            assert_eq!(ty.as_str(), wire);
            assert_eq!(PolicyType::parse(wire), Some(*ty));
        }
    }

    #[test]
    fn unknown_and_miscased_names_do_not_parse() {
        assert_eq!(PolicyType::parse("service_control_policy"), None);
        assert_eq!(PolicyType::parse("SCP"), None);
        assert_eq!(PolicyType::parse(""), None);
    }

    #[test]
    fn only_scps_and_rcps_are_authorization_policies() {
        let auth: Vec<_> = PolicyType::ALL
            .iter()
            .filter(|t| t.is_authorization())
            .collect();
        assert_eq!(
            auth,
            [&PolicyType::ServiceControl, &PolicyType::ResourceControl]
        );
        assert_eq!(
            PolicyType::ALL.iter().filter(|t| t.is_management()).count(),
            11
        );
    }

    #[test]
    fn size_limits_follow_the_quotas_page() {
        assert_eq!(PolicyType::ServiceControl.max_content_chars(), 10_240);
        assert_eq!(PolicyType::ResourceControl.max_content_chars(), 5_120);
        assert_eq!(PolicyType::AiServicesOptOut.max_content_chars(), 2_500);
        for ty in [
            PolicyType::Tag,
            PolicyType::Backup,
            PolicyType::Chatbot,
            PolicyType::DeclarativeEc2,
        ] {
            assert_eq!(ty.max_content_chars(), 10_000, "{ty}");
        }
    }

    #[test]
    fn attachment_quotas_follow_the_quotas_page() {
        assert_eq!(PolicyType::ServiceControl.max_attached_per_target(), 10);
        assert_eq!(PolicyType::ResourceControl.max_attached_per_target(), 5);
        assert_eq!(PolicyType::AiServicesOptOut.max_attached_per_target(), 5);
        assert_eq!(PolicyType::Chatbot.max_attached_per_target(), 5);
        assert_eq!(PolicyType::Tag.max_attached_per_target(), 10);
        assert_eq!(PolicyType::Backup.max_attached_per_target(), 10);
        assert_eq!(PolicyType::ServiceControl.min_attached_per_target(), 1);
        assert_eq!(PolicyType::ResourceControl.min_attached_per_target(), 1);
        assert_eq!(PolicyType::Tag.min_attached_per_target(), 0);
    }

    #[test]
    fn organization_quotas_follow_the_quotas_page() {
        assert_eq!(
            PolicyType::ServiceControl.max_policies_per_organization(),
            10_000
        );
        assert_eq!(
            PolicyType::ResourceControl.max_policies_per_organization(),
            1_000
        );
        assert_eq!(PolicyType::Tag.max_policies_per_organization(), 1_000);
    }
}
