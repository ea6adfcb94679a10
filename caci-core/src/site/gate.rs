//! A call site's gate: the one byte a wrapped method reads before anything
//! else, closed only when no subscriber anywhere wants the site's spans.
//!
//! It counts what may want a span here: each of the site's `tracing`
//! callsites whose interest is not `never` (`tracing` tells each callsite
//! whenever subscribers change), plus one while the site has not been
//! planned under the configuration in force (a new configuration may
//! declare other fields, which a field filter may want). The count is
//! zero only when every callsite is `never` and the site is planned: then
//! the method runs its body alone. On x86-64, a method of a non-generic
//! inherent impl (its dispatcher, or its body when wrapped in place)
//! compares the byte in memory with zero and branches, two instructions
//! (`__private::gate_open!`: its own asm, as an atomic load is never folded
//! into a `cmp`); other wrapped methods, other targets and Miri load the
//! byte atomically, then test and branch. An open
//! gate is always safe: the full check (the level, then the callsite's
//! interest) runs behind it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// See the [module docs](self).
pub(crate) struct SiteGate {
    /// `count != 0`: the byte a call reads.
    open: AtomicBool,
    /// What may want a span here; changed with the [`GATES`] lock held
    /// only, `open` after it.
    count: AtomicUsize,
    /// Whether the "not planned yet" count is in `open`.
    unplanned: AtomicBool,
    /// Whether the gate is in [`GATES`].
    listed: AtomicBool,
}

/// Where `open` is in a gate: a method's dispatcher may read it itself
/// (see `__private::gate_open!`).
pub(crate) const OPEN_BYTE: usize = core::mem::offset_of!(SiteGate, open);

/// Every gate that has been planned once: reopened when the configuration
/// in force changes. Its lock also orders every change of a gate's count,
/// so that `open` always follows the last one.
static GATES: Mutex<Vec<&'static SiteGate>> = Mutex::new(Vec::new());

/// The [`GATES`] lock, held.
type Locked = std::sync::MutexGuard<'static, Vec<&'static SiteGate>>;

fn gates() -> Locked {
    GATES.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SiteGate {
    /// An open gate (not planned yet).
    pub(crate) const fn new() -> Self {
        SiteGate {
            open: AtomicBool::new(true),
            count: AtomicUsize::new(1),
            unplanned: AtomicBool::new(true),
            listed: AtomicBool::new(false),
        }
    }

    /// Whether a span may be wanted here.
    #[inline(always)]
    pub(crate) fn is_open(&self) -> bool {
        self.open.load(Ordering::Relaxed)
    }

    /// Adds `delta` to the count, and opens or closes (`_locked`: the lock
    /// that orders every change is held).
    fn change(&self, delta: isize, _locked: &Locked) {
        let count = self.count.load(Ordering::Relaxed).saturating_add_signed(delta);
        self.count.store(count, Ordering::Relaxed);
        self.open.store(count != 0, Ordering::Release);
    }

    /// Whether the site has no plan for the configuration in force yet.
    pub(crate) fn unplanned(&self) -> bool {
        self.unplanned.load(Ordering::Relaxed)
    }

    /// The site has a plan for the configuration in force.
    #[inline]
    pub(crate) fn planned(&'static self) {
        if self.unplanned.load(Ordering::Relaxed) {
            self.settle();
        }
    }

    #[cold]
    fn settle(&'static self) {
        let mut gates = gates();
        if !self.listed.swap(true, Ordering::AcqRel) {
            gates.push(self);
        }
        if self.unplanned.swap(false, Ordering::AcqRel) {
            self.change(-1, &gates);
        }
    }

    /// The site must be planned again (the configuration changed).
    fn unplan(&self, gates: &Locked) {
        if !self.unplanned.swap(true, Ordering::AcqRel) {
            self.change(1, gates);
        }
    }

    /// One of the site's callsites may be wanted now (or is new).
    pub(crate) fn callsite_opened(&self) {
        self.change(1, &gates());
    }

    /// One of the site's callsites is not wanted by any subscriber now.
    pub(crate) fn callsite_closed(&self) {
        self.change(-1, &gates());
    }
}

/// Reopens every gate until its site is planned again: the configuration
/// in force has changed.
pub(crate) fn reopen_gates() {
    let gates = gates();
    for gate in gates.iter() {
        gate.unplan(&gates);
    }
}
