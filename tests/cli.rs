//! The command-line contract: exit codes, formats, `rule`/`rules`, config errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pylint-recover"));
    c.env("NO_COLOR", "1");
    c
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

fn temp_project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn clean_project_exits_zero() {
    let out = bin()
        .args(["check"])
        .arg(fixture("imp/clean-pep621-src"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("All checks passed!"));
}

#[test]
fn findings_exit_one_and_exit_zero_flag() {
    let case = fixture("imp/undeclared-name-mismatch");
    let out = bin()
        .args(["check", "--output-format", "concise"])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ledgerly/config.py:9:8: IMP001"), "{text}");
    assert!(text.contains("Found 3 issues."), "{text}");
    let out = bin().args(["check", "--exit-zero", "-q"]).arg(&case).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn json_has_ruff_fields() {
    let case = fixture("imp/undeclared-name-mismatch");
    let out = bin()
        .args(["check", "--output-format", "json"])
        .arg(&case)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v.as_array().unwrap()[0];
    for key in [
        "code",
        "message",
        "filename",
        "location",
        "end_location",
        "url",
        "fix",
        "noqa_row",
        "help",
        "severity",
    ] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    assert_eq!(first["code"], "IMP001");
    assert_eq!(first["location"]["row"], 9);
    assert_eq!(first["location"]["column"], 8);
    assert_eq!(first["end_location"]["column"], 12);
    assert_eq!(first["severity"], "error");
    assert!(Path::new(first["filename"].as_str().unwrap()).is_absolute());
    assert!(first["help"].as_str().unwrap().contains("PyYAML"));
}

#[test]
fn select_and_ignore() {
    let case = fixture("imp/src-layout-moved-modules");
    let out = bin()
        .args(["check", "--output-format", "json", "--select", "IMP002"])
        .arg(&case)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|d| d["code"] == "IMP002"));
    assert_eq!(v.as_array().unwrap().len(), 2);
    let out = bin()
        .args(["check", "--output-format", "json", "--ignore", "IMP"])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = bin().args(["check", "--select", "NOPE1"]).arg(&case).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_config_exits_two_with_location() {
    let dir = temp_project(&[
        ("pyproject.toml", "[project]\nname = \"x\"\ndependencies = []\n\n[tool.pylint-recover]\nselect = [\"IMP\"]\nignroe = [\"IMP001\"]\n"),
        ("x.py", "import os\n"),
    ]);
    let out = bin().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pyproject.toml:7:1"), "{err}");
    assert!(err.contains("unknown key `ignroe`"), "{err}");
    assert!(err.contains("valid keys are"), "{err}");
}

#[test]
fn missing_path_exits_two() {
    let out = bin().args(["check", "/definitely/not/here"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unreadable_and_binary_files_are_pr001_and_others_still_reported() {
    let dir = temp_project(&[
        ("pyproject.toml", "[project]\nname = \"x\"\ndependencies = []\n"),
        ("a.py", "import yaml\n"),
        ("b.py", "x = 1\n\0\0\0binary"),
        ("c.py", "def broken(:\n    import requests\n"),
    ]);
    std::fs::write(
        dir.path().join("d.py"),
        [
            0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x74, 0x6f, 0x6d, 0x6c, 0xff, 0x0a,
        ],
    )
    .unwrap();
    let out = bin()
        .args(["check", "--output-format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("a.py:1:8: IMP001"), "{text}");
    assert!(text.contains("b.py:1:1: PR001"), "{text}");
    assert!(text.contains("c.py:2:12: IMP001"), "{text}");
}

#[test]
fn rule_docs_and_list() {
    let out = bin().args(["rule", "IMP001"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## How to fix",
        "## Example",
        "ModuleNotFoundError",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
    assert_eq!(bin().args(["rule", "XYZ999"]).output().unwrap().status.code(), Some(2));
    let out = bin().args(["rules", "--output-format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "IMP007" && r["implemented"] == true));
}

#[test]
fn findings_shown_for_given_paths_and_related_files() {
    // Checking only the manifest shows the IMP006 on it and the IMP001 that this manifest
    // should fix; checking only a module shows nothing from other modules.
    let case = fixture("imp/confusables-requirements-include");
    let out = bin()
        .args(["check", "--output-format", "concise"])
        .arg(case.join("requirements/base.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("base.txt:4:1: IMP006"), "{text}");
    assert!(text.contains("suppliers.py:7:8: IMP001"), "{text}");
    let out = bin()
        .args(["check", "--output-format", "concise"])
        .arg(case.join("menumate/auth.py"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("IMP006"),
        "the importing file relates to the manifest finding: {text}"
    );
    assert!(!text.contains("suppliers.py"), "{text}");
}

#[test]
fn show_facts_prints_json() {
    let case = fixture("imp/undeclared-name-mismatch");
    let out = bin()
        .args(["check", "--show-facts"])
        .arg(case.join("ledgerly/links.py"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["imports"][3]["module"], "jwt");
}

#[test]
fn cache_gives_the_same_findings_and_sees_edits() {
    let dir = temp_project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\"requests\"]\n",
        ),
        ("app/__init__.py", ""),
        ("app/a.py", "import requests\nimport yaml\n"),
    ]);
    let run = |extra: &[&str]| {
        let out = bin()
            .args(["check", "--output-format", "concise", "-q"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let cold = run(&[]);
    assert!(dir.path().join(".pylint-recover-cache").is_dir());
    let warm = run(&[]);
    assert_eq!(cold, warm);
    assert_eq!(cold, run(&["--no-cache"]));
    assert!(cold.contains("a.py:2:8: IMP001"), "{cold}");
    // An edit is seen even when size and mtime could collide.
    std::fs::write(dir.path().join("app/a.py"), "import requests\nimport jwt_\n").unwrap();
    let edited = run(&[]);
    assert!(edited.contains("`jwt_`"), "{edited}");
    assert!(!edited.contains("`yaml`"), "{edited}");
}

#[test]
fn output_is_identical_with_one_thread() {
    let case = fixture("imp/src-layout-moved-modules");
    let a = bin()
        .args(["check", "--output-format", "json", "--no-cache"])
        .arg(&case)
        .output()
        .unwrap();
    let b = bin()
        .args(["check", "--output-format", "json", "--no-cache"])
        .env("RAYON_NUM_THREADS", "1")
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn every_output_format_renders() {
    let case = fixture("imp/src-layout-moved-modules");
    let run = |fmt: &str| {
        let out = bin()
            .args(["check", "--no-cache", "--output-format", fmt])
            .arg(&case)
            .current_dir(&case)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{fmt}");
        String::from_utf8(out.stdout).unwrap()
    };
    let full = run("full");
    assert!(
        full.contains("IMP002") && full.contains("help: did you mean `tasktrack.services.notifications`?"),
        "{full}"
    );
    assert!(full.contains("Found 4 issues."), "{full}");
    let concise = run("concise");
    assert!(
        concise.contains("src/tasktrack/app.py:8:6: IMP002 no module `tasktrack.servcies`"),
        "{concise}"
    );
    let lines = run("json-lines");
    assert_eq!(lines.lines().count(), 4);
    for line in lines.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    let github = run("github");
    assert!(
        github.contains("::error file=src/tasktrack/app.py,line=8,col=6,endLine=8,endColumn="),
        "{github}"
    );
    let gitlab: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(gitlab.as_array().unwrap().len(), 4);
    assert_eq!(gitlab[0]["severity"], "major");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        9
    );
    let junit = run("junit");
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert_eq!(junit.matches("<failure").count(), 4);
    let stats = bin()
        .args(["check", "--no-cache", "--statistics"])
        .arg(&case)
        .output()
        .unwrap();
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(stats.contains("2\tIMP002\tunresolved-first-party-module"), "{stats}");
    assert!(stats.contains("2\tIMP003\tunknown-import-name"), "{stats}");
}
