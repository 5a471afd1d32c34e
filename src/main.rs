//! The `kzcheck` command line: parse arguments, load rules and articles, run
//! the check, print the report. Everything else lives in the library.
use clap::{Args, Parser, Subcommand, ValueEnum};
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
#[command(
    name = "kzcheck",
    version,
    about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print every date and quantity mention with its span, value and how
    /// it was resolved (for rule writers and other tools).
    Extract(ExtractArgs),
    /// The claim rules: list them, explain one, run their examples.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Args)]
struct RulesDir {
    /// The rules folder (default: ./rules if present, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// One line per claim rule: id, key, what it reads.
    List(RulesDir),
    /// What a rule extracts, why, its patterns and examples.
    Explain {
        id: String,
        #[command(flatten)]
        dir: RulesDir,
    },
    /// Run every rule's examples; exit 1 if one fails.
    Test(RulesDir),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MentionFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Article files and folders; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The rules folder (for the lexicon).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// The day relative dates are read against when an article gives none.
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
    #[arg(long, value_enum, default_value_t = MentionFormat::Text)]
    format: MentionFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Article files and folders (.txt and .md, walked in sorted order); `-`
    /// reads standard input.
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
    /// The language of the explanations.
    #[arg(long, value_enum, default_value_t = kzcheck::explain::Lang::En)]
    lang: kzcheck::explain::Lang,
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
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let err_color = !no_color && std::io::stderr().is_terminal();
    match cli.command {
        Some(Command::Extract(args)) => extract(args, err_color),
        Some(Command::Rules { command }) => rules_command(command, err_color),
        None => check(cli.check, no_color),
    }
}

fn emit(output: Option<&Path>, data: &str) -> Result<(), ExitCode> {
    let written = match output {
        Some(p) => write_atomically(p, data),
        None => std::io::stdout().write_all(data.as_bytes()),
    };
    written.map_err(|e| {
        let _ = writeln!(std::io::stderr(), "kzcheck: cannot write the report: {e}");
        ExitCode::from(2)
    })
}

fn load_articles(paths: &[PathBuf], err_color: bool) -> Result<kzcheck::load::Loaded, ExitCode> {
    let loaded = kzcheck::load::load(paths);
    for d in &loaded.diagnostics {
        eprint_diagnostic(d, err_color);
    }
    if loaded.articles.is_empty() {
        let _ = writeln!(std::io::stderr(), "kzcheck: no article to check");
        return Err(ExitCode::from(2));
    }
    Ok(loaded)
}

fn extract(args: ExtractArgs, err_color: bool) -> ExitCode {
    let rules = match load_rules(args.rules.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            eprint_diagnostic(&e, err_color);
            return ExitCode::from(2);
        }
    };
    let loaded = match load_articles(&args.paths, err_color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mentions = kzcheck::check::mentions(&loaded.articles, &rules, args.today);
    let out = match args.format {
        MentionFormat::Json => kzcheck::report::mentions::json(&mentions),
        MentionFormat::Text => {
            let paths: HashMap<&str, &str> = loaded
                .articles
                .iter()
                .map(|a| (a.id.as_str(), a.path.as_str()))
                .collect();
            kzcheck::report::mentions::text(&mentions, &paths)
        }
    };
    match emit(args.output.as_deref(), &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

fn check(cli: CheckArgs, no_color: bool) -> ExitCode {
    let tty = std::io::stdout().is_terminal() && cli.output.is_none();
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
    let loaded = match load_articles(&cli.paths, err_color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let today = cli.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let opts = kzcheck::check::Options {
        today: Some(today),
        lang: cli.lang,
    };
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
    if let Err(code) = emit(cli.output.as_deref(), &out) {
        return code;
    }
    let threshold = match cli.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    // Like ripgrep: a file that could not be read makes the run incomplete.
    let incomplete = loaded
        .diagnostics
        .iter()
        .any(|d| miette::Diagnostic::severity(d) != Some(miette::Severity::Warning));
    ExitCode::from(if incomplete {
        2
    } else if failed {
        1
    } else {
        0
    })
}

fn rules_command(cmd: RulesCommand, err_color: bool) -> ExitCode {
    let dir = match &cmd {
        RulesCommand::List(d) | RulesCommand::Test(d) | RulesCommand::Explain { dir: d, .. } => d,
    };
    let rules = match load_rules(dir.rules.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            eprint_diagnostic(&e, err_color);
            return ExitCode::from(2);
        }
    };
    let mut out = String::new();
    let code = match &cmd {
        RulesCommand::List(_) => {
            for r in &rules.claims {
                out.push_str(&format!("{:<28} {:<36} {:?}\n", r.id, r.key, r.value));
            }
            0
        }
        RulesCommand::Explain { id, .. } => match rules.rule(id) {
            Some(r) => {
                out.push_str(&format!(
                    "{} ({}:{})\n\n{}\n\n",
                    r.id, r.file, r.line, r.doc
                ));
                out.push_str(&format!(
                    "key:    {}\nvalue:  {:?}\nsubject: {:?}\n",
                    r.key, r.value, r.subject
                ));
                if r.grows {
                    out.push_str("grows:  yes (a later, larger figure is an update)\n");
                }
                out.push_str("\npatterns:\n");
                for p in &r.sources {
                    out.push_str(&format!("  {p}\n"));
                }
                out.push_str("\nexamples it must match:\n");
                for e in &r.examples {
                    let v = e
                        .value
                        .as_ref()
                        .map(|v| format!("  → {v}"))
                        .unwrap_or_default();
                    out.push_str(&format!("  {}{v}\n", e.text));
                }
                if !r.no_match.is_empty() {
                    out.push_str("\nexamples it must not match:\n");
                    for t in &r.no_match {
                        out.push_str(&format!("  {t}\n"));
                    }
                }
                0
            }
            None => {
                let _ = writeln!(
                    std::io::stderr(),
                    "kzcheck: no rule `{id}` (see `kzcheck rules list`)"
                );
                2
            }
        },
        RulesCommand::Test(_) => {
            let failures = kzcheck::check::run_examples(&rules);
            let examples: usize = rules
                .claims
                .iter()
                .map(|r| r.examples.len() + r.no_match.len())
                .sum();
            for f in &failures {
                out.push_str(&format!(
                    "{}:{}: rule {}: «{}»: {}\n",
                    f.file, f.line, f.rule, f.text, f.problem
                ));
            }
            out.push_str(&format!(
                "{} rules, {examples} examples: {} passed, {} failed\n",
                rules.claims.len(),
                examples - failures.len(),
                failures.len()
            ));
            if failures.is_empty() {
                0
            } else {
                1
            }
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::from(code)
}
