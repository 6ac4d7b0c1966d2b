"""The `api_enabled` switch: a gateway whose API is not "New Version" still asks for a login,
then answers every /api/ path with GoAhead's HTML 404 (checked with httpx's own Digest)."""

import httpx

from tests.conftest import RunningDinstar

PORT_INFO = "/api/get_port_info?info_type=type"


async def _switch_api(raw: httpx.AsyncClient, *, enabled: bool) -> None:
    response = await raw.post("/_sim/faults", json={"api_enabled": enabled})
    assert response.status_code == 200
    assert response.json()["api_enabled"] is enabled


async def test_api_is_on_by_default(api: httpx.AsyncClient) -> None:
    response = await api.get(PORT_INFO)
    assert response.status_code == 200
    assert response.json()["error_code"] == 200


async def test_api_off_answers_html_404_after_auth(
    api: httpx.AsyncClient, raw: httpx.AsyncClient
) -> None:
    await _switch_api(raw, enabled=False)

    unauthenticated = await raw.get(PORT_INFO)
    authenticated = await api.get(PORT_INFO)
    posted = await api.post("/api/send_sms", json={"text": "hi", "param": [{"number": "123"}]})

    assert unauthenticated.status_code == 401
    for response in (authenticated, posted):
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert response.text.lstrip().startswith("<html>")


async def test_api_off_leaves_stk_paths_and_wrong_password_alone(
    api: httpx.AsyncClient, raw: httpx.AsyncClient, dinstar_simulator: RunningDinstar
) -> None:
    await _switch_api(raw, enabled=False)
    async with httpx.AsyncClient(
        base_url=dinstar_simulator.url, auth=httpx.DigestAuth("admin", "wrong"), timeout=5
    ) as wrong:
        refused = await wrong.get(PORT_INFO)
    stk = await api.get("/GetSTKCurrFrameIndex?port=0")

    assert refused.status_code == 401
    assert stk.status_code == 200
    assert "frame_id" in stk.json()


async def test_api_back_on_answers_json_again(
    api: httpx.AsyncClient, raw: httpx.AsyncClient
) -> None:
    await _switch_api(raw, enabled=False)
    await _switch_api(raw, enabled=True)

    response = await api.get(PORT_INFO)

    assert response.status_code == 200
    assert response.json()["error_code"] == 200


async def test_api_enabled_takes_only_booleans(raw: httpx.AsyncClient) -> None:
    response = await raw.post("/_sim/faults", json={"api_enabled": "no"})
    assert response.status_code == 400
