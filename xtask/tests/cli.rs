//! The `xtask` command line, run as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn bad_specs_exit_non_zero_listing_every_problem_without_a_panic() {
    let fixture =
        xtask::workspace_root().join("tests/fixtures/invalid-specs/many-problems-at-once");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture, &tmp.path().join("specs"));
    let out = xtask(&["codegen", "--root", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: 6 problem(s) in the specs; nothing was written:\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("specs/ice/CreateIpcOrder.json: missing field `operation`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "specs/vpcipam/OpenVpcIpamService.json: /errors/0/http_status: 99 is not an HTTP status"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let entries: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(
        entries.len(),
        1,
        "nothing but specs/ may exist after a failed run"
    );
}

#[test]
fn unknown_arguments_print_usage() {
    let out = xtask(&["codegen", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: cargo xtask codegen"));
}
