//! Suggestions: ranked by what they would capture, verified by the decision
//! rule, never touching denied, sensitive or personal-looking names.

mod coverage_fixture;

use caci_core::__private::MethodSite;
use caci_core::coverage::{Addition, CoverageReport, Place, Suggestion};
use caci_core::decision::{Reason, Verdict};
use caci_core::{Capture, Input, Kind, MethodDescriptor, MethodInfo, Shape, Telemetry, TelemetryCaptureConfiguration};
use coverage_fixture::{METHODS, config};

fn ranking(suggestions: &[Suggestion]) -> Vec<(String, usize)> {
    suggestions
        .iter()
        .map(|suggestion| (suggestion.addition.to_string(), suggestion.unlocks.len()))
        .collect()
}

fn owned(rows: &[(&str, usize)]) -> Vec<(String, usize)> {
    rows.iter().map(|(text, count)| ((*text).to_owned(), *count)).collect()
}

#[test]
fn suggestions_are_ranked_by_how_many_uncaptured_inputs_each_would_capture() {
    let report = CoverageReport::build(&config(), &METHODS);
    assert_eq!(
        ranking(&report.suggestions),
        owned(&[
            ("allow kind `enum`", 3),
            ("allow field name `tier`", 2),
            // Ties: from the narrowest addition to the broadest, then by value.
            ("allow path `business.tier`", 1),
            ("allow field name `amount_cents`", 1),
            ("allow field name `return`", 1),
            ("allow struct `Business`", 1),
            ("allow kind `signed_integer`", 1),
        ])
    );
    assert_eq!(
        report.suggestions[1].unlocks,
        [
            Place::new("SubscriptionService", "activate_features", "tier"),
            Place::new("SubscriptionService", "initialize_business", "business.tier"),
        ]
    );
}

/// Rebuilds the report with each suggestion applied: it captures exactly the
/// places it claims, and nothing captured before is lost.
fn assert_honest(config: &TelemetryCaptureConfiguration, methods: &[MethodDescriptor], suggestion: &Suggestion) {
    let before = CoverageReport::build(config, methods);
    let mut spec = config.spec().clone();
    suggestion.addition.apply(&mut spec);
    let after = CoverageReport::build(&TelemetryCaptureConfiguration::from_spec(spec).unwrap(), methods);
    let newly: Vec<Place> = after
        .places()
        .zip(before.places())
        .filter(|((_, now), (_, then))| now.verdict.is_captured() && !then.verdict.is_captured())
        .map(|((place, _), _)| place)
        .collect();
    assert_eq!(newly, suggestion.unlocks, "{}", suggestion.addition);
    let lost: Vec<Place> = after
        .places()
        .zip(before.places())
        .filter(|((_, now), (_, then))| !now.verdict.is_captured() && then.verdict.is_captured())
        .map(|((place, _), _)| place)
        .collect();
    assert_eq!(lost, suggestion.crowds_out, "{}", suggestion.addition);
}

#[test]
fn every_suggestion_captures_exactly_what_it_claims() {
    let config = config();
    let report = CoverageReport::build(&config, &METHODS);
    assert!(!report.suggestions.is_empty() && !report.needs_review.is_empty());
    for suggestion in report.suggestions.iter().chain(&report.needs_review) {
        assert_honest(&config, &METHODS, suggestion);
    }
}

#[test]
fn denied_and_sensitive_names_are_never_suggested() {
    let report = CoverageReport::build(&config(), &METHODS);
    let blocked: Vec<Place> = report
        .places()
        .filter(|(_, leaf)| {
            matches!(
                leaf.verdict,
                Verdict::NotCaptured(Reason::Denied { .. } | Reason::Sensitive)
            )
        })
        .map(|(place, _)| place)
        .collect();
    assert_eq!(blocked.len(), 3, "email, internal_note and card_token");
    for suggestion in report.suggestions.iter().chain(&report.needs_review) {
        let value = suggestion.addition.value();
        for name in ["email", "internal_note", "card_token"] {
            assert!(!value.contains(name), "{} suggested", suggestion.addition);
        }
        for place in &suggestion.unlocks {
            assert!(
                !blocked.contains(place),
                "{} unlocks blocked {place}",
                suggestion.addition
            );
        }
    }
}

#[test]
fn additions_touching_personal_looking_names_need_review_instead() {
    let report = CoverageReport::build(&config(), &METHODS);
    let review: Vec<String> = report
        .needs_review
        .iter()
        .map(|suggestion| {
            let matches: Vec<String> = suggestion
                .looks_personal
                .iter()
                .map(|found| format!("{} ({})", found.identifier, found.term))
                .collect();
            format!("{} -> {}", suggestion.addition, matches.join(", "))
        })
        .collect();
    assert_eq!(
        review,
        [
            "allow field name `display_name` -> display_name (displayname)",
            "allow struct `Owner` -> display_name (displayname)",
        ]
    );
    for suggestion in &report.suggestions {
        assert!(suggestion.looks_personal.is_empty());
        assert!(
            suggestion
                .unlocks
                .iter()
                .all(|place| !place.path.contains("display_name")),
            "{}",
            suggestion.addition
        );
    }
    assert!(
        !report
            .needs_review
            .iter()
            .any(|suggestion| matches!(&suggestion.addition, Addition::Path(_))),
        "a path capturing exactly what its name would is dropped"
    );
}

#[test]
fn free_text_is_never_suggested_by_kind() {
    let report = CoverageReport::build(&config(), &METHODS);
    let uncaptured_strings = report
        .places()
        .filter(|(_, leaf)| leaf.kind == Kind::String && leaf.verdict == Verdict::NotCaptured(Reason::NotAllowed))
        .count();
    assert_eq!(uncaptured_strings, 1, "display_name could be captured by kind");
    let all = report.suggestions.iter().chain(&report.needs_review);
    assert!(
        all.into_iter()
            .all(|suggestion| suggestion.addition != Addition::Kind(Kind::String))
    );
}

#[test]
fn an_addition_that_would_push_a_span_over_its_field_limit_says_what_it_crowds_out() {
    let tight = TelemetryCaptureConfiguration::builder()
        .allow_fields(["currency"])
        .allow_struct_named("Receipt")
        .max_fields_per_span(2)
        .build()
        .unwrap();
    let report = CoverageReport::build(&tight, &METHODS);
    let amount = report
        .suggestions
        .iter()
        .find(|suggestion| suggestion.addition == Addition::Name("amount_cents".into()))
        .expect("amount_cents is suggested");
    assert_eq!(amount.unlocks, [Place::new("Billing", "charge", "amount_cents")]);
    assert_eq!(
        amount.crowds_out,
        [Place::new("Billing", "charge", "return.receipt_id")]
    );
    assert_honest(&tight, &METHODS, amount);
    assert!(
        report
            .to_string()
            .contains("pushes over max_fields_per_span: Billing.charge: return.receipt_id")
    );
}

#[derive(Telemetry)]
struct Span2(i64, i64);

#[derive(Telemetry)]
struct Contact {
    billing_address: Address,
    plan_code: u8,
}

#[derive(Telemetry)]
struct Address {
    city: String,
}

static POSITIONAL: MethodSite = MethodSite::new(
    caci_core::__private::SiteInfo {
        name: "Geo.locate",
        target: "app",
        level: caci_core::Level::INFO,
        module_path: "app",
        file: "src/geo.rs",
        line: 3,
        inputs: &["range", "contact", "client_ip"],
    },
    MethodInfo {
        component: "Geo",
        method: "locate",
        signature: "locate(&self, range: Span2, contact: Contact, client_ip: String) -> ()",
        input_types: &["Span2", "Contact", "String"],
        output_type: "()",
        captures_output: false,
    },
);

fn positional_shapes() -> (Vec<Input>, Option<Shape>) {
    let inputs = vec![
        Input::new("range", Span2::shape()),
        Input::new("contact", Contact::shape()),
        Input::new("client_ip", String::shape()),
    ];
    (inputs, None)
}

#[test]
fn positional_fields_are_suggested_by_path_and_personal_context_is_flagged() {
    let methods = [MethodDescriptor::new(&POSITIONAL, positional_shapes)];
    let config = TelemetryCaptureConfiguration::default();
    let report = CoverageReport::build(&config, &methods);
    assert_eq!(
        ranking(&report.suggestions),
        owned(&[
            ("allow struct `Span2`", 2),
            ("allow kind `signed_integer`", 2),
            ("allow path `range.0`", 1),
            ("allow path `range.1`", 1),
            ("allow field name `plan_code`", 1),
            ("allow struct `Contact`", 1),
            ("allow kind `unsigned_integer`", 1),
        ]),
        "no `allow field name `0``; no `contact.plan_code` path, which would capture what `plan_code` does"
    );
    let review: Vec<(String, Vec<String>)> = report
        .needs_review
        .iter()
        .map(|suggestion| {
            let identifiers = suggestion
                .looks_personal
                .iter()
                .map(|found| found.identifier.clone())
                .collect();
            (suggestion.addition.to_string(), identifiers)
        })
        .collect();
    assert_eq!(
        review,
        [("allow field name `client_ip`".to_owned(), vec!["client_ip".to_owned()])],
        "a personal-looking name is for review; `billing_address.city` is denied by the floor word `address`"
    );
    for suggestion in report.suggestions.iter().chain(&report.needs_review) {
        assert_honest(&config, &methods, suggestion);
    }
}

#[test]
fn a_name_removed_from_the_deny_floor_is_flagged_for_review_not_suggested() {
    let config = TelemetryCaptureConfiguration::builder()
        .allow_fields(["country", "currency", "business.owner.user_id"])
        .allow_kind(Kind::Uuid)
        .remove_from_deny_floor("email")
        .build()
        .unwrap();
    let report = CoverageReport::build(&config, &METHODS);
    let email = Addition::Name("email".into());
    assert!(report.suggestions.iter().all(|suggestion| suggestion.addition != email));
    let flagged = report
        .needs_review
        .iter()
        .find(|suggestion| suggestion.addition == email)
        .expect("email needs review");
    assert_eq!(flagged.looks_personal[0].term, "email");
    assert!(
        report
            .to_string()
            .contains("Removed from the deny floor by this configuration: email")
    );
}
