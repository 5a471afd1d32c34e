//! Claims shards: the extract step of a run written out as JSON Lines, so
//! that a corpus too large for one machine can be read as a map over files
//! (`kzcheck extract --claims -o shard.jsonl FILES...` on each worker) and
//! compared in one place (`kzcheck compare SHARD...`), with the same report
//! as a single run.
//!
//! A shard's first line is a header: the format version, the rules it was
//! made with (claim rule ids and keys, entity ids) and the calendar its
//! dates were read on. Every other line is one article's `check::Part`.
//! `compare` refuses shards made with other rules or another calendar.
use crate::check::{ArticleInfo, Part};
use crate::claim::{CalendarMismatch, Claim, Evidence, Span, WeekdayMismatch};
use crate::compare::NameUse;
use crate::resolve::{Calendar, ResolvedBy};
use crate::rules::{Level, Rules};
use crate::value::{DateValue, End, Quantity, Said, Value, WeekdayName};
use crate::Shared;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use thin_vec::ThinVec;

/// The format of a shard's lines.
pub const FORMAT: u32 = 2;

/// A shard's first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub kzcheck_shard: u32,
    /// The kzcheck version that wrote it.
    pub version: String,
    /// `id=key` of every claim rule, in order.
    pub rules: Vec<String>,
    /// Every entity id, in order.
    pub entities: Vec<String>,
    /// The story window dates were read in, and the latest year.
    pub window: Option<(Date, Date)>,
    pub latest_year: Option<i16>,
}

impl Header {
    pub fn new(rules: &Rules, cal: &Calendar) -> Header {
        Header {
            kzcheck_shard: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            rules: rules
                .claims
                .iter()
                .map(|r| format!("{}={}", r.id, r.key))
                .collect(),
            entities: rules.entities.iter().map(|e| e.id.to_string()).collect(),
            window: cal.window,
            latest_year: cal.latest_year,
        }
    }
}

// Mirrors of the pipeline's types, so that a shard keeps everything the
// comparison needs (the JSON report leaves some of it out).

#[derive(Serialize, Deserialize)]
#[serde(remote = "WeekdayName")]
struct WeekdayNameDef(i8);

#[derive(Serialize, Deserialize)]
#[serde(remote = "DateValue")]
enum DateValueDef {
    Day {
        year: Option<i16>,
        month: i8,
        day: i8,
        #[serde(with = "opt_weekday")]
        stated: Option<WeekdayName>,
    },
    Weekday(#[serde(with = "WeekdayNameDef")] WeekdayName),
    Month {
        year: Option<i16>,
        month: i8,
    },
    Range {
        from: Date,
        to: Date,
    },
    Year(i16),
}

mod opt_weekday {
    use super::*;
    pub fn serialize<S: serde::Serializer>(
        w: &Option<WeekdayName>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        w.map(|w| w.0).serialize(s)
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<WeekdayName>, D::Error> {
        Ok(Option::<i8>::deserialize(d)?.map(WeekdayName))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Said")]
enum SaidDef {
    Exact(f64),
    AtLeast(f64),
    MoreThan(f64),
    AtMost(f64),
    LessThan(f64),
    Between(f64, f64),
    About(f64),
    Vague(String),
}

/// An interval end; infinity is written as null (JSON has no infinity).
#[derive(Serialize, Deserialize)]
#[serde(remote = "End")]
struct EndDef {
    #[serde(with = "finite")]
    value: f64,
    inclusive: bool,
}

mod finite {
    use serde::{Deserialize, Serialize};
    pub fn serialize<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            Some(*v).serialize(s)
        } else if *v > 0.0 {
            "inf".serialize(s)
        } else {
            "-inf".serialize(s)
        }
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum F {
        N(f64),
        S(String),
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        match F::deserialize(d)? {
            F::N(n) => Ok(n),
            F::S(s) if s == "inf" => Ok(f64::INFINITY),
            F::S(s) if s == "-inf" => Ok(f64::NEG_INFINITY),
            F::S(s) => Err(serde::de::Error::custom(format!("not a number: {s}"))),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Quantity")]
struct QuantityDef {
    #[serde(with = "SaidDef")]
    said: Said,
    #[serde(with = "EndDef")]
    lo: End,
    #[serde(with = "EndDef")]
    hi: End,
    percent: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Value")]
enum ValueDef {
    Date(#[serde(with = "DateValueDef")] DateValue),
    Quantity(#[serde(with = "QuantityDef")] Quantity),
    Set(Vec<Shared>),
    Statement(Shared),
    Quote(Shared),
    Duration(String),
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Span")]
struct SpanDef {
    start: u32,
    end: u32,
    line: u32,
    column: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Evidence")]
struct EvidenceDef {
    article: Shared,
    text: Shared,
    #[serde(with = "SpanDef")]
    span: Span,
}

#[derive(Serialize, Deserialize)]
struct EvidenceRepr(#[serde(with = "EvidenceDef")] Evidence);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Claim")]
struct ClaimDef {
    id: Shared,
    article: Shared,
    key: Shared,
    subject: Option<Shared>,
    #[serde(with = "ValueDef")]
    value: Value,
    text: Shared,
    #[serde(with = "SpanDef")]
    span: Span,
    speaker: Option<Shared>,
    as_of: Option<Shared>,
    rule: Shared,
    qualifiers: crate::claim::Qualifiers,
    #[serde(with = "evidence_list")]
    anchors: ThinVec<Evidence>,
    sentence: Range<u32>,
    grows: bool,
    level: Level,
}

mod evidence_list {
    use super::*;
    pub fn serialize<S: serde::Serializer>(v: &[Evidence], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|e| EvidenceRepr(e.clone())))
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<ThinVec<Evidence>, D::Error> {
        Ok(Vec::<EvidenceRepr>::deserialize(d)?
            .into_iter()
            .map(|e| e.0)
            .collect())
    }
}

#[derive(Serialize, Deserialize)]
struct ClaimRepr(#[serde(with = "ClaimDef")] Claim);

#[derive(Serialize, Deserialize)]
#[serde(remote = "ResolvedBy", rename_all = "snake_case")]
enum ResolvedByDef {
    Absolute,
    ArticleDate,
    Window,
    Weekday,
    Partial,
    Today,
    Unresolved,
}

#[derive(Serialize, Deserialize)]
struct MismatchRepr {
    #[serde(with = "EvidenceDef")]
    evidence: Evidence,
    #[serde(with = "DateValueDef")]
    date: DateValue,
    said: String,
    actual: String,
    #[serde(with = "ResolvedByDef")]
    by: ResolvedBy,
}

#[derive(Serialize, Deserialize)]
struct CalendarRepr {
    #[serde(with = "EvidenceDef")]
    hijri: Evidence,
    #[serde(with = "EvidenceDef")]
    gregorian: Evidence,
    hijri_is: Date,
    gregorian_is: Date,
}

#[derive(Serialize, Deserialize)]
struct NameRepr {
    /// The entity's id (indexes differ between rule sets).
    entity: String,
    #[serde(with = "EvidenceDef")]
    evidence: Evidence,
    variant_of: Option<String>,
}

/// One article's line.
#[derive(Serialize, Deserialize)]
struct PartRepr {
    info: ArticleInfo,
    claims: Vec<ClaimRepr>,
    mismatches: Vec<MismatchRepr>,
    calendar: Vec<CalendarRepr>,
    names: Vec<NameRepr>,
    runs: Vec<u32>,
}

/// One article's part as a line of JSON (without the newline). Fails only
/// if its wire-copy runs were handed to a spill and cannot be read back.
pub fn to_line(part: &Part, rules: &Rules) -> std::io::Result<String> {
    let repr = PartRepr {
        info: part.info.clone(),
        claims: part
            .claims
            .iter()
            .map(|c| ClaimRepr((**c).clone()))
            .collect(),
        mismatches: part
            .mismatches
            .iter()
            .map(|m| MismatchRepr {
                evidence: m.evidence.clone(),
                date: m.date.clone(),
                said: m.said.clone(),
                actual: m.actual.clone(),
                by: m.by,
            })
            .collect(),
        calendar: part
            .calendar
            .iter()
            .map(|c| CalendarRepr {
                hijri: c.hijri.clone(),
                gregorian: c.gregorian.clone(),
                hijri_is: c.hijri_is,
                gregorian_is: c.gregorian_is,
            })
            .collect(),
        names: part
            .names
            .iter()
            .map(|n| NameRepr {
                entity: rules.entities[n.entity as usize].id.to_string(),
                evidence: n.evidence(&part.info.id),
                variant_of: n.variant_of.as_deref().map(String::from),
            })
            .collect(),
        runs: part.runs.hashes()?,
    };
    Ok(serde_json::to_string(&repr).unwrap_or_default())
}

/// A shard that cannot be used, with the line it went wrong on.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}:{line}: {message}")]
#[diagnostic(
    code(kzcheck::shard),
    help("shards are written by `kzcheck extract --claims -o FILE`, all with the same rules and calendar")
)]
pub struct ShardError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// Reads one shard's text: its header and its articles' parts.
pub fn read(path: &str, text: &str, rules: &Rules) -> Result<(Header, Vec<Part>), ShardError> {
    let err = |line: usize, message: String| ShardError {
        path: path.to_string(),
        line,
        message,
    };
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines
        .next()
        .ok_or_else(|| err(1, "an empty file, not a claims shard".into()))?;
    let header: Header = serde_json::from_str(first)
        .map_err(|e| err(1, format!("not a claims shard header: {e}")))?;
    if header.kzcheck_shard != FORMAT {
        return Err(err(
            1,
            format!(
                "shard format {} (this kzcheck reads {FORMAT})",
                header.kzcheck_shard
            ),
        ));
    }
    let mine = Header::new(rules, &Calendar::default());
    if header.rules != mine.rules || header.entities != mine.entities {
        return Err(err(
            1,
            "made with other rules than these (claim rules or entities differ)".into(),
        ));
    }
    let entity: std::collections::HashMap<&str, usize> = rules
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_ref(), i))
        .collect();
    let spellings = crate::Interner::default();
    let mut parts = Vec::new();
    for (i, line) in lines {
        let repr: PartRepr = serde_json::from_str(line)
            .map_err(|e| err(i + 1, format!("not an article's claims: {e}")))?;
        let mut names = Vec::with_capacity(repr.names.len());
        for n in repr.names {
            let Some(&e) = entity.get(n.entity.as_str()) else {
                return Err(err(i + 1, format!("unknown entity `{}`", n.entity)));
            };
            names.push(NameUse {
                entity: e as u32,
                text: spellings.get(&n.evidence.text),
                span: n.evidence.span,
                variant_of: n.variant_of.map(|v| spellings.get(&v)),
            });
        }
        parts.push(Part {
            info: repr.info,
            claims: crate::check::boxed(repr.claims.into_iter().map(|c| c.0)),
            mismatches: repr
                .mismatches
                .into_iter()
                .map(|m| WeekdayMismatch {
                    evidence: m.evidence,
                    date: m.date,
                    said: m.said,
                    actual: m.actual,
                    by: m.by,
                })
                .collect(),
            calendar: repr
                .calendar
                .into_iter()
                .map(|c| CalendarMismatch {
                    hijri: c.hijri,
                    gregorian: c.gregorian,
                    hijri_is: c.hijri_is,
                    gregorian_is: c.gregorian_is,
                })
                .collect(),
            names,
            runs: crate::copy::Runs::Kept(repr.runs),
        });
    }
    Ok((header, parts))
}
