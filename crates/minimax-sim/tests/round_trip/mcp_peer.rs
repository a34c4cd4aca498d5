//! The official Python MiniMax MCP server (`minimax-mcp==0.0.18`) as a real third-party client.
//!
//! Runs only when `MINIMAX_SIM_MCP_PYTHON` names a Python that has `minimax-mcp==0.0.18` and `mcp<2`
//! installed (e.g. a venv under `target/`); otherwise it says so and passes.

use std::time::Duration;

use minimax_sim::SimConfig;

use crate::common::{Harness, KEY, config};

#[tokio::test]
async fn official_mcp_tools_succeed_without_validation_failures() {
    let Ok(python) = std::env::var("MINIMAX_SIM_MCP_PYTHON") else {
        eprintln!("skipped: set MINIMAX_SIM_MCP_PYTHON to a Python with minimax-mcp==0.0.18 installed");
        return;
    };
    // Zero-second video tasks: the MCP server sleeps 20 s between polls, so its first poll must succeed.
    let h = Harness::with(SimConfig { video_task_ms: 0, ..config() }).await;
    let out = std::env::temp_dir().join(format!("minimax-sim-mcp-{}", std::process::id()));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp_peer.py");
    let run =
        tokio::process::Command::new(python).args([script, &h.base, KEY, &out.to_string_lossy()]).output();
    let output =
        tokio::time::timeout(Duration::from_secs(120), run).await.expect("in time").expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(h.sim.validation_failures(), 0, "{:#?}", h.sim.requests());
    let endpoints: Vec<String> = h.sim.requests().into_iter().map(|r| r.endpoint).collect();
    for wanted in [
        "/v1/t2a_v2",
        "/v1/get_voice",
        "/v1/image_generation",
        "/v1/video_generation",
        "/v1/music_generation",
    ] {
        assert!(endpoints.iter().any(|e| e == wanted), "{wanted} not called: {endpoints:?}");
    }
    let _ = std::fs::remove_dir_all(out);
}
