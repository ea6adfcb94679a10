//! `cargo caci init`, start to end: find, edit, configure, measure, report.

use std::fmt::Write;
use std::path::PathBuf;

use caci_core::TelemetryCaptureConfiguration;

use crate::config;
use crate::coverage::{self, Coverage};
use crate::diff;
use crate::discover::components::{self, Candidate};
use crate::discover::index::Index;
use crate::discover::types;
use crate::edit;
use crate::manifest::{self, Source};
use crate::patterns::Patterns;
use crate::project;
use crate::source::Sources;
use crate::summary;

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
                summary::count(report.config_entries, "entry", "entries"),
                summary::count(report.config_entries - kinds, "name", "names"),
                summary::count(kinds, "kind", "kinds"),
                summary::count(report.config_review, "name", "names"),
            )
        }
    };

    summary::list_components(&mut out, &sources, &index, &candidates, &mut report);
    summary::list_types(&mut out, &index, &domain, &mut report);
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

    let found = candidates.iter().any(|candidate| candidate.decision.is_component());
    if !found {
        // Without a component, a dependency and a configuration would only be noise.
        writes.clear();
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

    if found {
        summary::summary(&mut out, &report, &added, &config_note, options.dry_run);
    } else {
        out.push_str(
            "\nNo component found (no impl block scores 1 or more): nothing changed. \
             Name impl blocks with --include.\n",
        );
    }
    report.output = out;
    Ok(report)
}
