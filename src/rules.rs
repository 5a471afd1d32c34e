//! Loading and validating the YAML rules: the lexicon (the language), the
//! entities and claim rules (the story), and the story's settings.
//!
//! A rules folder holds `lexicon.yaml`, `entities.yaml`, `story.yaml` and
//! `claims/*.yaml`. Every entry is normalized like article text when loaded.
//! Everything is checked before any article is read: unknown keys, missing
//! fields, bad regexes, unknown macros or entities and duplicate ids are
//! collected, all of them, as diagnostics that point into the YAML file.
use crate::grammar::{alternation, Grammar};
use crate::normalize::fold;
use crate::value::WeekdayName;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceOffset, SourceSpan};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

/// The rules built into the binary (a copy of `rules/` at build time).
const BUILTIN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// One YAML file of rules: where it came from and its text.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Path relative to the rules folder, with '/' separators.
    pub name: String,
    /// The path shown to a person.
    pub display: String,
    pub text: String,
}

/// A problem in a rules file, pointing at the line it is on.
#[derive(Debug)]
pub struct RuleError {
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    pub src: NamedSource<String>,
    pub span: SourceSpan,
    pub file: String,
    pub line: usize,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for RuleError {}

impl Diagnostic for RuleError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

/// Every problem found in a rules folder.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the rules have {} error(s); no article was checked", errors.len())]
#[diagnostic(
    code(kzcheck::rules::invalid),
    help("fix the rules, then run `kzcheck rules test` to check their examples")
)]
pub struct RulesError {
    #[related]
    pub errors: Vec<RuleError>,
}

fn problem(
    file: &RuleFile,
    offset: usize,
    len: usize,
    code: &'static str,
    message: impl Into<String>,
    label: impl Into<String>,
    help: Option<String>,
) -> RuleError {
    let offset = offset.min(file.text.len());
    let len = len.min(file.text.len() - offset);
    let line = file.text[..offset].matches('\n').count() + 1;
    RuleError {
        code,
        message: message.into(),
        label: label.into(),
        help,
        src: NamedSource::new(&file.display, file.text.clone()),
        span: SourceSpan::new(offset.into(), len),
        file: file.display.clone(),
        line,
    }
}

/// Where `needle` stands in the file, searched after `after` (falls back to
/// the start of the file). Used to point at a value serde does not locate.
fn locate(text: &str, needle: &str, after: usize) -> (usize, usize) {
    let after = after.min(text.len());
    if needle.is_empty() {
        return (after, 0);
    }
    let escaped = needle.replace('\\', "\\\\");
    for n in [needle, escaped.as_str()] {
        if let Some(i) = find_outside_comments(text, n, after) {
            return (i, n.len());
        }
    }
    match find_outside_comments(text, needle, 0) {
        Some(i) => (i, needle.len()),
        None => (after, 0),
    }
}

/// The first `needle` at or after `from` that is not inside a YAML comment.
fn find_outside_comments(text: &str, needle: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = text.get(pos..)?.find(needle) {
        let at = pos + i;
        let line_start = text[..at].rfind('\n').map(|k| k + 1).unwrap_or(0);
        let before = &text[line_start..at];
        let in_comment = before.trim_start().starts_with('#') || before.contains(" #");
        if !in_comment {
            return Some(at);
        }
        pos = at + needle.len();
    }
    None
}

/// Where the value of `key: value` stands (a YAML line, not a comment),
/// searched from `after`; falls back to `locate(value)`.
fn locate_value(text: &str, key: &str, value: &str, after: usize) -> (usize, usize) {
    let mut line_start = after.min(text.len());
    // back up to the start of the line
    line_start = text[..line_start].rfind('\n').map(|k| k + 1).unwrap_or(0);
    for line in text[line_start..].split_inclusive('\n') {
        let body = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(rest) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let v = rest.trim().trim_matches(|c| c == '\'' || c == '"');
            let v = v.split(" #").next().unwrap_or(v).trim();
            if v == value {
                let col = line.find(value).unwrap_or(0);
                return (line_start + col, value.len());
            }
        }
        line_start += line.len();
    }
    locate(text, value, after)
}

fn yaml_error(file: &RuleFile, e: &serde_yaml::Error) -> RuleError {
    let (offset, len) = match e.location() {
        Some(loc) => {
            let off = SourceOffset::from_location(&file.text, loc.line(), loc.column()).offset();
            (off, 1)
        }
        None => (0, 0),
    };
    let msg = e.to_string();
    let (code, help) = if msg.contains("unknown field") {
        (
            "kzcheck::rules::unknown_key",
            "remove the key or check its spelling; `kzcheck rules explain` shows the format",
        )
    } else if msg.contains("missing field") {
        ("kzcheck::rules::missing_field", "add the missing field")
    } else {
        (
            "kzcheck::rules::yaml",
            "check the YAML syntax and the type of the value",
        )
    };
    let short = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let label = match code {
        "kzcheck::rules::unknown_key" => "unknown key",
        "kzcheck::rules::missing_field" => "missing a field",
        _ => short.rsplit(": ").next().unwrap_or("here"),
    }
    .to_string();
    problem(
        file,
        offset,
        len,
        code,
        short.clone(),
        label,
        Some(help.into()),
    )
}

// ---------------------------------------------------------------- lexicon

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    months: BTreeMap<i8, Vec<String>>,
    weekdays: BTreeMap<String, Vec<String>>,
    relative_days: Vec<RawRelative>,
    durations: BTreeMap<String, RawDuration>,
    #[serde(default)]
    hijri_months: BTreeMap<i8, Vec<String>>,
    #[serde(default)]
    hijri_era: Vec<String>,
    #[serde(default)]
    gregorian_era: Vec<String>,
    #[serde(default)]
    date_link: Vec<String>,
    #[serde(default)]
    ambiguous_months: Vec<String>,
    #[serde(default)]
    month_prepositions: Vec<String>,
    #[serde(default)]
    periods: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    period_parts: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    range_from: Vec<String>,
    #[serde(default)]
    range_to: Vec<String>,
    #[serde(default)]
    counted_duals: Vec<String>,
    #[serde(default)]
    duration_for: Vec<String>,
    duration_within: Vec<String>,
    duration_after: Vec<String>,
    duration_before: Vec<String>,
    weekday_past: Vec<String>,
    weekday_next: Vec<String>,
    current_month: Vec<String>,
    year_words: Vec<String>,
    ordinal_days: BTreeMap<String, i8>,
    number_words: BTreeMap<String, f64>,
    multipliers: BTreeMap<String, f64>,
    #[serde(default)]
    fractions: BTreeMap<String, f64>,
    vague: BTreeMap<String, RawVague>,
    bounds: Bounds,
    about_tolerance: f64,
    percent_words: Vec<String>,
    speech_verbs: Vec<String>,
    #[serde(default)]
    speech_participles: Vec<String>,
    continuation_verbs: Vec<String>,
    source_phrases: Vec<String>,
    boilerplate: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelative {
    words: Vec<String>,
    offset: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuration {
    days: f64,
    words: Vec<String>,
    #[serde(default)]
    plural: Vec<String>,
    #[serde(default)]
    dual: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVague {
    words: Vec<String>,
    min: f64,
    max: f64,
}

/// Words that turn a number into a bound, by kind.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub more_than: Vec<String>,
    pub at_least: Vec<String>,
    pub less_than: Vec<String>,
    pub at_most: Vec<String>,
    pub about: Vec<String>,
    pub between: Vec<String>,
}

/// A word for a span of time: "أسبوعين" is 2 of `week`, 14 days.
#[derive(Debug, Clone)]
pub struct DurationWord {
    pub word: String,
    pub unit: String,
    pub days: f64,
    pub count: f64,
}

/// A vague quantity word and the range it stands for.
#[derive(Debug, Clone)]
pub struct VagueClass {
    pub name: String,
    pub words: Vec<String>,
    pub min: f64,
    pub max: f64,
}

/// The language: every word list normalized.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub months: Vec<(String, i8)>,
    pub weekdays: Vec<(String, WeekdayName)>,
    pub relative_days: Vec<(String, i32)>,
    /// Words for a unit of time and its length in days (duals count two).
    pub duration_units: Vec<(String, f64)>,
    /// The same, with the unit's name (`day`, `week`, …) and how many of
    /// it the word counts (2 for a dual, 0 for a plural: "أيام" alone is no
    /// amount).
    pub duration_words: Vec<DurationWord>,
    pub hijri_months: Vec<(String, i8)>,
    pub hijri_era: Vec<String>,
    pub gregorian_era: Vec<String>,
    pub date_link: Vec<String>,
    pub ambiguous_months: Vec<String>,
    pub month_prepositions: Vec<String>,
    /// Period words by unit: `week`, `month`, `year`.
    pub periods: Vec<(String, String)>,
    /// Period parts by kind: `start`, `middle`, `end`.
    pub period_parts: Vec<(String, String)>,
    pub range_from: Vec<String>,
    pub range_to: Vec<String>,
    pub counted_duals: Vec<String>,
    pub duration_for: Vec<String>,
    pub duration_within: Vec<String>,
    pub duration_after: Vec<String>,
    pub duration_before: Vec<String>,
    pub weekday_past: Vec<String>,
    pub weekday_next: Vec<String>,
    pub current_month: Vec<String>,
    pub year_words: Vec<String>,
    pub ordinal_days: Vec<(String, i8)>,
    pub number_words: Vec<(String, f64)>,
    pub multipliers: Vec<(String, f64)>,
    pub fractions: Vec<(String, f64)>,
    pub vague: Vec<VagueClass>,
    pub bounds: Bounds,
    pub about_tolerance: f64,
    pub percent_words: Vec<String>,
    pub speech_verbs: Vec<String>,
    pub speech_participles: Vec<String>,
    pub continuation_verbs: Vec<String>,
    pub source_phrases: Vec<String>,
    pub boilerplate: Vec<String>,
}

fn folds(v: &[String]) -> Vec<String> {
    v.iter().map(|s| fold(s.trim())).collect()
}

fn build_lexicon(file: &RuleFile, errors: &mut Vec<RuleError>) -> Option<Lexicon> {
    let raw: RawLexicon = match serde_yaml::from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(yaml_error(file, &e));
            return None;
        }
    };
    let mut weekdays = Vec::new();
    for (name, words) in &raw.weekdays {
        match WeekdayName::from_name(name) {
            Some(w) => weekdays.extend(folds(words).into_iter().map(|s| (s, w))),
            None => {
                let (o, l) = locate(&file.text, name, 0);
                errors.push(problem(
                    file,
                    o,
                    l,
                    "kzcheck::rules::bad_value",
                    format!("`{name}` is not a weekday"),
                    "not a weekday",
                    Some("use monday … sunday".into()),
                ));
            }
        }
    }
    for (m, words) in &raw.months {
        if !(1..=12).contains(m) {
            let (o, l) = locate(&file.text, &words.first().cloned().unwrap_or_default(), 0);
            errors.push(problem(
                file,
                o,
                l,
                "kzcheck::rules::bad_value",
                format!("month {m} does not exist"),
                "month out of range",
                Some("months are numbered 1 to 12".into()),
            ));
        }
    }
    let b = &raw.bounds;
    Some(Lexicon {
        months: raw
            .months
            .iter()
            .flat_map(|(m, ws)| folds(ws).into_iter().map(move |w| (w, *m)))
            .collect(),
        weekdays,
        relative_days: raw
            .relative_days
            .iter()
            .flat_map(|r| folds(&r.words).into_iter().map(move |w| (w, r.offset)))
            .collect(),
        duration_units: raw
            .durations
            .values()
            .flat_map(|d| {
                let one = folds(&d.words)
                    .into_iter()
                    .chain(folds(&d.plural))
                    .map(move |w| (w, d.days));
                let two = folds(&d.dual).into_iter().map(move |w| (w, 2.0 * d.days));
                one.chain(two)
            })
            .collect(),
        duration_words: raw
            .durations
            .iter()
            .flat_map(|(unit, d)| {
                let one = folds(&d.words).into_iter().map(move |w| DurationWord {
                    word: w,
                    unit: unit.clone(),
                    days: d.days,
                    count: 1.0,
                });
                let two = folds(&d.dual).into_iter().map(move |w| DurationWord {
                    word: w,
                    unit: unit.clone(),
                    days: d.days,
                    count: 2.0,
                });
                let many = folds(&d.plural).into_iter().map(move |w| DurationWord {
                    word: w,
                    unit: unit.clone(),
                    days: d.days,
                    count: 0.0,
                });
                one.chain(two).chain(many)
            })
            .collect(),
        hijri_months: raw
            .hijri_months
            .iter()
            .flat_map(|(m, ws)| folds(ws).into_iter().map(move |w| (w, *m)))
            .collect(),
        hijri_era: folds(&raw.hijri_era),
        gregorian_era: folds(&raw.gregorian_era),
        date_link: folds(&raw.date_link),
        ambiguous_months: folds(&raw.ambiguous_months),
        month_prepositions: folds(&raw.month_prepositions),
        periods: raw
            .periods
            .iter()
            .flat_map(|(u, ws)| folds(ws).into_iter().map(move |w| (w, u.clone())))
            .collect(),
        period_parts: raw
            .period_parts
            .iter()
            .flat_map(|(u, ws)| folds(ws).into_iter().map(move |w| (w, u.clone())))
            .collect(),
        range_from: folds(&raw.range_from),
        range_to: folds(&raw.range_to),
        counted_duals: folds(&raw.counted_duals),
        duration_for: folds(&raw.duration_for),
        duration_within: folds(&raw.duration_within),
        duration_after: folds(&raw.duration_after),
        duration_before: folds(&raw.duration_before),
        weekday_past: folds(&raw.weekday_past),
        weekday_next: folds(&raw.weekday_next),
        current_month: folds(&raw.current_month),
        year_words: folds(&raw.year_words),
        ordinal_days: raw
            .ordinal_days
            .iter()
            .map(|(w, d)| (fold(w), *d))
            .collect(),
        number_words: raw
            .number_words
            .iter()
            .map(|(w, v)| (fold(w), *v))
            .collect(),
        multipliers: raw.multipliers.iter().map(|(w, v)| (fold(w), *v)).collect(),
        fractions: raw.fractions.iter().map(|(w, v)| (fold(w), *v)).collect(),
        vague: raw
            .vague
            .iter()
            .map(|(name, v)| VagueClass {
                name: name.clone(),
                words: folds(&v.words),
                min: v.min,
                max: v.max,
            })
            .collect(),
        bounds: Bounds {
            more_than: folds(&b.more_than),
            at_least: folds(&b.at_least),
            less_than: folds(&b.less_than),
            at_most: folds(&b.at_most),
            about: folds(&b.about),
            between: folds(&b.between),
        },
        about_tolerance: raw.about_tolerance,
        percent_words: folds(&raw.percent_words),
        speech_verbs: folds(&raw.speech_verbs),
        speech_participles: folds(&raw.speech_participles),
        continuation_verbs: folds(&raw.continuation_verbs),
        source_phrases: folds(&raw.source_phrases),
        boilerplate: folds(&raw.boilerplate),
    })
}

// --------------------------------------------------------------- entities

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntities {
    entities: BTreeMap<String, RawEntity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    kind: String,
    names: Vec<String>,
    #[serde(default)]
    spellings: Vec<Vec<String>>,
}

const ENTITY_KINDS: &[&str] = &[
    "person",
    "country",
    "city",
    "place",
    "organisation",
    "agency",
    "media",
];

/// A person, place, organisation or agency, with every name it goes by.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: crate::Shared,
    pub kind: String,
    /// Names as written in the rules (for display) and normalized.
    pub names: Vec<(String, String)>,
    /// Groups of spellings of one name, as written (not normalized).
    pub spellings: Vec<Vec<String>>,
}

fn build_entities(file: &RuleFile, errors: &mut Vec<RuleError>) -> Vec<Entity> {
    let raw: RawEntities = match serde_yaml::from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(yaml_error(file, &e));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (id, e) in raw.entities {
        let at = locate(&file.text, &format!("{id}:"), 0).0;
        if !ENTITY_KINDS.contains(&e.kind.as_str()) {
            let (o, l) = locate_value(&file.text, "kind", &e.kind, at);
            errors.push(problem(
                file,
                o,
                l,
                "kzcheck::rules::bad_value",
                format!("entity `{id}` has an unknown kind `{}`", e.kind),
                "unknown kind",
                Some(format!("use one of: {}", ENTITY_KINDS.join(", "))),
            ));
        }
        for group in &e.spellings {
            for s in group {
                if !e.names.contains(s) {
                    let (o, l) = locate(&file.text, s, at);
                    errors.push(problem(
                        file,
                        o,
                        l,
                        "kzcheck::rules::unknown_name",
                        format!("spelling `{s}` of `{id}` is not one of its names"),
                        "not in `names`",
                        Some("add it to the entity's `names` too".into()),
                    ));
                }
            }
        }
        out.push(Entity {
            names: e.names.iter().map(|n| (n.clone(), fold(n))).collect(),
            id: id.into(),
            kind: e.kind,
            spellings: e.spellings,
        });
    }
    out
}

// ------------------------------------------------------------------ story

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    name: String,
    #[serde(default)]
    window: Option<RawWindow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWindow {
    from: String,
    to: String,
}

/// The story's settings.
#[derive(Debug, Clone, Default)]
pub struct Story {
    pub name: String,
    /// When the story happened: years of dates that give none come from here.
    pub window: Option<(jiff::civil::Date, jiff::civil::Date)>,
}

fn build_story(file: &RuleFile, errors: &mut Vec<RuleError>) -> Story {
    let raw: RawStory = match serde_yaml::from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(yaml_error(file, &e));
            return Story::default();
        }
    };
    let mut window = None;
    if let Some(w) = raw.window {
        let parse = |s: &str, errors: &mut Vec<RuleError>| match s.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let (o, l) = locate(&file.text, s, 0);
                errors.push(problem(
                    file,
                    o,
                    l,
                    "kzcheck::rules::bad_value",
                    format!("`{s}` is not a date"),
                    "not a date",
                    Some("write dates as YYYY-MM-DD".into()),
                ));
                None
            }
        };
        if let (Some(a), Some(b)) = (parse(&w.from, errors), parse(&w.to, errors)) {
            window = Some((a.min(b), a.max(b)));
        }
    }
    Story {
        name: raw.name,
        window,
    }
}

// ------------------------------------------------------------ claim rules

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimFile {
    rules: Vec<RawClaimRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimRule {
    id: String,
    key: String,
    doc: String,
    value: ValueKind,
    patterns: Vec<String>,
    examples: RawExamples,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    entity_kind: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    grows: bool,
    #[serde(default)]
    level: Option<Level>,
    #[serde(default)]
    qualifiers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(rename = "match")]
    matches: Vec<RawExample>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// An example: a plain string, or `{text, value, subject}`. Not an
/// untagged enum: that would hide an unknown key behind "did not match any
/// variant"; a map is read as the strict struct, so serde names the key.
enum RawExample {
    Text(String),
    Full(RawFullExample),
}

impl<'de> Deserialize<'de> for RawExample {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawExample;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an example text, or a map with `text` and optional `value`, `subject`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawExample, E> {
                Ok(RawExample::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawExample, A::Error> {
                RawFullExample::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawExample::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFullExample {
    text: String,
    #[serde(default)]
    value: Option<serde_json::Value>,
    #[serde(default)]
    subject: Option<String>,
}

/// What kind of value a claim rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Count,
    Date,
    Set,
    Statement,
}

/// How serious a contradiction on this key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// Where a claim's subject comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectSpec {
    None,
    /// A fixed entity id.
    Entity(crate::Shared),
    /// The entity named in the `subject` group of the match.
    Capture,
    /// The speaker of the sentence.
    Speaker,
}

/// One example from a rule, run as a test.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub value: Option<serde_json::Value>,
    pub subject: Option<String>,
}

/// A compiled claim rule.
#[derive(Debug, Clone)]
pub struct ClaimRule {
    pub id: crate::Shared,
    pub key: crate::Shared,
    pub doc: String,
    pub value: ValueKind,
    pub subject: SubjectSpec,
    pub entity_kind: Option<String>,
    pub label: Option<crate::Shared>,
    /// What else must match for two claims to be compared: `place` (the
    /// city or place the sentence names; none = nationwide) and/or
    /// `speaker` (one ministry's count is not another's).
    pub qualifiers: Vec<crate::Shared>,
    pub grows: bool,
    pub level: Level,
    /// The patterns, compiled (see `prefilters` for how they are searched).
    pub patterns: Vec<regex_automata::meta::Regex>,
    /// For each pattern, the same regex with its word boundaries (`\b`)
    /// dropped, when it has any: it matches wherever the pattern does (and
    /// maybe more), but without Unicode word boundaries the regex crate can
    /// run it on its fast DFAs instead of the PikeVM, so it tells cheaply
    /// where the real pattern may start (see `extract::rule_matches`).
    pub prefilters: Vec<Option<regex_automata::meta::Regex>>,
    /// Each pattern as compiled: its macros pasted in.
    pub expanded: Vec<String>,
    /// For each pattern, sets of words of which every match holds one word
    /// of each set (`[[من], [جندي, عسكري]]` for
    /// `{count}\s+من\s+(?:جنديا|جندي|عسكريا|عسكري)`): a sentence that lacks
    /// one set is not searched. Empty when the pattern requires no word.
    pub literals: Vec<Vec<Vec<String>>>,
    /// What each pattern needs in a sentence before it is worth running:
    /// (a date, a number, an entity), from the macros it uses.
    pub needs: Vec<(bool, bool, bool)>,
    pub sources: Vec<String>,
    pub examples: Vec<Example>,
    pub no_match: Vec<String>,
    pub file: String,
    pub line: usize,
}

/// Everything loaded from a rules folder, compiled.
#[derive(Debug)]
pub struct Rules {
    pub lexicon: Lexicon,
    pub grammar: Grammar,
    pub entities: Vec<Entity>,
    pub story: Story,
    pub claims: Vec<ClaimRule>,
    /// Where the rules came from ("rules/" or "built-in").
    pub origin: String,
}

impl Rules {
    /// The rules built into the binary.
    pub fn builtin() -> Result<Rules, RulesError> {
        let files = BUILTIN
            .iter()
            .map(|(name, text)| RuleFile {
                name: name.to_string(),
                display: format!("<built-in>/{name}"),
                text: text.to_string(),
            })
            .collect();
        Rules::from_files(files, "built-in")
    }

    /// Reads every rules file under `dir`.
    pub fn from_dir(dir: &Path) -> Result<Rules, RulesError> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let show = |p: &Path| p.to_string_lossy().replace('\\', "/");
        for name in ["lexicon.yaml", "entities.yaml", "story.yaml"] {
            let p = dir.join(name);
            match std::fs::read_to_string(&p) {
                Ok(text) => files.push(RuleFile {
                    name: name.into(),
                    display: show(&p),
                    text,
                }),
                Err(e) => errors.push(missing_file(&show(&p), &e.to_string())),
            }
        }
        let claims_dir = dir.join("claims");
        let mut claim_paths: Vec<_> = std::fs::read_dir(&claims_dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        matches!(
                            p.extension().and_then(|e| e.to_str()),
                            Some("yaml") | Some("yml")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        claim_paths.sort();
        for p in claim_paths {
            match std::fs::read_to_string(&p) {
                Ok(text) => files.push(RuleFile {
                    name: format!(
                        "claims/{}",
                        p.file_name()
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default()
                    ),
                    display: show(&p),
                    text,
                }),
                Err(e) => errors.push(missing_file(&show(&p), &e.to_string())),
            }
        }
        if !errors.is_empty() {
            return Err(RulesError { errors });
        }
        Rules::from_files(files, &show(dir))
    }

    /// Compiles a set of rules files; every problem is collected.
    pub fn from_files(files: Vec<RuleFile>, origin: &str) -> Result<Rules, RulesError> {
        let mut errors = Vec::new();
        let find = |n: &str| files.iter().find(|f| f.name == n);
        let lexicon = match find("lexicon.yaml") {
            Some(f) => build_lexicon(f, &mut errors),
            None => {
                errors.push(missing_file("lexicon.yaml", "no such file in the rules"));
                None
            }
        };
        let entities = find("entities.yaml")
            .map(|f| build_entities(f, &mut errors))
            .unwrap_or_default();
        let story = find("story.yaml")
            .map(|f| build_story(f, &mut errors))
            .unwrap_or_default();
        let Some(lexicon) = lexicon else {
            return Err(RulesError { errors });
        };
        let grammar = match Grammar::new(&lexicon) {
            Ok(g) => g,
            Err(e) => {
                let f = find("lexicon.yaml").cloned().unwrap_or(RuleFile {
                    name: "lexicon.yaml".into(),
                    display: "lexicon.yaml".into(),
                    text: String::new(),
                });
                errors.push(problem(
                    &f,
                    0,
                    0,
                    "kzcheck::rules::bad_regex",
                    format!("the lexicon does not compile into a grammar: {e}"),
                    "here",
                    None,
                ));
                return Err(RulesError { errors });
            }
        };
        // Rules are read in order, then compiled in parallel (their regexes
        // are most of the time it takes to load rules); their rules and
        // errors are put back in order.
        let mut jobs = Vec::new();
        let mut seen: HashMap<String, (String, usize)> = HashMap::new();
        for f in files.iter().filter(|f| f.name.starts_with("claims/")) {
            let raw: RawClaimFile = match serde_yaml::from_str(&f.text) {
                Ok(r) => r,
                Err(e) => {
                    jobs.push(Err(yaml_error(f, &e)));
                    continue;
                }
            };
            let mut cursor = 0;
            for r in raw.rules {
                let (at, len) = locate_value(&f.text, "id", &r.id, cursor);
                cursor = at + len;
                let line = f.text[..at.min(f.text.len())].matches('\n').count() + 1;
                if let Some((other, other_line)) = seen.get(&r.id) {
                    jobs.push(Err(problem(
                        f,
                        at,
                        len,
                        "kzcheck::rules::duplicate_id",
                        format!("rule id `{}` is used twice", r.id),
                        format!("also at {other}:{other_line}"),
                        Some("give every rule its own id".into()),
                    )));
                    continue;
                }
                seen.insert(r.id.clone(), (f.display.clone(), line));
                jobs.push(Ok((f, r, at, line)));
            }
        }
        use rayon::prelude::*;
        let compiled: Vec<(Option<ClaimRule>, Vec<RuleError>)> = jobs
            .into_par_iter()
            .map(|job| match job {
                Ok((f, r, at, line)) => {
                    let mut errs = Vec::new();
                    let rule = compile_rule(f, r, at, line, &grammar, &entities, &mut errs);
                    (rule, errs)
                }
                Err(problem) => (None, vec![problem]),
            })
            .collect();
        let mut claims = Vec::new();
        for (rule, errs) in compiled {
            errors.extend(errs);
            claims.extend(rule);
        }
        if !errors.is_empty() {
            return Err(RulesError { errors });
        }
        Ok(Rules {
            lexicon,
            grammar,
            entities,
            story,
            claims,
            origin: origin.to_string(),
        })
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| *e.id == *id)
    }

    pub fn rule(&self, id: &str) -> Option<&ClaimRule> {
        self.claims.iter().find(|r| *r.id == *id)
    }
}

fn missing_file(path: &str, why: &str) -> RuleError {
    RuleError {
        code: "kzcheck::rules::io",
        message: format!("cannot read {path}: {why}"),
        label: String::new(),
        help: Some(
            "a rules folder holds lexicon.yaml, entities.yaml, story.yaml and claims/*.yaml".into(),
        ),
        src: NamedSource::new(path, String::new()),
        span: SourceSpan::new(0.into(), 0),
        file: path.to_string(),
        line: 1,
    }
}

/// Expands `{macro}`s in a pattern; an unknown one is an error naming it.
fn expand(
    pattern: &str,
    grammar: &Grammar,
    entities: &[Entity],
) -> Result<String, (String, String)> {
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]).unwrap_or("");
        let is_macro = !name.is_empty()
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if !is_macro {
            // A regex repetition like {2,3}: keep it.
            out.push('{');
            rest = after;
            continue;
        }
        let close = close.unwrap_or(0);
        out.push_str(&expand_one(name, grammar, entities)?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn expand_one(
    name: &str,
    grammar: &Grammar,
    entities: &[Entity],
) -> Result<String, (String, String)> {
    if let Some(body) = grammar.macro_body(name) {
        return Ok(format!("(?:{body})"));
    }
    let clitic = r"(?:\b|\b[وبلفك]|\bو[بل])";
    let names_of = |pick: &dyn Fn(&Entity) -> bool| -> Vec<String> {
        entities
            .iter()
            .filter(|e| pick(e))
            .flat_map(|e| e.names.iter().map(|(_, n)| n.clone()))
            .collect()
    };
    let (head, arg) = name.split_once(':').unwrap_or((name, ""));
    let names = match head {
        "entity" | "entities" if ENTITY_KINDS.contains(&arg) => names_of(&|e| e.kind == arg),
        "entity" | "entities" if arg == "any" => names_of(&|_| true),
        "name" if entities.iter().any(|e| *e.id == *arg) => names_of(&|e| *e.id == *arg),
        _ => {
            let mut known = grammar.macro_names().join("}, {");
            known = format!("{{{known}}}, {{entity:KIND}}, {{entities:KIND}}, {{name:ID}}");
            return Err((
                format!("unknown macro `{{{name}}}`"),
                format!("known macros: {known}; kinds: {}", ENTITY_KINDS.join(", ")),
            ));
        }
    };
    let one = format!(r"{clitic}{}\b", alternation(names.iter()));
    Ok(if head == "entities" {
        format!(r"(?:{one}(?:\s*(?:،|,|و)\s*{one}|\s+{one})*)")
    } else {
        format!("(?:{one})")
    })
}

/// The most a compiled claim pattern (or its lazy DFA's cache) may take.
pub const REGEX_SIZE_LIMIT: usize = 1 << 24;
pub const DFA_SIZE_LIMIT: usize = 1 << 21;
/// The longest a claim pattern may be once its macros are expanded, in
/// bytes (`{date}` alone is about 9 KB).
pub const MAX_PATTERN_LEN: usize = 100_000;

/// How claim patterns are compiled: with bounded sizes, so a rule cannot
/// make the run take all the memory.
fn pattern_builder(pattern: &str) -> regex::RegexBuilder {
    let mut b = regex::RegexBuilder::new(pattern);
    b.size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT);
    b
}

/// How a claim pattern is searched, and so how it is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Searched as is (`captures_iter`): a pattern without word boundaries.
    Plain,
    /// Searched anchored where its prefilter finds a match: a pattern with
    /// Unicode word boundaries, which the lazy DFA gives up on at the first
    /// Arabic letter. Built without one, for the engines that report groups.
    Anchored,
    /// A pattern with its word boundaries dropped: it only tells where
    /// matches may start, on the lazy DFA, and keeps no groups.
    Prefilter,
}

/// `pattern` compiled as `pattern_builder` compiles it (the regex crate's
/// own settings for a `Regex` on `&str`), as the engine under `Regex`, which
/// can also search anchored at a given position; with the engines `role`
/// needs. None if it does not compile.
fn meta_builder(pattern: &str, role: Role) -> Option<regex_automata::meta::Regex> {
    use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax, MatchKind};
    let config = meta::Config::new()
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_SIZE_LIMIT)
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true);
    let config = match role {
        Role::Plain => config,
        Role::Anchored => config.hybrid(false).dfa(false),
        Role::Prefilter => config.which_captures(WhichCaptures::Implicit),
    };
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build(pattern)
        .ok()
}

/// `pattern` with every `\b` dropped (escapes and character classes are
/// respected), or None when it has none. Dropping an assertion only widens
/// what a regex matches: the result matches wherever `pattern` does.
pub fn without_word_boundaries(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut class_depth = 0usize;
    let mut dropped = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('b') if class_depth == 0 => {
                    dropped = true;
                    // `\b{start}`, and a repetition of the assertion, go too.
                    let mut look = chars.clone();
                    if look.next() == Some('{') {
                        if let Some(close) = look.as_str().find('}') {
                            chars = look.as_str()[close + 1..].chars();
                        }
                    }
                    while chars.as_str().starts_with(['*', '+', '?']) {
                        chars.next();
                    }
                }
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
                // `[]…]` and `[^]…]`: a leading `]` is a literal.
                let mut look = chars.clone();
                let mut lead = String::new();
                if look.next() == Some('^') {
                    lead.push('^');
                } else {
                    look = chars.clone();
                }
                if look.next() == Some(']') {
                    lead.push(']');
                    out.push_str(&lead);
                    chars = look;
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    dropped.then_some(out)
}

/// The longest shortest word, then the fewest words: the set that rules
/// out the most sentences.
fn literal_score(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(String::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// Sets of words such that every match of `pattern` holds a word of each
/// set (each set at most 64 words, none shorter than 2 bytes; at most 8
/// sets, the best kept), empty when there is none or the pattern does not
/// parse. Read off the syntax tree: a literal is required; an alternation
/// requires one of its branches' words (when each has some); a sequence
/// requires what each of its parts requires; a group or a repetition of at
/// least one, what its content requires.
pub fn required_literal_sets(pattern: &str) -> Vec<Vec<String>> {
    use regex_syntax::hir::{Hir, HirKind};
    const MAX: usize = 64;
    const MAX_SETS: usize = 8;
    /// Every set `h` requires.
    fn all(h: &Hir) -> Vec<Vec<String>> {
        match h.kind() {
            HirKind::Capture(c) => all(&c.sub),
            HirKind::Repetition(r) if r.min >= 1 => all(&r.sub),
            HirKind::Concat(parts) => parts.iter().flat_map(all).collect(),
            HirKind::Literal(_) | HirKind::Alternation(_) => one(h).into_iter().collect(),
            _ => Vec::new(),
        }
    }
    /// One set `h` requires: its best.
    fn one(h: &Hir) -> Option<Vec<String>> {
        let set = match h.kind() {
            HirKind::Literal(lit) => vec![String::from_utf8(lit.0.to_vec()).ok()?],
            HirKind::Repetition(r) if r.min >= 1 => one(&r.sub)?,
            HirKind::Alternation(alts) => {
                let mut any = Vec::new();
                for a in alts {
                    any.extend(one(a)?);
                    if any.len() > MAX {
                        return None;
                    }
                }
                any
            }
            HirKind::Capture(_) | HirKind::Concat(_) => all(h)
                .into_iter()
                .max_by(|a, b| literal_score(a).cmp(&literal_score(b)))?,
            _ => return None,
        };
        let mut set = set;
        // A word that holds another word of the set adds nothing.
        set.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        set.dedup();
        let mut kept: Vec<String> = Vec::new();
        for w in set {
            if !kept.iter().any(|k| w.contains(k.as_str())) {
                kept.push(w);
            }
        }
        (kept.len() <= MAX && kept.iter().all(|w| w.len() >= 2)).then_some(kept)
    }
    let Ok(hir) = regex_syntax::ParserBuilder::new().build().parse(pattern) else {
        return Vec::new();
    };
    let mut sets = all(&hir);
    sets.sort_by(|a, b| {
        literal_score(b)
            .cmp(&literal_score(a))
            .then_with(|| a.cmp(b))
    });
    sets.dedup();
    sets.truncate(MAX_SETS);
    sets
}

fn compile_rule(
    f: &RuleFile,
    r: RawClaimRule,
    at: usize,
    line: usize,
    grammar: &Grammar,
    entities: &[Entity],
    errors: &mut Vec<RuleError>,
) -> Option<ClaimRule> {
    let before = errors.len();
    let mut patterns = Vec::new();
    let mut prefilters = Vec::new();
    let mut expansions = Vec::new();
    let mut literals = Vec::new();
    for p in &r.patterns {
        let (o, l) = locate(&f.text, p, at);
        let expanded = match expand(&fold(p), grammar, entities) {
            Ok(x) => x,
            Err((msg, help)) => {
                errors.push(problem(
                    f,
                    o,
                    l,
                    "kzcheck::rules::unknown_macro",
                    msg,
                    "in this pattern",
                    Some(help),
                ));
                continue;
            }
        };
        if expanded.len() > MAX_PATTERN_LEN {
            errors.push(problem(
                f,
                o,
                l,
                "kzcheck::rules::pattern_too_long",
                format!(
                    "rule `{}`: the pattern is {} KB long once its macros are expanded; the limit is {} KB",
                    r.id,
                    expanded.len().div_ceil(1000),
                    MAX_PATTERN_LEN / 1000
                ),
                "too long once expanded",
                Some(format!(
                    "every macro is pasted in whole ({{date}} alone is {} KB): split the pattern into several, or use narrower macros such as {{weekday}}, {{month}} or {{number}}",
                    grammar.macro_body("date").map_or(0, |d| d.len().div_ceil(1000))
                )),
            ));
            continue;
        }
        // A pattern with word boundaries is searched where its prefilter
        // (the same without them) finds a match, anchored; one without is
        // searched as is. Each is compiled once, for the way it is searched.
        let relaxed = without_word_boundaries(&expanded);
        let role = if relaxed.is_some() {
            Role::Anchored
        } else {
            Role::Plain
        };
        let built = match meta_builder(&expanded, role) {
            Some(re) => Ok(re),
            // The regex crate says what is wrong, as it always has.
            None => Err(pattern_builder(&expanded)
                .build()
                .err()
                .unwrap_or(regex::Error::CompiledTooBig(REGEX_SIZE_LIMIT))),
        };
        match built {
            Ok(re) => {
                let names = |want: &str| {
                    re.group_info()
                        .pattern_names(regex_automata::PatternID::ZERO)
                        .any(|n| n == Some(want))
                };
                if r.value != ValueKind::Statement && !names("value") {
                    errors.push(problem(
                        f,
                        o,
                        l,
                        "kzcheck::rules::no_value_group",
                        format!("rule `{}`: this pattern has no `value` group", r.id),
                        "no (?P<value>…) here",
                        Some(
                            "wrap what the claim states in (?P<value>…), e.g. (?P<value>{count})"
                                .into(),
                        ),
                    ));
                }
                if r.subject.as_deref() == Some("capture") && !names("subject") {
                    errors.push(problem(
                        f,
                        o,
                        l,
                        "kzcheck::rules::no_subject_group",
                        format!("rule `{}` takes its subject from the match, but this pattern has no `subject` group", r.id),
                        "no (?P<subject>…) here",
                        Some("add (?P<subject>{entity:person}) or set `subject` to an entity id".into()),
                    ));
                }
                // Without its prefilter (should the relaxed pattern not
                // compile), the pattern is searched as is.
                let pre = relaxed.and_then(|x| meta_builder(&x, Role::Prefilter));
                let re = match (&pre, role) {
                    (None, Role::Anchored) => meta_builder(&expanded, Role::Plain).unwrap_or(re),
                    _ => re,
                };
                patterns.push(re);
                prefilters.push(pre);
                literals.push(required_literal_sets(&expanded));
                expansions.push(expanded);
            }
            Err(regex::Error::CompiledTooBig(n)) => {
                errors.push(problem(
                    f,
                    o,
                    l,
                    "kzcheck::rules::regex_too_big",
                    format!(
                        "rule `{}`: the pattern compiles to more than {} MB",
                        r.id,
                        n >> 20
                    ),
                    "compiles too big",
                    Some("a counted repetition multiplies what it repeats ((?:\\s+{date}){40} is forty copies of {date}): repeat less, or split the pattern".into()),
                ));
            }
            Err(e) => {
                let why = match &e {
                    regex::Error::Syntax(s) => s.lines().last().unwrap_or(s).to_string(),
                    _ => e.to_string(),
                };
                errors.push(problem(
                    f,
                    o,
                    l,
                    "kzcheck::rules::bad_regex",
                    format!("rule `{}`: the pattern is not a valid regex", r.id),
                    why,
                    Some("patterns use Rust regex syntax (https://docs.rs/regex); macros like {count} are expanded first".into()),
                ));
            }
        }
    }
    if r.patterns.is_empty() {
        let (o, l) = locate(&f.text, "patterns", at);
        errors.push(problem(
            f,
            o,
            l,
            "kzcheck::rules::missing_field",
            format!("rule `{}` has no patterns", r.id),
            "empty",
            Some("give at least one pattern".into()),
        ));
    }
    if r.examples.matches.is_empty() {
        let (o, l) = locate(&f.text, "examples", at);
        errors.push(problem(
            f,
            o,
            l,
            "kzcheck::rules::no_examples",
            format!("rule `{}` has no `match` example", r.id),
            "no example",
            Some("every rule carries at least one Arabic example it must match".into()),
        ));
    }
    let subject = match r.subject.as_deref() {
        None => SubjectSpec::None,
        Some("capture") => SubjectSpec::Capture,
        Some("speaker") => SubjectSpec::Speaker,
        Some(id) if entities.iter().any(|e| *e.id == *id) => SubjectSpec::Entity(id.into()),
        Some(id) => {
            let (o, l) = locate_value(&f.text, "subject", id, at);
            errors.push(problem(
                f,
                o,
                l,
                "kzcheck::rules::unknown_entity",
                format!("rule `{}`: subject `{id}` is not an entity", r.id),
                "unknown entity",
                Some("use an id from entities.yaml, `capture` or `speaker`".into()),
            ));
            SubjectSpec::None
        }
    };
    if r.value == ValueKind::Statement && r.label.is_none() {
        let (o, l) = locate(&f.text, "statement", at);
        errors.push(problem(
            f,
            o,
            l,
            "kzcheck::rules::missing_field",
            format!("rule `{}` reads a statement but has no `label`", r.id),
            "needs a label",
            Some("add `label:` with a short English description of the statement".into()),
        ));
    }
    let needs = r
        .patterns
        .iter()
        .map(|p| {
            let date = p.contains("{date}");
            let number = ["{count}", "{number}", "{vague}"]
                .iter()
                .any(|m| p.contains(m));
            let entity = p.contains("{entity") || p.contains("{name:");
            (date, number, entity)
        })
        .collect();
    for q in &r.qualifiers {
        if !matches!(q.as_str(), "place" | "speaker") {
            let (o, l) = locate(&f.text, q, at);
            errors.push(problem(
                f,
                o,
                l,
                "kzcheck::rules::bad_value",
                format!("rule `{}`: unknown qualifier `{q}`", r.id),
                "unknown qualifier",
                Some("qualifiers are `place` and `speaker`".into()),
            ));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(ClaimRule {
        needs,
        prefilters,
        expanded: expansions,
        literals,
        qualifiers: r.qualifiers.iter().map(|q| q.as_str().into()).collect(),
        id: r.id.into(),
        key: r.key.into(),
        doc: r.doc.trim().to_string(),
        value: r.value,
        subject,
        entity_kind: r.entity_kind,
        label: r.label.map(Into::into),
        grows: r.grows,
        level: r.level.unwrap_or(Level::Error),
        patterns,
        sources: r.patterns,
        examples: r
            .examples
            .matches
            .into_iter()
            .map(|e| match e {
                RawExample::Text(text) => Example {
                    text,
                    value: None,
                    subject: None,
                },
                RawExample::Full(x) => Example {
                    text: x.text,
                    value: x.value,
                    subject: x.subject,
                },
            })
            .collect(),
        no_match: r.examples.no_match,
        file: f.display.clone(),
        line,
    })
}
