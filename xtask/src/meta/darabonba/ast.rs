//! What a Darabonba source holds, as the parser reads it: models with their fields and
//! attributes, and functions with their statements and expressions. Nothing here is decided
//! about specs yet; `wire.rs` and `response.rs` read these.

use std::collections::BTreeMap;

use super::lex::Pos;

/// One parsed `main.tea`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Module {
    /// Models in source order.
    pub models: Vec<Model>,
    /// Functions (`function`, `async function`, `api`) in source order.
    pub functions: Vec<Function>,
    /// The statements of `init(...)`, where the file has one.
    pub init: Vec<Stmt>,
}

impl Module {
    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The function named `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// `model Name { ... }` or `model Name = { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The model's name.
    pub name: String,
    /// Its fields.
    pub fields: Vec<ModelField>,
    /// Where it starts.
    pub pos: Pos,
}

/// A field of a model: `name?: type(attr='value', ...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelField {
    /// The field's own name (`instanceId`).
    pub name: String,
    /// Whether it is written without `?`.
    pub required: bool,
    /// Its type.
    pub ty: TypeExpr,
    /// Its attributes (`name`, `description`, `example`, `deprecated`, `nullable`, ...).
    pub attrs: BTreeMap<String, AttrValue>,
    /// Where it starts.
    pub pos: Pos,
}

impl ModelField {
    /// A text attribute.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self.attrs.get(key)? {
            AttrValue::Str(s) | AttrValue::Number(s) | AttrValue::Ident(s) => Some(s),
            AttrValue::Bool(_) => None,
        }
    }

    /// A boolean attribute (`deprecated=true` or `deprecated='true'`).
    pub fn flag(&self, key: &str) -> bool {
        match self.attrs.get(key) {
            Some(AttrValue::Bool(b)) => *b,
            Some(AttrValue::Str(s)) => s == "true",
            _ => false,
        }
    }

    /// The wire name: the `name` attribute, else the field's own name.
    pub fn wire_name(&self) -> &str {
        self.attr("name").unwrap_or(&self.name)
    }
}

/// A type as a model or a signature writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// A name: a scalar (`string`, `int32`, `any`, `readable`), a model (`Tag`), or a dotted
    /// one from another module (`Util.RuntimeOptions`).
    Named(String),
    /// `[ T ]`
    List(Box<TypeExpr>),
    /// `map[K]V`
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `{ fields }`: an anonymous model.
    Object(Vec<ModelField>),
}

/// An attribute's value.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// A quoted string.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A number as written.
    Number(String),
    /// A bare name.
    Ident(String),
}

/// A function: `[static] [async] function name(params)[: Ret] { body }`, or an `api`.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// The doc comment before it, where there is one.
    pub doc: Option<String>,
    /// Parameter names and types.
    pub params: Vec<(String, TypeExpr)>,
    /// The return type, where stated.
    pub ret: Option<TypeExpr>,
    /// The statements of its body (of an `api`, the request block's).
    pub body: Vec<Stmt>,
    /// Where it starts.
    pub pos: Pos,
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `var name[: T] = value;`
    Var(String, Expr),
    /// `target = value;`
    Assign(Expr, Expr),
    /// An expression on its own (a call).
    Expr(Expr),
    /// `if (cond) { then } else { otherwise }`
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `return [value];`
    Return(Option<Expr>),
    /// Any other statement holding statements (`try`, `for`, `while`, a block), or none
    /// (`break`, `throw`): what it holds, in order.
    Block(Vec<Stmt>),
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A name.
    Ident(String),
    /// `@name`
    At(String),
    /// A string.
    Str(String),
    /// A number.
    Number(String),
    /// A template string: literal text and expressions.
    Template(Vec<TemplateExpr>),
    /// `a.b`
    Member(Box<Expr>, String),
    /// `a[b]`
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`
    Call(Box<Expr>, Vec<Expr>),
    /// `new Path{ key = value, ... }` (also `new Path(args)`: no fields)
    New(String, Vec<(String, Expr)>),
    /// `{ key = value, ... }` (keys as strings)
    Object(Vec<(String, Expr)>),
    /// `[ a, b ]`
    Array(Vec<Expr>),
    /// A prefix or infix operation: the operator and its operands.
    Op(&'static str, Vec<Expr>),
}

/// A part of a template string.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateExpr {
    /// Literal text.
    Text(String),
    /// A `${...}` part.
    Expr(Expr),
}

impl Expr {
    /// The dotted path of a name or member chain (`OpenApi.Params`, `request.tag`).
    pub fn path(&self) -> Option<String> {
        match self {
            Self::Ident(s) => Some(s.clone()),
            Self::Member(base, field) => Some(format!("{}.{field}", base.path()?)),
            _ => None,
        }
    }

    /// Every expression inside this one, this one first (depth first).
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        match self {
            Self::Member(a, _) => a.walk(visit),
            Self::Index(a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            Self::Call(f, args) => {
                f.walk(visit);
                args.iter().for_each(|a| a.walk(visit));
            }
            Self::New(_, fields) | Self::Object(fields) => {
                fields.iter().for_each(|(_, v)| v.walk(visit));
            }
            Self::Array(items) | Self::Op(_, items) => items.iter().for_each(|a| a.walk(visit)),
            Self::Template(parts) => {
                for p in parts {
                    if let TemplateExpr::Expr(e) = p {
                        e.walk(visit);
                    }
                }
            }
            Self::Ident(_) | Self::At(_) | Self::Str(_) | Self::Number(_) => {}
        }
    }
}

/// Every statement in `stmts`, nested ones included, in order.
pub fn walk_stmts<'a>(stmts: &'a [Stmt], visit: &mut dyn FnMut(&'a Stmt)) {
    for s in stmts {
        visit(s);
        match s {
            Stmt::If(_, a, b) => {
                walk_stmts(a, visit);
                walk_stmts(b, visit);
            }
            Stmt::Block(inner) => walk_stmts(inner, visit),
            _ => {}
        }
    }
}
