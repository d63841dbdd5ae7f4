//! Emission: the lowered model printed as Rust tokens with `quote`, then formatted with
//! `prettyplease`. Names were all decided in [`crate::ir`]; std and serde items are named by
//! full path so that no generated type (`Option`, `Result`) can shadow them.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::docs::{code, prose};
use crate::ir::{
    EnumIr, ErrorIr, FieldIr, OperationIr, Side, StructIr, Ty, describe_condition, describe_demand,
    wire_text,
};
use crate::spec::{Condition, Constraint, Endpoint};

/// An identifier; `r#` marks a raw one. Names come from [`crate::names`] or were checked by
/// validation, so they are always valid identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes for rustdoc lines.
fn doc(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Recursive(name) => {
            let name = ident(name);
            quote!(::std::boxed::Box<#name>)
        }
        Ty::Map(inner) => {
            let inner = container_item(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Any => quote!(::serde_json::Value),
        Ty::Binary => quote!(crate::runtime::Binary),
        Ty::String => quote!(::std::string::String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Struct(name) | Ty::Enum { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
        Ty::Vec(inner) => {
            let inner = container_item(inner);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

/// The type of a list's item or a map's value: a recursive struct needs no box there.
pub(crate) fn container_item(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Recursive(name) => {
            let name = ident(name);
            quote!(#name)
        }
        other => ty_tokens(other),
    }
}

/// The wire value of a JSON scalar as a Rust literal or enum path.
fn value_tokens(op: &OperationIr, ty: &Ty, v: &Value) -> TokenStream {
    match (ty, v) {
        (Ty::Enum { name, .. }, _) => {
            let variant = op
                .enum_named(name)
                .and_then(|e| e.variants.iter().find(|var| var.wire == *v))
                .map_or_else(|| "Unknown".to_owned(), |var| var.rust.clone());
            let (name, variant) = (ident(name), ident(&variant));
            quote!(#name::#variant)
        }
        (_, Value::String(s)) => quote!(#s),
        (_, Value::Bool(b)) => quote!(#b),
        // A literal given to `impl Into<f32>` must say it is one (a bare float is an f64).
        (Ty::F32, Value::Number(n)) => {
            let lit = Literal::f32_suffixed(n.as_f64().unwrap_or_default() as f32);
            quote!(#lit)
        }
        (Ty::F64, Value::Number(n)) => {
            let lit = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
            quote!(#lit)
        }
        // A bare integer literal is an i32: one beyond its range says it is an i64.
        (_, Value::Number(n)) => {
            let n = n.as_i64().unwrap_or_default();
            let lit = if i32::try_from(n).is_ok() {
                Literal::i64_unsuffixed(n)
            } else {
                Literal::i64_suffixed(n)
            };
            quote!(#lit)
        }
        _ => quote!(::std::default::Default::default()),
    }
}

/// The doc lines of a field: the page's description, then its facts and rules.
fn field_doc(s: &StructIr, f: &FieldIr) -> Vec<String> {
    let mut lines = match &f.description {
        Some(d) => prose(d),
        None => vec![format!("{} (no description in the spec).", code(&f.wire))],
    };
    // The one field of a response whose body is not an object is the whole body (its
    // description says so): it has no wire name.
    let whole_body = s.side == Side::Response && f.at == "/response/value";
    let mut facts = if whole_body {
        Vec::new()
    } else {
        vec![format!("Wire name: {}.", code(&f.wire))]
    };
    if f.required {
        facts.push("Required.".to_owned());
    }
    for v in &f.meanings {
        let value = code(&wire_text(&v.value));
        facts.push(match &v.description {
            Some(d) => format!("{value}: {}", prose(d).join(" ")),
            None => format!("{value}."),
        });
    }
    if let Some(d) = &f.default {
        facts.push(format!("Default: {}.", code(&wire_text(d))));
    }
    for c in &s.rules {
        if let Some(text) = constraint_doc(c, &f.wire) {
            facts.push(text);
        }
    }
    if let Some(e) = &f.example {
        let text = if e.is_string() {
            wire_text(e)
        } else {
            e.to_string()
        };
        facts.push(format!("Example: {}.", code(&text)));
    }
    if !facts.is_empty() {
        lines.push(String::new());
        lines.extend(facts.into_iter().map(|f| format!("- {f}")));
    }
    lines
}

fn bounds_text<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".to_owned(),
    }
}

fn condition_doc(c: &Condition) -> String {
    let mut text = describe_condition(c);
    text = text.replacen(&c.field, &code(&c.field), 1);
    text
}

/// How a constraint reads in the doc of `wire`, if it concerns that field.
fn constraint_doc(c: &Constraint, wire: &str) -> Option<String> {
    let text = match c {
        Constraint::MultipleOf { field, factor } if field == wire => {
            format!("Must be a multiple of {factor}.")
        }
        Constraint::Range { field, min, max } if field == wire => {
            format!("Must be {}.", bounds_text(min, max))
        }
        Constraint::Length { field, min, max } if field == wire => {
            format!("Length: {} characters.", bounds_text(min, max))
        }
        Constraint::ItemCount { field, min, max } if field == wire => {
            format!("Holds {} items when given.", bounds_text(min, max))
        }
        Constraint::AllowedValues { field, values } if field == wire => {
            let list: Vec<String> = values.iter().map(|v| code(&wire_text(v))).collect();
            format!("Accepted values: {}.", list.join(", "))
        }
        Constraint::Ascii { field } if field == wire => "ASCII characters only.".to_owned(),
        Constraint::Pattern { field, pattern } if field == wire => {
            format!("Matches the pattern {}.", code(pattern))
        }
        Constraint::RequiredIf { field, when } if field == wire => {
            format!("Required when {}.", condition_doc(when))
        }
        Constraint::Implies { premise, then } if premise.field == wire || then.field == wire => {
            format!(
                "When {}, {} {}.",
                condition_doc(premise),
                code(&then.field),
                describe_demand(then)
            )
        }
        Constraint::DailyQuota {
            field,
            value,
            quotas,
        } if field == wire => {
            let list: Vec<String> = quotas
                .iter()
                .map(|q| format!("{} {}", q.amount, q.unit))
                .collect();
            format!(
                "Daily quota with {}: {} (enforced by the service).",
                code(&wire_text(value)),
                list.join(" and ")
            )
        }
        _ => return None,
    };
    Some(text)
}

fn serde_field_attr(f: &FieldIr) -> TokenStream {
    let wire = &f.wire;
    // serde_json would widen an f32 to the f64 nearest it (`0.10000000149011612`); the
    // runtime sends the decimal it was written as, as the official SDKs do.
    if holds_f32(&f.ty) {
        quote!(#[serde(rename = #wire, skip_serializing_if = "crate::runtime::is_none", serialize_with = "crate::runtime::float::decimal")])
    } else {
        quote!(#[serde(rename = #wire, skip_serializing_if = "crate::runtime::is_none")])
    }
}

/// Whether a field's type is `f32`, or lists and maps of them.
fn holds_f32(ty: &Ty) -> bool {
    match ty {
        Ty::F32 => true,
        Ty::Vec(inner) | Ty::Map(inner) => holds_f32(inner),
        _ => false,
    }
}

/// A struct, with (request side) its builder and rules.
fn structure(op: &OperationIr, s: &StructIr, top: bool, rust_path: &str) -> TokenStream {
    let name = ident(&s.name);
    let mut type_doc = match &s.description {
        Some(d) => prose(d),
        None => vec![format!("{} (no description in the spec).", code(&s.name))],
    };
    if top && s.side == Side::Request {
        type_doc.extend(request_example(op, rust_path));
    }
    let type_doc = doc(&type_doc);
    let response = s.side == Side::Response;
    let fields = s.fields.iter().map(|f| {
        let doc = doc(&field_doc(s, f));
        // A response reads its fields through the runtime's table (below), not serde's derive.
        let attr = (!response).then(|| serde_field_attr(f));
        let rust = ident(&f.rust);
        let ty = ty_tokens(&f.ty);
        quote!(#doc #attr pub #rust: ::std::option::Option<#ty>,)
    });
    let unlisted = s.open.then(|| {
        quote! {
            /// The elements of the response the spec does not list, by wire name, as JSON: the
            /// source describes no (or not every) response element, so none is invented and
            /// none is lost.
            pub unlisted: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
        }
    });
    if response {
        // Deserialize (and, with `serde-full`, Serialize) from a table of wire names: a few
        // lines per field where serde's derive writes a visitor per struct.
        let names = s.fields.iter().map(|f| ident(&f.rust));
        let wires = s.fields.iter().map(|f| f.wire.as_str());
        let open = s.open.then(|| quote!(open));
        return quote! {
            #type_doc
            #[derive(Debug, Clone, PartialEq, Default)]
            #[non_exhaustive]
            pub struct #name { #(#fields)* #unlisted }

            crate::runtime::response_fields!(#name #open { #(#names = #wires),* });
        };
    }
    let definition = quote! {
        #type_doc
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize)]
        #[cfg_attr(any(feature = "mock", feature = "serde-full"), derive(::serde::Deserialize))]
        #[non_exhaustive]
        pub struct #name { #(#fields)* #unlisted }
    };
    let builder = ident(&format!("{}Builder", s.name));
    let builder_doc = format!(" A builder for [`{}`].", s.name);
    let setters = s.fields.iter().map(setter);
    let build = if top {
        quote! {
            /// Builds the request, checking every rule the reference page states; the error
            /// lists every violated rule.
            pub fn build(self) -> ::std::result::Result<#name, crate::runtime::ValidationErrors> {
                self.inner.validate()?;
                ::std::result::Result::Ok(self.inner)
            }
        }
    } else {
        quote! {
            /// Builds the value; its rules are checked when the request holding it is built.
            pub fn build(self) -> #name {
                self.inner
            }
        }
    };
    let validate_fn = top.then(|| {
        quote! {
            /// Checks every rule the reference page states (as `build()` does), for a request
            /// that was made another way, e.g. read from JSON.
            pub fn validate(&self) -> ::std::result::Result<(), crate::runtime::ValidationErrors> {
                crate::runtime::Validator::check(self)
            }
        }
    });
    let rules = rules(op, s);
    quote! {
        #definition

        impl #name {
            /// A builder for this type.
            pub fn builder() -> #builder {
                <#builder as ::std::default::Default>::default()
            }
            #validate_fn
        }

        impl crate::runtime::Validate for #name {
            fn validate_into(&self, v: &mut crate::runtime::Validator) {
                #rules
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #builder { inner: #name }

        impl #builder {
            #(#setters)*
            #build
        }
    }
}

fn setter(f: &FieldIr) -> TokenStream {
    let rust = ident(&f.rust);
    // The first sentence: the field's own docs hold the rest.
    let summary = f
        .description
        .as_deref()
        .and_then(|d| prose(d).into_iter().find(|l| !l.is_empty()))
        .map(|p| match p.find(". ") {
            Some(end) => p[..=end].to_owned(),
            None => p,
        })
        .unwrap_or_default();
    let doc = format!(" Sets {}. {summary}", code(&f.wire));
    let doc = doc.trim_end();
    match &f.ty {
        // A list of text takes `["a", "b"]` as well as strings.
        Ty::Vec(inner) if **inner == Ty::String => quote! {
            #[doc = #doc]
            pub fn #rust(
                mut self,
                items: impl ::std::iter::IntoIterator<
                    Item = impl ::std::convert::Into<::std::string::String>,
                >,
            ) -> Self {
                self.inner.#rust = ::std::option::Option::Some(
                    items.into_iter().map(::std::convert::Into::into).collect(),
                );
                self
            }
        },
        Ty::Vec(inner) => {
            let inner = container_item(inner);
            quote! {
                #[doc = #doc]
                pub fn #rust(mut self, items: impl ::std::iter::IntoIterator<Item = #inner>) -> Self {
                    self.inner.#rust = ::std::option::Option::Some(items.into_iter().collect());
                    self
                }
            }
        }
        Ty::Map(inner) => {
            let inner = container_item(inner);
            quote! {
                #[doc = #doc]
                pub fn #rust<K: ::std::convert::Into<::std::string::String>>(
                    mut self,
                    entries: impl ::std::iter::IntoIterator<Item = (K, #inner)>,
                ) -> Self {
                    self.inner.#rust = ::std::option::Option::Some(
                        entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
                    );
                    self
                }
            }
        }
        ty => {
            let ty = ty_tokens(ty);
            quote! {
                #[doc = #doc]
                pub fn #rust(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.inner.#rust = ::std::option::Option::Some(value.into());
                    self
                }
            }
        }
    }
}

/// A boolean expression over `self`: whether `c` holds.
fn condition_expr(op: &OperationIr, s: &StructIr, c: &Condition) -> TokenStream {
    let Some(f) = s.field(&c.field) else {
        return quote!(false);
    };
    let rust = ident(&f.rust);
    if let Some(present) = c.present {
        return if present {
            quote!(self.#rust.is_some())
        } else {
            quote!(self.#rust.is_none())
        };
    }
    let values: Vec<&Value> = match (&c.equals, &c.one_of) {
        (Some(v), _) => vec![v],
        (None, Some(list)) => list.iter().collect(),
        (None, None) => Vec::new(),
    };
    let patterns = values.iter().map(|v| value_tokens(op, &f.ty, v));
    let scrutinee = match f.ty {
        Ty::String => quote!(self.#rust.as_deref()),
        _ => quote!(self.#rust),
    };
    quote!(::std::matches!(#scrutinee, ::std::option::Option::Some(#(#patterns)|*)))
}

/// The field a constraint's violation is reported under (none for documentation-only ones).
fn constraint_target(c: &Constraint) -> Option<&str> {
    match c {
        Constraint::Implies { then, .. } => Some(&then.field),
        Constraint::DailyQuota { .. } => None,
        other => other.field(),
    }
}

/// The `validate_into` body of a request-side struct: per field, in field order, its own
/// checks and then the stated rules reported under it, so violations come out in page order.
fn rules(op: &OperationIr, s: &StructIr) -> TokenStream {
    let mut out = TokenStream::new();
    for f in &s.fields {
        let wire = f.wire.as_str();
        let rust = ident(&f.rust);
        if f.required {
            out.extend(quote!(v.required(#wire, &self.#rust);));
        }
        match &f.ty {
            Ty::Enum { .. } => out.extend(quote!(v.known(#wire, self.#rust.as_ref());)),
            Ty::Struct(_) => out.extend(quote!(v.nested(#wire, self.#rust.as_ref());)),
            Ty::Recursive(_) => out.extend(quote!(v.nested(#wire, self.#rust.as_deref());)),
            Ty::Vec(inner) => match **inner {
                Ty::Enum { .. } => out.extend(quote!(v.known_each(#wire, self.#rust.as_deref());)),
                Ty::Struct(_) | Ty::Recursive(_) => {
                    out.extend(quote!(v.each(#wire, self.#rust.as_deref());));
                }
                _ => {}
            },
            Ty::Map(inner) => match **inner {
                Ty::Enum { .. } => out.extend(quote!(v.known_values(#wire, self.#rust.as_ref());)),
                Ty::Struct(_) | Ty::Recursive(_) => {
                    out.extend(quote!(v.each_value(#wire, self.#rust.as_ref());));
                }
                _ => {}
            },
            _ => {}
        }
        for c in s
            .rules
            .iter()
            .filter(|c| constraint_target(c) == Some(wire))
        {
            out.extend(rule(op, s, f, c));
        }
    }
    if out.is_empty() {
        out = quote!(let _ = v;);
    }
    out
}

/// The check of one stated rule on the field `f` it is reported under.
fn rule(op: &OperationIr, s: &StructIr, f: &FieldIr, c: &Constraint) -> TokenStream {
    let opt_usize = |n: &Option<u64>| match n {
        Some(n) => {
            let lit = Literal::usize_unsuffixed(usize::try_from(*n).unwrap_or(usize::MAX));
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    };
    let opt_f64 = |n: &Option<f64>| match n {
        Some(n) => {
            let lit = Literal::f64_unsuffixed(*n);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    };
    let (wire, rust) = (f.wire.as_str(), ident(&f.rust));
    // An enumerated field's value is read through its enum: the number it stands for, or its
    // text.
    let number = match f.ty {
        Ty::Enum { int: true, .. } => quote!(self.#rust.as_ref().map(|e| e.value())),
        _ => quote!(self.#rust.map(i64::from)),
    };
    let text = match f.ty {
        Ty::Enum { .. } => quote!(self.#rust.as_ref().map(|e| e.as_str())),
        _ => quote!(self.#rust.as_deref()),
    };
    match c {
        Constraint::MultipleOf { factor, .. } => {
            let factor = Literal::i64_unsuffixed(*factor);
            quote!(v.multiple_of(#wire, #number, #factor);)
        }
        Constraint::Range { min, max, .. } => {
            let (min, max) = (opt_f64(min), opt_f64(max));
            let value = match f.ty {
                Ty::Enum { .. } => quote!(#number.map(|n| n as f64)),
                _ => quote!(self.#rust.map(|n| n as f64)),
            };
            quote!(v.range(#wire, #value, #min, #max);)
        }
        Constraint::Length { min, max, .. } => {
            let (min, max) = (opt_usize(min), opt_usize(max));
            quote!(v.length(#wire, #text, #min, #max);)
        }
        Constraint::ItemCount { min, max, .. } => {
            let (min, max) = (opt_usize(min), opt_usize(max));
            match f.ty {
                Ty::Map(_) => quote!(v.entry_count(#wire, self.#rust.as_ref(), #min, #max);),
                _ => quote!(v.item_count(#wire, self.#rust.as_deref(), #min, #max);),
            }
        }
        Constraint::AllowedValues { values, .. } => {
            let allowed = values.iter().map(wire_text);
            quote!(v.allowed_values(#wire, self.#rust.as_ref(), &[#(#allowed),*]);)
        }
        Constraint::Ascii { .. } => quote!(v.ascii(#wire, #text);),
        Constraint::Pattern { pattern, .. } => quote!(v.pattern(#wire, #text, #pattern);),
        Constraint::RequiredIf { when, .. } => {
            let holds = condition_expr(op, s, when);
            let words = describe_condition(when);
            quote!(v.required_if(#wire, self.#rust.is_some(), #holds, #words);)
        }
        Constraint::Implies { premise, then } => {
            let (holds, met) = (condition_expr(op, s, premise), condition_expr(op, s, then));
            let (demand, words) = (describe_demand(then), describe_condition(premise));
            quote!(v.implies(#wire, #holds, #met, #demand, #words);)
        }
        Constraint::DailyQuota { .. } => TokenStream::new(),
    }
}

fn enumeration(e: &EnumIr) -> TokenStream {
    let name = ident(&e.name);
    let type_doc = doc(&match &e.description {
        Some(d) => prose(d),
        None => vec![format!("The values of {}.", code(&e.name))],
    });
    let variants = e.variants.iter().map(|v| {
        let mut lines = v.description.as_deref().map(prose).unwrap_or_default();
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Wire value: {}.", code(&wire_text(&v.wire))));
        let doc = doc(&lines);
        let var = ident(&v.rust);
        quote!(#doc #var,)
    });
    let names: Vec<Ident> = e.variants.iter().map(|v| ident(&v.rust)).collect();
    if e.int {
        let ints = e
            .variants
            .iter()
            .map(|v| Literal::i64_unsuffixed(v.wire.as_i64().unwrap_or_default()));
        return quote! {
            #type_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value the reference page does not list, kept as received.
                Unknown(crate::runtime::UnknownNumber),
            }

            crate::runtime::int_enum_impls!(#name { #(#names = #ints),* });
        };
    }
    let wires: Vec<String> = e.variants.iter().map(|v| wire_text(&v.wire)).collect();
    quote! {
        #type_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the reference page does not list, kept as received.
            Unknown(crate::runtime::UnknownValue),
        }

        crate::runtime::string_enum_impls!(#name { #(#names = #wires),* });
    }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn error_codes(errors: &[ErrorIr]) -> TokenStream {
    let rows = errors.iter().map(|e| {
        let (status, code, message) = (e.http_status, e.code.as_str(), e.message.as_str());
        let description = opt_str(e.description.as_deref());
        quote! {
            crate::runtime::ErrorCodeInfo { http_status: #status, code: #code, message: #message, description: #description },
        }
    });
    let count = errors.len();
    let variants = errors.iter().map(|e| {
        let mut lines = vec![format!(
            "{} (HTTP {}): {}",
            code(&e.code),
            e.http_status,
            prose(&e.message).join(" ")
        )];
        if let Some(d) = &e.description {
            lines.push(String::new());
            lines.extend(prose(d));
        }
        let doc = doc(&lines);
        let var = ident(&e.variant);
        quote!(#doc #var,)
    });
    let names: Vec<Ident> = errors.iter().map(|e| ident(&e.variant)).collect();
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    quote! {
        const TABLE: [crate::runtime::ErrorCodeInfo; #count] = [#(#rows)*];

        /// The error codes the reference page documents for this operation: HTTP status, code,
        /// message and description.
        pub const ERROR_CODES: &[crate::runtime::ErrorCodeInfo] = &TABLE;

        /// An error code of this operation: one the page documents, or any other, kept as
        /// received.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code the page does not document, kept as received.
            Unknown(crate::runtime::UnknownValue),
        }

        crate::runtime::error_code_impls!(ErrorCode, OPERATION { #(#names = #codes),* });
    }
}

fn authorization(op: &OperationIr) -> TokenStream {
    let rows = op.authorization.iter().map(|row| {
        let action = row.action.as_str();
        let level = row.access_level.as_str();
        let resources = row.resource_types.iter().map(|r| {
            let (name, required, arn) = (r.name.as_str(), r.required, opt_str(r.arn.as_deref()));
            quote!(crate::runtime::RamResourceType { name: #name, required: #required, arn: #arn })
        });
        let keys = &row.condition_keys;
        let deps = &row.dependent_actions;
        quote! {
            crate::runtime::RamAuthorization {
                action: #action,
                access_level: #level,
                resource_types: &[#(#resources),*],
                condition_keys: &[#(#keys),*],
                dependent_actions: &[#(#deps),*],
            }
        }
    });
    let first = op
        .authorization
        .first()
        .map(|r| r.action.as_str())
        .unwrap_or_default();
    let doc = format!(
        " The RAM authorization this operation needs, as the page's table states it (`{first}`, ...)."
    );
    quote! {
        #[doc = #doc]
        pub const AUTHORIZATION: &[crate::runtime::RamAuthorization] = &[#(#rows),*];
    }
}

/// Builder-call tokens for an example value of a field's type; collects the nested type names
/// it uses.
fn example_expr(op: &OperationIr, ty: &Ty, v: &Value, used: &mut BTreeSet<String>) -> TokenStream {
    match (ty, v) {
        (Ty::Struct(name) | Ty::Recursive(name), Value::Object(map)) => {
            used.insert(name.clone());
            let calls = op
                .struct_named(name)
                .map(|s| builder_calls(op, s, map, used))
                .unwrap_or_default();
            let name = ident(name);
            quote!(#name::builder() #calls .build())
        }
        (Ty::Vec(inner), Value::Array(items)) => {
            let items = items.iter().map(|x| example_expr(op, inner, x, used));
            quote!([#(#items),*])
        }
        (Ty::Map(inner), Value::Object(entries)) => {
            let entries = entries.iter().map(|(k, x)| {
                let value = example_expr(op, inner, x, used);
                quote!((#k, #value))
            });
            quote!([#(#entries),*])
        }
        (Ty::Enum { name, .. }, _) => {
            used.insert(name.clone());
            value_tokens(op, ty, v)
        }
        _ => value_tokens(op, ty, v),
    }
}

fn builder_calls(
    op: &OperationIr,
    s: &StructIr,
    map: &serde_json::Map<String, Value>,
    used: &mut BTreeSet<String>,
) -> TokenStream {
    let calls = s.fields.iter().filter_map(|f| {
        // Untyped values and bytes have no literal form worth showing.
        if matches!(f.ty, Ty::Any | Ty::Binary) {
            return None;
        }
        let v = map.get(&f.wire)?;
        let rust = ident(&f.rust);
        let value = example_expr(op, &f.ty, v, used);
        Some(quote!(.#rust(#value)))
    });
    quote!(#(#calls)*)
}

/// The `# Example` section of a request type's doc: the page's example values, built and
/// validated. Compiled by `cargo test --doc`.
fn request_example(op: &OperationIr, rust_path: &str) -> Vec<String> {
    let Value::Object(map) = &op.example_request else {
        return Vec::new();
    };
    let mut used = BTreeSet::new();
    let calls = builder_calls(op, &op.request, map, &mut used);
    let request = ident(op.request_name());
    let body = quote! {
        fn example() -> ::std::result::Result<(), generated_sdk::ValidationErrors> {
            let request = #request::builder() #calls .build()?;
            ::std::result::Result::Ok(())
        }
    };
    let Ok(file) = syn::parse2::<syn::File>(body) else {
        return Vec::new();
    };
    let text = prettyplease::unparse(&file);
    let inner: Vec<&str> = text.lines().collect();
    // Keep the function's statements, minus the final `Ok(())`, dedented.
    let statements = inner
        .get(1..inner.len().saturating_sub(2))
        .unwrap_or_default();
    let module = rust_path;
    let mut lines = vec![
        String::new(),
        "# Example".to_owned(),
        String::new(),
        "A request made of the page's example values:".to_owned(),
        String::new(),
        "```".to_owned(),
        format!("use generated_sdk::{module}::{request};"),
    ];
    if !used.is_empty() {
        let list: Vec<&str> = used.iter().map(String::as_str).collect();
        let list = if list.len() == 1 {
            list[0].to_owned()
        } else {
            format!("{{{}}}", list.join(", "))
        };
        lines.push(format!(
            "use generated_sdk::{module}::{}::{list};",
            op.module
        ));
    }
    lines.push(String::new());
    lines.extend(
        statements
            .iter()
            .map(|l| l.strip_prefix("    ").unwrap_or(l).to_owned()),
    );
    lines.push("# let _ = request;".to_owned());
    lines.push("# Ok::<(), generated_sdk::ValidationErrors>(())".to_owned());
    lines.push("```".to_owned());
    lines
}

/// The file of one operation module, held by the module at `rust_path` (`ecs`, or
/// `ecs::v2014_05_26` where the product has several versions).
pub(crate) fn operation_file(op: &OperationIr, rust_path: &str) -> TokenStream {
    let mut module_doc = vec![format!(
        "{} ({} API {}): {}",
        code(&op.operation),
        code(&op.product.code),
        op.api_version,
        op.summary.as_deref().map_or_else(
            || "(no page summary yet).".to_owned(),
            |s| prose(s).join(" ")
        )
    )];
    if let Some(d) = &op.description {
        module_doc.push(String::new());
        module_doc.extend(prose(d));
    }
    module_doc.push(String::new());
    module_doc.push(format!(
        "The request and response types are re-exported at the product's root; this module also holds the operation's nested types and enums, its error codes ([`ERROR_CODES`], [`ErrorCode`]) and its RAM authorization ([`AUTHORIZATION`]). Source page: {}.",
        code(&op.source_page)
    ));
    let module_doc = inner_doc(&module_doc);
    let request = structure(op, &op.request, true, rust_path);
    let response = structure(op, &op.response, true, rust_path);
    let structs = op
        .structs
        .iter()
        .map(|s| structure(op, s, false, rust_path));
    let enums = op.enums.iter().map(enumeration);
    let errors = error_codes(&op.errors);
    let ram = authorization(op);
    let wire = crate::wire::operation_items(op);
    let paging = op
        .pagination
        .as_ref()
        .map(|p| crate::paging::paged_impls(op, p));
    quote! {
        #(#module_doc)*
        #request
        #response
        #wire
        #paging
        #(#structs)*
        #(#enums)*
        #errors
        #ram
    }
}

/// The product's display name and code, as the first of its specs that names it says
/// (specs from the metadata alone may not).
fn product_title(ops: &[&OperationIr]) -> String {
    let code_text = ops
        .first()
        .map(|op| code(&op.product.code))
        .unwrap_or_default();
    match ops.iter().find_map(|op| op.product.name.as_deref()) {
        Some(name) => format!("{name} ({code_text})"),
        None => code_text,
    }
}

/// The file of one product module, or of one version's module where `versioned`.
pub(crate) fn product_file(ops: &[&OperationIr], versioned: bool) -> TokenStream {
    let Some(first) = ops.first() else {
        return TokenStream::new();
    };
    let product = product_title(ops);
    let mut lines = vec![format!("{product}, API version {}.", first.api_version)];
    if versioned {
        lines.push(String::new());
        lines.push(
            "One of the product's API versions; the product's module re-exports the newest."
                .to_owned(),
        );
    }
    if let Endpoint::Regional { host, .. } = &first.endpoint {
        lines.push(String::new());
        lines.push(format!("Endpoint: {}.", code(host)));
    }
    let module_doc = inner_doc(&lines);
    let items = ops.iter().map(|op| {
        let module = ident(&op.module);
        let (req, builder, resp) = (
            ident(op.request_name()),
            ident(&format!("{}Builder", op.request_name())),
            ident(op.response_name()),
        );
        quote! {
            pub mod #module;
            pub use #module::{#req, #builder, #resp};
        }
    });
    let client = crate::wire::product_client(ops);
    quote! {
        #(#module_doc)*
        #(#items)*
        #client
    }
}

/// The module of a product with several API versions: a module per version (`versions`, oldest
/// first, as (module, version)), the newest re-exported.
pub(crate) fn versions_file(ops: &[&OperationIr], versions: &[(String, &str)]) -> TokenStream {
    let (Some(first), Some((newest, newest_version))) = (ops.first(), versions.last()) else {
        return TokenStream::new();
    };
    let product = product_title(ops);
    let list: Vec<String> = versions
        .iter()
        .map(|(module, version)| format!("[`{module}`] ({version})"))
        .collect();
    let lines = [
        format!("{product}, API versions {}.", list.join(", ")),
        String::new(),
        format!(
            "The newest, {newest_version}, is re-exported here: `{}::Client` and its requests are those of [`{newest}`]; an older version's are in its module.",
            first.product.module
        ),
    ];
    let module_doc = inner_doc(&lines);
    let modules = versions.iter().map(|(module, _)| {
        let module = ident(module);
        quote!(pub mod #module;)
    });
    let newest = ident(newest);
    quote! {
        #(#module_doc)*
        #(#modules)*
        pub use #newest::*;
    }
}

/// A module's `//!` doc lines (an empty string is a blank line).
fn inner_doc(lines: &[String]) -> Vec<TokenStream> {
    lines
        .iter()
        .map(|l| {
            let text = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#![doc = #text])
        })
        .collect()
}

/// Formats tokens as a file, behind the `@generated` header.
pub(crate) fn format(tokens: TokenStream, sources: &[&str]) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    let body = prettyplease::unparse(&file);
    let mut out = String::from("// @generated by `cargo xtask codegen` from ");
    out.push_str(&sources.join(", "));
    out.push_str(".\n// Do not edit: change the spec and run `cargo xtask codegen`.\n\n");
    out.push_str(&body);
    Ok(out)
}
