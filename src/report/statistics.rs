//! `--statistics`: how many findings per code, most frequent first (ties by code), as
//! ruff prints them: `count<TAB>code<TAB>name` lines, or a JSON array of
//! `{code, name, count}` with `--output-format json`.

use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Statistic {
    code: &'static str,
    name: &'static str,
    count: usize,
}

fn statistics(diags: &[Diagnostic]) -> Vec<Statistic> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diags {
        *counts.entry(d.code).or_default() += 1;
    }
    let mut stats: Vec<_> = counts
        .into_iter()
        .map(|(code, count)| Statistic {
            code,
            name: crate::rules::rule(code).map_or("", |r| r.name),
            count,
        })
        .collect();
    stats.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    stats
}

pub(super) fn write_text(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let stats = statistics(diags);
    let width = stats
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(0)
        .max(5);
    for s in &stats {
        writeln!(out, "{:>width$}\t{}\t{}", s.count, s.code, s.name)?;
    }
    Ok(())
}

pub(super) fn write_json(diags: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &statistics(diags))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{fixture, options, render};
    use super::super::OutputFormat;

    #[test]
    fn counts_per_code_most_frequent_first() {
        let fx = fixture();
        let diags = vec![fx.diags[1].clone(), fx.diags[0].clone(), fx.diags[1].clone()];
        for format in [OutputFormat::Full, OutputFormat::Concise, OutputFormat::Sarif] {
            let mut opts = options(&fx, format);
            opts.statistics = true;
            assert_eq!(
                render(&diags, &opts),
                "    2\tMIG005\tempty-downgrade\n    1\tJWT001\tkey-mismatch\n"
            );
        }
    }

    #[test]
    fn json_statistics_are_an_array() {
        let fx = fixture();
        let mut opts = options(&fx, OutputFormat::Json);
        opts.statistics = true;
        assert_eq!(
            render(&fx.diags, &opts),
            r#"[
  {
    "code": "JWT001",
    "name": "key-mismatch",
    "count": 1
  },
  {
    "code": "MIG005",
    "name": "empty-downgrade",
    "count": 1
  }
]
"#
        );
        assert_eq!(render(&[], &opts), "[]\n");
    }
}
