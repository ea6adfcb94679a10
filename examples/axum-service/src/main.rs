//! `cargo run -p caci-axum-service`: the invoice API on 127.0.0.1:3000
//! (`--addr` to change it), spans printed as they close. `-- --self-test`
//! serves on a free loopback port, sends itself a few requests, and exits.
//!
//! `RUST_LOG` filters as usual (`info` when unset; `Targets` syntax:
//! `info,tower_http=debug`). With `OTEL_EXPORTER_OTLP_ENDPOINT` set, the
//! spans are exported over OTLP too (`caci-otlp`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use caci_axum_service::repository::InMemoryRepository;
use caci_axum_service::service::InvoiceService;
use caci_axum_service::{client, http};
use caci_otlp::{OtlpExport, OtlpSettings};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

const USAGE: &str = "usage: caci-axum-service [--addr 127.0.0.1:3000] [--self-test]";

struct Options {
    addr: Option<SocketAddr>,
    self_test: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        addr: None,
        self_test: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--self-test" => options.self_test = true,
            "--addr" => {
                let value = args.next().ok_or("--addr needs an address, such as 127.0.0.1:3000")?;
                options.addr = Some(value.parse().map_err(|error| format!("--addr {value}: {error}"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("caci-axum-service: {problem}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    caci_core::install(caci_axum_service::capture_configuration());

    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => match directives.parse::<Targets>() {
            Ok(filter) => filter,
            Err(error) => {
                eprintln!("caci-axum-service: RUST_LOG={directives}: {error}");
                return ExitCode::from(2);
            }
        },
        _ => Targets::new().with_default(tracing::Level::INFO),
    };
    // Before the Tokio runtime: the OTLP exporter's HTTP client and its
    // shutdown block, which must not happen on a runtime thread.
    let otlp = match OtlpSettings::from_env(env!("CARGO_PKG_NAME")).and_then(|s| s.map(OtlpExport::start).transpose()) {
        Ok(otlp) => otlp,
        Err(error) => {
            eprintln!("caci-axum-service: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_span_events(FmtSpan::CLOSE)
                .with_target(false)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
                .with_writer(std::io::stdout),
        )
        .with(otlp.as_ref().map(|otlp| otlp.layer()))
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("caci-axum-service: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(serve(&options));
    drop(runtime);
    let mut code = match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caci-axum-service: {error}");
            ExitCode::FAILURE
        }
    };
    if let Some(otlp) = otlp {
        match otlp.shutdown() {
            Ok(summary) if summary.failed == 0 => println!("OTLP: exported {} spans.", summary.exported),
            Ok(summary) => {
                eprintln!(
                    "caci-axum-service: OTLP: {} spans exported, {} failed",
                    summary.exported, summary.failed
                );
                code = ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("caci-axum-service: {error}");
                code = ExitCode::FAILURE;
            }
        }
    }
    code
}

async fn serve(options: &Options) -> std::io::Result<()> {
    let default = if options.self_test {
        "127.0.0.1:0"
    } else {
        "127.0.0.1:3000"
    };
    let addr = options
        .addr
        .unwrap_or_else(|| default.parse().expect("a valid address"));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let app = http::router(InvoiceService::new(Arc::new(InMemoryRepository::default())));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    if options.self_test {
        println!(
            "serving on http://{addr}; self-test: {} requests",
            client::SELF_TEST.len()
        );
        let result = client::self_test(addr).await;
        let _ = stop.send(());
        server.await.map_err(std::io::Error::other)??;
        let replies = result?;
        for ((method, path, _, _), reply) in client::SELF_TEST.iter().zip(&replies) {
            println!("{method} {path} -> {}", reply.status);
        }
        println!("self-test: ok");
    } else {
        println!("serving on http://{addr} (Ctrl-C stops)");
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(());
        server.await.map_err(std::io::Error::other)??;
    }
    Ok(())
}
