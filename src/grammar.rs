//! The Arabic grammar of dates and quantities, built from the lexicon.
//!
//! Two halves share one vocabulary: regex *macros* (`{date}`, `{count}`, ...)
//! that claim rules use to say where a value stands, and *parsers* that read
//! the words a macro matched into a value (`DateExpr`, `Quantity`). The
//! parsers tokenize the captured words and look phrases up longest first, so
//! a rule never has to say how "ألفين وثلاثين" or "كانون الثاني الجاري" is
//! read.
use crate::rules::Lexicon;
use crate::value::{End, Quantity, Said, WeekdayName};
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

#[derive(Debug, Clone)]
enum Tok {
    Month(i8),
    Weekday(WeekdayName),
    Relative(i32),
    Unit(f64),
    Within,
    After,
    Before,
    Past,
    Next,
    Current,
    Ordinal(i8),
    Num(f64),
    Digits(f64),
    Mult(f64),
    Vague(usize),
    /// A word that is a multiplier after a number and vague alone ("آلاف").
    VagueMult(usize, f64),
    Bound(BoundKind),
    Percent,
    Dash,
    Other,
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

/// The compiled grammar: macros for rules, phrase tables for the parsers.
#[derive(Debug)]
pub struct Grammar {
    macros: HashMap<&'static str, String>,
    date_phrases: HashMap<String, Tok>,
    qty_phrases: HashMap<String, Tok>,
    vague: Vec<(String, f64, f64)>,
    about_tolerance: f64,
    max_phrase: usize,
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
        let mut date_phrases = HashMap::new();
        let mut qty_phrases = HashMap::new();
        for (w, m) in &lex.months {
            date_phrases.insert(w.clone(), Tok::Month(*m));
        }
        for (w, d) in &lex.weekdays {
            date_phrases.insert(w.clone(), Tok::Weekday(*d));
        }
        for (w, o) in &lex.relative_days {
            date_phrases.insert(w.clone(), Tok::Relative(*o));
        }
        for w in &lex.weekday_past {
            date_phrases.insert(w.clone(), Tok::Past);
        }
        for (w, d) in &lex.duration_units {
            date_phrases.insert(w.clone(), Tok::Unit(*d));
        }
        for (words, tok) in [
            (&lex.duration_within, Tok::Within),
            (&lex.duration_after, Tok::After),
            (&lex.duration_before, Tok::Before),
        ] {
            for w in words {
                date_phrases.insert(w.clone(), tok.clone());
            }
        }
        // Numbers spelled out count spans too ("ثلاثة أيام").
        for (w, v) in &lex.number_words {
            date_phrases.entry(w.clone()).or_insert(Tok::Num(*v));
        }
        for w in &lex.weekday_next {
            date_phrases.insert(w.clone(), Tok::Next);
        }
        for w in &lex.current_month {
            date_phrases.insert(w.clone(), Tok::Current);
        }
        for (w, d) in &lex.ordinal_days {
            date_phrases.insert(w.clone(), Tok::Ordinal(*d));
        }
        for (w, v) in &lex.number_words {
            qty_phrases.insert(w.clone(), Tok::Num(*v));
        }
        for (w, v) in &lex.multipliers {
            qty_phrases.insert(w.clone(), Tok::Mult(*v));
        }
        let mut vague = Vec::new();
        for (i, v) in lex.vague.iter().enumerate() {
            for w in &v.words {
                let tok = match qty_phrases.get(w) {
                    Some(Tok::Mult(m)) => Tok::VagueMult(i, *m),
                    _ => Tok::Vague(i),
                };
                qty_phrases.insert(w.clone(), tok);
            }
            vague.push((v.name.clone(), v.min, v.max));
        }
        let bound_lists = [
            (BoundKind::MoreThan, &lex.bounds.more_than),
            (BoundKind::AtLeast, &lex.bounds.at_least),
            (BoundKind::LessThan, &lex.bounds.less_than),
            (BoundKind::AtMost, &lex.bounds.at_most),
            (BoundKind::About, &lex.bounds.about),
            (BoundKind::Between, &lex.bounds.between),
        ];
        for (kind, words) in bound_lists {
            for w in words.iter() {
                qty_phrases.insert(w.clone(), Tok::Bound(kind));
            }
        }
        for w in &lex.percent_words {
            qty_phrases.insert(w.clone(), Tok::Percent);
        }
        let max_phrase = date_phrases
            .keys()
            .chain(qty_phrases.keys())
            .map(|k| k.split_whitespace().count())
            .max()
            .unwrap_or(1);

        let macros = build_macros(lex);
        let date_re = Regex::new(&macros["date"])?;
        let count_re = Regex::new(&format!(r"(?:{})", macros["count"]))?;
        Ok(Grammar {
            macros,
            date_phrases,
            qty_phrases,
            vague,
            about_tolerance: lex.about_tolerance,
            max_phrase,
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

    fn tokens(&self, text: &str, table: &HashMap<String, Tok>) -> Vec<Tok> {
        let spaced: String = text
            .chars()
            .flat_map(|c| match c {
                '/' | '(' | ')' | '،' | ',' | '-' | '%' | '–' | '؛' | ':' => {
                    vec![' ', if c == '–' { '-' } else { c }, ' ']
                }
                _ => vec![c],
            })
            .collect();
        // Keep thousands separators and decimals inside numbers: "1,600", "1.5".
        let raw: Vec<&str> = spaced.split_whitespace().collect();
        let words = join_number_parts(&raw);
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut matched = false;
            for k in (1..=self.max_phrase.min(words.len() - i)).rev() {
                let phrase = words[i..i + k].join(" ");
                if let Some(t) = lookup(table, &phrase) {
                    out.push(t);
                    i += k;
                    matched = true;
                    break;
                }
            }
            if matched {
                continue;
            }
            let w = words[i].as_str();
            out.push(if let Some(n) = parse_digits(w) {
                Tok::Digits(n)
            } else if w == "-" {
                Tok::Dash
            } else if w == "%" {
                Tok::Percent
            } else {
                Tok::Other
            });
            i += 1;
        }
        out
    }

    /// Reads the words a `{date}` macro matched.
    pub fn parse_date(&self, text: &str) -> DateExpr {
        if let Some(e) = self.scanner.first_date(text) {
            return e;
        }
        let toks = self.tokens(text, &self.date_phrases);
        let mut e = DateExpr::default();
        let mut last_was_weekday = false;
        let mut direction: Option<Tok> = None;
        let mut count: Option<f64> = None;
        for t in &toks {
            match t {
                Tok::Within | Tok::After | Tok::Before if e.month.is_none() => {
                    direction = Some(t.clone());
                }
                Tok::Unit(days) if direction.is_some() && e.span.is_none() => {
                    let n = (count.unwrap_or(1.0) * days).ceil() as i32;
                    e.span = Some(match direction {
                        Some(Tok::Within) => (0, n),
                        Some(Tok::After) => (n, n),
                        _ => (-n, -n),
                    });
                    e.day = None;
                }
                Tok::Month(m) if e.month.is_none() => e.month = Some(*m),
                Tok::Weekday(w) if e.weekday.is_none() => {
                    e.weekday = Some(*w);
                    last_was_weekday = true;
                    continue;
                }
                Tok::Relative(o) if e.relative.is_none() => e.relative = Some(*o),
                Tok::Past if last_was_weekday => e.direction = -1,
                Tok::Next if last_was_weekday => e.direction = 1,
                Tok::Current if e.month.is_some() => e.current_month = true,
                Tok::Ordinal(d) if e.day.is_none() && e.month.is_none() => e.day = Some(*d),
                Tok::Num(n) | Tok::Digits(n) => {
                    let n = *n;
                    if direction.is_some() && e.span.is_none() {
                        count = Some(n);
                    }
                    if n.fract() != 0.0 {
                    } else if (1000.0..3000.0).contains(&n) && e.year.is_none() {
                        e.year = Some(n as i16);
                    } else if (1.0..=31.0).contains(&n) && e.month.is_none() {
                        // a day stands before its month; a later one wins
                        // ("23 و24 من كانون الثاني" is read as the 24th)
                        e.day = Some(n as i8);
                    }
                }
                _ => {}
            }
            last_was_weekday = false;
        }
        e
    }

    /// Reads the words a `{count}` macro (or a rule's value group) matched.
    pub fn parse_quantity(&self, text: &str) -> Option<Quantity> {
        if let Some(q) = self.scanner.first_quantity(text) {
            return Some(q);
        }
        let toks = self.tokens(text, &self.qty_phrases);
        let mut numbers: Vec<f64> = Vec::new();
        let mut bound: Option<BoundKind> = None;
        let mut vague: Option<usize> = None;
        let mut percent = false;
        let mut dash_between = false;
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::Num(_) | Tok::Digits(_) | Tok::Mult(_) => {
                    let (value, next) = read_number(&toks, i);
                    if let Some(v) = value {
                        numbers.push(v);
                    }
                    i = next;
                    continue;
                }
                Tok::Vague(k) | Tok::VagueMult(k, _) => {
                    vague.get_or_insert(*k);
                }
                Tok::Bound(b) => {
                    bound.get_or_insert(*b);
                }
                Tok::Percent => percent = true,
                Tok::Dash if !numbers.is_empty() => dash_between = true,
                _ => {}
            }
            i += 1;
        }
        let inf = f64::INFINITY;
        let end = |value, inclusive| End { value, inclusive };
        let (said, lo, hi) = match (numbers.as_slice(), vague) {
            ([a, b, ..], _) if dash_between || bound == Some(BoundKind::Between) => {
                let (a, b) = if a <= b { (*a, *b) } else { (*b, *a) };
                (Said::Between(a, b), end(a, true), end(b, true))
            }
            ([n, ..], _) => {
                let n = *n;
                match bound {
                    Some(BoundKind::MoreThan) => {
                        (Said::MoreThan(n), end(n, false), end(inf, false))
                    }
                    Some(BoundKind::AtLeast) => (Said::AtLeast(n), end(n, true), end(inf, false)),
                    Some(BoundKind::LessThan) => (Said::LessThan(n), end(0.0, true), end(n, false)),
                    Some(BoundKind::AtMost) => (Said::AtMost(n), end(0.0, true), end(n, true)),
                    Some(BoundKind::About) => {
                        let t = (n * self.about_tolerance).abs();
                        (Said::About(n), end(n - t, true), end(n + t, true))
                    }
                    _ => (Said::Exact(n), end(n, true), end(n, true)),
                }
            }
            ([], Some(k)) => {
                let (name, min, max) = self.vague.get(k)?;
                (Said::Vague(name.clone()), end(*min, true), end(*max, true))
            }
            _ => return None,
        };
        Some(Quantity {
            said,
            lo,
            hi,
            percent,
        })
    }
}

fn lookup(table: &HashMap<String, Tok>, phrase: &str) -> Option<Tok> {
    if let Some(t) = table.get(phrase) {
        return Some(t.clone());
    }
    // A clitic و / ب / ف / ل on the first word: "وثلاثين", "بالعشرات".
    for p in ['و', 'ب', 'ف', 'ل'] {
        if let Some(rest) = phrase.strip_prefix(p) {
            if let Some(t) = table.get(rest) {
                if !matches!(t, Tok::Other) && !rest.is_empty() {
                    return Some(t.clone());
                }
            }
        }
    }
    None
}

/// Rejoins "1 , 600" split by punctuation spacing back into "1,600" when the
/// comma is a thousands separator (three digits follow).
fn join_number_parts(raw: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i];
        if w == ","
            && i + 1 < raw.len()
            && raw[i + 1].len() == 3
            && raw[i + 1].bytes().all(|b| b.is_ascii_digit())
        {
            if let Some(prev) = out.last_mut() {
                if prev.bytes().all(|b| b.is_ascii_digit() || b == b',') && !prev.is_empty() {
                    prev.push_str(raw[i + 1]);
                    i += 2;
                    continue;
                }
            }
        }
        out.push(w.to_string());
        i += 1;
    }
    out
}

fn parse_digits(w: &str) -> Option<f64> {
    let w = w.strip_prefix(['و', 'ب']).unwrap_or(w);
    if w.is_empty() || !w.bytes().next()?.is_ascii_digit() {
        return None;
    }
    let cleaned: String = w.chars().filter(|c| *c != ',').collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Reads one number made of digits and number words from `toks[i..]`:
/// "12 ألف", "ألفين وثلاثين", "1.5 مليون". Returns the value and the index
/// after it.
fn read_number(toks: &[Tok], start: usize) -> (Option<f64>, usize) {
    let mut total = 0.0;
    let mut cur = 0.0;
    let mut any = false;
    let mut i = start;
    while i < toks.len() {
        match toks[i] {
            Tok::Digits(_) if any => break, // two numbers side by side: "12 14"
            Tok::Num(v) | Tok::Digits(v) => {
                if v >= 1000.0 && matches!(toks[i], Tok::Num(_)) {
                    total += v; // "ألفين"
                } else if v == 100.0 && (1.0..=9.0).contains(&cur) {
                    cur *= 100.0; // "ثلاث مئة"
                } else {
                    cur += v;
                }
                any = true;
            }
            Tok::Mult(m) | Tok::VagueMult(_, m) if any || matches!(toks[i], Tok::Mult(_)) => {
                cur = if cur == 0.0 { 1.0 } else { cur } * m;
                total += cur;
                cur = 0.0;
                any = true;
            }
            _ => break,
        }
        i += 1;
    }
    if any {
        (Some(total + cur), i)
    } else {
        (None, i.max(start + 1))
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
