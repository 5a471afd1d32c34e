//! The whole run: articles and rules in, a `Report` out. Calls each stage in
//! order and keeps nothing global; the binary and the tests both use it.
//! Articles are read and analysed in parallel batches, and only what the
//! comparison needs of each (its `Part`) is kept.
use crate::claim::{self, ArticleClaims, CalendarMismatch, Claim, Evidence, WeekdayMismatch};
use crate::compare::{self, Finding, NameUse};
use crate::extract::{Doc, Extracted, Extractor};
use crate::load::Article;
use crate::resolve::{window_from_years, ArticleDate, Calendar, DateSource};
use crate::rules::Rules;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// An article as the report lists it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ArticleInfo {
    pub id: crate::Shared,
    pub path: String,
    pub date: Option<String>,
    pub date_source: Option<DateSource>,
    /// News agencies the article credits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wire: Vec<String>,
    /// Other articles it shares near-identical sentences with (wire copy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares_copy_with: Vec<crate::Shared>,
}

/// The report's claims by id: a table of their places in the report, hashed
/// by id (about 10 bytes a claim, where a map of ids took some 48 at a
/// million claims). An id given to several claims (ids are unique as
/// `check` makes them, but a shard can be edited) stands for the last of
/// them, as in a map filled in the report's order, and `first` gives the
/// first.
pub struct ClaimIndex<'r> {
    claims: &'r [Box<Claim>],
    /// (first, last) places of each id.
    by_id: hashbrown::HashTable<(u32, u32)>,
}

/// The hash a claim's id is filed under.
fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl<'r> ClaimIndex<'r> {
    pub fn new(claims: &'r [Box<Claim>]) -> ClaimIndex<'r> {
        use rayon::prelude::*;
        let mut by_id: hashbrown::HashTable<(u32, u32)> =
            hashbrown::HashTable::with_capacity(claims.len());
        // The ids are hashed in parallel (reading each claim is most of
        // the work), then filed in order.
        let hashes: Vec<u64> = claims.par_iter().map(|c| id_hash(&c.id)).collect();
        // (A report of more than 4 billion claims is not indexed past that.)
        for ((k, c), h) in claims
            .iter()
            .enumerate()
            .take(u32::MAX as usize)
            .zip(hashes)
        {
            match by_id.find_mut(h, |&(f, _)| claims[f as usize].id == c.id) {
                Some(e) => e.1 = k as u32,
                None => {
                    by_id.insert_unique(h, (k as u32, k as u32), |&(f, _)| {
                        id_hash(&claims[f as usize].id)
                    });
                }
            }
        }
        ClaimIndex { claims, by_id }
    }

    /// The (first, last) places of the claims with id `id`.
    fn places(&self, id: &str) -> Option<(usize, usize)> {
        let claims = self.claims;
        let &(f, l) = self
            .by_id
            .find(id_hash(id), |&(f, _)| claims[f as usize].id.as_str() == id)?;
        Some((f as usize, l as usize))
    }

    /// The place in the report of the (last) claim with id `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        Some(self.places(id)?.1)
    }

    /// The place of the first claim with id `id`.
    pub fn first(&self, id: &str) -> Option<usize> {
        Some(self.places(id)?.0)
    }

    /// The (last) claim with id `id`.
    pub fn get(&self, id: &str) -> Option<&'r Claim> {
        Some(&self.claims[self.position(id)?])
    }
}

/// Everything a renderer needs.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub articles: Vec<ArticleInfo>,
    pub claims: Vec<Box<Claim>>,
    pub findings: Vec<Finding>,
    /// What the baseline of accepted findings left out, if one was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::review::BaselineSummary>,
    /// The language the report explains itself in.
    #[serde(skip)]
    pub lang: crate::explain::Lang,
    /// What could not be done, if anything: the report is then incomplete
    /// (wire copy, when the runs a run put in temporary files cannot be
    /// read back).
    #[serde(skip)]
    pub problems: Vec<String>,
}

/// One article after extraction.
pub struct Analysed<'a> {
    pub article: &'a Article,
    pub doc: Doc,
    pub extracted: Extracted,
}

impl<'a> Analysed<'a> {
    /// Normalizes, segments and extracts one article.
    pub fn new(article: &'a Article, ex: &Extractor) -> Analysed<'a> {
        let doc = ex.prepare(article.body_text());
        let extracted = ex.extract(&doc);
        Analysed {
            article,
            doc,
            extracted,
        }
    }

    /// `new` on several articles, extracted together (see
    /// `Extractor::extract_many`): the same for each as `new`.
    pub fn many(articles: &[&'a Article], ex: &Extractor) -> Vec<Analysed<'a>> {
        let docs: Vec<Doc> = articles.iter().map(|a| ex.prepare(a.body_text())).collect();
        let extracted = ex.extract_many(&docs.iter().collect::<Vec<_>>());
        articles
            .iter()
            .zip(docs)
            .zip(extracted)
            .map(|((article, doc), extracted)| Analysed {
                article,
                doc,
                extracted,
            })
            .collect()
    }
}

/// How many articles a thread reads and extracts together: enough that each
/// claim pattern runs on many sentences in a row (up to 64), few enough that
/// their texts take little memory and every thread gets several batches.
fn batch_size(articles: usize) -> usize {
    (articles / (rayon::current_num_threads() * 4)).clamp(1, 64)
}

/// Called as articles are done: (articles done, articles in all). Called
/// from several threads.
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>>);

impl Progress {
    pub fn new(f: impl Fn(usize, usize) + Send + Sync + 'static) -> Progress {
        Progress(Some(std::sync::Arc::new(f)))
    }
    fn tell(&self, done: usize, total: usize) {
        if let Some(f) = &self.0 {
            f(done, total)
        }
    }

    /// Tells one more article done (of `total`) each time it is called,
    /// from any thread.
    fn counter(&self, total: usize) -> impl Fn() + Sync + '_ {
        let done = std::sync::atomic::AtomicUsize::new(0);
        move || {
            self.tell(
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                total,
            )
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(..)"
        } else {
            "Progress(none)"
        })
    }
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The run's "today": no date without a year is put after its year.
    /// None: the latest explicit year in the corpus.
    pub today: Option<jiff::civil::Date>,
    /// The language of the explanations.
    pub lang: crate::explain::Lang,
    /// Claim rules not to run, by id (`disable:` in kzcheck.yaml).
    pub disabled: Vec<String>,
    /// Told as articles are analysed.
    pub progress: Progress,
}

/// What the comparison needs of one article, once its text is read: the
/// text itself is not kept, so memory grows with the claims.
pub struct Part {
    pub info: ArticleInfo,
    pub claims: Vec<Box<Claim>>,
    pub mismatches: Vec<WeekdayMismatch>,
    pub calendar: Vec<CalendarMismatch>,
    pub names: Vec<NameUse>,
    /// Hashes of the six-word runs of its sentences: what wire copy is
    /// found by.
    pub runs: crate::copy::Runs,
}

/// Runs the pipeline on loaded articles.
pub fn check(articles: &[Article], rules: &Rules) -> Report {
    check_with(articles, rules, &Options::default())
}

/// Runs the pipeline with options. Articles are analysed in parallel; the
/// report is the same whatever the number of threads or the order the
/// articles come in.
pub fn check_with(articles: &[Article], rules: &Rules, opts: &Options) -> Report {
    let (_, parts) = parts(articles, rules, opts);
    assemble(parts, rules, opts)
}

/// The first half of a run: every article analysed (in parallel), in path
/// order, with the calendar their dates were read on. `assemble` is the
/// second half; between the two, parts can be written out as shards.
pub fn parts(articles: &[Article], rules: &Rules, opts: &Options) -> (Calendar, Vec<Part>) {
    use rayon::prelude::*;
    let ex = Extractor::new(rules);
    let mut sorted: Vec<&Article> = articles.iter().collect();
    sorted.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
    let cal = calendar(&sorted, rules, opts, &ex);
    let tell = opts.progress.counter(sorted.len());
    let parts = sorted
        .par_chunks(batch_size(sorted.len()))
        .flat_map_iter(|batch| {
            let parts = analyse_many(batch, &ex, rules, &cal);
            batch.iter().for_each(|_| tell());
            parts
        })
        .collect();
    (cal, parts)
}

/// `parts` on files not yet read: each article is read, analysed and
/// dropped in turn (in parallel), so memory holds the claims, not the texts.
/// `stdin` is an article already read. Returns the calendar, the parts and
/// what went wrong reading files, in path order.
pub fn parts_from(
    sources: &[crate::load::Source],
    stdin: Option<&Article>,
    rules: &Rules,
    opts: &Options,
) -> (Calendar, Vec<Part>, Vec<crate::load::LoadError>) {
    use rayon::prelude::*;
    let ex = Extractor::new(rules);
    let total = sources.len() + usize::from(stdin.is_some());
    let cal = if rules.story.window.is_some() && opts.today.is_some() {
        calendar_of(Vec::new(), rules, opts)
    } else {
        // The window is read off the corpus: a first pass for its dates,
        // one article at a time, handed out in order and read ahead (the
        // window does not depend on the order they are read in).
        let mut dated: Vec<(Vec<i16>, Option<jiff::civil::Date>)> =
            crate::load::reading_ahead(sources, |begin| {
                sources
                    .iter()
                    .inspect(|_| begin(1))
                    .par_bridge()
                    .filter_map(|s| s.read().0)
                    .map(|a| (full_date_years(&a, &ex), a.meta.published))
                    .collect()
            });
        dated.extend(stdin.map(|a| (full_date_years(a, &ex), a.meta.published)));
        calendar_of(dated, rules, opts)
    };
    let tell = opts.progress.counter(total);
    // Files are read a batch at a time, and each batch's texts dropped once
    // analysed: memory holds the claims, not the texts. The runs by which
    // wire copy is found go to temporary files until the end.
    let spill = crate::copy::Spill::new();
    /// A batch's parts and read errors, with the batch's place.
    type Batch = (usize, (Vec<Part>, Vec<crate::load::LoadError>));
    // The batches are handed out in order (`par_bridge`), so that the
    // files can be read ahead of them, and put back in order after.
    let mut read: Vec<Batch> = crate::load::reading_ahead(sources, |begin| {
        sources
            .chunks(batch_size(sources.len()))
            .enumerate()
            .inspect(|(_, batch)| begin(batch.len()))
            .par_bridge()
            .map(|(k, batch)| {
                let mut articles = Vec::with_capacity(batch.len());
                let mut diagnostics = Vec::new();
                for s in batch {
                    let (article, mut d) = s.read();
                    articles.extend(article);
                    diagnostics.append(&mut d);
                }
                let articles: Vec<&Article> = articles.iter().collect();
                let mut parts = analyse_many(&articles, &ex, rules, &cal);
                if let Some(spill) = &spill {
                    spill.take(&mut parts.iter_mut().map(|p| &mut p.runs).collect::<Vec<_>>());
                }
                batch.iter().for_each(|_| tell());
                (k, (parts, diagnostics))
            })
            .collect()
    });
    read.sort_unstable_by_key(|(k, _)| *k);
    let mut parts = Vec::with_capacity(total);
    if let Some(a) = stdin {
        parts.push(analyse(a, &ex, rules, &cal));
        tell();
    }
    let mut diagnostics = Vec::new();
    for (_, (mut part, mut d)) in read {
        parts.append(&mut part);
        diagnostics.append(&mut d);
    }
    drop(ex);
    release_freed_memory();
    (cal, parts, diagnostics)
}

/// Gives the memory the analysis freed (texts, search caches) back to the
/// system before the comparison allocates its own. The binary allocates
/// with mimalloc, which keeps emptied pages a while; a program using the
/// library may use glibc's malloc, which keeps freed memory in the arena of
/// the thread that freed it, where other threads' blocks do not go. Both
/// are asked; the allocator not in use has nothing to give.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointer and only hands back pages
        // no block uses; glibc allows it at any time, from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
    // The binary's allocator is mimalloc. SAFETY: mi_collect takes no
    // pointer; it hands back the pages no block uses.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// The calendar dates are read on: the story's window (declared in the
/// rules, else read off the corpus's full dates) and the latest year a
/// date without one can be in. Reads the corpus only when the rules and
/// options do not settle both.
pub fn calendar(articles: &[&Article], rules: &Rules, opts: &Options, ex: &Extractor) -> Calendar {
    use rayon::prelude::*;
    let dated = if rules.story.window.is_some() && opts.today.is_some() {
        Vec::new()
    } else {
        articles
            .par_iter()
            .map(|a| (full_date_years(a, ex), a.meta.published))
            .collect()
    };
    calendar_of(dated, rules, opts)
}

/// The years of an article's full dates (day, month and year): only the
/// date scanner runs, and it finds the same dates as a full extraction.
fn full_date_years(a: &Article, ex: &Extractor) -> Vec<i16> {
    let doc = ex.prepare(a.body_text());
    ex.dates(&doc)
        .into_iter()
        .filter(|d| d.expr.day.is_some() && d.expr.month.is_some())
        .filter_map(|d| d.expr.year)
        .collect()
}

/// The calendar from each article's full-date years and published date.
fn calendar_of(
    dated: Vec<(Vec<i16>, Option<jiff::civil::Date>)>,
    rules: &Rules,
    opts: &Options,
) -> Calendar {
    let years: Vec<i16> = dated.iter().flat_map(|(y, _)| y.iter().copied()).collect();
    let window = rules.story.window.or_else(|| window_from_years(&years));
    let latest_year = opts
        .today
        .map(|d| d.year())
        .or_else(|| years.iter().max().copied())
        .or_else(|| dated.iter().filter_map(|(_, p)| *p).map(|d| d.year()).max());
    Calendar {
        window,
        latest_year,
    }
}

/// Reads one article: extraction, its date, its claims, the names it uses.
pub fn analyse(article: &Article, ex: &Extractor, rules: &Rules, cal: &Calendar) -> Part {
    part_of(Analysed::new(article, ex), ex, rules, cal)
}

/// `analyse` on several articles, extracted together: the same parts.
pub fn analyse_many(
    articles: &[&Article],
    ex: &Extractor,
    rules: &Rules,
    cal: &Calendar,
) -> Vec<Part> {
    Analysed::many(articles, ex)
        .into_iter()
        .map(|a| part_of(a, ex, rules, cal))
        .collect()
}

/// An article's part, from its extraction.
fn part_of(mut a: Analysed, ex: &Extractor, rules: &Rules, cal: &Calendar) -> Part {
    let article = a.article;
    let runs = std::mem::take(&mut a.extracted.runs);
    let date = article_date(&a, cal, &rules.lexicon.month_prepositions);
    let ArticleClaims {
        claims,
        mismatches,
        calendar_mismatches,
    } = claim::claims(
        rules,
        article,
        &a.doc,
        &a.extracted,
        date.as_ref(),
        cal,
        &ex.words,
    );
    let mut wire: Vec<String> = a
        .extracted
        .entities
        .iter()
        .filter(|e| rules.entities[e.entity].kind == "agency")
        .map(|e| rules.entities[e.entity].id.to_string())
        .collect();
    if let Some(w) = &article.meta.wire {
        wire.push(w.to_lowercase());
    }
    wire.sort();
    wire.dedup();
    // Name variants need each spelling's first use in an article only. A
    // mention whose original words were met before is the same spelling
    // again, and is passed over before its display form is worked out.
    let mentions = a.extracted.entities.len();
    let mut met = FxHashSet::with_capacity_and_hasher(mentions, Default::default());
    let mut spelled = FxHashSet::with_capacity_and_hasher(mentions, Default::default());
    let mut names = a
        .extracted
        .entities
        .iter()
        .filter(|e| {
            let orig = a.doc.norm.original_range(e.range.clone());
            let words = article.body_text().get(orig).unwrap_or("");
            met.insert((e.entity, words, e.variant_of.as_deref()))
        })
        .map(|e| {
            let ev = Evidence::from_norm_in(article, &a.doc, e.range.clone(), &ex.spellings);
            NameUse {
                entity: e.entity as u32,
                text: ev.text,
                span: ev.span,
                variant_of: e.variant_of.as_deref().map(|v| ex.spellings.get(v)),
            }
        })
        .filter(|u| {
            spelled.insert((
                u.entity,
                crate::normalize::display_form(&u.text),
                u.variant_of.clone(),
            ))
        })
        .collect::<Vec<_>>();
    names.shrink_to_fit();
    Part {
        info: ArticleInfo {
            id: article.id.clone(),
            path: article.path.clone(),
            date: date.as_ref().map(|d| d.date.to_string()),
            date_source: date.as_ref().map(|d| d.source),
            wire,
            shares_copy_with: Vec::new(),
        },
        // A part is kept until the end of the run. Each claim is boxed: the
        // run gathers all claims into one list, and moving pointers there
        // holds no second copy of them.
        claims: boxed(claims),
        mismatches,
        calendar: calendar_mismatches,
        names,
        runs: crate::copy::Runs::Kept(crate::copy::finish(runs)),
    }
}

/// Each item in a box of its own, in a list of just their number.
/// (`into_iter().map(Box::new).collect()` collects in place: the list of
/// boxes would keep the items' allocation, 36 pointers per claim.)
pub(crate) fn boxed<T>(
    items: impl IntoIterator<Item = T, IntoIter: ExactSizeIterator>,
) -> Vec<Box<T>> {
    let items = items.into_iter();
    let mut out = Vec::with_capacity(items.len());
    out.extend(items.map(Box::new));
    out
}

/// Compares the articles' parts: wire copy between them, then the findings.
pub fn assemble(parts: Vec<Part>, rules: &Rules, opts: &Options) -> Report {
    let (mut report, pending) = gather(parts, opts);
    report.findings = pending.findings(&report, rules);
    report
}

/// What a report's findings are worked out from, once its articles and
/// claims are gathered: the report can be written up to its findings
/// while they are (`report::json::write_while`).
pub struct Pending {
    mismatches: Vec<WeekdayMismatch>,
    calendar: Vec<CalendarMismatch>,
    names: Vec<Vec<NameUse>>,
}

impl Pending {
    /// The findings of `report` (the one `gather` gave with this), sorted.
    pub fn findings(self, report: &Report, rules: &Rules) -> Vec<Finding> {
        let mut findings = compare::compare(
            rules,
            &report.articles,
            &report.claims,
            &self.mismatches,
            self.names,
            report.lang,
        );
        findings.extend(compare::calendar_findings(&self.calendar, report.lang));
        compare::sort(&mut findings);
        findings
    }
}

/// The articles' parts put together: the report's articles (with the
/// wire copy they share) and its claims, sorted; no findings yet.
pub fn gather(mut parts: Vec<Part>, opts: &Options) -> (Report, Pending) {
    for p in &mut parts {
        p.claims
            .retain(|c| !opts.disabled.iter().any(|d| **d == *c.rule));
    }
    parts.sort_by(|a, b| (&a.info.path, &a.info.id).cmp(&(&b.info.path, &b.info.id)));
    let mut problems = Vec::new();
    let links = crate::copy::shared_copy(&parts.iter().map(|p| &p.runs).collect::<Vec<_>>())
        .unwrap_or_else(|e| {
            problems.push(format!(
                "wire copy was not looked for: its temporary files cannot be read back ({e})"
            ));
            vec![Vec::new(); parts.len()]
        });
    // Sized once: the claims of a large corpus are most of what a run
    // holds, and a vector grown by doubling holds them up to three times.
    let mut infos = Vec::with_capacity(parts.len());
    let mut all_claims = Vec::with_capacity(parts.iter().map(|p| p.claims.len()).sum());
    let mut mismatches = Vec::with_capacity(parts.iter().map(|p| p.mismatches.len()).sum());
    let mut calendar = Vec::new();
    let mut names = Vec::with_capacity(parts.len());
    let ids: Vec<crate::Shared> = parts.iter().map(|p| p.info.id.clone()).collect();
    for (part, links) in parts.into_iter().zip(links) {
        let mut info = part.info;
        info.shares_copy_with = links.into_iter().map(|k| ids[k].clone()).collect();
        infos.push(info);
        all_claims.extend(part.claims);
        mismatches.extend(part.mismatches);
        calendar.extend(part.calendar);
        names.push(part.names);
    }
    let report = Report {
        version: 1,
        articles: infos,
        claims: sorted_claims(all_claims),
        findings: Vec::new(),
        baseline: None,
        lang: opts.lang,
        problems,
    };
    let pending = Pending {
        mismatches,
        calendar,
        names,
    };
    (report, pending)
}

/// The claims sorted by key, subject, article and where they start, and
/// else in the order they come (a stable sort). The strings are ranked
/// first, each distinct one once, and the claims sorted by their ranks:
/// comparing a million claims' strings took several times longer.
fn sorted_claims<C>(claims: Vec<C>) -> Vec<C>
where
    C: std::ops::Deref<Target = Claim> + Sync,
{
    use rayon::prelude::*;
    /// Each distinct string's place among them.
    fn ranks<'a>(strings: impl Iterator<Item = &'a str>) -> rustc_hash::FxHashMap<&'a str, u32> {
        let mut distinct: Vec<&str> = strings.collect::<FxHashSet<_>>().into_iter().collect();
        distinct.sort_unstable();
        distinct.into_iter().zip(0..).collect()
    }
    let ((keys, subjects), articles) = rayon::join(
        || {
            rayon::join(
                || ranks(claims.iter().map(|c| c.key.as_str())),
                || ranks(claims.iter().filter_map(|c| c.subject.as_deref())),
            )
        },
        || ranks(claims.iter().map(|c| c.article.as_str())),
    );
    // No subject comes before every subject.
    let subject = |c: &Claim| c.subject.as_deref().map_or(0, |s| subjects[s] + 1);
    let mut order: Vec<(u32, u32, u32, u32, u32)> = claims
        .par_iter()
        .zip(0..u32::try_from(claims.len()).unwrap_or(u32::MAX))
        .map(|(c, i)| {
            (
                keys[c.key.as_str()],
                subject(c),
                articles[c.article.as_str()],
                c.span.start,
                i,
            )
        })
        .collect();
    order.par_sort_unstable();
    let mut slots: Vec<Option<C>> = claims.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(.., i)| slots[i as usize].take())
        .collect()
}

/// The article's date: front matter, else a dateline in the lead.
fn article_date(a: &Analysed, cal: &Calendar, event_words: &[String]) -> Option<ArticleDate> {
    if let Some(d) = a.article.meta.published {
        return Some(ArticleDate {
            date: d,
            source: DateSource::FrontMatter,
            dateline: None,
            anchor: published_value(a.article),
        });
    }
    // The lead: the first sentence of the story proper.
    let lead = a
        .doc
        .sentences
        .iter()
        .position(|s| !s.boilerplate && !s.heading)?;
    // A dateline: "اليوم الأربعاء 12 من كانون الثاني", "أعلنت الوزارة،
    // الخميس 14 يناير 2022، أن …", "القاهرة 12 يناير 2022 -": a full day
    // near the start of the lead, said as today, with its weekday, or
    // first thing; not an event's date ("في 6 يناير", "منذ 2 يناير").
    let lead_start = a.doc.sentences[lead].range.start;
    let text = &a.doc.norm.text;
    let m = a.extracted.dates.iter().find(|d| {
        if d.sentence != lead || d.expr.day.is_none() || d.expr.month.is_none() {
            return false;
        }
        let before = &text[lead_start..d.range.start];
        let words_before = before.split_whitespace().count();
        let prev = before.split_whitespace().last().unwrap_or("");
        let prev = prev.trim_matches(|c: char| !c.is_alphanumeric());
        let event = event_words
            .iter()
            .any(|w| w == prev || prev.strip_prefix('و') == Some(w.as_str()));
        let said_as_today = d.expr.relative == Some(0);
        let first_thing = words_before <= 2;
        !event && words_before <= 12 && (said_as_today || d.expr.weekday.is_some() || first_thing)
    })?;
    let r = cal.resolve(&m.expr, None);
    Some(ArticleDate {
        date: r.value?.date()?,
        source: DateSource::Dateline,
        dateline: Some(m.range.clone()),
        anchor: Some(Evidence::from_norm(a.article, &a.doc, m.range.clone())),
    })
}

/// The value of `published:` in the front matter, as evidence.
fn published_value(article: &Article) -> Option<Evidence> {
    let head = article.text.get(..article.body.start)?;
    let key = head.find("published:")?;
    let line_end = head[key..]
        .find('\n')
        .map(|i| key + i)
        .unwrap_or(head.len());
    let value = &head[key + "published:".len()..line_end];
    let start = key + "published:".len() + (value.len() - value.trim_start().len());
    let end = key + "published:".len() + value.trim_end().len();
    (start < end).then(|| Evidence {
        article: article.id.clone(),
        text: article.text[start..end].into(),
        span: crate::claim::Span::new(&article.text, start..end),
    })
}

/// A rule example that does not do what it says.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub text: String,
    pub problem: String,
}

/// Runs every rule's examples through the real pipeline (as a one-sentence
/// article with no date): each `match` example must give a claim of that
/// rule, with the value and subject it names; each `no_match` example none.
pub fn run_examples(rules: &Rules) -> Vec<ExampleFailure> {
    let ex = Extractor::new(rules);
    let cal = Calendar::default();
    let claims_for = |text: &str, rule: &str| -> Vec<Claim> {
        let article = Article {
            id: "example".into(),
            path: "example".into(),
            text: text.to_string(),
            body: 0..text.len(),
            meta: Default::default(),
        };
        let doc = ex.prepare(text);
        let extracted = ex.extract(&doc);
        claim::claims(rules, &article, &doc, &extracted, None, &cal, &ex.words)
            .claims
            .into_iter()
            .filter(|c| *c.rule == *rule)
            .collect()
    };
    let mut out = Vec::new();
    for r in &rules.claims {
        let fail = |text: &str, problem: String| ExampleFailure {
            rule: r.id.to_string(),
            file: r.file.clone(),
            line: r.line,
            text: text.to_string(),
            problem,
        };
        for e in &r.examples {
            let got = claims_for(&e.text, &r.id);
            if got.is_empty() {
                out.push(fail(&e.text, "no claim: the example does not match".into()));
                continue;
            }
            if let Some(want) = &e.value {
                let values: Vec<serde_json::Value> = got
                    .iter()
                    .filter_map(|c| serde_json::to_value(&c.value).ok())
                    .collect();
                if !values.contains(want) {
                    out.push(fail(
                        &e.text,
                        format!("value {want} expected, got {values:?}"),
                    ));
                }
            }
            if let Some(want) = &e.subject {
                if !got
                    .iter()
                    .any(|c| c.subject.as_deref() == Some(want.as_str()))
                {
                    let subjects: Vec<_> = got.iter().map(|c| c.subject.clone()).collect();
                    out.push(fail(
                        &e.text,
                        format!("subject {want} expected, got {subjects:?}"),
                    ));
                }
            }
        }
        for text in &r.no_match {
            let got = claims_for(text, &r.id);
            if !got.is_empty() {
                out.push(fail(
                    text,
                    format!("matched, but should not: «{}»", got[0].text),
                ));
            }
        }
    }
    out
}

/// A date or quantity mention, for `kzcheck extract`.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub article: crate::Shared,
    pub kind: &'static str,
    pub text: crate::Shared,
    pub span: crate::claim::Span,
    pub value: Option<crate::value::Value>,
    /// How a date was resolved; null for quantities and durations.
    pub resolved_by: Option<crate::resolve::ResolvedBy>,
}

/// Every date and quantity mention of the articles, in text order. Dates
/// are resolved against the article's own date (front matter or dateline),
/// else against `today`; no story window is used, so this reads any news.
pub fn mentions(
    articles: &[Article],
    rules: &Rules,
    today: Option<jiff::civil::Date>,
) -> Vec<Mention> {
    use crate::resolve::ResolvedBy;
    let ex = Extractor::new(rules);
    let cal = Calendar {
        window: None,
        latest_year: today.map(|d| d.year()),
    };
    let mut out = Vec::new();
    for article in articles {
        let a = Analysed::new(article, &ex);
        let own = article_date(&a, &cal, &rules.lexicon.month_prepositions).map(|d| d.date);
        let mut ms = Vec::new();
        for d in &a.extracted.dates {
            let (r, by_today) = match (own, today) {
                (Some(o), _) => (cal.resolve(&d.expr, Some(o)), false),
                (None, Some(t)) => (cal.resolve(&d.expr, Some(t)), true),
                (None, None) => (cal.resolve(&d.expr, None), false),
            };
            let by = match r.by {
                ResolvedBy::ArticleDate if by_today => ResolvedBy::Today,
                b => b,
            };
            let ev = Evidence::from_norm(article, &a.doc, d.range.clone());
            ms.push(Mention {
                article: article.id.clone(),
                kind: "date",
                text: ev.text,
                span: ev.span,
                value: r.value.map(crate::value::Value::Date),
                resolved_by: Some(by),
            });
        }
        for d in &a.extracted.durations {
            let ev = Evidence::from_norm(article, &a.doc, d.range.clone());
            ms.push(Mention {
                article: article.id.clone(),
                kind: "duration",
                text: ev.text,
                span: ev.span,
                value: Some(crate::value::Value::Duration(d.value.iso())),
                resolved_by: None,
            });
        }
        for q in &a.extracted.quantities {
            // A number that is part of a date is the date's.
            if a.extracted
                .dates
                .iter()
                .any(|d| d.range.start <= q.range.start && q.range.end <= d.range.end)
            {
                continue;
            }
            let ev = Evidence::from_norm(article, &a.doc, q.range.clone());
            ms.push(Mention {
                article: article.id.clone(),
                kind: "quantity",
                text: ev.text,
                span: ev.span,
                value: Some(crate::value::Value::Quantity(q.value.clone())),
                resolved_by: None,
            });
        }
        ms.sort_by_key(|m| (m.span.start, m.span.end));
        out.extend(ms);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Article, Options};
    /// The same words in two articles are one string in both articles'
    /// claims (claim words and quotes are interned).
    #[test]
    fn words_two_articles_share_are_kept_once() {
        use crate::value::Value;
        let rules = crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules");
        let text = std::fs::read_to_string("seeds/002_901cde79856b230e.txt").expect("a seed");
        let article = |id: &str| Article {
            id: id.into(),
            path: format!("{id}.txt"),
            body: 0..text.len(),
            text: text.clone(),
            meta: Default::default(),
        };
        let (_, parts) = super::parts(&[article("a"), article("b")], &rules, &Options::default());
        let (a, b) = (&parts[0].claims, &parts[1].claims);
        assert!(a.len() > 5 && a.len() == b.len());
        assert!(a.iter().any(|c| matches!(c.value, Value::Quote(_))));
        for (x, y) in a.iter().zip(b) {
            assert_eq!(x.text, y.text);
            assert!(arcstr::ArcStr::ptr_eq(&x.text, &y.text), "{}", x.text);
            if let (Value::Quote(p), Value::Quote(q)) = (&x.value, &y.value) {
                assert!(arcstr::ArcStr::ptr_eq(p, q), "{p}");
            }
        }
    }

    #[test]
    fn an_id_given_to_several_claims_stands_for_the_last_and_first_gives_the_first() {
        let rules = crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules");
        let loaded = crate::load::load(&[std::path::PathBuf::from("seeds")]);
        let report = super::check(&loaded.articles, &rules);
        let mut claims: Vec<Box<crate::claim::Claim>> =
            report.claims.iter().take(4).cloned().collect();
        assert_eq!(claims.len(), 4);
        claims[2].id = claims[0].id.clone();
        let ids = super::ClaimIndex::new(&claims);
        assert_eq!(ids.position(&claims[0].id), Some(2));
        assert_eq!(ids.first(&claims[0].id), Some(0));
        assert!(std::ptr::eq(ids.get(&claims[0].id).unwrap(), &*claims[2]));
        for k in [1, 3] {
            assert_eq!(ids.position(&claims[k].id), Some(k));
            assert_eq!(ids.first(&claims[k].id), Some(k));
        }
        assert!(ids.get("no such claim").is_none());
    }

    /// Claims sorted by their strings' ranks come in the order the stable
    /// sort on the strings gives: the seeds' claims, many times over, with
    /// keys, subjects and articles changed so that ties are many, in an
    /// order shuffled by a fixed seed.
    #[test]
    fn claims_sorted_by_ranks_are_sorted_by_their_strings() {
        let rules = crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules");
        let loaded = crate::load::load(&[std::path::PathBuf::from("seeds")]);
        let report = super::check(&loaded.articles, &rules);
        let mut claims = Vec::new();
        for round in 0..6 {
            for c in &report.claims {
                let mut c = c.clone();
                c.id = format!("{round}-{}", c.id).into();
                if round % 2 == 1 {
                    c.subject = None;
                }
                if round >= 4 {
                    c.article = "z".into();
                    c.key = c.key.split('.').next().unwrap_or("").into();
                }
                claims.push(c);
            }
        }
        // Fisher-Yates with a fixed linear congruential generator.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for i in (1..claims.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            claims.swap(i, (state >> 33) as usize % (i + 1));
        }
        let mut want = claims.clone();
        want.sort_by(|a, b| {
            (&a.key, &a.subject, &a.article, a.span.start).cmp(&(
                &b.key,
                &b.subject,
                &b.article,
                b.span.start,
            ))
        });
        let got = super::sorted_claims(claims);
        let ids =
            |v: &[Box<crate::claim::Claim>]| v.iter().map(|c| c.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&got), ids(&want));
    }

    /// Boxed items are listed in a list of just their number, whatever
    /// the size of an item (a list collected in place from the items'
    /// own would hold 36 pointers per claim-sized item).
    #[test]
    fn boxed_items_take_a_list_of_their_number() {
        let items = vec![[7u64; 36]; 11];
        let boxed = super::boxed(items);
        assert_eq!(boxed.len(), 11);
        assert_eq!(boxed.capacity(), 11);
        assert!(boxed.iter().all(|b| b[35] == 7));
    }
}
