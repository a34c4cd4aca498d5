"""Runs the official MiniMax MCP server's tools (PyPI minimax-mcp==0.0.18 with mcp<2) against a simulator.

Usage: python mcp_peer.py BASE_URL API_KEY OUTPUT_DIR
Prints one line per tool and exits non-zero when a tool reports a failure (its errors are text starting "Failed").
"""

import os
import sys

base_url, api_key, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
os.environ.update(
    MINIMAX_API_KEY=api_key,
    MINIMAX_API_HOST=base_url.rstrip("/"),
    MINIMAX_MCP_BASE_PATH=out,
    MINIMAX_API_RESOURCE_MODE="local",
)

import minimax_mcp.server as S  # noqa: E402  (reads the environment at import)

results = {
    "text_to_audio": S.text_to_audio(text="Peer check one: the simulator speaks.", output_directory=out),
    "list_voices": S.list_voices(voice_type="all"),
    "text_to_image": S.text_to_image(prompt="A cat in a spacesuit on Mars", aspect_ratio="16:9", output_directory=out),
    "generate_video": S.generate_video(prompt="A man picks up a book [Static shot]", output_directory=out),
    "music_generation": S.music_generation(
        prompt="Indie folk, melancholic, rainy night",
        lyrics="[Verse]\nStreetlights flicker on empty roads\n[Chorus]\nI'll find my way home",
        output_directory=out,
    ),
}
failed = False
for name, result in results.items():
    text = getattr(result, "text", str(result))
    print(f"{name}: {text[:160]}")
    if not text.startswith("Success"):
        failed = True
sys.exit(1 if failed else 0)
