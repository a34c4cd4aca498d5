//! Films from the command line against minimax-sim (issues 15 and 16): import a shot list, cost it, render
//! every stage — exactly one create per take —, survive a kill in the middle of a clip without a second
//! create, then the animatic and the export, checked with ffprobe (never by trusting our own output).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use minimax_sim::{SimConfig, Simulator};

const BIN: &str = env!("CARGO_BIN_EXE_tokenplan");

/// The demo film: 5 shots, 7 lines, a music cue (crates/studio-film/src/paper_boat.json).
fn demo_film() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../studio-film/src/paper_boat.json")
}

struct World {
    sim: Simulator,
    home: tempfile::TempDir,
}

impl World {
    async fn start(config: SimConfig) -> World {
        let sim = Simulator::start(config).await.expect("simulator");
        let home = tempfile::tempdir().expect("home");
        // The plan's window is large enough for a whole film (the budget is checked separately).
        std::fs::write(home.path().join("settings.json"), r#"{"settings":{"quotaOverride":300000}}"#)
            .expect("settings");
        World { sim, home }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .env_remove("TOKENPLAN_HOME")
            .env("MINIMAX_API_HOST", self.sim.base_url())
            .env("MINIMAX_API_KEY", self.sim.state().config().key.clone())
            .env("TOKENPLAN_LOG", "warn")
            .arg("--home")
            .arg(self.home.path())
            .arg("--json")
            .args(args)
            .stdin(Stdio::null());
        command
    }

    async fn run(&self, args: &[&str]) -> (Output, serde_json::Value) {
        let mut command = self.command(args);
        let output =
            tokio::task::spawn_blocking(move || command.output().expect("tokenplan runs")).await.unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let json = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!("one JSON document ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&output.stderr))
        });
        (output, json)
    }

    async fn ok(&self, args: &[&str]) -> serde_json::Value {
        let (output, json) = self.run(args).await;
        assert!(output.status.success(), "{args:?}: {json}\n{}", String::from_utf8_lossy(&output.stderr));
        json
    }

    fn creates(&self, endpoint: &str) -> usize {
        self.sim.requests().into_iter().filter(|r| r.endpoint == endpoint).count()
    }
}

fn ffprobe(path: &Path) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-show_format", "-of", "json"])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(
        output.status.success(),
        "ffprobe {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("ffprobe JSON")
}

fn codecs(probe: &serde_json::Value) -> Vec<String> {
    probe["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{}:{}", s["codec_type"].as_str().unwrap(), s["codec_name"].as_str().unwrap()))
        .collect()
}

fn duration_s(probe: &serde_json::Value) -> f64 {
    probe["format"]["duration"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_film_from_import_to_export_pays_once_per_take() {
    let world = World::start(SimConfig {
        quota: 10_000_000,
        weekly_quota: 0,
        video_task_ms: 1_500,
        ..SimConfig::default()
    })
    .await;
    let film = world.ok(&["film", "import", demo_film().to_str().unwrap()]).await;
    let id = film["id"].as_i64().unwrap();
    assert_eq!(film["shots"].as_array().unwrap().len(), 5);
    assert_eq!(film["cast"][0]["voice"], "English_PlayfulGirl", "{film}");

    // The cost before any spend: every stage, what is unknown named, a cheaper path.
    let cost = world.ok(&["film", "cost", &id.to_string()]).await;
    assert_eq!(cost["paidRequests"], 0);
    let stage =
        |name: &str| cost["stages"].as_array().unwrap().iter().find(|s| s["stage"] == name).cloned().unwrap();
    assert_eq!(stage("keyframes")["requests"], 5 * 75);
    assert_eq!(stage("music")["requests"], 3_000);
    assert_eq!(stage("clips")["unknown"], 2, "two 10 s clips at 768P are not in the price table: {cost}");
    assert!(cost["cheaper"]["totalRequests"].as_u64().unwrap() < cost["totalRequests"].as_u64().unwrap());
    // Named in English, as the command line always printed them (the app gets the same as data).
    let unknown: Vec<&str> = cost["unknown"].as_array().unwrap().iter().filter_map(|u| u.as_str()).collect();
    assert_eq!(unknown.len(), 2, "{cost}");
    assert!(unknown.iter().all(|u| u.starts_with("Shot ") && u.ends_with(" clip")), "{cost}");
    let changes = cost["cheaper"]["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c.as_str().is_some_and(|c| c.ends_with(" drafts"))), "{cost}");
    assert_eq!(world.sim.requests().len(), 0, "costing calls nothing");

    let done = world.ok(&["film", "render", &id.to_string(), "--stage", "all"]).await;
    assert_eq!(done["blocked"].as_array().unwrap().len(), 0, "{done}");
    assert_eq!(world.creates("/v1/image_generation"), 5, "one keyframe job per shot");
    assert_eq!(world.creates("/v1/t2a_v2"), 7, "one voice per line");
    assert_eq!(world.creates("/v1/music_generation"), 1);
    assert_eq!(world.creates("/v1/video_generation"), 5, "one clip per shot");
    let shown = &done["film"];
    for shot in shown["shots"].as_array().unwrap() {
        assert!(shot["chosen"]["keyframe"].is_string() && shot["chosen"]["clip"].is_string(), "{shot}");
        // Their thumbnails are made as they are stored, as the app makes them: the storyboard opens on small
        // JPEGs instead of decoding pictures and video frames while the user waits.
        for slot in ["keyframe", "clip"] {
            let name =
                Path::new(shot["chosen"][slot].as_str().unwrap()).file_name().unwrap().to_string_lossy();
            let thumb = world.home.path().join("thumbs").join(format!("{name}.256.jpg"));
            assert!(thumb.is_file(), "no thumbnail {} for the chosen {slot}", thumb.display());
        }
        for line in shot["lines"].as_array().unwrap() {
            assert!(line["chosen"].is_string(), "{line}");
        }
    }
    // A second render of every stage has nothing left to make: nothing is sent again.
    let again = world.ok(&["film", "render", &id.to_string(), "--stage", "all"]).await;
    assert_eq!(again["jobs"].as_array().unwrap().len(), 0);
    let creates = ["/v1/image_generation", "/v1/t2a_v2", "/v1/music_generation", "/v1/video_generation"];
    assert_eq!(creates.iter().map(|e| world.creates(e)).sum::<usize>(), 18, "nothing is sent again");
    let paid = world.ok(&["film", "cost", &id.to_string()]).await;
    assert_eq!(paid["totalRequests"], 0);
    assert!(paid["paidRequests"].as_u64().unwrap() >= 375 + 3_000);

    // The animatic and the export, checked with ffprobe.
    let dir = tempfile::tempdir().unwrap();
    let animatic = dir.path().join("animatic.mp4");
    let made = world.ok(&["film", "animatic", &id.to_string(), "--out", animatic.to_str().unwrap()]).await;
    let probe = ffprobe(&animatic);
    let expected = made["durationS"].as_f64().unwrap();
    assert!(
        (duration_s(&probe) - expected).abs() <= 0.1,
        "animatic {} vs the timeline's {expected}",
        duration_s(&probe)
    );
    assert!(
        codecs(&probe).iter().any(|c| c == "video:h264") && codecs(&probe).iter().any(|c| c == "audio:aac")
    );

    let out = dir.path().join("out").join("paper-boat.mp4");
    let exported = world
        .ok(&[
            "film",
            "export",
            &id.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--resolution",
            "720",
            "--edl",
            "fcpxml",
        ])
        .await;
    let probe = ffprobe(&out);
    let expected = exported["durationS"].as_f64().unwrap();
    assert!(
        (duration_s(&probe) - expected).abs() <= 0.1,
        "export {} vs the timeline's {expected}",
        duration_s(&probe)
    );
    let streams = codecs(&probe);
    assert!(streams.contains(&"video:h264".into()) && streams.contains(&"audio:aac".into()), "{streams:?}");
    assert!(streams.contains(&"subtitle:mov_text".into()), "a soft subtitle track: {streams:?}");
    let video = probe["streams"].as_array().unwrap().iter().find(|s| s["codec_type"] == "video").unwrap();
    assert_eq!((video["width"].as_u64(), video["height"].as_u64()), (Some(1280), Some(720)));
    let srt = std::fs::read_to_string(out.with_extension("srt")).expect("the SRT beside the MP4");
    assert!(srt.contains("It had rained for three days"), "{srt}");
    assert!(std::fs::read_to_string(out.with_extension("vtt")).unwrap().starts_with("WEBVTT"));
    let edl = std::fs::read_to_string(out.with_extension("fcpxml")).expect("the edit list");
    assert!(edl.contains("<fcpxml"), "{edl}");
    // The subtitle track inside the MP4 says the lines too.
    let extracted = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(&out)
        .args(["-map", "0:s:0", "-f", "srt", "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&extracted.stdout).contains("Will it really float?"));

    // The export is a Library item of its own, kind film, with its files.
    let history = world.ok(&["history", "--kind", "film"]).await;
    let items = history["jobs"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{history}");
    assert_eq!(items[0]["assets"].as_array().unwrap().len(), 4, "mp4, srt, vtt, fcpxml: {history}");
}

#[tokio::test]
async fn a_killed_clip_render_resumes_without_a_second_create() {
    let world = World::start(SimConfig {
        quota: 10_000_000,
        weekly_quota: 0,
        video_task_ms: 4_000,
        ..SimConfig::default()
    })
    .await;
    let film = world.ok(&["film", "import", demo_film().to_str().unwrap()]).await;
    let id = film["id"].as_i64().unwrap().to_string();
    world.ok(&["film", "render", &id, "--stage", "keyframes"]).await;

    let mut child = world
        .command(&["film", "render", &id, "--stage", "clips"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while world.creates("/v1/video_generation") < 5 {
        assert!(Instant::now() < deadline, "the clips were never created");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Give the last task id a moment to be stored, then kill without warning, mid-poll.
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success());

    let resumed = world.ok(&["resume"]).await;
    assert_eq!(resumed["results"].as_array().unwrap().len(), 5, "{resumed}");
    assert_eq!(world.creates("/v1/video_generation"), 5, "no second create");
    let shown = world.ok(&["film", "show", &id]).await;
    for shot in shown["shots"].as_array().unwrap() {
        assert!(shot["chosen"]["clip"].is_string(), "every clip arrived after the resume: {shot}");
    }
}

#[tokio::test]
async fn a_malformed_shot_list_names_its_line_and_makes_nothing() {
    let world = World::start(SimConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"format\": \"tokenplan-film/1\",\n  \"title\": \"X\",\n  \"shots\": [\n    {\"description\": \"a\",}\n  ]\n}\n").unwrap();
    let (output, json) = world.run(&["film", "import", bad.to_str().unwrap()]).await;
    assert!(!output.status.success());
    let message = json["error"]["message"].as_str().unwrap();
    assert!(message.contains("line 5"), "{message}");
    let listed = world.ok(&["film", "list"]).await;
    assert_eq!(listed["films"].as_array().unwrap().len(), 0);
}

/// Mean volume (dB) of `path`'s audio around `hz`, by ffmpeg's volumedetect (never by our own code).
fn band_volume(path: &Path, hz: u32) -> f64 {
    let filter = format!("highpass=f={},lowpass=f={},volumedetect", hz * 4 / 5, hz * 5 / 4);
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-map", "0:a", "-af", &filter, "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr.lines().find(|l| l.contains("mean_volume:")).unwrap_or_else(|| panic!("{stderr}"));
    line.split("mean_volume:").nth(1).unwrap().trim().trim_end_matches(" dB").parse().unwrap_or(-120.0)
}

/// A one-shot film (no lines, no music cue) for the sound settings.
fn one_shot_film(dir: &Path) -> PathBuf {
    let path = dir.join("rain.json");
    std::fs::write(
        &path,
        r#"{"format": "tokenplan-film/1", "title": "Rain", "shots": [{"description": "Rain on a window", "durationS": 4}]}"#,
    )
    .expect("write");
    path
}

#[tokio::test]
async fn an_h3_film_asks_for_clip_sound_only_when_kept_and_the_export_carries_it() {
    let world = World::start(SimConfig {
        quota: 10_000_000,
        weekly_quota: 0,
        video_v2_task_ms: 1_500,
        ..SimConfig::default()
    })
    .await;
    let film = world.ok(&["film", "import", one_shot_film(world.home.path()).to_str().unwrap()]).await;
    let id = film["id"].as_i64().unwrap().to_string();
    assert_eq!(film["clipAudio"], "muted", "a new film mutes clip sound: {film}");

    let (output, refused) = world.run(&["film", "set", &id, "--clip-audio", "loud"]).await;
    assert!(!output.status.success());
    assert_eq!(refused["error"]["kind"], "invalidInput", "{refused}");

    let set = world.ok(&["film", "set", &id, "--video-model", "MiniMax-H3", "--clip-audio", "kept"]).await;
    assert_eq!((set["videoModel"].as_str(), set["clipAudio"].as_str()), (Some("MiniMax-H3"), Some("kept")));
    let planned = world.ok(&["film", "render", &id, "--stage", "clips", "--dry-run"]).await;
    let request = &planned["jobs"][0]["request"];
    assert_eq!(
        (request["generateAudio"].as_bool(), request["durationS"].as_u64()),
        (Some(true), Some(4)),
        "{planned}"
    );

    world.ok(&["film", "render", &id, "--stage", "keyframes"]).await;
    world.ok(&["film", "render", &id, "--stage", "clips"]).await;
    assert_eq!(world.creates("/v2/video_generation"), 1);
    let kept = world.home.path().join("kept.mp4");
    world.ok(&["film", "export", &id, "--out", kept.to_str().unwrap(), "--subtitles", "none"]).await;
    let probe = ffprobe(&kept);
    assert!(codecs(&probe).contains(&"audio:aac".to_owned()), "{probe}");
    let heard = band_volume(&kept, 440);
    assert!(heard > -40.0, "the clip's own tone is in the export ({heard:.1} dB)");

    // Muted: the next clip is asked for no sound, and the export carries none of it.
    world.ok(&["film", "set", &id, "--clip-audio", "muted"]).await;
    let planned = world.ok(&["film", "render", &id, "--stage", "clips", "--redo", "--dry-run"]).await;
    assert_eq!(planned["jobs"][0]["request"]["generateAudio"], false, "{planned}");
    let muted = world.home.path().join("muted.mp4");
    world.ok(&["film", "export", &id, "--out", muted.to_str().unwrap(), "--subtitles", "none"]).await;
    let silent = band_volume(&muted, 440);
    assert!(silent < heard - 40.0, "muted: {silent:.1} dB against {heard:.1} dB kept");
}

#[tokio::test]
async fn a_key_without_music_imports_an_audio_file_as_the_bed() {
    let world = World::start(SimConfig { music_access: false, ..SimConfig::default() }).await;
    let film = world.ok(&["film", "import", one_shot_film(world.home.path()).to_str().unwrap()]).await;
    let id = film["id"].as_i64().unwrap().to_string();

    let text = world.home.path().join("not-audio.mp3");
    std::fs::write(&text, "hello").expect("write");
    let (output, refused) = world.run(&["film", "music", &id, "--import", text.to_str().unwrap()]).await;
    assert!(!output.status.success(), "{refused}");
    assert_eq!(refused["error"]["kind"], "invalidInput", "{refused}");

    let bed = world.home.path().join("Harbour Theme.wav");
    let made = Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=220:duration=6",
        ])
        .arg(&bed)
        .status()
        .expect("ffmpeg runs");
    assert!(made.success());
    let shown = world.ok(&["film", "music", &id, "--import", bed.to_str().unwrap()]).await;
    assert_eq!(shown["musicImportedFrom"], "Harbour Theme.wav", "{shown}");
    let copy = PathBuf::from(shown["music"].as_str().expect("a chosen bed"));
    assert!(copy.starts_with(world.home.path().join("media")) && copy.is_file(), "{shown}");
    let cost = world.ok(&["film", "cost", &id]).await;
    let music = cost["stages"].as_array().unwrap().iter().find(|s| s["stage"] == "music").cloned();
    assert!(music.is_none_or(|m| m["requests"] == 0), "nothing left to pay for music: {cost}");
    assert_eq!(world.creates("/v1/music_generation"), 0);

    let out = world.home.path().join("film.mp4");
    world.ok(&["film", "animatic", &id, "--out", out.to_str().unwrap()]).await;
    let music = band_volume(&out, 220);
    assert!(music > -40.0, "the imported bed plays in the animatic ({music:.1} dB)");
}
