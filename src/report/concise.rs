//! `concise` format: one line per finding, `path:row:col: CODE message`, the path
//! relative to the working folder. With color, the path is bold and the code red
//! (error) or yellow (warning).

use super::paths;
use crate::diagnostic::{Diagnostic, Severity};
use std::io::{self, Write};

const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

pub(super) fn write(diags: &[Diagnostic], opts: &super::ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    for d in diags {
        let path = paths::display(&d.path, &opts.cwd);
        let (row, col) = (d.span.row, d.span.col);
        if opts.color {
            let code_color = match d.severity {
                Severity::Error => RED,
                Severity::Warning => YELLOW,
            };
            writeln!(
                out,
                "{BOLD}{path}{RESET}:{row}:{col}: {code_color}{}{RESET} {}",
                d.code, d.message
            )?;
        } else {
            writeln!(out, "{path}:{row}:{col}: {} {}", d.code, d.message)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;

    #[test]
    fn one_line_per_finding_then_the_summary() {
        let fx = fixture();
        let text = render(&fx.diags, &options(&fx, OutputFormat::Concise));
        assert_eq!(
            text,
            "app/api.py:7:15: JWT001 `jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it
migrations/versions/0001_init.py:5:1: MIG005 `downgrade()` does nothing while `upgrade()` creates table `users`
Found 2 issues.
"
        );
    }

    #[test]
    fn paths_outside_cwd_stay_absolute() {
        let fx = fixture();
        let mut opts = options(&fx, OutputFormat::Concise);
        opts.cwd = fx.root().join("migrations");
        let text = fx.redact(&render(&fx.diags[..1], &opts));
        assert!(text.starts_with("[TMP]/app/api.py:7:15: JWT001 "), "{text}");
    }

    #[test]
    fn color_marks_path_and_code() {
        let fx = fixture();
        let mut opts = options(&fx, OutputFormat::Concise);
        opts.color = true;
        let text = render(&fx.diags, &opts);
        assert!(
            text.starts_with("\x1b[1mapp/api.py\x1b[0m:7:15: \x1b[1;31mJWT001\x1b[0m `jwt.decode`"),
            "{text:?}"
        );
        assert!(text.contains("\x1b[1;33mMIG005\x1b[0m"), "{text:?}");
    }
}
