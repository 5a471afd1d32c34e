//! The JSON report: `{"version", "articles", "claims", "findings"}`, as
//! documented in README.md.
use crate::check::Report;

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing into a Vec does not fail; serde_json writes UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The report, pretty-printed into `out` as it is serialized.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
