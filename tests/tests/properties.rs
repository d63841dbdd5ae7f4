//! Property tests: arbitrary valid specs generate parseable, deterministic code; the RPC query
//! encoding round-trips arbitrary text and nested arrays; response parsing survives arbitrary
//! bytes and JSON.

use codegen::SpecFile;
use generated_sdk::Error;
use generated_sdk::bssopenapi::CreateInstanceRequest;
use generated_sdk::bssopenapi::create_instance::{ModuleParameter, SubscriptionType};
use generated_sdk::runtime::{Operation, WireParts, encode, parse_response};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---- Arbitrary valid specs ----

/// Text a page could hold: any characters, never blank.
fn prose() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| format!("D{s}"))
}

/// A lower-case suffix that keeps generated names distinct after case conversion.
fn suffix() -> impl Strategy<Value = String> {
    "[a-z]{0,6}"
}

#[derive(Debug, Clone)]
enum Kind {
    String { values: usize },
    Integer(i32),
    Long(i64),
    Boolean(bool),
    Double(f64),
    Strings,
    Objects,
    Object,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (0usize..4).prop_map(|values| Kind::String { values }),
        any::<i32>().prop_map(Kind::Integer),
        any::<i64>().prop_map(Kind::Long),
        any::<bool>().prop_map(Kind::Boolean),
        (-1.0e6f64..1.0e6).prop_map(Kind::Double),
        Just(Kind::Strings),
        Just(Kind::Objects),
        Just(Kind::Object),
    ]
}

/// A request parameter (`top`) or nested field, with an example that fits it.
fn field(
    name: &str,
    kind: &Kind,
    description: &str,
    example: &str,
    required: bool,
    top: bool,
) -> Value {
    let mut f = match kind {
        Kind::String { values: 0 } => json!({"type": "string", "example": example}),
        Kind::String { values } => {
            let values: Vec<Value> = (0..*values)
                .map(|i| json!({"value": format!("v{i}-{name}"), "description": description}))
                .collect();
            json!({"type": "string", "example": format!("v0-{name}"), "enum": values})
        }
        Kind::Integer(n) => json!({"type": "integer", "example": n}),
        Kind::Long(n) => json!({"type": "long", "example": n}),
        Kind::Boolean(b) => json!({"type": "boolean", "example": b}),
        Kind::Double(x) => json!({"type": "double", "example": x}),
        Kind::Strings => json!({
            "type": "array",
            "items": {"type": "string", "description": description, "example": example}
        }),
        Kind::Objects => json!({
            "type": "array",
            "items": {
                "type": "object", "type_name": format!("{name}Item"), "description": description,
                "fields": [{"name": "Key", "type": "string", "required": true, "description": description, "example": example}]
            }
        }),
        Kind::Object => json!({
            "type": "object", "type_name": format!("{name}Shape"),
            "fields": [{"name": "Value", "type": "integer", "required": false, "description": description, "example": 1}]
        }),
    };
    f["name"] = json!(name);
    f["description"] = json!(description);
    f["required"] = json!(required);
    if top {
        f["location"] = json!("query");
        if matches!(kind, Kind::Strings | Kind::Objects | Kind::Object) {
            f["encoding"] = json!("flat");
        }
    }
    f
}

#[derive(Debug, Clone)]
struct SpecCase {
    operation: String,
    summary: String,
    params: Vec<(String, Kind, String, String, bool)>,
    errors: Vec<(u16, String, String)>,
    response_description: String,
}

fn spec_case() -> impl Strategy<Value = SpecCase> {
    let param = (suffix(), kind(), prose(), any::<String>(), any::<bool>());
    let error = (400u16..600, suffix(), prose());
    (
        "[A-Z][a-z]{0,8}",
        prose(),
        prop::collection::vec(param, 0..7),
        prop::collection::vec(error, 0..4),
        prose(),
    )
        .prop_map(
            |(op, summary, params, errors, response_description)| SpecCase {
                operation: format!("Op{op}"),
                summary,
                params: params
                    .into_iter()
                    .enumerate()
                    .map(|(i, (s, k, d, e, r))| (format!("Field{i}{s}"), k, d, e, r))
                    .collect(),
                errors: errors
                    .into_iter()
                    .enumerate()
                    .map(|(i, (status, s, message))| (status, format!("Err.{i}{s}"), message))
                    .collect(),
                response_description,
            },
        )
}

fn spec_json(case: &SpecCase) -> Value {
    let params: Vec<Value> = case
        .params
        .iter()
        .map(|(name, kind, description, example, required)| {
            field(name, kind, description, example, *required, true)
        })
        .collect();
    let errors: Vec<Value> = case
        .errors
        .iter()
        .map(|(status, code, message)| json!({"http_status": status, "code": code, "message": message}))
        .collect();
    json!({
        "product": {"code": "Prop", "module": "prop"},
        "operation": case.operation,
        "api_version": "2024-01-01",
        "style": "RPC",
        "http": {"method": "POST", "path": "/"},
        "endpoint": {"rule": "regional", "host": "prop.{region}.aliyuncs.com"},
        "source": {"page": "generated.txt", "layout": "pipe_table"},
        "summary": case.summary,
        "authorization": [{
            "action": "prop:Op", "access_level": "read",
            "resource_types": [{"name": "All Resources", "required": true}],
            "condition_keys": [], "dependent_actions": []
        }],
        "request": {"parameters": params, "constraints": []},
        "response": {
            "description": case.response_description,
            "fields": [{"name": "RequestId", "type": "string", "description": case.response_description, "example": "r"}],
            "example": {"RequestId": "r"}
        },
        "errors": errors,
        "notes": []
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_valid_specs_generate_parseable_identical_code(case in spec_case()) {
        let spec = spec_json(&case);
        let file = SpecFile::new(
            format!("specs/prop/{}.json", case.operation),
            serde_json::to_vec_pretty(&spec).unwrap(),
        );
        let catalog = codegen::Catalog::load("specs", std::slice::from_ref(&file));
        let catalog = match catalog {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("a valid spec was refused:\n{e}"))),
        };
        let first = codegen::generate(&catalog).unwrap();
        for (path, text) in &first {
            if let Err(e) = syn::parse_file(text) {
                return Err(TestCaseError::fail(format!("{path} does not parse: {e}\n{text}")));
            }
        }
        let again = codegen::generate(&codegen::Catalog::load("specs", &[file]).unwrap()).unwrap();
        prop_assert_eq!(first, again);
    }

    #[test]
    fn arbitrary_bytes_never_crash_spec_loading(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let file = SpecFile::new("specs/prop/OpX.json", bytes);
        // Either a catalog or a report; reaching this line is the property.
        let _ = codegen::Catalog::load("specs", &[file]).map(|_| ());
    }
}

// ---- RPC query encoding ----

proptest! {
    #[test]
    fn query_pairs_round_trip_whatever_their_text_and_order(
        pairs in prop::collection::vec((".+", ".*"), 0..20),
        rotation in 0usize..20,
    ) {
        let parts = WireParts { query: pairs.clone(), ..WireParts::default() };
        let query = parts.query_string();
        let mut expected = pairs.clone();
        expected.sort();
        prop_assert_eq!(tests::decode_query(&query), expected);
        // The signer takes it as it is, and re-encodes any other spelling to it.
        prop_assert_eq!(generated_sdk::runtime::signing::canonical_query_of(Some(&query)), query.clone());
        let respelled = query.replace("%20", "+").replace("~", "%7E");
        if !respelled.contains('+') {
            prop_assert_eq!(generated_sdk::runtime::signing::canonical_query_of(Some(&respelled)), query.clone());
        }
        // Only RFC 3986 unreserved characters and escapes remain.
        prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%&=".contains(&b)));
        let mut rotated = pairs;
        if !rotated.is_empty() {
            let by = rotation % rotated.len();
            rotated.rotate_left(by);
            rotated.reverse();
        }
        prop_assert_eq!(WireParts { query: rotated, ..WireParts::default() }.query_string(), query);
    }

    #[test]
    fn nested_arrays_flatten_one_based_and_read_back(
        items in prop::collection::vec((".+", ".+"), 1..=100),
    ) {
        let request = CreateInstanceRequest::builder()
            .product_code("rds")
            .subscription_type(SubscriptionType::PayAsYouGo)
            .parameter(items.iter().map(|(c, v)| ModuleParameter::builder().code(c.as_str()).value(v.as_str()).build()))
            .build()
            .unwrap();
        let parts = encode(&request).unwrap();
        for (i, (code, value)) in items.iter().enumerate() {
            let n = i + 1;
            let code_pair = (format!("Parameter.{n}.Code"), code.clone());
            let value_pair = (format!("Parameter.{n}.Value"), value.clone());
            prop_assert!(parts.query.contains(&code_pair), "missing {:?}", code_pair);
            prop_assert!(parts.query.contains(&value_pair), "missing {:?}", value_pair);
        }
        let mut expected = parts.query.clone();
        expected.sort();
        prop_assert_eq!(tests::decode_query(&parts.query_string()), expected);
    }
}

// ---- Response parsing ----

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| json!(x)),
        ".*".prop_map(Value::String),
        prop_oneof![Just("Success"), Just("Data"), Just("Code"), Just("OrderId")]
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let key = prop_oneof![
            Just("Success".to_owned()),
            Just("Data".to_owned()),
            Just("Code".to_owned()),
            Just("OrderId".to_owned()),
            Just("RequestId".to_owned()),
            ".*".prop_map(|s: String| s),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Whatever came back is an answer: a response, a redirect error (3xx, never followed), a
/// service error or a decode error that names the operation and where reading failed.
fn check_outcome<R: Operation>(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    match parse_response::<R>(status, body) {
        Ok(_) => prop_assert!((200..300).contains(&status)),
        Err(Error::Redirect(e)) => {
            prop_assert!((300..400).contains(&status));
            prop_assert_eq!(e.status, status);
            prop_assert_eq!(e.action, R::SPEC.action);
        }
        Err(Error::Service(e)) => {
            prop_assert!(!(300..400).contains(&status));
            prop_assert_eq!(e.status, status);
            prop_assert_eq!(e.action, R::SPEC.action);
        }
        Err(Error::Decode(e)) => {
            prop_assert!((200..300).contains(&status));
            prop_assert_eq!(e.action, R::SPEC.action);
            prop_assert!(!e.path.is_empty());
            prop_assert!(e.to_string().starts_with(R::SPEC.action));
        }
        Err(other) => prop_assert!(false, "unexpected error kind: {}", other),
    }
    Ok(())
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_response_parsing(
        status in prop_oneof![Just(200u16), Just(400u16), 100u16..600],
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check_outcome::<CreateInstanceRequest>(status, &body)?;
        check_outcome::<generated_sdk::aiworkspace::CreateProductOrdersRequest>(status, &body)?;
    }

    #[test]
    fn arbitrary_json_never_panics_response_parsing(
        status in prop_oneof![Just(200u16), 100u16..600],
        value in json_value(),
    ) {
        let body = serde_json::to_vec(&value).unwrap();
        check_outcome::<CreateInstanceRequest>(status, &body)?;
        check_outcome::<generated_sdk::ice::CreateIpcOrderRequest>(status, &body)?;
        check_outcome::<generated_sdk::aiworkspace::CreateProductOrdersRequest>(status, &body)?;
        check_outcome::<generated_sdk::vpcipam::OpenVpcIpamServiceRequest>(status, &body)?;
    }
}
