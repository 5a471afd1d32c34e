//! `--format html`: a snapshot of the page on the seeds and on the hostile
//! fixture, and what must hold on every corpus: every finding has a card,
//! every span is highlighted exactly and anchored, every link lands, and
//! text from articles, paths and rules is escaped.
use kzcheck::check::{check, check_with, Options, Report};
use kzcheck::load::{from_bytes, load, Article, Loaded};
use kzcheck::report::html;
use kzcheck::report::{render, Format, TextOptions};
use kzcheck::rules::Rules;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod common;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| match Rules::from_dir(Path::new("rules")) {
        Ok(r) => r,
        Err(e) => panic!("rules/ does not load: {e:?}"),
    })
}

fn texts(articles: &[Article]) -> HashMap<&str, &str> {
    articles
        .iter()
        .map(|a| (a.id.as_ref(), a.text.as_str()))
        .collect()
}

fn page(articles: &[Article], report: &Report) -> String {
    let opts = TextOptions {
        color: false,
        width: 100,
    };
    render(report, Format::Html, opts, &texts(articles))
}

fn corpus(dir: &str) -> (Loaded, Report, String) {
    let loaded = load(&[PathBuf::from(dir)]);
    let report = check(&loaded.articles, rules());
    let html = page(&loaded.articles, &report);
    (loaded, report, html)
}

fn snapshot(name: &str, dir: &str, html: &str) {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.set_description(format!("kzcheck --format html {dir}"));
    s.bind(|| insta::assert_snapshot!(name, html));
}

#[test]
fn seeds_html_snapshot() {
    let (_, _, html) = corpus("seeds");
    snapshot("seeds__html", "seeds", &html);
}

#[test]
fn hostile_html_snapshot() {
    let dir = "tests/fixtures/hostile-html";
    let (_, _, html) = corpus(dir);
    snapshot("hostile-html__html", dir, &html);
}

// ---------------------------------------------------------------------------
// Reading the page back.

// The text inside the tags, entities decoded.
use kzcheck::report::html::plain_text as plain;

/// The HTML inside the element whose start tag carries `id="…"`, up to
/// its matching close tag (`mark`, `section`, `article`…).
fn element<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!(" id=\"{id}\""))?;
    let open = html[..at].rfind('<')?;
    let name: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let start = open + html[open..].find('>')? + 1;
    let (o, c) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut i = start;
    loop {
        let next_o = html[i..].find(&o).map(|k| i + k);
        let next_c = html[i..].find(&c).map(|k| i + k)?;
        match next_o {
            Some(k) if k < next_c => {
                depth += 1;
                i = k + o.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(&html[start..next_c]);
                }
                i = next_c + c.len();
            }
        }
    }
}

/// Every `id="…"` in the page.
fn ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|e| &rest[..e])
        })
        .collect()
}

/// Every `href="#…"` target.
fn links(html: &str) -> BTreeSet<&str> {
    html.match_indices("href=\"#")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|e| &rest[..e])
        })
        .collect()
}

/// The article number the page gives `id` (its row in the articles table).
fn article_index(report: &Report, id: &str) -> usize {
    report
        .articles
        .iter()
        .position(|a| &*a.id == id)
        .expect("an article of the report")
}

fn char_floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What must hold on any page: one card per finding in report order, every
/// claim's words marked exactly under its anchor, links that land, ids
/// that are unique, marks that nest.
fn assert_page(loaded: &Loaded, report: &Report, html: &str, what: &str) {
    // One card per finding, in order, with its kind and severity.
    let cards: Vec<(usize, &str)> = html.match_indices("<article class=\"card ").collect();
    assert_eq!(cards.len(), report.findings.len(), "{what}: cards");
    for (n, f) in report.findings.iter().enumerate() {
        let id = format!("f{}", n + 1);
        let card = element(html, &id).unwrap_or_else(|| panic!("{what}: no card {id}"));
        let at = html.find(&format!(" id=\"{id}\"")).expect("the card");
        let tag = &html[html[..at].rfind('<').expect("its tag")..at + id.len() + 6];
        assert!(
            tag.contains(&format!(
                "class=\"card kind-{} sev-{}\" id=\"{id}\"",
                f.kind.as_str(),
                f.severity.as_str()
            )),
            "{what}: card {id}: {tag}"
        );
        assert!(
            plain(card).contains(&f.message),
            "{what}: card {id} lacks its message"
        );
        assert!(
            card.contains(&html::escape(&f.key)),
            "{what}: card {id} key"
        );
        // Each piece of evidence in the card, side by side.
        let evidence = card.matches("<figure class=\"ev").count();
        let expected = f
            .claims
            .iter()
            .filter_map(|c| report.claims.iter().find(|x| &x.id == c))
            .map(|c| 1 + c.anchors.len())
            .sum::<usize>()
            + f.evidence.len();
        assert_eq!(evidence, expected, "{what}: evidence in card {id}");
    }

    // Every claim's words: a mark with the span's id holding exactly them.
    for c in &report.claims {
        let k = article_index(report, &c.article);
        let text = &loaded
            .articles
            .iter()
            .find(|a| a.id == c.article)
            .expect("the claim's article")
            .text;
        let (a, b) = (
            char_floor(text, c.span.start as usize),
            char_floor(text, c.span.end as usize),
        );
        let id = format!("s{k}-{a}-{b}");
        let mark = element(html, &id).unwrap_or_else(|| panic!("{what}: no mark {id}"));
        let got = plain(mark);
        // A span that crosses another is closed early and continued.
        assert!(
            c.text.starts_with(&got) && !got.is_empty() || c.text.is_empty(),
            "{what}: {id} marks «{got}», the claim is «{}»",
            c.text
        );
        if !mark.contains("<mark") {
            assert_eq!(got, c.text, "{what}: {id}");
        }
    }

    // The full texts: every article once, its text whole.
    for (k, a) in report.articles.iter().enumerate() {
        let section = element(html, &format!("a{k}")).expect("an article section");
        let article = loaded
            .articles
            .iter()
            .find(|x| x.id == a.id)
            .expect("loaded");
        let shown = plain(section);
        let (head, body) = article.text.split_at(article.body.start);
        for part in [head.trim_start_matches('\u{feff}'), body] {
            assert!(
                shown.contains(part),
                "{what}: the text of {} is not shown whole",
                a.id
            );
        }
        assert_eq!(
            section.matches("<mark").count(),
            section.matches("</mark>").count(),
            "{what}: marks in {}",
            a.id
        );
        assert!(section.contains("class=\"article-text\" dir=\"rtl\""));
    }

    // Links land; ids are unique.
    let all: Vec<&str> = ids(html);
    let unique: BTreeSet<&str> = all.iter().copied().collect();
    assert_eq!(all.len(), unique.len(), "{what}: duplicate ids");
    for l in links(html) {
        assert!(unique.contains(l), "{what}: a link to #{l} lands nowhere");
    }

    // Self-contained and script-free.
    assert!(html.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        html::escape(html::CSP)
    )));
    assert!(!html::CSP.contains("script-src"));
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<link",
        "@import",
        "url(",
        "src=\"http",
    ] {
        assert!(!lower.contains(bad), "{what}: the page contains {bad}");
    }
}

#[test]
fn every_corpus_gives_a_sound_page() {
    for dir in common::corpus_dirs() {
        let (loaded, report, html) = corpus(&dir);
        assert_page(&loaded, &report, &html, &dir);
    }
}

#[test]
fn seeds_page_has_the_summary_and_the_graph() {
    let (_, report, html) = corpus("seeds");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    assert_eq!(html.matches("<article class=\"card ").count(), 25);
    assert!(html.contains("5 articles · 51 claims · 25 findings"));
    // The articles table: date and where it came from, wire, shared copy.
    let a1 = &html[html
        .find("<th scope=\"row\"><a href=\"#a1\">")
        .expect("row")..];
    let row = &a1[..a1.find("</tr>").expect("row end")];
    assert!(
        row.contains("2022-01-14</span> <span class=\"muted src\">(dateline)"),
        "{row}"
    );
    assert!(row.contains(">afp<"), "{row}");
    assert!(
        row.contains("<a href=\"#a0\"><code dir=\"ltr\">000_8a8d74e88c78e18c"),
        "{row}"
    );
    // The graph: every claim drawn, agree and contradict edges apart.
    let svg = element(&html, "graph").expect("the graph section");
    assert_eq!(
        svg.matches("<g class=\"claim ").count(),
        report.claims.len()
    );
    assert_eq!(svg.matches("<g class=\"article\">").count(), 5);
    let between = |class: &str| {
        let s = &svg[svg.find(&format!("<g class=\"{class}\"")).expect(class)..];
        s[..s.find("</g>").expect("end")].matches("<path").count()
    };
    assert!(between("contradicts") >= 2, "the two contradictions");
    assert!(between("agrees") >= 11, "the agreements");
    assert!(!svg.contains("are drawn"), "no cap on 51 claims");
    // The contradiction on security_forces.killed: 16 against 13, side by side.
    let card = element(&html, "f1").expect("card 1");
    assert!(card.contains("security_forces.killed"));
    assert!(card.contains("<mark>16 قتيلاً</mark>"), "{card}");
    assert!(
        card.contains("<mark>13 من أفراد الأمن قُتلوا</mark>"),
        "{card}"
    );
    assert!(card.contains("seeds/002_901cde79856b230e.txt:9:310"));
    assert!(card.contains("<dt>said by</dt><dd><code dir=\"ltr\">tokayev</code>"));
    // Filters for every kind and severity, and the print style.
    for id in [
        "fs-error",
        "fs-warning",
        "fs-info",
        "fk-contradiction",
        "fk-inconsistency",
        "fk-name_variant",
        "fk-agreement",
        "fk-uncorroborated",
    ] {
        assert!(html.contains(&format!("<input type=\"checkbox\" id=\"{id}\" checked>")));
        assert!(html.contains(&format!("body:has(#{id}:not(:checked))")));
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("break-inside: avoid"));
}

#[test]
fn the_arabic_interface_is_right_to_left() {
    let loaded = load(&[PathBuf::from("seeds")]);
    let opts = Options {
        lang: kzcheck::explain::Lang::Ar,
        ..Options::default()
    };
    let report = check_with(&loaded.articles, rules(), &opts);
    let html = page(&loaded.articles, &report);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("<h2>الملاحظات</h2>"));
    assert!(html.contains("<p class=\"msg\" dir=\"rtl\">"));
    assert_page(&loaded, &report, &html, "seeds (ar)");
}

// ---------------------------------------------------------------------------
// Hostile text.

const HOSTILE: [&str; 3] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
];

#[test]
fn hostile_article_text_is_inert() {
    let (loaded, report, html) = corpus("tests/fixtures/hostile-html");
    assert_page(&loaded, &report, &html, "hostile-html");
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<img",
        "<a href=\"javascript",
        "onerror=alert(1)>",
        "</section></div><!--",
    ] {
        assert!(!lower.contains(bad), "{bad} is in the page");
    }
    for h in HOSTILE {
        assert!(html.contains(&html::escape(h)), "{h} is not shown as text");
        assert!(plain(&html).contains(h));
    }
    // In the card's words too, not only in the full text.
    let cards = &html[html.find("id=\"findings\"").expect("findings")
        ..html.find("id=\"texts\"").expect("texts")];
    assert!(cards.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(cards.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The contradiction the fixture was written for.
    let f = &report.findings[0];
    assert_eq!(
        (f.kind.as_str(), f.key.as_ref()),
        ("contradiction", "security_forces.killed")
    );
}

#[test]
fn paths_ids_and_attributes_are_escaped() {
    let hostile_path = "x/<img src=x onerror=alert(1)>'\"&.txt";
    let text = "قالت مصادر طبية إن 18 من أفراد الأمن قُتلوا في اشتباكات ليلية وسط ألماتي.\n";
    let (a, errs) = from_bytes(hostile_path, text.as_bytes().to_vec());
    assert!(errs.is_empty());
    let (b, _) = from_bytes(
        "b.txt",
        "أفاد التلفزيون الرسمي بأن 13 من أفراد الأمن قُتلوا.\n"
            .as_bytes()
            .to_vec(),
    );
    let articles = vec![a.expect("an article"), b.expect("an article")];
    let report = check(&articles, rules());
    let html = page(&articles, &report);
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("x/&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;.txt"));
    // Nothing from the article inside an attribute breaks out of it: every
    // attribute value is quoted and holds no raw quote or angle bracket.
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        assert!(!tag.contains("onerror"), "<{tag}>");
    }
    assert_eq!(
        html.matches("<article class=\"card ").count(),
        report.findings.len()
    );
}

#[test]
fn the_graph_is_capped_and_says_so() {
    let mut articles = Vec::new();
    for i in 0..30 {
        let text = format!(
            "أعلنت الوزارة أن {} من أفراد الأمن قُتلوا في اشتباكات وسط ألماتي.\nوأوقفت الشرطة {} شخصاً في أنحاء المدينة.\nوشارك في العملية {} جندياً.\n",
            10 + i,
            800 + i,
            2000 + i
        );
        let (a, _) = from_bytes(&format!("a{i:02}.txt"), text.into_bytes());
        articles.push(a.expect("an article"));
    }
    let report = check(&articles, rules());
    assert!(
        report.claims.len() > html::MAX_GRAPH_CLAIMS,
        "{}",
        report.claims.len()
    );
    let html = page(&articles, &report);
    let svg = element(&html, "graph").expect("the graph");
    assert_eq!(
        svg.matches("<g class=\"claim ").count(),
        html::MAX_GRAPH_CLAIMS
    );
    assert!(svg.contains(&format!(
        "Only {} of {} claims are drawn",
        html::MAX_GRAPH_CLAIMS,
        report.claims.len()
    )));
    assert_eq!(svg.matches("<g class=\"article\">").count(), 30);
}

#[test]
fn the_page_does_not_depend_on_the_order_of_the_inputs() {
    let mut loaded = load(&[PathBuf::from("tests/fixtures/hostile-html")]);
    let one = page(&loaded.articles, &check(&loaded.articles, rules()));
    loaded.articles.reverse();
    let two = page(&loaded.articles, &check(&loaded.articles, rules()));
    assert_eq!(one, two);
}

/// A writer that keeps what it is given, counts the writes, and fails once
/// it holds `fail_at` bytes.
struct Recorder {
    bytes: Vec<u8>,
    writes: usize,
    fail_at: usize,
}

impl std::io::Write for Recorder {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + data.len() > self.fail_at {
            return Err(std::io::Error::other("disk full"));
        }
        self.writes += 1;
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_large_page_is_handed_over_a_chunk_at_a_time_whole_and_in_order() {
    // The seeds, forty times over: a page of several megabytes.
    let seeds = load(&[PathBuf::from("seeds")]).articles;
    let articles: Vec<Article> = (0..40)
        .flat_map(|k| {
            seeds.iter().filter_map(move |a| {
                let (copy, _) =
                    from_bytes(&format!("{}-{k}.md", a.id), a.text.clone().into_bytes());
                let mut copy = copy?;
                copy.id = format!("{}-{k}", a.id).as_str().into();
                Some(copy)
            })
        })
        .collect();
    assert_eq!(articles.len(), 40 * seeds.len());
    let report = check(&articles, rules());
    let whole = page(&articles, &report);
    assert!(whole.len() > 3 << 20, "{} bytes", whole.len());
    let mut out = Recorder {
        bytes: Vec::new(),
        writes: 0,
        fail_at: usize::MAX,
    };
    html::write(&report, &texts(&articles), &mut out).expect("written");
    assert_eq!(out.bytes, whole.as_bytes());
    assert!(out.writes > 3, "{} writes", out.writes);
    assert!(
        out.writes <= (whole.len() >> 20) + 1,
        "{} writes",
        out.writes
    );
    // A writer that fails half way: its error, not a page cut short and
    // taken for whole.
    let mut full = Recorder {
        bytes: Vec::new(),
        writes: 0,
        fail_at: whole.len() / 2,
    };
    let err = html::write(&report, &texts(&articles), &mut full).expect_err("disk full");
    assert_eq!(err.to_string(), "disk full");
}

#[test]
fn the_page_reads_each_text_twice_and_never_shows_one_that_changed_in_between() {
    // The page keeps only its cards' words, and reads each full text again
    // when it writes it: an article whose file changed in between (cut
    // short here, in the middle of a letter) is not shown against spans
    // that are no longer its own, and nothing panics.
    let articles = load(&[PathBuf::from("seeds")]).articles;
    let report = check(&articles, rules());
    let whole = page(&articles, &report);
    let changed = &report.articles[0].id;
    let reads = std::sync::Mutex::new(HashMap::<String, usize>::new());
    let texts = |id: &str| -> Option<String> {
        let a = articles.iter().find(|a| &*a.id == id)?;
        let mut reads = reads.lock().unwrap();
        let n = reads.entry(id.to_string()).or_default();
        *n += 1;
        if *n > 1 && id == &**changed {
            let cut = a.text.char_indices().nth(a.text.chars().count() / 2)?.0 + 1;
            return Some(String::from_utf8_lossy(&a.text.as_bytes()[..cut]).into_owned());
        }
        Some(a.text.clone())
    };
    let opts = TextOptions {
        color: false,
        width: 100,
    };
    let html = render(&report, Format::Html, opts, &texts);
    // Each article read twice, no more.
    let reads = reads.into_inner().unwrap();
    assert_eq!(reads.len(), report.articles.len());
    assert!(reads.values().all(|&n| n == 2), "{reads:?}");
    // The changed article says so, in place of its text; the others are
    // as they were, and so are the cards (their words come from the first
    // read).
    let section = element(&html, "a0").expect("the article's section");
    assert!(
        section.contains("the text changed while the report was written"),
        "{section}"
    );
    assert!(!section.contains("article-text"), "{section}");
    let before = whole.find(" id=\"a0\"").unwrap();
    let after = whole.find(" id=\"a1\"").unwrap();
    assert_eq!(html[..before], whole[..before]);
    let tail = whole.len() - after;
    assert_eq!(html[html.len() - tail..], whole[after..]);
}
