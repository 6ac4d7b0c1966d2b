# Home Assistant 2026.x serves `import voluptuous` as probatio (homeassistant/__init__.py,
# install_as_voluptuous), and types its APIs with probatio. This stub tells mypy the same on the
# newest leg (Makefile: MYPYPATH); the floor leg type-checks against the real voluptuous.
from probatio import *  # noqa: F403
