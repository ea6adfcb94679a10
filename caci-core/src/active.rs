//! The configuration in force: installed process-wide, replaceable at run
//! time, and overridable on one thread for a scope (tests).
//!
//! Call sites cache a plan per configuration *identity*; the per-call check
//! is one thread-local read and one atomic load compared with the plan's.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use arc_swap::ArcSwapOption;

use crate::config::TelemetryCaptureConfiguration;
use crate::config::validate::Rules;

/// The identity of "nothing installed".
const NOTHING_INSTALLED: u64 = 0;

static INSTALLED: ArcSwapOption<Rules> = ArcSwapOption::const_empty();
static INSTALLED_ID: AtomicU64 = AtomicU64::new(NOTHING_INSTALLED);
static INSTALL_LOCK: Mutex<()> = Mutex::new(());
static CAPTURE_NOTHING: LazyLock<Arc<Rules>> = LazyLock::new(|| TelemetryCaptureConfiguration::default().rules);

thread_local! {
    static SCOPED: RefCell<Option<Arc<Rules>>> = const { RefCell::new(None) };
    static SCOPED_ID: Cell<u64> = const { Cell::new(NOTHING_INSTALLED) };
}

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
    let _serialized = INSTALL_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if !config.deny_floor_removals().is_empty() {
        tracing::warn!(
            target: "caci",
            removed = ?config.deny_floor_removals(),
            "CACI configuration removes entries from the built-in deny floor"
        );
    }
    let id = config.rules.id;
    let previous = INSTALLED.swap(Some(config.rules));
    INSTALLED_ID.store(id, Ordering::Release);
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
    let _restore = ScopedGuard::enter(&config.rules);
    body()
}

/// Restores the previous thread-local configuration when dropped.
#[must_use]
pub(crate) struct ScopedGuard {
    previous: Option<Arc<Rules>>,
}

impl ScopedGuard {
    pub(crate) fn enter(rules: &Arc<Rules>) -> Self {
        let previous = SCOPED.with(|scoped| scoped.replace(Some(Arc::clone(rules))));
        SCOPED_ID.with(|id| id.set(rules.id));
        ScopedGuard { previous }
    }
}

impl Drop for ScopedGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SCOPED_ID.with(|id| id.set(previous.as_ref().map_or(NOTHING_INSTALLED, |rules| rules.id)));
        SCOPED.with(|scoped| *scoped.borrow_mut() = previous);
    }
}

/// The identity of the rules in force on this thread: the hot-path check.
#[inline]
pub(crate) fn current_id() -> u64 {
    let scoped = SCOPED_ID.with(Cell::get);
    if scoped != NOTHING_INSTALLED {
        scoped
    } else {
        INSTALLED_ID.load(Ordering::Acquire)
    }
}

/// The rules in force on this thread (slow path).
pub(crate) fn current_rules() -> Arc<Rules> {
    if let Some(rules) = SCOPED.with(|scoped| scoped.borrow().clone()) {
        return rules;
    }
    INSTALLED.load_full().unwrap_or_else(|| Arc::clone(&CAPTURE_NOTHING))
}

/// The configuration in force on this thread: the scoped one, the installed
/// one, or the empty one that captures nothing.
pub fn current_configuration() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::from_rules(current_rules())
}

/// Identity of the rules in force, or "nothing installed" for the empty rules.
pub(crate) fn id_of(rules: &Arc<Rules>) -> u64 {
    if Arc::ptr_eq(rules, &CAPTURE_NOTHING) {
        NOTHING_INSTALLED
    } else {
        rules.id
    }
}
