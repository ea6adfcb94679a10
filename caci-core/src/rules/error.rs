//! One error listing every problem of a configuration, each with its location.

use std::fmt;

/// A configuration that could not be built or loaded. Lists every problem
/// found, not only the first; nothing of a bad configuration is applied.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let err = TelemetryCaptureConfiguration::from_json_str(
///     r#"{ "allowed_field_kinds": ["uuid", "uuidd"], "limits": { "max_depth": 0 } }"#,
/// )
/// .unwrap_err();
/// assert_eq!(err.problems().len(), 2);
/// assert!(err.to_string().contains("allowed_field_kinds[1]: unknown kind `uuidd`"));
/// assert!(err.to_string().contains("limits.max_depth: must be at least 1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    source: Option<String>,
    problems: Vec<Problem>,
}

/// One problem: where it is (a key path such as `allowed_field_names[2]`, or
/// a line and column for syntax errors), in which file, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The base file the problem is in, when it is one the loaded file
    /// [`extends`](crate::TelemetryCaptureConfiguration::from_path); `None`
    /// for the loaded file itself ([`ConfigError::source_name`]) or text.
    pub file: Option<String>,
    /// Where the problem is in that file.
    pub location: String,
    /// What is wrong, and what to do about it where that is not obvious.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        ConfigError { source: None, problems }
    }

    pub(crate) fn single(location: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError::new(vec![Problem::new(location, message)])
    }

    pub(crate) fn in_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The file loaded (the service's own file when it `extends` others), if
    /// any; [`Problem::file`] says which file each problem is in.
    pub fn source_name(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

impl Problem {
    pub(crate) fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: None,
            location: location.into(),
            message: message.into(),
        }
    }

    pub(crate) fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let plural = if count == 1 { "problem" } else { "problems" };
        match &self.source {
            Some(source) => write!(f, "invalid CACI configuration in `{source}` ({count} {plural}):")?,
            None => write!(f, "invalid CACI configuration ({count} {plural}):")?,
        }
        for problem in &self.problems {
            match &problem.file {
                Some(file) => write!(f, "\n  - in `{file}`, {}: {}", problem.location, problem.message)?,
                None => write!(f, "\n  - {}: {}", problem.location, problem.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
