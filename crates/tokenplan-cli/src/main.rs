//! `tokenplan`: generate with MiniMax's Token Plan from scripts, sharing the app's library.
//!
//! The contract (ARCHITECTURE.md, "The command line contract") is the [`Cli`] below: configuration flags,
//! one subcommand per generation with `--dry-run`, and management commands. With `--json` exactly one JSON
//! document is printed on stdout; progress goes to stderr. The exit code is 0 only on success.

mod check;
mod dry_run;
mod error;
mod film;
mod film_sound;
mod generate;
mod inputs;
mod key_flag;
mod manage;
mod play;
mod seed;
mod session;
mod voices;
mod waiting;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::CliError;
use studio_core::reference_media::ReferenceKind;

/// Token Plan Studio on the command line.
#[derive(Debug, Parser)]
#[command(name = "tokenplan", version, about, propagate_version = true)]
pub struct Cli {
    /// The data folder shared with the app.
    #[arg(long, global = true, env = "TOKENPLAN_HOME", value_name = "DIR")]
    home: Option<PathBuf>,
    /// The API base URL, e.g. https://api.minimax.io (default: the region in the app's settings).
    #[arg(long, global = true, env = "MINIMAX_API_HOST", value_name = "URL")]
    api_host: Option<String>,
    /// The API key (default: the key saved by the app). Prefer MINIMAX_API_KEY: a key on the command line is
    /// visible to other users.
    #[arg(long, global = true, env = "MINIMAX_API_KEY", value_name = "KEY", hide_env_values = true)]
    api_key: Option<key_flag::SecretArg>,
    /// Print one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Text to speech.
    Speak(SpeakArgs),
    /// Images from a prompt.
    Image(ImageArgs),
    /// A video clip (text→video, image→video, first+last frame; MiniMax-H3 reference images, videos, audios).
    Video(VideoArgs),
    /// A song.
    Music(MusicArgs),
    /// Lyrics for a song.
    Lyrics(LyricsArgs),
    /// One chat answer (streamed to stdout without --json).
    Chat(ChatArgs),
    /// Unfinished and recent jobs.
    Jobs,
    /// Continue unfinished jobs (polls stored tasks; never pays twice).
    Resume {
        /// Wait for quota with a countdown instead of exiting when a job must wait.
        #[arg(long)]
        wait: bool,
    },
    /// Run a failed, cancelled or interrupted job again (a stored task is resumed, never paid twice).
    Retry {
        /// The job id.
        id: i64,
        /// Wait for quota with a countdown instead of exiting when the job must wait.
        #[arg(long)]
        wait: bool,
    },
    /// Cancel a job.
    Cancel {
        /// The job id.
        id: i64,
    },
    /// Past generations, newest first.
    History(HistoryArgs),
    /// The 5-hour window: used, remaining, next release (and the server's view with a plan key).
    Quota {
        /// When MiniMax counts more requests used than the ledger, add the difference to the window (one
        /// logged adjustment row; never removes any).
        #[arg(long)]
        correct: bool,
    },
    /// Fill the library with N demo generations with real media (for trying the Library and its benchmarks).
    Seed {
        /// How many.
        count: usize,
    },
    /// Short films: storyboard, cast, takes, cost, render, animatic, export.
    #[command(subcommand)]
    Film(film::FilmCommand),
    /// The library's health: the database integrity check, media consistency, and removal of temporary
    /// files a crash left behind.
    Check,
    /// The voices available to the key (`voices [--search Q]`), and the voice workspace: `audition`,
    /// `design`, `clone FILE`, `status VOICE`, `keep-alive VOICE`.
    Voices(voices::VoicesArgs),
}

/// Flags every generation has.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Print the cost and what the window holds; no job is sent (with the plan key its quota is read, free).
    #[arg(long)]
    pub dry_run: bool,
    /// Run on the pay-as-you-go key instead of the plan (use with --api-key sk-api-…).
    #[arg(long)]
    pub pay_as_you_go: bool,
    /// When the job must wait for quota, wait here with a countdown (default: say why and until when, exit
    /// with quotaExhausted and leave the job queued for `tokenplan resume` or the app).
    #[arg(long)]
    pub wait: bool,
}

/// `speak`.
#[derive(Debug, Args)]
pub struct SpeakArgs {
    /// The text (`<#0.5#>` inserts a pause). Several texts run as several jobs, concurrently.
    #[arg(required_unless_present = "from")]
    pub text: Vec<String>,
    /// Read texts from a file, one per line (several jobs).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// The model.
    #[arg(long, default_value = "speech-2.8-hd")]
    pub model: String,
    /// The voice id (see `tokenplan voices`).
    #[arg(long, default_value = "English_Graceful_Lady")]
    pub voice: String,
    /// mp3, wav, flac or pcm.
    #[arg(long)]
    pub format: Option<String>,
    /// Stream the audio (it is written as it arrives).
    #[arg(long, conflicts_with = "async")]
    pub stream: bool,
    /// The async long-text API (up to 50,000 characters; cheaper).
    #[arg(long = "async")]
    pub r#async: bool,
    /// 0.5–2.
    #[arg(long)]
    pub speed: Option<f64>,
    /// (0, 10].
    #[arg(long)]
    pub volume: Option<f64>,
    /// −12–12.
    #[arg(long, allow_hyphen_values = true)]
    pub pitch: Option<i32>,
    /// happy, sad, angry, fearful, disgusted, surprised, calm, fluent, whisper.
    #[arg(long)]
    pub emotion: Option<String>,
    /// Hz.
    #[arg(long)]
    pub sample_rate: Option<u32>,
    /// Ask for a subtitle file.
    #[arg(long)]
    pub subtitles: bool,
    /// Play it through the native player (with --stream, while it arrives).
    #[arg(long)]
    pub play: bool,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `image`.
#[derive(Debug, Args)]
pub struct ImageArgs {
    /// The prompt.
    pub prompt: String,
    /// image-01 or image-01-live.
    #[arg(long, default_value = "image-01")]
    pub model: String,
    /// 1:1, 16:9, 4:3, 3:2, 2:3, 3:4, 9:16, 21:9.
    #[arg(long)]
    pub aspect_ratio: Option<String>,
    /// Images, 1–9.
    #[arg(short = 'n', long = "count")]
    pub count: Option<u32>,
    /// Same seed ⇒ similar image.
    #[arg(long)]
    pub seed: Option<i64>,
    /// Let the server improve the prompt.
    #[arg(long)]
    pub prompt_optimizer: bool,
    /// A portrait whose subject to keep.
    #[arg(long, value_name = "FILE")]
    pub subject_reference: Option<PathBuf>,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `video`.
#[derive(Debug, Args)]
pub struct VideoArgs {
    /// The prompt; camera moves like `[Pan left]` allowed.
    pub prompt: String,
    /// The model.
    #[arg(long, default_value = "MiniMax-Hailuo-2.3")]
    pub model: String,
    /// 512P, 720P, 768P, 1080P (default: the model's).
    #[arg(long)]
    pub resolution: Option<String>,
    /// Seconds (6 or 10).
    #[arg(long)]
    pub duration: Option<u32>,
    /// The first frame (image→video).
    #[arg(long, value_name = "FILE")]
    pub first_frame: Option<PathBuf>,
    /// The last frame (first+last frame, Hailuo-02).
    #[arg(long, value_name = "FILE", requires = "first_frame")]
    pub last_frame: Option<PathBuf>,
    /// Do not let the server rewrite the prompt (Hailuo).
    #[arg(long)]
    pub no_prompt_optimizer: bool,
    /// MiniMax-H3: 16:9, 9:16, 1:1, 4:3, 3:4, 21:9 (text→video; default 16:9).
    #[arg(long)]
    pub ratio: Option<String>,
    /// MiniMax-H3: a silent clip (no soundtrack of its own).
    #[arg(long)]
    pub no_audio: bool,
    /// MiniMax-H3 reference mode: an image (repeat for more, up to 9).
    #[arg(long = "reference-image", value_name = "FILE")]
    pub reference_images: Vec<PathBuf>,
    /// MiniMax-H3 reference mode: an MP4 or MOV of 2–15 s (repeat, up to 3; 15 s in all; billed per second).
    #[arg(long = "reference-video", value_name = "FILE")]
    pub reference_videos: Vec<PathBuf>,
    /// MiniMax-H3 reference mode: a WAV or MP3 of 2–15 s (repeat, up to 3; 15 s in all; needs an image or video).
    #[arg(long = "reference-audio", value_name = "FILE")]
    pub reference_audios: Vec<PathBuf>,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `music`.
#[derive(Debug, Args)]
pub struct MusicArgs {
    /// Style, mood, instruments.
    #[arg(long)]
    pub prompt: Option<String>,
    /// Lyrics with structure tags; `\n` separates lines.
    #[arg(long)]
    pub lyrics: Option<String>,
    /// The model.
    #[arg(long, default_value = "music-2.6")]
    pub model: String,
    /// No vocals.
    #[arg(long)]
    pub instrumental: bool,
    /// mp3 or wav.
    #[arg(long)]
    pub format: Option<String>,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `lyrics`.
#[derive(Debug, Args)]
pub struct LyricsArgs {
    /// Theme or style (or the edit instruction with --lyrics).
    pub prompt: String,
    /// Lyrics to edit.
    #[arg(long)]
    pub lyrics: Option<String>,
    /// A title kept verbatim.
    #[arg(long)]
    pub title: Option<String>,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `chat`.
#[derive(Debug, Args)]
pub struct ChatArgs {
    /// The message.
    pub prompt: String,
    /// The model.
    #[arg(long, default_value = "MiniMax-M2.7")]
    pub model: String,
    /// A system prompt.
    #[arg(long)]
    pub system: Option<String>,
    /// Output token limit.
    #[arg(long)]
    pub max_tokens: Option<u32>,
    /// --dry-run, --pay-as-you-go.
    #[command(flatten)]
    pub common: Common,
}

/// `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// text, speech, speechAsync, image, video, music, lyrics.
    #[arg(long)]
    pub kind: Option<String>,
    /// Words of the prompt (`word*` for a prefix).
    #[arg(long)]
    pub search: Option<String>,
    /// How many.
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Some(warning) = key_flag::command_line_key_warning(&matches) {
        eprintln!("{warning}");
    }
    let json = cli.json;
    session::set_quiet(json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tokenplan: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A command that printed its document already put the error in it (one document on stdout).
            if json && !matches!(error, CliError::Printed(_)) {
                println!("{}", error.to_json());
            }
            eprintln!("tokenplan: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let api_key = cli.api_key.clone().map(key_flag::SecretArg::into_inner);
    let session = session::Session::open(cli.home.clone(), cli.api_host.clone(), api_key)?;
    let out = session::Output { json: cli.json };
    match cli.command {
        Command::Speak(args) => generate::speak(&session, &out, args).await,
        Command::Image(mut args) => {
            let common = args.common.clone();
            if !common.dry_run {
                inputs::import_into_library(&session, &mut [&mut args.subject_reference])?;
            }
            generate::one(&session, &out, generate::image_request(args), &common).await
        }
        Command::Video(mut args) => {
            let common = args.common.clone();
            if !common.dry_run {
                inputs::import_into_library(&session, &mut [&mut args.first_frame, &mut args.last_frame])?;
                inputs::import_all_into_library(&session, &mut args.reference_images)?;
            }
            let videos = inputs::reference_clips(
                &session,
                &args.reference_videos,
                ReferenceKind::Video,
                common.dry_run,
            );
            let audios = inputs::reference_clips(
                &session,
                &args.reference_audios,
                ReferenceKind::Audio,
                common.dry_run,
            );
            let clips = (videos.await?, audios.await?);
            generate::one(&session, &out, generate::video_request(args, clips), &common).await
        }
        Command::Music(args) => {
            let common = args.common.clone();
            generate::one(&session, &out, generate::music_request(args)?, &common).await
        }
        Command::Lyrics(args) => {
            let common = args.common.clone();
            generate::one(&session, &out, generate::lyrics_request(args), &common).await
        }
        Command::Chat(args) => generate::chat(&session, &out, args).await,
        Command::Jobs => manage::jobs(&session, &out),
        Command::Resume { wait } => manage::resume(&session, &out, wait).await,
        Command::Retry { id, wait } => manage::retry(&session, &out, id, wait).await,
        Command::Cancel { id } => manage::cancel(&session, &out, id),
        Command::History(args) => manage::history(&session, &out, &args),
        Command::Quota { correct } => manage::quota(&session, &out, correct).await,
        Command::Seed { count } => seed::seed(&session, &out, count),
        Command::Film(command) => film::run(&session, &out, command).await,
        Command::Check => check::check(&session, &out),
        Command::Voices(args) => voices::run(&session, &out, args).await,
    }
}
