//! Parse: tree-sitter parsers, one per worker thread, reused across files.
//!
//! Not for extraction: `facts::python` walks the trees this module produces.

use std::cell::RefCell;
use tree_sitter::{Language, Parser, Tree};

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// The Python grammar.
pub fn python() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

/// Parses Python source with this thread's parser. Syntax errors are kept in the tree
/// (tree-sitter recovers); `None` only if the parser gave up (timeout or cancellation).
pub fn parse_python(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&python()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        parser.reset();
        parser.parse(source, None)
    })
}

/// The compiled queries of `queries/*.scm`, built once and shared by all threads.
pub struct Queries {
    /// `queries/comments.scm`: comments holding `noqa`.
    pub comments: tree_sitter::Query,
}

/// The shared compiled queries.
pub fn queries() -> &'static Queries {
    static Q: std::sync::OnceLock<Queries> = std::sync::OnceLock::new();
    Q.get_or_init(|| Queries {
        comments: tree_sitter::Query::new(&python(), include_str!("../queries/comments.scm"))
            .expect("queries/comments.scm compiles"),
    })
}
