"""The Flask app (tsp_app) with Flask's test client."""

import unittest

from tests import util

try:
    import flask  # noqa: F401
    HAVE_FLASK = True
except ImportError:
    HAVE_FLASK = False

CITIES = [{"name": "paris", "lat": 48.86, "lon": 2.35}, {"name": "berlin", "lat": 52.52, "lon": 13.40},
          {"name": "london", "lat": 51.51, "lon": -0.13}, {"name": "rome", "lat": 41.90, "lon": 12.50},
          {"name": "madrid", "lat": 40.42, "lon": -3.70}]


class TestApp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        util.need(HAVE_FLASK, "Flask is not installed (Debian: apt-get install python3-flask)")
        util.need_libs()
        util.need_cffi()
        import tsp_app
        cls.client = tsp_app.create_app().test_client()

    def test_endpoints(self):
        answers = {}
        for ep in ("python", "ctypes", "cffi", "cffi?mode=abi", "go"):
            r = self.client.post("/api/" + ep, json=CITIES)
            self.assertEqual(r.status_code, 200, r.get_data(as_text=True))
            j = r.get_json()
            self.assertEqual(j["status"], "optimal")
            self.assertEqual([c["name"] for c in j["tour"]], [CITIES[i]["name"] for i in j["order"]])
            self.assertEqual(j["order"][0], 0)
            self.assertEqual(j["nodes"], 65)
            answers[ep] = j
        self.assertEqual(answers["ctypes"]["way"], "ctypes")
        self.assertEqual(answers["cffi?mode=abi"]["way"], "cffi-abi")
        self.assertEqual(answers["go"]["library"], "go")
        for j in answers.values():
            self.assertEqual(j["order"], answers["python"]["order"])
            self.assertAlmostEqual(j["length_km"], answers["python"]["length_km"], delta=1e-9)

    def test_deadline(self):
        # Thirteen cities in pure Python: hours; the deadline answers with
        # the best tour so far.
        cities = [{"name": "c%d" % i, "lat": (i * 7) % 13, "lon": (i * 5) % 11} for i in range(13)]
        r = self.client.post("/api/python", json={"cities": cities, "deadline": 0.2})
        self.assertEqual(r.status_code, 200)
        j = r.get_json()
        self.assertEqual(j["status"], "stopped")
        self.assertEqual(sorted(j["order"]), list(range(13)))
        self.assertLess(j["elapsed_ms"], 2000)

    def test_errors(self):
        cases = [
            ("/api/ctypes", b"not json", 400, None),
            ("/api/ctypes", [], 400, "TSP_INVALID"),
            ("/api/ctypes", [{"name": "a", "lat": 91, "lon": 0}, {"name": "b", "lat": 0, "lon": 0}], 400,
             "TSP_INVALID"),
            ("/api/ctypes", [{"name": "a", "lat": "1", "lon": 0}], 400, "TSP_INVALID"),
            ("/api/ctypes", [{"name": "a", "lat": True, "lon": 0}], 400, "TSP_INVALID"),
            ("/api/ctypes", [{"name": "a", "lat": 1, "lon": 0, "x": 1}], 400, "TSP_INVALID"),
            ("/api/go", [{"name": "c%d" % i, "lat": i, "lon": i} for i in range(14)], 400, "TSP_TOO_LARGE"),
            ("/api/python", {"cities": CITIES, "deadline": 60}, 400, "TSP_INVALID"),
            ("/api/python", {"cities": CITIES, "algorithm": "exact"}, 400, "TSP_INVALID"),
            ("/api/python", {"cities": CITIES, "extra": 1}, 400, "TSP_INVALID"),
            ("/api/rust", CITIES, 404, None),
        ]
        for path, body, status, code in cases:
            with self.subTest(path=path, body=str(body)[:60]):
                if isinstance(body, bytes):
                    r = self.client.post(path, data=body, content_type="application/json")
                else:
                    r = self.client.post(path, json=body)
                self.assertEqual(r.status_code, status, r.get_data(as_text=True))
                j = r.get_json()
                self.assertIn("error", j)
                if code:
                    self.assertEqual(j["code"], code)
        r = self.client.post("/api/ctypes", data=b"[" + b" " * (1 << 20) + b"]", content_type="application/json")
        self.assertEqual(r.status_code, 413)
        r = self.client.get("/api/ctypes")
        self.assertEqual(r.status_code, 405)


if __name__ == "__main__":
    unittest.main()
