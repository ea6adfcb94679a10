//! Which rules are in force: installed for the process, or scoped to one
//! thread (tests). Call sites read this on every call, so the check is one
//! thread-local read and one atomic load; the public `install` and
//! `with_configuration` (the `active` module) write it.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use arc_swap::ArcSwapOption;

use super::{ConfigSpec, Rules, compile};

/// The identity of "nothing installed".
pub(crate) const NOTHING_INSTALLED: u64 = 0;

static INSTALLED: ArcSwapOption<Rules> = ArcSwapOption::const_empty();
static INSTALLED_ID: AtomicU64 = AtomicU64::new(NOTHING_INSTALLED);
static INSTALL_LOCK: Mutex<()> = Mutex::new(());
static CAPTURE_NOTHING: LazyLock<Arc<Rules>> =
    LazyLock::new(|| Arc::new(compile(&ConfigSpec::default()).expect("the empty configuration is valid")));

thread_local! {
    static SCOPED: RefCell<Option<Arc<Rules>>> = const { RefCell::new(None) };
    static SCOPED_ID: Cell<u64> = const { Cell::new(NOTHING_INSTALLED) };
}

/// Puts `rules` in force for the process (the `active` module decides which).
pub(crate) fn install(rules: Arc<Rules>) {
    let _serialized = INSTALL_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let id = rules.id;
    INSTALLED.store(Some(rules));
    INSTALLED_ID.store(id, Ordering::Release);
}

/// Restores the previous thread-local rules when dropped.
#[must_use]
pub(crate) struct ScopedGuard {
    previous: Option<Arc<Rules>>,
}

impl ScopedGuard {
    /// Puts `rules` in force on this thread until the guard is dropped.
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

/// The rules in force on this thread (slow path): scoped, installed, or the
/// empty rules that capture nothing.
pub(crate) fn current_rules() -> Arc<Rules> {
    if let Some(rules) = SCOPED.with(|scoped| scoped.borrow().clone()) {
        return rules;
    }
    INSTALLED.load_full().unwrap_or_else(|| Arc::clone(&CAPTURE_NOTHING))
}

/// Identity of the rules in force, or "nothing installed" for the empty rules.
pub(crate) fn id_of(rules: &Arc<Rules>) -> u64 {
    if Arc::ptr_eq(rules, &CAPTURE_NOTHING) {
        NOTHING_INSTALLED
    } else {
        rules.id
    }
}
