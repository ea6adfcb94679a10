//! `extends`: a service's file on top of shared base files.

use std::path::Path;

use caci_core::TelemetryCaptureConfiguration;
use caci_core::config::{ConfigError, ScopeSpec};

/// Writes `files` (relative path, text) under a fresh directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn load(dir: &Path, name: &str) -> Result<TelemetryCaptureConfiguration, ConfigError> {
    TelemetryCaptureConfiguration::from_path(dir.join(name))
}

/// Each problem as `file | location: message`, the file relative to `dir`
/// (`-` for the loaded file).
fn problems(err: &ConfigError, dir: &Path) -> Vec<String> {
    let root = format!("{}/", dir.display());
    err.problems()
        .iter()
        .map(|p| {
            let file = p.file.as_deref().map_or("-".to_owned(), |f| f.replace(&root, ""));
            format!("{file} | {}: {}", p.location, p.message)
        })
        .collect()
}

fn shown(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

const BASE: &str = r#"
allowed_field_names = ["plan", "country"]
allowed_field_kinds = ["uuid"]
denied_field_names = ["internal_note"]
scrub_values = false

[limits]
max_depth = 2
max_string_len = 64

[[scopes]]
component = "PaymentGateway"
allowed_field_names = ["amount_cents"]
"#;

#[test]
fn lists_and_scopes_are_joined_base_first_without_duplicates() {
    let dir = tree(&[
        ("org/caci-base.toml", BASE),
        (
            "svc/caci.toml",
            r#"
            extends = "../org/caci-base.toml"
            allowed_field_names = ["status", "plan"]
            allowed_field_kinds = ["enum"]
            [[scopes]]
            component = "PaymentGateway"
            allowed_field_names = ["amount_cents"]
            [[scopes]]
            component = "Ledger"
            method = "post"
            allowed_field_kinds = ["datetime"]
            "#,
        ),
    ]);
    let config = load(dir.path(), "svc/caci.toml").unwrap();
    let spec = config.spec();
    assert_eq!(spec.allowed_field_names, ["plan", "country", "status"]);
    assert_eq!(spec.allowed_field_kinds, ["uuid", "enum"]);
    assert_eq!(spec.denied_field_names, ["internal_note"]);
    let places: Vec<String> = spec.scopes.iter().map(ScopeSpec::place).collect();
    assert_eq!(
        places,
        ["PaymentGateway", "Ledger.post"],
        "the repeated scope is kept once"
    );
    assert!(!spec.scrub_values, "a boolean the file leaves out comes from the base");
}

#[test]
fn limits_and_booleans_are_overridden_one_by_one() {
    let dir = tree(&[
        ("base.toml", BASE),
        (
            "caci.json",
            r#"{ "extends": "base.toml", "scrub_values": true, "capture_error_messages": true,
                 "limits": { "max_string_len": 200, "max_list_items": 5 } }"#,
        ),
    ]);
    let config = load(dir.path(), "caci.json").unwrap();
    let limits = config.limits();
    assert_eq!(limits.max_depth, 2, "from the base");
    assert_eq!(limits.max_string_len, 200, "the file's own");
    assert_eq!(limits.max_list_items, 5, "the file's own");
    assert_eq!(limits.max_fields_per_span, 32, "neither sets it: the default");
    assert!(config.spec().scrub_values);
    assert!(config.spec().capture_error_messages);
}

#[test]
fn a_chain_resolves_each_path_against_the_file_that_holds_it() {
    let dir = tree(&[
        (
            "org/root.toml",
            "allowed_field_kinds = [\"bool\"]\n[limits]\nmax_depth = 1\n",
        ),
        (
            "org/teams/payments.toml",
            "extends = \"../root.toml\"\nallowed_field_kinds = [\"uuid\"]\n[limits]\nmax_depth = 4\n",
        ),
        (
            "svc/billing/caci.toml",
            "extends = \"../../org/teams/payments.toml\"\nallowed_field_kinds = [\"enum\"]\n",
        ),
    ]);
    let config = load(dir.path(), "svc/billing/caci.toml").unwrap();
    assert_eq!(config.spec().allowed_field_kinds, ["bool", "uuid", "enum"]);
    assert_eq!(config.limits().max_depth, 4, "the nearer base wins");
}

#[test]
fn a_cycle_is_an_error_listing_the_chain() {
    let dir = tree(&[
        ("a.toml", "extends = \"b.toml\"\n"),
        ("b.toml", "extends = \"a.toml\"\n"),
        ("self.toml", "extends = \"./self.toml\"\n"),
    ]);
    let err = load(dir.path(), "a.toml").unwrap_err();
    let (a, b) = (shown(dir.path(), "a.toml"), shown(dir.path(), "b.toml"));
    assert_eq!(
        problems(&err, dir.path()),
        [format!("b.toml | extends: a cycle: {a} extends {b} extends {a}")]
    );
    let err = load(dir.path(), "self.toml").unwrap_err();
    let problems = problems(&err, dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("- | extends: a cycle: "), "{problems:?}");
}

#[test]
fn a_missing_base_names_the_extending_file_and_its_extends() {
    let dir = tree(&[
        (
            "svc.toml",
            "extends = \"mid.toml\"\nallowed_field_kinds = [\"uuidd\"]\n",
        ),
        ("mid.toml", "extends = \"gone/base.toml\"\n"),
    ]);
    let err = load(dir.path(), "svc.toml").unwrap_err();
    let problems = problems(&err, dir.path());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!(
            "mid.toml | extends: cannot read the base file `{}`",
            shown(dir.path(), "gone/base.toml")
        )),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("- | allowed_field_kinds[0]: unknown kind `uuidd`"),
        "the chain's other problems are in the same error: {problems:?}"
    );
    assert_eq!(err.source_name(), Some(shown(dir.path(), "svc.toml").as_str()));
}

#[test]
fn floor_removals_in_a_base_are_refused_naming_the_base() {
    let dir = tree(&[
        (
            "base.toml",
            "deny_floor_removals = [\"address\"]\nallowed_field_names = [\"plan\"]\n",
        ),
        ("svc.toml", "extends = \"base.toml\"\n"),
        (
            "own.toml",
            "extends = \"base.toml\"\ndeny_floor_removals = [\"address\"]\n",
        ),
    ]);
    for top in ["svc.toml", "own.toml"] {
        let err = load(dir.path(), top).unwrap_err();
        let problems = problems(&err, dir.path());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "base.toml | deny_floor_removals: removals from the deny floor are allowed only in the service's own file"
            ),
            "{problems:?}"
        );
    }
    let own_only = tree(&[
        ("base.toml", "allowed_field_names = [\"plan\"]\n"),
        (
            "svc.toml",
            "extends = \"base.toml\"\ndeny_floor_removals = [\"address\"]\n",
        ),
    ]);
    let config = load(own_only.path(), "svc.toml").unwrap();
    assert_eq!(config.deny_floor_removals(), ["address"]);
}

#[test]
fn every_problem_of_every_file_is_named_by_file_and_key() {
    let dir = tree(&[
        (
            "base.toml",
            "allowed_field_kinds = [\"uuid\", \"uuidd\"]\nallowed_field_names = [\"note\"]\nbogus = 1\n[limits]\nmax_depth = 0\n",
        ),
        (
            "svc.toml",
            "extends = \"base.toml\"\nallowed_field_kinds = [\"uuid\", \"moneyy\"]\ndenied_field_names = [\"note\"]\n",
        ),
    ]);
    let err = load(dir.path(), "svc.toml").unwrap_err();
    let problems = problems(&err, dir.path());
    let expected = [
        "base.toml | bogus: unknown setting",
        "base.toml | allowed_field_names[0]: `note` is both allowed and denied",
        "base.toml | allowed_field_kinds[1]: unknown kind `uuidd`",
        "- | allowed_field_kinds[1]: unknown kind `moneyy`",
        "base.toml | limits.max_depth: must be at least 1",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for prefix in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(prefix)),
            "no problem starts with {prefix:?}: {problems:#?}"
        );
    }
    let text = err.to_string();
    let base = shown(dir.path(), "base.toml");
    assert!(
        text.starts_with(&format!(
            "invalid CACI configuration in `{}` (5 problems):",
            shown(dir.path(), "svc.toml")
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\n  - in `{base}`, allowed_field_kinds[1]: unknown kind `uuidd`"
        )),
        "{text}"
    );
    assert!(
        text.contains("\n  - allowed_field_kinds[1]: unknown kind `moneyy`"),
        "{text}"
    );
}

#[test]
fn a_syntax_error_in_a_base_is_named_with_the_others() {
    let dir = tree(&[
        ("base.json", "{ \"allowed_field_names\": [\"plan\",] }"),
        ("svc.toml", "extends = \"base.json\"\nscrub_values = \"no\"\n"),
    ]);
    let err = load(dir.path(), "svc.toml").unwrap_err();
    let problems = problems(&err, dir.path());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("- | scrub_values: expected true or false"),
        "{problems:?}"
    );
    assert!(problems[1].starts_with("base.json | line 1, column "), "{problems:?}");
    assert!(problems[1].contains("invalid JSON"), "{problems:?}");
}

#[test]
fn extends_needs_a_file_and_a_path() {
    for err in [
        TelemetryCaptureConfiguration::from_toml_str("extends = \"base.toml\"\n").unwrap_err(),
        TelemetryCaptureConfiguration::from_json_str(r#"{ "extends": "base.toml" }"#).unwrap_err(),
    ] {
        assert_eq!(err.problems().len(), 1, "{err}");
        assert_eq!(err.problems()[0].location, "extends");
        assert!(err.problems()[0].message.contains("load with `from_path`"), "{err}");
    }
    let dir = tree(&[("a.toml", "extends = 3\n"), ("b.toml", "extends = \"base.yaml\"\n")]);
    let err = load(dir.path(), "a.toml").unwrap_err();
    assert_eq!(
        problems(&err, dir.path()),
        ["- | extends: expected the path of a base file, such as \"../org/caci-base.toml\", found 3"]
    );
    let err = load(dir.path(), "b.toml").unwrap_err();
    assert_eq!(
        problems(&err, dir.path()),
        [format!(
            "- | extends: `{}` is not a `.json` or `.toml` file",
            shown(dir.path(), "base.yaml")
        )]
    );
}

#[test]
fn a_file_without_extends_loads_as_its_text_does() {
    let dir = tree(&[("caci.toml", "allowed_field_names = [\"plan\", \"plan\"]\n")]);
    let from_path = load(dir.path(), "caci.toml").unwrap();
    let from_text =
        TelemetryCaptureConfiguration::from_toml_str("allowed_field_names = [\"plan\", \"plan\"]\n").unwrap();
    assert_eq!(from_path.spec(), from_text.spec(), "a lone file is kept as written");
}
