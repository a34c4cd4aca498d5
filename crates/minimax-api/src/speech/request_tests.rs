//! Validation tables of the speech requests (minimax-api.md §3).

use super::*;
use crate::speech::supports_interjections;

fn sync() -> SpeechRequest {
    let mut request = SpeechRequest::new("speech-2.8-hd", "Hello world.", "English_expressive_narrator");
    request.voice_setting.speed = Some(1.0);
    request.voice_setting.vol = Some(1.0);
    request.voice_setting.pitch = Some(0);
    request.audio_setting = Some(AudioSetting {
        sample_rate: Some(32000),
        bitrate: Some(128000),
        format: Some("mp3".into()),
        channel: Some(1),
        force_cbr: None,
    });
    request.output_format = Some(OutputFormat::Hex);
    request
}

fn with(change: impl FnOnce(&mut SpeechRequest)) -> SpeechRequest {
    let mut request = sync();
    change(&mut request);
    request
}

#[test]
fn documented_minimal_request_is_valid_and_serializes_as_documented() {
    assert!(sync().validate().is_ok());
    let json = serde_json::to_value(sync()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "model": "speech-2.8-hd", "text": "Hello world.",
          "voice_setting": { "voice_id": "English_expressive_narrator", "speed": 1.0, "vol": 1.0, "pitch": 0 },
          "audio_setting": { "sample_rate": 32000, "bitrate": 128000, "format": "mp3", "channel": 1 },
          "output_format": "hex" })
    );
}

#[test]
fn sync_validation_table() {
    let cases: Vec<(SpeechRequest, &str)> = vec![
        (with(|r| r.model = "speech-3".into()), "model"),
        (with(|r| r.text = String::new()), "text"),
        (with(|r| r.text = "a".repeat(10_000)), "text"),
        (with(|r| r.text = "Hi <#100#> there".into()), "text"),
        (with(|r| r.text = "Hi <#0.5#><#0.5#> there".into()), "text"),
        (with(|r| r.voice_setting.voice_id = String::new()), "voice_setting.voice_id"),
        (with(|r| r.voice_setting.speed = Some(2.1)), "voice_setting.speed"),
        (with(|r| r.voice_setting.speed = Some(0.4)), "voice_setting.speed"),
        (with(|r| r.voice_setting.vol = Some(0.0)), "voice_setting.vol"),
        (with(|r| r.voice_setting.vol = Some(10.5)), "voice_setting.vol"),
        (with(|r| r.voice_setting.pitch = Some(-13)), "voice_setting.pitch"),
        (with(|r| r.voice_setting.emotion = Some("neutral".into())), "voice_setting.emotion"),
        (with(|r| r.voice_setting.emotion = Some("whisper".into())), "voice_setting.emotion"),
        (with(|r| r.audio_setting.as_mut().unwrap().sample_rate = Some(48000)), "audio_setting.sample_rate"),
        (with(|r| r.audio_setting.as_mut().unwrap().bitrate = Some(96000)), "audio_setting.bitrate"),
        (with(|r| r.audio_setting.as_mut().unwrap().format = Some("ogg".into())), "audio_setting.format"),
        (with(|r| r.audio_setting.as_mut().unwrap().channel = Some(3)), "audio_setting.channel"),
        (with(|r| r.audio_setting.as_mut().unwrap().force_cbr = Some(true)), "audio_setting.force_cbr"),
        (with(|r| r.language_boost = Some("Klingon".into())), "language_boost"),
        (with(|r| r.subtitle_type = Some("word_streaming".into())), "subtitle_type"),
        (
            with(|r| r.timbre_weights = Some(vec![TimbreWeight { voice_id: "a".into(), weight: 0 }])),
            "timbre_weights.weight",
        ),
        (
            with(|r| r.voice_modify = Some(VoiceModify { pitch: Some(101), ..VoiceModify::default() })),
            "voice_modify.pitch",
        ),
        (
            with(|r| {
                r.voice_modify =
                    Some(VoiceModify { sound_effects: Some("reverb".into()), ..VoiceModify::default() })
            }),
            "voice_modify.sound_effects",
        ),
        (
            with(|r| r.pronunciation_dict = Some(PronunciationDict { tone: vec!["Omg".into()] })),
            "pronunciation_dict.tone",
        ),
        (
            with(|r| {
                r.stream = true;
                r.output_format = Some(OutputFormat::Url);
            }),
            "output_format",
        ),
    ];
    for (request, field) in cases {
        assert_eq!(request.validate().expect_err(field).field, field);
    }
    let whisper = with(|r| {
        r.model = "speech-2.6-hd".into();
        r.voice_setting.emotion = Some("whisper".into());
    });
    assert!(whisper.validate().is_ok());
    let persian_old = with(|r| {
        r.model = "speech-02-hd".into();
        r.language_boost = Some("Persian".into());
    });
    assert_eq!(persian_old.validate().unwrap_err().field, "language_boost");
    assert!(with(|r| r.text = "Hi <#0.5#> there <#1#> end".into()).validate().is_ok());
    let streamed_cbr = with(|r| {
        r.stream = true;
        r.audio_setting.as_mut().unwrap().force_cbr = Some(true);
    });
    assert!(streamed_cbr.validate().is_ok());
}

#[test]
fn async_validation_table() {
    let ok = AsyncSpeechRequest {
        model: "speech-2.6-hd".into(),
        text: Some("a".repeat(50_000)),
        voice_setting: AsyncVoiceSetting {
            voice_id: "male-qn-qingse".into(),
            ..AsyncVoiceSetting::default()
        },
        ..AsyncSpeechRequest::default()
    };
    assert!(ok.validate().is_ok());
    let json = serde_json::to_value(AsyncSpeechRequest {
        audio_setting: Some(AsyncAudioSetting { audio_sample_rate: Some(32000), ..Default::default() }),
        text: Some("x".into()),
        ..ok.clone()
    })
    .unwrap();
    assert_eq!(json["audio_setting"]["audio_sample_rate"], 32000);
    let cases: Vec<(AsyncSpeechRequest, &str)> = vec![
        (AsyncSpeechRequest { model: "speech-3".into(), ..ok.clone() }, "model"),
        (AsyncSpeechRequest { text: Some("Well (sighs) fine.".into()), ..ok.clone() }, "text"),
        (AsyncSpeechRequest { text: Some("a".repeat(50_001)), ..ok.clone() }, "text"),
        (AsyncSpeechRequest { text: None, ..ok.clone() }, "text"),
        (AsyncSpeechRequest { text_file_id: Some(1), ..ok.clone() }, "text"),
        (
            AsyncSpeechRequest {
                audio_setting: Some(AsyncAudioSetting { format: Some("wav".into()), ..Default::default() }),
                ..ok.clone()
            },
            "audio_setting.format",
        ),
    ];
    for (request, field) in cases {
        assert_eq!(request.validate().expect_err(field).field, field);
    }
    assert!(AsyncSpeechRequest { text: None, text_file_id: Some(7), ..ok }.validate().is_ok());
    assert!(VoicesRequest { voice_type: "all".into() }.validate().is_ok());
    assert!(VoicesRequest { voice_type: "mine".into() }.validate().is_err());
}

#[test]
fn speech_2_8_parameters_per_model() {
    assert_eq!(
        emotions_for("speech-2.8-hd"),
        ["happy", "sad", "angry", "fearful", "disgusted", "surprised", "calm"]
    );
    assert_eq!(emotions_for("speech-2.6-turbo").len(), 9);
    assert_eq!(emotions_for("speech-02-hd").len(), 7);
    for (model, emotion, ok) in [
        ("speech-2.8-hd", "fluent", false),
        ("speech-2.8-turbo", "whisper", false),
        ("speech-2.6-hd", "fluent", true),
        ("speech-02-turbo", "fluent", false),
        ("speech-2.8-hd", "calm", true),
    ] {
        let request = with(|r| {
            r.model = model.into();
            r.voice_setting.emotion = Some(emotion.into());
        });
        assert_eq!(request.validate().is_ok(), ok, "{model} {emotion}");
    }
    let laughing = |model: &str| {
        with(|r| {
            r.model = model.into();
            r.text = "That was close (laughs) really.".into();
        })
    };
    assert!(laughing("speech-2.8-turbo").validate().is_ok());
    assert_eq!(laughing("speech-2.6-hd").validate().unwrap_err().field, "text");
    assert!(
        with(|r| r.text = "处理 (chu3)(li3)".into()).validate().is_ok(),
        "pronunciation parentheses are not tags"
    );
    assert!(supports_interjections("speech-2.8-hd") && !supports_interjections("speech-02-hd"));
    let async_28 = AsyncSpeechRequest {
        model: "speech-2.8-hd".into(),
        text: Some("Long text (breath) goes on.".into()),
        voice_setting: AsyncVoiceSetting {
            voice_id: "English_expressive_narrator".into(),
            ..Default::default()
        },
        ..AsyncSpeechRequest::default()
    };
    assert!(async_28.validate().is_ok(), "speech-2.8 is an async model now");
}
