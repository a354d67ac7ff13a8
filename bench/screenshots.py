"""Screenshots of the main pages at a phone's width (375 px) and a laptop's (1366 px), for docs/screenshots/.

Against a running site with the demo programme (`make run` after `manage.py demo_programme`):

    python bench/screenshots.py http://127.0.0.1:8000 docs/screenshots

The admin index needs a staff login: set SCREENSHOT_ADMIN_USER and SCREENSHOT_ADMIN_PASSWORD (a local account of
your own test database; leave them unset to skip the admin). Uses Debian's Chromium (CHROMIUM_PATH), never a
downloaded browser. Each PNG is the first screenful (plus a little), so each stays well under 300 KB.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = {375: 812, 1366: 900}
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/")


def first_link(page, url, selector):
    page.goto(url)
    return page.eval_on_selector(selector, "a => a.href")


def shoot(base, out):
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        pages = {
            "programme": base + "/siv/",
            "session": first_link(page, base + "/siv/", ".session h3 a"),
            "week": base + "/siv/vecka/",
            "map": base + "/siv/karta/",
            "actors": base + "/siv/aktorer/",
            "actor": first_link(page, base + "/siv/aktorer/", "main h2 a, main h3 a"),
        }
        user, password = os.environ.get("SCREENSHOT_ADMIN_USER"), os.environ.get("SCREENSHOT_ADMIN_PASSWORD")
        if user and password:
            page.goto(f"{base}/{ADMIN_PATH}login/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            pages["admin"] = f"{base}/{ADMIN_PATH}"
        for name, url in pages.items():
            for width, height in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(url)
                path = out / f"{name}-{width}.png"
                page.screenshot(path=str(path))
                written.append(path)
        browser.close()
    return written


if __name__ == "__main__":
    base_url = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    target = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
    for written_path in shoot(base_url, target):
        sys.stdout.write(f"{written_path} {written_path.stat().st_size // 1024} KB\n")
