//! MIG005 empty-downgrade: `upgrade()` changes something, `downgrade()` does nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "MIG005",
    name: "empty-downgrade",
    family: "MIG",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "`upgrade()` has operations but `downgrade()` is only `pass`/`...`/comments.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds revisions whose `upgrade()` does something while `downgrade()` holds only `pass`,
`...`, a docstring or comments (the autogenerate template's default). Merge revisions
(a tuple `down_revision`) are exempt, and so is a downgrade that raises
`NotImplementedError`: that is an explicit, visible opt-out.

## Why is this bad?
`alembic downgrade -1` reports success and moves `alembic_version` back while the schema
stays upgraded; the next `alembic upgrade` then fails with `DuplicateTable` /
`DuplicateColumn`, and a rollback during an incident silently does nothing.

## How to fix
Write the reverse operations, or make the opt-out explicit:
`raise NotImplementedError("cannot be reverted: ...")`.

## Example
```python
def upgrade():
    op.add_column("instances", sa.Column("region", sa.String(40)))

def downgrade():
    pass
```

Use instead:
```python
def downgrade():
    op.drop_column("instances", "region")
```
"#;

/// Reports an empty `downgrade()` next to a non-empty `upgrade()`.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((_, rev)) = super::revision(cx) else { return };
    let (Some(up), Some(down)) = (&rev.upgrade, &rev.downgrade) else {
        return;
    };
    if up.empty || !down.empty || down.raises_not_implemented || rev.down_revision.values.len() > 1 {
        return;
    }
    out.push(
        Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            down.span,
            "`downgrade()` does nothing although `upgrade()` changes the database: `alembic downgrade` reports success and leaves the schema upgraded".to_string(),
        )
        .with_help("write the reverse operations, or `raise NotImplementedError(\"<why it cannot be reverted>\")` to make the opt-out explicit"),
    );
}
