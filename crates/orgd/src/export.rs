//! The export document: orgd's whole state as one JSON value, for `GET /_orgd/export`,
//! `POST /_orgd/import` and the offline `orgd export` / `orgd import`. This is the one place its
//! format is defined; changing what it holds means a new `VERSION`.
//!
//! Version 1 is `{"format": "orgd-export", "version": 1, ...}` with one array per kind of entity,
//! each sorted by id, each entity in the same serde shape the store keeps. The pagination-token
//! key is not part of it (an importing orgd keeps its own), nor is the clock offset (a running
//! process's setting, never persisted).

use std::collections::{BTreeSet, HashMap};

use orgd_domain::Change;
use orgd_domain::model::{
    Account, CreateAccountRequest, Handshake, Organization, OrganizationalUnit, Policy,
    ResponsibilityTransfer, Root, State,
};
use serde::{Deserialize, Serialize};

/// What the `format` member always says.
pub const FORMAT: &str = "orgd-export";

/// The version of the document this orgd writes and reads.
pub const VERSION: u64 = 1;

/// An export document (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u64,
    pub organizations: Vec<Organization>,
    pub roots: Vec<Root>,
    pub organizational_units: Vec<OrganizationalUnit>,
    pub accounts: Vec<Account>,
    pub create_account_requests: Vec<CreateAccountRequest>,
    pub handshakes: Vec<Handshake>,
    pub policies: Vec<Policy>,
    pub responsibility_transfers: Vec<ResponsibilityTransfer>,
}

/// Why a document cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the document is not valid JSON: {0}")]
    Malformed(String),
    #[error("the document is not an orgd export (expected \"format\": \"{FORMAT}\")")]
    NotAnExport,
    #[error("unsupported export format version {0}; this orgd reads version {VERSION}")]
    UnsupportedVersion(String),
    #[error("the document does not match export format version {VERSION}: {0}")]
    Shape(String),
    #[error("the document is inconsistent: {0}")]
    Inconsistent(String),
}

impl DocumentError {
    /// A short machine-readable name for the error.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Malformed(_) => "MalformedDocument",
            DocumentError::NotAnExport => "NotAnExport",
            DocumentError::UnsupportedVersion(_) => "UnsupportedVersion",
            DocumentError::Shape(_) | DocumentError::Inconsistent(_) => "InvalidDocument",
        }
    }
}

/// Just enough of any version's document to tell which it is.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// How many entities of each kind a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub organizations: usize,
    pub roots: usize,
    pub organizational_units: usize,
    pub accounts: usize,
    pub create_account_requests: usize,
    pub handshakes: usize,
    pub policies: usize,
    pub responsibility_transfers: usize,
}

impl Document {
    /// The whole of `state`.
    pub fn of(state: &State) -> Self {
        fn all<T: Clone>(m: &std::collections::BTreeMap<String, T>) -> Vec<T> {
            m.values().cloned().collect()
        }
        Document {
            format: FORMAT.into(),
            version: VERSION,
            organizations: all(&state.organizations),
            roots: all(&state.roots),
            organizational_units: all(&state.ous),
            accounts: all(&state.accounts),
            create_account_requests: all(&state.create_requests),
            handshakes: all(&state.handshakes),
            policies: all(&state.policies),
            responsibility_transfers: all(&state.transfers),
        }
    }

    /// The document as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("an export always serializes");
        out.push(b'\n');
        out
    }

    /// Reads and checks a document: valid JSON, an orgd export, of a version this orgd reads,
    /// of that version's shape, and consistent (see `check`).
    pub fn parse(bytes: &[u8]) -> Result<Self, DocumentError> {
        let header: Header = serde_json::from_slice(bytes).map_err(|e| {
            if e.is_data() {
                DocumentError::NotAnExport
            } else {
                DocumentError::Malformed(e.to_string())
            }
        })?;
        if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(DocumentError::NotAnExport);
        }
        match header.version {
            Some(v) if v.as_u64() == Some(VERSION) => {}
            Some(v) => return Err(DocumentError::UnsupportedVersion(v.to_string())),
            None => return Err(DocumentError::UnsupportedVersion("(missing)".into())),
        }
        let doc: Document =
            serde_json::from_slice(bytes).map_err(|e| DocumentError::Shape(e.to_string()))?;
        doc.check()?;
        Ok(doc)
    }

    /// Checks what the state itself always keeps true: ids are unique within each kind; each
    /// organization's root and management account exist; roots, OUs, members, policies, handshakes
    /// and create-account requests belong to an existing organization; every OU and member account
    /// sits under an existing root or OU of its own organization.
    pub fn check(&self) -> Result<(), DocumentError> {
        let bad = |what: String| Err(DocumentError::Inconsistent(what));
        let orgs = unique("organization", self.organizations.iter().map(|o| &o.id))?;
        let roots = unique("root", self.roots.iter().map(|r| &r.id))?;
        unique("OU", self.organizational_units.iter().map(|o| &o.id))?;
        let accounts = unique("account", self.accounts.iter().map(|a| &a.id))?;
        unique(
            "create-account request",
            self.create_account_requests.iter().map(|r| &r.id),
        )?;
        unique("handshake", self.handshakes.iter().map(|h| &h.id))?;
        unique("policy", self.policies.iter().map(|p| &p.id))?;
        unique(
            "responsibility transfer",
            self.responsibility_transfers.iter().map(|t| &t.id),
        )?;
        let org_of_parent: HashMap<&str, &str> = self
            .roots
            .iter()
            .map(|r| (r.id.as_str(), r.org_id.as_str()))
            .chain(
                self.organizational_units
                    .iter()
                    .map(|o| (o.id.as_str(), o.org_id.as_str())),
            )
            .collect();
        let parents_in_org = |what: &str, id: &str, org: &str, parent: &str| {
            if !orgs.contains(org) {
                return bad(format!("{what} {id} belongs to unknown organization {org}"));
            }
            if org_of_parent.get(parent) != Some(&org) {
                return bad(format!(
                    "{what} {id} is under {parent}, which is not a root or OU of {org}"
                ));
            }
            Ok(())
        };
        for o in &self.organizations {
            if !roots.contains(o.root_id.as_str()) {
                return bad(format!("organization {} has no root {}", o.id, o.root_id));
            }
            if !accounts.contains(o.management_account_id.as_str()) {
                return bad(format!(
                    "organization {} has no management account {}",
                    o.id, o.management_account_id
                ));
            }
        }
        let in_org = |what: &str, id: &str, org: &str| {
            if orgs.contains(org) {
                Ok(())
            } else {
                bad(format!("{what} {id} belongs to unknown organization {org}"))
            }
        };
        for r in &self.roots {
            in_org("root", &r.id, &r.org_id)?;
        }
        for o in &self.organizational_units {
            parents_in_org("OU", &o.id, &o.org_id, &o.parent_id)?;
        }
        for a in &self.accounts {
            if let Some(m) = &a.membership {
                parents_in_org("account", &a.id, &m.org_id, &m.parent_id)?;
            }
        }
        for p in &self.policies {
            in_org("policy", &p.id, &p.org_id)?;
        }
        for h in &self.handshakes {
            in_org("handshake", &h.id, &h.org_id)?;
        }
        for r in &self.create_account_requests {
            in_org("create-account request", &r.id, &r.org_id)?;
        }
        Ok(())
    }

    pub fn counts(&self) -> Counts {
        Counts {
            organizations: self.organizations.len(),
            roots: self.roots.len(),
            organizational_units: self.organizational_units.len(),
            accounts: self.accounts.len(),
            create_account_requests: self.create_account_requests.len(),
            handshakes: self.handshakes.len(),
            policies: self.policies.len(),
            responsibility_transfers: self.responsibility_transfers.len(),
        }
    }

    /// The writes that rebuild this state in an empty orgd.
    pub fn into_changes(self) -> Vec<Change> {
        let Document {
            organizations,
            roots,
            organizational_units,
            accounts,
            create_account_requests,
            handshakes,
            policies,
            responsibility_transfers,
            ..
        } = self;
        let mut out = Vec::new();
        out.extend(organizations.into_iter().map(Change::PutOrganization));
        out.extend(roots.into_iter().map(Change::PutRoot));
        out.extend(organizational_units.into_iter().map(Change::PutOu));
        out.extend(accounts.into_iter().map(Change::PutAccount));
        out.extend(
            create_account_requests
                .into_iter()
                .map(Change::PutCreateAccountRequest),
        );
        out.extend(handshakes.into_iter().map(Change::PutHandshake));
        out.extend(policies.into_iter().map(Change::PutPolicy));
        out.extend(
            responsibility_transfers
                .into_iter()
                .map(Change::PutResponsibilityTransfer),
        );
        out
    }
}

/// The ids of one kind, refusing a repeated one.
fn unique<'a>(
    kind: &str,
    ids: impl Iterator<Item = &'a String>,
) -> Result<BTreeSet<&'a str>, DocumentError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id.as_str()) {
            return Err(DocumentError::Inconsistent(format!(
                "{kind} {id} appears more than once"
            )));
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Document {
        Document::of(&State::default())
    }

    #[test]
    fn an_empty_state_round_trips() {
        let doc = empty();
        assert_eq!(Document::parse(&doc.to_json()).unwrap(), doc);
    }

    #[test]
    fn refusals_name_what_is_wrong() {
        let err = |text: &str| Document::parse(text.as_bytes()).unwrap_err();
        assert!(matches!(err("{not json"), DocumentError::Malformed(_)));
        assert!(matches!(err("[1, 2]"), DocumentError::NotAnExport));
        assert!(matches!(
            err(r#"{"version": 1}"#),
            DocumentError::NotAnExport
        ));
        let future = err(r#"{"format": "orgd-export", "version": 2}"#);
        assert!(matches!(future, DocumentError::UnsupportedVersion(ref v) if v == "2"));
        assert!(future.to_string().contains("reads version 1"));
        let partial = err(r#"{"format": "orgd-export", "version": 1, "organizations": []}"#);
        assert!(matches!(partial, DocumentError::Shape(_)));
    }

    #[test]
    fn an_ou_under_a_missing_parent_is_inconsistent() {
        let mut doc = empty();
        doc.organizational_units.push(OrganizationalUnit {
            id: "ou-ab12-abcdefgh".into(),
            org_id: "o-abcdefghij".into(),
            parent_id: "r-ab12".into(),
            name: "x".into(),
            created_at: 0,
            tags: Default::default(),
            policies: vec![],
        });
        let e = Document::parse(&doc.to_json()).unwrap_err();
        assert!(matches!(e, DocumentError::Inconsistent(_)), "{e}");
        assert!(e.to_string().contains("ou-ab12-abcdefgh"));
    }
}
