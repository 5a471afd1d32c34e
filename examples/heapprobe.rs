//! Live heap after each stage of a run, counted by a global allocator:
//! what the compiled rules hold, what the parts of a corpus hold (what a run
//! keeps per article), and the report. RSS (`/usr/bin/time -f %M`) adds the
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
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Relaxed);
        N.fetch_add(1, Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Relaxed);
        N.fetch_sub(1, Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
fn show(what: &str) {
    println!(
        "{what}: live {} MB in {} blocks",
        LIVE.load(Relaxed) >> 20,
        N.load(Relaxed)
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
    let runs: usize = parts.iter().map(|p| p.runs.len()).sum();
    println!("claims {claims} names {names} runs {runs}");
    let report = kzcheck::check::assemble(parts, &rules, &opts);
    show("report");
    println!("findings {}", report.findings.len());
}
