"""The icon sprite (templates/includes/icons.svg), the {% icon %} tag and its Jinja2 twin."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, engines

from innovationsvecka.templatetags.site import ICONS

BASE = Path(__file__).resolve().parent.parent
SPRITE = (BASE / "templates" / "includes" / "icons.svg").read_text()
SYMBOLS = dict(re.findall(r'<symbol id="icon-([a-z-]+)" viewBox="[^"]+">(.*?)</symbol>', SPRITE))
REQUIRED = [
    "plats", "digitalt", "hybrid", "smart-industri", "hallbar-livsmedelsforsorjning", "morgondagens-energilosningar",
    "life-science", "time", "place", "registration", "calendar", "star", "phone", "email",
]


def render(source):
    return Template("{% load site %}" + source).render(Context({}))


def test_the_sprite_has_every_icon_the_tag_knows():
    assert set(REQUIRED) <= ICONS
    assert set(SYMBOLS) == ICONS


def test_the_tag_draws_a_hidden_icon():
    html = render('{% icon "digitalt" %}')
    assert html == ('<svg class="icon icon-digitalt" aria-hidden="true" focusable="false" width="24" height="24">'
                    '<use href="#icon-digitalt"></use></svg>')


def test_aliases_extra_classes_and_unknown_names():
    assert 'href="#icon-digitalt"' in render('{% icon "digital" %}')
    assert 'href="#icon-email"' in render('{% icon "e-mail" %}')
    assert 'class="icon icon-star big"' in render('{% icon "star" "big" %}')
    assert render('{% icon "no-such-icon" %}') == ""
    assert render('{% icon "\\"><script>" %}') == ""


def test_the_jinja2_global_is_the_same_icon():
    template = engines["jinja2"].from_string('{{ icon("hybrid") }}')
    assert template.render({}) == render('{% icon "hybrid" %}')


@pytest.mark.parametrize("name", sorted(ICONS))
def test_the_standalone_icon_files_are_the_sprites_drawings(name):
    # static/img/icons/<name>.svg are CSS masks (`.format-<value>`); they must draw what the symbol draws.
    standalone = (BASE / "static" / "img" / "icons" / f"{name}.svg").read_text()
    assert SYMBOLS[name] in standalone


@pytest.mark.django_db
def test_every_page_has_the_sprite_once(client):
    html = client.get("/siv/").content.decode()
    assert html.count('class="icon-sprite"') == 1
    assert '<use href="#icon-star">' in html


@pytest.mark.parametrize(("name", "shown"), [
    ("Sparbanksstiftelsen Rekarne", "Sparbanks-stiftelsen Rekarne"),
    ("NyföretagarCentrum Sörmland", "Nyföretagar-Centrum Sörmland"),
    ("Eskilstuna kommun, näringslivsenheten", "Eskilstuna kommun, närings-livsenheten"),
    ("Almi Företagspartner Mälardalen", "Almi Företagspartner Mälardalen"),  # no word of 16 letters
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
])
def test_soft_hyphens_in_long_names(name, shown):
    from innovationsvecka.templatetags.site import soft_hyphens

    assert soft_hyphens(name).replace("\u00ad", "-") == shown
    assert Template("{% load site %}{{ name|soft_hyphens }}").render(Context({"name": name})).replace(
        "\u00ad", "-") == shown.replace("<", "&lt;").replace(">", "&gt;")
