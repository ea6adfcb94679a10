//! What CACI's own guards dropped: values of a type a plan was not made
//! for, `Capture` impls that panicked, dictionary entries whose keys are
//! denied, calls past a site's maximum of plans. Each is counted, and the first of each kind is reported once as
//! a `tracing` warning (target `caci`), so a guard that fires is never
//! silent and never floods the logs.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How often each of CACI's guards fired in this process.
///
/// ```
/// let counters = caci_core::safety_counters();
/// assert_eq!(counters.mismatched_types, 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SafetyCounters {
    /// Inputs left out because their value's type was not the one the plan
    /// was made for (a keying mistake costs a missing field, never a
    /// mislabelled one).
    pub mismatched_types: u64,
    /// Panics in `Capture` impls (or in what they render) that CACI
    /// contained: the call went on without that input's fields.
    pub contained_panics: u64,
    /// Dictionary entries left out because their key is denied.
    pub dropped_keys: u64,
    /// Calls that captured nothing because their site already keeps its
    /// maximum of ways of recording (`MAX_PLANS_PER_SITE`).
    pub dropped_plans: u64,
}

/// The counters so far.
pub fn safety_counters() -> SafetyCounters {
    SafetyCounters {
        mismatched_types: MISMATCHED_TYPES.count.load(Ordering::Relaxed),
        contained_panics: CONTAINED_PANICS.count.load(Ordering::Relaxed),
        dropped_keys: DROPPED_KEYS.count.load(Ordering::Relaxed),
        dropped_plans: DROPPED_PLANS.count.load(Ordering::Relaxed),
    }
}

/// One guard's counter, and whether it has been reported.
pub(crate) struct Guard {
    count: AtomicU64,
    reported: AtomicBool,
    message: &'static str,
}

impl Guard {
    const fn new(message: &'static str) -> Self {
        Guard {
            count: AtomicU64::new(0),
            reported: AtomicBool::new(false),
            message,
        }
    }

    /// Counts one firing at `site` (a span's name), reporting the first.
    #[cold]
    #[inline(never)]
    pub(crate) fn fired(&self, site: &str) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if !self.reported.swap(true, Ordering::Relaxed) {
            tracing::warn!(target: "caci", site, "{} (reported once; see caci_core::safety_counters)", self.message);
        }
    }

    /// Counts a firing without reporting it: inside a subscriber's
    /// formatting, where emitting an event could re-enter it.
    pub(crate) fn count_silently(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

pub(crate) static MISMATCHED_TYPES: Guard =
    Guard::new("CACI left out an input whose type is not the one its plan was made for");
pub(crate) static CONTAINED_PANICS: Guard =
    Guard::new("a Capture impl panicked; CACI left out that input's fields and the call went on");
pub(crate) static DROPPED_KEYS: Guard = Guard::new("CACI left out dictionary entries whose keys are denied");
pub(crate) static DROPPED_PLANS: Guard = Guard::new(
    "a call site reached its maximum of ways of recording (MAX_PLANS_PER_SITE); CACI captures nothing there for configurations that would record differently again",
);
