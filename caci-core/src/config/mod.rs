//! [`TelemetryCaptureConfiguration`]: which data may be captured.
//!
//! Capture is allow-list only. A leaf (one recorded value) is captured when
//! a rule allows it and nothing forbids it; the full rule, with its order, is
//! documented on [`crate::rules::decision`].

mod change;
mod extends;
mod file;
mod scope;

use std::path::Path;
use std::sync::Arc;

pub use crate::rules::deny;
pub use crate::rules::{ConfigError, ConfigSpec, Limits, LimitsSpec, MAX_FIELDS_PER_SPAN_CEILING, Problem, ScopeSpec};
pub use change::{ConfigChange, ConfigId, ListChange};
pub(crate) use extends::load;
pub use file::Format;
pub use scope::ScopeBuilder;

use crate::rules::{Rules, compile};
use crate::shape::Kind;

/// Which data may be captured: the allow lists, the deny list and the limits.
///
/// Build it in `main`, then [`install`](crate::install) it:
///
/// ```
/// use caci_core::{Kind, TelemetryCaptureConfiguration};
///
/// let config = TelemetryCaptureConfiguration::builder()
///     .allow_fields(["business_id", "user_id", "status", "plan", "country"])
///     .allow_field("business.feature_group")
///     .allow_kinds([Kind::Uuid, Kind::DateTime, Kind::Date, Kind::Bool, Kind::Enum])
///     .deny_field("internal_note")
///     .max_string_len(128)
///     .build()
///     .expect("a valid configuration");
/// assert!(config.spec().allowed_field_names.contains(&"plan".to_owned()));
/// ```
///
/// The same configuration loads from JSON or TOML with
/// [`from_json_str`](Self::from_json_str), [`from_toml_str`](Self::from_toml_str)
/// or [`from_path`](Self::from_path); the schema is [`ConfigSpec`].
#[derive(Clone, Debug)]
pub struct TelemetryCaptureConfiguration {
    pub(crate) rules: Arc<Rules>,
}

impl Default for TelemetryCaptureConfiguration {
    /// Captures nothing: the state before any configuration is installed.
    fn default() -> Self {
        TelemetryCaptureConfiguration::from_spec(ConfigSpec::default()).expect("the empty configuration is valid")
    }
}

impl TelemetryCaptureConfiguration {
    /// Starts a builder; see the type's documentation.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this configuration, to widen or narrow it.
    ///
    /// ```
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let base = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let wider = base.to_builder().allow_field("country").build().unwrap();
    /// assert_eq!(wider.spec().allowed_field_names, ["plan", "country"]);
    /// ```
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            spec: self.rules.spec.clone(),
        }
    }

    /// Checks and compiles a [`ConfigSpec`].
    ///
    /// `metric_labels` are checked against every wrapped method linked into
    /// the program ([`MethodDescriptor::all`](crate::MethodDescriptor::all)):
    /// a label that names a captured leaf of a kind other than bool, enum or
    /// string is refused (`business_id` is a uuid: a label would create a
    /// series per value), and so is a label whose leaves the span rules
    /// capture nowhere.
    pub fn from_spec(spec: ConfigSpec) -> Result<Self, ConfigError> {
        let rules = Arc::new(compile(&spec)?);
        let problems = metric_label_problems(&rules);
        if !problems.is_empty() {
            return Err(ConfigError::new(problems));
        }
        Ok(TelemetryCaptureConfiguration { rules })
    }

    pub(crate) fn from_rules(rules: Arc<Rules>) -> Self {
        TelemetryCaptureConfiguration { rules }
    }

    /// Loads a configuration from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, ConfigError> {
        Self::from_text(text, Format::Json)
    }

    /// Loads a configuration from TOML text. Needs the `toml` feature (on by
    /// default); without it, this is an error that says so.
    ///
    /// ```
    /// let config = caci_core::TelemetryCaptureConfiguration::from_toml_str(
    ///     r#"
    ///     allowed_field_names = ["plan", "country"]
    ///     allowed_field_kinds = ["uuid", "enum"]
    ///     [limits]
    ///     max_string_len = 64
    ///     "#,
    /// )
    /// .unwrap();
    /// assert_eq!(config.limits().max_string_len, 64);
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        Self::from_text(text, Format::Toml)
    }

    /// Loads a configuration from text in `format`.
    pub fn from_text(text: &str, format: Format) -> Result<Self, ConfigError> {
        let (spec, mut problems) = file::parse_spec(text, format)?;
        match Self::from_spec(spec) {
            Ok(config) if problems.is_empty() => Ok(config),
            Ok(_) => Err(ConfigError::new(problems)),
            Err(err) => {
                problems.extend_from_slice(err.problems());
                Err(ConfigError::new(problems))
            }
        }
    }

    /// Loads a configuration file, JSON or TOML by its extension, and the
    /// base files it `extends`. Errors name the file, and the base file of
    /// each problem that is in one.
    ///
    /// ```
    /// use caci_core::TelemetryCaptureConfiguration;
    /// # let dir = std::env::temp_dir().join(format!("caci-doc-extends-{}", std::process::id()));
    /// # std::fs::create_dir_all(dir.join("org")).unwrap();
    /// # std::fs::create_dir_all(dir.join("billing")).unwrap();
    /// // One base for many services, kept by the platform team:
    /// std::fs::write(
    ///     dir.join("org/caci-base.toml"),
    ///     "allowed_field_kinds = [\"uuid\", \"enum\"]\ndenied_field_names = [\"internal_note\"]\n\
    ///      [limits]\nmax_depth = 2\nmax_string_len = 64\n",
    /// )?;
    /// // A service's own file: its names on top of the base, one limit changed.
    /// std::fs::write(
    ///     dir.join("billing/caci.toml"),
    ///     "extends = \"../org/caci-base.toml\"\nallowed_field_names = [\"plan\"]\n\
    ///      [limits]\nmax_string_len = 128\n",
    /// )?;
    /// let config = TelemetryCaptureConfiguration::from_path(dir.join("billing/caci.toml"))?;
    /// assert_eq!(config.spec().allowed_field_kinds, ["uuid", "enum"]);
    /// assert_eq!(config.spec().allowed_field_names, ["plan"]);
    /// assert_eq!(config.limits().max_depth, 2); // from the base
    /// assert_eq!(config.limits().max_string_len, 128); // the service's own
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// `extends` is a path relative to the file that holds it; a base may
    /// extend another. Lists (`scopes` too) are joined, base first, without
    /// duplicates; `capture_error_messages`, `scrub_values` and each limit
    /// come from the nearest file that sets them. `deny_floor_removals` is
    /// refused in a base: a service lifts the floor in its own file or not
    /// at all. A cycle, or a base that cannot be read, is an error at the
    /// `extends` that names it.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        load(path.as_ref()).result
    }

    /// The configuration as data (as a file would hold it).
    pub fn spec(&self) -> &ConfigSpec {
        &self.rules.spec
    }

    /// A short identity of this configuration's content; see [`ConfigId`].
    pub fn id(&self) -> ConfigId {
        ConfigId::of(&self.rules.spec)
    }

    /// How long `scope`, one of this configuration's scopes, lasts once installed.
    pub(crate) fn scope_ttl(&self, scope: &ScopeSpec) -> Option<std::time::Duration> {
        let index = self.rules.spec.scopes.iter().position(|own| own == scope)?;
        self.rules.scopes[index].ttl
    }

    /// Every leaf decision for a call site with these inputs (and output,
    /// captured under `return`), without calling anything: what the
    /// coverage report and tests read.
    ///
    /// ```
    /// use caci_core::{Input, Capture, TelemetryCaptureConfiguration};
    ///
    /// let config = TelemetryCaptureConfiguration::builder().allow_field("plan").build().unwrap();
    /// let inputs = [Input::new("plan", String::shape()), Input::new("note", String::shape())];
    /// let decisions = config.decisions(&inputs, None);
    /// assert!(decisions[0].verdict.is_captured());
    /// assert!(!decisions[1].verdict.is_captured());
    /// ```
    pub fn decisions(&self, inputs: &[crate::Input], output: Option<&crate::Shape>) -> Vec<crate::LeafDecision> {
        crate::plan::plan(&self.rules, None, inputs, output).decisions
    }

    /// Every leaf decision at `component`'s method `method` with these
    /// inputs (and output): as [`decisions`](Self::decisions), with the
    /// scopes for that method applied.
    ///
    /// ```
    /// use caci_core::{Capture, Input, TelemetryCaptureConfiguration};
    ///
    /// let config = TelemetryCaptureConfiguration::builder()
    ///     .scope("PaymentGateway", Some("authorize"), |scope| scope.allow_field("amount_cents"))
    ///     .build()
    ///     .unwrap();
    /// let inputs = [Input::new("amount_cents", u64::shape())];
    /// let at = config.decisions_at("PaymentGateway", "authorize", &inputs, None);
    /// assert!(at[0].verdict.is_captured());
    /// assert_eq!(at[0].scope.as_deref(), Some("PaymentGateway.authorize"));
    /// let elsewhere = config.decisions_at("PaymentGateway", "refund", &inputs, None);
    /// assert!(!elsewhere[0].verdict.is_captured());
    /// ```
    pub fn decisions_at(
        &self,
        component: &str,
        method: &str,
        inputs: &[crate::Input],
        output: Option<&crate::Shape>,
    ) -> Vec<crate::LeafDecision> {
        crate::plan::plan(&self.rules, Some((component, method)), inputs, output).decisions
    }

    /// Applies the decision rule ([`crate::rules::decision`]) to one leaf.
    pub fn decide(&self, leaf: &crate::rules::decision::Leaf<'_>) -> crate::rules::decision::Verdict {
        crate::rules::decision::decide(&self.rules, leaf)
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.rules.limits
    }

    /// The effective deny list (floor, additions, removals).
    pub fn deny_list(&self) -> &deny::DenyList {
        &self.rules.deny
    }

    /// Floor entries this configuration removed, shown wherever the
    /// configuration is reported so a removal is never silent.
    pub fn deny_floor_removals(&self) -> &[String] {
        &self.rules.deny_floor_removals
    }
}

/// Why a leaf of `kind` cannot be a metric label, if it cannot.
fn refused_label_kind(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Bool | Kind::Enum | Kind::String => None,
        Kind::Uuid => Some("a uuid"),
        Kind::SignedInteger | Kind::UnsignedInteger => Some("an integer"),
        Kind::Float => Some("a float"),
        Kind::Decimal => Some("a decimal"),
        Kind::DateTime => Some("a date-time"),
        Kind::Date => Some("a date"),
        Kind::Time => Some("a time"),
        Kind::Duration => Some("a duration"),
        Kind::List => Some("a list"),
        Kind::Map => Some("a map"),
        Kind::Struct | Kind::Opaque => Some("not a single value"),
    }
}

/// Each metric label against the registry of wrapped methods: the leaves it
/// names, as the span rules decide them at each method.
fn metric_label_problems(rules: &Arc<Rules>) -> Vec<crate::rules::Problem> {
    if rules.metric_labels.is_empty() {
        return Vec::new();
    }
    // (label index) -> (named anywhere, captured anywhere, first refusal)
    let mut seen = vec![(false, false, None::<String>); rules.metric_labels.len()];
    for descriptor in crate::MethodDescriptor::all() {
        let info = descriptor.info();
        let (inputs, output) = descriptor.shapes();
        let plan = crate::plan::plan(rules, Some((info.component, info.method)), &inputs, output.as_ref());
        for decision in &plan.decisions {
            for (label, state) in rules.metric_labels.iter().zip(seen.iter_mut()) {
                if !crate::rules::label_names(label, &decision.path) {
                    continue;
                }
                state.0 = true;
                if !decision.verdict.is_captured() {
                    continue;
                }
                state.1 = true;
                if let (Some(why), None) = (refused_label_kind(decision.kind), &state.2) {
                    state.2 = Some(format!(
                        "`{label}` is {why}: a metric label would create a series per value \
                         (`{}` at {}.{}; labels are bools, enums and strings)",
                        decision.path, info.component, info.method
                    ));
                }
            }
        }
    }
    let mut problems = Vec::new();
    for (index, (label, (named, captured, refused))) in rules.metric_labels.iter().zip(seen).enumerate() {
        let location = format!("metric_labels[{index}]");
        if let Some(message) = refused {
            problems.push(crate::rules::Problem::new(location, message));
        } else if named && !captured {
            problems.push(crate::rules::Problem::new(
                location,
                format!(
                    "`{label}` is never captured by the span rules: a label must be a leaf a span captures (allow it)"
                ),
            ));
        }
    }
    problems
}

/// Builds a [`TelemetryCaptureConfiguration`]; every problem is reported at
/// once by [`build`](Self::build).
#[derive(Clone, Debug, Default)]
#[must_use = "call `.build()` to get the configuration"]
pub struct ConfigBuilder {
    spec: ConfigSpec,
}

impl ConfigBuilder {
    /// Allows a plain name (matched at any depth) or a dotted path (one
    /// nested field, or one entry of a map).
    pub fn allow_field(mut self, name: impl Into<String>) -> Self {
        self.spec.allowed_field_names.push(name.into());
        self
    }

    /// Allows several names or paths.
    pub fn allow_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.spec.allowed_field_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Allows every leaf of a kind, wherever it is.
    pub fn allow_kind(mut self, kind: Kind) -> Self {
        self.spec.allowed_field_kinds.push(kind.name().to_owned());
        self
    }

    /// Allows every leaf of several kinds.
    pub fn allow_kinds(self, kinds: impl IntoIterator<Item = Kind>) -> Self {
        kinds.into_iter().fold(self, ConfigBuilder::allow_kind)
    }

    /// Makes every direct field of `T` (a type deriving `Telemetry`) eligible.
    pub fn allow_struct<T: ?Sized>(self) -> Self {
        self.allow_struct_named(type_path_of::<T>())
    }

    /// Makes every direct field of the type with this name (`"Business"`, or a
    /// full path) eligible.
    pub fn allow_struct_named(mut self, type_path: impl Into<String>) -> Self {
        self.spec.allowed_structs.push(type_path.into());
        self
    }

    /// Captures the map under this name or path as one `{key: value}` field.
    pub fn allow_dictionary(mut self, name: impl Into<String>) -> Self {
        self.spec.allowed_dictionaries.push(name.into());
        self
    }

    /// Adds an identifier to the deny list.
    pub fn deny_field(mut self, name: impl Into<String>) -> Self {
        self.spec.denied_field_names.push(name.into());
        self
    }

    /// Adds several identifiers to the deny list.
    pub fn deny_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.spec.denied_field_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Never captures values of this type, wherever they appear: its own
    /// name (`"Password"`), a full path (`"my_app::vault::Key"`), with `*`
    /// for any run of characters (`"*Secret*"`). Type names with a floor
    /// word (`Password`, `UserEmail`) are denied without this.
    ///
    /// ```
    /// let config = caci_core::TelemetryCaptureConfiguration::builder()
    ///     .allow_kind(caci_core::Kind::String)
    ///     .deny_type("*Secret*")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.spec().denied_types, ["*Secret*"]);
    /// ```
    pub fn deny_type(mut self, pattern: impl Into<String>) -> Self {
        self.spec.denied_types.push(pattern.into());
        self
    }

    /// Never captures values of `T`, wherever they appear (by its full path).
    pub fn deny_type_of<T: ?Sized>(self) -> Self {
        self.deny_type(type_path_of::<T>())
    }

    /// Whether method spans carry `duration_ns` (on by default). Off where
    /// spans go to OpenTelemetry, which stamps each span's start and end
    /// itself: a call then reads no clock for CACI (unless metrics time it).
    ///
    /// ```
    /// let config = caci_core::TelemetryCaptureConfiguration::builder().record_duration(false).build().unwrap();
    /// assert!(!config.spec().record_duration);
    /// ```
    pub fn record_duration(mut self, record: bool) -> Self {
        self.spec.record_duration = record;
        self
    }

    /// Whether captured strings that look like an email address, a payment
    /// card number, a JWT, an `Authorization` credential or an IBAN are
    /// replaced by a marker such as `[redacted: card]`. On by default; the
    /// allow list alone keeps out what it does not name, this catches a
    /// secret inside a field that is allowed.
    pub fn scrub_values(mut self, scrub: bool) -> Self {
        self.spec.scrub_values = scrub;
        self
    }

    /// Removes an identifier from the built-in deny floor: a floor entry
    /// (`"address"`: the word is lifted everywhere) or a name that has a
    /// floor word (`"token_count"`: only that name is exempted). Deliberately
    /// verbose: the removal is listed by
    /// [`deny_floor_removals`](TelemetryCaptureConfiguration::deny_floor_removals)
    /// and logged when the configuration is installed.
    pub fn remove_from_deny_floor(mut self, name: impl Into<String>) -> Self {
        self.spec.deny_floor_removals.push(name.into());
        self
    }

    /// Records a failed method's error message (its `Display`) as the span
    /// status's description, `otel.status_description`, scrubbed and cut
    /// like any captured string. Off by default: messages can carry
    /// personal data.
    pub fn capture_error_messages(mut self, capture: bool) -> Self {
        self.spec.capture_error_messages = capture;
        self
    }

    /// Records `code.file.path` and `code.line.number` on every wrapped
    /// method's span (`code.function.name` is always recorded). Off by
    /// default.
    pub fn capture_code_location(mut self, capture: bool) -> Self {
        self.spec.capture_code_location = capture;
        self
    }

    /// Counts and times every wrapped method as metrics, through the
    /// `metrics` facade: `caci.method.calls` and `caci.method.duration`
    /// (seconds), labelled by `component`, `method`, `outcome`, `error.type`
    /// (failures only) and the [`metric_labels`](Self::metric_labels). Needs
    /// caci-core's cargo feature `metrics`, and a recorder installed before
    /// the first call (`metrics-exporter-prometheus`, say).
    pub fn method_metrics(mut self, on: bool) -> Self {
        self.spec.method_metrics = on;
        self
    }

    /// Adds captured leaves, by name or dotted path, as labels of every
    /// wrapped method's metrics (see [`method_metrics`](Self::method_metrics)).
    ///
    /// A label takes its value from what the span captured, so the deny
    /// floor, `sensitive` and value scrubbing apply to it as to the span.
    /// Bools and enums make good labels; a string label is counted under
    /// `_other` past [`max_label_values`](Self::max_label_values) distinct
    /// values. UUIDs, numbers and dates are refused by [`build`](Self::build).
    ///
    /// ```
    /// let config = caci_core::TelemetryCaptureConfiguration::builder()
    ///     .allow_fields(["plan", "country"])
    ///     .method_metrics(true)
    ///     .metric_labels(["plan", "country"])
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.spec().metric_labels, ["plan", "country"]);
    /// ```
    pub fn metric_labels<I: IntoIterator<Item = S>, S: Into<String>>(mut self, labels: I) -> Self {
        self.spec.metric_labels.extend(labels.into_iter().map(Into::into));
        self
    }

    /// See [`Limits::max_series_per_method`].
    pub fn max_series_per_method(mut self, series: usize) -> Self {
        self.spec.limits.max_series_per_method = Some(series);
        self
    }

    /// See [`Limits::max_label_values`].
    pub fn max_label_values(mut self, values: usize) -> Self {
        self.spec.limits.max_label_values = Some(values);
        self
    }

    /// See [`Limits::max_depth`].
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.spec.limits.max_depth = Some(depth);
        self
    }

    /// See [`Limits::max_list_items`].
    pub fn max_list_items(mut self, items: usize) -> Self {
        self.spec.limits.max_list_items = Some(items);
        self
    }

    /// See [`Limits::max_string_len`].
    pub fn max_string_len(mut self, chars: usize) -> Self {
        self.spec.limits.max_string_len = Some(chars);
        self
    }

    /// See [`Limits::max_fields_per_span`].
    pub fn max_fields_per_span(mut self, fields: usize) -> Self {
        self.spec.limits.max_fields_per_span = Some(fields);
        self
    }

    /// Adds allowances that apply at `component`'s wrapped methods only, or
    /// at its method `method` only, on top of the global ones; the deny
    /// floor, `sensitive`, denied types and the limits still apply there.
    /// See [`ScopeBuilder`].
    ///
    /// ```
    /// use caci_core::TelemetryCaptureConfiguration;
    ///
    /// let config = TelemetryCaptureConfiguration::builder()
    ///     .scope("PaymentGateway", Some("authorize"), |scope| scope.allow_field("amount_cents"))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(config.spec().scopes[0].place(), "PaymentGateway.authorize");
    /// ```
    pub fn scope(
        mut self,
        component: impl Into<String>,
        method: Option<&str>,
        allow: impl FnOnce(ScopeBuilder) -> ScopeBuilder,
    ) -> Self {
        let scope = ScopeBuilder {
            spec: crate::rules::ScopeSpec::new(component, method),
        };
        self.spec.scopes.push(allow(scope).spec);
        self
    }

    /// Checks everything and builds the configuration, or reports every
    /// problem at once.
    pub fn build(self) -> Result<TelemetryCaptureConfiguration, ConfigError> {
        TelemetryCaptureConfiguration::from_spec(self.spec)
    }
}

/// `T`'s full path without its generic arguments: how `allowed_structs` and
/// `denied_types` name a type.
pub(crate) fn type_path_of<T: ?Sized>() -> &'static str {
    let name = std::any::type_name::<T>();
    name.split('<').next().unwrap_or(name)
}
