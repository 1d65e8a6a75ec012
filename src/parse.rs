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
