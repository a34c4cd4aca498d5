//! The command line's share of issue 14's safety items: a key typed on the command line is warned about, a
//! plain-http host to another computer is refused before anything is sent, input images from outside the
//! library are copied into it first, and `tokenplan check` checks the database and clears crash leftovers.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use minimax_sim::{SimConfig, Simulator};

const BIN: &str = env!("CARGO_BIN_EXE_tokenplan");

/// `tokenplan --home HOME ARGS…` with none of the caller's environment for the host or key.
fn tokenplan(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .env_remove("TOKENPLAN_HOME")
        .env_remove("MINIMAX_API_HOST")
        .env_remove("MINIMAX_API_KEY")
        .env("TOKENPLAN_LOG", "warn")
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null());
    command
}

async fn run(mut command: Command) -> (Output, serde_json::Value, String) {
    let output =
        tokio::task::spawn_blocking(move || command.output().expect("tokenplan runs")).await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (output, json, stderr)
}

fn key(sim: &Simulator) -> String {
    sim.state().config().key.clone()
}

#[tokio::test]
async fn a_key_typed_on_the_command_line_is_warned_about_and_one_from_the_environment_is_not() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let typed =
        tokenplan(home.path(), &["--api-host", &sim.base_url(), "--api-key", &key(&sim), "--json", "jobs"]);
    let (output, _, stderr) = run(typed).await;
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("--api-key") && stderr.contains("other users"), "{stderr}");
    assert!(stderr.contains("MINIMAX_API_KEY"), "the better way is named: {stderr}");
    assert!(!stderr.contains(&key(&sim)), "the warning never repeats the key: {stderr}");

    let mut from_env = tokenplan(home.path(), &["--api-host", &sim.base_url(), "--json", "jobs"]);
    from_env.env("MINIMAX_API_KEY", key(&sim));
    let (output, _, stderr) = run(from_env).await;
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_before_anything_is_sent() {
    let home = tempfile::tempdir().unwrap();
    // 192.0.2.0/24 is TEST-NET-1: nothing answers there, and nothing is sent anyway.
    for host in ["http://192.0.2.1:8080", "http://api.minimax.io"] {
        let mut command = tokenplan(home.path(), &["--api-host", host, "--json", "image", "a fox"]);
        command.env("MINIMAX_API_KEY", "sk-cp-test");
        let (output, json, _) = run(command).await;
        assert!(!output.status.success(), "{host}");
        assert_eq!(json["error"]["kind"], "invalidInput", "{host}: {json}");
        let message = json["error"]["message"].as_str().unwrap();
        assert!(message.contains("--api-host") && message.contains("unencrypted"), "{message}");
    }
}

#[tokio::test]
async fn a_subject_reference_from_outside_is_copied_into_the_library_first() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let portrait = elsewhere.path().join("portrait.png");
    std::fs::write(&portrait, b"\x89PNG\r\n\x1a\n portrait").unwrap();
    let mut command = tokenplan(
        home.path(),
        &[
            "--api-host",
            &sim.base_url(),
            "--json",
            "image",
            "a fox",
            "--subject-reference",
            portrait.to_str().unwrap(),
        ],
    );
    command.env("MINIMAX_API_KEY", key(&sim));
    let (output, json, stderr) = run(command).await;
    assert!(output.status.success(), "{json} {stderr}");
    let copies: Vec<_> = std::fs::read_dir(home.path().join("inputs")).unwrap().flatten().collect();
    assert_eq!(copies.len(), 1, "one copy in inputs/");
    assert_eq!(std::fs::read(copies[0].path()).unwrap(), std::fs::read(&portrait).unwrap());
    let sent = sim.requests().into_iter().find(|r| r.endpoint == "/v1/image_generation").unwrap();
    let image = sent.body.unwrap()["subject_reference"][0]["image_file"].as_str().unwrap().to_owned();
    assert!(image.starts_with("data:image/png;base64,"), "{image}");

    // A dry run copies nothing.
    let mut dry = tokenplan(
        home.path(),
        &["--json", "image", "a cat", "--subject-reference", portrait.to_str().unwrap(), "--dry-run"],
    );
    dry.env("MINIMAX_API_KEY", key(&sim));
    let (output, _, stderr) = run(dry).await;
    assert!(output.status.success(), "{stderr}");
    assert_eq!(std::fs::read_dir(home.path().join("inputs")).unwrap().count(), 1);
}

#[tokio::test]
async fn check_clears_old_leftovers_and_reports_a_damaged_database() {
    let home = tempfile::tempdir().unwrap();
    let (output, json, stderr) = run(tokenplan(home.path(), &["--json", "check"])).await;
    assert!(output.status.success(), "{stderr}");
    assert_eq!(json["integrity"], "ok");

    let media = home.path().join("media");
    let old = media.join(".tmp-9-0-4242-0");
    let young = media.join(".tmp-9-1-4242-1");
    std::fs::write(&old, b"cut short").unwrap();
    std::fs::write(&young, b"still downloading").unwrap();
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&old).unwrap().set_modified(an_hour_ago).unwrap();
    let (output, json, stderr) = run(tokenplan(home.path(), &["--json", "check"])).await;
    assert!(output.status.success(), "{stderr}");
    assert_eq!(json["removedTempFiles"], serde_json::json!(["media/.tmp-9-0-4242-0"]));
    assert!(!old.exists() && young.exists(), "a young one may be another process's download");
    assert_eq!(json["consistency"]["leftoverTempFiles"], serde_json::json!(["media/.tmp-9-1-4242-1"]));

    // Damage in the middle of the file: reported, marked, and every other command refuses the library.
    let database = home.path().join("library.sqlite3");
    fill_and_damage(&database);
    let (output, json, _) = run(tokenplan(home.path(), &["--json", "check"])).await;
    assert!(!output.status.success(), "{json}");
    assert!(json["error"]["message"].as_str().unwrap().contains("cannot be used"), "{json}");
    let (output, json, _) = run(tokenplan(home.path(), &["--json", "jobs"])).await;
    assert!(!output.status.success(), "{json}");
    assert!(home.path().join("library-damaged.txt").exists());
}

/// Grows the library with searchable prompts (through the library itself), then overwrites a page in the
/// middle of the file, as a failing disk would.
fn fill_and_damage(database: &Path) {
    let root = database.parent().unwrap();
    let (library, _) = studio_core::Library::open_at(root).unwrap();
    let jobs: Vec<_> = (0..400)
        .map(|n| studio_core::storage::NewJob {
            modality: studio_core::modality::Modality::Image,
            model: "image-01".into(),
            params: studio_core::request::JobParams::seeded(),
            prompt: format!("prompt number {n} about a lighthouse at dawn, waves and gulls"),
            estimate: studio_core::pricing::Cost::Requests(1),
            key_kind: studio_core::storage::KeyKind::Plan,
            demo: false,
            state: studio_core::storage::JobState::Queued,
            created_at_ms: n,
        })
        .collect();
    let mut library = library;
    library.insert_jobs(&jobs).unwrap();
    drop(library);
    let mut bytes = std::fs::read(database).unwrap();
    let page = 4096 * (bytes.len() / 4096 / 2);
    bytes[page..page + 4096].fill(0xA5);
    std::fs::write(database, &bytes).unwrap();
}
