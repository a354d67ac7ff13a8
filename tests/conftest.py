import pytest
from django.core.management import call_command

from tests.factories import EditionFactory


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Templates use hashed static names (whitenoise's manifest), so collect once per run."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def edition(db):
    return EditionFactory(year=2026)
