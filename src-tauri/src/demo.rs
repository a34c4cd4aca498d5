//! Demo mode: the built-in MiniMax simulator started in-process on `127.0.0.1`, so anyone can try every
//! screen without a key and without spending anything. Jobs made against it are tagged `demo`.
//!
//! It lives in the shell, not in studio-core: the domain never depends on the simulator (ARCHITECTURE.md);
//! the runner only ever sees [`ApiClients`] pointed at it.

use std::time::Duration;

use minimax_api::{ApiKey, Config, MiniMaxClient, RetryPolicy};
use minimax_sim::{SimConfig, Simulator};

use studio_core::clients::ApiClients;
use studio_core::ipc::{IpcError, IpcErrorKind};

/// The simulator's Token Plan key in demo mode.
pub const DEMO_PLAN_KEY: &str = "sk-cp-demo";
/// The simulator's pay-as-you-go key in demo mode (so the over-budget dialog's third path can be tried).
pub const DEMO_PAYG_KEY: &str = "sk-api-demo";

/// The running demo server.
pub struct DemoServer {
    sim: Simulator,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoServer").field("base_url", &self.sim.base_url()).finish()
    }
}

/// The simulator's settings for a demo: real-looking pacing (tokens and audio arrive over a second or two,
/// a video takes seconds rather than minutes) and the Plus quota.
pub fn demo_config() -> SimConfig {
    SimConfig {
        key: DEMO_PLAN_KEY.to_owned(),
        pay_as_you_go_key: Some(DEMO_PAYG_KEY.to_owned()),
        video_task_ms: 6_000,
        speech_task_ms: 2_000,
        chunk_interval_ms: 60,
        latency_ms: 120,
        ..SimConfig::default()
    }
}

impl DemoServer {
    /// Starts the simulator on a free loopback port (must run inside a tokio runtime).
    pub async fn start() -> Result<DemoServer, IpcError> {
        let sim = Simulator::start(demo_config()).await.map_err(|e| {
            IpcError::new(IpcErrorKind::Internal, format!("the demo server did not start: {e}"))
        })?;
        tracing::info!(base_url = %sim.base_url(), "demo server started");
        Ok(DemoServer { sim })
    }

    /// Clients for the demo's two keys.
    pub fn clients(&self) -> ApiClients {
        let client = |key: &str| {
            let mut config = Config::new(minimax_api::Region::Custom(self.sim.base_url()), ApiKey::new(key));
            // Local and always up: fail fast rather than retry for seconds.
            config.retry = RetryPolicy { max_retries: 1, ..RetryPolicy::default() };
            config.connect_timeout = Duration::from_secs(2);
            MiniMaxClient::new(config).ok()
        };
        ApiClients { plan: client(DEMO_PLAN_KEY), pay_as_you_go: client(DEMO_PAYG_KEY) }
    }

    /// Stops the server.
    pub async fn shutdown(self) {
        self.sim.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_answers_with_its_keys() {
        let demo = DemoServer::start().await.unwrap();
        assert!(format!("{demo:?}").contains("http://127.0.0.1:"));
        let clients = demo.clients();
        let remains = clients.plan.as_ref().unwrap().plan().remains().await.unwrap();
        assert!(!remains.model_remains.is_empty());
        assert!(clients.pay_as_you_go.is_some());
        demo.shutdown().await;
    }
}
