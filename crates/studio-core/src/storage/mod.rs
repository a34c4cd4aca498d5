//! The library: one SQLite database (`library.sqlite3`) and the `media/` folder in the data folder.
//!
//! A [`Library`] owns one connection. SQLite is opened bundled, in WAL mode with `synchronous = NORMAL`
//! (a commit survives a crash or kill of the app; a power cut may lose the last few commits), foreign keys
//! on and a busy timeout, so the app and the `tokenplan` command line can share the file.
//! `Connection` is `Send` but not `Sync`: the app and the runner share one behind a [`SharedLibrary`].
//!
//! * [`schema`]: the append-only migrations.
//! * [`jobs`]: job rows, their state machine, history pages and prompt search.
//! * [`media`]: media rows, atomic file writes, the consistency pass.
//! * [`ledger`]: the spend ledger with running totals, server quota snapshots, reconciliation.
//! * [`recovery`]: the integrity check, backups before migrations, recovery from a damaged file, temp files.

pub mod cjk;
pub mod export;
#[cfg(test)]
mod fts_query_tests;
pub mod import;
pub mod jobs;
pub mod ledger;
pub mod library_view;
pub mod media;
pub mod plan_usage;
pub mod recovery;
pub mod runners;
pub mod schema;
mod shared;
pub mod spend_report;
pub mod trash;
pub mod voice_rows;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::data_dir::DataDir;
use crate::error::{CoreError, Result};

pub use jobs::{
    Job, JobCursor, JobError, JobFilter, JobPage, JobState, JobTransitionRecord, KeyKind, NewJob, Transition,
};
pub use ledger::{NewSpend, QuotaSnapshot, SpendBasis, SpendEntry};
pub use media::{ConsistencyReport, JobWithMedia, Media, MissingMediaFile, NewMedia, StoredFile};
pub use plan_usage::{Entitlement, MUSIC_SUBJECT};
pub use runners::{JobRunState, OwnedElsewhere};
pub use shared::SharedLibrary;

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "library.sqlite3";

/// The media folder's name inside the data folder.
pub const MEDIA_DIR: &str = "media";

/// How long a write waits for another process (the CLI, the app) to release the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The open library.
#[derive(Debug)]
pub struct Library {
    conn: Connection,
    root: PathBuf,
    /// Window figures count the demo's spend instead of the real one ([`Library::set_demo_ledger`]).
    demo_ledger: bool,
}

impl Library {
    /// Opens (creating if needed) the library in the data folder, migrates it, and runs the consistency
    /// pass. The report is returned for the caller to log or show; nothing is deleted.
    pub fn open(data_dir: &DataDir) -> Result<(Library, ConsistencyReport)> {
        Self::open_at(data_dir.root())
    }

    /// [`Library::open`] for a folder given as a path.
    pub fn open_at(root: &Path) -> Result<(Library, ConsistencyReport)> {
        let library = Self::open_unchecked_at(root)?;
        let report = library.check_consistency()?;
        log_consistency(&report);
        Ok((library, report))
    }

    /// Opens and migrates the library without the consistency pass, which stats every media file (about
    /// 0.2 s at 100,000 generations): the app opens with this on its way to the first frame and runs
    /// [`Library::check_consistency_at`] in the background.
    ///
    /// A file that is not a database, a library an integrity check found damaged
    /// ([`recovery::mark_damaged`]) or one that cannot be opened is [`CoreError::LibraryDamaged`] (the app
    /// offers recovery) instead of failing later in the middle of a job. SQLite's `quick_check` itself is not
    /// run here: it reads the whole file (about 0.3 s at 100,000 generations), so the app runs it on its
    /// background check thread and `tokenplan check` on demand ([`recovery::check_integrity_at`]). When
    /// migrations are pending, the database is backed up first ([`recovery::backup_before_migration`]).
    pub fn open_unchecked_at(root: &Path) -> Result<Library> {
        let media = root.join(MEDIA_DIR);
        std::fs::create_dir_all(&media).map_err(|source| CoreError::MediaFile { path: media, source })?;
        let path = root.join(DATABASE_FILE);
        if let Some(detail) = recovery::damage_found(root) {
            return Err(CoreError::LibraryDamaged { path, detail });
        }
        let damaged =
            |e: rusqlite::Error| CoreError::LibraryDamaged { path: path.clone(), detail: e.to_string() };
        let conn = Connection::open(&path).map_err(damaged)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The schema version is the first read of the file: one that is not a database fails here.
        let _version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(damaged)?;
        recovery::backup_before_migration(&conn, root, now_ms())?;
        Self::from_connection(conn, root)
    }

    /// Opens the library read-only, as it is: no migration, no check, nothing written. For browsing and
    /// exporting what a damaged library still holds (the app's recovery screen offers it).
    pub fn open_read_only_at(root: &Path) -> Result<Library> {
        let conn = Connection::open_with_flags(
            root.join(DATABASE_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Library { conn, root: root.to_path_buf(), demo_ledger: false })
    }

    /// The consistency pass over a connection of its own (WAL lets it read beside a library in use),
    /// logged like [`Library::open`]'s. Reports only; never deletes.
    pub fn check_consistency_at(root: &Path) -> Result<ConsistencyReport> {
        let conn = Connection::open_with_flags(
            root.join(DATABASE_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let reader = Library { conn, root: root.to_path_buf(), demo_ledger: false };
        let report = reader.check_consistency()?;
        log_consistency(&report);
        Ok(report)
    }

    /// A library whose database lives in memory and whose media go under `root` (tests, benchmarks).
    pub fn open_in_memory(root: &Path) -> Result<Library> {
        Self::from_connection(Connection::open_in_memory()?, root)
    }

    fn from_connection(mut conn: Connection, root: &Path) -> Result<Library> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The search index's triggers (and migration 6) call it: registered before anything is written.
        cjk::register(&conn)?;
        // Two processes opening a new library at once (the app starting while a `tokenplan` command runs)
        // race on the switch to WAL and on the first migration; the loser got `database is locked` or `table
        // jobs already exists` (issue 14 fault matrix: 20 of 20 tries). What the winner did is what the loser
        // wanted, so it tries again and finds it done (a migration is one transaction: never half applied).
        let mut tries = 0u64;
        while let Err(e) = Self::prepare(&mut conn) {
            tries += 1;
            if tries == 5 {
                return Err(e);
            }
            std::thread::sleep(std::time::Duration::from_millis(40 * tries));
        }
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Library { conn, root: root.to_path_buf(), demo_ledger: false })
    }

    /// WAL, the pragmas of every connection, and the schema brought up to date.
    fn prepare(conn: &mut Connection) -> Result<()> {
        // `journal_mode` answers with a row; in-memory databases answer "memory" and stay so.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        // Foreign keys are off while migrating: rebuilding a table (migration 5) must not cascade deletes into
        // the tables that point at it; migrations that rebuild check the keys after (`foreign_key_check`).
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;")?;
        let migrated = schema::migrations().to_latest(conn);
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        migrated?;
        Ok(())
    }

    /// The data folder media paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The media folder.
    pub fn media_dir(&self) -> PathBuf {
        self.root.join(MEDIA_DIR)
    }

    /// The connection, for the crates that keep their own tables in the library (films: `studio-film`).
    /// Their tables are created by this crate's migrations, so one file and one backup hold everything.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// The wall clock in epoch ms, for backup names.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn log_consistency(report: &ConsistencyReport) {
    if !report.is_clean() {
        tracing::warn!(
            missing = report.missing_files.len(),
            unowned = report.unowned_files.len(),
            temp = report.leftover_temp_files.len(),
            "library consistency pass found problems (nothing was deleted)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_a_file_database_in_wal_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let (library, report) = Library::open_at(dir.path()).unwrap();
        assert!(report.is_clean());
        let mode: String = library.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = library.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        assert!(dir.path().join(DATABASE_FILE).exists());
        assert!(dir.path().join(MEDIA_DIR).is_dir());
        drop(library);
        // Reopening an existing, migrated library works.
        Library::open_at(dir.path()).unwrap();
    }

    #[test]
    fn a_library_can_move_to_the_runner_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<Library>();
    }
}
