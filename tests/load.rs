//! Tests for `kzcheck::load`: walking inputs, front matter, diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

use kzcheck::load::{load, LoadError, Loaded};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

mod common;
use common::TempDir;

fn code(d: &LoadError) -> String {
    d.code().map(|c| c.to_string()).unwrap_or_default()
}

fn codes(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(code).collect()
}

fn render(d: &LoadError) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, d)
        .expect("render");
    out
}

/// The byte offset of the first label of `d`.
fn label_offset(d: &LoadError) -> usize {
    d.labels()
        .and_then(|mut l| l.next())
        .map(|l| l.offset())
        .expect("a label")
}

#[test]
fn seeds_load() {
    let loaded = load(&[PathBuf::from("seeds")]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.articles.len(), 5);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(
        ids,
        [
            "000_8a8d74e88c78e18c",
            "001_2c2777cac6aad9e3",
            "002_901cde79856b230e",
            "003_8899bfe5d7a1a820",
            "004_625e470900eb8ffa",
        ]
    );
    for a in &loaded.articles {
        assert_eq!(a.path, format!("seeds/{}.txt", a.id));
        let on_disk = fs::read_to_string(&a.path).expect("seed readable");
        assert_eq!(a.text, on_disk);
        assert_eq!(a.body, 0..a.text.len());
        assert_eq!(a.body_text(), a.text);
        assert_eq!(a.meta, Default::default());
    }
    // A trailing slash shows the same paths.
    let again = load(&[PathBuf::from("seeds/")]);
    let paths: Vec<&str> = again.articles.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths[0], "seeds/000_8a8d74e88c78e18c.txt");
}

#[test]
fn bad_files_become_diagnostics_and_the_good_one_loads() {
    let dir = TempDir::new("bad");
    dir.write("a_good.txt", "نص سليم.\n");
    dir.write("b_empty.txt", "\u{feff}  \n\t\n");
    // Line 2, after "ab" + "ال" (4 chars): the Latin-1 byte 0xE9.
    let mut latin1 = b"first line\nab\xd8\xa7\xd9\x84".to_vec();
    latin1.extend_from_slice(b"\xe9t\xe9\n");
    dir.write("c_latin1.txt", &latin1);

    let loaded = load(&[dir.path().to_path_buf()]);
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(&*loaded.articles[0].id, "a_good");
    assert_eq!(
        codes(&loaded),
        ["kzcheck::load::empty", "kzcheck::load::not_utf8"]
    );
    assert_eq!(loaded.diagnostics[0].path(), dir.shown("b_empty.txt"));
    match &loaded.diagnostics[1] {
        LoadError::NotUtf8 {
            path,
            offset,
            line,
            column,
            help,
            ..
        } => {
            assert_eq!(path, &dir.shown("c_latin1.txt"));
            assert_eq!(*offset, 17);
            assert_eq!((*line, *column), (2, 5));
            assert!(help.contains("re-save the file as UTF-8"));
            assert!(!help.contains("UTF-16"));
        }
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    // The label sits on the first U+FFFD of the lossy text.
    let d = &loaded.diagnostics[1];
    assert_eq!(label_offset(d), 17);
    let lossy = String::from_utf8_lossy(&latin1);
    assert!(lossy[17..].starts_with('\u{fffd}'));
}

#[test]
fn utf16_with_a_bom_is_decoded_with_a_warning() {
    let dir = TempDir::new("utf16");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "خبر".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let f = dir.write("utf16.txt", &bytes);
    let loaded = load(&[f]);
    assert_eq!(loaded.articles.len(), 1);
    // The BOM is kept, as U+FEFF; offsets are into the UTF-8 text.
    assert_eq!(loaded.articles[0].text, "\u{feff}خبر");
    assert_eq!(loaded.articles[0].body_text(), "خبر");
    match &loaded.diagnostics[..] {
        [d @ LoadError::Decoded { encoding, .. }] => {
            assert_eq!(*encoding, "UTF-16LE");
            assert_eq!(d.severity(), Some(miette::Severity::Warning));
            let msg = d.to_string();
            assert!(msg.contains("decoded from UTF-16LE"), "{msg}");
            assert!(msg.contains("UTF-8 decoded text"), "{msg}");
        }
        other => panic!("expected one Decoded, got {other:?}"),
    }
}

#[test]
fn front_matter_is_parsed_and_body_follows_it() {
    let dir = TempDir::new("fm");
    let text = "---\npublished: 2022-01-13\nsource: Example News\nurl: https://example.com/a\nwire: AFP\ntitle: ignored\nauthor: also ignored\n---\nبدأت قوات الانسحاب.\n";
    let f = dir.write("fm.md", text);
    let loaded = load(&[f]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let a = &loaded.articles[0];
    assert_eq!(a.text, text);
    assert_eq!(a.meta.published, Some(jiff::civil::date(2022, 1, 13)));
    assert_eq!(a.meta.source.as_deref(), Some("Example News"));
    assert_eq!(a.meta.url.as_deref(), Some("https://example.com/a"));
    assert_eq!(a.meta.wire.as_deref(), Some("AFP"));
    let close = text.find("\n---\n").expect("closing fence") + "\n---\n".len();
    assert_eq!(a.body, close..text.len());
    assert!(a.text[a.body.clone()].starts_with("بدأت"));
}

#[test]
fn front_matter_with_bom_crlf_dots_and_timestamp() {
    let dir = TempDir::new("fm2");
    // The date is taken as written, not converted to UTC (that would be the 12th).
    let text = "\u{feff}---\r\npublished: \"2022-01-13T01:30:00+06:00\"\r\nwire: Reuters\r\n...\r\nالنص\r\n";
    let f = dir.write("bom.txt", text);
    let loaded = load(&[f]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let a = &loaded.articles[0];
    assert_eq!(a.text, text, "the BOM is kept in text");
    assert_eq!(a.meta.published, Some(jiff::civil::date(2022, 1, 13)));
    assert_eq!(a.meta.wire.as_deref(), Some("Reuters"));
    assert_eq!(a.body_text(), "النص\r\n");

    // No front matter, but a BOM: the body starts after it.
    let g = dir.write("plain.txt", "\u{feff}خبر\n");
    let loaded = load(&[g]);
    assert_eq!(loaded.articles[0].body, 3..loaded.articles[0].text.len());

    // An opening fence never closed: no front matter, the whole file is
    // the article, and a warning points at the fence.
    let h = dir.write("open.txt", "---\nنص\n");
    let loaded = load(&[h]);
    assert_eq!(codes(&loaded), ["kzcheck::load::front_matter"]);
    assert_eq!(
        loaded.diagnostics[0].severity(),
        Some(miette::Severity::Warning)
    );
    assert_eq!(label_offset(&loaded.diagnostics[0]), 0);
    assert!(loaded.diagnostics[0].to_string().contains("never closed"));
    assert_eq!(loaded.articles[0].body, 0..loaded.articles[0].text.len());
}

#[test]
fn malformed_front_matter_is_a_diagnostic_and_the_article_still_loads() {
    let dir = TempDir::new("badfm");
    let text = "---\nsource: ok\nwire: [AFP\n---\nالنص هنا\n";
    let f = dir.write("broken.txt", text);
    let loaded = load(&[f]);
    assert_eq!(codes(&loaded), ["kzcheck::load::front_matter"]);
    let a = &loaded.articles[0];
    assert_eq!(a.meta, Default::default());
    assert_eq!(a.body_text(), "النص هنا\n");
    let d = &loaded.diagnostics[0];
    let off = label_offset(d);
    assert!(off < a.body.start, "label inside the front matter");
    // The label is on a line of the YAML block, not line 1.
    let label_line = text[..off].matches('\n').count() + 1;
    match d {
        LoadError::FrontMatter { line, .. } => {
            assert_eq!(*line, label_line);
            assert!((3..=4).contains(line), "line {line}");
        }
        other => panic!("expected FrontMatter, got {other:?}"),
    }
}

#[test]
fn bad_published_date_points_at_the_value() {
    let dir = TempDir::new("baddate");
    let text = "---\ntitle: خبر\npublished: 2022-13-45\nwire: AFP\n---\nالنص\n";
    let f = dir.write("date.txt", text);
    let loaded = load(&[f]);
    assert_eq!(codes(&loaded), ["kzcheck::load::front_matter"]);
    let d = &loaded.diagnostics[0];
    match d {
        LoadError::FrontMatter {
            line,
            column,
            message,
            ..
        } => {
            assert_eq!((*line, *column), (3, 12));
            assert!(message.contains("2022-13-45"), "{message}");
        }
        other => panic!("expected FrontMatter, got {other:?}"),
    }
    assert_eq!(
        label_offset(d),
        text.find("2022-13-45").unwrap_or(usize::MAX)
    );
    // Still loaded, with empty Meta (wire too).
    assert_eq!(loaded.articles[0].meta, Default::default());
    assert_eq!(loaded.articles[0].body_text(), "النص\n");
}

#[test]
fn nested_folders_are_walked_sorted() {
    let dir = TempDir::new("nested");
    dir.write("b/x.txt", "x");
    dir.write("a/y.md", "y");
    dir.write("a/c/z.TXT", "z");
    dir.write("a/notes.json", "{}");
    dir.write(".hidden/h.txt", "h");
    dir.write("a/.h.txt", "h");
    dir.write("top.txt", "t");
    let loaded = load(&[dir.path().to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let paths: Vec<String> = loaded.articles.iter().map(|a| a.path.clone()).collect();
    assert_eq!(
        paths,
        [
            dir.shown("a/c/z.TXT"),
            dir.shown("a/y.md"),
            dir.shown("b/x.txt"),
            dir.shown("top.txt"),
        ]
    );
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["z", "y", "x", "top"]);
}

#[test]
fn duplicate_stems_get_distinct_ids() {
    let dir = TempDir::new("dups");
    dir.write("a/x.txt", "1");
    dir.write("b/x.txt", "2");
    dir.write("b/x.md", "3");
    dir.write("y.txt", "4");
    let loaded = load(&[dir.path().to_path_buf()]);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["a/x", "b/x.md", "b/x.txt", "y"]);

    // Two roots with the same file names: the shown path disambiguates.
    let other = TempDir::new("dups2");
    other.write("y.txt", "5");
    let loaded = load(&[
        dir.path().join("a"),
        other.path().to_path_buf(),
        dir.path().join("y.txt"),
    ]);
    let mut ids: Vec<String> = loaded.articles.iter().map(|a| a.id.to_string()).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&"x".to_string()));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "ids unique: {ids:?}");
}

#[test]
fn same_file_twice_is_read_once_and_explicit_files_take_any_extension() {
    let dir = TempDir::new("twice");
    let f = dir.write("a.txt", "نص");
    let g = dir.write("notes.text", "other");
    let loaded = load(&[
        f.clone(),
        dir.path().to_path_buf(),
        f,
        dir.path().to_path_buf(),
        g,
    ]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["a", "notes"]);
}

#[test]
fn missing_path_and_empty_folder() {
    let dir = TempDir::new("missing");
    let empty = dir.path().join("empty");
    fs::create_dir_all(&empty).expect("mkdir");
    dir.write("only_other/readme.json", "{}");
    dir.write("only_other/.hidden.txt", "x");
    let good = dir.write("good/ok.txt", "خبر");
    let missing = dir.path().join("nope.txt");
    let loaded = load(&[
        missing.clone(),
        empty.clone(),
        dir.path().join("only_other"),
        dir.path().join("good"),
    ]);
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(
        loaded.articles[0].path,
        good.to_string_lossy().replace('\\', "/")
    );
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (code(d), d.path().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "kzcheck::load::empty_folder".to_string(),
                dir.shown("empty")
            ),
            (
                "kzcheck::load::not_found".to_string(),
                dir.shown("nope.txt")
            ),
            (
                "kzcheck::load::empty_folder".to_string(),
                dir.shown("only_other")
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_linked_files_are_read_once() {
    let dir = TempDir::new("links");
    dir.write("a/x.txt", "x");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("a/x.txt"), dir.path().join("a/y.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("a/z.txt"))
        .expect("symlink");
    let loaded = load(&[dir.path().to_path_buf()]);
    let paths: Vec<&str> = loaded.articles.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, [dir.shown("a/x.txt")]);
    // The link back up is a warning; the broken link named like an article
    // is reported.
    assert_eq!(
        codes(&loaded),
        ["kzcheck::load::folder_loop", "kzcheck::load::not_found"]
    );
    assert_eq!(loaded.diagnostics[0].path(), dir.shown("a/loop"));
    assert_eq!(
        loaded.diagnostics[0].severity(),
        Some(miette::Severity::Warning)
    );
}

#[test]
fn every_kind_renders_with_the_file_name() {
    let dir = TempDir::new("render");
    let file = dir.write("plain.txt", "نص");
    let inputs = [
        dir.path().join("missing_file.txt"),
        dir.path().join("empty_dir"),
        dir.write("empty_file.txt", ""),
        dir.write("latin1_file.txt", b"caf\xe9\n"),
        // A path through a file: unreadable, but not "not found".
        file.join("through_file.txt"),
        dir.write("fm_file.txt", "---\nwire: [\n---\nنص\n"),
    ];
    fs::create_dir_all(&inputs[1]).expect("mkdir");
    let loaded = load(&inputs);
    let mut seen: Vec<String> = codes(&loaded);
    seen.sort();
    assert_eq!(
        seen,
        [
            "kzcheck::load::empty",
            "kzcheck::load::empty_folder",
            "kzcheck::load::front_matter",
            "kzcheck::load::io",
            "kzcheck::load::not_found",
            "kzcheck::load::not_utf8",
        ]
    );
    for d in &loaded.diagnostics {
        let out = render(d);
        let name = Path::new(d.path())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(out.contains(&name), "{out}");
        assert!(out.contains(&code(d)), "{out}");
        assert!(d.help().is_some(), "{} has a help line", code(d));
        assert!(d.to_string().contains(d.path()));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_bytes_load_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
                                    fence in proptest::prelude::any::<bool>()) {
        let dir = TempDir::new("prop");
        let mut content = if fence { b"---\n".to_vec() } else { Vec::new() };
        content.extend_from_slice(&bytes);
        if fence {
            content.extend_from_slice(b"\n---\nx");
        }
        let f = dir.write("p.txt", &content);
        let loaded = load(&[f]);
        proptest::prop_assert_eq!(loaded.articles.len() + loaded.diagnostics.len() >= 1, true);
        for a in &loaded.articles {
            proptest::prop_assert!(a.text.get(a.body.clone()).is_some());
        }
        for d in &loaded.diagnostics {
            let _ = render(d);
        }
    }
}

/// Bytes as files come: UTF-8 with or without a mark, UTF-16 either way,
/// Windows-1256, front matter, and stray bytes.
fn file_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let text = proptest::collection::vec(
        prop::sample::select(vec![
            "---\n",
            "published: 2022-01-14\n",
            "قال ",
            "13 ",
            "\r\n",
            "\n",
            "a",
            "\u{feff}",
            "\t",
        ]),
        0..12,
    )
    .prop_map(|v| v.concat());
    (text, 0u8..5, proptest::collection::vec(any::<u8>(), 0..8)).prop_map(|(t, how, stray)| {
        let utf16 = |le: bool| {
            let mut b = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for u in t.encode_utf16() {
                b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            b
        };
        match how {
            0 => t.into_bytes(),
            1 => utf16(true),
            2 => utf16(false),
            3 => encoding_rs::WINDOWS_1256.encode(&t).0.into_owned(),
            _ => [t.into_bytes(), stray].concat(),
        }
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// The text the reports quote, read without the front matter, is the
    /// article's text wherever the file gives an article.
    #[test]
    fn a_text_read_again_is_the_articles_text(bytes in file_bytes()) {
        let (article, _) = kzcheck::load::from_bytes("a/p.txt", bytes.clone());
        if let Some(a) = article {
            proptest::prop_assert_eq!(kzcheck::load::text_from_bytes("a/p.txt", bytes), Some(a.text));
        }
    }
}

#[test]
fn a_source_read_again_gives_the_articles_text() {
    let dir = TempDir::new("again");
    dir.write(
        "a.txt",
        "---\npublished: 2022-01-14\n---\nقال المتحدث إن 13 قتلوا.\n".as_bytes(),
    );
    dir.write(
        "b.txt",
        &encoding_rs::WINDOWS_1256
            .encode("قال المتحدث إن 16 قتلوا.")
            .0,
    );
    let plan = kzcheck::load::plan(&[dir.path().to_path_buf()]);
    assert_eq!(plan.sources.len(), 2);
    for s in &plan.sources {
        let article = s.read().0.expect("an article");
        assert_eq!(s.text(), Some(article.text));
    }
}
