//! Extract: per file, a plain `FileFacts` value (serde, no tree references).
//!
//! Each submodule extracts one kind of fact. Facts are everything the project index and
//! the rules need; the source text and the syntax tree are dropped after extraction.

pub mod alembic;
pub mod commands;
pub mod imports;
pub mod jwt;
pub mod manifest;
pub mod python;
pub mod shell;
pub mod triggers;

use crate::diagnostic::Span;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub use imports::{Import, ImportContext, ImportedName};
pub use manifest::{Declaration, DepKind, LockFacts, ManifestFacts};

/// What a file is, as far as the pipeline cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FileKind {
    /// `.py` / `.pyi` source.
    Python,
    /// `pyproject.toml`, `requirements*.txt|.in`, `setup.cfg`, lock files.
    Manifest,
    /// Shell scripts, Makefiles, Dockerfiles, compose files, CI YAML, Procfile, tox.ini,
    /// justfile: where `alembic stamp` can hide (read by the MIG family).
    Command,
    /// `alembic.ini`.
    AlembicConfig,
}

/// Everything extracted from one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub path: PathBuf,
    pub kind: Option<FileKind>,
    /// Set when the file could not be analysed at all (PR001); the message says why.
    pub unreadable: Option<String>,
    pub imports: Vec<Import>,
    pub symbols: Symbols,
    pub noqa: Vec<Noqa>,
    /// PEP 723 inline script metadata (`# /// script`), if the file carries it.
    pub script: Option<ManifestFacts>,
    /// Module-level constants with literal-ish values (JWT key and TTL resolution).
    pub constants: Vec<Constant>,
    /// JWT call sites (filled by the JWT extractor).
    pub jwt: Vec<JwtCall>,
    /// `Authorization` headers built or parsed.
    #[serde(default)]
    pub auth_headers: Vec<AuthHeader>,
    /// Function summaries (what they return).
    #[serde(default)]
    pub functions: Vec<FunctionSummary>,
    /// JWT library set-ups: `JWTManager(app)`, fastapi-users `JWTStrategy(...)`.
    #[serde(default)]
    pub jwt_setups: Vec<JwtSetup>,
    /// Lifetime configuration keys named anywhere in the file (`JWT_REFRESH_TOKEN_EXPIRES`,
    /// `ACCESS_TOKEN_LIFETIME`, ...), however they are set.
    #[serde(default)]
    pub jwt_keys_named: Vec<String>,
    /// ORM facts (filled by the ORM extractor).
    pub orm: OrmFacts,
    /// Alembic revision metadata, when the file is a revision script.
    pub revision: Option<RevisionFacts>,
    /// Command lines of shell/CI/container files and literal commands in Python.
    pub commands: Vec<CommandLine>,
    /// Dependency declarations, when the file is a manifest.
    pub manifest: Option<ManifestFacts>,
}

/// Top-level bindings of a Python module: what `from m import Name` can find.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Symbols {
    /// Names bound at module level (class, def, assignment, import, for/with targets,
    /// including those inside top-level `if`/`try` blocks), with the line of the binding.
    pub names: Vec<(String, u32)>,
    /// Names defined by `class`/`def` at module level (the "where does it live now" index).
    pub definitions: Vec<(String, u32)>,
    /// Literal `__all__`, when it is one.
    pub dunder_all: Option<Vec<String>>,
    /// The module defines `__getattr__` (PEP 562): any name may exist.
    pub has_getattr: bool,
    /// The module writes `globals()[...]`, uses `exec`, or `__all__` is not a literal:
    /// its names cannot be known statically.
    pub dynamic: bool,
    /// The package extends its `__path__` (`pkgutil.extend_path`, `declare_namespace`):
    /// other distributions may add submodules (`airflow.providers`).
    #[serde(default)]
    pub extends_path: bool,
    /// The module registers modules in `sys.modules` itself (`os` registers `os.path`).
    #[serde(default)]
    pub registers_modules: bool,
}

/// A `# noqa` comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Noqa {
    pub row: u32,
    /// `None` for a bare `# noqa` (all codes).
    pub codes: Option<Vec<String>>,
    /// Text after the codes (MIG001 needs a reason).
    pub reason: String,
}

/// A value as far as it can be known without running code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    /// A name bound elsewhere (module constant, import).
    Name(String),
    /// `settings.SECRET_KEY`, `app.config["X"]`: base name and attribute/key path.
    Attribute(String, Vec<String>),
    /// `os.getenv("X", default)` / `os.environ["X"]`.
    Env {
        var: String,
        default: Option<Box<Value>>,
    },
    /// `timedelta(...)` in seconds.
    Duration(f64),
    /// A list or tuple of values.
    List(Vec<Value>),
    /// A dict literal with string keys.
    Dict(Vec<(String, Value)>),
    /// The result of calling this (dotted) callee.
    Call(String),
    /// Anything else: never guessed.
    Unknown,
}

/// `NAME = value` at module level, or a settings-class field with its default.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Constant {
    /// `NAME` or `Class.field` for settings-class fields.
    pub name: String,
    pub value: Value,
    pub span: Span,
}

/// A JWT encode/decode call site (JWT family).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JwtCall {
    pub op: JwtOp,
    /// `pyjwt`, `jose`, `authlib`.
    pub library: String,
    /// Positional arguments; names assigned earlier in the same function are replaced by
    /// their values.
    pub args: Vec<Value>,
    /// Spans of the positional arguments.
    #[serde(default)]
    pub arg_spans: Vec<Span>,
    /// Keyword arguments with the span of each.
    pub kwargs: Vec<(String, Value, Span)>,
    /// The call.
    pub span: Span,
    /// The enclosing function, if any.
    pub function: Option<String>,
    /// The name the call's result is assigned to, if any.
    #[serde(default)]
    pub assigned_to: Option<String>,
    /// The payload's claims when it is a dict literal (directly or through a local that
    /// is not changed afterwards); `None` when unknown.
    #[serde(default)]
    pub claims: Option<Vec<String>>,
    /// The `exp` claim's expression: its text (with the texts of the locals it uses
    /// appended) and span.
    #[serde(default)]
    pub exp: Option<(String, Span)>,
}

impl JwtCall {
    pub fn kwarg(&self, name: &str) -> Option<&(String, Value, Span)> {
        self.kwargs.iter().find(|(k, _, _)| k == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JwtOp {
    Encode,
    Decode,
}

/// An `Authorization` header built or parsed in code (JWT009).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthHeader {
    pub span: Span,
    pub kind: AuthHeaderKind,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum AuthHeaderKind {
    /// A header value: the literal text before the token (`Some("Bearer ")`), `None` when
    /// the value is the bare token, and the token expression.
    Sent { scheme: Option<String>, token: Value },
    /// `<...Authorization...>.split(...)[1]`; `guarded` when inside a `try` that handles
    /// `IndexError`/`ValueError`/`Exception`.
    SplitIndex { guarded: bool },
}

/// A JWT library set up in code.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JwtSetup {
    /// `flask-jwt-extended` or `fastapi-users`.
    pub library: String,
    pub span: Span,
    /// fastapi-users `lifetime_seconds=` value and span.
    pub lifetime: Option<(Value, Span)>,
}

/// What a function returns, for one level of cross-function reasoning.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FunctionSummary {
    pub name: String,
    /// The JWT library whose `encode` result the function returns, if it does.
    pub returns_token: Option<String>,
    /// The function decodes a token with signature verification.
    #[serde(default)]
    pub verifies: bool,
    /// Names (last segment) of the functions it calls.
    #[serde(default)]
    pub callees: Vec<String>,
}

/// ORM models, queries, loops and attribute accesses of one file (ORM family).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OrmFacts {
    pub models: Vec<Model>,
}

/// A mapped class: SQLAlchemy declarative, Flask-SQLAlchemy, SQLModel or Django.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Model {
    pub name: String,
    pub bases: Vec<String>,
    pub relationships: Vec<Relationship>,
    pub span: Span,
}

/// A relationship attribute of a model and how it loads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Relationship {
    pub name: String,
    pub target: String,
    pub collection: Option<bool>,
    /// `select` (lazy), `joined`, `selectin`, `raise`, ... as written.
    pub lazy: Option<String>,
    pub backref: Option<String>,
    pub span: Span,
}

pub use alembic::{ColumnFacts, MigFunction, MigOp, RevRefs, RevisionFacts};

/// One command line found in a script, CI file, container file or literal Python call.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CommandLine {
    pub text: String,
    pub span: Span,
    /// Set when the command stamps the Alembic version table (`alembic stamp head`).
    #[serde(default)]
    pub stamp: Option<shell::Stamp>,
    /// For a Python call: the call as written (`command.stamp(cfg, "head")`).
    #[serde(default)]
    pub call: Option<String>,
}
