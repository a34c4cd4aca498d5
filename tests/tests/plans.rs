//! Issue 17 in the real window, against a simulator set up as an M Plan key without music: the plan is
//! detected and the gauge speaks percent; choosing the Token Plan in Settings turns it into requests (and
//! back); the Music screen's check ends in MiniMax's refusal, explained; a paid H3 task made elsewhere (a coding
//! tool on the same key) is recovered by its id, without paying again.

use std::time::Duration;

use minimax_sim::Simulator;
use serde_json::json;
use studio_e2e::studio::{SIM_KEY, configure, sim_config};
use studio_e2e::{Result, TestEnv};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const JOB_TIMEOUT: Duration = Duration::from_secs(40);

/// Creates an H3 task at the simulator the way another tool would (a plain HTTP POST); returns its id.
async fn create_h3_task_elsewhere(sim: &Simulator) -> Result<String> {
    let body = json!({
        "model": "MiniMax-H3",
        "content": [{ "type": "text", "text": "A lighthouse at dusk, made by a coding agent" }],
        "resolution": "768P", "duration": 4, "ratio": "16:9"
    })
    .to_string();
    let mut stream = tokio::net::TcpStream::connect(sim.addr()).await?;
    let head = format!(
        "POST /v2/video_generation HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {SIM_KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        sim.addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    let json_start = reply.find('{').ok_or_else(|| format!("no JSON in the reply: {reply}"))?;
    let created: serde_json::Value = serde_json::from_str(&reply[json_start..])?;
    let id = created["task_id"].as_str().or(created["id"].as_str()).map(str::to_owned);
    id.ok_or_else(|| format!("no task id in {created}").into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m_plan_key_without_music_in_the_real_window() -> Result<()> {
    let sim = Simulator::start(minimax_sim::SimConfig {
        plan_payload: minimax_sim::PlanPayload::MPlan,
        music_access: false,
        video_v2_task_ms: 1_000,
        // A limited week (sim_config's is unlimited): the recovered clip's card gives its share of it.
        weekly_quota: 45_000,
        ..sim_config()
    })
    .await?;
    let task_id = create_h3_task_elsewhere(&sim).await?;
    let env = TestEnv::new("plans-m-plan")?;
    configure(&env, &sim.base_url(), json!({}), false)?;
    let app = env.launch().await?;
    app.wait_for("speech-text").await?;

    // Detected from /remains: percent of the window, not requests.
    let unit = "return document.querySelector('[data-testid=quota-gauge]')?.dataset.unit ?? null";
    app.wait_eq_for(unit, json!("percent"), Duration::from_secs(15)).await?;
    let numbers = app.wait_text("quota-numbers").await?;
    assert!(numbers.contains('%'), "{numbers}");
    app.screenshot("m-plan-gauge").await?;

    // Choosing the legacy Token Plan in Settings: the gauge counts requests at once; back to the M Plan.
    app.click("nav-settings").await?;
    app.select("setting-plan-family", "tokenPlan").await?;
    app.wait_eq_for(unit, json!("requests"), Duration::from_secs(10)).await?;
    let numbers = app.wait_text("quota-numbers").await?;
    assert!(numbers.contains(" / ") && !numbers.contains('%'), "{numbers}");
    app.screenshot("token-plan-gauge").await?;
    app.select("setting-plan-family", "mPlan").await?;
    app.wait_eq_for(unit, json!("percent"), Duration::from_secs(10)).await?;

    // Music: the check (one lyrics job) meets MiniMax's refusal, and the screen says why and what instead.
    app.click("nav-music").await?;
    app.wait_for("music-access").await?;
    app.click("music-access-check").await?;
    let state = "return document.querySelector('[data-testid=music-access]')?.dataset.state ?? null";
    app.wait_eq_for(state, json!("unavailable"), JOB_TIMEOUT).await?;
    let reason = app.wait_text("music-access-reason").await?;
    assert!(reason.len() > 20, "the refusal is explained: {reason}");
    assert_eq!(
        app.eval("return document.querySelectorAll('[data-testid=music-prompt]').length").await?,
        json!(0)
    );
    app.screenshot("music-unavailable").await?;

    // The paid task made elsewhere: recovered by its id, downloaded, in the library; no second create.
    app.click("nav-jobs").await?;
    app.click("recover-open").await?;
    app.type_into("recover-task-id", &task_id).await?;
    app.click("recover-submit").await?;
    app.wait_for("recover-done").await?;
    // The music check's job says what MiniMax meant: the plan lacks the model, not a used-up window.
    let probe = "return Array.from(document.querySelectorAll('[data-testid=job-card]')).some(c => c.dataset.state === 'failed' && c.textContent.includes('Not in your plan') && !c.textContent.includes('Quota used up'))";
    app.wait_true("the failed music check says 'Not in your plan'", probe, Duration::from_secs(5)).await?;
    let recovered = "return Array.from(document.querySelectorAll('[data-testid=job-card]')).some(c => c.dataset.state === 'succeeded' && c.textContent.includes('MiniMax-H3'))";
    app.wait_eq_for(recovered, json!(true), JOB_TIMEOUT).await?;
    // Its cost in the plan's unit: H3 counts against the weekly window only.
    let cost = "return document.querySelector('[data-testid=job-card][data-state=succeeded] [data-testid=job-cost]')?.textContent ?? ''";
    let cost = app.eval(cost).await?;
    assert!(cost.as_str().is_some_and(|c| c.starts_with('≈') && c.ends_with("% of the week")), "{cost}");
    app.screenshot("recovered-task").await?;
    let creates = sim.requests().into_iter().filter(|r| r.endpoint == "/v2/video_generation").count();
    assert_eq!(creates, 1, "only the other tool's create: recovering pays nothing");
    app.quit().await?;
    sim.shutdown().await;
    Ok(())
}
