//! MIG006 not-null-without-default: a NOT NULL column added (or a column made NOT NULL)
//! on a table that may already hold rows, with no server default or backfill.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{MigFunction, MigOp};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

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
not created earlier in the same function. In `upgrade()` it also finds
`alter_column(..., nullable=False)` with no backfill before it in the same function (an
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
before the `alter_column` silences the finding.

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
    let mut created: Vec<&str> = Vec::new();
    for (i, op) in f.ops.iter().enumerate() {
        let Some(table) = op.table.as_deref() else {
            continue;
        };
        let call = if op.batch { "batch_op" } else { "op" };
        match op.name.as_str() {
            "create_table" => created.push(table),
            "execute" if op.strings.iter().any(|s| creates_table(s, table)) => created.push(table),
            "add_column" => {
                let Some(col) = &op.column else { continue };
                if !col.not_null || col.server_default || created.contains(&table) {
                    continue;
                }
                if f.ops[..i]
                    .iter()
                    .any(|o| o.name == "execute" && o.strings.iter().any(|s| creates_table(s, table)))
                {
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
                if op.nullable != Some(false) || op.server_default || created.contains(&table) {
                    continue;
                }
                let column = op.column_name.as_deref().unwrap_or("?");
                if f.ops[..i].iter().any(|o| may_backfill(o, table, column)) {
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

/// `CREATE TABLE [IF NOT EXISTS] <table>` in raw SQL.
fn creates_table(sql: &str, table: &str) -> bool {
    let s = sql.to_ascii_lowercase();
    let t = table.to_ascii_lowercase();
    s.contains("create table") && s.contains(&t)
}
