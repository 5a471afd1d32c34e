//! The words the text report and the HTML cards quote, and only those,
//! cut when each article is read, not the whole text: for the cards, each
//! article's windows of the sentences (or lines) its findings stand in
//! (`Excerpts`); for the text report, each snippet (`Quotes`). A day's wire
//! is hundreds of megabytes of text; what a report quotes of it is a part,
//! and the rest is never held. A wire also repeats its copy word for word:
//! a window or a snippet met in a thousand articles is kept once.
use super::{ArticleTexts, Bounds, Cut};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::Arc;

/// How many terminal columns a snippet may take, from the article's text and
/// the span's byte range in it (as asked, not yet cut back to the text).
pub(crate) type Room<'a> = &'a (dyn Fn(&str, Range<usize>) -> usize + Sync);

/// A range a report quotes: the claim's sentence with its span, or
/// only a span, of which the whole line is quoted. (Offsets as the report
/// keeps them, 32 bits, and no sentence as `LINE` rather than an Option:
/// 16 bytes, where a report at scale asks millions.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Want {
    span: (u32, u32),
    sentence: (u32, u32),
}

/// `Want::sentence` when the span's line is quoted (no text of 4 GiB or
/// more is kept, so no sentence ends there).
const LINE: (u32, u32) = (u32::MAX, u32::MAX);

impl Want {
    pub(crate) fn new(span: &crate::claim::Span, sentence: Option<Range<u32>>) -> Want {
        Want {
            span: (span.start, span.end),
            sentence: sentence.map_or(LINE, |s| (s.start, s.end)),
        }
    }

    fn span(&self) -> Range<usize> {
        self.span.0 as usize..self.span.1 as usize
    }

    fn sentence(&self) -> Option<Range<usize>> {
        let (s, e) = self.sentence;
        (self.sentence != LINE).then_some(s as usize..e as usize)
    }

    /// What its snippet is cut from in `text`: the sentence, or the span's
    /// line.
    fn window(&self, text: &str) -> Range<usize> {
        self.sentence()
            .unwrap_or_else(|| super::line_of(text, self.span()))
    }
}

/// What is kept of each article, by its id.
pub(crate) type ByArticle = rustc_hash::FxHashMap<String, Kept>;

/// The windows of article texts the snippets show, by article id.
#[derive(Debug)]
pub struct Excerpts {
    by_article: ByArticle,
}

/// What is kept of one article.
#[derive(Debug)]
pub(crate) struct Kept {
    /// The windows' words, merged where they meet, in the text's order.
    windows: Box<[Arc<Words>]>,
    /// Each range asked for, sorted, with where its snippet is cut.
    cuts: Box<[(Want, Cut32)]>,
}

/// The words of a window: in Windows-1256 when it has every character of
/// them (one byte for an Arabic letter, where UTF-8 takes two: the words
/// of a report at scale are hundreds of megabytes), else in UTF-8.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Words {
    single_byte: bool,
    bytes: Box<[u8]>,
}

impl Words {
    /// `bytes[range]` as text (none when out of range).
    fn piece(&self, range: Range<usize>) -> std::borrow::Cow<'_, str> {
        let bytes = self.bytes.get(range).unwrap_or_default();
        if self.single_byte {
            encoding_rs::WINDOWS_1256
                .decode_without_bom_handling(bytes)
                .0
        } else {
            String::from_utf8_lossy(bytes)
        }
    }
}

/// `text` in Windows-1256, none when that encoding lacks one of its
/// characters: what `encoding_rs` gives, a character at a time from a
/// table (its encoder searches for each letter outside ASCII, and the words
/// a report quotes are mostly Arabic: that search was a tenth of a large
/// text report's time).
fn single_byte(text: &str) -> Option<Vec<u8>> {
    /// Each character Windows-1256 has beyond ASCII, with its byte: those
    /// of the Arabic block by their place in it, the others sorted.
    struct Table {
        arabic: [u8; 256],
        others: Vec<(char, u8)>,
    }
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = Table {
            arabic: [0; 256],
            others: Vec::new(),
        };
        for byte in 0x80..=0xFFu8 {
            let bytes = [byte];
            let (decoded, _) = encoding_rs::WINDOWS_1256.decode_without_bom_handling(&bytes);
            let mut chars = decoded.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                match (c as u32).checked_sub(0x600) {
                    Some(i @ 0..=0xFF) => t.arabic[i as usize] = byte,
                    _ => t.others.push((c, byte)),
                }
            }
        }
        t.others.sort_unstable();
        t
    });
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match (c as u32).checked_sub(0x600) {
            _ if c.is_ascii() => c as u8,
            Some(i @ 0..=0xFF) => table.arabic[i as usize],
            _ => match table.others.binary_search_by_key(&c, |&(c, _)| c) {
                Ok(k) => table.others[k].1,
                Err(_) => 0,
            },
        };
        if byte == 0 && c != '\0' {
            return None;
        }
        out.push(byte);
    }
    Some(out)
}

/// Hands out one `Words` per distinct window, to any thread: a day's wire
/// repeats its sentences word for word (at 100,000 articles of the
/// generated corpus, a million windows are 79,000 distinct ones).
#[derive(Default)]
pub(crate) struct Windows(std::sync::Mutex<hashbrown::HashTable<Arc<Words>>>);

impl Windows {
    fn get(&self, single_byte: bool, bytes: &[u8]) -> Arc<Words> {
        use std::hash::BuildHasher;
        let hash = |single_byte: bool, bytes: &[u8]| {
            rustc_hash::FxBuildHasher.hash_one((single_byte, bytes))
        };
        let h = hash(single_byte, bytes);
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let found = table.find(h, |w| w.single_byte == single_byte && *w.bytes == *bytes);
        if let Some(w) = found {
            return w.clone();
        }
        let w = Arc::new(Words {
            single_byte,
            bytes: bytes.into(),
        });
        table.insert_unique(h, w.clone(), |w| hash(w.single_byte, &w.bytes));
        w
    }
}

/// `Bounds`, in 32 bits (a text of 4 GiB or more is not kept, see `keep`,
/// and its snippets are left without words), with where the snippet's
/// words `start..end` stand in the kept window `window`: `from..to`.
#[derive(Debug, Clone, Copy, Default)]
struct Cut32 {
    start: u32,
    a: u32,
    b: u32,
    end: u32,
    window: u32,
    from: u32,
    to: u32,
    more_before: bool,
    more_after: bool,
}

impl Excerpts {
    /// What is kept of each article, by id (`keep`), as excerpts.
    pub(crate) fn from_kept(by_article: ByArticle) -> Excerpts {
        Excerpts { by_article }
    }

    /// The snippet's words for `want` of `article`, as `super::cut` cuts
    /// them from the whole text: none when the article could not be read
    /// (or `want` was not asked for when it was).
    pub(crate) fn cut(&self, article: &str, want: Want) -> Cut {
        let Some(kept) = self.by_article.get(article) else {
            return Cut::default();
        };
        let Ok(k) = kept.cuts.binary_search_by_key(&want, |(w, _)| *w) else {
            return Cut::default();
        };
        let c = kept.cuts[k].1;
        let piece = match kept.windows.get(c.window as usize) {
            Some(w) => w.piece(c.from as usize..c.to as usize),
            None => Default::default(),
        };
        Bounds {
            start: c.start as usize,
            a: c.a as usize,
            b: c.b as usize,
            end: c.end as usize,
            more_before: c.more_before,
            more_after: c.more_after,
        }
        .cut(&piece, c.start as usize)
    }
}

/// The snippets the text report draws, each cut once, when its article is
/// read, and kept once however many parts of the report show it: a wire
/// story copied into a thousand articles is one snippet. Part `k` of the
/// report (its parts counted in order) shows snippet `snippet_of(k)`, and
/// two parts show the same words exactly when they show the same snippet.
#[derive(Debug, Default)]
pub(crate) struct Quotes {
    of_part: Vec<std::sync::atomic::AtomicU32>,
    snippets: Vec<Snippet>,
}

/// A snippet's words, before, marked and after, in one `Words`: the
/// marked ones run from `a` to `b` (in the units `Words` keeps them in).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Snippet {
    words: Words,
    a: u32,
    b: u32,
}

/// A range the text report asks of an article (by its place in the
/// report), with a part of the report that shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ask {
    pub article: u32,
    pub want: Want,
    pub part: u32,
}

/// `Quotes::of_part` for a part with no words (it quotes none, or its
/// article could not be read again).
const NO_WORDS: u32 = u32::MAX;

impl Quotes {
    /// Cuts what `asks` (sorted) asks of each article, `ids[article]`, from
    /// `texts` (in parallel): each range, `room` wide, for the parts (of
    /// `parts` in all) that show it.
    pub(crate) fn read(
        asks: &[Ask],
        ids: &[&str],
        parts: usize,
        texts: &dyn ArticleTexts,
        room: Room,
    ) -> Quotes {
        Quotes::read_filing(asks, ids, parts, texts, room, WHOLE_BYTES)
    }

    /// `read`, with windows of up to `whole_bytes` filed whole.
    fn read_filing(
        asks: &[Ask],
        ids: &[&str],
        parts: usize,
        texts: &dyn ArticleTexts,
        room: Room,
        whole_bytes: usize,
    ) -> Quotes {
        use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
        let table = std::sync::Mutex::new(Table::default());
        let of_part: Vec<AtomicU32> = (0..parts).map(|_| AtomicU32::new(NO_WORDS)).collect();
        asks.par_chunk_by(|x, y| x.article == y.article)
            .for_each(|asks| {
                let Some(text) = ids
                    .get(asks[0].article as usize)
                    .and_then(|id| texts.text(id))
                else {
                    return;
                };
                for run in asks.chunk_by(|x, y| x.want == y.want) {
                    let w = run[0].want;
                    let snippet = Origin::cut(&text, w, room(&text, w.span()), whole_bytes, &table);
                    for ask in run {
                        if let Some(slot) = of_part.get(ask.part as usize) {
                            slot.store(snippet, Relaxed);
                        }
                    }
                }
            });
        let table = table.into_inner().unwrap_or_else(|e| e.into_inner());
        Quotes {
            of_part,
            snippets: table.snippets,
        }
    }

    /// The snippet part `part` shows: none when it shows no words.
    pub(crate) fn snippet_of(&self, part: usize) -> Option<u32> {
        let k = self.of_part.get(part)?;
        Some(k.load(std::sync::atomic::Ordering::Relaxed)).filter(|&k| k != NO_WORDS)
    }

    /// The words of snippet `k` (none for a snippet not kept).
    pub(crate) fn cut(&self, k: u32) -> Cut {
        let Some(s) = self.snippets.get(k as usize) else {
            return Cut::default();
        };
        let (a, b, end) = (s.a as usize, s.b as usize, s.words.bytes.len());
        Cut {
            before: s.words.piece(0..a).into_owned(),
            words: s.words.piece(a..b).into_owned(),
            after: s.words.piece(b..end).into_owned(),
        }
    }
}

/// What a snippet is cut from, as `Table` files it: a short window
/// (sentence or line) whole, with where the span lies in it and the
/// columns it may take; of a long one, only the words `bounds` keeps of it
/// and whether it goes on before and after them. Two windows alike are
/// cut alike (`super::clamped`), and so are two bounds alike.
struct Origin<'t> {
    words: &'t [u8],
    span: [u32; 2],
    columns: usize,
    /// `WHOLE`, or the bounds' `more_before` and `more_after` (bits 0, 1).
    more: u8,
}

/// `Origin::more` for a window filed whole.
const WHOLE: u8 = u8::MAX;

/// The longest window filed whole: hashing a longer one (a paragraph
/// quoted as a line) would cost more than finding its bounds.
const WHOLE_BYTES: usize = 512;

impl Origin<'_> {
    fn hash(&self) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one((self.words, self.span, self.columns, self.more))
    }

    /// The snippet (or `NO_WORDS`) `want` shows of `text`, `columns` wide:
    /// cut from the text, or found in `table` when a window like its own
    /// was cut before (a window of up to `whole_bytes` filed whole).
    fn cut(
        text: &str,
        want: Want,
        columns: usize,
        whole_bytes: usize,
        table: &std::sync::Mutex<Table>,
    ) -> u32 {
        let lock = || table.lock().unwrap_or_else(|e| e.into_inner());
        let (window, span) = (want.window(text), want.span());
        let [s0, a, b, s1] = super::clamped(text, window.clone(), span.clone());
        let whole = s1 - s0 <= whole_bytes;
        let (bounds, from, to, more) = if whole {
            (None, s0, s1, WHOLE)
        } else {
            let bounds = super::bounds(text, window.clone(), span.clone(), columns);
            let more = u8::from(bounds.more_before) | (u8::from(bounds.more_after) << 1);
            (Some(bounds), bounds.start, bounds.end, more)
        };
        let key = Origin {
            words: &text.as_bytes()[from..to],
            span: [a - from, b - from].map(|i| i as u32),
            columns,
            more,
        };
        let h = key.hash();
        if let Some(k) = lock().cut_before(h, &key) {
            return k;
        }
        let bounds = bounds.unwrap_or_else(|| super::bounds(text, window, span, columns));
        let cut = bounds.cut(text, 0);
        let snippet = (!cut.words.is_empty()).then(|| Snippet::new(cut));
        lock().intern(h, &key, snippet)
    }
}

/// What `Quotes::read` has cut so far: the snippets, each once, and the
/// windows they were cut from, each once, so that a sentence a wire
/// copies into a thousand articles is cut once. (The windows' words are
/// kept up to `WINDOW_BYTES` in all; past that, a window met again is cut
/// again, to the same snippet.)
#[derive(Default)]
struct Table {
    snippets: Vec<Snippet>,
    by_words: hashbrown::HashTable<u32>,
    windows: hashbrown::HashTable<Filed>,
    words: Vec<u8>,
}

/// A window `Table` files: where its words are in `Table::words`, their
/// length, and the rest of it as `Origin` has it, with its snippet (or
/// `NO_WORDS`).
struct Filed {
    at: u32,
    len: u32,
    span: [u32; 2],
    columns: usize,
    more: u8,
    snippet: u32,
}

/// The most bytes of windows' words `Table` keeps (a window cut from a
/// sentence no other article has is never met again: on a corpus of such
/// articles the table stops growing here). The windows a wire repeats
/// most are met first; the generated corpus's 100k articles file 21 MB.
const WINDOW_BYTES: usize = 16 << 20;

impl Table {
    /// The snippet (or `NO_WORDS`) cut before from a window like `w`,
    /// hashed `h`.
    fn cut_before(&self, h: u64, w: &Origin) -> Option<u32> {
        let words = &self.words;
        self.windows
            .find(h, |f| {
                (f.span, f.columns, f.more) == (w.span, w.columns, w.more)
                    && words[f.at as usize..][..f.len as usize] == *w.words
            })
            .map(|f| f.snippet)
    }

    /// Files `snippet`, cut from window `w` hashed `h`, and returns its
    /// number (`NO_WORDS` for none): a snippet like one filed before has
    /// its number.
    fn intern(&mut self, h: u64, w: &Origin, snippet: Option<Snippet>) -> u32 {
        use std::hash::BuildHasher;
        let k = snippet.map_or(NO_WORDS, |s| {
            let hash = |s: &Snippet| rustc_hash::FxBuildHasher.hash_one(s);
            let snippets = &mut self.snippets;
            let sh = hash(&s);
            if let Some(&k) = self.by_words.find(sh, |&k| snippets[k as usize] == s) {
                return k;
            }
            let k = snippets.len() as u32;
            snippets.push(s);
            self.by_words
                .insert_unique(sh, k, |&k| hash(&snippets[k as usize]));
            k
        });
        let room = self.words.len() + w.words.len() <= WINDOW_BYTES;
        if room && self.cut_before(h, w).is_none() {
            let at = self.words.len() as u32;
            self.words.extend_from_slice(w.words);
            let filed = Filed {
                at,
                len: w.words.len() as u32,
                span: w.span,
                columns: w.columns,
                more: w.more,
                snippet: k,
            };
            let words = &self.words;
            self.windows.insert_unique(h, filed, |f| {
                Origin {
                    words: &words[f.at as usize..][..f.len as usize],
                    span: f.span,
                    columns: f.columns,
                    more: f.more,
                }
                .hash()
            });
        }
        k
    }
}

impl Snippet {
    /// `cut`, in one byte a character where Windows-1256 has them all.
    fn new(cut: Cut) -> Snippet {
        let chars = |s: &str| s.chars().count() as u32;
        let whole = [cut.before.as_str(), &cut.words, &cut.after].concat();
        match single_byte(&whole) {
            Some(bytes) => {
                let a = chars(&cut.before);
                Snippet {
                    words: Words {
                        single_byte: true,
                        bytes: bytes.into(),
                    },
                    a,
                    b: a + chars(&cut.words),
                }
            }
            _ => Snippet {
                a: cut.before.len() as u32,
                b: (cut.before.len() + cut.words.len()) as u32,
                words: Words {
                    single_byte: false,
                    bytes: whole.into_bytes().into(),
                },
            },
        }
    }
}

/// What the snippets of `wants`, `room` wide, show of `text`: where each
/// is cut (`super::bounds`), and the windows' words, merged where they
/// meet, each as `windows` keeps it. None for a text too long for 32-bit
/// offsets.
pub(crate) fn keep(
    text: &str,
    mut wants: Vec<Want>,
    room: Room,
    windows: &Windows,
) -> Option<Kept> {
    let u32 = |i: usize| u32::try_from(i).ok();
    u32(text.len())?;
    wants.sort_unstable();
    wants.dedup();
    let mut cuts = Vec::with_capacity(wants.len());
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(wants.len());
    for w in wants {
        let b = super::bounds(text, w.window(text), w.span(), room(text, w.span()));
        cuts.push((
            w,
            Cut32 {
                start: u32(b.start)?,
                a: u32(b.a)?,
                b: u32(b.b)?,
                end: u32(b.end)?,
                more_before: b.more_before,
                more_after: b.more_after,
                ..Cut32::default()
            },
        ));
        ranges.push(b.start..b.end);
    }
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let kept: Vec<Arc<Words>> = merged
        .iter()
        .map(|r| {
            let words = &text[r.clone()];
            match single_byte(words) {
                Some(bytes) => windows.get(true, &bytes),
                None => windows.get(false, words.as_bytes()),
            }
        })
        .collect();
    // Where each snippet's words start and end in its window: one pass
    // over each window, in one byte a character (Windows-1256) or in
    // UTF-8.
    let mut places: Vec<(u32, u32)> = Vec::with_capacity(2 * cuts.len());
    for (i, (_, c)) in cuts.iter().enumerate() {
        places.push((c.start, 2 * i as u32));
        places.push((c.end, 2 * i as u32 + 1));
    }
    places.sort_unstable();
    let mut places = places.into_iter().peekable();
    for (window, (r, words)) in merged.iter().zip(&kept).enumerate() {
        let mut chars = text[r.clone()].char_indices().peekable();
        let mut counted = 0u32;
        while let Some((pos, which)) = places.next_if(|&(pos, _)| pos as usize <= r.end) {
            let at = if words.single_byte {
                while chars
                    .next_if(|&(i, _)| r.start + i < pos as usize)
                    .is_some()
                {
                    counted += 1;
                }
                counted
            } else {
                pos - r.start as u32
            };
            let c = &mut cuts[which as usize / 2].1;
            c.window = u32(window)?;
            if which % 2 == 0 {
                c.from = at;
            } else {
                c.to = at;
            }
        }
    }
    Some(Kept {
        windows: kept.into(),
        cuts: cuts.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(span: Range<usize>, sentence: Option<Range<usize>>) -> Want {
        let u32 = |r: Range<usize>| (r.start as u32, r.end as u32);
        Want {
            span: u32(span),
            sentence: sentence.map_or(LINE, u32),
        }
    }

    fn keep(text: &str, wants: Vec<Want>, room: Room) -> Option<Kept> {
        super::keep(text, wants, room, &Windows::default())
    }

    /// The windows kept, as (article byte, words): the snippets' ranges,
    /// merged where they meet; the words kept are theirs and no more.
    fn windows(k: &Kept) -> Vec<(usize, String)> {
        let mut cuts: Vec<Cut32> = k.cuts.iter().map(|(_, c)| *c).collect();
        cuts.sort_by_key(|c| (c.start, c.end));
        let mut merged: Vec<Cut32> = Vec::new();
        for c in cuts {
            match merged.last_mut() {
                Some(m) if c.start <= m.end => {
                    assert_eq!(c.window, m.window, "one window, one piece");
                    if c.end > m.end {
                        (m.end, m.to) = (c.end, c.to);
                    }
                }
                _ => merged.push(c),
            }
        }
        assert_eq!(merged.len(), k.windows.len());
        merged
            .iter()
            .zip(0..)
            .map(|(m, i)| {
                let w = &k.windows[i];
                assert_eq!(m.window, i as u32);
                assert_eq!(
                    (m.from as usize, m.to as usize),
                    (0, w.bytes.len()),
                    "words kept beyond the window"
                );
                (m.start as usize, w.piece(0..w.bytes.len()).into_owned())
            })
            .collect()
    }

    #[test]
    fn a_window_holds_the_sentence_or_the_line_and_windows_merge() {
        let text = "سطر أول\nقال الوزير إن 13 قتلوا. وأضاف أن 16 جرحوا\nسطر أخير";
        let l2 = text.find("قال").unwrap();
        let s2 = text.find("وأضاف").unwrap();
        let n13 = text.find("13").unwrap();
        let n16 = text.find("16").unwrap();
        let end2 = text.find("\nسطر أخير").unwrap();
        // The first sentence only, then the whole second line.
        let k = keep(text, vec![want(n13..n13 + 2, Some(l2..s2 - 1))], &|_, _| 80).unwrap();
        assert_eq!(windows(&k), vec![(l2, text[l2..s2 - 1].to_string())]);
        let k = keep(
            text,
            vec![
                want(n13..n13 + 2, Some(l2..s2 - 1)),
                want(n16..n16 + 2, None),
                want(n13..n13 + 2, Some(l2..s2 - 1)),
            ],
            &|_, _| 80,
        )
        .unwrap();
        assert_eq!(windows(&k), vec![(l2, text[l2..end2].to_string())]);
        // A range asked twice is cut once.
        assert_eq!(k.cuts.len(), 2);
        // A span past the end of a text that changed is cut back to it.
        let k = keep(
            text,
            vec![want(text.len() + 5..text.len() + 9, None)],
            &|_, _| 80,
        )
        .unwrap();
        let last = text.rfind('\n').unwrap() + 1;
        assert_eq!(windows(&k), vec![(last, text[last..].to_string())]);
    }

    #[test]
    fn a_long_sentence_is_kept_as_far_as_its_snippet_shows_it() {
        let long = "كلمة ".repeat(200);
        let text = format!("{long}قتل 13 شخصا {long}");
        let n13 = text.find("13").unwrap();
        let w = want(n13..n13 + 2, Some(0..text.len()));
        let k = keep(&text, vec![w], &|_, _| 40).unwrap();
        let kept = windows(&k);
        assert_eq!(kept.len(), 1);
        let (at, words) = kept[0].clone();
        // About 40 columns (of two-byte letters), not 2,000.
        assert!(
            at > 0 && at + words.len() < text.len(),
            "{at} {}",
            words.len()
        );
        assert!(words.len() < 100, "{}", words.len());
        let excerpts = Excerpts {
            by_article: ByArticle::from_iter([("a".to_string(), k)]),
        };
        let cut = excerpts.cut("a", w);
        let whole = super::super::cut(&text, 0..text.len(), w.span(), 40);
        assert_eq!(
            (cut.before, cut.words, cut.after),
            (whole.before, whole.words, whole.after)
        );
        // What was not asked for, or of an article not read, is no words.
        let none = excerpts.cut("a", want(0..4, None));
        assert_eq!((none.before, none.words, none.after), Default::default());
        let none = excerpts.cut("b", w);
        assert!(none.words.is_empty());
    }

    #[test]
    fn arabic_windows_are_kept_in_one_byte_a_letter_and_others_in_utf8() {
        let arabic = "قال الوزير إنّ «13 شخصا» قُتلوا، وأصيب 16 آخرون.";
        let n13 = arabic.find("13").unwrap();
        let w = want(n13..n13 + 2, None);
        let k = keep(arabic, vec![w], &|_, _| 200).unwrap();
        assert!(k.windows[0].single_byte);
        let bytes = k.windows[0].bytes.len();
        assert!(bytes < arabic.len() * 6 / 10, "{bytes} bytes");
        assert_eq!(windows(&k), vec![(0, arabic.to_string())]);
        let mixed = format!("{arabic} 中文");
        let k = keep(&mixed, vec![w], &|_, _| 200).unwrap();
        assert!(!k.windows[0].single_byte);
        assert_eq!(windows(&k), vec![(0, mixed.clone())]);
        let excerpts = Excerpts {
            by_article: ByArticle::from_iter([("a".to_string(), k)]),
        };
        let cut = excerpts.cut("a", w);
        assert_eq!(
            (cut.before.as_str(), cut.words.as_str()),
            (&arabic[..n13], "13")
        );
    }

    /// A window filed is found again by all it is (its words, where its
    /// span lies, its columns, whether it goes on), never by its hash
    /// alone: here every window has the same hash.
    #[test]
    fn a_window_is_found_again_only_by_all_it_is() {
        let mut table = Table::default();
        let w = |words: &'static str, span: [u32; 2], columns: usize, more: u8| Origin {
            words: words.as_bytes(),
            span,
            columns,
            more,
        };
        let cut = |words: &str| Cut {
            words: words.to_string(),
            ..Cut::default()
        };
        let first = w("قال 13 قتيلا", [7, 9], 40, WHOLE);
        let k = table.intern(0, &first, Some(Snippet::new(cut("13"))));
        assert_eq!(table.cut_before(0, &first), Some(k));
        for other in [
            w("قال 14 قتيلا", [7, 9], 40, WHOLE),
            w("قال 13 قتيلا", [6, 9], 40, WHOLE),
            w("قال 13 قتيلا", [7, 8], 40, WHOLE),
            w("قال 13 قتيلا", [7, 9], 41, WHOLE),
            w("قال 13 قتيلا", [7, 9], 40, 1),
            w("قال 13 قتيل", [7, 9], 40, WHOLE),
        ] {
            assert_eq!(table.cut_before(0, &other), None);
        }
        // A window with no words to show is filed as such; a snippet cut
        // from another window, word for word one filed, is that one.
        let none = w("قال", [3, 3], 40, WHOLE);
        assert_eq!(table.intern(0, &none, None), NO_WORDS);
        assert_eq!(table.cut_before(0, &none), Some(NO_WORDS));
        let again = w("وقال 13 قتيلا", [9, 11], 40, WHOLE);
        assert_eq!(table.intern(0, &again, Some(Snippet::new(cut("13")))), k);
        assert_eq!(table.cut_before(0, &again), Some(k));
        assert_eq!(table.snippets.len(), 1);
        // A window cut twice at once (on two threads) is filed once.
        assert_eq!(table.intern(0, &first, Some(Snippet::new(cut("13")))), k);
        assert_eq!(table.windows.len(), 3);
    }

    /// A long sentence is filed by the words its snippet shows and by
    /// whether it goes on past them: a sentence of just those words shows
    /// them without "…".
    #[test]
    fn a_long_sentence_cut_short_is_not_the_short_one() {
        let long = format!("{}13 قتيلا", "كلمة ".repeat(40));
        let at = long.find("13").unwrap();
        let b = super::super::bounds(&long, 0..long.len(), at..at + 2, 30);
        assert!(b.more_before && !b.more_after);
        let short = long[b.start..b.end].to_string();
        let texts: std::collections::HashMap<&str, &str> =
            [("a", long.as_str()), ("b", short.as_str())].into();
        let (a_at, b_at) = (at as u32, (at - b.start) as u32);
        let asks = [
            Ask {
                article: 0,
                want: want(a_at as usize..a_at as usize + 2, Some(0..long.len())),
                part: 0,
            },
            Ask {
                article: 1,
                want: want(b_at as usize..b_at as usize + 2, Some(0..short.len())),
                part: 1,
            },
        ];
        let quotes = Quotes::read_filing(&asks, &["a", "b"], 2, &texts, &|_, _| 30, 0);
        let [a, b] = [0, 1].map(|k| quotes.cut(quotes.snippet_of(k).unwrap()));
        assert!(a.before.starts_with('…'), "{a:?}");
        assert_eq!(b.before, short[..b_at as usize].trim_start());
        assert_eq!(a.words, b.words);
    }

    #[test]
    fn a_window_met_in_several_articles_is_kept_once() {
        let windows = Windows::default();
        let a = "قال الوزير إن 13 قتلوا.";
        let b = format!("{a}\nسطر آخر");
        let c = a.replace("13", "14");
        let n = a.find("13").unwrap();
        let w = want(n..n + 2, None);
        let [ka, kb, kc] = [a, b.as_str(), c.as_str()]
            .map(|t| super::keep(t, vec![w], &|_, _| 80, &windows).unwrap());
        assert!(Arc::ptr_eq(&ka.windows[0], &kb.windows[0]));
        assert!(!Arc::ptr_eq(&ka.windows[0], &kc.windows[0]));
        let excerpts = Excerpts {
            by_article: ByArticle::from_iter([("b".to_string(), kb), ("c".to_string(), kc)]),
        };
        assert_eq!(excerpts.cut("b", w).words, "13");
        assert_eq!(excerpts.cut("c", w).words, "14");
    }

    use proptest::prelude::*;

    #[test]
    fn every_character_is_in_windows_1256_as_encoding_rs_has_it() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = c.to_string();
            let theirs = match encoding_rs::WINDOWS_1256.encode(&s) {
                (bytes, _, false) => Some(bytes.into_owned()),
                _ => None,
            };
            assert_eq!(single_byte(&s), theirs, "{c:?}");
        }
        let words = "قال الوزير: «13 قتيلاً» … (Reuters) é";
        let theirs = encoding_rs::WINDOWS_1256.encode(words).0.into_owned();
        assert_eq!(single_byte(words), Some(theirs));
    }

    /// Texts of short lines and sentences, Arabic and Latin, with
    /// multi-byte letters where a range may fall inside one, tashkeel (no
    /// column) and wide letters (two).
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("قال".to_string()),
                Just("13".to_string()),
                Just(" ".to_string()),
                Just(". ".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("word".to_string()),
                Just("ـً".to_string()),
                Just("كلمة طويلة ".to_string()),
                Just("中文".to_string()),
            ],
            0..80,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        /// A snippet cut from the windows kept is the one cut from the
        /// whole text, whatever the ranges (past the end of the text too,
        /// as when a file changed after it was checked, or ending before
        /// they start) and however the room depends on the span (the HTML
        /// cards give it the span's own width and more).
        #[test]
        fn snippets_from_the_windows_are_those_from_the_whole_text(
            text in text(),
            asks in proptest::collection::vec(
                (0usize..400, 0usize..30, any::<bool>(), proptest::option::of((0usize..400, 0usize..300))),
                1..6,
            ),
            columns in 0usize..80,
            by_span in any::<bool>(),
            wide in any::<bool>(),
            whole_bytes in prop_oneof![Just(0usize), Just(40), Just(WHOLE_BYTES)],
        ) {
            // Without the CJK letters, which Windows-1256 lacks, the windows
            // are kept in one byte a character.
            let text = if wide { text } else { text.replace("中文", "") };
            let wants: Vec<Want> = asks
                .iter()
                .map(|&(a, n, backwards, s)| {
                    let span = if backwards { a + n..a } else { a..a + n };
                    want(span, s.map(|(s, m)| s..s + m))
                })
                .collect();
            let room = |_: &str, span: Range<usize>| {
                if by_span { columns + span.start % 13 + span.end % 7 } else { columns }
            };
            let excerpts = Excerpts {
                by_article: ByArticle::from_iter([("a".to_string(), keep(&text, wants.clone(), &room).unwrap())]),
            };
            for w in &wants {
                let whole = {
                    super::super::cut(&text, w.window(&text), w.span(), room(&text, w.span()))
                };
                let cut = excerpts.cut("a", *w);
                prop_assert_eq!((&cut.before, &cut.words, &cut.after), (&whole.before, &whole.words, &whole.after));
            }
            // The text report's snippets, each asked by a part of its own
            // (with a part that asks nothing after them), of the article, of
            // a copy of it, and of the article after a line of its own (the
            // same windows elsewhere, with another room when it depends on
            // the span): each is its own cut, and two parts show one snippet
            // exactly when they show the same words, however long a window
            // `Table` files whole.
            let (copy, after) = (text.clone(), format!("ab\n{text}"));
            let texts: std::collections::HashMap<&str, &str> =
                [("a", text.as_str()), ("b", copy.as_str()), ("c", after.as_str())].into();
            let moved = |article: u32, w: &Want| {
                let by = if article == 2 { 3 } else { 0 };
                let span = w.span();
                want(span.start + by..span.end + by, w.sentence().map(|s| s.start + by..s.end + by))
            };
            let mut asks: Vec<Ask> = (0..3)
                .flat_map(|article| wants.iter().enumerate().map(move |(k, w)| Ask {
                    article,
                    want: moved(article, w),
                    part: (3 * k) as u32 + article,
                }))
                .collect();
            asks.sort_unstable();
            let parts = 3 * wants.len() + 1;
            let quotes = Quotes::read_filing(&asks, &["a", "b", "c"], parts, &texts, &room, whole_bytes);
            let mut shown = Vec::new();
            for a in &asks {
                let text = texts[["a", "b", "c"][a.article as usize]];
                let w = a.want;
                let whole = super::super::cut(text, w.window(text), w.span(), room(text, w.span()));
                let snippet = quotes.snippet_of(a.part as usize);
                match snippet {
                    None => prop_assert!(whole.words.is_empty()),
                    Some(s) => {
                        let cut = quotes.cut(s);
                        prop_assert_eq!((&cut.before, &cut.words, &cut.after), (&whole.before, &whole.words, &whole.after));
                    }
                }
                shown.push((snippet, (whole.before, whole.words, whole.after)));
            }
            prop_assert_eq!(quotes.snippet_of(parts - 1), None);
            for (s, words) in &shown {
                for (t, other) in &shown {
                    prop_assert_eq!(s.is_some() && s == t, s.is_some() && words == other);
                }
            }
        }
    }
}
