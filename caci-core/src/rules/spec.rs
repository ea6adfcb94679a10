//! The one schema behind the builder, JSON files and TOML files.

use serde::{Deserialize, Serialize};

/// The configuration as data: what the builder fills in and what files hold.
///
/// Field names follow the seed's Python configuration. Every list defaults to
/// empty and every limit to [`Limits::default`](crate::Limits). A file may
/// also name a base file it builds on, `extends`; the spec holds the merged
/// result (see [`from_path`](crate::TelemetryCaptureConfiguration::from_path)).
///
/// ```json
/// {
///   "allowed_field_names": ["business_id", "user_id", "plan", "business.country"],
///   "allowed_field_kinds": ["uuid", "datetime", "date", "bool", "enum"],
///   "allowed_structs": ["FeatureGroup"],
///   "allowed_dictionaries": ["flags"],
///   "denied_field_names": ["internal_note"],
///   "deny_floor_removals": [],
///   "denied_types": ["Password", "*Secret*"],
///   "limits": { "max_depth": 3, "max_list_items": 20, "max_string_len": 128, "max_fields_per_span": 32 }
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConfigSpec {
    /// Plain names (matched at any depth) and dotted paths (one nested field).
    #[serde(default)]
    pub allowed_field_names: Vec<String>,
    /// Kinds whose leaves are captured wherever they are, e.g. `uuid`, `enum`;
    /// `integer` stands for both integer kinds.
    #[serde(default)]
    pub allowed_field_kinds: Vec<String>,
    /// Types whose direct fields are all eligible: a full path
    /// (`my_app::Business`) or the type's name alone (`Business`).
    #[serde(default)]
    pub allowed_structs: Vec<String>,
    /// Names or paths of maps captured as one `{key: value}` field.
    #[serde(default)]
    pub allowed_dictionaries: Vec<String>,
    /// Identifiers added to the deny floor.
    #[serde(default)]
    pub denied_field_names: Vec<String>,
    /// Identifiers explicitly removed from the built-in deny floor: a floor
    /// entry (lifts the word everywhere) or a name with a floor word in it
    /// (exempts that one name).
    #[serde(default)]
    pub deny_floor_removals: Vec<String>,
    /// Types never captured wherever they appear: a type's own name
    /// (`Password`), a full path (`my_app::vault::Key`), `*` for any run of
    /// characters (`*Secret*`, `my_app::vault::*`).
    #[serde(default)]
    pub denied_types: Vec<String>,
    /// Whether a failed method's error message (its `Display`) is recorded.
    /// Off by default: messages can carry personal data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capture_error_messages: bool,
    /// Whether captured strings that look like an email address, a card
    /// number, a JWT, a credential or an IBAN are replaced by a marker. On
    /// by default.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub scrub_values: bool,
    /// Whether method spans carry `duration_ns`. On by default; turn it
    /// off where spans go to OpenTelemetry, which stamps each span's start
    /// and end itself (see BENCHMARKS.md for what it saves).
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub record_duration: bool,
    /// Whether every wrapped method's span also carries `code.file.path` and
    /// `code.line.number` (where the method is). Off by default.
    /// `code.function.name` is always recorded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capture_code_location: bool,
    /// Whether every wrapped method counts its calls and times them as
    /// metrics (`caci.method.calls`, `caci.method.duration`), through the
    /// `metrics` facade. Needs caci-core's cargo feature `metrics`; off by
    /// default.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub method_metrics: bool,
    /// The captured leaves that become metric labels: names (matched at any
    /// depth) or dotted paths, such as `plan` or `business.country`. A label
    /// must be a leaf the span would capture, of kind bool, enum or string
    /// (a string's distinct values are capped by `limits.max_label_values`);
    /// any other kind is refused when the configuration is built.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metric_labels: Vec<String>,
    /// Limits; absent entries take their defaults.
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Allowances for one component, or one method of it, on top of the
    /// lists above. The deny floor, `sensitive`, denied types and the limits
    /// still apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<ScopeSpec>,
}

/// Allowances that apply at the wrapped methods of one component, or of one
/// of its methods, only.
///
/// ```toml
/// [[scopes]]
/// component = "PaymentGateway"
/// method = "authorize"              # the whole component when left out
/// allowed_field_names = ["amount_cents", "currency"]
/// allowed_field_kinds = ["uuid"]
/// ttl = "15m"                       # optional: reverts by itself
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ScopeSpec {
    /// The component's name, as `#[component]` gives it (`PaymentGateway`).
    pub component: String,
    /// One method of the component; `None` for all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// As [`ConfigSpec::allowed_field_names`], at this scope only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_field_names: Vec<String>,
    /// As [`ConfigSpec::allowed_field_kinds`], at this scope only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_field_kinds: Vec<String>,
    /// As [`ConfigSpec::allowed_structs`], at this scope only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_structs: Vec<String>,
    /// As [`ConfigSpec::allowed_dictionaries`], at this scope only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_dictionaries: Vec<String>,
    /// How long the scope lasts once installed, such as `"15m"` or
    /// `"1h 30m"`; `None` for as long as the configuration is in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

impl ScopeSpec {
    /// A scope for `component`, or for one `method` of it, allowing nothing yet.
    pub fn new(component: impl Into<String>, method: Option<&str>) -> Self {
        ScopeSpec {
            component: component.into(),
            method: method.map(str::to_owned),
            ..ScopeSpec::default()
        }
    }

    /// Where the scope applies, as span names read: `PaymentGateway` or
    /// `PaymentGateway.authorize`.
    pub fn place(&self) -> String {
        match &self.method {
            Some(method) => format!("{}.{method}", self.component),
            None => self.component.clone(),
        }
    }
}

impl Default for ConfigSpec {
    /// Captures nothing, scrubs values.
    fn default() -> Self {
        ConfigSpec {
            allowed_field_names: Vec::new(),
            allowed_field_kinds: Vec::new(),
            allowed_structs: Vec::new(),
            allowed_dictionaries: Vec::new(),
            denied_field_names: Vec::new(),
            deny_floor_removals: Vec::new(),
            denied_types: Vec::new(),
            capture_error_messages: false,
            scrub_values: true,
            record_duration: true,
            capture_code_location: false,
            method_metrics: false,
            metric_labels: Vec::new(),
            limits: LimitsSpec::default(),
            scopes: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

impl ConfigSpec {
    /// This configuration with `wider`'s allowances added: every list is
    /// the union (this one's entries first), a limit `wider` sets replaces
    /// this one's, error messages are captured when either captures them,
    /// and values are scrubbed unless both turn scrubbing off. Denials and
    /// floor removals add up as well; the result is checked when compiled.
    ///
    /// ```
    /// use caci_core::config::ConfigSpec;
    ///
    /// let mut base = ConfigSpec::default();
    /// base.allowed_field_names = vec!["plan".into()];
    /// let mut wider = ConfigSpec::default();
    /// wider.allowed_field_names = vec!["plan".into(), "country".into()];
    /// wider.limits.max_depth = Some(4);
    /// let merged = base.widened_by(&wider);
    /// assert_eq!(merged.allowed_field_names, ["plan", "country"]);
    /// assert_eq!(merged.limits.max_depth, Some(4));
    /// ```
    pub fn widened_by(&self, wider: &ConfigSpec) -> ConfigSpec {
        fn union<T: Clone + PartialEq>(first: &[T], second: &[T]) -> Vec<T> {
            let mut all = first.to_vec();
            all.extend(second.iter().filter(|entry| !first.contains(entry)).cloned());
            all
        }
        let limits = &wider.limits;
        ConfigSpec {
            allowed_field_names: union(&self.allowed_field_names, &wider.allowed_field_names),
            allowed_field_kinds: union(&self.allowed_field_kinds, &wider.allowed_field_kinds),
            allowed_structs: union(&self.allowed_structs, &wider.allowed_structs),
            allowed_dictionaries: union(&self.allowed_dictionaries, &wider.allowed_dictionaries),
            denied_field_names: union(&self.denied_field_names, &wider.denied_field_names),
            deny_floor_removals: union(&self.deny_floor_removals, &wider.deny_floor_removals),
            denied_types: union(&self.denied_types, &wider.denied_types),
            capture_error_messages: self.capture_error_messages || wider.capture_error_messages,
            scrub_values: self.scrub_values || wider.scrub_values,
            record_duration: self.record_duration || wider.record_duration,
            capture_code_location: self.capture_code_location || wider.capture_code_location,
            method_metrics: self.method_metrics || wider.method_metrics,
            metric_labels: union(&self.metric_labels, &wider.metric_labels),
            limits: LimitsSpec {
                max_depth: limits.max_depth.or(self.limits.max_depth),
                max_list_items: limits.max_list_items.or(self.limits.max_list_items),
                max_string_len: limits.max_string_len.or(self.limits.max_string_len),
                max_fields_per_span: limits.max_fields_per_span.or(self.limits.max_fields_per_span),
                max_series_per_method: limits.max_series_per_method.or(self.limits.max_series_per_method),
                max_label_values: limits.max_label_values.or(self.limits.max_label_values),
            },
            scopes: union(&self.scopes, &wider.scopes),
        }
    }
}

/// Limits as written in a file: each one optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LimitsSpec {
    /// See [`Limits::max_depth`](crate::Limits::max_depth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<usize>,
    /// See [`Limits::max_list_items`](crate::Limits::max_list_items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_list_items: Option<usize>,
    /// See [`Limits::max_string_len`](crate::Limits::max_string_len).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_string_len: Option<usize>,
    /// See [`Limits::max_fields_per_span`](crate::Limits::max_fields_per_span).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_fields_per_span: Option<usize>,
    /// See [`Limits::max_series_per_method`](crate::Limits::max_series_per_method).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_series_per_method: Option<usize>,
    /// See [`Limits::max_label_values`](crate::Limits::max_label_values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_label_values: Option<usize>,
}

/// Top-level keys of the schema, for error messages.
pub(crate) const TOP_LEVEL_KEYS: &[&str] = &[
    "allowed_field_names",
    "allowed_field_kinds",
    "allowed_structs",
    "allowed_dictionaries",
    "denied_field_names",
    "deny_floor_removals",
    "denied_types",
    "capture_error_messages",
    "scrub_values",
    "record_duration",
    "capture_code_location",
    "method_metrics",
    "metric_labels",
    "limits",
    "scopes",
];

/// Keys of one `scopes` entry.
pub(crate) const SCOPE_KEYS: &[&str] = &[
    "component",
    "method",
    "allowed_field_names",
    "allowed_field_kinds",
    "allowed_structs",
    "allowed_dictionaries",
    "ttl",
];

/// Keys of the `limits` table.
pub(crate) const LIMIT_KEYS: &[&str] = &[
    "max_depth",
    "max_list_items",
    "max_string_len",
    "max_fields_per_span",
    "max_series_per_method",
    "max_label_values",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The file schema is defined once, by serde on [`ConfigSpec`]: the key
    /// lists the loader's error messages use must be exactly its keys.
    #[test]
    fn the_key_lists_are_the_schemas_keys() {
        let every_setting = ConfigSpec {
            allowed_field_names: vec!["plan".into()],
            allowed_field_kinds: vec!["uuid".into()],
            allowed_structs: vec!["Business".into()],
            allowed_dictionaries: vec!["flags".into()],
            denied_field_names: vec!["note".into()],
            deny_floor_removals: vec!["address".into()],
            denied_types: vec!["*Secret*".into()],
            capture_error_messages: !ConfigSpec::default().capture_error_messages,
            scrub_values: !ConfigSpec::default().scrub_values,
            record_duration: !ConfigSpec::default().record_duration,
            capture_code_location: true,
            method_metrics: true,
            metric_labels: vec!["plan".into()],
            limits: LimitsSpec {
                max_depth: Some(1),
                max_list_items: Some(1),
                max_string_len: Some(1),
                max_fields_per_span: Some(1),
                max_series_per_method: Some(1),
                max_label_values: Some(1),
            },
            scopes: vec![ScopeSpec {
                component: "PaymentGateway".into(),
                method: Some("authorize".into()),
                allowed_field_names: vec!["amount_cents".into()],
                allowed_field_kinds: vec!["uuid".into()],
                allowed_structs: vec!["Payment".into()],
                allowed_dictionaries: vec!["flags".into()],
                ttl: Some("15m".into()),
            }],
        };
        let value = serde_json::to_value(&every_setting).unwrap();
        let keys = |value: &serde_json::Value| -> Vec<String> {
            let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        let sorted = |names: &[&str]| -> Vec<String> {
            let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
            names.sort();
            names
        };
        assert_eq!(keys(&value), sorted(TOP_LEVEL_KEYS));
        assert_eq!(keys(&value["limits"]), sorted(LIMIT_KEYS));
        assert_eq!(keys(&value["scopes"][0]), sorted(SCOPE_KEYS));
        let again: ConfigSpec = serde_json::from_value(value).unwrap();
        assert_eq!(again, every_setting);
    }
}
