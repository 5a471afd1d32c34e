//! How claims are compared: who said what.
use kzcheck::check::check;
use kzcheck::compare::Kind;
use kzcheck::load::Article;
use kzcheck::rules::Rules;
use std::path::Path;

fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        path: format!("{id}.txt"),
        text: text.into(),
        body: 0..text.len(),
        meta: Default::default(),
    }
}

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
        .filter(|f| f.key == "quote.speaker")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert_eq!(f[0].kind, Kind::Contradiction);
    assert_eq!(f[0].articles, ["a", "b", "c"]);
    // and the two articles that agree on the speaker agree
    assert!(report.findings.iter().any(|f| f.kind == Kind::Agreement
        && f.key == "quote"
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
        .find(|f| f.kind == Kind::Agreement && f.key == "troops.total")
        .expect("an agreement on troops.total");
    assert_eq!(f.articles, ["a", "b", "c"]);
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
        .find(|f| f.kind == Kind::Agreement && f.key == "troops.total")
        .expect("an agreement on troops.total");
    assert_eq!(f.class, Some(Class::Echo), "{}", f.message);
    assert_eq!(report.articles[0].shares_copy_with, ["y"]);
}
