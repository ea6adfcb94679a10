//! Names that look personal: never suggested, listed for a human to review.
//!
//! This is a heuristic on top of the deny floor, deliberately broader than
//! it: a flagged name is not denied, only kept out of the suggestions.

/// Terms matched anywhere in the normalised name (see
/// [`normalize`](crate::rules::deny::normalize)): `billing_address` and
/// `contactEmail` both look personal.
pub const PERSONAL_SUBSTRINGS: &[&str] = &[
    "email",
    "firstname",
    "lastname",
    "fullname",
    "middlename",
    "givenname",
    "familyname",
    "surname",
    "username",
    "displayname",
    "phone",
    "address",
    "ipaddr",
    "birth",
    "passport",
    "postalcode",
    "zipcode",
    "nationalid",
    "driverslicense",
    "geolocation",
    "latitude",
    "longitude",
];

/// Short terms matched as whole words only (`client_ip`, `userName`, `dob`),
/// so `shipping` and `classname` are not flagged.
pub const PERSONAL_WORDS: &[&str] = &["name", "ip", "dob", "ssn", "sin", "zip"];

/// The term that makes `identifier` look personal, if any.
///
/// ```
/// use caci_core::coverage::looks_personal;
///
/// assert_eq!(looks_personal("billing_address"), Some("address"));
/// assert_eq!(looks_personal("contactEmail"), Some("email"));
/// assert_eq!(looks_personal("displayName"), Some("displayname"));
/// assert_eq!(looks_personal("client_ip"), Some("ip"));
/// assert_eq!(looks_personal("shipping"), None);
/// assert_eq!(looks_personal("plan"), None);
/// ```
pub fn looks_personal(identifier: &str) -> Option<&'static str> {
    let normalized = crate::rules::deny::normalize(identifier);
    if let Some(term) = PERSONAL_SUBSTRINGS.iter().find(|term| normalized.contains(*term)) {
        return Some(term);
    }
    identifier_words(identifier).find_map(|word| PERSONAL_WORDS.iter().copied().find(|term| *term == word))
}

/// The lower-case words of an identifier: split at anything but letters and
/// digits, and where a lower-case letter or digit meets an upper-case one
/// (how [`looks_personal`] reads a name).
///
/// ```
/// use caci_core::coverage::identifier_words;
///
/// let words: Vec<String> = identifier_words("billingAddress_line2").collect();
/// assert_eq!(words, ["billing", "address", "line2"]);
/// ```
pub fn identifier_words(identifier: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for ch in identifier.chars() {
        if !ch.is_alphanumeric() {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if ch.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = ch.is_lowercase() || ch.is_numeric();
        current.extend(ch.to_lowercase());
    }
    words.push(current);
    words.into_iter().filter(|word| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_snake_kebab_and_camel_case() {
        let split = |name| identifier_words(name).collect::<Vec<_>>();
        assert_eq!(split("client_ip"), ["client", "ip"]);
        assert_eq!(split("userIP"), ["user", "ip"]);
        assert_eq!(split("x-forwarded-for"), ["x", "forwarded", "for"]);
        assert_eq!(split("business2Name"), ["business2", "name"]);
    }

    #[test]
    fn short_terms_match_whole_words_only() {
        assert_eq!(looks_personal("name"), Some("name"));
        assert_eq!(looks_personal("customer_name"), Some("name"));
        assert_eq!(looks_personal("classname"), None);
        assert_eq!(looks_personal("recipient_count"), None);
        assert_eq!(looks_personal("zip"), Some("zip"));
        assert_eq!(looks_personal("gzip_level"), None);
    }
}
