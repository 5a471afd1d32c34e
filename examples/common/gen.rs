//! What both benchmarks' corpus generators use: random numbers
//! (xorshift64*, small, fast and deterministic, so a seed always gives the
//! same corpus) and the places in a seed sentence that may be changed.

#[derive(Clone)]
pub struct Rng(u64);

#[allow(dead_code)]
impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Never zero; spread small seeds.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    /// A generator for item `i` of stream `seed`, independent of the others.
    pub fn for_item(seed: u64, stream: u64, i: u64) -> Rng {
        let mut r = Rng::new(
            seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93)
                ^ i.wrapping_mul(0xA076_1D64_78BD_642F),
        );
        r.next();
        r
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) < p * (1u64 << 53) as f64
    }
    pub fn pick<'a, T: ?Sized>(&mut self, v: &[&'a T]) -> &'a T {
        v[self.below(v.len())]
    }
}

/// The places in `src` a generator may change, sorted: the `names` at word
/// boundaries (with the pattern's index) and runs of ASCII digits (None).
pub fn changeable(
    names: &aho_corasick::AhoCorasick,
    src: &str,
) -> Vec<(usize, usize, Option<usize>)> {
    let letter_before = |at: usize| {
        src[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphabetic)
    };
    let letter_after = |at: usize| src[at..].chars().next().is_some_and(char::is_alphabetic);
    let mut events: Vec<(usize, usize, Option<usize>)> = names
        .find_iter(src)
        .filter(|m| !letter_before(m.start()) && !letter_after(m.end()))
        .map(|m| (m.start(), m.end(), Some(m.pattern().as_usize())))
        .collect();
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            events.push((s, i, None));
        } else {
            i += 1;
        }
    }
    events.sort_unstable();
    events
}

/// The crate's root folder (where `seeds/` and `rules/` are).
#[allow(dead_code)]
pub fn crate_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The texts of the seed articles in `dir` whose extension is one of
/// `exts`, in file-name order.
#[allow(dead_code)]
pub fn seed_texts(dir: &std::path::Path, exts: &[&str]) -> Vec<String> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect()
}
