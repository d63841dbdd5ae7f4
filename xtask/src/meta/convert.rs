//! One operation of the metadata → one spec, or the reason it cannot be one.
//!
//! What the metadata states (names, locations, encodings, types, formats, required flags,
//! enums, bounds, nesting, endpoints, authentication, whether the operation only reads) is
//! carried over; where the spec format needs a decision the metadata does not make (a Rust
//! name for a value with no letters, a type name two fields would share), the converter makes
//! it deterministically. Every fact the format cannot hold becomes a note on the spec, never a
//! silent loss. Operations whose wire this project does not speak are refused by [`Refusal`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use codegen::names;
use codegen::spec::{
    AccessLevel, Auth, BodyKind, Constraint, Encoding, Endpoint, EnumValue, Field, FieldType, Http,
    Location, Method, Note, PageLayout, Product as SpecProduct, Request, Response, Source, Spec,
    Style,
};
use serde_json::{Map, Value, json};

use super::model::{Operation, Parameter, Product};

/// Why an operation gets no spec. Each names what the project does not do, so that the count
/// of refusals by reason tells what support would bring.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Refusal {
    /// A style with its own signing and wire (`OSS`, `AliGenie`).
    Style(String),
    /// A product served through a gateway with its own signature (`Sls`, `PDS`).
    Gateway(String),
    /// No authentication scheme the runtime signs with (AK or anonymous).
    Auth(String),
    /// A method other than GET, POST, PUT, DELETE, PATCH.
    Method(String),
    /// An XML request body.
    XmlBody,
    /// A body encoding the metadata names but the project does not implement.
    BodyStyle(String),
    /// An RPC operation whose parameters include a JSON body.
    RpcJsonBody,
    /// A file upload inside a form body (multipart).
    FormFile,
    /// Several parameters claim the whole body.
    SeveralBodies,
    /// The operation's name cannot name a Rust module and types.
    OperationName(String),
    /// A ROA operation without a path.
    NoPath,
    /// A path the caller supplies whole (`/api/v1/providers/{provider}/.../*`).
    WildcardPath,
    /// The converted spec does not validate: a gap in this converter.
    Invalid(String),
}

impl Refusal {
    /// The reason without its details, to count refusals by.
    pub fn reason(&self) -> String {
        match self {
            Self::Style(s) => format!("style `{s}` (own signing and wire)"),
            Self::Gateway(p) => format!("product `{p}` (signed by its own gateway)"),
            Self::Auth(_) => "no AK or anonymous authentication".to_owned(),
            Self::Method(m) => format!("HTTP method {m}"),
            Self::XmlBody => "XML request body".to_owned(),
            Self::BodyStyle(s) => format!("body style `{s}`"),
            Self::RpcJsonBody => "RPC operation with a JSON body".to_owned(),
            Self::FormFile => "file in a form body (multipart)".to_owned(),
            Self::SeveralBodies => "several whole-body parameters".to_owned(),
            Self::OperationName(_) => "operation name not usable in Rust".to_owned(),
            Self::NoPath => "ROA operation without a path".to_owned(),
            Self::WildcardPath => "path supplied whole by the caller".to_owned(),
            Self::Invalid(_) => "converted spec does not validate (converter gap)".to_owned(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Style(s) => write!(
                f,
                "style `{s}` has its own signing and wire, which this project does not implement"
            ),
            Self::Gateway(p) => write!(
                f,
                "product `{p}` is signed by its own gateway (not ACS3), which this project does not implement"
            ),
            Self::Auth(schemes) => write!(
                f,
                "authentication by {schemes} only; the runtime signs with an AccessKey or sends anonymously"
            ),
            Self::Method(m) => write!(f, "HTTP method {m} is not supported"),
            Self::XmlBody => write!(
                f,
                "the request body is XML, which the runtime does not write"
            ),
            Self::BodyStyle(s) => write!(f, "a body of style `{s}` is not supported"),
            Self::RpcJsonBody => write!(f, "an RPC operation with a JSON body is not supported"),
            Self::FormFile => write!(f, "a file inside a form body (multipart) is not supported"),
            Self::SeveralBodies => write!(f, "several parameters claim the whole request body"),
            Self::OperationName(n) => write!(
                f,
                "`{n}` cannot name a Rust module and types (ASCII letters and digits, starting upper case)"
            ),
            Self::NoPath => write!(f, "a ROA operation without a path"),
            Self::WildcardPath => write!(
                f,
                "the caller supplies the whole path (a `*` in the metadata's path), which the spec format cannot state"
            ),
            Self::Invalid(report) => write!(f, "the converted spec does not validate:\n{report}"),
        }
    }
}

/// Products served through a gateway of their own, whose official SDKs sign differently.
const GATEWAY_PRODUCTS: &[&str] = &["Sls", "PDS"];
/// Styles with their own signing and wire.
const FOREIGN_STYLES: &[&str] = &["OSS", "AliGenie"];

/// The Rust module and cargo feature of a product code: lower case, `_` for other characters.
pub fn module_name(code: &str) -> String {
    let mut module = names::lower_ascii_or_underscore(code);
    if module.starts_with(|c: char| c.is_ascii_digit()) {
        module.insert(0, 'p');
    }
    // The SDK's own modules and features, and Rust keywords.
    if ["catalog", "client", "default", "mock", "runtime"].contains(&module.as_str())
        || names::is_keyword(&module)
    {
        module.push_str("_api");
    }
    module
}

/// Converts operation `op` of `product`; `endpoint` is the product's, decided once.
pub fn convert(product: &Product, op: &Operation, endpoint: &Endpoint) -> Result<Spec, Refusal> {
    if FOREIGN_STYLES.contains(&product.style.as_str()) {
        return Err(Refusal::Style(product.style.clone()));
    }
    if GATEWAY_PRODUCTS.contains(&product.code.as_str())
        || GATEWAY_PRODUCTS.contains(&product.style.as_str())
    {
        return Err(Refusal::Gateway(product.code.clone()));
    }
    let name_ok = op.name.starts_with(|c: char| c.is_ascii_uppercase())
        && op.name.chars().all(|c| c.is_ascii_alphanumeric())
        && op.name != "New";
    if !name_ok {
        return Err(Refusal::OperationName(op.name.clone()));
    }
    let auth = if op.security.is_empty() || op.security.iter().any(|s| s == "AK") {
        Auth::Ak
    } else if op
        .security
        .iter()
        // `ARS_OIDC`: STS `AssumeRoleWithOIDC`, authenticated by the OIDC token it carries.
        .any(|s| s == "Anonymous" || s == "ARS_OIDC")
    {
        Auth::Anonymous
    } else {
        return Err(Refusal::Auth(op.security.join(", ")));
    };
    // The official SDKs send POST wherever it is allowed, else the first method listed.
    let method_name = if op.methods.iter().any(|m| m == "post") {
        "post"
    } else {
        op.methods.first().map_or("post", String::as_str)
    };
    let method = match method_name {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "delete" => Method::Delete,
        "patch" => Method::Patch,
        other => return Err(Refusal::Method(other.to_ascii_uppercase())),
    };
    // Some paths name their segments `[Name]` rather than `{Name}`.
    let given = op
        .path
        .as_deref()
        .map(|p| p.replace('[', "{").replace(']', "}"));
    let style = match product.style.as_str() {
        "RPC" => Style::Rpc,
        // V3 operations at `/` are called like RPC ones; FC and V3 with a path like ROA.
        "V3" if given.as_deref().is_none_or(|p| p == "/") => Style::Rpc,
        _ => Style::Roa,
    };
    let mut path_note = None;
    let path = match (style, given) {
        (Style::Roa, None) => return Err(Refusal::NoPath),
        (Style::Roa, Some(p)) if p.contains('*') => return Err(Refusal::WildcardPath),
        (Style::Roa, Some(p)) => p,
        // The official SDKs send every RPC call to `/`, whatever path the metadata gives.
        (Style::Rpc, Some(p)) if p != "/" => {
            path_note = Some(format!(
                "The metadata gives the path `{p}`; RPC calls go to `/`, as the official SDKs send them."
            ));
            "/".to_owned()
        }
        (Style::Rpc, _) => "/".to_owned(),
    };

    let mut c = Converter {
        components: &product.components,
        types: BTreeSet::new(),
        notes: Vec::new(),
        constraints: Vec::new(),
    };
    for suffix in ["Request", "RequestBuilder", "Response"] {
        c.types.insert(format!("{}{suffix}", op.name));
    }
    c.types.insert("ErrorCode".to_owned());
    if let Some(text) = path_note {
        c.note("/http/path", text);
    }
    let parameters = c.parameters(op, style, method, &path)?;
    let request_constraints = std::mem::take(&mut c.constraints);
    let response = c.response(op);

    let mut notes = c.notes;
    if op.deprecated {
        notes.insert(
            0,
            Note {
                about: String::new(),
                text: "The official metadata marks this operation deprecated.".to_owned(),
            },
        );
    }
    let operation_type = match op.operation_type.as_deref() {
        Some("read") => Some(AccessLevel::Read),
        Some("list") => Some(AccessLevel::List),
        Some("get") => Some(AccessLevel::Get),
        Some("create") => Some(AccessLevel::Create),
        Some("update") => Some(AccessLevel::Update),
        Some("delete") => Some(AccessLevel::Delete),
        Some(_) => Some(AccessLevel::Write),
        None => {
            let (level, why) = classify(op);
            if let Some(why) = why {
                notes.push(Note {
                    about: "/operation_type".to_owned(),
                    text: why,
                });
            }
            level
        }
    };
    let spec = Spec {
        schema: Some(crate::meta::SCHEMA_REF.to_owned()),
        product: SpecProduct {
            code: product.code.clone(),
            name: product.name.clone(),
            module: module_name(&product.code),
        },
        operation: op.name.clone(),
        api_version: product.version.clone(),
        style,
        http: Http { method, path },
        endpoint: endpoint.clone(),
        source: Source {
            page: format!("{}#{}", product.source, op.name),
            title: None,
            last_updated: None,
            layout: PageLayout::Metadata,
        },
        summary: op.summary.clone(),
        description: op.description.clone(),
        auth,
        operation_type,
        authorization: Vec::new(),
        request: Request {
            parameters,
            constraints: request_constraints,
        },
        response,
        errors: Vec::new(),
        pagination: None,
        change_history: Vec::new(),
        notes,
    };
    Ok(spec)
}

struct Converter<'a> {
    components: &'a Map<String, Value>,
    /// Rust type names taken in this operation (structs and enums share one namespace).
    types: BTreeSet<String>,
    notes: Vec<Note>,
    /// Rules on the fields of the object being converted (drained by whoever holds them).
    constraints: Vec<Constraint>,
}

/// Which side a field is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl Converter<'_> {
    fn note(&mut self, about: &str, text: String) {
        self.notes.push(Note {
            about: about.to_owned(),
            text,
        });
    }

    fn parameters(
        &mut self,
        op: &Operation,
        style: Style,
        method: Method,
        path: &str,
    ) -> Result<Vec<Field>, Refusal> {
        let form = method != Method::Get && op.parameters.iter().any(|p| p.location == "formData");
        let bodies: Vec<&Parameter> = op
            .parameters
            .iter()
            .filter(|p| p.location == "body")
            .collect();
        if op
            .parameters
            .iter()
            .any(|p| p.style.as_deref() == Some("xml"))
        {
            return Err(Refusal::XmlBody);
        }
        if !bodies.is_empty() && style == Style::Rpc && !is_binary(&bodies[0].schema) {
            return Err(Refusal::RpcJsonBody);
        }
        if bodies.len() > 1 || (!bodies.is_empty() && form) {
            return Err(Refusal::SeveralBodies);
        }
        // Names the request's other parameters take: a JSON body's fields merge into the
        // request only when none of them is taken.
        let others: BTreeSet<&str> = op
            .parameters
            .iter()
            .filter(|p| p.location != "body")
            .map(|p| p.name.as_str())
            .collect();

        let mut out: Vec<Field> = Vec::new();
        let mut rust_names = RustNames::top();
        for (i, p) in op.parameters.iter().enumerate() {
            let at = format!("/request/parameters/{}", out.len());
            let schema = self.resolve(&p.schema);
            if p.location == "formData" && is_binary(&schema) {
                return Err(Refusal::FormFile);
            }
            if out
                .iter()
                .any(|f| f.name.as_deref() == Some(p.name.as_str()))
            {
                self.note(
                    "/request/parameters",
                    format!(
                        "The metadata lists `{}` twice (as {} parameter {i} too); only the first is kept.",
                        p.name, p.location
                    ),
                );
                continue;
            }
            let (mut f, rules) = self.field(
                &p.name,
                &p.name,
                &p.schema,
                Side::Request,
                &at,
                &mut Vec::new(),
            );
            if let Some(d) = &p.description {
                f.description = Some(d.clone());
            }
            f.rust_name = rust_names.claim(&p.name);
            f.required = Some(required(&schema));
            let (location, encoding) = match p.location.as_str() {
                "query" => (Location::Query, self.encoding(p, &f, &at)),
                // A GET has no body: the official SDKs send its form fields in the query.
                "formData" if method == Method::Get => {
                    self.note(&at, format!("The metadata places `{}` in a form body of an operation sent as GET, which has no body; it is sent in the query, as the official SDKs send it.", p.name));
                    (Location::Query, self.encoding(p, &f, &at))
                }
                "formData" => (Location::Form, self.encoding(p, &f, &at)),
                "path" if path.contains(&format!("{{{}}}", p.name)) => {
                    (Location::Path, one_value(&f))
                }
                "path" => {
                    self.note(&at, format!("The metadata places `{}` in the path, whose template `{path}` has no segment for it; it is sent in the query.", p.name));
                    (Location::Query, self.encoding(p, &f, &at))
                }
                "header" => (Location::Header, one_value(&f)),
                "host" => (Location::Host, one_value(&f)),
                "body" => {
                    let encoding = match p.style.as_deref() {
                        None | Some("json") => self.body_encoding(&mut f, &others),
                        Some(other) => return Err(Refusal::BodyStyle(other.to_owned())),
                    };
                    (Location::Body, Some(encoding))
                }
                other => {
                    self.note(&at, format!("The metadata places `{}` in `{other}`, which this format does not know; it is sent in the query.", p.name));
                    (Location::Query, self.encoding(p, &f, &at))
                }
            };
            f.location = Some(location);
            f.encoding = encoding;
            if location == Location::Path {
                // A path segment cannot be left out.
                f.required = Some(true);
            }
            self.constraints.extend(rules);
            out.push(f);
        }
        drop_dotted_duplicates(&mut out, &mut self.notes);
        // Rules about a parameter that was left out go with it.
        let kept: BTreeSet<String> = out.iter().filter_map(|f| f.name.clone()).collect();
        self.constraints
            .retain(|c| c.fields().iter().all(|n| kept.contains(*n)));
        Ok(out)
    }

    /// The encoding of a query or form parameter, from its `style`.
    fn encoding(&mut self, p: &Parameter, f: &Field, at: &str) -> Option<Encoding> {
        let scalar = f.ty.is_scalar();
        match p.style.as_deref() {
            Some("repeatList" | "flat") if !scalar && f.ty != FieldType::Any => {
                Some(Encoding::Flat)
            }
            Some("json")
                if f.ty != FieldType::Boolean
                    && !matches!(
                        f.ty,
                        FieldType::Integer | FieldType::Long | FieldType::Float | FieldType::Double
                    ) =>
            {
                Some(Encoding::Json)
            }
            Some("simple")
                if f.ty == FieldType::Array
                    && f.items.as_ref().is_some_and(|i| i.ty.is_scalar()) =>
            {
                Some(Encoding::Simple)
            }
            None => None,
            Some(style) => {
                // A style that does not fit the type: the type decides, and the spec says so.
                if !scalar {
                    self.note(
                        at,
                        format!(
                            "The metadata gives `{}` style `{style}`, which does not fit a {}; it is sent {}.",
                            p.name,
                            f.ty.as_str(),
                            if f.ty == FieldType::Any { "as JSON" } else { "flattened" }
                        ),
                    );
                }
                None
            }
        }
    }

    /// A whole-body parameter: an object's fields become the request's own (`json_body`)
    /// unless one of them is named like another parameter; anything else is the body itself.
    fn body_encoding(&mut self, f: &mut Field, others: &BTreeSet<&str>) -> Encoding {
        match f.ty {
            FieldType::Object if f.type_ref.is_none() => {
                let clash = f
                    .fields
                    .iter()
                    .flatten()
                    .any(|child| child.name.as_deref().is_some_and(|n| others.contains(n)));
                if clash {
                    Encoding::Json
                } else {
                    // The body's fields are the request's: no type of its own.
                    if let Some(name) = f.type_name.take() {
                        self.types.remove(&name);
                    }
                    Encoding::JsonBody
                }
            }
            FieldType::String | FieldType::Binary => Encoding::Plain,
            _ => Encoding::Json,
        }
    }

    /// Resolves `$ref` (once; nested references are resolved as they are met).
    fn resolve(&self, schema: &Value) -> Value {
        let Some(name) = reference(schema) else {
            return schema.clone();
        };
        let mut resolved = self
            .components
            .get(name)
            .cloned()
            .unwrap_or_else(|| json!({"type": "any"}));
        // What the referring schema states next to `$ref` (required, description) wins.
        if let (Some(target), Some(source)) = (resolved.as_object_mut(), schema.as_object()) {
            for (k, v) in source {
                if k != "$ref" {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
        resolved
    }

    /// One named field, and the rules the metadata states about it (its holder keeps them:
    /// the request for a parameter, the enclosing object for a field). `type_base` names the
    /// Rust types made for it. `stack` holds the `$ref` names being expanded and their type
    /// names, so that a schema met inside itself refers to the enclosing type.
    fn field(
        &mut self,
        name: &str,
        type_base: &str,
        schema: &Value,
        side: Side,
        at: &str,
        stack: &mut Vec<(String, String)>,
    ) -> (Field, Vec<Constraint>) {
        self.field_named(Some(name), type_base, schema, side, at, stack)
    }

    fn field_named(
        &mut self,
        name: Option<&str>,
        type_base: &str,
        schema: &Value,
        side: Side,
        at: &str,
        stack: &mut Vec<(String, String)>,
    ) -> (Field, Vec<Constraint>) {
        let reference = reference(schema).map(str::to_owned);
        if let Some(r) = &reference
            && let Some((_, type_name)) = stack.iter().find(|(n, _)| n == r)
        {
            let mut f = Field::new(name, FieldType::Object);
            f.type_ref = Some(type_name.clone());
            f.description = text(schema, "description");
            if side == Side::Request && name.is_some() {
                f.required = Some(required(schema));
            }
            return (f, Vec::new());
        }
        let schema = self.resolve(schema);
        let ty = field_type(&schema);
        let mut f = Field::new(name, ty);
        f.description = text(&schema, "description");
        if side == Side::Request && name.is_some() {
            f.required = Some(required(&schema));
        }
        match ty {
            FieldType::Object => {
                let type_name = self.type_name(type_base);
                if let Some(r) = &reference {
                    stack.push((r.clone(), type_name.clone()));
                }
                let mut children = Vec::new();
                let mut rust_names = RustNames::nested(side);
                let mut rules = Vec::new();
                let props = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                for (child_name, child_schema) in &props {
                    let child_at = format!("{at}/fields/{}", children.len());
                    let (mut child, child_rules) =
                        self.field(child_name, child_name, child_schema, side, &child_at, stack);
                    child.rust_name = rust_names.claim(child_name);
                    if side == Side::Request {
                        rules.extend(child_rules);
                    }
                    children.push(child);
                }
                if reference.is_some() {
                    stack.pop();
                }
                f.type_name = Some(type_name);
                f.fields = Some(children);
                f.constraints = rules;
                if schema
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
                {
                    self.note(at, format!("The metadata also allows keys besides the listed fields of `{type_base}`; they cannot be set."));
                }
            }
            FieldType::Map | FieldType::Array => {
                let (key, fallback, suffix) = if ty == FieldType::Map {
                    ("additionalProperties", json!({"type": "any"}), "Value")
                } else {
                    ("items", json!({"type": "string"}), "Item")
                };
                let inner = schema
                    .get(key)
                    .filter(|v| v.is_object())
                    .cloned()
                    .unwrap_or(fallback);
                let (item, _) = self.field_named(
                    None,
                    &format!("{type_base}{suffix}"),
                    &inner,
                    side,
                    &format!("{at}/items"),
                    stack,
                );
                f.items = Some(Box::new(item));
            }
            _ => {}
        }
        if ty.is_scalar() {
            self.scalar_facts(&mut f, &schema, type_base, at);
        }
        let rules = if side == Side::Request {
            self.rules(&f, &schema, type_base, at)
        } else {
            Vec::new()
        };
        (f, rules)
    }

    /// Example, default and enum of a single value, each kept only where it fits the type.
    fn scalar_facts(&mut self, f: &mut Field, schema: &Value, base: &str, at: &str) {
        let ty = f.ty;
        let values: Vec<Value> = match schema.get("enum").and_then(Value::as_array) {
            Some(list) => {
                let mut typed = Vec::new();
                for v in list {
                    match typed_value(v, ty) {
                        Some(t) if !typed.contains(&t) => typed.push(t),
                        Some(_) => {}
                        None => self.note(at, format!("The metadata lists {v} among the values of `{base}`, which is not a {}; it is left out.", ty.as_str())),
                    }
                }
                typed
            }
            None => Vec::new(),
        };
        let titles = schema.get("enumValueTitles").and_then(Value::as_object);
        let usable_enum = !values.is_empty()
            && matches!(ty, FieldType::String | FieldType::Integer | FieldType::Long);
        if !values.is_empty() && !usable_enum {
            let list: Vec<String> = values.iter().map(Value::to_string).collect();
            self.note(at, format!("The metadata lists the values {} for `{base}`, which this format enumerates for strings and integers only.", list.join(", ")));
        }
        if usable_enum {
            let mut variants = RustNames::variants();
            let enum_values = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    EnumValue {
                        value: v.clone(),
                        rust_name: variants.claim_variant(v, i),
                        description: titles
                            .and_then(|t| t.get(&text))
                            .and_then(Value::as_str)
                            .map(str::trim)
                            .filter(|s| !s.is_empty() && *s != text)
                            .map(str::to_owned),
                    }
                })
                .collect();
            f.enum_values = Some(enum_values);
            f.enum_name = Some(self.type_name(base));
        }
        for (key, slot) in [("example", 0), ("default", 1)] {
            let Some(raw) = schema.get(key) else { continue };
            let kept = typed_value(raw, ty).filter(|v| !usable_enum || values.contains(v));
            if raw.as_str().is_some_and(str::is_empty) {
                continue;
            }
            match kept {
                Some(v) if slot == 0 => f.example = Some(v),
                Some(v) => f.default = Some(v),
                None => self.note(at, format!("The metadata's {key} for `{base}`, {raw}, does not fit it (a {}{}); it is left out.", ty.as_str(), if usable_enum { " of the listed values" } else { "" })),
            }
        }
    }

    /// Bounds the metadata states, as rules named after the field.
    fn rules(&mut self, f: &Field, schema: &Value, base: &str, at: &str) -> Vec<Constraint> {
        let mut out = Vec::new();
        let Some(wire) = f.name.clone() else {
            // An array's item or a map's value: bounds on it cannot be named.
            let bounded = ["minimum", "maximum", "minLength", "maxLength", "pattern"]
                .iter()
                .any(|k| schema.get(k).is_some());
            if bounded {
                self.note(at, format!("The metadata bounds each item of `{base}`; this format states bounds on named fields only, so they are not checked."));
            }
            return out;
        };
        let number = |key: &str| -> Option<f64> {
            match schema.get(key)? {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        let flag = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
        let integral = matches!(f.ty, FieldType::Integer | FieldType::Long);
        match f.ty {
            FieldType::Integer | FieldType::Long | FieldType::Float | FieldType::Double => {
                let mut min = number("minimum");
                let mut max = number("maximum");
                for (bound, key, step) in [
                    (&mut min, "exclusiveMinimum", 1.0),
                    (&mut max, "exclusiveMaximum", -1.0),
                ] {
                    if flag(key)
                        && let Some(b) = bound.as_mut()
                    {
                        if integral {
                            *b += step;
                        } else {
                            self.note(at, format!("The metadata excludes the bound {b} of `{wire}`; it is checked inclusively."));
                        }
                    }
                }
                match (min, max) {
                    (Some(lo), Some(hi)) if lo > hi => self.note(at, format!("The metadata bounds `{wire}` by {lo} and {hi}, which leave no value; the bounds are not checked.")),
                    (None, None) => {}
                    (min, max) => out.push(Constraint::Range { field: wire.clone(), min, max }),
                }
            }
            _ => {}
        }
        let count = |key: &str| number(key).filter(|n| *n >= 0.0).map(|n| n as u64);
        match f.ty {
            FieldType::String => {
                let (min, max) = (count("minLength"), count("maxLength"));
                if min.is_some() || max.is_some() {
                    if min.zip(max).is_some_and(|(lo, hi)| lo > hi) {
                        self.note(at, format!("The metadata's length bounds of `{wire}` leave no value; they are not checked."));
                    } else {
                        out.push(Constraint::Length {
                            field: wire.clone(),
                            min,
                            max,
                        });
                    }
                }
            }
            FieldType::Array => {
                let (min, max) = (count("minItems"), count("maxItems"));
                if min.is_some() || max.is_some() {
                    if min.zip(max).is_some_and(|(lo, hi)| lo > hi) {
                        self.note(at, format!("The metadata's item-count bounds of `{wire}` leave no value; they are not checked."));
                    } else {
                        out.push(Constraint::ItemCount {
                            field: wire.clone(),
                            min,
                            max,
                        });
                    }
                }
            }
            _ => {}
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            let text = f.ty == FieldType::String;
            match regex_lite::Regex::new(pattern) {
                Ok(_) if text && !pattern.is_empty() => out.push(Constraint::Pattern {
                    field: wire.clone(),
                    pattern: pattern.to_owned(),
                }),
                Ok(_) if pattern.is_empty() => {}
                Ok(_) => self.note(at, format!("The metadata gives `{wire}`, a {}, the pattern `{pattern}`, which applies to text only; it is not checked.", f.ty.as_str())),
                Err(_) => self.note(at, format!("The metadata gives `{wire}` the pattern `{pattern}`, which Rust's regex syntax does not read; it is not checked.")),
            }
        }
        out
    }

    /// A Rust type name for `base`, distinct from every other in the operation (and from
    /// the builder a request-side struct gets).
    fn type_name(&mut self, base: &str) -> String {
        let derived = names::type_name(base, "T").unwrap_or_else(|_| "Value".to_owned());
        let mut name = derived.clone();
        let mut n = 2;
        while self.types.contains(&name) || self.types.contains(&format!("{name}Builder")) {
            name = format!("{derived}{n}");
            n += 1;
        }
        self.types.insert(format!("{name}Builder"));
        self.types.insert(name.clone());
        name
    }

    fn response(&mut self, op: &Operation) -> Response {
        let schema = op.response.clone();
        // A body that is not a JSON object: `{"x-body": kind, "schema": value}` (the
        // Darabonba overlay writes it so).
        if let Some(kind) = schema
            .as_ref()
            .and_then(|s| s.get(BODY_KIND))
            .and_then(Value::as_str)
        {
            let body = match kind {
                "json" => BodyKind::Json,
                "text" => BodyKind::Text,
                "binary" => BodyKind::Binary,
                _ => BodyKind::None,
            };
            let value = (body == BodyKind::Json).then(|| {
                let inner = schema
                    .as_ref()
                    .and_then(|s| s.get("schema"))
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                let base = format!("{}Body", op.name);
                let (f, _) = self.field_named(
                    None,
                    &base,
                    &inner,
                    Side::Response,
                    "/response/value",
                    &mut Vec::new(),
                );
                Box::new(f)
            });
            return Response {
                description: schema.as_ref().and_then(|s| text(s, "description")),
                fields: Vec::new(),
                open: false,
                example: None,
                body,
                value,
            };
        }
        let fields = match schema
            .as_ref()
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
        {
            Some(props) => {
                let mut rust_names = RustNames::nested(Side::Response);
                props
                    .iter()
                    .enumerate()
                    .map(|(i, (name, s))| {
                        let at = format!("/response/fields/{i}");
                        let (mut f, _) =
                            self.field(name, name, s, Side::Response, &at, &mut Vec::new());
                        f.rust_name = rust_names.claim(name);
                        f
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        if fields.is_empty() {
            let mut request_id = Field::new(Some("RequestId"), FieldType::String);
            request_id.description = Some("The ID of the request.".to_owned());
            Response {
                description: None,
                fields: vec![request_id],
                open: true,
                example: None,
                body: BodyKind::Object,
                value: None,
            }
        } else {
            // A model may lag the service: what it does not describe is kept as JSON.
            Response {
                description: schema.as_ref().and_then(|s| text(s, "description")),
                fields,
                open: true,
                example: None,
                body: BodyKind::Object,
                value: None,
            }
        }
    }
}

/// The key of a response schema that marks a body other than a JSON object (`json`, `text`,
/// `binary`, `none`), its value under `schema`.
pub const BODY_KIND: &str = "x-body";

/// Verbs that name an operation that only reads, and the access level each gives.
const READ_VERBS: &[(&str, AccessLevel)] = &[
    ("Describe", AccessLevel::Read),
    ("List", AccessLevel::List),
    ("Get", AccessLevel::Get),
    ("Query", AccessLevel::Read),
    ("Search", AccessLevel::Read),
    ("Count", AccessLevel::Read),
    ("Show", AccessLevel::Read),
];

/// Whether an operation the metadata gives no `operationType` only reads, and why: it is
/// served by GET alone (the metadata's methods), or its name starts with a reading verb
/// (`DescribeInstances`, `ListRoles`; the verb followed by an upper-case letter). `None`
/// where neither tells: the operation counts as one that changes something.
pub fn classify(op: &Operation) -> (Option<AccessLevel>, Option<String>) {
    let verb = READ_VERBS.iter().find(|(verb, _)| {
        op.name.strip_prefix(verb).is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    });
    if let Some((verb, level)) = verb {
        return (
            Some(*level),
            Some(format!(
                "The metadata gives no operation type; `{}` only reads, as its verb `{verb}` says, so the client may repeat it when a reply is lost.",
                op.name
            )),
        );
    }
    if !op.methods.is_empty() && op.methods.iter().all(|m| m == "get") {
        return (
            Some(AccessLevel::Read),
            Some(format!(
                "The metadata gives no operation type; `{}` is served by GET alone, so it counts as one that only reads.",
                op.name
            )),
        );
    }
    (None, None)
}

/// A path, header or host parameter carries one value: anything else as JSON text.
fn one_value(f: &Field) -> Option<Encoding> {
    (!f.ty.is_scalar()).then_some(Encoding::Json)
}

/// Dotted names beside a flattened parameter of the same stem. `Tag.1.Key` under a list
/// `Tag`, or `SystemDisk.Size` under an object `SystemDisk` that has a `Size` field, describe
/// the same wire twice: the structured parameter is kept. `SystemDisk.Size` beside an object
/// that lacks that field is the object's field the metadata lists apart: it joins the object
/// (flattened, it goes out as `SystemDisk.Size` still).
fn drop_dotted_duplicates(params: &mut Vec<Field>, notes: &mut Vec<Note>) {
    let flattened: Vec<String> = params
        .iter()
        .filter(|p| !p.ty.is_scalar())
        .filter_map(|p| p.name.clone())
        .collect();
    let mut joined: Vec<(String, Field)> = Vec::new();
    params.retain(|p| {
        let Some(name) = p.name.as_deref() else {
            return true;
        };
        let Some(stem) = flattened
            .iter()
            .find(|stem| name.starts_with(&format!("{stem}.")))
        else {
            return true;
        };
        joined.push((stem.clone(), p.clone()));
        false
    });
    for (stem, mut field) in joined {
        let name = field.name.clone().unwrap_or_default();
        let rest = name[stem.len() + 1..].to_owned();
        let Some(holder) = params
            .iter_mut()
            .find(|p| p.name.as_deref() == Some(stem.as_str()))
        else {
            continue;
        };
        let fits = holder.ty == FieldType::Object
            && holder.type_ref.is_none()
            && holder.encoding != Some(Encoding::Json)
            && !rest.contains('.')
            && names::field_name(&rest).is_ok();
        let taken = holder
            .fields
            .iter()
            .flatten()
            .any(|c| c.name.as_deref() == Some(rest.as_str()));
        if !fits || taken {
            notes.push(Note {
                about: "/request/parameters".to_owned(),
                text: format!("The metadata lists `{name}` beside `{stem}`, whose flattened form it is; `{stem}` is kept."),
            });
            continue;
        }
        let children = holder.fields.get_or_insert_with(Vec::new);
        let rust = names::field_name(&rest).ok();
        if rust.is_some_and(|r| {
            children.iter().any(|c| {
                c.rust_name.as_deref() == Some(r.as_str())
                    || c.name
                        .as_deref()
                        .and_then(|n| names::field_name(n).ok())
                        .as_deref()
                        == Some(r.as_str())
            })
        }) {
            notes.push(Note {
                about: "/request/parameters".to_owned(),
                text: format!("The metadata lists `{name}` beside `{stem}`, and its Rust name would clash with a field of `{stem}`; it is left out."),
            });
            continue;
        }
        field.name = Some(rest.clone());
        field.rust_name = None;
        field.location = None;
        field.encoding = None;
        field.idempotency_token = false;
        notes.push(Note {
            about: "/request/parameters".to_owned(),
            text: format!("The metadata lists `{name}` apart from the object `{stem}`, which has no field `{rest}`; it is that field, sent as `{name}` when `{stem}` is flattened."),
        });
        children.push(field);
    }
}

fn reference(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

fn text(schema: &Value, key: &str) -> Option<String> {
    schema
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn required(schema: &Value) -> bool {
    match schema.get("required") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

fn is_binary(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("format").and_then(Value::as_str) == Some("binary")
}

/// The spec type of a (resolved) schema.
fn field_type(schema: &Value) -> FieldType {
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("string") if format == Some("binary") => FieldType::Binary,
        Some("string") => FieldType::String,
        Some("integer") if format == Some("int64") => FieldType::Long,
        Some("integer") => FieldType::Integer,
        Some("number") if format == Some("float") => FieldType::Float,
        Some("number") => FieldType::Double,
        Some("boolean") => FieldType::Boolean,
        Some("array") => FieldType::Array,
        Some("object") => {
            let has_fields = schema
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty());
            if has_fields {
                FieldType::Object
            } else if schema
                .get("additionalProperties")
                .is_some_and(Value::is_object)
            {
                FieldType::Map
            } else {
                // A free-form object: any JSON value.
                FieldType::Any
            }
        }
        // `any`, or no type at all.
        _ => FieldType::Any,
    }
}

/// `v` as a value of `ty`, where it is one (`"12"` for an integer is 12).
fn typed_value(v: &Value, ty: FieldType) -> Option<Value> {
    match (ty, v) {
        (FieldType::String, Value::String(_)) => Some(v.clone()),
        (FieldType::String, Value::Number(n)) => Some(Value::String(n.to_string())),
        (FieldType::String, Value::Bool(b)) => Some(Value::String(b.to_string())),
        (FieldType::Integer, _) => {
            let n = integer(v)?;
            i32::try_from(n).ok().map(|n| json!(n))
        }
        (FieldType::Long, _) => integer(v).map(|n| json!(n)),
        (FieldType::Float | FieldType::Double, Value::Number(_)) => Some(v.clone()),
        (FieldType::Float | FieldType::Double, Value::String(s)) => {
            let x: f64 = s.trim().parse().ok()?;
            serde_json::Number::from_f64(x).map(Value::Number)
        }
        (FieldType::Boolean, Value::Bool(_)) => Some(v.clone()),
        (FieldType::Boolean, Value::String(s)) => match s.as_str() {
            "true" => Some(json!(true)),
            "false" => Some(json!(false)),
            _ => None,
        },
        _ => None,
    }
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Rust names among siblings: the derived name where it is free, an explicit one where it is
/// not (taken, reserved, or underivable).
struct RustNames {
    taken: BTreeMap<String, usize>,
    reserved: &'static [&'static str],
}

impl RustNames {
    fn top() -> Self {
        Self {
            taken: BTreeMap::new(),
            reserved: &["build", "builder", "validate"],
        }
    }

    fn nested(side: Side) -> Self {
        Self {
            taken: BTreeMap::new(),
            reserved: match side {
                Side::Request => &["build"],
                Side::Response => &["unlisted"],
            },
        }
    }

    fn variants() -> Self {
        Self {
            taken: BTreeMap::new(),
            reserved: &["Unknown"],
        }
    }

    /// The explicit Rust field name `wire` needs, if any.
    fn claim(&mut self, wire: &str) -> Option<String> {
        let derived = names::field_name(wire).ok();
        let base = derived.clone().unwrap_or_else(|| "field".to_owned());
        let mut name = base.clone();
        let mut n = 1;
        while self.reserved.contains(&name.as_str()) || self.taken.contains_key(&name) {
            n += 1;
            name = if self.reserved.contains(&base.as_str()) && n == 2 {
                format!("{base}_value")
            } else {
                format!("{base}_{n}")
            };
        }
        self.taken.insert(name.clone(), 1);
        (derived.as_deref() != Some(name.as_str())).then_some(name)
    }

    /// The explicit Rust variant name value `v` (the `i`th) needs, if any.
    fn claim_variant(&mut self, v: &Value, i: usize) -> Option<String> {
        let (derived, must_name) = match v {
            // The prefix lowering gives a value that starts with a digit.
            Value::String(s) => (names::type_name(s, "Value").ok(), false),
            Value::Number(n) => {
                let text = n.to_string();
                let name = match text.strip_prefix('-') {
                    Some(abs) => format!("Minus{abs}"),
                    None => format!("V{text}"),
                };
                (Some(name), true)
            }
            _ => (None, true),
        };
        let base = derived.clone().unwrap_or_else(|| format!("Value{i}"));
        let mut name = base.clone();
        let mut n = 1;
        while self.reserved.contains(&name.as_str()) || self.taken.contains_key(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.taken.insert(name.clone(), 1);
        (must_name || derived.as_deref() != Some(name.as_str())).then_some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, ty: FieldType, fields: Option<Vec<Field>>) -> Field {
        let mut f = Field::new(Some(name), ty);
        f.location = Some(Location::Query);
        f.fields = fields;
        if ty == FieldType::Array {
            f.items = Some(Box::new(Field::new(None, FieldType::Object)));
        }
        f
    }

    #[test]
    fn dotted_names_join_an_object_that_lacks_them_and_are_dropped_otherwise() {
        let mut params = vec![
            param(
                "SystemDisk",
                FieldType::Object,
                Some(vec![Field::new(Some("Encrypted"), FieldType::String)]),
            ),
            param("SystemDisk.Size", FieldType::String, None),
            param("SystemDisk.Encrypted", FieldType::String, None),
            param("DataDisk", FieldType::Array, None),
            param("DataDisk.1.Size", FieldType::Integer, None),
            param("Other.Thing", FieldType::String, None),
        ];
        let mut notes = Vec::new();
        drop_dotted_duplicates(&mut params, &mut notes);
        let names: Vec<&str> = params.iter().filter_map(|p| p.name.as_deref()).collect();
        assert_eq!(names, ["SystemDisk", "DataDisk", "Other.Thing"]);
        let disk: Vec<&str> = params[0]
            .fields
            .iter()
            .flatten()
            .filter_map(|f| f.name.as_deref())
            .collect();
        // `Size` joins the object, a nested field with no place of its own; `Encrypted` was
        // already there.
        assert_eq!(disk, ["Encrypted", "Size"]);
        assert_eq!(params[0].fields.as_ref().unwrap()[1].location, None);
        // A list keeps no fields of its own: its dotted form is dropped.
        assert!(params[1].fields.is_none());
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn operations_are_classified_by_type_verb_or_method() {
        let op = |name: &str, methods: &[&str]| Operation {
            name: name.to_owned(),
            methods: methods.iter().map(|m| (*m).to_owned()).collect(),
            path: None,
            deprecated: false,
            security: Vec::new(),
            summary: None,
            description: None,
            operation_type: None,
            parameters: Vec::new(),
            response: None,
        };
        assert_eq!(
            classify(&op("DescribeInstances", &["post"])).0,
            Some(AccessLevel::Read)
        );
        assert_eq!(
            classify(&op("ListRoles", &["post"])).0,
            Some(AccessLevel::List)
        );
        assert_eq!(
            classify(&op("GetRole", &["post"])).0,
            Some(AccessLevel::Get)
        );
        assert_eq!(classify(&op("Fetch", &["get"])).0, Some(AccessLevel::Read));
        // A verb must be a whole word; anything else is treated as a change.
        assert_eq!(classify(&op("Getaway", &["post"])).0, None);
        assert_eq!(classify(&op("RunInstances", &["post", "get"])).0, None);
    }
}
