//! `json` and `json-lines` formats: ruff's field names (`code`, `message`, `filename`,
//! `location`, `end_location`, `url`, `fix`, `noqa_row`) plus `help` and `severity`, so
//! tooling written for ruff reads them. `json` is one pretty-printed array (2-space
//! indent, `[]` when clean); `json-lines` one compact object per line.

use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::io::{self, Write};

/// One finding as ruff prints it (fields in ruff's alphabetical order).
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    end_location: Location,
    /// Absolute, as ruff.
    filename: String,
    /// Always null: no rule offers fixes yet.
    fix: Option<()>,
    help: Option<&'a str>,
    location: Location,
    message: &'a str,
    noqa_row: u32,
    severity: &'static str,
    url: Option<&'a str>,
}

/// 1-based row and character column.
#[derive(Serialize)]
struct Location {
    column: u32,
    row: u32,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            code: d.code,
            end_location: Location {
                column: d.span.end_col,
                row: d.span.end_row,
            },
            filename: d.path.to_string_lossy().into_owned(),
            fix: None,
            help: d.help.as_deref(),
            location: Location {
                column: d.span.col,
                row: d.span.row,
            },
            message: &d.message,
            noqa_row: d.span.row,
            severity: d.severity.as_str(),
            url: None,
        }
    }
}

pub(super) fn write_json(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<_> = diags.iter().map(JsonDiagnostic::new).collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

pub(super) fn write_json_lines(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        serde_json::to_writer(&mut *out, &JsonDiagnostic::new(d))?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;

    #[test]
    fn json_uses_ruff_field_names() {
        let fx = fixture();
        let text = fx.redact(&render(&fx.diags, &options(&fx, OutputFormat::Json)));
        assert_eq!(
            text,
            r#"[
  {
    "code": "JWT001",
    "end_location": {
      "column": 66,
      "row": 7
    },
    "filename": "[TMP]/app/api.py",
    "fix": null,
    "help": "Sign and verify with the same key",
    "location": {
      "column": 15,
      "row": 7
    },
    "message": "`jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it",
    "noqa_row": 7,
    "severity": "error",
    "url": null
  },
  {
    "code": "MIG005",
    "end_location": {
      "column": 9,
      "row": 6
    },
    "filename": "[TMP]/migrations/versions/0001_init.py",
    "fix": null,
    "help": null,
    "location": {
      "column": 1,
      "row": 5
    },
    "message": "`downgrade()` does nothing while `upgrade()` creates table `users`",
    "noqa_row": 5,
    "severity": "warning",
    "url": null
  }
]
"#
        );
    }

    #[test]
    fn json_is_an_empty_array_when_clean() {
        let fx = fixture();
        assert_eq!(render(&[], &options(&fx, OutputFormat::Json)), "[]\n");
        assert_eq!(render(&[], &options(&fx, OutputFormat::JsonLines)), "");
    }

    #[test]
    fn json_lines_has_one_compact_object_per_line() {
        let fx = fixture();
        let text = fx.redact(&render(&fx.diags, &options(&fx, OutputFormat::JsonLines)));
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            r#"{"code":"MIG005","end_location":{"column":9,"row":6},"filename":"[TMP]/migrations/versions/0001_init.py","fix":null,"help":null,"location":{"column":1,"row":5},"message":"`downgrade()` does nothing while `upgrade()` creates table `users`","noqa_row":5,"severity":"warning","url":null}"#
        );
    }
}
