//! The incident walkthrough: a widening at one method shows the feature
//! group on those spans only, and reverts by itself.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use caci_examples::domain::{Feature, FeatureGroup, Plan};
use caci_examples::incident::{self, before_incident, widening};
use caci_examples::service::{FeatureStore, PlanCatalog};
use caci_examples::story::Observers;
use caci_examples::tally::ABSENT;
use tracing_subscriber::layer::SubscriberExt;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn the_feature_group_shows_during_the_widening_and_not_after() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let observers = Observers::new(std::io::sink());
    let subscriber = tracing_subscriber::registry().with(observers.tally.clone());
    let mut out = Vec::new();
    let outcome = tracing::subscriber::with_default(subscriber, || {
        incident::run(&mut out, &observers, Duration::from_millis(300)).unwrap()
    });
    let text = String::from_utf8(out).unwrap();
    for plan in ["STARTER", "LEGACY", "PRO"] {
        for group in ["STARTER", "LEGACY", "PRO"] {
            assert_eq!(outcome.before.get(plan, group), 0, "{text}");
            assert_eq!(outcome.after.get(plan, group), 0, "{text}");
        }
    }
    assert!(outcome.before.get("STARTER", ABSENT) > 0);
    assert!(outcome.during.get("STARTER", "LEGACY") > 0, "{text}");
    assert_eq!(outcome.during.get("STARTER", ABSENT), 0, "{text}");
    assert!(outcome.after.get("STARTER", ABSENT) > 0, "{text}");
    assert!(
        text.contains("ran out by itself") && text.contains("(as before)"),
        "{text}"
    );
}

#[test]
fn the_widening_shows_at_its_method_only() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    caci_core::install(before_incident());
    let widened = caci_core::install_for(widening(), Duration::from_secs(3600)).unwrap();
    let ((), captured) = caci_testkit::capture_installed(|| {
        let catalog = PlanCatalog::as_deployed();
        catalog.point_plan_at(Plan::Starter, FeatureGroup::Starter);
        FeatureStore::default().activate_features(
            caci_examples::domain::BusinessId(uuid::Uuid::nil()),
            Plan::Starter,
            FeatureGroup::Legacy,
            &[Feature::Invoicing],
        );
    });
    captured
        .span("FeatureStore.activate_features")
        .assert_field("feature_group", "LEGACY")
        .assert_field("plan", "STARTER");
    captured
        .span("PlanCatalog.point_plan_at")
        .assert_field("plan", "STARTER")
        .assert_no_field("feature_group");
    assert!(widened.end());
    let ((), captured) = caci_testkit::capture_installed(|| {
        FeatureStore::default().activate_features(
            caci_examples::domain::BusinessId(uuid::Uuid::nil()),
            Plan::Starter,
            FeatureGroup::Legacy,
            &[Feature::Invoicing],
        );
    });
    captured
        .span("FeatureStore.activate_features")
        .assert_no_field("feature_group");
}
