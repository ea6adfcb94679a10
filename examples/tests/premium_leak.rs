//! The captured data shows the premium leak and nothing personal; with the
//! mapping fixed, or after the data fix, STARTER gets the STARTER group.

use caci_core::METHOD_FIELDS;
use caci_core::config::deny::DenyList;
use caci_examples::domain::{Feature, FeatureGroup, Plan};
use caci_examples::service::{self, App, PlanCatalog};
use caci_examples::{capture_configuration, signups};
use caci_testkit::{Captured, CapturedSpan, FieldValue, SpanQuery};

const SIGNUPS: u32 = 60;
const ACTIVATE: &str = "FeatureStore.activate_features";

fn sign_up(app: &App, indices: std::ops::Range<u32>) -> Captured {
    let ((), captured) = caci_testkit::capture(&capture_configuration(), || {
        for index in indices {
            let _ = app.api.initialize_business(&signups::request(index));
        }
    });
    captured
}

/// Sign-ups among `0..SIGNUPS` the API accepts on `plan`.
fn accepted_on(plan: Plan) -> usize {
    (0..SIGNUPS)
        .map(signups::request)
        .filter(|request| request.plan == plan && service::validate(request).is_ok())
        .count()
}

/// The span's captured inputs: its fields without the ones every wrapped
/// method records (outcome, duration, …).
#[track_caller]
fn assert_inputs(span: &CapturedSpan, expected: &[&str]) {
    let mut inputs: Vec<&str> = span
        .field_names()
        .into_iter()
        .filter(|name| !METHOD_FIELDS.contains(name))
        .collect();
    inputs.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(inputs, expected, "captured inputs of {span}");
}

#[test]
fn the_traces_show_starter_businesses_initialised_with_the_legacy_feature_group() {
    let app = App::new(PlanCatalog::as_deployed());
    let captured = sign_up(&app, 0..SIGNUPS);

    let counts = captured.count_by(ACTIVATE, &["plan", "feature_group"]);
    let starter = accepted_on(Plan::Starter);
    assert!(starter > 20, "the sign-ups are mostly STARTER: {starter}");
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), starter);
    assert_eq!(counts.get(&["STARTER", "STARTER"]), 0);
    assert_eq!(counts.get(&["LEGACY", "LEGACY"]), accepted_on(Plan::Legacy));
    assert_eq!(counts.get(&["PRO", "PRO"]), accepted_on(Plan::Pro));

    // Every STARTER activation carries the premium feature, and sits inside
    // the request that caused it.
    let leak = SpanQuery::named(ACTIVATE).with("plan", "STARTER");
    let activations: Vec<&CapturedSpan> = captured.find(&leak).collect();
    assert_eq!(activations.len(), starter);
    for span in activations {
        span.assert_field("feature_group", "LEGACY");
        assert!(
            span.field("features").unwrap().as_text().contains("TRANSACTION_IMPORT"),
            "{span}"
        );
        let service = captured.parent_of(span).expect("activation inside the service call");
        assert_eq!(service.name, "SubscriptionService.initialize_business");
        service.assert_field("business.plan", "STARTER");
        let api = captured.parent_of(service).expect("service call inside the API call");
        assert_eq!(api.name, "SubscriptionApi.initialize_business");
        api.assert_field("request.plan", "STARTER");
    }
    captured.assert_child_of(
        SpanQuery::named("PlanCatalog.feature_group_for").with("plan", "STARTER"),
        SpanQuery::named("SubscriptionService.initialize_business").with("business.plan", "STARTER"),
    );
}

#[test]
fn spans_carry_exactly_the_allowed_fields_with_their_types() {
    let app = App::new(PlanCatalog::as_deployed());
    let captured = sign_up(&app, 0..1);

    let api = captured.span("SubscriptionApi.initialize_business");
    assert_inputs(
        api,
        &[
            "request.user.user_id",
            "request.country",
            "request.plan",
            "request.seats",
            "request.accepted_terms",
        ],
    );
    api.assert_field_typed("request.seats", FieldValue::I64(1))
        .assert_field_typed("request.accepted_terms", FieldValue::Bool(true))
        .assert_field("request.plan", "STARTER")
        .assert_field("request.country", "CA");
    let user_id = signups::request(0).user.user_id.0.to_string();
    assert_eq!(api.field("request.user.user_id").unwrap().as_text(), user_id);

    assert_inputs(
        captured.span("SubscriptionService.initialize_business"),
        &[
            "business.business_id",
            "business.owner.user_id",
            "business.country",
            "business.plan",
            "business.seats",
        ],
    );
    assert_inputs(captured.span("PlanCatalog.feature_group_for"), &["plan"]);
    assert_inputs(
        captured.span(ACTIVATE),
        &["business_id", "plan", "feature_group", "features"],
    );
}

#[test]
fn a_refused_sign_up_is_an_error_span_with_nothing_below_it() {
    let app = App::new(PlanCatalog::as_deployed());
    let refused = (0..SIGNUPS)
        .find(|index| service::validate(&signups::request(*index)).is_err())
        .expect("a refused sign-up");
    let captured = sign_up(&app, refused..refused + 1);
    let api = captured.span("SubscriptionApi.initialize_business");
    // The error's variant, never its message (not allowed by the configuration).
    api.assert_error(Some("ApiError::TermsNotAccepted"))
        .assert_field("request.accepted_terms", false)
        .assert_no_field("otel.status_description")
        .assert_no_field("error.message");
    assert!(
        matches!(api.field("duration_ns"), Some(FieldValue::I64(nanos)) if *nanos > 0),
        "{api}"
    );
    captured.assert_none("SubscriptionService.initialize_business");
}

#[test]
fn no_personal_value_is_captured() {
    let app = App::new(PlanCatalog::as_deployed());
    let captured = sign_up(&app, 0..SIGNUPS);
    let mut checked = 0;
    for index in 0..SIGNUPS {
        for value in signups::personal_values(index) {
            captured.assert_never_contains(&value);
            checked += 1;
        }
    }
    assert!(checked >= 3 * SIGNUPS as usize, "{checked} personal values checked");
    captured.assert_no_denied_fields(&DenyList::floor());
    for span in captured.spans_named("SubscriptionApi.initialize_business") {
        span.assert_no_field("request.user.email")
            .assert_no_field("request.user.full_name")
            .assert_no_field("request.business_name")
            .assert_no_field("request.card");
    }
}

#[test]
fn with_the_mapping_fixed_starter_gets_the_starter_group() {
    let app = App::new(PlanCatalog::intended());
    let captured = sign_up(&app, 0..SIGNUPS);
    let counts = captured.count_by(ACTIVATE, &["plan", "feature_group"]);
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), 0);
    assert_eq!(counts.get(&["STARTER", "STARTER"]), accepted_on(Plan::Starter));
    for span in captured.find(&SpanQuery::named(ACTIVATE).with("plan", "STARTER")) {
        assert!(
            !span.field("features").unwrap().as_text().contains("TRANSACTION_IMPORT"),
            "{span}"
        );
    }
}

#[test]
fn the_data_fix_repoints_starter_and_takes_back_the_premium_feature() {
    let app = App::new(PlanCatalog::as_deployed());
    sign_up(&app, 0..SIGNUPS);
    let starter = accepted_on(Plan::Starter);

    let (report, captured) = caci_testkit::capture(&capture_configuration(), || {
        app.data_fix.fix_premium_leak(Plan::Starter, FeatureGroup::Starter)
    });
    assert_eq!(report.previous_group, Some(FeatureGroup::Legacy));
    assert_eq!(report.revoked.get(&Feature::TransactionImport), Some(&starter));
    assert_eq!(report.revoked.len(), 1, "{report:?}");
    for entitlement in app.store.entitlements().values() {
        if entitlement.plan == Plan::Starter {
            assert!(
                entitlement.features.iter().all(|feature| !feature.is_premium()),
                "{entitlement:?}"
            );
        }
    }
    captured
        .span("DataFix.fix_premium_leak")
        .assert_field("plan", "STARTER")
        .assert_field("feature_group", "STARTER");
    captured.assert_child_of(
        SpanQuery::named("PlanCatalog.point_plan_at")
            .with("plan", "STARTER")
            .with("feature_group", "STARTER"),
        "DataFix.fix_premium_leak",
    );
    captured.assert_count(
        SpanQuery::named("FeatureStore.revoke_features").with("features", "[TRANSACTION_IMPORT]"),
        starter,
    );

    // The next sign-ups get the STARTER group.
    let after = sign_up(&app, SIGNUPS..SIGNUPS + 20);
    let counts = after.count_by(ACTIVATE, &["plan", "feature_group"]);
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), 0);
    assert!(counts.get(&["STARTER", "STARTER"]) > 5, "{counts}");
}
