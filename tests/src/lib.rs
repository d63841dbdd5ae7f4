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
/// Each is `(path under the specs folder, JSON text)`, built as typed `codegen::spec` values.
pub fn shape_torture_specs() -> Vec<(String, String)> {
    use codegen::spec::{
        AccessLevel, BodyKind, Encoding, Endpoint, EnumValue, Field, FieldType, Http, Location,
        Method, PageLayout, Product, RamAction, Request, ResourceType, Response, Source, Spec,
        Style,
    };
    use serde_json::{Value, json};

    let base = |op: &str, params: Vec<Field>, response_fields: Vec<Field>, example: Value| Spec {
        schema: None,
        product: Product {
            code: "TortShape".to_owned(),
            name: None,
            module: "tort_shape".to_owned(),
        },
        operation: op.to_owned(),
        api_version: "2024-01-01".to_owned(),
        style: Style::Rpc,
        http: Http {
            method: Method::Post,
            path: "/".to_owned(),
        },
        endpoint: Endpoint::Regional {
            host: "shape.{region}.aliyuncs.com".to_owned(),
            regions: Default::default(),
            vpc: Default::default(),
        },
        source: Source {
            page: format!("torture-{op}.txt"),
            title: None,
            last_updated: None,
            layout: PageLayout::PipeTable,
        },
        summary: Some(format!("Torture case {op}.")),
        description: None,
        auth: Default::default(),
        operation_type: None,
        authorization: vec![RamAction {
            action: format!("shape:{op}"),
            access_level: AccessLevel::Read,
            resource_types: vec![ResourceType {
                name: "All Resources".to_owned(),
                required: true,
                arn: None,
            }],
            condition_keys: Vec::new(),
            dependent_actions: Vec::new(),
        }],
        request: Request {
            parameters: params,
            constraints: Vec::new(),
        },
        response: Response {
            description: None,
            fields: response_fields,
            open: false,
            example: Some(example),
            body: BodyKind::Object,
            value: None,
        },
        errors: Vec::new(),
        pagination: None,
        change_history: Vec::new(),
        notes: Vec::new(),
    };
    let described = |name: Option<&str>, ty: FieldType, description: &str| Field {
        description: Some(description.to_owned()),
        ..Field::new(name, ty)
    };
    let string = |name: &str| Field {
        example: Some(json!("x")),
        ..described(Some(name), FieldType::String, &format!("{name}."))
    };
    // A top-level query parameter.
    let param = |field: Field, required: bool| Field {
        required: Some(required),
        location: Some(Location::Query),
        ..field
    };

    // 12 levels of objects, request and response.
    let mut request_obj = Field {
        required: Some(true),
        ..string("Leaf")
    };
    let mut response_obj = string("Leaf");
    let mut example = json!({"Leaf": "x"});
    for level in (1..=12).rev() {
        let name = format!("Level{level}");
        let object = |side: &str, child: Field| Field {
            type_name: Some(format!("{side}Level{level}")),
            fields: Some(vec![child]),
            ..described(Some(&name), FieldType::Object, &format!("Level {level}."))
        };
        request_obj = Field {
            required: Some(false),
            ..object("Request", request_obj)
        };
        response_obj = object("Response", response_obj);
        example = json!({ name: example });
    }
    let deep = base(
        "DeepNesting",
        vec![Field {
            encoding: Some(Encoding::Flat),
            ..param(request_obj, false)
        }],
        vec![response_obj],
        example,
    );

    let matrix = |name: &str| {
        let cell = Field {
            example: Some(json!(1)),
            ..described(None, FieldType::Integer, "A cell.")
        };
        let row = Field {
            items: Some(Box::new(cell)),
            ..described(None, FieldType::Array, "A row.")
        };
        Field {
            items: Some(Box::new(row)),
            ..described(Some(name), FieldType::Array, "Rows.")
        }
    };
    let arrays = base(
        "ArrayOfArrays",
        vec![Field {
            encoding: Some(Encoding::Flat),
            ..param(matrix("Matrix"), false)
        }],
        vec![matrix("Matrix")],
        json!({"Matrix": [[1, 2], [3]]}),
    );

    let values: Vec<EnumValue> = (0..1000)
        .map(|i| EnumValue {
            value: json!(format!("value-{i}")),
            rust_name: None,
            description: Some(format!("Value {i}.")),
        })
        .collect();
    let choice = Field {
        example: Some(json!("value-999")),
        enum_values: Some(values),
        ..described(Some("Choice"), FieldType::String, "One of 1,000.")
    };
    let many_enum = base(
        "ManyEnumValues",
        vec![param(choice, true)],
        vec![string("Code")],
        json!({"Code": "x"}),
    );

    let params: Vec<Field> = (0..500)
        .map(|i| {
            let name = format!("Param{i}");
            let (ty, description, example) = match i % 4 {
                0 => (FieldType::String, "A string.", json!("s")),
                1 => (FieldType::Integer, "An integer.", json!(1)),
                2 => (FieldType::Boolean, "A flag.", json!(true)),
                _ => (FieldType::Double, "A number.", json!(1.5)),
            };
            let field = Field {
                example: Some(example),
                ..described(Some(&name), ty, description)
            };
            param(field, i % 8 == 0)
        })
        .collect();
    let many_params = base(
        "ManyParameters",
        params,
        vec![string("Code")],
        json!({"Code": "x"}),
    );

    let chunk = "A long description with */ and `ticks` and {braces} and </code> and [links]. ";
    let huge = chunk.repeat(100 * 1024 / chunk.len() + 1);
    let text = Field {
        example: Some(json!("x")),
        ..described(Some("Text"), FieldType::String, &huge)
    };
    let mut huge_spec = base(
        "HugeDescription",
        vec![param(text, false)],
        vec![string("Code")],
        json!({"Code": "x"}),
    );
    huge_spec.description = Some(huge);

    let empty_object = |name: &str, type_name: &str, description: &str| Field {
        type_name: Some(type_name.to_owned()),
        fields: Some(Vec::new()),
        ..described(Some(name), FieldType::Object, description)
    };
    let empty = base(
        "EmptyObject",
        vec![Field {
            encoding: Some(Encoding::Flat),
            ..param(
                empty_object("Nothing", "NothingAtAll", "An empty object."),
                false,
            )
        }],
        vec![empty_object("Void", "Void", "Empty.")],
        json!({"Void": {}}),
    );

    [deep, arrays, many_enum, many_params, huge_spec, empty]
        .into_iter()
        .map(|spec| {
            let path = format!("tort_shape/{}.json", spec.operation);
            (path, spec.to_file_text())
        })
        .collect()
}
