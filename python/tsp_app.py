"""The original Python web app, fixed: the same endpoints, every one inside
a deadline, on the kernels of tsp_ffi.

    cd python && python3 -m flask --app tsp_app run     # Debian: python3-flask

POST a JSON list of cities, [{"name": "paris", "lat": 48.86, "lon": 2.35},
...], or an object {"cities": [...], "algorithm": "exhaustive",
"deadline": 10}, to

    /api/python   the pure-Python kernel (exhaustive search, nearest neighbour)
    /api/ctypes   libtsp_c.so through ctypes
    /api/cffi     libtsp_c.so through CFFI (API mode; ?mode=abi for ABI mode)
    /api/go       libtsp_go.so, the Go kernel as a C library, through CFFI

The answer: {"tour": [cities in order], "order": [...], "length_km",
"status": "optimal" | "heuristic" | "stopped", "algorithm", "nodes",
"elapsed_ms", "way", "library"}. The deadline (seconds, default and at most
10: users give up after 10 s) stops the search and answers with the best
tour found so far (status "stopped"). Bad input is a 400 with {"error",
"code"}, code naming the status code (TSP_INVALID, TSP_TOO_LARGE); a request
body over 1 MiB is a 413; a library that cannot be used is a 503.
"""

import math

from flask import Flask, jsonify, request

import tsp_ffi

MAX_DEADLINE = 10.0
MAX_BODY = 1 << 20

ENDPOINTS = {
    "python": ("python", None),
    "ctypes": ("ctypes", "c"),
    "cffi": ("cffi-api", "c"),
    "go": ("cffi-api", "go"),
}


class BadRequest(Exception):
    pass


def _number(v, what):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise BadRequest("%s must be a finite number, not %r" % (what, v))
    return float(v)


def _cities(body):
    if isinstance(body, dict):
        unknown = set(body) - {"cities", "algorithm", "deadline"}
        if unknown:
            raise BadRequest("unknown fields %s" % ", ".join(sorted(unknown)))
        cities = body.get("cities")
        algorithm = body.get("algorithm", "exhaustive")
        deadline = body.get("deadline", MAX_DEADLINE)
    else:
        cities, algorithm, deadline = body, "exhaustive", MAX_DEADLINE
    if not isinstance(cities, list) or not cities:
        raise BadRequest("want a non-empty list of cities {name, lat, lon}")
    if len(cities) > tsp_ffi._abi.MAX_HEURISTIC:
        raise BadRequest("%d cities, at most %d" % (len(cities), tsp_ffi._abi.MAX_HEURISTIC))
    out = []
    for i, c in enumerate(cities):
        if not isinstance(c, dict) or set(c) != {"name", "lat", "lon"} or not isinstance(c["name"], str):
            raise BadRequest("city %d: want exactly {\"name\": string, \"lat\": number, \"lon\": number}" % i)
        out.append((c["name"], _number(c["lat"], "city %d: lat" % i), _number(c["lon"], "city %d: lon" % i)))
    if not isinstance(algorithm, str):
        raise BadRequest("algorithm must be a string")
    deadline = _number(deadline, "deadline")
    if not (0 < deadline <= MAX_DEADLINE):
        raise BadRequest("deadline must be in (0, %g] seconds" % MAX_DEADLINE)
    return out, algorithm, deadline


def create_app():
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    def error(status, message, code=None):
        body = {"error": message}
        if code:
            body["code"] = code
        return jsonify(body), status

    @app.post("/api/<name>")
    def solve(name):
        if name not in ENDPOINTS:
            return error(404, "no endpoint /api/%s: want one of %s" % (name, ", ".join(ENDPOINTS)))
        way, library = ENDPOINTS[name]
        if name == "cffi" and request.args.get("mode", "api") == "abi":
            way = "cffi-abi"
        if request.content_length is not None and request.content_length > MAX_BODY:
            return error(413, "the request body is over %d bytes" % MAX_BODY)
        body = request.get_json(silent=True)  # over MAX_BODY without a length: cut, not JSON
        if body is None:
            return error(400, "the body must be JSON")
        try:
            cities, algorithm, deadline = _cities(body)
            r = tsp_ffi.solve(cities, way=way, library=library, algorithm=algorithm, deadline=deadline)
        except BadRequest as e:
            return error(400, str(e), "TSP_INVALID")
        except tsp_ffi.LibraryError as e:
            return error(503, str(e), e.code_name)
        except (tsp_ffi.InvalidInput, tsp_ffi.TooLarge) as e:
            return error(400, str(e), e.code_name)
        except tsp_ffi.TSPError as e:
            return error(500, str(e), e.code_name)
        return jsonify({
            "tour": [{"name": cities[i][0], "lat": cities[i][1], "lon": cities[i][2]} for i in r.order],
            "order": r.order,
            "length_km": r.length,
            "status": r.status,
            "algorithm": r.algorithm,
            "nodes": r.nodes,
            "elapsed_ms": r.elapsed * 1e3,
            "way": r.way,
            "library": r.library,
        })

    @app.errorhandler(413)
    def too_large(e):
        return error(413, "the request body is over %d bytes" % MAX_BODY)

    return app

