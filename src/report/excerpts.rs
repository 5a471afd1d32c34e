//! The words the text report quotes, and only those: for each article, the
//! parts of the sentences (or lines) its findings stand in that a snippet
//! can show, not the whole text. A day's wire is hundreds of megabytes of
//! text; what a report quotes of it is a part, and the rest is never held.
use super::ArticleTexts;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;

/// A range the text report quotes: the claim's sentence with its span, or
/// only a span, of which the whole line is quoted. (Offsets as the report
/// keeps them, 32 bits: a report at scale asks millions.)
#[derive(Debug, Clone)]
pub(crate) struct Want {
    span: Range<u32>,
    sentence: Option<Range<u32>>,
}

impl Want {
    pub(crate) fn new(span: &crate::claim::Span, sentence: Option<Range<u32>>) -> Want {
        Want {
            span: span.start..span.end,
            sentence,
        }
    }

    fn span(&self) -> Range<usize> {
        self.span.start as usize..self.span.end as usize
    }

    fn sentence(&self) -> Option<Range<usize>> {
        self.sentence
            .as_ref()
            .map(|s| s.start as usize..s.end as usize)
    }
}

/// Pieces of article texts, each with the byte of its article it starts at.
#[derive(Debug)]
pub struct Excerpts {
    /// By article id: the pieces, sorted and apart.
    by_article: HashMap<String, Vec<(usize, Box<str>)>>,
}

impl Excerpts {
    /// Reads what `wanted` asks of each article from `texts` (in parallel),
    /// keeping the pieces that snippets `columns` wide show.
    pub(crate) fn read(
        wanted: HashMap<&str, Vec<Want>>,
        texts: &dyn ArticleTexts,
        columns: usize,
    ) -> Excerpts {
        let by_article = wanted
            .into_par_iter()
            .filter_map(|(id, wants)| {
                let text = texts.text(id)?;
                Some((id.to_string(), pieces(&text, &wants, columns)))
            })
            .collect();
        Excerpts { by_article }
    }

    /// What `super::cut` is given to quote `span` of `article` in its
    /// `sentence` (none: in its line), as asked when read: the piece that
    /// holds them, and the sentence (or line) and the span in the piece.
    /// The sentence is cut back to the piece, which holds all of it that
    /// the snippet shows (`super::reach`).
    pub(crate) fn quote(
        &self,
        article: &str,
        span: Range<usize>,
        sentence: Option<Range<usize>>,
    ) -> (&str, Range<usize>, Range<usize>) {
        let (text, at) = self.around(article, &span);
        let shift = |r: Range<usize>| {
            r.start.saturating_sub(at).min(text.len())..r.end.saturating_sub(at).min(text.len())
        };
        let span = shift(span);
        let sentence = match sentence {
            Some(s) => shift(s),
            None => super::line_of(text, span.clone()),
        };
        (text, sentence, span)
    }

    /// The piece of `article` that holds `range` (as asked when read), and
    /// the byte it starts at: ("", 0) when the article could not be read.
    fn around(&self, article: &str, range: &Range<usize>) -> (&str, usize) {
        let Some(pieces) = self.by_article.get(article) else {
            return ("", 0);
        };
        // The last piece that starts at or before the range: pieces are
        // cut back to the text, so a range past its end is in the last.
        let k = pieces.partition_point(|(start, _)| *start <= range.start);
        match k.checked_sub(1).and_then(|k| pieces.get(k)) {
            Some((start, piece)) => (piece, *start),
            None => ("", 0),
        }
    }
}

/// The ranges of `text` that `wants` quote, merged, as owned pieces. A
/// range is what `super::cut` reads at `columns` (`super::reach`): the
/// span, and around it as much of its sentence, or of its line, as a
/// snippet may show; each is cut back to the text and to whole characters.
fn pieces(text: &str, wants: &[Want], columns: usize) -> Vec<(usize, Box<str>)> {
    let mut ranges: Vec<Range<usize>> = wants
        .iter()
        .map(|w| {
            let around = w
                .sentence()
                .unwrap_or_else(|| super::line_of(text, w.span()));
            super::reach(text, around, w.span(), columns)
        })
        .collect();
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
        .into_iter()
        .map(|r| (r.start, text[r].into()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(span: Range<usize>, sentence: Option<Range<usize>>) -> Want {
        let u32 = |r: Range<usize>| r.start as u32..r.end as u32;
        Want {
            span: u32(span),
            sentence: sentence.map(u32),
        }
    }

    #[test]
    fn a_piece_holds_the_sentence_or_the_line_and_pieces_merge() {
        let text = "سطر أول\nقال الوزير إن 13 قتلوا. وأضاف أن 16 جرحوا\nسطر أخير";
        let l2 = text.find("قال").unwrap();
        let s2 = text.find("وأضاف").unwrap();
        let n13 = text.find("13").unwrap();
        let n16 = text.find("16").unwrap();
        let end2 = text.find("\nسطر أخير").unwrap();
        // The first sentence only, then the whole second line.
        let p = pieces(text, &[want(n13..n13 + 2, Some(l2..s2 - 1))], 80);
        assert_eq!(p, vec![(l2, text[l2..s2 - 1].into())]);
        let p = pieces(
            text,
            &[
                want(n13..n13 + 2, Some(l2..s2 - 1)),
                want(n16..n16 + 2, None),
            ],
            80,
        );
        assert_eq!(p, vec![(l2, text[l2..end2].into())]);
        // A span past the end of a text that changed is cut back to it.
        let p = pieces(text, &[want(text.len() + 5..text.len() + 9, None)], 80);
        let last = text.rfind('\n').unwrap() + 1;
        assert_eq!(p, vec![(last, text[last..].into())]);
    }

    #[test]
    fn a_long_sentence_is_kept_as_far_as_a_snippet_shows_it() {
        let long = "كلمة ".repeat(200);
        let text = format!("{long}قتل 13 شخصا {long}");
        let n13 = text.find("13").unwrap();
        let want = want(n13..n13 + 2, Some(0..text.len()));
        let p = pieces(&text, std::slice::from_ref(&want), 40);
        assert_eq!(p.len(), 1);
        let (at, piece) = &p[0];
        // About 41 columns (of two-byte letters) each side, not 1,000.
        assert!(
            *at > 0 && at + piece.len() < text.len(),
            "{at} {}",
            piece.len()
        );
        assert!(piece.len() < 250, "{}", piece.len());
        let kept = Excerpts {
            by_article: HashMap::from([("a".to_string(), p)]),
        };
        let (piece, sentence, span) = kept.quote("a", want.span(), want.sentence());
        let cut = super::super::cut(piece, sentence, span, 40);
        let whole = super::super::cut(&text, 0..text.len(), want.span(), 40);
        assert_eq!(
            (cut.before, cut.words, cut.after),
            (whole.before, whole.words, whole.after)
        );
    }

    use proptest::prelude::*;

    /// Texts of short lines and sentences, Arabic and Latin, with
    /// multi-byte letters where a range may fall inside one.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("قال".to_string()),
                Just("13".to_string()),
                Just(" ".to_string()),
                Just(". ".to_string()),
                Just("\n".to_string()),
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
        /// A snippet cut from the pieces kept is the one cut from the
        /// whole text, whatever the ranges (past the end of the text too,
        /// as when a file changed after it was checked).
        #[test]
        fn snippets_from_the_pieces_are_those_from_the_whole_text(
            text in text(),
            asks in proptest::collection::vec(
                (0usize..400, 0usize..30, proptest::option::of((0usize..400, 0usize..300))),
                1..6,
            ),
            columns in 0usize..80,
        ) {
            let wants: Vec<Want> = asks
                .iter()
                .map(|&(a, n, s)| want(a..a + n, s.map(|(s, m)| s..s + m)))
                .collect();
            let kept = Excerpts {
                by_article: HashMap::from([("a".to_string(), pieces(&text, &wants, columns))]),
            };
            for w in &wants {
                let whole = {
                    let sentence = w.sentence().unwrap_or_else(|| super::super::line_of(&text, w.span()));
                    super::super::cut(&text, sentence, w.span(), columns)
                };
                let (piece, sentence, span) = kept.quote("a", w.span(), w.sentence());
                let cut = super::super::cut(piece, sentence, span, columns);
                prop_assert_eq!((&cut.before, &cut.words, &cut.after), (&whole.before, &whole.words, &whole.after));
            }
        }
    }
}
