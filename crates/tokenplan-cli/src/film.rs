//! `tokenplan film …`: films from the command line, over the same library and runner as the app (the
//! contract is in ARCHITECTURE.md, "Films"). Spending commands take `--dry-run`; every command `--json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use studio_core::quota::WINDOW_MS;
use studio_core::runner::{Clock, SystemClock};
use studio_core::storage::{JobState, SharedLibrary};
use studio_film::ffmpeg::Ffmpeg;
use studio_film::project::assemble::{self, FilmExport};
use studio_film::project::budget::{FilmBudget, PlanWindow, budget, schedule_of};
use studio_film::project::model::{Film, chosen};
use studio_film::project::service::{DraftResult, draft_film, render_stage};
use studio_film::project::stages::{StageChoice, StageOptions, plan};
use studio_film::project::{create_film, create_from_script, list_films, load_film};
use studio_film::render::{EdlFormat, ExportOptions, ExportResolution, RenderProgress, SubtitleMode};
use studio_film::script::{AspectRatio, import_bytes};
use tokio_util::sync::CancellationToken;

use crate::error::{CliError, Result};
use crate::session::{Output, Session, job_json};
use crate::waiting::Retire;

/// `film` subcommands.
#[derive(Debug, Subcommand)]
pub enum FilmCommand {
    /// A new, empty film.
    New {
        /// Its title.
        title: String,
        /// 16:9, 9:16 or 1:1.
        #[arg(long, default_value = "16:9")]
        aspect_ratio: String,
    },
    /// A film from a JSON shot list (tokenplan-film/1) or a Fountain screenplay.
    Import {
        /// The file.
        file: PathBuf,
    },
    /// A film drafted from an idea by M2.7 (one costed chat request, re-asked once if the reply is unusable).
    Draft(DraftArgs),
    /// Every film.
    List,
    /// One film: cast, shots, lines and chosen takes.
    Show {
        /// The film's id.
        id: i64,
    },
    /// What the film still costs, per stage, when it would be done on this plan, and a cheaper path.
    Cost {
        /// The film's id.
        id: i64,
    },
    /// Makes a stage's takes (ordinary jobs; waits for them).
    Render(RenderArgs),
    /// The animatic: keyframes standing in for missing clips, the lines and the music, at preview quality.
    Animatic {
        /// The film's id.
        id: i64,
        /// Where to write the MP4.
        #[arg(long)]
        out: PathBuf,
    },
    /// The finished film: an H.264 + AAC MP4 with subtitles, SRT/VTT beside it and an edit list.
    Export(ExportArgs),
    /// Film-wide settings: the clips' model and resolution, and what their own sound does.
    Set(crate::film_sound::SetArgs),
    /// The music bed from an audio file (for keys without music; nothing is charged).
    Music(crate::film_sound::MusicArgs),
}

/// `film draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The idea.
    #[arg(long)]
    pub idea: String,
    /// How many shots.
    #[arg(long)]
    pub shots: Option<u32>,
    /// 16:9, 9:16 or 1:1.
    #[arg(long)]
    pub aspect_ratio: Option<String>,
    /// Visual style notes.
    #[arg(long)]
    pub style: Option<String>,
    /// Print the cost; call nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `film render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The film's id.
    pub id: i64,
    /// keyframes, lines, clips, music or all.
    #[arg(long)]
    pub stage: String,
    /// Takes per slot (variations to choose from), 1–4.
    #[arg(long, default_value_t = 1)]
    pub takes: u32,
    /// Make slots again that already have a chosen take.
    #[arg(long)]
    pub redo: bool,
    /// Print the jobs and their cost; call nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// When a job must wait for quota, wait here (default: say until when, exit with quotaExhausted).
    #[arg(long)]
    pub wait: bool,
}

/// `film export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The film's id.
    pub id: i64,
    /// Where to write the MP4 (sidecars beside it).
    #[arg(long)]
    pub out: PathBuf,
    /// track (soft subtitles), burn (in the picture) or none.
    #[arg(long, default_value = "track")]
    pub subtitles: String,
    /// fcpxml (DaVinci Resolve, Final Cut Pro) or otio (OpenTimelineIO).
    #[arg(long)]
    pub edl: Option<String>,
    /// 720, 768 or 1080.
    #[arg(long, default_value = "1080")]
    pub resolution: String,
}

pub(crate) fn now() -> i64 {
    SystemClock.now_ms()
}

fn aspect(text: &str) -> Result<AspectRatio> {
    AspectRatio::parse(text)
        .ok_or_else(|| CliError::Usage(format!("aspect ratio {text:?}: use 16:9, 9:16 or 1:1")))
}

pub(crate) fn shared(session: &Session) -> Result<SharedLibrary> {
    Ok(SharedLibrary::new(session.library()?))
}

pub(crate) async fn ffmpeg() -> Result<Ffmpeg> {
    let configured = std::env::var_os("TOKENPLAN_FFMPEG").map(PathBuf::from);
    Ok(Ffmpeg::locate(configured.as_deref()).await?)
}

/// Runs a `film` subcommand.
pub async fn run(session: &Session, out: &Output, command: FilmCommand) -> Result<()> {
    match command {
        FilmCommand::New { title, aspect_ratio } => {
            let library = shared(session)?;
            let ratio = aspect(&aspect_ratio)?;
            let id = library.with(|lib| create_film(lib, &title, ratio, now()))?;
            show(&library, out, id)
        }
        FilmCommand::Import { file } => {
            let bytes = std::fs::read(&file)?;
            let imported =
                import_bytes(&bytes).map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?;
            for warning in &imported.warnings {
                eprintln!("tokenplan: {}: {}", file.display(), warning.message);
            }
            let library = shared(session)?;
            let id = library.with(|lib| create_from_script(lib, &imported.script, now()))?;
            show(&library, out, id)
        }
        FilmCommand::Draft(args) => draft(session, out, args).await,
        FilmCommand::List => {
            let films = shared(session)?.with(list_films)?;
            out.print(&serde_json::json!({ "films": films }), || {
                films
                    .iter()
                    .map(|f| {
                        format!(
                            "{:>5}  {:<5} {:>3} shots  {}",
                            f.id,
                            f.aspect_ratio.name(),
                            f.shot_count,
                            f.title
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(())
        }
        FilmCommand::Show { id } => show(&shared(session)?, out, id),
        FilmCommand::Cost { id } => {
            let library = shared(session)?;
            let film = library.with(|lib| load_film(lib, id))?;
            let cost = budget(&film, &plan_window(session, &library)?, library.root())?;
            out.print(&cost_json(&cost), || cost_text(&cost));
            Ok(())
        }
        FilmCommand::Render(args) => render(session, out, args).await,
        FilmCommand::Animatic { id, out: path } => animatic(session, out, id, &path).await,
        FilmCommand::Export(args) => export(session, out, args).await,
        FilmCommand::Set(args) => crate::film_sound::set(session, out, args),
        FilmCommand::Music(args) => crate::film_sound::music(session, out, args).await,
    }
}

fn plan_window(session: &Session, library: &SharedLibrary) -> Result<PlanWindow> {
    let now = now();
    let points = library.with(|lib| lib.window_points(now, WINDOW_MS))?;
    Ok(PlanWindow {
        quota: u64::from(session.settings.quota_per_window()),
        window_ms: WINDOW_MS,
        points,
        now_ms: now,
    })
}

pub(crate) fn show(library: &SharedLibrary, out: &Output, id: i64) -> Result<()> {
    let film = library.with(|lib| load_film(lib, id))?;
    let document = show_json(&film, library.root());
    out.print(&document, || {
        let mut text = format!(
            "{} · {} · {} shots · {}\n",
            film.id,
            film.title,
            film.shots.len(),
            film.aspect_ratio.name()
        );
        for shot in &film.shots {
            let slot = |has: bool| if has { "◉" } else { "○" };
            text.push_str(&format!(
                "{:>3}. {} keyframe {} clip  {:.0} s  {}\n",
                shot.index + 1,
                slot(chosen(&shot.keyframes).is_some()),
                slot(chosen(&shot.clips).is_some()),
                shot.duration_s,
                shot.description.chars().take(60).collect::<String>()
            ));
            for line in &shot.lines {
                text.push_str(&format!(
                    "       {} {}: {}\n",
                    slot(chosen(&line.takes).is_some()),
                    line.speaker,
                    line.text
                ));
            }
        }
        text.trim_end().to_owned()
    });
    Ok(())
}

/// The contract's `film show --json` document.
fn show_json(film: &Film, root: &Path) -> serde_json::Value {
    let path = |takes: &[studio_film::project::Take]| {
        chosen(takes).and_then(|t| t.rel_path.as_ref()).map(|rel| root.join(rel).display().to_string())
    };
    serde_json::json!({
        "id": film.id,
        "title": film.title,
        "aspectRatio": film.aspect_ratio.name(),
        "cast": film.cast.iter().map(|c| serde_json::json!({
            "id": c.id, "name": c.name, "voice": c.voice.as_ref().map(|v| v.voice_id.clone()),
        })).collect::<Vec<_>>(),
        "shots": film.shots.iter().map(|s| serde_json::json!({
            "id": s.id,
            "index": s.index,
            "description": s.description,
            "durationS": s.duration_s,
            "characters": s.characters.iter().filter_map(|id| film.member(*id).map(|m| m.name.clone())).collect::<Vec<_>>(),
            "lines": s.lines.iter().map(|l| serde_json::json!({
                "id": l.id, "speaker": l.speaker, "text": l.text, "chosen": path(&l.takes),
            })).collect::<Vec<_>>(),
            "chosen": { "keyframe": path(&s.keyframes), "clip": path(&s.clips) },
        })).collect::<Vec<_>>(),
        "music": path(&film.music),
        "musicImportedFrom": chosen(&film.music).and_then(|t| t.imported_from.clone()),
        "videoModel": film.settings.video_model,
        "clipAudio": film.settings.clip_audio.word(),
    })
}

fn cost_json(cost: &FilmBudget) -> serde_json::Value {
    serde_json::json!({
        "totalRequests": cost.total_requests,
        "paidRequests": cost.paid_requests,
        "stages": cost.stages.iter().map(|s| serde_json::json!({
            "stage": s.stage, "requests": s.requests, "unknown": s.unknown, "jobs": s.jobs, "paid": s.paid,
        })).collect::<Vec<_>>(),
        "windowsNeeded": cost.windows_needed,
        "finishesAt": cost.finishes_at_ms,
        "cheaper": cost.cheaper.as_ref().map(|c| serde_json::json!({
            "totalRequests": c.total_requests, "changes": english(&c.changes), "savingPercent": c.saving_percent,
        })),
        "unknown": english(&cost.unknown),
        "needsPayAsYouGo": english(&cost.needs_pay_as_you_go),
        "blocked": english(&cost.blocked),
    })
}

/// Job labels, blocked jobs and changes as the English sentences `--json` has always printed (studio-film sends
/// them to the app as data, for the app to word in its language).
fn english<T: std::fmt::Display>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn cost_text(cost: &FilmBudget) -> String {
    let mut text = String::new();
    for stage in &cost.stages {
        let unknown = if stage.unknown > 0 { format!(" + {} unknown", stage.unknown) } else { String::new() };
        text.push_str(&format!(
            "{:<10} {:>8} requests{unknown} ({} jobs; {} paid)\n",
            format!("{:?}", stage.stage).to_lowercase(),
            stage.requests,
            stage.jobs,
            stage.paid
        ));
    }
    text.push_str(&format!(
        "total      {:>8} requests, {} already paid\n",
        cost.total_requests, cost.paid_requests
    ));
    match cost.finishes_at_ms {
        Some(at) => text.push_str(&format!(
            "{} window(s) of 5 hours; done in about {} min if queued now\n",
            cost.windows_needed,
            (at - now()).max(0) / 60_000
        )),
        None => text.push_str("nothing left to make\n"),
    }
    for label in &cost.unknown {
        text.push_str(&format!("cost unknown: {label}\n"));
    }
    for label in &cost.needs_pay_as_you_go {
        text.push_str(&format!("over a whole window (pay-as-you-go only): {label}\n"));
    }
    if let Some(cheaper) = &cost.cheaper {
        text.push_str(&format!(
            "cheaper: {} requests (−{}%) with {}\n",
            cheaper.total_requests,
            cheaper.saving_percent,
            cheaper.changes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    text.trim_end().to_owned()
}

async fn draft(session: &Session, out: &Output, args: DraftArgs) -> Result<()> {
    let ratio = args.aspect_ratio.as_deref().map(aspect).transpose()?;
    if args.dry_run {
        let request = studio_core::request::GenerationRequest::Chat(studio_core::request::ChatParams {
            model: studio_film::project::service::DRAFT_MODEL.into(),
            system: None,
            messages: Vec::new(),
            max_tokens: None,
            temperature: None,
        });
        let cost = studio_core::pricing::estimate(&request.cost_input(None));
        out.print(&serde_json::json!({ "dryRun": true, "costs": [cost], "note": "one request, two if the reply must be re-asked" }), || {
            format!("Cost: {:?} (one more if the reply must be re-asked)", cost.requests())
        });
        return Ok(());
    }
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan film draft").await?;
    let _retire = Retire(runner.clone());
    eprintln!("tokenplan: drafting a shot list with {}…", studio_film::project::service::DRAFT_MODEL);
    let result = draft_film(
        &runner,
        &library,
        &args.idea,
        args.shots,
        ratio,
        args.style.as_deref(),
        session.key_kind(),
    )
    .await?;
    match result {
        DraftResult::Created { film_id, warnings, .. } => {
            for warning in warnings {
                eprintln!("tokenplan: repaired: {warning}");
            }
            show(&library, out, film_id)
        }
        DraftResult::NeedsEditing { raw_reply, problem, .. } => {
            // Nothing is thrown away: the reply goes to a file the user can fix and import.
            let path = library.root().join("exports").join(format!("film-draft-{}.txt", now()));
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, &raw_reply)?;
            Err(CliError::Usage(format!(
                "the drafted shot list is not usable ({problem}); the reply is saved at {}: fix it and `tokenplan film import` it",
                path.display()
            )))
        }
    }
}

async fn render(session: &Session, out: &Output, args: RenderArgs) -> Result<()> {
    let choice = StageChoice::parse(&args.stage).ok_or_else(|| {
        CliError::Usage(format!("stage {:?}: use keyframes, lines, clips, music or all", args.stage))
    })?;
    let options = StageOptions { takes: args.takes, redo: args.redo, shots: Vec::new() };
    if args.dry_run {
        let library = shared(session)?;
        let film = library.with(|lib| load_film(lib, args.id))?;
        let jobs = plan(&film, choice, &options, library.root());
        let scheduled = schedule_of(&jobs, &plan_window(session, &library)?, 0)?;
        let document = serde_json::json!({
            "dryRun": true,
            "jobs": jobs.iter().map(|j| serde_json::json!({
                "label": j.label.to_string(), "stage": j.stage, "request": j.request,
                "problem": j.problem.as_ref().map(ToString::to_string),
                "costRequests": studio_core::pricing::estimate(&j.request.cost_input(None)).requests(),
            })).collect::<Vec<_>>(),
            "totalRequests": scheduled.total_requests,
            "windowsNeeded": scheduled.windows_needed,
            "finishesAt": scheduled.finishes_at_ms,
        });
        out.print(&document, || {
            format!(
                "{} job(s), {} requests, {} window(s)",
                jobs.len(),
                scheduled.total_requests,
                scheduled.windows_needed
            )
        });
        return Ok(());
    }
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan film render").await?;
    let _retire = Retire(runner.clone());
    let ffmpeg = ffmpeg().await.ok();
    // Stage by stage: a clip plans from the keyframe the stage before chose.
    let stages: Vec<StageChoice> = match choice {
        StageChoice::All => {
            vec![StageChoice::Keyframes, StageChoice::Lines, StageChoice::Music, StageChoice::Clips]
        }
        one => vec![one],
    };
    let mut finished = Vec::new();
    let mut blocked = Vec::new();
    for stage in stages {
        let run =
            render_stage(&runner, &library, args.id, stage, &options, session.key_kind(), ffmpeg.as_ref())
                .await?;
        for reason in &run.blocked {
            eprintln!("tokenplan: not sent: {reason}");
        }
        blocked.extend(run.blocked);
        for job in &run.jobs {
            finished.push(crate::waiting::settle(&runner, &library, job, args.wait).await?);
        }
    }
    let failed = finished.iter().filter(|j| j.state != JobState::Succeeded).count();
    let document = serde_json::json!({
        "jobs": finished.iter().map(job_json).collect::<Vec<_>>(),
        "blocked": english(&blocked),
        "film": show_json(&library.with(|lib| load_film(lib, args.id))?, library.root()),
    });
    out.print(&document, || {
        format!("{} job(s) done, {failed} not succeeded, {} not sent", finished.len(), blocked.len())
    });
    if failed > 0 {
        return Err(CliError::Usage(format!(
            "{failed} job(s) did not succeed (see `tokenplan jobs`; `tokenplan retry ID`)"
        )));
    }
    Ok(())
}

/// Progress on stderr when it is a terminal (one line, rewritten), quiet otherwise.
fn progress() -> impl FnMut(RenderProgress) + Send {
    let terminal = std::io::stderr().is_terminal();
    let mut last = -1i64;
    move |p: RenderProgress| {
        let percent = (p.fraction * 100.0).round() as i64;
        if terminal && percent != last {
            last = percent;
            eprint!("\rtokenplan: {:?} {percent:>3}%   ", p.stage);
        }
    }
}

async fn animatic(session: &Session, out: &Output, id: i64, path: &Path) -> Result<()> {
    let library = shared(session)?;
    let ffmpeg = ffmpeg().await?;
    let cancel = cancel_on_ctrl_c();
    let report = assemble::animatic(&library, &ffmpeg, id, &mut progress(), &cancel).await?;
    eprintln!();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(&report.path, path)?;
    let probe = ffmpeg.probe(path).await?;
    let document = serde_json::json!({
        "path": path,
        "durationS": report.duration_ms as f64 / 1000.0,
        "streams": probe.streams.iter().map(|s| format!("{:?}:{}", s.kind, s.codec).to_lowercase()).collect::<Vec<_>>(),
        "shotsRendered": report.shots_rendered,
        "shotsReused": report.shots_reused,
    });
    out.print(&document, || format!("{} ({:.1} s)", path.display(), report.duration_ms as f64 / 1000.0));
    Ok(())
}

/// Ctrl+C cancels a render (ffmpeg is stopped and nothing partial is kept).
fn cancel_on_ctrl_c() -> CancellationToken {
    let cancel = CancellationToken::new();
    let token = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            token.cancel();
        }
    });
    cancel
}

async fn export(session: &Session, out: &Output, args: ExportArgs) -> Result<()> {
    let subtitles = match args.subtitles.as_str() {
        "track" => SubtitleMode::Track,
        "burn" => SubtitleMode::Burn,
        "none" => SubtitleMode::None,
        other => return Err(CliError::Usage(format!("--subtitles {other:?}: use track, burn or none"))),
    };
    let edl = match args.edl.as_deref() {
        None => None,
        Some("fcpxml") => Some(EdlFormat::Fcpxml),
        Some("otio") => Some(EdlFormat::Otio),
        Some(other) => return Err(CliError::Usage(format!("--edl {other:?}: use fcpxml or otio"))),
    };
    let resolution = match args.resolution.trim_end_matches(['p', 'P']) {
        "720" => ExportResolution::P720,
        "768" => ExportResolution::P768,
        "1080" => ExportResolution::P1080,
        other => return Err(CliError::Usage(format!("--resolution {other:?}: use 720, 768 or 1080"))),
    };
    let options = ExportOptions { resolution, subtitles, edl, ..ExportOptions::default() };
    let library = shared(session)?;
    let ffmpeg = ffmpeg().await?;
    let cancel = cancel_on_ctrl_c();
    let done: FilmExport =
        assemble::export(&library, &ffmpeg, args.id, &options, Some(&args.out), &mut progress(), &cancel)
            .await?;
    eprintln!();
    let subtitles: Vec<&String> =
        done.sidecars.iter().filter(|p| p.ends_with(".srt") || p.ends_with(".vtt")).collect();
    let edl = done.sidecars.iter().find(|p| p.ends_with(".fcpxml") || p.ends_with(".otio"));
    let document = serde_json::json!({
        "path": done.copied_to,
        "durationS": done.duration_ms as f64 / 1000.0,
        "streams": done.streams,
        "subtitles": subtitles,
        "edl": edl,
        "streamCopy": done.stream_copy,
        "copyRefused": done.copy_refused.as_ref().map(ToString::to_string),
        "libraryJob": done.item.job.id,
    });
    out.print(&document, || format!("{} ({:.1} s)", args.out.display(), done.duration_ms as f64 / 1000.0));
    Ok(())
}
