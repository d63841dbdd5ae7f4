//! `cargo xtask lint-meta`: a committed spec against the official metadata of its operation —
//! style, method, path, authentication, each parameter's name, location, encoding, type and
//! required flag (nested fields included), enum values, and the host of every region the
//! metadata lists. A disagreement a spec note explains (a note about the same part of the
//! spec, or about the field whose attribute differs) is reported as explained.

use codegen::spec::{Encoding, Field, FieldType, Location, Spec};

use super::endpoint::host_for;

/// One difference between a spec and the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The JSON pointer into the spec.
    pub at: String,
    /// What differs.
    pub message: String,
    /// Whether a note of the spec is about that part (or a part holding it).
    pub explained: bool,
}

/// Compares `spec` with `meta` (the same operation converted from the metadata);
/// `endpoints` is the metadata's region → host list.
pub fn lint(
    spec: &Spec,
    meta: &Spec,
    endpoints: &[(String, String)],
    vpc_endpoints: &[(String, String)],
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut push = |at: String, message: String| out.push((at, message));
    if spec.style != meta.style {
        push(
            "/style".into(),
            format!("style {:?}, the metadata says {:?}", spec.style, meta.style),
        );
    }
    if spec.http.method != meta.http.method {
        push(
            "/http/method".into(),
            format!(
                "method {}, the metadata's SDK method is {}",
                spec.http.method.as_str(),
                meta.http.method.as_str()
            ),
        );
    }
    if spec.http.path != meta.http.path {
        push(
            "/http/path".into(),
            format!(
                "path `{}`, the metadata says `{}`",
                spec.http.path, meta.http.path
            ),
        );
    }
    if spec.auth != meta.auth {
        push(
            "/auth".into(),
            format!(
                "authentication {:?}, the metadata says {:?}",
                spec.auth, meta.auth
            ),
        );
    }
    fields(
        &spec.request.parameters,
        &meta.request.parameters,
        "/request/parameters",
        true,
        &mut push,
    );
    for (region, host) in endpoints {
        let ours = host_for(&spec.endpoint, region);
        if ours.as_deref() != Some(host.as_str()) {
            push(
                "/endpoint".into(),
                format!(
                    "region {region}: host {}, the metadata lists {host}",
                    ours.as_deref().unwrap_or("(none)")
                ),
            );
        }
    }
    for (region, host) in vpc_endpoints {
        let ours = super::endpoint::vpc_host_for(&spec.endpoint, region);
        if ours.as_deref() != Some(host.as_str()) {
            out.push((
                "/endpoint/vpc".into(),
                format!(
                    "region {region}: VPC host {}, the metadata lists {host}",
                    ours.as_deref().unwrap_or("(none)")
                ),
            ));
        }
    }
    out.into_iter()
        .map(|(at, message)| disagreement(spec, at, message))
        .collect()
}

/// A disagreement at `at`, explained when a note of `spec` is about that part, or about the
/// field an attribute belongs to.
pub fn disagreement(spec: &Spec, at: String, message: String) -> Disagreement {
    let parent = at.rsplit_once('/').map_or("", |(p, _)| p);
    let explained = spec
        .notes
        .iter()
        .any(|n| !n.about.is_empty() && (at == n.about || parent == n.about));
    Disagreement {
        at,
        message,
        explained,
    }
}

fn fields(
    ours: &[Field],
    theirs: &[Field],
    at: &str,
    top: bool,
    push: &mut impl FnMut(String, String),
) {
    for (i, f) in ours.iter().enumerate() {
        let f_at = format!("{at}/{i}");
        let name = f.name.as_deref().unwrap_or_default();
        let Some(m) = theirs.iter().find(|m| m.name == f.name) else {
            push(f_at, format!("`{name}` is not in the metadata"));
            continue;
        };
        field(f, m, &f_at, top, push);
    }
    for m in theirs {
        if !ours.iter().any(|f| f.name == m.name) {
            push(
                at.to_owned(),
                format!(
                    "the metadata has `{}` ({}), the spec does not",
                    m.name.as_deref().unwrap_or_default(),
                    m.ty.as_str()
                ),
            );
        }
    }
}

fn field(f: &Field, m: &Field, at: &str, top: bool, push: &mut impl FnMut(String, String)) {
    let name = f.name.as_deref().unwrap_or("(item)");
    if f.ty != m.ty {
        push(
            format!("{at}/type"),
            format!(
                "`{name}` is {}, the metadata says {}",
                f.ty.as_str(),
                m.ty.as_str()
            ),
        );
    }
    if f.required.unwrap_or(false) != m.required.unwrap_or(false) && f.name.is_some() {
        push(
            format!("{at}/required"),
            format!(
                "`{name}` is {}required, the metadata says {}required",
                if f.required == Some(true) { "" } else { "not " },
                if m.required == Some(true) { "" } else { "not " }
            ),
        );
    }
    if top {
        let (loc, mloc) = (
            f.location.unwrap_or(Location::Query),
            m.location.unwrap_or(Location::Query),
        );
        if loc != mloc {
            push(
                format!("{at}/location"),
                format!("`{name}` travels in {loc:?}, the metadata says {mloc:?}"),
            );
        } else if effective(f) != effective(m) {
            push(
                format!("{at}/encoding"),
                format!(
                    "`{name}` is encoded {:?}, the metadata says {:?}",
                    effective(f),
                    effective(m)
                ),
            );
        }
    }
    if let (Some(a), Some(b)) = (&m.enum_values, &f.enum_values) {
        let missing: Vec<String> = a
            .iter()
            .filter(|v| !b.iter().any(|w| w.value == v.value))
            .map(|v| v.value.to_string())
            .collect();
        if !missing.is_empty() {
            push(
                format!("{at}/enum"),
                format!(
                    "`{name}` lacks the metadata's values {}",
                    missing.join(", ")
                ),
            );
        }
        let extra: Vec<String> = b
            .iter()
            .filter(|v| !a.iter().any(|w| w.value == v.value))
            .map(|v| v.value.to_string())
            .collect();
        if !extra.is_empty() {
            push(
                format!("{at}/enum"),
                format!(
                    "`{name}` lists values the metadata does not: {}",
                    extra.join(", ")
                ),
            );
        }
    }
    if let (Some(a), Some(b)) = (&f.fields, &m.fields) {
        fields(a, b, &format!("{at}/fields"), false, push);
    }
    if let (Some(a), Some(b)) = (&f.items, &m.items) {
        field(a, b, &format!("{at}/items"), false, push);
    }
}

/// The encoding a top-level parameter travels with, its default spelled out.
pub(crate) fn effective(f: &Field) -> Encoding {
    match f.encoding {
        Some(Encoding::Json) if f.ty == FieldType::String => Encoding::Plain,
        Some(e) => e,
        None if f.ty.is_scalar() => Encoding::Plain,
        None if f.ty == FieldType::Any || f.location == Some(Location::Body) => Encoding::Json,
        None => Encoding::Flat,
    }
}

/// The owner parameters nearly every RPC model of the official SDKs carries and the ApiDocs
/// metadata leaves out on purpose (they are not documented for callers): not reported.
const HIDDEN_OWNER_PARAMETERS: &[&str] = &[
    "OwnerAccount",
    "OwnerId",
    "ResourceOwnerAccount",
    "ResourceOwnerId",
];

/// Compares `spec` (its request wire decided by the ApiDocs metadata) with the wire the
/// official SDKs send, as the Darabonba source's `WithOptions` function `op` of `module`
/// states it: style, method, path, the request body's type, and for every parameter where it
/// travels, how it is encoded, its type and (for objects) its fields. Every difference is
/// one disagreement; a note of the spec about that part explains it.
pub fn lint_wire(
    spec: &Spec,
    module: &super::darabonba::ast::Module,
    op: &super::darabonba::Operation,
) -> Vec<Disagreement> {
    use super::darabonba::Slot;
    let mut out: Vec<(String, String)> = Vec::new();
    let p = &op.params;
    let style = match spec.style {
        codegen::spec::Style::Rpc => "RPC",
        codegen::spec::Style::Roa => "ROA",
    };
    if !p.style.is_empty() && p.style != style {
        out.push((
            "/style".into(),
            format!("style {style}, the official SDKs call it as {}", p.style),
        ));
    }
    if !p.method.is_empty() && p.method != spec.http.method.as_str() {
        out.push((
            "/http/method".into(),
            format!(
                "method {}, the official SDKs send {}",
                spec.http.method.as_str(),
                p.method
            ),
        ));
    }
    // Segments compare by their names without case or separators (`{task_id}`, `{taskId}`).
    if !p.pathname.is_empty() && squash(&p.pathname) != squash(&spec.http.path) {
        out.push((
            "/http/path".into(),
            format!(
                "path `{}`, the official SDKs send `{}`",
                spec.http.path, p.pathname
            ),
        ));
    }
    let model = op.request_model.as_deref().and_then(|m| module.model(m));
    for (i, f) in spec.request.parameters.iter().enumerate() {
        let at = format!("/request/parameters/{i}");
        let name = f.name.as_deref().unwrap_or_default();
        let own = model
            .and_then(|m| m.fields.iter().find(|mf| mf.wire_name() == name))
            .map(|mf| mf.name.clone());
        // A path segment is named after the function's parameter (`clusterId` for `ClusterId`).
        let placement = op.placements.iter().find(|pl| {
            pl.wire == name
                || own
                    .as_deref()
                    .is_some_and(|o| pl.field == o && pl.slot != Slot::Path)
                || (pl.slot == Slot::Path && squash(&pl.wire) == squash(name))
        });
        // `SystemDisk.Category`: a field of the object `SystemDisk`, flattened into that name.
        let dotted = name.split_once('.').and_then(|(stem, _)| {
            op.placements
                .iter()
                .find(|pl| pl.wire == stem && pl.shrunk.is_none())
        });
        // A whole-body object whose fields the SDKs place in the body one by one.
        let body_fields = f.location == Some(Location::Body)
            && f.fields.as_ref().is_some_and(|fs| {
                fs.iter().any(|c| {
                    op.placements.iter().any(|pl| {
                        pl.slot == Slot::Body && Some(pl.wire.as_str()) == c.name.as_deref()
                    })
                })
            });
        let (slot, shrunk) = match (placement.or(dotted), op.whole_request) {
            (Some(pl), _) => (pl.slot, pl.shrunk.as_deref()),
            (None, Some(slot)) if own.is_some() => (slot, None),
            (None, _) if body_fields => (Slot::Body, None),
            _ => {
                out.push((at, format!("`{name}` is not sent by the official SDKs")));
                continue;
            }
        };
        if dotted.is_some() && placement.is_none() {
            // Its type lives inside the object's model; the place is what is compared.
            let location = f.location.unwrap_or(Location::Query);
            if !(location == Location::Query && slot == Slot::Query
                || location == Location::Form && slot == Slot::Body)
            {
                out.push((
                    format!("{at}/location"),
                    format!(
                        "`{name}` travels in {location:?}, the official SDKs send it in {}",
                        slot.as_str()
                    ),
                ));
            }
            continue;
        }
        let location = f.location.unwrap_or(Location::Query);
        let form = p.req_body_type == "formData";
        let agrees = match location {
            Location::Query => slot == Slot::Query,
            Location::Form => slot == Slot::Body && form,
            Location::Body => {
                matches!(slot, Slot::Body | Slot::WholeBody) && !form || slot == Slot::WholeBody
            }
            Location::Header => slot == Slot::Header,
            Location::Path => slot == Slot::Path,
            Location::Host => slot == Slot::Host,
        };
        if !agrees {
            let theirs = if slot == Slot::Body && form {
                "a form body"
            } else {
                slot.as_str()
            };
            out.push((
                format!("{at}/location"),
                format!("`{name}` travels in {location:?}, the official SDKs send it in {theirs}"),
            ));
        } else if matches!(location, Location::Query | Location::Form) {
            let ours = effective(f);
            let expected = match shrunk {
                Some("json") => Some(Encoding::Json),
                Some("simple") => Some(Encoding::Simple),
                Some(_) => None,
                None if f.ty.is_scalar() => Some(Encoding::Plain),
                None => Some(Encoding::Flat),
            };
            if let Some(expected) = expected
                && ours != expected
                && !(f.ty == FieldType::Any && ours == Encoding::Json)
            {
                out.push((
                    format!("{at}/encoding"),
                    format!("`{name}` is encoded {ours:?}, the official SDKs send it {expected:?}"),
                ));
            }
        }
        if let Some(mf) = model.and_then(|m| m.fields.iter().find(|mf| mf.wire_name() == name)) {
            compare_type(f, &mf.ty, module, &at, name, &mut out, 0);
        }
    }
    for pl in &op.placements {
        let named = |n: &str| {
            spec.request.parameters.iter().any(|f| {
                f.name.as_deref() == Some(n)
                    || (pl.slot == Slot::Path
                        && f.name.as_deref().is_some_and(|w| squash(w) == squash(n)))
            })
        };
        let wire_of_field = model
            .and_then(|m| m.fields.iter().find(|mf| mf.name == pl.field))
            .map(|mf| mf.wire_name().to_owned());
        let dotted_of = |n: &str| {
            spec.request.parameters.iter().any(|f| {
                f.name
                    .as_deref()
                    .is_some_and(|w| w.strip_prefix(n).is_some_and(|r| r.starts_with('.')))
            })
        };
        let in_body_object = pl.slot == Slot::Body
            && spec.request.parameters.iter().any(|f| {
                f.location == Some(Location::Body)
                    && f.fields
                        .iter()
                        .flatten()
                        .any(|c| c.name.as_deref() == Some(pl.wire.as_str()))
            });
        if !named(&pl.wire)
            && !HIDDEN_OWNER_PARAMETERS.contains(&pl.wire.as_str())
            && !wire_of_field.as_deref().is_some_and(named)
            && !dotted_of(&pl.wire)
            && !in_body_object
        {
            out.push((
                "/request/parameters".into(),
                format!(
                    "the official SDKs send `{}` in {}, the spec has no such parameter",
                    pl.wire,
                    pl.slot.as_str()
                ),
            ));
        }
    }
    out.into_iter()
        .map(|(at, message)| disagreement(spec, at, message))
        .collect()
}

/// A name without `_` and `-`, in lower case: `cluster_id`, `clusterId` and `ClusterId` agree.
fn squash(name: &str) -> String {
    name.replace(['_', '-'], "").to_ascii_lowercase()
}

/// Compares a field's type (and an object's fields, a list's item) with the Darabonba type.
fn compare_type(
    f: &Field,
    ty: &super::darabonba::ast::TypeExpr,
    module: &super::darabonba::ast::Module,
    at: &str,
    path: &str,
    out: &mut Vec<(String, String)>,
    depth: usize,
) {
    use super::darabonba::ast::TypeExpr;
    if depth > 32 {
        return;
    }
    let (theirs, fields, item): (
        Option<FieldType>,
        Option<&[super::darabonba::ast::ModelField]>,
        Option<&TypeExpr>,
    ) = match ty {
        TypeExpr::List(item) => (Some(FieldType::Array), None, Some(item)),
        TypeExpr::Map(_, v) => (Some(FieldType::Map), None, Some(v)),
        TypeExpr::Object(fs) => (Some(FieldType::Object), Some(fs), None),
        TypeExpr::Named(n) => match n.as_str() {
            "string" => (Some(FieldType::String), None, None),
            "int8" | "int16" | "int32" | "uint8" | "uint16" | "integer" => {
                (Some(FieldType::Integer), None, None)
            }
            "int64" | "long" | "uint32" | "uint64" => (Some(FieldType::Long), None, None),
            "float" => (Some(FieldType::Float), None, None),
            "double" | "number" => (Some(FieldType::Double), None, None),
            "boolean" => (Some(FieldType::Boolean), None, None),
            "readable" | "bytes" => (Some(FieldType::Binary), None, None),
            "any" | "object" => (None, None, None),
            other => match module.model(other) {
                Some(m) => (Some(FieldType::Object), Some(m.fields.as_slice()), None),
                None => (None, None, None),
            },
        },
    };
    let Some(theirs) = theirs else { return };
    // A JSON-text parameter the spec types as a string; an untyped object as `any`.
    let compatible = f.ty == theirs
        || f.ty == FieldType::Any
        || (f.ty == FieldType::String && !theirs.is_scalar())
        || (matches!(f.ty, FieldType::Integer | FieldType::Long)
            && matches!(theirs, FieldType::Integer | FieldType::Long));
    if !compatible {
        out.push((
            format!("{at}/type"),
            format!(
                "`{path}` is {}, the official SDKs' model says {}",
                f.ty.as_str(),
                theirs.as_str()
            ),
        ));
        return;
    }
    if let (Some(ours), Some(theirs)) = (&f.fields, fields)
        && f.ty == FieldType::Object
    {
        for mf in theirs {
            let wire = mf.wire_name();
            match ours.iter().position(|o| o.name.as_deref() == Some(wire)) {
                Some(i) => compare_type(
                    &ours[i],
                    &mf.ty,
                    module,
                    &format!("{at}/fields/{i}"),
                    &format!("{path}.{wire}"),
                    out,
                    depth + 1,
                ),
                None => out.push((
                    format!("{at}/fields"),
                    format!("the official SDKs' model has `{path}.{wire}`, the spec does not"),
                )),
            }
        }
    }
    if let (Some(ours), Some(item)) = (&f.items, item) {
        compare_type(
            ours,
            item,
            module,
            &format!("{at}/items"),
            &format!("{path}[]"),
            out,
            depth + 1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::darabonba::Source;

    const TEA: &str = r"
model RunRequest {
  regionId?: string(name='RegionId'),
  price?: float(name='SpotPriceLimit'),
  systemDisk?: {
    size?: string(name='Size'),
    category?: string(name='Category'),
  }(name='SystemDisk'),
  tags?: [ string ](name='Tags'),
}

async function runWithOptions(tmpReq: RunRequest, runtime: Util.RuntimeOptions): RunResponse {
  var request = new RunShrinkRequest{};
  request.tagsShrink = OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.tags, 'Tags', 'json');
  var query = {};
  query['RegionId'] = request.regionId;
  query['SpotPriceLimit'] = request.price;
  query['SystemDisk'] = request.systemDisk;
  query['Tags'] = request.tagsShrink;
  var req = new OpenApi.OpenApiRequest{ query = OpenApiUtil.query(query) };
  var params = new OpenApi.Params{ action = 'Run', version = '2014-05-26', pathname = '/', method = 'GET', authType = 'AK', style = 'RPC', reqBodyType = 'formData', bodyType = 'json' };
  return callApi(params, req, runtime);
}
";

    fn spec(params: Vec<Field>) -> Spec {
        let text = r#"{"product": {"code": "Ecs", "module": "ecs"}, "operation": "Run",
            "api_version": "2014-05-26", "style": "RPC", "http": {"method": "POST", "path": "/"},
            "endpoint": {"rule": "regional", "host": "ecs.{region}.aliyuncs.com"},
            "source": {"page": "x", "layout": "metadata"}, "request": {"parameters": []},
            "response": {}, "errors": []}"#;
        let mut spec: Spec = serde_json::from_str(text).unwrap();
        spec.request.parameters = params;
        spec
    }

    fn param(name: &str, ty: FieldType, location: Location) -> Field {
        let mut f = Field::new(Some(name), ty);
        f.location = Some(location);
        f
    }

    #[test]
    fn each_kind_of_wire_difference_with_the_official_sdks_is_reported() {
        let source = Source::read("ecs-20140526", "tea/ecs-20140526/main.tea", TEA);
        assert_eq!(source.problems, vec![]);
        let tea = &source.operations["Run"];
        let mut disk = param("SystemDisk", FieldType::Object, Location::Query);
        disk.fields = Some(vec![Field::new(Some("Category"), FieldType::String)]);
        let mut tags = param("Tags", FieldType::Array, Location::Query);
        tags.items = Some(Box::new(Field::new(None, FieldType::String)));
        let found = lint_wire(
            &spec(vec![
                param("RegionId", FieldType::String, Location::Form),
                param("SpotPriceLimit", FieldType::Double, Location::Query),
                disk,
                tags,
                param("Gone", FieldType::String, Location::Query),
            ]),
            &source.module,
            tea,
        );
        let messages: Vec<String> = found
            .iter()
            .map(|d| format!("{}: {}", d.at, d.message))
            .collect();
        let expect = [
            "/http/method: method POST, the official SDKs send GET",
            "/request/parameters/0/location: `RegionId` travels in Form, the official SDKs send it in query",
            "/request/parameters/1/type: `SpotPriceLimit` is double, the official SDKs' model says float",
            "/request/parameters/2/fields: the official SDKs' model has `SystemDisk.Size`, the spec does not",
            "/request/parameters/3/encoding: `Tags` is encoded Flat, the official SDKs send it Json",
            "/request/parameters/4: `Gone` is not sent by the official SDKs",
        ];
        assert_eq!(messages, expect);
    }
}
