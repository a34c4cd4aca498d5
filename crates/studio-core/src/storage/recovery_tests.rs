use std::time::{Duration, SystemTime};

use rusqlite::Connection;

use super::*;
use crate::Library;
use crate::storage::{DATABASE_FILE, MEDIA_DIR};

/// A library whose schema stops at version 1, with one job row, as an older app left it.
fn library_at_version_1(root: &Path) {
    let mut conn = Connection::open(root.join(DATABASE_FILE)).unwrap();
    schema::migrations().to_version(&mut conn, 1).unwrap();
    conn.execute_batch(
        "INSERT INTO jobs (modality, model, params_json, prompt, state, key_kind, created_at_ms, updated_at_ms) \
         VALUES ('image', 'image-01', '{\"seeded\": true}', 'a lighthouse', 'succeeded', 'plan', 1, 1);",
    )
    .unwrap();
}

fn job_count(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("SELECT COUNT(*) FROM jobs", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_is_taken_before_migrating_and_holds_the_old_schema() {
    let dir = tempfile::tempdir().unwrap();
    library_at_version_1(dir.path());
    let library = Library::open_unchecked_at(dir.path()).unwrap();
    drop(library);
    let found = backups(dir.path()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].schema_version, 1);
    assert!(found[0].rel_path.starts_with("backups/library-1-"), "{:?}", found[0]);
    let backup = dir.path().join(&found[0].rel_path);
    let version: u32 =
        Connection::open(&backup).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1, "the backup is the library as it was before the migration");
    assert_eq!(job_count(&backup), 1);
    // Up to date now: opening again takes no second backup.
    drop(Library::open_unchecked_at(dir.path()).unwrap());
    assert_eq!(backups(dir.path()).unwrap().len(), 1);
}

#[test]
fn a_new_library_needs_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open_unchecked_at(dir.path()).unwrap());
    assert!(backups(dir.path()).unwrap().is_empty());
    assert!(!dir.path().join(BACKUPS_DIR).exists());
}

#[test]
fn only_the_newest_backups_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    library_at_version_1(dir.path());
    let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    for n in 0..5 {
        backup_before_migration(&conn, dir.path(), 1_733_390_000_000 + n).unwrap().unwrap();
    }
    let kept = backups(dir.path()).unwrap();
    assert_eq!(kept.len(), KEEP_BACKUPS);
    assert_eq!(kept[0].taken_at_ms, 1_733_390_000_004, "newest first, time read back from the name");
    assert_eq!(kept[2].taken_at_ms, 1_733_390_000_002);
    assert_eq!(file_stamp(1_733_390_000_004), "20241205T091320004Z");
}

#[test]
fn a_damaged_file_is_reported_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DATABASE_FILE), vec![0x5Au8; 8192]).unwrap();
    let err = Library::open_unchecked_at(dir.path()).unwrap_err();
    assert!(matches!(err, CoreError::LibraryDamaged { .. }), "{err:?}");
    assert!(err.to_string().contains(DATABASE_FILE), "{err}");
}

#[test]
fn a_failed_integrity_check_marks_the_library_until_it_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    drop(Library::open_unchecked_at(dir.path()).unwrap());
    assert!(check_integrity_at(dir.path()).is_ok());
    assert_eq!(damage_found(dir.path()), None);
    corrupt_a_page(&dir.path().join(DATABASE_FILE));
    let err = check_integrity_at(dir.path()).unwrap_err();
    assert!(matches!(err, CoreError::LibraryDamaged { .. }), "{err:?}");
    assert!(damage_found(dir.path()).is_some());
    // Marked: nothing opens it for writing (the app shows recovery, tokenplan refuses).
    let refused = Library::open_unchecked_at(dir.path()).unwrap_err();
    assert!(matches!(refused, CoreError::LibraryDamaged { .. }), "{refused:?}");
    // Starting a new library moves the damaged file, and its mark, aside.
    move_database_aside(dir.path(), 1).unwrap();
    assert_eq!(damage_found(dir.path()), None);
    drop(Library::open_unchecked_at(dir.path()).unwrap());
}

/// Scribbles over a page in the middle of a database with a table and an index, as a failing disk would.
fn corrupt_a_page(path: &Path) {
    {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch("CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);").unwrap();
        let mut insert = conn.prepare("INSERT INTO t VALUES (?1)").unwrap();
        for n in 0..2000 {
            insert.execute([format!("row {n} {}", "x".repeat(40))]).unwrap();
        }
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let mut bytes = std::fs::read(path).unwrap();
    let page_size = 4096;
    let page = page_size * (bytes.len() / page_size / 2);
    bytes[page..page + page_size].fill(0xA5);
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_corrupted_page_fails_the_quick_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    corrupt_a_page(&path);
    let conn = Connection::open(&path).unwrap();
    let err = quick_check(&conn, &path).unwrap_err();
    assert!(matches!(err, CoreError::LibraryDamaged { .. }), "{err:?}");
}

#[test]
fn moving_aside_keeps_the_old_file_and_a_new_library_starts() {
    let dir = tempfile::tempdir().unwrap();
    library_at_version_1(dir.path());
    std::fs::write(dir.path().join(format!("{DATABASE_FILE}-wal")), b"wal").unwrap();
    let aside = move_database_aside(dir.path(), 1_733_390_000_000).unwrap().unwrap();
    assert_eq!(aside.file_name().unwrap(), "library-damaged-20241205T091320000Z.sqlite3");
    assert!(PathBuf::from(format!("{}-wal", aside.display())).exists(), "its WAL goes with it");
    assert_eq!(job_count(&aside), 1, "nothing deleted");
    assert!(!dir.path().join(DATABASE_FILE).exists());
    let (library, _) = Library::open_at(dir.path()).unwrap();
    assert_eq!(library.list_jobs(&Default::default(), None, 10).unwrap().jobs.len(), 0, "a fresh library");
    assert_eq!(move_database_aside(tempfile::tempdir().unwrap().path(), 1).unwrap(), None);
}

#[test]
fn restoring_puts_the_newest_backup_in_place() {
    let dir = tempfile::tempdir().unwrap();
    library_at_version_1(dir.path());
    drop(Library::open_unchecked_at(dir.path()).unwrap());
    std::fs::write(dir.path().join(DATABASE_FILE), b"garbage").unwrap();
    assert!(Library::open_unchecked_at(dir.path()).is_err());
    let used = restore_newest_backup(dir.path(), 1_733_390_000_000).unwrap();
    assert_eq!(used.schema_version, 1);
    assert!(dir.path().join(&used.rel_path).exists(), "the backup stays");
    assert!(dir.path().join("library-damaged-20241205T091320000Z.sqlite3").exists(), "the damaged file too");
    let library = Library::open_unchecked_at(dir.path()).unwrap();
    assert_eq!(library.list_jobs(&Default::default(), None, 10).unwrap().jobs.len(), 1);

    let empty = tempfile::tempdir().unwrap();
    let err = restore_newest_backup(empty.path(), 1).unwrap_err();
    assert!(err.to_string().contains("no automatic backup"), "{err}");
}

#[test]
fn a_read_only_library_can_be_browsed_but_not_written() {
    let dir = tempfile::tempdir().unwrap();
    library_at_version_1(dir.path());
    drop(Library::open_unchecked_at(dir.path()).unwrap());
    let library = Library::open_read_only_at(dir.path()).unwrap();
    assert_eq!(library.list_jobs(&Default::default(), None, 10).unwrap().jobs.len(), 1);
    let write = library.conn.execute("DELETE FROM jobs", []);
    assert!(write.is_err(), "read-only: {write:?}");
}

#[test]
fn only_old_temporary_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in [MEDIA_DIR, INPUTS_DIR, BACKUPS_DIR] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    let files = [
        "media/.tmp-9-0-123-0",
        "media/9-0.mp3.part",
        "inputs/.1-a.png.part",
        "backups/.library-3-x.sqlite3.part",
        "media/9-0.mp3",
        "inputs/1-a.png",
        "inputs/notes.part",
    ];
    for file in files {
        std::fs::write(root.join(file), b"x").unwrap();
    }
    // Just written: they may belong to a job another process is downloading right now.
    let now = SystemTime::now();
    assert!(remove_leftover_temp_files(root, now, TEMP_FILE_MIN_AGE).unwrap().is_empty());
    // Eleven minutes later they are leftovers of a crash; our own named files stay.
    let later = now + Duration::from_secs(11 * 60);
    let removed = remove_leftover_temp_files(root, later, TEMP_FILE_MIN_AGE).unwrap();
    assert_eq!(
        removed,
        [
            "backups/.library-3-x.sqlite3.part",
            "inputs/.1-a.png.part",
            "media/.tmp-9-0-123-0",
            "media/9-0.mp3.part"
        ]
    );
    for kept in ["media/9-0.mp3", "inputs/1-a.png", "inputs/notes.part"] {
        assert!(root.join(kept).exists(), "{kept} is not a temporary file");
    }
}
