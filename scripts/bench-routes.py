#!/usr/bin/env python3
"""Times every parameterless GET route of the API once the city is loaded: one request at a time as the
administrator, the median of three, so a route that reads the whole city (a count per row, a filter without an
index) shows up in the report even though no row drives it under load.
  URL=... COOKIE=... scripts/bench-routes.py ROUTES_JSON   (ROUTES_JSON: the output of `huoyan routes`)
Prints one Markdown table row: the routes timed, the slowest five, and any that did not answer 200."""
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.request

# Not list reads: a live stream, whole-file exports (row 7 times one) and the audit chain's full check.
SKIP = ("/stream", "export.xlsx", "/verify")

routes = [r["path"] for r in json.load(open(sys.argv[1]))
          if r["method"] == "GET" and r["path"].startswith("/api/") and ":" not in r["path"] and not r["path"].endswith(SKIP)]
timed, failed = [], []
for path in routes:
    request = urllib.request.Request(os.environ["URL"] + path, headers={"Cookie": os.environ["COOKIE"]})
    ms = []
    for _ in range(3):
        start = time.perf_counter()
        try:
            urllib.request.urlopen(request, timeout=120).read()
        except urllib.error.HTTPError as e:
            failed.append(f"{path} {e.code}")
            break
        ms.append((time.perf_counter() - start) * 1000)
    else:
        timed.append((statistics.median(ms), path))
timed.sort(reverse=True)
slowest = "，".join(f"{p} {t:.0f}ms" if t >= 10 else f"{p} {t:.1f}ms" for t, p in timed[:5])
print(f"| 逐个请求 {len(timed)} 个无参数的 GET 路由（管理员，单个请求 3 次的中位数），最慢的 5 个 | — | {slowest} | — | — | "
      f"{'非 200：' + '，'.join(failed) if failed else '全部 200'} |")
sys.exit(1 if failed else 0)
