//! Helpers shared by the test files.
use kzcheck::load::Article;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// An in-memory article with no front matter.
#[allow(dead_code)]
pub fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        path: format!("{id}.txt"),
        text: text.into(),
        body: 0..text.len(),
        meta: Default::default(),
    }
}

/// Each article's original text by id: what the text and HTML reports read
/// their snippets from.
#[allow(dead_code)]
pub fn texts_of(articles: &[Article]) -> std::collections::HashMap<&str, &str> {
    articles
        .iter()
        .map(|a| (a.id.as_ref(), a.text.as_str()))
        .collect()
}

/// Every corpus the tests render: each folder of `tests/fixtures/`, sorted,
/// then `seeds`.
#[allow(dead_code)]
pub fn corpus_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = fs::read_dir("tests/fixtures")
        .expect("tests/fixtures")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| format!("tests/fixtures/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs.push("seeds".into());
    dirs
}

/// A fresh folder under the system temp dir, removed on drop (permissions
/// restored first, so a chmod 000 folder goes too).
#[allow(dead_code)]
pub struct TempDir(PathBuf);

#[allow(dead_code)]
impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "kzcheck-test-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("create dirs");
        }
        fs::write(&p, bytes).expect("write fixture");
        p
    }

    pub fn shown(&self, rel: &str) -> String {
        self.0.join(rel).to_string_lossy().replace('\\', "/")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mut stack = vec![self.0.clone()];
            while let Some(d) = stack.pop() {
                let _ = fs::set_permissions(&d, fs::Permissions::from_mode(0o755));
                if let Ok(rd) = fs::read_dir(&d) {
                    for e in rd.flatten() {
                        if e.file_type().is_ok_and(|t| t.is_dir()) {
                            stack.push(e.path());
                        }
                    }
                }
            }
        }
        let _ = fs::remove_dir_all(&self.0);
    }
}
