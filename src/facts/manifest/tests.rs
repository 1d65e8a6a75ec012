use super::*;

fn rt() -> DepKind {
    DepKind::Runtime
}
fn dev(g: &str) -> DepKind {
    DepKind::Dev(g.to_string())
}
fn opt(g: &str) -> DepKind {
    DepKind::Optional(g.to_string())
}

/// `(normalized, kind, row)` of every declaration, in order.
fn summary(f: &ManifestFacts) -> Vec<(String, DepKind, u32)> {
    f.declarations
        .iter()
        .map(|d| (d.normalized.clone(), d.kind.clone(), d.span.row))
        .collect()
}

fn s(n: &str, k: DepKind, row: u32) -> (String, DepKind, u32) {
    (n.to_string(), k, row)
}

fn find<'a>(f: &'a ManifestFacts, normalized: &str, kind: &DepKind) -> &'a Declaration {
    f.declarations
        .iter()
        .find(|d| d.normalized == normalized && &d.kind == kind)
        .unwrap_or_else(|| panic!("no {normalized} {kind:?} in {:#?}", f.declarations))
}

/// The text a span covers.
fn text_of(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

// ---------------------------------------------------------------- requirement strings

#[test]
fn requirement_parts_as_written() {
    let r = parse_requirement("  PyJWT[crypto, Dev] >= 2.8, <3 ; python_version < \"3.13\"  ").unwrap();
    assert_eq!(r.name, "PyJWT");
    assert_eq!(r.extras, vec!["crypto", "Dev"]);
    assert_eq!(r.specifier, ">= 2.8, <3");
    assert_eq!(r.marker.as_deref(), Some("python_version < \"3.13\""));
    assert_eq!(r.url, None);

    let r = parse_requirement("requests (>=2.0)").unwrap();
    assert_eq!((r.name.as_str(), r.specifier.as_str()), ("requests", ">=2.0"));

    let r = parse_requirement("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234e ; os_name == 'nt'")
        .unwrap();
    assert_eq!(r.name, "pip");
    assert_eq!(r.specifier, "");
    assert_eq!(
        r.url.as_deref(),
        Some("https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234e")
    );
    assert_eq!(r.marker.as_deref(), Some("os_name == 'nt'"));

    let r = parse_requirement("local @ file:///${PROJECT_ROOT}/libs/local").unwrap();
    assert_eq!(r.url.as_deref(), Some("file:///${PROJECT_ROOT}/libs/local"));

    // Not PEP 508, but a name is there.
    let r = parse_requirement("foo ^1.2").unwrap();
    assert_eq!((r.name.as_str(), r.specifier.as_str()), ("foo", "^1.2"));
    let r = parse_requirement("zope.interface==5.*.1").unwrap();
    assert_eq!((r.name.as_str(), r.specifier.as_str()), ("zope.interface", "==5.*.1"));

    assert_eq!(parse_requirement(">=1.0"), None);
    assert_eq!(parse_requirement(""), None);
    assert_eq!(parse_requirement("   "), None);
    assert_eq!(parse_requirement("-e ."), None);
    assert_eq!(parse_requirement("[extra]"), None);
}

#[test]
fn normalize_pep503() {
    assert_eq!(normalize("FrIeNdLy-._.-bArD"), "friendly-bard");
    assert_eq!(normalize("PyYAML"), "pyyaml");
    assert_eq!(normalize("zope.interface"), "zope-interface");
}

// ---------------------------------------------------------------- pyproject.toml

/// /work/shared/cases/imp/clean-pep621-src/pyproject.toml, with a nested include added.
const PEP621: &str = r#"[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "tripnote-api"
version = "1.8.2"
requires-python = ">=3.12"
dependencies = [
    "fastapi>=0.111",
    "SQLAlchemy[asyncio]>=2.0.30",
    "PyYAML>=6.0.1",
    "PyJWT[crypto]>=2.8",
    "tomli>=2; python_version < '3.11'",
]

[project.optional-dependencies]
geo = ["shapely>=2.0"]
S3 = ["boto3>=1.34", "tripnote-api[geo]"]

[dependency-groups]
test = ["pytest>=8.2", {include-group = "fixtures"}]
Fixtures = ["factory-boy>=3.3"]
lint = ["ruff>=0.4", "types-PyYAML>=6.0"]
dev = [{include-group = "Test"}, {include-group = "lint"}, "nox"]
loop-a = [{include-group = "loop_b"}, "a"]
loop-b = [{include-group = "loop-a"}, "b"]

[tool.setuptools.packages.find]
where = ["src"]
"#;

#[test]
fn pep621_extras_and_dependency_groups() {
    let f = parse_pyproject(PEP621);
    assert_eq!(f.project_name.as_deref(), Some("tripnote-api"));
    assert_eq!(f.requires_python.as_deref(), Some(">=3.12"));
    assert!(f.declares_dependencies);
    assert!(!f.dynamic_dependencies);
    assert_eq!(f.import_roots, vec!["src"]);
    assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    assert!(f.includes.is_empty());
    assert_eq!(
        summary(&f),
        vec![
            s("fastapi", rt(), 10),
            s("sqlalchemy", rt(), 11),
            s("pyyaml", rt(), 12),
            s("pyjwt", rt(), 13),
            s("tomli", rt(), 14),
            s("shapely", opt("geo"), 18),
            s("boto3", opt("S3"), 19),
            s("tripnote-api", opt("S3"), 19),
            // test: its own entry, then fixtures (included)
            s("pytest", dev("test"), 22),
            s("factory-boy", dev("test"), 23),
            s("factory-boy", dev("Fixtures"), 23),
            s("ruff", dev("lint"), 24),
            s("types-pyyaml", dev("lint"), 24),
            // dev includes test, which includes fixtures (nested twice), then lint
            s("pytest", dev("dev"), 22),
            s("factory-boy", dev("dev"), 23),
            s("ruff", dev("dev"), 24),
            s("types-pyyaml", dev("dev"), 24),
            s("nox", dev("dev"), 25),
            // cycles end
            s("b", dev("loop-a"), 27),
            s("a", dev("loop-a"), 26),
            s("a", dev("loop-b"), 26),
            s("b", dev("loop-b"), 27),
        ]
    );
    let sa = find(&f, "sqlalchemy", &rt());
    assert_eq!(sa.name, "SQLAlchemy");
    assert_eq!(sa.extras, vec!["asyncio"]);
    assert_eq!(sa.specifier, ">=2.0.30");
    assert_eq!(text_of(PEP621, sa.span), "\"SQLAlchemy[asyncio]>=2.0.30\"");
    assert_eq!((sa.span.col, sa.span.end_col), (5, 34));
    let tomli = find(&f, "tomli", &rt());
    assert_eq!(tomli.marker.as_deref(), Some("python_version < '3.11'"));
    // An included declaration keeps the span of the string in the included group.
    let fb = find(&f, "factory-boy", &dev("dev"));
    assert_eq!(text_of(PEP621, fb.span), "\"factory-boy>=3.3\"");
    assert_eq!(fb.span, find(&f, "factory-boy", &dev("Fixtures")).span);
}

/// /work/shared/cases/imp/dev-dep-pep735-groups/pyproject.toml
const PEP735_CASE: &str = r#"[build-system]
requires = ["hatchling>=1.24"]
build-backend = "hatchling.build"

[project]
name = "shiftboard"
version = "0.9.1"
description = "Shift planning API for clinics and shops"
requires-python = ">=3.12"
dependencies = [
    "fastapi>=0.111",
    "pydantic>=2.7",
    "SQLAlchemy>=2.0.30",
]

[project.optional-dependencies]
s3 = ["boto3>=1.34"]

[dependency-groups]
test = [
    "pytest>=8.2",
    "httpx>=0.27",
    "faker>=25.0",
]
typing = [
    "mypy>=1.10",
    "mypy-boto3-s3>=1.34",
]
dev = [
    {include-group = "test"},
    {include-group = "typing"},
    "nox>=2024.4.15",
    "ruff>=0.4.8",
]
"#;

#[test]
fn pep735_case_file() {
    let f = parse_pyproject(PEP735_CASE);
    let dev_names: Vec<(&str, u32)> = f
        .declarations
        .iter()
        .filter(|d| d.kind == dev("dev"))
        .map(|d| (d.normalized.as_str(), d.span.row))
        .collect();
    assert_eq!(
        dev_names,
        vec![
            ("pytest", 21),
            ("httpx", 22),
            ("faker", 23),
            ("mypy", 26),
            ("mypy-boto3-s3", 27),
            ("nox", 32),
            ("ruff", 33)
        ]
    );
    assert_eq!(find(&f, "boto3", &opt("s3")).span.row, 17);
    assert_eq!(f.declarations.len(), 3 + 1 + 3 + 2 + 7);
    assert!(f.import_roots.is_empty());
}

/// /work/shared/cases/imp/poetry-groups/pyproject.toml, plus an optional dependency,
/// legacy dev-dependencies and a multiple-constraint dependency.
const POETRY: &str = r#"[tool.poetry]
name = "stockroom"
version = "2.3.0"
packages = [{ include = "stockroom", from = "src" }]

[tool.poetry.dependencies]
python = "^3.12"
fastapi = "^0.111"
SQLAlchemy = "^2.0.30"
psycopg = { version = "^3.1", extras = ["binary"] }
jose = "^1.0.0"  # expect: IMP006
redis = { version = "^5", optional = true, markers = "sys_platform == 'linux'" }
numpy = [
    { version = "<1.25", python = "<3.9" },
    { version = "^1.26", python = ">=3.9" },
]
mylib = { git = "https://github.com/org/mylib.git", branch = "main" }

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.group.dev.dependencies]
pytest = "^8.2"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
mkdocs-material = "^9.5"

[build-system]
requires = ["poetry-core>=1.9"]
build-backend = "poetry.core.masonry.api"
"#;

#[test]
fn poetry_tables() {
    let f = parse_pyproject(POETRY);
    assert_eq!(f.project_name.as_deref(), Some("stockroom"));
    assert_eq!(f.requires_python.as_deref(), Some("^3.12"));
    assert_eq!(f.import_roots, vec!["src"]);
    assert!(f.declares_dependencies);
    assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    assert_eq!(
        summary(&f),
        vec![
            s("fastapi", rt(), 8),
            s("sqlalchemy", rt(), 9),
            s("psycopg", rt(), 10),
            s("jose", rt(), 11),
            s("redis", opt("poetry-optional"), 12),
            s("numpy", rt(), 13),
            s("mylib", rt(), 17),
            s("black", dev("dev"), 20),
            s("pytest", dev("dev"), 23),
            s("mkdocs-material", dev("docs"), 29),
        ]
    );
    let psycopg = find(&f, "psycopg", &rt());
    assert_eq!(psycopg.specifier, "^3.1");
    assert_eq!(psycopg.extras, vec!["binary"]);
    assert_eq!(text_of(POETRY, psycopg.span), "psycopg");
    assert_eq!((psycopg.span.col, psycopg.span.end_col), (1, 8));
    assert_eq!(find(&f, "sqlalchemy", &rt()).name, "SQLAlchemy");
    assert_eq!(find(&f, "jose", &rt()).specifier, "^1.0.0");
    let redis = find(&f, "redis", &opt("poetry-optional"));
    assert_eq!(redis.marker.as_deref(), Some("sys_platform == 'linux'"));
    assert_eq!(find(&f, "numpy", &rt()).specifier, "<1.25 || ^1.26");
    assert_eq!(
        find(&f, "mylib", &rt()).url.as_deref(),
        Some("https://github.com/org/mylib.git")
    );
    assert_eq!(find(&f, "black", &dev("dev")).specifier, "*");
}

#[test]
fn poetry_with_pep621_project_counts_both() {
    let text = r#"[project]
name = "both"
dependencies = ["httpx>=0.27"]

[tool.poetry.dependencies]
httpx = { version = "^0.27", extras = ["http2"] }
"#;
    let f = parse_pyproject(text);
    assert_eq!(f.project_name.as_deref(), Some("both"));
    assert_eq!(summary(&f), vec![s("httpx", rt(), 3), s("httpx", rt(), 6)]);
    // `[tool.poetry.dependencies]` without `python`: requires-python stays unknown.
    assert_eq!(f.requires_python, None);
}

#[test]
fn poetry_subtable_dependency() {
    let text = "[tool.poetry.dependencies]\npython = \"^3.11\"\n\n[tool.poetry.dependencies.celery]\nversion = \"^5.3\"\nextras = [\"redis\"]\n";
    let f = parse_pyproject(text);
    assert_eq!(summary(&f), vec![s("celery", rt(), 4)]);
    let d = &f.declarations[0];
    assert_eq!(
        (d.specifier.as_str(), d.extras.clone()),
        ("^5.3", vec!["redis".to_string()])
    );
    assert_eq!(text_of(text, d.span), "celery");
}

#[test]
fn setuptools_dynamic_files() {
    let text = r#"[project]
name = "dyn"
dynamic = ["version", "dependencies", "optional-dependencies"]

[tool.setuptools.dynamic]
dependencies = { file = ["requirements.in", "requirements-extra.txt"] }

[tool.setuptools.dynamic.optional-dependencies]
dev = { file = ["requirements-dev.txt"] }
s3 = { file = "requirements-s3.txt" }
"#;
    let f = parse_pyproject(text);
    assert!(!f.dynamic_dependencies);
    assert!(f.declares_dependencies);
    assert!(f.declarations.is_empty());
    let inc: Vec<(&str, bool, Option<DepKind>, u32)> = f
        .includes
        .iter()
        .map(|i| (i.path.as_str(), i.constraint, i.kind.clone(), i.span.row))
        .collect();
    assert_eq!(
        inc,
        vec![
            ("requirements.in", false, Some(rt()), 6),
            ("requirements-extra.txt", false, Some(rt()), 6),
            ("requirements-dev.txt", false, Some(opt("dev")), 9),
            ("requirements-s3.txt", false, Some(opt("s3")), 10),
        ]
    );
    assert_eq!(text_of(text, f.includes[1].span), "\"requirements-extra.txt\"");
}

#[test]
fn dynamic_without_files_is_unknowable() {
    let f = parse_pyproject("[project]\nname = \"x\"\ndynamic = [\"dependencies\"]\n");
    assert!(f.dynamic_dependencies);
    assert!(f.declares_dependencies);
    let f = parse_pyproject("[project]\nname = \"x\"\ndynamic = [\"optional-dependencies\"]\ndependencies = []\n");
    assert!(f.dynamic_dependencies);
    let f = parse_pyproject("[project]\nname = \"x\"\ndynamic = [\"version\"]\ndependencies = []\n");
    assert!(!f.dynamic_dependencies);
    assert!(f.declares_dependencies);
    // Poetry 2: dynamic dependencies come from `[tool.poetry.dependencies]`.
    let f = parse_pyproject(
        "[project]\nname = \"x\"\ndynamic = [\"dependencies\"]\n[tool.poetry.dependencies]\nflask = \"^3\"\n",
    );
    assert!(!f.dynamic_dependencies);
    assert_eq!(summary(&f), vec![s("flask", rt(), 5)]);
    // hatch-requirements-txt
    let f = parse_pyproject(
        "[project]\nname = \"x\"\ndynamic = [\"dependencies\"]\n[tool.hatch.metadata.hooks.requirements_txt]\nfiles = [\"requirements.txt\"]\n",
    );
    assert!(!f.dynamic_dependencies);
    assert_eq!(f.includes.len(), 1);
    assert_eq!(
        (f.includes[0].path.as_str(), f.includes[0].kind.clone()),
        ("requirements.txt", Some(rt()))
    );
}

#[test]
fn pdm_uv_hatch_dev_tables() {
    let text = r#"[project]
name = "tools"
dependencies = []

[tool.pdm.dev-dependencies]
test = ["pytest>=8", "-e git+https://github.com/org/helper.git#egg=helper", "-e ./libs/local"]
lint = ["ruff"]

[tool.uv]
dev-dependencies = ["mypy>=1.10"]

[tool.hatch.envs.default]
dependencies = ["coverage[toml]"]

[tool.hatch.envs.docs]
extra-dependencies = ["mkdocs"]
"#;
    let f = parse_pyproject(text);
    assert!(f.declares_dependencies);
    assert_eq!(
        summary(&f),
        vec![
            s("pytest", dev("test"), 6),
            s("helper", dev("test"), 6),
            s("ruff", dev("lint"), 7),
            s("mypy", dev("dev"), 10),
            s("coverage", dev("default"), 13),
            s("mkdocs", dev("docs"), 16),
        ]
    );
    assert_eq!(
        find(&f, "helper", &dev("test")).url.as_deref(),
        Some("git+https://github.com/org/helper.git#egg=helper")
    );
    // `-e ./libs/local` has no knowable name: skipped, not guessed.
    assert_eq!(f.skipped.len(), 1);
    assert_eq!(f.skipped[0].0, "-e ./libs/local");
    assert_eq!(find(&f, "coverage", &dev("default")).extras, vec!["toml"]);
}

#[test]
fn import_roots_from_build_config() {
    let text = r#"[tool.setuptools]
package-dir = {"" = "lib"}
[tool.setuptools.packages.find]
where = ["./src/", "."]
[tool.hatch.build.targets.wheel]
packages = ["src/foo", "bar"]
sources = {"python" = ""}
[tool.uv.build-backend]
module-root = "pysrc"
"#;
    let f = parse_pyproject(text);
    assert_eq!(f.import_roots, vec!["src", "lib", "python", "pysrc"]);
    assert!(!f.declares_dependencies);

    let f = parse_pyproject("[build-system]\nbuild-backend = \"uv_build\"\n");
    assert_eq!(f.import_roots, vec!["src"]);
    let f =
        parse_pyproject("[build-system]\nbuild-backend = \"uv_build\"\n[tool.uv.build-backend]\nmodule-root = \"\"\n");
    assert!(f.import_roots.is_empty());
    let f = parse_pyproject("[tool.hatch.build.targets.wheel]\nsources = [\"src\"]\n");
    assert_eq!(f.import_roots, vec!["src"]);
}

#[test]
fn pyproject_without_dependency_tables() {
    let f = parse_pyproject("[tool.ruff]\nline-length = 100\n");
    assert!(!f.declares_dependencies);
    assert!(f.declarations.is_empty());
    let f = parse_pyproject("[dependency-groups]\n");
    assert!(f.declares_dependencies);
}

#[test]
fn pyproject_bad_values_are_skipped() {
    let text = "[project]\ndependencies = [\"ok\", 3, \">=1\"]\n[project.optional-dependencies]\nx = \"notalist\"\n[dependency-groups]\ng = [{include-group = \"missing\"}, {other = 1}]\n";
    let f = parse_pyproject(text);
    assert_eq!(summary(&f), vec![s("ok", rt(), 2)]);
    let skipped: Vec<(&str, u32)> = f.skipped.iter().map(|(w, sp)| (w.as_str(), sp.row)).collect();
    assert_eq!(
        skipped,
        vec![
            ("not a requirement string: 3", 2),
            (">=1", 2),
            ("not an array of requirements: \"notalist\"", 4),
            ("include-group of an unknown group: missing", 6),
            ("unknown dependency group entry: { other = 1 }", 6),
        ]
    );
}

#[test]
fn invalid_toml_gives_empty_facts() {
    let f = parse_pyproject("[project\ndependencies = [\"a\"\n");
    assert!(f.declarations.is_empty());
    assert!(!f.declares_dependencies);
    assert_eq!(f.skipped.len(), 1);
    assert!(f.skipped[0].0.starts_with("invalid TOML"), "{:?}", f.skipped);
    assert_eq!(f.skipped[0].1.row, 1);
}

// ---------------------------------------------------------------- requirements files

const REQUIREMENTS: &str = "# Runtime dependencies\n\
-r requirements/base.txt\n\
-c requirements/constraints.txt\n\
--index-url https://pypi.example.com/simple\n\
gunicorn==22.0.0  # pinned for the image\n\
Flask[async] >= 3.0, \\\n    < 4 ; python_version >= \"3.12\"\n\
cryptography==42.0.5 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\n\
-e git+https://github.com/org/foo-lib.git@v1.2#egg=foo_lib\n\
pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee\n\
tomli>=2; python_version < \"3.11\"\n\
https://example.com/wheels/some_pkg-1.0-py3-none-any.whl\n\
./vendor/local-sdist.tar.gz\n\
--requirement=more.txt\n\
-rother.txt\n\
--constraint pins.txt\n\
--extra-index-url=https://x --pre --trusted-host x\n\
--find-links ./wheels\n\
-e .\n\
git+https://github.com/org/barlib.git@main\n\
http://example.com/pkg.tar.gz#egg=egged-pkg[extra]\n";

#[test]
fn requirements_file() {
    let f = parse_requirements(REQUIREMENTS);
    assert!(f.declares_dependencies);
    assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    assert_eq!(
        summary(&f),
        vec![
            s("gunicorn", rt(), 5),
            s("flask", rt(), 6),
            s("cryptography", rt(), 8),
            s("foo-lib", rt(), 11),
            s("pip", rt(), 12),
            s("tomli", rt(), 13),
            s("some-pkg", rt(), 14),
            s("barlib", rt(), 22),
            s("egged-pkg", rt(), 23),
        ]
    );
    let inc: Vec<(&str, bool, u32)> = f
        .includes
        .iter()
        .map(|i| (i.path.as_str(), i.constraint, i.span.row))
        .collect();
    assert_eq!(
        inc,
        vec![
            ("requirements/base.txt", false, 2),
            ("requirements/constraints.txt", true, 3),
            ("more.txt", false, 16),
            ("other.txt", false, 17),
            ("pins.txt", true, 18),
        ]
    );
    assert_eq!(text_of(REQUIREMENTS, f.includes[0].span), "-r requirements/base.txt");

    let g = find(&f, "gunicorn", &rt());
    assert_eq!(g.specifier, "==22.0.0");
    assert_eq!(text_of(REQUIREMENTS, g.span), "gunicorn==22.0.0");
    assert_eq!((g.span.col, g.span.end_col), (1, 17));

    // Continuation: the span runs from the first line to the end of the requirement.
    let flask = find(&f, "flask", &rt());
    assert_eq!(flask.name, "Flask");
    assert_eq!(flask.extras, vec!["async"]);
    assert_eq!(flask.specifier, ">= 3.0,     < 4");
    assert_eq!(flask.marker.as_deref(), Some("python_version >= \"3.12\""));
    assert_eq!((flask.span.row, flask.span.col, flask.span.end_row), (6, 1, 7));
    assert_eq!(
        text_of(REQUIREMENTS, flask.span),
        "Flask[async] >= 3.0, \\\n    < 4 ; python_version >= \"3.12\""
    );

    // `--hash` options end the requirement.
    let c = find(&f, "cryptography", &rt());
    assert_eq!(c.specifier, "==42.0.5");
    assert_eq!(text_of(REQUIREMENTS, c.span), "cryptography==42.0.5");
    assert_eq!(c.span.end_row, 8);

    let foo = find(&f, "foo-lib", &rt());
    assert_eq!(foo.name, "foo_lib");
    assert_eq!(
        foo.url.as_deref(),
        Some("git+https://github.com/org/foo-lib.git@v1.2#egg=foo_lib")
    );
    assert_eq!(
        text_of(REQUIREMENTS, foo.span),
        "-e git+https://github.com/org/foo-lib.git@v1.2#egg=foo_lib"
    );

    let pip = find(&f, "pip", &rt());
    assert_eq!(
        pip.url.as_deref(),
        Some("https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee")
    );
    assert_eq!(pip.specifier, "");

    assert_eq!(
        find(&f, "tomli", &rt()).marker.as_deref(),
        Some("python_version < \"3.11\"")
    );
    assert_eq!(find(&f, "some-pkg", &rt()).name, "some_pkg");
    assert_eq!(find(&f, "egged-pkg", &rt()).name, "egged-pkg");
}

/// /work/shared/cases/imp/confusables-requirements-include/requirements.txt
#[test]
fn requirements_case_file() {
    let text = "# Runtime dependencies of the menumate web service.\n# The shared pins live in requirements/base.txt; constraints only cap versions.\n-r requirements/base.txt\n-c requirements/constraints.txt\ngunicorn==22.0.0\n";
    let f = parse_requirements(text);
    assert_eq!(summary(&f), vec![s("gunicorn", rt(), 5)]);
    assert_eq!(f.includes.len(), 2);
    assert!(!f.includes[0].constraint);
    assert!(f.includes[1].constraint);
    assert_eq!(f.includes[1].kind, None);
}

#[test]
fn requirements_comments_and_edge_cases() {
    // `#` not preceded by whitespace is not a comment; one preceded by a tab is.
    let f = parse_requirements("foo#bar==1\nbaz==2\t# c\n# a comment \\\nqux\n");
    assert_eq!(
        summary(&f),
        vec![s("foo", rt(), 1), s("baz", rt(), 2), s("qux", rt(), 4)]
    );
    assert_eq!(f.declarations[1].specifier, "==2");

    // A continuation ending in a comment line: pip keeps the comment a comment.
    let f = parse_requirements("alpha \\\n# comment\nbeta\n");
    assert_eq!(summary(&f), vec![s("alpha", rt(), 1), s("beta", rt(), 3)]);

    // CRLF line endings and a BOM.
    let text = "\u{feff}one==1\r\ntwo==2\r\n";
    let f = parse_requirements(text);
    assert_eq!(summary(&f), vec![s("one", rt(), 1), s("two", rt(), 2)]);
    assert_eq!(text_of(text, f.declarations[0].span), "one==1");
    assert_eq!(text_of(text, f.declarations[1].span), "two==2");

    // Unknown options and lines without a name are skipped; bare paths are ignored.
    let f = parse_requirements("--frobnicate x\n>=1.0\n../lib\n/abs/path/pkg\n-e ./local\n-r\n");
    assert!(f.declarations.is_empty());
    let skipped: Vec<(&str, u32)> = f.skipped.iter().map(|(w, sp)| (w.as_str(), sp.row)).collect();
    assert_eq!(skipped, vec![("--frobnicate x", 1), (">=1.0", 2), ("-r", 6)]);

    // Quoted option values, --editable= form.
    let f = parse_requirements("-r \"my reqs.txt\"\n--editable=git+ssh://git@github.com/org/thing.git@main\n");
    assert_eq!(f.includes[0].path, "my reqs.txt");
    assert_eq!(summary(&f), vec![s("thing", rt(), 2)]);

    // Empty input.
    let f = parse_requirements("");
    assert!(f.declarations.is_empty() && f.includes.is_empty() && f.skipped.is_empty());
}

// ---------------------------------------------------------------- setup.cfg

const SETUP_CFG: &str = "[metadata]\n\
name = legacy-app\n\
version = 1.0\n\
\n\
[options]\n\
python_requires = >=3.9\n\
package_dir =\n    =src\n\
install_requires =\n    requests>=2.31\n    # a comment line\n    PyYAML  # trailing comment\n    importlib-metadata; python_version < \"3.10\"\n\
\n\
[options.packages.find]\n\
where = src\n\
\n\
[options.extras_require]\n\
Postgres = psycopg2-binary>=2.9\n\
dev =\n    pytest\n    black==24.1\n";

#[test]
fn setup_cfg() {
    let f = parse_setup_cfg(SETUP_CFG);
    assert_eq!(f.project_name.as_deref(), Some("legacy-app"));
    assert_eq!(f.requires_python.as_deref(), Some(">=3.9"));
    assert_eq!(f.import_roots, vec!["src"]);
    assert!(f.declares_dependencies);
    assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    assert_eq!(
        summary(&f),
        vec![
            s("requests", rt(), 10),
            s("pyyaml", rt(), 12),
            s("importlib-metadata", rt(), 13),
            s("psycopg2-binary", opt("Postgres"), 19),
            s("pytest", opt("dev"), 21),
            s("black", opt("dev"), 22),
        ]
    );
    let y = find(&f, "pyyaml", &rt());
    assert_eq!(text_of(SETUP_CFG, y.span), "PyYAML");
    assert_eq!((y.span.col, y.span.end_col), (5, 11));
    assert_eq!(
        find(&f, "importlib-metadata", &rt()).marker.as_deref(),
        Some("python_version < \"3.10\"")
    );
    assert_eq!(find(&f, "psycopg2-binary", &opt("Postgres")).specifier, ">=2.9");
}

#[test]
fn setup_cfg_one_line_lists_and_files() {
    let text = "[options]\ninstall-requires = click; rich>=13 ; python_version < \"3.12\"\n[options.extras_require]\ntest = file: requirements-test.txt, more.txt\n";
    let f = parse_setup_cfg(text);
    assert_eq!(summary(&f), vec![s("click", rt(), 2), s("rich", rt(), 2)]);
    assert_eq!(text_of(text, f.declarations[1].span), "rich>=13");
    assert_eq!(f.declarations[1].marker.as_deref(), Some("python_version < \"3.12\""));
    let inc: Vec<(&str, Option<DepKind>)> = f.includes.iter().map(|i| (i.path.as_str(), i.kind.clone())).collect();
    assert_eq!(
        inc,
        vec![
            ("requirements-test.txt", Some(opt("test"))),
            ("more.txt", Some(opt("test")))
        ]
    );
    assert_eq!(text_of(text, f.includes[1].span), "more.txt");

    let f = parse_setup_cfg("[metadata]\nname = x\n");
    assert!(!f.declares_dependencies);
    let f = parse_setup_cfg("key without section = 1\n[s]\nno delimiter\n");
    assert_eq!(f.skipped.len(), 2);
}

// ---------------------------------------------------------------- lock files

fn lock_summary(l: &LockFacts) -> Vec<(&str, Option<&str>, Vec<&str>)> {
    l.packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_deref(),
                p.dependencies.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn uv_lock() {
    let text = r#"version = 1
requires-python = ">=3.12"

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]

[[package]]
name = "myapp"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "FastAPI" }]

[package.optional-dependencies]
s3 = [{ name = "boto3" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }, { name = "fastapi" }]

[[package]]
name = "Typing_Extensions"
version = "4.12.2"
"#;
    let l = parse_lock("uv.lock", text);
    assert!(l.skipped.is_empty());
    assert_eq!(
        lock_summary(&l),
        vec![
            ("anyio", Some("4.4.0"), vec!["idna", "sniffio"]),
            ("myapp", Some("0.1.0"), vec!["fastapi", "boto3", "pytest"]),
            ("typing-extensions", Some("4.12.2"), vec![]),
        ]
    );
}

#[test]
fn poetry_lock() {
    let text = r#"[[package]]
name = "fastapi"
version = "0.111.0"
description = "FastAPI framework"
optional = false
python-versions = ">=3.8"

[package.dependencies]
pydantic = ">=1.7.4,!=1.8,<3.0.0"
starlette = ">=0.37.2,<0.38.0"
typing-extensions = ">=4.8.0"

[package.extras]
all = ["email_validator (>=2.0.0)"]

[[package]]
name = "pydantic"
version = "2.7.4"

[metadata]
lock-version = "2.0"
"#;
    let l = parse_lock("poetry.lock", text);
    assert_eq!(
        lock_summary(&l),
        vec![
            (
                "fastapi",
                Some("0.111.0"),
                vec!["pydantic", "starlette", "typing-extensions"]
            ),
            ("pydantic", Some("2.7.4"), vec![]),
        ]
    );
}

#[test]
fn pdm_lock() {
    let text = r#"[metadata]
groups = ["default", "dev"]

[[package]]
name = "requests"
version = "2.32.3"
requires_python = ">=3.8"
dependencies = [
    "certifi>=2017.4.17",
    "charset-normalizer<4,>=2",
    "idna<4,>=2.5",
    "urllib3<3,>=1.21.1",
    "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
]
"#;
    let l = parse_lock("/repo/pdm.lock", text);
    assert_eq!(
        lock_summary(&l),
        vec![(
            "requests",
            Some("2.32.3"),
            vec!["certifi", "charset-normalizer", "idna", "urllib3", "pysocks"]
        )]
    );
}

#[test]
fn pylock_toml() {
    let text = r#"lock-version = "1.0"
created-by = "mousebender"

[[packages]]
name = "attrs"
version = "25.1.0"

[[packages]]
name = "Cattrs"
version = "24.1.2"
dependencies = [{ name = "attrs" }, { name = "exceptiongroup", version = "1.2" }]

[[packages]]
name = "nover"
"#;
    for name in ["pylock.toml", "pylock.dev.toml", "sub/pylock.toml"] {
        let l = parse_lock(name, text);
        assert_eq!(
            lock_summary(&l),
            vec![
                ("attrs", Some("25.1.0"), vec![]),
                ("cattrs", Some("24.1.2"), vec!["attrs", "exceptiongroup"]),
                ("nover", None, vec![]),
            ]
        );
    }
}

#[test]
fn bad_lock_files() {
    let l = parse_lock("uv.lock", "[[package]\nname = ");
    assert!(l.packages.is_empty());
    assert_eq!(l.skipped.len(), 1);
    assert!(l.skipped[0].starts_with("invalid TOML"));
    let l = parse_lock("uv.lock", "package = 3\n");
    assert!(l.packages.is_empty());
    assert_eq!(l.skipped, vec!["`package` is not an array of tables"]);
    let l = parse_lock(
        "uv.lock",
        "[[package]]\nversion = \"1\"\n[[package]]\nname = \"ok\"\ndependencies = 7\n",
    );
    assert_eq!(lock_summary(&l), vec![("ok", None, vec![])]);
    assert_eq!(l.skipped, vec!["package[0] has no name"]);
    assert!(parse_lock("uv.lock", "").packages.is_empty());
}

// ---------------------------------------------------------------- PEP 723

const SCRIPT: &str = "#!/usr/bin/env python3\n\
# /// script\n\
# requires-python = \">=3.11\"\n\
# dependencies = [\n\
#   \"requests<3\",\n\
#   \"rich\",\n\
# ]\n\
#\n\
# [tool.uv]\n\
# exclude-newer = \"2024-01-01T00:00:00Z\"\n\
# ///\n\
\n\
import requests\n";

#[test]
fn inline_script_block() {
    let f = parse_inline_script(SCRIPT).expect("block");
    assert_eq!(f.requires_python.as_deref(), Some(">=3.11"));
    assert!(f.declares_dependencies);
    assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    assert_eq!(summary(&f), vec![s("requests", rt(), 5), s("rich", rt(), 6)]);
    let r = &f.declarations[0];
    assert_eq!(r.specifier, "<3");
    assert_eq!(text_of(SCRIPT, r.span), "\"requests<3\"");
    assert_eq!((r.span.col, r.span.end_col), (5, 17));
    assert_eq!(text_of(SCRIPT, f.declarations[1].span), "\"rich\"");
}

#[test]
fn inline_script_absent_or_broken() {
    assert!(parse_inline_script("import os\n# /// scripts\n# ///\n").is_none());
    // Not closed.
    assert!(parse_inline_script("# /// script\n# dependencies = []\nimport os\n# ///\n").is_none());
    // Invalid TOML inside: facts with a skipped entry pointing into the block.
    let f = parse_inline_script("x = 1\n# /// script\n# dependencies = [\n# ///\n").expect("block");
    assert!(f.declarations.is_empty());
    assert_eq!(f.skipped.len(), 1);
    assert!(f.skipped[0].0.starts_with("invalid TOML"));
    // Empty block, bare `#` lines, CRLF.
    let f = parse_inline_script("# /// script\r\n#\r\n# dependencies = [\"httpx\"]\r\n# ///\r\n").expect("block");
    assert_eq!(summary(&f), vec![s("httpx", rt(), 3)]);
    let f = parse_inline_script("# /// script\n# ///\n").expect("block");
    assert!(f.declarations.is_empty() && !f.declares_dependencies);
    // A second block is reported, the first one kept.
    let f = parse_inline_script(
        "# /// script\n# dependencies = [\"a\"]\n# ///\n\n# /// script\n# dependencies = [\"b\"]\n# ///\n",
    )
    .expect("block");
    assert_eq!(summary(&f), vec![s("a", rt(), 2)]);
    assert_eq!(f.skipped.len(), 1);
    assert_eq!(f.skipped[0].1.row, 5);
}

// ---------------------------------------------------------------- garbage

/// xorshift, so the garbage is the same on every run.
fn garbage(seed: u64, len: usize, alphabet: &[u8]) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if alphabet.is_empty() {
                x as u8
            } else {
                alphabet[(x % alphabet.len() as u64) as usize]
            }
        })
        .collect()
}

fn run_all(text: &str) {
    let _ = parse_pyproject(text);
    let _ = parse_requirements(text);
    let _ = parse_setup_cfg(text);
    let _ = parse_inline_script(text);
    for name in ["uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "x"] {
        let _ = parse_lock(name, text);
    }
    for line in text.lines().take(50) {
        let _ = parse_requirement(line);
    }
}

#[test]
fn garbage_never_panics() {
    let toml_chars = b"[]{}=\"'#\\\n\r ,.-_@;:/+~<>!abcdeEgrq0123456789\t\xc3\xa9";
    for seed in 1..200u64 {
        let raw = garbage(seed, 400, &[]);
        run_all(&String::from_utf8_lossy(&raw));
        let structured = garbage(seed, 400, toml_chars);
        run_all(&String::from_utf8_lossy(&structured));
    }
    for text in [
        "[project\n",
        "[project]\ndependencies = [\"a\",\n",
        "[project]\ndependencies = [[[[[[[[[[\n",
        "[[package]]\nname = {",
        "# /// script\n# dependencies = [\"a\n# ///\n",
        "-r\n-c\n-e\n--hash\n\\",
        "\\\n\\\n\\",
        "[options]\ninstall_requires =\n  \n  ;;;\n  [\n",
        "\u{feff}",
        "é\\\n#é",
    ] {
        run_all(text);
    }
    let deep = format!("a = {}{}", "[".repeat(5000), "]".repeat(5000));
    run_all(&deep);
    let deep_inline = format!("a = {}1{}", "{b = ".repeat(3000), "}".repeat(3000));
    run_all(&deep_inline);
}

#[test]
fn requirement_garbage_never_panics() {
    const FUZZ_N: u64 = 20_000;
    let alphabet = b"aZ09._-[],;@ ()<>=!~*'\"#/:\\\textra python_version in not and or \xc3\xa9";
    for seed in 1..FUZZ_N {
        let len = (seed % 40) as usize + 1;
        let text = String::from_utf8_lossy(&garbage(seed, len, alphabet)).into_owned();
        let _ = parse_requirement(&text);
        let _ = parse_requirement(&format!("a{text}"));
        let _ = parse_requirement(&format!("name[{text}]"));
        let _ = parse_requirement(&format!("name>=1; {text}"));
    }
    for t in [
        "r0. x",
        "a- ;",
        "a[b.]",
        "a[b-, c]",
        "a[ b_ ]>=1",
        "a[]",
        "a[",
        "a @",
        "a @ ;",
        "a;",
    ] {
        let _ = parse_requirement(t);
    }
}

#[test]
fn truncated_samples_never_panic() {
    for sample in [PEP621, POETRY, REQUIREMENTS, SETUP_CFG, SCRIPT] {
        for (i, _) in sample.char_indices().step_by(3) {
            run_all(&sample[..i]);
        }
    }
}
