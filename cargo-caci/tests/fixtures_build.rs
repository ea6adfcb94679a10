//! `cargo caci init` on the two fixtures: the edits (snapshotted), running
//! it twice, and the result built and tested by cargo, its real coverage
//! report compared with the static figures and with the hand-instrumented
//! story example's.

mod support;

use caci_core::TelemetryCaptureConfiguration;
use caci_core::coverage::CoverageReport;
use support::*;

#[test]
fn the_story_gets_its_attributes_back_builds_and_reaches_the_hand_instrumented_coverage() {
    let dir = fixture("story");
    let before = tree(&dir);
    let report = init(&dir);
    let after = tree(&dir);
    insta::assert_snapshot!("story_diff", diff_trees(&before, &after, &["Cargo.toml"]));

    let manifest = read(&dir, "Cargo.toml");
    let original = before.iter().find(|(path, _)| path == "Cargo.toml").unwrap().1.clone();
    let added: Vec<&str> = manifest.lines().filter(|line| !original.contains(*line)).collect();
    assert_eq!(added.len(), 1, "one line added to Cargo.toml: {added:?}");
    assert!(added[0].starts_with("caci-core = { path = \"") && added[0].ends_with("/caci-core\" }"));
    assert!(
        manifest.contains("# Not a member of the CACI workspace it sits in."),
        "comments kept"
    );

    assert_eq!((report.components_wrapped, report.types_derived), (6, 12));
    assert_eq!((report.fields_sensitive, report.fields_skipped), (4, 1));
    TelemetryCaptureConfiguration::from_path(dir.join("caci.toml")).expect("caci.toml loads");

    let again = init(&dir);
    assert!(again.changed.is_empty(), "a second run changes {:?}", again.changed);
    assert_eq!(tree(&dir), after, "a second run changes nothing");
    assert_eq!(again.coverage, report.coverage);

    let hand = CoverageReport::from_registry(&caci_examples::capture_configuration()).totals;
    let hand_percent = 100.0 * hand.captured as f64 / hand.leaves as f64;
    assert!(
        (report.coverage.percent() - hand_percent).abs() <= 5.0,
        "init reaches {} of {} ({:.1}%), the hand-instrumented example {} of {} ({hand_percent:.1}%)",
        report.coverage.captured,
        report.coverage.leaves,
        report.coverage.percent(),
        hand.captured,
        hand.leaves
    );

    add_coverage_probe(&dir, "caci_fixture_story::service::validate");
    let output = cargo(&dir, &["test", "--", "--nocapture"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the instrumented story fails to build or test:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("test starter_gets_a_premium_feature_until_the_fix ... ok"));
    let coverage = &report.coverage;
    assert_eq!(
        probe_totals(&stdout),
        (coverage.captured, coverage.leaves, coverage.reachable),
        "the static figures are the real report's"
    );
}

#[test]
fn the_axum_service_is_instrumented_builds_and_its_static_coverage_is_the_real_one() {
    let dir = fixture("invoices");
    let before = tree(&dir);
    let report = init(&dir);
    let after = tree(&dir);
    insta::assert_snapshot!("invoices_diff", diff_trees(&before, &after, &["Cargo.toml"]));

    let repository = read(&dir, "src/repository.rs");
    assert!(
        repository.contains("#[caci_core::component]\n#[async_trait]\nimpl Repository for InMemoryRepository"),
        "#[component] goes above #[async_trait]"
    );
    let service = read(&dir, "src/service.rs");
    assert!(service.contains("    #[caci(skip)]\n    pub fn new(repository: Arc<dyn Repository>) -> Self"));
    assert!(service.contains("#[derive(Debug, thiserror::Error, caci_core::Telemetry)]\npub enum InvoiceError"));
    assert!(read(&dir, "src/notify.rs").contains("#[caci_core::component]\nimpl<S: Sink> NotificationClient<S>"));

    let again = init(&dir);
    assert!(again.changed.is_empty(), "a second run changes {:?}", again.changed);
    assert_eq!(tree(&dir), after);

    add_coverage_probe(&dir, "caci_fixture_invoices::http::router");
    let output = cargo(&dir, &["test", "--", "--nocapture"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the instrumented service fails to build or test:\n{}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("test create_then_get ... ok"));
    let coverage = &report.coverage;
    assert_eq!(
        probe_totals(&stdout),
        (coverage.captured, coverage.leaves, coverage.reachable)
    );
}

#[test]
fn the_readme_shows_the_real_output() {
    let dir = fixture("story");
    let report = init(&dir);
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Instrument a service in minutes")
        .expect("the README's section")..];
    for line in report
        .output
        .lines()
        .filter(|line| !line.starts_with("Cargo.toml: added"))
    {
        assert!(
            section.contains(line),
            "the README's output lacks {line:?}; rerun and paste it"
        );
    }
}

#[test]
fn on_the_hand_instrumented_example_the_static_figures_are_the_real_report() {
    // The example is linked into this test, so its registry is the real report.
    let examples = workspace().join("examples");
    let sources = cargo_caci::source::Sources::load(&examples, &["src/lib.rs".into(), "src/main.rs".into()]);
    assert!(sources.skipped.is_empty(), "{:?}", sources.skipped);
    let (index, mut candidates, domain, texts) = cargo_caci::init::instrument(&sources, &Default::default());
    let wrapped: Vec<&str> = candidates
        .iter()
        .filter(|candidate| candidate.decision.adds_attribute())
        .map(|candidate| candidate.label.as_str())
        .collect();
    assert!(
        wrapped.is_empty(),
        "init would wrap {wrapped:?} in the hand-instrumented example"
    );
    // Measure what is wrapped today: the blocks init would add are not.
    for candidate in &mut candidates {
        if candidate.decision.adds_attribute() {
            candidate.decision = cargo_caci::discover::components::Decision::Below;
        }
    }
    let inputs = cargo_caci::coverage::inputs(&index, &candidates, &domain, "caci_examples", 3);
    for config in [
        caci_examples::capture_configuration(),
        cargo_caci::config::configuration(&cargo_caci::config::entries(&inputs.leaves)),
        TelemetryCaptureConfiguration::default(),
    ] {
        let real = CoverageReport::from_registry(&config).totals;
        let statically = cargo_caci::coverage::measure(&config, &inputs);
        assert_eq!(
            (statically.captured, statically.leaves, statically.reachable),
            (real.captured, real.leaves, real.reachable()),
            "{:?}",
            config.spec()
        );
    }
    // What init adds to it: `Telemetry` on the types its methods return
    // (a `capture_output` needs them), nothing else.
    let service = sources
        .files
        .iter()
        .position(|file| file.path.ends_with("service.rs"))
        .unwrap();
    let diff = cargo_caci::diff::unified(
        "src/service.rs",
        Some(&sources.files[service].text),
        texts[service].as_deref().unwrap_or(&sources.files[service].text),
    );
    let added: Vec<&str> = diff
        .lines()
        .filter(|line| line.starts_with('+') && !line.starts_with("+++"))
        .collect();
    assert_eq!(
        added,
        [
            "+#[derive(Clone, Debug, PartialEq, Eq, caci_core::Telemetry)]",
            "+    #[telemetry(skip)] // map keys must be strings to be captured",
        ],
        "{diff}"
    );
    let others: Vec<_> = sources
        .files
        .iter()
        .zip(&texts)
        .filter(|(file, text)| text.is_some() && !file.path.ends_with("service.rs"))
        .map(|(file, _)| &file.path)
        .collect();
    assert!(others.is_empty(), "init would change {others:?}");
}
