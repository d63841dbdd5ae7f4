//! Semantic checks of specs that parsed: everything that relates one part of a spec to another.
//! Every check records its problem and goes on, so that one run reports all of them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Pointer, pointer_order};
use crate::ir::{ErrorIr, FieldIr, OperationIr, Side, VariantIr};
use crate::load::LoadedSpec;
use crate::names;
use crate::spec::{
    BodyKind, Condition, Constraint, Encoding, Endpoint, Field, FieldType, Location, Spec, Style,
};

/// Type names the generator itself puts in every operation module.
const RESERVED_TYPE_NAMES: &[&str] = &["ErrorCode"];

/// Names a product module cannot take: the SDK's own modules and cargo features.
const RESERVED_MODULE_NAMES: &[&str] = &["catalog", "client", "default", "mock", "runtime"];

/// Where a [`Field`] stands; it decides which attributes it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A top-level request parameter.
    Parameter,
    /// A field of a request object.
    RequestField,
    /// The item of a request array.
    RequestItem,
    /// A response element or a field of a response object.
    ResponseField,
    /// The item of a response array.
    ResponseItem,
}

impl Place {
    fn is_request(self) -> bool {
        matches!(
            self,
            Self::Parameter | Self::RequestField | Self::RequestItem
        )
    }
    fn is_item(self) -> bool {
        matches!(self, Self::RequestItem | Self::ResponseItem)
    }
    fn child(self) -> Self {
        if self.is_request() {
            Self::RequestField
        } else {
            Self::ResponseField
        }
    }
    fn item(self) -> Self {
        if self.is_request() {
            Self::RequestItem
        } else {
            Self::ResponseItem
        }
    }
    fn what(self) -> &'static str {
        match self {
            Self::Parameter => "a request parameter",
            Self::RequestField => "a request field",
            Self::RequestItem => "a request array item",
            Self::ResponseField => "a response element",
            Self::ResponseItem => "a response array item",
        }
    }
}

struct Checker<'a> {
    file: &'a str,
    out: &'a mut Vec<Diagnostic>,
    /// The Rust type names of the objects enclosing the field being checked.
    enclosing: Vec<String>,
}

impl Checker<'_> {
    fn err(&mut self, at: &Pointer, message: impl Into<String>) {
        self.out
            .push(Diagnostic::at(self.file, at.as_str(), message));
    }
}

/// Checks one spec.
pub(crate) fn spec(file: &str, spec: &Spec, raw: &Value, out: &mut Vec<Diagnostic>) {
    let mut c = Checker {
        file,
        out,
        enclosing: Vec::new(),
    };
    let root = Pointer::root();
    header(&mut c, spec, &root);
    request(&mut c, spec, &root.key("request"));
    response(&mut c, spec, &root.key("response"));
    errors(&mut c, spec, &root.key("errors"));
    for (i, note) in spec.notes.iter().enumerate() {
        let at = root.key("notes").index(i);
        if raw.pointer(&note.about).is_none() {
            c.err(
                &at.key("about"),
                format!("`{}` does not point at anything in this spec", note.about),
            );
        }
        if note.text.trim().is_empty() {
            c.err(&at.key("text"), "a note needs text");
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, ch)| i == 4 || i == 7 || ch.is_ascii_digit())
}

fn header(c: &mut Checker<'_>, spec: &Spec, root: &Pointer) {
    let module = &spec.product.module;
    let module_ok = module.starts_with(|ch: char| ch.is_ascii_lowercase())
        && module
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        && !names::is_keyword(module);
    if !module_ok {
        c.err(&root.key("product").key("module"), format!("`{module}` is not a valid module name (lower-case ASCII letters, digits and `_`, starting with a letter, not a keyword)"));
    } else if RESERVED_MODULE_NAMES.contains(&module.as_str()) {
        c.err(&root.key("product").key("module"), format!("`{module}` is taken by the SDK's own module or feature of that name; choose another product module"));
    }
    if spec.product.code.trim().is_empty() {
        c.err(
            &root.key("product").key("code"),
            "the product code is empty",
        );
    }
    let op = &spec.operation;
    if !(op.starts_with(|ch: char| ch.is_ascii_uppercase())
        && op.chars().all(|ch| ch.is_ascii_alphanumeric()))
    {
        c.err(&root.key("operation"), format!("`{op}` is not an operation name (ASCII letters and digits, starting with an upper-case letter)"));
    } else if op == "New" {
        c.err(&root.key("operation"), "an operation `New` would give the product's `Client` a method `new`, which is its constructor");
    } else if module_ok {
        let file = c.file.replace('\\', "/");
        let version = &spec.api_version;
        let expected = [
            format!("{module}/{op}.json"),
            format!("{module}/{version}/{op}.json"),
        ];
        let named = expected.iter().any(|e| {
            file.strip_suffix(e.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
        });
        if !named {
            c.err(root, format!("the file of this spec must be named `{}` (after its product module and operation), or `{}` beside other versions", expected[0], expected[1]));
        }
    }
    let version_ok = !spec.api_version.is_empty()
        && spec
            .api_version
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch));
    if !version_ok {
        c.err(
            &root.key("api_version"),
            format!(
                "`{}` is not an API version (letters, digits, `-`, `_` and `.`, as `2014-05-26` or `ssp_1.0`)",
                spec.api_version
            ),
        );
    }
    if spec.summary.as_deref().is_some_and(|s| s.trim().is_empty()) {
        c.err(
            &root.key("summary"),
            "the summary is empty; leave it out where the page gives none",
        );
    }
    let path = &spec.http.path;
    if !path.starts_with('/') {
        c.err(
            &root.key("http").key("path"),
            format!("the path `{path}` does not start with `/`"),
        );
    }
    if spec.style == Style::Rpc && path != "/" {
        c.err(
            &root.key("http").key("path"),
            format!("an RPC operation is sent to `/`, not `{path}`"),
        );
    }
    let is_host = |h: &str| !h.trim().is_empty() && !h.contains(['/', ' ', '{', '}', ':']);
    let (regions, vpc) = match &spec.endpoint {
        Endpoint::Regional { host, regions, vpc } => {
            if host.matches("{region}").count() != 1 {
                c.err(
                    &root.key("endpoint").key("host"),
                    format!("a regional host must hold `{{region}}` exactly once: `{host}`"),
                );
            }
            (regions, vpc)
        }
        Endpoint::Global {
            hosts,
            regions,
            vpc,
        } => {
            if hosts.is_empty() {
                c.err(
                    &root.key("endpoint").key("hosts"),
                    "a global endpoint needs at least one host",
                );
            }
            let mut seen = BTreeMap::new();
            for (i, h) in hosts.iter().enumerate() {
                let at = root.key("endpoint").key("hosts").index(i);
                if !is_host(&h.host) {
                    c.err(&at.key("host"), format!("`{}` is not a host name", h.host));
                }
                if let Some(first) = seen.insert(h.site.clone(), i) {
                    c.err(
                        &at.key("site"),
                        format!("duplicate site `{}` (first at index {first})", h.site),
                    );
                }
            }
            (regions, vpc)
        }
    };
    let listed = regions
        .iter()
        .map(|r| ("regions", r))
        .chain(vpc.iter().map(|r| ("vpc", r)));
    for (key, (region, host)) in listed {
        let at = root.key("endpoint").key(key).key(region);
        let plain_region = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !plain_region {
            c.err(
                &at,
                format!("`{region}` is not a region ID (lower-case letters, digits, `-`)"),
            );
        }
        if !is_host(host) {
            c.err(&at, format!("`{host}` is not a host name"));
        }
    }
    if let Some(date) = &spec.source.last_updated
        && !is_date(date)
    {
        c.err(
            &root.key("source").key("last_updated"),
            format!("`{date}` is not a date of the form YYYY-MM-DD"),
        );
    }
    for (i, change) in spec.change_history.iter().enumerate() {
        if !is_date(&change.date) {
            c.err(
                &root.key("change_history").index(i).key("date"),
                format!("`{}` is not a date of the form YYYY-MM-DD", change.date),
            );
        }
    }
    for (i, row) in spec.authorization.iter().enumerate() {
        let at = root.key("authorization").index(i);
        let well_formed = row.action.split_once(':').is_some_and(|(service, action)| {
            !service.is_empty() && !action.is_empty() && !row.action.contains(char::is_whitespace)
        });
        if !well_formed {
            c.err(
                &at.key("action"),
                format!(
                    "`{}` is not a RAM action of the form `service:Action`",
                    row.action
                ),
            );
        }
        if row.resource_types.is_empty() {
            c.err(&at.key("resource_types"), "a RAM row names at least one resource type (`All Resources` where none is specific)");
        }
    }
}

fn request(c: &mut Checker<'_>, spec: &Spec, at: &Pointer) {
    let params_at = at.key("parameters");
    let params = &spec.request.parameters;
    sibling_names(c, params, &params_at, "parameter");
    dotted_names(c, params, &params_at);
    let mut bodies = 0;
    let mut forms = false;
    for (i, p) in params.iter().enumerate() {
        match p.location {
            Some(Location::Body) => bodies += 1,
            Some(Location::Form) => forms = true,
            _ => {}
        }
        parameter(c, spec, p, &params_at.index(i));
    }
    if bodies > 1 {
        c.err(
            &params_at,
            "at most one parameter can be the body (a JSON body's object, or the whole body)",
        );
    }
    if bodies > 0 && forms {
        c.err(
            &params_at,
            "a request has a form body or another body, not both (locations `form` and `body`)",
        );
    }
    let top: Vec<&Field> = params.iter().collect();
    constraints(c, &top, &spec.request.constraints, &at.key("constraints"));
    if spec.style == Style::Roa {
        path_parameters(c, spec, &params_at);
    }
}

fn parameter(c: &mut Checker<'_>, spec: &Spec, p: &Field, at: &Pointer) {
    field(c, p, at, Place::Parameter);
    let Some(location) = p.location else { return };
    if spec.style == Style::Rpc && location == Location::Path {
        c.err(
            &at.key("location"),
            "an RPC operation is sent to `/`: it has no path parameters",
        );
    }
    let ty = p.ty.as_str();
    match p.encoding {
        Some(Encoding::Plain) if !p.ty.is_scalar() => {
            c.err(
                &at.key("encoding"),
                format!("encoding `plain` is for single values, not {ty}"),
            );
        }
        Some(Encoding::Flat)
            if !matches!(p.ty, FieldType::Array | FieldType::Object | FieldType::Map) =>
        {
            c.err(
                &at.key("encoding"),
                format!("encoding `flat` is for arrays, objects and maps, not {ty}"),
            );
        }
        Some(Encoding::Json) if p.ty.is_scalar() && p.ty != FieldType::String => {
            c.err(
                &at.key("encoding"),
                format!("encoding `json` is for JSON text, arrays, objects, maps and any value, not {ty}"),
            );
        }
        Some(Encoding::JsonBody) if p.ty != FieldType::Object || location != Location::Body => {
            c.err(
                &at.key("encoding"),
                "encoding `json_body` is for an object parameter in the body",
            );
        }
        Some(Encoding::Simple)
            if p.ty != FieldType::Array || !p.items.as_ref().is_some_and(|i| i.ty.is_scalar()) =>
        {
            c.err(
                &at.key("encoding"),
                "encoding `simple` (comma-joined) is for an array of single values",
            );
        }
        _ => {}
    }
    match location {
        Location::Body => {
            let whole = p.encoding.unwrap_or(if p.ty.is_scalar() {
                Encoding::Plain
            } else {
                Encoding::Json
            });
            let fits = match whole {
                Encoding::JsonBody | Encoding::Json => true,
                Encoding::Plain => matches!(p.ty, FieldType::String | FieldType::Binary),
                Encoding::Flat | Encoding::Simple => false,
            };
            if !fits {
                c.err(
                    &at.key("encoding"),
                    "a body parameter is a JSON body's object (`json_body`), the whole body as JSON (`json`), or a string or binary sent as it is (`plain`)",
                );
            }
        }
        Location::Path | Location::Header | Location::Host
            if !p.ty.is_scalar() && p.encoding != Some(Encoding::Json) =>
        {
            c.err(
                &at.key("location"),
                format!(
                    "a {} parameter carries one value: a {ty} needs encoding `json`",
                    location_name(location)
                ),
            );
        }
        _ => {}
    }
    if p.ty == FieldType::Binary && location != Location::Body {
        c.err(
            &at.key("location"),
            "a binary value travels as the request body (location `body`)",
        );
    }
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Query => "query",
        Location::Body => "body",
        Location::Form => "form",
        Location::Path => "path",
        Location::Header => "header",
        Location::Host => "host",
    }
}

fn path_parameters(c: &mut Checker<'_>, spec: &Spec, params_at: &Pointer) {
    let path = &spec.http.path;
    let in_path: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    for (i, p) in spec.request.parameters.iter().enumerate() {
        let name = p.name.as_deref().unwrap_or_default();
        let is_path = p.location == Some(Location::Path);
        if is_path && !in_path.contains(&name) {
            c.err(
                &params_at.index(i).key("location"),
                format!("the path `{path}` has no `{{{name}}}` segment"),
            );
        }
        if is_path && p.required != Some(true) {
            c.err(
                &params_at.index(i).key("required"),
                "a path parameter is always required",
            );
        }
    }
    for name in in_path {
        let declared = spec
            .request
            .parameters
            .iter()
            .any(|p| p.name.as_deref() == Some(name) && p.location == Some(Location::Path));
        if !declared {
            c.err(
                &Pointer::root().key("http").key("path"),
                format!("the path segment `{{{name}}}` has no parameter with location `path`"),
            );
        }
    }
}

fn response(c: &mut Checker<'_>, spec: &Spec, at: &Pointer) {
    let r = &spec.response;
    if r.body != BodyKind::Object {
        let kind = r.body.as_str();
        if !r.fields.is_empty() {
            c.err(
                &at.key("fields"),
                format!("a `{kind}` body has no fields (they describe a JSON object)"),
            );
        }
        if r.open {
            c.err(&at.key("open"), format!("a `{kind}` body cannot be open"));
        }
        match (&r.value, r.body) {
            (Some(v), BodyKind::Json) => {
                if v.name.is_some() {
                    c.err(&at.key("value").key("name"), "the body's value has no name");
                }
                field(c, v, &at.key("value"), Place::ResponseItem);
                if let Some(example) = &r.example {
                    value_fits(c, example, v, &at.key("example"), "response element");
                }
            }
            (None, BodyKind::Json) => c.err(
                &at.key("value"),
                "a `json` body needs its `value`: a field without name",
            ),
            (Some(_), _) => c.err(
                &at.key("value"),
                format!("a `{kind}` body has no value (only a `json` body does)"),
            ),
            (None, _) => {
                if r.example.as_ref().is_some_and(|e| !e.is_string()) {
                    c.err(
                        &at.key("example"),
                        format!("the example of a `{kind}` body is its text, a string"),
                    );
                }
            }
        }
        return;
    }
    if r.value.is_some() {
        c.err(
            &at.key("value"),
            "only a `json` body has a value (this one is an object of fields)",
        );
    }
    let fields_at = at.key("fields");
    sibling_names(c, &spec.response.fields, &fields_at, "response element");
    for (i, f) in spec.response.fields.iter().enumerate() {
        field(c, f, &fields_at.index(i), Place::ResponseField);
    }
    let example_at = at.key("example");
    match &spec.response.example {
        None => {}
        Some(Value::Object(map)) if spec.response.open => {
            // Unlisted elements are expected; the listed ones must fit.
            for (key, x) in map {
                if let Some(f) = spec
                    .response
                    .fields
                    .iter()
                    .find(|f| f.name.as_deref() == Some(key))
                {
                    value_fits(c, x, f, &example_at.key(key), "response element");
                }
            }
        }
        Some(example @ Value::Object(_)) => object_value(
            c,
            example,
            &spec.response.fields,
            &example_at,
            "response element",
        ),
        Some(other) => c.err(
            &example_at,
            format!(
                "the example response must be a JSON object, not {}",
                kind_of(other)
            ),
        ),
    }
}

fn errors(c: &mut Checker<'_>, spec: &Spec, at: &Pointer) {
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, e) in spec.errors.iter().enumerate() {
        let e_at = at.index(i);
        if !(100..=599).contains(&e.http_status) {
            c.err(
                &e_at.key("http_status"),
                format!("{} is not an HTTP status (100 to 599)", e.http_status),
            );
        }
        if e.code.trim().is_empty() {
            c.err(&e_at.key("code"), "the error code is empty");
            continue;
        }
        if let Some(first) = codes.insert(&e.code, i) {
            c.err(
                &e_at.key("code"),
                format!("duplicate error code `{}` (first at {at}/{first})", e.code),
            );
        }
    }
}

/// Duplicate wire names among siblings.
fn sibling_names(c: &mut Checker<'_>, fields: &[Field], at: &Pointer, what: &str) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, f) in fields.iter().enumerate() {
        let Some(name) = f.name.as_deref() else {
            continue;
        };
        if let Some(first) = seen.insert(name, i) {
            c.err(
                &at.index(i).key("name"),
                format!("duplicate {what} name `{name}` (first at {at}/{first})"),
            );
        }
    }
}

/// Names that write the same wire keys: a parameter `A.B` beside a parameter `A` whose
/// flattened keys start `A.`.
fn dotted_names(c: &mut Checker<'_>, fields: &[Field], at: &Pointer) {
    for (i, f) in fields.iter().enumerate() {
        let Some(name) = f.name.as_deref() else {
            continue;
        };
        // Only what is flattened writes `Name.` keys.
        let clash = fields.iter().enumerate().find(|(j, other)| {
            *j != i
                && !other.ty.is_scalar()
                && other
                    .name
                    .as_deref()
                    .is_some_and(|o| name.starts_with(&format!("{o}.")))
        });
        if let Some((j, other)) = clash {
            let other = other.name.as_deref().unwrap_or_default();
            c.err(
                &at.index(i).key("name"),
                format!("`{name}` writes keys that `{other}` (at {at}/{j}) writes when flattened; a server could not tell them apart"),
            );
        }
    }
}

fn field(c: &mut Checker<'_>, f: &Field, at: &Pointer, place: Place) {
    // Attributes out of place.
    match (&f.name, place.is_item()) {
        (None, false) => c.err(at, format!("{} needs a `name`", place.what())),
        (Some(n), false) if n.trim().is_empty() => c.err(&at.key("name"), "the name is empty"),
        (Some(_), true) => c.err(&at.key("name"), "an array item has no name of its own"),
        _ => {}
    }
    if place.is_item() && f.rust_name.is_some() {
        c.err(
            &at.key("rust_name"),
            "an array item has no field name; name its type with `type_name`",
        );
    }
    let misplaced = |attr: &str| format!("`{attr}` is not allowed on {}", place.what());
    if place.is_request() {
        if f.required.is_none() && !place.is_item() {
            c.err(
                at,
                format!(
                    "{} needs `required` (true or false, as the page states)",
                    place.what()
                ),
            );
        }
    } else {
        if f.required.is_some() {
            c.err(&at.key("required"), misplaced("required"));
        }
        if f.default.is_some() {
            c.err(&at.key("default"), misplaced("default"));
        }
        if !f.constraints.is_empty() {
            c.err(&at.key("constraints"), misplaced("constraints"));
        }
    }
    if place == Place::Parameter {
        if f.location.is_none() {
            c.err(
                at,
                "a request parameter needs a `location` (query, form, body, path, header or host)",
            );
        }
    } else {
        if f.location.is_some() {
            c.err(&at.key("location"), misplaced("location"));
        }
        if f.encoding.is_some() {
            c.err(&at.key("encoding"), misplaced("encoding"));
        }
        if f.idempotency_token {
            c.err(&at.key("idempotency_token"), misplaced("idempotency_token"));
        }
    }
    if f.idempotency_token && f.ty != FieldType::String {
        c.err(
            &at.key("idempotency_token"),
            "an idempotency token is a string",
        );
    }
    if f.description
        .as_deref()
        .is_some_and(|d| d.trim().is_empty())
    {
        c.err(
            &at.key("description"),
            "an empty description; leave it out where the page gives none",
        );
    }

    // Attributes that belong to other types.
    let ty = f.ty.as_str();
    match (f.ty, &f.fields, &f.type_ref) {
        (FieldType::Object, None, None) => c.err(
            at,
            "an object needs `fields` (an empty list where the page lists none), or `type_ref`",
        ),
        (FieldType::Object, Some(_), Some(_)) => c.err(
            &at.key("fields"),
            "an object with `type_ref` has its ancestor's fields; it gives none of its own",
        ),
        (FieldType::Object, ..) | (_, None, _) => {}
        (_, Some(_), _) => c.err(
            &at.key("fields"),
            format!("`fields` belong to objects, not to {ty}"),
        ),
    }
    if let Some(target) = &f.type_ref {
        if f.ty != FieldType::Object {
            c.err(
                &at.key("type_ref"),
                format!("`type_ref` names an object's type, not {ty}"),
            );
        } else if !c.enclosing.contains(target) {
            let enclosing = c.enclosing.join(", ");
            c.err(
                &at.key("type_ref"),
                format!(
                    "`{target}` is not the type of an enclosing object (enclosing: {enclosing})"
                ),
            );
        }
    }
    match (f.ty, &f.items) {
        (FieldType::Array | FieldType::Map, None) => {
            c.err(at, format!("{} {ty} needs `items`", article(f.ty)));
        }
        (FieldType::Array | FieldType::Map, Some(_)) | (_, None) => {}
        (_, Some(_)) => c.err(
            &at.key("items"),
            format!("`items` belong to arrays and maps, not to {ty}"),
        ),
    }
    if f.ty == FieldType::Binary && !place.is_request() {
        c.err(
            at,
            "a response element cannot be binary (a reply is read as JSON)",
        );
    }
    if f.type_name.is_some() && (f.ty != FieldType::Object || f.type_ref.is_some()) {
        c.err(
            &at.key("type_name"),
            format!("`type_name` names an object's type, not {ty}"),
        );
    }
    if !f.constraints.is_empty() && f.ty != FieldType::Object {
        c.err(
            &at.key("constraints"),
            format!("`constraints` are stated on the object that holds the fields, not on {ty}"),
        );
    }
    if f.encoding == Some(Encoding::JsonBody) && f.type_name.is_some() {
        c.err(
            &at.key("type_name"),
            "a JSON body's fields become the request's own; it has no type of its own",
        );
    }

    // Enumerations.
    let mut values_ok = true;
    if let Some(values) = &f.enum_values {
        values_ok = enumeration(c, f, values, &at.key("enum"));
    } else if f.enum_name.is_some() {
        c.err(
            &at.key("enum_name"),
            "`enum_name` names an enumeration, and this field has no `enum`",
        );
    }
    if values_ok {
        for (attr, v) in [("example", &f.example), ("default", &f.default)] {
            if let Some(v) = v {
                value_fits(c, v, f, &at.key(attr), "field");
            }
        }
    }

    // Children, with this object's type among the enclosing ones (for `type_ref`).
    if let Some(children) = &f.fields {
        let fields_at = at.key("fields");
        sibling_names(c, children, &fields_at, "field");
        dotted_names(c, children, &fields_at);
        let own_type = match (&f.type_name, &f.name) {
            (Some(n), _) => Some(n.clone()),
            (None, Some(wire)) => names::type_name(wire, "Type").ok(),
            (None, None) => None,
        };
        c.enclosing.extend(own_type.clone());
        for (i, child) in children.iter().enumerate() {
            field(c, child, &fields_at.index(i), place.child());
        }
        if own_type.is_some() {
            c.enclosing.pop();
        }
        let refs: Vec<&Field> = children.iter().collect();
        constraints(c, &refs, &f.constraints, &at.key("constraints"));
    }
    if let Some(item) = &f.items {
        field(c, item, &at.key("items"), place.item());
    }
}

/// Checks an `enum` list; returns whether its values are usable to check examples against.
fn enumeration(
    c: &mut Checker<'_>,
    f: &Field,
    values: &[crate::spec::EnumValue],
    at: &Pointer,
) -> bool {
    let ty = f.ty;
    if !matches!(
        ty,
        FieldType::String | FieldType::Integer | FieldType::Long | FieldType::Boolean
    ) {
        c.err(
            at,
            format!(
                "an enumeration is of strings, integers or booleans, not {}",
                ty.as_str()
            ),
        );
        return false;
    }
    if values.is_empty() {
        c.err(at, "an enumeration needs at least one value");
        return false;
    }
    let mut ok = true;
    let mut seen: Vec<(&Value, usize)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let v_at = at.index(i);
        if !scalar_fits(&v.value, ty) {
            c.err(
                &v_at.key("value"),
                format!("{} is not a {} value", v.value, ty.as_str()),
            );
            ok = false;
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(seen_v, _)| *seen_v == &v.value) {
            c.err(
                &v_at.key("value"),
                format!("duplicate enum value {} (first at {at}/{first})", v.value),
            );
            continue;
        }
        seen.push((&v.value, i));
        if v.description
            .as_deref()
            .is_some_and(|d| d.trim().is_empty())
        {
            c.err(
                &v_at.key("description"),
                "an empty meaning; leave it out where the source gives none",
            );
        }
        if ty == FieldType::Boolean && v.rust_name.is_some() {
            c.err(
                &v_at.key("rust_name"),
                "a boolean needs no Rust enum, so its values take no `rust_name`",
            );
        }
    }
    if ty == FieldType::Boolean && f.enum_name.is_some() {
        c.err(
            &at.parent_key("enum_name"),
            "a boolean needs no Rust enum, so it takes no `enum_name`",
        );
    }
    ok
}

/// Whether `v` is a value of type `ty`.
pub(crate) fn scalar_fits(v: &Value, ty: FieldType) -> bool {
    match ty {
        FieldType::String => v.is_string(),
        FieldType::Integer => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        FieldType::Long => v.is_i64(),
        FieldType::Float | FieldType::Double => v.is_number(),
        FieldType::Boolean => v.is_boolean(),
        FieldType::Object | FieldType::Map => v.is_object(),
        FieldType::Array => v.is_array(),
        FieldType::Any => true,
        // An example of a binary value describes it (a file name, a URL).
        FieldType::Binary => v.is_string(),
    }
}

/// Whether the runtime reads `v` as a value of `ty` when a response carries it (its
/// `Lenient` reader): text for numbers and booleans, numbers and booleans for text.
fn read_leniently(v: &Value, ty: FieldType) -> bool {
    match (ty, v) {
        (FieldType::String, Value::Number(_) | Value::Bool(_)) => true,
        (FieldType::Integer, Value::String(s)) => s.trim().parse::<i32>().is_ok(),
        (FieldType::Long, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (FieldType::Float | FieldType::Double, Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        (FieldType::Boolean, Value::String(s)) => {
            s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
        }
        _ => false,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks that a value (an example, a default, a part of the example response) fits a field.
fn value_fits(c: &mut Checker<'_>, v: &Value, f: &Field, at: &Pointer, what: &str) {
    // A response is read as the official SDKs read it (the runtime's `Lenient`): a string
    // element may arrive as a number or boolean, a number or boolean as its text.
    let lenient = what == "response element" && read_leniently(v, f.ty);
    if !scalar_fits(v, f.ty) && !lenient {
        if f.ty == FieldType::Integer && v.is_i64() {
            c.err(at, format!("{v} is outside the 32-bit range of an integer (use type long for 64-bit values)"));
        } else {
            c.err(
                at,
                format!(
                    "expected {} {}, found {}",
                    article(f.ty),
                    f.ty.as_str(),
                    kind_of(v)
                ),
            );
        }
        return;
    }
    if let Some(values) = &f.enum_values
        && f.ty != FieldType::Boolean
        && !values.iter().any(|e| &e.value == v)
    {
        let list: Vec<String> = values.iter().map(|e| e.value.to_string()).collect();
        c.err(
            at,
            format!("{v} is not one of the enum values ({})", list.join(", ")),
        );
    }
    match (v, f.ty) {
        (Value::Object(_), FieldType::Object) if f.type_ref.is_none() => {
            object_value(c, v, f.fields.as_deref().unwrap_or_default(), at, what)
        }
        (Value::Object(entries), FieldType::Map) => {
            if let Some(item) = &f.items {
                for (key, x) in entries {
                    value_fits(c, x, item, &at.key(key), what);
                }
            }
        }
        (Value::Array(items), FieldType::Array) => {
            if let Some(item) = &f.items {
                for (i, x) in items.iter().enumerate() {
                    value_fits(c, x, item, &at.index(i), what);
                }
            }
        }
        _ => {}
    }
}

fn article(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Integer | FieldType::Object | FieldType::Array | FieldType::Any => "an",
        _ => "a",
    }
}

/// Checks an object value against the fields that describe it: every key described, every
/// value of the described type.
fn object_value(c: &mut Checker<'_>, v: &Value, fields: &[Field], at: &Pointer, what: &str) {
    let Value::Object(map) = v else { return };
    for (key, x) in map {
        match fields
            .iter()
            .find(|f| f.name.as_deref() == Some(key.as_str()))
        {
            Some(f) => value_fits(c, x, f, &at.key(key), what),
            None => c.err(&at.key(key), format!("`{key}` is not a described {what}")),
        }
    }
}

/// The types a constraint kind applies to, and how to say so.
fn applies_to(rule: &Constraint) -> Option<(&'static str, &'static [FieldType], &'static str)> {
    use FieldType::{Double, Float, Integer, Long};
    match rule {
        Constraint::MultipleOf { .. } => Some(("multiple_of", &[Integer, Long], "integers")),
        Constraint::Range { .. } => Some(("range", &[Integer, Long, Float, Double], "numbers")),
        Constraint::Length { .. } | Constraint::Ascii { .. } | Constraint::Pattern { .. } => {
            Some((
                match rule {
                    Constraint::Ascii { .. } => "ascii",
                    Constraint::Pattern { .. } => "pattern",
                    _ => "length",
                },
                &[FieldType::String],
                "strings",
            ))
        }
        Constraint::ItemCount { .. } => Some((
            "item_count",
            &[FieldType::Array, FieldType::Map],
            "arrays and maps",
        )),
        _ => None,
    }
}

fn constraints(c: &mut Checker<'_>, fields: &[&Field], list: &[Constraint], at: &Pointer) {
    let known = || {
        fields
            .iter()
            .filter_map(|f| f.name.as_deref())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (i, rule) in list.iter().enumerate() {
        let r_at = at.index(i);
        let target = rule.field();
        let found = target.map(|name| {
            (
                name,
                fields
                    .iter()
                    .copied()
                    .find(|f| f.name.as_deref() == Some(name)),
            )
        });
        let f = match found {
            Some((name, None)) => {
                c.err(
                    &r_at.key("field"),
                    format!("no field named `{name}` here (known: {})", known()),
                );
                None
            }
            Some((_, Some(f))) => Some(f),
            None => None,
        };
        if let (Some(f), Some((kind, types, plural))) = (f, applies_to(rule))
            && !types.contains(&f.ty)
        {
            let name = f.name.as_deref().unwrap_or_default();
            c.err(
                &r_at.key("field"),
                format!(
                    "`{kind}` applies to {plural}, and `{name}` is {}",
                    f.ty.as_str()
                ),
            );
        }
        match rule {
            Constraint::MultipleOf { factor, .. } if *factor <= 0 => {
                c.err(&r_at.key("factor"), "the factor must be positive");
            }
            // The runtime checks it with `regex-lite`: it must compile there.
            Constraint::Pattern { pattern, .. } => {
                if let Err(e) = regex_lite::Regex::new(pattern) {
                    let first = e.to_string();
                    let first = first.lines().last().unwrap_or_default().trim().to_owned();
                    c.err(
                        &r_at.key("pattern"),
                        format!("the pattern does not compile: {first}"),
                    );
                }
            }
            Constraint::Range { min, max, .. } => {
                bounds(
                    c,
                    &r_at,
                    min.is_none() && max.is_none(),
                    matches!((min, max), (Some(a), Some(b)) if a > b),
                );
            }
            Constraint::Length { min, max, .. } | Constraint::ItemCount { min, max, .. } => {
                bounds(
                    c,
                    &r_at,
                    min.is_none() && max.is_none(),
                    matches!((min, max), (Some(a), Some(b)) if a > b),
                );
            }
            Constraint::AllowedValues { values, .. } => {
                if values.is_empty() {
                    c.err(
                        &r_at.key("values"),
                        "`allowed_values` needs at least one value",
                    );
                }
                for (j, v) in values.iter().enumerate() {
                    if let Some(f) = f {
                        value_fits(c, v, f, &r_at.key("values").index(j), "field");
                    }
                }
            }
            Constraint::RequiredIf { field, when } => {
                if f.is_some_and(|f| f.required == Some(true)) {
                    c.err(
                        &r_at.key("field"),
                        format!("`{field}` is always required; `required_if` adds nothing"),
                    );
                }
                if when.field == *field {
                    c.err(
                        &r_at.key("when").key("field"),
                        "a field cannot be required on a condition about itself",
                    );
                }
                condition(c, fields, when, &r_at.key("when"));
            }
            Constraint::Implies { premise, then } => {
                condition(c, fields, premise, &r_at.key("if"));
                condition(c, fields, then, &r_at.key("then"));
            }
            Constraint::DailyQuota { value, quotas, .. } => {
                if let Some(f) = f {
                    value_fits(c, value, f, &r_at.key("value"), "field");
                }
                if quotas.is_empty() {
                    c.err(
                        &r_at.key("quotas"),
                        "a daily quota needs at least one amount",
                    );
                }
            }
            _ => {}
        }
    }
}

fn bounds(c: &mut Checker<'_>, at: &Pointer, none: bool, inverted: bool) {
    if none {
        c.err(at, "give `min`, `max` or both");
    }
    if inverted {
        c.err(&at.key("min"), "`min` is larger than `max`");
    }
}

fn condition(c: &mut Checker<'_>, fields: &[&Field], cond: &Condition, at: &Pointer) {
    let given = [
        cond.equals.is_some(),
        cond.one_of.is_some(),
        cond.present.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        c.err(
            at,
            "a condition takes exactly one of `equals`, `one_of` and `present`",
        );
    }
    let Some(f) = fields
        .iter()
        .find(|f| f.name.as_deref() == Some(cond.field.as_str()))
    else {
        let known: Vec<&str> = fields.iter().filter_map(|f| f.name.as_deref()).collect();
        c.err(
            &at.key("field"),
            format!(
                "no field named `{}` here (known: {})",
                cond.field,
                known.join(", ")
            ),
        );
        return;
    };
    if matches!(
        f.ty,
        FieldType::Float | FieldType::Double | FieldType::Object | FieldType::Array
    ) && (cond.equals.is_some() || cond.one_of.is_some())
    {
        c.err(
            &at.key("field"),
            format!(
                "a condition compares strings, integers or booleans; `{}` is {} (use `present`)",
                cond.field,
                f.ty.as_str()
            ),
        );
        return;
    }
    if let Some(v) = &cond.equals {
        value_fits(c, v, f, &at.key("equals"), "field");
    }
    if let Some(list) = &cond.one_of {
        if list.is_empty() {
            c.err(&at.key("one_of"), "`one_of` needs at least one value");
        }
        for (i, v) in list.iter().enumerate() {
            value_fits(c, v, f, &at.key("one_of").index(i), "field");
        }
    }
}

/// Checks the names lowering decided for one operation: no two fields of a struct, no two
/// types of the operation module, no two variants of an enum or of the error codes alike, and
/// none that the generated code uses itself. Each clash is reported at the later of the two
/// spec parts, naming the earlier.
pub(crate) fn names(op: &OperationIr, out: &mut Vec<Diagnostic>) {
    let mut c = Checker {
        file: &op.file,
        out,
        enclosing: Vec::new(),
    };
    let at = |pointer: &str, key: &str| Pointer::from(pointer).key(key);
    for s in [&op.request, &op.response].into_iter().chain(&op.structs) {
        // `build` would make a setter clash with the builder's own `build()`.
        let reserved: &[&str] = match s.side {
            Side::Request if s.name == op.request.name => &["build", "builder", "validate"],
            Side::Request => &["build"],
            Side::Response if s.open => &["unlisted"],
            Side::Response => &[],
        };
        let mut seen: BTreeMap<&str, &FieldIr> = BTreeMap::new();
        for f in s
            .fields
            .iter()
            .filter(|f| !f.wire.is_empty() && !f.rust.is_empty())
        {
            let (wire, rust) = (&f.wire, f.rust.as_str());
            if reserved.contains(&rust) {
                c.err(&at(&f.at, "name"), format!("`{wire}` becomes the Rust name `{rust}`, which the generated code uses itself; set `rust_name`"));
            } else if let Some(first) = seen.get(rust) {
                if first.wire != *wire {
                    c.err(&at(&f.at, "name"), format!("`{wire}` and `{}` (at {}) both become the Rust field `{rust}`; set `rust_name` on one", first.wire, first.at));
                }
            } else {
                seen.insert(rust, f);
            }
        }
    }

    // Types, claimed in document order: the first keeps its name.
    let mut types: BTreeMap<String, String> = ["Request", "RequestBuilder", "Response"]
        .iter()
        .map(|suffix| {
            (
                format!("{}{suffix}", op.operation),
                "the operation itself".to_owned(),
            )
        })
        .collect();
    let mut declared: Vec<(&str, &str, bool)> = op
        .structs
        .iter()
        .map(|s| (s.name.as_str(), s.at.as_str(), s.side == Side::Request))
        .chain(
            op.enums
                .iter()
                .map(|e| (e.name.as_str(), e.at.as_str(), false)),
        )
        .filter(|(name, _, _)| !name.is_empty())
        .collect();
    declared.sort_by(|a, b| pointer_order(a.1, b.1));
    let mut claim = |c: &mut Checker<'_>, name: String, at: &str| {
        let pointer = Pointer::from(at);
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            c.err(
                &pointer,
                format!(
                    "the Rust type name `{name}` is reserved for generated items; set another name"
                ),
            );
            return false;
        }
        if let Some(first) = types.get(&name) {
            c.err(
                &pointer,
                format!(
                    "the Rust type name `{name}` is already used by {first}; set a distinct name"
                ),
            );
            return false;
        }
        types.insert(name, at.to_owned());
        true
    };
    for (name, at, with_builder) in declared {
        if claim(&mut c, name.to_owned(), at) && with_builder {
            claim(&mut c, format!("{name}Builder"), at);
        }
    }

    for e in &op.enums {
        let mut seen: BTreeMap<&str, &VariantIr> = BTreeMap::new();
        for v in e.variants.iter().filter(|v| !v.rust.is_empty()) {
            let name = v.rust.as_str();
            if name == "Unknown" {
                c.err(&Pointer::from(v.at.as_str()), "the Rust variant `Unknown` is reserved for values the page does not list; set `rust_name`");
            } else if let Some(first) = seen.get(name) {
                c.err(&at(&v.at, "value"), format!("enum values {} and {} both become the Rust variant `{name}`; set `rust_name` on one", first.wire, v.wire));
            } else {
                seen.insert(name, v);
            }
        }
    }
    let mut seen: BTreeMap<&str, &ErrorIr> = BTreeMap::new();
    for e in op.errors.iter().filter(|e| !e.variant.is_empty()) {
        let name = e.variant.as_str();
        if name == "Unknown" {
            c.err(&at(&e.at, "code"), "the Rust variant `Unknown` is reserved for codes the page does not list; set `rust_name`");
        } else if let Some(first) = seen.get(name) {
            c.err(&at(&e.at, "code"), format!("error codes `{}` and `{}` both become the Rust variant `{name}`; set `rust_name` on one", first.code, e.code));
        } else {
            seen.insert(name, e);
        }
    }
}

/// Checks across specs: one spec per operation and version, one product code per module, one
/// version per version module.
pub(crate) fn catalog(specs: &[LoadedSpec], out: &mut Vec<Diagnostic>) {
    let mut ops: BTreeMap<(String, String, &str), &str> = BTreeMap::new();
    let mut modules: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut version_modules: BTreeMap<(&str, String), (&str, &str)> = BTreeMap::new();
    // The client methods of each product version: an operation's, and its paginator's.
    let mut methods: BTreeMap<(&str, &str, String), (&str, &str)> = BTreeMap::new();
    for s in specs {
        if let Ok(method) = crate::names::field_name(&s.spec.operation) {
            let key = |m: String| {
                (
                    s.spec.product.module.as_str(),
                    s.spec.api_version.as_str(),
                    m,
                )
            };
            let mut mine = vec![(key(method.clone()), "/operation")];
            if s.spec.pagination.is_some() {
                mine.push((key(crate::paging::pages_method(&method)), "/pagination"));
            }
            for (k, at) in mine {
                if let Some((op, first)) = methods.get(&k) {
                    if *op != s.spec.operation {
                        out.push(Diagnostic::at(
                            &s.path,
                            at,
                            format!(
                                "the client method `{}` is already the method of {op} (in {first})",
                                k.2
                            ),
                        ));
                    }
                } else {
                    methods.insert(k, (&s.spec.operation, &s.path));
                }
            }
        }
        let key = (
            s.spec.product.code.to_ascii_lowercase(),
            s.spec.operation.to_ascii_lowercase(),
            s.spec.api_version.as_str(),
        );
        if let Some(first) = ops.insert(key, &s.path) {
            out.push(Diagnostic::at(
                &s.path,
                "/operation",
                format!(
                    "{} {} (API {}) is already declared by {first}",
                    s.spec.product.code, s.spec.operation, s.spec.api_version
                ),
            ));
        }
        let version_key = (
            s.spec.product.module.as_str(),
            crate::names::version_module(&s.spec.api_version),
        );
        match version_modules.get(&version_key) {
            Some((version, first)) if *version != s.spec.api_version => {
                out.push(Diagnostic::at(
                    &s.path,
                    "/api_version",
                    format!(
                        "API versions `{version}` (in {first}) and `{}` both become the module `{}::{}`",
                        s.spec.api_version, version_key.0, version_key.1
                    ),
                ));
            }
            Some(_) => {}
            None => {
                version_modules.insert(version_key, (&s.spec.api_version, &s.path));
            }
        }
        let module = s.spec.product.module.as_str();
        match modules.get(module) {
            Some((code, first)) if *code != s.spec.product.code => out.push(Diagnostic::at(
                &s.path,
                "/product/code",
                format!(
                    "module `{module}` belongs to product `{code}` (in {first}), not `{}`",
                    s.spec.product.code
                ),
            )),
            Some(_) => {}
            None => {
                modules.insert(module, (&s.spec.product.code, &s.path));
            }
        }
    }
}
