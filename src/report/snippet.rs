//! The one shape of miette's graphical diagnostic that the text report
//! draws millions of times, drawn directly: a title, then one line of an
//! article with one labelled span under it. The bytes are those miette's
//! `GraphicalReportHandler` (7.6) draws for it, with the same theme and
//! width; a property test holds the two together. Anything else (a window
//! of several lines, a label of several lines) is left to miette. (Laying
//! out the snippets of 100k articles through miette took most of 30 s.)
use miette::GraphicalTheme;
use owo_colors::OwoColorize;
use std::fmt::Write;
use std::ops::Range;
use unicode_width_miette::UnicodeWidthChar;

/// A window of an article's text that tells miette the line it stands on
/// in the original file, so the gutter shows the article's line number.
#[derive(Debug)]
pub(super) struct Window {
    pub name: String,
    pub text: String,
    /// The line before the window's, counted from 0.
    pub line: usize,
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line + inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// Columns a tab takes, as miette's handler sets it by default.
const TAB_WIDTH: usize = 4;

/// What one snippet shows: its title, the name in its frame, the line's
/// number and words, the span marked in them and its label.
pub(super) struct Shape<'a> {
    pub title: &'a str,
    pub name: &'a str,
    /// The line's number, as the gutter shows it.
    pub line: usize,
    pub text: &'a str,
    pub span: Range<usize>,
    pub label: &'a str,
}

/// Draws snippets with a theme, `width` columns wide.
pub(super) struct Drawer {
    theme: GraphicalTheme,
    width: usize,
    /// The title's first line starts with `first`, the others with `rest`;
    /// a title `fits` columns wide or less fits on the first.
    first: String,
    rest: String,
    fits: usize,
}

impl Drawer {
    pub(super) fn new(theme: GraphicalTheme, width: usize) -> Drawer {
        let (chars, styles) = (&theme.characters, &theme.styles);
        let first = format!("  {} ", chars.advice.style(styles.advice));
        let rest = format!("  {} ", chars.vbar.style(styles.advice));
        let room = |indent: &str| {
            (width.saturating_sub(2)).saturating_sub(textwrap::core::display_width(indent))
        };
        let fits = room(&first).min(room(&rest));
        Drawer {
            theme,
            width,
            first,
            rest,
            fits,
        }
    }

    /// Draws `s` as an advice into `out`; false (and nothing written) when
    /// it is not the shape drawn here.
    pub(super) fn draw(&self, out: &mut String, s: &Shape) -> bool {
        let one_line = !s.text.contains(['\n', '\r']) && !s.label.contains('\n');
        let Some(&style) = self.theme.styles.highlights.first() else {
            return false;
        };
        if !one_line
            || s.span.start >= s.span.end
            || s.span.end > s.text.len()
            || !s.text.is_char_boundary(s.span.start)
            || !s.text.is_char_boundary(s.span.end)
        {
            return false;
        }
        // Writing into a string cannot fail.
        let _ = self.draw_line(out, s, style);
        true
    }

    /// Draws, in `out`, a snippet whose words the report has shown
    /// already: its title as `draw` draws it, then one line that closes
    /// its frame on its name and says `note`, in pieces (which words,
    /// where).
    pub(super) fn draw_repeat(
        &self,
        out: &mut String,
        title: &str,
        name: &str,
        line: usize,
        note: &[&str],
    ) {
        let chars = &self.theme.characters;
        // Writing into a string cannot fail.
        let _ = self.draw_title(out, title);
        repeat(out, ' ', line.checked_ilog10().unwrap_or(0) as usize + 3);
        out.push(chars.lbot);
        out.push(chars.hbar);
        out.push('[');
        styled(out, self.theme.styles.link, |f| f.push_str(name));
        out.push_str("] ");
        note.iter().for_each(|n| out.push_str(n));
        out.push('\n');
    }

    /// The title, wrapped as miette wraps a diagnostic's message.
    fn draw_title(&self, f: &mut String, title: &str) -> std::fmt::Result {
        // (No character takes more columns than its UTF-8 bytes: a title
        // of as many bytes as fit needs no counting.)
        let fits = |t: &str| t.len() <= self.fits || textwrap::core::display_width(t) <= self.fits;
        if !title.contains(char::is_control) && fits(title) {
            // What fits on the first line is put there whole, less the
            // spaces it ends with (and without finding where it could
            // break, which takes longer than the rest of the snippet).
            f.push_str(&self.first);
            f.push_str(title.trim_end_matches(' '));
            f.push('\n');
        } else {
            let opts = textwrap::Options::new(self.width.saturating_sub(2))
                .initial_indent(&self.first)
                .subsequent_indent(&self.rest)
                .break_words(true);
            writeln!(f, "{}", textwrap::fill(title, opts))?;
        }
        Ok(())
    }

    fn draw_line(&self, f: &mut String, s: &Shape, style: owo_colors::Style) -> std::fmt::Result {
        let chars = &self.theme.characters;
        let styles = &self.theme.styles;
        self.draw_title(f, s.title)?;
        // The frame's top, with the name.
        let linum_width = s.line.checked_ilog10().unwrap_or(0) as usize + 1;
        repeat(f, ' ', linum_width + 2);
        f.push(chars.ltop);
        f.push(chars.hbar);
        f.push('[');
        styled(f, styles.link, |f| f.push_str(s.name));
        f.push_str("]\n");
        // The line, numbered, tabs laid out as spaces.
        f.push(' ');
        styled(f, styles.linum, |f| {
            let _ = write!(f, "{}", s.line);
        });
        f.push(' ');
        f.push(chars.vbar);
        f.push(' ');
        if s.text.contains('\t') {
            for (c, w) in s.text.chars().zip(widths(s.text)) {
                if c == '\t' {
                    repeat(f, ' ', w);
                } else {
                    f.push(c);
                }
            }
        } else {
            f.push_str(s.text);
        }
        f.push('\n');
        // The span underlined, and its label under the middle of it.
        let (mut start, mut end) = (0, 0);
        for ((i, _), w) in s.text[..s.span.end].char_indices().zip(widths(s.text)) {
            if i < s.span.start {
                start += w;
            }
            end += w;
        }
        let end = end.max(start + 1);
        let middle = (start + end) / 2;
        let no_linum = |f: &mut String| {
            repeat(f, ' ', linum_width + 2);
            f.push(chars.vbar_break);
            f.push(' ');
        };
        no_linum(f);
        styled(f, style, |f| {
            repeat(f, ' ', start);
            repeat(f, chars.underline, middle - start);
            f.push(chars.underbar);
            repeat(f, chars.underline, end - middle - 1);
        });
        f.push('\n');
        no_linum(f);
        repeat(f, ' ', middle);
        styled(f, style, |f| {
            f.push(chars.lbot);
            repeat(f, chars.hbar, 2);
            f.push(' ');
            styled(f, style, |f| f.push_str(s.label));
        });
        f.push('\n');
        repeat(f, ' ', linum_width + 2);
        f.push(chars.lbot);
        repeat(f, chars.hbar, 4);
        f.push('\n');
        Ok(())
    }
}

/// Writes what `put` writes in `style`, as owo-colors styles a string: as
/// it is where the style is plain (the report without colours).
fn styled(f: &mut String, style: owo_colors::Style, put: impl FnOnce(&mut String)) {
    if style.is_plain() {
        put(f);
    } else {
        let mut s = String::new();
        put(&mut s);
        let _ = write!(f, "{}", s.style(style));
    }
}

/// `n` times `c`.
fn repeat(f: &mut String, c: char, n: usize) {
    f.extend(std::iter::repeat_n(c, n));
}

/// The columns `c` takes as miette counts them.
#[inline]
fn columns(c: char) -> usize {
    if super::one_column(c) {
        1
    } else {
        c.width().unwrap_or(0)
    }
}

/// The columns each character of a line takes, as miette counts them: a
/// tab runs to the next multiple of `TAB_WIDTH`, an ANSI escape takes none.
fn widths(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut column = 0;
    let mut escaped = false;
    text.chars().map(move |c| {
        let width = match (escaped, c) {
            (false, '\t') => TAB_WIDTH - column % TAB_WIDTH,
            (false, '\x1b') => {
                escaped = true;
                0
            }
            (false, c) => columns(c),
            (true, 'm') => {
                escaped = false;
                0
            }
            (true, _) => 0,
        };
        column += width;
        width
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceSpan;
    use proptest::prelude::*;

    /// What miette draws for `s`.
    fn by_miette(s: &Shape, color: bool, width: usize) -> String {
        let handler = super::super::text::handler(theme(color), width);
        let d = super::super::text::Snippet {
            title: s.title.to_string(),
            src: Window {
                name: s.name.to_string(),
                text: s.text.to_string(),
                line: s.line - 1,
            },
            span: SourceSpan::new(s.span.start.into(), s.span.len()),
            label: s.label.to_string(),
        };
        let mut out = String::new();
        handler.render_report(&mut out, &d).unwrap();
        out
    }

    fn theme(color: bool) -> GraphicalTheme {
        if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        }
    }

    fn drawn(s: &Shape, color: bool, width: usize) -> Option<String> {
        let mut out = String::new();
        Drawer::new(theme(color), width)
            .draw(&mut out, s)
            .then_some(out)
    }

    /// A title of about the width it has room for, in letters of one
    /// byte, two (Arabic) and three (CJK, two columns): on one line or
    /// wrapped, as miette has it.
    #[test]
    fn a_title_near_its_width_is_wrapped_as_miette_wraps_it() {
        for width in [20, 41, 80] {
            for letter in ["a", "ق", "中"] {
                for n in 0..(width / letter.len() + 12) {
                    let title = format!("{} {}", letter.repeat(n), letter);
                    let s = Shape {
                        title: &title,
                        name: "a.md:1:1",
                        line: 1,
                        text: "13",
                        span: 0..2,
                        label: "",
                    };
                    assert_eq!(
                        drawn(&s, false, width),
                        Some(by_miette(&s, false, width)),
                        "{title}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_arabic_line_is_drawn_as_miette_draws_it() {
        let text = "…قال ⟦13 قتيلاً⟧ في\tالمدينة…";
        let start = text.find('⟦').unwrap();
        let end = text.find('⟧').unwrap() + '⟧'.len_utf8();
        let s = Shape {
            title: "a1: 13 killed · said by the ministry",
            name: "seeds/a1.md:3:12",
            line: 1,
            text,
            span: start..end,
            label: "13 killed",
        };
        for color in [false, true] {
            assert_eq!(drawn(&s, color, 80).unwrap(), by_miette(&s, color, 80));
        }
    }

    #[test]
    fn the_columns_of_every_character_are_those_miette_counts() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(columns(c), c.width().unwrap_or(0), "{:?}", c);
        }
    }

    #[test]
    fn several_lines_are_left_to_miette() {
        let s = Shape {
            title: "t",
            name: "n",
            line: 1,
            text: "one\ntwo",
            span: 0..5,
            label: "l",
        };
        assert!(drawn(&s, false, 80).is_none());
        let s = Shape {
            text: "one two",
            label: "l\nm",
            ..s
        };
        assert!(drawn(&s, false, 80).is_none());
    }

    /// Characters that lay out in odd ways: wide, zero-width, combining,
    /// tabs, escapes, right to left, spaces of all kinds.
    fn piece() -> impl Strategy<Value = String> {
        pieces(&[])
    }

    /// Such pieces, with `more` characters among them.
    fn pieces(more: &[char]) -> impl Strategy<Value = String> {
        let mut chars = vec![
            'a', 'Z', ' ', ' ', '\t', 'ق', 'ل', '٣', 'ً', '\u{200f}', '\u{200b}', '中', '🙂',
            '\u{1b}', 'm', '[', '…', '⟦', '⟧', '-', '\u{a0}', '\u{3000}', '\u{301}',
        ];
        chars.extend_from_slice(more);
        let chars = prop::sample::select(chars);
        prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Whatever the words, title, label and width, what is drawn is
        /// what miette draws.
        #[test]
        fn what_is_drawn_is_what_miette_draws(
            before in piece(),
            words in piece(),
            after in piece(),
            title in prop::collection::vec(pieces(&['\n', '\r']), 1..6),
            label in piece(),
            line in prop::sample::select(vec![1usize, 9, 10, 99_999, 100_000]),
            width in 0usize..100,
            color in any::<bool>(),
        ) {
            let words = if words.is_empty() { "x".to_string() } else { words };
            let text = format!("{before}{words}{after}");
            let title = title.join(" ");
            let s = Shape {
                title: &title,
                name: "dir/article.md:7:3",
                line,
                text: &text,
                span: before.len()..before.len() + words.len(),
                label: &label,
            };
            prop_assert_eq!(drawn(&s, color, width), Some(by_miette(&s, color, width)));
        }

        /// No title takes more columns than its bytes (what `draw_title`
        /// counts on before it counts columns).
        #[test]
        fn no_text_is_wider_than_its_bytes(s in any::<String>(), t in "\\PC{0,20}") {
            for s in [s, t] {
                prop_assert!(textwrap::core::display_width(&s) <= s.len(), "{:?}", s);
            }
        }
    }
}
