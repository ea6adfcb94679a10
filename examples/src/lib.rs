//! The CACI example: a subscription service whose STARTER plan points at the
//! LEGACY feature group, handing free businesses a premium feature, and the
//! traces that show it.
//!
//! - [`domain`]: the billing types, each deriving `Telemetry`, personal data included;
//! - [`service`]: the components behind `/initialize-business`, and the data fix,
//!   each impl block wrapped by `#[caci_core::component]`;
//! - [`signups`]: deterministic simulated sign-ups;
//! - [`story`]: what `cargo run -p caci-examples` runs and prints;
//! - [`tree`], [`tally`]: two small `tracing` layers: print a few span trees,
//!   count spans by plan and feature group;
//! - [`otlp`]: export over OTLP when the standard `OTEL_*` variables ask for it
//!   (the `caci-otlp` crate beside this one, shared with the axum example);
//! - [`prometheus`]: Prometheus metrics per method when `CACI_METRICS_ADDR` asks for them.

pub mod domain;
pub mod incident;
pub use caci_otlp as otlp;
pub mod prometheus;
pub mod service;
pub mod signups;
pub mod story;
pub mod tally;
pub mod tree;

use caci_core::{Kind, TelemetryCaptureConfiguration};

/// The configuration the service runs with: the fields the team asked for.
/// Nothing else is captured; `email`, `full_name` (deny floor) and the card
/// (`sensitive`) could not be, even if listed here.
pub fn capture_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields([
            "business_id",
            "user_id",
            "plan",
            "country",
            "feature_group",
            "features",
            "seats",
        ])
        .allow_kinds([Kind::Uuid, Kind::Enum, Kind::Bool])
        .build()
        .expect("the example's configuration is valid")
}

/// A UUID (version 4 layout) derived from `seed`: ids that look random but
/// repeat from run to run.
pub(crate) fn mixed_uuid(seed: u64) -> uuid::Uuid {
    let high = splitmix64(seed);
    let low = splitmix64(high ^ seed);
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
