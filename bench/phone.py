"""Benchmark: /siv/ with 40 sessions as a phone on a slow mobile network sees it.

    python bench/phone.py [--runs 5] [--reuse]      (make bench-phone)

Builds the sample programme at 40 sessions (demo_programme --sessions 40 for the coming week, so /siv/ is the
programme a visitor sees before the week, not the after-the-week page; a SQLite database under var/bench/),
serves it with gunicorn (2 workers, DEBUG off, page cache on, the database cache, 127.0.0.1; bench/run.py's
helpers) and drives Debian's Chromium (Playwright) at 375 × 667 with Chromium's own throttling over CDP: a
slow-4G network (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up) and a 4× slower CPU. Every run is a fresh
browser context (nothing in the browser's cache) and measures:
- the first contentful paint of /siv/ and the document's size on the wire (transfer size: body and headers;
  encoded body: the gzip bytes);
- one filter change with JavaScript on: the filter panel opened, one theme ticked, and the time from the tick
  (its change event) to the frame that shows the new result count; and that the loading state (aria-busy,
  the "Uppdaterar …" badge and button) was on screen meanwhile.
One run first warms the page cache (not counted), so the figures are of pages served from the page cache, as
visitors get them; each figure is the median of the runs. Then as many runs right after an edit (the content
version bumped, as a staff save does: /siv/ and the filtered page are built again for that visitor). Prints a
Markdown table and exits 1 if a target of issue 13 is missed: first contentful paint ≤ 1.2 s, the filter change
≤ 800 ms, /siv/ ≤ 15 KB on the wire (held for the cached pages and after an edit alike).

tests/browser/test_phone_speed.py runs the same measurement (measure() below) with generous bounds only.
"""

import argparse
import datetime
import os
import statistics
import sys
from pathlib import Path

PHONE = {"width": 375, "height": 667}
# Chromium DevTools' "slow 4G"-like profile; throughput in bytes per second.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_RATE = 4
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
TARGETS = {"fcp_ms": 1200, "filter_ms": 800, "encoded_bytes": 15 * 1024}

# Installed in the page once it has loaded: notes when a filter box is ticked, when the loading state shows, and
# the frame in which the result count (#resultat's data-count) first differs from the one the page opened with.
WATCH = r"""() => {
  const results = document.getElementById("programme-results");
  const form = document.getElementById("programme-filter");
  const button = document.getElementById("filter-submit");
  const before = document.getElementById("resultat").getAttribute("data-count");
  const watch = window.__phone = {before, after: null, tick: null, busy: null, shown: null,
                                  badge: false, buttonSaid: null};
  form.addEventListener("change", () => { if (watch.tick === null) watch.tick = performance.now(); }, true);
  const look = () => {
    if (watch.tick === null || watch.shown !== null) return;
    if (watch.busy === null && results.getAttribute("aria-busy") === "true") {
      watch.busy = performance.now();
      watch.badge = !!results.querySelector(".results-updating");
      watch.buttonSaid = button ? button.value : null;
    }
    const status = document.getElementById("resultat");
    const count = status && status.getAttribute("data-count");
    if (count !== null && count !== before && watch.after === null) {
      watch.after = count;
      requestAnimationFrame(() => { watch.shown = performance.now(); });
    }
  };
  new MutationObserver(look).observe(results, {subtree: true, childList: true, attributes: true});
}"""


def throttle(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
    return cdp


def measure(browser, url, theme_index=0):
    """One run in a fresh context: {fcp_ms, transfer_bytes, encoded_bytes, decoded_bytes, filter_ms, busy_ms,
    badge, button_said, before, after}. `url` is the programme's address (…/siv/)."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        throttle(page)
        page.goto(url, wait_until="load")
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
        paint = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0];
              return {fcp: performance.getEntriesByName("first-contentful-paint")[0].startTime,
                      transfer: nav.transferSize, encoded: nav.encodedBodySize, decoded: nav.decodedBodySize};
            }"""
        )
        page.locator("#filter-panel > summary").click()
        page.wait_for_function("() => document.getElementById('filter-panel').open")
        page.evaluate(WATCH)
        box = page.locator("#programme-filter input[name=tema]:not(:disabled)").nth(theme_index)
        page.locator(f'label[for="{box.get_attribute("id")}"]').click()
        page.wait_for_function("() => window.__phone.shown !== null", timeout=30_000)
        page.wait_for_function("() => !document.getElementById('programme-results').hasAttribute('aria-busy')")
        watch = page.evaluate(
            """() => {
              const fetches = performance.getEntriesByType("resource").filter(e => e.initiatorType === "fetch");
              const last = fetches[fetches.length - 1];
              return {...window.__phone, fetchStart: last ? last.startTime : null,
                      fetchEnd: last ? last.responseEnd : null};
            }"""
        )
        return {
            "fcp_ms": paint["fcp"], "transfer_bytes": paint["transfer"], "encoded_bytes": paint["encoded"],
            "decoded_bytes": paint["decoded"], "filter_ms": watch["shown"] - watch["tick"],
            "busy_ms": None if watch["busy"] is None else watch["busy"] - watch["tick"], "badge": watch["badge"],
            "button_said": watch["buttonSaid"], "before": int(watch["before"]), "after": int(watch["after"]),
            "busy_left": page.locator("#programme-results .results-updating").count(),
            "wait_ms": watch["fetchStart"] - watch["tick"], "fetch_ms": watch["fetchEnd"] - watch["fetchStart"],
            "swap_ms": watch["shown"] - watch["fetchEnd"],
        }  # fmt: skip
    finally:
        context.close()


def report(runs, edited, load_before, load_after, started):
    rows = [
        ("first contentful paint of /siv/, ms", "fcp_ms", TARGETS["fcp_ms"]),
        ("one filter change (tick → the frame with the new count), ms", "filter_ms", TARGETS["filter_ms"]),
        ("/siv/ document on the wire (gzip body), bytes", "encoded_bytes", TARGETS["encoded_bytes"]),
        ("/siv/ document transfer size (body and headers), bytes", "transfer_bytes", None),
        ("/siv/ document uncompressed, bytes", "decoded_bytes", None),
        ("loading state on screen after the tick, ms", "busy_ms", None),
        ("… of the filter change: the wait for more ticks (programme.js), ms", "wait_ms", None),
        ("… the fetch of the filtered page (request to last byte), ms", "fetch_ms", None),
        ("… parsing it and swapping in the results, to the frame, ms", "swap_ms", None),
        ("right after an edit (pages built again): first contentful paint, ms", "fcp_ms", TARGETS["fcp_ms"]),
        ("right after an edit: one filter change, ms", "filter_ms", TARGETS["filter_ms"]),
        ("right after an edit: … the fetch of the filtered page, ms", "fetch_ms", None),
    ]
    lines = [
        f"`python bench/phone.py --runs {len(runs)}` at {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
        f"(load average 1 min: {load_before:.2f} before, {load_after:.2f} after): 40 sessions, gunicorn 2 workers, "
        "DEBUG off, page cache on; Chromium at 375 × 667, 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× "
        f"slower; median of {len(runs)} runs, each in a fresh browser context.",
        "",
        "| measure | median | all runs | target | met |",
        "| --- | ---: | --- | ---: | :---: |",
    ]
    missed = []
    for text, key, limit in rows:
        series = edited if text.startswith("right after an edit") else runs
        value = statistics.median(run[key] for run in series)
        every = ", ".join(f"{run[key]:.0f}" for run in series)
        met = "–" if limit is None else ("yes" if value <= limit else "**no**")
        if limit is not None and value > limit:
            missed.append(text)
        lines.append(f"| {text} | {value:.0f} | {every} | {'' if limit is None else f'≤ {limit}'} | {met} |")
    shown = all(run["busy_ms"] is not None and run["badge"] for run in runs + edited)
    lines.append(f"| loading state (aria-busy, ”Uppdaterar …” badge and button) seen in every run | "
                 f"{'yes' if shown else 'no'} | | yes | {'yes' if shown else '**no**'} |")  # fmt: skip
    if not shown:
        missed.append("loading state")
    counts = sorted({(run["before"], run["after"]) for run in runs + edited})
    lines += ["", "Result count before → after the tick: " + ", ".join(f"{a} → {b}" for a, b in counts) + "."]
    return "\n".join(lines) + "\n", missed


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import run  # bench/run.py: the database, the environment, gunicorn
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep var/bench/phone-40-next.sqlite3 if it exists")
    args = parser.parse_args()
    run.WORK.mkdir(parents=True, exist_ok=True)
    database = run.WORK / "phone-40-next.sqlite3"
    database_url = f"sqlite:///{database}"
    env = run.base_env(database_url, "", page_cache=True)
    reuse = args.reuse and database.exists()
    if not reuse:
        database.unlink(missing_ok=True)
    run.manage(env, "migrate", "--noinput", "-v0")
    run.manage(env, "collectstatic", "--noinput", "-v0")
    if not reuse:  # the sample for the coming week (demo_programme's default year), in one transaction
        code = "from django.db import transaction\nfrom django.core.management import call_command\n"
        code += "with transaction.atomic():\n    call_command('demo_programme', sessions=40)\n"
        run.manage({**env, "DJANGO_CACHE_URL": "locmem://"}, "shell", "-c", code)
    run.manage(env, "createcachetable")
    run.manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
    server = run.Gunicorn(env, workers=2)
    started = datetime.datetime.now(datetime.UTC)
    try:
        server.wait_idle()
        load_before = os.getloadavg()[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                measure(browser, server.url + "/siv/")  # warms the page cache: /siv/ and the filtered page
                runs = [measure(browser, server.url + "/siv/") for _ in range(args.runs)]
                edited = []
                for _ in range(args.runs):
                    run.manage(env, "shell", "-c", "from innovationsvecka import content; content.bump()")
                    edited.append(measure(browser, server.url + "/siv/"))
            finally:
                browser.close()
        load_after = os.getloadavg()[0]
    finally:
        server.stop()
    text, missed = report(runs, edited, load_before, load_after, started)
    print(text)
    if missed:
        print("Missed: " + "; ".join(missed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
