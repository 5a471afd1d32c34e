//! The `kzcheck` command line: parse arguments, load rules and articles, run
//! the check, print the report. Everything else lives in the library.
use clap::{Args, Parser, Subcommand, ValueEnum};
use kzcheck::report::{Format, TextOptions};
use kzcheck::review::{Baseline, Config, FailOn};
use kzcheck::rules::Rules;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    /// The project file (default: kzcheck.yaml in the first folder given,
    /// else in the current folder).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The rules folder (default: the project file's, else ./rules if
    /// present, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: error]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// The day the check runs (YYYY-MM-DD): a date with a weekday but no
    /// year, and no story window, is put in the latest fitting year up to it.
    /// Default: the system's date.
    #[arg(long, value_name = "DATE")]
    today: Option<jiff::civil::Date>,
    /// The language of the explanations [default: en]
    #[arg(long, value_enum)]
    lang: Option<kzcheck::explain::Lang>,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The baseline of accepted findings (default: the project file's
    /// `baseline:`, else kzcheck.baseline.yaml beside the project file or in
    /// the current folder).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Report every finding, accepted or not.
    #[arg(long, conflicts_with = "accept")]
    no_baseline: bool,
    /// Record the current findings as reviewed in the baseline; later runs
    /// report only new or changed findings.
    #[arg(long)]
    accept: bool,
    /// A note for the findings accepted now (with --accept).
    #[arg(long, requires = "accept", value_name = "TEXT")]
    note: Option<String>,
    /// Who reviewed them (with --accept; default: $KZCHECK_REVIEWER, else $USER).
    #[arg(long, requires = "accept", value_name = "NAME")]
    reviewer: Option<String>,
    /// No progress bar on standard error.
    #[arg(long, short)]
    quiet: bool,
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
    let fail = |e: &dyn miette::Diagnostic| {
        eprint_diagnostic(e, err_color);
        ExitCode::from(2)
    };

    // The project file; flags given on the command line win over it.
    let config = match Config::find(cli.config.as_deref(), &cli.paths) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let rules_dir = cli.rules.clone().or_else(|| {
        config
            .as_ref()
            .and_then(|c| c.rules.as_ref().map(|r| c.resolve(r)))
    });
    let rules = match load_rules(rules_dir.as_deref()) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if let Some(c) = &config {
        if let Err(errors) = c.validate(&rules) {
            for e in &errors {
                eprint_diagnostic(e, err_color);
            }
            return ExitCode::from(2);
        }
    }
    let loaded = match load_articles(&cli.paths, err_color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let bar = Bar::new(!cli.quiet && std::io::stderr().is_terminal());
    let today = cli
        .today
        .or(config.as_ref().and_then(|c| c.today))
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let opts = kzcheck::check::Options {
        today: Some(today),
        lang: cli
            .lang
            .or(config.as_ref().and_then(|c| c.lang))
            .unwrap_or_default(),
        disabled: config
            .as_ref()
            .map(|c| c.disable.clone())
            .unwrap_or_default(),
        progress: bar.progress(),
    };
    let mut report = kzcheck::check::check_with(&loaded.articles, &rules, &opts);
    bar.finish();
    if let Some(c) = &config {
        kzcheck::review::apply_severity(&mut report.findings, &c.severity);
    }

    // The baseline of accepted findings.
    let baseline_path = cli.baseline.clone().unwrap_or_else(|| match &config {
        Some(c) => c.resolve(
            c.baseline
                .as_deref()
                .unwrap_or(Path::new("kzcheck.baseline.yaml")),
        ),
        None => PathBuf::from("kzcheck.baseline.yaml"),
    });
    let baseline = if cli.no_baseline {
        Baseline::default()
    } else {
        match Baseline::load(&baseline_path) {
            Ok(b) => b,
            Err(e) => return fail(&e),
        }
    };
    let shown = baseline_path.display().to_string();
    if cli.accept {
        let reviewer = cli
            .reviewer
            .clone()
            .or_else(|| std::env::var("KZCHECK_REVIEWER").ok())
            .or_else(|| std::env::var("USER").ok())
            .filter(|r| !r.is_empty());
        let (next, new) = baseline.accept(
            &report,
            cli.note.as_deref(),
            reviewer.as_deref(),
            &jiff::Zoned::now().date().to_string(),
        );
        if let Err(e) = write_atomically(&baseline_path, &next.to_yaml()) {
            let _ = writeln!(std::io::stderr(), "kzcheck: cannot write {shown}: {e}");
            return ExitCode::from(2);
        }
        let dropped = baseline.accepted.len() + new - next.accepted.len();
        let _ = writeln!(
            std::io::stderr(),
            "kzcheck: {} findings accepted in {shown} ({new} new, {dropped} no longer found and removed)",
            next.accepted.len()
        );
        return ExitCode::SUCCESS;
    }
    if !cli.no_baseline && baseline_path.is_file() {
        let summary = baseline.apply(&mut report, &shown);
        report.baseline = Some(summary);
    }

    let texts: HashMap<&str, &str> = loaded
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.text.as_str()))
        .collect();
    let width = terminal_width();
    let out = kzcheck::report::render(&report, cli.format, TextOptions { color, width }, &texts);
    if let Err(code) = emit(cli.output.as_deref(), &out) {
        return code;
    }
    let fail_on = cli
        .fail_on
        .or(config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Error);
    let failed = fail_on
        .threshold()
        .is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
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

/// A progress bar on standard error, for long runs on a terminal: it shows
/// itself only once a run has taken half a second.
struct Bar(Option<(indicatif::ProgressBar, std::time::Instant)>);

impl Bar {
    fn new(on: bool) -> Bar {
        Bar(on.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} reading articles {pos}/{len} [{bar:30}] {per_sec} eta {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            (bar, std::time::Instant::now())
        }))
    }

    fn progress(&self) -> kzcheck::check::Progress {
        match &self.0 {
            None => kzcheck::check::Progress::default(),
            Some((bar, start)) => {
                let (bar, start) = (bar.clone(), *start);
                kzcheck::check::Progress::new(move |done, total| {
                    if bar.is_hidden() && start.elapsed().as_millis() > 500 {
                        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    }
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                })
            }
        }
    }

    fn finish(&self) {
        if let Some((bar, _)) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The width of the text report: $COLUMNS, else the terminal's, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .unwrap_or(100)
        .clamp(40, 200)
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
