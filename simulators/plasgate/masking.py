"""`#ma#...#ma#` masking (spec §2.3): the handset gets the text, the report gets asterisks."""

from typing import Final

MARKER: Final = "#ma#"
FIXED_MASK: Final = "***"


def delivered_text(content: str) -> str:
    """Return what the handset receives: the content with every marker removed."""
    return content.replace(MARKER, "")


def report_text(content: str, style: str) -> str:
    """Return the report's text: each closed masked region as `***` or one star per character.

    An unpaired trailing marker masks nothing; it is only removed.
    """
    parts = content.split(MARKER)
    shown: list[str] = []
    for index, part in enumerate(parts):
        masked = index % 2 == 1 and index < len(parts) - 1
        if not masked:
            shown.append(part)
        elif style == "length":
            shown.append("*" * len(part))
        else:
            shown.append(FIXED_MASK)
    return "".join(shown)
