"""Form fields several flows ask alike: phone numbers, a whole number in a box, a pick list.

Built anew on each call, so a flow may put its suggested values into the schema it makes.
"""

from __future__ import annotations

from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)


def phone_numbers_field() -> TextSelector:
    """Ask for any number of phone numbers, one a line, on a phone's number pad."""
    return TextSelector(TextSelectorConfig(type=TextSelectorType.TEL, multiple=True))


def whole_number_field(bounds: tuple[int, int], unit: str) -> NumberSelector:
    """Ask for a whole number between the bounds (both included), typed in a box."""
    return NumberSelector(
        NumberSelectorConfig(
            min=bounds[0],
            max=bounds[1],
            step=1,
            mode=NumberSelectorMode.BOX,
            unit_of_measurement=unit,
        )
    )


def choice_field(choices: list[SelectOptionDict], *, multiple: bool) -> SelectSelector:
    """Ask for one or several of the choices, from a drop-down list."""
    return SelectSelector(
        SelectSelectorConfig(options=choices, multiple=multiple, mode=SelectSelectorMode.DROPDOWN)
    )


def port_field(ports: list[int], *, multiple: bool) -> SelectSelector:
    """Ask for ports by their wire number, labelled as their devices are named."""
    return choice_field(
        [SelectOptionDict(value=str(port), label=f"Port {port}") for port in ports],
        multiple=multiple,
    )
