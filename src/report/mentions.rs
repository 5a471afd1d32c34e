//! The `kzcheck extract` view: every date and quantity mention, one per
//! line (text) or as a JSON array.
use crate::check::Mention;

pub fn json(mentions: &[Mention]) -> String {
    let mut s = serde_json::to_string_pretty(mentions).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// `path:line:col  kind  «words»  value  (how it was resolved)`
pub fn text(mentions: &[Mention], paths: &std::collections::HashMap<&str, &str>) -> String {
    let mut s = String::new();
    for m in mentions {
        let value = m
            .value
            .as_ref()
            .map(|v| serde_json::to_string(v).unwrap_or_default())
            .unwrap_or_else(|| "null".into());
        let by = m
            .resolved_by
            .and_then(|b| serde_json::to_value(b).ok())
            .and_then(|v| v.as_str().map(|x| format!("  ({x})")))
            .unwrap_or_default();
        let path = paths
            .get(m.article.as_str())
            .copied()
            .unwrap_or(m.article.as_ref());
        s.push_str(&format!(
            "{path}:{}:{}\t{}\t«{}»\t{value}{by}\n",
            m.span.line, m.span.column, m.kind, m.text
        ));
    }
    s
}
