//! The review workflow as an editor and a CI job use it: `kzcheck.yaml`
//! (rules folder, severity overrides, disabled rules, fail_on) and
//! `--accept` with its baseline, so each discrepancy is reviewed once.
//! Every test works on a copy of the seeds in a folder of its own.
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A fresh folder with a copy of the seeds in `corpus/`.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kzcheck-review-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for e in std::fs::read_dir(Path::new(ROOT).join("seeds")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, corpus.join(p.file_name().unwrap())).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["--today", "2026-11-22"])
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("USER", "test-editor")
        .env_remove("KZCHECK_REVIEWER")
        .output()
        .expect("kzcheck runs")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("an exit code")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON: {e}\n{}", String::from_utf8_lossy(&o.stdout)))
}

fn findings(v: &Value) -> Vec<&Value> {
    v["findings"].as_array().unwrap().iter().collect()
}

fn labels(v: &Value) -> Vec<String> {
    findings(v)
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["kind"].as_str().unwrap(),
                f["key"].as_str().unwrap()
            )
        })
        .collect()
}

/// Replaces `from` by `to` in one seed copy; the text must contain it.
fn edit(dir: &Path, file_prefix: &str, from: &str, to: &str) {
    let corpus = dir.join("corpus");
    let path = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(file_prefix)
        })
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{} has no «{from}»", path.display());
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn accepted_findings_are_reported_once_and_changed_ones_again() {
    let dir = workspace("accept");
    let all = run(&dir, &["corpus", "--format", "json"]);
    assert_eq!(code(&all), 1, "the seeds have contradictions");
    let before = json(&all);
    let n = findings(&before).len();
    assert!(n > 10, "{n}");

    let accept = run(
        &dir,
        &["corpus", "--accept", "--note", "checked with the desk"],
    );
    assert_eq!(code(&accept), 0, "{}", stderr(&accept));
    assert!(
        stderr(&accept).contains(&format!("{n} findings accepted")),
        "{}",
        stderr(&accept)
    );
    let baseline_file = dir.join("kzcheck.baseline.yaml");
    let baseline = std::fs::read_to_string(&baseline_file).unwrap();
    assert!(baseline.starts_with("# kzcheck baseline"), "{baseline}");
    let parsed: serde_yaml::Value = serde_yaml::from_str(&baseline).unwrap();
    let entries = parsed["accepted"].as_sequence().unwrap();
    assert_eq!(entries.len(), n);
    for e in entries {
        assert_eq!(e["note"].as_str(), Some("checked with the desk"));
        assert_eq!(e["reviewer"].as_str(), Some("test-editor"));
        assert_eq!(e["fingerprint"].as_str().unwrap().len(), 16);
        assert!(e["accepted"].as_str().unwrap().starts_with("20"));
    }
    // Nothing written among the articles.
    assert_eq!(std::fs::read_dir(dir.join("corpus")).unwrap().count(), 5);

    // The same articles: nothing new, the run passes, and says why.
    let again = run(&dir, &["corpus", "--format", "json"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let v = json(&again);
    assert!(findings(&v).is_empty(), "{:?}", labels(&v));
    assert_eq!(v["baseline"]["accepted"], n);
    assert_eq!(v["baseline"]["stale"], 0);
    let text = run(&dir, &["corpus"]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains(&format!(
            "{n} accepted findings not shown (kzcheck.baseline.yaml)"
        )),
        "{out}"
    );

    let html = run(&dir, &["corpus", "--format", "html"]);
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(
        page.contains(&format!("{n} accepted findings not shown")),
        "the HTML summary says what the baseline left out"
    );

    // Lines shift (a paragraph added on top): still the same findings.
    edit(&dir, "002_", "\n", "\n\nسطر جديد لا يغير شيئا.\n");
    let shifted = run(&dir, &["corpus", "--format", "json"]);
    assert!(
        findings(&json(&shifted)).is_empty(),
        "{:?}",
        labels(&json(&shifted))
    );

    // One figure changes: that finding is new again (and fails CI); the
    // accepted one it replaces is stale.
    edit(&dir, "004_", "13", "15");
    let changed = run(&dir, &["corpus", "--format", "json"]);
    assert_eq!(code(&changed), 1);
    let v = json(&changed);
    let l = labels(&v);
    assert!(
        l.contains(&"contradiction:security_forces.killed".to_string()),
        "{l:?}"
    );
    assert!(l.len() < 4, "only what changed is reported: {l:?}");
    assert!(v["baseline"]["stale"].as_u64().unwrap() >= 1);
    assert!(v["baseline"]["accepted"].as_u64().unwrap() >= n as u64 - 3);

    // Accepting again keeps earlier notes and drops what is gone.
    let accept2 = run(&dir, &["corpus", "--accept", "--note", "15 confirmed"]);
    assert_eq!(code(&accept2), 0);
    let baseline2: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&baseline_file).unwrap()).unwrap();
    let notes: Vec<&str> = baseline2["accepted"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["note"].as_str().unwrap())
        .collect();
    assert!(notes.contains(&"15 confirmed"), "{notes:?}");
    assert!(
        notes
            .iter()
            .filter(|n| **n == "checked with the desk")
            .count()
            >= n - 3
    );
    let clean = run(&dir, &["corpus", "--format", "json"]);
    assert_eq!(code(&clean), 0);
    assert_eq!(json(&clean)["baseline"]["stale"], 0);

    // --no-baseline shows everything again.
    let everything = run(&dir, &["corpus", "--format", "json", "--no-baseline"]);
    assert_eq!(findings(&json(&everything)).len(), findings(&before).len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sarif_fingerprints_are_the_baseline_fingerprints() {
    let dir = workspace("sarif");
    assert_eq!(code(&run(&dir, &["corpus", "--accept"])), 0);
    let baseline: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join("kzcheck.baseline.yaml")).unwrap())
            .unwrap();
    let mut accepted: Vec<String> = baseline["accepted"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let sarif = run(&dir, &["corpus", "--format", "sarif", "--no-baseline"]);
    let v: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let mut prints: Vec<String> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["kzcheck/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    accepted.sort();
    prints.sort();
    prints.dedup();
    assert_eq!(accepted, prints);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_project_file_sets_severities_disables_rules_and_gates() {
    let dir = workspace("config");
    std::fs::write(
        dir.join("corpus/kzcheck.yaml"),
        "# the desk's settings\n\
         fail_on: warning\n\
         severity:\n  \
           contradiction: warning          # every contradiction\n  \
           contradiction:withdrawal.start: error\n  \
           agreement: off\n  \
           name.spelling: info\n\
         disable:\n  - person-age\n",
    )
    .unwrap();
    let o = run(&dir, &["corpus", "--format", "json"]);
    let v = json(&o);
    assert_eq!(code(&o), 1, "fail_on: warning, and there are warnings");
    let fs = findings(&v);
    assert!(
        fs.iter().all(|f| f["kind"] != "agreement"),
        "agreement: off"
    );
    let sev = |key: &str| -> Vec<String> {
        fs.iter()
            .filter(|f| f["kind"] == "contradiction" && f["key"] == key)
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(sev("security_forces.killed"), ["warning"]);
    assert_eq!(sev("withdrawal.start"), ["error"], "the most specific wins");
    assert!(fs
        .iter()
        .filter(|f| f["key"] == "name.spelling")
        .all(|f| f["severity"] == "info"));
    let claims = v["claims"].as_array().unwrap();
    assert!(claims.iter().all(|c| c["rule"] != "person-age"));
    assert!(claims.iter().any(|c| c["rule"] == "troops-total"));

    // The command line wins over the file.
    let o = run(&dir, &["corpus", "--fail-on", "error", "--format", "json"]);
    assert_eq!(code(&o), 1, "withdrawal.start is still an error");
    let o = run(&dir, &["corpus", "--fail-on", "never"]);
    assert_eq!(code(&o), 0);

    // --config names a file elsewhere; `rules:` is relative to it.
    std::fs::write(
        dir.join("desk.yaml"),
        format!(
            "rules: {}/rules\nseverity:\n  contradiction: off\n  inconsistency: warning\n",
            ROOT
        ),
    )
    .unwrap();
    let o = run(
        &dir,
        &["corpus", "--config", "desk.yaml", "--format", "json"],
    );
    let v = json(&o);
    assert!(findings(&v).iter().all(|f| f["kind"] != "contradiction"));
    assert!(findings(&v).iter().any(|f| f["kind"] == "agreement"));
    assert_eq!(code(&o), 0, "no error left: {}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_project_file_names_the_file_and_line() {
    let dir = workspace("broken-config");
    let cases: [(&str, &str, &str); 4] = [
        (
            "fail_on: error\nseverty:\n  agreement: off\n",
            "unknown field `severty`",
            ":2",
        ),
        (
            "disable:\n  - person-age\n  - no-such-rule\n",
            "no claim rule `no-such-rule`",
            ":3",
        ),
        (
            "severity:\n  contradicton: off\n",
            "`contradicton` is no finding kind",
            ":2",
        ),
        (
            "severity:\n  agreement: loud\n",
            "unknown variant `loud`",
            ":2",
        ),
    ];
    for (text, message, line) in cases {
        std::fs::write(dir.join("corpus/kzcheck.yaml"), text).unwrap();
        let o = run(&dir, &["corpus"]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{text}: {err}");
        assert!(err.contains(message), "{text}: {err}");
        assert!(
            err.contains(&format!("kzcheck.yaml{line}")),
            "{text}: {err}"
        );
        assert!(o.stdout.is_empty(), "no report from a broken project file");
    }
    // A missing --config is an error too.
    let o = run(&dir, &["corpus", "--config", "nowhere.yaml"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("nowhere.yaml"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_baseline_is_an_error_naming_it() {
    let dir = workspace("broken-baseline");
    std::fs::write(
        dir.join("kzcheck.baseline.yaml"),
        "version: 1\naccepted: [oops\n",
    )
    .unwrap();
    let o = run(&dir, &["corpus"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("kzcheck.baseline.yaml"),
        "{}",
        stderr(&o)
    );
    // --no-baseline still checks.
    assert_eq!(code(&run(&dir, &["corpus", "--no-baseline"])), 1);
    let _ = std::fs::remove_dir_all(&dir);
}
