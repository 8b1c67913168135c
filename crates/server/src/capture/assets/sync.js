// Sends what waits on the device to the server, one record per request,
// each addressed by its device id so that a resend is harmless: the
// inspection first, then photos, then defects and grades. A record stays
// on the device; only its state changes when the server answers: acked,
// or refused with the server's reason. A network failure stops the round
// and leaves the rest waiting for the next one.

import * as db from "./store.js";

let running = null;

async function session() {
  return db.meta("session");
}

function api(path) { return `/api/capture/inspections/${path}`; }

/** Tells the app whether the server answered (it shows "offline" if not). */
function reachable(yes) {
  window.dispatchEvent(new CustomEvent("voussoir-reachable", { detail: yes }));
}

async function send(method, url, body, headers = {}) {
  const who = await session();
  let answer;
  try {
    answer = await fetch(url, {
      method,
      body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": who?.csrf || "", ...headers },
    });
  } catch (error) {
    reachable(false);
    throw error;
  }
  reachable(answer.status < 500);
  if (answer.status === 401) throw Object.assign(new Error("login"), { login: true });
  if (!answer.ok) {
    const text = (await answer.text()).trim();
    // "400 Bad Request: the reason" → "the reason".
    const reason = text.replace(/^\d{3} [^:]*: /, "");
    throw Object.assign(new Error(reason), { refused: answer.status < 500, status: answer.status });
  }
  return answer.json();
}

async function mark(name, record, state, error) {
  const current = await db.get(name, name === "grades" ? record.inspection : record.id);
  // An edit made while the request was in flight keeps waiting.
  if (current && current.edited_ms !== record.edited_ms) return;
  record.sync = state;
  if (error) record.error = error; else delete record.error;
  await db.put(name, record);
}

async function one(name, record, request) {
  try {
    const answer = await request();
    if (answer && answer.hash) record.hash = answer.hash;
    if (answer && answer.status === "newer-on-server") {
      // Another phone's newer edit stands on the server: say so here
      // rather than let this edit vanish silently.
      await mark(name, record, "refused", "newer-on-server");
    } else {
      await mark(name, record, "acked");
    }
  } catch (error) {
    if (error.refused) {
      await mark(name, record, "refused", error.message);
    } else {
      throw error;
    }
  }
}

function inspectionBody(inspection) {
  return JSON.stringify({
    structure: inspection.structure, kind: inspection.kind, date: inspection.date || null,
    weather: inspection.weather || null, not_inspected: inspection.not_inspected || [],
    edited_ms: inspection.edited_ms,
  });
}

function defectBody(defect) {
  return JSON.stringify({
    component: defect.component, type: defect.type, severity: defect.severity || null,
    extent: defect.extent || null, measurements: defect.measurements || {},
    lat: defect.lat ?? null, lon: defect.lon ?? null, accuracy_m: defect.accuracy_m ?? null,
    note: defect.note || null, photos: defect.photos || [], edited_ms: defect.edited_ms,
  });
}

async function round() {
  const json = { "Content-Type": "application/json" };
  const inspections = (await db.all("inspections")).filter((i) => i.sync === "waiting");
  for (const inspection of inspections) {
    await one("inspections", inspection, () => send("PUT", api(inspection.id), inspectionBody(inspection), json));
  }
  const acked = new Set((await db.all("inspections")).filter((i) => i.sync === "acked").map((i) => i.id));
  for (const photo of (await db.all("photos")).filter((p) => p.sync === "waiting" && acked.has(p.inspection))) {
    const about = JSON.stringify({
      taken_ms: photo.taken_ms, lat: photo.lat ?? null, lon: photo.lon ?? null,
      accuracy_m: photo.accuracy_m ?? null, component: photo.component || null,
    });
    await one("photos", photo, () => send("PUT", api(`${photo.inspection}/photos/${photo.id}`), photo.blob,
      { "Content-Type": photo.blob.type || "image/jpeg", "X-Photo": about }));
  }
  for (const defect of (await db.all("defects")).filter((d) => d.sync === "waiting" && acked.has(d.inspection))) {
    const url = api(`${defect.inspection}/defects/${defect.id}`);
    await one("defects", defect, () => defect.deleted
      ? send("DELETE", `${url}?edited_ms=${defect.edited_ms}`)
      : send("PUT", url, defectBody(defect), json));
  }
  for (const grades of (await db.all("grades")).filter((g) => g.sync === "waiting" && acked.has(g.inspection))) {
    await one("grades", grades, () => send("PUT", api(`${grades.inspection}/grades`),
      JSON.stringify({ grades: grades.grades, edited_ms: grades.edited_ms }), json));
  }
}

/** One sync round; concurrent calls share it. Resolves to a summary. */
export function sync() {
  if (running) return running;
  running = (async () => {
    try {
      await round();
      await db.setMeta("last_sync", Date.now());
      return { ok: true };
    } catch (error) {
      return { ok: false, login: !!error.login, error: error.message };
    } finally {
      running = null;
      window.dispatchEvent(new Event("voussoir-synced"));
    }
  })();
  return running;
}

/** Hands an inspection in, once everything of it is acknowledged. */
export async function submit(inspectionId) {
  return send("POST", api(`${inspectionId}/submit`));
}
