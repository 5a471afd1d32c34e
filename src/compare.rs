//! Findings: claims grouped by (key, subject) and compared with the value
//! algebra, plus the checks inside one article (a weekday that is not the
//! date's weekday) and across spellings of one name.
//!
//! Grouping keeps it near-linear: claims are compared only within their
//! group, and within a group only their distinct values are.
use crate::check::ArticleInfo;
use crate::claim::{Claim, Evidence, Qualifiers, WeekdayMismatch};
use crate::explain::{self, Lang};
use crate::normalize::display_form;
use crate::rules::{Level, Rules};
use crate::value::{hash_value, quote_words_match, Value};
use crate::Shared;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Contradiction,
    Inconsistency,
    NameVariant,
    Agreement,
    Uncorroborated,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contradiction => "contradiction",
            Kind::Inconsistency => "inconsistency",
            Kind::NameVariant => "name_variant",
            Kind::Agreement => "agreement",
            Kind::Uncorroborated => "uncorroborated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Conflict,
    Update,
    ReportedDispute,
    Independent,
    Echo,
}

/// How much a finding matters; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl From<Level> for Severity {
    fn from(l: Level) -> Self {
        match l {
            Level::Info => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

/// One thing the report says.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub class: Option<Class>,
    pub key: Shared,
    pub subject: Option<Shared>,
    pub severity: Severity,
    pub articles: Vec<Shared>,
    pub claims: Vec<Shared>,
    pub message: String,
    /// The words each article gives, for findings that rest on mentions
    /// rather than claims (name variants, weekdays).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

impl Finding {
    /// "contradiction/conflict", "inconsistency": the kind and its class.
    pub fn label(&self) -> String {
        match self.class {
            Some(c) => format!("{}/{}", self.kind.as_str(), c.as_str()),
            None => self.kind.as_str().to_string(),
        }
    }
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Conflict => "conflict",
            Class::Update => "update",
            Class::ReportedDispute => "reported_dispute",
            Class::Independent => "independent",
            Class::Echo => "echo",
        }
    }
}

/// One use of an entity's name in an article (which article: the list it
/// stands in, see `compare`). Kept small: a large corpus holds millions.
#[derive(Debug, Clone)]
pub struct NameUse {
    pub entity: u32,
    /// The words as the article has them.
    pub text: Shared,
    pub span: crate::claim::Span,
    /// The listed name these words are one letter off, if they are.
    pub variant_of: Option<Shared>,
}

impl NameUse {
    /// The use as evidence from article `article`.
    pub fn evidence(&self, article: &Shared) -> Evidence {
        Evidence {
            article: article.clone(),
            text: self.text.clone(),
            span: self.span.clone(),
        }
    }
}

/// What claims are compared within: key, subject, qualifiers.
type GroupKey<'a> = (&'a str, Option<&'a str>, String);

pub fn compare(
    rules: &Rules,
    articles: &[ArticleInfo],
    claims: &[Box<Claim>],
    mismatches: &[WeekdayMismatch],
    // The name uses, one list per article: `names[i]` are those of
    // `articles[i]` (never gathered into one list). Dropped once name
    // variants are found.
    names: Vec<Vec<NameUse>>,
    lang: Lang,
) -> Vec<Finding> {
    let (wires, numbered) = Sources::new(articles, claims);
    // Name variants beside the claims' comparison: the name uses are
    // dropped as soon as the variants are found.
    let (names_found, (per_group, mut rest)) = rayon::join(
        || {
            let mut found = Vec::new();
            name_variants(rules, articles, &names, lang, &mut found);
            drop(names);
            found
        },
        || compare_claims(numbered, mismatches, &wires, lang),
    );
    let mut out: Vec<Finding> = per_group.into_iter().flatten().collect();
    out.append(&mut rest);
    out.extend(names_found);
    sort(&mut out);
    out
}

/// The findings of the claims compared like with like, each group's in
/// the groups' order; and those of quotes' speakers and weekdays.
fn compare_claims(
    mut claims: Vec<Of>,
    mismatches: &[WeekdayMismatch],
    wires: &Sources,
    lang: Lang,
) -> (Vec<Vec<Finding>>, Vec<Finding>) {
    // Like with like: claims are compared within (key, subject, qualifiers),
    // the groups in that order, each group's claims in the claims' order.
    // The claims come sorted by key and subject (`assemble` sorts them;
    // else they are sorted here, stably): the claims of each (key,
    // subject) are then side by side, and split by qualifiers in parallel.
    use rayon::prelude::*;
    // The quotes that name a speaker, in the claims' order (see
    // `quote_speakers`).
    let quotes: Vec<Of> = claims
        .iter()
        .copied()
        .filter(|c| &*c.key == "quote" && c.speaker.is_some())
        .collect();
    if !claims.is_sorted_by(|a, b| ks_cmp(a, b).is_le()) {
        claims.par_sort_by(|a, b| ks_cmp(a, b));
    }
    let runs: Vec<&[Of]> = claims.chunk_by(|a, b| ks_cmp(a, b).is_eq()).collect();
    let groups: Vec<(GroupKey, Vec<Of>)> = runs
        .par_iter()
        .flat_map_iter(|run| {
            let (key, subject) = ks(run[0].claim);
            by_qualifiers(run)
                .into_iter()
                .map(move |(q, group)| ((key, subject, q), group))
        })
        .collect();
    // The groups hold the claims now (a million claims are 16 MB).
    drop(runs);
    drop(claims);
    // The groups are compared in parallel; their findings are put together
    // in the groups' order, so the result does not depend on the threads.
    rayon::join(
        || {
            groups
                .par_iter()
                .map(|((key, subject, qualifiers), group)| {
                    let mut out = Vec::new();
                    if *key == "quote" {
                        compare_quotes(key, *subject, group, wires, lang, &mut out);
                    } else {
                        compare_group(key, *subject, qualifiers, group, wires, lang, &mut out);
                    }
                    out
                })
                .collect::<Vec<_>>()
        },
        || {
            let mut out = Vec::new();
            quote_speakers(&quotes, wires, lang, &mut out);
            weekday_findings(mismatches, lang, &mut out);
            out
        },
    )
}

/// A claim's key and subject: what its claims are compared within, with
/// its qualifiers.
fn ks(c: &Claim) -> (&str, Option<&str>) {
    (c.key.as_str(), c.subject.as_deref())
}

/// `ks(a).cmp(&ks(b))`, without reading the strings when they are the
/// same string (the claims of a run share their key and subject).
fn ks_cmp(a: &Claim, b: &Claim) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let same = |x: &Shared, y: &Shared| Shared::ptr_eq(x, y);
    let key = match same(&a.key, &b.key) {
        true => Ordering::Equal,
        false => a.key.as_str().cmp(b.key.as_str()),
    };
    key.then_with(|| match (&a.subject, &b.subject) {
        (Some(x), Some(y)) if same(x, y) => Ordering::Equal,
        (x, y) => x.as_deref().cmp(&y.as_deref()),
    })
}

/// The claims of `run` split by their qualifiers written out ("place:
/// almaty, speaker: x"), in the order of those words, each part's claims
/// in the run's order. Each distinct set of qualifiers is found by its
/// hash and written out once (not once a claim).
fn by_qualifiers<'a>(run: &[Of<'a>]) -> Vec<(String, Vec<Of<'a>>)> {
    use std::hash::{Hash, Hasher};
    let mut distinct: Vec<&Qualifiers> = Vec::new();
    let mut by_hash: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    let of: Vec<usize> = run
        .iter()
        .map(|c| {
            let q = &c.claim.qualifiers;
            let mut h = rustc_hash::FxHasher::default();
            q.iter().for_each(|kv| kv.hash(&mut h));
            let bucket = by_hash.entry(h.finish()).or_default();
            match bucket.iter().find(|&&d| distinct[d] == q) {
                Some(&d) => d,
                None => {
                    bucket.push(distinct.len());
                    distinct.push(q);
                    distinct.len() - 1
                }
            }
        })
        .collect();
    let written: Vec<String> = distinct
        .iter()
        .map(|q| {
            let q: Vec<String> = q.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            q.join(", ")
        })
        .collect();
    // (Two sets written the same way are one part.)
    let mut parts: BTreeMap<&str, usize> = BTreeMap::new();
    let part: Vec<usize> = written
        .iter()
        .map(|w| {
            let next = parts.len();
            *parts.entry(w).or_insert(next)
        })
        .collect();
    let mut claims: Vec<Vec<Of>> = vec![Vec::new(); parts.len()];
    for (&c, d) in run.iter().zip(of) {
        claims[part[d]].push(c);
    }
    parts
        .into_iter()
        .map(|(w, k)| (w.to_string(), std::mem::take(&mut claims[k])))
        .collect()
}

/// Most severe first, then by kind, key, subject and message.
pub fn sort(findings: &mut [Finding]) {
    fn key(f: &Finding) -> (std::cmp::Reverse<Severity>, Kind, &str, Option<&str>, &str) {
        (
            std::cmp::Reverse(f.severity),
            f.kind,
            &f.key,
            f.subject.as_deref(),
            &f.message,
        )
    }
    findings.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// A Hijri date and the Gregorian date given beside it that are not the same
/// day: an inconsistency inside the article.
pub fn calendar_findings(
    mismatches: &[crate::claim::CalendarMismatch],
    lang: Lang,
) -> Vec<Finding> {
    mismatches
        .iter()
        .map(|m| Finding {
            kind: Kind::Inconsistency,
            class: None,
            key: "date.calendar".into(),
            subject: None,
            severity: Severity::Error,
            articles: vec![m.hijri.article.clone()],
            claims: Vec::new(),
            message: explain::calendar(
                &m.hijri.article,
                &m.hijri.text,
                &m.hijri_is.to_string(),
                &m.gregorian.text,
                &m.gregorian_is.to_string(),
                lang,
            ),
            evidence: vec![m.hijri.clone(), m.gregorian.clone()],
        })
        .collect()
}

/// The articles of `claims`, each once, in the order of their ids: by
/// number (see `Sources`), and by id.
fn articles_of(claims: &[Of], sources: &Sources) -> (Vec<u32>, Vec<Shared>) {
    let mut ranks: Vec<u32> = claims
        .iter()
        .map(|c| sources.rank[c.number as usize])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let numbers: Vec<u32> = ranks.iter().map(|&r| sources.ranked[r as usize]).collect();
    let ids = numbers
        .iter()
        .map(|&a| sources.ids[a as usize].clone())
        .collect();
    (numbers, ids)
}

/// The ids of `claims`, sorted (by their places in the order of ids, see
/// `Sources`).
fn ids_of(claims: &[Of], sources: &Sources) -> Vec<Shared> {
    let mut v: Vec<u32> = claims.iter().map(|c| c.id_rank).collect();
    v.sort_unstable();
    v.into_iter()
        .map(|r| sources.claim_ids[r as usize].clone())
        .collect()
}

/// Each of the `n` strings' place in their order (equal strings share
/// one), and the first of the strings at each place; string `i` is
/// `string(i)`. (Compared by their first 12 bytes as numbers first, and
/// whole only when those are the same, so that most comparisons read no
/// string. 16 bytes a string while sorted.)
fn ranks<'s>(n: usize, string: impl Fn(usize) -> &'s str + Sync) -> (Vec<u32>, Vec<u32>) {
    use rayon::prelude::*;
    let head = |s: &str| {
        let mut b = [0u8; 12];
        let n = s.len().min(12);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        let [a, b] = [&b[..8], &b[8..]];
        let u64_of = |x: &[u8]| u64::from_be_bytes(x.try_into().unwrap_or_default());
        let u32_of = |x: &[u8]| u32::from_be_bytes(x.try_into().unwrap_or_default());
        (u64_of(a), u32_of(b))
    };
    let n = n.min(u32::MAX as usize);
    let mut order: Vec<(u64, u32, u32)> = (0..n as u32)
        .into_par_iter()
        .map(|i| {
            let (a, b) = head(string(i as usize));
            (a, b, i)
        })
        .collect();
    let of = |k: &(u64, u32, u32)| string(k.2 as usize);
    let heads = |k: &(u64, u32, u32)| (k.0, k.1);
    order.par_sort_unstable_by(|a, b| heads(a).cmp(&heads(b)).then_with(|| of(a).cmp(of(b))));
    let strings = order.len();
    let mut rank = vec![0u32; strings];
    let mut first: Vec<u32> = Vec::new();
    for (k, x) in order.iter().enumerate() {
        let same = k > 0 && heads(&order[k - 1]) == heads(x) && of(&order[k - 1]) == of(x);
        if !same {
            first.push(x.2);
        }
        rank[x.2 as usize] = (first.len() - 1) as u32;
    }
    (rank, first)
}

/// "16 in 002_…, said by tokayev, as of 2022-01-10"
fn side(c: &Claim, lang: Lang) -> String {
    explain::side(
        &c.value,
        &c.article,
        c.speaker.as_deref(),
        c.as_of.as_deref(),
        lang,
    )
}

/// How many independent sources an agreement rests on: articles that
/// credit the same agency, or share wire copy, count once. (`arts`: the
/// articles' numbers, each once.)
fn agreement_class(arts: &[u32], sources: &Sources, lang: Lang) -> (Class, String) {
    let groups: Vec<Vec<u32>> = source_clusters(arts, sources)
        .into_iter()
        .map(|g| g.into_iter().map(|i| arts[i]).collect())
        .collect();
    // A group's agencies, or how many articles share copy in it; none for
    // an article alone that credits no agency (those are counted).
    let describe = |g: &Vec<u32>| {
        let mut agencies: Vec<u32> = g
            .iter()
            .flat_map(|&a| sources.wires[a as usize].iter().copied())
            .collect();
        agencies.sort_unstable();
        agencies.dedup();
        let names: Vec<&str> = agencies
            .iter()
            .map(|&w| sources.agencies[w as usize])
            .collect();
        match (names.is_empty(), g.len()) {
            (true, 1) => None,
            (true, k) => Some(explain::sharing_copy(k, lang)),
            (false, _) => Some(names.join("/")),
        }
    };
    let alone = explain::uncredited(1, lang);
    let mut parts: Vec<String> = groups
        .iter()
        .filter_map(describe)
        .filter(|p| *p != alone)
        .collect();
    match groups.len() - parts.len() {
        0 => {}
        k => parts.push(explain::uncredited(k, lang)),
    }
    let class = if groups.len() == 1 {
        Class::Echo
    } else {
        Class::Independent
    };
    (class, explain::sources(groups.len(), &parts, lang))
}

/// Union-find over `0..n`.
struct Partition {
    parent: Vec<usize>,
}

impl Partition {
    fn new(n: usize) -> Partition {
        Partition {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, i: usize, j: usize) {
        let (a, b) = (self.root(i), self.root(j));
        self.parent[a] = b;
    }

    /// The groups, each in ascending order, in the order of their first
    /// item.
    fn groups(mut self) -> Vec<Vec<usize>> {
        let n = self.parent.len();
        let mut first: FxHashMap<usize, usize> = FxHashMap::default();
        let mut out: Vec<Vec<usize>> = Vec::new();
        for i in 0..n {
            let r = self.root(i);
            let k = *first.entry(r).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[k].push(i);
        }
        out
    }
}

/// The articles (their numbers, each once, in the order of their ids)
/// joined, directly or through others, by crediting one agency or by
/// sharing wire copy (`a` lists `b` among its copies, `a` before `b`), in
/// the order of their first article.
fn source_clusters(arts: &[u32], sources: &Sources) -> Vec<Vec<usize>> {
    let mut p = Partition::new(arts.len());
    let mut by_agency: FxHashMap<u32, usize> = FxHashMap::default();
    let position: FxHashMap<u32, usize> = arts.iter().enumerate().map(|(i, &a)| (a, i)).collect();
    for (i, &a) in arts.iter().enumerate() {
        for &w in &sources.wires[a as usize] {
            match by_agency.get(&w) {
                Some(&k) => p.join(k, i),
                None => {
                    by_agency.insert(w, i);
                }
            }
        }
        for c in &sources.copies[a as usize] {
            if let Some(&j) = position.get(c) {
                if j > i {
                    p.join(i, j);
                }
            }
        }
    }
    p.groups()
}

/// Quotes joined, directly or through others, by `quote_words_match`, in
/// the order of their first quote: the same groups as trying every pair,
/// found without trying every pair. Equal word lists always match, so
/// each distinct list is tried once. A match needs nine in ten of the
/// shorter quote's words to stand in the longer one, so of any
/// `len - ⌈0.9·len⌉ + 1` of its words one at least must: the longer
/// quotes worth trying are those that hold one of the shorter quote's
/// rarest words.
fn quote_clusters(quotes: &[Vec<&str>]) -> Vec<Vec<usize>> {
    let mut p = Partition::new(quotes.len());
    // distinct word lists, with the first quote of each
    let mut distinct: Vec<usize> = Vec::new();
    let mut seen: FxHashMap<&[&str], usize> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        match seen.get(q.as_slice()) {
            Some(&first) => p.join(first, i),
            None => {
                seen.insert(q.as_slice(), i);
                distinct.push(i);
            }
        }
    }
    // word -> the distinct lists that hold it
    let mut postings: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (d, &i) in distinct.iter().enumerate() {
        let mut words: Vec<&str> = quotes[i].clone();
        words.sort_unstable();
        words.dedup();
        for w in words {
            postings.entry(w).or_default().push(d);
        }
    }
    let mut tried: Vec<usize> = vec![usize::MAX; distinct.len()];
    for (d, &i) in distinct.iter().enumerate() {
        let short = &quotes[i];
        // a list of fewer than two words only matches itself
        if short.len() < 2 {
            continue;
        }
        let needed = (short.len() * 9).div_ceil(10);
        let mut rare: Vec<&str> = short.clone();
        rare.sort_unstable_by_key(|w| (postings.get(w).map_or(0, Vec::len), *w));
        rare.dedup();
        rare.truncate(short.len() - needed + 1);
        for w in rare {
            for &e in postings.get(w).map_or(&[][..], Vec::as_slice) {
                let j = distinct[e];
                if e == d || tried[e] == d || quotes[j].len() < short.len() {
                    continue;
                }
                tried[e] = d;
                if p.root(i) == p.root(j) {
                    continue;
                }
                if quote_words_match(short, &quotes[j]) {
                    p.join(i, j);
                }
            }
        }
    }
    p.groups()
}

/// The articles that claims are compared across, each by a number: the
/// articles of the report in its order (an id given to several stands for
/// the last), then those of claims whose article is not in it; with what
/// tells which of them are one source (their agencies, and the articles
/// each shares copy with). Claims name their article by id; each id is
/// looked up once, and what compares claims works with the numbers
/// (looking ids up again for every finding took most of the time on a
/// large corpus).
struct Sources<'a> {
    /// Each article's id, agencies (by number) and the articles it shares
    /// copy with.
    ids: Vec<&'a Shared>,
    wires: Vec<Vec<u32>>,
    copies: Vec<Vec<u32>>,
    /// The agencies' names, sorted: an agency's number is its place.
    agencies: Vec<&'a str>,
    /// Each article's place in the order of the ids (articles of the same
    /// id share it), and the article at each place.
    rank: Vec<u32>,
    ranked: Vec<u32>,
    /// The claims' ids, sorted, each once (a claim's `Of::id_rank` is
    /// its place here).
    claim_ids: Vec<&'a Shared>,
}

impl<'a> Sources<'a> {
    /// The articles, and the claims with their articles' numbers and
    /// their ids' places.
    fn new(articles: &'a [ArticleInfo], claims: &'a [Box<Claim>]) -> (Sources<'a>, Vec<Of<'a>>) {
        use rayon::prelude::*;
        let mut number: FxHashMap<&str, u32> = articles
            .iter()
            .zip(0..)
            .map(|(a, k)| (a.id.as_str(), k))
            .collect();
        let mut ids: Vec<&Shared> = articles.iter().map(|a| &a.id).collect();
        let mut agencies: Vec<&str> = articles
            .iter()
            .flat_map(|a| a.wire.iter().map(String::as_str))
            .collect();
        agencies.sort_unstable();
        agencies.dedup();
        let agency = |w: &String| agencies.binary_search(&w.as_str()).unwrap_or(0) as u32;
        let mut wires: Vec<Vec<u32>> = articles
            .iter()
            .map(|a| a.wire.iter().map(agency).collect())
            .collect();
        const UNKNOWN: u32 = u32::MAX;
        let mut numbers: Vec<u32> = claims
            .par_iter()
            .map(|c| number.get(c.article.as_str()).copied().unwrap_or(UNKNOWN))
            .collect();
        // Claims of articles not in the report (a shard can hold them):
        // numbered after the report's.
        for (n, c) in numbers.iter_mut().zip(claims) {
            if *n == UNKNOWN {
                *n = *number.entry(c.article.as_str()).or_insert_with(|| {
                    ids.push(&c.article);
                    wires.push(Vec::new());
                    (ids.len() - 1) as u32
                });
            }
        }
        let copies = (0..ids.len())
            .map(|k| {
                let shares = articles.get(k).map_or(&[][..], |a| &a.shares_copy_with[..]);
                shares
                    .iter()
                    .filter_map(|id| number.get(id.as_str()).copied())
                    .collect()
            })
            .collect();
        let (rank, firsts) = ranks(ids.len(), |k| ids[k].as_str());
        // The article an id stands for at each place (the last of that id).
        let ranked = firsts
            .iter()
            .map(|&k| number.get(ids[k as usize].as_str()).copied().unwrap_or(k))
            .collect();
        let (id_ranks, firsts) = ranks(claims.len(), |k| claims[k].id.as_str());
        let claim_ids = firsts.iter().map(|&k| &claims[k as usize].id).collect();
        let numbered = claims
            .iter()
            .zip(numbers)
            .zip(id_ranks)
            .map(|((c, number), id_rank)| Of {
                claim: c,
                number,
                id_rank,
            })
            .collect();
        let sources = Sources {
            ids,
            wires,
            copies,
            agencies,
            rank,
            ranked,
            claim_ids,
        };
        (sources, numbered)
    }
}

/// A claim with its article's number (see `Sources`).
#[derive(Clone, Copy)]
struct Of<'a> {
    claim: &'a Claim,
    /// Its article's number (named apart from `Claim::article`, its id).
    number: u32,
    /// Its id's place in the order of the claims' ids.
    id_rank: u32,
}

impl std::ops::Deref for Of<'_> {
    type Target = Claim;
    fn deref(&self) -> &Claim {
        self.claim
    }
}

fn compare_group(
    key: &str,
    subject: Option<&str>,
    qualifiers: &str,
    group: &[Of],
    wires: &Sources,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let mut about = match subject {
        Some(s) => format!("{key} ({s})"),
        None => key.to_string(),
    };
    // Say the qualifiers that narrow the claim (not "nationwide").
    let shown: Vec<&str> = qualifiers
        .split(", ")
        .filter(|q| !q.is_empty() && !q.ends_with(": nationwide") && !q.ends_with(": unnamed"))
        .collect();
    if !shown.is_empty() {
        about.push_str(&format!(" [{}]", shown.join(", ")));
    }
    // Distinct values, in the order they come; equal values are found by
    // their hash, not by comparing with every value before.
    let mut classes: Vec<(&Value, Vec<Of>)> = Vec::new();
    let mut by_hash: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for &c in group {
        let mut h = rustc_hash::FxHasher::default();
        hash_value(&c.value, &mut h);
        let bucket = by_hash.entry(std::hash::Hasher::finish(&h)).or_default();
        match bucket.iter().find(|&&k| *classes[k].0 == c.value) {
            Some(&k) => classes[k].1.push(c),
            None => {
                bucket.push(classes.len());
                classes.push((&c.claim.value, vec![c]));
            }
        }
    }
    classes.truncate(24);
    let n = classes.len();
    // Each class's claims by article, and its one article if it has one.
    let by_article: Vec<FxHashMap<u32, Vec<Of>>> = classes
        .iter()
        .map(|(_, cs)| {
            let mut m: FxHashMap<u32, Vec<Of>> = FxHashMap::default();
            for &c in cs {
                m.entry(c.number).or_default().push(c);
            }
            m
        })
        .collect();
    let only_article = |i: usize| -> Option<u32> {
        let m = &by_article[i];
        (m.len() == 1).then(|| m.keys().next().copied()).flatten()
    };
    let compat: Vec<Vec<bool>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| classes[i].0.compatible(classes[j].0))
                .collect()
        })
        .collect();
    let grows = group.iter().any(|c| c.grows);
    let level = group.iter().map(|c| c.level).max().unwrap_or(Level::Error);

    // Contradictions across articles, inconsistencies inside one.
    let mut across: Vec<(usize, usize)> = Vec::new();
    let mut within: BTreeMap<&str, Vec<Of>> = BTreeMap::new();
    for i in 0..n {
        for j in i + 1..n {
            if compat[i][j] {
                continue;
            }
            let a = &classes[i].1;
            // Two articles among the claims of both values.
            let one = only_article(i);
            if one.is_none() || one != only_article(j) {
                across.push((i, j));
            }
            for &x in a {
                let Some(same_article) = by_article[j].get(&x.number) else {
                    continue;
                };
                // a growing count given twice on different days is an update
                let same_day_or_flat =
                    |y: &&Of| !grows || x.as_of == y.as_of || x.speaker != y.speaker;
                for &y in same_article.iter().filter(same_day_or_flat) {
                    let v = within.entry(x.claim.article.as_ref()).or_default();
                    v.push(x);
                    v.push(y);
                }
            }
        }
    }
    if !across.is_empty() {
        let involved: BTreeSet<usize> = across.iter().flat_map(|(i, j)| [*i, *j]).collect();
        let cs: Vec<Of> = involved
            .iter()
            .flat_map(|i| classes[*i].1.iter().copied())
            .collect();
        let update = grows
            && across
                .iter()
                .all(|(i, j)| is_update(&classes[*i].1, &classes[*j].1));
        let sides: Vec<String> = if update {
            // a timeline: "13 … as of 2022-01-07 → 16 … as of 2022-01-10"
            let mut dated: Vec<&Of> = cs.iter().collect();
            dated.sort_by(|a, b| (&a.as_of, &a.article).cmp(&(&b.as_of, &b.article)));
            let steps = dated.iter().map(|c| side(c, lang));
            vec![explain::listing_of(steps, " → ", lang)]
        } else {
            involved
                .iter()
                .map(|i| {
                    let list = classes[*i].1.iter().map(|c| side(c, lang));
                    explain::listing_of(list, "; ", lang)
                })
                .collect()
        };
        let (class, severity) = if update {
            (Class::Update, Severity::Warning)
        } else {
            (Class::Conflict, Severity::from(level))
        };
        out.push(Finding {
            kind: Kind::Contradiction,
            class: Some(class),
            key: key.into(),
            subject: subject.map(Shared::from),
            severity,
            articles: articles_of(&cs, wires).1,
            claims: ids_of(&cs, wires),
            message: explain::contradiction(&about, update, &sides, lang),
            evidence: Vec::new(),
        });
    }
    for (article, mut cs) in within {
        cs.sort_by_key(|c| c.span.start);
        cs.dedup_by_key(|c| c.id_rank);
        // The article itself reports two speakers giving two figures (the
        // ministry says X, witnesses say Y): a dispute it reports, not an
        // editing error.
        let speakers: BTreeSet<Option<&str>> = cs.iter().map(|c| c.speaker.as_deref()).collect();
        let reported = speakers.len() > 1;
        if reported {
            let sides: Vec<String> = cs.iter().map(|c| side(c, lang)).collect();
            out.push(Finding {
                kind: Kind::Contradiction,
                class: Some(Class::ReportedDispute),
                key: key.into(),
                subject: subject.map(Shared::from),
                severity: Severity::Warning,
                articles: vec![cs[0].claim.article.clone()],
                claims: ids_of(&cs, wires),
                message: explain::reported_dispute(&about, article, &sides, lang),
                evidence: Vec::new(),
            });
            continue;
        }
        let sides: Vec<String> = cs.iter().map(|c| explain::value(&c.value, lang)).collect();
        out.push(Finding {
            kind: Kind::Inconsistency,
            class: None,
            key: key.into(),
            subject: subject.map(Shared::from),
            severity: Severity::Error,
            articles: vec![cs[0].claim.article.clone()],
            claims: ids_of(&cs, wires),
            message: explain::two_values(&about, article, &sides, lang),
            evidence: Vec::new(),
        });
    }

    // Agreements: maximal sets of pairwise compatible values.
    let cliques = maximal_cliques(&compat);
    for clique in cliques {
        let cs: Vec<Of> = clique
            .iter()
            .flat_map(|i| classes[*i].1.iter().copied())
            .collect();
        if in_one_article(&cs) {
            continue;
        }
        let (numbers, arts) = articles_of(&cs, wires);
        let mut values: Vec<String> = clique
            .iter()
            .map(|i| explain::value(classes[*i].0, lang))
            .collect();
        values.dedup();
        let (class, note) = agreement_class(&numbers, wires, lang);
        out.push(Finding {
            kind: Kind::Agreement,
            class: Some(class),
            key: key.into(),
            subject: subject.map(Shared::from),
            severity: Severity::Info,
            message: explain::agreement(&about, &values, &arts, &note, lang),
            articles: arts,
            claims: ids_of(&cs, wires),
            evidence: Vec::new(),
        });
    }
    if let Some(first) = group.first().filter(|_| in_one_article(group)) {
        let article = first.claim.article.clone();
        let mut values: Vec<String> = classes
            .iter()
            .map(|(v, _)| explain::value(v, lang))
            .collect();
        values.dedup();
        out.push(Finding {
            kind: Kind::Uncorroborated,
            class: None,
            key: key.into(),
            subject: subject.map(Shared::from),
            severity: Severity::Info,
            message: explain::uncorroborated(&about, &article, &values, lang),
            articles: vec![article],
            claims: ids_of(group, wires),
            evidence: Vec::new(),
        });
    }
}

/// Whether `claims` are all of one article (true when there are none).
fn in_one_article(claims: &[Of]) -> bool {
    claims.iter().all(|c| c.number == claims[0].number)
}

/// True when every claim of one side is dated before every claim of the
/// other, and the later side's figure is larger.
fn is_update(a: &[Of], b: &[Of]) -> bool {
    let dates = |cs: &[Of]| -> Option<(String, String)> {
        let ds: Vec<&Shared> = cs.iter().map(|c| c.as_of.as_ref()).collect::<Option<_>>()?;
        Some((ds.iter().min()?.to_string(), ds.iter().max()?.to_string()))
    };
    let lo = |cs: &[Of]| match &cs.first()?.value {
        Value::Quantity(q) => Some(q.lo.value),
        _ => None,
    };
    let (Some((a_min, a_max)), Some((b_min, b_max)), Some(va), Some(vb)) =
        (dates(a), dates(b), lo(a), lo(b))
    else {
        return false;
    };
    (a_max < b_min && vb > va) || (b_max < a_min && va > vb)
}

/// The maximal sets of pairwise compatible values (`adj[v][u]`, `u != v`;
/// at most 32 values), each in ascending order, in lexicographic order: the
/// cliques and order of plain Bron–Kerbosch taking the lowest vertex first,
/// found with Tomita's pivot on bit sets so a dense graph stays cheap.
fn maximal_cliques(adj: &[Vec<bool>]) -> Vec<Vec<usize>> {
    fn bk(adj: &[u32], r: u32, mut p: u32, mut x: u32, out: &mut Vec<u32>) {
        if p == 0 {
            if x == 0 {
                out.push(r);
            }
            return;
        }
        // the pivot: the vertex of P ∪ X with the most neighbours in P
        let mut best = (0, 0);
        let mut px = p | x;
        while px != 0 {
            let u = px.trailing_zeros() as usize;
            px &= px - 1;
            let k = (p & adj[u]).count_ones();
            if k >= best.1 {
                best = (u, k);
            }
        }
        let mut cand = p & !adj[best.0];
        while cand != 0 {
            let v = cand.trailing_zeros() as usize;
            cand &= cand - 1;
            let bit = 1u32 << v;
            bk(adj, r | bit, p & adj[v], x & adj[v], out);
            p &= !bit;
            x |= bit;
        }
    }
    let n = adj.len();
    assert!(n <= 32, "at most 32 values are compared");
    let masks: Vec<u32> = (0..n)
        .map(|v| {
            (0..n)
                .filter(|&u| u != v && adj[v][u])
                .fold(0u32, |m, u| m | (1 << u))
        })
        .collect();
    let mut found = Vec::new();
    if n > 0 {
        let all = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
        bk(&masks, 0, all, 0, &mut found);
    } else {
        found.push(0);
    }
    let mut out: Vec<Vec<usize>> = found
        .into_iter()
        .map(|m| (0..n).filter(|&v| m & (1 << v) != 0).collect())
        .collect();
    out.sort();
    out
}

/// Quotes of one speaker: words that match across articles agree.
fn compare_quotes(
    key: &str,
    subject: Option<&str>,
    group: &[Of],
    wires: &Sources,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let found: Vec<Vec<Of>> = quote_claim_clusters(group)
        .into_iter()
        .map(|g| g.into_iter().map(|i| group[i]).collect())
        .collect();
    for cs in found {
        let (numbers, arts) = articles_of(&cs, wires);
        if arts.len() < 2 {
            continue;
        }
        let shortest = cs
            .iter()
            .map(|c| c.text.clone())
            .min_by_key(|t| (t.len(), t.clone()))
            .unwrap_or_default();
        let (class, note) = agreement_class(&numbers, wires, lang);
        out.push(Finding {
            kind: Kind::Agreement,
            class: Some(class),
            key: key.into(),
            subject: subject.map(Shared::from),
            severity: Severity::Info,
            message: explain::quote_agreement(subject, &shortest, &arts, &note, lang),
            articles: arts,
            claims: ids_of(&cs, wires),
            evidence: Vec::new(),
        });
    }
}

/// `quote_clusters` over the words of these claims' quotes (none for
/// another value), as indexes into `claims`. Each distinct quote is split
/// and compared once, however many claims say it: a day's wire repeats
/// quotes in many articles.
fn quote_claim_clusters(claims: &[Of]) -> Vec<Vec<usize>> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut words: Vec<Vec<&str>> = Vec::new();
    let quote_of: Vec<usize> = claims
        .iter()
        .map(|c| {
            let q = match &c.value {
                Value::Quote(q) => q.as_str(),
                _ => "",
            };
            *index.entry(q).or_insert_with(|| {
                words.push(q.split_whitespace().collect());
                words.len() - 1
            })
        })
        .collect();
    // Distinct quotes are numbered in the order claims first say them, so
    // clusters of them come in the order of their first claim.
    let clusters = quote_clusters(&words);
    let mut cluster_of = vec![0; words.len()];
    for (k, g) in clusters.iter().enumerate() {
        for &d in g {
            cluster_of[d] = k;
        }
    }
    let mut out = vec![Vec::new(); clusters.len()];
    for (i, d) in quote_of.into_iter().enumerate() {
        out[cluster_of[d]].push(i);
    }
    out
}

/// The same words put in two different mouths by two articles: a
/// contradiction on who said them (key `quote.speaker`).
/// (`quotes`: the claims of key `quote` that name a speaker.)
fn quote_speakers(quotes: &[Of], sources: &Sources, lang: Lang, out: &mut Vec<Finding>) {
    for cluster in quote_claim_clusters(quotes) {
        let cs: Vec<Of> = cluster.iter().map(|k| quotes[*k]).collect();
        let speakers: BTreeSet<&str> = cs.iter().filter_map(|c| c.speaker.as_deref()).collect();
        let arts = articles_of(&cs, sources).1;
        if speakers.len() < 2 || arts.len() < 2 {
            continue;
        }
        let sides = cs
            .iter()
            .map(|c| explain::said_by(c.speaker.as_deref().unwrap_or("?"), &c.article, lang));
        let shortest = cs
            .iter()
            .map(|c| c.text.as_str())
            .min_by_key(|t| t.len())
            .unwrap_or("");
        out.push(Finding {
            kind: Kind::Contradiction,
            class: Some(Class::Conflict),
            key: "quote.speaker".into(),
            subject: None,
            severity: Severity::Error,
            articles: arts,
            claims: ids_of(&cs, sources),
            message: format!(
                "«{shortest}» is put in different mouths: {}",
                explain::values_against_of(sides, Lang::En)
            ),
            evidence: Vec::new(),
        });
    }
}

fn weekday_findings(mismatches: &[WeekdayMismatch], lang: Lang, out: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for m in mismatches {
        if !seen.insert((m.evidence.article.clone(), m.evidence.span.start)) {
            continue;
        }
        let by = match m.by {
            crate::resolve::ResolvedBy::Absolute => "absolute",
            crate::resolve::ResolvedBy::Window => "window",
            _ => "article",
        };
        let how = explain::year_from(by, lang);
        out.push(Finding {
            kind: Kind::Inconsistency,
            class: None,
            key: "date.weekday".into(),
            subject: None,
            severity: Severity::Error,
            articles: vec![m.evidence.article.clone()],
            claims: Vec::new(),
            message: explain::weekday(
                &m.evidence.article,
                &m.evidence.text,
                &m.date.to_string(),
                &m.actual,
                &m.said,
                how,
                lang,
            ),
            evidence: vec![m.evidence.clone()],
        });
    }
}

fn name_variants(
    rules: &Rules,
    articles: &[ArticleInfo],
    names: &[Vec<NameUse>],
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let mut of_entity: Vec<Vec<(&Shared, &NameUse)>> = vec![Vec::new(); rules.entities.len()];
    for (a, uses) in articles.iter().zip(names) {
        for u in uses {
            if let Some(v) = of_entity.get_mut(u.entity as usize) {
                v.push((&a.id, u));
            }
        }
    }
    // Entities are worked on in parallel; their findings are put together
    // in the entities' order.
    use rayon::prelude::*;
    let found: Vec<Vec<Finding>> = rules
        .entities
        .par_iter()
        .zip(&of_entity)
        .map(|(e, names)| entity_variants(e, names, lang))
        .collect();
    out.extend(found.into_iter().flatten());
}

/// The name-variant findings of entity `e`, from its uses in the articles.
fn entity_variants(
    e: &crate::rules::Entity,
    names: &[(&Shared, &NameUse)],
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    // The listed groups, and for names met one letter off (spellings the
    // rules do not list), a group of the name and what the text wrote.
    let mut groups: Vec<Vec<String>> = e.spellings.clone();
    // Each use's spelling as shown, worked out once per spelling (the
    // same words recur in thousands of articles); and what each group
    // holds, as a set, so that thousands of spellings stay linear.
    // (`shown` holds the spellings, `shown_as[i]` is use i's.)
    let mut number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut shown: Vec<String> = Vec::new();
    let shown_as: Vec<u32> = names
        .iter()
        .map(|(_, u)| {
            *number.entry(&u.text).or_insert_with(|| {
                shown.push(display_form(&u.text));
                shown.len() as u32 - 1
            })
        })
        .collect();
    let surfaces = || shown_as.iter().map(|&k| &shown[k as usize]);
    let mut members: Vec<rustc_hash::FxHashSet<String>> =
        groups.iter().map(|g| g.iter().cloned().collect()).collect();
    for ((_, u), surface) in names.iter().zip(surfaces()) {
        let Some(norm) = u.variant_of.as_deref() else {
            continue;
        };
        let listed = e
            .names
            .iter()
            .find(|(_, n)| n == norm)
            .map(|(orig, _)| orig.clone())
            .unwrap_or_else(|| norm.to_string());
        let k = match members.iter().position(|m| m.contains(&listed)) {
            Some(k) => k,
            None => {
                groups.push(vec![listed.clone()]);
                members.push(std::iter::once(listed).collect());
                groups.len() - 1
            }
        };
        if members[k].insert((*surface).clone()) {
            groups[k].push((*surface).clone());
        }
    }
    for group in &groups {
        let mut forms: Vec<(String, &String)> =
            group.iter().map(|s| (display_form(s), s)).collect();
        forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        // The longest form a spelling holds: itself when it is one (no
        // longer form fits in it, and of equal ones the first counts).
        let mut exact: FxHashMap<&str, &String> = FxHashMap::default();
        for (f, s) in &forms {
            exact.entry(f.as_str()).or_insert(s);
        }
        // What each spelling shown stands for in the group, if anything.
        let form_of: Vec<Option<&String>> = shown
            .iter()
            .map(|surface| {
                exact.get(surface.as_str()).copied().or_else(|| {
                    forms
                        .iter()
                        .find(|(f, _)| surface.contains(f.as_str()))
                        .map(|(_, s)| *s)
                })
            })
            .collect();
        // spelling -> each article's first use, by article
        let mut used: BTreeMap<&String, Vec<(&Shared, &NameUse)>> = BTreeMap::new();
        for ((article, u), &k) in names.iter().zip(&shown_as) {
            if let Some(s) = form_of[k as usize] {
                let uses = used.entry(s).or_default();
                // An article's uses come one after another.
                if uses.last().is_none_or(|(a, _)| a != article) {
                    uses.push((article, u));
                }
            }
        }
        for uses in used.values_mut() {
            if !uses.is_sorted_by(|a, b| a.0 < b.0) {
                // Stable: an article's first use stays first.
                uses.sort_by(|a, b| a.0.cmp(b.0));
                uses.dedup_by(|a, b| a.0 == b.0);
            }
        }
        if used.len() < 2 {
            continue;
        }
        let mut by_use: Vec<(&String, &[(&Shared, &NameUse)])> =
            used.iter().map(|(s, m)| (*s, &m[..])).collect();
        // Most articles first; on a tie, the spelling the rules list first.
        let rank = |s: &String| group.iter().position(|g| g == s).unwrap_or(usize::MAX);
        by_use.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(rank(a.0).cmp(&rank(b.0))));
        let parts: Vec<String> = by_use
            .iter()
            .map(|(s, m)| {
                let arts: Vec<&str> = m.iter().map(|(a, _)| a.as_str()).collect();
                explain::spelling_in(s, &arts, lang)
            })
            .collect();
        let mut articles: Vec<Shared> = used
            .values()
            .flat_map(|m| m.iter().map(|(a, _)| (*a).clone()))
            .collect();
        articles.sort();
        articles.dedup();
        // Kept until the report is written: no room to spare (an entity
        // named in every article has as many uses as articles).
        articles.shrink_to_fit();
        let mut evidence = Vec::with_capacity(by_use.iter().map(|(_, m)| m.len()).sum());
        evidence.extend(
            by_use
                .iter()
                .flat_map(|(_, m)| m.iter().map(|(a, u)| u.evidence(a))),
        );
        out.push(Finding {
            kind: Kind::NameVariant,
            class: None,
            key: "name.spelling".into(),
            subject: Some(e.id.clone()),
            severity: Severity::Warning,
            message: explain::name_variant(&e.id, &parts, by_use[0].0, lang),
            articles,
            claims: Vec::new(),
            evidence,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Strings ranked in their order: equal ranks for equal strings
        /// only, in the strings' order, and each rank's first string one
        /// of them; whatever their first 12 bytes share (NUL bytes, which
        /// the first bytes are padded with, among them).
        #[test]
        fn strings_are_ranked_in_their_order(
            picks in proptest::collection::vec((0usize..4, "[a\\x00@1-3]{0,4}"), 0..40),
        ) {
            let heads = ["", "0001", "a@", "0123456789abcdef"];
            let strings: Vec<String> =
                picks.iter().map(|(h, rest)| format!("{}{rest}", heads[*h])).collect();
            let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
            let (rank, first) = ranks(refs.len(), |k| refs[k]);
            for i in 0..refs.len() {
                for j in 0..refs.len() {
                    prop_assert_eq!(rank[i].cmp(&rank[j]), refs[i].cmp(refs[j]));
                }
                prop_assert_eq!(refs[first[rank[i] as usize] as usize], refs[i]);
            }
            let distinct: BTreeSet<&str> = refs.iter().copied().collect();
            prop_assert_eq!(first.len(), distinct.len());
        }

        /// Claims are split by their qualifiers as written, in that order,
        /// each part's claims in the run's order: as when each claim's
        /// qualifiers were written out and filed. Sets written the same
        /// way are one part.
        #[test]
        fn claims_are_split_by_their_qualifiers_as_written(
            picks in proptest::collection::vec(proptest::collection::vec(0usize..4, 0..3), 0..30),
        ) {
            let pairs = [("place", "almaty"), ("place", "almaty, speaker: x"), ("c", "d"), ("speaker", "x")];
            let claims: Vec<Claim> = picks
                .iter()
                .map(|set| {
                    let mut c = claim(Value::Statement("x".into()));
                    for &k in set {
                        let (name, value) = pairs[k];
                        c.qualifiers.insert(name.into(), value.into());
                    }
                    c
                })
                .collect();
            let run: Vec<Of> = claims
                .iter()
                .map(|claim| Of { claim, number: 0, id_rank: 0 })
                .collect();
            let mut expected: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, c) in claims.iter().enumerate() {
                let q: Vec<String> = c.qualifiers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                expected.entry(q.join(", ")).or_default().push(i);
            }
            let place = |c: &Of| claims.iter().position(|x| std::ptr::eq(x, c.claim));
            let found: Vec<(String, Vec<Option<usize>>)> = by_qualifiers(&run)
                .into_iter()
                .map(|(w, cs)| (w, cs.iter().map(place).collect()))
                .collect();
            let expected: Vec<(String, Vec<Option<usize>>)> = expected
                .into_iter()
                .map(|(w, cs)| (w, cs.into_iter().map(Some).collect()))
                .collect();
            prop_assert_eq!(found, expected);
        }

        /// Keys and subjects compare as their strings do, whether or not
        /// two claims share the strings themselves.
        #[test]
        fn keys_and_subjects_compare_as_their_words(
            a in (0usize..3, 0usize..3, any::<bool>()),
            b in (0usize..3, 0usize..3, any::<bool>()),
        ) {
            let keys = ["k", "k.a", "quote"];
            let subjects = [None, Some("s"), Some("t")];
            let shared: Vec<Shared> = keys.iter().map(|&k| k.into()).collect();
            let made = |(k, s, same): (usize, usize, bool)| {
                let mut c = claim(Value::Statement("x".into()));
                c.key = if same { shared[k].clone() } else { keys[k].into() };
                c.subject = subjects[s].map(Shared::from);
                c
            };
            let (x, y) = (made(a), made(b));
            prop_assert_eq!(ks_cmp(&x, &y), ks(&x).cmp(&ks(&y)));
        }
    }

    /// A claim whose article is not in the report (a shard can hold one)
    /// is compared like the others: its article listed among the
    /// finding's by id, as an uncredited source of its own, and claims
    /// given the same id are each listed.
    #[test]
    fn a_claim_of_an_article_not_in_the_report_is_compared_by_its_id() {
        let article = |id: &str, wire: &[&str]| ArticleInfo {
            id: id.into(),
            path: format!("{id}.md"),
            date: None,
            date_source: None,
            wire: wire.iter().map(|w| w.to_string()).collect(),
            shares_copy_with: Vec::new(),
        };
        // An id given to two articles stands for the last of them.
        let articles = [
            article("b", &["reuters"]),
            article("c", &["afp"]),
            article("b", &["afp"]),
        ];
        let made = |id: &str, article: &str| {
            let mut c = claim(Value::Statement("welcomed".into()));
            (c.id, c.article, c.key) = (id.into(), article.into(), "statement.x".into());
            Box::new(c)
        };
        let claims = vec![
            made("c@5", "c"),
            made("a@1", "a"),
            made("b@7", "b"),
            made("a@1", "a"),
        ];
        let rules = crate::rules::Rules::from_dir(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        )
        .expect("the project's rules load");
        let found = compare(&rules, &articles, &claims, &[], Vec::new(), Lang::En);
        let agreements: Vec<&Finding> =
            found.iter().filter(|f| f.kind == Kind::Agreement).collect();
        assert_eq!(agreements.len(), 1, "{found:#?}");
        let f = agreements[0];
        assert_eq!(f.articles, ["a", "b", "c"].map(Shared::from));
        assert_eq!(f.claims, ["a@1", "a@1", "b@7", "c@5"].map(Shared::from));
        assert_eq!(f.class, Some(Class::Independent));
        assert!(
            f.message
                .contains("2 independent sources: afp, an uncredited article"),
            "{}",
            f.message
        );
    }

    fn claim(value: Value) -> Claim {
        Claim {
            id: "a@0".into(),
            article: "a".into(),
            key: "quote".into(),
            subject: None,
            value,
            text: "".into(),
            span: crate::claim::Span::new("", 0..0),
            speaker: None,
            as_of: None,
            rule: "quote".into(),
            qualifiers: Default::default(),
            anchors: Default::default(),
            sentence: 0..0,
            grows: false,
            level: Level::Info,
        }
    }

    /// Each spelling's articles are listed by id, each once, with its
    /// first use of the spelling, whatever order the articles come in and
    /// however often one is listed.
    #[test]
    fn a_spelling_names_each_article_once_by_its_first_use() {
        let (long, short) = ("توكاييف", "توكايف");
        let e = crate::rules::Entity {
            id: "x".into(),
            kind: "person".into(),
            names: Vec::new(),
            spellings: vec![vec![long.to_string(), short.to_string()]],
        };
        let text = "abcdefgh";
        let uses: Vec<(Shared, NameUse)> = [("b", long), ("a", short), ("a", short)]
            .into_iter()
            .chain([("c", long), ("a", long), ("a", short)])
            .enumerate()
            .map(|(i, (article, words))| {
                let u = NameUse {
                    entity: 0,
                    text: words.into(),
                    span: crate::claim::Span::new(text, i..i + 1),
                    variant_of: None,
                };
                (article.into(), u)
            })
            .collect();
        let names: Vec<(&Shared, &NameUse)> = uses.iter().map(|(a, u)| (a, u)).collect();
        let found = entity_variants(&e, &names, Lang::En);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.articles, ["a", "b", "c"].map(Shared::from));
        let shown: Vec<(&str, &str, usize)> = f
            .evidence
            .iter()
            .map(|ev| (ev.article.as_str(), &*ev.text, ev.span.start as usize))
            .collect();
        let want = [
            ("a", long, 4),
            ("b", long, 0),
            ("c", long, 3),
            ("a", short, 1),
        ];
        assert_eq!(shown, want);
        // Articles in order, an article's uses one after another.
        let names = [names[4], names[4], names[1]];
        let found = entity_variants(&e, &names, Lang::En);
        let shown: Vec<(&str, usize)> = found[0]
            .evidence
            .iter()
            .map(|ev| (ev.article.as_str(), ev.span.start as usize))
            .collect();
        assert_eq!(shown, [("a", 4), ("a", 1)]);
    }

    proptest! {
        /// Clustering each distinct quote once gives the clusters, in the
        /// order, of clustering every claim's words (and other values, with
        /// no words, together).
        #[test]
        fn distinct_quotes_cluster_as_every_claim_does(
            said in prop::collection::vec(
                prop::option::weighted(0.9, prop::collection::vec(0usize..6, 0..12)),
                0..40,
            )
        ) {
            const WORDS: [&str; 6] = ["قال", "إن", "القوات", "ستغادر", "البلاد", "قريبا"];
            let claims: Vec<Claim> = said
                .iter()
                .map(|q| match q {
                    Some(ws) => {
                        let words: Vec<&str> = ws.iter().map(|&w| WORDS[w]).collect();
                        claim(Value::Quote(words.join(" ").into()))
                    }
                    None => claim(Value::Statement("welcomed".into())),
                })
                .collect();
            let refs: Vec<Of> = claims
                .iter()
                .map(|claim| Of {
                    claim,
                    number: 0,
                    id_rank: 0,
                })
                .collect();
            let every: Vec<Vec<&str>> = refs
                .iter()
                .map(|c| match &c.value {
                    Value::Quote(q) => q.split_whitespace().collect(),
                    _ => Vec::new(),
                })
                .collect();
            prop_assert_eq!(quote_claim_clusters(&refs), quote_clusters(&every));
        }
    }
}
