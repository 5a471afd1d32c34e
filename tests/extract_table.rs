//! The table-driven correctness suite of `kzcheck extract`: every common way
//! Arabic news writes a date, a relative date, a duration or a quantity, one
//! row per phenomenon, in `tests/extract-table/*.yaml`.
//!
//! A row is a short news-like sentence and the mentions that must be found
//! in it (kind, the exact original words, the value as JSON, optionally how
//! it was resolved). With `only: true` nothing else may be found; a row with
//! `expect: []` and `only: true` is a trap: nothing must be found.
//!
//! Rows without `status` must pass. Rows with `status: todo` are forms the
//! engine does not read yet: they must fail, so that the day the engine
//! learns one, this test says to remove the mark.
//!
//! Set `KZ_TABLE_VERBOSE=1` to print what was found for every failing row,
//! todo rows included.
use jiff::civil::Date;
use kzcheck::check::{mentions, Mention};
use kzcheck::load::{Article, Meta};
use kzcheck::rules::Rules;
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const DIR: &str = "tests/extract-table";

/// One row of a table file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    /// Unique across all files, kebab-case, names the phenomenon.
    id: String,
    /// The sentence.
    text: String,
    /// The run's `--today`.
    #[serde(default)]
    today: Option<String>,
    /// The article's front matter date.
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    expect: Vec<Expect>,
    /// Exactly these mentions, nothing else.
    #[serde(default)]
    only: bool,
    /// `todo`: the engine does not read this yet (the row must fail).
    #[serde(default)]
    status: Option<String>,
    /// Free text: why the row expects what it does.
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    kind: String,
    text: String,
    value: Json,
    #[serde(default)]
    resolved_by: Option<String>,
}

/// A table file and its rows.
struct Table {
    name: String,
    rows: Vec<Row>,
}

fn table_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("{DIR}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no table file in {DIR}");
    files
}

fn load_tables() -> Vec<Table> {
    table_files()
        .into_iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let rows: Vec<Row> =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            Table {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                rows,
            }
        })
        .collect()
}

fn date(s: &str, what: &str, id: &str) -> Date {
    s.parse()
        .unwrap_or_else(|e| panic!("{id}: {what}: not a date `{s}`: {e}"))
}

/// The row as a one-article corpus, run through `kzcheck::check::mentions`.
fn run(row: &Row, rules: &Rules) -> Vec<Mention> {
    let article = Article {
        id: row.id.as_str().into(),
        path: format!("{}.txt", row.id),
        text: row.text.clone(),
        body: 0..row.text.len(),
        meta: Meta {
            published: row
                .published
                .as_deref()
                .map(|s| date(s, "published", &row.id)),
            ..Meta::default()
        },
    };
    let today = row.today.as_deref().map(|s| date(s, "today", &row.id));
    mentions(&[article], rules, today)
}

fn json<T: serde::Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

fn matches(e: &Expect, m: &Mention) -> bool {
    e.kind == m.kind
        && e.text == m.text
        && e.value == json(&m.value)
        && e.resolved_by
            .as_deref()
            .is_none_or(|r| json(&m.resolved_by).as_str() == Some(r))
}

fn show_mention(m: &Mention) -> String {
    let by = m
        .resolved_by
        .as_ref()
        .map(|b| format!(", resolved_by: {}", json(b).as_str().unwrap_or("?")))
        .unwrap_or_default();
    format!(
        "{{kind: {}, text: \"{}\", value: {}{by}}}",
        m.kind,
        m.text,
        json(&m.value)
    )
}

fn show_expect(e: &Expect) -> String {
    let by = e
        .resolved_by
        .as_ref()
        .map(|b| format!(", resolved_by: {b}"))
        .unwrap_or_default();
    format!(
        "{{kind: {}, text: \"{}\", value: {}{by}}}",
        e.kind, e.text, e.value
    )
}

/// Why a row does not pass (empty: it passes).
fn problems(row: &Row, found: &[Mention]) -> Vec<String> {
    let mut out = Vec::new();
    let mut used = vec![false; found.len()];
    for e in &row.expect {
        match (0..found.len()).find(|&i| !used[i] && matches(e, &found[i])) {
            Some(i) => used[i] = true,
            None => out.push(format!("missing {}", show_expect(e))),
        }
    }
    if row.only {
        for (m, u) in found.iter().zip(&used) {
            if !u {
                out.push(format!("unexpected {}", show_mention(m)));
            }
        }
    }
    out
}

#[derive(Default)]
struct Counts {
    rows: usize,
    passing: usize,
    todo: usize,
}

#[test]
fn extract_table() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules load");
    let verbose = std::env::var_os("KZ_TABLE_VERBOSE").is_some();
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut broken = String::new();
    let mut now_pass = Vec::new();
    let mut todo_report = String::new();
    for table in load_tables() {
        let c = counts.entry(table.name.clone()).or_default();
        for row in &table.rows {
            c.rows += 1;
            let found = run(row, &rules);
            let probs = problems(row, &found);
            let passes = probs.is_empty();
            if passes {
                c.passing += 1;
            }
            let todo = match row.status.as_deref() {
                None => false,
                Some("todo") => true,
                Some(other) => {
                    let _ = writeln!(
                        broken,
                        "{}: {}: unknown status `{other}` (only `todo`)",
                        table.name, row.id
                    );
                    continue;
                }
            };
            if todo {
                c.todo += 1;
            }
            let found_list = || {
                let mut s = String::new();
                for p in &probs {
                    let _ = writeln!(s, "    {p}");
                }
                if found.is_empty() {
                    let _ = writeln!(s, "    found nothing");
                } else {
                    let _ = writeln!(s, "    found:");
                    for m in &found {
                        let _ = writeln!(s, "      {}", show_mention(m));
                    }
                }
                s
            };
            match (todo, passes) {
                (false, false) => {
                    let _ = write!(
                        broken,
                        "{}: {}: «{}»\n{}",
                        table.name,
                        row.id,
                        row.text,
                        found_list()
                    );
                }
                (true, true) => {
                    let msg = format!("now passes, remove status: todo: {}", row.id);
                    println!("{msg}");
                    now_pass.push(format!("{}: {msg}", table.name));
                }
                (true, false) if verbose => {
                    let _ = write!(
                        todo_report,
                        "{}: {} (todo): «{}»\n{}",
                        table.name,
                        row.id,
                        row.text,
                        found_list()
                    );
                }
                _ => {}
            }
        }
    }

    println!("extract table:");
    let mut total = Counts::default();
    for (name, c) in &counts {
        println!(
            "  {name:<18} {:>4} rows {:>4} passing {:>4} todo",
            c.rows, c.passing, c.todo
        );
        total.rows += c.rows;
        total.passing += c.passing;
        total.todo += c.todo;
    }
    println!(
        "  {:<18} {:>4} rows {:>4} passing {:>4} todo",
        "total", total.rows, total.passing, total.todo
    );
    if !todo_report.is_empty() {
        println!("\ntodo rows, as the engine reads them now:\n{todo_report}");
    }

    let mut msg = String::new();
    if !broken.is_empty() {
        let _ = write!(msg, "rows that must pass but fail:\n{broken}");
    }
    if !now_pass.is_empty() {
        let _ = writeln!(
            msg,
            "todo rows that pass now (remove `status: todo`):\n  {}",
            now_pass.join("\n  ")
        );
    }
    assert!(msg.is_empty(), "{msg}");
}

/// The tables themselves: unique ids in kebab-case, every expected text
/// inside its row's text, known kinds and dates, and no row that tests
/// nothing.
#[test]
fn extract_table_is_well_formed() {
    let mut ids = HashSet::new();
    let mut errors = Vec::new();
    for table in load_tables() {
        for row in &table.rows {
            let at = format!("{}: {}", table.name, row.id);
            if !ids.insert(row.id.clone()) {
                errors.push(format!("{at}: duplicate id"));
            }
            let kebab = !row.id.is_empty()
                && row.id.split('-').all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            if !kebab {
                errors.push(format!("{at}: id is not kebab-case"));
            }
            if row.text.trim().is_empty() {
                errors.push(format!("{at}: empty text"));
            }
            if row.expect.is_empty() && !row.only {
                errors.push(format!("{at}: expects nothing and is not `only: true`"));
            }
            for (what, d) in [("today", &row.today), ("published", &row.published)] {
                if let Some(d) = d {
                    if d.parse::<Date>().is_err() {
                        errors.push(format!("{at}: {what} is not a date: `{d}`"));
                    }
                }
            }
            for e in &row.expect {
                if e.text.is_empty() || !row.text.contains(&e.text) {
                    errors.push(format!(
                        "{at}: expected text «{}» is not in the row's text",
                        e.text
                    ));
                }
                if !["date", "quantity", "duration"].contains(&e.kind.as_str()) {
                    errors.push(format!("{at}: unknown kind `{}`", e.kind));
                }
                // A value is a one-key map, or null (an unresolved date).
                if !e.value.is_null() && e.value.as_object().is_none_or(|o| o.len() != 1) {
                    errors.push(format!(
                        "{at}: value is not a one-key map or null: {}",
                        e.value
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
