//! PEP 723 inline script metadata: the `# /// script` … `# ///` comment block of a
//! Python file, whose content is TOML.

use super::pyproject::{read_script_table, Sink};
use super::ManifestFacts;
use crate::diagnostic::LineIndex;
use std::ops::Range;
use toml_edit::Document;

/// Reads the `script` block of a Python file: `dependencies` (Runtime) and
/// `requires-python`. Spans point into the Python file. `None` when there is no block.
///
/// As in the PEP's reference regex, the block runs from `# /// script` over consecutive
/// lines that are `#` or start with `# `, up to the last of them that is `# ///`.
pub fn parse_inline_script(text: &str) -> Option<ManifestFacts> {
    let mut lines: Vec<(&str, usize)> = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        lines.push((raw.strip_suffix('\r').unwrap_or(raw), offset));
        offset += raw.len() + 1;
    }
    let is_comment = |l: &str| l == "#" || l.starts_with("# ");
    let mut found: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].0 != "# /// script" {
            i += 1;
            continue;
        }
        let close = (i + 1..lines.len())
            .take_while(|&j| is_comment(lines[j].0))
            .filter(|&j| lines[j].0 == "# ///")
            .last();
        match close {
            Some(close) if found.is_none() => {
                found = Some((i, close));
                i = close + 1;
            }
            Some(_) => {
                // PEP 723: more than one `script` block is an error; the first one is kept.
                let mut facts = read_block(text, &lines, found?);
                let (line, start) = lines[i];
                let index = LineIndex::new(text);
                let span = index.span(start, start + line.len());
                facts.skipped.push(("a second `# /// script` block".to_string(), span));
                return Some(facts);
            }
            None => i += 1,
        }
    }
    found.map(|block| read_block(text, &lines, block))
}

fn read_block(text: &str, lines: &[(&str, usize)], (open, close): (usize, usize)) -> ManifestFacts {
    let mut content = String::new();
    // (offset in content, offset in file) at the start of each content line.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for &(line, start) in &lines[open + 1..close] {
        let strip = if line == "#" { 1 } else { 2 };
        pieces.push((content.len(), start + strip));
        content.push_str(&line[strip..]);
        content.push('\n');
    }
    let to_file = |off: usize, end: bool| {
        let piece = pieces
            .iter()
            .rev()
            .find(|(c, _)| if end { *c < off } else { *c <= off })
            .or(pieces.first());
        piece.map_or(off, |&(c, f)| f + off.saturating_sub(c))
    };
    let index = LineIndex::new(text);
    let to_span = |r: Range<usize>| index.span(to_file(r.start, false), to_file(r.end, true));
    let mut sink = Sink::new(&to_span);
    match Document::parse(content.as_str()) {
        Ok(doc) => read_script_table(&mut sink, doc.as_table()),
        Err(e) => sink.skip(
            format!("invalid TOML in script metadata: {}", e.message().trim()),
            e.span(),
        ),
    }
    sink.facts
}
