//! A bounded memo shared by the threads of a run: what a sentence says,
//! looked up by its exact bytes.
//!
//! A day's wire repeats itself: agency copy runs word for word in many
//! articles, and a story's stock sentences come back in every update. What
//! extraction finds in a sentence depends on the sentence alone (see
//! `Extractor::extract_many`), so a sentence met before is not read again.
//! Keys are the whole bytes, never a hash of them: a hit is the same
//! sentence, not a likely one. A sentence met once is kept on trial; met
//! again, it is kept for good. Most sentences of a story that is not wire
//! copy come once, and the trial is where they go: when it is full it is
//! emptied all at once, so they never push out what was kept. (Noting only
//! a sentence's hash the first time, and reading it again the second, cost
//! the generated 100k corpus up to 2.6 CPU-seconds more.) Memory is
//! bounded: the kept and the trial each hold at most the budget, a shard
//! that would pass its share is emptied first, so a corpus with no repeats
//! costs a lookup and an insert per sentence and the budget, nothing more.
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

/// Shards, so that threads seldom wait for one another.
const SHARDS: usize = 16;

/// What the memo says of a key.
pub enum Found<V> {
    /// What was kept for it.
    Kept(Arc<V>),
    /// Not kept: to be read, and handed to `Memo::insert`.
    New,
}

pub struct Memo<V> {
    shards: Vec<Mutex<Shard<V>>>,
    /// Bytes each shard may hold (keys and the values' `cost`), kept and
    /// on trial each.
    budget: usize,
    hasher: rustc_hash::FxBuildHasher,
}

/// Entries of a shard and the bytes they hold.
struct Entries<V> {
    map: FxHashMap<Box<[u8]>, (Arc<V>, usize)>,
    bytes: usize,
}

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries {
            map: FxHashMap::default(),
            bytes: 0,
        }
    }
}

impl<V> Entries<V> {
    /// Files `value` under `key`, costing `cost` bytes; when that would
    /// pass `budget`, everything filed is dropped first.
    fn file(&mut self, key: Box<[u8]>, value: Arc<V>, cost: usize, budget: usize) {
        if self.bytes + cost > budget {
            *self = Entries::default();
        }
        // (Two threads can read the same new sentence at once.)
        let before = self.map.insert(key, (value, cost)).map_or(0, |(_, c)| c);
        self.bytes = self.bytes + cost - before;
    }
}

struct Shard<V> {
    /// Keys met twice or more.
    kept: Entries<V>,
    /// Keys met once.
    trial: Entries<V>,
}

impl<V> Memo<V> {
    /// A memo of about `bytes` kept, and as many on trial.
    pub fn new(bytes: usize) -> Memo<V> {
        Memo {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        kept: Entries::default(),
                        trial: Entries::default(),
                    })
                })
                .collect(),
            budget: bytes / SHARDS,
            hasher: Default::default(),
        }
    }

    /// The key's shard. (The maps hash the key again with the same
    /// function: the shard is picked by the hash's top bits, which the
    /// maps' buckets do not use first.)
    fn shard(&self, key: &[u8]) -> std::sync::MutexGuard<'_, Shard<V>> {
        let h = self.hasher.hash_one(key);
        let i = (h >> 60) as usize % SHARDS;
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What was kept for `key`: a key on trial is kept for good now.
    pub fn get(&self, key: &[u8]) -> Found<V> {
        let mut shard = self.shard(key);
        if let Some((v, _)) = shard.kept.map.get(key) {
            return Found::Kept(v.clone());
        }
        let Some((key, (v, cost))) = shard.trial.map.remove_entry(key) else {
            return Found::New;
        };
        shard.trial.bytes -= cost;
        shard.kept.file(key, v.clone(), cost, self.budget);
        Found::Kept(v)
    }

    /// Puts `value` on trial under `key`, a key met for the first time;
    /// `cost` is the bytes it holds besides the key. A value larger than a
    /// shard's budget is not kept, nor one kept already (two threads read
    /// the same new sentence, and a third met it again in between).
    pub fn insert(&self, key: Box<[u8]>, value: Arc<V>, cost: usize) {
        // The key, the value, and the map's own slot and the Arc's counts.
        let cost = key.len() + cost + 48;
        if cost > self.budget {
            return;
        }
        let mut shard = self.shard(&key);
        if shard.kept.map.contains_key(&key) {
            return;
        }
        shard.trial.file(key, value, cost, self.budget);
    }

    /// How many entries the memo has kept (met twice or more).
    #[cfg(test)]
    pub fn entries(&self) -> usize {
        self.count(|s| s.kept.map.len())
    }

    /// How many entries the memo holds on trial, and their bytes.
    #[cfg(test)]
    pub fn on_trial(&self) -> (usize, usize) {
        (
            self.count(|s| s.trial.map.len()),
            self.count(|s| s.trial.bytes),
        )
    }

    #[cfg(test)]
    fn count(&self, f: impl Fn(&Shard<V>) -> usize) -> usize {
        self.shards
            .iter()
            .map(|s| f(&s.lock().unwrap_or_else(|e| e.into_inner())))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept<V: Copy>(f: Found<V>) -> Option<V> {
        match f {
            Found::Kept(v) => Some(*v),
            Found::New => None,
        }
    }

    #[test]
    fn a_key_is_new_then_on_trial_then_kept() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        assert!(matches!(memo.get(b"abc"), Found::New));
        memo.insert(b"abc".to_vec().into(), Arc::new(1), 10);
        assert_eq!((memo.entries(), memo.on_trial().0), (0, 1));
        // Met again: found, and kept for good.
        assert_eq!(kept(memo.get(b"abc")), Some(1));
        assert_eq!((memo.entries(), memo.on_trial()), (1, (0, 0)));
        assert_eq!(kept(memo.get(b"abc")), Some(1));
        // Read again by a thread that met it new before it was kept: it
        // stays kept, and nothing goes on trial.
        memo.insert(b"abc".to_vec().into(), Arc::new(1), 10);
        assert_eq!((memo.entries(), memo.on_trial()), (1, (0, 0)));
        // Only the same bytes.
        assert_eq!(kept(memo.get(b"ab")), None);
        assert_eq!(kept(memo.get(b"abcd")), None);
        // Too large for a shard: not kept.
        memo.insert(b"big".to_vec().into(), Arc::new(2), 1000);
        assert_eq!(kept(memo.get(b"big")), None);
    }

    /// Keys met once stay on trial up to the budget: a corpus with no
    /// repeats does not grow the memo without end, nor keep any of them.
    #[test]
    fn keys_met_once_are_on_trial_up_to_the_budget() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        for i in 0..10_000u64 {
            memo.insert(i.to_le_bytes().to_vec().into(), Arc::new(0), 20);
        }
        let (n, bytes) = memo.on_trial();
        assert!(bytes <= SHARDS * 200, "{bytes}");
        assert_eq!(bytes, n * (8 + 20 + 48));
        assert!(n > 0);
        assert_eq!(memo.entries(), 0);
    }

    /// A trial that fills up is emptied, and what was kept stays.
    #[test]
    fn a_full_trial_leaves_what_was_kept() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        memo.insert(b"wire".to_vec().into(), Arc::new(7), 20);
        assert_eq!(kept(memo.get(b"wire")), Some(7));
        for i in 0..10_000u64 {
            memo.insert(i.to_le_bytes().to_vec().into(), Arc::new(0), 20);
        }
        assert_eq!(kept(memo.get(b"wire")), Some(7));
        // The same key read by two threads at once is filed once.
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        memo.insert(b"twice".to_vec().into(), Arc::new(1), 20);
        let before = memo.on_trial();
        memo.insert(b"twice".to_vec().into(), Arc::new(2), 30);
        let after = memo.on_trial();
        assert_eq!((after.0, after.1 + 20), (before.0, before.1 + 30));
        assert_eq!(kept(memo.get(b"twice")), Some(2));
    }

    #[test]
    fn a_key_finds_its_value_until_its_shard_is_full() {
        // Many more than a shard holds: the memo stays within its budget,
        // and what it holds is right.
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        for i in 0..10_000u32 {
            memo.insert(i.to_le_bytes().to_vec().into(), Arc::new(i), 20);
            assert_eq!(kept(memo.get(&i.to_le_bytes())), Some(i));
        }
        assert!(
            memo.entries() <= SHARDS * 200 / (4 + 20 + 48),
            "{}",
            memo.entries()
        );
        assert!(memo.entries() > 0);
        let held = (0..10_000u32)
            .filter(|i| kept(memo.get(&i.to_le_bytes())) == Some(*i))
            .count();
        assert_eq!(held, memo.entries());
    }
}
