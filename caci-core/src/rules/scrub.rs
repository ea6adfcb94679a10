//! Value scrubbing: the second line of defence against capturing secrets and personal data.
//!
//! CACI only captures what the configuration allow-lists, but an allow-listed field can still
//! carry something that must never reach a span: a `reason` quoting a customer's email address, a
//! `note` with a card number pasted into it, a header value forwarded verbatim. [`scrub`] looks at
//! each captured string and says whether it *looks like* one of a few well-known sensitive shapes;
//! the caller then records [`Scrubbed::marker`] instead of the value. It is a heuristic backstop,
//! not a classifier: it is tuned to catch the common shapes with few false positives, and a false
//! positive only costs one field value, while a miss leaks it.
//!
//! What is flagged, in the order the detectors are tried (the first that matches names the value):
//!
//! 1. [`Scrubbed::Credential`]: `Bearer`, `Basic`, `Digest`, `Token` or `Negotiate` (any case) as a
//!    whole word, one space, then a token of at least 8 non-whitespace characters that is not a
//!    plain word (`Basic dXNlcjpwYXNz`, but not `basic plan` or `Basic Authentication`).
//! 2. [`Scrubbed::Jwt`]: `eyJ…` `.` `…` `.` `…` in base64url, not glued to a preceding base64url
//!    character; the signature may be empty (unsecured JWTs).
//! 3. [`Scrubbed::Email`]: `local@domain.tld`, where the domain has at least two labels and a label
//!    after the first is a word of two or more letters. `user@localhost` and `pkg@1.2.3` are *not*
//!    flagged: without a dotted, lettered domain too many ordinary values (`git@host`, npm-style
//!    `name@version`) would be.
//! 4. [`Scrubbed::Iban`]: two letters, two digits, then alphanumerics, 15–34 in all, either compact
//!    or in space-separated groups of four, as a whole word, passing the ISO 13616 mod-97 check.
//! 5. [`Scrubbed::Card`]: 13–19 digits, either one run or digit groups joined by single spaces or by
//!    single dashes (not both; every group but the last 4–6 digits), not part of a decimal number
//!    (`0.4111…`), passing the Luhn check and not all zeros.
//!
//! It runs on the hot path for every captured string, so it never allocates and works on bytes.
//! Values shorter than 6 bytes return at once. Otherwise one vectorizable pass ([`Hints::scan`])
//! counts digits and letters and notes whether `@`, `.`, a space or `J` occur, which decides the
//! detectors that can possibly match: most ordinary values (`STARTER`, `order-12345`, `1.2.3`)
//! fail every hint and cost only that pass. A value that passes a hint (a UUID has 19 digits, prose
//! has spaces) runs only that detector, which starts from a cheap filter or the rare byte of its
//! shape (too few adjacent digits for a card; `@`; a space; `J`; a digit pair) and is linear in the
//! length of the value.

/// What a scrubbed value looked like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scrubbed {
    /// An email address, `local@domain.tld`.
    Email,
    /// A payment card number (PAN) passing the Luhn check.
    Card,
    /// A JSON Web Token, `eyJ<header>.<payload>.<signature>`.
    Jwt,
    /// An `Authorization`-style credential: a scheme word and the token after it.
    Credential,
    /// An international bank account number passing the mod-97 check.
    Iban,
}

impl Scrubbed {
    /// The marker that replaces the value, e.g. "[redacted: card]".
    pub(crate) const fn marker(self) -> &'static str {
        match self {
            Self::Email => "[redacted: email]",
            Self::Card => "[redacted: card]",
            Self::Jwt => "[redacted: jwt]",
            Self::Credential => "[redacted: credential]",
            Self::Iban => "[redacted: iban]",
        }
    }

    /// A short name: "email", "card", "jwt", "credential", "iban".
    #[allow(
        dead_code,
        reason = "part of the module's API before every caller reports kinds by name"
    )]
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Card => "card",
            Self::Jwt => "jwt",
            Self::Credential => "credential",
            Self::Iban => "iban",
        }
    }
}

/// Length of the shortest value any detector matches (`a@b.cd`, `eyJ.a.`).
const MIN_LEN: usize = 6;
/// Authorization schemes, lowercase; compared ignoring ASCII case.
const SCHEMES: [&[u8]; 5] = [b"bearer", b"basic", b"digest", b"token", b"negotiate"];
/// Shortest and longest scheme in [`SCHEMES`]: the pre-scan's letter minimum and a quick word filter.
const SCHEME_LEN: std::ops::RangeInclusive<usize> = 5..=9;
/// Fewest characters a credential token must have.
const TOKEN_MIN: usize = 8;
/// Fewest and most digits in a card number.
const CARD_DIGITS: std::ops::RangeInclusive<usize> = 13..=19;
/// Digits in a card group that is followed by another group (4-4-4-4, 4-6-5, 4-6-4 layouts).
const CARD_INNER_GROUP: std::ops::RangeInclusive<usize> = 4..=6;
/// Most digits in any group of a grouped card number.
const CARD_GROUP_MAX: usize = 6;
/// Fewest digit-after-digit pairs in a card number: 13 digits in the most groups allowed,
/// 4 + 4 + 4 + 1, have 13 - 4 = 9; more digits add pairs at least as fast as groups.
const CARD_MIN_PAIRS: usize = 9;
/// Fewest and most alphanumerics in an IBAN.
const IBAN_LEN: std::ops::RangeInclusive<usize> = 15..=34;
/// Characters in each group of a grouped IBAN (the last may be shorter).
const IBAN_GROUP: usize = 4;

/// What `value` looks like, if it looks like something that must not be captured.
///
/// `None` for everything else. Never allocates; see the module docs for exactly what is flagged.
#[inline]
pub(crate) fn scrub(value: &str) -> Option<Scrubbed> {
    // Most captured strings are short codes (`CA`, `PRO`): no call for them.
    if too_short_to_scrub(value) {
        return None;
    }
    scrub_scanned(value.as_bytes())
}

/// Whether `value` is shorter than anything a detector matches, so that
/// [`scrub`] never flags it.
#[inline(always)]
pub(crate) const fn too_short_to_scrub(value: &str) -> bool {
    value.len() < MIN_LEN
}

/// The length below which a string is recorded as it is under a string
/// limit of `max_len`: too short to scrub ([`too_short_to_scrub`]) and not
/// cut. Computed once per configuration, so the recording's fast path is
/// one comparison.
#[inline(always)]
pub(crate) const fn plain_below(max_len: usize) -> usize {
    let fits = max_len.saturating_add(1);
    if fits < MIN_LEN { fits } else { MIN_LEN }
}

#[inline(never)]
fn scrub_scanned(b: &[u8]) -> Option<Scrubbed> {
    // Every detector needs a digit, an `@`, a `.` or a space: names and
    // codes (`STARTER`, `feature-group`) leave after one short loop.
    if !has_detector_byte(b) {
        return None;
    }
    let hints = Hints::scan(b);
    if !hints.any() {
        return None;
    }
    // Credential before JWT: a bearer JWT is reported as the credential it is part of; IBAN before
    // card: an IBAN's digits can form a Luhn-valid run, and mod-97 is the stronger evidence.
    if hints.credential && has_credential(b) {
        Some(Scrubbed::Credential)
    } else if hints.jwt && has_jwt(b) {
        Some(Scrubbed::Jwt)
    } else if hints.email && has_email(b) {
        Some(Scrubbed::Email)
    } else if hints.iban && has_iban(b) {
        Some(Scrubbed::Iban)
    } else if hints.card && has_card(b) {
        Some(Scrubbed::Card)
    } else {
        None
    }
}

/// Whether `b` has a byte some detector needs: a digit, an `@`, a `.` or
/// a space.
#[inline(never)]
fn has_detector_byte(b: &[u8]) -> bool {
    b.iter().any(|&c| DETECTOR_BYTE[usize::from(c)])
}

/// The bytes [`has_detector_byte`] looks for, as a table: one load per byte.
static DETECTOR_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let c = byte as u8;
        table[byte] = c.is_ascii_digit() || matches!(c, b'@' | b'.' | b' ');
        byte += 1;
    }
    table
};

/// Pre-scan flag: an `@` occurs.
const SEEN_AT: u8 = 1;
/// Pre-scan flag: a `.` occurs.
const SEEN_DOT: u8 = 2;
/// Pre-scan flag: a space occurs.
const SEEN_SPACE: u8 = 4;
/// Pre-scan flag: a `J` occurs (as in `eyJ`).
const SEEN_J: u8 = 8;

/// Which detectors can possibly match, from one pass over the bytes.
///
/// Each hint is a necessary condition of its detector:
/// - `credential`: a space, at least 5 letters (the shortest scheme) and at least 14 bytes;
/// - `jwt`: a `J` and a `.`;
/// - `email`: an `@` and a `.`;
/// - `iban`: at least 2 letters, 2 digits and 15 alphanumerics;
/// - `card`: at least 13 digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Hints {
    credential: bool,
    jwt: bool,
    email: bool,
    iban: bool,
    card: bool,
}

impl Hints {
    /// Whether any detector needs to run.
    const fn any(self) -> bool {
        self.credential || self.jwt || self.email || self.iban || self.card
    }

    /// Computes the hints in a single pass over `b`.
    #[inline(never)]
    ///
    /// Only counts and presence flags, with no state carried from byte to byte, so the compiler
    /// can vectorize the loop; the detectors check order and adjacency.
    fn scan(b: &[u8]) -> Self {
        let (mut digits, mut letters, mut seen) = (0usize, 0usize, 0u8);
        // Byte-wide counters vectorize best and cannot overflow within 255 bytes.
        for chunk in b.chunks(255) {
            let (mut chunk_digits, mut chunk_letters) = (0u8, 0u8);
            for &c in chunk {
                chunk_digits += u8::from(c.wrapping_sub(b'0') < 10);
                chunk_letters += u8::from((c | 0x20).wrapping_sub(b'a') < 26);
                seen |= (u8::from(c == b'@') * SEEN_AT)
                    | (u8::from(c == b'.') * SEEN_DOT)
                    | (u8::from(c == b' ') * SEEN_SPACE)
                    | (u8::from(c == b'J') * SEEN_J);
            }
            digits += usize::from(chunk_digits);
            letters += usize::from(chunk_letters);
        }
        let has = |flag: u8| seen & flag != 0;
        Self {
            credential: has(SEEN_SPACE) && letters >= *SCHEME_LEN.start() && b.len() > *SCHEME_LEN.start() + TOKEN_MIN,
            jwt: has(SEEN_J) && has(SEEN_DOT),
            email: has(SEEN_AT) && has(SEEN_DOT),
            iban: letters >= 2 && digits >= 2 && letters + digits >= *IBAN_LEN.start(),
            card: digits >= *CARD_DIGITS.start(),
        }
    }
}

/// The index just past the run of bytes matching `pred` that starts at `from` (`from` if none).
fn run_end(b: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    from + b
        .get(from..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| pred(c)).count())
}

/// Whether a credential follows any space in `b`.
fn has_credential(b: &[u8]) -> bool {
    b.iter()
        .enumerate()
        .any(|(index, &c)| c == b' ' && credential_at(b, index))
}

/// Whether the space at `space` separates a scheme word from a credential token.
///
/// The word before the space must be exactly one of [`SCHEMES`] (ASCII case ignored), not glued to
/// a preceding letter or digit. The token is everything up to the next ASCII whitespace; it must
/// have at least [`TOKEN_MIN`] characters and not be a plain word (see [`is_plain_word`]).
fn credential_at(b: &[u8], space: usize) -> bool {
    let head = &b[..space];
    // Each scheme ends in its own letter: the word's last letter picks the
    // only scheme it can be, and rules most words out.
    let Some(last) = head.last().map(|last| last | 0x20) else {
        return false;
    };
    let Some(scheme) = SCHEMES.iter().find(|scheme| scheme.last() == Some(&last)) else {
        return false;
    };
    let Some(start) = head.len().checked_sub(scheme.len()) else {
        return false;
    };
    if !head[start..].eq_ignore_ascii_case(scheme) || (start > 0 && b[start - 1].is_ascii_alphanumeric()) {
        return false;
    }
    let rest = &b[space + 1..];
    let token = &rest[..rest.iter().position(u8::is_ascii_whitespace).unwrap_or(rest.len())];
    char_count(token) >= TOKEN_MIN && !is_plain_word(token)
}

/// Characters (not bytes) in `b`, which is valid UTF-8 cut at character boundaries.
fn char_count(b: &[u8]) -> usize {
    // Continuation bytes are 0b10xx_xxxx; every other byte starts a character.
    b.iter().filter(|&&c| c & 0xC0 != 0x80).count()
}

/// Whether `token` reads as an ordinary word rather than a secret.
///
/// After dropping trailing sentence punctuation, a plain word is ASCII letters that are lowercase
/// after the first (`validation`, `Authentication`) or all uppercase (`EXPIRED`). Real tokens
/// (base64, hex, JWTs, `user:pass` pairs) nearly always mix case, digits or symbols; the rare
/// all-lowercase opaque token is the accepted miss. A token of only punctuation counts as plain.
fn is_plain_word(token: &[u8]) -> bool {
    let end = token
        .iter()
        .rposition(|c| !b".,;:!?)\"'".contains(c))
        .map_or(0, |last| last + 1);
    let word = &token[..end];
    match word.split_first() {
        None => true,
        Some((first, tail)) => {
            first.is_ascii_alphabetic()
                && (tail.iter().all(u8::is_ascii_lowercase) || tail.iter().all(u8::is_ascii_uppercase))
        }
    }
}

/// Whether `c` is in the base64url alphabet (`A-Z a-z 0-9 - _`).
const fn is_b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// Whether `b` contains a JWT: an `eyJ` not glued to a preceding base64url character that starts
/// [`jwt_at`].
fn has_jwt(b: &[u8]) -> bool {
    // Looking for the rare `J` first keeps the common path to one comparison per byte.
    (2..b.len()).any(|j| {
        let start = j - 2;
        b[j] == b'J' && b[start..j] == *b"ey" && (start == 0 || !is_b64url(b[start - 1])) && jwt_at(b, start)
    })
}

/// Whether `header.payload.` follows at `start`: base64url header (starting `eyJ`), a dot, a
/// non-empty base64url payload, a dot. The signature after it may be empty or anything.
fn jwt_at(b: &[u8], start: usize) -> bool {
    let header_end = run_end(b, start, is_b64url);
    if b.get(header_end) != Some(&b'.') {
        return false;
    }
    let payload_end = run_end(b, header_end + 1, is_b64url);
    payload_end > header_end + 1 && b.get(payload_end) == Some(&b'.')
}

/// Whether `c` may appear in the local part of an address (RFC 5322 `atext` plus `.`).
fn is_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c)
}

/// Whether `c` may appear in a domain label.
const fn is_label_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Whether any `@` in `b` joins a local part to a domain (see [`email_at`]).
fn has_email(b: &[u8]) -> bool {
    b.iter().enumerate().any(|(i, &c)| c == b'@' && email_at(b, i))
}

/// Whether the `@` at `at` has a local part before it (local characters, at least one
/// alphanumeric) and a domain after it (see [`starts_with_domain`]).
fn email_at(b: &[u8], at: usize) -> bool {
    let local = &b[..at];
    let local_len = local.iter().rev().take_while(|&&c| is_local_char(c)).count();
    local[at - local_len..].iter().any(u8::is_ascii_alphanumeric) && starts_with_domain(&b[at + 1..])
}

/// Whether `b` starts with a domain: labels of letters, digits and `-` joined by single dots, at
/// least two of them, where some label after the first is two or more letters (the TLD). Digit-only
/// endings (`1.2.3`) and single labels (`localhost`) are not domains here.
fn starts_with_domain(b: &[u8]) -> bool {
    let mut pos = 0;
    let mut labels = 0;
    loop {
        let end = run_end(b, pos, is_label_char);
        if end == pos {
            return false;
        }
        if labels > 0 && end - pos >= 2 && b[pos..end].iter().all(u8::is_ascii_alphabetic) {
            return true;
        }
        labels += 1;
        if b.get(end) != Some(&b'.') {
            return false;
        }
        pos = end + 1;
    }
}

/// Whether an IBAN ([`iban_at`]) starts at some word start in `b`.
fn has_iban(b: &[u8]) -> bool {
    // Anchored on the head's two digits: digits are rarer than letters in ordinary text.
    (3..b.len()).any(|d2| {
        let start = d2 - 3;
        b[d2].is_ascii_digit()
            && b[d2 - 1].is_ascii_digit()
            && b[start..d2 - 1].iter().all(u8::is_ascii_alphabetic)
            && (start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && iban_at(b, start)
    })
}

/// Whether an IBAN starts at `start`, a word start with letter-letter-digit-digit.
///
/// Compact: the whole alphanumeric word is the IBAN. Grouped: a 4-character head, then groups of
/// exactly 4 joined by single spaces, the last group 1–4; every group boundary where the length is
/// in range is tried, so text after the IBAN (`GB82 WEST … 32 paid`) does not hide it.
fn iban_at(b: &[u8], start: usize) -> bool {
    let head = &b[start..start + IBAN_GROUP];
    let mut end = run_end(b, start, |c| c.is_ascii_alphanumeric());
    let mut len = end - start;
    if len != IBAN_GROUP {
        return IBAN_LEN.contains(&len)
            && iban_valid(
                b[start + IBAN_GROUP..end].iter().fold(0, |r, &c| mod97_push(r, c)),
                head,
            );
    }
    let mut body = 0;
    while b.get(end) == Some(&b' ') && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
        let group_end = run_end(b, end + 1, |c| c.is_ascii_alphanumeric());
        let group = group_end - end - 1;
        if group > IBAN_GROUP || len + group > *IBAN_LEN.end() {
            return false;
        }
        body = b[end + 1..group_end].iter().fold(body, |r, &c| mod97_push(r, c));
        len += group;
        end = group_end;
        if len >= *IBAN_LEN.start() && iban_valid(body, head) {
            return true;
        }
        if group < IBAN_GROUP {
            return false;
        }
    }
    false
}

/// Appends the alphanumeric `c` to the number whose remainder mod 97 is `r`, as ISO 7064 reads
/// it: a digit is one decimal digit, a letter two (A = 10 … Z = 35, any case).
fn mod97_push(r: u32, c: u8) -> u32 {
    if c.is_ascii_digit() {
        (r * 10 + u32::from(c - b'0')) % 97
    } else {
        (r * 100 + u32::from(c.to_ascii_uppercase() - b'A') + 10) % 97
    }
}

/// The ISO 13616 check: the IBAN with its 4-character `head` (country code and check digits)
/// moved behind the body must leave remainder 1 mod 97. `body` is the body's remainder, so a
/// growing grouped candidate is checked in constant time per group.
fn iban_valid(body: u32, head: &[u8]) -> bool {
    head.iter().fold(body, |r, &c| mod97_push(r, c)) == 1
}

/// Whether a card number ([`card_at`]) starts at the start of some digit group in `b`.
fn has_card(b: &[u8]) -> bool {
    // The vectorizable count rejects most digit-heavy values (UUIDs, timestamps) before the walk.
    if digit_pairs(b) < CARD_MIN_PAIRS {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let end = run_end(b, i, |c| c.is_ascii_digit());
        // Groups of 1–3 digits can only end a card, never start one.
        if end - i >= *CARD_INNER_GROUP.start() && card_at(b, i, end) {
            return true;
        }
        i = end;
    }
    false
}

/// How many digits in `b` directly follow another digit.
fn digit_pairs(b: &[u8]) -> usize {
    let next = b.get(1..).unwrap_or_default();
    b.iter()
        .zip(next)
        .filter(|(c, d)| c.is_ascii_digit() & d.is_ascii_digit())
        .count()
}

/// Whether a card number starts at `start`, the first digit of a digit group that ends at `end`.
///
/// Either the group alone has 13–19 digits, or it starts a chain of groups joined by one repeated
/// separator (a single space or a single dash), where every group but the last has 4–6 digits and
/// the last 1–6; every chain end with 13–19 digits is tried, so a trailing `12/28` or reference
/// number does not hide the card. A candidate glued by `.` to more digits (`0.4111…`) is part of a
/// decimal number and is skipped. The digits must pass [`luhn`].
fn card_at(b: &[u8], start: usize, mut end: usize) -> bool {
    if start >= 2 && b[start - 1] == b'.' && b[start - 2].is_ascii_digit() {
        return false;
    }
    let mut digits = end - start;
    if CARD_DIGITS.contains(&digits) {
        return !continues_as_decimal(b, end) && luhn(&b[start..end]);
    }
    if !CARD_INNER_GROUP.contains(&digits) {
        return false;
    }
    let Some(&sep @ (b' ' | b'-')) = b.get(end) else {
        return false;
    };
    while b.get(end) == Some(&sep) && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let group_end = run_end(b, end + 1, |c| c.is_ascii_digit());
        let group = group_end - end - 1;
        if group > CARD_GROUP_MAX || digits + group > *CARD_DIGITS.end() {
            return false;
        }
        digits += group;
        end = group_end;
        if digits >= *CARD_DIGITS.start() && !continues_as_decimal(b, end) && luhn(&b[start..end]) {
            return true;
        }
        if !CARD_INNER_GROUP.contains(&group) {
            return false;
        }
    }
    false
}

/// Whether the digits ending at `end` go on as a decimal number (`.` then a digit).
fn continues_as_decimal(b: &[u8], end: usize) -> bool {
    b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit)
}

/// The Luhn (mod-10) check over the digits of `span`, separators skipped; all zeros fails, since
/// it passes trivially and no card number is all zeros.
fn luhn(span: &[u8]) -> bool {
    let (mut sum, mut nonzero) = (0u32, false);
    let digits = span
        .iter()
        .rev()
        .filter(|c| c.is_ascii_digit())
        .map(|&c| u32::from(c - b'0'));
    for (k, d) in digits.enumerate() {
        nonzero |= d != 0;
        // Every second digit from the right is doubled, and a two-digit result counts as its digit sum.
        sum += if k % 2 == 1 { (d * 2) % 10 + (d * 2) / 10 } else { d };
    }
    nonzero && sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The name of what `value` is flagged as, for readable assertion failures.
    fn flagged(value: &str) -> Option<&'static str> {
        scrub(value).map(Scrubbed::name)
    }

    /// Asserts that every value is flagged as `kind`.
    fn assert_flags(kind: Scrubbed, values: &[&str]) {
        for value in values {
            assert_eq!(scrub(value), Some(kind), "{value:?} should be flagged {}", kind.name());
        }
    }

    /// Asserts that no value is flagged.
    fn assert_clean(values: &[&str]) {
        for value in values {
            assert_eq!(flagged(value), None, "{value:?} should not be flagged");
        }
    }

    /// The Luhn check digit that completes `body` (the number without it).
    fn luhn_check_digit(body: &[u8]) -> u8 {
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(k, &d)| {
                if k % 2 == 0 {
                    (u32::from(d) * 2) % 10 + (u32::from(d) * 2) / 10
                } else {
                    u32::from(d)
                }
            })
            .sum();
        ((10 - sum % 10) % 10) as u8
    }

    /// Digits 0–9 as a decimal string.
    fn digits_to_string(digits: &[u8]) -> String {
        digits.iter().map(|&d| char::from(b'0' + d)).collect()
    }

    #[test]
    fn markers_and_names() {
        let all = [
            Scrubbed::Email,
            Scrubbed::Card,
            Scrubbed::Jwt,
            Scrubbed::Credential,
            Scrubbed::Iban,
        ];
        let names = ["email", "card", "jwt", "credential", "iban"];
        for (kind, name) in all.into_iter().zip(names) {
            assert_eq!(kind.name(), name);
            assert_eq!(kind.marker(), format!("[redacted: {name}]"));
        }
    }

    #[test]
    fn scheme_lengths_match_schemes() {
        for scheme in SCHEMES {
            assert!(SCHEME_LEN.contains(&scheme.len()), "{scheme:?}");
        }
        assert!(SCHEMES.iter().any(|scheme| scheme.len() == *SCHEME_LEN.start()));
        assert!(SCHEMES.iter().any(|scheme| scheme.len() == *SCHEME_LEN.end()));
        let mut last_letters: Vec<u8> = SCHEMES.iter().filter_map(|scheme| scheme.last().copied()).collect();
        last_letters.sort_unstable();
        last_letters.dedup();
        assert_eq!(
            last_letters.len(),
            SCHEMES.len(),
            "a word's last letter picks one scheme"
        );
    }

    #[test]
    fn ordinary_values_stop_at_the_prescan() {
        let ordinary = [
            "STARTER",
            "LEGACY",
            "order-12345",
            "1.2.3",
            "v10.22.1-rc.3",
            "terms.example",
            "a@b",
            "123456789012",
            "basic",
            "basic plan",
        ];
        for value in ordinary {
            assert!(!Hints::scan(value.as_bytes()).any(), "{value:?} should fail every hint");
            assert_eq!(scrub(value), None, "{value:?}");
        }
    }

    #[test]
    fn prescan_hints_are_necessary_conditions() {
        let cases = [
            ("no@terms.example", Scrubbed::Email),
            ("4111111111111111", Scrubbed::Card),
            ("eyJa.b.c", Scrubbed::Jwt),
            ("Basic dXNlcjpwYXNz", Scrubbed::Credential),
            ("DE89370400440532013000", Scrubbed::Iban),
        ];
        for (value, kind) in cases {
            let hints = Hints::scan(value.as_bytes());
            let hinted = match kind {
                Scrubbed::Email => hints.email,
                Scrubbed::Card => hints.card,
                Scrubbed::Jwt => hints.jwt,
                Scrubbed::Credential => hints.credential,
                Scrubbed::Iban => hints.iban,
            };
            assert!(hinted, "{value:?}");
            assert_eq!(scrub(value), Some(kind), "{value:?}");
        }
    }

    #[test]
    fn emails_are_flagged() {
        assert_flags(
            Scrubbed::Email,
            &[
                "no@terms.example",
                "terms not accepted by no@terms.example",
                "Jane.Doe+tag@mail.example.co.uk",
                "<ops@example.com>",
                "contact: first_last@sub-domain.example.org.",
                "x@host.example.42",
            ],
        );
    }

    #[test]
    fn email_lookalikes_are_not_flagged() {
        assert_clean(&[
            "a@b",
            "user@localhost",
            "pkg@1.2.3",
            "@types/node@20.1.0",
            "@app.route",
            "terms.example",
            "a@b.c",
            "x@.example",
            "x@example.",
        ]);
    }

    #[test]
    fn cards_are_flagged() {
        assert_flags(
            Scrubbed::Card,
            &[
                "card 4111 1111 1111 1111 declined",
                "4111-1111-1111-1111",
                "4111111111111111",
                "5500-0000-0000-0004",
                "378282246310005",
                "3782 822463 10005",
                "pan=4111111111111111;",
                "4111 1111 1111 1111 12/28",
                "ref 12 4111 1111 1111 1111",
                "6011 0009 9013 9424",
                "4222222222222",
            ],
        );
    }

    #[test]
    fn card_lookalikes_are_not_flagged() {
        assert_clean(&[
            "123456789012",
            "4111111111111112",
            "1234567890123",
            "order 12345678901234567",
            "41111111111111111111",
            "0000000000000000",
            "0000 0000 0000 0000",
            "4111 1111-1111 1111",
            "4111  1111  1111  1111",
            "0.4111111111111111",
            "4111111111111111.5",
            "41 11 11 11 11 11 11 11",
            "+1 555-123-4567",
        ]);
    }

    #[test]
    fn jwts_are_flagged() {
        assert_flags(
            Scrubbed::Jwt,
            &[
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc_DEF-123",
                "session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc_DEF-123; Path=/",
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
            ],
        );
    }

    #[test]
    fn jwt_lookalikes_are_not_flagged() {
        assert_clean(&[
            "eyJhbGciOiJIUzI1NiJ9",
            "eyJhbGciOiJIUzI1NiJ9.",
            "eyJabc..sig",
            "heyJude.abc.def",
        ]);
    }

    #[test]
    fn credentials_are_flagged() {
        assert_flags(
            Scrubbed::Credential,
            &[
                "Bearer abc.def.ghi",
                "Bearer eyJabc.def.ghi",
                "Authorization: Basic dXNlcjpwYXNz",
                "basic dXNlcjpwYXNzd29yZA==",
                "authorization=Token 9f86d081884c7d65",
                "Negotiate YIIGhgYJKoZIhvcSAQICAQBuggY1",
                "DIGEST username=\"jane\"",
                "{\"authorization\":\"Bearer abc123XYZdef\"}",
            ],
        );
    }

    #[test]
    fn credential_lookalikes_are_not_flagged() {
        assert_clean(&[
            "basic",
            "basic plan",
            "Basic Authentication",
            "token validation failed",
            "Token EXPIRED",
            "Bearer short",
            "XBearer abcdef12345",
            "9Token abcdef12345",
            "Bearer  abcdef12345",
            "Bearer\tabcdef12345",
            "token refreshed.",
        ]);
    }

    #[test]
    fn ibans_are_flagged() {
        assert_flags(
            Scrubbed::Iban,
            &[
                "GB82 WEST 1234 5698 7654 32",
                "GB82WEST12345698765432",
                "gb82 west 1234 5698 7654 32",
                "DE89370400440532013000",
                "DE89 3704 0044 0532 0130 00",
                "iban: FR1420041010050500013M02606",
                "paid from GB82 WEST 1234 5698 7654 32 yesterday",
            ],
        );
    }

    #[test]
    fn iban_lookalikes_are_not_flagged() {
        assert_clean(&[
            "GB82 WEST 1234 5698 7654 33",
            "DE89370400440532013001",
            "XDE89370400440532013000",
            "DE89370400440532013000X",
            "DE89 37040044 0532 0130 00",
            "DE89  3704  0044  0532  0130  00",
            "GB82WEST",
        ]);
    }

    #[test]
    fn ordinary_values_are_not_flagged() {
        assert_clean(&[
            "",
            "CA",
            "STARTER",
            "LEGACY",
            "b3d92435-8f8a-4c1e-9a52-0d1e2f3a4b5c",
            "B3D92435-8F8A-4C1E-9A52-0D1E2F3A4B5C",
            "2026-11-25T12:00:00Z",
            "2026-11-25 12:00:00.123456+00:00",
            "order-12345",
            "1.2.3",
            "v10.22.1-rc.3",
            "terms.example",
            "https://terms.example/path?q=1",
            "the quick brown fox jumps over the lazy dog",
            "Grüße aus Köln, 東京",
        ]);
    }

    #[test]
    fn detector_order_decides_overlaps() {
        // Both a credential and a JWT: the whole header value is the credential.
        assert_eq!(
            scrub("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig"),
            Some(Scrubbed::Credential)
        );
        assert_eq!(
            scrub("mail no@terms.example about 4111 1111 1111 1111"),
            Some(Scrubbed::Email)
        );
    }

    #[test]
    fn luhn_check() {
        assert!(luhn(b"4111111111111111"));
        assert!(luhn(b"4111-1111-1111-1111"));
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(!luhn(b"0000"));
        assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
    }

    #[test]
    fn iban_checksum() {
        let check = |iban: &[u8]| {
            let (head, body) = iban.split_at(IBAN_GROUP);
            iban_valid(body.iter().fold(0, |r, &c| mod97_push(r, c)), head)
        };
        assert!(check(b"GB82WEST12345698765432"));
        assert!(check(b"fr1420041010050500013m02606"));
        assert!(!check(b"GB83WEST12345698765432"));
        assert!(!check(b"GB82WEST12345698765433"));
    }

    /// [`scrub`] without the length check and the hints, to show that they only skip work.
    fn unhinted(value: &str) -> Option<Scrubbed> {
        let b = value.as_bytes();
        type Detector = fn(&[u8]) -> bool;
        let detectors: [(Detector, Scrubbed); 5] = [
            (has_credential, Scrubbed::Credential),
            (has_jwt, Scrubbed::Jwt),
            (has_email, Scrubbed::Email),
            (has_iban, Scrubbed::Iban),
            (has_card, Scrubbed::Card),
        ];
        detectors
            .into_iter()
            .find(|(detect, _)| detect(b))
            .map(|(_, kind)| kind)
    }

    /// Strings glued together from pieces of every shape, so that near-misses and hits are common.
    fn shape_fragments() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[0-9]{1,6}",
            "[a-zA-Z]{1,6}",
            prop::sample::select(vec![
                "eyJ",
                "eyJhbGci.",
                "@",
                "@mail.example",
                ".",
                "-",
                " ",
                "  ",
                ":",
                "=",
                "_",
                "Bearer ",
                "basic ",
                "GB82",
                "GB82 WEST 1234 5698 7654 32",
                "DE89 ",
                "4111",
                "4111 1111 1111 1111",
                ".com",
                "é",
                "€",
                "東",
                "\t",
            ])
            .prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
    }

    /// A Luhn-valid 16-digit number, as digits 0–9.
    fn luhn_valid_16() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(0u8..10, 15).prop_map(|mut digits| {
            let check = luhn_check_digit(&digits);
            digits.push(check);
            digits
        })
    }

    proptest! {
        #[test]
        fn short_plain_alphanumerics_are_never_flagged(value in "[A-Za-z0-9_-]{0,12}") {
            prop_assert_eq!(flagged(&value), None);
        }

        #[test]
        fn luhn_valid_numbers_in_text_are_cards(
            digits in luhn_valid_16().prop_filter("not all zeros", |d| d.iter().any(|&x| x != 0)),
            // Neither lowercase words nor text without ASCII letters, digits and `@` can form any
            // other shape; a word prefix ends in a space so no scheme word directly precedes the
            // number's space.
            prefix in prop_oneof!["([a-z ]{0,23} )?", "[^0-9A-Za-z@]{0,16}"],
            suffix in prop_oneof!["[a-z ]{0,24}", "[^0-9A-Za-z@]{0,16}"],
        ) {
            let number = digits_to_string(&digits);
            let value = format!("{prefix} {number} {suffix}");
            prop_assert_eq!(scrub(&value), Some(Scrubbed::Card), "{:?}", value);
        }

        #[test]
        fn grouped_luhn_valid_numbers_are_cards(
            digits in luhn_valid_16().prop_filter("not all zeros", |d| d.iter().any(|&x| x != 0)),
            sep in prop::sample::select(vec![" ", "-"]),
        ) {
            let number = digits_to_string(&digits);
            let grouped = [&number[..4], &number[4..8], &number[8..12], &number[12..]].join(sep);
            prop_assert_eq!(scrub(&grouped), Some(Scrubbed::Card), "{:?}", grouped);
        }

        #[test]
        fn luhn_invalid_numbers_alone_are_clean(digits in luhn_valid_16(), bump in 1u8..10) {
            let mut digits = digits;
            digits[15] = (digits[15] + bump) % 10;
            prop_assert_eq!(flagged(&digits_to_string(&digits)), None);
        }

        #[test]
        fn never_panics_on_arbitrary_strings(value in any::<String>()) {
            let _ = scrub(&value);
        }

        #[test]
        fn hints_only_skip_work(value in shape_fragments()) {
            prop_assert_eq!(scrub(&value), unhinted(&value), "{:?}", value);
        }

        #[test]
        fn hints_only_skip_work_on_arbitrary_strings(value in any::<String>()) {
            prop_assert_eq!(scrub(&value), unhinted(&value));
        }
    }
}
