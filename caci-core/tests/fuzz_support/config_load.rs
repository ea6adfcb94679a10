//! The property the configuration loaders must keep, whatever bytes they are
//! given; shared by the cargo-fuzz target (`caci-core/fuzz`) and the stable
//! twin (`tests/config_fuzz.rs`), which both include this file with `#[path]`.
//!
//! [`check`] reads its bytes two ways:
//!
//! 1. as text (UTF-8, lossily), fed to the JSON and to the TOML loader;
//! 2. as the choices of an [`arbitrary`] generator that builds a JSON-like
//!    [`Tree`] whose keys come mostly from the schema ([`KEY_POOL`]), writes it
//!    as JSON and, when TOML can say the same, as TOML, and loads both.
//!
//! For every load: nothing panics; the answer does not depend on the entry
//! point (`from_json_str`/`from_toml_str` against `from_text`); an `Err` lists
//! at least one problem, each with a location and a message, and displays
//! them all; an `Ok` configuration's spec, written out again as JSON and as
//! TOML, loads to an equal spec. For a generated tree, the JSON and the TOML
//! text give the same answer unless one of them is a syntax error (the two
//! parsers have different nesting limits, and some JSON numbers exist only
//! in JSON).
//!
//! Every violation panics, with the text that caused it in the message.

use arbitrary::{Arbitrary, Unstructured};
use caci_core::config::{ConfigSpec, Format, MAX_FIELDS_PER_SPAN_CEILING};
use caci_core::{ConfigError, TelemetryCaptureConfiguration};

/// What the generator usually puts under a key.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A list of strings (names, kinds, type paths).
    Strings,
    /// `true` or `false`.
    Bool,
    /// A count, as the limits hold.
    Count,
    /// A table of these keys.
    Table(&'static [Key]),
}

/// A key the generator draws, and what it usually holds.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The key as written.
    pub name: &'static str,
    /// Its usual value; one time in five the generator puts anything there.
    pub shape: Shape,
}

const fn key(name: &'static str, shape: Shape) -> Key {
    Key { name, shape }
}

/// Keys of the `limits` table.
pub const LIMIT_KEY_POOL: &[Key] = &[
    key("max_depth", Shape::Count),
    key("max_list_items", Shape::Count),
    key("max_string_len", Shape::Count),
    key("max_fields_per_span", Shape::Count),
    // Near misses.
    key("max_items", Shape::Count),
    key("Max_Depth", Shape::Count),
];

/// Top-level keys: the schema's, the ones it grows (reported as unknown
/// settings by a loader that predates them) and near misses. A new schema key
/// is one more line here.
pub const KEY_POOL: &[Key] = &[
    key("allowed_field_names", Shape::Strings),
    key("allowed_field_kinds", Shape::Strings),
    key("allowed_structs", Shape::Strings),
    key("allowed_dictionaries", Shape::Strings),
    key("denied_field_names", Shape::Strings),
    key("deny_floor_removals", Shape::Strings),
    key("capture_error_messages", Shape::Bool),
    key("limits", Shape::Table(LIMIT_KEY_POOL)),
    // Newer keys.
    key("denied_types", Shape::Strings),
    key("scrub_values", Shape::Bool),
    // Near misses.
    key("allowed_fields", Shape::Strings),
    key("Allowed_Field_Names", Shape::Strings),
];

/// Keys that are not in the schema at all.
pub const ODD_KEYS: &[&str] = &[
    "",
    " ",
    "limits.max_depth",
    "allowed_field_names ",
    "a::b",
    "日本語",
    "\u{1F600}",
    "\0",
    "\"",
    "$__toml_private_datetime",
];

/// Strings the generator puts in lists: valid names, paths, kinds and type
/// paths, names on the deny floor, and malformed ones.
pub const STRING_POOL: &[&str] = &[
    // Names and paths.
    "plan",
    "business_id",
    "user_id",
    "country",
    "business.country",
    "business.plan_id",
    "flags",
    "x-request-id",
    "$ref",
    "@type",
    "naïve",
    "日本語",
    "a1",
    "_",
    // On the deny floor, in several spellings.
    "email",
    "Email",
    "user.email",
    "password",
    "API-Key",
    "2fa",
    "address",
    // Kinds.
    "uuid",
    "Uuid",
    "integer",
    "signed_integer",
    "enum",
    "datetime",
    "bool",
    "float",
    "string",
    "struct",
    "map",
    "opaque",
    "list",
    "money",
    // Type paths.
    "Business",
    "my_app::Business",
    "my_app::domain::Business",
    "Business<T>",
    "1Business",
    // Malformed.
    "",
    " ",
    ".",
    "a.",
    ".a",
    "a..b",
    "::",
    "a::",
    "::a",
    "a b",
    "a\u{0}b",
    "a\nb",
    "\u{1F600}",
    "\u{feff}plan",
    "\"",
    "\\",
];

/// JSON number literals that no `i64`, `u64` or `f64` value writes this way,
/// some beyond what serde_json accepts.
pub const RAW_NUMBERS: &[&str] = &[
    "18446744073709551616",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1e400",
    "-1e400",
    "1e-400",
    "1E2",
    "-0",
    "2.000",
    "0.5e1",
];

/// Counts worth trying: bounds of the limits and of the integer types.
pub const COUNT_POOL: &[i128] = &[
    0,
    1,
    2,
    3,
    20,
    32,
    127,
    128,
    129,
    255,
    65_536,
    -1,
    i64::MAX as i128,
    i64::MIN as i128,
    u64::MAX as i128,
];

/// How deep the generator nests ordinary arrays and tables.
const MAX_DEPTH: usize = 5;

/// A JSON-like document.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    /// `null` (JSON only).
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer (TOML holds it only up to `i64::MAX`).
    Uint(u64),
    /// A float; not finite ones are `null` in JSON, as serde_json writes them.
    Float(f64),
    /// A number written as is (JSON only).
    RawNumber(&'static str),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Tree>),
    /// A table, keys in order, duplicates allowed (the last one wins, in both
    /// parsers).
    Object(Vec<(String, Tree)>),
}

/// One scalar, as the derived generator picks it.
#[derive(Arbitrary, Debug)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Count(u8),
    Float(f64),
    RawNumber(u8),
    Pooled(u8),
    Text(String),
}

/// What an arbitrary value is.
#[derive(Arbitrary, Debug)]
enum Node {
    Scalar(Scalar),
    Array,
    Object,
    /// Arrays nested about as deep as the parsers' limits.
    DeepArray(u8),
}

fn pick<T: Copy>(pool: &[T], index: u8) -> T {
    pool[usize::from(index) % pool.len()]
}

fn count(value: i128) -> Tree {
    if let Ok(small) = i64::try_from(value) {
        Tree::Int(small)
    } else {
        Tree::Uint(u64::try_from(value).expect("the count pool holds i64 or u64 values"))
    }
}

impl Scalar {
    fn into_tree(self) -> Tree {
        match self {
            Scalar::Null => Tree::Null,
            Scalar::Bool(value) => Tree::Bool(value),
            Scalar::Int(value) => Tree::Int(value),
            Scalar::Uint(value) => Tree::Uint(value),
            Scalar::Count(index) => count(pick(COUNT_POOL, index)),
            Scalar::Float(value) => Tree::Float(value),
            Scalar::RawNumber(index) => Tree::RawNumber(pick(RAW_NUMBERS, index)),
            Scalar::Pooled(index) => Tree::Str(pick(STRING_POOL, index).to_owned()),
            Scalar::Text(text) => Tree::Str(text),
        }
    }
}

impl Tree {
    /// A generated document: usually a table of schema keys, sometimes anything.
    pub fn generate(u: &mut Unstructured<'_>) -> arbitrary::Result<Tree> {
        if u.ratio(1, 16)? {
            return any_value(u, 0);
        }
        table(u, KEY_POOL, 0)
    }

    /// The document as JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Tree::Null => out.push_str("null"),
            Tree::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Tree::Int(value) => out.push_str(&value.to_string()),
            Tree::Uint(value) => out.push_str(&value.to_string()),
            Tree::Float(value) if value.is_finite() => out.push_str(&format!("{value:?}")),
            Tree::Float(_) => out.push_str("null"),
            Tree::RawNumber(text) => out.push_str(text),
            Tree::Str(text) => out.push_str(&json_string(text)),
            Tree::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Tree::Object(entries) => {
                out.push('{');
                for (index, (key, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&json_string(key));
                    out.push_str(": ");
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// The document as TOML text, when TOML can say the same: a table at the
    /// top, no `null`, no integer above `i64::MAX`, no JSON-only number.
    pub fn to_toml(&self) -> Option<String> {
        match self.to_toml_value()? {
            toml::Value::Table(table) => toml::to_string(&table).ok(),
            _ => None,
        }
    }

    fn to_toml_value(&self) -> Option<toml::Value> {
        Some(match self {
            Tree::Null | Tree::RawNumber(_) => return None,
            Tree::Bool(value) => toml::Value::Boolean(*value),
            Tree::Int(value) => toml::Value::Integer(*value),
            Tree::Uint(value) => toml::Value::Integer(i64::try_from(*value).ok()?),
            Tree::Float(value) => toml::Value::Float(*value),
            Tree::Str(text) => toml::Value::String(text.clone()),
            Tree::Array(items) => toml::Value::Array(items.iter().map(Tree::to_toml_value).collect::<Option<_>>()?),
            Tree::Object(entries) => {
                let mut table = toml::Table::new();
                for (key, value) in entries {
                    table.insert(key.clone(), value.to_toml_value()?);
                }
                toml::Value::Table(table)
            }
        })
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

fn table(u: &mut Unstructured<'_>, pool: &[Key], depth: usize) -> arbitrary::Result<Tree> {
    let len = u.int_in_range(0..=pool.len().min(8))?;
    let mut entries = Vec::with_capacity(len);
    for _ in 0..len {
        if u.ratio(1, 10)? {
            let name = if u.ratio(1, 2)? {
                (*u.choose(ODD_KEYS)?).to_owned()
            } else {
                String::arbitrary(u)?
            };
            entries.push((name, any_value(u, depth + 1)?));
            continue;
        }
        let key = *u.choose(pool)?;
        let value = if u.ratio(4, 5)? {
            shaped(u, key.shape, depth + 1)?
        } else {
            any_value(u, depth + 1)?
        };
        entries.push((key.name.to_owned(), value));
    }
    Ok(Tree::Object(entries))
}

fn shaped(u: &mut Unstructured<'_>, shape: Shape, depth: usize) -> arbitrary::Result<Tree> {
    Ok(match shape {
        Shape::Strings => {
            let len = u.int_in_range(0..=5)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(match u.int_in_range(0..=19)? {
                    0..=16 => Tree::Str((*u.choose(STRING_POOL)?).to_owned()),
                    17 | 18 => Tree::Str(String::arbitrary(u)?),
                    _ => any_value(u, depth + 1)?,
                });
            }
            Tree::Array(items)
        }
        Shape::Bool => Tree::Bool(bool::arbitrary(u)?),
        Shape::Count => {
            if u.ratio(3, 4)? {
                count(*u.choose(COUNT_POOL)?)
            } else {
                Scalar::arbitrary(u)?.into_tree()
            }
        }
        Shape::Table(pool) => table(u, pool, depth)?,
    })
}

fn any_value(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Tree> {
    let node = if depth >= MAX_DEPTH {
        Node::Scalar(Scalar::arbitrary(u)?)
    } else {
        Node::arbitrary(u)?
    };
    Ok(match node {
        Node::Scalar(scalar) => scalar.into_tree(),
        Node::Array => {
            let len = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(any_value(u, depth + 1)?);
            }
            Tree::Array(items)
        }
        Node::Object => {
            let len = u.int_in_range(0..=4)?;
            let mut entries = Vec::with_capacity(len);
            for _ in 0..len {
                let name = if u.ratio(1, 2)? {
                    u.choose(KEY_POOL)?.name.to_owned()
                } else {
                    String::arbitrary(u)?
                };
                entries.push((name, any_value(u, depth + 1)?));
            }
            Tree::Object(entries)
        }
        Node::DeepArray(extra) => {
            // serde_json stops at 128 levels; cross that line both ways.
            let mut tree = Tree::Str("plan".to_owned());
            for _ in 0..(64 + usize::from(extra) / 2) {
                tree = Tree::Array(vec![tree]);
            }
            tree
        }
    })
}

/// What [`check_counted`] did, for the stable twin to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Loads that returned a configuration.
    pub ok: usize,
    /// Loads that returned an error.
    pub err: usize,
    /// Generated documents.
    pub generated: usize,
    /// Generated documents that TOML could also say.
    pub generated_toml: usize,
    /// Generated documents the JSON parser refused (nesting, number range).
    pub generated_json_syntax_errors: usize,
    /// Generated documents whose JSON and TOML answers were compared.
    pub compared: usize,
}

impl Tally {
    /// Adds another tally to this one.
    pub fn add(&mut self, other: Tally) {
        self.ok += other.ok;
        self.err += other.err;
        self.generated += other.generated;
        self.generated_toml += other.generated_toml;
        self.generated_json_syntax_errors += other.generated_json_syntax_errors;
        self.compared += other.compared;
    }
}

/// Checks the property on `data`; panics on any violation.
pub fn check(data: &[u8]) {
    check_counted(data);
}

/// [`check`], also telling what it did.
pub fn check_counted(data: &[u8]) -> Tally {
    let mut tally = Tally::default();
    let text = String::from_utf8_lossy(data);
    for format in [Format::Json, Format::Toml] {
        let _checked = load(&text, format, &mut tally);
    }

    let mut u = Unstructured::new(data);
    let Ok(tree) = Tree::generate(&mut u) else {
        return tally;
    };
    tally.generated += 1;
    let json = tree.to_json();
    let from_json = load(&json, Format::Json, &mut tally);
    if is_syntax_error(&from_json) {
        tally.generated_json_syntax_errors += 1;
    }
    if let Some(toml) = tree.to_toml() {
        tally.generated_toml += 1;
        let from_toml = load(&toml, Format::Toml, &mut tally);
        if !is_syntax_error(&from_json) && !is_syntax_error(&from_toml) {
            tally.compared += 1;
            assert_agree(&json, &from_json, &toml, &from_toml);
        }
    }
    tally
}

fn load(text: &str, format: Format, tally: &mut Tally) -> Result<TelemetryCaptureConfiguration, ConfigError> {
    let result = match format {
        Format::Json => TelemetryCaptureConfiguration::from_json_str(text),
        Format::Toml => TelemetryCaptureConfiguration::from_toml_str(text),
    };
    let again = TelemetryCaptureConfiguration::from_text(text, format);
    match (&result, &again) {
        (Ok(first), Ok(second)) => assert_eq!(first.spec(), second.spec(), "{format:?} loads differ for {text:?}"),
        (Err(first), Err(second)) => assert_eq!(first, second, "{format:?} errors differ for {text:?}"),
        _ => panic!("{format:?} loads differ for {text:?}: {result:?} then {again:?}"),
    }
    match &result {
        Ok(config) => {
            tally.ok += 1;
            assert_ok_is_sound(config, text);
        }
        Err(err) => {
            tally.err += 1;
            assert_err_is_sound(err, text);
        }
    }
    result
}

fn assert_ok_is_sound(config: &TelemetryCaptureConfiguration, text: &str) {
    let spec = config.spec();
    let limits = config.limits();
    for (name, value) in [
        ("max_depth", limits.max_depth),
        ("max_list_items", limits.max_list_items),
        ("max_string_len", limits.max_string_len),
        ("max_fields_per_span", limits.max_fields_per_span),
    ] {
        assert!(value >= 1, "limit {name} is {value} after loading {text:?}");
    }
    assert!(
        limits.max_fields_per_span <= MAX_FIELDS_PER_SPAN_CEILING,
        "max_fields_per_span is {} after loading {text:?}",
        limits.max_fields_per_span
    );
    assert_eq!(config.deny_floor_removals(), spec.deny_floor_removals.as_slice());

    let json = serde_json::to_string(spec).unwrap_or_else(|err| panic!("{spec:?} does not serialise to JSON: {err}"));
    assert_round_trip(spec, &json, Format::Json, text);
    // TOML integers stop at i64::MAX, JSON's (and the limits) go on to
    // u64::MAX; the toml crate writes such a spec all the same, as a document
    // it then refuses to read.
    let toml_can_say_it = [
        spec.limits.max_depth,
        spec.limits.max_list_items,
        spec.limits.max_string_len,
        spec.limits.max_fields_per_span,
    ]
    .into_iter()
    .flatten()
    .all(|limit| i64::try_from(limit).is_ok());
    if toml_can_say_it {
        let toml = toml::to_string(spec).unwrap_or_else(|err| panic!("{spec:?} does not serialise to TOML: {err}"));
        assert_round_trip(spec, &toml, Format::Toml, text);
    }
}

fn assert_round_trip(spec: &ConfigSpec, written: &str, format: Format, text: &str) {
    match TelemetryCaptureConfiguration::from_text(written, format) {
        Ok(again) => assert_eq!(
            again.spec(),
            spec,
            "{format:?} round trip changed the spec loaded from {text:?} (written as {written:?})"
        ),
        Err(err) => panic!("the spec loaded from {text:?}, written as {format:?} {written:?}, does not load: {err}"),
    }
}

fn assert_err_is_sound(err: &ConfigError, text: &str) {
    let problems = err.problems();
    assert!(!problems.is_empty(), "an error without problems for {text:?}");
    let shown = err.to_string();
    let plural = if problems.len() == 1 { "problem" } else { "problems" };
    assert!(
        shown.contains(&format!("({} {plural})", problems.len())),
        "{shown:?} does not count its problems"
    );
    for problem in problems {
        assert!(
            !problem.location.is_empty(),
            "a problem without a location for {text:?}: {problem:?}"
        );
        assert!(
            !problem.message.trim().is_empty(),
            "a problem without a message for {text:?}: {problem:?}"
        );
        assert!(
            shown.contains(&format!("{}: {}", problem.location, problem.message)),
            "{shown:?} does not show {problem:?}"
        );
    }
    assert_eq!(err.source_name(), None, "a text load names no file");
}

fn is_syntax_error(result: &Result<TelemetryCaptureConfiguration, ConfigError>) -> bool {
    result.as_ref().is_err_and(|err| {
        err.problems()
            .iter()
            .any(|problem| problem.message.starts_with("invalid JSON") || problem.message.starts_with("invalid TOML"))
    })
}

fn assert_agree(
    json: &str,
    from_json: &Result<TelemetryCaptureConfiguration, ConfigError>,
    toml: &str,
    from_toml: &Result<TelemetryCaptureConfiguration, ConfigError>,
) {
    match (from_json, from_toml) {
        (Ok(a), Ok(b)) => assert_eq!(a.spec(), b.spec(), "JSON {json:?} and TOML {toml:?} load differently"),
        (Err(a), Err(b)) => {
            fn sorted(err: &ConfigError) -> Vec<(&str, &str)> {
                let mut problems: Vec<_> = err
                    .problems()
                    .iter()
                    // serde_json reads some floats one ulp off the TOML parser,
                    // so the echoed value (`found …`) may differ.
                    .map(|p| {
                        (
                            p.location.as_str(),
                            p.message.split(", found ").next().unwrap_or_default(),
                        )
                    })
                    .collect();
                problems.sort_unstable();
                problems
            }
            assert_eq!(
                sorted(a),
                sorted(b),
                "JSON {json:?} and TOML {toml:?} report different problems"
            );
        }
        _ => panic!("JSON {json:?} gives {from_json:?} but TOML {toml:?} gives {from_toml:?}"),
    }
}
