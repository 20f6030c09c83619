"""Domain exceptions: services raise these with a Danish message for the user."""


class DomainError(Exception):
    """A refused action. `field` names the form/API field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
