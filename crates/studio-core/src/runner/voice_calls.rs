//! The calls that make a voice: a design (its preview comes back as hex in the answer) and a clone (its
//! preview is a URL to fetch at once). Both are one paid call, charged once like any synchronous speech.

use minimax_api::MiniMaxClient;
use minimax_api::files::DownloadSource;
use minimax_api::speech::{VoiceCloneRequest, VoiceDesignRequest};

use super::execute::{Execution, Produced, Stopped};
use super::failure::Phase;

impl Execution<'_> {
    /// `/v1/voice_design`: the trial audio is the job's file. Should MiniMax answer with another id than
    /// the one we chose, the library learns it (the voice is then known by the server's id).
    pub(super) async fn design_voice(
        &mut self,
        client: &MiniMaxClient,
        request: &VoiceDesignRequest,
    ) -> Result<Produced, Stopped> {
        let design = self.guarded(Phase::Create, client.speech().design_voice(request)).await?;
        self.accepted = true;
        if request.voice_id.as_deref() != Some(design.voice_id.as_str()) {
            let asked = request.voice_id.clone().unwrap_or_default();
            let renamed = self.shared.with_library(|lib| lib.rename_custom_voice(&asked, &design.voice_id));
            if let Err(e) = renamed {
                tracing::error!(job = self.job_id, error = %e, "cannot record the designed voice's id");
            }
        }
        self.downloading()?;
        let mut files = Vec::new();
        if !design.trial_audio.is_empty() {
            files.push(self.save_bytes(0, "audio/mpeg", &design.trial_audio).await?);
        }
        Ok(Produced { files, billed_characters: None })
    }

    /// `/v1/voice_clone`: the preview at `demo_audio` is downloaded at once (its URL is short-lived).
    pub(super) async fn clone_voice(
        &mut self,
        client: &MiniMaxClient,
        request: &VoiceCloneRequest,
    ) -> Result<Produced, Stopped> {
        let cloned = self.guarded(Phase::Create, client.speech().clone_voice(request)).await?;
        self.accepted = true;
        self.downloading()?;
        let mut files = Vec::new();
        if let Some(url) = cloned.demo_audio_url() {
            let source = DownloadSource::parse(url);
            let mut preview = self.save_download(0, source, Some("audio/mpeg")).await?;
            preview.duration_ms = cloned.extra_info.as_ref().and_then(super::execute::audio_length_ms);
            files.push(preview);
        }
        let billed =
            cloned.extra_info.and_then(|info| info.usage_characters).and_then(|n| u32::try_from(n).ok());
        Ok(Produced { files, billed_characters: billed })
    }
}
