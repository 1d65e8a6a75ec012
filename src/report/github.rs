//! `github` format: GitHub Actions workflow commands, one per finding, which the runner
//! turns into annotations on the pull request:
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`.
//! Columns only for one-line spans; `::warning` for warnings.

use super::paths;
use crate::diagnostic::{Diagnostic, Severity};
use std::io::{self, Write};

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = escape_property(&paths::portable(&d.path, &opts.cwd));
        let s = &d.span;
        write!(out, "::{command} file={file},line={}", s.row)?;
        if s.row == s.end_row {
            write!(out, ",col={}", s.col)?;
        }
        write!(out, ",endLine={}", s.end_row)?;
        if s.row == s.end_row {
            write!(out, ",endColumn={}", s.end_col)?;
        }
        writeln!(out, ",title={}::{}", escape_property(d.code), escape_data(&d.message))?;
    }
    Ok(())
}

/// Escapes the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (`:` and `,` separate properties).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render, span_of, MIGRATION};
    use super::super::OutputFormat;
    use super::*;

    #[test]
    fn one_command_per_finding() {
        let fx = fixture();
        let text = render(&fx.diags, &options(&fx, OutputFormat::Github));
        assert_eq!(
            text,
            "::error file=app/api.py,line=7,col=15,endLine=7,endColumn=66,title=JWT001::`jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it
::warning file=migrations/versions/0001_init.py,line=5,endLine=6,title=MIG005::`downgrade()` does nothing while `upgrade()` creates table `users`
"
        );
        assert_eq!(render(&[], &options(&fx, OutputFormat::Github)), "");
    }

    #[test]
    fn escapes_messages_and_properties() {
        let fx = fixture();
        let path = fx.root().join("a:b,c%.py");
        std::fs::write(&path, MIGRATION).unwrap();
        let diag = Diagnostic::new(
            "MIG006",
            Severity::Error,
            path,
            span_of(MIGRATION, "pass"),
            "100% sure: a, b\r\nnext line".to_string(),
        );
        let text = render(&[diag], &options(&fx, OutputFormat::Github));
        assert_eq!(
            text,
            "::error file=a%3Ab%2Cc%25.py,line=6,col=5,endLine=6,endColumn=9,title=MIG006::100%25 sure: a, b%0D%0Anext line\n"
        );
    }

    #[test]
    fn escape_functions() {
        assert_eq!(escape_data("a%b\nc\rd:e,f"), "a%25b%0Ac%0Dd:e,f");
        assert_eq!(escape_property("a%b\nc\rd:e,f"), "a%25b%0Ac%0Dd%3Ae%2Cf");
    }
}
