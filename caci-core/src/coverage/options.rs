//! The coverage command's arguments, parsed with `lexopt`: every option
//! explicit, each at most once.

use std::path::PathBuf;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
    Markdown,
    Html,
}

/// What to do.
#[derive(Debug)]
pub(crate) enum Command {
    Help,
    MergeHelp,
    Report(ReportOptions),
    Merge(MergeOptions),
}

#[derive(Debug, Default)]
pub(crate) struct ReportOptions {
    pub(crate) config: Option<PathBuf>,
    pub(crate) format: Format,
    pub(crate) min_percent: Option<f64>,
    pub(crate) baseline: Option<PathBuf>,
    pub(crate) update_baseline: bool,
    pub(crate) emit_config: Option<PathBuf>,
    pub(crate) service: Option<String>,
    /// `None`: auto.
    pub(crate) color: Option<bool>,
}

#[derive(Debug, Default)]
pub(crate) struct MergeOptions {
    pub(crate) reports: Vec<PathBuf>,
    pub(crate) format: Format,
}

/// The options that take a value, in either mode.
const REPORT_VALUES: &[&str] = &["config", "format", "min", "baseline", "color", "emit-config", "service"];

pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.into_iter().collect();
    if args.first().map(String::as_str) == Some("merge") {
        return parse_merge(args.into_iter().skip(1));
    }
    parse_report(args)
}

fn flag_of(arg: &lexopt::Arg<'_>) -> Option<String> {
    match arg {
        lexopt::Arg::Long(name) => Some(format!("--{name}")),
        lexopt::Arg::Short(letter) => Some(format!("-{letter}")),
        lexopt::Arg::Value(_) => None,
    }
}

fn next<'p>(parser: &'p mut lexopt::Parser) -> Result<Option<lexopt::Arg<'p>>, String> {
    match parser.next() {
        Ok(arg) => Ok(arg),
        Err(lexopt::Error::UnexpectedValue { option, .. }) => Err(format!("`{option}` takes no value")),
        Err(error) => Err(error.to_string()),
    }
}

fn value_of(parser: &mut lexopt::Parser, flag: &str) -> Result<String, String> {
    parser
        .value()
        .ok()
        .and_then(|value| value.into_string().ok())
        .filter(|value| !value.starts_with("--"))
        .ok_or_else(|| format!("`{flag}` needs a value: {}", expected(flag)))
}

fn once(seen: &mut Vec<String>, flag: &str) -> Result<(), String> {
    if seen.iter().any(|known| known == flag) {
        return Err(format!("`{flag}` is given more than once"));
    }
    seen.push(flag.to_owned());
    Ok(())
}

fn parse_report(args: Vec<String>) -> Result<Command, String> {
    use lexopt::Arg::{Long, Short, Value};
    let mut options = ReportOptions::default();
    let mut seen = Vec::new();
    let mut help = false;
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = next(&mut parser)? {
        let Some(flag) = flag_of(&arg) else {
            let Value(value) = arg else {
                unreachable!("only values have no flag")
            };
            return Err(format!(
                "unexpected argument `{}` (pass the arguments without the program name, e.g. `std::env::args().skip(1)`; \
                 `merge` comes first)",
                value.to_string_lossy()
            ));
        };
        once(&mut seen, &flag)?;
        match arg {
            Short('h') | Long("help") => help = true,
            Long("update-baseline") => options.update_baseline = true,
            Long(name) if REPORT_VALUES.contains(&name) => {
                let value = value_of(&mut parser, &flag)?;
                options.set(&flag, value)?;
            }
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    if help {
        return Ok(Command::Help);
    }
    if options.update_baseline && options.baseline.is_none() {
        return Err("`--update-baseline` needs `--baseline FILE` to write to".to_owned());
    }
    Ok(Command::Report(options))
}

fn parse_merge(args: impl Iterator<Item = String>) -> Result<Command, String> {
    use lexopt::Arg::{Long, Short, Value};
    let mut options = MergeOptions::default();
    let mut seen = Vec::new();
    let mut help = false;
    let mut parser = lexopt::Parser::from_args(args);
    while let Some(arg) = next(&mut parser)? {
        match arg {
            Value(file) => options.reports.push(PathBuf::from(file)),
            Short('h') | Long("help") => {
                once(&mut seen, "--help")?;
                help = true;
            }
            Long("format") => {
                once(&mut seen, "--format")?;
                let value = value_of(&mut parser, "--format")?;
                options.format = match value.as_str() {
                    "text" => Format::Text,
                    "markdown" => Format::Markdown,
                    "html" => Format::Html,
                    _ => {
                        return Err(format!(
                            "`merge --format` must be text, markdown or html, not `{value}`"
                        ));
                    }
                };
            }
            other => {
                let flag = flag_of(&other).unwrap_or_default();
                return Err(format!("unknown option `{flag}` for `merge`"));
            }
        }
    }
    if help {
        return Ok(Command::MergeHelp);
    }
    if options.reports.is_empty() {
        return Err("`merge` needs one or more JSON reports (`--format json` output)".to_owned());
    }
    Ok(Command::Merge(options))
}

impl ReportOptions {
    fn set(&mut self, flag: &str, value: String) -> Result<(), String> {
        let bad = || format!("`{flag}` must be {}, not `{value}`", expected(flag));
        match flag {
            "--config" => self.config = Some(PathBuf::from(&value)),
            "--baseline" => self.baseline = Some(PathBuf::from(&value)),
            "--emit-config" => self.emit_config = Some(PathBuf::from(&value)),
            "--service" if !value.trim().is_empty() => self.service = Some(value),
            "--service" => return Err(bad()),
            "--format" => {
                self.format = match value.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "markdown" => Format::Markdown,
                    "html" => Format::Html,
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
        "--emit-config" => "a .toml file to write",
        "--service" => "a service name",
        "--format" => "text, json, markdown or html",
        "--color" => "auto, always or never",
        "--min" => "a percentage from 0 to 100",
        _ => "a value",
    }
}
