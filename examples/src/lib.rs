//! The CACI example: a subscription service whose STARTER plan points at the
//! LEGACY feature group, handing free businesses a premium feature.

pub mod domain;
pub mod service;
pub mod signups;

use caci_core::{Kind, TelemetryCaptureConfiguration};

/// The configuration the example installs: the fields the team asked for.
pub fn capture_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["business_id", "user_id", "plan", "country", "feature_group", "features"])
        .allow_kinds([Kind::Uuid, Kind::Enum, Kind::Bool])
        .build()
        .expect("the example's configuration is valid")
}
