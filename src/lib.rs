//! pylint-recover: finds, before anything runs, the mistakes of Python backends that show
//! up as production failures (imports, JWT, ORM queries, Alembic migrations).
//!
//! Pipeline: discover → scan → parse → extract (facts) → index (project) → rules → report.

pub mod cache;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod facts;
pub mod parse;
pub mod project;
pub mod report;
pub mod rules;
pub mod scan;
