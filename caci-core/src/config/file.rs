//! Loading a configuration from JSON or TOML text: syntax first, then the
//! schema with every problem collected, then the rules.

use serde_json::Value;

use super::error::{ConfigError, Problem};
use super::spec::{ConfigSpec, LIMIT_KEYS, TOP_LEVEL_KEYS};

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

/// Parses `text` into a [`ConfigSpec`], reporting every schema problem.
pub(crate) fn parse_spec(text: &str, format: Format) -> Result<ConfigSpec, ConfigError> {
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|err| {
            ConfigError::single(
                format!("line {}, column {}", err.line(), err.column()),
                format!("invalid JSON: {err}"),
            )
        })?,
        Format::Toml => {
            let table = text.parse::<toml::Table>().map_err(|err| {
                let location = match err.span() {
                    Some(span) => line_and_column(text, span.start),
                    None => "document".to_owned(),
                };
                ConfigError::single(location, format!("invalid TOML: {}", err.message()))
            })?;
            serde_json::to_value(table)
                .map_err(|err| ConfigError::single("document", err.to_string()))?
        }
    };
    let problems = schema_problems(&value);
    if !problems.is_empty() {
        return Err(ConfigError::new(problems));
    }
    serde_json::from_value(value).map_err(|err| ConfigError::single("document", err.to_string()))
}

fn line_and_column(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    format!("line {line}, column {column}")
}

fn schema_problems(value: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Value::Object(top) = value else {
        problems.push(Problem::new(
            "document",
            "expected a table of settings at the top level",
        ));
        return problems;
    };
    for (key, entry) in top {
        match key.as_str() {
            "limits" => limits_problems(entry, &mut problems),
            known if TOP_LEVEL_KEYS.contains(&known) => {
                string_list_problems(key, entry, &mut problems)
            }
            unknown => problems.push(Problem::new(
                unknown,
                format!(
                    "unknown setting (expected one of: {})",
                    TOP_LEVEL_KEYS.join(", ")
                ),
            )),
        }
    }
    problems
}

fn string_list_problems(key: &str, value: &Value, problems: &mut Vec<Problem>) {
    let Value::Array(items) = value else {
        problems.push(Problem::new(key, "expected a list of strings"));
        return;
    };
    for (index, item) in items.iter().enumerate() {
        if !item.is_string() {
            problems.push(Problem::new(
                format!("{key}[{index}]"),
                format!("expected a string, found {item}"),
            ));
        }
    }
}

fn limits_problems(value: &Value, problems: &mut Vec<Problem>) {
    let Value::Object(limits) = value else {
        problems.push(Problem::new("limits", "expected a table of limits"));
        return;
    };
    for (key, entry) in limits {
        if !LIMIT_KEYS.contains(&key.as_str()) {
            problems.push(Problem::new(
                format!("limits.{key}"),
                format!("unknown limit (expected one of: {})", LIMIT_KEYS.join(", ")),
            ));
        } else if !entry.is_u64() {
            problems.push(Problem::new(
                format!("limits.{key}"),
                format!("expected a whole number, found {entry}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_toml_share_one_schema() {
        let json = r#"{ "allowed_field_names": ["plan"], "limits": { "max_depth": 2 } }"#;
        let toml = "allowed_field_names = [\"plan\"]\n[limits]\nmax_depth = 2\n";
        assert_eq!(
            parse_spec(json, Format::Json).unwrap(),
            parse_spec(toml, Format::Toml).unwrap()
        );
    }

    #[test]
    fn schema_problems_are_all_collected() {
        let toml = "allowed_field_names = [\"plan\", 3]\nallowed_fields = []\ndenied_field_names = \"x\"\n[limits]\nmax_depth = -1\nmax_items = 3\n";
        let err = parse_spec(toml, Format::Toml).unwrap_err();
        let locations: Vec<_> = err.problems().iter().map(|p| p.location.as_str()).collect();
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

    #[test]
    fn syntax_errors_name_the_line_and_column() {
        let err =
            parse_spec("{\n  \"allowed_field_names\": [\"plan\",]\n}", Format::Json).unwrap_err();
        assert!(err.problems()[0].location.starts_with("line 2"), "{err}");
        let err =
            parse_spec("allowed_field_names = [\n\"plan\"\nmax = ", Format::Toml).unwrap_err();
        assert!(err.problems()[0].location.starts_with("line "), "{err}");
        assert!(
            err.problems()[0].message.starts_with("invalid TOML"),
            "{err}"
        );
    }
}
