//! MIG: migrations (failed `alembic upgrade head`, and stamps hiding unapplied migrations).

pub mod alembic_stamp;
