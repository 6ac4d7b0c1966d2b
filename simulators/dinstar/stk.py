"""SIM Toolkit: GetSTKView, STKGo and GetSTKCurrFrameIndex, at the root (spec §2.8.14).

Each port walks a small operator menu; frame_id changes at every step so a client can poll it.
"""

from dataclasses import dataclass
from typing import Any

from simulators.dinstar.service import GatewayParts, GatewayService
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, check_port, parse_int

DISPLAY, DESKTOP, SELECT, YES_NO, DIGITS = 0, 1, 2, 3, 8
_WITH_ITEMS = (DESKTOP, SELECT)
_FIRST_FRAME_ID = 750


@dataclass(frozen=True)
class Frame:
    """One STK screen; items are (item_id, label, next frame)."""

    title: str
    text: str
    input_type: int
    parent: str
    items: tuple[tuple[int, str, str], ...] = ()
    # Where "ok" (or, for input frames, an answer) leads.
    next: str | None = None


MENU: dict[str, Frame] = {
    "main": Frame(
        "Services SIM",
        "",
        DESKTOP,
        "main",
        ((1, "Mon solde", "balance"), (2, "Forfaits", "bundles"), (3, "Recharger", "recharge")),
    ),
    "balance": Frame("Mon solde", "Solde: 12.50 DH", DISPLAY, "main"),
    "bundles": Frame(
        "Forfaits",
        "Choisissez un forfait",
        SELECT,
        "main",
        ((1, "Internet 1 Go", "confirm"), (2, "Appels 60 min", "confirm")),
    ),
    "confirm": Frame("Forfaits", "Confirmer l'achat ?", YES_NO, "bundles", next="done"),
    "recharge": Frame("Recharger", "Entrez le code de recharge", DIGITS, "main", next="done"),
    "done": Frame("Services SIM", "Demande prise en compte", DISPLAY, "main"),
}


class StkService(GatewayService):
    """The current frame of every port."""

    def __init__(self, parts: GatewayParts) -> None:
        """Every port starts on the main menu."""
        super().__init__(parts)
        self._next_frame_id = _FIRST_FRAME_ID
        self.current: list[tuple[str, int]] = [
            ("main", self._new_frame_id()) for _ in self._state.ports
        ]

    def _new_frame_id(self) -> int:
        self._next_frame_id += 1
        return self._next_frame_id

    def _port(self, raw: Any) -> int:
        if isinstance(raw, str):
            raw = parse_int(raw, "port")
        return check_port(raw, len(self._state.ports))

    def get_view(self, call: ApiCall) -> ApiReply:
        """Show the current frame, without envelope; `item` only on menus."""
        port = self._port(call.params().get("port"))
        key, frame_id = self.current[port]
        frame = MENU[key]
        input_type: int | str = frame.input_type
        if self._faults["stk_input_type_as_string"]:
            input_type = str(input_type)
        view: dict[str, Any] = {"title": frame.title, "text": frame.text}
        if frame.input_type in _WITH_ITEMS:
            view["item"] = [{"item_id": i, "item_string": label} for i, label, _ in frame.items]
        view.update(input_type=input_type, frame_id=frame_id)
        return ApiReply(200, view, envelope=False)

    def current_frame_index(self, call: ApiCall) -> ApiReply:
        """`{"frame_id": n}`, without envelope."""
        port = self._port(call.params().get("port"))
        return ApiReply(200, {"frame_id": self.current[port][1]}, envelope=False)

    def go(self, call: ApiCall) -> ApiReply:
        """Select an item, answer an input, or navigate (ok, cancle, home)."""
        body = call.json_object(required=True)
        port = self._port(body.get("port"))
        frame = MENU[self.current[port][0]]
        if "item" in body:
            targets = {item_id: target for item_id, _, target in frame.items}
            if frame.input_type not in _WITH_ITEMS or body["item"] not in targets:
                raise ApiError(400, "no such item")
            target = targets[body["item"]]
        elif "param" in body:
            if frame.input_type != DIGITS or not str(body["param"]).isdigit() or not frame.next:
                raise ApiError(400, "this frame takes no such input")
            target = frame.next
        else:
            target = self._navigate(frame, body.get("action"))
        self.current[port] = (target, self._new_frame_id())
        return ApiReply(200)

    def _navigate(self, frame: Frame, action: Any) -> str:
        cancels = {"cancle", "cancel"} if self._faults["stk_accept_cancel"] else {"cancle"}
        if action == "ok":
            return frame.next or frame.parent
        if action in cancels:
            return frame.parent
        if action == "home":
            return "main"
        raise ApiError(400, "unknown action")
