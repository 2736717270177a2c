//! Tag-based queries over one organization's roots, OUs, member accounts or policies (Huawei's
//! `list_resource_instances`, `show_resource_instances_count`, `list_resource_tags`), and
//! tagging by (kind, id) (its TMS-style `create_tag_resource`, `delete_tag_resource`,
//! `list_tag_resources`). Candidates come from the state's per-organization indexes (the tag
//! index for tag filters), never from a scan of other organizations.

use std::collections::BTreeSet;

use super::{Ctx, Write, tag_resource, untag_resource};
use crate::access::Operation;
use crate::error::{Entity, OrgError, Result};
use crate::model::{Kind, Organization, Tags};

/// The kinds of resource a tag query selects from.
pub const QUERYABLE: [Kind; 4] = [
    Kind::Root,
    Kind::OrganizationalUnit,
    Kind::Account,
    Kind::Policy,
];

/// One key of a tag filter: resources with the key and any of `values` (any value at all when
/// `values` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFilter {
    pub key: String,
    pub values: Vec<String>,
}

/// Which resources of one kind a query selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceQuery {
    pub kind: Kind,
    /// Only resources without any tag; the tag filters are then ignored.
    pub without_any_tag: bool,
    /// Every filter must hold (AND across keys; OR across the values of one key).
    pub tags: Vec<TagFilter>,
    /// Every text must occur in the resource's name, without regard to case.
    pub name_contains: Vec<String>,
}

/// A selected resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedResource {
    pub id: String,
    pub name: String,
    pub tags: Tags,
}

/// One page of a query's result (by id, from `offset`), and how many resources match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceMatches {
    pub items: Vec<TaggedResource>,
    pub total: usize,
}

fn not_queryable(kind: Kind) -> bool {
    !QUERYABLE.contains(&kind)
}

/// The name and tags of a resource of `kind` in the organization.
fn resource<'s>(
    cx: &Ctx<'s>,
    org: &Organization,
    kind: Kind,
    id: &str,
) -> Option<(&'s str, &'s Tags)> {
    let s = cx.state;
    match kind {
        Kind::Root => s
            .roots
            .get(id)
            .filter(|r| r.org_id == org.id)
            .map(|r| (r.name.as_str(), &r.tags)),
        Kind::OrganizationalUnit => s
            .ous
            .get(id)
            .filter(|o| o.org_id == org.id)
            .map(|o| (o.name.as_str(), &o.tags)),
        Kind::Account => s
            .accounts
            .get(id)
            .filter(|a| a.org_id() == Some(org.id.as_str()))
            .map(|a| (a.name.as_str(), &a.tags)),
        Kind::Policy => s
            .policies
            .get(id)
            .filter(|p| p.org_id == org.id)
            .map(|p| (p.name.as_str(), &p.tags)),
        _ => None,
    }
}

/// The ids the query selects, sorted.
fn select<'s>(cx: &Ctx<'s>, org: &'s Organization, q: &ResourceQuery) -> Vec<&'s String> {
    let s = cx.state;
    let candidates: BTreeSet<&String> = if q.tags.is_empty() || q.without_any_tag {
        match q.kind {
            Kind::Root => [&org.root_id].into_iter().collect(),
            Kind::OrganizationalUnit => s.ous_of(&org.id).iter().collect(),
            Kind::Account => s.members(&org.id).iter().collect(),
            Kind::Policy => s.org_policies(&org.id).iter().collect(),
            _ => BTreeSet::new(),
        }
    } else {
        let mut sets: Vec<BTreeSet<&String>> = q
            .tags
            .iter()
            .map(|f| s.tagged(&org.id, q.kind, &f.key, &f.values))
            .collect();
        sets.sort_by_key(BTreeSet::len);
        let mut sets = sets.into_iter();
        let first = sets.next().unwrap_or_default();
        sets.fold(first, |acc, set| acc.intersection(&set).copied().collect())
    };
    let needles: Vec<String> = q.name_contains.iter().map(|n| n.to_lowercase()).collect();
    candidates
        .into_iter()
        .filter(|id| {
            resource(cx, org, q.kind, id).is_some_and(|(name, tags)| {
                (!q.without_any_tag || tags.is_empty()) && {
                    let name = name.to_lowercase();
                    needles.iter().all(|n| name.contains(n.as_str()))
                }
            })
        })
        .collect()
}

/// The resources a query selects, `limit` of them from `offset` in id order, and the total.
pub fn select_resources(
    cx: &Ctx,
    q: &ResourceQuery,
    offset: usize,
    limit: usize,
) -> Result<ResourceMatches> {
    let org = cx.org(Operation::ListTagsForResource)?;
    if not_queryable(q.kind) {
        return Ok(ResourceMatches {
            items: vec![],
            total: 0,
        });
    }
    let ids = select(cx, org, q);
    let items = ids
        .iter()
        .skip(offset)
        .take(limit)
        .filter_map(|id| {
            resource(cx, org, q.kind, id).map(|(name, tags)| TaggedResource {
                id: (*id).clone(),
                name: name.to_string(),
                tags: tags.clone(),
            })
        })
        .collect();
    Ok(ResourceMatches {
        items,
        total: ids.len(),
    })
}

/// How many resources a query selects.
pub fn count_resources(cx: &Ctx, q: &ResourceQuery) -> Result<usize> {
    let org = cx.org(Operation::ListTagsForResource)?;
    if not_queryable(q.kind) {
        return Ok(0);
    }
    Ok(select(cx, org, q).len())
}

/// Every tag key used on the organization's resources of `kind`, with its values, sorted.
pub fn resource_tag_values(cx: &Ctx, kind: Kind) -> Result<Vec<(String, Vec<String>)>> {
    let org = cx.org(Operation::ListTagsForResource)?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in cx.state.tag_values(&org.id, kind) {
        match out.last_mut() {
            Some((key, values)) if key == k => values.push(v.to_string()),
            _ => out.push((k.to_string(), vec![v.to_string()])),
        }
    }
    Ok(out)
}

/// `resource_id`, if it names a resource of `kind` (what the state holds says, not the id).
fn of_kind(cx: &Ctx, kind: Kind, resource_id: &str) -> Result<()> {
    if cx.state.kind_of(resource_id) == Some(kind) && !not_queryable(kind) {
        return Ok(());
    }
    Err(OrgError::NotFound(Entity::Target))
}

/// Tags a resource named by kind and id.
pub fn tag_resource_of_kind(
    cx: &Ctx,
    kind: Kind,
    resource_id: &str,
    tags: &[(String, String)],
) -> Result<Write<()>> {
    cx.org(Operation::TagResource)?;
    of_kind(cx, kind, resource_id)?;
    tag_resource(cx, resource_id, tags)
}

/// Removes tags of a resource named by kind and id: each key whose value is the one given (a
/// key with another value stays).
pub fn untag_resource_of_kind(
    cx: &Ctx,
    kind: Kind,
    resource_id: &str,
    tags: &[(String, String)],
) -> Result<Write<()>> {
    cx.org(Operation::UntagResource)?;
    of_kind(cx, kind, resource_id)?;
    let current = super::list_tags_for_resource(cx, resource_id)?;
    let keys: Vec<String> = tags
        .iter()
        .filter(|(k, v)| current.get(k) == Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    untag_resource(cx, resource_id, &keys)
}

/// The tags of a resource named by kind and id.
pub fn list_tags_of_kind(cx: &Ctx, kind: Kind, resource_id: &str) -> Result<Tags> {
    cx.org(Operation::ListTagsForResource)?;
    of_kind(cx, kind, resource_id)?;
    super::list_tags_for_resource(cx, resource_id)
}
