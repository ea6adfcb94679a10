//! During an incident: widening that reverts by itself (`install_for`, a
//! scope's `ttl`), stacked widenings, a regular install meanwhile, and the
//! one change event every install logs. These tests install process-wide
//! configurations, so they run one at a time. They wait for an expiry with
//! a generous deadline and never assert how fast anything happened.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use caci_core::{Level, TelemetryCaptureConfiguration, component};
use caci_testkit::{CapturedEvent, CapturedSpan};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

struct PlanCatalog;

#[component]
impl PlanCatalog {
    fn feature_group_for(&self, plan: &str, feature_group: &str, region: &str) {
        let _ = (plan, feature_group, region);
    }

    fn price_of(&self, plan: &str, feature_group: &str) {
        let _ = (plan, feature_group);
    }
}

/// Both methods' spans, under the configuration installed now.
fn call() -> (CapturedSpan, CapturedSpan) {
    let ((), captured) = caci_testkit::capture_installed(|| {
        PlanCatalog.feature_group_for("STARTER", "LEGACY", "eu");
        PlanCatalog.price_of("STARTER", "LEGACY");
    });
    (
        captured.span("PlanCatalog.feature_group_for").clone(),
        captured.span("PlanCatalog.price_of").clone(),
    )
}

fn has(span: &CapturedSpan, field: &str) -> bool {
    span.field(field).is_some()
}

/// Waits (up to 20 s) until `condition` holds; panics if it never does.
#[track_caller]
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn base() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap()
}

fn scoped(field: &str) -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .scope("PlanCatalog", Some("feature_group_for"), |scope| {
            scope.allow_field(field)
        })
        .build()
        .unwrap()
}

const SHORT: Duration = Duration::from_millis(300);

#[test]
fn a_widening_shows_on_its_method_only_and_reverts_by_itself() {
    let _serial = serial();
    caci_core::install(base());
    let widening = caci_core::install_for(scoped("feature_group"), SHORT).unwrap();
    let (scoped_span, other) = call();
    // It may have run out already on a slow machine; still live after the
    // call means live during it.
    if widening.is_live() {
        assert!(has(&scoped_span, "feature_group"));
    }
    assert!(!has(&other, "feature_group"));
    assert!(has(&other, "plan"));
    eventually("the widening runs out", || !widening.is_live());
    let (scoped_span, other) = call();
    assert!(!has(&scoped_span, "feature_group"));
    assert!(has(&scoped_span, "plan") && has(&other, "plan"), "the base is back");
    assert_eq!(caci_core::current_configuration().spec(), base().spec());
}

#[test]
fn a_long_widening_is_in_force_until_ended() {
    let _serial = serial();
    caci_core::install(base());
    let widening = caci_core::install_for(scoped("feature_group"), Duration::from_secs(3600)).unwrap();
    let (scoped_span, other) = call();
    assert!(has(&scoped_span, "feature_group"));
    assert!(!has(&other, "feature_group"));
    assert!(widening.is_live());
    assert!(widening.end());
    let (scoped_span, _) = call();
    assert!(!has(&scoped_span, "feature_group"));
}

#[test]
fn widenings_stack_and_each_ends_at_its_own_time() {
    let _serial = serial();
    caci_core::install(base());
    let first = caci_core::install_for(scoped("feature_group"), SHORT).unwrap();
    let second = caci_core::install_for(scoped("region"), Duration::from_secs(3600)).unwrap();
    // The first may run out on a slow machine at any moment: live after the
    // read means live during it, ended before the read means gone from it.
    let ended_before = !first.is_live();
    let scopes = caci_core::current_configuration().spec().scopes.len();
    let live_after = first.is_live();
    if live_after {
        assert_eq!(scopes, 2, "both widenings are in force");
    }
    if ended_before {
        assert_eq!(scopes, 1, "only the second is left");
    }
    eventually("the first widening runs out", || !first.is_live());
    let (span, _) = call();
    assert!(!has(&span, "feature_group"));
    assert!(has(&span, "region"), "the second widening is still in force");
    assert!(second.end());
    let (span, _) = call();
    assert!(!has(&span, "region"));
}

#[test]
fn an_install_during_a_widening_replaces_what_comes_back() {
    let _serial = serial();
    caci_core::install(base());
    let widening = caci_core::install_for(scoped("feature_group"), Duration::from_secs(3600)).unwrap();
    let newer_base = TelemetryCaptureConfiguration::builder()
        .allow_field("region")
        .build()
        .unwrap();
    caci_core::install(newer_base.clone());
    let (span, _) = call();
    assert!(has(&span, "region"), "the new install is in force at once");
    assert!(has(&span, "feature_group"), "the widening stays on top of it");
    assert!(!has(&span, "plan"), "the old base is gone");
    assert!(widening.end());
    assert_eq!(caci_core::current_configuration().spec(), newer_base.spec());
}

#[test]
fn a_widening_that_conflicts_with_the_installed_configuration_is_refused() {
    let _serial = serial();
    let denies = TelemetryCaptureConfiguration::builder()
        .deny_field("region")
        .build()
        .unwrap();
    caci_core::install(denies.clone());
    let err = caci_core::install_for(scoped("region"), Duration::from_secs(60)).unwrap_err();
    assert!(err.to_string().contains("`region` is both allowed and denied"), "{err}");
    assert_eq!(caci_core::current_configuration().spec(), denies.spec());
}

#[test]
fn a_scope_with_a_ttl_ends_by_itself_and_a_reinstall_does_not_restart_it() {
    let _serial = serial();
    caci_core::install(base());
    let with_ttl = TelemetryCaptureConfiguration::from_toml_str(
        r#"
        allowed_field_names = ["plan"]
        [[scopes]]
        component = "PlanCatalog"
        method = "feature_group_for"
        allowed_field_names = ["feature_group"]
        ttl = "300ms"
        "#,
    )
    .unwrap();
    caci_core::install(with_ttl.clone());
    eventually("the scope runs out", || {
        caci_core::current_configuration().spec().scopes.is_empty()
    });
    let (span, _) = call();
    assert!(!has(&span, "feature_group"));
    assert!(has(&span, "plan"));
    caci_core::install(with_ttl.clone());
    assert!(
        caci_core::current_configuration().spec().scopes.is_empty(),
        "installing the same scope again does not restart it"
    );
    let mut changed = with_ttl.spec().clone();
    changed.scopes[0].ttl = Some("1h".into());
    caci_core::install(TelemetryCaptureConfiguration::from_spec(changed).unwrap());
    let (span, _) = call();
    assert!(has(&span, "feature_group"), "a changed scope starts again");
    caci_core::install(base());
}

fn change_event(events: &[CapturedEvent]) -> &CapturedEvent {
    let changes: Vec<&CapturedEvent> = events.iter().filter(|event| event.target == "caci").collect();
    assert_eq!(changes.len(), 1, "one event per install: {changes:#?}");
    changes[0]
}

fn text(event: &CapturedEvent, field: &str) -> Option<String> {
    event.field(field).map(caci_testkit::FieldValue::as_text)
}

#[test]
fn every_install_logs_what_changed_with_both_ids() {
    let _serial = serial();
    caci_core::install(base());
    let before = caci_core::current_configuration().id();
    let new = TelemetryCaptureConfiguration::builder()
        .allow_fields(["region", "country"])
        .allow_kind(caci_core::Kind::Uuid)
        .deny_type("*Secret*")
        .max_depth(4)
        .capture_error_messages(true)
        .scope("PlanCatalog", None, |scope| scope.allow_field("feature_group"))
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture_installed(|| {
        caci_core::install(new.clone());
    });
    let event = change_event(captured.events());
    assert_eq!(event.level, Level::INFO);
    assert_eq!(text(event, "config.id"), Some(new.id().to_string()));
    assert_eq!(
        text(event, "config.id"),
        Some(caci_core::current_configuration().id().to_string())
    );
    assert_eq!(text(event, "config.previous_id"), Some(before.to_string()));
    assert_eq!(text(event, "config.reason").as_deref(), Some("install"));
    assert_eq!(text(event, "added.fields").as_deref(), Some("region, country"));
    assert_eq!(text(event, "removed.fields").as_deref(), Some("plan"));
    assert_eq!(text(event, "added.kinds").as_deref(), Some("uuid"));
    assert_eq!(text(event, "added.denied_types").as_deref(), Some("*Secret*"));
    assert_eq!(
        text(event, "added.scopes").as_deref(),
        Some("PlanCatalog: feature_group")
    );
    assert_eq!(text(event, "limits").as_deref(), Some("max_depth 3 -> 4"));
    assert_eq!(
        text(event, "switches").as_deref(),
        Some("capture_error_messages false -> true")
    );
    assert_eq!(text(event, "removed.kinds"), None, "empty lists are left out");
    assert_eq!(text(event, "config.ttl_s"), None);

    // A removal from the deny floor is loud.
    let removes = new
        .to_builder()
        .allow_field("address")
        .remove_from_deny_floor("address")
        .build()
        .unwrap();
    let ((), captured) = caci_testkit::capture_installed(|| {
        caci_core::install(removes);
    });
    let event = change_event(captured.events());
    assert_eq!(event.level, Level::WARN);
    assert_eq!(text(event, "added.floor_removals").as_deref(), Some("address"));
    assert_eq!(text(event, "floor_removals").as_deref(), Some("address"));

    // A widening says for how long, and its end is logged too.
    caci_core::install(base());
    let ((widening, ended), captured) = caci_testkit::capture_installed(|| {
        let widening = caci_core::install_for(scoped("feature_group"), Duration::from_secs(900)).unwrap();
        let ended = caci_core::current_configuration().id();
        (widening, ended)
    });
    let event = change_event(captured.events());
    assert_eq!(text(event, "config.reason").as_deref(), Some("widening"));
    assert_eq!(text(event, "config.ttl_s").as_deref(), Some("900"));
    assert_eq!(text(event, "config.id"), Some(ended.to_string()));
    assert!(text(event, "message").unwrap().contains("widened for 15m"));
    let ((), captured) = caci_testkit::capture_installed(|| {
        widening.end();
    });
    let event = change_event(captured.events());
    assert_eq!(text(event, "config.reason").as_deref(), Some("ended"));
    assert_eq!(
        text(event, "removed.scopes").as_deref(),
        Some("PlanCatalog.feature_group_for: feature_group")
    );
}

#[test]
fn an_expiry_is_logged_from_the_timer_thread() {
    let _serial = serial();
    let ((), captured) = caci_testkit::capture_all_threads(&base(), || {
        let widening = caci_core::install_for(scoped("feature_group"), SHORT).unwrap();
        eventually("the widening runs out", || !widening.is_live());
    });
    let expiry = captured
        .events()
        .iter()
        .find(|event| event.target == "caci" && text(event, "config.reason").as_deref() == Some("expiry"))
        .unwrap_or_else(|| panic!("the expiry is logged: {:#?}", captured.events()));
    assert_eq!(
        text(expiry, "removed.scopes").as_deref(),
        Some("PlanCatalog.feature_group_for: feature_group")
    );
    assert_eq!(text(expiry, "config.id"), Some(base().id().to_string()));
}
