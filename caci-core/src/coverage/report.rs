//! The report's data: components, methods, leaves and their verdicts.

use serde::{Deserialize, Serialize};

use super::constructor::is_constructor;
use super::instantiation::{InstantiationReport, instantiations, reconcile};
use super::leaf::{LeafReport, Place};
use super::source::ConfigurationSource;
use super::subject::Subject;
use super::suggest::{self, Suggestion};
use super::totals::Totals;
use super::unmatched::unmatched_scopes;
use crate::config::{ConfigSpec, TelemetryCaptureConfiguration};
use crate::method::{MethodDescriptor, SkippedMethod};
use crate::plan::LeafDecision;

/// What every wrapped method would capture under one configuration, with
/// totals and ranked suggestions. Built from the registry without calling
/// any method; see the [module documentation](super) for an example and the
/// JSON schema.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageReport {
    /// Totals over every component (constructors left out).
    pub totals: Totals,
    /// The service (program) the report is of, when known: the CLI sets the
    /// binary's name, or `--service NAME`. `coverage merge` shows it.
    pub service: Option<String>,
    /// The configuration the report was built with.
    pub configuration: ConfigSpec,
    /// That configuration's id ([`TelemetryCaptureConfiguration::id`], 8 hex
    /// digits), as CACI's change events carry it in `config.id`: compare the
    /// two to know the report is of the configuration running. `None` in a
    /// report read from JSON written before the id was.
    pub configuration_id: Option<String>,
    /// The configuration's scopes that apply at no method of the report
    /// (as `PaymentGateway` or `PaymentGateway.authorize`): their component
    /// has no wrapped method here, or their method is not a wrapped method
    /// of it. Every rendering warns of them; the gate prints them and does
    /// not fail (a shared base configuration may hold other services'
    /// scopes).
    pub unmatched_scopes: Vec<String>,
    /// Where that configuration came from; a report of
    /// [`NothingInstalled`](ConfigurationSource::NothingInstalled) says so
    /// in every rendering.
    pub configuration_source: ConfigurationSource,
    /// Every component, sorted by name.
    pub components: Vec<ComponentReport>,
    /// Additions that would capture more, best first; none of them touches a
    /// name that looks personal.
    pub suggestions: Vec<Suggestion>,
    /// Additions that would capture more but touch names that look personal
    /// (see [`looks_personal`](super::looks_personal)): for a human to
    /// review, never suggested. Best first.
    pub needs_review: Vec<Suggestion>,
}

/// One component: a type whose impl block is wrapped with `#[component]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentReport {
    /// The component's name, e.g. `SubscriptionService`.
    pub name: String,
    /// Totals over its methods, constructors left out.
    pub totals: Totals,
    /// Its methods, sorted by name (then by source location).
    pub methods: Vec<MethodReport>,
}

/// One wrapped method.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodReport {
    /// The method's name.
    pub name: String,
    /// Its signature as written, e.g. `initialize_business(&self, business: &Business) -> Subscription`.
    pub signature: String,
    /// The span it opens, e.g. `SubscriptionService.initialize_business`.
    pub span: String,
    /// The source file.
    pub file: String,
    /// The source line.
    pub line: u32,
    /// Whether it captures its output (leaves under `return`).
    pub captures_output: bool,
    /// Marked `#[caci(skip)]`: not wrapped, no leaves, not counted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
    /// A constructor: an associated function without a `self` receiver that
    /// returns `Self` or the component (bare, or in `Result`, `Option`,
    /// `Arc`, `Box`, `Rc`), e.g. `new(repo: Arc<dyn Repo>) -> Self`. Its
    /// leaves are listed but not counted in the component's or the report's
    /// totals, and no suggestion comes from them: a constructor's inputs are
    /// wiring, not requests. Its own `totals` still count its leaves.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub constructor: bool,
    /// Totals over its leaves.
    pub totals: Totals,
    /// Every leaf decision, in the order the inputs' shapes are walked.
    pub leaves: Vec<LeafReport>,
    /// For a generic method, the instantiations planned so far in the
    /// process that built the report, each with its own leaves: shown, not
    /// counted (see [`InstantiationReport`]). Empty for other methods, and
    /// for generic ones this process has not called.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instantiations: Vec<InstantiationReport>,
}

impl From<&LeafDecision> for LeafReport {
    fn from(decision: &LeafDecision) -> Self {
        LeafReport {
            path: decision.path.clone(),
            rust_type: decision.rust_type.clone(),
            kind: decision.kind,
            item_kind: decision.item_kind,
            enclosing_type: decision.enclosing_type.map(str::to_owned),
            verdict: decision.verdict.clone(),
            scope: decision.scope.clone(),
        }
    }
}

impl CoverageReport {
    /// The report for `methods` under `config`. Reads each method's
    /// [`info`](MethodDescriptor::info), [`site`](MethodDescriptor::site) and
    /// [`shapes`](MethodDescriptor::shapes) and, for generic methods,
    /// [`instantiations`](MethodDescriptor::instantiations); calls nothing
    /// else.
    ///
    /// Time and memory are linear in the number of leaves (suggestions
    /// included; see [`Suggestion`]).
    pub fn build<'a>(
        config: &TelemetryCaptureConfiguration,
        methods: impl IntoIterator<Item = &'a MethodDescriptor>,
    ) -> CoverageReport {
        let descriptors: Vec<&MethodDescriptor> = methods.into_iter().collect();
        let wrapped = descriptors
            .iter()
            .map(|descriptor| (descriptor.info().component, descriptor.info().method));
        let unmatched_scopes = unmatched_scopes(config.spec(), wrapped);
        let mut subjects: Vec<Subject> = descriptors
            .into_iter()
            .map(|descriptor| {
                let info = descriptor.info();
                let site = descriptor.site();
                let (inputs, output) = descriptor.shapes();
                let output = output.filter(|_| info.captures_output);
                let mut decisions = config.decisions_at(info.component, info.method, &inputs, output.as_ref());
                let instantiations = instantiations(config, descriptor, (&inputs, output.as_ref()));
                reconcile(&mut decisions, &instantiations);
                Subject {
                    info,
                    site,
                    inputs,
                    output,
                    decisions,
                    instantiations,
                    constructor: is_constructor(info),
                }
            })
            .collect();
        subjects.sort_by(report_order);
        let (constructors, counted): (Vec<Subject>, Vec<Subject>) =
            subjects.into_iter().partition(|subject| subject.constructor);
        let (suggestions, needs_review) = suggest::suggest(config, &counted);
        let mut subjects = counted;
        subjects.extend(constructors);
        subjects.sort_by(report_order);

        let mut components: Vec<ComponentReport> = Vec::new();
        let mut totals = Totals::default();
        for subject in &subjects {
            let method = subject.report();
            if !method.constructor {
                totals.merge(&method.totals);
            }
            push_method(&mut components, subject.info.component, method);
        }
        CoverageReport {
            totals,
            service: None,
            configuration: config.spec().clone(),
            configuration_id: Some(config.id().to_string()),
            unmatched_scopes,
            configuration_source: ConfigurationSource::Given,
            components,
            suggestions,
            needs_review,
        }
    }

    /// [`build`](Self::build), plus methods marked `#[caci(skip)]`, listed
    /// as skipped (no leaves; not counted).
    pub fn build_with_skipped<'a>(
        config: &TelemetryCaptureConfiguration,
        methods: impl IntoIterator<Item = &'a MethodDescriptor>,
        skipped: impl IntoIterator<Item = &'a SkippedMethod>,
    ) -> CoverageReport {
        let mut report = CoverageReport::build(config, methods);
        for method in skipped {
            let entry = MethodReport {
                name: method.method.to_owned(),
                signature: method.signature.to_owned(),
                span: format!("{}.{}", method.component, method.method),
                file: method.file.to_owned(),
                line: method.line,
                captures_output: false,
                skipped: true,
                constructor: false,
                totals: Totals::default(),
                leaves: Vec::new(),
                instantiations: Vec::new(),
            };
            match report
                .components
                .iter_mut()
                .find(|component| component.name == method.component)
            {
                Some(component) => component.methods.push(entry),
                None => report.components.push(ComponentReport {
                    name: method.component.to_owned(),
                    totals: Totals::default(),
                    methods: vec![entry],
                }),
            }
        }
        report.components.sort_by(|a, b| a.name.cmp(&b.name));
        for component in &mut report.components {
            component
                .methods
                .sort_by(|a, b| (&a.name, &a.file, a.line).cmp(&(&b.name, &b.file, b.line)));
        }
        report
    }
}

/// Components by name, then methods by name and source location.
fn report_order(a: &Subject, b: &Subject) -> std::cmp::Ordering {
    let key = |subject: &Subject| {
        (
            subject.info.component,
            subject.info.method,
            subject.site.file,
            subject.site.line,
        )
    };
    key(a).cmp(&key(b))
}

/// Appends `method` to its component (methods arrive sorted by component).
fn push_method(components: &mut Vec<ComponentReport>, component_name: &str, method: MethodReport) {
    match components.last_mut() {
        Some(component) if component.name == component_name => {
            if !method.constructor {
                component.totals.merge(&method.totals);
            }
            component.methods.push(method);
        }
        _ => components.push(ComponentReport {
            name: component_name.to_owned(),
            totals: if method.constructor {
                Totals::default()
            } else {
                method.totals.clone()
            },
            methods: vec![method],
        }),
    }
}

impl CoverageReport {
    /// The report for every wrapped method linked into this program
    /// ([`MethodDescriptor::all`]), and every method marked
    /// `#[caci(skip)]` ([`SkippedMethod::all`]).
    pub fn from_registry(config: &TelemetryCaptureConfiguration) -> CoverageReport {
        CoverageReport::build_with_skipped(config, MethodDescriptor::all(), SkippedMethod::all())
    }

    /// Every leaf with its place, in report order.
    pub fn places(&self) -> impl Iterator<Item = (Place, &LeafReport)> + '_ {
        self.components.iter().flat_map(|component| {
            component.methods.iter().flat_map(move |method| {
                method
                    .leaves
                    .iter()
                    .map(move |leaf| (Place::new(&component.name, &method.name, &leaf.path), leaf))
            })
        })
    }
}

impl Subject {
    fn report(&self) -> MethodReport {
        let mut totals = Totals::default();
        let leaves = self
            .decisions
            .iter()
            .map(|decision| {
                totals.add(&decision.verdict);
                LeafReport::from(decision)
            })
            .collect();
        MethodReport {
            name: self.info.method.to_owned(),
            signature: self.info.signature.to_owned(),
            span: self.site.name.to_owned(),
            file: self.site.file.to_owned(),
            line: self.site.line,
            captures_output: self.info.captures_output,
            skipped: false,
            constructor: self.constructor,
            totals,
            leaves,
            instantiations: self.instantiations.clone(),
        }
    }
}
