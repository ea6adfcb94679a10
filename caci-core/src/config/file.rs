//! Loading a configuration from JSON or TOML text: syntax first, then the
//! schema with every problem collected, then the rules.

use serde_json::{Map, Value};

use crate::rules::{ConfigError, ConfigSpec, LIMIT_KEYS, Problem, SCOPE_KEYS, TOP_LEVEL_KEYS};

/// The formats a configuration file can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// TOML.
    Toml,
}

impl Format {
    /// The format a file name's extension names, if any.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// A file's settings once its schema is checked: entries with problems are
/// left out, so the others can still be merged, compiled and reported.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) settings: Map<String, Value>,
    /// The base file the settings are built on, as written.
    pub(crate) extends: Option<String>,
    pub(crate) problems: Vec<Problem>,
}

/// Parses and checks `text`; only a syntax error stops early.
pub(crate) fn check(text: &str, format: Format) -> Result<Checked, ConfigError> {
    let mut value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|err| {
            ConfigError::single(
                format!("line {}, column {}", err.line(), err.column()),
                format!("invalid JSON: {err}"),
            )
        })?,
        #[cfg(feature = "toml")]
        Format::Toml => {
            let table = text.parse::<toml::Table>().map_err(|err| {
                let location = match err.span() {
                    Some(span) => line_and_column(text, span.start),
                    None => "document".to_owned(),
                };
                ConfigError::single(location, format!("invalid TOML: {}", err.message()))
            })?;
            serde_json::to_value(table).map_err(|err| ConfigError::single("document", err.to_string()))?
        }
        #[cfg(not(feature = "toml"))]
        Format::Toml => return Err(ConfigError::single("document", TOML_OFF)),
    };
    let mut problems = Vec::new();
    let extends = schema_problems(&mut value, &mut problems);
    let Value::Object(settings) = value else {
        unreachable!("schema_problems leaves a table")
    };
    Ok(Checked {
        settings,
        extends,
        problems,
    })
}

/// The spec checked settings describe.
pub(crate) fn into_spec(settings: Map<String, Value>) -> Result<ConfigSpec, ConfigError> {
    serde_json::from_value(Value::Object(settings)).map_err(|err| ConfigError::single("document", err.to_string()))
}

/// Parses `text` into a [`ConfigSpec`] and the schema problems found on the
/// way; entries with schema problems are left out of the spec so its other
/// problems can be reported in the same error. Only a syntax error stops
/// early. Text has no file to resolve `extends` against: it is a problem.
pub(crate) fn parse_spec(text: &str, format: Format) -> Result<(ConfigSpec, Vec<Problem>), ConfigError> {
    let Checked {
        settings,
        extends,
        mut problems,
    } = check(text, format)?;
    if extends.is_some() {
        problems.push(Problem::new(
            EXTENDS,
            "`extends` needs a file to resolve its path against: load with `from_path`",
        ));
    }
    Ok((into_spec(settings)?, problems))
}

/// Why TOML text is refused when caci-core is built without `toml`.
#[cfg(not(feature = "toml"))]
pub(crate) const TOML_OFF: &str = "TOML support is off: caci-core was built without its `toml` feature \
     (enable it: `caci-core = { …, features = [\"toml\"] }`), or write the configuration as JSON";

/// The key naming a base file. A file-layer key only: a [`ConfigSpec`]
/// holds the merged result, never the chain.
pub(crate) const EXTENDS: &str = "extends";

/// The table `cargo caci init` reads its include and exclude patterns from.
/// A file-layer key the runtime ignores, so one `caci.toml` serves both.
pub(crate) const INIT: &str = "init";

#[cfg(feature = "toml")]
fn line_and_column(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
    format!("line {line}, column {column}")
}

/// Reports every schema problem and removes the offending entries, and
/// `extends`, which it returns.
fn schema_problems(value: &mut Value, problems: &mut Vec<Problem>) -> Option<String> {
    let Value::Object(top) = value else {
        problems.push(Problem::new(
            "document",
            "expected a table of settings at the top level",
        ));
        *value = Value::Object(Map::new());
        return None;
    };
    let extends = match top.remove(EXTENDS) {
        Some(Value::String(path)) if !path.is_empty() => Some(path),
        Some(other) => {
            problems.push(Problem::new(
                EXTENDS,
                format!("expected the path of a base file, such as \"../org/caci-base.toml\", found {other}"),
            ));
            None
        }
        None => None,
    };
    if top.remove(INIT).is_some_and(|init| !init.is_object()) {
        problems.push(Problem::new(
            INIT,
            "expected a table (`[init]`, read by `cargo caci init`)",
        ));
    }
    top.retain(|key, entry| match key.as_str() {
        "limits" => limits_problems(entry, problems),
        "scopes" => scopes_problems(entry, problems),
        "capture_error_messages" | "scrub_values" | "record_duration" | "capture_code_location" | "method_metrics" => {
            entry.is_boolean() || {
                problems.push(Problem::new(
                    key.as_str(),
                    format!("expected true or false, found {entry}"),
                ));
                false
            }
        }
        known if TOP_LEVEL_KEYS.contains(&known) => string_list_problems(key, entry, problems),
        unknown => {
            let location = if unknown.is_empty() {
                "\"\" (an empty key)"
            } else {
                unknown
            };
            problems.push(Problem::new(
                location,
                format!(
                    "unknown setting (expected one of: {}, {EXTENDS})",
                    TOP_LEVEL_KEYS.join(", ")
                ),
            ));
            false
        }
    });
    extends
}

/// Whether the list can stay: when an item is not a string, each such item
/// is reported and the whole list left out, so the others' locations hold.
fn string_list_problems(key: &str, value: &Value, problems: &mut Vec<Problem>) -> bool {
    let Value::Array(items) = value else {
        problems.push(Problem::new(key, "expected a list of strings"));
        return false;
    };
    let before = problems.len();
    for (index, item) in items.iter().enumerate() {
        if !item.is_string() {
            problems.push(Problem::new(
                format!("{key}[{index}]"),
                format!("expected a string, found {item}"),
            ));
        }
    }
    problems.len() == before
}

/// Whether the scopes can stay: each entry is a table with a `component`;
/// an entry with problems is reported and left out.
fn scopes_problems(value: &mut Value, problems: &mut Vec<Problem>) -> bool {
    let Value::Array(scopes) = value else {
        problems.push(Problem::new("scopes", "expected a list of tables (`[[scopes]]`)"));
        return false;
    };
    let mut index = 0;
    scopes.retain(|scope| {
        let location = format!("scopes[{index}]");
        index += 1;
        let before = problems.len();
        let Value::Object(table) = scope else {
            problems.push(Problem::new(location, "expected a table with a `component`"));
            return false;
        };
        if !table.contains_key("component") {
            problems.push(Problem::new(&location, "missing `component`"));
        }
        for (key, entry) in table {
            let at = format!("{location}.{key}");
            match key.as_str() {
                "component" | "method" | "ttl" if !entry.is_string() => {
                    problems.push(Problem::new(at, format!("expected a string, found {entry}")));
                }
                "component" | "method" | "ttl" => {}
                known if SCOPE_KEYS.contains(&known) => {
                    string_list_problems(&at, entry, problems);
                }
                _ => problems.push(Problem::new(
                    at,
                    format!("unknown scope setting (expected one of: {})", SCOPE_KEYS.join(", ")),
                )),
            }
        }
        problems.len() == before
    });
    true
}

/// Whether the limits table can stay; bad entries are reported and removed.
fn limits_problems(value: &mut Value, problems: &mut Vec<Problem>) -> bool {
    let Value::Object(limits) = value else {
        problems.push(Problem::new("limits", "expected a table of limits"));
        return false;
    };
    limits.retain(|key, entry| {
        if !LIMIT_KEYS.contains(&key.as_str()) {
            problems.push(Problem::new(
                format!("limits.{key}"),
                format!("unknown limit (expected one of: {})", LIMIT_KEYS.join(", ")),
            ));
            false
        } else if !entry.is_u64() {
            problems.push(Problem::new(
                format!("limits.{key}"),
                format!("expected a whole number, found {entry}"),
            ));
            false
        } else {
            true
        }
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "toml")]
    #[test]
    fn json_and_toml_share_one_schema() {
        let json = r#"{ "allowed_field_names": ["plan"], "limits": { "max_depth": 2 } }"#;
        let toml = "allowed_field_names = [\"plan\"]\n[limits]\nmax_depth = 2\n";
        assert_eq!(
            parse_spec(json, Format::Json).unwrap(),
            parse_spec(toml, Format::Toml).unwrap()
        );
    }

    #[cfg(feature = "toml")]
    #[test]
    fn the_init_table_is_ignored_and_must_be_a_table() {
        let toml = "allowed_field_names = [\"plan\"]\n[init]\nexclude = [\"*Builder\"]\n";
        let (spec, problems) = parse_spec(toml, Format::Toml).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(spec.allowed_field_names, ["plan"]);
        let (_, problems) = parse_spec("init = 3\n", Format::Toml).unwrap();
        assert_eq!(problems[0].location, "init");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn schema_problems_are_all_collected() {
        let toml = "allowed_field_names = [\"plan\", 3]\nallowed_fields = []\ndenied_field_names = \"x\"\n[limits]\nmax_depth = -1\nmax_items = 3\n";
        let (spec, problems) = parse_spec(toml, Format::Toml).unwrap();
        assert_eq!(spec, ConfigSpec::default(), "entries with problems are left out");
        let locations: Vec<_> = problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            locations,
            [
                "allowed_field_names[1]",
                "allowed_fields",
                "denied_field_names",
                "limits.max_depth",
                "limits.max_items"
            ]
        );
    }

    #[cfg(feature = "toml")]
    #[test]
    fn scopes_are_read_and_their_problems_located() {
        let toml = r#"
            [[scopes]]
            component = "PaymentGateway"
            method = "authorize"
            allowed_field_names = ["amount_cents"]
            ttl = "15m"

            [[scopes]]
            method = 3
            allowed_kinds = ["uuid"]
        "#;
        let (spec, problems) = parse_spec(toml, Format::Toml).unwrap();
        assert_eq!(spec.scopes.len(), 1, "the entry with problems is left out");
        assert_eq!(spec.scopes[0].place(), "PaymentGateway.authorize");
        assert_eq!(spec.scopes[0].ttl.as_deref(), Some("15m"));
        let problems: Vec<_> = problems
            .iter()
            .map(|p| format!("{}: {}", p.location, p.message))
            .collect();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert!(
            problems[0].starts_with("scopes[1]: missing `component`"),
            "{problems:#?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("scopes[1].method: expected a string"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("scopes[1].allowed_kinds: unknown scope setting"))
        );
    }

    #[test]
    fn syntax_errors_name_the_line_and_column() {
        let err = parse_spec("{\n  \"allowed_field_names\": [\"plan\",]\n}", Format::Json).unwrap_err();
        assert!(err.problems()[0].location.starts_with("line 2"), "{err}");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_syntax_errors_name_the_line_and_column() {
        let err = parse_spec("allowed_field_names = [\n\"plan\"\nmax = ", Format::Toml).unwrap_err();
        assert!(err.problems()[0].location.starts_with("line "), "{err}");
        assert!(err.problems()[0].message.starts_with("invalid TOML"), "{err}");
    }

    #[cfg(not(feature = "toml"))]
    #[test]
    fn toml_without_the_feature_is_one_clear_error() {
        let err = parse_spec("allowed_field_names = [\"plan\"]", Format::Toml).unwrap_err();
        assert_eq!(err.problems().len(), 1, "{err}");
        assert!(err.problems()[0].message.contains("`toml` feature"), "{err}");
        let json = parse_spec(r#"{ "allowed_field_names": ["plan"] }"#, Format::Json).unwrap();
        assert_eq!(json.0.allowed_field_names, ["plan"]);
    }
}
