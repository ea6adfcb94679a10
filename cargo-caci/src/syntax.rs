//! Small questions asked of `syn` trees: attributes, paths, positions.

use proc_macro2::{LineColumn, Span};
use quote::ToTokens;

/// Whether `attrs` hold `#[cfg(test)]` (or a `cfg` naming `test` at all:
/// `#[cfg(all(test, feature = "x"))]`).
pub fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.clone().into_iter().any(|token| token.to_string() == "test"))
    })
}

/// The last segment of an attribute's path: `component` for `#[caci_core::component]`.
pub fn attr_name(attr: &syn::Attribute) -> String {
    attr.path()
        .segments
        .last()
        .map(|segment| segment.ident.to_string())
        .unwrap_or_default()
}

/// Whether the item is already wrapped: `#[component]`, `#[caci_core::component]`.
pub fn has_component(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr_name(attr) == "component")
}

/// Whether a method carries `#[instrument]` / `#[tracing::instrument]`.
pub fn has_instrument(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr_name(attr) == "instrument")
}

/// Whether the item is generated: `#[automatically_derived]`.
pub fn is_automatically_derived(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("automatically_derived"))
}

/// The traits named in every plain `#[derive(…)]` (not in `cfg_attr`), by
/// their last segment.
pub fn derived_traits(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .flat_map(derive_paths)
        .filter_map(|path| path.segments.last().map(|segment| segment.ident.to_string()))
        .collect()
}

/// The paths of one `#[derive(…)]`.
pub fn derive_paths(attr: &syn::Attribute) -> Vec<syn::Path> {
    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        .map(|paths| paths.into_iter().collect())
        .unwrap_or_default()
}

/// Whether a `#[cfg_attr(…, derive(…))]` derives `name`.
pub fn cfg_attr_derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg_attr"))
        .any(|attr| {
            let text = attr.meta.to_token_stream().to_string();
            text.contains("derive")
                && text
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|word| word == name)
        })
}

/// Whether the item holds an attribute named `name` (`telemetry`, `caci`).
pub fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(name))
}

/// The first outer attribute that is not a doc comment, if any: where a
/// new attribute goes, so doc comments stay on top.
pub fn first_non_doc(attrs: &[syn::Attribute]) -> Option<&syn::Attribute> {
    attrs
        .iter()
        .find(|attr| !attr.path().is_ident("doc") && matches!(attr.style, syn::AttrStyle::Outer))
}

/// Byte offsets of spans in one file's text.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// An index of `text`'s lines.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The byte offset of a line and column (`proc-macro2` columns count characters).
    pub fn offset(&self, at: LineColumn) -> usize {
        let Some(&start) = self.starts.get(at.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(offset, _)| offset)
    }

    /// Where `span` starts.
    pub fn start(&self, span: Span) -> usize {
        self.offset(span.start())
    }

    /// Where `span` ends.
    pub fn end(&self, span: Span) -> usize {
        self.offset(span.end())
    }

    /// The whitespace that starts the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> &'a str {
        let line_start = self.text[..offset].rfind('\n').map_or(0, |at| at + 1);
        let line = &self.text[line_start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// Whether only whitespace precedes `offset` on its line.
    pub fn starts_line(&self, offset: usize) -> bool {
        let line_start = self.text[..offset].rfind('\n').map_or(0, |at| at + 1);
        self.text[line_start..offset].trim().is_empty()
    }

    /// The file's line ending: `\r\n` when it uses them, else `\n`.
    pub fn newline(&self) -> &'static str {
        if self.text.contains("\r\n") { "\r\n" } else { "\n" }
    }

    /// The text from `offset` on.
    pub fn text_after(&self, offset: usize) -> &'a str {
        &self.text[offset.min(self.text.len())..]
    }

    /// The 1-based line of `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_within_a_line() {
        let text = "// café ✓\nstruct Ünïcode { é: u8 }\n";
        let file = syn::parse_file(text).unwrap();
        let syn::Item::Struct(item) = &file.items[0] else {
            panic!()
        };
        let lines = LineIndex::new(text);
        let field = item.fields.iter().next().unwrap().ident.as_ref().unwrap();
        let at = lines.start(field.span());
        assert_eq!(&text[at..at + "é".len()], "é");
        assert_eq!(lines.line_of(at), 2);
        assert!(!lines.starts_line(at));
        assert_eq!(lines.newline(), "\n");
        assert_eq!(LineIndex::new("a\r\nb").newline(), "\r\n");
    }
}
