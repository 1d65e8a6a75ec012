//! MIG007 duplicate-schema-object: replaying the revision chain, a table, column or index
//! is created when it already exists.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::MigOp;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;
use rustc_hash::{FxHashMap, FxHashSet};

pub const META: RuleMeta = RuleMeta {
    code: "MIG007",
    name: "duplicate-schema-object",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "Replaying the revision chain, a table, column or index is created when it already exists.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Replays the `upgrade()` operations of a revision's ancestors in order (from the base to
the revision) and reports an `op.create_table`, `op.add_column` / `batch_op.add_column`
or `op.create_index` of a table, column or index that already exists at that point.
Dropping and re-creating is fine.

## Why is this bad?
`alembic upgrade head` fails on that revision with `DuplicateTable` ("relation already
exists"), `DuplicateColumn` ("column ... already exists") or a duplicate index error, and
every later revision stays unapplied. It usually comes from a migration that was
generated twice, or from tables created outside Alembic and then re-added.

## Known problems
Only literal operations are replayed. A table touched by raw SQL (`op.execute`), by
conditional code, or by operations on non-literal names is not judged; a revision after
calls to helper functions is not judged at all. Named enum types are not tracked yet.

## How to fix
Remove the duplicate operation, or drop the object first if the revision is meant to
recreate it.

## Example
```python
# 6c0e_initial.py
op.create_table("benchmark_results", ..., sa.Column("machine_info", sa.JSON()))
# 2b8e_sessions.py (a descendant)
op.add_column("benchmark_results", sa.Column("machine_info", sa.JSON()))
```
"#;

/// Functions and methods that cannot change the schema.
const HARMLESS: &[&str] = &[
    ".get_bind",
    "text",
    ".text",
    "table",
    ".table",
    "column",
    ".column",
    "select",
    ".select",
    "print",
    ".info",
    ".warning",
    ".debug",
    "len",
    "str",
    "int",
    "isinstance",
    ".f",
    "Column",
    ".Column",
    ".inspect",
    "inspect",
    ".get_context",
    ".get_table_names",
    ".get_columns",
    ".get_indexes",
    ".String",
    ".Integer",
    ".Boolean",
];

#[derive(Default)]
struct Schema {
    tables: FxHashMap<String, FxHashSet<String>>,
    indexes: FxHashMap<String, String>,
    /// Tables whose state is not known (raw SQL, conditional code).
    opaque: FxHashSet<String>,
    /// Something unknown happened: nothing is judged from here on.
    lost: bool,
}

fn key(schema: &Option<String>, table: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", s.to_ascii_lowercase(), table.to_ascii_lowercase()),
        None => table.to_ascii_lowercase(),
    }
}

impl Schema {
    /// Applies one operation; returns the finding message when it creates something that exists.
    fn apply(&mut self, op: &MigOp) -> Option<String> {
        if op.name.is_empty() || op.name == "execute" {
            let text: Vec<String> = op.strings.iter().map(|s| s.to_ascii_lowercase()).collect();
            for t in self.tables.keys() {
                if text.iter().any(|s| s.contains(t.rsplit('.').next().unwrap_or(t))) {
                    self.opaque.insert(t.clone());
                }
            }
            if op.name.is_empty() && op.calls.iter().any(|c| !HARMLESS.contains(&c.as_str())) {
                self.lost = true;
            }
            if op.name == "execute" && op.strings.is_empty() {
                self.lost = true;
            }
            return None;
        }
        let Some(table) = op.table.as_deref() else {
            if matches!(
                op.name.as_str(),
                "create_table"
                    | "drop_table"
                    | "rename_table"
                    | "add_column"
                    | "drop_column"
                    | "alter_column"
                    | "create_index"
                    | "drop_index"
            ) {
                self.lost = true;
            }
            return None;
        };
        let t = key(&op.schema, table);
        let judged = !self.lost && !op.conditional && !op.if_exists && !self.opaque.contains(&t);
        if op.conditional {
            self.opaque.insert(t.clone());
        }
        let mut finding = None;
        match op.name.as_str() {
            "create_table" => {
                if judged && self.tables.contains_key(&t) {
                    finding = Some(format!("table `{table}` already exists at this point of the revision chain: `alembic upgrade` fails with `DuplicateTable`"));
                }
                if op.if_exists && self.tables.contains_key(&t) {
                    return None;
                }
                let cols = op
                    .columns
                    .iter()
                    .filter_map(|c| c.name.as_ref().map(|n| n.to_ascii_lowercase()))
                    .collect();
                self.tables.insert(t, cols);
            }
            "drop_table" => {
                self.tables.remove(&t);
                self.indexes.retain(|_, it| *it != t);
            }
            "rename_table" => {
                let Some(new) = &op.new_name else {
                    self.lost = true;
                    return None;
                };
                let nt = key(&op.schema, new);
                if let Some(cols) = self.tables.remove(&t) {
                    self.tables.insert(nt.clone(), cols);
                }
                for it in self.indexes.values_mut() {
                    if *it == t {
                        *it = nt.clone();
                    }
                }
                if self.opaque.contains(&t) {
                    self.opaque.insert(nt);
                }
            }
            "add_column" => {
                let Some(name) = op.column.as_ref().and_then(|c| c.name.as_ref()) else {
                    self.opaque.insert(t);
                    return None;
                };
                let c = name.to_ascii_lowercase();
                if let Some(cols) = self.tables.get_mut(&t) {
                    if judged && cols.contains(&c) {
                        finding = Some(format!("column `{table}.{name}` already exists at this point of the revision chain: `alembic upgrade` fails with `DuplicateColumn`"));
                    }
                    cols.insert(c);
                }
            }
            "drop_column" => match &op.column_name {
                Some(c) => {
                    if let Some(cols) = self.tables.get_mut(&t) {
                        cols.remove(&c.to_ascii_lowercase());
                    }
                }
                None => {
                    self.opaque.insert(t);
                }
            },
            "alter_column" => {
                if let (Some(c), Some(new)) = (&op.column_name, &op.new_name) {
                    if let Some(cols) = self.tables.get_mut(&t) {
                        cols.remove(&c.to_ascii_lowercase());
                        cols.insert(new.to_ascii_lowercase());
                    }
                } else if op.column_name.is_none() {
                    self.opaque.insert(t);
                }
            }
            "create_index" => {
                let Some(name) = &op.index else {
                    return None;
                };
                let n = key(&op.schema, name);
                if judged && self.indexes.contains_key(&n) {
                    finding = Some(format!("index `{name}` already exists at this point of the revision chain: `alembic upgrade` fails (`DuplicateTable: relation \"{name}\" already exists`)"));
                }
                self.indexes.insert(n, t);
            }
            "drop_index" => match &op.index {
                Some(name) => {
                    self.indexes.remove(&key(&op.schema, name));
                }
                None => self.indexes.retain(|_, it| *it != t),
            },
            // Anything else on a table (constraints, comments, batch recreation) keeps its state.
            _ => {}
        }
        finding
    }
}

/// Reports operations of this revision's `upgrade()` that create existing objects.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((env, rev)) = super::revision(cx) else { return };
    let Some(up) = &rev.upgrade else { return };
    // A graph with unknown links cannot be replayed.
    if env.revisions.iter().any(|f| {
        cx.ws.files[*f]
            .revision
            .as_ref()
            .is_some_and(|r| r.revision.is_none() || !r.down_revision.literal)
    }) {
        return;
    }
    let mut schema = Schema::default();
    for f in super::ancestors(cx, env) {
        if f == cx.file {
            break;
        }
        if let Some(u) = cx.ws.files[f].revision.as_ref().and_then(|r| r.upgrade.as_ref()) {
            for op in &u.ops {
                schema.apply(op);
            }
        }
    }
    for op in &up.ops {
        if let Some(message) = schema.apply(op) {
            out.push(
                Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), op.span, message).with_help(
                    "remove the duplicate operation, or drop the object first if this revision recreates it",
                ),
            );
        }
    }
}
