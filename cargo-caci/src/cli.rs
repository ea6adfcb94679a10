//! The command line: `cargo caci init [--dry-run] [--package P] …`.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::init::Options;

/// How to call it.
pub const USAGE: &str = "\
Usage: cargo caci init [OPTIONS]

Finds the crate's components and domain types, adds CACI's attributes,
writes a starting caci.toml and prints the coverage it reaches.

Options:
  --dry-run              print a unified diff, change nothing
  -p, --package <P>      the workspace package to instrument
  --manifest-path <PATH> the Cargo.toml to start from
  --include <PATTERN>    wrap the impl blocks it matches (`billing::*`), whatever their rank;
                         with includes, only what they match is wrapped
  --exclude <PATTERN>    never wrap the impl blocks it matches (`*Builder`)
  --caci-path <DIR>      a CACI checkout: depend on <DIR>/caci-core by path
  --caci-git <URL>       depend on caci-core from this git repository
  -h, --help             this text

Patterns also come from caci.toml's [init] table (include = [...], exclude = [...]).
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// `init` with its options.
    Init(Options),
    /// `--help`.
    Help,
}

/// Parses the arguments after the program name; `caci` first (as `cargo
/// caci …` passes it) is skipped.
///
/// ```
/// use cargo_caci::cli::{Command, parse};
///
/// let Command::Init(options) = parse(["caci", "init", "--dry-run", "-p", "billing"].map(Into::into)).unwrap() else {
///     panic!()
/// };
/// assert!(options.dry_run);
/// assert_eq!(options.package.as_deref(), Some("billing"));
/// ```
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.first().is_some_and(|first| first == "caci") {
        args.remove(0);
    }
    let mut parser = lexopt::Parser::from_args(args);
    let mut options = Options {
        dir: std::env::current_dir().map_err(|error| error.to_string())?,
        ..Options::default()
    };
    let mut command = None;
    while let Some(arg) = parser.next().map_err(|error| error.to_string())? {
        match arg {
            Value(value) if command.is_none() => {
                let value = value.string().map_err(|error| error.to_string())?;
                if value != "init" {
                    return Err(format!("unknown command `{value}` (expected `init`)"));
                }
                command = Some(());
            }
            Long("dry-run") => options.dry_run = true,
            Short('p') | Long("package") => options.package = Some(string(&mut parser)?),
            Long("manifest-path") => options.manifest_path = Some(PathBuf::from(string(&mut parser)?)),
            Long("include") => options.patterns.include.push(string(&mut parser)?),
            Long("exclude") => options.patterns.exclude.push(string(&mut parser)?),
            Long("caci-path") => options.caci_path = Some(PathBuf::from(string(&mut parser)?)),
            Long("caci-git") => options.caci_git = Some(string(&mut parser)?),
            Short('h') | Long("help") => return Ok(Command::Help),
            other => return Err(other.unexpected().to_string()),
        }
    }
    match command {
        Some(()) => Ok(Command::Init(options)),
        None => Err("expected a command: `cargo caci init`".to_owned()),
    }
}

fn string(parser: &mut lexopt::Parser) -> Result<String, String> {
    parser
        .value()
        .map_err(|error| error.to_string())?
        .into_string()
        .map_err(|value| format!("not UTF-8: {value:?}"))
}
