//! Live heap after each stage of a run, counted by a global allocator:
//! what the compiled rules hold, what the parts of a corpus hold (what a run
//! keeps per article), the report, and the JSON written; with the peak of
//! each stage and the process's peak resident memory. RSS (`/usr/bin/time -f %M`) adds the
//! allocator's own overhead on top.
//!
//! ```sh
//! cargo run --release --example heapprobe -- /tmp/corpus10k
//! ```
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static N: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
fn grew(by: isize) {
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size() as isize);
        N.fetch_add(1, Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Relaxed);
        N.fetch_sub(1, Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        grew(n as isize - l.size() as isize);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
fn show(what: &str) {
    let live = LIVE.load(Relaxed);
    // The process's peak resident memory so far, as `time -f %M` gives it.
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(String::new(), |kb| {
            format!("; peak RSS so far {} MB", kb >> 10)
        });
    println!(
        "{what}: live {} MB in {} blocks; peak during the stage {} MB{hwm}",
        live >> 20,
        N.load(Relaxed),
        PEAK.swap(live, Relaxed) >> 20
    );
}
fn main() {
    use kzcheck::check::{parts_from, Options};
    let dir = std::env::args().nth(1).unwrap();
    let rules = kzcheck::rules::Rules::from_dir(std::path::Path::new("rules")).unwrap();
    show("rules");
    let plan = kzcheck::load::plan(&[dir.into()]);
    show("plan");
    let opts = Options {
        today: Some(jiff::civil::date(2026, 1, 1)),
        ..Default::default()
    };
    let (_, parts, _) = parts_from(&plan.sources, None, &rules, &opts);
    show("parts");
    let claims: usize = parts.iter().map(|p| p.claims.len()).sum();
    let names: usize = parts.iter().map(|p| p.names.len()).sum();
    let runs: usize = parts.iter().map(|p| p.runs.kept()).sum();
    println!("claims {claims} names {names} runs kept in memory {runs}");
    if std::env::var_os("HEAPPROBE_FIELDS").is_some() {
        // What each field of the parts holds: emptied one after another.
        let mut parts = parts;
        let mut empty = |what: &str, f: &dyn Fn(&mut kzcheck::check::Part)| {
            let (before, blocks) = (LIVE.load(Relaxed), N.load(Relaxed));
            parts.iter_mut().for_each(f);
            println!(
                "  {what}: {} MB in {} blocks",
                (before - LIVE.load(Relaxed)) >> 20,
                blocks - N.load(Relaxed)
            );
        };
        let none: kzcheck::Shared = "".into();
        fn claims(
            f: &dyn Fn(&mut kzcheck::claim::Claim),
        ) -> impl Fn(&mut kzcheck::check::Part) + '_ {
            move |p| p.claims.iter_mut().for_each(|c| f(c))
        }
        empty("runs", &|p| p.runs = Default::default());
        empty("names", &|p| p.names = Vec::new());
        empty("claim texts", &claims(&|c| c.text = none.clone()));
        empty("claim ids", &claims(&|c| c.id = none.clone()));
        empty(
            "claim anchors",
            &claims(&|c| c.anchors = Default::default()),
        );
        empty(
            "claim qualifiers",
            &claims(&|c| c.qualifiers = Default::default()),
        );
        let statement = || kzcheck::value::Value::Statement(Default::default());
        empty("claim values", &claims(&|c| c.value = statement()));
        empty("claims", &|p| p.claims = Vec::new());
        empty("mismatches", &|p| {
            p.mismatches = Vec::new();
            p.calendar = Vec::new();
        });
        let before = LIVE.load(Relaxed);
        drop(parts);
        println!("  the rest: {} MB", (before - LIVE.load(Relaxed)) >> 20);
        show("parts dropped");
        return;
    }
    let report = kzcheck::check::assemble(parts, &rules, &opts);
    show("report");
    println!("findings {}", report.findings.len());
    // The format written (`HEAPPROBE_FORMAT`: json, the default, text or
    // html); the text and HTML reports read the articles again, as the
    // binary does.
    let format = match std::env::var("HEAPPROBE_FORMAT").as_deref() {
        Ok("text") => kzcheck::report::Format::Text,
        Ok("html") => kzcheck::report::Format::Html,
        _ => kzcheck::report::Format::Json,
    };
    let sources: std::collections::HashMap<&str, &kzcheck::load::Source> =
        plan.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let texts = |id: &str| sources.get(id)?.text();
    let opts = kzcheck::report::TextOptions {
        color: false,
        width: 100,
    };
    let written = kzcheck::report::write(&report, format, opts, &texts, &mut std::io::sink());
    written.expect("written");
    show(&format!("{format:?}"));
}
