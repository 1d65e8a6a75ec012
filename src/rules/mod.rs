//! Rules: small functions over facts and the project index that produce diagnostics.
//!
//! Rules never touch syntax trees: everything they read is in `facts` or `project`.

pub mod context;
pub mod imp;
pub mod jwt;
pub mod mig;
pub mod registry;

pub use context::RuleContext;
pub use registry::{rule, RuleMeta, RULES};

use crate::diagnostic::Diagnostic;

/// A rule's check function.
pub type Check = fn(&RuleContext, &mut Vec<Diagnostic>);

/// The implemented checks, by code.
pub const CHECKS: &[(&str, Check)] = &[
    ("IMP001", imp::undeclared_dependency::check),
    ("IMP002", imp::unresolved_first_party_module::check),
    ("IMP003", imp::unknown_import_name::check),
    ("IMP004", imp::dev_dependency_in_runtime::check),
    ("IMP005", imp::removed_stdlib_module::check),
    ("IMP006", imp::confusable_distribution::check),
    ("IMP007", imp::transitive_dependency::check),
    ("JWT001", jwt::key_mismatch::check),
    ("JWT002", jwt::algorithm_mismatch::check),
    ("JWT003", jwt::unpinned_algorithms::check),
    ("JWT004", jwt::missing_expiry::check),
    ("JWT005", jwt::access_ttl_policy::check),
    ("JWT006", jwt::refresh_ttl_policy::check),
    ("JWT007", jwt::verification_disabled::check),
    ("JWT008", jwt::hardcoded_secret::check),
    ("JWT009", jwt::bearer_scheme::check),
    ("JWT010", jwt::key_algorithm_family::check),
    ("JWT011", jwt::expiry_clock::check),
    ("MIG001", mig::alembic_stamp::check),
    ("MIG002", mig::multiple_heads::check),
    ("MIG003", mig::missing_parent_revision::check),
    ("MIG004", mig::duplicate_revision_id::check),
    ("MIG005", mig::empty_downgrade::check),
    ("MIG006", mig::not_null_without_default::check),
    ("MIG007", mig::duplicate_schema_object::check),
];
