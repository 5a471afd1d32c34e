//! SARIF 2.1.0: one result per finding, its first place as the location
//! and the others as related locations. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`); regions also give byte offsets.
//! `partialFingerprints` are the findings' fingerprints (`review`): stable
//! across runs and machines, whatever line a finding stands on.
use crate::check::Report;
use crate::compare::Severity;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

pub fn render(report: &Report) -> String {
    let paths: HashMap<&str, &str> = report
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.path.as_str()))
        .collect();
    let claims: HashMap<&str, &crate::claim::Claim> =
        report.claims.iter().map(|c| (c.id.as_str(), c)).collect();
    let rule_ids: BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| format!("{}/{}", f.kind.as_str(), f.key))
        .collect();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| json!({"id": id, "shortDescription": {"text": id}}))
        .collect();
    let location = |article: &str, span: &crate::claim::Span, text: &str| {
        let end_col = span.column + text.chars().count();
        json!({
            "physicalLocation": {
                "artifactLocation": {"uri": paths.get(article).copied().unwrap_or(article)},
                "region": {
                    "startLine": span.line,
                    "startColumn": span.column,
                    "endLine": span.line + text.matches('\n').count(),
                    "endColumn": if text.contains('\n') { 1 } else { end_col },
                    "byteOffset": span.start,
                    "byteLength": span.end - span.start,
                    "snippet": {"text": text}
                }
            }
        })
    };
    let prints = crate::review::fingerprints(report);
    let results: Vec<Value> = report
        .findings
        .iter()
        .zip(&prints)
        .map(|(f, print)| {
            let mut places: Vec<Value> = f
                .claims
                .iter()
                .filter_map(|id| claims.get(id.as_str()))
                .map(|c| location(&c.article, &c.span, &c.text))
                .chain(f.evidence.iter().map(|e| location(&e.article, &e.span, &e.text)))
                .collect();
            let first = if places.is_empty() {
                Vec::new()
            } else {
                vec![places.remove(0)]
            };
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            json!({
                "ruleId": format!("{}/{}", f.kind.as_str(), f.key),
                "level": level,
                "message": {"text": f.message},
                "locations": first,
                "relatedLocations": places,
                "partialFingerprints": {"kzcheck/v1": print},
                "properties": {"kind": f.kind.as_str(), "class": f.class, "subject": f.subject, "articles": f.articles}
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kzcheck",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    s.push('\n');
    s
}
