//! Scratch copies of `generated-sdk`: its hand-written root with products generated from any
//! specs (the torture set, a synthetic catalogue), on the real `sdk-runtime`, laid out under
//! `target/scratch/` as a workspace of their own, to be built and measured without touching
//! the real crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::SpecFile;

/// The `cargo` that runs this program (`CARGO` is set by cargo for its children).
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Lays out a scratch copy of `generated-sdk` under `target/scratch/<name>`: the hand-written
/// runtime, and the products generated from `files` (spec files, as `xtask` reads them) in
/// place of the real ones. Returns the scratch workspace's root; build it with
/// `cargo clippy --manifest-path <root>/Cargo.toml`.
pub fn scratch_sdk(root: &Path, name: &str, files: &[SpecFile]) -> Result<PathBuf, String> {
    scratch_sdk_with_output(root, name, files).map(|(dir, _)| dir)
}

/// As [`scratch_sdk`], also returning the generated files (path under `src/`, text).
pub fn scratch_sdk_with_output(
    root: &Path,
    name: &str,
    files: &[SpecFile],
) -> Result<(PathBuf, BTreeMap<String, String>), String> {
    let catalog = codegen::Catalog::load("specs", files).map_err(|e| e.to_string())?;
    let generated = codegen::generate(&catalog).map_err(|e| e.to_string())?;
    let dir = root.join("target").join("scratch").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write_workspace(root, &dir, &["generated-sdk"])?;
    write_sdk_crate(
        root,
        &dir.join("generated-sdk"),
        "generated-sdk",
        &catalog,
        &generated,
    )?;
    Ok((dir, generated))
}

fn io(what: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", what.display())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| io(path, e))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| io(path, e))
}

/// A workspace at `dir` with `members`, on the project's manifest (its dependency versions,
/// lints and profiles), lock file and clippy settings; the runtime is the real one, by path.
pub fn write_workspace(root: &Path, dir: &Path, members: &[&str]) -> Result<(), String> {
    let manifest = read(&root.join("Cargo.toml"))?;
    let line = manifest
        .lines()
        .find(|l| l.starts_with("members = "))
        .ok_or("Cargo.toml has no `members = ` line")?;
    let quoted: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let runtime = root.join("sdk-runtime");
    let manifest = manifest
        .replace(line, &format!("members = [{}]", quoted.join(", ")))
        .replace(
            "sdk-runtime = { path = \"sdk-runtime\"",
            &format!(
                "sdk-runtime = {{ path = {:?}",
                runtime.display().to_string()
            ),
        );
    write(&dir.join("Cargo.toml"), &manifest)?;
    for file in ["Cargo.lock", "clippy.toml"] {
        write(&dir.join(file), &read(&root.join(file))?)?;
    }
    Ok(())
}

/// A copy of `generated-sdk` at `dir`, named `package`, holding the products of `catalog`
/// (generated as `generated`, paths under `src/`) in place of the real ones: its manifest with
/// those products as features, its hand-written root and mock module.
pub fn write_sdk_crate(
    root: &Path,
    dir: &Path,
    package: &str,
    catalog: &codegen::Catalog,
    generated: &BTreeMap<String, String>,
) -> Result<(), String> {
    let modules = crate::product_modules(catalog);

    // Its manifest with the scratch products as features, renamed, without the examples.
    let sdk_manifest = read(&root.join(crate::SDK_MANIFEST))?;
    let mut out = String::new();
    let mut in_examples = false;
    for line in sdk_manifest.lines() {
        if line.starts_with("[[example]]") {
            in_examples = true;
        } else if line.starts_with('[') {
            in_examples = false;
        }
        if in_examples {
            continue;
        }
        if line.starts_with("name = \"generated-sdk\"") {
            out.push_str(&format!("name = {package:?}\n"));
        } else if line.starts_with("name = \"generated_sdk\"") {
            out.push_str(&format!("name = {:?}\n", package.replace('-', "_")));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    let out = crate::with_products(&out, &crate::manifest_products(&modules))?;
    write(&dir.join("Cargo.toml"), &out)?;

    // The hand-written root with the scratch products, and the mock's module.
    let lib = read(&root.join(crate::SDK_ROOT))?;
    let lib = crate::with_products(&lib, &crate::root_products(&modules))?;
    write(&dir.join("src/lib.rs"), &lib)?;
    write(
        &dir.join("src/mock.rs"),
        &read(&root.join("generated-sdk/src/mock.rs"))?,
    )?;
    for (path, text) in generated {
        write(&dir.join("src").join(path), text)?;
    }
    Ok(())
}

/// Runs `cargo clippy --all-targets --all-features -- -D warnings` on a scratch workspace,
/// with its own target folder under `target/scratch`; the error holds clippy's output.
pub fn clippy_scratch(root: &Path, dir: &Path) -> Result<(), String> {
    let target = root.join("target").join("scratch").join("target");
    let output = std::process::Command::new(cargo())
        .args([
            "clippy",
            "--quiet",
            "--all-targets",
            "--all-features",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
