//! `cargo run -p caci-examples`: sign-ups through a subscription service
//! whose STARTER plan points at the LEGACY feature group, the traces that
//! show it, the fix, and the traces that show the fix.
//!
//! With `OTEL_EXPORTER_OTLP_ENDPOINT` set, the same spans are exported over
//! OTLP (see `caci_examples::otlp`); without it, everything stays on stdout.

use std::io;
use std::process::ExitCode;

use std::time::Duration;

use caci_examples::otlp::{OtlpExport, OtlpSettings};
use caci_examples::prometheus::PrometheusSettings;
use caci_examples::story::{self, Observers};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The incident walkthrough, with a widening of two seconds.
fn incident() -> ExitCode {
    let observers = Observers::new(io::stdout());
    tracing_subscriber::registry()
        .with(LevelFilter::INFO)
        .with(observers.tally.clone())
        .init();
    match caci_examples::incident::run(&mut io::stdout(), &observers, std::time::Duration::from_secs(2)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caci-examples: cannot print: {error}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    // The one configuration: what CACI may capture, decided here.
    let mut config = caci_examples::capture_configuration();
    caci_core::install(config.clone());

    // `cargo run -p caci-examples -- coverage [--min 70 …]`: the coverage
    // report of every `#[component]` method, and its gate. The configuration
    // is installed above, before dispatching: without `--config` the report
    // is of the installed one.
    let mut args = std::env::args().skip(1).peekable();
    let mut metrics_flag = None;
    if args.peek().map(String::as_str) == Some("--metrics-addr") {
        args.next();
        metrics_flag = args.next();
        if metrics_flag.is_none() {
            eprintln!("caci-examples: --metrics-addr needs an address, such as 127.0.0.1:9464");
            return ExitCode::from(2);
        }
    }
    match args.next().as_deref() {
        None => {}
        Some("coverage") => return caci_core::coverage::cli::run(args).exit_code(),
        // The fake personal data the sign-ups carry, one value a line: what
        // leak checks (`.ci/otlp-rotel.sh`) search collector logs for.
        Some("personal-values") => {
            for index in 0..story::SIGNUPS + story::SIGNUPS_AFTER_FIX {
                for value in caci_examples::signups::personal_values(index) {
                    println!("{value}");
                }
            }
            return ExitCode::SUCCESS;
        }
        // `cargo run -p caci-examples -- incident`: widening at run time
        // that reverts by itself.
        Some("incident") => return incident(),
        Some(other) => {
            eprintln!(
                "caci-examples: unknown command `{other}` (expected none, `coverage`, `incident` or `personal-values`)"
            );
            return ExitCode::from(2);
        }
    }

    // Prometheus metrics per method when asked (`CACI_METRICS_ADDR` or
    // `--metrics-addr`): the recorder first, then the configuration that
    // turns metrics on, before any method is called.
    let prometheus = match PrometheusSettings::from_env(metrics_flag) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("caci-examples: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(settings) = &prometheus {
        if let Err(error) = settings.install() {
            eprintln!("caci-examples: {error}");
            return ExitCode::FAILURE;
        }
        config = caci_examples::prometheus::with_metrics(&config);
        caci_core::install(config.clone());
        println!(
            "Prometheus metrics: on, http://{}/metrics, by {}\n",
            settings.addr,
            caci_examples::prometheus::METRIC_LABELS.join(", ")
        );
    }

    let otlp = match OtlpSettings::from_env(env!("CARGO_PKG_NAME"))
        .and_then(|settings| settings.map(OtlpExport::start).transpose())
    {
        Ok(otlp) => otlp,
        Err(error) => {
            eprintln!("caci-examples: {error}");
            return ExitCode::FAILURE;
        }
    };
    match &otlp {
        Some(otlp) => {
            let settings = otlp.settings();
            println!(
                "OTLP export: on, {} to {} as service.name={}\n",
                settings.protocol, settings.endpoint, settings.service_name
            );
        }
        None => println!("OTLP export: off (set OTEL_EXPORTER_OTLP_ENDPOINT to send these spans to a collector)\n"),
    }

    // Ordinary `tracing` layers read CACI's spans: a printer for a few span
    // trees, a counter for the plan × feature group table, and OTLP.
    let observers = Observers::new(io::stdout());
    tracing_subscriber::registry()
        .with(LevelFilter::INFO)
        .with(observers.printer.clone())
        .with(observers.tally.clone())
        .with(otlp.as_ref().map(|otlp| otlp.layer()))
        .init();

    let pause = prometheus.as_ref().map_or(Duration::ZERO, |settings| settings.pause);
    if let Err(error) = story::run_pausing(&mut io::stdout(), &observers, &config, pause) {
        eprintln!("caci-examples: cannot print: {error}");
        return ExitCode::FAILURE;
    }

    let Some(otlp) = otlp else { return ExitCode::SUCCESS };
    let endpoint = otlp.settings().endpoint.clone();
    match otlp.shutdown() {
        Ok(summary) if summary.failed == 0 && summary.exported == observers.tally.spans_closed() => {
            println!("\nOTLP: exported {} spans to {endpoint}.", summary.exported);
            ExitCode::SUCCESS
        }
        Ok(summary) => {
            eprintln!(
                "caci-examples: OTLP export to {endpoint} incomplete: {} of {} spans exported, {} failed",
                summary.exported,
                observers.tally.spans_closed(),
                summary.failed
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("caci-examples: {error}");
            ExitCode::FAILURE
        }
    }
}
