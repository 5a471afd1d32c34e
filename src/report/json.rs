//! The JSON report: `{"version", "articles", "claims", "findings"}`, as
//! documented in README.md.
use crate::check::Report;

pub fn render(report: &Report) -> String {
    super::to_string(|w| write(report, w))
}

/// The report, pretty-printed into `out` as it is serialized.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::write_pretty_json(report, out)
}
