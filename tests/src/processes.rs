//! Child processes the harness starts and reliably stops: Xvfb, a D-Bus session bus, tauri-driver.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::Result;

/// A child process that gets SIGTERM, then SIGKILL after a grace period, when dropped — and, for
/// tauri-driver, every process below it too (WebKitWebDriver and the app it launched), so no app
/// outlives its test and answers the next test's single-instance check.
pub struct Guarded {
    child: Child,
    what: &'static str,
    with_descendants: bool,
}

impl Guarded {
    fn new(child: Child, what: &'static str) -> Self {
        Guarded { child, what, with_descendants: false }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        let below = if self.with_descendants { descendants(self.child.id()) } else { Vec::new() };
        signal(self.child.id(), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if self.child.try_wait().ok().flatten().is_none() {
            eprintln!("harness: {} ignored SIGTERM; killing it", self.what);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        terminate(&below, Duration::from_secs(3));
    }
}

fn signal(pid: u32, sig: Signal) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = kill(Pid::from_raw(pid), sig);
    }
}

/// The parent pid and run state of `pid`, from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(u32, char)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces and parentheses; the fields after its last ')' do not.
    let mut fields = text.rsplit_once(')')?.1.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    Some((ppid, state))
}

fn alive(pid: u32) -> bool {
    stat(pid).is_some_and(|(_, state)| state != 'Z' && state != 'X')
}

/// Every process below `root`, children first found breadth-first.
pub fn descendants(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let parents: Vec<(u32, u32)> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?.0)))
        .collect();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    found.remove(0);
    found
}

/// Waits up to `grace` for `pids` to end by themselves, then SIGTERMs the rest, then SIGKILLs them.
pub fn terminate(pids: &[u32], grace: Duration) {
    let wait_gone = |limit: Duration| {
        let deadline = Instant::now() + limit;
        while pids.iter().any(|&p| alive(p)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_gone(grace);
    pids.iter().filter(|&&p| alive(p)).for_each(|&p| signal(p, Signal::SIGTERM));
    wait_gone(Duration::from_secs(2));
    pids.iter().filter(|&&p| alive(p)).for_each(|&p| signal(p, Signal::SIGKILL));
}

/// Reads the first line a child prints on stdout, within `timeout`.
fn first_line(child: &mut Child, what: &str, timeout: Duration) -> Result<String> {
    let stdout = child.stdout.take().ok_or("stdout not piped")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(timeout).map_err(|_| format!("{what} printed nothing in {timeout:?}"))?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        return Err(format!("{what} exited before it was ready").into());
    }
    Ok(line)
}

/// Starts a private Xvfb on a free display and returns `:N`.
pub fn start_xvfb() -> Result<(String, Guarded)> {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb (run scripts/setup): {e}"))?;
    let number = first_line(&mut child, "Xvfb", Duration::from_secs(10))?;
    Ok((format!(":{number}"), Guarded::new(child, "Xvfb")))
}

/// A session bus with no activatable services: like a headless machine, nothing answers for the Secret
/// Service (the app falls back to its private key file) and no keyring prompt can appear on the test's
/// display; names may be owned (single-instance) and messages sent freely.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// Starts a private D-Bus session bus and returns its address.
pub fn start_session_bus() -> Result<(String, Guarded)> {
    let config = std::env::temp_dir().join(format!("tokenplan-e2e-bus-{}.conf", std::process::id()));
    std::fs::write(&config, BUS_CONFIG)?;
    let mut child = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--nopidfile", "--print-address=1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start dbus-daemon (run scripts/setup): {e}"))?;
    let address = first_line(&mut child, "dbus-daemon", Duration::from_secs(10))?;
    Ok((address, Guarded::new(child, "dbus-daemon")))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts tauri-driver (which spawns WebKitWebDriver) with `env` for the app; returns it and its port.
pub fn start_tauri_driver(env: &[(String, String)]) -> Result<(Guarded, u16)> {
    let (port, native_port) = (free_port()?, free_port()?);
    let driver = which("tauri-driver")?;
    let child = Command::new(driver)
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start tauri-driver (run scripts/setup): {e}"))?;
    let guard = Guarded { child, what: "tauri-driver", with_descendants: true };
    // tauri-driver listens before the WebKitWebDriver it spawns does; a session request sent in between
    // is refused (seen under load), so wait for both.
    let deadline = Instant::now() + Duration::from_secs(20);
    for (what, p) in [("tauri-driver", port), ("WebKitWebDriver", native_port)] {
        while TcpStream::connect(("127.0.0.1", p)).is_err() {
            if Instant::now() > deadline {
                return Err(format!("{what} did not listen on {p} within 20 s").into());
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
    Ok((guard, port))
}

/// Finds a program on PATH or in `~/.cargo/bin` (where `cargo install` puts tauri-driver).
fn which(program: &str) -> Result<std::path::PathBuf> {
    let cargo_bin = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo/bin"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{program} not found on PATH or in ~/.cargo/bin (run scripts/setup)").into())
}
