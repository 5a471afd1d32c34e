//! A bounded memo shared by the threads of a run: what a sentence says,
//! looked up by its exact bytes.
//!
//! A day's wire repeats itself: agency copy runs word for word in many
//! articles, and a story's stock sentences come back in every update. What
//! extraction finds in a sentence depends on the sentence alone (see
//! `Extractor::extract_many`), so a sentence met before is not read again.
//! Keys are the whole bytes, never a hash of them: a hit is the same
//! sentence, not a likely one. Memory is bounded: a shard that would pass
//! its share of the budget is emptied first, so a corpus with no repeats
//! costs a lookup per sentence and a budget's worth of memory, nothing more.
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

/// Shards, so that threads seldom wait for one another.
const SHARDS: usize = 16;

pub struct Memo<V> {
    shards: Vec<Mutex<Shard<V>>>,
    /// Bytes each shard may hold (keys and the values' `cost`).
    budget: usize,
    hasher: rustc_hash::FxBuildHasher,
}

struct Shard<V> {
    map: FxHashMap<Box<[u8]>, Arc<V>>,
    bytes: usize,
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
                    })
                })
                .collect(),
            budget: bytes / SHARDS,
            hasher: Default::default(),
        }
    }

    fn shard(&self, key: &[u8]) -> std::sync::MutexGuard<'_, Shard<V>> {
        // (The map hashes the key again with the same function: the shard
        // is picked by the hash's top bits, which the map's buckets do not
        // use first.)
        let i = (self.hasher.hash_one(key) >> 60) as usize % SHARDS;
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, key: &[u8]) -> Option<Arc<V>> {
        self.shard(key).map.get(key).cloned()
    }

    /// Keeps `value` under `key`; `cost` is the bytes it holds besides the
    /// key. A value larger than a shard's budget is not kept.
    pub fn insert(&self, key: Box<[u8]>, value: Arc<V>, cost: usize) {
        // The key, the value, and the map's own slot and the Arc's counts.
        let cost = key.len() + cost + 48;
        if cost > self.budget {
            return;
        }
        let mut shard = self.shard(&key);
        if shard.bytes + cost > self.budget {
            shard.map.clear();
            shard.map.shrink_to_fit();
            shard.bytes = 0;
        }
        if shard.map.insert(key, value).is_none() {
            shard.bytes += cost;
        }
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

    #[test]
    fn a_key_finds_its_value_until_its_shard_is_full() {
        let memo: Memo<u32> = Memo::new(SHARDS * 200);
        memo.insert(b"abc".to_vec().into(), Arc::new(1), 10);
        assert_eq!(memo.get(b"abc").as_deref(), Some(&1));
        assert_eq!(memo.get(b"ab"), None);
        assert_eq!(memo.get(b"abcd"), None);
        // Too large for a shard: not kept.
        memo.insert(b"big".to_vec().into(), Arc::new(2), 1000);
        assert_eq!(memo.get(b"big"), None);
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
        let kept = (0..10_000u32)
            .filter(|i| memo.get(&i.to_le_bytes()).is_some_and(|v| *v == *i))
            .count();
        assert_eq!(kept, memo.entries());
    }
}
