//! The harness of these round trips.

use std::time::Duration;

use minimax_api::{ApiKey, Config, MiniMaxClient, Region, RetryPolicy};
use minimax_sim::request_log::LoggedRequest;
use minimax_sim::{Fault, FaultKind, SimConfig, Simulator};

/// The pay-as-you-go key every simulator here also accepts.
pub const PAYGO: &str = "sk-api-round-trip";

/// Starts a simulator with a roomy plan and the pay-as-you-go key.
pub async fn start(config: SimConfig) -> Simulator {
    Simulator::start(SimConfig { pay_as_you_go_key: Some(PAYGO.to_owned()), ..config })
        .await
        .expect("simulator starts")
}

/// A plan big enough for media-heavy round trips.
pub fn roomy() -> SimConfig {
    SimConfig { quota: 1_000_000, weekly_quota: 0, ..SimConfig::default() }
}

/// A client for the simulator's Token Plan key with fast retries.
pub fn client(sim: &Simulator) -> MiniMaxClient {
    client_with_key(sim, &sim.state().config().key)
}

/// A client for `key`.
pub fn client_with_key(sim: &Simulator, key: &str) -> MiniMaxClient {
    let mut config = Config::new(Region::Custom(sim.base_url()), ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    };
    config.request_timeout = Duration::from_secs(20);
    config.read_timeout = Duration::from_secs(10);
    MiniMaxClient::new(config).expect("client")
}

/// Arms a fault on `endpoint`.
pub fn arm(sim: &Simulator, endpoint: &str, kind: FaultKind, times: u32) {
    sim.arm(Fault { endpoint: endpoint.to_owned(), kind, times });
}

/// The requests that reached `endpoint`.
pub fn requests_to(sim: &Simulator, endpoint: &str) -> Vec<LoggedRequest> {
    sim.requests().into_iter().filter(|r| r.endpoint == endpoint).collect()
}

/// Asserts the simulator refused nothing the client sent.
pub fn assert_clean(sim: &Simulator) {
    let failures: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.outcome == minimax_sim::envelope::OutcomeKind::Validation)
        .collect();
    assert!(failures.is_empty(), "the simulator refused what the client sent: {failures:#?}");
}

/// The simulator's clock in epoch ms, as the interpretation takes it.
pub fn now_ms(sim: &Simulator) -> i64 {
    i64::try_from(sim.state().clock.now_ms()).expect("epoch ms")
}
