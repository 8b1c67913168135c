// The capture app's entry: loads the words and the course data (from the
// server when online, else from the device), follows the phone's position,
// keeps the sync going, and shows the screen the address names
// (`#/`, `#/i/ID`, `#/i/ID/c/CODE`, `#/i/ID/d/DEFECT`, `#/i/ID/grades`,
// `#/sync`).

import * as db from "./store.js";
import { sync } from "./sync.js";
import * as views from "./views.js";

export const app = {
  words: {}, language: "fr", setup: null, session: null, here: null, message: null,
};

/** A word in the app's language, with `{name}` filled from `values`. */
export function t(key, values = {}) {
  const table = app.words[app.language] || app.words.en || {};
  let text = table[key] ?? key;
  for (const [name, value] of Object.entries(values)) text = text.replace(`{${name}}`, value);
  return text;
}

/** Builds an element: h("p.notice", {onclick}, "text", child...). */
export function h(tag, attributes = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const element = document.createElement(name);
  if (classes.length) element.className = classes.join(" ");
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "value") element.value = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * Whether the server can be reached: the browser's word, and what the last
 * call to the server found (a phone on a Wi-Fi with no way out says it is
 * online; a failed call says otherwise until one succeeds).
 */
export function online() {
  return navigator.onLine && app.reachable !== false;
}

async function fetchJson(url) {
  // A network that drops packets does not hold the app for minutes.
  const answer = await fetch(url, { credentials: "same-origin", signal: AbortSignal.timeout(8000) });
  if (!answer.ok) throw Object.assign(new Error(String(answer.status)), { status: answer.status });
  return answer.json();
}

/** The course data and who is logged in: fresh when online, else kept. */
async function load() {
  app.words = await (await fetch("words.json")).json();
  app.session = await db.meta("session");
  app.setup = await db.meta("setup");
  try {
    const session = await fetchJson("/api/capture/session");
    app.reachable = true;
    app.session = session;
    await db.setMeta("session", session);
    if (session.role === "trainee") {
      app.setup = await fetchJson("/api/capture/setup");
      await db.setMeta("setup", app.setup);
    }
  } catch (error) {
    if (error.status === 401) app.needsLogin = true;
    // No answer, or the service worker's stand-in for one.
    if (!error.status || error.status >= 500) app.reachable = false;
  }
  const settings = (await db.meta("settings")) || {};
  app.settings = settings;
  app.language = settings.language || app.setup?.language || (navigator.language || "fr").slice(0, 2);
  if (!app.words[app.language]) app.language = "en";
  document.documentElement.lang = app.language;
}

function watchPosition() {
  if (!navigator.geolocation) return;
  navigator.geolocation.watchPosition(
    (fix) => {
      app.here = { lat: fix.coords.latitude, lon: fix.coords.longitude, accuracy: fix.coords.accuracy, at: Date.now() };
      window.dispatchEvent(new Event("voussoir-position"));
    },
    () => {},
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 },
  );
}

async function updateBar() {
  const net = document.getElementById("net");
  net.textContent = online() ? t("online") : t("offline");
  net.classList.toggle("offline", !online());
  const pending = await db.pending();
  const button = document.getElementById("sync-button");
  button.textContent = pending.count + pending.refused.length > 0
    ? `${pending.count} ${t("to_sync")}` : t("all_synced");
  button.onclick = () => { location.hash = "#/sync"; };
}

let syncTimer = null;
let syncing = false;
async function keepSyncing() {
  clearTimeout(syncTimer);
  if (syncing) return;
  syncing = true;
  try {
    if (navigator.onLine && app.reachable === false) {
      // Knock again: the server may be back. If it is, read the session
      // and the course again (a first launch away from the server has
      // neither) and draw the screen with its buttons enabled.
      await load();
      if (app.reachable) await show();
    }
    if (online() && app.session && !app.needsLogin) {
      const pending = await db.pending();
      if (pending.count > 0) {
        const result = await sync();
        app.lastSync = result;
        if (result.login) app.needsLogin = true;
      }
    }
  } finally {
    syncing = false;
    syncTimer = setTimeout(keepSyncing, 15000);
  }
}

export async function show() {
  const view = document.getElementById("view");
  const screen = await views.route(location.hash || "#/");
  view.replaceChildren(screen);
  updateBar();
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  }
  if (navigator.storage?.persist) {
    app.persisted = await navigator.storage.persisted() || await navigator.storage.persist();
  }
  await load();
  watchPosition();
  window.addEventListener("hashchange", show);
  // Screens that show the network or the queue are drawn again when
  // either changes; a form being filled is left alone.
  const refresh = () => {
    const hash = location.hash || "#/";
    if (hash === "#/" || hash.startsWith("#/sync")) show(); else updateBar();
  };
  window.addEventListener("online", () => { app.reachable = undefined; refresh(); keepSyncing(); });
  window.addEventListener("voussoir-reachable", (event) => {
    const was = online();
    app.reachable = event.detail;
    if (online() !== was) refresh();
  });
  window.addEventListener("offline", refresh);
  window.addEventListener("voussoir-synced", refresh);
  window.addEventListener("voussoir-changed", () => { updateBar(); keepSyncing(); });
  await show();
  keepSyncing();
}

start();
