//! A crate's sources: every file its targets compile, with its module path,
//! its text and its syntax tree.
//!
//! Files are found the way rustc finds them, from the target roots through
//! `mod name;` declarations (`name.rs`, `name/mod.rs`, `#[path = "…"]`), so
//! tests, benches, examples and files no module names are never read.
//! `#[cfg(test)]` modules are not followed; a file that does not parse is
//! named and skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::syntax::is_cfg_test;

/// One parsed source file.
#[derive(Debug)]
pub struct SourceFile {
    /// Its path, relative to the crate root: `src/domain.rs`.
    pub path: PathBuf,
    /// The module the file is: `["domain"]`; empty for a target root.
    pub module: Vec<String>,
    /// Its text, exactly as read.
    pub text: String,
    /// Its syntax tree (spans point into `text`).
    pub ast: syn::File,
}

/// A file that was not read: it does not parse, or says it is generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    /// Its path, relative to the crate root.
    pub path: PathBuf,
    /// Why: the parse error with its line, or "generated".
    pub reason: String,
}

/// Every file of a crate's library and binary targets.
#[derive(Debug, Default)]
pub struct Sources {
    /// The files read, in the order they were found.
    pub files: Vec<SourceFile>,
    /// The files left alone, and why.
    pub skipped: Vec<SkippedFile>,
}

impl Sources {
    /// Reads the files reachable from `roots` (paths relative to `crate_root`).
    ///
    /// ```no_run
    /// let sources = cargo_caci::source::Sources::load("my-service".as_ref(), &["src/lib.rs".into()]);
    /// for file in &sources.files {
    ///     println!("{} is module {:?}", file.path.display(), file.module);
    /// }
    /// ```
    pub fn load(crate_root: &Path, roots: &[PathBuf]) -> Sources {
        let mut loader = Loader {
            crate_root,
            seen: BTreeSet::new(),
            sources: Sources::default(),
        };
        for root in roots {
            loader.file(root, Vec::new(), true);
        }
        loader.sources
    }
}

impl Sources {
    /// Sources from texts in memory: (path, module, text). A text that does
    /// not parse is skipped, as on disk.
    ///
    /// ```
    /// use cargo_caci::source::Sources;
    ///
    /// let sources = Sources::from_texts([("src/lib.rs".into(), vec![], "struct S;".to_owned())]);
    /// assert_eq!(sources.files.len(), 1);
    /// ```
    pub fn from_texts(texts: impl IntoIterator<Item = (PathBuf, Vec<String>, String)>) -> Sources {
        let mut sources = Sources::default();
        for (path, module, text) in texts {
            match syn::parse_file(&text) {
                Ok(ast) => sources.files.push(SourceFile {
                    path,
                    module,
                    text,
                    ast,
                }),
                Err(error) => sources.skipped.push(SkippedFile {
                    path,
                    reason: format!("does not parse: {error}"),
                }),
            }
        }
        sources
    }
}

struct Loader<'a> {
    crate_root: &'a Path,
    seen: BTreeSet<PathBuf>,
    sources: Sources,
}

impl Loader<'_> {
    /// Reads `path` as module `module`; `owns_dir` says whether its child
    /// modules live beside it (`lib.rs`, `main.rs`, `mod.rs`).
    fn file(&mut self, path: &Path, module: Vec<String>, owns_dir: bool) {
        if !self.seen.insert(path.to_path_buf()) {
            return;
        }
        let Ok(text) = std::fs::read_to_string(self.crate_root.join(path)) else {
            return;
        };
        if is_generated(&text) {
            self.skip(path, "generated (marked `@generated`)".to_owned());
            return;
        }
        let ast = match syn::parse_file(&text) {
            Ok(ast) => ast,
            Err(error) => {
                let start = error.span().start();
                self.skip(path, format!("does not parse (line {}): {error}", start.line));
                return;
            }
        };
        let dir = match (owns_dir, path.parent(), path.file_stem()) {
            (true, Some(parent), _) => parent.to_path_buf(),
            (false, Some(parent), Some(stem)) => parent.join(stem),
            _ => PathBuf::new(),
        };
        let exists = |candidate: &Path| self.crate_root.join(candidate).exists();
        let children = child_modules(&ast.items, &dir, path.parent().unwrap_or(Path::new("")), &exists);
        self.sources.files.push(SourceFile {
            path: path.to_path_buf(),
            module: module.clone(),
            text,
            ast,
        });
        for child in children {
            let mut child_module = module.clone();
            child_module.extend(child.module);
            self.file(&child.path, child_module, child.owns_dir);
        }
    }

    fn skip(&mut self, path: &Path, reason: String) {
        self.sources.skipped.push(SkippedFile {
            path: path.to_path_buf(),
            reason,
        });
    }
}

struct ChildModule {
    path: PathBuf,
    module: Vec<String>,
    owns_dir: bool,
}

/// The files declared by `mod name;` in `items`, inline modules included.
fn child_modules(items: &[syn::Item], dir: &Path, file_dir: &Path, exists: &dyn Fn(&Path) -> bool) -> Vec<ChildModule> {
    let mut found = Vec::new();
    collect_modules(items, dir, file_dir, exists, &mut Vec::new(), &mut found);
    found
}

fn collect_modules(
    items: &[syn::Item],
    dir: &Path,
    file_dir: &Path,
    exists: &dyn Fn(&Path) -> bool,
    inline: &mut Vec<String>,
    found: &mut Vec<ChildModule>,
) {
    for item in items {
        let syn::Item::Mod(module) = item else { continue };
        if is_cfg_test(&module.attrs) {
            continue;
        }
        let name = module.ident.to_string();
        if let Some((_, content)) = &module.content {
            inline.push(name.clone());
            collect_modules(content, &dir.join(&name), file_dir, exists, inline, found);
            inline.pop();
            continue;
        }
        let mut module_path = inline.clone();
        module_path.push(name.clone());
        if let Some(explicit) = path_attribute(&module.attrs) {
            found.push(ChildModule {
                path: file_dir.join(explicit),
                module: module_path,
                owns_dir: true,
            });
            continue;
        }
        let flat = dir.join(format!("{name}.rs"));
        let nested = dir.join(&name).join("mod.rs");
        let (path, owns_dir) = if exists(&nested) && !exists(&flat) {
            (nested, true)
        } else {
            (flat, false)
        };
        found.push(ChildModule {
            path,
            module: module_path,
            owns_dir,
        });
    }
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        let syn::Meta::NameValue(pair) = &attr.meta else {
            return None;
        };
        if !pair.path.is_ident("path") {
            return None;
        }
        match &pair.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) => Some(text.value()),
            _ => None,
        }
    })
}

/// Generated files say so in their first lines (`// @generated`).
fn is_generated(text: &str) -> bool {
    text.lines().take(5).any(|line| line.contains("@generated"))
}
