//! Hostile input (issue 6, items 4 and 5): other encodings, binary files,
//! empty and huge files, huge folders, symlink loops, unreadable files,
//! malformed front matter, and every input the fuzzers found. Each gets a
//! diagnostic naming the file (and line where there is one), the run goes on
//! with the other articles, and nothing panics, hangs or eats memory.
//!
//! Everything is written under the system temp dir, never into the repo.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kzcheck::load::{from_bytes, load, LoadError, Loaded, MAX_ARTICLE_BYTES};
use kzcheck::rules::Rules;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

mod common;
use common::TempDir;

fn code(d: &LoadError) -> String {
    d.code().map(|c| c.to_string()).unwrap_or_default()
}

fn codes(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(code).collect()
}

fn render(d: &dyn Diagnostic) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, d)
        .expect("render");
    out
}

/// Every diagnostic names its file, has a code and a help line, renders,
/// and puts no control character on the terminal.
fn assert_diagnostics_are_clear(loaded: &Loaded) {
    for d in &loaded.diagnostics {
        let out = render(d);
        assert!(out.contains(d.path()), "{out}");
        assert!(out.contains(&code(d)), "{out}");
        assert!(d.help().is_some(), "{} has a help line", code(d));
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r'),
            "control characters in {out:?}"
        );
        assert!(out.len() < 20_000, "a huge diagnostic: {} bytes", out.len());
    }
}

fn one_article(loaded: &Loaded) -> &kzcheck::load::Article {
    assert_eq!(loaded.articles.len(), 1, "{:?}", loaded.diagnostics);
    &loaded.articles[0]
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xFEFF_u16)
        .into_iter()
        .chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn windows_1256(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable, "not encodable in Windows-1256");
    bytes.into_owned()
}

const SENTENCE: &str = "قالت وزارة الداخلية إن 18 شخصا قتلوا يوم الخميس 6 كانون الثاني 2022، وأضافت: «الوضع مستقر».\nوصل 2400 عسكري إلى البلاد.\n";

// ---------------------------------------------------------------------------
// Encodings

#[test]
fn utf16_in_all_four_forms_is_decoded_with_a_warning() {
    let dir = TempDir::new("utf16");
    for (name, be, bom, encoding, why) in [
        ("le_bom.txt", false, true, "UTF-16LE", "byte order mark"),
        ("be_bom.txt", true, true, "UTF-16BE", "byte order mark"),
        ("le.txt", false, false, "UTF-16LE", "NUL bytes"),
        ("be.txt", true, false, "UTF-16BE", "NUL bytes"),
    ] {
        let f = dir.write(name, utf16(SENTENCE, be, bom));
        let loaded = load(&[f]);
        let a = one_article(&loaded);
        let expected = if bom {
            format!("\u{feff}{SENTENCE}")
        } else {
            SENTENCE.to_string()
        };
        assert_eq!(a.text, expected, "{name}");
        assert_eq!(a.body_text(), SENTENCE, "{name}");
        assert_eq!(codes(&loaded), ["kzcheck::load::decoded"], "{name}");
        let d = &loaded.diagnostics[0];
        assert_eq!(d.severity(), Some(Severity::Warning));
        assert_eq!(d.path(), dir.shown(name));
        let msg = d.to_string();
        assert!(msg.contains(&format!("decoded from {encoding}")), "{msg}");
        assert!(msg.contains(why), "{msg}");
        assert!(msg.contains("UTF-8 decoded text"), "{msg}");
        assert_diagnostics_are_clear(&loaded);
    }
}

#[test]
fn windows_1256_arabic_is_decoded_and_latin1_is_refused() {
    let dir = TempDir::new("cp1256");
    let f = dir.write("arabic.txt", windows_1256(SENTENCE));
    let loaded = load(&[f]);
    assert_eq!(one_article(&loaded).text, SENTENCE);
    assert_eq!(codes(&loaded), ["kzcheck::load::decoded"]);
    assert!(loaded.diagnostics[0]
        .to_string()
        .contains("decoded from windows-1256"));
    assert_diagnostics_are_clear(&loaded);

    // Latin-1 French: not Arabic, refused with the line and column.
    let g = dir.write(
        "latin1.txt",
        b"Le pr\xe9sident a d\xe9clar\xe9 que 18 personnes sont mortes.\n",
    );
    // UTF-8 Arabic with one stray byte: damaged UTF-8, not Windows-1256.
    let at = SENTENCE.find("18").expect("a digit");
    let mut damaged = SENTENCE.as_bytes().to_vec();
    damaged.insert(at, 0xFF);
    let h = dir.write("damaged.txt", &damaged);
    // A UTF-8 BOM, then Windows-1256: the BOM says UTF-8, so refused.
    let mut bom_then_1256 = b"\xef\xbb\xbf".to_vec();
    bom_then_1256.extend(windows_1256(SENTENCE));
    let i = dir.write("bom1256.txt", &bom_then_1256);
    let loaded = load(&[g, h, i]);
    assert!(loaded.articles.is_empty());
    assert_eq!(
        codes(&loaded),
        [
            "kzcheck::load::not_utf8",
            "kzcheck::load::not_utf8",
            "kzcheck::load::not_utf8"
        ]
    );
    match &loaded.diagnostics[1] {
        LoadError::NotUtf8 {
            path,
            offset,
            line,
            column,
            ..
        } => {
            assert_eq!(path, &dir.shown("damaged.txt"));
            assert_eq!(*offset, at);
            assert_eq!(*line, 1);
            assert_eq!(*column, SENTENCE[..at].chars().count() + 1);
        }
        other => panic!("expected NotUtf8, got {other:?}"),
    }
    assert_diagnostics_are_clear(&loaded);
}

/// The seed articles in four encodings give the same claims as in UTF-8,
/// and every claim's span is a byte range of the (decoded) article text.
#[test]
fn decoded_articles_are_checked_like_utf8_ones() {
    let dir = TempDir::new("seeds-encoded");
    let seeds: Vec<(String, String)> = fs::read_dir(Path::new(ROOT).join("seeds"))
        .expect("seeds")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).expect("seed"),
            )
        })
        .collect();
    for (i, (name, text)) in seeds.iter().enumerate() {
        let bytes = match i % 4 {
            0 if encoding_rs::WINDOWS_1256.encode(text).2 => text.as_bytes().to_vec(),
            0 => windows_1256(text),
            1 => utf16(text, false, true),
            2 => utf16(text, true, false),
            _ => utf16(text, true, true),
        };
        dir.write(name, bytes);
    }
    let encoded = load(&[dir.path().to_path_buf()]);
    let plain = load(&[Path::new(ROOT).join("seeds")]);
    assert_eq!(encoded.articles.len(), plain.articles.len());
    assert!(encoded
        .diagnostics
        .iter()
        .all(|d| code(d) == "kzcheck::load::decoded"));
    assert!(encoded.diagnostics.len() >= 3, "{:?}", encoded.diagnostics);
    for (a, b) in encoded.articles.iter().zip(&plain.articles) {
        assert_eq!(a.body_text(), b.body_text(), "{}", a.id);
    }

    let rules = Rules::builtin().expect("built-in rules");
    let r1 = kzcheck::check::check(&encoded.articles, &rules);
    let r2 = kzcheck::check::check(&plain.articles, &rules);
    let summary = |r: &kzcheck::check::Report| -> Vec<String> {
        r.claims
            .iter()
            .map(|c| format!("{} {} {} {:?}", c.article, c.key, c.text, c.value))
            .collect()
    };
    assert_eq!(summary(&r1), summary(&r2));
    assert!(!r1.claims.is_empty());
    for c in &r1.claims {
        let a = encoded
            .articles
            .iter()
            .find(|a| a.id == c.article)
            .expect("the claim's article");
        assert_eq!(
            a.text.get(c.span.range()),
            Some(c.text.as_str()),
            "span of {} in {}",
            c.id,
            a.path
        );
    }
}

#[test]
fn damaged_utf16_is_refused_with_the_offset() {
    let dir = TempDir::new("badutf16");
    // A lone high surrogate after two characters.
    let mut lone = utf16("خب", false, true);
    lone.extend_from_slice(&0xD800_u16.to_le_bytes());
    lone.extend_from_slice(&utf16("ر", false, false));
    let f = dir.write("lone.txt", &lone);
    // An odd number of bytes.
    let mut odd = utf16("خبر", true, true);
    odd.push(0x06);
    let g = dir.write("odd.txt", &odd);
    // A UTF-16 BOM, then binary.
    let mut bin = vec![0xFF, 0xFE];
    bin.extend_from_slice(&[0x41, 0x00, 0x00, 0x00, 0x01, 0x02]);
    let h = dir.write("bin.txt", &bin);
    let loaded = load(&[f, g, h]);
    assert!(loaded.articles.is_empty());
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (code(d), d.to_string()))
        .collect();
    assert_eq!(got[0].0, "kzcheck::load::binary");
    assert!(got[0].1.contains("offset 4"), "{got:?}");
    assert_eq!(got[1].0, "kzcheck::load::bad_utf16");
    assert!(got[1].1.contains("UTF-16LE"), "{got:?}");
    assert!(got[1].1.contains("byte offset 6"), "{got:?}");
    assert_eq!(got[2].0, "kzcheck::load::bad_utf16");
    assert!(got[2].1.contains("UTF-16BE"), "{got:?}");
    assert!(got[2].1.contains("byte offset 8"), "{got:?}");
    assert_diagnostics_are_clear(&loaded);
}

// ---------------------------------------------------------------------------
// Binary, empty, huge

#[test]
fn binary_files_are_skipped_with_an_error_and_the_rest_loads() {
    let dir = TempDir::new("binary");
    dir.write("good.txt", SENTENCE);
    dir.write(
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    );
    let mut nul_in_text = SENTENCE.as_bytes().to_vec();
    nul_in_text.splice(10..10, [0u8]);
    dir.write("nul.txt", &nul_in_text);
    // Control characters and no NUL.
    dir.write(
        "controls.md",
        [0x01u8, 0x02, 0x03, b'a', 0x04, 0x05, 0x06, 0x07],
    );
    // Pseudo-random bytes.
    let mut x: u32 = 0x9E37_79B9;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    dir.write("random.txt", &random);
    // u16 integers: NULs in a UTF-16 pattern, but control characters.
    let table: Vec<u8> = (0u16..200).flat_map(|i| (i % 20).to_le_bytes()).collect();
    dir.write("table.txt", &table);

    let loaded = load(&[dir.path().to_path_buf()]);
    assert_eq!(&*one_article(&loaded).id, "good");
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.path().to_string(), code(d)))
        .collect();
    let b = "kzcheck::load::binary".to_string();
    assert_eq!(
        got,
        [
            (dir.shown("controls.md"), b.clone()),
            (dir.shown("image.txt"), b.clone()),
            (dir.shown("nul.txt"), b.clone()),
            (dir.shown("random.txt"), b.clone()),
            (dir.shown("table.txt"), b),
        ]
    );
    match &loaded.diagnostics[2] {
        LoadError::Binary { offset, reason, .. } => {
            assert_eq!(*offset, 10);
            assert!(reason.contains("NUL byte at byte offset 10"), "{reason}");
        }
        other => panic!("expected Binary, got {other:?}"),
    }
    assert_diagnostics_are_clear(&loaded);
}

#[test]
fn empty_files_in_every_form() {
    let dir = TempDir::new("empty");
    dir.write("a_zero.txt", "");
    dir.write("b_bom.txt", "\u{feff}");
    dir.write("c_blank.txt", " \n\t\r\n\u{a0}\u{2003}\n");
    dir.write("d_utf16_bom.txt", [0xFF, 0xFE]);
    dir.write("e_utf16_blank.txt", utf16(" \n \n", false, true));
    dir.write("f_front_matter_only.md", "---\nsource: X\n---\n");
    dir.write("g_front_matter_blank_body.md", "---\nsource: X\n---\n \n\n");
    dir.write("h_good.txt", "نص");
    let loaded = load(&[dir.path().to_path_buf()]);
    assert_eq!(&*one_article(&loaded).id, "h_good");
    let got: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| code(d) != "kzcheck::load::decoded")
        .map(|d| format!("{} {}", d.path().rsplit('/').next().unwrap_or(""), code(d)))
        .collect();
    assert_eq!(
        got,
        [
            "a_zero.txt kzcheck::load::empty",
            "b_bom.txt kzcheck::load::empty",
            "c_blank.txt kzcheck::load::empty",
            "d_utf16_bom.txt kzcheck::load::empty",
            "e_utf16_blank.txt kzcheck::load::empty",
            "f_front_matter_only.md kzcheck::load::no_body",
            "g_front_matter_blank_body.md kzcheck::load::no_body",
        ]
    );
    let no_body = loaded
        .diagnostics
        .iter()
        .find(|d| code(d) == "kzcheck::load::no_body")
        .expect("no_body");
    assert!(no_body.to_string().contains(":3:"), "{no_body}");
    assert_diagnostics_are_clear(&loaded);
}

/// Arabic text of exactly `len` bytes: lines of sentences, and one very
/// long line without punctuation or newline, and a quote never closed.
fn big_arabic(len: usize) -> Vec<u8> {
    let mut s = String::with_capacity(len + 64);
    let line =
        "قالت الوزارة إن 18 شخصا قتلوا يوم الخميس 6 كانون الثاني 2022، وأضافت: «الوضع مستقر». ";
    while s.len() < len / 2 {
        s.push_str(line);
        s.push('\n');
    }
    s.push('«');
    while s.len() + 10 < len {
        s.push_str("كلمة ");
    }
    let mut bytes = s.into_bytes();
    bytes.resize(len, b' ');
    bytes
}

#[test]
fn a_50_mb_article_is_refused_at_the_size_limit_and_the_rest_loads() {
    let dir = TempDir::new("huge");
    dir.write("good.txt", SENTENCE);
    let huge = dir.path().join("huge.txt");
    {
        // 50 MB, written sparse-ish: the loader must not read it.
        let f = fs::File::create(&huge).expect("create");
        f.set_len(50 * 1000 * 1000).expect("set_len");
    }
    let start = Instant::now();
    let loaded = load(&[dir.path().to_path_buf()]);
    let took = start.elapsed();
    assert_eq!(&*one_article(&loaded).id, "good");
    assert_eq!(codes(&loaded), ["kzcheck::load::too_large"]);
    let msg = loaded.diagnostics[0].to_string();
    assert!(msg.contains("huge.txt"), "{msg}");
    assert!(msg.contains("50000000 bytes"), "{msg}");
    assert!(msg.contains("4 MiB"), "{msg}");
    assert!(
        took < Duration::from_secs(5),
        "refused without reading: {took:?}"
    );
    assert_diagnostics_are_clear(&loaded);

    // In memory (standard input goes this way) too.
    let (a, d) = from_bytes("-", big_arabic(MAX_ARTICLE_BYTES + 1));
    assert!(a.is_none());
    assert_eq!(d.len(), 1);
    assert_eq!(code(&d[0]), "kzcheck::load::too_large");
}

/// An article at the limit loads, and normalizing and segmenting it is
/// linear: 4 MiB costs about four times 1 MiB, not sixteen.
#[test]
fn an_article_at_the_size_limit_loads_and_segments_in_linear_time() {
    let dir = TempDir::new("limit");
    let f = dir.write("limit.txt", big_arabic(MAX_ARTICLE_BYTES));
    let g = dir.write("quarter.txt", big_arabic(MAX_ARTICLE_BYTES / 4));
    let loaded = load(&[f, g]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.articles.len(), 2);
    let rules = Rules::builtin().expect("rules");
    let mut times = Vec::new();
    for a in &loaded.articles {
        let start = Instant::now();
        let norm = kzcheck::normalize::normalize(a.body_text());
        let sentences = kzcheck::segment::segment(&norm.text, &rules.lexicon.boilerplate);
        let took = start.elapsed();
        assert!(sentences.len() > 1000, "{}", sentences.len());
        let last = sentences.last().expect("sentences");
        assert!(norm.text.get(last.range.clone()).is_some());
        eprintln!(
            "{}: {} bytes, {} sentences, normalize+segment {took:?}",
            a.id,
            a.text.len(),
            sentences.len()
        );
        times.push(took);
    }
    let (full, quarter) = (times[0], times[1]);
    assert!(
        full < quarter * 10 + Duration::from_secs(2),
        "not linear: 4 MiB {full:?}, 1 MiB {quarter:?}"
    );
}

// ---------------------------------------------------------------------------
// Folders

fn many_files(n: usize) {
    let dir = TempDir::new("many");
    let start = Instant::now();
    for i in 0..n {
        // 100 sub-folders, like an archive by day.
        dir.write(
            &format!("d{:03}/a{i:06}.txt", i % 100),
            format!("خبر {i}\n"),
        );
    }
    dir.write("d000/skip.json", "{}");
    let written = start.elapsed();
    let start = Instant::now();
    let loaded = load(&[dir.path().to_path_buf()]);
    let loaded_in = start.elapsed();
    eprintln!("{n} files: written in {written:?}, loaded in {loaded_in:?}");
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        &loaded.diagnostics[..1]
    );
    assert_eq!(loaded.articles.len(), n);
    // Sorted, ids unique (the stems are).
    assert!(loaded.articles.windows(2).all(|w| w[0].path < w[1].path));
    let mut ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(loaded.articles.iter().all(|a| a.text.starts_with("خبر ")));
}

/// 100 000 files in 100 folders: about 6 s to write and 1.5 s to load on
/// the 2 busy cores this was written on (10 000: 0.8 s and 0.3 s).
#[test]
fn a_folder_of_100k_files_loads() {
    many_files(100_000);
}

#[test]
fn other_extensions_are_ignored_in_folders_but_read_when_given() {
    let dir = TempDir::new("ext");
    dir.write("a.txt", "نص أ");
    dir.write("b.MD", "نص ب");
    dir.write("c.json", "{\"x\": 1}");
    dir.write("d.html", "<p>نص</p>");
    dir.write("e", "نص بلا امتداد");
    dir.write("f.txt.bak", "نسخة");
    dir.write("g.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    let loaded = load(&[dir.path().to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["a", "b"]);

    let loaded = load(&[dir.path().join("d.html"), dir.path().join("e")]);
    let ids: Vec<&str> = loaded.articles.iter().map(|a| a.id.as_ref()).collect();
    assert_eq!(ids, ["d", "e"]);
    // Given explicitly, a binary file is read and refused as binary.
    let loaded = load(&[dir.path().join("g.png")]);
    assert_eq!(codes(&loaded), ["kzcheck::load::binary"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_with_a_diagnostic() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("loops");
    dir.write("a/x.txt", "نص");
    // A folder linked into itself, and to the folder above the one given.
    symlink(dir.path().join("a"), dir.path().join("a/self")).expect("symlink");
    symlink(dir.path(), dir.path().join("a/up")).expect("symlink");
    symlink("/", dir.path().join("a/root")).expect("symlink");
    // A link to itself, and two links to each other.
    symlink(dir.path().join("a/me.txt"), dir.path().join("a/me.txt")).expect("symlink");
    symlink(dir.path().join("a/p.txt"), dir.path().join("a/q.txt")).expect("symlink");
    symlink(dir.path().join("a/q.txt"), dir.path().join("a/p.txt")).expect("symlink");
    // Not named like an article: skipped without a word, like a broken link.
    symlink(dir.path().join("a/loop"), dir.path().join("a/loop")).expect("symlink");

    let start = Instant::now();
    let loaded = load(&[dir.path().join("a")]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(one_article(&loaded).path, dir.shown("a/x.txt"));
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.path().to_string(), code(d)))
        .collect();
    assert_eq!(
        got,
        [
            (dir.shown("a/me.txt"), "kzcheck::load::symlink_loop".into()),
            (dir.shown("a/p.txt"), "kzcheck::load::symlink_loop".into()),
            (dir.shown("a/q.txt"), "kzcheck::load::symlink_loop".into()),
            (dir.shown("a/root"), "kzcheck::load::folder_loop".into()),
            (dir.shown("a/self"), "kzcheck::load::folder_loop".into()),
            (dir.shown("a/up"), "kzcheck::load::folder_loop".into()),
        ]
    );
    for d in &loaded.diagnostics {
        let expected = if code(d) == "kzcheck::load::folder_loop" {
            Some(Severity::Warning)
        } else {
            None
        };
        assert_eq!(d.severity(), expected, "{d}");
    }
    assert_diagnostics_are_clear(&loaded);

    // Given explicitly: the self link, and the looping folder link (read
    // once, through the link; its own link back is not followed).
    let loaded = load(&[dir.path().join("a/me.txt")]);
    assert!(loaded.articles.is_empty());
    assert_eq!(codes(&loaded), ["kzcheck::load::symlink_loop"]);
    let loaded = load(&[dir.path().join("a/self")]);
    assert_eq!(one_article(&loaded).path, dir.shown("a/self/x.txt"));
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.path() == dir.shown("a/self/self") && code(d) == "kzcheck::load::folder_loop"));
}

/// Whether this process can read a file it has no permission for (root, or
/// CAP_DAC_OVERRIDE): then chmod 000 blocks nothing and the assertions about
/// unreadable files cannot hold.
#[cfg(unix)]
fn permissions_are_bypassed(probe: &Path) -> bool {
    fs::read(probe).is_ok()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("perm");
    dir.write("good.txt", SENTENCE);
    let secret = dir.write("secret.txt", SENTENCE);
    let locked = dir.path().join("locked");
    dir.write("locked/inside.txt", SENTENCE);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let loaded = load(&[dir.path().to_path_buf()]);
    if permissions_are_bypassed(&secret) {
        // Running as root: chmod 000 does not stop reading, so all three
        // files load. Nothing to assert about the error; say why.
        eprintln!(
            "skipped: this process reads chmod 000 files (root?), permissions cannot be tested"
        );
        assert_eq!(loaded.articles.len(), 3);
        return;
    }
    assert_eq!(&*one_article(&loaded).id, "good");
    let got: Vec<(String, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.path().to_string(), code(d)))
        .collect();
    assert_eq!(
        got,
        [
            (dir.shown("locked"), "kzcheck::load::io".into()),
            (dir.shown("secret.txt"), "kzcheck::load::io".into()),
        ]
    );
    for d in &loaded.diagnostics {
        assert!(render(d).contains("ermission denied"), "{}", render(d));
    }
    assert_diagnostics_are_clear(&loaded);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_not_opened() {
    let dir = TempDir::new("fifo");
    dir.write("good.txt", SENTENCE);
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    // Opening it would block for ever: the test would hang.
    let loaded = load(&[dir.path().to_path_buf()]);
    assert_eq!(&*one_article(&loaded).id, "good");
    assert_eq!(codes(&loaded), ["kzcheck::load::not_a_file"]);
    assert!(loaded.diagnostics[0].to_string().contains("a FIFO"));
    assert_diagnostics_are_clear(&loaded);
}

// ---------------------------------------------------------------------------
// Front matter

#[test]
fn malformed_front_matter_in_every_form() {
    let dir = TempDir::new("fm");
    let body = "\nوصل 2400 عسكري إلى البلاد.\n";
    let cases: &[(&str, &str, usize)] = &[
        // name, front matter (between the fences), expected line
        ("bad_yaml", "source: \"unclosed\nwire: AFP", 3),
        ("tab", "source: X\n\twire: AFP", 3),
        ("list_top", "- a\n- b", 2),
        ("scalar_top", "just words", 2),
        ("published_list", "published: [2022, 1, 13]", 2),
        ("published_map", "source: X\npublished: {y: 2022}", 3),
        ("published_bad", "published: 13/01/2022", 2),
        ("source_map", "source:\n  name: X", 3),
        ("duplicate", "source: A\nsource: B", 3),
        ("wire_list", "wire: [AFP, Reuters]", 2),
    ];
    let mut paths = Vec::new();
    for (name, fm, _) in cases {
        paths.push(dir.write(&format!("{name}.md"), format!("---\n{fm}\n---{body}")));
    }
    paths.push(dir.write("unclosed.md", format!("---\nsource: X{body}")));
    let loaded = load(&paths);
    // Every article still loads, without its front matter.
    assert_eq!(loaded.articles.len(), cases.len() + 1);
    for a in &loaded.articles {
        assert_eq!(a.meta, Default::default(), "{}", a.id);
        assert!(a.body_text().contains("2400"));
    }
    for (name, _, line) in cases {
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.path().ends_with(&format!("/{name}.md")))
            .unwrap_or_else(|| panic!("no diagnostic for {name}"));
        assert_eq!(code(d), "kzcheck::load::front_matter", "{name}");
        assert_eq!(d.severity(), Some(Severity::Warning));
        match d {
            LoadError::FrontMatter { line: l, .. } => assert_eq!(l, line, "{name}: {d}"),
            other => panic!("{other:?}"),
        }
    }
    let unclosed = loaded
        .diagnostics
        .iter()
        .find(|d| d.path().ends_with("/unclosed.md"))
        .expect("unclosed");
    assert!(unclosed.to_string().contains(":1:1: "), "{unclosed}");
    assert!(unclosed.to_string().contains("never closed"), "{unclosed}");
    assert_eq!(loaded.diagnostics.len(), cases.len() + 1);
    assert_diagnostics_are_clear(&loaded);
}

#[test]
fn front_matter_bombs_end_quickly() {
    let dir = TempDir::new("fmbomb");
    // Billion laughs: nine levels of ten aliases.
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let refs = vec![format!("*{prev}"); 10].join(",");
        laughs.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    laughs.push_str("source: *i\n");
    let f = dir.write("laughs.md", format!("---\n{laughs}---\nنص\n"));
    // Deep nesting.
    let deep = format!("source: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let g = dir.write("deep.md", format!("---\n{deep}\n---\nنص\n"));
    // Block sequences nested on one line.
    let dashes = format!("source: x\nwire:\n{}x", "- ".repeat(500_000));
    let i = dir.write("dashes.md", format!("---\n{dashes}\n---\nنص\n"));
    // A front matter of 3 MB on one line: quoted without its source.
    let long = format!("source: \"{}", "x".repeat(3_000_000));
    let h = dir.write("long.md", format!("---\n{long}\n---\nنص\n"));
    for p in [&f, &g, &h, &i] {
        let start = Instant::now();
        let _ = load(std::slice::from_ref(p));
        eprintln!("{}: {:?}", p.display(), start.elapsed());
    }
    let start = Instant::now();
    let loaded = load(&[f, g, h, i]);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(loaded.articles.len(), 4);
    assert_eq!(codes(&loaded), ["kzcheck::load::front_matter"; 4]);
    let deep = loaded
        .diagnostics
        .iter()
        .find(|d| d.path().ends_with("deep.md"))
        .expect("deep.md");
    assert!(deep.to_string().contains("nested more than"), "{deep}");
    assert_diagnostics_are_clear(&loaded);
    // The long line is not quoted, but its line and column are given.
    let long = loaded
        .diagnostics
        .iter()
        .find(|d| d.path().ends_with("long.md"))
        .expect("long.md");
    assert!(long.source_code().is_none());
    assert!(long.to_string().contains("long.md:2:"), "{long}");
}

// ---------------------------------------------------------------------------
// The binary, end to end

#[test]
fn the_cli_reports_every_hostile_file_and_checks_the_rest() {
    let dir = TempDir::new("cli");
    dir.write("good.txt", SENTENCE);
    dir.write("utf16.txt", utf16(SENTENCE, false, true));
    dir.write("cp1256.txt", windows_1256(SENTENCE));
    dir.write("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    dir.write("empty.txt", "");
    dir.write("fm.md", "---\nwire: [\n---\nنص\n");
    let o = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["--format", "json", "--today", "2022-02-01"])
        .arg(dir.path())
        .env("COLUMNS", "100")
        .output()
        .expect("kzcheck runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    for name in [
        "utf16.txt",
        "cp1256.txt",
        "binary.txt",
        "empty.txt",
        "fm.md",
    ] {
        assert!(err.contains(&dir.shown(name)), "{name} not named:\n{err}");
    }
    assert!(err.contains("decoded from UTF-16LE"), "{err}");
    assert!(err.contains("decoded from windows-1256"), "{err}");
    // A binary and an empty file: incomplete run.
    assert_eq!(o.status.code(), Some(2), "{err}");
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    let ids: Vec<&str> = r["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert_eq!(ids, ["cp1256", "fm", "good", "utf16"]);

    // Only warnings (decoded files): the run is complete.
    let ok = TempDir::new("cli-ok");
    ok.write("utf16.txt", utf16(SENTENCE, true, false));
    let o = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .args(["--fail-on", "never"])
        .arg(ok.path())
        .output()
        .expect("kzcheck runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn endless_standard_input_stops_at_the_limit() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kzcheck"))
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kzcheck runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // Write until kzcheck stops reading (a broken pipe), at most 64 MiB.
    let chunk = vec![b'x'; 64 * 1024];
    let mut written = 0usize;
    while written < 64 * 1024 * 1024 && stdin.write_all(&chunk).is_ok() {
        written += chunk.len();
    }
    drop(stdin);
    let o = child.wait_with_output().expect("kzcheck ends");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("too large"), "{err}");
    assert!(
        written <= MAX_ARTICLE_BYTES + 16 * 1024 * 1024,
        "read {written}"
    );
}

// ---------------------------------------------------------------------------
// Inputs the fuzzers found (tests/fuzz-regressions/<target>-<name>).

#[test]
fn fuzz_regressions_do_not_crash() {
    let dir = Path::new(ROOT).join("tests/fuzz-regressions");
    let rules = Rules::builtin().expect("rules");
    let ex = kzcheck::extract::Extractor::new(&rules);
    let mut n = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/fuzz-regressions")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = fs::read(&p).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        if name.starts_with("normalize-") || name.starts_with("segment-") {
            let norm = kzcheck::normalize::normalize(&text);
            let sentences = kzcheck::segment::segment(&norm.text, &rules.lexicon.boilerplate);
            for s in &sentences {
                assert!(norm.text.get(s.range.clone()).is_some(), "{name}");
            }
        } else if name.starts_with("extract-") {
            let (a, diags) = from_bytes("fuzz.txt", bytes.clone());
            for d in &diags {
                let _ = render(d);
            }
            if let Some(a) = a {
                let doc = ex.prepare(a.body_text());
                let _ = ex.extract(&doc);
                let report = kzcheck::check::check(std::slice::from_ref(&a), &rules);
                for c in &report.claims {
                    assert!(a.text.get(c.span.range()).is_some(), "{name}");
                }
            }
        } else if name.starts_with("rules-") {
            let Some((_, yaml)) = bytes.split_first() else {
                continue;
            };
            let files = vec![
                kzcheck::rules::RuleFile {
                    name: "lexicon.yaml".into(),
                    display: "lexicon.yaml".into(),
                    text: fs::read_to_string(Path::new(ROOT).join("rules/lexicon.yaml"))
                        .expect("lexicon"),
                },
                kzcheck::rules::RuleFile {
                    name: "claims/fuzz.yaml".into(),
                    display: "claims/fuzz.yaml".into(),
                    text: String::from_utf8_lossy(yaml).into_owned(),
                },
            ];
            if let Err(e) = Rules::from_files(files, "fuzz") {
                let _ = render(&e);
            }
        } else {
            continue;
        }
        n += 1;
    }
    eprintln!("{n} fuzz regression inputs");
}

/// Huge numbers where spans of time are read against the article's date
/// ("خلال فترة 10010013 أيام", "قبل 30010013 عامًا") are left unresolved,
/// never a panic (jiff refuses spans of more than 7,304,484 days). Found on
/// a generated corpus of 100,000 articles whose numbers were lengthened.
#[test]
fn huge_spans_of_time_do_not_panic() {
    let rules = Rules::from_dir(&Path::new(ROOT).join("rules")).expect("rules");
    let text = "---\npublished: 2022-01-06\n---\n\
                وأضاف أن القوات ستغادر البلاد خلال فترة 10010013 أيام، \
                وأنها وصلت قبل 30010013 عامًا. وقال إنها ستغادر خلال 3 أيام.\n";
    let (article, _) = from_bytes("huge.txt", text.as_bytes().to_vec());
    let report = kzcheck::check::check(&article.into_iter().collect::<Vec<_>>(), &rules);
    assert_eq!(report.articles.len(), 1);
}

// ---------------------------------------------------------------------------
// Reading ahead

/// `f` on a thread of its own, given `secs` seconds to end: a hang fails
/// the test rather than holding it for ever.
fn ends_within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("still running after {secs} s"))
}

/// A run whose work ends before it has begun most of the files (it
/// returns early, or panics) does not wait for the thread reading ahead:
/// that thread stops with it, however far behind the workers are.
#[test]
fn reading_ahead_stops_when_the_work_ends() {
    let dir = TempDir::new("ahead");
    for k in 0..1200 {
        dir.write(&format!("{k:04}.txt"), SENTENCE);
    }
    let plan = kzcheck::load::plan(&[dir.path().to_path_buf()]);
    assert_eq!(plan.sources.len(), 1200);
    let got = ends_within(60, move || {
        let begun = kzcheck::load::reading_ahead(&plan.sources, |begin| {
            begin(3);
            3
        });
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            kzcheck::load::reading_ahead(&plan.sources, |begin| {
                begin(3);
                panic!("a worker's panic");
            })
        }));
        let all = kzcheck::load::reading_ahead(&plan.sources, |begin| {
            (0..plan.sources.len()).for_each(|_| begin(1));
            plan.sources.len()
        });
        (begun, panicked.is_err(), all)
    });
    assert_eq!(got, (3, true, 1200));
}

/// A FIFO named on the command line is never opened to be read ahead: a
/// writer waiting for a reader would be let through, to write to nobody
/// (and opening it to read without letting one through would wait for
/// one). Its writer still waits when the run has read ahead past it.
#[cfg(target_os = "linux")]
#[test]
fn a_fifo_given_by_name_is_not_read_ahead() {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = TempDir::new("ahead-fifo");
    let good = dir.write("good.txt", SENTENCE);
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    // A writer, waiting for a reader to open the FIFO.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut w = fs::OpenOptions::new().write(true).open(&fifo)?;
            w.write_all(b"x")
        })
    };
    // (Time for it to be waiting.)
    std::thread::sleep(Duration::from_millis(300));
    let plan = kzcheck::load::plan(&[fifo.clone(), good]);
    assert_eq!(plan.sources.len(), 2);
    let n = ends_within(60, move || {
        kzcheck::load::reading_ahead(&plan.sources, |_| {
            // Workers slow to begin: the thread asks for both files.
            std::thread::sleep(Duration::from_millis(300));
            plan.sources.len()
        })
    });
    assert_eq!(n, 2);
    assert!(
        !writer.is_finished(),
        "the FIFO was opened to be read ahead"
    );
    // Let the writer through, and read what it writes.
    let mut reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .expect("the FIFO opens");
    writer.join().expect("the writer").expect("the write");
    let mut got = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut got).expect("read");
    assert_eq!(got, b"x");
}

/// The files are read ahead of batches handed out in order, and the parts
/// and read errors still come in the files' order, however many threads
/// analyse them and whichever batch ends first.
#[test]
fn parts_and_read_errors_come_in_the_files_order() {
    let rules = Rules::from_dir(&Path::new(ROOT).join("rules")).expect("rules");
    let dir = TempDir::new("ahead-order");
    let mut expected_errors = Vec::new();
    for k in 0..96 {
        let name = format!("{k:03}.txt");
        if k % 7 == 3 {
            // Binary: a read error in its place.
            dir.write(&name, b"\x00\x01\x02binary\x00".as_slice());
            expected_errors.push(dir.shown(&name));
        } else {
            // Longer and shorter articles, so that batches end out of turn.
            dir.write(&name, SENTENCE.repeat(1 + (k * 5) % 13));
        }
    }
    let plan = kzcheck::load::plan(&[dir.path().to_path_buf()]);
    // With a day given, the story's window is the rules'; with none, it is
    // read off the articles first, in a pass that reads ahead too.
    for (threads, today) in [(1, true), (3, true), (8, true), (3, false)] {
        let opts = kzcheck::check::Options {
            today: today.then(|| jiff::civil::date(2026, 1, 1)),
            ..Default::default()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let (_, parts, errors) =
            pool.install(|| kzcheck::check::parts_from(&plan.sources, None, &rules, &opts));
        let ids: Vec<String> = parts.iter().map(|p| p.info.id.to_string()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "{threads} threads");
        assert_eq!(ids.len(), 96 - expected_errors.len());
        let paths: Vec<String> = errors.iter().map(|e| e.path().to_string()).collect();
        assert_eq!(paths, expected_errors, "{threads} threads");
    }
}
