//! Streaming benchmarks against an in-process loopback server (no simulator needed):
//! - streamed TTS: time to the first decoded audio bytes vs the server's time to first byte;
//! - download: peak RSS growth while streaming a large file to a sink.
//!
//! Run: `cargo run --release -p minimax-api --example stream_bench [-- DOWNLOAD_MIB]`.
//! Prints one `key=value` line per measurement for `make bench`.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use minimax_api::files::DownloadSource;
use minimax_api::speech::{SpeechRequest, SpeechStreamEvent};
use minimax_api::{ApiKey, Config, MiniMaxClient, Region};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[tokio::main]
async fn main() {
    let download_mib: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    tts_first_bytes().await;
    download_rss(download_mib).await;
}

/// Serves one streamed T2A answer: headers + first event at once, the rest 200 ms later. Reports,
/// through `first_byte_sent`, when the first body byte was written.
async fn tts_server(listener: TcpListener, first_byte_sent: oneshot::Sender<Instant>) {
    let (mut socket, _) = listener.accept().await.expect("accept");
    socket.set_nodelay(true).expect("nodelay");
    let mut request = vec![0u8; 64 * 1024];
    let _ = socket.read(&mut request).await;
    let chunk = |hex: &str, status: u8| {
        format!(
            "data: {{\"data\":{{\"audio\":\"{hex}\",\"status\":{status}}},\"base_resp\":{{\"status_code\":0,\"status_msg\":\"\"}}}}\n\n"
        )
    };
    let first = chunk(&"ab".repeat(4096), 1);
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await.expect("head");
    let sent_at = Instant::now();
    socket.write_all(format!("{:x}\r\n{first}\r\n", first.len()).as_bytes()).await.expect("first");
    let _ = first_byte_sent.send(sent_at);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let last = chunk("", 2);
    socket.write_all(format!("{:x}\r\n{last}\r\n0\r\n\r\n", last.len()).as_bytes()).await.expect("last");
}

async fn tts_first_bytes() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (sent_tx, sent_rx) = oneshot::channel();
    let server = tokio::spawn(tts_server(listener, sent_tx));
    let client = MiniMaxClient::new(Config::new(Region::Custom(base), ApiKey::new("bench"))).expect("client");
    let request = SpeechRequest::new("speech-2.8-turbo", "Hello there.", "English_expressive_narrator");
    let start = Instant::now();
    let mut stream = client.speech().synthesize_stream(&request).await.expect("stream");
    let mut first_audio = None;
    while let Some(event) = stream.next().await {
        if let SpeechStreamEvent::Audio(bytes) = event.expect("event")
            && first_audio.is_none()
        {
            first_audio = Some((Instant::now(), bytes.len()));
        }
    }
    let sent_at = sent_rx.await.expect("server timing");
    let (decoded_at, bytes) = first_audio.expect("audio");
    server.await.expect("server");
    println!(
        "bench=tts_first_audio server_ttfb_ms={:.2} client_first_audio_ms={:.2} overhead_ms={:.2} first_chunk_bytes={bytes}",
        (sent_at - start).as_secs_f64() * 1e3,
        (decoded_at - start).as_secs_f64() * 1e3,
        (decoded_at.saturating_duration_since(sent_at)).as_secs_f64() * 1e3
    );
}

/// Peak resident set size of this process (VmHWM), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn download_rss(mib: u64) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let total = mib * 1024 * 1024;
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = vec![0u8; 16 * 1024];
        let _ = socket.read(&mut request).await;
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {total}\r\n\r\n");
        socket.write_all(head.as_bytes()).await.expect("head");
        let block = vec![0x5au8; 256 * 1024];
        let mut sent = 0;
        while sent < total {
            let n = block.len().min(usize::try_from(total - sent).expect("size"));
            socket.write_all(&block[..n]).await.expect("body");
            sent += n as u64;
        }
    });
    let client =
        MiniMaxClient::new(Config::new(Region::Custom(base.clone()), ApiKey::new("bench"))).expect("client");
    let before = peak_rss_kib();
    let start = Instant::now();
    let mut sink = tokio::io::sink();
    let written = client
        .files()
        .download_to(&DownloadSource::Url(format!("{base}/big.mp4")), &mut sink)
        .await
        .expect("download");
    let elapsed = start.elapsed().as_secs_f64();
    server.await.expect("server");
    assert_eq!(written, total);
    let growth_mib = (peak_rss_kib().saturating_sub(before)) as f64 / 1024.0;
    println!(
        "bench=download_rss file_mib={mib} peak_rss_growth_mib={growth_mib:.1} mib_per_s={:.0}",
        mib as f64 / elapsed
    );
}
