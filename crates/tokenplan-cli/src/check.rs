//! `tokenplan check`: the library's health, as the app checks it at start — SQLite's integrity check, the
//! media consistency pass (reported, never deleted) — and the removal of temporary files a crashed run left
//! (only those older than ten minutes: a younger one may be a download another process is making now).

use std::time::SystemTime;

use studio_core::Library;
use studio_core::storage::recovery::{
    TEMP_FILE_MIN_AGE, backups, check_integrity_at, remove_leftover_temp_files,
};

use crate::error::Result;
use crate::session::{Output, Session};

/// Runs the checks and prints what they found. A damaged database is an error (exit code 1) and stays marked
/// damaged until it is repaired (the app's recovery screen); a check that passes clears an earlier mark.
pub fn check(session: &Session, out: &Output) -> Result<()> {
    let root = session.data_dir.root();
    let removed = remove_leftover_temp_files(root, SystemTime::now(), TEMP_FILE_MIN_AGE)?;
    // Opened (created, migrated) first, so a new folder checks as an empty library rather than a missing file.
    if !root.join(studio_core::storage::DATABASE_FILE).exists() {
        drop(Library::open_unchecked_at(root)?);
    }
    let took = check_integrity_at(root)?;
    let (_library, report) = Library::open_at(root)?;
    let backups = backups(root)?;
    let document = serde_json::json!({
        "integrity": "ok",
        "integrityCheckMs": took.as_millis(),
        "removedTempFiles": removed,
        "consistency": report,
        "backups": backups,
    });
    out.print(&document, || {
        let database = root.join(studio_core::storage::DATABASE_FILE);
        let mut lines =
            vec![format!("database: ok ({}, checked in {} ms)", database.display(), took.as_millis())];
        lines.push(format!("temporary files removed: {}", removed.len()));
        lines.push(format!(
            "media: {} missing, {} not in the library, {} temporary (younger than ten minutes)",
            report.missing_files.len(),
            report.unowned_files.len(),
            report.leftover_temp_files.len()
        ));
        lines.push(format!("automatic backups: {}", backups.len()));
        lines.join("\n")
    });
    Ok(())
}
