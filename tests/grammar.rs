//! The date and number grammar, one row per phenomenon: what the words say
//! and what they resolve to against an article's date.
use jiff::civil::Date;
use kzcheck::resolve::Calendar;
use kzcheck::rules::Rules;
use kzcheck::value::Value;
use std::path::Path;

fn rules() -> Rules {
    Rules::from_dir(Path::new("rules")).expect("rules load")
}

/// (words, expected JSON value) for quantities.
const QUANTITIES: &[(&str, &str)] = &[
    ("2030", r#"{"count":2030}"#),
    ("٢٠٣٠", r#"{"count":2030}"#),
    ("۲۰۳۰", r#"{"count":2030}"#),
    ("1,600", r#"{"count":1600}"#),
    ("١٢٬٠٠٠", r#"{"count":12000}"#),
    ("12 ألف", r#"{"count":12000}"#),
    ("1.5 مليون", r#"{"count":1500000}"#),
    ("ألفين وثلاثين", r#"{"count":2030}"#),
    ("ثلاثة آلاف", r#"{"count":3000}"#),
    ("ثلاث مئة", r#"{"count":300}"#),
    ("خمسة وعشرون", r#"{"count":25}"#),
    ("أكثر من 1600", r#"{"more_than":1600}"#),
    ("12 ألف شخص على الأقل", r#"{"at_least":12000}"#),
    ("ما لا يقل عن 50", r#"{"at_least":50}"#),
    ("نحو 200", r#"{"about":200}"#),
    ("قرابة مئة", r#"{"about":100}"#),
    ("ما بين 200 و300", r#"{"between":[200,300]}"#),
    ("200-300", r#"{"between":[200,300]}"#),
    ("عشرات", r#"{"vague":"dozens"}"#),
    ("بالعشرات", r#"{"vague":"dozens"}"#),
    ("آلاف", r#"{"vague":"thousands"}"#),
    ("مئات", r#"{"vague":"hundreds"}"#),
    ("8%", r#"{"percent":8}"#),
    ("8 في المئة", r#"{"percent":8}"#),
];

#[test]
fn quantities() {
    let r = rules();
    let mut bad = Vec::new();
    for (words, want) in QUANTITIES {
        let got = r
            .grammar
            .parse_quantity(&kzcheck::normalize::fold(words))
            .map(|q| serde_json::to_string(&Value::Quantity(q)).unwrap());
        if got.as_deref() != Some(*want) {
            bad.push(format!("«{words}»: want {want}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// (words, article date, expected value, expected weekday mismatch)
const DATES: &[(&str, Option<&str>, &str)] = &[
    (
        "الخميس 14 يناير/كانون الثاني 2022",
        None,
        r#"{"date":"2022-01-14"}"#,
    ),
    ("6 يناير/ كانون الثاني", None, r#"{"date":"--01-06"}"#),
    (
        "6 يناير/ كانون الثاني",
        Some("2022-01-13"),
        r#"{"date":"2022-01-06"}"#,
    ),
    (
        "10 من كانون الثاني الحالي",
        Some("2022-01-12"),
        r#"{"date":"2022-01-10"}"#,
    ),
    (
        "الثاني عشر من كانون الثاني 2022",
        None,
        r#"{"date":"2022-01-12"}"#,
    ),
    ("كانون الثاني (يناير) 2022", None, r#"{"month":"2022-01"}"#),
    ("3 جانفي 2022", None, r#"{"date":"2022-01-03"}"#),
    ("أيلول 2017", None, r#"{"month":"2017-09"}"#),
    (
        "يوم غد، الخميس",
        Some("2022-01-12"),
        r#"{"date":"2022-01-13"}"#,
    ),
    ("يوم غد، الخميس", None, r#"{"weekday":"thursday"}"#),
    ("أمس الخميس", Some("2022-01-07"), r#"{"date":"2022-01-06"}"#),
    ("أمس", None, "null"),
    ("أول أمس", Some("2022-01-07"), r#"{"date":"2022-01-05"}"#),
    ("بعد غد", Some("2022-01-07"), r#"{"date":"2022-01-09"}"#),
    (
        "الخميس الماضي",
        Some("2022-01-12"),
        r#"{"date":"2022-01-06"}"#,
    ),
    (
        "الخميس المقبل",
        Some("2022-01-12"),
        r#"{"date":"2022-01-13"}"#,
    ),
    ("الخميس", Some("2022-01-13"), r#"{"date":"2022-01-13"}"#),
    ("الأربعاء", Some("2022-01-13"), r#"{"date":"2022-01-12"}"#),
    (
        "يوم الاثنين الماضي، 10 من كانون الثاني الحالي",
        Some("2022-01-12"),
        r#"{"date":"2022-01-10"}"#,
    ),
    (
        "في غضون يومين",
        Some("2022-01-11"),
        r#"{"date_between":["2022-01-11","2022-01-13"]}"#,
    ),
    (
        "خلال 10 أيام",
        Some("2022-01-11"),
        r#"{"date_between":["2022-01-11","2022-01-21"]}"#,
    ),
    (
        "قبل ثلاثة أيام",
        Some("2022-01-11"),
        r#"{"date":"2022-01-08"}"#,
    ),
    ("بعد يومين", Some("2022-01-11"), r#"{"date":"2022-01-13"}"#),
];

#[test]
fn dates() {
    let r = rules();
    let cal = Calendar::default();
    let mut bad = Vec::new();
    for (words, article, want) in DATES {
        let folded = kzcheck::normalize::fold(words);
        let whole = r
            .grammar
            .date_re
            .find(&folded)
            .map(|m| m.as_str().to_string());
        if whole.as_deref() != Some(folded.as_str()) {
            bad.push(format!("«{words}»: the {{date}} macro matches {whole:?}"));
        }
        let e = r.grammar.parse_date(&folded);
        let a = article.map(|d| d.parse::<Date>().unwrap());
        let got = cal.resolve(&e, a).value.map(Value::Date);
        let got = serde_json::to_string(&got).unwrap();
        if got != *want {
            bad.push(format!("«{words}» on {article:?}: want {want}, got {got}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn weekday_mismatch_is_found() {
    let r = rules();
    let e = r.grammar.parse_date(&kzcheck::normalize::fold(
        "الخميس 14 يناير/كانون الثاني 2022",
    ));
    let m = Calendar::default()
        .resolve(&e, None)
        .mismatch
        .expect("a mismatch");
    assert_eq!((m.0.name(), m.1.name()), ("thursday", "friday"));
    let e = r
        .grammar
        .parse_date(&kzcheck::normalize::fold("الخميس 13 يناير 2022"));
    assert!(Calendar::default().resolve(&e, None).mismatch.is_none());
}

/// A Hijri date and the Gregorian date given as the same day must be one
/// day on the Umm al-Qura calendar; a right pair gives no finding.
#[test]
fn hijri_and_gregorian_pair_is_checked() {
    let r = rules();
    let loaded = kzcheck::load::load(&[std::path::PathBuf::from("tests/fixtures/hijri-calendar")]);
    let report = kzcheck::check::check(&loaded.articles, &r);
    let cal: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.key == "date.calendar")
        .collect();
    assert_eq!(cal.len(), 1, "{:#?}", report.findings);
    let texts: Vec<&str> = cal[0].evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["الخميس 10 جمادى الآخرة 1443 هـ", "14 يناير 2022"]);
}
