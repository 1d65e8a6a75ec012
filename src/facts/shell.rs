//! Shell words: a small tokenizer for command text (POSIX quoting, comments, heredocs,
//! operators) and the recogniser of `alembic stamp` / `flask db stamp` behind launchers
//! (`uv run`, `docker compose exec`, `sh -c "…"`, ...).
//!
//! Not a shell: nothing is expanded, and only what the MIG rules need is understood.

use serde::{Deserialize, Serialize};

/// A stamp of the Alembic version table found in a command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Revisions as written; empty when the tool's default (`head`) applies.
    pub revisions: Vec<String>,
    pub purge: bool,
    pub sql: bool,
    /// Runs only when an `upgrade` failed (`upgrade || stamp`, `except:` branch).
    pub fallback: bool,
    /// The command, normalised (`alembic stamp head`, `flask db stamp`).
    pub command: String,
}

/// One simple command of a text: byte range in that text, words, and its stamp.
#[derive(Clone, Debug)]
pub struct Command {
    pub start: usize,
    pub end: usize,
    pub words: Vec<String>,
    pub stamp: Option<Stamp>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word { text: String, start: usize, end: usize },
    Op(&'static str),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_start: Option<usize> = None;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    macro_rules! flush {
        ($end:expr) => {
            if let Some(st) = cur_start.take() {
                out.push(Tok::Word {
                    text: std::mem::take(&mut cur),
                    start: st,
                    end: $end,
                });
            }
        };
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                flush!(i);
                i += 1;
            }
            b'\n' => {
                flush!(i);
                out.push(Tok::Op("\n"));
                i += 1;
                // Heredoc bodies are data, not commands.
                for (delim, dash) in std::mem::take(&mut heredocs) {
                    loop {
                        if i >= b.len() {
                            break;
                        }
                        let line_end = memchr::memchr(b'\n', &b[i..]).map(|p| i + p).unwrap_or(b.len());
                        let line = &s[i..line_end];
                        let line = if dash { line.trim_start_matches('\t') } else { line };
                        i = (line_end + 1).min(b.len());
                        if line.trim_end_matches('\r') == delim {
                            break;
                        }
                    }
                }
            }
            b'\\' => {
                if i + 1 < b.len() && b[i + 1] == b'\n' {
                    i += 2;
                } else if i + 2 < b.len() && b[i + 1] == b'\r' && b[i + 2] == b'\n' {
                    i += 3;
                } else {
                    cur_start.get_or_insert(i);
                    if i + 1 < b.len() {
                        let ch = s[i + 1..].chars().next().unwrap_or(' ');
                        cur.push(ch);
                        i += 1 + ch.len_utf8();
                    } else {
                        i += 1;
                    }
                }
            }
            b'\'' => {
                cur_start.get_or_insert(i);
                let end = memchr::memchr(b'\'', &b[i + 1..]).map(|p| i + 1 + p).unwrap_or(b.len());
                cur.push_str(&s[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                cur_start.get_or_insert(i);
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' && i + 1 < b.len() && matches!(b[i + 1], b'"' | b'\\' | b'$' | b'`' | b'\n') {
                        if b[i + 1] != b'\n' {
                            cur.push(b[i + 1] as char);
                        }
                        i += 2;
                        continue;
                    }
                    let ch = s[i..].chars().next().unwrap_or(' ');
                    cur.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
            }
            b'#' if cur_start.is_none() => {
                let end = memchr::memchr(b'\n', &b[i..]).map(|p| i + p).unwrap_or(b.len());
                i = end;
            }
            b';' | b'&' | b'|' | b'(' | b')' | b'`' => {
                flush!(i);
                let two = if i + 1 < b.len() { &s[i..i + 2] } else { "" };
                let (op, len): (&'static str, usize) = match two {
                    "&&" => ("&&", 2),
                    "||" => ("||", 2),
                    ";;" => (";", 2),
                    "|&" => ("|", 2),
                    _ => match c {
                        b';' => (";", 1),
                        b'&' => ("&", 1),
                        b'|' => ("|", 1),
                        b'(' => ("(", 1),
                        b')' => (")", 1),
                        _ => ("`", 1),
                    },
                };
                out.push(Tok::Op(op));
                i += len;
            }
            b'$' if i + 1 < b.len() && b[i + 1] == b'(' => {
                flush!(i);
                out.push(Tok::Op("("));
                i += 2;
            }
            b'<' | b'>' => {
                // A redirection: an fd number before it is not a word; its target is dropped.
                if cur_start.is_some() && !cur.is_empty() && cur.bytes().all(|d| d.is_ascii_digit()) {
                    cur.clear();
                    cur_start = None;
                }
                flush!(i);
                let mut j = i + 1;
                let heredoc = c == b'<' && j < b.len() && b[j] == b'<';
                while j < b.len() && matches!(b[j], b'<' | b'>' | b'&' | b'|' | b'-') {
                    j += 1;
                }
                let dash = heredoc && s[i..j].ends_with('-');
                // The target word.
                while j < b.len() && matches!(b[j], b' ' | b'\t') {
                    j += 1;
                }
                let st = j;
                while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')' | b'(') {
                    j += 1;
                }
                if heredoc && !s[i..].starts_with("<<<") {
                    let delim: String = s[st..j].chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                    if !delim.is_empty() {
                        heredocs.push((delim, dash));
                    }
                }
                i = j;
            }
            _ => {
                cur_start.get_or_insert(i);
                let ch = s[i..].chars().next().unwrap_or(' ');
                cur.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    flush!(b.len());
    out
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec", "command", "nohup", "builtin",
    "fi", "done", "eval",
];

/// Commands that run the command given after them (with options of their own).
const LAUNCHERS: &[&str] = &[
    "uv",
    "uvx",
    "poetry",
    "pipenv",
    "pdm",
    "hatch",
    "rye",
    "pixi",
    "conda",
    "mamba",
    "micromamba",
    "docker",
    "docker-compose",
    "podman",
    "podman-compose",
    "kubectl",
    "oc",
    "sudo",
    "env",
    "timeout",
    "nohup",
    "gosu",
    "su-exec",
    "tini",
    "dumb-init",
    "dotenv",
    "doppler",
    "op",
    "infisical",
    "chamber",
    "aws-vault",
    "heroku",
    "fly",
    "flyctl",
    "railway",
    "render",
    "tox",
    "wait-for-it",
    "wait-for-it.sh",
    "dockerize",
    "runuser",
    "ssh",
    "exec",
];

/// Launchers that take the remote command as one quoted word (`heroku run "…"`).
const REMOTE: &[&str] = &["heroku", "fly", "flyctl", "ssh", "railway", "render", "kubectl", "oc"];

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ash", "ksh"];

fn basename(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

fn is_assignment(w: &str) -> bool {
    match w.find('=') {
        Some(p) if p > 0 => {
            w[..p].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !w.starts_with(|c: char| c.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_python(w: &str) -> bool {
    let b = basename(w);
    b.strip_prefix("python")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || w == "$PYTHON"
        || w == "${PYTHON}"
        || w == "{envpython}"
        || w == "sys.executable"
}

/// What the words at a position run.
enum Prog<'a> {
    Alembic(&'a [String]),
    FlaskDb(&'a [String]),
    Script(&'a str),
}

fn program_at(words: &[String], j: usize) -> Option<Prog<'_>> {
    let w = words.get(j)?;
    let b = basename(w);
    if b == "alembic" {
        return Some(Prog::Alembic(&words[j + 1..]));
    }
    if b == "flask" {
        return flask_at(words, j + 1);
    }
    if is_python(w) {
        let mut k = j + 1;
        while let Some(f) = words.get(k) {
            if f == "-m" {
                let m = words.get(k + 1)?;
                return match m.as_str() {
                    "alembic" => Some(Prog::Alembic(&words[k + 2..])),
                    "flask" => flask_at(words, k + 2),
                    _ => None,
                };
            }
            if let Some(m) = f.strip_prefix("-m") {
                return match m {
                    "alembic" => Some(Prog::Alembic(&words[k + 1..])),
                    "flask" => flask_at(words, k + 1),
                    _ => None,
                };
            }
            if !f.starts_with('-') {
                return None;
            }
            k += if f == "-X" || f == "-W" { 2 } else { 1 };
        }
        return None;
    }
    if SHELLS.contains(&b) {
        let mut k = j + 1;
        while let Some(f) = words.get(k) {
            if f.starts_with('-') && !f.starts_with("--") && f.contains('c') {
                return words.get(k + 1).map(|s| Prog::Script(s.as_str()));
            }
            if !f.starts_with('-') {
                return None;
            }
            k += 1;
        }
    }
    None
}

fn flask_at(words: &[String], mut k: usize) -> Option<Prog<'_>> {
    while let Some(f) = words.get(k) {
        match f.as_str() {
            "db" => return Some(Prog::FlaskDb(&words[k + 1..])),
            "--app" | "-A" | "-e" | "--env-file" => k += 2,
            _ if f.starts_with('-') => k += 1,
            _ => return None,
        }
    }
    None
}

/// The programs a simple command runs: itself, or what its launchers run.
fn programs(words: &[String]) -> Vec<Prog<'_>> {
    let mut i = 0;
    while i < words.len() && (KEYWORDS.contains(&words[i].as_str()) || is_assignment(&words[i])) {
        i += 1;
    }
    let Some(first) = words.get(i) else {
        return Vec::new();
    };
    if let Some(p) = program_at(words, i) {
        return vec![p];
    }
    let mut out = Vec::new();
    if LAUNCHERS.contains(&basename(first)) {
        for j in i + 1..words.len() {
            if let Some(p) = program_at(words, j) {
                out.push(p);
            } else if REMOTE.contains(&basename(first)) && words[j].split_whitespace().count() > 1 {
                // `heroku run "alembic stamp head"`, `fly ssh console -C "…"`.
                out.push(Prog::Script(words[j].as_str()));
            }
        }
    }
    out
}

/// Parses `alembic [global options] SUBCOMMAND args`: the subcommand and its arguments.
fn alembic_sub(args: &[String]) -> Option<(&str, &[String])> {
    let mut k = 0;
    while let Some(w) = args.get(k) {
        match w.as_str() {
            "-c" | "--config" | "-n" | "--name" | "-x" => k += 2,
            _ if w.starts_with('-') => k += 1,
            _ => return Some((w.as_str(), &args[k + 1..])),
        }
    }
    None
}

fn stamp_args(args: &[String], command: String) -> Stamp {
    let mut st = Stamp {
        revisions: Vec::new(),
        purge: false,
        sql: false,
        fallback: false,
        command,
    };
    let mut k = 0;
    while let Some(w) = args.get(k) {
        match w.as_str() {
            "--purge" => st.purge = true,
            "--sql" => st.sql = true,
            "--tag" | "-d" | "--directory" | "-x" => k += 1,
            _ if w.starts_with('-') => {}
            _ => st.revisions.push(w.clone()),
        }
        k += 1;
    }
    st
}

/// Whether a command's words stamp the version table (through any launcher), and how.
pub fn stamp_of_words(words: &[String]) -> Option<Stamp> {
    for p in programs(words) {
        match p {
            Prog::Alembic(args) => {
                if let Some(("stamp", rest)) = alembic_sub(args) {
                    let cmd = std::iter::once("alembic stamp")
                        .chain(rest.iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let st = stamp_args(rest, cmd);
                    // `alembic stamp` needs a revision; without one the CLI only errors.
                    if !st.revisions.is_empty() {
                        return Some(st);
                    }
                }
            }
            Prog::FlaskDb(args) => {
                if args.first().is_some_and(|s| s == "stamp") {
                    let cmd = std::iter::once("flask db stamp")
                        .chain(args[1..].iter().map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" ");
                    return Some(stamp_args(&args[1..], cmd));
                }
            }
            Prog::Script(s) => {
                if let Some(st) = commands(s).into_iter().find_map(|c| c.stamp) {
                    return Some(st);
                }
            }
        }
    }
    None
}

/// Whether a command's words run a migration upgrade (`alembic upgrade`, `flask db upgrade`).
pub fn is_upgrade(words: &[String]) -> bool {
    programs(words).into_iter().any(|p| match p {
        Prog::Alembic(args) => alembic_sub(args).is_some_and(|(s, _)| s == "upgrade"),
        Prog::FlaskDb(args) => args.first().is_some_and(|s| s == "upgrade"),
        Prog::Script(s) => commands(s).iter().any(|c| is_upgrade(&c.words)),
    })
}

/// Splits shell text into simple commands and recognises stamps, with fallback context
/// (`upgrade || stamp`, `if ! upgrade; then stamp`, `if upgrade; …; else stamp`).
pub fn commands(text: &str) -> Vec<Command> {
    let toks = tokenize(text);
    let mut out: Vec<Command> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut range: Option<(usize, usize)> = None;
    // Fallback context.
    let mut chain_upgrade = false;
    let mut if_cond: Option<bool> = None; // Some(true): the condition is a failed upgrade
    let mut in_if_cond = false;
    let mut fallback_branch = false;
    let mut brace_fallback = 0usize;
    let mut finish =
        |words: &mut Vec<String>, range: &mut Option<(usize, usize)>, op_before: &str, out: &mut Vec<Command>| {
            let Some((start, end)) = range.take() else {
                words.clear();
                return;
            };
            let w = std::mem::take(words);
            let first = w.first().map(String::as_str).unwrap_or("");
            match first {
                "if" | "elif" | "while" | "until" => {
                    in_if_cond = first == "if" || first == "elif";
                    let negated = w.get(1).is_some_and(|s| s == "!");
                    let upgrade = is_upgrade(&w);
                    if in_if_cond {
                        if_cond = if upgrade { Some(negated) } else { None };
                    }
                    fallback_branch = false;
                }
                "then" => {
                    fallback_branch = if_cond == Some(true);
                    in_if_cond = false;
                }
                "else" => {
                    fallback_branch = if_cond == Some(false);
                }
                "fi" => {
                    fallback_branch = false;
                    if_cond = None;
                }
                _ => {}
            }
            if w.iter().any(|s| s == "}") && brace_fallback > 0 {
                brace_fallback -= 1;
            }
            let upgrade = is_upgrade(&w);
            let after_failed_upgrade = op_before == "||" && chain_upgrade;
            if after_failed_upgrade && first == "{" {
                brace_fallback += 1;
            }
            let mut stamp = stamp_of_words(&w);
            if let Some(st) = stamp.as_mut() {
                st.fallback |= after_failed_upgrade || fallback_branch || brace_fallback > 0;
            }
            if matches!(op_before, "\n" | ";" | "&") && !in_if_cond {
                chain_upgrade = false;
            }
            chain_upgrade |= upgrade;
            out.push(Command {
                start,
                end,
                words: w,
                stamp,
            });
        };
    let mut op_before: &str = "\n";
    for t in toks {
        match t {
            Tok::Word { text, start, end } => {
                range = Some(match range {
                    Some((s, _)) => (s, end),
                    None => (start, end),
                });
                words.push(text);
            }
            Tok::Op(op) => {
                let had = range.is_some();
                finish(&mut words, &mut range, op_before, &mut out);
                // `a ||` + newline + `b`: the newline does not end the list.
                if had || op != "\n" || !matches!(op_before, "||" | "&&" | "|") {
                    op_before = op;
                }
            }
        }
    }
    finish(&mut words, &mut range, op_before, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamps(s: &str) -> Vec<Stamp> {
        commands(s).into_iter().filter_map(|c| c.stamp).collect()
    }

    #[test]
    fn launchers() {
        for s in [
            "alembic stamp head",
            "uv run alembic stamp heads",
            "poetry run alembic -c alembic.ini -x foo=bar stamp head",
            "pipenv run python -m alembic stamp head",
            "python3 -m alembic stamp branch@head",
            "docker compose exec -T api alembic stamp head",
            "docker exec -it api alembic stamp head",
            "sh -c \"alembic stamp head 2>/dev/null; exec uvicorn app:app\"",
            "bash -lc 'uv run alembic stamp head'",
            "exec alembic stamp --purge head",
            "FOO=1 BAR=2 alembic stamp head",
            "flask db stamp",
            "uv run flask --app ratecard db stamp head",
            "cd /app && alembic stamp head",
            "/app/.venv/bin/alembic stamp head",
        ] {
            assert_eq!(stamps(s).len(), 1, "{s}");
        }
        assert_eq!(stamps("flask db stamp")[0].revisions, Vec::<String>::new());
        for s in [
            "echo \"run alembic stamp head\"",
            "# alembic stamp head",
            "alembic upgrade head",
            "grep stamp log.txt",
            "touch timestamp",
            "echo 'do not use flask db stamp'",
            "cat <<EOF\nalembic stamp head\nEOF\nls",
            "git commit -m 'alembic stamp head'",
        ] {
            assert!(stamps(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn fallbacks() {
        assert!(stamps("alembic upgrade head || alembic stamp head")[0].fallback);
        assert!(!stamps("alembic upgrade head && alembic stamp head")[0].fallback);
        assert!(stamps("if ! alembic upgrade head; then\n  echo x\n  alembic stamp head\nfi")[0].fallback);
        assert!(stamps("if alembic upgrade head; then\n  echo ok\nelse\n  alembic stamp head\nfi")[0].fallback);
        assert!(stamps("alembic upgrade head || { echo failed; alembic stamp head; }")[0].fallback);
        assert!(!stamps("alembic upgrade head\nalembic stamp head")[0].fallback);
    }
}
