//! Invariants of the whole run, checked on the seed articles (built in
//! memory) and on generated text with the real rules:
//! - the report does not depend on the order of the articles;
//! - renaming articles changes nothing but the names;
//! - Arabic-Indic digits and tashkeel do not change what is found;
//! - every span (claims, anchors, finding evidence) is exact: inside the
//!   text, on char boundaries, its bytes are the quoted text, and its line
//!   and column match its offset;
//! - a copy of an article never turns an agreement into a contradiction;
//! - arbitrary text never panics.
use kzcheck::check::{check, Report};
use kzcheck::claim::Span;
use kzcheck::compare::Kind;
use kzcheck::load::{Article, Meta};
use kzcheck::report::json;
use kzcheck::rules::Rules;
use proptest::prelude::*;
use proptest::sample::{subsequence, Index};
use proptest::test_runner::TestCaseError;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::from_dir(Path::new("rules")).expect("rules/ loads"))
}

/// The seed articles: (id, text), sorted by id.
fn seeds() -> &'static [(String, String)] {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut v: Vec<(String, String)> = std::fs::read_dir("seeds")
            .expect("seeds/ is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                let id = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .expect("UTF-8 name")
                    .to_string();
                let text = std::fs::read_to_string(&p).expect("seed is UTF-8");
                (id, text)
            })
            .collect();
        v.sort();
        assert!(v.len() >= 2, "seeds/ holds articles");
        v
    })
}

fn article(id: &str, path: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        path: path.to_string(),
        text: text.to_string(),
        body: 0..text.len(),
        meta: Meta::default(),
    }
}

fn seed_articles(which: &[usize]) -> Vec<Article> {
    which
        .iter()
        .map(|&i| {
            let (id, text) = &seeds()[i];
            article(id, &format!("seeds/{id}.txt"), text)
        })
        .collect()
}

fn all_seed_articles() -> Vec<Article> {
    seed_articles(&(0..seeds().len()).collect::<Vec<_>>())
}

/// The report of all the seeds, in sorted order (computed once).
fn seed_report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| check(&all_seed_articles(), rules()))
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serializes")
}

/// A finding without ids or wording: kind, class, key, subject, severity and
/// its articles (mapped through `back`, sorted).
type FindingSig = (String, String, String, String, String, Vec<String>);

fn finding_sigs(report: &Report, back: &dyn Fn(&str) -> String) -> Vec<FindingSig> {
    let mut v: Vec<FindingSig> = report
        .findings
        .iter()
        .map(|f| {
            let mut articles: Vec<String> = f.articles.iter().map(|a| back(a)).collect();
            articles.sort();
            (
                to_json(&f.kind),
                to_json(&f.class),
                f.key.to_string(),
                to_json(&f.subject),
                to_json(&f.severity),
                articles,
            )
        })
        .collect();
    v.sort();
    v
}

/// The same without class and severity.
fn finding_sigs_short(report: &Report, back: &dyn Fn(&str) -> String) -> Vec<FindingSig> {
    let mut v: Vec<FindingSig> = finding_sigs(report, back)
        .into_iter()
        .map(|(k, _, key, s, _, a)| (k, String::new(), key, s, String::new(), a))
        .collect();
    v.sort();
    v
}

/// A claim without ids or spans: article (mapped), key, subject, value,
/// speaker, as_of, rule.
type ClaimSig = (String, String, String, String, String, String, String);

fn claim_sigs(report: &Report, back: &dyn Fn(&str) -> String) -> Vec<ClaimSig> {
    let mut v: Vec<ClaimSig> = report
        .claims
        .iter()
        .map(|c| {
            (
                back(&c.article),
                c.key.to_string(),
                to_json(&c.subject),
                to_json(&c.value),
                to_json(&c.speaker),
                to_json(&c.as_of),
                c.rule.to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn same(a: &str) -> String {
    a.to_string()
}

/// One span checked against the text it points into.
fn check_span(text: &str, span: &Span, quoted: &str, what: &str) -> Result<(), TestCaseError> {
    let (start, end) = (span.start as usize, span.end as usize);
    prop_assert!(
        start <= end && end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: span {span:?} not on char boundaries"
    );
    prop_assert_eq!(&text[start..end], quoted, "{}: text", what);
    let before = &text[..start];
    let line = 1 + before.matches('\n').count();
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = 1 + before[line_start..].chars().count();
    prop_assert_eq!(span.line as usize, line, "{}: line of {:?}", what, span);
    prop_assert_eq!(
        span.column as usize,
        column,
        "{}: column of {:?}",
        what,
        span
    );
    Ok(())
}

/// Every span of the report is exact, and findings name existing articles
/// and claims.
fn check_report_spans(report: &Report, articles: &[Article]) -> Result<(), TestCaseError> {
    let texts: HashMap<&str, &str> = articles
        .iter()
        .map(|a| (a.id.as_ref(), a.text.as_str()))
        .collect();
    let text_of = |id: &str| -> Result<&str, TestCaseError> {
        texts
            .get(id)
            .copied()
            .ok_or_else(|| TestCaseError::fail(format!("unknown article {id}")))
    };
    let claim_ids: BTreeSet<&str> = report.claims.iter().map(|c| c.id.as_ref()).collect();
    prop_assert_eq!(claim_ids.len(), report.claims.len(), "claim ids are unique");
    for c in &report.claims {
        let text = text_of(&c.article)?;
        check_span(text, &c.span, &c.text, &format!("claim {}", c.id))?;
        prop_assert!(c.span.end > c.span.start, "claim {} is empty", c.id);
        for (i, a) in c.anchors.iter().enumerate() {
            let text = text_of(&a.article)?;
            check_span(text, &a.span, &a.text, &format!("anchor {i} of {}", c.id))?;
        }
    }
    for (n, f) in report.findings.iter().enumerate() {
        for a in &f.articles {
            prop_assert!(texts.contains_key(a.as_str()), "finding {n}: article {a}");
        }
        for c in &f.claims {
            prop_assert!(claim_ids.contains(c.as_str()), "finding {n}: claim {c}");
        }
        for (i, e) in f.evidence.iter().enumerate() {
            let text = text_of(&e.article)?;
            check_span(
                text,
                &e.span,
                &e.text,
                &format!("evidence {i} of finding {n}"),
            )?;
        }
    }
    Ok(())
}

/// ASCII digits to the digits that start at `zero` (U+0660 Arabic-Indic,
/// U+06F0 Persian).
fn other_digits(text: &str, zero: u32) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(zero + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c) && c != '\u{0640}'
}

/// Inserts a haraka (fatha, or any of U+064B..U+0652 when `any_mark`) after
/// about one Arabic letter in `every`, chosen by `seed`. Letters are never
/// digits, so no digit run is split.
fn add_tashkeel(text: &str, seed: u64, every: u64, any_mark: bool) -> String {
    let mut state = seed | 1;
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        out.push(c);
        if is_arabic_letter(c) {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if state % every == 0 {
                let mark = if any_mark {
                    0x064B + (state >> 32) as u32 % 8
                } else {
                    0x064E
                };
                out.push(char::from_u32(mark).unwrap_or('\u{064E}'));
            }
        }
    }
    out
}

/// The (key, subject)s with a contradiction.
fn disputed(report: &Report) -> BTreeSet<(String, Option<String>)> {
    report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Contradiction)
        .map(|f| (f.key.to_string(), f.subject.as_deref().map(String::from)))
        .collect()
}

#[test]
fn seed_report_spans_are_exact() {
    let articles = all_seed_articles();
    let report = seed_report();
    assert!(!report.claims.is_empty(), "the seeds give claims");
    assert!(!report.findings.is_empty(), "the seeds give findings");
    check_report_spans(report, &articles).unwrap();
}

/// A prefix before the body (a BOM, front matter) shifts every span by its
/// length and changes nothing else.
#[test]
fn body_offset_shifts_spans() {
    let plain = all_seed_articles();
    let prefix = "\u{feff}---\nsource: x\ntitle: «عنوان»\n---\n";
    let prefixed: Vec<Article> = plain
        .iter()
        .map(|a| Article {
            text: format!("{prefix}{}", a.text),
            body: prefix.len()..prefix.len() + a.text.len(),
            ..a.clone()
        })
        .collect();
    let r1 = seed_report();
    let r2 = check(&prefixed, rules());
    check_report_spans(&r2, &prefixed).unwrap();
    assert_eq!(claim_sigs(r1, &same), claim_sigs(&r2, &same));
    assert_eq!(finding_sigs(r1, &same), finding_sigs(&r2, &same));
    // Claims are listed in the same order, each moved by the prefix.
    let starts = |r: &Report, shift: usize| -> Vec<(String, usize, String)> {
        r.claims
            .iter()
            .map(|c| {
                (
                    c.article.to_string(),
                    c.span.start as usize + shift,
                    c.text.to_string(),
                )
            })
            .collect()
    };
    assert_eq!(starts(r1, prefix.len()), starts(&r2, 0));
}

/// Tokens for generated articles: words the rules know, digits of both
/// kinds, letters, quotes, punctuation, tashkeel, tatweel and newlines.
fn token() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "أكثر من ",
        "على الأقل",
        "نحو ",
        "ما بين ",
        " و",
        "عشرات ",
        "مئات ",
        "آلاف ",
        "القتلى",
        "قتيلا ",
        "جريح ",
        " في صفوف الشرطة",
        " من أفراد الأمن قتلوا",
        "جنديا ",
        "مركبة",
        "طائرة",
        "يناير",
        "كانون الثاني",
        "/",
        "الخميس ",
        "الأربعاء",
        "أمس ",
        "اليوم ",
        "غدا",
        "الماضي",
        "الجاري",
        "بدأت ",
        "انسحابها",
        "قبل ",
        "تنهي انسحابها ",
        "قال ",
        "إن ",
        "توكاييف",
        "نزارباييف",
        "نزار باييف",
        " (",
        " عاما)",
        "روسيا",
        "وبيلاروسيا",
        "تضم ",
        " من ",
        "ألف ",
        "ألفين وثلاثين ",
        "2022",
        "14 ",
        "٢٠٣٠",
        "12,000",
        "1.5",
        "أ ف ب",
        "أخبار ذات صلة",
        "توقيف ",
        "شخص ",
    ];
    const PUNCT: &[&str] = &[
        " ", " ", " ", "\n", "\n\n", "«", "»", "\"", "“", "”", ".", "،", "؟", "\u{064E}",
        "\u{0651}", "\u{0640}", "\r\n", "!",
    ];
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        3 => proptest::sample::select(PUNCT).prop_map(str::to_string),
        2 => "[0-9]{1,5}",
        1 => "[٠-٩]{1,4}",
        2 => "[ء-ي]{1,7}",
    ]
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..120).prop_map(|v| v.concat())
}

// A check of the five seeds takes about 0.4 s here: 12 cases each.
proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The JSON report of any subset of the seeds is the same, byte for
    /// byte, whatever the order of the articles.
    #[test]
    fn report_does_not_depend_on_order(
        order in subsequence((0..5usize).collect::<Vec<_>>(), 1..=5).prop_shuffle()
    ) {
        let mut sorted = order.clone();
        sorted.sort();
        let a = json::render(&check(&seed_articles(&sorted), rules()));
        let b = json::render(&check(&seed_articles(&order), rules()));
        prop_assert!(a == b, "order {:?} changes the report", order);
    }

    /// The claims and findings (JSON) of the seeds do not
    /// depend on the order of the articles.
    #[test]
    fn claims_and_findings_do_not_depend_on_order(
        order in Just((0..5usize).collect::<Vec<_>>()).prop_shuffle()
    ) {
        let a = seed_report();
        let b = check(&seed_articles(&order), rules());
        prop_assert_eq!(to_json(&a.claims), to_json(&b.claims), "claims, order {:?}", order);
        prop_assert_eq!(to_json(&a.findings), to_json(&b.findings), "findings, order {:?}", order);
    }

    /// New ids and paths (a consistent random mapping) give the same claims
    /// and findings once the ids are mapped back.
    #[test]
    fn renaming_articles_changes_only_names(
        names in proptest::collection::btree_set("[a-z][a-z0-9_-]{0,8}|[ا-ي]{1,6}", 5)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>())
            .prop_shuffle(),
        dir in "[a-z]{1,6}",
    ) {
        let plain = all_seed_articles();
        let renamed: Vec<Article> = plain
            .iter()
            .zip(&names)
            .map(|(a, n)| article(n, &format!("{dir}/{n}.txt"), &a.text))
            .collect();
        let back_map: BTreeMap<&str, &str> = names
            .iter()
            .map(String::as_str)
            .zip(plain.iter().map(|a| a.id.as_ref()))
            .collect();
        let back = |id: &str| back_map.get(id).map(|s| s.to_string()).unwrap_or_else(|| format!("?{id}"));
        let r1 = seed_report();
        let r2 = check(&renamed, rules());
        prop_assert_eq!(claim_sigs(r1, &same), claim_sigs(&r2, &back));
        prop_assert_eq!(finding_sigs(r1, &same), finding_sigs(&r2, &back));
        check_report_spans(&r2, &renamed)?;
    }

    /// Arabic-Indic (or Persian) digits and/or tashkeel in every article
    /// keep the claims' values and the findings; the spans stay exact in the
    /// new text.
    #[test]
    fn reencoding_keeps_findings(
        digits in proptest::option::of(prop_oneof![Just(0x0660u32), Just(0x06F0u32)]),
        tashkeel in proptest::option::of((any::<u64>(), 1u64..=4, any::<bool>())),
    ) {
        let plain = all_seed_articles();
        let encoded: Vec<Article> = plain
            .iter()
            .map(|a| {
                let mut t = a.text.clone();
                if let Some(zero) = digits {
                    t = other_digits(&t, zero);
                }
                if let Some((seed, every, any_mark)) = tashkeel {
                    t = add_tashkeel(&t, seed, every, any_mark);
                }
                article(&a.id, &a.path, &t)
            })
            .collect();
        let r1 = seed_report();
        let r2 = check(&encoded, rules());
        check_report_spans(&r2, &encoded)?;
        prop_assert_eq!(claim_sigs(r1, &same), claim_sigs(&r2, &same));
        prop_assert_eq!(finding_sigs_short(r1, &same), finding_sigs_short(&r2, &same));
    }

    /// A copy of an article under a new id never turns a (key, subject)
    /// without contradiction into one with a contradiction.
    #[test]
    fn a_copy_adds_no_contradiction(
        which in subsequence((0..5usize).collect::<Vec<_>>(), 1..=3),
        pick in any::<Index>(),
    ) {
        let base = seed_articles(&which);
        let original = &base[pick.index(base.len())];
        let copy = article("zz-copy", "copies/zz-copy.txt", &original.text);
        let mut with_copy = base.clone();
        with_copy.push(copy);
        let before = disputed(&check(&base, rules()));
        let report = check(&with_copy, rules());
        let after = disputed(&report);
        let new: Vec<_> = after.difference(&before).collect();
        prop_assert!(
            new.is_empty(),
            "copying {} into {:?} creates contradictions on {:?}",
            original.id, which, new
        );
        check_report_spans(&report, &with_copy)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Arbitrary text: check() returns and every span is exact.
    #[test]
    fn arbitrary_text_does_not_panic(texts in proptest::collection::vec(text_strategy(), 1..=3)) {
        let articles: Vec<Article> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| article(&format!("a{i}"), &format!("gen/a{i}.txt"), t))
            .collect();
        let report = check(&articles, rules());
        check_report_spans(&report, &articles)?;
        let _ = json::render(&report);
    }
}

/// The report is the same on one thread as on several: the seeds and every
/// fixture corpus read together, so that there are enough articles for the
/// threads to interleave.
#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let mut paths = vec![std::path::PathBuf::from("seeds")];
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    let loaded = kzcheck::load::load(&paths);
    assert!(loaded.articles.len() > 40, "{}", loaded.articles.len());
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| json::render(&check(&loaded.articles, rules())))
    };
    let one = run(1);
    for threads in [2, 4, 7] {
        assert!(run(threads) == one, "{threads} threads give another report");
    }
}

proptest! {
    /// Spans placed with the article's line starts worked out once are
    /// the spans placed by counting lines from the start of the text.
    #[test]
    fn spans_placed_by_line_starts_are_the_counted_ones(
        text in "[\n\r ab.قال«»\u{fe0f}]{0,80}",
        a in 0usize..100,
        b in 0usize..100,
    ) {
        use kzcheck::claim::Span;
        let starts = Span::line_starts(&text);
        // Positions on character boundaries, and past the end.
        let at = |n: usize| {
            let mut i = n.min(text.len() + 3);
            while i <= text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let range = at(a.min(b))..at(a.max(b));
        prop_assert_eq!(
            Span::in_lines(&text, &starts, range.clone()),
            Span::new(&text, range)
        );
    }
}
