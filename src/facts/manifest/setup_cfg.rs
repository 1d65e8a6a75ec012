//! `setup.cfg` (setuptools declarative configuration), read with a small INI reader that
//! follows `configparser` defaults: `key = value` or `key: value`, indented continuation
//! lines, full-line `#`/`;` comments, keys case-insensitive.

use super::{parse_requirement, push_root, Declaration, DepKind, Include, ManifestFacts};
use crate::diagnostic::LineIndex;

/// One `key = value` of an INI file.
struct Entry<'a> {
    section: &'a str,
    /// As written.
    key: &'a str,
    /// The value's lines (first line and continuations), trimmed, with their file offsets.
    lines: Vec<(&'a str, usize)>,
}

impl Entry<'_> {
    /// Lower case with `-` as `_` (setuptools accepts both spellings).
    fn is(&self, section: &str, key: &str) -> bool {
        self.section == section && self.key.to_ascii_lowercase().replace('-', "_") == key
    }
}

fn read_ini<'a>(text: &'a str, index: &LineIndex, facts: &mut ManifestFacts) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut section: Option<&str> = None;
    let mut in_value = false;
    let mut offset = 0usize;
    for raw in text.split('\n') {
        let line_start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim().trim_start_matches('\u{feff}');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let start = line_start + (line.len() - line.trim_start().len());
        let indented = line.starts_with(char::is_whitespace);
        if indented && in_value {
            if let Some(e) = entries.last_mut() {
                e.lines.push((trimmed, start));
            }
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix('[') {
            if let Some(close) = inner.find(']') {
                section = Some(&inner[..close]);
                in_value = false;
                continue;
            }
        }
        in_value = false;
        let delim = trimmed.find(['=', ':']);
        match (section, delim) {
            (Some(section), Some(d)) => {
                let key = trimmed[..d].trim();
                let value = trimmed[d + 1..].trim();
                let value_start = start + d + 1 + (trimmed[d + 1..].len() - trimmed[d + 1..].trim_start().len());
                let mut lines = Vec::new();
                if !value.is_empty() {
                    lines.push((value, value_start));
                }
                entries.push(Entry { section, key, lines });
                in_value = true;
            }
            _ => {
                let end = start + trimmed.len();
                facts.skipped.push((trimmed.to_string(), index.span(start, end)));
            }
        }
    }
    entries
}

/// Parses a `setup.cfg`.
pub fn parse_setup_cfg(text: &str) -> ManifestFacts {
    let index = LineIndex::new(text);
    let mut facts = ManifestFacts::default();
    let entries = read_ini(text, &index, &mut facts);
    for e in &entries {
        if e.is("metadata", "name") {
            facts.project_name = e.lines.first().map(|(v, _)| v.to_string());
        } else if e.is("options", "python_requires") {
            facts.requires_python = e.lines.first().map(|(v, _)| v.to_string());
        } else if e.is("options", "install_requires") {
            facts.declares_dependencies = true;
            requirement_list(&mut facts, &index, e, DepKind::Runtime);
        } else if e.section == "options.extras_require" {
            facts.declares_dependencies = true;
            requirement_list(&mut facts, &index, e, DepKind::Optional(e.key.to_string()));
        } else if e.is("options", "package_dir") {
            for (piece, _) in pieces(e, ',') {
                if let Some((k, v)) = piece.split_once('=') {
                    if k.trim().is_empty() {
                        push_root(&mut facts.import_roots, v);
                    }
                }
            }
        } else if e.is("options.packages.find", "where") {
            for (piece, _) in pieces(e, ',') {
                push_root(&mut facts.import_roots, piece);
            }
        }
    }
    facts
}

/// setuptools `_parse_list`: a multi-line value is one item a line, a one-line value is
/// split at `sep`. Items are trimmed, with their file offsets.
fn pieces<'a>(e: &Entry<'a>, sep: char) -> Vec<(&'a str, usize)> {
    if e.lines.len() != 1 {
        return e.lines.clone();
    }
    let (line, start) = e.lines[0];
    let mut out = Vec::new();
    let mut pos = 0;
    for part in line.split(sep) {
        let lead = part.len() - part.trim_start().len();
        if !part.trim().is_empty() {
            out.push((part.trim(), start + pos + lead));
        }
        pos += part.len() + sep.len_utf8();
    }
    out
}

/// Whether a piece is a PEP 508 marker rather than a requirement: a one-line
/// `a; python_version < "3.8"` is split at `;` by setuptools.
fn is_marker(piece: &str) -> bool {
    let n = super::name_prefix_len(piece);
    let word = &piece[..n];
    let variable = matches!(
        word,
        "python_version" | "python_full_version" | "os_name" | "sys_platform" | "extra"
    ) || word.starts_with("platform_")
        || word.starts_with("implementation_");
    let rest = piece[n..].trim_start();
    variable && (rest.starts_with(['<', '>', '=', '!', '~']) || rest.starts_with("in ") || rest.starts_with("not "))
}

fn requirement_list(facts: &mut ManifestFacts, index: &LineIndex, e: &Entry, kind: DepKind) {
    if let Some(&(first, start)) = e.lines.first() {
        if let Some(files) = first.strip_prefix("file:") {
            let mut pos = start + "file:".len();
            for f in files.split(',') {
                let lead = f.len() - f.trim_start().len();
                if !f.trim().is_empty() {
                    let s = pos + lead;
                    facts.includes.push(Include {
                        path: f.trim().to_string(),
                        constraint: false,
                        kind: Some(kind.clone()),
                        span: index.span(s, s + f.trim().len()),
                    });
                }
                pos += f.len() + 1;
            }
            return;
        }
    }
    let from = facts.declarations.len();
    for (piece, start) in pieces(e, ';') {
        // A trailing ` # comment` (pkg_resources drops it).
        let piece = match piece.find(" #").or_else(|| piece.find("\t#")) {
            Some(i) => piece[..i].trim_end(),
            None => piece,
        };
        let span = index.span(start, start + piece.len());
        let last_of_list = facts.declarations.len() > from;
        if e.lines.len() == 1 && last_of_list && is_marker(piece) {
            if let Some(d) = facts.declarations.last_mut() {
                d.marker = Some(piece.to_string());
                continue;
            }
        }
        match parse_requirement(piece) {
            Some(r) => facts
                .declarations
                .push(Declaration::from_requirement(r, kind.clone(), span)),
            None => facts.skipped.push((piece.to_string(), span)),
        }
    }
}
