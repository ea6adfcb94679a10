//! The deny list: identifiers that are never captured, whatever is allowed.
//!
//! Names are compared exactly after normalisation (lower-case, with `_`, `-`,
//! `$` and `@` removed), so `api_key`, `API-Key` and `apiKey` are one name.

use std::collections::BTreeSet;

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

/// Normalises an identifier for deny-list matching.
///
/// ```
/// assert_eq!(caci_core::config::deny::normalize("X-Api_Key"), "xapikey");
/// assert_eq!(caci_core::config::deny::normalize("user@Email$"), "useremail");
/// ```
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    extend_normalized(&mut out, name);
    out
}

fn extend_normalized(out: &mut impl Extend<char>, name: &str) {
    out.extend(
        name.chars()
            .filter(|ch| !matches!(ch, '_' | '-' | '$' | '@'))
            .flat_map(char::to_lowercase),
    );
}

/// The effective deny list: the floor, plus additions, minus explicit removals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenyList {
    normalized: BTreeSet<String>,
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
        }
    }

    pub(crate) fn with_changes<'a>(
        added: impl IntoIterator<Item = &'a String>,
        removed: impl IntoIterator<Item = &'a String>,
    ) -> Self {
        let mut list = DenyList::floor();
        list.normalized.extend(added.into_iter().map(|name| normalize(name)));
        for name in removed {
            list.normalized.remove(&normalize(name));
        }
        list
    }

    /// Whether `name` (one identifier, not a dotted path) is denied.
    ///
    /// Runs on map keys at render time, so it normalises into a stack buffer.
    pub fn is_denied(&self, name: &str) -> bool {
        let mut buffer = arrayvec::ArrayString::<96>::new();
        let fits = name.chars().all(|ch| {
            matches!(ch, '_' | '-' | '$' | '@') || ch.to_lowercase().all(|lower| buffer.try_push(lower).is_ok())
        });
        if fits {
            self.normalized.contains(buffer.as_str())
        } else {
            self.normalized.contains(&normalize(name))
        }
    }

    /// The normalised identifiers, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.normalized.iter().map(String::as_str)
    }
}

/// Whether `name` is on the built-in floor (before any change).
pub fn is_on_floor(name: &str) -> bool {
    let normalized = normalize(name);
    SECRET_IDENTIFIERS
        .iter()
        .chain(PERSONAL_IDENTIFIERS)
        .any(|entry| *entry == normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_exact_after_normalisation() {
        let deny = DenyList::floor();
        for name in [
            "password",
            "PASSWORD",
            "pass_word",
            "Api-Key",
            "x_api_key",
            "$token",
            "e@mail",
        ] {
            assert!(deny.is_denied(name), "{name} should be denied");
        }
        for name in [
            "password_hint_shown",
            "tokens",
            "plan",
            "business_id",
            "user_id",
            "country",
        ] {
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
    fn long_names_fall_back_to_the_heap_and_still_match() {
        let long = "a".repeat(150);
        let deny = DenyList::with_changes(std::slice::from_ref(&long), &[]);
        assert!(deny.is_denied(&long.to_uppercase()));
        assert!(!deny.is_denied(&long[1..]));
    }
}
