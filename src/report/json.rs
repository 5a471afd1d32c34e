//! The JSON report: `{"version", "articles", "claims", "findings"}`, as
//! documented in README.md.
//!
//! It is the bytes `serde_json::to_writer_pretty` gives for the `Report`,
//! and a newline, but the long lists are serialized on every core: each
//! item pretty-printed alone, its lines moved in to the depth the list
//! stands at, and handed to the writer in order, a window at a time (a
//! large report is never held whole). A test checks the two are the same
//! bytes, so a field added to the `Report` cannot be left out here.
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::check::Report;

pub fn render(report: &Report) -> String {
    super::to_string(|w| write(report, w))
}

/// Items of a list pretty-printed together on one thread.
const CHUNK: usize = 64;
/// Items serialized before they are handed to the writer.
const WINDOW: usize = 8192;

/// The report, pretty-printed into `out` as it is serialized.
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let Report {
        version,
        articles,
        claims,
        findings,
        baseline,
        lang: _,
        problems: _,
    } = report;
    super::buffered(out, |buf| {
        buf.write_all(b"{\n  \"version\": ")?;
        serde_json::to_writer(&mut *buf, version)?;
        list(buf, "articles", articles)?;
        list(buf, "claims", claims)?;
        list(buf, "findings", findings)?;
        if let Some(b) = baseline {
            buf.write_all(b",\n  \"baseline\": ")?;
            buf.write_all(&indented(b, 1)?)?;
        }
        buf.write_all(b"\n}\n")
    })
}

/// `,\n  "name": [ … ]` with the items at depth 2, as `to_writer_pretty`
/// writes a field of the top-level object.
fn list<T: Serialize + Sync>(buf: &mut impl Write, name: &str, items: &[T]) -> std::io::Result<()> {
    buf.write_all(b",\n  ")?;
    serde_json::to_writer(&mut *buf, name)?;
    if items.is_empty() {
        return buf.write_all(b": []");
    }
    buf.write_all(b": [")?;
    for (w, window) in items.chunks(WINDOW).enumerate() {
        let pieces: Vec<Vec<u8>> = window
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                let mut piece = Vec::new();
                for (i, item) in chunk.iter().enumerate() {
                    if (w, c, i) != (0, 0, 0) {
                        piece.push(b',');
                    }
                    piece.extend_from_slice(b"\n    ");
                    piece.extend_from_slice(&indented(item, 2)?);
                }
                Ok(piece)
            })
            .collect::<std::io::Result<_>>()?;
        for piece in pieces {
            buf.write_all(&piece)?;
        }
    }
    buf.write_all(b"\n  ]")
}

/// `value` pretty-printed, every line after the first moved in by `depth`
/// levels. (JSON strings hold no raw newline: every newline is the
/// printer's own.)
fn indented(value: &impl Serialize, depth: usize) -> std::io::Result<Vec<u8>> {
    let alone = serde_json::to_vec_pretty(value)?;
    let lines = alone.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(alone.len() + lines * 2 * depth);
    for &b in &alone {
        out.push(b);
        if b == b'\n' {
            out.extend(std::iter::repeat_n(b' ', 2 * depth));
        }
    }
    Ok(out)
}
