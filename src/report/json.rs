//! The JSON report: `{"version", "articles", "claims", "findings"}`, as
//! documented in README.md.
//!
//! It is the bytes `serde_json::to_writer_pretty` gives for the `Report`,
//! and a newline, but the long lists are serialized on every core: small
//! items are printed a chunk at a time in parallel, at the depth their list
//! stands at (`Nested`), and handed to the writer in order, a window at a
//! time; an item that weighs much (a finding resting on thousands of
//! articles) is printed on a thread of its own, and a window holds at most
//! one such item a thread. So a large report is never held whole, nor more
//! of its largest items at once than there are threads. A test checks
//! the bytes are serde's, so a field added to the `Report` cannot be left
//! out here.
use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use crate::check::Report;
use crate::compare::Finding;
use crate::review::BaselineSummary;

pub fn render(report: &Report) -> String {
    super::to_string(|w| write(report, w))
}

/// The weight of items printed together on one thread.
const CHUNK: usize = 64;
/// The weight of items printed before they are handed to the writer.
const WINDOW: usize = 4096;
/// An item at least this heavy is printed alone.
const HEAVY: usize = 1024;

/// The report, pretty-printed into `out` as it is serialized.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Each field is written below or skipped by serde: one added to the
    // `Report` must be added here.
    let Report {
        version: _,
        articles: _,
        claims: _,
        findings,
        baseline,
        lang: _,
        problems: _,
    } = report;
    super::buffered(out, |buf| {
        head(buf, report)?;
        tail(buf, findings, baseline.as_ref())
    })
}

/// The report, its findings worked out by `rest` (on a thread of its own)
/// while its articles and claims are written: `report.findings` and
/// `report.baseline` are not read; what `rest` gives is written in their
/// place, and returned. The bytes are those of `write` on the report
/// with them.
pub fn write_while(
    report: &Report,
    rest: impl FnOnce() -> (Vec<Finding>, Option<BaselineSummary>) + Send,
    out: &mut dyn Write,
) -> io::Result<(Vec<Finding>, Option<BaselineSummary>)> {
    std::thread::scope(|scope| {
        let worked = scope.spawn(rest);
        let mut settled = None;
        super::buffered(out, |buf| {
            let head_written = head(buf, report);
            let (findings, baseline) = match worked.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            let written = head_written.and_then(|()| tail(buf, &findings, baseline.as_ref()));
            settled = Some((findings, baseline));
            written
        })?;
        settled.ok_or_else(|| io::Error::other("the findings were not worked out"))
    })
}

/// `{`, the version, the articles and the claims.
fn head(buf: &mut impl Write, report: &Report) -> io::Result<()> {
    buf.write_all(b"{\n  \"version\": ")?;
    serde_json::to_writer(&mut *buf, &report.version)?;
    list(buf, "articles", &report.articles, |a| {
        1 + a.shares_copy_with.len()
    })?;
    list(buf, "claims", &report.claims, |_| 1)
}

/// The findings, the baseline's summary if any, and `}`.
fn tail(
    buf: &mut impl Write,
    findings: &[Finding],
    baseline: Option<&BaselineSummary>,
) -> io::Result<()> {
    list(buf, "findings", findings, |f| {
        1 + f.evidence.len() + f.claims.len() + f.articles.len()
    })?;
    if let Some(b) = baseline {
        buf.write_all(b",\n  \"baseline\": ")?;
        nested(buf, b, 1)?;
    }
    buf.write_all(b"\n}\n")
}

/// `,\n  "name": [ … ]`, the items at depth 2, as `to_writer_pretty`
/// writes a list field of the top-level object. `weight` tells roughly how
/// much printing an item takes (1 for a small one).
fn list<T: Serialize + Sync>(
    buf: &mut impl Write,
    name: &str,
    items: &[T],
    weight: impl Fn(&T) -> usize + Sync,
) -> io::Result<()> {
    buf.write_all(b",\n  ")?;
    serde_json::to_writer(&mut *buf, name)?;
    if items.is_empty() {
        return buf.write_all(b": []");
    }
    buf.write_all(b": [")?;
    let threads = rayon::current_num_threads().max(1);
    let mut rest = items;
    let mut first = true;
    while !rest.is_empty() {
        // The next window: light items in chunks, each chunk of CHUNK
        // weight at most (or one item), and heavy items alone, up to
        // WINDOW weight or one heavy item a thread.
        let mut chunks: Vec<&[T]> = Vec::new();
        let (mut at, mut start, mut total, mut chunk, mut heavy) = (0, 0, 0, 0, 0);
        while at < rest.len() && total < WINDOW && heavy < threads {
            let w = weight(&rest[at]);
            if w >= HEAVY {
                if at > start {
                    chunks.push(&rest[start..at]);
                }
                chunks.push(&rest[at..at + 1]);
                (at, start, chunk, total, heavy) = (at + 1, at + 1, 0, total + w, heavy + 1);
                continue;
            }
            if chunk + w > CHUNK && at > start {
                chunks.push(&rest[start..at]);
                (start, chunk) = (at, 0);
            }
            (chunk, total, at) = (chunk + w, total + w, at + 1);
        }
        if at > start {
            chunks.push(&rest[start..at]);
        }
        let pieces: Vec<Vec<u8>> = chunks
            .par_iter()
            .enumerate()
            .map(|(c, chunk)| {
                let mut piece = Vec::new();
                for (i, it) in chunk.iter().enumerate() {
                    item(&mut piece, it, first && c == 0 && i == 0)?;
                }
                Ok(piece)
            })
            .collect::<io::Result<_>>()?;
        for piece in pieces {
            buf.write_all(&piece)?;
        }
        (rest, first) = (&rest[at..], false);
    }
    buf.write_all(b"\n  ]")
}

/// One item of a top-level list: after a comma unless it is the first.
fn item(out: &mut impl Write, value: &impl Serialize, first: bool) -> io::Result<()> {
    out.write_all(if first { b"\n    " } else { b",\n    " })?;
    nested(out, value, 2)
}

/// `value` pretty-printed as if it stood `depth` levels deep.
fn nested(out: &mut impl Write, value: &impl Serialize, depth: usize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        Nested {
            level: depth,
            has_value: false,
        },
    );
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces a level) started at a given
/// level: the same bytes as the value printed inside its parents.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut n = 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, mark: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(mark)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, mark: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(mark)
    }

    fn next<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
