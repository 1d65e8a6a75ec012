//! `gitlab` format: a GitLab Code Quality report (a JSON array of issues with
//! `description`, `check_name`, `fingerprint`, `severity`, `location`), which merge
//! requests show as code quality findings.
//!
//! Fingerprints are FNV-1a of code, relative path and message, so a finding keeps its
//! fingerprint when lines move; identical findings in one file get distinct ones.

use super::{hash, paths};
use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut seen = HashSet::new();
    let issues: Vec<_> = diags
        .iter()
        .map(|d| {
            let path = paths::portable(&d.path, &opts.cwd);
            let mut fingerprint = hash::fnv1a(&[d.code, &path, &d.message]);
            // The n-th identical finding of a file: hash the previous fingerprint again.
            while !seen.insert(fingerprint) {
                fingerprint = hash::fnv1a(&[&hash::hex(fingerprint)]);
            }
            Issue {
                description: format!("{} {}", d.code, d.message),
                check_name: d.code,
                fingerprint: hash::hex(fingerprint),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path,
                    lines: Lines {
                        begin: d.span.row,
                        end: d.span.end_row,
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;

    #[test]
    fn code_quality_report() {
        let fx = fixture();
        let text = render(&fx.diags, &options(&fx, OutputFormat::Gitlab));
        insta::assert_snapshot!(text);
        assert_eq!(render(&[], &options(&fx, OutputFormat::Gitlab)), "[]\n");
    }

    #[test]
    fn fingerprints_are_stable_and_unique() {
        let fx = fixture();
        let twice = vec![fx.diags[0].clone(), fx.diags[0].clone()];
        let text = render(&twice, &options(&fx, OutputFormat::Gitlab));
        let issues: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let first = issues[0]["fingerprint"].as_str().unwrap();
        let second = issues[1]["fingerprint"].as_str().unwrap();
        assert_ne!(first, second);
        assert_eq!(first.len(), 16);
        // Same inputs, same value on every platform and Rust version.
        assert_eq!(
            first,
            super::hash::hex(super::hash::fnv1a(&["JWT001", "app/api.py", &fx.diags[0].message]))
        );
    }
}
