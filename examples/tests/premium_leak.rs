//! The captured data shows the premium leak, and nothing personal.

use caci_examples::service::{PlanCatalog, SubscriptionService};
use caci_examples::{capture_configuration, signups};

fn run(starter_points_at_legacy: bool) -> caci_testkit::Captured {
    let service = SubscriptionService {
        catalog: PlanCatalog {
            starter_points_at_legacy,
        },
    };
    let ((), captured) = caci_testkit::capture(&capture_configuration(), || {
        for index in 0..30 {
            service.initialize_business(&signups::business(index));
        }
    });
    captured
}

fn feature_groups_of_starter_businesses(captured: &caci_testkit::Captured) -> Vec<String> {
    let mut groups: Vec<String> = captured
        .spans_named("SubscriptionService.activate_features")
        .filter(|span| span.field("plan").map(|plan| plan.as_text()) == Some("STARTER".to_owned()))
        .map(|span| span.field("feature_group").expect("feature_group is captured").as_text())
        .collect();
    groups.dedup();
    groups
}

#[test]
fn the_traces_show_starter_businesses_initialised_with_the_legacy_feature_group() {
    let captured = run(true);
    assert_eq!(feature_groups_of_starter_businesses(&captured), ["LEGACY"]);
    let span = captured
        .spans_named("SubscriptionService.activate_features")
        .find(|span| span.field("plan").is_some_and(|plan| plan.as_text() == "STARTER"))
        .unwrap();
    assert!(span.field("features").unwrap().as_text().contains("TRANSACTION_IMPORT"));
}

#[test]
fn with_the_mapping_fixed_starter_gets_the_starter_group() {
    let captured = run(false);
    assert_eq!(feature_groups_of_starter_businesses(&captured), ["STARTER"]);
}

#[test]
fn no_personal_value_is_captured() {
    let captured = run(true);
    let everything = captured.render();
    for index in 0..30 {
        let business = signups::business(index);
        assert!(!everything.contains(&business.owner.email));
        assert!(!everything.contains(&business.owner.full_name));
        assert!(!everything.contains(&business.card.unwrap().number));
    }
    let span = &captured.spans_named("SubscriptionService.initialize_business").next().unwrap();
    span.assert_field("business.country", "CA")
        .assert_field("business.plan", "STARTER")
        .assert_no_field("business.owner.email")
        .assert_no_field("business.owner.full_name")
        .assert_no_field("business.card");
}
