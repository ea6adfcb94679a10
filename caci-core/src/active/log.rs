//! The one event every change of the configuration in force emits.

use std::time::Duration;

use crate::config::{ConfigChange, TelemetryCaptureConfiguration};

/// Why the configuration in force changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// `install`.
    Install,
    /// `install_for`: a widening for this long.
    Widening(Duration),
    /// A widening or a scope's `ttl` ran out.
    Expiry,
    /// `Widening::end`.
    Ended,
}

impl Why {
    fn name(self) -> &'static str {
        match self {
            Why::Install => "install",
            Why::Widening(_) => "widening",
            Why::Expiry => "expiry",
            Why::Ended => "ended",
        }
    }
}

/// A list for an event field: `None` (no field) when empty.
fn joined(entries: &[String]) -> Option<String> {
    (!entries.is_empty()).then(|| entries.join(", "))
}

/// Emits the change from `old` to `new` (target `caci`): INFO, or WARN
/// when `new` removes entries from the deny floor, so that a removal is
/// never quiet.
pub(crate) fn changed(old: Option<&TelemetryCaptureConfiguration>, new: &TelemetryCaptureConfiguration, why: Why) {
    let change = ConfigChange::between(old.map(TelemetryCaptureConfiguration::spec), new.spec());
    let ttl_s = match why {
        Why::Widening(ttl) => Some(ttl.as_secs_f64()),
        _ => None,
    };
    let added = |list: &crate::config::ListChange| joined(&list.added);
    let removed = |list: &crate::config::ListChange| joined(&list.removed);
    let message = match why {
        Why::Widening(ttl) => format!(
            "CACI configuration widened for {}: {change}",
            humantime::format_duration(ttl)
        ),
        _ => format!("CACI configuration changed ({}): {change}", why.name()),
    };
    macro_rules! change_event {
        ($level:expr) => {
            tracing::event!(
                target: "caci",
                $level,
                config.id = %new.id(),
                config.previous_id = old.map(|old| old.id().to_string()),
                config.reason = why.name(),
                config.ttl_s = ttl_s,
                added.fields = added(&change.fields),
                removed.fields = removed(&change.fields),
                added.kinds = added(&change.kinds),
                removed.kinds = removed(&change.kinds),
                added.structs = added(&change.structs),
                removed.structs = removed(&change.structs),
                added.dictionaries = added(&change.dictionaries),
                removed.dictionaries = removed(&change.dictionaries),
                added.scopes = added(&change.scopes),
                removed.scopes = removed(&change.scopes),
                added.denied_fields = added(&change.denied_fields),
                removed.denied_fields = removed(&change.denied_fields),
                added.denied_types = added(&change.denied_types),
                removed.denied_types = removed(&change.denied_types),
                added.floor_removals = added(&change.floor_removals),
                removed.floor_removals = removed(&change.floor_removals),
                added.metric_labels = added(&change.metric_labels),
                removed.metric_labels = removed(&change.metric_labels),
                floor_removals = joined(new.deny_floor_removals()),
                limits = joined(&change.limits),
                switches = joined(&change.switches),
                "{message}"
            )
        };
    }
    if new.deny_floor_removals().is_empty() {
        change_event!(tracing::Level::INFO);
    } else {
        change_event!(tracing::Level::WARN);
    }
}
