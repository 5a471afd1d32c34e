//! The `kzcheck` binary as a user runs it: exit codes, the JSON contract,
//! `-o`, broken input files, another current directory. Nothing is ever
//! written into `seeds/` or `tests/fixtures/`.
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary from `dir` with `args`, in a fixed environment.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("kzcheck runs")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("an exit code, not a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("stdout is not JSON ({e}):\n{}", stdout(o));
    })
}

/// A fresh, empty folder under the system's temp dir; removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let p =
            std::env::temp_dir().join(format!("kzcheck-cli-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).expect("create a temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> BTreeMap<PathBuf, (u64, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for e in rd.flatten() {
            let p = e.path();
            let meta = e.metadata().expect("metadata");
            if meta.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p, (meta.len(), meta.modified().ok()));
        }
    }
    out
}

fn input_listing() -> Vec<BTreeMap<PathBuf, (u64, Option<SystemTime>)>> {
    ["seeds", "tests/fixtures"]
        .iter()
        .map(|d| listing(&Path::new(ROOT).join(d)))
        .collect()
}

#[test]
fn seeds_have_contradictions_so_the_exit_code_is_1() {
    let o = run(&["seeds/"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("security_forces.killed"), "{out}");
    assert!(out.contains("withdrawal.start"), "{out}");
    assert!(out.contains("seeds/"), "paths are shown as given: {out}");
}

#[test]
fn fail_on_never_exits_0() {
    let o = run(&["--fail-on", "never", "seeds/"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!o.stdout.is_empty());
}

#[test]
fn a_corpus_that_only_agrees_exits_0() {
    let o = run(&["tests/fixtures/digits-and-tashkeel"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Name variants are warnings: they fail only with --fail-on warning.
    assert_eq!(code(&run(&["tests/fixtures/name-variants"])), 0);
    let o = run(&["--fail-on", "warning", "tests/fixtures/name-variants"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn a_missing_path_alone_exits_2() {
    let o = run(&["no/such/folder"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("no/such/folder"), "{}", stderr(&o));
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &[][..],
        &["--format", "xml", "seeds/"],
        &["--fail-on", "sometimes", "seeds/"],
        &["--no-such-flag", "seeds/"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

fn assert_keys(v: &Value, keys: &[&str], what: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {v}"));
    for k in keys {
        assert!(obj.contains_key(*k), "{what} has no `{k}`: {v:#}");
    }
}

/// The value forms README.md documents (`percent_*` checked by prefix).
const VALUE_FORMS: &[&str] = &[
    "date",
    "weekday",
    "month",
    "date_between",
    "count",
    "at_least",
    "more_than",
    "at_most",
    "less_than",
    "between",
    "about",
    "vague",
    "set",
    "statement",
    "quote",
];

#[test]
fn json_output_follows_the_contract() {
    let o = run(&["--format", "json", "seeds/"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["version"], 1);
    assert_keys(&r, &["version", "articles", "claims", "findings"], "report");

    let articles = r["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 5);
    for a in articles {
        assert_keys(a, &["id", "path", "date", "date_source"], "article");
        let path = a["path"].as_str().expect("path");
        assert!(path.starts_with("seeds/"), "{path}");
    }

    let claims = r["claims"].as_array().expect("claims");
    assert!(!claims.is_empty());
    for c in claims {
        assert_keys(
            c,
            &[
                "id", "article", "key", "subject", "value", "text", "span", "speaker", "as_of",
                "rule",
            ],
            "claim",
        );
        assert_keys(&c["span"], &["start", "end", "line", "column"], "span");
        let value = c["value"].as_object().expect("value is an object");
        assert!(
            value.len() == 1
                && value
                    .keys()
                    .all(|k| VALUE_FORMS.contains(&k.as_str()) || k.starts_with("percent")),
            "unknown value form: {value:?}"
        );
        // `text` is exactly the span's bytes in the original file.
        let path = articles
            .iter()
            .find(|a| a["id"] == c["article"])
            .and_then(|a| a["path"].as_str())
            .expect("the claim's article is listed");
        let bytes = std::fs::read(Path::new(ROOT).join(path)).expect("read the article");
        let (s, e) = (
            c["span"]["start"].as_u64().expect("start") as usize,
            c["span"]["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(
            bytes.get(s..e),
            c["text"].as_str().map(str::as_bytes),
            "{c:#}"
        );
    }

    let findings = r["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        assert_keys(
            f,
            &[
                "kind", "class", "key", "subject", "severity", "articles", "claims", "message",
            ],
            "finding",
        );
        let kind = f["kind"].as_str().expect("kind");
        assert!(
            [
                "agreement",
                "contradiction",
                "inconsistency",
                "name_variant",
                "uncorroborated"
            ]
            .contains(&kind),
            "{kind}"
        );
    }
    assert!(findings
        .iter()
        .any(|f| f["kind"] == "contradiction" && f["key"] == "withdrawal.start"));
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let tmp = TempDir::new("output");
    let file = tmp.0.join("report.json");
    let file_s = file.to_str().expect("a UTF-8 temp path");
    let o = run(&["--format", "json", "-o", file_s, "seeds/"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    let written = std::fs::read(&file).expect("the report file exists");
    let from_stdout = run(&["--format", "json", "seeds/"]).stdout;
    assert_eq!(written, from_stdout, "-o writes what stdout would show");
    // Written atomically: no temporary file left beside it.
    let names: Vec<_> = std::fs::read_dir(&tmp.0)
        .expect("read the temp dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["report.json"]);

    // Text too, without colour codes in the file.
    let text = tmp.0.join("report.txt");
    let o = run(&["-o", text.to_str().expect("UTF-8"), "seeds/"]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    let t = std::fs::read_to_string(&text).expect("the text report");
    assert!(t.contains("withdrawal.start"));
    assert!(!t.contains('\u{1b}'), "colour codes in a file");
}

#[test]
fn broken_files_are_reported_on_stderr_and_the_good_ones_checked() {
    let o = run(&["tests/fixtures/broken-article"]);
    let err = stderr(&o);
    for name in ["empty.txt", "legacy-encoding.txt", "bad-front-matter.md"] {
        assert!(
            err.contains(&format!("tests/fixtures/broken-article/{name}")),
            "{name} not named on stderr:\n{err}"
        );
    }
    assert!(!err.contains("good.txt"), "{err}");
    let out = stdout(&o);
    assert!(out.contains("troops.total"), "{out}");
    assert!(out.contains("good"), "{out}");
    // Files could not be read: the run is incomplete (exit 2, like ripgrep),
    // though the report on the good articles is written.
    assert_eq!(code(&o), 2, "{err}");

    let o = run(&["--format", "json", "tests/fixtures/broken-article"]);
    let r = json(&o);
    let ids: Vec<&str> = r["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(ids, ["bad-front-matter", "good"]);
    assert!(!o.stderr.is_empty());
}

#[test]
fn runs_from_another_directory_with_the_built_in_rules() {
    let tmp = TempDir::new("cwd");
    let seeds = Path::new(ROOT).join("seeds");
    let seeds_s = seeds.to_str().expect("a UTF-8 path");
    let o = run_in(&tmp.0, &["--format", "json", seeds_s]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let there = json(&o);
    let here = json(&run(&["--format", "json", "seeds/"]));
    // Same claims and findings; only the paths differ.
    assert_eq!(there["findings"], here["findings"]);
    assert_eq!(there["claims"], here["claims"]);
    assert_eq!(
        std::fs::read_dir(&tmp.0).expect("read").count(),
        0,
        "nothing is written into the current directory"
    );
    // A relative path from there.
    let o = run_in(
        &seeds,
        &[
            "--format",
            "json",
            "--fail-on",
            "never",
            "001_2c2777cac6aad9e3.txt",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["articles"][0]["path"], "001_2c2777cac6aad9e3.txt");
}

#[test]
fn nothing_is_written_into_the_inputs() {
    let before = input_listing();
    let tmp = TempDir::new("inputs");
    let mut cases: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("tests/fixtures"))
        .expect("tests/fixtures")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("tests/fixtures/{}", e.file_name().to_string_lossy()))
        .collect();
    cases.sort();
    cases.push("seeds/".into());
    // Text to stdout and JSON with -o into a temp dir for every corpus,
    // DOT once; one thread per corpus.
    std::thread::scope(|scope| {
        for (i, case) in cases.iter().enumerate() {
            let tmp = &tmp;
            scope.spawn(move || {
                let o = run(&[case]);
                assert!(matches!(code(&o), 0..=2), "{case}: {}", stderr(&o));
                let out = tmp.0.join(format!("{i}.json"));
                let out_s = out.to_str().expect("UTF-8");
                let o = run(&["--format", "json", "-o", out_s, case]);
                assert!(matches!(code(&o), 0..=2), "{case} -o: {}", stderr(&o));
                assert!(out.is_file(), "{case}: -o wrote nothing");
            });
        }
    });
    let o = run(&["--format", "dot", "seeds/"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(input_listing(), before, "an input folder changed");
}

/// `kzcheck extract` reads standard input and prints every mention as JSON,
/// with exact spans and how each date was resolved.
#[test]
fn extract_reads_standard_input_as_json() {
    use std::io::Write;
    let text = "قتل 12 شخصا أمس، في 6 يناير/ كانون الثاني 2022، خلال ثلاثة أيام";
    let mut child = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["extract", "--format", "json", "--today", "2022-01-12", "-"])
        .current_dir(ROOT)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("kzcheck runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let o = child.wait_with_output().expect("kzcheck ends");
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let got: Vec<(String, String, String, serde_json::Value)> = v
        .as_array()
        .expect("an array")
        .iter()
        .map(|m| {
            let (s, e) = (
                m["span"]["start"].as_u64().unwrap() as usize,
                m["span"]["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..e], m["text"].as_str().unwrap());
            (
                m["kind"].as_str().unwrap().to_string(),
                m["text"].as_str().unwrap().to_string(),
                m["value"].to_string(),
                m["resolved_by"].clone(),
            )
        })
        .collect();
    let want = [
        ("quantity", "12", r#"{"count":12}"#, serde_json::Value::Null),
        (
            "date",
            "أمس",
            r#"{"date":"2022-01-11"}"#,
            serde_json::json!("today"),
        ),
        (
            "date",
            "6 يناير/ كانون الثاني 2022",
            r#"{"date":"2022-01-06"}"#,
            serde_json::json!("absolute"),
        ),
        (
            "date",
            "خلال ثلاثة أيام",
            r#"{"date_between":["2022-01-12","2022-01-15"]}"#,
            serde_json::json!("today"),
        ),
    ];
    let want: Vec<(String, String, String, serde_json::Value)> = want
        .iter()
        .map(|(k, t, v, b)| (k.to_string(), t.to_string(), v.to_string(), b.clone()))
        .collect();
    assert_eq!(got, want);
}

/// `--lang ar` explains findings in Arabic; the data stay the same.
#[test]
fn explanations_in_arabic() {
    let en = json(&run(&["--format", "json", "seeds/"]));
    let ar = json(&run(&["--format", "json", "--lang", "ar", "seeds/"]));
    let messages = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let (me, ma) = (messages(&en), messages(&ar));
    assert_eq!(me.len(), ma.len());
    assert!(ma.iter().any(|m| m.contains("المصادر مختلفة")), "{ma:#?}");
    assert!(
        me.iter().any(|m| m.contains("the sources disagree")),
        "{me:#?}"
    );
    let strip = |mut v: Value| {
        for f in v["findings"].as_array_mut().unwrap() {
            f["message"] = Value::Null;
        }
        v
    };
    assert_eq!(strip(en), strip(ar));
}

/// `--format line` gives `path:line:col:kind:key:message`, one per place a
/// finding stands; `--format yaml` is the JSON report as YAML.
#[test]
fn line_and_yaml_formats() {
    let o = run(&["--format", "line", "seeds/"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 20, "{out}");
    for l in &lines {
        let parts: Vec<&str> = l.splitn(6, ':').collect();
        assert_eq!(parts.len(), 6, "{l}");
        assert!(parts[0].starts_with("seeds/"), "{l}");
        assert!(parts[1].parse::<usize>().unwrap() >= 1, "{l}");
        assert!(parts[2].parse::<usize>().unwrap() >= 1, "{l}");
    }
    assert!(lines.contains(&"seeds/001_2c2777cac6aad9e3.txt:1:29:inconsistency:date.weekday:001_2c2777cac6aad9e3: «الخميس 14 يناير/كانون الثاني 2022» — 2022-01-14 was a friday, not a thursday"));
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&stdout(&run(&["--format", "yaml", "seeds/"]))).expect("YAML");
    let from_yaml: Value = serde_json::to_value(yaml).expect("as JSON");
    assert_eq!(from_yaml, json(&run(&["--format", "json", "seeds/"])));
}

/// `--format sarif`: SARIF 2.1.0, one result per finding, the others'
/// places as related locations, fingerprints unique and independent of
/// where in the file the words stand.
#[test]
fn sarif_format() {
    let s = json(&run(&["--format", "sarif", "seeds/"]));
    assert_eq!(s["version"], "2.1.0");
    let run0 = &s["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let results = run0["results"].as_array().expect("results");
    let report = json(&run(&["--format", "json", "seeds/"]));
    assert_eq!(results.len(), report["findings"].as_array().unwrap().len());
    let prints: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["kzcheck/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(prints.len(), results.len(), "fingerprints are unique");
    for r in results {
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        for loc in r["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(r["relatedLocations"].as_array().unwrap())
        {
            let region = &loc["physicalLocation"]["region"];
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            let text = std::fs::read_to_string(Path::new(ROOT).join(uri)).unwrap();
            let (off, len) = (
                region["byteOffset"].as_u64().unwrap() as usize,
                region["byteLength"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &text[off..off + len],
                region["snippet"]["text"].as_str().unwrap()
            );
        }
    }
    // The same findings with every article shifted down by a front matter:
    // the same fingerprints.
    let tmp = TempDir::new("sarif");
    for e in std::fs::read_dir(Path::new(ROOT).join("seeds"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap();
        std::fs::write(
            tmp.0.join(e.file_name()),
            format!("---\nsource: x\n---\n\n{text}"),
        )
        .unwrap();
    }
    let shifted = json(&run(&["--format", "sarif", tmp.0.to_str().unwrap()]));
    let shifted_prints: std::collections::BTreeSet<String> = shifted["runs"][0]["results"]
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
    assert_eq!(shifted_prints, prints);
}

/// A run stopped with Ctrl-C (SIGINT) leaves neither a report nor a
/// temporary file, and exits with 130; a run let finish writes all of it.
#[test]
fn an_interrupted_run_leaves_no_partial_report() {
    let dir = std::env::temp_dir().join(format!("kzcheck-sigint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    // Enough articles that reading them takes a while.
    let seeds: Vec<(String, String)> = std::fs::read_dir(Path::new(ROOT).join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    for i in 0..600 {
        for (stem, text) in &seeds {
            std::fs::write(corpus.join(format!("{stem}-{i}.txt")), text).unwrap();
        }
    }
    let report = dir.join("report.json");
    let mut interrupted = 0;
    for delay_ms in [150, 400, 1000] {
        let _ = std::fs::remove_file(&report);
        let child = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
            .args(["--format", "json", "-q", "-o"])
            .arg(&report)
            .arg(&corpus)
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let leftovers: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        match out.status.code() {
            Some(130) => {
                interrupted += 1;
                assert!(!report.exists(), "a report after Ctrl-C");
                assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
            }
            Some(0 | 1) => {
                let text =
                    std::fs::read_to_string(&report).expect("a finished run writes its report");
                serde_json::from_str::<Value>(&text).expect("the whole report");
            }
            other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
    assert!(
        interrupted > 0,
        "no run was interrupted; the corpus is too small"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
