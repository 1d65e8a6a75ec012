//! pylint-recover: finds, before anything runs, the mistakes of Python backends that show
//! up as production failures (imports, JWT, ORM queries, Alembic migrations).
//!
//! Pipeline: discover → scan → parse → extract (facts) → index (project) → rules → report.

pub mod diagnostic;
pub mod facts;
pub mod report;
pub mod rules;
pub mod parse;
pub mod config;
pub mod discover;
pub mod project;
pub mod check;
