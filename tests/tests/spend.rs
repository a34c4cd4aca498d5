//! The Spend screen with a seeded ledger: the charts render, the ledger filters, and the CSV equals the ledger.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use studio_core::Library;
use studio_core::modality::Modality;
use studio_core::storage::{KeyKind, NewSpend};
use studio_e2e::{Result, TestEnv};

const HOUR: i64 = 3_600_000;

fn now_ms() -> i64 {
    i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// Twelve ledger rows over the last ten days, three modalities, both keys.
fn seed_ledger(home: &std::path::Path) -> Vec<NewSpend> {
    let (mut library, _) = Library::open_at(home).unwrap();
    let now = now_ms();
    let rows: Vec<NewSpend> = (0..12)
        .map(|i| {
            let (modality, model, requests) = match i % 3 {
                0 => (Modality::Speech, "speech-2.8-hd", 30 + i),
                1 => (Modality::Image, "image-01", 50),
                _ => (Modality::Video, "MiniMax-Hailuo-2.3", 4_500),
            };
            NewSpend {
                charge_key: None,
                basis: studio_core::storage::SpendBasis::Billed,
                job_id: None,
                modality,
                model: model.into(),
                key_kind: if i == 4 { KeyKind::PayAsYouGo } else { KeyKind::Plan },
                demo: false,
                requests,
                units: 1,
                at_ms: now - (10 * 24 - i64::from(i) * 20) * HOUR,
            }
        })
        .collect();
    for row in &rows {
        library.record_spend(row).unwrap();
    }
    rows
}

#[tokio::test]
async fn the_spend_screen_charts_filters_and_exports_the_ledger() -> Result<()> {
    let env = TestEnv::new("spend")?;
    let seeded = seed_ledger(env.home());
    let app = env.launch().await?;
    app.wait_for("nav-spend").await?;
    app.click("nav-spend").await?;
    if let Err(e) = app.wait_for("spend-screen").await {
        let body = app.eval("return document.body.innerText").await?;
        app.screenshot("spend-missing").await?;
        return Err(format!("{e}; the page shows: {body}").into());
    }
    // Both charts draw on a canvas once the report arrived.
    for chart in ["spend-daily-chart", "spend-window-chart"] {
        app.wait_until_eq(
            &format!("return !!document.querySelector('[data-testid=\"{chart}\"] canvas')"),
            json!(true),
        )
        .await?;
    }
    let total: u32 = seeded.iter().map(|s| s.requests).sum();
    let shown = app.text("spend-period-total").await?.replace([',', ' ', '\u{a0}'], "");
    assert!(shown.contains(&total.to_string()), "period total {total} in {shown:?}");
    app.wait_until_eq(
        "return document.querySelectorAll('[data-testid=\"spend-ledger-row\"]').length",
        json!(12),
    )
    .await?;
    app.screenshot("spend").await?;

    app.select("spend-filter-modality", "video").await?;
    app.wait_until_eq(
        "return document.querySelectorAll('[data-testid=\"spend-ledger-row\"]').length",
        json!(4),
    )
    .await?;
    app.select("spend-filter-modality", "").await?;
    app.select("spend-filter-key", "payAsYouGo").await?;
    app.wait_until_eq(
        "return document.querySelectorAll('[data-testid=\"spend-ledger-row\"]').length",
        json!(1),
    )
    .await?;
    app.select("spend-filter-key", "").await?;

    app.click("spend-export-csv").await?;
    let note = app.wait_for("spend-exported").await?.text().await?;
    let path =
        note.split_once(' ').map(|(_, p)| p.trim_start_matches("to ").trim()).unwrap_or_default().to_owned();
    let path =
        if path.starts_with('/') { path } else { note.rsplit(' ').next().unwrap_or_default().to_owned() };
    let mut csv = String::new();
    for _ in 0..50 {
        csv = std::fs::read_to_string(&path).unwrap_or_default();
        if !csv.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 13, "a header and every ledger row: {csv}");
    let csv_total: u32 =
        lines[1..].iter().map(|l| l.split(',').nth(7).unwrap().parse::<u32>().unwrap()).sum();
    assert_eq!(csv_total, total, "the CSV equals the ledger");
    app.quit().await
}
