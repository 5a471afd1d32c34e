//! Reading articles: files and folders from the command line, front matter,
//! and a diagnostic for every file that cannot be read. Only this module
//! reads article files.
//!
//! [`load`] never fails as a whole: every input that cannot be read becomes a
//! [`LoadError`] in [`Loaded::diagnostics`] and the run goes on with the rest.
//! The result is deterministic: articles are sorted by path, diagnostics by
//! path (then by the order they were found in).
//!
//! Hostile input is expected: a file is read only up to
//! [`MAX_ARTICLE_BYTES`]; binary files (NUL bytes, control characters) are
//! skipped; UTF-16 (with a byte order mark, or recognised by its NUL bytes)
//! and Windows-1256 Arabic are decoded with a warning; symlink loops end with
//! a diagnostic; FIFOs and devices in folders are not opened.
//!
//! A run hands its files out to the workers in order while a thread of its
//! own asks the system to read the next ones into its cache
//! (`reading_ahead`, on Linux): a corpus the system has not cached is read
//! while the workers analyse.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1256};
use miette::{NamedSource, SourceSpan};

const BOM: &str = "\u{feff}";

/// The largest article file kzcheck reads: 4 MiB. A news article is a few
/// tens of kilobytes; a bigger file is refused with
/// [`LoadError::TooLarge`] (nothing past the limit is read, so an endless
/// stream such as `/dev/zero` ends too). The limit counts the file's bytes.
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

/// A line longer than this (in bytes) is not quoted in a diagnostic: the
/// message still names the file, line and column.
const MAX_QUOTED_LINE: usize = 2000;

/// One article file, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The file stem (`000_8a8d74e88c78e18c`). When two articles share a
    /// stem, the path relative to the input root without extension, with
    /// `/` separators (`a/x`); if that still collides, the same with its
    /// extension (`b/x.md`), then the shown path without extension, then the
    /// shown path. Unique within one [`load`].
    pub id: crate::Shared,
    /// The path as shown to a person: as given on the command line, or walked
    /// from a folder given there, with `/` separators. Never absolute unless
    /// it was given absolute.
    pub path: String,
    /// The whole original file, exactly (BOM included if there was one).
    /// For a file that was not UTF-8 but was decoded (UTF-16, Windows-1256:
    /// see [`LoadError::Decoded`]), the decoded text, converted to UTF-8 (a
    /// UTF-16 BOM kept as U+FEFF): every span and byte offset of the article
    /// is into this text, not into the file's bytes. Lines and columns (in
    /// characters) are the same in both.
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
/// A file with a warning (bad front matter, decoded from another encoding, a
/// folder link loop) is in both lists; an error means the file was not read.
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

    /// Front matter and nothing after it.
    #[error("{path}:{line}: no article text after the front matter")]
    #[diagnostic(
        code(kzcheck::load::no_body),
        help("an article needs some text after its front matter block")
    )]
    NoBody {
        path: String,
        /// 1-based line of the closing fence.
        line: usize,
    },

    /// The file is larger than [`MAX_ARTICLE_BYTES`].
    #[error("{path}: too large for one article ({size}; the limit is 4 MiB)")]
    #[diagnostic(
        code(kzcheck::load::too_large),
        help("kzcheck reads one news article per file, at most 4 MiB; split the file into its articles")
    )]
    TooLarge {
        path: String,
        /// "52428800 bytes", or "more than 4194304 bytes" for a stream.
        size: String,
    },

    /// A binary file: NUL bytes or control characters, not text.
    #[error("{path}: binary file, not text ({reason}); skipped")]
    #[diagnostic(
        code(kzcheck::load::binary),
        help("kzcheck reads text articles: UTF-8, or UTF-16 and Windows-1256 it can recognise; is this the right file?")
    )]
    Binary {
        path: String,
        /// Byte offset in the file of the first NUL or control character.
        offset: usize,
        /// What gave it away, with the offset.
        reason: String,
    },

    /// Not UTF-8 but decoded from another encoding. A warning: the article
    /// is read. Its [`Article::text`] is the decoded text, and byte offsets
    /// (claim spans) refer to that UTF-8 text, not to the file's bytes.
    #[error("{path}: decoded from {encoding} ({why}); byte offsets in the report refer to the UTF-8 decoded text, not to the file's bytes")]
    #[diagnostic(
        code(kzcheck::load::decoded),
        severity(Warning),
        help("re-save the file as UTF-8 to read it as it is; lines and columns are the same either way")
    )]
    Decoded {
        path: String,
        /// `UTF-16LE`, `UTF-16BE` or `windows-1256`.
        encoding: &'static str,
        /// Why that encoding: a byte order mark, NUL bytes, Arabic letters.
        why: &'static str,
    },

    /// It starts like UTF-16 but is not valid UTF-16.
    #[error("{path}: not valid {encoding} ({problem} at byte offset {offset})")]
    #[diagnostic(
        code(kzcheck::load::bad_utf16),
        help(
            "the file starts with a {encoding} byte order mark but is damaged; re-save it as UTF-8"
        )
    )]
    BadUtf16 {
        path: String,
        encoding: &'static str,
        offset: usize,
        problem: &'static str,
    },

    /// In a folder, a file named like an article that is not a regular file
    /// (a FIFO, a socket, a device): not opened, reading it could block.
    #[error("{path}: not a regular file ({kind}); skipped")]
    #[diagnostic(
        code(kzcheck::load::not_a_file),
        help("give the path explicitly to read it anyway (a pipe, for instance)")
    )]
    NotAFile { path: String, kind: &'static str },

    /// A symbolic link that never resolves: it points, through other links,
    /// back at itself.
    #[error("{path}: symbolic link loop (too many levels of symbolic links)")]
    #[diagnostic(
        code(kzcheck::load::symlink_loop),
        help("the link leads back to itself; fix or remove it")
    )]
    SymlinkLoop { path: String },

    /// A link inside a folder to that folder or one above it. Not followed:
    /// its files are read once, under their own path. A warning.
    #[error("{path}: link to {target}, a folder that contains it; not followed (a loop)")]
    #[diagnostic(
        code(kzcheck::load::folder_loop),
        severity(Warning),
        help("kzcheck reads each folder once; remove the link to silence this")
    )]
    FolderLoop { path: String, target: String },

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
        /// The file decoded lossily (invalid bytes shown as U+FFFD); none
        /// when the line is too long to quote or holds control characters.
        #[source_code]
        src: Option<NamedSource<String>>,
        /// Where the first U+FFFD stands in `src`.
        #[label("first invalid byte")]
        span: Option<SourceSpan>,
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
        /// The file; none when the line is too long to quote.
        #[source_code]
        src: Option<NamedSource<String>>,
        #[label("{message}")]
        span: Option<SourceSpan>,
    },
}

impl LoadError {
    /// The path of the file or folder this error is about, as shown.
    pub fn path(&self) -> &str {
        match self {
            LoadError::NotFound { path }
            | LoadError::EmptyFolder { path }
            | LoadError::Empty { path }
            | LoadError::NoBody { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::Binary { path, .. }
            | LoadError::Decoded { path, .. }
            | LoadError::BadUtf16 { path, .. }
            | LoadError::NotAFile { path, .. }
            | LoadError::SymlinkLoop { path }
            | LoadError::FolderLoop { path, .. }
            | LoadError::NotUtf8 { path, .. }
            | LoadError::Io { path, .. }
            | LoadError::FrontMatter { path, .. } => path,
        }
    }
}

/// Read every article under `paths` (files, or folders walked recursively).
///
/// Folders are walked in sorted order, taking `.txt` and `.md` files
/// (any case) and skipping hidden entries and other extensions; symlinks are
/// followed, and a folder already visited (by canonical path) is skipped, so
/// loops end: silently when it was reached another way, with a
/// [`LoadError::FolderLoop`] warning when the link points back up. Entries
/// that are not regular files (FIFOs, sockets, devices) are not opened. A
/// path given explicitly is read whatever its extension or kind (a pipe
/// works). The same file reached twice is read once. Articles come back
/// sorted by path.
pub fn load(paths: &[PathBuf]) -> Loaded {
    let Plan {
        sources,
        mut diagnostics,
        stdin,
    } = plan(paths);
    let mut articles = Vec::with_capacity(sources.len() + 1);
    articles.extend(stdin);
    for source in &sources {
        let (a, mut d) = source.read();
        articles.extend(a);
        diagnostics.append(&mut d);
    }
    diagnostics.sort_by(|a, b| a.path().cmp(b.path()));
    Loaded {
        articles,
        diagnostics,
    }
}

/// The files a run will read, each with the id its article will have,
/// before any is read: a large corpus can then be read one article at a
/// time (`Source::read`), in parallel, without holding every text.
#[derive(Debug, Default)]
pub struct Plan {
    /// Sorted by path, each file once.
    pub sources: Vec<Source>,
    /// Problems found while listing (missing paths, empty folders, loops),
    /// and with standard input.
    pub diagnostics: Vec<LoadError>,
    /// The article read from standard input (`-`), read at once.
    pub stdin: Option<Article>,
}

/// One file to read, and the id its article gets.
#[derive(Debug)]
pub struct Source {
    cand: Candidate,
    pub id: String,
}

impl Source {
    /// The path as shown to a person (and as `Article::path`).
    pub fn shown(&self) -> &str {
        &self.cand.shown
    }

    /// The path on disk.
    pub fn fs_path(&self) -> &Path {
        &self.cand.fs_path
    }

    /// The file's whole text, decoded as `read` decodes it, or none where
    /// it cannot be had; its front matter is not read. For the reports that
    /// quote an article read before.
    pub fn text(&self) -> Option<String> {
        let bytes = read_file(&self.cand).ok()?.ok()?;
        text_from_bytes(&self.cand.shown, bytes)
    }

    /// Reads the file: its article, or what went wrong (warnings come with
    /// the article).
    pub fn read(&self) -> (Option<Article>, Vec<LoadError>) {
        let mut diagnostics = Vec::new();
        let article = read_article(&self.cand, &mut diagnostics).map(|mut a| {
            a.id = self.id.as_str().into();
            a
        });
        (article, diagnostics)
    }
}

/// How many files [`reading_ahead`] asks for ahead of the workers.
const AHEAD_FILES: usize = 512;

/// The most bytes of one file [`reading_ahead`] asks for (a larger file
/// is read when its turn comes, as any file is).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const AHEAD_BYTES: u64 = 256 * 1024;

/// Runs `work`, which reads the files of `sources` in their order and
/// says, with the function it is given, each time it begins `n` more of
/// them; meanwhile a thread of its own asks the system to read them into
/// its cache, up to [`AHEAD_FILES`] files ahead of those begun. A corpus
/// the system has not cached is then read while the workers analyse what
/// came before, rather than one file at a time by workers waiting on the
/// disk (at 100k articles, reading from a cold cache took longer than the
/// analysis). Asking changes nothing of what is read: a file that cannot
/// be opened is left to its worker to report. Work that stops early
/// (returns, or panics) stops the thread too. On Linux only (elsewhere,
/// and where no thread can be started, `work` runs alone).
pub fn reading_ahead<R>(sources: &[Source], work: impl FnOnce(&(dyn Fn(usize) + Sync)) -> R) -> R {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    /// Tells the thread to stop however `work` ends.
    struct Done<'a>(&'a AtomicBool);
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Release);
        }
    }
    if !cfg!(target_os = "linux") {
        return work(&|_| {});
    }
    let (begun, done) = (AtomicUsize::new(0), AtomicBool::new(false));
    std::thread::scope(|scope| {
        let asking = std::thread::Builder::new().spawn_scoped(scope, || {
            for (k, s) in sources.iter().enumerate() {
                while k >= begun.load(Ordering::Acquire) + AHEAD_FILES {
                    if done.load(Ordering::Acquire) {
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                if done.load(Ordering::Acquire) {
                    return;
                }
                // A file the workers began is being read already.
                if s.cand.plain && k >= begun.load(Ordering::Acquire) {
                    ask_ahead(s.fs_path());
                }
            }
        });
        if asking.is_err() {
            return work(&|_| {});
        }
        let _done = Done(&done);
        work(&|n| {
            begun.fetch_add(n, Ordering::AcqRel);
        })
    })
}

/// Asks the system to read (the start of) the file at `path`, a plain
/// file when it was listed, into its cache, without waiting for it. It is
/// opened without waiting too: had it become a FIFO, opening it to read
/// would let through a writer waiting for a reader, or wait for one. An
/// empty file, or one too large to be read (`MAX_ARTICLE_BYTES`), is not
/// asked for.
fn ask_ahead(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let opened = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path);
        let Ok(file) = opened else {
            return;
        };
        let Ok(meta) = file.metadata() else {
            return;
        };
        if !meta.is_file() || meta.len() == 0 || meta.len() > MAX_ARTICLE_BYTES as u64 {
            return;
        }
        // (At most 256 KiB: it fits any `off_t`.)
        let len = meta.len().min(AHEAD_BYTES) as libc::off_t;
        // SAFETY: the descriptor is open for as long as the call; the call
        // reads nothing into this process.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, len, libc::POSIX_FADV_WILLNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Lists what `paths` hold (files, or folders walked recursively; see
/// `load`), reads standard input if asked, and gives each file its id.
pub fn plan(paths: &[PathBuf]) -> Plan {
    let mut diagnostics = Vec::new();
    let mut candidates = Vec::new();
    let mut visited_dirs = HashSet::new();

    let mut stdin_article = None;
    for given in paths {
        if given.as_os_str() == "-" {
            // Standard input, read once, shown as "-" with the id "stdin".
            if stdin_article.is_none() {
                let (a, mut d) = match read_limited(io::stdin().lock(), None) {
                    Ok(Ok(bytes)) => from_bytes("-", bytes),
                    Ok(Err(size)) => (None, vec![too_large("-", size)]),
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

    let shown: Vec<String> = candidates.iter().map(|c| c.shown.clone()).collect();
    let rels: Vec<String> = candidates.iter().map(|c| c.rel.clone()).collect();
    let ids = assign_ids(&shown, &rels);
    Plan {
        sources: candidates
            .into_iter()
            .zip(ids)
            .map(|(cand, id)| Source { cand, id })
            .collect(),
        diagnostics,
        stdin: stdin_article.flatten(),
    }
}

/// A file to read.
#[derive(Debug)]
struct Candidate {
    /// The path on disk.
    fs_path: PathBuf,
    /// The path shown to a person.
    shown: String,
    /// The path relative to its input root, `/`-separated, with extension.
    rel: String,
    /// The canonical path, to read each file once.
    canonical: PathBuf,
    /// A plain file when it was listed (not a FIFO or a device given by
    /// name): only such a file is read ahead (`reading_ahead`).
    plain: bool,
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
        Err(e) => {
            diagnostics.push(metadata_error(shown, e));
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
            plain: meta.is_file(),
        });
    }
}

/// Walk `root` (a folder) depth first, iteratively, pushing `.txt` / `.md`
/// files. Children are visited in order of their name's bytes. Returns
/// whether a subfolder was skipped because it was visited before.
///
/// Linear in the number of entries: an entry that is not a symlink costs no
/// system call beyond the folder listing (its canonical path is its folder's
/// plus its name); only symlinks are stat'ed and resolved.
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
        let dir_canonical = fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => {
                    let file_type = entry.file_type().ok();
                    names.push((entry.file_name(), file_type));
                }
                Err(source) => diagnostics.push(LoadError::Io {
                    path: show(&dir),
                    source,
                }),
            }
        }
        names.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));

        let mut subdirs = Vec::new();
        for (name, file_type) in names {
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
            // A plain entry: its type from the listing, its canonical path
            // from its folder's. A symlink (or an unknown type): followed.
            let (file_type, canonical) = match file_type {
                Some(t) if !t.is_symlink() => (t, dir_canonical.join(&name)),
                _ => {
                    let meta = match fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) => {
                            // A broken link, a link loop or a vanished entry:
                            // only worth a word if it looked like an article.
                            if is_article_name {
                                diagnostics.push(metadata_error(show(&path), e));
                            }
                            continue;
                        }
                    };
                    let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    (meta.file_type(), canonical)
                }
            };
            if file_type.is_dir() {
                if dir_canonical.starts_with(&canonical) {
                    // A link back to this folder or one above it (even above
                    // the folder given: following it would walk the parent).
                    diagnostics.push(LoadError::FolderLoop {
                        path: show(&path),
                        target: show(&canonical),
                    });
                } else if visited_dirs.insert(canonical) {
                    subdirs.push((path, rel));
                } else {
                    skipped_visited = true;
                }
            } else if is_article_name {
                if file_type.is_file() {
                    candidates.push(Candidate {
                        shown: show(&path),
                        fs_path: path,
                        rel,
                        canonical,
                        plain: true,
                    });
                } else {
                    diagnostics.push(LoadError::NotAFile {
                        path: show(&path),
                        kind: special_kind(&file_type),
                    });
                }
            }
        }
        // Reverse, so the first subfolder is popped first.
        stack.extend(subdirs.into_iter().rev());
    }
    skipped_visited
}

/// What kind of special file this is, for a diagnostic.
fn special_kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a file or folder"
}

/// The error `fs::metadata` gave for `shown`, as a diagnostic.
fn metadata_error(shown: String, e: io::Error) -> LoadError {
    if e.kind() == io::ErrorKind::NotFound {
        LoadError::NotFound { path: shown }
    } else if is_symlink_loop(&e) {
        LoadError::SymlinkLoop { path: shown }
    } else {
        LoadError::Io {
            path: shown,
            source: e,
        }
    }
}

/// ELOOP: too many levels of symbolic links (`io::ErrorKind::FilesystemLoop`
/// is not stable yet).
fn is_symlink_loop(e: &io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const ELOOP: i32 = 40;
    #[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
    const ELOOP: i32 = 62;
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(ELOOP)
    }
    #[cfg(not(unix))]
    {
        format!("{:?}", e.kind()) == "FilesystemLoop"
    }
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
/// Each file's id: its stem, made longer (its path under its input, then
/// the whole path) only where two files would share one.
fn assign_ids(shown: &[String], rels: &[String]) -> Vec<String> {
    let mut ids = vec![String::new(); shown.len()];
    const LEVELS: u8 = 5;
    let candidate = |i: usize, level: u8| -> String {
        let shown = &shown[i];
        match level {
            0 => stem(shown).to_string(),
            1 => strip_extension(&rels[i]).to_string(),
            2 => rels[i].clone(),
            3 => strip_extension(shown).to_string(),
            _ => shown.clone(),
        }
    };
    let mut levels = vec![0u8; shown.len()];
    for (i, id) in ids.iter_mut().enumerate() {
        *id = candidate(i, 0);
    }
    loop {
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            groups.entry(id.as_str()).or_default().push(i);
        }
        let colliding: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
        if colliding.is_empty() {
            return ids;
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
            let mut taken: HashSet<String> = ids.iter().cloned().collect();
            for group in colliding {
                for &i in group.iter().skip(1) {
                    let mut n = 2usize;
                    let mut id = format!("{}~{n}", ids[i]);
                    while taken.contains(&id) {
                        n += 1;
                        id = format!("{}~{n}", ids[i]);
                    }
                    taken.insert(id.clone());
                    ids[i] = id;
                }
            }
            return ids;
        }
        for group in colliding {
            for i in group {
                ids[i] = candidate(i, levels[i]);
            }
        }
    }
}

/// The bytes of `cand`'s file, or a description of its size when it is
/// larger than [`MAX_ARTICLE_BYTES`].
fn read_file(cand: &Candidate) -> io::Result<Result<Vec<u8>, String>> {
    fs::File::open(&cand.fs_path).and_then(|file| {
        let len = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        match len {
            // Refused without reading a byte.
            Some(len) if len > MAX_ARTICLE_BYTES as u64 => Ok(Err(format!("{len} bytes"))),
            _ => read_limited(file, len),
        }
    })
}

fn read_article(cand: &Candidate, diagnostics: &mut Vec<LoadError>) -> Option<Article> {
    let bytes = match read_file(cand) {
        Ok(Ok(b)) => b,
        Ok(Err(size)) => {
            diagnostics.push(too_large(&cand.shown, size));
            return None;
        }
        Err(e) => {
            diagnostics.push(if is_symlink_loop(&e) {
                LoadError::SymlinkLoop {
                    path: cand.shown.clone(),
                }
            } else {
                LoadError::Io {
                    path: cand.shown.clone(),
                    source: e,
                }
            });
            return None;
        }
    };
    article_from_bytes(&cand.shown, bytes, diagnostics)
}

/// Reads at most [`MAX_ARTICLE_BYTES`] from `r`: the bytes, or a description
/// of the size when there are more.
fn read_limited(r: impl Read, len_hint: Option<u64>) -> io::Result<Result<Vec<u8>, String>> {
    let cap = len_hint.map_or(8 * 1024, |l| l.min(MAX_ARTICLE_BYTES as u64) as usize + 1);
    let mut bytes = Vec::with_capacity(cap);
    r.take(MAX_ARTICLE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Ok(Err(format!("more than {MAX_ARTICLE_BYTES} bytes")));
    }
    Ok(Ok(bytes))
}

fn too_large(path: &str, size: String) -> LoadError {
    LoadError::TooLarge {
        path: path.to_string(),
        size,
    }
}

/// An article from bytes read elsewhere (standard input, a test): decoded,
/// checked and split like a file's. Its id is the stem of `shown`. More than
/// [`MAX_ARTICLE_BYTES`] is refused like a file.
pub fn from_bytes(shown: &str, bytes: Vec<u8>) -> (Option<Article>, Vec<LoadError>) {
    let mut diagnostics = Vec::new();
    if bytes.len() > MAX_ARTICLE_BYTES {
        diagnostics.push(too_large(shown, format!("{} bytes", bytes.len())));
        return (None, diagnostics);
    }
    let article = article_from_bytes(shown, bytes, &mut diagnostics).map(|mut a| {
        a.id = Path::new(shown)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.to_string())
            .into();
        a
    });
    (article, diagnostics)
}

/// The whole text of the file `shown` from its bytes, decoded as
/// [`from_bytes`] decodes it (where it gives an article), without reading
/// its front matter.
pub fn text_from_bytes(shown: &str, bytes: Vec<u8>) -> Option<String> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return None;
    }
    decode(shown, bytes).ok().map(|(text, _)| text)
}

fn article_from_bytes(
    shown: &str,
    bytes: Vec<u8>,
    diagnostics: &mut Vec<LoadError>,
) -> Option<Article> {
    let cand_shown = shown.to_string();
    let (text, decoded) = match decode(shown, bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            diagnostics.push(*e);
            return None;
        }
    };
    // The note on the encoding comes first, and only for an article read.
    let note_at = diagnostics.len();
    let content_start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    if is_blank(&text[content_start..]) {
        diagnostics.push(LoadError::Empty {
            path: cand_shown.clone(),
        });
        return None;
    }

    let (meta, body) = match find_front_matter(&text, content_start) {
        FrontMatter::None => (Meta::default(), content_start..text.len()),
        FrontMatter::Unclosed { fence } => {
            diagnostics.push(front_matter_error(
                &cand_shown,
                &text,
                fence,
                0,
                "front matter opened here is never closed (no `---` or `...` line after it); read as article text".into(),
            ));
            (Meta::default(), content_start..text.len())
        }
        FrontMatter::Block(fm) => {
            if is_blank(&text[fm.body_start..]) {
                let (line, _) = line_col(&text, fm.yaml.end);
                diagnostics.push(LoadError::NoBody {
                    path: cand_shown,
                    line,
                });
                return None;
            }
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

    if let Some(note) = decoded {
        diagnostics.insert(note_at, note);
    }
    Some(Article {
        id: "".into(),
        path: cand_shown.clone(),
        text,
        body,
        meta,
    })
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || c == '\u{feff}')
}

/// The file's text: UTF-8 as it is; UTF-16 and Windows-1256 Arabic decoded
/// (with a [`LoadError::Decoded`] warning); anything else refused.
fn decode(shown: &str, bytes: Vec<u8>) -> Result<(String, Option<LoadError>), Box<LoadError>> {
    let decoded = |encoding: &'static Encoding, why: &'static str| LoadError::Decoded {
        path: shown.to_string(),
        encoding: encoding.name(),
        why,
    };
    // A UTF-16 byte order mark.
    for (bom, encoding) in [([0xFF, 0xFE], UTF_16LE), ([0xFE, 0xFF], UTF_16BE)] {
        if bytes.starts_with(&bom) {
            return match decode_utf16(&bytes, encoding) {
                Utf16::Text(text) => Ok((text, Some(decoded(encoding, "byte order mark")))),
                Utf16::Invalid { offset, problem } => Err(Box::new(LoadError::BadUtf16 {
                    path: shown.to_string(),
                    encoding: encoding.name(),
                    offset,
                    problem,
                })),
                Utf16::Binary { offset, reason } => Err(Box::new(binary(shown, offset, reason))),
            };
        }
    }
    let has_utf8_bom = bytes.starts_with(BOM.as_bytes());
    if let Some(nul) = memchr::memchr(0, &bytes) {
        // UTF-16 without a byte order mark: ASCII (spaces, digits) has a NUL
        // high byte.
        if !has_utf8_bom {
            if let Some(encoding) = sniff_utf16(&bytes) {
                if let Utf16::Text(text) = decode_utf16(&bytes, encoding) {
                    if looks_like_text(&text) {
                        return Ok((
                            text,
                            Some(decoded(encoding, "NUL bytes in a UTF-16 pattern")),
                        ));
                    }
                }
            }
        }
        return Err(Box::new(binary(shown, nul, "a NUL byte")));
    }
    match utf8(bytes) {
        Ok(text) => match control_heavy(text.as_bytes()) {
            Some(offset) => Err(Box::new(binary(shown, offset, "control characters"))),
            None => Ok((text, None)),
        },
        Err(e) => {
            let bytes = e.as_bytes();
            if !has_utf8_bom {
                if let Some(text) = windows_1256_arabic(bytes) {
                    return Ok((
                        text,
                        Some(decoded(WINDOWS_1256, "not UTF-8; reads as Arabic")),
                    ));
                }
            }
            if let Some(offset) = control_heavy(bytes) {
                return Err(Box::new(binary(shown, offset, "control characters")));
            }
            Err(Box::new(not_utf8(shown, bytes, e.utf8_error())))
        }
    }
}

/// `String::from_utf8`, validated with SIMD first (several times faster on
/// Arabic, where every letter is two bytes); the standard library's
/// validation runs only on text that fails, for its error.
fn utf8(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that the bytes are UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

fn binary(path: &str, offset: usize, what: &str) -> LoadError {
    LoadError::Binary {
        path: path.to_string(),
        offset,
        reason: format!("{what} at byte offset {offset}"),
    }
}

/// A C0 control that text does not hold (NUL included; tab, line breaks,
/// form feed, ESC and DOS's end-of-file ^Z are allowed), or DEL.
fn is_odd_control(b: u32) -> bool {
    (b < 0x20 && !matches!(b, 0x09..=0x0D | 0x1A | 0x1B)) || b == 0x7F
}

/// [`is_odd_control`] as 1 or 0, made of comparisons the compiler turns
/// into SIMD when it sums them: below 0x20 but not 09–0D, 1A or 1B; or 7F.
fn odd_control(b: u8) -> u8 {
    u8::from(b < 0x20) - u8::from(b.wrapping_sub(0x09) < 5) - u8::from(b.wrapping_sub(0x1A) < 2)
        + u8::from(b == 0x7F)
}

/// When more than one byte in 16 of the first 8 KiB is an odd control
/// character: the offset of the first one. Counted in bytes, 255 bytes at
/// a time (a byte's count cannot overflow), which is 32 bytes a SIMD step.
fn control_heavy(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(8192)];
    let n: usize = sample
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + odd_control(b))))
        .sum();
    if n * 16 > sample.len() {
        sample.iter().position(|&b| is_odd_control(b.into()))
    } else {
        None
    }
}

enum Utf16 {
    Text(String),
    /// An unpaired surrogate, or an odd number of bytes.
    Invalid {
        offset: usize,
        problem: &'static str,
    },
    /// A NUL or another control character a text does not hold.
    Binary {
        offset: usize,
        reason: &'static str,
    },
}

/// Decodes UTF-16 (a byte order mark is kept as U+FEFF). Problems are given
/// with their byte offset in the file.
fn decode_utf16(bytes: &[u8], encoding: &'static Encoding) -> Utf16 {
    let unit = |pair: &[u8]| {
        if encoding == UTF_16LE {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    };
    let mut offset = 0;
    for c in char::decode_utf16(bytes.chunks_exact(2).map(unit)) {
        match c {
            Ok(c) => {
                if is_odd_control(c.into()) {
                    let reason = if c == '\0' {
                        "a NUL character"
                    } else {
                        "a control character"
                    };
                    return Utf16::Binary { offset, reason };
                }
                offset += 2 * c.len_utf16();
            }
            Err(_) => {
                return Utf16::Invalid {
                    offset,
                    problem: "an unpaired surrogate",
                }
            }
        }
    }
    if bytes.len() % 2 == 1 {
        return Utf16::Invalid {
            offset: bytes.len() - 1,
            problem: "an odd number of bytes: a truncated last character",
        };
    }
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    Utf16::Text(text.into_owned())
}

/// UTF-16 without a byte order mark, told by where its NUL bytes are: in
/// the high byte of many units (spaces, digits, Latin letters), almost
/// never in the low byte.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 == 1 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let units = sample.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let clear = |high: usize, low: usize| high * 20 >= units && low * 20 <= high;
    if clear(odd, even) {
        Some(UTF_16LE)
    } else if clear(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decoded text that reads like text: at least half of what is not white
/// space is letters.
fn looks_like_text(text: &str) -> bool {
    let (mut letters, mut other) = (0usize, 0usize);
    for c in text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
    {
        if c.is_alphabetic() {
            letters += 1;
        } else {
            other += 1;
        }
    }
    letters > 0 && letters >= other
}

/// Bytes that are not UTF-8 but read as Arabic in Windows-1256: the decoded
/// text, if at least 60% of its letters are Arabic and it holds no control
/// character text does not. Bytes that are mostly UTF-8 with a few stray
/// bytes are not taken for Windows-1256.
fn windows_1256_arabic(bytes: &[u8]) -> Option<String> {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if valid_multibyte >= invalid {
        return None;
    }
    if bytes.iter().any(|&b| is_odd_control(b.into())) {
        return None;
    }
    let (text, _) = WINDOWS_1256.decode_without_bom_handling(bytes);
    let (mut letters, mut arabic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        arabic += usize::from(is_arabic(c));
    }
    (arabic >= 2 && arabic * 10 >= letters * 6).then(|| text.into_owned())
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A source to quote in a diagnostic about `offset` in `text`, or none when
/// its line is too long to quote or the text holds control characters.
fn quotable(path: &str, text: String, offset: usize) -> Option<NamedSource<String>> {
    let offset = floor_char_boundary(&text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let quotable = line_end - line_start <= MAX_QUOTED_LINE
        && !text.bytes().any(|b| is_odd_control(b.into()) || b == 0x1B);
    quotable.then(|| NamedSource::new(path, text))
}

fn not_utf8(path: &str, bytes: &[u8], err: std::str::Utf8Error) -> LoadError {
    let offset = err.valid_up_to();
    // The prefix is valid UTF-8 by definition.
    let prefix = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let (line, column) = line_col(prefix, prefix.len());
    // The lossy text equals the bytes up to `offset`, then U+FFFD.
    let lossy = String::from_utf8_lossy(bytes).into_owned();
    let src = quotable(path, lossy, offset);
    let span = src
        .as_ref()
        .map(|_| SourceSpan::new(offset.into(), '\u{fffd}'.len_utf8()));
    LoadError::NotUtf8 {
        path: path.to_string(),
        offset,
        line,
        column,
        src,
        span,
        help: "re-save the file as UTF-8; Windows-1256 is read only when it decodes to Arabic"
            .to_string(),
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

/// `offset`, cut back to `text` and to the start of the character it falls
/// in (`str::floor_char_boundary`, which needs a newer Rust than this crate's).
pub(crate) fn floor_char_boundary(text: &str, offset: usize) -> usize {
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

enum FrontMatter {
    None,
    /// A first line `---` and no closing fence: the range of that line.
    Unclosed {
        fence: Range<usize>,
    },
    Block(FrontMatterBlock),
}

/// A front matter block: a first line `---` (after the BOM) and a later line
/// `---` or `...`. Fences may end with `\r` or trailing spaces.
fn find_front_matter(text: &str, start: usize) -> FrontMatter {
    let rest = &text[start..];
    let Some(first_end) = rest.find('\n') else {
        return FrontMatter::None;
    };
    if rest[..first_end].trim_end() != "---" {
        return FrontMatter::None;
    }
    let yaml_start = start + first_end + 1;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return FrontMatter::Block(FrontMatterBlock {
                yaml: yaml_start..line_start,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        line_start = line_end + 1;
    }
    FrontMatter::Unclosed {
        fence: start..start + first_end,
    }
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
    if let Some(offset) = too_deep(yaml) {
        return Err((
            offset,
            format!("nested more than {MAX_FRONT_MATTER_DEPTH} levels deep; front matter is a flat list of keys"),
        ));
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
            let mut offset = e.location().map_or(0, |l| l.index());
            let full = e.to_string();
            let message = match full.find(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            // serde_yaml points at the mapping; point at the second key.
            if let Some(key) = message
                .strip_prefix("duplicate field `")
                .and_then(|rest| rest.split('`').next())
            {
                if let Some(first) = find_top_level_value(yaml, key) {
                    let next_line = yaml[first..]
                        .find('\n')
                        .map_or(yaml.len(), |i| first + i + 1);
                    if let Some(second) = find_top_level_value(&yaml[next_line..], key) {
                        let line_start =
                            yaml[..next_line + second].rfind('\n').map_or(0, |i| i + 1);
                        offset = line_start;
                    }
                }
            }
            Err((offset, message))
        }
    }
}

/// How deep front matter may nest. The YAML parser takes time quadratic in
/// the depth of `[[[[…` (about 30 s for 100 000 levels), so deeper front
/// matter is refused before it is parsed; real front matter is flat.
const MAX_FRONT_MATTER_DEPTH: usize = 32;

/// The offset where `yaml` first nests deeper than
/// [`MAX_FRONT_MATTER_DEPTH`]: flow brackets (`[`, `{`, counted even inside
/// quotes, which only errs on the safe side) plus block sequence dashes at
/// the start of a line (`- - - x`).
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line_start = true;
    let mut dashes = 0usize;
    let bytes = yaml.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if b == b'\n' {
            line_start = true;
            dashes = 0;
        } else if line_start && b == b'-' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\n')) {
            dashes += 1;
        } else if !(line_start && b == b' ') {
            line_start = false;
        }
        if depth + dashes > MAX_FRONT_MATTER_DEPTH {
            return Some(i);
        }
    }
    None
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
    let src = quotable(path, text.to_string(), offset);
    let span = src.as_ref().map(|_| SourceSpan::new(offset.into(), len));
    LoadError::FrontMatter {
        path: path.to_string(),
        line,
        column,
        message,
        src,
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_control_is_is_odd_control_as_a_number() {
        for b in 0..=u8::MAX {
            assert_eq!(
                odd_control(b) == 1,
                is_odd_control(b.into()),
                "byte {b:#04x}"
            );
            assert!(odd_control(b) <= 1, "byte {b:#04x}");
        }
    }

    #[test]
    fn control_heavy_counts_as_is_odd_control_does() {
        let naive = |bytes: &[u8]| {
            let sample = &bytes[..bytes.len().min(8192)];
            let n = sample.iter().filter(|&&b| is_odd_control(b.into())).count();
            (n * 16 > sample.len())
                .then(|| sample.iter().position(|&b| is_odd_control(b.into())))
                .flatten()
        };
        // Every byte, 255 of the same in a row (a chunk full of them), at
        // the threshold and one past it, and past the first 8 KiB.
        for b in 0..=u8::MAX {
            let text: Vec<u8> = std::iter::repeat_n(b, 300)
                .chain(std::iter::repeat_n(b'a', 9000))
                .collect();
            for len in [0, 1, 255, 256, 300, 4799, 4800, 4816, 4817, 8192, 9300] {
                assert_eq!(
                    control_heavy(&text[..len]),
                    naive(&text[..len]),
                    "{b:#04x} {len}"
                );
            }
        }
        let mut text = vec![b'a'; 8192 + 600];
        for (i, at) in (0..text.len()).step_by(15).enumerate() {
            text[at] = [0x00, 0x7F, 0x08, 0x1F][i % 4];
        }
        assert!(naive(&text).is_some());
        assert_eq!(control_heavy(&text), naive(&text));
        text.iter_mut().skip(8192).for_each(|b| *b = 0);
        assert_eq!(control_heavy(&text), naive(&text));
    }

    #[test]
    fn utf8_is_string_from_utf8() {
        let cases: [&[u8]; 6] = [
            b"",
            "قال الوزير «نعم».".as_bytes(),
            b"plain ascii",
            b"\xD8",
            b"\xD9\x84\xFF\xD9\x84",
            b"\xE2\x80",
        ];
        for bytes in cases {
            let ours = utf8(bytes.to_vec()).map_err(|e| e.utf8_error());
            let std = String::from_utf8(bytes.to_vec()).map_err(|e| e.utf8_error());
            assert_eq!(ours, std, "{bytes:?}");
        }
    }
}
