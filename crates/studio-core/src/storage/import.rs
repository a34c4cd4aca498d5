//! Bulk import of finished generations (demo seeding, benchmarks, future imports): jobs, their media rows and
//! spend entries in one transaction. The files must already be in the media folder.

use rusqlite::params;

use super::Library;
use super::ledger::insert_spend;
use super::{NewJob, NewMedia, NewSpend};
use crate::error::Result;

/// One finished generation to import.
#[derive(Debug, Clone, PartialEq)]
pub struct FinishedGeneration {
    /// The job (its `state` should be a finished one, usually `succeeded`).
    pub job: NewJob,
    /// Billed requests.
    pub actual_requests: Option<u32>,
    /// Its files; `rel_path`s may use `{id}`, replaced by the new job id.
    pub media: Vec<NewMedia>,
    /// Its spend entry (`job_id` is set to the new id).
    pub spend: Option<NewSpend>,
}

impl Library {
    /// Imports generations in one transaction; returns their new ids in order.
    pub fn import_finished(&mut self, generations: &[FinishedGeneration]) -> Result<Vec<i64>> {
        let tx = self.conn.transaction()?;
        let mut ids = Vec::with_capacity(generations.len());
        {
            let mut insert_job = tx.prepare_cached(
                "INSERT INTO jobs (modality, model, params_json, prompt, state, estimate_requests, actual_requests, \
                 key_kind, demo, created_at_ms, updated_at_ms, finished_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?10) RETURNING id",
            )?;
            let mut insert_media = tx.prepare_cached(
                "INSERT INTO media (job_id, ordinal, rel_path, mime, size_bytes, duration_ms, width_px, height_px, \
                 created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for generation in generations {
                let new = &generation.job;
                let id: i64 = insert_job.query_row(
                    params![
                        new.modality.as_str(),
                        new.model,
                        super::jobs::params_json(&new.params)?,
                        new.prompt,
                        new.state.as_str(),
                        new.estimate.requests(),
                        generation.actual_requests,
                        new.key_kind.as_str(),
                        new.demo,
                        new.created_at_ms,
                    ],
                    |r| r.get(0),
                )?;
                for m in &generation.media {
                    insert_media.execute(params![
                        id,
                        m.ordinal,
                        m.rel_path.replace("{id}", &id.to_string()),
                        m.mime,
                        m.size_bytes,
                        m.duration_ms,
                        m.width_px,
                        m.height_px,
                        new.created_at_ms
                    ])?;
                }
                if let Some(spend) = &generation.spend {
                    insert_spend(
                        &tx,
                        &NewSpend {
                            charge_key: None,
                            basis: crate::storage::SpendBasis::Billed,
                            job_id: Some(id),
                            ..spend.clone()
                        },
                    )?;
                }
                ids.push(id);
            }
        }
        tx.commit()?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modality::Modality;
    use crate::pricing::Cost;
    use crate::storage::{JobState, KeyKind};

    #[test]
    fn generations_import_with_media_and_spend_under_their_new_ids() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open_in_memory(dir.path()).unwrap();
        let generation = FinishedGeneration {
            job: NewJob {
                modality: Modality::Image,
                model: "image-01".into(),
                params: crate::request::JobParams::seeded(),
                prompt: "seeded fox".into(),
                estimate: Cost::Requests(50),
                key_kind: KeyKind::Plan,
                demo: true,
                state: JobState::Succeeded,
                created_at_ms: 1_000,
            },
            actual_requests: Some(50),
            media: vec![NewMedia {
                ordinal: 0,
                rel_path: "media/{id}-0.png".into(),
                mime: "image/png".into(),
                size_bytes: 3,
                duration_ms: None,
                width_px: Some(1),
                height_px: Some(1),
            }],
            spend: Some(NewSpend {
                charge_key: None,
                basis: crate::storage::SpendBasis::Billed,
                job_id: None,
                modality: Modality::Image,
                model: "image-01".into(),
                key_kind: KeyKind::Plan,
                demo: false,
                requests: 50,
                units: 1,
                at_ms: 1_000,
            }),
        };
        let ids = lib.import_finished(&[generation.clone(), generation]).unwrap();
        assert_eq!(ids.len(), 2);
        let second = lib.job_with_media(ids[1]).unwrap();
        assert_eq!(second.job.state, JobState::Succeeded);
        assert_eq!(second.media[0].rel_path, format!("media/{}-0.png", ids[1]));
        assert_eq!(
            lib.spend_between(0, i64::MAX).unwrap().iter().map(|s| s.cumulative_requests).collect::<Vec<_>>(),
            [50, 100]
        );
        assert_eq!(lib.search_jobs("fox", None, 10).unwrap().jobs.len(), 2);
    }
}
