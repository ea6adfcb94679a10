//! The configuration in force, as users set it: installed process-wide and
//! replaceable at run time, widened for a while during an incident, or
//! overridden on one thread for a scope (tests). The state call sites read
//! is the rules layer's (`rules::current`); this module decides what goes
//! there and logs every change.

mod layers;
mod log;

use std::time::{Duration, Instant};

use crate::config::{ConfigError, TelemetryCaptureConfiguration};
use crate::rules::current;

/// Installs `config` for the whole process, replacing the configuration
/// installed before, and returns that one.
///
/// Every call site uses the new rules from its next call on; calls already
/// under way finish on the rules they started with. Each install emits one
/// event (target `caci`) saying what changed against the configuration in
/// force before, with both ids: INFO, or WARN when the configuration
/// removes entries from the deny floor, so that a removal is never silent.
///
/// Widenings from [`install_for`] stay in force on top of the new
/// configuration until they run out. A scope with a `ttl` runs from the
/// first install of a configuration that has it: installing it again does
/// not restart it (change the scope, say its `ttl`, to widen again).
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// caci_core::install(config);
/// // Later, without a restart:
/// let wider = TelemetryCaptureConfiguration::builder()
///     .allow_fields(["plan", "feature_group"])
///     .build()
///     .unwrap();
/// let previous = caci_core::install(wider);
/// assert!(previous.is_some());
/// ```
pub fn install(config: TelemetryCaptureConfiguration) -> Option<TelemetryCaptureConfiguration> {
    layers::lock().install(config)
}

/// Widens the configuration in force with `config`'s allowances for `ttl`,
/// then narrows it back by itself: what is in force meanwhile is the
/// installed configuration with `config`'s lists added (see
/// [`ConfigSpec::widened_by`](crate::config::ConfigSpec::widened_by)).
///
/// Widenings stack: a second one during the first adds to both, and each
/// ends at its own time. An [`install`] during a widening replaces what is
/// under it, and the widening stays until it runs out. Nothing is read on
/// the per-call path: a timer thread installs the narrower configuration
/// when the time is up, and call sites see a new configuration, as after
/// any install. The change is logged both ways.
///
/// Refused, with every problem, when `config` cannot stand with the
/// installed configuration (a name it allows is denied there, say).
///
/// ```
/// use std::time::Duration;
/// use caci_core::TelemetryCaptureConfiguration;
///
/// caci_core::install(TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap());
/// let incident = TelemetryCaptureConfiguration::builder()
///     .scope("PlanCatalog", Some("feature_group_for"), |scope| scope.allow_field("feature_group"))
///     .build()
///     .unwrap();
/// let widening = caci_core::install_for(incident, Duration::from_secs(15 * 60)).unwrap();
/// assert_eq!(caci_core::current_configuration().spec().scopes.len(), 1);
/// widening.end(); // or let it run out
/// assert!(caci_core::current_configuration().spec().scopes.is_empty());
/// ```
pub fn install_for(config: TelemetryCaptureConfiguration, ttl: Duration) -> Result<Widening, ConfigError> {
    let token = layers::lock().widen(config, ttl)?;
    Ok(Widening {
        token,
        until: Instant::now().checked_add(ttl),
    })
}

/// A widening from [`install_for`]: it ends by itself; dropping the handle
/// does not end it.
#[derive(Debug)]
#[must_use = "the widening stays in force until it runs out; keep the handle to end it early"]
pub struct Widening {
    token: u64,
    until: Option<Instant>,
}

impl Widening {
    /// Ends the widening now; `false` when it had already ended.
    pub fn end(self) -> bool {
        layers::lock().end(self.token)
    }

    /// Whether it is still in force.
    pub fn is_live(&self) -> bool {
        layers::lock().is_live(self.token)
    }

    /// When it runs out (about; `None` when too far to represent).
    pub fn until(&self) -> Option<Instant> {
        self.until
    }
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
    /// Sites are planned again for the configuration in force after the
    /// scope, too (also when `body` panics).
    struct Reopen;
    impl Drop for Reopen {
        fn drop(&mut self) {
            crate::site::reopen_gates();
        }
    }
    let _reopen = Reopen;
    let _restore = current::ScopedGuard::enter(&config.rules);
    crate::site::reopen_gates();
    body()
}

/// The configuration in force on this thread: the scoped one, the installed
/// one with its live widenings, or the empty one that captures nothing. Its
/// [`id`](TelemetryCaptureConfiguration::id) is the one the change events
/// and the coverage report show.
///
/// ```
/// let config = caci_core::current_configuration();
/// println!("CACI configuration {}", config.id());
/// ```
pub fn current_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::from_rules(current::current_rules())
}
