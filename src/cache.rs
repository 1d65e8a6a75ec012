//! Facts cache: `.pylint-recover-cache/` in each walked project folder keeps every file's
//! facts keyed on (size, mtime), then on the content hash when those differ (as ruff
//! does), plus the tool build. A cache that cannot be read or written is ignored.

use crate::facts::FileFacts;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Name of the cache folder.
pub const DIR: &str = ".pylint-recover-cache";

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    size: u64,
    mtime_ns: u128,
    content_hash: u64,
    facts: FileFacts,
}

/// The cached facts of one walk root.
#[derive(Serialize, Deserialize, Default)]
pub struct Cache {
    build: String,
    entries: FxHashMap<PathBuf, Entry>,
    #[serde(skip)]
    dirty: bool,
}

/// Identifies the build that wrote a cache: version plus the executable's size and
/// modification time, so any rebuild starts afresh.
fn build_key() -> String {
    let exe = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok());
    let (size, mtime) = exe
        .map(|m| {
            (
                m.len(),
                m.modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            )
        })
        .unwrap_or((0, 0));
    format!("{}-{size}-{mtime}", env!("CARGO_PKG_VERSION"))
}

fn file_path(root: &Path) -> PathBuf {
    root.join(DIR).join(format!("facts-{}.bin", env!("CARGO_PKG_VERSION")))
}

/// A stable 64-bit FNV-1a hash of file contents.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

impl Cache {
    /// Loads the cache of a walk root; empty when absent, unreadable or of another build.
    pub fn load(root: &Path) -> Cache {
        let build = build_key();
        let loaded = std::fs::read(file_path(root))
            .ok()
            .and_then(|bytes| bincode::deserialize::<Cache>(&bytes).ok());
        match loaded {
            Some(c) if c.build == build => c,
            _ => Cache {
                build,
                entries: FxHashMap::default(),
                dirty: true,
            },
        }
    }

    /// The cached facts of `path` when its size and mtime match, or its content hash does.
    pub fn get(
        &mut self,
        path: &Path,
        size: u64,
        mtime_ns: u128,
        read: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<FileFacts> {
        let entry = self.entries.get_mut(path)?;
        if entry.size == size && entry.mtime_ns == mtime_ns {
            return Some(entry.facts.clone());
        }
        let bytes = read()?;
        if entry.size == size && entry.content_hash == content_hash(&bytes) {
            entry.mtime_ns = mtime_ns;
            self.dirty = true;
            return Some(entry.facts.clone());
        }
        None
    }

    pub fn insert(&mut self, path: PathBuf, size: u64, mtime_ns: u128, content_hash: u64, facts: FileFacts) {
        self.entries.insert(
            path,
            Entry {
                size,
                mtime_ns,
                content_hash,
                facts,
            },
        );
        self.dirty = true;
    }

    /// Drops entries of files that no longer exist in the walk.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        let before = self.entries.len();
        self.entries.retain(|p, _| keep(p));
        self.dirty |= before != self.entries.len();
    }

    /// Writes the cache when it changed; errors are ignored (a read-only checkout works).
    pub fn save(&self, root: &Path) {
        if !self.dirty {
            return;
        }
        let dir = root.join(DIR);
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let _ = std::fs::write(
            dir.join(".gitignore"),
            "# Automatically created by pylint-recover.\n*\n",
        );
        let _ = std::fs::write(
            dir.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n",
        );
        if let Ok(bytes) = bincode::serialize(self) {
            let tmp = dir.join(format!(".facts-{}.tmp", std::process::id()));
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, file_path(root));
            }
        }
    }
}

/// (size, mtime in ns) of a file.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let mtime = m.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((m.len(), mtime))
}

/// A hash of a path, for grouping (not persisted).
pub fn path_hash(p: &Path) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    p.hash(&mut h);
    h.finish()
}
