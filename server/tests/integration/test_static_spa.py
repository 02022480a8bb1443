"""12. Serving the built SPA (ESSAIM_WEB_DIR): caching, history fallback, path traversal."""

import tempfile
from pathlib import Path

import pytest

from conftest import EssaimFactory, raw_request

INDEX = "<!doctype html><html lang=\"fr\"><title>essaim</title><div id=\"root\"></div></html>\n"
APP_JS = "console.log('essaim');\n"
SECRET = "TOP-SECRET-must-never-be-served-0f9e8d"


@pytest.fixture(scope="module")
def spa():
    """A server whose web dir holds index.html and assets/app-1a2b3c.js, with secret.txt
    next to (not inside) the web dir."""
    root = Path(tempfile.mkdtemp(prefix="essaim-web-"))
    web = root / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text(INDEX)
    (web / "assets" / "app-1a2b3c.js").write_text(APP_JS)
    (web / "robots.txt").write_text("User-agent: *\n")
    (root / "secret.txt").write_text(SECRET)
    (root / "assets").mkdir()
    (root / "assets" / "secret.txt").write_text(SECRET)
    f = EssaimFactory()
    try:
        srv = f.start(web_dir=web)
        srv.web_root = root
        yield srv
    finally:
        f.close()
        import shutil
        shutil.rmtree(root, ignore_errors=True)


def test_index_with_no_cache_and_etag(spa):
    res = raw_request(spa.port, "GET", "/")
    assert res.status == 200, res
    assert res.text == INDEX
    assert "text/html" in res.header("Content-Type")
    assert res.header("Cache-Control") == "no-cache"
    etag = res.header("ETag")
    assert etag and etag.startswith('"') and etag.endswith('"'), res.headers

    res304 = raw_request(spa.port, "GET", "/", headers={"If-None-Match": etag})
    assert res304.status == 304, res304
    assert res304.body == b""
    assert res304.header("ETag") == etag

    other = raw_request(spa.port, "GET", "/", headers={"If-None-Match": '"something-else"'})
    assert other.status == 200 and other.text == INDEX


@pytest.mark.parametrize("path", ["/compte", "/torrents/abc", "/admin/utilisateurs?page=2",
                                  "/index.html"])
def test_history_fallback_serves_index(spa, path):
    res = raw_request(spa.port, "GET", path)
    assert res.status == 200, res
    assert res.text == INDEX
    assert res.header("Cache-Control") == "no-cache"
    etag = res.header("ETag")
    assert etag
    assert raw_request(spa.port, "GET", path, headers={"If-None-Match": etag}).status == 304


def test_hashed_asset_is_immutable(spa):
    res = raw_request(spa.port, "GET", "/assets/app-1a2b3c.js")
    assert res.status == 200, res
    assert res.text == APP_JS
    cc = res.header("Cache-Control")
    assert "immutable" in cc and "max-age=31536000" in cc, cc
    ct = res.header("Content-Type")
    assert "javascript" in ct, ct
    assert res.header("X-Content-Type-Options") == "nosniff"
    etag = res.header("ETag")
    assert raw_request(spa.port, "GET", "/assets/app-1a2b3c.js",
                       headers={"If-None-Match": etag}).status == 304


def test_head_on_asset(spa):
    res = raw_request(spa.port, "HEAD", "/assets/app-1a2b3c.js")
    assert res.status == 200
    assert res.body == b""


def test_missing_asset_is_404_not_index(spa):
    res = raw_request(spa.port, "GET", "/assets/nope.js")
    assert res.status == 404, res
    assert INDEX not in res.text
    assert "html" not in (res.header("Content-Type") or "")


def test_other_static_file(spa):
    res = raw_request(spa.port, "GET", "/robots.txt")
    assert res.status == 200
    assert res.text == "User-agent: *\n"
    assert res.header("Cache-Control") == "no-cache"


def test_security_headers_on_spa(spa):
    for path in ("/", "/compte", "/assets/app-1a2b3c.js", "/assets/nope.js"):
        res = raw_request(spa.port, "GET", path)
        assert "frame-ancestors 'none'" in res.header("Content-Security-Policy"), path
        assert res.header("X-Content-Type-Options") == "nosniff", path
        assert res.header("Referrer-Policy"), path
        assert res.header("X-Request-Id"), path


@pytest.mark.parametrize("path", [
    "/..%2f..%2fetc/passwd",
    "/..%2fsecret.txt",
    "/%2e%2e/secret",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/../secret.txt",
    "/assets/../../secret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/assets/..%5c..%5csecret.txt",
    "/%2e%2e%2fassets/secret.txt",
    "/secret.txt%00.js",
    "/..;/secret.txt",
    "//etc/passwd",
])
def test_path_traversal_never_leaves_the_web_dir(spa, path):
    res = raw_request(spa.port, "GET", path)
    assert SECRET not in res.text, f"{path} leaked a file outside the web dir"
    assert "root:" not in res.text, f"{path} served /etc/passwd"
    # Either refused outright, or treated as a client route (index.html) — never another file.
    assert res.status in (400, 404) or (res.status == 200 and res.text == INDEX), (path, res)


@pytest.mark.parametrize("path", ["/..%2f..%2fetc/passwd", "/%2e%2e/secret"])
def test_traversal_attempts_are_refused(spa, path):
    res = raw_request(spa.port, "GET", path)
    assert res.status in (400, 404), res


def test_symlink_out_of_the_web_dir_is_not_followed(spa):
    link = Path(spa.env["ESSAIM_WEB_DIR"]) / "assets" / "link.js"
    link.symlink_to(spa.web_root / "secret.txt")
    res = raw_request(spa.port, "GET", "/assets/link.js")
    assert SECRET not in res.text
    assert res.status == 404, res


def test_bad_percent_encoding_outside_api(spa):
    res = raw_request(spa.port, "GET", "/%zz")
    assert res.status == 400, res


def test_post_to_a_page_is_405(spa):
    res = raw_request(spa.port, "POST", "/compte", body=b"x", headers={"Content-Type": "text/plain"})
    assert res.status == 405, res
    assert "GET" in (res.header("Allow") or "")


def test_api_still_answers_json(spa):
    res = raw_request(spa.port, "GET", "/api/nope")
    assert res.status == 404
    assert res.json["error"]["code"] == "not_found"
    assert INDEX not in res.text
