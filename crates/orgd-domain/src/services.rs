//! The services that integrate with Organizations, per cloud, as data: their service principals,
//! and whether each supports a delegated administrator. Trusted access and delegation accept only
//! those of the organization's cloud (`Invalid::UnrecognizedServicePrincipal` otherwise).

use crate::ids::IdScheme;

/// `(service principal, supports a delegated administrator)`
pub const INTEGRATED_SERVICES: &[(&str, bool)] = &[
    ("access-analyzer.amazonaws.com", true),
    ("account.amazonaws.com", true),
    ("auditmanager.amazonaws.com", true),
    ("aws-artifact-account-sync.amazonaws.com", false),
    ("backup.amazonaws.com", true),
    ("bedrock.amazonaws.com", false),
    ("cloudtrail.amazonaws.com", true),
    ("compute-optimizer.amazonaws.com", true),
    ("config.amazonaws.com", true),
    ("config-multiaccountsetup.amazonaws.com", true),
    ("controltower.amazonaws.com", false),
    ("detective.amazonaws.com", true),
    ("devops-guru.amazonaws.com", true),
    ("ds.amazonaws.com", false),
    ("ec2.amazonaws.com", false),
    ("fms.amazonaws.com", true),
    ("guardduty.amazonaws.com", true),
    ("health.amazonaws.com", true),
    ("iam.amazonaws.com", false),
    ("inspector2.amazonaws.com", true),
    ("ipam.amazonaws.com", true),
    ("license-management.marketplace.amazonaws.com", true),
    ("license-manager.amazonaws.com", true),
    ("license-manager.member-account.amazonaws.com", true),
    ("macie.amazonaws.com", true),
    ("malware-protection.guardduty.amazonaws.com", false),
    ("member.org.stacksets.cloudformation.amazonaws.com", true),
    ("mgn.amazonaws.com", true),
    ("ram.amazonaws.com", false),
    ("reachabilityanalyzer.networkinsights.amazonaws.com", true),
    ("reporting.trustedadvisor.amazonaws.com", true),
    ("resource-explorer-2.amazonaws.com", true),
    ("securityhub.amazonaws.com", true),
    ("securitylake.amazonaws.com", true),
    ("servicecatalog.amazonaws.com", true),
    ("servicequotas.amazonaws.com", false),
    ("ssm.amazonaws.com", true),
    ("sso.amazonaws.com", true),
    ("storage-lens.s3.amazonaws.com", true),
    ("tagpolicies.tag.amazonaws.com", false),
    ("wellarchitected.amazonaws.com", true),
];

/// Huawei Cloud's services that can be trusted (`list_services`). Huawei publishes the catalogue
/// only through that operation; this lists the principals public sources confirm:
/// `service.SecMaster` (trusted service and delegated administrator in the Huawei Terraform
/// provider's acceptance tests).
pub const HUAWEI_TRUSTED_SERVICES: &[(&str, bool)] = &[("service.SecMaster", true)];

/// The catalogue of an organization's cloud.
pub fn catalogue(scheme: IdScheme) -> &'static [(&'static str, bool)] {
    match scheme {
        IdScheme::Aws => INTEGRATED_SERVICES,
        IdScheme::Huawei => HUAWEI_TRUSTED_SERVICES,
    }
}

/// Whether `principal` is a service that integrates with Organizations in the cloud of `scheme`.
pub fn is_integrated(scheme: IdScheme, principal: &str) -> bool {
    catalogue(scheme).iter().any(|(p, _)| *p == principal)
}

/// Whether `principal` accepts a delegated administrator.
pub fn supports_delegated_admin(scheme: IdScheme, principal: &str) -> bool {
    catalogue(scheme).iter().any(|(p, d)| *p == principal && *d)
}
