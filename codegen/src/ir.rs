//! Lowering: a validated spec becomes a Rust-oriented model of one operation module. Every
//! Rust name is decided here (through [`crate::names`]), so emission only prints.

use serde_json::Value;

use crate::names;
use crate::spec::{Condition, Constraint, Encoding, Field, FieldType, Spec};

/// A Rust type of a field (always wrapped in `Option` by emission).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    String,
    I32,
    I64,
    F32,
    F64,
    Bool,
    /// A generated struct of the operation module.
    Struct(String),
    /// A generated enum of the operation module; `int` when its wire values are integers.
    Enum {
        name: String,
        int: bool,
    },
    Vec(Box<Ty>),
}

#[derive(Debug)]
pub(crate) struct FieldIr<'a> {
    pub wire: &'a str,
    pub rust: String,
    pub ty: Ty,
    pub spec: &'a Field,
}

/// Which side of the wire a struct is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Request,
    Response,
}

#[derive(Debug)]
pub(crate) struct StructIr<'a> {
    pub name: String,
    pub description: Option<&'a str>,
    pub side: Side,
    pub fields: Vec<FieldIr<'a>>,
    pub constraints: &'a [Constraint],
}

#[derive(Debug)]
pub(crate) struct VariantIr<'a> {
    pub rust: String,
    pub wire: &'a Value,
    pub description: &'a str,
}

#[derive(Debug)]
pub(crate) struct EnumIr<'a> {
    pub name: String,
    pub description: Option<&'a str>,
    pub int: bool,
    pub variants: Vec<VariantIr<'a>>,
}

#[derive(Debug)]
pub(crate) struct ErrorIr<'a> {
    pub variant: String,
    pub spec: &'a crate::spec::ErrorCode,
}

/// One operation module.
#[derive(Debug)]
pub(crate) struct OperationIr<'a> {
    pub spec: &'a Spec,
    /// The spec's file, for the `@generated` header.
    pub path: &'a str,
    /// The module's name (`create_instance`).
    pub module: String,
    pub request: StructIr<'a>,
    pub response: StructIr<'a>,
    /// Nested structs, in order of appearance (request side first).
    pub structs: Vec<StructIr<'a>>,
    pub enums: Vec<EnumIr<'a>>,
    pub errors: Vec<ErrorIr<'a>>,
    /// Whether the operation only reads, so repeating it cannot act twice.
    pub read_only: bool,
}

impl OperationIr<'_> {
    pub(crate) fn request_name(&self) -> String {
        format!("{}Request", self.spec.operation)
    }
    pub(crate) fn response_name(&self) -> String {
        format!("{}Response", self.spec.operation)
    }

    /// The enum named `name`.
    pub(crate) fn enum_named(&self, name: &str) -> Option<&EnumIr<'_>> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The nested struct named `name`.
    pub(crate) fn struct_named(&self, name: &str) -> Option<&StructIr<'_>> {
        self.structs.iter().find(|s| s.name == name)
    }
}

/// The Rust name of a field (validation has made sure it derives without clashes).
pub(crate) fn rust_field(f: &Field) -> String {
    match (&f.rust_name, &f.name) {
        (Some(n), _) => n.clone(),
        (None, Some(wire)) => names::field_name(wire).unwrap_or_else(|_| "field".to_owned()),
        (None, None) => "item".to_owned(),
    }
}

/// The Rust name of an enum variant.
pub(crate) fn variant_name(v: &crate::spec::EnumValue) -> String {
    match (&v.rust_name, &v.value) {
        (Some(n), _) => n.clone(),
        (None, Value::String(s)) => {
            names::type_name(s, "Value").unwrap_or_else(|_| "Value".to_owned())
        }
        (None, other) => format!("Value{other}"),
    }
}

struct Lowering<'a> {
    structs: Vec<StructIr<'a>>,
    enums: Vec<EnumIr<'a>>,
}

impl<'a> Lowering<'a> {
    fn ty(&mut self, f: &'a Field, side: Side) -> Ty {
        let own_name = |explicit: &Option<String>| match (explicit, &f.name) {
            (Some(n), _) => n.clone(),
            (None, Some(wire)) => {
                names::type_name(wire, "Type").unwrap_or_else(|_| "Type".to_owned())
            }
            (None, None) => "Item".to_owned(),
        };
        match f.ty {
            FieldType::String | FieldType::Integer | FieldType::Long | FieldType::Boolean
                if f.enum_values.is_some() && f.ty != FieldType::Boolean =>
            {
                let name = own_name(&f.enum_name);
                let values = f.enum_values.as_deref().unwrap_or_default();
                self.enums.push(EnumIr {
                    name: name.clone(),
                    description: f.description.as_deref(),
                    int: f.ty != FieldType::String,
                    variants: values
                        .iter()
                        .map(|v| VariantIr {
                            rust: variant_name(v),
                            wire: &v.value,
                            description: &v.description,
                        })
                        .collect(),
                });
                Ty::Enum {
                    name,
                    int: f.ty != FieldType::String,
                }
            }
            FieldType::String => Ty::String,
            FieldType::Integer => Ty::I32,
            FieldType::Long => Ty::I64,
            FieldType::Float => Ty::F32,
            FieldType::Double => Ty::F64,
            FieldType::Boolean => Ty::Bool,
            FieldType::Object => {
                let name = own_name(&f.type_name);
                // Parent before children, as the page lists them.
                let at = self.structs.len();
                let s = self.structure(
                    name.clone(),
                    f.description.as_deref(),
                    side,
                    f.fields.as_deref().unwrap_or_default(),
                    &f.constraints,
                );
                self.structs.insert(at, s);
                Ty::Struct(name)
            }
            FieldType::Array => match &f.items {
                Some(item) => Ty::Vec(Box::new(self.ty(item, side))),
                None => Ty::Vec(Box::new(Ty::String)),
            },
        }
    }

    fn field(&mut self, f: &'a Field, side: Side) -> FieldIr<'a> {
        FieldIr {
            wire: f.name.as_deref().unwrap_or_default(),
            rust: rust_field(f),
            ty: self.ty(f, side),
            spec: f,
        }
    }

    fn structure(
        &mut self,
        name: String,
        description: Option<&'a str>,
        side: Side,
        fields: &'a [Field],
        constraints: &'a [Constraint],
    ) -> StructIr<'a> {
        let fields = fields.iter().map(|f| self.field(f, side)).collect();
        StructIr {
            name,
            description,
            side,
            fields,
            constraints,
        }
    }
}

/// Lowers one validated spec.
pub(crate) fn lower<'a>(path: &'a str, spec: &'a Spec) -> OperationIr<'a> {
    let mut l = Lowering {
        structs: Vec::new(),
        enums: Vec::new(),
    };
    // A JSON body's fields become the request's own; its constraints become the request's.
    let mut request_fields = Vec::new();
    let mut request_constraints: &[Constraint] = &spec.request.constraints;
    for p in &spec.request.parameters {
        if p.encoding == Some(Encoding::JsonBody) {
            for f in p.fields.as_deref().unwrap_or_default() {
                request_fields.push(l.field(f, Side::Request));
            }
            if !p.constraints.is_empty() {
                request_constraints = &p.constraints;
            }
        } else {
            request_fields.push(l.field(p, Side::Request));
        }
    }
    let request = StructIr {
        name: format!("{}Request", spec.operation),
        description: Some(&spec.summary),
        side: Side::Request,
        fields: request_fields,
        constraints: request_constraints,
    };
    let response_fields = spec
        .response
        .fields
        .iter()
        .map(|f| l.field(f, Side::Response))
        .collect();
    let response = StructIr {
        name: format!("{}Response", spec.operation),
        description: spec.response.description.as_deref(),
        side: Side::Response,
        fields: response_fields,
        constraints: &[],
    };
    let structs = l.structs;
    let errors = spec
        .errors
        .iter()
        .map(|e| ErrorIr {
            variant: match &e.rust_name {
                Some(n) => n.clone(),
                None => names::type_name(&e.code, "Code").unwrap_or_else(|_| "Code".to_owned()),
            },
            spec: e,
        })
        .collect();
    OperationIr {
        spec,
        path,
        module: names::field_name(&spec.operation).unwrap_or_else(|_| "operation".to_owned()),
        request,
        response,
        structs,
        enums: l.enums,
        errors,
        read_only: spec.is_read_only(),
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
