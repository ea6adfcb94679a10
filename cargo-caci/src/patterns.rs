//! Include and exclude patterns: `billing::*`, `*Builder`, `*Repository for *`.
//!
//! A pattern matches a block's label (`module::Type`, or `module::Trait for
//! Type`) or its type's name alone; `*` stands for any run of characters.
//! They come from `--include`/`--exclude` and from the `[init]` table of
//! `caci.toml` (`include = […]`, `exclude = […]`), the command line first.

/// The patterns in force.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Patterns {
    /// Blocks to wrap whatever their score.
    pub include: Vec<String>,
    /// Blocks never to wrap; wins over `include`.
    pub exclude: Vec<String>,
}

impl Patterns {
    /// The first include pattern matching the block.
    pub fn included(&self, label: &str, type_name: &str) -> Option<&str> {
        first_match(&self.include, label, type_name)
    }

    /// The first exclude pattern matching the block.
    pub fn excluded(&self, label: &str, type_name: &str) -> Option<&str> {
        first_match(&self.exclude, label, type_name)
    }

    /// Whether any include pattern is given: then only what they name is wrapped.
    pub fn has_includes(&self) -> bool {
        !self.include.is_empty()
    }

    /// The `[init]` table of a `caci.toml`'s text, if it has one.
    ///
    /// ```
    /// let patterns = cargo_caci::patterns::Patterns::from_caci_toml("[init]\nexclude = [\"*Builder\"]\n").unwrap();
    /// assert_eq!(patterns.exclude, ["*Builder"]);
    /// ```
    pub fn from_caci_toml(text: &str) -> Result<Patterns, String> {
        let document: toml_edit::DocumentMut = text.parse().map_err(|error| format!("{error}"))?;
        let mut patterns = Patterns::default();
        let Some(init) = document.get("init") else {
            return Ok(patterns);
        };
        for (key, list) in [("include", &mut patterns.include), ("exclude", &mut patterns.exclude)] {
            let Some(value) = init.get(key) else { continue };
            let array = value
                .as_array()
                .ok_or_else(|| format!("[init] {key}: expected a list of patterns"))?;
            for item in array {
                let text = item.as_str().ok_or_else(|| format!("[init] {key}: expected strings"))?;
                list.push(text.to_owned());
            }
        }
        Ok(patterns)
    }

    /// These patterns, then `other`'s.
    pub fn then(mut self, other: Patterns) -> Patterns {
        self.include.extend(other.include);
        self.exclude.extend(other.exclude);
        self
    }
}

fn first_match<'a>(patterns: &'a [String], label: &str, type_name: &str) -> Option<&'a str> {
    patterns
        .iter()
        .find(|pattern| glob(pattern, label) || glob(pattern, type_name))
        .map(String::as_str)
}

/// `*` matches any run of characters, everything else itself.
///
/// ```
/// use cargo_caci::patterns::glob;
///
/// assert!(glob("billing::*", "billing::Gateway"));
/// assert!(glob("*Builder", "RequestBuilder"));
/// assert!(!glob("*Builder", "RequestBuilders"));
/// ```
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}
