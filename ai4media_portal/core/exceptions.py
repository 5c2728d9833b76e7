"""The one exception type that services raise when a business rule refuses an action."""


class PortalError(Exception):
    """A business rule said no.

    HTML views show ``message`` beside ``field`` (or above the form when there is no field);
    the API turns it into a 400 response in the API's error format.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
