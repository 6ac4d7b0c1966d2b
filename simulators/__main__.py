"""Entry point of `python -m simulators`."""

from simulators.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
