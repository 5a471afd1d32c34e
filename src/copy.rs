//! Wire copy: articles that share near-identical sentences. Each article's
//! sentences are cut into six-word runs, hashed (`sentence_runs`); two articles
//! with three runs in common share copy, unless the runs are found in more
//! than 20 articles (boilerplate, not copy) (`shared_copy`).
//!
//! On a large corpus the runs are the biggest thing an article leaves
//! behind (140 MB for 100,000 articles), and they are only needed at the
//! end. A run can hand them to a `Spill`: temporary files, deleted when the
//! run ends, cut in slices by hash and read back one slice at a time. A
//! spill that cannot be written leaves the runs in memory: nothing is lost.
use std::fs::File;
use std::sync::{Arc, Mutex};

/// The slices runs are counted in, by hash: a slice is a 32nd of them.
const SLICES: u32 = 32;

/// An article's runs: in memory, or handed to a spill under a number.
#[derive(Debug, Clone)]
pub enum Runs {
    Kept(Vec<u32>),
    Spilled(Arc<Spill>, u32),
}

impl Default for Runs {
    fn default() -> Runs {
        Runs::Kept(Vec::new())
    }
}

impl Runs {
    /// The runs' hashes, sorted and without repeats. Runs handed to a
    /// spill are read back from all of it: slow, one article at a time (a
    /// shard is written from runs kept, see `check::parts`).
    pub fn hashes(&self) -> std::io::Result<Vec<u32>> {
        match self {
            Runs::Kept(v) => Ok(v.clone()),
            Runs::Spilled(spill, n) => {
                let mut v = Vec::new();
                for s in 0..SLICES {
                    v.extend(
                        spill
                            .slice(s)?
                            .into_iter()
                            .filter(|(_, a)| a == n)
                            .map(|(h, _)| h),
                    );
                }
                v.sort_unstable();
                Ok(v)
            }
        }
    }

    /// How many runs are kept in memory.
    pub fn kept(&self) -> usize {
        match self {
            Runs::Kept(v) => v.len(),
            Runs::Spilled(..) => 0,
        }
    }
}

/// Whether `c` is alphanumeric (`char::is_alphanumeric`), read off a table
/// for ASCII and the Arabic block, where nearly all of an article is.
fn is_alphanumeric(c: char) -> bool {
    static TABLE: std::sync::OnceLock<[bool; 0x700]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        std::array::from_fn(|i| char::from_u32(i as u32).is_some_and(char::is_alphanumeric))
    });
    table
        .get(c as usize)
        .copied()
        .unwrap_or_else(|| c.is_alphanumeric())
}

/// The six-word runs of one sentence, hashed (32 bits are plenty to tell a
/// day's runs apart, and halve what every article keeps until the end of
/// the run), in order, added to `out`. An article's runs are those of its
/// sentences (not boilerplate), sorted, without repeats (`finish`); the
/// extractor gathers them (see `extract::Extracted::runs`).
///
/// Each word is hashed once (`fnv1a`), and a run's hash is worked out from
/// its six words' hashes (`run_hash`): hashing the six words' bytes for
/// every run read each byte six times.
/// (`words` is room for the words' hashes, reused from call to call.)
pub fn sentence_runs(sentence: &str, out: &mut Vec<u32>, words: &mut Vec<u64>) {
    words.clear();
    words.extend(
        sentence
            .split(|c: char| !is_alphanumeric(c))
            .filter(|w| !w.is_empty())
            .map(fnv1a),
    );
    out.extend(words.windows(RUN).map(run_hash));
}

/// An article's runs, from those of its sentences: sorted, without
/// repeats.
pub fn finish(mut runs: Vec<u32>) -> Vec<u32> {
    runs.sort_unstable();
    runs.dedup();
    runs.shrink_to_fit();
    runs
}

/// How many words make a run.
const RUN: usize = 6;

/// FNV-1a (64 bits) over a string's bytes: the same on every machine.
pub(crate) fn fnv1a(word: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in word.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A run's hash from its words' hashes, in order: a polynomial in them,
/// mixed (the finalizer of MurmurHash3) and folded to 32 bits. The same on
/// every machine.
fn run_hash(words: &[u64]) -> u32 {
    let mut h = words.iter().fold(0u64, |h, &w| {
        h.wrapping_mul(0x9e3779b97f4a7c15).wrapping_add(w)
    });
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    (h ^ (h >> 32)) as u32
}

/// Runs handed over by articles, in temporary files (one per slice, as
/// records of hash and article number, 8 bytes each). The files have no
/// name and go when the spill is dropped, or the process ends however it
/// ends. (Where the temporary folder is in memory, a tmpfs, they still
/// take memory, outside the process: point `TMPDIR` at a disk.)
#[derive(Debug)]
pub struct Spill {
    slices: Vec<File>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Bytes of each slice that were written whole: only these are read,
    /// and they never change.
    written: Vec<u64>,
    /// The next article's number. Numbers are taken before the runs are
    /// written; those of a batch whose write failed are never read.
    next: u32,
    /// A write failed: later articles keep their runs.
    broken: bool,
}

/// `pwrite` and `pread` where there are such calls; elsewhere no spill is
/// made (`Spill::new` gives none) and runs stay in memory.
#[cfg(unix)]
mod at {
    use std::os::unix::fs::FileExt;
    pub fn write(f: &std::fs::File, bytes: &[u8], at: u64) -> std::io::Result<()> {
        f.write_all_at(bytes, at)
    }
    pub fn read(f: &std::fs::File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        f.read_exact_at(bytes, at)
    }
    pub const AVAILABLE: bool = true;
}

#[cfg(not(unix))]
mod at {
    fn unsupported() -> std::io::Error {
        std::io::Error::from(std::io::ErrorKind::Unsupported)
    }
    pub fn write(_: &std::fs::File, _: &[u8], _: u64) -> std::io::Result<()> {
        Err(unsupported())
    }
    pub fn read(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
        Err(unsupported())
    }
    pub const AVAILABLE: bool = false;
}

impl Spill {
    /// A spill in the system's temporary folder, if its files can be made.
    pub fn new() -> Option<Arc<Spill>> {
        if !at::AVAILABLE {
            return None;
        }
        let slices = (0..SLICES)
            .map(|_| tempfile::tempfile().ok())
            .collect::<Option<Vec<File>>>()?;
        Some(Spill::on(slices))
    }

    /// A spill on these files (one per slice).
    fn on(slices: Vec<File>) -> Arc<Spill> {
        Arc::new(Spill {
            state: Mutex::new(State {
                written: vec![0; slices.len()],
                next: 0,
                broken: false,
            }),
            slices,
        })
    }

    /// Hands over the runs of several articles at once (one write per
    /// slice). Each whose runs were written is left `Spilled`; if a write
    /// fails, all of them keep their runs, and so do later articles. The
    /// articles' numbers are taken first and their records laid out
    /// outside the lock, so threads wait for one another only to write.
    pub fn take(self: &Arc<Spill>, runs: &mut [&mut Runs]) {
        let lock = || self.state.lock().unwrap_or_else(|e| e.into_inner());
        let first = {
            let mut state = lock();
            let first = state.next;
            match u32::try_from(runs.len())
                .ok()
                .and_then(|n| first.checked_add(n))
            {
                _ if state.broken => return,
                Some(last) => state.next = last,
                None => {
                    state.broken = true;
                    return;
                }
            }
            first
        };
        // Each record is the hash, then the number, little-endian.
        let kept = || {
            (first..).zip(runs.iter()).flat_map(|(n, r)| {
                let hashes: &[u32] = match &**r {
                    Runs::Kept(hashes) => hashes,
                    Runs::Spilled(..) => &[],
                };
                hashes.iter().map(move |&h| (h, n))
            })
        };
        let mut count = [0usize; SLICES as usize];
        kept().for_each(|(h, _)| count[(h % SLICES) as usize] += 8);
        let mut bytes: Vec<Vec<u8>> = count.iter().map(|&c| Vec::with_capacity(c)).collect();
        for (h, n) in kept() {
            let record = (u64::from(n) << 32 | u64::from(h)).to_le_bytes();
            bytes[(h % SLICES) as usize].extend_from_slice(&record);
        }
        let mut state = lock();
        if state.broken {
            return;
        }
        let ok = self
            .slices
            .iter()
            .zip(&state.written)
            .zip(&bytes)
            .all(|((f, at), b)| at::write(f, b, *at).is_ok());
        if !ok {
            // What was written past `written` is never read.
            state.broken = true;
            return;
        }
        for (w, b) in state.written.iter_mut().zip(&bytes) {
            *w += b.len() as u64;
        }
        drop(state);
        for (n, r) in (first..).zip(runs.iter_mut()) {
            if matches!(r, Runs::Kept(_)) {
                **r = Runs::Spilled(self.clone(), n);
            }
        }
    }

    /// The records of one slice: (hash, article number).
    fn slice(&self, s: u32) -> std::io::Result<Vec<(u32, u32)>> {
        let len = {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.written.get(s as usize).copied().unwrap_or(0)
        };
        let Some(f) = self.slices.get(s as usize) else {
            return Ok(Vec::new());
        };
        let len = usize::try_from(len).map_err(std::io::Error::other)?;
        let mut buf = vec![0u8; len];
        at::read(f, &mut buf, 0)?;
        Ok(buf
            .chunks_exact(8)
            .map(|r| {
                let word = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
                (word(0), word(4))
            })
            .collect())
    }
}

/// For each article, the others that share near-identical sentences with
/// it (indexes into `runs`, which lists each article's runs): three runs
/// of six words in common make wire copy. Runs found in more than 20
/// articles are boilerplate, not copy. Fails only if runs handed to a
/// spill cannot be read back.
pub fn shared_copy(runs: &[&Runs]) -> std::io::Result<Vec<Vec<usize>>> {
    // The runs are counted in slices by hash, so that a list sorted at
    // once is a 32nd of all of them; slices are counted in parallel and
    // their counts added up. Spilled runs are read back a slice at a time,
    // their numbers turned into indexes.
    use rayon::prelude::*;
    // For each spill, the first index of each number, and the next index
    // of the same number (the same runs listed twice, as clones).
    const NONE: u32 = u32::MAX;
    let mut spills: Vec<(&Arc<Spill>, Vec<u32>)> = Vec::new();
    let mut same = vec![NONE; runs.len()];
    for (i, r) in runs.iter().enumerate() {
        if let Runs::Spilled(spill, n) = r {
            let k = match spills.iter().position(|(s, _)| Arc::ptr_eq(s, spill)) {
                Some(k) => k,
                None => {
                    spills.push((spill, Vec::new()));
                    spills.len() - 1
                }
            };
            let index = &mut spills[k].1;
            if index.len() <= *n as usize {
                index.resize(*n as usize + 1, NONE);
            }
            same[i] = std::mem::replace(&mut index[*n as usize], i as u32);
        }
    }
    let count = |slice: u32| -> std::io::Result<rustc_hash::FxHashMap<(u32, u32), u32>> {
        let mut pairs: rustc_hash::FxHashMap<(u32, u32), u32> = Default::default();
        // (hash, article) packed in one number, the hash high: sorted as
        // the pairs would be, and faster.
        let pack = |h: u32, i: u32| u64::from(h) << 32 | u64::from(i);
        let article = |k: u64| k as u32;
        let mut all: Vec<u64> = runs
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                match r {
                    Runs::Kept(v) => &v[..],
                    Runs::Spilled(..) => &[],
                }
                .iter()
                .filter(move |h| *h % SLICES == slice)
                .map(move |h| pack(*h, i as u32))
            })
            .collect();
        for (spill, index) in &spills {
            let records = spill.slice(slice)?;
            all.reserve(records.len());
            for (h, n) in records {
                let mut i = index.get(n as usize).copied().unwrap_or(NONE);
                while i != NONE {
                    all.push(pack(h, i));
                    i = same[i as usize];
                }
            }
        }
        let all = grouped(all);
        for group in all.chunk_by(|a, b| a >> 32 == b >> 32) {
            if !(2..=MOST_ARTICLES).contains(&group.len()) {
                continue;
            }
            for x in 0..group.len() {
                for y in x + 1..group.len() {
                    *pairs
                        .entry((article(group[x]), article(group[y])))
                        .or_default() += 1;
                }
            }
        }
        Ok(pairs)
    };
    let pairs =
        (0..SLICES)
            .into_par_iter()
            .map(count)
            .try_reduce(Default::default, |mut a, b| {
                for (k, n) in b {
                    *a.entry(k).or_default() += n;
                }
                Ok(a)
            })?;
    let mut pairs: Vec<((u32, u32), u32)> = pairs.into_iter().filter(|(_, n)| *n >= 3).collect();
    pairs.sort_unstable();
    let mut out = vec![Vec::new(); runs.len()];
    for ((x, y), _) in pairs {
        out[x as usize].push(y as usize);
        out[y as usize].push(x as usize);
    }
    Ok(out)
}

/// The most articles a run is copy in: a run found in more is
/// boilerplate.
const MOST_ARTICLES: usize = 20;

/// `(hash, article)` numbers, packed as `shared_copy` packs them, with
/// those of each hash together, and those of a hash found in at most
/// `MOST_ARTICLES` numbers in ascending order (a hash in more is passed
/// over). Placed in buckets by the hash's bits above the slice's, one pass
/// to count and one to place; a bucket of a few numbers is then sorted,
/// and a larger one (a run many articles share) placed again by the
/// hash's last bits, so that each of its parts is one hash, and only the
/// parts small enough to be copy are sorted. (A sort of them all spent
/// most of its time ordering runs that are passed over.)
fn grouped(all: Vec<u64>) -> Vec<u64> {
    const _: () = assert!(SLICES.is_power_of_two());
    /// Where the hash's bits above the slice's start in a packed number.
    const SHIFT: u32 = 32 + SLICES.trailing_zeros();
    /// The bits that pick a bucket; the hash's bits above them pick its
    /// part in a large bucket.
    const BUCKET_BITS: u32 = 16;
    const LAST_SHIFT: u32 = SHIFT + BUCKET_BITS;
    let (mut out, starts) = placed(&all, 1 << BUCKET_BITS, |k| {
        (k >> SHIFT) as usize % (1 << BUCKET_BITS)
    });
    drop(all);
    for b in starts.windows(2) {
        let bucket = &mut out[b[0] as usize..b[1] as usize];
        if bucket.len() <= 2 * MOST_ARTICLES {
            bucket.sort_unstable();
            continue;
        }
        let (parts, starts) = placed(bucket, 1 << (64 - LAST_SHIFT), |k| {
            (k >> LAST_SHIFT) as usize
        });
        bucket.copy_from_slice(&parts);
        for p in starts.windows(2) {
            let part = &mut bucket[p[0] as usize..p[1] as usize];
            if part.len() <= MOST_ARTICLES {
                part.sort_unstable();
            }
        }
    }
    out
}

/// `keys` placed by `place` (below `places`) in the order of their places,
/// each place's in the order they come, with where each place starts (and,
/// last, where the last ends).
fn placed(keys: &[u64], places: usize, place: impl Fn(u64) -> usize) -> (Vec<u64>, Vec<u32>) {
    // (A slice of 4 billion runs would take 32 GB: counts fit in 32 bits.)
    let mut starts = vec![0u32; places + 1];
    for &k in keys {
        starts[place(k) + 1] += 1;
    }
    for p in 0..places {
        starts[p + 1] += starts[p];
    }
    let mut next = starts.clone();
    let mut out = vec![0u64; keys.len()];
    for &k in keys {
        let at = &mut next[place(k)];
        out[*at as usize] = k;
        *at += 1;
    }
    (out, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Grouping keeps every number and puts each hash's numbers
        /// together, once, in ascending order when they are few enough
        /// to be copy: what sorting them all gave.
        #[test]
        fn runs_grouped_by_hash_are_whole_and_in_order(
            keys in proptest::collection::vec((0u32..4, 0u32..6, 0u32..30), 0..400),
        ) {
            // Few hashes (in a few buckets) and few articles: many alike,
            // and buckets large enough to be placed again.
            let all: Vec<u64> = keys
                .iter()
                .map(|&(h, b, i)| u64::from(h << 21 | b << 5 | 7) << 32 | u64::from(i))
                .collect();
            let grouped = grouped(all.clone());
            let mut sorted = all;
            sorted.sort_unstable();
            let mut again = grouped.clone();
            again.sort_unstable();
            prop_assert_eq!(&again, &sorted);
            let groups: Vec<&[u64]> = grouped.chunk_by(|a, b| a >> 32 == b >> 32).collect();
            let hashes: std::collections::HashSet<u64> = groups.iter().map(|g| g[0] >> 32).collect();
            prop_assert_eq!(hashes.len(), groups.len());
            for g in groups.into_iter().filter(|g| g.len() <= MOST_ARTICLES) {
                prop_assert!(g.windows(2).all(|w| w[0] <= w[1]));
            }
        }
    }

    /// Shards carry these hashes: if this test has to change, so does
    /// `shard::FORMAT`, or old shards would be compared with hashes they
    /// cannot match.
    #[test]
    fn run_hashes_are_the_same_everywhere() {
        // FNV-1a's published values.
        assert_eq!(fnv1a(""), 0xcbf29ce484222325);
        assert_eq!(fnv1a("a"), 0xaf63dc4c8601ec8c);
        let words: Vec<u64> = "قال المتحدث إن 12 جنديا قتلوا"
            .split(' ')
            .map(fnv1a)
            .collect();
        assert_eq!(run_hash(&words), PINNED);
        // Order counts.
        let mut swapped = words.clone();
        swapped.swap(0, 1);
        assert_ne!(run_hash(&swapped), PINNED);
    }
    const PINNED: u32 = 2652189259;

    /// The table answers as `char::is_alphanumeric` does, for every char.
    #[test]
    fn the_alphanumeric_table_is_exact() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// Articles 0, 1 and 2 share three runs; 3 shares two with 0; run 99
    /// is in 25 articles (boilerplate); the rest are alone. Each list is
    /// sorted, as `finish` leaves it.
    fn corpus() -> Vec<Vec<u32>> {
        let mut v = vec![
            vec![1, 2, 3, 40, 99],
            vec![1, 2, 3, 99, 500],
            vec![1, 2, 3, 77, 99],
            vec![1, 2, 99, 600],
        ];
        for i in 0..21 {
            v.push(vec![99, 1000 + i]);
        }
        v
    }

    fn links(runs: &[Runs]) -> Vec<Vec<usize>> {
        shared_copy(&runs.iter().collect::<Vec<_>>()).expect("runs read back")
    }

    #[test]
    fn three_shared_runs_make_copy_and_boilerplate_does_not() {
        let kept: Vec<Runs> = corpus().into_iter().map(Runs::Kept).collect();
        let got = links(&kept);
        assert_eq!(&got[..4], &[vec![1, 2], vec![0, 2], vec![0, 1], vec![]]);
        assert!(got[4..].iter().all(Vec::is_empty));
    }

    /// Runs handed to a spill, in batches and out of order, give the same
    /// links as runs kept, and read back as they were.
    #[test]
    fn spilled_runs_give_the_same_links() {
        let kept: Vec<Runs> = corpus().into_iter().map(Runs::Kept).collect();
        let mut spilled = kept.clone();
        let spill = Spill::new().expect("a temporary folder");
        let (a, b) = spilled.split_at_mut(3);
        spill.take(&mut b.iter_mut().collect::<Vec<_>>());
        spill.take(&mut a.iter_mut().collect::<Vec<_>>());
        assert!(spilled.iter().all(|r| r.kept() == 0));
        assert_eq!(links(&spilled), links(&kept));
        for (s, k) in spilled.iter().zip(&kept) {
            assert_eq!(s.hashes().expect("read back"), k.hashes().expect("kept"));
        }
        // Some spilled, some kept.
        let mixed: Vec<Runs> = spilled[..10].iter().chain(&kept[10..]).cloned().collect();
        assert_eq!(links(&mixed), links(&kept));
        // The same spilled runs listed twice count twice, as kept ones do.
        let twice: Vec<Runs> = spilled.iter().chain(&spilled[..1]).cloned().collect();
        let twice_kept: Vec<Runs> = kept.iter().chain(&kept[..1]).cloned().collect();
        assert_eq!(links(&twice), links(&twice_kept));
        assert_eq!(links(&twice)[0], vec![1, 2, 25]);
    }

    /// Batches handed over from several threads at once each get numbers
    /// of their own: the links and the runs read back are those kept.
    #[test]
    fn runs_handed_over_at_once_by_threads_read_back_as_kept() {
        let kept: Vec<Runs> = corpus().into_iter().map(Runs::Kept).collect();
        let mut spilled = kept.clone();
        let spill = Spill::new().expect("a temporary folder");
        std::thread::scope(|s| {
            for batch in spilled.chunks_mut(4) {
                let spill = &spill;
                s.spawn(move || spill.take(&mut batch.iter_mut().collect::<Vec<_>>()));
            }
        });
        assert!(spilled.iter().all(|r| r.kept() == 0));
        assert_eq!(links(&spilled), links(&kept));
        for (s, k) in spilled.iter().zip(&kept) {
            assert_eq!(s.hashes().expect("read back"), k.hashes().expect("kept"));
        }
    }

    /// Runs that cannot be read back are an error, never no runs.
    #[test]
    fn runs_that_cannot_be_read_back_are_an_error() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let write_only = (0..SLICES)
            .map(|i| File::create(dir.path().join(i.to_string())).expect("made"))
            .collect();
        let spill = Spill::on(write_only);
        let mut runs: Vec<Runs> = corpus().into_iter().map(Runs::Kept).collect();
        spill.take(&mut runs.iter_mut().collect::<Vec<_>>());
        assert!(runs.iter().all(|r| r.kept() == 0));
        assert!(shared_copy(&runs.iter().collect::<Vec<_>>()).is_err());
        assert!(runs[0].hashes().is_err());
    }

    /// A spill whose files cannot be written leaves every article its runs.
    #[test]
    fn a_spill_that_cannot_write_keeps_the_runs() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("slice");
        std::fs::write(&path, b"").expect("written");
        let read_only = (0..SLICES)
            .map(|_| File::open(&path).expect("opened"))
            .collect();
        let spill = Spill::on(read_only);
        let kept: Vec<Runs> = corpus().into_iter().map(Runs::Kept).collect();
        let mut runs = kept.clone();
        spill.take(&mut runs.iter_mut().collect::<Vec<_>>());
        assert!(runs.iter().all(|r| matches!(r, Runs::Kept(_))));
        assert_eq!(links(&runs), links(&kept));
    }
}
