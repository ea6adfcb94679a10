//! Percentages as every rendering shows them: one function, so text,
//! Markdown, HTML and JSON never disagree.

/// `part × 100 / whole`, or `None` when `whole` is 0.
pub(crate) fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// `part / whole` as a percentage with one decimal, rounded half up (32 of
/// 54 is `59.3%`), or `n/a` when `whole` is 0. Exact: integer arithmetic,
/// no floating-point rounding surprises.
///
/// ```
/// use caci_core::coverage::format_percent;
///
/// assert_eq!(format_percent(32, 54), "59.3%");
/// assert_eq!(format_percent(2, 3), "66.7%");
/// assert_eq!(format_percent(1, 8), "12.5%"); // 12.5 exactly
/// assert_eq!(format_percent(1, 16), "6.3%"); // 6.25 rounds half up
/// assert_eq!(format_percent(0, 0), "n/a");
/// ```
pub fn format_percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".to_owned();
    }
    let (part, whole) = (part as u128, whole as u128);
    let tenths = (part * 2000 + whole) / (2 * whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// A minimum as written, without a trailing `.0` (`60`, `62.5`).
pub(crate) fn minimum_text(value: f64) -> String {
    let text = format!("{value}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// `part / whole` for a message that compares it with `minimum`: one
/// decimal, or two (truncated) when one decimal, rounded, would seem to
/// reach a minimum it does not reach (59.96% is `59.96%`, not `60.0%`).
pub(crate) fn format_percent_against(part: usize, whole: usize, minimum: f64) -> String {
    let shown = format_percent(part, whole);
    match ratio(part, whole) {
        Some(exact) if exact < minimum && shown.trim_end_matches('%').parse::<f64>().is_ok_and(|s| s >= minimum) => {
            let hundredths = (part as u128 * 10_000) / whole as u128;
            format!("{}.{:02}%", hundredths / 100, hundredths % 100)
        }
        _ => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_half_up_and_never_seeming_to_pass() {
        assert_eq!(format_percent(5, 9), "55.6%");
        assert_eq!(format_percent(1999, 2000), "100.0%");
        assert_eq!(format_percent(3, 3), "100.0%");
        assert_eq!(format_percent_against(1199, 2000, 60.0), "59.95%");
        assert_eq!(format_percent_against(32, 54, 60.0), "59.3%");
        assert_eq!(minimum_text(60.0), "60");
        assert_eq!(minimum_text(62.5), "62.5");
    }
}
