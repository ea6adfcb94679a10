//! Malformed (and a few valid) configuration files in `config_corpus/`, each
//! loaded through `from_path` and held to its expected outcome in [`TABLE`].
//! Every file is also held to the fuzz property (`fuzz_support/config_load.rs`)
//! and is a seed for the stable fuzz twin (`config_fuzz.rs`).

#[path = "fuzz_support/config_load.rs"]
pub mod config_load;

use std::path::{Path, PathBuf};

use caci_core::TelemetryCaptureConfiguration;
use caci_core::config::Format;

/// What loading a corpus file must give.
pub enum Expect {
    /// A configuration, for which the function holds.
    Ok(fn(&TelemetryCaptureConfiguration) -> bool),
    /// An error with exactly these problems, in any order: each pair is a
    /// substring of one problem's location and of its message.
    Err(&'static [(&'static str, &'static str)]),
}

const UNKNOWN: &str = "unknown setting";
const NOT_A_LIST: &str = "expected a list of strings";
const NOT_WHOLE: &str = "expected a whole number";

/// Every corpus file and its outcome.
pub const TABLE: &[(&str, Expect)] = &[
    // Syntax.
    (
        "truncated.json",
        Expect::Err(&[("line 1, column 38", "invalid JSON: EOF while parsing a string")]),
    ),
    ("truncated.toml", Expect::Err(&[("line 3, column 1", "invalid TOML")])),
    (
        "trailing_comma.json",
        Expect::Err(&[("line 2, column 45", "invalid JSON: trailing comma")]),
    ),
    (
        "trailing_comma.toml",
        Expect::Err(&[("line 1, column 43", "invalid TOML")]),
    ),
    (
        "bad_escape.json",
        Expect::Err(&[("line 1, column 30", "invalid JSON: invalid escape")]),
    ),
    (
        "bad_escape.toml",
        Expect::Err(&[("line 1, column 28", "invalid TOML: missing escaped value")]),
    ),
    (
        "lone_surrogate.json",
        Expect::Err(&[("line 1, column 33", "invalid JSON")]),
    ),
    // JSON keeps the last of two equal keys, silently; TOML refuses them.
    (
        "duplicate_keys.json",
        Expect::Ok(|config| config.limits().max_depth == 2),
    ),
    (
        "duplicate_keys.toml",
        Expect::Err(&[("line 3, column 1", "invalid TOML: duplicate key")]),
    ),
    // A byte order mark: serde_json refuses it, the TOML parser skips it.
    (
        "bom.json",
        Expect::Err(&[("line 1, column 1", "invalid JSON: expected value")]),
    ),
    (
        "bom.toml",
        Expect::Ok(|config| config.spec().allowed_field_names == ["plan"]),
    ),
    (
        "nul_byte.json",
        Expect::Err(&[("line 1, column 29", "invalid JSON: control character")]),
    ),
    ("nul_byte.toml", Expect::Err(&[("line 1, column 27", "invalid TOML")])),
    (
        "empty.json",
        Expect::Err(&[("line 1", "invalid JSON: EOF while parsing a value")]),
    ),
    (
        "huge_string.json",
        Expect::Ok(|config| config.spec().allowed_field_names.iter().map(String::len).eq([1 << 20])),
    ),
    // from_path reads the file as UTF-8 text, or refuses it.
    ("invalid_utf8.toml", Expect::Err(&[("file", "cannot read it")])),
    // 10,000 nested arrays: both parsers stop at their recursion limit.
    (
        "deep_arrays.json",
        Expect::Err(&[("line 1, column 147", "invalid JSON: recursion limit exceeded")]),
    ),
    (
        "deep_arrays.toml",
        Expect::Err(&[("line 1, column 99", "invalid TOML: cannot recurse further")]),
    ),
    (
        "deep_tables.toml",
        Expect::Err(&[("document", "invalid TOML: recursion limit")]),
    ),
    // The schema.
    (
        "wrong_types.json",
        Expect::Err(&[
            ("allowed_field_names", NOT_A_LIST),
            ("allowed_field_kinds[0]", "expected a string, found 1"),
            ("allowed_structs", NOT_A_LIST),
            ("allowed_dictionaries", NOT_A_LIST),
            ("denied_field_names", NOT_A_LIST),
            ("deny_floor_removals[0]", "expected a string, found [\"email\"]"),
            ("capture_error_messages", "expected true or false, found \"yes\""),
            ("limits", "expected a table of limits"),
        ]),
    ),
    (
        "wrong_types.toml",
        Expect::Err(&[
            ("allowed_field_names[0]", "expected a string, found 1.5"),
            ("allowed_field_kinds", NOT_A_LIST),
            ("allowed_structs", NOT_A_LIST),
            ("allowed_dictionaries", NOT_A_LIST),
            ("denied_field_names[0]", "expected a string, found true"),
            ("deny_floor_removals[0]", "expected a string, found [\"email\"]"),
            ("capture_error_messages", "expected true or false"),
            ("limits.max_depth", "expected a whole number, found \"3\""),
            ("limits.max_list_items", NOT_WHOLE),
        ]),
    ),
    (
        "unknown_keys.json",
        Expect::Err(&[
            ("allowed_fields", UNKNOWN),
            ("Allowed_Field_Names", UNKNOWN),
            ("colour", UNKNOWN),
            ("limits.max_items", "unknown limit"),
        ]),
    ),
    (
        "not_a_table.json",
        Expect::Err(&[("document", "expected a table of settings")]),
    ),
    (
        "limits_zero.toml",
        Expect::Err(&[
            ("limits.max_depth", "must be at least 1"),
            ("limits.max_list_items", "must be at least 1"),
            ("limits.max_string_len", "must be at least 1"),
            ("limits.max_fields_per_span", "must be at least 1"),
        ]),
    ),
    (
        "limits_negative.json",
        Expect::Err(&[
            ("limits.max_depth", "found -1"),
            ("limits.max_list_items", "found -9223372036854775808"),
            ("limits.max_string_len", "found -0.5"),
        ]),
    ),
    (
        "limits_huge.json",
        Expect::Err(&[
            ("limits.max_list_items", NOT_WHOLE),
            ("limits.max_string_len", NOT_WHOLE),
            ("limits.max_fields_per_span", "must be at most 128"),
        ]),
    ),
    (
        "limits_largest.json",
        Expect::Ok(|config| {
            let limits = config.limits();
            limits.max_depth == usize::MAX
                && limits.max_list_items == usize::MAX
                && limits.max_string_len == usize::MAX
                && limits.max_fields_per_span == 128
        }),
    ),
    (
        "limits_float.toml",
        Expect::Err(&[
            ("limits.max_depth", "found 3.0"),
            ("limits.max_list_items", NOT_WHOLE),
            ("limits.max_string_len", NOT_WHOLE),
            ("limits.max_fields_per_span", "found 100.0"),
        ]),
    ),
    (
        "unknown_kinds.json",
        Expect::Err(&[
            ("allowed_field_kinds[0]", "unknown kind `uuidd`"),
            ("allowed_field_kinds[1]", "unknown kind `money`"),
            ("allowed_field_kinds[2]", "kind `struct` cannot be allowed by kind"),
            ("allowed_field_kinds[3]", "kind `Map` cannot be allowed by kind"),
            ("allowed_field_kinds[4]", "kind `opaque` cannot be allowed by kind"),
            ("allowed_field_kinds[5]", "unknown kind ``"),
        ]),
    ),
    (
        "floor_name_allowed.toml",
        Expect::Err(&[
            ("allowed_field_names[1]", "`email` is on the built-in deny floor"),
            ("allowed_field_names[2]", "`password` is on the built-in deny floor"),
        ]),
    ),
    (
        "deny_conflicts.json",
        Expect::Err(&[
            ("allowed_field_names[0]", "`note` is both allowed and denied"),
            ("denied_field_names[1]", "`a.b` contains `.`"),
            ("deny_floor_removals[0]", "`plan` is not on the built-in deny floor"),
            (
                "deny_floor_removals[1]",
                "`email` is both removed from the floor and denied",
            ),
        ]),
    ),
    (
        "bad_names.toml",
        Expect::Err(&[
            ("allowed_field_names[0]", "empty name"),
            ("allowed_field_names[1]", "malformed path `a..b`: empty segment"),
            ("allowed_field_names[2]", "malformed path `.a`: empty segment"),
            ("allowed_field_names[3]", "`a b` contains ` `"),
            ("allowed_field_names[5]", "`x::y` contains `:`"),
            ("allowed_structs[0]", "`::` is not a type path"),
            ("allowed_structs[1]", "`a::` is not a type path"),
            ("allowed_structs[2]", "`1Business` is not a type path"),
            ("allowed_structs[3]", "`Business<T>` is not a type path"),
            ("allowed_dictionaries[0]", "malformed path `flags.`: empty segment"),
        ]),
    ),
    ("empty_key.json", Expect::Err(&[("an empty key", UNKNOWN)])),
    // Valid files.
    (
        "valid_full.json",
        Expect::Ok(|config| {
            let spec = config.spec();
            spec.allowed_field_names.len() == 5
                && spec.capture_error_messages
                && config.limits().max_string_len == 64
                && config.deny_floor_removals() == ["Email"]
                && !config.deny_list().is_denied("email")
                && config.deny_list().is_denied("internalNote")
        }),
    ),
    (
        "valid_full.toml",
        Expect::Ok(|config| {
            let from_json = TelemetryCaptureConfiguration::from_path(corpus_dir().join("valid_full.json"));
            from_json.is_ok_and(|json| json.spec() == config.spec())
        }),
    ),
    (
        "valid_empty.json",
        Expect::Ok(|config| config.spec() == TelemetryCaptureConfiguration::default().spec()),
    ),
    (
        "valid_empty.toml",
        Expect::Ok(|config| config.spec() == TelemetryCaptureConfiguration::default().spec()),
    ),
    (
        "valid_unicode.toml",
        Expect::Ok(|config| {
            let spec = config.spec();
            spec.allowed_field_names.contains(&"日本語.名前".to_owned())
                && spec.allowed_structs == ["Büsiness", "_private::Thing"]
        }),
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config_corpus")
}

/// What is wrong with loading `name` against `expected`; empty when nothing.
fn mismatches(name: &str, expect: &Expect) -> Vec<String> {
    let path = corpus_dir().join(name);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => return vec![format!("{name}: cannot read it: {err}")],
    };
    let mut wrong = Vec::new();
    let loaded = TelemetryCaptureConfiguration::from_path(&path);

    // The file loads as its text does.
    if let (Ok(text), Some(format)) = (std::str::from_utf8(&bytes), Format::from_path(&path)) {
        let from_text = TelemetryCaptureConfiguration::from_text(text, format);
        let same = match (&loaded, &from_text) {
            (Ok(a), Ok(b)) => a.spec() == b.spec(),
            (Err(a), Err(b)) => a.problems() == b.problems(),
            _ => false,
        };
        if !same {
            wrong.push(format!("{name}: from_path and from_text disagree"));
        }
    }

    let expected_problems = match (expect, &loaded) {
        (Expect::Ok(holds), Ok(config)) => {
            if !holds(config) {
                wrong.push(format!("{name}: loads, but not as expected: {:?}", config.spec()));
            }
            return wrong;
        }
        (Expect::Ok(_), Err(err)) => {
            wrong.push(format!("{name}: expected Ok, got {err}"));
            return wrong;
        }
        (Expect::Err(_), Ok(config)) => {
            wrong.push(format!("{name}: expected Err, got Ok: {:?}", config.spec()));
            return wrong;
        }
        (Expect::Err(expected), Err(_)) => *expected,
    };
    let err = loaded.as_ref().unwrap_err();
    let shown = err.to_string();
    if err.source_name() != Some(path.display().to_string().as_str()) {
        wrong.push(format!(
            "{name}: the error does not name the file: {:?}",
            err.source_name()
        ));
    }
    if err.problems().len() != expected_problems.len() {
        wrong.push(format!(
            "{name}: {} problems, expected {}: {shown}",
            err.problems().len(),
            expected_problems.len()
        ));
    }
    let mut unmatched: Vec<_> = err.problems().iter().collect();
    for (location, message) in expected_problems {
        match unmatched
            .iter()
            .position(|problem| problem.location.contains(location) && problem.message.contains(message))
        {
            Some(index) => {
                unmatched.remove(index);
            }
            None => wrong.push(format!("{name}: no problem `{location}: {message}` in {shown}")),
        }
    }
    for problem in err.problems() {
        if problem.location.is_empty() || problem.message.is_empty() {
            wrong.push(format!("{name}: a problem without a location or message: {problem:?}"));
        }
    }
    wrong
}

#[test]
fn every_corpus_file_gives_its_expected_outcome() {
    let mut wrong = Vec::new();
    for (name, expect) in TABLE {
        wrong.extend(mismatches(name, expect));
    }
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_table_lists_every_corpus_file_once() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = TABLE.iter().map(|(name, _)| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "every file in config_corpus/ needs a row in TABLE, and only those"
    );
    assert!(on_disk.iter().any(|name| name.ends_with(".json")) && on_disk.iter().any(|name| name.ends_with(".toml")));
}

#[test]
fn every_corpus_file_keeps_the_fuzz_property() {
    for (name, _) in TABLE {
        let bytes = std::fs::read(corpus_dir().join(name)).unwrap();
        config_load::check(&bytes);
    }
}
