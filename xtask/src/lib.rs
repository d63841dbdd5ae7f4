//! The workspace's file-system side: reading specs, writing generated files, checking that
//! committed output is fresh. `codegen` stays pure; everything here is I/O around it.

#![warn(clippy::unwrap_used)]

pub mod diff;
pub mod import;
pub mod meta;
pub mod paging;
pub mod scratch;
pub mod synth;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Catalog, Diagnostics, SpecFile};

/// Errors of the xtask commands.
#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    /// A file or folder could not be read or written.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done (`reading`, `writing`, ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The specs have problems; nothing was written.
    #[error("{count} problem(s) in the specs; nothing was written:\n{list}", count = .0.len(), list = .0)]
    Specs(Diagnostics),
    /// The generator failed (a generator bug, never a spec problem).
    #[error(transparent)]
    Generate(#[from] codegen::GenerateError),
    /// `--check` found generated files that differ from what the specs generate.
    #[error("{count} generated file(s) are stale; run `cargo xtask codegen`:\n{report}")]
    Stale {
        /// How many files differ.
        count: usize,
        /// Which, and how.
        report: String,
    },
    /// A command this tool ran failed.
    #[error("{0}")]
    Command(String),
}

impl XtaskError {
    /// An I/O error while `action` on `path`.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> XtaskError + 'a {
    move |source| XtaskError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// The workspace root (the folder holding `specs/`).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| manifest_dir.to_owned())
}

/// The JSON Schema file kept beside the specs.
pub const SCHEMA_FILE: &str = "spec.schema.json";

/// Reads every `*.json` spec under `dir` (recursively; the schema file excepted), naming each
/// by its path relative to `base` with `/` separators, in a stable order.
pub fn read_specs(base: &Path, dir: &Path) -> Result<Vec<SpecFile>, XtaskError> {
    let mut files = Vec::new();
    collect(base, dir, dir, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn collect(
    base: &Path,
    root: &Path,
    dir: &Path,
    files: &mut Vec<SpecFile>,
) -> Result<(), XtaskError> {
    let entries = fs::read_dir(dir).map_err(io("reading folder", dir))?;
    for entry in entries {
        let entry = entry.map_err(io("reading folder", dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io("reading", &path))?;
        if kind.is_dir() {
            collect(base, root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") && path != root.join(SCHEMA_FILE) {
            let contents = fs::read(&path).map_err(io("reading", &path))?;
            files.push(SpecFile::new(display_path(base, &path), contents));
        }
    }
    Ok(())
}

/// `path` relative to `base`, with `/` separators (the name problems are reported under).
pub fn display_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Loads and validates the specs folder `dir`.
pub fn load_specs(base: &Path, dir: &Path) -> Result<Catalog, XtaskError> {
    let files = read_specs(base, dir)?;
    Catalog::load(&display_path(base, dir), &files).map_err(XtaskError::Specs)
}

/// The specs of a git revision (`HEAD`, `main~3`, a commit): every `specs/**/*.json` of that
/// revision, read with `git show`, without touching the working tree.
pub fn specs_at_revision(root: &Path, revision: &str) -> Result<Catalog, XtaskError> {
    let git = |args: &[&str]| -> Result<Vec<u8>, XtaskError> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| XtaskError::io("running git in", root, e))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(XtaskError::Command(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    };
    let listing = git(&["ls-tree", "-r", "--name-only", revision, "--", "specs/"])?;
    let mut files = Vec::new();
    for path in String::from_utf8_lossy(&listing).lines() {
        let is_spec = path.ends_with(".json") && !path.ends_with("spec.schema.json");
        if is_spec {
            let contents = git(&["show", &format!("{revision}:{path}")])?;
            files.push(SpecFile::new(format!("{revision}:{path}"), contents));
        }
    }
    Catalog::load(&format!("{revision}:specs"), &files).map_err(XtaskError::Specs)
}

/// Where generated SDK sources go, relative to the workspace root.
pub const SDK_SRC: &str = "generated-sdk/src";

/// The first line of every generated file: how stale generated files are recognised.
pub const GENERATED_MARKER: &str = "// @generated";

/// Everything `cargo xtask codegen` owns, as paths relative to the workspace root: the
/// generated files, the schema, and the product lists of `generated-sdk`'s manifest and root
/// (the lines between the `@generated products` markers of the files under `root`).
pub fn outputs(root: &Path, catalog: &Catalog) -> Result<BTreeMap<String, String>, XtaskError> {
    let mut files: BTreeMap<String, String> = codegen::generate(catalog)?
        .into_iter()
        .map(|(path, text)| (format!("{SDK_SRC}/{path}"), text))
        .collect();
    files.insert(format!("specs/{SCHEMA_FILE}"), codegen::spec_json_schema());
    let modules = product_modules(catalog);
    for (rel, text) in [
        (SDK_MANIFEST, manifest_products(&modules)),
        (SDK_ROOT, root_products(&modules)),
    ] {
        let path = root.join(rel);
        // A root without the SDK crate (a specs folder alone) owns no product lists.
        let current = match fs::read_to_string(&path) {
            Ok(current) => current,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io("reading", &path)(e)),
        };
        let updated = with_products(&current, &text)
            .map_err(|e| XtaskError::Command(format!("{rel}: {e}")))?;
        files.insert(rel.to_owned(), updated);
    }
    Ok(files)
}

/// `generated-sdk`'s manifest, relative to the workspace root.
pub const SDK_MANIFEST: &str = "generated-sdk/Cargo.toml";
/// `generated-sdk`'s root module, relative to the workspace root.
pub const SDK_ROOT: &str = "generated-sdk/src/lib.rs";

/// The product modules of a catalog, sorted, each once.
pub fn product_modules(catalog: &Catalog) -> Vec<String> {
    let mut modules: Vec<String> = catalog
        .specs()
        .iter()
        .map(|s| s.spec.product.module.clone())
        .collect();
    modules.sort_unstable();
    modules.dedup();
    modules
}

/// The manifest's product features: all on by default, one per product.
pub fn manifest_products(modules: &[String]) -> String {
    let quoted: Vec<String> = modules.iter().map(|m| format!("{m:?}")).collect();
    let mut out = format!("default = [\"client\", {}]\n", quoted.join(", "));
    for m in modules {
        out.push_str(&format!("{m} = []\n"));
    }
    out
}

/// The root's product modules, each behind its feature.
pub fn root_products(modules: &[String]) -> String {
    let mut out = String::new();
    for m in modules {
        out.push_str(&format!(
            "#[cfg(feature = \"{m}\")]\n#[rustfmt::skip] // generated by prettyplease; rustfmt must not restyle it\npub mod {m};\n"
        ));
    }
    out
}

/// `text` with the lines between its `@generated products begin` and `... end` marker lines
/// replaced by `body`.
pub fn with_products(text: &str, body: &str) -> Result<String, String> {
    let begin = text
        .find("@generated products begin")
        .and_then(|i| text[i..].find('\n').map(|n| i + n + 1))
        .ok_or("no `@generated products begin` marker line")?;
    let end = text[begin..]
        .find("@generated products end")
        .map(|i| begin + i)
        .ok_or("no `@generated products end` marker line")?;
    // Back to the start of the end marker's line (its comment leader).
    let end = text[..end]
        .rfind('\n')
        .map_or(begin, |n| (n + 1).max(begin));
    Ok(format!("{}{body}{}", &text[..begin], &text[end..]))
}

/// Generated files under `root/generated-sdk/src` that `expected` does not hold (a product or
/// operation whose spec was removed), relative to `root`.
pub fn extra_files(
    root: &Path,
    expected: &BTreeMap<String, String>,
) -> Result<Vec<String>, XtaskError> {
    let mut extra = Vec::new();
    let dir = root.join(SDK_SRC);
    if dir.is_dir() {
        find_generated(root, &dir, &mut extra)?;
    }
    extra.retain(|path| !expected.contains_key(path));
    extra.sort();
    Ok(extra)
}

fn find_generated(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), XtaskError> {
    for entry in fs::read_dir(dir).map_err(io("reading folder", dir))? {
        let path = entry.map_err(io("reading folder", dir))?.path();
        if path.is_dir() {
            find_generated(root, &path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).map_err(io("reading", &path))?;
            if text.starts_with(GENERATED_MARKER) {
                found.push(display_path(root, &path));
            }
        }
    }
    Ok(())
}

/// What differs between the expected files and those on disk under `root`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files that do not exist yet.
    pub missing: Vec<String>,
    /// Files whose content differs: path and a unified diff (on disk -> expected).
    pub changed: Vec<(String, String)>,
    /// Generated files the specs no longer produce.
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether everything is fresh.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.extra.is_empty()
    }

    /// How many files differ.
    pub fn len(&self) -> usize {
        self.missing.len() + self.changed.len() + self.extra.len()
    }

    /// A report naming every stale file, with the diff of the first changed one.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for path in &self.missing {
            out.push_str(&format!("  missing: {path}\n"));
        }
        for (path, _) in &self.changed {
            out.push_str(&format!("  changed: {path}\n"));
        }
        for path in &self.extra {
            out.push_str(&format!("  no longer generated: {path}\n"));
        }
        if let Some((_, diff)) = self.changed.first() {
            out.push_str(diff);
        }
        out
    }
}

/// Compares the expected files with what is on disk, writing nothing.
pub fn drift(root: &Path, expected: &BTreeMap<String, String>) -> Result<Drift, XtaskError> {
    let mut drift = Drift::default();
    for (rel, want) in expected {
        let path = root.join(rel);
        match fs::read_to_string(&path) {
            Ok(have) if &have == want => {}
            Ok(have) => drift
                .changed
                .push((rel.clone(), unified_diff(rel, &have, want))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(rel.clone()),
            Err(e) => return Err(io("reading", &path)(e)),
        }
    }
    drift.extra = extra_files(root, expected)?;
    Ok(drift)
}

/// A unified diff from `old` (on disk) to `new` (expected), with a little context.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string()
}

/// What [`write()`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or rewritten.
    pub written: Vec<String>,
    /// Files left alone because their content was already right.
    pub unchanged: Vec<String>,
    /// Generated files removed because the specs no longer produce them.
    pub removed: Vec<String>,
}

/// Writes the files whose content changed (each through a temporary file and a rename, so a
/// file is never left half-written) and removes generated files the specs no longer produce.
pub fn write(root: &Path, expected: &BTreeMap<String, String>) -> Result<Written, XtaskError> {
    let mut done = Written::default();
    // First every changed file goes to a temporary file beside its target; only when all of
    // them are written are they renamed into place, so a failed write changes nothing.
    let mut staged = Vec::new();
    for (rel, want) in expected {
        let path = root.join(rel);
        if fs::read_to_string(&path).is_ok_and(|have| &have == want) {
            done.unchanged.push(rel.clone());
            continue;
        }
        let mut tmp = path.clone().into_os_string();
        tmp.push(".codegen-tmp");
        let tmp = PathBuf::from(tmp);
        let staged_ok = path
            .parent()
            .map_or(Ok(()), |parent| {
                fs::create_dir_all(parent).map_err(io("creating folder", parent))
            })
            .and_then(|()| fs::write(&tmp, want).map_err(io("writing", &tmp)));
        if let Err(e) = staged_ok {
            for (_, written) in &staged {
                let _ = fs::remove_file(written);
            }
            return Err(e);
        }
        staged.push((rel.clone(), tmp));
    }
    for (rel, tmp) in staged {
        let path = root.join(&rel);
        fs::rename(&tmp, &path).map_err(io("renaming into place", &path))?;
        done.written.push(rel);
    }
    for rel in extra_files(root, expected)? {
        let path = root.join(&rel);
        fs::remove_file(&path).map_err(io("removing", &path))?;
        if let Some(parent) = path.parent() {
            // Removes the folder only if the removal left it empty.
            let _ = fs::remove_dir(parent);
        }
        done.removed.push(rel);
    }
    Ok(done)
}
