"""Posters, stills and collection covers for the demo, drawn with Pillow.

Everything is deterministic: the same seed gives the same picture, so the
loader can regenerate an image and get the same bytes. The look is a dark
gradient from a per-film palette, a glow, one simple motif per genre, a
vignette and a little grain, then the titles set in Noto Sans CJK (the
`fonts-noto-cjk` package). Without that font Pillow's built-in font is used,
which has no Hangul glyphs: the images still work, the Korean text does not.
"""

import io
import random
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

POSTER_SIZE = (600, 900)
STILL_SIZE = (1280, 720)
COVER_SIZE = (1280, 540)
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
# Index 1 of the Noto CJK collections is the Korean ("KR") face.
KOREAN_FACE_INDEX = 1
JPEG_QUALITY = 86
# Which kinds of scene a genre's stills show (picked per still from the seed).
SCENES_BY_MOTIF = {
    "action": ["city", "city", "hills"],
    "comedy": ["room", "sea", "city"],
    "drama": ["room", "hills", "sea"],
    "sf": ["city", "sea"],
    "romance": ["sea", "room", "city"],
    "thriller": ["room", "city"],
    "horror": ["room", "hills"],
    "animation": ["hills", "sea"],
    "crime": ["city", "room"],
    "fantasy": ["hills", "sea"],
    "adventure": ["hills", "sea"],
}


@dataclass(frozen=True)
class Palette:
    """Three colours as hex strings: top of the gradient, bottom, and the accent for glow and motif."""

    top: str
    bottom: str
    accent: str


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / f"NotoSansCJK-{weight}.ttc"
    try:
        return ImageFont.truetype(str(path), size, index=KOREAN_FACE_INDEX)
    except OSError:
        return ImageFont.load_default(size=size)


def has_cjk_font() -> bool:
    """Whether titles will be set in a font with Hangul glyphs."""
    return isinstance(_font("Bold", 12), ImageFont.FreeTypeFont) and "CJK" in _font("Bold", 12).getname()[0]


def _rng(seed: str) -> random.Random:
    # Not for security: a stable stream of "random" shapes per film.
    return random.Random(zlib.crc32(seed.encode()))  # noqa: S311


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size, top, bottom) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _glow(image: Image.Image, centre, radius: int, colour, strength: float) -> None:
    """A soft radial light of `colour` around `centre`, added in place."""
    diameter = radius * 2
    falloff = Image.radial_gradient("L").resize((diameter, diameter))
    mask = falloff.point(lambda v: round(max(0, 255 - v * 1.4) * strength))
    image.paste(Image.new("RGB", (diameter, diameter), colour), (centre[0] - radius, centre[1] - radius), mask)


def _vignette(image: Image.Image, strength: float = 0.75) -> Image.Image:
    mask = Image.radial_gradient("L").resize(image.size).point(lambda v: round(min(255, max(0, v - 90) * strength)))
    return Image.composite(Image.new("RGB", image.size, (0, 0, 0)), image, mask)


def _grain(image: Image.Image, rng: random.Random, amount: float = 0.05) -> Image.Image:
    """Film grain: seeded uniform noise blended in lightly (Image.effect_noise cannot be seeded)."""
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1])).convert("RGB")
    return Image.blend(image, noise, amount)


def _figure(draw: ImageDraw.ImageDraw, x: int, base_y: int, height: int, fill) -> None:
    """A standing silhouette: head, shoulders, body."""
    head = height // 7
    draw.ellipse((x - head // 2, base_y - height, x + head // 2, base_y - height + head), fill=fill)
    shoulders = round(height * 0.16)
    draw.rounded_rectangle(
        (x - shoulders, base_y - height + head + 2, x + shoulders, base_y - height // 3), radius=head // 2, fill=fill
    )
    leg = round(shoulders * 0.45)
    draw.rectangle((x - shoulders + 3, base_y - height // 3 - 2, x - shoulders + 3 + leg, base_y), fill=fill)
    draw.rectangle((x + shoulders - 3 - leg, base_y - height // 3 - 2, x + shoulders - 3, base_y), fill=fill)


def _draw_motif(layer: Image.Image, motif: str, rng: random.Random, accent, dark) -> None:
    """One simple graphic idea per genre, on a transparent RGBA layer."""
    w, h = layer.size
    draw = ImageDraw.Draw(layer)
    shadow = (*_mix(dark, (0, 0, 0), 0.6), 235)

    def tint(alpha):
        return (*accent, alpha)

    if motif == "action":
        for _ in range(6):
            x = rng.randint(-w // 2, w)
            thickness = rng.randint(8, 46)
            draw.polygon(
                [(x, h), (x + thickness, h), (x + w // 2 + thickness, 0), (x + w // 2, 0)],
                fill=tint(rng.randint(40, 120)),
            )
        for _ in range(40):
            cx, cy = rng.randint(0, w), rng.randint(h // 4, h)
            r = rng.randint(1, 3)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 230, 180, rng.randint(120, 255)))
        _figure(draw, w // 2 + rng.randint(-w // 6, w // 6), round(h * 0.62), round(h * 0.3), shadow)
    elif motif == "comedy":
        colours = [accent, (255, 214, 102), (120, 220, 200), (255, 140, 160)]
        for _ in range(70):
            cx, cy = rng.randint(0, w), rng.randint(0, round(h * 0.62))
            r = rng.randint(4, 16)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*rng.choice(colours), rng.randint(90, 200)))
        _figure(draw, w // 2, round(h * 0.64), round(h * 0.26), shadow)
    elif motif == "drama":
        horizon = round(h * rng.uniform(0.5, 0.6))
        r = round(w * rng.uniform(0.18, 0.28))
        cx = rng.randint(w // 3, 2 * w // 3)
        draw.ellipse((cx - r, horizon - r, cx + r, horizon + r), fill=tint(150))
        draw.rectangle((0, horizon, w, h), fill=(*_mix(dark, (0, 0, 0), 0.3), 245))
        for i in range(5):
            y = horizon + 12 + i * 14
            draw.line((cx - r + i * 12, y, cx + r - i * 12, y), fill=tint(60 - i * 10), width=2)
        _figure(draw, rng.randint(w // 5, 4 * w // 5), horizon + 4, round(h * 0.12), shadow)
    elif motif == "sf":
        cx, cy = w // 2, round(h * 0.34)
        for i in range(7):
            r = 40 + i * 34
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=tint(180 - i * 22), width=2)
        horizon = round(h * 0.58)
        for i in range(-8, 9):
            draw.line((cx + i * 22, horizon, cx + i * 140, h), fill=tint(70), width=1)
        for j in range(9):
            y = horizon + round((h - horizon) * (j / 9) ** 1.8)
            draw.line((0, y, w, y), fill=tint(60), width=1)
        draw.ellipse((cx - 26, cy - 26, cx + 26, cy + 26), fill=(255, 255, 255, 210))
    elif motif == "romance":
        cy = round(h * 0.36)
        r = round(w * 0.2)
        offset = round(r * 0.55)
        draw.ellipse((w // 2 - offset - r, cy - r, w // 2 - offset + r, cy + r), fill=tint(110))
        draw.ellipse((w // 2 + offset - r, cy - r, w // 2 + offset + r, cy + r), fill=(255, 200, 210, 90))
        for _ in range(30):
            cx, y = rng.randint(0, w), rng.randint(0, h // 2)
            draw.ellipse((cx - 2, y - 2, cx + 2, y + 2), fill=(255, 255, 255, rng.randint(60, 160)))
    elif motif == "thriller":
        slit_w = rng.randint(40, 80)
        x = rng.randint(w // 3, 2 * w // 3)
        top = round(h * 0.12)
        base = round(h * 0.62)
        draw.rectangle((x - slit_w // 2, top, x + slit_w // 2, base), fill=tint(200))
        draw.polygon(
            [(x - slit_w // 2, base), (x + slit_w // 2, base), (x + w // 2, h), (x - w // 2, h)], fill=tint(40)
        )
        _figure(draw, x, base, round(h * 0.16), shadow)
    elif motif == "horror":
        for _ in range(14):
            x = rng.randint(0, w)
            y = rng.randint(0, h // 3)
            points = [(x, y)]
            for _ in range(8):
                x += rng.randint(-10, 10)
                y += rng.randint(20, 60)
                points.append((x, y))
            draw.line(points, fill=(*_mix(accent, (255, 255, 255), 0.2), rng.randint(60, 170)), width=rng.randint(1, 3))
        r = round(w * 0.09)
        cx, cy = w // 2, round(h * 0.3)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(230, 230, 220, 200))
        draw.ellipse((cx - r + 8, cy - r - 4, cx + r + 8, cy + r - 4), fill=(*dark, 255))
    elif motif == "animation":
        colours = [accent, (255, 200, 87), (110, 200, 255), (255, 130, 170), (150, 230, 140)]
        for _ in range(12):
            cx, cy = rng.randint(0, w), rng.randint(0, round(h * 0.65))
            r = rng.randint(30, 110)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*rng.choice(colours), rng.randint(70, 150)))
        cx, cy = w // 2, round(h * 0.42)
        draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill=(255, 255, 255, 230))
        draw.ellipse((cx - 28, cy - 14, cx - 12, cy + 6), fill=(*dark, 255))
        draw.ellipse((cx + 12, cy - 14, cx + 28, cy + 6), fill=(*dark, 255))
        draw.arc((cx - 26, cy + 4, cx + 26, cy + 34), 20, 160, fill=(*dark, 255), width=4)
    elif motif == "crime":
        top = round(h * 0.1)
        for i in range(11):
            y = top + i * 46
            draw.polygon([(0, y), (w, y + 60), (w, y + 80), (0, y + 20)], fill=tint(rng.randint(60, 110)))
        _figure(draw, rng.randint(w // 4, 3 * w // 4), round(h * 0.62), round(h * 0.3), shadow)
    elif motif == "fantasy":
        for _ in range(120):
            cx, cy = rng.randint(0, w), rng.randint(0, round(h * 0.6))
            r = rng.choice([1, 1, 1, 2, 2, 3])
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 240, rng.randint(90, 255)))
        cx, cy, r = round(w * 0.66), round(h * 0.22), 70
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 245, 210, 235))
        draw.ellipse((cx - r + 30, cy - r - 12, cx + r + 30, cy + r - 12), fill=(0, 0, 0, 0))
        draw.polygon(
            [(0, h), (0, round(h * 0.55)), (w // 3, round(h * 0.48)), (w // 2, round(h * 0.6)), (w, h)], fill=shadow
        )
    elif motif == "adventure":
        base = round(h * 0.62)
        for i, alpha in enumerate((90, 150, 230)):
            peaks = [(0, base)]
            x = -40
            while x < w + 40:
                x += rng.randint(70, 160)
                peaks.append((x, base - rng.randint(90, 260) + i * 50))
            peaks += [(w, base + 10), (w, h), (0, h)]
            colour = _mix(accent, dark, 0.35 * i)
            draw.polygon(peaks, fill=(*colour, alpha))
        draw.line(
            [(w // 2, h), (w // 2 + 40, base + 120), (w // 2 - 20, base + 40)], fill=(255, 240, 210, 120), width=5
        )
    else:  # etc: film frames
        for i in range(4):
            x0 = 60 + i * 18
            y0 = 110 + i * 70
            draw.rectangle((x0, y0, w - x0, y0 + 300), outline=tint(200 - i * 40), width=3)
        for y in range(90, round(h * 0.66), 26):
            draw.rectangle((22, y, 36, y + 14), fill=tint(120))
            draw.rectangle((w - 36, y, w - 22, y + 14), fill=tint(120))


def _letterspaced(draw, xy, text, font, fill, spacing: int, anchor_centre: bool = True) -> None:
    widths = [draw.textlength(ch, font=font) for ch in text]
    total = sum(widths) + spacing * (len(text) - 1)
    x = xy[0] - total / 2 if anchor_centre else xy[0]
    for ch, width in zip(text, widths, strict=True):
        draw.text((x, xy[1]), ch, font=font, fill=fill)
        x += width + spacing


def _fit_lines(draw, text: str, weight: str, max_width: int, sizes: range) -> tuple[list[str], ImageFont.ImageFont]:
    """The largest size at which `text` fits `max_width` on one line, else on two lines split at a space."""
    for size in sizes:
        font = _font(weight, size)
        if draw.textlength(text, font=font) <= max_width:
            return [text], font
    words = text.split()
    if len(words) > 1:
        best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
        lines = [" ".join(words[:best]), " ".join(words[best:])]
        for size in sizes:
            font = _font(weight, size)
            if all(draw.textlength(line, font=font) <= max_width for line in lines):
                return lines, font
        return lines, _font(weight, sizes[-1])
    return [text], _font(weight, sizes[-1])


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _background(size, palette: Palette, rng: random.Random, motif: str) -> Image.Image:
    top, bottom, accent = _rgb(palette.top), _rgb(palette.bottom), _rgb(palette.accent)
    w, h = size
    image = _gradient(size, top, bottom)
    _glow(image, (rng.randint(w // 4, 3 * w // 4), rng.randint(h // 6, h // 2)), max(w, h) // 2, accent, 0.45)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    _draw_motif(layer, motif, rng, accent, bottom)
    layer = layer.filter(ImageFilter.GaussianBlur(0.6))
    image = Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    return image


def draw_poster(
    *,
    seed: str,
    palette: Palette,
    motif: str,
    title: str,
    title_en: str = "",
    kicker: str = "",
    billing: tuple[str, ...] = (),
    badge: str = "",
) -> bytes:
    """A 600×900 JPEG poster: background and motif, the Korean title large, the English title under it,
    a kicker line at the top and a small billing block at the bottom."""
    rng = _rng(seed)
    w, h = POSTER_SIZE
    image = _background(POSTER_SIZE, palette, rng, motif)
    # Darken the lower part so the titles read on any motif.
    shade = Image.linear_gradient("L").resize((w, h)).point(lambda v: max(0, v - 110) * 2)
    image = Image.composite(Image.new("RGB", (w, h), (5, 5, 8)), image, shade)
    image = _vignette(image)
    image = _grain(image, rng)
    draw = ImageDraw.Draw(image)
    light = (244, 240, 232)
    muted = (178, 174, 168)
    accent = _mix(_rgb(palette.accent), (255, 255, 255), 0.35)

    if kicker:
        _letterspaced(draw, (w / 2, 44), kicker, _font("Regular", 15), muted, 3)
    lines, font = _fit_lines(draw, title, "Bold", w - 80, range(84, 33, -4))
    line_height = round(font.size * 1.18)
    y = round(h * 0.70) - line_height * (len(lines) - 1)
    for line in lines:
        draw.text((w / 2, y), line, font=font, fill=light, anchor="ms")
        y += line_height
    if title_en:
        en_lines, en_font = _fit_lines(draw, title_en.upper(), "Regular", w - 110, range(22, 13, -1))
        y = y - line_height + 40
        for line in en_lines:
            _letterspaced(draw, (w / 2, y - en_font.size), line, en_font, accent, 4)
            y += round(en_font.size * 1.5)
    billing_font = _font("Regular", 13)
    y = h - 36 - 20 * len(billing)
    for line in billing:
        draw.text((w / 2, y), line, font=billing_font, fill=muted, anchor="ms")
        y += 20
    if badge:
        badge_font = _font("Bold", 16)
        box = draw.textbbox((0, 0), badge, font=badge_font)
        bw, bh = box[2] - box[0] + 16, box[3] - box[1] + 12
        draw.rounded_rectangle((w - 30 - bw, 70, w - 30, 70 + bh), radius=6, outline=muted, width=2)
        draw.text((w - 30 - bw / 2, 70 + bh / 2), badge, font=badge_font, fill=light, anchor="mm")
    return _encode(image)


def draw_still(*, seed: str, palette: Palette, motif: str) -> bytes:
    """A 1280×720 JPEG "frame" from the film: a landscape with a horizon, light, a figure or two, and
    letterbox bars for a 2.39:1 look."""
    rng = _rng(seed)
    w, h = STILL_SIZE
    top, bottom, accent = _rgb(palette.top), _rgb(palette.bottom), _rgb(palette.accent)
    sky_top = _mix(top, accent, rng.uniform(0.0, 0.35))
    image = _gradient(STILL_SIZE, sky_top, _mix(bottom, accent, 0.25))
    _glow(image, (rng.randint(w // 5, 4 * w // 5), rng.randint(h // 4, h // 2)), h // 2, accent, 0.55)
    layer = Image.new("RGBA", STILL_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    horizon = round(h * rng.uniform(0.55, 0.68))
    ground = (*_mix(bottom, (0, 0, 0), 0.45), 255)
    scene = rng.choice(SCENES_BY_MOTIF.get(motif, ["city", "hills", "room", "sea"]))
    if scene == "city":
        x = 0
        while x < w:
            bw = rng.randint(50, 140)
            bh = rng.randint(60, 260)
            draw.rectangle((x, horizon - bh, x + bw, horizon), fill=(*_mix(bottom, (0, 0, 0), 0.3), 255))
            for wy in range(horizon - bh + 14, horizon - 10, 22):
                for wx in range(x + 10, x + bw - 10, 20):
                    if rng.random() < 0.3:
                        draw.rectangle((wx, wy, wx + 8, wy + 10), fill=(*_mix(accent, (255, 230, 170), 0.6), 200))
            x += bw + rng.randint(0, 12)
    elif scene == "hills":
        for i in range(3):
            points = [(0, horizon - 40 + i * 30)]
            for x in range(0, w + 200, 200):
                points.append((x, horizon - rng.randint(20, 120) + i * 40))
            points += [(w, h), (0, h)]
            draw.polygon(points, fill=(*_mix(bottom, (0, 0, 0), 0.2 + 0.2 * i), 255))
    elif scene == "room":
        wx0, wy0 = rng.randint(w // 6, w // 2), round(h * 0.2)
        draw.rectangle((0, 0, w, h), fill=(*_mix(bottom, (0, 0, 0), 0.35), 235))
        draw.rectangle((wx0, wy0, wx0 + 360, wy0 + 260), fill=(*_mix(accent, (255, 255, 255), 0.3), 120))
        draw.line((wx0 + 180, wy0, wx0 + 180, wy0 + 260), fill=ground, width=8)
        draw.line((wx0, wy0 + 130, wx0 + 360, wy0 + 130), fill=ground, width=8)
        draw.polygon(
            [(wx0, horizon + 60), (wx0 + 360, horizon + 60), (wx0 + 520, h), (wx0 - 160, h)],
            fill=(*_mix(accent, (255, 255, 255), 0.2), 45),
        )
    else:  # sea: dark water with light on it
        draw.rectangle((0, horizon, w, h), fill=(*_mix(bottom, (0, 0, 0), 0.2), 220))
        for i in range(12):
            y = horizon + 8 + i * 16
            draw.line((0, y, w, y), fill=(*_mix(accent, (255, 255, 255), 0.4), max(10, 90 - i * 7)), width=2)
    if scene in ("city", "hills"):
        draw.rectangle((0, horizon, w, h), fill=ground)
    for _ in range(rng.randint(1, 2)):
        _figure(draw, rng.randint(w // 5, 4 * w // 5), horizon + rng.randint(10, 60), rng.randint(120, 220), ground)
    image = Image.alpha_composite(image.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(1.2))).convert("RGB")
    image = _vignette(image, 0.6)
    image = _grain(image, rng, 0.045)
    bar = round((h - w / 2.39) / 2)
    ImageDraw.Draw(image).rectangle((0, 0, w, bar), fill=(0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, h - bar, w, h), fill=(0, 0, 0))
    return _encode(image)


def draw_cover(*, seed: str, palette: Palette, motif: str) -> bytes:
    """A 1280×540 JPEG cover for a collection: the motif with a dark left side, and no text.

    The collection page sets its title over the cover, so lettering in the
    image would fight with it.
    """
    rng = _rng(seed)
    w, h = COVER_SIZE
    image = _background(COVER_SIZE, palette, rng, motif)
    shade = Image.linear_gradient("L").rotate(90, expand=True).resize((w, h)).point(lambda v: min(255, v + 40))
    image = Image.composite(image, Image.new("RGB", (w, h), (6, 6, 10)), shade)
    image = _vignette(image, 0.5)
    return _encode(image)
