//! Service control policies (SCPs) and resource control policies (RCPs) as guardrails: whether a
//! request by an account is within what the policies in effect on it allow. A pure function of
//! `State`, the calling account, the action, the resource and the request's condition keys; the
//! same function authorizes member accounts' own calls to orgd and answers the simulator.
//!
//! As AWS Organizations evaluates them ("SCP evaluation", "RCP evaluation"):
//! - Only accounts of an organization are restricted, never its management account, and a type
//!   binds only while it is enabled on the root.
//! - The policies in effect are those attached to the root, to every OU on the account's path and
//!   to the account itself. An explicit `Deny` in any of them denies; otherwise every level (root,
//!   each OU, the account) must have a policy with a statement that allows the request.
//! - RCPs restrict requests to the resources of the services AWS lists for them (`RCP_SERVICES`);
//!   Organizations is not among them, so RCPs never bind orgd's own operations. The account is
//!   taken as the owner of the resource.
//!
//! Keys the state knows are set here (`aws:PrincipalAccount`, `aws:PrincipalOrgID`,
//! `aws:PrincipalOrgPaths`, `aws:ResourceAccount`, `aws:ResourceOrgID`, `aws:ResourceOrgPaths`,
//! `aws:CurrentTime`, `aws:EpochTime`, `aws:PrincipalIsAWSService`, `aws:PrincipalType`,
//! `aws:userid`); the adapter supplies the rest (`aws:PrincipalArn`, `aws:RequestedRegion`,
//! `aws:SecureTransport`, `aws:SourceIp`, `aws:UserAgent`, ...).
//!
//! Documents are parsed once per policy version (`State::parsed_policy`; the AWS-managed ones
//! once per process), never per request.

use std::sync::LazyLock;

use crate::model::{Millis, State};
use crate::ops::{MANAGED_POLICIES, Named, ResourceName, attached, path_targets};
use crate::policy::{
    Context, Document, Effect, PolicyType, Request, parse_authorization, parse_resource_policy,
};

/// The service prefixes whose requests RCPs restrict (AWS Organizations guide, "List of AWS
/// services that support RCPs").
pub const RCP_SERVICES: &[&str] = &[
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "cognito-idp",
    "logs",
    "dynamodb",
    "ecr",
    "aoss",
];

/// What the guardrails decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// A statement of this policy denies the request.
    ExplicitDeny {
        policy_type: PolicyType,
        policy_id: String,
    },
    /// No policy of this type attached to this target (root, OU or the account) allows it.
    ImplicitDeny {
        policy_type: PolicyType,
        target_id: String,
    },
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed)
    }
}

/// Why no guardrail applies to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// The account is in no organization.
    NotInOrganization,
    /// The management account is never restricted.
    ManagementAccount,
}

/// A statement that matched the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// Its position in the policy's `Statement` list.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
}

/// One policy in effect on the account, where it is attached, and its statements that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InEffect {
    pub policy_type: PolicyType,
    pub policy_id: String,
    pub name: String,
    /// What an adapter names the policy with (an ARN, a URN).
    pub resource_name: ResourceName,
    /// The root, OU or account it is attached to.
    pub target_id: String,
    pub matched: Vec<Matched>,
}

/// The answer for one request: the decision, and every SCP and RCP evaluated for it (root first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub exemption: Option<Exemption>,
    pub policies: Vec<InEffect>,
}

/// Whether any guardrail can restrict `account_id` at all (a member of an organization whose root
/// has SCPs or RCPs enabled): the cheap test before building a request's context.
pub fn binds(state: &State, account_id: &str) -> bool {
    let Some(org) = state.org_of(account_id) else {
        return false;
    };
    if org.management_account_id == account_id {
        return false;
    }
    let Some(account) = state.accounts.get(account_id) else {
        return false;
    };
    path_targets(state, account)
        .first()
        .and_then(|root| state.roots.get(*root))
        .is_some_and(|r| {
            r.policy_types
                .iter()
                .any(|t| matches!(t, PolicyType::ServiceControl | PolicyType::ResourceControl))
        })
}

/// Evaluates the SCPs (and, for the services they cover, the RCPs) in effect on `account_id` for a
/// request of `action` (`service:Action`) on `resource` (an ARN; `None` for an action without a
/// resource type). `context` holds the keys the adapter knows; the state's own keys are added.
pub fn evaluate(
    state: &State,
    account_id: &str,
    action: &str,
    resource: Option<&str>,
    context: &Context,
    now: Millis,
) -> Evaluation {
    let allowed = |exemption| Evaluation {
        decision: Decision::Allowed,
        exemption: Some(exemption),
        policies: Vec::new(),
    };
    let (Some(org), Some(account)) = (state.org_of(account_id), state.accounts.get(account_id))
    else {
        return allowed(Exemption::NotInOrganization);
    };
    if org.management_account_id == account_id {
        return allowed(Exemption::ManagementAccount);
    }
    let levels = path_targets(state, account);
    let Some(root) = levels.first().and_then(|r| state.roots.get(*r)) else {
        return allowed(Exemption::NotInOrganization);
    };

    let mut cx = context.clone();
    let org_path = match account.parent_id() {
        Some(parent) => state.path_of_parent(&org.id, parent),
        None => format!("{}/", org.id),
    };
    let service = action.split_once(':').map_or(action, |(s, _)| s);
    let resource_account = if service.eq_ignore_ascii_case("organizations") {
        org.management_account_id.as_str()
    } else {
        account_id
    };
    let seconds = now / 1000;
    cx.set("aws:PrincipalAccount", account_id)
        .set("aws:PrincipalOrgID", &org.id)
        .set_all("aws:PrincipalOrgPaths", vec![org_path.clone()])
        .set("aws:ResourceAccount", resource_account)
        .set("aws:ResourceOrgID", &org.id)
        .set_all("aws:ResourceOrgPaths", vec![org_path])
        .set("aws:PrincipalIsAWSService", "false")
        .set("aws:EpochTime", seconds.to_string())
        .set_default("aws:PrincipalType", "Account")
        .set_default("aws:userid", account_id);
    if let Some(t) = iso8601(now) {
        cx.set("aws:CurrentTime", t);
    }
    let request = Request {
        principal_account: account_id,
        action,
        resource,
        context: &cx,
    };

    let mut types = vec![PolicyType::ServiceControl];
    if RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
        types.push(PolicyType::ResourceControl);
    }
    let mut policies = Vec::new();
    let mut decision = Decision::Allowed;
    for ty in types {
        if !root.policy_types.contains(&ty) {
            continue;
        }
        let mut denied_by = None;
        let mut unallowed_level = None;
        for target in &levels {
            let mut level_allows = false;
            for id in attached(state, target) {
                let Some((name, resource_name, doc)) = document(state, id, ty) else {
                    continue;
                };
                let matched: Vec<Matched> = doc
                    .matching(&request)
                    .map(|(index, s)| Matched {
                        index,
                        sid: s.sid.clone(),
                        effect: s.effect,
                    })
                    .collect();
                level_allows |= matched.iter().any(|m| m.effect == Effect::Allow);
                if denied_by.is_none() && matched.iter().any(|m| m.effect == Effect::Deny) {
                    denied_by = Some(id.clone());
                }
                policies.push(InEffect {
                    policy_type: ty,
                    policy_id: id.clone(),
                    name,
                    resource_name,
                    target_id: target.to_string(),
                    matched,
                });
            }
            if !level_allows && unallowed_level.is_none() {
                unallowed_level = Some(target.to_string());
            }
        }
        if decision.is_allowed() {
            decision = match (denied_by, unallowed_level) {
                (Some(policy_id), _) => Decision::ExplicitDeny {
                    policy_type: ty,
                    policy_id,
                },
                (None, Some(target_id)) => Decision::ImplicitDeny {
                    policy_type: ty,
                    target_id,
                },
                (None, None) => Decision::Allowed,
            };
        }
    }
    Evaluation {
        decision,
        exemption: None,
        policies,
    }
}

/// The AWS-managed policies, parsed once. `RCPFullAWSAccess` is the one RCP with `Allow` (and
/// the action `*`), which customer RCPs may not use: it is read with the grammar of
/// resource-based policies.
static MANAGED: LazyLock<Vec<(&'static str, String, Document)>> = LazyLock::new(|| {
    MANAGED_POLICIES
        .iter()
        .filter_map(|m| {
            let doc = match m.policy_type {
                PolicyType::ResourceControl => parse_resource_policy(m.content),
                ty => parse_authorization(ty, m.content),
            };
            doc.ok().map(|d| (m.id, m.name.to_string(), d))
        })
        .collect()
});

/// The name, resource name and parsed document of an attached policy of type `ty` (managed or
/// stored).
fn document<'s>(
    state: &'s State,
    id: &str,
    ty: PolicyType,
) -> Option<(String, ResourceName, &'s Document)> {
    let managed = MANAGED_POLICIES
        .iter()
        .any(|m| m.id == id && m.policy_type == ty);
    if managed {
        let (_, name, doc) = MANAGED.iter().find(|(mid, ..)| *mid == id)?;
        let rn = ResourceName::ManagedPolicy {
            policy_type: ty,
            policy_id: id.to_string(),
        };
        return Some((name.clone(), rn, doc));
    }
    let p = state.policies.get(id).filter(|p| p.policy_type == ty)?;
    let org = state.organizations.get(&p.org_id)?;
    let rn = ResourceName::of(
        org,
        Named::Policy {
            policy_type: ty,
            policy_id: id.to_string(),
        },
    );
    Some((p.name.clone(), rn, state.parsed_policy(id)?))
}

/// `aws:CurrentTime`'s ISO 8601 text of a time in milliseconds.
fn iso8601(now: Millis) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now) * 1_000_000).ok()?;
    t.replace_nanosecond(0).ok()?.format(&Rfc3339).ok()
}
