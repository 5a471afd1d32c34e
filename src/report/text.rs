//! The terminal report: one miette diagnostic per finding, with a related
//! diagnostic for each article's words.
//!
//! Arabic is laid out right to left by most terminals that handle it at all,
//! and miette underlines by logical column, left to right: the underline then
//! stands under the wrong words, and whole source lines run to thousands of
//! characters. So each snippet is a window of the sentence around the claim,
//! with the claim marked inline ⟦like this⟧; the underline is kept for the
//! terminals that draw it right.
use super::excerpts::{Excerpts, Want};
use super::snippet::{Drawer, Shape, Window};
use super::TextOptions;
use crate::check::Report;
use crate::claim::{Claim, Evidence};
use crate::compare::{Finding, Kind, Severity};
use crate::explain::{self, Lang};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use std::collections::HashMap;
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

/// The words `part` quotes, as a diagnostic of their own.
fn snippet(
    paths: &HashMap<&str, &str>,
    texts: &Excerpts,
    part: Part,
    label: String,
    title: String,
) -> Option<Snippet> {
    let (article, span, sentence) = part.quotes()?;
    let (w, marked) = marked(texts.cut(article, Want::new(span, sentence)));
    let path = paths.get(article).copied().unwrap_or(article);
    Some(Snippet {
        title,
        src: Window {
            name: format!("{path}:{}:{}", span.line, span.column),
            text: w,
            line: (span.line as usize).saturating_sub(1),
        },
        span: SourceSpan::new(marked.start.into(), marked.end - marked.start),
        label,
    })
}

/// A label short enough to stand under the words (quotes can be long).
fn short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

fn claim_title(c: &Claim, lang: Lang) -> String {
    let mut t = c.article.to_string();
    t.push_str(": ");
    t.push_str(&short(&explain::value(&c.value, lang)));
    if let Some(s) = &c.speaker {
        t.push_str(&match lang {
            Lang::En => format!(" · said by {s}"),
            Lang::Ar => format!(" · على لسان {s}"),
        });
    }
    if let Some(d) = &c.as_of {
        t.push_str(&match lang {
            Lang::En => format!(" · as of {d}"),
            Lang::Ar => format!(" · بتاريخ {d}"),
        });
    }
    t
}

/// The report's claims and article paths by id, looked up once per run.
struct Index<'r> {
    claims: crate::check::ClaimIndex<'r>,
    paths: HashMap<&'r str, &'r str>,
}

impl<'r> Index<'r> {
    fn new(report: &'r Report) -> Index<'r> {
        Index {
            claims: crate::check::ClaimIndex::new(&report.claims),
            paths: report
                .articles
                .iter()
                .map(|a| (a.id.as_ref(), a.path.as_ref()))
                .collect(),
        }
    }

    /// The claim with id `id`.
    fn claim(&self, id: &str) -> Option<&'r Claim> {
        self.claims.get(id)
    }
}

/// What the report lays out on its own, in order: a finding's heading,
/// then the words of each article it rests on (a claim's sentence, the
/// day a date was read against, other evidence), then a blank line. A
/// finding can rest on a hundred thousand articles: its parts are laid
/// out a window at a time like everything else, never all at once.
#[derive(Clone, Copy)]
enum Part<'r> {
    Heading(&'r Finding),
    Claim(&'r Claim),
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
            Part::Claim(c) => Some((c.article.as_str(), &c.span, Some(c.sentence.clone()))),
            Part::Anchor(ev) | Part::Evidence(ev) => Some((ev.article.as_str(), &ev.span, None)),
            Part::Heading(_) | Part::End => None,
        }
    }
}

/// What the text report of `report` quotes, by article: the pieces
/// `Excerpts` keeps, each once (a claim in several findings is quoted the
/// same way in each).
fn wanted<'r>(report: &'r Report, index: &Index<'r>) -> Vec<(&'r str, Vec<Want>)> {
    use rayon::prelude::*;
    let articles: rustc_hash::FxHashMap<&str, u32> = report
        .articles
        .iter()
        .zip(0..)
        .map(|(a, k)| (a.id.as_ref(), k))
        .collect();
    // Every piece by the article's place: found in parallel, then sorted
    // (a claim of no article in the report has no words).
    let mut all: Vec<(u32, Want)> = report
        .findings
        .par_iter()
        .flat_map_iter(|f| {
            parts(index, f).filter_map(|part| {
                let (article, span, sentence) = part.quotes()?;
                Some((*articles.get(article)?, Want::new(span, sentence)))
            })
        })
        .collect();
    all.par_sort_unstable();
    all.dedup();
    all.chunk_by(|x, y| x.0 == y.0)
        .map(|run| {
            let article = report.articles[run[0].0 as usize].id.as_ref();
            (article, run.iter().map(|(_, w)| *w).collect())
        })
        .collect()
}

/// The parts of finding `f`, in the order they are written.
fn parts<'i, 'r: 'i>(index: &'i Index<'r>, f: &'r Finding) -> impl Iterator<Item = Part<'r>> + 'i {
    let claims = f
        .claims
        .iter()
        .filter_map(|id| index.claim(id))
        .flat_map(|c| std::iter::once(Part::Claim(c)).chain(c.anchors.iter().map(Part::Anchor)));
    std::iter::once(Part::Heading(f))
        .chain(claims)
        .chain(f.evidence.iter().map(Part::Evidence))
        .chain(std::iter::once(Part::End))
}

/// Lays out one part; `f` is the finding it belongs to.
fn lay_out(
    report: &Report,
    index: &Index,
    texts: &Excerpts,
    (handler, drawer): (&GraphicalReportHandler, &Drawer),
    (f, part): (&Finding, Part),
) -> String {
    // A part's words under their label, with their title above: drawn
    // directly in the usual shape, else by miette.
    let quote = |out: &mut String, label: String, title: String| match snippet(
        &index.paths,
        texts,
        part,
        label,
        title,
    ) {
        Some(s) if drawer.draw(out, &s.shape()) => Ok(()),
        Some(s) => handler.render_report(out, &s),
        None => Ok(()),
    };
    let mut out = String::new();
    let written = match part {
        Part::End => return "\n".to_string(),
        Part::Heading(f) => {
            let d = FindingDiag {
                title: f.message.clone(),
                code: format!("{} {}", f.label(), f.key),
                severity: f.severity,
            };
            handler.render_report(&mut out, &d)
        }
        Part::Claim(c) => quote(
            &mut out,
            short(&c.value.describe()),
            claim_title(c, report.lang),
        ),
        Part::Anchor(a) => match report.lang {
            Lang::En => quote(
                &mut out,
                "the day it was read against".into(),
                format!("{}: read against this day", a.article),
            ),
            Lang::Ar => quote(
                &mut out,
                "اليوم الذي قُرئ بالنسبة إليه".into(),
                format!("{}: قُرئ بالنسبة إلى هذا اليوم", a.article),
            ),
        },
        Part::Evidence(ev) => quote(&mut out, short(&ev.text), ev.article.to_string()),
    };
    if written.is_err() {
        // Never with a string as the writer; the finding is still named.
        out.clear();
        out.push_str(&f.message);
        out.push('\n');
    }
    out
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
    let index = Index::new(report);
    let columns = opts.width.saturating_sub(GUTTER);
    let quoted = Excerpts::read(wanted(report, &index), texts, &|_, _| columns);
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
    const WINDOW: usize = 256;
    let mut all = report
        .findings
        .iter()
        .flat_map(|f| parts(&index, f).map(move |p| (f, p)));
    let lay = |window: &[(&Finding, Part)]| -> Vec<String> {
        use rayon::prelude::*;
        window
            .par_iter()
            .map(|&p| lay_out(report, &index, &quoted, (&handler, &drawer), p))
            .collect()
    };
    let mut window: Vec<_> = all.by_ref().take(WINDOW).collect();
    let mut laid: Vec<String> = Vec::new();
    while !window.is_empty() || !laid.is_empty() {
        let (mut next, mut laying) = (Vec::with_capacity(WINDOW), Vec::new());
        let mut written = Ok(());
        rayon::in_place_scope(|s| {
            s.spawn(|_| laying = lay(&window));
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
