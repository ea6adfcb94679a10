//! Prometheus metrics for the story, when asked: `CACI_METRICS_ADDR=127.0.0.1:9464`
//! (or `--metrics-addr 127.0.0.1:9464`) serves `/metrics` there, and the
//! configuration counts and times every `#[component]` method, labelled by
//! plan, feature group and country.
//!
//! ```text
//! caci_method_calls_total{component="FeatureStore",method="activate_features",outcome="ok",plan="STARTER",feature_group="LEGACY"} 240
//! caci_method_duration_seconds_bucket{component="PlanCatalog",method="feature_group_for",outcome="ok",plan="PRO",le="0.00001"} 57
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use caci_core::TelemetryCaptureConfiguration;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// The labels the story's metrics are broken down by.
pub const METRIC_LABELS: [&str; 3] = ["plan", "feature_group", "country"];

/// Histogram buckets for `caci.method.duration`, in seconds: these methods
/// take microseconds.
pub const DURATION_BUCKETS: [f64; 14] = [
    1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1, 1.0,
];

/// Where to serve metrics, and how long to keep serving at the pauses.
#[derive(Clone, Debug, PartialEq)]
pub struct PrometheusSettings {
    /// The listening address; must be a loopback address.
    pub addr: SocketAddr,
    /// How long the story waits after the sign-ups before the fix, and at
    /// the end, so that a scraper sees both states (`CACI_METRICS_PAUSE`,
    /// seconds; default 0).
    pub pause: Duration,
}

impl PrometheusSettings {
    /// From `--metrics-addr ADDR` (when given) or `CACI_METRICS_ADDR`, and
    /// `CACI_METRICS_PAUSE`; `None` when neither asks for metrics.
    pub fn from_env(flag: Option<String>) -> Result<Option<Self>, String> {
        let Some(addr) = flag.or_else(|| std::env::var("CACI_METRICS_ADDR").ok().filter(|addr| !addr.is_empty()))
        else {
            return Ok(None);
        };
        let addr: SocketAddr = addr
            .parse()
            .map_err(|err| format!("metrics address `{addr}`: {err} (expected 127.0.0.1:9464)"))?;
        if !addr.ip().is_loopback() {
            return Err(format!("metrics address `{addr}` is not a loopback address"));
        }
        let pause = match std::env::var("CACI_METRICS_PAUSE") {
            Ok(seconds) if !seconds.is_empty() => Duration::from_secs_f64(
                seconds
                    .parse::<f64>()
                    .ok()
                    .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
                    .ok_or_else(|| format!("CACI_METRICS_PAUSE `{seconds}` is not a number of seconds"))?,
            ),
            _ => Duration::ZERO,
        };
        Ok(Some(PrometheusSettings { addr, pause }))
    }

    /// Installs the Prometheus exporter as the process's metrics recorder,
    /// serving `/metrics` on the address (before any method is called: a
    /// method's metric handles are taken from the recorder in force when it
    /// is first planned).
    pub fn install(&self) -> Result<(), String> {
        PrometheusBuilder::new()
            .with_http_listener(self.addr)
            .with_recommended_naming(true)
            .set_buckets_for_metric(Matcher::Full("caci.method.duration".to_owned()), &DURATION_BUCKETS)
            .and_then(PrometheusBuilder::install)
            .map_err(|err| format!("cannot serve metrics on {}: {err}", self.addr))
    }
}

/// `config` with method metrics on, broken down by [`METRIC_LABELS`].
pub fn with_metrics(config: &TelemetryCaptureConfiguration) -> TelemetryCaptureConfiguration {
    config
        .to_builder()
        .method_metrics(true)
        .metric_labels(METRIC_LABELS)
        .build()
        .expect("the example's labels are captured bools, enums and strings")
}
