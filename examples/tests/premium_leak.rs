//! The captured data shows the premium leak, and nothing personal.

use caci_core::config::deny::DenyList;
use caci_examples::service::{PlanCatalog, SubscriptionService};
use caci_examples::{capture_configuration, signups};

const SIGNUPS: u32 = 30;

fn run(starter_points_at_legacy: bool) -> caci_testkit::Captured {
    let service = SubscriptionService {
        catalog: PlanCatalog {
            starter_points_at_legacy,
        },
    };
    let ((), captured) = caci_testkit::capture(&capture_configuration(), || {
        for index in 0..SIGNUPS {
            service.initialize_business(&signups::business(index));
        }
    });
    captured
}

#[test]
fn the_traces_show_starter_businesses_initialised_with_the_legacy_feature_group() {
    let captured = run(true);
    let counts = captured.count_by("SubscriptionService.activate_features", &["plan", "feature_group"]);
    let starter = (0..SIGNUPS).filter(|index| signups::business(*index).plan == caci_examples::domain::Plan::Starter);
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), starter.count());
    assert_eq!(counts.get(&["STARTER", "STARTER"]), 0);
    let leak = caci_testkit::SpanQuery::named("SubscriptionService.activate_features").with("plan", "STARTER");
    let span = captured.find(&leak).next().expect("a STARTER activation");
    assert!(span.field("features").unwrap().as_text().contains("TRANSACTION_IMPORT"));
}

#[test]
fn with_the_mapping_fixed_starter_gets_the_starter_group() {
    let captured = run(false);
    let counts = captured.count_by("SubscriptionService.activate_features", &["plan", "feature_group"]);
    assert_eq!(counts.get(&["STARTER", "LEGACY"]), 0);
    assert!(counts.get(&["STARTER", "STARTER"]) > 0);
}

#[test]
fn no_personal_value_is_captured() {
    let captured = run(true);
    for index in 0..SIGNUPS {
        let business = signups::business(index);
        captured
            .assert_never_contains(&business.owner.email)
            .assert_never_contains(&business.owner.full_name)
            .assert_never_contains(&business.card.unwrap().number);
    }
    captured.assert_no_denied_fields(&DenyList::floor());
    captured
        .spans_named("SubscriptionService.initialize_business")
        .next()
        .unwrap()
        .assert_field("business.country", "CA")
        .assert_field("business.plan", "STARTER")
        .assert_no_field("business.owner.email")
        .assert_no_field("business.owner.full_name")
        .assert_no_field("business.card");
}
