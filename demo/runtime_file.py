"""What a running demo leaves for `python -m demo sms`: where things listen and the API token."""

from dataclasses import asdict, dataclass
import json
from pathlib import Path

from .home_assistant import DemoError


@dataclass(frozen=True, kw_only=True)
class DemoRuntime:
    """The running demo's addresses and token."""

    simulator_url: str
    smslink_url: str
    plasgate_url: str
    ha_url: str
    access_token: str

    def save(self, path: Path) -> None:
        """Write it, readable by this user only (it holds a token)."""
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        path.chmod(0o600)

    @classmethod
    def load(cls, path: Path) -> "DemoRuntime":
        """Read what the running demo wrote; DemoError when no demo ever ran here."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise DemoError("no demo is running: start it with `make demo` first") from err
        try:
            return cls(
                simulator_url=data["simulator_url"],
                smslink_url=data["smslink_url"],
                plasgate_url=data["plasgate_url"],
                ha_url=data["ha_url"],
                access_token=data["access_token"],
            )
        except KeyError as err:
            raise DemoError("the running demo is older than this command: restart it") from err
