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
