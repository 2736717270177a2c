//! The pure core of orgd: the organization model and every rule of AWS Organizations, with no I/O,
//! no async and no protocol types. Time (`now`) and randomness (`IdSource`) are passed in.
//!
//! - `model`: entities, the indexed `State`, and `Change`, the unit of every write.
//! - `ops`: one function per operation; reads take `&State`, writes return the `Change`s to store.
//! - `access`: who may call which operation.
//! - `ids`: identifier formats.
//! - `grants`: what the organization's resource policy grants, evaluated with IAM semantics.
//! - `error`: the ways an operation fails, as domain facts (adapters give them wire names).
//! - `config`: quotas and timings.
//! - `services`: the AWS services that integrate with Organizations.

pub mod access;
pub mod config;
pub mod error;
pub mod grants;
pub mod guardrails;
pub mod ids;
pub mod model;
pub mod ops;
pub mod policy;
pub mod services;

pub use config::Limits;
pub use error::{
    Constraint, Denial, Entity, HandshakeConstraint, HandshakeTransition, Invalid, OrgError,
    ResourcePolicyFault, Result,
};
pub use model::{Change, Millis, State, Undo};
