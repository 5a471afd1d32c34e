//! Claims: the unit that is compared. A claim is a rule match (or a quote)
//! with its value read and resolved, its subject and speaker named, when it
//! was true or said, and its evidence as exact spans of the original file.
use crate::extract::{Doc, Extracted};
use crate::load::Article;
use crate::resolve::{ArticleDate, Calendar, ResolvedBy};
use crate::rules::{Level, Rules, SubjectSpec, ValueKind};
use crate::value::{DateValue, Value};
use crate::Shared;
use jiff::civil::Date;
use serde::Serialize;
use std::ops::Range;
use thin_vec::ThinVec;

/// A byte range of the original file, with the line and column it starts at
/// (1-based; the column counts characters). 32 bits each: articles are
/// refused long before 4 GiB, and a large corpus holds millions of spans.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub fn new(text: &str, range: Range<usize>) -> Span {
        let start = range.start.min(text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        Span::placed(text, range, line, line_start)
    }

    /// `Span::new`, with the places where `text`'s lines start (as
    /// `line_starts` gives them) worked out once for many spans.
    pub fn in_lines(text: &str, starts: &[usize], range: Range<usize>) -> Span {
        let start = range.start.min(text.len());
        // The lines starting at or before `start`: the first starts at 0.
        let line = starts.partition_point(|&s| s <= start).max(1);
        let line_start = starts.get(line - 1).copied().unwrap_or(0);
        Span::placed(text, range, line, line_start)
    }

    /// The span of `range` (kept within `text`), on line `line`, which
    /// starts at byte `line_start`; its column counted in characters.
    fn placed(text: &str, range: Range<usize>, line: usize, line_start: usize) -> Span {
        let start = range.start.min(text.len());
        let end = range.end.clamp(start, text.len());
        let column = text[line_start..start].chars().count() + 1;
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: small(start),
            end: small(end),
            line: small(line),
            column: small(column),
        }
    }

    /// Where the lines of `text` start: 0, and after every '\n'.
    pub fn line_starts(text: &str) -> Vec<usize> {
        std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect()
    }

    /// The bytes it covers, to slice the file with.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Words of an article that a claim or finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub article: Shared,
    pub text: Shared,
    pub span: Span,
}

impl Evidence {
    /// Evidence for a normalized range of an article's body.
    pub fn from_norm(article: &Article, doc: &Doc, range: Range<usize>) -> Evidence {
        let (words, span) = Evidence::words(article, doc, range);
        Evidence {
            article: article.id.clone(),
            text: words.into(),
            span,
        }
    }

    /// `from_norm`, with its words kept once in `kept` (the same words in
    /// many articles share one string).
    pub fn from_norm_in(
        article: &Article,
        doc: &Doc,
        range: Range<usize>,
        kept: &crate::Interner,
    ) -> Evidence {
        let (words, span) = Evidence::words(article, doc, range);
        Evidence {
            article: article.id.clone(),
            text: kept.get(words),
            span,
        }
    }

    /// The original words of a normalized range, and their span.
    fn words<'a>(article: &'a Article, doc: &Doc, range: Range<usize>) -> (&'a str, Span) {
        let orig = doc.norm.original_range(range);
        let start = article.body.start + orig.start;
        let end = article.body.start + orig.end;
        let starts = doc
            .line_starts
            .get_or_init(|| Span::line_starts(&article.text));
        (
            article.text.get(start..end).unwrap_or(""),
            Span::in_lines(&article.text, starts, start..end),
        )
    }
}

/// A claim, ready to compare.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub id: Shared,
    pub article: Shared,
    pub key: Shared,
    pub subject: Option<Shared>,
    pub value: Value,
    pub text: Shared,
    pub span: Span,
    pub speaker: Option<Shared>,
    pub as_of: Option<Shared>,
    pub rule: Shared,
    /// What else a claim must share to be compared (`place`, `speaker`),
    /// as the rule declares.
    #[serde(skip_serializing_if = "Qualifiers::is_empty")]
    pub qualifiers: Qualifiers,
    /// Other words the value rests on (the dateline a relative date was
    /// read against).
    /// (A thin list: 8 bytes in each of a million claims, most of which
    /// have none.)
    #[serde(skip_serializing_if = "ThinVec::is_empty")]
    pub anchors: ThinVec<Evidence>,
    /// The sentence the claim stands in (original range, as
    /// `sentence_range` gives it), for display.
    #[serde(skip)]
    pub sentence: Range<u32>,
    #[serde(skip)]
    pub grows: bool,
    #[serde(skip)]
    pub level: Level,
}

impl Claim {
    /// The sentence the claim stands in, as a byte range of its file.
    pub fn sentence_range(&self) -> Range<usize> {
        self.sentence.start as usize..self.sentence.end as usize
    }
}

/// A claim's qualifiers (`place: almaty`), sorted by name, each named once;
/// written as a map. A plain list: most claims have none and the rest one
/// or two, and a map would allocate a whole node for each; a thin one, as
/// it is empty in most claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Qualifiers(ThinVec<(Shared, Shared)>);

impl Qualifiers {
    /// Sets `name` to `value`, replacing what it was.
    pub fn insert(&mut self, name: Shared, value: Shared) {
        match self.0.binary_search_by(|(n, _)| n.cmp(&name)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (&**n, &**v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Qualifiers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Qualifiers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<Shared, Shared>::deserialize(d)?;
        Ok(Qualifiers(map.into_iter().collect()))
    }
}

/// A weekday that is not the weekday of the date beside it.
#[derive(Debug, Clone)]
pub struct WeekdayMismatch {
    pub evidence: Evidence,
    pub date: DateValue,
    pub said: String,
    pub actual: String,
    pub by: ResolvedBy,
}

/// The claims of one article, and the date problems found on the way.
#[derive(Debug, Default)]
pub struct ArticleClaims {
    pub claims: Vec<Claim>,
    pub mismatches: Vec<WeekdayMismatch>,
    pub calendar_mismatches: Vec<CalendarMismatch>,
}

/// A Hijri date and the Gregorian date given as the same day ("… هـ
/// الموافق …") that are not the same day.
#[derive(Debug, Clone)]
pub struct CalendarMismatch {
    pub hijri: Evidence,
    pub gregorian: Evidence,
    /// The Gregorian day the Hijri date is, and the one the text gives.
    pub hijri_is: Date,
    pub gregorian_is: Date,
}

/// Builds the claims of one article. Their words and quotes are taken
/// from `kept`, so that words many articles share are kept once.
pub fn claims(
    rules: &Rules,
    article: &Article,
    doc: &Doc,
    ex: &Extracted,
    date: Option<&ArticleDate>,
    cal: &Calendar,
    kept: &crate::Interner,
) -> ArticleClaims {
    let mut out = ArticleClaims::default();
    let text = &doc.norm.text;
    let adate = date.map(|d| d.date);
    let anchor = date.and_then(|d| d.anchor.clone());
    let dateline = date.and_then(|d| d.dateline.clone());
    let entity_id = |i: usize| rules.entities.get(i).map(|e| e.id.clone());
    let sentence_span = |si: usize| {
        let r = doc.norm.original_range(doc.sentences[si].range.clone());
        let at = |i: usize| u32::try_from(article.body.start + i).unwrap_or(u32::MAX);
        at(r.start)..at(r.end)
    };

    // The days claims were true on, each written once per article.
    // What a claim's place or speaker is when the sentence names none.
    // (Static strings: no allocation, however many claims name them.)
    let (nationwide, unnamed) = (arcstr::literal!("nationwide"), arcstr::literal!("unnamed"));
    let mut days: Vec<(Date, Shared)> = Vec::new();
    let mut day_name = |d: Date| -> Shared {
        match days.iter().find(|(x, _)| *x == d) {
            Some((_, s)) => s.clone(),
            None => {
                let s: Shared = d.to_string().into();
                days.push((d, s.clone()));
                s
            }
        }
    };
    // When each sentence was said: a day it names, else the article's date.
    let as_of_sentence = |si: usize| -> Option<Date> {
        ex.dates
            .iter()
            .filter(|d| d.sentence == si)
            .filter_map(|d| cal.resolve(&d.expr, adate).value.and_then(|v| v.date()))
            .next()
            .or(adate)
    };

    for d in &ex.dates {
        // The dateline is checked on its own, not against itself.
        let against = if Some(&d.range) == dateline.as_ref() {
            None
        } else {
            adate
        };
        let r = cal.resolve(&d.expr, against);
        if let (Some((said, actual)), Some(v)) = (r.mismatch, r.value.clone()) {
            out.mismatches.push(WeekdayMismatch {
                evidence: Evidence::from_norm(article, doc, d.range.clone()),
                date: v,
                said: said.name().into(),
                actual: actual.name().into(),
                by: r.by,
            });
        }
    }

    // "9 جمادى الآخرة 1443 هـ الموافق 12 يناير 2022": both must be one day.
    let is_link = |gap: &str| {
        let g = gap
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '،' | ',' | '(' | ')' | '-'));
        g.is_empty() || rules.lexicon.date_link.iter().any(|l| l == g)
    };
    for pair in ex.dates.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.sentence != b.sentence || a.expr.hijri == b.expr.hijri || a.range.end > b.range.start {
            continue;
        }
        if !is_link(&text[a.range.end..b.range.start]) {
            continue;
        }
        let day = |e| cal.resolve(e, adate).value.and_then(|v| v.date());
        if let (Some(da), Some(db)) = (day(&a.expr), day(&b.expr)) {
            if da != db {
                let (h, g, hd, gd) = if a.expr.hijri {
                    (a, b, da, db)
                } else {
                    (b, a, db, da)
                };
                out.calendar_mismatches.push(CalendarMismatch {
                    hijri: Evidence::from_norm(article, doc, h.range.clone()),
                    gregorian: Evidence::from_norm(article, doc, g.range.clone()),
                    hijri_is: hd,
                    gregorian_is: gd,
                });
            }
        }
    }

    for m in &ex.matches {
        let rule = &rules.claims[m.rule];
        let words = &text[m.value.clone()];
        let mut anchors = ThinVec::new();
        let value = match rule.value {
            ValueKind::Count => rules.grammar.parse_quantity(words).map(Value::Quantity),
            ValueKind::Date => {
                let expr = rules.grammar.parse_date(words);
                // A relative date is read against the day it was said when
                // the sentence names one ("وقال، الثلاثاء، إن … في غضون
                // يومين"), else against the article's date.
                let relative = expr.relative.is_some()
                    || expr.span.is_some()
                    || expr.period.is_some()
                    || (expr.weekday.is_some() && expr.day.is_none());
                let said_on = ex
                    .dates
                    .iter()
                    .filter(|_| relative)
                    .filter(|d| d.sentence == m.sentence)
                    .filter(|d| d.range.end <= m.value.start || d.range.start >= m.value.end)
                    .filter(|d| Some(&d.range) != dateline.as_ref())
                    .find_map(|d| {
                        let day = cal.resolve(&d.expr, adate).value.and_then(|v| v.date())?;
                        Some((day, d.range.clone()))
                    });
                let r = cal.resolve(&expr, said_on.as_ref().map(|s| s.0).or(adate));
                if r.by == ResolvedBy::ArticleDate {
                    match &said_on {
                        Some((_, range)) => {
                            anchors.push(Evidence::from_norm(article, doc, range.clone()))
                        }
                        None => anchors.extend(anchor.clone()),
                    }
                }
                r.value.map(Value::Date)
            }
            ValueKind::Set => {
                let kind = rule.entity_kind.as_deref();
                let mut ids: Vec<Shared> = ex
                    .entities
                    .iter()
                    .filter(|e| {
                        e.sentence == m.sentence
                            && e.range.start >= m.value.start
                            && e.range.end <= m.value.end
                    })
                    .filter(|e| kind.is_none_or(|k| rules.entities[e.entity].kind == k))
                    .filter_map(|e| entity_id(e.entity))
                    .collect();
                ids.sort();
                ids.dedup();
                ids.shrink_to_fit();
                (!ids.is_empty()).then_some(Value::Set(ids))
            }
            ValueKind::Statement => rule.label.clone().map(Value::Statement),
        };
        let Some(value) = value else { continue };
        let subject = match &rule.subject {
            SubjectSpec::None => None,
            SubjectSpec::Entity(id) => Some(id.clone()),
            SubjectSpec::Capture => m.subject.and_then(entity_id),
            SubjectSpec::Speaker => m.speaker.and_then(entity_id),
        };
        let ev = Evidence::from_norm_in(article, doc, m.range.clone(), kept);
        let mut qualifiers = Qualifiers::default();
        for q in &rule.qualifiers {
            let v = match &**q {
                // the city or place the sentence names; none is nationwide
                "place" => ex
                    .entities
                    .iter()
                    .filter(|e| e.sentence == m.sentence)
                    .find(|e| matches!(rules.entities[e.entity].kind.as_str(), "city" | "place"))
                    .and_then(|e| entity_id(e.entity))
                    .unwrap_or_else(|| nationwide.clone()),
                _ => m
                    .speaker
                    .and_then(entity_id)
                    .unwrap_or_else(|| unnamed.clone()),
            };
            qualifiers.insert(q.clone(), v);
        }
        out.claims.push(Claim {
            id: format!("{}@{}", article.id, ev.span.start).into(),
            article: article.id.clone(),
            key: rule.key.clone(),
            subject,
            value,
            text: ev.text,
            span: ev.span,
            speaker: m.speaker.and_then(entity_id),
            as_of: as_of_sentence(m.sentence).map(&mut day_name),
            rule: rule.id.clone(),
            qualifiers,
            anchors,
            sentence: sentence_span(m.sentence),
            grows: rule.grows,
            level: rule.level,
        });
    }

    for q in &ex.quotes {
        let words = text[q.inner.clone()].split_whitespace().collect::<Vec<_>>();
        if words.len() < 3 || q.is_name {
            continue;
        }
        let ev = Evidence::from_norm_in(article, doc, q.inner.clone(), kept);
        let speaker = q.speaker.and_then(entity_id);
        out.claims.push(Claim {
            id: format!("{}@{}", article.id, ev.span.start).into(),
            article: article.id.clone(),
            key: arcstr::literal!("quote"),
            subject: speaker.clone(),
            value: Value::Quote(kept.get(&words.join(" "))),
            text: ev.text,
            span: ev.span,
            speaker,
            as_of: as_of_sentence(q.sentence).map(&mut day_name),
            rule: arcstr::literal!("quote"),
            qualifiers: Default::default(),
            anchors: ThinVec::new(),
            sentence: sentence_span(q.sentence),
            grows: false,
            level: Level::Info,
        });
    }
    out.claims
        .sort_by(|a, b| a.span.start.cmp(&b.span.start).then(a.key.cmp(&b.key)));
    out.claims.dedup_by(|a, b| a.id == b.id && a.key == b.key);
    // Two rules may claim the same words: keep ids unique.
    let mut seen = rustc_hash::FxHashMap::default();
    for c in &mut out.claims {
        let n = seen.entry(c.id.clone()).or_insert(0usize);
        if *n > 0 {
            c.id = format!("{}.{}", c.id, n).into();
        }
        *n += 1;
    }
    out
}
