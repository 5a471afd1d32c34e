//! Paragraphs, sentences, quoted spans and boilerplate blocks of a
//! normalized article.
//!
//! The input is normalized text (see `crate::normalize`); all ranges are byte
//! ranges into it. A paragraph is a non-blank line. Sentences end after
//! `. ! ? ؟ ؛ …` (and runs of them), never inside a quote, a decimal number
//! or after a short list of abbreviations, so a one-line article still splits
//! into its sentences. Quotes are `«…»` (nested guillemets allowed) and
//! double quotes in any mix of `“ ” „ ″ "`; a mark that is not closed within
//! [`QUOTE_LIMIT`] bytes on its line is not a quote. Only top-level quotes
//! are reported. Blocks introduced by a marker line («اخبار ذات صلة») are
//! boilerplate, not the story.
use crate::normalize::is_alphabetic;
use std::ops::Range;

/// A quote not closed within this many bytes (about 600 Arabic characters)
/// on its line is not a quote.
pub const QUOTE_LIMIT: usize = 1200;

/// Lines of at most this many words, without final punctuation, are headings.
const HEADING_MAX_WORDS: usize = 12;

/// One sentence of a normalized article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the normalized text, trimmed of surrounding whitespace.
    pub range: Range<usize>,
    /// Index of the paragraph (non-blank line) it is in, from 0.
    pub paragraph: usize,
    /// Inside a block that is not the story («اخبار ذات صلة» and the like).
    pub boilerplate: bool,
    /// A short line with no sentence-final punctuation (a subheading).
    pub heading: bool,
    /// Quoted spans that start inside this sentence (they also end in it).
    pub quotes: Vec<Quote>,
}

/// A quoted span: `outer` includes the quotation marks, `inner` is what lies
/// between them (untrimmed). Byte ranges in the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub outer: Range<usize>,
    pub inner: Range<usize>,
}

/// Splits normalized `text` into sentences, in order.
///
/// `boilerplate_markers` are normalized marker lines such as
/// `"اخبار ذات صلة"`: a line equal to one of them (trimmed, without a trailing
/// `:`) is boilerplate, and so is, after any blank lines, every following
/// line up to the next blank line.
pub fn segment(text: &str, boilerplate_markers: &[String]) -> Vec<Sentence> {
    let markers: Vec<String> = boilerplate_markers
        .iter()
        .map(|m| marker_key(m))
        .filter(|m| !m.is_empty())
        .collect();
    let max_marker = markers.iter().map(String::len).max().unwrap_or(0);

    let lines = lines(text);
    let boiler = boilerplate_lines(text, &lines, &markers, max_marker);
    let last_line = lines.iter().rposition(|l| !is_blank(&text[l.clone()]));

    let mut out = Vec::new();
    let mut paragraph = 0;
    for (idx, range) in lines.iter().enumerate() {
        let line = &text[range.clone()];
        if is_blank(line) {
            continue;
        }
        let boilerplate = boiler.get(idx).copied().unwrap_or(false);
        let first = out.len();
        split_line(line, range.start, paragraph, boilerplate, &mut out);
        let count = out.len() - first;
        // A marker of two words or more that opens a sentence inside a line
        // ("… الأخير. أخبار ذات صلة واشنطن ترسل …") starts a block that runs
        // to the end of the line: headlines have no full stops.
        if !boilerplate {
            if let Some(k) = out[first..].iter().position(|s| {
                let t = &text[s.range.clone()];
                markers
                    .iter()
                    .any(|m| m.contains(' ') && starts_with_marker(t, m))
            }) {
                for s in &mut out[first + k..] {
                    s.boilerplate = true;
                }
            }
        }
        let heading = out.get(first).is_some_and(|s| !s.boilerplate)
            && Some(idx) != last_line
            && count == 1
            && looks_like_heading(line);
        if heading {
            for s in &mut out[first..] {
                s.heading = true;
            }
        }
        paragraph += 1;
    }
    out
}

/// `t` opens with the marker `m`, followed by the end, a space or ':'.
fn starts_with_marker(t: &str, m: &str) -> bool {
    // Most sentences do not even start with the marker's first word.
    t.trim_start().starts_with(m.split(' ').next().unwrap_or(m)) && leads_with_marker_words(t, m)
}

/// Word by word: the marker's words (one space apart, none empty) are the
/// first words of `t`, the last of them with any ':' after it.
fn leads_with_marker_words(t: &str, m: &str) -> bool {
    let mut words = t.split_whitespace();
    let mut marker = m.split(' ').peekable();
    while let Some(want) = marker.next() {
        let Some(word) = words.next() else {
            return false;
        };
        let word = if marker.peek().is_none() {
            word.trim_end_matches(':')
        } else {
            word
        };
        if word != want {
            return false;
        }
    }
    true
}

/// Byte ranges of the lines of `text`, without their `'\n'`.
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(start..i);
        start = i + 1;
    }
    out.push(start..text.len());
    out
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// A marker line's comparison key: trimmed, trailing ':' removed, inner
/// whitespace collapsed.
fn marker_key(s: &str) -> String {
    marker_words(s).collect::<Vec<_>>().join(" ")
}

/// Whether `marker_key(s)` is `key` (a marker key: words one space
/// apart), without building it.
fn has_marker_key(s: &str, key: &str) -> bool {
    marker_words(s).eq(key.split(' '))
}

/// The words of a marker line's key.
fn marker_words(s: &str) -> std::str::SplitWhitespace<'_> {
    s.trim()
        .trim_end_matches(|c: char| c == ':' || c.is_whitespace())
        .split_whitespace()
}

/// Which lines are boilerplate.
fn boilerplate_lines(
    text: &str,
    lines: &[Range<usize>],
    markers: &[String],
    max_marker: usize,
) -> Vec<bool> {
    #[derive(PartialEq)]
    enum State {
        Story,
        AfterMarker,
        InBlock,
    }
    let mut out = vec![false; lines.len()];
    if markers.is_empty() {
        return out;
    }
    let mut state = State::Story;
    for (flag, range) in out.iter_mut().zip(lines) {
        let line = &text[range.clone()];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if state == State::InBlock {
                state = State::Story;
            }
            continue;
        }
        let is_marker = trimmed.len() <= 4 * max_marker + 8
            && markers.iter().any(|m| has_marker_key(trimmed, m));
        if is_marker {
            *flag = true;
            state = State::AfterMarker;
        } else if state != State::Story {
            *flag = true;
            state = State::InBlock;
        }
    }
    out
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '؛' | '…')
}

/// Whether a terminator's bytes start at `bytes[k]`.
fn terminator_at(bytes: &[u8], k: usize) -> bool {
    match bytes[k] {
        b'.' | b'!' | b'?' => true,
        0xD8 => matches!(bytes.get(k + 1), Some(0x9F | 0x9B)),
        0xE2 => bytes.get(k + 1..k + 3) == Some(&[0x80, 0xA6]),
        _ => false,
    }
}

/// The first `k >= from` with `terminator_at(bytes, k)`, or the length:
/// the ASCII ones and the last bytes of the others (9F, 9B, A6) looked for
/// with `memchr`, which reads many bytes at a time.
fn next_terminator(bytes: &[u8], from: usize) -> usize {
    let mut at = from.min(bytes.len());
    let ascii = at + memchr::memchr3(b'.', b'!', b'?', &bytes[at..]).unwrap_or(bytes.len() - at);
    while let Some(t) = memchr::memchr3(0x9F, 0x9B, 0xA6, &bytes[at..ascii]) {
        let p = at + t;
        // ؟ ؛ start a byte before their last, … two.
        for k in [p.checked_sub(1), p.checked_sub(2)].into_iter().flatten() {
            if k >= from && terminator_at(bytes, k) {
                return k;
            }
        }
        at = p + 1;
    }
    ascii
}

fn is_closing_mark(c: char) -> bool {
    matches!(c, ')' | ']' | '}' | '»' | '”' | '“' | '″' | '"' | '\'')
}

/// A short line without final punctuation.
fn looks_like_heading(line: &str) -> bool {
    // The end first: most lines end with a full stop.
    let last = line
        .trim_end()
        .trim_end_matches(|c: char| is_closing_mark(c) || c.is_whitespace())
        .chars()
        .next_back();
    if last.is_some_and(|c| is_terminator(c) || c == ':') {
        return false;
    }
    line.split_whitespace().take(HEADING_MAX_WORDS + 1).count() <= HEADING_MAX_WORDS
}

#[derive(Clone, Copy)]
enum QuoteKind {
    Guillemet,
    Double,
}

/// Top-level quotes of one line, as byte ranges relative to the line.
fn find_quotes(line: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Every opening mark starts with one of these bytes (« is C2 AB,
        // “ ” „ are E2 80 9x), which no other character's bytes hold.
        match memchr::memchr3(0xC2, 0xE2, b'"', &bytes[i..]) {
            Some(k) => i += k,
            None => break,
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let after = i + c.len_utf8();
        let next = line[after..].chars().next();
        let kind = match (c, next) {
            (_, None) => None,
            ('«', _) => Some(QuoteKind::Guillemet),
            ('“' | '”' | '„' | '"', Some(n)) if !n.is_whitespace() => Some(QuoteKind::Double),
            _ => None,
        };
        if let Some(kind) = kind {
            if let Some(j) = find_close(line, i, after, kind) {
                let close = line[j..].chars().next().map_or(1, char::len_utf8);
                let end = (j + close).min(line.len());
                out.push(Quote {
                    outer: i..end,
                    inner: after..j,
                });
                i = j + close;
                continue;
            }
        }
        i = after;
    }
    out
}

/// Where in `line` the mark closes the quote opened at byte `start` (its
/// mark ends at `after`). The marks are found by their first bytes (« and
/// » are C2 AB and C2 BB; “ ” ″ are E2 80 9C, 9D and E2 80 B3), which no
/// other character's bytes hold in their middle.
fn find_close(line: &str, start: usize, after: usize, kind: QuoteKind) -> Option<usize> {
    let bytes = line.as_bytes();
    // A mark that starts more than QUOTE_LIMIT bytes after the opening
    // one does not close it.
    let end = start.saturating_add(QUOTE_LIMIT + 1).min(bytes.len());
    let mut depth = 1usize;
    let mut j = after;
    while j < end {
        let found = match kind {
            QuoteKind::Guillemet => memchr::memchr(0xC2, &bytes[j..end]),
            QuoteKind::Double => memchr::memchr2(0xE2, b'"', &bytes[j..end]),
        };
        j += found?;
        let c = line[j..].chars().next()?;
        match kind {
            QuoteKind::Guillemet => match c {
                '«' => depth += 1,
                '»' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(j);
                    }
                }
                _ => {}
            },
            QuoteKind::Double => {
                if matches!(c, '”' | '“' | '″' | '"') {
                    return Some(j);
                }
            }
        }
        j += c.len_utf8();
    }
    None
}

/// Words after which a single '.' does not end a sentence.
const ABBREVIATIONS: &[&str] = &["د", "م", "Dr", "Mr", "Mrs", "Ms", "Prof", "St", "vs", "No"];

/// Whether the '.' at byte `k` of `line` ends an abbreviation or a Latin
/// initial.
fn is_abbreviation(line: &str, k: usize) -> bool {
    let before = &line[..k];
    let letters: usize = before
        .chars()
        .rev()
        .take_while(|&c| is_alphabetic(c))
        .map(char::len_utf8)
        .sum();
    if letters == 0 {
        return false;
    }
    let s = k - letters;
    // The word must stand alone ("2017م." ends a sentence).
    if line[..s]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return false;
    }
    let word = &line[s..k];
    let initial = word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_uppercase());
    initial || ABBREVIATIONS.contains(&word)
}

/// Whether the terminator run from byte `k` (its last mark at `run_end`,
/// then closing brackets up to `e`, all byte positions of their first
/// byte) ends the sentence.
fn ends_sentence(line: &str, k: usize, run_end: usize, e: usize) -> bool {
    let single_dot = run_end == k && line[k..].starts_with('.');
    let after_e = e + line[e..].chars().next().map_or(0, char::len_utf8);
    match line[after_e..].chars().next() {
        None => true,
        Some(n) if n.is_whitespace() => !(single_dot && is_abbreviation(line, k)),
        // No space after: only before an Arabic (non-ASCII) word or a «
        // ("البلاد.وقال"), never in "1.5" or "rt.com".
        Some(n) => (is_alphabetic(n) && !n.is_ascii()) || n == '«',
    }
}

/// Splits one non-blank line into sentences, appended to `out`.
fn split_line(
    line: &str,
    base: usize,
    paragraph: usize,
    boilerplate: bool,
    out: &mut Vec<Sentence>,
) {
    let quotes = find_quotes(line);

    let mut cuts = Vec::new();
    let bytes = line.as_bytes();
    let mut qi = 0;
    let mut k = 0;
    loop {
        // Straight to the next terminator, by its bytes (؟ and ؛ are D8 9F
        // and D8 9B, … is E2 80 A6; no other character holds these
        // sequences): the rest cannot end a sentence.
        k = next_terminator(bytes, k);
        if k >= bytes.len() {
            break;
        }
        if let Some(q) = quotes.get(qi) {
            if k >= q.outer.start {
                // Jump over the quote.
                k = q.outer.end.max(k);
                qi += 1;
                continue;
            }
        }
        // The run of terminators, then any closing brackets: the first
        // byte of the last of each.
        let last_of = |from: usize, pred: fn(char) -> bool| {
            let mut last = from;
            let mut at = from + line[from..].chars().next().map_or(0, char::len_utf8);
            while let Some(n) = line[at..].chars().next().filter(|&n| pred(n)) {
                last = at;
                at += n.len_utf8();
            }
            last
        };
        let run_end = last_of(k, is_terminator);
        let e = last_of(run_end, |n| matches!(n, ')' | ']' | '}'));
        let after_e = e + line[e..].chars().next().map_or(0, char::len_utf8);
        if ends_sentence(line, k, run_end, e) {
            cuts.push(after_e);
        }
        k = after_e;
    }
    cuts.push(line.len());

    sentences_at(line, &cuts, &quotes, base, paragraph, boilerplate, out);
}

/// The sentences of `line` between its cuts (byte offsets, the last at its
/// end), trimmed, with the quotes that start in each; appended to `out`.
fn sentences_at(
    line: &str,
    cuts: &[usize],
    quotes: &[Quote],
    base: usize,
    paragraph: usize,
    boilerplate: bool,
    out: &mut Vec<Sentence>,
) {
    let mut start = 0;
    for &cut in cuts {
        if cut <= start {
            continue;
        }
        let piece = &line[start..cut];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let s = start + lead;
            let e = s + trimmed.len();
            let mine = quotes
                .iter()
                .filter(|q| q.outer.start >= s && q.outer.start < e)
                .map(|q| Quote {
                    outer: q.outer.start + base..q.outer.end + base,
                    inner: q.inner.start + base..q.inner.end + base,
                })
                .collect();
            out.push(Sentence {
                range: s + base..e + base,
                paragraph,
                boilerplate,
                heading: false,
                quotes: mine,
            });
        }
        start = cut;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `find_close` as it was first written: character by character.
    fn find_close_by_chars(
        line: &str,
        start: usize,
        after: usize,
        kind: QuoteKind,
    ) -> Option<usize> {
        let mut depth = 1usize;
        for (j, c) in line[after..].char_indices() {
            let j = after + j;
            if j - start > QUOTE_LIMIT {
                return None;
            }
            match (kind, c) {
                (QuoteKind::Guillemet, '«') => depth += 1,
                (QuoteKind::Guillemet, '»') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(j);
                    }
                }
                (QuoteKind::Double, '”' | '“' | '″' | '"') => return Some(j),
                _ => {}
            }
        }
        None
    }

    /// A closing mark that starts QUOTE_LIMIT bytes after the opening one
    /// closes the quote; one a byte further does not.
    #[test]
    fn a_quote_closes_within_the_limit() {
        let letters = |n| "ب".repeat(n);
        for (line, want) in [
            (
                format!("«{}»", letters(QUOTE_LIMIT / 2 - 1)),
                Some(QUOTE_LIMIT),
            ),
            (format!("«x{}»", letters(QUOTE_LIMIT / 2 - 1)), None),
            (
                format!("“{}”", letters(QUOTE_LIMIT / 2 - 2)),
                Some(QUOTE_LIMIT - 1),
            ),
            (
                format!("“x{}”", letters(QUOTE_LIMIT / 2 - 2)),
                Some(QUOTE_LIMIT),
            ),
            (format!("“xx{}”", letters(QUOTE_LIMIT / 2 - 2)), None),
        ] {
            let (open, kind) = match line.chars().next() {
                Some('«') => (2, QuoteKind::Guillemet),
                _ => (3, QuoteKind::Double),
            };
            assert_eq!(
                find_close(&line, 0, open, kind),
                want,
                "{} bytes",
                line.len()
            );
            assert_eq!(find_close_by_chars(&line, 0, open, kind), want);
        }
    }

    proptest! {
        /// `has_marker_key` is building the key and comparing it, and
        /// `starts_with_marker`'s look at the first word changes nothing:
        /// lines of the markers' words with spaces, tabs and colons.
        #[test]
        fn marker_shortcuts_are_exact(
            line in prop::collection::vec((0usize..3, 0usize..5), 0..5),
            marker in prop::collection::vec(0usize..3, 1..4),
        ) {
            const WORDS: [&str; 3] = ["اخبار", "ذات", "صلة"];
            const GAPS: [&str; 5] = [" ", "  ", "\t", ":", " :"];
            let line: String = line.iter().flat_map(|&(w, g)| [WORDS[w], GAPS[g]]).collect();
            let key = marker.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ");
            prop_assume!(!key.is_empty());
            prop_assert_eq!(has_marker_key(&line, &key), marker_key(&line) == key);
            prop_assert_eq!(
                starts_with_marker(&line, &key),
                leads_with_marker_words(&line, &key)
            );
        }

        /// `find_close` finds what a search character by character finds,
        /// from every opening mark, in lines of marks, their look-alikes
        /// (other characters that start with C2 or E2) and long runs of
        /// letters that take quotes past QUOTE_LIMIT.
        #[test]
        fn a_quote_closes_where_the_characters_say(
            parts in prop::collection::vec(0usize..13, 0..60),
        ) {
            let long = "ب".repeat(300);
            let pieces = [
                "«", "»", "“", "”", "″", "\"", "\u{a0}", "–", "…", "ب", " ", "x", &long,
            ];
            let line: String = parts.iter().map(|&i| pieces[i]).collect();
            for (start, c) in line.char_indices() {
                let kind = match c {
                    '«' => QuoteKind::Guillemet,
                    '“' | '”' | '"' => QuoteKind::Double,
                    _ => continue,
                };
                let after = start + c.len_utf8();
                prop_assert_eq!(
                    find_close(&line, start, after, kind),
                    find_close_by_chars(&line, start, after, kind),
                    "from {}", start
                );
            }
        }

        /// `next_terminator` finds what a byte-by-byte search finds, from
        /// any place, in text made of terminators, their look-alikes
        /// (ئ is D8 A6, ٛ is D9 9B) and other characters.
        #[test]
        fn the_next_terminator_is_the_first_one(
            parts in prop::collection::vec(0usize..12, 0..40),
            from in 0usize..200,
        ) {
            const PIECES: [&str; 12] =
                [".", "!", "?", "؟", "؛", "…", "ئ", "\u{65B}", "\u{69F}", "ب", " ", "x"];
            let text: String = parts.iter().map(|&i| PIECES[i]).collect();
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let mut slow = from;
            while slow < bytes.len() && !terminator_at(bytes, slow) {
                slow += 1;
            }
            prop_assert_eq!(next_terminator(bytes, from), slow);
        }
    }
}
