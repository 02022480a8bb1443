"""Concurrent requests: registrations in parallel, and a race on one user name."""

import concurrent.futures as cf

import pytest

from conftest import GOOD_PASSWORD, Browser, assert_error, unique_name


@pytest.mark.timeout(60)
def test_parallel_registrations(server):
    names = [unique_name() for _ in range(16)]
    with cf.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda n: Browser(server).register(n, GOOD_PASSWORD), names))
    assert [r.status for r in results] == [201] * 16, results
    ids = {r.json["id"] for r in results}
    assert len(ids) == 16
    assert server.health().status == 200


@pytest.mark.timeout(60)
def test_race_on_one_user_name(server):
    name = unique_name()
    with cf.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: Browser(server).register(
            name.upper() if i % 2 else name, GOOD_PASSWORD), range(8)))
    statuses = sorted(r.status for r in results)
    assert statuses == [201] + [409] * 7, results
    for r in results:
        if r.status == 409:
            assert_error(r, 409, "username_taken")


@pytest.mark.timeout(60)
def test_many_parallel_reads(server):
    b = Browser(server)
    assert b.register(unique_name(), GOOD_PASSWORD).status == 201
    with cf.ThreadPoolExecutor(32) as pool:
        results = list(pool.map(lambda _: b.me(), range(200)))
    assert all(r.status == 200 for r in results)
