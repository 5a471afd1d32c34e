//! `segment::segment` on any normalized text: no panic, no hang, and every
//! range it returns is a slice of that text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|original: &str| {
    let text = kzcheck::normalize::normalize(original).text;
    let markers = ["اخبار ذات صلة".to_string(), "اقرا ايضا".to_string()];
    let sentences = kzcheck::segment::segment(&text, &markers);
    let mut last_end = 0;
    for s in &sentences {
        assert!(
            text.get(s.range.clone()).is_some(),
            "sentence {:?}",
            s.range
        );
        assert!(s.range.start >= last_end, "sentences overlap or go back");
        last_end = s.range.end;
        for q in &s.quotes {
            assert!(text.get(q.outer.clone()).is_some(), "quote {:?}", q.outer);
            assert!(text.get(q.inner.clone()).is_some(), "quote {:?}", q.inner);
            assert!(q.outer.start <= q.inner.start && q.inner.end <= q.outer.end);
        }
    }
});
