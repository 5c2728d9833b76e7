"""The one exception type that services raise when a business rule refuses an action, and
``Refusals``, which runs several checks and refuses with all that they found."""

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


class PortalError(Exception):
    """A business rule said no.

    HTML views show ``message`` beside ``field`` (or above the form when there is no field);
    the API turns it into a 400 response in the API's error format. One error may carry
    several refusals (``PortalError.together``): ``errors`` lists them, each shown beside its
    own field; ``message``, ``field`` and ``code`` are then the first one's.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self._others: list[PortalError] = []

    def __str__(self) -> str:
        return str(self.message)

    @property
    def errors(self) -> list["PortalError"]:
        """Every refusal this error carries, in the order found (itself first)."""
        return [self, *self._others]

    @classmethod
    def together(cls, errors: Iterable["PortalError"]) -> "PortalError":
        """One error carrying all of ``errors`` (at least one), flattened."""
        refusals = [refusal for error in errors for refusal in error.errors]
        first = refusals[0]
        combined = cls(first.message, field=first.field, code=first.code)
        combined._others = refusals[1:]
        return combined


class Refusals:
    """Run a service's checks one after another and keep every refusal, so that a form comes
    back once with all its errors rather than one per submission::

        refusals = Refusals()
        data = refusals.check(_clean_metadata, data)
        creators = refusals.check(_clean_creators, creators)
        refusals.raise_if_any()   # PortalError.together(...) of all that were found

    A check that refused returns ``None``; nothing may use its result before
    ``raise_if_any``.
    """

    def __init__(self) -> None:
        self.found: list[PortalError] = []

    def check(self, check: Callable[..., T], *args, **kwargs) -> T | None:
        try:
            return check(*args, **kwargs)
        except PortalError as error:
            self.found.append(error)
            return None

    def raise_if_any(self) -> None:
        """Raise ``PortalError.together`` of the refusals found, if any."""
        if self.found:
            raise PortalError.together(self.found)
