//! Rendering a report: one model, several formats. `write` streams a
//! report into any writer (the binary's file or standard output), so a
//! report of a million claims is never held whole; `render` gives it as a
//! string.
mod excerpts;
pub mod html;
pub mod json;
pub mod line;
pub mod mentions;
pub mod sarif;
mod snippet;
pub mod text;

use crate::check::Report;
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings for a person, with the words from each article.
    Text,
    /// The stable JSON contract (see README).
    Json,
    /// The claim graph for Graphviz.
    Dot,
    /// One line per place: `path:line:col:kind:key:message`.
    Line,
    /// The JSON contract, as YAML.
    Yaml,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page: summary, claim graph, findings side by
    /// side, the full texts.
    Html,
}

/// Options for the text renderer.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub color: bool,
    pub width: usize,
}

/// Where the text and HTML reports find the words of an article: its
/// original text by id, read when the report is written (the text report
/// then keeps only the sentences it quotes).
pub trait ArticleTexts: Sync {
    /// The whole original text of article `id`, if it can be had.
    fn text(&self, id: &str) -> Option<Cow<'_, str>>;
}

/// Texts held in memory, by article id.
impl ArticleTexts for std::collections::HashMap<&str, &str> {
    fn text(&self, id: &str) -> Option<Cow<'_, str>> {
        self.get(id).map(|t| Cow::Borrowed(*t))
    }
}

/// Texts read by a function (from the files, say), by article id.
impl<F: Fn(&str) -> Option<String> + Sync> ArticleTexts for F {
    fn text(&self, id: &str) -> Option<Cow<'_, str>> {
        self(id).map(Cow::Owned)
    }
}

/// Renders `report`; `texts` gives each article's original text by id, for
/// the snippets of the text format and the texts of the HTML page.
pub fn render(
    report: &Report,
    format: Format,
    opts: TextOptions,
    texts: &dyn ArticleTexts,
) -> String {
    to_string(|w| write(report, format, opts, texts, w))
}

/// What a streaming renderer writes, as a string (writing into memory does
/// not fail, and every renderer writes UTF-8).
pub(crate) fn to_string(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes `report` into `out` as `render` gives it, piece by piece.
pub fn write(
    report: &Report,
    format: Format,
    opts: TextOptions,
    texts: &dyn ArticleTexts,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::write(report, opts, texts, out),
        Format::Json => json::write(report, out),
        Format::Dot => out.write_all(crate::graph::to_dot(report).as_bytes()),
        Format::Line => line::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Html => html::write(report, texts, out),
        Format::Yaml => buffered(out, |buf| {
            serde_yaml::to_writer(buf, report).map_err(std::io::Error::other)
        }),
    }
}

/// What `write` writes into `out`, through a buffer of a known type: the
/// serializers write a token at a time, and through `dyn Write` for each
/// they were a third slower on a large report.
fn buffered(
    out: &mut dyn std::io::Write,
    write: impl FnOnce(&mut std::io::BufWriter<&mut dyn std::io::Write>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, out);
    write(&mut buf)?;
    std::io::Write::flush(&mut buf)
}

/// `value` as pretty JSON and a newline.
pub(crate) fn write_pretty_json(
    value: &impl serde::Serialize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    buffered(out, |buf| {
        serde_json::to_writer_pretty(&mut *buf, value)?;
        std::io::Write::write_all(buf, b"\n")
    })
}

/// The words of a snippet: before the span (from a word's start, "…" where
/// the sentence was cut), the span's own words, and after it; newlines as
/// spaces.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Cut {
    pub before: String,
    pub words: String,
    pub after: String,
}

/// Whether `c` is printable ASCII or an Arabic letter, most of what a
/// report quotes: one column, known without looking it up.
#[inline]
pub(crate) fn one_column(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{621}'..='\u{63a}' | '\u{641}'..='\u{64a}')
}

/// The terminal columns `c` takes (none for a control character or a
/// mark, such as tashkeel).
#[inline]
pub(crate) fn char_columns(c: char) -> usize {
    if one_column(c) {
        1
    } else {
        UnicodeWidthChar::width(c).unwrap_or(0)
    }
}

/// The terminal columns `s` takes (tashkeel takes none).
pub(crate) fn columns_of(s: &str) -> usize {
    s.chars().map(char_columns).sum()
}

/// The columns and the length of the character of `s` that starts at
/// byte `i` (a boundary, before the end): read off its bytes for
/// printable ASCII and an Arabic letter (`one_column`), most of what a
/// report quotes, else decoded.
#[inline(always)]
fn char_at(s: &str, i: usize) -> (usize, usize) {
    let b = s.as_bytes();
    match (b[i], b.get(i + 1)) {
        (b' '..=b'~', _) => (1, 1),
        (0xd8, Some(0xa1..=0xba)) | (0xd9, Some(0x81..=0x8a)) => (1, 2),
        _ => s[i..]
            .chars()
            .next()
            .map_or((0, 1), |c| (char_columns(c), c.len_utf8())),
    }
}

/// The columns of the character of `s` that ends at byte `end` (a
/// boundary, after the start), and where it starts: as `char_at`.
#[inline(always)]
fn char_before(s: &str, end: usize) -> (usize, usize) {
    let b = s.as_bytes();
    match (end.checked_sub(2).map(|i| b[i]), b[end - 1]) {
        (_, b' '..=b'~') => (1, end - 1),
        (Some(0xd8), 0xa1..=0xba) | (Some(0xd9), 0x81..=0x8a) => (1, end - 2),
        _ => s[..end]
            .chars()
            .next_back()
            .map_or((0, end - 1), |c| (char_columns(c), end - c.len_utf8())),
    }
}

/// The columns `s` takes, counted up to `cap` at most: `columns_of(s)`
/// or `cap`, whichever is less, without reading past where `cap` is met.
fn columns_upto(s: &str, cap: usize) -> usize {
    let (mut n, mut i) = (0, 0);
    while i < s.len() {
        if n >= cap {
            return cap;
        }
        let (w, len) = char_at(s, i);
        n += w;
        i += len;
    }
    n.min(cap)
}

/// Columns kept on each side of a claim however narrow the room.
const CONTEXT_MIN: usize = 12;

/// Where `cut` cuts a text: the span `a..b` (cut back to the text and to
/// whole characters), the window `start..end` of its sentence around it,
/// and whether the sentence goes on before and after the window. Byte
/// offsets of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub start: usize,
    pub a: usize,
    pub b: usize,
    pub end: usize,
    pub more_before: bool,
    pub more_after: bool,
}

/// A window of `text[sentence]` around `span` that fits in `columns`
/// terminal columns where it can (the span is always whole; tashkeel takes
/// no column); a side that needs less room leaves the rest to the other.
/// (The text report cuts its snippets so when it reads an article again,
/// from `bounds`; the HTML cards cut theirs from the windows `excerpts`
/// keeps, which must give the same. The tests cut with this.)
#[cfg(test)]
pub(crate) fn cut(
    text: &str,
    sentence: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
    columns: usize,
) -> Cut {
    bounds(text, sentence, span, columns).cut(text, 0)
}

/// Where `cut` cuts: the window's bounds, found once for a text, so that
/// the window's words alone are kept for the snippet.
pub(crate) fn bounds(
    text: &str,
    sentence: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
    columns: usize,
) -> Bounds {
    // As `bounds_counting` cuts, with each side read once: walked away
    // from the span as far as the room and one column more, noting how far
    // each count of columns reaches (counting a side, then walking it
    // again to cut it, read it twice).
    let [s0, a, b, s1] = clamped(text, sentence.clone(), span.clone());
    let room = columns
        .saturating_sub(columns_upto(&text[a..b], columns) + 4)
        .max(2 * CONTEXT_MIN);
    let cap = room + 1;
    let most = u32::MAX as usize;
    if cap > WALK || a - s0 > most || s1 - b > most {
        return bounds_counting(text, sentence, span, columns, columns_upto);
    }
    let (mut before, mut after) = ([0u32; WALK], [0u32; WALK]);
    let need_before = walk(cap, &mut before, |d| {
        let (w, at) = (a - d > s0).then(|| char_before(text, a - d))?;
        Some((w, a - d - at))
    });
    let need_after = walk(cap, &mut after, |d| {
        (b + d < s1).then(|| char_at(text, b + d))
    });
    let (keep_before, keep_after) = kept(room, need_before, need_after);
    // Cut to keep the last `keep_before` columns before the span, and the
    // first `keep_after` after it.
    let cut_before =
        (need_before > keep_before).then(|| a - before[keep_before.saturating_sub(1)] as usize);
    let cut_after =
        (need_after > keep_after).then(|| b + after[keep_after.saturating_sub(1)] as usize);
    Bounds::at_words(text, [s0, a, b, s1], cut_before, cut_after)
}

/// The most columns `bounds` walks a side in one go (a room wider than
/// a terminal ever is, is cut by `bounds_counting`).
const WALK: usize = 256;

/// Walks one side of a span away from it, a character at a time (`next`:
/// the columns and bytes of the character `d` bytes away, none at the
/// sentence's edge), as far as `cap` columns (at most `WALK`). Returns the
/// columns met, up to `cap`, and notes in `far[t]`, for each `t` below
/// the columns met, how many bytes away it reaches taking no more than `t`
/// columns.
#[inline(always)]
fn walk(
    cap: usize,
    far: &mut [u32; WALK],
    next: impl Fn(usize) -> Option<(usize, usize)>,
) -> usize {
    let (mut used, mut d) = (0, 0);
    while used < cap {
        let Some((w, len)) = next(d) else {
            break;
        };
        // With fewer columns than this character takes on top, the side
        // reaches no further than here.
        for t in &mut far[used..(used + w).min(cap)] {
            *t = d as u32;
        }
        used += w;
        d += len;
    }
    // (A side that ends before `cap` columns is cut only to fewer columns
    // than it has: `far` is noted as far as that.)
    used.min(cap)
}

/// The columns each side keeps of `room`, from what each needs: a side
/// that needs less than half leaves the rest to the other.
fn kept(room: usize, need_before: usize, need_after: usize) -> (usize, usize) {
    let half = room / 2;
    if need_before < half {
        (need_before, room - need_before)
    } else if need_after < half {
        (room - need_after, need_after)
    } else {
        (half, room - half)
    }
}

/// What `bounds` cuts from: the sentence `s0..s1` and the span `a..b` in
/// it, cut back to the text and to whole characters. `bounds` reads
/// nothing of the text outside `s0..s1`: two sentences of the same words,
/// with their spans in the same places, are cut the same way.
pub(crate) fn clamped(
    text: &str,
    sentence: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
) -> [usize; 4] {
    let clamp = |i: usize| crate::load::floor_char_boundary(text, i);
    // (A span that ends before it starts is taken as empty.)
    let a = clamp(span.start);
    let b = clamp(span.end).max(a);
    let (s0, s1) = (
        clamp(sentence.start.min(span.start)),
        clamp(sentence.end.max(span.end)).max(b),
    );
    [s0, a, b, s1]
}

/// `bounds`, with the columns of a piece of text counted by `count` (as
/// far as its second argument at least).
fn bounds_counting(
    text: &str,
    sentence: std::ops::Range<usize>,
    span: std::ops::Range<usize>,
    columns: usize,
    count: fn(&str, usize) -> usize,
) -> Bounds {
    let [s0, a, b, s1] = clamped(text, sentence, span);
    // What is left beside the span and its marks, shared by the two sides;
    // a side that needs less leaves the rest to the other.
    let room = columns
        .saturating_sub(count(&text[a..b], columns) + 4)
        .max(2 * CONTEXT_MIN);
    // What each side needs, counted up to one column more than the room: a
    // side that needs more is cut the same way however much more it needs
    // (a sentence can run to thousands of columns).
    let (need_before, need_after) = (count(&text[s0..a], room + 1), count(&text[b..s1], room + 1));
    let (keep_before, keep_after) = kept(room, need_before, need_after);
    // The last `keep_before` columns before the span, and the first
    // `keep_after` after it.
    let cut_before = (need_before > keep_before).then(|| {
        let (mut used, mut cut) = (0, a);
        while cut > s0 {
            let (w, at) = char_before(text, cut);
            used += w;
            if used > keep_before.saturating_sub(1) {
                break;
            }
            cut = at;
        }
        cut
    });
    let cut_after = (need_after > keep_after).then(|| {
        let (mut used, mut cut) = (0, b);
        while cut < s1 {
            let (w, len) = char_at(text, cut);
            used += w;
            if used > keep_after.saturating_sub(1) {
                break;
            }
            cut += len;
        }
        cut
    });
    Bounds::at_words(text, [s0, a, b, s1], cut_before, cut_after)
}

impl Bounds {
    /// The window of `s0..s1` around the span `a..b`, cut before the span
    /// at `cut_before` and after it at `cut_after` (none: not cut), each
    /// cut moved in to a word's edge.
    fn at_words(
        text: &str,
        [s0, a, b, s1]: [usize; 4],
        cut_before: Option<usize>,
        cut_after: Option<usize>,
    ) -> Bounds {
        let start = cut_before.map_or(s0, |cut| {
            text[cut..a].find(' ').map(|i| cut + i + 1).unwrap_or(cut)
        });
        let end = cut_after.map_or(s1, |cut| {
            text[b..cut].rfind(' ').map(|i| b + i).unwrap_or(cut)
        });
        Bounds {
            start,
            a,
            b,
            end,
            more_before: start > s0,
            more_after: end < s1,
        }
    }

    /// The snippet's words, from `piece`: a part of the text that holds
    /// the window and starts at the text's byte `at` (words it lacks are
    /// left out, never a panic).
    pub(crate) fn cut(&self, piece: &str, at: usize) -> Cut {
        let words = |from: usize, to: usize| {
            piece
                .get(from.saturating_sub(at)..to.saturating_sub(at))
                .unwrap_or("")
        };
        // The words on one line: a line break as a space.
        let flat = |out: &mut String, s: &str| {
            if s.contains(['\r', '\n']) {
                out.extend(
                    s.chars()
                        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
                );
            } else {
                out.push_str(s);
            }
        };
        let (left, middle, right) = (
            words(self.start, self.a).trim_start(),
            words(self.a, self.b),
            words(self.b, self.end).trim_end(),
        );
        let mut before = String::with_capacity(left.len() + '…'.len_utf8());
        if self.more_before {
            before.push('…');
        }
        flat(&mut before, left);
        let mut after = String::with_capacity(right.len() + '…'.len_utf8());
        flat(&mut after, right);
        if self.more_after {
            after.push('…');
        }
        let mut words = String::with_capacity(middle.len());
        flat(&mut words, middle);
        Cut {
            before,
            words,
            after,
        }
    }
}

/// The line of `text` that holds `span` (cut back to the text and to whole
/// characters: a file can change between being checked and being quoted).
pub(crate) fn line_of(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let floor = |i: usize| crate::load::floor_char_boundary(text, i);
    let a = floor(span.start);
    let b = floor(span.end).max(a);
    let start = text[..a].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[b..].find('\n').map(|i| b + i).unwrap_or(text.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_break_in_the_window_is_shown_as_a_space() {
        let text = "قال\r\nالمتحدث 13\nقتيلا\nأمس";
        let a = text.find("13").unwrap();
        let b = text.find("قتيلا").unwrap() + "قتيلا".len();
        let c = cut(text, 0..text.len(), a..b, 80);
        assert_eq!(c.words, "13 قتيلا");
        assert_eq!(c.before, "قال  المتحدث ");
        assert_eq!(c.after, " أمس");
    }

    #[test]
    fn the_columns_of_every_character_are_those_unicode_width_gives() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let width = UnicodeWidthChar::width(c).unwrap_or(0);
            assert_eq!(char_columns(c), width, "{c:?}");
            // Read off the bytes, between others and at either end.
            let n = c.len_utf8();
            for (s, at) in [(format!("ق{c}ق"), 2), (format!("{c}"), 0)] {
                assert_eq!(char_at(&s, at), (width, n), "{c:?} in {s:?}");
                assert_eq!(char_before(&s, at + n), (width, at), "{c:?} in {s:?}");
            }
        }
    }

    proptest! {
        /// Counting each side only as far as the room gives the same cut as
        /// counting all of it.
        #[test]
        fn a_side_counted_as_far_as_the_room_is_cut_the_same(
            words in prop::collection::vec(
                prop::sample::select(vec!["قال", "13", " ", "中文", "ً", "word", "…", "\t"]),
                0..200,
            ),
            cuts in prop::collection::vec(0usize..2000, 4),
            columns in prop_oneof![0usize..120, 500usize..600],
        ) {
            let text = words.concat();
            let mut at: Vec<usize> = cuts.iter().map(|c| c % (text.len() + 1)).collect();
            at.sort_unstable();
            let (sentence, span) = (at[0]..at[3], at[1]..at[2]);
            prop_assert_eq!(
                bounds(&text, sentence.clone(), span.clone(), columns),
                bounds_counting(&text, sentence, span, columns, |s, _| columns_of(s))
            );
        }

        #[test]
        fn columns_are_counted_up_to_the_cap(s in "\\PC{0,40}", cap in 0usize..50) {
            prop_assert_eq!(columns_upto(&s, cap), columns_of(&s).min(cap));
        }
    }

    /// A room wider than `bounds` walks in one go (a terminal of 600
    /// columns) is cut as counting all of each side cuts it.
    #[test]
    fn a_room_wider_than_a_walk_is_cut_the_same() {
        let long = "كلمة ".repeat(400);
        let text = format!("{long}13 قتيلا{long}");
        let (a, b) = (long.len(), long.len() + "13 قتيلا".len());
        for columns in [WALK - 30, WALK, WALK + 30, 600] {
            let c = bounds(&text, 0..text.len(), a..b, columns);
            let all = bounds_counting(&text, 0..text.len(), a..b, columns, |s, _| columns_of(s));
            assert_eq!(c, all, "{columns}");
            assert!(c.more_before && c.more_after, "{columns}");
        }
    }

    #[test]
    fn the_window_keeps_the_words_and_cuts_at_a_word() {
        let long = "كلمة ".repeat(40);
        let text = format!("{long}13 قتيلا{long}");
        let a = long.len();
        let b = a + "13 قتيلا".len();
        let c = cut(&text, 0..text.len(), a..b, 60);
        assert_eq!(c.words, "13 قتيلا");
        assert!(c.before.starts_with('…') && c.after.ends_with('…'));
        assert!(
            columns_of(&c.before) + columns_of(&c.after) <= 60,
            "{}",
            c.before
        );
        assert!(c.before.starts_with("…كلمة") && c.after.ends_with("كلمة…"));
        // Room left by a short side goes to the other.
        let c = cut(&text[..b], 0..b, a..b, 60);
        assert!(!c.after.contains('…') && columns_of(&c.before) > 40);
    }
}
