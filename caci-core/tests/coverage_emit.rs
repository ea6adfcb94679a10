//! `--emit-config`: the suggestions as a commented TOML configuration that
//! loads back and captures what each line says.

mod coverage_fixture;

use std::collections::HashSet;

use caci_core::TelemetryCaptureConfiguration;
use caci_core::coverage::cli;
use caci_core::coverage::{CoverageReport, Place};
use coverage_fixture::{CONFIG_JSON, METHODS, config};

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("caci-coverage-emit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_emitted_configuration_is_commented_toml() {
    insta::assert_snapshot!(report().to_config_toml());
}

/// The places the entries of the file claim, active or commented out.
fn claimed(toml: &str, active: bool) -> Vec<Place> {
    let mut places = Vec::new();
    let mut entry_active = None;
    for line in toml.lines() {
        let trimmed = line.trim_start();
        let text = if trimmed.starts_with('"') || trimmed.starts_with("# \"") {
            entry_active = Some(trimmed.starts_with('"'));
            let comment = trimmed.split_once("  # ").map_or("", |(_, comment)| comment);
            comment.strip_prefix("captures ").unwrap_or("")
        } else if let Some(rest) = trimmed.strip_prefix('#').filter(|_| line.starts_with("    ")) {
            let rest = rest.trim_start();
            rest.strip_prefix("and ").unwrap_or(rest)
        } else {
            entry_active = None;
            ""
        };
        let Some((site, path_and_kind)) = text.split_once(": ") else {
            continue;
        };
        let Some((component, method)) = site.split_once('.') else {
            continue;
        };
        let path = path_and_kind.rsplit_once(" (").map_or(path_and_kind, |(path, _)| path);
        if entry_active == Some(active) {
            places.push(Place::new(component, method, path));
        }
    }
    places
}

#[test]
fn the_file_loads_back_and_captures_what_each_active_line_says() {
    let report = report();
    let toml = report.to_config_toml();
    let path = temp("suggested.toml");
    std::fs::write(&path, &toml).unwrap();
    let loaded = TelemetryCaptureConfiguration::from_path(&path).expect("the emitted file loads");
    let after = CoverageReport::build(&loaded, &METHODS);
    let captured: HashSet<Place> = after
        .places()
        .filter(|(_, leaf)| leaf.verdict.is_captured())
        .map(|(place, _)| place)
        .collect();

    let active = claimed(&toml, true);
    assert!(!active.is_empty(), "{toml}");
    for place in &active {
        assert!(captured.contains(place), "{place} is claimed but not captured:\n{toml}");
    }
    // Everything any safe suggestion unlocks is captured by the active lines.
    for suggestion in &report.suggestions {
        for place in &suggestion.unlocks {
            assert!(captured.contains(place), "{place} of {}", suggestion.addition);
        }
    }
    // What needs review stays out: commented, and not captured.
    let review: Vec<Place> = report.needs_review.iter().flat_map(|s| s.unlocks.clone()).collect();
    assert!(!review.is_empty());
    let commented = claimed(&toml, false);
    for place in &review {
        assert!(commented.contains(place), "{place} is not listed as commented out");
    }
    for place in &review {
        assert!(!captured.contains(place), "{place} needs review but is captured");
    }
    // The configuration it was built from is kept: nothing captured before is lost.
    for (place, leaf) in report.places() {
        if leaf.verdict.is_captured() {
            assert!(captured.contains(&place), "{place} lost");
        }
    }
    assert_eq!(loaded.spec().denied_field_names, config().spec().denied_field_names);
}

#[test]
fn the_cli_writes_the_file_and_says_so() {
    let config_path = temp("caci.json");
    std::fs::write(&config_path, CONFIG_JSON).unwrap();
    let out = temp("emitted.toml");
    let _ = std::fs::remove_file(&out);
    let args = [
        "--config",
        config_path.to_str().unwrap(),
        "--emit-config",
        out.to_str().unwrap(),
    ];
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let outcome = cli::run_with(args.map(String::from), &METHODS, &mut stdout, &mut stderr, false);
    assert!(outcome.passed(), "{outcome:?}");
    let mut expected = report();
    expected.configuration_source = caci_core::coverage::ConfigurationSource::File(config_path.display().to_string());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected.to_config_toml());
    assert_eq!(
        String::from_utf8(stderr).unwrap(),
        format!(
            "wrote the configuration `{}`: 7 suggestions, 2 needing review (commented out)\n",
            out.display()
        )
    );

    let unwritable = ["--emit-config", "/nonexistent-dir/x.toml"];
    let outcome = cli::run_with(
        unwritable.map(String::from),
        &METHODS,
        &mut Vec::new(),
        &mut Vec::new(),
        false,
    );
    assert_eq!(outcome.code(), cli::EXIT_BAD_INPUT);
}
