//! Checks a [`ConfigSpec`] and compiles it into the rules every layer above
//! reads.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use super::Limits;
use super::deny::{self, DeniedTypes, DenyList};
use super::error::{ConfigError, Problem};
use super::spec::{ConfigSpec, LimitsSpec};
use crate::shape::Kind;

/// The identities of the rules alive, by content, with how many rules hold
/// each: equal specifications compile to rules with one identity, so call
/// sites keep one plan for them however often they are rebuilt or
/// reinstalled. An identity is forgotten with the last rules that hold it
/// (a coverage report's hypothetical configurations leave nothing behind),
/// and never handed out again.
static IDENTITIES: LazyLock<Mutex<Identities>> = LazyLock::new(Default::default);

#[derive(Default)]
struct Identities {
    live: HashMap<ConfigSpec, (u64, usize)>,
    /// The last identity handed out; 0 is "nothing installed".
    last: u64,
}

fn identity_of(spec: &ConfigSpec) -> u64 {
    let mut identities = IDENTITIES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let next = identities.last + 1;
    let (id, holders) = identities.live.entry(spec.clone()).or_insert((next, 0));
    *holders += 1;
    let id = *id;
    identities.last = identities.last.max(id);
    id
}

impl Drop for Rules {
    fn drop(&mut self) {
        let mut identities = IDENTITIES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, holders)) = identities.live.get_mut(&self.spec) {
            *holders -= 1;
            if *holders == 0 {
                identities.live.remove(&self.spec);
            }
        }
    }
}

/// Whether rules of this content are alive (tests of memory).
#[cfg(test)]
fn is_live(spec: &ConfigSpec) -> bool {
    IDENTITIES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .live
        .contains_key(spec)
}

/// The hard ceiling on fields per span (OpenTelemetry's default attribute limit).
pub const MAX_FIELDS_PER_SPAN_CEILING: usize = 128;

/// The rules in the form the planner reads them.
#[derive(Debug)]
pub(crate) struct Rules {
    /// Equal for equal specifications, distinct otherwise: call sites cache
    /// plans by it.
    pub(crate) id: u64,
    pub(crate) spec: ConfigSpec,
    /// What is allowed everywhere.
    pub(crate) allowed: Allowances,
    /// What is allowed at one component or method only, in the spec's order.
    pub(crate) scopes: Vec<Scope>,
    pub(crate) deny: DenyList,
    pub(crate) denied_types: DeniedTypes,
    pub(crate) deny_floor_removals: Vec<String>,
    pub(crate) limits: Limits,
    /// Whether wrapped methods emit metrics (cargo feature `metrics`).
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) method_metrics: bool,
    /// The metric labels, as written (names or dotted paths).
    pub(crate) metric_labels: Vec<String>,
    /// What recordings planned under these rules obey.
    pub(crate) render: Arc<RenderRules>,
}

/// What a planned call site still obeys when it records, long after it was
/// planned: the limits, the deny list (dictionary keys), value scrubbing
/// and error messages. Plans hold this, not the whole rules, and share a
/// plan between configurations whose plans and render rules are equal.
#[derive(Debug, PartialEq)]
pub(crate) struct RenderRules {
    pub(crate) limits: Limits,
    /// Strings shorter than this are recorded as they are: see
    /// [`scrub::plain_below`](super::scrub::plain_below).
    pub(crate) plain_below: usize,
    pub(crate) deny: DenyList,
    pub(crate) scrub_values: bool,
    pub(crate) capture_error_messages: bool,
    /// Whether method spans carry `duration_ns`.
    pub(crate) record_duration: bool,
    /// Whether method spans carry `code.file.path` and `code.line.number`.
    pub(crate) capture_code_location: bool,
    /// What the metrics made with a plan depend on (compared, so that
    /// plans shared between configurations count alike).
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) method_metrics: bool,
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) metric_labels: Vec<String>,
}

/// How many metric labels a configuration may name: each is a dimension of
/// every wrapped method's series.
pub(crate) const MAX_METRIC_LABELS: usize = 8;

/// Labels CACI sets itself on every method metric.
pub(crate) const OWN_METRIC_LABELS: &[&str] = &["component", "method", "outcome", "error.type"];

/// The four allow lists, compiled: globally, or for one scope.
#[derive(Clone, Debug, Default)]
pub(crate) struct Allowances {
    pub(crate) names: HashSet<String>,
    pub(crate) paths: HashSet<String>,
    pub(crate) kinds: BTreeSet<Kind>,
    pub(crate) structs: Vec<String>,
    pub(crate) dictionaries: HashSet<String>,
}

/// Allowances that apply at one component's wrapped methods, or one method's.
#[derive(Clone, Debug)]
pub(crate) struct Scope {
    pub(crate) component: String,
    pub(crate) method: Option<String>,
    pub(crate) allowed: Allowances,
    /// How long it lasts once installed (a file's `ttl`).
    pub(crate) ttl: Option<std::time::Duration>,
}

impl Scope {
    /// Whether the scope applies at `component`'s method `method`.
    pub(crate) fn applies_at(&self, component: &str, method: &str) -> bool {
        self.component == component && self.method.as_deref().is_none_or(|own| own == method)
    }
}

/// The allow lists as written, wherever they are: the top level or a scope.
struct AllowLists<'s> {
    /// The key prefix problems are located under (`""` or `scopes[2].`).
    at: String,
    names: &'s [String],
    kinds: &'s [String],
    structs: &'s [String],
    dictionaries: &'s [String],
}

/// Checks and compiles one set of allow lists against the deny list.
fn compile_allowances(
    lists: &AllowLists<'_>,
    deny: &DenyList,
    added: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Allowances {
    let at = &lists.at;
    let (names, paths) = compile_allowed_names(lists.names, at, deny, added, problems);
    let kinds = compile_kinds(lists.kinds, at, problems);
    check_each(
        lists.structs,
        &format!("{at}allowed_structs"),
        check_type_path,
        problems,
    );
    check_each(
        lists.dictionaries,
        &format!("{at}allowed_dictionaries"),
        check_path,
        problems,
    );
    Allowances {
        names,
        paths,
        kinds,
        structs: lists.structs.to_vec(),
        dictionaries: lists.dictionaries.iter().cloned().collect(),
    }
}

fn compile_scopes(
    spec: &ConfigSpec,
    deny: &DenyList,
    added: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Scope> {
    let mut scopes = Vec::with_capacity(spec.scopes.len());
    for (index, scope) in spec.scopes.iter().enumerate() {
        let at = format!("scopes[{index}].");
        if !is_rust_identifier(&scope.component) {
            problems.push(Problem::new(
                format!("{at}component"),
                format!("`{}` is not a component name such as `PaymentGateway`", scope.component),
            ));
        }
        if let Some(method) = scope.method.as_deref().filter(|method| !is_rust_identifier(method)) {
            problems.push(Problem::new(
                format!("{at}method"),
                format!("`{method}` is not a method name such as `authorize`"),
            ));
        }
        let ttl = scope
            .ttl
            .as_deref()
            .and_then(|ttl| match humantime::parse_duration(ttl) {
                Ok(duration) if !duration.is_zero() => Some(duration),
                Ok(_) => {
                    problems.push(Problem::new(format!("{at}ttl"), "must be longer than zero"));
                    None
                }
                Err(err) => {
                    problems.push(Problem::new(
                        format!("{at}ttl"),
                        format!("`{ttl}` is not a duration such as `15m` or `1h 30m`: {err}"),
                    ));
                    None
                }
            });
        let lists = AllowLists {
            at,
            names: &scope.allowed_field_names,
            kinds: &scope.allowed_field_kinds,
            structs: &scope.allowed_structs,
            dictionaries: &scope.allowed_dictionaries,
        };
        let allowed = compile_allowances(&lists, deny, added, problems);
        scopes.push(Scope {
            component: scope.component.clone(),
            method: scope.method.clone(),
            allowed,
            ttl,
        });
    }
    scopes
}

pub(crate) fn compile(spec: &ConfigSpec) -> Result<Rules, ConfigError> {
    let mut problems = Vec::new();
    let added: HashSet<String> = spec
        .denied_field_names
        .iter()
        .map(|name| deny::normalize(name))
        .collect();
    let deny = DenyList::with_changes(&spec.denied_field_names, &spec.deny_floor_removals);
    let lists = AllowLists {
        at: String::new(),
        names: &spec.allowed_field_names,
        kinds: &spec.allowed_field_kinds,
        structs: &spec.allowed_structs,
        dictionaries: &spec.allowed_dictionaries,
    };
    let allowed = compile_allowances(&lists, &deny, &added, &mut problems);
    let scopes = compile_scopes(spec, &deny, &added, &mut problems);
    check_each(
        &spec.denied_field_names,
        "denied_field_names",
        check_identifier,
        &mut problems,
    );
    check_removals(spec, &added, &mut problems);
    check_each(&spec.denied_types, "denied_types", check_type_pattern, &mut problems);
    let limits = compile_limits(&spec.limits, &mut problems);
    check_metric_labels(spec, &deny, &mut problems);
    if !problems.is_empty() {
        return Err(ConfigError::new(problems));
    }
    let render = Arc::new(RenderRules {
        limits,
        plain_below: super::scrub::plain_below(limits.max_string_len),
        deny: deny.clone(),
        scrub_values: spec.scrub_values,
        capture_error_messages: spec.capture_error_messages,
        record_duration: spec.record_duration,
        capture_code_location: spec.capture_code_location,
        method_metrics: spec.method_metrics,
        metric_labels: spec.metric_labels.clone(),
    });
    Ok(Rules {
        id: identity_of(spec),
        spec: spec.clone(),
        allowed,
        scopes,
        deny,
        denied_types: DeniedTypes::new(&spec.denied_types),
        deny_floor_removals: spec.deny_floor_removals.clone(),
        limits,
        method_metrics: spec.method_metrics,
        metric_labels: spec.metric_labels.clone(),
        render,
    })
}

/// Whether the metric label `label` (a name, or a dotted path) names the
/// leaf at `path`: the whole path, or its last segments.
pub(crate) fn label_names(label: &str, path: &str) -> bool {
    path == label || path.strip_suffix(label).is_some_and(|head| head.ends_with('.'))
}

/// Metric labels: paths, at most [`MAX_METRIC_LABELS`], none twice, none of
/// CACI's own, none the deny list denies. Whether each names a leaf of a
/// kind that can be a label is checked against the method registry when the
/// configuration is built (`config`).
fn check_metric_labels(spec: &ConfigSpec, deny: &DenyList, problems: &mut Vec<Problem>) {
    if spec.metric_labels.len() > MAX_METRIC_LABELS {
        problems.push(Problem::new(
            "metric_labels",
            format!("at most {MAX_METRIC_LABELS} labels: each multiplies the series of every method"),
        ));
    }
    for (index, label) in spec.metric_labels.iter().enumerate() {
        let location = format!("metric_labels[{index}]");
        if let Err(message) = check_path(label) {
            problems.push(Problem::new(location, message));
            continue;
        }
        if spec.metric_labels[..index].contains(label) {
            problems.push(Problem::new(location, format!("`{label}` is listed twice")));
        } else if OWN_METRIC_LABELS.contains(&label.as_str()) {
            problems.push(Problem::new(
                location,
                format!(
                    "`{label}` is one of CACI's own labels ({})",
                    OWN_METRIC_LABELS.join(", ")
                ),
            ));
        } else if let Some(word) = label.split('.').find_map(|segment| deny.denied_word(segment)) {
            problems.push(Problem::new(
                location,
                format!("`{label}` is denied (`{word}`): a denied value never becomes a label"),
            ));
        }
    }
}

/// Reports every entry of `list` (the key `key`) that `check` refuses.
fn check_each(list: &[String], key: &str, check: fn(&str) -> Result<(), String>, problems: &mut Vec<Problem>) {
    for (index, entry) in list.iter().enumerate() {
        if let Err(message) = check(entry) {
            problems.push(Problem::new(format!("{key}[{index}]"), message));
        }
    }
}

/// Plain names and dotted paths, apart; a segment the deny list denies is a
/// problem (the floor is lifted only by an explicit removal).
fn compile_allowed_names(
    allowed: &[String],
    at: &str,
    deny: &DenyList,
    added: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> (HashSet<String>, HashSet<String>) {
    let (mut names, mut paths) = (HashSet::new(), HashSet::new());
    for (index, name) in allowed.iter().enumerate() {
        let location = format!("{at}allowed_field_names[{index}]");
        if let Err(message) = check_path(name) {
            problems.push(Problem::new(location, message));
            continue;
        }
        for segment in name.split('.') {
            let Some(word) = deny.denied_word(segment) else {
                continue;
            };
            let message = if added.contains(&word) {
                format!("`{segment}` is both allowed and denied (denied_field_names); keep one")
            } else if deny::normalize(segment) == word {
                format!(
                    "`{segment}` is on the built-in deny floor; to capture it, remove it explicitly with deny_floor_removals"
                )
            } else {
                format!(
                    "`{segment}` has the word `{word}`, which is on the built-in deny floor; to capture it, \
                     remove `{segment}` explicitly with deny_floor_removals"
                )
            };
            problems.push(Problem::new(&location, message));
        }
        if name.contains('.') {
            paths.insert(name.clone());
        } else {
            names.insert(name.clone());
        }
    }
    (names, paths)
}

/// The allowed kinds; `integer` stands for both integer kinds.
fn compile_kinds(allowed: &[String], at: &str, problems: &mut Vec<Problem>) -> BTreeSet<Kind> {
    let mut kinds = BTreeSet::new();
    for (index, kind) in allowed.iter().enumerate() {
        if kind.eq_ignore_ascii_case("integer") {
            kinds.extend([Kind::SignedInteger, Kind::UnsignedInteger]);
            continue;
        }
        match kind.parse::<Kind>() {
            Ok(Kind::Struct | Kind::Map | Kind::Opaque) => problems.push(Problem::new(
                format!("{at}allowed_field_kinds[{index}]"),
                format!("kind `{kind}` cannot be allowed by kind; use allowed_structs or allowed_dictionaries"),
            )),
            Ok(parsed) => {
                kinds.insert(parsed);
            }
            Err(message) => problems.push(Problem::new(
                format!("{at}allowed_field_kinds[{index}]"),
                format!("{message}, or `integer`"),
            )),
        }
    }
    kinds
}

/// A removal names a floor entry, or a name with a floor word, and is not
/// also denied.
fn check_removals(spec: &ConfigSpec, added: &HashSet<String>, problems: &mut Vec<Problem>) {
    for (index, name) in spec.deny_floor_removals.iter().enumerate() {
        let location = format!("deny_floor_removals[{index}]");
        if let Err(message) = check_identifier(name) {
            problems.push(Problem::new(location, message));
        } else if !deny::is_on_floor(name) {
            problems.push(Problem::new(
                location,
                format!("`{name}` is not on the built-in deny floor, and has no word that is"),
            ));
        } else if added.contains(&deny::normalize(name)) {
            problems.push(Problem::new(
                location,
                format!("`{name}` is both removed from the floor and denied (denied_field_names); keep one"),
            ));
        }
    }
}

fn compile_limits(spec: &LimitsSpec, problems: &mut Vec<Problem>) -> Limits {
    let defaults = Limits::default();
    let mut take = |key: &str, value: Option<usize>, default: usize| match value {
        None => default,
        Some(0) => {
            problems.push(Problem::new(format!("limits.{key}"), "must be at least 1"));
            default
        }
        Some(value) => value,
    };
    let limits = Limits {
        max_depth: take("max_depth", spec.max_depth, defaults.max_depth),
        max_list_items: take("max_list_items", spec.max_list_items, defaults.max_list_items),
        max_string_len: take("max_string_len", spec.max_string_len, defaults.max_string_len),
        max_fields_per_span: take(
            "max_fields_per_span",
            spec.max_fields_per_span,
            defaults.max_fields_per_span,
        ),
        max_series_per_method: take(
            "max_series_per_method",
            spec.max_series_per_method,
            defaults.max_series_per_method,
        ),
        max_label_values: take("max_label_values", spec.max_label_values, defaults.max_label_values),
    };
    if limits.max_fields_per_span > MAX_FIELDS_PER_SPAN_CEILING {
        problems.push(Problem::new(
            "limits.max_fields_per_span",
            format!("must be at most {MAX_FIELDS_PER_SPAN_CEILING}"),
        ));
    }
    limits
}

/// A plain name or a dotted path of names.
fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty name".to_owned());
    }
    for segment in path.split('.') {
        if segment.is_empty() {
            return Err(format!("malformed path `{path}`: empty segment"));
        }
        check_identifier(segment).map_err(|message| format!("malformed path `{path}`: {message}"))?;
    }
    Ok(())
}

/// One field name: letters, digits, `_`, `-`, `$`, `@`.
fn check_identifier(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("empty name".to_owned());
    }
    match name
        .chars()
        .find(|ch| !(ch.is_alphanumeric() || matches!(ch, '_' | '-' | '$' | '@')))
    {
        Some(bad) => Err(format!("`{name}` contains `{bad}`, which no field name has")),
        None => Ok(()),
    }
}

/// A name as Rust spells a type or a method: `PaymentGateway`, `authorize`.
fn is_rust_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|ch| ch.is_alphanumeric() || ch == '_')
}

/// A `denied_types` entry: a type path whose segments may hold `*`.
fn check_type_pattern(pattern: &str) -> Result<(), String> {
    let valid = !pattern.is_empty()
        && pattern.split("::").all(|segment| {
            !segment.is_empty() && segment.chars().all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '*')
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{pattern}` is not a type pattern such as `Password`, `*Secret*` or `my_app::vault::*`"
        ))
    }
}

/// A Rust type path such as `Business` or `my_app::domain::Business`.
fn check_type_path(path: &str) -> Result<(), String> {
    let valid = !path.is_empty()
        && path.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|first| first.is_alphabetic() || first == '_')
                && chars.all(|ch| ch.is_alphanumeric() || ch == '_')
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{path}` is not a type path such as `Business` or `my_app::Business`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_specifications_share_an_identity_and_different_ones_do_not() {
        let spec = |names: &[&str]| ConfigSpec {
            allowed_field_names: names.iter().map(|name| (*name).to_owned()).collect(),
            ..ConfigSpec::default()
        };
        let first = compile(&spec(&["plan", "country"])).expect("valid");
        let again = compile(&spec(&["plan", "country"])).expect("valid");
        let other = compile(&spec(&["plan"])).expect("valid");
        assert_eq!(first.id, again.id);
        assert_ne!(first.id, other.id);
        assert_ne!(first.id, 0, "0 means nothing installed");
    }

    #[test]
    fn an_identity_is_forgotten_with_its_last_rules_and_never_reused() {
        let spec = |name: &str| ConfigSpec {
            allowed_field_names: vec![format!("only_in_this_test_{name}")],
            ..ConfigSpec::default()
        };
        let first = compile(&spec("a")).unwrap();
        let id = first.id;
        let holder = compile(&spec("a")).unwrap();
        drop(first);
        assert_eq!(compile(&spec("a")).unwrap().id, id, "still held");
        drop(holder);
        assert!(!is_live(&spec("a")), "forgotten with its last rules");
        let again = compile(&spec("a")).unwrap();
        assert_ne!(again.id, id, "a forgotten identity is not handed out again");
        assert!(is_live(&spec("a")));
        drop(again);
        assert!(!is_live(&spec("a")));
    }

    fn problems_of(spec: ConfigSpec) -> Vec<String> {
        match compile(&spec) {
            Ok(_) => Vec::new(),
            Err(err) => err
                .problems()
                .iter()
                .map(|p| format!("{}: {}", p.location, p.message))
                .collect(),
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_location() {
        let spec = ConfigSpec {
            allowed_field_names: vec!["".into(), "business..plan".into(), "plan".into(), "note".into()],
            allowed_field_kinds: vec!["uuid".into(), "money".into(), "struct".into()],
            allowed_structs: vec!["my app::Business".into()],
            allowed_dictionaries: vec!["flags.".into()],
            denied_field_names: vec!["note".into(), "a.b".into()],
            deny_floor_removals: vec!["plan".into()],
            limits: LimitsSpec {
                max_depth: Some(0),
                max_fields_per_span: Some(1000),
                ..LimitsSpec::default()
            },
            ..ConfigSpec::default()
        };
        let problems = problems_of(spec);
        let expected = [
            "allowed_field_names[0]: empty name",
            "allowed_field_names[1]: malformed path `business..plan`: empty segment",
            "allowed_field_names[3]: `note` is both allowed and denied",
            "allowed_field_kinds[1]: unknown kind `money`",
            "allowed_field_kinds[2]: kind `struct` cannot be allowed by kind",
            "allowed_structs[0]: `my app::Business` is not a type path",
            "allowed_dictionaries[0]: malformed path `flags.`: empty segment",
            "denied_field_names[1]: `a.b` contains `.`",
            "deny_floor_removals[0]: `plan` is not on the built-in deny floor",
            "limits.max_depth: must be at least 1",
            "limits.max_fields_per_span: must be at most 128",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, prefix) in problems.iter().zip(expected) {
            assert!(problem.starts_with(prefix), "{problem:?} should start with {prefix:?}");
        }
    }

    #[test]
    fn allowing_a_floor_name_needs_an_explicit_removal() {
        let spec = ConfigSpec {
            allowed_field_names: vec!["user.email".into()],
            ..ConfigSpec::default()
        };
        assert_eq!(problems_of(spec.clone()).len(), 1);
        let spec = ConfigSpec {
            deny_floor_removals: vec!["Email".into()],
            ..spec
        };
        let rules = compile(&spec).expect("valid once removed");
        assert!(rules.allowed.paths.contains("user.email"));
        assert!(!rules.deny.is_denied("email"));
    }

    #[test]
    fn integer_stands_for_both_integer_kinds() {
        let spec = ConfigSpec {
            allowed_field_kinds: vec!["integer".into(), "Uuid".into()],
            ..ConfigSpec::default()
        };
        let rules = compile(&spec).unwrap();
        assert_eq!(
            rules.allowed.kinds.iter().copied().collect::<Vec<_>>(),
            [Kind::SignedInteger, Kind::UnsignedInteger, Kind::Uuid]
        );
    }
}
