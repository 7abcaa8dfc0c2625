#!/usr/bin/env python3
"""Demo workload for heapscope: a tiny web shop with a memory leak.

Usage:
    python3.11 demo_app.py [OUTDIR]

Simulates a small web application serving requests in one process and writes
two tracemalloc snapshots of it into OUTDIR (default: the current directory):

    demo-before.pickle   after start-up and 400 warm-up requests
    demo-after.pickle    the same process after 2,000 more requests

The application is ordinary code: a request parser, a router, a product
catalogue loaded at start-up, HTML rendering with string.Template, JSON
responses, a session store with expiry, a bounded access log and per-route
metrics.  Everything is bounded except one thing: search results are memoised
in a module-level dict keyed by the full query string (including the page
number and the session's sort preference), and nothing ever evicts them.  The
'after' snapshot therefore shows search_products() / _render_results() growing
while the catalogue, sessions, log and metrics stay flat, which is what
heapscope's compare view should make obvious.

The snapshots are taken with tracemalloc.start(10) and filtered with the usual
filters from the Python documentation (importlib bootstrap frames, <unknown>,
and tracemalloc's own allocations).  The run is deterministic apart from
addresses (the order of traces in the dump) and allocator details.

The demo files in resources/demo/ were made by copying this script to
/opt/demo/demo_app.py and running it there with Python 3.11, so that the
traces name /opt/demo/demo_app.py.  Standard library only.
"""

import collections
import json
import os
import random
import string
import sys
import tracemalloc
import urllib.parse

# --------------------------------------------------------------------------
# "Database"

CATEGORIES = ["books", "garden", "kitchen", "music", "outdoor", "toys", "tools", "games"]
ADJECTIVES = ["red", "blue", "small", "large", "classic", "modern", "cheap", "deluxe", "smart"]
NOUNS = ["lamp", "chair", "kettle", "guitar", "tent", "puzzle", "hammer", "novel", "drone"]


class Product(object):
    __slots__ = ("pid", "name", "category", "price", "description", "tags")

    def __init__(self, pid, name, category, price, description, tags):
        self.pid = pid
        self.name = name
        self.category = category
        self.price = price
        self.description = description
        self.tags = tags


def load_catalogue(rnd, n):
    products = {}
    for pid in range(1, n + 1):
        name = "%s %s" % (rnd.choice(ADJECTIVES), rnd.choice(NOUNS))
        category = rnd.choice(CATEGORIES)
        description = " ".join(rnd.choice(NOUNS + ADJECTIVES) for _ in range(rnd.randint(8, 20)))
        tags = tuple(sorted(set(rnd.choice(ADJECTIVES) for _ in range(3))))
        products[pid] = Product(pid, name, category, rnd.randint(199, 99999) / 100.0,
                                description, tags)
    return products


def build_search_index(products):
    index = collections.defaultdict(list)
    for p in products.values():
        for word in p.name.split() + [p.category] + list(p.tags):
            index[word].append(p.pid)
    return dict(index)


# --------------------------------------------------------------------------
# HTTP-ish plumbing


class Request(object):
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body


class Response(object):
    def __init__(self, status, body, content_type="text/html; charset=utf-8"):
        self.status = status
        self.body = body
        self.headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]


def parse_request(raw):
    head, _, body = raw.partition("\r\n\r\n")
    lines = head.split("\r\n")
    method, target, _version = lines[0].split(" ")
    url = urllib.parse.urlsplit(target)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, url.path, urllib.parse.parse_qs(url.query), headers, body)


# --------------------------------------------------------------------------
# Application state

CATALOGUE = {}
SEARCH_INDEX = {}
SESSIONS = {}
ACCESS_LOG = collections.deque(maxlen=300)
METRICS = collections.defaultdict(lambda: [0, 0])

# The leak: memoised search results, keyed by everything in the query.
_SEARCH_CACHE = {}

PAGE = string.Template(
    "<!doctype html><html><head><title>$title</title></head>"
    "<body><h1>$title</h1>$content<footer>$footer</footer></body></html>"
)
ITEM = string.Template('<li class="product"><a href="/product/$pid">$name</a> $price EUR</li>')


def _render_results(pids, sort):
    items = [CATALOGUE[pid] for pid in pids]
    if sort == "price":
        items.sort(key=lambda p: p.price)
    else:
        items.sort(key=lambda p: p.name)
    return "".join(ITEM.substitute(pid=p.pid, name=p.name, price="%.2f" % p.price) for p in items)


def search_products(words, page, sort):
    key = "%s|%d|%s" % (" ".join(words), page, sort)
    cached = _SEARCH_CACHE.get(key)
    if cached is not None:
        return cached
    hits = None
    for w in words:
        pids = set(SEARCH_INDEX.get(w, ()))
        hits = pids if hits is None else hits & pids
    pids = sorted(hits or ())[page * 20:(page + 1) * 20]
    result = {"key": key, "pids": pids, "html": _render_results(pids, sort)}
    _SEARCH_CACHE[key] = result
    return result


# --------------------------------------------------------------------------
# Handlers


def get_session(request, now):
    sid = request.headers.get("cookie", "").partition("sid=")[2]
    session = SESSIONS.get(sid)
    if session is None:
        session = {"sid": sid, "cart": [], "sort": "name", "seen": now}
        SESSIONS[sid] = session
    session["seen"] = now
    return session


def expire_sessions(now, ttl=120):
    for sid in [sid for sid, s in SESSIONS.items() if now - s["seen"] > ttl]:
        del SESSIONS[sid]


def handle_product(request, session):
    pid = int(request.path.rsplit("/", 1)[1])
    p = CATALOGUE.get(pid)
    if p is None:
        return Response(404, PAGE.substitute(title="Not found", content="", footer=""))
    content = "<p>%s</p><p>%s</p><p>%.2f EUR</p>" % (p.description, ", ".join(p.tags), p.price)
    return Response(200, PAGE.substitute(title=p.name, content=content, footer=p.category))


def handle_search(request, session):
    words = request.query.get("q", [""])[0].split()
    page = int(request.query.get("page", ["0"])[0])
    result = search_products(words, page, session["sort"])
    body = PAGE.substitute(title="Search", content="<ul>%s</ul>" % result["html"], footer="")
    return Response(200, body)


def handle_cart(request, session):
    item = json.loads(request.body)
    session["cart"].append((item["pid"], item["qty"]))
    if item.get("sort"):
        session["sort"] = item["sort"]
    body = json.dumps({"items": len(session["cart"]), "cart": session["cart"]})
    return Response(200, body, "application/json")


def handle_report(request, session):
    # A temporary spike: allocated and freed within the request.
    rows = [(p.category, p.price) for p in CATALOGUE.values()]
    totals = collections.Counter()
    for category, price in rows:
        totals[category] += price
    return Response(200, json.dumps(totals, sort_keys=True), "application/json")


ROUTES = [
    ("/product/", handle_product),
    ("/search", handle_search),
    ("/cart", handle_cart),
    ("/report", handle_report),
]


def dispatch(request, now):
    session = get_session(request, now)
    for prefix, handler in ROUTES:
        if request.path.startswith(prefix):
            return prefix, handler(request, session)
    return "404", Response(404, "not found")


def application(raw, now):
    request = parse_request(raw)
    route, response = dispatch(request, now)
    ACCESS_LOG.append("%s %s %d %d" % (request.method, request.path, response.status,
                                       len(response.body)))
    m = METRICS[route]
    m[0] += 1
    m[1] += len(response.body)
    return response


# --------------------------------------------------------------------------
# Traffic generator


def make_request(rnd, n):
    sid = "s%04d" % rnd.randint(0, 150)
    headers = "Host: shop.example\r\nUser-Agent: demo/1.0\r\nCookie: sid=%s" % sid
    kind = rnd.random()
    if kind < 0.45:
        target = "/product/%d" % rnd.randint(1, len(CATALOGUE) + 5)
        return "GET %s HTTP/1.1\r\n%s\r\n\r\n" % (target, headers)
    if kind < 0.85:
        words = [rnd.choice(ADJECTIVES + NOUNS + CATEGORIES) for _ in range(rnd.randint(1, 2))]
        q = urllib.parse.urlencode({"q": " ".join(words), "page": rnd.randint(0, 3)})
        return "GET /search?%s HTTP/1.1\r\n%s\r\n\r\n" % (q, headers)
    if kind < 0.97:
        body = json.dumps({"pid": rnd.randint(1, len(CATALOGUE)), "qty": rnd.randint(1, 3),
                           "sort": rnd.choice(["", "", "price", "name"])})
        return "POST /cart HTTP/1.1\r\n%s\r\n\r\n%s" % (headers, body)
    return "GET /report HTTP/1.1\r\n%s\r\n\r\n" % headers


def serve(rnd, first, count):
    for n in range(first, first + count):
        now = n // 10  # ten requests per simulated second
        application(make_request(rnd, n), now)
        if n % 50 == 0:
            expire_sessions(now)


def take_snapshot(path):
    snapshot = tracemalloc.take_snapshot().filter_traces([
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
        tracemalloc.Filter(False, "<unknown>"),
        tracemalloc.Filter(False, tracemalloc.__file__),
    ])
    snapshot.dump(path)
    print("wrote %s: %d traces, %d bytes traced, file %d bytes" % (
        path, len(snapshot.traces), sum(t.size for t in snapshot.traces),
        os.path.getsize(path)))


def main(argv):
    outdir = argv[1] if len(argv) > 1 else "."
    rnd = random.Random(20240229)
    tracemalloc.start(10)

    CATALOGUE.update(load_catalogue(rnd, 600))
    SEARCH_INDEX.update(build_search_index(CATALOGUE))

    serve(rnd, 0, 400)
    take_snapshot(os.path.join(outdir, "demo-before.pickle"))
    serve(rnd, 400, 2000)
    take_snapshot(os.path.join(outdir, "demo-after.pickle"))
    tracemalloc.stop()


if __name__ == "__main__":
    main(sys.argv)
