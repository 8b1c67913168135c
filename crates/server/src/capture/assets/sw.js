// The capture app's service worker: keeps the app's own files so that it
// opens with no network. Records and photos live in IndexedDB (store.js);
// the API is never cached here. __VERSION__ is the server's hash of the
// files: a new version installs a new cache and drops the old one.
const CACHE = "voussoir-app-__VERSION__";
const FILES = [
  "./", "index.html", "app.css", "app.js", "views.js", "store.js", "sync.js",
  "plan.js", "words.json", "manifest.webmanifest", "icon.svg", "icon-192.png",
  "icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/app/")) return;
  // The app's files: the cached copy, the network when it is not cached.
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const path = url.pathname === "/app/" ? "./" : url.pathname.slice("/app/".length);
      const cached = await cache.match(path === "./" ? "./" : path);
      if (cached) return cached;
      const answer = await fetch(event.request);
      if (answer.ok) cache.put(event.request, answer.clone());
      return answer;
    }),
  );
});
