//! `cargo xtask <command>`: the workspace's automation.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool reports on standard output"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use argh::FromArgs;
use xtask::{XtaskError, workspace_root};

// Code generation allocates many small token trees; mimalloc makes `codegen` about 30%
// faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The workspace's automation: generate the SDK from specs/, import reference pages, compare
/// API versions, and measure.
#[derive(FromArgs)]
struct Args {
    #[argh(subcommand)]
    command: Command,
}

#[derive(FromArgs)]
#[argh(subcommand)]
enum Command {
    Codegen(CodegenArgs),
    Import(ImportArgs),
    Diff(DiffArgs),
    Synth(SynthArgs),
    BenchCompile(BenchCompileArgs),
    ImportMeta(ImportMetaArgs),
    LintMeta(LintMetaArgs),
    Catalogue(CatalogueArgs),
}

/// Write specs from Alibaba's official API metadata (an ApiDocs file or folder, aliyun-cli's
/// metadata folder, or the folder holding both): a product, one operation, or everything. Over
/// an existing spec, what the metadata states is updated and the rest (page prose, examples,
/// meanings, rules, notes, Rust names, response, errors) kept. Refused operations are listed
/// with the reason.
#[derive(FromArgs)]
#[argh(subcommand, name = "import-meta")]
struct ImportMetaArgs {
    /// the metadata: a file or folder
    #[argh(option)]
    meta: PathBuf,
    /// a product code (any case) or module; every product when absent
    #[argh(option)]
    product: Option<String>,
    /// one operation of the product
    #[argh(option)]
    operation: Option<String>,
    /// one API version (default: the newest)
    #[argh(option)]
    version: Option<String>,
    /// every API version the metadata has
    #[argh(switch)]
    all_versions: bool,
    /// the specs folder to write into (default: specs/ of this workspace)
    #[argh(option)]
    out: Option<PathBuf>,
    /// the unpacked Darabonba sources of the official SDKs (`tea/<product>-<version>/main.tea`):
    /// typed responses, operation prose, request descriptions and examples
    #[argh(option)]
    darabonba: Option<PathBuf>,
}

/// Compare every spec with the official metadata of its operation (style, method, path,
/// authentication, parameters' names, locations, encodings, types, required flags, enum
/// values, nested fields, and each listed region's host); exits 1 when a disagreement is not
/// explained by a note of the spec about that part.
#[derive(FromArgs)]
#[argh(subcommand, name = "lint-meta")]
struct LintMetaArgs {
    /// the metadata: a file or folder
    #[argh(option)]
    meta: PathBuf,
    /// the specs folder (default: specs/ of this workspace)
    #[argh(option)]
    specs: Option<PathBuf>,
    /// the unpacked Darabonba sources: each spec's wire is also compared with the official
    /// SDKs' (location, encoding, type and fields of every parameter, method, path, body type)
    #[argh(option)]
    darabonba: Option<PathBuf>,
    /// with --darabonba: compare every operation of the metadata (newest versions) instead of
    /// the specs, print each disagreement and a count by kind; exits 0
    #[argh(switch)]
    catalogue: bool,
}

/// Generate every operation of the metadata (each product's newest version) into a scratch
/// workspace of one crate per product; report operations generated and refused by reason,
/// time and lines per operation; with --build, `cargo check` the workspace and time it.
#[derive(FromArgs)]
#[argh(subcommand, name = "catalogue")]
struct CatalogueArgs {
    /// the metadata: a file or folder
    #[argh(option)]
    meta: PathBuf,
    /// the folder to write the workspace to (nothing is written without it)
    #[argh(option)]
    out: Option<PathBuf>,
    /// run `cargo check` on the written workspace (needs --out)
    #[argh(switch)]
    build: bool,
    /// list every refused operation with its reason
    #[argh(switch)]
    list_refused: bool,
    /// only these products (codes or modules, comma-separated)
    #[argh(option)]
    products: Option<String>,
    /// the unpacked Darabonba sources of the official SDKs (`tea/<product>-<version>/main.tea`):
    /// typed responses, operation prose, request descriptions and examples
    #[argh(option)]
    darabonba: Option<PathBuf>,
}

/// Load and validate specs/, then write every generated file that changed and remove those no
/// spec produces any more.
#[derive(FromArgs)]
#[argh(subcommand, name = "codegen")]
struct CodegenArgs {
    /// write nothing; exit 1 listing every stale, missing or extra file with a diff
    #[argh(switch)]
    check: bool,
    /// work in this folder (holding specs/) instead of this workspace
    #[argh(option)]
    root: Option<PathBuf>,
}

/// Read an API reference page (copied as text) into a spec: printed, or merged into the spec
/// given (what a page cannot state is kept) and written back. What cannot be read or placed is
/// reported with its page line; exits 2 when the text holds nothing usable.
#[derive(FromArgs)]
#[argh(subcommand, name = "import")]
struct ImportArgs {
    /// the page, as text
    #[argh(positional)]
    page: PathBuf,
    /// the spec to merge into and rewrite (specs/<module>/<Operation>.json)
    #[argh(option)]
    spec: Option<PathBuf>,
    /// the official metadata (a file or folder, as for import-meta): names, locations, types,
    /// required flags and nesting come from it, and where the page disagrees is reported
    #[argh(option)]
    meta: Option<PathBuf>,
    /// the product code, where several products of the metadata have the page's operation
    #[argh(option)]
    product: Option<String>,
}

/// The API changes between two spec trees (a folder or a git revision each; default HEAD
/// against the working tree's specs/), classified as breaking, additive or documentation-only
/// for SDK users, with the version bump they imply.
#[derive(FromArgs)]
#[argh(subcommand, name = "diff")]
struct DiffArgs {
    /// the old tree, then the new one (default: HEAD, then the working tree's specs/)
    #[argh(positional)]
    trees: Vec<String>,
    /// text (default) or markdown
    #[argh(option, default = "Format::Text", from_str_fn(format))]
    format: Format,
    /// work in this folder (holding specs/) instead of this workspace
    #[argh(option)]
    root: Option<PathBuf>,
}

#[derive(Clone, Copy)]
enum Format {
    Text,
    Markdown,
}

fn format(value: &str) -> Result<Format, String> {
    match value {
        "text" => Ok(Format::Text),
        "markdown" => Ok(Format::Markdown),
        other => Err(format!("unknown format {other:?}: text or markdown")),
    }
}

/// Write a deterministic synthetic catalogue of operation specs to a folder.
#[derive(FromArgs)]
#[argh(subcommand, name = "synth")]
struct SynthArgs {
    /// how many operations
    #[argh(option)]
    ops: usize,
    /// the folder to write <module>/<Operation>.json files into
    #[argh(option)]
    out: PathBuf,
}

/// Build synthetic catalogues in scratch crates and report check and build times and generated
/// size per operation; check an aws-sdk-rust service crate the same way, as the peer; then the
/// build time of generated-sdk with one product and with all.
#[derive(FromArgs)]
#[argh(subcommand, name = "bench-compile")]
struct BenchCompileArgs {
    /// catalogue sizes, comma-separated (default 10,100,1000)
    #[argh(option, default = "Sizes(vec![10, 100, 1000])", from_str_fn(sizes))]
    ops: Sizes,
    /// time `cargo check` only (no `cargo build`)
    #[argh(switch)]
    check_only: bool,
    /// the aws-sdk-rust crates checked as peers, comma-separated (default aws-sdk-iam); `none`
    /// skips them
    #[argh(option, default = "String::from(\"aws-sdk-iam\")")]
    peer: String,
    /// work in this folder instead of this workspace
    #[argh(option)]
    root: Option<PathBuf>,
    /// real products instead of synthetic catalogues: the official metadata (with
    /// --darabonba for typed responses) and --product
    #[argh(option)]
    meta: Option<PathBuf>,
    /// with --meta: the unpacked Darabonba sources
    #[argh(option)]
    darabonba: Option<PathBuf>,
    /// with --meta: the products to check, each complete (codes or modules, comma-separated)
    #[argh(option)]
    product: Option<String>,
}

/// Catalogue sizes.
struct Sizes(Vec<usize>);

fn sizes(value: &str) -> Result<Sizes, String> {
    let sizes: Result<Vec<usize>, _> = value.split(',').map(str::parse).collect();
    match sizes {
        Ok(sizes) if !sizes.is_empty() => Ok(Sizes(sizes)),
        _ => Err(format!(
            "{value:?} is not a list of sizes such as 10,100,1000"
        )),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let args = match Args::from_args(&["cargo xtask"], &args) {
        Ok(args) => args,
        Err(early) => {
            // `--help` is an answer; anything else is a usage error.
            return if early.status.is_ok() {
                println!("{}", early.output);
                ExitCode::SUCCESS
            } else {
                eprintln!("{}", early.output.trim_end());
                eprintln!(
                    "(`cargo xtask --help` lists the commands, `cargo xtask <command> --help` explains one)"
                );
                ExitCode::from(2)
            };
        }
    };
    let root = |dir: Option<PathBuf>| dir.unwrap_or_else(workspace_root);
    let result = match args.command {
        Command::Codegen(a) => codegen(&root(a.root), a.check),
        Command::Synth(a) => synth(a.ops, &a.out),
        Command::Diff(a) => match a.trees.as_slice() {
            [] | [_] | [_, _] => diff(
                &root(a.root),
                a.trees.first().map(String::as_str),
                a.trees.get(1).map(String::as_str),
                matches!(a.format, Format::Markdown),
            ),
            _ => {
                eprintln!("cargo xtask diff takes at most two trees (old, new)");
                return ExitCode::from(2);
            }
        },
        Command::Import(a) => {
            return import(
                &a.page,
                a.spec.as_deref(),
                a.meta.as_deref(),
                a.product.as_deref(),
            );
        }
        Command::BenchCompile(a) => match (&a.meta, &a.product) {
            (Some(meta), Some(products)) => bench_products(
                &root(a.root.clone()),
                meta,
                a.darabonba.as_deref(),
                products,
                &a.peer,
            ),
            (None, None) => bench_compile(&root(a.root), &a.ops.0, a.check_only, &a.peer),
            _ => Err(XtaskError::Command(
                "--meta and --product go together".to_owned(),
            )),
        },
        Command::ImportMeta(a) => import_meta(&workspace_root(), a),
        Command::LintMeta(a) => return lint_meta(&workspace_root(), &a),
        Command::Catalogue(a) => catalogue(&workspace_root(), &a),
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
    let expected = xtask::outputs(root, &catalog)?;
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
/// `cargo clean -p <package>` and the command timed: the crate cold, its dependencies warm.
fn crate_cold(
    args: &[&str],
    manifest: &Path,
    target: &Path,
    package: &str,
) -> Result<f64, XtaskError> {
    timed_cargo(args, manifest, target)?;
    timed_cargo(&["clean", "-p", package], manifest, target)?;
    timed_cargo(args, manifest, target)
}

fn bench_compile(
    root: &Path,
    sizes: &[usize],
    check_only: bool,
    peer: &str,
) -> Result<(), XtaskError> {
    let target = root.join("target").join("bench-compile");
    let scratch_error = |e: String| XtaskError::Command(e);
    println!(
        "generated-sdk, synthetic catalogues (dependencies prebuilt; the crate cold each time):"
    );
    println!(
        "| ops | files | lines | bytes | lines/op | bytes/op | cargo check (s) | check s/op | cargo build (s) | build s/op |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in sizes {
        let (dir, generated) = xtask::scratch::scratch_sdk_with_output(
            root,
            &format!("synth-{n}"),
            &xtask::synth::catalogue(n),
        )
        .map_err(scratch_error)?;
        let manifest = dir.join("Cargo.toml");
        let check = crate_cold(&["check"], &manifest, &target, "generated-sdk")?;
        let build = if check_only {
            None
        } else {
            Some(crate_cold(&["build"], &manifest, &target, "generated-sdk")?)
        };
        let lines: usize = generated.values().map(|t| t.lines().count()).sum();
        let bytes: usize = generated.values().map(String::len).sum();
        let per = |secs: f64| secs / n as f64;
        println!(
            "| {n} | {} | {lines} | {bytes} | {:.0} | {:.0} | {check:.1} | {:.3} | {} | {} |",
            generated.len(),
            lines as f64 / n as f64,
            bytes as f64 / n as f64,
            per(check),
            build.map_or_else(|| "-".to_owned(), |b| format!("{b:.1}")),
            build.map_or_else(|| "-".to_owned(), |b| format!("{:.3}", per(b))),
        );
    }
    print_peers(root, peer, &target)?;
    println!();
    println!("generated-sdk itself (the committed operations), by feature set:");
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
            "client + every product (default)",
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
        let secs = crate_cold(args, &manifest, &real_target, "generated-sdk")?;
        println!("| {label} | {secs:.2} |");
    }
    Ok(())
}

/// `bench-compile --meta DIR --product ecs`: each product complete (its newest version, every
/// operation the converter accepts, typed responses with --darabonba) generated into a scratch
/// crate and checked cold, beside the aws-sdk-rust peers checked the same way.
fn bench_products(
    root: &Path,
    meta: &Path,
    darabonba: Option<&Path>,
    products: &str,
    peer: &str,
) -> Result<(), XtaskError> {
    let mut all = xtask::meta::load(meta)?;
    retain_products(&mut all, products);
    lay_darabonba(&mut all, darabonba, false)?;
    let target = root.join("target").join("bench-compile");
    println!("real products, each complete (dependencies prebuilt; the crate cold):");
    println!("| product | operations | typed responses | lines | cargo check (s) | check s/op |");
    println!("|---|---:|---:|---:|---:|---:|");
    for product in xtask::meta::latest(&all) {
        let outcomes = xtask::meta::convert_product(product, |_| true);
        let typed = outcomes
            .iter()
            .filter(|o| o.typed_response && o.result.is_ok())
            .count();
        let files: Vec<codegen::SpecFile> = outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok())
            .map(|spec| {
                codegen::SpecFile::new(
                    format!("specs/{}", xtask::meta::spec_path(spec, false)),
                    spec.to_file_text(),
                )
            })
            .collect();
        let module = xtask::meta::convert::module_name(&product.code);
        let (dir, generated) =
            xtask::scratch::scratch_sdk_with_output(root, &format!("product-{module}"), &files)
                .map_err(XtaskError::Command)?;
        let check = crate_cold(
            &["check"],
            &dir.join("Cargo.toml"),
            &target,
            "generated-sdk",
        )?;
        let lines: usize = generated.values().map(|t| t.lines().count()).sum();
        println!(
            "| {} {} | {} | {typed} | {lines} | {check:.1} | {:.3} |",
            product.code,
            product.version,
            files.len(),
            check / files.len().max(1) as f64
        );
    }
    print_peers(root, peer, &target)?;
    Ok(())
}

/// The aws-sdk-rust crates named in `peer` (comma-separated; `none` or empty for none), each
/// checked cold, as a table.
fn print_peers(root: &Path, peer: &str, target: &Path) -> Result<(), XtaskError> {
    let peers: Vec<&str> = peer
        .split(',')
        .filter(|p| !p.is_empty() && *p != "none")
        .collect();
    if peers.is_empty() {
        return Ok(());
    }
    println!();
    println!("the peers (aws-sdk-rust), the same way:");
    println!("| crate | operations | cargo check (s) | check s/op |");
    println!("|---|---:|---:|---:|");
    for peer in peers {
        let (ops, check) = bench_peer(root, peer, target)?;
        println!(
            "| {peer} | {ops} | {check:.1} | {:.3} |",
            check / ops.max(1) as f64
        );
    }
    Ok(())
}

/// `cargo check` of the aws-sdk-rust crate `name` (its newest release), cold with its
/// dependencies prebuilt, in a scratch crate that depends on it; with its number of
/// operations (the folders of its `src/operation/`).
fn bench_peer(root: &Path, name: &str, target: &Path) -> Result<(usize, f64), XtaskError> {
    let dir = root
        .join("target")
        .join("scratch")
        .join(format!("peer-{name}"));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| XtaskError::io("creating folder", &src, e))?;
    let manifest = dir.join("Cargo.toml");
    let text = format!(
        "[package]\nname = \"peer-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{name} = \"1\"\n\n[workspace]\n"
    );
    std::fs::write(&manifest, text).map_err(|e| XtaskError::io("writing", &manifest, e))?;
    let lib = src.join("lib.rs");
    std::fs::write(&lib, "//! Depends on the peer crate, nothing else.\n")
        .map_err(|e| XtaskError::io("writing", &lib, e))?;
    let check = crate_cold(&["check"], &manifest, target, name)?;
    // The crate's sources, found through cargo's metadata.
    let output = std::process::Command::new(xtask::scratch::cargo())
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(&manifest)
        .output()
        .map_err(|e| XtaskError::io("running", Path::new("cargo"), e))?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| XtaskError::Command(format!("cargo metadata: {e}")))?;
    let package_manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name)
        .and_then(|p| p["manifest_path"].as_str())
        .ok_or_else(|| XtaskError::Command(format!("cargo metadata does not list {name}")))?;
    let operations = Path::new(package_manifest)
        .with_file_name("src")
        .join("operation");
    let ops = std::fs::read_dir(&operations)
        .map_err(|e| XtaskError::io("reading", &operations, e))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .count();
    Ok((ops, check))
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

fn import(
    page: &Path,
    spec: Option<&Path>,
    meta: Option<&Path>,
    product: Option<&str>,
) -> ExitCode {
    let fail = |e: XtaskError| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    };
    let text = match std::fs::read(page) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return fail(XtaskError::io("reading", page, e)),
    };
    // The spec to merge into must read as a spec: an importer that guessed would overwrite it.
    let existing: Option<codegen::spec::Spec> = match spec {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => match serde_json::from_str(&t) {
                Ok(v) => Some(v),
                Err(e) => {
                    return fail(XtaskError::Command(format!(
                        "{}: not a spec: {e}",
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
    // The operation: the spec's, else the page title's.
    let operation = existing
        .as_ref()
        .map(|s| s.operation.clone())
        .or_else(|| xtask::import::title_operation(&text));
    let product = product.or(existing.as_ref().map(|s| s.product.code.as_str()));
    let meta_spec = match (meta, &operation) {
        (Some(path), Some(op)) => {
            let products = match xtask::meta::load(path) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            match xtask::meta::operation_spec(&products, op, product) {
                Ok(spec) => Some(spec),
                Err(e) => return fail(XtaskError::Command(e)),
            }
        }
        (Some(_), None) => {
            return fail(XtaskError::Command(
                "the page names no operation; give --spec to say which".to_owned(),
            ));
        }
        (None, _) => None,
    };
    let imported = xtask::import::import(&text, &name, existing.as_ref(), meta_spec.as_ref());
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

/// Lays the Darabonba sources at `darabonba`, where given, over `products` and prints the
/// overlay's summary (every problem with `all_problems`).
fn lay_darabonba(
    products: &mut [xtask::meta::Product],
    darabonba: Option<&Path>,
    all_problems: bool,
) -> Result<(), XtaskError> {
    if let Some(dir) = darabonba {
        let sources = xtask::meta::darabonba::load(dir)?;
        let report = xtask::meta::overlay(products, &sources);
        print!("{}", report.render(all_problems));
    }
    Ok(())
}

/// Keeps the products named in `list` (codes in any case or modules, comma-separated).
fn retain_products(products: &mut Vec<xtask::meta::Product>, list: &str) {
    let wanted: Vec<&str> = list.split(',').map(str::trim).collect();
    products.retain(|p| {
        wanted.iter().any(|w| {
            p.code.eq_ignore_ascii_case(w) || xtask::meta::convert::module_name(&p.code) == *w
        })
    });
}

fn import_meta(root: &Path, a: ImportMetaArgs) -> Result<(), XtaskError> {
    let mut products = xtask::meta::load(&a.meta)?;
    lay_darabonba(&mut products, a.darabonba.as_deref(), false)?;
    let selection = xtask::meta::Selection {
        product: a.product,
        operation: a.operation,
        version: a.version,
        all_versions: a.all_versions,
    };
    let out = a.out.unwrap_or_else(|| root.join("specs"));
    let report = xtask::meta::import(root, &products, &selection, &out)?;
    for path in &report.written {
        println!("wrote {path}");
    }
    for (path, finding) in &report.findings {
        println!("{path}: {finding}");
    }
    for (product, version, op, why) in &report.refused {
        println!("refused {product} {version} {op}: {why}");
    }
    println!(
        "import-meta: {} written, {} unchanged, {} refused",
        report.written.len(),
        report.unchanged.len(),
        report.refused.len()
    );
    Ok(())
}

fn lint_meta(root: &Path, a: &LintMetaArgs) -> ExitCode {
    let run = || -> Result<usize, XtaskError> {
        let products = xtask::meta::load(&a.meta)?;
        let sources = match &a.darabonba {
            Some(dir) => xtask::meta::darabonba::load(dir)?,
            None => Vec::new(),
        };
        if a.catalogue {
            if sources.is_empty() {
                return Err(XtaskError::Command(
                    "--catalogue needs --darabonba".to_owned(),
                ));
            }
            let results = xtask::meta::lint_catalogue(&products, &sources);
            let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
            for (op, found) in &results {
                for d in found {
                    println!("{op}: {}: {}", d.at, d.message);
                    let kind = d.at.rsplit('/').next().unwrap_or_default();
                    let kind = if kind.chars().all(|c| c.is_ascii_digit()) {
                        "parameter"
                    } else {
                        kind
                    };
                    *kinds.entry(kind.to_owned()).or_default() += 1;
                }
            }
            let total: usize = kinds.values().sum();
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
            println!(
                "lint-meta --catalogue: {total} disagreement(s) between ApiDocs and the Darabonba wire in {} operation(s): {}",
                results.len(),
                list.join(", ")
            );
            return Ok(0);
        }
        let dir = a.specs.clone().unwrap_or_else(|| root.join("specs"));
        let results = xtask::meta::lint_specs(root, &dir, &products, &sources)?;
        let mut unexplained = 0;
        for (file, found) in &results {
            for d in found {
                let tag = if d.explained {
                    " (explained by a note)"
                } else {
                    ""
                };
                println!("{file}: {}: {}{tag}", d.at, d.message);
                unexplained += usize::from(!d.explained);
            }
        }
        println!(
            "lint-meta: {} spec(s) checked, {unexplained} unexplained disagreement(s)",
            results.len()
        );
        Ok(unexplained)
    };
    match run() {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn catalogue(root: &Path, a: &CatalogueArgs) -> Result<(), XtaskError> {
    let mut products = xtask::meta::load(&a.meta)?;
    if let Some(list) = &a.products {
        retain_products(&mut products, list);
    }
    lay_darabonba(&mut products, a.darabonba.as_deref(), a.list_refused)?;
    let report = xtask::meta::catalogue::run(root, &products, a.out.as_deref())
        .map_err(XtaskError::Command)?;
    print!("{}", report.render());
    if a.list_refused {
        println!();
        for (product, op, why) in &report.refusals {
            println!(
                "refused {product} {op}: {}",
                why.lines().next().unwrap_or_default()
            );
        }
    }
    if a.build {
        let Some(out) = &a.out else {
            return Err(XtaskError::Command("--build needs --out".to_owned()));
        };
        let target = root.join("target").join("catalogue");
        let secs = timed_cargo(&["check", "--workspace"], &out.join("Cargo.toml"), &target)?;
        println!(
            "cargo check --workspace: {secs:.1} s for {} operation(s) in {} crate(s) ({:.3} s per operation)",
            report.generated,
            report.crates.len(),
            secs / report.generated.max(1) as f64
        );
    }
    Ok(())
}
