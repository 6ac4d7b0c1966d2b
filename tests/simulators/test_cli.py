"""`python -m simulators`: the CLI main(), HTTPS, and serve() itself."""

import argparse
import asyncio
import os
import signal
import socket
import sys
import threading
import time

import httpx
import pytest

from simulators import __main__ as entry, cli
from simulators.cli import listen_address, main


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_when_listening(port: int, sent: list[str]) -> threading.Thread:
    """Send SIGTERM to ourselves once the server accepts connections (signal handlers are set)."""

    def watch() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        sent.append("SIGTERM")
        os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("https", [False, True])
def test_main_serves_until_sigterm(socket_enabled, capsys, https):
    port = free_port()
    sent: list[str] = []
    thread = stop_when_listening(port, sent)
    argv = ["dinstar", "--ports", "4", "--listen", f"127.0.0.1:{port}", "--sn", "ab-cd"]
    assert main(argv + (["--https"] if https else [])) == 0
    thread.join()
    assert sent == ["SIGTERM"]
    scheme = "https" if https else "http"
    assert f"dinstar simulator listening on {scheme}://127.0.0.1:{port}" in capsys.readouterr().out


def test_main_reports_a_port_in_use(socket_enabled, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dinstar", "--listen", f"127.0.0.1:{port}"]) == 1
    assert "cannot listen" in capsys.readouterr().err


def test_listen_address_parsing():
    assert listen_address("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert listen_address("[::1]:0") == ("::1", 0)
    for bad in ("8080", ":80", "host:", "host:99999", "host:x"):
        with pytest.raises(argparse.ArgumentTypeError):
            listen_address(bad)
    with pytest.raises(SystemExit):
        main(["dinstar", "--ports", "5"])
    with pytest.raises(SystemExit):
        main([])


def test_command_table_builds_a_dinstar_app():
    args = cli.build_parser().parse_args(["dinstar", "--push-url", "http://127.0.0.1:1/x"])
    assert args.listen == ("127.0.0.1", 8080)
    assert cli.COMMANDS["dinstar"].build_app(args) is not None
    assert entry.main is main


async def test_python_dash_m_runs_in_a_subprocess(socket_enabled):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulators", "dinstar", "--listen", "127.0.0.1:0",
        "--username", "u", "--password", "p",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        url = line.rsplit(" ", 1)[-1].strip()
        async with httpx.AsyncClient(base_url=url, auth=httpx.DigestAuth("u", "p")) as client:
            response = await client.get("/api/query_sms_in_queue")
        assert response.json()["in_queue"] == 0
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0
