//! `--format html`: the report as one self-contained page for an editor.
//!
//! Nothing is loaded from anywhere: the styles are inline, the claim graph
//! is an inline SVG laid out here, and there is no script at all, so the page
//! carries a strict Content-Security-Policy ([`CSP`]). The filters by kind
//! and severity are checkboxes and CSS `:has()` rules.
//!
//! The page, top to bottom: a summary (counts per kind and severity, the
//! articles), the claim graph, one card per finding in report order (the
//! message, then each article's words side by side, each linking to its
//! place in the full text), and the full texts with every span highlighted
//! and anchored. Every piece of article text stands in an element with
//! `dir="rtl"`; every string from an article, a rule or a path is escaped.
//! The output depends on the report and the texts only, so it can be
//! snapshotted. The page never holds the texts: it reads each article once
//! for its cards' words (`excerpts`) and again to write its full text, and
//! shows a text that changed in between as changed.
use super::excerpts::{keep, ByArticle, Excerpts, Kept, Want, Windows};
use super::ArticleTexts;
use crate::check::{ArticleInfo, ClaimIndex, Report};
use crate::claim::{Claim, Evidence, Span};
use crate::compare::{Finding, Kind, Severity};
use crate::explain::{self, Lang};
use crate::graph::{self, Edge, Node};
use crate::resolve::DateSource;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::ops::Range;

/// The page's Content-Security-Policy: no script, no request, inline
/// styles and `data:` images only.
pub const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Characters of context kept on each side of a claim's words in a card.
const CONTEXT: usize = 60;

/// At most this many claims are drawn in the graph.
pub const MAX_GRAPH_CLAIMS: usize = 80;

const KINDS: [Kind; 5] = [
    Kind::Contradiction,
    Kind::Inconsistency,
    Kind::NameVariant,
    Kind::Agreement,
    Kind::Uncorroborated,
];
const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// Text escaped for HTML, in element content and in quoted attributes.
/// Control characters other than tab and newlines become U+FFFD.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let mut last = 0;
        for (i, c) in s.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' | '\n' | '\r' => continue,
                c if c.is_control() => "\u{FFFD}",
                _ => continue,
            };
            f.write_str(&s[last..i])?;
            f.write_str(rep)?;
            last = i + c.len_utf8();
        }
        f.write_str(&s[last..])
    }
}

/// `s` escaped for HTML.
pub fn escape(s: &str) -> String {
    Esc(s).to_string()
}

fn esc(s: &str) -> Esc<'_> {
    Esc(s)
}

fn t(lang: Lang, en: &'static str, ar: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ar => ar,
    }
}

fn kind_label(k: Kind, lang: Lang) -> &'static str {
    match k {
        Kind::Contradiction => t(lang, "Contradiction", "تناقض"),
        Kind::Inconsistency => t(lang, "Inconsistency", "تعارض داخلي"),
        Kind::NameVariant => t(lang, "Name variant", "اختلاف في كتابة اسم"),
        Kind::Agreement => t(lang, "Agreement", "اتفاق"),
        Kind::Uncorroborated => t(lang, "Uncorroborated", "من مصدر واحد"),
    }
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => t(lang, "Error", "خطأ"),
        Severity::Warning => t(lang, "Warning", "تنبيه"),
        Severity::Info => t(lang, "Info", "معلومة"),
    }
}

fn class_label(f: &Finding, lang: Lang) -> Option<&'static str> {
    use crate::compare::Class;
    f.class.map(|c| match c {
        Class::Conflict => t(lang, "conflict", "تعارض"),
        Class::Update => t(lang, "update", "تحديث"),
        Class::ReportedDispute => t(lang, "reported dispute", "خلاف منقول"),
        Class::Independent => t(lang, "independent sources", "مصادر مستقلة"),
        Class::Echo => t(lang, "echo of one source", "صدى لمصدر واحد"),
    })
}

/// `start..end` as a byte range of `text`, both ends on character
/// boundaries (moved back when inside a character), start ≤ end.
fn clamp(text: &str, (start, end): (usize, usize)) -> (usize, usize) {
    let floor = |i: usize| crate::load::floor_char_boundary(text, i);
    let a = floor(start);
    (a, floor(end).max(a))
}

/// The anchor id of a span of article number `art`.
fn span_id(art: usize, (a, b): (usize, usize)) -> String {
    format!("s{art}-{a}-{b}")
}

/// The front matter block (`---` … `---`) at the top of `text`, BOM and
/// all: the byte where the body starts, or 0.
fn body_start(text: &str) -> usize {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(first_end) = rest.find('\n') else {
        return 0;
    };
    if rest[..first_end].trim_end() != "---" {
        return 0;
    }
    let mut line_start = start + first_end + 1;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return (line_end + 1).min(text.len());
        }
        line_start = line_end + 1;
    }
    0
}

/// What a highlighted span of an article's text is marked with.
#[derive(Default)]
struct SpanInfo {
    /// The most severe finding resting on it.
    severity: Option<Severity>,
    /// The findings (numbered from 1) resting on it, in order, for the
    /// tooltip ("#3 contradiction security_forces.killed").
    notes: Vec<u32>,
}

/// The spans one article's text marks, as the report gives them (sorted,
/// each once), and the findings (numbered from 1) resting on each: kept
/// flat until the text is written, as a large report marks millions.
#[derive(Default)]
struct Marks {
    spans: Vec<(u32, u32)>,
    /// Where each span's findings start in `notes`, and where the last
    /// one's end.
    at: Vec<u32>,
    notes: Vec<u32>,
}

/// `v`, sorted, with each run of equal items as one: the front of it.
fn dedup<T: PartialEq + Copy>(v: &mut [T]) -> &[T] {
    let mut kept = 0;
    for i in 0..v.len() {
        if kept == 0 || v[i] != v[kept - 1] {
            v[kept] = v[i];
            kept += 1;
        }
    }
    &v[..kept]
}

impl Marks {
    /// `spans`, the sorted spans, with `on`: (a span's place in them, a
    /// finding on it; a place past them marks nothing).
    fn new(spans: Vec<(u32, u32)>, on: &mut [(u32, u32)]) -> Marks {
        on.sort_unstable();
        let on = dedup(on);
        let mut at = Vec::with_capacity(spans.len() + 1);
        let mut k = 0;
        for i in 0..=spans.len() as u32 {
            while k < on.len() && on[k].0 < i {
                k += 1;
            }
            at.push(k as u32);
        }
        Marks {
            spans,
            at,
            notes: on.iter().map(|&(_, n)| n).collect(),
        }
    }

    /// The spans as the text shows them: cut back to whole characters of
    /// it (`clamp`, which can make two spans one), each with the most
    /// severe of its findings and its findings in order.
    fn infos(
        &self,
        clamp: impl Fn((u32, u32)) -> (usize, usize),
        findings: &[Finding],
    ) -> BTreeMap<(usize, usize), SpanInfo> {
        let mut out: BTreeMap<(usize, usize), SpanInfo> = BTreeMap::new();
        for (i, &raw) in self.spans.iter().enumerate() {
            let info = out.entry(clamp(raw)).or_default();
            let notes = self.at.get(i..i + 2).map_or(&[][..], |r| {
                self.notes.get(r[0] as usize..r[1] as usize).unwrap_or(&[])
            });
            for &n in notes {
                let severity = findings.get(n as usize - 1).map(|f| f.severity);
                info.severity = info.severity.max(severity);
                info.notes.push(n);
            }
        }
        for info in out.values_mut() {
            info.notes.sort_unstable();
            info.notes.dedup();
        }
        out
    }
}

/// Why a piece of evidence is in a card.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A claim's words.
    Claim,
    /// The day a relative date was read against.
    Anchor,
    /// Words a finding rests on without a claim (name variants, weekdays).
    Words,
}

/// One piece of evidence in a card.
struct Item<'a> {
    ev: Evidence,
    claim: Option<&'a Claim>,
    role: Role,
    sentence: Option<Range<usize>>,
}

struct Page<'a> {
    report: &'a Report,
    texts: &'a dyn ArticleTexts,
    /// Per article: what its text was when the page was begun (None: it
    /// could not be read).
    seen: Vec<Option<Seen>>,
    /// The words the cards quote.
    excerpts: Excerpts,
    lang: Lang,
    art: HashMap<&'a str, usize>,
    claims: ClaimIndex<'a>,
    /// Per article (report order): its highlighted spans.
    marks: Vec<Marks>,
    /// Per article: the findings (1-based numbers) that rest on it, in order.
    findings_of: Vec<Vec<u32>>,
}

/// What an article's text was when the page was begun: enough to tell it
/// is the same when it is read again for the full texts, and the spans
/// that had to be cut back to it (a file can change between being checked
/// and being shown), never the text itself.
struct Seen {
    len: usize,
    hash: u64,
    /// Spans (as the report gives them) that are not a range of whole
    /// characters of the text, sorted, with the range they stand for.
    fixes: Vec<((u32, u32), (usize, usize))>,
}

impl Seen {
    fn of(text: &str, spans: &mut Vec<(u32, u32)>) -> Seen {
        spans.sort_unstable();
        spans.dedup();
        spans.shrink_to_fit();
        let fixes = spans
            .iter()
            .filter_map(|&(a, b)| {
                let raw = (a as usize, b as usize);
                let fixed = clamp(text, raw);
                (fixed != raw).then_some(((a, b), fixed))
            })
            .collect();
        Seen {
            len: text.len(),
            hash: fingerprint(text),
            fixes,
        }
    }

    fn is(&self, text: &str) -> bool {
        self.len == text.len() && self.hash == fingerprint(text)
    }
}

fn fingerprint(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl<'a> Page<'a> {
    fn new(report: &'a Report, texts: &'a dyn ArticleTexts, claims: ClaimIndex<'a>) -> Page<'a> {
        use rayon::prelude::*;
        let art: HashMap<&str, usize> = report
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_ref(), i))
            .collect();
        let mut page = Page {
            report,
            texts,
            seen: Vec::new(),
            excerpts: Excerpts::from_kept(ByArticle::default()),
            lang: report.lang,
            art,
            claims,
            marks: Vec::new(),
            findings_of: vec![Vec::new(); report.articles.len()],
        };
        // What the page asks of each article's text: the spans it marks, and
        // the snippets of the cards. Each text is read once here, in
        // parallel, and only the snippets' windows are kept; the full texts
        // are read again one by one when they are written.
        let mut spans: Vec<Vec<(u32, u32)>> = vec![Vec::new(); report.articles.len()];
        let mut wants: Vec<Vec<Want>> = vec![Vec::new(); report.articles.len()];
        let mut ask = |article: &str, span: &Span| {
            let k = page.art.get(article).copied()?;
            spans[k].push((span.start, span.end));
            Some(k)
        };
        for c in &report.claims {
            ask(&c.article, &c.span);
            for a in &c.anchors {
                ask(&a.article, &a.span);
            }
        }
        for f in &report.findings {
            for item in page.items(f) {
                if let Some(k) = ask(&item.ev.article, &item.ev.span) {
                    let sentence = item.sentence.map(|r| r.start as u32..r.end as u32);
                    wants[k].push(Want::new(&item.ev.span, sentence));
                }
            }
        }
        // Each finding's words asked of an article are one use of a span
        // there: where each article's uses start in one list.
        let mut starts = vec![0usize; report.articles.len() + 1];
        for (k, w) in wants.iter().enumerate() {
            starts[k + 1] = starts[k] + w.len();
        }
        let room = |text: &str, span: Range<usize>| {
            let (a, b) = clamp(text, (span.start, span.end));
            2 * CONTEXT + super::columns_of(&text[a..b])
        };
        let windows = Windows::default();
        let read: Vec<(Option<Seen>, Option<Kept>)> = report
            .articles
            .par_iter()
            .zip(spans.par_iter_mut())
            .zip(wants.into_par_iter())
            .map(|((a, spans), wants)| {
                let Some(text) = texts.text(&a.id) else {
                    spans.sort_unstable();
                    spans.dedup();
                    return (None, None);
                };
                let kept = (!wants.is_empty())
                    .then(|| keep(&text, wants, &room, &windows))
                    .flatten();
                (Some(Seen::of(&text, spans)), kept)
            })
            .collect();
        let mut kept = ByArticle::default();
        for (a, (seen, k)) in report.articles.iter().zip(read) {
            page.seen.push(seen);
            if let Some(k) = k {
                kept.insert(a.id.to_string(), k);
            }
        }
        page.excerpts = Excerpts::from_kept(kept);
        // Every span marked is in `spans`, sorted (the claims', their
        // anchors', the findings' words); the findings on each are noted
        // by its place there: (place, finding), filled into one list (a
        // large report has millions), the uses in the order asked.
        let mut on = vec![(0u32, 0u32); starts[report.articles.len()]];
        let mut next = starts.clone();
        for (n, f) in (1..).zip(&report.findings) {
            for item in page.items(f) {
                let Some(&k) = page.art.get(item.ev.article.as_str()) else {
                    continue;
                };
                // (Every span is there; one that were not would mark nothing.)
                let raw = (item.ev.span.start, item.ev.span.end);
                let place = spans[k].binary_search(&raw).map_or(u32::MAX, |i| i as u32);
                on[next[k]] = (place, n);
                next[k] += 1;
                if page.findings_of[k].last() != Some(&n) {
                    page.findings_of[k].push(n);
                }
            }
        }
        let mut each: Vec<&mut [(u32, u32)]> = Vec::with_capacity(report.articles.len());
        let mut rest = &mut on[..];
        for k in 0..report.articles.len() {
            let (one, more) = rest.split_at_mut(starts[k + 1] - starts[k]);
            each.push(one);
            rest = more;
        }
        page.marks = spans
            .into_par_iter()
            .zip(each)
            .map(|(spans, on)| Marks::new(spans, on))
            .collect();
        page
    }

    /// `span` of article `k` as a range of whole characters of its text
    /// (empty at the start when the text could not be read).
    fn clamp(&self, k: usize, span: &Span) -> (usize, usize) {
        self.clamp_raw(k, (span.start, span.end))
    }

    /// `clamp` of a span given as its two offsets.
    fn clamp_raw(&self, k: usize, raw: (u32, u32)) -> (usize, usize) {
        let Some(Some(seen)) = self.seen.get(k) else {
            return (0, 0);
        };
        match seen.fixes.binary_search_by_key(&raw, |f| f.0) {
            Ok(i) => seen.fixes[i].1,
            Err(_) => (raw.0 as usize, raw.1 as usize),
        }
    }

    /// A finding's evidence in the text report's order: each claim and the
    /// days it was read against, then the words it rests on.
    fn items(&self, f: &Finding) -> Vec<Item<'a>> {
        let mut out = Vec::new();
        for id in &f.claims {
            let Some(c) = self.claims.get(id.as_str()) else {
                continue;
            };
            out.push(Item {
                ev: Evidence {
                    article: c.article.clone(),
                    text: c.text.clone(),
                    span: c.span.clone(),
                },
                claim: Some(c),
                role: Role::Claim,
                sentence: Some(c.sentence_range()),
            });
            for a in &c.anchors {
                out.push(Item {
                    ev: a.clone(),
                    claim: None,
                    role: Role::Anchor,
                    sentence: None,
                });
            }
        }
        for ev in &f.evidence {
            out.push(Item {
                ev: ev.clone(),
                claim: None,
                role: Role::Words,
                sentence: None,
            });
        }
        out
    }

    fn path(&self, article: &'a str) -> &'a str {
        self.art
            .get(article)
            .map(|&k| self.report.articles[k].path.as_str())
            .unwrap_or(article)
    }
}

/// Renders the page. `texts` gives each article's original text by id.
pub fn render(report: &Report, texts: &dyn ArticleTexts) -> String {
    super::to_string(|w| write(report, texts, w))
}

/// What the page has laid out so far is handed to the writer once it
/// holds this many bytes: the page of a large corpus is far larger than
/// the report it shows, and is never held whole.
const CHUNK: usize = 1 << 20;

/// Where the page goes as it is laid out: `sink(o, last)` hands `o` over
/// (and empties it) once it holds a chunk, and whatever it holds when
/// `last`.
type Sink<'s> = dyn FnMut(&mut String, bool) + 's;

/// Hands `o` over if it holds a chunk.
fn spill(o: &mut String, sink: &mut Sink) {
    sink(o, false);
}

/// Writes the page into `out`, a chunk at a time, as `render` gives it.
pub fn write(
    report: &Report,
    texts: &dyn ArticleTexts,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_chunked(report, texts, out, CHUNK)
}

/// `write`, handing over `chunk` bytes at a time.
fn write_chunked(
    report: &Report,
    texts: &dyn ArticleTexts,
    out: &mut dyn std::io::Write,
    chunk: usize,
) -> std::io::Result<()> {
    let mut failed: Option<std::io::Error> = None;
    let mut sink = |o: &mut String, last: bool| {
        if o.len() < chunk && !last {
            return;
        }
        if failed.is_none() {
            if let Err(e) = out.write_all(o.as_bytes()) {
                failed = Some(e);
            }
        }
        o.clear();
        // What a large piece took is not kept for the rest.
        if o.capacity() > 4 * chunk {
            o.shrink_to(chunk);
        }
    };
    page(report, texts, &mut sink);
    failed.map_or(Ok(()), Err)
}

/// Lays out the page, handing it to `sink` piece by piece.
fn page(report: &Report, texts: &dyn ArticleTexts, sink: &mut Sink) {
    // The graph's claims are picked first: the whole claim graph is large,
    // and is dropped before the page's own tables are built.
    let claims = ClaimIndex::new(&report.claims);
    let pick = pick(report, &claims);
    let page = Page::new(report, texts, claims);
    let lang = page.lang;
    let mut o = String::with_capacity(64 * 1024);
    let (code, dir) = match lang {
        Lang::En => ("en", "ltr"),
        Lang::Ar => ("ar", "rtl"),
    };
    let title = t(lang, "kzcheck report", "تقرير kzcheck");
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{code}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <meta name=\"generator\" content=\"kzcheck {}\">\n\
         <title>{title}: {}</title>\n<style>\n{}{}</style>\n</head>\n<body>\n",
        esc(CSP),
        env!("CARGO_PKG_VERSION"),
        esc(&totals(&page)),
        STYLE,
        filter_css(),
    );
    let _ = writeln!(
        o,
        "<nav class=\"top\" aria-label=\"{}\"><span class=\"brand\">kzcheck</span>\
         <a href=\"#summary\">{}</a><a href=\"#graph\">{}</a><a href=\"#findings\">{}</a><a href=\"#texts\">{}</a></nav>",
        t(lang, "Sections", "الأقسام"),
        t(lang, "Summary", "الملخص"),
        t(lang, "Claim graph", "شبكة الادعاءات"),
        t(lang, "Findings", "الملاحظات"),
        t(lang, "Article texts", "نصوص المقالات"),
    );
    let _ = write!(
        o,
        "<main>\n<header class=\"page\"><h1>{}</h1><p class=\"totals\">{}</p>\
         <p class=\"print-note\">{}</p></header>\n",
        t(lang, "Fact-consistency report", "تقرير اتساق الوقائع"),
        esc(&totals(&page)),
        t(
            lang,
            "Filtered: some findings are not shown.",
            "مُصفّى: بعض الملاحظات غير معروضة."
        ),
    );
    summary(&mut o, &page, sink);
    graph_svg(&mut o, &page, &pick, sink);
    findings(&mut o, &page, sink);
    article_texts(&mut o, &page, sink);
    let _ = write!(
        o,
        "</main>\n<footer><p>{} kzcheck {}.</p></footer>\n</body>\n</html>\n",
        t(lang, "Made by", "أعدّه"),
        env!("CARGO_PKG_VERSION"),
    );
    sink(&mut o, true);
}

fn totals(page: &Page) -> String {
    let r = page.report;
    let (a, c, f) = (r.articles.len(), r.claims.len(), r.findings.len());
    match page.lang {
        Lang::En => format!(
            "{a} article{} · {c} claim{} · {f} finding{}",
            if a == 1 { "" } else { "s" },
            if c == 1 { "" } else { "s" },
            if f == 1 { "" } else { "s" },
        ),
        Lang::Ar => format!("المقالات: {a} · الادعاءات: {c} · الملاحظات: {f}"),
    }
}

/// The `:has()` rules that hide the cards of an unchecked kind or severity.
fn filter_css() -> String {
    let mut s = String::from("@media screen {\n");
    let mut sel: Vec<String> = Vec::new();
    for k in KINDS {
        let k = k.as_str();
        sel.push(format!("body:has(#fk-{k}:not(:checked)) .card.kind-{k}"));
    }
    for v in SEVERITIES {
        let v = v.as_str();
        sel.push(format!("body:has(#fs-{v}:not(:checked)) .card.sev-{v}"));
    }
    s.push_str(&sel.join(",\n"));
    s.push_str(" { display: none; }\n}\n");
    s
}

fn summary(o: &mut String, page: &Page, sink: &mut Sink) {
    let lang = page.lang;
    let r = page.report;
    let _ = write!(
        o,
        "<section id=\"summary\" class=\"block\">\n<h2>{}</h2>\n<div class=\"summary-grid\">\n",
        t(lang, "Summary", "الملخص")
    );
    // Counts per kind and severity.
    let _ = write!(
        o,
        "<table class=\"counts\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th>",
        t(
            lang,
            "Findings by kind and severity",
            "الملاحظات حسب النوع والخطورة"
        ),
        t(lang, "Kind", "النوع"),
    );
    for s in SEVERITIES {
        let _ = write!(
            o,
            "<th scope=\"col\" class=\"num\"><span class=\"dot sev-{}\"></span>{}</th>",
            s.as_str(),
            severity_label(s, lang)
        );
    }
    let _ = write!(
        o,
        "<th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        t(lang, "Total", "المجموع")
    );
    let count = |k: Option<Kind>, s: Option<Severity>| {
        r.findings
            .iter()
            .filter(|f| k.is_none_or(|k| f.kind == k) && s.is_none_or(|s| f.severity == s))
            .count()
    };
    let cell = |n: usize| {
        if n == 0 {
            "<td class=\"num zero\">0</td>".to_string()
        } else {
            format!("<td class=\"num\">{n}</td>")
        }
    };
    for k in KINDS {
        let _ = write!(
            o,
            "<tr><th scope=\"row\"><span class=\"kind-tag kind-{}\">{}</span></th>",
            k.as_str(),
            kind_label(k, lang)
        );
        for s in SEVERITIES {
            o.push_str(&cell(count(Some(k), Some(s))));
        }
        let _ = writeln!(
            o,
            "<td class=\"num total\">{}</td></tr>",
            count(Some(k), None)
        );
    }
    let _ = write!(
        o,
        "</tbody>\n<tfoot><tr><th scope=\"row\">{}</th>",
        t(lang, "Total", "المجموع")
    );
    for s in SEVERITIES {
        let _ = write!(o, "<td class=\"num\">{}</td>", count(None, Some(s)));
    }
    let _ = write!(
        o,
        "<td class=\"num total\">{}</td></tr></tfoot>\n</table>\n",
        r.findings.len()
    );
    if let Some(b) = &r.baseline {
        let _ = writeln!(
            o,
            "<p class=\"baseline\">{} <code dir=\"ltr\">{}</code>{}</p>",
            match lang {
                Lang::En => format!("{} accepted findings not shown: reviewed in", b.accepted),
                Lang::Ar => format!("{} ملاحظة مقبولة غير معروضة: رُوجعت في", b.accepted),
            },
            esc(&b.file),
            match (b.stale, lang) {
                (0, _) => String::new(),
                (n, Lang::En) => format!("; {n} accepted findings are no longer found"),
                (n, Lang::Ar) => format!("؛ {n} ملاحظة مقبولة لم تعد موجودة"),
            }
        );
    }

    // The articles.
    let _ = write!(
        o,
        "<div class=\"table-wrap\"><table class=\"articles\">\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">{}</th>\
         <th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        t(lang, "Articles", "المقالات"),
        t(lang, "Article", "المقالة"),
        t(lang, "Path", "المسار"),
        t(lang, "Date", "التاريخ"),
        t(lang, "Agencies (wire)", "الوكالات"),
        t(lang, "Shares copy with", "يتقاسم النص مع"),
        t(lang, "Claims", "الادعاءات"),
        t(lang, "Findings", "الملاحظات"),
    );
    let mut claims_of: HashMap<&str, usize> = HashMap::new();
    for c in &r.claims {
        *claims_of.entry(c.article.as_ref()).or_default() += 1;
    }
    for (i, a) in r.articles.iter().enumerate() {
        let claims = claims_of.get(a.id.as_str()).copied().unwrap_or(0);
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><a href=\"#a{i}\"><code dir=\"ltr\">{}</code></a></th><td><code dir=\"ltr\" class=\"path\">{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{claims}</td><td class=\"num\">{}</td></tr>",
            esc(&a.id),
            esc(&a.path),
            date_cell(a, lang),
            list_or_dash(a.wire.iter().map(|w| format!("<span class=\"tag\" dir=\"ltr\">{}</span>", esc(w)))),
            list_or_dash(a.shares_copy_with.iter().map(|s| match page.art.get(s.as_str()) {
                Some(k) => format!("<a href=\"#a{k}\"><code dir=\"ltr\">{}</code></a>", esc(s)),
                None => format!("<code dir=\"ltr\">{}</code>", esc(s)),
            })),
            page.findings_of[i].len(),
        );
        spill(o, sink);
    }
    o.push_str("</tbody>\n</table></div>\n</div>\n</section>\n");
}

fn date_cell(a: &ArticleInfo, lang: Lang) -> String {
    match &a.date {
        None => format!(
            "<span class=\"muted\">{}</span>",
            t(lang, "unknown", "غير معروف")
        ),
        Some(d) => {
            let source = match a.date_source {
                Some(DateSource::FrontMatter) => t(lang, "front matter", "البيانات الوصفية"),
                Some(DateSource::Dateline) => t(lang, "dateline", "سطر التاريخ"),
                None => t(lang, "unknown source", "مصدر غير معروف"),
            };
            format!(
                "<span dir=\"ltr\" class=\"date\">{}</span> <span class=\"muted src\">({source})</span>",
                esc(d)
            )
        }
    }
}

fn list_or_dash(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    if v.is_empty() {
        "<span class=\"muted\">—</span>".into()
    } else {
        v.join(" ")
    }
}

/// The findings: the filters, then one card per finding.
fn findings(o: &mut String, page: &Page, sink: &mut Sink) {
    let lang = page.lang;
    let r = page.report;
    let _ = write!(
        o,
        "<section id=\"findings\" class=\"block\">\n<h2>{}</h2>\n",
        t(lang, "Findings", "الملاحظات")
    );
    // The filters: checkboxes the CSS reads with :has().
    let _ = write!(
        o,
        "<div class=\"filters\">\n<fieldset><legend>{}</legend>",
        t(lang, "Severity", "الخطورة")
    );
    for s in SEVERITIES {
        let n = r.findings.iter().filter(|f| f.severity == s).count();
        let _ = write!(
            o,
            "<label class=\"chip sev-{v}\" for=\"fs-{v}\"><input type=\"checkbox\" id=\"fs-{v}\" checked><span class=\"dot sev-{v}\"></span>{} <span class=\"n\">{n}</span></label>",
            severity_label(s, lang),
            v = s.as_str()
        );
    }
    let _ = write!(
        o,
        "</fieldset>\n<fieldset><legend>{}</legend>",
        t(lang, "Kind", "النوع")
    );
    for k in KINDS {
        let n = r.findings.iter().filter(|f| f.kind == k).count();
        let _ = write!(
            o,
            "<label class=\"chip kind-{v}{}\" for=\"fk-{v}\"><input type=\"checkbox\" id=\"fk-{v}\" checked>{} <span class=\"n\">{n}</span></label>",
            if n == 0 { " none" } else { "" },
            kind_label(k, lang),
            v = k.as_str()
        );
    }
    o.push_str("</fieldset>\n</div>\n<div class=\"cards\">\n");
    if r.findings.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"empty\">{}</p>",
            t(lang, "No finding: nothing to compare.", "لا ملاحظات.")
        );
    }
    for (i, f) in r.findings.iter().enumerate() {
        card(o, page, i + 1, f, sink);
        spill(o, sink);
    }
    let _ = write!(
        o,
        "<p class=\"shown\" aria-live=\"polite\">{}</p>\n</div>\n</section>\n",
        match lang {
            Lang::En => format!(
                "<span class=\"count\"></span> of {} finding{} shown",
                r.findings.len(),
                if r.findings.len() == 1 { "" } else { "s" }
            ),
            Lang::Ar => format!(
                "المعروض: <span class=\"count\"></span> من أصل {}",
                r.findings.len()
            ),
        }
    );
}

fn card(o: &mut String, page: &Page, n: usize, f: &Finding, sink: &mut Sink) {
    let lang = page.lang;
    let _ = write!(
        o,
        "<article class=\"card kind-{k} sev-{s}\" id=\"f{n}\" data-kind=\"{k}\" data-severity=\"{s}\">\n<header class=\"card-head\">\
         <a class=\"num\" href=\"#f{n}\">#{n}</a><span class=\"badge sev-{s}\">{}</span><span class=\"kind-tag kind-{k}\">{}{}</span>\
         <code class=\"key\" dir=\"ltr\">{}</code>",
        severity_label(f.severity, lang),
        kind_label(f.kind, lang),
        class_label(f, lang)
            .map(|c| format!(" · {c}"))
            .unwrap_or_default(),
        esc(&f.key),
        k = f.kind.as_str(),
        s = f.severity.as_str(),
    );
    if let Some(s) = &f.subject {
        let _ = write!(
            o,
            "<span class=\"subject\">{} <code dir=\"ltr\">{}</code></span>",
            t(lang, "about", "عن"),
            esc(s)
        );
    }
    let _ = write!(
        o,
        "</header>\n<p class=\"msg\" dir=\"{}\">{}</p>\n<div class=\"evidence\">\n",
        match lang {
            Lang::En => "ltr",
            Lang::Ar => "rtl",
        },
        message(&f.message, lang)
    );
    // A finding can rest on thousands of articles: its card is handed
    // on as it is laid out. Words it has shown already (a wire story's
    // copies) are named, not shown again, as in the text report.
    let mut shown = Shown::default();
    for item in page.items(f) {
        evidence(o, page, &item, &mut shown);
        spill(o, sink);
    }
    o.push_str("</div>\n</article>\n");
}

/// A finding's message, escaped, in the interface's direction: each
/// «quoted» piece is isolated in a `<bdi>` so Arabic words inside an English
/// sentence keep their order, and in an Arabic sentence so are the Latin
/// identifiers (article ids, keys, speakers).
fn message(m: &str, lang: Lang) -> String {
    let mut out = String::new();
    let mut rest = m;
    while let Some(i) = rest.find('«') {
        let Some(j) = rest[i..].find('»').map(|j| i + j + '»'.len_utf8()) else {
            break;
        };
        plain_part(&mut out, &rest[..i], lang);
        let _ = write!(out, "<bdi>{}</bdi>", esc(&rest[i..j]));
        rest = &rest[j..];
    }
    plain_part(&mut out, rest, lang);
    out
}

fn plain_part(out: &mut String, s: &str, lang: Lang) {
    if lang == Lang::En {
        let _ = write!(out, "{}", esc(s));
        return;
    }
    let is_token = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/');
    let mut last = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_token(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !is_token(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let mut word = &s[i..end];
        while word.ends_with(['.', '-', '/']) {
            word = &word[..word.len() - 1];
        }
        let date = word.contains('-') && word.starts_with(|c: char| c.is_ascii_digit());
        if date || word.chars().any(|c| c.is_ascii_alphabetic()) {
            let _ = write!(
                out,
                "{}<bdi dir=\"ltr\">{}</bdi>",
                esc(&s[last..i]),
                esc(word)
            );
            last = i + word.len();
        }
    }
    let _ = write!(out, "{}", esc(&s[last..]));
}

/// The words a card has shown, each with the first article shown with
/// them.
type Shown = HashMap<super::Cut, String>;

fn evidence(o: &mut String, page: &Page, item: &Item, shown: &mut Shown) {
    let lang = page.lang;
    let ev = &item.ev;
    let k = page.art.get(ev.article.as_str()).copied();
    let span = k.map_or((0, 0), |k| page.clamp(k, &ev.span));
    let sentence = item.sentence.clone().map(|r| r.start as u32..r.end as u32);
    let cut = match k {
        Some(_) => page
            .excerpts
            .cut(&ev.article, Want::new(&ev.span, sentence)),
        None => super::Cut::default(),
    };
    // Words from an article that could not be read are none: never "the
    // same" as another's.
    let first = if cut.words.is_empty() {
        None
    } else if let Some(first) = shown.get(&cut) {
        Some(first.clone())
    } else {
        shown.insert(cut.clone(), ev.article.to_string());
        None
    };
    let role = match item.role {
        Role::Claim => "claim",
        Role::Anchor => "anchor",
        Role::Words => "words",
    };
    let _ = write!(o, "<figure class=\"ev {role}\">\n<figcaption>");
    match k {
        Some(k) => {
            let _ = write!(
                o,
                "<a class=\"art\" href=\"#a{k}\"><code dir=\"ltr\">{}</code></a> <a class=\"loc\" href=\"#{}\"><code dir=\"ltr\">{}:{}:{}</code></a>",
                esc(&ev.article),
                span_id(k, span),
                esc(page.path(&ev.article)),
                ev.span.line,
                ev.span.column
            );
        }
        None => {
            let _ = write!(
                o,
                "<code dir=\"ltr\">{}:{}:{}</code>",
                esc(&ev.article),
                ev.span.line,
                ev.span.column
            );
        }
    }
    if item.role == Role::Anchor {
        let _ = write!(
            o,
            " <span class=\"role\">{}</span>",
            t(
                lang,
                "the day it was read against",
                "اليوم الذي قُرئ بالنسبة إليه"
            )
        );
    }
    match first {
        Some(first) => {
            let (said, above) = explain::same_words(lang);
            let _ = write!(
                o,
                "</figcaption>\n<p class=\"same\">{said} <code dir=\"ltr\">{}</code>{above}</p>\n",
                esc(&first)
            );
        }
        None => {
            let _ = write!(
                o,
                "</figcaption>\n<blockquote class=\"snippet\" dir=\"rtl\" lang=\"ar\">{}<mark>{}</mark>{}</blockquote>\n",
                esc(&cut.before),
                esc(&cut.words),
                esc(&cut.after)
            );
        }
    }
    if let Some(c) = item.claim {
        let _ = write!(
            o,
            "<dl class=\"meta\"><div><dt>{}</dt><dd dir=\"auto\" class=\"value\">{}</dd></div>",
            t(lang, "value", "القيمة"),
            esc(&explain::value(&c.value, lang))
        );
        if let Some(s) = &c.speaker {
            let _ = write!(
                o,
                "<div><dt>{}</dt><dd><code dir=\"ltr\">{}</code></dd></div>",
                t(lang, "said by", "على لسان"),
                esc(s)
            );
        }
        if let Some(d) = &c.as_of {
            let _ = write!(
                o,
                "<div><dt>{}</dt><dd dir=\"ltr\">{}</dd></div>",
                t(lang, "as of", "بتاريخ"),
                esc(d)
            );
        }
        for (q, v) in c.qualifiers.iter() {
            let name = match q {
                "place" => t(lang, "place", "المكان"),
                "speaker" => t(lang, "speaker", "المتحدث"),
                _ => q,
            };
            let _ = write!(
                o,
                "<div><dt>{}</dt><dd><code dir=\"ltr\">{}</code></dd></div>",
                esc(name),
                esc(v)
            );
        }
        let _ = writeln!(
            o,
            "<div><dt>{}</dt><dd><code dir=\"ltr\">{}</code></dd></div></dl>",
            t(lang, "rule", "القاعدة"),
            esc(&c.rule)
        );
    }
    o.push_str("</figure>\n");
}

/// `text[range]` with the spans marked: `<mark id=…>` at each span's
/// start. Spans that cross are closed and reopened (without the id) so the
/// markup stays well nested.
/// A span to mark: its key (the anchor), its range clipped to the part
/// of the text being written, what it is marked with.
type Marked<'a> = ((usize, usize), (usize, usize), &'a SpanInfo);

fn marked(
    o: &mut String,
    text: &str,
    range: Range<usize>,
    art: usize,
    spans: &BTreeMap<(usize, usize), SpanInfo>,
    findings: &[Finding],
    lang: Lang,
) {
    let (lo, hi) = (range.start, range.end);
    // Longer spans first at one start, so they are the outer ones.
    let mut list: Vec<Marked> = spans
        .iter()
        .filter(|((a, _), _)| *a >= lo && (*a < hi || (*a == hi && hi == text.len())))
        .map(|(&(a, b), info)| ((a, b), (a, b.min(hi)), info))
        .collect();
    list.sort_by(|x, y| {
        (x.1 .0, std::cmp::Reverse(x.1 .1)).cmp(&(y.1 .0, std::cmp::Reverse(y.1 .1)))
    });
    let mut bounds: BTreeSet<usize> = BTreeSet::from([lo, hi]);
    for (_, (a, b), _) in &list {
        bounds.insert(*a);
        bounds.insert(*b);
    }
    let bounds: Vec<usize> = bounds.into_iter().collect();
    let open = |o: &mut String, i: usize, cont: bool| {
        let (key, _, info) = &list[i];
        let sev = info
            .severity
            .map(|s| format!(" sev-{}", s.as_str()))
            .unwrap_or_default();
        let title = if info.notes.is_empty() {
            t(lang, "claim", "ادعاء").to_string()
        } else {
            let note = |&n: &u32| {
                let f = findings.get(n as usize - 1)?;
                Some(format!("#{n} {} {}", f.label(), f.key))
            };
            let notes: Vec<String> = info.notes.iter().filter_map(note).collect();
            notes.join("; ")
        };
        if cont {
            let _ = write!(o, "<mark class=\"hl cont{sev}\" title=\"{}\">", esc(&title));
        } else {
            let _ = write!(
                o,
                "<mark class=\"hl{sev}\" id=\"{}\" title=\"{}\">",
                span_id(art, *key),
                esc(&title)
            );
        }
    };
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    for (w, &p) in bounds.iter().enumerate() {
        if stack.iter().any(|&i| list[i].1 .1 <= p) {
            let mut reopen = Vec::new();
            while stack.iter().any(|&i| list[i].1 .1 <= p) {
                let Some(top) = stack.pop() else { break };
                o.push_str("</mark>");
                if list[top].1 .1 > p {
                    reopen.push(top);
                }
            }
            for i in reopen.into_iter().rev() {
                open(o, i, true);
                stack.push(i);
            }
        }
        while next < list.len() && list[next].1 .0 == p {
            open(o, next, false);
            if list[next].1 .1 == p {
                o.push_str("</mark>");
            } else {
                stack.push(next);
            }
            next += 1;
        }
        if let Some(&q) = bounds.get(w + 1) {
            let _ = write!(o, "{}", esc(text.get(p..q).unwrap_or("")));
        }
    }
    for _ in stack {
        o.push_str("</mark>");
    }
}

/// Articles whose full texts are read and laid out at once (in parallel),
/// then written in order.
const TEXTS_AT_ONCE: usize = 256;

fn article_texts(o: &mut String, page: &Page, sink: &mut Sink) {
    use rayon::prelude::*;
    let lang = page.lang;
    let _ = write!(
        o,
        "<section id=\"texts\" class=\"block\">\n<h2>{}</h2>\n",
        t(lang, "Article texts", "نصوص المقالات")
    );
    let articles: Vec<(usize, &ArticleInfo)> = page.report.articles.iter().enumerate().collect();
    for batch in articles.chunks(TEXTS_AT_ONCE) {
        let laid: Vec<String> = batch
            .par_iter()
            .map(|&(k, a)| article_text(page, k, a))
            .collect();
        for section in laid {
            o.push_str(&section);
            spill(o, sink);
        }
    }
    o.push_str("</section>\n");
}

/// One article's section of the full texts: read again, and shown only if
/// it is the text the page was begun with (the spans are ranges of it).
fn article_text(page: &Page, k: usize, a: &ArticleInfo) -> String {
    let (lang, findings) = (page.lang, &page.report.findings[..]);
    let mut o = String::new();
    let _ = write!(
        o,
        "<section class=\"article\" id=\"a{k}\">\n<header class=\"art-head\"><h3><code dir=\"ltr\">{}</code></h3> <code dir=\"ltr\" class=\"path\">{}</code>",
        esc(&a.id),
        esc(&a.path)
    );
    let fs = &page.findings_of[k];
    if !fs.is_empty() {
        let _ = write!(
            o,
            " <span class=\"refs\">{} {}</span>",
            t(lang, "findings:", "الملاحظات:"),
            fs.iter()
                .map(|n| format!("<a href=\"#f{n}\">#{n}</a>"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    o.push_str("</header>\n");
    let seen = page.seen.get(k).and_then(Option::as_ref);
    let text = seen.and_then(|_| page.texts.text(&a.id));
    let text = text.as_deref().unwrap_or("");
    // Why the text is not shown, if it is not.
    let missing = if seen.is_some_and(|s| !s.is(text)) {
        Some(t(
            lang,
            "(the text changed while the report was written)",
            "(تغيّر النص في أثناء كتابة التقرير)",
        ))
    } else if text.is_empty() {
        Some(t(lang, "(the text is not available)", "(النص غير متاح)"))
    } else {
        None
    };
    if let Some(why) = missing {
        let _ = writeln!(o, "<p class=\"muted\">{why}</p>");
    } else {
        let body = body_start(text);
        let spans = page
            .marks
            .get(k)
            .map(|m| m.infos(|raw| page.clamp_raw(k, raw), findings))
            .unwrap_or_default();
        if body > 0 {
            o.push_str("<pre class=\"front-matter\" dir=\"ltr\">");
            marked(&mut o, text, 0..body, k, &spans, findings, lang);
            o.push_str("</pre>\n");
        }
        o.push_str("<div class=\"article-text\" dir=\"rtl\" lang=\"ar\">");
        marked(&mut o, text, body..text.len(), k, &spans, findings, lang);
        o.push_str("</div>\n");
    }
    o.push_str("</section>\n");
    o
}

// ---------------------------------------------------------------------------
// The claim graph, drawn.

const PALETTE: [&str; 8] = [
    "#3b6ea8", "#8a5a9e", "#2e8b8b", "#b0722c", "#5f7f3a", "#a14d6a", "#56707f", "#7a6a2f",
];

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// The claims the graph draws, and how: worked out from the whole claim
/// graph, which is dropped before the page is laid out.
struct Pick {
    /// The claims drawn (indices into the report's), in drawing order.
    drawn: Vec<usize>,
    /// Whether each drawn claim contradicts, agrees or stands alone.
    state: HashMap<usize, &'static str>,
    /// Agreeing claims joined in chains, and contradictions between them.
    chains: BTreeSet<(usize, usize)>,
    between: BTreeSet<(usize, usize)>,
}

fn pick(r: &Report, claim_index: &ClaimIndex) -> Pick {
    let g = graph::build(r);
    // Claim pairs that agree and that contradict; a pair in both (two equal
    // values inside a contradiction) is drawn as agreeing.
    let mut agree: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut contra: BTreeSet<(usize, usize)> = BTreeSet::new();
    let claim_of = |n| match &g[n] {
        Node::Claim(c) => claim_index.position(c),
        _ => None,
    };
    for e in g.edge_indices() {
        let Some((x, y)) = g.edge_endpoints(e) else {
            continue;
        };
        let (Some(a), Some(b)) = (claim_of(x), claim_of(y)) else {
            continue;
        };
        let pair = (a.min(b), a.max(b));
        match g[e] {
            Edge::Agrees => {
                agree.insert(pair);
            }
            Edge::Contradicts => {
                contra.insert(pair);
            }
            _ => {}
        }
    }
    contra.retain(|p| !agree.contains(p));
    // Claims that agree form groups; each group is drawn as a chain, not
    // as every pair.
    let mut group: Vec<usize> = (0..r.claims.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for &(a, b) in &agree {
        let (ra, rb) = (root(&mut group, a), root(&mut group, b));
        group[ra.max(rb)] = ra.min(rb);
    }

    // Which claims to draw: those in contradictions first, then agreements,
    // then the rest; shown in report order (grouped by key).
    let total = r.claims.len();
    let in_pair = |pairs: &BTreeSet<(usize, usize)>| -> Vec<bool> {
        let mut v = vec![false; total];
        for &(a, b) in pairs {
            v[a] = true;
            v[b] = true;
        }
        v
    };
    let (in_contra, in_agree) = (in_pair(&contra), in_pair(&agree));
    let mut rank: Vec<(u8, usize)> = (0..total)
        .map(|i| {
            let (in_c, in_a) = (in_contra[i], in_agree[i]);
            (
                if in_c {
                    0
                } else if in_a {
                    1
                } else {
                    2
                },
                i,
            )
        })
        .collect();
    rank.sort();
    let mut drawn: Vec<usize> = rank
        .into_iter()
        .take(MAX_GRAPH_CLAIMS)
        .map(|(_, i)| i)
        .collect();
    // Grouped by key, and within a key the claims that agree together.
    let roots: Vec<usize> = (0..total).map(|i| root(&mut group, i)).collect();
    let mut first: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for (i, c) in r.claims.iter().enumerate() {
        first
            .entry((c.key.as_ref(), c.subject.as_deref()))
            .or_insert(i);
    }
    drawn.sort_by_key(|&i| {
        let c = &r.claims[i];
        (first[&(c.key.as_ref(), c.subject.as_deref())], roots[i], i)
    });
    let state = drawn
        .iter()
        .map(|&i| {
            let state = if in_contra[i] {
                "c-contra"
            } else if in_agree[i] {
                "c-agree"
            } else {
                "c-alone"
            };
            (i, state)
        })
        .collect();
    // Agreeing claims stand next to each other: a chain joins them. A
    // contradiction is drawn once between two groups of agreeing claims,
    // from the first claim of each (between the claims themselves when
    // they are in one group).
    let mut chains: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut rep: HashMap<usize, usize> = HashMap::new();
    let mut last: HashMap<usize, usize> = HashMap::new();
    for &i in &drawn {
        rep.entry(roots[i]).or_insert(i);
        if let Some(prev) = last.insert(roots[i], i) {
            chains.insert((prev, i));
        }
    }
    let between: BTreeSet<(usize, usize)> = contra
        .iter()
        .filter_map(|&(a, b)| {
            let (ra, rb) = (*rep.get(&roots[a])?, *rep.get(&roots[b])?);
            // Agreement is not transitive: a weekday agrees with two dates
            // that contradict each other. Then the two claims are joined.
            let (x, y) = if ra == rb { (a, b) } else { (ra, rb) };
            Some((x.min(y), x.max(y)))
        })
        .collect();
    Pick {
        drawn,
        state,
        chains,
        between,
    }
}

fn graph_svg(o: &mut String, page: &Page, pick: &Pick, sink: &mut Sink) {
    let lang = page.lang;
    let r = page.report;
    let Pick {
        drawn,
        state,
        chains,
        between,
    } = pick;
    let total = r.claims.len();
    let capped = drawn.len() < total;

    // Layout: claims in one column, grouped by key; articles in another.
    const TOP: f64 = 28.0;
    const ROW: f64 = 20.0;
    const HEAD: f64 = 24.0;
    const ART_X: f64 = 16.0;
    const ART_W: f64 = 210.0;
    const ART_H: f64 = 26.0;
    const CX: f64 = 500.0;
    const WIDTH: f64 = 940.0;
    let mut y = TOP;
    let mut claim_y: HashMap<usize, f64> = HashMap::new();
    let mut heads: Vec<(f64, String)> = Vec::new();
    let mut last_key: Option<(&str, Option<&str>)> = None;
    for &i in drawn {
        let c = &r.claims[i];
        let key = (c.key.as_ref(), c.subject.as_deref());
        if last_key != Some(key) {
            y += if last_key.is_some() { 8.0 } else { 0.0 };
            let label = match c.subject.as_deref() {
                Some(s) => format!("{} · {s}", c.key),
                None => c.key.to_string(),
            };
            heads.push((y + 12.0, label));
            y += HEAD;
            last_key = Some(key);
        }
        claim_y.insert(i, y + ROW / 2.0);
        y += ROW;
    }
    let claims_h = y - TOP;
    let n_art = r.articles.len().max(1);
    let step = (claims_h / n_art as f64).max(ART_H + 10.0);
    let arts_h = step * n_art as f64;
    let height = TOP + claims_h.max(arts_h) + 16.0;
    let art_y: Vec<f64> = (0..r.articles.len())
        .map(|k| TOP + (claims_h.max(arts_h) - arts_h) / 2.0 + step * k as f64 + step / 2.0)
        .collect();

    let _ = write!(
        o,
        "<section id=\"graph\" class=\"block\">\n<h2>{}</h2>\n<figure class=\"graph\" dir=\"ltr\">\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"graph-title\" font-family=\"system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\" font-size=\"12\">\n\
         <title id=\"graph-title\">{}</title>\n",
        t(lang, "Claim graph", "شبكة الادعاءات"),
        t(
            lang,
            "Articles and the claims they state; red: contradicts, green: agrees",
            "المقالات وادعاءاتها؛ الأحمر: تناقض، الأخضر: اتفاق"
        ),
    );
    let _ = writeln!(
        o,
        "<text x=\"{ART_X}\" y=\"16\" class=\"col\">{}</text><text x=\"{}\" y=\"16\" class=\"col\">{}</text>",
        t(lang, "Articles", "المقالات"),
        CX - 6.0,
        if capped {
            match lang {
                Lang::En => format!(
                    "Claims by key ({} of {total} shown)",
                    drawn.len()
                ),
                Lang::Ar => format!("الادعاءات حسب المفتاح (المعروض {} من {total})", drawn.len()),
            }
        } else {
            t(lang, "Claims by key", "الادعاءات حسب المفتاح").to_string()
        }
    );
    // Article → claim edges.
    o.push_str("<g class=\"states\" fill=\"none\" stroke-width=\"1\">\n");
    for &i in drawn {
        let c = &r.claims[i];
        let Some(&k) = page.art.get(c.article.as_str()) else {
            continue;
        };
        let (x1, y1, x2, y2) = (ART_X + ART_W, art_y[k], CX - 5.0, claim_y[&i]);
        let mx = (x1 + x2) / 2.0;
        let _ = writeln!(
            o,
            "<path d=\"M{x1:.1} {y1:.1} C{mx:.1} {y1:.1} {mx:.1} {y2:.1} {x2:.1} {y2:.1}\" stroke=\"{}\"><title>{} → {}</title></path>",
            PALETTE[k % PALETTE.len()],
            esc(&c.article),
            esc(&c.key)
        );
        spill(o, sink);
    }
    o.push_str("</g>\n");
    // Agree and contradict arcs, bulging left of the claim column.
    let value = |i: usize| {
        let c = &r.claims[i];
        format!("{} ({})", explain::value(&c.value, lang), c.article)
    };
    for (set, class, word) in [
        (chains, "agrees", t(lang, "agrees with", "يتفق مع")),
        (between, "contradicts", t(lang, "contradicts", "يناقض")),
    ] {
        let _ = writeln!(o, "<g class=\"{class}\" fill=\"none\">");
        for &(a, b) in set.iter() {
            let (Some(&y1), Some(&y2)) = (claim_y.get(&a), claim_y.get(&b)) else {
                continue;
            };
            let d = (14.0 + (y2 - y1).abs() * 0.4).min(220.0);
            let x = CX - 6.0;
            let _ = writeln!(
                o,
                "<path d=\"M{x:.1} {y1:.1} C{:.1} {y1:.1} {:.1} {y2:.1} {x:.1} {y2:.1}\"><title>{} {word} {}</title></path>",
                x - d,
                x - d,
                esc(&value(a)),
                esc(&value(b)),
            );
            spill(o, sink);
        }
        o.push_str("</g>\n");
    }
    // Key headings.
    for (y, label) in &heads {
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{y:.1}\" class=\"key\">{}</text>",
            CX - 6.0,
            esc(&short(label, 60))
        );
    }
    // Article nodes.
    for (k, a) in r.articles.iter().enumerate() {
        let y = art_y[k];
        let _ = writeln!(
            o,
            "<a href=\"#a{k}\"><g class=\"article\"><title>{}\n{}{}</title><rect x=\"{ART_X}\" y=\"{:.1}\" width=\"{ART_W}\" height=\"{ART_H}\" rx=\"4\" stroke=\"{c}\"/>\
             <rect x=\"{ART_X}\" y=\"{:.1}\" width=\"4\" height=\"{ART_H}\" fill=\"{c}\" stroke=\"none\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g></a>",
            esc(&a.id),
            esc(&a.path),
            a.date
                .as_deref()
                .map(|d| format!("\n{}", esc(d)))
                .unwrap_or_default(),
            y - ART_H / 2.0,
            y - ART_H / 2.0,
            ART_X + 12.0,
            y + 4.0,
            esc(&short(&a.id, 30)),
            c = PALETTE[k % PALETTE.len()],
        );
        spill(o, sink);
    }
    // Claim nodes.
    for &i in drawn {
        let c = &r.claims[i];
        let y = claim_y[&i];
        let state = state.get(&i).copied().unwrap_or("c-alone");
        let href = page
            .art
            .get(c.article.as_str())
            .map(|&k| format!("#{}", span_id(k, page.clamp(k, &c.span))))
            .unwrap_or_default();
        let colour = page
            .art
            .get(c.article.as_str())
            .map(|&k| PALETTE[k % PALETTE.len()])
            .unwrap_or("#888");
        let label = short(&explain::value(&c.value, lang), 50);
        let _ = writeln!(
            o,
            "<a href=\"{href}\"><g class=\"claim {state}\"><title>{}: {}\n{}\n«{}»</title><circle cx=\"{CX}\" cy=\"{y:.1}\" r=\"5\"/>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" rx=\"1.5\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\"{}>{}</text></g></a>",
            esc(&c.key),
            esc(&explain::value(&c.value, lang)),
            esc(&c.article),
            esc(&short(&c.text, 80)),
            CX + 11.0,
            y - 3.5,
            CX + 23.0,
            y + 4.0,
            // Arabic words (quotes) read right to left, still starting at x.
            if label.chars().any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch)) {
                " direction=\"rtl\" text-anchor=\"end\""
            } else {
                ""
            },
            esc(&label),
        );
        spill(o, sink);
    }
    o.push_str("</svg>\n");
    let _ = write!(
        o,
        "<figcaption><span class=\"legend\"><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><path d=\"M1 5H27\" class=\"lg-contra\"/></svg>{}</span>\
         <span class=\"legend\"><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><path d=\"M1 5H27\" class=\"lg-agree\"/></svg>{}</span>\
         <span class=\"legend\"><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><path d=\"M1 5H27\" class=\"lg-states\"/></svg>{}</span>{}</figcaption>\n</figure>\n</section>\n",
        t(lang, "contradicts", "تناقض"),
        t(lang, "agrees", "اتفاق"),
        t(lang, "states (article → claim)", "تذكر (مقالة ← ادعاء)"),
        if capped {
            match lang {
                Lang::En => format!(
                    " <strong class=\"capped\">Only {} of {total} claims are drawn (those in contradictions and agreements first).</strong>",
                    drawn.len()
                ),
                Lang::Ar => format!(
                    " <strong class=\"capped\">رُسم {} فقط من أصل {total} ادعاء (الداخلة في تناقض أو اتفاق أولًا).</strong>",
                    drawn.len()
                ),
            }
        } else {
            String::new()
        }
    );
}

const STYLE: &str = r#":root {
  --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --paper: #ffffff; --bg: #f5f6f8;
  --accent: #2f5d8a;
  --error: #b42318; --error-bg: #fdf0ee; --warning: #a15c07; --warning-bg: #fdf6e7;
  --info: #3b5b7c; --info-bg: #eef3f8; --agree: #2f7d4f; --contra: #c0362c;
  --mark: rgba(246, 206, 88, .45); --mark-error: rgba(226, 98, 84, .28); --mark-warning: rgba(240, 170, 60, .32);
  --mark-info: rgba(110, 150, 200, .26);
  --ui: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  --arabic: "Noto Naskh Arabic", "Amiri", "Segoe UI", Tahoma, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--ink); font: 15px/1.5 var(--ui); }
html[lang="ar"] { font-family: var(--arabic); }
body { margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: var(--mono); font-size: .86em; }
:target { scroll-margin-top: 64px; }
nav.top { position: sticky; top: 0; z-index: 5; display: flex; gap: 20px; align-items: center; padding: 10px 24px;
  background: #1f2a3c; color: #fff; font-family: var(--ui); font-size: 14px; }
nav.top a { color: #d6e2f2; }
nav.top .brand { font-weight: 650; letter-spacing: .02em; margin-inline-end: 12px; }
header.page { padding: 28px 0 8px; }
h1 { font-size: 26px; font-weight: 650; margin: 0 0 4px; }
h2 { font-size: 19px; font-weight: 650; margin: 0 0 14px; }
h3 { font-size: 15px; margin: 0; display: inline; }
.totals { color: var(--muted); margin: 0; }
.print-note { display: none; }
.block { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 20px 22px; margin: 18px 0; }
.muted, .zero { color: var(--muted); }
.zero { opacity: .55; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: start; font-weight: 600; padding-bottom: 6px; color: var(--muted); font-size: 13px;
  text-transform: uppercase; letter-spacing: .04em; }
th, td { text-align: start; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-weight: 600; color: var(--muted); font-size: 13px; }
tfoot th, tfoot td { font-weight: 650; border-bottom: 0; }
.num { text-align: end; font-variant-numeric: tabular-nums; }
.total { font-weight: 650; }
.summary-grid { display: flex; flex-direction: column; gap: 24px; }
table.counts { width: auto; min-width: 460px; align-self: flex-start; }
.date { white-space: nowrap; }
.path { color: var(--muted); white-space: nowrap; }
.table-wrap { overflow-x: auto; }
thead th { white-space: nowrap; }
.tag { display: inline-block; padding: 0 6px; border: 1px solid var(--line); border-radius: 10px; font-size: 12px; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-inline-end: 6px; vertical-align: middle; }
.dot.sev-error, .badge.sev-error { background: var(--error); }
.dot.sev-warning, .badge.sev-warning { background: var(--warning); }
.dot.sev-info, .badge.sev-info { background: var(--info); }
.kind-tag { font-size: 13px; font-weight: 600; }
.kind-tag.kind-contradiction, .kind-tag.kind-inconsistency { color: var(--error); }
.kind-tag.kind-name_variant { color: var(--warning); }
.kind-tag.kind-agreement { color: var(--agree); }
.kind-tag.kind-uncorroborated { color: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 12px 28px; margin: 0 0 16px; }
.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filters legend { float: inline-start; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  margin-inline-end: 6px; padding: 0; }
.chip { display: inline-flex; align-items: center; gap: 4px; padding: 3px 10px 3px 6px; border: 1px solid var(--line);
  border-radius: 16px; font-size: 13px; cursor: pointer; background: #fff; user-select: none; }
.chip input { margin: 0 4px 0 0; accent-color: var(--accent); }
.chip:has(input:not(:checked)) { opacity: .5; background: var(--bg); text-decoration: line-through; }
.chip.none { opacity: .45; }
.chip .n { color: var(--muted); font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-direction: column; gap: 14px; counter-reset: shown; }
.shown { order: -1; margin: 0; color: var(--muted); font-size: 13px; }
.shown .count::before { content: counter(shown); }
.card { counter-increment: shown; border: 1px solid var(--line); border-inline-start: 4px solid var(--info);
  border-radius: 6px; padding: 14px 16px; background: #fff; }
.card.sev-error { border-inline-start-color: var(--error); }
.card.sev-warning { border-inline-start-color: var(--warning); }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.card-head .num { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 13px; }
.badge { color: #fff; border-radius: 4px; padding: 1px 7px; font-size: 12px; font-weight: 600; letter-spacing: .02em; }
.key { background: var(--bg); padding: 1px 6px; border-radius: 4px; }
.subject { color: var(--muted); font-size: 13px; }
.msg { margin: 10px 0 12px; }
.evidence { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.ev { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fbfbfc;
  display: flex; flex-direction: column; gap: 6px; }
.ev.anchor { background: var(--bg); border-style: dashed; }
.ev figcaption { font-size: 13px; display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }
.ev figcaption .loc code { color: var(--muted); }
.role { font-size: 12px; color: var(--muted); font-style: italic; }
.snippet { margin: 0; font-family: var(--arabic); font-size: 17px; line-height: 1.85; }
.same { margin: 0; color: var(--muted); font-size: 14px; }
.snippet mark, .article-text mark, .front-matter mark { background: var(--mark); color: inherit; border-radius: 3px;
  padding: 0 1px; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.sev-error .snippet mark { background: var(--mark-error); }
.sev-warning .snippet mark { background: var(--mark-warning); }
.sev-info .snippet mark { background: var(--mark-info); }
.meta { margin: 0; display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 13px; }
.meta div { display: flex; gap: 5px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; font-weight: 550; }
.article { border-top: 1px solid var(--line); padding: 16px 0 8px; }
.article:first-of-type { border-top: 0; padding-top: 0; }
.art-head { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: baseline; margin-bottom: 8px; }
.refs { font-size: 13px; color: var(--muted); }
.refs a { margin-inline-start: 4px; }
.front-matter { font-family: var(--mono); font-size: 12px; color: var(--muted); background: var(--bg); padding: 8px 10px;
  border-radius: 4px; margin: 0 0 8px; white-space: pre-wrap; }
.article-text { white-space: pre-wrap; font-family: var(--arabic); font-size: 17px; line-height: 1.9; overflow-wrap: anywhere; }
mark.hl.sev-error { background: var(--mark-error); }
mark.hl.sev-warning { background: var(--mark-warning); }
mark.hl.sev-info { background: var(--mark-info); }
mark.hl:target { outline: 2px solid var(--accent); outline-offset: 1px; background: var(--mark); }
.graph { margin: 0; overflow-x: auto; }
.graph svg { display: block; max-width: 100%; height: auto; }
.graph text { fill: var(--ink); }
.graph text.col { fill: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
.graph text.key { fill: var(--muted); font-weight: 600; font-size: 11.5px; font-family: var(--mono); }
.graph .article rect { fill: #fff; stroke-width: 1.2; }
.graph .states path { stroke-opacity: .35; }
.graph .agrees path { stroke: var(--agree); stroke-width: 1.8; stroke-dasharray: 5 3; }
.graph .contradicts path { stroke: var(--contra); stroke-width: 2.2; }
.graph .claim circle { fill: #fff; stroke: var(--muted); stroke-width: 1.5; }
.graph .claim.c-contra circle { fill: var(--contra); stroke: var(--contra); }
.graph .claim.c-agree circle { fill: var(--agree); stroke: var(--agree); }
.graph a:hover text { text-decoration: underline; }
.graph figcaption { font-size: 13px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 8px; }
.legend { display: inline-flex; align-items: center; gap: 6px; }
.lg-contra { stroke: var(--contra); stroke-width: 2.2; }
.lg-agree { stroke: var(--agree); stroke-width: 1.8; stroke-dasharray: 5 3; }
.lg-states { stroke: var(--muted); stroke-opacity: .5; }
.capped { color: var(--warning); font-weight: 600; }
footer { text-align: center; color: var(--muted); font-size: 12px; padding: 0 0 32px; }
@media print {
  @page { margin: 16mm 14mm; }
  html { background: #fff; font-size: 11pt; }
  nav.top, .filters, .shown { display: none !important; }
  main { max-width: none; padding: 0; }
  .block { border: 0; padding: 0; margin: 0 0 14pt; }
  body:has(.filters input:not(:checked)) .print-note { display: block; color: var(--warning); }
  .card, .ev, tr, .graph { break-inside: avoid; page-break-inside: avoid; }
  .card-head, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .card { border: 1px solid #999; border-inline-start-width: 4px; }
  #texts { break-before: page; }
  main a[href]:not(.num)::after { content: " (" attr(href) ")"; font-size: 8pt; color: var(--muted);
    font-family: var(--mono); }
  .graph a::after { content: none; }
  .article-text, .snippet { font-size: 12pt; }
}
"#;

/// What a reader sees of a piece of this page: the text with the tags taken
/// out and the entities `escape` writes decoded (the inverse of `escape` on
/// text without tags; the tests read pages back with it).
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("قتل 13\u{0}\n"), "قتل 13\u{FFFD}\n");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn front_matter_is_found_like_the_loader_does() {
        let t = "---\npublished: 2022-01-08\n---\nنص";
        assert_eq!(&t[body_start(t)..], "نص");
        assert_eq!(body_start("نص\n---\n"), 0);
        let bom = "\u{FEFF}---\r\na: b\r\n...\r\nنص";
        assert_eq!(&bom[body_start(bom)..], "نص");
    }

    /// A writer that keeps each write.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl std::io::Write for Writes {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.push(data.to_vec());
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_card_shows_the_same_words_once_and_names_each_other_article_with_them() {
        let rules = crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules");
        let wire = "وقال المتحدث إن القوة تضم 2030 جندياً من عدة دول.";
        let texts = [
            ("a.md", format!("{wire}\n")),
            ("b.md", format!("{wire}\n")),
            ("c.md", format!("سطر أول.\n{wire}\n")),
            ("d.md", format!("{}\n", wire.replace("عدة دول", "دول عدة"))),
            ("e.md", format!("{wire}\n")),
            ("f.md", format!("{wire}\n")),
        ];
        let articles: Vec<crate::load::Article> = texts
            .iter()
            .filter_map(|(name, text)| crate::load::from_bytes(name, text.clone().into_bytes()).0)
            .collect();
        let report = crate::check::check(&articles, &rules);
        // e and f cannot be read again: they show no words, and are not
        // "the same".
        let texts: HashMap<&str, &str> = articles
            .iter()
            .filter(|a| a.id != "e" && a.id != "f")
            .map(|a| (a.id.as_str(), a.text.as_str()))
            .collect();
        let page = render(&report, &texts);
        let card = page
            .split("<article class=\"card")
            .skip(1)
            .find(|c| c.contains("kind-agreement") && c.contains("a.md"))
            .expect("the agreement's card");
        let figures: Vec<&str> = card.split("<figure").skip(1).collect();
        let of = |name: &str| {
            figures
                .iter()
                .find(|f| f.contains(&format!(">{name}.md:")))
                .unwrap_or_else(|| panic!("{name} in {card}"))
        };
        let same = "<p class=\"same\">the same words as <code dir=\"ltr\">a</code>, above</p>";
        assert!(of("a").contains("<blockquote"), "{card}");
        for name in ["b", "c"] {
            assert!(of(name).contains(same), "{name}: {card}");
            assert!(!of(name).contains("<blockquote"), "{name}: {card}");
        }
        assert!(of("d").contains("<blockquote"), "{card}");
        for name in ["e", "f"] {
            let f = of(name);
            assert!(
                f.contains("<blockquote") && !f.contains("class=\"same\""),
                "{f}"
            );
        }
        // Each figure still names its article and its place.
        assert_eq!(figures.len(), 6, "{card}");
    }

    #[test]
    fn the_page_is_handed_over_a_chunk_at_a_time_however_large_its_parts() {
        // 300 articles giving one figure: a table of 300 articles, a graph
        // of 300 articles and claims, cards of hundreds of claims; each of
        // them many chunks of 4 KiB.
        let rules = crate::rules::Rules::from_dir(std::path::Path::new("rules")).expect("rules");
        let articles: Vec<crate::load::Article> = (0..300)
            .filter_map(|i| {
                let n = if i % 10 == 0 { 2500 } else { 2030 };
                let text = format!(
                    "وصلت القوة إلى المدينة صباح اليوم.\nوقال المتحدث إن القوة تضم {n} جندياً من عدة دول.\n"
                );
                crate::load::from_bytes(&format!("w{i:04}.md"), text.into_bytes()).0
            })
            .collect();
        assert_eq!(articles.len(), 300);
        let report = crate::check::check(&articles, &rules);
        let texts: HashMap<&str, &str> = articles
            .iter()
            .map(|a| (a.id.as_str(), a.text.as_str()))
            .collect();
        let largest_card = report.findings.iter().map(|f| f.claims.len()).max();
        assert!(largest_card >= Some(270), "{largest_card:?}");
        let chunk = 4096;
        let mut writes = Writes::default();
        write_chunked(&report, &texts, &mut writes, chunk).expect("written");
        assert_eq!(writes.0.concat(), render(&report, &texts).into_bytes());
        assert!(writes.0.len() > 100, "{} writes", writes.0.len());
        // Each is a chunk and at most one piece (a row, a figure, a shape)
        // more; the first also holds the page's head and styles.
        for (k, w) in writes.0.iter().enumerate() {
            let head = if k == 0 {
                STYLE.len() + filter_css().len() + 4096
            } else {
                0
            };
            assert!(
                w.len() <= chunk + 4096 + head,
                "write {k}: {} bytes",
                w.len()
            );
        }
    }

    /// What the page marked each span with when every use of a span was
    /// registered in turn: the claims' and anchors' spans first, then each
    /// finding's words, in the findings' order.
    fn registered(
        plain: &[(u32, u32)],
        uses: &[(u32, (u32, u32))],
        clamp: impl Fn((u32, u32)) -> (usize, usize),
        findings: &[Finding],
    ) -> BTreeMap<(usize, usize), SpanInfo> {
        let mut out: BTreeMap<(usize, usize), SpanInfo> = BTreeMap::new();
        for &s in plain {
            out.entry(clamp(s)).or_default();
        }
        let mut uses = uses.to_vec();
        uses.sort_by_key(|u| u.0);
        for (n, s) in uses {
            let info = out.entry(clamp(s)).or_default();
            info.severity = info.severity.max(Some(findings[n as usize - 1].severity));
            if !info.notes.contains(&n) {
                info.notes.push(n);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn marks_are_what_registering_each_use_gave(
            plain in proptest::collection::vec((0u32..12, 0u32..12), 0..8),
            uses in proptest::collection::vec((1u32..6, (0u32..12, 0u32..12)), 0..16),
            severities in proptest::collection::vec(0u8..3, 5),
            merge in proptest::bool::ANY,
        ) {
            let findings: Vec<Finding> = severities
                .iter()
                .map(|&s| Finding {
                    kind: Kind::Contradiction,
                    class: None,
                    key: "k".into(),
                    subject: None,
                    severity: [Severity::Info, Severity::Warning, Severity::Error][s as usize],
                    articles: Vec::new(),
                    claims: Vec::new(),
                    message: String::new(),
                    evidence: Vec::new(),
                })
                .collect();
            // Clamping to even offsets makes neighbouring spans one.
            let clamp = |(a, b): (u32, u32)| {
                if merge {
                    (a as usize / 2 * 2, b as usize / 2 * 2)
                } else {
                    (a as usize, b as usize)
                }
            };
            let mut spans: Vec<(u32, u32)> =
                plain.iter().chain(uses.iter().map(|u| &u.1)).copied().collect();
            spans.sort_unstable();
            spans.dedup();
            let mut on: Vec<(u32, u32)> = uses
                .iter()
                .map(|&(n, s)| (spans.binary_search(&s).unwrap() as u32, n))
                .collect();
            let got = Marks::new(spans, &mut on).infos(clamp, &findings);
            let want = registered(&plain, &uses, clamp, &findings);
            let shown = |m: &BTreeMap<(usize, usize), SpanInfo>| -> Vec<_> {
                m.iter().map(|(k, i)| (*k, i.severity, i.notes.clone())).collect()
            };
            proptest::prop_assert_eq!(shown(&got), shown(&want));
        }
    }

    fn marks(text: &str, spans: &[(usize, usize)]) -> String {
        let map: BTreeMap<(usize, usize), SpanInfo> =
            spans.iter().map(|&s| (s, SpanInfo::default())).collect();
        let mut o = String::new();
        marked(&mut o, text, 0..text.len(), 0, &map, &[], Lang::En);
        o
    }

    #[test]
    fn spans_are_marked_exactly_and_crossing_spans_stay_nested() {
        let text = "أبجد هوز حطي";
        let (a, b) = (text.find("هوز").unwrap(), text.find(" حطي").unwrap());
        let html = marks(text, &[(a, b)]);
        assert_eq!(
            html,
            format!("أبجد <mark class=\"hl\" id=\"s0-{a}-{b}\" title=\"claim\">هوز</mark> حطي")
        );
        // Crossing: [0, b) and [a, len): closed and reopened.
        let html = marks(text, &[(0, b), (a, text.len())]);
        assert_eq!(super::plain_text(&html), text);
        assert_eq!(
            html.matches("<mark").count(),
            html.matches("</mark>").count()
        );
        assert_eq!(html.matches("<mark").count(), 3);
        assert!(html.contains(&format!("id=\"s0-0-{b}\"")));
        assert!(html.contains(&format!("id=\"s0-{a}-{}\"", text.len())));
        // Nested, equal, empty.
        let html = marks(text, &[(0, text.len()), (a, b), (a, a), (a, b)]);
        assert_eq!(super::plain_text(&html), text);
        assert_eq!(
            html.matches("<mark").count(),
            html.matches("</mark>").count()
        );
        let mut depth = 0i32;
        for piece in html.split('<').skip(1) {
            if piece.starts_with("/mark") {
                depth -= 1;
            } else if piece.starts_with("mark") {
                depth += 1;
            }
            assert!(depth >= 0, "{html}");
        }
    }

    #[test]
    fn clamped_spans_fall_on_character_boundaries() {
        let text = "قتل";
        assert_eq!(clamp(text, (1, 5)), (0, 4));
        assert_eq!(clamp(text, (40, 2)), (6, 6));
    }
}
