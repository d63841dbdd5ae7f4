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

/// The pairs of a query string, percent-decoded and sorted (the order a query is sent in does
/// not matter to the service).
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    root().join("tests").join("fixtures")
}

/// The torture specs built in code (their size makes them poor fixtures): deep nesting, an
/// array of arrays, 1,000 enum values, 500 parameters, a 100 KB description, empty objects.
/// Each is `(path under the specs folder, JSON text)`.
pub fn shape_torture_specs() -> Vec<(String, String)> {
    use serde_json::{Value, json};

    let base = |op: &str, params: Value, response_fields: Value, example: Value| {
        json!({
            "product": {"code": "TortShape", "module": "tort_shape"},
            "operation": op,
            "api_version": "2024-01-01",
            "style": "RPC",
            "http": {"method": "POST", "path": "/"},
            "endpoint": {"rule": "regional", "host": "shape.{region}.aliyuncs.com"},
            "source": {"page": format!("torture-{op}.txt"), "layout": "pipe_table"},
            "summary": format!("Torture case {op}."),
            "authorization": [{
                "action": format!("shape:{op}"), "access_level": "read",
                "resource_types": [{"name": "All Resources", "required": true}],
                "condition_keys": [], "dependent_actions": []
            }],
            "request": {"parameters": params, "constraints": []},
            "response": {"fields": response_fields, "example": example},
            "errors": [],
            "notes": []
        })
    };
    let string = |name: &str| json!({"name": name, "type": "string", "description": format!("{name}."), "example": "x"});

    // 12 levels of objects, request and response.
    let mut request_obj = string("Leaf");
    request_obj["required"] = json!(true);
    let mut response_obj = string("Leaf");
    let mut example = json!({"Leaf": "x"});
    for level in (1..=12).rev() {
        request_obj = json!({
            "name": format!("Level{level}"), "type": "object", "type_name": format!("RequestLevel{level}"),
            "required": false, "description": format!("Level {level}."), "fields": [request_obj]
        });
        response_obj = json!({
            "name": format!("Level{level}"), "type": "object", "type_name": format!("ResponseLevel{level}"),
            "description": format!("Level {level}."), "fields": [response_obj]
        });
        example = json!({ format!("Level{level}"): example });
    }
    request_obj["location"] = json!("query");
    request_obj["required"] = json!(false);
    request_obj["encoding"] = json!("flat");
    let deep = base(
        "DeepNesting",
        json!([request_obj]),
        json!([response_obj]),
        example,
    );

    let matrix = |name: &str| {
        json!({
            "name": name, "type": "array", "description": "Rows.",
            "items": {"type": "array", "description": "A row.", "items": {"type": "integer", "description": "A cell.", "example": 1}}
        })
    };
    let mut matrix_param = matrix("Matrix");
    matrix_param["location"] = json!("query");
    matrix_param["required"] = json!(false);
    matrix_param["encoding"] = json!("flat");
    let arrays = base(
        "ArrayOfArrays",
        json!([matrix_param]),
        json!([matrix("Matrix")]),
        json!({"Matrix": [[1, 2], [3]]}),
    );

    let values: Vec<Value> = (0..1000)
        .map(|i| json!({"value": format!("value-{i}"), "description": format!("Value {i}.")}))
        .collect();
    let many_enum = base(
        "ManyEnumValues",
        json!([{"name": "Choice", "type": "string", "required": true, "location": "query",
                "description": "One of 1,000.", "example": "value-999", "enum": values}]),
        json!([string("Code")]),
        json!({"Code": "x"}),
    );

    let params: Vec<Value> = (0..500)
        .map(|i| match i % 4 {
            0 => json!({"name": format!("Param{i}"), "type": "string", "required": i % 8 == 0, "location": "query", "description": "A string.", "example": "s"}),
            1 => json!({"name": format!("Param{i}"), "type": "integer", "required": false, "location": "query", "description": "An integer.", "example": 1}),
            2 => json!({"name": format!("Param{i}"), "type": "boolean", "required": false, "location": "query", "description": "A flag.", "example": true}),
            _ => json!({"name": format!("Param{i}"), "type": "double", "required": false, "location": "query", "description": "A number.", "example": 1.5}),
        })
        .collect();
    let many_params = base(
        "ManyParameters",
        Value::Array(params),
        json!([string("Code")]),
        json!({"Code": "x"}),
    );

    let chunk = "A long description with */ and `ticks` and {braces} and </code> and [links]. ";
    let huge = chunk.repeat(100 * 1024 / chunk.len() + 1);
    let mut huge_spec = base(
        "HugeDescription",
        json!([{"name": "Text", "type": "string", "required": false, "location": "query", "description": huge, "example": "x"}]),
        json!([string("Code")]),
        json!({"Code": "x"}),
    );
    huge_spec["description"] = json!(huge);

    let empty = base(
        "EmptyObject",
        json!([{"name": "Nothing", "type": "object", "type_name": "NothingAtAll", "required": false,
                "location": "query", "encoding": "flat", "description": "An empty object.", "fields": []}]),
        json!([{"name": "Void", "type": "object", "type_name": "Void", "description": "Empty.", "fields": []}]),
        json!({"Void": {}}),
    );

    [deep, arrays, many_enum, many_params, huge_spec, empty]
        .into_iter()
        .map(|spec| {
            let op = spec["operation"].as_str().unwrap_or_default().to_owned();
            let text = serde_json::to_string_pretty(&spec).unwrap_or_default();
            (format!("tort_shape/{op}.json"), text)
        })
        .collect()
}

/// Lays out a scratch copy of `generated-sdk` under `target/scratch/<name>`: the hand-written
/// runtime, and the products generated from `files` (spec files, as `xtask` reads them) in
/// place of the real ones. Returns the scratch workspace's root; build it with
/// `cargo clippy --manifest-path <root>/Cargo.toml`.
pub fn scratch_sdk(name: &str, files: &[codegen::SpecFile]) -> Result<PathBuf, String> {
    let root = root();
    let catalog = codegen::Catalog::load("specs", files).map_err(|e| e.to_string())?;
    let generated = codegen::generate(&catalog).map_err(|e| e.to_string())?;
    let mut modules: Vec<&str> = catalog
        .specs()
        .iter()
        .map(|s| s.spec.product.module.as_str())
        .collect();
    modules.sort_unstable();
    modules.dedup();

    let dir = root.join("target").join("scratch").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let sdk = dir.join("generated-sdk");
    let io = |what: &Path, e: std::io::Error| format!("{}: {e}", what.display());
    let write = |path: &Path, text: &str| -> Result<(), String> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| io(path, e))
    };
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| io(path, e));

    // The workspace manifest with generated-sdk as its only member; the lock file keeps the
    // dependency versions the project builds with.
    let manifest = read(&root.join("Cargo.toml"))?;
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members = "))
        .ok_or("Cargo.toml has no `members = ` line")?;
    write(
        &dir.join("Cargo.toml"),
        &manifest.replace(members, "members = [\"generated-sdk\"]"),
    )?;
    for file in ["Cargo.lock", "clippy.toml"] {
        write(&dir.join(file), &read(&root.join(file))?)?;
    }

    // Its manifest with the scratch products as features.
    let real: Vec<String> = real_catalog()
        .specs()
        .iter()
        .map(|s| format!("{} = []", s.spec.product.module))
        .collect();
    let sdk_manifest = read(&root.join("generated-sdk/Cargo.toml"))?;
    let mut out = String::new();
    let mut in_examples = false;
    for line in sdk_manifest.lines() {
        if line.starts_with("[[example]]") {
            in_examples = true;
        } else if line.starts_with('[') {
            in_examples = false;
        }
        if in_examples || real.iter().any(|r| r == line) {
            continue;
        }
        if line.starts_with("default = [") {
            let quoted: Vec<String> = modules.iter().map(|m| format!("\"{m}\"")).collect();
            out.push_str(&format!("default = [\"client\", {}]\n", quoted.join(", ")));
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("# One feature per product module") {
            for m in &modules {
                out.push_str(&format!("{m} = []\n"));
            }
        }
    }
    write(&sdk.join("Cargo.toml"), &out)?;

    // The hand-written crate: lib.rs up to its product modules, the runtime, the mock.
    let lib = read(&root.join("generated-sdk/src/lib.rs"))?;
    let marker = "// Product modules are generated";
    let head = &lib[..lib
        .find(marker)
        .ok_or("lib.rs has no product-module marker")?];
    let mut lib_out = head.to_owned();
    for m in &modules {
        lib_out.push_str(&format!(
            "#[cfg(feature = \"{m}\")]\n#[rustfmt::skip]\npub mod {m};\n"
        ));
    }
    write(&sdk.join("src/lib.rs"), &lib_out)?;
    write(
        &sdk.join("src/mock.rs"),
        &read(&root.join("generated-sdk/src/mock.rs"))?,
    )?;
    let runtime = root.join("generated-sdk/src/runtime");
    for entry in std::fs::read_dir(&runtime).map_err(|e| io(&runtime, e))? {
        let path = entry.map_err(|e| io(&runtime, e))?.path();
        let name = path.file_name().unwrap_or_default();
        write(&sdk.join("src/runtime").join(name), &read(&path)?)?;
    }
    for (path, text) in &generated {
        write(&sdk.join("src").join(path), text)?;
    }
    Ok(dir)
}

/// Runs `cargo clippy --all-targets --all-features -- -D warnings` on a scratch workspace,
/// with its own target folder under `target/scratch`; the error holds clippy's output.
pub fn clippy_scratch(dir: &Path) -> Result<(), String> {
    let target = root().join("target").join("scratch").join("target");
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--quiet",
            "--all-targets",
            "--all-features",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
