//! A recursive-descent parser for the Darabonba sources of Alibaba's official SDKs.
//!
//! It reads the whole language the 822 product sources use (imports, `extends`, `type`
//! declarations, `init`, models, functions, `api` blocks, statements and expressions) into
//! [`ast`](super::ast). An error is recorded with its line and column and the parser goes on
//! at the next top-level item (one that starts a line), so one pass reports every problem of a
//! file. It never panics: nesting deeper than [`MAX_DEPTH`] is an error, not a stack overflow.

use std::collections::BTreeMap;

use super::ast::{
    AttrValue, Expr, Function, Model, ModelField, Module, Stmt, TemplateExpr, TypeExpr,
};
use super::lex::{Pos, TemplatePart, Tok, Token, lex};

/// How deep types, expressions and blocks may nest.
pub const MAX_DEPTH: usize = 200;

/// A problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
}

/// Parses `text`: what could be read, and every problem met.
pub fn parse(text: &str) -> (Module, Vec<ParseError>) {
    let mut p = Parser {
        toks: lex(text),
        at: 0,
        depth: 0,
        errors: Vec::new(),
        end: Pos::default(),
    };
    p.end = p.toks.last().map(|t| t.pos).unwrap_or_default();
    let mut module = Module::default();
    p.module(&mut module);
    (module, p.errors)
}

type Result<T> = std::result::Result<T, ParseError>;

struct Parser {
    toks: Vec<Token>,
    at: usize,
    depth: usize,
    errors: Vec<ParseError>,
    end: Pos,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.at + n).map(|t| &t.tok)
    }

    fn pos(&self) -> Pos {
        self.toks.get(self.at).map_or(self.end, |t| t.pos)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T> {
        let found = match self.peek() {
            None => "the end of the file".to_owned(),
            Some(Tok::Error(e)) => return Err(self.err_here(e.clone())),
            Some(t) => describe(t),
        };
        Err(self.err_here(format!("{}, found {found}", message.into())))
    }

    fn err_here(&self, message: String) -> ParseError {
        ParseError {
            pos: self.pos(),
            message,
        }
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
        if yes {
            self.at += 1;
        }
        yes
    }

    fn eat_ident(&mut self, word: &str) -> bool {
        let yes = self.is_ident(word);
        if yes {
            self.at += 1;
        }
        yes
    }

    fn expect(&mut self, p: &str) -> Result<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            self.error(format!("expected `{p}`"))
        }
    }

    fn ident(&mut self) -> Result<String> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.at += 1;
                Ok(s)
            }
            _ => self.error("expected a name"),
        }
    }

    /// Runs `f` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return self.error(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    /// Skips to the next top-level item: a name or a doc comment that starts a line (the
    /// sources indent everything inside an item). Always moves at least one token.
    fn recover(&mut self) {
        self.at += 1;
        while let Some(t) = self.toks.get(self.at) {
            let starts_item = t.pos.col == 1 && matches!(t.tok, Tok::Ident(_) | Tok::Doc(_));
            if starts_item {
                return;
            }
            self.at += 1;
        }
    }

    fn module(&mut self, module: &mut Module) {
        let mut doc = None;
        while let Some(tok) = self.peek().cloned() {
            let start = self.at;
            let result = match tok {
                Tok::Doc(text) => {
                    doc = Some(text);
                    self.at += 1;
                    continue;
                }
                Tok::Ident(word) => match word.as_str() {
                    "import" | "extends" => self.skip_declaration(),
                    "const" => self.const_declaration(),
                    "type" => self.type_declaration(),
                    "init" => self.init().map(|body| module.init = body),
                    "model" => self.model().map(|m| module.models.push(m)),
                    "function" | "async" | "static" | "api" => {
                        self.function(doc.take()).map(|f| module.functions.push(f))
                    }
                    _ => self.error("expected a model, a function or another top-level item"),
                },
                _ => self.error("expected a model, a function or another top-level item"),
            };
            doc = None;
            if let Err(e) = result {
                self.errors.push(e);
                self.depth = 0;
                if self.at < start {
                    self.at = start;
                }
                self.recover();
            }
        }
    }

    /// `import X;` or `extends X;`
    fn skip_declaration(&mut self) -> Result<()> {
        self.at += 1;
        self.path()?;
        self.eat_punct(";");
        Ok(())
    }

    /// `const name = value;`
    fn const_declaration(&mut self) -> Result<()> {
        self.at += 1;
        self.ident()?;
        self.expect("=")?;
        self.expr()?;
        self.eat_punct(";");
        Ok(())
    }

    /// `type @name = T;`
    fn type_declaration(&mut self) -> Result<()> {
        self.at += 1;
        match self.peek() {
            Some(Tok::At(_) | Tok::Ident(_)) => self.at += 1,
            _ => return self.error("expected the declared name"),
        }
        self.expect("=")?;
        self.type_expr()?;
        self.eat_punct(";");
        Ok(())
    }

    fn init(&mut self) -> Result<Vec<Stmt>> {
        self.at += 1;
        self.params()?;
        self.block()
    }

    /// `model Name { fields }` or `model Name = { fields }`.
    fn model(&mut self) -> Result<Model> {
        let pos = self.pos();
        self.at += 1;
        let name = self.path()?;
        self.eat_punct("=");
        let fields = self.fields()?;
        self.eat_punct(";");
        Ok(Model { name, fields, pos })
    }

    /// `{ field, field, ... }` (the trailing comma optional).
    fn fields(&mut self) -> Result<Vec<ModelField>> {
        self.expect("{")?;
        self.nested(|p| {
            let mut out = Vec::new();
            while !p.eat_punct("}") {
                out.push(p.field()?);
                if !p.eat_punct(",") && !p.eat_punct(";") && !p.is_punct("}") {
                    return p.error("expected `,` or `}` after a field");
                }
            }
            Ok(out)
        })
    }

    fn field(&mut self) -> Result<ModelField> {
        let pos = self.pos();
        let name = match self.peek() {
            Some(Tok::Ident(s) | Tok::Str(s)) => {
                let s = s.clone();
                self.at += 1;
                s
            }
            _ => return self.error("expected a field name"),
        };
        let required = !self.eat_punct("?");
        self.expect(":")?;
        let ty = self.type_expr()?;
        let attrs = if self.is_punct("(") {
            self.attrs()?
        } else {
            BTreeMap::new()
        };
        Ok(ModelField {
            name,
            required,
            ty,
            attrs,
            pos,
        })
    }

    /// `(key=value, ...)`
    fn attrs(&mut self) -> Result<BTreeMap<String, AttrValue>> {
        self.expect("(")?;
        let mut out = BTreeMap::new();
        while !self.eat_punct(")") {
            let key = self.ident()?;
            self.expect("=")?;
            let negative = self.eat_punct("-");
            let value = match self.peek().cloned() {
                Some(Tok::Str(s)) => AttrValue::Str(s),
                Some(Tok::Number(n)) if negative => AttrValue::Number(format!("-{n}")),
                Some(Tok::Number(n)) => AttrValue::Number(n),
                Some(Tok::Ident(w)) if w == "true" || w == "false" => AttrValue::Bool(w == "true"),
                Some(Tok::Ident(w)) => AttrValue::Ident(w),
                _ => return self.error(format!("expected the value of attribute `{key}`")),
            };
            self.at += 1;
            out.insert(key, value);
            if !self.eat_punct(",") && !self.is_punct(")") {
                return self.error("expected `,` or `)` in attributes");
            }
        }
        Ok(out)
    }

    /// A dotted name: `A`, `A.B`.
    fn path(&mut self) -> Result<String> {
        let mut s = self.ident()?;
        while self.is_punct(".") && matches!(self.peek_at(1), Some(Tok::Ident(_))) {
            self.at += 1;
            s.push('.');
            s.push_str(&self.ident()?);
        }
        Ok(s)
    }

    fn type_expr(&mut self) -> Result<TypeExpr> {
        self.nested(|p| {
            if p.is_punct("{") {
                return Ok(TypeExpr::Object(p.fields()?));
            }
            if p.eat_punct("[") {
                let item = p.type_expr()?;
                p.expect("]")?;
                return Ok(TypeExpr::List(Box::new(item)));
            }
            if p.is_ident("map") && matches!(p.peek_at(1), Some(Tok::Punct("["))) {
                p.at += 2;
                let key = p.type_expr()?;
                p.expect("]")?;
                let value = p.type_expr()?;
                return Ok(TypeExpr::Map(Box::new(key), Box::new(value)));
            }
            match p.peek() {
                Some(Tok::Ident(_)) => Ok(TypeExpr::Named(p.path()?)),
                Some(Tok::At(s)) => {
                    let s = format!("@{s}");
                    p.at += 1;
                    Ok(TypeExpr::Named(s))
                }
                _ => p.error("expected a type"),
            }
        })
    }

    /// `(name: T, ...)`
    fn params(&mut self) -> Result<Vec<(String, TypeExpr)>> {
        self.expect("(")?;
        let mut out = Vec::new();
        while !self.eat_punct(")") {
            let name = self.ident()?;
            self.expect(":")?;
            out.push((name, self.type_expr()?));
            if !self.eat_punct(",") && !self.is_punct(")") {
                return self.error("expected `,` or `)` in parameters");
            }
        }
        Ok(out)
    }

    /// `[static] [async] function name(params) [throws] [: T] { body }` (or `;` for a body-less
    /// declaration), or `api name(params)[: T] { request } returns { ... } runtime { ... }`.
    fn function(&mut self, doc: Option<String>) -> Result<Function> {
        let pos = self.pos();
        while self.eat_ident("static") || self.eat_ident("async") {}
        let api = self.eat_ident("api");
        if !api && !self.eat_ident("function") {
            return self.error("expected `function`");
        }
        let name = self.ident()?;
        let params = self.params()?;
        self.eat_ident("throws");
        let ret = if self.eat_punct(":") {
            Some(self.type_expr()?)
        } else {
            None
        };
        let body = if self.eat_punct(";") {
            Vec::new()
        } else {
            self.block()?
        };
        if api {
            // `returns { ... }` and `runtime { ... }` blocks: read, not kept.
            if self.eat_ident("returns") {
                self.block()?;
            }
            if self.eat_ident("runtime") {
                self.expr()?;
            }
        }
        Ok(Function {
            name,
            doc,
            params,
            ret,
            body,
            pos,
        })
    }

    /// `{ statements }`
    fn block(&mut self) -> Result<Vec<Stmt>> {
        self.expect("{")?;
        self.nested(|p| {
            let mut out = Vec::new();
            while !p.eat_punct("}") {
                if p.peek().is_none() {
                    return p.error("expected `}`");
                }
                if let Some(s) = p.statement()? {
                    out.push(s);
                }
            }
            Ok(out)
        })
    }

    fn statement(&mut self) -> Result<Option<Stmt>> {
        match self.peek().cloned() {
            Some(Tok::Punct(";")) => {
                self.at += 1;
                Ok(None)
            }
            Some(Tok::Doc(_)) => {
                self.at += 1;
                Ok(None)
            }
            Some(Tok::Punct("{")) => Ok(Some(Stmt::Block(self.block()?))),
            Some(Tok::Ident(word)) => match word.as_str() {
                "var" => {
                    self.at += 1;
                    let name = self.ident()?;
                    if self.eat_punct(":") {
                        self.type_expr()?;
                    }
                    self.expect("=")?;
                    let value = self.expr()?;
                    self.eat_punct(";");
                    Ok(Some(Stmt::Var(name, value)))
                }
                "if" => self.if_statement().map(Some),
                "return" => {
                    self.at += 1;
                    let value = if self.is_punct(";") || self.is_punct("}") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.eat_punct(";");
                    Ok(Some(Stmt::Return(value)))
                }
                "throw" => {
                    self.at += 1;
                    let value = self.expr()?;
                    self.eat_punct(";");
                    Ok(Some(Stmt::Block(vec![Stmt::Expr(value)])))
                }
                "break" | "continue" | "retry" => {
                    self.at += 1;
                    self.eat_punct(";");
                    Ok(None)
                }
                "try" => {
                    self.at += 1;
                    let mut inner = self.block()?;
                    if self.eat_ident("catch") {
                        self.params_loose()?;
                        inner.extend(self.block()?);
                    }
                    if self.eat_ident("finally") {
                        inner.extend(self.block()?);
                    }
                    Ok(Some(Stmt::Block(inner)))
                }
                "for" | "while" => {
                    self.at += 1;
                    self.params_loose()?;
                    Ok(Some(Stmt::Block(self.block()?)))
                }
                _ => self.expression_statement().map(Some),
            },
            _ => self.expression_statement().map(Some),
        }
    }

    /// A parenthesized head read as tokens (`(var x : list)`, `(err)`), not kept.
    fn params_loose(&mut self) -> Result<()> {
        self.expect("(")?;
        let mut depth = 1usize;
        while depth > 0 {
            match self.peek() {
                None => return self.error("expected `)`"),
                Some(Tok::Punct("(")) => depth += 1,
                Some(Tok::Punct(")")) => depth -= 1,
                _ => {}
            }
            self.at += 1;
        }
        Ok(())
    }

    fn if_statement(&mut self) -> Result<Stmt> {
        self.at += 1;
        self.expect("(")?;
        let cond = self.expr()?;
        self.expect(")")?;
        let then = self.block()?;
        let otherwise = if self.eat_ident("else") {
            if self.is_ident("if") {
                vec![self.nested(|p| p.if_statement())?]
            } else {
                self.block()?
            }
        } else {
            Vec::new()
        };
        Ok(Stmt::If(cond, then, otherwise))
    }

    fn expression_statement(&mut self) -> Result<Stmt> {
        let target = self.expr()?;
        let stmt = if self.eat_punct("=") {
            Stmt::Assign(target, self.expr()?)
        } else {
            Stmt::Expr(target)
        };
        if !self.eat_punct(";") && !self.is_punct("}") {
            return self.error("expected `;`");
        }
        Ok(stmt)
    }

    fn expr(&mut self) -> Result<Expr> {
        self.nested(|p| p.binary(0))
    }

    /// Infix operators by precedence level, loosest first.
    fn binary(&mut self, level: usize) -> Result<Expr> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["==", "!=", "<", ">", "<=", ">="],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Some(Tok::Punct(p)) if ops.contains(p) => *p,
                _ => return Ok(left),
            };
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = Expr::Op(op, vec![left, right]);
        }
    }

    fn unary(&mut self) -> Result<Expr> {
        for op in ["!", "-"] {
            if self.eat_punct(op) {
                let operand = self.nested(|p| p.unary())?;
                return Ok(Expr::Op(op, vec![operand]));
            }
        }
        let mut e = self.primary()?;
        loop {
            if self.is_punct(".") {
                self.at += 1;
                let name = match self.peek() {
                    Some(Tok::Ident(s) | Tok::Number(s)) => s.clone(),
                    _ => return self.error("expected a name after `.`"),
                };
                self.at += 1;
                e = Expr::Member(Box::new(e), name);
            } else if self.eat_punct("[") {
                let index = self.expr()?;
                self.expect("]")?;
                e = Expr::Index(Box::new(e), Box::new(index));
            } else if self.is_punct("(") {
                e = Expr::Call(Box::new(e), self.args()?);
            } else if self.eat_punct("++") || self.eat_punct("--") {
                // `i++`: kept as the operand.
            } else {
                return Ok(e);
            }
        }
    }

    fn args(&mut self) -> Result<Vec<Expr>> {
        self.expect("(")?;
        let mut out = Vec::new();
        while !self.eat_punct(")") {
            out.push(self.expr()?);
            if !self.eat_punct(",") && !self.is_punct(")") {
                return self.error("expected `,` or `)` in arguments");
            }
        }
        Ok(out)
    }

    fn primary(&mut self) -> Result<Expr> {
        let Some(tok) = self.peek().cloned() else {
            return self.error("expected an expression");
        };
        let e = match tok {
            Tok::Ident(w) if w == "new" => {
                self.at += 1;
                let path = self.path()?;
                let fields = if self.is_punct("{") {
                    self.object()?
                } else if self.is_punct("(") {
                    self.args()?;
                    Vec::new()
                } else {
                    Vec::new()
                };
                return Ok(Expr::New(path, fields));
            }
            Tok::Ident(w) => Expr::Ident(w),
            Tok::At(w) => Expr::At(w),
            Tok::Str(s) => Expr::Str(s),
            Tok::Number(n) => Expr::Number(n),
            Tok::Template(parts) => {
                let pos = self.pos();
                self.at += 1;
                let mut out = Vec::new();
                for part in parts {
                    match part {
                        TemplatePart::Text(t) => out.push(TemplateExpr::Text(t)),
                        TemplatePart::Expr(src) => {
                            let mut inner = Parser {
                                toks: lex(&src),
                                at: 0,
                                depth: self.depth,
                                errors: Vec::new(),
                                end: pos,
                            };
                            // Positions inside the template are reported at the template.
                            for t in &mut inner.toks {
                                t.pos = pos;
                            }
                            let e = inner.expr()?;
                            if inner.peek().is_some() {
                                return inner.error("expected the end of `${...}`");
                            }
                            out.push(TemplateExpr::Expr(e));
                        }
                    }
                }
                return Ok(Expr::Template(out));
            }
            Tok::Punct("(") => {
                self.at += 1;
                let e = self.expr()?;
                self.expect(")")?;
                return Ok(e);
            }
            Tok::Punct("{") => return Ok(Expr::Object(self.object()?)),
            Tok::Punct("[") => {
                self.at += 1;
                let mut items = Vec::new();
                while !self.eat_punct("]") {
                    items.push(self.expr()?);
                    if !self.eat_punct(",") && !self.is_punct("]") {
                        return self.error("expected `,` or `]` in a list");
                    }
                }
                return Ok(Expr::Array(items));
            }
            _ => return self.error("expected an expression"),
        };
        self.at += 1;
        Ok(e)
    }

    /// `{ key = value, ...spread, ... }`: keys are strings or names, which may hold `-`
    /// (`cn-hangzhou = '...'`); a spread (`...expr`) has the key `...`.
    fn object(&mut self) -> Result<Vec<(String, Expr)>> {
        self.expect("{")?;
        self.nested(|p| {
            let mut out = Vec::new();
            while !p.eat_punct("}") {
                if p.eat_punct("...") {
                    out.push(("...".to_owned(), p.expr()?));
                    if !p.eat_punct(",") && !p.is_punct("}") {
                        return p.error("expected `,` or `}` in an object");
                    }
                    continue;
                }
                let mut key = match p.peek() {
                    Some(Tok::Ident(s) | Tok::Str(s)) => s.clone(),
                    _ => return p.error("expected a key"),
                };
                p.at += 1;
                while p.is_punct("-")
                    && matches!(p.peek_at(1), Some(Tok::Ident(_) | Tok::Number(_)))
                {
                    if let Some(Tok::Ident(part) | Tok::Number(part)) = p.peek_at(1) {
                        key.push('-');
                        key.push_str(part);
                    }
                    p.at += 2;
                }
                if !p.eat_punct("=") {
                    p.expect(":")?;
                }
                out.push((key, p.expr()?));
                if !p.eat_punct(",") && !p.eat_punct(";") && !p.is_punct("}") {
                    return p.error("expected `,` or `}` in an object");
                }
            }
            Ok(out)
        })
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::At(s) => format!("`@{s}`"),
        Tok::Str(_) => "a string".to_owned(),
        Tok::Template(_) => "a template string".to_owned(),
        Tok::Number(n) => format!("the number {n}"),
        Tok::Doc(_) => "a doc comment".to_owned(),
        Tok::Punct(p) => format!("`{p}`"),
        Tok::Error(e) => e.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_with_nested_lists_maps_and_attributes() {
        let (m, errors) = parse(
            "model A = {\n  items?: {\n    item?: [ {\n      id?: int32(name='Id', example='1'),\n      tags?: map[string]any(name='Tags'),\n    }\n    ](name='Item')\n  }(name='Items', deprecated=true),\n  total?: long(name='Total'),\n  b: B(name='B'),\n}\n",
        );
        assert_eq!(errors, vec![]);
        let a = &m.models[0];
        assert_eq!(a.name, "A");
        assert_eq!(a.fields.len(), 3);
        assert!(a.fields[0].flag("deprecated"));
        assert!(a.fields[2].required);
        let TypeExpr::Object(inner) = &a.fields[0].ty else {
            panic!()
        };
        let TypeExpr::List(item) = &inner[0].ty else {
            panic!()
        };
        let TypeExpr::Object(item) = item.as_ref() else {
            panic!()
        };
        assert_eq!(item[0].attr("example"), Some("1"));
        assert!(matches!(item[1].ty, TypeExpr::Map(_, _)));
    }

    #[test]
    fn functions_statements_and_templates() {
        let (m, errors) = parse(
            "/**\n * @summary Does it.\n */\nasync function fooWithOptions(Id: string, request: FooRequest, runtime: Util.RuntimeOptions): FooResponse {\n  var query = {};\n  if (!Util.isUnset(request.a)) {\n    query['A'] = request.a;\n  } else {\n    query['B'] = 1 + 2;\n  }\n  var params = new OpenApi.Params{\n    action = 'Foo',\n    pathname = `/x/${OpenApiUtil.getEncodeParam(Id)}`,\n  };\n  return callApi(params, req, runtime);\n}\n",
        );
        assert_eq!(errors, vec![]);
        let f = &m.functions[0];
        assert_eq!(f.name, "fooWithOptions");
        assert!(f.doc.as_deref().unwrap().contains("@summary Does it."));
        assert_eq!(f.body.len(), 4);
        let Stmt::Var(_, Expr::New(path, fields)) = &f.body[2] else {
            panic!()
        };
        assert_eq!(path, "OpenApi.Params");
        assert!(matches!(fields[1].1, Expr::Template(_)));
    }

    #[test]
    fn every_error_is_reported_with_its_line_and_parsing_goes_on() {
        let (m, errors) = parse(
            "model A {\n  x?: string(name=,\n}\n\nmodel B {\n  y?: int32(name='Y'),\n}\n\nmodel C { z?: [ string (name='Z') }\n\nwhat\n",
        );
        assert_eq!(m.models.len(), 1, "{m:?}");
        assert_eq!(m.models[0].name, "B");
        let lines: Vec<u32> = errors.iter().map(|e| e.pos.line).collect();
        assert_eq!(lines, vec![2, 9, 11], "{errors:?}");
        assert!(errors[0].message.contains("attribute `name`"), "{errors:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!(
            "model A = {{ a?: {}string{} }}",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        let (_, errors) = parse(&text);
        assert!(errors[0].message.contains("nesting deeper"), "{errors:?}");
        let text = format!(
            "function f() {{ return {}1{}; }}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        let (_, errors) = parse(&text);
        assert!(errors[0].message.contains("nesting deeper"), "{errors:?}");
    }
}
