//! Exporting generations: their files plus a JSON sidecar with everything needed to understand or re-run
//! them (parameters, model, cost, timings, trace of states).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Library;
use super::jobs::{Job, JobTransitionRecord};
use super::media::Media;
use crate::error::{CoreError, Result};

/// What the sidecar holds.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Sidecar<'a> {
    exported_by: &'static str,
    job: &'a Job,
    files: Vec<SidecarFile<'a>>,
    history: &'a [JobTransitionRecord],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SidecarFile<'a> {
    name: String,
    #[serde(flatten)]
    media: &'a Media,
}

/// The name an exported file gets: the job id, the ordinal and the extension of the stored file.
fn exported_name(media: &Media) -> String {
    media.rel_path.rsplit('/').next().unwrap_or(&media.rel_path).to_owned()
}

impl Library {
    /// Copies each job's files into `dest` (created if missing) with a `<id>.json` sidecar beside them; returns
    /// every path written. Existing files of the same name are replaced.
    pub fn export_jobs(&self, ids: &[i64], dest: &Path) -> Result<Vec<PathBuf>> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CoreError::MediaFile { path, source }
        };
        std::fs::create_dir_all(dest).map_err(io(dest))?;
        let mut written = Vec::new();
        for &id in ids {
            let with_media = self.job_with_media(id)?;
            let history = self.job_history(id)?;
            let mut files = Vec::with_capacity(with_media.media.len());
            for media in &with_media.media {
                let name = exported_name(media);
                let target = dest.join(&name);
                std::fs::copy(self.root.join(&media.rel_path), &target).map_err(io(&target))?;
                written.push(target);
                files.push(SidecarFile { name, media });
            }
            let sidecar =
                Sidecar { exported_by: "Token Plan Studio", job: &with_media.job, files, history: &history };
            let path = dest.join(format!("{id}.json"));
            std::fs::write(&path, serde_json::to_vec_pretty(&sidecar)?).map_err(io(&path))?;
            written.push(path);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modality::Modality;
    use crate::pricing::Cost;
    use crate::storage::media::write_media_file;
    use crate::storage::{JobState, KeyKind, NewJob, NewMedia, Transition};

    #[test]
    fn files_and_a_sidecar_with_the_parameters_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let params = serde_json::json!({
            "kind": "speech", "model": "speech-2.8-hd", "voiceId": "English_Graceful_Lady", "text": "Hi",
            "delivery": "sync", "subtitles": false
        });
        let job = lib
            .insert_job(&NewJob {
                modality: Modality::Speech,
                model: "speech-2.8-hd".into(),
                params: serde_json::from_value(params.clone()).unwrap(),
                prompt: "Hi".into(),
                estimate: Cost::Requests(2),
                key_kind: KeyKind::Plan,
                demo: true,
                state: JobState::Queued,
                created_at_ms: 10,
            })
            .unwrap();
        lib.transition(job.id, &Transition::to(JobState::Running, 11)).unwrap();
        let stored = write_media_file(lib.root(), job.id, 0, "audio/mpeg", &mut &b"ID3 audio"[..]).unwrap();
        let media = NewMedia {
            ordinal: 0,
            rel_path: stored.rel_path,
            mime: "audio/mpeg".into(),
            size_bytes: 9,
            duration_ms: Some(1_000),
            width_px: None,
            height_px: None,
        };
        lib.complete_job(job.id, &[media], None, Some(2), 12).unwrap();

        let out = dir.path().join("export");
        let written = lib.export_jobs(&[job.id], &out).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(std::fs::read(out.join(format!("{}-0.mp3", job.id))).unwrap(), b"ID3 audio");
        let sidecar: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("{}.json", job.id))).unwrap()).unwrap();
        assert_eq!(sidecar["job"]["params"], params, "enough to re-run it");
        assert_eq!(sidecar["job"]["model"], "speech-2.8-hd");
        assert_eq!(sidecar["job"]["actualRequests"], 2);
        assert_eq!(sidecar["files"][0]["name"], format!("{}-0.mp3", job.id));
        assert_eq!(sidecar["files"][0]["mime"], "audio/mpeg");
        assert_eq!(sidecar["history"].as_array().unwrap().len(), 3);
    }
}
