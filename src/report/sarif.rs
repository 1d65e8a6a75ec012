//! `sarif` format: SARIF 2.1.0 for GitHub code scanning. One run whose driver lists the
//! rules (every implemented rule plus any other rule with results), results with
//! relative URIs under `%SRCROOT%`, character-column regions, related locations for the
//! secondary labels and a `primaryLocationLineHash` fingerprint.

use super::source::SourceCache;
use super::{hash, paths};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::rules::{RuleMeta, RULES};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
const HOMEPAGE: &str = env!("CARGO_PKG_HOMEPAGE");

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<HashMap<&'static str, ArtifactLocation>>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help<'a>>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    primary_location_line_hash: String,
}

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let rules = rules(diags);
    let mut cache = SourceCache::default();
    let mut occurrences: HashMap<u64, usize> = HashMap::new();
    let results = diags
        .iter()
        .map(|d| {
            let rule_index = rules.iter().position(|r| r.id == d.code).unwrap_or_default();
            let hash = line_hash(d, &mut cache, &opts.cwd);
            let n = occurrences.entry(hash).or_default();
            *n += 1;
            let text = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            let related_locations = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| Location {
                    id: Some(i),
                    physical_location: physical(&l.path, &l.span, &opts.cwd),
                    message: Some(Message {
                        text: l.message.clone(),
                    }),
                })
                .collect();
            SarifResult {
                rule_id: d.code,
                rule_index,
                level: level(d.severity),
                message: Message { text },
                locations: [Location {
                    id: None,
                    physical_location: physical(&d.path, &d.span, &opts.cwd),
                    message: None,
                }],
                related_locations,
                partial_fingerprints: Fingerprints {
                    primary_location_line_hash: format!("{}:{n}", hash::hex(hash)),
                },
            }
        })
        .collect();
    let information_uri = [REPOSITORY, HOMEPAGE].into_iter().find(|u| !u.is_empty());
    let original_uri_base_ids = opts.cwd.is_absolute().then(|| {
        HashMap::from([(
            "%SRCROOT%",
            ArtifactLocation {
                uri: file_uri(&opts.cwd),
                uri_base_id: None,
            },
        )])
    });
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "pylint-recover",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            original_uri_base_ids,
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Every implemented rule, and any other code that has results, in registry order.
fn rules(diags: &[Diagnostic]) -> Vec<Rule<'static>> {
    let mut rules: Vec<Rule> = RULES
        .iter()
        .filter(|r| r.implemented || diags.iter().any(|d| d.code == r.code))
        .map(rule)
        .collect();
    for d in diags {
        if !rules.iter().any(|r| r.id == d.code) {
            let level = level(d.severity);
            rules.push(Rule {
                id: d.code,
                name: None,
                short_description: None,
                full_description: None,
                help: None,
                default_configuration: Configuration { level },
            });
        }
    }
    rules
}

/// The "What it does" section of a rule's documentation (the help carries the whole).
fn what_it_does(doc: &'static str) -> &'static str {
    let body = doc.strip_prefix("## What it does\n").unwrap_or(doc);
    body.find("\n## ").map(|end| body[..end].trim()).unwrap_or(body.trim())
}

fn rule(meta: &'static RuleMeta) -> Rule<'static> {
    Rule {
        id: meta.code,
        name: Some(meta.name),
        short_description: Some(Text { text: meta.summary }),
        full_description: Some(Text {
            text: what_it_does(meta.doc),
        }),
        help: Some(Help {
            text: meta.doc,
            markdown: meta.doc,
        }),
        default_configuration: Configuration {
            level: level(meta.severity),
        },
    }
}

fn physical(path: &Path, span: &Span, cwd: &Path) -> PhysicalLocation {
    let under_cwd = path.strip_prefix(cwd).is_ok();
    let artifact_location = if under_cwd {
        ArtifactLocation {
            uri: encode_uri_path(&paths::portable(path, cwd)),
            uri_base_id: Some("%SRCROOT%"),
        }
    } else {
        ArtifactLocation {
            uri: file_uri(path),
            uri_base_id: None,
        }
    };
    let region = Region {
        start_line: span.row,
        start_column: span.col,
        end_line: span.end_row,
        end_column: span.end_col,
    };
    PhysicalLocation {
        artifact_location,
        region,
    }
}

/// Hash of code, relative path and the trimmed text of the finding's first line (its
/// message when the file cannot be read), so the fingerprint survives lines moving.
fn line_hash(d: &Diagnostic, cache: &mut SourceCache, cwd: &Path) -> u64 {
    let path = paths::portable(&d.path, cwd);
    let file_level = d.span.start == 0 && d.span.end == 0;
    let line = if file_level {
        None
    } else {
        cache.file(&d.path).and_then(|f| f.line(d.span.row))
    };
    hash::fnv1a(&[d.code, &path, line.map_or(d.message.as_str(), str::trim)])
}

/// `file:///abs/path/` style URI of an absolute path (a trailing `/` for folders).
fn file_uri(path: &Path) -> String {
    let mut text = paths::portable(path, Path::new(""));
    if path.is_dir() && !text.ends_with('/') {
        text.push('/');
    }
    if !text.starts_with('/') {
        text.insert(0, '/'); // `C:/x` → `/C:/x`
    }
    format!("file://{}", encode_uri_path(&text))
}

/// Percent-encodes what may not appear in a URI path.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;
    use super::*;

    #[test]
    fn sarif_log() {
        let fx = fixture();
        let text = fx.redact(&render(&fx.diags, &options(&fx, OutputFormat::Sarif)));
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        let run = &log["runs"][0];
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["tool"]["driver"]["name"], "pylint-recover");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for code in ["IMP001", "PR001", "JWT001", "MIG005"] {
            assert!(rules.iter().any(|r| r["id"] == code), "{code}");
        }
        assert!(!rules.iter().any(|r| r["id"] == "ORM001"));
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
        // Everything but the registry's rules (their text changes with the docs).
        let mut results = run["results"].clone();
        results
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|r| r["ruleIndex"] = 0.into());
        insta::assert_json_snapshot!(results);
        assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://[TMP]/");
        let jwt001 = rules.iter().find(|r| r["id"] == "JWT001").unwrap();
        assert_eq!(jwt001["name"], "key-mismatch");
        assert_eq!(jwt001["defaultConfiguration"]["level"], "error");
        assert_eq!(jwt001["help"]["markdown"], crate::rules::rule("JWT001").unwrap().doc);
    }

    #[test]
    fn clean_run_has_no_results() {
        let fx = fixture();
        let text = render(&[], &options(&fx, OutputFormat::Sarif));
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
        assert!(text.starts_with("{\n  \"$schema\": "), "{text}");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri_path("app/my file#1.py"), "app/my%20file%231.py");
        assert_eq!(encode_uri_path("é.py"), "%C3%A9.py");
        assert_eq!(file_uri(Path::new("/no/such/x y.py")), "file:///no/such/x%20y.py");
    }
}
