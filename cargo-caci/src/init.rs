//! `cargo caci init`, start to end: find, edit, configure, measure, report.

use std::fmt::Write;
use std::path::PathBuf;

use caci_core::TelemetryCaptureConfiguration;

use crate::config;
use crate::coverage::{self, Coverage};
use crate::diff;
use crate::discover::components::{self, Candidate, Decision};
use crate::discover::index::Index;
use crate::discover::types::{self, FieldAction};
use crate::edit;
use crate::manifest::{self, Added, Source};
use crate::patterns::Patterns;
use crate::project;
use crate::source::Sources;
use crate::syntax::has_attr;

/// What `init` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Where it runs (the crate's root, or a workspace's with `package`).
    pub dir: PathBuf,
    /// `--manifest-path`.
    pub manifest_path: Option<PathBuf>,
    /// `--package`.
    pub package: Option<String>,
    /// `--dry-run`: print the diff, change nothing.
    pub dry_run: bool,
    /// `--include` / `--exclude` (the `[init]` table of `caci.toml` adds to them).
    pub patterns: Patterns,
    /// `--caci-path`: a CACI checkout to depend on by path.
    pub caci_path: Option<PathBuf>,
    /// `--caci-git`: a git address to depend on.
    pub caci_git: Option<String>,
}

/// What `init` did, in numbers, and what it printed.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Impl blocks given `#[caci_core::component]`.
    pub components_wrapped: usize,
    /// Impl blocks that already had it.
    pub components_already: usize,
    /// Types given `Telemetry`.
    pub types_derived: usize,
    /// Types that derived it already.
    pub types_already: usize,
    /// Fields marked `#[telemetry(sensitive)]`.
    pub fields_sensitive: usize,
    /// Fields marked `#[telemetry(skip)]`.
    pub fields_skipped: usize,
    /// Fields marked `#[telemetry(display)]`.
    pub fields_display: usize,
    /// Constructors in wrapped blocks marked `#[caci(skip)]`.
    pub constructors_skipped: usize,
    /// Active entries of the configuration written (or of the additions).
    pub config_entries: usize,
    /// Entries left commented out for review.
    pub config_review: usize,
    /// The static coverage of the configuration in force afterwards.
    pub coverage: Coverage,
    /// Files changed (or, with `--dry-run`, that would be), relative to the crate.
    pub changed: Vec<PathBuf>,
    /// Files that were skipped (do not parse, generated), with why.
    pub skipped_files: Vec<String>,
    /// Item macros whose types the components use, left alone.
    pub macro_types: Vec<String>,
    /// Blocks listed for a decision (they use `#[tracing::instrument]`).
    pub for_decision: Vec<String>,
    /// The text printed.
    pub output: String,
}

/// What `init` finds and edits in `sources`, without cargo or the file
/// system: the candidates, the domain, and each file's new text (`None`
/// when it is unchanged).
pub fn instrument(
    sources: &Sources,
    patterns: &Patterns,
) -> (Index, Vec<Candidate>, types::Domain, Vec<Option<String>>) {
    let index = Index::build(sources);
    let candidates = components::rank(&index, patterns);
    let domain = types::discover(&index, &candidates);
    let edits = edit::plan(sources, &index, &candidates, &domain);
    let texts = sources
        .files
        .iter()
        .enumerate()
        .map(|(file, source)| {
            let new = edit::apply(&source.text, edits.get(&file).map_or(&[], Vec::as_slice));
            (new != source.text).then_some(new)
        })
        .collect();
    (index, candidates, domain, texts)
}

/// Runs `init`.
pub fn run(options: &Options) -> Result<Report, String> {
    let project = project::find(
        &options.dir,
        options.manifest_path.as_deref(),
        options.package.as_deref(),
    )?;
    let sources = Sources::load(&project.dir, &project.roots);
    let caci_toml_path = project.dir.join("caci.toml");
    let existing_toml = std::fs::read_to_string(&caci_toml_path).ok();
    let file_patterns = match &existing_toml {
        Some(text) => Patterns::from_caci_toml(text).map_err(|error| format!("caci.toml: {error}"))?,
        None => Patterns::default(),
    };
    let patterns = options.patterns.clone().then(file_patterns);

    let (index, candidates, domain, texts) = instrument(&sources, &patterns);

    let mut report = Report::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "cargo caci init: {} ({} files read)",
        project.name,
        sources.files.len()
    );

    let mut writes: Vec<(PathBuf, Option<String>, String)> = Vec::new();
    for (source, new) in sources.files.iter().zip(texts) {
        if let Some(new) = new {
            writes.push((source.path.clone(), Some(source.text.clone()), new));
        }
    }

    let manifest_path = project.dir.join("Cargo.toml");
    let manifest_text = std::fs::read_to_string(&manifest_path).map_err(|error| format!("Cargo.toml: {error}"))?;
    let workspace_manifest = (project.workspace_root != project.dir)
        .then(|| std::fs::read_to_string(project.workspace_root.join("Cargo.toml")).ok())
        .flatten();
    let source = Source::pick_in(
        &project.dir,
        workspace_manifest.as_deref(),
        options.caci_path.as_deref(),
        options.caci_git.as_deref(),
    );
    let (new_manifest, added) = manifest::add_dependency(&manifest_text, &project.dir, &source)?;
    if new_manifest != manifest_text {
        writes.push((PathBuf::from("Cargo.toml"), Some(manifest_text), new_manifest));
    }

    // A file that does not load is still left alone: its problems are
    // printed, and the additions are those of an empty configuration.
    let existing = existing_toml
        .as_ref()
        .map(|_| TelemetryCaptureConfiguration::from_path(&caci_toml_path));
    let max_depth = match &existing {
        Some(Ok(config)) => config.limits().max_depth,
        _ => caci_core::Limits::default().max_depth,
    };
    let inputs = coverage::inputs(&index, &candidates, &domain, &project.crate_name, max_depth);
    let entries = config::entries(&inputs.leaves);
    let config_note = match existing {
        Some(loaded) => {
            let (existing, problem) = match loaded {
                Ok(existing) => (existing, String::new()),
                Err(error) => (TelemetryCaptureConfiguration::default(), format!("{error}\n")),
            };
            let additions = config::missing_from(&entries, &existing);
            report.coverage = coverage::measure(&existing, &inputs);
            report.config_entries = additions.iter().filter(|entry| !entry.review).count();
            report.config_review = additions.len() - report.config_entries;
            if additions.is_empty() {
                format!("{problem}caci.toml exists and has every entry init would write.")
            } else {
                let mut note =
                    format!("{problem}caci.toml exists, so it is left as it is. The entries init would add:\n\n");
                note.push_str(&config::lists(&additions));
                note
            }
        }
        None => {
            let chosen = config::configuration(&entries);
            report.coverage = coverage::measure(&chosen, &inputs);
            let text = config::render(&entries, Some(&report.coverage));
            TelemetryCaptureConfiguration::from_toml_str(&text)
                .map_err(|error| format!("internal error: the written caci.toml does not load: {error}"))?;
            writes.push((PathBuf::from("caci.toml"), None, text));
            report.config_entries = entries.iter().filter(|entry| !entry.review).count();
            report.config_review = entries.len() - report.config_entries;
            let kinds = entries
                .iter()
                .filter(|entry| !entry.review && entry.setting == "allowed_field_kinds")
                .count();
            format!(
                "caci.toml: {} ({}, {}); {} commented out for review (looks personal).",
                count(report.config_entries, "entry", "entries"),
                count(report.config_entries - kinds, "name", "names"),
                count(kinds, "kind", "kinds"),
                count(report.config_review, "name", "names"),
            )
        }
    };

    list_components(&mut out, &sources, &index, &candidates, &mut report);
    list_types(&mut out, &index, &domain, &mut report);
    for skipped in &sources.skipped {
        report
            .skipped_files
            .push(format!("{}: {}", skipped.path.display(), skipped.reason));
    }
    for (ident, name) in &domain.macro_types {
        report.macro_types.push(format!("`{ident}` (made by `{name}!`)"));
    }
    let generated: Vec<String> = index
        .macros
        .iter()
        .map(|item| {
            format!(
                "`{}!` at {}:{}",
                item.name,
                sources.files[item.file].path.display(),
                item.line
            )
        })
        .collect();
    if !report.skipped_files.is_empty() || !generated.is_empty() {
        out.push_str("\nLeft alone:\n");
        for line in &report.skipped_files {
            let _ = writeln!(out, "  {line}");
        }
        for line in &generated {
            let _ = writeln!(out, "  {line}: items made by a macro are not edited");
        }
        for line in &report.macro_types {
            let _ = writeln!(
                out,
                "  {line} is used by a component: derive `Telemetry` in the macro to capture it"
            );
        }
    }

    report.changed = writes.iter().map(|(path, _, _)| path.clone()).collect();
    if options.dry_run {
        out.push_str("\n--dry-run: nothing written. The changes:\n\n");
        for (path, old, new) in &writes {
            out.push_str(&diff::unified(&path.to_string_lossy(), old.as_deref(), new));
        }
    } else {
        for (path, _, new) in &writes {
            std::fs::write(project.dir.join(path), new).map_err(|error| format!("{}: {error}", path.display()))?;
        }
    }

    summary(&mut out, &report, &added, &config_note, options.dry_run);
    report.output = out;
    Ok(report)
}

fn list_components(out: &mut String, sources: &Sources, index: &Index, candidates: &[Candidate], report: &mut Report) {
    out.push_str("\nComponents, ranked:\n");
    let width = candidates
        .iter()
        .map(|candidate| candidate.label.len())
        .max()
        .unwrap_or(0);
    for candidate in candidates {
        let block = &index.impls[candidate.block];
        let source = &sources.files[block.file];
        let line = block.item.impl_token.span.start().line;
        if candidate.decision.adds_attribute() {
            report.constructors_skipped += block
                .item
                .items
                .iter()
                .filter(|item| {
                    matches!(item, syn::ImplItem::Fn(method)
                        if types::is_constructor(method, &candidate.type_name) && !has_attr(&method.attrs, "caci"))
                })
                .count();
        }
        let (mark, note) = match &candidate.decision {
            Decision::Wrap => {
                report.components_wrapped += 1;
                ("wrap   ", String::new())
            }
            Decision::Included(pattern) => {
                report.components_wrapped += 1;
                ("wrap   ", format!("; included by `{pattern}`"))
            }
            Decision::Already => {
                report.components_already += 1;
                ("already", String::new())
            }
            Decision::Below => ("skip   ", "; below the threshold (--include to wrap)".to_owned()),
            Decision::Excluded(pattern) => ("skip   ", format!("; excluded by `{pattern}`")),
            Decision::UsesInstrument(methods) => {
                report.for_decision.push(candidate.label.clone());
                (
                    "decide ",
                    format!(
                        "; uses #[tracing::instrument] on {}: not wrapped (a method would get two spans); \
                         remove it and add #[caci_core::component] by hand",
                        methods.join(", ")
                    ),
                )
            }
        };
        let _ = writeln!(
            out,
            "  {mark} {:width$}  score {:+}: {}{note}  ({}:{line})",
            candidate.label,
            candidate.score,
            if candidate.signals.is_empty() {
                "no signal".to_owned()
            } else {
                candidate.signals.join(", ")
            },
            source.path.display(),
        );
    }
}

fn list_types(out: &mut String, index: &Index, domain: &types::Domain, report: &mut Report) {
    out.push_str("\nDomain types (taken or returned by the components, and their fields' types):\n");
    for plan in domain.types.values() {
        let def = &index.defs[plan.def];
        let status = if plan.already {
            report.types_already += 1;
            "already derives Telemetry".to_owned()
        } else if let Some(why) = &plan.underivable {
            format!("not derived: {why}")
        } else {
            report.types_derived += 1;
            "derive Telemetry".to_owned()
        };
        let mut marks = Vec::new();
        if !plan.already && plan.underivable.is_none() {
            for field in &plan.fields {
                match &field.action {
                    FieldAction::Sensitive(word) => {
                        report.fields_sensitive += 1;
                        marks.push(format!("{} sensitive (`{word}`)", field.name));
                    }
                    FieldAction::Skip(why) => {
                        report.fields_skipped += 1;
                        marks.push(format!("{} skip ({why})", field.name));
                    }
                    FieldAction::Display(ty) => {
                        report.fields_display += 1;
                        marks.push(format!("{} display (`{ty}`)", field.name));
                    }
                    FieldAction::Keep | FieldAction::Existing(_) => {}
                }
            }
        }
        let path = if def.module.is_empty() {
            def.name.clone()
        } else {
            format!("{}::{}", def.module.join("::"), def.name)
        };
        let _ = writeln!(out, "  {path}: {status}");
        for mark in marks {
            let _ = writeln!(out, "      {mark}");
        }
    }
}

fn summary(out: &mut String, report: &Report, added: &Added, config_note: &str, dry_run: bool) {
    let verb = if dry_run { "Would do" } else { "Done" };
    let _ = writeln!(
        out,
        "\n{verb}: {} wrapped as components ({} already; {} #[caci(skip)]), {} Telemetry ({} already), \
         fields: {} sensitive, {} skipped, {} display.",
        count(report.components_wrapped, "impl block", "impl blocks"),
        report.components_already,
        count(report.constructors_skipped, "constructor", "constructors"),
        count(report.types_derived, "type derives", "types derive"),
        report.types_already,
        report.fields_sensitive,
        report.fields_skipped,
        report.fields_display
    );
    match added {
        Added::Present => out.push_str("Cargo.toml: caci-core is a dependency already.\n"),
        Added::Line(line) => {
            let _ = writeln!(out, "Cargo.toml: added `{line}`.");
            if line.ends_with("\"0.1\"") {
                out.push_str(
                    "  (caci-core is not on crates.io yet: rerun with --caci-path <checkout> or --caci-git <url>)\n",
                );
            }
        }
    }
    let _ = writeln!(out, "{config_note}");
    let coverage = &report.coverage;
    let _ = writeln!(
        out,
        "Coverage (static, by caci-core's decision rule): {} of {} inputs captured ({}) in {} components, \
         {} methods; reachable maximum: {} ({}); captured of the reachable: {}.",
        coverage.captured,
        coverage.leaves,
        coverage.percent_text(),
        coverage.components,
        coverage.methods,
        coverage.reachable,
        coverage.reachable_text(),
        caci_core::coverage::format_percent(coverage.captured, coverage.reachable)
    );
    out.push_str(
        "\nSee the real report: enable caci-core's `coverage` feature in a binary or test that links the\n\
         components, install the configuration and hand it the arguments:\n\
         \x20   caci_core::install(caci_core::TelemetryCaptureConfiguration::from_path(\"caci.toml\")?);\n\
         \x20   caci_core::coverage::cli::run(std::env::args().skip(1))\n\
         then `cargo run -- coverage` (add `--emit-config suggested.toml` for ranked additions).\n",
    );
}

/// `1 entry`, `2 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
