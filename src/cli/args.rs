//! The command line's words: every subcommand and flag, with its help.
use clap::{Args, Parser, Subcommand, ValueEnum};
use kzcheck::report::Format;
use kzcheck::review::FailOn;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
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
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every date and quantity mention with its span, value and how
    /// it was resolved (for rule writers and other tools); with --claims,
    /// write the articles' claims as a shard for `kzcheck compare`.
    Extract(ExtractArgs),
    /// Compare claims shards written by `kzcheck extract --claims`: the
    /// same report as one run over all their articles.
    Compare(CompareArgs),
    /// The claim rules: list them, explain one, run their examples.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Args)]
pub struct RulesDir {
    /// The rules folder (default: ./rules if present, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
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
pub enum MentionFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Article files and folders; `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The rules folder (for the lexicon, and the claim rules with --claims).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The day relative dates are read against when an article gives none.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    #[arg(long, value_enum, default_value_t = MentionFormat::Text, conflicts_with = "claims")]
    pub format: MentionFormat,
    /// Write the claims of each article as JSON Lines (a shard for
    /// `kzcheck compare`) instead of the mentions.
    #[arg(long)]
    pub claims: bool,
    /// Write to this file (atomically) instead of standard output (`-`:
    /// standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What every command that writes a report takes.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The project file (default: kzcheck.yaml in the first folder given,
    /// else in the current folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The rules folder (default: the project file's, else ./rules if
    /// present, else the built-in rules).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file (atomically) instead of standard
    /// output (`-`: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// The language of the explanations [default: en]
    #[arg(long, value_enum)]
    pub lang: Option<kzcheck::explain::Lang>,
    /// Colour in the text report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// The baseline of accepted findings (default: the project file's
    /// `baseline:`, else kzcheck.baseline.yaml beside the project file or in
    /// the current folder).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report every finding, accepted or not.
    #[arg(long, conflicts_with = "accept")]
    pub no_baseline: bool,
    /// Record the current findings as reviewed in the baseline; later runs
    /// report only new or changed findings.
    #[arg(long)]
    pub accept: bool,
    /// A note for the findings accepted now (with --accept).
    #[arg(long, requires = "accept", value_name = "TEXT")]
    pub note: Option<String>,
    /// Who reviewed them (with --accept; default: $KZCHECK_REVIEWER, else $USER).
    #[arg(long, requires = "accept", value_name = "NAME")]
    pub reviewer: Option<String>,
    /// No progress bar on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Article files and folders (.txt and .md, walked in sorted order); `-`
    /// reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The day the check runs (YYYY-MM-DD): a date with a weekday but no
    /// year, and no story window, is put in the latest fitting year up to it.
    /// Default: the system's date.
    #[arg(long, value_name = "DATE")]
    pub today: Option<jiff::civil::Date>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Claims shards (JSON Lines from `kzcheck extract --claims`).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
}
