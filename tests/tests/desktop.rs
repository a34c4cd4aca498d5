//! The app as a desktop app (issue 19): updates from a local server serving a signed manifest (a key made in the
//! test with the Tauri CLI's signer, as a release is signed) — the banner, the release notes, a download whose
//! signature verifies, and a tampered one refused; the command palette on Ctrl+K.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::{Value, json};
use studio_e2e::{Result, TestEnv, workspace_root};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NOTES: &str = "Prompt search finds Chinese words.\nThe studio keeps running in the tray.";

/// The Tauri CLI `scripts/setup` installs with the UI packages.
fn tauri_cli() -> PathBuf {
    workspace_root().join("ui/node_modules/.bin/tauri")
}

/// A fresh update key pair in `dir`: the public key as the app expects it (base64 of the minisign box).
fn make_key(dir: &Path) -> Result<(PathBuf, String)> {
    let key = dir.join("update.key");
    let out =
        Command::new(tauri_cli()).args(["signer", "generate", "--ci", "-p", "", "-w"]).arg(&key).output()?;
    if !out.status.success() {
        return Err(format!("tauri signer generate: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let public = std::fs::read_to_string(dir.join("update.key.pub"))?;
    Ok((key, public.trim().to_owned()))
}

/// Signs `file` with `key`; the signature as the manifest carries it.
fn sign(key: &Path, file: &Path) -> Result<String> {
    let out =
        Command::new(tauri_cli()).args(["signer", "sign", "-p", "", "-f"]).arg(key).arg(file).output()?;
    if !out.status.success() {
        return Err(format!("tauri signer sign: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let mut sig = file.as_os_str().to_owned();
    sig.push(".sig");
    Ok(std::fs::read_to_string(PathBuf::from(sig))?.trim().to_owned())
}

/// A loopback HTTP server answering each path with fixed bytes (closes after each answer), for as long as the
/// test runs. `routes` gets the port, for URLs that point back at the server.
async fn serve(routes: impl FnOnce(u16) -> Vec<(String, Vec<u8>)>) -> Result<u16> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let routes = Arc::new(routes(port));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let routes = routes.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 2048];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&request);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let found = routes.iter().find(|(p, _)| *p == path);
                let (status, body) = match found {
                    Some((_, body)) => ("200 OK", body.clone()),
                    None => ("404 Not Found", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\
                     Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    Ok(port)
}

/// The manifest of version 9.9.9 whose package is at `url` with `signature`.
fn manifest(url: &str, signature: &str) -> Vec<u8> {
    let entry = json!({ "signature": signature, "url": url });
    json!({
        "version": "9.9.9",
        "notes": NOTES,
        "pub_date": "2026-12-01T12:00:00Z",
        "platforms": { "linux-x86_64": entry, "linux-x86_64-deb": entry, "linux-x86_64-appimage": entry }
    })
    .to_string()
    .into_bytes()
}

const PHASE: &str = "return document.querySelector('[data-testid=update-banner]')?.dataset.phase ?? null";

#[tokio::test]
async fn an_update_is_offered_with_its_notes_and_installed_only_when_its_signature_verifies() -> Result<()> {
    let keys = tempfile::tempdir()?;
    let (key, public) = make_key(keys.path())?;
    let package = keys.path().join("token-plan-studio_9.9.9_amd64.deb");
    std::fs::write(&package, b"the new version's package")?;
    let signature = sign(&key, &package)?;
    let bytes = std::fs::read(&package)?;
    let mut tampered = bytes.clone();
    tampered.extend_from_slice(b" with something added after signing");

    // One server: /good serves the package as signed, /bad the same signature over changed bytes.
    let port = serve(|port| {
        let url = |p: &str| format!("http://127.0.0.1:{port}/{p}");
        vec![
            ("/good/latest.json".to_owned(), manifest(&url("good/package"), &signature)),
            ("/good/package".to_owned(), bytes.clone()),
            ("/bad/latest.json".to_owned(), manifest(&url("bad/package"), &signature)),
            ("/bad/package".to_owned(), tampered),
        ]
    })
    .await?;

    // A signed package: the banner, the notes, then downloaded and verified (ready to restart into).
    {
        let mut env = TestEnv::new("update-verified")?;
        env.set_env("TOKENPLAN_UPDATE_ENDPOINT", &format!("http://127.0.0.1:{port}/good/latest.json"));
        env.set_env("TOKENPLAN_UPDATE_PUBKEY", &public);
        let app = env.launch().await?;
        let banner = app.text("update-banner").await?;
        assert!(banner.contains("9.9.9"), "the banner names the new version: {banner}");
        app.click("update-notes").await?;
        // The notes arrive a moment after the view opens (they were read with the manifest, then rendered).
        let notes_shown = "const e = document.querySelector('[data-testid=\"update-notes-text\"]');
             return !!e && e.textContent.includes('Prompt search finds Chinese words.')";
        app.wait_eq_for(notes_shown, json!(true), std::time::Duration::from_secs(10)).await?;
        app.screenshot("release-notes").await?;
        app.eval("document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))")
            .await?;
        app.click("update-install").await?;
        app.wait_until_eq(PHASE, json!("ready")).await?;
        app.wait_for("update-restart").await?;
        app.screenshot("update-ready").await?;
        app.quit().await?;
    }

    // The same signature over other bytes: refused, said, nothing offered to install.
    {
        let mut env = TestEnv::new("update-tampered")?;
        env.set_env("TOKENPLAN_UPDATE_ENDPOINT", &format!("http://127.0.0.1:{port}/bad/latest.json"));
        env.set_env("TOKENPLAN_UPDATE_PUBKEY", &public);
        let app = env.launch().await?;
        app.click("update-install").await?;
        app.wait_until_eq(PHASE, json!("refused")).await?;
        let refused = app.text("update-refused").await?;
        assert!(refused.contains("signature"), "the refusal says why: {refused}");
        let restart =
            app.eval("return document.querySelector('[data-testid=update-restart]') === null").await?;
        assert_eq!(restart, Value::Bool(true), "a refused update offers no restart");
        app.screenshot("update-refused").await?;
        app.quit().await?;
    }
    Ok(())
}

#[tokio::test]
async fn ctrl_k_jumps_to_any_screen() -> Result<()> {
    let env = TestEnv::new("palette")?;
    let app = env.launch().await?;
    let shortcut = app.text("open-palette").await?;
    assert!(shortcut.contains("Ctrl+K"), "the shortcut is shown with Linux's modifier: {shortcut}");
    app.eval(
        "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))",
    )
    .await?;
    app.wait_for("command-palette").await?;
    app.type_text("palette-input", "spen").await?;
    app.wait_until_eq(
        "return [...document.querySelectorAll('[data-testid=palette-entry]')].map(e => e.dataset.entry).join(',')",
        json!("screen-spend"),
    )
    .await?;
    app.screenshot("palette").await?;
    app.type_text("palette-input", "\u{E007}").await?;
    app.wait_until_eq(
        "return document.querySelector('[data-testid=screen-title]')?.textContent",
        json!("Spend"),
    )
    .await?;
    app.quit().await
}
