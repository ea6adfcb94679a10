//! A ready command line for the coverage report, its gate, the configuration
//! it suggests, and the fleet view.
//!
//! The registry of wrapped methods lives in *your* process, so the command
//! runs inside your binary or test. **Install your configuration first, then
//! dispatch**: without `--config`, the report is of the configuration in
//! force (installed with [`install`](crate::install)); when nothing is
//! installed it says so, in every format (`configuration_source` in JSON),
//! rather than report "0 inputs captured" for a configuration you did not
//! mean. A binary target:
//!
//! ```no_run
//! // src/bin/caci-coverage.rs
//! use caci_core::coverage::cli::{self, CoverageOutcome};
//!
//! fn main() -> CoverageOutcome {
//!     // Link the crates whose components you want reported, e.g. `use my_service as _;`.
//!     caci_core::install(caci_core::TelemetryCaptureConfiguration::default()); // 1. install
//!     cli::run(std::env::args().skip(1)) // 2. dispatch
//! }
//! ```
//!
//! then in CI: `cargo run --bin caci-coverage -- --config caci.toml --min 60 --baseline caci-coverage.json`.
//! [`CoverageOutcome`] carries the exit code; in a `main` that returns
//! `anyhow::Result<()>`, use `cli::run(args).into_result()?`. Or as a test of
//! the crate that holds the components:
//!
//! ```no_run
//! #[test]
//! fn capture_coverage_does_not_regress() {
//!     let args = ["--config", "caci.toml", "--min", "60", "--baseline", "caci-coverage.json"];
//!     let outcome = caci_core::coverage::cli::run(args.map(String::from));
//!     assert!(outcome.passed(), "{outcome:?}");
//! }
//! ```
//!
//! The options and exit codes are in [`USAGE`], the `--help` text.
//!
//! Output goes to stdout (the report in the chosen format; in Markdown the
//! gate's outcome is appended); errors, warnings and the gate's outcome go to
//! stderr.

use std::io::Write;
use std::path::Path;

use super::fleet::FleetReport;
use super::gate::Gate;
use super::options::{self, Command, Format, MergeOptions, ReportOptions};
pub use super::outcome::{
    CoverageError, CoverageErrorKind, CoverageOutcome, EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE,
};
use super::report::CoverageReport;
use super::source::{ConfigurationSource, NOTHING_INSTALLED_WARNING};
use super::text::RenderOptions;
use super::unmatched::unmatched_warning;
use crate::config::TelemetryCaptureConfiguration;
use crate::method::MethodDescriptor;

#[doc = concat!("The `--help` text:\n\n```text\n", include_str!("usage.txt"), "```")]
pub const USAGE: &str = include_str!("usage.txt");

/// Runs the command on every wrapped method linked into this program, with
/// the process's stdout and stderr; `args` excludes the program name. The
/// report's service name is the program's file name unless `--service` is
/// given.
///
/// `--color auto` colours the text report when stdout is a terminal and
/// `NO_COLOR` is not set.
pub fn run(args: impl IntoIterator<Item = String>) -> CoverageOutcome {
    let stdout = std::io::stdout();
    let auto_color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
    let service = std::env::current_exe()
        .ok()
        .and_then(|path| path.file_stem().map(|stem| stem.to_string_lossy().into_owned()));
    let mut io = Io {
        stdout: &mut stdout.lock(),
        stderr: &mut std::io::stderr().lock(),
        auto_color,
        service,
    };
    dispatch(args, MethodDescriptor::all(), &mut io)
}

/// [`run`] on explicit methods and writers: for tests, and for programs that
/// keep their own registry. `auto_color` is what `--color auto` means here;
/// the report has no service name unless `--service` is given.
///
/// ```
/// use caci_core::coverage::cli::{self, EXIT_USAGE};
///
/// let mut out = Vec::new();
/// let mut err = Vec::new();
/// let args = ["--format", "yaml"].map(String::from);
/// let outcome = cli::run_with(args, [], &mut out, &mut err, false);
/// assert_eq!(outcome.code(), EXIT_USAGE);
/// assert!(String::from_utf8(err).unwrap().starts_with("error: `--format` must be text, json, markdown or html, not `yaml`"));
/// ```
pub fn run_with<'m>(
    args: impl IntoIterator<Item = String>,
    methods: impl IntoIterator<Item = &'m MethodDescriptor>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    auto_color: bool,
) -> CoverageOutcome {
    let mut io = Io {
        stdout,
        stderr,
        auto_color,
        service: None,
    };
    dispatch(args, methods, &mut io)
}

struct Io<'w> {
    stdout: &'w mut dyn Write,
    stderr: &'w mut dyn Write,
    auto_color: bool,
    service: Option<String>,
}

fn dispatch<'m>(
    args: impl IntoIterator<Item = String>,
    methods: impl IntoIterator<Item = &'m MethodDescriptor>,
    io: &mut Io<'_>,
) -> CoverageOutcome {
    let command = match options::parse(args) {
        Ok(command) => command,
        Err(message) => {
            let _ = writeln!(io.stderr, "error: {message}\n\nRun with --help for the options.");
            return CoverageOutcome::Failed(CoverageError::new(CoverageErrorKind::Usage, message));
        }
    };
    let result = match command {
        Command::Help | Command::MergeHelp => {
            let _ = io.stdout.write_all(USAGE.as_bytes());
            return CoverageOutcome::Success;
        }
        Command::Report(options) => report(&options, methods, io),
        Command::Merge(options) => merge(&options, io),
    };
    match result {
        Ok(outcome) => outcome,
        Err(message) => {
            let _ = writeln!(io.stderr, "error: {message}");
            CoverageOutcome::Failed(CoverageError::new(CoverageErrorKind::BadInput, message))
        }
    }
}

fn report<'m>(
    options: &ReportOptions,
    methods: impl IntoIterator<Item = &'m MethodDescriptor>,
    io: &mut Io<'_>,
) -> Result<CoverageOutcome, String> {
    let (config, source) = match &options.config {
        Some(path) => (
            TelemetryCaptureConfiguration::from_path(path).map_err(|err| err.to_string())?,
            ConfigurationSource::File(path.display().to_string()),
        ),
        None => (crate::current_configuration(), ConfigurationSource::in_force()),
    };
    if source == ConfigurationSource::NothingInstalled {
        let _ = writeln!(io.stderr, "warning: {NOTHING_INSTALLED_WARNING}");
    }
    let baseline = match &options.baseline {
        Some(path) if !options.update_baseline => Some(read_report(path, "baseline")?),
        _ => None,
    };
    let mut report = CoverageReport::build(&config, methods);
    report.configuration_source = source;
    report.service = options.service.clone().or_else(|| io.service.clone());
    let gate = Gate {
        min_percent: options.min_percent,
        baseline,
    };
    let gated = gate.min_percent.is_some() || gate.baseline.is_some();
    let outcome = gate.check(&report);
    let rendered = match options.format {
        Format::Text => report.render_text(RenderOptions {
            color: options.color.unwrap_or(io.auto_color),
        }),
        Format::Json => report.to_json(),
        Format::Markdown if gated => report.render_markdown() + &outcome.render_markdown(),
        Format::Markdown => report.render_markdown(),
        Format::Html => report.render_html(),
    };
    let _ = io.stdout.write_all(rendered.as_bytes());
    if let (Some(path), true) = (&options.baseline, options.update_baseline) {
        write_file(path, "baseline", &report.to_json())?;
        let _ = writeln!(
            io.stderr,
            "wrote the baseline `{}` ({} of {} inputs captured)",
            path.display(),
            report.totals.captured,
            report.totals.leaves
        );
    }
    if let Some(path) = &options.emit_config {
        write_file(path, "configuration", &report.to_config_toml())?;
        let _ = writeln!(
            io.stderr,
            "wrote the configuration `{}`: {} suggestions, {} needing review (commented out)",
            path.display(),
            report.suggestions.len(),
            report.needs_review.len()
        );
    }
    if gated {
        // The gate's outcome ends with the unmatched scopes' warnings.
        let _ = write!(io.stderr, "{outcome}");
    } else {
        for place in &report.unmatched_scopes {
            let _ = writeln!(io.stderr, "warning: {}", unmatched_warning(place));
        }
    }
    Ok(if outcome.passed() {
        CoverageOutcome::Success
    } else {
        CoverageOutcome::GateFailed(outcome)
    })
}

fn merge(options: &MergeOptions, io: &mut Io<'_>) -> Result<CoverageOutcome, String> {
    let mut reports = Vec::new();
    for path in &options.reports {
        let report = read_report(path, "report")?;
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let service = report.service.clone().unwrap_or(stem);
        reports.push((service, report));
    }
    let fleet = FleetReport::new(reports);
    let rendered = match options.format {
        Format::Markdown => fleet.render_markdown(),
        Format::Html => fleet.render_html(),
        Format::Text | Format::Json => fleet.render_text(),
    };
    let _ = io.stdout.write_all(rendered.as_bytes());
    Ok(CoverageOutcome::Success)
}

fn write_file(path: &Path, what: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|err| format!("cannot write the {what} `{}`: {err}", path.display()))
}

fn read_report(path: &Path, what: &str) -> Result<CoverageReport, String> {
    let shown = path.display();
    let hint = if what == "baseline" {
        " (create it with --update-baseline)"
    } else {
        ""
    };
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read the {what} `{shown}`: {err}{hint}"))?;
    CoverageReport::from_json(&text).map_err(|err| format!("the {what} `{shown}` is unusable: {err}"))
}
