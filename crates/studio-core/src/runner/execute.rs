//! One job's calls, per modality: send, poll (async APIs), download into the media folder.
//!
//! Every await that may take long is raced against the job's cancellation token. Results stream into a
//! temporary file in the media folder and are renamed into place; the rows are written by the caller in one
//! transaction ([`crate::Library::complete_job`]).

use std::future::Future;
use std::path::Path;

use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::image::ImageOutput;
use minimax_api::speech::{SpeechAudio, SpeechStreamEvent};
use minimax_api::text::ChatEvent;
use minimax_api::{MiniMaxClient, TaskStatus};
use tokio::io::AsyncWriteExt;
use tokio_util::sync::CancellationToken;

use super::failure::{self, Failure, Phase};
use super::{PollPolicy, Shared, Tap};
use crate::ipc::IpcErrorKind;
use crate::quota::FailureKind;
use crate::request::{ApiCall, GenerationRequest};
use crate::storage::media::{commit_media_file, temp_media_path};
use crate::storage::{JobState, NewMedia, Transition};

/// Why a job did not produce its files.
#[derive(Debug)]
pub(crate) enum Stopped {
    /// A failure, classified for billing and display.
    Failed(Failure),
    /// The user cancelled; `accepted` when the server had already taken the task (it runs on and bills),
    /// `sent` when a create call had left without its answer (it may have run).
    Cancelled {
        /// The server had accepted the work.
        accepted: bool,
        /// A create call had been sent.
        sent: bool,
    },
}

/// What a finished job produced.
#[derive(Debug, Default)]
pub(crate) struct Produced {
    /// Its files, already in the media folder.
    pub files: Vec<NewMedia>,
    /// Characters billed by the server (speech), replacing the estimate's count.
    pub billed_characters: Option<u32>,
}

/// The context of one running job.
pub(crate) struct Execution<'a> {
    pub shared: &'a Shared,
    pub job_id: i64,
    pub client: MiniMaxClient,
    pub token: CancellationToken,
    pub tap: Option<Tap>,
    /// Whether the server has accepted work we will be billed for (a task id, or a sent paid call).
    pub accepted: bool,
    /// Whether a create call has left (set as it is sent; a cancel before its answer is an unknown outcome).
    pub sent: std::sync::atomic::AtomicBool,
    /// What accepting a task charges at once (the estimate, or a placeholder for an unknown price).
    pub provisional: super::settle::Charge,
}

impl Execution<'_> {
    fn root(&self) -> &Path {
        &self.shared.root
    }

    /// Awaits `call` unless the job is cancelled first; API errors are classified for `phase`.
    pub(super) async fn guarded<T>(
        &self,
        phase: Phase,
        call: impl Future<Output = minimax_api::Result<T>>,
    ) -> Result<T, Stopped> {
        if phase == Phase::Create {
            self.sent.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        tokio::select! {
            biased;
            () = self.token.cancelled() => Err(self.cancelled()),
            result = call => result.map_err(|e| Stopped::Failed(failure::classify(&e, phase))),
        }
    }

    fn cancelled(&self) -> Stopped {
        Stopped::Cancelled {
            accepted: self.accepted,
            sent: self.sent.load(std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Records the server's task id before the first poll (one write, one event), then its provisional
    /// charge: MiniMax bills a task when it accepts it, so the window counts it from now on, in the ledger
    /// rather than in this process's memory (a crash would forget a reservation).
    fn accept_task(&mut self, task_id: &str) -> Result<(), Stopped> {
        self.accepted = true;
        let now = self.shared.clock.now_ms();
        let job = self.shared.with_library(|lib| lib.set_remote_task_id(self.job_id, task_id, now));
        let job =
            job.map_err(|e| Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)))?;
        if let Err(e) = super::settle::provisional(self.shared, &job, task_id, &self.provisional) {
            // The task id is stored, so nothing paid is lost; the window may under-count until it ends.
            tracing::error!(job = self.job_id, error = %e, "cannot record the provisional charge");
        }
        self.shared.emit(job);
        Ok(())
    }

    /// Moves the job to `downloading`.
    pub(super) fn downloading(&self) -> Result<(), Stopped> {
        let now = self.shared.clock.now_ms();
        let job = self
            .shared
            .with_library(|lib| lib.transition(self.job_id, &Transition::to(JobState::Downloading, now)));
        let job =
            job.map_err(|e| Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)))?;
        self.shared.emit(job);
        Ok(())
    }

    /// Writes bytes already in memory (hex audio, base64 images, text) as file `ordinal`.
    pub(super) async fn save_bytes(
        &self,
        ordinal: u32,
        mime: &str,
        bytes: &[u8],
    ) -> Result<NewMedia, Stopped> {
        let temp = temp_media_path(self.root(), self.job_id, ordinal);
        let written = async {
            if let Some(dir) = temp.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            let mut file = tokio::fs::File::create_new(&temp).await?;
            file.write_all(bytes).await?;
            // tokio writes in the background: a failed write (a full disk) is reported by the next flush,
            // while `sync_all` only waits for it — without the flush a truncated file was stored as a success.
            file.flush().await?;
            file.sync_all().await
        }
        .await;
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)));
        }
        self.commit(&temp, ordinal, mime)
    }

    /// Streams a URL or file id to file `ordinal`; `mime` `None` ⇒ sniffed from the first bytes.
    pub(super) async fn save_download(
        &self,
        ordinal: u32,
        source: DownloadSource,
        mime: Option<&str>,
    ) -> Result<NewMedia, Stopped> {
        let temp = temp_media_path(self.root(), self.job_id, ordinal);
        if let Some(dir) = temp.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)))?;
        }
        let result = async {
            let mut file = tokio::fs::File::create_new(&temp).await?;
            let written = self.client.files().download_to(&source, &mut file).await?;
            file.sync_all().await?;
            Ok::<u64, minimax_api::Error>(written)
        };
        let outcome = self.guarded(Phase::Download, result).await;
        if let Err(stopped) = outcome {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(stopped);
        }
        let mime = match mime {
            Some(m) => m.to_owned(),
            None => sniff_mime(&temp).await,
        };
        self.commit(&temp, ordinal, &mime)
    }

    fn commit(&self, temp: &Path, ordinal: u32, mime: &str) -> Result<NewMedia, Stopped> {
        let stored = commit_media_file(self.root(), temp, self.job_id, ordinal, mime)
            .map_err(|e| Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)))?;
        Ok(NewMedia {
            ordinal,
            rel_path: stored.rel_path,
            mime: mime.to_owned(),
            size_bytes: stored.size_bytes,
            duration_ms: None,
            width_px: None,
            height_px: None,
        })
    }

    /// Polls an accepted task until it is terminal, backing off, until the policy's deadline. Transient
    /// errors (network, 5xx, rate limits) keep polling; the task id stays stored whatever happens.
    async fn poll<S, F, Fut>(
        &self,
        policy: &PollPolicy,
        mut query: F,
        status: impl Fn(&S) -> &TaskStatus,
    ) -> Result<S, Stopped>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = minimax_api::Result<S>>,
    {
        let started = tokio::time::Instant::now();
        let mut attempt = 0u32;
        loop {
            let delay = policy.delay(attempt);
            attempt = attempt.saturating_add(1);
            tokio::select! {
                biased;
                () = self.token.cancelled() => return Err(Stopped::Cancelled { accepted: true, sent: true }),
                () = tokio::time::sleep(delay) => {}
            }
            let answer = tokio::select! {
                biased;
                () = self.token.cancelled() => return Err(Stopped::Cancelled { accepted: true, sent: true }),
                answer = query() => answer,
            };
            match answer {
                Ok(s) => match status(&s) {
                    TaskStatus::Success => return Ok(s),
                    TaskStatus::Failed | TaskStatus::Expired | TaskStatus::Cancelled => {
                        let word = match status(&s) {
                            // Tasks and their files live 7 days: one found expired was paid for and is gone.
                            TaskStatus::Expired => {
                                "expired before it was downloaded (MiniMax keeps tasks 7 days); it was paid for, \
                                 and its charge stays in the ledger"
                            }
                            // Cancelled while it waited (V2: here or by another tool): MiniMax charges nothing.
                            TaskStatus::Cancelled => return Err(Stopped::Failed(failure::cancelled_task())),
                            _ => "failed",
                        };
                        return Err(Stopped::Failed(failure::dead_task(word)));
                    }
                    _ => {}
                },
                Err(e) if e.retryable() || e.kind() == minimax_api::ErrorKind::Decode => {
                    tracing::warn!(job = self.job_id, error = %e, "poll failed; polling on");
                }
                Err(e) => return Err(Stopped::Failed(failure::classify(&e, Phase::Poll))),
            }
            if started.elapsed() >= policy.deadline {
                return Err(Stopped::Failed(failure::local(
                    IpcErrorKind::Network,
                    format!(
                        "The task is still not finished after {} min. Its id is kept: Retry resumes polling \
                         without paying again.",
                        policy.deadline.as_secs() / 60
                    ),
                    FailureKind::TaskFailed,
                )));
            }
        }
    }

    /// Runs the request; `resume_task` is a stored task id to poll instead of creating a new task.
    pub(crate) async fn run(
        &mut self,
        request: &GenerationRequest,
        resume_task: Option<String>,
        policy: &PollPolicy,
    ) -> Result<Produced, Stopped> {
        if let Some(task_id) = resume_task {
            self.accepted = true;
            return match request {
                GenerationRequest::Video(p) if p.is_v2() => self.finish_video_v2(&task_id, policy).await,
                GenerationRequest::Video(_) => self.finish_video(&task_id, policy).await,
                GenerationRequest::Speech(p) => {
                    self.finish_async_speech(&task_id, p.format(), None, policy).await
                }
                _ => Err(Stopped::Failed(failure::local(
                    IpcErrorKind::Internal,
                    "only video and async speech jobs have a task to resume",
                    FailureKind::NotSent,
                ))),
            };
        }
        let call = request.to_call(self.root()).map_err(|e| {
            Stopped::Failed(failure::local(IpcErrorKind::InvalidInput, e.to_string(), FailureKind::NotSent))
        })?;
        let client = self.client.clone();
        match call {
            ApiCall::Chat(chat) => {
                let mut stream = self.guarded(Phase::Create, client.text().chat_stream(&chat)).await?;
                self.accepted = true;
                let mut summary = None;
                while let Some(event) =
                    self.guarded(Phase::Create, async { stream.next().await.transpose() }).await?
                {
                    match event {
                        ChatEvent::Content(text) => self.send_tap(TapItem::Text(text)),
                        ChatEvent::Reasoning(text) => self.send_tap(TapItem::Reasoning(text)),
                        ChatEvent::ToolCall { .. } => {}
                        ChatEvent::Done(done) => summary = Some(done),
                    }
                }
                self.send_tap(TapItem::End);
                let summary = summary.unwrap_or_default();
                self.downloading()?;
                let mut files = vec![self.save_bytes(0, "text/markdown", summary.content.as_bytes()).await?];
                if !summary.reasoning.is_empty() {
                    files.push(self.save_bytes(1, "text/plain", summary.reasoning.as_bytes()).await?);
                }
                Ok(Produced { files, billed_characters: None })
            }
            ApiCall::Speech { request, stream: false } => {
                let result = self.guarded(Phase::Create, client.speech().synthesize(&request)).await?;
                self.accepted = true;
                self.downloading()?;
                let mime = audio_mime(request.audio_setting.as_ref().and_then(|a| a.format.as_deref()));
                let mut audio = match result.audio {
                    SpeechAudio::Bytes(bytes) => self.save_bytes(0, mime, &bytes).await?,
                    SpeechAudio::Url(url) => {
                        self.save_download(0, DownloadSource::Url(url), Some(mime)).await?
                    }
                };
                // MiniMax states the take's length; without it the Library and the audition grid would show
                // none (nothing here decodes the audio to measure it).
                audio.duration_ms = result.extra_info.as_ref().and_then(audio_length_ms);
                let mut files = vec![audio];
                if let Some(subtitles) = result.subtitle_file {
                    files.push(
                        self.save_download(1, DownloadSource::parse(&subtitles), Some("application/json"))
                            .await?,
                    );
                }
                let billed =
                    result.extra_info.and_then(|i| i.usage_characters).and_then(|n| u32::try_from(n).ok());
                Ok(Produced { files, billed_characters: billed })
            }
            ApiCall::Speech { request, stream: true } => {
                let mut events =
                    self.guarded(Phase::Create, client.speech().synthesize_stream(&request)).await?;
                self.accepted = true;
                let mime = audio_mime(request.audio_setting.as_ref().and_then(|a| a.format.as_deref()));
                // Chunks go to the file as they come (and to the player's tap): never the whole audio in memory.
                let temp = temp_media_path(self.root(), self.job_id, 0);
                let mut file = create_temp(&temp).await?;
                let mut billed = None;
                let mut length_ms = None;
                let outcome = async {
                    while let Some(event) =
                        self.guarded(Phase::Create, async { events.next().await.transpose() }).await?
                    {
                        match event {
                            SpeechStreamEvent::Audio(bytes) => {
                                file.write_all(&bytes).await.map_err(|e| {
                                    Stopped::Failed(store_failure(
                                        &e.to_string(),
                                        FailureKind::DownloadFailed,
                                    ))
                                })?;
                                self.send_tap(TapItem::Audio(bytes));
                            }
                            SpeechStreamEvent::Done { extra_info, .. } => {
                                length_ms = extra_info.as_ref().and_then(audio_length_ms);
                                billed = extra_info
                                    .and_then(|i| i.usage_characters)
                                    .and_then(|n| u32::try_from(n).ok());
                            }
                        }
                    }
                    // The flush reports a failed background write (see `save_bytes`).
                    file.flush().await.map_err(|e| {
                        Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed))
                    })?;
                    file.sync_all().await.map_err(|e| {
                        Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed))
                    })
                }
                .await;
                if let Err(stopped) = outcome {
                    let _ = tokio::fs::remove_file(&temp).await;
                    return Err(stopped);
                }
                self.send_tap(TapItem::End);
                self.downloading()?;
                let mut file = self.commit(&temp, 0, mime)?;
                file.duration_ms = length_ms;
                Ok(Produced { files: vec![file], billed_characters: billed })
            }
            ApiCall::SpeechAsync(request) => {
                let task = self.guarded(Phase::Create, client.speech().create_async(&request)).await?;
                self.accept_task(&task.task_id)?;
                let billed = task.usage_characters.and_then(|n| u32::try_from(n).ok());
                let format = request.audio_setting.as_ref().and_then(|a| a.format.clone());
                self.finish_async_speech(&task.task_id, format.as_deref().unwrap_or("mp3"), billed, policy)
                    .await
            }
            ApiCall::Image(request) => {
                let result = self.guarded(Phase::Create, client.image().generate(&request)).await?;
                self.accepted = true;
                self.downloading()?;
                let mut files = Vec::new();
                match result.images {
                    ImageOutput::Urls(urls) => {
                        for (ordinal, url) in (0u32..).zip(urls) {
                            files.push(self.save_download(ordinal, DownloadSource::Url(url), None).await?);
                        }
                    }
                    ImageOutput::Bytes(images) => {
                        for (ordinal, bytes) in (0u32..).zip(images) {
                            let mime = sniff_bytes(&bytes);
                            files.push(self.save_bytes(ordinal, mime, &bytes).await?);
                        }
                    }
                }
                Ok(Produced { files, billed_characters: None })
            }
            ApiCall::Video(request) => {
                let task = self.guarded(Phase::Create, client.video().create(&request)).await?;
                self.accept_task(&task.task_id)?;
                self.finish_video(&task.task_id, policy).await
            }
            ApiCall::VideoV2(request) => {
                let task = self.guarded(Phase::Create, client.video_v2().create(&request)).await?;
                self.accept_task(&task.task_id)?;
                self.finish_video_v2(&task.task_id, policy).await
            }
            ApiCall::Music(request) => {
                let result = self.guarded(Phase::Create, client.music().generate(&request)).await?;
                self.accepted = true;
                self.downloading()?;
                let mime = audio_mime(request.audio_setting.as_ref().and_then(|a| a.format.as_deref()));
                let mut file = match result.audio {
                    SpeechAudio::Bytes(bytes) => self.save_bytes(0, mime, &bytes).await?,
                    SpeechAudio::Url(url) => {
                        self.save_download(0, DownloadSource::Url(url), Some(mime)).await?
                    }
                };
                file.duration_ms = result.extra_info.as_ref().and_then(|i| i.duration_ms());
                Ok(Produced { files: vec![file], billed_characters: None })
            }
            ApiCall::Lyrics(request) => {
                let lyrics = self.guarded(Phase::Create, client.music().lyrics(&request)).await?;
                self.accepted = true;
                self.downloading()?;
                let mut text = String::new();
                if let Some(title) = lyrics.song_title.as_deref().filter(|t| !t.is_empty()) {
                    text.push_str(&format!("# {title}\n\n"));
                }
                text.push_str(&lyrics.lyrics);
                let mut files = vec![self.save_bytes(0, "text/plain", text.as_bytes()).await?];
                if let Some(tags) = lyrics.style_tags.as_deref().filter(|t| !t.is_empty()) {
                    files.push(self.save_bytes(1, "text/x-style-tags", tags.as_bytes()).await?);
                }
                Ok(Produced { files, billed_characters: None })
            }
            ApiCall::VoiceDesign(request) => self.design_voice(&client, &request).await,
            ApiCall::VoiceClone(request) => self.clone_voice(&client, &request).await,
        }
    }

    async fn finish_video(&mut self, task_id: &str, policy: &PollPolicy) -> Result<Produced, Stopped> {
        let client = self.client.clone();
        let status = self.poll(policy, || client.video().query(task_id), |s| &s.status).await?;
        let file_id = result_file_id(status.file_id.as_deref())?;
        self.downloading()?;
        let mut file = self.save_download(0, DownloadSource::FileId(file_id), Some("video/mp4")).await?;
        file.width_px = status.video_width.and_then(|w| u32::try_from(w).ok());
        file.height_px = status.video_height.and_then(|h| u32::try_from(h).ok());
        Ok(Produced { files: vec![file], billed_characters: None })
    }

    async fn finish_async_speech(
        &mut self,
        task_id: &str,
        format: &str,
        billed: Option<u32>,
        policy: &PollPolicy,
    ) -> Result<Produced, Stopped> {
        let client = self.client.clone();
        let status = self.poll(policy, || client.speech().query_async(task_id), |s| &s.status).await?;
        let file_id = result_file_id(status.file_id.as_deref())?;
        self.downloading()?;
        // The async result is a file (often a tar/zip bundle with subtitles); keep what the server sent.
        let file = self.save_download(0, DownloadSource::FileId(file_id), None).await?;
        let file = if file.mime == "application/octet-stream" {
            NewMedia { mime: audio_mime(Some(format)).to_owned(), ..file }
        } else {
            file
        };
        Ok(Produced { files: vec![file], billed_characters: billed })
    }

    fn send_tap(&self, item: TapItem) {
        if let Some(tap) = &self.tap {
            // A closed tap (the listener went away) must not stop the job.
            let _ = tap.send(item);
        }
    }
}

#[path = "execute_v2.rs"]
mod v2;

/// One item of a live tap: what a streamed job produces while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapItem {
    /// Audio bytes in the requested format, in order (streamed speech).
    Audio(Vec<u8>),
    /// Answer text (chat).
    Text(String),
    /// Reasoning text (chat).
    Reasoning(String),
    /// The stream ended completely. A tap that closes without it means the job failed or was cancelled.
    End,
}

impl From<TapItem> for crate::ipc::JobOutput {
    fn from(item: TapItem) -> Self {
        use crate::ipc::JobOutput;
        match item {
            TapItem::Text(delta) => JobOutput::Text { delta },
            TapItem::Reasoning(delta) => JobOutput::Reasoning { delta },
            TapItem::Audio(bytes) => {
                JobOutput::Audio { bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX) }
            }
            TapItem::End => JobOutput::End,
        }
    }
}

/// The file id of a task that reported success (a success without one is kept retryable).
fn result_file_id(file_id: Option<&str>) -> Result<String, Stopped> {
    file_id.map(str::to_owned).ok_or_else(|| {
        Stopped::Failed(failure::local(
            IpcErrorKind::Api,
            "MiniMax reported success without a file id. Retry resumes polling.",
            FailureKind::DownloadFailed,
        ))
    })
}

async fn create_temp(temp: &Path) -> Result<tokio::fs::File, Stopped> {
    let opened = async {
        if let Some(dir) = temp.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::File::create_new(temp).await
    }
    .await;
    opened.map_err(|e| Stopped::Failed(store_failure(&e.to_string(), FailureKind::DownloadFailed)))
}

fn store_failure(reason: &str, kind: FailureKind) -> Failure {
    failure::local(
        IpcErrorKind::Internal,
        format!(
            "Cannot store the result: {reason}. Check free space and the data folder; Retry fetches it again."
        ),
        kind,
    )
}

/// A synthesis's length as MiniMax states it (`audio_length`, ms); a zero or absent length is unknown.
pub(super) fn audio_length_ms(info: &minimax_api::speech::AudioExtraInfo) -> Option<i64> {
    info.audio_length.filter(|ms| *ms > 0)
}

/// The MIME type of an audio format name.
pub(crate) fn audio_mime(format: Option<&str>) -> &'static str {
    match format.unwrap_or("mp3") {
        "wav" | "pcmu_wav" => "audio/wav",
        "flac" => "audio/flac",
        "pcm" | "pcmu_raw" => "audio/L16",
        "opus" => "audio/ogg",
        _ => "audio/mpeg",
    }
}

fn sniff_bytes(head: &[u8]) -> &'static str {
    match head {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => "audio/wav",
        [b'I', b'D', b'3', ..] | [0xFF, 0xFB | 0xF3 | 0xF2, ..] => "audio/mpeg",
        [b'f', b'L', b'a', b'C', ..] => "audio/flac",
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => "video/mp4",
        [b'P', b'K', 3, 4, ..] => "application/zip",
        _ => "application/octet-stream",
    }
}

async fn sniff_mime(path: &Path) -> String {
    let mut head = [0u8; 16];
    let read = async {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(path).await?;
        let n = file.read(&mut head).await?;
        Ok::<usize, std::io::Error>(n)
    }
    .await;
    sniff_bytes(&head[..read.unwrap_or(0)]).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_sniffed_from_magic_bytes() {
        assert_eq!(sniff_bytes(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(sniff_bytes(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff_bytes(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff_bytes(b"\0\0\0\x18ftypmp42"), "video/mp4");
        assert_eq!(sniff_bytes(b"ID3\x04"), "audio/mpeg");
        assert_eq!(sniff_bytes(b"??"), "application/octet-stream");
        assert_eq!(audio_mime(Some("flac")), "audio/flac");
        assert_eq!(audio_mime(None), "audio/mpeg");
    }
}
