//! Tags on roots, OUs, accounts, policies, the resource policy and responsibility transfers: TagResource, UntagResource, ListTagsForResource, and the tag
//! rules shared with the Create operations that take `Tags`.

use super::{Ctx, Write};
use crate::access::Operation;
use crate::error::{Constraint, Entity, Invalid, OrgError, Result};
use crate::model::{
    Account, Change, Kind, Organization, OrganizationalUnit, Policy, ResponsibilityTransfer, Root,
    Tags,
};

/// Keys AWS reserves for itself.
const SYSTEM_PREFIX: &str = "aws:";

fn check_key(key: &str) -> Result<()> {
    if key.to_ascii_lowercase().starts_with(SYSTEM_PREFIX) {
        return Err(OrgError::InvalidInput(Invalid::ReservedTagKey {
            key: key.to_string(),
        }));
    }
    Ok(())
}

fn check_count(cx: &Ctx, tags: &Tags) -> Result<()> {
    if tags.len() > cx.limits.max_tags {
        return Err(OrgError::Constraint(Constraint::TagLimit {
            max: cx.limits.max_tags,
        }));
    }
    Ok(())
}

/// Merges `input` into `tags`: no system keys, no key twice in one request, at most the quota.
fn merge(cx: &Ctx, tags: &mut Tags, input: &[(String, String)]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (k, v) in input {
        check_key(k)?;
        if !seen.insert(k.as_str()) {
            return Err(OrgError::InvalidInput(Invalid::DuplicateTagKey {
                key: k.to_string(),
            }));
        }
        tags.insert(k.clone(), v.clone());
    }
    check_count(cx, tags)
}

/// The tags of a resource being created.
pub(crate) fn new_tags(cx: &Ctx, input: &[(String, String)]) -> Result<Tags> {
    let mut tags = Tags::new();
    merge(cx, &mut tags, input)?;
    Ok(tags)
}

/// A taggable resource of the caller's organization: its tags, and how to rewrite them.
struct Taggable {
    tags: Tags,
    rewrite: Box<dyn FnOnce(Tags) -> Change>,
}

fn resource(cx: &Ctx, org: &Organization, id: &str) -> Result<Taggable> {
    let s = cx.state;
    let found: Option<Taggable> = match s.kind_of(id) {
        Some(Kind::Account) => s
            .accounts
            .get(id)
            .filter(|a| a.org_id() == Some(org.id.as_str()))
            .map(|a| {
                let a = a.clone();
                Taggable {
                    tags: a.tags.clone(),
                    rewrite: Box::new(move |tags| Change::PutAccount(Account { tags, ..a })),
                }
            }),
        Some(Kind::OrganizationalUnit) => {
            s.ous.get(id).filter(|ou| ou.org_id == org.id).map(|ou| {
                let ou = ou.clone();
                Taggable {
                    tags: ou.tags.clone(),
                    rewrite: Box::new(move |tags| Change::PutOu(OrganizationalUnit { tags, ..ou })),
                }
            })
        }
        Some(Kind::Root) => s.roots.get(id).filter(|r| r.org_id == org.id).map(|r| {
            let r = r.clone();
            Taggable {
                tags: r.tags.clone(),
                rewrite: Box::new(move |tags| Change::PutRoot(Root { tags, ..r })),
            }
        }),
        // Customer-managed policies only: the cloud-managed ones belong to no organization.
        Some(Kind::Policy) => s.policies.get(id).filter(|p| p.org_id == org.id).map(|p| {
            let p = p.clone();
            Taggable {
                tags: p.tags.clone(),
                rewrite: Box::new(move |tags| Change::PutPolicy(Policy { tags, ..p })),
            }
        }),
        Some(Kind::ResourcePolicy) => {
            org.resource_policy
                .as_ref()
                .filter(|rp| rp.id == id)
                .map(|rp| {
                    let mut org = org.clone();
                    Taggable {
                        tags: rp.tags.clone(),
                        rewrite: Box::new(move |tags| {
                            if let Some(rp) = org.resource_policy.as_mut() {
                                rp.tags = tags;
                            }
                            Change::PutOrganization(org)
                        }),
                    }
                })
        }
        // A transfer is tagged by either of its organizations once they are both party to it.
        Some(Kind::ResponsibilityTransfer) => s
            .transfers
            .get(id)
            .filter(|t| {
                t.target_org_id == org.id || t.source_org_id.as_deref() == Some(org.id.as_str())
            })
            .map(|t| {
                let t = t.clone();
                Taggable {
                    tags: t.tags.clone(),
                    rewrite: Box::new(move |tags| {
                        Change::PutResponsibilityTransfer(ResponsibilityTransfer { tags, ..t })
                    }),
                }
            }),
        _ => None,
    };
    found.ok_or(OrgError::NotFound(Entity::Target))
}

pub fn tag_resource(cx: &Ctx, resource_id: &str, input: &[(String, String)]) -> Result<Write<()>> {
    let org = cx.org(Operation::TagResource)?;
    let Taggable { mut tags, rewrite } = resource(cx, org, resource_id)?;
    merge(cx, &mut tags, input)?;
    Ok(Write::new((), vec![rewrite(tags)]))
}

pub fn untag_resource(cx: &Ctx, resource_id: &str, keys: &[String]) -> Result<Write<()>> {
    let org = cx.org(Operation::UntagResource)?;
    let Taggable { mut tags, rewrite } = resource(cx, org, resource_id)?;
    for k in keys {
        check_key(k)?;
        tags.remove(k);
    }
    Ok(Write::new((), vec![rewrite(tags)]))
}

/// All tags of a resource, sorted by key (at most the tag quota, so never more than one page).
pub fn list_tags_for_resource(cx: &Ctx, resource_id: &str) -> Result<Tags> {
    let org = cx.org(Operation::ListTagsForResource)?;
    Ok(resource(cx, org, resource_id)?.tags)
}
