//! The crate graph keeps the shape ARCHITECTURE.md (and `docs/architecture.md`) gives it: logic that needs no
//! window stays in fast crates, the domain never depends on the simulator, the player and the media server
//! know neither the API nor the simulator. Read from `cargo metadata`, so a new `[dependencies]` line that
//! breaks a rule fails here, not in a review.

use std::collections::BTreeMap;
use std::process::Command;

/// Normal (not dev, not build) dependencies of each workspace package, by package name.
fn normal_dependencies() -> BTreeMap<String, Vec<String>> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline", "--manifest-path", manifest])
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    packages
        .iter()
        .map(|package| {
            let name = package["name"].as_str().unwrap_or_default().to_owned();
            let deps = package["dependencies"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter(|d| d["kind"].is_null())
                .filter_map(|d| d["name"].as_str().map(str::to_owned))
                .collect();
            (name, deps)
        })
        .collect()
}

/// `(package, dependency it must not have, why)`.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    ("studio-core", "minimax-sim", "the domain never depends on the simulator (demo mode is the shell's)"),
    ("studio-core", "tauri", "the domain compiles and tests without a window"),
    ("studio-core", "studio-film", "films build on the core, not the other way round"),
    ("studio-audio", "minimax-api", "the player knows bytes and files, not the API"),
    ("studio-audio", "minimax-sim", "the player knows bytes and files, not the simulator"),
    ("studio-audio", "studio-core", "the player is a leaf the shell and the command line wire"),
    ("studio-media", "minimax-api", "the media server knows files, not the API"),
    ("studio-media", "minimax-sim", "the media server knows files, not the simulator"),
    ("studio-media", "studio-core", "the media server is a leaf the shell wires"),
    ("minimax-api", "studio-core", "the API client knows nothing of the app"),
    ("minimax-api", "minimax-sim", "the client is tested against the simulator, never built on it"),
    ("studio-film", "tauri", "films are logic; the shell is their window"),
    ("studio-film", "minimax-sim", "films run on the core's runner, never on the simulator"),
    ("tokenplan-cli", "tauri", "the command line runs without a window"),
];

#[test]
fn no_crate_depends_across_the_intended_rules() {
    let deps = normal_dependencies();
    assert!(deps.contains_key("studio-core") && deps.contains_key("studio-audio"), "{deps:?}");
    let broken: Vec<String> = FORBIDDEN
        .iter()
        .filter(|(package, dependency, _)| {
            deps.get(*package).is_some_and(|d| d.iter().any(|name| name == dependency))
        })
        .map(|(package, dependency, why)| format!("{package} → {dependency}: {why}"))
        .collect();
    assert!(broken.is_empty(), "dependency rules broken:\n{}", broken.join("\n"));
}

#[test]
fn only_the_shell_the_seeder_and_tests_use_the_simulator() {
    // The shell starts it for demo mode; `tokenplan seed` uses its media generators for demo items.
    const ALLOWED: &[&str] = &["token-plan-studio", "tokenplan-cli", "studio-e2e"];
    let users: Vec<String> = normal_dependencies()
        .into_iter()
        .filter(|(_, deps)| deps.iter().any(|d| d == "minimax-sim"))
        .map(|(name, _)| name)
        .filter(|name| !ALLOWED.contains(&name.as_str()))
        .collect();
    assert!(users.is_empty(), "crates that use the simulator outside tests: {users:?}");
}
