//! The voice workspace's two figures (issue 18), measured on the player thread the app uses:
//! - `voice_cached_replay_ms`: a cached preview replayed — the take's MP3 on disk handed to the player as
//!   the app does on a click (`Track::file`), to its first samples handed to the output device
//!   (goal ≤ 50 ms). Finding the cached take is one indexed SQLite query before that (not included).
//! - `voice_ab_switch_gap_ms`: in an A/B compare, the switch command to the first samples of the other take
//!   handed to the device, at the same position (goal ≤ 30 ms); the switch crossfades over
//!   `voice_ab_fade_ms` so it is not heard as a click.
//!
//! - With `--capture FILE` (ALSA routed by the caller to a raw 16-bit stereo 44.1 kHz file, as `make bench`
//!   does on a machine without a sound card): one switch between two steady tones is played, and what
//!   reached the device is read back — `voice_ab_switch_silence_ms`, the longest silence between the first
//!   and the last sound (a gap the listener would hear), and `voice_ab_switch_step_ratio`, the largest step
//!   between two samples over the steady tone's largest step (a click shows as a ratio far above 1).
//!
//! Run: `cargo run --release -p studio-audio --example voice_bench [-- RUNS]` (default 20 runs; medians and
//! the worst run are printed). Uses the default audio device; `make bench` routes ALSA to a file device
//! when the machine has no sound card. That device is not paced in real time, so the timings there leave
//! out the latency of a real device's buffer (rodio asks for ~50 ms): during it the previous take is still
//! heard, so a switch is late by that much but never silent.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use studio_audio::{Player, PlayerEvent, SoundTiming, Track, analyze_file, matching_gains};

/// A preview-length take: long enough that an unpaced device is still playing it when the switch comes.
const TAKE_SECONDS: f64 = 40.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("voice-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    if let Some(at) = args.iter().position(|a| a == "--capture") {
        let capture = PathBuf::from(args.get(at + 1).expect("--capture FILE"));
        switch_as_heard(&dir, &capture);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    // Two takes as the simulator makes them (32 kHz mono MP3 like speech previews, and 44.1 kHz stereo).
    let take = |name: &str, stereo: bool| {
        let (rate, channels) = if stereo { (44_100, 2) } else { (32_000, 1) };
        let (bytes, _) = minimax_sim::media::synthesize("mp3", TAKE_SECONDS, rate, channels).expect("mp3");
        let path = dir.join(name);
        std::fs::write(&path, &bytes).expect("write take");
        path
    };
    let a = take("a.mp3", false);
    let b = take("b.mp3", true);

    let (player, events) = Player::spawn().expect("player");
    let started = listen(events);
    if let Err(e) = player.check_device() {
        eprintln!("no audio device ({e}); on a machine without one run through `make bench`");
        std::process::exit(1);
    }

    // Cached replay: the click's play command to the first sample handed to the device.
    let mut replay = Vec::new();
    for run in 0..=runs {
        let id = format!("replay-{run}");
        let asked = Instant::now();
        player.play(Track::file(id.clone(), "Cached preview", &a)).expect("play");
        let timing = wait_started(&started, &id, 1);
        player.stop().expect("stop");
        // Run 0 warms the device open and the decoder.
        if run > 0 {
            replay.push(ms(timing.first_sample_at.saturating_duration_since(asked)));
        }
    }

    // A/B: the takes play in step at matched loudness; each switch goes to the other take.
    let gains =
        matching_gains(&[analyze_file(&a).expect("loudness a"), analyze_file(&b).expect("loudness b")]);
    let mut switch = Vec::new();
    for run in 0..=runs {
        let (id_a, id_b) = (format!("a-{run}"), format!("b-{run}"));
        player
            .compare(
                vec![Track::file(id_a.clone(), "A", &a), Track::file(id_b.clone(), "B", &b)],
                gains.clone(),
                0,
            )
            .expect("compare");
        wait_started(&started, &id_a, 1);
        let asked = Instant::now();
        player.switch_to(1).expect("switch");
        let timing = wait_started(&started, &id_b, 1);
        player.stop().expect("stop");
        if run > 0 {
            switch.push(ms(timing.first_sample_at.saturating_duration_since(asked)));
        }
    }

    println!("voice_runs={runs} (median, worst)");
    println!("voice_cached_replay_ms={:.2} worst={:.2} (goal <= 50)", median(&replay), worst(&replay));
    println!("voice_ab_switch_gap_ms={:.2} worst={:.2} (goal <= 30)", median(&switch), worst(&switch));
    println!("voice_ab_fade_ms={} (the crossfade of a switch)", studio_audio::SWITCH_FADE.as_millis());
    drop(player);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Plays one A/B switch between two steady tones (440 and 660 Hz, same level) into the capture file, then
/// reads what the device got: the longest silence after the first sound, and the largest sample step.
fn switch_as_heard(dir: &Path, capture: &Path) {
    const RATE: u32 = 44_100;
    let (a, b) = (dir.join("a.wav"), dir.join("b.wav"));
    std::fs::write(&a, tone_wav(440.0, RATE, 60.0)).expect("write a");
    std::fs::write(&b, tone_wav(660.0, RATE, 60.0)).expect("write b");
    let _ = std::fs::remove_file(capture);
    let (player, events) = Player::spawn().expect("player");
    let started = listen(events);
    player
        .compare(vec![Track::file("a", "A", &a), Track::file("b", "B", &b)], vec![1.0, 1.0], 0)
        .expect("compare");
    // Switched as soon as A is heard: on an unpaced device the position races ahead of any mark, while
    // the mixer's first buffer of A (~50 ms) is already written when A's first sample is reported.
    wait_started(&started, "a", 1);
    player.switch_to(1).expect("switch");
    wait_started(&started, "b", 1);
    std::thread::sleep(Duration::from_millis(20));
    player.stop().expect("stop");
    drop(player);
    std::thread::sleep(Duration::from_millis(200));
    let raw = std::fs::read(capture).expect("the capture file (is ALSA routed to it?)");
    // Left channel of interleaved S16LE stereo.
    let left: Vec<f32> =
        raw.chunks_exact(4).map(|f| f32::from(i16::from_le_bytes([f[0], f[1]])) / 32768.0).collect();
    let peak = left.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!(peak > 0.05, "nothing was played into {}", capture.display());
    let quiet = peak * 0.01;
    let first = left.iter().position(|s| s.abs() > quiet).unwrap_or(0);
    let last = left.iter().rposition(|s| s.abs() > quiet).unwrap_or(0);
    // A stop ends the sound at once: its last samples are not the switch.
    let last = last.saturating_sub(256);
    let (mut longest, mut run) = (0usize, 0usize);
    for s in &left[first..=last] {
        run = if s.abs() <= quiet { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    // Where B took over: the first 10 ms window that crosses zero at 660 Hz's rate rather than 440 Hz's.
    let window = (RATE / 100) as usize;
    let switch_at = left[first..=last].chunks(window).position(|w| {
        let crossings = w.windows(2).filter(|p| (p[0] < 0.0) != (p[1] < 0.0)).count();
        crossings as f32 > 2.0 * 550.0 * window as f32 / RATE as f32
    });
    let Some(switch_at) = switch_at.filter(|&w| w > 0) else {
        panic!("the capture does not hold A then B: the switch was not heard")
    };
    let largest_step = left[first..=last].windows(2).fold(0.0f32, |m, w| m.max((w[1] - w[0]).abs()));
    // A 660 Hz sine's largest step between two samples at this level.
    let steady_step = peak * (2.0 * std::f32::consts::PI * 660.0 / RATE as f32);
    println!(
        "voice_ab_switch_silence_ms={:.2} (the longest silence in what was played: A for ~{} ms, then B)",
        longest as f64 * 1e3 / f64::from(RATE),
        switch_at * 10
    );
    println!(
        "voice_ab_switch_step_ratio={:.2} (largest sample step / a steady tone's; a click is far above 1)",
        largest_step / steady_step
    );
}

/// A mono 16-bit WAV of a steady sine at half scale.
fn tone_wav(hz: f32, rate: u32, seconds: f32) -> Vec<u8> {
    let samples = (rate as f32 * seconds) as u32;
    let mut wav = Vec::with_capacity(44 + samples as usize * 2);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples * 2).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples * 2).to_le_bytes());
    for i in 0..samples {
        let v = (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin() * 0.5;
        wav.extend_from_slice(&((v * 32767.0) as i16).to_le_bytes());
    }
    wav
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn worst(v: &[f64]) -> f64 {
    v.iter().copied().fold(0.0, f64::max)
}

/// Every `SoundStarted` seen so far, by track id, filled by a listener thread.
type Started = Arc<Mutex<Vec<(String, SoundTiming)>>>;

fn listen(events: Receiver<PlayerEvent>) -> Started {
    let started: Started = Arc::default();
    let sink = Arc::clone(&started);
    std::thread::spawn(move || {
        for event in events {
            if let PlayerEvent::SoundStarted { track_id, timing: Some(timing) } = event {
                sink.lock().expect("lock").push((track_id, timing));
            }
        }
    });
    started
}

/// Waits for the `nth` sound-started notice of `id` (a compared take reports again after each switch).
fn wait_started(started: &Started, id: &str, nth: usize) -> SoundTiming {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen: Vec<SoundTiming> =
            started.lock().expect("lock").iter().filter(|(t, _)| t == id).map(|(_, s)| *s).collect();
        if let Some(timing) = seen.get(nth - 1) {
            return *timing;
        }
        assert!(Instant::now() < deadline, "no sound for {id}");
        std::thread::sleep(Duration::from_micros(200));
    }
}
