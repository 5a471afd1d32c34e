//! What each command does: load rules and articles (or shards), run the
//! library, apply the project file and the baseline, write the report and
//! choose the exit code. Everything a person sees on standard error is
//! written here.
use super::args::*;
use kzcheck::check::{Options, Part, Pending, Progress, Report};
use kzcheck::report::TextOptions;
use kzcheck::review::{Baseline, Config, FailOn};
use kzcheck::rules::Rules;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

/// Temporary files being written: removed if the run is interrupted, so
/// Ctrl-C never leaves a partial report behind.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On Ctrl-C (or SIGTERM, SIGHUP): remove the temporary files and exit 130.
pub fn on_interrupt_clean_up() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(pending) = PENDING.lock() {
            for p in pending.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        let _ = writeln!(std::io::stderr(), "kzcheck: interrupted; no report written");
        std::process::exit(130);
    });
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

fn say(message: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr(), "kzcheck: {message}");
}

/// Writes `data` to a temporary file beside `path`, then renames it: a
/// reader sees the old file or the whole new one, never part of it.
fn write_atomically(path: &Path, data: &str) -> std::io::Result<()> {
    write_atomically_with(path, |w| w.write_all(data.as_bytes()))
}

/// Writes `path` through `write` (buffered) into a temporary file beside
/// it, then renames it over `path`: a reader never sees half a file, and an
/// interrupted run leaves none behind.
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kzcheck-{}.tmp", std::process::id()));
    if let Ok(mut p) = PENDING.lock() {
        p.push(tmp.clone());
    }
    let result = std::fs::File::create(&tmp)
        .and_then(|f| write_on_a_thread(f, write)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    if let Ok(mut p) = PENDING.lock() {
        p.retain(|t| t != &tmp);
    }
    result
}

/// What `write` writes, written into `file` by a thread of its own, a
/// megabyte at a time: the report is built while the system copies what
/// came before (on a large report, that copying was a quarter of the time
/// spent writing it). Gives the file back once all is written.
fn write_on_a_thread(
    file: std::fs::File,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<std::fs::File> {
    const CHUNK: usize = 1 << 20;
    /// A report this large is written past the page cache (`direct`).
    const DIRECT_AFTER: u64 = 16 << 20;
    /// Hands full chunks to the writing thread, which hands them back
    /// empty (fresh ones would be new pages for the system to clear).
    struct Chunks {
        buf: Vec<u8>,
        tx: std::sync::mpsc::SyncSender<Vec<u8>>,
        back: std::sync::mpsc::Receiver<Vec<u8>>,
    }
    impl Chunks {
        fn send(&mut self) -> std::io::Result<()> {
            let empty = self
                .back
                .try_recv()
                .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
            let full = std::mem::replace(&mut self.buf, empty);
            self.tx.send(full).map_err(|_| {
                // The thread stopped: it has the write's error to tell.
                std::io::Error::other("the report's writer stopped")
            })
        }
    }
    impl Write for Chunks {
        /// Takes what fits in the chunk (never more, so that a large
        /// write is not one large allocation).
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            let n = data.len().min(CHUNK - self.buf.len());
            self.buf.extend_from_slice(&data[..n]);
            if self.buf.len() >= CHUNK {
                self.send()?;
            }
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let (back_tx, back) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> std::io::Result<std::fs::File> {
            let mut sink = super::direct::Sink::new(file, DIRECT_AFTER, CHUNK);
            for mut chunk in rx {
                sink.write_all(&chunk)?;
                chunk.clear();
                // Kept only while there is room: else it is freed.
                let _ = back_tx.try_send(chunk);
            }
            Ok(sink.finish())
        });
        let mut chunks = Chunks {
            buf: Vec::with_capacity(CHUNK),
            tx,
            back,
        };
        let made = write(&mut chunks).and_then(|()| {
            if chunks.buf.is_empty() {
                Ok(())
            } else {
                chunks.send()
            }
        });
        drop(chunks);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the report's writer panicked")));
        // The writer's own error first: it is why sending failed.
        match (written, made) {
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
            (Ok(f), Ok(())) => Ok(f),
        }
    })
}

fn emit(output: Option<&Path>, data: &str) -> Result<(), ExitCode> {
    emit_with(output, |w| w.write_all(data.as_bytes()))
}

/// The file `-o` names: none for `-`, which is standard output.
fn output_file(output: &Option<std::path::PathBuf>) -> Option<&Path> {
    output.as_deref().filter(|p| *p != Path::new("-"))
}

/// Writes a report to `output` (atomically) or to standard output, as
/// `write` produces it, without holding it whole.
fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    let written = match output {
        Some(p) => write_atomically_with(p, write),
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write(&mut w).and_then(|()| w.flush())
        }
    };
    written.map_err(|e| {
        say(format_args!("cannot write the report: {e}"));
        ExitCode::from(2)
    })
}

fn load_rules(dir: Option<&Path>, err_color: bool) -> Result<Rules, ExitCode> {
    let rules = match dir {
        Some(d) => Rules::from_dir(d),
        None if Path::new("rules/lexicon.yaml").is_file() => Rules::from_dir(Path::new("rules")),
        None => Rules::builtin(),
    };
    rules.map_err(|e| {
        eprint_diagnostic(&e, err_color);
        ExitCode::from(2)
    })
}

fn load_articles(paths: &[PathBuf], err_color: bool) -> Result<kzcheck::load::Loaded, ExitCode> {
    let loaded = kzcheck::load::load(paths);
    for d in &loaded.diagnostics {
        eprint_diagnostic(d, err_color);
    }
    if loaded.articles.is_empty() {
        say(format_args!("no article to check"));
        return Err(ExitCode::from(2));
    }
    Ok(loaded)
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

    fn progress(&self) -> Progress {
        match &self.0 {
            None => Progress::default(),
            Some((bar, start)) => {
                let (bar, start) = (bar.clone(), *start);
                Progress::new(move |done, total| {
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

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Colour on standard error: on a terminal, unless NO_COLOR says not.
pub fn stderr_color() -> bool {
    !no_color() && std::io::stderr().is_terminal()
}

/// What a report command settled before it produced a report.
struct Setup {
    config: Option<Config>,
    rules: Rules,
    err_color: bool,
}

fn setup(args: &ReportArgs, inputs: &[PathBuf]) -> Result<Setup, ExitCode> {
    let err_color = args.color != Color::Never && stderr_color();
    // The project file; flags given on the command line win over it.
    let config = Config::find(args.config.as_deref(), inputs).map_err(|e| {
        eprint_diagnostic(e.as_ref(), err_color);
        ExitCode::from(2)
    })?;
    let rules_dir = args.rules.clone().or_else(|| {
        config
            .as_ref()
            .and_then(|c| c.rules.as_ref().map(|r| c.resolve(r)))
    });
    let rules = load_rules(rules_dir.as_deref(), err_color)?;
    if let Some(c) = &config {
        if let Err(errors) = c.validate(&rules) {
            for e in &errors {
                eprint_diagnostic(e, err_color);
            }
            return Err(ExitCode::from(2));
        }
    }
    Ok(Setup {
        config,
        rules,
        err_color,
    })
}

impl Setup {
    fn options(&self, args: &ReportArgs, today: Option<jiff::civil::Date>) -> Options {
        let c = self.config.as_ref();
        Options {
            today: Some(
                today
                    .or(c.and_then(|c| c.today))
                    .unwrap_or_else(|| jiff::Zoned::now().date()),
            ),
            lang: args.lang.or(c.and_then(|c| c.lang)).unwrap_or_default(),
            disabled: c.map(|c| c.disable.clone()).unwrap_or_default(),
            progress: Progress::default(),
        }
    }

    /// The findings (`pending`), severity overrides, the baseline (or
    /// `--accept`), the report, the exit code. `incomplete`: an input
    /// could not be read. A JSON report's articles and claims are written
    /// while its findings are worked out.
    fn finish(
        &self,
        args: &ReportArgs,
        mut report: Report,
        pending: Pending,
        texts: &dyn kzcheck::report::ArticleTexts,
        incomplete: bool,
    ) -> ExitCode {
        let baseline_path = args.baseline.clone().unwrap_or_else(|| match &self.config {
            Some(c) => c.resolve(
                c.baseline
                    .as_deref()
                    .unwrap_or(Path::new("kzcheck.baseline.yaml")),
            ),
            None => PathBuf::from("kzcheck.baseline.yaml"),
        });
        let shown = baseline_path.display().to_string();
        let baseline = if args.no_baseline {
            Baseline::default()
        } else {
            match Baseline::load(&baseline_path) {
                Ok(b) => b,
                Err(e) => {
                    eprint_diagnostic(e.as_ref(), self.err_color);
                    return ExitCode::from(2);
                }
            }
        };
        let use_baseline = !args.accept && !args.no_baseline && baseline_path.is_file();
        // The findings as the report gives them: worked out, severities
        // overridden, those the baseline accepts left out.
        let settle = |report: &Report| {
            let mut findings = pending.findings(report, &self.rules);
            if let Some(c) = &self.config {
                kzcheck::review::apply_severity(&mut findings, &c.severity);
            }
            let summary =
                use_baseline.then(|| baseline.apply_to(&report.claims, &mut findings, &shown));
            (findings, summary)
        };
        if args.accept {
            (report.findings, _) = settle(&report);
            let reviewer = args
                .reviewer
                .clone()
                .or_else(|| std::env::var("KZCHECK_REVIEWER").ok())
                .or_else(|| std::env::var("USER").ok())
                .filter(|r| !r.is_empty());
            let (next, new) = baseline.accept(
                &report,
                args.note.as_deref(),
                reviewer.as_deref(),
                &jiff::Zoned::now().date().to_string(),
            );
            if let Err(e) = write_atomically(&baseline_path, &next.to_yaml()) {
                say(format_args!("cannot write {shown}: {e}"));
                return ExitCode::from(2);
            }
            let dropped = baseline.accepted.len() + new - next.accepted.len();
            say(format_args!(
                "{} findings accepted in {shown} ({new} new, {dropped} no longer found and removed)",
                next.accepted.len()
            ));
            return ExitCode::SUCCESS;
        }
        if args.format == kzcheck::report::Format::Json {
            let mut settled = None;
            let written = emit_with(output_file(&args.output), |w| {
                settled = Some(kzcheck::report::json::write_while(
                    &report,
                    || settle(&report),
                    w,
                )?);
                Ok(())
            });
            if let Err(code) = written {
                return code;
            }
            if let Some((findings, summary)) = settled {
                (report.findings, report.baseline) = (findings, summary);
            }
            return self.exit_code(args, report, incomplete);
        }
        (report.findings, report.baseline) = settle(&report);

        let tty = std::io::stdout().is_terminal() && output_file(&args.output).is_none();
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => tty && !no_color(),
        };
        let opts = TextOptions {
            color,
            width: terminal_width(),
        };
        let written = emit_with(output_file(&args.output), |w| {
            kzcheck::report::write(&report, args.format, opts, texts, w)
        });
        if let Err(code) = written {
            return code;
        }
        self.exit_code(args, report, incomplete)
    }

    /// 2 if an input could not be read, 1 if a finding is as severe as
    /// `--fail-on`, else 0.
    fn exit_code(&self, args: &ReportArgs, report: Report, incomplete: bool) -> ExitCode {
        let fail_on = args
            .fail_on
            .or(self.config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or(FailOn::Error);
        let failed = fail_on
            .threshold()
            .is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
        // The process ends here: the report's millions of strings are left
        // to the operating system rather than freed one by one (seconds on
        // a large corpus).
        std::mem::forget(report);
        // Like ripgrep: an input that could not be read makes the run incomplete.
        ExitCode::from(if incomplete {
            2
        } else if failed {
            1
        } else {
            0
        })
    }
}

/// `kzcheck PATH...`: files are listed first, then read, analysed and let
/// go one at a time, so memory holds the claims rather than the corpus;
/// the text and HTML reports read the articles again for their words.
pub fn check(args: CheckArgs) -> ExitCode {
    // The rules are compiled while the folders are listed.
    let (s, plan) = rayon::join(
        || setup(&args.report, &args.paths),
        || kzcheck::load::plan(&args.paths),
    );
    let s = match s {
        Ok(s) => s,
        Err(code) => return code,
    };
    let bar = Bar::new(!args.report.quiet && std::io::stderr().is_terminal());
    let mut opts = s.options(&args.report, args.today);
    opts.progress = bar.progress();
    let (_, parts, read_errors) =
        kzcheck::check::parts_from(&plan.sources, plan.stdin.as_ref(), &s.rules, &opts);
    bar.finish();
    let mut diagnostics = plan.diagnostics;
    diagnostics.extend(read_errors);
    diagnostics.sort_by(|a, b| a.path().cmp(b.path()));
    for d in &diagnostics {
        eprint_diagnostic(d, s.err_color);
    }
    if parts.is_empty() {
        say(format_args!("no article to check"));
        return ExitCode::from(2);
    }
    let (report, pending) = kzcheck::check::gather(parts, &opts);
    for p in &report.problems {
        say(format_args!("{p}"));
    }
    let incomplete = !report.problems.is_empty()
        || diagnostics
            .iter()
            .any(|d| miette::Diagnostic::severity(d) != Some(miette::Severity::Warning));
    // The text and HTML reports read the articles again for their words,
    // when they are written (the text report keeps the sentences it quotes).
    let sources: HashMap<&str, &kzcheck::load::Source> =
        plan.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let stdin = plan.stdin.as_ref();
    let texts = |id: &str| -> Option<String> {
        match stdin {
            Some(a) if a.id.as_str() == id => Some(a.text.clone()),
            _ => sources.get(id)?.text(),
        }
    };
    s.finish(&args.report, report, pending, &texts, incomplete)
}

/// `kzcheck compare SHARD...`
pub fn compare(args: CompareArgs) -> ExitCode {
    let s = match setup(&args.report, &args.shards) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut parts: Vec<Part> = Vec::new();
    let mut calendar: Option<(PathBuf, kzcheck::shard::Header)> = None;
    for path in &args.shards {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                say(format_args!("cannot read the shard {shown}: {e}"));
                return ExitCode::from(2);
            }
        };
        let (header, mut p) = match kzcheck::shard::read(&shown, &text, &s.rules) {
            Ok(r) => r,
            Err(e) => {
                eprint_diagnostic(&e, s.err_color);
                return ExitCode::from(2);
            }
        };
        match &calendar {
            Some((first, h))
                if (h.window, h.latest_year) != (header.window, header.latest_year) =>
            {
                say(format_args!(
                    "{shown} was read on another calendar than {} (window {:?}, latest year {:?} versus {:?}, {:?}): \
                     declare the story's `window:` in story.yaml, or give every extract the same --today",
                    first.display(),
                    header.window,
                    header.latest_year,
                    h.window,
                    h.latest_year
                ));
                return ExitCode::from(2);
            }
            Some(_) => {}
            None => calendar = Some((path.clone(), header)),
        }
        parts.append(&mut p);
    }
    // The same article in two shards is compared once.
    parts.sort_by(|a, b| (&a.info.path, &a.info.id).cmp(&(&b.info.path, &b.info.id)));
    parts.dedup_by(|a, b| a.info.id == b.info.id && a.info.path == b.info.path);
    if parts.is_empty() {
        say(format_args!("no article in the shards"));
        return ExitCode::from(2);
    }
    let opts = s.options(&args.report, None);
    let (report, pending) = kzcheck::check::gather(parts, &opts);
    for p in &report.problems {
        say(format_args!("{p}"));
    }
    let incomplete = !report.problems.is_empty();
    // The words around each claim, for the text and HTML reports, from the
    // articles themselves where this machine can read them, decoded as
    // `extract` decoded them (their spans are into that text).
    let paths: HashMap<String, String> = report
        .articles
        .iter()
        .map(|a| (a.id.to_string(), a.path.clone()))
        .collect();
    let texts = |id: &str| {
        let path = paths.get(id)?;
        let bytes = std::fs::read(path).ok()?;
        kzcheck::load::text_from_bytes(path, bytes)
    };
    s.finish(&args.report, report, pending, &texts, incomplete)
}

/// `kzcheck extract PATH...`: the mentions, or with --claims a shard.
pub fn extract(args: ExtractArgs, err_color: bool) -> ExitCode {
    let rules = match load_rules(args.rules.as_deref(), err_color) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let loaded = match load_articles(&args.paths, err_color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let out = if args.claims {
        let opts = Options {
            today: Some(args.today.unwrap_or_else(|| jiff::Zoned::now().date())),
            ..Options::default()
        };
        let (cal, parts) = kzcheck::check::parts(&loaded.articles, &rules, &opts);
        let mut out =
            serde_json::to_string(&kzcheck::shard::Header::new(&rules, &cal)).unwrap_or_default();
        out.push('\n');
        for p in &parts {
            match kzcheck::shard::to_line(p, &rules) {
                Ok(line) => out.push_str(&line),
                Err(e) => {
                    say(format_args!(
                        "cannot write the claims of {}: {e}",
                        p.info.path
                    ));
                    return ExitCode::from(2);
                }
            }
            out.push('\n');
        }
        out
    } else {
        let mentions = kzcheck::check::mentions(&loaded.articles, &rules, args.today);
        match args.format {
            MentionFormat::Json => kzcheck::report::mentions::json(&mentions),
            MentionFormat::Text => {
                let paths: HashMap<&str, &str> = loaded
                    .articles
                    .iter()
                    .map(|a| (a.id.as_ref(), a.path.as_str()))
                    .collect();
                kzcheck::report::mentions::text(&mentions, &paths)
            }
        }
    };
    if let Err(code) = emit(output_file(&args.output), &out) {
        return code;
    }
    let incomplete = loaded
        .diagnostics
        .iter()
        .any(|d| miette::Diagnostic::severity(d) != Some(miette::Severity::Warning));
    ExitCode::from(if incomplete { 2 } else { 0 })
}

/// `kzcheck rules list|explain|test`
pub fn rules_command(cmd: RulesCommand, err_color: bool) -> ExitCode {
    let dir = match &cmd {
        RulesCommand::List(d) | RulesCommand::Test(d) | RulesCommand::Explain { dir: d, .. } => d,
    };
    let rules = match load_rules(dir.rules.as_deref(), err_color) {
        Ok(r) => r,
        Err(code) => return code,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes that mix small pieces and pieces larger than a chunk.
    fn pieces(w: &mut dyn Write) -> std::io::Result<()> {
        for i in 0..3000u32 {
            w.write_all(format!("{i},").as_bytes())?;
            if i % 1000 == 0 {
                w.write_all(&vec![b'x'; (1 << 20) + 3])?;
            }
        }
        Ok(())
    }

    #[test]
    fn a_report_written_on_a_thread_is_written_whole_and_in_order() {
        let mut expected = Vec::new();
        pieces(&mut expected).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file = write_on_a_thread(file, pieces).unwrap();
        use std::io::{Read, Seek};
        file.rewind().unwrap();
        let mut got = Vec::new();
        file.read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), expected.len());
        assert!(got == expected);
    }

    #[test]
    fn a_file_that_cannot_be_written_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "").unwrap();
        // Opened for reading only: every write fails.
        let file = std::fs::File::open(&path).unwrap();
        assert!(write_on_a_thread(file, pieces).is_err());
        let file = std::fs::File::open(&path).unwrap();
        assert!(write_on_a_thread(file, |w| w.write_all(b"short")).is_err());
    }

    #[test]
    fn an_error_of_the_report_itself_is_returned() {
        let file = tempfile::tempfile().unwrap();
        let e = write_on_a_thread(file, |_| Err(std::io::Error::other("no report"))).unwrap_err();
        assert_eq!(e.to_string(), "no report");
    }
}
