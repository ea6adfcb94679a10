//! What the handlers call: one `#[component]`, errors by `thiserror`.

use std::sync::Arc;

use caci_core::component;

use crate::domain::{Invoice, InvoiceId, NewInvoice};
use crate::repository::{Repository, StorageError};

/// Why a request failed. On `Err`, CACI records the span's `outcome` as
/// `error`, `error.type` and the ERROR status (not the message, which can
/// carry personal data, unless the configuration asks for it).
#[derive(Debug, thiserror::Error)]
pub enum InvoiceError {
    /// No invoice has that number.
    #[error("invoice {0} not found")]
    NotFound(InvoiceId),
    /// An invoice of nothing.
    #[error("the amount must be at least one cent")]
    EmptyAmount,
    /// The repository failed.
    #[error("storage failed")]
    Storage(#[from] StorageError),
}

/// Invoices: checks, then the repository.
pub struct InvoiceService {
    repository: Arc<dyn Repository>,
}

#[component]
impl InvoiceService {
    /// `#[component]` wraps every function of the block, associated
    /// functions such as this one included (a span `InvoiceService.new` on
    /// every call). A constructor called once at start-up is not worth a
    /// span: `#[caci(skip)]` leaves it as written.
    #[caci(skip)]
    pub fn new(repository: Arc<dyn Repository>) -> Self {
        InvoiceService { repository }
    }

    /// Span `InvoiceService.create` with `request.business_id`,
    /// `request.plan` and `request.amount_cents`; never the email.
    pub async fn create(&self, request: NewInvoice) -> Result<Invoice, InvoiceError> {
        if request.amount_cents == 0 {
            return Err(InvoiceError::EmptyAmount);
        }
        Ok(self.repository.insert(request).await?)
    }

    /// Span `InvoiceService.get` with `id`.
    pub async fn get(&self, id: InvoiceId) -> Result<Invoice, InvoiceError> {
        self.repository.find(id).await?.ok_or(InvoiceError::NotFound(id))
    }
}
