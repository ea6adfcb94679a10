//! Why `trace_layer()` sets the request span to INFO: under a subscriber
//! filtered at INFO (what `RUST_LOG=info` gives), tower-http's default
//! request span (DEBUG) is disabled and CACI's INFO spans become roots.
//! A plain registry with a level filter here, not the testkit (which
//! captures every level).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::Request;
use caci_axum_service::http::{router, routes};
use caci_axum_service::repository::InMemoryRepository;
use caci_axum_service::service::InvoiceService;
use tower::ServiceExt as _;
use tower_http::trace::TraceLayer;
use tracing::span::{Attributes, Id};
use tracing::subscriber::Subscriber;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// Records every enabled span as `name <- parent` (`-` for a root).
#[derive(Clone, Default)]
struct Parents(Arc<Mutex<Vec<String>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Parents {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .map_or_else(|| "-".to_owned(), |parent| parent.name().to_owned());
        self.0
            .lock()
            .unwrap()
            .push(format!("{} <- {parent}", attrs.metadata().name()));
    }
}

/// One GET through `app` under an INFO filter; the spans that were enabled.
async fn spans_at_info(app: axum::Router) -> Vec<String> {
    let parents = Parents::default();
    let subscriber = tracing_subscriber::registry()
        .with(LevelFilter::INFO)
        .with(parents.clone());
    let _default = tracing::subscriber::set_default(subscriber);
    tracing_core::callsite::rebuild_interest_cache();
    let request = Request::get("/invoices/1").body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), 404);
    parents.0.lock().unwrap().clone()
}

fn service() -> InvoiceService {
    InvoiceService::new(Arc::new(InMemoryRepository::default()))
}

#[tokio::test]
async fn at_info_the_default_request_span_is_off_and_caci_spans_are_roots() {
    let spans = spans_at_info(routes(service()).layer(TraceLayer::new_for_http())).await;
    assert_eq!(
        spans,
        [
            "InvoiceService.get <- -",
            "InMemoryRepository.find <- InvoiceService.get"
        ]
    );
}

#[tokio::test]
async fn at_info_trace_layer_keeps_the_request_span_as_their_parent() {
    let spans = spans_at_info(router(service())).await;
    assert_eq!(
        spans,
        [
            "request <- -",
            "InvoiceService.get <- request",
            "InMemoryRepository.find <- InvoiceService.get"
        ]
    );
}
