//! `--dry-run`: what a request would cost and whether it fits, with nothing paid. With the plan key the
//! server's quota is read first (a free call), as a real run does, so the plan is detected and the cost is in
//! its unit (requests, or a share of the window on the M Plan); otherwise the price table and the local ledger
//! answer, and nothing is called.

use studio_core::pricing::{self, Cost};
use studio_core::profile::{QuotaUnit, WindowKind};
use studio_core::quota;
use studio_core::runner::{Clock, Estimate, GenerationRequest, Runner, SystemClock};
use studio_core::storage::KeyKind;

use crate::error::{CliError, Result};
use crate::session::{Output, Session};
use crate::waiting::Retire;

/// Prints the cost of `requests` run on `kind`'s key, after checking them against MiniMax's limits.
pub async fn dry_run(
    session: &Session,
    out: &Output,
    requests: &[GenerationRequest],
    kind: KeyKind,
) -> Result<()> {
    // What MiniMax would refuse is said now, as the real run would, not after a cost that will never be spent.
    for request in requests {
        request.check().map_err(|e| CliError::Core(studio_core::CoreError::InvalidRequest(e.to_string())))?;
    }
    if kind == KeyKind::Plan && session.client().is_ok() && !requests.is_empty() {
        let (runner, _) = session.runner_for(kind, "tokenplan --dry-run").await?;
        let _retire = Retire(runner.clone());
        return on_plan(&runner, out, requests);
    }
    local(session, out, requests)
}

/// The active profile's estimate (the plan as the server showed it).
fn on_plan(runner: &Runner, out: &Output, requests: &[GenerationRequest]) -> Result<()> {
    let estimates =
        requests.iter().map(|r| runner.estimate(r)).collect::<studio_core::Result<Vec<Estimate>>>()?;
    let view = runner.quota_view()?;
    let first = &estimates[0];
    let costs: Vec<&Cost> = estimates.iter().map(|e| &e.cost).collect();
    let total: Option<u64> = costs.iter().map(|c| c.requests().map(u64::from)).sum();
    let percent = total
        .filter(|_| view.unit == QuotaUnit::Percent)
        .and_then(|n| view.profile.percent_of(first.window_name, n));
    let fits_now = match estimates.as_slice() {
        [one] => one.fits_now,
        _ => total.is_some_and(|n| n <= first.window.remaining),
    };
    let document = serde_json::json!({
        "dryRun": true,
        "plan": view.profile.label,
        "unit": view.unit,
        "costs": costs,
        "costRequests": total,
        "costPercent": percent,
        "windowName": first.window_name,
        "window": first.window,
        "fitsNow": fits_now,
        "enoughAtMs": if estimates.len() == 1 { first.enough_at_ms } else { None },
    });
    out.print(&document, || {
        let window = if first.window_name == WindowKind::Weekly { "weekly" } else { "5-hour" };
        let cost = match (percent, total) {
            (Some(p), _) => format!("≈{p:.1}% of the {window} window"),
            (None, Some(n)) => format!("{n} requests"),
            (None, None) => unknown(&costs),
        };
        let left = match first.remaining_percent {
            Some(p) if view.unit == QuotaUnit::Percent => format!("{p:.0}% of the {window} window left"),
            _ => format!("{} of {} left in the {window} window", first.window.remaining, first.window.quota),
        };
        format!("Cost: {cost} · {left} ({})", view.profile.label)
    });
    Ok(())
}

/// The price table and the local ledger, without calling anything (no plan key).
fn local(session: &Session, out: &Output, requests: &[GenerationRequest]) -> Result<()> {
    let library = session.library()?;
    let now = SystemClock.now_ms();
    let window = library.plan_window(&session.settings, now)?;
    let costs: Vec<Cost> = requests.iter().map(|r| pricing::estimate(&r.cost_input(None))).collect();
    let total: Option<u64> = costs.iter().map(|c| c.requests().map(u64::from)).sum();
    let enough_at = match total {
        Some(n) => library.plan_requests_available_at(window.quota, n, now, quota::WINDOW_MS)?,
        None => None,
    };
    let document = serde_json::json!({
        "dryRun": true,
        "costs": costs,
        "costRequests": total,
        "window": window,
        "fitsNow": total.is_some_and(|n| n <= window.remaining),
        "enoughAtMs": enough_at,
    });
    out.print(&document, || {
        let cost = match total {
            Some(n) => format!("{n} requests"),
            None => unknown(&costs.iter().collect::<Vec<_>>()),
        };
        format!("Cost: {cost} · {} of {} left in the 5-hour window", window.remaining, window.quota)
    });
    Ok(())
}

/// "unknown (why)" for the first cost the table does not know.
fn unknown(costs: &[&Cost]) -> String {
    costs
        .iter()
        .find_map(|c| match c {
            Cost::Unknown { reason } => Some(format!("unknown ({reason})")),
            Cost::Requests(_) => None,
        })
        .unwrap_or_else(|| "unknown".into())
}
