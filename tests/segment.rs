//! Tests for `kzcheck::segment` on the normalized seeds, small cases and
//! properties (no panic; ranges valid, ordered, covering the text).
use kzcheck::normalize::normalize;
use kzcheck::segment::{segment, Sentence};
use proptest::prelude::*;

fn markers() -> Vec<String> {
    ["اخبار ذات صلة", "اقرا ايضا", "مشاركة"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// The normalized text of the seed whose name starts with `prefix`.
fn seed(prefix: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    for entry in std::fs::read_dir(dir).expect("seeds dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with(prefix) {
            let text = std::fs::read_to_string(&path).expect("seed");
            return normalize(&text).text;
        }
    }
    panic!("no seed {prefix}");
}

fn texts<'a>(text: &'a str, sentences: &[Sentence]) -> Vec<&'a str> {
    sentences.iter().map(|s| &text[s.range.clone()]).collect()
}

/// The invariants every segmentation must keep.
fn check_invariants(text: &str, sentences: &[Sentence]) -> Result<(), String> {
    let mut covered = vec![false; text.len()];
    let mut last_end = 0;
    let mut last_par = 0;
    for s in sentences {
        let r = &s.range;
        if r.start < last_end || r.start >= r.end || r.end > text.len() {
            return Err(format!("bad or unordered range {r:?}"));
        }
        if !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            return Err(format!("not on char boundaries {r:?}"));
        }
        let slice = &text[r.clone()];
        if slice.trim() != slice {
            return Err(format!("untrimmed {r:?}"));
        }
        if slice.contains('\n') {
            return Err(format!("sentence spans a line {r:?}"));
        }
        if s.paragraph < last_par {
            return Err("paragraphs out of order".into());
        }
        for q in &s.quotes {
            let ok = r.start <= q.outer.start
                && q.outer.start < q.inner.start
                && q.inner.start <= q.inner.end
                && q.inner.end < q.outer.end
                && q.outer.end <= r.end
                && [q.outer.start, q.outer.end, q.inner.start, q.inner.end]
                    .iter()
                    .all(|&p| text.is_char_boundary(p));
            if !ok {
                return Err(format!("bad quote {q:?} in {r:?}"));
            }
        }
        last_par = s.paragraph;
        last_end = r.end;
        for c in covered.iter_mut().take(r.end).skip(r.start) {
            *c = true;
        }
    }
    for (i, c) in text.char_indices() {
        if !c.is_whitespace() && !covered[i] {
            return Err(format!("byte {i} ({c:?}) in no sentence"));
        }
    }
    Ok(())
}

#[test]
fn seeds_keep_the_invariants() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let text = seed(prefix);
        let s = segment(&text, &markers());
        check_invariants(&text, &s).unwrap_or_else(|e| panic!("{prefix}: {e}"));
    }
}

#[test]
fn one_line_article_splits_into_its_sentences() {
    let text = seed("004");
    // one line of story, then the share marker
    assert_eq!(text.lines().count(), 2);
    let s = segment(&text, &markers());
    let (last, story) = s.split_last().expect("sentences");
    assert_eq!(&text[last.range.clone()], "مشاركة :");
    assert!(last.boilerplate && last.paragraph == 1);
    assert!(story.len() >= 25, "{} sentences", story.len());
    assert!(story
        .iter()
        .all(|x| x.paragraph == 0 && !x.boilerplate && !x.heading));
    assert!(
        s.iter().all(|x| x.range.len() < 700),
        "a sentence is too long"
    );
    let t = texts(&text, &s);
    assert!(t[0].starts_with("ارسلت روسيا") && t[0].ends_with("في انحاء البلاد."));
    assert!(t[1].starts_with("وقالت الشرطة"));
}

#[test]
fn related_news_block_is_boilerplate() {
    let text = seed("002");
    let s = segment(&text, &markers());
    let t = texts(&text, &s);
    let marker = t
        .iter()
        .position(|x| *x == "اخبار ذات صلة")
        .expect("marker");
    assert!(s[marker].boilerplate);
    let boiler: Vec<&str> = s
        .iter()
        .zip(&t)
        .filter(|(x, _)| x.boilerplate)
        .map(|(_, t)| *t)
        .collect();
    // the marker and the two headlines (the first one splits after its "..")
    assert_eq!(boiler.len(), 5, "{boiler:?}");
    assert!(boiler[1].contains("تحد"));
    assert!(boiler.iter().any(|x| x.contains("تسونامي")));
    let headlines: std::collections::BTreeSet<usize> = s
        .iter()
        .filter(|x| x.boilerplate)
        .map(|x| x.paragraph)
        .collect();
    assert_eq!(headlines.len(), 3);
    // everything after the block is story again
    let after = s
        .iter()
        .zip(&t)
        .find(|(_, t)| t.starts_with("وحدة متعددة"))
        .expect("subheading");
    assert!(!after.0.boilerplate && after.0.heading);
    let last_boiler = s.iter().rposition(|x| x.boilerplate).expect("boilerplate");
    assert!(s[last_boiler + 1..].iter().all(|x| !x.boilerplate));
    assert!(s[..marker].iter().all(|x| !x.boilerplate));
}

#[test]
fn quote_with_inner_dots_is_one_quote_in_one_sentence() {
    let text = seed("002");
    let s = segment(&text, &markers());
    let quoted = "ظهر هدفها الرئيسي بوضوح.. كانت محاولة انقلاب";
    let hits: Vec<&Sentence> = s
        .iter()
        .filter(|x| text[x.range.clone()].contains("بوضوح"))
        .collect();
    assert_eq!(hits.len(), 1);
    let sent = hits[0];
    assert!(text[sent.range.clone()].starts_with("واعتبر الرئيس"));
    assert!(text[sent.range.clone()].ends_with("انقلاب»."));
    let q = sent
        .quotes
        .iter()
        .find(|q| &text[q.inner.clone()] == quoted)
        .expect("the quote");
    assert_eq!(&text[q.outer.clone()], format!("«{quoted}»"));
    assert_eq!(sent.quotes.len(), 2); // «مجموعات من المقاتلين المسلحين» too
}

#[test]
fn headings_are_short_unpunctuated_lines() {
    let text = seed("000");
    let s = segment(&text, &markers());
    let headings: Vec<&str> = s
        .iter()
        .filter(|x| x.heading)
        .map(|x| &text[x.range.clone()])
        .collect();
    assert_eq!(
        headings,
        [
            "واشنطن تدعو الي سحب الجنود \"سريعا\"",
            "السماح لقوات الامن باطلاق النار",
            "\"تكريم\" سكان كازاخستان",
        ]
    );
}

#[test]
fn mixed_curly_quotes_in_seed_003() {
    let text = seed("003");
    let s = segment(&text, &markers());
    let inners: Vec<&str> = s
        .iter()
        .flat_map(|x| x.quotes.iter())
        .map(|q| &text[q.inner.clone()])
        .collect();
    assert!(inners.contains(&"Il-76"));
    assert!(inners.contains(&"An-12"));
    assert!(inners.contains(&"RT"));
    assert!(inners.contains(&"حفظ السلام"));
}

#[test]
fn decimals_and_numbers_do_not_split() {
    let text = "ارتفع السعر 1.5 بالمئة الي 3.14 دولار. وقال المتحدث ان العدد 12.000 شخص.";
    let s = segment(text, &[]);
    assert_eq!(
        texts(text, &s),
        [
            "ارتفع السعر 1.5 بالمئة الي 3.14 دولار.",
            "وقال المتحدث ان العدد 12.000 شخص.",
        ]
    );
}

#[test]
fn abbreviations_and_initials_do_not_split() {
    let text = "قال د. محمد ان J. Smith وصل. ثم غادر";
    let s = segment(text, &[]);
    assert_eq!(texts(text, &s), ["قال د. محمد ان J. Smith وصل.", "ثم غادر"]);
}

#[test]
fn terminator_runs_and_missing_spaces() {
    let text = "هل انتهي؟! نعم... وقال: البلاد.وقال اخر؛ انتهي… موقع rt.com مهم";
    let s = segment(text, &[]);
    assert_eq!(
        texts(text, &s),
        [
            "هل انتهي؟!",
            "نعم...",
            "وقال: البلاد.",
            "وقال اخر؛",
            "انتهي…",
            "موقع rt.com مهم",
        ]
    );
}

#[test]
fn quotes_protect_punctuation() {
    let text = "قال \"انتهي. كل شيء\" ثم غادر. وقال «لا. ابدا» و“نعم. ربما″ اخيرا.";
    let s = segment(text, &[]);
    let t = texts(text, &s);
    assert_eq!(
        t,
        [
            "قال \"انتهي. كل شيء\" ثم غادر.",
            "وقال «لا. ابدا» و“نعم. ربما″ اخيرا."
        ]
    );
    assert_eq!(s[0].quotes.len(), 1);
    assert_eq!(&text[s[0].quotes[0].inner.clone()], "انتهي. كل شيء");
    assert_eq!(s[1].quotes.len(), 2);
    assert_eq!(&text[s[1].quotes[1].outer.clone()], "“نعم. ربما″");
}

#[test]
fn nested_guillemets_are_one_quote() {
    let text = "قال «هذا «مهم» جدا. حقا» اليوم.";
    let s = segment(text, &[]);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].quotes.len(), 1);
    assert_eq!(&text[s[0].quotes[0].inner.clone()], "هذا «مهم» جدا. حقا");
}

#[test]
fn unclosed_quote_is_not_a_quote() {
    let text = "قال «انتهي. ثم غادر. وعاد";
    let s = segment(text, &[]);
    assert_eq!(s.len(), 3);
    assert!(s.iter().all(|x| x.quotes.is_empty()));
    // too long: a stray mark far from its partner is not a quote
    let long = format!("قال «بدا. {} انتهي» الان.", "كلام طويل جدا. ".repeat(100));
    let s = segment(&long, &[]);
    assert!(s.len() > 100);
}

#[test]
fn marker_rules() {
    let m = markers();
    // a marker at the very end is just that line
    let text = "خبر اول.\n\nمشاركة :";
    let s = segment(text, &m);
    assert_eq!(
        s.iter().map(|x| x.boilerplate).collect::<Vec<_>>(),
        [false, true]
    );
    // a marker, blank lines, a block, a blank line, the story again
    let text = "خبر.\nاقرا ايضا:\n\n\nعنوان 1\nعنوان 2\n\nالقصة تستمر.\nنهاية.";
    let s = segment(text, &m);
    assert_eq!(
        s.iter().map(|x| x.boilerplate).collect::<Vec<_>>(),
        [false, true, true, true, false, false]
    );
    assert_eq!(
        s.iter().map(|x| x.paragraph).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4, 5]
    );
    // a marker inside a longer line is not a marker
    let text = "وذكر الموقع اخبار ذات صلة بالموضوع.\nسطر اخر.";
    assert!(segment(text, &m).iter().all(|x| !x.boilerplate));
}

#[test]
fn empty_and_blank_inputs() {
    assert!(segment("", &markers()).is_empty());
    assert!(segment(" \n\n \t\n", &markers()).is_empty());
    let s = segment("  كلمة  ", &markers());
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].range, 2..10);
    assert!(!s[0].heading, "the last line is never a heading");
}

fn texty() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        'ا', 'ب', 'م', 'د', ' ', ' ', ' ', '\n', '.', '.', '!', '؟', '؛', '…', '«', '»', '“', '”',
        '″', '"', '„', '(', ')', '1', '5', 'J', 'x', ':', '\t', '\r', '\u{2028}',
    ]);
    prop::collection::vec(prop_oneof![6 => interesting, 1 => any::<char>()], 0..200)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn invariants_hold(s in texty()) {
        let out = segment(&s, &markers());
        prop_assert!(check_invariants(&s, &out).is_ok(), "{:?}", check_invariants(&s, &out));
    }

    #[test]
    fn invariants_hold_any(s in any::<String>()) {
        let out = segment(&s, &markers());
        prop_assert!(check_invariants(&s, &out).is_ok(), "{:?}", check_invariants(&s, &out));
    }

    #[test]
    fn invariants_hold_on_normalized(s in texty()) {
        let n = normalize(&s).text;
        let out = segment(&n, &markers());
        prop_assert!(check_invariants(&n, &out).is_ok(), "{:?}", check_invariants(&n, &out));
    }
}

#[test]
fn brackets_after_a_terminator_stay_with_its_sentence() {
    let text = "قال (أخيرا.) ثم مضى. وقال Mr. Smith: \"ok.\" بعد ذلك؟ نعم";
    let s = segment(text, &[]);
    assert_eq!(
        texts(text, &s),
        [
            "قال (أخيرا.)",
            "ثم مضى.",
            "وقال Mr. Smith: \"ok.\" بعد ذلك؟",
            "نعم"
        ]
    );
    assert_eq!(s[2].quotes.len(), 1);
    // A letter stuck to a number is no abbreviation.
    let text = "وقعت في 2017م. ثم عادت.";
    assert_eq!(
        texts(text, &segment(text, &[])),
        ["وقعت في 2017م.", "ثم عادت."]
    );
}

#[test]
fn a_marker_opening_a_sentence_inside_a_line_starts_a_block() {
    let text = "انتهى الخبر الأخير. اخبار ذات صلة: واشنطن ترسل قوات. وموسكو ترد.";
    let s = segment(text, &markers());
    assert_eq!(
        s.iter().map(|x| x.boilerplate).collect::<Vec<_>>(),
        [false, true, true]
    );
    // The marker's last word must be whole, not the start of a longer one.
    let text = "انتهى الخبر. اخبار ذات صلةوثيقة واشنطن. وموسكو ترد.";
    assert!(segment(text, &markers()).iter().all(|x| !x.boilerplate));
}

#[test]
fn a_quote_closed_at_the_limit_is_one_past_it_is_not() {
    // « and each ب take two bytes: the closing » is 2 + 2k bytes after «.
    let limit = kzcheck::segment::QUOTE_LIMIT;
    for (k, quoted) in [(limit / 2 - 1, true), (limit / 2, false)] {
        let line = format!("قال «{}». ثم مضى.", "ب".repeat(k));
        let s = segment(&line, &[]);
        assert_eq!(s.len(), 2, "{k}");
        assert_eq!(s[0].quotes.len(), usize::from(quoted), "{k}");
    }
}
