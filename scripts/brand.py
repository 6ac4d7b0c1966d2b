"""Draw the brand images of the integration: custom_components/sms_gateway/brand/.

    .venv/bin/python scripts/brand.py [--out DIR] [--font TTF]

The mark is a speech bubble (an SMS) holding a SIM card (the GSM gateway), teal and white. It is
drawn with Pillow on a canvas four or eight times the size of the image it becomes, then shrunk with
a box filter (every image pixel the mean of the canvas pixels under it), so every edge, the text's
too, is anti-aliased. Every image is trimmed (its artwork touches all four edges), RGBA with a
transparent background, and saved with optimize=True (lossless; Pillow cannot write the interlaced
PNGs the rules prefer), following the Home Assistant brands rules
(https://github.com/home-assistant/brands, README.md, "Image specification"):

- icon.png 256x256, icon@2x.png 512x512: the mark alone.
- logo.png (height 256) and logo@2x.png (height 512): the mark and the words "SMS Gateway".
- dark_logo.png, dark_logo@2x.png: the same logo with light lettering for dark themes; the mark's
  teal reads on light and dark backgrounds alike, so there is no dark_icon: Home Assistant serves
  icon.png in its place.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import math
from pathlib import Path
import sys

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
BRAND_DIR = ROOT / "custom_components" / "sms_gateway" / "brand"

Colour = tuple[int, int, int]

TEAL: Colour = (0, 137, 123)  # the bubble and "SMS"; 4.3:1 on white, 4:1 on #1c1c1c
WHITE: Colour = (255, 255, 255)  # the SIM card
INK_LIGHT_THEME: Colour = (38, 50, 56)  # "Gateway" on a light background
INK_DARK_THEME: Colour = (236, 239, 241)  # "Gateway" on a dark background

WORDS = ("SMS", " Gateway")  # the first in teal, the second in ink
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    Path("/Library/Fonts/DejaVuSans-Bold.ttf"),
)

# The mark, as fractions of its side (it is square; x to the right, y down).
BODY_BOTTOM = 0.80  # the bubble's body spans the full width, from the top to here
BODY_RADIUS = 0.20
TAIL = ((0.20, 0.70), (0.48, 0.70), (0.15, 1.0))  # bottom-left; its tip is the bottom edge
TAIL_TIP_RADIUS = 0.02  # blunts the tip so the bottom row is not a lone faint pixel
SIM_BOX = (0.305, 0.125, 0.695, 0.675)  # left, top, right, bottom: portrait, centred on the body
SIM_RADIUS = 0.045
SIM_CLIP = 0.13  # the cut top-right corner
CHIP_BOX = (0.385, 0.36, 0.615, 0.585)
CHIP_RADIUS = 0.03
CHIP_LINE = 0.018  # the white lines between the contacts
CHIP_CENTRE_HALF_WIDTH = 0.045  # the whole centre contact, left and right of the middle

# The logo, as fractions of its height.
GAP = 0.16  # between the mark and the words
FONT_SIZE = 0.42
TEXT_CENTRE = 0.40  # the capitals are centred on the body's centre, not on the whole mark


@dataclass(frozen=True)
class Output:
    """One image to write: its file name, the artwork and the height it is shrunk to."""

    name: str
    kind: str  # "icon" or "logo"
    height: int
    ink: Colour = INK_LIGHT_THEME


OUTPUTS = (
    Output("icon.png", "icon", 256),
    Output("icon@2x.png", "icon", 512),
    Output("logo.png", "logo", 256),
    Output("logo@2x.png", "logo", 512),
    Output("dark_logo.png", "logo", 256, INK_DARK_THEME),
    Output("dark_logo@2x.png", "logo", 512, INK_DARK_THEME),
)

MASTER_HEIGHT = 2048  # the canvas: 8x the 256 px images, 4x the 512 px ones


def _box(frac: tuple[float, float, float, float], side: int) -> tuple[int, int, int, int]:
    """Scale a fractional box to pixels; Pillow's boxes include their right and bottom pixels."""
    left, top, right, bottom = frac
    return (
        round(left * side),
        round(top * side),
        round(right * side) - 1,
        round(bottom * side) - 1,
    )


def _tangent_point(
    point: tuple[float, float],
    centre: tuple[float, float],
    radius: float,
    away_from: tuple[float, float],
) -> tuple[float, float]:
    """Return where a line from point touches the circle: the touch point farther from away_from."""
    dx, dy = point[0] - centre[0], point[1] - centre[1]
    towards, spread = math.atan2(dy, dx), math.acos(radius / math.hypot(dx, dy))
    touches = [
        (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        for angle in (towards - spread, towards + spread)
    ]
    return max(touches, key=lambda p: math.dist(p, away_from))


def draw_mark(side: int) -> Image.Image:
    """Return the mark on a transparent square canvas of side pixels, touching all four edges."""
    mark = Image.new("RGBA", (side, side), (*TEAL, 0))
    draw = ImageDraw.Draw(mark)
    teal = (*TEAL, 255)

    draw.rounded_rectangle(
        (0, 0, side - 1, round(BODY_BOTTOM * side) - 1), radius=round(BODY_RADIUS * side), fill=teal
    )
    # The tail: its sides run from the body to a round tip that touches the bottom edge.
    radius = TAIL_TIP_RADIUS * side
    (a, b), tip = [(x * side, y * side) for x, y in TAIL[:2]], TAIL[2]
    centre = (tip[0] * side, tip[1] * side - radius)
    draw.polygon(
        [
            a,
            b,
            _tangent_point(b, centre, radius, away_from=a),
            _tangent_point(a, centre, radius, away_from=b),
        ],
        fill=teal,
    )
    draw.ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius - 1),
        fill=teal,
    )

    # The SIM card: a rounded rectangle with its top-right corner cut off, in white.
    sim = Image.new("L", (side, side), 0)
    sim_draw = ImageDraw.Draw(sim)
    sim_box = _box(SIM_BOX, side)
    _, top, right, _ = sim_box
    sim_draw.rounded_rectangle(sim_box, radius=round(SIM_RADIUS * side), fill=255)
    clip = round(SIM_CLIP * side)
    sim_draw.polygon([(right - clip, top - 1), (right + 1, top - 1), (right + 1, top + clip)], 0)
    mark.paste((*WHITE, 255), (0, 0), sim)

    # The chip: a teal rounded rectangle split into six contacts by white lines.
    chip = _box(CHIP_BOX, side)
    draw.rounded_rectangle(chip, radius=round(CHIP_RADIUS * side), fill=teal)
    c_left, c_top, c_right, c_bottom = chip
    half = round(CHIP_LINE * side / 2)
    middle_x = (c_left + c_right) // 2
    third = (c_bottom - c_top) / 3
    white = (*WHITE, 255)
    draw.rectangle((middle_x - half, c_top, middle_x + half, c_bottom), fill=white)
    for k in (1, 2):
        y = round(c_top + k * third)
        draw.rectangle((c_left, y - half, c_right, y + half), fill=white)
    # The centre contact stays whole, as on a real chip: cover the middle line between the rows.
    inner = round(CHIP_CENTRE_HALF_WIDTH * side)
    draw.rectangle(
        (
            middle_x - inner,
            round(c_top + third) + half + 1,
            middle_x + inner,
            round(c_top + 2 * third) - half - 1,
        ),
        fill=teal,
    )
    return mark


def find_font(explicit: Path | None) -> Path:
    """Return the bold sans font for the words, or stop with a message if there is none."""
    for path in (explicit,) if explicit else FONT_CANDIDATES:
        if path is not None and path.is_file():
            return path
    raise SystemExit(
        "No DejaVu Sans Bold font found; install fonts-dejavu-core or pass --font PATH.TTF"
    )


def draw_logo(height: int, font_path: Path, ink: Colour) -> Image.Image:
    """Return the mark and the words side by side, trimmed, on a transparent canvas."""
    font = ImageFont.truetype(str(font_path), round(FONT_SIZE * height))
    gap = round(GAP * height)
    first, rest = WORDS
    width = height + gap + round(font.getlength(first + rest)) + height // 4
    logo = Image.new("RGBA", (width, height), (*ink, 0))
    logo.paste(draw_mark(height), (0, 0))
    draw = ImageDraw.Draw(logo)
    cap_top = font.getbbox("S", anchor="ls")[1]  # negative: the capitals' height above the base
    baseline = round(TEXT_CENTRE * height - cap_top / 2)
    x = height + gap
    draw.text((x, baseline), first, font=font, fill=(*TEAL, 255), anchor="ls")
    draw.text((x + font.getlength(first), baseline), rest, font=font, fill=(*ink, 255), anchor="ls")
    return logo.crop(logo.getchannel("A").getbbox())


def shrink(master: Image.Image, height: int) -> Image.Image:
    """Shrink a master to height pixels high, averaging (Pillow premultiplies alpha to resize)."""
    width = round(master.width * height / master.height)
    image = master.resize((width, height), Image.Resampling.BOX)
    bbox = image.getchannel("A").getbbox()
    if bbox is None:
        raise ValueError("the artwork vanished")
    return image.crop(bbox) if bbox != (0, 0, width, height) else image


def render(font_path: Path) -> dict[str, Image.Image]:
    """Return every brand image by file name."""
    mark = draw_mark(MASTER_HEIGHT)
    logos = {ink: draw_logo(MASTER_HEIGHT, font_path, ink) for ink in {o.ink for o in OUTPUTS}}
    images: dict[str, Image.Image] = {}
    for output in OUTPUTS:
        master = mark if output.kind == "icon" else logos[output.ink]
        image = shrink(master, output.height)
        if image.height != output.height or (output.kind == "icon" and image.width != image.height):
            raise ValueError(f"{output.name} came out {image.width}x{image.height}")
        images[output.name] = image
    return images


def main(argv: list[str] | None = None) -> int:
    """Write the brand images."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=BRAND_DIR, help="directory to write to")
    parser.add_argument("--font", type=Path, default=None, help="a bold sans-serif .ttf")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name, image in render(find_font(args.font)).items():
        path = out / name
        image.save(path, format="PNG", optimize=True)
        sys.stdout.write(f"{path}: {image.width}x{image.height}, {path.stat().st_size} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
