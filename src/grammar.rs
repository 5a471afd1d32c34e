//! The Arabic grammar of dates and quantities, built from the lexicon.
//!
//! Two halves share one vocabulary: regex *macros* (`{date}`, `{count}`, ...)
//! that claim rules use to say where a value stands, and the `scan` module's
//! scanner, which reads the words a macro matched into a value (`DateExpr`,
//! `Quantity`) exactly as it reads them in `kzcheck extract`. So a rule
//! never has to say how "ألفين وثلاثين" or "كانون الثاني الجاري" is read.
use crate::rules::Lexicon;
use crate::value::{Quantity, WeekdayName};
use regex::Regex;
use std::collections::HashMap;

/// What a date expression says, before it is resolved against a calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateExpr {
    pub day: Option<i8>,
    pub month: Option<i8>,
    pub year: Option<i16>,
    pub weekday: Option<WeekdayName>,
    /// Days from the article's date ("أمس" = -1).
    pub relative: Option<i32>,
    /// -1 for "الماضي" after a weekday, +1 for "المقبل".
    pub direction: i8,
    /// "الجاري" / "الحالي" after the month.
    pub current_month: bool,
    /// A span of days from the article's day: "في غضون يومين" is (0, 2),
    /// "بعد يومين" (2, 2), "قبل 3 أيام" (-3, -3).
    pub span: Option<(i32, i32)>,
    /// The last day of a range of days ("بين 23 و24 كانون الثاني").
    pub day_to: Option<i8>,
    /// The month of the last day, when it is another ("من 13 تموز إلى 15 آب").
    pub month_to: Option<i8>,
    /// The last year of a span of years ("2014-2019").
    pub year_to: Option<i16>,
    /// -1 for "يناير الماضي", +1 for "يناير المقبل".
    pub month_direction: i8,
    /// Day, month and year count in the Hijri calendar.
    pub hijri: bool,
    /// A calendar period relative to the article's day: ("week", -1) for
    /// "الأسبوع الماضي", ("year", 0) for "العام الجاري".
    pub period: Option<(String, i32)>,
    /// A part of the period or month: "start", "middle" or "end".
    pub part: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    MoreThan,
    AtLeast,
    LessThan,
    AtMost,
    About,
    Between,
}

/// The compiled grammar: regex macros for rules, the scanner for reading.
#[derive(Debug)]
pub struct Grammar {
    macros: HashMap<&'static str, String>,
    /// `{date}` alone, for finding every date mention.
    pub date_re: Regex,
    /// `{count}` alone, for finding every quantity mention.
    pub count_re: Regex,
    /// The token scanner that finds and reads mentions.
    pub scanner: crate::scan::Scanner,
}

/// An alternation of literal phrases, longest first, spaces matching any run
/// of white space.
///
/// Written as a trie (`(?:الف(?:ان|ين)?|ثلاثة)` shares its prefixes, each
/// phrase's end tried after its longer continuations), which matches exactly
/// what the flat alternation of the phrases, longest first, matches (see
/// `alternation_flat`): of the phrases that match at a place, each is a
/// prefix of the next, so "longest first" is "go on before ending". The regex
/// engines then carry a few threads through a word list, not one per word.
/// Phrases with a letter that has a case are written flat: under `(?i)` two
/// of them could match the same text.
pub fn alternation<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    let phrases = phrases(words);
    let caseless = phrases.iter().flatten().all(|a| match a {
        Atom::Char(c) => c.to_lowercase().eq([*c]) && c.to_uppercase().eq([*c]),
        Atom::Space => true,
    });
    if !caseless {
        return flat(&phrases);
    }
    let mut trie = Trie::default();
    for p in &phrases {
        let mut node = &mut trie;
        for a in p {
            node = node.children.entry(*a).or_default();
        }
        node.end = true;
    }
    let mut out = String::from("(?:");
    trie.write_branches(&mut out);
    out.push(')');
    out
}

/// `alternation` written flat: each phrase a branch, longest first (what
/// the trie is tested against).
#[cfg(test)]
pub fn alternation_flat<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    flat(&phrases(words))
}

/// A phrase's characters, a run of white space standing as one `Space`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Atom {
    Space,
    Char(char),
}

/// The phrases of `words` (empty ones dropped, white space as one `Space`),
/// longest first (in characters, a space counting one), then in order,
/// each once.
fn phrases<'a>(words: impl IntoIterator<Item = &'a String>) -> Vec<Vec<Atom>> {
    let mut out: Vec<Vec<Atom>> = words
        .into_iter()
        .filter_map(|w| {
            let mut p = Vec::new();
            for (i, word) in w.split_whitespace().enumerate() {
                if i > 0 {
                    p.push(Atom::Space);
                }
                p.extend(word.chars().map(Atom::Char));
            }
            (!p.is_empty()).then_some(p)
        })
        .collect();
    let len = |p: &Vec<Atom>| -> usize {
        p.iter()
            .map(|a| match a {
                Atom::Space => 1,
                Atom::Char(c) => c.len_utf8(),
            })
            .sum()
    };
    out.sort_by(|a, b| len(b).cmp(&len(a)).then(a.cmp(b)));
    out.dedup();
    out
}

fn write_atom(a: Atom, out: &mut String) {
    match a {
        Atom::Space => out.push_str(r"\s+"),
        Atom::Char(c) => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
    }
}

fn flat(phrases: &[Vec<Atom>]) -> String {
    let mut out = String::from("(?:");
    for (i, p) in phrases.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        for &a in p {
            write_atom(a, &mut out);
        }
    }
    out.push(')');
    out
}

/// The phrases by their atoms: where a phrase ends, and what follows.
#[derive(Default)]
struct Trie {
    end: bool,
    children: std::collections::BTreeMap<Atom, Trie>,
}

impl Trie {
    /// The regex of what follows this node (the node's own atom written by
    /// its parent): the continuations, each from its next atom, then the
    /// end, tried last.
    fn write(&self, out: &mut String) {
        match (self.children.len(), self.end) {
            (0, _) => {}
            (1, false) => {
                let (&a, child) = self.children.iter().next().expect("one child");
                write_atom(a, out);
                child.write(out);
            }
            _ => {
                out.push_str("(?:");
                self.write_branches(out);
                out.push(')');
                if self.end {
                    out.push('?');
                }
            }
        }
    }

    /// The continuations, one branch each.
    fn write_branches(&self, out: &mut String) {
        for (i, (&a, child)) in self.children.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            write_atom(a, out);
            child.write(out);
        }
    }
}

impl Grammar {
    pub fn new(lex: &Lexicon) -> Result<Grammar, regex::Error> {
        let macros = build_macros(lex);
        let date_re = Regex::new(&macros["date"])?;
        let count_re = Regex::new(&format!(r"(?:{})", macros["count"]))?;
        Ok(Grammar {
            macros,
            date_re,
            count_re,
            scanner: crate::scan::Scanner::new(lex),
        })
    }

    /// The regex a macro name stands for (`date`, `count`, `number`, `vague`,
    /// `bound`, `weekday`, `month`, `year`).
    pub fn macro_body(&self, name: &str) -> Option<&str> {
        self.macros.get(name).map(String::as_str)
    }

    pub fn macro_names(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.macros.keys().copied().collect();
        v.sort();
        v
    }

    /// Reads the words a `{date}` macro matched (the scanner's reading of
    /// the first date in them).
    pub fn parse_date(&self, text: &str) -> DateExpr {
        self.scanner.first_date(text).unwrap_or_default()
    }

    /// Reads the words a `{count}` macro (or a rule's value group) matched.
    pub fn parse_quantity(&self, text: &str) -> Option<Quantity> {
        self.scanner.first_quantity(text)
    }
}

fn build_macros(lex: &Lexicon) -> HashMap<&'static str, String> {
    let months = alternation(
        lex.months
            .iter()
            .chain(lex.hijri_months.iter())
            .map(|(w, _)| w),
    );
    let weekdays = alternation(lex.weekdays.iter().map(|(w, _)| w));
    let relative = alternation(lex.relative_days.iter().map(|(w, _)| w));
    let past_next = alternation(lex.weekday_past.iter().chain(lex.weekday_next.iter()));
    let current = alternation(&lex.current_month);
    let year_words = alternation(&lex.year_words);
    let ordinals = alternation(lex.ordinal_days.iter().map(|(w, _)| w));

    let weekday = format!(r"(?:يوم\s+)?{weekdays}\b");
    let month = format!(r"{months}\b(?:\s*/\s*{months}\b|\s*\(\s*{months}\s*\))?");
    let year = format!(r"(?:{year_words}\s+)?\b[12]\d{{3}}\b(?:\s*م\b)?");
    let day = format!(r"(?:\b\d{{1,2}}\b|{ordinals}\b)");
    let full = format!(r"{day}\s+(?:من\s+)?{month}(?:\s*،?\s*{year}|\s+{current}\b)?");
    let rel = format!(r"\b{relative}\b(?:\s*،?\s*{weekday})?(?:\s*،?\s*{full})?");
    let units = alternation(lex.duration_units.iter().map(|(w, _)| w));
    let span_words = alternation(
        lex.duration_within
            .iter()
            .chain(&lex.duration_after)
            .chain(&lex.duration_before),
    );
    let numbers = alternation(lex.number_words.iter().map(|(w, _)| w));
    let span = format!(r"\b{span_words}\s+(?:(?:\d+|{numbers})\s+)?{units}\b");
    let wdir = format!(r"{weekday}(?:\s+{past_next}\b)?(?:\s*،?\s*{full})?");
    let month_year = format!(r"{month}\s*،?\s*{year}");
    let eras = alternation(lex.hijri_era.iter().chain(&lex.gregorian_era));
    let numeric = format!(
        r"\b(?:\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|\d{{4}}/\d{{1,2}}/\d{{1,2}}|\d{{4}}-\d{{2}}-\d{{2}})(?:\s*{eras})?"
    );
    let date = format!(r"(?:{rel}|{span}|{wdir}|{full}(?:\s*{eras})?|{month_year}|{numeric})");

    // Numbers: digits (with separators and a multiplier) or number words.
    let vague_words: Vec<&String> = lex.vague.iter().flat_map(|v| v.words.iter()).collect();
    let starters = lex.number_words.iter().map(|(w, _)| w).chain(
        lex.multipliers
            .iter()
            .map(|(w, _)| w)
            .filter(|w| !vague_words.contains(w)),
    );
    let starters = alternation(starters);
    let all_words = alternation(
        lex.number_words
            .iter()
            .map(|(w, _)| w)
            .chain(lex.multipliers.iter().map(|(w, _)| w)),
    );
    let mults = alternation(lex.multipliers.iter().map(|(w, _)| w));
    let digits = r"\b[وب]?\d+(?:[.,]\d+)*";
    let percent = alternation(&lex.percent_words);
    let number = format!(
        r"(?:{digits}(?:\s+{mults}\b)?|\b[وب]?{starters}\b(?:\s+و?{all_words}\b)*)(?:\s*{percent})?"
    );
    let vague = format!(r"\b[وب]?{}\b", alternation(vague_words.iter().copied()));
    let pre = alternation(
        lex.bounds
            .more_than
            .iter()
            .chain(&lex.bounds.at_least)
            .chain(&lex.bounds.less_than)
            .chain(&lex.bounds.at_most)
            .chain(&lex.bounds.about),
    );
    let between = alternation(&lex.bounds.between);
    let bound = alternation(
        lex.bounds
            .at_least
            .iter()
            .chain(&lex.bounds.at_most)
            .chain(&lex.bounds.more_than),
    );
    let count = format!(
        r"(?:(?:\b{between}\s+{number}\s+(?:و\s+)?{number})|(?:{pre}\s+)?(?:{number}(?:\s*-\s*{number})?|{vague})(?:\s+{bound}\b)?)"
    );

    let mut m = HashMap::new();
    m.insert("date", date);
    m.insert("weekday", weekday);
    m.insert("month", month);
    m.insert("year", year);
    m.insert("number", number);
    m.insert("vague", vague);
    m.insert("bound", bound);
    m.insert("count", count);
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Phrases of one to three words over a few letters, so that many are
    /// prefixes of others; and text over the same letters.
    fn words() -> impl Strategy<Value = Vec<String>> {
        let word = proptest::collection::vec(prop::sample::select(vec!['ا', 'ل', 'ب', 'و']), 1..4)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        let phrase = proptest::collection::vec(word, 1..4)
            .prop_map(|ws| ws.join(if ws.len() % 2 == 0 { " " } else { "  " }));
        proptest::collection::vec(phrase, 0..12)
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec!['ا', 'ل', 'ب', 'و', ' ', ' ', '\n', '.']),
            0..60,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    /// Every match and capture of `pattern`, with `{}` the alternation.
    fn found(pattern: &str, alt: &str, hay: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        let re = regex::Regex::new(&pattern.replace("{}", alt)).expect("the pattern compiles");
        re.captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    proptest! {
        /// The trie matches exactly what the flat alternation matches,
        /// alone and where what follows makes the engine fall back to a
        /// shorter phrase.
        #[test]
        fn the_trie_matches_what_the_flat_alternation_matches(words in words(), hay in text()) {
            let trie = alternation(&words);
            let flat = alternation_flat(&words);
            for pattern in [
                "{}",
                r"(?P<a>{})\b",
                r"(?P<a>{})(?P<b>\s+ب)",
                r"(?P<a>{})ل",
                r"(?P<a>{})\s+(?P<b>{})",
                r"(?:{})*\.",
            ] {
                prop_assert_eq!(found(pattern, &trie, &hay), found(pattern, &flat, &hay), "{} {} {}", pattern, trie, flat);
            }
        }
    }

    #[test]
    fn a_word_list_is_written_as_a_trie_unless_a_letter_has_a_case() {
        let arabic: Vec<String> = ["الف", "الفان", "الفين", "ثلاثة"].map(String::from).to_vec();
        assert_eq!(alternation(&arabic), "(?:الف(?:ان|ين)?|ثلاثة)");
        assert_eq!(alternation_flat(&arabic), "(?:الفان|الفين|ثلاثة|الف)");
        // Under (?i), "Ab" and "abc" could both match "abc": flat, longest first.
        let latin: Vec<String> = ["Ab", "abc"].map(String::from).to_vec();
        assert_eq!(alternation(&latin), "(?:abc|Ab)");
        assert_eq!(alternation(&Vec::<String>::new()), "(?:)");
    }
}
