//! The `minimax-sim` binary: serves the simulator on a fixed address, prints its base URL as the first line
//! of stdout, and runs until it is killed (SIGINT/SIGTERM stop it cleanly).
//!
//! ```text
//! minimax-sim --port 8089 --key sk-cp-demo [--host 127.0.0.1] [--task-seconds 30] [--quota 4500] …
//! ```

use std::io::Write;

use minimax_sim::{ChatUsageFrame, PlanPayload, SimConfig, SimError, Simulator};

const USAGE: &str = "usage: minimax-sim [--port P] [--key K] [--host H] [--public-url URL] [--paygo-key K] [--quota N]
  [--weekly-quota N] [--window-minutes N] [--fixed-window] [--plan NAME] [--task-seconds N] [--speech-task-seconds N]
  [--video-url-ttl-seconds N] [--speech-url-ttl-seconds N] [--media-url-ttl-seconds N] [--video-size BYTES|NMiB]
  [--rpm N] [--latency-ms N] [--ttfb-ms N] [--stream-chunks N] [--chunk-interval-ms N] [--chars-per-second F]
  [--chat-usage-frame completion|emptyChoices|none] [--no-done-marker] [--cumulative-reasoning]
  [--plan-payload legacy|usagePercent|mPlan] [--weekly-boost-permille N] [--interval-boost-permille N]
  [--v2-task-seconds N] [--no-h3] [--no-music] [--no-real-name]";

/// Parses a byte size such as `524288000`, `500MiB` or `2GiB`.
fn parse_size(value: &str) -> Option<u64> {
    let (number, unit) = match value.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => value.split_at(at),
        None => (value, ""),
    };
    let scale = match unit.trim() {
        "" | "B" => 1,
        "KiB" | "K" => 1 << 10,
        "MiB" | "M" => 1 << 20,
        "GiB" | "G" => 1 << 30,
        _ => return None,
    };
    number.parse::<u64>().ok().map(|n| n * scale)
}

/// Reads the command line into an address and a configuration.
fn parse_args(args: impl Iterator<Item = String>) -> Result<(String, SimConfig), SimError> {
    let mut config = SimConfig::default();
    let (mut host, mut port) = ("127.0.0.1".to_owned(), 0u16);
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        if flag == "--no-done-marker" {
            config.chat_done_marker = false;
            continue;
        }
        if flag == "--fixed-window" {
            config.fixed_window = true;
            continue;
        }
        if flag == "--cumulative-reasoning" {
            config.chat_cumulative_reasoning = true;
            continue;
        }
        // Keys without an entitlement: a legacy plan key without H3, an account without music, or without
        // real-name verification (voice cloning).
        match flag.as_str() {
            "--no-h3" => config.h3_access = false,
            "--no-music" => config.music_access = false,
            "--no-real-name" => config.real_name_verified = false,
            _ => {}
        }
        if matches!(flag.as_str(), "--no-h3" | "--no-music" | "--no-real-name") {
            continue;
        }
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value =
            args.next().ok_or_else(|| SimError::Argument(format!("{flag} needs a value\n{USAGE}")))?;
        let bad = || SimError::Argument(format!("bad value {value:?} for {flag}"));
        let number = || value.parse::<u64>().map_err(|_| bad());
        match flag.as_str() {
            "--port" => port = value.parse().map_err(|_| bad())?,
            "--host" => host = value.clone(),
            "--key" => config.key = value.clone(),
            "--public-url" => config.public_url = Some(value.clone()),
            "--paygo-key" => config.pay_as_you_go_key = Some(value.clone()),
            "--quota" => config.quota = number()?,
            "--weekly-quota" => config.weekly_quota = number()?,
            "--window-minutes" => config.quota_window_ms = number()? * 60_000,
            "--plan" => config.plan_name = value.clone(),
            "--task-seconds" => config.video_task_ms = number()? * 1000,
            "--speech-task-seconds" => config.speech_task_ms = number()? * 1000,
            "--video-url-ttl-seconds" => config.video_url_ttl_ms = number()? * 1000,
            "--speech-url-ttl-seconds" => config.speech_url_ttl_ms = number()? * 1000,
            "--media-url-ttl-seconds" => config.media_url_ttl_ms = number()? * 1000,
            "--video-size" => config.video_size = parse_size(&value).ok_or_else(bad)?,
            "--latency-ms" => config.latency_ms = number()?,
            "--rpm" => config.rpm = value.parse().map_err(|_| bad())?,
            "--ttfb-ms" => config.ttfb_ms = number()?,
            "--stream-chunks" => config.stream_chunks = value.parse().map_err(|_| bad())?,
            "--chunk-interval-ms" => config.chunk_interval_ms = number()?,
            "--chars-per-second" => config.chars_per_second = value.parse().map_err(|_| bad())?,
            "--plan-payload" => {
                config.plan_payload = match value.as_str() {
                    "legacy" => PlanPayload::Legacy,
                    "usagePercent" => PlanPayload::UsagePercent,
                    "mPlan" => PlanPayload::MPlan,
                    _ => return Err(bad()),
                }
            }
            "--weekly-boost-permille" => config.weekly_boost_permille = Some(number()?),
            "--interval-boost-permille" => config.interval_boost_permille = Some(number()?),
            "--v2-task-seconds" => config.video_v2_task_ms = number()? * 1000,
            "--chat-usage-frame" => {
                config.chat_usage_frame = match value.as_str() {
                    "completion" => ChatUsageFrame::Completion,
                    "emptyChoices" => ChatUsageFrame::EmptyChoices,
                    "none" => ChatUsageFrame::None,
                    _ => return Err(bad()),
                }
            }
            _ => return Err(SimError::Argument(format!("unknown flag {flag}\n{USAGE}"))),
        }
    }
    Ok((format!("{host}:{port}"), config))
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (addr, config) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("minimax-sim: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let simulator = match Simulator::start_on(&addr, config).await {
        Ok(simulator) => simulator,
        Err(e) => {
            eprintln!("minimax-sim: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("{}", simulator.base_url());
    let _ = std::io::stdout().flush();
    stop_signal().await;
    simulator.shutdown().await;
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn parses_flags() {
        let (addr, config) = parse_args(args(&[
            "--port",
            "8089",
            "--key",
            "k",
            "--quota",
            "10",
            "--video-size",
            "500MiB",
            "--no-done-marker",
            "--plan-payload",
            "mPlan",
            "--no-music",
            "--v2-task-seconds",
            "4",
        ]))
        .expect("parse");
        assert_eq!(addr, "127.0.0.1:8089");
        assert_eq!(config.key, "k");
        assert_eq!(config.quota, 10);
        assert_eq!(config.video_size, 500 << 20);
        assert!(!config.chat_done_marker);
        assert_eq!(
            (config.plan_payload, config.music_access, config.video_v2_task_ms),
            (PlanPayload::MPlan, false, 4_000)
        );
        assert!(parse_args(args(&["--plan-payload", "gold"])).is_err());
        assert!(parse_args(args(&["--bogus", "1"])).is_err());
        assert!(parse_args(args(&["--port"])).is_err());
    }
}
