//! The report as JSON: the versioned schema, writing and reading.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::report::{ComponentReport, CoverageReport};
use super::source::ConfigurationSource;
use super::suggest::Suggestion;
use super::totals::Totals;
use crate::config::ConfigSpec;

/// The schema identifier every report carries in its `schema` field.
///
/// Within `v1`, fields may be added (readers must ignore fields they do not
/// know); removing, renaming or changing the meaning of a field makes `v2`.
pub const SCHEMA: &str = "caci.coverage/v1";

/// A text that is not a coverage report this version can read.
#[derive(Debug)]
pub enum ReportJsonError {
    /// Not JSON, or not shaped like a report.
    Malformed(serde_json::Error),
    /// A report of another schema version (`None`: no `schema` field).
    Schema(Option<String>),
}

impl fmt::Display for ReportJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportJsonError::Malformed(err) => write!(f, "not a CACI coverage report: {err}"),
            ReportJsonError::Schema(Some(found)) => {
                write!(f, "unsupported schema `{found}` (this version reads `{SCHEMA}`)")
            }
            ReportJsonError::Schema(None) => write!(f, "no `schema` field (expected `\"schema\": \"{SCHEMA}\"`)"),
        }
    }
}

impl std::error::Error for ReportJsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportJsonError::Malformed(err) => Some(err),
            ReportJsonError::Schema(_) => None,
        }
    }
}

impl CoverageReport {
    /// The report as pretty-printed JSON (schema [`SCHEMA`]), ending with a
    /// newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a report always serialises");
        text.push('\n');
        text
    }

    /// Reads a report written by [`to_json`](Self::to_json), e.g. a baseline.
    /// The schema is checked first, so a report of another version is
    /// reported as such rather than as a missing field.
    pub fn from_json(text: &str) -> Result<CoverageReport, ReportJsonError> {
        #[derive(Deserialize)]
        struct SchemaOnly {
            schema: Option<serde_json::Value>,
        }
        let schema = serde_json::from_str::<SchemaOnly>(text)
            .map_err(ReportJsonError::Malformed)?
            .schema;
        match schema {
            Some(serde_json::Value::String(found)) if found == SCHEMA => {}
            Some(serde_json::Value::String(found)) => return Err(ReportJsonError::Schema(Some(found))),
            Some(other) => return Err(ReportJsonError::Schema(Some(other.to_string()))),
            None => return Err(ReportJsonError::Schema(None)),
        }
        serde_json::from_str(text).map_err(ReportJsonError::Malformed)
    }
}

impl Serialize for CoverageReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("CoverageReport", 11)?;
        report.serialize_field("schema", SCHEMA)?;
        if let Some(service) = &self.service {
            report.serialize_field("service", service)?;
        }
        report.serialize_field("totals", &self.totals)?;
        if let Some(id) = &self.configuration_id {
            report.serialize_field("configuration_id", id)?;
        }
        report.serialize_field("configuration", &self.configuration)?;
        report.serialize_field("configuration_source", &self.configuration_source)?;
        if !self.unmatched_scopes.is_empty() {
            report.serialize_field("unmatched_scopes", &self.unmatched_scopes)?;
        }
        report.serialize_field("components", &self.components)?;
        report.serialize_field("suggestions", &self.suggestions)?;
        report.serialize_field("needs_review", &self.needs_review)?;
        report.end()
    }
}

/// Reads any `schema`; [`CoverageReport::from_json`] checks it first.
impl<'de> Deserialize<'de> for CoverageReport {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct ReportJson {
            schema: String,
            #[serde(default)]
            service: Option<String>,
            totals: Totals,
            #[serde(default)]
            configuration_id: Option<String>,
            configuration: serde_json::Value,
            #[serde(default)]
            configuration_source: ConfigurationSource,
            #[serde(default)]
            unmatched_scopes: Vec<String>,
            components: Vec<ComponentReport>,
            #[serde(default)]
            suggestions: Vec<Suggestion>,
            #[serde(default)]
            needs_review: Vec<Suggestion>,
        }
        let json = ReportJson::deserialize(deserializer)?;
        if json.schema != SCHEMA {
            return Err(serde::de::Error::custom(format!(
                "unsupported schema `{}` (this version reads `{SCHEMA}`)",
                json.schema
            )));
        }
        Ok(CoverageReport {
            totals: json.totals,
            service: json.service,
            configuration: known_settings(json.configuration).map_err(serde::de::Error::custom)?,
            configuration_id: json.configuration_id,
            unmatched_scopes: json.unmatched_scopes,
            configuration_source: json.configuration_source,
            components: json.components,
            suggestions: json.suggestions,
            needs_review: json.needs_review,
        })
    }
}

/// Reads a configuration leniently: settings this version does not know
/// (written by a later version) are ignored, as everywhere in the report,
/// while configuration files keep rejecting them.
fn known_settings(mut value: serde_json::Value) -> Result<ConfigSpec, String> {
    let every_setting = ConfigSpec {
        capture_error_messages: true,
        capture_code_location: true,
        method_metrics: true,
        metric_labels: vec!["label".into()],
        limits: crate::config::LimitsSpec {
            max_depth: Some(1),
            max_list_items: Some(1),
            max_string_len: Some(1),
            max_fields_per_span: Some(1),
            max_series_per_method: Some(1),
            max_label_values: Some(1),
        },
        scopes: vec![crate::config::ScopeSpec::new("Component", None)],
        ..ConfigSpec::default()
    };
    let known = serde_json::to_value(every_setting).map_err(|err| err.to_string())?;
    retain_known(&mut value, &known);
    if let (Some(limits), Some(known_limits)) = (value.get_mut("limits"), known.get("limits")) {
        retain_known(limits, known_limits);
    }
    serde_json::from_value(value).map_err(|err| format!("configuration: {err}"))
}

fn retain_known(value: &mut serde_json::Value, known: &serde_json::Value) {
    if let (serde_json::Value::Object(map), serde_json::Value::Object(known)) = (value, known) {
        map.retain(|key, _| known.contains_key(key));
    }
}
