use super::*;

fn speech(delivery: SpeechDelivery, text: &str) -> GenerationRequest {
    GenerationRequest::Speech(SpeechParams {
        model: "speech-2.6-hd".into(),
        text: text.into(),
        voice_id: "English_Graceful_Lady".into(),
        delivery,
        speed: None,
        volume: None,
        pitch: None,
        emotion: None,
        format: None,
        sample_rate: None,
        subtitles: false,
        language_boost: None,
        preview: false,
    })
}

fn video(model: &str) -> VideoParams {
    VideoParams {
        model: model.into(),
        prompt: "A lighthouse at dawn [Pan left]".into(),
        resolution: None,
        duration_s: None,
        prompt_optimizer: None,
        first_frame: None,
        last_frame: None,
        ..VideoParams::default()
    }
}

#[test]
fn requests_round_trip_as_tagged_camel_case_json() {
    let request = speech(SpeechDelivery::Stream, "Hello");
    let value = serde_json::to_value(&request).unwrap();
    assert_eq!(value["kind"], "speech");
    assert_eq!(value["voiceId"], "English_Graceful_Lady");
    assert_eq!(value["delivery"], "stream");
    assert_eq!(serde_json::from_value::<GenerationRequest>(value).unwrap(), request);
}

#[test]
fn async_speech_is_its_own_modality_and_price() {
    assert_eq!(speech(SpeechDelivery::Sync, "hi").modality(), Modality::Speech);
    assert_eq!(speech(SpeechDelivery::Async, "hi").modality(), Modality::SpeechAsync);
    let CostInput::Speech { asynchronous, characters, .. } =
        speech(SpeechDelivery::Async, "héllo").cost_input(None)
    else {
        panic!("speech prices as speech")
    };
    assert!(asynchronous);
    assert_eq!(characters, 5, "characters, not bytes");
}

#[test]
fn video_defaults_are_the_models_defaults_and_priced_as_sent() {
    let params = video("MiniMax-Hailuo-2.3");
    assert_eq!(params.effective_resolution(), "768P");
    assert_eq!(params.effective_duration_s(), 6);
    let root = std::env::temp_dir();
    let ApiCall::Video(wire) = GenerationRequest::Video(params).to_call(&root).unwrap() else { panic!() };
    assert_eq!(wire.resolution.as_deref(), Some("768P"));
    assert_eq!(wire.duration, Some(6));
}

#[test]
fn invalid_requests_are_refused_before_sending() {
    let root = std::env::temp_dir();
    let mut bad = video("MiniMax-Hailuo-2.3");
    bad.resolution = Some("1080P".into());
    bad.duration_s = Some(10);
    let problem = GenerationRequest::Video(bad).to_call(&root).unwrap_err();
    assert!(problem.to_string().contains("duration"), "{problem}");

    let long = "a".repeat(10_000);
    assert!(speech(SpeechDelivery::Sync, &long).to_call(&root).is_err(), "sync speech stops at 9,999");
    assert!(speech(SpeechDelivery::Async, &long).to_call(&root).is_ok(), "async takes 50,000");
}

#[test]
fn a_missing_frame_file_is_named() {
    let root = tempfile::tempdir().unwrap();
    let mut params = video("MiniMax-Hailuo-2.3");
    params.first_frame = Some(ImageInput::File { path: "media/nope.png".into() });
    let problem = GenerationRequest::Video(params).to_call(root.path()).unwrap_err();
    assert!(matches!(problem, RequestProblem::Input { field: "firstFrame", .. }), "{problem:?}");
}

#[test]
fn frames_from_files_become_data_urls() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("inputs")).unwrap();
    std::fs::write(root.path().join("inputs/frame.png"), b"\x89PNG\r\n\x1a\nfake").unwrap();
    let input = ImageInput::File { path: "inputs/frame.png".into() };
    let value = input.to_api_value(root.path()).unwrap();
    assert!(value.starts_with("data:image/png;base64,"), "{value}");
}

#[test]
fn a_frame_outside_the_library_is_refused_before_anything_is_sent() {
    let root = tempfile::tempdir().unwrap();
    for path in ["/etc/passwd", "../x.png", "/dev/zero", "library.sqlite3"] {
        let mut params = video("MiniMax-Hailuo-2.3");
        params.first_frame = Some(ImageInput::File { path: path.into() });
        let problem = GenerationRequest::Video(params).to_call(root.path()).unwrap_err();
        assert!(matches!(problem, RequestProblem::Input { field: "firstFrame", .. }), "{problem:?}");
        assert!(problem.to_string().contains("outside the library"), "{path}: {problem}");
    }
    let image = GenerationRequest::Image(ImageParams {
        model: "image-01".into(),
        prompt: "a fox".into(),
        aspect_ratio: None,
        count: None,
        seed: None,
        prompt_optimizer: false,
        subject_reference: Some(ImageInput::File { path: "/etc/passwd".into() }),
    });
    let problem = image.to_call(root.path()).unwrap_err();
    assert!(matches!(problem, RequestProblem::Input { field: "subjectReference", .. }), "{problem:?}");
}

#[test]
fn chat_puts_the_system_prompt_first() {
    let request = GenerationRequest::Chat(ChatParams {
        model: "MiniMax-M2.7".into(),
        system: Some("Be brief.".into()),
        messages: vec![ChatTurn { role: ChatRole::User, content: "Hi".into() }],
        max_tokens: None,
        temperature: None,
    });
    assert_eq!(request.prompt(), "Hi");
    let ApiCall::Chat(wire) = request.to_call(&std::env::temp_dir()).unwrap() else { panic!() };
    assert_eq!(wire.messages[0].role, "system");
    assert_eq!(wire.messages[1].role, "user");
}

#[test]
fn image_units_and_cost_follow_the_count() {
    let request = GenerationRequest::Image(ImageParams {
        model: "image-01".into(),
        prompt: "a fox".into(),
        aspect_ratio: Some("16:9".into()),
        count: Some(3),
        seed: None,
        prompt_optimizer: false,
        subject_reference: None,
    });
    assert_eq!(request.units(None), 3);
    assert_eq!(request.cost_input(None), CostInput::Image { model: "image-01".into(), count: 3 });
}

#[test]
fn an_imported_file_is_told_from_requests_and_marks_by_its_json() {
    let imported = JobParams::Imported(ImportedParams { imported: "score.flac".into() });
    let json = serde_json::to_value(&imported).unwrap();
    assert_eq!(json, serde_json::json!({ "imported": "score.flac" }));
    assert_eq!(serde_json::from_value::<JobParams>(json).unwrap(), imported);
    assert_eq!(imported.request(), None, "nothing to re-run or resume");
    // The other marks still read as themselves.
    let seeded: JobParams = serde_json::from_value(serde_json::json!({ "seeded": true })).unwrap();
    assert_eq!(seeded, JobParams::seeded());
}
