//! Normalization of Arabic news text with an exact map back to the original.
//!
//! (stub: being written)
use std::ops::Range;

/// Normalized text plus, for every byte of it, the byte range in the original
/// text of the character it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
}

impl Normalized {
    /// Maps a byte range of the normalized text back to the original text.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        range
    }
}

pub fn normalize(original: &str) -> Normalized {
    Normalized { text: original.to_string() }
}

/// The normalized form of a string (rules, lexicon entries, aliases).
pub fn fold(s: &str) -> String {
    normalize(s).text
}
