"""The brand images follow the Home Assistant brands rules and are drawn cleanly.

Rules: https://github.com/home-assistant/brands README.md ("Image specification") and the checks
of its .github/workflows/validate/validate.sh. Every check is a function returning a problem (or
None); the real images must have none, and each check is shown to fail on a bad image too.
"""

from collections.abc import Callable
import io
import os
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter
import pytest

BRAND = Path(__file__).parent.parent / "custom_components" / "sms_gateway" / "brand"

# Every file name Home Assistant serves from a brand/ folder (homeassistant/components/brands).
ALLOWED = {
    f"{dark}{kind}{hidpi}.png"
    for dark in ("", "dark_")
    for kind in ("icon", "logo")
    for hidpi in ("", "@2x")
}
EXPECTED = {
    "icon.png",
    "icon@2x.png",
    "logo.png",
    "logo@2x.png",
    "dark_logo.png",
    "dark_logo@2x.png",
}
WHITE = (255, 255, 255)
DARK = (28, 28, 28)  # Home Assistant's dark theme cards, #1c1c1c
MIN_CONTRAST = 3.0  # WCAG 2 for graphics and large text
TRIM_ALPHA = 64  # an edge row or column holding only fainter pixels is padding, not artwork
MIN_ANTIALIASED_SHARE = 0.5
MAX_BYTES_PER_PIXEL = 0.5  # uncompressed RGBA is 4

Check = Callable[[str, Image.Image], str | None]


# The checks


def check_mode(name: str, image: Image.Image) -> str | None:
    """PNG with an alpha channel."""
    if image.format != "PNG" or image.mode != "RGBA":
        return f"{name} is {image.format} {image.mode}, not PNG RGBA"
    return None


def check_size(name: str, image: Image.Image) -> str | None:
    """Icons 256x256 (512x512 for @2x); logos landscape, shortest side 128-256 (256-512)."""
    width, height = image.size
    hidpi = 2 if "@2x" in name else 1
    if "icon" in name:
        if image.size != (256 * hidpi, 256 * hidpi):
            return f"{name} is {width}x{height}, not {256 * hidpi}x{256 * hidpi}"
        return None
    if width < height:
        return f"{name} is portrait ({width}x{height})"
    if not 128 * hidpi <= height <= 256 * hidpi:
        return f"{name}'s shortest side {height} is outside {128 * hidpi}-{256 * hidpi}"
    return None


def check_trimmed(name: str, image: Image.Image) -> str | None:
    """The artwork touches all four edges: no transparent (or nearly transparent) margin."""
    alpha = image.getchannel("A")
    solid = alpha.point(lambda a: 255 if a >= TRIM_ALPHA else 0).getbbox()
    if alpha.getbbox() != (0, 0, *image.size) or solid != (0, 0, *image.size):
        return f"{name} is not trimmed: artwork {alpha.getbbox()}, solid {solid}, {image.size}"
    return None


def check_transparent_corners(name: str, image: Image.Image) -> str | None:
    """A transparent background: the four corner pixels are fully transparent."""
    width, height = image.size
    corners = [(0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)]
    alphas = [image.getpixel(corner)[3] for corner in corners]
    if any(alphas):
        return f"{name}'s corners are not transparent: alpha {alphas}"
    return None


def antialiased_share(image: Image.Image) -> float:
    """Return the share of the artwork's outline pixels that are partly transparent.

    The outline: pixels that are not transparent but touch a transparent one. Drawn with hard
    edges, they are all opaque (share 0); drawn large and shrunk, most are partly transparent.
    """
    alpha = image.getchannel("A")
    seen = alpha.point(lambda a: 255 if a else 0)
    touches_clear = alpha.filter(ImageFilter.MinFilter(3)).point(lambda a: 0 if a else 255)
    outline = ImageChops.multiply(seen, touches_clear)
    partial = alpha.point(lambda a: 255 if 0 < a < 255 else 0)
    outline_count = outline.histogram()[255]
    partial_count = ImageChops.multiply(outline, partial).histogram()[255]
    return partial_count / outline_count if outline_count else 0.0


def check_antialiased(name: str, image: Image.Image) -> str | None:
    """Smooth edges: most outline pixels are partly transparent."""
    share = antialiased_share(image)
    if share < MIN_ANTIALIASED_SHARE:
        return f"{name} has hard edges: {share:.0%} of its outline is partly transparent"
    return None


def check_compressed(name: str, image: Image.Image) -> str | None:
    """Properly compressed for the web."""
    size = len(image.info["png_bytes"])
    if size > MAX_BYTES_PER_PIXEL * image.width * image.height:
        return f"{name} takes {size} bytes for {image.width}x{image.height} pixels"
    return None


CHECKS: list[Check] = [
    check_mode,
    check_size,
    check_trimmed,
    check_transparent_corners,
    check_antialiased,
    check_compressed,
]


def check_files(names: set[str]) -> str | None:
    """The expected files, no others, and each @2x image with its normal one (validate.sh)."""
    if missing := EXPECTED - names:
        return f"missing {sorted(missing)}"
    if unknown := names - ALLOWED:
        return f"not served by Home Assistant: {sorted(unknown)}"
    if orphans := {n for n in names if "@2x" in n and n.replace("@2x", "") not in names}:
        return f"@2x without its normal image: {sorted(orphans)}"
    return None


def luminance(colour: tuple[int, ...]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def solid_colours(image: Image.Image, min_share: float = 0.005) -> list[tuple[int, ...]]:
    """Return the colours of the fully opaque pixels, leaving out rare (edge blend) ones."""
    colours = image.getcolors(image.width * image.height) or []
    opaque = [(count, colour) for count, colour in colours if colour[3] == 255]
    total = sum(count for count, _ in opaque)
    return [colour for count, colour in sorted(opaque, reverse=True) if count >= min_share * total]


def words(logo: Image.Image) -> Image.Image:
    """Return the part of a logo right of the (square) mark: the words."""
    return logo.crop((logo.height + 1, 0, logo.width, logo.height))


# Helpers


def load(path: Path) -> Image.Image:
    """Open a PNG, keeping its bytes for the compression check."""
    data = path.read_bytes()
    image = Image.open(io.BytesIO(data))
    image.load()
    image.info["png_bytes"] = data
    return image


def as_png(image: Image.Image, **params: object) -> Image.Image:
    """Round-trip an image through PNG, as the checks read files."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    buffer.seek(0)
    again = Image.open(buffer)
    again.load()
    again.info["png_bytes"] = buffer.getvalue()
    return again


def disc(side: int, *, smooth: bool, margin: int = 0) -> Image.Image:
    """Return a teal disc filling a transparent square, drawn large and shrunk if smooth."""
    scale = 8 if smooth else 1
    big = Image.new("RGBA", (side * scale, side * scale), (0, 0, 0, 0))
    ImageDraw.Draw(big).ellipse(
        (margin * scale, margin * scale, (side - margin) * scale - 1, (side - margin) * scale - 1),
        fill=(0, 137, 123, 255),
    )
    return big.resize((side, side), Image.Resampling.BOX) if smooth else big


# The real images


def test_files_present() -> None:
    assert check_files({p.name for p in BRAND.iterdir()}) is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_image(name: str, check: Check) -> None:
    assert check(name, load(BRAND / name)) is None


@pytest.mark.parametrize("name", ["icon.png", "logo.png", "dark_logo.png"])
def test_hidpi_is_the_same_artwork(name: str) -> None:
    """The @2x image, halved, is the normal one (give or take rounding)."""
    normal = load(BRAND / name)
    hidpi = load(BRAND / name.replace(".png", "@2x.png"))
    assert abs(hidpi.width - 2 * normal.width) <= 2
    halved = hidpi.resize(normal.size, Image.Resampling.BOX).getchannel("A")
    difference = ImageChops.difference(halved, normal.getchannel("A"))
    mean = sum(i * n for i, n in enumerate(difference.histogram())) / (normal.width * normal.height)
    assert mean < 2


def test_variants_differ() -> None:
    """The brands validation refuses a logo identical to the icon, or a dark one to the light."""
    data = {name: (BRAND / name).read_bytes() for name in EXPECTED}
    assert data["logo.png"] != data["icon.png"]
    assert data["dark_logo.png"] != data["logo.png"]
    assert data["dark_logo@2x.png"] != data["logo@2x.png"]


@pytest.mark.parametrize("background", [WHITE, DARK], ids=["light", "dark"])
def test_icon_reads_on_both_themes(background: tuple[int, int, int]) -> None:
    """The bubble stands out on light and dark backgrounds: no dark_icon is needed."""
    bubble = solid_colours(load(BRAND / "icon.png"))[0]
    assert contrast(bubble, background) >= MIN_CONTRAST


@pytest.mark.parametrize(
    ("name", "background"), [("logo.png", WHITE), ("dark_logo.png", DARK)], ids=["light", "dark"]
)
def test_logo_words_read_on_their_theme(name: str, background: tuple[int, int, int]) -> None:
    colours = solid_colours(words(load(BRAND / name)))
    assert colours
    assert all(contrast(colour, background) >= MIN_CONTRAST for colour in colours)


def test_light_logo_needs_a_dark_variant() -> None:
    """The light logo's lettering would vanish on a dark theme, hence dark_logo.png."""
    colours = solid_colours(words(load(BRAND / "logo.png")))
    assert any(contrast(colour, DARK) < MIN_CONTRAST for colour in colours)


# Each check fails on a bad image


def _noise(side: int) -> Image.Image:
    return Image.frombytes("RGBA", (side, side), os.urandom(side * side * 4))


BAD: list[tuple[Check, str, Callable[[], Image.Image]]] = [
    (check_mode, "icon.png", lambda: as_png(disc(256, smooth=True).convert("RGB"))),
    (check_mode, "icon.png", lambda: disc(256, smooth=True)),  # not read from a PNG
    (check_size, "icon.png", lambda: as_png(disc(255, smooth=True))),
    (check_size, "icon@2x.png", lambda: as_png(disc(256, smooth=True))),
    (check_size, "logo.png", lambda: as_png(Image.new("RGBA", (600, 100)))),
    (check_size, "logo@2x.png", lambda: as_png(Image.new("RGBA", (1200, 600)))),
    (check_size, "logo.png", lambda: as_png(Image.new("RGBA", (200, 300)))),
    (check_trimmed, "icon.png", lambda: as_png(disc(256, smooth=True, margin=10))),
    (check_trimmed, "icon.png", lambda: as_png(_faint_border(disc(256, smooth=True)))),
    (check_transparent_corners, "icon.png", lambda: as_png(Image.new("RGBA", (256, 256), WHITE))),
    (check_antialiased, "icon.png", lambda: as_png(disc(256, smooth=False))),
    (check_compressed, "icon.png", lambda: as_png(_noise(256), optimize=True)),
    (check_compressed, "icon.png", lambda: as_png(disc(256, smooth=True), compress_level=0)),
]


def _faint_border(image: Image.Image) -> Image.Image:
    """Return the image in a one-pixel frame of nearly invisible pixels."""
    framed = Image.new("RGBA", (image.width + 2, image.height + 2), (0, 0, 0, 8))
    framed.paste(image, (1, 1))
    return framed


@pytest.mark.parametrize(
    ("check", "name", "make"),
    BAD,
    ids=[f"{check.__name__}-{i}" for i, (check, _, _) in enumerate(BAD)],
)
def test_check_catches_bad_image(check: Check, name: str, make: Callable[[], Image.Image]) -> None:
    assert check(name, make()) is not None


def test_good_synthetic_image_passes_every_check() -> None:
    """The bad images fail for the reason shown, not because the checks fail everything."""
    good = as_png(disc(256, smooth=True), optimize=True)
    assert [check("icon.png", good) for check in CHECKS] == [None] * len(CHECKS)


@pytest.mark.parametrize(
    "names",
    [
        EXPECTED - {"logo@2x.png"},
        EXPECTED | {"icon@3x.png"},
        EXPECTED | {"dark_icon@2x.png"},
    ],
    ids=["missing", "unknown", "orphan-hidpi"],
)
def test_check_files_catches(names: set[str]) -> None:
    assert check_files(names) is not None
