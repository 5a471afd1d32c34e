//! kzcheck: a fact-consistency checker for news articles (Arabic first).
//!
//! The pipeline, one module per stage:
//! `load` → `normalize` → `segment` → `extract` → `resolve` → `claim` →
//! `compare` → `graph` → `report`; `check` runs them in order, and `copy`
//! finds the articles that share wire copy. `rules` loads
//! and validates the YAML rules (the lexicon of the language, the entities
//! and claims of one story) and `grammar` turns the lexicon into the regex
//! macros and parsers for dates and quantities; `value` is the value algebra
//! that `compare` uses; `review` reads the project file and the baseline of
//! accepted findings; `shard` writes and reads the claims of a run split over
//! machines. Only the binary prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod claim;
pub mod compare;
pub mod copy;
pub mod explain;
pub mod extract;
pub mod grammar;
pub mod graph;
pub mod load;
pub mod memo;
pub mod normalize;
pub mod report;
pub mod resolve;
pub mod review;
pub mod rules;
pub mod scan;
pub mod segment;
pub mod shard;
pub mod value;

/// A string many records share (an article's id, a claim's key, an entity's
/// id): one allocation, counted references. A large corpus holds millions of
/// claims and findings that name the same few thousand strings.
pub type Shared = arcstr::ArcStr;

/// Hands out one [`Shared`] per distinct string, to any thread: the same
/// words met in a thousand articles are kept once.
#[derive(Debug, Default)]
pub struct Interner(std::sync::Mutex<rustc_hash::FxHashSet<Shared>>);

impl Interner {
    pub fn get(&self, s: &str) -> Shared {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(x) = set.get(s) {
            return x.clone();
        }
        let x: Shared = s.into();
        set.insert(x.clone());
        x
    }
}
