//! A ready command line for the coverage report and gate.
//!
//! The registry of wrapped methods lives in *your* process, so the command
//! runs inside your binary or test. A binary target:
//!
//! ```no_run
//! // src/bin/caci-coverage.rs
//! fn main() -> std::process::ExitCode {
//!     // Link the crates whose components you want reported, e.g. `use my_service as _;`.
//!     caci_core::coverage::cli::run(std::env::args().skip(1))
//! }
//! ```
//!
//! then in CI: `cargo run --bin caci-coverage -- --config caci.toml --min 60 --baseline caci-coverage.json`.
//! Or as a test of the crate that holds the components:
//!
//! ```no_run
//! #[test]
//! fn capture_coverage_does_not_regress() {
//!     let args = ["--config", "caci.toml", "--min", "60", "--baseline", "caci-coverage.json"];
//!     let code = caci_core::coverage::cli::run(args.map(String::from));
//!     assert_eq!(code, std::process::ExitCode::SUCCESS);
//! }
//! ```
//!
//! ```text
#![doc = include_str!("usage.txt")]
//! ```
//!
//! Output goes to stdout (the report in the chosen format; in Markdown the
//! gate's outcome is appended); errors and the gate's outcome go to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::gate::Gate;
use super::report::CoverageReport;
use super::text::RenderOptions;
use crate::config::TelemetryCaptureConfiguration;
use crate::method::MethodDescriptor;

/// Exit code: the report was printed and the gate, if any, passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: the gate failed (coverage below `--min`, or a regression
/// against `--baseline`).
pub const EXIT_GATE_FAILED: u8 = 1;
/// Exit code: the arguments are wrong (unknown option, missing or bad value).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: an input file is missing or malformed (configuration or
/// baseline), or the baseline cannot be written.
pub const EXIT_BAD_INPUT: u8 = 3;

/// The `--help` text.
pub const USAGE: &str = include_str!("usage.txt");

/// Runs the command on every wrapped method linked into this program, with
/// the process's stdout and stderr; `args` excludes the program name.
///
/// `--color auto` colours the text report when stdout is a terminal and
/// `NO_COLOR` is not set.
pub fn run(args: impl IntoIterator<Item = String>) -> ExitCode {
    let stdout = std::io::stdout();
    let auto_color = anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
    let code = run_with(
        args,
        MethodDescriptor::all(),
        &mut stdout.lock(),
        &mut std::io::stderr().lock(),
        auto_color,
    );
    ExitCode::from(code)
}

/// [`run`] on explicit methods and writers, returning the exit code:
/// for tests, and for programs that keep their own registry.
/// `auto_color` is what `--color auto` means here.
///
/// ```
/// let mut out = Vec::new();
/// let mut err = Vec::new();
/// let args = ["--format", "yaml"].map(String::from);
/// let code = caci_core::coverage::cli::run_with(args, [], &mut out, &mut err, false);
/// assert_eq!(code, caci_core::coverage::cli::EXIT_USAGE);
/// assert!(String::from_utf8(err).unwrap().starts_with("error: `--format` must be text, json or markdown, not `yaml`"));
/// ```
pub fn run_with<'m>(
    args: impl IntoIterator<Item = String>,
    methods: impl IntoIterator<Item = &'m MethodDescriptor>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    auto_color: bool,
) -> u8 {
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}\n\nRun with --help for the options.");
            return EXIT_USAGE;
        }
    };
    if options.help {
        let _ = stdout.write_all(USAGE.as_bytes());
        return EXIT_OK;
    }
    match execute(&options, methods, stdout, stderr, auto_color) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            EXIT_BAD_INPUT
        }
    }
}

fn execute<'m>(
    options: &Options,
    methods: impl IntoIterator<Item = &'m MethodDescriptor>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    auto_color: bool,
) -> Result<u8, String> {
    let config = match &options.config {
        Some(path) => TelemetryCaptureConfiguration::from_path(path).map_err(|err| err.to_string())?,
        None => crate::current_configuration(),
    };
    let baseline = match &options.baseline {
        Some(path) if !options.update_baseline => Some(read_baseline(path)?),
        _ => None,
    };
    let report = CoverageReport::build(&config, methods);
    let gate = Gate {
        min_percent: options.min_percent,
        baseline,
    };
    let gated = gate.min_percent.is_some() || gate.baseline.is_some();
    let outcome = gate.check(&report);
    let rendered = match options.format {
        Format::Text => {
            let color = options.color.unwrap_or(auto_color);
            report.render_text(RenderOptions { color })
        }
        Format::Json => report.to_json(),
        Format::Markdown if gated => report.render_markdown() + &outcome.render_markdown(),
        Format::Markdown => report.render_markdown(),
    };
    let _ = stdout.write_all(rendered.as_bytes());
    if let (Some(path), true) = (&options.baseline, options.update_baseline) {
        std::fs::write(path, report.to_json())
            .map_err(|err| format!("cannot write the baseline `{}`: {err}", path.display()))?;
        let _ = writeln!(
            stderr,
            "wrote the baseline `{}` ({} of {} inputs captured)",
            path.display(),
            report.totals.captured,
            report.totals.leaves
        );
    }
    if gated {
        let _ = write!(stderr, "{outcome}");
    }
    Ok(if outcome.passed() { EXIT_OK } else { EXIT_GATE_FAILED })
}

fn read_baseline(path: &PathBuf) -> Result<CoverageReport, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read the baseline `{shown}`: {err} (create it with --update-baseline)"))?;
    CoverageReport::from_json(&text).map_err(|err| format!("the baseline `{shown}` is unusable: {err}"))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Format {
    #[default]
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Default)]
struct Options {
    config: Option<PathBuf>,
    format: Format,
    min_percent: Option<f64>,
    baseline: Option<PathBuf>,
    update_baseline: bool,
    /// `None`: auto.
    color: Option<bool>,
    help: bool,
}

impl Options {
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        use lexopt::Arg::{Long, Short, Value};
        let mut options = Options::default();
        let mut seen: Vec<String> = Vec::new();
        let mut parser = lexopt::Parser::from_args(args);
        loop {
            let arg = match parser.next() {
                Ok(Some(arg)) => arg,
                Ok(None) => break,
                Err(lexopt::Error::UnexpectedValue { option, .. }) => {
                    return Err(format!("`{option}` takes no value"));
                }
                Err(error) => return Err(error.to_string()),
            };
            let flag = match &arg {
                Long(name) => format!("--{name}"),
                Short(letter) => format!("-{letter}"),
                Value(value) => {
                    return Err(format!(
                        "unexpected argument `{}` (pass the arguments without the program name, e.g. `std::env::args().skip(1)`)",
                        value.to_string_lossy()
                    ));
                }
            };
            if seen.contains(&flag) {
                return Err(format!("`{flag}` is given more than once"));
            }
            seen.push(flag.clone());
            match arg {
                Short('h') | Long("help") => options.help = true,
                Long("update-baseline") => options.update_baseline = true,
                Long("config" | "format" | "min" | "baseline" | "color") => {
                    let value = parser
                        .value()
                        .ok()
                        .and_then(|value| value.into_string().ok())
                        .filter(|value| !value.starts_with("--"))
                        .ok_or_else(|| format!("`{flag}` needs a value: {}", expected(&flag)))?;
                    options.set(&flag, value)?;
                }
                _ => return Err(format!("unknown option `{flag}`")),
            }
        }
        if options.update_baseline && options.baseline.is_none() && !options.help {
            return Err("`--update-baseline` needs `--baseline FILE` to write to".to_owned());
        }
        Ok(options)
    }

    fn set(&mut self, flag: &str, value: String) -> Result<(), String> {
        let bad = || format!("`{flag}` must be {}, not `{value}`", expected(flag));
        match flag {
            "--config" => self.config = Some(PathBuf::from(&value)),
            "--baseline" => self.baseline = Some(PathBuf::from(&value)),
            "--format" => {
                self.format = match value.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "markdown" => Format::Markdown,
                    _ => return Err(bad()),
                }
            }
            "--color" => {
                self.color = match value.as_str() {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    _ => return Err(bad()),
                }
            }
            "--min" => {
                let percent = value.parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p));
                self.min_percent = Some(percent.ok_or_else(bad)?);
            }
            other => unreachable!("`{other}` is not an option with a value"),
        }
        Ok(())
    }
}

fn expected(flag: &str) -> &'static str {
    match flag {
        "--config" => "a .json or .toml file",
        "--baseline" => "a JSON report file",
        "--format" => "text, json or markdown",
        "--color" => "auto, always or never",
        "--min" => "a percentage from 0 to 100",
        _ => "a value",
    }
}
