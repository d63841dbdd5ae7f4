//! aliyun-cli's copy: `products.json` (codes, versions, names, styles, endpoint maps, the
//! operations of each product) and `<product>/<Operation>.json` (parameters with a position, a
//! coarse type and sub-parameters). It states less than ApiDocs — no enums, bounds or formats,
//! no fields of a JSON body — and the reader keeps what it states: positions become locations,
//! `RepeatList` a flattened list, `Json` a value sent as JSON text, `Struct` an object.
//! Its `en-US/` twin holds the English descriptions, which [`descriptions`] reads for either
//! copy.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::model::{Operation, Parameter, Product};
use crate::XtaskError;

fn read_json(path: &Path) -> Result<Value, XtaskError> {
    let text = std::fs::read_to_string(path).map_err(|e| XtaskError::io("reading", path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| XtaskError::Command(format!("{}: not JSON: {e}", path.display())))
}

/// Every product of the copy in `dir` (the folder holding `products.json`).
pub fn read(dir: &Path) -> Result<Vec<Product>, XtaskError> {
    let index = read_json(&dir.join("products.json"))?;
    let products = index
        .get("products")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for p in &products {
        let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default();
        let code = text("code").to_owned();
        let folder = dir.join(code.to_ascii_lowercase());
        let restful = text("api_style") == "restful";
        let mut operations = Vec::new();
        for api in p
            .get("apis")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = api.as_str() else { continue };
            let path = folder.join(format!("{name}.json"));
            if !path.is_file() {
                continue;
            }
            operations.push(operation(&read_json(&path)?, restful));
        }
        let endpoints = endpoint_map(p, "regional_endpoints");
        let vpc_endpoints = endpoint_map(p, "regional_vpc_endpoints");
        out.push(Product {
            code: code.clone(),
            version: text("version").to_owned(),
            style: if restful { "ROA" } else { "RPC" }.to_owned(),
            name: p
                .pointer("/name/en")
                .and_then(Value::as_str)
                .map(str::to_owned),
            source: format!("aliyun-cli/{}", code.to_ascii_lowercase()),
            endpoints,
            vpc_endpoints,
            components: Map::new(),
            operations,
        });
    }
    Ok(out)
}

/// A region → host map of a product entry (`regional_endpoints`, `regional_vpc_endpoints`).
fn endpoint_map(product: &Value, key: &str) -> Vec<(String, String)> {
    product
        .get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(r, h)| Some((r.trim().to_owned(), h.as_str()?.trim().to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The VPC endpoints of every product of the index in `dir` (holding `products.json`), by
/// product code in lower case.
pub fn vpc_endpoints(
    dir: &Path,
) -> Result<std::collections::BTreeMap<String, Vec<(String, String)>>, XtaskError> {
    let index = read_json(&dir.join("products.json"))?;
    Ok(index
        .get("products")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let code = p.get("code")?.as_str()?.to_ascii_lowercase();
            Some((code, endpoint_map(p, "regional_vpc_endpoints")))
        })
        .collect())
}

fn operation(api: &Value, restful: bool) -> Operation {
    let text = |key: &str| api.get(key).and_then(Value::as_str).unwrap_or_default();
    let methods = text("method")
        .split('|')
        .filter(|m| !m.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // `/clusters/[ClusterId]` is `/clusters/{ClusterId}`.
    let path =
        Some(text("pathPattern").replace('[', "{").replace(']', "}")).filter(|p| !p.is_empty());
    let parameters = api
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(|p| parameter(p, restful)).collect())
        .unwrap_or_default();
    Operation {
        name: text("name").to_owned(),
        methods,
        path,
        deprecated: api.get("deprecated").and_then(Value::as_bool) == Some(true),
        security: vec!["AK".to_owned()],
        summary: None,
        description: None,
        operation_type: None,
        parameters,
        response: None,
    }
}

fn parameter(p: &Value, restful: bool) -> Parameter {
    let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or_default();
    let (schema, style) = schema(p);
    let location = match text("position") {
        "Query" => "query",
        // An RPC "Body" parameter is a form field; a ROA one is the JSON body.
        "Body" if restful => "body",
        "Body" | "FormData" => "formData",
        "Path" => "path",
        "Header" => "header",
        "Host" | "Domain" => "host",
        _ => "query",
    };
    Parameter {
        name: text("name").to_owned(),
        location: location.to_owned(),
        style,
        schema,
        description: p
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

/// The ApiDocs-style schema and style of one parameter or sub-parameter.
fn schema(p: &Value) -> (Value, Option<String>) {
    let required = p.get("required").and_then(Value::as_bool) == Some(true);
    let subs: Vec<&Value> = p
        .get("sub_parameters")
        .and_then(Value::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    let object = |subs: &[&Value]| {
        let properties: Map<String, Value> = subs
            .iter()
            .filter_map(|s| Some((s.get("name")?.as_str()?.to_owned(), schema(s).0)))
            .collect();
        json!({"type": "object", "properties": properties})
    };
    let (mut schema, style) = match p.get("type").and_then(Value::as_str).unwrap_or_default() {
        "Integer" => (json!({"type": "integer", "format": "int32"}), None),
        "Long" => (json!({"type": "integer", "format": "int64"}), None),
        "Boolean" => (json!({"type": "boolean"}), None),
        "Float" => (json!({"type": "number", "format": "float"}), None),
        "Double" => (json!({"type": "number", "format": "double"}), None),
        "RepeatList" if subs.is_empty() => (
            json!({"type": "array", "items": {"type": "string"}}),
            Some("repeatList"),
        ),
        "RepeatList" => (
            json!({"type": "array", "items": object(&subs)}),
            Some("repeatList"),
        ),
        "Array" => (
            json!({"type": "array", "items": {"type": "string"}}),
            Some("json"),
        ),
        "Struct" if subs.is_empty() => (json!({"type": "any"}), Some("json")),
        "Struct" => (object(&subs), Some("flat")),
        "Json" | "Any" => (json!({"type": "any"}), Some("json")),
        _ => (json!({"type": "string"}), None),
    };
    schema["required"] = json!(required);
    (schema, style.map(str::to_owned))
}

/// English descriptions by operation and top-level parameter, from an `en-US/` folder:
/// `<product>/<Operation>.json` with `parameters[].description`.
pub fn descriptions(en_us: &Path, product: &mut Product) {
    let folder = en_us.join(product.code.to_ascii_lowercase());
    if !folder.is_dir() {
        return;
    }
    for op in &mut product.operations {
        let Ok(doc) = read_json(&folder.join(format!("{}.json", op.name))) else {
            continue;
        };
        let described: Vec<(&str, &str)> = doc
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?,
                    p.get("description")?.as_str()?.trim(),
                ))
            })
            .filter(|(_, d)| !d.is_empty())
            .collect();
        for p in &mut op.parameters {
            if p.description.is_none()
                && let Some((_, d)) = described.iter().find(|(n, _)| *n == p.name)
            {
                p.description = Some((*d).to_owned());
            }
        }
    }
}
