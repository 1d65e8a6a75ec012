//! Extract: Alembic revision metadata (`revision`, `down_revision`, `branch_labels`,
//! `depends_on`) and the `op.*` / `batch_op.*` calls of `upgrade()` / `downgrade()`.
//!
//! Values are read from literals only; anything else is recorded as unknown, never
//! guessed. Not for environments or graphs: `project::migrations` builds those.

use super::python::string_literal;
use crate::diagnostic::{LineIndex, Span};
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

/// Literal metadata and operations of one Alembic revision script.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RevisionFacts {
    /// `revision = "<id>"` with the span of the whole assignment; `None` when the value
    /// is not a string literal.
    pub revision: Option<(String, Span)>,
    /// Span of the `revision` assignment (also when its value is not a literal).
    pub revision_span: Span,
    pub down_revision: RevRefs,
    pub branch_labels: Vec<String>,
    /// `depends_on`; empty and literal when absent.
    pub depends_on: RevRefs,
    pub upgrade: Option<MigFunction>,
    pub downgrade: Option<MigFunction>,
}

/// A `down_revision` / `depends_on` value: `None`, a string, or a tuple/list of strings.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RevRefs {
    pub values: Vec<String>,
    /// Span of the assignment statement.
    pub span: Span,
    /// Written as a tuple or list (for `down_revision`: a merge point when it has two
    /// or more entries).
    pub sequence: bool,
    /// Whether the value was read from literals (false: a name, call, f-string ...).
    pub literal: bool,
}

/// The body of `upgrade()` or `downgrade()`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MigFunction {
    /// From the `def` line to the end of the body.
    pub span: Span,
    /// Only `pass`, `...`, docstrings and comments.
    pub empty: bool,
    /// The body raises `NotImplementedError` (an explicit "cannot be reverted").
    pub raises_not_implemented: bool,
    /// Statements in order: `op.*` / `batch_op.*` calls, and other code as `name == ""`.
    pub ops: Vec<MigOp>,
}

/// One statement of a migration function.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct MigOp {
    /// `add_column`, `alter_column`, `create_table`, `execute` ...; empty for any other code.
    pub name: String,
    /// Table argument (the batch table for `batch_op.*`), when literal.
    pub table: Option<String>,
    /// Called on a `batch_alter_table` alias.
    pub batch: bool,
    /// `add_column`: the column, when it is a literal `Column(...)` call.
    pub column: Option<ColumnFacts>,
    /// `alter_column` / `drop_column`: the column name.
    pub column_name: Option<String>,
    /// `alter_column(nullable=...)`, `rename_table`/`alter_column(new_column_name=)`.
    pub nullable: Option<bool>,
    /// `alter_column(existing_nullable=...)`.
    pub existing_nullable: Option<bool>,
    pub new_name: Option<String>,
    /// `alter_column(server_default=<not None>)`.
    pub server_default: bool,
    /// `create_table`: its literal columns.
    pub columns: Vec<ColumnFacts>,
    /// `create_index` / `drop_index`: the index name.
    pub index: Option<String>,
    /// String literals of the call or statement (SQL of `execute`).
    pub strings: Vec<String>,
    /// Other code: the names of the functions and methods it calls (`execute`, `update`,
    /// a bare `backfill_rows`, ...).
    pub calls: Vec<String>,
    /// Inside `if`/`for`/`while`/`try` or a nested function: may not run.
    pub conditional: bool,
    /// `schema=` when literal (`None` also when absent).
    pub schema: Option<String>,
    /// `if_not_exists=True` / `if_exists=True`: the operation tolerates the state.
    pub if_exists: bool,
    /// The conditions of the enclosing `if`/`elif` chains (any branch), as written.
    pub guard: String,
    pub span: Span,
}

/// A literal `Column(...)` / `sa.Column(...)` call.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ColumnFacts {
    pub name: Option<String>,
    /// `nullable=False`, or `primary_key=True` without `nullable=True`.
    pub not_null: bool,
    /// `server_default=` given and not `None`.
    pub server_default: bool,
    /// `default=` given (Python-side only).
    pub default: bool,
    /// Named enum types the column creates (`sa.Enum(..., name="x")`).
    pub enums: Vec<String>,
}

/// Reads the revision facts of a module, if it looks like a revision script (has both a
/// `revision` and a `down_revision` assignment at module level).
pub fn extract(root: Node, src: &str, index: &LineIndex) -> Option<RevisionFacts> {
    let x = Extractor { src, index };
    let mut facts = RevisionFacts::default();
    let (mut has_revision, mut has_down) = (false, false);
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        match stmt.kind() {
            "expression_statement" => {
                let Some(a) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
                    continue;
                };
                let (Some(left), Some(right)) = (a.child_by_field_name("left"), a.child_by_field_name("right")) else {
                    continue;
                };
                if left.kind() != "identifier" {
                    continue;
                }
                let span = x.span(stmt);
                match x.text(left) {
                    "revision" => {
                        has_revision = true;
                        facts.revision_span = span;
                        facts.revision = match x.refs(right) {
                            Some((v, false)) if v.len() == 1 => Some((v[0].clone(), span)),
                            _ => None,
                        };
                    }
                    "down_revision" => {
                        has_down = true;
                        facts.down_revision = x.rev_refs(right, span);
                    }
                    "depends_on" => facts.depends_on = x.rev_refs(right, span),
                    "branch_labels" => facts.branch_labels = x.refs(right).map(|r| r.0).unwrap_or_default(),
                    _ => {}
                }
            }
            "function_definition" => x.function(stmt, &mut facts),
            "decorated_definition" => {
                if let Some(d) = stmt.child_by_field_name("definition") {
                    x.function(d, &mut facts);
                }
            }
            _ => {}
        }
    }
    (has_revision && has_down).then_some(facts)
}

struct Extractor<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
}

impl<'a> Extractor<'a> {
    fn text(&self, node: Node) -> &'a str {
        node.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    fn span(&self, node: Node) -> Span {
        self.index.span(node.start_byte(), node.end_byte())
    }

    fn string(&self, node: Node) -> Option<String> {
        match node.kind() {
            "string" => string_literal(self.text(node)),
            "concatenated_string" => {
                let mut s = String::new();
                let mut cursor = node.walk();
                for c in node.named_children(&mut cursor) {
                    s.push_str(&string_literal(self.text(c))?);
                }
                Some(s)
            }
            "parenthesized_expression" => self.string(node.named_child(0)?),
            _ => None,
        }
    }

    /// `None` / `"x"` / `("x", "y")` / `["x"]`: the strings and whether it is a sequence.
    fn refs(&self, node: Node) -> Option<(Vec<String>, bool)> {
        match node.kind() {
            "none" => Some((Vec::new(), false)),
            "tuple" | "list" => {
                let mut out = Vec::new();
                let mut cursor = node.walk();
                for c in node.named_children(&mut cursor) {
                    if c.kind() == "comment" {
                        continue;
                    }
                    out.push(self.string(c)?);
                }
                Some((out, true))
            }
            "parenthesized_expression" => {
                let inner = node.named_children(&mut node.walk()).find(|c| c.kind() != "comment")?;
                self.refs(inner)
            }
            _ => self.string(node).map(|s| (vec![s], false)),
        }
    }

    fn rev_refs(&self, node: Node, span: Span) -> RevRefs {
        match self.refs(node) {
            Some((values, sequence)) => RevRefs {
                values,
                span,
                sequence,
                literal: true,
            },
            None => RevRefs {
                span,
                ..RevRefs::default()
            },
        }
    }

    fn function(&self, node: Node, facts: &mut RevisionFacts) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let slot = match self.text(name) {
            "upgrade" => &mut facts.upgrade,
            "downgrade" => &mut facts.downgrade,
            _ => return,
        };
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        let mut f = MigFunction {
            span: self.span(node),
            empty: true,
            ..MigFunction::default()
        };
        let mut cursor = body.walk();
        for stmt in body.named_children(&mut cursor) {
            match stmt.kind() {
                "comment" | "pass_statement" => continue,
                "expression_statement"
                    if stmt
                        .named_child(0)
                        .is_some_and(|e| matches!(e.kind(), "string" | "ellipsis" | "concatenated_string")) =>
                {
                    continue
                }
                "raise_statement" if self.text(stmt).contains("NotImplementedError") => {
                    f.raises_not_implemented = true;
                }
                _ => {}
            }
            f.empty = false;
        }
        let mut batch: Vec<(String, Option<String>)> = Vec::new();
        self.block(body, false, "", &mut batch, &mut f.ops, 0);
        *slot = Some(f);
    }

    /// Records the statements of a block in order.
    fn block(
        &self,
        block: Node,
        conditional: bool,
        guard: &str,
        batch: &mut Vec<(String, Option<String>)>,
        ops: &mut Vec<MigOp>,
        depth: usize,
    ) {
        if depth > 30 {
            return;
        }
        let start = ops.len();
        let mut cursor = block.walk();
        for stmt in block.named_children(&mut cursor) {
            match stmt.kind() {
                "comment" | "pass_statement" => {}
                "with_statement" => {
                    let pushed = self.batch_aliases(stmt, batch);
                    if let Some(body) = stmt.child_by_field_name("body") {
                        self.block(body, conditional, guard, batch, ops, depth + 1);
                    }
                    for _ in 0..pushed {
                        batch.pop();
                    }
                }
                "if_statement" | "for_statement" | "while_statement" | "try_statement" | "match_statement" => {
                    // The condition / iterable itself is other code.
                    ops.push(self.other(stmt, true));
                    let mut inner = guard.to_string();
                    if stmt.kind() == "if_statement" {
                        let mut c = stmt.walk();
                        for child in stmt.named_children(&mut c) {
                            let cond = match child.kind() {
                                "elif_clause" => child.child_by_field_name("condition"),
                                _ if Some(child) == stmt.child_by_field_name("condition") => Some(child),
                                _ => None,
                            };
                            if let Some(cond) = cond {
                                inner.push(' ');
                                inner.push_str(self.text(cond));
                            }
                        }
                    }
                    let mut c = stmt.walk();
                    for child in stmt.named_children(&mut c) {
                        self.nested(child, &inner, batch, ops, depth + 1);
                    }
                }
                "function_definition" | "decorated_definition" | "class_definition" => {}
                "expression_statement" => match stmt.named_child(0).filter(|c| c.kind() == "call") {
                    Some(call) => match self.op_call(call, batch) {
                        Some(mut op) => {
                            op.conditional = conditional;
                            op.span = self.span(stmt);
                            ops.push(op);
                        }
                        None => ops.push(self.other(stmt, conditional)),
                    },
                    None => ops.push(self.other(stmt, conditional)),
                },
                _ => ops.push(self.other(stmt, conditional)),
            }
        }
        for op in &mut ops[start..] {
            if op.guard.is_empty() {
                op.guard = guard.to_string();
            }
        }
    }

    /// Walks into the blocks of a compound statement (all conditional).
    fn nested(
        &self,
        node: Node,
        guard: &str,
        batch: &mut Vec<(String, Option<String>)>,
        ops: &mut Vec<MigOp>,
        depth: usize,
    ) {
        if depth > 30 {
            return;
        }
        if node.kind() == "block" {
            self.block(node, true, guard, batch, ops, depth + 1);
            return;
        }
        if matches!(
            node.kind(),
            "elif_clause" | "else_clause" | "except_clause" | "finally_clause" | "case_clause" | "block"
        ) || node.kind().ends_with("_clause")
        {
            let mut c = node.walk();
            for child in node.named_children(&mut c) {
                self.nested(child, guard, batch, ops, depth + 1);
            }
        }
    }

    /// Other code: recorded with its string literals (a backfill `UPDATE` may hide in it).
    fn other(&self, stmt: Node, conditional: bool) -> MigOp {
        let mut strings = Vec::new();
        let mut calls = Vec::new();
        let mut stack = vec![stmt];
        while let Some(n) = stack.pop() {
            if n.kind() == "block" && n != stmt && stmt.kind() != "expression_statement" {
                continue;
            }
            if n.kind() == "string" {
                if let Some(s) = string_literal(self.text(n)) {
                    strings.push(s);
                }
                continue;
            }
            if n.kind() == "call" {
                if let Some(f) = n.child_by_field_name("function") {
                    let t = self.text(f);
                    let last = t.rsplit('.').next().unwrap_or(t).trim();
                    let name = if f.kind() == "identifier" {
                        t.to_string()
                    } else {
                        format!(".{last}")
                    };
                    calls.push(name);
                }
            }
            let mut c = n.walk();
            for child in n.named_children(&mut c) {
                stack.push(child);
            }
        }
        MigOp {
            strings,
            calls,
            conditional,
            span: self.span(stmt),
            ..MigOp::default()
        }
    }

    /// `with op.batch_alter_table("t") as batch_op:`: pushes `(alias, table)`; returns how many.
    fn batch_aliases(&self, with: Node, batch: &mut Vec<(String, Option<String>)>) -> usize {
        let mut pushed = 0;
        let mut stack = vec![with];
        while let Some(n) = stack.pop() {
            if n.kind() == "block" {
                continue;
            }
            if n.kind() == "as_pattern" {
                let call = n.named_child(0).filter(|c| c.kind() == "call");
                let alias = n.child_by_field_name("alias").map(|a| self.text(a).trim().to_string());
                if let (Some(call), Some(alias)) = (call, alias) {
                    let func = call.child_by_field_name("function").map(|f| self.text(f)).unwrap_or("");
                    if func.ends_with("batch_alter_table") {
                        let table = self
                            .args(call)
                            .0
                            .first()
                            .and_then(|a| self.string(*a))
                            .or_else(|| self.kwarg(call, "table_name").and_then(|v| self.string(v)));
                        batch.push((alias, table));
                        pushed += 1;
                    }
                }
                continue;
            }
            let mut c = n.walk();
            for child in n.named_children(&mut c) {
                stack.push(child);
            }
        }
        pushed
    }

    #[allow(clippy::type_complexity)]
    fn args<'t>(&self, call: Node<'t>) -> (Vec<Node<'t>>, Vec<(String, Node<'t>)>) {
        let mut pos = Vec::new();
        let mut kw = Vec::new();
        if let Some(args) = call.child_by_field_name("arguments") {
            let mut c = args.walk();
            for a in args.named_children(&mut c) {
                match a.kind() {
                    "keyword_argument" => {
                        if let (Some(n), Some(v)) = (a.child_by_field_name("name"), a.child_by_field_name("value")) {
                            kw.push((self.text(n).to_string(), v));
                        }
                    }
                    "comment" => {}
                    _ => pos.push(a),
                }
            }
        }
        (pos, kw)
    }

    fn kwarg<'t>(&self, call: Node<'t>, name: &str) -> Option<Node<'t>> {
        let args = call.child_by_field_name("arguments")?;
        let mut c = args.walk();
        let found = args.named_children(&mut c).find(|a| {
            a.kind() == "keyword_argument" && a.child_by_field_name("name").is_some_and(|n| self.text(n) == name)
        })?;
        found.child_by_field_name("value")
    }

    /// A string, or `op.f("name")`.
    fn name_arg(&self, node: Node) -> Option<String> {
        if node.kind() == "call" {
            let func = node.child_by_field_name("function").map(|f| self.text(f))?;
            if func == "op.f" || func == "f" {
                let (pos, _) = self.args(node);
                return pos.first().and_then(|a| self.string(*a));
            }
            return None;
        }
        self.string(node)
    }

    /// `op.<name>(...)` or `<batch alias>.<name>(...)`.
    fn op_call(&self, call: Node, batch: &[(String, Option<String>)]) -> Option<MigOp> {
        let func = call.child_by_field_name("function")?;
        if func.kind() != "attribute" {
            return None;
        }
        let object = self.text(func.child_by_field_name("object")?);
        let name = self.text(func.child_by_field_name("attribute")?).to_string();
        let (is_batch, batch_table) = match batch.iter().rev().find(|(a, _)| a == object) {
            Some((_, t)) => (true, t.clone()),
            None if object == "op" => (false, None),
            None => return None,
        };
        let (pos, kw) = self.args(call);
        let kwv = |k: &str| kw.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        // Positional arguments after the table (a batch op has no table argument).
        let skip = usize::from(!is_batch);
        let table = if is_batch {
            batch_table
        } else {
            pos.first()
                .and_then(|a| self.string(*a))
                .or_else(|| kwv("table_name").and_then(|v| self.string(v)))
        };
        let mut op = MigOp {
            name: name.clone(),
            batch: is_batch,
            table,
            ..MigOp::default()
        };
        match name.as_str() {
            "add_column" => {
                op.column = pos.get(skip).or(kwv("column").as_ref()).and_then(|c| self.column(*c));
            }
            "drop_column" | "alter_column" => {
                op.column_name = pos
                    .get(skip)
                    .and_then(|a| self.string(*a))
                    .or_else(|| kwv("column_name").and_then(|v| self.string(v)));
                if let Some(v) = kwv("nullable") {
                    op.nullable = match v.kind() {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    };
                }
                op.existing_nullable = kwv("existing_nullable").and_then(|v| match v.kind() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                });
                // Already NOT NULL: no change of nullability.
                if kwv("existing_nullable").is_some_and(|v| v.kind() == "false") && op.nullable == Some(false) {
                    op.nullable = None;
                }
                op.server_default =
                    kwv("server_default").is_some_and(|v| v.kind() != "none" && self.text(v) != "False");
                op.new_name = kwv("new_column_name").and_then(|v| self.string(v));
            }
            "create_table" => {
                for c in pos.iter().skip(1) {
                    if let Some(col) = self.column(*c) {
                        op.columns.push(col);
                    }
                }
            }
            "rename_table" => {
                op.new_name = pos
                    .get(1)
                    .and_then(|a| self.string(*a))
                    .or_else(|| kwv("new_table_name").and_then(|v| self.string(v)));
            }
            "create_index" | "drop_index" => {
                op.index = pos
                    .first()
                    .and_then(|a| self.name_arg(*a))
                    .or_else(|| kwv("index_name").and_then(|v| self.name_arg(v)));
                op.table = if is_batch {
                    op.table
                } else {
                    pos.get(1)
                        .and_then(|a| self.string(*a))
                        .or_else(|| kwv("table_name").and_then(|v| self.string(v)))
                };
            }
            _ => {}
        }
        op.schema = kwv("schema").and_then(|v| self.string(v));
        op.if_exists = ["if_not_exists", "if_exists"]
            .iter()
            .any(|k| kwv(k).is_some_and(|v| v.kind() != "false" && v.kind() != "none"));
        // String literals anywhere in the call (the SQL of `execute`, `sa.text(...)`).
        op.strings = self.other(call, false).strings;
        Some(op)
    }

    /// A literal `Column(...)` call.
    fn column(&self, node: Node) -> Option<ColumnFacts> {
        if node.kind() != "call" {
            return None;
        }
        let func = self.text(node.child_by_field_name("function")?);
        if !(func == "Column" || func.ends_with(".Column")) {
            return None;
        }
        let (pos, kw) = self.args(node);
        let kwv = |k: &str| kw.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
        let nullable = kwv("nullable").map(|v| v.kind());
        let primary = kwv("primary_key").is_some_and(|v| v.kind() == "true");
        let mut col = ColumnFacts {
            name: pos.first().and_then(|a| self.string(*a)),
            not_null: nullable == Some("false") || (primary && nullable.is_none()),
            server_default: kwv("server_default").is_some_and(|v| v.kind() != "none"),
            default: kwv("default").is_some(),
            enums: Vec::new(),
        };
        // Named enum types: `sa.Enum(..., name="x")`, `postgresql.ENUM(..., name="x")`.
        let mut stack: Vec<Node> = pos.iter().skip(1).copied().collect();
        stack.extend(kw.iter().filter(|(n, _)| n == "type_").map(|(_, v)| *v));
        while let Some(n) = stack.pop() {
            if n.kind() != "call" {
                continue;
            }
            let f = n.child_by_field_name("function").map(|f| self.text(f)).unwrap_or("");
            if f == "Enum" || f.ends_with(".Enum") || f == "ENUM" || f.ends_with(".ENUM") {
                let create_type_off = self.kwarg(n, "create_type").is_some_and(|v| v.kind() == "false");
                if let Some(name) = self.kwarg(n, "name").and_then(|v| self.string(v)) {
                    if !create_type_off {
                        col.enums.push(name);
                    }
                }
            }
        }
        Some(col)
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::FileFacts;

    fn rev(src: &str) -> Option<super::RevisionFacts> {
        let mut f = FileFacts::default();
        crate::facts::python::extract(src, &mut f);
        f.revision
    }

    #[test]
    fn metadata_forms() {
        let r = rev("revision: str = \"abc\"\ndown_revision: Union[str, None] = (\"a\", 'b')\nbranch_labels = ('x',)\ndepends_on = None\n").unwrap();
        assert_eq!(r.revision.unwrap().0, "abc");
        assert_eq!(r.down_revision.values, vec!["a", "b"]);
        assert!(r.down_revision.sequence && r.down_revision.literal);
        assert_eq!(r.branch_labels, vec!["x"]);
        assert!(r.depends_on.values.is_empty() && r.depends_on.literal);
        let r = rev("revision = make_id()\ndown_revision = PREV\n").unwrap();
        assert!(r.revision.is_none());
        assert!(!r.down_revision.literal);
        assert!(rev("revision = 'a'\n").is_none());
    }

    #[test]
    fn function_bodies() {
        let src = r#"revision = "b"
down_revision = "a"

def upgrade():
    with op.batch_alter_table("t") as batch_op:
        batch_op.add_column(sa.Column("c", sa.String(), nullable=False, default="x"))
    op.execute("UPDATE t SET c = 1")
    op.alter_column("t", "d", nullable=False)
    op.create_table("u", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("k", sa.Enum("a", name="kind")))
    op.create_index(op.f("ix_u_k"), "u", ["k"])
    if cond:
        op.drop_table("v")

def downgrade():
    """Nothing."""
    # comment
    pass
"#;
        let r = rev(src).unwrap();
        let up = r.upgrade.unwrap();
        assert!(!up.empty);
        let names: Vec<&str> = up.ops.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "add_column",
                "execute",
                "alter_column",
                "create_table",
                "create_index",
                "",
                "drop_table"
            ]
        );
        let add = &up.ops[0];
        assert!(add.batch);
        assert_eq!(add.table.as_deref(), Some("t"));
        let col = add.column.as_ref().unwrap();
        assert!(col.not_null && !col.server_default && col.default);
        assert_eq!(up.ops[1].strings, vec!["UPDATE t SET c = 1"]);
        assert_eq!(up.ops[2].nullable, Some(false));
        assert!(up.ops[3].columns[0].not_null);
        assert_eq!(up.ops[3].columns[1].enums, vec!["kind"]);
        assert_eq!(up.ops[4].index.as_deref(), Some("ix_u_k"));
        assert!(up.ops[6].conditional);
        let down = r.downgrade.unwrap();
        assert!(down.empty && !down.raises_not_implemented);
    }
}
