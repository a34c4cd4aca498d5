//! Music without entitlement, and speech-2.8 on every path, client against simulator.

use futures_util::StreamExt;
use minimax_api::ErrorKind;
use minimax_api::music::{LyricsRequest, MusicRequest};
use minimax_api::speech::{
    ASYNC_SPEECH_MODELS, AsyncSpeechRequest, AsyncVoiceSetting, EMOTIONS, SPEECH_MODELS, SpeechRequest,
    SpeechStreamEvent,
};
use minimax_sim::SimConfig;

use crate::common::{assert_clean, client, requests_to, roomy, start};

#[tokio::test]
async fn music_and_lyrics_without_entitlement_are_not_in_plan_and_sent_once() {
    let sim = start(SimConfig { music_access: false, ..roomy() }).await;
    let client = client(&sim);
    let song = MusicRequest {
        model: "music-2.6".into(),
        prompt: Some("Indie folk, rainy night".into()),
        lyrics: Some("[Verse]\nStreetlights flicker".into()),
        ..MusicRequest::default()
    };
    let error = client.music().generate(&song).await.expect_err("refused");
    assert_eq!((error.kind(), error.code()), (ErrorKind::ModelNotInPlan, Some(2061)), "{error}");
    assert!(!error.retryable());
    let lyrics = LyricsRequest {
        mode: "write_full_song".into(),
        prompt: Some("rain".into()),
        ..LyricsRequest::default()
    };
    assert_eq!(client.music().lyrics(&lyrics).await.expect_err("refused").kind(), ErrorKind::ModelNotInPlan);
    assert_eq!(requests_to(&sim, "/v1/music_generation").len(), 1, "not retried");
    sim.state().lock().config.music_access = true;
    client.music().lyrics(&lyrics).await.expect("entitled again");
    assert_clean(&sim);
}

#[tokio::test]
async fn speech_2_8_sync_stream_async_and_the_emotions_each_model_takes() {
    let sim = start(roomy()).await;
    let client = client(&sim);
    for model in ["speech-2.8-hd", "speech-2.8-turbo"] {
        let request = SpeechRequest::new(model, "Well (sighs) here we go.", "English_expressive_narrator");
        client.speech().synthesize(&request).await.expect("sync");
        let mut stream = client.speech().synthesize_stream(&request).await.expect("stream");
        let mut done = false;
        while let Some(event) = stream.next().await {
            done |= matches!(event.expect("event"), SpeechStreamEvent::Done { .. });
        }
        assert!(done);
        let long = AsyncSpeechRequest {
            model: model.into(),
            text: Some("A long chapter (breath) begins.".into()),
            voice_setting: AsyncVoiceSetting {
                voice_id: "English_expressive_narrator".into(),
                ..Default::default()
            },
            ..AsyncSpeechRequest::default()
        };
        client.speech().create_async(&long).await.expect("async");
    }
    // Every (model, emotion) pair the client lets through, the simulator accepts, and the other way round
    // for the ones it refuses locally.
    for model in SPEECH_MODELS {
        for emotion in EMOTIONS {
            let mut request = SpeechRequest::new(*model, "Hi.", "English_expressive_narrator");
            request.voice_setting.emotion = Some((*emotion).to_owned());
            let local = request.validate();
            let answer = client.speech().synthesize(&request).await;
            match local {
                Ok(()) => assert!(answer.is_ok(), "{model} {emotion}: {answer:?}"),
                Err(_) => assert_eq!(answer.expect_err("refused").kind(), ErrorKind::Validation),
            }
        }
    }
    assert!(ASYNC_SPEECH_MODELS.contains(&"speech-2.8-hd"));
    assert_clean(&sim);
}
