//! One function per operation. Reads take a `Ctx` and return views; writes also take an
//! `IdSource` and return a `Write`: the output and the `Change`s that make it true.

mod accounts;
mod delegation;
mod dry_run;
mod effective;
mod entities;
mod handshakes;
mod organization;
mod ous;
mod policies;
mod resource_policy;
mod settle;
mod tag_query;
mod tags;
mod transfers;
mod views;

pub use accounts::*;
pub use delegation::*;
pub use dry_run::*;
pub use effective::*;
pub use entities::*;
pub use handshakes::*;
pub use organization::*;
pub use ous::*;
pub use policies::*;
pub use resource_policy::*;
pub use settle::{remember_caller, settle};
pub use tag_query::*;
pub use tags::*;
pub use transfers::*;
pub use views::*;

use std::collections::BTreeSet;
use std::ops::Bound;

use crate::access::{self, Operation};
use crate::config::Limits;
use crate::error::{Entity, OrgError, Result};
use crate::model::{Millis, Organization, State};

/// What every operation sees: the state, who calls, and when.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub caller: &'a str,
    pub now: Millis,
    pub limits: &'a Limits,
}

impl<'a> Ctx<'a> {
    /// The caller's organization, once `op` is authorized for the caller.
    pub fn org(&self, op: Operation) -> Result<&'a Organization> {
        self.org_for(op, crate::grants::RequestContext::default())
    }

    /// `org`, where the organization's resource policy may also grant `op` for this request.
    pub fn org_for(
        &self,
        op: Operation,
        request: crate::grants::RequestContext,
    ) -> Result<&'a Organization> {
        access::authorize_for(self.state, self.caller, op, request)?
            .ok_or(OrgError::NotFound(Entity::Organization))
    }
}

/// The outcome of a write: what to answer and what to store.
#[derive(Debug)]
pub struct Write<T> {
    pub output: T,
    pub changes: Vec<crate::Change>,
}

impl<T> Write<T> {
    pub fn new(output: T, changes: Vec<crate::Change>) -> Self {
        Write { output, changes }
    }
}

/// Where a page of a listing starts and how long it may be. `after` is the sort key of the last
/// item of the previous page; the adapter seals it into an opaque token.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub after: Option<String>,
    pub limit: usize,
}

/// One page of a listing; `next` is the key to continue after, when more items follow.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Pages through a sorted set of keys: every key present throughout a listing appears exactly once,
/// whatever is added or removed between pages.
pub(crate) fn page_keys<'s>(set: &'s BTreeSet<String>, req: &PageRequest) -> Page<&'s String> {
    page_keys_where(set, req, |_| true)
}

/// `page_keys` over the keys that satisfy `keep`.
pub(crate) fn page_keys_where<'s>(
    set: &'s BTreeSet<String>,
    req: &PageRequest,
    keep: impl Fn(&str) -> bool,
) -> Page<&'s String> {
    let start = match &req.after {
        Some(k) => Bound::Excluded(k.clone()),
        None => Bound::Unbounded,
    };
    let mut iter = set.range((start, Bound::Unbounded)).filter(|k| keep(k));
    let items: Vec<&String> = iter.by_ref().take(req.limit).collect();
    let next = match (iter.next(), items.last()) {
        (Some(_), Some(last)) => Some((*last).clone()),
        _ => None,
    };
    Page { items, next }
}

/// `page_keys` over the union of several sorted key sets, without building the union: each set
/// contributes at most one page and one key more.
pub(crate) fn page_keys_union<'s>(
    sets: &[&'s BTreeSet<String>],
    req: &PageRequest,
) -> Page<&'s String> {
    let start = match &req.after {
        Some(k) => Bound::Excluded(k.clone()),
        None => Bound::Unbounded,
    };
    let mut keys: Vec<&String> = sets
        .iter()
        .flat_map(|s| {
            s.range((start.clone(), Bound::Unbounded))
                .take(req.limit.saturating_add(1))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let more = keys.len() > req.limit;
    keys.truncate(req.limit);
    let next = match (more, keys.last()) {
        (true, Some(last)) => Some((*last).clone()),
        _ => None,
    };
    Page { items: keys, next }
}

#[cfg(test)]
pub(crate) mod testkit;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod policy_tests;

#[cfg(test)]
mod transfer_tests;

#[cfg(test)]
mod index_tests;

#[cfg(test)]
mod tag_query_tests;

#[cfg(test)]
mod dry_run_tests;
