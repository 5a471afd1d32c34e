//! One line per place a finding stands: `path:line:col:kind:key:message`,
//! for grep, editors' quickfix lists and tests.
use crate::check::Report;
use std::collections::HashMap;

pub fn render(report: &Report) -> String {
    super::to_string(|w| write(report, w))
}

/// The lines, written into `out` finding by finding.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let paths: HashMap<&str, &str> = report
        .articles
        .iter()
        .map(|a| (a.id.as_ref(), a.path.as_ref()))
        .collect();
    let claims: HashMap<&str, &crate::claim::Claim> = report
        .claims
        .iter()
        .map(|c| (c.id.as_ref(), &**c))
        .collect();
    for f in &report.findings {
        let kind = f.label();
        let message = f.message.replace(['\n', '\r'], " ");
        let mut places: Vec<(&str, u32, u32)> = f
            .claims
            .iter()
            .filter_map(|id| claims.get(id.as_str()))
            .map(|c| (c.article.as_ref(), c.span.line, c.span.column))
            .chain(
                f.evidence
                    .iter()
                    .map(|e| (e.article.as_ref(), e.span.line, e.span.column)),
            )
            .collect();
        places.dedup();
        if places.is_empty() {
            writeln!(out, "-:0:0:{kind}:{}:{message}", f.key)?;
        }
        for (article, line, col) in places {
            let path = paths.get(article).copied().unwrap_or(article);
            writeln!(out, "{path}:{line}:{col}:{kind}:{}:{message}", f.key)?;
        }
    }
    Ok(())
}
