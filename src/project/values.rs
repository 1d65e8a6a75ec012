//! Value resolution across files: names are followed to the module constants they name
//! (in the same file or through `from module import NAME` of project modules), settings
//! instances to their class fields (`settings.JWT_SECRET` → `Settings.JWT_SECRET`).
//! Unknown values stay unknown: nothing is guessed.

use super::imports::{origin, Origin};
use super::modules::Target;
use super::Workspace;
use crate::facts::{Import, Value};

/// Where a name bound in `file` comes from.
enum Binding<'a> {
    /// A module-level constant of a project file.
    Constant {
        file: usize,
        value: &'a Value,
        qualified: String,
    },
    /// Imported from a module outside the project (`django.conf.settings`).
    External(String),
}

fn module_name(ws: &Workspace, file: usize) -> String {
    let project = &ws.projects[ws.file_project[file]];
    project
        .modules
        .dotted_name(&ws.files[file].path)
        .unwrap_or_else(|| ws.files[file].path.display().to_string())
}

fn binding<'a>(ws: &'a Workspace, file: usize, name: &str, depth: usize) -> Option<Binding<'a>> {
    if depth > 5 {
        return None;
    }
    let facts = &ws.files[file];
    if let Some(c) = facts.constants.iter().rev().find(|c| c.name == name) {
        return Some(Binding::Constant {
            file,
            value: &c.value,
            qualified: format!("{}.{name}", module_name(ws, file)),
        });
    }
    let project = &ws.projects[ws.file_project[file]];
    for imp in &facts.imports {
        let Some(n) = imp.names.iter().find(|n| n.alias.as_deref().unwrap_or(&n.name) == name) else {
            if imp.names.is_empty()
                && imp
                    .alias
                    .as_deref()
                    .unwrap_or(imp.module.split('.').next().unwrap_or(""))
                    == name
            {
                return Some(Binding::External(imp.module.clone()));
            }
            continue;
        };
        return match origin(project, &facts.path, imp) {
            Origin::FirstParty(Target::Module(Some(id)) | Target::Package { init: Some(id), .. }) => {
                binding(ws, id, &n.name, depth + 1)
            }
            Origin::FirstParty(_) | Origin::Missing { .. } | Origin::Unknown => None,
            _ => Some(Binding::External(format!("{}.{}", import_module(imp), n.name))),
        };
    }
    None
}

fn import_module(imp: &Import) -> String {
    format!("{}{}", ".".repeat(imp.level as usize), imp.module)
}

/// Resolves names and settings attributes to the values they hold (literals, env lookups,
/// lists); anything else comes back as it was.
pub fn resolve(ws: &Workspace, file: usize, value: &Value) -> Value {
    resolve_depth(ws, file, value, 0)
}

fn resolve_depth(ws: &Workspace, file: usize, value: &Value, depth: usize) -> Value {
    if depth > 6 {
        return Value::Unknown;
    }
    match value {
        Value::Name(name) => match binding(ws, file, name, 0) {
            Some(Binding::Constant { file, value, .. }) => resolve_depth(ws, file, value, depth + 1),
            _ => value.clone(),
        },
        Value::Attribute(base, path) if path.len() == 1 => match class_field(ws, file, base, &path[0]) {
            Some((f, v)) => resolve_depth(ws, f, &v, depth + 1),
            None => value.clone(),
        },
        Value::List(items) => Value::List(items.iter().map(|v| resolve_depth(ws, file, v, depth + 1)).collect()),
        _ => value.clone(),
    }
}

/// `base.field` where `base` is an instance of a project class (`settings = Settings()`):
/// the class-level default of `field`.
fn class_field(ws: &Workspace, file: usize, base: &str, field: &str) -> Option<(usize, Value)> {
    let Binding::Constant {
        file: f,
        value: Value::Call(class),
        ..
    } = binding(ws, file, base, 0)?
    else {
        return None;
    };
    let class = class.rsplit('.').next().unwrap_or(class);
    let key = format!("{class}.{field}");
    ws.files[f]
        .constants
        .iter()
        .rev()
        .find(|c| c.name == key)
        .map(|c| (f, c.value.clone()))
}

/// A canonical identity of a key: the same literal, environment variable, constant or
/// settings field gives the same identity across files. `None` when unknown.
pub fn identity(ws: &Workspace, file: usize, value: &Value) -> Option<String> {
    identity_depth(ws, file, value, 0)
}

fn identity_depth(ws: &Workspace, file: usize, value: &Value, depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    match value {
        Value::Str(s) => Some(format!("literal {s:?}")),
        Value::Env { var, .. } => Some(format!("environment variable `{var}`")),
        Value::Name(name) => match binding(ws, file, name, 0)? {
            Binding::Constant { file, value, qualified } => {
                identity_depth(ws, file, value, depth + 1).or_else(|| Some(format!("`{qualified}`")))
            }
            Binding::External(path) => Some(format!("`{path}`")),
        },
        Value::Attribute(base, path) => {
            let field = path.join(".");
            match binding(ws, file, base, 0)? {
                Binding::Constant {
                    file: f,
                    value: Value::Call(class),
                    qualified,
                } => {
                    let class = class.rsplit('.').next().unwrap_or(class);
                    let _ = f;
                    Some(format!("settings field `{class}.{field}` (`{qualified}.{field}`)"))
                }
                Binding::Constant { qualified, .. } => Some(format!("`{qualified}.{field}`")),
                Binding::External(module) => Some(format!("`{module}.{field}`")),
            }
        }
        _ => None,
    }
}

/// Where a key's literal text is written: the literal itself, a constant holding it, or
/// the literal default of an environment lookup or a settings field. `(file, span of the
/// defining line, the literal)`; `None` when the key is not (or not only) a literal.
pub fn literal_source(ws: &Workspace, file: usize, value: &Value) -> Option<(usize, crate::diagnostic::Span, String)> {
    let (f, span, v) = constant_of(ws, file, value)?;
    literal_of(&v).map(|lit| (f, span, lit))
}

fn literal_of(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Env { default: Some(d), .. } => match d.as_ref() {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The constant (module constant or settings-class field) a key names: its file, span and
/// value. `None` for anything else.
pub fn constant_of(ws: &Workspace, file: usize, value: &Value) -> Option<(usize, crate::diagnostic::Span, Value)> {
    match value {
        Value::Name(name) => {
            let Binding::Constant { file: f, value: v, .. } = binding(ws, file, name, 0)? else {
                return None;
            };
            let c = ws.files[f].constants.iter().rev().find(|c| &c.name == name)?;
            if let Value::Name(_) | Value::Attribute(..) = v {
                return constant_of(ws, f, v).or(Some((f, c.span, v.clone())));
            }
            Some((f, c.span, v.clone()))
        }
        Value::Attribute(base, path) if path.len() == 1 => {
            let Binding::Constant {
                file: f,
                value: Value::Call(class),
                ..
            } = binding(ws, file, base, 0)?
            else {
                return None;
            };
            let class = class.rsplit('.').next().unwrap_or(class);
            let key = format!("{class}.{}", path[0]);
            let c = ws.files[f].constants.iter().rev().find(|c| c.name == key)?;
            Some((f, c.span, c.value.clone()))
        }
        _ => None,
    }
}
