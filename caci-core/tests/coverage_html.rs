//! `--format html`: one self-contained page, every name escaped, counts in
//! data attributes equal to the report's.

mod coverage_fixture;

use std::collections::BTreeMap;

use caci_core::__private::{MethodSite, SiteInfo};
use caci_core::coverage::{CoverageReport, reason_code};
use caci_core::decision::Verdict;
use caci_core::{Capture, Input, Level, MethodDescriptor, MethodInfo, Shape, TelemetryCaptureConfiguration};
use coverage_fixture::{METHODS, config};

fn report() -> CoverageReport {
    CoverageReport::build(&config(), &METHODS)
}

/// `data-<name>="<value>"` occurrences.
fn attribute_values<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let needle = format!(" data-{name}=\"");
    html.match_indices(&needle)
        .map(|(index, _)| {
            let rest = &html[index + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn page() {
    insta::assert_snapshot!(report().render_html());
}

#[test]
fn leaf_rows_per_verdict_equal_the_report() {
    let report = report();
    let html = report.render_html();
    let mut in_page: BTreeMap<&str, usize> = BTreeMap::new();
    for verdict in attribute_values(&html, "verdict") {
        *in_page.entry(verdict).or_default() += 1;
    }
    let mut in_report: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, leaf) in report.places() {
        let code = match &leaf.verdict {
            Verdict::Captured(_) => "captured",
            Verdict::NotCaptured(reason) => reason_code(reason),
        };
        *in_report.entry(code).or_default() += 1;
    }
    assert_eq!(in_page, in_report);
    assert_eq!(attribute_values(&html, "leaf").len(), report.totals.leaves);
    assert_eq!(attribute_values(&html, "captured"), ["8"]);
    assert_eq!(
        attribute_values(&html, "suggestion").len(),
        report.suggestions.len() + report.needs_review.len()
    );
    assert_eq!(attribute_values(&html, "review").len(), report.needs_review.len());
    assert_eq!(
        attribute_values(&html, "component"),
        ["Billing", "SubscriptionService", ""]
    );
}

#[test]
fn the_page_is_self_contained() {
    let html = report().render_html();
    for external in ["<link", " src=", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert_eq!(html.matches("<script>").count(), 1, "one inline filter script");
    assert!(html.contains("<select id=\"verdict-filter\">"));
}

static ODD: MethodSite = MethodSite::new(
    SiteInfo {
        name: "Repo<T>.load",
        target: "app",
        level: Level::INFO,
        module_path: "app",
        file: "src/<repo>.rs",
        line: 1,
        inputs: &["ids"],
    },
    MethodInfo {
        component: "Repo<'a, T>",
        method: "load",
        signature: "load(&self, ids: Vec<&'a T>) -> Option<<T as Store>::Out>",
        input_types: &["Vec<&'a T>"],
        output_type: "Option<<T as Store>::Out>",
        captures_output: false,
    },
);

fn odd_shapes() -> (Vec<Input>, Option<Shape>) {
    (vec![Input::new("ids", <Vec<u8>>::shape())], None)
}

#[test]
fn every_name_is_escaped() {
    let methods = [MethodDescriptor::new(&ODD, odd_shapes)];
    let html = CoverageReport::build(&TelemetryCaptureConfiguration::default(), &methods).render_html();
    assert!(html.contains("data-component=\"Repo&lt;&#39;a, T&gt;\""), "{html}");
    assert!(
        html.contains("load(&amp;self, ids: Vec&lt;&amp;&#39;a T&gt;) -&gt; Option&lt;&lt;T as Store&gt;::Out&gt;")
    );
    assert!(!html.contains("Repo<"), "no raw `<` from a name");
    assert!(!html.contains("Vec<u8>"));
}
