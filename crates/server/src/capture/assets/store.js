// What the trainee records, kept on the device in IndexedDB until the
// server has acknowledged it: inspections, defects, photos (as Blobs),
// own grades, plus the course data the app needs offline. Nothing is ever
// removed by a sync; a record only changes state (waiting, acked, refused).

const DB_NAME = "voussoir";
const STORES = ["meta", "inspections", "defects", "photos", "grades"];
let opened = null;

function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("meta");
      db.createObjectStore("inspections", { keyPath: "id" });
      db.createObjectStore("defects", { keyPath: "id" }).createIndex("inspection", "inspection");
      db.createObjectStore("photos", { keyPath: "id" }).createIndex("inspection", "inspection");
      db.createObjectStore("grades", { keyPath: "inspection" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode = "readonly") {
  const db = await open();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) {
  return done((await store(name)).get(key));
}

export async function put(name, value, key) {
  const target = await store(name, "readwrite");
  return done(key === undefined ? target.put(value) : target.put(value, key));
}

export async function all(name) {
  return done((await store(name)).getAll());
}

export async function byInspection(name, inspection) {
  return done((await store(name)).index("inspection").getAll(inspection));
}

export async function meta(key) { return get("meta", key); }
export async function setMeta(key, value) { return put("meta", value, key); }

/** A new id for a record: a UUID made on the device. */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Saves an edit: the record waits for the next sync with its edit time. */
export async function edit(name, record) {
  record.edited_ms = Date.now();
  record.sync = "waiting";
  delete record.error;
  await put(name, record);
  window.dispatchEvent(new Event("voussoir-changed"));
  return record;
}

/** Everything not yet acknowledged by the server, with its size. */
export async function pending() {
  const lists = await Promise.all(["inspections", "defects", "photos", "grades"].map(all));
  const waiting = lists.flat().filter((record) => record.sync !== "acked");
  const bytes = waiting.reduce((sum, record) => sum + (record.blob ? record.blob.size : 400), 0);
  return { waiting, count: waiting.filter((r) => r.sync === "waiting").length,
           refused: waiting.filter((r) => r.sync === "refused"), bytes };
}
