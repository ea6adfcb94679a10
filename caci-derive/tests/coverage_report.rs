//! The coverage report of real `#[component]`s: the scope that captured each
//! leaf, scopes that match nothing, the configuration's id, and the
//! instantiations of generic methods.
#![allow(dead_code, unused_variables)] // inputs exist to be (not) captured

use caci_core::coverage::{CoverageReport, Gate, MethodReport, RenderOptions};
use caci_core::{Capture, MethodDescriptor, Telemetry, TelemetryCaptureConfiguration, component};

struct PaymentGateway;

#[component]
impl PaymentGateway {
    fn authorize(&self, amount_cents: u64, currency: &str) -> bool {
        true
    }

    fn refund(&self, amount_cents: u64) -> bool {
        true
    }
}

#[derive(Telemetry, Clone)]
struct Shipping {
    carrier: String,
    weight_grams: u64,
}

struct Warehouse;

#[component]
impl Warehouse {
    fn put<T: Capture>(&self, item: T) -> bool {
        true
    }

    fn put_any(&self, item: impl Capture, note: &str) -> bool {
        true
    }
}

fn report_of(config: &TelemetryCaptureConfiguration, component: &str) -> CoverageReport {
    CoverageReport::build(
        config,
        MethodDescriptor::all().filter(|descriptor| descriptor.info().component == component),
    )
}

fn method<'r>(report: &'r CoverageReport, name: &str) -> &'r MethodReport {
    report.components[0]
        .methods
        .iter()
        .find(|method| method.name == name)
        .unwrap()
}

#[test]
fn each_leaf_names_the_scope_that_captured_it_in_every_format() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("currency")
        .scope("PaymentGateway", Some("authorize"), |scope| {
            scope.allow_field("amount_cents")
        })
        .build()
        .unwrap();
    let report = report_of(&config, "PaymentGateway");
    let authorize = method(&report, "authorize");
    assert_eq!(authorize.leaves[0].scope.as_deref(), Some("PaymentGateway.authorize"));
    assert_eq!(authorize.leaves[1].scope, None, "allowed by the global list");
    assert_eq!(method(&report, "refund").leaves[0].scope, None);
    assert!(report.unmatched_scopes.is_empty());

    let verdict = "captured (name allowed, scope PaymentGateway.authorize)";
    assert_eq!(authorize.leaves[0].verdict_text(), verdict);
    assert!(report.render_text(RenderOptions::default()).contains(verdict));
    assert!(report.render_markdown().contains(verdict));
    assert!(report.render_html().contains(verdict));
    let json = report.to_json();
    assert!(json.contains("\"scope\": \"PaymentGateway.authorize\""), "{json}");
    assert_eq!(json.matches("\"scope\"").count(), 1, "only where a scope captured");
    assert_eq!(CoverageReport::from_json(&json).unwrap(), report);
}

#[test]
fn scopes_that_match_nothing_are_reported_and_do_not_fail_the_gate() {
    let config = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", Some("capture"), |scope| {
            scope.allow_field("amount_cents")
        })
        .scope("Elsewhere", None, |scope| scope.allow_field("amount_cents"))
        .scope("PaymentGateway", Some("refund"), |scope| {
            scope.allow_field("amount_cents")
        })
        .build()
        .unwrap();
    let report = report_of(&config, "PaymentGateway");
    assert_eq!(report.unmatched_scopes, ["PaymentGateway.capture", "Elsewhere"]);

    let text = report.render_text(RenderOptions::default());
    assert!(
        text.contains("Warning: scope `PaymentGateway.capture` matches nothing: not a wrapped method here"),
        "{text}"
    );
    assert!(text.contains("Warning: scope `Elsewhere` matches nothing: no wrapped method of `Elsewhere` here"));
    assert!(
        report
            .render_markdown()
            .contains("> **Warning:** scope `Elsewhere` matches nothing")
    );
    assert!(
        report
            .render_html()
            .contains("data-warning=\"unmatched-scope\" data-scope=\"Elsewhere\"")
    );
    let json = report.to_json();
    assert!(
        json.contains("\"unmatched_scopes\": [\n    \"PaymentGateway.capture\",\n    \"Elsewhere\"\n  ]"),
        "{json}"
    );
    assert_eq!(CoverageReport::from_json(&json).unwrap(), report);

    let outcome = Gate {
        min_percent: Some(0.0),
        baseline: None,
    }
    .check(&report);
    assert!(outcome.passed(), "a warning, not a failure");
    assert_eq!(
        outcome.to_string(),
        "coverage gate passed\n\
         warning (not a failure): scope `PaymentGateway.capture` matches nothing: not a wrapped method here\n\
         warning (not a failure): scope `Elsewhere` matches nothing: no wrapped method of `Elsewhere` here\n"
    );
}

#[test]
fn the_header_carries_the_configurations_id() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("currency")
        .build()
        .unwrap();
    let report = report_of(&config, "PaymentGateway");
    let id = config.id().to_string();
    assert_eq!(report.configuration_id.as_deref(), Some(id.as_str()));
    let text = report.render_text(RenderOptions::default());
    assert_eq!(
        text.lines().nth(1).unwrap(),
        format!("Configuration {id} (config.id in CACI's change events)")
    );
    assert!(report.render_markdown().contains(&format!("Configuration `{id}`")));
    assert!(
        report
            .render_html()
            .contains(&format!("data-configuration-id=\"{id}\""))
    );
    assert!(report.to_json().contains(&format!("\"configuration_id\": \"{id}\"")));
}

#[test]
fn reports_written_before_scopes_ids_and_instantiations_still_read() {
    let config = TelemetryCaptureConfiguration::builder()
        .scope("PaymentGateway", None, |scope| scope.allow_field("amount_cents"))
        .build()
        .unwrap();
    let report = report_of(&config, "PaymentGateway");
    // Written before: no `configuration_id`, no leaf `scope` (each on a
    // line of its own, never the last field of its object).
    let json: String = report
        .to_json()
        .lines()
        .filter(|line| !line.contains("\"configuration_id\"") && !line.contains("\"scope\""))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(!json.contains("scope\""));
    let old = CoverageReport::from_json(&json).unwrap();
    assert_eq!(old.configuration_id, None);
    assert!(old.places().all(|(_, leaf)| leaf.scope.is_none()));
    assert_eq!(old.totals, report.totals);
}

#[test]
fn a_generic_method_lists_the_instantiations_called_without_counting_them() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(["item.carrier", "note"])
        .allow_kind(caci_core::Kind::UnsignedInteger)
        .build()
        .unwrap();
    // Planned when called with a subscriber listening at their level.
    caci_testkit::capture(&TelemetryCaptureConfiguration::default(), || {
        Warehouse.put(Shipping {
            carrier: "DHL".into(),
            weight_grams: 900,
        });
        Warehouse.put(7_u64);
        Warehouse.put_any(true, "first");
    });
    let report = report_of(&config, "Warehouse");

    let put = method(&report, "put");
    assert_eq!(put.leaves.len(), 1, "the generic input, once");
    assert_eq!(
        put.leaves[0].verdict_text(),
        "depends on the type of each call (generic: see its instantiations)"
    );
    let labels: Vec<&str> = put.instantiations.iter().map(|i| i.types.as_str()).collect();
    assert_eq!(labels, ["item: Shipping", "item: u64"]);
    let shipping: Vec<(&str, bool)> = put.instantiations[0]
        .leaves
        .iter()
        .map(|leaf| (leaf.path.as_str(), leaf.verdict.is_captured()))
        .collect();
    assert_eq!(shipping, [("item.carrier", true), ("item.weight_grams", true)]);
    assert!(put.instantiations[1].leaves[0].verdict.is_captured());
    // Counted once, as reachable; the instantiations' leaves are not counted.
    assert_eq!(
        (put.totals.leaves, put.totals.captured, put.totals.reachable()),
        (1, 0, 1)
    );
    assert_eq!(method(&report, "put_any").instantiations[0].types, "item: bool");
    assert_eq!(report.totals.leaves, 3);

    let text = report.render_text(RenderOptions::default());
    assert!(!text.contains("not captured: depends"), "{text}");
    insta::assert_snapshot!(text);
    let json = report.to_json();
    assert!(
        json.contains("\"instantiations\": [\n            {\n              \"types\": \"item: Shipping\""),
        "{json}"
    );
    assert_eq!(CoverageReport::from_json(&json).unwrap(), report);
}
