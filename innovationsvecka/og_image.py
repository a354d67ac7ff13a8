"""The key visual drawn with Pillow: the site's Open Graph card, the home-screen and favicon PNGs, and one card per
session (its date and title beside the key visual) for link previews.

The shapes are those of static/img/mark.svg (a 64-unit square): an idea rising like the sun over Sörmland's lakes,
its four rays the week's four themes. The font is DejaVu Sans, committed under innovationsvecka/fonts/ with its
licence, so nothing is fetched and CI needs no system font.

Regenerate the static files (after changing the shapes or colours) with

    /work/main/.venv/bin/python -m innovationsvecka.og_image

This module imports nothing from Django, so that command needs no settings.
"""

import io
import math
import sys
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent / "fonts"
STATIC_IMG = Path(__file__).resolve().parent.parent / "static" / "img"
CARD_SIZE = (1200, 630)
SUPERSAMPLE = 2  # drawn at twice the size and scaled down, for smooth edges

BACKGROUND = "#003e61"  # --accent-dark
SUN = "#ffbf47"  # --focus
WATER = "#8fd3ff"
# The rays, left to right: smart industri, hållbar livsmedelsförsörjning, morgondagens energilösningar, life science
# (light tints of the theme accents in static/css/site.css, for a dark background).
RAYS = ["#a9b3ff", "#9fdc8a", "#ffb366", "#ff9cc8"]
RAY_ANGLES = [160, 120, 60, 20]


def font(size, bold=False):
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _wave(draw, scale, ox, oy, x0, y, half, height, count, width, fill):
    """A row of quadratic waves, like the SVG's `q … t …` path, as a polyline with round caps."""
    points = []
    for i in range(count * 2):
        sx = x0 + i * half
        sign = -1 if i % 2 == 0 else 1
        for step in range(12):
            t = step / 12
            # quadratic bezier from (sx, y) via (sx + half/2, y + sign*2*height) to (sx + half, y)
            px = (1 - t) ** 2 * sx + 2 * (1 - t) * t * (sx + half / 2) + t**2 * (sx + half)
            py = (1 - t) ** 2 * y + 2 * (1 - t) * t * (y + sign * 2 * height) + t**2 * y
            points.append((ox + px * scale, oy + py * scale))
    points.append((ox + (x0 + count * 2 * half) * scale, oy + y * scale))
    w = width * scale
    draw.line(points, fill=fill, width=round(w), joint="curve")
    for px, py in (points[0], points[-1]):
        draw.ellipse((px - w / 2, py - w / 2, px + w / 2, py + w / 2), fill=fill)


def draw_key_visual(draw, ox, oy, scale, background=True, radius=14):
    """The mark's shapes, with their 64-unit square at (ox, oy) scaled by `scale` pixels per unit."""
    if background:
        box = (ox, oy, ox + 64 * scale - 1, oy + 64 * scale - 1)
        draw.rounded_rectangle(box, radius=radius * scale, fill=BACKGROUND)
    for angle, colour in zip(RAY_ANGLES, RAYS, strict=True):
        r = math.radians(angle)
        x1, y1 = 32 + 17 * math.cos(r), 40 - 17 * math.sin(r)
        x2, y2 = 32 + 24 * math.cos(r), 40 - 24 * math.sin(r)
        w = 4.5 * scale
        draw.line((ox + x1 * scale, oy + y1 * scale, ox + x2 * scale, oy + y2 * scale), fill=colour, width=round(w))
        for px, py in ((x1, y1), (x2, y2)):
            cx, cy = ox + px * scale, oy + py * scale
            draw.ellipse((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2), fill=colour)
    draw.pieslice((ox + 19 * scale, oy + 27 * scale, ox + 45 * scale, oy + 53 * scale), 180, 360, fill=SUN)
    _wave(draw, scale, ox, oy, 10, 46, 11, 2, 2, 4, WATER)
    _wave(draw, scale, ox, oy, 16, 54, 8, 1.5, 2, 4, "#5f9fc4")  # the SVG's 0.7 opacity over the background


def mark(size, radius=14):
    """The mark as a square RGBA image of `size` pixels (favicon, home-screen icon: square, the phone rounds it)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw_key_visual(ImageDraw.Draw(image), 0, 0, big / 64, radius=radius)
    return image.resize((size, size), Image.LANCZOS)


def _card(lines_drawer):
    width, height = CARD_SIZE
    s = SUPERSAMPLE
    image = Image.new("RGB", (width * s, height * s), BACKGROUND)
    draw = ImageDraw.Draw(image)
    # The key visual large on the right, its water running off the card's edge.
    draw_key_visual(draw, 800 * s, 140 * s, 7 * s, background=False)
    lines_drawer(draw, s)
    return image.resize(CARD_SIZE, Image.LANCZOS)


def _wrap(draw, text, face, max_width):
    """Greedy word wrap by the words' drawn widths (a word longer than a line gets a line of its own)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


def _fit_title(draw, title, s, max_width, max_lines):
    """The largest size (64 → 36 px) at which the title wraps into at most `max_lines` lines of `max_width`;
    at the smallest size a longer title ends in an ellipsis."""
    for size in (64, 56, 50, 44, 40, 36):
        face = font(size * s, bold=True)
        lines = _wrap(draw, title, face, max_width * s)
        if len(lines) <= max_lines and all(draw.textlength(line, font=face) <= max_width * s for line in lines):
            return face, size, lines
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;:–-") + " …"
    return face, size, lines


def site_card(name="Sörmlands innovationsvecka", tagline="Träffa dem som hjälper idébärare och företagare i Sörmland"):
    def lines(draw, s):
        draw.text((72 * s, 200 * s), "Sörmlands", font=font(80 * s, bold=True), fill="#ffffff")
        draw.text((72 * s, 295 * s), "innovationsvecka", font=font(72 * s), fill="#ffffff")
        y = 420
        for line in textwrap.wrap(tagline, width=34):
            draw.text((72 * s, y * s), line, font=font(32 * s), fill="#d6e6f0")
            y += 44

    return _card(lines)


def session_card(title, date_text, name="Sörmlands innovationsvecka"):
    """A session's link-preview card: its date (and time) and title beside the key visual."""

    def lines(draw, s):
        draw.text((72 * s, 72 * s), name, font=font(30 * s, bold=True), fill="#ffffff")
        draw.text((72 * s, 150 * s), date_text, font=font(36 * s), fill=SUN)
        face, size, wrapped = _fit_title(draw, title, s, max_width=700, max_lines=5)
        y = 220
        for line in wrapped:
            draw.text((72 * s, y * s), line, font=face, fill="#ffffff")
            y += round(size * 1.2)

    return _card(lines)


def png_bytes(image, optimize=True):
    """A card as PNG with a 64-colour palette: about 30 KB instead of 120 KB, and the same to the eye."""
    if image.mode == "RGB":
        image = image.quantize(colors=64)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=optimize)
    return buffer.getvalue()


def write_static(directory=STATIC_IMG):
    """The static images drawn from the key visual; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    (directory / "og-default.png").write_bytes(png_bytes(site_card()))
    written.append(directory / "og-default.png")
    for name, size, radius in (("apple-touch-icon.png", 180, 0), ("icon-192.png", 192, 0), ("icon-512.png", 512, 0),
                               ("favicon-32.png", 32, 14)):
        mark(size, radius).save(directory / name, optimize=True)
        written.append(directory / name)
    mark(256).save(directory / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    written.append(directory / "favicon.ico")
    return written


if __name__ == "__main__":
    for path in write_static():
        sys.stdout.write(f"{path} {path.stat().st_size} bytes\n")
