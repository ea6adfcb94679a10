//! The subscription service, instrumented by hand with `caci_core::span!`
//! (the `#[component]` attribute will do this for every method).

use caci_core::Level;

use crate::domain::{Business, BusinessId, Feature, FeatureGroup, Plan};

/// Maps plans to feature groups.
#[derive(Clone, Debug)]
pub struct PlanCatalog {
    /// The data bug from the talk: STARTER points at LEGACY.
    pub starter_points_at_legacy: bool,
}

impl PlanCatalog {
    /// The feature group a plan points at.
    pub fn feature_group_for(&self, plan: Plan) -> FeatureGroup {
        let _span = caci_core::span!(Level::DEBUG, "PlanCatalog.feature_group_for", plan = plan).entered();
        match plan {
            Plan::Starter if self.starter_points_at_legacy => FeatureGroup::Legacy,
            Plan::Starter => FeatureGroup::Starter,
            Plan::Legacy => FeatureGroup::Legacy,
            Plan::Pro => FeatureGroup::Pro,
        }
    }
}

/// What a business ends up with.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Sets up subscriptions for new businesses.
#[derive(Clone, Debug)]
pub struct SubscriptionService {
    /// Where plans point.
    pub catalog: PlanCatalog,
}

impl SubscriptionService {
    /// Behind `/initialize-business`: gives a new business its plan's features.
    pub fn initialize_business(&self, business: &Business) -> Subscription {
        let _span = caci_core::span!(
            Level::INFO,
            "SubscriptionService.initialize_business",
            business = business
        )
        .entered();
        let feature_group = self.catalog.feature_group_for(business.plan);
        let features = feature_group.features();
        self.activate_features(business.business_id, business.plan, feature_group, &features);
        Subscription {
            business_id: business.business_id,
            plan: business.plan,
            feature_group,
            features,
        }
    }

    fn activate_features(
        &self,
        business_id: BusinessId,
        plan: Plan,
        feature_group: FeatureGroup,
        features: &[Feature],
    ) {
        let _span = caci_core::span!(
            Level::INFO,
            "SubscriptionService.activate_features",
            business_id = business_id,
            plan = plan,
            feature_group = feature_group,
            features = features
        )
        .entered();
    }
}
