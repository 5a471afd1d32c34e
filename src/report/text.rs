//! The terminal report: one miette diagnostic per finding, with a related
//! diagnostic for each article's words.
//!
//! Arabic is laid out right to left by most terminals that handle it at all,
//! and miette underlines by logical column, left to right: the underline then
//! stands under the wrong words, and whole source lines run to thousands of
//! characters. So each snippet is a window of the sentence around the claim,
//! with the claim marked inline ⟦like this⟧; the underline is kept for the
//! terminals that draw it right.
use super::excerpts::{Ask, Quotes, Want};
use super::snippet::{Drawer, Shape, Window};
use super::TextOptions;
use crate::check::Report;
use crate::claim::{Claim, Evidence};
use crate::compare::{Finding, Kind, Severity};
use crate::explain::{self, Lang};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use std::fmt;

const OPEN: &str = "⟦";
const CLOSE: &str = "⟧";
/// Characters of context kept on each side of the marked words.
/// Columns miette's gutter takes (`  12 │ `), and a margin.
const GUTTER: usize = 10;

/// The words of one article as a diagnostic of their own.
pub(super) struct Snippet {
    pub title: String,
    pub src: Window,
    pub span: SourceSpan,
    pub label: String,
}

impl Snippet {
    /// The snippet as `Drawer` draws it.
    fn shape(&self) -> Shape<'_> {
        Shape {
            title: &self.title,
            name: &self.src.name,
            line: self.src.line + 1,
            text: &self.src.text,
            span: self.span.offset()..self.span.offset() + self.span.len(),
            label: &self.label,
        }
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}
impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}
impl std::error::Error for Snippet {}
impl Diagnostic for Snippet {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

struct FindingDiag {
    title: String,
    code: String,
    severity: Severity,
}

impl fmt::Debug for FindingDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}
impl fmt::Display for FindingDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}
impl std::error::Error for FindingDiag {}
impl Diagnostic for FindingDiag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
}

/// The snippet's words in one string, with the span marked; returns it and
/// the marked range inside it.
fn marked(c: super::Cut) -> (String, std::ops::Range<usize>) {
    let mut w = c.before;
    let m0 = w.len();
    w.push_str(OPEN);
    w.push_str(&c.words);
    w.push_str(CLOSE);
    let m1 = w.len();
    w.push_str(&c.after);
    (w, m0..m1)
}

/// What a part quotes but its words: whose they are, where, under which
/// label, and which of `Quotes`' snippets they are (none when there are no
/// words: the article could not be read again). Its title and name are
/// written when it is drawn (`Quoted::title`, `Quoted::name`).
struct Quoted<'r> {
    article: &'r str,
    part: Part<'r>,
    path: &'r str,
    span: &'r crate::claim::Span,
    label: String,
    words: Option<u32>,
}

impl Quoted<'_> {
    /// The line before the words', counted from 0.
    fn line(&self) -> usize {
        (self.span.line as usize).saturating_sub(1)
    }

    /// Writes, in `out`, the title above the words: whose they are and
    /// what they say ("a-daily: 16 · said by tokayev · as of 2022-01-10").
    fn title(&self, lang: Lang, out: &mut String) {
        match (self.part, lang) {
            // The title's value is the label when it is English.
            (Part::Claim(c, _), Lang::En) => claim_title(out, c, Lang::En, &self.label),
            (Part::Claim(c, _), lang) => {
                claim_title(out, c, lang, &short(explain::value(&c.value, lang)))
            }
            (Part::Anchor(a), lang) => {
                out.push_str(&a.article);
                out.push_str(match lang {
                    Lang::En => ": read against this day",
                    Lang::Ar => ": قُرئ بالنسبة إلى هذا اليوم",
                });
            }
            (Part::Evidence(ev), _) => out.push_str(&ev.article),
            (Part::Heading(_) | Part::End, _) => {}
        }
    }

    /// Writes, in `out`, where the words are: `path:line:col` (the
    /// numbers by `itoa`: `write!` took nearly a tenth of laying out a part).
    fn name(&self, out: &mut String) {
        let mut n = itoa::Buffer::new();
        out.push_str(self.path);
        out.push(':');
        out.push_str(n.format(self.span.line));
        out.push(':');
        out.push_str(n.format(self.span.column));
    }
}

/// The words `part` quotes, under `label`.
fn quoted<'r>(
    index: &Index<'r>,
    quotes: &Quotes,
    (k, part): (usize, Part<'r>),
    label: String,
) -> Option<Quoted<'r>> {
    let (article, span, _) = part.quotes()?;
    Some(Quoted {
        article,
        part,
        path: index.path(part).unwrap_or(article),
        span,
        label,
        words: quotes.snippet_of(k),
    })
}

/// The words `q` quotes, from `quotes`, as a diagnostic of their own, with
/// the title and name written in `room` above them.
fn snippet(quotes: &Quotes, q: &Quoted, room: Room) -> Snippet {
    let cut = q.words.map(|k| quotes.cut(k)).unwrap_or_default();
    let (w, marked) = marked(cut);
    Snippet {
        title: room.title,
        src: Window {
            name: room.name,
            text: w,
            line: q.line(),
        },
        span: SourceSpan::new(marked.start.into(), marked.end - marked.start),
        label: q.label.clone(),
    }
}

/// A label short enough to stand under the words (quotes can be long).
fn short(s: impl Into<String>) -> String {
    const MAX: usize = 40;
    let mut s = s.into();
    if s.char_indices().nth(MAX).is_some() {
        if let Some((cut, _)) = s.char_indices().nth(MAX - 1) {
            s.truncate(cut);
        }
        s.push('…');
    }
    s
}

/// Writes "a-daily: 16 · said by tokayev · as of 2022-01-10" in `t`, with
/// `value` the claim's value as `short(explain::value(..))` gives it.
fn claim_title(t: &mut String, c: &Claim, lang: Lang, value: &str) {
    let (said_by, as_of) = match lang {
        Lang::En => (" · said by ", " · as of "),
        Lang::Ar => (" · على لسان ", " · بتاريخ "),
    };
    t.push_str(&c.article);
    t.push_str(": ");
    t.push_str(value);
    if let Some(s) = &c.speaker {
        t.push_str(said_by);
        t.push_str(s);
    }
    if let Some(d) = &c.as_of {
        t.push_str(as_of);
        t.push_str(d);
    }
}

/// The claims of each finding, and the article of each claim, looked up
/// once per run (a finding names its claims by id, a claim its article
/// by id; the report is laid out in three passes over them).
struct Index<'r> {
    report: &'r Report,
    /// Each finding's claims, by their places in the report.
    claims: Vec<Box<[u32]>>,
    /// The article of each claim (by its place), as its place in the
    /// report (`NO_ARTICLE` for an article not in it).
    article_of: Vec<u32>,
    /// The articles' places by id (the last article of an id).
    articles: rustc_hash::FxHashMap<&'r str, u32>,
}

/// The article of a claim, anchor or evidence whose article is not in the
/// report (a claim's, which has no words).
const NO_ARTICLE: u32 = u32::MAX;

impl<'r> Index<'r> {
    fn new(report: &'r Report) -> Index<'r> {
        use rayon::prelude::*;
        let by_id = crate::check::ClaimIndex::new(&report.claims);
        let articles: rustc_hash::FxHashMap<&str, u32> = report
            .articles
            .iter()
            .zip(0..)
            .map(|(a, k)| (a.id.as_ref(), k))
            .collect();
        let place = |id: &str| articles.get(id).copied().unwrap_or(NO_ARTICLE);
        Index {
            report,
            claims: report
                .findings
                .par_iter()
                .map(|f| {
                    f.claims
                        .iter()
                        .filter_map(|id| Some(by_id.position(id)? as u32))
                        .collect()
                })
                .collect(),
            article_of: report
                .claims
                .par_iter()
                .map(|c| place(&c.article))
                .collect(),
            articles,
        }
    }

    /// The place in the report of the article `part` quotes.
    fn article(&self, part: Part) -> u32 {
        match part {
            Part::Claim(_, article) => article,
            Part::Anchor(ev) | Part::Evidence(ev) => self
                .articles
                .get(ev.article.as_str())
                .copied()
                .unwrap_or(NO_ARTICLE),
            Part::Heading(_) | Part::End => NO_ARTICLE,
        }
    }

    /// The path of the article `part` quotes, if it is in the report.
    fn path(&self, part: Part) -> Option<&'r str> {
        let a = self.report.articles.get(self.article(part) as usize)?;
        Some(a.path.as_str())
    }
}

/// What the report lays out on its own, in order: a finding's heading,
/// then the words of each article it rests on (a claim's sentence, the
/// day a date was read against, other evidence), then a blank line. A
/// finding can rest on a hundred thousand articles: its parts are laid
/// out a window at a time like everything else, never all at once. (A
/// claim comes with its article's place in the report, see `Index`.)
#[derive(Clone, Copy)]
enum Part<'r> {
    Heading(&'r Finding),
    Claim(&'r Claim, u32),
    Anchor(&'r Evidence),
    Evidence(&'r Evidence),
    End,
}

impl<'r> Part<'r> {
    /// The words of an article the part quotes: the article, the span, and
    /// the sentence around it, or none when the span's whole line is shown.
    fn quotes(
        self,
    ) -> Option<(
        &'r str,
        &'r crate::claim::Span,
        Option<std::ops::Range<u32>>,
    )> {
        match self {
            Part::Claim(c, _) => Some((c.article.as_str(), &c.span, Some(c.sentence.clone()))),
            Part::Anchor(ev) | Part::Evidence(ev) => Some((ev.article.as_str(), &ev.span, None)),
            Part::Heading(_) | Part::End => None,
        }
    }
}

/// What the text report of `report` quotes: each range of each article
/// (by its place in the report), with the part that shows it (the parts
/// counted over the whole report, in order), sorted; and how many parts
/// the report has. (Counted first, then filled in place, in parallel: a
/// report at scale asks millions.)
fn asked(report: &Report, index: &Index) -> (Vec<Ask>, usize) {
    use rayon::prelude::*;
    // What part `part` asks, if it quotes anything: of an article not in
    // the report, `NO_ARTICLE`.
    let ask = |part: Part| {
        let (_, span, sentence) = part.quotes()?;
        Some((index.article(part), Want::new(span, sentence)))
    };
    let counts: Vec<(usize, usize)> = report
        .findings
        .par_iter()
        .enumerate()
        .map(|f| {
            parts(index, f).fold((0, 0), |(n, asks), p| {
                (n + 1, asks + usize::from(p.quotes().is_some()))
            })
        })
        .collect();
    let mut all = vec![Ask::default(); counts.iter().map(|c| c.1).sum()];
    let mut rest = all.as_mut_slice();
    let mut first = 0;
    let slices: Vec<(&mut [Ask], usize)> = counts
        .iter()
        .map(|&(parts, asks)| {
            let (slice, after) = std::mem::take(&mut rest).split_at_mut(asks);
            rest = after;
            first += parts;
            (slice, first - parts)
        })
        .collect();
    report
        .findings
        .par_iter()
        .enumerate()
        .zip(slices)
        .for_each(|(f, (slice, first))| {
            let asks = parts(index, f).zip(first..).filter_map(|(p, k)| {
                let (article, want) = ask(p)?;
                Some(Ask {
                    article,
                    want,
                    part: k as u32,
                })
            });
            slice.iter_mut().zip(asks).for_each(|(slot, a)| *slot = a);
        });
    all.par_sort_unstable();
    // Those of no article come last: nothing is read for them.
    let asked = all.partition_point(|a| a.article != NO_ARTICLE);
    all.truncate(asked);
    (all, first)
}

/// The parts of finding `k`, `f`, in the order they are written.
fn parts<'i, 'r: 'i>(
    index: &'i Index<'r>,
    (k, f): (usize, &'r Finding),
) -> impl Iterator<Item = Part<'r>> + 'i {
    let claims = index.claims[k].iter().flat_map(|&p| {
        let c: &'r Claim = &index.report.claims[p as usize];
        let claim = Part::Claim(c, index.article_of[p as usize]);
        std::iter::once(claim).chain(c.anchors.iter().map(Part::Anchor))
    });
    std::iter::once(Part::Heading(f))
        .chain(claims)
        .chain(f.evidence.iter().map(Part::Evidence))
        .chain(std::iter::once(Part::End))
}

/// A part on its way to the page: its words found (`ready`, in
/// parallel), then, in the report's order, whether its finding showed the
/// same words already (`Seen`), then drawn (`draw`, in parallel).
enum Ready<'r> {
    /// A finding's heading, drawn.
    Heading(String),
    /// Nothing to draw but this: a finding's end, or nothing at all for a
    /// part that quotes no words.
    Drawn(&'static str),
    /// Words of an article, to draw.
    Quote(Quoted<'r>),
    /// Words the finding showed already for the article named.
    Repeat(Quoted<'r>, &'r str),
}

/// Finds what part `k` of the report, `part`, quotes, or lays it out
/// when it quotes nothing.
fn ready<'r>(
    report: &'r Report,
    index: &Index<'r>,
    quotes: &Quotes,
    handler: &GraphicalReportHandler,
    (k, part): (usize, Part<'r>),
) -> Ready<'r> {
    let label = match part {
        Part::End => return Ready::Drawn("\n"),
        Part::Heading(f) => {
            let d = FindingDiag {
                title: f.message.clone(),
                code: format!("{} {}", f.label(), f.key),
                severity: f.severity,
            };
            let mut out = String::new();
            if handler.render_report(&mut out, &d).is_err() {
                out = format!("{}\n", f.message);
            }
            return Ready::Heading(out);
        }
        // The label is the value as English has it.
        Part::Claim(c, _) => short(c.value.describe()),
        Part::Anchor(_) => match report.lang {
            Lang::En => "the day it was read against".into(),
            Lang::Ar => "اليوم الذي قُرئ بالنسبة إليه".into(),
        },
        Part::Evidence(ev) => short(&*ev.text),
    };
    let quoted = quoted(index, quotes, (k, part), label);
    quoted.map_or(Ready::Drawn(""), Ready::Quote)
}

/// The words of each article a finding has shown so far, with the label
/// under them, and the article: a finding that rests on a thousand copies
/// of one wire story draws its words once, and names the other copies.
#[derive(Default)]
struct Seen<'r>(hashbrown::HashTable<(u32, Box<str>, &'r str)>);

impl<'r> Seen<'r> {
    /// `part` as the finding shows it: a repeat when its words were shown
    /// already (the same snippet under the same label), else as it is.
    fn mark(&mut self, part: Ready<'r>) -> Ready<'r> {
        use std::hash::BuildHasher;
        let (q, words) = match part {
            Ready::Heading(h) => {
                self.0.clear();
                return Ready::Heading(h);
            }
            Ready::Quote(q) => match q.words {
                Some(words) => (q, words),
                None => return Ready::Quote(q),
            },
            other => return other,
        };
        let hash = |k: (u32, &str)| rustc_hash::FxBuildHasher.hash_one(k);
        let key = (words, q.label.as_str());
        let h = hash(key);
        if let Some(e) = self.0.find(h, |e| (e.0, &*e.1) == key) {
            let first = e.2;
            return Ready::Repeat(q, first);
        }
        self.0
            .insert_unique(h, (words, key.1.into(), q.article), |e| hash((e.0, &e.1)));
        Ready::Quote(q)
    }
}

/// Draws part `ready` of finding `f` at the end of `out`, with the words
/// `quotes` keeps; `room` is where its title and name are written first.
fn draw(
    lang: Lang,
    (handler, drawer): (&GraphicalReportHandler, &Drawer),
    quotes: &Quotes,
    f: &Finding,
    ready: &Ready,
    room: &mut Room,
    out: &mut String,
) {
    let q = match ready {
        Ready::Heading(drawn) => return out.push_str(drawn),
        Ready::Drawn(drawn) => return out.push_str(drawn),
        Ready::Repeat(q, _) | Ready::Quote(q) => q,
    };
    room.title.clear();
    q.title(lang, &mut room.title);
    room.name.clear();
    q.name(&mut room.name);
    if let Ready::Repeat(_, first) = ready {
        let (said, above) = explain::same_words(lang);
        let note = [said, " ", first, above];
        drawer.draw_repeat(out, &room.title, &room.name, q.line() + 1, &note);
        return;
    }
    // The words under their label, with their title above: drawn
    // directly in the usual shape, else by miette.
    let s = snippet(quotes, q, std::mem::take(room));
    let start = out.len();
    if !drawer.draw(out, &s.shape()) && handler.render_report(out, &s).is_err() {
        // Never with a string as the writer; the finding is still named.
        out.truncate(start);
        out.push_str(&f.message);
        out.push('\n');
    }
    // The room's strings back, to be written in again.
    (room.title, room.name) = (s.title, s.src.name);
}

/// Where a part's title and name are written before it is drawn, kept
/// from one part to the next.
#[derive(Default)]
struct Room {
    title: String,
    name: String,
}

/// What lays out the report's diagnostics, `width` columns wide.
pub(super) fn handler(theme: GraphicalTheme, width: usize) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .without_primary_span_start()
}

/// The text report, written into `out` finding by finding. `texts` gives
/// the articles' texts, of which the windows it quotes are kept
/// (`Excerpts`) before any finding is laid out.
pub(crate) fn write(
    report: &Report,
    opts: TextOptions,
    texts: &dyn super::ArticleTexts,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_with(report, opts, texts, w, true)
}

/// `write`, with words a finding showed already drawn again in full
/// rather than named (`collapse` false), for the tests to compare.
fn write_with<'r>(
    report: &'r Report,
    opts: TextOptions,
    texts: &dyn super::ArticleTexts,
    w: &mut dyn std::io::Write,
    collapse: bool,
) -> std::io::Result<()> {
    let index = Index::new(report);
    let columns = opts.width.saturating_sub(GUTTER);
    let (asks, count) = asked(report, &index);
    let ids: Vec<&str> = report.articles.iter().map(|a| a.id.as_ref()).collect();
    let quotes = Quotes::read(&asks, &ids, count, texts, &|_, _| columns);
    drop(asks);
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let drawer = Drawer::new(theme.clone(), opts.width);
    let handler = handler(theme, opts.width);
    // Each finding's heading, then each article's words as a diagnostic of
    // its own (so that miette neither prefixes nor re-wraps them), laid out
    // in parallel a window at a time and written in their order: the same
    // bytes as one by one, never the whole report in memory. While a window
    // is laid out (on rayon's threads), the one before it is written and
    // the one after it gathered.
    const WINDOW: usize = 4096;
    const DRAWN: usize = 32;
    let mut all = report
        .findings
        .iter()
        .enumerate()
        .flat_map(|(k, f)| parts(&index, (k, f)).map(move |p| (f, p)))
        .enumerate();
    let lay = |window: &[(usize, (&'r Finding, Part<'r>))], seen: &mut Seen<'r>| -> Vec<String> {
        use rayon::prelude::*;
        let ready: Vec<Ready> = window
            .par_iter()
            .map(|&(k, (_, p))| ready(report, &index, &quotes, &handler, (k, p)))
            .collect();
        let ready: Vec<Ready> = ready
            .into_iter()
            .map(|r| if collapse { seen.mark(r) } else { r })
            .collect();
        // Drawn a few parts at a time, each few into one string.
        window
            .par_chunks(DRAWN)
            .zip(ready.par_chunks(DRAWN))
            .map(|(parts, ready)| {
                let (mut out, mut room) = (String::new(), Room::default());
                for (&(_, (f, _)), r) in parts.iter().zip(ready) {
                    let both = (&handler, &drawer);
                    draw(report.lang, both, &quotes, f, r, &mut room, &mut out);
                }
                out
            })
            .collect()
    };
    let mut seen = Seen::default();
    let mut window: Vec<_> = all.by_ref().take(WINDOW).collect();
    let mut laid: Vec<String> = Vec::new();
    while !window.is_empty() || !laid.is_empty() {
        let (mut next, mut laying) = (Vec::with_capacity(WINDOW), Vec::new());
        let mut written = Ok(());
        rayon::in_place_scope(|s| {
            s.spawn(|_| laying = lay(&window, &mut seen));
            written = laid.iter().try_for_each(|t| w.write_all(t.as_bytes()));
            next.extend(all.by_ref().take(WINDOW));
        });
        written?;
        (window, laid) = (next, laying);
    }
    w.write_all(summary(report).as_bytes())?;
    match &report.baseline {
        Some(b) => w.write_all(baseline_line(b).as_bytes()),
        None => Ok(()),
    }
}

/// "3 accepted findings not shown (kzcheck.baseline.yaml); 1 accepted finding no longer found"
pub fn baseline_line(b: &crate::review::BaselineSummary) -> String {
    let mut s = format!(
        "{} accepted finding{} not shown ({})",
        b.accepted,
        if b.accepted == 1 { "" } else { "s" },
        b.file
    );
    if b.stale > 0 {
        s.push_str(&format!(
            "; {} accepted finding{} no longer found: run `kzcheck --accept` to update the baseline",
            b.stale,
            if b.stale == 1 { " is" } else { "s are" }
        ));
    }
    s.push('\n');
    s
}

/// "5 articles, 40 claims: 2 contradictions, 1 inconsistency, …"
pub fn summary(report: &Report) -> String {
    let count = |k: Kind| report.findings.iter().filter(|f| f.kind == k).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}: {}, {}, {}, {}, {}\n",
        plural(report.articles.len(), "article", "articles"),
        plural(report.claims.len(), "claim", "claims"),
        plural(
            count(Kind::Contradiction),
            "contradiction",
            "contradictions"
        ),
        plural(
            count(Kind::Inconsistency),
            "inconsistency",
            "inconsistencies"
        ),
        plural(count(Kind::Agreement), "agreement", "agreements"),
        plural(count(Kind::NameVariant), "name variant", "name variants"),
        plural(
            count(Kind::Uncorroborated),
            "uncorroborated claim",
            "uncorroborated claims"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    #[test]
    fn a_label_of_over_forty_letters_is_cut_to_forty() {
        let (forty, more) = ("ق".repeat(40), "ق".repeat(41));
        assert_eq!(short(forty.as_str()), forty);
        assert_eq!(short(more), format!("{}…", "ق".repeat(39)));
        assert_eq!(short(""), "");
    }

    fn rules() -> &'static crate::rules::Rules {
        static RULES: OnceLock<crate::rules::Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules")
        })
    }

    fn articles(texts: &[(String, String)]) -> Vec<crate::load::Article> {
        texts
            .iter()
            .filter_map(|(name, text)| crate::load::from_bytes(name, text.clone().into_bytes()).0)
            .collect()
    }

    /// The text report of `articles`, as written, and with every snippet
    /// drawn in full.
    fn both(report: &Report, texts: &HashMap<&str, &str>) -> (String, String) {
        let opts = TextOptions {
            color: false,
            width: 100,
        };
        let write = |collapse| {
            let mut out = Vec::new();
            write_with(report, opts, texts, &mut out, collapse).expect("written");
            String::from_utf8(out).expect("UTF-8")
        };
        (write(true), write(false))
    }

    /// The report with every snippet drawn in full, with each snippet whose
    /// words (line, underline and label: every line of its frame but the
    /// line's number) its finding drew already given as the report gives a
    /// repeat: its title, then its frame closed on its name, naming the
    /// first article drawn with those words.
    fn collapsed(full: &str, lang: Lang) -> String {
        let lines: Vec<&str> = full.split_inclusive('\n').collect();
        let (mut out, mut seen) = (String::new(), HashMap::<Vec<String>, String>::new());
        let mut k = 0;
        while k < lines.len() {
            let line = lines[k];
            if !line.starts_with(' ') && line.trim() != "" {
                seen.clear();
            }
            let framed = lines
                .get(k + 1)
                .is_some_and(|l| l.trim_start().starts_with("╭─["));
            if !(line.starts_with("  ☞ ") && framed) {
                out.push_str(line);
                k += 1;
                continue;
            }
            let end = (k + 2..lines.len())
                .find(|&j| lines[j].trim_start().starts_with("╰"))
                .expect("a frame ends");
            let body: Vec<String> = lines[k + 2..=end]
                .iter()
                .map(|l| {
                    l.trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit())
                        .to_string()
                })
                .collect();
            let article = line["  ☞ ".len()..]
                .split([':', '\n'])
                .next()
                .unwrap_or_default();
            out.push_str(line);
            match seen.get(&body) {
                Some(first) => {
                    let top = lines[k + 1].trim_end_matches('\n').replacen('╭', "╰", 1);
                    let note = match lang {
                        Lang::En => format!("the same words as {first}, above"),
                        Lang::Ar => format!("الكلمات نفسها كما في {first} أعلاه"),
                    };
                    out.push_str(&format!("{top} {note}\n"));
                }
                None => {
                    seen.insert(body, article.to_string());
                    lines[k + 1..=end].iter().for_each(|l| out.push_str(l));
                }
            }
            k = end + 1;
        }
        out
    }

    #[test]
    fn a_finding_draws_the_same_words_once_and_names_each_article_that_has_them() {
        // Four copies of one wire sentence (one a line lower), one in other
        // words, one with another figure.
        let wire = "وقال المتحدث إن القوة تضم 2030 جندياً من عدة دول.";
        let texts: Vec<(String, String)> = [
            ("a.md", format!("وصلت القوة صباح اليوم.\n{wire}\n")),
            ("b.md", format!("وصلت القوة صباح اليوم.\n{wire}\n")),
            (
                "c.md",
                format!("وصلت القوة صباح اليوم.\nسطر آخر.\n{wire}\n"),
            ),
            ("d.md", format!("وصلت القوة صباح اليوم.\n{wire}\n")),
            (
                "e.md",
                "وأكد مسؤول أن قوة قوامها 2030 جندياً انتشرت.\n".to_string(),
            ),
            ("f.md", format!("{}\n", wire.replace("2030", "2500"))),
            // The same length of words, the same place: other words.
            (
                "g.md",
                format!(
                    "وصلت القوة صباح اليوم.\n{}\n",
                    wire.replace("عدة دول", "دول عدة")
                ),
            ),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect();
        let articles = articles(&texts);
        let report = crate::check::check(&articles, rules());
        let texts: HashMap<&str, &str> = articles
            .iter()
            .map(|a| (a.id.as_str(), a.text.as_str()))
            .collect();
        let (short, full) = both(&report, &texts);
        let repeats: Vec<&str> = short
            .lines()
            .filter(|l| l.contains("the same words as"))
            .collect();
        // In each finding on the figure, b, c and d repeat a (a finding
        // with the three of them, and one with f, if any).
        assert!(!repeats.is_empty(), "{short}");
        for r in &repeats {
            assert!(r.ends_with("the same words as a, above"), "{r}");
            assert!(r.starts_with("   ╰─["), "{r}");
        }
        for (name, line) in [("b", 2), ("c", 3), ("d", 2)] {
            let at = format!("╰─[{name}.md:{line}:");
            assert!(repeats.iter().any(|r| r.contains(&at)), "{at} in {short}");
        }
        // The words are drawn once for a, e and f in each finding; the
        // repeats are all that changed.
        assert!(short.len() < full.len());
        assert_eq!(short, collapsed(&full, Lang::En));
        for (article, drawn) in [
            ("a", true),
            ("b", false),
            ("e", true),
            ("f", true),
            ("g", true),
        ] {
            let frame = format!("╭─[{article}.md:");
            assert_eq!(short.contains(&frame), drawn, "{article}: {short}");
        }
    }

    /// One wire sentence, the whole text of articles a, b and c.
    const WIRE: &str = "وقال المتحدث إن القوة تضم 2030 جندياً من عدة دول.\n";

    /// The report of articles a, b and c, each of `WIRE` alone.
    fn three_copies() -> Report {
        let texts: Vec<(String, String)> = ["a.md", "b.md", "c.md"]
            .iter()
            .map(|n| (n.to_string(), WIRE.to_string()))
            .collect();
        crate::check::check(&articles(&texts), rules())
    }

    #[test]
    fn an_article_that_cannot_be_read_again_is_never_said_to_repeat_another() {
        let wire = WIRE;
        let mut report = three_copies();
        // Only a can be read again: b and c show no words, and are drawn.
        let texts: HashMap<&str, &str> = HashMap::from_iter([("a", wire)]);
        let (short, full) = both(&report, &texts);
        assert_eq!(short, full);
        assert!(
            short.contains("╭─[b.md:") && short.contains("╭─[c.md:"),
            "{short}"
        );
        // With every article read, b and c repeat a, in Arabic too.
        let texts: HashMap<&str, &str> =
            HashMap::from_iter([("a", wire), ("b", wire), ("c", wire)]);
        report.lang = Lang::Ar;
        let (short, full) = both(&report, &texts);
        assert!(short.contains("╰─[c.md:1:"), "{short}");
        assert!(short.contains("الكلمات نفسها كما في a أعلاه"), "{short}");
        assert_eq!(short, collapsed(&full, Lang::Ar));
    }

    #[test]
    fn a_claim_of_an_article_not_in_the_report_shows_no_words() {
        let wire = WIRE;
        let mut report = three_copies();
        report.articles.retain(|a| a.id.as_str() != "b");
        let texts: HashMap<&str, &str> =
            HashMap::from_iter([("a", wire), ("b", wire), ("c", wire)]);
        let (short, full) = both(&report, &texts);
        // b is named by its id, drawn without words, never as a repeat of
        // another article's; c repeats a.
        assert!(short.contains("╭─[b:1:"), "{short}");
        assert!(!short.contains("╰─[b:1:"), "{short}");
        assert!(short.contains("╰─[c.md:1:"), "{short}");
        assert_eq!(short, collapsed(&full, Lang::En));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the articles, the report is the one with every snippet
        /// drawn in full, less the words each finding drew already: a
        /// repeat is never said of words that differ, and words drawn
        /// again are always given as a repeat.
        #[test]
        fn a_repeat_stands_for_exactly_the_words_drawn_above(
            picks in proptest::collection::vec(
                (0usize..3, 0usize..3, 0usize..2, any::<bool>()), 2..9),
            arabic in any::<bool>(),
        ) {
            let figures = ["2030", "2500", "13"];
            let sentences = [
                "وقال المتحدث إن القوة تضم {n} جندياً من عدة دول.",
                "وأكد مسؤول أن قوة قوامها {n} جندياً انتشرت في البلاد.",
                "وقالت الوزارة إن {n} شخصاً قتلوا في الاشتباكات.",
            ];
            let texts: Vec<(String, String)> = picks
                .iter()
                .enumerate()
                .map(|(i, &(s, n, lines, tail))| {
                    let mut t = "سطر أول.\n".repeat(lines);
                    // The words after the figure differ, not where it stands.
                    let tail = if tail { " أمس." } else { " ليلا." };
                    t.push_str(&sentences[s].replace("{n}", figures[n]).replace('.', tail));
                    t.push('\n');
                    (format!("w{i}.md"), t)
                })
                .collect();
            let articles = articles(&texts);
            let mut report = crate::check::check(&articles, rules());
            let lang = if arabic { Lang::Ar } else { Lang::En };
            report.lang = lang;
            let texts: HashMap<&str, &str> = articles
                .iter()
                .map(|a| (a.id.as_str(), a.text.as_str()))
                .collect();
            let (short, full) = both(&report, &texts);
            prop_assert_eq!(short, collapsed(&full, lang));
        }
    }
}
