//! What an install changes: a configuration compared with the one it
//! replaces, setting by setting, and the short identity both are known by.

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::rules::{ConfigSpec, Limits, ScopeSpec};

/// A short identity of a configuration's content: equal configurations
/// have equal ids within a build. Shown as 8 hex digits, in the change
/// event `install` logs and in the coverage report.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
///
/// let a = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let b = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// assert_eq!(a.id(), b.id());
/// assert_eq!(a.id().to_string().len(), 8);
/// assert_ne!(a.id(), TelemetryCaptureConfiguration::default().id());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConfigId(u32);

impl ConfigId {
    pub(crate) fn of(spec: &ConfigSpec) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        spec.hash(&mut hasher);
        let hash = hasher.finish();
        // Both halves, so that no bit of the hash is lost to the short form.
        ConfigId((hash >> 32) as u32 ^ hash as u32)
    }
}

impl fmt::Display for ConfigId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

/// Entries one list gained and lost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListChange {
    /// Entries the new configuration has and the old one had not.
    pub added: Vec<String>,
    /// Entries the old configuration had and the new one has not.
    pub removed: Vec<String>,
}

impl ListChange {
    fn between(old: &[String], new: &[String]) -> Self {
        ListChange {
            added: new.iter().filter(|entry| !old.contains(entry)).cloned().collect(),
            removed: old.iter().filter(|entry| !new.contains(entry)).cloned().collect(),
        }
    }

    /// Whether nothing was added or removed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// What one configuration changes against the one in force before it.
///
/// ```
/// use caci_core::TelemetryCaptureConfiguration;
/// use caci_core::config::ConfigChange;
///
/// let old = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
/// let new = TelemetryCaptureConfiguration::builder()
///     .allow_field("country")
///     .max_depth(4)
///     .scope("PlanCatalog", Some("feature_group_for"), |scope| scope.allow_field("feature_group"))
///     .build()
///     .unwrap();
/// let change = ConfigChange::between(Some(old.spec()), new.spec());
/// assert_eq!(change.fields.added, ["country"]);
/// assert_eq!(change.fields.removed, ["plan"]);
/// assert_eq!(change.limits, ["max_depth 3 -> 4"]);
/// assert_eq!(change.scopes.added, ["PlanCatalog.feature_group_for: feature_group"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigChange {
    /// Allowed names and paths.
    pub fields: ListChange,
    /// Allowed kinds.
    pub kinds: ListChange,
    /// Allowed structs.
    pub structs: ListChange,
    /// Allowed dictionaries.
    pub dictionaries: ListChange,
    /// Scopes, each as `Place: what it allows (ttl …)`.
    pub scopes: ListChange,
    /// Denied names.
    pub denied_fields: ListChange,
    /// Denied types.
    pub denied_types: ListChange,
    /// Removals from the built-in deny floor.
    pub floor_removals: ListChange,
    /// Metric labels.
    pub metric_labels: ListChange,
    /// Limits whose effective value changed, as `max_depth 3 -> 4`.
    pub limits: Vec<String>,
    /// Switches that changed, as `capture_error_messages false -> true`.
    pub switches: Vec<String>,
}

impl ConfigChange {
    /// The change from `old` (`None`: nothing was installed) to `new`.
    pub fn between(old: Option<&ConfigSpec>, new: &ConfigSpec) -> Self {
        let empty = ConfigSpec::default();
        let old = old.unwrap_or(&empty);
        let scopes = |spec: &ConfigSpec| spec.scopes.iter().map(describe_scope).collect::<Vec<_>>();
        ConfigChange {
            fields: ListChange::between(&old.allowed_field_names, &new.allowed_field_names),
            kinds: ListChange::between(&old.allowed_field_kinds, &new.allowed_field_kinds),
            structs: ListChange::between(&old.allowed_structs, &new.allowed_structs),
            dictionaries: ListChange::between(&old.allowed_dictionaries, &new.allowed_dictionaries),
            scopes: ListChange::between(&scopes(old), &scopes(new)),
            denied_fields: ListChange::between(&old.denied_field_names, &new.denied_field_names),
            denied_types: ListChange::between(&old.denied_types, &new.denied_types),
            floor_removals: ListChange::between(&old.deny_floor_removals, &new.deny_floor_removals),
            metric_labels: ListChange::between(&old.metric_labels, &new.metric_labels),
            limits: limit_changes(old, new),
            switches: [
                (
                    "capture_error_messages",
                    old.capture_error_messages,
                    new.capture_error_messages,
                ),
                ("scrub_values", old.scrub_values, new.scrub_values),
                ("record_duration", old.record_duration, new.record_duration),
                (
                    "capture_code_location",
                    old.capture_code_location,
                    new.capture_code_location,
                ),
                ("method_metrics", old.method_metrics, new.method_metrics),
                (
                    "capture_code_location",
                    old.capture_code_location,
                    new.capture_code_location,
                ),
                ("method_metrics", old.method_metrics, new.method_metrics),
            ]
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .map(|(name, old, new)| format!("{name} {old} -> {new}"))
            .collect(),
        }
    }

    /// The lists, each with its name as the change event's fields spell it.
    pub fn lists(&self) -> [(&'static str, &ListChange); 9] {
        [
            ("fields", &self.fields),
            ("kinds", &self.kinds),
            ("structs", &self.structs),
            ("dictionaries", &self.dictionaries),
            ("scopes", &self.scopes),
            ("denied_fields", &self.denied_fields),
            ("denied_types", &self.denied_types),
            ("floor_removals", &self.floor_removals),
            ("metric_labels", &self.metric_labels),
        ]
    }

    /// Whether the two configurations are the same.
    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, list)| list.is_empty()) && self.limits.is_empty() && self.switches.is_empty()
    }
}

/// A one-line summary, such as `+fields [country]; -fields [plan]; limits [max_depth 3 -> 4]`.
impl fmt::Display for ConfigChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no change");
        }
        let mut parts = Vec::new();
        for (name, list) in self.lists() {
            if !list.added.is_empty() {
                parts.push(format!("+{name} [{}]", list.added.join(", ")));
            }
            if !list.removed.is_empty() {
                parts.push(format!("-{name} [{}]", list.removed.join(", ")));
            }
        }
        if !self.limits.is_empty() {
            parts.push(format!("limits [{}]", self.limits.join(", ")));
        }
        if !self.switches.is_empty() {
            parts.push(format!("switches [{}]", self.switches.join(", ")));
        }
        f.write_str(&parts.join("; "))
    }
}

fn describe_scope(scope: &ScopeSpec) -> String {
    let allowed: Vec<String> = scope
        .allowed_field_names
        .iter()
        .cloned()
        .chain(scope.allowed_field_kinds.iter().map(|kind| format!("kind {kind}")))
        .chain(scope.allowed_structs.iter().map(|name| format!("struct {name}")))
        .chain(
            scope
                .allowed_dictionaries
                .iter()
                .map(|name| format!("dictionary {name}")),
        )
        .collect();
    let ttl = scope
        .ttl
        .as_deref()
        .map(|ttl| format!(" (ttl {ttl})"))
        .unwrap_or_default();
    format!("{}: {}{ttl}", scope.place(), allowed.join(", "))
}

fn limit_changes(old: &ConfigSpec, new: &ConfigSpec) -> Vec<String> {
    let defaults = Limits::default();
    let effective = |spec: &ConfigSpec| {
        let limits = &spec.limits;
        [
            ("max_depth", limits.max_depth.unwrap_or(defaults.max_depth)),
            (
                "max_list_items",
                limits.max_list_items.unwrap_or(defaults.max_list_items),
            ),
            (
                "max_string_len",
                limits.max_string_len.unwrap_or(defaults.max_string_len),
            ),
            (
                "max_fields_per_span",
                limits.max_fields_per_span.unwrap_or(defaults.max_fields_per_span),
            ),
            (
                "max_series_per_method",
                limits.max_series_per_method.unwrap_or(defaults.max_series_per_method),
            ),
            (
                "max_label_values",
                limits.max_label_values.unwrap_or(defaults.max_label_values),
            ),
        ]
    };
    effective(old)
        .into_iter()
        .zip(effective(new))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, old), (_, new))| format!("{name} {old} -> {new}"))
        .collect()
}
