"""The test run itself: what makes a red CI run reproducible and a parallel run safe."""

import os

from hypothesis import settings as hypothesis_settings

from tests.conftest import hypothesis_profile


def test_ci_tries_the_same_property_examples_every_run():
    ci = hypothesis_settings.get_profile("ci")
    assert (ci.derandomize, ci.database) == (True, None)
    assert hypothesis_profile({"CI": "true"}) == "ci"
    assert hypothesis_profile({}) == "dev"
    assert hypothesis_profile({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"
    assert hypothesis_profile({"HYPOTHESIS_PROFILE": "ci"}) == "ci"  # reproduce a CI failure locally
    assert hypothesis_settings.default.derandomize is (hypothesis_profile(os.environ) == "ci")


def test_each_test_process_collects_static_files_into_its_own_folder(settings):
    """pytest-xdist workers inherit the environment: each must still get a folder of its own (tests/environment.py)."""
    assert os.environ["SIV_TEST_STATIC_PID"] == str(os.getpid())
    assert str(settings.STATIC_ROOT) == os.environ["DJANGO_STATIC_ROOT"]
    assert (settings.STATIC_ROOT / "staticfiles.json").exists()
