"""Drives Teng's Open311 GeoReport v2 endpoint with a real Open311 client library from PyPI.

`georeport` (0.3.1) is the client: it is the only Open311 library on PyPI that runs on
Python 3 (`open311` 1.1 and `three` 0.8.0 are Python 2 code) and it talks to any endpoint given
its root address. It has no method to create a request, so `Client.post_service_request` adds
one in its own terms (root address, jurisdiction, api_key, output format; `requests` and
`xmltodict`, the library's own dependencies, for the wire).

Usage: open311_client.py <server url> <api key>. Prints one line per check and closes with
"open311-client: N passed, N failed"; exits non-zero on any failure.
"""

import math
import sys
import traceback

import requests
import xmltodict
from georeport import GeoReport

JURISDICTION = "teng.kg"


class Client(GeoReport):
    """GeoReport plus the POST Service Request method the spec defines."""

    def post_service_request(self, service_code, **fields):
        data = {"api_key": self.api_key, "service_code": service_code}
        if self.jurisdiction:
            data["jurisdiction_id"] = self.jurisdiction
        for name, value in fields.pop("attributes", {}).items():
            data[f"attribute[{name}]"] = value
        data.update({k: v for k, v in fields.items() if v is not None})
        response = requests.post(
            f"{self.root_address}/requests.{self.output_format}", data=data
        )
        response.raise_for_status()
        if self.output_format == "json":
            return response.json()[0]
        return xmltodict.parse(response.content)["service_requests"]["request"]


def metres(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


def as_list(value):
    """xmltodict gives one child as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def main():
    url, key = sys.argv[1], sys.argv[2]
    root = f"{url}/open311/v2"
    clients = {
        fmt: Client(root, jurisdiction=JURISDICTION, api_key=key, output_format=fmt)
        for fmt in ("json", "xml")
    }
    building = requests.get(f"{url}/v1/buildings", params={"limit": 1}).json()["items"][0]
    lat, lon = building["location"]["lat"], building["location"]["lon"]
    state = {}
    results = []

    def check(name, fn):
        try:
            fn()
            results.append(True)
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 - every failure is reported and counted
            results.append(False)
            print(f"FAIL {name}")
            traceback.print_exc(limit=3)

    def list_services(fmt):
        services = as_list(clients[fmt].get_service_list())
        codes = {s["service_code"] for s in services}
        assert {"entrance_steps", "no_ramp", "narrow_door", "other"} <= codes, codes
        for s in services:
            assert s["type"] == "realtime", s

    def definition(fmt):
        d = clients[fmt].get_service_definition("steep_ramp")
        attrs = as_list(d["attributes"]["attribute"] if fmt == "xml" else d["attributes"])
        assert attrs[0]["code"] == "ramp_slope_percent", d

    def post(fmt):
        # About 20 m north of a demo building: the server attaches it to that building.
        answer = clients[fmt].post_service_request(
            "entrance_steps",
            lat=f"{lat + 0.00018:.6f}",
            long=f"{lon:.6f}",
            attributes={"entrance_step_count": "3"},
            description=f"Three steps, no ramp ({fmt} client)",
            email="not-stored@example.org",
        )
        request_id = answer["service_request_id"]
        assert request_id.endswith("-entrance_steps"), answer
        state[fmt] = request_id

    def fetch_back(fmt):
        request_id = state[fmt]
        r = clients[fmt].get_service_request(request_id)
        assert r["service_request_id"] == request_id, r
        assert r["status"] == "open", r
        assert r["service_code"] == "entrance_steps", r
        # Attached to the nearest building (this one, or a neighbour even closer to the point).
        near = requests.get(f"{url}/v1/buildings/{r['address_id']}").json()["location"]
        assert abs(float(r["lat"]) - near["lat"]) < 1e-9, (r, near)
        assert abs(float(r["long"]) - near["lon"]) < 1e-9, (r, near)
        assert metres(near["lat"], near["lon"], lat + 0.00018, lon) <= 100, (r, near)
        assert f"({fmt} client)" in r["description"], r
        assert "not-stored@example.org" not in str(r), r

    def filtered(fmt):
        c = clients[fmt]
        ids = [state["json"], state["xml"]]
        found = as_list(c.get_service_requests(service_request_id=",".join(ids)))
        assert sorted(r["service_request_id"] for r in found) == sorted(ids), found
        found = as_list(c.get_service_requests(service_code="entrance_steps", status="open"))
        assert state[fmt] in {r["service_request_id"] for r in found}, found
        assert all(r["service_code"] == "entrance_steps" for r in found), found

    def refused(status, fn):
        try:
            fn()
        except requests.HTTPError as e:
            assert e.response.status_code == status, e.response.text
            return
        raise AssertionError(f"expected HTTP {status}")

    def bad_key():
        c = Client(root, jurisdiction=JURISDICTION, api_key="not-a-key", output_format="xml")
        refused(403, lambda: c.post_service_request("no_ramp", address_id=building["id"]))

    def wrong_jurisdiction():
        c = Client(root, jurisdiction="sfgov.org", api_key=key, output_format="json")
        refused(404, c.get_service_list)

    for fmt in ("json", "xml"):
        check(f"{fmt}: list services", lambda: list_services(fmt))
        check(f"{fmt}: service definition", lambda: definition(fmt))
        check(f"{fmt}: POST a request with the api key", lambda: post(fmt))
        check(f"{fmt}: fetch it back", lambda: fetch_back(fmt))
    for fmt in ("json", "xml"):
        check(f"{fmt}: GET requests by id, service and status", lambda: filtered(fmt))
    check("a bad api key is refused with 403", bad_key)
    check("another jurisdiction is a 404", wrong_jurisdiction)

    passed = sum(results)
    failed = len(results) - passed
    print(f"open311-client: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
