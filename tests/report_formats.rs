//! Integration test of `report::write_report` through the public API: every format
//! renders the same findings, machine formats parse, human formats end with the summary.

use pylint_recover::diagnostic::{Diagnostic, Label, LineIndex, Severity, Span};
use pylint_recover::report::{write_report, OutputFormat, ReportOptions};
use std::path::Path;

const MODELS: &str = "class Order(Base):\n    items = relationship(\"Item\")\n";
const VIEWS: &str = "async def list_orders(session):\n    for order in await session.scalars(select(Order)):\n        print(order.items)\n";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    LineIndex::new(text).span(start, start + needle.len())
}

fn diagnostics(root: &Path) -> Vec<Diagnostic> {
    std::fs::write(root.join("models.py"), MODELS).unwrap();
    std::fs::write(root.join("views.py"), VIEWS).unwrap();
    vec![Diagnostic::new(
        "ORM003",
        Severity::Error,
        root.join("views.py"),
        span_of(VIEWS, "order.items"),
        "`Order.items` is loaded lazily in async code".to_string(),
    )
    .with_help("Add `selectinload(Order.items)` to the query")
    .with_label(Label {
        path: root.join("models.py"),
        span: span_of(MODELS, "relationship(\"Item\")"),
        message: "lazy relationship declared here".to_string(),
    })]
}

fn render(diags: &[Diagnostic], root: &Path, format: OutputFormat, color: bool) -> String {
    let opts = ReportOptions {
        format,
        color,
        statistics: false,
        quiet: false,
        cwd: root.to_path_buf(),
    };
    let mut out = Vec::new();
    write_report(diags, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_format_renders() {
    let dir = tempfile::tempdir().unwrap();
    let diags = diagnostics(dir.path());
    for format in [OutputFormat::Json, OutputFormat::Gitlab, OutputFormat::Sarif] {
        let text = render(&diags, dir.path(), format, false);
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
    }
    let lines = render(&diags, dir.path(), OutputFormat::JsonLines, false);
    for line in lines.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    let full = render(&diags, dir.path(), OutputFormat::Full, false);
    for expected in [
        "ORM003",
        "loaded lazily",
        "views.py:3:15",
        "print(order.items)",
        "models.py:2:13",
        "help: Add",
    ] {
        assert!(full.contains(expected), "{expected} in\n{full}");
    }
    assert!(full.ends_with("\nFound 1 issue.\n"));
    let colored = render(&diags, dir.path(), OutputFormat::Full, true);
    assert!(colored.contains("\u{1b}["));
    let concise = render(&diags, dir.path(), OutputFormat::Concise, false);
    assert_eq!(
        concise,
        "views.py:3:15: ORM003 `Order.items` is loaded lazily in async code\nFound 1 issue.\n"
    );
    let github = render(&diags, dir.path(), OutputFormat::Github, false);
    assert!(github.starts_with("::error file=views.py,line=3,col=15,endLine=3,endColumn=26,title=ORM003::"));
    let junit = render(&diags, dir.path(), OutputFormat::Junit, false);
    assert!(junit.contains(r#"<failure message="ORM003 `Order.items` is loaded lazily in async code" type="ORM003">"#));
}
