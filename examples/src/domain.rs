//! The billing domain: users, businesses, plans, feature groups, features.
//!
//! Every type derives [`Telemetry`], personal data included: what a span
//! records is the configuration's decision, not the type's. `email` and
//! `full_name` are on CACI's deny floor; the card is marked `sensitive`;
//! `business_name` is simply never allowed.

use caci_core::Telemetry;
use uuid::Uuid;

/// A business's identifier, captured as its UUID.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BusinessId(pub Uuid);

/// A user's identifier, captured as its UUID.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserId(pub Uuid);

/// What a business pays for. STARTER and LEGACY are free, PRO is paid.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Plan {
    /// Free.
    Starter,
    /// Free, for businesses from before the current plans.
    Legacy,
    /// Paid.
    Pro,
}

impl Plan {
    /// Every plan.
    pub const ALL: [Plan; 3] = [Plan::Starter, Plan::Legacy, Plan::Pro];
}

/// A named set of features. Plans are not tied to features directly: each
/// plan points at a feature group (see [`PlanCatalog`](crate::service::PlanCatalog)).
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeatureGroup {
    /// The free features.
    Starter,
    /// The free features plus what legacy businesses kept: transaction import.
    Legacy,
    /// Everything.
    Pro,
}

impl FeatureGroup {
    /// Every feature group.
    pub const ALL: [FeatureGroup; 3] = [FeatureGroup::Starter, FeatureGroup::Legacy, FeatureGroup::Pro];

    /// The features in the group.
    pub fn features(self) -> Vec<Feature> {
        use Feature::*;
        let free = [Invoicing, Estimates, UserManagement, Receipts];
        match self {
            FeatureGroup::Starter => free.to_vec(),
            FeatureGroup::Legacy => [&free[..], &[TransactionImport]].concat(),
            FeatureGroup::Pro => [
                &free[..],
                &[
                    TransactionImport,
                    TransactionAutoCategorization,
                    ApiIntegrations,
                    PaymentReminders,
                ],
            ]
            .concat(),
        }
    }
}

/// One feature of the product.
#[derive(Telemetry, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// Connect other applications: premium.
    ApiIntegrations,
    /// Remind customers of unpaid invoices: premium.
    PaymentReminders,
}

impl Feature {
    /// Whether only paying plans may have the feature.
    pub fn is_premium(self) -> bool {
        !FeatureGroup::Starter.features().contains(&self)
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

/// Card details. Not `Telemetry` at all: every field holding one is marked
/// `#[telemetry(sensitive)]`.
#[derive(Clone, Debug)]
pub struct PaymentCard {
    /// The card number.
    pub number: String,
    /// The name on the card.
    pub holder: String,
}

/// The body of `POST /initialize-business`.
#[derive(Telemetry, Clone, Debug)]
pub struct InitializeBusinessRequest {
    /// Who signs up.
    pub user: User,
    /// Often the owner's own name: not allowed by the configuration.
    pub business_name: String,
    /// ISO 3166 country code.
    pub country: String,
    /// The plan chosen.
    pub plan: Plan,
    /// Seats asked for: an integer.
    pub seats: u16,
    /// Whether the terms were accepted: a bool.
    pub accepted_terms: bool,
    /// Never captured, whatever the configuration says.
    #[telemetry(sensitive)]
    pub card: Option<PaymentCard>,
}

/// A business being set up.
#[derive(Telemetry, Clone, Debug)]
pub struct Business {
    /// Its id.
    pub business_id: BusinessId,
    /// Its owner.
    pub owner: User,
    /// Its name: not allowed by the configuration.
    pub business_name: String,
    /// ISO 3166 country code.
    pub country: String,
    /// The plan it signed up for.
    pub plan: Plan,
    /// Seats.
    pub seats: u16,
    /// Never captured, whatever the configuration says.
    #[telemetry(sensitive)]
    pub card: Option<PaymentCard>,
}

/// What a business ends up with.
#[derive(Telemetry, Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// The business.
    pub business_id: BusinessId,
    /// Its plan.
    pub plan: Plan,
    /// The group its features came from.
    pub feature_group: FeatureGroup,
    /// Its features.
    pub features: Vec<Feature>,
}
