//! The generation commands: build the request, show the cost (`--dry-run`) or run it as a job in the shared
//! library, wait with progress on stderr, print the job and its files.

use std::io::Write;
use std::path::Path;

use studio_core::reference_media::ReferenceClip;
use studio_core::runner::{
    ChatParams, ChatRole, ChatTurn, GenerationRequest, ImageInput, ImageParams, LyricsParams, MusicParams,
    Runner, SpeechDelivery, SpeechParams, SubmitOptions, TapItem, VideoParams,
};
use studio_core::storage::{Job, JobState, KeyKind, SharedLibrary};

use crate::dry_run::dry_run;
use crate::error::{CliError, Result};
use crate::session::{Output, Session, assets_json, job_json};
use crate::waiting::Retire;
use crate::{ChatArgs, Common, ImageArgs, LyricsArgs, MusicArgs, SpeakArgs, VideoArgs};

fn file_input(path: &Path) -> ImageInput {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    ImageInput::File { path: absolute.to_string_lossy().into_owned() }
}

/// The request of `image`.
pub fn image_request(args: ImageArgs) -> GenerationRequest {
    GenerationRequest::Image(ImageParams {
        model: args.model,
        prompt: args.prompt,
        aspect_ratio: args.aspect_ratio,
        count: args.count,
        seed: args.seed,
        prompt_optimizer: args.prompt_optimizer,
        subject_reference: args.subject_reference.as_deref().map(file_input),
    })
}

/// The request of `video`, with its reference videos and audios already measured (and imported).
pub fn video_request(
    args: VideoArgs,
    (reference_videos, reference_audios): (Option<Vec<ReferenceClip>>, Option<Vec<ReferenceClip>>),
) -> GenerationRequest {
    let reference_images: Vec<ImageInput> = args.reference_images.iter().map(|p| file_input(p)).collect();
    GenerationRequest::Video(VideoParams {
        model: args.model,
        prompt: args.prompt,
        resolution: args.resolution,
        duration_s: args.duration,
        prompt_optimizer: args.no_prompt_optimizer.then_some(false),
        first_frame: args.first_frame.as_deref().map(file_input),
        last_frame: args.last_frame.as_deref().map(file_input),
        ratio: args.ratio,
        generate_audio: args.no_audio.then_some(false),
        reference_images: Some(reference_images).filter(|r| !r.is_empty()),
        reference_videos,
        reference_audios,
    })
}

/// The request of `music`: a prompt, lyrics, or both.
pub fn music_request(args: MusicArgs) -> Result<GenerationRequest> {
    if args.prompt.is_none() && args.lyrics.is_none() {
        return Err(CliError::Usage("music needs --prompt, --lyrics or both".into()));
    }
    Ok(GenerationRequest::Music(MusicParams {
        model: args.model,
        prompt: args.prompt,
        lyrics: args.lyrics.map(|l| l.replace("\\n", "\n")),
        instrumental: args.instrumental,
        format: args.format,
    }))
}

/// The request of `lyrics`.
pub fn lyrics_request(args: LyricsArgs) -> GenerationRequest {
    GenerationRequest::Lyrics(LyricsParams { prompt: args.prompt, lyrics: args.lyrics, title: args.title })
}

fn speech_request(args: &SpeakArgs, text: String) -> GenerationRequest {
    let delivery = if args.r#async {
        SpeechDelivery::Async
    } else if args.stream {
        SpeechDelivery::Stream
    } else {
        SpeechDelivery::Sync
    };
    GenerationRequest::Speech(SpeechParams {
        model: args.model.clone(),
        text,
        voice_id: args.voice.clone(),
        delivery,
        speed: args.speed,
        volume: args.volume,
        pitch: args.pitch,
        emotion: args.emotion.clone(),
        format: args.format.clone(),
        sample_rate: args.sample_rate,
        subtitles: args.subtitles,
        language_boost: None,
        preview: false,
    })
}

fn key_kind(session: &Session, common: &Common) -> KeyKind {
    if common.pay_as_you_go { KeyKind::PayAsYouGo } else { session.key_kind() }
}

/// The subcommand that makes `request` (`video`, `image`, …), for what the app says runs the job.
fn command_word(request: &GenerationRequest) -> &'static str {
    match request {
        GenerationRequest::Chat(_) => "chat",
        GenerationRequest::Speech(_) => "speak",
        GenerationRequest::Image(_) => "image",
        GenerationRequest::Video(_) => "video",
        GenerationRequest::Music(_) => "music",
        GenerationRequest::Lyrics(_) => "lyrics",
        GenerationRequest::VoiceDesign(_) => "voices design",
        GenerationRequest::VoiceClone(_) => "voices clone",
    }
}

async fn wait(runner: &Runner, library: &SharedLibrary, job: &Job, common: &Common) -> Result<Job> {
    let done = crate::waiting::settle(runner, library, job, common.wait).await?;
    Ok(done)
}

pub(crate) fn failed(job: &Job) -> CliError {
    let error = job.error.clone();
    CliError::JobFailed {
        id: job.id,
        state: format!("{:?}", job.state).to_lowercase(),
        kind: error.as_ref().map_or_else(|| "cancelled".into(), |e| e.kind.as_str().to_owned()),
        message: error.as_ref().map_or_else(|| "stopped before it finished".into(), |e| e.message.clone()),
        trace_id: error.and_then(|e| e.trace_id),
    }
}

/// The contract's document for a finished job (`text` for chat and lyrics).
fn result_json(library: &SharedLibrary, job: &Job) -> Result<(serde_json::Value, String)> {
    let root = library.root();
    let with_media = library.with(|lib| lib.job_with_media(job.id))?;
    let text = match job.modality {
        studio_core::modality::Modality::Text | studio_core::modality::Modality::Lyrics => {
            with_media.media.first().and_then(|m| std::fs::read_to_string(root.join(&m.rel_path)).ok())
        }
        _ => None,
    };
    let assets = assets_json(root, &with_media);
    let human = with_media
        .media
        .iter()
        .map(|m| root.join(&m.rel_path).display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let document = serde_json::json!({ "job": job_json(&with_media.job), "assets": assets, "text": text });
    Ok((document, text.unwrap_or(human)))
}

/// Runs one generation and prints its result.
pub async fn one(session: &Session, out: &Output, request: GenerationRequest, common: &Common) -> Result<()> {
    if common.dry_run {
        return dry_run(session, out, std::slice::from_ref(&request), key_kind(session, common)).await;
    }
    let label = format!("tokenplan {}", command_word(&request));
    let (runner, library) = session.runner_for(key_kind(session, common), &label).await?;
    let _retire = Retire(runner.clone());
    let job = runner.submit(&request, SubmitOptions { key_kind: key_kind(session, common), tap: None })?;
    let done = wait(&runner, &library, &job, common).await?;
    if done.state != JobState::Succeeded {
        return Err(failed(&done));
    }
    let (document, human) = result_json(&library, &done)?;
    out.print(&document, || human);
    Ok(())
}

/// `speak`: one job per text, run concurrently within the speech lane's limits.
pub async fn speak(session: &Session, out: &Output, args: SpeakArgs) -> Result<()> {
    let mut texts = args.text.clone();
    if let Some(file) = &args.from {
        let content = std::fs::read_to_string(file)?;
        texts.extend(content.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned));
    }
    if texts.is_empty() {
        return Err(CliError::Usage("nothing to speak: give a text or --from FILE".into()));
    }
    let requests: Vec<GenerationRequest> = texts.into_iter().map(|t| speech_request(&args, t)).collect();
    if args.common.dry_run {
        return dry_run(session, out, &requests, key_kind(session, &args.common)).await;
    }
    let kind = key_kind(session, &args.common);
    let (runner, library) = session.runner_for(kind, "tokenplan speak").await?;
    let _retire = Retire(runner.clone());
    let playback = if args.play { crate::play::Playback::start() } else { None };
    let format =
        studio_audio::AudioFormat::from_api(args.format.as_deref().unwrap_or("mp3"), args.sample_rate, None);
    if let (Some(playback), true, [request]) = (&playback, args.stream, requests.as_slice()) {
        // Streamed and played: the sound starts with the first chunk, while the job is still running.
        let (tap, chunks) = tokio::sync::mpsc::unbounded_channel();
        let job = runner.submit(request, SubmitOptions { key_kind: kind, tap: Some(tap) })?;
        let format = format.unwrap_or(studio_audio::AudioFormat::Mp3);
        let track_id = job.id.to_string();
        let (done, played) = tokio::join!(
            wait(&runner, &library, &job, &args.common),
            playback.play_stream(&track_id, format, chunks)
        );
        let done = done?;
        if done.state != JobState::Succeeded {
            return Err(failed(&done));
        }
        let (mut document, human) = result_json(&library, &done)?;
        document["played"] = serde_json::Value::Bool(played);
        out.print(&document, || human);
        return Ok(());
    }
    let mut jobs = Vec::with_capacity(requests.len());
    for request in &requests {
        jobs.push(runner.submit(request, SubmitOptions { key_kind: kind, tap: None })?);
    }
    let mut documents = Vec::with_capacity(jobs.len());
    let mut humans = Vec::with_capacity(jobs.len());
    let mut first_failure = None;
    for job in &jobs {
        let done = wait(&runner, &library, job, &args.common).await?;
        if done.state == JobState::Succeeded {
            let (mut document, human) = result_json(&library, &done)?;
            if let Some(playback) = &playback {
                let path = document["assets"][0]["path"].as_str().map(std::path::PathBuf::from);
                let played = path.is_some_and(|p| playback.play_file(&done.id.to_string(), &p, format));
                document["played"] = serde_json::Value::Bool(played);
            }
            documents.push(document);
            humans.push(human);
        } else {
            documents.push(serde_json::json!({ "job": job_json(&done), "assets": [] }));
            first_failure.get_or_insert_with(|| failed(&done));
        }
    }
    if let Some(error) = first_failure {
        if jobs.len() > 1 {
            let document = serde_json::json!({ "results": documents });
            return Err(crate::error::with_document(out.json, document, error));
        }
        return Err(error);
    }
    let document = match documents.as_slice() {
        [single] => single.clone(),
        _ => serde_json::json!({ "results": documents }),
    };
    out.print(&document, || humans.join("\n"));
    Ok(())
}

/// `chat`: the answer streams to stdout as it arrives (without `--json`).
pub async fn chat(session: &Session, out: &Output, args: ChatArgs) -> Result<()> {
    let request = GenerationRequest::Chat(ChatParams {
        model: args.model,
        system: args.system,
        messages: vec![ChatTurn { role: ChatRole::User, content: args.prompt }],
        max_tokens: args.max_tokens,
        temperature: None,
    });
    if args.common.dry_run {
        return dry_run(session, out, std::slice::from_ref(&request), key_kind(session, &args.common)).await;
    }
    let kind = key_kind(session, &args.common);
    let (runner, library) = session.runner_for(kind, "tokenplan chat").await?;
    let _retire = Retire(runner.clone());
    let (tap, mut tokens) = tokio::sync::mpsc::unbounded_channel();
    let job = runner.submit(&request, SubmitOptions { key_kind: kind, tap: Some(tap) })?;
    let live = !out.json;
    let printer = tokio::spawn(async move {
        let mut stdout = std::io::stdout();
        while let Some(item) = tokens.recv().await {
            match item {
                TapItem::Text(text) if live => {
                    let _ = write!(stdout, "{text}");
                    let _ = stdout.flush();
                }
                TapItem::End => break,
                _ => {}
            }
        }
    });
    let done = wait(&runner, &library, &job, &args.common).await?;
    let _ = printer.await;
    if done.state != JobState::Succeeded {
        return Err(failed(&done));
    }
    let (document, _) = result_json(&library, &done)?;
    if out.json {
        println!("{document}");
    } else {
        println!();
    }
    Ok(())
}
