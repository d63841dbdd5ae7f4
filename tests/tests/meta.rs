//! The official metadata as a source: the committed specs agree with it (`lint-meta`), a
//! vendored subset of the catalogue converts, generates and builds (`catalogue`), and
//! `import-meta` writes specs and lays them over existing ones without losing what pages gave.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::spec::{Endpoint, FieldType, Location, Spec};
use tests::{fixtures, root};
use xtask::meta::{self, Refusal, Selection};

fn vendored() -> Vec<meta::Product> {
    meta::load(&fixtures().join("metadata")).unwrap()
}

fn converted(code: &str, operation: &str) -> Result<Spec, Refusal> {
    let products = vendored();
    let product = products
        .iter()
        .find(|p| p.code.eq_ignore_ascii_case(code))
        .unwrap_or_else(|| panic!("{code} is vendored"));
    let outcome = meta::convert_product(product, |op| op.name == operation);
    assert_eq!(outcome.len(), 1, "{code} {operation} is vendored");
    outcome.into_iter().next().unwrap().result
}

#[test]
fn every_committed_spec_agrees_with_the_metadata_or_says_why() {
    let results = meta::lint_specs(&root(), &root().join("specs"), &vendored(), &[]).unwrap();
    assert_eq!(results.len(), real_spec_count());
    let unexplained: Vec<String> = results
        .iter()
        .flat_map(|(file, found)| {
            found
                .iter()
                .filter(|d| !d.explained)
                .map(move |d| format!("{file}: {}: {}", d.at, d.message))
        })
        .collect();
    assert!(unexplained.is_empty(), "{}", unexplained.join("\n"));
}

fn real_spec_count() -> usize {
    tests::real_catalog().specs().len()
}

#[test]
fn lint_reports_each_kind_of_disagreement() {
    let mut spec = converted("Ecs", "DescribeInstances").unwrap();
    let meta_spec = spec.clone();
    let params = &mut spec.request.parameters;
    params[0].ty = FieldType::Integer;
    params[1].location = Some(Location::Header);
    params.retain(|p| p.name.as_deref() != Some("PageSize"));
    spec.endpoint = Endpoint::Regional {
        host: "ecs.{region}.aliyuncs.com".to_owned(),
        regions: BTreeMap::new(),
        vpc: BTreeMap::new(),
    };
    let products = vendored();
    let ecs = products.iter().find(|p| p.code == "Ecs").unwrap();
    let found = meta::lint::lint(&spec, &meta_spec, &ecs.endpoints, &ecs.vpc_endpoints);
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages.contains(&"`RegionId` is integer, the metadata says string"),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("travels in Header")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("the metadata has `PageSize`")),
        "{messages:?}"
    );
    // ecs-cn-hangzhou.aliyuncs.com is an exception the plain pattern does not give.
    assert!(
        messages.iter().any(|m| m.starts_with("region cn-hangzhou")),
        "{messages:?}"
    );
    assert!(found.iter().all(|d| !d.explained));
}

#[test]
fn operations_the_project_does_not_sign_are_refused_by_name() {
    let cases = [
        ("Oss", "PutBucket", "style `OSS` (own signing and wire)"),
        (
            "AliGenie",
            "ControlRoomDevice",
            "style `AliGenie` (own signing and wire)",
        ),
        (
            "Sls",
            "CreateDownloadJob",
            "product `Sls` (signed by its own gateway)",
        ),
        (
            "cloudcontrol",
            "GetResourceType",
            "path supplied whole by the caller",
        ),
    ];
    for (code, op, reason) in cases {
        match converted(code, op) {
            Err(why) => assert_eq!(why.reason(), reason, "{code} {op}: {why}"),
            Ok(_) => panic!("{code} {op} must be refused"),
        }
    }
}

#[test]
fn real_shapes_convert_to_their_wire() {
    let find = |spec: &Spec, name: &str| {
        spec.request
            .parameters
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    // A JSON body whose fields become the request's own; path parameters.
    let scale = converted("CS", "ScaleClusterNodePool").unwrap();
    assert_eq!(find(&scale, "ClusterId").location, Some(Location::Path));
    let body = find(&scale, "body");
    assert_eq!(body.encoding, Some(codegen::spec::Encoding::JsonBody));
    // A map sent as JSON; a binary body; a comma-joined list in a form body.
    let preload = converted("ESA", "PreloadCaches").unwrap();
    assert_eq!(find(&preload, "Headers").ty, FieldType::Map);
    let ocr = converted("ocr-api", "RecognizeAllText").unwrap();
    assert_eq!(find(&ocr, "body").ty, FieldType::Binary);
    let live = converted("live", "ListMessageGroupUserById").unwrap();
    let users = find(&live, "UserIdList");
    assert_eq!(
        (users.location, users.encoding),
        (Some(Location::Form), Some(codegen::spec::Encoding::Simple))
    );
    // A schema that holds itself becomes a reference to its enclosing type.
    let query = converted("imm", "SimpleQuery").unwrap();
    let text = query.to_file_text();
    assert!(text.contains("\"type_ref\""), "{text}");
    // STS AssumeRoleWithOIDC is authenticated by its token: sent unsigned.
    let oidc = converted("Sts", "AssumeRoleWithOIDC").unwrap();
    assert_eq!(oidc.auth, codegen::spec::Auth::Anonymous);
    // An operation without a response schema gets an open response, RequestId typed.
    assert!(oidc.response.open);
    assert_eq!(oidc.response.fields[0].name.as_deref(), Some("RequestId"));
}

#[test]
fn endpoint_rules_reproduce_the_official_lists() {
    for product in vendored() {
        let (rule, _) =
            meta::endpoint::infer(&product.code, &product.endpoints, &product.vpc_endpoints);
        for (region, host) in &product.endpoints {
            assert_eq!(
                meta::endpoint::host_for(&rule, region).as_deref(),
                Some(host.as_str()),
                "{} {region}",
                product.code
            );
        }
        for (region, host) in &product.vpc_endpoints {
            assert_eq!(
                meta::endpoint::vpc_host_for(&rule, region).as_deref(),
                Some(host.as_str()),
                "{} {region} (VPC)",
                product.code
            );
        }
    }
}

/// The vendored subset — RPC and ROA, V3 and FC, form and JSON bodies, bytes, maps, comma
/// lists, host and header parameters, recursion, anonymous calls, and operations refused —
/// generated as a workspace of one crate per product, builds with clippy denying warnings.
#[test]
fn the_vendored_catalogue_generates_and_builds() {
    let out = root().join("target").join("scratch").join("catalogue");
    let report = meta::catalogue::run(&root(), &vendored(), Some(&out)).unwrap();
    let refused: BTreeMap<&str, usize> = report
        .refused
        .iter()
        .map(|(reason, n)| (reason.as_str(), *n))
        .collect();
    assert_eq!(
        refused,
        BTreeMap::from([
            ("path supplied whole by the caller", 1),
            ("product `Sls` (signed by its own gateway)", 3),
            ("style `AliGenie` (own signing and wire)", 1),
            ("style `OSS` (own signing and wire)", 2),
        ])
    );
    assert_eq!(report.operations, report.generated + 7);
    assert_eq!(report.crates.len(), report.products - 3);
    let status = std::process::Command::new(xtask::scratch::cargo())
        .args([
            "clippy",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("scratch").join("target"),
        )
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn import_meta_writes_specs_and_keeps_what_pages_gave() {
    let dir = root().join("target").join("scratch").join("import-meta");
    let _ = std::fs::remove_dir_all(&dir);
    let specs = dir.join("specs");
    let products = vendored();
    let selection = |op: &str| Selection {
        product: Some("cs".to_owned()),
        operation: Some(op.to_owned()),
        ..Selection::default()
    };
    // Fresh: written where codegen expects it, and it validates.
    let report =
        meta::import(&dir, &products, &selection("DeleteClusterNodepool"), &specs).unwrap();
    assert_eq!(report.written, ["specs/cs/DeleteClusterNodepool.json"]);
    let fresh: Spec = serde_json::from_str(
        &std::fs::read_to_string(specs.join("cs/DeleteClusterNodepool.json")).unwrap(),
    )
    .unwrap();

    // Over a spec with page facts and a parameter the metadata lacks.
    let mut edited = fresh.clone();
    edited.summary = Some("Deletes a node pool.".to_owned());
    edited.request.parameters[0].description = Some("The cluster ID.".to_owned());
    edited.request.parameters[0].rust_name = Some("cluster".to_owned());
    edited.request.parameters[2].ty = FieldType::String;
    let mut extra = edited.request.parameters[2].clone();
    extra.name = Some("Gone".to_owned());
    edited.request.parameters.push(extra);
    write(
        &specs.join("cs/DeleteClusterNodepool.json"),
        &edited.to_file_text(),
    );
    let report =
        meta::import(&dir, &products, &selection("DeleteClusterNodepool"), &specs).unwrap();
    assert_eq!(report.written.len(), 1);
    assert!(
        report
            .findings
            .iter()
            .any(|(_, f)| f.contains("`Gone` is not in the metadata")),
        "{:?}",
        report.findings
    );
    let merged: Spec = serde_json::from_str(
        &std::fs::read_to_string(specs.join("cs/DeleteClusterNodepool.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(merged.summary.as_deref(), Some("Deletes a node pool."));
    let cluster = &merged.request.parameters[0];
    assert_eq!(cluster.description.as_deref(), Some("The cluster ID."));
    assert_eq!(cluster.rust_name.as_deref(), Some("cluster"));
    // The metadata's type wins, and the parameter it does not have is gone.
    assert_eq!(merged.request.parameters[2].ty, FieldType::Boolean);
    assert_eq!(
        merged.request.parameters.len(),
        fresh.request.parameters.len()
    );

    // A product the metadata does not have is an error, not an empty success.
    let unknown = Selection {
        product: Some("nothing-like-it".to_owned()),
        ..Selection::default()
    };
    assert!(meta::import(&dir, &products, &unknown, &specs).is_err());
}

/// For every operation the SDK compiles in, the client sends each region the metadata lists to
/// the host Alibaba's endpoint data names for it, on the public network and on the VPC one.
#[test]
fn the_client_goes_where_alibabas_endpoint_data_says() {
    let products = vendored();
    let mut checked = 0;
    for spec in generated_sdk::OPERATIONS {
        let Some(product) = products
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(spec.product) && p.version == spec.version)
        else {
            continue;
        };
        for (network, list) in [
            (generated_sdk::Network::Public, &product.endpoints),
            (generated_sdk::Network::Vpc, &product.vpc_endpoints),
        ] {
            for (region, host) in list {
                let config = generated_sdk::Config::builder()
                    .credentials(generated_sdk::Credentials::new("id", "secret", None))
                    .region(region.as_str())
                    .network(network)
                    .build()
                    .unwrap();
                let (scheme, authority) = config.endpoint_for(spec).unwrap();
                assert_eq!(
                    (scheme.as_str(), authority.as_str()),
                    ("https", host.as_str()),
                    "{} {} {region} {network:?}",
                    spec.product,
                    spec.action
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} region hosts checked");
}
