//! Any bytes as an article file: `load::from_bytes` (decoding, front
//! matter, diagnostics rendered with miette), then the extractor with the
//! built-in rules, then the whole `check::check`. The extractor keeps its
//! sentence memo from input to input; an extractor with none must find
//! the same.
#![no_main]
use std::sync::OnceLock;

use kzcheck::extract::Extractor;
use kzcheck::rules::Rules;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().expect("the built-in rules compile"))
}

fn extractor() -> &'static Extractor<'static> {
    static EX: OnceLock<Extractor<'static>> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(rules()))
}

/// An extractor with no sentence memo: every sentence read afresh.
fn plain() -> &'static Extractor<'static> {
    static EX: OnceLock<Extractor<'static>> = OnceLock::new();
    EX.get_or_init(|| Extractor::with_memo(rules(), 0))
}

fuzz_target!(|data: &[u8]| {
    let (article, diagnostics) = kzcheck::load::from_bytes("fuzz/input.txt", data.to_vec());
    for d in &diagnostics {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut out, d)
            .expect("a load diagnostic renders");
        assert!(out.contains("fuzz/input.txt"), "{out}");
    }
    let Some(article) = article else { return };
    assert!(article.text.get(article.body.clone()).is_some());
    let ex = extractor();
    let doc = ex.prepare(article.body_text());
    let extracted = ex.extract(&doc);
    assert_eq!(
        format!("{extracted:?}"),
        format!("{:?}", plain().extract(&doc)),
        "the memo changed what was found"
    );
    for d in &extracted.dates {
        assert!(doc.norm.text.get(d.range.clone()).is_some());
    }
    let report = kzcheck::check::check(std::slice::from_ref(&article), rules());
    for c in &report.claims {
        assert!(
            article.text.get(c.span.range()).is_some(),
            "claim span {}..{} not in the article text",
            c.span.start,
            c.span.end
        );
    }
});
