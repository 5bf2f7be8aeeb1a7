"""How the browser tests and tools/screenshots.py start Debian's chromium (no pytest here)."""

#: Debian's chromium; never a downloaded browser.
CHROMIUM = "/usr/bin/chromium"

#: Headless on a server: no sandbox (containers), no GPU, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
