//! The end-to-end harness: drives the real Token Plan Studio window through tauri-driver and
//! WebKitWebDriver, with a fresh data folder per test.
//!
//! Each [`TestEnv`] owns a temporary `TOKENPLAN_HOME`, private XDG folders, an Xvfb display when the
//! process has none, and a private D-Bus session bus (so single-instance checks do not see other tests).
//! [`TestEnv::launch`] starts tauri-driver with that environment and opens a WebDriver session on the app.
//! Screenshots go to `target/e2e-screenshots/` for review.

pub mod audio;
mod processes;
pub mod studio;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

pub use processes::Guarded;

/// Boxed error: test code reports failures with context, not recovery.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// The harness's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// How long a query waits for the UI before failing.
pub const UI_TIMEOUT: Duration = Duration::from_secs(15);

/// How long WebDriver's screenshot may take before the X server's picture is used instead.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(4);

/// How long a launch may take before the test fails (slow, loaded CI machines included).
pub const LAUNCH_TIMEOUT: Duration = Duration::from_secs(60);

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The cargo target folder shared by the workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// The debug app binary, built once per test process unless `TOKENPLAN_APP_BINARY` names one.
pub fn app_binary() -> Result<PathBuf> {
    static BUILT: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("TOKENPLAN_APP_BINARY") {
                return Ok(PathBuf::from(path));
            }
            if !workspace_root().join("ui/dist/index.html").exists() {
                return Err("ui/dist is missing: run `npm --prefix ui run build` (make test does)".into());
            }
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", "token-plan-studio"])
                .current_dir(workspace_root())
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("building the app failed: {status}"));
            }
            Ok(target_dir().join("debug/token-plan-studio"))
        })
        .clone()
        .map_err(Error::from)
}

/// The `tokenplan` command line (debug build), built once per test process unless `TOKENPLAN_CLI_BINARY`
/// names one. Tests seed the library with it.
pub fn tokenplan_binary() -> Result<PathBuf> {
    static BUILT: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("TOKENPLAN_CLI_BINARY") {
                return Ok(PathBuf::from(path));
            }
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", "tokenplan-cli"])
                .current_dir(workspace_root())
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("building tokenplan failed: {status}"));
            }
            Ok(target_dir().join("debug/tokenplan"))
        })
        .clone()
        .map_err(Error::from)
}

/// One test's world: data folder, XDG folders, display and session bus.
pub struct TestEnv {
    name: String,
    home: tempfile::TempDir,
    xdg: tempfile::TempDir,
    display: String,
    dbus_address: String,
    _xvfb: Option<Guarded>,
    _dbus: Guarded,
    shots: std::cell::Cell<u32>,
    extra_env: Vec<(String, String)>,
    _one_app_at_a_time: std::sync::MutexGuard<'static, ()>,
}

/// Held by each live [`TestEnv`]: a WebKit app per test is heavy for a 2-core CI machine, and windows
/// started side by side made the driver drop connections under load, so end-to-end tests run one by one.
static ONE_APP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl TestEnv {
    /// Sets up a fresh environment for the test called `name` (used for screenshot names).
    pub fn new(name: &str) -> Result<Self> {
        // A test that failed while holding the lock poisons it; the next one may still run.
        let turn = ONE_APP_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let home = tempfile::Builder::new().prefix("tokenplan-home-").tempdir()?;
        let xdg = tempfile::Builder::new().prefix("tokenplan-xdg-").tempdir()?;
        for sub in ["data", "cache", "config", "runtime"] {
            std::fs::create_dir_all(xdg.path().join(sub))?;
        }
        let (display, xvfb) = match std::env::var("DISPLAY") {
            Ok(display) if !display.is_empty() => (display, None),
            _ => {
                let (display, guard) = processes::start_xvfb()?;
                (display, Some(guard))
            }
        };
        let (dbus_address, dbus) = processes::start_session_bus()?;
        Ok(TestEnv {
            name: name.to_owned(),
            home,
            xdg,
            display,
            dbus_address,
            _xvfb: xvfb,
            _dbus: dbus,
            shots: std::cell::Cell::new(0),
            extra_env: Vec::new(),
            _one_app_at_a_time: turn,
        })
    }

    /// The X display the app runs on.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The test's `TOKENPLAN_HOME`.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The test's `XDG_CONFIG_HOME` (where alsa-lib looks for `alsa/asoundrc`).
    pub fn config_home(&self) -> PathBuf {
        self.xdg.path().join("config")
    }

    /// Adds a variable to the app's environment (set before [`TestEnv::launch`]).
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.extra_env.push((name.to_owned(), value.to_owned()));
    }

    /// The environment the app runs with: display, bus, isolated folders, fast headless rendering.
    pub fn app_env(&self) -> Vec<(String, String)> {
        let xdg = |sub: &str| self.xdg.path().join(sub).display().to_string();
        let mut env = vec![
            ("TOKENPLAN_HOME".into(), self.home().display().to_string()),
            ("DISPLAY".into(), self.display.clone()),
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.dbus_address.clone()),
            ("XDG_DATA_HOME".into(), xdg("data")),
            ("XDG_CACHE_HOME".into(), xdg("cache")),
            ("XDG_CONFIG_HOME".into(), xdg("config")),
            ("XDG_RUNTIME_DIR".into(), xdg("runtime")),
            // Halves first paint and saves ~65 MB under Xvfb (RECIPES.md).
            ("WEBKIT_DISABLE_COMPOSITING_MODE".into(), "1".into()),
            ("GDK_BACKEND".into(), "x11".into()),
            ("LANG".into(), "C.UTF-8".into()),
        ];
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// Fills this test's library with `count` demo generations with real media (`tokenplan seed`).
    pub fn seed(&self, count: usize) -> Result<()> {
        let out = Command::new(tokenplan_binary()?)
            .args(["--home"])
            .arg(self.home())
            .args(["seed", &count.to_string()])
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            return Err(format!("tokenplan seed failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        Ok(())
    }

    /// A command for the app binary with this environment (for launches outside WebDriver).
    pub fn app_command(&self) -> Result<Command> {
        let mut cmd = Command::new(app_binary()?);
        cmd.envs(self.app_env()).stdin(Stdio::null());
        Ok(cmd)
    }

    /// Starts tauri-driver and opens a WebDriver session on the app; the window is up when this returns.
    pub async fn launch(&self) -> Result<App<'_>> {
        self.launch_showing("app-frame").await
    }

    /// [`TestEnv::launch`], done when the element `id` is shown instead of the frame (the recovery screen).
    pub async fn launch_showing(&self, id: &str) -> Result<App<'_>> {
        let binary = app_binary()?;
        let (driver, port) = processes::start_tauri_driver(&self.app_env())?;
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": binary.display().to_string() }
        });
        let Value::Object(caps) = caps else { unreachable!("a json! object") };
        let url = format!("http://127.0.0.1:{port}");
        // A session waits for the app's window; an app that exits at once (e.g. it handed over to a
        // running instance) would otherwise make the test hang instead of fail.
        let client = bounded_by(LAUNCH_TIMEOUT, "opening a session on the app", || {
            let mut builder = ClientBuilder::new(HttpConnector::new());
            builder.capabilities(caps.clone());
            let url = url.clone();
            async move { builder.connect(&url).await }
        })
        .await?;
        let app = App { env: self, client, _driver: driver };
        app.wait_for(id).await?;
        // The frame mounts hidden and is shown once the UI font has loaded (ui/src/main.ts); a click
        // before that finds the element but cannot reach it.
        app.wait_until_eq("return !document.getElementById('app').hidden", json!(true)).await?;
        Ok(app)
    }

    fn next_shot_path(&self, label: &str) -> Result<PathBuf> {
        let dir = target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir)?;
        let n = self.shots.get() + 1;
        self.shots.set(n);
        Ok(dir.join(format!("{}-{n:02}-{label}.png", self.name)))
    }
}

/// A running app under WebDriver.
pub struct App<'env> {
    env: &'env TestEnv,
    client: Client,
    _driver: Guarded,
}

impl App<'_> {
    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits until the element with `data-testid=id` exists and returns it.
    pub async fn wait_for(&self, id: &str) -> Result<Element> {
        let selector = testid(id);
        let found = self.client.wait().at_most(UI_TIMEOUT).for_element(Locator::Css(&selector)).await;
        found.map_err(|e| format!("{selector} did not appear within {UI_TIMEOUT:?}: {e}").into())
    }

    /// Clicks the element with `data-testid=id`.
    pub async fn click(&self, id: &str) -> Result<()> {
        let element = self.wait_for(id).await?;
        bounded(&format!("click {id}"), || element.click()).await
    }

    /// The visible text of the element with `data-testid=id`.
    pub async fn text(&self, id: &str) -> Result<String> {
        let element = self.wait_for(id).await?;
        bounded(&format!("text of {id}"), || element.text()).await
    }

    /// Types `text` into the field with `data-testid=id` (after what it holds).
    pub async fn type_text(&self, id: &str, text: &str) -> Result<()> {
        let element = self.wait_for(id).await?;
        bounded(&format!("type into {id}"), || element.send_keys(text)).await
    }

    /// Chooses `value` in the `<select>` with `data-testid=id`.
    pub async fn select(&self, id: &str, value: &str) -> Result<()> {
        let element = self.wait_for(id).await?;
        bounded(&format!("select {value} in {id}"), || element.select_by_value(value)).await
    }

    /// Runs an asynchronous `script` (it calls its last argument with the result) and returns the result.
    pub async fn eval_async(&self, script: &str) -> Result<Value> {
        bounded(&format!("script `{script}`"), || self.client.execute_async(script, vec![])).await
    }

    /// [`App::eval_async`] with its own deadline, for scripts that measure something for a while.
    pub async fn eval_async_within(&self, limit: Duration, script: &str) -> Result<Value> {
        // The driver's own script timeout (30 s by default) must not cut it short.
        let timeouts = fantoccini::wd::TimeoutConfiguration::new(Some(limit), None, None);
        bounded("set the script timeout", || self.client.update_timeouts(timeouts.clone())).await?;
        bounded_by(limit, "a long script", || self.client.execute_async(script, vec![])).await
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        bounded(&format!("script `{script}`"), || self.client.execute(script, vec![])).await
    }

    /// Polls `script` until it returns `expected`; fails with the last value seen.
    pub async fn wait_until_eq(&self, script: &str, expected: Value) -> Result<()> {
        let deadline = tokio::time::Instant::now() + UI_TIMEOUT;
        loop {
            let value = self.eval(script).await?;
            if value == expected {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("`{script}` is {value}, expected {expected}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the window as `target/e2e-screenshots/<test>-<n>-<label>.png`.
    ///
    /// WebKitWebDriver's snapshot has been seen never to answer once the Library's scroller lost its tall
    /// content (an empty result; the window itself repaints fine); the X server's picture of the window
    /// (`import`, imagemagick) is saved instead then, though the session stays blocked behind the snapshot.
    /// Use [`App::x_screenshot`] in such states.
    pub async fn screenshot(&self, label: &str) -> Result<PathBuf> {
        // WebKitWebDriver's snapshot waits for the next rendering update; on a page where nothing changes
        // (no countdown, no animation) none comes and the command hangs, wedging the session. A short
        // burst of imperceptible repaints gives it the frame it waits for.
        self.eval(NUDGE_REPAINTS).await?;
        let path = self.env.next_shot_path(label)?;
        match bounded_by(SNAPSHOT_TIMEOUT, "screenshot", || self.client.screenshot()).await {
            Ok(png) => std::fs::write(&path, png)?,
            Err(err) => {
                eprintln!("harness: {err}; taking the window from the X server instead");
                self.x_screenshot_to(&path)?;
            }
        }
        Ok(path)
    }

    /// A screenshot taken from the X server (`import`), not through WebDriver: for states in which the
    /// driver's snapshot is known to hang (see [`App::screenshot`]); the session stays usable.
    pub fn x_screenshot(&self, label: &str) -> Result<PathBuf> {
        let path = self.env.next_shot_path(label)?;
        self.x_screenshot_to(&path)?;
        Ok(path)
    }

    fn x_screenshot_to(&self, path: &Path) -> Result<()> {
        let taken = Command::new("import")
            .env("DISPLAY", &self.env.display)
            .args(["-window", "root"])
            .arg(path)
            .status()?;
        if !taken.success() {
            return Err(format!("import could not take the window: {taken}").into());
        }
        Ok(())
    }

    /// The proportional set size of the app and every process it started (WebKit's web and network
    /// processes), in KiB: what the app costs the machine, shared pages split fairly.
    pub fn process_tree_pss_kib(&self) -> Result<u64> {
        Ok(self.process_tree_pss()?.iter().map(|(_, kib)| kib).sum())
    }

    /// [`App::process_tree_pss_kib`] per process: its name (`comm`) and its PSS in KiB.
    pub fn process_tree_pss(&self) -> Result<Vec<(String, u64)>> {
        let binary = app_binary()?.canonicalize()?;
        let app = processes::descendants(self._driver.pid())
            .into_iter()
            .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
            .ok_or("the app process was not found")?;
        let mut found = Vec::new();
        for pid in std::iter::once(app).chain(processes::descendants(app)) {
            let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else { continue };
            let pss = rollup
                .lines()
                .find_map(|l| l.strip_prefix("Pss:")?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
                .unwrap_or(0);
            let name =
                std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
            found.push((name, pss));
        }
        Ok(found)
    }

    /// Saves a last screenshot (so every test leaves one for review), ends the session, which closes
    /// the app, and stops tauri-driver.
    pub async fn quit(self) -> Result<()> {
        self.screenshot("last").await?;
        let binary = app_binary()?.canonicalize()?;
        let apps: Vec<u32> = processes::descendants(self._driver.pid())
            .into_iter()
            .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
            .collect();
        bounded("closing the session", || self.client.clone().close()).await?;
        // Closing the session normally ends the app; under load WebKitWebDriver has been seen to leave
        // it running without its web process. The next launch would then hand over to it and hang.
        tokio::task::spawn_blocking(move || processes::terminate(&apps, Duration::from_secs(5))).await?;
        Ok(())
    }
}

/// Runs one WebDriver command with a deadline, so a stuck driver fails the test instead of hanging it,
/// and names the command in the error. tauri-driver forwards over pooled connections to WebKitWebDriver
/// without retrying a request that met a connection closing under it (hyper's `IncompleteMessage`); such
/// a request never reached the driver, so it is sent again, up to twice.
pub async fn bounded<T, E, F, Fut>(what: &str, command: F) -> Result<T>
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, E>>,
{
    bounded_by(UI_TIMEOUT, what, command).await
}

/// [`bounded`] with its own deadline.
pub async fn bounded_by<T, E, F, Fut>(limit: Duration, what: &str, mut command: F) -> Result<T>
where
    E: std::fmt::Display,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<T, E>>,
{
    for attempt in 0.. {
        match tokio::time::timeout(limit, command()).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(err)) if attempt < 2 && err.to_string().contains("IncompleteMessage") => {
                eprintln!("harness: {what}: the driver's connection closed under the request; sending again");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Ok(Err(err)) => return Err(format!("{what} failed: {err}").into()),
            Err(_) => return Err(format!("{what} did not answer within {limit:?}").into()),
        }
    }
    unreachable!("the loop returns")
}

/// Repaints the page every frame for about two seconds, then leaves it as it was.
const NUDGE_REPAINTS: &str = "let n = 0; const root = document.documentElement;
  (function step() { root.style.opacity = n % 2 ? '0.999' : ''; if (++n < 120) requestAnimationFrame(step); else root.style.opacity = ''; })();
  return true;";

/// The CSS selector of a `data-testid`.
pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}
