//! Rendering a report: one model, several formats. Each renderer returns a
//! string; only the binary writes it out.
pub mod html;
pub mod json;
pub mod line;
pub mod mentions;
pub mod sarif;
pub mod text;

use crate::check::Report;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings for a person, with the words from each article.
    Text,
    /// The stable JSON contract (see README).
    Json,
    /// The claim graph for Graphviz.
    Dot,
    /// One line per place: `path:line:col:kind:key:message`.
    Line,
    /// The JSON contract, as YAML.
    Yaml,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One self-contained HTML page: summary, claim graph, findings side by
    /// side, the full texts.
    Html,
}

/// Options for the text renderer.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub color: bool,
    pub width: usize,
}

/// Renders `report`; `texts` maps each article id to its original text,
/// for the snippets of the text format.
pub fn render(
    report: &Report,
    format: Format,
    opts: TextOptions,
    texts: &std::collections::HashMap<&str, &str>,
) -> String {
    match format {
        Format::Text => text::render(report, opts, texts),
        Format::Json => json::render(report),
        Format::Dot => crate::graph::to_dot(report),
        Format::Line => line::render(report),
        Format::Sarif => sarif::render(report),
        Format::Html => html::render(report, texts),
        Format::Yaml => serde_yaml::to_string(report).unwrap_or_else(|e| format!("error: {e}\n")),
    }
}
