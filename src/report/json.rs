//! The JSON report: `{"version", "articles", "claims", "findings"}`, as
//! documented in README.md.
use crate::check::Report;

pub fn render(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
