//! What a written type is, for capture: a scalar of some [`Kind`], one of
//! the crate's own types, a wrapper, a list or map of something, a generic,
//! a foreign type captured through `Display`, or something with no
//! `Capture` impl (and why).
//!
//! Names are resolved through the file's `use` lines, so `Uuid` after
//! `use uuid::Uuid;` is `uuid::Uuid` and `domain::Plan` after
//! `use crate::domain;` is the crate's `Plan`.

use std::collections::BTreeSet;

use caci_core::Kind;

use super::index::Index;

/// A written type, as capture sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A type with a built-in `Capture` impl.
    Scalar(Kind),
    /// One of the crate's structs or enums (an index into [`Index::defs`]).
    Crate(usize),
    /// `&T`, `Option<T>`, `Box<T>`, `Arc<T>`, `Rc<T>`: captured as `T`.
    Wrapper(Box<Ty>),
    /// `Vec<T>`, slices, arrays, sets.
    List(Box<Ty>),
    /// `HashMap<K, V>`, `BTreeMap<K, V>`; `key_ok` when `K` is string-like.
    Map {
        /// Whether the keys can be captured (string-like).
        key_ok: bool,
        /// The values.
        value: Box<Ty>,
    },
    /// A type parameter or `impl Trait`: what is captured depends on each call.
    Generic,
    /// A foreign type best captured through its `Display` (`Decimal`, dates).
    Display(String),
    /// A type made by an item macro (`id_type!(OrderId)`): its impls are unknown.
    Macro {
        /// The type's name.
        ident: String,
        /// The macro's name.
        name: String,
    },
    /// No `Capture` impl; the reason, for a comment.
    Unsupported(String),
}

impl Ty {
    /// The type with wrappers removed.
    pub fn unwrapped(&self) -> &Ty {
        match self {
            Ty::Wrapper(inner) => inner.unwrapped(),
            other => other,
        }
    }
}

/// Where a type is written: the file (for its imports) and the generic
/// parameters in scope.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    /// The file, an index into the sources.
    pub file: usize,
    /// Type parameters in scope.
    pub generics: &'a BTreeSet<String>,
}

/// How a path resolves.
enum Resolved {
    Crate(usize),
    Foreign(Vec<String>),
    Unknown(String),
}

impl Index {
    /// What `ty`, written in `scope`, is.
    pub fn classify(&self, ty: &syn::Type, scope: Scope<'_>) -> Ty {
        self.classify_depth(ty, scope, 0)
    }

    fn classify_depth(&self, ty: &syn::Type, scope: Scope<'_>, depth: usize) -> Ty {
        if depth > 16 {
            return Ty::Unsupported("a type nested too deeply to read".to_owned());
        }
        let again = |ty: &syn::Type| self.classify_depth(ty, scope, depth + 1);
        match ty {
            syn::Type::Reference(reference) => Ty::Wrapper(Box::new(again(&reference.elem))),
            syn::Type::Paren(inner) => again(&inner.elem),
            syn::Type::Group(inner) => again(&inner.elem),
            syn::Type::Slice(slice) => Ty::List(Box::new(again(&slice.elem))),
            syn::Type::Array(array) => Ty::List(Box::new(again(&array.elem))),
            syn::Type::ImplTrait(_) => Ty::Generic,
            syn::Type::TraitObject(_) => Ty::Unsupported("a trait object has no capturable form".to_owned()),
            syn::Type::FnPtr(_) => Ty::Unsupported("a function has no capturable form".to_owned()),
            syn::Type::Tuple(tuple) if tuple.elems.is_empty() => Ty::Unsupported("`()` holds nothing".to_owned()),
            syn::Type::Tuple(_) => Ty::Unsupported("tuples have no `Capture` impl".to_owned()),
            syn::Type::Path(path) if path.qself.is_none() => self.classify_path(&path.path, scope, depth),
            _ => Ty::Unsupported("a type `init` cannot read".to_owned()),
        }
    }

    fn classify_path(&self, path: &syn::Path, scope: Scope<'_>, depth: usize) -> Ty {
        let Some(last) = path.segments.last() else {
            return Ty::Unsupported("an empty path".to_owned());
        };
        let name = last.ident.to_string();
        if path.segments.len() == 1 && scope.generics.contains(&name) {
            return Ty::Generic;
        }
        let args = type_args(last);
        let arg = |at: usize| -> Ty {
            args.get(at)
                .map_or(Ty::Generic, |ty| self.classify_depth(ty, scope, depth + 1))
        };
        if path.segments.len() == 1 && !self.named(&name).is_empty() {
            return Ty::Crate(self.pick(&name, &[]));
        }
        if path.segments.len() == 1
            && let Some(target) = self.aliases.get(&name)
            && args.is_empty()
        {
            return self.classify_depth(target, scope, depth + 1);
        }
        let full = match self.resolve(path, scope.file) {
            Resolved::Crate(def) => return Ty::Crate(def),
            Resolved::Unknown(ident) => {
                return match self.macro_defining(&ident) {
                    Some(item) => Ty::Macro {
                        ident,
                        name: item.name.clone(),
                    },
                    None => Ty::Unsupported(format!("`{ident}` is not defined where `init` can read it")),
                };
            }
            Resolved::Foreign(full) => full,
        };
        let guessed = (full.len() == 1).then(|| crate_of(&name)).flatten();
        let root = guessed.unwrap_or_else(|| full.first().map(String::as_str).unwrap_or_default());
        let std_like = matches!(root, "std" | "core" | "alloc") || (full.len() == 1 && guessed.is_none());
        match (std_like, root, name.as_str()) {
            (true, _, "bool") => Ty::Scalar(Kind::Bool),
            (true, _, "i8" | "i16" | "i32" | "i64" | "i128" | "isize") => Ty::Scalar(Kind::SignedInteger),
            (true, _, "u8" | "u16" | "u32" | "u64" | "u128" | "usize") => Ty::Scalar(Kind::UnsignedInteger),
            (true, _, "f32" | "f64") => Ty::Scalar(Kind::Float),
            (true, _, "String" | "str" | "char") => Ty::Scalar(Kind::String),
            (true, _, "Cow") if matches!(arg(0), Ty::Scalar(Kind::String)) => Ty::Scalar(Kind::String),
            (true, _, "Option" | "Box" | "Arc" | "Rc" | "Cow") => Ty::Wrapper(Box::new(arg(0))),
            (true, _, "Vec" | "VecDeque" | "HashSet" | "BTreeSet") => Ty::List(Box::new(arg(0))),
            (true, _, "HashMap" | "BTreeMap") => Ty::Map {
                key_ok: args.first().is_some_and(string_like),
                value: Box::new(arg(1)),
            },
            (true, _, "Mutex" | "RwLock" | "Cell" | "RefCell" | "OnceLock" | "OnceCell" | "LazyLock") => {
                Ty::Unsupported(format!("`{name}` is shared state, not data"))
            }
            (true, _, atomic) if atomic.starts_with("Atomic") => {
                Ty::Unsupported(format!("`{name}` is shared state, not data"))
            }
            (true, _, "IpAddr" | "Ipv4Addr" | "Ipv6Addr" | "SocketAddr" | "SocketAddrV4" | "SocketAddrV6") => {
                Ty::Unsupported("an IP address is personal data".to_owned())
            }
            (true, _, "PathBuf" | "Path") => Ty::Unsupported("a path can hold a user's name".to_owned()),
            (true, _, "PhantomData") => Ty::Unsupported("a marker, it holds no data".to_owned()),
            (_, "uuid", "Uuid") => Ty::Scalar(Kind::Uuid),
            (_, "time", "OffsetDateTime" | "PrimitiveDateTime") => Ty::Scalar(Kind::DateTime),
            (_, "time", "Date") => Ty::Scalar(Kind::Date),
            (_, "time", "Time") => Ty::Scalar(Kind::Time),
            (_, "time", "Duration") => Ty::Scalar(Kind::Duration),
            (_, "rust_decimal" | "bigdecimal" | "chrono" | "jiff" | "semver" | "mime", _) => Ty::Display(name),
            (_, "url", "Host") | (_, "http", "StatusCode" | "Method" | "Version") => Ty::Display(name),
            (_, "url", "Url") | (_, "http" | "axum", "Uri") => Ty::Unsupported(
                "a URL can carry credentials and a query string: capture its host with `#[telemetry(with = …)]`"
                    .to_owned(),
            ),
            _ => Ty::Unsupported(format!("`{}` has no `Capture` impl", written(path))),
        }
    }

    /// The crate's types a type mentions anywhere (`Result<Vec<Invoice>,
    /// InvoiceError>` mentions both), through aliases.
    pub fn crate_types_in(&self, ty: &syn::Type, file: usize, found: &mut BTreeSet<usize>) {
        struct Walk<'a> {
            index: &'a Index,
            file: usize,
            found: &'a mut BTreeSet<usize>,
            aliases_seen: BTreeSet<String>,
        }
        impl<'ast> syn::visit::Visit<'ast> for Walk<'_> {
            fn visit_path(&mut self, path: &'ast syn::Path) {
                if let Some(last) = path.segments.last() {
                    let name = last.ident.to_string();
                    if let Resolved::Crate(def) = self.index.resolve(path, self.file) {
                        self.found.insert(def);
                    } else if let Some(target) = self.index.aliases.get(&name)
                        && self.aliases_seen.insert(name)
                    {
                        syn::visit::visit_type(self, target);
                    }
                }
                syn::visit::visit_path(self, path);
            }
        }
        let mut walk = Walk {
            index: self,
            file,
            found,
            aliases_seen: BTreeSet::new(),
        };
        syn::visit::visit_type(&mut walk, ty);
    }

    fn resolve(&self, path: &syn::Path, file: usize) -> Resolved {
        let mut segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
        if let Some(imported) = self.imports.get(file).and_then(|imports| imports.get(&segments[0])) {
            segments.splice(0..1, imported.iter().cloned());
        }
        let name = segments.last().cloned().unwrap_or_default();
        let root = segments[0].as_str();
        let local = matches!(root, "crate" | "self" | "super") || self.top_modules.contains(root);
        if segments.len() == 1 || local {
            if self.named(&name).is_empty() {
                return if local || self.macro_defining(&name).is_some() {
                    Resolved::Unknown(name)
                } else {
                    Resolved::Foreign(segments)
                };
            }
            let module: Vec<String> = segments[..segments.len() - 1]
                .iter()
                .filter(|segment| !matches!(segment.as_str(), "crate" | "self" | "super"))
                .cloned()
                .collect();
            return Resolved::Crate(self.pick(&name, &module));
        }
        Resolved::Foreign(segments)
    }

    /// The definition named `name`, the one in `module` when several are.
    fn pick(&self, name: &str, module: &[String]) -> usize {
        let named = self.named(name);
        named
            .iter()
            .copied()
            .find(|def| self.defs[*def].module == module)
            .unwrap_or(named[0])
    }
}

/// A path as written, without its generic arguments: `std::io::Error`.
fn written(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    segments.join("::")
}

/// The crate a well-known type usually comes from, when a glob import hides it.
fn crate_of(name: &str) -> Option<&'static str> {
    Some(match name {
        "Uuid" => "uuid",
        "Decimal" => "rust_decimal",
        "BigDecimal" => "bigdecimal",
        "DateTime" | "NaiveDate" | "NaiveDateTime" | "NaiveTime" | "Utc" => "chrono",
        "OffsetDateTime" | "PrimitiveDateTime" => "time",
        "Url" => "url",
        _ => return None,
    })
}

fn type_args(segment: &syn::PathSegment) -> Vec<syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Keys CACI can capture a map with: `String`, `&str`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<str>`.
fn string_like(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => string_like(&reference.elem),
        syn::Type::Path(path) => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            match last.ident.to_string().as_str() {
                "String" | "str" => true,
                "Box" | "Arc" | "Rc" | "Cow" => type_args(last).first().is_some_and(string_like),
                _ => false,
            }
        }
        _ => false,
    }
}
