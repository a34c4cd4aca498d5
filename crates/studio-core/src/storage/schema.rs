//! The library schema as an append-only list of migrations.
//!
//! **Never edit or reorder a migration that has shipped**; add a new one at the end. `rusqlite_migration`
//! applies every pending migration in one transaction and records the version in `PRAGMA user_version`.
//!
//! Conventions (ARCHITECTURE.md, "Storage"): timestamps are `*_ms INTEGER` (epoch milliseconds), quota in
//! whole requests, column names carry their units, tables are `STRICT`.

use rusqlite_migration::{M, Migrations};

/// Version 1: jobs, their state history, media, the spend ledger, server quota snapshots, prompt search.
const V1_LIBRARY: &str = r#"
CREATE TABLE jobs (
    id                 INTEGER PRIMARY KEY,
    modality           TEXT    NOT NULL CHECK (modality IN ('text','speech','speechAsync','image','video','music','lyrics')),
    model              TEXT    NOT NULL,
    params_json        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params_json)),
    prompt             TEXT    NOT NULL DEFAULT '',
    state              TEXT    NOT NULL CHECK (state IN ('queued','waitingForQuota','running','downloading','succeeded','failed','cancelled','interrupted')),
    estimate_requests  INTEGER CHECK (estimate_requests >= 0),   -- NULL: cost unknown (never zero by default)
    actual_requests    INTEGER CHECK (actual_requests >= 0),     -- NULL until the job is billed or settled
    key_kind           TEXT    NOT NULL CHECK (key_kind IN ('plan','payAsYouGo')),
    remote_task_id     TEXT,
    error_kind         TEXT,
    error_message      TEXT,
    error_trace_id     TEXT,
    demo               INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at_ms      INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    finished_at_ms     INTEGER
) STRICT;
-- History pages (newest first) and their filters; keyset pagination on (created_at_ms, id).
CREATE INDEX jobs_by_created       ON jobs (created_at_ms, id);
CREATE INDEX jobs_by_modality      ON jobs (modality, created_at_ms, id);
CREATE INDEX jobs_by_model         ON jobs (model, created_at_ms, id);
-- The state filter of the history, and resume at launch (the few unfinished jobs) without a scan.
CREATE INDEX jobs_by_state         ON jobs (state, created_at_ms, id);

CREATE TABLE job_transitions (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    from_state  TEXT,               -- NULL for the insert
    to_state    TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL
) STRICT;
CREATE INDEX job_transitions_by_job ON job_transitions (job_id, id);

-- The history is written by triggers, so a transition stays one UPDATE statement.
CREATE TRIGGER jobs_history_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO job_transitions (job_id, from_state, to_state, at_ms) VALUES (new.id, NULL, new.state, new.created_at_ms);
END;
CREATE TRIGGER jobs_history_update AFTER UPDATE OF state ON jobs WHEN old.state IS NOT new.state BEGIN
    INSERT INTO job_transitions (job_id, from_state, to_state, at_ms) VALUES (new.id, old.state, new.state, new.updated_at_ms);
END;

CREATE TABLE media (
    id             INTEGER PRIMARY KEY,
    job_id         INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL CHECK (ordinal >= 0),
    rel_path       TEXT    NOT NULL UNIQUE,   -- relative to the data folder, '/'-separated
    mime           TEXT    NOT NULL,
    size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0),
    duration_ms    INTEGER,
    width_px       INTEGER,
    height_px      INTEGER,
    created_at_ms  INTEGER NOT NULL,
    UNIQUE (job_id, ordinal)
) STRICT;

-- One row per billed request. cumulative_requests is the running total per key kind in (at_ms, id)
-- order, so a window sum is two index look-ups instead of a SUM over the ledger.
CREATE TABLE spend (
    id                   INTEGER PRIMARY KEY,
    job_id               INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
    modality             TEXT    NOT NULL,
    model                TEXT    NOT NULL,
    key_kind             TEXT    NOT NULL CHECK (key_kind IN ('plan','payAsYouGo')),
    requests             INTEGER NOT NULL CHECK (requests >= 0),
    units                INTEGER NOT NULL DEFAULT 1 CHECK (units >= 0),   -- images, characters, clips, songs, calls
    at_ms                INTEGER NOT NULL,
    cumulative_requests  INTEGER NOT NULL
) STRICT;
CREATE INDEX spend_by_time ON spend (key_kind, at_ms, id);
CREATE INDEX spend_by_job  ON spend (job_id) WHERE job_id IS NOT NULL;

-- One row per model_remains entry of /v1/token_plan/remains, raw fields kept.
CREATE TABLE quota_snapshots (
    id                                   INTEGER PRIMARY KEY,
    fetched_at_ms                        INTEGER NOT NULL,
    model_name                           TEXT    NOT NULL,
    start_time_ms                        INTEGER,
    end_time_ms                          INTEGER,
    remains_time_ms                      INTEGER,
    current_interval_total_count         INTEGER,
    current_interval_usage_count         INTEGER,
    current_interval_status              INTEGER,
    current_interval_remaining_percent   INTEGER,
    weekly_start_time_ms                 INTEGER,
    weekly_end_time_ms                   INTEGER,
    weekly_remains_time_ms               INTEGER,
    current_weekly_total_count           INTEGER,
    current_weekly_usage_count           INTEGER,
    current_weekly_status                INTEGER,
    current_weekly_remaining_percent     INTEGER,
    raw_json                             TEXT    NOT NULL CHECK (json_valid(raw_json))
) STRICT;
CREATE INDEX quota_snapshots_by_time ON quota_snapshots (fetched_at_ms, id);

-- Full-text search over prompts: an external-content table over jobs, kept in sync by triggers. The prefix
-- index (2- and 3-character prefixes) keeps search-as-you-type (`ca*`) incremental instead of merging every
-- doclist that starts with the prefix.
CREATE VIRTUAL TABLE jobs_fts USING fts5 (prompt, content = 'jobs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
END;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;
"#;

/// Version 2: the Library's "sort by cost" (billed, else estimated; unknown last) without a scan.
const V2_COST_ORDER: &str = r#"
CREATE INDEX jobs_by_cost ON jobs (COALESCE(actual_requests, estimate_requests, -1), id);
"#;

/// Version 3: demo spend is its own ledger. Jobs run against the built-in simulator used to be billed to the
/// plan's running total, so trying the demo and then saving a real key left the real window looking spent
/// for five hours (jobs parked for quota the server still had). Rows of demo jobs are marked and every
/// running total is recomputed per (key kind, demo), in one statement with a window function.
const V3_DEMO_LEDGER: &str = r#"
ALTER TABLE spend ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
UPDATE spend SET demo = 1 WHERE job_id IN (SELECT id FROM jobs WHERE demo = 1);
UPDATE spend SET cumulative_requests = totals.running
  FROM (SELECT id, SUM(requests) OVER (PARTITION BY key_kind, demo ORDER BY at_ms, id) AS running FROM spend) AS totals
  WHERE spend.id = totals.id;
DROP INDEX spend_by_time;
CREATE INDEX spend_by_time ON spend (key_kind, demo, at_ms, id);
"#;

/// Version 4: never pay twice, count every request once, one runner per job (issue 14).
///
/// * `jobs.owner` is the runner (a process: the app, one `tokenplan` command) that runs an unfinished job;
///   `runners` holds each runner's heartbeat, so a second process never touches a live process's jobs and
///   adopts those of a dead one once its heartbeat lapsed.
/// * `jobs.attempts` counts the create calls sent; `jobs.remote_task_dead` says MiniMax reported the stored
///   task failed or expired (only then may a retry create a new one).
/// * `spend.charge_key` names what a row charges for (`task:<id>` for an accepted task, `call:<n>` for the
///   n-th synchronous call of the job); one row per (job, charge key), so a retry that resumes the same task
///   replaces its provisional charge instead of adding one. `spend.basis` says how the amount was known.
const V4_ONE_CHARGE_PER_REQUEST: &str = r#"
ALTER TABLE jobs ADD COLUMN owner TEXT;
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE jobs ADD COLUMN remote_task_dead INTEGER NOT NULL DEFAULT 0 CHECK (remote_task_dead IN (0, 1));
CREATE INDEX jobs_by_owner ON jobs (owner) WHERE owner IS NOT NULL;

CREATE TABLE runners (
    id             TEXT    PRIMARY KEY,
    pid            INTEGER NOT NULL,
    label          TEXT    NOT NULL,   -- what the user knows it as: 'the app', 'tokenplan video'
    started_at_ms  INTEGER NOT NULL,
    heartbeat_ms   INTEGER NOT NULL
) STRICT;

ALTER TABLE spend ADD COLUMN charge_key TEXT;
ALTER TABLE spend ADD COLUMN basis TEXT NOT NULL DEFAULT 'billed'
    CHECK (basis IN ('billed', 'estimate', 'outcomeUnknown', 'placeholder', 'adjustment'));
CREATE UNIQUE INDEX spend_by_charge ON spend (job_id, charge_key) WHERE job_id IS NOT NULL AND charge_key IS NOT NULL;
"#;

/// Version 5: films (issue 15) in the same library — one database, one backup.
///
/// * `jobs.modality` accepts `film`: an exported film is a Library item of its own. SQLite cannot change a
///   CHECK in place, so the table is rebuilt (the documented 12-step procedure; the library opens with
///   foreign keys off while migrating, and the migration checks them after) and its indexes, history
///   triggers and prompt-search triggers are made again.
/// * `films`, `characters` (a character can appear in several films: `film_cast`), their reference images,
///   `shots` (ordered by a fractional `position`, soft-deleted so their takes survive an undo), `film_lines`,
///   and `takes`: every keyframe, clip, line and music generation made for a film is an ordinary job linked
///   here, one take per slot `chosen`. `film_snapshots` keeps the states an edit can be undone to.
const V5_FILMS: &str = r#"
CREATE TABLE jobs_v5 (
    id                 INTEGER PRIMARY KEY,
    modality           TEXT    NOT NULL CHECK (modality IN ('text','speech','speechAsync','image','video','music','lyrics','film')),
    model              TEXT    NOT NULL,
    params_json        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params_json)),
    prompt             TEXT    NOT NULL DEFAULT '',
    state              TEXT    NOT NULL CHECK (state IN ('queued','waitingForQuota','running','downloading','succeeded','failed','cancelled','interrupted')),
    estimate_requests  INTEGER CHECK (estimate_requests >= 0),
    actual_requests    INTEGER CHECK (actual_requests >= 0),
    key_kind           TEXT    NOT NULL CHECK (key_kind IN ('plan','payAsYouGo')),
    remote_task_id     TEXT,
    error_kind         TEXT,
    error_message      TEXT,
    error_trace_id     TEXT,
    demo               INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at_ms      INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    finished_at_ms     INTEGER,
    owner              TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    remote_task_dead   INTEGER NOT NULL DEFAULT 0 CHECK (remote_task_dead IN (0, 1))
) STRICT;
INSERT INTO jobs_v5 (id, modality, model, params_json, prompt, state, estimate_requests, actual_requests, key_kind,
    remote_task_id, error_kind, error_message, error_trace_id, demo, created_at_ms, updated_at_ms, finished_at_ms,
    owner, attempts, remote_task_dead)
  SELECT id, modality, model, params_json, prompt, state, estimate_requests, actual_requests, key_kind,
    remote_task_id, error_kind, error_message, error_trace_id, demo, created_at_ms, updated_at_ms, finished_at_ms,
    owner, attempts, remote_task_dead FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_v5 RENAME TO jobs;
CREATE INDEX jobs_by_created  ON jobs (created_at_ms, id);
CREATE INDEX jobs_by_modality ON jobs (modality, created_at_ms, id);
CREATE INDEX jobs_by_model    ON jobs (model, created_at_ms, id);
CREATE INDEX jobs_by_state    ON jobs (state, created_at_ms, id);
CREATE INDEX jobs_by_cost     ON jobs (COALESCE(actual_requests, estimate_requests, -1), id);
CREATE INDEX jobs_by_owner    ON jobs (owner) WHERE owner IS NOT NULL;
CREATE TRIGGER jobs_history_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO job_transitions (job_id, from_state, to_state, at_ms) VALUES (new.id, NULL, new.state, new.created_at_ms);
END;
CREATE TRIGGER jobs_history_update AFTER UPDATE OF state ON jobs WHEN old.state IS NOT new.state BEGIN
    INSERT INTO job_transitions (job_id, from_state, to_state, at_ms) VALUES (new.id, old.state, new.state, new.updated_at_ms);
END;
CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
END;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.id, old.prompt);
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, new.prompt);
END;

CREATE TABLE films (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    logline          TEXT    NOT NULL DEFAULT '',
    aspect_ratio     TEXT    NOT NULL CHECK (aspect_ratio IN ('16:9','9:16','1:1')),
    style            TEXT    NOT NULL DEFAULT '',
    target_length_s  INTEGER CHECK (target_length_s > 0),
    settings_json    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json)),
    created_at_ms    INTEGER NOT NULL,
    updated_at_ms    INTEGER NOT NULL,
    deleted_at_ms    INTEGER
) STRICT;
CREATE INDEX films_by_updated ON films (updated_at_ms, id) WHERE deleted_at_ms IS NULL;

CREATE TABLE characters (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT    NOT NULL,
    look                 TEXT    NOT NULL DEFAULT '',
    notes                TEXT    NOT NULL DEFAULT '',
    voice_json           TEXT    CHECK (voice_json IS NULL OR json_valid(voice_json)),
    voice_changed_at_ms  INTEGER,
    created_at_ms        INTEGER NOT NULL,
    updated_at_ms        INTEGER NOT NULL
) STRICT;

CREATE TABLE character_references (
    id             INTEGER PRIMARY KEY,
    character_id   INTEGER NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL CHECK (ordinal >= 0),
    rel_path       TEXT    NOT NULL,   -- under media/ or inputs/ of the library
    created_at_ms  INTEGER NOT NULL,
    UNIQUE (character_id, ordinal)
) STRICT;

CREATE TABLE film_cast (
    film_id       INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    character_id  INTEGER NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    PRIMARY KEY (film_id, character_id)
) STRICT;

CREATE TABLE shots (
    id                INTEGER PRIMARY KEY,
    film_id           INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    position          REAL    NOT NULL,
    description       TEXT    NOT NULL,
    camera_json       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(camera_json)),
    duration_s        REAL    NOT NULL CHECK (duration_s > 0),
    characters_json   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(characters_json)),
    clip_start        TEXT    NOT NULL DEFAULT 'keyframe' CHECK (clip_start IN ('text','keyframe','firstLast','previousLastFrame')),
    video_model       TEXT,
    video_resolution  TEXT,
    trim_in_ms        INTEGER NOT NULL DEFAULT 0 CHECK (trim_in_ms >= 0),
    trim_out_ms       INTEGER,
    created_at_ms     INTEGER NOT NULL,
    updated_at_ms     INTEGER NOT NULL,
    deleted_at_ms     INTEGER
) STRICT;
CREATE INDEX shots_by_film ON shots (film_id, position) WHERE deleted_at_ms IS NULL;

CREATE TABLE film_lines (
    id                    INTEGER PRIMARY KEY,
    shot_id               INTEGER NOT NULL REFERENCES shots (id) ON DELETE CASCADE,
    ordinal               INTEGER NOT NULL,
    speaker_character_id  INTEGER REFERENCES characters (id) ON DELETE SET NULL,   -- NULL: the narrator
    speaker_name          TEXT    NOT NULL,
    text                  TEXT    NOT NULL,
    emotion               TEXT,
    offset_ms             INTEGER,
    subtitle_text         TEXT,
    deleted_at_ms         INTEGER
) STRICT;
CREATE INDEX film_lines_by_shot ON film_lines (shot_id, ordinal);

CREATE TABLE takes (
    id             INTEGER PRIMARY KEY,
    film_id        INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    slot           TEXT    NOT NULL CHECK (slot IN ('keyframe','clip','line','music')),
    shot_id        INTEGER,
    line_id        INTEGER,
    job_id         INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL DEFAULT 0,   -- which file of the job (an image job makes several)
    chosen         INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
    made_with      TEXT    NOT NULL DEFAULT '',  -- what the take was made from (the voice), to tell stale takes
    created_at_ms  INTEGER NOT NULL,
    UNIQUE (job_id, ordinal)
) STRICT;
CREATE INDEX takes_by_film ON takes (film_id, slot, shot_id, line_id);
CREATE UNIQUE INDEX takes_one_chosen ON takes (film_id, slot, COALESCE(shot_id, 0), COALESCE(line_id, 0)) WHERE chosen = 1;

CREATE TABLE film_snapshots (
    id          INTEGER PRIMARY KEY,
    film_id     INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    at_ms       INTEGER NOT NULL,
    label       TEXT    NOT NULL,
    state_json  TEXT    NOT NULL CHECK (json_valid(state_json))
) STRICT;
CREATE INDEX film_snapshots_by_film ON film_snapshots (film_id, id);
"#;

/// Prompt search finds words inside Chinese and Japanese text (issue 19, `cjk.rs`): the index is made again as
/// a contentless table holding each prompt with its CJK characters split into tokens (the triggers call
/// `tokenplan_cjk_split`, registered on every library connection), and filled from the existing prompts.
/// Latin text is tokenized exactly as before (unicode61, diacritics folded, the same prefix index).
const V6_CJK_SEARCH: &str = r#"
DROP TRIGGER IF EXISTS jobs_fts_insert;
DROP TRIGGER IF EXISTS jobs_fts_delete;
DROP TRIGGER IF EXISTS jobs_fts_update;
DROP TABLE IF EXISTS jobs_fts;
CREATE VIRTUAL TABLE jobs_fts USING fts5 (prompt, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, tokenplan_cjk_split(new.prompt));
END;
CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
    DELETE FROM jobs_fts WHERE rowid = old.id;
END;
CREATE TRIGGER jobs_fts_update AFTER UPDATE OF prompt ON jobs BEGIN
    DELETE FROM jobs_fts WHERE rowid = old.id;
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.id, tokenplan_cjk_split(new.prompt));
END;
INSERT INTO jobs_fts (rowid, prompt) SELECT id, tokenplan_cjk_split(prompt) FROM jobs;
"#;

/// What a key may use, learnt from the server (a "not in plan" answer, a probe, a success), so composers
/// disable a model before the click; and finding a job by its remote task (recovering V2 video tasks).
const V7_ENTITLEMENTS: &str = r#"
CREATE TABLE entitlements (
    key_fingerprint TEXT    NOT NULL,   -- ApiKey::fingerprint, never the key
    subject         TEXT    NOT NULL,   -- a model id, or 'music' for the music and lyrics APIs
    available       INTEGER NOT NULL CHECK (available IN (0, 1)),
    reason          TEXT,
    checked_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (key_fingerprint, subject)
) STRICT, WITHOUT ROWID;

CREATE INDEX jobs_by_remote_task ON jobs (remote_task_id) WHERE remote_task_id IS NOT NULL;
"#;

/// Version 6: the voice workspace (issue 18).
///
/// * `jobs.preview_key`: a voice preview or audition take carries the key of what it said and how (voice,
///   text, model, speed, pitch, emotion…), so the same preview asked again replays from the library for
///   free, and the Library keeps previews apart from generations. NULL for every other job.
/// * `auditions` and `audition_takes`: "my line in these voices", one row per voice, each take a job.
/// * `starred_voices`, `starred_takes`: the shortlist and the favourite takes.
/// * `voice_presets`: a voice with its model, speed, pitch and emotion under a name, for the Speech
///   composer and a film's cast.
/// * `voice_samples`: clone samples by content hash with the file id MiniMax gave them, so a failed clone is
///   retried without a second upload.
/// * `custom_voices`: voices designed or cloned here, with the job that made them, when they were first
///   used in a real synthesis (MiniMax deletes a voice unused for 7 days) and when they were deleted.
const V8_VOICES: &str = r#"
ALTER TABLE jobs ADD COLUMN preview_key TEXT;
CREATE INDEX jobs_by_preview_key ON jobs (preview_key, demo, state) WHERE preview_key IS NOT NULL;

CREATE TABLE auditions (
    id             INTEGER PRIMARY KEY,
    text           TEXT    NOT NULL,
    settings_json  TEXT    NOT NULL CHECK (json_valid(settings_json)),
    demo           INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE audition_takes (
    audition_id  INTEGER NOT NULL REFERENCES auditions (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 0),
    voice_id     TEXT    NOT NULL,
    voice_name   TEXT    NOT NULL,
    job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    cached       INTEGER NOT NULL DEFAULT 0 CHECK (cached IN (0, 1)),
    PRIMARY KEY (audition_id, ordinal)
) STRICT;
CREATE INDEX audition_takes_by_job ON audition_takes (job_id);

CREATE TABLE starred_voices (
    voice_id       TEXT    PRIMARY KEY,
    starred_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE starred_takes (
    job_id         INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    starred_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE voice_presets (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    voice_id       TEXT    NOT NULL,
    model          TEXT    NOT NULL,
    speed          REAL    CHECK (speed IS NULL OR (speed >= 0.5 AND speed <= 2)),
    pitch          INTEGER CHECK (pitch IS NULL OR (pitch >= -12 AND pitch <= 12)),
    emotion        TEXT,
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE voice_samples (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL CHECK (size_bytes >= 0),
    duration_ms     INTEGER NOT NULL CHECK (duration_ms >= 0),
    remote_file_id  TEXT,
    demo            INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at_ms   INTEGER NOT NULL,
    uploaded_at_ms  INTEGER,
    UNIQUE (sha256, demo)
) STRICT;

CREATE TABLE custom_voices (
    voice_id          TEXT    PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('designed','cloned')),
    name              TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    language          TEXT,
    job_id            INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
    sample_id         INTEGER REFERENCES voice_samples (id) ON DELETE SET NULL,
    demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at_ms     INTEGER NOT NULL,
    first_used_at_ms  INTEGER,
    deleted_at_ms     INTEGER
) STRICT;
CREATE INDEX custom_voices_by_job ON custom_voices (job_id) WHERE job_id IS NOT NULL;
"#;

/// Every migration, oldest first. Append only.
static MIGRATION_LIST: &[M<'static>] = &[
    M::up(V1_LIBRARY).foreign_key_check(),
    M::up(V2_COST_ORDER),
    M::up(V3_DEMO_LEDGER),
    M::up(V4_ONE_CHARGE_PER_REQUEST),
    M::up(V5_FILMS).foreign_key_check(),
    M::up(V6_CJK_SEARCH),
    M::up(V7_ENTITLEMENTS),
    M::up(V8_VOICES).foreign_key_check(),
];

/// The library's migrations.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATION_LIST)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection as the library opens one: with the SQL function the search index's triggers call.
    fn connection() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::storage::cjk::register(&conn).unwrap();
        conn
    }

    /// `Migrations::validate` on a connection of our own: its own would lack `tokenplan_cjk_split`.
    #[test]
    fn migrations_validate() {
        let mut conn = connection();
        migrations().to_latest(&mut conn).expect("migrations apply cleanly to an empty database");
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = connection();
        migrations().to_latest(&mut conn).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, i64::try_from(MIGRATION_LIST.len()).unwrap());
    }

    #[test]
    fn version_3_moves_demo_spend_out_of_the_plan_running_total() {
        let mut conn = connection();
        migrations().to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO jobs (id, modality, model, params_json, prompt, state, estimate_requests, key_kind, demo, \
               created_at_ms, updated_at_ms) VALUES \
               (1, 'image', 'image-01', '{}', 'real', 'succeeded', 75, 'plan', 0, 1, 1), \
               (2, 'image', 'image-01', '{}', 'demo', 'succeeded', 75, 'plan', 1, 2, 2); \
             INSERT INTO spend (job_id, modality, model, key_kind, requests, units, at_ms, cumulative_requests) VALUES \
               (1, 'image', 'image-01', 'plan', 75, 1, 10, 75), \
               (2, 'image', 'image-01', 'plan', 75, 1, 20, 150), \
               (1, 'image', 'image-01', 'plan', 10, 1, 30, 160);",
        )
        .unwrap();
        migrations().to_latest(&mut conn).unwrap();
        let rows: Vec<(i64, i64, i64)> = conn
            .prepare("SELECT demo, at_ms, cumulative_requests FROM spend ORDER BY at_ms")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows, [(0, 10, 75), (1, 20, 75), (0, 30, 85)]);
    }

    #[test]
    fn version_5_rebuilds_jobs_without_losing_what_points_at_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 4).unwrap();
            conn.execute_batch(
                "INSERT INTO jobs (id, modality, model, params_json, prompt, state, key_kind, created_at_ms, \
                   updated_at_ms, attempts) VALUES (7, 'image', 'image-01', '{}', 'a red fox', 'succeeded', 'plan', 1, 2, 1); \
                 INSERT INTO media (job_id, ordinal, rel_path, mime, size_bytes, created_at_ms) \
                   VALUES (7, 0, 'media/7-0.png', 'image/png', 3, 2); \
                 INSERT INTO spend (job_id, modality, model, key_kind, requests, units, at_ms, cumulative_requests) \
                   VALUES (7, 'image', 'image-01', 'plan', 75, 1, 2, 75);",
            )
            .unwrap();
        }
        // As the library opens it: foreign keys on for the data, off while migrating.
        let library = crate::storage::Library::open_unchecked_at(dir.path()).unwrap();
        let job = library.job(7).unwrap();
        assert_eq!((job.prompt.as_str(), job.state), ("a red fox", crate::storage::JobState::Succeeded));
        assert_eq!(library.job_with_media(7).unwrap().media.len(), 1, "media rows survived");
        assert_eq!(library.job_history(7).unwrap().len(), 1, "the history survived");
        assert_eq!(library.spend_of_job(7).unwrap().len(), 1, "spend survived");
        assert_eq!(library.job_run_state(7).unwrap().attempts, 1);
        assert_eq!(library.search_jobs("fox", None, 10).unwrap().jobs.len(), 1, "prompt search still works");
        let conn = rusqlite::Connection::open(&path).unwrap();
        crate::storage::cjk::register(&conn).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        conn.execute(
            "INSERT INTO jobs (modality, model, prompt, state, key_kind, created_at_ms, updated_at_ms) \
             VALUES ('film', 'ffmpeg', 'Paper Boat', 'succeeded', 'plan', 3, 3)",
            [],
        )
        .unwrap();
        let history: i64 = conn
            .query_row("SELECT COUNT(*) FROM job_transitions WHERE job_id = 8", [], |r| r.get(0))
            .unwrap();
        assert_eq!(history, 1, "the history trigger was made again");
    }

    #[test]
    fn version_6_finds_chinese_and_japanese_words_in_prompts_stored_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, 5).unwrap();
            conn.execute_batch(
                "INSERT INTO jobs (id, modality, model, params_json, prompt, state, key_kind, created_at_ms, \
                   updated_at_ms) VALUES \
                   (1, 'image', 'image-01', '{}', '一只猫在城市里散步', 'succeeded', 'plan', 1, 1), \
                   (2, 'image', 'image-01', '{}', '雨の夜に猫が歩く', 'succeeded', 'plan', 2, 2), \
                   (3, 'image', 'image-01', '{}', 'a neon cat in the rain', 'succeeded', 'plan', 3, 3);",
            )
            .unwrap();
            let before: i64 = conn
                .query_row("SELECT COUNT(*) FROM jobs_fts WHERE jobs_fts MATCH '城市'", [], |r| r.get(0))
                .unwrap();
            assert_eq!(before, 0, "unicode61 alone kept the sentence as one token");
        }
        let library = crate::storage::Library::open_unchecked_at(dir.path()).unwrap();
        let ids =
            |q: &str| library.search_jobs(q, None, 10).unwrap().jobs.iter().map(|j| j.id).collect::<Vec<_>>();
        assert_eq!(ids("城市"), [1]);
        assert_eq!(ids("猫"), [2, 1]);
        assert_eq!(ids("猫が"), [2]);
        assert_eq!(ids("城市 猫"), [1]);
        assert_eq!(ids("市城"), Vec::<i64>::new(), "the characters in the typed order only");
        assert_eq!(ids("ca*"), [3], "Latin prefixes as before");
        assert_eq!(ids("neon"), [3]);
        library.delete_job(1).unwrap();
        assert_eq!(ids("城市"), Vec::<i64>::new(), "a deleted job leaves the index");
    }
}
