//! Normalization of Arabic news text, with an exact map back to the original.
//!
//! This module owns the one place where text changes shape before matching:
//! alef/hamza forms, alif maqsura and Persian letters are unified, tashkeel,
//! tatweel and invisible characters are dropped, Arabic-Indic and Persian
//! digits become ASCII, Unicode spaces become `' '`, CRLF becomes LF, the
//! double prime `″` (a closing quote in Arabic copy) becomes `"`, and
//! everything else goes through NFKC, one original character at a time. Each
//! kept original character, together with the dropped characters that follow
//! it, is a *unit*; the map records where each unit starts in both texts, so
//! any span of the normalized text maps back to an exact span of the
//! original (a word whose tanween was dropped maps back with its tanween).
//!
//! The map is run-length encoded: a checkpoint is stored only where the
//! offset between the two texts changes, so plain text costs nothing beyond
//! the normalized string itself.
use std::ops::Range;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// A point of the map: the unit starting at normalized byte `norm` starts at
/// original byte `orig`. Until the next checkpoint, offsets advance together,
/// unless `atomic` is set: then the segment is one unit that produced several
/// characters, and only its two ends map exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checkpoint {
    norm: u32,
    orig: u32,
    atomic: bool,
}

/// Normalized text plus the map back to the original text.
///
/// Offsets are stored as `u32`: the map is exact for originals shorter than
/// 4 GiB (longer inputs do not panic, their offsets saturate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    orig_len: usize,
    checkpoints: Vec<Checkpoint>,
}

impl Normalized {
    /// Byte range in the ORIGINAL text of the normalized byte range `range`.
    ///
    /// The start maps to the start of the unit it falls in, the end to the end
    /// of the unit it falls in (dropped characters after the last kept one
    /// included). Offsets that are out of bounds or not on char boundaries
    /// of `text` are clamped (start down, end up); a reversed range is
    /// treated as empty at its start. Never panics.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.floor_boundary(range.start);
        let end = self.ceil_boundary(range.end.max(start));
        let orig_start = self.map_floor(start);
        if end <= start {
            return orig_start..orig_start;
        }
        orig_start..self.map_ceil(end)
    }

    /// Original byte offset for a normalized byte offset (start side).
    ///
    /// `text.len()` maps to the original length; offsets inside a character
    /// are moved down to its start, offsets past the end are clamped.
    pub fn original_offset(&self, pos: usize) -> usize {
        self.map_floor(self.floor_boundary(pos))
    }

    /// Length in bytes of the original text.
    pub fn original_len(&self) -> usize {
        self.orig_len
    }

    /// Normalized byte offset of the unit that contains original byte `pos`
    /// (the inverse of [`Normalized::original_offset`], start side).
    /// `original_len()` and anything past it map to `text.len()`.
    pub fn normalized_offset(&self, pos: usize) -> usize {
        if pos >= self.orig_len {
            return self.text.len();
        }
        let pos32 = to_u32(pos);
        let idx = self.checkpoints.partition_point(|c| c.orig <= pos32);
        let raw = match idx.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            None => pos,
            Some(c) if c.atomic => c.norm as usize,
            Some(c) => (c.norm as usize).saturating_add(pos - c.orig as usize),
        };
        // Inside a unit that grew or shrank, or inside a dropped tail: move
        // down to a char boundary of the normalized text, never past the
        // next checkpoint.
        let limit = self
            .checkpoints
            .get(idx)
            .map_or(self.text.len(), |c| c.norm as usize);
        let mut p = raw.min(limit).min(self.text.len());
        while p > 0 && !self.text.is_char_boundary(p) {
            p -= 1;
        }
        // A dropped tail maps past the end of its unit's output: if the unit
        // starting at `p` starts after `pos`, step back one char.
        while p > 0 && self.map_floor(p) > pos {
            p -= 1;
            while p > 0 && !self.text.is_char_boundary(p) {
                p -= 1;
            }
        }
        p
    }

    fn floor_boundary(&self, pos: usize) -> usize {
        let mut p = pos.min(self.text.len());
        while p > 0 && !self.text.is_char_boundary(p) {
            p -= 1;
        }
        p
    }

    fn ceil_boundary(&self, pos: usize) -> usize {
        let mut p = pos.min(self.text.len());
        while p < self.text.len() && !self.text.is_char_boundary(p) {
            p += 1;
        }
        p
    }

    /// Index of the last checkpoint at or before normalized offset `p`.
    fn checkpoint_before(&self, p: usize) -> Option<usize> {
        let p32 = to_u32(p);
        self.checkpoints
            .partition_point(|c| c.norm <= p32)
            .checked_sub(1)
    }

    /// `p` must be a char boundary of `text`.
    fn map_floor(&self, p: usize) -> usize {
        if p >= self.text.len() {
            return self.orig_len;
        }
        match self
            .checkpoint_before(p)
            .and_then(|i| self.checkpoints.get(i))
        {
            None => p.min(self.orig_len),
            Some(c) if c.atomic => c.orig as usize,
            Some(c) => (c.orig as usize)
                .saturating_add(p - c.norm as usize)
                .min(self.orig_len),
        }
    }

    /// `p` must be a char boundary of `text`.
    fn map_ceil(&self, p: usize) -> usize {
        if p >= self.text.len() {
            return self.orig_len;
        }
        match self.checkpoint_before(p) {
            Some(i) => match self.checkpoints.get(i) {
                Some(c) if c.atomic && p > c.norm as usize => self
                    .checkpoints
                    .get(i + 1)
                    .map_or(self.orig_len, |n| n.orig as usize),
                _ => self.map_floor(p),
            },
            None => self.map_floor(p),
        }
    }
}

fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Normalizes `original`, keeping the map back to it.
pub fn normalize(original: &str) -> Normalized {
    let mut text = String::with_capacity(original.len());
    let mut map = MapBuilder::default();
    run(original, &mut text, Some(&mut map));
    Normalized {
        text,
        orig_len: original.len(),
        checkpoints: map.checkpoints,
    }
}

/// The normalized form of a string (rules, lexicon entries, aliases):
/// `normalize(s).text`, without building the map.
pub fn fold(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    run(s, &mut text, None);
    text
}

/// The form used to compare how a name is SPELLED: the original with only
/// tashkeel, tatweel, BOM and zero-width characters (everything
/// [`is_dropped`]) removed and NFC applied. Hamza and alef forms and `ى` are
/// kept. Combining hamza marks are composed first (ا + ٔ → أ), so they are
/// kept too.
pub fn display_form(s: &str) -> String {
    // Most names are ASCII and Arabic letters (U+0621–063A, 0641–064A):
    // none is dropped, each is its own NFC and none composes with another.
    let plain =
        |c: char| c.is_ascii() || matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}');
    if s.chars().all(plain) {
        return s.to_string();
    }
    // Most others are already in that form too: checked in one pass.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
        && !s.chars().any(is_dropped)
    {
        return s.to_string();
    }
    composed_without_dropped(s)
}

/// `display_form` the long way: composed, the dropped characters removed,
/// composed again.
fn composed_without_dropped(s: &str) -> String {
    let composed: String = s.nfc().collect();
    composed.chars().filter(|&c| !is_dropped(c)).nfc().collect()
}

/// True for characters that [`normalize`] always drops: tashkeel, tatweel,
/// Quranic annotation marks, BOM and zero-width / bidi control characters.
/// (The CR of a CRLF pair is dropped too, but a lone CR is kept as LF, so
/// `'\r'` is not listed here.)
pub fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'         // Arabic honorific / small high signs
        | '\u{061C}'                    // ARABIC LETTER MARK
        | '\u{0640}'                    // tatweel
        | '\u{064B}'..='\u{065F}'       // tashkeel
        | '\u{0670}'                    // superscript alef
        | '\u{06D6}'..='\u{06DC}'       // Quranic marks (06DD..06DE are signs)
        | '\u{06DF}'..='\u{06E4}'       // (06E5, 06E6 are letters)
        | '\u{06E7}'..='\u{06E8}'       // (06E9 is a sign)
        | '\u{06EA}'..='\u{06ED}'
        | '\u{00AD}'                    // soft hyphen
        | '\u{200B}'..='\u{200F}'       // zero-width, LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings / overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'       // bidi isolates
        | '\u{FEFF}' // BOM
    )
}

/// The fold of one character that is already NFKC (or the output of NFKC):
/// `None` when it is dropped.
fn fold_simple(c: char) -> Option<char> {
    if is_dropped(c) {
        return None;
    }
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        '٫' => '.',
        '٬' => ',',
        '٪' => '%',
        // Used as a closing quotation mark in Arabic news (“An-12″); NFKC
        // would make it two primes.
        '″' => '"',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        _ => c,
    })
}

fn digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// Whether `c` needs no NFKC (the fast path: ASCII, the Arabic letters and
/// everything the quick check calls normalized).
fn is_nfkc_char(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    if c == '″' {
        return true;
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        // The only compatibility characters of the Arabic block.
        return !('\u{0675}'..='\u{0678}').contains(&c);
    }
    is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

#[derive(Default)]
struct MapBuilder {
    checkpoints: Vec<Checkpoint>,
    /// `orig - norm` since the last checkpoint (0 before the first one).
    delta: i64,
    /// The previous unit was atomic: the next unit needs a checkpoint.
    force: bool,
}

impl MapBuilder {
    fn unit(&mut self, norm: usize, orig: usize, chars: usize) {
        let delta = orig as i64 - norm as i64;
        let (norm, orig) = (to_u32(norm), to_u32(orig));
        if self.force || delta != self.delta {
            self.checkpoints.push(Checkpoint {
                norm,
                orig,
                atomic: false,
            });
            self.delta = delta;
            self.force = false;
        }
        if chars > 1 {
            match self.checkpoints.last_mut() {
                Some(last) if last.norm == norm => last.atomic = true,
                _ => self.checkpoints.push(Checkpoint {
                    norm,
                    orig,
                    atomic: true,
                }),
            }
            self.force = true;
        }
    }
}

/// An Arabic-block character that normalization keeps as it is (most
/// letters, the Arabic comma, semicolon and question mark): the fast path.
#[inline]
fn plain_arabic(cp: u32) -> bool {
    matches!(cp, 0x060C | 0x061B | 0x061F | 0x0621 | 0x0624 | 0x0626..=0x063A | 0x0641..=0x0648 | 0x064A)
}

/// Bytes looked at at once by [`plain_run`]'s block test.
const BLOCK: usize = 32;

/// Whether the `BLOCK` bytes from a character boundary (and the two bytes
/// after them) hold only what [`plain_run`] takes: ASCII but CR; the
/// two-byte characters of the Arabic block it keeps or folds (D8 8C, 9B,
/// 9F, A1–BA; D9 81–8A); « and » (C2 AB, BB); – — ‘ ’ “ ” (E2 80 93, 94,
/// 98, 99, 9C, 9D). Written as comparisons without branches, which the
/// compiler turns into SIMD.
#[inline]
fn plain_block(c: &[u8; BLOCK + 2]) -> bool {
    let mut odd = false;
    for k in 0..BLOCK {
        let (x, y, z) = (c[k], c[k + 1], c[k + 2]);
        let d8 = (y == 0x8C) | (y == 0x9B) | (y == 0x9F) | (y.wrapping_sub(0xA1) <= 0xBA - 0xA1);
        let d9 = y.wrapping_sub(0x81) <= 0x8A - 0x81;
        let c2 = (y == 0xAB) | (y == 0xBB);
        let e2 = (y == 0x80)
            & ((z.wrapping_sub(0x93) <= 1)
                | (z.wrapping_sub(0x98) <= 1)
                | (z.wrapping_sub(0x9C) <= 1));
        odd |= (x == b'\r')
            | ((x >= 0xC0) & (x != 0xD8) & (x != 0xD9) & (x != 0xC2) & (x != 0xE2))
            | ((x == 0xD8) & !d8)
            | ((x == 0xD9) & !d9)
            | ((x == 0xC2) & !c2)
            | ((x == 0xE2) & !e2);
    }
    !odd
}

/// A block [`plain_block`] passed, folded: أ إ آ to ا (D8 A3, A5, A2 to
/// D8 A7) and ى to ي (D9 89 to D9 8A). Its first byte starts a character.
#[inline]
fn fold_block(c: &[u8; BLOCK + 2]) -> [u8; BLOCK] {
    let mut out = [0u8; BLOCK];
    out[0] = c[0];
    for k in 1..BLOCK {
        let (p, x) = (c[k - 1], c[k]);
        let alef = (p == 0xD8) & ((x == 0xA2) | (x == 0xA3) | (x == 0xA5));
        let ya = (p == 0xD9) & (x == 0x89);
        // Without branches, so that the compiler makes it SIMD: x, moved
        // to A7 where alef, and one up where ya.
        let to_alef = 0xA7u8.wrapping_sub(x) & 0u8.wrapping_sub(u8::from(alef));
        out[k] = x.wrapping_add(to_alef).wrapping_add(u8::from(ya));
    }
    out
}

/// Copies to `out` the run from `i` of characters that normalize to a
/// character of the same length, and returns its end: ASCII but CR, plain
/// Arabic letters, « » “ ” ‘ ’ – —, and the letters folded in place (أ إ آ
/// to ا, ى to ي). The offsets map one to one over the run. Blocks of
/// `BLOCK` bytes that hold nothing else are folded at once; the rest goes
/// character by character.
#[inline]
fn plain_run(original: &str, mut i: usize, out: &mut String) -> usize {
    let b = original.as_bytes();
    // `b[copied..i]` is taken but not yet in `out`.
    let mut copied = i;
    // Character by character up to here, after a block that did not pass.
    let mut slow_until = i;
    while i < b.len() {
        if i >= slow_until {
            if let Some(Ok(block)) = b.get(i..i + BLOCK + 2).map(<&[u8; BLOCK + 2]>::try_from) {
                if plain_block(block) {
                    // A character cut at the block's end is left to the next.
                    let n = if block[BLOCK - 1] >= 0xC0 {
                        BLOCK - 1
                    } else if block[BLOCK - 2] >= 0xE0 {
                        BLOCK - 2
                    } else {
                        BLOCK
                    };
                    let folded = fold_block(block);
                    out.push_str(&original[copied..i]);
                    let folded = &folded[..n];
                    debug_assert!(std::str::from_utf8(folded).is_ok());
                    // SAFETY: the block is whole characters of `original`
                    // (it starts at a character and ends before any
                    // character it would cut), and folding changes only
                    // the second byte of D8 A2, A3, A5 and D9 89, to
                    // another continuation byte under the same lead.
                    out.push_str(unsafe { std::str::from_utf8_unchecked(folded) });
                    i += n;
                    copied = i;
                    continue;
                }
                slow_until = i + BLOCK;
            }
        }
        let x = b[i];
        if x < 0x80 {
            if x == b'\r' {
                break;
            }
            i += 1;
            continue;
        }
        let Some(&y) = b.get(i + 1) else { break };
        let folded = match [x, y] {
            [0xD8, 0xA2 | 0xA3 | 0xA5] => "ا",
            [0xD9, 0x89] => "ي",
            [0xD8 | 0xD9, _] => {
                let cp = (((x & 0x1F) as u32) << 6) | (y & 0x3F) as u32;
                if !plain_arabic(cp) {
                    break;
                }
                i += 2;
                continue;
            }
            [0xC2, 0xAB | 0xBB] => {
                i += 2;
                continue;
            }
            [0xE2, 0x80]
                if matches!(b.get(i + 2), Some(0x93 | 0x94 | 0x98 | 0x99 | 0x9C | 0x9D)) =>
            {
                i += 3;
                continue;
            }
            _ => break,
        };
        out.push_str(&original[copied..i]);
        out.push_str(folded);
        i += 2;
        copied = i;
    }
    out.push_str(&original[copied..i]);
    i
}

/// The normalization itself; builds the map when `map` is given.
fn run(original: &str, out: &mut String, mut map: Option<&mut MapBuilder>) {
    let bytes = original.as_bytes();
    let mut pos = 0;
    let mut first_unit = true;
    while pos < bytes.len() {
        // A run that needs nothing done: copied at once, one map entry.
        let start = out.len();
        let end = plain_run(original, pos, out);
        if end > pos {
            if let Some(m) = map.as_deref_mut() {
                if first_unit && pos > 0 {
                    // The first unit also covers the dropped characters
                    // before it; the rest of the run maps one to one.
                    let first_len = original[pos..].chars().next().map_or(1, char::len_utf8);
                    m.unit(start, 0, 1);
                    if pos + first_len < end {
                        m.unit(start + first_len, pos + first_len, 1);
                    }
                } else {
                    m.unit(start, pos, 1);
                }
            }
            first_unit = false;
            pos = end;
            if pos >= bytes.len() {
                break;
            }
        }
        let base = pos;
        let mut chars = original[base..]
            .char_indices()
            .map(move |(k, c)| (base + k, c))
            .peekable();
        let Some((i, c)) = chars.next() else { break };
        pos = i + c.len_utf8();
        let norm_start = out.len();
        let mut emitted = 0usize;
        if c == '\r' {
            // CRLF is one unit that becomes LF; a lone CR becomes LF.
            if let Some(&(_, '\n')) = chars.peek() {
                pos += 1;
            }
            out.push('\n');
            emitted = 1;
        } else if is_nfkc_char(c) {
            if let Some(f) = fold_simple(c) {
                out.push(f);
                emitted = 1;
            }
        } else {
            for d in std::iter::once(c).nfkc() {
                if let Some(f) = fold_simple(d) {
                    out.push(f);
                    emitted += 1;
                }
            }
        }
        if emitted == 0 {
            // Dropped: the previous unit (or the first one) extends over it.
            continue;
        }
        if let Some(m) = map.as_deref_mut() {
            let orig_start = if first_unit { 0 } else { i };
            m.unit(norm_start, orig_start, emitted);
        }
        first_unit = false;
    }
}

/// A letter, fast for ASCII and the Arabic block (the standard library's
/// table lookup is slow outside ASCII, and this runs on every character).
#[inline]
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A => true,
        0..=0x7F => false,
        0x0621..=0x063A
        | 0x0641..=0x064A
        | 0x066E..=0x066F
        | 0x0671..=0x06D3
        | 0x06D5
        | 0x06EE..=0x06EF
        | 0x06FA..=0x06FC
        | 0x06FF => true,
        0x0600..=0x06FF => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphabetic`, fast for ASCII and the Arabic block (the
/// standard library searches a table for every other character, and
/// sentence splitting asks about the letters before each full stop).
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    static ARABIC: std::sync::LazyLock<[bool; 256]> = std::sync::LazyLock::new(|| {
        std::array::from_fn(|k| char::from_u32(0x0600 + k as u32).is_some_and(char::is_alphabetic))
    });
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        cp @ 0x0600..=0x06FF => ARABIC[(cp - 0x0600) as usize],
        _ => c.is_alphabetic(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut gives what the full composition gives, on names
        /// with tashkeel, tatweel, combining hamza, Latin accents and
        /// invisible characters.
        #[test]
        fn display_form_shortcut_is_exact(
            s in "[ابتثجحخدذرسشصضطظعغفقكلمنهويىةءأإآ \u{064B}-\u{0655}\u{0640}\u{0670}\u{200B}-\u{200F}\u{FEFF}eé\u{0301}A]{0,12}"
        ) {
            prop_assert_eq!(display_form(&s), composed_without_dropped(&s));
        }
    }

    proptest! {
        /// `plain_run` takes, block by block, what it takes one character
        /// at a time: texts of letters it keeps or folds, with now and then
        /// one it does not take, from any character.
        #[test]
        fn blocks_are_taken_as_their_characters_are(
            parts in prop::collection::vec(
                prop_oneof![12 => 0usize..16, 1 => 16usize..25],
                0..120,
            ),
            from in 0usize..10,
        ) {
            const PIECES: [&str; 25] = [
                "ا", "أ", "إ", "آ", "ى", "ي", "ب", "ؤ", " ", "x", "\n", "«", "»", "“", "”", "–",
                "\r", "\u{064B}", "…", "٢", "ـ", "€", "\u{0654}", "ک", "\u{2053}",
            ];
            let text: String = parts.iter().map(|&i| PIECES[i]).collect();
            let from = text.char_indices().nth(from).map_or(text.len(), |(i, _)| i);
            let mut fast = String::new();
            let end = plain_run(&text, from, &mut fast);
            let (mut by_chars, mut at) = (String::new(), from);
            for c in text[from..].chars() {
                let one = c.to_string();
                let mut out = String::new();
                if plain_run(&one, 0, &mut out) < one.len() {
                    break;
                }
                by_chars.push_str(&out);
                at += one.len();
            }
            prop_assert_eq!((end, fast), (at, by_chars));
        }
    }

    #[test]
    fn is_alphabetic_is_the_standard_one() {
        for c in (0..=0x2000).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    /// Every character the fast path takes comes out as the general path
    /// makes it, at the same length.
    #[test]
    fn the_fast_path_folds_as_the_general_path() {
        let mut taken = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let one = c.to_string();
            let mut fast = String::new();
            if plain_run(&one, 0, &mut fast) < one.len() {
                continue;
            }
            taken += 1;
            let general: String = if is_nfkc_char(c) {
                fold_simple(c).into_iter().collect()
            } else {
                std::iter::once(c).nfkc().filter_map(fold_simple).collect()
            };
            assert_eq!(fast, general, "{c:?} U+{:04X}", c as u32);
            assert_eq!(fast.len(), one.len(), "{c:?}");
        }
        // ASCII but CR, the plain Arabic letters and marks, the four folded
        // letters, « » and six marks of General Punctuation.
        assert_eq!(taken, 127 + 35 + 4 + 8, "characters the fast path takes");
    }

    #[test]
    fn display_form_keeps_hamza_and_drops_marks() {
        assert_eq!(display_form("نِيدْ"), "نيد");
        assert_eq!(display_form("ا\u{0654}"), "أ");
        assert_eq!(display_form("كازاخستان"), "كازاخستان");
    }
}
