//! MIG003 missing-parent-revision: `down_revision`/`depends_on` names a revision that
//! does not exist in the environment.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "MIG003",
    name: "missing-parent-revision",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "`down_revision`/`depends_on` names a revision that does not exist.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds a `down_revision` or `depends_on` that names a revision id no revision script of
the same Alembic environment declares (`depends_on` may also name a branch label). When
the value is the name of a revision *file* rather than the id inside it, the help says
which id to write.

## Why is this bad?
Alembic warns "Revision X referenced from Y is not present" and then fails with
`KeyError: 'X'` on every command that loads the graph (`upgrade`, `heads`, `history`).

## Known problems
Revision metadata is read from literals only; an environment with a non-literal
`revision` is not judged.

## How to fix
Write the parent's revision id (the `revision = "..."` value of its file), not its file
name, and restore a deleted parent revision.

## Example
```python
down_revision = "0003_add_sources_to_messages"   # the file name
```

Use instead:
```python
down_revision = "0003"   # the id declared in that file
```
"#;

/// Reports dangling `down_revision` / `depends_on` values of this revision.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((env, rev)) = super::revision(cx) else { return };
    // A non-literal revision id elsewhere may be the one referred to.
    if env
        .revisions
        .iter()
        .any(|f| cx.ws.files[*f].revision.as_ref().is_some_and(|r| r.revision.is_none()))
    {
        return;
    }
    let refs = [("down_revision", &rev.down_revision), ("depends_on", &rev.depends_on)];
    for (field, r) in refs {
        for value in &r.values {
            if env.ids.contains_key(value)
                || (field == "depends_on" && (env.labels.contains(value) || value.contains('@')))
            {
                continue;
            }
            let help = match file_match(cx, env, value) {
                Some((file, id)) => format!(
                    "`{value}` is a file name, not a revision id: the revision in `{file}` is `{id}`; write `{field} = \"{id}\"`"
                ),
                None => {
                    let ids: Vec<String> = env.ids.keys().cloned().collect();
                    match crate::rules::imp::most_similar(&ids, value) {
                        Some(s) => format!("did you mean `{s}`? Otherwise restore the revision `{value}` or point `{field}` at an existing revision"),
                        None => format!("restore the revision `{value}` or point `{field}` at an existing revision id"),
                    }
                }
            };
            out.push(
                Diagnostic::new(
                    META.code,
                    META.severity,
                    cx.facts.path.clone(),
                    r.span,
                    format!(
                        "`{field}` names revision `{value}`, which no revision of this Alembic environment declares (`KeyError: '{value}'`)"
                    ),
                )
                .with_help(help),
            );
        }
    }
}

/// A revision whose file name or stem is `value`: `(file name, its revision id)`.
fn file_match(
    cx: &RuleContext,
    env: &crate::project::migrations::Environment,
    value: &str,
) -> Option<(String, String)> {
    env.revisions.iter().find_map(|f| {
        let path = &cx.ws.files[*f].path;
        let name = path.file_name()?.to_str()?;
        let stem = path.file_stem()?.to_str()?;
        if name != value && stem != value {
            return None;
        }
        let id = cx.ws.files[*f].revision.as_ref()?.revision.as_ref()?.0.clone();
        Some((name.to_string(), id))
    })
}
