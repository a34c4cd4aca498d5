#!/usr/bin/env python3
"""The Python reference for the JSON -> audio bytes benchmark: json.loads + bytes.fromhex on the very
body our Rust bench decoded (written by `hex_bench`), in the same `make bench` run.

usage: bench_hex_python.py BODY.json [--ours MIB_PER_S] [--rounds N]
"""
import argparse
import json
import statistics
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("body")
    parser.add_argument("--ours", type=float, help="our MiB/s, to print the ratio and the goal")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with open(args.body, "rb") as f:
        body = f.read()
    times, audio_len = [], 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        audio = bytes.fromhex(json.loads(body)["data"]["audio"])
        times.append(time.perf_counter() - start)
        audio_len = len(audio)
    mib = audio_len / (1024 * 1024)
    python = mib / statistics.median(times)
    print(f"python_json_hex_to_audio_mib_per_s={python:.0f}")
    if args.ours is not None:
        ratio = args.ours / python
        ok = args.ours >= 1000 and ratio >= 2.5
        print(f"goal >= 1000 MiB/s and >= 2.5x Python: ours {args.ours:.0f} MiB/s, {ratio:.1f}x "
              f"{'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
