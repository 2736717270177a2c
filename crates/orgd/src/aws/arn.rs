//! AWS resource names: the partition a request is served in (from the region of its SigV4
//! credential scope) and the one function that builds every ARN orgd answers with.

use orgd_domain::ops::{Named, ResourceName};

/// The partition ARNs are answered in for a request signed for `region`: the region's partition
/// (`partition.rs`), or `aws` for a region of none.
pub fn partition_of(region: &str) -> &'static str {
    super::partition::partition_of(region).unwrap_or("aws")
}

/// The ARN of a named entity in `partition`.
pub fn arn(partition: &str, name: &ResourceName) -> String {
    let (account_id, org_id, entity) = match name {
        ResourceName::ManagedPolicy {
            policy_type,
            policy_id,
        } => {
            let segment = policy_type.as_str().to_ascii_lowercase();
            return format!("arn:{partition}:organizations::aws:policy/{segment}/{policy_id}");
        }
        ResourceName::Org {
            account_id,
            org_id,
            entity,
        } => (account_id, org_id, entity),
    };
    let resource = match entity {
        Named::Organization => format!("organization/{org_id}"),
        Named::Account(id) => format!("account/{org_id}/{id}"),
        Named::Root(id) => format!("root/{org_id}/{id}"),
        Named::OrganizationalUnit(id) => format!("ou/{org_id}/{id}"),
        Named::Policy {
            policy_type,
            policy_id,
        } => format!(
            "policy/{org_id}/{}/{policy_id}",
            policy_type.as_str().to_ascii_lowercase()
        ),
        Named::Handshake {
            action,
            handshake_id,
        } => format!(
            "handshake/{org_id}/{}/{handshake_id}",
            action.as_str().to_ascii_lowercase()
        ),
        Named::ResourcePolicy(id) => format!("resourcepolicy/{org_id}/{id}"),
        Named::Transfer {
            transfer_type,
            inbound,
            transfer_id,
        } => format!(
            "transfer/{org_id}/{}/{}/{transfer_id}",
            transfer_type.as_str().to_ascii_lowercase(),
            if *inbound { "inbound" } else { "outbound" }
        ),
    };
    format!("arn:{partition}:organizations::{account_id}:{resource}")
}

/// An Organizations resource ARN, `arn:PARTITION:organizations::ACCOUNT:TYPE/.../ID`: its
/// resource type segment and the id (the last segment).
pub fn parse_org(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("organizations::")?;
    let (_account, resource) = rest.split_once(':')?;
    let (ty, path) = resource.split_once('/')?;
    let id = path.rsplit('/').next()?;
    (!partition.is_empty() && !ty.is_empty() && !id.is_empty()).then_some((ty, id))
}

/// The ARN of an account's root user, what a caller signing with an account's own key is.
pub fn iam_root(partition: &str, account_id: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:root")
}

/// The ARN of an assumed-role session.
pub fn assumed_role(partition: &str, account_id: &str, role: &str, session: &str) -> String {
    format!("arn:{partition}:sts::{account_id}:assumed-role/{role}/{session}")
}

/// An IAM role ARN, `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`: its account and the role's
/// name (the last segment).
pub fn parse_role(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let ok = !partition.is_empty() && orgd_domain::ids::is_account_id(account) && !name.is_empty();
    ok.then_some((account, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgd_domain::policy::PolicyType;

    #[test]
    fn organizations_arns_give_their_type_and_id() {
        assert_eq!(
            parse_org("arn:aws:organizations::111111111111:account/o-abcdefghij/222233334444"),
            Some(("account", "222233334444"))
        );
        assert_eq!(
            parse_org(
                "arn:aws-cn:organizations::111111111111:policy/o-x/service_control_policy/p-12345678"
            ),
            Some(("policy", "p-12345678"))
        );
        assert_eq!(parse_org("arn:aws:ec2:us-east-1:1:instance/i-1"), None);
        assert_eq!(parse_org("arn:aws:organizations::1:account"), None);
    }

    #[test]
    fn role_arns_name_their_account_and_role() {
        assert_eq!(
            parse_role("arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"),
            Some(("111122223333", "OrganizationAccountAccessRole"))
        );
        assert_eq!(
            parse_role("arn:aws-cn:iam::111122223333:role/a/b/Admin"),
            Some(("111122223333", "Admin"))
        );
        for bad in [
            "arn:aws:iam::111122223333:user/Admin",
            "arn:aws:iam::1111:role/Admin",
            "arn:aws:sts::111122223333:role/Admin",
            "arn:aws:iam::111122223333:role/",
            "OrganizationAccountAccessRole",
        ] {
            assert_eq!(parse_role(bad), None, "{bad}");
        }
    }

    #[test]
    fn regions_map_to_their_partitions() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("ap-southeast-7", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("eusc-de-east-1", "aws-eusc"),
            ("", "aws"),
            ("mars-1", "aws"),
            ("cn-north", "aws"),
        ] {
            assert_eq!(partition_of(region), partition, "{region}");
        }
    }

    #[test]
    fn arns_name_the_partition_and_the_lowercase_policy_type() {
        let org = |entity| ResourceName::Org {
            account_id: "111111111111".into(),
            org_id: "o-abcdefghij".into(),
            entity,
        };
        assert_eq!(
            arn("aws-cn", &org(Named::Account("222222222222".into()))),
            "arn:aws-cn:organizations::111111111111:account/o-abcdefghij/222222222222"
        );
        assert_eq!(
            arn(
                "aws",
                &org(Named::Policy {
                    policy_type: PolicyType::AiServicesOptOut,
                    policy_id: "p-12345678".into()
                })
            ),
            "arn:aws:organizations::111111111111:policy/o-abcdefghij/aiservices_opt_out_policy/p-12345678"
        );
        assert_eq!(
            arn(
                "aws-us-gov",
                &ResourceName::ManagedPolicy {
                    policy_type: PolicyType::ServiceControl,
                    policy_id: "p-FullAWSAccess".into()
                }
            ),
            "arn:aws-us-gov:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
        );
    }
}
