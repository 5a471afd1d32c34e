//! Reports stay linear in the size of a finding: a figure given by hundreds
//! of articles (a day's wire) makes findings of hundreds of claims, and no
//! format may grow with their square (a message listing every claim,
//! repeated once per place, did: 618 MB for 2,000 articles).
use kzcheck::check::{check, Report};
use kzcheck::compare::Kind;
use kzcheck::load::Article;
use kzcheck::report::{render, Format, TextOptions};
use kzcheck::rules::Rules;
use std::collections::HashMap;
use std::path::Path;

mod common;

const ARTICLES: usize = 400;

/// `ARTICLES` articles giving the size of one contingent: most say 2030,
/// one in ten 2500 and one in twenty 1800.
fn corpus() -> Vec<Article> {
    (0..ARTICLES)
        .map(|i| {
            let n = match i {
                i if i % 20 == 0 => 1800,
                i if i % 10 == 0 => 2500,
                _ => 2030,
            };
            common::article(
                &format!("w{i:04}"),
                &format!(
                    "وصلت القوة إلى المدينة صباح اليوم.\nوقال المتحدث إن القوة تضم {n} جندياً من عدة دول.\n"
                ),
            )
        })
        .collect()
}

fn report() -> (Vec<Article>, Report) {
    let rules = Rules::from_dir(Path::new("rules")).expect("the rules load");
    let articles = corpus();
    let report = check(&articles, &rules);
    (articles, report)
}

#[test]
fn large_findings_keep_short_messages_and_linear_reports() {
    let (articles, report) = report();
    let contradiction = report
        .findings
        .iter()
        .find(|f| f.kind == Kind::Contradiction && &*f.key == "troops.total")
        .expect("the three figures contradict each other");
    assert_eq!(
        contradiction.claims.len(),
        ARTICLES,
        "every claim is in the finding"
    );
    assert_eq!(contradiction.articles.len(), ARTICLES);
    let agreement = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Agreement && &*f.key == "troops.total")
        .max_by_key(|f| f.claims.len())
        .expect("the articles giving 2030 agree");
    assert!(agreement.claims.len() > ARTICLES / 2);

    // Every message names a few places and says how many more there are.
    for f in &report.findings {
        assert!(
            f.message.chars().count() < 1500,
            "a {}-character message: {}",
            f.message.chars().count(),
            f.message
        );
    }
    assert!(
        contradiction.message.contains("more"),
        "{}",
        contradiction.message
    );

    // One line per place, each short: linear in the claims.
    let line = render(
        &report,
        Format::Line,
        TextOptions {
            color: false,
            width: 100,
        },
        &HashMap::new(),
    );
    let places: usize = report
        .findings
        .iter()
        .map(|f| f.claims.len().max(1) + f.evidence.len())
        .sum();
    assert!(line.lines().count() <= places);
    assert!(
        line.len() < places * 600,
        "{} bytes for {places} places",
        line.len()
    );

    // Text and SARIF: a bounded number of bytes per place.
    let texts = common::texts_of(&articles);
    let opts = TextOptions {
        color: false,
        width: 100,
    };
    for format in [Format::Text, Format::Sarif, Format::Json, Format::Dot] {
        let out = render(&report, format, opts, &texts);
        assert!(
            out.len() < places * 2500,
            "{format:?}: {} bytes for {places} places",
            out.len()
        );
    }
}

#[test]
fn the_graph_of_large_findings_is_linear() {
    let (_, report) = report();
    let g = kzcheck::graph::build(&report);
    // States, said-by and about edges: at most three per claim; agreement
    // and contradiction edges: about one per claim of each finding.
    let in_findings: usize = report.findings.iter().map(|f| f.claims.len()).sum();
    assert!(
        g.edge_count() <= 3 * report.claims.len() + 2 * in_findings,
        "{} edges for {} claims",
        g.edge_count(),
        report.claims.len()
    );
}

/// The text report is laid out a window of parts at a time, in parallel,
/// and written while the next window is laid out: the articles it quotes
/// must still come in the order of each finding's claims, their anchors
/// and its evidence, across every window.
#[test]
fn a_text_report_of_many_windows_quotes_in_the_findings_order() {
    let (articles, report) = report();
    let claims: HashMap<&str, &kzcheck::claim::Claim> = report
        .claims
        .iter()
        .map(|c| (c.id.as_ref(), &**c))
        .collect();
    let mut expected: Vec<String> = Vec::new();
    for f in &report.findings {
        for c in f
            .claims
            .iter()
            .filter_map(|id| claims.get::<str>(id.as_ref()))
        {
            expected.push(c.article.to_string());
            expected.extend(c.anchors.iter().map(|a| a.article.to_string()));
        }
        expected.extend(f.evidence.iter().map(|e| e.article.to_string()));
    }
    // (Three windows of 256 parts at least.)
    assert!(expected.len() > 2 * 256, "{} parts", expected.len());
    let texts = common::texts_of(&articles);
    let opts = TextOptions {
        color: false,
        width: 100,
    };
    let out = render(&report, Format::Text, opts, &texts);
    // A quote's title stands over the frame of its words, or over the
    // line that names the words its finding drew already (a finding of
    // advice, an agreement, has a title of the same look, but no frame).
    let lines: Vec<&str> = out.lines().collect();
    let quoted: Vec<String> = lines
        .windows(2)
        .filter(|w| {
            let next = w[1].trim_start();
            next.starts_with("╭─[") || next.starts_with("╰─[")
        })
        .filter_map(|w| w[0].strip_prefix("  ☞ "))
        .map(|t| t.split(':').next().unwrap_or(t).to_string())
        .collect();
    assert_eq!(quoted, expected);
}
