//! `junit` format: JUnit XML for CI test-report views. One `<testsuite>` named
//! `pylint-recover`, a `<testcase>` per file with findings, a `<failure>` per finding
//! (`message="CODE message"`, `type="CODE"`, text `path:row:col help`).

use super::paths;
use crate::diagnostic::Diagnostic;
use std::io::{self, Write};

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    // Diagnostics arrive sorted by path: a file's findings are adjacent.
    let files: Vec<&[Diagnostic]> = diags.chunk_by(|a, b| a.path == b.path).collect();
    let (tests, failures) = (files.len(), diags.len());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="pylint-recover" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    write!(
        out,
        r#"  <testsuite name="pylint-recover" tests="{tests}" failures="{failures}" errors="0" skipped="0""#
    )?;
    if files.is_empty() {
        writeln!(out, "/>")?;
    } else {
        writeln!(out, ">")?;
        for file in files {
            let path = escape(&paths::portable(&file[0].path, &opts.cwd));
            writeln!(out, r#"    <testcase name="{path}" classname="{path}">"#)?;
            for d in file {
                let message = escape(&format!("{} {}", d.code, d.message));
                let mut text = format!("{path}:{}:{}", d.span.row, d.span.col);
                if let Some(help) = &d.help {
                    text.push(' ');
                    text.push_str(&escape(help));
                }
                writeln!(
                    out,
                    r#"      <failure message="{message}" type="{}">{text}</failure>"#,
                    escape(d.code)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Escapes text for XML attributes and content; characters XML 1.0 cannot hold
/// become U+FFFD, line breaks and tabs character references (attributes keep them).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;
    use super::*;

    #[test]
    fn one_testcase_per_file() {
        let fx = fixture();
        let diags = vec![
            fx.diags[0].clone(),
            fx.diags[0].clone().with_help("a < b & \"c\""),
            fx.diags[1].clone(),
        ];
        let text = render(&diags, &options(&fx, OutputFormat::Junit));
        assert_eq!(
            text,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pylint-recover" tests="2" failures="3" errors="0">
  <testsuite name="pylint-recover" tests="2" failures="3" errors="0" skipped="0">
    <testcase name="app/api.py" classname="app/api.py">
      <failure message="JWT001 `jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it" type="JWT001">app/api.py:7:15 Sign and verify with the same key</failure>
      <failure message="JWT001 `jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it" type="JWT001">app/api.py:7:15 a &lt; b &amp; &quot;c&quot;</failure>
    </testcase>
    <testcase name="migrations/versions/0001_init.py" classname="migrations/versions/0001_init.py">
      <failure message="MIG005 `downgrade()` does nothing while `upgrade()` creates table `users`" type="MIG005">migrations/versions/0001_init.py:5:1</failure>
    </testcase>
  </testsuite>
</testsuites>
"#
        );
    }

    #[test]
    fn empty_suite_when_clean() {
        let fx = fixture();
        assert_eq!(
            render(&[], &options(&fx, OutputFormat::Junit)),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="pylint-recover" tests="0" failures="0" errors="0">
  <testsuite name="pylint-recover" tests="0" failures="0" errors="0" skipped="0"/>
</testsuites>
"#
        );
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("<a href='x'>&\"\n\u{1}"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&#10;\u{FFFD}"
        );
    }
}
