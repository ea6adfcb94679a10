//! The example's spans over OTLP/HTTP, received in-process: attribute names,
//! OTLP types (Bool, Int, Str) and values are what CACI captured, nothing the
//! configuration did not allow is there, and no personal value is in any
//! request body.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use caci_core::METHOD_FIELDS;
use caci_examples::domain::Plan;
use caci_examples::service;
use caci_examples::signups;
use caci_examples::story::{SIGNUPS, SIGNUPS_AFTER_FIX};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use prost::Message;
use support::{accepted_on, run_example, run_example_unchecked};

/// One POST as the receiver saw it.
struct Post {
    path: String,
    content_type: String,
    body: Vec<u8>,
}

/// An OTLP/HTTP receiver on a loopback port: answers every POST with
/// `200 OK` after handing it to the test.
fn start_receiver() -> (String, mpsc::Receiver<Post>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let (posts, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let posts = posts.clone();
            std::thread::spawn(move || serve(stream, &posts));
        }
    });
    (endpoint, received)
}

fn serve(stream: TcpStream, posts: &mpsc::Sender<Post>) {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return; // the exporter closed the connection
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or_default().to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length: usize = headers
            .get("content-length")
            .unwrap_or_else(|| panic!("a Content-Length header: {headers:?}"))
            .parse()
            .unwrap();
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let content_type = headers.get("content-type").cloned().unwrap_or_default();
        posts
            .send(Post {
                path,
                content_type,
                body,
            })
            .unwrap();
        writer
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
    }
}

/// An attribute value with its OTLP type.
#[derive(Clone, Debug, PartialEq)]
enum Attr {
    Str(String),
    Int(i64),
    Bool(bool),
    Other(String),
}

impl From<Option<&AnyValue>> for Attr {
    fn from(value: Option<&AnyValue>) -> Self {
        match value.and_then(|value| value.value.as_ref()) {
            Some(Value::StringValue(text)) => Attr::Str(text.clone()),
            Some(Value::IntValue(number)) => Attr::Int(*number),
            Some(Value::BoolValue(flag)) => Attr::Bool(*flag),
            other => Attr::Other(format!("{other:?}")),
        }
    }
}

fn attributes(pairs: &[KeyValue]) -> BTreeMap<String, Attr> {
    pairs
        .iter()
        .map(|pair| (pair.key.clone(), Attr::from(pair.value.as_ref())))
        .collect()
}

struct Span {
    name: String,
    trace_id: Vec<u8>,
    span_id: Vec<u8>,
    parent_span_id: Vec<u8>,
    status: i32,
    attributes: BTreeMap<String, Attr>,
}

impl Span {
    #[track_caller]
    fn str(&self, key: &str) -> &str {
        match self.attributes.get(key) {
            Some(Attr::Str(text)) => text,
            other => panic!("{}: `{key}` is {other:?}, expected a Str", self.name),
        }
    }
}

/// The inputs each span captures: its attributes are these plus CACI's own
/// method fields, and nothing else.
fn expected_inputs(span: &str) -> &'static [&'static str] {
    match span {
        "SubscriptionApi.initialize_business" => &[
            "request.user.user_id",
            "request.country",
            "request.plan",
            "request.seats",
            "request.accepted_terms",
        ],
        "SubscriptionService.initialize_business" => &[
            "business.business_id",
            "business.owner.user_id",
            "business.country",
            "business.plan",
            "business.seats",
        ],
        "PlanCatalog.feature_group_for" => &["plan"],
        "FeatureStore.activate_features" => &["business_id", "plan", "feature_group", "features"],
        "DataFix.fix_premium_leak" | "PlanCatalog.point_plan_at" => &["plan", "feature_group"],
        "FeatureStore.businesses_with" => &["plan", "feature"],
        "FeatureStore.revoke_features" => &["business_id", "features"],
        other => panic!("unexpected span `{other}`"),
    }
}

#[test]
fn the_example_exports_typed_allowed_attributes_and_nothing_personal() {
    let (endpoint, received) = start_receiver();
    let (_, stdout, elapsed) = run_example(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
        ("OTEL_SERVICE_NAME", "caci-otlp-test"),
    ]);
    assert!(
        stdout.starts_with(&format!("OTLP export: on, http/protobuf to {endpoint}/v1/traces")),
        "{stdout}"
    );
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    // The binary exits only after the exporter's requests were answered, and
    // each is handed over before its answer.
    let posts: Vec<Post> = received.try_iter().collect();
    assert!(!posts.is_empty(), "no OTLP request received");

    let mut spans = Vec::new();
    for post in &posts {
        assert_eq!(post.path, "/v1/traces");
        assert_eq!(post.content_type, "application/x-protobuf");
        let request = ExportTraceServiceRequest::decode(post.body.as_slice()).expect("an OTLP protobuf body");
        for resource_spans in request.resource_spans {
            let resource = attributes(&resource_spans.resource.expect("a resource").attributes);
            assert_eq!(resource.get("service.name"), Some(&Attr::Str("caci-otlp-test".into())));
            for scope_spans in resource_spans.scope_spans {
                assert_eq!(scope_spans.scope.expect("a scope").name, "caci-examples");
                for span in scope_spans.spans {
                    spans.push(Span {
                        name: span.name,
                        trace_id: span.trace_id,
                        span_id: span.span_id,
                        parent_span_id: span.parent_span_id,
                        status: span.status.map_or(0, |status| status.code),
                        attributes: attributes(&span.attributes),
                    });
                }
            }
        }
    }

    // Every span the example opened arrived, once.
    let exported: usize = stdout
        .lines()
        .find_map(|line| line.strip_prefix("OTLP: exported ")?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("the exported count in:\n{stdout}"));
    assert_eq!(spans.len(), exported);
    let ids: BTreeSet<&[u8]> = spans.iter().map(|span| span.span_id.as_slice()).collect();
    assert_eq!(ids.len(), spans.len(), "span ids are unique");
    let named = |name: &'static str| spans.iter().filter(move |span| span.name == name);
    let requests = (SIGNUPS + SIGNUPS_AFTER_FIX) as usize;
    assert_eq!(named("SubscriptionApi.initialize_business").count(), requests);
    assert_eq!(named("DataFix.fix_premium_leak").count(), 1);

    // Attribute names: the allowed inputs and CACI's method fields, nothing
    // else (no code.*, thread.*, target, busy_ns …); types as captured.
    for span in &spans {
        let inputs = expected_inputs(&span.name);
        let captured: Vec<&str> = span
            .attributes
            .keys()
            .map(String::as_str)
            .filter(|key| !METHOD_FIELDS.contains(key))
            .collect();
        let mut expected = inputs.to_vec();
        expected.sort_unstable();
        assert_eq!(captured, expected, "attributes of {}: {:?}", span.name, span.attributes);
        assert!(
            matches!(span.attributes.get("duration_ns"), Some(Attr::Int(nanos)) if *nanos > 0),
            "{span:?}",
            span = span.attributes
        );
        assert!(
            !span.attributes.contains_key("error.message"),
            "error messages are not allowed"
        );
        for (key, value) in &span.attributes {
            let expected_type = match key.rsplit('.').next().unwrap() {
                "seats" | "duration_ns" => matches!(value, Attr::Int(_)),
                "accepted_terms" => matches!(value, Attr::Bool(_)),
                _ => matches!(value, Attr::Str(_)),
            };
            assert!(expected_type, "{}: `{key}` arrived as {value:?}", span.name);
        }
        for key in ["business_id", "user_id"] {
            for (_, value) in span.attributes.iter().filter(|(name, _)| name.ends_with(key)) {
                let Attr::Str(text) = value else { unreachable!() };
                uuid::Uuid::parse_str(text).unwrap_or_else(|_| panic!("{key} {text} is a UUID"));
            }
        }
    }

    // The first request, field by field.
    let first = named("SubscriptionApi.initialize_business")
        .find(|span| span.attributes.get("request.user.user_id") == Some(&Attr::Str(user_id(0))))
        .expect("the first sign-up's span");
    assert_eq!(first.attributes["request.plan"], Attr::Str("STARTER".into()));
    assert_eq!(first.attributes["request.country"], Attr::Str("CA".into()));
    assert_eq!(first.attributes["request.seats"], Attr::Int(1));
    assert_eq!(first.attributes["request.accepted_terms"], Attr::Bool(true));
    assert_eq!(first.attributes["outcome"], Attr::Str("ok".into()));
    assert!(first.parent_span_id.is_empty(), "the API span is a root");

    // Refused sign-ups are errors, with the error's type and an ERROR status.
    let refused = (0..SIGNUPS + SIGNUPS_AFTER_FIX)
        .filter(|index| service::validate(&signups::request(*index)).is_err())
        .count();
    let errors: Vec<&Span> = named("SubscriptionApi.initialize_business")
        .filter(|span| span.attributes.get("outcome") == Some(&Attr::Str("error".into())))
        .collect();
    assert_eq!(errors.len(), refused);
    for span in errors {
        assert!(
            span.str("error.type").starts_with("ApiError::"),
            "{:?}",
            span.attributes
        );
        assert_eq!(span.status, StatusCode::Error as i32);
    }

    // "What feature groups are we initializing?", from the exported spans.
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for span in named("FeatureStore.activate_features") {
        *counts.entry((span.str("plan"), span.str("feature_group"))).or_default() += 1;
        let service = spans
            .iter()
            .find(|parent| parent.span_id == span.parent_span_id)
            .expect("the activation's parent");
        assert_eq!(service.name, "SubscriptionService.initialize_business");
        assert_eq!(service.trace_id, span.trace_id);
        assert_eq!(service.str("business.plan"), span.str("plan"));
        if span.str("feature_group") == "LEGACY" {
            assert!(span.str("features").contains("TRANSACTION_IMPORT"));
        }
    }
    let after = SIGNUPS..SIGNUPS + SIGNUPS_AFTER_FIX;
    assert_eq!(
        counts.get(&("STARTER", "LEGACY")).copied(),
        Some(accepted_on(Plan::Starter, 0..SIGNUPS))
    );
    assert_eq!(
        counts.get(&("STARTER", "STARTER")).copied(),
        Some(accepted_on(Plan::Starter, after))
    );
    assert_eq!(counts.get(&("STARTER", "PRO")), None);

    // No personal value anywhere in what went over the wire.
    let personal: Vec<String> = (0..SIGNUPS + SIGNUPS_AFTER_FIX)
        .flat_map(signups::personal_values)
        .collect();
    assert!(personal.len() > requests * 3);
    for post in &posts {
        if let Some(value) = find_any(&post.body, &personal) {
            panic!("{value:?} was exported");
        }
    }
    let first_email = &signups::request(0).user.email;
    let control = [b"\x0a\x19".as_slice(), first_email.as_bytes()].concat();
    assert_eq!(
        find_any(&control, &personal),
        Some(first_email.as_str()),
        "the search finds a leak"
    );
    let allowed = [user_id(0)];
    assert!(
        posts.iter().any(|post| find_any(&post.body, &allowed).is_some()),
        "the allowed user id was exported"
    );
}

/// The first of `needles` found in `haystack`: one pass over the haystack,
/// looking needles up by their first 8 bytes.
fn find_any<'n>(haystack: &[u8], needles: &'n [String]) -> Option<&'n str> {
    const PREFIX: usize = 8;
    let mut by_prefix: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for needle in needles {
        assert!(needle.len() >= PREFIX, "{needle:?} is too short to look up");
        by_prefix.entry(&needle.as_bytes()[..PREFIX]).or_default().push(needle);
    }
    haystack.windows(PREFIX).enumerate().find_map(|(start, window)| {
        by_prefix
            .get(window)?
            .iter()
            .copied()
            .find(|needle| haystack[start..].starts_with(needle.as_bytes()))
    })
}

#[test]
fn the_example_fails_loudly_when_the_collector_is_unreachable() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (output, _) = run_example_unchecked(&[("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "exit status {}", output.status);
    assert!(
        stderr.contains(&format!("OTLP export to {endpoint}/v1/traces incomplete: 0 of ")),
        "{stderr}"
    );
}

#[test]
fn an_unsupported_protocol_stops_the_example_before_it_starts() {
    let (output, _) = run_example_unchecked(&[
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
        ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"),
    ]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "nothing ran");
    assert!(String::from_utf8_lossy(&output.stderr).contains("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json"));
}

fn user_id(index: u32) -> String {
    signups::request(index).user.user_id.0.to_string()
}
