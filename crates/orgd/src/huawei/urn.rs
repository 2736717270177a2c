//! Huawei resource names: the one function that builds every URN orgd answers with, from the
//! domain's `ResourceName` (as `aws/arn.rs` builds ARNs).
//!
//! API.md §2 documents the organization, OU and account forms,
//! `organizations::<management-account>:<kind>:<org-id>[/<id>]`; roots, policies and handshakes
//! follow the same pattern by analogy (not confirmed by Huawei; clients treat URNs as opaque).

use orgd_domain::ops::{Named, ResourceName};

use super::wire;

/// The account part of the URN of a policy the cloud itself manages (a system policy).
const SYSTEM: &str = "system";

/// The URN of a named entity.
pub fn urn(name: &ResourceName) -> String {
    let (account_id, org_id, entity) = match name {
        ResourceName::ManagedPolicy {
            policy_type,
            policy_id,
        } => {
            return format!(
                "organizations::{SYSTEM}:policy:{}/{policy_id}",
                wire::policy_type(*policy_type)
            );
        }
        ResourceName::Org {
            account_id,
            org_id,
            entity,
        } => (account_id, org_id, entity),
    };
    let resource = match entity {
        Named::Organization => format!("organization:{org_id}"),
        Named::Account(id) => format!("account:{org_id}/{id}"),
        Named::Root(id) => format!("root:{org_id}/{id}"),
        Named::OrganizationalUnit(id) => format!("ou:{org_id}/{id}"),
        Named::Policy {
            policy_type,
            policy_id,
        } => format!(
            "policy:{org_id}/{}/{policy_id}",
            wire::policy_type(*policy_type)
        ),
        Named::Handshake { handshake_id, .. } => format!("handshake:{org_id}/{handshake_id}"),
        // AWS's alone; named by analogy should one ever be shown.
        Named::ResourcePolicy(id) => format!("resourcepolicy:{org_id}/{id}"),
        Named::Transfer { transfer_id, .. } => format!("transfer:{org_id}/{transfer_id}"),
    };
    format!("organizations::{account_id}:{resource}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgd_domain::policy::PolicyType;

    fn org(entity: Named) -> ResourceName {
        ResourceName::Org {
            account_id: "0a6d25d23900d45c0faac010e0fb4de0".into(),
            org_id: "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv".into(),
            entity,
        }
    }

    #[test]
    fn urns_have_huaweis_documented_forms() {
        assert_eq!(
            urn(&org(Named::Organization)),
            "organizations::0a6d25d23900d45c0faac010e0fb4de0:organization:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv"
        );
        assert_eq!(
            urn(&org(Named::OrganizationalUnit(
                "ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw".into()
            ))),
            "organizations::0a6d25d23900d45c0faac010e0fb4de0:ou:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/ou-taowxgy4xbme6m4x3c2iijbxw7yj8fcw"
        );
        assert_eq!(
            urn(&org(Named::Account(
                "05261f923e80d3890f33c0056e9b3f80".into()
            ))),
            "organizations::0a6d25d23900d45c0faac010e0fb4de0:account:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/05261f923e80d3890f33c0056e9b3f80"
        );
        assert_eq!(
            urn(&org(Named::Policy {
                policy_type: PolicyType::parse("SERVICE_CONTROL_POLICY").unwrap(),
                policy_id: "p-1".into()
            })),
            "organizations::0a6d25d23900d45c0faac010e0fb4de0:policy:o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv/service_control_policy/p-1"
        );
    }
}
