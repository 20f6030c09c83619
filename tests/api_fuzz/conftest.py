"""The API fuzzing (marker `fuzz`) runs only when asked for by name: `pytest -m fuzz` (.ci/run's step
"API fuzzing"). A plain `pytest`, `make test` and the PostgreSQL suite (`-m "not e2e and not drill"`)
leave it out, so it never runs twice nor for minutes on the embedded default. (test_fund.py, what the fuzzing
found, has no marker: it runs in every suite.)"""


def pytest_collection_modifyitems(config, items):
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    behold, fravalgt = [], []
    for item in items:
        (fravalgt if item.get_closest_marker("fuzz") else behold).append(item)
    if fravalgt:
        config.hook.pytest_deselected(items=fravalgt)
        items[:] = behold
