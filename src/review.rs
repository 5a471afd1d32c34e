//! The review workflow: the project file `kzcheck.yaml` (rules folder,
//! severity overrides, disabled rules, where the baseline is) and the
//! baseline of findings an editor has accepted, so that each discrepancy is
//! reviewed once and CI gates only on new or changed ones.
//!
//! A finding is known by its fingerprint: what it is about (kind, key,
//! subject) and the words each article gives, never the line it stands on,
//! so it survives edits elsewhere in the articles and changes when the
//! words it rests on change.
use crate::check::Report;
use crate::compare::{Finding, Severity};
use crate::rules::{RuleError, Rules};
use miette::{NamedSource, SourceOffset, SourceSpan};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The project file's name, looked for at the corpus root.
pub const CONFIG_FILE: &str = "kzcheck.yaml";

/// The severity a finding fails the run at (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// A severity a project gives a kind of finding, or `off` to drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

/// `kzcheck.yaml`. Paths in it are relative to the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the file is (set when loaded).
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    text: String,
    /// The rules folder.
    pub rules: Option<PathBuf>,
    /// The baseline file (`kzcheck --accept` writes it).
    pub baseline: Option<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub lang: Option<crate::explain::Lang>,
    pub today: Option<jiff::civil::Date>,
    /// Severity per selector: a finding kind (`agreement`), kind and class
    /// (`contradiction/update`), a claim key (`troops.total`), or a kind
    /// with a key (`agreement:troops.total`). The most specific wins.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    /// Claim rules not to run, by id.
    #[serde(default)]
    pub disable: Vec<String>,
}

fn config_error(
    path: &str,
    text: &str,
    offset: usize,
    len: usize,
    message: String,
) -> Box<RuleError> {
    let offset = offset.min(text.len());
    let len = len.min(text.len() - offset);
    Box::new(RuleError {
        code: "kzcheck::config",
        label: message.split(": ").last().unwrap_or("here").to_string(),
        message,
        help: Some(
            "kzcheck.yaml takes: rules, baseline, fail_on, lang, today, severity, disable (see README)"
                .into(),
        ),
        src: NamedSource::new(path, text.to_string()),
        span: SourceSpan::new(offset.into(), len),
        file: path.to_string(),
        line: text[..offset].matches('\n').count() + 1,
    })
}

/// A YAML error in a project or baseline file, at its line.
fn yaml_error(path: &str, text: &str, e: &serde_yaml::Error, prefix: &str) -> Box<RuleError> {
    let off = e
        .location()
        .map(|l| SourceOffset::from_location(text, l.line(), l.column()).offset())
        .unwrap_or(0);
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    config_error(path, text, off, 1, format!("{prefix}{msg}"))
}

/// Where `word` first stands in `text` outside comments, for pointing at it.
fn position_of(text: &str, word: &str) -> (usize, usize) {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        if let Some(i) = code.find(word) {
            return (at + i, word.len());
        }
        at += line.len();
    }
    (0, 0)
}

impl Config {
    /// Reads a project file.
    pub fn load(path: &Path) -> Result<Config, Box<RuleError>> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| config_error(&shown, "", 0, 0, format!("cannot read {shown}: {e}")))?;
        let mut c: Config = if text.trim().is_empty() {
            Config::default()
        } else {
            serde_yaml::from_str(&text).map_err(|e| yaml_error(&shown, &text, &e, ""))?
        };
        c.path = path.to_path_buf();
        c.text = text;
        Ok(c)
    }

    /// The project file for a run: `explicit` (`--config`), else
    /// `kzcheck.yaml` in the first folder given (or the folder of the first
    /// file), else in the current folder.
    pub fn find(
        explicit: Option<&Path>,
        inputs: &[PathBuf],
    ) -> Result<Option<Config>, Box<RuleError>> {
        if let Some(p) = explicit {
            return Config::load(p).map(Some);
        }
        let mut candidates: Vec<PathBuf> = inputs
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .map(|p| {
                if p.is_dir() {
                    p.join(CONFIG_FILE)
                } else {
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new("."))
                        .join(CONFIG_FILE)
                }
            })
            .collect();
        candidates.push(PathBuf::from(CONFIG_FILE));
        match candidates.into_iter().find(|c| c.is_file()) {
            Some(c) => Config::load(&c).map(Some),
            None => Ok(None),
        }
    }

    /// A path named in the file, relative to the file.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            return p.to_path_buf();
        }
        match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.join(p),
            None => p.to_path_buf(),
        }
    }

    /// Checks the file against the rules: every disabled rule and every
    /// severity selector must name something that exists.
    pub fn validate(&self, rules: &Rules) -> Result<(), Vec<RuleError>> {
        let shown = self.path.display().to_string();
        let mut errors = Vec::new();
        for id in &self.disable {
            if rules.rule(id).is_none() {
                let (off, len) = position_of(&self.text, id);
                errors.push(*config_error(
                    &shown,
                    &self.text,
                    off,
                    len,
                    format!(
                        "disable: no claim rule `{id}` (see `kzcheck rules list`): unknown rule"
                    ),
                ));
            }
        }
        for sel in self.severity.keys() {
            if !selector_known(sel, rules) {
                let (off, len) = position_of(&self.text, sel);
                errors.push(*config_error(
                    &shown,
                    &self.text,
                    off,
                    len,
                    format!(
                        "severity: `{sel}` is no finding kind, kind/class or claim key: unknown selector"
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

const KINDS: [&str; 5] = [
    "contradiction",
    "inconsistency",
    "name_variant",
    "agreement",
    "uncorroborated",
];
const CLASSES: [&str; 5] = [
    "conflict",
    "update",
    "reported_dispute",
    "independent",
    "echo",
];
/// Keys the engine itself gives findings, beside the rules' claim keys.
const ENGINE_KEYS: [&str; 5] = [
    "date.weekday",
    "date.calendar",
    "quote",
    "quote.speaker",
    "name.spelling",
];

fn key_known(key: &str, rules: &Rules) -> bool {
    ENGINE_KEYS.contains(&key)
        || rules.claims.iter().any(|r| *r.key == *key)
        || rules.entities.iter().any(|e| *e.id == *key)
}

fn label_known(label: &str) -> bool {
    match label.split_once('/') {
        Some((k, c)) => KINDS.contains(&k) && CLASSES.contains(&c),
        None => KINDS.contains(&label),
    }
}

fn selector_known(sel: &str, rules: &Rules) -> bool {
    match sel.split_once(':') {
        Some((label, key)) => label_known(label) && key_known(key, rules),
        None => label_known(sel) || key_known(sel, rules),
    }
}

/// How specifically `sel` names `f`, if it does: kind/class:key 5,
/// kind:key 4, key 3, kind/class 2, kind 1.
fn specificity(sel: &str, f: &Finding) -> Option<u8> {
    let kind = f.kind.as_str();
    let label = f.label();
    match sel.split_once(':') {
        Some((l, k)) if *k == *f.key && l == label && l != kind => Some(5),
        Some((l, k)) if *k == *f.key && l == kind => Some(4),
        Some(_) => None,
        None if *sel == *f.key => Some(3),
        None if sel == label && sel != kind => Some(2),
        None if sel == kind => Some(1),
        None => None,
    }
}

/// Gives findings the severity the project sets for them; `off` drops them.
pub fn apply_severity(findings: &mut Vec<Finding>, levels: &BTreeMap<String, Level>) {
    if levels.is_empty() {
        return;
    }
    findings.retain_mut(|f| {
        let chosen = levels
            .iter()
            .filter_map(|(sel, lvl)| specificity(sel, f).map(|s| (s, *lvl)))
            .max_by_key(|(s, _)| *s)
            .map(|(_, l)| l);
        match chosen {
            None => true,
            Some(Level::Off) => false,
            Some(Level::Error) => {
                f.severity = Severity::Error;
                true
            }
            Some(Level::Warning) => {
                f.severity = Severity::Warning;
                true
            }
            Some(Level::Info) => {
                f.severity = Severity::Info;
                true
            }
        }
    });
    crate::compare::sort(findings);
}

fn fnv1a(s: &str) -> String {
    format!("{:016x}", crate::copy::fnv1a(s))
}

/// Each finding's fingerprint, in report order: a hash of its kind, key,
/// subject and the words each article gives (not where they stand).
pub fn fingerprints(report: &Report) -> Vec<String> {
    fingerprints_of(&report.claims, &report.findings)
}

/// The fingerprints of `findings`, whose claims are among `claims`.
fn fingerprints_of(claims: &[Box<crate::claim::Claim>], findings: &[Finding]) -> Vec<String> {
    let claims: HashMap<&str, &crate::claim::Claim> =
        claims.iter().map(|c| (c.id.as_ref(), &**c)).collect();
    findings
        .iter()
        .map(|f| {
            let mut words: Vec<String> = f
                .claims
                .iter()
                .filter_map(|id| claims.get(id.as_str()))
                .map(|c| format!("{}={}", c.article, c.text))
                .chain(
                    f.evidence
                        .iter()
                        .map(|e| format!("{}={}", e.article, e.text)),
                )
                .collect();
            words.sort();
            fnv1a(&format!(
                "{}|{}|{}|{}",
                f.kind.as_str(),
                f.key,
                f.subject.as_deref().unwrap_or(""),
                words.join("|")
            ))
        })
        .collect()
}

/// A finding an editor has reviewed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub fingerprint: String,
    /// What it was, for the person reading the file.
    pub kind: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub articles: Vec<String>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// The day it was accepted.
    pub accepted: String,
}

/// The baseline file: the findings accepted so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(default)]
    pub accepted: Vec<Accepted>,
}

/// What the baseline did to a report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BaselineSummary {
    pub file: String,
    /// Findings of this run that were accepted before (not reported).
    pub accepted: usize,
    /// Accepted findings this run no longer finds (fixed, or changed).
    pub stale: usize,
}

impl Baseline {
    /// Reads a baseline; a file that does not exist is an empty baseline.
    pub fn load(path: &Path) -> Result<Baseline, Box<RuleError>> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Baseline::default()),
            Err(e) => {
                return Err(config_error(
                    &shown,
                    "",
                    0,
                    0,
                    format!("cannot read the baseline {shown}: {e}"),
                ))
            }
        };
        serde_yaml::from_str(&text).map_err(|e| {
            let mut err = yaml_error(&shown, &text, &e, "baseline: ");
            err.code = "kzcheck::baseline";
            err.help = Some(
                "the baseline is written by `kzcheck --accept`; delete it and accept again".into(),
            );
            err
        })
    }

    /// Drops the findings this baseline accepts from `report`, and says how
    /// many it dropped and how many of its entries no longer match.
    pub fn apply(&self, report: &mut Report, file: &str) -> BaselineSummary {
        self.apply_to(&report.claims, &mut report.findings, file)
    }

    /// `apply`, on the findings of a report whose claims are `claims`.
    pub fn apply_to(
        &self,
        claims: &[Box<crate::claim::Claim>],
        findings: &mut Vec<Finding>,
        file: &str,
    ) -> BaselineSummary {
        let prints = fingerprints_of(claims, findings);
        let known: std::collections::HashSet<&str> = self
            .accepted
            .iter()
            .map(|a| a.fingerprint.as_str())
            .collect();
        let seen: std::collections::HashSet<&str> = prints.iter().map(String::as_str).collect();
        let mut keep = prints.iter().map(|p| !known.contains(p.as_str()));
        let before = findings.len();
        findings.retain(|_| keep.next().unwrap_or(true));
        BaselineSummary {
            file: file.to_string(),
            accepted: before - findings.len(),
            stale: known.iter().filter(|k| !seen.contains(*k)).count(),
        }
    }

    /// The baseline after accepting every finding of `report`: entries
    /// still found keep their note, reviewer and date; new ones get `note`,
    /// `reviewer` and `today`; entries no longer found are dropped.
    pub fn accept(
        &self,
        report: &Report,
        note: Option<&str>,
        reviewer: Option<&str>,
        today: &str,
    ) -> (Baseline, usize) {
        let old: HashMap<&str, &Accepted> = self
            .accepted
            .iter()
            .map(|a| (a.fingerprint.as_str(), a))
            .collect();
        let mut new = 0;
        let mut accepted: Vec<Accepted> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (f, print) in report.findings.iter().zip(fingerprints(report)) {
            if !seen.insert(print.clone()) {
                continue;
            }
            match old.get(print.as_str()) {
                Some(a) => accepted.push((*a).clone()),
                None => {
                    new += 1;
                    accepted.push(Accepted {
                        fingerprint: print,
                        kind: f.label(),
                        key: f.key.to_string(),
                        subject: f.subject.as_deref().map(String::from),
                        articles: f.articles.iter().map(|a| a.to_string()).collect(),
                        message: f.message.clone(),
                        note: note.map(str::to_string),
                        reviewer: reviewer.map(str::to_string),
                        accepted: today.to_string(),
                    });
                }
            }
        }
        (
            Baseline {
                version: 1,
                accepted,
            },
            new,
        )
    }

    /// The file's text, with a header saying what it is.
    pub fn to_yaml(&self) -> String {
        let body = serde_yaml::to_string(self).unwrap_or_default();
        format!(
            "# kzcheck baseline: findings an editor has reviewed. `kzcheck --accept` writes it;\n\
             # later runs report only findings not listed here. Commit it with the articles.\n{body}"
        )
    }
}
