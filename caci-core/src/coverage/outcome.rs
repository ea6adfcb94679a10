//! What a run of the coverage command came to: a typed outcome that carries
//! its exit code, for any `main`.

use std::fmt;
use std::process::{ExitCode, Termination};

use super::gate::GateOutcome;

/// Exit code: the report was printed and the gate, if any, passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: the gate failed (coverage of the reachable inputs below
/// `--min`, or a regression against `--baseline`).
pub const EXIT_GATE_FAILED: u8 = 1;
/// Exit code: the arguments are wrong (unknown option, missing or bad value).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: an input file is missing or malformed (configuration,
/// baseline, a report to merge), or an output file cannot be written.
pub const EXIT_BAD_INPUT: u8 = 3;

/// The outcome of [`cli::run`](super::cli::run): everything was already
/// printed (the report on stdout, the gate's outcome and any error on
/// stderr); this says how it ended.
///
/// It is a [`Termination`], so `main` can return it; or take its
/// [`exit_code`](Self::exit_code); or, in a `main` returning
/// `anyhow::Result<()>` (or any `Result<_, Box<dyn Error>>`), turn it into a
/// `Result` with [`into_result`](Self::into_result) and `?` it:
///
/// ```no_run
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     caci_core::install(caci_core::TelemetryCaptureConfiguration::default()); // first
///     let mut args = std::env::args().skip(1);
///     if args.next().as_deref() == Some("coverage") {
///         caci_core::coverage::cli::run(args).into_result()?;
///     }
///     Ok(())
/// }
/// ```
///
/// `?` exits with code 1 whatever the error; to keep the command's exit
/// codes, return [`CoverageOutcome`] itself or
/// `ExitCode::from(error.code())`.
///
/// ```
/// use caci_core::coverage::cli::{self, CoverageErrorKind, EXIT_USAGE};
///
/// let outcome = cli::run_with(["--min", "200"].map(String::from), [], &mut Vec::new(), &mut Vec::new(), false);
/// assert_eq!(outcome.code(), EXIT_USAGE);
/// let error = outcome.into_result().unwrap_err();
/// assert_eq!(error.kind(), CoverageErrorKind::Usage);
/// assert_eq!(error.to_string(), "`--min` must be a percentage from 0 to 100, not `200`");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum CoverageOutcome {
    /// The report was printed (and any file written); the gate, if any,
    /// passed. Exit code [`EXIT_OK`].
    Success,
    /// The gate failed. Exit code [`EXIT_GATE_FAILED`].
    GateFailed(GateOutcome),
    /// A usage error or bad input. Exit code [`EXIT_USAGE`] or
    /// [`EXIT_BAD_INPUT`].
    Failed(CoverageError),
}

/// Why the coverage command did not succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoverageErrorKind {
    /// The gate failed: [`EXIT_GATE_FAILED`].
    GateFailed,
    /// Wrong arguments: [`EXIT_USAGE`].
    Usage,
    /// A missing or malformed input file, or an output that cannot be
    /// written: [`EXIT_BAD_INPUT`].
    BadInput,
}

/// A failed coverage command, as an [`Error`](std::error::Error): its kind,
/// exit code and message (the one printed on stderr).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageError {
    kind: CoverageErrorKind,
    message: String,
}

impl CoverageError {
    pub(crate) fn new(kind: CoverageErrorKind, message: impl Into<String>) -> Self {
        CoverageError {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> CoverageErrorKind {
        self.kind
    }

    /// The exit code, as a number.
    pub fn code(&self) -> u8 {
        match self.kind {
            CoverageErrorKind::GateFailed => EXIT_GATE_FAILED,
            CoverageErrorKind::Usage => EXIT_USAGE,
            CoverageErrorKind::BadInput => EXIT_BAD_INPUT,
        }
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

impl fmt::Display for CoverageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CoverageError {}

impl CoverageOutcome {
    /// The exit code, as a number ([`EXIT_OK`], …).
    pub fn code(&self) -> u8 {
        match self {
            CoverageOutcome::Success => EXIT_OK,
            CoverageOutcome::GateFailed(_) => EXIT_GATE_FAILED,
            CoverageOutcome::Failed(error) => error.code(),
        }
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// Whether the command succeeded (and the gate, if any, passed).
    pub fn passed(&self) -> bool {
        matches!(self, CoverageOutcome::Success)
    }

    /// `Ok(())` on success, else the error (a failed gate is a
    /// [`CoverageErrorKind::GateFailed`] error whose message lists the
    /// failures).
    pub fn into_result(self) -> Result<(), CoverageError> {
        match self {
            CoverageOutcome::Success => Ok(()),
            CoverageOutcome::GateFailed(outcome) => Err(CoverageError::new(
                CoverageErrorKind::GateFailed,
                outcome.to_string().trim_end(),
            )),
            CoverageOutcome::Failed(error) => Err(error),
        }
    }
}

/// `fn main() -> CoverageOutcome` exits with the command's code.
impl Termination for CoverageOutcome {
    fn report(self) -> ExitCode {
        self.exit_code()
    }
}
