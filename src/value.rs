//! The value algebra: what a claim says (a date, a quantity, a set of
//! entities, a statement, a quote) and when two values are compatible.
//!
//! A quantity keeps how it was said (`Said`) and the interval that follows
//! from it; two quantities agree when their intervals overlap. A date keeps
//! what the text pinned down (a day, possibly without its year; a weekday; a
//! month); a weekday agrees with a date that falls on it.
use jiff::civil::{Date, Weekday};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

use crate::Shared;

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct End {
    pub value: f64,
    pub inclusive: bool,
}

/// How a quantity was said.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Exact(f64),
    AtLeast(f64),
    MoreThan(f64),
    AtMost(f64),
    LessThan(f64),
    Between(f64, f64),
    About(f64),
    Vague(String),
}

/// A quantity: how it was said and the interval it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub said: Said,
    pub lo: End,
    pub hi: End,
    pub percent: bool,
}

impl Quantity {
    /// An interval that contains `self`'s and `other`'s overlap, if any.
    pub fn overlaps(&self, other: &Quantity) -> bool {
        if self.percent != other.percent {
            return false;
        }
        below(&self.lo, &other.hi) && below(&other.lo, &self.hi)
    }

    /// True when the quantity is one number said plainly.
    pub fn is_exact(&self) -> bool {
        matches!(self.said, Said::Exact(_))
    }

    pub fn exact(n: f64) -> Quantity {
        let end = End {
            value: n,
            inclusive: true,
        };
        Quantity {
            said: Said::Exact(n),
            lo: end,
            hi: end,
            percent: false,
        }
    }
}

/// `lo` lies at or below `hi` as interval ends (respecting open ends).
fn below(lo: &End, hi: &End) -> bool {
    match lo.value.partial_cmp(&hi.value) {
        Some(Ordering::Less) => true,
        Some(Ordering::Equal) => lo.inclusive && hi.inclusive,
        _ => false,
    }
}

/// What a date expression pinned down.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DateValue {
    /// A day; the year may be unknown. `stated` is the weekday the text gave.
    Day {
        year: Option<i16>,
        month: i8,
        day: i8,
        stated: Option<WeekdayName>,
    },
    /// Only a weekday is known.
    Weekday(WeekdayName),
    /// A month (of a year, if known).
    Month { year: Option<i16>, month: i8 },
    /// Some day from `from` to `to`, both included ("في غضون يومين").
    Range { from: Date, to: Date },
    /// A year ("عام 2019").
    Year(i16),
}

/// A weekday, ordered Monday first, with a stable lowercase English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekdayName(pub i8);

impl WeekdayName {
    pub fn from_jiff(w: Weekday) -> Self {
        WeekdayName(w.to_monday_one_offset())
    }
    pub fn to_jiff(self) -> Weekday {
        Weekday::from_monday_one_offset(self.0).unwrap_or(Weekday::Monday)
    }
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        NAMES[((self.0 - 1).clamp(0, 6)) as usize]
    }
    pub fn from_name(s: &str) -> Option<Self> {
        (1..=7)
            .map(WeekdayName)
            .find(|w| w.name().eq_ignore_ascii_case(s))
    }
}

impl DateValue {
    pub fn from_date(d: Date, stated: Option<WeekdayName>) -> Self {
        DateValue::Day {
            year: Some(d.year()),
            month: d.month(),
            day: d.day(),
            stated,
        }
    }

    /// The full date, when the year is known.
    pub fn date(&self) -> Option<Date> {
        match *self {
            DateValue::Day {
                year: Some(y),
                month,
                day,
                ..
            } => Date::new(y, month, day).ok(),
            _ => None,
        }
    }

    /// The weekday this value stands on: the real one of a full date, else
    /// the stated one.
    pub fn weekday(&self) -> Option<WeekdayName> {
        match self {
            DateValue::Weekday(w) => Some(*w),
            DateValue::Day { stated, .. } => self
                .date()
                .map(|d| WeekdayName::from_jiff(d.weekday()))
                .or(*stated),
            DateValue::Month { .. } | DateValue::Range { .. } | DateValue::Year(_) => None,
        }
    }

    /// The weekday the text said, if any.
    pub fn stated_weekday(&self) -> Option<WeekdayName> {
        match self {
            DateValue::Weekday(w) => Some(*w),
            DateValue::Day { stated, .. } => *stated,
            DateValue::Month { .. } | DateValue::Range { .. } | DateValue::Year(_) => None,
        }
    }

    /// The first and last day this value may stand for, when known.
    fn bounds(&self) -> Option<(Date, Date)> {
        match *self {
            DateValue::Range { from, to } => Some((from, to)),
            DateValue::Year(y) => Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?)),
            DateValue::Day { .. } => self.date().map(|d| (d, d)),
            DateValue::Month {
                year: Some(y),
                month,
            } => {
                let first = Date::new(y, month, 1).ok()?;
                Some((first, first.last_of_month()))
            }
            _ => None,
        }
    }

    pub fn compatible(&self, other: &DateValue) -> bool {
        use DateValue::*;
        match (self, other) {
            (Year(y), o) | (o, Year(y)) => match o {
                Weekday(_) => true,
                Year(z) => y == z,
                Day { year: None, .. } | Month { year: None, .. } => true,
                _ => o
                    .bounds()
                    .is_none_or(|(a, b)| a.year() <= *y && *y <= b.year()),
            },
            (Range { from, to }, o) | (o, Range { from, to }) => match (o, o.bounds()) {
                (Weekday(w), _) => {
                    let days = (to.since(*from).map(|s| s.get_days()).unwrap_or(0) + 1).clamp(0, 7);
                    (0..days).any(|k| {
                        from.checked_add(jiff::Span::new().days(k))
                            .is_ok_and(|d| WeekdayName::from_jiff(d.weekday()) == *w)
                    })
                }
                (_, Some((a, b))) => a <= *to && *from <= b,
                // A day without its year: compare within the range's years.
                (Day { month, day, .. }, None) => (from.year()..=to.year())
                    .any(|y| Date::new(y, *month, *day).is_ok_and(|d| *from <= d && d <= *to)),
                _ => true,
            },
            (
                Day {
                    year: y1,
                    month: m1,
                    day: d1,
                    ..
                },
                Day {
                    year: y2,
                    month: m2,
                    day: d2,
                    ..
                },
            ) => m1 == m2 && d1 == d2 && (y1.is_none() || y2.is_none() || y1 == y2),
            (Weekday(w), d @ Day { .. }) | (d @ Day { .. }, Weekday(w)) => {
                d.weekday() == Some(*w) || d.stated_weekday() == Some(*w)
            }
            (Weekday(a), Weekday(b)) => a == b,
            (
                Month {
                    year: y1,
                    month: m1,
                },
                Month {
                    year: y2,
                    month: m2,
                },
            )
            | (
                Month {
                    year: y1,
                    month: m1,
                },
                Day {
                    year: y2,
                    month: m2,
                    ..
                },
            )
            | (
                Day {
                    year: y2,
                    month: m2,
                    ..
                },
                Month {
                    year: y1,
                    month: m1,
                },
            ) => m1 == m2 && (y1.is_none() || y2.is_none() || y1 == y2),
            (Month { .. }, Weekday(_)) | (Weekday(_), Month { .. }) => true,
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Day {
                year, month, day, ..
            } => match year {
                Some(y) => write!(f, "{y:04}-{month:02}-{day:02}"),
                None => write!(f, "--{month:02}-{day:02}"),
            },
            DateValue::Weekday(w) => f.write_str(w.name()),
            DateValue::Month { year, month } => match year {
                Some(y) => write!(f, "{y:04}-{month:02}"),
                None => write!(f, "--{month:02}"),
            },
            DateValue::Range { from, to } => write!(f, "{from}/{to}"),
            DateValue::Year(y) => write!(f, "{y:04}"),
        }
    }
}

/// The value of a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Date(DateValue),
    Quantity(Quantity),
    /// A set of canonical entity ids, sorted.
    Set(Vec<Shared>),
    /// A statement a rule recognised, named by the rule's label.
    Statement(Shared),
    /// Words in quotation marks, normalized (the same quote in many
    /// articles is kept once).
    Quote(Shared),
    /// A span of time ("عشرة أيام"), as ISO 8601 ("P10D").
    Duration(String),
}

impl Value {
    pub fn compatible(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Date(a), Value::Date(b)) => a.compatible(b),
            (Value::Quantity(a), Value::Quantity(b)) => a.overlaps(b),
            (Value::Set(a), Value::Set(b)) => a == b,
            (Value::Statement(a), Value::Statement(b)) => a == b,
            (Value::Quote(a), Value::Quote(b)) => quotes_match(a, b),
            (Value::Duration(a), Value::Duration(b)) => a == b,
            _ => false,
        }
    }

    /// A short rendering for messages: "2030", "more than 1600", "2022-01-13".
    pub fn describe(&self) -> String {
        match self {
            Value::Date(d) => match d {
                DateValue::Day {
                    stated: Some(w), ..
                } => format!("{d} ({} said)", w.name()),
                _ => d.to_string(),
            },
            Value::Quantity(q) => describe_quantity(q),
            Value::Set(s) => format!("{{{}}}", s.join(", ")),
            Value::Statement(s) => s.to_string(),
            Value::Quote(q) => format!("«{q}»"),
            Value::Duration(d) => d.clone(),
        }
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn describe_quantity(q: &Quantity) -> String {
    let pct = if q.percent { "%" } else { "" };
    match &q.said {
        Said::Exact(n) => format!("{}{pct}", num(*n)),
        Said::AtLeast(n) => format!("at least {}{pct}", num(*n)),
        Said::MoreThan(n) => format!("more than {}{pct}", num(*n)),
        Said::AtMost(n) => format!("at most {}{pct}", num(*n)),
        Said::LessThan(n) => format!("less than {}{pct}", num(*n)),
        Said::Between(a, b) => format!("between {} and {}{pct}", num(*a), num(*b)),
        Said::About(n) => format!("about {}{pct}", num(*n)),
        Said::Vague(v) => v.clone(),
    }
}

/// Two quotes match when, word for word, most of the shorter one stands in
/// the longer one in order (one may quote more of the same sentence).
pub fn quotes_match(a: &str, b: &str) -> bool {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    quote_words_match(&wa, &wb)
}

/// `quotes_match` on quotes already cut into words.
pub fn quote_words_match(wa: &[&str], wb: &[&str]) -> bool {
    let (short, long) = if wa.len() <= wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    if short.len() < 2 {
        return short == long;
    }
    let common = lcs(short, long);
    common * 10 >= short.len() * 9
}

/// Feeds `v` to `h` so that values equal by `==` hash alike (`-0.0` and
/// `0.0` hash as one), for bucketing equal values without comparing every
/// pair.
pub fn hash_value<H: std::hash::Hasher>(v: &Value, h: &mut H) {
    use std::hash::Hash;
    fn num<H: std::hash::Hasher>(x: f64, h: &mut H) {
        // 0.0 == -0.0; NaN equals nothing, so how it hashes does not matter.
        let x = if x == 0.0 { 0.0 } else { x };
        x.to_bits().hash(h);
    }
    std::mem::discriminant(v).hash(h);
    match v {
        Value::Date(d) => d.hash(h),
        Value::Quantity(q) => {
            std::mem::discriminant(&q.said).hash(h);
            match &q.said {
                Said::Exact(a)
                | Said::AtLeast(a)
                | Said::MoreThan(a)
                | Said::AtMost(a)
                | Said::LessThan(a)
                | Said::About(a) => num(*a, h),
                Said::Between(a, b) => {
                    num(*a, h);
                    num(*b, h);
                }
                Said::Vague(s) => s.hash(h),
            }
            for e in [&q.lo, &q.hi] {
                num(e.value, h);
                e.inclusive.hash(h);
            }
            q.percent.hash(h);
        }
        Value::Set(s) => s.hash(h),
        Value::Statement(s) | Value::Quote(s) => s.as_str().hash(h),
        Value::Duration(s) => s.hash(h),
    }
}

fn lcs(a: &[&str], b: &[&str]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        match self {
            Value::Date(DateValue::Weekday(w)) => m.serialize_entry("weekday", w.name())?,
            Value::Date(d @ DateValue::Month { .. }) => {
                m.serialize_entry("month", &d.to_string())?
            }
            Value::Date(DateValue::Range { from, to }) => {
                m.serialize_entry("date_between", &[from.to_string(), to.to_string()])?
            }
            Value::Date(DateValue::Year(y)) => m.serialize_entry("year", y)?,
            Value::Date(d) => m.serialize_entry("date", &d.to_string())?,
            Value::Quantity(q) => serialize_quantity(q, &mut m)?,
            Value::Set(ids) => m.serialize_entry("set", ids)?,
            Value::Statement(s) => m.serialize_entry("statement", s)?,
            Value::Quote(q) => m.serialize_entry("quote", q)?,
            Value::Duration(d) => m.serialize_entry("duration", d)?,
        }
        m.end()
    }
}

fn serialize_quantity<M: SerializeMap>(q: &Quantity, m: &mut M) -> Result<(), M::Error> {
    let key = |k: &'static str| if q.percent { percent_key(k) } else { k };
    match &q.said {
        Said::Exact(n) => m.serialize_entry(key("count"), &Num(*n)),
        Said::AtLeast(n) => m.serialize_entry(key("at_least"), &Num(*n)),
        Said::MoreThan(n) => m.serialize_entry(key("more_than"), &Num(*n)),
        Said::AtMost(n) => m.serialize_entry(key("at_most"), &Num(*n)),
        Said::LessThan(n) => m.serialize_entry(key("less_than"), &Num(*n)),
        Said::Between(a, b) => m.serialize_entry(key("between"), &[Num(*a), Num(*b)]),
        Said::About(n) => m.serialize_entry(key("about"), &Num(*n)),
        Said::Vague(v) => m.serialize_entry("vague", v),
    }
}

fn percent_key(k: &'static str) -> &'static str {
    match k {
        "count" => "percent",
        "at_least" => "percent_at_least",
        "more_than" => "percent_more_than",
        "at_most" => "percent_at_most",
        "less_than" => "percent_less_than",
        "between" => "percent_between",
        _ => "percent_about",
    }
}

/// A number serialized as an integer when it is one.
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 9e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(said: Said, lo: f64, lo_inc: bool, hi: f64, hi_inc: bool) -> Quantity {
        Quantity {
            said,
            lo: End {
                value: lo,
                inclusive: lo_inc,
            },
            hi: End {
                value: hi,
                inclusive: hi_inc,
            },
            percent: false,
        }
    }

    #[test]
    fn intervals() {
        let more_1600 = q(Said::MoreThan(1600.0), 1600.0, false, f64::INFINITY, false);
        assert!(!more_1600.overlaps(&Quantity::exact(1600.0)));
        assert!(more_1600.overlaps(&Quantity::exact(1601.0)));
        assert!(!Quantity::exact(13.0).overlaps(&Quantity::exact(16.0)));
        let thousands = q(
            Said::Vague("thousands".into()),
            2000.0,
            true,
            999_999.0,
            true,
        );
        let at_least = q(Said::AtLeast(12000.0), 12000.0, true, f64::INFINITY, false);
        assert!(thousands.overlaps(&at_least));
    }

    #[test]
    fn dates() {
        let thu = WeekdayName::from_name("thursday").unwrap();
        let d13 = DateValue::from_date(Date::new(2022, 1, 13).unwrap(), Some(thu));
        let d14 = DateValue::from_date(Date::new(2022, 1, 14).unwrap(), Some(thu));
        assert!(!d13.compatible(&d14));
        assert!(DateValue::Weekday(thu).compatible(&d13));
        assert!(DateValue::Weekday(thu).compatible(&d14));
        let partial = DateValue::Day {
            year: None,
            month: 1,
            day: 13,
            stated: None,
        };
        assert!(partial.compatible(&d13));
    }

    #[test]
    fn quotes() {
        assert!(quotes_match(
            "a b c d e f g h i j",
            "x a b , c d e f g h i j y"
        ));
        assert!(!quotes_match("a b c d", "a x y d"));
    }
}
