//! The renderings: text (plain and coloured), JSON (schema v1, read back)
//! and Markdown, as snapshots.

mod coverage_fixture;

use caci_core::__private::MethodSite;
use caci_core::coverage::{CoverageReport, Gate, RenderOptions, ReportJsonError, SCHEMA};

/// The width the text report promises to stay within (its documentation).
const TEXT_WIDTH: usize = 100;
use caci_core::{Capture, Input, MethodDescriptor, MethodInfo, Shape, Telemetry, TelemetryCaptureConfiguration};
use coverage_fixture::{METHODS, config};

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

#[test]
fn text() {
    let text = report().render_text(RenderOptions { color: false });
    assert_eq!(text, report().to_string(), "Display is the plain text");
    insta::assert_snapshot!(text);
}

#[test]
fn text_in_colour() {
    let text = report()
        .render_text(RenderOptions { color: true })
        .replace('\u{1b}', "\\e");
    insta::assert_snapshot!(text);
}

#[test]
fn colour_does_not_change_the_layout() {
    let plain = report().render_text(RenderOptions { color: false });
    let coloured = report().render_text(RenderOptions { color: true });
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(start) = rest.find('\u{1b}') {
        stripped.push_str(&rest[..start]);
        let end = rest[start..].find('m').expect("escapes end with m");
        rest = &rest[start + end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn json() {
    insta::assert_snapshot!(report().to_json());
}

#[test]
fn markdown() {
    insta::assert_snapshot!(report().render_markdown());
}

#[test]
fn markdown_gate_section() {
    let outcome = Gate {
        min_percent: Some(60.0),
        baseline: None,
    }
    .check(&report());
    insta::assert_snapshot!(outcome.render_markdown());
}

#[test]
fn json_reads_back_to_the_same_report() {
    let report = report();
    let json = report.to_json();
    assert!(json.starts_with(&format!("{{\n  \"schema\": \"{SCHEMA}\"")));
    assert_eq!(CoverageReport::from_json(&json).unwrap(), report);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::from_value::<CoverageReport>(value).unwrap(), report);
}

#[test]
fn json_readers_ignore_fields_added_within_v1() {
    let mut value: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
    value["generated_by"] = "a later v1 writer".into();
    value["components"][0]["methods"][0]["leaves"][0]["confidence"] = 1.into();
    value["configuration"]["allowed_field_patterns"] = serde_json::json!(["*_id"]);
    value["configuration"]["limits"]["max_bytes"] = 10.into();
    value["totals"]["not_captured"]["redacted"] = 0.into();
    let read = CoverageReport::from_json(&value.to_string()).unwrap();
    assert_eq!(read, report());

    let mut older = value.clone();
    older["totals"]["not_captured"]
        .as_object_mut()
        .unwrap()
        .remove("field_limit");
    assert_eq!(
        CoverageReport::from_json(&older.to_string()).unwrap(),
        report(),
        "missing counts are 0"
    );
}

#[test]
fn json_that_is_not_a_v1_report_is_refused_with_the_reason() {
    let message = |text: &str| CoverageReport::from_json(text).unwrap_err().to_string();
    assert_eq!(
        message(r#"{"schema": "caci.coverage/v2", "totals": 3}"#),
        "unsupported schema `caci.coverage/v2` (this version reads `caci.coverage/v1`)"
    );
    assert_eq!(
        message(r#"{"totals": {}}"#),
        "no `schema` field (expected `\"schema\": \"caci.coverage/v1\"`)"
    );
    assert!(message("{ not json").starts_with("not a CACI coverage report: key must be a string at line 1"));
    assert!(matches!(
        CoverageReport::from_json("[]").unwrap_err(),
        ReportJsonError::Malformed(_)
    ));

    let mut value: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
    let leaf = &mut value["components"][0]["methods"][0]["leaves"][0];
    leaf["captured"] = true.into();
    let err = message(&value.to_string());
    assert!(
        err.contains("leaf `amount_cents`: a captured leaf has `by`, and no `reason` or `identifier`"),
        "{err}"
    );
    let leaf = &mut value["components"][0]["methods"][0]["leaves"][0];
    leaf["captured"] = false.into();
    leaf["kind"] = "money".into();
    let err = message(&value.to_string());
    assert!(err.contains("leaf `amount_cents`: unknown kind `money`"), "{err}");
}

#[derive(Telemetry)]
struct QuarterlyRevenueRecognitionScheduleEntryWithAnExtremelyLongName {
    deferred_revenue_recognition_schedule_identifier_for_the_quarter: u64,
    plan: u8,
}

static LONG: MethodSite = MethodSite::new(
    caci_core::__private::SiteInfo {
        name: "Revenue.recognize",
        target: "app",
        level: caci_core::Level::INFO,
        module_path: "app",
        file: "src/revenue.rs",
        line: 9,
        inputs: &["entry"],
    },
    MethodInfo {
        component: "Revenue",
        method: "recognize",
        signature: "recognize(&self, entry: Entry) -> ()",
        input_types: &["Entry"],
        output_type: "()",
        captures_output: false,
    },
);

fn long_shapes() -> (Vec<Input>, Option<Shape>) {
    let input = Input::new(
        "entry",
        QuarterlyRevenueRecognitionScheduleEntryWithAnExtremelyLongName::shape(),
    );
    (vec![input], None)
}

#[test]
fn long_paths_put_their_verdict_on_the_next_line_to_stay_within_100_columns() {
    let methods = [MethodDescriptor::new(&LONG, long_shapes)];
    let config = TelemetryCaptureConfiguration::builder()
        .allow_field("plan")
        .build()
        .unwrap();
    let text = CoverageReport::build(&config, &methods).render_text(RenderOptions::default());
    for line in text.lines() {
        assert!(
            line.chars().count() <= TEXT_WIDTH,
            "{line:?} is wider than {TEXT_WIDTH}"
        );
    }
    let leaf_lines: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("  recognize("))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .collect();
    insta::assert_snapshot!(leaf_lines.join("\n"), @r"
    - entry.deferred_revenue_recognition_schedule_identifier_for_the_quarter: u64
                     — not captured: not allowed
    - entry.plan: u8 — captured (name allowed)
    ");
}

#[test]
fn fixture_text_fits_in_100_columns() {
    for line in report().to_string().lines() {
        assert!(line.chars().count() <= TEXT_WIDTH, "{line:?}");
    }
}

#[test]
fn the_module_documentation_shows_the_fixtures_text_as_rendered() {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/coverage/mod.rs")).unwrap();
    let start = source.find("//! ```text\n//! CACI coverage:").expect("the text sample") + "//! ```text\n".len();
    let end = start + source[start..].find("//! ```\n").unwrap();
    let documented: Vec<&str> = source[start..end]
        .lines()
        .map(|line| line.strip_prefix("//! ").unwrap_or(line.trim_start_matches("//!")))
        .collect();
    let rendered = report().to_string();
    let rendered: Vec<&str> = rendered.lines().map(str::trim_end).collect();
    assert_eq!(documented, rendered);
}
