//! The deny list: identifiers that are never captured, whatever is allowed.
//!
//! Names are folded (NFKC, lower case, Unicode look-alikes of ASCII letters
//! to those letters) and split into words, and a name is denied when one of
//! its words, or a run of them, is on the list: `api_key`, `API-Key`,
//! `apiKey`, `stripe_api_keys` and `userApiKey` all have the word `apikey`.

use std::collections::BTreeSet;

use super::words;

/// Secret-like identifiers, as in Datadog Dynamic Instrumentation's built-in
/// redaction list (normalised).
pub const SECRET_IDENTIFIERS: &[&str] = &[
    "2fa",
    "accesstoken",
    "aiohttpsession",
    "apikey",
    "apisecret",
    "apisignature",
    "appkey",
    "applicationkey",
    "auth",
    "authorization",
    "authtoken",
    "ccnumber",
    "certificatepin",
    "cipher",
    "clientid",
    "clientsecret",
    "connectionstring",
    "connectsid",
    "cookie",
    "credentials",
    "creditcard",
    "csrf",
    "csrftoken",
    "cvv",
    "databaseurl",
    "dburl",
    "encryptionkey",
    "encryptionkeyid",
    "geolocation",
    "gpgkey",
    "ipaddress",
    "jti",
    "jwt",
    "licensekey",
    "masterkey",
    "mysqlpwd",
    "nonce",
    "oauth",
    "oauthtoken",
    "otp",
    "passhash",
    "passwd",
    "password",
    "passwordb",
    "pemfile",
    "pgpkey",
    "phpsessid",
    "pin",
    "pincode",
    "pkcs8",
    "privatekey",
    "publickey",
    "pwd",
    "recaptchakey",
    "refreshtoken",
    "routingnumber",
    "salt",
    "secret",
    "secretkey",
    "secrettoken",
    "securityanswer",
    "securitycode",
    "securityquestion",
    "serviceaccountcredentials",
    "session",
    "sessionid",
    "sessionkey",
    "setcookie",
    "signature",
    "signaturekey",
    "sshkey",
    "ssn",
    "symfony",
    "token",
    "transactionid",
    "twiliotoken",
    "usersession",
    "voterid",
    "xapikey",
    "xauthtoken",
    "xcsrftoken",
    "xforwardedfor",
    "xrealip",
    "xsrf",
    "xsrftoken",
];

/// Personal identifiers a fintech floor needs on top of the secret list.
pub const PERSONAL_IDENTIFIERS: &[&str] = &[
    "email",
    "emailaddress",
    "phone",
    "phonenumber",
    "mobile",
    "mobilenumber",
    "firstname",
    "lastname",
    "fullname",
    "middlename",
    "givenname",
    "familyname",
    "surname",
    "username",
    "birthdate",
    "dateofbirth",
    "dob",
    "address",
    "streetaddress",
    "homeaddress",
    "postalcode",
    "zipcode",
    "cardnumber",
    "pan",
    "iban",
    "accountnumber",
    "bankaccountnumber",
    "taxid",
    "sin",
    "passport",
    "passportnumber",
    "driverslicense",
    "nationalid",
];

/// Normalises an identifier for deny-list matching: the one normal form of
/// every floor check (NFKC, lower case, Unicode look-alikes of ASCII letters
/// folded to them, separators removed).
///
/// ```
/// assert_eq!(caci_core::config::deny::normalize("X-Api_Key"), "xapikey");
/// assert_eq!(caci_core::config::deny::normalize("user@Email$"), "useremail");
/// ```
pub fn normalize(name: &str) -> String {
    words::normalize(name)
}

/// The effective deny list: the floor, plus additions, minus explicit removals.
///
/// A name is denied when one of its words (or a run of them) is on the list:
/// `new_password`, `userEmail`, `api_keys`. Removing a floor entry lifts the
/// word everywhere; removing a longer name that contains a denied word
/// (`token_count`) exempts that one name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DenyList {
    normalized: BTreeSet<String>,
    exempt: BTreeSet<String>,
}

impl DenyList {
    /// The built-in floor: every secret and personal identifier.
    pub fn floor() -> Self {
        DenyList {
            normalized: SECRET_IDENTIFIERS
                .iter()
                .chain(PERSONAL_IDENTIFIERS)
                .map(|name| (*name).to_owned())
                .collect(),
            exempt: BTreeSet::new(),
        }
    }

    pub(crate) fn with_changes<'a>(
        added: impl IntoIterator<Item = &'a String>,
        removed: impl IntoIterator<Item = &'a String>,
    ) -> Self {
        let mut list = DenyList::floor();
        list.normalized.extend(added.into_iter().map(|name| normalize(name)));
        for name in removed {
            let name = normalize(name);
            if !list.normalized.remove(&name) {
                list.exempt.insert(name);
            }
        }
        list
    }

    /// The word of `name` (one identifier, not a dotted path) that the list
    /// denies, normalised, or `None` when `name` is not denied.
    ///
    /// ```
    /// let floor = caci_core::config::deny::DenyList::floor();
    /// assert_eq!(floor.denied_word("new_password").as_deref(), Some("password"));
    /// assert_eq!(floor.denied_word("userEmails").as_deref(), Some("email"));
    /// assert_eq!(floor.denied_word("business_id"), None);
    /// ```
    pub fn denied_word(&self, name: &str) -> Option<String> {
        if !self.exempt.is_empty() && self.exempt.contains(&normalize(name)) {
            return None;
        }
        words::find_word(name, |candidate| self.normalized.contains(candidate))
    }

    /// Whether `name` (one identifier, not a dotted path) is denied.
    pub fn is_denied(&self, name: &str) -> bool {
        self.denied_word(name).is_some()
    }

    /// The normalised identifiers, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.normalized.iter().map(String::as_str)
    }
}

/// Whether `name` is on the built-in floor (before any change): an entry
/// itself, or a name with a floor word.
pub fn is_on_floor(name: &str) -> bool {
    floor_word(name).is_some()
}

/// The built-in floor's word in `name`, if any.
pub(crate) fn floor_word(name: &str) -> Option<String> {
    words::find_word(name, |candidate| {
        SECRET_IDENTIFIERS.contains(&candidate) || PERSONAL_IDENTIFIERS.contains(&candidate)
    })
}

/// Type patterns never captured (`denied_types`): a name alone matches a
/// type's own name, a path with `::` its full path, and `*` stands for any
/// run of characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct DeniedTypes(Vec<String>);

impl DeniedTypes {
    pub(crate) fn new(patterns: &[String]) -> Self {
        DeniedTypes(patterns.to_vec())
    }

    /// The first pattern that `path` (its own name: `own`) matches.
    pub(crate) fn matching(&self, path: &str, own: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|pattern| {
                let subject = if pattern.contains("::") { path } else { own };
                wildcard_match(pattern.as_bytes(), subject.as_bytes())
            })
            .map(String::as_str)
    }
}

/// `*`-only wildcard matching, iterative with one backtrack point (the
/// classic greedy algorithm: linear in practice, no recursion).
fn wildcard_match(pattern: &[u8], subject: &[u8]) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < subject.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, s));
            p += 1;
        } else if p < pattern.len() && pattern[p] == subject[s] {
            p += 1;
            s += 1;
        } else if let Some((star_p, star_s)) = star {
            p = star_p + 1;
            s = star_s + 1;
            star = Some((star_p, star_s + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&byte| byte == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_by_word_after_normalisation() {
        let deny = DenyList::floor();
        for name in [
            "password",
            "PASSWORD",
            "pass_word",
            "Api-Key",
            "x_api_key",
            "$token",
            "e@mail",
            "password_hint_shown",
            "tokens",
            "user_email",
            "newPassword",
            "db2Password",
        ] {
            assert!(deny.is_denied(name), "{name} should be denied");
        }
        for name in ["plan", "business_id", "user_id", "country"] {
            assert!(!deny.is_denied(name), "{name} should not be denied");
        }
    }

    #[test]
    fn the_floor_holds_every_secret_and_personal_identifier_normalised() {
        assert_eq!(SECRET_IDENTIFIERS.len(), 85);
        for name in SECRET_IDENTIFIERS.iter().chain(PERSONAL_IDENTIFIERS) {
            assert_eq!(normalize(name), *name, "floor entries are stored normalised");
        }
    }

    #[test]
    fn additions_and_removals_change_the_floor() {
        let deny = DenyList::with_changes(&["internal_note".to_owned()], &["Address".to_owned()]);
        assert!(deny.is_denied("internalNote"));
        assert!(!deny.is_denied("address"));
        assert!(deny.is_denied("email"));
    }

    #[test]
    fn removing_a_compound_name_exempts_only_that_name() {
        let deny = DenyList::with_changes(&[], &["token_count".to_owned()]);
        assert!(!deny.is_denied("token_count"));
        assert!(!deny.is_denied("TokenCount"));
        assert!(deny.is_denied("stripe_token"));
        assert!(deny.is_denied("token"));
    }

    #[test]
    fn type_patterns_match_own_names_or_full_paths_with_wildcards() {
        let types = DeniedTypes::new(&["*Secret*".to_owned(), "app::vault::*".to_owned(), "Pw".to_owned()]);
        assert_eq!(types.matching("app::SecretKey", "SecretKey"), Some("*Secret*"));
        assert_eq!(types.matching("app::vault::Entry", "Entry"), Some("app::vault::*"));
        assert_eq!(types.matching("app::Pw", "Pw"), Some("Pw"));
        assert_eq!(types.matching("app::Pwx", "Pwx"), None);
        assert_eq!(types.matching("other::vault::Entry", "Entry"), None);
        assert!(wildcard_match(b"a*b*c", b"aXXbYYc"));
        assert!(!wildcard_match(b"a*b*c", b"aXXbYY"));
        assert!(wildcard_match(b"**", b""));
    }

    #[test]
    fn long_names_fall_back_to_the_heap_and_still_match() {
        let long = "a".repeat(150);
        let deny = DenyList::with_changes(std::slice::from_ref(&long), &[]);
        assert!(deny.is_denied(&long.to_uppercase()));
        assert!(!deny.is_denied(&long[1..]));
    }
}
