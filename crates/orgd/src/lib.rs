//! orgd: an Organizations server (AWS and Huawei Cloud). This crate holds the edges around the
//! pure domain (`orgd-domain`) and the storage (`orgd-store`): the AWS JSON 1.1 adapter, the
//! Huawei REST adapter, the engine that serialises writes, the HTTP server and the command line.

pub mod aws;
pub mod clock;
pub mod config;
mod console;
pub mod engine;
pub mod export;
pub mod huawei;
pub mod log_writer;
pub mod metrics;
pub mod offline;
mod operator;
pub mod server;
pub mod signing;
pub mod simulate;
pub mod throttle;

pub use config::ServeConfig;
pub use server::Server;
