"""Domain exceptions: services raise these with a Danish message for the user."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. `field` names the form/API field at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @classmethod
    def fra_validering(cls, fejl) -> DomainError:
        """The first message of a Django ValidationError, naming its field (none for __all__)."""
        if hasattr(fejl, "message_dict"):
            felt, beskeder = next(iter(fejl.message_dict.items()))
            return cls(beskeder[0], field=None if felt == "__all__" else felt)
        return cls(fejl.messages[0])


class IkkeTilladt(DomainError):
    """The user may not do this: pages answer 404 (as if the object did not exist), the API 403 with
    the message; nothing was changed."""
