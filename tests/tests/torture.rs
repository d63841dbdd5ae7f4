//! Specs that try to break the generator (`tests/fixtures/torture/accepted/` and
//! `tests::shape_torture_specs`): each is accepted and generates code that parses, stays inert
//! and builds with warnings denied. Specs the generator must refuse are fixtures in
//! `tests/fixtures/invalid-specs/` (see `specs.rs`), their reports pinned by snapshots.

use codegen::SpecFile;
use proc_macro2::{TokenStream, TokenTree};
use tests::{fixtures, root, shape_torture_specs};

fn torture_files() -> Vec<SpecFile> {
    let mut files =
        xtask::read_specs(&root(), &fixtures().join("torture").join("accepted")).unwrap();
    for (path, text) in shape_torture_specs() {
        files.push(SpecFile::new(format!("torture/{path}"), text));
    }
    files
}

fn generate() -> std::collections::BTreeMap<String, String> {
    let catalog = match codegen::Catalog::load("specs", &torture_files()) {
        Ok(catalog) => catalog,
        Err(e) => panic!("the torture set must be accepted:\n{e}"),
    };
    codegen::generate(&catalog).unwrap()
}

#[test]
fn the_torture_set_generates_parseable_deterministic_code() {
    let files = generate();
    assert!(
        files.contains_key("tort_names/type.rs"),
        "{:?}",
        files.keys()
    );
    for (path, text) in &files {
        if let Err(e) = syn::parse_file(text) {
            panic!("{path} does not parse: {e}");
        }
    }
    assert_eq!(files, generate());
    let huge = &files["tort_shape/huge_description.rs"];
    assert!(huge.len() > 100 * 1024, "the description is kept whole");
}

/// Every identifier in `tokens`, literals and doc strings excluded.
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => idents(g.stream(), out),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

#[test]
fn hostile_text_ends_up_as_inert_docs_and_literals() {
    let files = generate();
    let text = &files["tort_text/text_traps.rs"];
    let file = syn::parse_file(text).unwrap();
    // The file's only inner attributes are its docs: `#![deny(warnings)]` stayed text.
    assert!(file.attrs.iter().all(|a| a.path().is_ident("doc")));
    let mut seen = Vec::new();
    idents(text.parse::<TokenStream>().unwrap(), &mut seen);
    for word in ["evil", "main", "panic", "exit", "script", "deny"] {
        assert!(!seen.iter().any(|i| i == word), "`{word}` became code");
    }
    // The hostile example is a string literal of the doc example, escaped.
    assert!(text.contains(r#".trap("\"); fn evil() { std::process::exit(1) } //")"#));
    // Prose that would open a code block or an HTML element in rustdoc is neutralised.
    assert!(!text.contains("/// ```rust\n/// fn main"));
}

#[test]
fn keyword_and_odd_wire_names_get_usable_rust_names() {
    let files = generate();
    let names = &files["tort_names/type.rs"];
    for expected in [
        "pub r#type:",
        "pub r#match:",
        "pub self_:",
        "pub self_value:",
        "pub r#async:",
        "pub crate_:",
        "pub r_try:",
        "pub field_1st:",
        "pub with_dash:",
        "pub with_space:",
        "pub mingzi:",
        "rename = \"名字\"",
        "rename = \"with space\"",
        "Value1",
        "UnderstandSearchUnderscore",
    ] {
        assert!(names.contains(expected), "missing `{expected}`");
    }
    assert!(files["tort_names/mod.rs"].contains("pub mod r#type;"));
}

/// The whole accepted set, generated into a scratch copy of `generated-sdk` with every feature
/// on, builds with `clippy -D warnings`.
#[test]
fn the_torture_set_builds_with_clippy_denying_warnings() {
    let dir = xtask::scratch::scratch_sdk(&root(), "torture", &torture_files()).unwrap();
    if let Err(output) = xtask::scratch::clippy_scratch(&root(), &dir) {
        panic!("the torture SDK does not build cleanly:\n{output}");
    }
}
