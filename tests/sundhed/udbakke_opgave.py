"""A refresh task that no other module imports (tests/sundhed/test_udbakke.py): the outbox must find a
refresh by its dotted path, as a web process in eager mode has imported only some task modules."""

KALD: list[tuple] = []


def opfrisk(*args) -> None:
    KALD.append(args)
