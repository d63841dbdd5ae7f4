//! The Darabonba source laid over the metadata: each operation's response model, typed and
//! nested, becomes the JSON Schema of its response (the form the ApiDocs copy would have
//! held), request fields get the source's descriptions and examples where the metadata has
//! none, and operations get their summary and description. The converter then turns that
//! schema into spec fields exactly as it does the metadata's own, so one code path decides
//! names, types and examples.

use serde_json::{Map, Value, json};

use super::Source;
use super::ast::{ModelField, Module, TypeExpr};
use crate::meta::convert::BODY_KIND;
use crate::meta::model::Product;

/// `bodyType` of `OpenApi.Params` and the body it gives: a JSON object (or, when the model
/// is not one, another JSON value), a JSON value (`array`, `any`), text, bytes, nothing.
/// `xml` bodies are not read (OSS).
const BODY_KINDS: &[(&str, &str)] = &[
    ("json", "object"),
    ("array", "json"),
    ("any", "json"),
    ("string", "text"),
    ("binary", "binary"),
    ("byte", "binary"),
    ("none", "none"),
];

/// Prefix of the component names under which recursive models are stored.
const COMPONENT_PREFIX: &str = "Darabonba.";

/// What laying a source over a product did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// Operations whose response the source types (an object body).
    pub typed: usize,
    /// Operations whose response body is not an object (an array, text, bytes, nothing or
    /// any value): by `bodyType`, how many.
    pub other_bodies: Vec<(String, usize)>,
    /// Operations of the metadata the source does not have.
    pub missing: Vec<String>,
}

/// Lays `source` over `product`: responses, operation prose, request descriptions and
/// examples. What the metadata already states is kept.
pub fn apply(product: &mut Product, source: &Source) -> Overlay {
    let mut overlay = Overlay::default();
    let mut components = Map::new();
    for op in &mut product.operations {
        let Some(tea) = source.operations.get(&op.name) else {
            overlay.missing.push(op.name.clone());
            continue;
        };
        if op.summary.is_none() {
            op.summary.clone_from(&tea.summary);
        }
        if op.description.is_none() {
            op.description.clone_from(&tea.description);
        }
        if let Some(model) = tea
            .request_model
            .as_deref()
            .and_then(|m| source.module.model(m))
        {
            for p in &mut op.parameters {
                let Some(field) = model.fields.iter().find(|f| f.wire_name() == p.name) else {
                    continue;
                };
                if p.description.is_none()
                    && p.schema.get("description").is_none()
                    && let Some(d) = field.attr("description").filter(|d| !d.trim().is_empty())
                {
                    p.description = Some(d.trim().to_owned());
                }
                if let (Some(example), Some(obj)) =
                    (field.attr("example"), p.schema.as_object_mut())
                    && !obj.contains_key("example")
                    && !example.is_empty()
                {
                    obj.insert("example".to_owned(), json!(example));
                }
            }
        }
        if op.response.is_some() {
            continue;
        }
        let kind = BODY_KINDS
            .iter()
            .find(|(k, _)| *k == tea.params.body_type)
            .map(|(_, kind)| *kind);
        let body = tea.body_type(&source.module);
        match (kind, body) {
            (Some("object"), Some(ty)) => {
                let mut stack = Vec::new();
                let mut schema = schema(&source.module, ty, &mut stack, &mut components);
                no_bytes_in_json(&mut schema);
                if schema.get("properties").is_some() {
                    overlay.typed += 1;
                    op.response = Some(schema);
                } else if schema.get("type").is_some() || schema == json!({}) {
                    // `bodyType = 'json'` with a list, a map or any value: a JSON value.
                    overlay.typed += 1;
                    op.response = Some(json!({BODY_KIND: "json", "schema": schema}));
                } else {
                    count(&mut overlay.other_bodies, &tea.params.body_type);
                }
            }
            (Some("json"), Some(ty)) => {
                let mut stack = Vec::new();
                let mut schema = schema(&source.module, ty, &mut stack, &mut components);
                no_bytes_in_json(&mut schema);
                overlay.typed += 1;
                op.response = Some(json!({BODY_KIND: "json", "schema": schema}));
            }
            (Some(kind @ ("text" | "binary" | "none")), _) => {
                overlay.typed += 1;
                op.response = Some(json!({BODY_KIND: kind}));
            }
            _ => count(&mut overlay.other_bodies, &tea.params.body_type),
        }
    }
    for (k, mut v) in components {
        no_bytes_in_json(&mut v);
        product.components.entry(k).or_insert(v);
    }
    overlay
}

/// A `readable` or `bytes` element inside a JSON document cannot hold bytes: JSON carries
/// some value there, which is kept as it comes (`any`), with the element's prose.
fn no_bytes_in_json(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let bytes = map.get("type").and_then(Value::as_str) == Some("string")
                && map.get("format").and_then(Value::as_str) == Some("binary");
            if bytes {
                map.remove("type");
                map.remove("format");
                map.remove("example");
                return;
            }
            for v in map.values_mut() {
                no_bytes_in_json(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(no_bytes_in_json),
        _ => {}
    }
}

fn count(list: &mut Vec<(String, usize)>, key: &str) {
    let key = if key.is_empty() { "(unstated)" } else { key };
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, n)) => *n += 1,
        None => list.push((key.to_owned(), 1)),
    }
}

/// The JSON Schema of a Darabonba type. Named models are written inline; a model met inside
/// itself refers (`$ref`) to a component holding it, so recursion ends.
fn schema(
    module: &Module,
    ty: &TypeExpr,
    stack: &mut Vec<String>,
    components: &mut Map<String, Value>,
) -> Value {
    match ty {
        TypeExpr::Named(name) => match scalar(name) {
            Some(s) => s,
            None => match module.model(name) {
                Some(model) if stack.contains(name) => {
                    let key = format!("{COMPONENT_PREFIX}{name}");
                    if !components.contains_key(&key) {
                        // Reserve the key first: the model may refer to itself again.
                        components.insert(key.clone(), json!({"type": "object"}));
                        let fields = model.fields.clone();
                        let value = object(module, &fields, &mut Vec::new(), components);
                        components.insert(key.clone(), value);
                    }
                    json!({"$ref": format!("#/components/schemas/{key}")})
                }
                Some(model) => {
                    stack.push(name.clone());
                    let fields = model.fields.clone();
                    let value = object(module, &fields, stack, components);
                    stack.pop();
                    value
                }
                // A type of another module (`OpenApi.Config`) or an unknown name: any value.
                None => json!({}),
            },
        },
        TypeExpr::List(item) => {
            json!({"type": "array", "items": schema(module, item, stack, components)})
        }
        TypeExpr::Map(_, value) => json!({
            "type": "object",
            "additionalProperties": schema(module, value, stack, components),
        }),
        TypeExpr::Object(fields) => object(module, fields, stack, components),
    }
}

fn object(
    module: &Module,
    fields: &[ModelField],
    stack: &mut Vec<String>,
    components: &mut Map<String, Value>,
) -> Value {
    let mut props = Map::new();
    for f in fields {
        let mut s = schema(module, &f.ty, stack, components);
        if let Some(obj) = s.as_object_mut() {
            if let Some(d) = f
                .attr("description")
                .map(str::trim)
                .filter(|d| !d.is_empty())
            {
                obj.insert("description".to_owned(), json!(d));
            }
            if let Some(e) = f.attr("example").filter(|e| !e.is_empty()) {
                obj.insert("example".to_owned(), json!(e));
            }
            if f.flag("deprecated") {
                obj.insert("deprecated".to_owned(), json!(true));
            }
        }
        props.entry(f.wire_name().to_owned()).or_insert(s);
    }
    json!({"type": "object", "properties": props})
}

/// The schema of a Darabonba scalar type name, `None` for any other name.
fn scalar(name: &str) -> Option<Value> {
    Some(match name {
        "string" => json!({"type": "string"}),
        "int8" | "int16" | "int32" | "uint8" | "uint16" | "integer" => {
            json!({"type": "integer", "format": "int32"})
        }
        "uint32" | "int64" | "uint64" | "long" | "ulong" => {
            json!({"type": "integer", "format": "int64"})
        }
        "float" => json!({"type": "number", "format": "float"}),
        "double" | "number" => json!({"type": "number", "format": "double"}),
        "boolean" => json!({"type": "boolean"}),
        "readable" | "bytes" => json!({"type": "string", "format": "binary"}),
        "any" | "object" => json!({}),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::model::Operation;

    const TEA: &str = r"
model FooRequest {
  regionId?: string(name='RegionId', description='The region.', example='cn-hangzhou'),
}

model FooResponseBody = {
  items?: {
    item?: [ {
      id?: int32(name='Id', description='The ID.', example='7'),
      children?: [ Node ](name='Children'),
      tags?: map[string]any(name='Tags'),
    } ](name='Item')
  }(name='Items'),
  requestId?: string(name='RequestId'),
}

model Node {
  name?: string(name='Name'),
  children?: [ Node ](name='Children'),
}

model FooResponse = {
  headers?: map[string]string(name='headers'),
  statusCode?: int32(name='statusCode'),
  body?: FooResponseBody(name='body'),
}

/**
 * @summary Lists foos.
 *
 * @description Before you call it,
 * read this.
 */
async function fooWithOptions(request: FooRequest, runtime: Util.RuntimeOptions): FooResponse {
  var query = {};
  query['RegionId'] = request.regionId;
  var req = new OpenApi.OpenApiRequest{ query = OpenApiUtil.query(query) };
  var params = new OpenApi.Params{ action = 'Foo', version = '2020-01-01', pathname = '/', method = 'POST', authType = 'AK', style = 'RPC', reqBodyType = 'formData', bodyType = 'json' };
  return callApi(params, req, runtime);
}
";

    #[test]
    fn the_response_model_becomes_the_operations_response_schema() {
        let source = Source::read("foo-20200101", "tea/foo-20200101/main.tea", TEA);
        assert_eq!(source.problems, vec![]);
        let mut regional = op("Foo");
        regional.methods = vec!["post".into()];
        regional.path = None;
        regional.parameters = vec![crate::meta::model::Parameter {
            name: "RegionId".into(),
            location: "query".into(),
            style: None,
            schema: json!({"type": "string"}),
            description: None,
        }];
        let mut product = product("Foo", "2020-01-01", "RPC", vec![regional]);
        let overlay = apply(&mut product, &source);
        assert_eq!(overlay.typed, 1);
        let op = &product.operations[0];
        assert_eq!(op.summary.as_deref(), Some("Lists foos."));
        assert_eq!(
            op.description.as_deref(),
            Some("Before you call it,\nread this.")
        );
        assert_eq!(op.parameters[0].description.as_deref(), Some("The region."));
        assert_eq!(op.parameters[0].schema["example"], "cn-hangzhou");
        let response = op.response.as_ref().unwrap();
        let item = &response["properties"]["Items"]["properties"]["Item"]["items"];
        assert_eq!(item["properties"]["Id"]["format"], "int32");
        assert_eq!(item["properties"]["Id"]["example"], "7");
        assert_eq!(
            item["properties"]["Tags"]["additionalProperties"],
            json!({})
        );
        // `Node` inside `Node` refers to a component instead of recursing.
        let node = &item["properties"]["Children"]["items"];
        assert_eq!(node["properties"]["Name"]["type"], "string");
        assert_eq!(
            node["properties"]["Children"]["items"]["$ref"],
            "#/components/schemas/Darabonba.Node"
        );
        assert!(product.components.contains_key("Darabonba.Node"));
    }

    fn product(code: &str, version: &str, style: &str, operations: Vec<Operation>) -> Product {
        Product {
            code: code.into(),
            version: version.into(),
            style: style.into(),
            name: None,
            source: format!("apidocs/{code}.json"),
            endpoints: vec![],
            vpc_endpoints: vec![],
            components: Map::new(),
            operations,
        }
    }

    fn op(name: &str) -> Operation {
        Operation {
            name: name.into(),
            methods: vec!["get".into()],
            path: Some("/x".into()),
            deprecated: false,
            security: vec![],
            summary: None,
            description: None,
            operation_type: None,
            parameters: vec![],
            response: None,
        }
    }

    #[test]
    fn bodies_that_are_not_objects_get_their_kind_and_bytes_in_json_are_any_value() {
        let mut text = String::new();
        for (name, body, kind) in [
            (
                "Logs",
                "[ { when?: string(name='when'), raw?: readable(name='raw') } ]",
                "array",
            ),
            ("Script", "string", "string"),
            ("Blob", "readable", "binary"),
            ("Cancel", "any", "none"),
        ] {
            text.push_str(&format!(
                "model {name}Response = {{ headers?: map[string]string(name='headers'), body?: {body}(name='body') }}\n\
                 async function {lower}WithOptions(runtime: Util.RuntimeOptions): {name}Response {{\n\
                 var params = new OpenApi.Params{{ action = '{name}', version = '2015-12-15', pathname = '/x', method = 'GET', authType = 'AK', style = 'ROA', reqBodyType = 'json', bodyType = '{kind}' }};\n\
                 return callApi(params, req, runtime);\n}}\n",
                lower = name.to_lowercase()
            ));
        }
        let source = Source::read("cs-20151215", "tea/cs-20151215/main.tea", &text);
        assert_eq!(source.problems, vec![]);
        let ops = ["Logs", "Script", "Blob", "Cancel"].map(op).to_vec();
        let mut product = product("CS", "2015-12-15", "ROA", ops);
        let overlay = apply(&mut product, &source);
        assert_eq!(overlay.typed, 4);
        let kinds: Vec<&str> = product
            .operations
            .iter()
            .map(|o| o.response.as_ref().unwrap()[BODY_KIND].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["json", "text", "binary", "none"]);
        let logs = &product.operations[0].response.as_ref().unwrap()["schema"];
        assert_eq!(logs["items"]["properties"]["when"]["type"], "string");
        // `readable` inside a JSON document holds some JSON value, not bytes.
        assert_eq!(logs["items"]["properties"]["raw"], json!({}));
    }
}
