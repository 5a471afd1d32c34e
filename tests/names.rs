//! Spellings of a person's name that the rules do not list are still found
//! (one letter off a listed name), and listed aliases are not flagged.
use kzcheck::check::check;
use kzcheck::compare::Kind;
use kzcheck::rules::Rules;
use std::path::Path;

mod common;
use common::article;

#[test]
fn an_unlisted_spelling_one_letter_off_is_a_name_variant() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let a = article("a", "قال الرئيس الروسي فلاديمير بوتين إن القوات ستنسحب.");
    let b = article("b", "وقال بوتبن: «إن المهمة انتهت بنجاح كامل».");
    let c = article("c", "وأكد بوتين أن القوات أنجزت مهمتها.");
    let report = check(&[a, b, c], &rules);
    let v: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::NameVariant)
        .collect();
    assert_eq!(v.len(), 1, "{:#?}", report.findings);
    assert_eq!(v[0].subject.as_deref(), Some("putin"));
    let words: Vec<(&str, &str)> = v[0]
        .evidence
        .iter()
        .map(|e| (e.article.as_ref(), e.text.as_str()))
        .collect();
    assert!(words.contains(&("b", "بوتبن")), "{words:?}");
    assert!(
        v[0].message.contains("most sources write «بوتين»"),
        "{}",
        v[0].message
    );
    // the misspelt name still names its speaker
    let quoted: Vec<_> = report
        .claims
        .iter()
        .filter(|c| &*c.article == "b" && &*c.key == "quote")
        .collect();
    assert_eq!(quoted.len(), 1, "{:#?}", report.claims);
    assert_eq!(quoted[0].speaker.as_deref(), Some("putin"));
}

#[test]
fn listed_aliases_and_other_words_are_not_variants() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    // بيلاروسيا and روسيا البيضاء are one country under two names; بوتينا
    // is not a spelling of بوتين (an ending differs).
    let a = article("a", "وتضم القوة جنودا من بيلاروسيا. وقال بوتين إن ذلك كاف.");
    let b = article(
        "b",
        "وتضم القوة جنودا من روسيا البيضاء. وقالت بوتينا إن ذلك كاف.",
    );
    let report = check(&[a, b], &rules);
    assert!(
        report.findings.iter().all(|f| f.kind != Kind::NameVariant),
        "{:#?}",
        report.findings
    );
}

#[test]
fn one_letter_off() {
    use kzcheck::extract::one_letter_off;
    assert!(one_letter_off("نيد براس", "نيد برايس"));
    assert!(one_letter_off("بوتبن", "بوتين"));
    assert!(!one_letter_off("بوتين", "بوتين"));
    assert!(!one_letter_off("بوتينا", "بوتين"));
    assert!(!one_letter_off("نيدبرايس", "نيد برايس"));
    assert!(!one_letter_off("وبوتين", "بوتين"));
}
