//! Sentences, paragraphs, quoted spans and boilerplate blocks. (stub)
