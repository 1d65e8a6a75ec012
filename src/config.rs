//! Configuration: `[tool.pylint-recover]` in `pyproject.toml`, or `pylint-recover.toml` /
//! `.pylint-recover.toml` (same keys, no `tool.` prefix). Found like ruff's: the nearest
//! folder upward that has one wins, no merging; `--config` overrides.
//!
//! The whole schema is validated: unknown keys and bad values are errors naming the file,
//! line, column and the valid choices.

use crate::rules::registry;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml_edit::{Document, Item, Table, Value};

/// A configuration error: stops the run with exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Settings of one configuration file (or the defaults).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// The folder relative paths and globs are resolved against.
    pub dir: PathBuf,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    pub respect_gitignore: Option<bool>,
    pub src: Vec<String>,
    pub known_first_party: Vec<String>,
    pub target_version: Option<(u8, u8)>,
    pub dev_paths: Option<Vec<String>>,
    pub imports: ImportsConfig,
    pub jwt: JwtConfig,
    pub migrations: MigrationsConfig,
}

#[derive(Debug, Clone, Default)]
pub struct ImportsConfig {
    /// Import name → distribution(s).
    pub module_map: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct JwtConfig {
    /// Access-token lifetime policy in seconds (default 15 minutes).
    pub access_ttl: Option<u64>,
    /// Refresh-token lifetime policy in seconds (default 7 days).
    pub refresh_ttl: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct MigrationsConfig {
    pub alembic_configs: Vec<String>,
}

/// Default development-code globs (IMP004, and the JWT007/JWT008 exemptions).
pub const DEFAULT_DEV_PATHS: &[&str] = &[
    "tests/",
    "test/",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "noxfile.py",
    "docs/",
    "examples/",
    "scripts/",
    "tasks.py",
    "setup.py",
    "hatch_build.py",
];

const TOP_KEYS: &[&str] = &[
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "src",
    "known-first-party",
    "target-version",
    "dev-paths",
    "imports",
    "jwt",
    "migrations",
];
const TARGET_VERSIONS: &[&str] = &["py38", "py39", "py310", "py311", "py312", "py313", "py314"];

impl Config {
    pub fn defaults(dir: &Path) -> Config {
        Config {
            dir: dir.to_path_buf(),
            ..Config::default()
        }
    }

    pub fn dev_paths(&self) -> Vec<String> {
        self.dev_paths
            .clone()
            .unwrap_or_else(|| DEFAULT_DEV_PATHS.iter().map(|s| s.to_string()).collect())
    }

    /// Whether `code` is enabled by this config plus the command line selections.
    pub fn is_enabled(&self, code: &str, cli: &Selection) -> bool {
        let select: Vec<&str> = match (&cli.select, &self.select) {
            (Some(s), _) => s.iter().map(String::as_str).collect(),
            (None, Some(s)) => s.iter().map(String::as_str).collect(),
            (None, None) => Vec::new(),
        };
        let selected = if select.is_empty() && cli.select.is_none() && self.select.is_none() {
            registry::rule(code).map(|r| r.default_on).unwrap_or(false)
        } else {
            select.iter().any(|s| registry::selector_matches(s, code))
        };
        let extended = self
            .extend_select
            .iter()
            .chain(cli.extend_select.iter())
            .any(|s| registry::selector_matches(s, code));
        let ignored = self
            .ignore
            .iter()
            .chain(cli.ignore.iter())
            .any(|s| registry::selector_matches(s, code));
        (selected || extended) && !ignored
    }
}

/// Rule selection given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// Reads the config file of `dir` if it has one: `.pylint-recover.toml` >
/// `pylint-recover.toml` > `pyproject.toml` with `[tool.pylint-recover]`.
pub fn find_in_dir(dir: &Path) -> Result<Option<Config>, ConfigError> {
    for name in [".pylint-recover.toml", "pylint-recover.toml"] {
        let p = dir.join(name);
        if p.is_file() {
            return load(&p).map(Some);
        }
    }
    let p = dir.join("pyproject.toml");
    if p.is_file() {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        if text.contains("pylint-recover") {
            return load_text(&p, &text, true);
        }
    }
    Ok(None)
}

/// Loads an explicit config file (`--config`): any of the three file kinds.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the configuration file: {e}"),
    })?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    match load_text(path, &text, is_pyproject)? {
        Some(c) => Ok(c),
        None => Ok(Config {
            path: Some(path.to_path_buf()),
            ..Config::defaults(path.parent().unwrap_or(Path::new(".")))
        }),
    }
}

/// Parses config text. For `pyproject.toml` the table is `[tool.pylint-recover]`;
/// `None` when it has none.
pub fn load_text(path: &Path, text: &str, pyproject: bool) -> Result<Option<Config>, ConfigError> {
    let doc = Document::parse(text.to_string()).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("invalid TOML: {}", e.message()),
        }
    })?;
    let table: &Table = if pyproject {
        match doc
            .get("tool")
            .and_then(|t| t.as_table_like())
            .and_then(|t| t.get("pylint-recover"))
        {
            Some(Item::Table(t)) => t,
            Some(other) => {
                return Err(err_at(
                    path,
                    text,
                    other.span(),
                    "`[tool.pylint-recover]` must be a table".into(),
                ));
            }
            None => return Ok(None),
        }
    } else {
        doc.as_table()
    };
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut cfg = Config {
        path: Some(path.to_path_buf()),
        dir,
        ..Config::default()
    };
    let cx = Cx { path, text };
    for (key, item) in table.iter() {
        let span = table.key(key).and_then(|k| k.span()).or_else(|| item.span());
        match key {
            "select" => cfg.select = Some(cx.codes(item, key)?),
            "ignore" => cfg.ignore = cx.codes(item, key)?,
            "extend-select" => cfg.extend_select = cx.codes(item, key)?,
            "per-file-ignores" => {
                let t = cx.table(item, key)?;
                for (glob, codes) in t.iter() {
                    cfg.per_file_ignores.push((glob.to_string(), cx.codes(codes, glob)?));
                }
            }
            "exclude" => cfg.exclude = Some(cx.strings(item, key)?),
            "extend-exclude" => cfg.extend_exclude = cx.strings(item, key)?,
            "respect-gitignore" => cfg.respect_gitignore = Some(cx.boolean(item, key)?),
            "src" => cfg.src = cx.strings(item, key)?,
            "known-first-party" => cfg.known_first_party = cx.strings(item, key)?,
            "dev-paths" => cfg.dev_paths = Some(cx.strings(item, key)?),
            "target-version" => {
                let v = cx.string(item, key)?;
                cfg.target_version = Some(parse_target_version(&v).ok_or_else(|| {
                    cx.err(
                        item.span(),
                        format!(
                            "invalid `target-version` {v:?}: expected one of {}",
                            TARGET_VERSIONS.join(", ")
                        ),
                    )
                })?);
            }
            "imports" => {
                let t = cx.table(item, key)?;
                for (k, v) in t.iter() {
                    match k {
                        "module-map" => {
                            let m = cx.table(v, k)?;
                            for (module, dist) in m.iter() {
                                let dists = match dist.as_str() {
                                    Some(s) => vec![s.to_string()],
                                    None => cx.strings(dist, module)?,
                                };
                                cfg.imports.module_map.insert(module.to_string(), dists);
                            }
                        }
                        _ => return Err(cx.unknown(t, k, "imports", &["module-map"])),
                    }
                }
            }
            "jwt" => {
                let t = cx.table(item, key)?;
                for (k, v) in t.iter() {
                    match k {
                        "access-ttl" => cfg.jwt.access_ttl = Some(cx.duration(v, k)?),
                        "refresh-ttl" => cfg.jwt.refresh_ttl = Some(cx.duration(v, k)?),
                        _ => return Err(cx.unknown(t, k, "jwt", &["access-ttl", "refresh-ttl"])),
                    }
                }
            }
            "migrations" => {
                let t = cx.table(item, key)?;
                for (k, v) in t.iter() {
                    match k {
                        "alembic-configs" => cfg.migrations.alembic_configs = cx.strings(v, k)?,
                        _ => return Err(cx.unknown(t, k, "migrations", &["alembic-configs"])),
                    }
                }
            }
            _ => {
                return Err(cx.err(
                    span,
                    format!("unknown key `{key}`: valid keys are {}", TOP_KEYS.join(", ")),
                ));
            }
        }
    }
    Ok(Some(cfg))
}

/// `py311` → (3, 11).
pub fn parse_target_version(v: &str) -> Option<(u8, u8)> {
    if !TARGET_VERSIONS.contains(&v) {
        return None;
    }
    let minor: u8 = v.strip_prefix("py3")?.parse().ok()?;
    Some((3, minor))
}

/// `90s`, `15m`, `12h`, `7d` → seconds.
pub fn parse_duration(v: &str) -> Option<u64> {
    let v = v.trim();
    let unit = v.chars().last()?;
    let n: u64 = v[..v.len() - unit.len_utf8()].trim().parse().ok()?;
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        _ => return None,
    };
    n.checked_mul(mult)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

fn err_at(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, message: String) -> ConfigError {
    let (line, column) = span.map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    ConfigError {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

struct Cx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Cx<'_> {
    fn err(&self, span: Option<std::ops::Range<usize>>, message: String) -> ConfigError {
        err_at(self.path, self.text, span, message)
    }

    fn unknown(&self, t: &dyn toml_edit::TableLike, key: &str, table: &str, valid: &[&str]) -> ConfigError {
        let span = t.get_key_value(key).and_then(|(k, _)| k.span());
        self.err(
            span,
            format!("unknown key `{key}` in `{table}`: valid keys are {}", valid.join(", ")),
        )
    }

    fn table<'i>(&self, item: &'i Item, key: &str) -> Result<&'i dyn toml_edit::TableLike, ConfigError> {
        item.as_table_like()
            .ok_or_else(|| self.err(item.span(), format!("`{key}` must be a table")))
    }

    fn value<'i>(&self, item: &'i Item) -> Option<&'i Value> {
        item.as_value()
    }

    fn string(&self, item: &Item, key: &str) -> Result<String, ConfigError> {
        self.value(item)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| self.err(item.span(), format!("`{key}` must be a string")))
    }

    fn boolean(&self, item: &Item, key: &str) -> Result<bool, ConfigError> {
        self.value(item)
            .and_then(|v| v.as_bool())
            .ok_or_else(|| self.err(item.span(), format!("`{key}` must be true or false")))
    }

    fn strings(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let Some(arr) = self.value(item).and_then(|v| v.as_array()) else {
            return Err(self.err(item.span(), format!("`{key}` must be an array of strings")));
        };
        arr.iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.err(v.span(), format!("`{key}` must be an array of strings")))
            })
            .collect()
    }

    fn codes(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let Some(arr) = self.value(item).and_then(|v| v.as_array()) else {
            return Err(self.err(item.span(), format!("`{key}` must be an array of rule codes")));
        };
        let mut out = Vec::new();
        for v in arr.iter() {
            let Some(code) = v.as_str() else {
                return Err(self.err(v.span(), format!("`{key}` must be an array of rule codes")));
            };
            if !registry::is_valid_selector(code) {
                return Err(self.err(
                    v.span(),
                    format!("unknown rule code or prefix `{code}`: valid are ALL, a family (IMP, JWT, ORM, MIG, PR), a prefix such as `IMP00`, or a code such as `IMP001` (see `pylint-recover rules`)"),
                ));
            }
            out.push(code.to_ascii_uppercase());
        }
        Ok(out)
    }

    fn duration(&self, item: &Item, key: &str) -> Result<u64, ConfigError> {
        let s = self.string(item, key)?;
        parse_duration(&s).ok_or_else(|| {
            self.err(item.span(), format!("invalid duration {s:?} for `{key}`: expected a number and a unit s, m, h or d, e.g. \"90s\", \"15m\", \"12h\", \"7d\""))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<Config>, ConfigError> {
        load_text(Path::new("/p/pyproject.toml"), text, true)
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "[tool.pylint-recover]\nselect = [\"IMP\"]\nignore = [\"IMP007\"]\nsrc = [\"lib\"]\ntarget-version = \"py311\"\n[tool.pylint-recover.per-file-ignores]\n\"scripts/*\" = [\"IMP001\"]\n[tool.pylint-recover.imports.module-map]\nacme = \"acme-sdk\"\n[tool.pylint-recover.jwt]\naccess-ttl = \"30m\"\nrefresh-ttl = \"14d\"\n[tool.pylint-recover.migrations]\nalembic-configs = [\"db/alembic.ini\"]\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.select, Some(vec!["IMP".to_string()]));
        assert_eq!(c.target_version, Some((3, 11)));
        assert_eq!(
            c.per_file_ignores,
            vec![("scripts/*".to_string(), vec!["IMP001".to_string()])]
        );
        assert_eq!(c.imports.module_map["acme"], vec!["acme-sdk".to_string()]);
        assert_eq!(c.jwt.access_ttl, Some(1800));
        assert_eq!(c.jwt.refresh_ttl, Some(14 * 86400));
        assert_eq!(c.migrations.alembic_configs, vec!["db/alembic.ini".to_string()]);
    }

    #[test]
    fn inline_tables() {
        let c = parse("[tool.pylint-recover]\nper-file-ignores = { \"a/*\" = [\"IMP001\"] }\nimports = { module-map = { acme = \"acme-sdk\" } }\n")
            .unwrap()
            .unwrap();
        assert_eq!(
            c.per_file_ignores,
            vec![("a/*".to_string(), vec!["IMP001".to_string()])]
        );
        assert_eq!(c.imports.module_map["acme"], vec!["acme-sdk".to_string()]);
    }

    #[test]
    fn no_table_is_none() {
        assert!(parse("[project]\nname = \"x\"\n").unwrap().is_none());
    }

    #[test]
    fn errors_name_line_and_choices() {
        let e = parse("[tool.pylint-recover]\nselect = [\"IMP\"]\nselcet = []\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("unknown key `selcet`"), "{}", e.message);
        assert!(e.message.contains("extend-select"));
        let e = parse("[tool.pylint-recover]\nselect = [\"XYZ123\"]\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("unknown rule code"));
        let e = parse("[tool.pylint-recover.jwt]\naccess-ttl = \"15 minutes\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"15m\""));
        let e = parse("[tool.pylint-recover]\ntarget-version = \"3.11\"\n").unwrap_err();
        assert!(e.message.contains("py311"));
        let e = parse("[tool.pylint-recover\n").unwrap_err();
        assert!(e.message.starts_with("invalid TOML"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("15m"), Some(900));
        assert_eq!(parse_duration("7d"), Some(604800));
        assert_eq!(parse_duration("7"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("ü"), None);
    }

    #[test]
    fn selection() {
        let c = Config::default();
        let cli = Selection::default();
        assert!(c.is_enabled("IMP001", &cli));
        let cli = Selection {
            select: Some(vec!["JWT".into()]),
            ..Selection::default()
        };
        assert!(!c.is_enabled("IMP001", &cli));
        let cli = Selection {
            ignore: vec!["IMP00".into()],
            ..Selection::default()
        };
        assert!(!c.is_enabled("IMP001", &cli));
    }
}
