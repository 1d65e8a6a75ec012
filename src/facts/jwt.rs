//! JWT facts of one Python file: `encode`/`decode` call sites of PyJWT, python-jose and
//! authlib (with their arguments resolved through the function's earlier assignments),
//! `Authorization` headers built or parsed, and what each function returns.

use super::python::value_of;
use super::{AuthHeader, AuthHeaderKind, FileFacts, FunctionSummary, Import, JwtCall, JwtOp, Value};
use crate::diagnostic::LineIndex;
use rustc_hash::FxHashMap;
use tree_sitter::Node;

/// Callee text → (library, op), from the file's imports.
fn callees(imports: &[Import]) -> FxHashMap<String, (&'static str, JwtOp)> {
    let mut m = FxHashMap::default();
    fn add_module(m: &mut FxHashMap<String, (&'static str, JwtOp)>, alias: &str, lib: &'static str) {
        m.insert(format!("{alias}.encode"), (lib, JwtOp::Encode));
        m.insert(format!("{alias}.decode"), (lib, JwtOp::Decode));
    }
    for imp in imports.iter().filter(|i| i.level == 0) {
        if imp.names.is_empty() {
            let bound = imp.alias.clone().unwrap_or_else(|| imp.module.clone());
            match imp.module.as_str() {
                "jwt" => add_module(&mut m, &bound, "pyjwt"),
                "jose.jwt" => add_module(&mut m, &bound, "jose"),
                "authlib.jose.jwt" => add_module(&mut m, &bound, "authlib"),
                _ => {}
            }
            continue;
        }
        for n in &imp.names {
            let bound = n.alias.clone().unwrap_or_else(|| n.name.clone());
            match (imp.module.as_str(), n.name.as_str()) {
                ("jwt", "encode") => {
                    m.insert(bound, ("pyjwt", JwtOp::Encode));
                }
                ("jwt", "decode") => {
                    m.insert(bound, ("pyjwt", JwtOp::Decode));
                }
                ("jose", "jwt") => add_module(&mut m, &bound, "jose"),
                ("jose.jwt", "encode") => {
                    m.insert(bound, ("jose", JwtOp::Encode));
                }
                ("jose.jwt", "decode") => {
                    m.insert(bound, ("jose", JwtOp::Decode));
                }
                ("authlib.jose", "jwt") => add_module(&mut m, &bound, "authlib"),
                _ => {}
            }
        }
    }
    m
}

struct Frame {
    name: String,
    locals: FxHashMap<String, (Value, String)>,
    /// Locals bound to dict literals: their claims and `exp`.
    dicts: FxHashMap<String, Payload>,
    /// Locals changed after binding (`d["k"] = v`, `d.update(...)`, `d |= ...`).
    mutated: rustc_hash::FxHashSet<String>,
    returns_token: Option<String>,
    callees: Vec<String>,
}

/// What a dict literal says about a token payload.
#[derive(Clone)]
struct Payload {
    claims: Vec<String>,
    exp: Option<(String, crate::diagnostic::Span)>,
}

struct Walker<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    callees: FxHashMap<String, (&'static str, JwtOp)>,
    frames: Vec<Frame>,
    calls: Vec<JwtCall>,
    headers: Vec<AuthHeader>,
    functions: Vec<FunctionSummary>,
    setups: Vec<super::JwtSetup>,
}

/// Extracts JWT facts; `facts.imports` must already be filled.
pub fn extract(root: Node, src: &str, index: &LineIndex, facts: &mut FileFacts) {
    let callees = callees(&facts.imports);
    let mentions_auth = src.contains("uthorization");
    let mentions_setup = src.contains("JWTManager") || src.contains("JWTStrategy");
    if callees.is_empty() && !mentions_auth && !mentions_setup {
        return;
    }
    let mut w = Walker {
        src,
        index,
        callees,
        frames: Vec::new(),
        calls: Vec::new(),
        headers: Vec::new(),
        functions: Vec::new(),
        setups: Vec::new(),
    };
    w.visit(root, 0);
    facts.jwt = w.calls;
    facts.auth_headers = w.headers;
    facts.functions = w.functions;
    facts.jwt_setups = w.setups;
}

/// The flask-jwt-extended / simplejwt lifetime keys a file names (run on every file: a
/// config module needs no JWT import to set them).
pub fn named_lifetime_keys(src: &str) -> Vec<String> {
    LIFETIME_KEYS
        .iter()
        .filter(|k| src.contains(*k))
        .map(|k| k.to_string())
        .collect()
}

/// Lifetime keys of flask-jwt-extended and simplejwt.
const LIFETIME_KEYS: &[&str] = &[
    "JWT_ACCESS_TOKEN_EXPIRES",
    "JWT_REFRESH_TOKEN_EXPIRES",
    "ACCESS_TOKEN_LIFETIME",
    "REFRESH_TOKEN_LIFETIME",
];

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

impl<'a> Walker<'a> {
    fn text(&self, n: Node) -> &'a str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    /// The value of an expression, with names assigned earlier in this function replaced.
    fn resolved(&self, n: Node) -> Value {
        let v = value_of(n, self.src, 0);
        if let Value::Name(name) = &v {
            if let Some((val, _)) = self.frames.last().and_then(|f| f.locals.get(name)) {
                return val.clone();
            }
        }
        v
    }

    fn visit(&mut self, node: Node, depth: usize) {
        if depth > 400 {
            return;
        }
        match node.kind() {
            "function_definition" => {
                let name = node
                    .child_by_field_name("name")
                    .map(|n| self.text(n).to_string())
                    .unwrap_or_default();
                self.frames.push(Frame {
                    name,
                    locals: FxHashMap::default(),
                    dicts: FxHashMap::default(),
                    mutated: Default::default(),
                    returns_token: None,
                    callees: Vec::new(),
                });
                self.children(node, depth);
                if let Some(f) = self.frames.pop() {
                    let verifies = self.calls.iter().any(|c| {
                        c.op == JwtOp::Decode
                            && c.function.as_deref() == Some(f.name.as_str())
                            && !c.kwargs.iter().any(|(k, v, _)| {
                                k == "options"
                                    && matches!(v, Value::Dict(d) if d.iter().any(|(k, v)| k == "verify_signature" && *v == Value::Bool(false)))
                            })
                    });
                    let mut callees = f.callees;
                    callees.sort();
                    callees.dedup();
                    self.functions.push(FunctionSummary {
                        name: f.name,
                        returns_token: f.returns_token,
                        verifies,
                        callees,
                    });
                }
                return;
            }
            "assignment" => {
                if let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right"))
                {
                    if left.kind() == "identifier" {
                        let v = self.resolved(right);
                        let text = self.text(right).to_string();
                        let name = self.text(left).to_string();
                        let payload = (right.kind() == "dictionary").then(|| self.payload(right)).flatten();
                        if let Some(f) = self.frames.last_mut() {
                            f.locals.insert(name.clone(), (v, text));
                            f.mutated.remove(&name);
                            match payload {
                                Some(p) => {
                                    f.dicts.insert(name, p);
                                }
                                None => {
                                    f.dicts.remove(&name);
                                }
                            }
                        }
                    } else if left.kind() == "subscript" {
                        if let Some(obj) = left.child_by_field_name("value").filter(|o| o.kind() == "identifier") {
                            let name = self.text(obj).to_string();
                            if let Some(f) = self.frames.last_mut() {
                                f.mutated.insert(name);
                            }
                        }
                    }
                    if left.kind() == "subscript"
                        && is_authorization_key(left.child_by_field_name("subscript"), self.src)
                    {
                        self.header_value(node, right);
                    }
                }
            }
            "return_statement" => {
                if let Some(expr) = node.named_child(0) {
                    let lib = self.token_library(expr);
                    if let (Some(lib), Some(f)) = (lib, self.frames.last_mut()) {
                        f.returns_token = Some(lib);
                    }
                }
            }
            "augmented_assignment" => {
                if let Some(left) = node.child_by_field_name("left").filter(|l| l.kind() == "identifier") {
                    let name = self.text(left).to_string();
                    if let Some(f) = self.frames.last_mut() {
                        f.mutated.insert(name);
                    }
                }
            }
            "call" => {
                if let Some(func) = node.child_by_field_name("function") {
                    let text = compact(self.text(func));
                    let last = text.rsplit('.').next().unwrap_or(&text).to_string();
                    if let Some(f) = self.frames.last_mut() {
                        if !last.is_empty() && last.len() < 80 {
                            f.callees.push(last);
                        }
                    }
                }
                // `d.update(...)`, `d.setdefault(...)` change a payload.
                if let Some(func) = node.child_by_field_name("function").filter(|f| f.kind() == "attribute") {
                    let method = func
                        .child_by_field_name("attribute")
                        .map(|a| self.text(a))
                        .unwrap_or("");
                    if matches!(method, "update" | "setdefault" | "__setitem__") {
                        if let Some(obj) = func.child_by_field_name("object").filter(|o| o.kind() == "identifier") {
                            let name = self.text(obj).to_string();
                            if let Some(f) = self.frames.last_mut() {
                                f.mutated.insert(name);
                            }
                        }
                    }
                }
                self.call(node)
            }
            "pair" if is_authorization_key(node.child_by_field_name("key"), self.src) => {
                if let Some(v) = node.child_by_field_name("value") {
                    self.header_value(node, v);
                }
            }
            "subscript" => self.split_index(node),
            _ => {}
        }
        self.children(node, depth);
    }

    fn children(&mut self, node: Node, depth: usize) {
        let mut cursor = node.walk();
        let kids: Vec<Node> = node.named_children(&mut cursor).collect();
        for c in kids {
            self.visit(c, depth + 1);
        }
    }

    /// The library of a JWT `encode` call, directly or through a name bound to one.
    fn token_library(&self, expr: Node) -> Option<String> {
        let expr = if expr.kind() == "identifier" {
            let name = self.text(expr);
            let (_, text) = self.frames.last()?.locals.get(name)?;
            return self.callees.iter().find_map(|(callee, (lib, op))| {
                (*op == JwtOp::Encode && compact(text).starts_with(&format!("{callee}("))).then(|| lib.to_string())
            });
        } else {
            expr
        };
        if expr.kind() != "call" {
            return None;
        }
        let func = compact(self.text(expr.child_by_field_name("function")?));
        match self.callees.get(&func) {
            Some((lib, JwtOp::Encode)) => Some(lib.to_string()),
            _ => None,
        }
    }

    fn call(&mut self, node: Node) {
        let Some(func) = node.child_by_field_name("function") else {
            return;
        };
        let callee = compact(self.text(func));
        let last = callee.rsplit('.').next().unwrap_or(&callee);
        if last == "JWTManager" || last == "JWTStrategy" {
            let lifetime = node.child_by_field_name("arguments").and_then(|args| {
                let mut c = args.walk();
                let kids: Vec<Node> = args.named_children(&mut c).collect();
                kids.into_iter()
                    .filter(|a| a.kind() == "keyword_argument")
                    .find(|a| {
                        a.child_by_field_name("name")
                            .is_some_and(|n| self.text(n) == "lifetime_seconds")
                    })
                    .and_then(|a| {
                        let v = a.child_by_field_name("value")?;
                        Some((self.resolved(v), self.index.span(a.start_byte(), a.end_byte())))
                    })
            });
            self.setups.push(super::JwtSetup {
                library: if last == "JWTManager" {
                    "flask-jwt-extended"
                } else {
                    "fastapi-users"
                }
                .to_string(),
                span: self.index.span(node.start_byte(), node.end_byte()),
                lifetime,
            });
            return;
        }
        let Some(&(lib, op)) = self.callees.get(&callee) else {
            return;
        };
        let mut payload_node: Option<Node> = None;
        // The payload: PyJWT/jose `encode(payload, key, ...)`, authlib `encode(header, payload, key)`.
        let payload_pos = if lib == "authlib" { 1 } else { 0 };
        if let Some(arguments) = node.child_by_field_name("arguments") {
            let mut cursor = arguments.walk();
            let positional: Vec<Node> = arguments
                .named_children(&mut cursor)
                .filter(|a| {
                    !matches!(
                        a.kind(),
                        "keyword_argument" | "comment" | "list_splat" | "dictionary_splat"
                    )
                })
                .collect();
            let mut cursor = arguments.walk();
            let by_name = arguments
                .named_children(&mut cursor)
                .filter(|a| a.kind() == "keyword_argument")
                .find(|a| {
                    a.child_by_field_name("name")
                        .is_some_and(|n| matches!(self.text(n), "payload" | "claims"))
                })
                .and_then(|a| a.child_by_field_name("value"));
            payload_node = positional.get(payload_pos).copied().or(by_name);
        }
        let payload = if op == JwtOp::Encode {
            payload_node.and_then(|p| self.payload_of(p))
        } else {
            None
        };
        let mut args = Vec::new();
        let mut arg_spans = Vec::new();
        let mut kwargs = Vec::new();
        if let Some(arguments) = node.child_by_field_name("arguments") {
            let mut cursor = arguments.walk();
            for a in arguments.named_children(&mut cursor) {
                match a.kind() {
                    "keyword_argument" => {
                        let name = a
                            .child_by_field_name("name")
                            .map(|n| self.text(n).to_string())
                            .unwrap_or_default();
                        let value = a
                            .child_by_field_name("value")
                            .map(|v| self.resolved(v))
                            .unwrap_or(Value::Unknown);
                        kwargs.push((name, value, self.index.span(a.start_byte(), a.end_byte())));
                    }
                    "comment" => {}
                    "list_splat" | "dictionary_splat" => {
                        args.push(Value::Unknown);
                        arg_spans.push(self.index.span(a.start_byte(), a.end_byte()));
                    }
                    _ => {
                        args.push(self.resolved(a));
                        arg_spans.push(self.index.span(a.start_byte(), a.end_byte()));
                    }
                }
            }
        }
        self.calls.push(JwtCall {
            op,
            library: lib.to_string(),
            args,
            arg_spans,
            kwargs,
            span: self.index.span(node.start_byte(), node.end_byte()),
            function: self.frames.last().map(|f| f.name.clone()),
            assigned_to: node
                .parent()
                .filter(|p| p.kind() == "assignment")
                .and_then(|p| p.child_by_field_name("left"))
                .filter(|l| l.kind() == "identifier")
                .map(|l| self.text(l).to_string()),
            claims: payload.as_ref().map(|p| p.claims.clone()),
            exp: payload.and_then(|p| p.exp),
        });
    }

    /// The payload a node stands for: a dict literal, or a local bound to one and not
    /// changed since.
    fn payload_of(&self, node: Node) -> Option<Payload> {
        match node.kind() {
            "dictionary" => self.payload(node),
            "identifier" => {
                let f = self.frames.last()?;
                let name = self.text(node);
                if f.mutated.contains(name) {
                    return None;
                }
                f.dicts.get(name).cloned()
            }
            _ => None,
        }
    }

    /// Claims and `exp` of a dict literal; `None` when it has `**` merges or computed keys.
    fn payload(&self, dict: Node) -> Option<Payload> {
        let mut claims = Vec::new();
        let mut exp = None;
        let mut cursor = dict.walk();
        for pair in dict.named_children(&mut cursor) {
            if pair.kind() == "comment" {
                continue;
            }
            if pair.kind() != "pair" {
                return None;
            }
            let Value::Str(key) = value_of(pair.child_by_field_name("key")?, self.src, 0) else {
                return None;
            };
            if key == "exp" {
                let v = pair.child_by_field_name("value")?;
                let mut text = self.text(v).to_string();
                // Append the texts of the locals the expression uses (`now + ttl`).
                if let Some(f) = self.frames.last() {
                    let mut stack = vec![v];
                    while let Some(n) = stack.pop() {
                        if n.kind() == "identifier" {
                            if let Some((_, t)) = f.locals.get(self.text(n)) {
                                text.push_str(" ; ");
                                text.push_str(t);
                            }
                        }
                        let mut c = n.walk();
                        stack.extend(n.named_children(&mut c));
                    }
                }
                exp = Some((text, self.index.span(v.start_byte(), v.end_byte())));
            }
            claims.push(key);
        }
        Some(Payload { claims, exp })
    }

    /// `{"Authorization": value}` or `headers["Authorization"] = value`.
    fn header_value(&mut self, at: Node, value: Node) {
        let span = self.index.span(at.start_byte(), at.end_byte());
        let kind = match value.kind() {
            "string" => {
                // An f-string: the literal text before the first interpolation is the scheme.
                let mut cursor = value.walk();
                let parts: Vec<Node> = value.named_children(&mut cursor).collect();
                let Some(first_interp) = parts.iter().position(|p| p.kind() == "interpolation") else {
                    return;
                };
                let prefix: String = parts[..first_interp]
                    .iter()
                    .filter(|p| p.kind() == "string_content")
                    .map(|p| self.text(*p))
                    .collect();
                let expr = parts[first_interp].named_child(0);
                let token = expr.map(|e| self.resolved(e)).unwrap_or(Value::Unknown);
                AuthHeaderKind::Sent {
                    scheme: Some(prefix),
                    token,
                }
            }
            "binary_operator" => {
                let (Some(l), Some(r)) = (value.child_by_field_name("left"), value.child_by_field_name("right")) else {
                    return;
                };
                match value_of(l, self.src, 0) {
                    Value::Str(prefix) => AuthHeaderKind::Sent {
                        scheme: Some(prefix),
                        token: self.resolved(r),
                    },
                    _ => return,
                }
            }
            "identifier" | "call" | "attribute" | "subscript" => AuthHeaderKind::Sent {
                scheme: None,
                token: self.resolved(value),
            },
            _ => return,
        };
        self.headers.push(AuthHeader { span, kind });
    }

    /// `<...Authorization...>.split(...)[1]`.
    fn split_index(&mut self, node: Node) {
        let (Some(value), Some(index)) = (node.child_by_field_name("value"), node.child_by_field_name("subscript"))
        else {
            return;
        };
        if value.kind() != "call" || !matches!(self.text(index).trim(), "1" | "-1") {
            return;
        }
        let Some(func) = value.child_by_field_name("function") else {
            return;
        };
        if func.kind() != "attribute" || func.child_by_field_name("attribute").map(|a| self.text(a)) != Some("split") {
            return;
        }
        let Some(receiver) = func.child_by_field_name("object") else {
            return;
        };
        let mut text = self.text(receiver).to_string();
        if receiver.kind() == "identifier" {
            if let Some((_, t)) = self.frames.last().and_then(|f| f.locals.get(&text)) {
                text = t.clone();
            }
        }
        if !text.to_ascii_lowercase().contains("authorization") {
            return;
        }
        let guarded = inside_handling_try(node, self.src);
        self.headers.push(AuthHeader {
            span: self.index.span(node.start_byte(), node.end_byte()),
            kind: AuthHeaderKind::SplitIndex { guarded },
        });
    }
}

fn is_authorization_key(key: Option<Node>, src: &str) -> bool {
    key.map(|k| value_of(k, src, 0))
        .is_some_and(|v| matches!(v, Value::Str(s) if s.eq_ignore_ascii_case("authorization")))
}

/// Whether `node` sits in the body of a `try` whose handlers catch `IndexError`,
/// `ValueError`, `Exception` or everything.
fn inside_handling_try(node: Node, src: &str) -> bool {
    let mut cur = node;
    while let Some(parent) = cur.parent() {
        if parent.kind() == "function_definition" {
            return false;
        }
        if parent.kind() == "try_statement" && cur.kind() == "block" {
            let mut cursor = parent.walk();
            for c in parent.named_children(&mut cursor) {
                if c.kind() == "except_clause" {
                    let header = c
                        .utf8_text(src.as_bytes())
                        .unwrap_or("")
                        .split(':')
                        .next()
                        .unwrap_or("")
                        .to_string();
                    let caught = header.trim_start_matches("except").trim().to_string();
                    if caught.is_empty()
                        || ["IndexError", "ValueError", "Exception", "LookupError"]
                            .iter()
                            .any(|e| caught.contains(e))
                    {
                        return true;
                    }
                }
            }
        }
        cur = parent;
    }
    false
}
