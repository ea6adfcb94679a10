//! Regression tests for the leaks a security review found: each case is a
//! class (generic call sites, types that share a name, recursion, panicking
//! impls, shadowed names, floor gaps), checked with a subscriber that
//! records every field name and value it is handed, spans and events alike.
#![allow(dead_code, unused_variables)] // fields and inputs exist to be (not) captured

use std::collections::BTreeMap;

use caci_core::{Capture, Kind, Level, Out, Shape, Telemetry, TelemetryCaptureConfiguration, component};
use caci_testkit::Captured;

/// Every (field, value) any span or event received.
fn everything(captured: &Captured) -> Vec<(String, String)> {
    let spans = captured.spans().iter().flat_map(|span| &span.fields);
    let events = captured.events().iter().flat_map(|event| &event.fields);
    spans
        .chain(events)
        .map(|(name, value)| (name.clone(), value.as_text()))
        .collect()
}

#[track_caller]
fn assert_nowhere(captured: &Captured, secret: &str) {
    for (name, value) in everything(captured) {
        assert!(
            !value.contains(secret),
            "`{secret}` reached a subscriber as `{name}` = {value:?}"
        );
        assert!(
            !name.contains(secret),
            "`{secret}` reached a subscriber as a field name"
        );
    }
}

fn config(build: impl FnOnce(caci_core::ConfigBuilder) -> caci_core::ConfigBuilder) -> TelemetryCaptureConfiguration {
    build(TelemetryCaptureConfiguration::builder())
        .build()
        .expect("valid configuration")
}

// ---------------------------------------------------------------- 1. leaks

#[derive(Telemetry)]
struct Public {
    plan: String,
}

#[derive(Telemetry)]
struct Private {
    #[telemetry(rename = "plan")]
    secret_code: String,
}

fn open_generic<T: Capture>(value: &T) {
    let _span = caci_core::span!(Level::INFO, "generic.open", value = value).entered();
}

#[test]
fn span_in_generic_code_plans_each_instantiation_by_its_type() {
    let config = config(|c| c.allow_field("plan").remove_from_deny_floor("secret_code"));
    let ((), captured) = caci_testkit::capture(&config, || {
        open_generic(&Public { plan: "PRO".into() });
        open_generic(&Private {
            secret_code: "hunter2-leak".into(),
        });
        open_generic(&Public { plan: "STARTER".into() });
    });
    let spans: Vec<_> = captured.spans_named("generic.open").collect();
    assert_eq!(spans.len(), 3);
    assert_eq!(
        spans[0].field("value.plan").map(|v| v.as_text()).as_deref(),
        Some("PRO")
    );
    assert_eq!(
        spans[2].field("value.plan").map(|v| v.as_text()).as_deref(),
        Some("STARTER")
    );
    // `Private` renames a field to `plan`: it is planned as its own type,
    // so its value lands under its own path, never under `Public`'s plan.
    assert_eq!(
        spans[1].field("value.plan").map(|v| v.as_text()).as_deref(),
        Some("hunter2-leak")
    );
}

#[derive(Telemetry)]
struct Credentials {
    password_hash: String,
}

fn open_generic_kind<T: Capture>(value: &T) {
    let _span = caci_core::span!(Level::INFO, "generic.kind", value = value).entered();
}

#[test]
fn a_generic_span_never_records_a_second_type_with_the_first_types_plan() {
    let config = config(|c| c.allow_field("plan"));
    let ((), captured) = caci_testkit::capture(&config, || {
        open_generic_kind(&Public { plan: "PRO".into() });
        open_generic_kind(&Credentials {
            password_hash: "hunter2-hash".into(),
        });
    });
    assert_nowhere(&captured, "hunter2-hash");
}

trait Subject: Capture + Sized {
    fn audit(&self) {
        let _span = caci_core::span!(Level::INFO, "Subject.audit", subject = self).entered();
    }
}

#[derive(Telemetry)]
struct Order {
    plan: String,
}

#[derive(Telemetry)]
struct Login {
    plan_code: String,
}

impl Subject for Order {}
impl Subject for Login {}

#[test]
fn a_trait_default_method_plans_each_implementor_apart() {
    let config = config(|c| c.allow_kind(Kind::String));
    let ((), captured) = caci_testkit::capture(&config, || {
        Order { plan: "PRO".into() }.audit();
        Login {
            plan_code: "CODE-9".into(),
        }
        .audit();
        Order { plan: "LEGACY".into() }.audit();
    });
    let spans: Vec<_> = captured.spans_named("Subject.audit").collect();
    assert_eq!(spans[0].field_names(), ["subject.plan"]);
    assert_eq!(
        spans[1].field_names(),
        ["subject.plan_code"],
        "its own field, under its own name"
    );
    assert_eq!(
        spans[2].field("subject.plan").map(|v| v.as_text()).as_deref(),
        Some("LEGACY")
    );
    assert!(spans[0].field("subject.plan_code").is_none());
}

struct Recorder;

#[component]
impl Recorder {
    fn put<T: Capture>(&self, payload: T) -> usize {
        std::mem::size_of_val(&payload)
    }
}

#[test]
fn block_local_types_that_share_a_name_get_their_own_plans() {
    let first = {
        #[derive(Telemetry)]
        struct Payload {
            plan: String,
        }
        Payload { plan: "PRO".into() }
    };
    let second = {
        #[derive(Telemetry)]
        struct Payload {
            #[telemetry(rename = "plan")]
            pin_hint: u64,
            note: String,
        }
        Payload {
            pin_hint: 4242,
            note: "block-local-secret".into(),
        }
    };
    assert_eq!(
        std::any::type_name_of_val(&first),
        std::any::type_name_of_val(&second),
        "the two types share a name"
    );
    let config = config(|c| c.allow_field("plan"));
    let ((), captured) = caci_testkit::capture(&config, || {
        Recorder.put(first);
        Recorder.put(second);
    });
    let spans: Vec<_> = captured.spans_named("Recorder.put").collect();
    assert_eq!(
        spans[0].field("payload.plan").map(|v| v.as_text()).as_deref(),
        Some("PRO")
    );
    // The second type's `plan` is a renamed `pin_hint`: `pin` is a floor
    // word of its declared name, so nothing of it is captured.
    assert_eq!(
        spans[1]
            .field_names()
            .iter()
            .filter(|n| n.starts_with("payload"))
            .count(),
        0
    );
    assert_nowhere(&captured, "4242");
    assert_nowhere(&captured, "block-local-secret");
}

// ------------------------------------------------------ 2. crashes

#[derive(Telemetry)]
struct Chain(Option<Box<Chain>>);

#[derive(Telemetry)]
struct Tree {
    name: String,
    children: Vec<Tree>,
    parent: Option<Box<Tree>>,
}

#[derive(Telemetry)]
enum Expr {
    Leaf(u64),
    Add(Box<Expr>, Box<Expr>),
    Named { name: String, inner: std::sync::Arc<Expr> },
}

#[derive(Telemetry)]
struct Ping(Vec<Pong>);

#[derive(Telemetry)]
struct Pong(BTreeMap<String, Ping>);

struct Shapes;

#[component]
impl Shapes {
    fn chain(&self, chain: &Chain) -> bool {
        chain.0.is_some()
    }
    fn tree(&self, tree: &Tree) -> usize {
        tree.children.len()
    }
    fn expr(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Add(..))
    }
    fn ping(&self, ping: &Ping) -> usize {
        ping.0.len()
    }
}

fn long_chain(length: usize) -> Chain {
    (0..length).fold(Chain(None), |inner, _| Chain(Some(Box::new(inner))))
}

#[test]
fn recursive_types_plan_record_and_report_within_the_depth_limit() {
    let config = config(|c| {
        c.allow_kind(Kind::String)
            .allow_kind(Kind::UnsignedInteger)
            .max_depth(4)
    });
    let deep_tree = (0..50).fold(
        Tree {
            name: "leaf".into(),
            children: vec![],
            parent: None,
        },
        |inner, level| Tree {
            name: format!("level{level}"),
            children: vec![],
            parent: Some(Box::new(inner)),
        },
    );
    let expr = (0..50).fold(Expr::Leaf(1), |inner, _| {
        Expr::Add(Box::new(inner), Box::new(Expr::Leaf(2)))
    });
    let ping = Ping(vec![Pong(BTreeMap::from([("k".to_owned(), Ping(vec![]))]))]);
    let chain = long_chain(10_000);
    let (results, captured) = caci_testkit::capture(&config, || {
        (
            Shapes.chain(&chain),
            Shapes.tree(&deep_tree),
            Shapes.expr(&expr),
            Shapes.ping(&ping),
        )
    });
    assert_eq!(results, (true, 0, true, 1), "every body ran unchanged");
    let tree = captured.span("Shapes.tree");
    assert!(tree.field("tree.name").is_some());
    for (name, _) in &tree.fields {
        assert!(name.split('.').count() <= 4, "`{name}` is deeper than max_depth");
    }
    assert!(captured.span("Shapes.chain").field("outcome").is_some());
    drop(chain);

    // The coverage report of the same methods builds and is finite.
    let report = caci_core::coverage::CoverageReport::from_registry(&config);
    let component = report
        .components
        .iter()
        .find(|component| component.name == "Shapes")
        .expect("the component is reported");
    assert_eq!(component.methods.len(), 4);
    assert!(component.totals.leaves < 1_000, "{} leaves", component.totals.leaves);
}

/// A hand-written impl whose visit panics: nothing of it is allowed, or
/// only part of it is.
struct Exploding(u64);

impl Capture for Exploding {
    fn shape() -> Shape {
        Shape::scalar::<Self>(Kind::UnsignedInteger)
    }
    fn record<'v>(&'v self, _out: Out<'_, 'v>) {
        panic!("a Capture impl that panics");
    }
}

struct Payments;

#[component]
impl Payments {
    fn charge(&self, amount: Exploding, plan: &str) -> u64 {
        amount.0 * 2
    }
}

#[test]
fn a_panicking_capture_impl_never_changes_the_call() {
    let before = caci_core::safety_counters().contained_panics;
    // Not allowed: never visited, so the panic cannot happen.
    let nothing = config(|c| c.allow_field("plan"));
    let (doubled, captured) = caci_testkit::capture(&nothing, || Payments.charge(Exploding(21), "PRO"));
    assert_eq!(doubled, 42);
    captured.span("Payments.charge").assert_field("plan", "PRO");
    assert_eq!(caci_core::safety_counters().contained_panics, before);

    // Allowed: visited, the panic is contained, the other input stays.
    let allowed = config(|c| c.allow_fields(["plan", "amount"]));
    let (doubled, captured) = caci_testkit::capture(&allowed, || Payments.charge(Exploding(21), "PRO"));
    assert_eq!(doubled, 42, "the body ran unchanged");
    let span = captured.span("Payments.charge");
    span.assert_field("plan", "PRO").assert_no_field("amount");
    assert_eq!(span.outcome().as_deref(), Some("ok"));
    assert!(caci_core::safety_counters().contained_panics > before);
}

// ------------------------------------------------------ CACI's own names

#[derive(Telemetry)]
enum PaymentOutcome {
    Approved,
    Declined,
}

#[derive(Telemetry)]
struct Otel {
    status_code: String,
    kind: String,
}

struct Gateway;

#[component]
impl Gateway {
    fn settle(&self, outcome: PaymentOutcome, otel: Otel, duration_ns: u64, plan: &str) -> bool {
        matches!(outcome, PaymentOutcome::Approved)
    }
}

#[test]
fn cacis_own_field_names_cannot_be_shadowed() {
    let config = config(|c| c.allow_kinds([Kind::Enum, Kind::String, Kind::UnsignedInteger]));
    let (approved, captured) = caci_testkit::capture(&config, || {
        Gateway.settle(
            PaymentOutcome::Declined,
            Otel {
                status_code: "OK".into(),
                kind: "server".into(),
            },
            7,
            "PRO",
        )
    });
    assert!(!approved);
    let span = captured.span("Gateway.settle");
    let names = span.field_names();
    for own in ["outcome", "duration_ns"] {
        assert_eq!(names.iter().filter(|name| **name == own).count(), 1, "{names:?}");
    }
    assert!(
        !names
            .iter()
            .any(|name| name.starts_with("otel.") && *name != "otel.status_code")
    );
    assert_eq!(span.outcome().as_deref(), Some("ok"));
    assert!(span.field("otel.status_code").is_none(), "an ok call sets no status");
    span.assert_field("plan", "PRO");
    let report = caci_core::coverage::CoverageReport::from_registry(&config);
    let method = report
        .components
        .iter()
        .flat_map(|component| &component.methods)
        .find(|method| method.name == "settle")
        .expect("settle is reported");
    let reserved = method
        .leaves
        .iter()
        .filter(|leaf| leaf.verdict.to_string().contains("reserved"))
        .count();
    assert_eq!(reserved, 4, "outcome, otel.status_code, otel.kind, duration_ns");
}

#[derive(Telemetry)]
struct Collides {
    plan: String,
    #[telemetry(flatten)]
    inner: Inner,
}

#[derive(Telemetry)]
struct Inner {
    plan: String,
}

#[test]
fn a_path_is_captured_once() {
    let config = config(|c| c.allow_field("plan"));
    let value = Collides {
        plan: "OUTER".into(),
        inner: Inner { plan: "INNER".into() },
    };
    let ((), captured) = caci_testkit::capture(&config, || {
        let _span = caci_core::span!(Level::INFO, "collides", value = value).entered();
    });
    let span = captured.span("collides");
    assert_eq!(span.field_names(), ["value.plan"]);
    span.assert_field("value.plan", "OUTER");
}

// ------------------------------------------------- 5. record! after opening

#[derive(Telemetry, Clone, Copy)]
enum FeatureGroup {
    Legacy,
    Pro,
}

struct Catalog;

#[component]
impl Catalog {
    fn feature_group_for(&self, plan: &str) -> FeatureGroup {
        let group = if plan == "PRO" {
            FeatureGroup::Pro
        } else {
            FeatureGroup::Legacy
        };
        caci_core::record!(feature_group = group);
        caci_core::record!(
            outcome = "hacked",
            plan = "shadowed",
            owner_email = "leak@record.example"
        );
        group
    }
}

#[test]
fn record_adds_allowed_values_and_never_shadows_or_duplicates() {
    let wide = config(|c| c.allow_fields(["plan", "feature_group"]).allow_kind(Kind::String));
    let (_, captured) = caci_testkit::capture(&wide, || Catalog.feature_group_for("STARTER"));
    let span = captured.span("Catalog.feature_group_for");
    span.assert_field("feature_group", "Legacy")
        .assert_field("plan", "STARTER");
    let names = span.field_names();
    for own in ["outcome", "plan", "feature_group"] {
        assert_eq!(names.iter().filter(|name| **name == own).count(), 1, "{names:?}");
    }
    assert_eq!(span.outcome().as_deref(), Some("ok"));
    assert_nowhere(&captured, "hacked");
    assert_nowhere(&captured, "shadowed");
    assert_nowhere(&captured, "leak@record.example");

    let narrow = config(|c| c.allow_field("plan"));
    let (_, captured) = caci_testkit::capture(&narrow, || Catalog.feature_group_for("PRO"));
    captured
        .span("Catalog.feature_group_for")
        .assert_no_field("feature_group");
}

#[test]
fn record_outside_a_caci_span_records_nothing() {
    let config = config(|c| c.allow_field("feature_group"));
    let ((), captured) = caci_testkit::capture(&config, || {
        let _plain = tracing::info_span!("plain", feature_group = tracing::field::Empty).entered();
        caci_core::record!(feature_group = FeatureGroup::Pro);
    });
    assert!(
        captured.span("plain").field("feature_group").is_none(),
        "not a CACI span"
    );
}
