//! Command lines: extracts the commands of shell scripts, Makefile recipes, Dockerfile
//! `RUN`/`CMD`/`ENTRYPOINT`, compose and CI YAML, Procfile, `tox.ini`, justfile recipes,
//! `pyproject.toml` task tables and literal commands in Python calls, each with the span
//! where it is written and, when it stamps the Alembic version table, that stamp.
//!
//! Not for judging them: the MIG rules do that. Shell words are read by `super::shell`.

use super::imports::Import;
use super::shell;
use super::{CommandLine, Constant, Value};
use crate::diagnostic::{LineIndex, Span};
use std::collections::HashMap;
use std::path::Path;

/// Text pieced together from parts of a source file, mapping back to source offsets.
#[derive(Default)]
struct Mapped {
    text: String,
    /// (offset in `text`, offset in the source, synthetic: expanded, not written there)
    map: Vec<(usize, usize, bool)>,
}

impl Mapped {
    fn push(&mut self, s: &str, src: usize) {
        self.map.push((self.text.len(), src, false));
        self.text.push_str(s);
    }

    fn push_synthetic(&mut self, s: &str, src: usize) {
        self.map.push((self.text.len(), src, true));
        self.text.push_str(s);
    }

    fn to_src(&self, off: usize) -> usize {
        let i = self.map.partition_point(|(t, _, _)| *t <= off);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some((t, s, false)) => s + (off - t),
            Some((_, s, true)) => *s,
            None => 0,
        }
    }
}

/// Emits the simple commands of a shell text.
fn emit_shell(m: &Mapped, src: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    if m.text.trim().is_empty() {
        return;
    }
    for c in shell::commands(&m.text) {
        let start = m.to_src(c.start).min(src.len());
        let mut end = (m.to_src(c.end.saturating_sub(1)) + 1).min(src.len());
        if end <= start {
            end = (start + 1).min(src.len());
        }
        while !src.is_char_boundary(end) && end < src.len() {
            end += 1;
        }
        out.push(CommandLine {
            text: m.text[c.start..c.end].to_string(),
            span: index.span(start, end),
            stamp: c.stamp,
            call: None,
        });
    }
}

/// Emits one command given as an argument vector (exec form, YAML/TOML lists).
fn emit_argv(words: Vec<String>, span: Span, out: &mut Vec<CommandLine>) {
    if words.is_empty() {
        return;
    }
    out.push(CommandLine {
        stamp: shell::stamp_of_words(&words),
        text: words.join(" "),
        span,
        call: None,
    });
}

/// The command lines of a command file (shell script, Makefile, Dockerfile, YAML, ...).
pub fn extract(path: &Path, text: &str) -> Vec<CommandLine> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    if name.starts_with("Dockerfile") || lower.ends_with(".dockerfile") || lower == "containerfile" {
        dockerfile(text, &index, &mut out);
    } else if matches!(name, "Makefile" | "makefile" | "GNUmakefile") || lower.ends_with(".mk") {
        makefile(text, &index, &mut out);
    } else if name == "Procfile" || name.starts_with("Procfile.") {
        procfile(text, &index, &mut out);
    } else if name == "tox.ini" {
        tox(text, &index, &mut out);
    } else if lower == "justfile" || lower == ".justfile" || lower.ends_with(".just") {
        justfile(text, &index, &mut out);
    } else if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        yaml(text, &index, &mut out);
    } else {
        let mut m = Mapped::default();
        m.push(text, 0);
        emit_shell(&m, text, &index, &mut out);
    }
    out
}

/// Physical lines with their byte offsets (without the line break).
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        out.push((start, line.strip_suffix('\r').unwrap_or(line)));
        start += line.len() + 1;
    }
    out
}

fn dockerfile(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    let ls = lines(text);
    let mut i = 0;
    while i < ls.len() {
        let (off, line) = ls[i];
        let trimmed = line.trim_start();
        i += 1;
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // The instruction's physical lines (continuations end with `\`; comment lines
        // inside are dropped by Docker).
        let mut pieces = vec![(off + (line.len() - trimmed.len()), trimmed)];
        let mut last = line;
        while last.trim_end().ends_with('\\') && i < ls.len() {
            let (o, l) = ls[i];
            i += 1;
            if l.trim_start().starts_with('#') {
                continue;
            }
            pieces.push((o, l));
            last = l;
        }
        let keyword: String = trimmed.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        if !matches!(keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            continue;
        }
        let (first_off, first) = pieces[0];
        let mut rest_at = first.find(char::is_whitespace).unwrap_or(first.len());
        // `RUN --mount=... --network=...` flags.
        loop {
            let r = &first[rest_at..];
            let ws = r.len() - r.trim_start().len();
            if keyword == "RUN" && r.trim_start().starts_with("--") {
                let flag_len = r.trim_start().find(char::is_whitespace).unwrap_or(r.trim_start().len());
                rest_at += ws + flag_len;
            } else {
                rest_at += ws;
                break;
            }
        }
        let end_off = pieces.last().map(|(o, l)| o + l.len()).unwrap_or(first_off);
        if first[rest_at..].starts_with('[') {
            let joined: String = pieces
                .iter()
                .enumerate()
                .map(|(k, (_, l))| {
                    let l = if k == 0 { &first[rest_at..] } else { l };
                    l.trim_end().trim_end_matches('\\').to_string()
                })
                .collect::<Vec<_>>()
                .join(" ");
            // A trailing comment after the array (`CMD [...]  # noqa: ...`).
            let joined = match joined.rfind(']') {
                Some(p) if joined[p + 1..].trim_start().starts_with('#') => joined[..=p].to_string(),
                _ => joined,
            };
            if let Ok(words) = serde_json::from_str::<Vec<String>>(&joined) {
                emit_argv(words, index.span(first_off + rest_at, end_off), out);
                continue;
            }
        }
        if first[rest_at..].starts_with("<<") {
            continue;
        }
        let mut m = Mapped::default();
        for (k, (o, l)) in pieces.iter().enumerate() {
            if k == 0 {
                m.push(&first[rest_at..], first_off + rest_at);
            } else {
                m.push(l, *o);
            }
            m.push_synthetic("\n", o + l.len());
        }
        emit_shell(&m, text, index, out);
    }
}

/// `NAME = value` definitions of a Makefile (`:=`, `?=`, `::=`, `+=`, `export`, `override`).
fn make_vars(text: &str) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        if line.starts_with('\t') {
            continue;
        }
        let l = line.trim();
        let l = l.strip_prefix("export ").unwrap_or(l);
        let l = l.strip_prefix("override ").unwrap_or(l);
        let Some(eq) = l.find('=') else { continue };
        let mut name_end = eq;
        let op_start = l[..eq].trim_end_matches([':', '?', '+', '!']).len();
        let append = l[op_start..eq].contains('+');
        name_end = name_end.min(op_start);
        let name = l[..name_end].trim();
        if name.is_empty()
            || !name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        {
            continue;
        }
        let value = l[eq + 1..].trim();
        let value = value.split(" #").next().unwrap_or(value).trim().to_string();
        if append {
            let e = vars.entry(name.to_string()).or_default();
            e.push(' ');
            e.push_str(&value);
        } else if !(l[op_start..eq].contains('?') && vars.contains_key(name)) {
            vars.insert(name.to_string(), value);
        }
    }
    vars
}

/// Expands `$(NAME)`/`${NAME}` in a Makefile value (undefined names kept as `${NAME}`).
fn make_expand(s: &str, vars: &HashMap<String, String>, depth: usize) -> String {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            match b[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                    continue;
                }
                open @ (b'(' | b'{') => {
                    let close = if open == b'(' { ')' } else { '}' };
                    if let Some(p) = s[i + 2..].find(close) {
                        let name = &s[i + 2..i + 2 + p];
                        match vars.get(name) {
                            Some(v) if depth < 8 => out.push_str(&make_expand(v, vars, depth + 1)),
                            _ => {
                                out.push_str("${");
                                out.push_str(name);
                                out.push('}');
                            }
                        }
                        i += 3 + p;
                        continue;
                    }
                }
                _ => {}
            }
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Pushes a Makefile recipe piece, expanding variables as synthetic text.
fn push_make(m: &mut Mapped, piece: &str, off: usize, vars: &HashMap<String, String>) {
    let b = piece.as_bytes();
    let mut i = 0;
    let mut lit = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            let end = match b[i + 1] {
                b'(' => piece[i + 2..].find(')').map(|p| i + 3 + p),
                b'{' => piece[i + 2..].find('}').map(|p| i + 3 + p),
                _ => Some(i + 2),
            };
            if let Some(end) = end {
                m.push(&piece[lit..i], off + lit);
                m.push_synthetic(&make_expand(&piece[i..end], vars, 0), off + i);
                i = end;
                lit = end;
                continue;
            }
        }
        i += 1;
    }
    m.push(&piece[lit..], off + lit);
}

fn makefile(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    let vars = make_vars(text);
    let ls = lines(text);
    let mut i = 0;
    while i < ls.len() {
        let (off, line) = ls[i];
        i += 1;
        let Some(body) = line.strip_prefix('\t') else { continue };
        let mut m = Mapped::default();
        let prefix = body.len() - body.trim_start_matches(['@', '-', '+', ' ', '\t']).len();
        push_make(&mut m, &body[prefix..], off + 1 + prefix, &vars);
        let mut last = line;
        while last.ends_with('\\') && i < ls.len() {
            let (o, l) = ls[i];
            i += 1;
            m.push_synthetic("\n", o);
            let (skip, l2) = match l.strip_prefix('\t') {
                Some(r) => (1, r),
                None => (0, l),
            };
            push_make(&mut m, l2, o + skip, &vars);
            last = l;
        }
        emit_shell(&m, text, index, out);
    }
}

fn procfile(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    for (off, line) in lines(text) {
        if line.trim_start().starts_with('#') {
            continue;
        }
        if let Some(colon) = line.find(':') {
            let mut m = Mapped::default();
            m.push(&line[colon + 1..], off + colon + 1);
            emit_shell(&m, text, index, out);
        }
    }
}

fn tox(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    let ls = lines(text);
    let mut in_commands = false;
    for (off, line) in ls {
        let trimmed = line.trim_start();
        let indented = line.len() != trimmed.len();
        let value: Option<(usize, &str)> = if !indented && !trimmed.is_empty() {
            in_commands = false;
            match trimmed.split_once('=') {
                Some((key, v)) if matches!(key.trim(), "commands" | "commands_pre" | "commands_post") => {
                    in_commands = true;
                    Some((line.len() - v.len(), v))
                }
                _ => None,
            }
        } else if in_commands {
            Some((line.len() - trimmed.len(), trimmed))
        } else {
            None
        };
        let Some((at, v)) = value else { continue };
        let lead = v.len() - v.trim_start_matches([' ', '\t', '-', '!']).len();
        let mut m = Mapped::default();
        m.push(&v[lead..], off + at + lead);
        emit_shell(&m, text, index, out);
    }
}

fn justfile(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    let mut vars: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        if let Some((name, v)) = line.split_once(":=") {
            let name = name.trim().trim_start_matches("export ").trim();
            if !line.starts_with([' ', '\t'])
                && name
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            {
                vars.insert(name.to_string(), v.trim().trim_matches(['"', '\'']).to_string());
            }
        }
    }
    let mut in_recipe = false;
    let mut skip_body = false;
    let mut first_body = false;
    for (off, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if line.len() == trimmed.len() {
            let header = !trimmed.starts_with('#')
                && trimmed.contains(':')
                && !trimmed.contains(":=")
                && !["set ", "alias ", "export ", "import ", "mod "]
                    .iter()
                    .any(|p| trimmed.starts_with(p));
            in_recipe = header;
            skip_body = false;
            first_body = true;
            continue;
        }
        if !in_recipe || skip_body {
            continue;
        }
        if first_body {
            first_body = false;
            if trimmed.starts_with("#!") {
                skip_body = !SHELL_SHEBANG.iter().any(|s| trimmed.contains(s));
                continue;
            }
        }
        let body = trimmed.trim_start_matches(['@', '-']);
        let at = off + (line.len() - body.len());
        let mut m = Mapped::default();
        let mut rest = body;
        let mut pos = at;
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}") else { break };
            m.push(&rest[..open], pos);
            let name = rest[open + 2..open + close].trim();
            let value = vars.get(name).cloned().unwrap_or_else(|| format!("${{{name}}}"));
            m.push_synthetic(&value, pos + open);
            pos += open + close + 2;
            rest = &rest[open + close + 2..];
        }
        m.push(rest, pos);
        emit_shell(&m, text, index, out);
    }
}

const SHELL_SHEBANG: &[&str] = &["/sh", "/bash", "env sh", "env bash", "/zsh", "env zsh", "/dash"];

/// Whether the first line of a file is a shell shebang.
pub fn is_shell_shebang(first_line: &str) -> bool {
    first_line.starts_with("#!")
        && SHELL_SHEBANG.iter().any(|s| {
            let l = first_line.split_whitespace().collect::<Vec<_>>().join(" ");
            l.contains(s) && {
                let after = &l[l.find(s).unwrap_or(0) + s.len()..];
                after.is_empty() || after.starts_with([' ', '-'])
            }
        })
}

// ---------------------------------------------------------------------------------------
// YAML: compose files and CI pipelines.

/// Keys whose string value is shell text, and whose list items are shell lines.
const YAML_SCRIPT_KEYS: &[&str] = &["run", "script", "before_script", "after_script", "pre_script"];
/// Keys whose string value is shell-split, and whose list is one argument vector.
const YAML_ARGV_KEYS: &[&str] = &["command", "entrypoint"];

struct Events(Vec<(yaml_rust2::Event, usize)>);

impl yaml_rust2::parser::MarkedEventReceiver for Events {
    fn on_event(&mut self, ev: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        self.0.push((ev, mark.line()));
    }
}

enum Frame {
    Map,
    Seq {
        key: Option<String>,
        items: Vec<(String, usize)>,
        start: usize,
    },
}

/// Finds the lines of a YAML/TOML string value in the source, from `row` on.
fn locate(value: &str, row: usize, ls: &[(usize, &str)]) -> Mapped {
    let mut m = Mapped::default();
    let mut r = row.max(1);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (k, l) in value.split('\n').enumerate() {
        let base = ls.get(r - 1).map(|x| x.0).unwrap_or(0);
        if k > 0 {
            m.push_synthetic("\n", base);
        }
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let mut found = None;
        'search: for n in (1..=words.len().min(6)).rev() {
            let needle = words[..n].join(" ");
            for (ri, (o, line)) in ls.iter().enumerate().skip(r - 1).take(400) {
                if let Some(p) = line.find(&needle).or_else(|| {
                    if norm(line).contains(&needle) {
                        line.find(words[0])
                    } else {
                        None
                    }
                }) {
                    found = Some((ri + 1, o + p));
                    break 'search;
                }
            }
        }
        match found {
            Some((ri, at)) => {
                m.push(t, at);
                r = ri;
            }
            None => m.push_synthetic(t, base),
        }
    }
    m
}

fn yaml(text: &str, index: &LineIndex, out: &mut Vec<CommandLine>) {
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    let mut events = Events(Vec::new());
    let _ = parser.load(&mut events, true);
    let ls = lines(text);
    let line_span = |a: usize, b: usize| {
        let s = ls
            .get(a.max(1) - 1)
            .map(|x| x.0 + (x.1.len() - x.1.trim_start().len()))
            .unwrap_or(0);
        let e = ls.get(b.max(1) - 1).map(|x| x.0 + x.1.len()).unwrap_or(text.len());
        index.span(s.min(text.len()), e.max(s).min(text.len()))
    };
    let mut stack: Vec<Frame> = Vec::new();
    // For a map on top: the pending key (waiting for its value).
    let mut pending: Vec<Option<(String, usize)>> = Vec::new();
    use yaml_rust2::Event;
    for (ev, line) in events.0 {
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let (key, key_line) = match stack.last() {
                    Some(Frame::Map) => match pending.last_mut().and_then(|p| p.take()) {
                        Some((k, l)) => (Some(k), l),
                        None => (None, line),
                    },
                    Some(Frame::Seq { key, .. }) => (key.clone().map(|k| format!("{k}[]")), line),
                    None => (None, line),
                };
                if matches!(ev, Event::MappingStart(..)) {
                    let _ = key;
                    stack.push(Frame::Map);
                    pending.push(None);
                } else {
                    stack.push(Frame::Seq {
                        key,
                        items: Vec::new(),
                        start: key_line.min(line),
                    });
                    pending.push(None);
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                pending.pop();
                if let Some(Frame::Seq {
                    key: Some(k),
                    items,
                    start,
                }) = stack.pop()
                {
                    if YAML_ARGV_KEYS.contains(&k.as_str()) && !items.is_empty() {
                        let last = items.last().map(|x| x.1).unwrap_or(start);
                        let words = items.into_iter().map(|x| x.0).collect();
                        emit_argv(words, line_span(start, last), out);
                    }
                }
            }
            Event::Scalar(v, ..) => match stack.last_mut() {
                Some(Frame::Map) => {
                    let slot = pending.last_mut().expect("a map has a pending slot");
                    match slot.take() {
                        None => *slot = Some((v, line)),
                        Some((key, _)) => {
                            if YAML_SCRIPT_KEYS.contains(&key.as_str()) || YAML_ARGV_KEYS.contains(&key.as_str()) {
                                emit_shell(&locate(&v, line, &ls), text, index, out);
                            }
                        }
                    }
                }
                Some(Frame::Seq { key, items, .. }) => match key.as_deref() {
                    Some(k) if YAML_SCRIPT_KEYS.contains(&k) => emit_shell(&locate(&v, line, &ls), text, index, out),
                    Some(k) if YAML_ARGV_KEYS.contains(&k) => items.push((v, line)),
                    _ => {}
                },
                None => {}
            },
            Event::Alias(..) => {
                if let (Some(Frame::Map), Some(slot)) = (stack.last(), pending.last_mut()) {
                    if slot.take().is_none() {
                        *slot = Some((String::new(), line));
                    }
                }
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------
// pyproject.toml task tables.

/// Commands of task runners declared in `pyproject.toml` (poe, taskipy, PDM, hatch, rye).
pub fn pyproject_tasks(text: &str) -> Vec<CommandLine> {
    use toml_edit::{Document, Item};
    let mut out = Vec::new();
    if !text.contains("[tool.") {
        return out;
    }
    let Ok(doc) = Document::parse(text) else {
        return out;
    };
    let index = LineIndex::new(text);
    let ls = lines(text);
    let root = doc.as_table();
    let tool = match root.get("tool").and_then(Item::as_table_like) {
        Some(t) => t,
        None => return out,
    };
    let mut cx = TomlCx {
        text,
        index: &index,
        ls: &ls,
        out: &mut out,
    };
    let sub = |path: &[&str]| -> Option<&dyn toml_edit::TableLike> {
        let mut t: &dyn toml_edit::TableLike = tool;
        for p in path {
            t = t.get(p)?.as_table_like()?;
        }
        Some(t)
    };
    for path in [
        &["poe", "tasks"][..],
        &["taskipy", "tasks"],
        &["pdm", "scripts"],
        &["rye", "scripts"],
    ] {
        if let Some(t) = sub(path) {
            for (name, item) in t.iter() {
                if name == "_" {
                    continue;
                }
                cx.task(item, path[0]);
            }
        }
    }
    if let Some(envs) = sub(&["hatch", "envs"]) {
        for (_, env) in envs.iter() {
            if let Some(scripts) = env
                .as_table_like()
                .and_then(|e| e.get("scripts"))
                .and_then(Item::as_table_like)
            {
                for (_, item) in scripts.iter() {
                    cx.task(item, "hatch");
                }
            }
        }
    }
    out
}

struct TomlCx<'a> {
    text: &'a str,
    index: &'a LineIndex<'a>,
    ls: &'a [(usize, &'a str)],
    out: &'a mut Vec<CommandLine>,
}

impl TomlCx<'_> {
    fn shell_string(&mut self, s: &str, range: Option<std::ops::Range<usize>>) {
        let row = range.map(|r| self.index.location(r.start).0 as usize).unwrap_or(1);
        let m = locate(s, row, self.ls);
        emit_shell(&m, self.text, self.index, self.out);
    }

    fn argv(&mut self, a: &toml_edit::Array) {
        let words: Vec<String> = a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        let span = a.span().map(|r| self.index.span(r.start, r.end)).unwrap_or_default();
        emit_argv(words, span, self.out);
    }

    /// One task: a string command, a list (sequence/composite or argv), or a table.
    fn task(&mut self, item: &toml_edit::Item, runner: &str) {
        if let Some(s) = item.as_str() {
            self.shell_string(s, item.span());
        } else if let Some(a) = item.as_array() {
            self.list(a, runner);
        } else if let Some(t) = item.as_table_like() {
            for key in ["cmd", "shell", "sequence", "composite", "chain", "call"] {
                let Some(v) = t.get(key) else { continue };
                if key == "call" {
                    continue;
                }
                if let Some(s) = v.as_str() {
                    self.shell_string(s, v.span());
                } else if let Some(a) = v.as_array() {
                    if key == "cmd" && runner != "hatch" {
                        self.argv(a);
                    } else {
                        self.list(a, runner);
                    }
                }
            }
        }
    }

    fn list(&mut self, a: &toml_edit::Array, runner: &str) {
        // rye/pdm: a list under `cmd` is argv; hatch/poe/pdm composite: each item a command.
        if runner == "rye" {
            self.argv(a);
            return;
        }
        for v in a.iter() {
            if let Some(s) = v.as_str() {
                self.shell_string(s, v.span());
            } else if let Some(t) = v.as_inline_table() {
                for key in ["cmd", "shell"] {
                    if let Some(s) = t.get(key).and_then(|x| x.as_str()) {
                        self.shell_string(s, t.get(key).and_then(|x| x.span()));
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Python: literal commands and Alembic / Flask-Migrate API calls.

const SUBPROCESS: &[&str] = &[
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "os.system",
    "os.popen",
    "asyncio.create_subprocess_shell",
    "asyncio.create_subprocess_exec",
];

/// Import bindings of a module: local name → dotted origin.
fn bindings(imports: &[Import]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for imp in imports {
        if imp.level > 0 {
            continue;
        }
        if imp.names.is_empty() {
            match &imp.alias {
                Some(a) => map.insert(a.clone(), imp.module.clone()),
                None => {
                    let top = imp.module.split('.').next().unwrap_or("").to_string();
                    map.insert(top.clone(), top)
                }
            };
        } else {
            for n in &imp.names {
                let bound = n.alias.clone().unwrap_or_else(|| n.name.clone());
                map.insert(bound, format!("{}.{}", imp.module, n.name));
            }
        }
    }
    map
}

struct PyCx<'a> {
    src: &'a str,
    index: &'a LineIndex<'a>,
    names: HashMap<String, String>,
    constants: HashMap<&'a str, &'a str>,
}

impl<'a> PyCx<'a> {
    fn text(&self, n: tree_sitter::Node) -> &'a str {
        n.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    fn resolve(&self, func: &str) -> String {
        let compact: String = func.chars().filter(|c| !c.is_whitespace()).collect();
        let (head, rest) = match compact.find(['.', '(']) {
            Some(p) => (&compact[..p], &compact[p..]),
            None => (compact.as_str(), ""),
        };
        match self.names.get(head) {
            Some(full) => format!("{full}{rest}"),
            None => compact.clone(),
        }
    }

    /// A literal string (or a module constant holding one).
    fn string(&self, n: tree_sitter::Node) -> Option<String> {
        match n.kind() {
            "string" | "concatenated_string" => {
                if n.kind() == "concatenated_string" {
                    let mut s = String::new();
                    let mut c = n.walk();
                    for p in n.named_children(&mut c) {
                        s.push_str(&super::python::string_literal(self.text(p))?);
                    }
                    return Some(s);
                }
                super::python::string_literal(self.text(n))
            }
            "identifier" => self.constants.get(self.text(n)).map(|s| s.to_string()),
            _ => None,
        }
    }

    /// A word of an argument vector: a literal, `sys.executable` as `python`, else `$X`.
    fn word(&self, n: tree_sitter::Node) -> String {
        if let Some(s) = self.string(n) {
            return s;
        }
        let t = self.text(n);
        if t == "sys.executable" || t.ends_with("executable") {
            return "python".to_string();
        }
        "${?}".to_string()
    }
}

/// Commands in Python calls; `in_except` marks stamps in an `except` branch.
pub fn python(
    root: tree_sitter::Node,
    src: &str,
    index: &LineIndex,
    imports: &[Import],
    constants: &[Constant],
) -> Vec<CommandLine> {
    let cx = PyCx {
        src,
        index,
        names: bindings(imports),
        constants: constants
            .iter()
            .filter_map(|c| match &c.value {
                Value::Str(s) => Some((c.name.as_str(), s.as_str())),
                _ => None,
            })
            .collect(),
    };
    let mut out = Vec::new();
    let mut stack = vec![(root, false, 0usize)];
    while let Some((node, in_except, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        if node.kind() == "call" {
            if let Some(mut c) = call(&cx, node) {
                if let Some(st) = c.stamp.as_mut() {
                    st.fallback |= in_except;
                }
                out.push(c);
            }
        }
        let in_except = in_except || node.kind() == "except_clause" || node.kind() == "except_group_clause";
        // `if result.returncode != 0:` after running an upgrade: its body is a fallback.
        let failed_check = node.kind() == "if_statement"
            && node
                .child_by_field_name("condition")
                .is_some_and(|c| cx.text(c).contains("returncode"));
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            let branch = failed_check && node.child_by_field_name("consequence") == Some(child);
            stack.push((child, in_except || branch, depth + 1));
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

/// A line of Python without its trailing comment (a `#` outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return &line[..i],
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            _ => {}
        }
    }
    line
}

fn call(cx: &PyCx, node: tree_sitter::Node) -> Option<CommandLine> {
    let func = node.child_by_field_name("function")?;
    let resolved = cx.resolve(cx.text(func));
    let args = node.child_by_field_name("arguments")?;
    let mut positional = Vec::new();
    let mut keywords: HashMap<&str, tree_sitter::Node> = HashMap::new();
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "keyword_argument" => {
                if let (Some(k), Some(v)) = (a.child_by_field_name("name"), a.child_by_field_name("value")) {
                    keywords.insert(cx.text(k), v);
                }
            }
            "comment" => {}
            _ => positional.push(a),
        }
    }
    let span = cx.index.span(node.start_byte(), node.end_byte());
    let call_text = {
        let t = cx.text(node);
        let code: Vec<&str> = t.lines().map(strip_comment).collect();
        let one: String = code.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        let one = one.replace("( ", "(").replace(", )", ")").replace(" )", ")");
        if one.chars().count() > 80 {
            format!("{}…", one.chars().take(79).collect::<String>())
        } else {
            one
        }
    };
    let api = |revision: Option<tree_sitter::Node>, default_head: bool, tool: &str| -> Option<CommandLine> {
        let mut revisions = Vec::new();
        match revision {
            Some(r) => match r.kind() {
                "list" | "tuple" => {
                    let mut c = r.walk();
                    for x in r.named_children(&mut c) {
                        revisions.push(cx.string(x).unwrap_or_else(|| format!("{{{}}}", cx.text(x))));
                    }
                }
                "none" if default_head => {}
                _ => revisions.push(cx.string(r).unwrap_or_else(|| format!("{{{}}}", cx.text(r)))),
            },
            None if default_head => {}
            None => return None,
        }
        let flag = |k: &str| keywords.get(k).is_some_and(|v| cx.text(*v) == "True");
        Some(CommandLine {
            text: format!("{tool} stamp {}", revisions.join(" ")).trim_end().to_string(),
            span,
            stamp: Some(shell::Stamp {
                revisions,
                purge: flag("purge"),
                sql: flag("sql"),
                fallback: false,
                command: call_text.clone(),
            }),
            call: Some(call_text.clone()),
        })
    };
    match resolved.as_str() {
        "alembic.command.stamp" => {
            return api(
                keywords.get("revision").copied().or(positional.get(1).copied()),
                false,
                "alembic",
            );
        }
        "flask_migrate.stamp" => {
            return api(
                keywords.get("revision").copied().or(positional.get(1).copied()),
                true,
                "flask db",
            );
        }
        "alembic.config.main" | "alembic.config.CommandLine().main" | "alembic.config.CommandLine.main" => {
            let argv = keywords.get("argv").copied().or(positional.first().copied())?;
            if !matches!(argv.kind(), "list" | "tuple") {
                return None;
            }
            let mut words = vec!["alembic".to_string()];
            let mut c = argv.walk();
            words.extend(argv.named_children(&mut c).map(|x| cx.word(x)));
            let stamp = shell::stamp_of_words(&words)?;
            return Some(CommandLine {
                text: words.join(" "),
                span,
                stamp: Some(shell::Stamp {
                    command: call_text.clone(),
                    ..stamp
                }),
                call: Some(call_text),
            });
        }
        _ => {}
    }
    if !SUBPROCESS.contains(&resolved.as_str()) {
        return None;
    }
    let (text, stamp) = if resolved == "asyncio.create_subprocess_exec" {
        let words: Vec<String> = positional.iter().map(|x| cx.word(*x)).collect();
        (words.join(" "), shell::stamp_of_words(&words))
    } else {
        let first = keywords.get("args").copied().or(positional.first().copied())?;
        match first.kind() {
            "list" | "tuple" => {
                let mut c = first.walk();
                let words: Vec<String> = first.named_children(&mut c).map(|x| cx.word(x)).collect();
                (words.join(" "), shell::stamp_of_words(&words))
            }
            _ => {
                let s = cx.string(first)?;
                let stamp = shell::commands(&s).into_iter().find_map(|c| c.stamp);
                (s, stamp)
            }
        }
    };
    Some(CommandLine {
        text,
        span,
        stamp,
        call: Some(call_text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamps(name: &str, text: &str) -> Vec<(u32, shell::Stamp)> {
        extract(Path::new(name), text)
            .into_iter()
            .filter_map(|c| c.stamp.map(|s| (c.span.row, s)))
            .collect()
    }

    #[test]
    fn makefile_recipes() {
        let mk = "ALEMBIC ?= uv run alembic\nFLASK := flask --app x\n\nstamp:\n\t@$(ALEMBIC) stamp head\n\t-${FLASK} db stamp\n\techo \"alembic stamp head\"\n\t$(ALEMBIC) upgrade head\n";
        let s = stamps("Makefile", mk);
        assert_eq!(s.iter().map(|x| x.0).collect::<Vec<_>>(), vec![5, 6]);
    }

    #[test]
    fn dockerfile_forms() {
        let df = "FROM python\nRUN pip install . \\\n    && alembic stamp head\nCMD [\"alembic\", \"stamp\", \"head\"]\nENTRYPOINT [\"sh\", \"-c\", \"alembic upgrade head || alembic stamp head\"]\nRUN echo 'alembic stamp head'\n";
        let s = stamps("Dockerfile", df);
        assert_eq!(s.iter().map(|x| x.0).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert!(s[2].1.fallback);
    }

    #[test]
    fn yaml_forms() {
        let y = "jobs:\n  a:\n    steps:\n      - run: |\n          uv sync\n          uv run alembic stamp head\n      - run: >\n          alembic upgrade head\n          || alembic stamp head\n      - run: echo alembic stamp head\nservices:\n  api:\n    command: [\"alembic\", \"stamp\", \"head\"]\n  b:\n    entrypoint:\n      - sh\n      - -c\n      - alembic stamp heads\n";
        let s = stamps("ci.yml", y);
        assert_eq!(s.iter().map(|x| x.0).collect::<Vec<_>>(), vec![6, 9, 13, 15]);
        assert!(s[1].1.fallback);
        let g = "migrate:\n  script:\n    - alembic upgrade head\n    - alembic stamp head\n";
        assert_eq!(stamps(".gitlab-ci.yml", g)[0].0, 4);
    }

    #[test]
    fn small_formats() {
        assert_eq!(
            stamps("Procfile", "release: alembic stamp head\nweb: gunicorn app\n")[0].0,
            1
        );
        let tox =
            "[testenv]\ncommands =\n    pytest\n    alembic stamp head\n[testenv:x]\ncommands = alembic upgrade head\n";
        assert_eq!(stamps("tox.ini", tox).iter().map(|x| x.0).collect::<Vec<_>>(), vec![4]);
        let just = "alembic := \"uv run alembic\"\n\nstamp:\n    {{alembic}} stamp head\n\npy:\n    #!/usr/bin/env python3\n    print('alembic stamp head')\n";
        assert_eq!(
            stamps("justfile", just).iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![4]
        );
        let sh = "#!/bin/sh\n# alembic stamp head\nalembic upgrade head || \\\n  alembic stamp head\n";
        let s = stamps("entry.sh", sh);
        assert_eq!(s[0].0, 4);
        assert!(s[0].1.fallback);
    }

    #[test]
    fn pyproject() {
        let t = "[tool.poe.tasks]\nadopt = \"alembic stamp head\"\nup = { cmd = \"alembic upgrade head\" }\nseq = [\"alembic upgrade head\", \"alembic stamp heads\"]\n[tool.taskipy.tasks]\nst = \"flask db stamp\"\n[tool.pdm.scripts]\nst = { cmd = [\"alembic\", \"stamp\", \"head\"] }\nsh = { shell = \"alembic upgrade head || alembic stamp head\" }\n[tool.hatch.envs.default.scripts]\nst = [\"pytest\", \"alembic stamp head\"]\n";
        let rows: Vec<u32> = pyproject_tasks(t)
            .into_iter()
            .filter(|c| c.stamp.is_some())
            .map(|c| c.span.row)
            .collect();
        assert_eq!(rows, vec![2, 4, 6, 8, 9, 11]);
    }

    #[test]
    fn shebang() {
        assert!(is_shell_shebang("#!/bin/sh"));
        assert!(is_shell_shebang("#!/usr/bin/env bash"));
        assert!(is_shell_shebang("#!/bin/bash -e"));
        assert!(!is_shell_shebang("#!/usr/bin/env python3"));
        assert!(!is_shell_shebang("#!/bin/shell-thing"));
    }
}
