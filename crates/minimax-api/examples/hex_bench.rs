//! Micro benchmark of the T2A hot path: a JSON answer holding 10 MiB of audio as hex (20 MiB of text)
//! turned into audio bytes by the same code the client uses (`speech::parse_speech_body`).
//!
//! Run: `cargo run --release -p minimax-api --example hex_bench [-- AUDIO_MIB ROUNDS BODY_PATH]`.
//! Prints one `key=value` line per measurement for `make bench`, then `json_hex_to_audio_mib_per_s=<n>`
//! (audio MiB per second, median round). With `BODY_PATH`, the exact JSON body decoded is written there so
//! another implementation (e.g. Python `json.loads` + `bytes.fromhex`) can be timed on the same input.

use std::time::{Duration, Instant};

use minimax_api::speech::{SpeechAudio, parse_speech_body};

fn main() {
    let mut args = std::env::args().skip(1);
    let audio_mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15).max(1);
    let body_path = args.next();
    let audio: Vec<u8> =
        (0..audio_mib * 1024 * 1024).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let hex: String = audio.iter().map(|b| format!("{b:02x}")).collect();
    let body = format!(
        r#"{{"data":{{"audio":"{hex}","status":2,"subtitle_file":null}},"extra_info":{{"audio_length":600000,"audio_sample_rate":32000,"audio_size":{},"bitrate":128000,"word_count":1000,"invisible_character_ratio":0,"usage_characters":1000,"audio_format":"mp3","audio_channel":1}},"trace_id":"bench","base_resp":{{"status_code":0,"status_msg":"success"}}}}"#,
        audio.len()
    );
    if let Some(path) = &body_path {
        std::fs::write(path, &body).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    let body = bytes::Bytes::from(body);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let result = parse_speech_body(body.clone(), None, false).expect("decode");
        times.push(start.elapsed());
        match result.audio {
            SpeechAudio::Bytes(bytes) => assert_eq!(bytes, audio),
            SpeechAudio::Url(_) => panic!("expected bytes"),
        }
    }
    let audio_mib_per_s = report("json_hex_to_audio", audio.len(), body.len(), &mut times);

    // Reference: the slow path the architecture forbids (serde_json::Value + a scalar hex loop).
    let mut slow = Vec::with_capacity(3);
    for _ in 0..3 {
        let start = Instant::now();
        let value: serde_json::Value = serde_json::from_slice(&body).expect("json");
        let text = value["data"]["audio"].as_str().expect("audio");
        let bytes: Vec<u8> = text
            .as_bytes()
            .chunks_exact(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("utf8"), 16).expect("hex"))
            .collect();
        slow.push(start.elapsed());
        assert_eq!(bytes.len(), audio.len());
    }
    report("value_plus_scalar_hex_reference", audio.len(), body.len(), &mut slow);
    println!("json_hex_to_audio_mib_per_s={audio_mib_per_s:.0}");
    if let Some(path) = body_path {
        println!("json_hex_body_path={path} body_bytes={} audio_bytes={}", body.len(), audio.len());
    }
}

/// Prints one measurement line; returns the audio MiB/s of the median round.
fn report(name: &str, audio_bytes: usize, body_bytes: usize, times: &mut [Duration]) -> f64 {
    times.sort_unstable();
    let median = times[times.len() / 2].as_secs_f64();
    let best = times[0].as_secs_f64();
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!(
        "bench={name} audio_mib={:.1} body_mib={:.1} median_ms={:.2} best_ms={:.2} audio_mib_per_s={:.0} body_mib_per_s={:.0}",
        mib(audio_bytes),
        mib(body_bytes),
        median * 1e3,
        best * 1e3,
        mib(audio_bytes) / median,
        mib(body_bytes) / median
    );
    mib(audio_bytes) / median
}
