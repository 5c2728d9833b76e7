"""``PortalError.together`` and ``Refusals``: several refusals raised as one, each kept."""

import pytest

from ai4media_portal.core.exceptions import PortalError, Refusals


def _refuse(field):
    raise PortalError(f"{field} is wrong", field=field, code="bad")


def test_refusals_run_every_check_and_raise_them_together():
    refusals = Refusals()
    assert refusals.check(lambda: 3) == 3
    assert refusals.check(_refuse, "doi") is None
    assert refusals.check(_refuse, "licence") is None
    with pytest.raises(PortalError) as raised:
        refusals.raise_if_any()
    error = raised.value
    assert [(e.field, e.message) for e in error.errors] == [
        ("doi", "doi is wrong"),
        ("licence", "licence is wrong"),
    ]
    assert (error.field, error.message, error.code) == ("doi", "doi is wrong", "bad")


def test_nothing_refused_raises_nothing_and_nested_errors_flatten():
    Refusals().raise_if_any()
    inner = PortalError.together([PortalError("a", field="a"), PortalError("b", field="b")])
    outer = PortalError.together([inner, PortalError("c")])
    assert [e.message for e in outer.errors] == ["a", "b", "c"]
    assert PortalError("alone").errors[0].message == "alone"
