//! The spec format: the project's specs load, malformed specs are reported precisely, and the
//! JSON Schema agrees with the generator.

use codegen::spec::Field;
use serde_json::Value;
use tests::{fixtures, real_catalog, root, sub_dirs};

#[test]
fn the_project_specs_load_and_validate() {
    let catalog = real_catalog();
    // Every file under specs/ is one operation, named by its path (`<module>/<Operation>.json`
    // or `<module>/<version>/<Operation>.json`), and nothing else loads.
    let mut ops: Vec<String> = catalog
        .specs()
        .iter()
        .map(|s| format!("{}::{}", s.spec.product.module, s.spec.operation))
        .collect();
    ops.sort();
    let mut files: Vec<String> = xtask::read_specs(&root(), &root().join("specs"))
        .unwrap()
        .iter()
        .map(|f| {
            let parts: Vec<&str> = f.path.trim_start_matches("specs/").split('/').collect();
            let op = parts.last().unwrap().trim_end_matches(".json");
            format!("{}::{op}", parts[0])
        })
        .collect();
    files.sort();
    assert_eq!(ops, files);
    // The operations the wire, client and example tests name are among them.
    for op in [
        "bssopenapi::CreateInstance",
        "ecs::DescribeInstances",
        "sts::AssumeRole",
    ] {
        assert!(ops.iter().any(|o| o == op), "{op} is missing");
    }
}

#[test]
fn the_base_fixture_is_valid() {
    let dir = fixtures().join("valid-specs").join("base");
    let files = xtask::read_specs(&root(), &dir).unwrap();
    if let Err(e) = codegen::Catalog::load("base", &files) {
        panic!("the base fixture must be valid, or the invalid ones prove nothing:\n{e}");
    }
}

/// Every malformed fixture fails to load, and its exact report is pinned.
#[test]
fn invalid_spec() {
    let dirs = sub_dirs(&fixtures().join("invalid-specs"));
    assert!(
        dirs.len() >= 20,
        "at least 20 malformed fixtures, found {}",
        dirs.len()
    );
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let base = dir.clone();
        let files = xtask::read_specs(&base, &dir).unwrap();
        let report = match codegen::Catalog::load("specs", &files) {
            Ok(_) => panic!("fixture {name} loaded, but it must be rejected"),
            Err(e) => e.to_string(),
        };
        insta::assert_snapshot!(format!("invalid_spec@{name}"), report);
    }
}

#[test]
fn problems_in_several_files_are_all_reported() {
    let dir = fixtures()
        .join("invalid-specs")
        .join("many-problems-at-once");
    let files = xtask::read_specs(&dir, &dir).unwrap();
    let err = codegen::Catalog::load("specs", &files).unwrap_err();
    let files_named: std::collections::BTreeSet<&str> =
        err.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(files_named.len(), 2, "{err}");
    assert!(err.len() >= 6, "{err}");
}

#[test]
fn an_empty_specs_folder_is_an_error() {
    let err = codegen::Catalog::load("specs", &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "specs: no spec files found (expected <module>/<Operation>.json files)"
    );
}

#[test]
fn input_order_does_not_change_the_catalog() {
    let files = xtask::read_specs(&root(), &root().join("specs")).unwrap();
    let mut reversed = files.clone();
    reversed.reverse();
    assert_eq!(
        codegen::Catalog::load("specs", &files),
        codegen::Catalog::load("specs", &reversed)
    );
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("specs/spec.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn the_committed_schema_is_the_one_the_model_derives() {
    let committed = std::fs::read_to_string(root().join("specs/spec.schema.json")).unwrap();
    assert_eq!(
        committed,
        codegen::spec_json_schema(),
        "run `cargo xtask codegen`"
    );
}

#[test]
fn the_schema_accepts_the_four_specs() {
    let validator = schema_validator();
    for spec in real_catalog().specs() {
        let raw: Value =
            serde_json::from_slice(&std::fs::read(root().join(&spec.path)).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&raw)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", spec.path);
    }
}

#[test]
fn the_schema_rejects_malformed_specs() {
    let validator = schema_validator();
    for case in [
        "unknown-field-typo",
        "unknown-type",
        "empty-spec",
        "wrong-json-type-for-required",
    ] {
        let dir = fixtures().join("invalid-specs").join(case);
        let files = xtask::read_specs(&dir, &dir).unwrap();
        let raw: Value = serde_json::from_slice(&files[0].contents).unwrap();
        assert!(
            !validator.is_valid(&raw),
            "the schema accepted fixture {case}"
        );
    }
}

/// Each page's example response mentions every element the page describes (and validation
/// already checked the converse: every key of the example is a described element of its type).
#[test]
fn example_responses_cover_every_described_element() {
    fn walk(value: &Value, fields: &[Field], at: &str, missing: &mut Vec<String>) {
        for f in fields {
            let name = f.name.as_deref().unwrap();
            match value.get(name) {
                None => missing.push(format!("{at}/{name}")),
                Some(v) => {
                    if let Some(children) = &f.fields {
                        walk(v, children, &format!("{at}/{name}"), missing);
                    }
                }
            }
        }
    }
    for spec in real_catalog().specs() {
        let mut missing = Vec::new();
        let Some(example) = &spec.spec.response.example else {
            continue;
        };
        walk(example, &spec.spec.response.fields, "", &mut missing);
        assert!(
            missing.is_empty(),
            "{}: example lacks {missing:?}",
            spec.path
        );
    }
}

/// A fixture removed leaves no snapshot behind (insta alone would not notice).
#[test]
fn every_invalid_spec_snapshot_has_its_fixture() {
    let fixtures: Vec<String> = sub_dirs(&fixtures().join("invalid-specs"))
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for entry in std::fs::read_dir(root().join("tests/tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(case) = name
            .strip_prefix("suite__specs__invalid_spec@")
            .and_then(|n| n.strip_suffix(".snap"))
        {
            assert!(
                fixtures.iter().any(|f| f == case),
                "snapshot {name} has no fixture: delete it"
            );
        }
    }
}
