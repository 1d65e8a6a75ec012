//! IMP: imports that will raise `ModuleNotFoundError` / `ImportError`.

pub mod confusable_distribution;
pub mod dev_dependency_in_runtime;
pub mod removed_stdlib_module;
pub mod transitive_dependency;
pub mod undeclared_dependency;
pub mod unknown_import_name;
pub mod unresolved_first_party_module;
