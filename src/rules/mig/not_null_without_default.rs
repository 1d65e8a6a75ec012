//! MIG006 not-null-without-default: a NOT NULL column added (or a column made NOT NULL)
//! on a table that may already hold rows, with no server default or backfill.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{MigFunction, MigOp};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;
use rustc_hash::FxHashMap;

pub const META: RuleMeta = RuleMeta {
    code: "MIG006",
    name: "not-null-without-default",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A NOT NULL column added without `server_default`, or made NOT NULL without a backfill.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds, in `upgrade()` and `downgrade()`, `op.add_column` / `batch_op.add_column` of a
column with `nullable=False` (or `primary_key=True`) and no `server_default`, on a table
not created (or emptied with `DELETE FROM t` / `TRUNCATE t`) earlier in the same
function. In `upgrade()` it also finds `alter_column(..., nullable=False)` of a column
known to be nullable before (`existing_nullable=True`, or from replaying the upgrades of
the revision's ancestors, where an earlier `UPDATE` naming the table and column makes it
unknown) with no
backfill before it in the same function (an
`op.execute("UPDATE <table> ...")`, or other code that may update the rows).

`default=` does not help: it is a Python-side default that SQLAlchemy applies on INSERT;
Alembic emits no `DEFAULT` for it in `ALTER TABLE ... ADD COLUMN`.

## Why is this bad?
On a table that has rows, the database cannot fill the new column: PostgreSQL fails with
`NotNullViolation: column "x" of relation "t" contains null values`, SQLite batch mode
with `NOT NULL constraint failed: _alembic_tmp_t.x`, MySQL in strict mode with
`Invalid use of NULL value` (`IntegrityError`). Tests on an empty database pass; the
deployment fails.

## Known problems
Backfills done by helper functions are trusted, not read: any call that may update rows
before the `alter_column` silences the finding. Operations in a branch whose condition names MySQL are not judged (MySQL fills a new NOT
NULL column with the type's implicit default). An `alter_column` is only reported when
the column's earlier nullability is known from literals; `alter_column` in
`downgrade()` is not checked.

## How to fix
Give the column a `server_default` (drop it afterwards with
`op.alter_column(..., server_default=None)` if the application sets the value), or add it
nullable, backfill with `op.execute("UPDATE t SET x = ... WHERE x IS NULL")`, then
`op.alter_column("t", "x", nullable=False)`.

## Example
```python
op.add_column("users", sa.Column("avatar", sa.String(255), nullable=False, default="default.jpg"))
```

Use instead:
```python
op.add_column("users", sa.Column("avatar", sa.String(255), nullable=False, server_default="default.jpg"))
```
"#;

/// Reports unsafe NOT NULL columns in this revision's functions.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((_, rev)) = super::revision(cx) else { return };
    if let Some(up) = &rev.upgrade {
        function(cx, up, "upgrade", true, out);
    }
    if let Some(down) = &rev.downgrade {
        function(cx, down, "downgrade", false, out);
    }
}

fn function(cx: &RuleContext, f: &MigFunction, fname: &str, alter: bool, out: &mut Vec<Diagnostic>) {
    // Tables created or emptied earlier in the function: adding a NOT NULL column is safe.
    let mut fresh: Vec<String> = Vec::new();
    let mut history: Option<Nullability> = None;
    for (i, op) in f.ops.iter().enumerate() {
        for s in &op.strings {
            fresh.extend(fresh_tables(s));
        }
        let Some(table) = op.table.as_deref() else {
            continue;
        };
        // A branch chosen for MySQL: MySQL fills a new NOT NULL column with the type's
        // implicit default (0, '') instead of failing.
        if op.guard.to_ascii_lowercase().contains("mysql") {
            continue;
        }
        let call = if op.batch { "batch_op" } else { "op" };
        match op.name.as_str() {
            "create_table" => fresh.push(table.to_ascii_lowercase()),
            "rename_table" => {
                if let Some(new) = &op.new_name {
                    if fresh.contains(&table.to_ascii_lowercase()) {
                        fresh.push(new.to_ascii_lowercase());
                    }
                }
            }
            "add_column" => {
                let Some(col) = &op.column else { continue };
                if !col.not_null || col.server_default || fresh.contains(&table.to_ascii_lowercase()) {
                    continue;
                }
                let name = col.name.as_deref().unwrap_or("?");
                let mut help = "give the column a `server_default` (drop it afterwards with `alter_column(..., server_default=None)` if needed), or add it nullable, backfill it with `op.execute(\"UPDATE ...\")` and then `alter_column(..., nullable=False)`".to_string();
                if col.default {
                    help = format!("`default=` is Python-side only (applied by SQLAlchemy on INSERT; the DDL gets no DEFAULT): {help}");
                }
                out.push(
                    Diagnostic::new(
                        META.code,
                        META.severity,
                        cx.facts.path.clone(),
                        op.span,
                        format!(
                            "`{call}.add_column` in `{fname}()` adds NOT NULL column `{table}.{name}` without `server_default`: it fails on a table that has rows (`NotNullViolation` / `IntegrityError`)"
                        ),
                    )
                    .with_help(help),
                );
            }
            "alter_column" if alter => {
                if op.nullable != Some(false) || op.server_default || fresh.contains(&table.to_ascii_lowercase()) {
                    continue;
                }
                let column = op.column_name.as_deref().unwrap_or("?");
                if f.ops[..i].iter().any(|o| may_backfill(o, table, column)) {
                    continue;
                }
                // Only a column known to be nullable before this call can hold NULLs.
                let was_nullable = op.existing_nullable == Some(true) || {
                    let h = history.get_or_insert_with(|| Nullability::before(cx));
                    let mut state = h.clone();
                    for o in &f.ops[..i] {
                        state.apply(o);
                    }
                    state.get(table, column) == Some(true)
                };
                if !was_nullable {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        META.code,
                        META.severity,
                        cx.facts.path.clone(),
                        op.span,
                        format!(
                            "`{call}.alter_column` makes `{table}.{column}` NOT NULL with no backfill before it: it fails if any row holds NULL (`NotNullViolation` / `IntegrityError`)"
                        ),
                    )
                    .with_help(format!(
                        "fill the NULLs first in the same migration: `op.execute(\"UPDATE {table} SET {column} = ... WHERE {column} IS NULL\")`"
                    )),
                );
            }
            _ => {}
        }
    }
}

/// Column nullability replayed from the upgrades of a revision's ancestors, oldest
/// first: `Some(true)` nullable, `Some(false)` NOT NULL, `None` unknown.
#[derive(Clone, Default)]
struct Nullability {
    columns: FxHashMap<(String, String), Option<bool>>,
}

impl Nullability {
    fn before(cx: &RuleContext) -> Nullability {
        let mut n = Nullability::default();
        let Some(env) = cx.ws.migrations.environment(cx.file) else {
            return n;
        };
        let order = super::ancestors(cx, env);
        for f in order.into_iter().filter(|f| *f != cx.file) {
            if let Some(up) = cx.ws.files[f].revision.as_ref().and_then(|r| r.upgrade.as_ref()) {
                for op in &up.ops {
                    // A backfill in an earlier revision (`UPDATE t SET c = ...`) may have
                    // filled the column: its NULLs are no longer known.
                    let filled: Vec<(String, String)> = n
                        .columns
                        .keys()
                        .filter(|(t, c)| {
                            op.name == "execute"
                                && op.strings.iter().any(|sql| {
                                    let sql = sql.to_ascii_lowercase();
                                    sql.contains("update") && sql.contains(t.as_str()) && sql.contains(c.as_str())
                                })
                        })
                        .cloned()
                        .collect();
                    for key in filled {
                        n.columns.insert(key, None);
                    }
                    n.apply(op);
                }
            }
        }
        n
    }

    fn key(table: &str, column: &str) -> (String, String) {
        (table.to_ascii_lowercase(), column.to_ascii_lowercase())
    }

    fn get(&self, table: &str, column: &str) -> Option<bool> {
        self.columns.get(&Self::key(table, column)).copied().flatten()
    }

    fn apply(&mut self, op: &MigOp) {
        let Some(table) = op.table.as_deref() else {
            return;
        };
        let t = table.to_ascii_lowercase();
        let cond = |v: bool| if op.conditional { None } else { Some(v) };
        match op.name.as_str() {
            "create_table" => {
                for c in &op.columns {
                    if let Some(name) = &c.name {
                        self.columns.insert(Self::key(table, name), cond(!c.not_null));
                    }
                }
            }
            "add_column" => {
                if let Some(name) = op
                    .column
                    .as_ref()
                    .and_then(|c| c.name.as_ref().map(|n| (n, c.not_null)))
                {
                    self.columns.insert(Self::key(table, name.0), cond(!name.1));
                }
            }
            "alter_column" => {
                let Some(column) = op.column_name.as_deref() else {
                    return;
                };
                let mut value = self.columns.get(&Self::key(table, column)).copied().flatten();
                if let Some(nullable) = op.nullable {
                    value = cond(nullable).or(None);
                }
                if let Some(new) = &op.new_name {
                    self.columns.remove(&Self::key(table, column));
                    self.columns.insert(Self::key(table, new), value);
                } else {
                    self.columns.insert(Self::key(table, column), value);
                }
            }
            "drop_column" => {
                if let Some(column) = op.column_name.as_deref() {
                    self.columns.remove(&Self::key(table, column));
                }
            }
            "drop_table" => self.columns.retain(|(tt, _), _| *tt != t),
            "rename_table" => {
                let Some(new) = op.new_name.as_deref() else { return };
                let moved: Vec<((String, String), Option<bool>)> = self
                    .columns
                    .iter()
                    .filter(|((tt, _), _)| *tt == t)
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                self.columns.retain(|(tt, _), _| *tt != t);
                for ((_, c), v) in moved {
                    self.columns.insert((new.to_ascii_lowercase(), c), v);
                }
            }
            _ => {}
        }
    }
}

/// Tables a statement creates or empties: `CREATE TABLE t`, `DELETE FROM t` without
/// `WHERE`, `TRUNCATE [TABLE] t`.
fn fresh_tables(sql: &str) -> Vec<String> {
    let s = sql.to_ascii_lowercase();
    let mut out = Vec::new();
    for stmt in s.split(';') {
        let words: Vec<&str> = stmt.split_whitespace().collect();
        let name = |w: Option<&&str>| w.map(|w| w.trim_matches(|c| c == '"' || c == '`' || c == ',').to_string());
        match words.as_slice() {
            ["delete", "from", rest @ ..] if !rest.contains(&"where") => out.extend(name(rest.first())),
            ["create", "table", "if", "not", "exists", rest @ ..] | ["create", "table", rest @ ..] => {
                out.extend(name(rest.first()).map(|n| n.split('(').next().unwrap_or("").to_string()))
            }
            ["truncate", "table", rest @ ..] | ["truncate", rest @ ..] => out.extend(name(rest.first())),
            _ => {}
        }
    }
    out
}

/// Whether an earlier statement may fill the column: SQL naming the table, a column
/// added with a server default, or code that may update rows.
fn may_backfill(o: &MigOp, table: &str, column: &str) -> bool {
    let t = table.to_ascii_lowercase();
    let mentions = o.strings.iter().any(|s| s.to_ascii_lowercase().contains(&t));
    match o.name.as_str() {
        "execute" => mentions || o.strings.is_empty(),
        "add_column" => {
            o.table.as_deref() == Some(table)
                && o.column
                    .as_ref()
                    .is_some_and(|c| c.name.as_deref() == Some(column) && c.server_default)
        }
        "alter_column" => {
            o.table.as_deref() == Some(table) && o.column_name.as_deref() == Some(column) && o.server_default
        }
        "bulk_insert" => false,
        "" => {
            mentions
                || o.calls.iter().any(|c| {
                    let m = c.trim_start_matches('.');
                    matches!(
                        m,
                        "execute"
                            | "exec_driver_sql"
                            | "executemany"
                            | "update"
                            | "run_sync"
                            | "save"
                            | "add"
                            | "add_all"
                            | "merge"
                            | "commit"
                            | "flush"
                    ) || m.starts_with("bulk_")
                        || (!c.starts_with('.') && !BUILTINS.contains(&c.as_str()))
                })
        }
        _ => false,
    }
}

const BUILTINS: &[&str] = &[
    "print",
    "len",
    "str",
    "int",
    "list",
    "dict",
    "set",
    "tuple",
    "range",
    "isinstance",
    "getattr",
    "hasattr",
    "sorted",
    "Column",
    "Table",
    "MetaData",
    "table",
    "column",
    "text",
    "select",
];
