//! Dates on a calendar: the article's own date, and every date expression
//! resolved against it.
//!
//! An article's date comes from its front matter, else from a dateline in its
//! lead ("اليوم الأربعاء 12 من كانون الثاني"), else it stays unknown. A year
//! the text leaves out comes from the article's date, else from the story's
//! window (declared in the rules, or read off the corpus's explicit dates),
//! and only then from the weekday. Relative words ("أمس", "يوم غد", "الخميس
//! الماضي") need the article's date; without it a claim keeps only the
//! weekday the text gives. News looks back: a bare weekday is the latest one
//! on or before the article's date.
use crate::grammar::DateExpr;
use crate::value::{DateValue, WeekdayName};
use jiff::civil::Date;
use serde::Serialize;
use std::ops::Range;

/// What dates without a year fall back on.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    pub window: Option<(Date, Date)>,
    /// The latest year a date can be in when neither the article nor the
    /// window gives one (the run's "today"); with a weekday, the year is the
    /// latest one up to it in which the day falls on that weekday.
    pub latest_year: Option<i16>,
}

/// How a date was pinned down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolvedBy {
    /// The text gives day, month and year.
    Absolute,
    /// Read against the article's date.
    ArticleDate,
    /// The year comes from the story's window.
    Window,
    /// The year comes from the weekday the text gives.
    Weekday,
    /// Only part of a date is known (a weekday, a day without a year).
    Partial,
    /// Read against the run's `--today` (the article has no date).
    Today,
    Unresolved,
}

/// Where an article's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    FrontMatter,
    Dateline,
}

#[derive(Debug, Clone)]
pub struct ArticleDate {
    pub date: Date,
    pub source: DateSource,
    /// The dateline's words (normalized range of the body), when it came
    /// from the text.
    pub dateline: Option<Range<usize>>,
    /// The words the date was read from, in the original file: the
    /// dateline, or the front matter's `published` value.
    pub anchor: Option<crate::claim::Evidence>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub value: Option<DateValue>,
    pub by: ResolvedBy,
    /// The weekday said and the real weekday of the date, when they differ.
    pub mismatch: Option<(WeekdayName, WeekdayName)>,
}

fn weekday(d: Date) -> WeekdayName {
    WeekdayName::from_jiff(d.weekday())
}

/// `d` and `n` days, if that is a day jiff knows ("within 16054321 days"
/// is none, never a panic).
fn add_days(d: Date, n: i32) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

/// The latest `w` on or before `d` (`strict`: before).
fn last_weekday(d: Date, w: WeekdayName, strict: bool) -> Option<Date> {
    let start = if strict { 1 } else { 0 };
    (start..start + 7)
        .filter_map(|k| add_days(d, -k))
        .find(|x| weekday(*x) == w)
}

fn next_weekday(d: Date, w: WeekdayName) -> Option<Date> {
    (1..8)
        .filter_map(|k| add_days(d, k))
        .find(|x| weekday(*x) == w)
}

impl Calendar {
    /// Resolves what a date expression says against the article's date.
    pub fn resolve(&self, e: &DateExpr, article: Option<Date>) -> Resolved {
        let done = |d: Date, by| Resolved {
            value: Some(DateValue::from_date(d, e.weekday)),
            by,
            mismatch: e
                .weekday
                .filter(|w| *w != weekday(d))
                .map(|w| (w, weekday(d))),
        };
        if e.hijri {
            return self.resolve_hijri(e, article);
        }
        if e.period.is_some() || e.part.is_some() {
            return self.resolve_period(e, article);
        }
        if let (Some(y), Some(y2)) = (e.year, e.year_to) {
            if let (Ok(from), Ok(to)) = (Date::new(y, 1, 1), Date::new(y2, 12, 31)) {
                return Resolved {
                    value: Some(DateValue::Range { from, to }),
                    by: ResolvedBy::Absolute,
                    mismatch: None,
                };
            }
        }
        if let (Some(day), None, true) = (e.day, e.month, e.current_month) {
            // "20 من الشهر الجاري"
            return match article.and_then(|a| Date::new(a.year(), a.month(), day).ok()) {
                Some(d) => done(d, ResolvedBy::ArticleDate),
                None => unresolved(),
            };
        }
        if let (Some(day), Some(month)) = (e.day, e.month) {
            let (year, by) = match (e.year, article) {
                (Some(y), _) => (Some(y), ResolvedBy::Absolute),
                (None, Some(a)) if e.current_month => (Some(a.year()), ResolvedBy::ArticleDate),
                (None, Some(a)) if e.month_direction != 0 => (
                    Some(month_year(a, month, e.month_direction)),
                    ResolvedBy::ArticleDate,
                ),
                (None, Some(a)) => (nearest_year(a, month, day), ResolvedBy::ArticleDate),
                (None, None) => match (self.window_year(month, day, e.weekday), e.weekday) {
                    (Some(y), _) => (Some(y), ResolvedBy::Window),
                    (None, Some(w)) => match self.weekday_year(month, day, w) {
                        Some(y) => (Some(y), ResolvedBy::Weekday),
                        None => (None, ResolvedBy::Partial),
                    },
                    (None, None) => (None, ResolvedBy::Partial),
                },
            };
            if let (Some(to), Some(y)) = (e.day_to, year) {
                let to_month = e.month_to.unwrap_or(month);
                if let (Ok(from), Ok(to)) = (Date::new(y, month, day), Date::new(y, to_month, to)) {
                    return Resolved {
                        value: Some(DateValue::Range { from, to }),
                        by,
                        mismatch: None,
                    };
                }
            }
            return match year.and_then(|y| Date::new(y, month, day).ok()) {
                Some(d) => done(d, by),
                None if year.is_none() && valid_day(month, day) => Resolved {
                    value: Some(DateValue::Day {
                        year: None,
                        month,
                        day,
                        stated: e.weekday,
                    }),
                    by: ResolvedBy::Partial,
                    mismatch: None,
                },
                None => unresolved(),
            };
        }
        if let Some((a, b)) = e.span {
            let found = article.and_then(|d| Some((add_days(d, a)?, add_days(d, b)?)));
            return match found {
                Some((from, to)) if from == to => done(from, ResolvedBy::ArticleDate),
                Some((from, to)) => Resolved {
                    value: Some(DateValue::Range { from, to }),
                    by: ResolvedBy::ArticleDate,
                    mismatch: None,
                },
                None => unresolved(),
            };
        }
        if let Some(offset) = e.relative {
            return match article.and_then(|a| add_days(a, offset)) {
                Some(d) => done(d, ResolvedBy::ArticleDate),
                None => match e.weekday {
                    Some(w) => partial(DateValue::Weekday(w)),
                    None => unresolved(),
                },
            };
        }
        if let Some(w) = e.weekday {
            let found = article.and_then(|a| match e.direction {
                -2 => last_weekday(a, w, true).and_then(|d| add_days(d, -7)),
                -1 => last_weekday(a, w, true),
                1 => next_weekday(a, w),
                _ => last_weekday(a, w, false),
            });
            return match found {
                Some(d) => done(d, ResolvedBy::ArticleDate),
                None => partial(DateValue::Weekday(w)),
            };
        }
        if let Some(month) = e.month {
            let year = e.year.or(article.map(|a| match e.month_direction {
                0 if e.current_month => a.year(),
                0 => nearest_year(a, month, 15).unwrap_or(a.year()),
                dir => month_year(a, month, dir),
            }));
            return Resolved {
                value: Some(DateValue::Month { year, month }),
                by: if e.year.is_some() {
                    ResolvedBy::Absolute
                } else {
                    ResolvedBy::Partial
                },
                mismatch: None,
            };
        }
        if let Some(y) = e.year {
            return Resolved {
                value: Some(DateValue::Year(y)),
                by: ResolvedBy::Absolute,
                mismatch: None,
            };
        }
        unresolved()
    }

    /// A Hijri day, month (and year): converted to the Gregorian calendar.
    fn resolve_hijri(&self, e: &DateExpr, article: Option<Date>) -> Resolved {
        let (year, by) = match (e.year, article) {
            (Some(y), _) => (Some(i32::from(y)), ResolvedBy::Absolute),
            (None, Some(a)) => (hijri_year_of(a), ResolvedBy::ArticleDate),
            (None, None) => (None, ResolvedBy::Unresolved),
        };
        let (Some(y), Some(m)) = (year, e.month) else {
            return match e.year {
                // "عام 1443 هـ": the Gregorian days it covers
                Some(y) => match (
                    hijri_to_gregorian(i32::from(y), 1, 1),
                    hijri_to_gregorian(i32::from(y) + 1, 1, 1),
                ) {
                    (Some(from), Some(next)) => Resolved {
                        value: add_days(next, -1).map(|to| DateValue::Range { from, to }),
                        by: ResolvedBy::Absolute,
                        mismatch: None,
                    },
                    _ => unresolved(),
                },
                None => unresolved(),
            };
        };
        let m = m as u8;
        match e.day {
            Some(d) => {
                let from = hijri_to_gregorian(y, m, d as u8);
                let to = e.day_to.and_then(|t| hijri_to_gregorian(y, m, t as u8));
                match (from, to) {
                    (Some(from), Some(to)) => Resolved {
                        value: Some(DateValue::Range { from, to }),
                        by,
                        mismatch: None,
                    },
                    (Some(d), None) => {
                        let mut r = Resolved {
                            value: Some(DateValue::from_date(d, e.weekday)),
                            by,
                            mismatch: None,
                        };
                        r.mismatch = e
                            .weekday
                            .filter(|w| *w != weekday(d))
                            .map(|w| (w, weekday(d)));
                        r
                    }
                    _ => unresolved(),
                }
            }
            None => {
                let from = hijri_to_gregorian(y, m, 1);
                let next = if m == 12 {
                    hijri_to_gregorian(y + 1, 1, 1)
                } else {
                    hijri_to_gregorian(y, m + 1, 1)
                };
                match (from, next.and_then(|n| add_days(n, -1))) {
                    (Some(from), Some(to)) => Resolved {
                        value: Some(DateValue::Range { from, to }),
                        by,
                        mismatch: None,
                    },
                    _ => unresolved(),
                }
            }
        }
    }

    /// "الأسبوع الماضي", "العام الجاري", "مطلع العام", "أواخر آذار".
    fn resolve_period(&self, e: &DateExpr, article: Option<Date>) -> Resolved {
        // The whole period first.
        let whole: Option<(Date, Date)> = match (&e.period, e.month) {
            (Some((unit, dir)), _) => article.and_then(|a| period_bounds(a, unit, *dir)),
            (None, Some(m)) => {
                let year = e.year.or_else(|| {
                    article.map(|a| match e.month_direction {
                        0 => a.year(),
                        dir => month_year(a, m, dir),
                    })
                });
                year.and_then(|y| {
                    let first = Date::new(y, m, 1).ok()?;
                    Some((first, first.last_of_month()))
                })
            }
            (None, None) => e
                .year
                .and_then(|y| Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?))),
        };
        let Some((from, to)) = whole else {
            return unresolved();
        };
        let by = if article.is_some() && (e.period.is_some() || e.year.is_none()) {
            ResolvedBy::ArticleDate
        } else {
            ResolvedBy::Absolute
        };
        let (from, to) = match e.part.as_deref() {
            Some(part) => part_of(from, to, part),
            None => (from, to),
        };
        let value = match (&e.period, e.part.as_deref()) {
            (Some((unit, _)), None) if unit == "year" => DateValue::Year(from.year()),
            (Some((unit, _)), None) if unit == "month" => DateValue::Month {
                year: Some(from.year()),
                month: from.month(),
            },
            _ => DateValue::Range { from, to },
        };
        Resolved {
            value: Some(value),
            by,
            mismatch: None,
        }
    }

    /// The latest year (up to `latest_year`, at most 28 years back: the
    /// calendar repeats) in which month/day falls on weekday `w`.
    fn weekday_year(&self, month: i8, day: i8, w: WeekdayName) -> Option<i16> {
        let last = self.latest_year?;
        (last - 27..=last)
            .rev()
            .find(|y| Date::new(*y, month, day).is_ok_and(|d| weekday(d) == w))
    }

    /// The year in the story's window in which month/day falls, preferring
    /// the one whose weekday matches what the text says.
    fn window_year(&self, month: i8, day: i8, w: Option<WeekdayName>) -> Option<i16> {
        let (from, to) = self.window?;
        let years: Vec<i16> = (from.year()..=to.year())
            .filter(|y| {
                Date::new(*y, month, day)
                    .map(|d| d >= from && d <= to)
                    .unwrap_or(false)
            })
            .collect();
        let fits = |y: &i16| {
            Date::new(*y, month, day)
                .map(|d| Some(weekday(d)) == w)
                .unwrap_or(false)
        };
        years
            .iter()
            .find(|y| fits(y))
            .or(years.last())
            .copied()
            .or_else(|| {
                // Outside the window: the window's year closest to it.
                Some(to.year()).filter(|_| valid_day(month, day))
            })
    }
}

/// The year of the `month` before (`dir` -1) or after (+1) the article's
/// month: "يناير الماضي" written in January 2022 is January 2021.
fn month_year(a: Date, month: i8, dir: i8) -> i16 {
    match dir {
        d if d < 0 => {
            if month < a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
        _ => {
            if month > a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
    }
}

/// The first and last day of the week (Monday first), month or year of
/// `a`, shifted by `dir` of them.
fn period_bounds(a: Date, unit: &str, dir: i32) -> Option<(Date, Date)> {
    match unit {
        "week" => {
            let monday = add_days(a, -(i32::from(a.weekday().to_monday_zero_offset())))?;
            let from = add_days(monday, dir.checked_mul(7)?)?;
            Some((from, add_days(from, 6)?))
        }
        "month" => {
            let months = jiff::Span::new().try_months(dir).ok()?;
            let first = a.first_of_month().checked_add(months).ok()?;
            Some((first, first.last_of_month()))
        }
        _ => {
            let y = a.year().checked_add(i16::try_from(dir).ok()?)?;
            Some((Date::new(y, 1, 1).ok()?, Date::new(y, 12, 31).ok()?))
        }
    }
}

/// The start, middle or end third of a period (for a month: days 1–10,
/// 11–20, 21–end).
fn part_of(from: Date, to: Date, part: &str) -> (Date, Date) {
    let whole_year = from.month() == 1
        && from.day() == 1
        && to.month() == 12
        && to.day() == 31
        && from.year() == to.year();
    if whole_year {
        // a year's start and end are its first and last quarter
        let y = from.year();
        let d = |m, day| Date::new(y, m, day).unwrap_or(from);
        return match part {
            "start" => (from, d(3, 31)),
            "middle" => (d(4, 1), d(9, 30)),
            _ => (d(10, 1), to),
        };
    }
    let whole_month = from.day() == 1 && to == from.last_of_month();
    if whole_month {
        let d = |day| from.with().day(day).build().unwrap_or(from);
        return match part {
            "start" => (from, d(10)),
            "middle" => (d(11), d(20)),
            _ => (d(21), to),
        };
    }
    let len = to.since(from).map(|s| s.get_days()).unwrap_or(0) + 1;
    let third = (len / 3).max(1);
    let at = |k: i32| add_days(from, k).unwrap_or(from);
    match part {
        "start" => (from, at(third - 1)),
        "middle" => (at(third), at(2 * third - 1)),
        _ => (at(2 * third), to),
    }
}

fn valid_day(month: i8, day: i8) -> bool {
    Date::new(2000, month, day).is_ok()
}

fn partial(v: DateValue) -> Resolved {
    Resolved {
        value: Some(v),
        by: ResolvedBy::Partial,
        mismatch: None,
    }
}

fn unresolved() -> Resolved {
    Resolved {
        value: None,
        by: ResolvedBy::Unresolved,
        mismatch: None,
    }
}

/// The year that puts month/day closest to the article's date.
fn nearest_year(a: Date, month: i8, day: i8) -> Option<i16> {
    [a.year() - 1, a.year(), a.year() + 1]
        .into_iter()
        .filter_map(|y| Date::new(y, month, day).ok().map(|d| (y, d)))
        .min_by_key(|(_, d)| a.since(*d).map(|s| s.get_days().abs()).unwrap_or(i32::MAX))
        .map(|(y, _)| y)
}

/// A story window read off a corpus: the year most explicit full dates give
/// (the latest on a tie), as the whole of that year.
pub fn window_from_years(years: &[i16]) -> Option<(Date, Date)> {
    let mut counts = std::collections::BTreeMap::new();
    for y in years {
        *counts.entry(*y).or_insert(0usize) += 1;
    }
    let (year, _) = counts.into_iter().max_by_key(|(y, n)| (*n, *y))?;
    Some((Date::new(year, 1, 1).ok()?, Date::new(year, 12, 31).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shifts past what jiff can count give no day, never a panic.
    #[test]
    fn shifts_past_the_calendar_give_no_day() {
        let d = Date::new(2022, 1, 6).unwrap();
        for n in [i32::MAX, i32::MIN, 7_304_485, -7_304_485, 10_010_013] {
            assert_eq!(add_days(d, n), None, "{n}");
            for unit in ["week", "month", "year"] {
                assert_eq!(period_bounds(d, unit, n), None, "{unit} {n}");
            }
        }
        assert!(add_days(d, 7_000).is_some());
        assert!(period_bounds(d, "month", -1).is_some());
    }

    fn thu() -> WeekdayName {
        WeekdayName::from_name("thursday").unwrap()
    }

    #[test]
    fn relative_and_weekdays() {
        let cal = Calendar::default();
        let a = Date::new(2022, 1, 12).unwrap();
        let tomorrow = DateExpr {
            relative: Some(1),
            weekday: Some(thu()),
            ..DateExpr::default()
        };
        let r = cal.resolve(&tomorrow, Some(a));
        assert_eq!(r.value.unwrap().date(), Date::new(2022, 1, 13).ok());
        assert!(r.mismatch.is_none());
        let r = cal.resolve(&tomorrow, None);
        assert_eq!(r.value, Some(DateValue::Weekday(thu())));
        let bare = DateExpr {
            weekday: Some(thu()),
            ..DateExpr::default()
        };
        // news looks back: the Thursday before Wednesday the 12th
        let r = cal.resolve(&bare, Some(a));
        assert_eq!(r.value.unwrap().date(), Date::new(2022, 1, 6).ok());
    }

    #[test]
    fn weekday_mismatch_and_window() {
        let cal = Calendar {
            window: Some((
                Date::new(2022, 1, 1).unwrap(),
                Date::new(2022, 1, 31).unwrap(),
            )),
            latest_year: None,
        };
        let e = DateExpr {
            day: Some(14),
            month: Some(1),
            weekday: Some(thu()),
            ..DateExpr::default()
        };
        let r = cal.resolve(&e, None);
        assert_eq!(r.by, ResolvedBy::Window);
        assert_eq!(r.mismatch.map(|m| m.1.name()), Some("friday"));
        // Without a window, the weekday picks the year: Wednesday 12 January
        // was in 2022 (and in 2028, after the latest year).
        let cal = Calendar {
            window: None,
            latest_year: Some(2026),
        };
        let e = DateExpr {
            day: Some(12),
            month: Some(1),
            weekday: WeekdayName::from_name("wednesday"),
            ..DateExpr::default()
        };
        let r = cal.resolve(&e, None);
        assert_eq!(
            (r.value.unwrap().date(), r.by),
            (Date::new(2022, 1, 12).ok(), ResolvedBy::Weekday)
        );
        let d = Date::new(2021, 12, 30).unwrap();
        assert_eq!(nearest_year(d, 1, 2), Some(2022));
    }
}

/// The Hijri year (Umm al-Qura) a Gregorian day falls in.
pub fn hijri_year_of(d: Date) -> Option<i32> {
    use icu_calendar::cal::Hijri;
    let iso = icu_calendar::Date::try_new_iso(i32::from(d.year()), d.month() as u8, d.day() as u8)
        .ok()?;
    Some(
        iso.to_calendar(Hijri::new_umm_al_qura())
            .year()
            .extended_year(),
    )
}

/// The Gregorian date of a day of the Hijri calendar, by the Umm al-Qura
/// rules (the Saudi official calendar, the one Arabic news uses).
pub fn hijri_to_gregorian(year: i32, month: u8, day: u8) -> Option<Date> {
    use icu_calendar::cal::Hijri;
    let h =
        icu_calendar::Date::try_new_hijri_with_calendar(year, month, day, Hijri::new_umm_al_qura())
            .ok()?;
    let iso = h.to_calendar(icu_calendar::Iso);
    Date::new(
        i16::try_from(iso.year().extended_year()).ok()?,
        i8::try_from(iso.month().ordinal).ok()?,
        i8::try_from(iso.day_of_month().0).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod hijri_tests {
    #[test]
    fn umm_al_qura() {
        // 15 Ramadan 1443 was Saturday 16 April 2022; 1 Rajab 1443, 2 February 2022.
        assert_eq!(
            super::hijri_to_gregorian(1443, 9, 15),
            jiff::civil::Date::new(2022, 4, 16).ok()
        );
        assert_eq!(
            super::hijri_to_gregorian(1443, 7, 1),
            jiff::civil::Date::new(2022, 2, 2).ok()
        );
        assert_eq!(super::hijri_to_gregorian(1443, 13, 1), None);
    }
}
