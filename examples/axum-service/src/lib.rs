//! CACI in an axum 0.8 service: an invoice API whose handlers call
//! [`InvoiceService`](service::InvoiceService) over an `Arc<dyn Repository>`, both wrapped by
//! `#[component]`, under tower-http's `TraceLayer` request span.
//!
//! - [`domain`]: the types, each deriving `Telemetry` (a customer's email included);
//! - [`repository`]: the `#[async_trait]` repository trait and an in-memory store;
//! - [`service`]: the service the handlers call, and its `thiserror` errors;
//! - [`http`]: the router, its handlers, and the `TraceLayer` set to INFO;
//! - [`client`]: a tiny HTTP/1.1 client over loopback, for `--self-test`.
//!
//! `cargo run -p caci-axum-service -- --self-test` serves on 127.0.0.1, sends
//! itself a few requests, prints the spans and exits.

pub mod client;
pub mod domain;
pub mod http;
pub mod repository;
pub mod service;

use caci_core::{Kind, TelemetryCaptureConfiguration};

/// What the service may capture: ids, the plan and the amount. The
/// customer's email could not be captured even if listed (deny floor).
pub fn capture_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["id", "business_id", "plan", "amount_cents"])
        .allow_kinds([Kind::Enum])
        .build()
        .expect("the example's configuration is valid")
}
