//! Simulated sign-ups, deterministic so runs, tests and the README agree.

use crate::domain::{InitializeBusinessRequest, PaymentCard, Plan, User, UserId};

const FIRST_NAMES: [&str; 16] = [
    "Amara",
    "Mateo",
    "Priya",
    "Oluwaseun",
    "Siobhan",
    "Kenji",
    "Fatima",
    "Tobias",
    "Ngozi",
    "Rafael",
    "Ingrid",
    "Dmitri",
    "Aaliyah",
    "Camille",
    "Yusuf",
    "Marguerite",
];
const LAST_NAMES: [&str; 13] = [
    "Okafor",
    "Fernandez",
    "Raghunathan",
    "Adeyemi",
    "Gallagher",
    "Watanabe",
    "Haddad",
    "Lindqvist",
    "Quintero",
    "Bergstrom",
    "Volkov",
    "Beaulieu",
    "Thibodeaux",
];
const TRADES: [&str; 5] = ["Bookkeeping", "Plumbing", "Design Studio", "Catering", "Consulting"];
const COUNTRIES: [&str; 5] = ["CA", "US", "CA", "GB", "JM"];

/// Most sign-ups are on the free STARTER plan; index 0 is STARTER, 1 PRO, 2 LEGACY.
const PLAN_PATTERN: [Plan; 20] = {
    use Plan::{Legacy as L, Pro as P, Starter as S};
    [S, P, L, S, S, P, S, S, P, S, L, S, S, P, S, S, P, S, L, S]
};

/// The `index`-th sign-up request, with personal data on it: a name, an
/// email address, a card.
pub fn request(index: u32) -> InitializeBusinessRequest {
    let i = index as usize;
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[i % LAST_NAMES.len()];
    let full_name = format!("{first} {last}");
    let plan = PLAN_PATTERN[i % PLAN_PATTERN.len()];
    InitializeBusinessRequest {
        user: User {
            user_id: UserId(crate::mixed_uuid(0xA5E2_0000_0000_0000 ^ u64::from(index))),
            email: format!("{}.{}{index}@example.com", first.to_lowercase(), last.to_lowercase()),
            full_name: full_name.clone(),
        },
        business_name: format!("{last} {}", TRADES[i % TRADES.len()]),
        country: if index % 75 == 74 {
            "BR"
        } else {
            COUNTRIES[i % COUNTRIES.len()]
        }
        .to_owned(),
        plan,
        seats: match plan {
            Plan::Pro => 5 + (index % 20) as u16,
            _ => 1 + (index % 3) as u16,
        },
        accepted_terms: index % 50 != 49,
        card: (plan == Plan::Pro).then(|| PaymentCard {
            number: format!("4111 1111 1111 {:04}", index % 10_000),
            holder: full_name.to_uppercase(),
        }),
    }
}

/// Every personal value on the `index`-th request: what must never reach a
/// span, a log line or an exporter.
pub fn personal_values(index: u32) -> Vec<String> {
    let request = request(index);
    let mut values = vec![request.user.email, request.user.full_name, request.business_name];
    if let Some(card) = request.card {
        values.extend([card.number, card.holder]);
    }
    values
}
