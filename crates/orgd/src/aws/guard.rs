//! SCPs that bind on the AWS API: the request context the adapter knows for a member account's
//! call (the global condition keys of an Organizations request that come from the wire), and
//! AWS's `AccessDeniedException` text when `orgd_domain::guardrails` denies it. The decision is
//! the domain's.
//!
//! Keys supplied here: `aws:PrincipalArn` (the account's root user, in the request's partition),
//! `aws:RequestedRegion` (the SigV4 scope's region), `aws:SecureTransport` (`false`: orgd serves
//! plain HTTP, unless a proxy in front says `X-Forwarded-Proto: https`), `aws:SourceIp` (the peer's
//! address, or the first `X-Forwarded-For` address), `aws:UserAgent`, `aws:ViaAWSService`
//! (`false`), and the service keys `organizations:PolicyType` and
//! `organizations:ServicePrincipal` where the operation has them. The domain adds the keys the
//! state knows (account, organization, paths, time).

use std::net::IpAddr;

use orgd_domain::guardrails::{Decision, Evaluation};
use orgd_domain::policy::{Context, PolicyType};

use super::input::Input;
use super::{Request, arn};

/// The root user of an account, as IAM names it in `partition`.
pub fn principal_arn(partition: &str, account: &str) -> String {
    format!("arn:{partition}:iam::{account}:root")
}

/// The wire's condition keys of a request.
pub fn context(
    req: &Request,
    input: Option<&Input>,
    account: &str,
    region: &str,
    partition: &str,
) -> Context {
    let mut cx = Context::new();
    cx.set("aws:PrincipalArn", principal_arn(partition, account))
        .set("aws:RequestedRegion", region)
        .set("aws:ViaAWSService", "false");
    let https = req
        .header("x-forwarded-proto")
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    cx.set("aws:SecureTransport", if https { "true" } else { "false" });
    let forwarded = req
        .header("x-forwarded-for")
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    if let Some(ip) = forwarded.or(req.peer) {
        cx.set("aws:SourceIp", ip.to_string());
    }
    if let Some(agent) = req.header("user-agent") {
        cx.set("aws:UserAgent", agent);
    }
    if let Some(input) = input {
        let ty = input
            .opt_str("PolicyType")
            .or_else(|| input.opt_str("Filter"));
        if let Some(ty) = ty {
            cx.set("organizations:PolicyType", ty);
        }
        if let Some(sp) = input.opt_str("ServicePrincipal") {
            cx.set("organizations:ServicePrincipal", sp);
        }
    }
    cx
}

/// The name of a policy type in AWS's access-denied texts.
fn type_words(ty: PolicyType) -> &'static str {
    match ty {
        PolicyType::ResourceControl => "resource control policy",
        _ => "service control policy",
    }
}

/// AWS's access-denied text for a request the guardrails refused (IAM's documented format,
/// with the denying policy's ARN as AWS adds it within one organization), or `None` when allowed.
pub fn denial(eval: &Evaluation, partition: &str, account: &str, action: &str) -> Option<String> {
    let user = principal_arn(partition, account);
    match &eval.decision {
        Decision::Allowed => None,
        Decision::ExplicitDeny {
            policy_type,
            policy_id,
        } => {
            let mut text = format!(
                "User: {user} is not authorized to perform: {action} with an explicit deny in a {}",
                type_words(*policy_type)
            );
            if let Some(p) = eval.policies.iter().find(|p| &p.policy_id == policy_id) {
                text.push_str(": ");
                text.push_str(&arn::arn(partition, &p.resource_name));
            }
            Some(text)
        }
        Decision::ImplicitDeny { policy_type, .. } => Some(format!(
            "User: {user} is not authorized to perform: {action} because no {} allows the \
             {action} action",
            type_words(*policy_type)
        )),
    }
}
