//! What a field's name says: secret or personal (marked `sensitive`), an
//! id, a status or code, a count. The secret and personal words are the
//! deny floor's own ([`DenyList::floor`]), matched by its word rule, and
//! the coverage report's "looks personal" heuristic; nothing is re-listed
//! here but a few payment words the floor only has in longer forms.

use caci_core::config::deny::DenyList;
use caci_core::coverage::{identifier_words, looks_personal};

/// Payment words the floor knows only in longer names (`cardnumber`,
/// `creditcard`): a field called `card` or `card_token` holds one too.
const PAYMENT_WORDS: &[&str] = &["card", "cards", "bearer", "vault"];

/// Names of values with few distinct values, good span attributes.
const STATUS_WORDS: &[&str] = &[
    "status",
    "state",
    "plan",
    "tier",
    "kind",
    "category",
    "country",
    "currency",
    "region",
    "locale",
    "language",
    "role",
    "stage",
    "phase",
    "mode",
    "level",
    "priority",
    "channel",
    "method",
    "environment",
    "reason",
];

/// Names of counts and amounts.
const COUNT_WORDS: &[&str] = &[
    "count", "seats", "quantity", "qty", "attempts", "attempt", "retries", "size", "limit", "page", "total", "cents",
    "amount",
];

/// Why a field is marked `#[telemetry(sensitive)]`: the floor word it has,
/// or the payment word.
///
/// ```
/// use cargo_caci::discover::names::sensitive_word;
///
/// assert_eq!(sensitive_word("new_password").as_deref(), Some("password"));
/// assert_eq!(sensitive_word("userEmail").as_deref(), Some("email"));
/// assert_eq!(sensitive_word("card").as_deref(), Some("card"));
/// assert_eq!(sensitive_word("business_id"), None);
/// ```
pub fn sensitive_word(name: &str) -> Option<String> {
    if let Some(word) = DenyList::floor().denied_word(name) {
        return Some(word);
    }
    identifier_words(name)
        .find(|word| PAYMENT_WORDS.contains(&word.as_str()))
        .map(|word| word.trim_end_matches('s').to_owned())
}

/// Why a name needs a reviewer before it is allowed: it looks personal
/// (`business_name`, `holder_name`), without being on the floor.
pub fn needs_review(name: &str) -> Option<&'static str> {
    looks_personal(name)
}

/// Whether a name is an id's: `id`, `business_id`, `invoiceId`.
pub fn is_id(name: &str) -> bool {
    identifier_words(name).last().is_some_and(|word| word == "id")
}

/// Whether a name is a status or code (`status`, `payment_state`, `country`).
pub fn is_status(name: &str) -> bool {
    identifier_words(name).any(|word| STATUS_WORDS.contains(&word.as_str()))
}

/// Whether a name is a count or an amount (`seats`, `retry_count`, `amount_cents`).
pub fn is_count(name: &str) -> bool {
    identifier_words(name).any(|word| COUNT_WORDS.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_statuses_and_counts_are_told_apart() {
        assert!(is_id("business_id") && is_id("id") && is_id("invoiceId"));
        assert!(!is_id("idle") && !is_id("valid"));
        assert!(is_status("plan") && is_status("payment_status") && is_status("country"));
        assert!(!is_status("planet_name"));
        assert!(is_count("seats") && is_count("retry_count") && is_count("amount_cents"));
    }

    #[test]
    fn personal_names_need_review_and_floor_names_are_sensitive() {
        assert_eq!(needs_review("business_name"), Some("name"));
        assert_eq!(sensitive_word("full_name").as_deref(), Some("fullname"));
        assert_eq!(sensitive_word("api_key").as_deref(), Some("apikey"));
        assert_eq!(sensitive_word("cards").as_deref(), Some("card"));
        assert_eq!(sensitive_word("discarded"), None);
    }
}
