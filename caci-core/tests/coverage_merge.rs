//! `coverage merge`: several services' JSON reports in one table, text,
//! Markdown and HTML.

mod coverage_fixture;

use std::path::PathBuf;

use caci_core::coverage::cli;
use caci_core::coverage::{CoverageReport, FleetReport};
use coverage_fixture::{CONFIG_JSON, METHODS};

/// A directory of its own for each set of reports: tests run in parallel.
fn temp_dir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("caci-coverage-merge-{}-{run}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> (u8, String, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let args = args.iter().map(|arg| (*arg).to_owned());
    let outcome = cli::run_with(args, &METHODS, &mut stdout, &mut stderr, false);
    (
        outcome.code(),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// Three services' reports: two named with `--service`, one (`legacy-worker`)
/// named by its file only.
fn reports() -> Vec<String> {
    let dir = temp_dir();
    let temp = |name: &str| dir.join(name);
    let wide = temp("wide.json");
    std::fs::write(&wide, CONFIG_JSON).unwrap();
    let narrow = temp("narrow.toml");
    std::fs::write(&narrow, "allowed_field_names = [\"currency\"]\n").unwrap();
    let mut files = Vec::new();
    for (service, config) in [
        (Some("billing-api"), &wide),
        (Some("signup-api"), &narrow),
        (None, &narrow),
    ] {
        let mut args = vec!["--config", config.to_str().unwrap(), "--format", "json"];
        if let Some(service) = service {
            args.extend(["--service", service]);
        }
        let (code, json, _) = run(&args);
        assert_eq!(code, cli::EXIT_OK);
        let name = format!("{}.json", service.unwrap_or("legacy-worker"));
        let path = temp(&name);
        std::fs::write(&path, json).unwrap();
        files.push(path.display().to_string());
    }
    files
}

fn merge(format: &str) -> String {
    let files = reports();
    let mut args = vec!["merge", "--format", format];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&args);
    assert_eq!((code, stderr.as_str()), (cli::EXIT_OK, ""));
    stdout
}

#[test]
fn the_service_comes_from_the_report_or_the_file_name() {
    let files = reports();
    let named = CoverageReport::from_json(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(named.service.as_deref(), Some("billing-api"));
    let unnamed = CoverageReport::from_json(&std::fs::read_to_string(&files[2]).unwrap()).unwrap();
    assert_eq!(unnamed.service, None, "run_with names no service without --service");
    let text = merge("text");
    assert!(text.contains("\nlegacy-worker "), "{text}");
}

#[test]
fn text() {
    insta::assert_snapshot!(merge("text"));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(merge("markdown"));
}

#[test]
fn html_has_a_bar_per_service_and_the_left_out_fields() {
    let html = merge("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for service in ["billing-api", "signup-api", "legacy-worker"] {
        assert!(html.contains(&format!("<tr data-service=\"{service}\">")), "{service}");
    }
    assert_eq!(
        html.matches("<div class=\"bar\"").count(),
        4,
        "three services and the total"
    );
    assert!(html.contains("<tr data-field=\"email\" data-services=\"3\">"), "{html}");
}

#[test]
fn the_fields_most_services_leave_out_come_first() {
    let files = reports();
    let reports = files
        .iter()
        .map(|file| {
            let report = CoverageReport::from_json(&std::fs::read_to_string(file).unwrap()).unwrap();
            (report.service.clone().unwrap_or_default(), report)
        })
        .collect();
    let fleet = FleetReport::new(reports);
    let first = &fleet.left_out[0];
    assert_eq!(first.services.len(), 3);
    assert!(
        fleet
            .left_out
            .windows(2)
            .all(|pair| pair[0].services.len() >= pair[1].services.len())
    );
    let country = fleet.left_out.iter().find(|field| field.field == "country").unwrap();
    assert_eq!(country.services.len(), 2, "billing-api captures it");
}

#[test]
fn merge_errors_are_usage_or_bad_input() {
    let (code, _, stderr) = run(&["merge"]);
    assert_eq!(code, cli::EXIT_USAGE);
    assert!(
        stderr.starts_with("error: `merge` needs one or more JSON reports"),
        "{stderr}"
    );
    let (code, _, _) = run(&["merge", "--format", "json", "a.json"]);
    assert_eq!(code, cli::EXIT_USAGE);
    let missing = temp_dir().join("missing.json");
    let (code, _, stderr) = run(&["merge", missing.to_str().unwrap()]);
    assert_eq!(code, cli::EXIT_BAD_INPUT);
    assert!(stderr.starts_with("error: cannot read the report"), "{stderr}");
}
