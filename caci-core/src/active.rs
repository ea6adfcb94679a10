//! The configuration in force, as users set it: installed process-wide and
//! replaceable at run time, or overridden on one thread for a scope (tests).
//! The state itself is the rules layer's (`rules::current`), which call
//! sites read.

use crate::config::TelemetryCaptureConfiguration;
use crate::rules::current;

/// Installs `config` for the whole process, replacing any previous one, and
/// returns the previous one.
///
/// Every call site uses the new rules from its next call on; calls already
/// under way finish on the rules they started with. Removals from the deny
/// floor are logged (target `caci`) so they are never silent.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// caci_core::install(config);
/// // Later, during an incident, widen capture without a restart:
/// let wider = TelemetryCaptureConfiguration::builder()
///     .allow_fields(["plan", "feature_group"])
///     .build()
///     .unwrap();
/// let previous = caci_core::install(wider);
/// assert!(previous.is_some());
/// ```
pub fn install(config: TelemetryCaptureConfiguration) -> Option<TelemetryCaptureConfiguration> {
    let removals = config.deny_floor_removals().to_vec();
    let previous = current::install(config.rules, |_| {
        if !removals.is_empty() {
            tracing::warn!(
                target: "caci",
                removed = ?removals,
                "CACI configuration removes entries from the built-in deny floor"
            );
        }
    });
    previous.map(TelemetryCaptureConfiguration::from_rules)
}

/// Runs `body` with `config` in force on this thread only, then restores what
/// was in force before (also when `body` panics). Other threads keep the
/// installed configuration; tests use this to run in parallel with different
/// configurations.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let answer = caci_core::with_configuration(&config, || 42);
/// assert_eq!(answer, 42);
/// ```
pub fn with_configuration<R>(config: &TelemetryCaptureConfiguration, body: impl FnOnce() -> R) -> R {
    let _restore = current::ScopedGuard::enter(&config.rules);
    body()
}

/// The configuration in force on this thread: the scoped one, the installed
/// one, or the empty one that captures nothing.
pub fn current_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::from_rules(current::current_rules())
}
