//! Extracts the facts of one Python file in one walk of its tree: imports with their
//! context, top-level bindings, `noqa` comments, module constants, PEP 723 metadata.

use super::imports::{Import, ImportContext, ImportedName};
use super::{manifest, Constant, FileFacts, Noqa, Symbols, Value};
use crate::diagnostic::LineIndex;
use tree_sitter::Node;

/// Deepest statement nesting followed; deeper code is not analysed (never a crash).
const MAX_DEPTH: usize = 120;

/// Extracts everything from `source`.
pub fn extract(source: &str, facts: &mut FileFacts) {
    let index = LineIndex::new(source);
    if source.contains("# /// script") {
        facts.script = manifest::parse_inline_script(source);
    }
    let Some(tree) = crate::parse::parse_python(source) else {
        return;
    };
    let mut walker = Walker {
        src: source,
        index: &index,
        facts,
        symbols: Symbols::default(),
    };
    walker.symbols.dynamic = has_dynamic_namespace(source);
    walker.symbols.registers_modules = source.contains("sys.modules[");
    walker.symbols.extends_path =
        source.contains("extend_path(") || source.contains("declare_namespace(") || source.contains("__path__ =");
    walker.block(tree.root_node(), Ctx::default(), true, 0);
    walker.facts.symbols = std::mem::take(&mut walker.symbols);
    facts.jwt_keys_named = super::jwt::named_lifetime_keys(source);
    let needs = crate::scan::scan(source.as_bytes());
    if needs.contains(&super::triggers::JWT) {
        super::jwt::extract(tree.root_node(), source, &index, facts);
    }
    if needs.contains(&super::triggers::COMMANDS) {
        facts.commands = super::commands::python(tree.root_node(), source, &index, &facts.imports, &facts.constants);
    }
    if source.contains("down_revision") {
        facts.revision = super::alembic::extract(tree.root_node(), source, &index);
    }
    collect_noqa(tree.root_node(), source, &index, &mut facts.noqa);
}

/// Whether the module writes its namespace in ways no static reader can follow.
fn has_dynamic_namespace(source: &str) -> bool {
    source.contains("globals()") || source.contains("exec(") || source.contains("sys.modules[__name__]")
}

#[derive(Clone, Copy, Default)]
struct Ctx {
    import: ImportContext,
}

struct Walker<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    facts: &'a mut FileFacts,
    symbols: Symbols,
}

impl<'a> Walker<'a> {
    fn text(&self, node: Node) -> &'a str {
        node.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    fn span(&self, node: Node) -> crate::diagnostic::Span {
        self.index.span(node.start_byte(), node.end_byte())
    }

    /// Walks the statements of a block (or the module). `top` = module-level namespace.
    fn block(&mut self, node: Node, ctx: Ctx, top: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.statement(child, ctx, top, depth + 1);
        }
    }

    fn statement(&mut self, node: Node, ctx: Ctx, top: bool, depth: usize) {
        match node.kind() {
            "import_statement" => self.import_statement(node, ctx, top),
            "import_from_statement" => self.import_from(node, ctx, top, false),
            "future_import_statement" => self.import_from(node, ctx, top, true),
            "if_statement" => self.if_statement(node, ctx, top, depth),
            "try_statement" => self.try_statement(node, ctx, top, depth),
            "with_statement" => {
                let mut inner = ctx;
                let items = node.child_by_field_name("body").map(|_| self.text(node)).unwrap_or("");
                let header = items.split(':').next().unwrap_or("");
                // `with suppress(ImportError):`, `with self.assertRaises(ImportError):`,
                // `with pytest.raises(ModuleNotFoundError):`: failure is expected.
                if (header.contains("suppress(") || header.to_ascii_lowercase().contains("raises"))
                    && (header.contains("ImportError") || header.contains("ModuleNotFoundError"))
                {
                    inner.import.optional = true;
                }
                if top {
                    self.bind_with_targets(node);
                }
                if let Some(body) = node.child_by_field_name("body") {
                    self.block(body, inner, top, depth);
                }
            }
            "for_statement" | "while_statement" => {
                if top {
                    if let Some(left) = node.child_by_field_name("left") {
                        self.bind_target(left);
                    }
                }
                if let Some(body) = node.child_by_field_name("body") {
                    self.block(body, ctx, top, depth);
                }
                if let Some(alt) = node.child_by_field_name("alternative") {
                    self.block(alt, ctx, top, depth);
                }
            }
            "function_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let name = self.text(name).to_string();
                    if top {
                        if name == "__getattr__" {
                            self.symbols.has_getattr = true;
                        }
                        let row = node.start_position().row as u32 + 1;
                        self.symbols.names.push((name.clone(), row));
                        self.symbols.definitions.push((name, row));
                    }
                }
                if let Some(body) = node.child_by_field_name("body") {
                    let mut inner = ctx;
                    inner.import.in_function = true;
                    self.function_globals(body, depth);
                    self.block(body, inner, false, depth);
                }
            }
            "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    if top {
                        let row = node.start_position().row as u32 + 1;
                        let name = self.text(name).to_string();
                        self.symbols.names.push((name.clone(), row));
                        self.symbols.definitions.push((name, row));
                    }
                }
                if let Some(body) = node.child_by_field_name("body") {
                    if top {
                        self.class_fields(node, body);
                    }
                    self.block(body, ctx, false, depth);
                }
            }
            "decorated_definition" => {
                if let Some(def) = node.child_by_field_name("definition") {
                    self.statement(def, ctx, top, depth);
                }
            }
            "expression_statement" if top => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "assignment" || child.kind() == "augmented_assignment" {
                        self.assignment(child);
                    }
                }
            }
            "match_statement" => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "block" {
                        self.block(child, ctx, top, depth);
                    } else if child.kind() == "case_clause" {
                        if let Some(body) = child.child_by_field_name("consequence") {
                            self.block(body, ctx, top, depth);
                        }
                    }
                }
            }
            "block" | "else_clause" | "finally_clause" | "elif_clause" => self.block(node, ctx, top, depth),
            "ERROR" => self.block(node, ctx, top, depth),
            _ => {}
        }
    }

    /// Class-level `field: type = value` / `field = value` of a top-level class, kept as
    /// constants named `Class.field` (settings classes: pydantic `BaseSettings`, configs).
    fn class_fields(&mut self, class: Node, body: Node) {
        let Some(class_name) = class.child_by_field_name("name").map(|n| self.text(n).to_string()) else {
            return;
        };
        let mut cursor = body.walk();
        for stmt in body.named_children(&mut cursor) {
            if stmt.kind() != "expression_statement" {
                continue;
            }
            let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
                continue;
            };
            let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
                continue;
            };
            if left.kind() != "identifier" {
                continue;
            }
            let value = self.value(right, 0);
            // `Field("x")` / `Field(default="x")`: the default.
            let value = match (&value, right.kind()) {
                (Value::Call(f), "call") if f == "Field" || f.ends_with(".Field") => right
                    .child_by_field_name("arguments")
                    .and_then(|args| {
                        let mut c = args.walk();
                        let kids: Vec<Node> = args.named_children(&mut c).collect();
                        kids.iter()
                            .find(|k| {
                                k.kind() == "keyword_argument"
                                    && k.child_by_field_name("name").is_some_and(|n| self.text(n) == "default")
                            })
                            .and_then(|k| k.child_by_field_name("value"))
                            .or_else(|| kids.iter().copied().find(|k| k.kind() != "keyword_argument"))
                    })
                    .map(|n| self.value(n, 0))
                    .unwrap_or(Value::Unknown),
                _ => value,
            };
            let name = format!("{class_name}.{}", self.text(left));
            self.facts.constants.push(Constant {
                name,
                value,
                span: self.span(a),
            });
        }
    }

    /// `global X` inside a function binds `X` at module level when assigned.
    fn function_globals(&mut self, body: Node, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut cursor = body.walk();
        for child in body.named_children(&mut cursor) {
            if child.kind() == "global_statement" {
                let mut c2 = child.walk();
                for name in child.named_children(&mut c2) {
                    if name.kind() == "identifier" {
                        let row = name.start_position().row as u32 + 1;
                        self.symbols.names.push((self.text(name).to_string(), row));
                    }
                }
            }
        }
    }

    fn if_statement(&mut self, node: Node, ctx: Ctx, top: bool, depth: usize) {
        let cond = node
            .child_by_field_name("condition")
            .map(|c| self.text(c))
            .unwrap_or("");
        let (then_ctx, else_ctx) = branch_contexts(cond, ctx);
        if let Some(body) = node.child_by_field_name("consequence") {
            self.block(body, then_ctx, top, depth);
        }
        // `alternative` may repeat (elif ... else); each branch after the first runs
        // only when the earlier conditions are false.
        let mut cursor = node.walk();
        let mut alt_ctx = else_ctx;
        for alt in node.children_by_field_name("alternative", &mut cursor) {
            match alt.kind() {
                "elif_clause" => {
                    let c = alt.child_by_field_name("condition").map(|c| self.text(c)).unwrap_or("");
                    let (t, e) = branch_contexts(c, alt_ctx);
                    if let Some(body) = alt.child_by_field_name("consequence") {
                        self.block(body, t, top, depth);
                    }
                    alt_ctx = e;
                }
                _ => {
                    if let Some(body) = alt.child_by_field_name("body") {
                        self.block(body, alt_ctx, top, depth);
                    } else {
                        self.block(alt, alt_ctx, top, depth);
                    }
                }
            }
        }
    }

    fn try_statement(&mut self, node: Node, ctx: Ctx, top: bool, depth: usize) {
        let mut handles_import_error = false;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "except_clause" || child.kind() == "except_group_clause" {
                let text = self.text(child);
                let header = text.split(':').next().unwrap_or("");
                let caught = header.trim_start_matches("except").trim();
                if caught.is_empty()
                    || caught.contains("ImportError")
                    || caught.contains("ModuleNotFoundError")
                    || caught.starts_with("Exception")
                    || caught.starts_with("BaseException")
                    || caught.contains("(Exception")
                {
                    handles_import_error = true;
                }
            }
        }
        let mut body_ctx = ctx;
        if handles_import_error {
            body_ctx.import.optional = true;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "block" => self.block(child, body_ctx, top, depth),
                "except_clause" | "except_group_clause" => {
                    // A fallback import runs only when the first failed: optional too.
                    let mut c2 = child.walk();
                    for part in child.named_children(&mut c2) {
                        if part.kind() == "block" {
                            self.block(part, body_ctx, top, depth);
                        }
                    }
                }
                "else_clause" | "finally_clause" => {
                    let mut c2 = child.walk();
                    for part in child.named_children(&mut c2) {
                        if part.kind() == "block" {
                            self.block(part, ctx, top, depth);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The name node and alias of `x` / `x as y` in an import.
    fn aliased<'t>(&self, child: Node<'t>) -> Option<(Node<'t>, Option<String>)> {
        match child.kind() {
            "aliased_import" => Some((
                child.child_by_field_name("name")?,
                child.child_by_field_name("alias").map(|a| self.text(a).to_string()),
            )),
            _ => Some((child, None)),
        }
    }

    fn import_statement(&mut self, node: Node, ctx: Ctx, top: bool) {
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let Some((name_node, alias)) = self.aliased(child) else {
                continue;
            };
            let module = compact(self.text(name_node));
            if top {
                let bound = alias
                    .clone()
                    .unwrap_or_else(|| module.split('.').next().unwrap_or("").to_string());
                self.symbols.names.push((bound, node.start_position().row as u32 + 1));
            }
            self.facts.imports.push(Import {
                module,
                level: 0,
                names: Vec::new(),
                star: false,
                alias,
                module_span: self.span(name_node),
                span: self.span(node),
                context: ctx.import,
            });
        }
    }

    fn import_from(&mut self, node: Node, ctx: Ctx, top: bool, future: bool) {
        let mut context = ctx.import;
        context.future = future;
        let (module, level, module_span) = if future {
            ("__future__".to_string(), 0, self.span(node))
        } else {
            let Some(m) = node.child_by_field_name("module_name") else {
                return;
            };
            if m.kind() == "relative_import" {
                let text = compact(self.text(m));
                let level = text.chars().take_while(|c| *c == '.').count() as u32;
                (text[level as usize..].to_string(), level, self.span(m))
            } else {
                (compact(self.text(m)), 0, self.span(m))
            }
        };
        let mut names = Vec::new();
        let mut star = false;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "wildcard_import" {
                star = true;
            }
        }
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let Some((name_node, alias)) = self.aliased(child) else {
                continue;
            };
            let name = compact(self.text(name_node));
            if top {
                let bound = alias.clone().unwrap_or_else(|| name.clone());
                self.symbols
                    .names
                    .push((bound, name_node.start_position().row as u32 + 1));
            }
            names.push(ImportedName {
                name,
                alias,
                span: self.span(child),
            });
        }
        self.facts.imports.push(Import {
            module,
            level,
            names,
            star,
            alias: None,
            module_span,
            span: self.span(node),
            context,
        });
    }

    fn assignment(&mut self, node: Node) {
        let Some(left) = node.child_by_field_name("left") else {
            return;
        };
        let right = node.child_by_field_name("right");
        if left.kind() == "identifier" {
            let name = self.text(left).to_string();
            if name == "__all__" {
                match right.and_then(|r| self.string_list(r)) {
                    Some(list) => {
                        if node.kind() == "augmented_assignment" {
                            self.symbols.dunder_all.get_or_insert_with(Vec::new).extend(list);
                        } else {
                            self.symbols.dunder_all = Some(list);
                        }
                    }
                    None => self.symbols.dynamic = true,
                }
            }
            if let Some(r) = right {
                let value = self.value(r, 0);
                if !matches!(value, Value::Unknown) {
                    self.facts.constants.push(Constant {
                        name: name.clone(),
                        value,
                        span: self.span(node),
                    });
                }
            }
        }
        self.bind_target(left);
        // Chained `a = b = 1`.
        if let Some(r) = right {
            if r.kind() == "assignment" {
                self.assignment(r);
            }
        }
    }

    fn bind_with_targets(&mut self, node: Node) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.kind() == "as_pattern_target" {
                self.bind_target(n);
                continue;
            }
            if n.kind() == "block" {
                continue;
            }
            let mut cursor = n.walk();
            for c in n.named_children(&mut cursor) {
                stack.push(c);
            }
        }
    }

    /// Records the identifiers an assignment target binds.
    fn bind_target(&mut self, node: Node) {
        let mut stack = vec![(node, 0usize)];
        while let Some((n, d)) = stack.pop() {
            if d > 20 {
                continue;
            }
            match n.kind() {
                "identifier" => {
                    let row = n.start_position().row as u32 + 1;
                    self.symbols.names.push((self.text(n).to_string(), row));
                }
                "attribute" | "subscript" => {}
                _ => {
                    let mut cursor = n.walk();
                    for c in n.named_children(&mut cursor) {
                        stack.push((c, d + 1));
                    }
                }
            }
        }
    }

    fn string_list(&self, node: Node) -> Option<Vec<String>> {
        match node.kind() {
            "list" | "tuple" => {
                let mut out = Vec::new();
                let mut cursor = node.walk();
                for c in node.named_children(&mut cursor) {
                    match self.value(c, 0) {
                        Value::Str(s) => out.push(s),
                        _ => return None,
                    }
                }
                Some(out)
            }
            "binary_operator" => {
                let mut a = self.string_list(node.child_by_field_name("left")?)?;
                a.extend(self.string_list(node.child_by_field_name("right")?)?);
                Some(a)
            }
            _ => None,
        }
    }

    /// The value of an expression, as far as literals tell.
    fn value(&self, node: Node, depth: usize) -> Value {
        value_of(node, self.src, depth)
    }
}

/// The value of an expression, as far as literals tell.
pub(crate) fn value_of(node: Node, src: &str, depth: usize) -> Value {
    if depth > 8 {
        return Value::Unknown;
    }
    match node.kind() {
        "string" => string_literal(text_of(src, node))
            .map(Value::Str)
            .unwrap_or(Value::Unknown),
        "concatenated_string" => {
            let mut s = String::new();
            let mut cursor = node.walk();
            for c in node.named_children(&mut cursor) {
                match string_literal(text_of(src, c)) {
                    Some(part) => s.push_str(&part),
                    None => return Value::Unknown,
                }
            }
            Value::Str(s)
        }
        "integer" => parse_int(text_of(src, node)).map(Value::Int).unwrap_or(Value::Unknown),
        "float" => text_of(src, node)
            .replace('_', "")
            .parse()
            .map(Value::Float)
            .unwrap_or(Value::Unknown),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "none" => Value::None,
        "identifier" => Value::Name(text_of(src, node).to_string()),
        "attribute" => {
            let text = compact(text_of(src, node));
            let mut parts = text.split('.').map(str::to_string);
            let base = parts.next().unwrap_or_default();
            Value::Attribute(base, parts.collect())
        }
        "parenthesized_expression" => node
            .named_child(0)
            .map(|c| value_of(c, src, depth + 1))
            .unwrap_or(Value::Unknown),
        "list" | "tuple" => {
            let mut cursor = node.walk();
            Value::List(
                node.named_children(&mut cursor)
                    .map(|c| value_of(c, src, depth + 1))
                    .collect(),
            )
        }
        "subscript" => {
            // os.environ["X"]
            let value = node
                .child_by_field_name("value")
                .map(|v| compact(text_of(src, v)))
                .unwrap_or_default();
            let key = node
                .child_by_field_name("subscript")
                .map(|s| value_of(s, src, depth + 1));
            match (value.as_str(), key) {
                ("os.environ" | "environ", Some(Value::Str(var))) => Value::Env { var, default: None },
                _ => Value::Unknown,
            }
        }
        "call" => {
            let func = node
                .child_by_field_name("function")
                .map(|f| compact(text_of(src, f)))
                .unwrap_or_default();
            let args: Vec<Node> = node
                .child_by_field_name("arguments")
                .map(|a| {
                    let mut cursor = a.walk();
                    a.named_children(&mut cursor).collect()
                })
                .unwrap_or_default();
            match func.as_str() {
                "os.getenv" | "getenv" | "os.environ.get" | "environ.get" => {
                    let var = args.first().map(|a| value_of(*a, src, depth + 1));
                    let default = args.get(1).map(|a| Box::new(value_of(*a, src, depth + 1)));
                    match var {
                        Some(Value::Str(var)) => Value::Env { var, default },
                        _ => Value::Unknown,
                    }
                }
                "timedelta" | "datetime.timedelta" => {
                    let mut seconds = 0.0;
                    for (i, a) in args.iter().enumerate() {
                        let (unit, v) = if a.kind() == "keyword_argument" {
                            let k = a.child_by_field_name("name").map(|n| text_of(src, n)).unwrap_or("");
                            (k, a.child_by_field_name("value").map(|v| value_of(v, src, depth + 1)))
                        } else {
                            (
                                [
                                    "days",
                                    "seconds",
                                    "microseconds",
                                    "milliseconds",
                                    "minutes",
                                    "hours",
                                    "weeks",
                                ]
                                .get(i)
                                .copied()
                                .unwrap_or(""),
                                Some(value_of(*a, src, depth + 1)),
                            )
                        };
                        let n = match v {
                            Some(Value::Int(n)) => n as f64,
                            Some(Value::Float(f)) => f,
                            _ => return Value::Call(func),
                        };
                        seconds += n * match unit {
                            "weeks" => 604800.0,
                            "days" => 86400.0,
                            "hours" => 3600.0,
                            "minutes" => 60.0,
                            "seconds" => 1.0,
                            "milliseconds" => 0.001,
                            "microseconds" => 0.000001,
                            _ => return Value::Call(func),
                        };
                    }
                    Value::Duration(seconds)
                }
                _ => Value::Call(func),
            }
        }
        "binary_operator" => {
            let (Some(l), Some(r)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else {
                return Value::Unknown;
            };
            let op = node
                .child_by_field_name("operator")
                .map(|o| text_of(src, o))
                .unwrap_or("");
            let num = |v: Value| match v {
                Value::Int(i) => Some(i as f64),
                Value::Float(f) => Some(f),
                _ => None,
            };
            let both_int = matches!(
                (value_of(l, src, depth + 1), value_of(r, src, depth + 1)),
                (Value::Int(_), Value::Int(_))
            );
            match (num(value_of(l, src, depth + 1)), num(value_of(r, src, depth + 1))) {
                (Some(a), Some(b)) => {
                    let v = match op {
                        "*" => a * b,
                        "+" => a + b,
                        "-" => a - b,
                        "/" if b != 0.0 => a / b,
                        "//" if b != 0.0 => (a / b).floor(),
                        _ => return Value::Unknown,
                    };
                    if both_int && op != "/" && v.abs() < 9.0e15 {
                        Value::Int(v as i64)
                    } else {
                        Value::Float(v)
                    }
                }
                _ => Value::Unknown,
            }
        }
        "dictionary" => {
            let mut entries = Vec::new();
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor) {
                if pair.kind() == "comment" {
                    continue;
                }
                if pair.kind() != "pair" {
                    return Value::Unknown;
                }
                let key = pair.child_by_field_name("key").map(|k| value_of(k, src, depth + 1));
                let val = pair
                    .child_by_field_name("value")
                    .map(|v| value_of(v, src, depth + 1))
                    .unwrap_or(Value::Unknown);
                match key {
                    Some(Value::Str(k)) => entries.push((k, val)),
                    _ => return Value::Unknown,
                }
            }
            Value::Dict(entries)
        }
        _ => Value::Unknown,
    }
}

fn text_of<'s>(src: &'s str, node: Node) -> &'s str {
    node.utf8_text(src.as_bytes()).unwrap_or("")
}

/// Contexts of the `then` and `else` branches of an `if` with condition `cond`.
fn branch_contexts(cond: &str, ctx: Ctx) -> (Ctx, Ctx) {
    let cond: String = cond.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut then_ctx = ctx;
    let mut else_ctx = ctx;
    let is_tc = |c: &str| c == "TYPE_CHECKING" || c.ends_with(".TYPE_CHECKING");
    if is_tc(&cond) {
        then_ctx.import.type_checking = true;
    } else if let Some(rest) = cond.strip_prefix("not") {
        if is_tc(rest.trim()) {
            else_ctx.import.type_checking = true;
        }
    } else if cond.contains("version_info")
        || cond.contains("PY3")
        || cond.contains("PY2")
        || cond.contains("PYTHON_VERSION")
    {
        then_ctx.import.guarded = true;
        else_ctx.import.guarded = true;
        if let Some((op, ver)) = parse_version_compare(&cond) {
            // then: version OP ver; else: the negation.
            let next = (ver.0, ver.1 + 1);
            match op {
                ">=" => {
                    then_ctx.import.min_version = Some(ver);
                    else_ctx.import.max_version = Some(ver);
                }
                ">" => {
                    then_ctx.import.min_version = Some(next);
                    else_ctx.import.max_version = Some(next);
                }
                "<" => {
                    then_ctx.import.max_version = Some(ver);
                    else_ctx.import.min_version = Some(ver);
                }
                "<=" => {
                    then_ctx.import.max_version = Some(next);
                    else_ctx.import.min_version = Some(next);
                }
                _ => {}
            }
        }
    } else if cond.contains("sys.modules")
        || cond.contains("find_spec")
        || cond.contains("_available")
        || cond.contains("is_installed")
    {
        // `if importlib.util.find_spec("x"):`, `if "x" in sys.modules:`: the import
        // runs only when the module is there.
        then_ctx.import.optional = true;
    } else if cond.contains("sys.platform")
        || cond.contains("platform.system")
        || cond.contains("os.name")
        || cond.contains("IS_WINDOWS")
        || cond.contains("WINDOWS")
    {
        then_ctx.import.guarded = true;
        else_ctx.import.guarded = true;
    }
    (then_ctx, else_ctx)
}

/// `sys.version_info >= (3, 11)` → (">=", (3, 11)).
fn parse_version_compare(cond: &str) -> Option<(&'static str, (u8, u8))> {
    let s: String = cond.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = s
        .strip_prefix("sys.version_info")
        .or_else(|| s.strip_prefix("version_info"))?;
    let rest = rest.strip_prefix("[:2]").unwrap_or(rest);
    let (op, rest) = [">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| rest.strip_prefix(op).map(|r| (*op, r)))?;
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    let mut nums = inner.split(',').filter(|p| !p.is_empty());
    let major: u8 = nums.next()?.parse().ok()?;
    let minor: u8 = nums.next().map(|m| m.parse().ok()).unwrap_or(Some(0))?;
    if nums.next().is_some() {
        return None;
    }
    Some((op, (major, minor)))
}

/// Removes whitespace, line continuations and parentheses' line breaks from a dotted name.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\\' && *c != '(' && *c != ')')
        .collect()
}

/// The value of a plain string literal (no f-strings); escapes only partly decoded.
pub fn string_literal(text: &str) -> Option<String> {
    let prefix_len = text.find(['\'', '"'])?;
    let prefix = text[..prefix_len].to_ascii_lowercase();
    if prefix.contains('f') || prefix.contains('b') {
        return None;
    }
    let body = &text[prefix_len..];
    let quote = if body.starts_with("\"\"\"") || body.starts_with("'''") {
        &body[..3]
    } else {
        &body[..1]
    };
    let inner = body.strip_prefix(quote)?.strip_suffix(quote)?;
    if prefix.contains('r') {
        return Some(inner.to_string());
    }
    Some(inner.replace("\\\\", "\\").replace("\\'", "'").replace("\\\"", "\""))
}

fn parse_int(text: &str) -> Option<i64> {
    let t = text.replace('_', "");
    let t = t.to_ascii_lowercase();
    if let Some(h) = t.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = t.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(b) = t.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else {
        t.parse().ok()
    }
}

/// Collects `# noqa` comments anywhere in the tree (`queries/comments.scm`).
fn collect_noqa(root: Node, source: &str, index: &LineIndex, out: &mut Vec<Noqa>) {
    use tree_sitter::StreamingIterator;
    if !source.contains("noqa") && !source.contains("NOQA") {
        return;
    }
    let query = &crate::parse::queries().comments;
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(query, root, source.as_bytes());
    while let Some(m) = matches.next() {
        for capture in m.captures {
            let node = capture.node;
            let text = node.utf8_text(source.as_bytes()).unwrap_or("");
            if let Some(noqa) = parse_noqa(text) {
                let (row, _) = index.location(node.start_byte());
                out.push(Noqa { row, ..noqa });
            }
        }
    }
}

/// Parses the `noqa` directive of one comment (`# noqa`, `# noqa: A001, B002 reason`).
/// The row is left 0 for the caller to fill.
pub fn parse_noqa(comment: &str) -> Option<Noqa> {
    let lower = comment.to_ascii_lowercase();
    let mut search = 0;
    while let Some(pos) = lower[search..].find("noqa") {
        let at = search + pos;
        search = at + 4;
        // Must be introduced by `#` and optional spaces.
        let before = comment[..at].trim_end();
        if !before.ends_with('#') {
            continue;
        }
        let rest = &comment[at + 4..];
        let Some(after_colon) = rest.trim_start().strip_prefix(':') else {
            // Bare `# noqa` (possibly followed by text).
            if rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with('#') {
                return Some(Noqa {
                    row: 0,
                    codes: None,
                    reason: rest.trim().to_string(),
                });
            }
            continue;
        };
        let mut codes = Vec::new();
        let mut remaining = after_colon;
        loop {
            let trimmed = remaining.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            let code_len = code_prefix_len(trimmed);
            if code_len == 0 {
                remaining = trimmed;
                break;
            }
            codes.push(trimmed[..code_len].to_ascii_uppercase());
            remaining = &trimmed[code_len..];
        }
        if codes.is_empty() {
            return Some(Noqa {
                row: 0,
                codes: None,
                reason: remaining.trim().to_string(),
            });
        }
        // The reason ends where another comment starts (`# noqa: MIG001  # expect: ...`).
        let reason = remaining.split('#').next().unwrap_or("");
        return Some(Noqa {
            row: 0,
            codes: Some(codes),
            reason: reason.trim().to_string(),
        });
    }
    None
}

/// Length of a leading rule code (`[A-Za-z]+[0-9]+`) followed by a boundary.
fn code_prefix_len(s: &str) -> usize {
    let letters = s.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 {
        return 0;
    }
    let digits = s[letters..].chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return 0;
    }
    let end = letters + digits;
    match s[end..].chars().next() {
        None => end,
        Some(c) if c.is_whitespace() || c == ',' || c == '#' => end,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noqa_forms() {
        let n = parse_noqa("# noqa").unwrap();
        assert_eq!(n.codes, None);
        let n = parse_noqa("# noqa: IMP001, E501 vendored client").unwrap();
        assert_eq!(n.codes, Some(vec!["IMP001".to_string(), "E501".to_string()]));
        assert_eq!(n.reason, "vendored client");
        let n = parse_noqa("#noqa:MIG001").unwrap();
        assert_eq!(n.codes, Some(vec!["MIG001".to_string()]));
        assert_eq!(n.reason, "");
        assert!(parse_noqa("# this is not noqa-related").is_none());
        let n = parse_noqa("# type: ignore  # noqa: IMP002").unwrap();
        assert_eq!(n.codes, Some(vec!["IMP002".to_string()]));
    }

    #[test]
    fn version_compare() {
        assert_eq!(
            parse_version_compare("sys.version_info >= (3, 11)"),
            Some((">=", (3, 11)))
        );
        assert_eq!(
            parse_version_compare("sys.version_info[:2] < (3,12)"),
            Some(("<", (3, 12)))
        );
        assert_eq!(parse_version_compare("sys.version_info.major == 3"), None);
    }

    fn facts(src: &str) -> FileFacts {
        let mut f = FileFacts::default();
        extract(src, &mut f);
        f
    }

    #[test]
    fn import_contexts() {
        let f = facts(
            "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import stubby\nelse:\n    import real\ntry:\n    import orjson\nexcept ImportError:\n    orjson = None\ndef f():\n    from . import sib\nif sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli\n",
        );
        let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap().context;
        assert!(!by("os").type_checking);
        assert!(by("stubby").type_checking);
        assert!(!by("real").type_checking);
        assert!(by("orjson").optional);
        let sib = f.imports.iter().find(|i| i.level == 1).unwrap();
        assert!(sib.context.in_function);
        assert_eq!(sib.names[0].name, "sib");
        assert_eq!(by("tomllib").min_version, Some((3, 11)));
        assert_eq!(by("tomli").max_version, Some((3, 11)));
        assert_eq!(f.imports.iter().find(|i| i.module == "tomli").unwrap().span.row, 16);
    }

    #[test]
    fn symbols_and_all() {
        let f = facts("from .a import x as y\nimport b.c\nclass K: pass\ndef g(): pass\n__all__ = ['K', 'g']\nA, (B, C) = 1, (2, 3)\nif X:\n    D = 1\n");
        let names: Vec<&str> = f.symbols.names.iter().map(|(n, _)| n.as_str()).collect();
        for n in ["y", "b", "K", "g", "A", "B", "C", "D", "__all__"] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        assert_eq!(f.symbols.dunder_all, Some(vec!["K".to_string(), "g".to_string()]));
        assert!(!f.symbols.has_getattr);
    }

    #[test]
    fn multi_line_from_import_spans() {
        let f = facts("from app.models import (\n    Task,\n    Gone,\n)\n");
        let imp = &f.imports[0];
        assert_eq!(imp.names[1].name, "Gone");
        assert_eq!(imp.names[1].span.row, 3);
        assert_eq!(imp.names[1].span.col, 5);
    }
}
