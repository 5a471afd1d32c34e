//! Tests for `kzcheck::normalize`: one case per rule, exact span round
//! trips, and the invariants as properties.
use kzcheck::normalize::{display_form, fold, is_dropped, normalize, Normalized};
use proptest::prelude::*;

/// The original slice for the first occurrence of `needle` in the normalized text.
fn original_of<'a>(original: &'a str, n: &Normalized, needle: &str) -> &'a str {
    let start = n.text.find(needle).expect("needle in normalized text");
    let r = n.original_range(start..start + needle.len());
    &original[r]
}

#[test]
fn hamza_and_alef_forms_fold_to_bare_alef() {
    assert_eq!(fold("أحمد إلى آسيا ٱلله ٲ ٳ"), "احمد الي اسيا الله ا ا");
}

#[test]
fn hamza_carriers_and_ta_marbuta_are_kept() {
    assert_eq!(fold("مسؤول قائد سماء مدينة"), "مسؤول قائد سماء مدينة");
}

#[test]
fn alif_maqsura_and_persian_letters() {
    assert_eq!(fold("مستشفى"), "مستشفي");
    assert_eq!(fold("ی"), "ي");
    assert_eq!(fold("ک"), "ك");
    assert_eq!(fold("ي"), "ي");
}

#[test]
fn tashkeel_and_tatweel_are_dropped() {
    assert_eq!(fold("قَتِيلاً"), "قتيلا");
    assert_eq!(fold("مُحَمَّدٌ"), "محمد");
    assert_eq!(fold("الـــرئيس"), "الرئيس");
    assert_eq!(fold("رحمٰن"), "رحمن");
    assert_eq!(fold("ذَٰلِكَ ۖ"), "ذلك ");
    for c in [
        '\u{064B}', '\u{0652}', '\u{0640}', '\u{0670}', '\u{06D6}', '\u{FEFF}',
    ] {
        assert!(is_dropped(c), "{c:?}");
    }
    for c in ['ا', 'ة', 'ء', 'ؤ', 'ئ', '\u{06E5}', 'a', ' '] {
        assert!(!is_dropped(c), "{c:?}");
    }
}

#[test]
fn digits_and_separators() {
    assert_eq!(fold("٠١٢٣٤٥٦٧٨٩"), "0123456789");
    assert_eq!(fold("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
    assert_eq!(fold("٣٫١٤"), "3.14");
    assert_eq!(fold("١٢٬٠٠٠"), "12,000");
    assert_eq!(fold("٨٪"), "8%");
    assert_eq!(fold("”An-12″"), "”An-12\"");
}

#[test]
fn arabic_punctuation_is_kept() {
    assert_eq!(fold("نعم، لا؛ لماذا؟"), "نعم، لا؛ لماذا؟");
}

#[test]
fn line_endings() {
    assert_eq!(fold("a\r\nb\rc\n"), "a\nb\nc\n");
    assert_eq!(fold("\r\r\n"), "\n\n");
}

#[test]
fn invisible_characters_are_dropped() {
    assert_eq!(fold("\u{FEFF}كازاخستان"), "كازاخستان");
    assert_eq!(
        fold("a\u{200B}b\u{200C}c\u{200D}d\u{200E}e\u{200F}f"),
        "abcdef"
    );
    assert_eq!(fold("\u{202B}x\u{202C}\u{2067}y\u{2069}\u{061C}"), "xy");
}

#[test]
fn unicode_spaces_become_space() {
    assert_eq!(
        fold("a\u{00A0}b\u{2002}c\u{2009}d\u{202F}e\u{205F}f\u{3000}g"),
        "a b c d e f g"
    );
}

#[test]
fn presentation_forms_and_compatibility_characters() {
    assert_eq!(fold("\u{FEFB}"), "لا"); // ﻻ
    assert_eq!(fold("\u{FEF7}"), "لا"); // ﻷ lam-alef with hamza
    assert_eq!(fold("\u{FE8D}\u{FEDF}"), "ال");
    assert_eq!(fold("\u{FE83}"), "ا"); // isolated alef with hamza above
    assert_eq!(fold("\u{FEF0}"), "ي"); // alef maksura final form
    assert_eq!(fold("\u{FDF2}"), "الله");
    assert_eq!(fold("\u{FB01}"), "fi");
    assert_eq!(fold("\u{FF11}\u{FF12}"), "12"); // fullwidth digits
    assert_eq!(fold("\u{FE71}"), ""); // tatweel with fathatan: all dropped
}

#[test]
fn display_form_keeps_spelling() {
    assert_eq!(display_form("أَنْتُونِي"), "أنتوني");
    assert_eq!(display_form("مُسْتَشْفَى"), "مستشفى");
    assert_eq!(display_form("إِيـــران\u{200F}"), "إيران");
    // a combining hamza above is composed, not dropped
    assert_eq!(display_form("\u{0627}\u{0654}"), "أ");
    assert_eq!(display_form("\u{FEFF}آسيا"), "آسيا");
}

#[test]
fn span_round_trip_with_tanween() {
    let original = "وأشار إلى وقوع ١٦ قتيلاً وأكثر من ١٦٠٠ جريحٍ.";
    let n = normalize(original);
    assert_eq!(n.text, "واشار الي وقوع 16 قتيلا واكثر من 1600 جريح.");
    assert_eq!(original_of(original, &n, "16 قتيلا"), "١٦ قتيلاً");
    assert_eq!(original_of(original, &n, "1600 جريح"), "١٦٠٠ جريحٍ");
    assert_eq!(original_of(original, &n, "واشار الي"), "وأشار إلى");
    assert_eq!(original_of(original, &n, "."), ".");
    assert_eq!(n.original_range(0..n.text.len()), 0..original.len());
}

#[test]
fn span_round_trip_with_tatweel_bom_and_crlf() {
    let original = "\u{FEFF}الـرئيس قال:\r\n«سنـنـسحب» خلال ١٠ أيامٍ\r\n";
    let n = normalize(original);
    assert_eq!(n.text, "الرئيس قال:\n«سننسحب» خلال 10 ايام\n");
    // The BOM goes with the first character.
    assert_eq!(original_of(original, &n, "الرئيس"), "\u{FEFF}الـرئيس");
    assert_eq!(original_of(original, &n, "«سننسحب»"), "«سنـنـسحب»");
    assert_eq!(original_of(original, &n, "10 ايام"), "١٠ أيامٍ");
    assert_eq!(original_of(original, &n, "قال:"), "قال:");
    // LF of a CRLF maps to the whole pair.
    assert_eq!(original_of(original, &n, "\n"), "\r\n");
}

#[test]
fn span_round_trip_with_presentation_form() {
    let original = "x \u{FEFB}ٌ y";
    let n = normalize(original);
    assert_eq!(n.text, "x لا y");
    assert_eq!(original_of(original, &n, "لا"), "\u{FEFB}ٌ");
    // half of an expansion maps to the whole original character
    assert_eq!(original_of(original, &n, "ل"), "\u{FEFB}ٌ");
    assert_eq!(original_of(original, &n, "ا"), "\u{FEFB}ٌ");
    assert_eq!(original_of(original, &n, " y"), " y");
}

#[test]
fn offsets_clamp_and_never_panic() {
    let original = "قتيلاً ١٦";
    let n = normalize(original);
    assert_eq!(n.original_offset(n.text.len()), original.len());
    assert_eq!(n.original_offset(n.text.len() + 100), original.len());
    let reversed = std::ops::Range { start: 4, end: 2 };
    assert_eq!(n.original_range(reversed), n.original_range(4..4));
    assert_eq!(n.original_range(1..2), 0..2); // inside a char: widened
    assert_eq!(n.original_range(0..999), 0..original.len());
    let empty = normalize("");
    assert_eq!(empty.original_range(0..0), 0..0);
    let dropped_only = normalize("\u{064B}\u{0640}");
    assert_eq!(dropped_only.text, "");
    assert_eq!(dropped_only.original_offset(0), dropped_only.original_len());
}

#[test]
fn normalized_offset_inverts_original_offset() {
    let original = "وأشار إلى ١٦ قتيلاً";
    let n = normalize(original);
    for (p, _) in n.text.char_indices() {
        assert_eq!(n.normalized_offset(n.original_offset(p)), p);
    }
    // the tanween belongs to the alef before it
    let tanween = original.find('\u{064B}').expect("tanween");
    let alef = n.normalized_offset(tanween);
    assert_eq!(&n.text[alef..], "ا");
}

fn seeds() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("seeds dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("seed");
        out.push((path.display().to_string(), text));
    }
    out.sort();
    assert!(out.len() >= 5);
    out
}

#[test]
fn seeds_normalize_and_map_back() {
    for (path, original) in seeds() {
        let n = normalize(&original);
        assert_eq!(fold(&n.text), n.text, "{path}: idempotent");
        assert_eq!(fold(&original), n.text, "{path}: fold == normalize");
        assert_eq!(n.original_range(0..n.text.len()), 0..original.len());
        // every word maps back to a span whose display form folds to it
        let mut pos = 0;
        for word in n.text.split(' ') {
            let r = n.original_range(pos..pos + word.len());
            let back = &original[r];
            assert_eq!(fold(back), word, "{path}: {word}");
            pos += word.len() + 1;
        }
        assert!(!n.text.contains('\u{064B}') && !n.text.contains('أ'));
    }
}

/// Strings drawn from the characters this module cares about, plus anything.
fn arabic_text() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        'ا', 'أ', 'إ', 'آ', 'ٱ', 'ى', 'ي', 'ی', 'ک', 'ة', 'ء', 'ؤ', 'ئ', 'ل', 'م', '\u{064B}',
        '\u{064E}', '\u{0651}', '\u{0654}', '\u{0670}', '\u{0640}', '\u{06D6}', '\u{FEFF}',
        '\u{200F}', '٣', '۴', '٫', '٬', '\u{00A0}', '\u{2009}', '\r', '\n', ' ', '.', '«', '»',
        '\u{FEFB}', '\u{FDF2}', '\u{FE71}', '\u{FE70}', '\u{0675}', 'e', '\u{0301}', 'ﬁ', '1',
    ]);
    prop::collection::vec(prop_oneof![4 => interesting, 1 => any::<char>()], 0..40)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn idempotent(s in arabic_text()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert_eq!(normalize(&s).text, once);
    }

    #[test]
    fn idempotent_any(s in any::<String>()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn ranges_map_inside_original_on_boundaries(s in arabic_text(), a in 0usize..200, b in 0usize..200) {
        let n = normalize(&s);
        let r = n.original_range(a..b);
        prop_assert!(r.start <= r.end && r.end <= s.len());
        prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        let o = n.original_offset(a);
        prop_assert!(o <= s.len() && s.is_char_boundary(o));
    }

    #[test]
    fn char_ranges_round_trip(s in arabic_text()) {
        let n = normalize(&s);
        let bounds: Vec<usize> = n.text.char_indices().map(|(i, _)| i)
            .chain(std::iter::once(n.text.len())).collect();
        for w in bounds.windows(2) {
            let r = n.original_range(w[0]..w[1]);
            prop_assert!(r.start < r.end, "a kept char has a non-empty origin");
            // the original span folds to something that contains the char
            let back = fold(&s[r]);
            prop_assert!(back.contains(&n.text[w[0]..w[1]]));
        }
        // consecutive ranges are ordered and do not overlap
        // (or equal, for the characters of one expansion such as ﻻ → لا)
        let ranges: Vec<_> = bounds.windows(2).map(|w| n.original_range(w[0]..w[1])).collect();
        for pair in ranges.windows(2) {
            prop_assert!(pair[0] == pair[1] || pair[0].end == pair[1].start, "{:?}", pair);
        }
        if !n.text.is_empty() {
            prop_assert_eq!(n.original_range(0..n.text.len()), 0..s.len());
        }
        for p in 0..=s.len() {
            prop_assert!(n.original_offset(n.normalized_offset(p)) <= p.max(n.original_offset(0)));
        }
    }

    #[test]
    fn any_string_maps_safely(s in any::<String>(), a in 0usize..400, b in 0usize..400) {
        let n = normalize(&s);
        let r = n.original_range(a..b);
        prop_assert!(r.start <= r.end && r.end <= s.len());
        prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        if !n.text.is_empty() {
            prop_assert_eq!(n.original_range(0..n.text.len()), 0..s.len());
        }
    }

    #[test]
    fn display_form_never_panics_and_is_stable(s in arabic_text()) {
        let d = display_form(&s);
        prop_assert_eq!(display_form(&d), d);
    }
}
