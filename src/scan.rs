//! The mention scanner: every date, quantity and duration in normalized
//! text, in one pass over its words.
//!
//! The text is cut into tokens (words, numbers, punctuation); each word, with
//! or without a clitic (و ف ب ل ك), is looked up in a table of the lexicon's
//! phrases, longest first; then a small grammar reads a date, a quantity or a
//! duration starting at each token. Nothing is searched twice, so the cost
//! grows linearly with the text.
use crate::grammar::{BoundKind, DateExpr};
use crate::rules::Lexicon;
use crate::value::{End, Quantity, Said, WeekdayName};
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// What a lexicon phrase can be.
#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Month(i8),
    HijriMonth(i8),
    Weekday(WeekdayName),
    Relative(i32),
    Past,
    Next,
    Current,
    YearWord,
    Ordinal(i8),
    Unit { unit: u8, days: f64, count: f64 },
    Within,
    After,
    Before,
    For,
    Num(f64),
    Mult(f64),
    Fraction(f64),
    Vague(usize),
    Bound(BoundKind),
    Percent,
    HijriEra,
    GregorianEra,
    Link,
    Period(u8),
    Part(u8),
    MonthPrep,
    Ambiguous,
    Dual,
    From,
    To,
}

const UNITS: [&str; 5] = ["day", "week", "month", "year", "hour"];
const PERIODS: [&str; 3] = ["week", "month", "year"];
const PARTS: [&str; 3] = ["start", "middle", "end"];
const CLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word,
    /// A number; `clitic` bytes of و/ب/ال glued before it are not part of it.
    Num {
        value: f64,
        digits: u8,
        clitic: u8,
        latin: bool,
    },
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

/// A span of time said as an amount of a unit ("عشرة أيام", "48 ساعة").
#[derive(Debug, Clone, PartialEq)]
pub struct Duration {
    pub amount: f64,
    /// `day`, `week`, `month`, `year` or `hour`.
    pub unit: &'static str,
}

impl Duration {
    /// ISO 8601: P10D, P2W, P3M, P1Y, PT48H.
    pub fn iso(&self) -> String {
        let n = if self.amount.fract() == 0.0 {
            format!("{}", self.amount as i64)
        } else {
            format!("{}", self.amount)
        };
        match self.unit {
            "hour" => format!("PT{n}H"),
            "week" => format!("P{n}W"),
            "month" => format!("P{n}M"),
            "year" => format!("P{n}Y"),
            _ => format!("P{n}D"),
        }
    }
}

/// What the scanner found, with byte ranges into the scanned text.
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub dates: Vec<(Range<usize>, DateExpr)>,
    pub quantities: Vec<(Range<usize>, Quantity)>,
    pub durations: Vec<(Range<usize>, Duration)>,
}

/// In `Scanner::phrases`: the beginning of a phrase, not one itself.
const NO_MEANING: u32 = u32::MAX;

/// The compiled phrase table.
#[derive(Debug)]
pub struct Scanner {
    /// A bit for every (first letter, second letter) pair a phrase starts
    /// with: most words are turned away without hashing.
    starts: Vec<u64>,
    /// Every phrase and every beginning of one, word by word → its index
    /// into `meanings`, or `NO_MEANING` for a beginning that is no phrase:
    /// one lookup tells whether a phrase ends here and whether one goes on.
    phrases: HashMap<String, u32>,
    meanings: Vec<Vec<Lex>>,
    max_words: usize,
    vague: Vec<(String, f64, f64)>,
    about_tolerance: f64,
}

impl Scanner {
    pub fn new(lex: &Lexicon) -> Scanner {
        let mut table: HashMap<String, Vec<Lex>> = HashMap::default();
        let mut add = |w: &str, l: Lex| {
            if w.is_empty() {
                return;
            }
            let e = table.entry(w.to_string()).or_default();
            if !e.contains(&l) {
                e.push(l);
            }
        };
        for (w, m) in &lex.months {
            add(w, Lex::Month(*m));
        }
        for (w, m) in &lex.hijri_months {
            add(w, Lex::HijriMonth(*m));
        }
        for (w, d) in &lex.weekdays {
            add(w, Lex::Weekday(*d));
        }
        for (w, o) in &lex.relative_days {
            add(w, Lex::Relative(*o));
        }
        // Word lists that each mean one thing.
        let plain: [(&Vec<String>, Lex); 17] = [
            (&lex.weekday_past, Lex::Past),
            (&lex.weekday_next, Lex::Next),
            (&lex.current_month, Lex::Current),
            (&lex.year_words, Lex::YearWord),
            (&lex.duration_within, Lex::Within),
            (&lex.duration_after, Lex::After),
            (&lex.duration_before, Lex::Before),
            (&lex.duration_for, Lex::For),
            (&lex.percent_words, Lex::Percent),
            (&lex.hijri_era, Lex::HijriEra),
            (&lex.gregorian_era, Lex::GregorianEra),
            (&lex.date_link, Lex::Link),
            (&lex.month_prepositions, Lex::MonthPrep),
            (&lex.ambiguous_months, Lex::Ambiguous),
            (&lex.counted_duals, Lex::Dual),
            (&lex.range_from, Lex::From),
            (&lex.range_to, Lex::To),
        ];
        for (words, meaning) in plain {
            for w in words {
                add(w, meaning.clone());
            }
        }
        for (w, d) in &lex.ordinal_days {
            add(w, Lex::Ordinal(*d));
        }
        for d in &lex.duration_words {
            let unit = UNITS.iter().position(|u| *u == d.unit).unwrap_or(0) as u8;
            add(
                &d.word,
                Lex::Unit {
                    unit,
                    days: d.days,
                    count: d.count,
                },
            );
        }
        for (w, v) in &lex.number_words {
            add(w, Lex::Num(*v));
        }
        for (w, v) in &lex.multipliers {
            add(w, Lex::Mult(*v));
        }
        for (w, v) in &lex.fractions {
            add(w, Lex::Fraction(*v));
        }
        for (i, v) in lex.vague.iter().enumerate() {
            for w in &v.words {
                add(w, Lex::Vague(i));
            }
        }
        let b = &lex.bounds;
        for (kind, words) in [
            (BoundKind::MoreThan, &b.more_than),
            (BoundKind::AtLeast, &b.at_least),
            (BoundKind::LessThan, &b.less_than),
            (BoundKind::AtMost, &b.at_most),
            (BoundKind::About, &b.about),
            (BoundKind::Between, &b.between),
        ] {
            for w in words {
                add(w, Lex::Bound(kind));
            }
        }
        for (w, u) in &lex.periods {
            let i = PERIODS.iter().position(|p| p == u).unwrap_or(0) as u8;
            add(w, Lex::Period(i));
        }
        for (w, p) in &lex.period_parts {
            let i = PARTS.iter().position(|x| x == p).unwrap_or(0) as u8;
            add(w, Lex::Part(i));
        }
        let first_words: Vec<String> = table
            .keys()
            .filter_map(|k| k.split(' ').next().map(String::from))
            .collect();
        let max_words = table
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1);
        let mut starts = vec![0u64; (1 << 20) / 64];
        for w in first_words.iter() {
            let k = start_key(w);
            starts[k / 64] |= 1 << (k % 64);
        }
        let mut keys: Vec<String> = table.keys().cloned().collect();
        keys.sort();
        let mut index = HashMap::default();
        let mut meanings = Vec::new();
        for k in keys {
            if let Some(v) = table.remove(&k) {
                index.insert(k, meanings.len() as u32);
                meanings.push(v);
            }
        }
        let mut phrases = index.clone();
        for k in index.keys() {
            let words: Vec<&str> = k.split(' ').collect();
            for n in 1..words.len() {
                phrases.entry(words[..n].join(" ")).or_insert(NO_MEANING);
            }
        }
        Scanner {
            phrases,
            starts,
            meanings,
            max_words,
            vague: lex
                .vague
                .iter()
                .map(|v| (v.name.clone(), v.min, v.max))
                .collect(),
            about_tolerance: lex.about_tolerance,
        }
    }

    /// Every date, quantity and duration in `text`.
    pub fn scan(&self, text: &str) -> Found {
        let toks = tokenize(text);
        let cx = Cx::new(self, text, &toks);
        let mut out = Found::default();
        let mut i = 0;
        while i < toks.len() {
            // Only a number, a lexicon word, "يوم"/"شهر" or "%" starts a mention.
            let starts = match toks[i].kind {
                Kind::Num { .. } => true,
                Kind::Punct(c) => c == '%',
                Kind::Word => match cx.lookup(i) {
                    // Words that only join or follow a mention start none
                    // ("في", "من" before anything but a number).
                    Some(_) => cx.meanings(i).iter().any(|l| match l {
                        Lex::MonthPrep
                        | Lex::Ambiguous
                        | Lex::Link
                        | Lex::To
                        | Lex::Current
                        | Lex::Past
                        | Lex::Next
                        | Lex::HijriEra
                        | Lex::GregorianEra => false,
                        Lex::From => cx.num(i + 1).is_some() || cx.lookup(i + 1).is_some(),
                        _ => true,
                    }),
                    None => matches!(cx.word(i), Some("يوم" | "شهر")),
                },
            };
            if !starts {
                i += 1;
                continue;
            }
            if let Some((end, e)) = cx.date_at(i) {
                out.dates.push((cx.range(i, end), e));
                // "… هـ الموافق 12 يناير": the second date is read on its own.
                i = end;
                continue;
            }
            if let Some((start, end, d)) = cx.duration_at(i) {
                out.durations.push((cx.range(start, end), d));
                i = end;
                continue;
            }
            if let Some((end, q)) = cx.quantity_at(i) {
                out.quantities.push((cx.range(i, end), q));
                i = end;
                continue;
            }
            i += 1;
        }
        out
    }

    /// The first date in `text` (the words a rule's `{date}` matched).
    pub fn first_date(&self, text: &str) -> Option<DateExpr> {
        self.scan(text).dates.into_iter().next().map(|(_, e)| e)
    }

    /// The first quantity in `text`, reading a bound anywhere in it ("12 ألف
    /// شخص على الأقل") and a dual noun ("شخصين").
    pub fn first_quantity(&self, text: &str) -> Option<Quantity> {
        let toks = tokenize(text);
        let cx = Cx::new(self, text, &toks);
        let mut i = 0;
        while i < toks.len() {
            if let Some((end, q)) = cx.quantity_at(i) {
                // A bound said after the noun: "12 ألف شخص على الأقل".
                if matches!(q.said, Said::Exact(_)) {
                    for j in end..toks.len() {
                        if let Some((_, ls, _)) = cx.lookup(j) {
                            for l in &self.meanings[ls as usize] {
                                if let Lex::Bound(
                                    b @ (BoundKind::AtLeast
                                    | BoundKind::AtMost
                                    | BoundKind::MoreThan),
                                ) = *l
                                {
                                    if let Said::Exact(n) = q.said {
                                        return Some(self.bounded(n, Some(b), q.percent));
                                    }
                                }
                            }
                        }
                    }
                }
                return Some(q);
            }
            i += 1;
        }
        None
    }

    fn bounded(&self, n: f64, bound: Option<BoundKind>, percent: bool) -> Quantity {
        let inf = f64::INFINITY;
        let end = |value, inclusive| End { value, inclusive };
        let (said, lo, hi) = match bound {
            Some(BoundKind::MoreThan) => (Said::MoreThan(n), end(n, false), end(inf, false)),
            Some(BoundKind::AtLeast) => (Said::AtLeast(n), end(n, true), end(inf, false)),
            Some(BoundKind::LessThan) => (Said::LessThan(n), end(0.0, true), end(n, false)),
            Some(BoundKind::AtMost) => (Said::AtMost(n), end(0.0, true), end(n, true)),
            Some(BoundKind::About) => {
                let t = (n * self.about_tolerance).abs();
                (Said::About(n), end(n - t, true), end(n + t, true))
            }
            _ => (Said::Exact(n), end(n, true), end(n, true)),
        };
        Quantity {
            said,
            lo,
            hi,
            percent,
        }
    }
}

/// A 20-bit key of a word: its first two and last characters and its
/// length, so that the filter turns away the many words that only share a
/// beginning (ال…) with the lexicon's.
#[inline]
fn start_key(w: &str) -> usize {
    let mut c = w.chars();
    let a = c.next().map_or(0, |x| x as u32 & 0x3F);
    let b = c.next().map_or(0, |x| x as u32 & 0x3F);
    let z = w.chars().next_back().map_or(0, |x| x as u32 & 0x3F);
    ((a << 14) | (b << 8) | (z << 2) | (w.len() as u32 & 0x3)) as usize
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    // The character at byte `i` and its length: ASCII and the Arabic block
    // decoded by hand, the rest by the standard library.
    let char_at = |i: usize| -> (char, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (b as char, 1)
        } else if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
            let cp = (((b & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32;
            (char::from_u32(cp).unwrap_or('\u{FFFD}'), 2)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
            (c, c.len_utf8())
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(i);
        if c.is_ascii_digit() {
            // digits with inner , or . followed by a digit
            let mut end = i + 1;
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_digit()
                    || ((b == b',' || b == b'.')
                        && end + 1 < bytes.len()
                        && bytes[end + 1].is_ascii_digit())
                {
                    end += 1;
                } else {
                    break;
                }
            }
            let raw = &text[i..end];
            let latin_before = i > 0
                && (bytes[i - 1].is_ascii_alphabetic()
                    || (bytes[i - 1] == b'-' && i > 1 && bytes[i - 2].is_ascii_alphabetic()));
            let latin_after = end < bytes.len() && bytes[end].is_ascii_alphabetic();
            // A clitic glued before the number: و250, ب12, ال72.
            let mut start = i;
            let mut clitic = 0u8;
            if let Some(prev) = out.last() {
                if prev.kind == Kind::Word && prev.end == i {
                    let w = &text[prev.start..prev.end];
                    if matches!(w, "و" | "ب" | "ال" | "بال" | "وال" | "لل" | "ل") {
                        start = prev.start;
                        clitic = (i - prev.start) as u8;
                        out.pop();
                    }
                }
            }
            out.push(Token {
                start,
                end,
                kind: Kind::Num {
                    value: parse_number(raw),
                    digits: raw.bytes().filter(u8::is_ascii_digit).count().min(255) as u8,
                    clitic,
                    latin: latin_before || latin_after,
                },
            });
            i = end;
        } else if crate::normalize::is_letter(c) {
            let mut end = i + len;
            while end < bytes.len() {
                let (d, dl) = char_at(end);
                if !crate::normalize::is_letter(d) {
                    break;
                }
                end += dl;
            }
            out.push(Token {
                start: i,
                end,
                kind: Kind::Word,
            });
            i = end;
        } else {
            if !c.is_whitespace() {
                out.push(Token {
                    start: i,
                    end: i + len,
                    kind: Kind::Punct(c),
                });
            }
            i += len;
        }
    }
    out
}

/// "1,600" → 1600, "1.5" → 1.5, "1,5" → 1.5 (a decimal comma).
fn parse_number(raw: &str) -> f64 {
    if !raw.contains(',') {
        return raw.parse().unwrap_or(f64::NAN);
    }
    let groups: Vec<&str> = raw.split(',').collect();
    let cleaned: String = if groups.len() > 1
        && groups[1..]
            .iter()
            .all(|g| g.split('.').next().is_some_and(|h| h.len() == 3))
    {
        raw.replace(',', "")
    } else if groups.len() == 2 && !raw.contains('.') {
        raw.replace(',', ".")
    } else {
        raw.replace(',', "")
    };
    cleaned.parse().unwrap_or(f64::NAN)
}

/// The scanning state over one text.
/// A phrase found at a token: (tokens it spans, its meanings' index,
/// whether a clitic was peeled off).
type Hit = Option<(usize, u32, bool)>;

struct Cx<'a> {
    s: &'a Scanner,
    text: &'a str,
    toks: &'a [Token],
    memo: Vec<std::cell::Cell<Option<Hit>>>,
}

impl<'a> Cx<'a> {
    fn new(s: &'a Scanner, text: &'a str, toks: &'a [Token]) -> Self {
        Cx {
            s,
            text,
            toks,
            memo: vec![std::cell::Cell::new(None); toks.len()],
        }
    }

    fn range(&self, i: usize, end: usize) -> Range<usize> {
        let t = &self.toks[i];
        let start = match t.kind {
            Kind::Num { clitic, .. } => t.start + clitic as usize,
            // a clitic peeled off the first word: "ومئات" shows as "مئات"
            Kind::Word => match self.lookup(i) {
                Some((_, _, true)) => {
                    let w = &self.text[t.start..t.end];
                    t.start + w.chars().next().map(char::len_utf8).unwrap_or(0)
                }
                _ => t.start,
            },
            _ => t.start,
        };
        start..self.toks[end - 1].end
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        let t = self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| &self.text[t.start..t.end])
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    fn num(&self, i: usize) -> Option<(f64, u8, u8, bool)> {
        match self.toks.get(i)?.kind {
            Kind::Num {
                value,
                digits,
                clitic,
                latin,
            } => Some((value, digits, clitic, latin)),
            _ => None,
        }
    }

    /// The longest phrase starting at token `i`: (tokens used, its meanings,
    /// whether a clitic was peeled off).
    fn lookup(&self, i: usize) -> Hit {
        let cell = self.memo.get(i)?;
        if let Some(hit) = cell.get() {
            return hit;
        }
        let found = self.lookup_uncached(i);
        cell.set(Some(found));
        found
    }

    fn meanings(&self, i: usize) -> &'a [Lex] {
        match self.lookup(i) {
            Some((_, m, _)) => &self.s.meanings[m as usize],
            None => &[],
        }
    }

    fn lookup_uncached(&self, i: usize) -> Hit {
        let first = self.word(i)?;
        let stripped = first.strip_prefix(CLITICS).filter(|r| !r.is_empty());
        let lil = first.strip_prefix("لل").map(|r| format!("ال{r}"));
        let may = |w: &str| {
            let k = start_key(w);
            self.s.starts[k / 64] & (1 << (k % 64)) != 0
        };
        if !may(first) && !stripped.is_some_and(may) && !first.starts_with("لل") {
            return None;
        }
        // (A word is the first of a phrase when it begins one: `phrases`
        // holds no other one-word beginnings.)
        let begins = |w: &str| self.s.phrases.contains_key(w);
        let candidates_first =
            begins(first) || stripped.is_some_and(begins) || lil.as_deref().is_some_and(begins);
        if !candidates_first {
            return None;
        }
        // Longest match, forward: a phrase grows word by word while it is
        // the beginning of some phrase of the lexicon.
        let start = self.toks[i].start;
        let clitic_len = first
            .chars()
            .next()
            .filter(|c| CLITICS.contains(c))
            .map(char::len_utf8);
        let mut best: Hit = None;
        for variant in 0..3u8 {
            let offset = match (variant, clitic_len) {
                (0, _) => 0,
                (1, Some(l)) if stripped.is_some() => l,
                (2, _) if lil.is_some() => 0,
                _ => continue,
            };
            let mut k = 0;
            while k < self.s.max_words {
                let idx = i + k;
                if k > 0
                    && (self.word(idx).is_none()
                        || &self.text[self.toks[idx - 1].end..self.toks[idx].start] != " ")
                {
                    break;
                }
                let end = self.toks[idx].end;
                let owned;
                let phrase: &str = if variant == 2 {
                    owned = format!("ال{}", &self.text[start + "لل".len()..end]);
                    &owned
                } else {
                    &self.text[start + offset..end]
                };
                let Some(&l) = self.s.phrases.get(phrase) else {
                    break;
                };
                if l != NO_MEANING && best.is_none_or(|(bk, _, _)| k + 1 > bk) {
                    best = Some((k + 1, l, variant > 0));
                }
                k += 1;
            }
        }
        best
    }

    /// The first meaning of the phrase at `i` that `pick` accepts.
    fn find<T>(&self, i: usize, pick: impl Fn(&Lex) -> Option<T>) -> Option<(usize, T)> {
        let (k, m, _) = self.lookup(i)?;
        self.s.meanings[m as usize]
            .iter()
            .find_map(&pick)
            .map(|t| (i + k, t))
    }

    fn skip_comma(&self, i: usize) -> usize {
        match self.punct(i) {
            Some('،' | ',') => i + 1,
            _ => i,
        }
    }

    // ------------------------------------------------------------ dates

    fn month_at(&self, i: usize) -> Option<(usize, i8, bool)> {
        let (mut j, (m, hijri)) = self.find(i, |l| match l {
            Lex::Month(m) => Some((*m, false)),
            Lex::HijriMonth(m) => Some((*m, true)),
            _ => None,
        })?;
        // A second name for the same month: "يناير/ كانون الثاني", "كانون الثاني (يناير)".
        if self.punct(j) == Some('/') {
            if let Some((k, _)) = self.find(j + 1, |l| matches!(l, Lex::Month(_)).then_some(())) {
                j = k;
            }
        } else if self.punct(j) == Some('(') {
            if let Some((k, _)) = self.find(j + 1, |l| matches!(l, Lex::Month(_)).then_some(())) {
                if self.punct(k) == Some(')') {
                    j = k + 1;
                }
            }
        }
        Some((j, m, hijri))
    }

    fn day_at(&self, i: usize) -> Option<(usize, i8)> {
        if let Some((v, digits, _, latin)) = self.num(i) {
            if !latin && digits <= 2 && v.fract() == 0.0 && (1.0..=31.0).contains(&v) {
                return Some((i + 1, v as i8));
            }
            return None;
        }
        self.find(i, |l| match l {
            Lex::Ordinal(d) => Some(*d),
            _ => None,
        })
    }

    /// ", 2022", "عام 2022 م", "1443 هـ": the year and whether it is Hijri.
    fn year_at(&self, i: usize) -> Option<(usize, i16, Option<bool>)> {
        let mut j = self.skip_comma(i);
        // "4 يونيو من عام 1960"
        if self.word(j) == Some("من")
            && self
                .find(j + 1, |l| (*l == Lex::YearWord).then_some(()))
                .is_some()
        {
            j += 1;
        }
        if let Some((k, _)) = self.find(j, |l| (*l == Lex::YearWord).then_some(())) {
            j = k;
        }
        let (v, digits, _, _) = self.num(j)?;
        if digits != 4 || v.fract() != 0.0 {
            return None;
        }
        j += 1;
        let mut era = None;
        if let Some((k, e)) = self.find(j, |l| match l {
            Lex::HijriEra => Some(true),
            Lex::GregorianEra => Some(false),
            _ => None,
        }) {
            j = k;
            era = Some(e);
        }
        Some((j, v as i16, era))
    }

    fn date_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let t = self.toks.get(i)?;
        if t.kind == Kind::Word
            && self.lookup(i).is_none()
            && self.word(i) != Some("يوم")
            && self.word(i) != Some("شهر")
        {
            return None;
        }
        let mut e = DateExpr::default();
        let mut j = i;
        let mut got = false;
        // A period part first: "مطلع العام الجاري", "أواخر آذار".
        if let Some((k, part)) = self.find(j, |l| match l {
            Lex::Part(p) => Some(*p),
            _ => None,
        }) {
            if let Some((end, mut inner)) = self.period_or_month_at(k) {
                inner.part = Some(PARTS[part as usize].to_string());
                return Some((end, inner));
            }
            // "مطلع العام", "نهاية الشهر": the article's own period.
            if let Some((end, p)) = self.find(k, |l| match l {
                Lex::Period(p) => Some(*p),
                _ => None,
            }) {
                let e = DateExpr {
                    period: Some((PERIODS[p as usize].to_string(), 0)),
                    part: Some(PARTS[part as usize].to_string()),
                    ..DateExpr::default()
                };
                return Some((end, e));
            }
        }
        if let Some(r) = self
            .period_or_month_at(j)
            .filter(|(_, e)| e.period.is_some())
        {
            return Some(r);
        }
        // A span from the article's day: "في غضون يومين", "قبل 3 أيام".
        if let Some(r) = self.span_at(j) {
            return Some(r);
        }
        if let Some((k, o)) = self.find(j, |l| match l {
            Lex::Relative(o) => Some(*o),
            _ => None,
        }) {
            // "في اليوم التالي": the day after the event, not the article's.
            if matches!(self.word(k), Some("التالي" | "السابق" | "نفسه" | "ذاته"))
            {
                return None;
            }
            e.relative = Some(o);
            j = k;
            got = true;
        }
        // "أمس، الخميس": a comma may stand between a relative day and what
        // follows; it is not part of the mention unless something does.
        let mut w = if e.relative.is_some() {
            self.skip_comma(j)
        } else {
            j
        };
        if self.word(w) == Some("يوم") {
            w += 1;
        }
        if let Some((k, wd)) = self.find(w, |l| match l {
            Lex::Weekday(d) => Some(*d),
            _ => None,
        }) {
            e.weekday = Some(wd);
            j = k;
            got = true;
            if self.word(j) == Some("قبل")
                && self
                    .find(j + 1, |l| (*l == Lex::Past).then_some(()))
                    .is_some()
            {
                // "الأحد قبل الماضي": the one before last
                e.direction = -2;
                j += 2;
            } else if let Some((k2, dir)) = self.find(j, |l| match l {
                Lex::Past => Some(-1),
                Lex::Next => Some(1),
                _ => None,
            }) {
                e.direction = dir;
                j = k2;
            }
            // "الخميس الموافق 13 يناير 2022"
            if let Some((k3, _)) = self.find(j, |l| (*l == Lex::Link).then_some(())) {
                if self.day_month_at(k3).is_some() || self.numeric_date_at(k3).is_some() {
                    j = k3;
                }
            }
            // "الأربعاء 12/1/2022"
            if let Some((k4, n)) = self.numeric_date_at(self.skip_comma(j)) {
                e.day = n.day;
                e.month = n.month;
                e.year = n.year;
                return Some((k4, e));
            }
        }
        let after_weekday = j;
        let k = self.skip_comma(j);
        if let Some((end, day, day_to, month, hijri)) = self.day_month_at(k) {
            e.day = Some(day);
            e.day_to = day_to;
            e.month = Some(month);
            e.hijri = hijri;
            j = end;
            got = true;
            // "من 13 تموز إلى 15 آب 2021": a range over two months
            if day_to.is_none() {
                if let Some((k2, _)) = self.find(j, |l| (*l == Lex::To).then_some(())) {
                    if let Some((end2, d2, None, m2, h2)) = self.day_month_at(k2) {
                        if h2 == hijri && m2 != month {
                            e.day_to = Some(d2);
                            e.month_to = Some(m2);
                            j = end2;
                        }
                    }
                }
            }
            if let Some((end, y, era)) = self.year_at(j) {
                e.year = Some(y);
                if era == Some(true) {
                    e.hijri = true;
                }
                j = end;
            } else if let Some((end, dir)) = self.find(j, |l| match l {
                Lex::Current => Some(0),
                Lex::Past => Some(-1),
                Lex::Next => Some(1),
                _ => None,
            }) {
                if dir == 0 {
                    e.current_month = true;
                } else {
                    e.month_direction = dir;
                }
                j = end;
            }
        } else if !got {
            // A month alone, a year alone, a numeric date.
            return self
                .month_alone_at(i)
                .or_else(|| self.year_alone_at(i))
                .or_else(|| self.numeric_date_at(i))
                .or_else(|| self.day_of_current_month_at(i));
        } else {
            j = after_weekday;
        }
        if !got {
            return None;
        }
        // "يوم" alone is not a date.
        if e == DateExpr::default() {
            return None;
        }
        Some((j, e))
    }

    /// "12 من كانون الثاني", "الثاني عشر من يناير", "23 و24 من كانون
    /// الثاني", "من 5 إلى 19 يناير", "15 رمضان".
    fn day_month_at(&self, i: usize) -> Option<(usize, i8, Option<i8>, i8, bool)> {
        let mut j = i;
        let ranged = self.find(j, |l| (*l == Lex::From).then_some(()));
        if let Some((k, _)) = ranged {
            if self.day_at(k).is_some() {
                j = k;
            }
        }
        let (mut k, day) = self.day_at(j)?;
        let mut day_to = None;
        // a second day: "23 و24", "5 إلى 19", "5-19"
        let second = match (self.num(k), self.punct(k)) {
            (Some((_, _, clitic, _)), _) if clitic > 0 => Some(k),
            (_, Some('-' | '–')) => Some(k + 1),
            _ => self
                .find(k, |l| (*l == Lex::To).then_some(()))
                .map(|(n, _)| n),
        };
        if let Some(s) = second {
            if let Some((k2, d2)) = self.day_at(s) {
                if d2 > day {
                    let mut m = k2;
                    if self.word(m) == Some("من") {
                        m += 1;
                    }
                    if self.month_at(m).is_some() {
                        day_to = Some(d2);
                        k = k2;
                    }
                }
            }
        }
        if self.word(k) == Some("من") {
            k += 1;
        }
        if self.word(k) == Some("شهر") {
            k += 1;
        }
        let (end, month, hijri) = self.month_at(k)?;
        Some((end, day, day_to, month, hijri))
    }

    /// "20 من الشهر الجاري": a day of the article's month.
    fn day_of_current_month_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let (mut k, day) = self.day_at(i)?;
        if self.word(k) == Some("من") {
            k += 1;
        }
        let (k2, p) = self.find(k, |l| match l {
            Lex::Period(p) => Some(*p),
            _ => None,
        })?;
        if PERIODS[p as usize] != "month" {
            return None;
        }
        let (end, _) = self.find(k2, |l| (*l == Lex::Current).then_some(()))?;
        Some((
            end,
            DateExpr {
                day: Some(day),
                current_month: true,
                ..DateExpr::default()
            },
        ))
    }

    /// "في يناير", "يناير 2022", "كانون الثاني الماضي", "أيلول 2017", and
    /// a period: "الأسبوع الماضي", "العام الجاري".
    fn period_or_month_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let mut e = DateExpr::default();
        if let Some((k, p)) = self.find(i, |l| match l {
            Lex::Period(p) => Some(*p),
            _ => None,
        }) {
            let (end, dir) = self.find(k, |l| match l {
                Lex::Past => Some(-1),
                Lex::Next => Some(1),
                Lex::Current => Some(0),
                _ => None,
            })?;
            e.period = Some((PERIODS[p as usize].to_string(), dir));
            return Some((end, e));
        }
        let mut j = i;
        if self.word(j) == Some("شهر") {
            j += 1;
        }
        let (k, m, hijri) = self.month_at(j)?;
        e.month = Some(m);
        e.hijri = hijri;
        if let Some((end, y, era)) = self.year_at(k) {
            e.year = Some(y);
            e.hijri |= era == Some(true);
            return Some((end, e));
        }
        if let Some((end, dir)) = self.find(k, |l| match l {
            Lex::Current => Some(0),
            Lex::Past => Some(-1),
            Lex::Next => Some(1),
            _ => None,
        }) {
            if dir == 0 {
                e.current_month = true;
            } else {
                e.month_direction = dir;
            }
            return Some((end, e));
        }
        Some((k, e))
    }

    fn month_alone_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let (end, e) = self.period_or_month_at(i)?;
        if e.period.is_some() {
            return Some((end, e));
        }
        let said_more = e.year.is_some() || e.current_month || e.month_direction != 0;
        let after_shahr = self.word(i) == Some("شهر");
        let ambiguous = self.meanings(i).contains(&Lex::Ambiguous);
        let prep_before = i > 0
            && self.lookup(i - 1).is_some_and(|(k, _, _)| k == 1)
            && self.meanings(i - 1).contains(&Lex::MonthPrep);
        (said_more || after_shahr || (prep_before && !ambiguous)).then_some((end, e))
    }

    /// "عام 2019", "سنة 1991" (a bare 2030 is a number).
    fn year_alone_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        // "منذ 2011": a year after "since"
        if let Some((v, 4, 0, false)) = self.num(i) {
            if i > 0 && self.word(i - 1) == Some("منذ") && (1900.0..2100.0).contains(&v) {
                return Some((
                    i + 1,
                    DateExpr {
                        year: Some(v as i16),
                        ..DateExpr::default()
                    },
                ));
            }
            return None;
        }
        self.find(i, |l| (*l == Lex::YearWord).then_some(()))?;
        let (end, y, era) = self.year_at(i)?;
        Some((
            end,
            DateExpr {
                year: Some(y),
                hijri: era == Some(true),
                ..DateExpr::default()
            },
        ))
    }

    /// 11/10/2022, ١١/١٠, 2022-01-12.
    fn numeric_date_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let (a, da, _, latin) = self.num(i)?;
        if latin {
            return None;
        }
        let sep = self.punct(i + 1)?;
        if !matches!(sep, '/' | '-' | '.') {
            return None;
        }
        let (b, db, _, _) = self.num(i + 2)?;
        // "2014-2019": a span of years
        if da == 4 && db == 4 && sep == '-' && (1900.0..2100.0).contains(&a) && b > a && b < 2100.0
        {
            return Some((
                i + 3,
                DateExpr {
                    year: Some(a as i16),
                    year_to: Some(b as i16),
                    ..DateExpr::default()
                },
            ));
        }
        // "2022/01/09", "2022-01-09": year first.
        if da == 4 && (sep == '/' || sep == '-') {
            let (c, dc, _, _) = self.num(i + 4).filter(|_| self.punct(i + 3) == Some(sep))?;
            if db <= 2 && dc <= 2 && (1.0..=12.0).contains(&b) && (1.0..=31.0).contains(&c) {
                return Some((
                    i + 5,
                    DateExpr {
                        year: Some(a as i16),
                        month: Some(b as i8),
                        day: Some(c as i8),
                        ..DateExpr::default()
                    },
                ));
            }
            return None;
        }
        // "12-1-2022"
        if sep == '-' && da <= 2 && db <= 2 && self.punct(i + 3) == Some('-') {
            if let Some((c, 4, _, _)) = self.num(i + 4) {
                if (1.0..=31.0).contains(&a) && (1.0..=12.0).contains(&b) {
                    return Some((
                        i + 5,
                        DateExpr {
                            day: Some(a as i8),
                            month: Some(b as i8),
                            year: Some(c as i16),
                            ..DateExpr::default()
                        },
                    ));
                }
            }
        }
        if sep != '/'
            || da > 2
            || db > 2
            || !(1.0..=31.0).contains(&a)
            || !(1.0..=12.0).contains(&b)
        {
            return None;
        }
        let mut e = DateExpr {
            day: Some(a as i8),
            month: Some(b as i8),
            ..DateExpr::default()
        };
        let mut end = i + 3;
        if self.punct(i + 3) == Some('/') {
            if let Some((y, dy, _, _)) = self.num(i + 4) {
                e.year = match dy {
                    4 => Some(y as i16),
                    2 => Some(2000 + y as i16),
                    _ => return None,
                };
                end = i + 5;
            }
        }
        Some((end, e))
    }

    /// "في غضون يومين", "خلال 48 ساعة", "قبل ثلاثة أيام", "بعد أسبوع".
    fn span_at(&self, i: usize) -> Option<(usize, DateExpr)> {
        let (mut j, dir) = self.find(i, |l| match l {
            Lex::Within => Some(0),
            Lex::After => Some(1),
            Lex::Before => Some(-1),
            _ => None,
        })?;
        if self.word(j) == Some("فترة") {
            j += 1;
        }
        let (end, d) = self.amount_unit_at(j, true)?;
        // "خلال شهر ديسمبر", "قبل يوم الجمعة": the unit names what follows;
        // "بعد أسبوعين من لقاء": counted from an event, not the article's day.
        if self.month_at(end).is_some()
            || (dir != 0 && matches!(self.word(end), Some("من" | "على")))
            || self
                .find(end, |l| matches!(l, Lex::Weekday(_)).then_some(()))
                .is_some()
            || self.num(end).is_some()
        {
            return None;
        }
        let days = (d.0 * d.1).round() as i32;
        let span = match dir {
            0 => (0, days),
            1 => (days, days),
            _ => (-days, -days),
        };
        Some((
            end,
            DateExpr {
                span: Some(span),
                ..DateExpr::default()
            },
        ))
    }

    /// An amount of a unit: "48 ساعة", "عشرة أيام", "يومين", "أسبوع" (the
    /// last only when `bare_ok`). Returns (end, (amount, days per unit, unit)).
    fn amount_unit_at(&self, i: usize, bare_ok: bool) -> Option<(usize, (f64, f64, u8))> {
        let (j, amount) = match self.number_at(i) {
            Some((j, v)) => (j, Some(v)),
            None => (i, None),
        };
        let (end, (unit, days, count)) = self.find(j, |l| match l {
            Lex::Unit { unit, days, count } => Some((*unit, *days, *count)),
            _ => None,
        })?;
        let amount = match amount {
            Some(a) if count != 2.0 => a,
            Some(_) => return None,
            None if count == 2.0 => 2.0,
            None if bare_ok && count == 1.0 => 1.0,
            None => return None,
        };
        Some((end, (amount, days, unit)))
    }

    /// A duration; the start token (after "لمدة" and the like), its end
    /// and value.
    fn duration_at(&self, i: usize) -> Option<(usize, usize, Duration)> {
        let (start, bare_ok) = match self.find(i, |l| (*l == Lex::For).then_some(())) {
            Some((k, _)) => (k, true),
            None => (i, false),
        };
        // "شهرا كاملا", "يوما": an accusative unit alone is one of it.
        let accusative = self
            .word(start)
            .is_some_and(|w| w.ends_with('ا') && w.chars().count() > 2);
        let (mut end, (mut amount, _, unit)) =
            self.amount_unit_at(start, bare_ok || accusative || self.half_after(start + 1))?;
        if self.half_after(end) {
            amount += 0.5;
            end += 1;
        }
        Some((
            start,
            end,
            Duration {
                amount,
                unit: UNITS[unit as usize],
            },
        ))
    }

    /// "ونصف" / "ونص" after a unit: and a half.
    fn half_after(&self, i: usize) -> bool {
        matches!(self.word(i), Some("ونصف" | "ونص"))
    }

    // ------------------------------------------------------- quantities

    /// A number: digits (with a multiplier) or number words joined by و.
    fn number_at(&self, i: usize) -> Option<(usize, f64)> {
        let mut total = 0.0;
        let mut cur = 0.0;
        let mut any = false;
        let mut j = i;
        loop {
            if let Some((v, digits, clitic, latin)) = self.num(j) {
                // "مليون و200 ألف": و and digits after a multiplier go on
                let after_mult = any && cur == 0.0 && total > 0.0 && clitic > 0;
                if (any && !after_mult) || latin || v.is_nan() {
                    break;
                }
                let mut v = v;
                // "12 000": a space as thousands separator
                let mut k = j + 1;
                while let Some((w, 3, 0, false)) = self.num(k) {
                    if digits > 3 || &self.text[self.toks[k - 1].end..self.toks[k].start] != " " {
                        break;
                    }
                    v = v * 1000.0 + w;
                    k += 1;
                }
                cur += v;
                any = true;
                j = k;
                continue;
            }
            let Some((k, _, _)) = self.lookup(j) else {
                break;
            };
            let ls = self.meanings(j);
            let mut used = false;
            // "خمسة وعشرين وثلاثين" is 25 and 30: a place already filled
            // starts the next number.
            let filled = |v: f64| {
                (v < 10.0 && cur % 10.0 != 0.0)
                    || ((10.0..100.0).contains(&v) && cur % 100.0 >= 10.0)
                    || ((100.0..1000.0).contains(&v) && cur % 1000.0 >= 100.0)
            };
            if any
                && ls
                    .iter()
                    .any(|l| matches!(l, Lex::Num(v) if *v < 1000.0 && filled(*v)))
            {
                break;
            }
            // "ربع مليون", "نصف مليون": a fraction of the multiplier after it
            if !any {
                let frac = self.find(j, |l| match l {
                    Lex::Fraction(f) => Some(*f),
                    _ => None,
                });
                if let Some((after, f)) = frac {
                    if let Some((k2, m)) = self.find(after, |l| match l {
                        Lex::Mult(m) => Some(*m),
                        _ => None,
                    }) {
                        total += f * m;
                        any = true;
                        j = k2;
                        continue;
                    }
                }
            }
            for l in ls {
                match l {
                    Lex::Num(v) => {
                        if *v >= 1000.0 {
                            total += v;
                        } else if *v == 100.0 && (1.0..=9.0).contains(&cur) {
                            cur *= 100.0;
                        } else {
                            cur += v;
                        }
                        used = true;
                    }
                    Lex::Mult(m) if any || !ls.iter().any(|l| matches!(l, Lex::Vague(_))) => {
                        cur = if cur == 0.0 { 1.0 } else { cur } * m;
                        total += cur;
                        cur = 0.0;
                        used = true;
                        // "مليون ونصف (المليون)"
                        if matches!(self.word(j + k), Some("ونصف" | "ونص")) {
                            total += 0.5 * m;
                            let mut extra = 1;
                            if self
                                .find(j + k + 1, |l| matches!(l, Lex::Mult(_)).then_some(()))
                                .is_some()
                            {
                                extra = 2;
                            }
                            j += extra;
                        }
                    }
                    _ => continue,
                }
                break;
            }
            if !used {
                break;
            }
            any = true;
            j += k;
            // "ألفين و ثلاثين": a lone و between number words
            if self.word(j) == Some("و")
                && self
                    .meanings(j + 1)
                    .iter()
                    .any(|l| matches!(l, Lex::Num(_)))
            {
                j += 1;
            }
        }
        any.then_some((j, total + cur))
    }

    /// Numbers that count nothing: phone numbers ("+962 …", "0096…"),
    /// model numbers ("إس-400"), scores ("2-1").
    fn not_a_quantity(&self, j: usize) -> bool {
        let Some((v, digits, clitic, _)) = self.num(j) else {
            return false;
        };
        let t = self.toks[j];
        let raw = &self.text[t.start + clitic as usize..t.end];
        if (raw.starts_with('0') && digits > 1 && !raw.contains('.'))
            || (digits >= 9 && !raw.contains(','))
        {
            return true;
        }
        let before = |k: usize| if j >= k { self.punct(j - k) } else { None };
        if before(1) == Some('+')
            || (before(1) == Some('-') && j >= 2 && self.word(j - 2).is_some())
        {
            return true;
        }
        // a score: a smaller number after a dash
        if self.punct(j + 1) == Some('-') {
            if let Some((w, d2, _, _)) = self.num(j + 2) {
                if w < v && digits <= 2 && d2 <= 2 {
                    return true;
                }
            }
        }
        if before(1) == Some('-') {
            if let Some((w, _, _, _)) = j.checked_sub(2).and_then(|k| self.num(k)) {
                if w > v && digits <= 2 {
                    return true;
                }
            }
            // a phone number's groups after the first
            if j >= 2 && self.num(j - 2).is_some() && digits >= 3 {
                return false;
            }
        }
        // the groups of a phone number written with spaces after "+962"
        let mut k = j;
        while k > 0
            && self.num(k - 1).is_some()
            && &self.text[self.toks[k - 1].end..self.toks[k].start] == " "
        {
            k -= 1;
        }
        k > 0 && self.punct(k - 1) == Some('+')
    }

    fn quantity_at(&self, i: usize) -> Option<(usize, Quantity)> {
        // "من 3 إلى 5"
        if self.find(i, |l| (*l == Lex::From).then_some(())).is_some() && self.word(i) == Some("من")
        {
            let (k, a) = self.number_at(i + 1)?;
            let (k2, _) = self.find(k, |l| (*l == Lex::To).then_some(()))?;
            let (end, b) = self.number_at(k2)?;
            if b <= a {
                return None;
            }
            let q = Quantity {
                said: Said::Between(a, b),
                lo: End {
                    value: a,
                    inclusive: true,
                },
                hi: End {
                    value: b,
                    inclusive: true,
                },
                percent: false,
            };
            return Some((end, q));
        }
        let mut j = i;
        let mut bound = None;
        let mut percent = false;
        if let Some((k, b)) = self.find(j, |l| match l {
            Lex::Bound(b) => Some(*b),
            _ => None,
        }) {
            bound = Some(b);
            j = k;
        }
        if self.punct(j) == Some('%') && self.num(j + 1).is_some() {
            percent = true;
            j += 1;
        }
        if self.not_a_quantity(j) {
            return None;
        }
        // "الـ27" after a noun is an ordinal ("الطابق الـ27"), not a count.
        if let Some(t) = self.toks.get(j) {
            if let Kind::Num { clitic, .. } = t.kind {
                let c = &self.text[t.start..t.start + clitic as usize];
                if c.ends_with("ال") || c == "لل" {
                    return None;
                }
            }
        }
        if let Some((k, n)) = self.number_at(j) {
            let mut end = k;
            // a range: "200-300", "بين 200 و300"
            let second = match (self.punct(k), self.num(k)) {
                (Some('-' | '–'), _) => Some(k + 1),
                (_, Some((_, _, c, _))) if c > 0 && bound == Some(BoundKind::Between) => Some(k),
                // "بين خمسة وعشرين وثلاثين"
                _ if bound == Some(BoundKind::Between)
                    && self.word(k).is_some_and(|w| w.starts_with('و')) =>
                {
                    Some(k)
                }
                _ if self.word(k) == Some("و") && bound == Some(BoundKind::Between) => Some(k + 1),
                _ => None,
            };
            let mut range = None;
            if let Some(s) = second {
                if let Some((k2, n2)) = self.number_at(s) {
                    if n2 > n {
                        range = Some(n2);
                        end = k2;
                    }
                }
            }
            if self.punct(end) == Some('%') {
                percent = true;
                end += 1;
            } else if let Some((k3, _)) = self.find(end, |l| (*l == Lex::Percent).then_some(())) {
                percent = true;
                end = k3;
            }
            // a bound after the number, or after its noun: "12 ألف على
            // الأقل", "12 شخصا على الأقل", "500 شخص تقريبا"
            if bound.is_none() {
                let post = |at: usize| {
                    self.find(at, |l| match l {
                        Lex::Bound(
                            b @ (BoundKind::AtLeast
                            | BoundKind::AtMost
                            | BoundKind::MoreThan
                            | BoundKind::About),
                        ) => Some(*b),
                        _ => None,
                    })
                };
                let after_noun = self
                    .word(end)
                    .filter(|_| self.lookup(end).is_none())
                    .and_then(|_| post(end + 1));
                if let Some((k4, b)) = post(end).or(after_noun) {
                    bound = Some(b);
                    end = k4;
                }
            }
            let q = match range {
                Some(hi) => Quantity {
                    said: Said::Between(n, hi),
                    lo: End {
                        value: n,
                        inclusive: true,
                    },
                    hi: End {
                        value: hi,
                        inclusive: true,
                    },
                    percent,
                },
                None => self
                    .s
                    .bounded(n, bound.filter(|b| *b != BoundKind::Between), percent),
            };
            return Some((end, q));
        }
        if let Some((k, v)) = self.find(j, |l| match l {
            Lex::Vague(v) => Some(*v),
            _ => None,
        }) {
            let (name, min, max) = self.s.vague.get(v)?;
            return Some((
                k,
                Quantity {
                    said: Said::Vague(name.clone()),
                    lo: End {
                        value: *min,
                        inclusive: true,
                    },
                    hi: End {
                        value: *max,
                        inclusive: true,
                    },
                    percent: false,
                },
            ));
        }
        if bound.is_none() {
            if let Some((k, _)) = self.find(j, |l| (*l == Lex::Dual).then_some(())) {
                return Some((k, self.s.bounded(2.0, None, false)));
            }
        }
        None
    }
}
