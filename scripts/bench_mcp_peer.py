#!/usr/bin/env python3
"""`tokenplan` beside the official Python MiniMax MCP server (minimax-mcp 0.0.18, mcp<2) against the same
minimax-sim in the same run (issue 4's benchmarks):

* 50 TTS requests of ~1 MB audio each, files written: whole-process wall time, at 0 and at 500 ms of server
  latency per call. Goals: ours <= 0.35x the peer's, and <= 0.30x with 500 ms latency.
* the same 50 requests as 50 separate `tokenplan speak TEXT` processes one after another (a script's building
  block: each pays its own start-up, library open and runner), into one library, against the peer's one process
  in the same run at 0 ms latency. Goal: <= 0.35x.
* one Hailuo video whose 500 MiB file is ready 25 s after the create call: submit -> file on disk, and peak
  RSS. Goals: <= 0.75x the peer's time; our peak <= our idle + 16 MiB (the peer's peak for contrast).

Both sides run as whole processes (interpreter/binary start-up included), the peer calling its tools
directly as RECIPES.md describes. RSS is sampled from /proc every 20 ms.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

PEER_TTS = r"""
import os, sys, time
out, texts = sys.argv[1], sys.argv[2:]
import minimax_mcp.server as S
for text in texts:
    r = S.text_to_audio(text=text, output_directory=out)
    if not getattr(r, "text", str(r)).startswith("Success"):
        print("peer failed:", getattr(r, "text", r), file=sys.stderr); sys.exit(1)
"""

PEER_VIDEO = r"""
import sys
import minimax_mcp.server as S
r = S.generate_video(prompt=sys.argv[2], output_directory=sys.argv[1])
text = getattr(r, "text", str(r))
if not text.startswith("Success"):
    print("peer failed:", text, file=sys.stderr); sys.exit(1)
"""

KEY = "sk-cp-simulator"


def start_sim(sim_bin, *args):
    proc = subprocess.Popen([sim_bin, "--port", "0", "--key", KEY, *args], stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        sys.exit(f"minimax-sim did not start: {url!r}")
    return proc, url


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def timed(cmd, env, sample=False):
    """Runs cmd; returns (wall seconds, samples [(t, rss_kib)], stdout)."""
    samples = []
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sampler():
        while not done.is_set():
            value = rss_kib(proc.pid)
            if value is not None:
                samples.append((time.perf_counter() - start, value))
            time.sleep(0.02)

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({proc.returncode}): {err[-2000:]}")
    return wall, samples, out


def peer_env(base_url, out_dir):
    env = dict(os.environ)
    env.update(
        MINIMAX_API_KEY=KEY,
        MINIMAX_API_HOST=base_url.rstrip("/"),
        MINIMAX_MCP_BASE_PATH=out_dir,
        MINIMAX_API_RESOURCE_MODE="local",
    )
    return env


def our_env():
    env = dict(os.environ)
    for name in ("TOKENPLAN_HOME", "MINIMAX_API_HOST", "MINIMAX_API_KEY"):
        env.pop(name, None)
    env["TOKENPLAN_LOG"] = "warn"
    return env


def tts(args, latency_ms, texts, work, per_process=False):
    sim, url = start_sim(args.sim, "--quota", "100000000", "--weekly-quota", "0", "--chars-per-second", "0.6",
                         "--latency-ms", str(latency_ms))
    try:
        peer_out = os.path.join(work, f"peer-tts-{latency_ms}")
        os.makedirs(peer_out)
        peer_wall, _, _ = timed([args.python, "-c", PEER_TTS, peer_out, *texts], peer_env(url, peer_out))
        peer_files = [f for f in os.listdir(peer_out) if f.endswith(".mp3")]
        peer_bytes = sum(os.path.getsize(os.path.join(peer_out, f)) for f in peer_files)

        home = os.path.join(work, f"ours-tts-{latency_ms}")
        text_file = os.path.join(work, f"texts-{latency_ms}.txt")
        with open(text_file, "w") as f:
            f.write("\n".join(texts) + "\n")
        cmd = [args.tokenplan, "--home", home, "--api-host", url, "--api-key", KEY, "--json", "speak", "--from",
               text_file, "--model", "speech-2.6-hd", "--voice", "female-shaonv"]
        ours_wall, _, out = timed(cmd, our_env())
        results = json.loads(out)["results"]
        ours_bytes = sum(r["assets"][0]["bytes"] for r in results if os.path.exists(r["assets"][0]["path"]))
        processes_wall = server_alone = None
        if per_process:
            home = os.path.join(work, f"ours-processes-{latency_ms}")
            start = time.perf_counter()
            for text in texts:
                one = [args.tokenplan, "--home", home, "--api-host", url, "--api-key", KEY, "--json", "speak", text,
                       "--model", "speech-2.6-hd", "--voice", "female-shaonv"]
                done = subprocess.run(one, env=our_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                if done.returncode != 0 or not os.path.exists(json.loads(done.stdout)["assets"][0]["path"]):
                    sys.exit(f"tokenplan speak failed: {done.stderr[-2000:]}")
            processes_wall = time.perf_counter() - start
            server_alone = server_alone_wall(url, texts)
    finally:
        sim.kill()
    if len(peer_files) != len(texts) or len(results) != len(texts):
        sys.exit(f"expected {len(texts)} files each, got peer {len(peer_files)} / ours {len(results)}")
    return peer_wall, ours_wall, peer_bytes / len(texts), ours_bytes / len(texts), (processes_wall, server_alone)


def server_alone_wall(url, texts):
    """The same calls, one after another, with nothing done on the client: the body is read and dropped (no
    JSON, no hex, no file). What the server alone takes, paid by every client that makes the calls in turn."""
    import http.client
    import urllib.parse

    host = urllib.parse.urlsplit(url)
    start = time.perf_counter()
    for text in texts:
        conn = http.client.HTTPConnection(host.hostname, host.port)
        body = json.dumps({"model": "speech-2.6-hd", "text": text, "voice_setting": {"voice_id": "female-shaonv"}})
        conn.request("POST", "/v1/t2a_v2", body, {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
        response = conn.getresponse()
        while response.read(1 << 20):
            pass
        conn.close()
    return time.perf_counter() - start


def video(args, work):
    sim, url = start_sim(args.sim, "--quota", "100000000", "--weekly-quota", "0", "--task-seconds", "25",
                         "--video-size", "500MiB")
    try:
        peer_out = os.path.join(work, "peer-video")
        os.makedirs(peer_out)
        prompt = "A paper boat drifts down a rainy street [Tracking shot]"
        peer_wall, peer_samples, _ = timed([args.python, "-c", PEER_VIDEO, peer_out, prompt],
                                           peer_env(url, peer_out), sample=True)
        home = os.path.join(work, "ours-video")
        cmd = [args.tokenplan, "--home", home, "--api-host", url, "--api-key", KEY, "--json", "video", prompt]
        ours_wall, ours_samples, out = timed(cmd, our_env(), sample=True)
        asset = json.loads(out)["assets"][0]
        size = os.path.getsize(asset["path"])
    finally:
        sim.kill()
    # Idle: while polling (after start-up, before the clip is ready at 25 s).
    idle = [rss for t, rss in ours_samples if 5 <= t <= 20]
    ours_idle = sorted(idle)[len(idle) // 2] if idle else 0
    ours_peak = max(rss for _, rss in ours_samples)
    peer_peak = max(rss for _, rss in peer_samples)
    return peer_wall, ours_wall, ours_idle, ours_peak, peer_peak, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenplan", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--python", required=True, help="the venv's python with minimax-mcp 0.0.18")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--skip-video", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-mcp-")
    try:
        # Unique 10-character prefixes: the peer names files by them (RECIPES.md).
        texts = [f"Clip {i:03d}: the quick brown fox jumps." for i in range(args.count)]
        for latency, goal in ((0, 0.35), (500, 0.30)):
            peer, ours, peer_avg, ours_avg, processes = tts(args, latency, texts, work, per_process=latency == 0)
            ratio = ours / peer
            print(f"tts_{args.count}x_latency_{latency}ms: ours {ours:.2f} s vs MCP peer {peer:.2f} s = "
                  f"{ratio:.3f}x (goal <= {goal}x) {'OK' if ratio <= goal else 'MISSED'}; "
                  f"audio per file {ours_avg / 1e6:.2f} MB (peer {peer_avg / 1e6:.2f} MB)")
            processes, server_alone = processes
            if processes is not None:
                ratio = processes / peer
                print(f"tts_{args.count}_processes_latency_{latency}ms: {args.count} x `tokenplan speak` "
                      f"{processes:.2f} s ({processes / args.count * 1000:.0f} ms each) vs MCP peer's one process "
                      f"{peer:.2f} s = {ratio:.3f}x (goal <= 0.35x) {'OK' if ratio <= 0.35 else 'MISSED'}")
                # The floor of that ratio: the simulator's own time for the calls made in turn (any client that
                # waits for one call before the next pays it), over the peer's.
                print(f"tts_{args.count}_calls_server_alone_latency_{latency}ms: {server_alone:.2f} s "
                      f"({server_alone / args.count * 1000:.0f} ms each) = {server_alone / peer:.3f}x the peer: "
                      f"the lowest ratio calls made one after another can reach; ours over it "
                      f"{(processes - server_alone) / args.count * 1000:.0f} ms per process")
        if not args.skip_video:
            peer, ours, idle, peak, peer_peak, size = video(args, work)
            ratio = ours / peer
            growth = (peak - idle) / 1024
            print(f"video_500mib_ready_after_25s: ours {ours:.2f} s vs MCP peer {peer:.2f} s = {ratio:.3f}x "
                  f"(goal <= 0.75x) {'OK' if ratio <= 0.75 else 'MISSED'}; file {size / 2**20:.0f} MiB")
            print(f"video_peak_rss: ours idle {idle / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB = +{growth:.1f} MiB "
                  f"(goal <= +16) {'OK' if growth <= 16 else 'MISSED'}; MCP peer peak {peer_peak / 1024:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
