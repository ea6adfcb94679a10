//! Every item of a crate that `init` reasons about, with where it is: type
//! definitions, aliases, traits, impl blocks, item macros, and each file's
//! imports.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::source::Sources;
use crate::syntax::{is_automatically_derived, is_cfg_test};

/// A struct or enum defined in the crate.
#[derive(Debug)]
pub struct TypeDef {
    /// The file it is in (an index into [`Sources::files`]).
    pub file: usize,
    /// Its module: `["domain"]`.
    pub module: Vec<String>,
    /// Its name.
    pub name: String,
    /// The item.
    pub item: DefItem,
}

/// A struct or an enum.
#[derive(Debug)]
pub enum DefItem {
    /// A struct.
    Struct(syn::ItemStruct),
    /// An enum.
    Enum(syn::ItemEnum),
}

impl DefItem {
    /// The item's outer attributes.
    pub fn attrs(&self) -> &[syn::Attribute] {
        match self {
            DefItem::Struct(item) => &item.attrs,
            DefItem::Enum(item) => &item.attrs,
        }
    }

    /// The item's generic parameters.
    pub fn generics(&self) -> &syn::Generics {
        match self {
            DefItem::Struct(item) => &item.generics,
            DefItem::Enum(item) => &item.generics,
        }
    }
}

/// An impl block.
#[derive(Debug)]
pub struct ImplBlock {
    /// The file it is in.
    pub file: usize,
    /// Its module.
    pub module: Vec<String>,
    /// The name of the type it is for (the last segment of its path).
    pub self_name: Option<String>,
    /// The trait it implements, by its path's last segment, and whether the
    /// path is the crate's own trait.
    pub trait_name: Option<(String, bool)>,
    /// The item.
    pub item: syn::ItemImpl,
}

/// A macro invoked where an item goes (`id_type!(OrderId);`): what it
/// generates is invisible to `init`, so it is listed and left alone.
#[derive(Clone, Debug)]
pub struct ItemMacro {
    /// The file it is in.
    pub file: usize,
    /// Its line.
    pub line: usize,
    /// The macro's name: `id_type`.
    pub name: String,
    /// The identifiers in its arguments.
    pub idents: BTreeSet<String>,
}

/// The crate's items.
#[derive(Debug, Default)]
pub struct Index {
    /// Structs and enums.
    pub defs: Vec<TypeDef>,
    /// Impl blocks, in file order.
    pub impls: Vec<ImplBlock>,
    /// Item macros other than `macro_rules!` definitions.
    pub macros: Vec<ItemMacro>,
    /// The crate's traits, by name.
    pub traits: BTreeSet<String>,
    /// The crate's top-level module names.
    pub top_modules: BTreeSet<String>,
    /// `type` aliases, by name.
    pub aliases: HashMap<String, syn::Type>,
    /// Per file, each imported name and the path it stands for.
    pub imports: Vec<BTreeMap<String, Vec<String>>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Index {
    /// Indexes every item of `sources`, `#[cfg(test)]` ones left out.
    pub fn build(sources: &Sources) -> Index {
        let mut index = Index::default();
        for (file, source) in sources.files.iter().enumerate() {
            let mut imports = BTreeMap::new();
            index.items(file, &source.module, &source.ast.items, &mut imports);
            index.imports.push(imports);
            if source.module.is_empty() {
                for item in &source.ast.items {
                    if let syn::Item::Mod(module) = item {
                        index.top_modules.insert(module.ident.to_string());
                    }
                }
            }
        }
        for (at, def) in index.defs.iter().enumerate() {
            index.by_name.entry(def.name.clone()).or_default().push(at);
        }
        let traits = index.traits.clone();
        for block in &mut index.impls {
            if let Some((name, own)) = &mut block.trait_name {
                *own = *own && traits.contains(name.as_str());
            }
        }
        index
    }

    /// The definitions named `name`.
    pub fn named(&self, name: &str) -> &[usize] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The macro invocation whose arguments name `ident`, if any.
    pub fn macro_defining(&self, ident: &str) -> Option<&ItemMacro> {
        self.macros.iter().find(|item| item.idents.contains(ident))
    }

    fn items(
        &mut self,
        file: usize,
        module: &[String],
        items: &[syn::Item],
        imports: &mut BTreeMap<String, Vec<String>>,
    ) {
        for item in items {
            match item {
                syn::Item::Struct(item) if !is_cfg_test(&item.attrs) => self.defs.push(TypeDef {
                    file,
                    module: module.to_vec(),
                    name: item.ident.to_string(),
                    item: DefItem::Struct(item.clone()),
                }),
                syn::Item::Enum(item) if !is_cfg_test(&item.attrs) => self.defs.push(TypeDef {
                    file,
                    module: module.to_vec(),
                    name: item.ident.to_string(),
                    item: DefItem::Enum(item.clone()),
                }),
                syn::Item::Type(item) => {
                    self.aliases.insert(item.ident.to_string(), (*item.ty).clone());
                }
                syn::Item::Trait(item) => {
                    self.traits.insert(item.ident.to_string());
                }
                syn::Item::Impl(item) if !is_cfg_test(&item.attrs) && !is_automatically_derived(&item.attrs) => {
                    self.impls.push(ImplBlock {
                        file,
                        module: module.to_vec(),
                        self_name: last_ident(&item.self_ty),
                        trait_name: item.trait_.as_ref().and_then(|(path, _)| {
                            let name = path.segments.last()?.ident.to_string();
                            let foreign_root = path.segments.len() > 1
                                && !matches!(path.segments[0].ident.to_string().as_str(), "crate" | "self" | "super");
                            Some((name, !foreign_root))
                        }),
                        item: item.clone(),
                    });
                }
                syn::Item::Macro(item) if !is_cfg_test(&item.attrs) => {
                    let name = item
                        .mac
                        .path
                        .segments
                        .last()
                        .map(|segment| segment.ident.to_string())
                        .unwrap_or_default();
                    if name != "macro_rules" {
                        let idents = item.mac.tokens.clone().into_iter().flat_map(flatten_idents).collect();
                        self.macros.push(ItemMacro {
                            file,
                            line: item.mac.path.segments[0].ident.span().start().line,
                            name,
                            idents,
                        });
                    }
                }
                syn::Item::Use(item) => use_tree(&item.tree, &mut Vec::new(), imports),
                syn::Item::Mod(item) if !is_cfg_test(&item.attrs) => {
                    if let Some((_, content)) = &item.content {
                        let mut inner = module.to_vec();
                        inner.push(item.ident.to_string());
                        self.items(file, &inner, content, imports);
                    }
                }
                _ => {}
            }
        }
    }
}

fn flatten_idents(token: proc_macro2::TokenTree) -> Vec<String> {
    match token {
        proc_macro2::TokenTree::Ident(ident) => vec![ident.to_string()],
        proc_macro2::TokenTree::Group(group) => group.stream().into_iter().flat_map(flatten_idents).collect(),
        _ => Vec::new(),
    }
}

fn use_tree(tree: &syn::UseTree, prefix: &mut Vec<String>, imports: &mut BTreeMap<String, Vec<String>>) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_tree(&path.tree, prefix, imports);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let ident = name.ident.to_string();
            let mut full = prefix.clone();
            if ident != "self" {
                full.push(ident.clone());
            }
            let key = if ident == "self" {
                prefix.last().cloned().unwrap_or_default()
            } else {
                ident
            };
            imports.insert(key, full);
        }
        syn::UseTree::Rename(rename) => {
            let mut full = prefix.clone();
            full.push(rename.ident.to_string());
            imports.insert(rename.rename.to_string(), full);
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_tree(tree, prefix, imports);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// The last identifier of a type's path: `Service` for `crate::a::Service<T>`.
pub fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
        syn::Type::Reference(reference) => last_ident(&reference.elem),
        syn::Type::Paren(inner) => last_ident(&inner.elem),
        syn::Type::Group(inner) => last_ident(&inner.elem),
        _ => None,
    }
}
