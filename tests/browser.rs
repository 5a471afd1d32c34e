//! The HTML report in a real browser: renders the seeds and the hostile
//! fixture with the `kzcheck` binary into a temporary folder, loads each
//! page in headless Chromium (`tests/browser/check.mjs`, playwright-core)
//! and checks what it shows: one card per finding, article text laid out
//! right to left, filters that hide cards, evidence links that jump to the
//! words, no console error, no dialog, no request, no script from an
//! article. Saves a screenshot of each page under the target folder and,
//! for the seeds, `docs/report.png` when it is missing or
//! `KZCHECK_UPDATE_SCREENSHOT=1`.
//!
//! Needs `/usr/bin/chromium` (or `KZCHECK_CHROMIUM`), `node` and
//! `npm ci --prefix tests/browser`. Without them the test is skipped, unless
//! `KZCHECK_BROWSER_TESTS=required` (as in `.ci/run`): then it fails.
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("kzcheck-browser-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("a temporary folder");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn required() -> bool {
    std::env::var("KZCHECK_BROWSER_TESTS").is_ok_and(|v| v == "required")
}

/// What is missing to run the browser, if anything.
fn missing() -> Option<String> {
    let chromium = std::env::var("KZCHECK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        return Some(format!(
            "{chromium} is missing (apt-get install chromium, or set KZCHECK_CHROMIUM)"
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is missing (Node.js 20 or newer)".into());
    }
    if !Path::new(ROOT)
        .join("tests/browser/node_modules/playwright-core/package.json")
        .is_file()
    {
        return Some(
            "tests/browser/node_modules is missing (npm ci --prefix tests/browser)".into(),
        );
    }
    None
}

/// Runs the binary: `--format html -o OUT dir`; returns the number of findings.
fn render(dir: &str, out: &Path) -> usize {
    let o = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["--format", "html", "-o"])
        .arg(out)
        .arg(dir)
        .current_dir(ROOT)
        .output()
        .expect("kzcheck runs");
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "kzcheck --format html {dir}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.is_file(), "{dir}: no page written");
    let o = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["--format", "json", dir])
        .current_dir(ROOT)
        .output()
        .expect("kzcheck runs");
    let json: Value = serde_json::from_slice(&o.stdout).expect("the JSON report");
    json["findings"].as_array().map_or(0, |f| f.len())
}

/// Loads `page` in Chromium; returns what the script saw.
fn check(page: &Path, cards: usize, shot: &Path) -> Value {
    let o = Command::new("node")
        .arg(Path::new(ROOT).join("tests/browser/check.mjs"))
        .arg(page)
        .arg(cards.to_string())
        .arg(shot)
        .current_dir(ROOT)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "check.mjs failed ({}): {stdout}\n{stderr}",
        o.status
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check.mjs printed no JSON ({e}): {stdout}\n{stderr}"))
}

fn shots_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&d).expect("the screenshot folder");
    d
}

#[test]
fn the_html_report_works_in_a_browser() {
    if let Some(what) = missing() {
        if required() {
            panic!("KZCHECK_BROWSER_TESTS=required, but {what}");
        }
        eprintln!("skipped: {what} (set KZCHECK_BROWSER_TESTS=required to fail instead)");
        return;
    }
    let tmp = TempDir::new("pages");
    let shots = shots_dir();
    for (name, dir) in [
        ("seeds", "seeds"),
        ("hostile-html", "tests/fixtures/hostile-html"),
    ] {
        let page = tmp.0.join(format!("{name}.html"));
        let findings = render(dir, &page);
        let shot = shots.join(format!("{name}.png"));
        let r = check(&page, findings, &shot);
        let problems = r["problems"].as_array().cloned().unwrap_or_default();
        assert!(
            problems.is_empty() && r["ok"] == true,
            "{name}: {}\n{r:#}",
            problems
                .iter()
                .map(|p| p.as_str().unwrap_or("?"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(r["cards"], findings, "{name}");
        assert_eq!(r["visibleCards"], findings, "{name}");
        assert_eq!(r["lang"], "en");
        assert_eq!(r["dir"], "ltr");
        let dirs = r["articleTextDirections"].as_array().expect("directions");
        assert!(
            !dirs.is_empty() && dirs.iter().all(|d| d == "rtl"),
            "{name}: {dirs:?}"
        );
        for key in [
            "consoleErrors",
            "pageErrors",
            "dialogs",
            "requests",
            "onAttributes",
            "images",
        ] {
            assert_eq!(
                r[key].as_array().map(|a| a.len()),
                Some(0),
                "{name}: {key}: {r:#}"
            );
        }
        assert_eq!(r["scripts"], 0, "{name}");
        // Unchecking "info" hides the info cards.
        let info = r["severities"]
            .as_array()
            .expect("severities")
            .iter()
            .filter(|s| *s == "info")
            .count();
        assert_eq!(
            r["filters"]["info"]["visibleWhenUnchecked"],
            findings - info,
            "{name}"
        );
        assert_eq!(r["filters"]["info"]["visibleAfter"], findings, "{name}");
        assert_eq!(r["jump"]["tag"], "mark", "{name}");
        assert_eq!(r["print"]["filtersHidden"], true, "{name}");
        let png = std::fs::read(&shot).expect("the screenshot");
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        if name == "hostile-html" {
            // The article's markup is shown as text, and none of it runs.
            assert_eq!(r["hostileTextShown"], true);
            assert_eq!(r["hostileImgShown"], true);
            assert_eq!(r["hostileLinkShown"], true);
            assert_eq!(r["javascriptLinks"], 0);
        }
        if name == "seeds" {
            let docs = Path::new(ROOT).join("docs/report.png");
            let update = std::env::var("KZCHECK_UPDATE_SCREENSHOT").is_ok_and(|v| v == "1");
            if update || !docs.exists() {
                std::fs::create_dir_all(docs.parent().expect("docs/")).expect("docs/");
                std::fs::copy(&shot, &docs).expect("docs/report.png");
            }
        }
    }
}
