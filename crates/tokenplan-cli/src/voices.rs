//! `tokenplan voices …`: the voice list (`tokenplan voices [--search Q]`, as before), and the voice
//! workspace — `audition` (one line in several voices, cached takes free), `design` (a voice from words),
//! `clone FILE` (a voice from a checked, uploaded sample), `status` (can a voice still be used?) and
//! `keep-alive` (one short real synthesis so MiniMax keeps a new voice). Each takes `--json`; those that
//! spend take `--dry-run` (the cost, nothing called).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use studio_core::pricing::Cost;
use studio_core::runner::Runner;
use studio_core::storage::{Job, JobState, SharedLibrary};
use studio_core::voices::{
    self, CloneAsk, DesignAsk, QuoteContext, SampleFacts, VoiceRef, VoiceSettings, VoiceTake,
};

use crate::error::{CliError, Result};
use crate::session::{Output, Session, job_json};

/// `tokenplan voices`: the list without a subcommand, or one of these.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct VoicesArgs {
    /// Only voices whose id, name or description contains this (the list).
    #[arg(long)]
    pub search: Option<String>,
    #[command(subcommand)]
    pub command: Option<VoicesCommand>,
}

/// The voice workspace.
#[derive(Debug, Subcommand)]
pub enum VoicesCommand {
    /// One line in several voices (Turbo by default); a take already made with the same text and settings
    /// is replayed from the library for free.
    Audition(AuditionArgs),
    /// A new voice from a description; its preview is saved (charged at the Turbo rate).
    Design(DesignArgs),
    /// A new voice from a 10 s – 5 min sample (mp3, m4a or wav, ≤ 20 MB), checked before upload.
    Clone(CloneArgs),
    /// Whether a voice can be used (a designed or cloned voice unused for 7 days is deleted by MiniMax).
    Status {
        /// The voice id.
        voice: String,
    },
    /// Keeps a designed or cloned voice: one short real synthesis with it.
    KeepAlive {
        /// The voice id.
        voice: String,
        /// Print the cost; call nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `voices audition`.
#[derive(Debug, Args)]
pub struct AuditionArgs {
    /// The line (default: each voice's own short sample line in its language).
    #[arg(long, default_value = "")]
    pub text: String,
    /// A voice id; repeat for each voice (up to 12).
    #[arg(long = "voice", required = true)]
    pub voices: Vec<String>,
    /// The model (a preview defaults to Turbo: half the price of HD).
    #[arg(long, default_value = voices::PREVIEW_MODEL)]
    pub model: String,
    /// Speed, 0.5–2.
    #[arg(long)]
    pub speed: Option<f64>,
    /// Pitch, −12–12.
    #[arg(long, allow_hyphen_values = true)]
    pub pitch: Option<i32>,
    /// Emotion (happy, sad, calm, …).
    #[arg(long)]
    pub emotion: Option<String>,
    /// Print the cost of each take; call nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `voices design`.
#[derive(Debug, Args)]
pub struct DesignArgs {
    /// The name the voice is kept under.
    #[arg(long)]
    pub name: String,
    /// The voice in words.
    #[arg(long)]
    pub description: String,
    /// What the preview says (default: a short line in the description's language).
    #[arg(long, default_value = "")]
    pub preview_text: String,
    /// Print the cost; call nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `voices clone`.
#[derive(Debug, Args)]
pub struct CloneArgs {
    /// The sample: mp3, m4a or wav, 10 s – 5 min, ≤ 20 MB.
    pub file: PathBuf,
    /// The name the voice is kept under.
    #[arg(long)]
    pub name: String,
    /// The language the sample speaks (e.g. English, Chinese).
    #[arg(long)]
    pub language: Option<String>,
    /// What the preview says (default: a short line in the language).
    #[arg(long, default_value = "")]
    pub preview_text: String,
    /// I have the right to clone this voice (my own, or with the speaker's permission).
    #[arg(long)]
    pub consent: bool,
    /// Check the sample and print the cost; upload and call nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `tokenplan voices …`.
pub async fn run(session: &Session, out: &Output, args: VoicesArgs) -> Result<()> {
    match args.command {
        None => crate::manage::voices(session, out, args.search.as_deref()).await,
        Some(VoicesCommand::Audition(a)) => audition(session, out, a).await,
        Some(VoicesCommand::Design(a)) => design(session, out, a).await,
        Some(VoicesCommand::Clone(a)) => clone(session, out, a).await,
        Some(VoicesCommand::Status { voice }) => status(session, out, &voice),
        Some(VoicesCommand::KeepAlive { voice, dry_run }) => keep_alive(session, out, &voice, dry_run).await,
    }
}

fn remaining(session: &Session) -> Result<(u64, i64)> {
    let now = studio_core::runner::Clock::now_ms(&studio_core::runner::SystemClock);
    let window = session.library()?.plan_window(&session.settings, now)?;
    Ok((window.remaining, now))
}

fn cost_text(cost: &Cost) -> String {
    match cost {
        Cost::Requests(n) => format!("{n} requests"),
        Cost::Unknown { reason } => format!("unknown ({reason})"),
    }
}

/// The voices' metadata from the list (free), so each speaks its own language; bare ids when it fails.
async fn voice_refs(session: &Session, ids: &[String]) -> Vec<VoiceRef> {
    let listed = match session.client() {
        Ok(client) => voices::list_voices(&client).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    ids.iter()
        .map(|id| match listed.iter().find(|v| &v.voice_id == id) {
            Some(info) => VoiceRef::from(info),
            None => VoiceRef { voice_id: id.clone(), name: id.clone(), ..VoiceRef::default() },
        })
        .collect()
}

async fn finished(runner: &Runner, library: &SharedLibrary, job: &Job) -> Result<Job> {
    crate::waiting::settle(runner, library, job, false).await
}

fn take_json(library: &SharedLibrary, take: &VoiceTake, job: &Job) -> Result<serde_json::Value> {
    let media = library.with(|lib| lib.job_with_media(job.id))?.media;
    let audio = media.iter().find(|m| m.mime.starts_with("audio/"));
    Ok(serde_json::json!({
        "voiceId": take.voice_id,
        "voiceName": take.voice_name,
        "cached": take.cached,
        "job": job_json(job),
        "path": audio.map(|m| library.root().join(&m.rel_path)),
        "durationMs": audio.and_then(|m| m.duration_ms),
    }))
}

async fn audition(session: &Session, out: &Output, a: AuditionArgs) -> Result<()> {
    let settings = VoiceSettings { model: a.model, speed: a.speed, pitch: a.pitch, emotion: a.emotion };
    let refs = voice_refs(session, &a.voices).await;
    if a.dry_run {
        let library = SharedLibrary::new(session.library()?);
        let (remaining, _) = remaining(session)?;
        let quote = voices::quote_audition(&library, false, remaining, &a.text, &refs, &settings)?;
        out.print(&serde_json::json!({ "dryRun": true, "quote": quote }), || {
            let mut lines: Vec<String> = quote
                .takes
                .iter()
                .map(|t| {
                    let cost = if t.cached { "cached (free)".into() } else { cost_text(&t.cost) };
                    format!("{:<40} {cost}", t.voice_id)
                })
                .collect();
            lines.push(format!(
                "Total: {} requests · {} left in the 5-hour window",
                quote.total_requests, quote.remaining
            ));
            lines.join("\n")
        });
        return Ok(());
    }
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan voices audition").await?;
    let _retire = crate::waiting::Retire(runner.clone());
    let audition = voices::run_audition(&runner, &library, &a.text, &refs, &settings)?;
    let mut takes = Vec::with_capacity(audition.takes.len());
    let mut failed = None;
    for take in &audition.takes {
        let job = if take.job.state.is_finished() {
            take.job.clone()
        } else {
            finished(&runner, &library, &take.job).await?
        };
        if job.state != JobState::Succeeded {
            failed.get_or_insert_with(|| crate::generate::failed(&job));
        }
        takes.push(take_json(&library, take, &job)?);
    }
    let document =
        serde_json::json!({ "audition": { "id": audition.id, "text": audition.text, "takes": takes } });
    if let Some(error) = failed {
        if out.json {
            let mut document = document;
            document["error"] = error.to_json()["error"].clone();
            println!("{document}");
            return Err(CliError::Printed(Box::new(error)));
        }
        return Err(error);
    }
    out.print(&document, || {
        takes
            .iter()
            .map(|t| {
                let cached = if t["cached"].as_bool() == Some(true) { " (cached)" } else { "" };
                format!(
                    "{:<40} {}{cached}",
                    t["voiceId"].as_str().unwrap_or(""),
                    t["path"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

fn region(session: &Session) -> studio_core::settings::Region {
    session.settings.region.clone()
}

async fn made(
    session: &Session,
    out: &Output,
    runner: &Runner,
    library: &SharedLibrary,
    voice: voices::CustomVoice,
) -> Result<()> {
    let job_id = voice.job_id.ok_or_else(|| CliError::Usage("the voice has no job".into()))?;
    let job = library.with(|lib| lib.job(job_id))?;
    let job = finished(runner, library, &job).await?;
    if job.state != JobState::Succeeded {
        return Err(crate::generate::failed(&job));
    }
    let voice = voices::custom_voice(library, &voice.voice_id)?.unwrap_or(voice);
    let preview = library.with(|lib| lib.job_with_media(job.id))?.media.into_iter().next();
    let path = preview.map(|m| library.root().join(m.rel_path));
    let expires = match &voice.status {
        voices::VoiceStatus::Available { expires_at_ms } => *expires_at_ms,
        _ => None,
    };
    let first_use = voices::first_use_charge(&region(session), voice.kind);
    let document = serde_json::json!({
        "voice": voice, "job": job_json(&job), "preview": path, "expiresAtMs": expires, "firstUse": first_use,
    });
    out.print(&document, || {
        let mut text = format!("{} ({})", voice.voice_id, voice.name);
        if let Some(path) = &path {
            text.push_str(&format!("\npreview: {}", path.display()));
        }
        if let Some(at) = expires {
            text.push_str(&format!(
                "\nMiniMax deletes it unless used in a real synthesis within 7 days (by epoch ms {at}): \
                 `tokenplan voices keep-alive {}`",
                voice.voice_id
            ));
        }
        text
    });
    Ok(())
}

async fn design(session: &Session, out: &Output, a: DesignArgs) -> Result<()> {
    let ask = DesignAsk { name: a.name, description: a.description, preview_text: a.preview_text };
    if a.dry_run {
        let (remaining, now_ms) = remaining(session)?;
        let region = region(session);
        let quote = voices::quote_design(&ask, QuoteContext { region: &region, remaining, now_ms })?;
        out.print(&serde_json::json!({ "dryRun": true, "quote": quote }), || {
            format!(
                "Preview: {} · then {} at its first real use · {} left in the window",
                cost_text(&quote.preview),
                quote.first_use.pay_as_you_go,
                quote.remaining
            )
        });
        return Ok(());
    }
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan voices design").await?;
    let _retire = crate::waiting::Retire(runner.clone());
    let voice = voices::design_voice(&runner, &library, &ask)?;
    made(session, out, &runner, &library, voice).await
}

fn sample_facts(path: &std::path::Path) -> Result<SampleFacts> {
    use std::io::Read;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = std::fs::File::open(path)?;
    let size_bytes = file.metadata()?.len();
    let mut head = vec![0u8; 16];
    let n = file.read(&mut head)?;
    head.truncate(n);
    let decoded = studio_audio::analyze_file(path).ok().map(|l| voices::DecodedSample {
        duration_ms: l.duration_ms,
        rms_dbfs: l.rms_dbfs,
        voiced_share: l.voiced_share,
    });
    Ok(SampleFacts { file_name, size_bytes, head, decoded })
}

async fn clone(session: &Session, out: &Output, a: CloneArgs) -> Result<()> {
    let facts = sample_facts(&a.file)?;
    let decoded = voices::check_sample(&facts).map_err(|e| CliError::Usage(e.to_string()))?;
    if !a.consent && !a.dry_run {
        return Err(CliError::Usage(
            "cloning needs --consent: confirm you have the right to clone this voice (your own, or with the \
             speaker's permission)"
                .into(),
        ));
    }
    let ask = CloneAsk {
        name: a.name,
        sample_id: 0,
        preview_text: a.preview_text,
        language: a.language,
        consent: a.consent,
    };
    if a.dry_run {
        let (remaining, now_ms) = remaining(session)?;
        let region = region(session);
        let quote = voices::quote_clone(&ask, QuoteContext { region: &region, remaining, now_ms })?;
        let document = serde_json::json!({ "dryRun": true, "sample": decoded, "quote": quote });
        out.print(&document, || {
            format!(
                "Sample OK ({:.1} s). Preview: {} · then {} at its first real use",
                decoded.duration_ms as f64 / 1000.0,
                cost_text(&quote.preview),
                quote.first_use.pay_as_you_go
            )
        });
        return Ok(());
    }
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan voices clone").await?;
    let _retire = crate::waiting::Retire(runner.clone());
    let client = session.client()?;
    let sample = voices::upload_sample(&client, &library, &a.file, &facts, false)
        .await
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let voice = voices::clone_voice(&runner, &library, &CloneAsk { sample_id: sample.id, ..ask })?;
    made(session, out, &runner, &library, voice).await
}

fn status(session: &Session, out: &Output, voice_id: &str) -> Result<()> {
    let library = session.library()?;
    let now = studio_core::runner::Clock::now_ms(&studio_core::runner::SystemClock);
    let status = voices::voice_status(&library, voice_id, now)?;
    let document = serde_json::json!({ "voiceId": voice_id, "status": status, "usable": status.usable() });
    out.print(&document, || format!("{voice_id}: {status:?}"));
    Ok(())
}

async fn keep_alive(session: &Session, out: &Output, voice_id: &str, dry_run: bool) -> Result<()> {
    let library = SharedLibrary::new(session.library()?);
    let voice = voices::custom_voice(&library, voice_id)?
        .ok_or_else(|| CliError::Usage(format!("{voice_id} was not designed or cloned here")))?;
    let reference = VoiceRef {
        voice_id: voice.voice_id.clone(),
        name: voice.name.clone(),
        description: voice.description.clone(),
        language: voice.language.clone(),
    };
    if dry_run {
        let (remaining, _) = remaining(session)?;
        let params = voices::preview_request(&reference, "", &VoiceSettings::default());
        let request = studio_core::request::GenerationRequest::Speech(params);
        let cost = studio_core::pricing::estimate(&request.cost_input(None));
        out.print(&serde_json::json!({ "dryRun": true, "cost": cost, "remaining": remaining }), || {
            cost_text(&cost)
        });
        return Ok(());
    }
    drop(library);
    let (runner, library) = session.runner_for(session.key_kind(), "tokenplan voices keep-alive").await?;
    let _retire = crate::waiting::Retire(runner.clone());
    let take = voices::keep_voice_alive(&runner, &library, voice_id)?;
    let job = finished(&runner, &library, &take.job).await?;
    if job.state != JobState::Succeeded {
        return Err(crate::generate::failed(&job));
    }
    let document = take_json(&library, &take, &job)?;
    out.print(&document, || format!("{voice_id} kept: used in a real synthesis"));
    Ok(())
}
