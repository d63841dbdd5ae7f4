//! Every shape the spec format allows, generated at random and built: each value type (maps,
//! untyped values, binary, recursion, enums with rules on them), each location and encoding of
//! both styles, names holding `.`, anonymous calls, open responses and several API versions of
//! one product. Arbitrary cases must be accepted and generate parseable code; a fixed-seed
//! sample of them, generated into one scratch crate, must build with clippy denying warnings.

use codegen::SpecFile;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};
use tests::root;

/// The type of a parameter or response element.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    /// A string enum with a length rule on it (a generator bug once: `.as_deref()` on an enum).
    TextEnum,
    /// An integer enum with a range rule on it (a generator bug once: `n as f64` on an enum).
    IntegerEnum,
    Strings,
    Objects,
    /// An object with a field named `default` (a generator bug once: a setter shadowing
    /// `Default::default()` in the builder).
    Object,
    /// An object that holds a list of itself.
    Recursive,
    MapOfText,
    MapOfObjects,
    Any,
}

const KINDS: &[Kind] = &[
    Kind::Text,
    Kind::Integer,
    Kind::Long,
    Kind::Float,
    Kind::Double,
    Kind::Boolean,
    Kind::TextEnum,
    Kind::IntegerEnum,
    Kind::Strings,
    Kind::Objects,
    Kind::Object,
    Kind::Recursive,
    Kind::MapOfText,
    Kind::MapOfObjects,
    Kind::Any,
];

impl Kind {
    fn is_scalar(self) -> bool {
        matches!(
            self,
            Kind::Text
                | Kind::Integer
                | Kind::Long
                | Kind::Float
                | Kind::Double
                | Kind::Boolean
                | Kind::TextEnum
                | Kind::IntegerEnum
        )
    }
}

/// Where a parameter travels, as the case chose it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Query,
    Form,
    Header,
    Host,
    Path,
}

/// What the request body is, besides form fields.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Payload {
    None,
    /// Parameters in a form body.
    Form,
    /// An object whose fields are the JSON body (ROA).
    JsonFields,
    /// A map as the whole JSON body.
    WholeJson,
    /// A string as the whole body.
    Text,
    /// Bytes as the whole body.
    Binary,
}

#[derive(Debug, Clone)]
struct Param {
    kind: Kind,
    place: Place,
    /// For a list of scalars: comma-joined (`simple`) instead of `Name.N`.
    joined: bool,
    /// For what is flattened: one JSON text parameter instead.
    as_json: bool,
    /// A scalar named `Field3.Sub`.
    dotted: bool,
    required: bool,
}

#[derive(Debug, Clone)]
struct Case {
    roa: bool,
    anonymous: bool,
    body: Payload,
    params: Vec<Param>,
    response: Vec<Kind>,
    open: bool,
    description: String,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop::sample::select(KINDS)
}

fn param() -> impl Strategy<Value = Param> {
    (
        kind(),
        0usize..5,
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
    )
        .prop_map(|(kind, place, joined, as_json, dotted, required)| Param {
            kind,
            place: [
                Place::Query,
                Place::Form,
                Place::Header,
                Place::Host,
                Place::Path,
            ][place],
            joined,
            as_json,
            dotted,
            required,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop::bool::weighted(0.1),
        0usize..6,
        prop::collection::vec(param(), 0..8),
        prop::collection::vec(kind(), 0..6),
        any::<bool>(),
        any::<String>().prop_map(|s| format!("D{s}")),
    )
        .prop_map(
            |(roa, anonymous, body, params, response, open, description)| Case {
                roa,
                anonymous,
                body: [
                    Payload::None,
                    Payload::Form,
                    Payload::JsonFields,
                    Payload::WholeJson,
                    Payload::Text,
                    Payload::Binary,
                ][body],
                params,
                response,
                open,
                description,
            },
        )
}

/// A field of `kind` named `name`, with an example that fits it; `request` adds required flags
/// to nested fields.
fn field(name: &str, kind: Kind, request: bool, description: &str) -> Value {
    let type_base = name.replace('.', "");
    let name_for_types = type_base.as_str();
    let nested = |f: Value| {
        let mut f = f;
        if request {
            f["required"] = json!(false);
        }
        f
    };
    let mut f = match kind {
        Kind::Text => json!({"type": "string", "example": "x"}),
        Kind::Integer => json!({"type": "integer", "example": 7}),
        Kind::Long => json!({"type": "long", "example": 9_007_199_254_740_993_i64}),
        Kind::Float => json!({"type": "float", "example": 1.5}),
        Kind::Double => json!({"type": "double", "example": 2.25}),
        Kind::Boolean => json!({"type": "boolean", "example": true}),
        Kind::TextEnum => json!({
            "type": "string", "example": "Small", "enum_name": format!("{name_for_types}Size"),
            "enum": [
                {"value": "Small", "description": "Small."},
                {"value": "Large", "description": description}
            ]
        }),
        Kind::IntegerEnum => json!({
            "type": "integer", "example": 2, "enum_name": format!("{name_for_types}Level"),
            "enum": [
                {"value": 1, "rust_name": "One", "description": "One."},
                {"value": 2, "rust_name": "Two", "description": description}
            ]
        }),
        Kind::Strings => json!({
            "type": "array", "example": ["a", "b"],
            "items": {"type": "string", "description": "An item.", "example": "a"}
        }),
        Kind::Objects => {
            let mut fields = vec![nested(
                json!({"name": "Key", "type": "string", "description": "The key.", "example": "k"}),
            )];
            if request {
                fields.push(nested(json!({"name": "Data", "type": "binary", "description": "Bytes, base64 in JSON."})));
            }
            json!({
                "type": "array",
                "items": {
                    "type": "object", "type_name": format!("{name_for_types}Item"), "description": "An item.",
                    "fields": fields
                }
            })
        }
        Kind::Object => json!({
            "type": "object", "type_name": format!("{name_for_types}Shape"),
            "fields": [
                nested(json!({"name": "default", "type": "string", "description": "Named like `Default::default`.", "example": "d"})),
                nested(json!({"name": "Limit", "type": "integer", "description": "A limit.", "example": 3})),
                nested(json!({"name": "Free", "type": "any", "description": "Anything."}))
            ]
        }),
        Kind::Recursive => json!({
            "type": "object", "type_name": format!("{name_for_types}Node"),
            "fields": [
                nested(json!({"name": "Label", "type": "string", "description": "A label.", "example": "root"})),
                nested(json!({
                    "name": "Children", "type": "array", "description": "The children.",
                    "items": {"type": "object", "type_ref": format!("{name_for_types}Node"), "description": "A child."}
                }))
            ]
        }),
        Kind::MapOfText => json!({
            "type": "map", "example": {"env": "prod"},
            "items": {"type": "string", "description": "A value.", "example": "v"}
        }),
        Kind::MapOfObjects => json!({
            "type": "map",
            "items": {
                "type": "object", "type_name": format!("{name_for_types}Entry"), "description": "An entry.",
                "fields": [nested(json!({"name": "Weight", "type": "double", "description": "A weight.", "example": 0.5}))]
            }
        }),
        Kind::Any => json!({"type": "any", "example": {"free": [1, "two"]}}),
    };
    f["name"] = json!(name);
    f["description"] = json!(description);
    f
}

/// The spec of `case` as operation `operation` of API `version`.
fn spec_json(case: &Case, operation: &str, version: &str) -> Value {
    let mut params = Vec::new();
    let mut constraints = Vec::new();
    let mut path = if case.roa {
        format!("/{}", operation.to_lowercase())
    } else {
        "/".to_owned()
    };
    let mut host_taken = false;
    let mut forms = false;
    for (i, p) in case.params.iter().enumerate() {
        let name = if p.dotted && p.kind.is_scalar() {
            format!("Field{i}.Sub")
        } else {
            format!("Field{i}")
        };
        let mut f = field(&name, p.kind, true, &case.description);
        f["required"] = json!(p.required);
        // Where it can travel: a host label is one string, a path segment one value of a
        // ROA operation, a form field needs a form body.
        let place = match p.place {
            Place::Host if p.kind == Kind::Text && !host_taken && !p.dotted => {
                host_taken = true;
                "host"
            }
            Place::Path if case.roa && p.kind.is_scalar() && !p.dotted => {
                path.push_str(&format!("/{{{name}}}"));
                f["required"] = json!(true);
                "path"
            }
            Place::Form if case.body == Payload::Form => {
                forms = true;
                "form"
            }
            Place::Header => "header",
            _ => "query",
        };
        f["location"] = json!(place);
        let one_value = matches!(place, "host" | "path" | "header");
        if !p.kind.is_scalar() {
            let encoding = if one_value || p.as_json || p.kind == Kind::Any {
                "json"
            } else if p.kind == Kind::Strings && p.joined {
                "simple"
            } else {
                "flat"
            };
            f["encoding"] = json!(encoding);
        }
        match p.kind {
            Kind::TextEnum => {
                constraints.push(json!({"kind": "length", "field": name, "min": 1, "max": 5}))
            }
            Kind::IntegerEnum => {
                constraints.push(json!({"kind": "range", "field": name, "min": 1, "max": 2}))
            }
            _ => {}
        }
        params.push(f);
    }
    let body = match case.body {
        Payload::JsonFields if case.roa => Some(json!({
            "name": "Body", "type": "object", "required": false,
            "location": "body", "encoding": "json_body", "description": "The JSON body.",
            "fields": [
                field("Title", Kind::Text, true, "A title."),
                field("Nodes", Kind::Recursive, true, "A tree."),
                field("Labels", Kind::MapOfText, true, "Labels."),
            ]
        })),
        Payload::WholeJson if case.roa => {
            let mut f = field("Settings", Kind::MapOfText, true, "The whole body.");
            f["location"] = json!("body");
            f["required"] = json!(false);
            Some(f)
        }
        Payload::Text if case.roa => Some(json!({
            "name": "Content", "type": "string", "required": true, "location": "body",
            "description": "The body, as it is.", "example": "{\"raw\":true}"
        })),
        Payload::Binary if case.roa => Some(json!({
            "name": "File", "type": "binary", "required": true, "location": "body",
            "description": "The file's bytes."
        })),
        _ => None,
    };
    if let (Some(mut body), false) = (body, forms) {
        // The fields of a JSON body keep their required flags; fix the nested ones.
        if let Some(fields) = body.get_mut("fields").and_then(Value::as_array_mut) {
            for f in fields {
                f["required"] = json!(false);
            }
        }
        params.push(body);
    }
    let mut response = vec![
        json!({"name": "RequestId", "type": "string", "description": "The id.", "example": "r"}),
    ];
    for (i, kind) in case.response.iter().enumerate() {
        let mut f = field(&format!("Out{i}"), *kind, false, &case.description);
        if let Some(o) = f.as_object_mut() {
            o.remove("required");
        }
        response.push(f);
    }
    let mut spec = json!({
        "product": {"code": "Shapes", "module": "shapes"},
        "operation": operation,
        "api_version": version,
        "style": if case.roa { "ROA" } else { "RPC" },
        "http": {"method": "POST", "path": path},
        "endpoint": {
            "rule": "regional", "host": "shapes.{region}.aliyuncs.com",
            "regions": {"cn-hangzhou": "shapes-hz.aliyuncs.com"}
        },
        "source": {"page": "shapes.txt", "layout": "pipe_table"},
        "request": {"parameters": params, "constraints": constraints},
        "response": {"fields": response, "open": case.open, "example": {"RequestId": "r"}},
        "errors": [],
    });
    if case.anonymous {
        spec["auth"] = json!("anonymous");
    }
    spec
}

fn spec_file(case: &Case, operation: &str, version: &str) -> SpecFile {
    let spec = spec_json(case, operation, version);
    SpecFile::new(
        format!("specs/shapes/{version}/{operation}.json"),
        serde_json::to_vec_pretty(&spec).unwrap(),
    )
}

fn load(files: &[SpecFile]) -> Result<codegen::Catalog, String> {
    codegen::Catalog::load("specs", files).map_err(|e| {
        let texts: Vec<String> = files
            .iter()
            .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
            .collect();
        format!("valid specs were refused:\n{e}\n{}", texts.join("\n"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_shape_is_accepted_and_generates_parseable_code(case in case(), old in case()) {
        // The same operation in two versions, and one only in the older.
        let files = [
            spec_file(&case, "OpShape", "2024-01-01"),
            spec_file(&old, "OpShape", "2019-01-01"),
            spec_file(&old, "OpOld", "2019-01-01"),
        ];
        let catalog = load(&files).map_err(TestCaseError::fail)?;
        let generated = codegen::generate(&catalog).unwrap();
        for (path, text) in &generated {
            if let Err(e) = syn::parse_file(text) {
                return Err(TestCaseError::fail(format!("{path} does not parse: {e}\n{text}")));
            }
        }
        prop_assert!(generated["shapes/mod.rs"].contains("pub use v2024_01_01::*;"));
        prop_assert!(generated.contains_key("shapes/v2019_01_01/op_old.rs"));
    }
}

/// A fixed-seed sample of cases, generated into one scratch crate with the mock and client
/// features on, builds with `clippy -D warnings`.
#[test]
fn a_sample_of_every_shape_builds_with_clippy_denying_warnings() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = case();
    let mut files = Vec::new();
    for i in 0..40 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let version = if i % 4 == 0 {
            "2019-01-01"
        } else {
            "2024-01-01"
        };
        files.push(spec_file(&case, &format!("Op{i}"), version));
    }
    // Every kind and placement appears in the sample, so a shape left out cannot hide.
    let text: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.contents).into_owned())
        .collect();
    for needle in [
        "\"map\"",
        "\"any\"",
        "\"binary\"",
        "type_ref",
        "\"form\"",
        "\"header\"",
        "\"host\"",
        "\"path\"",
        "\"simple\"",
        "\"json_body\"",
        "Sub\"",
        "anonymous",
        "\"open\": true",
    ] {
        assert!(text.contains(needle), "the sample has no {needle}");
    }
    load(&files).unwrap();
    let dir = xtask::scratch::scratch_sdk(&root(), "shapes", &files).unwrap();
    if let Err(output) = xtask::scratch::clippy_scratch(&root(), &dir) {
        panic!("the sample of every shape does not build cleanly:\n{output}");
    }
}
