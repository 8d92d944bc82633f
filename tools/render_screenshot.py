"""Make docs/render-example.png: the complete example (examples/payments.sla)
rendered as HTML and photographed by headless Chromium, as the README shows it.

    python tools/render_screenshot.py [OUT.png]

Needs `slalint` (this checkout, installed) and chromium on PATH.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tempfile

PROJECT = pathlib.Path(__file__).resolve().parent.parent
# Headless, and quiet on a machine without a network: without the background
# switches Chromium keeps trying hosts it cannot reach (tests/test_render.py uses these too).
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def main(out: str) -> int:
    browser = find_browser()
    if browser is None:
        sys.stderr.write("chromium is not installed (apt-get install chromium)\n")
        return 2
    with tempfile.TemporaryDirectory() as work:
        page = pathlib.Path(work, "payments_gold.html")
        html = subprocess.run(
            [sys.executable, "-m", "sla_lang", "render", "examples/payments.sla", "payments_gold", "--format", "html"],
            cwd=PROJECT,
            capture_output=True,
            check=True,
        ).stdout
        page.write_bytes(html)
        target = pathlib.Path(out).resolve()
        subprocess.run(
            [
                browser,
                *BROWSER_FLAGS,
                "--hide-scrollbars",
                f"--user-data-dir={work}/profile",
                "--window-size=900,2000",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(PROJECT / "docs" / "render-example.png")))
