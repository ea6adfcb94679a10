//! How the coverage report scales: build and render it for 1,000 and 10,000
//! synthetic methods and print the timings. Ignored by default; run with
//!
//! ```sh
//! cargo test --release -p caci-core --test coverage_scale -- --ignored --nocapture
//! ```

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use caci_core::__private::MethodSite;
use caci_core::__private::SiteInfo;
use caci_core::coverage::{CoverageReport, RenderOptions};
use caci_core::{
    Capture, Input, Kind, Level, MethodDescriptor, MethodInfo, Shape, Telemetry, TelemetryCaptureConfiguration,
};

#[derive(Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(dead_code, reason = "only its shape is used")]
enum Status {
    Open,
    Paid,
}

#[derive(Telemetry)]
struct Order {
    order_id: uuid::Uuid,
    status: Status,
    total_cents: i64,
    note: String,
    email: String,
    customer_name: String,
}

#[derive(Telemetry)]
struct Receipt {
    receipt_id: uuid::Uuid,
    paid: bool,
}

type ShapesFn = fn() -> (Vec<Input>, Option<Shape>);

/// 150 input names shared by the 64 shape functions.
static NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| (0..150).map(|index| &*format!("field_{index}").leak()).collect());

/// One of 64 shapes: an `Order` (6 leaves), three scalars, and for even `N`
/// a captured `Receipt` output (2 leaves).
fn shapes<const N: usize>() -> (Vec<Input>, Option<Shape>) {
    let pool = &NAMES;
    let scalar = |k: usize| {
        let name = pool[(N * 3 + k) % pool.len()];
        let shape = match (N + k) % 4 {
            0 => String::shape(),
            1 => i64::shape(),
            2 => bool::shape(),
            _ => uuid::Uuid::shape(),
        };
        Input::new(name, shape)
    };
    let mut inputs = vec![Input::new("order", Order::shape())];
    inputs.extend((0..3).map(scalar));
    (inputs, N.is_multiple_of(2).then(Receipt::shape))
}

macro_rules! table {
    ($($n:literal)*) => { [$(shapes::<$n> as ShapesFn),*] };
}

const SHAPES: [ShapesFn; 64] = table!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
    32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
);

fn leak(text: String) -> &'static str {
    text.leak()
}

/// `count` methods in components of 20 methods each.
fn methods(count: usize) -> Vec<MethodDescriptor> {
    (0..count)
        .map(|index| {
            let component = leak(format!("Component{:05}", index / 20));
            let method = leak(format!("method_{index}"));
            let site: &'static MethodSite = Box::leak(Box::new(MethodSite::new(
                SiteInfo {
                    name: leak(format!("{component}.{method}")),
                    target: "synthetic",
                    level: Level::INFO,
                    module_path: "synthetic",
                    file: "src/synthetic.rs",
                    line: u32::try_from(index).unwrap(),
                    inputs: &["order", "a", "b", "c"],
                },
                MethodInfo {
                    component,
                    method,
                    signature: leak(format!("{method}(&self, order: Order, a: A, b: B, c: C) -> Receipt")),
                    input_types: &["Order", "A", "B", "C"],
                    output_type: "Receipt",
                    captures_output: index.is_multiple_of(2),
                },
            )));
            MethodDescriptor::new(site, SHAPES[index % SHAPES.len()])
        })
        .collect()
}

fn config() -> TelemetryCaptureConfiguration {
    TelemetryCaptureConfiguration::builder()
        .allow_fields(["order_id", "field_1", "field_2", "field_30", "order.total_cents"])
        .allow_kind(Kind::Bool)
        .build()
        .unwrap()
}

fn time<R>(body: impl FnOnce() -> R) -> (R, Duration) {
    let started = Instant::now();
    let result = body();
    (result, started.elapsed())
}

struct Timings {
    plan: Duration,
    build: Duration,
    text: Duration,
    json: Duration,
    markdown: Duration,
}

fn measure(count: usize) -> Timings {
    let methods = methods(count);
    let config = config();
    let (_, plan) = time(|| {
        for method in &methods {
            let (inputs, output) = method.shapes();
            std::hint::black_box(config.decisions(&inputs, output.as_ref()));
        }
    });
    let (report, build) = time(|| CoverageReport::build(&config, &methods));
    let (text, text_time) = time(|| report.render_text(RenderOptions { color: false }));
    let (json, json_time) = time(|| report.to_json());
    let (markdown, markdown_time) = time(|| report.render_markdown());
    println!(
        "{count:>6} methods, {:>6} leaves, {:>3} suggestions, {:>2} to review: planning alone {plan:>9.1?}, build {build:>9.1?}, text {text_time:>9.1?} ({} KiB), json {json_time:>9.1?} ({} KiB), markdown {markdown_time:>9.1?} ({} KiB)",
        report.totals.leaves,
        report.suggestions.len(),
        report.needs_review.len(),
        text.len() / 1024,
        json.len() / 1024,
        markdown.len() / 1024,
    );
    Timings {
        plan,
        build,
        text: text_time,
        json: json_time,
        markdown: markdown_time,
    }
}

#[test]
#[ignore = "timings: run with --ignored --nocapture, preferably with --release"]
fn build_and_render_10_000_methods() {
    measure(100); // warm up
    let small = measure(1_000);
    let large = measure(10_000);
    let ratio = |large: Duration, small: Duration| large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    let build_ratio = ratio(large.build, small.build);
    println!(
        "10x the methods: planning x{:.1}, build x{build_ratio:.1}, text x{:.1}, json x{:.1}, markdown x{:.1}",
        ratio(large.plan, small.plan),
        ratio(large.text, small.text),
        ratio(large.json, small.json),
        ratio(large.markdown, small.markdown)
    );
    assert!(
        build_ratio < 30.0,
        "building should be about linear, took x{build_ratio:.1} for 10x the methods"
    );
}
