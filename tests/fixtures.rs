//! The annotated-fixture harness: every `fixtures/<family>/<case>/` is a small project;
//! each `# expect: CODE` comment marks a line where that code must be reported, and
//! every other finding is a false alarm. Codes of rules this release does not implement
//! are listed as pending, not asserted.

use pylint_recover::check::{self, CheckOptions};
use pylint_recover::rules::registry;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

type Expectation = (String, u32, String);

fn expectations(case: &Path) -> BTreeSet<Expectation> {
    let mut out = BTreeSet::new();
    for entry in walkdir::WalkDir::new(case).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(case).unwrap().to_string_lossy().to_string();
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let Some(pos) = line.find("# expect:").or_else(|| line.find("#expect:")) else {
                continue;
            };
            let rest = &line[pos..];
            let rest = &rest[rest.find(':').unwrap() + 1..];
            for code in rest.split(',') {
                let code: String = code.trim().chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if code.len() >= 5 {
                    out.insert((rel.clone(), i as u32 + 1, code));
                }
            }
        }
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for family in std::fs::read_dir(&root).unwrap().flatten() {
        if !family.path().is_dir() {
            continue;
        }
        for case in std::fs::read_dir(family.path()).unwrap().flatten() {
            if case.path().is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

fn implemented(code: &str) -> bool {
    registry::rule(code).is_some_and(|r| r.implemented)
}

#[test]
fn fixtures_match_annotations() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut pending = 0;
    for case in cases() {
        let expected = expectations(&case);
        let result = check::run(&CheckOptions {
            paths: vec![case.clone()],
            ..CheckOptions::default()
        })
        .unwrap();
        let mut matched = BTreeSet::new();
        for d in &result.diagnostics {
            let rel = d.path.strip_prefix(&case).unwrap().to_string_lossy().to_string();
            let hit: Vec<&Expectation> = expected
                .iter()
                .filter(|(f, row, code)| *f == rel && code == d.code && d.span.row <= *row && *row <= d.span.end_row)
                .collect();
            if hit.is_empty() {
                failures.push(format!(
                    "false alarm {}: {rel}:{}:{} {} {}",
                    case.display(),
                    d.span.row,
                    d.span.col,
                    d.code,
                    d.message
                ));
            }
            matched.extend(hit.into_iter().cloned());
        }
        for e in &expected {
            if !implemented(&e.2) {
                pending += 1;
                continue;
            }
            checked += 1;
            if !matched.contains(e) {
                failures.push(format!("missed {}: {}:{} {}", case.display(), e.0, e.1, e.2));
            }
        }
        if case.join("CLEAN").exists() {
            assert!(expected.is_empty(), "{} is CLEAN but has expectations", case.display());
        }
    }
    eprintln!("fixtures: {checked} expectations checked, {pending} pending (rules not implemented yet)");
    assert!(checked > 20, "the harness found too few expectations: {checked}");
    assert!(
        failures.is_empty(),
        "{} fixture mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
