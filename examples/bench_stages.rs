//! Where the time of a run goes: the first stages of the pipeline, timed on
//! a corpus folder, each run alone and cumulatively on all cores.
//!
//! ```sh
//! cargo run --release --example bench_check -- --write-corpus 100000 /tmp/c100k
//! cargo run --release --example bench_stages -- /tmp/c100k
//! ```
//!
//! The files are read once before the first line. Each line runs the pipeline from the start up to a stage over every file
//! of the folder (in parallel, 64 articles at a time, as `check` does), and
//! prints the wall time, the CPU time of all threads and MB/s of original
//! text:
//!
//! - `read`: the files read and decoded (`Source::read`);
//! - `+ normalize`: and normalized;
//! - `+ segment`: and cut into sentences (`Extractor::prepare`);
//! - `+ extract`: and every mention and claim-rule match found
//!   (`Extractor::extract_many`);
//! - `+ analyse`: and each article's claims, names and wire-copy runs made
//!   (`check::analyse_many`): the whole first half of a run, without the
//!   comparison and the report.
//!
//! The difference between two lines is what a stage costs; the last line
//! against the binary's end-to-end time is what comparing and writing cost.
use std::path::PathBuf;
use std::time::Instant;

use kzcheck::extract::Extractor;
use kzcheck::rules::Rules;
use rayon::prelude::*;

fn cpu_seconds() -> f64 {
    // utime + stime of the whole process, in clock ticks (100 a second on
    // Linux); 0 where /proc is not there.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let t = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(t / 100.0)
        })
        .unwrap_or(0.0)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            eprintln!("usage: bench_stages CORPUS_DIR");
            std::process::exit(2)
        });
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = Rules::from_dir(&root.join("rules")).unwrap_or_else(|e| {
        eprintln!("rules: {e:?}");
        std::process::exit(2)
    });
    let plan = kzcheck::load::plan(&[dir]);
    let sources = &plan.sources;
    let bytes: u64 = sources
        .iter()
        .filter_map(|s| std::fs::metadata(s.fs_path()).ok())
        .map(|m| m.len())
        .sum();
    let mb = bytes as f64 / 1e6;
    println!("{} articles, {mb:.0} MB", sources.len());
    println!(
        "{:<14} {:>8} {:>9} {:>8}",
        "stage", "wall s", "CPU s", "MB/s"
    );
    let ex = Extractor::new(&rules);
    // The calendar as the binary makes it from the rules' declared window
    // and today (rules without a window would have it read off the corpus
    // first, which is not timed here).
    let opts = kzcheck::check::Options {
        today: Some(jiff::Zoned::now().date()),
        ..Default::default()
    };
    let cal = kzcheck::check::calendar(&[], &rules, &opts, &ex);
    // The files are read once first, so that every line finds them in the
    // page cache alike (and the thread pool started).
    let stages = [
        "(warm-up)",
        "read",
        "+ normalize",
        "+ segment",
        "+ extract",
        "+ analyse",
    ];
    for (depth, name) in stages.iter().enumerate() {
        let depth = depth.saturating_sub(1);
        let (t0, c0) = (Instant::now(), cpu_seconds());
        let n: usize = sources
            .par_chunks(64)
            .map(|batch| {
                let articles: Vec<_> = batch.iter().filter_map(|s| s.read().0).collect();
                match depth {
                    0 => articles.len(),
                    1 => articles
                        .iter()
                        .map(|a| kzcheck::normalize::normalize(a.body_text()).text.len())
                        .sum(),
                    2 => articles
                        .iter()
                        .map(|a| ex.prepare(a.body_text()).sentences.len())
                        .sum(),
                    3 => {
                        let docs: Vec<_> =
                            articles.iter().map(|a| ex.prepare(a.body_text())).collect();
                        let refs: Vec<_> = docs.iter().collect();
                        ex.extract_many(&refs).iter().map(|e| e.matches.len()).sum()
                    }
                    _ => {
                        let refs: Vec<_> = articles.iter().collect();
                        kzcheck::check::analyse_many(&refs, &ex, &rules, &cal)
                            .iter()
                            .map(|p| p.claims.len())
                            .sum()
                    }
                }
            })
            .sum();
        let wall = t0.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        if name.starts_with('(') {
            continue;
        }
        println!(
            "{name:<14} {wall:>8.2} {cpu:>9.2} {:>8.1}   ({n})",
            mb / wall
        );
    }
}
