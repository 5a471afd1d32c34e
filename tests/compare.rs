//! How claims are compared: who said what.
use kzcheck::check::check;
use kzcheck::compare::Kind;
use kzcheck::load::Article;
use kzcheck::rules::Rules;
use std::path::Path;

mod common;
use common::article;

#[test]
fn the_same_words_in_two_mouths_contradict() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let a = article("a", "وقال بوتين: «لن نسمح بزعزعة استقرار المنطقة أبدا».");
    let b = article("b", "وقال توكاييف: «لن نسمح بزعزعة استقرار المنطقة أبدا».");
    let c = article("c", "وقال بوتين: «لن نسمح بزعزعة استقرار المنطقة أبدا».");
    let report = check(&[a, b, c], &rules);
    let f: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.key == "quote.speaker")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert_eq!(f[0].kind, Kind::Contradiction);
    assert_eq!(strs(&f[0].articles), ["a", "b", "c"]);
    // and the two articles that agree on the speaker agree
    assert!(report.findings.iter().any(|f| f.kind == Kind::Agreement
        && &*f.key == "quote"
        && f.subject.as_deref() == Some("putin")));
}

#[test]
fn one_speaker_quoted_alike_is_no_contradiction() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let a = article("a", "وقال بوتين: «لن نسمح بزعزعة استقرار المنطقة أبدا».");
    let b = article("b", "وأكد بوتين: «لن نسمح بزعزعة استقرار المنطقة».");
    let report = check(&[a, b], &rules);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.kind != Kind::Contradiction),
        "{:#?}",
        report.findings
    );
}

/// An agreement that rests on one wire story counts it once.
#[test]
fn shared_wire_copy_counts_once() {
    use kzcheck::compare::Class;
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let copy = "وأكد المسؤول أن القوة المكونة من 2030 جنديا وصلت إلى المطار صباح اليوم وبدأت تنفيذ مهامها في المدينة فورا.";
    let a = article("a", &format!("قال مراسل فرانس برس في العاصمة. {copy}"));
    let b = article("b", &format!("بحسب وكالة الأنباء الفرنسية. {copy}"));
    let c = article(
        "c",
        "وذكرت رويترز أن قوة قوامها 2030 جنديا انتشرت في البلاد.",
    );
    let report = check(&[a.clone(), b.clone(), c], &rules);
    let f = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Agreement && &*f.key == "troops.total")
        .expect("an agreement on troops.total");
    assert_eq!(strs(&f.articles), ["a", "b", "c"]);
    assert_eq!(f.class, Some(Class::Independent));
    assert!(
        f.message.ends_with("2 independent sources: afp, reuters"),
        "{}",
        f.message
    );

    // Two articles with no credit that share the same sentences: one source.
    let strip = |x: &Article, id: &str| {
        article(id, &x.text.replace("فرانس برس", "").replace("الفرنسية", ""))
    };
    let report = check(&[strip(&a, "x"), strip(&b, "y")], &rules);
    let f = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Agreement && &*f.key == "troops.total")
        .expect("an agreement on troops.total");
    assert_eq!(f.class, Some(Class::Echo), "{}", f.message);
    assert_eq!(strs(&report.articles[0].shares_copy_with), ["y"]);
}

/// A growing count reported later and larger is an update, shown as a
/// timeline; two speakers in one article giving two figures is a dispute
/// the article reports, not an editing error.
#[test]
fn updates_and_reported_disputes() {
    use kzcheck::compare::Class;
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let dated = |id: &str, date: &str, body: &str| {
        let mut a = article(id, body);
        a.meta.published = date.parse().ok();
        a
    };
    let early = dated(
        "early",
        "2022-01-07",
        "وذكر التلفزيون الرسمي أن 13 من أفراد الأمن قُتلوا.",
    );
    let late = dated(
        "late",
        "2022-01-10",
        "وقال توكاييف مشيراً إلى وقوع 16 قتيلاً في صفوف الشرطة.",
    );
    let report = check(&[early, late], &rules);
    let f = report
        .findings
        .iter()
        .find(|f| &*f.key == "security_forces.killed" && f.kind == Kind::Contradiction)
        .expect("a contradiction");
    assert_eq!(f.class, Some(Class::Update), "{}", f.message);
    assert!(f.message.contains("as of 2022-01-07 → 16"), "{}", f.message);

    let both = dated(
        "both",
        "2022-01-10",
        "وذكر التلفزيون الرسمي أن 13 من أفراد الأمن قُتلوا، فيما قال توكاييف إن 18 من أفراد الأمن قتلوا.",
    );
    let report = check(&[both], &rules);
    let f = report
        .findings
        .iter()
        .find(|f| &*f.key == "security_forces.killed" && f.kind == Kind::Contradiction)
        .expect("a reported dispute");
    assert_eq!(f.class, Some(Class::ReportedDispute), "{}", f.message);
    assert!(report
        .findings
        .iter()
        .all(|f| f.kind != Kind::Inconsistency));
}

/// Restating a figure in words changes no finding.
#[test]
fn a_figure_in_words_changes_nothing() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("seeds")]);
    let summary = |articles: &[Article]| {
        let r = check(articles, &rules);
        let mut v: Vec<String> = r
            .findings
            .iter()
            .map(|f| format!("{:?} {} {:?} {:?}", f.kind, f.key, f.subject, f.articles))
            .collect();
        v.sort();
        v
    };
    let plain = summary(&loaded.articles);
    let worded: Vec<Article> = loaded
        .articles
        .iter()
        .map(|a| {
            let text = a.text.replace("2030 ", "ألفين وثلاثين ");
            Article {
                body: 0..text.len(),
                text,
                ..a.clone()
            }
        })
        .collect();
    assert!(worded.iter().any(|a| a.text.contains("ألفين وثلاثين")));
    assert_eq!(summary(&worded), plain);
}

/// A later, smaller total is no update: the figures stay a contradiction.
#[test]
fn a_later_smaller_total_stays_an_error() {
    use kzcheck::compare::{Class, Severity};
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("tests/fixtures/update-timeline")]);
    let report = check(&loaded.articles, &rules);
    let f = report
        .findings
        .iter()
        .find(|f| &*f.key == "security_forces.killed" && f.kind == Kind::Contradiction)
        .expect("a contradiction");
    assert_eq!(
        (f.class, f.severity),
        (Some(Class::Conflict), Severity::Error),
        "{}",
        f.message
    );
    // without the smaller figure, the rest is an update
    let two: Vec<Article> = loaded
        .articles
        .iter()
        .filter(|a| &*a.id != "c-smaller")
        .cloned()
        .collect();
    let report = check(&two, &rules);
    let f = report
        .findings
        .iter()
        .find(|f| &*f.key == "security_forces.killed" && f.kind == Kind::Contradiction)
        .expect("an update");
    assert_eq!(
        (f.class, f.severity),
        (Some(Class::Update), Severity::Warning),
        "{}",
        f.message
    );
}

/// Like with like: a count for one city is not compared with a nationwide
/// one, nor the security forces' dead with everyone's.
#[test]
fn like_with_like() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("tests/fixtures/like-with-like")]);
    let report = check(&loaded.articles, &rules);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.kind != Kind::Contradiction),
        "{:#?}",
        report.findings
    );
    let city = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Agreement && &*f.key == "security_forces.killed")
        .expect("the two city counts agree");
    assert_eq!(strs(&city.articles), ["a-city", "c-city"]);
    assert!(city.message.contains("[place: almaty]"), "{}", city.message);
    let claim = |a: &str, k: &str| {
        report
            .claims
            .iter()
            .find(|c| &*c.article == a && &*c.key == k)
            .cloned()
    };
    assert_eq!(
        claim("b-nationwide", "security_forces.killed")
            .and_then(|c| c.qualifiers.get("place").map(String::from)),
        Some("nationwide".to_string())
    );
    assert!(claim("c-city", "killed.total").is_some());
}

/// Two announcements on different days that resolve to the same date agree:
/// a relative date is read against the day it was said, when the sentence
/// names one.
#[test]
fn relative_dates_are_read_against_the_day_they_were_said() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("tests/fixtures/said-on")]);
    let report = check(&loaded.articles, &rules);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.kind != Kind::Contradiction),
        "{:#?}",
        report.findings
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Agreement && &*f.key == "withdrawal.start")
        .expect("an agreement");
    assert!(f.message.contains("2022-01-12"), "{}", f.message);
    let weekly = report
        .claims
        .iter()
        .find(|c| &*c.article == "a-weekly")
        .expect("a claim");
    assert_eq!(
        weekly.anchors.first().map(|a| a.text.as_str()),
        Some("الثلاثاء")
    );
}

/// Shared strings as `&str`s, to compare with literals.
fn strs(v: &[kzcheck::Shared]) -> Vec<&str> {
    v.iter().map(|s| &**s).collect()
}

/// Claims handed to `compare` in any order are grouped as when they come
/// sorted by key and subject (as `assemble` hands them): the same groups,
/// each group's claims in the order they came.
#[test]
fn claims_in_any_order_are_grouped_as_sorted_ones() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("seeds")]);
    let report = check(&loaded.articles, &rules);
    // Reversed, then every other claim first: far from sorted.
    let mut mixed: Vec<Box<kzcheck::claim::Claim>> = report.claims.iter().rev().cloned().collect();
    let (even, odd): (Vec<_>, Vec<_>) = mixed.drain(..).enumerate().partition(|(i, _)| i % 2 == 0);
    mixed.extend(even.into_iter().chain(odd).map(|(_, c)| c));
    let ks =
        |c: &kzcheck::claim::Claim| (c.key.to_string(), c.subject.as_deref().map(String::from));
    let mut sorted = mixed.clone();
    sorted.sort_by_key(|c| ks(c));
    assert!(mixed.iter().map(|c| ks(c)).ne(sorted.iter().map(|c| ks(c))));
    let findings = |claims: &[Box<kzcheck::claim::Claim>]| {
        let f = kzcheck::compare::compare(
            &rules,
            &report.articles,
            claims,
            &[],
            Vec::new(),
            kzcheck::explain::Lang::En,
        );
        serde_json::to_string_pretty(&f).expect("findings as JSON")
    };
    let from_sorted = findings(&sorted);
    assert!(from_sorted.contains("contradiction"));
    assert_eq!(findings(&mixed), from_sorted);
}
