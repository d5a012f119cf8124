//! The service's tests, one binary with a module per area. Cross-target checks (parity, the
//! browser, the arm64 zip, Terraform) live in the top-level `tests/`; the hostile-input run,
//! which measures child processes, is its own harness (`tests/hostile.rs`).

mod auth;
mod batch;
mod cli;
mod corpus;
mod crates;
mod dev_issuer;
mod door;
mod errors;
mod events;
mod formats;
mod image_url;
mod keys;
mod logs;
mod openapi;
mod routes;
mod seed;
mod sets;
mod signed;
mod signing;
mod support;
