"""`python -m simulators`: the CLI main(), HTTPS, and serve() itself."""

import argparse
import asyncio
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

import httpx
import pytest

from simulators import __main__ as entry, cli
from simulators.cli import listen_address, main
from simulators.plasgate.simulator import PlasgateSimulator


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


@pytest.mark.parametrize("https", [False, True])
def test_plasgate_smpp_flag_starts_the_smpp_listener(socket_enabled, capsys, https):
    port, smpp_port = free_port(), free_port()
    sent: list[str] = []
    thread = stop_when_listening(smpp_port, sent)
    argv = ["plasgate", "--listen", f"127.0.0.1:{port}", "--smpp", f"127.0.0.1:{smpp_port}"]
    argv += ["--smpp-system-id", "acct", "--smpp-password", "pw"]
    assert main(argv + (["--https"] if https else [])) == 0
    thread.join()
    assert sent == ["SIGTERM"]
    scheme = "https" if https else "http"
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"plasgate simulator listening on {scheme}://127.0.0.1:{port}",
        f"plasgate SMPP listening on 127.0.0.1:{smpp_port}",
    ]


def test_plasgate_smpp_options_reach_the_settings():
    args = cli.build_parser().parse_args(
        ["plasgate", "--smpp", "127.0.0.1:2775", "--smpp-system-id", "acct"]
    )
    assert args.smpp == ("127.0.0.1", 2775)
    sim = cli.COMMANDS["plasgate"].build(args)
    assert isinstance(sim, PlasgateSimulator)
    assert (sim.settings.smpp_system_id, sim.settings.smpp_password) == ("acct", "demo")
    assert cli.build_parser().parse_args(["plasgate"]).smpp is None


async def test_plasgate_smpp_in_a_subprocess_binds_over_tls(socket_enabled):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulators", "plasgate", "--listen", "127.0.0.1:0",
        "--smpp", "127.0.0.1:0", "--https",
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), 30)
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line.startswith("plasgate SMPP listening on 127.0.0.1:")
        port = int(line.rsplit(":", 1)[-1])
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        body = b"demo\x00demo\x00\x00\x34\x00\x00\x00"
        writer.write(struct.pack(">IIII", 16 + len(body), 0x09, 0, 1) + body)
        head = await asyncio.wait_for(reader.readexactly(16), 10)
        assert struct.unpack(">IIII", head)[1:3] == (0x80000009, 0)
        writer.close()
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 10) == 0


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
