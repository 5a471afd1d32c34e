//! Mentions: entities, dates, quantities, quotes, who said each sentence, and
//! the matches of the claim rules.
//!
//! Everything here works on the normalized text of an article, sentence by
//! sentence, and skips boilerplate blocks. The `Extractor` is compiled once
//! from the rules (an Aho-Corasick automaton for every entity name, the
//! grammar's regexes, the claim patterns) and then shared by every article.
//! Each sentence is read on its own first (`Facts`), then the article's
//! context is applied (who goes on speaking); a sentence met before, in any
//! article, is not read again (the memo). Articles can be extracted in
//! batches (`extract_many`): the claim patterns then run one pattern at a
//! time over the whole batch, each article getting exactly what it gets
//! alone.
use crate::grammar::DateExpr;
use crate::normalize::Normalized;
use crate::rules::{Rules, ValueKind};
use crate::segment::Sentence;
use crate::value::Quantity;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;
use std::sync::Arc;

/// One article, normalized and split into sentences.
#[derive(Debug)]
pub struct Doc {
    pub norm: Normalized,
    pub sentences: Vec<Sentence>,
    /// Where each line starts in the whole text of the article the body
    /// came from, worked out the first time a span is placed (see
    /// `Evidence`): counting the lines before every span took as long as
    /// reading the article again for each.
    pub line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// A name of an entity found in the text.
#[derive(Debug, Clone)]
pub struct EntityMention {
    pub entity: usize,
    pub range: Range<usize>,
    pub sentence: usize,
    /// Set when the words are one letter off a listed name of a person
    /// ("نيد براس" for "نيد برايس"): the name they are a variant of.
    pub variant_of: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DateMention {
    pub range: Range<usize>,
    pub sentence: usize,
    pub expr: DateExpr,
}

#[derive(Debug, Clone)]
pub struct QuantityMention {
    pub range: Range<usize>,
    pub sentence: usize,
    pub value: Quantity,
}

#[derive(Debug, Clone)]
pub struct DurationMention {
    pub range: Range<usize>,
    pub sentence: usize,
    pub value: crate::scan::Duration,
}

/// Words in quotation marks and who said them.
#[derive(Debug, Clone)]
pub struct QuoteMention {
    pub inner: Range<usize>,
    pub sentence: usize,
    pub speaker: Option<usize>,
    /// The marks only set off a name («معاهدة الأمن الجماعي»): not words
    /// anyone said.
    pub is_name: bool,
}

/// A claim rule's match, before its value is resolved.
#[derive(Debug, Clone)]
pub struct RuleMatch {
    pub rule: usize,
    pub sentence: usize,
    /// What the claim's evidence is: the `claim` group, else the whole match.
    pub range: Range<usize>,
    /// The `value` group (the whole match for statements).
    pub value: Range<usize>,
    /// The entity in the `subject` group, if any.
    pub subject: Option<usize>,
    pub speaker: Option<usize>,
}

/// Everything found in one article.
#[derive(Debug, Default)]
pub struct Extracted {
    pub entities: Vec<EntityMention>,
    pub dates: Vec<DateMention>,
    pub quantities: Vec<QuantityMention>,
    pub durations: Vec<DurationMention>,
    pub quotes: Vec<QuoteMention>,
    pub matches: Vec<RuleMatch>,
    /// The speaker of each sentence (an entity index), if it names one.
    pub speakers: Vec<Option<usize>>,
    /// The hashes of the six-word runs of its sentences (not boilerplate),
    /// in order: what wire copy is found by (`copy::sentence_runs`).
    pub runs: Vec<u32>,
}

/// What a sentence says on its own, wherever it stands (see
/// `Extractor::extract_many`): ranges from the sentence's start, sentence
/// numbers 0. An article's context is applied by `Extractor::assemble`.
#[derive(Debug, Default)]
struct Facts {
    entities: Vec<EntityMention>,
    /// The speaker the sentence names, and whether it goes on with the
    /// previous speaker when it names none ("وأضاف").
    speaker: Option<usize>,
    continues: bool,
    /// For each of the sentence's quotes, in order.
    quotes: Vec<QuoteFacts>,
    dates: Vec<DateMention>,
    quantities: Vec<QuantityMention>,
    durations: Vec<DurationMention>,
    matches: Vec<MatchFacts>,
    /// The hashes of its six-word runs (`copy::sentence_runs`).
    runs: Vec<u32>,
}

#[derive(Debug)]
struct QuoteFacts {
    /// The speaker of the last verb of saying before the quote: Some(None)
    /// when it names no one the rules know.
    before: Option<Option<usize>>,
    /// The first person named outside the sentence's quotes.
    first_person: Option<usize>,
    is_name: bool,
}

#[derive(Debug)]
struct MatchFacts {
    rule: usize,
    range: Range<usize>,
    value: Range<usize>,
    subject: Option<usize>,
    /// The speaker of the last verb of saying before the claim (as
    /// `QuoteFacts::before`).
    before: Option<Option<usize>>,
    /// The first of the sentence's quotes the claim is inside.
    in_quote: Option<usize>,
}

impl Facts {
    /// `self` with its ranges taken from the start of a sentence that
    /// starts at byte `start` of its article.
    fn relative_to(mut self, start: usize) -> Facts {
        // (Wrapping, as `assemble` adds it back: every range is inside the
        // sentence, and would come back exactly were it not.)
        let back = |r: &Range<usize>| r.start.wrapping_sub(start)..r.end.wrapping_sub(start);
        moved(&mut self.entities, &back, 0);
        moved(&mut self.dates, &back, 0);
        moved(&mut self.quantities, &back, 0);
        moved(&mut self.durations, &back, 0);
        for m in &mut self.matches {
            m.range = back(&m.range);
            m.value = back(&m.value);
        }
        self
    }

    /// About the bytes it holds (for the memo's budget).
    fn bytes(&self) -> usize {
        use std::mem::size_of;
        size_of::<Facts>()
            + self.entities.len() * size_of::<EntityMention>()
            + self
                .entities
                .iter()
                .filter_map(|e| e.variant_of.as_ref().map(String::len))
                .sum::<usize>()
            + self.quotes.len() * size_of::<QuoteFacts>()
            + self.dates.len() * size_of::<DateMention>()
            + self.quantities.len() * size_of::<QuantityMention>()
            + self.durations.len() * size_of::<DurationMention>()
            + self.matches.len() * size_of::<MatchFacts>()
            + self.runs.len() * size_of::<u32>()
    }
}

/// A mention found in a sentence: where it stands, and in which sentence.
trait Placed: Clone {
    fn place(&mut self) -> (&mut Range<usize>, &mut usize);
}

macro_rules! placed {
    ($($t:ty),*) => {$(
        impl Placed for $t {
            fn place(&mut self) -> (&mut Range<usize>, &mut usize) {
                (&mut self.range, &mut self.sentence)
            }
        }
    )*};
}
placed!(EntityMention, DateMention, QuantityMention, DurationMention);

/// Each of `items` moved to range `to(range)` of sentence `sentence`.
fn moved<T: Placed>(items: &mut [T], to: &impl Fn(&Range<usize>) -> Range<usize>, sentence: usize) {
    for m in items {
        let (range, s) = m.place();
        *range = to(range);
        *s = sentence;
    }
}

/// `items` added to `out`, moved to range `to(range)` of sentence
/// `sentence`.
fn append_moved<T: Placed>(
    out: &mut Vec<T>,
    items: &[T],
    to: &impl Fn(&Range<usize>) -> Range<usize>,
    sentence: usize,
) {
    let from = out.len();
    out.extend_from_slice(items);
    moved(&mut out[from..], to, sentence);
}

/// The bytes the sentence memo may keep, and as many on trial (see
/// `memo`): plenty for a day's repeated copy, little beside the claims of
/// a large run.
const MEMO_BYTES: usize = 64 << 20;

/// A sentence to read: its document, its number there, and its key in the
/// memo (none when it is not to be kept).
type Miss = (usize, usize, Option<Box<[u8]>>);

/// Room `Extractor::mentions_of` reuses from sentence to sentence.
#[derive(Default)]
struct Scratch {
    /// For each required set, where its last word starts.
    latest: Vec<Option<usize>>,
    /// Every place a name stands: start, end, pattern.
    names: Vec<(usize, usize, usize)>,
    /// The hashes of a sentence's words (`copy::sentence_runs`).
    words: Vec<u64>,
}

/// A claim pattern to run on a sentence.
#[derive(Debug, Clone)]
struct Job {
    rule: usize,
    /// The pattern's number in its rule.
    pattern: usize,
    /// No match starts after this byte of the sentence (see `rule_matches`).
    last_start: usize,
}

/// The compiled extraction machinery, built once per run.
pub struct Extractor<'r> {
    pub rules: &'r Rules,
    /// For every name among the patterns of `names_and_words` (the first
    /// `name_count`): the entity it names.
    name_entity: Vec<usize>,
    /// The lexicon's verbs of saying (`SPEECH`), participles that go on
    /// with a clause's speaker (`PARTICIPLE`) and verbs that go on with the
    /// previous speaker (`CONTINUES`): one lookup tells all three.
    verbs: rustc_hash::FxHashMap<String, u8>,
    sources: Vec<String>,
    /// The first character of each of `sources`, sorted, each once (None
    /// if one is empty): a phrase can only start where one of these does.
    /// (A few letters, looked up at every word: a sorted list, not a hash.)
    source_starts: Option<Vec<char>>,
    name_set: HashSet<String>,
    /// Names of people of five letters or more, with their word counts, for
    /// finding spellings one letter off.
    person_names: Vec<(usize, String, usize)>,
    /// For each of `person_names`: its first and last character and its
    /// length in characters.
    person_shapes: Vec<(char, char, usize)>,
    /// The first letter of each of `person_names` with its number there,
    /// sorted.
    person_firsts: Vec<(char, u32)>,
    /// The patterns of `names`, then the claim patterns' required words
    /// (`ClaimRule::literals`): one automaton, run once over each sentence
    /// read, finds every place of both (overlapping).
    names_and_words: AhoCorasick,
    /// How many of `names_and_words`' patterns are names.
    name_count: usize,
    /// For every required word (pattern `name_count + i` of
    /// `names_and_words`): the required sets (numbered across all patterns)
    /// it belongs to.
    word_sets: Vec<Vec<usize>>,
    /// The number of the first pattern of each rule.
    pattern_base: Vec<usize>,
    /// For every pattern (numbered across all rules, see `pattern_base`):
    /// its required sets; a sentence must hold a word of each.
    pattern_sets: Vec<Range<usize>>,
    /// The spellings of names met in the articles, each kept once.
    pub spellings: crate::Interner,
    /// The words claims are read from, and the quotes they say, each kept
    /// once: a day's wire repeats them in many articles.
    pub words: crate::Interner,
    /// For every pattern (numbered as in `pattern_sets`): search caches
    /// not in use, lent to one batch of documents at a time.
    caches: Vec<std::sync::Mutex<Vec<PatternCache>>>,
    /// What the sentences met so far say, by their bytes (see
    /// `extract_many`); None reads every sentence afresh.
    memo: Option<crate::memo::Memo<Facts>>,
}

const CLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// The kinds of verb `Extractor::verb` tells apart.
const SPEECH: u8 = 1;
const PARTICIPLE: u8 = 2;
const CONTINUES: u8 = 4;

fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || crate::normalize::is_letter(c)
}

impl<'r> Extractor<'r> {
    pub fn new(rules: &'r Rules) -> Extractor<'r> {
        Extractor::with_memo(rules, MEMO_BYTES)
    }

    /// An extractor whose sentence memo holds about `bytes` (0: none).
    pub fn with_memo(rules: &'r Rules, bytes: usize) -> Extractor<'r> {
        let mut pats = Vec::new();
        let mut name_entity = Vec::new();
        for (i, e) in rules.entities.iter().enumerate() {
            for (_, n) in &e.names {
                if n.is_empty() {
                    continue;
                }
                pats.push(n.clone());
                name_entity.push(i);
                // "للرئيس" is ل + الرئيس with its alef dropped.
                if let Some(rest) = n.strip_prefix("ال") {
                    pats.push(format!("لل{rest}"));
                    name_entity.push(i);
                }
            }
        }
        let lex = &rules.lexicon;
        let mut sources = lex.source_phrases.clone();
        sources.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let person_names: Vec<(usize, String, usize)> = rules
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == "person")
            .flat_map(|(i, e)| {
                e.names
                    .iter()
                    .filter(|(_, n)| n.chars().filter(|c| !c.is_whitespace()).count() >= 5)
                    .map(move |(_, n)| (i, n.clone(), n.split_whitespace().count()))
            })
            .collect();
        let (person_shapes, person_firsts) = person_index(&person_names);
        let mut words: Vec<String> = Vec::new();
        let mut word_sets: Vec<Vec<usize>> = Vec::new();
        let mut pattern_base = Vec::new();
        let mut pattern_sets = Vec::new();
        let mut nsets = 0;
        for rule in &rules.claims {
            pattern_base.push(pattern_sets.len());
            for k in 0..rule.patterns.len() {
                let sets = rule.literals.get(k).map(Vec::as_slice).unwrap_or(&[]);
                pattern_sets.push(nsets..nsets + sets.len());
                for set in sets {
                    for l in set {
                        match words.iter().position(|w| w == l) {
                            Some(i) => word_sets[i].push(nsets),
                            None => {
                                words.push(l.clone());
                                word_sets.push(vec![nsets]);
                            }
                        }
                    }
                    nsets += 1;
                }
            }
        }
        // Run over every article: built as a DFA, the fastest to search
        // (and small for a story's names and words).
        let name_count = pats.len();
        let both: Vec<&String> = pats.iter().chain(&words).collect();
        let names_and_words = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&both)
            .or_else(|_| AhoCorasick::new(&both))
            .expect("an automaton of the names and the rules' words");
        Extractor {
            rules,
            memo: (bytes > 0).then(|| crate::memo::Memo::new(bytes)),
            person_firsts,
            caches: pattern_sets.iter().map(|_| Default::default()).collect(),
            person_shapes,
            names_and_words,
            name_count,
            word_sets,
            pattern_base,
            pattern_sets,
            spellings: Default::default(),
            words: Default::default(),
            name_entity,
            verbs: {
                let mut verbs = rustc_hash::FxHashMap::<String, u8>::default();
                for (set, bit) in [
                    (&lex.speech_verbs, SPEECH),
                    (&lex.speech_participles, PARTICIPLE),
                    (&lex.continuation_verbs, CONTINUES),
                ] {
                    for w in set {
                        *verbs.entry(w.clone()).or_default() |= bit;
                    }
                }
                verbs
            },
            source_starts: sources
                .iter()
                .map(|p| p.chars().next())
                .collect::<Option<Vec<char>>>()
                .map(|mut v| {
                    v.sort_unstable();
                    v.dedup();
                    v
                }),
            sources,
            person_names,
            name_set: rules
                .entities
                .iter()
                .flat_map(|e| e.names.iter().map(|(_, n)| n.clone()))
                .collect(),
        }
    }

    /// Normalizes and segments one article body.
    pub fn prepare(&self, body: &str) -> Doc {
        let norm = crate::normalize::normalize(body);
        let sentences = crate::segment::segment(&norm.text, &self.rules.lexicon.boilerplate);
        Doc {
            norm,
            sentences,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    pub fn extract(&self, doc: &Doc) -> Extracted {
        self.extract_many(&[doc]).pop().unwrap_or_default()
    }

    /// `extract` on several documents: each gets exactly what `extract`
    /// gives it alone.
    ///
    /// A sentence is read on its own (`Facts`): what it names, the speaker
    /// it gives, its dates and figures, the claim rules' matches. Only then
    /// is the article's context applied (`assemble`): a sentence that goes
    /// on with the previous speaker ("وأضاف") gets it there. What a sentence
    /// says on its own depends on its bytes and its quotes alone, wherever
    /// it stands, so a sentence met before, in this article or another, is
    /// taken from the memo (`memo`: kept from its second time on) and not
    /// read again: a day's wire repeats its agency copy word for word.
    ///
    /// The claim patterns of the sentences not met before are run last, one
    /// pattern at a time over all of them, so that its automata stay in the
    /// processor's caches (run a sentence at a time, every search started
    /// cold, and took several times as long).
    pub fn extract_many(&self, docs: &[&Doc]) -> Vec<Extracted> {
        use crate::memo::Found;
        let mut facts: Vec<Vec<Option<Arc<Facts>>>> =
            docs.iter().map(|d| vec![None; d.sentences.len()]).collect();
        // The sentences to read (document, sentence, memo key if it is to
        // be kept).
        let mut misses: Vec<Miss> = Vec::new();
        let mut key = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            for (si, s) in doc.sentences.iter().enumerate() {
                if s.boilerplate {
                    continue;
                }
                let Some((memo, k)) = self
                    .memo
                    .as_ref()
                    .and_then(|m| Some((m, Self::memo_key(&doc.norm.text, s, &mut key)?)))
                else {
                    misses.push((d, si, None));
                    continue;
                };
                match memo.get(k) {
                    Found::Kept(f) => facts[d][si] = Some(f),
                    Found::New => misses.push((d, si, Some(k.into()))),
                }
            }
        }
        let mut scratch = Scratch::default();
        let staged: Vec<(Facts, Vec<Job>)> = misses
            .iter()
            .map(|&(d, si, _)| self.mentions_of(docs[d], si, &mut scratch))
            .collect();
        let mut order: Vec<(usize, usize)> = staged
            .iter()
            .enumerate()
            .flat_map(|(m, (_, jobs))| (0..jobs.len()).map(move |j| (m, j)))
            .collect();
        order.sort_by_key(|&(m, j)| (staged[m].1[j].rule, staged[m].1[j].pattern));
        let mut found: Vec<Vec<Vec<RuleCaps>>> = staged
            .iter()
            .map(|(_, jobs)| vec![Vec::new(); jobs.len()])
            .collect();
        let job = |&(m, j): &(usize, usize)| &staged[m].1[j];
        for run in
            order.chunk_by(|a, b| (job(a).rule, job(a).pattern) == (job(b).rule, job(b).pattern))
        {
            let (r, p) = (job(&run[0]).rule, job(&run[0]).pattern);
            let rule = &self.rules.claims[r];
            let (re, pre) = (&rule.patterns[p], rule.prefilters[p].as_ref());
            let lent = &self.caches[self.pattern_base[r] + p];
            let taken = lent.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut cache = taken.unwrap_or_else(|| PatternCache::new(re, pre));
            for &(m, j) in run {
                let (d, si, _) = misses[m];
                let sent = &docs[d].norm.text[docs[d].sentences[si].range.clone()];
                let last_start = staged[m].1[j].last_start;
                found[m][j] = rule_matches_with(re, pre, sent, last_start, &mut cache);
            }
            lent.lock().unwrap_or_else(|e| e.into_inner()).push(cache);
        }
        for ((mut f, jobs), ((d, si, key), found)) in
            staged.into_iter().zip(misses.into_iter().zip(found))
        {
            let doc = docs[d];
            self.add_matches(doc, si, &mut f, &jobs, found);
            let f = Arc::new(f.relative_to(doc.sentences[si].range.start));
            if let (Some(memo), Some(key)) = (&self.memo, key) {
                memo.insert(key, f.clone(), f.bytes());
            }
            facts[d][si] = Some(f);
        }
        docs.iter()
            .zip(facts)
            .map(|(doc, facts)| self.assemble(doc, &facts))
            .collect()
    }

    /// The memo's key for sentence `s` of normalized `text`: its bytes and
    /// where its quotes stand in it. None when a word runs on across the
    /// sentence's start or end (whether a name at its edge stands at a word
    /// boundary then depends on the text around it), or when a quote is not
    /// inside the sentence. (Elsewhere, what a sentence says is read off its
    /// own bytes.)
    fn memo_key<'k>(text: &str, s: &Sentence, key: &'k mut Vec<u8>) -> Option<&'k [u8]> {
        let r = s.range.clone();
        let before = text.get(..r.start)?.chars().next_back();
        let after = text.get(r.end..)?.chars().next();
        if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
            return None;
        }
        key.clear();
        key.extend_from_slice(text.get(r.clone())?.as_bytes());
        // (No byte of UTF-8 text is 0xFF: the quotes cannot run into it.)
        key.push(0xFF);
        for q in &s.quotes {
            for at in [q.outer.start, q.outer.end, q.inner.start, q.inner.end] {
                // (A quote is inside its sentence; were one not, its words
                // would not be the sentence's own.)
                if !r.contains(&at) && at != r.end {
                    return None;
                }
                key.extend_from_slice(&((at - r.start) as u64).to_le_bytes());
            }
        }
        Some(key)
    }

    /// What sentence `si` says on its own but the claim rules' matches
    /// (ranges in the article), and the claim patterns worth running on it.
    fn mentions_of(&self, doc: &Doc, si: usize, scratch: &mut Scratch) -> (Facts, Vec<Job>) {
        let text = doc.norm.text.as_str();
        let s = &doc.sentences[si];
        let range = s.range.clone();
        let sent = &text[range.clone()];
        // Which patterns may match: those with a word of each of their
        // required sets in the sentence. For each set, where its last word
        // starts: a match holds a word of each of its pattern's sets, so it
        // starts at or before every such place.
        let nsets = self.pattern_sets.last().map_or(0, |r| r.end);
        let Scratch { latest, names, .. } = scratch;
        latest.clear();
        latest.resize(nsets, None);
        // Every place a name stands, picked later (see `leftmost_longest`).
        names.clear();
        for m in self.names_and_words.find_overlapping_iter(sent) {
            let Some(word) = m.pattern().as_usize().checked_sub(self.name_count) else {
                let at = range.start + m.start()..range.start + m.end();
                names.push((at.start, at.end, m.pattern().as_usize()));
                continue;
            };
            for &k in &self.word_sets[word] {
                let l = &mut latest[k];
                *l = Some(l.map_or(m.start(), |x| x.max(m.start())));
            }
        }
        names.sort_unstable_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
        // The sentence's words, split once: all of them (for names) and
        // those outside quotes (for who speaks).
        let all_words = self.words(text, &range, &[]);
        let named = leftmost_longest(names, &range);
        let ents = self.entities_among(text, si, &all_words, &named);
        let quotes: Vec<Range<usize>> = s.quotes.iter().map(|q| q.outer.clone()).collect();
        let mut words: Vec<(Range<usize>, &str)> = Vec::with_capacity(all_words.len());
        words.extend(
            all_words
                .iter()
                .filter(|(r, _)| !inside(&quotes, r.start))
                .cloned(),
        );
        let (speaker, continues) = self.sentence_speaker(text, &range, &ents, &quotes, &words);
        let quote_facts = s
            .quotes
            .iter()
            .map(|q| {
                let inner = text[q.inner.clone()].trim_matches(|c: char| !is_word_char(c));
                QuoteFacts {
                    before: self.speaker_before(
                        text,
                        &range,
                        q.outer.start,
                        &ents,
                        &quotes,
                        &words,
                    ),
                    first_person: ents
                        .iter()
                        .filter(|m| !inside(&quotes, m.range.start))
                        .find(|m| self.rules.entities[m.entity].kind == "person")
                        .map(|m| m.entity),
                    is_name: self.name_set.contains(inner),
                }
            })
            .collect();
        let (dates, quantities, durations) = self.scan_at(sent, range.start, si);
        // A pattern that needs a date, a number or a name only runs where
        // the scanner or the name matcher found one; it is run later, with
        // the other sentences' (see `extract_many`).
        let has_date = !dates.is_empty();
        let has_number = has_date || !quantities.is_empty() || !durations.is_empty();
        let has_entity = !ents.is_empty();
        let mut jobs = Vec::new();
        for (ri, rule) in self.rules.claims.iter().enumerate() {
            for (k, &(date, number, entity)) in rule.needs.iter().enumerate() {
                if (date && !has_date) || (number && !has_number) || (entity && !has_entity) {
                    continue;
                }
                let sets = self.pattern_sets[self.pattern_base[ri] + k].clone();
                let Some(last_start) = sets
                    .map(|k| latest[k])
                    .try_fold(usize::MAX, |a, l| Some(a.min(l?)))
                else {
                    continue;
                };
                jobs.push(Job {
                    rule: ri,
                    pattern: k,
                    last_start,
                });
            }
        }
        let mut runs = Vec::new();
        crate::copy::sentence_runs(sent, &mut runs, &mut scratch.words);
        let facts = Facts {
            runs,
            entities: ents,
            speaker,
            continues,
            quotes: quote_facts,
            dates,
            quantities,
            durations,
            matches: Vec::new(),
        };
        (facts, jobs)
    }

    /// The claim rules' matches in sentence `si` (`facts`, ranges in the
    /// article), from what their patterns found (`found`, one list per
    /// job), in the order `extract` has always given them: by rule,
    /// pattern, then place.
    fn add_matches(
        &self,
        doc: &Doc,
        si: usize,
        facts: &mut Facts,
        jobs: &[Job],
        found: Vec<Vec<RuleCaps>>,
    ) {
        if found.iter().all(Vec::is_empty) {
            return;
        }
        let text = doc.norm.text.as_str();
        let s = &doc.sentences[si];
        let range = s.range.clone();
        // The sentence's quotes and its words outside them, for who speaks.
        let quotes: Vec<Range<usize>> = s.quotes.iter().map(|q| q.outer.clone()).collect();
        let words = self.words(text, &range, &quotes);
        let ents = &facts.entities;
        // Spans taken by a rule in the sentence: its later patterns do not
        // claim them again.
        let mut taken: Vec<Range<usize>> = Vec::new();
        let mut current = None;
        for (job, all) in jobs.iter().zip(found) {
            if current != Some(job.rule) {
                taken.clear();
                current = Some(job.rule);
            }
            let rule = &self.rules.claims[job.rule];
            let re = &rule.patterns[job.pattern];
            for caps in all {
                let Some(whole) = caps.get(0) else { continue };
                let shift = |m: Range<usize>| range.start + m.start..range.start + m.end;
                let span = trim_clitic(
                    text,
                    caps.name(re, "claim")
                        .map(shift)
                        .unwrap_or_else(|| shift(whole.clone())),
                );
                if taken
                    .iter()
                    .any(|t| t.start < span.end && span.start < t.end)
                {
                    continue;
                }
                let value = match (rule.value, caps.name(re, "value")) {
                    (_, Some(v)) => shift(v),
                    (ValueKind::Statement, None) => shift(whole),
                    _ => continue,
                };
                let subject = caps.name(re, "subject").and_then(|m| {
                    let r = shift(m);
                    ents.iter()
                        .find(|e| e.range.start >= r.start && e.range.end <= r.end)
                        .map(|e| e.entity)
                });
                let in_quote = s
                    .quotes
                    .iter()
                    .position(|q| q.inner.start <= span.start && span.end <= q.inner.end);
                taken.push(span.clone());
                // the nearest verb of saying before the claim
                // ("…، فيما قال توكاييف إن 18 …")
                let before = self.speaker_before(text, &range, span.start, ents, &quotes, &words);
                facts.matches.push(MatchFacts {
                    rule: job.rule,
                    range: span,
                    value,
                    subject,
                    before,
                    in_quote,
                });
            }
        }
    }

    /// An article's mentions from what each of its sentences says on its
    /// own (`facts`, none for boilerplate): each sentence's speaker is the
    /// one it names, else, if it goes on ("وأضاف"), the previous one; a
    /// quote is its speaker's (the verb of saying before it, else the
    /// sentence's speaker, else the first person named outside quotes).
    fn assemble(&self, doc: &Doc, facts: &[Option<Arc<Facts>>]) -> Extracted {
        let mut out = Extracted {
            speakers: vec![None; doc.sentences.len()],
            ..Extracted::default()
        };
        let mut previous_speaker: Option<usize> = None;
        for (si, (s, f)) in doc.sentences.iter().zip(facts).enumerate() {
            // (None only for boilerplate, which breaks a run of speech.)
            let Some(f) = f.as_deref() else {
                previous_speaker = None;
                continue;
            };
            let start = s.range.start;
            let place = |r: &Range<usize>| start.wrapping_add(r.start)..start.wrapping_add(r.end);
            let speaker = match f.speaker {
                Some(sp) => Some(sp),
                None if f.continues => previous_speaker,
                None => None,
            };
            out.speakers[si] = speaker;
            if speaker.is_some() {
                previous_speaker = speaker;
            }
            let quotes_from = out.quotes.len();
            for (q, qf) in s.quotes.iter().zip(&f.quotes) {
                out.quotes.push(QuoteMention {
                    inner: q.inner.clone(),
                    sentence: si,
                    speaker: qf.before.flatten().or(speaker).or(qf.first_person),
                    is_name: qf.is_name,
                });
            }
            append_moved(&mut out.durations, &f.durations, &place, si);
            append_moved(&mut out.dates, &f.dates, &place, si);
            append_moved(&mut out.quantities, &f.quantities, &place, si);
            append_moved(&mut out.entities, &f.entities, &place, si);
            out.runs.extend_from_slice(&f.runs);
            let quotes = &out.quotes[quotes_from..];
            out.matches.extend(f.matches.iter().map(|m| {
                RuleMatch {
                    rule: m.rule,
                    sentence: si,
                    range: place(&m.range),
                    value: place(&m.value),
                    subject: m.subject,
                    speaker: m
                        .in_quote
                        .and_then(|q| quotes.get(q))
                        .and_then(|q| q.speaker)
                        .or(m.before.unwrap_or(speaker)),
                }
            }));
        }
        out
    }

    /// The date mentions of `doc`, exactly the `dates` of `extract(doc)`,
    /// found by the scanner alone (no names, speakers or claim rules): what
    /// reading the story's window off a corpus needs.
    pub fn dates(&self, doc: &Doc) -> Vec<DateMention> {
        let text = doc.norm.text.as_str();
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            if s.boilerplate {
                continue;
            }
            let start = s.range.start;
            let found = self.rules.grammar.scanner.scan(&text[s.range.clone()]);
            out.extend(found.dates.into_iter().map(|(r, expr)| DateMention {
                range: start + r.start..start + r.end,
                sentence: si,
                expr,
            }));
        }
        out
    }

    /// Every date and quantity mention in normalized `text`, in order, with
    /// byte ranges into `text` (sentence 0). A number inside a date is the
    /// date's, not a quantity.
    pub fn scan(&self, text: &str) -> (Vec<DateMention>, Vec<QuantityMention>) {
        let (d, q, _) = self.scan_all(text);
        (d, q)
    }

    /// Like `scan`, with the durations ("عشرة أيام") too.
    pub fn scan_all(
        &self,
        text: &str,
    ) -> (Vec<DateMention>, Vec<QuantityMention>, Vec<DurationMention>) {
        self.scan_at(text, 0, 0)
    }

    /// `scan_all` on sentence `sentence`, `text`, which starts at byte
    /// `offset` of its article: the ranges are the article's.
    fn scan_at(
        &self,
        text: &str,
        offset: usize,
        sentence: usize,
    ) -> (Vec<DateMention>, Vec<QuantityMention>, Vec<DurationMention>) {
        let found = self.rules.grammar.scanner.scan(text);
        let place = |r: Range<usize>| offset + r.start..offset + r.end;
        let dates = found
            .dates
            .into_iter()
            .map(|(range, expr)| DateMention {
                range: place(range),
                sentence,
                expr,
            })
            .collect();
        let quantities = found
            .quantities
            .into_iter()
            .map(|(range, value)| QuantityMention {
                range: place(range),
                sentence,
                value,
            })
            .collect();
        let durations = found
            .durations
            .into_iter()
            .map(|(range, value)| DurationMention {
                range: place(range),
                sentence,
                value,
            })
            .collect();
        (dates, quantities, durations)
    }

    /// A sentence's entities: its names (`named`, from `leftmost_longest`),
    /// kept where they stand at word boundaries (a clitic و ف ب ل ك may
    /// stand before a name), and the spellings one letter off a person's
    /// name among its words (`words`).
    fn entities_among(
        &self,
        text: &str,
        sentence: usize,
        words: &[(Range<usize>, &str)],
        named: &[(Range<usize>, usize)],
    ) -> Vec<EntityMention> {
        let mut out = Vec::new();
        for &(ref r, pattern) in named {
            let (s, e) = (r.start, r.end);
            if !word_start(text, s) || text[e..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            out.push(EntityMention {
                entity: self.name_entity[pattern],
                range: s..e,
                sentence,
                variant_of: None,
            });
        }
        out.extend(self.near_names(text, words, sentence, &out));
        out.sort_by_key(|m| m.range.start);
        out
    }

    /// Words one letter off a listed name of a person, not already a name:
    /// a spelling the rules do not list ("بوتبن" for "بوتين").
    fn near_names(
        &self,
        text: &str,
        words: &[(Range<usize>, &str)],
        sentence: usize,
        found: &[EntityMention],
    ) -> Vec<EntityMention> {
        // The (name, word) pairs where the words from that word on have the
        // name's first and last letter and its length within one (what one
        // letter off needs, checked before any string is built), tried name
        // by name and in word order: the order decides which of two
        // overlapping spellings is kept.
        let mut tries: Vec<(u32, u32)> = Vec::new();
        for (w, (_, word)) in words.iter().enumerate() {
            let Some(c) = word.chars().next() else {
                continue;
            };
            let from = self.person_firsts.partition_point(|&(f, _)| f < c);
            for &(_, k) in self.person_firsts[from..]
                .iter()
                .take_while(|&&(f, _)| f == c)
            {
                let n = self.person_names[k as usize].2;
                let (_, last, len) = self.person_shapes[k as usize];
                // (The last char decoded, not `ends_with`, which encodes it
                // and calls memcmp: this runs for most words.)
                #[allow(clippy::chars_last_cmp)]
                if w + n > words.len() || words[w + n - 1].1.chars().next_back() != Some(last) {
                    continue;
                }
                let letters = words[w..w + n].iter().map(|(_, s)| s.chars().count());
                if (letters.sum::<usize>() + n - 1).abs_diff(len) <= 1 {
                    tries.push((k, w as u32));
                }
            }
        }
        if tries.is_empty() {
            return Vec::new();
        }
        tries.sort_unstable();
        let mut out: Vec<EntityMention> = Vec::new();
        for (k, w) in tries {
            let (k, w) = (k as usize, w as usize);
            let n = self.person_names[k].2;
            let at: Vec<Range<usize>> = words[w..w + n].iter().map(|(r, _)| r.clone()).collect();
            if let Some(m) = self.variant(text, k, &at, sentence, found, &out) {
                out.push(m);
            }
        }
        out
    }

    /// The words at `at` as a spelling one letter off person name `k`
    /// (`person_names`), unless they are that name or overlap a name found
    /// (`found`, `so_far`).
    fn variant(
        &self,
        text: &str,
        k: usize,
        at: &[Range<usize>],
        sentence: usize,
        found: &[EntityMention],
        so_far: &[EntityMention],
    ) -> Option<EntityMention> {
        let (ei, name, _) = &self.person_names[k];
        let span = at.first()?.start..at.last()?.end;
        if found
            .iter()
            .chain(so_far)
            .any(|f| f.range.start < span.end && span.start < f.range.end)
        {
            return None;
        }
        let cand: Vec<&str> = at.iter().map(|r| &text[r.clone()]).collect();
        let cand = cand.join(" ");
        (cand != *name && one_letter_off(&cand, name)).then(|| EntityMention {
            entity: *ei,
            range: span,
            sentence,
            variant_of: Some(name.clone()),
        })
    }

    /// `near_names` as it was first written (a shape per word, the words
    /// sorted by first letter): the reference the fast one is tested on.
    #[cfg(test)]
    fn near_names_plain(
        &self,
        text: &str,
        words: &[(Range<usize>, &str)],
        sentence: usize,
        found: &[EntityMention],
    ) -> Vec<EntityMention> {
        let words: Vec<Range<usize>> = words.iter().map(|(r, _)| r.clone()).collect();
        // Per word: its first and last letter and its length in letters;
        // one letter off needs the same first and last letter and a length
        // within one, which is checked before any string is built.
        let shape: Vec<(char, char, usize)> = words
            .iter()
            .map(|r| {
                let w = &text[r.clone()];
                let first = w.chars().next().unwrap_or(' ');
                let last = w.chars().next_back().unwrap_or(' ');
                (first, last, w.chars().count())
            })
            .collect();
        // The words by their first letter, in order: a name is only tried
        // at words that start with its first letter.
        let mut by_first: Vec<(char, usize)> =
            shape.iter().enumerate().map(|(w, s)| (s.0, w)).collect();
        by_first.sort_unstable();
        let mut out: Vec<EntityMention> = Vec::new();
        for (k, (_, _, n)) in self.person_names.iter().enumerate() {
            let (first, last, len) = self.person_shapes[k];
            let from = by_first.partition_point(|&(c, _)| c < first);
            let starts = by_first[from..].iter().take_while(|&&(c, _)| c == first);
            for &(_, w) in starts {
                if w + n > words.len() || shape[w + n - 1].1 != last {
                    continue;
                }
                let cand_len: usize = shape[w..w + n].iter().map(|s| s.2).sum::<usize>() + n - 1;
                if cand_len.abs_diff(len) > 1 {
                    continue;
                }
                if let Some(m) = self.variant(text, k, &words[w..w + n], sentence, found, &out) {
                    out.push(m);
                }
            }
        }
        out
    }

    /// The words of a sentence outside quotes, with their byte ranges.
    fn words<'t>(
        &self,
        text: &'t str,
        range: &Range<usize>,
        quotes: &[Range<usize>],
    ) -> Vec<(Range<usize>, &'t str)> {
        // (About one word in eight bytes of Arabic: sized once.)
        let mut out = Vec::with_capacity(range.len() / 8 + 1);
        let mut start = None;
        for (i, c) in text[range.clone()].char_indices() {
            let i = range.start + i;
            if is_word_char(c) {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                if !inside(quotes, s) {
                    out.push((s..i, &text[s..i]));
                }
            }
        }
        if let Some(s) = start {
            if !inside(quotes, s) {
                out.push((s..range.end, &text[s..range.end]));
            }
        }
        out
    }

    /// What kinds of verb `w` is (`SPEECH`, `PARTICIPLE`, `CONTINUES`),
    /// with or without a و or ف before it.
    fn verb(&self, w: &str) -> u8 {
        let of = |w: &str| self.verbs.get(w).copied().unwrap_or(0);
        of(w) | w.strip_prefix(['و', 'ف']).map_or(0, of)
    }

    /// Who a sentence says is speaking, and whether it goes on with the
    /// previous speaker ("وأضاف").
    fn sentence_speaker(
        &self,
        text: &str,
        range: &Range<usize>,
        ents: &[EntityMention],
        quotes: &[Range<usize>],
        words: &[(Range<usize>, &str)],
    ) -> (Option<usize>, bool) {
        let outside: Vec<EntityMention> = ents
            .iter()
            .filter(|e| !inside(quotes, e.range.start))
            .cloned()
            .collect();
        let ents = outside.as_slice();
        let mut continues = false;
        for (wi, (wr, w)) in words.iter().enumerate() {
            let verb = self.verb(w);
            if verb & SPEECH != 0 {
                if let Some(sp) =
                    self.speaker_of_verb(text, range, wr.clone(), &words[wi + 1..], ents)
                {
                    return (Some(sp), false);
                }
                if wi < 3 && verb & CONTINUES != 0 {
                    continues = true;
                }
            }
        }
        // "بحسب X", "وفق ما نقلته X": the source named.
        for (wi, (wr, _)) in words.iter().enumerate() {
            let rest = &text[wr.start..range.end];
            let rest = rest.strip_prefix('و').unwrap_or(rest);
            if let Some(starts) = &self.source_starts {
                if rest
                    .chars()
                    .next()
                    .is_none_or(|c| starts.binary_search(&c).is_err())
                {
                    continue;
                }
            }
            if let Some(p) = self.sources.iter().find(|p| starts_with_words(rest, p)) {
                let after = wr.start + (text[wr.start..range.end].len() - rest.len()) + p.len();
                let limit = words.get(wi + 8).map(|w| w.0.start).unwrap_or(range.end);
                if let Some(e) = ents
                    .iter()
                    .find(|e| e.range.start >= after && e.range.start <= limit && self.can_speak(e))
                {
                    return (Some(e.entity), false);
                }
            }
        }
        (None, continues)
    }

    /// The speaker a verb of saying names: "X قال" (right before it) or
    /// "قال X" (after it, up to ":" or "أن/إن"); a person wins over the
    /// organisation they speak for ("المتحدث باسم الوزارة نيد برايس").
    fn speaker_of_verb(
        &self,
        text: &str,
        range: &Range<usize>,
        verb: Range<usize>,
        after: &[(Range<usize>, &str)],
        ents: &[EntityMention],
    ) -> Option<usize> {
        if let Some(e) = ents
            .iter()
            .rev()
            .find(|e| e.range.end <= verb.start && self.can_speak(e))
        {
            let gap = &text[e.range.end..verb.start];
            if gap.chars().all(char::is_whitespace) {
                return Some(e.entity);
            }
        }
        let mut end = after.get(12).map(|w| w.0.start).unwrap_or(range.end);
        for (wr, w) in after {
            let before = &text[verb.end.min(wr.start)..wr.start];
            if before.contains(':')
                || before.contains('«')
                || before.contains('"')
                || before.contains('“')
            {
                end = end.min(wr.start);
                break;
            }
            if matches!(*w, "ان" | "انه" | "انها" | "انهم" | "فان") {
                end = end.min(wr.start);
                break;
            }
        }
        let window: Vec<&EntityMention> = ents
            .iter()
            .filter(|e| e.range.start >= verb.end && e.range.end <= end && self.can_speak(e))
            .collect();
        let kind = |e: &&EntityMention| self.rules.entities[e.entity].kind.as_str();
        window
            .iter()
            .rev()
            .find(|e| kind(e) == "person")
            .or_else(|| window.iter().find(|e| kind(e) != "agency"))
            .or_else(|| window.first())
            .map(|e| e.entity)
    }

    /// Places do not speak: "مراسلون في مطار ألماتي" is not Almaty talking.
    fn can_speak(&self, e: &EntityMention) -> bool {
        !matches!(
            self.rules.entities[e.entity].kind.as_str(),
            "city" | "place"
        )
    }

    /// The speaker of the last verb of saying before `pos` in the sentence.
    fn speaker_before(
        &self,
        text: &str,
        range: &Range<usize>,
        pos: usize,
        ents: &[EntityMention],
        quotes: &[Range<usize>],
        words: &[(Range<usize>, &str)],
    ) -> Option<Option<usize>> {
        let upto = words.iter().take_while(|w| w.0.start < pos).count();
        for wi in (0..upto).rev() {
            let (wr, w) = &words[wi];
            let verb = self.verb(w);
            if verb & PARTICIPLE != 0 {
                // "…، مشيراً إلى …": the clause's speaker goes on
                continue;
            }
            if verb & SPEECH != 0 {
                let after = &words[wi + 1..upto];
                let local: Vec<EntityMention> = ents
                    .iter()
                    .filter(|e| e.range.end <= pos && !inside(quotes, e.range.start))
                    .cloned()
                    .collect();
                match self.speaker_of_verb(text, range, wr.clone(), after, &local) {
                    Some(sp) => return Some(Some(sp)),
                    // "وأضاف": goes on with an earlier speaker
                    None if verb & CONTINUES != 0 => continue,
                    // "قال مسؤول محلي": someone the rules do not name
                    None => return Some(None),
                }
            }
        }
        None
    }
}

/// The names `AhoCorasick::find_iter` (leftmost-longest, no overlaps)
/// finds in `range` of a text, from every place a name stands in the text
/// (`hits`: start, end and pattern, as an overlapping search finds them,
/// sorted by start, longest first, then pattern): from the left, the
/// longest name starting first (of two the same, the pattern listed first),
/// then on from its end.
fn leftmost_longest(
    hits: &[(usize, usize, usize)],
    range: &Range<usize>,
) -> Vec<(Range<usize>, usize)> {
    let from = hits.partition_point(|h| h.0 < range.start);
    let mut at = range.start;
    let mut out = Vec::new();
    for &(s, e, p) in hits[from..].iter().take_while(|h| h.0 < range.end) {
        if s >= at && e <= range.end {
            out.push((s..e, p));
            at = e;
        }
    }
    out
}

/// For each of a list of people's names (entity, name, words): its first
/// and last character and its length in characters; and the first
/// characters with the name's number, sorted.
type PersonIndex = (Vec<(char, char, usize)>, Vec<(char, u32)>);

fn person_index(names: &[(usize, String, usize)]) -> PersonIndex {
    let shapes: Vec<(char, char, usize)> = names
        .iter()
        .map(|(_, n, _)| {
            let first = n.chars().next().unwrap_or(' ');
            let last = n.chars().next_back().unwrap_or(' ');
            (first, last, n.chars().count())
        })
        .collect();
    let mut firsts: Vec<(char, u32)> = shapes
        .iter()
        .enumerate()
        .map(|(k, &(first, _, _))| (first, k as u32))
        .collect();
    firsts.sort_unstable();
    (shapes, firsts)
}

/// The groups of one claim-pattern match: byte ranges of the haystack, by
/// group index (0 is the whole match), as `regex::Captures` has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCaps {
    groups: Vec<Option<Range<usize>>>,
}

impl RuleCaps {
    pub fn get(&self, i: usize) -> Option<Range<usize>> {
        self.groups.get(i).cloned().flatten()
    }

    /// The group named `name` of `re`'s match.
    pub fn name(&self, re: &regex_automata::meta::Regex, name: &str) -> Option<Range<usize>> {
        let group = re
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, name)?;
        self.get(group)
    }

    fn from_captures(caps: &regex_automata::util::captures::Captures) -> RuleCaps {
        RuleCaps {
            groups: (0..caps.group_len())
                .map(|g| caps.get_group(g).map(|s| s.range()))
                .collect(),
        }
    }

    #[cfg(test)]
    fn from_regex(caps: &regex::Captures) -> RuleCaps {
        RuleCaps {
            groups: caps.iter().map(|m| m.map(|m| m.range())).collect(),
        }
    }
}

/// The matches of a claim pattern in `hay`, exactly as
/// `re.captures_iter(hay)` gives them, found faster: `pre` (the pattern
/// without its word boundaries, see `ClaimRule::prefilters`) matches
/// wherever `re` does, so every match of `re` starts where one of `pre`
/// may start. The leftmost match of `re` from a position is the one of
/// `exact` (`re` compiled for anchored searches) anchored at the first such
/// start where it matches at all; the slow engine that Unicode word
/// boundaries need then only reads as far as the match goes, never the rest
/// of the sentence, and does not run where `pre` finds nothing.
///
/// `last_start`: no match starts after this byte (where the last of some
/// word every match holds starts); the search stops there.
pub fn rule_matches(
    re: &regex_automata::meta::Regex,
    pre: Option<&regex_automata::meta::Regex>,
    hay: &str,
    last_start: usize,
) -> Vec<RuleCaps> {
    rule_matches_with(re, pre, hay, last_start, &mut PatternCache::new(re, pre))
}

/// A claim pattern's search caches: its own and its prefilter's, and room
/// for its captures. The extractor keeps them (the regex's own pool would
/// keep one per thread for as long as the rules live: about 100 MB for the
/// claim patterns, still held while a large run compares its claims).
pub struct PatternCache {
    exact: regex_automata::meta::Cache,
    pre: Option<regex_automata::meta::Cache>,
    caps: regex_automata::util::captures::Captures,
}

impl PatternCache {
    pub fn new(
        re: &regex_automata::meta::Regex,
        pre: Option<&regex_automata::meta::Regex>,
    ) -> PatternCache {
        PatternCache {
            exact: re.create_cache(),
            pre: pre.map(|p| p.create_cache()),
            caps: re.create_captures(),
        }
    }
}

/// `rule_matches` with the caches given.
pub fn rule_matches_with(
    re: &regex_automata::meta::Regex,
    pre: Option<&regex_automata::meta::Regex>,
    hay: &str,
    last_start: usize,
    cache: &mut PatternCache,
) -> Vec<RuleCaps> {
    use regex_automata::{Anchored, Input};
    let PatternCache {
        exact: exact_cache,
        pre: pre_cache,
        caps,
    } = cache;
    let mut out = Vec::new();
    let (Some(pre), Some(pre_cache)) = (pre, pre_cache.as_mut()) else {
        // As `re.captures_iter(hay)` does it.
        let mut it = regex_automata::util::iter::Searcher::new(Input::new(hay));
        loop {
            let _ = it.advance(|input| {
                re.search_captures_with(exact_cache, input, caps);
                Ok(caps.get_match())
            });
            if !caps.is_match() {
                return out;
            }
            out.push(RuleCaps::from_captures(caps));
        }
    };
    // The leftmost match of `re` at or after `from`.
    let mut leftmost = |from: usize| -> Option<RuleCaps> {
        let mut at = from;
        loop {
            let start = pre
                .search_with(pre_cache, &Input::new(hay).range(at..))?
                .start();
            if start > last_start {
                return None;
            }
            let input = Input::new(hay).range(start..).anchored(Anchored::Yes);
            re.search_captures_with(exact_cache, &input, caps);
            if caps.is_match() {
                return Some(RuleCaps::from_captures(caps));
            }
            // No match of `re` starts here: the next place `pre` may start.
            at = start + hay[start..].chars().next()?.len_utf8();
        }
    };
    let mut pos = 0;
    let mut last_end: Option<usize> = None;
    while pos <= hay.len().min(last_start) {
        let Some(caps) = leftmost(pos) else { break };
        let Some(whole) = caps.get(0) else { break };
        if whole.is_empty() && Some(whole.end) == last_end {
            // An empty match right where the last one ended is skipped,
            // as `captures_iter` does; search on one byte later.
            pos = whole.end + 1;
            continue;
        }
        pos = whole.end;
        last_end = Some(whole.end);
        out.push(caps);
    }
    out
}

/// One letter inserted, deleted or changed, in words of the same count, not
/// at the very start (a clitic) and not an ending (ة، ي، ا، ون، ين).
pub fn one_letter_off(a: &str, b: &str) -> bool {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if x.len().abs_diff(y.len()) > 1 || x.first() != y.first() || x.last() != y.last() {
        return false;
    }
    if a.split(' ').count() != b.split(' ').count() {
        return false;
    }
    // Levenshtein distance, bounded by 1
    let (s, l) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    let mut i = 0;
    while i < s.len() && s[i] == l[i] {
        i += 1;
    }
    if i == s.len() {
        return s.len() != l.len();
    }
    if s.len() == l.len() {
        s[i + 1..] == l[i + 1..] && s[i] != ' ' && l[i] != ' '
    } else {
        s[i..] == l[i + 1..] && l[i] != ' '
    }
}

/// Drops a clitic و or ب glued to a number at the start of a span
/// ("و250 مركبة" shows as "250 مركبة").
fn trim_clitic(text: &str, r: Range<usize>) -> Range<usize> {
    let mut chars = text[r.clone()].chars();
    match (chars.next(), chars.next()) {
        (Some(c @ ('و' | 'ب')), Some(d)) if d.is_ascii_digit() => r.start + c.len_utf8()..r.end,
        _ => r,
    }
}

fn inside(ranges: &[Range<usize>], pos: usize) -> bool {
    ranges.iter().any(|r| r.start <= pos && pos < r.end)
}

fn starts_with_words(text: &str, phrase: &str) -> bool {
    text.starts_with(phrase)
        && !text[phrase.len()..]
            .chars()
            .next()
            .is_some_and(is_word_char)
}

/// A name may start at `pos` if a word starts there, or if only a clitic or
/// two stand between the start of the word and `pos`.
fn word_start(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let mut chars = before.chars().rev();
    let mut clitics = 0;
    loop {
        match chars.next() {
            None => return true,
            Some(c) if !is_word_char(c) => return true,
            Some(c) if CLITICS.contains(&c) && clitics < 2 => clitics += 1,
            Some(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `dates` finds what `extract` finds, and the fast claim-pattern
    /// search finds what `captures_iter` finds, on the seed articles.
    #[test]
    fn fast_paths_agree_with_the_plain_ones() {
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let ex = Extractor::new(&rules);
        // The regex crate's own compile of every pattern.
        let plain_regexes: Vec<Vec<regex::Regex>> = rules
            .claims
            .iter()
            .map(|r| {
                r.expanded
                    .iter()
                    .map(|p| regex::Regex::new(p).expect("the pattern compiles"))
                    .collect()
            })
            .collect();
        let mut seen = 0;
        for entry in std::fs::read_dir("seeds").expect("seeds/") {
            let text = std::fs::read_to_string(entry.expect("an entry").path()).expect("UTF-8");
            let doc = ex.prepare(&text);
            let full = ex.extract(&doc);
            let fast = ex.dates(&doc);
            assert_eq!(full.dates.len(), fast.len());
            for (a, b) in full.dates.iter().zip(&fast) {
                assert_eq!(
                    (&a.range, a.sentence, &a.expr),
                    (&b.range, b.sentence, &b.expr)
                );
            }
            for s in &doc.sentences {
                let sent = &doc.norm.text[s.range.clone()];
                for (rule, plain_res) in rules.claims.iter().zip(&plain_regexes) {
                    for (((re, pre), plain_re), sets) in rule
                        .patterns
                        .iter()
                        .zip(&rule.prefilters)
                        .zip(plain_res)
                        .zip(&rule.literals)
                    {
                        let plain: Vec<_> = plain_re
                            .captures_iter(sent)
                            .map(|c| RuleCaps::from_regex(&c))
                            .collect();
                        // Where the last word of each required set starts,
                        // as `extract` bounds the search.
                        let last_start = sets.iter().try_fold(usize::MAX, |a, set| {
                            let last = set.iter().filter_map(|w| sent.rfind(w.as_str())).max()?;
                            Some(a.min(last))
                        });
                        let quick: Vec<_> = match last_start {
                            Some(l) => rule_matches(re, pre.as_ref(), sent, l),
                            None => Vec::new(),
                        };
                        assert_eq!(plain, quick, "rule {}", rule.id);
                        let unbounded: Vec<_> = rule_matches(re, pre.as_ref(), sent, usize::MAX);
                        assert_eq!(plain, unbounded, "rule {}", rule.id);
                        seen += plain.len();
                    }
                    // A sentence a pattern matches holds a word of each of
                    // its required sets: the gate never drops a match.
                    for (re, sets) in rule.patterns.iter().zip(&rule.literals) {
                        if re.is_match(sent) {
                            for set in sets {
                                assert!(
                                    set.iter().any(|w| sent.contains(w.as_str())),
                                    "rule {}: {set:?} not in «{sent}»",
                                    rule.id
                                );
                            }
                        }
                    }
                }
            }
        }
        assert!(seen > 0, "some pattern matches the seeds");
    }

    /// `near_names` finds what its first, plain version finds: on every
    /// sentence of the seeds and fixtures, and on each listed person's name
    /// with a letter changed, dropped or doubled at every place, alone, twice
    /// in a row and after a listed name.
    #[test]
    fn near_names_finds_what_the_plain_version_finds() {
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let ex = Extractor::new(&rules);
        let mut sentences: Vec<String> = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("seeds")];
        for e in std::fs::read_dir("tests/fixtures").expect("fixtures") {
            dirs.push(e.expect("an entry").path());
        }
        for dir in dirs {
            for e in std::fs::read_dir(dir).expect("a folder") {
                let Ok(text) = std::fs::read_to_string(e.expect("an entry").path()) else {
                    continue;
                };
                let doc = ex.prepare(&text);
                for s in &doc.sentences {
                    sentences.push(doc.norm.text[s.range.clone()].to_string());
                }
            }
        }
        for (_, name, _) in &ex.person_names {
            let chars: Vec<char> = name.chars().collect();
            for i in 0..chars.len() {
                let mut changed = chars.clone();
                changed[i] = if changed[i] == 'ر' { 'ز' } else { 'ر' };
                let mut dropped = chars.clone();
                dropped.remove(i);
                let mut doubled = chars.clone();
                doubled.insert(i, chars[i]);
                for v in [changed, dropped, doubled] {
                    let v: String = v.into_iter().collect();
                    sentences.push(format!("قال {v} إن"));
                    sentences.push(format!("{v} {v} و{name} {v}"));
                }
            }
        }
        let check = |ex: &Extractor, sentences: &[String]| -> usize {
            let mut variants = 0;
            for sent in sentences {
                let range = 0..sent.len();
                let words = ex.words(sent, &range, &[]);
                // The sentence's names, as `mentions_of` finds them.
                let mut hits: Vec<(usize, usize, usize)> = ex
                    .names_and_words
                    .find_overlapping_iter(sent.as_str())
                    .filter(|m| m.pattern().as_usize() < ex.name_count)
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                    .collect();
                hits.sort_unstable_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
                let found: Vec<EntityMention> = leftmost_longest(&hits, &range)
                    .into_iter()
                    .map(|(r, p)| EntityMention {
                        entity: ex.name_entity[p],
                        range: r,
                        sentence: 0,
                        variant_of: None,
                    })
                    .collect();
                let key = |v: Vec<EntityMention>| -> Vec<_> {
                    v.into_iter()
                        .map(|m| (m.entity, m.range, m.variant_of))
                        .collect()
                };
                let fast = key(ex.near_names(sent, &words, 0, &found));
                let plain = key(ex.near_names_plain(sent, &words, 0, &found));
                assert_eq!(fast, plain, "«{sent}»");
                variants += fast.len();
            }
            variants
        };
        let variants = check(&ex, &sentences);
        assert!(variants > 100, "only {variants} variants found");
        // Two spellings that overlap, each one letter off another name: the
        // name listed first wins, wherever it stands.
        let mut ex = Extractor::new(&rules);
        ex.person_names = vec![(0, "سامرن".into(), 1), (1, "جوادي سامرن".into(), 2)];
        (ex.person_shapes, ex.person_firsts) = person_index(&ex.person_names);
        let sent = "جوادي ساكرن".to_string();
        let words = ex.words(&sent, &(0..sent.len()), &[]);
        let found = ex.near_names(&sent, &words, 0, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].entity, found[0].range.clone()),
            (0, "جوادي ".len()..sent.len())
        );
        check(&ex, &[sent]);
    }

    proptest::proptest! {
        /// Names picked from one overlapping search of the whole text are
        /// those a leftmost-longest search of each range finds: names that
        /// hold others, repeat, or overlap a range's ends.
        #[test]
        fn names_picked_from_every_place_are_those_find_iter_finds(
            names in proptest::collection::vec("[ابل]{1,4}", 1..8),
            text in "[ابل ]{0,40}",
            cut in (0usize..41, 0usize..41),
        ) {
            let longest = AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&names)
                .expect("an automaton");
            let every = AhoCorasick::new(&names).expect("an automaton");
            let mut hits: Vec<(usize, usize, usize)> = every
                .find_overlapping_iter(&text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            hits.sort_unstable_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
            let at = |i: usize| (0..=i.min(text.len())).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(0);
            let (a, b) = (at(cut.0.min(cut.1)), at(cut.0.max(cut.1)));
            let picked = leftmost_longest(&hits, &(a..b));
            let found: Vec<_> = longest
                .find_iter(&text[a..b])
                .map(|m| (a + m.start()..a + m.end(), m.pattern().as_usize()))
                .collect();
            proptest::prop_assert_eq!(picked, found);
        }
    }

    /// Documents extracted together get what each gets alone, whatever
    /// the batch: the seeds, each article cut in two, in both orders.
    #[test]
    fn extracting_together_gives_what_each_gets_alone() {
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let ex = Extractor::new(&rules);
        let mut texts = Vec::new();
        for entry in std::fs::read_dir("seeds").expect("seeds/") {
            let text = std::fs::read_to_string(entry.expect("an entry").path()).expect("UTF-8");
            let half = text.floor_char_boundary(text.len() / 2);
            texts.push(text[half..].to_string());
            texts.push(text);
        }
        let docs: Vec<Doc> = texts.iter().map(|t| ex.prepare(t)).collect();
        let alone: Vec<String> = docs
            .iter()
            .map(|d| format!("{:?}", ex.extract(d)))
            .collect();
        assert!(
            alone.iter().any(|e| e.contains("RuleMatch")),
            "the seeds give matches"
        );
        let mut order: Vec<usize> = (0..docs.len()).collect();
        for _ in 0..2 {
            let batch: Vec<&Doc> = order.iter().map(|&i| &docs[i]).collect();
            let together: Vec<String> = ex
                .extract_many(&batch)
                .iter()
                .map(|e| format!("{e:?}"))
                .collect();
            let want: Vec<String> = order.iter().map(|&i| alone[i].clone()).collect();
            assert_eq!(together, want);
            order.reverse();
        }
    }

    /// Every sentence of the seeds and fixtures, normalized.
    fn corpus_sentences(ex: &Extractor) -> Vec<String> {
        let mut dirs = vec![std::path::PathBuf::from("seeds")];
        for e in std::fs::read_dir("tests/fixtures").expect("fixtures") {
            dirs.push(e.expect("an entry").path());
        }
        let mut sentences = Vec::new();
        for dir in dirs {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .expect("a folder")
                .map(|e| e.expect("an entry").path())
                .collect();
            files.sort();
            for f in files {
                let Ok(text) = std::fs::read_to_string(f) else {
                    continue;
                };
                let doc = ex.prepare(&text);
                for s in &doc.sentences {
                    sentences.push(doc.norm.text[s.range.clone()].to_string());
                }
            }
        }
        sentences
    }

    /// A sentence read once says the same wherever it comes again. Articles
    /// are made of the seeds' and fixtures' sentences in random order and
    /// with random joins, between the lexicon's boilerplate markers, verbs
    /// that go on with the previous speaker and quotes with no verb before
    /// them; each is extracted with the memo (kept from case to case, so
    /// that sentences read in one article are taken in another), with a
    /// memo small enough to be emptied again and again, and with none.
    #[test]
    fn the_memo_gives_what_reading_every_sentence_gives() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let with = Extractor::new(&rules);
        let small = Extractor::with_memo(&rules, 16 * 4096);
        let without = Extractor::with_memo(&rules, 0);
        let mut pieces = corpus_sentences(&without);
        let lex = &rules.lexicon;
        let person = ex_person(&without);
        for v in lex
            .continuation_verbs
            .iter()
            .chain(&lex.speech_verbs)
            .take(6)
        {
            pieces.push(format!("{v} إن الوضع هادئ."));
            pieces.push(format!("{v}: «الوضع هادئ»."));
            pieces.push(format!("{v} {person}: «الوضع هادئ»."));
        }
        pieces.push("«الوضع هادئ»، بحسب مصدر.".to_string());
        for b in lex.boilerplate.iter().take(2) {
            pieces.push(format!("\n{b}\n"));
        }
        let joins = [" ", "\n", "\n\n", "", "، "];
        // Half the pieces from the first few, so that many come again.
        let piece = (
            prop_oneof![0..pieces.len(), 0..40.min(pieces.len())],
            0..joins.len(),
        );
        let articles = proptest::collection::vec(proptest::collection::vec(piece, 1..25), 1..4);
        let mut runner = TestRunner::new(Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        });
        // Sentences read, and those among them read before.
        let read = std::cell::Cell::new(0);
        let seen = std::cell::RefCell::new(HashSet::default());
        let again = std::cell::Cell::new(0);
        runner
            .run(&articles, |articles| {
                let texts: Vec<String> = articles
                    .iter()
                    .map(|a| {
                        a.iter()
                            .map(|&(p, j)| format!("{}{}", pieces[p], joins[j]))
                            .collect()
                    })
                    .collect();
                let docs: Vec<Doc> = texts.iter().map(|t| without.prepare(t)).collect();
                let refs: Vec<&Doc> = docs.iter().collect();
                let want: Vec<String> = without
                    .extract_many(&refs)
                    .iter()
                    .map(|e| format!("{e:?}"))
                    .collect();
                for ex in [&with, &small] {
                    let mut got: Vec<String> = Vec::new();
                    // Two batches, the second after the first has filled the memo.
                    for batch in refs.chunks(2) {
                        got.extend(ex.extract_many(batch).iter().map(|e| format!("{e:?}")));
                    }
                    prop_assert_eq!(&got, &want);
                }
                for d in &docs {
                    for s in d.sentences.iter().filter(|s| !s.boilerplate) {
                        read.set(read.get() + 1);
                        let text = d.norm.text[s.range.clone()].to_string();
                        if !seen.borrow_mut().insert(text) {
                            again.set(again.get() + 1);
                        }
                    }
                }
                Ok(())
            })
            .unwrap();
        // The memo was used: it holds fewer sentences than were read.
        let held = with.memo.as_ref().map_or(0, |m| m.entries());
        assert!(
            held > 0 && held < read.get() / 2,
            "{held} of {}",
            read.get()
        );
    }

    /// The first of the rules' people's names of one word (a name the
    /// matcher finds).
    fn ex_person(ex: &Extractor) -> String {
        ex.person_names
            .iter()
            .find(|(_, n, words)| *words == 1 && ex.name_set.contains(n))
            .map(|(_, n, _)| n.clone())
            .expect("a person of one word")
    }

    /// An extractor with the memo and one with none.
    fn memo_and_none(rules: &Rules) -> (Extractor<'_>, Extractor<'_>) {
        (Extractor::new(rules), Extractor::with_memo(rules, 0))
    }

    /// `text` normalized and cut by hand into `sentences` (ranges in the
    /// normalized text, with their quotes), as no segmenter would cut it.
    fn hand_cut(
        text: &str,
        cut: impl Fn(&str) -> Vec<(Range<usize>, Vec<crate::segment::Quote>)>,
    ) -> Doc {
        let norm = crate::normalize::normalize(text);
        let sentences = cut(&norm.text)
            .into_iter()
            .map(|(range, quotes)| Sentence {
                range,
                paragraph: 0,
                boilerplate: false,
                heading: false,
                quotes,
            })
            .collect();
        Doc {
            sentences,
            norm,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// A name at the edge of a sentence is a name only if no word runs on
    /// across the edge. Sentences cut by hand (no segmenter cuts a word) with
    /// the same bytes, at word boundaries (met twice first, so that the
    /// memo keeps it) and glued to a word before or after: the memo must
    /// not give the glued ones what it read in the first.
    #[test]
    fn a_sentence_glued_to_a_word_is_not_taken_from_the_memo() {
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let (with, without) = memo_and_none(&rules);
        let name = ex_person(&without);
        let sentence =
            crate::normalize::normalize(&format!("{name} قال ان الوضع هادئ {name}")).text;
        let doc = |before: &str, after: &str| {
            let at = crate::normalize::normalize(before).text.len();
            let to = at + sentence.len();
            hand_cut(&format!("{before}{sentence}{after}"), |t| {
                assert_eq!(&t[at..to], sentence);
                vec![(0..at, vec![]), (at..to, vec![]), (to..t.len(), vec![])]
            })
        };
        let clean = doc("كتب ", " اليوم");
        let docs = [
            &clean,
            &clean,
            &doc("كتب", " اليوم"),
            &doc("كتب ", "اليوم"),
            &clean,
        ];
        let names = |e: &Extracted| e.entities.iter().filter(|m| m.sentence == 1).count();
        let want: Vec<Extracted> = docs.iter().map(|d| without.extract(d)).collect();
        assert_eq!(want.iter().map(names).collect::<Vec<_>>(), [2, 2, 1, 1, 2]);
        for (d, w) in docs.iter().zip(&want) {
            assert_eq!(format!("{:?}", with.extract(d)), format!("{w:?}"));
        }
    }

    /// A quote that runs on past its sentence's end (no segmenter's, but a
    /// `Doc` can say so) holds words that are not the sentence's own: such
    /// a sentence is not taken from the memo. Two documents whose first
    /// sentences have the same bytes and quote offsets, the quote holding a
    /// listed name in one and other letters in the other.
    #[test]
    fn a_sentence_whose_quote_runs_past_it_is_not_taken_from_the_memo() {
        let rules = Rules::from_dir(std::path::Path::new("rules")).expect("the rules load");
        let (with, without) = memo_and_none(&rules);
        let name = ex_person(&without);
        let other: String = name.chars().map(|_| 'س').collect();
        assert_eq!(other.len(), name.len());
        let doc = |quoted: &str| {
            hand_cut(
                &format!("قال المتحدث «، {quoted}» اليوم"),
                |t| {
                    let open = t.find('«').expect("«");
                    let close = t.find('»').expect("»");
                    let cut = open + "«،".len();
                    let quote = crate::segment::Quote {
                        outer: open..close + '»'.len_utf8(),
                        inner: open + '«'.len_utf8()..close,
                    };
                    vec![(0..cut, vec![quote]), (cut + 1..t.len(), vec![])]
                },
            )
        };
        let (a, b) = (doc(&name), doc(&other));
        assert_eq!(
            &a.norm.text[a.sentences[0].range.clone()],
            &b.norm.text[b.sentences[0].range.clone()]
        );
        let is_name = |e: &Extracted| e.quotes.iter().map(|q| q.is_name).collect::<Vec<_>>();
        assert_eq!(is_name(&without.extract(&a)), [true]);
        assert_eq!(is_name(&without.extract(&b)), [false]);
        // Met three times: the memo would keep it, were it to be kept.
        for d in [&a, &a, &a, &b] {
            assert_eq!(
                format!("{:?}", with.extract(d)),
                format!("{:?}", without.extract(d))
            );
        }
    }

    /// Every match of a pattern starts at or before the last place a word
    /// it requires starts: bounded there, the search still finds them all.
    #[test]
    fn bounded_search_finds_every_match_up_to_the_last_required_word() {
        let re = regex_automata::meta::Regex::new(r"\b(?P<value>\d+)\s+جنديا").unwrap();
        let pre = regex_automata::meta::Regex::new(r"(?P<value>\d+)\s+جنديا").unwrap();
        let hay = "أرسلت روسيا 100 جنديا ثم أرسلت 200 جنديا، و300 جندي";
        let last = hay.rfind("جنديا").unwrap();
        let starts = |bound: usize| -> Vec<usize> {
            rule_matches(&re, Some(&pre), hay, bound)
                .into_iter()
                .filter_map(|c| c.get(0).map(|r| r.start))
                .collect()
        };
        let both = vec![hay.find("100").unwrap(), hay.find("200").unwrap()];
        assert_eq!(starts(last), both);
        assert_eq!(starts(usize::MAX), both);
        // A bound before the second match's start ends the search there.
        assert_eq!(starts(both[1] - 1), &both[..1]);
    }

    #[test]
    fn required_word_sets_are_read_off_the_pattern() {
        use crate::rules::required_literal_sets as sets;
        let v = |x: &[&[&str]]| -> Vec<Vec<String>> {
            x.iter()
                .map(|s| s.iter().map(|w| w.to_string()).collect())
                .collect()
        };
        // Each part of a sequence, best first; an optional part requires
        // nothing; an alternation needs words in every branch.
        assert_eq!(
            sets(r"\d+\s+من\s+(?:جنود|عسكريين)(?:\s+روس)?"),
            v(&[&["جنود", "عسكريين"], &["من"]])
        );
        assert_eq!(sets(r"(?:قتل|\d+)\s+شخصا"), v(&[&["شخصا"]]));
        assert_eq!(sets(r"(?P<v>قتلى)+"), v(&[&["قتلى"]]));
        // A word holding another of its set adds nothing; short words and
        // patterns without words give no set.
        assert_eq!(sets(r"(?:جندي|جنديا)"), v(&[&["جندي"]]));
        assert_eq!(sets(r"a\s+\d+"), v(&[]));
        assert_eq!(sets(r"("), v(&[]));
    }

    #[test]
    fn word_boundaries_are_dropped_outside_classes_only() {
        use crate::rules::without_word_boundaries as w;
        assert_eq!(w(r"\bab\b"), Some("ab".into()));
        assert_eq!(w(r"a\\b"), None);
        assert_eq!(w(r"[\b]x\b"), Some(r"[\b]x".into()));
        assert_eq!(w(r"x\b{start}y"), Some("xy".into()));
        assert_eq!(w(r"x\b+y"), Some("xy".into()));
        assert_eq!(w(r"[]\b]\b"), Some(r"[]\b]".into()));
        assert_eq!(w(r"\Bx"), None);
    }
}
