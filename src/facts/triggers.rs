//! Trigger words: the byte strings that tell the scan which extractors a file needs.
//!
//! Each extractor declares the words without which it can find nothing in a file. The
//! scan (`crate::scan`) matches them as tokens; a file none of whose triggers fire is
//! only read for its imports and top-level names.

/// An extractor and its trigger words.
pub struct Extractor {
    pub name: &'static str,
    pub triggers: &'static [&'static str],
}

/// Imports and top-level names: every Python file needs them (no trigger).
pub const IMPORTS: Extractor = Extractor {
    name: "imports",
    triggers: &[],
};
/// JWT call sites and key/TTL values.
pub const JWT: Extractor = Extractor {
    name: "jwt",
    triggers: &[
        "jwt",
        "jose",
        "authlib",
        "JWTManager",
        "SIMPLE_JWT",
        "JWTStrategy",
        "Authorization",
        "Bearer",
    ],
};
/// ORM models, queries, loops.
pub const ORM: Extractor = Extractor {
    name: "orm",
    triggers: &[
        "relationship",
        "Relationship",
        "ForeignKey",
        "ManyToManyField",
        "OneToOneField",
        "select(",
        ".query",
        "objects",
        "execute(",
        "scalars(",
        "selectinload",
        "joinedload",
        "select_related",
        "prefetch_related",
    ],
};
/// Alembic revision metadata and operations.
pub const ALEMBIC: Extractor = Extractor {
    name: "alembic",
    triggers: &["revision", "down_revision", "op."],
};
/// Literal commands in Python (`subprocess`, `os.system`, `alembic.command.stamp`).
pub const COMMANDS: Extractor = Extractor {
    name: "commands",
    triggers: &["stamp"],
};

pub const ALL: &[Extractor] = &[IMPORTS, JWT, ORM, ALEMBIC, COMMANDS];
