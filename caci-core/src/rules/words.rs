//! Matching identifiers against the deny floor by their words.
//!
//! An exact comparison lets `user_email`, `new_password` or `stripe_token`
//! through, so a name is split into words and every run of consecutive words
//! (and its singular forms) is looked up instead. Three steps, shared by
//! [`normalize`], [`find_word`] and [`words`]:
//!
//! 1. **Folding** makes look-alike spellings one spelling: NFKC (fullwidth
//!    `ＥＭＡＩＬ` becomes `EMAIL`), then every non-ASCII character whose TR39
//!    confusable skeleton is ASCII becomes that skeleton (Cyrillic `а`, Greek
//!    `ο`). ASCII is never replaced by its skeleton: TR39 maps `rn` to `m` and
//!    `1` to `l`, which would turn ordinary names into floor words. A capital
//!    is looked up as its small letter; invisible characters become word breaks.
//! 2. **Splitting** happens on the folded text while it still has its case:
//!    at every non-alphanumeric character, at `aB`, at `ABc` (before the `B`)
//!    and between letters and digits. Each word is then lower-cased.
//! 3. **Candidates** are the concatenations of every run of up to
//!    [`MAX_RUN`] consecutive words, longest first, plus the whole name; each
//!    is tried as is and with a plural ending (`s`, `es`, `ies` to `y`) removed.
//!
//! [`find_word`] runs on dictionary keys while a trace is rendered, so ASCII
//! names of up to [`INLINE`] bytes are matched in stack buffers and allocate
//! only for the returned match; longer or non-ASCII names use the heap.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

/// The longest ASCII name, in bytes, that [`find_word`] matches without allocating.
const INLINE: usize = 64;

/// The most consecutive words one candidate is made of: enough for the longest
/// floor entries (`service_account_credentials`, `bank_account_number`) with room
/// for prefixes, while keeping a many-word name's candidates few.
const MAX_RUN: usize = 6;

/// The fewest characters a singular form may have, so that `pies` or `yes`
/// are not stripped down to two-letter stems that match by accident.
const MIN_STEM: usize = 3;

/// How many times [`normalize`] re-folds its own output at most. One round is
/// nearly always stable; see [`normalize`] for the rare exception.
const MAX_NORMALIZE_ROUNDS: usize = 4;

/// The canonical form floor entries are stored in and exact names are compared in:
/// folded, lower-case, with every non-alphanumeric character removed.
///
/// The result is what [`words`] yields, concatenated, except that it is folded
/// again until stable: removing a separator can join characters that NFKC
/// composes or reorders (Hangul jamo around a `-`, marks of different classes
/// around a letter that was dropped), and floor entries must be stored in a
/// form that normalising again does not change.
///
/// `normalize("X-Api_Key") == "xapikey"`, `normalize("ＥＭＡＩＬ") == "email"`,
/// `normalize("pаssword") == "password"` (with a Cyrillic `а`).
pub(crate) fn normalize(name: &str) -> String {
    let mut current = normalize_once(name);
    for _ in 0..MAX_NORMALIZE_ROUNDS {
        // Lower-case ASCII letters and digits fold to themselves.
        if current.is_ascii() {
            break;
        }
        let next = normalize_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// Finds the floor word in `name`.
///
/// Splits `name` into [`words`] and tries, for every run of consecutive words
/// (longest runs first), the run's concatenation and its singular forms against
/// `is_entry`, which receives normalised candidates. The whole name, separators
/// removed, is always a candidate too. Returns the first candidate `is_entry`
/// accepts (the singular form that matched: `"email"` for `emails`), or `None`.
///
/// Does not allocate unless it matches, for ASCII names of up to 64 bytes.
pub(crate) fn find_word(name: &str, mut is_entry: impl FnMut(&str) -> bool) -> Option<String> {
    if name.len() <= INLINE && name.is_ascii() {
        // An ASCII name's words fit in buffers as long as the name; should that
        // ever fail, the heap search below gives the same answer.
        if let Ok(found) = search::<Inline<u8>, Inline<usize>>(name, &mut is_entry) {
            return found;
        }
    }
    search::<Vec<u8>, Vec<usize>>(&fold(name), &mut is_entry).unwrap_or(None)
}

/// The words of `name` as [`find_word`] sees them, folded and lower-case.
///
/// `words("db2Password") == ["db", "2", "password"]`.
#[cfg(test)]
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    // Vec buffers never overflow, so neither closure fails.
    let _ = each_word(&fold(name), |word| {
        let mut lower = Vec::new();
        let _ = push_lower(&mut lower, word);
        if !lower.is_empty() {
            words.push(String::from_utf8_lossy(&lower).into_owned());
        }
        Ok(())
    });
    words
}

/// One folding round: the words of `name`, concatenated.
fn normalize_once(name: &str) -> String {
    let mut out = Vec::with_capacity(name.len());
    // Vec buffers never overflow.
    let _ = each_word(&fold(name), |word| push_lower(&mut out, word));
    String::from_utf8_lossy(&out).into_owned()
}

/// NFKC, then non-ASCII look-alikes replaced by their ASCII skeletons; case and
/// separators are kept for splitting. ASCII text is already NFKC and is never
/// replaced, so it is borrowed as it is.
fn fold(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkc() {
        fold_char(c, &mut folded);
    }
    Cow::Owned(folded)
}

/// Appends the folded form of one NFKC character.
fn fold_char(c: char, folded: &mut String) {
    if c.is_ascii() {
        folded.push(c);
        return;
    }
    let mut utf8 = [0; 4];
    let own = ascii_skeleton(c.encode_utf8(&mut utf8));
    if own.as_deref() == Some("") {
        // Default-ignorable (zero-width space, soft hyphen, Hangul filler): it
        // is invisible, so read it as the word break it looks like.
        folded.push(' ');
        return;
    }
    // A capital is looked up as its small letter, which is what is compared:
    // TR39 maps Cyrillic `І` to `l` but `і` to `i`, and has an ASCII prototype
    // for Greek `γ` and Cyrillic `г` but not for `Γ` and `Г`, so folding the
    // capital itself would fold the two cases apart and make a second
    // `normalize` change the first one's result. Written in capitals to keep
    // the camelCase boundary. A capital whose small letter has no ASCII
    // look-alike falls back to its own (Cyrillic `В` to `B`).
    if c.is_uppercase()
        && let Some(lower) = ascii_skeleton(&c.to_lowercase().collect::<String>()).filter(|s| !s.is_empty())
    {
        folded.push_str(&lower.to_ascii_uppercase());
        return;
    }
    match own {
        Some(prototype) => folded.push_str(&prototype),
        None => folded.push(c),
    }
}

/// The TR39 skeleton of `text`, if it is all ASCII (possibly empty).
fn ascii_skeleton(text: &str) -> Option<String> {
    let prototype: String = skeleton(text).collect();
    prototype.is_ascii().then_some(prototype)
}

/// What a character is to word splitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Not alphanumeric: ends a word and is dropped.
    Separator,
    Lower,
    Upper,
    Digit,
    /// A letter without case (CJK, most Indic letters): never a boundary.
    Caseless,
}

impl Class {
    fn of(c: char) -> Self {
        if !c.is_alphanumeric() {
            Self::Separator
        } else if c.is_numeric() {
            Self::Digit
        } else if c.is_lowercase() {
            Self::Lower
        } else if c.is_uppercase() {
            Self::Upper
        } else {
            Self::Caseless
        }
    }

    fn is_letter(self) -> bool {
        matches!(self, Self::Lower | Self::Upper | Self::Caseless)
    }
}

/// Whether a word starts at `current`, given the alphanumeric character before it
/// and the character after it: `userEmail`, `HTTPServer` (before the `S`), and
/// both ways between letters and digits (`db2Password`, `2fa`).
fn starts_word(previous: Class, current: Class, next: Class) -> bool {
    match (previous, current) {
        (Class::Lower, Class::Upper) => true,
        (Class::Upper, Class::Upper) => next == Class::Lower,
        (Class::Digit, current) => current.is_letter(),
        (previous, Class::Digit) => previous.is_letter(),
        _ => false,
    }
}

/// Calls `word` with each word of `folded`, in order and still in its case.
fn each_word(folded: &str, mut word: impl FnMut(&str) -> Result<(), Overflow>) -> Result<(), Overflow> {
    let class_of = |(_, c): &(usize, char)| Class::of(*c);
    let mut chars = folded.char_indices().peekable();
    let mut start = None;
    let mut previous = Class::Separator;
    let mut current = chars.peek().map_or(Class::Separator, class_of);
    while let Some((at, _)) = chars.next() {
        let next = chars.peek().map_or(Class::Separator, class_of);
        match start {
            Some(from) if current == Class::Separator || starts_word(previous, current, next) => {
                word(&folded[from..at])?;
                start = (current != Class::Separator).then_some(at);
            }
            None if current != Class::Separator => start = Some(at),
            _ => {}
        }
        previous = current;
        current = next;
    }
    match start {
        Some(from) => word(&folded[from..]),
        None => Ok(()),
    }
}

/// Appends `word` lower-cased. Lower-casing can add a non-alphanumeric mark
/// (`İ` becomes `i` and a combining dot), which is dropped like any separator.
fn push_lower(text: &mut impl Buffer<u8>, word: &str) -> Result<(), Overflow> {
    for lower in word.chars().flat_map(char::to_lowercase) {
        if lower.is_alphanumeric() {
            text.push_slice(lower.encode_utf8(&mut [0; 4]).as_bytes())?;
        }
    }
    Ok(())
}

/// Looks `folded` up word by word; `Err` only if a fixed-size buffer is too small.
///
/// The lower-case words are stored back to back in one buffer with their end
/// offsets in another, so a run of words is one slice of the first.
fn search<T, E>(folded: &str, is_entry: &mut impl FnMut(&str) -> bool) -> Result<Option<String>, Overflow>
where
    T: Buffer<u8> + Default,
    E: Buffer<usize> + Default,
{
    let (mut text, mut ends) = (T::default(), E::default());
    each_word(folded, |word| {
        push_lower(&mut text, word)?;
        let end = text.items().len();
        // A word whose lower case is all marks leaves nothing to end.
        if ends.items().last().is_none_or(|&last| last < end) {
            ends.push_slice(&[end])?;
        }
        Ok(())
    })?;
    let Ok(text) = std::str::from_utf8(text.items()) else {
        return Ok(None);
    };
    let ends = ends.items();
    let mut spare = T::default();
    for (first, last) in runs(ends.len()) {
        let begin = first.checked_sub(1).map_or(0, |before| ends[before]);
        if let Some(found) = try_singulars(&text[begin..ends[last - 1]], &mut spare, is_entry)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The runs of words `first..last` to try, out of `count` words: the whole
/// name when it is longer than a run may be, then runs longest first.
fn runs(count: usize) -> impl Iterator<Item = (usize, usize)> {
    let whole = (count > MAX_RUN).then_some((0, count));
    let by_length = (1..=count.min(MAX_RUN))
        .rev()
        .flat_map(move |length| (0..=count - length).map(move |first| (first, first + length)));
    whole.into_iter().chain(by_length)
}

/// Tries `candidate`, then its singular forms, against `is_entry`; `spare` holds
/// the `ies` to `y` form, the only one that is not a prefix of `candidate`.
fn try_singulars(
    candidate: &str,
    spare: &mut impl Buffer<u8>,
    is_entry: &mut impl FnMut(&str) -> bool,
) -> Result<Option<String>, Overflow> {
    let long_enough = |form: &str| form.chars().count() >= MIN_STEM;
    if is_entry(candidate) {
        return Ok(Some(candidate.to_owned()));
    }
    for plural in ["s", "es"] {
        if let Some(stem) = candidate.strip_suffix(plural)
            && long_enough(stem)
            && is_entry(stem)
        {
            return Ok(Some(stem.to_owned()));
        }
    }
    if let Some(stem) = candidate.strip_suffix("ies") {
        spare.clear();
        spare.push_slice(stem.as_bytes())?;
        spare.push_slice(b"y")?;
        if let Ok(form) = std::str::from_utf8(spare.items())
            && long_enough(form)
            && is_entry(form)
        {
            return Ok(Some(form.to_owned()));
        }
    }
    Ok(None)
}

/// A fixed-size buffer was too small for the name.
#[derive(Debug)]
struct Overflow;

/// The growable storage [`search`] needs: a `Vec`, or an [`Inline`] array.
trait Buffer<T: Copy> {
    fn push_slice(&mut self, items: &[T]) -> Result<(), Overflow>;
    fn items(&self) -> &[T];
    fn clear(&mut self);
}

impl<T: Copy> Buffer<T> for Vec<T> {
    fn push_slice(&mut self, items: &[T]) -> Result<(), Overflow> {
        self.extend_from_slice(items);
        Ok(())
    }

    fn items(&self) -> &[T] {
        self
    }

    fn clear(&mut self) {
        Vec::clear(self);
    }
}

/// A stack array of [`INLINE`] items with a length: a name's text or word ends
/// without touching the allocator.
struct Inline<T> {
    items: [T; INLINE],
    len: usize,
}

impl<T: Copy + Default> Default for Inline<T> {
    fn default() -> Self {
        Self {
            items: [T::default(); INLINE],
            len: 0,
        }
    }
}

impl<T: Copy> Buffer<T> for Inline<T> {
    fn push_slice(&mut self, items: &[T]) -> Result<(), Overflow> {
        let end = self.len + items.len();
        self.items
            .get_mut(self.len..end)
            .ok_or(Overflow)?
            .copy_from_slice(items);
        self.len = end;
        Ok(())
    }

    fn items(&self) -> &[T] {
        &self.items[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A small floor, enough to exercise every rule.
    const FLOOR: &[&str] = &[
        "password",
        "email",
        "token",
        "address",
        "apikey",
        "firstname",
        "authorization",
        "2fa",
        "pkcs8",
        "xforwardedfor",
        "cookie",
    ];

    fn on_floor(candidate: &str) -> bool {
        FLOOR.contains(&candidate)
    }

    #[test]
    fn names_containing_a_floor_word_match_it() {
        let cases = [
            ("user_email", "email"),
            ("new_password", "password"),
            ("password_confirmation", "password"),
            ("emails", "email"),
            ("stripe_token", "token"),
            ("billing_address", "address"),
            ("db_password", "password"),
            ("userEmail", "email"),
            ("user-email", "email"),
            ("password2", "password"),
            ("db2Password", "password"),
            ("p\u{430}ssword", "password"),
            ("ＥＭＡＩＬ", "email"),
            ("PASSWORD", "password"),
            ("pass_word", "password"),
            ("passWord", "password"),
            ("first_name", "firstname"),
            ("FirstName", "firstname"),
            ("API_KEYS", "apikey"),
            ("myAPIKey", "apikey"),
            ("Proxy-Authorization", "authorization"),
            ("user.password", "password"),
            ("X-Forwarded-For", "xforwardedfor"),
            ("2FA", "2fa"),
            ("user2fa", "2fa"),
            ("pkcs8_pem", "pkcs8"),
            ("cookies", "cookie"),
            ("addresses", "address"),
            ("EmailAddress", "email"),
        ];
        for (name, word) in cases {
            assert_eq!(find_word(name, on_floor).as_deref(), Some(word), "{name}");
        }
    }

    #[test]
    fn names_without_a_floor_word_do_not_match() {
        let names = [
            "business_id",
            "plan",
            "feature_group",
            "country",
            "user_id",
            "seats",
            "passport",
            "tokenizer",
            "emailing",
            "addressee",
            "keyboard",
            "",
            "_-$@. /:",
        ];
        for name in names {
            assert_eq!(find_word(name, on_floor), None, "{name}");
        }
    }

    #[test]
    fn ascii_is_never_replaced_by_its_skeleton() {
        // TR39 skeletons: "rn" -> "m", "1" -> "l", "0" -> "O".
        assert_eq!(normalize("ernail"), "ernail");
        assert_eq!(normalize("emai1"), "emai1");
        assert_eq!(find_word("ernail", on_floor), None);
        assert_eq!(find_word("emai1", on_floor), None);
        assert_eq!(find_word("passw0rd", on_floor), None);
    }

    #[test]
    fn normalize_folds_and_drops_every_separator() {
        assert_eq!(normalize("X-Api_Key"), "xapikey");
        assert_eq!(normalize("user@Email$"), "useremail");
        assert_eq!(normalize("ＥＭＡＩＬ"), "email");
        assert_eq!(normalize("p\u{430}ssword"), "password");
        assert_eq!(normalize("passw\u{3bf}rd"), "password");
        assert_eq!(normalize("a.b c/d:e"), "abcde");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn capital_look_alikes_fold_to_the_letter_they_show() {
        // Cyrillic capitals А and І: TR39 alone would make the І an `l`.
        assert_eq!(normalize("\u{410}UTHOR\u{406}ZATION"), "authorization");
        assert_eq!(
            find_word("Proxy\u{410}uthorization", on_floor).as_deref(),
            Some("authorization")
        );
    }

    #[test]
    fn invisible_characters_break_words() {
        assert_eq!(words("user\u{200b}email"), ["user", "email"]);
        assert_eq!(normalize("pass\u{ad}word"), "password");
        assert_eq!(find_word("user\u{200b}email", on_floor).as_deref(), Some("email"));
        assert_eq!(find_word("pass\u{3164}word", on_floor).as_deref(), Some("password"));
    }

    #[test]
    fn words_split_at_separators_case_and_digits() {
        let cases: [(&str, &[&str]); 12] = [
            ("userEmail", &["user", "email"]),
            ("HTTPServer", &["http", "server"]),
            ("APIKey", &["api", "key"]),
            ("password2", &["password", "2"]),
            ("db2Password", &["db", "2", "password"]),
            ("2fa", &["2", "fa"]),
            ("pkcs8", &["pkcs", "8"]),
            ("x-forwarded-for", &["x", "forwarded", "for"]),
            ("a.b c/d:e$f@g", &["a", "b", "c", "d", "e", "f", "g"]),
            ("ＡｐｉＫｅｙ", &["api", "key"]),
            ("__", &[]),
            ("", &[]),
        ];
        for (name, expected) in cases {
            assert_eq!(words(name), expected, "{name}");
        }
    }

    #[test]
    fn the_whole_name_is_a_candidate_however_many_words_it_has() {
        let name = "a_b_c_d_e_f_g_h";
        assert_eq!(find_word(name, |c| c == "abcdefgh").as_deref(), Some("abcdefgh"));
        assert_eq!(find_word(name, |c| c == "bcdefgh"), None, "runs stop at six words");
        assert_eq!(find_word(name, |c| c == "bcdefg").as_deref(), Some("bcdefg"));
    }

    #[test]
    fn singular_forms_keep_at_least_three_characters() {
        assert_eq!(find_word("pies", |c| c == "py"), None);
        assert_eq!(find_word("yes", |c| c == "y"), None);
        assert_eq!(find_word("keys", |c| c == "key").as_deref(), Some("key"));
        assert_eq!(find_word("policies", |c| c == "policy").as_deref(), Some("policy"));
    }

    #[test]
    fn long_and_non_ascii_names_take_the_heap_path_and_still_match() {
        let long = format!("{}_user_email", "business_feature_group".repeat(4));
        assert!(long.len() > INLINE);
        assert_eq!(find_word(&long, on_floor).as_deref(), Some("email"));
        let tail = format!("{}password", "x_".repeat(5_000));
        assert_eq!(find_word(&tail, on_floor).as_deref(), Some("password"));
        assert_eq!(find_word("пароль_email", on_floor).as_deref(), Some("email"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let odd = [
            String::new(),
            "_".repeat(100),
            "\u{301}\u{301}a\u{301}".to_owned(),
            "🔑🔑password🔑".to_owned(),
            "İSTANBUL_ǅ_ﬁ_Ⅻ_①".to_owned(),
            "ᄀ-ᅡ".to_owned(),
            "a".repeat(10_000),
            "a_".repeat(5_000),
            "aB1".repeat(3_400),
            "пароль".repeat(1_000),
            "\u{200b}".repeat(3_000),
        ];
        for name in &odd {
            let _ = find_word(name, on_floor);
            let _ = words(name);
            assert_eq!(normalize(&normalize(name)), normalize(name));
        }
        assert_eq!(find_word("🔑🔑password🔑", on_floor).as_deref(), Some("password"));
    }

    /// Words that no run of which, alone or together, is in [`FLOOR`].
    const SAFE: &[&str] = &[
        "business", "feature", "group", "plan", "country", "seats", "order", "item", "status", "created", "updated",
        "count", "total", "region", "color", "level", "mode", "kind", "version", "limit", "id",
    ];

    /// Floor words as the words a name would spell them with.
    const FLOOR_WORDS: &[&[&str]] = &[
        &["password"],
        &["email"],
        &["emails"],
        &["token"],
        &["tokens"],
        &["address"],
        &["addresses"],
        &["api", "key"],
        &["api", "keys"],
        &["first", "name"],
        &["authorization"],
        &["2fa"],
        &["pkcs8"],
        &["x", "forwarded", "for"],
        &["cookie"],
        &["cookies"],
    ];

    #[derive(Clone, Copy, Debug)]
    enum Style {
        Snake,
        Kebab,
        Camel,
        Pascal,
        Screaming,
    }

    const STYLES: &[Style] = &[
        Style::Snake,
        Style::Kebab,
        Style::Camel,
        Style::Pascal,
        Style::Screaming,
    ];

    fn capitalized(word: &str) -> String {
        let mut chars = word.chars();
        chars
            .next()
            .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
    }

    fn render(words: &[&str], style: Style) -> String {
        match style {
            Style::Snake => words.join("_"),
            Style::Kebab => words.join("-"),
            Style::Screaming => words.join("_").to_uppercase(),
            Style::Pascal => words.iter().map(|word| capitalized(word)).collect(),
            Style::Camel => {
                let rest: String = words.iter().skip(1).map(|word| capitalized(word)).collect();
                format!("{}{rest}", words.first().copied().unwrap_or_default())
            }
        }
    }

    /// Characters that exercise folding: look-alikes, fullwidth, marks, jamo, invisibles.
    const TRICKY: &[char] = &[
        'a', 'B', '1', '_', '-', ' ', '\u{430}', '\u{410}', '\u{406}', '\u{3bf}', '\u{393}', 'Ａ', 'ｚ', '\u{301}',
        '\u{345}', '\u{200b}', '\u{3164}', 'ᄀ', 'ᅡ', 'ᆨ', 'İ', 'ß', 'ǅ', 'ﬁ', '①', '²', '🔑', '日', '\u{bc6}',
        '\u{bbe}',
    ];

    fn tricky_string() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(TRICKY), 0..24).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn matches_iff_a_floor_word_is_in_the_name(
            safe in prop::collection::vec(prop::sample::select(SAFE), 1..9),
            floor in prop::option::of(prop::sample::select(FLOOR_WORDS)),
            at in any::<prop::sample::Index>(),
            style in prop::sample::select(STYLES),
        ) {
            let mut parts = safe;
            if let Some(floor) = floor {
                let at = at.index(parts.len() + 1);
                parts.splice(at..at, floor.iter().copied());
            }
            let name = render(&parts, style);
            prop_assert_eq!(find_word(&name, on_floor).is_some(), floor.is_some(), "{}", name);
        }

        #[test]
        fn normalize_is_idempotent(name in any::<String>()) {
            let once = normalize(&name);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalize_is_idempotent_on_look_alikes(name in tricky_string()) {
            let once = normalize(&name);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn the_whole_name_is_always_tried(name in prop_oneof![any::<String>(), tricky_string()]) {
            let whole = words(&name).concat();
            let expected = (!whole.is_empty()).then(|| whole.clone());
            prop_assert_eq!(find_word(&name, |c| c == whole), expected);
        }

        #[test]
        fn the_stack_and_heap_paths_agree(name in "[a-zA-Z0-9_.-]{0,64}", entry in "[a-z0-9]{1,12}") {
            let mut is_entry = |c: &str| c == entry;
            let stack = search::<Inline<u8>, Inline<usize>>(&name, &mut is_entry).ok();
            let heap = search::<Vec<u8>, Vec<usize>>(&name, &mut is_entry).ok();
            prop_assert_eq!(stack, heap);
        }

        #[test]
        fn find_word_never_panics(name in prop_oneof![any::<String>(), tricky_string(), ".{0,300}"]) {
            let _ = find_word(&name, on_floor);
            let _ = words(&name);
        }
    }
}
