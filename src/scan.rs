//! Scan: a byte-level pass that tells which extractors a file needs, from their trigger
//! words matched as tokens (`stamp` does not fire on `timestamp`, `op.` not on `loop.`).
//!
//! Not for parsing: it only decides what the parse must cover.

use crate::facts::triggers::{Extractor, ALL};
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Which extractors fired, as a bit set over `triggers::ALL`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs(u32);

impl Needs {
    pub fn contains(self, extractor: &Extractor) -> bool {
        ALL.iter()
            .position(|e| e.name == extractor.name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// Whether anything beyond imports and top-level names is needed (a full parse).
    pub fn needs_full_tree(self) -> bool {
        self.0 & !1 != 0
    }
}

struct Matcher {
    ac: AhoCorasick,
    /// Pattern index → extractor index.
    owner: Vec<usize>,
    words: Vec<&'static str>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut words = Vec::new();
        let mut owner = Vec::new();
        for (i, e) in ALL.iter().enumerate() {
            for w in e.triggers {
                words.push(*w);
                owner.push(i);
            }
        }
        let ac = AhoCorasick::new(&words).expect("trigger words are valid patterns");
        Matcher { ac, owner, words }
    })
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Scans a file's bytes: the imports extractor always runs; the others when one of their
/// trigger words occurs as a token.
pub fn scan(bytes: &[u8]) -> Needs {
    let m = matcher();
    let mut needs = 1u32; // imports
    let all = (1u32 << ALL.len()) - 1;
    for hit in m.ac.find_overlapping_iter(bytes) {
        let word = m.words[hit.pattern().as_usize()].as_bytes();
        let (s, e) = (hit.start(), hit.end());
        if is_ident(word[0]) && s > 0 && is_ident(bytes[s - 1]) {
            continue;
        }
        if is_ident(word[word.len() - 1]) && e < bytes.len() && is_ident(bytes[e]) {
            continue;
        }
        needs |= 1 << m.owner[hit.pattern().as_usize()];
        if needs == all {
            break;
        }
    }
    Needs(needs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::triggers::{ALEMBIC, COMMANDS, IMPORTS, JWT, ORM};

    #[test]
    fn tokens_not_substrings() {
        let n = scan(b"created = timestamp()\nfor x in loop.items(): pass\n");
        assert!(n.contains(&IMPORTS));
        assert!(!n.contains(&COMMANDS));
        assert!(!n.contains(&ALEMBIC));
        assert!(!n.needs_full_tree());
        let n = scan(b"subprocess.run(['alembic', 'stamp', 'head'])\nop.add_column('t', c)\n");
        assert!(n.contains(&COMMANDS));
        assert!(n.contains(&ALEMBIC));
        let n = scan(b"import jwt\nposts = relationship('Post')\n");
        assert!(n.contains(&JWT));
        assert!(n.contains(&ORM));
        assert!(n.needs_full_tree());
        assert!(!scan(b"pyjwt_version = 2").contains(&JWT));
    }
}
