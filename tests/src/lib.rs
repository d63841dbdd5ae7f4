//! Helpers shared by the workspace tests in `tests/tests/`.

use std::path::{Path, PathBuf};

use codegen::Catalog;

/// The workspace root.
pub fn root() -> PathBuf {
    xtask::workspace_root()
}

/// Loads and validates the project's `specs/`, panicking with every problem if any.
pub fn real_catalog() -> Catalog {
    let root = root();
    match xtask::load_specs(&root, &root.join("specs")) {
        Ok(catalog) => catalog,
        Err(e) => panic!("the project's specs must load: {e}"),
    }
}

/// The sub-folders of `dir`, sorted by name.
pub fn sub_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    root().join("tests").join("fixtures")
}
