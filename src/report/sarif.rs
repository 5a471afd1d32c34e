//! SARIF 2.1.0: one result per finding, its first place as the location
//! and the others as related locations. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`); regions also give byte offsets.
//! `partialFingerprints` are the findings' fingerprints (`review`): stable
//! across runs and machines, whatever line a finding stands on.
//!
//! The log is serialized from borrowed structs straight into the writer, a
//! result at a time: a report of a million claims is never held as a tree.
use crate::check::Report;
use crate::compare::{Class, Severity};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Results<'a>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: String,
    short_description: Text<String>,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultEntry<'a> {
    rule_id: String,
    level: &'static str,
    message: Text<&'a str>,
    locations: Vec<Location<'a>>,
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints<'a>,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "kzcheck/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct Properties<'a> {
    kind: &'static str,
    class: Option<Class>,
    subject: Option<&'a str>,
    articles: &'a [crate::Shared],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    region: Region<'a>,
}

#[derive(Serialize)]
struct Artifact<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    snippet: Text<&'a str>,
}

/// The results, serialized one finding at a time.
struct Results<'a> {
    report: &'a Report,
    paths: HashMap<&'a str, &'a str>,
    claims: HashMap<&'a str, &'a crate::claim::Claim>,
    prints: Vec<String>,
}

impl<'a> Results<'a> {
    fn location(&self, article: &'a str, span: &crate::claim::Span, text: &'a str) -> Location<'a> {
        let (line, column) = (span.line as usize, span.column as usize);
        let end_col = column + text.chars().count();
        Location {
            physical_location: Physical {
                artifact_location: Artifact {
                    uri: self.paths.get(article).copied().unwrap_or(article),
                },
                region: Region {
                    start_line: line,
                    start_column: column,
                    end_line: line + text.matches('\n').count(),
                    end_column: if text.contains('\n') { 1 } else { end_col },
                    byte_offset: span.start as usize,
                    byte_length: span.range().len(),
                    snippet: Text { text },
                },
            },
        }
    }
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.report.findings.len()))?;
        for (f, print) in self.report.findings.iter().zip(&self.prints) {
            let mut places: Vec<Location> = f
                .claims
                .iter()
                .filter_map(|id| self.claims.get(id.as_str()))
                .map(|c| self.location(&c.article, &c.span, &c.text))
                .chain(
                    f.evidence
                        .iter()
                        .map(|e| self.location(&e.article, &e.span, &e.text)),
                )
                .collect();
            let first = if places.is_empty() {
                Vec::new()
            } else {
                vec![places.remove(0)]
            };
            seq.serialize_element(&ResultEntry {
                rule_id: format!("{}/{}", f.kind.as_str(), f.key),
                level: match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                message: Text { text: &f.message },
                locations: first,
                related_locations: places,
                partial_fingerprints: Fingerprints { v1: print },
                properties: Properties {
                    kind: f.kind.as_str(),
                    class: f.class,
                    subject: f.subject.as_deref(),
                    articles: &f.articles,
                },
            })?;
        }
        seq.end()
    }
}

pub fn render(report: &Report) -> String {
    super::to_string(|w| write(report, w))
}

/// The SARIF log, pretty-printed into `out` as it is serialized.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rule_ids: BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| format!("{}/{}", f.kind.as_str(), f.key))
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "kzcheck",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rule_ids
                        .into_iter()
                        .map(|id| RuleDescriptor {
                            short_description: Text { text: id.clone() },
                            id,
                        })
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: Results {
                report,
                paths: report
                    .articles
                    .iter()
                    .map(|a| (a.id.as_ref(), a.path.as_ref()))
                    .collect(),
                claims: report
                    .claims
                    .iter()
                    .map(|c| (c.id.as_ref(), &**c))
                    .collect(),
                prints: crate::review::fingerprints(report),
            },
        }],
    };
    super::write_pretty_json(&log, out)
}
