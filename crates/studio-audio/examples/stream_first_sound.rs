//! How soon streamed speech is heard, against the MiniMax simulator (300 ms to first byte, 20 chunks
//! 50 ms apart), beside the non-streamed path in the same run:
//! - `first_bytes_after_ttfb_ms`: the first audio bytes out of the API client (hex decoded), after the
//!   server's first byte reached the client's socket (goal ≤ 20 ms);
//! - `first_pcm_after_ttfb_ms`: the first MP3 frame decoded to samples on the player thread;
//! - `first_sound_after_ttfb_ms`: the first samples handed to the output device (goal ≤ 150 ms);
//! - `nonstreamed_first_sound_ms`: request to first samples handed to the device when the whole file is
//!   synthesized first (the simulator then answers after the time the streamed synthesis took in all).
//!
//! The TTFB is taken as in minimax-api's `stream_bench`: the client talks to the simulator through a
//! byte-for-byte loopback relay that timestamps the first `data:` byte coming back.
//!
//! Run: `cargo run --release -p studio-audio --example stream_first_sound [-- RUNS]` (default 5 runs;
//! medians are printed, and every run's figures with `-v`). Uses the default audio device; `make bench`
//! routes ALSA to a file device when the machine has no sound card. Prints `key=value` lines.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use minimax_api::speech::{SpeechAudio, SpeechRequest, SpeechStreamEvent};
use minimax_api::{ApiKey, Config, MiniMaxClient, Region};
use minimax_sim::{SimConfig, Simulator};
use studio_audio::{
    AudioFormat, Player, PlayerEvent, PlayerHandle, SoundTiming, StreamedAudio, Track, TrackInfo,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TTFB_MS: u64 = 300;
const CHUNKS: u32 = 20;
const CHUNK_INTERVAL_MS: u64 = 50;

/// One run's figures, in ms.
#[derive(Debug, Clone, Copy)]
struct Run {
    ttfb: f64,
    first_bytes_after_ttfb: f64,
    first_pcm_after_ttfb: f64,
    first_sound_after_ttfb: f64,
    stream_total: f64,
    nonstreamed_first_sound: f64,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let runs: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(5);
    let sim = Simulator::start(SimConfig {
        ttfb_ms: TTFB_MS,
        stream_chunks: CHUNKS,
        chunk_interval_ms: CHUNK_INTERVAL_MS,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let key = sim.state().config().key;
    let (player, events) = Player::spawn().expect("player");
    let sound_started = listen(events);
    // Warm-up, not measured: ALSA reads its configuration at the first open.
    if let Err(e) = player.check_device() {
        eprintln!("no audio device ({e}); on a machine without one run through `make bench`");
        std::process::exit(1);
    }
    let request = SpeechRequest::new(
        "speech-2.8-turbo",
        "Hello there. This sentence is streamed back in twenty pieces by the simulator.",
        "English_expressive_narrator",
    );
    let mut all = Vec::new();
    for run in 0..=runs {
        let figures = measure(&sim, &key, &player, &sound_started, &request, run).await;
        // Run 0 warms the connection pool, the allocator and the decoders.
        if run > 0 {
            if verbose {
                eprintln!("run {run}: {figures:?}");
            }
            all.push(figures);
        }
    }
    let median = |f: fn(&Run) -> f64| {
        let mut v: Vec<f64> = all.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("audio_runs={runs} (medians; ttfb {TTFB_MS} ms, {CHUNKS} chunks {CHUNK_INTERVAL_MS} ms apart)");
    println!("audio_tts_ttfb_ms={:.2}", median(|r| r.ttfb));
    println!("audio_first_bytes_after_ttfb_ms={:.2} (goal <= 20)", median(|r| r.first_bytes_after_ttfb));
    println!("audio_first_pcm_after_ttfb_ms={:.2}", median(|r| r.first_pcm_after_ttfb));
    println!("audio_first_sound_after_ttfb_ms={:.2} (goal <= 150)", median(|r| r.first_sound_after_ttfb));
    println!("audio_streamed_first_sound_ms={:.2}", median(|r| r.ttfb + r.first_sound_after_ttfb));
    println!("audio_nonstreamed_first_sound_ms={:.2}", median(|r| r.nonstreamed_first_sound));
    println!("audio_stream_total_ms={:.2}", median(|r| r.stream_total));
    drop(player);
    sim.shutdown().await;
}

/// The timing of the latest `SoundStarted` per track id, filled by a listener thread.
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

async fn wait_started(started: &Started, id: &str) -> SoundTiming {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some((_, timing)) = started.lock().expect("lock").iter().find(|(t, _)| t == id) {
            return *timing;
        }
        assert!(Instant::now() < deadline, "no sound for {id}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn client_for(base: String, key: &str) -> MiniMaxClient {
    let mut config = Config::new(Region::Custom(base), ApiKey::new(key));
    config.request_timeout = Duration::from_secs(60);
    MiniMaxClient::new(config).expect("client")
}

async fn measure(
    sim: &Simulator,
    key: &str,
    player: &PlayerHandle,
    started: &Started,
    request: &SpeechRequest,
    run: usize,
) -> Run {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    sim.state().lock().config.latency_ms = 0;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
    let relay_base = format!("http://{}", listener.local_addr().expect("addr"));
    let first_data = Arc::new(Mutex::new(None));
    let relay_task = tokio::spawn(relay(listener, sim.addr(), Arc::clone(&first_data)));
    let client = client_for(relay_base, key);
    let id = format!("streamed-{run}");
    let track = TrackInfo { id: id.clone(), title: "Streamed".into() };
    let stream_start = Instant::now();
    // As the app does: the stream opens and the chunks go to a `StreamedAudio` as they arrive.
    let mut audio = StreamedAudio::new(player.clone(), track, AudioFormat::Mp3).expect("streamable");
    let mut events = client.speech().synthesize_stream(request).await.expect("stream opens");
    let mut first_audio_at = None;
    while let Some(event) = events.next().await {
        match event.expect("no stream error") {
            SpeechStreamEvent::Audio(chunk) => {
                first_audio_at.get_or_insert_with(Instant::now);
                audio.push(chunk);
            }
            SpeechStreamEvent::Done { .. } => break,
        }
    }
    audio.finish();
    let stream_end = Instant::now();
    let timing = wait_started(started, &id).await;
    drop(client);
    let _ = tokio::time::timeout(Duration::from_secs(2), relay_task).await;
    let ttfb_at = first_data.lock().expect("lock").expect("the relay saw the first data byte");
    let after_ttfb = |at: Instant| ms(at.saturating_duration_since(ttfb_at));
    let first_bytes = first_audio_at.expect("audio arrived");
    let first_pcm = timing.decoded_at.expect("a stream records its first decode");

    // The non-streamed path: the server answers once the whole synthesis is done, i.e. after as long as
    // the stream took.
    let total = stream_end - stream_start;
    sim.state().lock().config.latency_ms = total.as_millis() as u64;
    let client = client_for(sim.base_url(), key);
    let id = format!("whole-{run}");
    let whole_start = Instant::now();
    let SpeechAudio::Bytes(audio) = client.speech().synthesize(request).await.expect("synthesize").audio
    else {
        panic!("hex audio expected");
    };
    player.play(Track::bytes(id.clone(), "Whole", audio, AudioFormat::Mp3)).expect("play");
    let whole = wait_started(started, &id).await;
    player.stop().expect("stop");

    Run {
        ttfb: ms(ttfb_at.saturating_duration_since(stream_start)),
        first_bytes_after_ttfb: after_ttfb(first_bytes),
        first_pcm_after_ttfb: after_ttfb(first_pcm),
        first_sound_after_ttfb: after_ttfb(timing.first_sample_at),
        stream_total: ms(total),
        nonstreamed_first_sound: ms(whole.first_sample_at.saturating_duration_since(whole_start)),
    }
}

/// Relays one connection to `upstream`, recording when the first byte of an SSE `data:` line arrives
/// from the server (as minimax-api's `stream_bench` does).
async fn relay(
    listener: TcpListener,
    upstream: std::net::SocketAddr,
    first_data: Arc<Mutex<Option<Instant>>>,
) {
    let (client_side, _) = listener.accept().await.expect("accept");
    client_side.set_nodelay(true).expect("nodelay");
    let server_side = TcpStream::connect(upstream).await.expect("connect upstream");
    server_side.set_nodelay(true).expect("nodelay");
    let (mut client_read, mut client_write) = client_side.into_split();
    let (mut server_read, mut server_write) = server_side.into_split();
    let up = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
    });
    let mut buffer = vec![0u8; 64 * 1024];
    let mut seen = Vec::new();
    loop {
        let n = match server_read.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let now = Instant::now();
        if first_data.lock().expect("lock").is_none() {
            seen.extend_from_slice(&buffer[..n.min(4096)]);
            if seen.windows(5).any(|w| w == b"data:") {
                *first_data.lock().expect("lock") = Some(now);
            }
        }
        if client_write.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    let _ = client_write.shutdown().await;
    up.abort();
}
