"""Twenty phones syncing photos at once through the capture app's API.

Each phone logs in as its own trainee (the login form and its token, as a
browser does), creates an inspection of the first structure, then sends
its photos one after the other (each with a distinct trailer, so that each
is a new photo). Prints the latency of the photo uploads. Used by
load.sh; standard library only.

    python3 phones.py URL PASSWORD PHOTO [PHONES] [PHOTOS_PER_PHONE]
"""
import http.cookiejar
import json
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

url, password, photo_path = sys.argv[1], sys.argv[2], sys.argv[3]
phones = int(sys.argv[4]) if len(sys.argv) > 4 else 20
per_phone = int(sys.argv[5]) if len(sys.argv) > 5 else 5
photo = open(photo_path, "rb").read()
latencies, failures, lock = [], [], threading.Lock()


def phone(index):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{url}/login").read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"username": f"trainee{index:03d}", "password": password, "csrf": token}
    ).encode()
    opener.open(f"{url}/login", body)
    session = json.load(opener.open(f"{url}/api/capture/session"))
    setup = json.load(opener.open(f"{url}/api/capture/setup"))
    headers = {"X-CSRF-Token": session["csrf"], "Origin": url}

    def put(path, data, extra=None):
        request = urllib.request.Request(
            f"{url}{path}", data=data, method="PUT", headers={**headers, **(extra or {})}
        )
        return opener.open(request).read()

    inspection = str(uuid.uuid4())
    record = {"structure": setup["structures"][0]["code"], "kind": "IDP", "edited_ms": 0}
    put(f"/api/capture/inspections/{inspection}", json.dumps(record).encode(),
        {"Content-Type": "application/json"})
    for number in range(per_phone):
        data = photo + f"phone {index} photo {number}".encode()
        started = time.monotonic()
        try:
            put(f"/api/capture/inspections/{inspection}/photos/{uuid.uuid4()}", data,
                {"Content-Type": "image/jpeg", "X-Photo": json.dumps({"taken_ms": int(time.time() * 1000)})})
            with lock:
                latencies.append(time.monotonic() - started)
        except Exception as error:  # noqa: BLE001 - counted and shown
            with lock:
                failures.append(str(error))


started = time.monotonic()
threads = [threading.Thread(target=phone, args=(index,)) for index in range(phones)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - started
latencies.sort()


def at(share):
    return latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else float("nan")


print(f"{phones} phones, {len(latencies)} photos of {len(photo) / 1e6:.1f} MB in {elapsed:.1f} s, "
      f"{len(failures)} failed; upload latency p50 {at(0.5):.2f} s, p90 {at(0.9):.2f} s, "
      f"p99 {at(0.99):.2f} s")
for failure in failures[:3]:
    print("  failed:", failure)
