//! OTLP export of the spans CACI opens, switched on by the standard
//! OpenTelemetry environment variables: the setup both examples share
//! (`caci-examples`, the story, and `caci-axum-service`), so neither copies
//! it. Not published; depend on it by path, or copy this one file.
//!
//! ```no_run
//! use tracing_subscriber::layer::SubscriberExt as _;
//! use tracing_subscriber::util::SubscriberInitExt as _;
//!
//! // `None` when no endpoint is set: the layer is then `None`, a no-op.
//! let otlp = caci_otlp::OtlpSettings::from_env("billing")?
//!     .map(caci_otlp::OtlpExport::start)
//!     .transpose()?;
//! tracing_subscriber::registry()
//!     .with(otlp.as_ref().map(|otlp| otlp.layer()))
//!     .init();
//! // … serve …
//! if let Some(otlp) = otlp {
//!     otlp.shutdown()?; // flushes
//! }
//! # Ok::<(), caci_otlp::OtlpError>(())
//! ```
//!
//! | variable | effect |
//! |---|---|
//! | `OTEL_EXPORTER_OTLP_ENDPOINT` | base URL; export is on when it (or the next one) is set. HTTP appends `/v1/traces` |
//! | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | the traces URL, used as is |
//! | `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` | `http/protobuf` (default) or `grpc` |
//! | `OTEL_SERVICE_NAME` | the `service.name` resource attribute (default: the program's name given to [`OtlpSettings::from_env`]) |
//! | `OTEL_SDK_DISABLED=true`, `OTEL_TRACES_EXPORTER=none` | no export |
//! | `OTEL_EXPORTER_OTLP_HEADERS`, `..._TIMEOUT`, `..._COMPRESSION`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*` | read by the OpenTelemetry SDK itself |
//!
//! HTTP uses a blocking client on the SDK's batch thread, so no async
//! runtime is needed (nor used: the SDK's batch thread is its own); gRPC
//! (feature `grpc`, on by default) runs on a
//! one-thread Tokio runtime started here. [`OtlpExport::shutdown`] flushes.
//!
//! The bridge is `tracing-opentelemetry`: a field recorded as `bool` arrives
//! as an OTLP `Bool`, `i64` as `Int`, strings and rendered values (UUIDs,
//! lists) as `Str`. The layer is built without its own extras (source
//! location, thread, target, busy/idle times), so a span's attributes are
//! exactly the fields CACI captured.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{BatchConfigBuilder, BatchSpanProcessor, SdkTracer, SdkTracerProvider, SpanData};
use tracing::Subscriber;
use tracing_opentelemetry::OpenTelemetryLayer;
use tracing_subscriber::registry::LookupSpan;

/// How spans travel to the collector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// OTLP/HTTP with protobuf bodies (`http/protobuf`), usually port 4318.
    HttpProtobuf,
    /// OTLP/gRPC (`grpc`), usually port 4317.
    Grpc,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::HttpProtobuf => "http/protobuf",
            Protocol::Grpc => "grpc",
        })
    }
}

/// Where and how to export, as the environment says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtlpSettings {
    /// The transport.
    pub protocol: Protocol,
    /// The full URL spans are sent to (for HTTP, with `/v1/traces`).
    pub endpoint: String,
    /// The `service.name` resource attribute.
    pub service_name: String,
    /// The program exporting: the instrumentation scope's name, and the
    /// `service.name` when the environment names none.
    pub program: String,
}

/// Why export could not start or finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtlpError(pub String);

impl fmt::Display for OtlpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OtlpError {}

impl OtlpSettings {
    /// Reads the process environment for `program` (the scope name, and
    /// the service name unless the environment sets one): `Ok(None)` when
    /// no endpoint is set or export is switched off.
    pub fn from_env(program: &str) -> Result<Option<OtlpSettings>, OtlpError> {
        OtlpSettings::from_lookup(program, |name| std::env::var(name).ok())
    }

    /// Reads variables through `get`, which returns a variable's value.
    ///
    /// ```
    /// use caci_otlp::{OtlpSettings, Protocol};
    /// let env = |name: &str| match name {
    ///     "OTEL_EXPORTER_OTLP_ENDPOINT" => Some("http://127.0.0.1:4318/".to_owned()),
    ///     "OTEL_SERVICE_NAME" => Some("billing".to_owned()),
    ///     _ => None,
    /// };
    /// let settings = OtlpSettings::from_lookup("my-service", env).unwrap().unwrap();
    /// assert_eq!(settings.protocol, Protocol::HttpProtobuf);
    /// assert_eq!(settings.endpoint, "http://127.0.0.1:4318/v1/traces");
    /// assert_eq!(settings.service_name, "billing");
    /// assert_eq!(OtlpSettings::from_lookup("my-service", |_| None), Ok(None));
    /// ```
    pub fn from_lookup(program: &str, get: impl Fn(&str) -> Option<String>) -> Result<Option<OtlpSettings>, OtlpError> {
        let get = |name: &str| {
            get(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        if get("OTEL_SDK_DISABLED").is_some_and(|value| value.eq_ignore_ascii_case("true"))
            || get("OTEL_TRACES_EXPORTER").is_some_and(|value| value.eq_ignore_ascii_case("none"))
        {
            return Ok(None);
        }
        let protocol_variable = ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"]
            .into_iter()
            .find_map(|name| get(name).map(|value| (name, value)));
        let protocol = match protocol_variable {
            None => Protocol::HttpProtobuf,
            Some((_, value)) if value.eq_ignore_ascii_case("http/protobuf") => Protocol::HttpProtobuf,
            Some((_, value)) if value.eq_ignore_ascii_case("grpc") => Protocol::Grpc,
            Some((name, value)) => {
                return Err(OtlpError(format!(
                    "{name}={value}: this export speaks `http/protobuf` or `grpc`"
                )));
            }
        };
        let endpoint = match (
            get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
            get("OTEL_EXPORTER_OTLP_ENDPOINT"),
        ) {
            (Some(traces), _) => traces,
            (None, Some(base)) if protocol == Protocol::HttpProtobuf => {
                format!("{}/v1/traces", base.trim_end_matches('/'))
            }
            (None, Some(base)) => base,
            (None, None) => return Ok(None),
        };
        let service_name = get("OTEL_SERVICE_NAME")
            .or_else(|| {
                get("OTEL_RESOURCE_ATTRIBUTES")?
                    .split(',')
                    .find_map(|pair| pair.trim().strip_prefix("service.name=").map(str::to_owned))
            })
            .unwrap_or_else(|| program.to_owned());
        Ok(Some(OtlpSettings {
            protocol,
            endpoint,
            service_name,
            program: program.to_owned(),
        }))
    }
}

/// A running export: a tracer provider with a batch processor, and what it
/// needs to live (the Tokio runtime, for gRPC).
pub struct OtlpExport {
    settings: OtlpSettings,
    provider: SdkTracerProvider,
    counts: Arc<Counts>,
    #[cfg(feature = "grpc")]
    runtime: Option<tokio::runtime::Runtime>,
}

/// What an export delivered, known once it is shut down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// Spans the collector accepted.
    pub exported: usize,
    /// Spans in batches the collector refused or never answered.
    pub failed: usize,
}

impl OtlpExport {
    /// Starts exporting as `settings` say.
    pub fn start(settings: OtlpSettings) -> Result<OtlpExport, OtlpError> {
        let counts = Arc::new(Counts::default());
        #[cfg(feature = "grpc")]
        let mut runtime = None;
        let exporter = match settings.protocol {
            Protocol::HttpProtobuf => opentelemetry_otlp::SpanExporter::builder()
                .with_http()
                .with_endpoint(&settings.endpoint)
                .build(),
            #[cfg(feature = "grpc")]
            Protocol::Grpc => {
                // tonic's channel must be created inside a Tokio runtime, and
                // that runtime must outlive the provider.
                let started = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name("otlp-grpc")
                    .enable_all()
                    .build()
                    .map_err(|error| OtlpError(format!("cannot start the gRPC runtime: {error}")))?;
                let exporter = {
                    let _entered = started.enter();
                    opentelemetry_otlp::SpanExporter::builder()
                        .with_tonic()
                        .with_endpoint(&settings.endpoint)
                        .build()
                };
                runtime = Some(started);
                exporter
            }
            #[cfg(not(feature = "grpc"))]
            Protocol::Grpc => {
                return Err(OtlpError(
                    "OTLP/gRPC needs the `grpc` feature of caci-otlp (on by default)".to_owned(),
                ));
            }
        }
        .map_err(|error| {
            OtlpError(format!(
                "cannot build the OTLP exporter for {}: {error}",
                settings.endpoint
            ))
        })?;

        let exporter = Counted {
            inner: exporter,
            counts: Arc::clone(&counts),
        };
        // The example opens its spans in a burst: a queue large enough that
        // none is dropped before the batch thread catches up.
        let batch = BatchConfigBuilder::default().with_max_queue_size(1 << 16).build();
        let provider = SdkTracerProvider::builder()
            .with_span_processor(BatchSpanProcessor::builder(exporter).with_batch_config(batch).build())
            .with_resource(
                Resource::builder()
                    .with_service_name(settings.service_name.clone())
                    .build(),
            )
            .build();
        Ok(OtlpExport {
            settings,
            provider,
            counts,
            #[cfg(feature = "grpc")]
            runtime,
        })
    }

    /// Where spans go.
    pub fn settings(&self) -> &OtlpSettings {
        &self.settings
    }

    /// The `tracing` layer that hands closed spans to the exporter, with the
    /// captured fields as the only attributes: `tracing-opentelemetry`'s
    /// own extras (`code.*`, `thread.*`, `target`, `level`, `busy_ns`,
    /// `idle_ns`) are switched off.
    pub fn layer<S>(&self) -> OpenTelemetryLayer<S, SdkTracer>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        tracing_opentelemetry::layer()
            .with_tracer(self.provider.tracer(self.settings.program.clone()))
            .with_location(false)
            .with_threads(false)
            .with_target(false)
            .with_level(false)
            .with_tracked_inactivity(false)
    }

    /// Flushes every span still queued, stops the exporter, and says what
    /// was delivered.
    pub fn shutdown(self) -> Result<ExportSummary, OtlpError> {
        let result = self.provider.shutdown_with_timeout(Duration::from_secs(10));
        #[cfg(feature = "grpc")]
        if let Some(runtime) = self.runtime {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        result.map_err(|error| OtlpError(format!("cannot flush spans to {}: {error}", self.settings.endpoint)))?;
        Ok(ExportSummary {
            exported: self.counts.exported.load(Ordering::SeqCst),
            failed: self.counts.failed.load(Ordering::SeqCst),
        })
    }
}

#[derive(Debug, Default)]
struct Counts {
    exported: AtomicUsize,
    failed: AtomicUsize,
}

/// An exporter that counts what it delivered.
#[derive(Debug)]
struct Counted<E> {
    inner: E,
    counts: Arc<Counts>,
}

impl<E: opentelemetry_sdk::trace::SpanExporter> opentelemetry_sdk::trace::SpanExporter for Counted<E> {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let spans = batch.len();
        let result = self.inner.export(batch).await;
        let counter = if result.is_ok() {
            &self.counts.exported
        } else {
            &self.counts.failed
        };
        counter.fetch_add(spans, Ordering::SeqCst);
        result
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = "caci-examples";

    fn settings(variables: &[(&str, &str)]) -> Result<Option<OtlpSettings>, OtlpError> {
        OtlpSettings::from_lookup(PROGRAM, |name| {
            variables
                .iter()
                .find(|(variable, _)| *variable == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn no_endpoint_no_export() {
        assert_eq!(settings(&[]), Ok(None));
        assert_eq!(settings(&[("OTEL_EXPORTER_OTLP_ENDPOINT", " ")]), Ok(None));
        assert_eq!(settings(&[("OTEL_SERVICE_NAME", "billing")]), Ok(None));
    }

    #[test]
    fn export_can_be_switched_off() {
        let endpoint = ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318");
        assert_eq!(settings(&[endpoint, ("OTEL_SDK_DISABLED", "TRUE")]), Ok(None));
        assert_eq!(settings(&[endpoint, ("OTEL_TRACES_EXPORTER", "none")]), Ok(None));
        assert!(settings(&[endpoint, ("OTEL_SDK_DISABLED", "false")]).unwrap().is_some());
    }

    #[test]
    fn http_appends_the_traces_path_to_the_base_endpoint_only() {
        let base = settings(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")])
            .unwrap()
            .unwrap();
        assert_eq!(base.endpoint, "http://collector:4318/v1/traces");
        assert_eq!(base.protocol, Protocol::HttpProtobuf);
        assert_eq!(base.service_name, PROGRAM);
        let traces = settings(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(traces.endpoint, "http://collector:4318/custom");
    }

    #[test]
    fn grpc_uses_the_endpoint_as_is_and_the_traces_protocol_wins() {
        let grpc = settings(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "GRPC"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(grpc.protocol, Protocol::Grpc);
        assert_eq!(grpc.endpoint, "http://127.0.0.1:4317");
        assert_eq!(grpc.protocol.to_string(), "grpc");
    }

    #[test]
    fn an_unsupported_protocol_is_an_error_naming_the_variable() {
        let error = settings(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
        ])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/json: this export speaks `http/protobuf` or `grpc`"
        );
    }

    #[test]
    fn the_service_name_comes_from_the_environment() {
        let endpoint = ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318");
        let named = |variables: &[(&str, &str)]| settings(variables).unwrap().unwrap().service_name;
        assert_eq!(named(&[endpoint, ("OTEL_SERVICE_NAME", "billing")]), "billing");
        assert_eq!(
            named(&[
                endpoint,
                (
                    "OTEL_RESOURCE_ATTRIBUTES",
                    "deployment.environment=ci, service.name=ledger"
                )
            ]),
            "ledger"
        );
        assert_eq!(
            named(&[
                endpoint,
                ("OTEL_SERVICE_NAME", "billing"),
                ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ledger")
            ]),
            "billing"
        );
    }

    #[test]
    fn export_to_a_closed_port_reports_failure_on_shutdown() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let settings = OtlpSettings {
            protocol: Protocol::HttpProtobuf,
            endpoint: format!("http://127.0.0.1:{port}/v1/traces"),
            service_name: PROGRAM.to_owned(),
            program: PROGRAM.to_owned(),
        };
        let export = OtlpExport::start(settings).unwrap();
        let subscriber = tracing_subscriber::layer::SubscriberExt::with(tracing_subscriber::registry(), export.layer());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info_span!("Unreachable.call", plan = "PRO").in_scope(|| {});
        });
        // The exporter gives up on the batch; shutdown still succeeds, and
        // the summary is what tells (the binary then exits non-zero).
        assert_eq!(export.shutdown(), Ok(ExportSummary { exported: 0, failed: 1 }));
    }
}
