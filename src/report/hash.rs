//! FNV-1a (64 bit): the stable hash behind GitLab and SARIF fingerprints. Unlike std's
//! `DefaultHasher`, its values never change between Rust versions or runs, so CI can
//! match a finding with the same finding of an earlier run.

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `parts`, each followed by a NUL byte so that `("ab", "c")` and
/// `("a", "bc")` differ.
pub(super) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash = OFFSET_BASIS;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// 16 lowercase hex digits.
pub(super) fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // FNV-1a 64 of "" is the offset basis; of "a" (here "a\0") a fixed constant.
        assert_eq!(fnv1a(&[]), OFFSET_BASIS);
        assert_eq!(hex(fnv1a(&["a"])), "089be207b544f1e4");
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }
}
