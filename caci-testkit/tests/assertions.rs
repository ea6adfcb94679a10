//! The testkit's assertions pass when they should and fail, with a message a
//! user can act on, when they should.

use std::panic::{self, AssertUnwindSafe};

use caci_core::__private::MethodSite;
use caci_core::__private::SiteInfo;
use caci_core::MethodInfo;
use caci_core::config::deny::DenyList;
use caci_core::{Level, TelemetryCaptureConfiguration};
use caci_testkit::{FieldValue, SpanQuery, capture};

fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["plan", "feature_group", "seats", "country"])
        .build()
        .unwrap()
}

fn activate(plan: &str, feature_group: &str, seats: u32) {
    let _span = caci_core::span!(
        Level::INFO,
        "SubscriptionService.activate_features",
        plan = plan,
        feature_group = feature_group,
        seats = seats
    )
    .entered();
}

fn signups() -> caci_testkit::Captured {
    capture(&config(), || {
        let _outer = caci_core::span!(Level::INFO, "SubscriptionApi.initialize_business", country = "CA").entered();
        activate("STARTER", "LEGACY", 1);
        activate("STARTER", "LEGACY", 2);
        activate("PRO", "PRO", 3);
    })
    .1
}

/// The panic message of `body`, which must panic.
fn failure(body: impl FnOnce()) -> String {
    let payload = panic::catch_unwind(AssertUnwindSafe(body)).expect_err("the assertion should have failed");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|text| (*text).to_owned()))
        .unwrap_or_default()
}

#[test]
fn queries_are_order_insensitive_and_numeric_aware() {
    let captured = signups();
    let query = SpanQuery::named("SubscriptionService.activate_features")
        .with("seats", 2u64)
        .with("plan", "STARTER");
    captured.span(&query).assert_field("feature_group", "LEGACY");
    captured.assert_count("SubscriptionService.activate_features", 3);
    captured.assert_count(
        SpanQuery::named("SubscriptionService.activate_features").with("plan", "STARTER"),
        2,
    );
    captured.assert_none(SpanQuery::named("SubscriptionService.activate_features").with("plan", "LEGACY"));
    captured.assert_none(SpanQuery::any().with("email", "x"));
    captured.assert_count(SpanQuery::any().without("seats"), 1);
}

#[test]
fn a_missing_span_shows_the_nearest_misses_with_marks_and_the_tree() {
    let captured = signups();
    let message = failure(|| {
        captured.span(
            SpanQuery::named("SubscriptionService.activate_features")
                .with("plan", "PRO")
                .with("seats", 9),
        );
    });
    assert!(message.starts_with("expected exactly one of a span named `SubscriptionService.activate_features` with plan = \"PRO\", seats = 9, but none was captured."), "{message}");
    assert!(message.contains("nearest captured spans:\n  ✓ `SubscriptionService.activate_features`\n      ✓ plan: \"PRO\" (str), expected \"PRO\"\n      ✗ seats: 3 (i64), expected 9"), "{message}");
    assert!(message.contains("captured tree:\nSubscriptionApi.initialize_business [INFO] country=\"CA\":str\n  SubscriptionService.activate_features"), "{message}");
}

#[test]
fn several_matches_for_one_span_fail_with_the_count() {
    let captured = signups();
    let message = failure(|| {
        captured.span("SubscriptionService.activate_features");
    });
    assert!(message.contains("but 3 were captured"), "{message}");
}

#[test]
fn field_assertions_report_actual_and_expected_types() {
    let captured = signups();
    let span = captured.span(SpanQuery::named("SubscriptionService.activate_features").with("seats", 1));
    span.assert_field("seats", 1u8)
        .assert_field_typed("seats", FieldValue::I64(1));
    let message = failure(|| {
        span.assert_field("seats", 4);
    });
    assert!(
        message.contains("field `seats` is 1 (i64), expected 4 (i64)"),
        "{message}"
    );
    let message = failure(|| {
        span.assert_field_typed("seats", FieldValue::U64(1));
    });
    assert!(message.contains("expected exactly 1 (u64)"), "{message}");
    let message = failure(|| {
        span.assert_no_field("plan");
    });
    assert!(
        message.contains("field `plan` was captured as \"STARTER\", expected it absent"),
        "{message}"
    );
    let message = failure(|| {
        span.assert_fields_exactly(&["plan", "seats", "country"]);
    });
    assert!(
        message.contains("missing [\"country\"], unexpected [\"feature_group\"]"),
        "{message}"
    );
}

#[test]
fn parent_child_relations() {
    let captured = signups();
    captured.assert_child_of(
        "SubscriptionService.activate_features",
        "SubscriptionApi.initialize_business",
    );
    let message = failure(|| {
        captured.assert_child_of(
            "SubscriptionApi.initialize_business",
            "SubscriptionService.activate_features",
        );
    });
    assert!(message.contains("no such pair was captured"), "{message}");
    let outer = captured.span("SubscriptionApi.initialize_business");
    assert_eq!(captured.children_of(outer).count(), 3);
}

#[test]
fn leak_checks_search_names_and_values_everywhere() {
    let ((), captured) = capture(&config(), || {
        let _span = caci_core::span!(Level::INFO, "Users.create", plan = "PRO", email = "ada@example.com").entered();
        tracing::info!(note = "contact ada@example.com", "created");
    });
    let message = failure(|| {
        captured.assert_never_contains("ada@example.com");
    });
    assert!(message.contains("in an event"), "events are searched too: {message}");
    captured
        .assert_never_contains("hunter2")
        .assert_no_denied_fields(&DenyList::floor());

    let leaky = TelemetryCaptureConfiguration::builder()
        .allow_field("email")
        .remove_from_deny_floor("email")
        .scrub_values(false)
        .build()
        .unwrap();
    let ((), captured) = capture(&leaky, || {
        let _span = caci_core::span!(Level::INFO, "Users.create", email = "ada@example.com").entered();
    });
    let message = failure(|| {
        captured.assert_no_denied_fields(&DenyList::floor());
    });
    assert!(
        message.contains("carries `email` = \"ada@example.com\", and `email` is denied"),
        "{message}"
    );
}

#[test]
fn grouped_counts_answer_what_feature_groups_we_initialize() {
    let captured = signups();
    let counts = captured.count_by("SubscriptionService.activate_features", &["plan", "feature_group"]);
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), 2);
    assert_eq!(counts.get(&["PRO", "PRO"]), 1);
    assert_eq!(counts.get(&["STARTER", "STARTER"]), 0);
    assert_eq!(
        counts.to_string(),
        "plan     feature_group  count\nPRO      PRO                1\nSTARTER  LEGACY             2\n"
    );
    let by_missing = captured.count_by("SubscriptionService.activate_features", &["country"]);
    assert_eq!(by_missing.get(&[caci_testkit::ABSENT]), 3);
}

#[test]
fn a_configuration_matrix_names_the_configuration_that_failed() {
    let narrow = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    let wide = config();
    let body = || activate("STARTER", "LEGACY", 1);
    caci_testkit::matrix([("narrow", &narrow), ("wide", &wide)], body, |_, (), captured| {
        captured
            .span("SubscriptionService.activate_features")
            .assert_field("plan", "STARTER");
    });
    let message = failure(|| {
        caci_testkit::matrix([("wide", &wide), ("narrow", &narrow)], body, |_, (), captured| {
            captured
                .span("SubscriptionService.activate_features")
                .assert_field("seats", 1);
        });
    });
    assert!(message.starts_with("configuration `narrow` failed: span `SubscriptionService.activate_features`: field `seats` was not captured"), "{message}");
}

static CHARGE: MethodSite = MethodSite::new(
    SiteInfo {
        name: "Billing.charge",
        target: "billing",
        level: Level::INFO,
        module_path: "billing",
        file: "billing.rs",
        line: 1,
        inputs: &["plan"],
    },
    MethodInfo {
        component: "Billing",
        method: "charge",
        signature: "charge(&self, plan: &str) -> Result<(), CardDeclined>",
        input_types: &["&str"],
        output_type: "Result<(), CardDeclined>",
        captures_output: false,
    },
);

fn charge(plan: &str, fail: bool) {
    let call = CHARGE.start_with(
        caci_core::__private::not_generic(),
        || {
            (
                vec![
                    caci_core::Input::new("plan", <&str as caci_core::Capture>::shape())
                        .typed(Some(caci_core::__private::input_type_of::<&str>())),
                ],
                None,
            )
        },
        &[Some(caci_core::__private::erase(&plan))],
    );
    let _entered = call.span().clone().entered();
    if fail {
        call.finish_err("billing::CardDeclined", None);
    } else {
        call.finish_ok(None);
    }
}

#[test]
fn outcomes_of_wrapped_methods() {
    let ((), captured) = capture(&config(), || {
        charge("PRO", true);
        charge("STARTER", false);
    });
    let failed = captured.span(SpanQuery::named("Billing.charge").with("plan", "PRO"));
    failed
        .assert_error(Some("CardDeclined"))
        .assert_field("otel.status_code", "ERROR");
    let fine = captured.span(SpanQuery::named("Billing.charge").with("plan", "STARTER"));
    fine.assert_outcome("ok").assert_no_field("error.type");
    let message = failure(|| {
        fine.assert_error(None);
    });
    assert!(message.contains("expected an error outcome, found ok"), "{message}");
    assert!(matches!(fine.field("duration_ns"), Some(FieldValue::I64(_))));
    assert_eq!(
        captured.render(),
        "Billing.charge [INFO] plan=\"PRO\":str outcome=\"error\":str duration_ns=<masked> error.type=\"billing::CardDeclined\":str otel.status_code=\"ERROR\":str\n\
         Billing.charge [INFO] plan=\"STARTER\":str outcome=\"ok\":str duration_ns=<masked>\n"
    );
}

#[test]
fn async_bodies_are_captured_across_awaits() {
    struct YieldOnce(bool);
    impl std::future::Future for YieldOnce {
        type Output = ();
        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
            if self.0 {
                std::task::Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        }
    }
    let future = caci_testkit::capture_async(&config(), async {
        activate("PRO", "PRO", 1);
        YieldOnce(false).await;
        activate("STARTER", "LEGACY", 2);
        "done"
    });
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut polls = 0;
    let (output, captured) = loop {
        polls += 1;
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            break output;
        }
    };
    assert_eq!((output, polls), ("done", 2));
    captured.assert_count("SubscriptionService.activate_features", 2);
}

#[test]
fn leak_checks_cover_event_names_and_event_fields() {
    let ((), captured) = capture(&config(), || {
        tracing::event!(name: "signup for ada@example.com", tracing::Level::INFO, plan = "PRO");
        tracing::info!(password = "hunter2", "created");
    });
    let message = failure(|| {
        captured.assert_never_contains("ada@example.com");
    });
    assert!(
        message.contains("in an event `signup for ada@example.com`"),
        "{message}"
    );
    let message = failure(|| {
        captured.assert_no_denied_fields(&DenyList::floor());
    });
    assert!(
        message.contains("event `") && message.contains("`password` is denied"),
        "{message}"
    );
}
