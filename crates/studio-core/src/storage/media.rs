//! Media: the files a job produced, their rows, and the consistency pass.
//!
//! Files live in `media/` under the data folder and are named from our ids — `<job id>-<ordinal>.<ext>`,
//! the extension chosen from the MIME type by our own table — never from server-supplied strings. They are
//! written to a temporary name in the same folder, flushed, then renamed, so a crash never leaves a
//! half-written file under a real name.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::jobs::{JOB_COLUMNS, Job, JobState, job_from_row};
use super::ledger::{NewSpend, SpendEntry};
use super::{Library, MEDIA_DIR};
use crate::error::{CoreError, Result};

/// The prefix of temporary files in the media folder (the consistency pass reports leftovers).
pub const TEMP_PREFIX: &str = ".tmp-";

/// One stored file of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Media {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// The job that produced it.
    #[ts(type = "number")]
    pub job_id: i64,
    /// Position among the job's files (0, 1, … — e.g. the n images of one call).
    pub ordinal: u32,
    /// Path relative to the data folder, `/`-separated (`media/42-0.mp3`).
    pub rel_path: String,
    /// MIME type.
    pub mime: String,
    /// File size.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// Length of audio or video, when known.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// Width of an image or video, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width_px: Option<u32>,
    /// Height of an image or video, when known.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_px: Option<u32>,
    /// Epoch ms.
    #[ts(type = "number")]
    pub created_at_ms: i64,
}

/// A media row to write (the file is already in place, see [`write_media_file`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    /// Position among the job's files.
    pub ordinal: u32,
    /// From [`StoredFile::rel_path`].
    pub rel_path: String,
    /// MIME type.
    pub mime: String,
    /// From [`StoredFile::size_bytes`].
    pub size_bytes: u64,
    /// Length, when known.
    pub duration_ms: Option<i64>,
    /// Width, when known.
    pub width_px: Option<u32>,
    /// Height, when known.
    pub height_px: Option<u32>,
}

/// A job with its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobWithMedia {
    /// The job.
    pub job: Job,
    /// Its files, by ordinal.
    pub media: Vec<Media>,
}

/// A file renamed into the media folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Relative to the data folder, `/`-separated.
    pub rel_path: String,
    /// Size on disk.
    pub size_bytes: u64,
}

/// A media row whose file is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MissingMediaFile {
    /// The media row.
    #[ts(type = "number")]
    pub media_id: i64,
    /// Its job.
    #[ts(type = "number")]
    pub job_id: i64,
    /// The path the row names.
    pub rel_path: String,
}

/// What the consistency pass found. It only reports; nothing is deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConsistencyReport {
    /// Rows whose file is missing.
    pub missing_files: Vec<MissingMediaFile>,
    /// Files in the media folder that no row owns (relative paths).
    pub unowned_files: Vec<String>,
    /// Temporary files left by an interrupted write (relative paths).
    pub leftover_temp_files: Vec<String>,
}

impl ConsistencyReport {
    /// Whether nothing was found.
    pub fn is_clean(&self) -> bool {
        self.missing_files.is_empty() && self.unowned_files.is_empty() && self.leftover_temp_files.is_empty()
    }
}

/// The file extension for a MIME type, from our own table (`bin` when unknown).
pub fn extension_for_mime(mime: &str) -> &'static str {
    let essence = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "audio/mpeg" | "audio/mp3" => "mp3",
        "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
        "audio/flac" | "audio/x-flac" => "flac",
        "audio/ogg" | "audio/opus" => "ogg",
        "audio/mp4" | "audio/x-m4a" | "audio/aac" => "m4a",
        "audio/pcm" | "audio/l16" => "pcm",
        "video/mp4" => "mp4",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "text/plain" | "text/x-style-tags" => "txt",
        "text/markdown" => "md",
        "application/zip" => "zip",
        "application/json" => "json",
        "application/x-subrip" => "srt",
        "text/vtt" => "vtt",
        "application/x-fcpxml" => "fcpxml",
        "application/x-otio+json" => "otio",
        _ => "bin",
    }
}

/// The relative path of a job's `ordinal`-th file.
pub fn media_rel_path(job_id: i64, ordinal: u32, mime: &str) -> String {
    format!("{MEDIA_DIR}/{job_id}-{ordinal}.{}", extension_for_mime(mime))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh temporary path in the media folder for a job's file. Stream a download into it, then call
/// [`commit_media_file`].
pub fn temp_media_path(root: &Path, job_id: i64, ordinal: u32) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    root.join(MEDIA_DIR).join(format!("{TEMP_PREFIX}{job_id}-{ordinal}-{}-{n}", std::process::id()))
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::MediaFile { path: path.to_path_buf(), source }
}

/// Renames a finished temporary file into its final name (replacing a previous file of the same job and
/// ordinal, e.g. a retried download) and returns its relative path and size.
pub fn commit_media_file(
    root: &Path,
    temp: &Path,
    job_id: i64,
    ordinal: u32,
    mime: &str,
) -> Result<StoredFile> {
    let rel_path = media_rel_path(job_id, ordinal, mime);
    let target = root.join(&rel_path);
    let size_bytes = std::fs::metadata(temp).map_err(io_err(temp))?.len();
    std::fs::rename(temp, &target).map_err(io_err(&target))?;
    Ok(StoredFile { rel_path, size_bytes })
}

/// Copies `reader` to a temporary file in `media/` (created if missing), flushes it to disk and renames it
/// into place. On error the temporary file is removed.
pub fn write_media_file(
    root: &Path,
    job_id: i64,
    ordinal: u32,
    mime: &str,
    reader: &mut impl Read,
) -> Result<StoredFile> {
    let folder = root.join(MEDIA_DIR);
    std::fs::create_dir_all(&folder).map_err(io_err(&folder))?;
    let temp = temp_media_path(root, job_id, ordinal);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create_new(&temp)?;
        std::io::copy(reader, &mut file)?;
        file.flush()?;
        file.sync_all()
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(CoreError::MediaFile { path: temp, source });
    }
    commit_media_file(root, &temp, job_id, ordinal, mime)
}

const MEDIA_COLUMNS: &str =
    "id, job_id, ordinal, rel_path, mime, size_bytes, duration_ms, width_px, height_px, created_at_ms";

fn media_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Media> {
    Ok(Media {
        id: row.get(0)?,
        job_id: row.get(1)?,
        ordinal: row.get(2)?,
        rel_path: row.get(3)?,
        mime: row.get(4)?,
        size_bytes: row.get(5)?,
        duration_ms: row.get(6)?,
        width_px: row.get(7)?,
        height_px: row.get(8)?,
        created_at_ms: row.get(9)?,
    })
}

impl Library {
    /// Finishes a job successfully in **one transaction**: its media rows, its spend entry (if any) and the
    /// move to `succeeded` with `actual_requests`. Returns the job with its media and the spend entry.
    pub fn complete_job(
        &mut self,
        id: i64,
        media: &[NewMedia],
        spend: Option<&NewSpend>,
        actual_requests: Option<u32>,
        at_ms: i64,
    ) -> Result<(JobWithMedia, Option<SpendEntry>)> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO media (job_id, ordinal, rel_path, mime, size_bytes, duration_ms, width_px, height_px, \
                 created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for m in media {
                insert.execute(params![
                    id,
                    m.ordinal,
                    m.rel_path,
                    m.mime,
                    m.size_bytes,
                    m.duration_ms,
                    m.width_px,
                    m.height_px,
                    at_ms
                ])?;
            }
        }
        let entry = match spend {
            Some(s) => Some(super::ledger::insert_spend(&tx, s)?),
            None => None,
        };
        let sql = format!(
            "UPDATE jobs SET state = 'succeeded', updated_at_ms = ?2, finished_at_ms = ?2, \
             actual_requests = COALESCE(?3, actual_requests), error_kind = NULL, error_message = NULL, \
             error_trace_id = NULL WHERE id = ?1 AND state IN ('running','downloading') RETURNING {JOB_COLUMNS}"
        );
        let job = {
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![id, at_ms, actual_requests])?;
            match rows.next()? {
                Some(row) => Some(job_from_row(row)?),
                None => None,
            }
        };
        let Some(job) = job else {
            drop(tx);
            let current = self.job(id)?;
            return Err(CoreError::InvalidTransition {
                job_id: id,
                from: current.state.as_str().into(),
                to: JobState::Succeeded.as_str().into(),
            });
        };
        super::voice_rows::mark_voice_used(&tx, id, at_ms)?;
        let media = media_of(&tx, id)?;
        tx.commit()?;
        Ok((JobWithMedia { job, media }, entry))
    }

    /// One stored file by its row id; `None` when there is no such row (deleted, or trashed).
    pub fn media_by_id(&self, id: i64) -> Result<Option<Media>> {
        let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query_map([id], media_from_row)?;
        Ok(rows.next().transpose()?)
    }

    /// A job with its files.
    pub fn job_with_media(&self, id: i64) -> Result<JobWithMedia> {
        let job = self.job(id)?;
        let media = media_of(&self.conn, id)?;
        Ok(JobWithMedia { job, media })
    }

    /// Deletes a job, its media rows and its history (its spend entries stay, detached: what was spent was
    /// spent). Returns the absolute paths of its files for the caller to remove — see
    /// [`Library::delete_job_and_files`].
    pub fn delete_job(&self, id: i64) -> Result<Vec<PathBuf>> {
        let media = media_of(&self.conn, id)?;
        let deleted = self.conn.prepare_cached("DELETE FROM jobs WHERE id = ?1")?.execute([id])?;
        if deleted == 0 {
            return Err(CoreError::JobNotFound(id));
        }
        Ok(media.iter().map(|m| self.root.join(&m.rel_path)).collect())
    }

    /// Deletes a job and then its files. Files already gone are fine; the first other removal error is
    /// returned after trying every file (the rows are gone by then; the next consistency pass lists the rest).
    pub fn delete_job_and_files(&self, id: i64) -> Result<Vec<PathBuf>> {
        let paths = self.delete_job(id)?;
        let mut first_error = None;
        for path in &paths {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    first_error.get_or_insert(CoreError::MediaFile { path: path.clone(), source });
                }
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(paths),
        }
    }

    /// Compares media rows with the media folder: rows whose files are missing, files no row owns, and
    /// leftover temporary files. Reports only; never deletes.
    pub fn check_consistency(&self) -> Result<ConsistencyReport> {
        let mut report = ConsistencyReport::default();
        let mut owned = HashSet::new();
        let mut stmt = self.conn.prepare("SELECT id, job_id, rel_path FROM media ORDER BY id")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
        for row in rows {
            let (media_id, job_id, rel_path) = row?;
            let path = self.root.join(&rel_path);
            if !path.try_exists().map_err(io_err(&path))? {
                report.missing_files.push(MissingMediaFile { media_id, job_id, rel_path: rel_path.clone() });
            }
            owned.insert(rel_path);
        }
        let dir = self.media_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(report),
            Err(source) => return Err(CoreError::MediaFile { path: dir, source }),
        };
        for entry in entries {
            let entry = entry.map_err(io_err(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel_path = format!("{MEDIA_DIR}/{name}");
            if name.starts_with(TEMP_PREFIX) {
                report.leftover_temp_files.push(rel_path);
            } else if !owned.contains(&rel_path) {
                report.unowned_files.push(rel_path);
            }
        }
        report.unowned_files.sort();
        report.leftover_temp_files.sort();
        Ok(report)
    }
}

fn media_of(conn: &rusqlite::Connection, job_id: i64) -> Result<Vec<Media>> {
    let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE job_id = ?1 ORDER BY ordinal");
    let mut stmt = conn.prepare_cached(&sql)?;
    let media = stmt.query_map([job_id], media_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(media)
}

/// The files of several jobs (one list page) in one query, by job.
pub(crate) fn media_of_jobs(
    conn: &rusqlite::Connection,
    job_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Media>>> {
    let mut by_job: std::collections::HashMap<i64, Vec<Media>> = std::collections::HashMap::new();
    if job_ids.is_empty() {
        return Ok(by_job);
    }
    let marks = vec!["?"; job_ids.len()].join(",");
    let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE job_id IN ({marks}) ORDER BY job_id, ordinal");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(job_ids), media_from_row)?;
    for media in rows {
        let media = media?;
        by_job.entry(media.job_id).or_default().push(media);
    }
    Ok(by_job)
}

#[cfg(test)]
#[path = "media_tests.rs"]
mod tests;
