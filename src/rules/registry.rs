//! The rule registry: code → name, family, severity, default, documentation.
//!
//! Codes are fixed once released (users write them in `noqa` comments and configs).

use crate::diagnostic::Severity;

/// Static description of one rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub family: &'static str,
    pub severity: Severity,
    /// Runs unless the user selects otherwise.
    pub default_on: bool,
    /// Whether this release implements it (catalog codes are accepted in configs either way).
    pub implemented: bool,
    /// One line: what it catches.
    pub summary: &'static str,
    /// Full documentation (`pylint-recover rule CODE`).
    pub doc: &'static str,
}

use super::{imp, jwt, mig};
use Severity::{Error, Warning};

macro_rules! planned {
    ($code:literal, $name:literal, $fam:literal, $sev:expr, $summary:literal) => {
        RuleMeta {
            code: $code,
            name: $name,
            family: $fam,
            severity: $sev,
            default_on: true,
            implemented: false,
            summary: $summary,
            doc: concat!(
                "## What it does\n",
                $summary,
                "\n\nThis rule is part of the catalog but not implemented in this release: selecting it reports nothing yet.\n"
            ),
        }
    };
}

pub static RULES: &[RuleMeta] = &[
    imp::undeclared_dependency::META,
    imp::unresolved_first_party_module::META,
    imp::unknown_import_name::META,
    imp::dev_dependency_in_runtime::META,
    imp::removed_stdlib_module::META,
    imp::confusable_distribution::META,
    imp::transitive_dependency::META,
    jwt::key_mismatch::META,
    jwt::algorithm_mismatch::META,
    jwt::unpinned_algorithms::META,
    jwt::missing_expiry::META,
    jwt::access_ttl_policy::META,
    jwt::refresh_ttl_policy::META,
    jwt::verification_disabled::META,
    jwt::hardcoded_secret::META,
    jwt::bearer_scheme::META,
    jwt::key_algorithm_family::META,
    jwt::expiry_clock::META,
    planned!(
        "ORM001",
        "n-plus-one",
        "ORM",
        Warning,
        "A lazy relationship read inside a loop over query results (N+1 queries)."
    ),
    planned!(
        "ORM002",
        "query-in-loop",
        "ORM",
        Warning,
        "A query executed in the body of a loop over rows or ids."
    ),
    planned!(
        "ORM003",
        "async-lazy-load",
        "ORM",
        Error,
        "A lazy relationship read in async code (`MissingGreenlet`)."
    ),
    planned!(
        "ORM004",
        "raise-load-access",
        "ORM",
        Error,
        "Access to a relationship mapped or loaded with `raise` (`InvalidRequestError`)."
    ),
    planned!(
        "ORM005",
        "ineffective-loader-option",
        "ORM",
        Error,
        "Loader options that do nothing or fail."
    ),
    mig::alembic_stamp::META,
    mig::multiple_heads::META,
    mig::missing_parent_revision::META,
    mig::duplicate_revision_id::META,
    mig::empty_downgrade::META,
    mig::not_null_without_default::META,
    mig::duplicate_schema_object::META,
    planned!(
        "MIG008",
        "model-migration-drift",
        "MIG",
        Warning,
        "A model table/column that the migrations never create, or the reverse."
    ),
    RuleMeta {
        code: "PR001",
        name: "unreadable-file",
        family: "PR",
        severity: Error,
        default_on: true,
        implemented: true,
        summary: "A file that could not be read or analysed.",
        doc: PR001_DOC,
    },
    RuleMeta {
        code: "PR002",
        name: "internal-error",
        family: "PR",
        severity: Error,
        default_on: true,
        implemented: true,
        summary: "A panic caught while analysing one file or running one rule.",
        doc: PR002_DOC,
    },
];

const PR001_DOC: &str = "## What it does
Reports a file that could not be analysed: an I/O error, something that is not a regular
file, a binary file (NUL bytes in a source file), or a file over the size limit (10 MiB).

## Why is this bad?
A file that is silently skipped hides every finding it would have had.

## How to fix
Fix the file's permissions or encoding, or exclude it (`extend-exclude` in the config),
or ignore the code for it (`per-file-ignores`).
";

const PR002_DOC: &str = "## What it does
Reports a panic caught while extracting one file's facts or running one rule on it. The
run goes on with every other file and exits with status 2.

## How to fix
This is a bug in pylint-recover: please report it with the file (or a reduced copy) named
in the message.
";

/// Finds a rule by code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Whether `selector` (a code or a prefix such as `IMP` or `JWT00`) names at least one rule.
pub fn is_valid_selector(selector: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL") || RULES.iter().any(|r| selector_matches(selector, r.code))
}

/// Whether `selector` selects `code`.
pub fn selector_matches(selector: &str, code: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || (code.len() >= selector.len() && code[..selector.len()].eq_ignore_ascii_case(selector))
}
