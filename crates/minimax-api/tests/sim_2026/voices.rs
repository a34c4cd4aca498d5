//! Upload → clone → preview → first use → listed; design; delete; the refusals the app explains.

use std::io::Write;

use minimax_api::ErrorKind;
use minimax_api::files::{FilePurpose, UploadSource};
use minimax_api::speech::{
    DeleteVoiceRequest, SpeechRequest, VoiceCloneRequest, VoiceDesignRequest, VoiceRefusal, VoicesRequest,
};
use minimax_sim::SimConfig;
use minimax_sim::media::synthesize;

use crate::common::{arm, assert_clean, client, requests_to, roomy, start};

fn wav(seconds: f64) -> bytes::Bytes {
    synthesize("wav", seconds, 16_000, 1).expect("wav").0
}

#[tokio::test]
async fn upload_a_file_from_disk_clone_it_and_use_the_voice() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let dir = std::env::temp_dir().join(format!("minimax-api-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("narrator sample.wav");
    std::fs::File::create(&path).and_then(|mut f| f.write_all(&wav(15.0))).expect("sample written");
    let uploaded = client
        .files()
        .upload(FilePurpose::VoiceClone, "narrator_sample.wav", UploadSource::Path(path.clone()))
        .await
        .expect("upload");
    assert_eq!(uploaded.file.purpose.as_deref(), Some("voice_clone"));
    assert_eq!(
        uploaded.file.bytes,
        Some(i64::try_from(std::fs::metadata(&path).expect("meta").len()).expect("size"))
    );
    let request = VoiceCloneRequest {
        file_id: uploaded.file.file_id.clone(),
        voice_id: "StudioNarrator01".into(),
        text: Some("This is how I will sound in your film.".into()),
        model: Some("speech-2.8-hd".into()),
        ..VoiceCloneRequest::default()
    };
    let cloned = client.speech().clone_voice(&request).await.expect("clone");
    let demo = cloned.demo_audio_url().expect("a preview URL").to_owned();
    let mut preview = Vec::new();
    client
        .files()
        .download_to(&minimax_api::files::DownloadSource::Url(demo), &mut preview)
        .await
        .expect("preview");
    assert!(!preview.is_empty());
    let all = VoicesRequest { voice_type: "voice_cloning".into() };
    assert!(
        client.speech().voices(&all).await.expect("voices").voice_cloning.is_empty(),
        "not listed before use"
    );
    client
        .speech()
        .synthesize(&SpeechRequest::new("speech-2.8-turbo", "Keep me alive.", "StudioNarrator01"))
        .await
        .expect("first use");
    let listed = client.speech().voices(&all).await.expect("voices").voice_cloning;
    assert_eq!(listed.iter().map(|v| v.voice_id.as_str()).collect::<Vec<_>>(), ["StudioNarrator01"]);
    let duplicate = client.speech().clone_voice(&request).await.expect_err("taken");
    assert_eq!(
        (duplicate.kind(), VoiceRefusal::of(&duplicate)),
        (ErrorKind::Voice, Some(VoiceRefusal::DuplicateVoiceId))
    );
    let deleted =
        DeleteVoiceRequest { voice_type: "voice_cloning".into(), voice_id: "StudioNarrator01".into() };
    client.speech().delete_voice(&deleted).await.expect("delete");
    assert!(client.speech().voices(&all).await.expect("voices").voice_cloning.is_empty());
    std::fs::remove_dir_all(&dir).ok();
    assert_clean(&sim);
}

#[tokio::test]
async fn refusals_keep_the_file_id_for_a_retry_without_a_second_upload() {
    let sim = start(SimConfig { real_name_verified: false, ..roomy() }).await;
    let client = client(&sim);
    let file_id = client
        .files()
        .upload(FilePurpose::VoiceClone, "sample.wav", UploadSource::Bytes(wav(12.0)))
        .await
        .expect("upload")
        .file
        .file_id;
    let request =
        VoiceCloneRequest { file_id, voice_id: "RetryVoice01".into(), ..VoiceCloneRequest::default() };
    let unverified = client.speech().clone_voice(&request).await.expect_err("2038");
    assert_eq!(VoiceRefusal::of(&unverified), Some(VoiceRefusal::RealNameVerification));
    assert!(!unverified.retryable());
    sim.state().lock().config.real_name_verified = true;
    arm(
        &sim,
        "/v1/voice_clone",
        minimax_sim::FaultKind::BaseResp { code: 1043, msg: "ASR similarity check failed".into() },
        1,
    );
    let asr = client.speech().clone_voice(&request).await.expect_err("1043");
    assert_eq!(VoiceRefusal::of(&asr), Some(VoiceRefusal::AsrSimilarity));
    client.speech().clone_voice(&request).await.expect("retried with the same file id");
    assert_eq!(requests_to(&sim, "/v1/files/upload").len(), 1, "one upload");
    let not_audio = client.files().upload(
        FilePurpose::VoiceClone,
        "notes.wav",
        UploadSource::Bytes(bytes::Bytes::from_static(b"%PDF-1.7 ...")),
    );
    assert_eq!(not_audio.await.expect_err("refused before upload").kind(), ErrorKind::Validation);
    let too_big = bytes::Bytes::from(vec![0xFF; 21 * 1024 * 1024]);
    let refused =
        client.files().upload(FilePurpose::VoiceClone, "big.mp3", UploadSource::Bytes(too_big)).await;
    assert_eq!(refused.expect_err("over 20 MB").kind(), ErrorKind::Validation);
    assert_eq!(requests_to(&sim, "/v1/files/upload").len(), 1, "refused locally, nothing sent");
    let short = client
        .files()
        .upload(FilePurpose::VoiceClone, "short.wav", UploadSource::Bytes(wav(3.0)))
        .await
        .expect("the length is the caller's check, so it uploads");
    let too_short = VoiceCloneRequest {
        file_id: short.file.file_id,
        voice_id: "ShortVoice01".into(),
        ..VoiceCloneRequest::default()
    };
    assert_eq!(
        VoiceRefusal::of(&client.speech().clone_voice(&too_short).await.expect_err("2037")),
        Some(VoiceRefusal::SampleDuration)
    );
}

#[tokio::test]
async fn design_a_voice_play_its_preview_and_speak_with_it() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    let design = VoiceDesignRequest {
        prompt: "Warm, low female narrator, slow and intimate, late-night radio".into(),
        preview_text: "Good evening. Let's begin where the story left off.".into(),
        ..VoiceDesignRequest::default()
    };
    let designed = client.speech().design_voice(&design).await.expect("design");
    assert!(designed.voice_id.starts_with("ttv-voice-"), "{}", designed.voice_id);
    assert!(designed.trial_audio.starts_with(b"ID3") || designed.trial_audio[0] == 0xFF, "decoded mp3");
    client
        .speech()
        .synthesize(&SpeechRequest::new("speech-2.8-hd", "Hello.", designed.voice_id.clone()))
        .await
        .expect("speak");
    let listed = client.speech().voices(&VoicesRequest { voice_type: "all".into() }).await.expect("voices");
    assert_eq!(listed.voice_generation[0].voice_id, designed.voice_id);
    assert_clean(&sim);
}
