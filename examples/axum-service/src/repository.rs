//! Storage behind a trait object: `Arc<dyn Repository>`, async through
//! `#[async_trait]`.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use caci_core::component;

use crate::domain::{Invoice, InvoiceId, NewInvoice};

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The store cannot be reached.
    #[error("the invoice store is unavailable")]
    Unavailable,
}

/// Where invoices live. `Send + Sync` so an `Arc<dyn Repository>` can sit in
/// axum's state.
#[async_trait]
pub trait Repository: Send + Sync {
    /// Stores a new invoice under the next number.
    async fn insert(&self, new: NewInvoice) -> Result<Invoice, StorageError>;
    /// The invoice `id`, if there is one.
    async fn find(&self, id: InvoiceId) -> Result<Option<Invoice>, StorageError>;
}

/// Invoices in memory, numbered from 1.
#[derive(Debug, Default)]
pub struct InMemoryRepository {
    invoices: Mutex<BTreeMap<InvoiceId, Invoice>>,
}

// `#[component]` above `#[async_trait]`: it sees the `async fn`s as written
// (spans `InMemoryRepository.insert`, `.find`), and the future it returns
// stays `Send`, as `#[async_trait]` requires.
#[component]
#[async_trait]
impl Repository for InMemoryRepository {
    async fn insert(&self, new: NewInvoice) -> Result<Invoice, StorageError> {
        let mut invoices = self.invoices.lock().unwrap_or_else(PoisonError::into_inner);
        let id = InvoiceId(invoices.keys().next_back().map_or(1, |last| last.0 + 1));
        let invoice = Invoice {
            id,
            business_id: new.business_id,
            plan: new.plan,
            amount_cents: new.amount_cents,
            customer_email: new.customer_email,
        };
        invoices.insert(id, invoice.clone());
        Ok(invoice)
    }

    async fn find(&self, id: InvoiceId) -> Result<Option<Invoice>, StorageError> {
        let invoices = self.invoices.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(invoices.get(&id).cloned())
    }
}
