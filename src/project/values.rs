//! Value resolution across files: a name is followed to the module constant it names,
//! in the same file or through a `from module import NAME` of a project module.
//! Unknown values stay unknown: nothing is guessed.

use super::imports::{origin, Origin};
use super::modules::Target;
use super::Workspace;
use crate::facts::Value;

/// Resolves `Value::Name` through module constants (at most a few hops).
pub fn resolve(ws: &Workspace, file: usize, value: &Value) -> Value {
    resolve_depth(ws, file, value, 0)
}

fn resolve_depth(ws: &Workspace, file: usize, value: &Value, depth: usize) -> Value {
    let Value::Name(name) = value else { return value.clone() };
    if depth > 4 {
        return Value::Unknown;
    }
    let facts = &ws.files[file];
    if let Some(c) = facts.constants.iter().rev().find(|c| &c.name == name) {
        return resolve_depth(ws, file, &c.value, depth + 1);
    }
    let project = &ws.projects[ws.file_project[file]];
    for imp in &facts.imports {
        let Some(n) = imp.names.iter().find(|n| n.alias.as_deref().unwrap_or(&n.name) == name) else {
            continue;
        };
        if let Origin::FirstParty(Target::Module(Some(id)) | Target::Package { init: Some(id), .. }) =
            origin(project, &facts.path, imp)
        {
            return resolve_depth(ws, id, &Value::Name(n.name.clone()), depth + 1);
        }
    }
    value.clone()
}
