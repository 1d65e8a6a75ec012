//! MIG: migrations (failed `alembic upgrade head`, and stamps hiding unapplied migrations).

pub mod alembic_stamp;
pub mod duplicate_revision_id;
pub mod duplicate_schema_object;
pub mod empty_downgrade;
pub mod missing_parent_revision;
pub mod multiple_heads;
pub mod not_null_without_default;

use crate::facts::RevisionFacts;
use crate::project::migrations::Environment;
use crate::rules::context::RuleContext;

/// The revision facts of the file and its environment, when the file is a revision of one.
pub(crate) fn revision<'a>(cx: &RuleContext<'a>) -> Option<(&'a Environment, &'a RevisionFacts)> {
    let env = cx.ws.migrations.environment(cx.file)?;
    Some((env, cx.facts.revision.as_ref()?))
}

/// The file name of a file id, for messages.
pub(crate) fn file_name(cx: &RuleContext, file: usize) -> String {
    cx.ws.files[file]
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The ancestors of the rule's revision (through `down_revision`), each after its own
/// ancestors; the revision itself last.
pub(crate) fn ancestors(cx: &RuleContext, env: &Environment) -> Vec<usize> {
    let mut order = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let mut stack: Vec<(usize, bool)> = vec![(cx.file, false)];
    while let Some((f, done)) = stack.pop() {
        if done {
            order.push(f);
            continue;
        }
        if !seen.insert(f) {
            continue;
        }
        stack.push((f, true));
        if let Some(r) = &cx.ws.files[f].revision {
            for p in r.down_revision.values.iter().rev() {
                for pf in env.ids.get(p).into_iter().flatten() {
                    stack.push((*pf, false));
                }
            }
        }
    }
    order
}
