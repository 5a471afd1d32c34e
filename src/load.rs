//! Reading articles from files and folders. (stub)
