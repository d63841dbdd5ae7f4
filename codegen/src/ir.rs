//! Lowering: a spec becomes the Rust-oriented model of one operation module.
//!
//! `lower` is the one place that decides an operation's Rust shape: every name (fields,
//! types, enums, variants, error variants, the module), the request's fields and rules with a
//! JSON body's merged in, where each parameter travels and how it is encoded, the idempotency
//! token, the success flag, whether the operation is read-only, and the example request.
//! Validation checks the lowered names for clashes (`validate.rs`); emission, the wire
//! records, the examples and `xtask diff` read this model, never the raw spec. (Progenitor's
//! `OperationParameter` and typify's `TypeSpace` play the same part.)
//!
//! The model owns its data and keeps, for each item, the JSON pointer of the spec part it came
//! from, so that a problem found on the model is reported where the spec says it.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Pointer};
use crate::names;
use crate::spec::{
    BodyKind, Condition, Constraint, Encoding, Endpoint, EnumValue, Field, FieldType, Location,
    Method, RamAction, Spec, Style,
};

/// The Rust type of a field (emission wraps every field in `Option`).
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`.
    String,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// A generated struct of the operation module, by name.
    Struct(String),
    /// A generated enum of the operation module; `int` when its wire values are integers.
    Enum {
        /// The enum's name.
        name: String,
        /// Whether its wire values are integers.
        int: bool,
    },
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A map from text keys to `T` (`BTreeMap<String, T>`).
    Map(Box<Ty>),
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// Bytes (the runtime's `Binary`).
    Binary,
    /// An enclosing struct of the operation module, by name: a recursive shape (boxed where it
    /// is not inside a list or map).
    Recursive(String),
}

/// Which side of the wire a struct is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Built by the caller and sent.
    Request,
    /// Received and read.
    Response,
}

/// Where a top-level request field travels and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Query, body, path or header.
    pub location: Location,
    /// The encoding the runtime applies (never absent: the default is decided here).
    pub encoding: Encoding,
}

/// One field of a generated struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldIr {
    /// The wire name.
    pub wire: String,
    /// The Rust field name.
    pub rust: String,
    /// Which spec key the Rust name comes from (`name` or `rust_name`), for reports.
    pub named_by: &'static str,
    /// The Rust type.
    pub ty: Ty,
    /// The type as the page states it.
    pub kind: FieldType,
    /// Whether the page marks it required (request side).
    pub required: bool,
    /// The page's description.
    pub description: Option<String>,
    /// The page's example value.
    pub example: Option<Value>,
    /// The default the page states.
    pub default: Option<Value>,
    /// The meanings of a boolean's values (documentation; booleans get no enum).
    pub meanings: Vec<EnumValue>,
    /// Whether the field is the idempotency token.
    pub idempotency_token: bool,
    /// Where a top-level request field travels; `None` elsewhere.
    pub placement: Option<Placement>,
    /// The JSON pointer of the field in its spec.
    pub at: String,
}

/// A generated struct: the request, the response, or a nested object.
#[derive(Debug, Clone, PartialEq)]
pub struct StructIr {
    /// The Rust type name.
    pub name: String,
    /// The page's description.
    pub description: Option<String>,
    /// Request or response side.
    pub side: Side,
    /// The fields, in page order.
    pub fields: Vec<FieldIr>,
    /// The rules the page states about the fields (a request's JSON body's rules included).
    pub rules: Vec<Constraint>,
    /// The JSON pointer of the object in its spec (`/request` for the request).
    pub at: String,
    /// Whether elements the fields do not list are kept (as JSON, in a field `unlisted`): an
    /// open response.
    pub open: bool,
}

impl StructIr {
    /// The field with wire name `wire`.
    pub fn field(&self, wire: &str) -> Option<&FieldIr> {
        self.fields.iter().find(|f| f.wire == wire)
    }
}

/// One documented value of a generated enum.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantIr {
    /// The Rust variant name.
    pub rust: String,
    /// The value as it travels.
    pub wire: Value,
    /// The value's meaning, where the spec states one.
    pub description: Option<String>,
    /// The JSON pointer of the value in its spec.
    pub at: String,
}

/// A generated enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumIr {
    /// The Rust type name.
    pub name: String,
    /// The page's description of the field it types.
    pub description: Option<String>,
    /// Whether the wire values are integers.
    pub int: bool,
    /// The documented values.
    pub variants: Vec<VariantIr>,
    /// The JSON pointer of the enumerated field in its spec.
    pub at: String,
}

/// One row of the error-code table, with its Rust variant.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorIr {
    /// The Rust variant of the operation's `ErrorCode`.
    pub variant: String,
    /// The HTTP status.
    pub http_status: u16,
    /// The code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The description.
    pub description: Option<String>,
    /// The JSON pointer of the row in its spec.
    pub at: String,
}

/// The product an operation belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductIr {
    /// The product code (`BssOpenApi`).
    pub code: String,
    /// The display name, where the page gives one.
    pub name: Option<String>,
    /// The Rust module and cargo feature.
    pub module: String,
}

/// One operation module, as it is generated.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationIr {
    /// The spec file, for the `@generated` header and reports.
    pub file: String,
    /// The product.
    pub product: ProductIr,
    /// The operation's name (`CreateInstance`), as `x-acs-action` sends it.
    pub operation: String,
    /// The Rust module name (`create_instance`).
    pub module: String,
    /// The API version.
    pub api_version: String,
    /// The page's summary, where there is one.
    pub summary: Option<String>,
    /// Further prose about the operation.
    pub description: Option<String>,
    /// The page the spec was transcribed from.
    pub source_page: String,
    /// RPC or ROA.
    pub style: Style,
    /// The HTTP method.
    pub method: Method,
    /// The HTTP path.
    pub path: String,
    /// How the endpoint is chosen.
    pub endpoint: Endpoint,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// Whether requests are sent unsigned (`auth: anonymous`).
    pub anonymous: bool,
    /// The wire name of the idempotency token, if the operation has one.
    pub idempotency_token: Option<String>,
    /// A boolean response field that reports failure in a 200 response (`Success`).
    pub success_field: Option<String>,
    /// The request struct: top-level parameters, a JSON body's fields in its place.
    pub request: StructIr,
    /// The response struct.
    pub response: StructIr,
    /// Nested structs, parent before children, request side first.
    pub structs: Vec<StructIr>,
    /// Enums, in order of appearance.
    pub enums: Vec<EnumIr>,
    /// The error-code table.
    pub errors: Vec<ErrorIr>,
    /// The RAM authorization table.
    pub authorization: Vec<RamAction>,
    /// The request made of the page's example values (wire names), keeping every stated rule.
    pub example_request: Value,
    /// The page's example success response.
    pub example_response: Option<Value>,
    /// What the response body is (a JSON object, another JSON value, text, bytes, nothing).
    pub response_body: BodyKind,
    /// How a list operation pages its results, when it does.
    pub pagination: Option<PaginationIr>,
}

/// A request field or response element a paginator reads or writes: the Rust field names
/// from the top of the request or response down to it, and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessIr {
    /// The Rust field names along the path (one for a request parameter).
    pub fields: Vec<String>,
    /// The wire path, as the spec gives it.
    pub wire: String,
    /// The element's type.
    pub ty: Ty,
}

/// How a paged operation's pages are asked for, with what each style reads.
#[derive(Debug, Clone, PartialEq)]
pub enum PagingIr {
    /// Token paging.
    Token {
        /// The request field that carries the token.
        input: AccessIr,
        /// The response element with the next token.
        output: AccessIr,
        /// The response element saying whether more pages follow.
        more: Option<AccessIr>,
    },
    /// Numbered paging.
    Number {
        /// The request field that carries the page number.
        number: AccessIr,
        /// The response element with the total count.
        total: Option<AccessIr>,
        /// The response element with the returned page's number.
        returned_number: Option<AccessIr>,
        /// The response element with the page size applied.
        returned_size: Option<AccessIr>,
    },
}

/// A paged operation's paging.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationIr {
    /// The style and its fields.
    pub paging: PagingIr,
    /// The request field that sets the page size.
    pub page_size: Option<AccessIr>,
    /// The response list of a page's items (its type is the list's).
    pub items: Option<AccessIr>,
}

impl OperationIr {
    /// The request type's name.
    pub fn request_name(&self) -> &str {
        &self.request.name
    }

    /// The response type's name.
    pub fn response_name(&self) -> &str {
        &self.response.name
    }

    /// The enum named `name`.
    pub fn enum_named(&self, name: &str) -> Option<&EnumIr> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The struct named `name` (request, response or nested).
    pub fn struct_named(&self, name: &str) -> Option<&StructIr> {
        [&self.request, &self.response]
            .into_iter()
            .chain(&self.structs)
            .find(|s| s.name == name)
    }

    /// Every top-level request parameter with where it travels, in page order (a JSON body's
    /// fields one by one): what the runtime's `OPERATION` record lists.
    pub fn params(&self) -> impl Iterator<Item = (&FieldIr, Placement)> {
        self.request
            .fields
            .iter()
            .filter_map(|f| f.placement.map(|p| (f, p)))
    }
}

/// Lowers one spec. Fails with every name that cannot be derived or is not a valid
/// identifier; clashes between derived names are found afterwards, on the model.
pub(crate) fn lower(file: &str, spec: &Spec) -> Result<OperationIr, Vec<Diagnostic>> {
    let mut l = Lowering {
        file,
        problems: Vec::new(),
        structs: Vec::new(),
        enums: Vec::new(),
    };
    let root = Pointer::root();
    let request = l.request(spec, &root.key("request"));
    let response_at = root.key("response");
    let response_fields = match spec.response.body {
        BodyKind::Object => spec
            .response
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| l.field(f, &response_at.key("fields").index(i), Side::Response))
            .collect(),
        // Any other body is one field, `body`, holding it.
        kind => {
            let mut value = match (kind, &spec.response.value) {
                (BodyKind::Json, Some(v)) => (**v).clone(),
                (BodyKind::Text, _) => Field::new(None, FieldType::String),
                (BodyKind::Binary, _) => Field::new(None, FieldType::Binary),
                _ => Field::new(None, FieldType::Any),
            };
            value.name = Some("body".to_owned());
            value.description = Some(
                match kind {
                    BodyKind::Json => "The response body: JSON, not an object of elements.",
                    BodyKind::Text => "The response body: text.",
                    BodyKind::Binary => "The response body: bytes.",
                    _ => "",
                }
                .to_owned(),
            );
            if kind == BodyKind::None {
                Vec::new()
            } else {
                vec![l.field(&value, &response_at.key("value"), Side::Response)]
            }
        }
    };
    let response = StructIr {
        name: format!("{}Response", spec.operation),
        description: spec.response.description.clone(),
        side: Side::Response,
        fields: response_fields,
        rules: Vec::new(),
        at: response_at.to_string(),
        open: spec.response.open,
    };
    let errors = l.errors(spec, &root.key("errors"));
    let module = match names::field_name(&spec.operation) {
        Ok(module) => module,
        Err(e) => {
            l.problem(&root.key("operation"), e.to_string());
            String::new()
        }
    };
    let idempotency_token = request
        .fields
        .iter()
        .find(|f| f.idempotency_token)
        .map(|f| f.wire.clone());
    let success_field = response
        .fields
        .iter()
        .find(|f| f.wire == "Success" && f.kind == FieldType::Boolean)
        .map(|f| f.wire.clone());
    let example_request = crate::example::example_request(spec);
    if !l.problems.is_empty() {
        return Err(l.problems);
    }
    let pagination = match &spec.pagination {
        Some(p) => {
            let types = Types {
                request: &request,
                response: &response,
                structs: &l.structs,
            };
            match pagination(p, &types) {
                Ok(p) => Some(p),
                Err(problems) => {
                    let at = root.key("pagination");
                    return Err(problems
                        .into_iter()
                        .map(|(key, message)| Diagnostic::at(file, at.key(key).as_str(), message))
                        .collect());
                }
            }
        }
        None => None,
    };
    Ok(OperationIr {
        file: file.to_owned(),
        product: ProductIr {
            code: spec.product.code.clone(),
            name: spec.product.name.clone(),
            module: spec.product.module.clone(),
        },
        operation: spec.operation.clone(),
        module,
        api_version: spec.api_version.clone(),
        summary: spec.summary.clone(),
        description: spec.description.clone(),
        source_page: spec.source.page.clone(),
        style: spec.style,
        method: spec.http.method,
        path: spec.http.path.clone(),
        endpoint: spec.endpoint.clone(),
        read_only: spec.is_read_only(),
        anonymous: spec.auth == crate::spec::Auth::Anonymous,
        idempotency_token,
        success_field,
        request,
        response,
        structs: l.structs,
        enums: l.enums,
        errors,
        authorization: spec.authorization.clone(),
        example_request,
        example_response: spec.response.example.clone(),
        response_body: spec.response.body,
        pagination,
    })
}

/// The request, response and nested structs of an operation being lowered.
struct Types<'a> {
    request: &'a StructIr,
    response: &'a StructIr,
    structs: &'a [StructIr],
}

impl Types<'_> {
    fn named(&self, name: &str) -> Option<&StructIr> {
        [self.request, self.response]
            .into_iter()
            .chain(self.structs)
            .find(|s| s.name == name)
    }

    /// The request field `wire` (a top-level parameter or a JSON body's field).
    fn request_field(&self, wire: &str) -> Result<AccessIr, String> {
        match self.request.field(wire) {
            Some(f) => Ok(AccessIr {
                fields: vec![f.rust.clone()],
                wire: wire.to_owned(),
                ty: f.ty.clone(),
            }),
            None => Err(format!("the request has no parameter `{wire}`")),
        }
    }

    /// The response element at the dotted wire path `path`, through nested objects.
    fn response_element(&self, path: &str) -> Result<AccessIr, String> {
        let mut at = self.response;
        let mut fields = Vec::new();
        let mut walked = Vec::new();
        let segments: Vec<&str> = path.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let Some(f) = at.field(segment) else {
                return Err(if walked.is_empty() {
                    format!("the response has no element `{segment}`")
                } else {
                    format!(
                        "`{}` in the response has no element `{segment}`",
                        walked.join(".")
                    )
                });
            };
            fields.push(f.rust.clone());
            walked.push(*segment);
            if i + 1 == segments.len() {
                return Ok(AccessIr {
                    fields,
                    wire: path.to_owned(),
                    ty: f.ty.clone(),
                });
            }
            at = match &f.ty {
                Ty::Struct(name) | Ty::Recursive(name) => match self.named(name) {
                    Some(s) => s,
                    None => return Err(format!("`{}` has no generated type", walked.join("."))),
                },
                _ => {
                    return Err(format!(
                        "`{}` in the response is not an object, so `{path}` cannot be inside it",
                        walked.join(".")
                    ));
                }
            };
        }
        Err("the path is empty".to_owned())
    }
}

/// Checks that `access` has one of the types `wanted` (described as `what`).
fn typed(
    access: Result<AccessIr, String>,
    what: &str,
    wanted: fn(&Ty) -> bool,
) -> Result<AccessIr, String> {
    let access = access?;
    if wanted(&access.ty) {
        Ok(access)
    } else {
        Err(format!("`{}` must be {what}", access.wire))
    }
}

fn is_text(ty: &Ty) -> bool {
    *ty == Ty::String
}

fn is_integer(ty: &Ty) -> bool {
    matches!(ty, Ty::I32 | Ty::I64)
}

/// Counts arrive as integers or, from some services, as text.
fn is_count(ty: &Ty) -> bool {
    matches!(ty, Ty::I32 | Ty::I64 | Ty::String)
}

fn is_bool(ty: &Ty) -> bool {
    *ty == Ty::Bool
}

fn is_list(ty: &Ty) -> bool {
    matches!(ty, Ty::Vec(_))
}

/// A spec's pagination block resolved against the operation's types; each problem with the
/// key of the block it concerns.
fn pagination(
    p: &crate::spec::Pagination,
    types: &Types<'_>,
) -> Result<PaginationIr, Vec<(&'static str, String)>> {
    use crate::spec::Pagination;
    let mut problems = Vec::new();
    let mut check = |key: &'static str, r: Result<AccessIr, String>| match r {
        Ok(a) => Some(a),
        Err(e) => {
            problems.push((key, e));
            None
        }
    };
    let (paging, page_size, items) = match p {
        Pagination::Token {
            input_token,
            output_token,
            page_size,
            more,
            items,
        } => {
            let input = check(
                "input_token",
                typed(types.request_field(input_token), "a string", is_text),
            );
            let output = check(
                "output_token",
                typed(types.response_element(output_token), "a string", is_text),
            );
            let more = more.as_deref().map(|m| {
                check(
                    "more",
                    typed(types.response_element(m), "a boolean", is_bool),
                )
            });
            let size = page_size.as_deref().map(|s| {
                check(
                    "page_size",
                    typed(types.request_field(s), "an integer", is_integer),
                )
            });
            let items = items
                .as_deref()
                .map(|i| check("items", typed(types.response_element(i), "a list", is_list)));
            let paging = match (input, output) {
                (Some(input), Some(output)) => Some(PagingIr::Token {
                    input,
                    output,
                    more: more.flatten(),
                }),
                _ => None,
            };
            (paging, size.flatten(), items.flatten())
        }
        Pagination::Page {
            page_number,
            page_size,
            items,
            total_count,
            returned_page_number,
            returned_page_size,
        } => {
            let number = check(
                "page_number",
                typed(types.request_field(page_number), "an integer", is_integer),
            );
            let size = page_size.as_deref().map(|s| {
                check(
                    "page_size",
                    typed(types.request_field(s), "an integer", is_integer),
                )
            });
            let items = check(
                "items",
                typed(types.response_element(items), "a list", is_list),
            );
            let mut count = |key: &'static str, path: &Option<String>| {
                path.as_deref().and_then(|t| {
                    check(
                        key,
                        typed(
                            types.response_element(t),
                            "an integer (or a string holding one)",
                            is_count,
                        ),
                    )
                })
            };
            let total = count("total_count", total_count);
            let returned_number = count("returned_page_number", returned_page_number);
            let returned_size = count("returned_page_size", returned_page_size);
            let paging = number.map(|number| PagingIr::Number {
                number,
                total,
                returned_number,
                returned_size,
            });
            (paging, size.flatten(), items)
        }
    };
    match paging {
        Some(paging) if problems.is_empty() => Ok(PaginationIr {
            paging,
            page_size,
            items,
        }),
        _ => Err(problems),
    }
}

/// A top-level parameter's placement: its location (query when the spec leaves it out, which
/// validation refuses) and the encoding the runtime applies: a string holding JSON text travels
/// as it is; without an explicit encoding, scalars are plain and arrays and objects flattened.
fn placement(p: &Field) -> Placement {
    let location = p.location.unwrap_or(Location::Query);
    let encoding = match p.encoding {
        Some(Encoding::Json) if p.ty == FieldType::String => Encoding::Plain,
        Some(encoding) => encoding,
        None if p.ty.is_scalar() => Encoding::Plain,
        // Untyped values, and anything that is the whole body, travel as JSON.
        None if p.ty == FieldType::Any || location == Location::Body => Encoding::Json,
        None => Encoding::Flat,
    };
    Placement { location, encoding }
}

/// A request field of the spec, where it stands, and where it travels.
pub(crate) type RequestField<'s> = (&'s Field, Pointer, Option<Placement>);

/// The request's fields as the request type holds them: top-level parameters, with a JSON
/// body's fields in place of the body, each with its JSON pointer; and the rules about them.
/// Lowering and the example request read the request through this.
pub(crate) fn request_fields<'s>(
    spec: &'s Spec,
    at: &Pointer,
) -> (Vec<RequestField<'s>>, Vec<&'s Constraint>) {
    let mut fields = Vec::new();
    let mut rules: Vec<&Constraint> = spec.request.constraints.iter().collect();
    for (i, p) in spec.request.parameters.iter().enumerate() {
        let p_at = at.key("parameters").index(i);
        if p.encoding == Some(Encoding::JsonBody) {
            let body = Placement {
                location: Location::Body,
                encoding: Encoding::JsonBody,
            };
            for (j, f) in p.fields.iter().flatten().enumerate() {
                fields.push((f, p_at.key("fields").index(j), Some(body)));
            }
            rules.extend(&p.constraints);
        } else {
            fields.push((p, p_at, Some(placement(p))));
        }
    }
    (fields, rules)
}

struct Lowering<'f> {
    file: &'f str,
    problems: Vec<Diagnostic>,
    structs: Vec<StructIr>,
    enums: Vec<EnumIr>,
}

impl Lowering<'_> {
    fn problem(&mut self, at: &Pointer, message: impl Into<String>) {
        self.problems
            .push(Diagnostic::at(self.file, at.as_str(), message));
    }

    /// A Rust name: the one the spec gives under `explicit.0`, checked, or else the one
    /// derived from the wire text under `derived.0`. When neither works the problem is
    /// reported at the key it came from.
    fn name(
        &mut self,
        at: &Pointer,
        explicit: (&'static str, Option<&str>),
        derived: (&'static str, &str),
        upper_camel: bool,
        digit_prefix: &str,
    ) -> Option<String> {
        let (key, result) = match explicit {
            (key, Some(n)) => (
                key,
                names::check_explicit(n, upper_camel).map(|()| n.to_owned()),
            ),
            (_, None) if upper_camel => (derived.0, names::type_name(derived.1, digit_prefix)),
            (_, None) => (derived.0, names::field_name(derived.1)),
        };
        match result {
            Ok(name) => Some(name),
            Err(e) => {
                self.problem(&at.key(key), e.to_string());
                None
            }
        }
    }

    fn request(&mut self, spec: &Spec, at: &Pointer) -> StructIr {
        let (merged, rules) = request_fields(spec, at);
        let fields = merged
            .into_iter()
            .map(|(f, f_at, placement)| {
                let mut field = self.field(f, &f_at, Side::Request);
                field.placement = placement;
                field
            })
            .collect();
        StructIr {
            name: format!("{}Request", spec.operation),
            description: spec.summary.clone(),
            side: Side::Request,
            fields,
            rules: rules.into_iter().cloned().collect(),
            at: at.to_string(),
            open: false,
        }
    }

    fn field(&mut self, f: &Field, at: &Pointer, side: Side) -> FieldIr {
        let (rust, named_by) = match &f.name {
            Some(wire) => {
                let rust = self.name(
                    at,
                    ("rust_name", f.rust_name.as_deref()),
                    ("name", wire),
                    false,
                    "",
                );
                let named_by = if f.rust_name.is_some() {
                    "rust_name"
                } else {
                    "name"
                };
                (rust.unwrap_or_default(), named_by)
            }
            None => (String::new(), "name"),
        };
        let ty = self.ty(f, at, side);
        let meanings = match (f.ty, &f.enum_values) {
            (FieldType::Boolean, Some(values)) => values.clone(),
            _ => Vec::new(),
        };
        FieldIr {
            wire: f.name.clone().unwrap_or_default(),
            rust,
            named_by,
            ty,
            kind: f.ty,
            required: f.required == Some(true),
            description: f.description.clone(),
            example: f.example.clone(),
            default: f.default.clone(),
            meanings,
            idempotency_token: f.idempotency_token,
            placement: None,
            at: at.to_string(),
        }
    }

    /// The Rust name of an object's or an enum's type.
    fn type_name(
        &mut self,
        f: &Field,
        at: &Pointer,
        key: &'static str,
        explicit: Option<&str>,
        unnamed: &str,
    ) -> Option<String> {
        match (&f.name, explicit) {
            (None, None) => {
                self.problem(at, unnamed);
                None
            }
            (wire, explicit) => {
                let wire = wire.as_deref().unwrap_or_default();
                self.name(at, (key, explicit), ("name", wire), true, "Type")
            }
        }
    }

    fn ty(&mut self, f: &Field, at: &Pointer, side: Side) -> Ty {
        match f.ty {
            FieldType::String | FieldType::Integer | FieldType::Long
                if f.enum_values.as_ref().is_some_and(|v| !v.is_empty()) =>
            {
                let int = f.ty != FieldType::String;
                let variants = self.variants(f, &at.key("enum"));
                let name = self
                    .type_name(
                        f,
                        at,
                        "enum_name",
                        f.enum_name.as_deref(),
                        "an enumerated array item needs an `enum_name` for its Rust type",
                    )
                    .unwrap_or_default();
                self.enums.push(EnumIr {
                    name: name.clone(),
                    description: f.description.clone(),
                    int,
                    variants,
                    at: at.to_string(),
                });
                Ty::Enum { name, int }
            }
            FieldType::String => Ty::String,
            FieldType::Integer => Ty::I32,
            FieldType::Long => Ty::I64,
            FieldType::Float => Ty::F32,
            FieldType::Double => Ty::F64,
            FieldType::Boolean => Ty::Bool,
            FieldType::Object if f.type_ref.is_some() => {
                Ty::Recursive(f.type_ref.clone().unwrap_or_default())
            }
            FieldType::Map => match &f.items {
                Some(item) => Ty::Map(Box::new(self.ty(item, &at.key("items"), side))),
                None => Ty::Map(Box::new(Ty::String)),
            },
            FieldType::Any => Ty::Any,
            FieldType::Binary => Ty::Binary,
            FieldType::Object => {
                let name = self
                    .type_name(
                        f,
                        at,
                        "type_name",
                        f.type_name.as_deref(),
                        "an object item needs a `type_name` for its Rust type",
                    )
                    .unwrap_or_default();
                // Parent before children, as the page lists them.
                let slot = self.structs.len();
                let fields_at = at.key("fields");
                let fields = f
                    .fields
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, child)| self.field(child, &fields_at.index(i), side))
                    .collect();
                let s = StructIr {
                    name: name.clone(),
                    description: f.description.clone(),
                    side,
                    fields,
                    rules: f.constraints.clone(),
                    at: at.to_string(),
                    open: false,
                };
                self.structs.insert(slot, s);
                Ty::Struct(name)
            }
            FieldType::Array => match &f.items {
                Some(item) => Ty::Vec(Box::new(self.ty(item, &at.key("items"), side))),
                None => Ty::Vec(Box::new(Ty::String)),
            },
        }
    }

    /// The variants of an enumerated field. Values validation refuses (of the wrong type,
    /// repeated) get none; an integer needs an explicit name.
    fn variants(&mut self, f: &Field, at: &Pointer) -> Vec<VariantIr> {
        let mut out: Vec<VariantIr> = Vec::new();
        for (i, v) in f.enum_values.iter().flatten().enumerate() {
            let v_at = at.index(i);
            if !crate::validate::scalar_fits(&v.value, f.ty)
                || out.iter().any(|seen| seen.wire == v.value)
            {
                continue;
            }
            let rust = match (&v.rust_name, &v.value) {
                (explicit, Value::String(s)) => self.name(
                    &v_at,
                    ("rust_name", explicit.as_deref()),
                    ("value", s),
                    true,
                    "Value",
                ),
                (Some(n), _) => self.name(&v_at, ("rust_name", Some(n)), ("value", ""), true, ""),
                (None, other) => {
                    let message = format!(
                        "the integer value {other} needs a `rust_name` for its Rust variant"
                    );
                    self.problem(&v_at, message);
                    None
                }
            };
            out.push(VariantIr {
                rust: rust.unwrap_or_default(),
                wire: v.value.clone(),
                description: v.description.clone(),
                at: v_at.to_string(),
            });
        }
        out
    }

    fn errors(&mut self, spec: &Spec, at: &Pointer) -> Vec<ErrorIr> {
        let mut out: Vec<ErrorIr> = Vec::new();
        for (i, e) in spec.errors.iter().enumerate() {
            let e_at = at.index(i);
            // Empty and repeated codes are validation's to report; they get no variant.
            if e.code.trim().is_empty() || out.iter().any(|seen| seen.code == e.code) {
                continue;
            }
            let variant = self.name(
                &e_at,
                ("rust_name", e.rust_name.as_deref()),
                ("code", &e.code),
                true,
                "Code",
            );
            out.push(ErrorIr {
                variant: variant.unwrap_or_default(),
                http_status: e.http_status,
                code: e.code.clone(),
                message: e.message.clone(),
                description: e.description.clone(),
                at: e_at.to_string(),
            });
        }
        out
    }
}

/// The wire text of a scalar JSON value (`Subscription`, `12`, `true`).
pub(crate) fn wire_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A condition in words, as violations and docs state it (`RenewalStatus is AutoRenewal`).
pub(crate) fn describe_condition(c: &Condition) -> String {
    let field = &c.field;
    if let Some(v) = &c.equals {
        format!("{field} is {}", wire_text(v))
    } else if let Some(list) = &c.one_of {
        let list: Vec<String> = list.iter().map(wire_text).collect();
        format!("{field} is one of {}", list.join(", "))
    } else if c.present == Some(false) {
        format!("{field} is not set")
    } else {
        format!("{field} is set")
    }
}

/// What a condition demands of its field, in words (`must be DataWorks_share`).
pub(crate) fn describe_demand(c: &Condition) -> String {
    if let Some(v) = &c.equals {
        format!("must be {}", wire_text(v))
    } else if let Some(list) = &c.one_of {
        let list: Vec<String> = list.iter().map(wire_text).collect();
        format!("must be one of {}", list.join(", "))
    } else if c.present == Some(false) {
        "must not be set".to_owned()
    } else {
        "must be set".to_owned()
    }
}
