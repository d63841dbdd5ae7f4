//! The wire facts of an operation, read from its `<op>WithOptions` function, and the endpoint
//! facts of `init`.
//!
//! A `WithOptions` function fills maps (`query['X'] = request.x;`), shrinks `style=json`
//! fields to text (`request.xShrink = OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.x,
//! 'X', 'json')`), hands the maps to an `OpenApi.OpenApiRequest { query = ..., body = ...,
//! headers = ..., hostMap = ... }` and states the call in `OpenApi.Params { action, version,
//! pathname, method, authType, style, reqBodyType, bodyType }`. These are read from the parsed
//! statements, not from text patterns.

use super::ast::{Expr, Function, Module, Stmt, TemplateExpr, TypeExpr, walk_stmts};

/// What `OpenApi.Params` states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// `action`
    pub action: String,
    /// `version`
    pub version: String,
    /// `pathname`, path parameters written `{Name}` (the function's parameter names).
    pub pathname: String,
    /// `method`, upper case.
    pub method: String,
    /// `authType` (`AK`, `Anonymous`, ...).
    pub auth_type: String,
    /// `style` (`RPC`, `ROA`).
    pub style: String,
    /// `reqBodyType` (`formData`, `json`, `binary`, `byte`, ...).
    pub req_body_type: String,
    /// `bodyType`: what the response body is (`json`, `array`, `string`, `binary`, `none`,
    /// `any`, `byte`, `xml`).
    pub body_type: String,
}

/// Where a request field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// The query string.
    Query,
    /// The body map (a form body for `reqBodyType = formData`, else a JSON body).
    Body,
    /// A header.
    Header,
    /// The host map (the host's first label).
    Host,
    /// The whole body (`body = request.body`, `stream = request.body`).
    WholeBody,
    /// A path segment.
    Path,
}

impl Slot {
    /// The slot as the issue and reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Body => "body",
            Self::Header => "header",
            Self::Host => "host",
            Self::WholeBody => "the whole body",
            Self::Path => "path",
        }
    }
}

/// One field's place on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The wire name (the map key; for a path segment or the whole body, the field's name).
    pub wire: String,
    /// Where it goes.
    pub slot: Slot,
    /// The request model's field it comes from (its own name, `Shrink` removed), or the
    /// function's parameter for a path segment.
    pub field: String,
    /// The style a shrunk field is written in (`json`, `simple`), where it is shrunk.
    pub shrunk: Option<String>,
}

/// One operation as its `WithOptions` function states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `OpenApi.Params`.
    pub params: Params,
    /// The request model (`DescribeInstancesRequest`), where the function takes one.
    pub request_model: Option<String>,
    /// The response model (`DescribeInstancesResponse`).
    pub response_model: Option<String>,
    /// Every field placed, in the function's order.
    pub placements: Vec<Placement>,
    /// The whole request goes to this slot (`query = OpenApiUtil.query(Util.toMap(request))`).
    pub whole_request: Option<Slot>,
    /// `@summary` of the doc comment.
    pub summary: Option<String>,
    /// `@description` of the doc comment.
    pub description: Option<String>,
    /// Whether the doc comment says `@deprecated`.
    pub deprecated: bool,
}

impl Operation {
    /// The response body's type: the `body` field of the response model.
    pub fn body_type<'m>(&self, module: &'m Module) -> Option<&'m TypeExpr> {
        let model = module.model(self.response_model.as_deref()?)?;
        model
            .fields
            .iter()
            .find(|f| f.name == "body")
            .map(|f| &f.ty)
    }
}

/// `@endpointRule` (not empty) and `@endpointMap` of `init`.
pub fn endpoints(module: &Module) -> (Option<String>, Vec<(String, String)>) {
    let mut rule = None;
    let mut map = Vec::new();
    walk_stmts(&module.init, &mut |s| {
        if let Stmt::Assign(Expr::At(name), value) = s {
            match (name.as_str(), value) {
                ("endpointRule", Expr::Str(r)) if !r.is_empty() => rule = Some(r.clone()),
                ("endpointMap", Expr::Object(entries)) => {
                    map = entries
                        .iter()
                        .filter_map(|(k, v)| match v {
                            Expr::Str(host) => Some((k.clone(), host.clone())),
                            _ => None,
                        })
                        .collect();
                }
                _ => {}
            }
        }
    });
    (rule, map)
}

/// Reads the wire facts of `f`, a `WithOptions` function.
pub fn operation(f: &Function) -> Result<Operation, String> {
    let named = |ty: &TypeExpr| match ty {
        TypeExpr::Named(n) => Some(n.clone()),
        _ => None,
    };
    let request_param = f
        .params
        .iter()
        .find(|(n, _)| n == "request" || n == "tmpReq");
    let request_model = request_param.and_then(|(_, t)| named(t));
    let path_params: Vec<&str> = f
        .params
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !["request", "tmpReq", "headers", "runtime"].contains(n))
        .collect();

    let mut params = None;
    let mut slots: Vec<(String, Slot)> = Vec::new();
    let mut whole_request = None;
    let mut whole_body = Vec::new();
    let mut shrunk: Vec<(String, String)> = Vec::new();
    let mut assigned: Vec<(String, String, Expr)> = Vec::new();
    let mut bad = None;
    let mut aliases: Vec<(String, String)> = Vec::new();
    // Maps made of the whole request (`var query = OpenApiUtil.query(Util.toMap(request))`).
    let mut whole_vars: Vec<String> = Vec::new();
    walk_stmts(&f.body, &mut |s| {
        let (target, value) = match s {
            Stmt::Var(name, value) => (Expr::Ident(name.clone()), value),
            Stmt::Assign(target, value) => (target.clone(), value),
            Stmt::Return(Some(Expr::Call(callee, args))) => {
                if callee.path().as_deref() == Some("doRequest") && args.len() == 8 {
                    let is_request =
                        |e: Option<&Expr>| matches!(e, Some(Expr::Ident(n)) if n == "request");
                    if is_request(args.get(5)) {
                        whole_request = Some(Slot::Query);
                    } else if is_request(args.get(6)) {
                        whole_request = Some(Slot::Body);
                    }
                }
                // The older form: `doRPCRequest(action, version, protocol, method, authType,
                // bodyType, req, runtime)`, `doROARequest(..., pathname, bodyType, req, runtime)`.
                match old_call(callee, args, &path_params) {
                    Some(Ok(p)) => params = Some(p),
                    Some(Err(e)) => bad = Some(e),
                    None => {}
                }
                return;
            }
            _ => return,
        };
        if let Expr::Ident(var) = &target {
            let mut whole = false;
            value.walk(&mut |e| {
                if let Expr::Call(_, args) = e
                    && args
                        .iter()
                        .any(|a| matches!(a, Expr::Ident(n) if n == "request"))
                {
                    whole = true;
                }
            });
            if whole && !matches!(value, Expr::New(..)) {
                whole_vars.push(var.clone());
            }
        }
        // `body = { ...body, ...OpenApiUtil.query(bodyFlat) }`: `bodyFlat` goes where `body` goes.
        if let (Expr::Ident(to), Expr::Object(entries)) = (&target, value) {
            for (_, v) in entries {
                v.walk(&mut |e| {
                    if let Expr::Ident(from) = e
                        && from != to
                    {
                        aliases.push((from.clone(), to.clone()));
                    }
                });
            }
        }
        match value {
            Expr::New(path, fields) if path == "OpenApi.Params" => {
                match read_params(fields, &path_params) {
                    Ok(p) => params = Some(p),
                    Err(e) => bad = Some(e),
                }
            }
            Expr::New(path, fields) if path == "OpenApi.OpenApiRequest" => {
                for (key, v) in fields {
                    let slot = match key.as_str() {
                        "query" => Slot::Query,
                        "body" | "stream" => Slot::Body,
                        "headers" => Slot::Header,
                        "hostMap" => Slot::Host,
                        _ => continue,
                    };
                    // `body = request.body`: the field is the whole body.
                    if let Some(field) = request_field(v) {
                        whole_body.push(field);
                        continue;
                    }
                    let mut names = Vec::new();
                    v.walk(&mut |e| match e {
                        Expr::Ident(n) => names.push(n.clone()),
                        Expr::Call(_, args)
                            if args
                                .iter()
                                .any(|a| matches!(a, Expr::Ident(n) if n == "request")) =>
                        {
                            whole_request = Some(slot);
                        }
                        _ => {}
                    });
                    for n in names {
                        if whole_vars.contains(&n) {
                            whole_request = Some(slot);
                        } else if n != "request" && n != "tmpReq" && n != "headers" {
                            slots.push((n, slot));
                        }
                    }
                }
            }
            _ => {
                // `request.xShrink = OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.x, 'X', 'json')`
                if let (Expr::Member(base, field), Expr::Call(callee, args)) = (&target, value)
                    && matches!(base.as_ref(), Expr::Ident(b) if b == "request")
                    && callee
                        .path()
                        .is_some_and(|p| p.ends_with("arrayToStringWithSpecifiedStyle"))
                    && let Some(Expr::Str(style)) = args.get(2)
                {
                    let own = field.strip_suffix("Shrink").unwrap_or(field);
                    shrunk.push((own.to_owned(), style.clone()));
                    return;
                }
                // `map['Wire'] = <something of request.x>`, or `map.Wire = ...`
                match &target {
                    Expr::Index(map, key) => {
                        if let (Expr::Ident(map), Expr::Str(wire)) = (map.as_ref(), key.as_ref()) {
                            assigned.push((map.clone(), wire.clone(), value.clone()));
                        }
                    }
                    Expr::Member(map, wire) => {
                        if let Expr::Ident(map) = map.as_ref()
                            && map != "request"
                        {
                            assigned.push((map.clone(), wire.clone(), value.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
    });
    if let Some(e) = bad {
        return Err(format!("`{}`: {e}", f.name));
    }
    let Some(params) = params else {
        return Err(format!("`{}` states no `OpenApi.Params`", f.name));
    };
    // Maps spread into a sent map go where it goes (to a fixed point: chains are short).
    for _ in 0..aliases.len() {
        for (from, to) in &aliases {
            let known = slots.iter().any(|(n, _)| n == from);
            if let (false, Some(slot)) =
                (known, slots.iter().find(|(n, _)| n == to).map(|(_, s)| *s))
            {
                slots.push((from.clone(), slot));
            }
        }
    }
    let mut placements = Vec::new();
    for (map, wire, value) in assigned {
        // `headers` is the caller's map; `realHeaders` (or any map given as `headers`) the sent one.
        let Some(slot) = slots.iter().find(|(n, _)| *n == map).map(|(_, s)| *s) else {
            continue;
        };
        let Some(field) = request_field(&value) else {
            continue;
        };
        let own = field.strip_suffix("Shrink").unwrap_or(&field).to_owned();
        let style = shrunk
            .iter()
            .find(|(f, _)| *f == own)
            .map(|(_, s)| s.clone());
        // A header sent as `Util.toJSONString(request.x)` is JSON text too.
        let style = style.or_else(|| {
            let mut json = false;
            value.walk(&mut |e| {
                if let Expr::Call(c, _) = e
                    && c.path().is_some_and(|p| p.ends_with("toJSONString"))
                {
                    json = true;
                }
            });
            json.then(|| "json".to_owned())
        });
        placements.push(Placement {
            wire,
            slot,
            field: own,
            shrunk: style,
        });
    }
    for field in whole_body {
        placements.push(Placement {
            wire: field.clone(),
            slot: Slot::WholeBody,
            field,
            shrunk: None,
        });
    }
    for p in &path_params {
        if params.pathname.contains(&format!("{{{p}}}")) {
            placements.push(Placement {
                wire: (*p).to_owned(),
                slot: Slot::Path,
                field: (*p).to_owned(),
                shrunk: None,
            });
        }
    }
    Ok(Operation {
        params,
        request_model,
        response_model: f.ret.as_ref().and_then(named),
        placements,
        whole_request,
        summary: None,
        description: None,
        deprecated: false,
    })
}

/// The request field an expression reads (`request.x`, `tmpReq.x`, or a header model's
/// `headers.x`, inside any call).
fn request_field(value: &Expr) -> Option<String> {
    let mut found = None;
    value.walk(&mut |e| {
        if found.is_none()
            && let Expr::Member(base, field) = e
            && matches!(base.as_ref(), Expr::Ident(b) if ["request", "tmpReq", "headers", "tmpHeader"].contains(&b.as_str()))
            && field != "commonHeaders"
        {
            found = Some(field.clone());
        }
    });
    found
}

/// `OpenApi.Params` as the older `doRPCRequest` / `doROARequest` / `doROARequestWithForm`
/// calls state it in their arguments; `None` for any other call.
fn old_call(callee: &Expr, args: &[Expr], path_params: &[&str]) -> Option<Result<Params, String>> {
    let name = callee.path()?;
    // `doRPCRequest(params.action, ...)` passes a `Params` already read.
    if !matches!(args.first(), Some(Expr::Str(_))) {
        return None;
    }
    let (style, body, texts) = match name.as_str() {
        "doRPCRequest" => (
            "RPC",
            "formData",
            ["action", "version", "", "method", "authType", "bodyType"].as_slice(),
        ),
        "doROARequest" => (
            "ROA",
            "json",
            [
                "action", "version", "", "method", "authType", "pathname", "bodyType",
            ]
            .as_slice(),
        ),
        "doROARequestWithForm" => (
            "ROA",
            "formData",
            [
                "action", "version", "", "method", "authType", "pathname", "bodyType",
            ]
            .as_slice(),
        ),
        // `doRequest(action, protocol, method, version, authType, query, body, runtime)`
        "doRequest" if args.len() == 8 => (
            "RPC",
            "formData",
            ["action", "", "method", "version", "authType"].as_slice(),
        ),
        // `doRequest(version, protocol, method, authType, pathname, query, headers, body,
        // runtime)`: the action is not stated.
        "doRequest" => {
            return Some(Err(
                "`doRequest` without an action (an early ROA source)".to_owned()
            ));
        }
        _ => return None,
    };
    let mut fields = vec![
        ("style".to_owned(), Expr::Str(style.to_owned())),
        ("reqBodyType".to_owned(), Expr::Str(body.to_owned())),
    ];
    if style == "RPC" {
        fields.push(("pathname".to_owned(), Expr::Str("/".to_owned())));
    }
    for (key, arg) in texts.iter().zip(args) {
        if !key.is_empty() {
            fields.push(((*key).to_owned(), arg.clone()));
        }
    }
    Some(read_params(&fields, path_params))
}

fn read_params(fields: &[(String, Expr)], path_params: &[&str]) -> Result<Params, String> {
    let mut p = Params::default();
    for (key, value) in fields {
        let text = match value {
            Expr::Str(s) => s.clone(),
            Expr::Template(parts) => template_path(parts, path_params)?,
            // `pathname = '/'` as a constant elsewhere, or an expression: not a fact we read.
            _ => continue,
        };
        match key.as_str() {
            "action" => p.action = text,
            "version" => p.version = text,
            "pathname" => p.pathname = text,
            "method" => p.method = text.to_ascii_uppercase(),
            "authType" => p.auth_type = text,
            "style" => p.style = text,
            "reqBodyType" => p.req_body_type = text,
            "bodyType" => p.body_type = text,
            _ => {}
        }
    }
    if p.action.is_empty() {
        return Err("`OpenApi.Params` has no `action`".to_owned());
    }
    Ok(p)
}

/// A template path with each `${...}` naming one of `path_params` written `{Name}`.
fn template_path(parts: &[TemplateExpr], path_params: &[&str]) -> Result<String, String> {
    let mut out = String::new();
    for part in parts {
        match part {
            TemplateExpr::Text(t) => out.push_str(t),
            TemplateExpr::Expr(e) => {
                let mut name = None;
                e.walk(&mut |x| {
                    if name.is_none()
                        && let Expr::Ident(n) = x
                        && path_params.contains(&n.as_str())
                    {
                        name = Some(n.clone());
                    }
                });
                match name {
                    Some(n) => {
                        out.push('{');
                        out.push_str(&n);
                        out.push('}');
                    }
                    None => {
                        return Err("a path segment names no parameter of the function".to_owned());
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Fills summary, description and deprecation from a doc comment (`@summary`,
/// `@description`, `@deprecated` tags; ` * ` line prefixes removed).
pub fn apply_doc(op: &mut Operation, doc: &str) {
    let lines: Vec<&str> = doc
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix('*').unwrap_or(t);
            t.strip_prefix(' ').unwrap_or(t)
        })
        .collect();
    let mut tag: Option<&str> = None;
    let mut summary = Vec::new();
    let mut description = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix('@') {
            let (name, text) = rest.split_once(' ').unwrap_or((rest, ""));
            tag = Some(match name {
                "summary" => "summary",
                "description" => "description",
                "deprecated" => {
                    op.deprecated = true;
                    "deprecated"
                }
                _ => "other",
            });
            match tag {
                Some("summary") => summary.push(text),
                Some("description") => description.push(text),
                _ => {}
            }
            continue;
        }
        match tag {
            Some("summary") => summary.push(line),
            Some("description") => description.push(line),
            _ => {}
        }
    }
    let join = |lines: Vec<&str>| {
        let text = lines.join("\n").trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    op.summary = join(summary);
    op.description = join(description);
}
