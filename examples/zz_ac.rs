use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use kzcheck::extract::Extractor;
use kzcheck::rules::Rules;
use std::path::PathBuf;
use std::time::Instant;
fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = Rules::from_dir(&root.join("rules")).unwrap();
    let plan = kzcheck::load::plan(&[dir]);
    let ex = Extractor::new(&rules);
    let docs: Vec<_> = plan
        .sources
        .iter()
        .take(3000)
        .filter_map(|s| s.read().0)
        .map(|a| ex.prepare(a.body_text()))
        .collect();
    let mut pats = Vec::new();
    for e in rules.entities.iter() {
        for (_, n) in &e.names {
            if n.is_empty() {
                continue;
            }
            pats.push(n.clone());
            if let Some(rest) = n.strip_prefix("ال") {
                pats.push(format!("لل{rest}"));
            }
        }
    }
    println!("{} name patterns", pats.len());
    for (label, kind, pf) in [
        ("dfa pf", AhoCorasickKind::DFA, true),
        ("dfa nopf", AhoCorasickKind::DFA, false),
        ("cnfa pf", AhoCorasickKind::ContiguousNFA, true),
        ("cnfa nopf", AhoCorasickKind::ContiguousNFA, false),
    ] {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .prefilter(pf)
            .build(&pats)
            .unwrap();
        for _ in 0..2 {
            let t = Instant::now();
            let mut n = 0usize;
            for d in &docs {
                for s in &d.sentences {
                    n += ac.find_iter(&d.norm.text[s.range.clone()]).count();
                }
            }
            let per_sent = t.elapsed();
            let t = Instant::now();
            let mut m = 0usize;
            for d in &docs {
                m += ac.find_iter(d.norm.text.as_str()).count();
            }
            println!(
                "{label}: per sentence {:?} ({n}), whole {:?} ({m})",
                per_sent,
                t.elapsed()
            );
        }
    }
}
