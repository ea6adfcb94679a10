//! Simulated sign-ups, deterministic so runs and tests agree.

use uuid::Uuid;

use crate::domain::{Business, BusinessId, Card, Plan, User, UserId};

const COUNTRIES: [&str; 5] = ["CA", "US", "GB", "FR", "JM"];
const PLANS: [Plan; 3] = [Plan::Starter, Plan::Legacy, Plan::Pro];

/// The `index`-th simulated business, with personal data on it.
pub fn business(index: u32) -> Business {
    let seed = u128::from(index);
    Business {
        business_id: BusinessId(Uuid::from_u128(0xB000_0000 + seed)),
        owner: User {
            user_id: UserId(Uuid::from_u128(0xA000_0000 + seed)),
            email: format!("owner{index}@example.com"),
            full_name: format!("Owner Number{index}"),
        },
        country: COUNTRIES[index as usize % COUNTRIES.len()].to_owned(),
        plan: PLANS[(index as usize * 7 / 3) % PLANS.len()],
        card: Some(Card {
            number: format!("4111 1111 1111 {:04}", index % 10_000),
        }),
    }
}
