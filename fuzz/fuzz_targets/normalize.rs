//! `normalize::normalize` on any text: no panic, and the map back to the
//! original stays inside it, on character boundaries, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|original: &str| {
    let n = kzcheck::normalize::normalize(original);
    assert_eq!(n.original_len(), original.len());
    assert_eq!(n.original_offset(n.text.len()), original.len());
    let whole = n.original_range(0..n.text.len());
    assert!(whole.start <= whole.end && whole.end <= original.len());
    let mut last = 0;
    for (i, _) in n.text.char_indices() {
        let o = n.original_offset(i);
        assert!(o <= original.len(), "offset {o} past the original");
        assert!(
            original.is_char_boundary(o),
            "offset {o} inside a character"
        );
        assert!(o >= last, "the map goes backwards at {i}");
        last = o;
        let r = n.original_range(i..n.text.len());
        assert!(original.get(r.clone()).is_some(), "range {r:?}");
    }
    // Out-of-range and reversed inputs are clamped, never a panic.
    let _ = n.original_range(n.text.len() + 5..1);
    let _ = n.normalized_offset(original.len() + 1);
    for p in 0..original.len().min(256) {
        assert!(n.normalized_offset(p) <= n.text.len());
    }
    // fold is normalize without the map.
    assert_eq!(kzcheck::normalize::fold(original), n.text);
});
