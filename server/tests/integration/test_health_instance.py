"""1. GET /api/health and GET /api/instance (public, no session)."""

from conftest import raw_request


def test_health_reports_ok_and_unconfigured_qbittorrent(shared_server):
    res = shared_server.health()
    assert res.status == 200
    assert "application/json" in (res.header("Content-Type") or "")
    body = res.json
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # ESSAIM_QBT_MANAGED=0 and no ESSAIM_QBT_URL: nothing to talk to.
    assert body["qbittorrent"] == "unconfigured"
    assert isinstance(body.get("version"), str) and body["version"]


def test_health_head_has_no_body(shared_server):
    res = raw_request(shared_server.port, "HEAD", "/api/health")
    assert res.status == 200
    assert res.body == b""


def test_instance_is_public_and_open_by_default(shared_server):
    res = shared_server.request("GET", "/api/instance")
    assert res.status == 200
    body = res.json
    assert body["registration_open"] is True
    assert isinstance(body["site_name"], str) and body["site_name"]
    assert body["site_name"] == "essaim"
    assert isinstance(body.get("version"), str)
