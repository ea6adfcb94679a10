//! What the coverage report holds: every component, method and leaf, with
//! its verdict, and the totals.

mod coverage_fixture;

use caci_core::__private::MethodSite;
use caci_core::coverage::{CoverageReport, LeafReport, Place, Totals};
use caci_core::{Capture, Input, MethodDescriptor, MethodInfo, Shape, TelemetryCaptureConfiguration};
use coverage_fixture::{METHODS, Receipt, config};

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

fn verdict_at(report: &CoverageReport, component: &str, method: &str, path: &str) -> String {
    let wanted = Place::new(component, method, path);
    let found: Vec<&LeafReport> = report
        .places()
        .filter(|(place, _)| *place == wanted)
        .map(|(_, leaf)| leaf)
        .collect();
    assert_eq!(found.len(), 1, "exactly one leaf at {wanted}");
    found[0].verdict.to_string()
}

#[test]
fn every_rule_and_every_reason_is_shown_with_its_words() {
    let report = report();
    let expected = [
        (
            "SubscriptionService",
            "initialize_business",
            "business.business_id",
            "captured (kind allowed)",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.country",
            "captured (name allowed)",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.owner.user_id",
            "captured (path allowed)",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.flags",
            "captured (dictionary allowed)",
        ),
        ("Billing", "charge", "return.receipt_id", "captured (struct allowed)"),
        (
            "SubscriptionService",
            "initialize_business",
            "business.tier",
            "not captured: not allowed",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.email",
            "not captured: `email` is denied",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.internal_note",
            "not captured: `internal_note` is denied",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "business.card_token",
            "not captured: marked sensitive",
        ),
        (
            "SubscriptionService",
            "initialize_business",
            "ledger",
            "not captured: type not capturable",
        ),
        (
            "Billing",
            "charge",
            "audit.step.detail",
            "not captured: beyond the depth limit",
        ),
    ];
    for (component, method, path, words) in expected {
        assert_eq!(
            verdict_at(&report, component, method, path),
            words,
            "{component}.{method}: {path}"
        );
    }
}

#[test]
fn a_leaf_over_the_field_limit_says_so() {
    let tight = TelemetryCaptureConfiguration::builder()
        .allow_fields(["currency"])
        .allow_struct_named("Receipt")
        .max_fields_per_span(2)
        .build()
        .unwrap();
    let report = CoverageReport::build(&tight, &METHODS);
    assert_eq!(
        verdict_at(&report, "Billing", "charge", "currency"),
        "captured (name allowed)"
    );
    assert_eq!(
        verdict_at(&report, "Billing", "charge", "return.receipt_id"),
        "captured (struct allowed)"
    );
    assert_eq!(
        verdict_at(&report, "Billing", "charge", "return.total_cents"),
        "not captured: beyond the fields-per-span limit"
    );
    assert_eq!(report.totals.not_captured.field_limit, 1);
}

#[test]
fn struct_inputs_expand_to_their_fields_with_rendered_types_and_kinds() {
    let report = report();
    let method = &report.components[1].methods[1];
    assert_eq!(method.name, "initialize_business");
    let rows: Vec<String> = method
        .leaves
        .iter()
        .map(|leaf| format!("{}: {} ({})", leaf.path, leaf.rust_type, leaf.kind))
        .collect();
    assert_eq!(
        rows,
        [
            "business.business_id: BusinessId (uuid)",
            "business.tier: Tier (enum)",
            "business.country: String (string)",
            "business.email: String (string)",
            "business.card_token: String (opaque)",
            "business.internal_note: String (string)",
            "business.owner.user_id: Uuid (uuid)",
            "business.owner.display_name: String (string)",
            "business.flags: BTreeMap<String, bool> (map)",
            "ledger: Ledger (opaque)",
        ]
    );
    assert_eq!(
        method.leaves[0].enclosing_type.as_deref(),
        Some(std::any::type_name::<coverage_fixture::Business>())
    );
    assert_eq!(method.leaves[9].enclosing_type, None);
}

#[test]
fn components_and_methods_are_sorted_whatever_the_registration_order() {
    let report = report();
    let names: Vec<(&str, Vec<&str>)> = report
        .components
        .iter()
        .map(|component| {
            let methods = component.methods.iter().map(|method| method.name.as_str()).collect();
            (component.name.as_str(), methods)
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Billing", vec!["charge", "refund"]),
            ("SubscriptionService", vec!["activate_features", "initialize_business"]),
        ]
    );
    let charge = &report.components[0].methods[0];
    assert_eq!(
        charge.signature,
        "charge(&self, amount_cents: i64, currency: String, audit: Audit) -> Receipt"
    );
    assert_eq!(
        (charge.span.as_str(), charge.file.as_str(), charge.line),
        ("Billing.charge", "src/service.rs", 50)
    );
    assert!(
        report.components[0].methods[1].leaves.is_empty(),
        "refund has no inputs"
    );
}

static NO_OUTPUT: MethodSite = MethodSite::new(
    caci_core::__private::SiteInfo {
        name: "Billing.quote",
        target: "app",
        level: caci_core::Level::INFO,
        module_path: "app",
        file: "src/billing.rs",
        line: 1,
        inputs: &["amount_cents"],
    },
    MethodInfo {
        component: "Billing",
        method: "quote",
        signature: "quote(&self, amount_cents: i64) -> Receipt",
        input_types: &["i64"],
        output_type: "Receipt",
        captures_output: false,
    },
);

fn quote_shapes() -> (Vec<Input>, Option<Shape>) {
    let input = Input::new("amount_cents", i64::shape());
    (vec![input], Some(Receipt::shape()))
}

#[test]
fn outputs_are_listed_under_return_only_when_the_method_captures_them() {
    let report = report();
    let activate = &report.components[1].methods[0];
    let return_leaf = activate.leaves.iter().find(|leaf| leaf.path == "return").unwrap();
    assert_eq!(return_leaf.rust_type, "Vec<Tier>");
    assert_eq!(return_leaf.item_kind, Some(caci_core::Kind::Enum));

    let quote = MethodDescriptor::new(&NO_OUTPUT, quote_shapes);
    let report = CoverageReport::build(&config(), [&quote]);
    let paths: Vec<&str> = report.places().map(|(_, leaf)| leaf.path.as_str()).collect();
    assert_eq!(paths, ["amount_cents"], "the output is not captured, so not listed");
}

#[test]
fn totals_count_every_leaf_once_per_method_component_and_overall() {
    let report = report();
    let summary = |totals: &Totals| (totals.captured, totals.leaves, totals.percent_text());
    assert_eq!(summary(&report.totals), (8, 18, "44.4%".to_owned()));
    assert_eq!(summary(&report.components[0].totals), (3, 5, "60.0%".to_owned()));
    assert_eq!(summary(&report.components[1].totals), (5, 13, "38.5%".to_owned()));
    let refund = &report.components[0].methods[1].totals;
    assert_eq!(
        (refund.leaves, refund.percent(), refund.percent_text()),
        (0, None, "n/a".to_owned())
    );

    let reasons: Vec<(&str, usize)> = report.totals.not_captured.iter().collect();
    assert_eq!(
        reasons,
        [
            ("not_allowed", 5),
            ("denied", 2),
            ("sensitive", 1),
            ("type_not_capturable", 1),
            ("depends_on_type", 0),
            ("beyond_depth", 1),
            ("field_limit", 0),
            ("denied_type", 0),
            ("reserved", 0),
            ("duplicate_path", 0)
        ]
    );
    let all_methods = report.components.iter().flat_map(|component| &component.methods);
    for method in all_methods {
        let not_captured: usize = method.totals.not_captured.iter().map(|(_, count)| count).sum();
        assert_eq!(method.totals.leaves, method.leaves.len());
        assert_eq!(
            method.totals.captured + not_captured,
            method.totals.leaves,
            "{}",
            method.name
        );
    }
    assert_eq!(report.places().count(), report.totals.leaves);
}

#[test]
fn percentages_are_shown_rounded_in_every_rendering() {
    let totals = |captured, leaves| Totals {
        captured,
        leaves,
        ..Totals::default()
    };
    assert_eq!(totals(1999, 2000).percent_text(), "100.0%");
    assert_eq!(totals(1998, 2000).percent_text(), "99.9%");
    assert_eq!(
        totals(32, 54).percent_text(),
        "59.3%",
        "the case that was truncated to 59.2%"
    );
    assert_eq!(totals(2000, 2000).percent_text(), "100.0%");
    assert_eq!(totals(1, 3).percent_text(), "33.3%");
    assert_eq!(totals(0, 7).percent_text(), "0.0%");
    assert_eq!(totals(1, 3).percent(), Some(100.0 / 3.0));

    // Text, Markdown and JSON show the same figure.
    let report = report();
    let component = &report.components[1];
    assert_eq!(component.totals.percent_text(), "38.5%");
    assert!(
        report
            .to_string()
            .lines()
            .any(|line| line.starts_with("SubscriptionService") && line.contains("38.5%"))
    );
    assert!(
        report
            .render_markdown()
            .contains("| `SubscriptionService` | 2 | 5 of 13 | 38.5% |")
    );
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["components"][1]["totals"]["percent_text"], "38.5%");
    assert_eq!(json["totals"]["percent_of_reachable_text"], "57.1%");
    assert_eq!(json["totals"]["reachable_max_text"], "77.8%");
}

#[test]
fn the_report_keeps_the_configuration_it_was_built_with() {
    let report = report();
    assert_eq!(&report.configuration, config().spec());
}
