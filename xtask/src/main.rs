//! `cargo xtask <command>`: the workspace's automation.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool reports on standard output"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::{XtaskError, workspace_root};

// Code generation allocates many small token trees; mimalloc makes `codegen` about 30%
// faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--root DIR]
       cargo xtask synth --ops N --out DIR
       cargo xtask bench-compile [--ops N[,N...]]
       cargo xtask diff [OLD] [NEW] [--format text|markdown]
       cargo xtask import PAGE.txt [--spec specs/<module>/<Operation>.json]

  codegen          load and validate specs/, then write every generated file that changed
  codegen --check  write nothing; exit 1 listing every stale or missing file
  --root DIR       work in DIR (holding specs/) instead of this workspace
  synth            write a deterministic synthetic catalogue of N operation specs to DIR
  bench-compile    build synthetic catalogues (default 10,100,1000 operations) in scratch
                   crates and report check/build times and generated size per operation,
                   then the build time of generated-sdk with one product vs all
  import           read an API reference page into a spec: printed, or, with --spec,
                   merged into that spec (what the page cannot state is kept) and written
                   back; what cannot be read or placed is reported with its page line;
                   exit 2 when nothing usable is found
  diff             the API changes between two spec trees (a folder or a git revision
                   each; default HEAD against the working tree's specs/), classified as
                   breaking, additive or documentation-only, with the semver bump they imply";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut root = workspace_root();
    if let Some(i) = args.iter().position(|a| *a == "--root") {
        match args.get(i + 1) {
            Some(dir) => root = PathBuf::from(dir),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
        args.drain(i..=i + 1);
    }
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["synth", "--ops", n, "--out", out] | ["synth", "--out", out, "--ops", n] => {
            match n.parse() {
                Ok(n) => synth(n, Path::new(out)),
                Err(_) => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            }
        }
        ["diff", rest @ ..] => match diff_args(rest) {
            Some((old, new, markdown)) => diff(&root, old, new, markdown),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["import", page] => return import(Path::new(page), None),
        ["import", page, "--spec", spec] | ["import", "--spec", spec, page] => {
            return import(Path::new(page), Some(Path::new(spec)));
        }
        ["bench-compile"] => bench_compile(&root, &[10, 100, 1000]),
        ["bench-compile", "--ops", list] => {
            let sizes: Result<Vec<usize>, _> = list.split(',').map(str::parse).collect();
            match sizes {
                Ok(sizes) if !sizes.is_empty() => bench_compile(&root, &sizes),
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            }
        }
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(root: &Path, check: bool) -> Result<(), XtaskError> {
    let catalog = xtask::load_specs(root, &root.join("specs"))?;
    let expected = xtask::outputs(&catalog)?;
    if check {
        let drift = xtask::drift(root, &expected)?;
        if !drift.is_empty() {
            return Err(XtaskError::Stale {
                count: drift.len(),
                report: drift.report(),
            });
        }
        println!(
            "codegen --check: {} spec(s), {} generated file(s), all fresh",
            catalog.specs().len(),
            expected.len()
        );
        return Ok(());
    }
    let done = xtask::write(root, &expected)?;
    for path in &done.written {
        println!("wrote {path}");
    }
    for path in &done.removed {
        println!("removed {path} (no longer generated)");
    }
    // One line per product.
    let mut products: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for loaded in catalog.specs() {
        let entry = products
            .entry(&loaded.spec.product.module)
            .or_insert((0, &loaded.spec.product.code));
        entry.0 += 1;
    }
    for (module, (ops, code)) in &products {
        let prefix = format!("{}/{module}/", xtask::SDK_SRC);
        let count = |list: &[String]| list.iter().filter(|p| p.starts_with(&prefix)).count();
        println!(
            "{module} ({code}): {ops} operation(s); {} file(s) written, {} unchanged",
            count(&done.written),
            count(&done.unchanged)
        );
    }
    Ok(())
}

fn synth(n: usize, out: &Path) -> Result<(), XtaskError> {
    let files = xtask::synth::catalogue(n);
    for file in &files {
        // Paths are `specs/<module>/<Operation>.json`; the folder given replaces `specs/`.
        let rel = file.path.strip_prefix("specs/").unwrap_or(&file.path);
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| XtaskError::io("creating folder", parent, e))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| XtaskError::io("writing", &path, e))?;
    }
    println!("wrote {n} synthetic operation spec(s) to {}", out.display());
    Ok(())
}

/// Runs cargo with `args` in `target`; returns the wall time.
fn timed_cargo(args: &[&str], manifest: &Path, target: &Path) -> Result<f64, XtaskError> {
    let started = std::time::Instant::now();
    let status = std::process::Command::new(xtask::scratch::cargo())
        .args(args)
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| XtaskError::io("running", Path::new("cargo"), e))?;
    if !status.success() {
        return Err(XtaskError::Command(format!(
            "cargo {} --manifest-path {} failed",
            args.join(" "),
            manifest.display()
        )));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The command once untimed (so its dependencies, with this feature set, are built), then
/// `cargo clean -p generated-sdk` and the command timed: the crate cold, its dependencies warm.
fn crate_cold(args: &[&str], manifest: &Path, target: &Path) -> Result<f64, XtaskError> {
    timed_cargo(args, manifest, target)?;
    timed_cargo(&["clean", "-p", "generated-sdk"], manifest, target)?;
    timed_cargo(args, manifest, target)
}

fn bench_compile(root: &Path, sizes: &[usize]) -> Result<(), XtaskError> {
    let target = root.join("target").join("bench-compile");
    let scratch_error = |e: String| XtaskError::Command(e);
    println!(
        "generated-sdk, synthetic catalogues (dependencies prebuilt; the crate cold each time):"
    );
    println!(
        "| ops | files | lines | bytes | lines/op | bytes/op | cargo check (s) | cargo build (s) | build ms/op |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let (dir, generated) = xtask::scratch::scratch_sdk_with_output(
            root,
            &format!("synth-{n}"),
            &xtask::synth::catalogue(n),
        )
        .map_err(scratch_error)?;
        let manifest = dir.join("Cargo.toml");
        let check = crate_cold(&["check"], &manifest, &target)?;
        let build = crate_cold(&["build"], &manifest, &target)?;
        let lines: usize = generated.values().map(|t| t.lines().count()).sum();
        let bytes: usize = generated.values().map(String::len).sum();
        println!(
            "| {n} | {} | {lines} | {bytes} | {:.0} | {:.0} | {check:.1} | {build:.1} | {:.0} |",
            generated.len(),
            lines as f64 / n as f64,
            bytes as f64 / n as f64,
            build * 1000.0 / n as f64
        );
    }
    println!();
    println!("generated-sdk itself (the 4 real operations), by feature set:");
    println!("| features | cargo build (s) |");
    println!("|---|---:|");
    let manifest = root.join("Cargo.toml");
    let real_target = target.join("real");
    for (label, args) in [
        (
            "client + ice (one product)",
            &[
                "build",
                "-p",
                "generated-sdk",
                "--no-default-features",
                "--features",
                "client,ice",
            ][..],
        ),
        (
            "client + all four products (default)",
            &["build", "-p", "generated-sdk"][..],
        ),
        (
            "ice only, sans-IO (no client)",
            &[
                "build",
                "-p",
                "generated-sdk",
                "--no-default-features",
                "--features",
                "ice",
            ][..],
        ),
    ] {
        let secs = crate_cold(args, &manifest, &real_target)?;
        println!("| {label} | {secs:.2} |");
    }
    Ok(())
}

/// `[OLD] [NEW] [--format text|markdown]`.
fn diff_args<'a>(args: &[&'a str]) -> Option<(Option<&'a str>, Option<&'a str>, bool)> {
    let mut markdown = false;
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--format" => {
                markdown = match args.get(i + 1) {
                    Some(&"markdown") => true,
                    Some(&"text") => false,
                    _ => return None,
                };
                i += 2;
            }
            flag if flag.starts_with("--") => return None,
            value => {
                positional.push(value);
                i += 1;
            }
        }
    }
    match positional.as_slice() {
        [] => Some((None, None, markdown)),
        [old] => Some((Some(old), None, markdown)),
        [old, new] => Some((Some(old), Some(new), markdown)),
        _ => None,
    }
}

/// A spec tree: a folder holding `<module>/<Operation>.json`, or a git revision.
fn spec_tree(root: &Path, which: &str) -> Result<Vec<codegen::ir::OperationIr>, XtaskError> {
    let dir = Path::new(which);
    let catalog = if dir.is_dir() {
        xtask::load_specs(root, dir)?
    } else {
        xtask::specs_at_revision(root, which)?
    };
    Ok(catalog.specs().iter().map(|s| s.model.clone()).collect())
}

fn diff(
    root: &Path,
    old: Option<&str>,
    new: Option<&str>,
    markdown: bool,
) -> Result<(), XtaskError> {
    let old = spec_tree(root, old.unwrap_or("HEAD"))?;
    let new = match new {
        Some(new) => spec_tree(root, new)?,
        None => xtask::load_specs(root, &root.join("specs"))?
            .specs()
            .iter()
            .map(|s| s.model.clone())
            .collect(),
    };
    let changes = xtask::diff::diff(&old, &new);
    let manifest =
        std::fs::read_to_string(root.join("generated-sdk/Cargo.toml")).unwrap_or_default();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or("0.1.0");
    let text = if markdown {
        xtask::diff::render_markdown(&changes, version)
    } else {
        xtask::diff::render_text(&changes, version)
    };
    print!("{text}");
    Ok(())
}

fn import(page: &Path, spec: Option<&Path>) -> ExitCode {
    let fail = |e: XtaskError| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    };
    let text = match std::fs::read(page) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return fail(XtaskError::io("reading", page, e)),
    };
    let existing: Option<serde_json::Value> = match spec {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => match serde_json::from_str(&t) {
                Ok(v) => Some(v),
                Err(e) => {
                    return fail(XtaskError::Command(format!(
                        "{}: not JSON: {e}",
                        path.display()
                    )));
                }
            },
            Err(e) => return fail(XtaskError::io("reading", path, e)),
        },
        None => None,
    };
    let name = page
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = xtask::import::import(&text, &name, existing.as_ref());
    for f in &imported.findings {
        if f.line == 0 {
            eprintln!("{name}: {}", f.message);
        } else {
            eprintln!("{name}:{}: {}", f.line, f.message);
        }
    }
    if !imported.usable {
        eprintln!("{name}: nothing usable found (no operation title, no parameter table)");
        return ExitCode::from(2);
    }
    let mut json = serde_json::to_string_pretty(&imported.spec).unwrap_or_default();
    json.push('\n');
    match spec {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &json) {
                return fail(XtaskError::io("writing", path, e));
            }
            eprintln!("updated {}", path.display());
        }
        None => print!("{json}"),
    }
    ExitCode::SUCCESS
}
