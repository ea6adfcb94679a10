//! `--dry-run`'s output: a unified diff per changed file.

use similar::TextDiff;

/// The unified diff from `old` to `new` of the file at `path` (`a/path`,
/// `b/path`), empty when they are equal; a new file diffs from `/dev/null`.
///
/// ```
/// let diff = cargo_caci::diff::unified("src/lib.rs", Some("a\nb\n"), "a\nc\n");
/// assert!(diff.starts_with("--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"));
/// ```
pub fn unified(path: &str, old: Option<&str>, new: &str) -> String {
    let before = old.unwrap_or("");
    if before == new {
        return String::new();
    }
    let old_header = if old.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_owned()
    };
    TextDiff::from_lines(before, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &format!("b/{path}"))
        .to_string()
}
