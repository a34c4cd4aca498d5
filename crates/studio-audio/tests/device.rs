//! The player against a real ALSA device: routed to a capture file (what was played can be counted)
//! or to a card that does not exist. Each test runs in its own child process (see `common`).
//!
//! The capture device is not paced in real time: a track "plays" in milliseconds. So the checks count
//! frames with sound, and pausing and seeking are checked where timing does not matter: a stream that
//! waits for data, and a track cued paused before it starts.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{
    CAPTURE_RATE, Capture, Route, capture_path, in_child, near, tone_pcm, tone_wav, wait_event, wait_status,
};
use futures_util::StreamExt;
use minimax_api::speech::{
    AudioExtraInfo, SpeechAudio, SpeechRequest, SpeechStreamEvent, SpeechStreamOptions,
};
use minimax_api::{ApiKey, Config, MiniMaxClient, Region};
use minimax_sim::{SimConfig, Simulator};
use studio_audio::{
    AudioError, AudioErrorKind, AudioFormat, PlaybackStatus, Player, PlayerEvent, PlayerHandle,
    StreamedAudio, Track, TrackInfo,
};

const LONG: Duration = Duration::from_secs(20);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn client(sim: &Simulator) -> MiniMaxClient {
    let key = sim.state().config().key;
    MiniMaxClient::new(Config::new(Region::Custom(sim.base_url()), ApiKey::new(key))).unwrap()
}

/// About two seconds of speech at the simulator's 15 characters per second.
fn speech_request() -> SpeechRequest {
    SpeechRequest::new("speech-2.8-turbo", "Twenty-nine characters here.", "English_expressive_narrator")
}

/// What a streamed synthesis delivered: every audio byte in order, and the final event's info.
struct Streamed {
    bytes: Vec<u8>,
    extra_info: Option<AudioExtraInfo>,
}

/// Plays a streamed synthesis as its chunks arrive, the way the app and the command line do (the runner's
/// tap hands each chunk to a [`StreamedAudio`]); `stop` ends it early as a cancelled job would.
async fn play_stream(
    player: &PlayerHandle,
    client: &MiniMaxClient,
    request: &SpeechRequest,
    stop: Option<tokio::sync::oneshot::Receiver<()>>,
) -> Result<Streamed, AudioError> {
    let track = TrackInfo { id: "speech".into(), title: "Speech".into() };
    let mut audio = StreamedAudio::new(player.clone(), track, AudioFormat::Mp3)?;
    let mut events = client.speech().synthesize_stream(request).await.expect("stream opens");
    let mut stop = stop;
    let mut bytes = Vec::new();
    loop {
        let next = match stop.as_mut() {
            Some(stop) => tokio::select! {
                biased;
                _ = stop => {
                    audio.abandon();
                    return Err(AudioError::Cancelled);
                }
                next = events.next() => next,
            },
            None => events.next().await,
        };
        match next.expect("the stream ends with its final event").expect("no stream error") {
            SpeechStreamEvent::Audio(chunk) => {
                bytes.extend_from_slice(&chunk);
                audio.push(chunk);
            }
            SpeechStreamEvent::Done { extra_info, .. } => {
                audio.finish();
                return Ok(Streamed { bytes, extra_info });
            }
        }
    }
}

/// Threads of this process named `studio-audio`.
fn audio_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter(|task| {
            let comm =
                std::fs::read_to_string(task.as_ref().unwrap().path().join("comm")).unwrap_or_default();
            comm.trim() == "studio-audio"
        })
        .count()
}

fn is_end(event: &PlayerEvent) -> bool {
    matches!(event, PlayerEvent::TrackEnded { .. })
}

#[test]
fn a_known_wav_is_played_whole() {
    if !in_child("a_known_wav_is_played_whole", Route::Capture) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tone.wav");
    std::fs::write(&path, tone_wav(1.0, 44_100, 440.0)).unwrap();
    let (player, events) = Player::spawn().unwrap();
    // The new thread names itself as it starts.
    let deadline = Instant::now() + Duration::from_secs(5);
    while audio_threads() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(audio_threads(), 1, "one named thread owns the output");
    let state = player.play(Track::file("t1", "Tone", &path)).unwrap();
    assert_eq!((state.status, state.duration_ms), (PlaybackStatus::Playing, Some(1000)));
    let started = wait_event(&events, LONG, |e| matches!(e, PlayerEvent::SoundStarted { .. }));
    assert!(matches!(started, PlayerEvent::SoundStarted { track_id, timing: Some(_) } if track_id == "t1"));
    wait_event(&events, LONG, is_end);
    wait_status(&player, PlaybackStatus::Ended, LONG);
    assert_eq!(player.state().position_ms, 1000);
    drop(player);
    assert_eq!(audio_threads(), 0, "dropping the handle joined the thread");
    let mut capture = Capture::new(&capture_path());
    let played = capture.poll();
    println!("captured {} frames, {played} with sound", capture.frames);
    assert!(near(played, CAPTURE_RATE, 3), "one second of tone: {played} frames with sound");
}

#[test]
fn pause_stops_the_flow_and_resume_restarts_it() {
    if !in_child("pause_stops_the_flow_and_resume_restarts_it", Route::Capture) {
        return;
    }
    let (player, events) = Player::spawn().unwrap();
    let format = AudioFormat::Pcm { sample_rate: 44_100, channels: 2 };
    let feed = player.begin_stream(TrackInfo { id: "s".into(), title: "PCM".into() }, format).unwrap();
    let half_second = CAPTURE_RATE / 2;
    feed.append(tone_pcm(0.5, 44_100, 440.0)).unwrap();
    let mut capture = Capture::new(&capture_path());
    let first = capture.wait_for(LONG, |n| n >= half_second * 95 / 100);
    assert!(near(first, half_second, 5), "the first half second played: {first}");

    assert_eq!(player.pause().unwrap().status, PlaybackStatus::Paused);
    // Let what the device had already taken drain out.
    std::thread::sleep(Duration::from_millis(100));
    let at_pause = capture.poll();
    feed.append(tone_pcm(0.5, 44_100, 440.0)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let while_paused = capture.poll();
    assert_eq!(while_paused, at_pause, "nothing sounds while paused, though audio is waiting");
    assert!(capture.frames > 0, "the device keeps running (silence) while paused");

    assert_eq!(player.resume().unwrap().status, PlaybackStatus::Playing);
    let resumed = capture.wait_for(LONG, |n| n >= at_pause + half_second * 95 / 100);
    assert!(near(resumed - at_pause, half_second, 5), "the second half second played after resume");
    feed.finish().unwrap();
    wait_event(&events, LONG, is_end);
    wait_status(&player, PlaybackStatus::Ended, LONG);
}

#[test]
fn seek_moves_the_playhead() {
    if !in_child("seek_moves_the_playhead", Route::Capture) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tone.wav");
    std::fs::write(&path, tone_wav(3.0, 44_100, 440.0)).unwrap();
    let (player, events) = Player::spawn().unwrap();
    assert_eq!(player.cue(Track::file("t", "Tone", &path)).unwrap().status, PlaybackStatus::Paused);
    let state = player.seek(Duration::from_secs(2)).unwrap();
    assert_eq!(state.position_ms, 2000);
    player.resume().unwrap();
    wait_event(&events, LONG, is_end);
    wait_status(&player, PlaybackStatus::Ended, LONG);
    drop(player);
    let played = Capture::new(&capture_path()).poll();
    assert!(near(played, CAPTURE_RATE, 5), "only the last of three seconds played: {played}");
}

#[test]
fn streamed_speech_sounds_before_the_stream_ends_and_plays_once() {
    if !in_child("streamed_speech_sounds_before_the_stream_ends_and_plays_once", Route::Capture) {
        return;
    }
    runtime().block_on(async {
        let config =
            SimConfig { ttfb_ms: 150, stream_chunks: 8, chunk_interval_ms: 60, ..SimConfig::default() };
        let sim = Simulator::start(config).await.unwrap();
        let client = client(&sim);
        let (player, events) = Player::spawn().unwrap();

        let stop = Arc::new(AtomicBool::new(false));
        let watching = Arc::clone(&stop);
        let watcher = std::thread::spawn(move || {
            let mut capture = Capture::new(&capture_path());
            while !watching.load(Ordering::Relaxed) {
                capture.poll();
                std::thread::sleep(Duration::from_millis(1));
            }
            capture.poll();
            capture
        });

        // The server repeats the whole audio in its final event: it must not be played or saved twice.
        let mut request = speech_request();
        request.stream_options = Some(SpeechStreamOptions { exclude_aggregated_audio: false });
        let start = Instant::now();
        let streamed = play_stream(&player, &client, &request, None).await.unwrap();
        let stream_done = Instant::now();
        wait_event(&events, LONG, is_end);
        wait_status(&player, PlaybackStatus::Ended, LONG);
        stop.store(true, Ordering::Relaxed);
        let capture = watcher.join().unwrap();

        let first_sound = capture.first_sound_at.expect("sound was captured");
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "first sound captured at {:.1} ms, stream ended at {:.1} ms, {} frames with sound",
            ms(first_sound - start),
            ms(stream_done - start),
            capture.non_silent
        );
        assert!(first_sound < stream_done, "the first audio was played before the stream ended");
        assert!(
            stream_done - first_sound > Duration::from_millis(200),
            "well before: chunks were still coming"
        );

        let audio_ms = streamed.extra_info.as_ref().and_then(|e| e.audio_length).unwrap();
        let expected = CAPTURE_RATE * audio_ms as usize / 1000;
        assert!(
            near(capture.non_silent, expected, 10),
            "all {audio_ms} ms played once: {}",
            capture.non_silent
        );

        let SpeechAudio::Bytes(whole) = client.speech().synthesize(&speech_request()).await.unwrap().audio
        else {
            panic!("hex audio expected")
        };
        assert_eq!(streamed.bytes, whole, "the chunks are the audio, once");
        assert_eq!(sim.validation_failures(), 0);
        sim.shutdown().await;
    });
}

#[test]
fn cancelling_stops_the_stream_and_the_sound() {
    if !in_child("cancelling_stops_the_stream_and_the_sound", Route::Capture) {
        return;
    }
    runtime().block_on(async {
        let config =
            SimConfig { ttfb_ms: 50, stream_chunks: 20, chunk_interval_ms: 100, ..SimConfig::default() };
        let sim = Simulator::start(config).await.unwrap();
        let client = client(&sim);
        let (player, events) = Player::spawn().unwrap();
        let (cancel, cancelled) = tokio::sync::oneshot::channel();
        let task = {
            let player = player.clone();
            tokio::spawn(
                async move { play_stream(&player, &client, &speech_request(), Some(cancelled)).await },
            )
        };
        let events = tokio::task::spawn_blocking(move || {
            wait_event(&events, LONG, |e| matches!(e, PlayerEvent::SoundStarted { .. }));
            events
        })
        .await
        .unwrap();
        let mut capture = Capture::new(&capture_path());
        // The file device writes a period after the callback took the samples.
        assert!(capture.wait_for(LONG, |n| n > 0) > 0, "speech was sounding");
        cancel.send(()).unwrap();
        let cancelled_at = Instant::now();
        let result = task.await.unwrap();
        assert!(matches!(result, Err(AudioError::Cancelled)), "{:?}", result.err());
        assert!(cancelled_at.elapsed() < Duration::from_millis(500), "cancelling is prompt");
        wait_status(&player, PlaybackStatus::Idle, LONG);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let after = capture.poll();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(capture.poll(), after, "no sound after cancelling");
        assert!(!events.try_iter().any(|e| is_end(&e)), "a cancelled track does not 'end'");
        sim.shutdown().await;
    });
}

#[test]
fn a_missing_device_is_an_error_and_everything_else_works() {
    if !in_child("a_missing_device_is_an_error_and_everything_else_works", Route::NoCard) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tone.wav");
    std::fs::write(&path, tone_wav(0.2, 44_100, 440.0)).unwrap();
    let (player, events) = Player::spawn().unwrap();
    assert!(matches!(player.check_device(), Err(AudioError::NoDevice(_))));
    let err = player.play(Track::file("t", "Tone", &path)).unwrap_err();
    assert_eq!(err.kind(), AudioErrorKind::NoDevice, "{err}");
    assert!(err.to_string().starts_with("no audio device"), "{err}");
    let state = player.state();
    assert_eq!((state.status, state.track.map(|t| t.id)), (PlaybackStatus::Idle, Some("t".into())));
    assert_eq!(player.set_volume(0.25).unwrap().volume, 0.25, "the player keeps answering");

    // Streamed speech still arrives whole (the runner saves it); the player reports that it could not sound.
    runtime().block_on(async {
        let sim = Simulator::start(SimConfig::default()).await.unwrap();
        let streamed = play_stream(&player, &client(&sim), &speech_request(), None).await.unwrap();
        assert!(!streamed.bytes.is_empty());
        sim.shutdown().await;
    });
    let error = wait_event(&events, LONG, |e| matches!(e, PlayerEvent::Error { .. }));
    let PlayerEvent::Error { error } = error else { unreachable!() };
    assert_eq!((error.kind, error.track_id.as_deref()), (AudioErrorKind::NoDevice, Some("speech")));
    assert_eq!(player.state().status, PlaybackStatus::Idle);
}
