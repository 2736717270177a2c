//! orgd: an AWS Organizations server. This crate holds the edges around the pure domain
//! (`orgd-domain`) and the storage (`orgd-store`): the AWS JSON 1.1 adapter, the engine that
//! serialises writes, the HTTP server and the command line.

pub mod aws;
pub mod clock;
pub mod config;
mod console;
pub mod engine;
pub mod export;
pub mod metrics;
pub mod offline;
mod operator;
pub mod server;
pub mod throttle;

pub use config::ServeConfig;
pub use server::Server;
