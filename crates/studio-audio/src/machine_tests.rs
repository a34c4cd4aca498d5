//! The state machine driven through a fake output: every rule without a sound card.

use std::collections::HashSet;
use std::sync::mpsc::{self, Receiver};

use super::*;
use crate::state::SoundTiming;

#[derive(Default)]
struct Fake {
    log: Vec<String>,
    open: bool,
    no_device: bool,
    broken: HashSet<String>,
    position: Duration,
    decoded: Duration,
}

impl Output for Fake {
    fn open(&mut self) -> Result<()> {
        if self.no_device {
            return Err(AudioError::NoDevice("no card".into()));
        }
        if !self.open {
            self.log.push("open".into());
        }
        self.open = true;
        Ok(())
    }
    fn close(&mut self) {
        if self.open {
            self.log.push("close".into());
        }
        self.open = false;
    }
    fn start(&mut self, track: &Track, generation: u64, o: StartOptions) -> Result<Option<Duration>> {
        assert!(self.open, "a track starts on an open device");
        if self.broken.contains(&track.info.id) {
            return Err(AudioError::decode(&track.info.id, "garbage"));
        }
        self.position = o.at;
        self.log.push(format!(
            "start {} g{generation} paused={} at={}",
            track.info.id,
            o.paused,
            o.at.as_millis()
        ));
        Ok(Some(Duration::from_secs(10)))
    }
    fn begin_stream(&mut self, format: AudioFormat, generation: u64, _: StartOptions) -> Result<()> {
        self.log.push(format!("stream {format:?} g{generation}"));
        self.decoded = Duration::ZERO;
        Ok(())
    }
    fn append(&mut self, bytes: &[u8]) -> Result<Duration> {
        self.decoded += Duration::from_millis(bytes.len() as u64);
        Ok(self.decoded)
    }
    fn end_stream(&mut self) -> Result<Duration> {
        self.log.push("end stream".into());
        Ok(self.decoded)
    }
    fn stop_track(&mut self) {
        self.log.push("stop".into());
    }
    fn set_paused(&mut self, paused: bool) {
        self.log.push(format!("paused={paused}"));
    }
    fn seek(&mut self, to: Duration) {
        self.position = to;
        self.log.push(format!("seek {}", to.as_millis()));
    }
    fn set_volume(&mut self, volume: f32) {
        self.log.push(format!("volume {volume}"));
    }
    fn position(&self) -> Duration {
        self.position
    }
    fn start_compare(
        &mut self,
        tracks: &[Track],
        gains: &[f32],
        active: usize,
        generation: u64,
        o: StartOptions,
    ) -> Result<Option<Duration>> {
        assert!(self.open, "takes start on an open device");
        let ids: Vec<&str> = tracks.iter().map(|t| t.info.id.as_str()).collect();
        self.position = o.at;
        self.log.push(format!("compare {} gains={gains:?} active={active} g{generation}", ids.join(",")));
        Ok(Some(Duration::from_secs(10)))
    }
    fn switch_compare(&mut self, active: usize) {
        self.log.push(format!("switch {active}"));
    }
}

struct Rig {
    m: Machine<Fake>,
    events: Receiver<PlayerEvent>,
}

fn rig() -> Rig {
    let (tx, events) = mpsc::channel();
    Rig { m: Machine::new(Fake::default(), tx, Arc::new(Mutex::new(PlayerState::default()))), events }
}

fn track(id: &str) -> Track {
    Track::file(id, format!("Title {id}"), format!("/media/{id}.mp3"))
}

impl Rig {
    fn ask(&mut self, command: impl FnOnce(Reply) -> Command) -> Result<PlayerState> {
        let (reply, answer) = mpsc::sync_channel(1);
        assert!(self.m.handle(command(reply)));
        answer.try_recv().expect("every control command is answered at once")
    }
    fn play(&mut self, ids: &[&str], index: usize) -> Result<PlayerState> {
        let tracks = ids.iter().map(|id| track(id)).collect();
        self.ask(|reply| Command::Play { tracks, index, paused: false, reply })
    }
    fn notice(&mut self, notice: Notice) {
        assert!(self.m.handle(Command::Notice(notice)));
    }
    fn events(&mut self) -> Vec<PlayerEvent> {
        self.events.try_iter().collect()
    }
    fn log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.m.output.log)
    }
    fn status(&self) -> PlaybackStatus {
        self.m.state.status
    }
}

fn ended_ids(events: &[PlayerEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::TrackEnded { track_id } => Some(track_id.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn play_pause_resume_seek_stop() {
    let mut r = rig();
    let state = r.play(&["a"], 0).unwrap();
    assert_eq!(state.status, PlaybackStatus::Playing);
    assert_eq!(state.track.as_ref().map(|t| t.title.as_str()), Some("Title a"));
    assert_eq!((state.duration_ms, state.queue_index, state.queue_length), (Some(10_000), Some(0), 1));
    assert_eq!(r.log(), vec!["stop", "open", "start a g2 paused=false at=0"]);
    assert!(matches!(&r.events()[..], [PlayerEvent::StateChanged { .. }]));

    assert_eq!(r.ask(|reply| Command::Pause { reply }).unwrap().status, PlaybackStatus::Paused);
    assert_eq!(r.ask(|reply| Command::Pause { reply }).unwrap().status, PlaybackStatus::Paused, "idempotent");
    assert_eq!(r.ask(|reply| Command::Resume { reply }).unwrap().status, PlaybackStatus::Playing);
    let state = r.ask(|reply| Command::Seek { to: Duration::from_secs(4), reply }).unwrap();
    assert_eq!(state.position_ms, 4000);
    let state = r.ask(|reply| Command::Seek { to: Duration::from_secs(60), reply }).unwrap();
    assert_eq!(state.position_ms, 10_000, "clamped to the length");
    assert_eq!(r.log(), vec!["paused=true", "paused=false", "seek 4000", "seek 10000"]);
    assert_eq!(r.events().len(), 2, "pause and resume change the state; seeks alone only move the position");

    let state = r.ask(|reply| Command::Stop { reply }).unwrap();
    assert_eq!((state.status, state.position_ms), (PlaybackStatus::Idle, 0));
    assert_eq!(r.log(), vec!["stop", "close"]);
    assert!(!r.m.output.open, "a stopped player holds no device");
    assert_eq!(r.m.shared.lock().unwrap().status, PlaybackStatus::Idle, "the handle's snapshot follows");
}

#[test]
fn the_queue_advances_and_ends() {
    let mut r = rig();
    r.play(&["a", "b", "c"], 0).unwrap();
    r.events();
    r.notice(Notice::Finished { generation: r.m.generation });
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "b");
    assert_eq!(ended_ids(&r.events()), vec!["a"]);

    // A late notice about the previous track changes nothing.
    r.notice(Notice::Finished { generation: r.m.generation - 1 });
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "b");

    r.ask(|reply| Command::Next { reply }).unwrap();
    assert_eq!(r.m.state.queue_index, Some(2));
    r.log();
    r.notice(Notice::Finished { generation: r.m.generation });
    assert_eq!(r.status(), PlaybackStatus::Ended);
    assert_eq!(r.m.state.position_ms, 10_000);
    assert!(r.log().contains(&"close".to_owned()), "the device closes when the queue ends");
    assert_eq!(ended_ids(&r.events()), vec!["c"]);

    // Play after the end replays the last track.
    assert_eq!(r.ask(|reply| Command::Resume { reply }).unwrap().status, PlaybackStatus::Playing);
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "c");
}

#[test]
fn previous_restarts_late_in_a_track_and_goes_back_early() {
    let mut r = rig();
    r.play(&["a", "b"], 1).unwrap();
    r.m.output.position = Duration::from_secs(5);
    r.ask(|reply| Command::Previous { reply }).unwrap();
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "b", "restarted");
    assert_eq!(r.m.state.position_ms, 0);
    r.m.output.position = Duration::from_secs(1);
    r.ask(|reply| Command::Previous { reply }).unwrap();
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "a");
    r.ask(|reply| Command::Previous { reply }).unwrap();
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "a", "the first track restarts");
}

#[test]
fn a_broken_track_is_reported_and_skipped() {
    let mut r = rig();
    r.m.output.broken.insert("b".into());
    r.play(&["a", "b", "c"], 0).unwrap();
    r.events();
    r.notice(Notice::Finished { generation: r.m.generation });
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "c");
    let events = r.events();
    let errors: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::Error { error } => Some((error.kind, error.track_id.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(errors, vec![(crate::error::AudioErrorKind::Decode, Some("b".to_owned()))]);
    // Played directly, a broken track is the command's error.
    let err = r.play(&["b"], 0).unwrap_err();
    assert!(matches!(err, AudioError::Decode { .. }));
    assert_eq!(r.status(), PlaybackStatus::Idle);
}

#[test]
fn no_device_is_an_error_and_the_player_keeps_answering() {
    let mut r = rig();
    r.m.output.no_device = true;
    let err = r.play(&["a"], 0).unwrap_err();
    assert!(matches!(err, AudioError::NoDevice(_)), "{err}");
    assert_eq!(r.status(), PlaybackStatus::Idle);
    assert_eq!(r.ask(|reply| Command::SetVolume { volume: 0.5, reply }).unwrap().volume, 0.5);
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::ProbeDevice { reply });
    assert!(matches!(answer.try_recv().unwrap(), Err(AudioError::NoDevice(_))));
    // A device that appears later is used.
    r.m.output.no_device = false;
    assert_eq!(r.ask(|reply| Command::Resume { reply }).unwrap().status, PlaybackStatus::Playing);
}

#[test]
fn volume_is_clamped_and_nan_refused() {
    let mut r = rig();
    assert_eq!(r.ask(|reply| Command::SetVolume { volume: 3.0, reply }).unwrap().volume, 1.0);
    assert_eq!(r.ask(|reply| Command::SetVolume { volume: -1.0, reply }).unwrap().volume, 0.0);
    assert!(matches!(
        r.ask(|reply| Command::SetVolume { volume: f32::NAN, reply }),
        Err(AudioError::Invalid(_))
    ));
    assert!(matches!(r.ask(|reply| Command::Next { reply }), Err(AudioError::NothingLoaded)));
    assert!(matches!(r.play(&[], 0), Err(AudioError::Invalid(_))));
}

#[test]
fn seeking_after_the_end_cues_the_track_paused() {
    let mut r = rig();
    r.play(&["a"], 0).unwrap();
    r.notice(Notice::Finished { generation: r.m.generation });
    assert_eq!(r.status(), PlaybackStatus::Ended);
    r.log();
    let state = r.ask(|reply| Command::Seek { to: Duration::from_secs(2), reply }).unwrap();
    assert_eq!((state.status, state.position_ms), (PlaybackStatus::Paused, 2000));
    assert_eq!(r.log(), vec!["open", "start a g4 paused=true at=2000"]);
}

#[test]
fn a_stream_plays_grows_and_ends() {
    let mut r = rig();
    r.play(&["a"], 0).unwrap();
    let info = TrackInfo { id: "s".into(), title: "Speech".into() };
    r.m.handle(Command::BeginStream { id: 9, track: info, format: AudioFormat::Mp3 });
    assert_eq!((r.status(), r.m.state.streaming, r.m.state.queue_length), (PlaybackStatus::Playing, true, 0));
    r.m.handle(Command::AppendChunk { id: 9, bytes: vec![0; 300] });
    r.m.handle(Command::AppendChunk { id: 8, bytes: vec![0; 5000] });
    assert_eq!(r.m.state.duration_ms, Some(300), "chunks of another stream are ignored");
    assert!(matches!(
        r.ask(|reply| Command::Seek { to: Duration::ZERO, reply }),
        Err(AudioError::Unsupported(_))
    ));
    r.events();
    r.m.handle(Command::EndStream { id: 9 });
    assert!(!r.m.state.streaming);
    assert!(matches!(&r.events()[..], [PlayerEvent::StateChanged { state }] if !state.streaming));
    let timing = SoundTiming { decoded_at: None, first_sample_at: Instant::now() };
    r.notice(Notice::SoundStarted { generation: r.m.generation, timing });
    r.notice(Notice::Finished { generation: r.m.generation });
    let events = r.events();
    assert!(matches!(&events[0], PlayerEvent::SoundStarted { track_id, .. } if track_id == "s"));
    assert_eq!(ended_ids(&events), vec!["s"]);
    assert_eq!(r.status(), PlaybackStatus::Ended);
}

#[test]
fn a_cancelled_stream_is_silenced_and_later_chunks_ignored() {
    let mut r = rig();
    let info = TrackInfo { id: "s".into(), title: "Speech".into() };
    r.m.handle(Command::BeginStream { id: 1, track: info, format: AudioFormat::Mp3 });
    r.m.handle(Command::CancelStream { id: 1 });
    assert_eq!(r.status(), PlaybackStatus::Idle);
    assert!(!r.m.output.open);
    r.m.handle(Command::AppendChunk { id: 1, bytes: vec![0; 10] });
    assert_eq!(r.m.output.decoded, Duration::ZERO);
}

#[test]
fn position_events_are_at_most_ten_a_second() {
    let mut r = rig();
    r.play(&["a"], 0).unwrap();
    r.events();
    let start = Instant::now();
    for ms in (0..1000).step_by(5) {
        r.m.output.position = Duration::from_millis(ms);
        r.m.tick(start + Duration::from_millis(ms));
    }
    let positions = r.events().iter().filter(|e| matches!(e, PlayerEvent::Position { .. })).count();
    assert!((8..=10).contains(&positions), "{positions} position events in one second");
    r.ask(|reply| Command::Pause { reply }).unwrap();
    r.events();
    r.m.tick(start + Duration::from_secs(5));
    assert!(r.events().is_empty(), "no position events while paused");
}

#[test]
fn enqueue_starts_an_idle_player_and_appends_otherwise() {
    let mut r = rig();
    r.ask(|reply| Command::Enqueue { track: track("a"), reply }).unwrap();
    assert_eq!(r.status(), PlaybackStatus::Playing);
    let state = r.ask(|reply| Command::Enqueue { track: track("b"), reply }).unwrap();
    assert_eq!((state.track.unwrap().id.as_str(), state.queue_length), ("a", 2));
    r.notice(Notice::Finished { generation: r.m.generation });
    assert_eq!(r.m.state.track.as_ref().unwrap().id, "b");
}

#[test]
fn shutdown_closes_the_device() {
    let mut r = rig();
    r.play(&["a"], 0).unwrap();
    assert!(!r.m.handle(Command::Shutdown));
    assert!(!r.m.output.open);
}

#[test]
fn a_comparison_switches_in_place_and_replays_after_its_end() {
    let mut r = rig();
    let tracks = vec![Track::file("a", "A", "/a.mp3"), Track::file("b", "B", "/b.mp3")];
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::Compare { tracks, gains: vec![1.0, 0.5], active: 0, reply });
    let state = answer.recv().unwrap().unwrap();
    assert_eq!(state.status, PlaybackStatus::Playing);
    let compare = state.compare.expect("a comparison");
    assert_eq!((compare.active, compare.tracks.len()), (0, 2));
    assert!((compare.gains_db[1] + 6.02).abs() < 0.01, "{:?}", compare.gains_db);
    r.m.output.position = Duration::from_millis(4_200);
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::Switch { active: 1, reply });
    let state = answer.recv().unwrap().unwrap();
    assert_eq!(state.track.map(|t| t.id).as_deref(), Some("b"));
    assert_eq!(state.position_ms, 4_200, "same position: nothing was sought");
    assert!(r.m.output.log.iter().any(|l| l == "switch 1"));
    assert!(!r.m.output.log.iter().any(|l| l.starts_with("seek")));
    // The end of the longest take ends the comparison; resume plays it again from the start.
    let generation = r.m.generation;
    r.m.handle(Command::Notice(Notice::Finished { generation }));
    assert_eq!(r.m.state.status, PlaybackStatus::Ended);
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::Resume { reply });
    assert_eq!(answer.recv().unwrap().unwrap().status, PlaybackStatus::Playing);
    assert!(r.m.output.log.last().unwrap().starts_with("compare a,b gains=[1.0, 0.5] active=1"));
    // Something else played leaves the comparison.
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::Play {
        tracks: vec![Track::file("c", "C", "/c.mp3")],
        index: 0,
        paused: false,
        reply,
    });
    assert_eq!(answer.recv().unwrap().unwrap().compare, None);
    let (reply, answer) = mpsc::sync_channel(1);
    r.m.handle(Command::Compare {
        tracks: vec![Track::file("a", "A", "/a.mp3")],
        gains: vec![1.0],
        active: 0,
        reply,
    });
    assert!(matches!(answer.recv().unwrap(), Err(AudioError::Invalid(_))), "one take is not a comparison");
    let _ = r.events;
}
