//! The router: two handlers over [`InvoiceService`], under tower-http's
//! `TraceLayer`.
//!
//! `TraceLayer::new_for_http()` opens its `request` span at **DEBUG**. Under
//! `RUST_LOG=info` that span is disabled, so the INFO spans CACI opens in
//! the handlers' services have no parent: each becomes a root, and a
//! backend shows one trace per service call instead of one per request.
//! [`trace_layer`] opens the request span at INFO, so CACI's spans nest
//! under it at the level services run at.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::trace::{DefaultMakeSpan, DefaultOnRequest, DefaultOnResponse, HttpMakeClassifier, TraceLayer};
use tracing::Level;

use crate::domain::{Invoice, InvoiceId, NewInvoice};
use crate::service::{InvoiceError, InvoiceService};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The service the handlers call.
    pub invoices: Arc<InvoiceService>,
}

/// The routes, without a trace layer: `POST /invoices`, `GET /invoices/{id}`.
pub fn routes(invoices: InvoiceService) -> Router {
    Router::new()
        .route("/invoices", post(create_invoice))
        .route("/invoices/{id}", get(get_invoice))
        .with_state(AppState {
            invoices: Arc::new(invoices),
        })
}

/// The routes under [`trace_layer`]: what the service serves.
pub fn router(invoices: InvoiceService) -> Router {
    routes(invoices).layer(trace_layer())
}

/// tower-http's `TraceLayer` with its request span, and its one line per
/// response, at INFO (both are DEBUG by default), so CACI's INFO spans have
/// the request span as their parent under `RUST_LOG=info`.
pub fn trace_layer() -> TraceLayer<HttpMakeClassifier, DefaultMakeSpan, DefaultOnRequest, DefaultOnResponse> {
    TraceLayer::new_for_http()
        .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
        .on_response(DefaultOnResponse::new().level(Level::INFO))
}

async fn create_invoice(
    State(state): State<AppState>,
    Json(request): Json<NewInvoice>,
) -> Result<(StatusCode, Json<Invoice>), InvoiceError> {
    let invoice = state.invoices.create(request).await?;
    Ok((StatusCode::CREATED, Json(invoice)))
}

async fn get_invoice(State(state): State<AppState>, Path(id): Path<u64>) -> Result<Json<Invoice>, InvoiceError> {
    Ok(Json(state.invoices.get(InvoiceId(id)).await?))
}

/// An error as a status and `{"error": "…"}`.
impl IntoResponse for InvoiceError {
    fn into_response(self) -> Response {
        let status = match &self {
            InvoiceError::NotFound(_) => StatusCode::NOT_FOUND,
            InvoiceError::EmptyAmount => StatusCode::UNPROCESSABLE_ENTITY,
            InvoiceError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        let message = self.to_string();
        (status, Json(ErrorBody { error: &message })).into_response()
    }
}

/// `{"error": "…"}`.
#[derive(serde::Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}
