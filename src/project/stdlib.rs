//! The standard library per Python version (generated from typeshed's `stdlib/VERSIONS`,
//! see `scripts/gen_stdlib.py`) and the Python versions a project supports.

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};
use rustc_hash::FxHashMap;
use std::str::FromStr;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/stdlib_versions.tsv");

/// Minor versions of Python 3 this tool knows the standard library of.
pub const KNOWN_MINORS: std::ops::RangeInclusive<u8> = 8..=14;

/// Modules removed before 3.9, which typeshed's table no longer lists: (name, last minor).
const OLD_REMOVALS: &[(&str, u8)] = &[
    ("dummy_threading", 8),
    ("_dummy_thread", 8),
    ("formatter", 9),
    ("parser", 9),
    ("symbol", 9),
    ("_bootlocale", 9),
    ("_peg_parser", 9),
];

/// `(first minor, last minor)` of each module; `None` last = still present.
fn table() -> &'static FxHashMap<&'static str, (u8, Option<u8>)> {
    static T: OnceLock<FxHashMap<&'static str, (u8, Option<u8>)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = FxHashMap::default();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(name), Some(min)) = (cols.next(), cols.next()) else {
                continue;
            };
            // typeshed ships these in its stdlib folder, but they are PyPI packages or
            // type-checking-only modules.
            if matches!(name, "typing_extensions" | "_typeshed" | "mypy_extensions") {
                continue;
            }
            let max = cols.next().unwrap_or("");
            let minor = |v: &str| v.strip_prefix("3.").and_then(|m| m.parse::<u8>().ok());
            let first = if min.starts_with("2.") { Some(0) } else { minor(min) };
            let Some(first) = first else { continue };
            m.insert(name, (first, if max.is_empty() { None } else { minor(max) }));
        }
        for (name, last) in OLD_REMOVALS {
            m.entry(*name).or_insert((0, Some(*last)));
        }
        m
    })
}

/// Whether `module` (dotted or top-level) is in the standard library of Python 3.`minor`.
pub fn in_stdlib(module: &str, minor: u8) -> bool {
    match table().get(module) {
        Some((first, last)) => *first <= minor && last.is_none_or(|l| minor <= l),
        None => false,
    }
}

/// Whether `module` is a standard-library module of any known version.
pub fn is_stdlib_any(module: &str) -> bool {
    table().contains_key(module)
}

/// The last minor version that has `module`, when it was removed.
pub fn removed_after(module: &str) -> Option<u8> {
    table().get(module).and_then(|(_, last)| *last)
}

/// The Python 3 minor versions a project supports, from `requires-python` (PEP 440 or
/// Poetry's `^`/`~`) with `target-version` overriding the lower bound.
pub fn supported_minors(requires_python: Option<&str>, target: Option<(u8, u8)>) -> Vec<u8> {
    let mut minors: Vec<u8> = match requires_python.and_then(parse_specifiers) {
        Some(spec) => KNOWN_MINORS
            .filter(|m| {
                [0u64, 99]
                    .iter()
                    .any(|p| spec.contains(&Version::new([3, *m as u64, *p])))
            })
            .collect(),
        // Unknown: every version still maintained or recent.
        None => (9..=14).collect(),
    };
    if let Some((3, lower)) = target {
        if let Some(&hi) = minors.iter().max() {
            minors = (lower..=hi.max(lower)).collect();
        } else {
            minors = (lower..=*KNOWN_MINORS.end()).collect();
        }
    }
    if minors.is_empty() {
        minors = (9..=14).collect();
    }
    minors
}

fn parse_specifiers(text: &str) -> Option<VersionSpecifiers> {
    let text = text.trim();
    let mut parts = Vec::new();
    for piece in text.split(',') {
        let p = piece.trim();
        if let Some(v) = p.strip_prefix('^') {
            let major = v.split('.').next()?.trim();
            let next: u64 = major.parse::<u64>().ok()? + 1;
            parts.push(format!(">={v}"));
            parts.push(format!("<{next}"));
        } else if let Some(v) = p.strip_prefix('~').filter(|v| !v.starts_with('=')) {
            let mut it = v.split('.');
            let major = it.next()?.trim();
            let minor: u64 = it.next().unwrap_or("0").parse().ok()?;
            parts.push(format!(">={v}"));
            parts.push(format!("<{major}.{}", minor + 1));
        } else if p == "*" || p.is_empty() {
            continue;
        } else if p.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            parts.push(format!("=={p}"));
        } else {
            parts.push(p.to_string());
        }
    }
    if text.contains("||") {
        return None;
    }
    VersionSpecifiers::from_str(&parts.join(",")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals() {
        assert!(in_stdlib("imp", 11));
        assert!(!in_stdlib("imp", 12));
        assert!(in_stdlib("imghdr", 12));
        assert!(!in_stdlib("imghdr", 13));
        assert!(!in_stdlib("tomllib", 10));
        assert!(in_stdlib("tomllib", 11));
        assert!(in_stdlib("os", 14));
        assert!(is_stdlib_any("__future__"));
        assert!(!is_stdlib_any("yaml"));
        assert!(!is_stdlib_any("typing_extensions"));
        assert_eq!(removed_after("distutils"), Some(11));
        assert_eq!(removed_after("parser"), Some(9));
    }

    #[test]
    fn ranges() {
        assert_eq!(supported_minors(Some(">=3.12"), None), vec![12, 13, 14]);
        assert_eq!(supported_minors(Some(">=3.8, <3.11"), None), vec![8, 9, 10]);
        assert_eq!(supported_minors(Some("^3.12"), None), vec![12, 13, 14]);
        assert_eq!(supported_minors(Some("~3.11"), None), vec![11]);
        assert_eq!(supported_minors(Some(">=3.8.1"), None), vec![8, 9, 10, 11, 12, 13, 14]);
        assert_eq!(supported_minors(Some(">=3.9"), Some((3, 11))), vec![11, 12, 13, 14]);
        assert_eq!(supported_minors(None, None), vec![9, 10, 11, 12, 13, 14]);
    }
}
