"""Incoming SMS: the inbox, query_incoming_sms and the `sms` push (spec §2.8.5, §3.7)."""

from simulators.dinstar.service import GatewayService
from simulators.dinstar.state import IncomingSms, gateway_time
from simulators.dinstar.wire import ApiCall, ApiError, ApiReply, parse_int, parse_port_csv

FLAGS = ("unread", "read", "all")


class InboxService(GatewayService):
    """Holds received SMS; the control API delivers them, clients read them."""

    def receive(self, port: int, sender: str, text: str, smsc: str | None = None) -> IncomingSms:
        """Store an SMS that arrived on port as unread, and push it."""
        port_state = self._state.ports[port]
        message = IncomingSms(
            incoming_sms_id=self._state.next_incoming_id,
            port=port,
            number=sender,
            smsc=port_state.smsc if smsc is None else smsc,
            timestamp=gateway_time(),
            text=text,
            imsi=port_state.imsi,
        )
        self._state.next_incoming_id += 1
        self._state.inbox.append(message)
        capacity = int(self._faults["inbox_capacity"])
        if capacity:
            del self._state.inbox[:-capacity]  # a full inbox drops its oldest messages
        include_imsi = bool(self._faults["sms_include_imsi"])
        self._pusher.push("sms", [message.as_wire(include_imsi=include_imsi)])
        return message

    def reset_ids(self) -> None:
        """Empty the inbox and start incoming_sms_id again at 1, as a factory reset does."""
        self._state.inbox.clear()
        self._state.next_incoming_id = 1

    def query_incoming_sms(self, call: ApiCall) -> ApiReply:
        """Messages after the id cursor, by flag and port; `unread` marks what it returns read."""
        params = call.params()
        cursor = parse_int(params.get("incoming_sms_id", "0"), "incoming_sms_id")
        flag = params.get("flag", "unread")
        if flag not in FLAGS:
            raise ApiError(400, "bad flag")
        ports = set(parse_port_csv(params.get("port"), len(self._state.ports)))
        selected = [
            message
            for message in self._state.inbox
            if message.incoming_sms_id > cursor
            and message.port in ports
            and (flag == "all" or message.read == (flag == "read"))
        ]
        include_imsi = bool(self._faults["sms_include_imsi"])
        rows = [message.as_wire(include_imsi=include_imsi) for message in selected]
        if flag == "unread":
            for message in selected:
                message.read = True
        read = sum(message.read for message in self._state.inbox)
        return ApiReply(200, {"sms": rows, "read": read, "unread": len(self._state.inbox) - read})
