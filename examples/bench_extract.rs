//! Throughput benchmark of the extract step on a generated corpus.
//!
//! ```sh
//! cargo run --release --example bench_extract -- [--mb 100] [--seed N] [--check-mb 10] [--json]
//! cargo run --release --example bench_extract -- --mb 1 --dump 0   # look at one generated article
//! ```
//!
//! Generates `--mb` megabytes (1 MB = 1e6 bytes) of Arabic news text from the
//! sentences of `seeds/*.txt` (deterministic for a given `--seed`), then times,
//! over the whole corpus:
//!
//! - `normalize`: `kzcheck::normalize::normalize`, one thread;
//! - `extract`: `normalize` + `Extractor::scan` (dates and quantities), on one
//!   thread and on all cores (rayon); the mention counts must be equal;
//! - `floor (regex)`: one regex, the alternation of the lexicon's trigger
//!   words plus `\d+`, `find_iter` over the original text; this is the floor
//!   the extract step is measured against (and `floor (aho-corasick)`, the
//!   same words with aho-corasick plus a digit-run count, for reference);
//! - `check`: the whole pipeline (`kzcheck::check::check`) on the first
//!   `--check-mb` megabytes, for scale.
//!
//! MB/s are megabytes of ORIGINAL text per second of wall time. `--json`
//! prints the figures as one JSON object on stdout (the table goes to stderr).
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use aho_corasick::{AhoCorasick, MatchKind};
use kzcheck::extract::Extractor;
use kzcheck::rules::Rules;
use rayon::prelude::*;
use regex::Regex;
use serde_json::{json, Value};

struct Args {
    mb: f64,
    seed: u64,
    check_mb: f64,
    json: bool,
    dump: Option<usize>,
}

fn usage() -> ! {
    eprintln!(
        "usage: bench_extract [--mb MB (default 100)] [--seed N (default 1)] \
         [--check-mb MB (default 10, 0 to skip)] [--json] [--dump I (print article I, exit)]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        mb: 100.0,
        seed: 1,
        check_mb: 10.0,
        json: false,
        dump: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let num = |it: &mut dyn Iterator<Item = String>| -> f64 {
            it.next()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
                .unwrap_or_else(|| usage())
        };
        match a.as_str() {
            "--mb" => args.mb = num(&mut it),
            "--seed" => args.seed = num(&mut it) as u64,
            "--check-mb" => args.check_mb = num(&mut it),
            "--json" => args.json = true,
            "--dump" => args.dump = Some(num(&mut it) as usize),
            _ => usage(),
        }
    }
    args
}

#[path = "common/gen.rs"]
mod gen;
use gen::{crate_root, Rng};

const MONTHS: [&str; 33] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
    "جانفي",
    "فيفري",
    "أفريل",
    "ماي",
    "جوان",
    "جويلية",
    "أوت",
    "يناير/كانون الثاني",
    "يناير/ كانون الثاني",
];
const WEEKDAYS: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];
const NUMBER_WORDS: [&str; 14] = [
    "ثلاثة آلاف",
    "ألفين وثلاثين",
    "خمسة عشر",
    "عشرين",
    "مئتين",
    "سبعة",
    "أربعمئة",
    "ثلاثين ألفا",
    "مليونين",
    "عشرات",
    "مئات",
    "آلاف",
    "عشرات الآلاف",
    "بضعة",
];
const BOUNDS: [&str; 9] = [
    "أكثر من",
    "نحو",
    "قرابة",
    "حوالى",
    "ما لا يقل عن",
    "أقل من",
    "زهاء",
    "ما يزيد على",
    "ما يقارب",
];
const RELATIVE: [&str; 9] = [
    "أمس",
    "يوم أمس",
    "اليوم",
    "يوم غد",
    "أول أمس",
    "{wd} الماضي",
    "أمس {wd}",
    "{wd} المقبل",
    "مساء {wd}",
];
const TEMPLATES: [&str; 7] = [
    "وقالت مصادر محلية {rel} إن {q} شخصا قتلوا في الاشتباكات.",
    "وأعلنت وزارة الداخلية {rel} توقيف {q} مشتبها بهم منذ بداية الاحتجاجات.",
    "وأفادت الوكالة بأن {q} جندي وصلوا إلى ألماتي في {d} {m}.",
    "وكان الرئيس قد أعلن {rel} حالة الطوارئ حتى {d} {m} {y}.",
    "وتجمع {q} متظاهر في الساحة الرئيسية يوم {wd} الماضي.",
    "وبحسب الأرقام الرسمية، أصيب {q} شخصا بجروح {rel}.",
    "ومن المقرر أن تنتهي العملية في {d} من {m} الجاري، أي بعد {d} أيام.",
];
const TASHKEEL: [char; 8] = [
    '\u{64B}', '\u{64C}', '\u{64D}', '\u{64E}', '\u{64F}', '\u{650}', '\u{651}', '\u{652}',
];
const ARABIC_INDIC: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];

/// The sentences of the seed articles: lines, split again on ". ".
fn seed_sentences(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for text in gen::seed_texts(dir, &["txt"]) {
        for line in text.lines() {
            let pieces: Vec<&str> = line.split(". ").collect();
            let n = pieces.len();
            for (i, p) in pieces.into_iter().enumerate() {
                let p = p.trim();
                // Skip bylines, share buttons and other crumbs.
                if p.chars().count() < 25 {
                    continue;
                }
                if i + 1 < n {
                    out.push(format!("{p}."));
                } else {
                    out.push(p.to_string());
                }
            }
        }
    }
    assert!(!out.is_empty(), "no seed sentences in {}", dir.display());
    out
}

struct Gen {
    rng: Rng,
    sentences: Vec<String>,
    /// Month names then weekday names.
    names: AhoCorasick,
}

impl Gen {
    fn new(seed: u64, sentences: Vec<String>) -> Gen {
        let pats: Vec<&str> = MONTHS.iter().chain(WEEKDAYS.iter()).copied().collect();
        let names = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pats)
            .expect("month/weekday automaton");
        Gen {
            rng: Rng::new(seed),
            sentences,
            names,
        }
    }

    fn digits(&mut self, n: u64) -> String {
        let s = n.to_string();
        if self.rng.chance(0.15) {
            s.chars()
                .map(|c| ARABIC_INDIC[c as usize - '0' as usize])
                .collect()
        } else {
            s
        }
    }

    /// A number like the one written `orig` (a year stays a year, a day a day).
    fn number_like(&mut self, orig: &str) -> u64 {
        let len = orig.len();
        let r = &mut self.rng;
        match len {
            1 | 2 => r.range(1, 31),
            3 => r.range(100, 999),
            4 if orig.starts_with("19") || orig.starts_with("20") => r.range(2010, 2025),
            _ => {
                let len = len.min(9) as u32;
                r.range(10u64.pow(len - 1), 10u64.pow(len) - 1)
            }
        }
    }

    fn weekday(&mut self) -> &'static str {
        self.rng.pick(&WEEKDAYS)
    }

    fn relative(&mut self) -> String {
        let wd = self.weekday();
        self.rng.pick(&RELATIVE).replace("{wd}", wd)
    }

    /// A count: digits or number words, sometimes with a bound before it.
    fn quantity(&mut self) -> String {
        let core = if self.rng.chance(0.3) {
            self.rng.pick(&NUMBER_WORDS).to_string()
        } else {
            let n = self.rng.range(2, 5000);
            self.digits(n)
        };
        if self.rng.chance(0.35) {
            format!("{} {core}", self.rng.pick(&BOUNDS))
        } else {
            core
        }
    }

    fn template(&mut self) -> String {
        let mut s = self.rng.pick(&TEMPLATES).to_string();
        for (key, f) in [
            ("{rel}", Gen::relative as fn(&mut Gen) -> String),
            ("{q}", Gen::quantity),
            ("{wd}", |g| g.weekday().to_string()),
            ("{m}", |g| g.rng.pick(&MONTHS[..31]).to_string()),
            ("{d}", |g| {
                let d = g.rng.range(1, 31);
                g.digits(d)
            }),
            ("{y}", |g| {
                let y = g.rng.range(2015, 2025);
                g.digits(y)
            }),
        ] {
            while s.contains(key) {
                let v = f(self);
                s = s.replacen(key, &v, 1);
            }
        }
        s
    }

    /// One seed sentence with its numbers, months and weekdays changed.
    fn perturb(&mut self, src: &str) -> String {
        // Events: (start, end, is_name), sorted; names at word boundaries.
        let events: Vec<(usize, usize, bool)> = gen::changeable(&self.names, src)
            .into_iter()
            .map(|(s, e, name)| (s, e, name.is_some()))
            .collect();
        let mut out = String::with_capacity(src.len() + 64);
        let mut last = 0;
        for (k, &(s, e, is_name)) in events.iter().enumerate() {
            if s < last {
                continue;
            }
            out.push_str(&src[last..s]);
            let word = &src[s..e];
            if is_name {
                if WEEKDAYS.contains(&word) {
                    let wd = self.weekday();
                    // "اليوم الخميس" stays a plain weekday; else sometimes "أمس الخميس", "الخميس الماضي".
                    let after_day_word = ["اليوم ", "أمس ", "يوم ", "غدا "]
                        .iter()
                        .any(|w| out.ends_with(w));
                    let rest = &src[e..];
                    let before_rel_word = ["الماضي", "المقبل", "المنصرم", "القادم", "الفائت"]
                        .iter()
                        .any(|w| rest.trim_start_matches([' ', '،']).starts_with(w));
                    if !after_day_word && !before_rel_word && self.rng.chance(0.3) {
                        let rel = self.rng.pick(&RELATIVE[5..]).replace("{wd}", wd);
                        out.push_str(&rel);
                    } else {
                        out.push_str(wd);
                    }
                } else {
                    out.push_str(self.rng.pick(&MONTHS));
                }
            } else {
                // A day before a month or a year stays digits.
                let before_name = events
                    .get(k + 1)
                    .is_some_and(|&(ns, _, n)| n && ns <= e + 4);
                let n = self.number_like(word);
                if !before_name && word.len() != 4 && self.rng.chance(0.1) {
                    out.push_str(self.rng.pick(&NUMBER_WORDS));
                } else {
                    if !before_name && word.len() != 4 && self.rng.chance(0.12) {
                        out.push_str(self.rng.pick(&BOUNDS));
                        out.push(' ');
                    }
                    let d = self.digits(n);
                    out.push_str(&d);
                }
            }
            last = e;
        }
        out.push_str(&src[last..]);
        if self.rng.chance(0.1) {
            out = self.tashkeel(&out);
        }
        out
    }

    fn tashkeel(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + s.len() / 16);
        for c in s.chars() {
            out.push(c);
            if ('\u{621}'..='\u{64A}').contains(&c) && self.rng.chance(0.03) {
                out.push(TASHKEEL[self.rng.below(TASHKEEL.len())]);
            }
        }
        out
    }

    fn article(&mut self) -> String {
        let target = self.rng.range(3000, 8000) as usize;
        let mut a = String::with_capacity(target + 1024);
        while a.len() < target {
            let s = if self.rng.chance(0.15) {
                self.template()
            } else {
                let i = self.rng.below(self.sentences.len());
                let src = std::mem::take(&mut self.sentences[i]);
                let s = self.perturb(&src);
                self.sentences[i] = src;
                s
            };
            if a.len() >= 3000 && a.len() + s.len() > 8192 {
                break;
            }
            if !a.is_empty() {
                a.push(if self.rng.chance(0.3) { '\n' } else { ' ' });
            }
            a.push_str(&s);
        }
        a.push('\n');
        a
    }
}

fn generate(bytes: usize, seed: u64) -> Vec<String> {
    let mut g = Gen::new(seed, seed_sentences(&crate_root().join("seeds")));
    let mut corpus = Vec::new();
    let mut total = 0;
    while total < bytes {
        let a = g.article();
        total += a.len();
        corpus.push(a);
    }
    corpus
}

/// Every trigger word of the lexicon (normalized forms), longest first.
fn trigger_words(rules: &Rules) -> Vec<String> {
    let lex = &rules.lexicon;
    let mut w: Vec<String> = Vec::new();
    w.extend(lex.months.iter().map(|(s, _)| s.clone()));
    w.extend(lex.weekdays.iter().map(|(s, _)| s.clone()));
    w.extend(lex.relative_days.iter().map(|(s, _)| s.clone()));
    w.extend(lex.number_words.iter().map(|(s, _)| s.clone()));
    w.extend(lex.multipliers.iter().map(|(s, _)| s.clone()));
    w.extend(lex.ordinal_days.iter().map(|(s, _)| s.clone()));
    w.extend(lex.vague.iter().flat_map(|v| v.words.iter().cloned()));
    let b = &lex.bounds;
    for list in [
        &b.more_than,
        &b.at_least,
        &b.less_than,
        &b.at_most,
        &b.about,
        &b.between,
    ] {
        w.extend(list.iter().cloned());
    }
    w.retain(|s| !s.is_empty());
    w.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    w.dedup();
    w
}

/// Runs of digits (ASCII, Arabic-Indic, Persian), as `\d+` would find them.
fn digit_runs(s: &str) -> usize {
    let b = s.as_bytes();
    let mut runs = 0;
    let mut in_run = false;
    let mut i = 0;
    while i < b.len() {
        let (digit, w) = match b[i] {
            b'0'..=b'9' => (true, 1),
            0xD9 if matches!(b.get(i + 1), Some(0xA0..=0xA9)) => (true, 2),
            0xDB if matches!(b.get(i + 1), Some(0xB0..=0xB9)) => (true, 2),
            _ => (false, 1),
        };
        if digit && !in_run {
            runs += 1;
        }
        in_run = digit;
        i += w;
    }
    runs
}

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Row {
    stage: &'static str,
    threads: usize,
    secs: f64,
    mb: f64,
    count: usize,
}

impl Row {
    fn mbps(&self) -> f64 {
        self.mb / self.secs
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed().as_secs_f64())
}

fn main() {
    let args = parse_args();
    let threads = rayon::current_num_threads();

    // 1. The corpus.
    let (corpus, gen_secs) = timed(|| generate((args.mb * 1e6) as usize, args.seed));
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    eprintln!(
        "corpus: {mb:.1} MB, {} articles (seed {}), generated in {gen_secs:.2} s",
        corpus.len(),
        args.seed
    );

    if let Some(i) = args.dump {
        print!("{}", corpus.get(i).map_or("", String::as_str));
        return;
    }

    // 2. The rules.
    let rules = Rules::from_dir(&crate_root().join("rules")).unwrap_or_else(|e| {
        eprintln!("bench_extract: cannot load rules: {e:?}");
        std::process::exit(2)
    });
    let ex = Extractor::new(&rules);

    let mut rows: Vec<Row> = Vec::new();

    // 3a. normalize only, one thread.
    let (n, secs) = timed(|| {
        corpus
            .iter()
            .map(|a| black_box(kzcheck::normalize::normalize(a)).text.len())
            .sum::<usize>()
    });
    rows.push(Row {
        stage: "normalize",
        threads: 1,
        secs,
        mb,
        count: n,
    });
    eprintln!("normalize: {secs:.2} s");

    // 3b/c. extract = normalize + scan.
    let extract_one = |a: &String| -> (usize, usize) {
        let norm = kzcheck::normalize::normalize(a);
        let (d, q) = ex.scan(&norm.text);
        (d.len(), q.len())
    };
    let add = |x: (usize, usize), y: (usize, usize)| (x.0 + y.0, x.1 + y.1);
    let ((d1, q1), secs) = timed(|| corpus.iter().map(extract_one).fold((0, 0), add));
    rows.push(Row {
        stage: "extract",
        threads: 1,
        secs,
        mb,
        count: d1 + q1,
    });
    eprintln!("extract, 1 thread: {secs:.2} s ({d1} dates, {q1} quantities)");
    let ((dn, qn), secs) = timed(|| corpus.par_iter().map(extract_one).reduce(|| (0, 0), add));
    rows.push(Row {
        stage: "extract",
        threads,
        secs,
        mb,
        count: dn + qn,
    });
    eprintln!("extract, {threads} threads: {secs:.2} s ({dn} dates, {qn} quantities)");
    assert_eq!(
        (d1, q1),
        (dn, qn),
        "mention counts differ between 1 and {threads} threads"
    );

    // 3d. The floor: the same trigger words, raw, on the original text.
    let words = trigger_words(&rules);
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    let floor_re = Regex::new(&format!(r"(?:{}|\d+)", alternation.join("|"))).expect("floor regex");
    let (n, secs) = timed(|| {
        corpus
            .iter()
            .map(|a| floor_re.find_iter(a).count())
            .sum::<usize>()
    });
    rows.push(Row {
        stage: "floor (regex)",
        threads: 1,
        secs,
        mb,
        count: n,
    });
    let (nn, secs) = timed(|| {
        corpus
            .par_iter()
            .map(|a| floor_re.find_iter(a).count())
            .sum::<usize>()
    });
    assert_eq!(n, nn);
    rows.push(Row {
        stage: "floor (regex)",
        threads,
        secs,
        mb,
        count: nn,
    });
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(&words)
        .expect("floor automaton");
    let (n, secs) = timed(|| {
        corpus
            .iter()
            .map(|a| ac.find_iter(a.as_str()).count() + digit_runs(a))
            .sum::<usize>()
    });
    rows.push(Row {
        stage: "floor (aho-corasick)",
        threads: 1,
        secs,
        mb,
        count: n,
    });
    eprintln!("floors done ({} trigger words)", words.len());

    // 3e. The whole check, on a slice.
    let mut check_json = Value::Null;
    if args.check_mb > 0.0 {
        let limit = (args.check_mb * 1e6) as usize;
        let mut slice = Vec::new();
        let mut sbytes = 0;
        for (i, a) in corpus.iter().enumerate() {
            if sbytes >= limit {
                break;
            }
            let (art, _) =
                kzcheck::load::from_bytes(&format!("gen/{i:06}.txt"), a.clone().into_bytes());
            if let Some(art) = art {
                sbytes += a.len();
                slice.push(art);
            }
        }
        let smb = sbytes as f64 / 1e6;
        eprintln!("check: {smb:.1} MB, {} articles ...", slice.len());
        let (report, secs) = timed(|| kzcheck::check::check(&slice, &rules));
        rows.push(Row {
            stage: "check (whole pipeline)",
            threads: 1,
            secs,
            mb: smb,
            count: report.claims.len(),
        });
        check_json = json!({
            "mb": smb,
            "articles": slice.len(),
            "seconds": secs,
            "mb_per_s": smb / secs,
            "claims": report.claims.len(),
            "findings": report.findings.len(),
        });
    }

    // 4. Report.
    let floor = |t: usize| {
        rows.iter()
            .find(|r| r.stage == "floor (regex)" && r.threads == t)
            .or_else(|| rows.iter().find(|r| r.stage == "floor (regex)"))
            .map(Row::mbps)
            .unwrap_or(f64::NAN)
    };
    let peak = peak_rss_kb();
    eprintln!();
    eprintln!(
        "{:<24} {:>7} {:>9} {:>9} {:>12} {:>11}",
        "stage", "threads", "seconds", "MB/s", "x floor", "count"
    );
    for r in &rows {
        eprintln!(
            "{:<24} {:>7} {:>9.3} {:>9.1} {:>12.2} {:>11}",
            r.stage,
            r.threads,
            r.secs,
            r.mbps(),
            floor(r.threads) / r.mbps(),
            r.count
        );
    }
    eprintln!(
        "'x floor': how many times slower than the regex floor on the same number of threads"
    );
    eprintln!("(counts: normalized bytes, mentions, raw matches, claims)");
    if let Some(kb) = peak {
        eprintln!("peak memory (VmHWM): {:.0} MB", kb as f64 / 1024.0);
    }

    if args.json {
        let stages: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "stage": r.stage,
                    "threads": r.threads,
                    "seconds": r.secs,
                    "mb": r.mb,
                    "mb_per_s": r.mbps(),
                    "x_floor": floor(r.threads) / r.mbps(),
                    "count": r.count,
                })
            })
            .collect();
        let out = json!({
            "corpus": {
                "mb": mb,
                "bytes": bytes,
                "articles": corpus.len(),
                "seed": args.seed,
                "generate_seconds": gen_secs,
            },
            "threads": threads,
            "trigger_words": words.len(),
            "mentions": { "dates": d1, "quantities": q1 },
            "stages": stages,
            "check": check_json,
            "peak_rss_kb": peak,
        });
        println!("{out}");
    }
}
