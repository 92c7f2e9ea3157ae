"""Faults on demand: the network, gateway and data problems TWS users meet."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

# IB's texts for the system messages a test can inject
SYSTEM_MESSAGES = {
    1100: "Connectivity between IB and Trader Workstation has been lost.",
    1101: "Connectivity between IB and Trader Workstation has been restored - data lost.",
    1102: "Connectivity between IB and Trader Workstation has been restored - data maintained.",
    2103: "Market data farm connection is broken:usfarm",
    2104: "Market data farm connection is OK:usfarm",
    2105: "HMDS data farm connection is broken:ushmds",
    2106: "HMDS data farm connection is OK:ushmds",
    2107: "HMDS data farm connection is inactive but should be available upon demand.ushmds",
    2108: "Market data farm connection is inactive but should be available upon demand.usfarm",
    2158: "Sec-def data farm connection is OK:secdefil",
    10225: "Bust event occurred, current subscription is deactivated. Please resubscribe real-time bars immediately.",
}

# 1300, as IB documents it; the gateway then drops the connection
PORT_RESET = ("TWS socket port has been reset and this connection is being dropped. "
              "Please reconnect on the new port - {port}")


@dataclass
class FailRule:
    """Answer the next ``count`` requests with message id ``msg_id`` by an error."""
    msg_id: int
    code: int
    text: str
    count: int = 1


@dataclass
class FaultState:
    """Switches the gateway consults while it serves requests."""
    latency: float = 0.0                  # real seconds added before every answer
    withhold: set = field(default_factory=set)       # outgoing message ids never sent
    fail: list = field(default_factory=list)         # FailRule
    max_msg_rate: int = 0                 # >0: disconnect a client sending faster (msgs/s)
    order_event_delay: float = 0.0        # real seconds before order events go out
    duplicate_order_events: bool = False
    stall_handshake: bool = False         # accept connections but never answer
    connectivity_lost: bool = False       # between 1100 and 1101/1102: no live data
    unsubscribed: set = field(default_factory=set)  # conIds without a market data subscription
    inactive_orders: int = 0              # the next N orders go Inactive (e.g. the exchange refused them)

    def take_inactive(self) -> bool:
        if self.inactive_orders > 0:
            self.inactive_orders -= 1
            return True
        return False

    def take_failure(self, msg_id: int) -> FailRule | None:
        for rule in self.fail:
            if rule.msg_id == msg_id and rule.count > 0:
                rule.count -= 1
                return rule
        return None


@dataclass
class ScenarioStep:
    after: float          # real seconds after the gateway started
    action: str           # a method name of the test API (IBSim), e.g. "drop_clients"
    args: dict


def load_scenario(path: str | Path) -> list[ScenarioStep]:
    """A JSON list like ``[{"after": 5, "action": "send_error", "code": 1100}]``."""
    steps = []
    for item in json.loads(Path(path).read_text()):
        item = dict(item)
        steps.append(ScenarioStep(float(item.pop("after", 0)), item.pop("action"), item))
    return sorted(steps, key=lambda s: s.after)
