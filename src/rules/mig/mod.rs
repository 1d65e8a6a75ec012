//! MIG: migrations that make `alembic upgrade head` fail (graph faults, unsafe bodies).

pub mod duplicate_revision_id;
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
