//! The JSON contract: every report kzcheck writes (the seeds, every fixture
//! corpus, a report with a baseline applied) validates against
//! `schema/report.schema.json`, and reports that break the contract do not.
use kzcheck::check::check;
use kzcheck::load::load;
use kzcheck::rules::Rules;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("schema/report.schema.json").expect("the schema file");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema is a valid 2020-12 schema")
}

fn report_json(dir: &Path, rules: &Rules) -> Value {
    let loaded = load(&[dir.to_path_buf()]);
    let report = check(&loaded.articles, rules);
    serde_json::from_str(&kzcheck::report::json::render(&report)).expect("JSON")
}

/// The seeds and every fixture corpus, in order.
fn corpora() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("seeds")];
    for e in std::fs::read_dir("tests/fixtures").unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            dirs.push(p);
        }
    }
    dirs.sort();
    assert!(dirs.len() > 10);
    dirs
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_report_validates() {
    let v = validator();
    let rules = Rules::from_dir(Path::new("rules")).expect("rules");
    let dirs = corpora();
    let mut kinds = std::collections::BTreeSet::new();
    for dir in &dirs {
        let doc = report_json(dir, &rules);
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{}: {errs:#?}", dir.display());
        for c in doc["claims"].as_array().unwrap() {
            kinds.extend(c["value"].as_object().unwrap().keys().cloned());
        }
    }
    // The corpora exercise most kinds of value, so the schema is tried on them.
    for k in [
        "date",
        "weekday",
        "count",
        "more_than",
        "at_least",
        "vague",
        "set",
        "quote",
    ] {
        assert!(kinds.contains(k), "no {k} value in any corpus: {kinds:?}");
    }
}

#[test]
fn a_report_with_a_baseline_validates() {
    let v = validator();
    let rules = Rules::from_dir(Path::new("rules")).expect("rules");
    let loaded = load(&[PathBuf::from("seeds")]);
    let mut report = check(&loaded.articles, &rules);
    let (baseline, _) =
        kzcheck::review::Baseline::default().accept(&report, None, None, "2026-01-01");
    let summary = baseline.apply(&mut report, "kzcheck.baseline.yaml");
    assert!(summary.accepted > 0);
    report.baseline = Some(summary);
    let doc: Value = serde_json::from_str(&kzcheck::report::json::render(&report)).unwrap();
    assert_eq!(errors(&v, &doc), Vec::<String>::new());
    assert!(doc["findings"].as_array().unwrap().is_empty());
}

#[test]
fn reports_that_break_the_contract_fail() {
    let v = validator();
    let rules = Rules::from_dir(Path::new("rules")).expect("rules");
    let good = report_json(Path::new("seeds"), &rules);
    type Breakage = (&'static str, fn(&mut Value));
    let breakages: [Breakage; 6] = [
        ("span as text", |d| {
            d["claims"][0]["span"]["start"] = "12".into()
        }),
        ("unknown kind", |d| {
            d["findings"][0]["kind"] = "rumour".into()
        }),
        ("two values", |d| {
            d["claims"][0]["value"]["count"] = 1.into();
            d["claims"][0]["value"]["date"] = "2022-01-01".into();
        }),
        ("bad date", |d| {
            d["claims"][0]["as_of"] = "14 January".into()
        }),
        ("extra key", |d| d["findings"][0]["score"] = 3.into()),
        ("missing key", |d| {
            d["articles"][0].as_object_mut().unwrap().remove("path");
        }),
    ];
    for (what, breaks) in breakages {
        let mut doc = good.clone();
        breaks(&mut doc);
        assert!(!errors(&v, &doc).is_empty(), "{what} passes the schema");
    }
}

/// The JSON writer serializes the lists on every core; its bytes are
/// exactly serde's pretty print of the whole `Report` and a newline: on
/// the seeds and every fixture corpus, with a baseline, with empty lists,
/// and on lists long enough to cross the writer's windows and chunks.
#[test]
fn the_json_report_is_the_pretty_print_of_the_report() {
    let rules = Rules::from_dir(Path::new("rules")).expect("rules");
    let serde_pretty = |r: &kzcheck::check::Report| {
        let mut s = serde_json::to_string_pretty(r).expect("serializes");
        s.push('\n');
        s
    };
    for dir in &corpora() {
        let report = check(&load(std::slice::from_ref(dir)).articles, &rules);
        let ours = kzcheck::report::json::render(&report);
        assert!(ours == serde_pretty(&report), "{}", dir.display());
    }

    let loaded = load(&[PathBuf::from("seeds")]);
    let seeds = check(&loaded.articles, &rules);
    assert!(!seeds.claims.is_empty() && !seeds.findings.is_empty());

    // Lists across the writer's windows and chunks, and findings heavy
    // enough to be printed alone: first, in the middle, last, three in a
    // row (a window takes one a thread).
    let mut long = seeds.clone();
    while long.claims.len() <= 4096 * 2 {
        long.claims.extend(seeds.claims.iter().cloned());
    }
    let with_evidence = seeds.findings.iter().find(|f| !f.evidence.is_empty());
    let mut heavy = with_evidence.expect("a finding with evidence").clone();
    let evidence = heavy.evidence.clone();
    while heavy.evidence.len() < 1024 {
        heavy.evidence.extend(evidence.iter().cloned());
    }
    long.findings.insert(0, heavy.clone());
    while long.findings.len() <= 4096 {
        long.findings.extend(seeds.findings.iter().cloned());
    }
    for _ in 0..3 {
        long.findings.insert(2000, heavy.clone());
    }
    long.findings.push(heavy);
    assert!(kzcheck::report::json::render(&long) == serde_pretty(&long));
    long.findings.remove(0);
    assert!(kzcheck::report::json::render(&long) == serde_pretty(&long));

    let mut empty = seeds.clone();
    empty.articles.clear();
    empty.claims.clear();
    empty.findings.clear();
    let (baseline, _) =
        kzcheck::review::Baseline::default().accept(&seeds, None, None, "2026-01-01");
    let mut based = seeds.clone();
    based.baseline = Some(baseline.apply(&mut based, "kzcheck.baseline.yaml"));
    empty.baseline = based.baseline.clone();
    for r in [&empty, &based] {
        assert!(kzcheck::report::json::render(r) == serde_pretty(r));
    }
}

/// A JSON report written while its findings are worked out (what the
/// command line does) is the report written once they are, byte for byte,
/// with and without a baseline; a write that fails is an error, not a hang.
#[test]
fn a_report_written_while_its_findings_are_worked_out_is_the_same() {
    use kzcheck::check::{assemble, gather, parts, Options};
    use kzcheck::report::json::{render, write_while};
    let rules = Rules::from_dir(Path::new("rules")).expect("rules");
    let opts = Options::default();
    for dir in corpora() {
        let loaded = load(std::slice::from_ref(&dir));
        let whole = assemble(parts(&loaded.articles, &rules, &opts).1, &rules, &opts);
        let (report, pending) = gather(parts(&loaded.articles, &rules, &opts).1, &opts);
        assert!(report.findings.is_empty());
        let mut out = Vec::new();
        let (findings, _) = write_while(
            &report,
            || (pending.findings(&report, &rules), None),
            &mut out,
        )
        .unwrap();
        assert_eq!(findings.len(), whole.findings.len(), "{}", dir.display());
        assert!(out == render(&whole).into_bytes(), "{}", dir.display());
    }

    let loaded = load(&[PathBuf::from("seeds")]);
    let mut based = check(&loaded.articles, &rules);
    assert!(based.findings.len() > 2);
    let (mut baseline, _) =
        kzcheck::review::Baseline::default().accept(&based, None, None, "2026-01-01");
    baseline.accepted.truncate(2);
    based.baseline = Some(baseline.apply(&mut based, "kzcheck.baseline.yaml"));
    let (report, pending) = gather(parts(&loaded.articles, &rules, &opts).1, &opts);
    let mut out = Vec::new();
    let rest = || {
        let mut findings = pending.findings(&report, &rules);
        let summary = baseline.apply_to(&report.claims, &mut findings, "kzcheck.baseline.yaml");
        (findings, Some(summary))
    };
    let (findings, summary) = write_while(&report, rest, &mut out).unwrap();
    assert_eq!(summary.as_ref().map(|s| s.accepted), Some(2));
    assert_eq!(findings.len(), based.findings.len());
    assert!(out == render(&based).into_bytes());

    /// Takes `room` bytes, then fails.
    struct Full {
        room: usize,
    }
    impl std::io::Write for Full {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = data.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let (report, pending) = gather(parts(&loaded.articles, &rules, &opts).1, &opts);
    let rest = || (pending.findings(&report, &rules), None);
    let e = write_while(&report, rest, &mut Full { room: 1000 }).unwrap_err();
    assert_eq!(e.to_string(), "disk full");
}
