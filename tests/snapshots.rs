//! One snapshot per corpus: every folder under `tests/fixtures/` and the seed
//! articles, rendered as the text report (with the load diagnostics on top)
//! and as the JSON report, into the top-level `snapshots/` folder.
//!
//! Each fixture also has a test that asserts the phenomenon it was written
//! for on the report's data, so a failure names what went wrong instead of
//! only showing a snapshot diff.
use kzcheck::check::{check, Report};
use kzcheck::load::{load, Loaded};
use kzcheck::report::{render, Format, TextOptions};
use kzcheck::rules::Rules;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;
use std::sync::OnceLock;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| match Rules::from_dir(Path::new("rules")) {
        Ok(r) => r,
        Err(e) => panic!("rules/ does not load: {e:?}"),
    })
}

/// A corpus loaded from a path relative to the crate root, and its report.
struct Corpus {
    loaded: Loaded,
    report: Report,
    json: Value,
}

fn corpus(dir: &str) -> Corpus {
    let loaded = load(&[PathBuf::from(dir)]);
    let report = check(&loaded.articles, rules());
    let json: Value = serde_json::from_str(&render_report(&loaded, &report, Format::Json))
        .expect("the JSON report parses");
    Corpus {
        loaded,
        report,
        json,
    }
}

fn render_report(loaded: &Loaded, report: &Report, format: Format) -> String {
    let texts = common::texts_of(&loaded.articles);
    let opts = TextOptions {
        color: false,
        width: 100,
    };
    render(report, format, opts, &texts)
}

fn render_diagnostics(loaded: &Loaded) -> String {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
    let mut out = String::new();
    for d in &loaded.diagnostics {
        if handler.render_report(&mut out, d).is_err() {
            out.push_str(&format!("{d}\n"));
        }
    }
    out
}

/// The text snapshot: load diagnostics, then the report.
fn text_snapshot(c: &Corpus) -> String {
    let diags = render_diagnostics(&c.loaded);
    let report = render_report(&c.loaded, &c.report, Format::Text);
    format!("=== load diagnostics ===\n{diags}\n=== report ===\n{report}")
}

fn snapshot_corpus(case: &str, dir: &str) {
    let c = corpus(dir);
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.remove_snapshot_suffix();
    s.set_description(format!("kzcheck {dir}"));
    s.bind(|| {
        insta::assert_snapshot!(format!("{case}__text"), text_snapshot(&c));
        insta::assert_snapshot!(
            format!("{case}__json"),
            render_report(&c.loaded, &c.report, Format::Json)
        );
    });
}

#[test]
fn fixture_snapshots() {
    insta::glob!("fixtures/*", |path| {
        if !path.is_dir() {
            return;
        }
        let Some(case) = path.file_name().and_then(|n| n.to_str()) else {
            return;
        };
        snapshot_corpus(case, &format!("tests/fixtures/{case}"));
    });
}

#[test]
fn seeds_snapshot() {
    snapshot_corpus("seeds", "seeds");
}

/// The report on the seeds with its explanations in Arabic (`--lang ar`).
#[test]
fn seeds_in_arabic_snapshot() {
    let loaded = load(&[PathBuf::from("seeds")]);
    let opts = kzcheck::check::Options {
        today: None,
        lang: kzcheck::explain::Lang::Ar,
        ..Default::default()
    };
    let report = kzcheck::check::check_with(&loaded.articles, rules(), &opts);
    let text = render_report(&loaded, &report, Format::Text);
    assert!(text.contains("المصادر مختلفة"), "{text}");
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_description("kzcheck --lang ar seeds");
    s.bind(|| insta::assert_snapshot!("seeds_ar__text", text));
}

// ---------------------------------------------------------------------------
// Reading the JSON report.

impl Corpus {
    fn list(&self, name: &str) -> &Vec<Value> {
        self.json[name].as_array().expect("a JSON array")
    }

    fn article(&self, id: &str) -> &Value {
        self.list("articles")
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no article {id}"))
    }

    fn claims(&self, key: &str) -> Vec<&Value> {
        self.list("claims")
            .iter()
            .filter(|c| c["key"] == key)
            .collect()
    }

    /// The values `article` gives for `key`.
    fn values(&self, key: &str, article: &str) -> Vec<&Value> {
        self.claims(key)
            .into_iter()
            .filter(|c| c["article"] == article)
            .map(|c| &c["value"])
            .collect()
    }

    fn findings(&self, kind: &str, key: &str) -> Vec<&Value> {
        self.list("findings")
            .iter()
            .filter(|f| f["kind"] == kind && f["key"] == key)
            .collect()
    }

    fn of_kind(&self, kind: &str) -> Vec<&Value> {
        self.list("findings")
            .iter()
            .filter(|f| f["kind"] == kind)
            .collect()
    }

    /// The one finding of this kind and key.
    fn finding(&self, kind: &str, key: &str) -> &Value {
        let fs = self.findings(kind, key);
        assert_eq!(fs.len(), 1, "one {kind} on {key} expected, got {fs:#?}");
        fs[0]
    }

    /// The original text of an article.
    fn text(&self, id: &str) -> &str {
        self.loaded
            .articles
            .iter()
            .find(|a| &*a.id == id)
            .map(|a| a.text.as_str())
            .unwrap_or_else(|| panic!("no article {id}"))
    }
}

fn articles_of(f: &Value) -> BTreeSet<String> {
    f["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a.as_str().map(String::from))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Every claim's `text` is exactly the bytes of its span in the original
/// file, and `line`/`column` (1-based, column in characters) point at it.
fn assert_spans_exact(c: &Corpus) {
    for claim in c.list("claims") {
        let id = claim["article"].as_str().expect("article");
        let text = c.text(id);
        let span = &claim["span"];
        let start = span["start"].as_u64().expect("start") as usize;
        let end = span["end"].as_u64().expect("end") as usize;
        let got = text.get(start..end);
        assert_eq!(got, claim["text"].as_str(), "span of {claim:#}");
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        assert_eq!(span["line"], json!(line), "line of {claim:#}");
        assert_eq!(span["column"], json!(column), "column of {claim:#}");
    }
}

#[test]
fn spans_are_exact_in_every_corpus() {
    for dir in common::corpus_dirs() {
        let c = corpus(&dir);
        assert!(!c.list("claims").is_empty(), "{dir}: no claim at all");
        assert_spans_exact(&c);
        for a in c.list("articles") {
            let path = a["path"].as_str().expect("path");
            assert!(path.starts_with(&format!("{dir}/")), "{path} not relative");
        }
    }
}

// ---------------------------------------------------------------------------
// relative-dates: أمس / الخميس الماضي / يوم غد / اليوم الأربعاء 19 من كانون
// الثاني, resolved against the article's date.

#[test]
fn relative_dates_resolve_against_the_article_date() {
    let c = corpus("tests/fixtures/relative-dates");
    // Front matter, and a dateline when there is none.
    let a = c.article("01-morning-brief");
    assert_eq!(
        (&a["date"], &a["date_source"]),
        (&json!("2022-01-08"), &json!("front_matter"))
    );
    let a = c.article("03-dateline");
    assert_eq!(
        (&a["date"], &a["date_source"]),
        (&json!("2022-01-19"), &json!("dateline"))
    );

    // "أمس الجمعة" on 8 January and "في السابع من كانون الثاني": 7 January.
    let day7 = json!({"date": "2022-01-07"});
    assert_eq!(c.values("deployment.date", "01-morning-brief"), [&day7]);
    assert_eq!(c.values("deployment.date", "02-weekly-review"), [&day7]);
    let agree = c.finding("agreement", "deployment.date");
    assert_eq!(
        articles_of(agree),
        set(&["01-morning-brief", "02-weekly-review"])
    );

    // "الخميس الماضي" on Monday 24 and "يوم غد، الخميس" on Wednesday 19: the 20th.
    let day20 = json!({"date": "2022-01-20"});
    assert_eq!(c.values("withdrawal.start", "02-weekly-review"), [&day20]);
    assert_eq!(c.values("withdrawal.start", "03-dateline"), [&day20]);
    let agree = c.finding("agreement", "withdrawal.start");
    assert_eq!(
        articles_of(agree),
        set(&["02-weekly-review", "03-dateline"])
    );

    // "أمس الجمعة" on Saturday 22: the 21st, which contradicts the 20th.
    let day21 = json!({"date": "2022-01-21"});
    assert_eq!(
        c.values("withdrawal.start", "04-evening-bulletin"),
        [&day21]
    );
    let contra = c.finding("contradiction", "withdrawal.start");
    assert_eq!(contra["class"], "conflict");
    assert_eq!(contra["severity"], "error");
    assert_eq!(
        articles_of(contra),
        set(&["02-weekly-review", "03-dateline", "04-evening-bulletin"])
    );
    assert!(c.findings("contradiction", "deployment.date").is_empty());
    // Every weekday named agrees with the date it stands beside.
    assert!(c.findings("inconsistency", "date.weekday").is_empty());
}

#[test]
fn relative_dates_speaker_is_never_a_place() {
    let c = corpus("tests/fixtures/relative-dates");
    for claim in c.list("claims") {
        assert_ne!(claim["speaker"], "almaty", "{claim:#}");
    }
}

// ---------------------------------------------------------------------------
// bounds-and-vague: أكثر من / على الأقل / نحو / ما بين … و… / عشرات / آلاف.

#[test]
fn compatible_bounds_agree_and_incompatible_ones_contradict() {
    let c = corpus("tests/fixtures/bounds-and-vague");
    assert_eq!(
        c.values("arrests.total", "a-agency"),
        [&json!({"more_than": 4000})]
    );
    assert_eq!(
        c.values("arrests.total", "c-radio"),
        [&json!({"about": 4500})]
    );
    let d: BTreeSet<String> = c
        .values("arrests.total", "d-wire")
        .iter()
        .map(|v| v.to_string())
        .collect();
    let want: BTreeSet<String> = [json!({"vague": "thousands"}), json!({"at_least": 4000})]
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(d, want);
    // More than 4000, about 4500, at least 4000 and thousands all overlap.
    assert!(c.findings("contradiction", "arrests.total").is_empty());
    let agree = c.finding("agreement", "arrests.total");
    assert!(articles_of(agree).is_superset(&set(&["a-agency", "c-radio", "d-wire"])));

    // Dozens (20-99) against more than 150 and about 160, on the same day.
    assert_eq!(
        c.values("killed.total", "a-agency"),
        [&json!({"vague": "dozens"})]
    );
    assert_eq!(
        c.values("killed.total", "b-daily"),
        [&json!({"more_than": 150})]
    );
    assert_eq!(
        c.values("killed.total", "c-radio"),
        [&json!({"about": 160})]
    );
    let contra = c.finding("contradiction", "killed.total");
    assert_eq!(contra["class"], "conflict");
    assert_eq!(
        articles_of(contra),
        set(&["a-agency", "b-daily", "c-radio"])
    );
    let agree = c.finding("agreement", "killed.total");
    assert_eq!(articles_of(agree), set(&["b-daily", "c-radio"]));
}

#[test]
fn between_with_joined_waw_is_read() {
    let c = corpus("tests/fixtures/bounds-and-vague");
    assert_eq!(
        c.values("arrests.total", "b-daily"),
        [&json!({"between": [4200, 4800]})]
    );
    let agree = c.finding("agreement", "arrests.total");
    assert_eq!(
        articles_of(agree),
        set(&["a-agency", "b-daily", "c-radio", "d-wire"])
    );
}

// ---------------------------------------------------------------------------
// name-variants: the `spellings` groups of rules/entities.yaml.

#[test]
fn name_variants_are_listed_per_spelling_group() {
    let c = corpus("tests/fixtures/name-variants");
    let variants = c.of_kind("name_variant");
    let by_subject = |s: &str| -> &Value {
        let v: Vec<&&Value> = variants.iter().filter(|f| f["subject"] == s).collect();
        assert_eq!(v.len(), 1, "one name variant for {s}, got {variants:#?}");
        v[0]
    };
    let ab = set(&["a-capital-daily", "b-regional-site"]);
    for entity in ["tokayev", "nazarbayev", "ned_price", "kyrgyzstan"] {
        let f = by_subject(entity);
        assert_eq!(articles_of(f), ab, "{entity}");
        assert_eq!(f["severity"], "warning");
    }
    // Three spellings of Almaty, one per article.
    let almaty = by_subject("almaty");
    assert_eq!(
        articles_of(almaty),
        set(&["a-capital-daily", "b-regional-site", "c-radio-brief"])
    );
    let msg = almaty["message"].as_str().expect("message");
    for spelling in ["ألماتي", "ألما آتا", "ألما اتا"] {
        assert!(msg.contains(&format!("«{spelling}»")), "{msg}");
    }
    // The short "توكاييف" of c is a name, not a spelling of the full one.
    assert_eq!(variants.len(), 5, "{variants:#?}");

    // بيلاروسيا = روسيا البيضاء, قرغيزستان = قيرغيزستان: the same set.
    let set4 = json!({"set": ["armenia", "belarus", "kyrgyzstan", "russia"]});
    assert_eq!(c.values("contingent.countries", "a-capital-daily"), [&set4]);
    assert_eq!(c.values("contingent.countries", "b-regional-site"), [&set4]);
    let agree = c.finding("agreement", "contingent.countries");
    assert_eq!(articles_of(agree), ab);
    assert!(c.of_kind("contradiction").is_empty());
}

// ---------------------------------------------------------------------------
// weekday-mismatch: "الجمعة 6 يناير/كانون الثاني 2022" (a Thursday).

#[test]
fn a_weekday_that_is_not_the_dates_weekday_is_an_inconsistency() {
    let c = corpus("tests/fixtures/weekday-mismatch");
    let inc = c.findings("inconsistency", "date.weekday");
    let on = |id: &str| -> Vec<&&Value> {
        inc.iter()
            .filter(|f| articles_of(f) == set(&[id]))
            .collect()
    };
    let wrong = on("a-wrong-weekday");
    assert_eq!(wrong.len(), 1, "{inc:#?}");
    assert_eq!(wrong[0]["severity"], "error");
    let msg = wrong[0]["message"].as_str().expect("message");
    assert!(msg.contains("2022-01-06") && msg.contains("thursday") && msg.contains("friday"));
    assert!(on("b-right-weekday").is_empty(), "{inc:#?}");
    // No year: the story's window gives 2022, and 16 January was a Sunday.
    let window = on("c-window-year");
    assert_eq!(window.len(), 1, "{inc:#?}");
    assert!(window[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("sunday") && m.contains("saturday")));
    assert_eq!(inc.len(), 2);

    // The day itself is the same in both articles: they agree on it.
    let day6 = json!({"date": "2022-01-06"});
    assert_eq!(c.values("deployment.date", "a-wrong-weekday"), [&day6]);
    assert_eq!(c.values("deployment.date", "b-right-weekday"), [&day6]);
    let agree = c.finding("agreement", "deployment.date");
    assert_eq!(
        articles_of(agree),
        set(&["a-wrong-weekday", "b-right-weekday"])
    );
}

// ---------------------------------------------------------------------------
// broken-article: an empty file, a non-UTF-8 file, bad front matter.

#[test]
fn broken_files_are_diagnosed_and_the_rest_is_checked() {
    let c = corpus("tests/fixtures/broken-article");
    let mut diags: Vec<(String, String)> = c
        .loaded
        .diagnostics
        .iter()
        .map(|d| {
            let code = miette::Diagnostic::code(d)
                .map(|c| c.to_string())
                .unwrap_or_default();
            (d.path().to_string(), code)
        })
        .collect();
    diags.sort();
    let dir = "tests/fixtures/broken-article";
    assert_eq!(
        diags,
        [
            (
                format!("{dir}/bad-front-matter.md"),
                "kzcheck::load::front_matter".to_string()
            ),
            (format!("{dir}/empty.txt"), "kzcheck::load::empty".into()),
            (
                format!("{dir}/legacy-encoding.txt"),
                "kzcheck::load::not_utf8".into()
            ),
        ]
    );
    // Bad front matter: the article is read without it.
    let ids: Vec<&str> = c.loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["bad-front-matter", "good"]);
    assert_eq!(c.article("bad-front-matter")["date"], Value::Null);
    let agree = c.finding("agreement", "troops.total");
    assert_eq!(articles_of(agree), set(&["bad-front-matter", "good"]));
    assert_eq!(c.values("troops.total", "good"), [&json!({"count": 2400})]);
}

// ---------------------------------------------------------------------------
// digits-and-tashkeel: ٣١٥٠ / ۳۱۵۰ / 3150, vocalized and plain words.

#[test]
fn arabic_indic_digits_and_tashkeel_read_as_plain() {
    let c = corpus("tests/fixtures/digits-and-tashkeel");
    let all = set(&["a-vocalized", "b-plain", "c-persian-tatweel"]);
    for (key, value) in [
        ("troops.total", json!({"count": 3150})),
        ("arrests.total", json!({"count": 6800})),
    ] {
        for id in &all {
            assert_eq!(c.values(key, id), [&value], "{key} in {id}");
        }
        assert_eq!(articles_of(c.finding("agreement", key)), all, "{key}");
    }
    let ab = set(&["a-vocalized", "b-plain"]);
    let day7 = json!({"date": "2022-01-07"});
    assert_eq!(c.values("deployment.date", "a-vocalized"), [&day7]);
    assert_eq!(articles_of(c.finding("agreement", "deployment.date")), ab);
    let age = c
        .claims("person.age")
        .into_iter()
        .filter(|cl| cl["subject"] == "tokayev" && cl["value"] == json!({"count": 68}))
        .count();
    assert_eq!(age, 2);
    assert_eq!(articles_of(c.finding("agreement", "person.age")), ab);
    // The spans are the original, vocalized words.
    let troops_a = c
        .claims("troops.total")
        .into_iter()
        .find(|cl| cl["article"] == "a-vocalized")
        .expect("a troops claim in a-vocalized");
    assert_eq!(troops_a["text"], "٣١٥٠ جُنْدِيّاً");
    // A vocalized name is not another spelling; nothing contradicts.
    assert!(
        c.of_kind("name_variant").is_empty(),
        "{:#?}",
        c.of_kind("name_variant")
    );
    assert!(c.of_kind("contradiction").is_empty());
    assert!(c.of_kind("inconsistency").is_empty());
}

// ---------------------------------------------------------------------------
// single-line: a 1,800-character article on one line, with an inline
// «أخبار ذات صلة» block of other stories' headlines.

const RELATED: &str = "أخبار ذات صلة";

#[test]
fn a_one_line_article_gives_its_claims() {
    let c = corpus("tests/fixtures/single-line");
    let text = c.text("a-one-line");
    assert_eq!(text.trim_end().lines().count(), 1);
    let story_end = text.find(RELATED).expect("the related block");
    let in_story = |key: &str, value: Value| {
        c.claims(key).into_iter().any(|cl| {
            cl["article"] == "a-one-line"
                && cl["value"] == value
                && (cl["span"]["end"].as_u64().unwrap_or(u64::MAX) as usize) <= story_end
        })
    };
    assert!(in_story("troops.total", json!({"count": 2600})));
    assert!(in_story("arrests.total", json!({"about": 5000})));
    assert!(in_story("killed.total", json!({"vague": "dozens"})));
    assert!(in_story(
        "contingent.countries",
        json!({"set": ["armenia", "belarus", "russia", "tajikistan"]})
    ));
    assert!(c
        .claims("quote")
        .iter()
        .any(|q| q["article"] == "a-one-line" && q["speaker"] == "tokayev"));
    for key in ["troops.total", "arrests.total", "contingent.countries"] {
        let agree = c.finding("agreement", key);
        assert_eq!(articles_of(agree), set(&["a-one-line", "b-short"]), "{key}");
    }
}

#[test]
fn an_inline_related_block_gives_no_claim() {
    let c = corpus("tests/fixtures/single-line");
    let text = c.text("a-one-line");
    let story_end = text.find(RELATED).expect("the related block");
    let leaked: Vec<&Value> = c
        .list("claims")
        .iter()
        .filter(|cl| {
            cl["article"] == "a-one-line"
                && cl["span"]["start"].as_u64().unwrap_or(0) as usize >= story_end
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "claims from the related block: {leaked:#?}"
    );
    assert!(c.of_kind("contradiction").is_empty());
    assert!(c.of_kind("inconsistency").is_empty());
}
