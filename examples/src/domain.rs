//! The billing domain: users, businesses, plans, feature groups, features.

use caci_core::Telemetry;
use uuid::Uuid;

/// A business's identifier, captured as its UUID.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessId(pub Uuid);

/// A user's identifier, captured as its UUID.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserId(pub Uuid);

/// What a business pays for.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Plan {
    /// Free.
    Starter,
    /// Free, for businesses from before the current plans.
    Legacy,
    /// Paid.
    Pro,
}

/// A named set of features a plan points at.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeatureGroup {
    /// The free features.
    Starter,
    /// The free features plus what legacy businesses kept: transaction import.
    Legacy,
    /// Everything.
    Pro,
}

/// One feature of the product.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Feature {
    /// Send invoices.
    Invoicing,
    /// Send estimates.
    Estimates,
    /// Invite other users.
    UserManagement,
    /// Scan receipts.
    Receipts,
    /// Connect a bank and import its transactions: premium.
    TransactionImport,
    /// Categorise imported transactions: premium.
    TransactionAutoCategorization,
    /// Remind customers of unpaid invoices: premium.
    PaymentReminders,
}

impl FeatureGroup {
    /// The features in the group.
    pub fn features(self) -> Vec<Feature> {
        use Feature::*;
        match self {
            FeatureGroup::Starter => vec![Invoicing, Estimates, UserManagement, Receipts],
            FeatureGroup::Legacy => vec![Invoicing, Estimates, UserManagement, Receipts, TransactionImport],
            FeatureGroup::Pro => vec![
                Invoicing,
                Estimates,
                UserManagement,
                Receipts,
                TransactionImport,
                TransactionAutoCategorization,
                PaymentReminders,
            ],
        }
    }
}

/// A person who signs up.
#[derive(Telemetry, Clone, Debug)]
pub struct User {
    /// Their id.
    pub user_id: UserId,
    /// Personal: on the deny floor, never captured.
    pub email: String,
    /// Personal: on the deny floor, never captured.
    pub full_name: String,
}

/// Card details: marked sensitive where they are used.
#[derive(Clone, Debug)]
pub struct Card {
    /// The card number.
    pub number: String,
}

/// A business being set up.
#[derive(Telemetry, Clone, Debug)]
pub struct Business {
    /// Its id.
    pub business_id: BusinessId,
    /// Its owner.
    pub owner: User,
    /// ISO country code.
    pub country: String,
    /// The plan it signed up for.
    pub plan: Plan,
    /// Never captured, whatever the configuration says.
    #[telemetry(sensitive)]
    pub card: Option<Card>,
}
