//! Scratch copies of `generated-sdk`: its hand-written root with products generated from any
//! specs (the torture set, a synthetic catalogue), on the real `sdk-runtime`, laid out under
//! `target/scratch/` as a workspace of their own, to be built and measured without touching
//! the real crate.

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
) -> Result<(PathBuf, std::collections::BTreeMap<String, String>), String> {
    let catalog = codegen::Catalog::load("specs", files).map_err(|e| e.to_string())?;
    let generated = codegen::generate(&catalog).map_err(|e| e.to_string())?;
    let mut modules: Vec<&str> = catalog
        .specs()
        .iter()
        .map(|s| s.spec.product.module.as_str())
        .collect();
    modules.sort_unstable();
    modules.dedup();

    let dir = root.join("target").join("scratch").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let sdk = dir.join("generated-sdk");
    let io = |what: &Path, e: std::io::Error| format!("{}: {e}", what.display());
    let write = |path: &Path, text: &str| -> Result<(), String> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| io(path, e))
    };
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| io(path, e));

    // The workspace manifest with generated-sdk as its only member; the lock file keeps the
    // dependency versions the project builds with.
    // The runtime is the real one, by path.
    let manifest = read(&root.join("Cargo.toml"))?;
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members = "))
        .ok_or("Cargo.toml has no `members = ` line")?;
    let runtime = root.join("sdk-runtime");
    let manifest = manifest
        .replace(members, "members = [\"generated-sdk\"]")
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

    // Its manifest with the scratch products as features.
    let real_specs = crate::load_specs(root, &root.join("specs")).map_err(|e| e.to_string())?;
    let real: Vec<String> = real_specs
        .specs()
        .iter()
        .map(|s| format!("{} = []", s.spec.product.module))
        .collect();
    let sdk_manifest = read(&root.join("generated-sdk/Cargo.toml"))?;
    let mut out = String::new();
    let mut in_examples = false;
    for line in sdk_manifest.lines() {
        if line.starts_with("[[example]]") {
            in_examples = true;
        } else if line.starts_with('[') {
            in_examples = false;
        }
        if in_examples || real.iter().any(|r| r == line) {
            continue;
        }
        if line.starts_with("default = [") {
            let quoted: Vec<String> = modules.iter().map(|m| format!("\"{m}\"")).collect();
            out.push_str(&format!("default = [\"client\", {}]\n", quoted.join(", ")));
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("# One feature per product module") {
            for m in &modules {
                out.push_str(&format!("{m} = []\n"));
            }
        }
    }
    write(&sdk.join("Cargo.toml"), &out)?;

    // The hand-written crate: lib.rs up to its product modules, and the mock's module.
    let lib = read(&root.join("generated-sdk/src/lib.rs"))?;
    let marker = "// Product modules are generated";
    let head = &lib[..lib
        .find(marker)
        .ok_or("lib.rs has no product-module marker")?];
    let mut lib_out = head.to_owned();
    for m in &modules {
        lib_out.push_str(&format!(
            "#[cfg(feature = \"{m}\")]\n#[rustfmt::skip]\npub mod {m};\n"
        ));
    }
    write(&sdk.join("src/lib.rs"), &lib_out)?;
    write(
        &sdk.join("src/mock.rs"),
        &read(&root.join("generated-sdk/src/mock.rs"))?,
    )?;
    for (path, text) in &generated {
        write(&sdk.join("src").join(path), text)?;
    }
    Ok((dir, generated))
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
