//! Source text for the reports: each file read once per report, with a line-start index
//! so that quoting the lines around a span costs O(log n + context lines), never a scan
//! from the start of the file (miette's `SourceCode for str` does that, which is
//! quadratic for a file with many findings).
//!
//! `Frames` puts several files behind one `miette::SourceCode`, each in its own range
//! of offsets, so one miette report can show the sites of a finding in different files.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files over this size are not quoted (the analysis skips them too: PR001).
const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// Offsets left unused between two files of a `Frames`, so a label at the end of one
/// file never touches the first line of the next.
const SEGMENT_GAP: usize = 16;

/// The text of one file and where its lines start.
pub(super) struct SourceFile {
    text: String,
    /// Byte offset of each line's start; the first is 0.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub(super) fn new(text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile { text, line_starts }
    }

    pub(super) fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether `start..end` is a range of this text on character boundaries.
    pub(super) fn contains(&self, start: usize, end: usize) -> bool {
        start <= end && end <= self.text.len() && self.text.is_char_boundary(start) && self.text.is_char_boundary(end)
    }

    /// Line `row` (1-based) without its line break.
    pub(super) fn line(&self, row: u32) -> Option<&str> {
        let i = (row as usize).checked_sub(1)?;
        let start = *self.line_starts.get(i)?;
        let end = self.line_end(i);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Offset just past line `i` (0-based), its line break included.
    fn line_end(&self, i: usize) -> usize {
        self.line_starts.get(i + 1).copied().unwrap_or(self.text.len())
    }

    /// The lines around `start..start + len` as miette wants them: whole lines from
    /// `before` lines above to `after` lines below (with `before == 0`, from the span's
    /// start, as miette's own sources do), their offsets shifted by `base`.
    fn contents(
        &self,
        start: usize,
        len: usize,
        before: usize,
        after: usize,
        base: usize,
        name: Option<&str>,
    ) -> Result<MietteSpanContents<'_>, MietteError> {
        let end = start.checked_add(len).ok_or(MietteError::OutOfBounds)?;
        if !self.contains(start, end) {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_index(start);
        let last = if len == 0 { first } else { self.line_index(end - 1) };
        let from = first.saturating_sub(before);
        let to = (last + after).min(self.line_starts.len() - 1);
        let (data_start, column) = if before == 0 {
            (start, self.text[self.line_starts[first]..start].chars().count())
        } else {
            (self.line_starts[from], 0)
        };
        let data_end = self.line_end(to);
        let data = &self.text.as_bytes()[data_start..data_end];
        let span = SourceSpan::from((base + data_start, data_end - data_start));
        let line_count = to - from + 1;
        Ok(match name {
            Some(name) => MietteSpanContents::new_named(name.to_string(), data, span, from, column, line_count),
            None => MietteSpanContents::new(data, span, from, column, line_count),
        })
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.contents(
            span.offset(),
            span.len(),
            context_lines_before,
            context_lines_after,
            0,
            None,
        )?;
        Ok(Box::new(contents))
    }
}

/// The files of one report, each read at most once. A file that cannot be read (gone,
/// not UTF-8, over the size limit) is remembered as such.
#[derive(Default)]
pub(super) struct SourceCache {
    files: HashMap<PathBuf, Option<SourceFile>>,
}

impl SourceCache {
    /// Reads `path` unless it was already tried.
    pub(super) fn load(&mut self, path: &Path) {
        if !self.files.contains_key(path) {
            self.files.insert(path.to_path_buf(), read(path));
        }
    }

    /// The file, if `load` read it.
    pub(super) fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.files.get(path).and_then(Option::as_ref)
    }

    /// Reads `path` unless it was already tried, then returns it.
    pub(super) fn file(&mut self, path: &Path) -> Option<&SourceFile> {
        self.load(path);
        self.get(path)
    }
}

fn read(path: &Path) -> Option<SourceFile> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok().map(SourceFile::new)
}

/// Several files behind one `SourceCode`: each file (or bare location) gets its own
/// range of offsets, and the contents read from it carry the file's name, which miette
/// prints in the frame's header.
#[derive(Default)]
pub(super) struct Frames<'a> {
    segments: Vec<Segment<'a>>,
}

struct Segment<'a> {
    base: usize,
    name: String,
    body: Body<'a>,
}

enum Body<'a> {
    File(&'a SourceFile),
    /// No source lines: the frame only names `name:line+1:column+1`.
    Location {
        line: usize,
        column: usize,
    },
}

impl Segment<'_> {
    fn len(&self) -> usize {
        match self.body {
            Body::File(file) => file.len(),
            Body::Location { .. } => 0,
        }
    }
}

impl<'a> Frames<'a> {
    /// The span `start..start + len` of `file` (shown as `name`) in this source.
    pub(super) fn file_span(&mut self, name: &str, file: &'a SourceFile, start: usize, len: usize) -> SourceSpan {
        let existing = self
            .segments
            .iter()
            .find(|s| matches!(s.body, Body::File(f) if std::ptr::eq(f, file)));
        let base = match existing {
            Some(segment) => segment.base,
            None => self.push(name.to_string(), Body::File(file)),
        };
        SourceSpan::from((base + start, len))
    }

    /// An empty span whose frame shows `name:row:col` without source lines (`row`, `col`
    /// 1-based).
    pub(super) fn location_span(&mut self, name: String, row: u32, col: u32) -> SourceSpan {
        let body = Body::Location {
            line: (row as usize).saturating_sub(1),
            column: (col as usize).saturating_sub(1),
        };
        SourceSpan::from((self.push(name, body), 0))
    }

    fn push(&mut self, name: String, body: Body<'a>) -> usize {
        let base = self.segments.last().map_or(0, |s| s.base + s.len() + SEGMENT_GAP);
        self.segments.push(Segment { base, name, body });
        base
    }
}

impl SourceCode for Frames<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let offset = span.offset();
        let i = self.segments.partition_point(|s| s.base <= offset);
        let segment = i
            .checked_sub(1)
            .map(|i| &self.segments[i])
            .ok_or(MietteError::OutOfBounds)?;
        // A span running into the next segment is a request to merge two files' frames.
        if offset + span.len() > segment.base + segment.len() {
            return Err(MietteError::OutOfBounds);
        }
        match segment.body {
            Body::File(file) => {
                let contents = file.contents(
                    offset - segment.base,
                    span.len(),
                    context_lines_before,
                    context_lines_after,
                    segment.base,
                    Some(&segment.name),
                )?;
                Ok(Box::new(contents))
            }
            Body::Location { line, column } => {
                let empty = SourceSpan::from((segment.base, 0));
                Ok(Box::new(MietteSpanContents::new_named(
                    segment.name.clone(),
                    &[],
                    empty,
                    line,
                    column,
                    0,
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "one\ntwo\r\nthré\nfour\nfive";

    fn read<'a>(
        source: &'a dyn SourceCode,
        start: usize,
        len: usize,
        context: usize,
    ) -> Box<dyn SpanContents<'a> + 'a> {
        source
            .read_span(&SourceSpan::from((start, len)), context, context)
            .unwrap()
    }

    #[test]
    fn reads_whole_lines_around_the_span() {
        let file = SourceFile::new(TEXT.to_string());
        let start = TEXT.find("thré").unwrap();
        let contents = read(&file, start, 2, 1);
        assert_eq!(std::str::from_utf8(contents.data()).unwrap(), "two\r\nthré\nfour\n");
        assert_eq!((contents.line(), contents.column(), contents.line_count()), (1, 0, 3));
        assert_eq!(contents.span().offset(), TEXT.find("two").unwrap());
    }

    #[test]
    fn without_context_starts_at_the_span_with_a_character_column() {
        let file = SourceFile::new(TEXT.to_string());
        let start = TEXT.find("four").unwrap() + 2;
        let contents = read(&file, start, 1, 0);
        assert_eq!((contents.line(), contents.column()), (3, 2));
        let last = read(&file, TEXT.len() - 1, 1, 1);
        assert_eq!(std::str::from_utf8(last.data()).unwrap(), "four\nfive");
    }

    #[test]
    fn rejects_spans_outside_the_text_or_inside_a_character() {
        let file = SourceFile::new(TEXT.to_string());
        let e = TEXT.find('é').unwrap();
        assert!(file.read_span(&SourceSpan::from((e + 1, 1)), 1, 1).is_err());
        assert!(file.read_span(&SourceSpan::from((TEXT.len(), 1)), 1, 1).is_err());
    }

    #[test]
    fn lines_drop_their_line_break() {
        let file = SourceFile::new(TEXT.to_string());
        assert_eq!(file.line(2), Some("two"));
        assert_eq!(file.line(5), Some("five"));
        assert_eq!(file.line(6), None);
        assert_eq!(file.line(0), None);
    }

    #[test]
    fn frames_keep_files_apart() {
        let a = SourceFile::new("a = 1\nb = 2\n".to_string());
        let b = SourceFile::new("c = 3\n".to_string());
        let mut frames = Frames::default();
        let in_a = frames.file_span("a.py", &a, 6, 1);
        let in_b = frames.file_span("b.py", &b, 0, 1);
        let again = frames.file_span("a.py", &a, 0, 1);
        let nowhere = frames.location_span("gone.py".to_string(), 3, 4);
        assert_eq!(again.offset(), 0);
        assert!(in_b.offset() > a.len());
        let contents = frames.read_span(&in_b, 1, 1).unwrap();
        assert_eq!((contents.name(), contents.data()), (Some("b.py"), "c = 3\n".as_bytes()));
        assert_eq!(contents.span().offset(), in_b.offset());
        assert_eq!(frames.read_span(&in_a, 0, 0).unwrap().line(), 1);
        let merged = SourceSpan::from((in_a.offset(), in_b.offset() - in_a.offset() + 1));
        assert!(frames.read_span(&merged, 1, 1).is_err());
        let bare = frames.read_span(&nowhere, 1, 1).unwrap();
        assert_eq!(
            (bare.name(), bare.line(), bare.column(), bare.data().len()),
            (Some("gone.py"), 2, 3, 0)
        );
    }
}
