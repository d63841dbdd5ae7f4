//! The generator's output: pinned per spec by snapshots, identical to what is committed, and
//! the same bytes on every run whatever order the specs are read in.

use std::collections::{BTreeMap, BTreeSet};

use tests::{real_catalog, root};

fn generate() -> BTreeMap<String, String> {
    codegen::generate(&real_catalog()).expect("the project's specs generate")
}

/// The operations whose generated files are pinned by snapshots: together they hold every
/// shape the generator emits (each wire encoding and location, the four ways of paging, page
/// prose of each layout, typed responses from pages and from the Darabonba sources, enums,
/// rules, error tables, a recursive type, several versions' worth of names). Every other
/// operation's files are held to its spec by `cargo xtask codegen --check` and
/// `committed_output_is_fresh`; pinning them all would make each new operation a
/// thousand-line review of code no new shape is in.
const PINNED: &[&str] = &[
    "aiworkspace::CreateProductOrders",
    "alb::ListAcls",
    "bdrc::DeleteResourceCategory",
    "bssopenapi::CreateInstance",
    "cs::DeleteClusterNodepool",
    "cs::DescribeClustersV1",
    "cs::ModifyClusterTags",
    "cs::ScaleClusterNodePool",
    "dataworks_public::DesensitizeData",
    "eas::CreateBenchmarkTask",
    "ecs::DescribeImages",
    "ecs::DescribeInstances",
    "ecs::RunInstances",
    "esa::PreloadCaches",
    "ice::CreateIpcOrder",
    "ice::CreateLiveSnapshotTemplate",
    "kms::UpdateSecret",
    "live::CreateLiveAIStudio",
    "live::ListMessageGroupUserById",
    "maxcompute::CreateProject",
    "ocr_api::RecognizeAllText",
    "opensearch::BindESUserAnalyzer",
    "ram::ListRoles",
    "rocketmq::GetInstanceIpWhitelist",
    "sas::ListHoneypotEvents",
    "sts::AssumeRole",
    "sts::AssumeRoleWithOIDC",
    "vpcipam::OpenVpcIpamService",
];

/// The snapshot name of each pinned generated file: its spec and the file
/// (`bssopenapi.CreateInstance@create_instance.rs`), a product's module file
/// (`bssopenapi@mod.rs`), the crate's catalog (`crate@catalog.rs`).
fn snapshot_names() -> BTreeMap<String, String> {
    let catalog = real_catalog();
    let mut names = BTreeMap::new();
    for path in generate().keys() {
        let Some((module, file)) = path.split_once('/') else {
            // A crate-level file (the catalog of every operation).
            names.insert(path.clone(), format!("crate@{path}"));
            continue;
        };
        let pinned = |op: &str| PINNED.contains(&format!("{module}::{op}").as_str());
        if file == "mod.rs" {
            if catalog
                .specs()
                .iter()
                .any(|s| s.spec.product.module == module && pinned(&s.spec.operation))
            {
                names.insert(path.clone(), format!("{module}@mod.rs"));
            }
            continue;
        }
        let spec = catalog.specs().iter().find(|s| {
            s.spec.product.module == module
                && file == format!("{}.rs", s.model.module.trim_start_matches("r#"))
        });
        if let Some(s) = spec.filter(|s| pinned(&s.spec.operation)) {
            names.insert(
                path.clone(),
                format!("{module}.{}@{file}", s.spec.operation),
            );
        }
    }
    names
}

#[test]
fn every_pinned_operation_exists() {
    let catalog = real_catalog();
    for op in PINNED {
        assert!(
            catalog
                .specs()
                .iter()
                .any(|s| format!("{}::{}", s.spec.product.module, s.spec.operation) == *op),
            "{op} is pinned but has no spec"
        );
    }
}

/// Every file of the pinned operations, a snapshot each: a change to what the generator
/// emits shows up here as a diff.
#[test]
fn generated_file() {
    let files = generate();
    for (path, name) in snapshot_names() {
        insta::assert_snapshot!(format!("generated_file@{name}"), files[&path]);
    }
}

/// A spec or file removed leaves no snapshot behind.
#[test]
fn every_generated_file_snapshot_is_referenced() {
    let expected: BTreeSet<String> = snapshot_names()
        .values()
        .map(|n| format!("suite__generated__generated_file@{n}.snap"))
        .collect();
    for entry in std::fs::read_dir(root().join("tests/tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with("suite__generated__") && name.ends_with(".snap") {
            assert!(
                expected.contains(&name),
                "snapshot {name} is not produced by any spec: delete it"
            );
        }
    }
}

/// The committed SDK is what the specs generate (`cargo xtask codegen --check` does the same
/// from the command line).
#[test]
fn committed_output_is_fresh() {
    let root = root();
    let expected = xtask::outputs(&root, &real_catalog()).unwrap();
    let drift = xtask::drift(&root, &expected).unwrap();
    assert!(
        drift.is_empty(),
        "generated files are stale; run `cargo xtask codegen`:\n{}",
        drift.report()
    );
}

#[test]
fn output_is_deterministic_whatever_the_input_order() {
    let files = xtask::read_specs(&root(), &root().join("specs")).unwrap();
    let first = codegen::generate(&codegen::Catalog::load("specs", &files).unwrap()).unwrap();
    let again = codegen::generate(&codegen::Catalog::load("specs", &files).unwrap()).unwrap();
    assert_eq!(first, again);
    // Several distinct orders: reversed and rotated.
    for shift in 0..files.len() {
        let mut shuffled = files.clone();
        shuffled.reverse();
        shuffled.rotate_left(shift);
        let out = codegen::generate(&codegen::Catalog::load("specs", &shuffled).unwrap()).unwrap();
        assert_eq!(first, out, "order {shift} changed the output");
    }
}

#[test]
fn every_file_carries_the_generated_header_naming_its_spec() {
    for (path, text) in generate() {
        let first = text.lines().next().unwrap();
        assert!(
            first.starts_with(xtask::GENERATED_MARKER),
            "{path}: {first}"
        );
        assert!(
            first.contains("specs/") && first.contains("cargo xtask codegen"),
            "{path}: {first}"
        );
    }
}

/// `generated-sdk/src/lib.rs` and `Cargo.toml` are written by hand: each product needs its
/// module line and its cargo feature there.
#[test]
fn every_product_has_its_module_and_feature() {
    let lib = std::fs::read_to_string(root().join("generated-sdk/src/lib.rs")).unwrap();
    let manifest = std::fs::read_to_string(root().join("generated-sdk/Cargo.toml")).unwrap();
    let modules: BTreeSet<String> = real_catalog()
        .specs()
        .iter()
        .map(|s| s.spec.product.module.clone())
        .collect();
    for m in modules {
        assert!(lib.contains(&format!("#[cfg(feature = \"{m}\")]\n#[rustfmt::skip] // generated by prettyplease; rustfmt must not restyle it\npub mod {m};")), "lib.rs lacks `pub mod {m}` behind its feature");
        assert!(
            manifest.contains(&format!("\n{m} = []")),
            "Cargo.toml lacks the feature `{m}`"
        );
    }
}

/// Regression: lowering once kept only a JSON body's rules when it had any, dropping the
/// request's own (a query parameter's length rule went unchecked and undocumented).
#[test]
fn the_requests_rules_and_its_json_bodys_rules_are_both_kept() {
    let path = "specs/aiworkspace/CreateProductOrders.json";
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap();
    spec["request"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "name": "Tag", "type": "string", "required": false, "location": "query",
            "description": "A tag."
        }));
    spec["request"]["constraints"] =
        serde_json::json!([{"kind": "length", "field": "Tag", "max": 3}]);
    spec["request"]["parameters"][0]["constraints"] =
        serde_json::json!([{"kind": "item_count", "field": "Products", "max": 5}]);
    let file = codegen::SpecFile::new(path, serde_json::to_vec(&spec).unwrap());
    let catalog = codegen::Catalog::load("specs", &[file]).unwrap();
    let request = &catalog.specs()[0].model.request;
    assert_eq!(request.rules.len(), 2);
    let files = codegen::generate(&catalog).unwrap();
    let text = &files["aiworkspace/create_product_orders.rs"];
    let code: String = text.split_whitespace().collect();
    assert!(code.contains(r#"v.length("Tag","#), "{text}");
    assert!(code.contains(r#"v.item_count("Products","#), "{text}");
    assert!(
        text.contains("/// - Length: at most 3 characters."),
        "{text}"
    );
}
