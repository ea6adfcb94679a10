//! The components behind `/initialize-business`, and the data fix.
//!
//! ```text
//! SubscriptionApi.initialize_business          POST /initialize-business
//! └─ SubscriptionService.initialize_business
//!    ├─ PlanCatalog.feature_group_for          the plan → feature group lookup (the bug)
//!    └─ FeatureStore.activate_features
//! DataFix.fix_premium_leak                     the 3-minute data fix
//! ├─ PlanCatalog.point_plan_at
//! ├─ FeatureStore.businesses_with
//! └─ FeatureStore.revoke_features              one per affected business
//! ```
//!
//! Each component's impl block is wrapped by `#[caci_core::component]`: every
//! method opens a span named `Component.method` with what the configuration
//! allows of each argument, then records `outcome`, `duration_ns` and, on
//! `Err`, `error.type` (the variant) and `otel.status_code`. Constructors and helpers live
//! in separate, unwrapped impl blocks.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use crate::domain::{Business, BusinessId, Feature, FeatureGroup, InitializeBusinessRequest, Plan, Subscription};

/// Countries the product is sold in.
pub const SUPPORTED_COUNTRIES: [&str; 6] = ["CA", "US", "GB", "FR", "JM", "NG"];

/// Why `/initialize-business` refused a request. Deriving `Telemetry` makes
/// a failed call's `error.type` the variant, `ApiError::TermsNotAccepted`.
#[derive(Clone, Debug, PartialEq, Eq, caci_core::Telemetry)]
pub enum ApiError {
    /// The terms of service were not accepted.
    TermsNotAccepted,
    /// The country is not one we sell in.
    UnsupportedCountry,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApiError::TermsNotAccepted => "the terms of service were not accepted",
            ApiError::UnsupportedCountry => "the country is not supported",
        })
    }
}

impl std::error::Error for ApiError {}

/// The HTTP layer: validates a sign-up and hands it to the service.
#[derive(Debug)]
pub struct SubscriptionApi {
    service: SubscriptionService,
    next_business: AtomicU64,
}

impl SubscriptionApi {
    /// An API in front of `service`.
    pub fn new(service: SubscriptionService) -> Self {
        SubscriptionApi {
            service,
            next_business: AtomicU64::new(0),
        }
    }
}

#[caci_core::component]
impl SubscriptionApi {
    /// `POST /initialize-business`.
    pub fn initialize_business(&self, request: &InitializeBusinessRequest) -> Result<Subscription, ApiError> {
        validate(request)?;
        let number = self.next_business.fetch_add(1, Ordering::Relaxed);
        let business = Business {
            business_id: BusinessId(crate::mixed_uuid(BUSINESS_ID_SEED ^ number)),
            owner: request.user.clone(),
            business_name: request.business_name.clone(),
            country: request.country.clone(),
            plan: request.plan,
            seats: request.seats,
            card: request.card.clone(),
        };
        Ok(self.service.initialize_business(&business))
    }
}

/// Whether `/initialize-business` accepts a request.
pub fn validate(request: &InitializeBusinessRequest) -> Result<(), ApiError> {
    if !request.accepted_terms {
        return Err(ApiError::TermsNotAccepted);
    }
    if !SUPPORTED_COUNTRIES.contains(&request.country.as_str()) {
        return Err(ApiError::UnsupportedCountry);
    }
    Ok(())
}

const BUSINESS_ID_SEED: u64 = 0xB5B5_0000_0000_0000;

/// Sets up subscriptions for new businesses.
#[derive(Clone, Debug)]
pub struct SubscriptionService {
    /// Where plans point.
    pub catalog: Arc<PlanCatalog>,
    /// Which business has which features.
    pub store: Arc<FeatureStore>,
}

#[caci_core::component]
impl SubscriptionService {
    /// Gives a new business its plan's features: the plan's feature group,
    /// as the catalog says.
    pub fn initialize_business(&self, business: &Business) -> Subscription {
        let feature_group = self.catalog.feature_group_for(business.plan);
        let features = feature_group.features();
        self.store
            .activate_features(business.business_id, business.plan, feature_group, &features);
        Subscription {
            business_id: business.business_id,
            plan: business.plan,
            feature_group,
            features,
        }
    }
}

/// Maps plans to feature groups: data, not code, which is how a wrong row
/// handed free businesses a premium feature.
#[derive(Debug)]
pub struct PlanCatalog {
    groups: RwLock<BTreeMap<Plan, FeatureGroup>>,
}

impl PlanCatalog {
    /// The catalog as deployed in the talk: STARTER points at LEGACY.
    pub fn as_deployed() -> Self {
        PlanCatalog::with(&[
            (Plan::Starter, FeatureGroup::Legacy),
            (Plan::Legacy, FeatureGroup::Legacy),
            (Plan::Pro, FeatureGroup::Pro),
        ])
    }

    /// The catalog as intended: every plan points at its own group.
    pub fn intended() -> Self {
        PlanCatalog::with(&[
            (Plan::Starter, FeatureGroup::Starter),
            (Plan::Legacy, FeatureGroup::Legacy),
            (Plan::Pro, FeatureGroup::Pro),
        ])
    }

    fn with(rows: &[(Plan, FeatureGroup)]) -> Self {
        PlanCatalog {
            groups: RwLock::new(rows.iter().copied().collect()),
        }
    }
}

#[caci_core::component]
impl PlanCatalog {
    /// The feature group a plan points at.
    pub fn feature_group_for(&self, plan: Plan) -> FeatureGroup {
        let groups = self.groups.read().unwrap_or_else(PoisonError::into_inner);
        groups.get(&plan).copied().unwrap_or(FeatureGroup::Starter)
    }

    /// Points `plan` at `feature_group`; returns the group it pointed at.
    pub fn point_plan_at(&self, plan: Plan, feature_group: FeatureGroup) -> Option<FeatureGroup> {
        let mut groups = self.groups.write().unwrap_or_else(PoisonError::into_inner);
        groups.insert(plan, feature_group)
    }
}

/// What one business has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entitlement {
    /// Its plan.
    pub plan: Plan,
    /// The group its features were activated from.
    pub feature_group: FeatureGroup,
    /// Its features now.
    pub features: Vec<Feature>,
}

/// Which business has which features.
#[derive(Debug, Default)]
pub struct FeatureStore {
    businesses: Mutex<BTreeMap<BusinessId, Entitlement>>,
}

impl FeatureStore {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<BusinessId, Entitlement>> {
        self.businesses.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What every business has, by id.
    pub fn entitlements(&self) -> BTreeMap<BusinessId, Entitlement> {
        self.lock().clone()
    }
}

#[caci_core::component]
impl FeatureStore {
    /// Turns `features` on for a business.
    pub fn activate_features(
        &self,
        business_id: BusinessId,
        plan: Plan,
        feature_group: FeatureGroup,
        features: &[Feature],
    ) {
        let entitlement = Entitlement {
            plan,
            feature_group,
            features: features.to_vec(),
        };
        self.lock().insert(business_id, entitlement);
    }

    /// Turns `features` off for a business.
    pub fn revoke_features(&self, business_id: BusinessId, features: &[Feature]) {
        if let Some(entitlement) = self.lock().get_mut(&business_id) {
            entitlement.features.retain(|feature| !features.contains(feature));
        }
    }

    /// The businesses on `plan` that have `feature`.
    pub fn businesses_with(&self, plan: Plan, feature: Feature) -> Vec<BusinessId> {
        self.lock()
            .iter()
            .filter(|(_, entitlement)| entitlement.plan == plan && entitlement.features.contains(&feature))
            .map(|(business_id, _)| *business_id)
            .collect()
    }
}

/// What the data fix did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFixReport {
    /// The plan repointed.
    pub plan: Plan,
    /// The group it pointed at before.
    pub previous_group: Option<FeatureGroup>,
    /// The group it points at now.
    pub feature_group: FeatureGroup,
    /// Premium features taken back, per feature.
    pub revoked: BTreeMap<Feature, usize>,
}

/// The fix, once the traces showed STARTER → LEGACY: point the plan at the
/// right group, and take back what it should never have given.
#[derive(Clone, Debug)]
pub struct DataFix {
    /// Where plans point.
    pub catalog: Arc<PlanCatalog>,
    /// Which business has which features.
    pub store: Arc<FeatureStore>,
}

#[caci_core::component]
impl DataFix {
    /// Points `plan` at `feature_group` and revokes, from the businesses on
    /// `plan`, every feature outside that group.
    pub fn fix_premium_leak(&self, plan: Plan, feature_group: FeatureGroup) -> DataFixReport {
        let previous_group = self.catalog.point_plan_at(plan, feature_group);
        let allowed = feature_group.features();
        let mut revoked = BTreeMap::new();
        let extra = FeatureGroup::Pro
            .features()
            .into_iter()
            .filter(|feature| !allowed.contains(feature));
        for feature in extra {
            for business_id in self.store.businesses_with(plan, feature) {
                self.store.revoke_features(business_id, &[feature]);
                *revoked.entry(feature).or_insert(0) += 1;
            }
        }
        DataFixReport {
            plan,
            previous_group,
            feature_group,
            revoked,
        }
    }
}

/// A catalog, a store, and the components over them, wired as in production.
#[derive(Debug)]
pub struct App {
    /// `POST /initialize-business`.
    pub api: SubscriptionApi,
    /// The data fix, sharing the catalog and store.
    pub data_fix: DataFix,
    /// The store, to inspect.
    pub store: Arc<FeatureStore>,
}

impl App {
    /// Wires the components over `catalog`.
    pub fn new(catalog: PlanCatalog) -> Self {
        let catalog = Arc::new(catalog);
        let store = Arc::new(FeatureStore::default());
        let service = SubscriptionService {
            catalog: Arc::clone(&catalog),
            store: Arc::clone(&store),
        };
        App {
            api: SubscriptionApi::new(service),
            data_fix: DataFix {
                catalog,
                store: Arc::clone(&store),
            },
            store,
        }
    }
}
