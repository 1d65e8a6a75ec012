//! `full` format (the default): one miette code frame per finding — the header
//! `CODE message`, the source lines around the primary span underlined and labelled
//! with the rule's name, the secondary labels (each file in its own frame), the help.
//!
//! Not for machines: the layout follows miette and may change between releases.

use super::paths;
use super::source::{Frames, SourceCache};
use crate::diagnostic::{Diagnostic, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    let handler = handler(opts.color);
    let mut cache = SourceCache::default();
    let mut text = String::new();
    for diag in diags {
        if !is_file_level(&diag.span) {
            cache.load(&diag.path);
        }
        for label in &diag.labels {
            cache.load(&label.path);
        }
        let (report, notes) = Report::new(diag, &cache, &opts.cwd);
        text.clear();
        handler
            .render_report(&mut text, &report)
            .map_err(|_| io::Error::other("cannot render a finding"))?;
        out.write_all(text.as_bytes())?;
        for note in notes {
            writeln!(out, "  note: {note}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::none()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_urls(false)
        .without_cause_chain()
        .without_syntax_highlighting()
        .with_wrap_lines(false)
        .with_context_lines(1)
}

/// A finding about a whole file (an unreadable file, an internal error): an empty span
/// at its start. Its frame names the file without quoting it.
fn is_file_level(span: &Span) -> bool {
    span.start == 0 && span.end == 0
}

/// One finding as a miette diagnostic over the files it points into.
struct Report<'a> {
    header: String,
    help: Option<&'a str>,
    severity: miette::Severity,
    frames: Frames<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Report<'a> {
    /// The report, and the secondary labels that cannot be framed (their file is gone
    /// or changed) as `path:row:col: message` notes.
    fn new(diag: &'a Diagnostic, cache: &'a SourceCache, cwd: &Path) -> (Self, Vec<String>) {
        let mut frames = Frames::default();
        let name = paths::display(&diag.path, cwd);
        let label = crate::rules::rule(diag.code).map_or(diag.code, |r| r.name).to_string();
        let file = cache.get(&diag.path).filter(|_| !is_file_level(&diag.span));
        let span = match file.filter(|f| fits(f, &diag.span)) {
            Some(file) => frames.file_span(&name, file, diag.span.start as usize, span_len(&diag.span)),
            None => frames.location_span(name, diag.span.row, diag.span.col),
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label), span)];
        let mut notes = Vec::new();
        for secondary in &diag.labels {
            let name = paths::display(&secondary.path, cwd);
            match cache.get(&secondary.path).filter(|f| fits(f, &secondary.span)) {
                Some(file) => {
                    let span = frames.file_span(&name, file, secondary.span.start as usize, span_len(&secondary.span));
                    labels.push(LabeledSpan::new_with_span(Some(secondary.message.clone()), span));
                }
                None => {
                    let Span { row, col, .. } = secondary.span;
                    notes.push(format!("{name}:{row}:{col}: {}", secondary.message));
                }
            }
        }
        let severity = match diag.severity {
            crate::diagnostic::Severity::Error => miette::Severity::Error,
            crate::diagnostic::Severity::Warning => miette::Severity::Warning,
        };
        let header = format!("{} {}", diag.code, diag.message);
        (
            Report {
                header,
                help: diag.help.as_deref(),
                severity,
                frames,
                labels,
            },
            notes,
        )
    }
}

fn fits(file: &super::source::SourceFile, span: &Span) -> bool {
    span.start <= span.end && file.contains(span.start as usize, span.end as usize)
}

fn span_len(span: &Span) -> usize {
    span.end.saturating_sub(span.start) as usize
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.frames)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;
    use crate::diagnostic::{Diagnostic, Label, Severity, Span};

    #[test]
    fn renders_frames_labels_and_help_without_color() {
        let fx = fixture();
        let text = render(&fx.diags, &options(&fx, OutputFormat::Full));
        assert!(!text.contains('\u{1b}'), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn color_uses_unicode_and_ansi() {
        let fx = fixture();
        let mut opts = options(&fx, OutputFormat::Full);
        opts.color = true;
        let text = render(&fx.diags, &opts);
        assert!(text.contains('\u{1b}') && text.contains('╭'), "{text}");
        assert!(text.contains("JWT001") && text.contains("help:"), "{text}");
    }

    #[test]
    fn unreadable_files_render_without_frame() {
        let fx = fixture();
        let gone = fx.root().join("gone.py");
        let span = Span {
            start: 10,
            end: 14,
            row: 2,
            col: 3,
            end_row: 2,
            end_col: 7,
        };
        let diag = Diagnostic::new(
            "PR001",
            Severity::Error,
            gone.clone(),
            span,
            "cannot read `gone.py`".into(),
        )
        .with_label(Label {
            path: gone,
            span,
            message: "was here".into(),
        });
        let text = render(&[diag], &options(&fx, OutputFormat::Full));
        insta::assert_snapshot!(text);
    }

    #[test]
    fn file_level_findings_do_not_quote_the_file() {
        let fx = fixture();
        let path = fx.diags[0].path.clone();
        let diag = Diagnostic::new("PR002", Severity::Error, path, Span::default(), "internal error".into());
        let text = render(&[diag], &options(&fx, OutputFormat::Full));
        assert!(
            text.contains("[app/api.py:1:1]") && !text.contains("from jose"),
            "{text}"
        );
    }

    #[test]
    fn many_findings_in_one_file_share_one_read() {
        // 20 000 findings in a 20 000-line file: linear with the line index, seconds if quadratic.
        let fx = fixture();
        let text: String = (0..20_000).map(|i| format!("import module_{i}\n")).collect();
        let path = fx.root().join("big.py");
        std::fs::write(&path, &text).unwrap();
        let index = crate::diagnostic::LineIndex::new(&text);
        let mut start = 0;
        let mut diags = Vec::new();
        for i in 0..20_000 {
            let len = format!("import module_{i}\n").len();
            let span = index.span(start + 7, start + len - 1);
            diags.push(Diagnostic::new(
                "IMP001",
                Severity::Error,
                path.clone(),
                span,
                format!("`module_{i}`"),
            ));
            start += len;
        }
        let started = std::time::Instant::now();
        let out = render(&diags, &options(&fx, OutputFormat::Full));
        assert!(
            out.contains("19999 │ import module_19998") || out.contains("19999 | import module_19998"),
            "{out:.2000}"
        );
        assert!(started.elapsed().as_secs() < 20);
    }

    #[test]
    fn odd_spans_render_without_panic() {
        // CRLF, a tab, a two-byte character; empty spans, line breaks, whole file, EOF.
        let fx = fixture();
        let text = "a = 1\r\n\tb = 'é'\r\nc = 3";
        let path = fx.root().join("crlf.py");
        std::fs::write(&path, text).unwrap();
        let index = crate::diagnostic::LineIndex::new(text);
        let n = text.len();
        for (s, e) in [(3, 3), (0, 7), (5, 7), (8, 15), (9, n), (n, n), (n - 1, n), (0, n)] {
            let (row, col) = index.location(s);
            let d = Diagnostic::new("IMP001", Severity::Error, path.clone(), index.span(s, e), "m".into());
            let out = render(&[d], &options(&fx, OutputFormat::Full));
            assert!(out.contains(&format!("[crlf.py:{row}:{col}]")), "{s}..{e}:\n{out}");
            assert!(!out.contains("Failed to read"), "{s}..{e}:\n{out}");
        }
    }
}
