//! Job queries against in-memory SQLite.

use super::*;
use crate::storage::Library;

pub(crate) fn new_job(modality: Modality, model: &str, prompt: &str, at_ms: i64) -> NewJob {
    NewJob {
        modality,
        model: model.into(),
        params: crate::request::JobParams::seeded(),
        prompt: prompt.into(),
        estimate: Cost::Requests(75),
        key_kind: KeyKind::Plan,
        demo: false,
        state: JobState::Queued,
        created_at_ms: at_ms,
    }
}

fn library() -> (tempfile::TempDir, Library) {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open_in_memory(dir.path()).unwrap();
    (dir, library)
}

#[test]
fn insert_returns_the_whole_row() {
    let (_dir, lib) = library();
    let mut new = new_job(Modality::Video, "MiniMax-Hailuo-2.3", "a cat", 1_000);
    new.estimate = Cost::Unknown { reason: "1080P".into() };
    let job = lib.insert_job(&new).unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.estimate_requests, None, "unknown cost is NULL, not zero");
    assert_eq!(job.params, crate::request::JobParams::seeded());
    assert_eq!((job.created_at_ms, job.updated_at_ms, job.finished_at_ms), (1_000, 1_000, None));
    assert_eq!(lib.job(job.id).unwrap(), job);
    assert!(matches!(lib.job(job.id + 1), Err(CoreError::JobNotFound(_))));
}

#[test]
fn a_video_job_runs_through_its_states_with_one_write_each() {
    let (_dir, lib) = library();
    let job = lib.insert_job(&new_job(Modality::Video, "MiniMax-Hailuo-02", "waves", 10)).unwrap();
    let job = lib.transition(job.id, &Transition::to(JobState::Running, 20)).unwrap();
    assert_eq!(job.state, JobState::Running);
    let job = lib.set_remote_task_id(job.id, "106916112212032", 21).unwrap();
    assert_eq!(job.remote_task_id.as_deref(), Some("106916112212032"));
    let job = lib.transition(job.id, &Transition::to(JobState::Downloading, 30)).unwrap();
    let done = Transition { actual_requests: Some(4_500), ..Transition::to(JobState::Succeeded, 40) };
    let job = lib.transition(job.id, &done).unwrap();
    assert_eq!(
        (job.state, job.actual_requests, job.finished_at_ms),
        (JobState::Succeeded, Some(4_500), Some(40))
    );
    assert_eq!(job.remote_task_id.as_deref(), Some("106916112212032"));

    let history: Vec<_> =
        lib.job_history(job.id).unwrap().into_iter().map(|t| (t.from, t.to, t.at_ms)).collect();
    assert_eq!(
        history,
        [
            (None, JobState::Queued, 10),
            (Some(JobState::Queued), JobState::Running, 20),
            (Some(JobState::Running), JobState::Downloading, 30),
            (Some(JobState::Downloading), JobState::Succeeded, 40),
        ]
    );
}

#[test]
fn forbidden_transitions_leave_the_row_unchanged() {
    let (_dir, lib) = library();
    let job = lib.insert_job(&new_job(Modality::Image, "image-01", "x", 1)).unwrap();
    let err = lib.transition(job.id, &Transition::to(JobState::Succeeded, 2)).unwrap_err();
    assert!(
        matches!(err, CoreError::InvalidTransition { ref from, ref to, .. } if from == "queued" && to == "succeeded")
    );
    assert!(matches!(lib.set_remote_task_id(job.id, "t", 2), Err(CoreError::InvalidTransition { .. })));
    assert_eq!(lib.job(job.id).unwrap(), job);
    assert!(matches!(
        lib.transition(999, &Transition::to(JobState::Running, 2)),
        Err(CoreError::JobNotFound(999))
    ));
    assert_eq!(lib.job_history(job.id).unwrap().len(), 1);
}

#[test]
fn failure_then_retry_clears_the_error_and_key_can_change() {
    let (_dir, lib) = library();
    let job = lib.insert_job(&new_job(Modality::Speech, "speech-2.8-hd", "hi", 1)).unwrap();
    lib.transition(job.id, &Transition::to(JobState::Running, 2)).unwrap();
    let error =
        JobError { kind: IpcErrorKind::QuotaExhausted, message: "wait".into(), trace_id: Some("abc".into()) };
    let failed = lib
        .transition(job.id, &Transition { error: Some(error.clone()), ..Transition::to(JobState::Failed, 3) })
        .unwrap();
    assert_eq!(failed.error, Some(error));
    assert_eq!(failed.finished_at_ms, Some(3));
    let retry = Transition { key_kind: Some(KeyKind::PayAsYouGo), ..Transition::to(JobState::Queued, 4) };
    let queued = lib.transition(job.id, &retry).unwrap();
    assert_eq!((queued.error, queued.key_kind, queued.finished_at_ms), (None, KeyKind::PayAsYouGo, None));
}

#[test]
fn every_transition_in_the_table_is_accepted_and_others_refused() {
    let (_dir, lib) = library();
    for from in JobState::ALL {
        for to in JobState::ALL {
            let mut new = new_job(Modality::Text, "MiniMax-M2.7", "p", 1);
            new.state = from;
            // Insert directly in `from` (bypassing the runner's path) to test the edge in isolation.
            let job = lib.insert_job(&new).unwrap();
            let ok = lib.transition(job.id, &Transition::to(to, 2)).is_ok();
            assert_eq!(ok, to.allowed_from().contains(&from), "{from:?} → {to:?}");
        }
    }
}

#[test]
fn unfinished_jobs_are_listed_for_resume() {
    let (_dir, lib) = library();
    let a = lib.insert_job(&new_job(Modality::Video, "MiniMax-Hailuo-02", "a", 1)).unwrap();
    let b = lib.insert_job(&new_job(Modality::Video, "MiniMax-Hailuo-02", "b", 2)).unwrap();
    lib.transition(b.id, &Transition::to(JobState::Cancelled, 3)).unwrap();
    let c = lib.insert_job(&new_job(Modality::Video, "MiniMax-Hailuo-02", "c", 4)).unwrap();
    lib.transition(c.id, &Transition::to(JobState::Running, 5)).unwrap();
    lib.set_remote_task_id(c.id, "t-c", 6).unwrap();
    let ids: Vec<_> = lib.unfinished_jobs().unwrap().into_iter().map(|j| (j.id, j.remote_task_id)).collect();
    assert_eq!(ids, [(a.id, None), (c.id, Some("t-c".to_owned()))]);
}

#[test]
fn history_pages_follow_the_keyset_without_gaps_or_repeats() {
    let (_dir, lib) = library();
    // Several jobs share a millisecond, so the id must break ties.
    let mut ids = Vec::new();
    for i in 0..25_i64 {
        ids.push(lib.insert_job(&new_job(Modality::Image, "image-01", "p", 1_000 + i / 3)).unwrap().id);
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = lib.list_jobs(&JobFilter::default(), cursor, 4).unwrap();
        seen.extend(page.jobs.iter().map(|j| j.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, every job once");
}

#[test]
fn history_filters() {
    let (_dir, lib) = library();
    let image = lib.insert_job(&new_job(Modality::Image, "image-01", "p", 100)).unwrap();
    let mut demo = new_job(Modality::Video, "MiniMax-Hailuo-02", "p", 200);
    demo.demo = true;
    let demo = lib.insert_job(&demo).unwrap();
    let speech = lib.insert_job(&new_job(Modality::Speech, "speech-2.8-hd", "p", 300)).unwrap();
    lib.transition(speech.id, &Transition::to(JobState::Running, 301)).unwrap();

    let ids = |filter: JobFilter| -> Vec<i64> {
        lib.list_jobs(&filter, None, 50).unwrap().jobs.into_iter().map(|j| j.id).collect()
    };
    assert_eq!(ids(JobFilter { modality: Some(Modality::Image), ..Default::default() }), [image.id]);
    assert_eq!(ids(JobFilter { model: Some("MiniMax-Hailuo-02".into()), ..Default::default() }), [demo.id]);
    assert_eq!(ids(JobFilter { state: Some(JobState::Running), ..Default::default() }), [speech.id]);
    assert_eq!(ids(JobFilter { demo: Some(true), ..Default::default() }), [demo.id]);
    assert_eq!(ids(JobFilter { demo: Some(false), ..Default::default() }), [speech.id, image.id]);
    let range = JobFilter { created_from_ms: Some(200), created_before_ms: Some(300), ..Default::default() };
    assert_eq!(ids(range), [demo.id]);
    let none = JobFilter { modality: Some(Modality::Music), ..Default::default() };
    assert_eq!(lib.list_jobs(&none, None, 50).unwrap(), JobPage { jobs: vec![], next: None });
}

#[test]
fn prompt_search_follows_inserts_updates_and_deletes() {
    let (_dir, lib) = library();
    let cat =
        lib.insert_job(&new_job(Modality::Image, "image-01", "A cat in a spacesuit on Mars", 1)).unwrap();
    let dog = lib.insert_job(&new_job(Modality::Image, "image-01", "A dog surfing; café scene", 2)).unwrap();
    let found = |q: &str| -> Vec<i64> {
        lib.search_jobs(q, None, 10).unwrap().jobs.into_iter().map(|j| j.id).collect()
    };
    assert_eq!(found("spacesuit"), [cat.id]);
    assert_eq!(found("spa"), Vec::<i64>::new(), "whole words by default");
    assert_eq!(found("spa*"), [cat.id], "a trailing star asks for a prefix");
    assert_eq!(found("*"), Vec::<i64>::new());
    assert_eq!(found("a"), [dog.id, cat.id], "newest first");
    assert_eq!(fts_query(r#"say "hi" spa** x"#).unwrap(), r#""say" """hi""" "spa"* "x""#);
    assert_eq!(found("cafe"), [dog.id], "diacritics folded");
    assert_eq!(found("CAT mars"), [cat.id], "all words must match");
    assert_eq!(found("\"cat\" OR -dog*"), Vec::<i64>::new(), "operators are text");
    assert_eq!(found("   "), Vec::<i64>::new());

    lib.conn.execute("UPDATE jobs SET prompt = 'a horse' WHERE id = ?1", [cat.id]).unwrap();
    assert_eq!(found("spacesuit"), Vec::<i64>::new());
    assert_eq!(found("horse"), [cat.id]);
    lib.delete_job(dog.id).unwrap();
    assert_eq!(found("dog"), Vec::<i64>::new());

    // Paging through matches by id.
    for i in 0..5 {
        lib.insert_job(&new_job(Modality::Text, "MiniMax-M2.7", &format!("story {i}"), 10 + i)).unwrap();
    }
    let first = lib.search_jobs("story", None, 3).unwrap();
    let second = lib.search_jobs("story", first.next.map(|c| c.id), 3).unwrap();
    assert_eq!((first.jobs.len(), second.jobs.len()), (3, 2));
    assert!(second.jobs.iter().all(|j| j.id < first.jobs[2].id));
}

#[test]
fn jobs_serialise_in_camel_case() {
    let (_dir, lib) = library();
    let job = lib.insert_job(&new_job(Modality::SpeechAsync, "speech-2.6-hd", "p", 1)).unwrap();
    let value = serde_json::to_value(&job).unwrap();
    assert_eq!(value["modality"], "speechAsync");
    assert_eq!(value["state"], "queued");
    assert_eq!(value["keyKind"], "plan");
    assert_eq!(value["estimateRequests"], 75);
    assert!(value.get("remoteTaskId").is_none());
}

#[test]
fn batch_insert_feeds_history_and_search() {
    let (_dir, mut lib) = library();
    let jobs: Vec<_> =
        (0..10).map(|i| new_job(Modality::Image, "image-01", &format!("batch {i}"), i)).collect();
    assert_eq!(lib.insert_jobs(&jobs).unwrap(), 10);
    assert_eq!(lib.list_jobs(&JobFilter::default(), None, 100).unwrap().jobs.len(), 10);
    assert_eq!(lib.search_jobs("batch", None, 100).unwrap().jobs.len(), 10);
    assert_eq!(lib.job_history(1).unwrap().len(), 1, "history rows are written for batch inserts too");
}

/// The history queries must walk an index in order, never sort the table: the benchmark's figures rest on it.
#[test]
fn history_queries_use_indexes_not_sorts() {
    let (_dir, lib) = library();
    let plan = |sql: &str| -> String {
        let mut stmt = lib.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<Vec<_>>>().unwrap().join(" | ")
    };
    let order = "ORDER BY created_at_ms DESC, id DESC LIMIT 50";
    for (filter, index) in [
        ("", "jobs_by_created"),
        ("WHERE (created_at_ms, id) < (5, 5)", "jobs_by_created"),
        ("WHERE modality = 'video' AND (created_at_ms, id) < (5, 5)", "jobs_by_modality"),
        ("WHERE model = 'image-01'", "jobs_by_model"),
        ("WHERE state = 'failed'", "jobs_by_state"),
    ] {
        let got = plan(&format!("SELECT id FROM jobs {filter} {order}"));
        assert!(got.contains(index) && !got.contains("TEMP B-TREE"), "{filter}: {got}");
    }
    let unfinished = plan("SELECT id FROM jobs WHERE state IN ('queued','running') ORDER BY id");
    assert!(unfinished.contains("jobs_by_state"), "{unfinished}");
    let window = plan(
        "SELECT cumulative_requests FROM spend WHERE key_kind = 'plan' AND demo = 0 AND at_ms <= 5 ORDER BY at_ms DESC, id DESC LIMIT 1",
    );
    assert!(window.contains("spend_by_time") && !window.contains("TEMP B-TREE"), "{window}");
}
