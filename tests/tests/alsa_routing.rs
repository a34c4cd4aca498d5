//! The ALSA test configuration really captures what is played, so later audio tests can trust it.

use std::process::Command;

use studio_e2e::audio::{CAPTURE_RATE_HZ, capture_stats, route_alsa_to_file};

/// Plays a one-second stereo tone at `volume` through `aplay` with the test routing; returns the stats.
fn play_tone(volume: &str) -> studio_e2e::audio::CaptureStats {
    let dir = tempfile::tempdir().unwrap();
    let config_home = dir.path().join("config");
    let capture = dir.path().join("played.raw");
    route_alsa_to_file(&config_home, &capture).unwrap();
    let tone = dir.path().join("tone.wav");
    let sox = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2", "-b", "16"])
        .arg(&tone)
        .args(["synth", "1", "sine", "440", "vol", volume])
        .status()
        .expect("sox is installed by scripts/setup");
    assert!(sox.success());
    let aplay = Command::new("aplay")
        .arg("-q")
        .arg(&tone)
        .env("XDG_CONFIG_HOME", &config_home)
        .output()
        .expect("aplay is installed by scripts/setup");
    assert!(aplay.status.success(), "aplay failed: {}", String::from_utf8_lossy(&aplay.stderr));
    capture_stats(&capture).unwrap()
}

#[test]
fn a_tone_lands_in_the_capture_file() {
    let stats = play_tone("0.5");
    let expected = CAPTURE_RATE_HZ as usize;
    // The device pads the last period with silence, so the file holds a little more than was played.
    assert!(stats.non_silent_frames.abs_diff(expected) < expected / 50, "{stats:?}: one second of tone");
    assert!(stats.frames >= stats.non_silent_frames && stats.frames < expected * 6 / 5, "{stats:?}");
}

#[test]
fn silence_is_captured_as_silence() {
    let stats = play_tone("0");
    assert!(stats.frames > 40_000, "{stats:?}: one second of frames still flows");
    assert_eq!(stats.non_silent_frames, 0, "{stats:?}");
}

#[test]
fn nothing_played_means_an_empty_capture() {
    let dir = tempfile::tempdir().unwrap();
    let stats = capture_stats(&dir.path().join("never-written.raw")).unwrap();
    assert_eq!((stats.frames, stats.non_silent_frames), (0, 0));
}
