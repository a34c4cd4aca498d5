//! The library as the app shares it: one handle the runner and the app's commands both hold, so neither
//! reaches the database through the other.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::Library;

/// A cheap-to-clone handle on one open [`Library`]. The connection is used by one caller at a time (SQLite
/// connections are not `Sync`); calls are short (indexed queries, small transactions), so a mutex is the
/// whole scheduling. Callers in async code run [`SharedLibrary::with`] on a blocking thread.
#[derive(Debug, Clone)]
pub struct SharedLibrary {
    library: Arc<Mutex<Library>>,
    root: PathBuf,
}

impl SharedLibrary {
    /// Shares `library`.
    pub fn new(library: Library) -> SharedLibrary {
        let root = library.root().to_path_buf();
        SharedLibrary { library: Arc::new(Mutex::new(library)), root }
    }

    /// The data folder media paths are relative to (no lock taken).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs `f` with the library. A panic in an earlier caller does not poison it: every write is one
    /// transaction, so the database is consistent whatever the panicking caller was doing.
    pub fn with<T>(&self, f: impl FnOnce(&mut Library) -> T) -> T {
        f(&mut self.library.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_library() {
        let dir = tempfile::tempdir().unwrap();
        let shared = SharedLibrary::new(Library::open_in_memory(dir.path()).unwrap());
        let other = shared.clone();
        assert_eq!(other.root(), dir.path());
        shared.with(|lib| lib.set_demo_ledger(true));
        assert!(other.with(|lib| lib.is_demo_ledger()));
    }
}
