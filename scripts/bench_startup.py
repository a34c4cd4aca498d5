#!/usr/bin/env python3
"""Start-up time and idle memory of Tauri apps, measured the same way for each.

Start-up: spawn with TOKENPLAN_EXIT_ON_LOAD=1 and time until the process exits (launch -> first page
`load` -> exit); runs alternate between apps so drift affects both alike; the median is reported.
Idle PSS: spawn with TOKENPLAN_REPORT_LOAD=1, wait for the "page loaded" line, sleep 10 s, then sum the
PSS of the process and all its descendants (the WebKit web and network processes) from smaps_rollup.

Every run gets a private Xvfb display, a private D-Bus session bus and private XDG folders, shared by
all apps of one benchmark; each app keeps one data folder across its runs (a warm start, as users see).
"""
import argparse
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time

LOADED_LINE = "token-plan-studio: page loaded"


def start_line_child(cmd):
    """Starts cmd, returns (process, first stdout line)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline().strip()
    if not line:
        raise SystemExit(f"bench: {cmd[0]} failed to start")
    return proc, line


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def pss_kib(pid):
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def time_to_load_and_exit(binary, env, timeout=60):
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env={**env, "TOKENPLAN_EXIT_ON_LOAD": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=timeout)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = err.decode(errors="replace")[-2000:]
        raise SystemExit(f"bench: {binary} exited with {proc.returncode}:\n{tail}")
    return elapsed


def idle_pss(binary, env, settle_s):
    proc = subprocess.Popen([binary], env={**env, "TOKENPLAN_REPORT_LOAD": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready and LOADED_LINE in proc.stdout.readline():
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"bench: {binary} never reported its page load")
        time.sleep(settle_s)
        return pss_kib(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", action="append", required=True, help="LABEL=PATH; the last is the reference")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--pss-runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    apps = [tuple(a.split("=", 1)) for a in args.app]

    with tempfile.TemporaryDirectory(prefix="tokenplan-bench-") as tmp:
        xvfb, display = start_line_child(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        bus, bus_addr = start_line_child(["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"])
        try:
            base = dict(os.environ)
            base.update({
                "DISPLAY": f":{display}", "DBUS_SESSION_BUS_ADDRESS": bus_addr, "GDK_BACKEND": "x11",
                "WEBKIT_DISABLE_COMPOSITING_MODE": "1", "TOKENPLAN_LOG": "warn",
            })
            envs = {}
            for i, (label, _) in enumerate(apps):
                env = dict(base)
                for sub in ("DATA", "CACHE", "CONFIG"):
                    env[f"XDG_{sub}_HOME"] = os.path.join(tmp, f"{i}-{sub.lower()}")
                env["TOKENPLAN_HOME"] = os.path.join(tmp, f"{i}-home")
                envs[label] = env
            for label, binary in apps:  # warm-up: disk cache, first-run files
                time_to_load_and_exit(binary, envs[label])
            times = {label: [] for label, _ in apps}
            for _ in range(args.runs):
                for label, binary in apps:
                    times[label].append(time_to_load_and_exit(binary, envs[label]))
            pss = {label: [] for label, _ in apps}
            for _ in range(args.pss_runs):
                for label, binary in apps:
                    pss[label].append(idle_pss(binary, envs[label], args.settle))
        finally:
            for proc in (bus, xvfb):
                proc.terminate()
                proc.wait(timeout=10)

    ref_label = apps[-1][0]
    ref_t = statistics.median(times[ref_label])
    ref_m = statistics.median(pss[ref_label]) / 1024
    print(f"start-up (launch -> page load -> exit), median of {args.runs} runs; idle PSS of the process tree "
          f"{args.settle:.0f} s after load, median of {args.pss_runs}")
    print(f"{'app':<22} {'start-up ms':>12} {'min..max ms':>14} {'x ref':>6} {'idle PSS MiB':>13} {'vs ref MiB':>11}")
    for label, _ in apps:
        t = statistics.median(times[label])
        m = statistics.median(pss[label]) / 1024
        print(f"{label:<22} {t*1000:>12.0f} {min(times[label])*1000:>6.0f}..{max(times[label])*1000:<6.0f} "
              f"{t/ref_t:>6.2f} {m:>13.1f} {m-ref_m:>+11.1f}")
    ours = apps[0][0]
    ratio = statistics.median(times[ours]) / ref_t
    extra = statistics.median(pss[ours]) / 1024 - ref_m
    print(f"goal start-up <= 1.2x the empty app: {ratio:.2f}x {'PASS' if ratio <= 1.2 else 'FAIL'}")
    print(f"goal idle PSS <= empty + 40 MiB: {extra:+.1f} MiB {'PASS' if extra <= 40 else 'FAIL'}")


if __name__ == "__main__":
    sys.exit(main())
