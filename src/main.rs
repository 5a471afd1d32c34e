//! The `kzcheck` command line: parse arguments, load rules and articles, run
//! the check, print the report. Everything else lives in the library.
use clap::{Parser, ValueEnum};
use kzcheck::compare::Severity;
use kzcheck::report::{Format, TextOptions};
use kzcheck::rules::Rules;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Checks news articles about one story for facts that agree, contradict
/// each other, or contradict themselves.
#[derive(Debug, Parser)]
#[command(name = "kzcheck", version, about)]
struct Cli {
    /// Article files and folders (.txt and .md, walked in sorted order).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The rules folder (default: ./rules if present, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The day the check runs (YYYY-MM-DD): a date with a weekday but no
    /// year, and no story window, is put in the latest fitting year up to it.
    /// Default: the system's date.
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

fn load_rules(dir: Option<&Path>) -> Result<Rules, kzcheck::rules::RulesError> {
    match dir {
        Some(d) => Rules::from_dir(d),
        None if Path::new("rules/lexicon.yaml").is_file() => Rules::from_dir(Path::new("rules")),
        None => Rules::builtin(),
    }
}

fn eprint_diagnostic(d: &dyn miette::Diagnostic, color: bool) {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let mut s = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut s, d).is_err() {
        s = format!("{d}\n");
    }
    let _ = std::io::stderr().write_all(s.as_bytes());
}

fn write_atomically(path: &Path, data: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kzcheck-{}.tmp", std::process::id()));
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let tty = std::io::stdout().is_terminal() && cli.output.is_none();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => tty && !no_color,
    };
    let err_color = cli.color != Color::Never && !no_color && std::io::stderr().is_terminal();

    let rules = match load_rules(cli.rules.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            eprint_diagnostic(&e, err_color);
            return ExitCode::from(2);
        }
    };
    let loaded = kzcheck::load::load(&cli.paths);
    for d in &loaded.diagnostics {
        eprint_diagnostic(d, err_color);
    }
    if loaded.articles.is_empty() {
        let _ = writeln!(std::io::stderr(), "kzcheck: no article to check");
        return ExitCode::from(2);
    }
    let today = cli.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let opts = kzcheck::check::Options { today: Some(today) };
    let report = kzcheck::check::check_with(&loaded.articles, &rules, &opts);
    let texts: HashMap<&str, &str> = loaded
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.text.as_str()))
        .collect();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let out = kzcheck::report::render(&report, cli.format, TextOptions { color, width }, &texts);
    let written = match &cli.output {
        Some(p) => write_atomically(p, &out),
        None => std::io::stdout().write_all(out.as_bytes()),
    };
    if let Err(e) = written {
        let _ = writeln!(std::io::stderr(), "kzcheck: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    let threshold = match cli.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    ExitCode::from(if failed { 1 } else { 0 })
}
