//! Helpers shared by the workspace tests in `tests/tests/`.

use std::path::{Path, PathBuf};

use codegen::Catalog;

pub mod hostile;

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
    let mut pairs = generated_sdk::runtime::decode_query(query);
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
