//! End-to-end benchmark of the whole `check` pipeline as the corpus grows.
//!
//! ```sh
//! cargo run --release --example bench_check -- --articles 1000,10000,100000
//! cargo run --release --example bench_check -- --articles 1000 --seed 7 --json
//! cargo run --release --example bench_check -- --articles 10 --dump 3   # look at article 3
//! ```
//!
//! Options: `--articles N,N,…` (default `1000,10000`), `--seed N` (default 1),
//! `--e2e N` (the size at which the real binary is also run, default 10000 if
//! it is in the list, `0` to skip), `--json` (one JSON object on stdout; the
//! table goes to stderr), `--in-process` (measure every size in this process
//! instead of one child process per size), `--dump I` (print article I of
//! the corpus and exit), `--write-corpus N DIR` (write the N-article corpus
//! into DIR as `000000.txt`, … and exit: a corpus to profile the binary
//! on), `--save-report PREFIX` (write each size's report
//! as JSON to `PREFIX.N.json`, to compare two builds), `--distinct` (no
//! sentence comes twice, but the shared wire copy: see below), `--cold`
//! (the end-to-end run reads a corpus the system has not cached: see
//! below).
//!
//! **The corpus.** N articles built from the sentences of `seeds/*.txt`, read
//! at run time and split into sentences. Every sentence is perturbed: its
//! figures (a day stays a day, a year a year), month and weekday names, and
//! the spelling of names (the `spellings` groups of `rules/entities.yaml`,
//! and now and then a person's name one letter off). Half the articles carry
//! front matter (`published:`, `source:`, some a `wire:` agency); one in
//! ten repeats a block of wire copy that one or two other articles share.
//! Articles are 3–8 KB (about 5.4 KB on average, so 100k articles ≈ 540 MB).
//! Everything comes from one hand-written xorshift RNG: the same `--seed`
//! and N give the same bytes, and article i does not depend on N.
//!
//! Most sentences with no figure come out unchanged, so the corpus repeats
//! sentences as a day's wire does (at 100k articles, 96% of the sentence
//! bytes are repeats), and kzcheck reads a sentence met before from its
//! memo. `--distinct` gives the worst case: every sentence outside the
//! wire-copy blocks gets a word of its own before its final stop (letters
//! that spell the article's and the sentence's numbers, after a ظ that no
//! listed name starts with); the same RNG draws, so the corpus is
//! otherwise the same.
//!
//! **What is measured.** For each N, in a child process of its own (so peak
//! memory figures do not mix): generating the corpus, then
//! `kzcheck::check::check_with` on the articles held in memory (wall time,
//! MB/s of original text, µs per article, CPU seconds on all threads,
//! claims and findings), and the peak
//! resident memory (VmHWM of /proc/self/status) before and after the check:
//! `corpus MB` is the peak once the corpus is built, `peak MB` the peak of
//! the whole run. From one N to the next the table shows how time and
//! memory per article grew (`t/art ×`: 1.00 is linear).
//!
//! At `--e2e N` the corpus is also written to a temporary folder (timed) and
//! the real `kzcheck` binary is run on it once (`--format json -o FILE
//! --fail-on never`), for a true end-to-end time with loading and the
//! report; its peak memory comes from GNU `time` when present, else by
//! polling /proc. The binary is looked for next to this example and built
//! with `$CARGO build --release --bin kzcheck` when missing. With `--cold`
//! (Linux), the corpus is written out to the disk and dropped from the
//! system's cache before the binary runs, as a corpus that has lain on the
//! disk a while is: the binary then reads it from the disk.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use kzcheck::load::Article;
use kzcheck::rules::Rules;
use serde_json::{json, Value};

struct Args {
    articles: Vec<usize>,
    seed: u64,
    e2e: Option<usize>,
    json: bool,
    in_process: bool,
    child: Option<usize>,
    dump: Option<usize>,
    write: Option<(usize, PathBuf)>,
    save: Option<PathBuf>,
    distinct: bool,
}

/// `--cold`: the end-to-end run reads a corpus dropped from the cache.
static COLD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn usage() -> ! {
    eprintln!(
        "usage: bench_check [--articles N,N,… (default 1000,10000)] [--seed N (default 1)] \
         [--e2e N (default 10000 when listed, 0 to skip)] [--json] [--in-process] [--dump I] [--write-corpus N DIR] [--save-report PREFIX] [--distinct] [--cold]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        articles: vec![1000, 10_000],
        seed: 1,
        e2e: None,
        json: false,
        in_process: false,
        child: None,
        dump: None,
        write: None,
        save: None,
        distinct: false,
    };
    let mut e2e_set = false;
    let mut it = std::env::args().skip(1);
    let num = |v: Option<String>| -> usize {
        v.and_then(|v| v.replace('_', "").parse::<usize>().ok())
            .unwrap_or_else(|| usage())
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--articles" => {
                let v = it.next().unwrap_or_else(|| usage());
                args.articles = v
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| num(Some(s.to_string())))
                    .collect();
                if args.articles.is_empty() || args.articles.contains(&0) {
                    usage()
                }
            }
            "--seed" => args.seed = num(it.next()) as u64,
            "--e2e" => {
                e2e_set = true;
                args.e2e = Some(num(it.next())).filter(|n| *n > 0);
            }
            "--json" => args.json = true,
            "--distinct" => args.distinct = true,
            "--cold" => COLD.store(true, std::sync::atomic::Ordering::Relaxed),
            "--in-process" => args.in_process = true,
            "--child" => args.child = Some(num(it.next())),
            "--dump" => args.dump = Some(num(it.next())),
            "--write-corpus" => {
                let n = num(it.next());
                let dir = PathBuf::from(it.next().unwrap_or_else(|| usage()));
                args.write = Some((n, dir));
            }
            "--save-report" => {
                args.save = Some(PathBuf::from(it.next().unwrap_or_else(|| usage())))
            }
            _ => usage(),
        }
    }
    if !e2e_set {
        args.e2e = args.articles.contains(&10_000).then_some(10_000);
    }
    args
}

// ------------------------------------------------------------------ RNG

#[path = "common/gen.rs"]
mod gen;
use gen::{crate_root, Rng};

// ------------------------------------------------------------ generator

const MONTHS: [&str; 14] = [
    "يناير",
    "فبراير",
    "مارس",
    "كانون الثاني",
    "شباط",
    "آذار",
    "جانفي",
    "يناير/كانون الثاني",
    "يناير/ كانون الثاني",
    "ديسمبر",
    "كانون الأول",
    "أبريل",
    "نيسان",
    "تموز",
];
const WEEKDAYS: [&str; 7] = kzcheck::explain::WEEKDAYS_AR;
const BOUNDS: [&str; 6] = ["أكثر من", "نحو", "قرابة", "ما لا يقل عن", "أقل من", "زهاء"];
const NUMBER_WORDS: [&str; 6] = [
    "ألفين وثلاثين",
    "عشرات",
    "مئات",
    "آلاف",
    "خمسة عشر",
    "ثلاثة آلاف",
];
const SOURCES: [&str; 6] = [
    "Example Daily",
    "Gulf Wire",
    "Sham Times",
    "Nile Post",
    "Atlas News",
    "Levant Today",
];
const AGENCIES: [&str; 4] = ["AFP", "Reuters", "AP", "Anadolu"];
const ARABIC_INDIC: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

/// The sentences of the seed articles: each line split after `. ! ? ؟ ؛`
/// followed by a space; bylines and crumbs shorter than 20 characters are
/// dropped. Front matter, if any, is skipped.
fn seed_sentences(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for text in gen::seed_texts(dir, &["txt", "md"]) {
        let body = match text.strip_prefix("---\n") {
            Some(rest) => rest.split_once("\n---\n").map(|x| x.1).unwrap_or(rest),
            None => text.as_str(),
        };
        for line in body.lines() {
            let mut start = 0;
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            for (k, &(i, c)) in chars.iter().enumerate() {
                let ends = matches!(c, '.' | '!' | '?' | '؟' | '؛')
                    && chars.get(k + 1).is_some_and(|&(_, n)| n == ' ');
                if ends {
                    out.push(line[start..i + c.len_utf8()].trim().to_string());
                    start = i + c.len_utf8();
                }
            }
            out.push(line[start..].trim().to_string());
        }
    }
    out.retain(|s| s.chars().count() >= 20);
    assert!(!out.is_empty(), "no seed sentences in {}", dir.display());
    out
}

/// A word that may be replaced: a month, a weekday, or a name with the other
/// spellings it may take.
enum Swap {
    Month,
    Weekday,
    Name(Vec<String>),
}

struct Gen {
    seed: u64,
    sentences: Vec<String>,
    /// Words to swap, longest first, and what each is.
    words: Vec<(String, Swap)>,
    names: aho_corasick::AhoCorasick,
    /// Names of people of 5 letters or more, to misspell now and then.
    persons: Vec<String>,
    /// Every sentence outside wire copy made unlike any other.
    distinct: bool,
}

impl Gen {
    fn new(seed: u64, rules: &Rules) -> Gen {
        let sentences = seed_sentences(&crate_root().join("seeds"));
        let mut words: Vec<(String, Swap)> = Vec::new();
        for m in MONTHS {
            words.push((m.to_string(), Swap::Month));
        }
        for w in WEEKDAYS {
            words.push((w.to_string(), Swap::Weekday));
        }
        let mut persons = Vec::new();
        for e in &rules.entities {
            for group in &e.spellings {
                for s in group {
                    words.push((s.clone(), Swap::Name(group.clone())));
                }
            }
            if e.kind == "person" {
                persons.extend(
                    e.names
                        .iter()
                        .map(|(orig, _)| orig.clone())
                        .filter(|n| n.chars().count() >= 6 && !n.starts_with("ال")),
                );
            }
        }
        words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        words.dedup_by(|a, b| a.0 == b.0);
        let names = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(words.iter().map(|(w, _)| w.as_str()))
            .expect("word automaton");
        persons.sort();
        persons.dedup();
        Gen {
            seed,
            sentences,
            words,
            names,
            persons,
            distinct: false,
        }
    }

    /// Sentence `s` with a word of its own before its final stop: letters
    /// spelling article `i` and sentence `k` of it.
    fn tagged(s: String, i: usize, k: usize) -> String {
        const LETTERS: [char; 16] = [
            'ث', 'خ', 'ذ', 'ض', 'غ', 'ش', 'ص', 'ق', 'ز', 'ج', 'ح', 'س', 'ط', 'ع', 'ف', 'ه',
        ];
        let mut tag = String::from("ظ");
        for n in [i, k] {
            let mut n = n;
            loop {
                tag.push(LETTERS[n % 16]);
                n /= 16;
                if n == 0 {
                    break;
                }
            }
            tag.push('ظ');
        }
        let end = s.trim_end_matches(['.', '!', '?', '؟', '؛']).len();
        format!("{} {tag}{}", &s[..end], &s[end..])
    }

    fn digits(rng: &mut Rng, n: u64) -> String {
        let s = n.to_string();
        if rng.chance(0.15) {
            s.chars()
                .map(|c| ARABIC_INDIC[c as usize - '0' as usize])
                .collect()
        } else {
            s
        }
    }

    /// A number like `orig`: a day stays a day, a year a year; a count moves
    /// around its value so that most articles agree and some do not.
    fn number_like(rng: &mut Rng, orig: &str) -> u64 {
        let len = orig.len();
        let v: u64 = orig.parse().unwrap_or(10);
        match len {
            1 | 2 if rng.chance(0.7) => v.max(1),
            1 | 2 => rng.range(1, 28),
            4 if orig.starts_with("19") || orig.starts_with("20") => {
                if rng.chance(0.8) {
                    v
                } else {
                    rng.range(2015, 2025)
                }
            }
            _ if rng.chance(0.6) => v,
            _ => {
                let spread = (v / 10).max(3);
                v.saturating_sub(spread) + rng.below(2 * spread as usize + 1) as u64
            }
        }
    }

    /// One seed sentence with its numbers, months, weekdays and name
    /// spellings changed.
    fn perturb(&self, rng: &mut Rng, src: &str) -> String {
        // (start, end, what): names at word boundaries, digit runs (None).
        let events = gen::changeable(&self.names, src);
        let mut out = String::with_capacity(src.len() + 64);
        let mut last = 0;
        for &(s, e, what) in &events {
            if s < last {
                continue;
            }
            out.push_str(&src[last..s]);
            let word = &src[s..e];
            match what.map(|k| &self.words[k].1) {
                Some(Swap::Month) if rng.chance(0.3) => out.push_str(rng.pick(&MONTHS)),
                Some(Swap::Weekday) if rng.chance(0.3) => out.push_str(rng.pick(&WEEKDAYS)),
                Some(Swap::Name(group)) if rng.chance(0.4) => {
                    out.push_str(&group[rng.below(group.len())])
                }
                Some(_) => out.push_str(word),
                None => {
                    let n = Gen::number_like(rng, word);
                    if word.len() == 3 && rng.chance(0.05) {
                        out.push_str(rng.pick(&NUMBER_WORDS));
                    } else {
                        if word.len() == 3 && rng.chance(0.1) {
                            out.push_str(rng.pick(&BOUNDS));
                            out.push(' ');
                        }
                        out.push_str(&Gen::digits(rng, n));
                    }
                }
            }
            last = e;
        }
        out.push_str(&src[last..]);
        // Now and then a person's name one letter off ("بوتبن").
        if rng.chance(0.01) {
            if let Some(p) = self.persons.iter().find(|p| out.contains(p.as_str())) {
                let chars: Vec<char> = p.chars().collect();
                let k = 2 + rng.below(chars.len() - 4);
                let mut wrong: String = chars[..k].iter().collect();
                wrong.extend(&chars[k + 1..]);
                if !wrong.contains(' ') || wrong.split(' ').count() == p.split(' ').count() {
                    out = out.replacen(p.as_str(), &wrong, 1);
                }
            }
        }
        out
    }

    /// Block `k` of wire copy: four consecutive seed sentences, perturbed.
    fn wire_block(&self, k: u64) -> String {
        let mut rng = Rng::for_item(self.seed, 2, k);
        let start = rng.below(self.sentences.len());
        (0..4)
            .map(|j| {
                let s = &self.sentences[(start + j) % self.sentences.len()];
                self.perturb(&mut rng, s)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Article `i` of a corpus of `n`: the same text for every `n` it fits.
    fn article(&self, i: usize, n: usize) -> String {
        let mut rng = Rng::for_item(self.seed, 1, i as u64);
        let mut a = String::with_capacity(8192 + 256);
        if rng.chance(0.5) {
            a.push_str("---\n");
            a.push_str(&format!("published: 2022-01-{:02}\n", rng.range(6, 20)));
            a.push_str(&format!("source: {}\n", rng.pick(&SOURCES)));
            if rng.chance(0.3) {
                a.push_str(&format!("wire: {}\n", rng.pick(&AGENCIES)));
            }
            a.push_str("---\n");
        }
        let head = a.len();
        let target = head + rng.range(3000, 8000) as usize;
        // Wire copy: blocks shared by about two articles each.
        let wire = rng
            .chance(0.1)
            .then(|| self.wire_block(rng.below((n / 20).max(1)) as u64));
        // A run of seed sentences from one place, as an article tells a story.
        let mut at = rng.below(self.sentences.len());
        let mut placed_wire = false;
        let mut k = 0;
        while a.len() < target {
            let s = match &wire {
                Some(w) if !placed_wire && a.len() > head + 800 => {
                    placed_wire = true;
                    w.clone()
                }
                _ => {
                    if rng.chance(0.25) {
                        at = rng.below(self.sentences.len());
                    }
                    let src = &self.sentences[at % self.sentences.len()];
                    at += 1;
                    let s = self.perturb(&mut rng, src);
                    k += 1;
                    if self.distinct {
                        Gen::tagged(s, i, k)
                    } else {
                        s
                    }
                }
            };
            if a.len() >= head + 3000 && a.len() + s.len() > head + 8192 {
                break;
            }
            if a.len() > head {
                a.push(if rng.chance(0.4) { '\n' } else { ' ' });
            }
            a.push_str(&s);
        }
        a.push('\n');
        a
    }
}

// ----------------------------------------------------------- measuring

fn vm_hwm_kb() -> Option<u64> {
    status_kb("/proc/self/status", "VmHWM:")
}

fn status_kb(path: &str, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(path).ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of this process so far (all threads), from
/// /proc/self/stat (clock ticks of 1/100 s); NaN where unreadable. On a
/// busy machine it tells the work apart from the waiting.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // the fields after the command name, which is in parentheses
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    match (tick(11), tick(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

fn mb_of(kb: Option<u64>) -> Value {
    kb.map(|k| json!(k as f64 / 1024.0)).unwrap_or(Value::Null)
}

fn load_rules() -> Rules {
    Rules::from_dir(&crate_root().join("rules")).unwrap_or_else(|e| panic!("rules: {e}"))
}

/// One size, measured in this process.
fn measure(n: usize, seed: u64, distinct: bool, e2e: bool, save: Option<&Path>) -> Value {
    let rules = load_rules();
    let mut gen = Gen::new(seed, &rules);
    gen.distinct = distinct;
    let (articles, gen_secs): (Vec<Article>, f64) = timed(|| {
        (0..n)
            .map(|i| {
                let text = gen.article(i, n);
                let name = format!("gen/{i:06}.txt");
                kzcheck::load::from_bytes(&name, text.into_bytes())
                    .0
                    .unwrap_or_else(|| panic!("article {i} does not load"))
            })
            .collect()
    });
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    let corpus_kb = vm_hwm_kb();
    let opts = kzcheck::check::Options {
        today: Some(jiff::civil::date(2022, 2, 1)),
        ..Default::default()
    };
    let cpu_before = cpu_seconds();
    let (report, secs) = timed(|| kzcheck::check::check_with(&articles, &rules, &opts));
    let cpu = cpu_seconds() - cpu_before;
    let peak_kb = vm_hwm_kb();
    let claims = report.claims.len();
    let findings = report.findings.len();
    let mut kinds = std::collections::BTreeMap::new();
    for f in &report.findings {
        *kinds.entry(f.kind.as_str()).or_insert(0usize) += 1;
    }
    if let Some(prefix) = save {
        let path = format!("{}.{n}.json", prefix.display());
        let json = serde_json::to_string_pretty(&report).expect("the report serializes");
        std::fs::write(&path, json).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    drop(report);
    let e2e = if e2e {
        run_binary(&articles)
    } else {
        Value::Null
    };
    json!({
        "articles": n,
        "mb": mb,
        "bytes": bytes,
        "seed": seed,
        "generate_seconds": gen_secs,
        "check_seconds": secs,
        "check_cpu_seconds": cpu,
        "mb_per_s": mb / secs,
        "us_per_article": secs * 1e6 / n as f64,
        "claims": claims,
        "findings": findings,
        "finding_kinds": kinds,
        "corpus_peak_mb": mb_of(corpus_kb),
        "peak_mb": mb_of(peak_kb),
        "threads": rayon::current_num_threads(),
        "e2e": e2e,
    })
}

/// The real binary on the corpus written to a temporary folder.
fn run_binary(articles: &[Article]) -> Value {
    let Some(bin) = find_binary() else {
        eprintln!("e2e: no kzcheck binary (run `cargo build --release` first); skipped");
        return Value::Null;
    };
    let dir = std::env::temp_dir().join(format!("kzcheck-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = dir.join("corpus");
    let (written, write_secs) = timed(|| -> std::io::Result<()> {
        std::fs::create_dir_all(&corpus)?;
        for a in articles {
            std::fs::write(corpus.join(format!("{}.txt", a.id)), &a.text)?;
        }
        Ok(())
    });
    if let Err(e) = written {
        eprintln!("e2e: cannot write {}: {e}; skipped", corpus.display());
        let _ = std::fs::remove_dir_all(&dir);
        return Value::Null;
    }
    let cold = COLD.load(std::sync::atomic::Ordering::Relaxed) && drop_from_cache(&corpus);
    let out = dir.join("report.json");
    let gnu_time = Path::new("/usr/bin/time").is_file();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.current_dir(crate_root())
        .arg("--format")
        .arg("json")
        .arg("--fail-on")
        .arg("never")
        .arg("--today")
        .arg("2022-02-01")
        .arg("-o")
        .arg(&out)
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let t = Instant::now();
    let Ok(mut child) = cmd.spawn() else {
        eprintln!("e2e: cannot run {}; skipped", bin.display());
        let _ = std::fs::remove_dir_all(&dir);
        return Value::Null;
    };
    // Without GNU time, poll the child's high-water mark.
    let status_path = format!("/proc/{}/status", child.id());
    let mut polled = None;
    let status = loop {
        if !gnu_time {
            if let Some(kb) = status_kb(&status_path, "VmHWM:") {
                polled = Some(kb);
            }
        }
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    let peak_kb = if gnu_time {
        stderr
            .lines()
            .rev()
            .find_map(|l| l.trim().parse::<u64>().ok())
    } else {
        polled
    };
    let report_bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let ok = status.is_some_and(|s| s.code() == Some(0)) && report_bytes > 0;
    if !ok {
        eprintln!("e2e: kzcheck failed ({status:?}):\n{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mb = articles.iter().map(|a| a.text.len()).sum::<usize>() as f64 / 1e6;
    json!({
        "articles": articles.len(),
        "ok": ok,
        "write_seconds": write_secs,
        "binary_seconds": secs,
        "mb_per_s": mb / secs,
        "peak_mb": mb_of(peak_kb),
        "report_bytes": report_bytes,
        "cold": cold,
    })
}

/// Writes the files of `dir` out to the disk and drops them from the
/// system's cache: whether it could (on Linux, and not in memory, a tmpfs;
/// else it says why not).
fn drop_from_cache(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::ffi::OsStrExt;
        const TMPFS_MAGIC: i64 = 0x0102_1994;
        let Ok(c_dir) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: a NUL-terminated path and a zeroed struct for the call
        // to fill.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c_dir.as_ptr(), &mut fs) } != 0 || fs.f_type as i64 == TMPFS_MAGIC
        {
            eprintln!(
                "e2e: {} is in memory (tmpfs) or unknown: --cold cannot drop it; point TMPDIR at a disk",
                dir.display()
            );
            return false;
        }
        // SAFETY: sync takes nothing and returns nothing.
        unsafe { libc::sync() };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        for e in entries.flatten() {
            if let Ok(f) = std::fs::File::open(e.path()) {
                // SAFETY: the descriptor is open for as long as the call.
                unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
            }
        }
        true
    }
    #[cfg(not(target_os = "linux"))]
    {
        eprintln!(
            "e2e: --cold drops a corpus from the cache on Linux only; {} is cached",
            dir.display()
        );
        false
    }
}

fn find_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    // target/<profile>/examples/bench_check → target/<profile>/kzcheck
    let bin = exe.parent()?.parent()?.join("kzcheck");
    if bin.is_file() {
        return Some(bin);
    }
    let cargo = std::env::var_os("CARGO")?;
    eprintln!("e2e: building the kzcheck binary ...");
    let ok = Command::new(cargo)
        .current_dir(crate_root())
        .args(["build", "--release", "--bin", "kzcheck"])
        .status()
        .ok()?
        .success();
    (ok && bin.is_file()).then_some(bin)
}

/// One size in a child process of its own: its JSON line.
fn measure_in_child(n: usize, seed: u64, distinct: bool, e2e: bool, save: Option<&Path>) -> Value {
    let exe = std::env::current_exe().expect("the bench's own path");
    let mut cmd = Command::new(exe);
    cmd.arg("--child")
        .arg(n.to_string())
        .arg("--seed")
        .arg(seed.to_string())
        .arg("--e2e")
        .arg(if e2e { n.to_string() } else { "0".into() })
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(p) = save {
        cmd.arg("--save-report").arg(p);
    }
    if distinct {
        cmd.arg("--distinct");
    }
    if COLD.load(std::sync::atomic::Ordering::Relaxed) {
        cmd.arg("--cold");
    }
    let out = cmd.output().expect("the bench runs itself");
    if !out.status.success() {
        panic!("the run with {n} articles failed ({})", out.status);
    }
    serde_json::from_slice(&out.stdout).expect("the child prints one JSON object")
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or(f64::NAN)
}

// The allocator of the `kzcheck` binary, so that in-process figures are
// the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = parse_args();
    if let Some(i) = args.dump {
        let rules = load_rules();
        let mut gen = Gen::new(args.seed, &rules);
        gen.distinct = args.distinct;
        print!("{}", gen.article(i, i + 1));
        return;
    }
    if let Some((n, dir)) = &args.write {
        let rules = load_rules();
        let mut gen = Gen::new(args.seed, &rules);
        gen.distinct = args.distinct;
        std::fs::create_dir_all(dir).expect("create the corpus folder");
        for i in 0..*n {
            std::fs::write(dir.join(format!("{i:06}.txt")), gen.article(i, *n))
                .expect("write an article");
        }
        eprintln!("{n} articles written to {}", dir.display());
        return;
    }
    if let Some(n) = args.child {
        let v = measure(
            n,
            args.seed,
            args.distinct,
            args.e2e == Some(n),
            args.save.as_deref(),
        );
        println!("{v}");
        return;
    }
    let mut rows = Vec::new();
    for &n in &args.articles {
        eprintln!("{n} articles ...");
        let e2e = args.e2e == Some(n);
        let v = if args.in_process {
            measure(n, args.seed, args.distinct, e2e, args.save.as_deref())
        } else {
            measure_in_child(n, args.seed, args.distinct, e2e, args.save.as_deref())
        };
        eprintln!(
            "  {:.1} MB in {:.2} s, {} claims, {} findings",
            f(&v, "mb"),
            f(&v, "check_seconds"),
            v["claims"],
            v["findings"]
        );
        rows.push(v);
    }

    eprintln!();
    eprintln!(
        "{:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8}",
        "articles",
        "MB",
        "gen s",
        "check s",
        "cpu s",
        "MB/s",
        "µs/art",
        "t/art ×",
        "corpus MB",
        "peak MB",
        "KB/art",
        "claims"
    );
    let mut prev: Option<&Value> = None;
    for v in &rows {
        let n = f(v, "articles");
        let extra_kb = (f(v, "peak_mb") - f(v, "corpus_peak_mb")) * 1024.0 / n;
        let growth = prev
            .map(|p| f(v, "us_per_article") / f(p, "us_per_article"))
            .map(|g| format!("{g:.2}"))
            .unwrap_or_else(|| "-".into());
        eprintln!(
            "{:>8} {:>8.1} {:>8.2} {:>9.3} {:>8.2} {:>8.2} {:>8.0} {:>9} {:>9.0} {:>10.0} {:>8.1} {:>8}",
            n,
            f(v, "mb"),
            f(v, "generate_seconds"),
            f(v, "check_seconds"),
            f(v, "check_cpu_seconds"),
            f(v, "mb_per_s"),
            f(v, "us_per_article"),
            growth,
            f(v, "corpus_peak_mb"),
            f(v, "peak_mb"),
            extra_kb,
            v["claims"]
        );
        prev = Some(v);
    }
    eprintln!(
        "cpu s: CPU seconds of the check on all threads; t/art ×: time per article against \
         the previous size (1.00 = linear); KB/art: (peak − corpus peak) per article"
    );
    for v in &rows {
        let e = &v["e2e"];
        if !e.is_null() {
            eprintln!(
                "end to end, {} articles{}: writing {:.2} s; kzcheck {:.2} s ({:.1} MB/s), peak {:.0} MB, report {} bytes{}",
                e["articles"],
                if e["cold"].as_bool() == Some(true) { ", read from the disk" } else { "" },
                f(e, "write_seconds"),
                f(e, "binary_seconds"),
                f(e, "mb_per_s"),
                f(e, "peak_mb"),
                e["report_bytes"],
                if e["ok"].as_bool() == Some(true) { "" } else { " (FAILED)" }
            );
        }
    }
    if args.json {
        println!(
            "{}",
            json!({
                "seed": args.seed,
                "threads": rayon::current_num_threads(),
                "runs": rows,
            })
        );
    }
}
