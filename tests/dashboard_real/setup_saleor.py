"""Make a running Saleor ready for the real-Dashboard test: plugin active and configured, our
app installed from its manifest, no pending QuickBooks operations left from earlier runs.

    python setup_saleor.py --saleor-src <checkout> --api-url http://127.0.0.1:9324/graphql/ \
        --email admin@example.com --password admin

Everything goes through Saleor's public interfaces: ``tokenCreate``, ``pluginUpdate``,
``manage.py install_app <manifest URL> --activate``, ``apps``/``appDelete``, and our own GraphQL
route for the pending operations. Prints one line per step; the last line is a JSON object for
``run.mjs`` (the app's ID and URLs). Exits non-zero on the first failure. Standard library only
(it runs ``manage.py`` with the checkout's ``.venv`` and the environment it was given).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PLUGIN_ID = "saleor_qb_sync"
APP_IDENTIFIER = "saleor-qb-sync"
ROUTE = "/plugins/global/saleor_qb_sync/"
QBWC_USER = "quickbooks"
QBWC_PASSWORD = "real-dashboard-password"  # noqa: S105 - a test lab's Web Connector password
CONFIGURATION = {
    "web_connector_username": QBWC_USER,
    "web_connector_password": QBWC_PASSWORD,
    "export_mode": "on_demand",
    "company_currency": "USD",
    # populatedb's second channel is in PLN: converted for the USD company
    "exchange_rates": "PLN=0.25, EUR=1.08",
    "orders_per_request": "10",
    "time_zone": "UTC",
    # what run.mjs's expected preview counts assume, whatever an earlier user of the lab set
    "channels": "",
    "eligible_statuses": "unfulfilled,partially fulfilled,fulfilled",
    "export_start_date": "",
}


def say(message: str) -> None:
    print(f"[setup] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[setup] FAIL {message}", flush=True)
    sys.exit(1)


def post_json(url: str, body: dict, headers: dict | None = None, timeout: float = 60) -> dict:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={  # noqa: S310
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - lab URL
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return {"errors": [{"message": f"HTTP {exc.code}: {exc.read()[:500]!r}"}]}


class Saleor:
    def __init__(self, api_url: str):
        self.api_url = api_url
        self.token = ""

    def gql(self, query: str, variables: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = post_json(self.api_url, {"query": query, "variables": variables or {}}, headers)
        if answer.get("errors"):
            fail(f"GraphQL errors: {json.dumps(answer['errors'])[:800]}")
        return answer["data"]


def wait_for(url: str, timeout: float = 180) -> None:
    until = time.monotonic() + timeout
    last = ""
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError as exc:
            last = str(exc)
        time.sleep(1)
    fail(f"{url} did not answer within {timeout:.0f} s ({last})")


def log_in(saleor: Saleor, email: str, password: str) -> None:
    data = saleor.gql("""mutation($email: String!, $password: String!) {
        tokenCreate(email: $email, password: $password) {
          token errors { field code message }
          user { email isStaff }
        }}""", {"email": email, "password": password})["tokenCreate"]
    if data["errors"] or not data["token"]:
        fail(f"tokenCreate({email}) failed: {data['errors']} "
             "(did populatedb --createsuperuser run?)")
    saleor.token = data["token"]
    say(f"ok   logged in to Saleor as {data['user']['email']} (staff: {data['user']['isStaff']})")


def activate_plugin(saleor: Saleor) -> None:
    data = saleor.gql("""mutation($id: ID!, $input: PluginUpdateInput!) {
        pluginUpdate(id: $id, input: $input) {
          errors { field code message }
          plugin { id name globalConfiguration { active configuration { name value } } }
        }}""", {"id": PLUGIN_ID, "input": {
        "active": True,
        "configuration": [{"name": k, "value": v} for k, v in CONFIGURATION.items()]}})
    result = data["pluginUpdate"]
    if result["errors"]:
        fail(f"pluginUpdate refused: {result['errors']}")
    config = result["plugin"]["globalConfiguration"]
    values = {item["name"]: item["value"] for item in config["configuration"]}
    if not config["active"] or values.get("web_connector_username") != QBWC_USER:
        fail(f"pluginUpdate did not activate/configure {PLUGIN_ID}: {config}")
    if values.get("web_connector_password") in (QBWC_PASSWORD,):
        fail("the Web Connector password came back in clear text")
    say(f"ok   pluginUpdate activated {result['plugin']['name']} ({PLUGIN_ID}), export mode "
        f"{values.get('export_mode')}, Web Connector user {QBWC_USER}")


def installed_apps(saleor: Saleor) -> list[dict]:
    data = saleor.gql("""{ apps(first: 100) { edges { node {
        id identifier name isActive appUrl manifestUrl
        extensions { id label url mountName targetName }
      } } } }""")
    return [edge["node"] for edge in data["apps"]["edges"]]


def delete_our_apps(saleor: Saleor) -> None:
    for app in installed_apps(saleor):
        if app["identifier"] == APP_IDENTIFIER:
            result = saleor.gql("""mutation($id: ID!) { appDelete(id: $id) {
                errors { field code message } } }""", {"id": app["id"]})["appDelete"]
            if result["errors"]:
                fail(f"appDelete({app['id']}) failed: {result['errors']}")
            say(f"ok   removed the app installed by an earlier run ({app['id']})")


def delete_failed_installations(saleor: Saleor, manifest_url: str) -> None:
    """Failed installations of our manifest URL (a run's first attempt on Saleor 3.22) stay
    listed under Extensions → Installed as "Installation failed"; remove them."""
    data = saleor.gql("{ appsInstallations { id status manifestUrl } }")
    failed = [i for i in data["appsInstallations"]
              if i["manifestUrl"] == manifest_url and i["status"] == "FAILED"]
    for installation in failed:
        result = saleor.gql("""mutation($id: ID!) { appDeleteFailedInstallation(id: $id) {
            errors { field code message } } }""", {"id": installation["id"]})
        if result["appDeleteFailedInstallation"]["errors"]:
            fail(f"appDeleteFailedInstallation: {result['appDeleteFailedInstallation']['errors']}")
    if failed:
        say(f"ok   removed {len(failed)} failed installation(s) of {manifest_url}")


def manage(saleor_src: Path, args: list[str], extra_env: dict | None = None):
    return subprocess.run(
        [str(saleor_src / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=saleor_src, env={**os.environ, **(extra_env or {})},
        capture_output=True, text=True, timeout=300, check=False)


def requests_hardened_version(saleor_src: Path) -> str:
    result = subprocess.run(
        [str(saleor_src / ".venv" / "bin" / "python"), "-c",
         "import importlib.metadata as m; print(m.version('requests-hardened'))"],
        capture_output=True, text=True, check=False)
    return result.stdout.strip() or "?"


def install_app(saleor: Saleor, saleor_src: Path, manifest_url: str, app_url: str) -> dict:
    """``install_app <manifest> --activate``; if the installed app lost the manifest URL's port
    (requests-hardened < 1.3 sends ``Host`` without the port, so the manifest we build from the
    request names port 80), say so and install again with Saleor's IP filter off, which sends a
    plain ``Host`` header."""
    attempts = [({}, "")]
    attempts.append(({"HTTP_IP_FILTER_ENABLED": "False"},
                     "HTTP_IP_FILTER_ENABLED=False for install_app only"))
    for env, how in attempts:
        result = manage(saleor_src, ["install_app", manifest_url, "--activate", "--quiet"], env)
        ours = [a for a in installed_apps(saleor) if a["identifier"] == APP_IDENTIFIER]
        problem = ""
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["?"]
            problem = f"install_app failed: {tail[0][:300]}"
        elif len(ours) != 1:
            problem = f"install_app left {len(ours)} apps with identifier {APP_IDENTIFIER}"
        elif ours[0]["appUrl"] != app_url:
            problem = f"the installed appUrl is {ours[0]['appUrl']}, not {app_url}"
        if not problem:
            say(f"ok   install_app {manifest_url} --activate{' (' + how + ')' if how else ''}: "
                f"{ours[0]['name']} {ours[0]['id']}, appUrl {ours[0]['appUrl']}")
            return ours[0]
        version = requests_hardened_version(saleor_src)
        if not how:
            say(f"NOTE {problem} (requests-hardened {version}); known Saleor 3.22 issue: its "
                f"HTTP client sends Host without the port. Retrying with "
                f"{attempts[1][1]}")
            delete_our_apps(saleor)
            continue
        fail(f"{problem} ({how}; requests-hardened {version})\n{result.stdout}\n{result.stderr}")
    raise AssertionError("unreachable")


def check_extensions(app: dict, app_url: str) -> None:
    # mountName/targetName: in 3.22 (next to the deprecated enums) and the only ones on 3.24
    mounts = {ext["mountName"]: ext for ext in app["extensions"]}
    want = {"NAVIGATION_ORDERS": "APP_PAGE", "ORDER_OVERVIEW_MORE_ACTIONS": "APP_PAGE",
            "ORDER_DETAILS_MORE_ACTIONS": "POPUP"}
    for mount, target in want.items():
        if mounts.get(mount, {}).get("targetName") != target:
            fail(f"the installed app has no {mount} extension with target {target}: "
                 f"{app['extensions']}")
    popup_url = mounts["ORDER_DETAILS_MORE_ACTIONS"]["url"]
    if not popup_url.startswith(app_url):
        fail(f"the POPUP extension's URL {popup_url} is not under {app_url}")
    say("ok   Saleor lists the app's extensions: "
        + ", ".join(f"{m} ({mounts[m]['label']!r} {mounts[m]['targetName']} {mounts[m]['url']})"
                    for m in want))


def clear_pending(saleor: Saleor, base: str) -> None:
    url = base + ROUTE + "graphql/"
    headers = {"Authorization-Bearer": saleor.token}
    query = "{ qbPendingOperations(first: 100) { edges { node { id status } } } }"
    answer = post_json(url, {"query": query}, headers)
    if answer.get("errors"):
        fail(f"our GraphQL route refused the staff token: {answer['errors']}")
    # done/in-progress operations stay listed (and cannot be deleted); only queued ones matter
    nodes = [e["node"] for e in answer["data"]["qbPendingOperations"]["edges"]
             if e["node"]["status"] == "QUEUED"]
    if not nodes:
        say("ok   no queued QuickBooks operations from earlier runs")
        return
    mutation = """mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) {
        errors { field code message } } }"""
    answer = post_json(url, {"query": mutation, "variables": {"ids": [n["id"] for n in nodes]}},
                       headers)
    errors = answer.get("errors") or answer["data"]["qbPendingOperationDelete"]["errors"]
    if errors:
        fail(f"could not delete the pending operations left by earlier runs: {errors}")
    say(f"ok   deleted {len(nodes)} queued operation(s) left by earlier runs")


def forget_quickbooks_names(saleor_src: Path) -> None:
    """run.mjs's Web Connector update talks to a new simulated QuickBooks company each run; the
    customers and items the plugin remembers from an earlier run's company would be missing
    there (a failed attempt, then a retry, in the history). Forget them."""
    result = manage(saleor_src, ["shell", "-c",
                                 "from saleor_qb_sync.models import QuickBooksName as N; "
                                 "print(N.objects.all().delete()[0])"])
    if result.returncode != 0:
        fail(f"could not clear the plugin's QuickBooks name cache: {result.stderr.strip()[-500:]}")
    count = (result.stdout.strip().splitlines() or ["?"])[-1]
    say(f"ok   forgot {count} QuickBooks customer/item name(s) learned from earlier runs' "
        "simulated company")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saleor-src", required=True, type=Path)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()

    base = args.api_url.split("/graphql/")[0]
    app_url = base + ROUTE + "app/"
    manifest_url = app_url + "manifest.json"
    saleor = Saleor(args.api_url)
    wait_for(args.api_url)
    log_in(saleor, args.email, args.password)

    # our routes answer 404 while the plugin is inactive
    activate_plugin(saleor)
    try:
        with urllib.request.urlopen(manifest_url, timeout=30) as response:  # noqa: S310
            manifest = json.loads(response.read())
    except OSError as exc:
        fail(f"{manifest_url} after pluginUpdate: {exc}")
    if manifest.get("id") != APP_IDENTIFIER or manifest.get("appUrl") != app_url:
        fail(f"unexpected manifest at {manifest_url}: id {manifest.get('id')}, "
             f"appUrl {manifest.get('appUrl')}")
    say(f"ok   the plugin serves its manifest at {manifest_url}")

    delete_our_apps(saleor)
    app = install_app(saleor, args.saleor_src, manifest_url, app_url)
    delete_failed_installations(saleor, manifest_url)
    check_extensions(app, app_url)
    clear_pending(saleor, base)
    forget_quickbooks_names(args.saleor_src)

    print(json.dumps({"appId": app["id"], "appName": app["name"], "appUrl": app_url,
                      "manifestUrl": manifest_url, "qbwcUser": QBWC_USER,
                      "qbwcPassword": QBWC_PASSWORD,
                      "extensions": app["extensions"]}), flush=True)


if __name__ == "__main__":
    main()
