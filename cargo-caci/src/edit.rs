//! The edits, as insertions of text at positions of the parsed spans: no
//! file is reformatted, comments and attribute order stay, and every path
//! is written in full (`#[caci_core::component]`, `caci_core::Telemetry`),
//! so no `use` line is needed.

use std::collections::BTreeMap;

use proc_macro2::Span;
use quote::ToTokens;

use crate::discover::components::Candidate;
use crate::discover::index::{DefItem, Index};
use crate::discover::types::{Domain, FieldAction, is_constructor};
use crate::source::Sources;
use crate::syntax::{LineIndex, derive_paths, first_non_doc, has_attr};

/// Text inserted at a byte offset of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// Where, in bytes.
    pub offset: usize,
    /// What.
    pub text: String,
}

/// Inserts every insertion into `text`; several at one offset keep their order.
///
/// ```
/// use cargo_caci::edit::{Insertion, apply};
///
/// let edits = vec![
///     Insertion { offset: 0, text: "#[a]\n".into() },
///     Insertion { offset: 0, text: "#[b]\n".into() },
/// ];
/// assert_eq!(apply("struct S;", &edits), "#[a]\n#[b]\nstruct S;");
/// ```
pub fn apply(text: &str, insertions: &[Insertion]) -> String {
    let mut sorted: Vec<&Insertion> = insertions.iter().collect();
    sorted.sort_by_key(|insertion| insertion.offset);
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|i| i.text.len()).sum::<usize>());
    let mut at = 0;
    for insertion in sorted {
        let offset = insertion.offset.min(text.len());
        out.push_str(&text[at..offset]);
        out.push_str(&insertion.text);
        at = offset;
    }
    out.push_str(&text[at..]);
    out
}

/// The insertions for every file, by file index.
pub fn plan(
    sources: &Sources,
    index: &Index,
    candidates: &[Candidate],
    domain: &Domain,
) -> BTreeMap<usize, Vec<Insertion>> {
    let mut edits: BTreeMap<usize, Vec<Insertion>> = BTreeMap::new();
    for candidate in candidates
        .iter()
        .filter(|candidate| candidate.decision.adds_attribute())
    {
        let block = &index.impls[candidate.block];
        let lines = LineIndex::new(&sources.files[block.file].text);
        let file_edits = edits.entry(block.file).or_default();
        file_edits.push(attribute_before(
            &lines,
            &block.item.attrs,
            item_start(&block.item),
            "#[caci_core::component]",
        ));
        for item in &block.item.items {
            if let syn::ImplItem::Fn(method) = item
                && is_constructor(method, &candidate.type_name)
                && !has_attr(&method.attrs, "caci")
            {
                file_edits.push(attribute_before(
                    &lines,
                    &method.attrs,
                    item_start(method),
                    "#[caci(skip)]",
                ));
            }
        }
    }
    for plan in domain.types.values() {
        if plan.already || plan.underivable.is_some() {
            continue;
        }
        let def = &index.defs[plan.def];
        let lines = LineIndex::new(&sources.files[def.file].text);
        let file_edits = edits.entry(def.file).or_default();
        file_edits.push(derive(&lines, &def.item));
        for field in &plan.fields {
            let attribute = match &field.action {
                FieldAction::Sensitive(_) => "#[telemetry(sensitive)]".to_owned(),
                FieldAction::Display(_) => "#[telemetry(display)]".to_owned(),
                FieldAction::Skip(reason) => format!("#[telemetry(skip)] // {}", one_line(reason)),
                FieldAction::Keep | FieldAction::Existing(_) => continue,
            };
            file_edits.push(attribute_before(
                &lines,
                &field.field.attrs,
                item_start(&field.field),
                &attribute,
            ));
        }
    }
    edits
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// The first token after an item's attributes.
fn item_start<T: ToTokens + Clone + HasAttrs>(item: &T) -> Span {
    let mut bare = item.clone();
    bare.clear_attrs();
    bare.to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span())
}

/// Items whose attributes can be cleared, to find their first own token.
trait HasAttrs {
    fn clear_attrs(&mut self);
}

impl HasAttrs for syn::ItemImpl {
    fn clear_attrs(&mut self) {
        self.attrs.clear();
    }
}

impl HasAttrs for syn::ImplItemFn {
    fn clear_attrs(&mut self) {
        self.attrs.clear();
    }
}

impl HasAttrs for syn::Field {
    fn clear_attrs(&mut self) {
        self.attrs.clear();
    }
}

impl HasAttrs for syn::ItemStruct {
    fn clear_attrs(&mut self) {
        self.attrs.clear();
    }
}

impl HasAttrs for syn::ItemEnum {
    fn clear_attrs(&mut self) {
        self.attrs.clear();
    }
}

/// `attribute` on a line of its own before the first attribute that is not
/// a doc comment (or before the item), indented as that line; inline with
/// a space when the item does not start its line (`struct Pair(u8, Foo)`).
fn attribute_before(lines: &LineIndex<'_>, attrs: &[syn::Attribute], start: Span, attribute: &str) -> Insertion {
    let anchor = first_non_doc(attrs).map_or(start, |attr| attr.pound_token.span);
    let offset = lines.start(anchor);
    let text = if lines.starts_line(offset) {
        format!("{attribute}{}{}", lines.newline(), lines.indent_at(offset))
    } else if let Some((head, reason)) = attribute.split_once(" // ") {
        format!("{head} /* {} */ ", reason.replace("*/", "* /"))
    } else {
        format!("{attribute} ")
    };
    Insertion { offset, text }
}

/// `caci_core::Telemetry` added to the item's first plain `#[derive(…)]`,
/// or a new `#[derive(caci_core::Telemetry)]`.
fn derive(lines: &LineIndex<'_>, item: &DefItem) -> Insertion {
    let (attrs, start) = match item {
        DefItem::Struct(item) => (&item.attrs, item_start(item)),
        DefItem::Enum(item) => (&item.attrs, item_start(item)),
    };
    let existing = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .find_map(|attr| derive_paths(attr).last().cloned());
    let Some(last) = existing else {
        return attribute_before(lines, attrs, start, "#[derive(caci_core::Telemetry)]");
    };
    let last_span = last
        .segments
        .last()
        .map_or_else(Span::call_site, |segment| segment.ident.span());
    let first_span = last.segments.first().map_or(last_span, |segment| segment.ident.span());
    let end = lines.end(last_span);
    let text = lines.text_after(end);
    let trailing = text.trim_start().starts_with(',');
    let begin = lines.start(first_span);
    if lines.starts_line(begin) {
        let indent = lines.indent_at(begin).to_owned();
        if trailing {
            let comma = end + text.find(',').unwrap_or(0) + 1;
            Insertion {
                offset: comma,
                text: format!("{}{indent}caci_core::Telemetry,", lines.newline()),
            }
        } else {
            Insertion {
                offset: end,
                text: format!(",{}{indent}caci_core::Telemetry", lines.newline()),
            }
        }
    } else {
        Insertion {
            offset: end,
            text: ", caci_core::Telemetry".to_owned(),
        }
    }
}
