"""get_port_info and set_port_info (spec §2.8.9-2.8.11, §2.9, §3.4) and port control."""

from typing import Any

import httpx
import pytest

from simulators.dinstar.simulator import DinstarSettings, DinstarSimulator
from simulators.dinstar.state import REGISTER_OK, luhn_digit
from tests.simulators.conftest import wait_until

ALL_INFO = (
    "type,imei,imsi,iccid,number,reg,slot,callstate,signal,gprs,remain_credit,"
    "remain_monthly_credit,remain_daily_credit,remain_daily_calltime,remain_hourly_calltime,"
    "remain_daily_connect"
)


async def port_info(api: httpx.AsyncClient, **params: Any) -> Any:
    body = (await api.get("/api/get_port_info", params=params)).json()
    assert body["error_code"] == 200, body
    return body["info"]


async def set_port(api: httpx.AsyncClient, **params: Any) -> int:
    return int((await api.get("/api/set_port_info", params=params)).json()["error_code"])


async def test_all_info_types_for_all_ports(api, sim):
    info = await port_info(api, info_type=ALL_INFO)
    assert [row["port"] for row in info] == list(range(8))
    row = info[0]
    assert set(row) == {
        "port", "type", "imei", "imsi", "iccid", "number", "reg", "slot", "callstate", "signal",
        "gprs", "remain_credit", "remain_monthly_credit", "remain_daily_credit",
        "remain_daily_call_time", "remain_hourly_call_time", "remain_daily_connected",
    }  # fmt: skip
    assert row["slot"] == 255
    assert row["callstate"] == "Idle"
    assert all(isinstance(row[key], str) for key in row if key.startswith("remain_"))
    regs = [r["reg"] for r in info]
    assert regs.count(REGISTER_OK) == 6
    assert regs[6:] == ["UNREGISTER", "NO_SIM"]
    signals = [r["signal"] for r in info if r["reg"] == REGISTER_OK]
    assert all(0 <= s <= 31 for s in signals)
    assert len(set(signals)) > 3
    assert {r["gprs"] for r in info} <= {"attached", "detached"}
    assert info[7]["imsi"] == ""
    assert luhn_digit(row["imei"][:14]) == row["imei"][14]


def test_ports_are_deterministic_per_seed_and_sizes_are_checked():
    def layout(seed: int) -> list[dict[str, Any]]:
        return [p.snapshot() for p in DinstarSimulator(DinstarSettings(seed=seed)).ports]

    assert layout(1) == layout(1)
    assert layout(1) != layout(2)
    for ports, regs in ((4, 3), (16, 12), (32, 24)):
        sim = DinstarSimulator(DinstarSettings(ports=ports))
        assert sum(p.registered for p in sim.ports) == regs
    for bad in ({"ports": 5}, {"failure_rate": 2.0}, {"queue_capacity": 0}):
        with pytest.raises(ValueError):
            DinstarSettings(**bad)


async def test_only_requested_keys_and_unknown_types_ignored(api):
    info = await port_info(api, port="1,3", info_type="imei, reg,bogus,remain_daily_credit:,smsc")
    assert [set(row) for row in info] == [{"port", "imei", "reg"}] * 2
    assert [row["port"] for row in info] == [1, 3]


async def test_bad_port_or_missing_info_type_answers_400(api):
    for params in ({"info_type": "imei", "port": "8"}, {"info_type": "imei", "port": "a"}, {}):
        response = await api.get("/api/get_port_info", params=params)
        assert response.json()["error_code"] == 400, params


async def test_value_switches(api, raw):
    await raw.post(
        "/_sim/faults",
        json={
            "remain_key_style": "request",
            "signal_unknown_99": True,
            "gprs_values": ["ATTACHED", "DETACHED"],
            "port_info_smsc": True,
            "callforward_key": "CallForward",
        },
    )
    info = await port_info(
        api, info_type="signal,gprs,remain_daily_calltime,remain_daily_connect,smsc,CallForward"
    )
    assert info[0]["remain_daily_calltime"] is not None
    assert "remain_daily_connect" in info[0]
    assert [row["signal"] for row in info[6:]] == [99, 99]
    assert info[0]["signal"] != 99
    assert info[7]["gprs"] == "DETACHED"
    assert {row["gprs"] for row in info} <= {"ATTACHED", "DETACHED"}
    assert info[0]["smsc"].startswith("+212")
    assert info[0]["CallForward"] == {}


async def test_call_forward_set_check_read_cancel(api):
    assert (
        await set_port(api, port=1, action="CallForward", param="Unconditional", number="0611")
        == 200
    )
    assert await set_port(api, port=1, action="CallForward", param="Busy", number="0622") == 200
    assert await set_port(api, port=1, action="CheckCallForward") == 200
    (row,) = await port_info(api, port="1", info_type="CallForward")
    assert row == {"port": 1, "CallForwarding": {"Unconditional": "0611", "Busy": "0622"}}
    assert await set_port(api, port=1, action="CallForward", param="CancelAll") == 200
    assert (await port_info(api, port="1", info_type="CallForward"))[0]["CallForwarding"] == {}
    assert await set_port(api, port=1, action="CallForward", param="Busy") == 400
    assert (
        await set_port(api, port=1, action="CallForward", param="Uncondational", number="1") == 400
    )


async def test_simple_actions_and_their_validation(api, sim):
    assert await set_port(api, port=2, action="imei", param="863070017005173") == 200
    assert sim.ports[2].imei == "863070017005173"
    assert await set_port(api, port=2, action="imei", param="12ab") == 400
    assert await set_port(api, port=2, action="number", param="+212612345678") == 200
    assert sim.ports[2].number == "+212612345678"
    assert await set_port(api, port=2, action="number", param="1" * 25) == 400
    assert await set_port(api, port=2, action="number") == 400
    assert await set_port(api, port=2, action="lock", param="1234") == 200
    assert sim.ports[2].pin_locked
    assert await set_port(api, port=2, action="unlock", param="1234") == 200
    assert not sim.ports[2].pin_locked
    assert await set_port(api, port=2, action="lock", param="12") == 400
    assert await set_port(api, port=2, action="block") == 200
    assert sim.ports[2].blocked
    assert await set_port(api, port=2, action="unblock") == 200
    assert not sim.ports[2].blocked
    assert await set_port(api, port=2, action="fly") == 400
    assert await set_port(api, port=8, action="reset") == 400
    assert await set_port(api, action="reset") == 400
    assert await set_port(api, port=2, action="slot", param="1") == 400  # single-SIM gateway


async def test_power_off_and_on_push_register_down_and_up(api, receiver, sim):
    assert await set_port(api, port=0, action="power", param="off") == 200
    assert sim.ports[0].reg == "POWER_OFF"
    (down,) = await receiver.wait_for("register")
    port = sim.ports[0]
    assert down == [
        {
            "port": 0,
            "iccid": "<NULL>",
            "imsi": "<NULL>",
            "number": port.number,
            "status": "down",
            "sequence": 1,
        }
    ]
    assert await set_port(api, port=0, action="power", param="off") == 200
    assert await set_port(api, port=0, action="reset") == 200
    assert sim.ports[0].reg == "POWER_OFF"
    assert await set_port(api, port=0, action="power", param="on") == 200
    assert sim.ports[0].reg == "SEARCHING_NETWORK"
    _, up = await receiver.wait_for("register", 2)
    assert up == [
        {
            "port": 0,
            "iccid": port.iccid,
            "imsi": port.imsi,
            "number": port.number,
            "status": "up",
            "sequence": 2,
        }
    ]
    assert sim.ports[0].reg == REGISTER_OK
    assert await set_port(api, port=0, action="power", param="on") == 200
    assert await set_port(api, port=0, action="power", param="maybe") == 400
    assert len(receiver.of("register")) == 2


@pytest.mark.parametrize("extra", [{}, {"param": "1"}])
async def test_reset_with_or_without_param_re_registers(api, receiver, sim, extra):
    assert await set_port(api, port=1, action="reset", **extra) == 200
    await receiver.wait_for("register", 2)
    assert [event[0]["status"] for event in receiver.of("register")] == ["down", "up"]
    assert sim.ports[1].reg == REGISTER_OK


async def test_reset_of_a_port_without_sim_comes_back_without_sim(api, sim):
    assert await set_port(api, port=7, action="reset") == 200
    await wait_until(lambda: sim.ports[7].reg == "NO_SIM")


async def test_power_off_during_registration_wins(api, sim):
    sim.settings.register_delay = 0.2
    assert await set_port(api, port=1, action="reset") == 200
    assert await set_port(api, port=1, action="power", param="off") == 200
    await wait_until(lambda: len(sim.tasks) == 0)
    assert sim.ports[1].reg == "POWER_OFF"


class TestMultiSim:
    @pytest.fixture
    def dinstar_settings(self):
        return DinstarSettings(register_delay=0.05, multi_sim=True)

    async def test_slot_selection_and_register_slot(self, api, receiver):
        assert (await port_info(api, port="0", info_type="slot"))[0]["slot"] == 0
        assert await set_port(api, port=0, action="slot", param="2") == 200
        await receiver.wait_for("register", 2)
        assert [event[0]["slot"] for event in receiver.of("register")] == [2, 2]
        assert (await port_info(api, port="0", info_type="slot"))[0]["slot"] == 2
        assert await set_port(api, port=0, action="slot", param="4") == 400


async def test_control_port_changes_push_register(raw, receiver, sim):
    response = await raw.post("/_sim/ports/3", json={"reg": "UNREGISTER", "signal": 3})
    assert response.status_code == 200
    assert response.json()["reg"] == "UNREGISTER"
    await raw.post("/_sim/ports/3", json={"reg": "UNREGISTER"})
    await raw.post("/_sim/ports/3", json={"reg": REGISTER_OK, "remain": {"remain_credit": "9"}})
    await receiver.wait_for("register", 2)
    assert [event[0]["status"] for event in receiver.of("register")] == ["down", "up"]
    assert sim.ports[3].remain["remain_credit"] == "9"
    assert sim.ports[3].remain["remain_daily_credit"] is not None
    await raw.post("/_sim/ports/3", json={"call_forward": {"Busy": "1"}, "gprs": False})
    assert sim.ports[3].call_forward == {"Busy": "1"}


async def test_control_refuses_bad_port_changes(raw):
    for index, body in (
        ("9", {"reg": REGISTER_OK}),
        ("x", {"reg": REGISTER_OK}),
        ("0", {"reg": "ONLINE"}),
        ("0", {"signal": 32}),
        ("0", {"signal": True}),
        ("0", {"colour": "red"}),
        ("0", {"remain": {"remain_daily_call_time": "1"}}),
    ):
        response = await raw.post(f"/_sim/ports/{index}", json=body)
        assert response.status_code == 400, body
