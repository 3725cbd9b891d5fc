"""The Dashboard extension's routes: manifest, token target and the packaged front end."""

from __future__ import annotations

import json

import pytest

from saleor_qb_sync import dashboard

BASE = "/plugins/global/saleor_qb_sync/app/"


@pytest.fixture
def static_root(tmp_path, monkeypatch):
    """A small stand-in for the Vite build, so these tests do not depend on it."""
    root = tmp_path / "dashboard"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>QuickBooks</title>")
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "assets" / "index-abc123.css").write_text("body{}")
    (root / "assets" / "Inter.woff2").write_bytes(b"wOF2")
    (root / "assets" / "blob.xyz").write_bytes(b"?")
    (tmp_path / "secret.txt").write_text("outside")
    monkeypatch.setattr(dashboard, "STATIC_ROOT", root)
    return root


def test_manifest_is_built_from_the_host_it_is_served_on(client, configure, settings):
    # given
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "shop.example.com"]

    # when
    response = client.get(BASE + "manifest.json", HTTP_HOST="shop.example.com")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    manifest = json.loads(response.content)
    app_url = "http://shop.example.com" + BASE
    assert manifest["id"] == "saleor-qb-sync"
    # MANAGE_PLUGINS: the app's tokens carry it only if the app has it (the Settings tab)
    assert manifest["permissions"] == ["MANAGE_ORDERS", "MANAGE_PLUGINS"]
    assert manifest["appUrl"] == app_url
    assert manifest["tokenTargetUrl"] == app_url + "register"
    assert {e["mount"] for e in manifest["extensions"]} >= {
        "NAVIGATION_ORDERS", "ORDER_DETAILS_MORE_ACTIONS"}


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:9999"])
def test_manifest_follows_another_host(client, configure, host):
    # when
    manifest = client.get(BASE + "manifest.json", HTTP_HOST=host).json()

    # then
    assert manifest["appUrl"] == f"http://{host}{BASE}"
    popup = next(e for e in manifest["extensions"] if e["mount"] == "ORDER_DETAILS_MORE_ACTIONS")
    assert popup["url"] == f"http://{host}{BASE}?view=order"


def test_manifest_uses_saleors_public_url_when_set(client, configure, settings):
    # given: Saleor behind a proxy, or Saleor 3.22's HTTP client sending Host without the port
    settings.PUBLIC_URL = "https://shop.example.com/"

    # when
    manifest = client.get(BASE + "manifest.json", HTTP_HOST="127.0.0.1").json()

    # then
    assert manifest["appUrl"] == "https://shop.example.com" + BASE
    assert manifest["tokenTargetUrl"] == "https://shop.example.com" + BASE + "register"
    popup = next(e for e in manifest["extensions"] if e["mount"] == "ORDER_DETAILS_MORE_ACTIONS")
    assert popup["url"] == "https://shop.example.com" + BASE + "?view=order"


def test_manifest_extensions_are_valid_for_the_dashboard(client, configure):
    # given
    manifest = client.get(BASE + "manifest.json").json()

    # then: every extension asks for a permission the app has, APP_PAGE URLs are relative,
    # absolute URLs fit Saleor's AppExtension.url (200 characters)
    for extension in manifest["extensions"]:
        assert set(extension["permissions"]) <= set(manifest["permissions"])
        assert extension["target"] in ("POPUP", "APP_PAGE")
        if extension["target"] == "APP_PAGE":
            assert extension["url"].startswith("/")
        assert len(extension["url"]) <= 200
    assert manifest["appUrl"].endswith("/")
    assert manifest["version"]


def test_manifest_refuses_post(client, configure):
    response = client.post(BASE + "manifest.json")

    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_register_accepts_and_discards_the_token(client, configure):
    # when
    response = client.post(BASE + "register", data=json.dumps({"auth_token": "secret-token"}),
                           content_type="application/json",
                           HTTP_SALEOR_API_URL="https://shop.example.com/graphql/")

    # then
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert b"secret-token" not in response.content


def test_register_needs_post(client, configure):
    response = client.get(BASE + "register")

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_app_root_serves_index_html(client, configure, static_root):
    # when
    response = client.get(BASE)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b"<title>QuickBooks</title>" in response.content


def test_app_without_trailing_slash_serves_index_html(client, configure, static_root):
    response = client.get(BASE.rstrip("/"))

    assert response.status_code == 200
    assert b"QuickBooks" in response.content


# The real Dashboard builds the iframe URL with url-join 4, which drops the "/" before "?".
@pytest.mark.parametrize(("url", "base_href", "document_url"), [
    (BASE.rstrip("/") + "?domain=shop&saleorApiUrl=x&id=QXBwOjE%3D&theme=light",
     "app/", "http://shop" + BASE.rstrip("/")),
    (BASE + "?domain=shop&id=QXBwOjE%3D", "./", "http://shop" + BASE),
    (BASE.rstrip("/") + "?view=order&domain=shop&orderId=T3JkZXI6MQ%3D%3D", "app/",
     "http://shop" + BASE.rstrip("/")),
    (BASE + "index.html?theme=dark", "./", "http://shop" + BASE + "index.html"),
])
def test_index_html_assets_resolve_inside_the_app_folder_from_any_mount_url(
        client, configure, static_root, url, base_href, document_url):
    # given: a build whose index.html links its assets relatively, as Vite's base "./" does
    (static_root / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js">'
        "</script></head><body></body></html>")

    # when
    response = client.get(url)

    # then: the base comes before the first relative URL, and resolves to the app's folder
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'<base href="{base_href}" />') < html.index("./assets/")
    from urllib.parse import urljoin
    assert urljoin(urljoin(document_url, base_href), "./assets/index-abc123.js") == (
        "http://shop" + BASE + "assets/index-abc123.js")


def test_app_root_with_the_order_view_query_serves_index_html(client, configure, static_root):
    response = client.get(BASE + "?view=order&orderId=T3JkZXI6MQ%3D%3D&theme=dark")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(("name", "expected_type"), [
    ("assets/index-abc123.js", "text/javascript; charset=utf-8"),
    ("assets/index-abc123.css", "text/css; charset=utf-8"),
    ("assets/Inter.woff2", "font/woff2"),
    ("assets/blob.xyz", "application/octet-stream"),
])
def test_assets_have_exact_content_types_and_long_caching(client, configure, static_root, name,
                                                           expected_type):
    # when
    response = client.get(BASE + name)

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == expected_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert response.content == (static_root / name).read_bytes()


@pytest.mark.parametrize("path", [
    "assets/missing.js",
    "assets",
    "assets/",
    "../secret.txt",
    "assets/../../secret.txt",
    "assets/%2e%2e/%2e%2e/secret.txt",
    "..%2fsecret.txt",
    "assets\\..\\..\\secret.txt",
    "%2fetc/passwd",
    "./index.html",
])
def test_paths_outside_the_build_or_missing_are_404(client, configure, static_root, path):
    # when
    response = client.get(BASE + path)

    # then
    assert response.status_code == 404
    assert b"outside" not in response.content


def test_links_out_of_the_build_are_refused(client, configure, static_root):
    # given
    (static_root / "assets" / "link.txt").symlink_to(static_root.parent / "secret.txt")

    # when
    response = client.get(BASE + "assets/link.txt")

    # then
    assert response.status_code == 404


def test_static_files_refuse_post(client, configure, static_root):
    response = client.post(BASE + "assets/index-abc123.js")

    assert response.status_code == 405


@pytest.mark.parametrize("subpath", ["..", "a/../b", "/etc/passwd", "a\x00b", "", "~root"])
def test_resolve_static_refuses_unsafe_paths(static_root, subpath):
    assert dashboard.resolve_static(subpath, static_root) is None


def test_the_packaged_build_has_an_index_and_its_assets():
    # the committed Vite build (dashboard-extension/ → static/dashboard/) ships in the package
    index = dashboard.STATIC_ROOT / "index.html"
    if not index.exists():
        pytest.fail("saleor_qb_sync/static/dashboard/index.html is missing: run "
                    "`npm ci && npm run build` in dashboard-extension/")
    html = index.read_text()
    assert 'src="./assets/' in html
    for ref in html.split('"'):
        if ref.startswith("./assets/"):
            assert (dashboard.STATIC_ROOT / ref[2:]).is_file(), ref
