//! The organization's resource policy (PutResourcePolicy, DescribeResourcePolicy,
//! DeleteResourcePolicy) and LeaveOrganization.

use super::{Ctx, Named, ResourceName, Write, tags::new_tags};
use crate::access::Operation;
use crate::error::{Constraint, Entity, Invalid, OrgError, ResourcePolicyFault, Result};
use crate::ids::IdSource;
use crate::model::{Change, ResourcePolicy};

/// A resource policy as adapters answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePolicyView {
    pub id: String,
    pub resource_name: ResourceName,
    pub content: String,
}

/// The content must be a JSON policy document: an object with a `Statement`, in the IAM grammar
/// of resource-based policies (`policy::parse_resource_policy`, the one reader of IAM JSON).
fn check_document(content: &str) -> Result<()> {
    let bad = |fault| OrgError::InvalidInput(Invalid::ResourcePolicy(fault));
    let doc: serde_json::Value = serde_json::from_str(content)
        .map_err(|e| bad(ResourcePolicyFault::NotJson(e.to_string())))?;
    let obj = doc
        .as_object()
        .ok_or_else(|| bad(ResourcePolicyFault::NotAnObject))?;
    match obj.get("Statement") {
        Some(serde_json::Value::Array(a)) if !a.is_empty() && a.iter().all(|s| s.is_object()) => {
            Ok(())
        }
        Some(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(bad(ResourcePolicyFault::NoStatement)),
    }?;
    crate::policy::parse_resource_policy(content)
        .map(drop)
        .map_err(|e| bad(ResourcePolicyFault::Grammar(e.to_string())))
}

/// Creates or replaces the resource policy. Tags are accepted only when it is created.
pub fn put_resource_policy(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    content: &str,
    tags: &[(String, String)],
) -> Result<Write<ResourcePolicyView>> {
    let org = cx.org(Operation::PutResourcePolicy)?;
    check_document(content)?;
    let mut org = org.clone();
    let policy = match org.resource_policy.take() {
        Some(_) if !tags.is_empty() => {
            return Err(OrgError::InvalidInput(Invalid::ResourcePolicyTagsOnUpdate));
        }
        Some(existing) => ResourcePolicy {
            content: content.to_string(),
            ..existing
        },
        None => ResourcePolicy {
            id: org.id_scheme.new_resource_policy_id(ids),
            content: content.to_string(),
            tags: new_tags(cx, tags)?,
        },
    };
    let view = ResourcePolicyView {
        id: policy.id.clone(),
        resource_name: ResourceName::of(&org, Named::ResourcePolicy(policy.id.clone())),
        content: policy.content.clone(),
    };
    org.resource_policy = Some(policy);
    Ok(Write::new(view, vec![Change::PutOrganization(org)]))
}

pub fn describe_resource_policy(cx: &Ctx) -> Result<ResourcePolicyView> {
    let org = cx.org(Operation::DescribeResourcePolicy)?;
    let p = org
        .resource_policy
        .as_ref()
        .ok_or(OrgError::NotFound(Entity::ResourcePolicy))?;
    Ok(ResourcePolicyView {
        id: p.id.clone(),
        resource_name: ResourceName::of(org, Named::ResourcePolicy(p.id.clone())),
        content: p.content.clone(),
    })
}

pub fn delete_resource_policy(cx: &Ctx) -> Result<Write<()>> {
    let org = cx.org(Operation::DeleteResourcePolicy)?;
    if org.resource_policy.is_none() {
        return Err(OrgError::NotFound(Entity::ResourcePolicy));
    }
    let mut org = org.clone();
    org.resource_policy = None;
    Ok(Write::new((), vec![Change::PutOrganization(org)]))
}

/// A member account leaves its organization and becomes standalone.
pub fn leave_organization(cx: &Ctx) -> Result<Write<()>> {
    let org = cx.org(Operation::LeaveOrganization)?;
    if org.management_account_id == cx.caller {
        return Err(OrgError::ManagementAccountCannotLeave);
    }
    if org.is_delegated_admin(cx.caller) {
        return Err(OrgError::Constraint(
            Constraint::LeaveAsDelegatedAdministrator,
        ));
    }
    let account = cx
        .state
        .accounts
        .get(cx.caller)
        .ok_or(OrgError::NotFound(Entity::Account))?;
    super::accounts::wait_period_over(cx, account)?;
    let account = super::accounts::departed(account);
    Ok(Write::new((), vec![Change::PutAccount(account)]))
}
