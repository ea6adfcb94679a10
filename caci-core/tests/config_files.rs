//! Loading configurations from JSON and TOML files.

use caci_core::config::ConfigSpec;
use caci_core::{Kind, TelemetryCaptureConfiguration};

const JSON: &str = r#"{
  "allowed_field_names": ["business_id", "user_id", "plan", "business.country"],
  "allowed_field_kinds": ["uuid", "datetime", "date", "bool", "enum"],
  "allowed_structs": ["FeatureGroup"],
  "allowed_dictionaries": ["flags"],
  "denied_field_names": ["internal_note"],
  "deny_floor_removals": ["address"],
  "limits": { "max_depth": 2, "max_list_items": 10, "max_string_len": 64, "max_fields_per_span": 16 }
}"#;

const TOML: &str = r#"
allowed_field_names = ["business_id", "user_id", "plan", "business.country"]
allowed_field_kinds = ["uuid", "datetime", "date", "bool", "enum"]
allowed_structs = ["FeatureGroup"]
allowed_dictionaries = ["flags"]
denied_field_names = ["internal_note"]
deny_floor_removals = ["address"]

[limits]
max_depth = 2
max_list_items = 10
max_string_len = 64
max_fields_per_span = 16
"#;

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("caci-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn json_toml_and_the_builder_describe_the_same_configuration() {
    let from_json = TelemetryCaptureConfiguration::from_path(write_temp("caci.json", JSON)).unwrap();
    let from_toml = TelemetryCaptureConfiguration::from_path(write_temp("caci.toml", TOML)).unwrap();
    let built = TelemetryCaptureConfiguration::builder()
        .allow_fields(["business_id", "user_id", "plan", "business.country"])
        .allow_kinds([Kind::Uuid, Kind::DateTime, Kind::Date, Kind::Bool, Kind::Enum])
        .allow_struct_named("FeatureGroup")
        .allow_dictionary("flags")
        .deny_field("internal_note")
        .remove_from_deny_floor("address")
        .max_depth(2)
        .max_list_items(10)
        .max_string_len(64)
        .max_fields_per_span(16)
        .build()
        .unwrap();
    assert_eq!(from_json.spec(), from_toml.spec());
    assert_eq!(from_json.spec(), built.spec());
    assert_eq!(from_json.limits().max_string_len, 64);
    assert!(!from_json.deny_list().is_denied("address"));
    assert_eq!(from_json.deny_floor_removals(), ["address"]);
}

#[test]
fn a_spec_round_trips_through_json() {
    let config = TelemetryCaptureConfiguration::from_json_str(JSON).unwrap();
    let text = serde_json::to_string(config.spec()).unwrap();
    let again: ConfigSpec = serde_json::from_str(&text).unwrap();
    assert_eq!(&again, config.spec());
}

#[test]
fn a_bad_file_gets_one_error_naming_the_file_and_every_problem() {
    let path = write_temp(
        "bad.toml",
        "allowed_field_names = [\"\", \"email\"]\nallowed_field_kinds = [\"uuidd\"]\ncolour = \"red\"\n[limits]\nmax_depth = 0\n",
    );
    let err = TelemetryCaptureConfiguration::from_path(&path).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.source_name(), Some(path.display().to_string().as_str()));
    assert!(
        text.starts_with(&format!(
            "invalid CACI configuration in `{}` (5 problems)",
            path.display()
        )),
        "{text}"
    );
    let locations: Vec<_> = err.problems().iter().map(|p| p.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "colour",
            "allowed_field_names[0]",
            "allowed_field_names[1]",
            "allowed_field_kinds[0]",
            "limits.max_depth"
        ]
    );
    assert!(
        err.to_string().contains("`email` is on the built-in deny floor"),
        "{err}"
    );
}

#[test]
fn missing_files_and_unknown_extensions_are_clear_errors() {
    let err = TelemetryCaptureConfiguration::from_path("/nonexistent/caci.json").unwrap_err();
    assert!(err.to_string().contains("/nonexistent/caci.json"), "{err}");
    assert!(err.to_string().contains("cannot read it"), "{err}");
    let err = TelemetryCaptureConfiguration::from_path(write_temp("caci.yaml", "x")).unwrap_err();
    assert!(
        err.to_string().contains("expected a `.json` or `.toml` extension"),
        "{err}"
    );
}

#[test]
fn nothing_of_a_bad_configuration_is_applied() {
    let good = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    caci_core::with_configuration(&good, || {
        let bad = TelemetryCaptureConfiguration::from_json_str(r#"{"allowed_field_names": ["plan", ""]}"#);
        assert!(bad.is_err());
        assert_eq!(caci_core::current_configuration().spec().allowed_field_names, ["plan"]);
    });
}
