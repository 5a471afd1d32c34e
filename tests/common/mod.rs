//! Helpers shared by the test files.
use kzcheck::load::Article;

/// An in-memory article with no front matter.
pub fn article(id: &str, text: &str) -> Article {
    Article {
        id: id.into(),
        path: format!("{id}.txt"),
        text: text.into(),
        body: 0..text.len(),
        meta: Default::default(),
    }
}
