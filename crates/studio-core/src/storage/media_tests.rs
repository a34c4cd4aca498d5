//! Media rows, atomic writes and the consistency pass.

use super::*;
use crate::modality::Modality;
use crate::pricing::Cost;
use crate::storage::jobs::{KeyKind, NewJob, Transition};

fn running_job(lib: &Library, modality: Modality) -> Job {
    let job = lib
        .insert_job(&NewJob {
            modality,
            model: "image-01".into(),
            params: crate::request::JobParams::seeded(),
            prompt: "p".into(),
            estimate: Cost::Requests(150),
            key_kind: KeyKind::Plan,
            demo: false,
            state: JobState::Queued,
            created_at_ms: 1,
        })
        .unwrap();
    lib.transition(job.id, &Transition::to(JobState::Running, 2)).unwrap()
}

fn stored_media(root: &Path, job_id: i64, ordinal: u32, bytes: &[u8]) -> NewMedia {
    let file = write_media_file(root, job_id, ordinal, "image/png", &mut &bytes[..]).unwrap();
    NewMedia {
        ordinal,
        rel_path: file.rel_path,
        mime: "image/png".into(),
        size_bytes: file.size_bytes,
        duration_ms: None,
        width_px: Some(1024),
        height_px: Some(1024),
    }
}

#[test]
fn files_are_named_from_our_ids_and_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let (_lib, _) = Library::open_at(dir.path()).unwrap();
    let file =
        write_media_file(dir.path(), 42, 1, "audio/mpeg; charset=binary", &mut &b"ID3abc"[..]).unwrap();
    assert_eq!(file, StoredFile { rel_path: "media/42-1.mp3".into(), size_bytes: 6 });
    assert_eq!(std::fs::read(dir.path().join("media/42-1.mp3")).unwrap(), b"ID3abc");
    // A rewrite (a retried download) replaces the file; no temp file is left behind.
    write_media_file(dir.path(), 42, 1, "audio/mpeg", &mut &b"new"[..]).unwrap();
    assert_eq!(std::fs::read(dir.path().join("media/42-1.mp3")).unwrap(), b"new");
    let names: Vec<_> =
        std::fs::read_dir(dir.path().join("media")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["42-1.mp3"]);
    assert_eq!(media_rel_path(7, 0, "application/x-unknown"), "media/7-0.bin");
    assert_eq!(extension_for_mime("VIDEO/MP4"), "mp4");
    // An imported music bed keeps its kind (the player and ffmpeg go by the extension).
    assert_eq!(extension_for_mime("audio/mp4"), "m4a");
}

#[test]
fn a_failing_reader_leaves_no_file() {
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("cut connection"))
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(MEDIA_DIR)).unwrap();
    let err = write_media_file(dir.path(), 1, 0, "video/mp4", &mut Broken).unwrap_err();
    assert!(matches!(err, CoreError::MediaFile { .. }));
    assert_eq!(std::fs::read_dir(dir.path().join(MEDIA_DIR)).unwrap().count(), 0);
}

#[test]
fn completing_a_job_writes_media_spend_and_state_together() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, _) = Library::open_at(dir.path()).unwrap();
    let job = running_job(&lib, Modality::Image);
    let media = [stored_media(dir.path(), job.id, 0, b"one"), stored_media(dir.path(), job.id, 1, b"two!")];
    let spend = NewSpend {
        charge_key: None,
        basis: crate::storage::SpendBasis::Billed,
        job_id: Some(job.id),
        modality: Modality::Image,
        model: "image-01".into(),
        key_kind: KeyKind::Plan,
        demo: false,
        requests: 150,
        units: 2,
        at_ms: 9,
    };
    let (done, entry) = lib.complete_job(job.id, &media, Some(&spend), Some(150), 9).unwrap();
    assert_eq!((done.job.state, done.job.actual_requests), (JobState::Succeeded, Some(150)));
    assert_eq!(done.media.iter().map(|m| (m.ordinal, m.size_bytes)).collect::<Vec<_>>(), [(0, 3), (1, 4)]);
    assert_eq!(entry.unwrap().cumulative_requests, 150);
    assert_eq!(lib.job_with_media(job.id).unwrap(), done);

    // Completing again is refused and rolls back: no second spend entry, no duplicate media.
    let again = lib.complete_job(job.id, &[], Some(&spend), None, 10);
    assert!(matches!(again, Err(CoreError::InvalidTransition { .. })));
    assert_eq!(lib.used_in_window(KeyKind::Plan, 10, 100).unwrap(), 150);
}

#[test]
fn deleting_a_job_returns_and_removes_its_files_but_keeps_spend() {
    let dir = tempfile::tempdir().unwrap();
    let (mut lib, _) = Library::open_at(dir.path()).unwrap();
    let job = running_job(&lib, Modality::Image);
    let media = [stored_media(dir.path(), job.id, 0, b"x")];
    let spend = NewSpend {
        charge_key: None,
        basis: crate::storage::SpendBasis::Billed,
        job_id: Some(job.id),
        modality: Modality::Image,
        model: "image-01".into(),
        key_kind: KeyKind::Plan,
        demo: false,
        requests: 75,
        units: 1,
        at_ms: 5,
    };
    lib.complete_job(job.id, &media, Some(&spend), Some(75), 5).unwrap();
    let paths = lib.delete_job_and_files(job.id).unwrap();
    assert_eq!(paths, [dir.path().join(format!("media/{}-0.png", job.id))]);
    assert!(!paths[0].exists());
    assert!(matches!(lib.job_with_media(job.id), Err(CoreError::JobNotFound(_))));
    assert!(matches!(lib.delete_job(job.id), Err(CoreError::JobNotFound(_))));
    let spent = lib.spend_between(0, 100).unwrap();
    assert_eq!((spent.len(), spent[0].job_id), (1, None), "spend survives, detached");
    assert!(lib.check_consistency().unwrap().is_clean());
}

#[test]
fn consistency_pass_reports_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let job_id;
    {
        let (mut lib, report) = Library::open_at(dir.path()).unwrap();
        assert!(report.is_clean());
        let job = running_job(&lib, Modality::Image);
        job_id = job.id;
        let media = [stored_media(dir.path(), job.id, 0, b"a"), stored_media(dir.path(), job.id, 1, b"b")];
        lib.complete_job(job.id, &media, None, None, 3).unwrap();
    }
    std::fs::remove_file(dir.path().join(format!("media/{job_id}-1.png"))).unwrap();
    std::fs::write(dir.path().join("media/stray.mp4"), b"?").unwrap();
    std::fs::write(dir.path().join("media/.tmp-9-0-1-1"), b"?").unwrap();

    let (_lib, report) = Library::open_at(dir.path()).unwrap();
    assert_eq!(report.missing_files.len(), 1);
    assert_eq!(report.missing_files[0].rel_path, format!("media/{job_id}-1.png"));
    assert_eq!(report.unowned_files, ["media/stray.mp4"]);
    assert_eq!(report.leftover_temp_files, ["media/.tmp-9-0-1-1"]);
    assert!(dir.path().join("media/stray.mp4").exists() && dir.path().join("media/.tmp-9-0-1-1").exists());
    assert!(dir.path().join(format!("media/{job_id}-0.png")).exists());

    // The app opens without the pass and runs it beside the open library, on a reading connection.
    let in_use = Library::open_unchecked_at(dir.path()).unwrap();
    let beside = Library::check_consistency_at(dir.path()).unwrap();
    assert_eq!(beside, report);
    drop(in_use);
}
