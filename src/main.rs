//! Command line: `check`, `rule`, `rules`.

use clap::{Parser, Subcommand, ValueEnum};
use pylint_recover::check::{self, CheckOptions};
use pylint_recover::config::Selection;
use pylint_recover::report::{self, OutputFormat, ReportOptions};
use pylint_recover::rules::{registry, RULES};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pylint-recover",
    version,
    about = "Finds the import, JWT, ORM and migration mistakes of Python backends before they fail in production"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files or folders (default: the current folder).
    Check(CheckArgs),
    /// Print the documentation of a rule.
    Rule {
        /// A rule code such as IMP001.
        code: String,
    },
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        output_format: ListFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check.
    paths: Vec<PathBuf>,
    /// Rules to enable (codes or prefixes, comma-separated), replacing the configured selection.
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Rules to enable in addition to the selection.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "full")]
    output_format: OutputFormat,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Exit with status 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// A configuration file to use instead of the discovered ones.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not read or write the cache.
    #[arg(long)]
    no_cache: bool,
    /// Print only the findings, no summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print the facts extracted from one file as JSON, and exit.
    #[arg(long, value_name = "FILE")]
    show_facts: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Rule { code } => match registry::rule(&code) {
            Some(r) => {
                let status = if r.implemented { "" } else { " (not implemented yet)" };
                let enabled = match (r.implemented, r.default_on) {
                    (false, _) => "Not implemented in this release: it reports nothing yet.",
                    (true, true) => "Enabled by default.",
                    (true, false) => "Disabled by default.",
                };
                out(&format!(
                    "# {} ({}){status}\n\nFamily: {}. Default severity: {}. {enabled}\n\n{}",
                    r.name,
                    r.code,
                    r.family,
                    r.severity.as_str(),
                    r.doc
                ))
            }
            None => {
                eprintln!("error: unknown rule code `{code}` (see `pylint-recover rules`)");
                2
            }
        },
        Command::Rules { output_format } => {
            let text = match output_format {
                ListFormat::Text => RULES
                    .iter()
                    .map(|r| {
                        format!(
                            "{:<7} {:<32} {:<8} {}{}\n",
                            r.code,
                            r.name,
                            r.severity.as_str(),
                            r.summary,
                            if r.implemented { "" } else { " (not implemented yet)" }
                        )
                    })
                    .collect::<String>(),
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> = RULES
                        .iter()
                        .map(|r| {
                            serde_json::json!({
                                "code": r.code, "name": r.name, "family": r.family, "severity": r.severity.as_str(),
                                "default": r.default_on, "implemented": r.implemented, "summary": r.summary, "doc": r.doc,
                            })
                        })
                        .collect();
                    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
                }
            };
            out(&text)
        }
    };
    ExitCode::from(code)
}

/// Writes to stdout; a closed pipe ends the program quietly.
fn out(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn run_check(args: CheckArgs) -> u8 {
    for sel in args
        .select
        .iter()
        .flatten()
        .chain(args.extend_select.iter())
        .chain(args.ignore.iter())
    {
        if !registry::is_valid_selector(sel) {
            eprintln!("error: unknown rule code or prefix `{sel}`: valid are ALL, a family (IMP, JWT, ORM, MIG, PR), a prefix such as `IMP00`, or a code such as `IMP001` (see `pylint-recover rules`)");
            return 2;
        }
    }
    let opts = CheckOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        selection: Selection {
            select: args.select.clone(),
            extend_select: args.extend_select.clone(),
            ignore: args.ignore.clone(),
        },
        cache: !args.no_cache,
    };
    if let Some(file) = &args.show_facts {
        let mut o = opts.clone();
        if o.paths.is_empty() {
            o.paths = vec![file.clone()];
        }
        return match check::analyse(&o) {
            Ok((_, ws)) => {
                let abs = pylint_recover::discover::normalize_path(
                    &std::path::absolute(file).unwrap_or_else(|_| file.clone()),
                );
                match ws.files.iter().find(|f| f.path == abs) {
                    Some(f) => out(&(serde_json::to_string_pretty(f).unwrap_or_default() + "\n")),
                    None => {
                        eprintln!("error: {} is not a file pylint-recover analyses (excluded, or not a Python/manifest/command file)", file.display());
                        2
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        };
    }
    let result = match check::run(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    for note in &result.notes {
        eprintln!("warning: {note}");
    }
    // Warn for selectors that select nothing implemented (`ORM`, `MIG008`), not for a
    // family that is only partly planned.
    let planned: Vec<&str> = args
        .select
        .iter()
        .flatten()
        .chain(args.extend_select.iter())
        .filter(|s| !s.eq_ignore_ascii_case("ALL"))
        .filter(|s| {
            !RULES
                .iter()
                .any(|r| r.implemented && registry::selector_matches(s, r.code))
        })
        .flat_map(|s| RULES.iter().filter(move |r| registry::selector_matches(s, r.code)))
        .map(|r| r.code)
        .collect();
    if !planned.is_empty() {
        eprintln!(
            "warning: selected rules not implemented in this release (they report nothing yet): {}",
            planned.join(", ")
        );
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let ropts = ReportOptions {
        format: args.output_format,
        color,
        statistics: args.statistics,
        quiet: args.quiet,
        cwd: std::env::current_dir().unwrap_or_default(),
    };
    let mut buf: Vec<u8> = Vec::new();
    if let Err(e) = report::write_report(&result.diagnostics, &ropts, &mut buf) {
        eprintln!("error: {e}");
        return 2;
    }
    let text = String::from_utf8_lossy(&buf);
    if out(&text) == 2 {
        return 2;
    }
    if result.internal_errors > 0 {
        eprintln!(
            "error: {} internal error(s) (PR002); please report them",
            result.internal_errors
        );
        return 2;
    }
    if result.diagnostics.is_empty() || args.exit_zero {
        0
    } else {
        1
    }
}
