//! Surviving a damaged or full disk: the integrity check when the library opens, a backup before every schema
//! migration, the ways out the app offers when the library cannot be opened (open it read-only, restore the
//! newest backup, start a new library), and the temporary files a crash leaves behind.
//!
//! Nothing here deletes a database: a damaged one is renamed aside with a timestamp, so whatever it still
//! holds can be rescued by hand (or by a support request) later.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::media::TEMP_PREFIX;
use super::spend_report::iso8601_utc;
use super::{DATABASE_FILE, MEDIA_DIR, schema};
use crate::error::{CoreError, Result};
use crate::input_images::INPUTS_DIR;

/// The folder of automatic backups, in the library folder.
pub const BACKUPS_DIR: &str = "backups";

/// Backups kept; older ones are removed when a new one is taken (each is a whole copy of the library).
pub const KEEP_BACKUPS: usize = 3;

/// A temporary file younger than this may belong to a job another process (the app, `tokenplan`) is
/// downloading right now, so only older ones are removed.
pub const TEMP_FILE_MIN_AGE: Duration = Duration::from_secs(10 * 60);

/// The file, in the library folder, that says an integrity check found the database damaged (its text is
/// what the check said). While it exists the library is not opened for writing: the app shows its recovery
/// screen and `tokenplan` refuses, until a recovery action (or a check that passes again) removes it.
pub const DAMAGE_MARKER: &str = "library-damaged.txt";

/// The most problems of `quick_check` quoted in an error (a badly damaged file lists thousands).
const PROBLEMS_QUOTED: usize = 3;

/// One automatic backup of the library database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupFile {
    /// The file, relative to the library folder (`backups/library-3-20261205T091555123Z.sqlite3`).
    pub rel_path: String,
    /// The schema version it holds (the one before the migration it was taken for).
    pub schema_version: u32,
    /// When it was taken, epoch ms (from its name's stamp; its modification time if the name has none).
    #[ts(type = "number")]
    pub taken_at_ms: i64,
    /// Its size.
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// How the app has its library open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LibraryMode {
    /// Open and writable: the normal app.
    Normal,
    /// The library could not be opened: the app shows the recovery screen and serves only its commands.
    Recovery,
    /// Opened read-only from the recovery screen: browse and export; nothing can be generated.
    ReadOnly,
}

/// What the recovery screen shows (`get_recovery_state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryState {
    /// How the library is open.
    pub mode: LibraryMode,
    /// Why it could not be opened normally (absent in the normal mode).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The database file.
    pub database_path: String,
    /// The automatic backups, newest first (restoring takes the first).
    pub backups: Vec<BackupFile>,
}

/// A way out of the recovery screen (`recover_library`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RecoveryAction {
    /// Open the library as it is, read-only, to browse and export.
    OpenReadOnly,
    /// Move the database aside and put the newest automatic backup in its place.
    RestoreBackup,
    /// Move the database aside (kept, renamed with a timestamp) and start with an empty library.
    StartNew,
}

/// `20261205T091555123Z`: a UTC timestamp for file names (sortable, no characters Windows forbids).
pub fn file_stamp(now_ms: i64) -> String {
    iso8601_utc(now_ms).chars().filter(|c| !matches!(c, '-' | ':' | '.')).collect()
}

/// Runs SQLite's `PRAGMA quick_check` (every page and index entry is readable and well formed; cheaper than
/// `integrity_check`, which also cross-checks indexes against tables). A damaged file is
/// [`CoreError::LibraryDamaged`] quoting the first problems.
pub fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let damaged = |detail: String| CoreError::LibraryDamaged { path: path.to_path_buf(), detail };
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(|e| damaged(e.to_string()))?;
    let problems = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.take(PROBLEMS_QUOTED + 1).collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| damaged(e.to_string()))?;
    if problems.len() == 1 && problems[0] == "ok" {
        return Ok(());
    }
    let mut detail = problems.iter().take(PROBLEMS_QUOTED).cloned().collect::<Vec<_>>().join("; ");
    if problems.len() > PROBLEMS_QUOTED {
        detail.push_str("; …");
    }
    Err(damaged(format!("the integrity check failed: {detail}")))
}

/// Runs [`quick_check`] over a read-only connection of its own (it reads beside a library in use, thanks
/// to WAL) and records the outcome: a damaged database is marked ([`mark_damaged`]), a sound one clears an
/// earlier mark. Returns how long the check took.
pub fn check_integrity_at(root: &Path) -> Result<Duration> {
    let path = root.join(super::DATABASE_FILE);
    let started = std::time::Instant::now();
    let checked = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| CoreError::LibraryDamaged { path: path.clone(), detail: e.to_string() })
        .and_then(|conn| {
            conn.busy_timeout(Duration::from_secs(5))?;
            quick_check(&conn, &path)
        });
    let took = started.elapsed();
    match checked {
        Ok(()) => {
            clear_damage_mark(root)?;
            tracing::info!(ms = took.as_millis(), "library integrity check: ok");
            Ok(took)
        }
        Err(CoreError::LibraryDamaged { path, detail }) => {
            tracing::error!(%detail, "library integrity check failed");
            mark_damaged(root, &detail)?;
            Err(CoreError::LibraryDamaged { path, detail })
        }
        Err(other) => Err(other),
    }
}

/// Records that the database is damaged ([`DAMAGE_MARKER`]).
pub fn mark_damaged(root: &Path, detail: &str) -> Result<()> {
    let marker = root.join(DAMAGE_MARKER);
    std::fs::write(&marker, detail).map_err(|source| CoreError::MediaFile { path: marker, source })
}

/// What the last integrity check found wrong, while the database is marked damaged.
pub fn damage_found(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join(DAMAGE_MARKER)).ok()
}

/// Forgets a damage mark (the database was replaced, or a check passed again).
pub fn clear_damage_mark(root: &Path) -> Result<()> {
    let marker = root.join(DAMAGE_MARKER);
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CoreError::MediaFile { path: marker, source: e })
        }
        _ => Ok(()),
    }
}

/// Takes a backup of `conn`'s database with SQLite's online backup API when migrations are pending and the
/// database already holds a schema (a new, empty library has nothing to lose). Returns the backup taken.
pub fn backup_before_migration(conn: &Connection, root: &Path, now_ms: i64) -> Result<Option<PathBuf>> {
    let version: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == 0 || schema::migrations().pending_migrations(conn)? <= 0 {
        return Ok(None);
    }
    let dir = root.join(BACKUPS_DIR);
    std::fs::create_dir_all(&dir).map_err(|source| CoreError::MediaFile { path: dir.clone(), source })?;
    let stamp = file_stamp(now_ms);
    let mut target = dir.join(format!("library-{version}-{stamp}.sqlite3"));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("library-{version}-{stamp}-{n}.sqlite3"));
        n += 1;
    }
    // Written under a temporary name: a backup cut by a crash or a full disk is never mistaken for one.
    let temp = dir.join(format!(".{}.part", target.file_name().and_then(|n| n.to_str()).unwrap_or("backup")));
    let copied = conn.backup(rusqlite::MAIN_DB, &temp, None);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    std::fs::rename(&temp, &target)
        .map_err(|source| CoreError::MediaFile { path: target.clone(), source })?;
    tracing::info!(backup = %target.display(), version, "library backed up before migrating");
    for old in backups(root)?.into_iter().skip(KEEP_BACKUPS) {
        let path = root.join(&old.rel_path);
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!(backup = %path.display(), "cannot remove an old backup: {e}");
        }
    }
    Ok(Some(target))
}

/// The automatic backups, newest first.
pub fn backups(root: &Path) -> Result<Vec<BackupFile>> {
    let dir = root.join(BACKUPS_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(CoreError::MediaFile { path: dir, source }),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((version, stamp)) = parse_backup_name(&name) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let taken_at_ms = stamp_ms(&stamp).unwrap_or(modified_ms);
        let backup = BackupFile {
            rel_path: format!("{BACKUPS_DIR}/{name}"),
            schema_version: version,
            taken_at_ms,
            size_bytes: meta.len(),
        };
        found.push((stamp, backup));
    }
    // The stamp sorts as text (fixed width), and breaks ties of one millisecond by its `-n` suffix.
    found.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(found.into_iter().map(|(_, backup)| backup).collect())
}

/// `library-<version>-<stamp>[-n].sqlite3` → (version, stamp with its suffix).
fn parse_backup_name(name: &str) -> Option<(u32, String)> {
    let rest = name.strip_prefix("library-")?.strip_suffix(".sqlite3")?;
    let (version, stamp) = rest.split_once('-')?;
    Some((version.parse().ok()?, stamp.to_owned()))
}

/// The epoch ms of a [`file_stamp`] (`20261205T091555123Z`, maybe with a `-n` suffix).
fn stamp_ms(stamp: &str) -> Option<i64> {
    let digits: String = stamp.chars().take_while(|c| *c != '-').filter(char::is_ascii_digit).collect();
    if digits.len() != 17 {
        return None;
    }
    let field = |from: usize, to: usize| digits.get(from..to)?.parse::<i64>().ok();
    let (year, month, day) = (field(0, 4)?, field(4, 6)?, field(6, 8)?);
    let ms_of_day = ((field(8, 10)? * 60 + field(10, 12)?) * 60 + field(12, 14)?) * 1000 + field(14, 17)?;
    // Howard Hinnant's days-from-civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 + ms_of_day)
}

/// Renames the library database (and its `-wal` and `-shm` companions, which belong to it) to
/// `library-damaged-<stamp>.sqlite3` in the library folder. Returns the new name of the database; `None`
/// when there was no database.
pub fn move_database_aside(root: &Path, now_ms: i64) -> Result<Option<PathBuf>> {
    let database = root.join(DATABASE_FILE);
    if !database.exists() {
        return Ok(None);
    }
    let aside = root.join(format!("library-damaged-{}.sqlite3", file_stamp(now_ms)));
    for suffix in ["-wal", "-shm"] {
        let companion = root.join(format!("{DATABASE_FILE}{suffix}"));
        let target = PathBuf::from(format!("{}{suffix}", aside.display()));
        match std::fs::rename(&companion, &target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(CoreError::MediaFile { path: companion, source: e });
            }
            _ => {}
        }
    }
    std::fs::rename(&database, &aside).map_err(|source| CoreError::MediaFile { path: database, source })?;
    tracing::warn!(aside = %aside.display(), "the library database was moved aside");
    // The mark was about the file that is now aside.
    clear_damage_mark(root)?;
    Ok(Some(aside))
}

/// Puts the newest automatic backup in place of the database, which is moved aside first
/// ([`move_database_aside`]); the backup itself stays. Returns the backup used.
pub fn restore_newest_backup(root: &Path, now_ms: i64) -> Result<BackupFile> {
    let newest = backups(root)?.into_iter().next().ok_or_else(|| CoreError::LibraryDamaged {
        path: root.join(BACKUPS_DIR),
        detail: "there is no automatic backup to restore".into(),
    })?;
    move_database_aside(root, now_ms)?;
    let source = root.join(&newest.rel_path);
    let database = root.join(DATABASE_FILE);
    let temp = root.join(format!(".{DATABASE_FILE}.restore.part"));
    std::fs::copy(&source, &temp).and_then(|_| std::fs::rename(&temp, &database)).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        CoreError::MediaFile { path: database.clone(), source: e }
    })?;
    tracing::warn!(backup = %source.display(), "the library database was restored from a backup");
    Ok(newest)
}

/// Removes temporary files a crash left in `media/` (`.tmp-*`, `*.part`), `inputs/` and `backups/`
/// (`.*.part`) that are older than `min_age` — a younger one may be a download of a job another process is
/// running. Returns the removed files relative to the library folder.
pub fn remove_leftover_temp_files(root: &Path, now: SystemTime, min_age: Duration) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for folder in [MEDIA_DIR, INPUTS_DIR, BACKUPS_DIR] {
        let dir = root.join(folder);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(CoreError::MediaFile { path: dir, source }),
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let temporary = name.starts_with(TEMP_PREFIX)
                || (name.ends_with(".part") && (folder == MEDIA_DIR || name.starts_with('.')));
            if !temporary {
                continue;
            }
            // `symlink_metadata`: a link is judged (and removed) as itself, never followed.
            let Ok(meta) = entry.path().symlink_metadata() else { continue };
            let old_enough = meta
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age >= min_age);
            if !meta.is_file() || !old_enough {
                continue;
            }
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed.push(format!("{folder}/{name}")),
                Err(e) => {
                    tracing::warn!(file = %entry.path().display(), "cannot remove a temporary file: {e}")
                }
            }
        }
    }
    removed.sort();
    if !removed.is_empty() {
        tracing::info!(count = removed.len(), "removed temporary files left by an interrupted run");
    }
    Ok(removed)
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
