//! Broken rules folders (tests/bad-rules/<case>/, each a copy of rules/ with
//! one thing broken) must be refused when loaded, with every error reported
//! at the right file and line. The rendered diagnostics are snapshotted in
//! snapshots/bad_rules__<case>.snap, exactly as a rule writer sees them.
use kzcheck::rules::{RuleError, Rules, RulesError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One error a case must report: its code, the file it points into
/// (relative to the case folder) and the 1-based line.
struct Expect {
    code: &'static str,
    file: &'static str,
    line: usize,
}

const fn e(code: &'static str, file: &'static str, line: usize) -> Expect {
    Expect { code, file, line }
}

/// Every case folder and the errors it must give, in order.
const CASES: &[(&str, &[Expect])] = &[
    (
        "bad-regex",
        &[e("kzcheck::rules::bad_regex", "claims/forces.yaml", 41)],
    ),
    (
        "bad-weekday",
        &[e("kzcheck::rules::bad_value", "lexicon.yaml", 23)],
    ),
    (
        "bad-yaml",
        &[e("kzcheck::rules::yaml", "claims/forces.yaml", 39)],
    ),
    (
        "duplicate-id",
        &[e("kzcheck::rules::duplicate_id", "claims/people.yaml", 16)],
    ),
    (
        "duplicate-id-after-comment",
        &[e("kzcheck::rules::duplicate_id", "claims/people.yaml", 3)],
    ),
    (
        "exploding-regex",
        &[e("kzcheck::rules::regex_too_big", "claims/forces.yaml", 41)],
    ),
    (
        "huge-regex",
        &[e(
            "kzcheck::rules::pattern_too_long",
            "claims/forces.yaml",
            41,
        )],
    ),
    (
        "missing-field",
        &[e("kzcheck::rules::missing_field", "claims/forces.yaml", 36)],
    ),
    (
        "no-value-group",
        &[e(
            "kzcheck::rules::no_value_group",
            "claims/forces.yaml",
            29,
        )],
    ),
    (
        "two-errors",
        &[
            e("kzcheck::rules::unknown_key", "claims/forces.yaml", 28),
            e("kzcheck::rules::bad_regex", "claims/people.yaml", 9),
        ],
    ),
    (
        "unknown-entity-subject",
        &[e(
            "kzcheck::rules::unknown_entity",
            "claims/people.yaml",
            23,
        )],
    ),
    (
        "unknown-subject-in-doc",
        &[e(
            "kzcheck::rules::unknown_entity",
            "claims/people.yaml",
            23,
        )],
    ),
    (
        "unknown-key",
        &[e("kzcheck::rules::unknown_key", "claims/forces.yaml", 28)],
    ),
    (
        "unknown-key-example",
        &[e("kzcheck::rules::unknown_key", "claims/forces.yaml", 32)],
    ),
    (
        "unknown-kind",
        &[e("kzcheck::rules::bad_value", "entities.yaml", 19)],
    ),
    (
        "unknown-macro",
        &[e("kzcheck::rules::unknown_macro", "claims/forces.yaml", 29)],
    ),
];

fn case_dir(name: &str) -> PathBuf {
    Path::new("tests/bad-rules").join(name)
}

/// The case folders, sorted; files beside them are skipped.
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/bad-rules")
        .expect("tests/bad-rules is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn load_err(dir: &Path) -> RulesError {
    match Rules::from_dir(dir) {
        Ok(_) => panic!("{}: broken rules were accepted", dir.display()),
        Err(e) => e,
    }
}

fn render(err: &RulesError) -> String {
    let mut s = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut s, err)
        .expect("the report renders");
    s
}

fn describe(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {} {}:{} {}\n", e.code, e.file, e.line, e.message))
        .collect()
}

/// The error list of case `name` is exactly `want`, in order.
fn check_case(name: &str) {
    let (_, want) = CASES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no expectation for case {name}"));
    let dir = case_dir(name);
    let err = load_err(&dir);
    let got = describe(&err.errors);
    assert_eq!(
        err.errors.len(),
        want.len(),
        "{name}: wrong number of errors; got:\n{got}"
    );
    for (g, w) in err.errors.iter().zip(want.iter()) {
        let file = format!("{}/{}", dir.display(), w.file);
        assert_eq!(g.code, w.code, "{name}: wrong code; got:\n{got}");
        assert_eq!(g.file, file, "{name}: wrong file; got:\n{got}");
        assert_eq!(g.line, w.line, "{name}: wrong line; got:\n{got}");
        // The span points at the line the error names.
        let text = std::fs::read_to_string(&file).expect("case file is readable");
        let offset = g.span.offset();
        assert!(offset <= text.len(), "{name}: span past the end of {file}");
        let span_line = text[..offset].matches('\n').count() + 1;
        assert_eq!(span_line, g.line, "{name}: span and line disagree");
        assert!(!g.message.is_empty(), "{name}: empty message");
    }
}

/// Every folder under tests/bad-rules is refused, has an expectation in
/// CASES, and its rendered errors match the snapshot.
#[test]
fn every_case_is_refused_and_rendered() {
    let dirs = case_dirs();
    assert!(!dirs.is_empty());
    let mut names = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 folder name")
            .to_string();
        assert!(
            CASES.iter().any(|(n, _)| *n == name),
            "tests/bad-rules/{name} has no entry in CASES"
        );
        let err = load_err(&dir);
        assert!(!err.errors.is_empty(), "{name}: an error with no errors");
        let rendered = render(&err);
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path("../snapshots");
        s.set_prepend_module_to_snapshot(false);
        s.bind(|| insta::assert_snapshot!(format!("bad_rules__{name}"), rendered));
        names.push(name);
    }
    for (n, _) in CASES {
        assert!(names.iter().any(|x| x == n), "case {n} has no folder");
    }
}

macro_rules! cases {
    ($($(#[$attr:meta])* $fn_name:ident => $case:literal;)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $fn_name() {
                check_case($case);
            }
        )*
    };
}

cases! {
    bad_regex => "bad-regex";
    bad_weekday => "bad-weekday";
    bad_yaml => "bad-yaml";
    duplicate_id => "duplicate-id";
    /// The first rule of a file whose id is also named in a comment above it.
    duplicate_id_after_comment => "duplicate-id-after-comment";
    /// A counted repetition of a macro: compiles past the size limit.
    exploding_regex => "exploding-regex";
    /// Twelve `{date}`s in one pattern: too long once expanded.
    huge_regex => "huge-regex";
    missing_field => "missing-field";
    no_value_group => "no-value-group";
    two_errors => "two-errors";
    unknown_entity_subject => "unknown-entity-subject";
    unknown_key => "unknown-key";
    /// An unknown key inside a `{text:, value:}` example.
    unknown_key_example => "unknown-key-example";
    unknown_kind => "unknown-kind";
    unknown_macro => "unknown-macro";
    /// `subject: speake`, a word that also stands earlier in the rule's doc.
    unknown_subject_in_doc => "unknown-subject-in-doc";
}

/// The binary refuses broken rules before reading any article: exit code 2,
/// the error on stderr, nothing on stdout.
#[test]
fn binary_exits_2_on_bad_rules() {
    let out = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(["--rules", "tests/bad-rules/bad-regex", "seeds/"])
        .output()
        .expect("kzcheck runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty(), "no report on stdout");
    assert!(stderr.contains("kzcheck::rules::bad_regex"), "{stderr}");
    assert!(
        stderr.contains("tests/bad-rules/bad-regex/claims/forces.yaml"),
        "{stderr}"
    );
    assert!(stderr.contains("aircraft-total"), "{stderr}");
}
