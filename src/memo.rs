//! A bounded memo shared by the threads of a run: what a sentence says,
//! looked up by its exact bytes.
//!
//! A day's wire repeats itself: agency copy runs word for word in many
//! articles, and a story's stock sentences come back in every update. What
//! extraction finds in a sentence depends on the sentence alone (see
//! `Extractor::extract_many`), so a sentence met before is not read again.
//! Keys are the whole bytes, never a hash of them: a hit is the same
//! sentence, not a likely one. A sentence is kept only when it is met a
//! second time (its hash is noted the first time): most sentences of a
//! story that is not wire copy come once, and keeping them would cost more
//! than it saves. Memory is bounded: a shard that would pass its share of
//! the budget is emptied first, and so is a shard's set of hashes when it
//! is full, so a corpus with no repeats costs a lookup per sentence and a
//! few megabytes, nothing more.
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

/// Shards, so that threads seldom wait for one another.
const SHARDS: usize = 16;
/// The hashes of sentences met once a shard notes (8 bytes each, and the
/// set's own room).
const NOTED: usize = 1 << 16;

/// What the memo says of a key.
pub enum Found<V> {
    /// What was kept for it.
    Kept(Arc<V>),
    /// Met before but not kept: worth keeping now.
    Again,
    /// Not met before (now noted).
    New,
}

pub struct Memo<V> {
    shards: Vec<Mutex<Shard<V>>>,
    /// Bytes each shard may hold (keys and the values' `cost`).
    budget: usize,
    hasher: rustc_hash::FxBuildHasher,
}

struct Shard<V> {
    map: FxHashMap<Box<[u8]>, Arc<V>>,
    bytes: usize,
    /// The hashes of keys met and not kept.
    noted: rustc_hash::FxHashSet<u64>,
}

impl<V> Memo<V> {
    /// A memo of about `bytes` in all.
    pub fn new(bytes: usize) -> Memo<V> {
        Memo {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        map: FxHashMap::default(),
                        bytes: 0,
                        noted: Default::default(),
                    })
                })
                .collect(),
            budget: bytes / SHARDS,
            hasher: Default::default(),
        }
    }

    /// The key's shard, and its hash. (The map hashes the key again with
    /// the same function: the shard is picked by the hash's top bits,
    /// which the map's buckets do not use first.)
    fn shard(&self, key: &[u8]) -> (std::sync::MutexGuard<'_, Shard<V>>, u64) {
        let h = self.hasher.hash_one(key);
        let i = (h >> 60) as usize % SHARDS;
        (self.shards[i].lock().unwrap_or_else(|e| e.into_inner()), h)
    }

    /// What was kept for `key`; else whether it was met before (a key not
    /// met before is noted).
    pub fn get(&self, key: &[u8]) -> Found<V> {
        let (mut shard, h) = self.shard(key);
        if let Some(v) = shard.map.get(key) {
            return Found::Kept(v.clone());
        }
        if shard.noted.remove(&h) {
            return Found::Again;
        }
        if shard.noted.len() >= NOTED {
            shard.noted.clear();
        }
        shard.noted.insert(h);
        Found::New
    }

    /// Keeps `value` under `key`; `cost` is the bytes it holds besides the
    /// key. A value larger than a shard's budget is not kept.
    pub fn insert(&self, key: Box<[u8]>, value: Arc<V>, cost: usize) {
        // The key, the value, and the map's own slot and the Arc's counts.
        let cost = key.len() + cost + 48;
        if cost > self.budget {
            return;
        }
        let (mut shard, _) = self.shard(&key);
        if shard.bytes + cost > self.budget {
            shard.map.clear();
            shard.map.shrink_to_fit();
            shard.bytes = 0;
        }
        if shard.map.insert(key, value).is_none() {
            shard.bytes += cost;
        }
    }

    /// How many hashes of keys met once the memo holds.
    #[cfg(test)]
    pub fn noted(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).noted.len())
            .sum()
    }

    /// How many entries the memo holds.
    #[cfg(test)]
    pub fn entries(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).map.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept<V: Copy>(f: Found<V>) -> Option<V> {
        match f {
            Found::Kept(v) => Some(*v),
            _ => None,
        }
    }

    #[test]
    fn a_key_is_new_then_met_again_then_kept() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        assert!(matches!(memo.get(b"abc"), Found::New));
        assert!(matches!(memo.get(b"ab"), Found::New));
        assert!(matches!(memo.get(b"abc"), Found::Again));
        memo.insert(b"abc".to_vec().into(), Arc::new(1), 10);
        assert_eq!(kept(memo.get(b"abc")), Some(1));
        assert_eq!(kept(memo.get(b"ab")), None);
        assert!(matches!(memo.get(b"abcd"), Found::New));
        // Too large for a shard: not kept.
        memo.insert(b"big".to_vec().into(), Arc::new(2), 1000);
        assert_eq!(kept(memo.get(b"big")), None);
    }

    /// Keys met once are noted up to a bound: a corpus with no repeats
    /// does not grow the memo without end.
    #[test]
    fn keys_met_once_are_noted_up_to_a_bound() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        for i in 0..(SHARDS * NOTED * 2) as u64 {
            memo.get(&i.to_le_bytes());
        }
        assert!(memo.noted() <= SHARDS * NOTED, "{}", memo.noted());
        assert!(memo.noted() > SHARDS * NOTED / 4, "{}", memo.noted());
        assert_eq!(memo.entries(), 0);
    }

    #[test]
    fn a_key_finds_its_value_until_its_shard_is_full() {
        // Many more than a shard holds: the memo stays within its budget,
        // and what it holds is right.
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        for i in 0..10_000u32 {
            memo.insert(i.to_le_bytes().to_vec().into(), Arc::new(i), 20);
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
