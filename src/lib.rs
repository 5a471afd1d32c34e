//! kzcheck: a fact-consistency checker for news articles (Arabic first).
//!
//! The pipeline, one module per stage:
//! `load` → `normalize` → `segment` → `extract` → `resolve` → `claim` →
//! `graph` → `compare` → `report`. `rules` loads and validates the YAML rules
//! (the lexicon of the language, the entities and claims of one story);
//! `value` holds the value algebra that `compare` uses. Only the binary prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod load;
pub mod normalize;
pub mod segment;
