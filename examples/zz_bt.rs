use kzcheck::extract::Extractor;
use kzcheck::rules::Rules;
use regex_automata::nfa::thompson::{backtrack::BoundedBacktracker, pikevm::PikeVM, NFA};
use regex_automata::{Anchored, Input};
use std::path::PathBuf;
use std::time::Instant;
fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap());
    let cap: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(8 << 20);
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
    let sents: Vec<&str> = docs
        .iter()
        .flat_map(|d| {
            d.sentences
                .iter()
                .map(move |s| &d.norm.text[s.range.clone()])
        })
        .collect();
    let (mut t_meta, mut t_bt, mut t_pk) = (0.0, 0.0, 0.0);
    let mut n_all = 0;
    let mut agree = 0;
    let mut bt_fail = 0;
    for rule in &rules.claims {
        for (k, re) in rule.patterns.iter().enumerate() {
            let Some(pre) = rule.prefilters[k].as_ref() else {
                continue;
            };
            let nfa = NFA::compiler()
                .configure(NFA::config().nfa_size_limit(Some(50 << 20)))
                .build(&if std::env::var("ASCII").is_ok() {
                    rule.expanded[k]
                        .replace(r"\d", "[0-9]")
                        .replace(r"\s", "[ \t\n]")
                } else {
                    rule.expanded[k].clone()
                })
                .unwrap();
            let bt = BoundedBacktracker::builder()
                .configure(BoundedBacktracker::config().visited_capacity(cap))
                .build_from_nfa(nfa.clone())
                .unwrap();
            let pk = PikeVM::new_from_nfa(nfa.clone()).unwrap();
            let mut work = Vec::new();
            let mut pc = pre.create_cache();
            for (si, s) in sents.iter().enumerate() {
                let mut at = 0;
                while at <= s.len() {
                    let Some(m) = pre.search_with(&mut pc, &Input::new(*s).range(at..)) else {
                        break;
                    };
                    work.push((si, m.start()));
                    at = m.start() + s[m.start()..].chars().next().map_or(1, |c| c.len_utf8());
                }
            }
            let mut mc = re.create_cache();
            let mut caps = re.create_captures();
            let t = Instant::now();
            let mut r1 = Vec::new();
            for &(si, st) in &work {
                re.search_captures_with(
                    &mut mc,
                    &Input::new(sents[si]).range(st..).anchored(Anchored::Yes),
                    &mut caps,
                );
                r1.push(caps.get_match());
            }
            t_meta += t.elapsed().as_secs_f64();
            let mut bc = bt.create_cache();
            let mut bcaps = bt.create_captures();
            let t = Instant::now();
            let mut r2 = Vec::new();
            for &(si, st) in &work {
                match bt.try_search(
                    &mut bc,
                    &Input::new(sents[si]).range(st..).anchored(Anchored::Yes),
                    &mut bcaps,
                ) {
                    Ok(()) => r2.push(bcaps.get_match()),
                    Err(_) => {
                        bt_fail += 1;
                        r2.push(None)
                    }
                }
            }
            t_bt += t.elapsed().as_secs_f64();
            let mut kc = pk.create_cache();
            let mut kcaps = pk.create_captures();
            let t = Instant::now();
            for &(si, st) in &work {
                pk.search(
                    &mut kc,
                    &Input::new(sents[si]).range(st..).anchored(Anchored::Yes),
                    &mut kcaps,
                );
            }
            t_pk += t.elapsed().as_secs_f64();
            n_all += work.len();
            agree += r1.iter().zip(&r2).filter(|(a, b)| a == b).count();
            println!(
                "{} p{k}: states {} work {} bt max haystack {}",
                rule.id,
                nfa.states().len(),
                work.len(),
                bt.max_haystack_len()
            );
        }
    }
    println!("searches {n_all} agree {agree} btfail {bt_fail}: meta {t_meta:.3}s bt {t_bt:.3}s pikevm {t_pk:.3}s");
}
