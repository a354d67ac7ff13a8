"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest

# Playwright keeps an event loop alive in this process, which makes Django refuse ORM calls from the
# test body. Only the test process gets this, never the settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _serve_collected_static(self, request):
    """The live server's static handler looks files up by their source names, but templates ask for the
    hashed names of the manifest (as in production), so every CSS and JS file was a 404 and the browser
    tests ran without styles or scripts. Serve the collected files instead."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, self.file_path(request.path), document_root=settings.STATIC_ROOT)


def _patch_live_server_static():
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin

    StaticFilesHandlerMixin.serve = _serve_collected_static


_patch_live_server_static()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing browser is a failure, never a skip
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on a page; returns the violations, with a readable report."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        return [
            f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in violations
        ]

    return run
