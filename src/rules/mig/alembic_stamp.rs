//! MIG001 alembic-stamp: `alembic stamp head` (or an equivalent) in scripts, CI, containers or code.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::shell::Stamp;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "MIG001",
    name: "alembic-stamp",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "`alembic stamp head` (or an equivalent) in scripts, CI, containers or code.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds commands and calls that stamp the Alembic version table: `alembic stamp head`
(`heads`, `<label>@head`) through any launcher (`uv run`, `poetry run`, `pipenv run`,
`python -m alembic`, `docker compose exec SVC`, `docker exec`, `sh -c "…"`, env
assignments, global options such as `-c alembic.ini -x k=v`), `flask db stamp` (no
revision means `head`), `alembic.command.stamp(cfg, "head")`, `flask_migrate.stamp()`,
`alembic.config.main(argv=[..., "stamp", ...])` and literal `subprocess`/`os.system`
commands. It reads shell scripts (by extension and by shebang), Makefile recipes,
Dockerfile `RUN`/`CMD`/`ENTRYPOINT`, compose `command:`/`entrypoint:`, GitHub Actions and
GitLab CI `run:`/`script:`, Procfile, `tox.ini`, justfile recipes, task tables in
`pyproject.toml` (poe, taskipy, PDM, hatch, rye) and Python code.

A stamp to `head` is an error. A stamp to another literal revision (`stamp <rev>`,
`stamp base`) or with `--sql` is a warning: it also writes the version table without
running anything, so the database must really be at that revision. A
stamp that runs only when an upgrade failed (`alembic upgrade head || alembic stamp
head`, `if ! alembic upgrade …; then … stamp`, a Python `except` branch) says so.

## Why is this bad?
`alembic stamp` writes only the `alembic_version` table: no `upgrade()` body runs. On a
database that is not already exactly at that revision, every pending migration is marked
as applied without being applied. The next `alembic upgrade head` is a no-op, so the
missing tables and columns never appear: requests fail with `UndefinedTable` /
`UndefinedColumn` (`no such column`), data migrations never ran, and fixing the original
migration error no longer helps. As the fallback of a failed upgrade it hides the
failure itself.

## How to fix
Run `alembic upgrade head` (or `flask db upgrade`) and let it fail loudly. To adopt a
database created before migrations existed, stamp the baseline revision that matches
its schema and then upgrade. Alembic's cookbook pattern (a brand-new, empty database
built by `metadata.create_all()` and then stamped) is legitimate: keep it with a
suppression that says why, `# noqa: MIG001 <reason>`. A bare `# noqa` or a `noqa`
without a reason does not suppress this rule.

## Known problems
A revision that is not written literally (a function parameter, a variable computed at
run time) is not reported unless another revision of the same command is `head`: a
wrapper such as `def stamp(revision): command.stamp(cfg, revision)` cannot be judged
from its body. Commands built at run time (f-strings, joined lists) are not read.

## Example
```sh
alembic upgrade head || alembic stamp head
```

Use instead:
```sh
alembic upgrade head
```
"#;

/// Whether the revisions stamp the head(s): none given (Flask-Migrate's default),
/// `head`, `heads`, `<label>@head`.
fn stamps_head(st: &Stamp) -> bool {
    st.revisions.is_empty()
        || st
            .revisions
            .iter()
            .any(|r| matches!(r.as_str(), "head" | "heads") || r.ends_with("@head") || r.ends_with("@heads"))
}

/// A revision that is not written literally (`$REV`, `{revision}`).
fn is_variable(r: &str) -> bool {
    r.contains('$') || r.starts_with('{')
}

/// Reports stamps of the Alembic version table.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for c in &cx.facts.commands {
        let Some(st) = &c.stamp else { continue };
        // A revision held in a variable (a wrapper's parameter, a baseline computed from
        // the script directory) is unknown: never guessed.
        if !stamps_head(st) && st.revisions.iter().any(|r| is_variable(r)) {
            continue;
        }
        let what = format!("`{}`", st.command);
        let head = stamps_head(st);
        let (severity, mut message) = if head && !st.sql {
            let target = if st.revisions.is_empty() {
                "head (its default)".to_string()
            } else {
                st.revisions.join(" ")
            };
            (
                Severity::Error,
                format!("{what} stamps the database at {target}: every pending migration is marked as applied without running"),
            )
        } else if st.sql {
            (
                Severity::Warning,
                format!(
                    "{what} prints version-table SQL that marks revisions as applied without running their migrations"
                ),
            )
        } else if st.revisions.iter().all(|r| r == "base") {
            (
                Severity::Warning,
                format!("{what} empties the version table without running any downgrade: the next upgrade replays every migration on the existing schema (`DuplicateTable`)"),
            )
        } else {
            (
                Severity::Warning,
                format!(
                    "{what} marks revision `{}` as the database's state without running any migration",
                    st.revisions.join(" ")
                ),
            )
        };
        if st.fallback {
            message.push_str("; it runs as the fallback of a failed upgrade, which hides the failure");
        }
        if st.purge {
            message.push_str("; `--purge` also erases the version rows of every other branch");
        }
        let weak_noqa = cx.facts.noqa.iter().any(|n| {
            (n.row == c.span.row || n.row == c.span.end_row)
                && (n.codes.is_none() || n.codes.as_ref().is_some_and(|cs| cs.iter().any(|x| x == "MIG001")))
                && (n.codes.is_none() || n.reason.is_empty())
        });
        if weak_noqa {
            message.push_str(" (a `noqa` for MIG001 needs the code and a reason: `# noqa: MIG001 <why this is safe>`)");
        }
        let help = if st.fallback {
            "let the failed upgrade fail the start instead of stamping over it; fix the migration and run `alembic upgrade head`"
        } else if head {
            "run `alembic upgrade head` (`flask db upgrade`) instead; for a brand-new database just built by `create_all`, keep it with `# noqa: MIG001 <reason>`"
        } else {
            "make sure the schema is exactly at that revision, then run `alembic upgrade head`; say why with `# noqa: MIG001 <reason>`"
        };
        out.push(Diagnostic::new(META.code, severity, cx.facts.path.clone(), c.span, message).with_help(help));
    }
}
