//! Report: format sorted diagnostics (full, concise, json, json-lines, github, gitlab,
//! sarif, junit) and print the summary. Knows nothing about parsing or rules' logic.
//!
//! One submodule per format; `source` reads and indexes the files the code frames and
//! SARIF fingerprints quote, `paths` and `hash` are the small helpers they share.

mod concise;
mod full;
mod github;
mod gitlab;
mod hash;
mod json;
mod junit;
mod paths;
mod sarif;
mod source;
mod statistics;

#[cfg(test)]
mod test_support;

use crate::diagnostic::Diagnostic;
use std::io::{self, Write};
use std::path::PathBuf;

/// `--output-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Full,
    Concise,
    Json,
    JsonLines,
    Github,
    Gitlab,
    Sarif,
    Junit,
}

/// How to print.
pub struct ReportOptions {
    pub format: OutputFormat,
    /// ANSI colors in the human formats.
    pub color: bool,
    /// `--statistics`: counts per code instead of the findings.
    pub statistics: bool,
    /// `--quiet`: no summary line.
    pub quiet: bool,
    /// Paths are shown relative to this folder in human formats and SARIF/GitLab.
    pub cwd: PathBuf,
}

/// Writes the diagnostics (already sorted and filtered) in the chosen format.
///
/// Human formats (`full`, `concise`) end with the summary line unless `quiet`; machine
/// formats print nothing but their document. With `statistics`, prints the counts per
/// code instead (a JSON array for `json`, ruff's tab-separated lines otherwise).
pub fn write_report(diags: &[Diagnostic], opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    if opts.statistics {
        return match opts.format {
            OutputFormat::Json => statistics::write_json(diags, out),
            _ => statistics::write_text(diags, out),
        };
    }
    match opts.format {
        OutputFormat::Full => {
            full::write(diags, opts, out)?;
            write_summary(diags, opts, out)
        }
        OutputFormat::Concise => {
            concise::write(diags, opts, out)?;
            write_summary(diags, opts, out)
        }
        OutputFormat::Json => json::write_json(diags, out),
        OutputFormat::JsonLines => json::write_json_lines(diags, out),
        OutputFormat::Github => github::write(diags, opts, out),
        OutputFormat::Gitlab => gitlab::write(diags, opts, out),
        OutputFormat::Sarif => sarif::write(diags, opts, out),
        OutputFormat::Junit => junit::write(diags, opts, out),
    }
}

/// The last line of the human formats: `Found N issues.` or `All checks passed!`.
fn write_summary(diags: &[Diagnostic], opts: &ReportOptions, out: &mut dyn Write) -> io::Result<()> {
    if opts.quiet {
        return Ok(());
    }
    match diags.len() {
        0 => writeln!(out, "All checks passed!"),
        1 => writeln!(out, "Found 1 issue."),
        n => writeln!(out, "Found {n} issues."),
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{fixture, options, render};
    use super::*;

    #[test]
    fn summary_counts_issues() {
        let fx = fixture();
        let one = render(&fx.diags[..1], &options(&fx, OutputFormat::Concise));
        assert!(one.ends_with("\nFound 1 issue.\n"), "{one}");
        let two = render(&fx.diags, &options(&fx, OutputFormat::Concise));
        assert!(two.ends_with("\nFound 2 issues.\n"), "{two}");
    }

    #[test]
    fn clean_run_says_all_checks_passed() {
        let fx = fixture();
        for format in [OutputFormat::Full, OutputFormat::Concise] {
            assert_eq!(render(&[], &options(&fx, format)), "All checks passed!\n");
        }
    }

    #[test]
    fn quiet_drops_the_summary() {
        let fx = fixture();
        let mut opts = options(&fx, OutputFormat::Concise);
        opts.quiet = true;
        assert_eq!(render(&[], &opts), "");
        assert!(!render(&fx.diags, &opts).contains("Found"));
    }

    #[test]
    fn machine_formats_have_no_summary() {
        let fx = fixture();
        for format in [
            OutputFormat::Json,
            OutputFormat::JsonLines,
            OutputFormat::Github,
            OutputFormat::Gitlab,
            OutputFormat::Sarif,
            OutputFormat::Junit,
        ] {
            let text = render(&fx.diags, &options(&fx, format));
            assert!(!text.contains("Found 2 issues"), "{format:?}: {text}");
            assert!(
                !render(&[], &options(&fx, format)).contains("All checks passed"),
                "{format:?}"
            );
        }
    }
}
