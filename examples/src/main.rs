//! Runs a few sign-ups through the subscription service and prints the spans
//! CACI captured: the plan and feature group are on them, personal data is not.

use caci_examples::service::{PlanCatalog, SubscriptionService};
use caci_examples::{capture_configuration, signups};
use tracing_subscriber::fmt::format::FmtSpan;

fn main() {
    tracing_subscriber::fmt()
        .with_span_events(FmtSpan::NEW)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .without_time()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    caci_core::install(capture_configuration());

    let service = SubscriptionService {
        catalog: PlanCatalog {
            starter_points_at_legacy: true,
        },
    };
    for index in 0..6 {
        let subscription = service.initialize_business(&signups::business(index));
        println!(
            "  -> {:?} business got {:?} features ({} features)",
            subscription.plan,
            subscription.feature_group,
            subscription.features.len()
        );
    }
}
