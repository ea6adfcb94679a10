//! `rename_all` rules: how a field or variant identifier becomes its
//! captured name.

use std::fmt;

/// A case convention accepted by `#[telemetry(rename_all = "...")]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// The spellings users write, in the order error messages list them.
const RULES: [(&str, RenameRule); 8] = [
    ("snake_case", RenameRule::Snake),
    ("camelCase", RenameRule::Camel),
    ("PascalCase", RenameRule::Pascal),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
];

/// A `rename_all` value that names no rule.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct UnknownRule {
    value: String,
    suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown `rename_all` value `{}`", self.value)?;
        if let Some(suggestion) = self.suggestion {
            return write!(f, "; did you mean `{suggestion}`?");
        }
        f.write_str(": expected one of ")?;
        for (index, (spelling, _)) in RULES.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{spelling}`")?;
        }
        Ok(())
    }
}

impl RenameRule {
    /// The rule spelled exactly `value`.
    pub(crate) fn parse(value: &str) -> Result<Self, UnknownRule> {
        if let Some((_, rule)) = RULES.iter().find(|(spelling, _)| *spelling == value) {
            return Ok(*rule);
        }
        // Spellings differ only in case and separators, so that is what a
        // near miss looks like.
        let loose = |text: &str| {
            text.chars()
                .filter(|ch| !matches!(ch, '_' | '-' | ' '))
                .collect::<String>()
                .to_lowercase()
        };
        let wanted = loose(value);
        Err(UnknownRule {
            value: value.to_owned(),
            suggestion: RULES
                .iter()
                .map(|(spelling, _)| *spelling)
                .find(|spelling| loose(spelling) == wanted),
        })
    }

    /// Renames `name` (an identifier without `r#`).
    ///
    /// `lowercase` and `UPPERCASE` change letter case only and keep
    /// underscores, as serde does; the other rules split `name` into words
    /// (at `_`, `-` and case changes) and join them their way.
    pub(crate) fn apply(self, name: &str) -> String {
        let words = words(name);
        match self {
            RenameRule::Lower => name.to_lowercase(),
            RenameRule::Upper => name.to_uppercase(),
            RenameRule::Snake => join(&words, "_", str::to_lowercase),
            RenameRule::ScreamingSnake => join(&words, "_", str::to_uppercase),
            RenameRule::Kebab => join(&words, "-", str::to_lowercase),
            RenameRule::ScreamingKebab => join(&words, "-", str::to_uppercase),
            RenameRule::Pascal => join(&words, "", capitalized),
            RenameRule::Camel => {
                let mut out = String::new();
                for (index, word) in words.iter().enumerate() {
                    if index == 0 {
                        out.push_str(&word.to_lowercase());
                    } else {
                        out.push_str(&capitalized(word));
                    }
                }
                out
            }
        }
    }
}

fn join(words: &[&str], separator: &str, case: fn(&str) -> String) -> String {
    words.iter().map(|word| case(word)).collect::<Vec<_>>().join(separator)
}

/// The first letter upper-cased, the rest as written (acronyms survive).
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Splits an identifier into words: at `_` and `-`, before an upper-case
/// letter that follows a lower-case letter or digit, and before the last
/// capital of an acronym that starts a new word (`HTTPServer` is `HTTP`,
/// `Server`).
fn words(name: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (position, &(index, ch)) in chars.iter().enumerate() {
        if ch == '_' || ch == '-' {
            if let Some(begin) = start.take() {
                words.push(&name[begin..index]);
            }
            continue;
        }
        if let Some(begin) = start {
            let previous = chars[position - 1].1;
            let next = chars.get(position + 1).map(|&(_, next)| next);
            let after_lower = previous.is_lowercase() || previous.is_ascii_digit();
            let acronym_end = previous.is_uppercase() && next.is_some_and(|next| next.is_lowercase());
            if ch.is_uppercase() && (after_lower || acronym_end) {
                words.push(&name[begin..index]);
                start = Some(index);
            }
        } else {
            start = Some(index);
        }
    }
    if let Some(begin) = start {
        words.push(&name[begin..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(rule: &str, name: &str) -> String {
        RenameRule::parse(rule).unwrap().apply(name)
    }

    #[test]
    fn every_rule_renames_snake_case_fields() {
        let cases = [
            ("snake_case", "feature_group"),
            ("camelCase", "featureGroup"),
            ("PascalCase", "FeatureGroup"),
            ("SCREAMING_SNAKE_CASE", "FEATURE_GROUP"),
            ("kebab-case", "feature-group"),
            ("SCREAMING-KEBAB-CASE", "FEATURE-GROUP"),
            ("lowercase", "feature_group"),
            ("UPPERCASE", "FEATURE_GROUP"),
        ];
        for (rule, expected) in cases {
            assert_eq!(apply(rule, "feature_group"), expected, "{rule}");
        }
    }

    #[test]
    fn every_rule_renames_pascal_case_variants() {
        let cases = [
            ("snake_case", "pay_pal"),
            ("camelCase", "payPal"),
            ("PascalCase", "PayPal"),
            ("SCREAMING_SNAKE_CASE", "PAY_PAL"),
            ("kebab-case", "pay-pal"),
            ("SCREAMING-KEBAB-CASE", "PAY-PAL"),
            ("lowercase", "paypal"),
            ("UPPERCASE", "PAYPAL"),
        ];
        for (rule, expected) in cases {
            assert_eq!(apply(rule, "PayPal"), expected, "{rule}");
        }
    }

    #[test]
    fn words_split_at_acronyms_and_keep_digits() {
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("last4"), ["last4"]);
        assert_eq!(words("card3DS"), ["card3", "DS"]);
        assert_eq!(words("__leading__and_trailing_"), ["leading", "and", "trailing"]);
        assert_eq!(apply("PascalCase", "HTTPServer"), "HTTPServer");
        assert_eq!(apply("snake_case", "HTTPServer"), "http_server");
        assert_eq!(apply("camelCase", "HTTPServer"), "httpServer");
        assert_eq!(apply("SCREAMING_SNAKE_CASE", "Starter"), "STARTER");
    }

    #[test]
    fn unknown_rules_list_the_known_ones_and_suggest_a_near_miss() {
        let error = RenameRule::parse("SnakeCase").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown `rename_all` value `SnakeCase`; did you mean `snake_case`?"
        );
        let error = RenameRule::parse("Title Case").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown `rename_all` value `Title Case`: expected one of `snake_case`, `camelCase`, \
             `PascalCase`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`, \
             `lowercase`, `UPPERCASE`"
        );
    }
}
