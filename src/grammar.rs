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
pub fn alternation<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    let mut w: Vec<&String> = words.into_iter().filter(|w| !w.is_empty()).collect();
    w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    w.dedup();
    let parts: Vec<String> = w
        .iter()
        .map(|s| {
            s.split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+")
        })
        .collect();
    format!("(?:{})", parts.join("|"))
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
