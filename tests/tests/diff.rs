//! `cargo xtask diff`: every kind of change between two spec trees, classified from the SDK
//! user's point of view, with the semver bump it implies. Each case edits the base fixture.

use codegen::ir::OperationIr;
use serde_json::{Value, json};
use xtask::diff::{Impact, diff, next_version, render_markdown, render_text};

fn base() -> Value {
    let path = tests::fixtures().join("valid-specs/base/vpcipam/OpenVpcIpamService.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The base fixture, edited, loaded and lowered as `cargo xtask diff` loads a spec tree.
fn spec(v: Value) -> OperationIr {
    let path = format!(
        "{}/{}.json",
        v["product"]["module"].as_str().unwrap(),
        v["operation"].as_str().unwrap()
    );
    let file = codegen::SpecFile::new(path, serde_json::to_vec(&v).unwrap());
    match codegen::Catalog::load("specs", &[file]) {
        Ok(catalog) => catalog.specs()[0].model.clone(),
        Err(e) => panic!("the edited fixture must load:\n{e}"),
    }
}

/// The change lines for `edit` applied to the base spec.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut new = base();
    edit(&mut new);
    diff(&[spec(base())], &[spec(new)])
        .iter()
        .map(|c| {
            let impact = match c.impact {
                Impact::Breaking => "breaking",
                Impact::Additive => "additive",
                Impact::Documentation => "docs",
            };
            format!("{impact} {}: {}", c.at, c.what)
        })
        .collect()
}

fn param<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    let params = v["request"]["parameters"].as_array_mut().unwrap();
    params.iter_mut().find(|p| p["name"] == name).unwrap()
}

#[test]
fn identical_trees_have_no_changes() {
    assert!(changes(|_| {}).is_empty());
}

#[test]
fn parameters() {
    let added = |required: bool| {
        move |v: &mut Value| {
            v["request"]["parameters"]
                .as_array_mut()
                .unwrap()
                .push(json!({
                    "name": "Zone", "type": "string", "required": required, "location": "query",
                    "description": "The zone."
                }));
        }
    };
    assert_eq!(
        changes(added(true)),
        ["breaking request.Zone: required parameter added"]
    );
    assert_eq!(
        changes(added(false)),
        ["additive request.Zone: optional parameter added"]
    );
    assert_eq!(
        changes(|v| {
            v["request"]["parameters"]
                .as_array_mut()
                .unwrap()
                .retain(|p| p["name"] != "Period")
        }),
        ["breaking request.Period: parameter removed"]
    );
    assert_eq!(
        changes(|v| param(v, "Period")["required"] = json!(true)),
        ["breaking request.Period: now required"]
    );
    assert_eq!(
        changes(|v| param(v, "RegionId")["required"] = json!(false)),
        ["additive request.RegionId: now optional"]
    );
    assert_eq!(
        changes(|v| {
            param(v, "Period")["type"] = json!("long");
        }),
        ["breaking request.Period: type changed from integer to long"]
    );
    // Only ROA operations send parameters outside the query.
    assert_eq!(
        changes(|v| {
            v["style"] = json!("ROA");
            param(v, "Period")["location"] = json!("header");
        }),
        [
            "breaking : style changed from Rpc to Roa",
            "breaking request.Period: location changed from \"query\" to \"header\""
        ]
    );
    assert_eq!(
        changes(|v| param(v, "Period")["rust_name"] = json!("months")),
        ["breaking request.Period: Rust field name changed from `period` to `months`"]
    );
}

#[test]
fn nested_fields() {
    assert_eq!(
        changes(|v| {
            param(v, "Tag")["items"]["fields"]
                .as_array_mut()
                .unwrap()
                .push(json!({
                    "name": "Color", "type": "string", "required": false, "description": "A color."
                }))
        }),
        ["additive request.Tag[].Color: optional parameter added"]
    );
    assert_eq!(
        changes(|v| param(v, "Tag")["items"]["fields"][0]["required"] = json!(false)),
        ["additive request.Tag[].Key: now optional"]
    );
}

#[test]
fn enum_values() {
    fn mode(v: &mut Value) -> &mut Vec<Value> {
        param(v, "Mode")["enum"].as_array_mut().unwrap()
    }
    assert_eq!(
        changes(|v| mode(v).push(json!({"value": "turbo", "description": "Turbo."}))),
        ["additive request.Mode: enum value \"turbo\" added (accepted)"]
    );
    assert_eq!(
        changes(|v| mode(v).retain(|e| e["value"] != "slow")),
        ["breaking request.Mode: enum value \"slow\" removed"]
    );
    assert_eq!(
        changes(|v| mode(v)[1]["description"] = json!("Slower.")),
        ["docs request.Mode: enum value \"slow\": meaning changed"]
    );
    assert_eq!(
        changes(|v| {
            param(v, "Mode").as_object_mut().unwrap().remove("enum");
        }),
        ["breaking request.Mode: no longer an enum (its Rust type changes)"]
    );
    // In a response, a new value is additive too (it used to arrive as `Unknown`).
    let with_response_enum = |extra: bool| {
        move |v: &mut Value| {
            let mut values = vec![json!({"value": "200", "description": "OK."})];
            if extra {
                values.push(json!({"value": "500", "description": "Failed."}));
            }
            v["response"]["fields"][1]["enum"] = Value::Array(values);
        }
    };
    let mut old = base();
    with_response_enum(false)(&mut old);
    let mut new = base();
    with_response_enum(true)(&mut new);
    let found = diff(&[spec(old)], &[spec(new)]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].impact, Impact::Additive);
    assert_eq!(found[0].what, "enum value \"500\" added (documented)");
}

#[test]
fn response_fields() {
    let add = |v: &mut Value| {
        v["response"]["fields"].as_array_mut().unwrap().push(json!({
            "name": "Message", "type": "string", "description": "The message."
        }));
    };
    assert_eq!(
        changes(add),
        ["additive response.Message: response field added"]
    );
    assert_eq!(
        changes(|v| {
            v["response"]["fields"]
                .as_array_mut()
                .unwrap()
                .retain(|f| f["name"] != "Code");
            v["response"]["example"]
                .as_object_mut()
                .unwrap()
                .remove("Code");
        }),
        [
            "breaking response.Code: response field removed",
            "docs response: example response changed"
        ]
    );
    assert_eq!(
        changes(|v| {
            v["response"]["fields"][1]["type"] = json!("integer");
            v["response"]["fields"][1]["example"] = json!(200);
            v["response"]["example"]["Code"] = json!(200);
        }),
        [
            "breaking response.Code: type changed from string to integer",
            "docs response: example response changed",
            "docs response.Code: example changed"
        ]
    );
}

#[test]
fn rules() {
    let rule = json!({"kind": "range", "field": "Period", "min": 1, "max": 36});
    assert_eq!(
        changes(move |v| v["request"]["constraints"]
            .as_array_mut()
            .unwrap()
            .push(rule)),
        [
            "breaking request: rule added: {\"kind\":\"range\",\"field\":\"Period\",\"min\":1.0,\"max\":36.0}"
        ]
    );
    assert_eq!(
        changes(|v| {
            v["request"]["constraints"] = json!([]);
            v["notes"] = json!([]);
        }),
        ["additive request: rule removed: {\"kind\":\"ascii\",\"field\":\"ClientToken\"}"]
    );
}

#[test]
fn error_codes() {
    assert_eq!(
        changes(|v| {
            v["errors"].as_array_mut().unwrap().push(json!({
                "http_status": 403, "code": "Forbidden.Quota", "message": "Over quota."
            }))
        }),
        ["additive errors.Forbidden.Quota: error code added"]
    );
    assert_eq!(
        changes(|v| v["errors"] = json!([])),
        ["breaking errors.Forbidden.RAM: error code removed (its ErrorCode variant goes)"]
    );
    assert_eq!(
        changes(|v| v["errors"][0]["message"] = json!("Denied.")),
        ["docs errors.Forbidden.RAM: message changed"]
    );
}

#[test]
fn operation_level() {
    assert_eq!(
        changes(|v| v["api_version"] = json!("2024-01-01")),
        [": API version changed from 2023-02-28 to 2024-01-01".to_owned()]
            .map(|s| format!("breaking {s}"))
    );
    assert_eq!(
        changes(|v| {
            v["summary"] = json!("Opens IPAM.");
            param(v, "RegionId")["description"] = json!("The region, again.");
            param(v, "RegionId")["example"] = json!("cn-shanghai");
        }),
        [
            "docs : summary changed",
            "docs request.RegionId: description changed",
            "docs request.RegionId: example changed"
        ]
    );
    let mut renamed = base();
    renamed["operation"] = json!("OpenIpam");
    let found = diff(&[spec(base())], &[spec(renamed)]);
    let lines: Vec<String> = found
        .iter()
        .map(|c| format!("{:?} {}: {}", c.impact, c.operation, c.what))
        .collect();
    assert_eq!(
        lines,
        [
            "Breaking vpcipam::OpenVpcIpamService: operation removed",
            "Additive vpcipam::OpenIpam: operation added"
        ]
    );
}

#[test]
fn semver_follows_the_worst_change() {
    let one = |impact| {
        vec![xtask::diff::ApiChange {
            impact,
            operation: "m::Op".into(),
            at: String::new(),
            what: "x".into(),
        }]
    };
    assert_eq!(next_version("0.1.0", &[]).as_deref(), Some("0.1.0"));
    assert_eq!(
        next_version("0.1.3", &one(Impact::Breaking)).as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        next_version("0.1.3", &one(Impact::Additive)).as_deref(),
        Some("0.1.4")
    );
    assert_eq!(
        next_version("1.4.2", &one(Impact::Breaking)).as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        next_version("1.4.2", &one(Impact::Additive)).as_deref(),
        Some("1.5.0")
    );
    assert_eq!(
        next_version("1.4.2", &one(Impact::Documentation)).as_deref(),
        Some("1.4.3")
    );
}

#[test]
fn reports_render_as_text_and_markdown() {
    let mut new = base();
    param(&mut new, "Mode")["enum"]
        .as_array_mut()
        .unwrap()
        .push(json!({"value": "turbo", "description": "Turbo."}));
    param(&mut new, "Period")["required"] = json!(true);
    new["errors"][0]["description"] = json!("Not allowed.");
    let found = diff(&[spec(base())], &[spec(new)]);
    insta::assert_snapshot!("text", render_text(&found, "0.1.0"));
    insta::assert_snapshot!("markdown", render_markdown(&found, "0.1.0"));
}

#[test]
fn a_git_revision_reads_as_a_spec_tree() {
    // A repository of its own, so the test does not depend on how this one was checked out.
    let dir = tests::root().join("target/scratch/git-revision");
    let _ = std::fs::remove_dir_all(&dir);
    let spec_dir = dir.join("specs/vpcipam");
    std::fs::create_dir_all(&spec_dir).unwrap();
    let file = spec_dir.join("OpenVpcIpamService.json");
    std::fs::write(&file, serde_json::to_string_pretty(&base()).unwrap()).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);

    let mut changed = base();
    param(&mut changed, "Period")["required"] = json!(true);
    std::fs::write(&file, serde_json::to_string_pretty(&changed).unwrap()).unwrap();

    let head = xtask::specs_at_revision(&dir, "HEAD").unwrap();
    let work = xtask::load_specs(&dir, &dir.join("specs")).unwrap();
    let specs = |c: &codegen::Catalog| {
        c.specs()
            .iter()
            .map(|s| s.model.clone())
            .collect::<Vec<_>>()
    };
    let found = diff(&specs(&head), &specs(&work));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].what, "now required");
    let err = xtask::specs_at_revision(&dir, "no-such-revision").unwrap_err();
    assert!(err.to_string().contains("git ls-tree"), "{err}");
}

#[test]
fn operation_type_decides_read_only_and_is_reported() {
    // The base fixture has no operation_type and a create RAM row: not read-only.
    assert_eq!(
        changes(|v| v["operation_type"] = json!("list")),
        ["additive : operation type: read-only, was state-changing (sets when the client retries)"]
    );
    // Without operation_type, read-only RAM rows make it read-only.
    assert_eq!(
        changes(|v| v["authorization"][0]["access_level"] = json!("get")),
        [
            "additive : operation type: read-only, was state-changing (sets when the client retries)",
            "docs authorization: RAM authorization changed"
        ]
    );
    // Saying what the RAM rows already imply changes nothing.
    assert!(changes(|v| v["operation_type"] = json!("create")).is_empty());
}
