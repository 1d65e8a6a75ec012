//! pip requirements files (`requirements*.txt`, `*.in`), following pip's `req_file.py`:
//! `\` continuations are joined first, then `#` comments (at the start of a line or after
//! whitespace) are removed, then a line is either options or a requirement followed by
//! per-requirement options (`--hash=…`).

use super::{name_prefix_len, parse_requirement, Declaration, DepKind, Include, ManifestFacts, Requirement};
use crate::diagnostic::{LineIndex, Span};

/// Options that take a value and declare nothing.
const VALUE_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--hash",
    "--use-feature",
    "-C",
    "--config-settings",
    "--global-option",
    "--install-option",
];

/// Options without a value.
const FLAG_OPTIONS: &[&str] = &[
    "--pre",
    "--prefer-binary",
    "--require-hashes",
    "--no-index",
    "-Z",
    "--always-unzip",
];

/// Parses a pip requirements file. Every declaration is `Runtime`: whether a file holds
/// dev dependencies is decided from its name by the project index.
pub fn parse_requirements(text: &str) -> ManifestFacts {
    let index = LineIndex::new(text);
    let mut facts = ManifestFacts {
        declares_dependencies: true,
        ..ManifestFacts::default()
    };
    for line in logical_lines(text) {
        read_line(&mut facts, &index, &line);
    }
    facts
}

/// A line after joining `\` continuations, with the map back to file offsets.
struct Logical {
    text: String,
    /// `(offset in text, offset in file)` at the start of each joined piece.
    pieces: Vec<(usize, usize)>,
}

impl Logical {
    /// File offset of a text offset; `end` maps a piece boundary to the end of the
    /// previous piece rather than the start of the next.
    fn file_offset(&self, off: usize, end: bool) -> usize {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|(l, _)| if end { *l < off } else { *l <= off })
            .or(self.pieces.first());
        match piece {
            Some(&(l, f)) => f + off.saturating_sub(l),
            None => off,
        }
    }

    fn span(&self, index: &LineIndex, start: usize, end: usize) -> Span {
        index.span(self.file_offset(start, false), self.file_offset(end, true))
    }
}

/// Byte offset of the `#` that starts a comment: at the start or after whitespace.
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()))
}

fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut cur: Option<Logical> = None;
    let mut start = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let line_start = start;
        start += raw.len() + 1;
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        let mut file_start = line_start;
        if i == 0 {
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest;
                file_start += '\u{feff}'.len_utf8();
            }
        }
        let has_comment = comment_start(line).is_some();
        let continued = line.ends_with('\\') && !has_comment;
        let piece = if continued { line.trim_end_matches('\\') } else { line };
        let logical = cur.get_or_insert_with(|| Logical {
            text: String::new(),
            pieces: Vec::new(),
        });
        if !logical.text.is_empty() && line.starts_with('#') {
            // pip: a comment line ending a continuation stays a comment.
            logical.pieces.push((logical.text.len(), file_start));
            logical.text.push(' ');
        }
        logical.pieces.push((logical.text.len(), file_start));
        logical.text.push_str(piece);
        if !continued {
            out.extend(cur.take());
        }
    }
    out.extend(cur.take());
    out
}

fn read_line(facts: &mut ManifestFacts, index: &LineIndex, line: &Logical) {
    let content = match comment_start(&line.text) {
        Some(i) => &line.text[..i],
        None => &line.text[..],
    };
    let lead = content.len() - content.trim_start().len();
    let body = content.trim();
    if body.is_empty() {
        return;
    }
    if body.starts_with('-') {
        read_options(facts, index, line, lead, body);
        return;
    }
    // pip's break_args_options: tokens split on spaces up to the first one starting with `-`.
    let mut args_end = lead;
    let mut pos = lead;
    for token in content[lead..].split(' ') {
        if token.starts_with('-') {
            break;
        }
        if !token.trim().is_empty() {
            args_end = pos + token.trim_end().len();
        }
        pos += token.len() + 1;
    }
    let req = &content[lead..args_end];
    let span = line.span(index, lead, args_end);
    if is_link(req) {
        let (link, marker) = split_link_marker(req);
        if let Some(name) = name_of_link(link) {
            let r = Requirement {
                name,
                extras: Vec::new(),
                specifier: String::new(),
                marker,
                url: Some(link.trim().to_string()),
            };
            facts
                .declarations
                .push(Declaration::from_requirement(r, DepKind::Runtime, span));
        }
        return;
    }
    match parse_requirement(req) {
        Some(r) => facts
            .declarations
            .push(Declaration::from_requirement(r, DepKind::Runtime, span)),
        None => facts.skipped.push((req.to_string(), span)),
    }
}

/// Shell-like tokens of an options line, with their byte ranges in `text`.
fn tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut token = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => token.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c.is_whitespace() => break,
                None => token.push(c),
            }
            end = i + c.len_utf8();
            chars.next();
        }
        out.push((token, start, end));
    }
    out
}

fn read_options(facts: &mut ManifestFacts, index: &LineIndex, line: &Logical, lead: usize, body: &str) {
    let toks = tokens(body);
    let mut i = 0;
    while i < toks.len() {
        let (tok, start, mut end) = (&toks[i].0, toks[i].1, toks[i].2);
        i += 1;
        if !tok.starts_with('-') {
            continue; // a stray argument: pip ignores it too
        }
        let (opt, attached) = if tok.starts_with("--") {
            match tok.split_once('=') {
                Some((o, v)) => (o, Some(v.to_string())),
                None => (tok.as_str(), None),
            }
        } else if tok.len() > 2 && tok.is_char_boundary(2) {
            (&tok[..2], Some(tok[2..].to_string()))
        } else {
            (tok.as_str(), None)
        };
        let structural = matches!(
            opt,
            "-r" | "--requirement" | "-c" | "--constraint" | "-e" | "--editable"
        );
        if FLAG_OPTIONS.contains(&opt) {
            continue;
        }
        if !structural && !VALUE_OPTIONS.contains(&opt) {
            facts
                .skipped
                .push((body.to_string(), line.span(index, lead, lead + body.len())));
            return;
        }
        let value = match attached {
            Some(v) => Some(v),
            None if i < toks.len() => {
                end = toks[i].2;
                i += 1;
                Some(toks[i - 1].0.clone())
            }
            None => None,
        };
        let span = line.span(index, lead + start, lead + end);
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            facts
                .skipped
                .push((body.to_string(), line.span(index, lead, lead + body.len())));
            return;
        };
        match opt {
            "-r" | "--requirement" | "-c" | "--constraint" => facts.includes.push(Include {
                path: value,
                constraint: matches!(opt, "-c" | "--constraint"),
                kind: None,
                span,
            }),
            "-e" | "--editable" => {
                if let Some(name) = name_of_link(&value) {
                    let r = Requirement {
                        name,
                        extras: Vec::new(),
                        specifier: String::new(),
                        marker: None,
                        url: Some(value),
                    };
                    facts
                        .declarations
                        .push(Declaration::from_requirement(r, DepKind::Runtime, span));
                }
            }
            _ => {}
        }
    }
}

/// `scheme://` (or `file:`) at the start: `https://…`, `git+ssh://…`.
fn has_url_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && (s[colon + 1..].starts_with("//") || scheme.eq_ignore_ascii_case("file"))
}

const ARCHIVE_SUFFIXES: &[&str] = &[
    ".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar",
];

/// Whether a requirement line is a URL or path rather than a PEP 508 requirement.
fn is_link(req: &str) -> bool {
    let head = req.split(';').next().unwrap_or(req).trim();
    if has_url_scheme(head) {
        return true;
    }
    let n = name_prefix_len(head);
    let mut after = head[n..].trim_start();
    if n > 0 && after.starts_with('[') {
        after = after.find(']').map_or("", |i| after[i + 1..].trim_start());
    }
    if n > 0 && after.starts_with('@') {
        return false; // `name @ url`
    }
    if head.starts_with(['.', '/', '\\', '~']) || head.contains(['/', '\\']) {
        return true;
    }
    let lower = head.to_ascii_lowercase();
    ARCHIVE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// pip splits the marker of a URL line at `; `.
fn split_link_marker(req: &str) -> (&str, Option<String>) {
    let cut = req
        .char_indices()
        .find(|&(i, c)| c == ';' && req[i + 1..].starts_with(char::is_whitespace));
    match cut {
        Some((i, _)) => {
            let marker = req[i + 1..].trim();
            (&req[..i], (!marker.is_empty()).then(|| marker.to_string()))
        }
        None => (req, None),
    }
}

/// The distribution name of a URL or path when it is knowable: `#egg=name`, a VCS URL
/// ending in `/name.git`, or a wheel file name.
pub(super) fn name_of_link(link: &str) -> Option<String> {
    let link = link.trim();
    let (base, fragment) = match link.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (link, None),
    };
    for part in fragment.unwrap_or("").split('&') {
        if let Some(egg) = part.trim().strip_prefix("egg=") {
            let n = name_prefix_len(egg);
            if n > 0 {
                return Some(egg[..n].to_string());
            }
        }
    }
    let base = base.split('?').next().unwrap_or(base).trim_end_matches(['/', '\\']);
    let last = base.rsplit(['/', '\\']).next().unwrap_or(base);
    if last.len() < base.len() {
        let stem = last.split('@').next().unwrap_or(last);
        if let Some(name) = stem.strip_suffix(".git") {
            if !name.is_empty() && name_prefix_len(name) == name.len() {
                return Some(name.to_string());
            }
        }
    }
    if let Some(stem) = last.strip_suffix(".whl") {
        let name = stem.split('-').next().unwrap_or("");
        if !name.is_empty() && name_prefix_len(name) == name.len() && stem.contains('-') {
            return Some(name.to_string());
        }
    }
    None
}
