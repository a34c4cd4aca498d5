//! Helpers for the studio's end-to-end tests: a simulator in the test process standing in for MiniMax, a
//! data folder pre-configured to use it (settings and the fallback key file), and waits on the UI.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::{App, Result, TestEnv};

/// The Token Plan key the test simulator accepts.
pub const SIM_KEY: &str = "sk-cp-e2e";
/// The pay-as-you-go key the test simulator accepts.
pub const SIM_PAYG_KEY: &str = "sk-api-e2e";

/// A simulator configured for quick end-to-end runs: tasks finish in seconds, chat streams visibly.
pub fn sim_config() -> minimax_sim::SimConfig {
    minimax_sim::SimConfig {
        key: SIM_KEY.into(),
        pay_as_you_go_key: Some(SIM_PAYG_KEY.into()),
        quota: 1_000_000,
        weekly_quota: 0,
        video_task_ms: 2_500,
        speech_task_ms: 1_500,
        chunk_interval_ms: 30,
        ..minimax_sim::SimConfig::default()
    }
}

/// Writes `settings.json` (custom host = the simulator, plus `extra` fields) and the fallback key file, as
/// the app would after the user saved them, so the app opens ready to generate.
pub fn configure(env: &TestEnv, sim_url: &str, extra: Value, payg: bool) -> Result<()> {
    let mut settings =
        json!({ "region": { "kind": "custom", "host": sim_url }, "plan": "plus", "notifications": false });
    if let (Some(target), Some(extra)) = (settings.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            target.insert(k.clone(), v.clone());
        }
    }
    std::fs::write(env.home().join("settings.json"), serde_json::to_vec(&json!({ "settings": settings }))?)?;
    let mut keys = json!({ "plan": SIM_KEY });
    if payg {
        keys["payAsYouGo"] = json!(SIM_PAYG_KEY);
    }
    write_private(&env.home().join("keys.json"), &serde_json::to_vec(&keys)?)
}

fn write_private(path: &Path, body: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    file.write_all(body)?;
    Ok(())
}

impl App<'_> {
    /// Types `text` into the field with `data-testid=id` (replacing what it held).
    pub async fn type_into(&self, id: &str, text: &str) -> Result<()> {
        let element = self.wait_for(id).await?;
        crate::bounded(&format!("clear {id}"), || element.clear()).await?;
        crate::bounded(&format!("type into {id}"), || element.send_keys(text)).await
    }

    /// Polls `script` until it returns `expected`, for up to `timeout`.
    pub async fn wait_eq_for(&self, script: &str, expected: Value, timeout: Duration) -> Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let value = self.eval(script).await?;
            if value == expected {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("`{script}` is {value}, expected {expected} after {timeout:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls `script` until it returns true, for up to `timeout`; fails naming `what` and the last value.
    pub async fn wait_true(&self, what: &str, script: &str, timeout: Duration) -> Result<()> {
        self.wait_eq_for(script, json!(true), timeout).await.map_err(|e| format!("{what}: {e}").into())
    }

    /// The state of the newest job card on screen (`data-state`), or null.
    pub async fn newest_job_state(&self) -> Result<Value> {
        self.eval("const c = document.querySelector('[data-testid=\"job-card\"]'); return c ? c.dataset.state : null").await
    }

    /// Waits until the newest job card reaches `state`.
    pub async fn wait_newest_job(&self, state: &str, timeout: Duration) -> Result<()> {
        let script = "const c = document.querySelector('[data-testid=\"job-card\"]'); return c ? c.dataset.state : null";
        self.wait_eq_for(script, json!(state), timeout).await
    }

    /// Waits until the element with `data-testid=id` reads `expected` (trimmed).
    pub async fn wait_text_eq(&self, id: &str, expected: &str) -> Result<()> {
        let script = format!(
            "const e = document.querySelector('[data-testid=\"{id}\"]'); return e ? e.textContent.trim() : null"
        );
        self.wait_eq_for(&script, json!(expected), Duration::from_secs(10)).await
    }

    /// Waits until the element with `data-testid=id` has non-empty text and returns it.
    pub async fn wait_text(&self, id: &str) -> Result<String> {
        let script = format!(
            "const e = document.querySelector('[data-testid=\"{id}\"]'); return e ? e.textContent.trim() : ''"
        );
        let deadline = tokio::time::Instant::now() + crate::UI_TIMEOUT;
        loop {
            let value = self.eval(&script).await?;
            if let Some(text) = value.as_str().filter(|t| !t.is_empty() && *t != "…" && *t != "—") {
                return Ok(text.to_owned());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{id} stayed empty").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
