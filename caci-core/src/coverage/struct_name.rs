//! The struct an `allow struct` suggestion names: the one holding the leaf,
//! seen through the standard library's wrappers and collections.

/// Wrappers and collections whose first type argument holds the struct.
const FIRST_ARGUMENT: &[&str] = &[
    "Option",
    "Result",
    "Box",
    "Rc",
    "Arc",
    "Weak",
    "Cow",
    "Vec",
    "VecDeque",
    "LinkedList",
    "BinaryHeap",
    "HashSet",
    "BTreeSet",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Pin",
    "Reverse",
    "Wrapping",
    "ManuallyDrop",
];

/// Maps: their second type argument (the value) holds the struct.
const SECOND_ARGUMENT: &[&str] = &["HashMap", "BTreeMap"];

/// Primitive types: never a struct.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    "f32", "f64", "String",
];

/// The name to suggest in `allowed_structs` for a leaf whose enclosing type
/// is `enclosing` (a full type name): the struct inside any references,
/// slices, arrays and standard wrappers (`Result<Option<app::Business>, E>`
/// is `Business`), or `None` when what is left is a standard-library type
/// or no named type at all. A standard wrapper is never suggested.
pub(crate) fn suggested_struct(enclosing: &str) -> Option<String> {
    let mut current = enclosing.trim();
    loop {
        current = strip_reference(current);
        if let Some(inner) = current.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            current = top_level_split(inner, ';').into_iter().next()?.trim();
            continue;
        }
        let (head, arguments) = match current.find('<') {
            Some(open) if current.ends_with('>') => (&current[..open], &current[open + 1..current.len() - 1]),
            _ => (current, ""),
        };
        let name = head.rsplit("::").next().unwrap_or(head).trim();
        let types: Vec<&str> = top_level_split(arguments, ',')
            .into_iter()
            .map(str::trim)
            .filter(|argument| !argument.is_empty() && !argument.starts_with('\''))
            .collect();
        let index = if FIRST_ARGUMENT.contains(&name) {
            0
        } else if SECOND_ARGUMENT.contains(&name) {
            1
        } else {
            let standard = ["core::", "alloc::", "std::"]
                .iter()
                .any(|krate| head.starts_with(krate));
            let named = name.chars().next().is_some_and(|ch| ch.is_alphabetic() || ch == '_');
            let plain = !head.contains(['(', ')', ' ']) && !PRIMITIVES.contains(&name);
            return (named && !standard && plain).then(|| name.to_owned());
        };
        current = types.get(index)?;
    }
}

fn strip_reference(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix('&') {
        let rest = rest.trim_start();
        let rest = match rest.strip_prefix('\'') {
            Some(lifetime) => lifetime.split_once(' ').map_or("", |(_, after)| after),
            None => rest,
        };
        text = rest.strip_prefix("mut ").unwrap_or(rest).trim_start();
    }
    text
}

/// `text` split at `separator` outside any `<…>`, `(…)` or `[…]`.
fn top_level_split(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (index, ch) in text.char_indices() {
        match ch {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            _ if ch == separator && depth == 0 => {
                parts.push(&text[start..index]);
                start = index + ch.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::suggested_struct;

    #[test]
    fn the_struct_inside_standard_wrappers_and_collections() {
        let name = |enclosing| suggested_struct(enclosing);
        assert_eq!(name("app::Business").as_deref(), Some("Business"));
        assert_eq!(
            name("core::result::Result<core::option::Option<app::Business>, app::ApiError>").as_deref(),
            Some("Business")
        );
        assert_eq!(
            name("&'a mut alloc::boxed::Box<app::Business>").as_deref(),
            Some("Business")
        );
        assert_eq!(
            name("alloc::borrow::Cow<'_, app::Business>").as_deref(),
            Some("Business")
        );
        assert_eq!(name("alloc::vec::Vec<app::Item>").as_deref(), Some("Item"));
        assert_eq!(name("[app::Item]").as_deref(), Some("Item"));
        assert_eq!(name("&[app::Item; 4]").as_deref(), Some("Item"));
        assert_eq!(
            name("std::collections::hash::map::HashMap<alloc::string::String, app::Item>").as_deref(),
            Some("Item")
        );
        assert_eq!(
            name("alloc::sync::Arc<std::sync::mutex::Mutex<alloc::collections::vec_deque::VecDeque<app::Job>>>")
                .as_deref(),
            Some("Job")
        );
        assert_eq!(
            name("app::Page<app::Item>").as_deref(),
            Some("Page"),
            "a user's own generic is itself"
        );
    }

    #[test]
    fn never_a_standard_type() {
        for enclosing in [
            "core::option::Option<u8>",
            "alloc::vec::Vec<alloc::string::String>",
            "core::result::Result<(), app::Error>",
            "std::time::SystemTime",
            "core::option::Option",
            "(app::A, app::B)",
            "",
        ] {
            assert_eq!(suggested_struct(enclosing), None, "{enclosing}");
        }
    }
}
