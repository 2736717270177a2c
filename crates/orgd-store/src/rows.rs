//! How a `Change` maps to a row of a backend's entity tables, and back: one table per kind of
//! entity, `(id, body)` with the entity as JSON. Shared by the SQL backends so that both store the
//! same rows.

use orgd_domain::Change;
use serde::Serialize;

use crate::{Result, StoreError};

/// The entity tables, in load order.
pub(crate) const TABLES: [&str; 8] = [
    "organizations",
    "roots",
    "ous",
    "accounts",
    "create_account_requests",
    "handshakes",
    "policies",
    "responsibility_transfers",
];

/// One change as a row operation: a put carries the body, a delete none.
pub(crate) struct Row<'a> {
    pub table: &'static str,
    pub id: &'a str,
    pub body: Option<String>,
}

fn body<T: Serialize>(value: &T) -> Option<String> {
    Some(serde_json::to_string(value).expect("domain entities always serialize"))
}

pub(crate) fn row(change: &Change) -> Row<'_> {
    let (table, id, body) = match change {
        Change::PutOrganization(o) => (TABLES[0], o.id.as_str(), body(o)),
        Change::DeleteOrganization(id) => (TABLES[0], id.as_str(), None),
        Change::PutRoot(r) => (TABLES[1], r.id.as_str(), body(r)),
        Change::DeleteRoot(id) => (TABLES[1], id.as_str(), None),
        Change::PutOu(ou) => (TABLES[2], ou.id.as_str(), body(ou)),
        Change::DeleteOu(id) => (TABLES[2], id.as_str(), None),
        Change::PutAccount(a) => (TABLES[3], a.id.as_str(), body(a)),
        Change::PutCreateAccountRequest(r) => (TABLES[4], r.id.as_str(), body(r)),
        Change::DeleteCreateAccountRequest(id) => (TABLES[4], id.as_str(), None),
        Change::PutHandshake(h) => (TABLES[5], h.id.as_str(), body(h)),
        Change::DeleteHandshake(id) => (TABLES[5], id.as_str(), None),
        Change::PutPolicy(p) => (TABLES[6], p.id.as_str(), body(p)),
        Change::DeletePolicy(id) => (TABLES[6], id.as_str(), None),
        Change::PutResponsibilityTransfer(t) => (TABLES[7], t.id.as_str(), body(t)),
    };
    Row { table, id, body }
}

/// The put that a stored row of `table` stands for.
pub(crate) fn decode(table: &'static str, id: String, text: &str) -> Result<Change> {
    fn parse<T: serde::de::DeserializeOwned>(
        table: &'static str,
        id: String,
        text: &str,
        wrap: fn(T) -> Change,
    ) -> Result<Change> {
        serde_json::from_str(text)
            .map(wrap)
            .map_err(|source| StoreError::Corrupt {
                kind: table,
                id,
                source,
            })
    }
    match table {
        "organizations" => parse(table, id, text, Change::PutOrganization),
        "roots" => parse(table, id, text, Change::PutRoot),
        "ous" => parse(table, id, text, Change::PutOu),
        "accounts" => parse(table, id, text, Change::PutAccount),
        "create_account_requests" => parse(table, id, text, Change::PutCreateAccountRequest),
        "handshakes" => parse(table, id, text, Change::PutHandshake),
        "policies" => parse(table, id, text, Change::PutPolicy),
        "responsibility_transfers" => parse(table, id, text, Change::PutResponsibilityTransfer),
        other => unreachable!("{other} is not an entity table"),
    }
}
