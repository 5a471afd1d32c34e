//! Reading articles: files and folders from the command line, front matter,
//! and a diagnostic for every file that cannot be read. Only this module
//! reads article files.
//!
//! [`load`] never fails as a whole: every input that cannot be read becomes a
//! [`LoadError`] in [`Loaded::diagnostics`] and the run goes on with the rest.
//! The result is deterministic: articles are sorted by path, diagnostics by
//! path (then by the order they were found in).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

const BOM: &str = "\u{feff}";

/// One article file, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The file stem (`000_8a8d74e88c78e18c`). When two articles share a
    /// stem, the path relative to the input root without extension, with
    /// `/` separators (`a/x`); if that still collides, the same with its
    /// extension (`b/x.md`), then the shown path without extension, then the
    /// shown path. Unique within one [`load`].
    pub id: String,
    /// The path as shown to a person: as given on the command line, or walked
    /// from a folder given there, with `/` separators. Never absolute unless
    /// it was given absolute.
    pub path: String,
    /// The whole original file, exactly (BOM included if there was one).
    pub text: String,
    /// Byte range of the article body in `text`: after the BOM and after the
    /// front matter block, if any.
    pub body: Range<usize>,
    /// What the front matter says (empty when there is none or it is bad).
    pub meta: Meta,
}

impl Article {
    /// The body of the article: `&self.text[self.body.clone()]`.
    pub fn body_text(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }
}

/// The front matter keys kzcheck reads. Other keys (title, author, ...) are
/// allowed and ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// `published`: `YYYY-MM-DD`, or an RFC 3339 timestamp of which the date
    /// is taken as written (not converted to UTC).
    pub published: Option<jiff::civil::Date>,
    /// `source`: the outlet.
    pub source: Option<String>,
    /// `url`: where the article was published.
    pub url: Option<String>,
    /// `wire`: the wire agency the story rests on, e.g. `AFP`.
    pub wire: Option<String>,
}

/// What [`load`] returns: the articles read and one diagnostic per problem.
/// A file with bad front matter is in both lists.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub diagnostics: Vec<LoadError>,
}

/// One problem with one input. Each variant has a stable code
/// (`kzcheck::load::...`) and a help line.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// The path given does not exist (or is a broken symlink).
    #[error("{path}: no such file or folder")]
    #[diagnostic(
        code(kzcheck::load::not_found),
        help("check the path; kzcheck takes article files and folders of .txt and .md files")
    )]
    NotFound { path: String },

    /// A folder that holds no `.txt` or `.md` file at all.
    #[error("{path}: folder holds no article (.txt or .md file)")]
    #[diagnostic(
        code(kzcheck::load::empty_folder),
        help("kzcheck reads .txt and .md files in folders (hidden ones skipped); give a file explicitly to read another extension")
    )]
    EmptyFolder { path: String },

    /// The file is empty, or holds only whitespace and a BOM.
    #[error("{path}: file is empty")]
    #[diagnostic(
        code(kzcheck::load::empty),
        help("an article needs some text; remove the file or fill it")
    )]
    Empty { path: String },

    /// The file is not UTF-8.
    #[error("{path}:{line}:{column}: not UTF-8 (first invalid byte at offset {offset})")]
    #[diagnostic(code(kzcheck::load::not_utf8))]
    NotUtf8 {
        path: String,
        /// Byte offset of the first invalid byte in the file.
        offset: usize,
        /// 1-based line of that byte.
        line: usize,
        /// 1-based column (in characters) of that byte.
        column: usize,
        /// The file decoded lossily (invalid bytes shown as U+FFFD).
        #[source_code]
        src: NamedSource<String>,
        /// Where the first U+FFFD stands in `src`.
        #[label("first invalid byte")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// The file or folder exists but cannot be read.
    #[error("{path}: cannot read")]
    #[diagnostic(
        code(kzcheck::load::io),
        help("check that the path is a readable file or folder")
    )]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },

    /// The front matter is not valid YAML, or a key has a bad value. The
    /// article is still loaded, with empty [`Meta`].
    #[error("{path}:{line}:{column}: bad front matter: {message}")]
    #[diagnostic(
        code(kzcheck::load::front_matter),
        severity(Warning),
        help("front matter is YAML between two `---` lines; `published` is YYYY-MM-DD or an RFC 3339 timestamp; the article was read without it")
    )]
    FrontMatter {
        path: String,
        /// 1-based line in the file.
        line: usize,
        /// 1-based column (in characters) in the file.
        column: usize,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("{message}")]
        span: SourceSpan,
    },
}

impl LoadError {
    /// The path of the file or folder this error is about, as shown.
    pub fn path(&self) -> &str {
        match self {
            LoadError::NotFound { path }
            | LoadError::EmptyFolder { path }
            | LoadError::Empty { path }
            | LoadError::NotUtf8 { path, .. }
            | LoadError::Io { path, .. }
            | LoadError::FrontMatter { path, .. } => path,
        }
    }
}

/// Read every article under `paths` (files, or folders walked recursively).
///
/// Folders are walked in sorted order, taking `.txt` and `.md` files
/// (any case) and skipping hidden entries; symlinks are followed, and a folder
/// already visited (by canonical path) is skipped silently, so loops end. A
/// file given explicitly is read whatever its extension. The same file
/// reached twice is read once. Articles come back sorted by path.
pub fn load(paths: &[PathBuf]) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut candidates = Vec::new();
    let mut visited_dirs = HashSet::new();

    let mut stdin_article = None;
    for given in paths {
        if given.as_os_str() == "-" {
            // Standard input, read once, shown as "-" with the id "stdin".
            if stdin_article.is_none() {
                let mut bytes = Vec::new();
                let (a, mut d) = match std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                {
                    Ok(_) => from_bytes("-", bytes),
                    Err(source) => (
                        None,
                        vec![LoadError::Io {
                            path: "-".into(),
                            source,
                        }],
                    ),
                };
                diagnostics.append(&mut d);
                stdin_article = Some(a.map(|mut a| {
                    a.id = "stdin".into();
                    a
                }));
            }
            continue;
        }
        collect_input(given, &mut candidates, &mut visited_dirs, &mut diagnostics);
    }

    // Sorted by path, each file once.
    candidates.sort_by(|a: &Candidate, b: &Candidate| a.shown.cmp(&b.shown));
    let mut seen_files = HashSet::with_capacity(candidates.len());
    candidates.retain(|c| seen_files.insert(c.canonical.clone()));

    let mut articles = Vec::with_capacity(candidates.len());
    let mut rels = Vec::with_capacity(candidates.len());
    for cand in candidates {
        if let Some(article) = read_article(&cand, &mut diagnostics) {
            articles.push(article);
            rels.push(cand.rel);
        }
    }
    assign_ids(&mut articles, &rels);
    if let Some(Some(a)) = stdin_article {
        articles.insert(0, a);
    }

    diagnostics.sort_by(|a, b| a.path().cmp(b.path()));
    Loaded {
        articles,
        diagnostics,
    }
}

/// A file to read.
struct Candidate {
    /// The path on disk.
    fs_path: PathBuf,
    /// The path shown to a person.
    shown: String,
    /// The path relative to its input root, `/`-separated, with extension.
    rel: String,
    /// The canonical path, to read each file once.
    canonical: PathBuf,
}

fn collect_input(
    given: &Path,
    candidates: &mut Vec<Candidate>,
    visited_dirs: &mut HashSet<PathBuf>,
    diagnostics: &mut Vec<LoadError>,
) {
    let shown = show(given);
    let meta = match fs::metadata(given) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            diagnostics.push(LoadError::NotFound { path: shown });
            return;
        }
        Err(source) => {
            diagnostics.push(LoadError::Io {
                path: shown,
                source,
            });
            return;
        }
    };
    if meta.is_dir() {
        let canonical = fs::canonicalize(given).unwrap_or_else(|_| given.to_path_buf());
        if !visited_dirs.insert(canonical) {
            // The same folder given twice, or a folder inside one given
            // already: its files are in.
            return;
        }
        let (files_before, diags_before) = (candidates.len(), diagnostics.len());
        let skipped_visited = walk(given, candidates, visited_dirs, diagnostics);
        // Nothing found and nothing else to say (an unreadable entry was
        // reported already; a folder seen before holds its files).
        if candidates.len() == files_before && diagnostics.len() == diags_before && !skipped_visited
        {
            diagnostics.push(LoadError::EmptyFolder { path: shown });
        }
    } else {
        let canonical = fs::canonicalize(given).unwrap_or_else(|_| given.to_path_buf());
        candidates.push(Candidate {
            fs_path: given.to_path_buf(),
            rel: shown.clone(),
            shown,
            canonical,
        });
    }
}

/// Walk `root` (a folder) depth first, iteratively, pushing `.txt` / `.md`
/// files. Children are visited in order of their name's bytes. Returns
/// whether a subfolder was skipped because it was visited before.
fn walk(
    root: &Path,
    candidates: &mut Vec<Candidate>,
    visited_dirs: &mut HashSet<PathBuf>,
    diagnostics: &mut Vec<LoadError>,
) -> bool {
    let mut skipped_visited = false;
    // (folder on disk, its path relative to root)
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel_dir)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(source) => {
                diagnostics.push(LoadError::Io {
                    path: show(&dir),
                    source,
                });
                continue;
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.file_name()),
                Err(source) => diagnostics.push(LoadError::Io {
                    path: show(&dir),
                    source,
                }),
            }
        }
        names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));

        let mut subdirs = Vec::new();
        for name in names {
            if name.as_encoded_bytes().first() == Some(&b'.') {
                continue;
            }
            let path = dir.join(&name);
            let name_str = name.to_string_lossy();
            let rel = if rel_dir.is_empty() {
                name_str.into_owned()
            } else {
                format!("{rel_dir}/{name_str}")
            };
            let is_article_name = has_article_extension(&path);
            // Follows symlinks.
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    // A broken link or a vanished entry: only worth a word if
                    // it looked like an article.
                    if is_article_name {
                        diagnostics.push(if e.kind() == io::ErrorKind::NotFound {
                            LoadError::NotFound { path: show(&path) }
                        } else {
                            LoadError::Io {
                                path: show(&path),
                                source: e,
                            }
                        });
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if visited_dirs.insert(canonical) {
                    subdirs.push((path, rel));
                } else {
                    skipped_visited = true;
                }
            } else if is_article_name {
                let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                candidates.push(Candidate {
                    shown: show(&path),
                    fs_path: path,
                    rel,
                    canonical,
                });
            }
        }
        // Reverse, so the first subfolder is popped first.
        stack.extend(subdirs.into_iter().rev());
    }
    skipped_visited
}

fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md"))
}

/// A path as shown to a person: `/` separators.
fn show(path: &Path) -> String {
    let s = path.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// `a/b/c.txt` → `a/b/c`; `a.b/c` stays.
fn strip_extension(path: &str) -> &str {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &path[..name_start + dot],
        _ => path,
    }
}

fn stem(shown: &str) -> &str {
    let no_ext = strip_extension(shown);
    no_ext.rfind('/').map_or(no_ext, |i| &no_ext[i + 1..])
}

/// Give every article a unique id: its stem, and on a collision a longer
/// form, step by step, only for the articles that collide.
fn assign_ids(articles: &mut [Article], rels: &[String]) {
    const LEVELS: u8 = 5;
    let candidate = |i: usize, level: u8, articles: &[Article]| -> String {
        let shown = &articles[i].path;
        match level {
            0 => stem(shown).to_string(),
            1 => strip_extension(&rels[i]).to_string(),
            2 => rels[i].clone(),
            3 => strip_extension(shown).to_string(),
            _ => shown.clone(),
        }
    };
    let mut levels = vec![0u8; articles.len()];
    for i in 0..articles.len() {
        articles[i].id = candidate(i, 0, articles);
    }
    loop {
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in articles.iter().enumerate() {
            groups.entry(a.id.as_str()).or_default().push(i);
        }
        let colliding: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
        if colliding.is_empty() {
            return;
        }
        let mut moved = false;
        for group in &colliding {
            for &i in group {
                if levels[i] + 1 < LEVELS {
                    levels[i] += 1;
                    moved = true;
                }
            }
        }
        if !moved {
            // Only possible when two distinct files show the same path
            // (lossy names): number them.
            let mut taken: HashSet<String> = articles.iter().map(|a| a.id.clone()).collect();
            for group in colliding {
                for &i in group.iter().skip(1) {
                    let mut n = 2usize;
                    let mut id = format!("{}~{n}", articles[i].id);
                    while taken.contains(&id) {
                        n += 1;
                        id = format!("{}~{n}", articles[i].id);
                    }
                    taken.insert(id.clone());
                    articles[i].id = id;
                }
            }
            return;
        }
        for group in colliding {
            for i in group {
                articles[i].id = candidate(i, levels[i], articles);
            }
        }
    }
}

fn read_article(cand: &Candidate, diagnostics: &mut Vec<LoadError>) -> Option<Article> {
    let bytes = match fs::read(&cand.fs_path) {
        Ok(b) => b,
        Err(source) => {
            diagnostics.push(LoadError::Io {
                path: cand.shown.clone(),
                source,
            });
            return None;
        }
    };
    article_from_bytes(&cand.shown, bytes, diagnostics)
}

/// An article from bytes read elsewhere (standard input, a test): decoded,
/// checked and split like a file's. Its id is the stem of `shown`.
pub fn from_bytes(shown: &str, bytes: Vec<u8>) -> (Option<Article>, Vec<LoadError>) {
    let mut diagnostics = Vec::new();
    let article = article_from_bytes(shown, bytes, &mut diagnostics).map(|mut a| {
        a.id = Path::new(shown)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.to_string());
        a
    });
    (article, diagnostics)
}

fn article_from_bytes(
    shown: &str,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<LoadError>,
) -> Option<Article> {
    let cand_shown = shown.to_string();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(not_utf8(shown, e.as_bytes(), e.utf8_error()));
            return None;
        }
    };
    let content_start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let is_blank = text[content_start..]
        .chars()
        .all(|c| c.is_whitespace() || c == '\u{feff}');
    if is_blank {
        diagnostics.push(LoadError::Empty {
            path: cand_shown.clone(),
        });
        return None;
    }

    let (meta, body) = match find_front_matter(&text, content_start) {
        None => (Meta::default(), content_start..text.len()),
        Some(fm) => {
            let meta = match parse_front_matter(&text[fm.yaml.clone()]) {
                Ok(meta) => meta,
                Err((offset_in_yaml, message)) => {
                    diagnostics.push(front_matter_error(
                        &cand_shown,
                        &text,
                        fm.yaml.clone(),
                        offset_in_yaml,
                        message,
                    ));
                    Meta::default()
                }
            };
            (meta, fm.body_start..text.len())
        }
    };

    Some(Article {
        id: String::new(),
        path: cand_shown.clone(),
        text,
        body,
        meta,
    })
}

fn not_utf8(path: &str, bytes: &[u8], err: std::str::Utf8Error) -> LoadError {
    let offset = err.valid_up_to();
    // The prefix is valid UTF-8 by definition.
    let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let (line, column) = line_col(prefix, prefix.len());
    // The lossy text equals the bytes up to `offset`, then U+FFFD.
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let help = if utf16 {
        "the file looks like UTF-16 (it starts with a UTF-16 byte order mark); re-save the file as UTF-8; kzcheck does not guess encodings".to_string()
    } else {
        "re-save the file as UTF-8; kzcheck does not guess encodings".to_string()
    };
    LoadError::NotUtf8 {
        path: path.to_string(),
        offset,
        line,
        column,
        src: NamedSource::new(path, lossy),
        span: SourceSpan::new(offset.into(), '\u{fffd}'.len_utf8()),
        help,
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
/// `offset` must be a char boundary (it is clamped down to one).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct FrontMatterBlock {
    /// The YAML between the two fences.
    yaml: Range<usize>,
    /// Where the body starts: after the closing fence's line.
    body_start: usize,
}

/// A front matter block: a first line `---` (after the BOM) and a later line
/// `---` or `...`. Fences may end with `\r` or trailing spaces.
fn find_front_matter(text: &str, start: usize) -> Option<FrontMatterBlock> {
    let rest = &text[start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = start + first_end + 1;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Some(FrontMatterBlock {
                yaml: yaml_start..line_start,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    None
}

#[derive(serde::Deserialize)]
struct RawMeta {
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    wire: Option<String>,
}

/// `YYYY-MM-DD`, or a timestamp whose date is taken as written.
fn parse_published(s: &str) -> Option<jiff::civil::Date> {
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        if s.len() == 10 {
            return Some(d);
        }
    }
    // An RFC 3339 timestamp (with an offset): take the date as written.
    if s.parse::<jiff::Timestamp>().is_ok() {
        return s.get(..10)?.parse().ok();
    }
    None
}

/// Parse the YAML block. On error: the byte offset in the block and the
/// message without serde_yaml's own (block-relative) position.
fn parse_front_matter(yaml: &str) -> Result<Meta, (usize, String)> {
    let is_blank = yaml
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if is_blank {
        return Ok(Meta::default());
    }
    match serde_yaml::from_str::<Option<RawMeta>>(yaml) {
        Ok(None) => Ok(Meta::default()),
        Ok(Some(raw)) => {
            let published = match raw.published {
                None => None,
                Some(s) => match parse_published(s.trim()) {
                    Some(d) => Some(d),
                    None => {
                        return Err((
                            find_top_level_value(yaml, "published").unwrap_or(0),
                            format!(
                                "published: not a date (YYYY-MM-DD) or an RFC 3339 timestamp: `{s}`"
                            ),
                        ))
                    }
                },
            };
            Ok(Meta {
                published,
                source: raw.source,
                url: raw.url,
                wire: raw.wire,
            })
        }
        Err(e) => {
            let offset = e.location().map_or(0, |l| l.index());
            let full = e.to_string();
            let message = match full.find(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            Err((offset, message))
        }
    }
}

/// The byte offset of the value of the top-level `key:` in `yaml` (serde
/// does not say where a value it accepted as a string stands).
fn find_top_level_value(yaml: &str, key: &str) -> Option<usize> {
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let rest = line
            .strip_prefix(key)
            .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| line.strip_prefix(&format!("'{key}'")));
        if let Some(after_key) = rest.map(str::trim_start) {
            if let Some(value) = after_key.strip_prefix(':') {
                let value_trimmed = value.trim_start_matches([' ', '\t']);
                return Some(line_start + line.len() - value_trimmed.len());
            }
        }
        line_start += line.len();
    }
    None
}

fn front_matter_error(
    path: &str,
    text: &str,
    yaml: Range<usize>,
    offset_in_yaml: usize,
    message: String,
) -> LoadError {
    // serde_yaml may point just past the block (end of stream): keep the
    // label inside it, on a char boundary.
    let mut offset = yaml.start + offset_in_yaml.min(yaml.len());
    if offset >= yaml.end && yaml.end > yaml.start {
        offset = yaml.end - 1;
    }
    let offset = floor_char_boundary(text, offset);
    let len = text[offset..].chars().next().map_or(0, char::len_utf8);
    let (line, column) = line_col(text, offset);
    LoadError::FrontMatter {
        path: path.to_string(),
        line,
        column,
        message,
        src: NamedSource::new(path, text.to_string()),
        span: SourceSpan::new(offset.into(), len),
    }
}
