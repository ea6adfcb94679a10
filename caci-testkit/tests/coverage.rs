//! Coverage helpers over real `#[component]` descriptors.

use std::panic::{self, AssertUnwindSafe};

use caci_core::{Kind, Telemetry, TelemetryCaptureConfiguration, component};

#[derive(Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
    Pro,
}

#[derive(Telemetry)]
struct Signup {
    plan: Plan,
    country: String,
    email: String,
}

struct TestkitSignups;

#[component]
impl TestkitSignups {
    fn create(&self, signup: &Signup, trial: bool) -> bool {
        let _ = (&signup.plan, &signup.country, &signup.email);
        trial
    }

    #[caci(skip)]
    fn health_check(&self) -> bool {
        true
    }
}

fn only_kinds() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_kinds([Kind::Enum, Kind::Bool])
        .build()
        .unwrap()
}

#[test]
fn the_percentage_is_held_and_a_shortfall_lists_what_is_left_out() {
    let report = caci_testkit::assert_coverage_at_least(&only_kinds(), &["TestkitSignups"], 50.0);
    assert_eq!(
        (report.totals.captured, report.totals.leaves),
        (2, 4),
        "plan and trial; not country, never email"
    );
    assert!(caci_testkit::component(&report, "TestkitSignups").is_some());
    // The denied email is out of reach: 2 of the 3 reachable is 66.7%, so
    // 60% holds although 2 of all 4 is 50%.
    caci_testkit::assert_coverage_at_least(&only_kinds(), &["TestkitSignups"], 60.0);

    let payload = panic::catch_unwind(AssertUnwindSafe(|| {
        caci_testkit::assert_coverage_at_least(&only_kinds(), &["TestkitSignups"], 75.0);
    }))
    .expect_err("66.7% of the reachable is below 75%");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.starts_with(
            "coverage of the reachable is 66.7% (2 of 3 reachable inputs; 50.0% of all 4), expected at least 75%"
        ),
        "{message}"
    );
    assert!(
        message.contains("signup.email: String"),
        "the report follows: {message}"
    );
}

#[test]
fn skipped_methods_are_listed_but_not_counted() {
    let report = caci_testkit::coverage(&only_kinds(), &["TestkitSignups"]);
    let component = caci_testkit::component(&report, "TestkitSignups").unwrap();
    let skipped: Vec<_> = component
        .methods
        .iter()
        .filter(|method| method.skipped)
        .map(|method| &method.name)
        .collect();
    assert_eq!(skipped, ["health_check"]);
    assert_eq!(report.totals.leaves, 4, "a skipped method adds no leaf");
    assert!(TestkitSignups.health_check());
}

#[test]
fn the_report_snapshots_deterministically() {
    let text = caci_testkit::coverage_snapshot(&only_kinds(), &["TestkitSignups"]);
    assert_eq!(
        text,
        caci_testkit::coverage_snapshot(&only_kinds(), &["TestkitSignups"])
    );
    insta::assert_snapshot!(text);
}

#[test]
fn the_spans_carry_what_the_report_says_is_captured() {
    let signup = Signup {
        plan: Plan::Starter,
        country: "CA".into(),
        email: "ada@example.com".into(),
    };
    let (trial, captured) = caci_testkit::capture(&only_kinds(), || TestkitSignups.create(&signup, true));
    assert!(trial);
    captured
        .span("TestkitSignups.create")
        .assert_field("signup.plan", "STARTER")
        .assert_field("trial", true)
        .assert_no_field("signup.country")
        .assert_outcome("ok");
    captured.assert_never_contains("ada@example.com");
    let _unused_variant = Plan::Pro;
}
