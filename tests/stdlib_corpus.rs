//! Real code without a download: the machine's own Python standard library is checked
//! with every rule; the run must complete without internal errors and without IMP002/
//! IMP003 false alarms on CPython's own (correct) imports of its own modules.

use pylint_recover::check::{self, CheckOptions};
use std::path::PathBuf;
use std::process::Command;

fn stdlib_dir() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    p.join("os.py").is_file().then_some(p)
}

#[test]
fn standard_library_runs_clean_of_internal_errors() {
    let Some(dir) = stdlib_dir() else {
        eprintln!("python3 not found: skipping the standard-library corpus");
        return;
    };
    // Only the `json` and `email` packages: enough real relative and absolute imports,
    // fast enough for every test run.
    for pkg in ["json", "email", "asyncio", "importlib"] {
        let result = check::run(&CheckOptions {
            paths: vec![dir.join(pkg)],
            ..CheckOptions::default()
        })
        .unwrap();
        assert_eq!(result.internal_errors, 0, "{pkg}");
        let wrong: Vec<String> = result
            .diagnostics
            .iter()
            .filter(|d| d.code == "IMP002" || d.code == "IMP003" || d.code.starts_with("PR"))
            .map(|d| format!("{}:{} {} {}", d.path.display(), d.span.row, d.code, d.message))
            .collect();
        assert!(wrong.is_empty(), "{pkg}: {wrong:#?}");
    }
}
