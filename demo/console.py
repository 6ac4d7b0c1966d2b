"""What the demo tells the person at the terminal (a CLI's output, not a log)."""

import sys


def say(text: str, *, error: bool = False) -> None:
    """Write one message to stdout (or stderr) at once, so it interleaves with Home Assistant's."""
    stream = sys.stderr if error else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()
