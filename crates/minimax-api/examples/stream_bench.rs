//! Streaming benchmarks of the client against the MiniMax simulator (`minimax-sim`):
//! - streamed TTS (300 ms to first byte, 20 chunks 50 ms apart): time to the first decoded audio vs the
//!   server's time to first byte, both measured on the same request. The client talks to the simulator
//!   through a byte-for-byte loopback relay inside this process that timestamps the first `data:` byte
//!   coming back: that is the TTFB as seen at the client's socket (the relay adds microseconds).
//! - download: a 500 MiB video (`video_size`) fetched with `files().download_to` into a sink; peak RSS
//!   growth of *this* process (VmHWM from `/proc/self/status`, before vs after). The simulator serving
//!   the file runs in a child process (this same executable re-run as `serve-sim`), so its memory is not
//!   counted.
//!
//! Run: `cargo run --release -p minimax-api --example stream_bench [-- DOWNLOAD_MIB]`.
//! Prints `key=value` lines for `make bench`.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::speech::{SpeechRequest, SpeechStreamEvent};
use minimax_api::video::VideoRequest;
use minimax_api::{ApiKey, Config, MiniMaxClient, Region};
use minimax_sim::{SimConfig, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "sk-cp-bench";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    if first.as_deref() == Some("serve-sim") {
        let size: u64 = args.next().and_then(|a| a.parse().ok()).expect("serve-sim VIDEO_SIZE");
        serve_sim(size).await;
        return;
    }
    let download_mib: u64 = first.and_then(|a| a.parse().ok()).unwrap_or(500);
    tts_first_audio().await;
    download_rss(download_mib).await;
}

fn client_for(base: String) -> MiniMaxClient {
    let mut config = Config::new(Region::Custom(base), ApiKey::new(KEY));
    config.request_timeout = Duration::from_secs(600);
    config.read_timeout = Duration::from_secs(30);
    MiniMaxClient::new(config).expect("client")
}

/// Relays one connection to `upstream`, recording when the first byte of an SSE `data:` line arrives
/// from the server.
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

async fn tts_first_audio() {
    let sim = Simulator::start(SimConfig {
        key: KEY.to_owned(),
        ttfb_ms: 300,
        stream_chunks: 20,
        chunk_interval_ms: 50,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let client_direct = client_for(sim.base_url());
    let request = SpeechRequest::new(
        "speech-2.8-turbo",
        "Hello there. This sentence is streamed back in twenty pieces by the simulator.",
        "English_expressive_narrator",
    );
    // Warm-up (connection setup, TLS provider, allocator) on a direct connection, not measured.
    let mut warm = client_direct.speech().synthesize_stream(&request).await.expect("warm-up");
    while warm.next().await.is_some() {}

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
    let relay_base = format!("http://{}", listener.local_addr().expect("addr"));
    let first_data = Arc::new(Mutex::new(None));
    let relay_task = tokio::spawn(relay(listener, sim.addr(), first_data.clone()));
    let client = client_for(relay_base);
    let start = Instant::now();
    let mut stream = client.speech().synthesize_stream(&request).await.expect("stream");
    let (mut first_audio, mut chunks, mut bytes) = (None, 0u32, 0usize);
    while let Some(event) = stream.next().await {
        if let SpeechStreamEvent::Audio(audio) = event.expect("event") {
            first_audio.get_or_insert_with(Instant::now);
            chunks += 1;
            bytes += audio.len();
        }
    }
    let end = Instant::now();
    drop(stream);
    drop(client);
    let _ = tokio::time::timeout(Duration::from_secs(2), relay_task).await;
    let first_data = first_data.lock().expect("lock").expect("the relay saw the first data byte");
    let first_audio = first_audio.expect("audio");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("tts_server_ttfb_ms={:.2}", ms(first_data - start));
    println!("tts_first_audio_ms={:.2}", ms(first_audio - start));
    println!("tts_first_audio_after_ttfb_ms={:.2}", ms(first_audio.saturating_duration_since(first_data)));
    println!("tts_stream_total_ms={:.2} tts_audio_events={chunks} tts_audio_bytes={bytes}", ms(end - start));
    assert_eq!(sim.validation_failures(), 0);
    sim.shutdown().await;
}

/// Child process: serves a simulator with `video_size`-byte videos and prints its base URL.
async fn serve_sim(video_size: u64) {
    let sim = Simulator::start(SimConfig { key: KEY.to_owned(), video_size, ..SimConfig::default() })
        .await
        .expect("simulator");
    println!("{}", sim.base_url());
    // Runs until the parent kills it (or its stdin closes).
    let _ = tokio::task::spawn_blocking(|| {
        let mut byte = [0u8; 1];
        std::io::Read::read(&mut std::io::stdin(), &mut byte)
    })
    .await;
    sim.shutdown().await;
}

/// `(VmHWM, VmRSS)` of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// `POST /_sim/clock/advance` on the child simulator, with a raw HTTP/1.1 request.
async fn advance_child_clock(addr: &str, ms: u64) {
    let mut socket = TcpStream::connect(addr).await.expect("connect admin");
    let body = format!("{{\"ms\":{ms}}}");
    let request = format!(
        "POST /_sim/clock/advance HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(request.as_bytes()).await.expect("send admin");
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.expect("read admin");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

async fn download_rss(mib: u64) {
    let total = mib * 1024 * 1024;
    let exe = std::env::current_exe().expect("current exe");
    let mut child = Command::new(exe)
        .args(["serve-sim", &total.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator child");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("base url");
    let base = line.trim().to_owned();
    let addr = base.trim_start_matches("http://").to_owned();

    let client = client_for(base);
    let task = client
        .video()
        .create(&VideoRequest {
            model: "T2V-01".into(),
            prompt: Some("A cat".into()),
            ..VideoRequest::default()
        })
        .await
        .expect("video create");
    advance_child_clock(&addr, 60_000).await;
    let status = client.video().query(&task.task_id).await.expect("video query");
    let file_id = status.file_id.expect("video done");

    // Reset the peak to the current RSS (Linux ≥ 4.0) so the TTS part's peak does not hide the growth.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (hwm_before, rss_before) = memory_kib();
    let baseline = if reset { rss_before } else { hwm_before };
    let start = Instant::now();
    let mut sink = tokio::io::sink();
    let written =
        client.files().download_to(&DownloadSource::FileId(file_id), &mut sink).await.expect("download");
    let elapsed = start.elapsed().as_secs_f64();
    let (hwm_after, rss_after) = memory_kib();
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(written, total, "the whole video arrived");
    let mib_of = |kib: u64| kib as f64 / 1024.0;
    println!("download_mib={:.1}", written as f64 / (1024.0 * 1024.0));
    println!("download_mib_per_s={:.0}", written as f64 / (1024.0 * 1024.0) / elapsed);
    println!("download_peak_rss_growth_mib={:.1}", mib_of(hwm_after.saturating_sub(baseline)));
    println!(
        "download_rss_before_mib={:.1} download_rss_after_mib={:.1} download_hwm_before_mib={:.1} download_hwm_after_mib={:.1} peak_reset={reset} (simulator in child process, not counted)",
        mib_of(rss_before),
        mib_of(rss_after),
        mib_of(hwm_before),
        mib_of(hwm_after)
    );
}
