//! The router driven in-process (`tower::ServiceExt::oneshot`, no socket) on
//! a current-thread runtime, its spans captured with `caci_testkit::capture_async`
//! (this thread only, so these tests run in parallel): CACI's spans nest
//! under tower-http's request span, with typed fields and nothing personal.

use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use caci_axum_service::domain::{Invoice, InvoiceId, NewInvoice};
use caci_axum_service::http::router;
use caci_axum_service::repository::{InMemoryRepository, Repository, StorageError};
use caci_axum_service::service::InvoiceService;
use caci_testkit::{Captured, FieldValue, SpanQuery};
use tower::ServiceExt as _;

const NEW_INVOICE: &str = r#"{"business_id":42,"plan":"PRO","amount_cents":1200,"customer_email":"ana@example.com"}"#;

/// Sends `requests` in order through one router; the statuses and bodies,
/// and every span they opened.
async fn run(repository: Arc<dyn Repository>, requests: Vec<Request<Body>>) -> (Vec<(StatusCode, String)>, Captured) {
    let app = router(InvoiceService::new(repository));
    let config = caci_axum_service::capture_configuration();
    caci_testkit::capture_async(&config, async move {
        let mut replies = Vec::new();
        for request in requests {
            let response = app.clone().oneshot(request).await.expect("the router is infallible");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("a body");
            replies.push((status, String::from_utf8(body.to_vec()).expect("UTF-8")));
        }
        replies
    })
    .await
}

fn post(body: &str) -> Request<Body> {
    Request::post("/invoices")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn create_nests_under_the_request_span_with_typed_fields() {
    let (replies, captured) = run(Arc::new(InMemoryRepository::default()), vec![post(NEW_INVOICE)]).await;
    assert_eq!(replies[0].0, StatusCode::CREATED, "{}", replies[0].1);
    let invoice: Invoice = serde_json::from_str(&replies[0].1).unwrap();
    assert_eq!(invoice.id, InvoiceId(1));

    let request = captured.span("request");
    assert_eq!(
        request.level,
        tracing::Level::INFO,
        "trace_layer() opens the request span at INFO"
    );
    request.assert_field("method", "POST").assert_field("uri", "/invoices");
    captured
        .span("InvoiceService.create")
        .assert_field_typed("request.business_id", FieldValue::I64(42))
        .assert_field_typed("request.amount_cents", FieldValue::I64(1200))
        .assert_field("request.plan", "PRO")
        .assert_no_field("request.customer_email")
        .assert_outcome("ok");
    captured
        .span("InMemoryRepository.insert")
        .assert_field("new.plan", "PRO")
        .assert_outcome("ok");
    captured.assert_child_of("InvoiceService.create", "request");
    captured.assert_child_of("InMemoryRepository.insert", "InvoiceService.create");
    // In the HTTP response, never in telemetry.
    assert!(replies[0].1.contains("ana@example.com"));
    captured.assert_never_contains("ana@example.com");
}

#[tokio::test]
async fn a_missing_invoice_is_a_404_and_an_error_outcome() {
    let (replies, captured) = run(
        Arc::new(InMemoryRepository::default()),
        vec![post(NEW_INVOICE), get("/invoices/1"), get("/invoices/999")],
    )
    .await;
    let statuses: Vec<_> = replies.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::OK, StatusCode::NOT_FOUND]);
    assert_eq!(replies[2].1, r#"{"error":"invoice 999 not found"}"#);

    captured
        .span(SpanQuery::named("InvoiceService.get").with("id", 1))
        .assert_outcome("ok");
    let missing = SpanQuery::named("InvoiceService.get").with("id", 999);
    captured
        .span(&missing)
        .assert_outcome("error")
        .assert_error(Some("caci_axum_service::service::InvoiceError"));
    captured.assert_child_of(&missing, SpanQuery::named("request").with("uri", "/invoices/999"));
    // The repository found nothing, which is not an error of its own.
    captured
        .span(SpanQuery::named("InMemoryRepository.find").with("id", 999))
        .assert_outcome("ok");
    assert_eq!(captured.spans_named("request").count(), 3, "one request span a request");
}

#[tokio::test]
async fn a_refused_amount_never_reaches_the_repository() {
    let zero = r#"{"business_id":7,"plan":"STARTER","amount_cents":0,"customer_email":"bo@example.com"}"#;
    let (replies, captured) = run(Arc::new(InMemoryRepository::default()), vec![post(zero)]).await;
    assert_eq!(replies[0].0, StatusCode::UNPROCESSABLE_ENTITY);
    captured
        .span("InvoiceService.create")
        .assert_field("request.plan", "STARTER")
        .assert_field("request.amount_cents", 0)
        .assert_outcome("error");
    captured.assert_none("InMemoryRepository.insert");
    captured.assert_never_contains("bo@example.com");
}

/// Any `Arc<dyn Repository>` fits the service: this one always fails, and is
/// not a component, so only the service's span says so.
struct Unavailable;

#[async_trait]
impl Repository for Unavailable {
    async fn insert(&self, _new: NewInvoice) -> Result<Invoice, StorageError> {
        Err(StorageError::Unavailable)
    }
    async fn find(&self, _id: InvoiceId) -> Result<Option<Invoice>, StorageError> {
        Err(StorageError::Unavailable)
    }
}

#[tokio::test]
async fn a_storage_failure_is_a_503_and_an_error_span() {
    let (replies, captured) = run(Arc::new(Unavailable), vec![get("/invoices/1")]).await;
    assert_eq!(replies[0].0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(replies[0].1, r#"{"error":"storage failed"}"#);
    captured
        .span("InvoiceService.get")
        .assert_field("id", 1)
        .assert_outcome("error");
    captured.assert_child_of("InvoiceService.get", "request");
}
