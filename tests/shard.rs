//! A run split over machines: `kzcheck extract --claims` on groups of
//! articles, then `kzcheck compare` on the shards, gives the same report as
//! one run, byte for byte, in every format; shards that do not fit together
//! are refused with the file and line.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const TODAY: &str = "2026-11-22";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(args)
        .current_dir(ROOT)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .output()
        .expect("kzcheck runs")
}

/// A scratch folder, removed when it is dropped (a failed test included).
fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("kzcheck-shard-{name}-"))
        .tempdir()
        .unwrap()
}

fn articles(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    v
}

/// The run ended with exit code 0 (else its messages are shown).
fn succeeded(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Writes one shard per group of articles; returns the shard paths.
fn shards(out: &Path, groups: &[&[String]]) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let shard = out.join(format!("shard-{i}.jsonl"));
        let shard_s = shard.to_string_lossy().into_owned();
        let mut args = vec!["extract", "--claims", "--today", TODAY, "-o", &shard_s];
        args.extend(group.iter().map(String::as_str));
        succeeded(&run(&args));
        paths.push(shard_s);
    }
    paths
}

fn same_report(dir: &str, shard_paths: &[String], format: &str) {
    let single = run(&[dir, "--today", TODAY, "--format", format]);
    let mut args = vec!["compare", "--format", format];
    args.extend(shard_paths.iter().map(String::as_str));
    let sharded = run(&args);
    assert_eq!(
        single.status.code(),
        sharded.status.code(),
        "{dir} {format}"
    );
    assert!(!single.stdout.is_empty());
    assert!(
        single.stdout == sharded.stdout,
        "{dir} --format {format}: the sharded report differs\n--- single\n{}\n--- sharded\n{}",
        String::from_utf8_lossy(&single.stdout),
        String::from_utf8_lossy(&sharded.stdout)
    );
}

#[test]
fn seeds_in_shards_give_the_single_run_report() {
    let out = scratch("seeds");
    let out = out.path();
    let all = articles("seeds");
    assert_eq!(all.len(), 5);
    // Uneven groups, and not in path order.
    let shard_paths = shards(out, &[&all[3..], &all[..1], &all[1..3]]);
    for format in ["json", "text", "sarif", "line"] {
        same_report("seeds", &shard_paths, format);
    }
    // One shard with everything is the same too.
    let whole_dir = scratch("seeds-whole");
    let whole = shards(whole_dir.path(), &[&all]);
    same_report("seeds", &whole, "json");
}

/// Every fixture, one shard per article, through the library (the same code
/// the commands run): the JSON report is the single run's.
#[test]
fn every_fixture_in_one_shard_per_article_gives_the_single_run_report() {
    use kzcheck::check::{assemble, check_with, parts, Options};
    let rules = kzcheck::rules::Rules::from_dir(&Path::new(ROOT).join("rules")).unwrap();
    let opts = Options {
        today: Some(TODAY.parse().unwrap()),
        ..Options::default()
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() > 10);
    for dir in dirs {
        let loaded = kzcheck::load::load(std::slice::from_ref(&dir));
        let single = kzcheck::report::json::render(&check_with(&loaded.articles, &rules, &opts));
        let mut all = Vec::new();
        for article in &loaded.articles {
            let (cal, ps) = parts(std::slice::from_ref(article), &rules, &opts);
            let mut text =
                serde_json::to_string(&kzcheck::shard::Header::new(&rules, &cal)).unwrap();
            for p in &ps {
                text.push('\n');
                text.push_str(&kzcheck::shard::to_line(p, &rules).unwrap());
            }
            let (_, mut back) = kzcheck::shard::read("shard", &text, &rules).unwrap();
            all.append(&mut back);
        }
        let sharded = kzcheck::report::json::render(&assemble(all, &rules, &opts));
        assert!(
            single == sharded,
            "{}: the sharded report differs",
            dir.display()
        );
    }
}

#[test]
fn shards_that_do_not_fit_are_refused() {
    let out = scratch("refused");
    let out = out.path();
    let all = articles("seeds");
    let shard_paths = shards(out, &[&all[..2], &all[2..]]);
    let text = std::fs::read_to_string(&shard_paths[1]).unwrap();

    // A line that is not an article's claims: the file and line are named.
    let broken = out.join("broken.jsonl");
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{\"info\": 3}";
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let o = run(&["compare", &shard_paths[0], broken.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("broken.jsonl:3"), "{err}");
    assert!(o.stdout.is_empty());

    // Another calendar (another --today with no declared window would do it).
    let other = out.join("other-calendar.jsonl");
    let header_end = text.find('\n').unwrap();
    let header = text[..header_end].replace("\"latest_year\":2026", "\"latest_year\":2025");
    assert_ne!(header, text[..header_end], "{}", &text[..header_end]);
    std::fs::write(&other, format!("{header}{}", &text[header_end..])).unwrap();
    let o = run(&["compare", &shard_paths[0], other.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("another calendar"), "{err}");

    // A shard of the format before (its wire-copy hashes were worked out
    // otherwise): refused, not compared with hashes it cannot match.
    let old = out.join("old-format.jsonl");
    let header = text[..header_end].replace("\"kzcheck_shard\":2", "\"kzcheck_shard\":1");
    assert_ne!(header, text[..header_end], "{}", &text[..header_end]);
    std::fs::write(&old, format!("{header}{}", &text[header_end..])).unwrap();
    let o = run(&["compare", &shard_paths[0], old.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("shard format 1 (this kzcheck reads 2)"),
        "{err}"
    );

    // Other rules.
    let rules = out.join("rules");
    std::fs::create_dir_all(rules.join("claims")).unwrap();
    for f in ["lexicon.yaml", "entities.yaml", "story.yaml"] {
        std::fs::copy(Path::new(ROOT).join("rules").join(f), rules.join(f)).unwrap();
    }
    std::fs::copy(
        Path::new(ROOT).join("rules/claims/forces.yaml"),
        rules.join("claims/forces.yaml"),
    )
    .unwrap();
    let o = run(&[
        "compare",
        "--rules",
        rules.to_str().unwrap(),
        &shard_paths[0],
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("other rules"), "{err}");

    // Not a shard at all.
    let o = run(&["compare", "seeds/000_8a8d74e88c78e18c.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a claims shard"));
}

/// An article decoded from Windows-1256 or UTF-16: `compare` quotes it
/// from the text the claims were read in (its spans are into the decoded
/// text), as the single run does, not from the file's bytes.
#[test]
fn decoded_articles_are_quoted_from_their_decoded_text() {
    let out = scratch("decoded");
    let out = out.path();
    let all = articles("seeds");
    let mut paths = Vec::new();
    for (i, a) in all.iter().take(3).enumerate() {
        let text = std::fs::read_to_string(Path::new(ROOT).join(a)).unwrap();
        let bytes = match i {
            0 => {
                let (b, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&text);
                assert!(!unmappable, "{a} is not encodable in Windows-1256");
                b.into_owned()
            }
            1 => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
            _ => text.into_bytes(),
        };
        let p = out.join(format!("a{i}.txt"));
        std::fs::write(&p, bytes).unwrap();
        paths.push(p.to_string_lossy().into_owned());
    }
    let dir = out.to_string_lossy().into_owned();
    let shards_dir = scratch("decoded-shards");
    let shard_paths = shards(shards_dir.path(), &[&paths[..1], &paths[1..]]);
    for format in ["text", "html"] {
        same_report(&dir, &shard_paths, format);
    }
}

/// `-o -` is standard output, as the README's map step uses it (a shard
/// piped back to the engine): the same bytes as `-o FILE`, and no file
/// named `-` in the current folder. The same for a report.
#[test]
fn dash_as_the_output_is_standard_output() {
    let out = scratch("dash");
    let out = out.path();
    let all = articles("seeds");
    let to_file = shards(out, &[&all[..]]);
    // The same relative paths from the scratch folder.
    std::fs::create_dir_all(out.join("seeds")).unwrap();
    for a in &all {
        std::fs::copy(Path::new(ROOT).join(a), out.join(a)).unwrap();
    }
    let in_dir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kzcheck"))
            .args(args)
            .current_dir(out)
            .output()
            .expect("kzcheck runs")
    };
    let mut args = vec!["extract", "--claims", "--today", TODAY, "-o", "-"];
    args.extend(all.iter().map(String::as_str));
    let o = in_dir(&args);
    succeeded(&o);
    assert_eq!(o.stdout, std::fs::read(&to_file[0]).unwrap());
    assert!(!out.join("-").exists(), "a file named - was written");

    let report = out.join("report.json");
    let report_to = |o: &str| {
        let args = ["--format", "json", "--today", TODAY, "--fail-on", "never"];
        let r = in_dir(&[&args[..], &["-o", o, "seeds"]].concat());
        succeeded(&r);
        r
    };
    let o = report_to("-");
    report_to(report.to_str().unwrap());
    assert!(o.stdout.starts_with(b"{"));
    assert_eq!(o.stdout, std::fs::read(&report).unwrap());
    assert!(!out.join("-").exists(), "a file named - was written");
}
