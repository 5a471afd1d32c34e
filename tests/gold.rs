//! The editor's expectations for the seed articles (tests/gold/seeds.yaml, a
//! copy of the story's gold file) as a test: every contradiction,
//! inconsistency, agreement, quote and name variant it lists is in the
//! report, and nothing it says must not be reported is.
use kzcheck::check::{check, Report};
use kzcheck::claim::Claim;
use kzcheck::compare::{Finding, Kind};
use kzcheck::normalize::{display_form, fold};
use kzcheck::rules::Rules;
use kzcheck::value::{quotes_match, Value};
use serde::Deserialize;
use serde_yaml::Value as Y;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Gold {
    contradictions: Vec<Contradiction>,
    inconsistencies: Vec<Inconsistency>,
    agreements: Vec<Agreement>,
    quotes: Vec<Quote>,
    name_variants: Vec<NameVariant>,
}

#[derive(Deserialize)]
struct Contradiction {
    key: String,
    sides: Vec<Side>,
}

#[derive(Deserialize)]
struct Side {
    article: String,
    value: Y,
    #[serde(default)]
    speaker: Option<String>,
    evidence: Vec<String>,
}

#[derive(Deserialize)]
struct Inconsistency {
    key: String,
    article: String,
    evidence: Vec<String>,
}

#[derive(Deserialize)]
struct Agreement {
    key: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    value: Option<Y>,
    #[serde(default)]
    values: Option<Vec<Y>>,
    articles: Vec<String>,
}

#[derive(Deserialize)]
struct Quote {
    speaker: String,
    #[serde(default)]
    quote: Option<String>,
    #[serde(default)]
    about: Option<String>,
    articles: Vec<String>,
}

#[derive(Deserialize)]
struct NameVariant {
    entity: String,
    spellings: BTreeMap<String, Vec<String>>,
}

struct Run {
    report: Report,
    texts: BTreeMap<String, String>,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
        let loaded = kzcheck::load::load(&[PathBuf::from("seeds")]);
        assert!(loaded.diagnostics.is_empty(), "seeds load cleanly");
        let report = check(&loaded.articles, &rules);
        let texts = loaded
            .articles
            .iter()
            .map(|a| (a.id.to_string(), a.text.clone()))
            .collect();
        Run { report, texts }
    })
}

fn gold() -> Gold {
    serde_yaml::from_str(&std::fs::read_to_string("tests/gold/seeds.yaml").unwrap()).unwrap()
}

fn claim<'a>(r: &'a Report, id: &str) -> &'a Claim {
    r.claims
        .iter()
        .find(|c| &*c.id == id)
        .expect("finding names a known claim")
}

fn claims_of<'a>(r: &'a Report, f: &'a Finding) -> impl Iterator<Item = &'a Claim> {
    f.claims.iter().map(move |id| claim(r, id))
}

/// The gold file's value, as the JSON contract writes it.
fn gold_value(y: &Y) -> serde_json::Value {
    match y {
        Y::Number(n) => serde_json::json!({"count": n.as_i64().unwrap()}),
        Y::String(s) if s.len() == 10 && s.as_bytes()[4] == b'-' => serde_json::json!({"date": s}),
        Y::String(s) => serde_json::json!({"weekday": s}),
        Y::Sequence(ids) => {
            let mut v: Vec<String> = ids
                .iter()
                .map(|i| i.as_str().unwrap().to_string())
                .collect();
            v.sort();
            serde_json::json!({"set": v})
        }
        Y::Mapping(_) => serde_json::to_value(y).unwrap(),
        _ => panic!("unexpected gold value {y:?}"),
    }
}

fn json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

fn contains_norm(hay: &str, needle: &str) -> bool {
    fold(hay).contains(&fold(needle))
}

fn findings<'a>(r: &'a Report, kind: Kind, key: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
    r.findings
        .iter()
        .filter(move |f| f.kind == kind && &*f.key == key)
}

#[test]
fn contradictions() {
    let r = &run().report;
    for g in gold().contradictions {
        let f = findings(r, Kind::Contradiction, &g.key)
            .next()
            .unwrap_or_else(|| panic!("no contradiction on {}", g.key));
        for side in &g.sides {
            let want = gold_value(&side.value);
            let c = claims_of(r, f)
                .find(|c| *c.article == *side.article && json(&c.value) == want)
                .unwrap_or_else(|| {
                    panic!("{}: no claim {want} from {} in {f:#?}", g.key, side.article)
                });
            if let Some(sp) = &side.speaker {
                assert_eq!(
                    c.speaker.as_deref(),
                    Some(sp.as_str()),
                    "{}: speaker of {}",
                    g.key,
                    c.id
                );
            }
            for ev in &side.evidence {
                let shown = std::iter::once(c.text.as_str())
                    .chain(c.anchors.iter().map(|a| a.text.as_str()));
                assert!(
                    shown.clone().any(|t| contains_norm(t, ev)),
                    "{}: evidence «{ev}» not among {:?}",
                    g.key,
                    shown.collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn inconsistencies() {
    let r = &run().report;
    for g in gold().inconsistencies {
        let f = findings(r, Kind::Inconsistency, &g.key)
            .find(|f| f.articles.len() == 1 && *f.articles[0] == *g.article)
            .unwrap_or_else(|| panic!("no inconsistency {} in {}", g.key, g.article));
        for ev in &g.evidence {
            assert!(
                f.evidence.iter().any(|e| e.text == *ev),
                "evidence «{ev}» in {f:#?}"
            );
        }
    }
}

#[test]
fn agreements() {
    let r = &run().report;
    for g in gold().agreements {
        let wanted: Vec<serde_json::Value> = match (&g.value, &g.values) {
            (Some(v), _) => vec![gold_value(v)],
            (_, Some(vs)) => vs.iter().map(gold_value).collect(),
            _ => vec![],
        };
        let ok = findings(r, Kind::Agreement, &g.key).any(|f| {
            f.subject.as_deref() == g.subject.as_deref()
                && g.articles
                    .iter()
                    .all(|a| f.articles.iter().any(|x| **x == **a))
                && wanted
                    .iter()
                    .all(|w| claims_of(r, f).any(|c| json(&c.value) == *w))
        });
        assert!(
            ok,
            "no agreement on {} {:?} = {wanted:?} among {:#?}",
            g.key,
            g.articles,
            findings(r, Kind::Agreement, &g.key).collect::<Vec<_>>()
        );
    }
}

#[test]
fn quotes() {
    let r = &run().report;
    for g in gold().quotes {
        let ok = r.findings.iter().filter(|f| f.kind == Kind::Agreement).any(|f| {
            f.subject.as_deref() == Some(g.speaker.as_str())
                && g.articles.iter().all(|a| f.articles.iter().any(|x| **x == **a))
                && match (&g.quote, &g.about) {
                    (Some(q), _) => {
                        &*f.key == "quote"
                            && claims_of(r, f).all(|c| matches!(&c.value, Value::Quote(t) if quotes_match(t, &fold(q))))
                    }
                    (None, Some(_)) => f.key.starts_with("statement."),
                    _ => false,
                }
        });
        assert!(
            ok,
            "no agreement on what {} said ({:?} {:?}) in {:?}",
            g.speaker, g.quote, g.about, g.articles
        );
    }
}

#[test]
fn name_variants() {
    let r = &run().report;
    for g in gold().name_variants {
        let f = r
            .findings
            .iter()
            .find(|f| {
                f.kind == Kind::NameVariant && f.subject.as_deref() == Some(g.entity.as_str())
            })
            .unwrap_or_else(|| panic!("no name variant for {}", g.entity));
        let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in &f.evidence {
            let surface = display_form(&e.text);
            let spelling = g
                .spellings
                .keys()
                .filter(|s| surface.contains(&display_form(s)))
                .max_by_key(|s| s.len())
                .unwrap_or_else(|| {
                    panic!("{}: «{}» is none of the gold spellings", g.entity, e.text)
                });
            got.entry(spelling.clone())
                .or_default()
                .insert(e.article.to_string());
        }
        let want: BTreeMap<String, BTreeSet<String>> = g
            .spellings
            .iter()
            .map(|(s, a)| (s.clone(), a.iter().cloned().collect()))
            .collect();
        assert_eq!(got, want, "spellings of {}", g.entity);
    }
}

// ---- must_not_report

#[test]
fn no_contradiction_between_at_least_and_vague() {
    let r = &run().report;
    assert_eq!(findings(r, Kind::Contradiction, "arrests.total").count(), 0);
}

#[test]
fn more_than_1600_contradicts_nothing_above() {
    let r = &run().report;
    for f in r.findings.iter().filter(|f| f.kind == Kind::Contradiction) {
        for c in claims_of(r, f) {
            assert_ne!(
                json(&c.value),
                serde_json::json!({"more_than": 1600}),
                "{f:#?}"
            );
        }
    }
}

#[test]
fn troops_total_only_from_troops() {
    let r = &run().report;
    assert_eq!(findings(r, Kind::Contradiction, "troops.total").count(), 0);
    for c in r.claims.iter().filter(|c| &*c.key == "troops.total") {
        assert_eq!(json(&c.value), serde_json::json!({"count": 2030}), "{c:#?}");
    }
}

#[test]
fn nothing_from_the_related_news_block() {
    let run = run();
    let text = &run.texts["002_901cde79856b230e"];
    let start = text.find("أخبار ذات صلة").unwrap();
    let end = text.find("وحدة متعددة الجنسيات").unwrap();
    for c in run
        .report
        .claims
        .iter()
        .filter(|c| &*c.article == "002_901cde79856b230e")
    {
        assert!(
            c.span.range().end <= start || c.span.range().start >= end,
            "claim from the related-news block: {c:#?}"
        );
    }
}

#[test]
fn no_event_dated_2017_or_2019() {
    let r = &run().report;
    for c in &r.claims {
        let v = json(&c.value).to_string();
        assert!(!v.contains("2017") && !v.contains("2019"), "{c:#?}");
    }
}

#[test]
fn current_month_is_january() {
    let r = &run().report;
    for c in r
        .claims
        .iter()
        .filter(|c| &*c.article == "003_8899bfe5d7a1a820")
    {
        if let Value::Date(d) = &c.value {
            if let Some(date) = d.date() {
                assert_eq!(date.month(), 1, "{c:#?}");
            }
        }
    }
}

#[test]
fn every_claim_span_is_exact() {
    let run = run();
    for c in &run.report.claims {
        let text = &run.texts[&*c.article];
        assert_eq!(&text[c.span.range()], c.text, "{c:#?}");
    }
}
