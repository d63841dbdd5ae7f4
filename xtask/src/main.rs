//! `cargo xtask <command>`: the workspace's automation.

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool reports on standard output"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::{XtaskError, workspace_root};

const USAGE: &str = "usage: cargo xtask codegen [--check] [--root DIR]

  codegen          load and validate specs/, then write every generated file that changed
  codegen --check  write nothing; exit 1 listing every stale or missing file
  --root DIR       work in DIR (holding specs/) instead of this workspace";

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
