//! The ApiDocs copy: `<product>__<version>.json`, one product version per file (`info`, `apis`,
//! `components.schemas`, `endpoints`).

use serde_json::{Map, Value};

use super::model::{Operation, Parameter, Product};

/// Reads one ApiDocs file. `source` is how specs will name it (`apidocs/ecs__2014-05-26.json`).
pub fn read(text: &str, source: &str) -> Result<Product, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("{source}: {e}"))?;
    let info = doc
        .get("info")
        .ok_or_else(|| format!("{source}: no `info` (not an ApiDocs file)"))?;
    // Some hosts carry stray whitespace (`aiworkspace.ap-northeast-1.aliyuncs.com\t`).
    let field = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_owned())
    };
    let code = field(info, "product").ok_or_else(|| format!("{source}: no `info.product`"))?;
    let version = field(info, "version").ok_or_else(|| format!("{source}: no `info.version`"))?;
    let style = field(info, "style").unwrap_or_default();
    let endpoints = doc
        .get("endpoints")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|e| Some((field(e, "regionId")?, field(e, "endpoint")?)))
                .collect()
        })
        .unwrap_or_default();
    let components = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // A product without operations holds `apis: []`.
    let operations = match doc.get("apis") {
        Some(Value::Object(apis)) => apis
            .iter()
            .map(|(name, api)| operation(name, api))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Product {
        code,
        version,
        style,
        name: None,
        source: source.to_owned(),
        endpoints,
        vpc_endpoints: Vec::new(),
        components,
        operations,
    })
}

fn operation(name: &str, api: &Value) -> Operation {
    let text = |key: &str| {
        api.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let strings = |key: &str| -> Vec<String> {
        api.get(key)
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .collect()
            })
            .unwrap_or_default()
    };
    // `security: [{"AK": []}, {"BearerToken": []}]`: any one of them.
    let security = api
        .get("security")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_object)
                .flat_map(Map::keys)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let parameters = api
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(parameter).collect())
        .unwrap_or_default();
    let response = api
        .pointer("/responses/200/schema")
        .filter(|s| s.is_object())
        .cloned();
    Operation {
        name: name.to_owned(),
        methods: strings("methods"),
        path: text("path"),
        deprecated: api.get("deprecated").and_then(Value::as_bool) == Some(true),
        security,
        summary: text("summary").or_else(|| text("title")),
        description: text("description"),
        operation_type: text("operationType"),
        parameters,
        response,
    }
}

fn parameter(p: &Value) -> Option<Parameter> {
    let name = p.get("name")?.as_str()?.to_owned();
    Some(Parameter {
        name,
        location: p.get("in")?.as_str()?.to_owned(),
        style: p.get("style").and_then(Value::as_str).map(str::to_owned),
        schema: p
            .get("schema")
            .cloned()
            .unwrap_or(Value::Object(Map::new())),
        description: None,
    })
}
