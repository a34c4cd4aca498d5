//! The management commands: jobs, resume, cancel, history, quota, voices.

use minimax_api::speech::VoicesRequest;
use studio_core::modality::Modality;
use studio_core::profile::{QuotaUnit, WindowKind};
use studio_core::quota_view::QuotaView;
use studio_core::runner::{Clock, Runner, SystemClock};
use studio_core::storage::{JobFilter, JobState, Transition};

use crate::error::{CliError, Result};
use crate::session::{Output, Session, assets_json, job_json};
use crate::waiting::Retire;

fn line(job: &studio_core::storage::Job) -> String {
    let cost = job.actual_requests.or(job.estimate_requests).map_or_else(|| "?".into(), |n| n.to_string());
    let prompt: String = job.prompt.chars().take(60).collect();
    format!(
        "{:>6}  {:<11} {:<16} {:<22} {:>6}  {prompt}",
        job.id,
        job.modality.as_str(),
        job.state.as_str(),
        job.model,
        cost
    )
}

/// `jobs`: unfinished jobs, then the most recent ones.
pub fn jobs(session: &Session, out: &Output) -> Result<()> {
    let library = session.library()?;
    let unfinished = library.unfinished_jobs()?;
    let recent = library.list_jobs(&JobFilter::default(), None, 20)?.jobs;
    let recent: Vec<_> = recent.into_iter().filter(|j| !unfinished.iter().any(|u| u.id == j.id)).collect();
    let document = serde_json::json!({
        "unfinished": unfinished.iter().map(job_json).collect::<Vec<_>>(),
        "recent": recent.iter().map(job_json).collect::<Vec<_>>(),
    });
    out.print(&document, || {
        let mut text = String::new();
        if !unfinished.is_empty() {
            text.push_str("Unfinished (tokenplan resume continues them):\n");
            text.extend(unfinished.iter().map(|j| line(j) + "\n"));
        }
        text.push_str("Recent:\n");
        text.extend(recent.iter().map(|j| line(j) + "\n"));
        text.trim_end().to_owned()
    });
    Ok(())
}

/// `resume`: continues every unfinished job no live process runs — tasks with an id are polled, never
/// created again — and waits. A job that must wait for quota is reported and left queued (unless `--wait`).
pub async fn resume(session: &Session, out: &Output, wait: bool) -> Result<()> {
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan resume").await?;
    let _retire = Retire(runner.clone());
    let jobs = runner.resume_unfinished()?;
    let mut results = Vec::new();
    let mut failures = 0usize;
    let mut waiting = None;
    for job in jobs {
        let done = if job.state == JobState::Interrupted {
            job
        } else {
            match crate::waiting::settle(&runner, &library, &job, wait).await {
                Ok(done) => done,
                Err(error @ CliError::QuotaWait { .. }) => {
                    // `settle` held new starts before giving up; the other jobs still have to run.
                    runner.set_paused(false);
                    waiting.get_or_insert(error);
                    library.with(|lib| lib.job(job.id))?
                }
                Err(other) => return Err(other),
            }
        };
        if done.state != JobState::Succeeded && done.state != JobState::WaitingForQuota {
            failures += 1;
        }
        let with_media = library.with(|lib| lib.job_with_media(done.id))?;
        let assets = assets_json(library.root(), &with_media);
        results.push(serde_json::json!({ "job": job_json(&done), "assets": assets }));
    }
    let count = results.len();
    let document = serde_json::json!({ "results": results });
    let error = match waiting {
        Some(error) => error,
        None if failures > 0 => {
            CliError::Usage(format!("{failures} resumed job(s) did not succeed (see `tokenplan jobs`)"))
        }
        None => {
            out.print(&document, || format!("{count} job(s) resumed, all succeeded"));
            return Ok(());
        }
    };
    // The document still lists every job, with the error in it (one document on stdout with --json).
    Err(crate::error::with_document(out.json, document, error))
}

/// `retry ID`: runs a failed, cancelled or interrupted job again and waits for it. A job holding a task
/// resumes polling it (never a second create); a job another live process runs is refused.
pub async fn retry(session: &Session, out: &Output, id: i64, wait: bool) -> Result<()> {
    let key_kind = session.library()?.job(id)?.key_kind;
    let (runner, library) = session.runner_for(key_kind, "tokenplan retry").await?;
    let _retire = Retire(runner.clone());
    let job = runner.retry(id)?;
    let done = crate::waiting::settle(&runner, &library, &job, wait).await?;
    let with_media = library.with(|lib| lib.job_with_media(done.id))?;
    let document =
        serde_json::json!({ "job": job_json(&done), "assets": assets_json(library.root(), &with_media) });
    if done.state != JobState::Succeeded {
        return Err(crate::error::with_document(out.json, document, crate::generate::failed(&done)));
    }
    out.print(&document, || {
        with_media
            .media
            .iter()
            .map(|m| library.root().join(&m.rel_path).display().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// `cancel ID`: ends a job that is not finished. A job another live process runs (the app, another
/// `tokenplan`) is refused: stop it there. A job whose process died is cancelled here.
pub fn cancel(session: &Session, out: &Output, id: i64) -> Result<()> {
    let library = session.library()?;
    let job = library.job(id)?;
    let job = if job.state.is_finished() {
        job
    } else {
        let me = format!("tokenplan-cancel-{}", std::process::id());
        if let Err(other) = library.claim_job(id, &me, SystemClock.now_ms())? {
            return Err(CliError::Core(studio_core::CoreError::RunElsewhere {
                job_id: id,
                label: other.label,
                pid: other.pid,
            }));
        }
        library.transition(id, &Transition::to(JobState::Cancelled, SystemClock.now_ms()))?
    };
    out.print(&serde_json::json!({ "job": job_json(&job) }), || line(&job));
    Ok(())
}

/// `history [--kind K] [--search Q]`.
pub fn history(session: &Session, out: &Output, args: &crate::HistoryArgs) -> Result<()> {
    let library = session.library()?;
    let modality = match args.kind.as_deref() {
        Some(name) => Some(Modality::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Modality::ALL.iter().map(|m| m.as_str()).collect();
            CliError::Usage(format!("unknown kind {name:?}; one of {}", names.join(", ")))
        })?),
        None => None,
    };
    let page = match args.search.as_deref().filter(|q| !q.trim().is_empty()) {
        Some(query) => {
            let mut page = library.search_jobs(query, None, args.limit)?;
            page.jobs.retain(|j| modality.is_none_or(|m| j.modality == m));
            page
        }
        None => library.list_jobs(&JobFilter { modality, ..JobFilter::default() }, None, args.limit)?,
    };
    let root = library.root().to_path_buf();
    let mut items = Vec::with_capacity(page.jobs.len());
    for job in &page.jobs {
        let with_media = library.job_with_media(job.id)?;
        items.push(serde_json::json!({ "job": job_json(job), "assets": assets_json(&root, &with_media) }));
    }
    out.print(&serde_json::json!({ "jobs": items }), || {
        page.jobs.iter().map(line).collect::<Vec<_>>().join("\n")
    });
    Ok(())
}

/// `quota [--correct]`: the local ledger's window, and the server's with a plan key (stored as a snapshot).
/// With `--correct`, a server count above the ledger's is added to the window first (see
/// [`studio_core::Library::record_adjustment`]).
pub async fn quota(session: &Session, out: &Output, correct: bool) -> Result<()> {
    let mut library = session.library()?;
    let now = SystemClock.now_ms();
    let mut server = serde_json::Value::Null;
    let mut correction = None;
    let plan_key = session.client().is_ok() && session.key_kind() == studio_core::storage::KeyKind::Plan;
    // One read of the server's quota serves both: the runner keeps it as its view (the plan detected, the
    // snapshot stored), and the correction and the reconciliation use the raw answer.
    let runner = if plan_key {
        Some(session.start_runner(studio_core::storage::KeyKind::Plan, "tokenplan quota")?.0)
    } else {
        None
    };
    let _retire = runner.clone().map(Retire);
    if let Some(runner) = &runner {
        let answer = session.client()?.plan().remains().await;
        // A failed read is kept as the runner's server error; the ledger answers below.
        let _ = runner.accept_remains(answer.as_ref().map_err(ToString::to_string));
        match answer {
            Ok(remains) => {
                if correct {
                    correction =
                        Some(library.record_adjustment(&remains, now, studio_core::quota::WINDOW_MS)?);
                }
                server = serde_json::json!({
                    "modelRemains": remains.model_remains,
                    "reconciliation": library.reconcile_latest_snapshot(studio_core::quota::WINDOW_MS)?,
                    "correction": correction,
                });
            }
            // Without --correct, a key the remains endpoint refuses is not a reason to hide the local figures.
            Err(e) if correct => return Err(e.into()),
            Err(e) => server = serde_json::json!({ "error": e.to_string() }),
        }
    } else if correct {
        return Err(CliError::Usage(
            "--correct needs the Token Plan key: only it can ask MiniMax for its count".into(),
        ));
    }
    let window = library.plan_window(&session.settings, now)?;
    // The active profile's view (the plan detected from the server, its windows in its unit), as the app's
    // gauge shows it; only with the plan key, which the runner needs.
    let view = runner.as_ref().map(Runner::quota_view).transpose()?;
    let document = serde_json::json!({
        "windowHours": studio_core::quota::WINDOW_MS / 3_600_000,
        "quota": window.quota,
        "used": window.used,
        "remaining": window.remaining,
        "nextReleaseAt": window.next_release_at_ms,
        "nextReleaseRequests": window.next_release_requests,
        "plan": view.as_ref().map(|v| &v.profile.label),
        "unit": view.as_ref().map(|v| v.unit),
        "windows": view.as_ref().map(|v| &v.rows),
        "elsewhere": view.as_ref().and_then(|v| v.elsewhere.as_ref()),
        "server": server,
    });
    out.print(&document, || {
        let lines = match &view {
            Some(view) if view.unit == QuotaUnit::Percent => percent_lines(view),
            _ => {
                let next = window
                    .next_release_at_ms
                    .map(|at| {
                        format!(" · +{} in {} min", window.next_release_requests, (at - now).max(0) / 60_000)
                    })
                    .unwrap_or_default();
                format!(
                    "{} of {} requests left in the 5-hour window (used {}){next}",
                    window.remaining, window.quota, window.used
                )
            }
        };
        match &correction {
            Some(c) => format!("{lines}\n{}", describe_correction(c)),
            None => lines,
        }
    });
    Ok(())
}

/// An M Plan's windows in percent, as the gauge says them: "5-hour window: ≈75% left (estimate)".
fn percent_lines(view: &QuotaView) -> String {
    let mut lines: Vec<String> = view
        .rows
        .iter()
        .map(|row| {
            let name = match row.window {
                WindowKind::FiveHour => "5-hour window",
                WindowKind::Weekly => "weekly window",
            };
            let (mark, note) = if row.estimate { ("≈", " (estimate)") } else { ("", "") };
            format!("{}: {mark}{:.0}% left{note}", name, row.remaining_percent)
        })
        .collect();
    lines.insert(0, format!("{}:", view.profile.label));
    if let Some(e) = &view.elsewhere {
        let window = if e.window == WindowKind::Weekly { "weekly" } else { "5-hour" };
        lines.push(format!("spend from elsewhere on this key: ≈{:.0}% of the {window} window", e.percent));
    }
    lines.join("\n")
}

/// What `--correct` did, in a sentence.
fn describe_correction(c: &studio_core::storage::ledger::ServerCorrection) -> String {
    use studio_core::storage::ledger::CorrectionOutcome;
    let server = c.server_used.map_or_else(|| "?".to_owned(), |n| n.to_string());
    match c.outcome {
        CorrectionOutcome::Corrected => format!(
            "Corrected: MiniMax counts {server} requests used, the ledger held {}; {} added as an adjustment.",
            c.local_used, c.added_requests
        ),
        CorrectionOutcome::Agrees => {
            format!("Nothing to correct: the ledger holds MiniMax's count ({server}).")
        }
        CorrectionOutcome::ServerCountsLess => format!(
            "Nothing corrected: MiniMax counts {server} requests used, fewer than the ledger's {}; the ledger \
             is left as it is (it never removes a charge).",
            c.local_used
        ),
        CorrectionOutcome::CannotTell => {
            format!("Cannot correct: {}.", c.reason.as_deref().unwrap_or("MiniMax gives no usable count"))
        }
    }
}

/// `voices [--search Q]`.
pub async fn voices(session: &Session, out: &Output, search: Option<&str>) -> Result<()> {
    let list = session.client()?.speech().voices(&VoicesRequest { voice_type: "all".into() }).await?;
    let needle = search.map(str::to_lowercase);
    let matches = |v: &minimax_api::speech::Voice| match &needle {
        None => true,
        Some(n) => {
            v.voice_id.to_lowercase().contains(n)
                || v.voice_name.as_deref().is_some_and(|name| name.to_lowercase().contains(n))
                || v.description.iter().any(|d| d.to_lowercase().contains(n))
        }
    };
    let mut rows = Vec::new();
    for (kind, voices) in [
        ("system", &list.system_voice),
        ("cloned", &list.voice_cloning),
        ("designed", &list.voice_generation),
    ] {
        for voice in voices.iter().filter(|v| matches(v)) {
            rows.push((kind, voice));
        }
    }
    let document = serde_json::json!({
        "voices": rows.iter().map(|(kind, v)| serde_json::json!({
            "voiceId": v.voice_id, "name": v.voice_name, "kind": kind, "description": v.description,
        })).collect::<Vec<_>>(),
    });
    out.print(&document, || {
        rows.iter()
            .map(|(kind, v)| {
                format!("{:<40} {:<9} {}", v.voice_id, kind, v.voice_name.as_deref().unwrap_or(""))
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
