import pytest


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fault tests run last: they load the machine hard for a minute, which timing-sensitive tests (query
    budgets with timeouts, the browser tests) should not share."""
    items.sort(key=lambda item: item.get_closest_marker("faults") is not None)  # stable: the rest keep their order
