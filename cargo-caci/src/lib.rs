//! `cargo caci init`: instrument a crate in minutes.
//!
//! Run at a crate's root, it finds the components (impl blocks of services,
//! repositories, clients, … ranked by what they are) and the domain types
//! their methods take and return, adds `#[caci_core::component]` and
//! `caci_core::Telemetry` (marking secret and personal fields `sensitive`,
//! foreign types `display` or `skip`), adds `caci-core` to `Cargo.toml`,
//! writes a starting `caci.toml`, and prints the coverage that configuration
//! reaches, computed from the parsed types by caci-core's decision rule.
//!
//! ```sh
//! cargo install --path cargo-caci
//! cd my-service && cargo caci init --dry-run   # a unified diff, nothing written
//! cargo caci init                              # the edits, Cargo.toml, caci.toml
//! ```
//!
//! It is a crate of its own so that its tools (syn's visitors,
//! cargo_metadata, toml_edit, similar) never enter a service's runtime build.
//!
//! Stages, one module each: [`project`] (cargo metadata), [`source`] (the
//! module tree), [`discover`] (components, types), [`edit`] (text
//! insertions), [`manifest`] (the dependency), [`config`] (`caci.toml`),
//! [`coverage`] (static), [`diff`] (`--dry-run`), [`init`] (the run, its
//! printing in a private `summary` module), [`patterns`], [`syntax`] and
//! [`cli`].

pub mod cli;
pub mod config;
pub mod coverage;
pub mod diff;
pub mod discover;
pub mod edit;
pub mod init;
pub mod manifest;
pub mod patterns;
pub mod project;
pub mod source;
mod summary;
pub mod syntax;
