//! The invoice types: JSON on the wire (serde), telemetry by `Telemetry`.

use std::fmt;

use caci_core::Telemetry;
use serde::{Deserialize, Serialize};

/// An invoice's number: captured as its integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, Telemetry)]
#[serde(transparent)]
pub struct InvoiceId(pub u64);

impl fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The plan a business is billed for: captured as `"STARTER"`, `"PRO"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Telemetry)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Plan {
    /// The free plan.
    Starter,
    /// The paid plan.
    Pro,
}

/// `POST /invoices`: what a client sends.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, Telemetry)]
pub struct NewInvoice {
    /// The business billed.
    pub business_id: u64,
    /// Its plan.
    pub plan: Plan,
    /// The amount, in cents.
    pub amount_cents: u64,
    /// Where the invoice goes: personal, on the deny floor, never captured.
    pub customer_email: String,
}

/// A stored invoice.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, Telemetry)]
pub struct Invoice {
    /// Its number.
    pub id: InvoiceId,
    /// The business billed.
    pub business_id: u64,
    /// Its plan.
    pub plan: Plan,
    /// The amount, in cents.
    pub amount_cents: u64,
    /// Where it went: never captured.
    pub customer_email: String,
}
