//! Where the report's configuration came from, so a report of the empty
//! configuration says so instead of looking like a bad one.

use serde::{Deserialize, Serialize};

/// Where a report's configuration came from.
///
/// In JSON, `configuration_source`: `{"type": "given"}`,
/// `{"type": "file", "path": "caci.toml"}`, `{"type": "installed"}` or
/// `{"type": "nothing_installed"}`.
///
/// ```
/// use caci_core::coverage::ConfigurationSource;
///
/// // In a test nothing is installed:
/// assert_eq!(ConfigurationSource::in_force(), ConfigurationSource::NothingInstalled);
/// caci_core::with_configuration(&caci_core::TelemetryCaptureConfiguration::default(), || {
///     assert_eq!(ConfigurationSource::in_force(), ConfigurationSource::Installed);
/// });
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "path", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationSource {
    /// Passed to [`CoverageReport::build`](super::CoverageReport::build) by
    /// the caller.
    #[default]
    Given,
    /// Read from this file (the CLI's `--config`).
    File(String),
    /// The configuration installed with [`install`](crate::install) (or in
    /// force on this thread through
    /// [`with_configuration`](crate::with_configuration)).
    Installed,
    /// Nothing was installed: the report is of the empty configuration,
    /// which captures nothing. Install yours before running the report.
    NothingInstalled,
}

impl ConfigurationSource {
    /// [`Installed`](Self::Installed) when a configuration is in force on
    /// this thread (installed or scoped), else
    /// [`NothingInstalled`](Self::NothingInstalled).
    pub fn in_force() -> ConfigurationSource {
        if crate::rules::current::current_id() == crate::rules::current::NOTHING_INSTALLED {
            ConfigurationSource::NothingInstalled
        } else {
            ConfigurationSource::Installed
        }
    }
}

/// The warning every rendering shows for a report of nothing installed.
pub(crate) const NOTHING_INSTALLED_WARNING: &str = "No configuration is installed: this reports the empty configuration, \
which captures nothing. Call caci_core::install(...) before dispatching to the coverage command, or pass --config FILE.";
