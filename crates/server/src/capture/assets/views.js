// The app's screens, built as DOM elements (never from HTML strings, so
// nothing typed can become markup): home, an inspection with its plan and
// components, a component with its defects and photos, the defect form,
// the own grades, and what waits to be sent.

import * as db from "./store.js";
import { sync, submit } from "./sync.js";
import { drawPlan, metres } from "./plan.js";
import { app, h, online, t, show } from "./app.js";

const KINDS = ["detailed-periodic", "annual-check", "evaluation-visit", "initial-detailed", "exceptional-detailed", "underwater"];
const EXTENTS = ["isolated", "some", "widespread"];

function structureOf(code) {
  return app.setup?.structures.find((s) => s.code === code);
}

function typeName(code) {
  const entry = app.setup?.catalogue.find((e) => e.code === code);
  if (!entry) return code;
  return app.language === "fr" ? entry.name_fr : entry.name_en;
}

function statusChip(record) {
  const state = record.sync === "draft" ? "waiting" : (record.sync || "waiting");
  return h(`span.status.${state}`, { title: reason(record) }, t(state));
}

/** Why the server refused a record, in the app's language. */
function reason(record) {
  if (!record.error) return "";
  return record.error === "newer-on-server" ? t("newer_on_server") : record.error;
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function back(href) {
  return h("a.button.secondary", { href }, t("back"));
}

export async function route(hash) {
  if (!app.session && app.needsLogin) return loginPrompt();
  if (app.session && app.session.role !== "trainee") {
    return h("div.stack", {}, h("p.notice", {}, t("instructors_elsewhere")), h("a.button", { href: "/dashboard" }, t("dashboard")));
  }
  if (!app.setup) return loginPrompt();
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts[0] === "sync") return syncView();
  if (parts[0] === "i" && parts[1]) {
    const inspection = await db.get("inspections", parts[1]);
    if (!inspection) return home();
    if (parts[2] === "c" && parts[3]) return componentView(inspection, decodeURIComponent(parts[3]));
    if (parts[2] === "d" && parts[3]) return defectView(inspection, parts[3], new URLSearchParams(hash.split("?")[1] || ""));
    if (parts[2] === "grades") return gradesView(inspection);
    return inspectionView(inspection);
  }
  return home();
}

function loginPrompt() {
  return h("div.stack", {},
    h("p.notice", {}, t("log_in_first")),
    h("a.button", { href: "/login", id: "login-link" }, t("log_in")));
}

function loginBanner() {
  return app.needsLogin ? h("p.notice.error", {}, t("log_in_again"), " ", h("a", { href: "/login" }, t("log_in"))) : null;
}

async function home() {
  const inspections = (await db.all("inspections")).sort((a, b) => (b.created_ms || 0) - (a.created_ms || 0));
  const structures = app.setup.structures;
  const form = h("form.card.stack", { id: "new-inspection" },
    h("h2", {}, t("new_inspection")),
    h("label", { for: "structure" }, t("structure")),
    h("select", { id: "structure", name: "structure" }, structures.map((s) => h("option", { value: s.code }, `${s.code} — ${s.name}`))),
    h("label", { for: "kind" }, t("kind")),
    h("select", { id: "kind", name: "kind" }, KINDS.map((k) => h("option", { value: k }, t(`kind_${k}`)))),
    h("label", { for: "date" }, t("date")),
    h("input", { id: "date", name: "date", type: "date", value: today() }),
    h("label", { for: "weather" }, t("weather")),
    h("input", { id: "weather", name: "weather", type: "text" }),
    h("button", { type: "submit", id: "create-inspection" }, t("new_inspection")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const record = {
      id: db.newId(), structure: data.get("structure"), kind: data.get("kind"),
      date: data.get("date") || null, weather: data.get("weather") || null,
      not_inspected: [], created_ms: Date.now(),
    };
    await db.edit("inspections", record);
    location.hash = `#/i/${record.id}`;
  });
  const items = await Promise.all(inspections.map(async (inspection) => {
    const defects = (await db.byInspection("defects", inspection.id)).filter((d) => !d.deleted);
    const structure = structureOf(inspection.structure);
    return h("li", {}, h("a", { href: `#/i/${inspection.id}`, class: "inspection-link" },
      h("span", {}, h("strong", {}, structure?.name || inspection.structure), h("br"), h("span.muted", {}, `${inspection.date || ""} · ${defects.length} ${t("defects").toLowerCase()}`)),
      h("span.meta", {}, statusChip(inspection), inspection.submitted ? h("div", {}, t("submitted", { v: inspection.submitted })) : null)));
  }));
  const name = app.session?.full_name || app.session?.user || "";
  return h("div.stack", {},
    loginBanner(),
    h("h1", {}, `${t("hello")} ${name}`),
    h("h2", {}, t("my_inspections")),
    items.length ? h("ul.list", {}, items) : h("p.muted", {}, t("no_inspection")),
    form);
}

function hereLine(structure) {
  if (!app.here) return h("p.muted", { id: "here" }, t("no_fix"));
  const m = Math.round(app.here.accuracy);
  const points = structure.components.filter((c) => c.position).map((c) => c.position);
  const distance = points.length ? Math.min(...points.map((p) => metres(p, app.here))) : 0;
  if (distance > app.setup.limits.max_distance_m) return h("p.notice", { id: "here" }, t("far_fix", { m: Math.round(distance) }));
  if (app.here.accuracy > app.setup.limits.warn_accuracy_m) return h("p.notice", { id: "here" }, t("poor_fix", { m }));
  return h("p.muted", { id: "here" }, t("you_are_here", { m }));
}

async function inspectionView(inspection) {
  const structure = structureOf(inspection.structure);
  const defects = (await db.byInspection("defects", inspection.id)).filter((d) => !d.deleted);
  const components = [...structure.components];
  if (app.here) {
    components.sort((a, b) => (a.position ? metres(a.position, app.here) : 1e9) - (b.position ? metres(b.position, app.here) : 1e9));
  }
  const plan = drawPlan(structure, {
    here: app.here,
    onPick: (position) => {
      const nearest = [...structure.components].filter((c) => c.position).sort((a, b) => metres(a.position, position) - metres(b.position, position))[0];
      if (nearest) location.hash = `#/i/${inspection.id}/c/${encodeURIComponent(nearest.code)}`;
    },
  });
  const list = h("ul.list", { id: "components" }, components.map((component) => {
    const count = defects.filter((d) => d.component === component.code).length;
    const distance = app.here && component.position ? `${Math.round(metres(component.position, app.here))} m` : "";
    return h("li", {}, h("a", { href: `#/i/${inspection.id}/c/${encodeURIComponent(component.code)}`, "data-component": component.code },
      h("span", {}, h("strong", {}, component.code), " ", component.name || "", component.underwater ? h("span.muted", {}, ` · ${t("underwater")}`) : null),
      h("span.meta", {}, count ? `${count} ✎` : "", h("br"), distance)));
  }));
  const pending = (await db.pending()).waiting.filter((r) => (r.inspection || r.id) === inspection.id && r.sync === "waiting");
  const submitButton = h("button", { type: "button", id: "submit-inspection", disabled: pending.length > 0 || !online() }, t("submit"));
  submitButton.addEventListener("click", async () => {
    try {
      const submission = await submit(inspection.id);
      inspection.submitted = submission.version;
      await db.put("inspections", inspection);
      app.message = t("submitted", { v: submission.version });
    } catch (error) {
      app.message = t("submit_failed", { e: error.message });
    }
    show();
  });
  const message = app.message; app.message = null;
  return h("div.stack", {},
    loginBanner(),
    h("h1", {}, structure.name),
    h("p.muted", {}, `${t(`kind_${inspection.kind}`)} · ${inspection.date || ""} · `, statusChip(inspection)),
    message ? h("p.notice.ok", { id: "message" }, message) : null,
    hereLine(structure),
    plan,
    h("div.row", {}, h("button.secondary", { type: "button", onclick: () => show() }, t("locate")),
      h("a.button.secondary", { href: `#/i/${inspection.id}/grades`, id: "grades-link" }, t("grades"))),
    h("h2", {}, t("components"), app.here ? h("span.muted", {}, ` (${t("nearest_first")})`) : null),
    list,
    pending.length ? h("p.muted", {}, t("submit_wait")) : null,
    h("div.actions", {}, back("#/"), submitButton));
}

async function photoInput(inspection, component, defect, after) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true, class: "photo-input", id: defect ? "defect-photos" : "component-photos" });
  input.addEventListener("change", async () => {
    const ids = [];
    for (const file of input.files) {
      const blob = app.settings?.downscale ? await shrink(file) : file;
      const record = {
        id: db.newId(), inspection: inspection.id, component, defect: defect?.id || null,
        blob, size: blob.size, name: file.name, taken_ms: Date.now(),
        lat: app.here?.lat, lon: app.here?.lon, accuracy_m: app.here?.accuracy,
      };
      await db.edit("photos", record);
      ids.push(record.id);
    }
    await after(ids);
  });
  return h("label.button.secondary", {}, t("take_photo"), input);
}

async function shrink(file) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob((blob) => resolve(blob || file), "image/jpeg", 0.85));
  } catch {
    return file;
  }
}

function thumbnails(photos) {
  return h("div.photos", {}, photos.map((photo) => h("figure", {},
    h("img", { src: URL.createObjectURL(photo.blob), alt: photo.name || "" }),
    h("figcaption", {}, statusChip(photo)))));
}

async function componentView(inspection, code) {
  const structure = structureOf(inspection.structure);
  const component = structure.components.find((c) => c.code === code);
  const defects = (await db.byInspection("defects", inspection.id)).filter((d) => d.component === code && !d.deleted);
  const photos = (await db.byInspection("photos", inspection.id)).filter((p) => p.component === code && !p.defect);
  const grades = (await db.get("grades", inspection.id)) || { inspection: inspection.id, grades: [] };
  const current = grades.grades.find(([target]) => target === code)?.[1] || "";
  const gradeSelect = h("select", { id: "component-grade" }, h("option", { value: "" }, t("not_graded")),
    app.setup.grades.map((g) => h("option", { value: g, selected: g === current }, g)));
  gradeSelect.addEventListener("change", async () => {
    grades.grades = grades.grades.filter(([target]) => target !== code);
    if (gradeSelect.value) grades.grades.push([code, gradeSelect.value]);
    await db.edit("grades", grades);
  });
  const severity = (code) => app.setup.severities.find((s) => s.code === code);
  return h("div.stack", {},
    h("h1", {}, `${component.code} — ${component.name || ""}`),
    h("h2", {}, t("defects")),
    h("ul.list", { id: "defects" }, defects.map((defect) => h("li", {}, h("a", { href: `#/i/${inspection.id}/d/${defect.id}` },
      h("span", {}, severity(defect.severity) ? h("span.swatch", { style: `background:${severity(defect.severity).colour}` }) : null,
        h("strong", {}, typeName(defect.type)), " ", defect.severity || "?",
        defect.error ? h("div.muted", {}, t("refused_reason", { e: reason(defect) })) : null),
      h("span.meta", {}, statusChip(defect)))))),
    h("a.button", { href: `#/i/${inspection.id}/d/new?c=${encodeURIComponent(code)}`, id: "add-defect" }, t("add_defect")),
    h("h2", {}, t("component_photos")),
    thumbnails(photos),
    await photoInput(inspection, code, null, () => show()),
    h("label", { for: "component-grade" }, t("own_grade")),
    gradeSelect,
    h("div.actions", {}, back(`#/i/${inspection.id}`)));
}

function choiceButtons(name, values, selected, label, onPick) {
  const group = h("div.choices", { id: name, role: "group" });
  for (const value of values) {
    const button = h("button", { type: "button", "aria-pressed": String(value.code === selected), "data-value": value.code },
      value.colour ? h("span.swatch", { style: `background:${value.colour}` }) : null, label(value));
    button.addEventListener("click", () => {
      for (const other of group.children) other.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-pressed", "true");
      onPick(value.code);
    });
    group.append(button);
  }
  return group;
}

// The severity choice: one row of buttons, or, in the German RI-EBW-PRÜF
// scheme, one row of 0–4 for each of stability, traffic safety and
// durability, composed as S2V0D3 once all three are picked.
function severityPicker(draft) {
  if (app.setup.scheme !== "ri-ebw-pruef") {
    return choiceButtons("severity", app.setup.severities, draft.severity, (s) => s.code, (v) => { draft.severity = v; });
  }
  const found = /^S([0-4])V([0-4])D([0-4])$/.exec(draft.severity || "");
  const levels = { S: found?.[1] ?? null, V: found?.[2] ?? null, D: found?.[3] ?? null };
  const rows = h("div.stack", { id: "severity" });
  for (const [letter, key] of [["S", "stability"], ["V", "traffic_safety"], ["D", "durability"]]) {
    rows.append(h("span.muted", {}, t(key)),
      choiceButtons(`severity-${letter}`, ["0", "1", "2", "3", "4"].map((code) => ({ code })), levels[letter],
        (level) => `${letter}${level.code}`,
        (value) => {
          levels[letter] = value;
          if (levels.S !== null && levels.V !== null && levels.D !== null) {
            draft.severity = `S${levels.S}V${levels.V}D${levels.D}`;
          }
        }));
  }
  return rows;
}

async function defectView(inspection, defectId, query) {
  const structure = structureOf(inspection.structure);
  let defect = defectId === "new" ? null : await db.get("defects", defectId);
  const draft = defect ? { ...defect, measurements: { ...(defect.measurements || {}) } }
    : { id: db.newId(), inspection: inspection.id, component: query.get("c"), type: null, severity: null, extent: null, measurements: {}, photos: [] };
  const component = structure.components.find((c) => c.code === draft.component);
  const allowed = new Set(component?.types || []);
  const types = app.setup.catalogue.filter((entry) => allowed.has(entry.code));
  const typeList = h("div.types", { id: "types" });
  const measures = h("div.grid2", { id: "measures" });
  const drawMeasures = () => {
    const entry = app.setup.catalogue.find((e) => e.code === draft.type);
    measures.replaceChildren(...(entry?.measures || []).map((measure) => h("div", {},
      h("label", { for: measure }, t(measure)),
      h("input", { id: measure, type: "number", inputmode: "decimal", min: 0, max: app.setup.measure_limits?.[measure], step: "any", value: draft.measurements[measure] ?? "",
        oninput: (event) => { const v = event.target.value.replace(",", "."); draft.measurements[measure] = v === "" ? null : Number(v); } }))));
  };
  const drawTypes = (filter) => {
    const needle = (filter || "").toLowerCase();
    typeList.replaceChildren(...types.filter((e) => !needle || e.code.toLowerCase().includes(needle) || e.name_fr.includes(needle) || e.name_en.includes(needle))
      .map((entry) => {
        const button = h("button", { type: "button", "aria-pressed": String(entry.code === draft.type), "data-type": entry.code },
          `${app.language === "fr" ? entry.name_fr : entry.name_en} · ${entry.code}`);
        button.addEventListener("click", () => { draft.type = entry.code; drawTypes(search.value); drawMeasures(); });
        return button;
      }));
  };
  const search = h("input", { type: "search", id: "type-search", placeholder: t("search_type"), oninput: (event) => drawTypes(event.target.value) });
  drawTypes(""); drawMeasures();
  const positionLine = h("p.muted", { id: "position-line" });
  const planBox = h("div");
  const drawPosition = () => {
    positionLine.textContent = draft.lat != null
      ? `${draft.lat.toFixed(6)}, ${draft.lon.toFixed(6)}${draft.accuracy_m != null ? ` (± ${Math.round(draft.accuracy_m)} m)` : ""}`
      : t("no_position");
    planBox.replaceChildren(drawPlan(structure, {
      here: app.here, highlight: draft.component,
      picked: draft.lat != null ? { lat: draft.lat, lon: draft.lon } : null,
      onPick: (p) => { draft.lat = p.lat; draft.lon = p.lon; draft.accuracy_m = null; drawPosition(); },
    }));
  };
  drawPosition();
  const fixNotice = h("p", { id: "fix-notice" });
  const useFix = h("button.secondary", { type: "button", id: "use-position" }, t("use_my_position"));
  useFix.addEventListener("click", () => {
    if (!app.here) { fixNotice.className = "notice"; fixNotice.textContent = t("no_fix"); return; }
    const m = Math.round(app.here.accuracy);
    if (app.here.accuracy > app.setup.limits.refuse_accuracy_m) { fixNotice.className = "notice error"; fixNotice.textContent = t("refused_fix", { m }); return; }
    fixNotice.className = app.here.accuracy > app.setup.limits.warn_accuracy_m ? "notice" : "";
    fixNotice.textContent = app.here.accuracy > app.setup.limits.warn_accuracy_m ? t("poor_fix", { m }) : "";
    draft.lat = app.here.lat; draft.lon = app.here.lon; draft.accuracy_m = app.here.accuracy;
    drawPosition();
  });
  const photos = (await db.byInspection("photos", inspection.id)).filter((p) => (draft.photos || []).includes(p.id));
  const problem = h("p", { id: "form-problem" });
  const save = h("button", { type: "button", id: "save-defect" }, t("save"));
  save.addEventListener("click", async () => {
    if (!draft.type) { problem.className = "notice error"; problem.textContent = t("choose_type"); return; }
    draft.note = note.value || null;
    await db.edit("defects", draft);
    location.hash = `#/i/${inspection.id}/c/${encodeURIComponent(draft.component)}`;
  });
  const note = h("textarea", { id: "note", value: draft.note || "" });
  const remove = defect ? h("button.danger", { type: "button", id: "delete-defect" }, t("delete")) : null;
  remove?.addEventListener("click", async () => {
    if (!confirm(t("confirm_delete"))) return;
    draft.deleted = true;
    await db.edit("defects", draft);
    location.hash = `#/i/${inspection.id}/c/${encodeURIComponent(draft.component)}`;
  });
  return h("div.stack", {},
    h("h1", {}, `${t("defect")} · ${draft.component}`),
    defect?.error ? h("p.notice.error", {}, t("refused_reason", { e: reason(defect) })) : null,
    h("label", { for: "type-search" }, t("type")), search, typeList,
    h("label", {}, t("severity")),
    severityPicker(draft),
    h("label", {}, t("extent")),
    choiceButtons("extent", EXTENTS.map((code) => ({ code })), draft.extent, (e) => t(e.code), (v) => { draft.extent = v; }),
    h("label", {}, t("measurements")), measures,
    h("label", { for: "note" }, t("note")), note,
    h("label", {}, t("position")),
    h("div.row", {}, useFix, h("span.muted", {}, t("tap_plan"))), fixNotice, positionLine, planBox,
    h("label", {}, t("photos")), thumbnails(photos),
    await photoInput(inspection, draft.component, draft, async (ids) => {
      draft.photos = [...(draft.photos || []), ...ids];
      draft.note = note.value || null;
      if (draft.type) await db.edit("defects", draft);
      else await db.put("defects", { ...draft, sync: "draft" });
      location.hash = `#/i/${inspection.id}/d/${draft.id}`;
      show();
    }),
    problem,
    h("div.actions", {}, back(`#/i/${inspection.id}/c/${encodeURIComponent(draft.component || "")}`), remove, save));
}

async function gradesView(inspection) {
  const structure = structureOf(inspection.structure);
  const grades = (await db.get("grades", inspection.id)) || { inspection: inspection.id, grades: [] };
  const value = (target) => grades.grades.find(([key]) => key === target)?.[1] || "";
  const targets = [
    ["structure", t("structure_grade")],
    ...app.setup.groups.map((g) => [g, `${t("group_grade")} : ${g.slice("group:".length)}`]),
    ...structure.components.map((c) => [c.code, `${c.code} — ${c.name || ""}`]),
  ];
  const rows = targets.map(([target, label]) => {
    const select = h("select", { id: `grade-${target}`, "data-target": target }, h("option", { value: "" }, t("not_graded")),
      app.setup.grades.map((g) => h("option", { value: g, selected: g === value(target) }, g)));
    return h("div", {}, h("label", { for: `grade-${target}` }, label), select);
  });
  const save = h("button", { type: "button", id: "save-grades" }, t("save"));
  save.addEventListener("click", async () => {
    grades.grades = [...document.querySelectorAll("select[data-target]")].filter((s) => s.value).map((s) => [s.dataset.target, s.value]);
    await db.edit("grades", grades);
    app.message = t("saved");
    location.hash = `#/i/${inspection.id}`;
  });
  return h("div.stack", {}, h("h1", {}, t("grades")), statusChip(grades), grades.error ? h("p.notice.error", {}, t("refused_reason", { e: reason(grades) })) : null,
    ...rows, h("div.actions", {}, back(`#/i/${inspection.id}`), save));
}

/** A size in the app's language: "21 ko", "10 737,6 Mo". */
function size(bytes) {
  const number = (value, digits) =>
    value.toLocaleString(app.language, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (!bytes) return t("kilobytes", { n: "0" });
  return bytes > 1e6
    ? t("megabytes", { n: number(bytes / 1e6, 1) })
    : t("kilobytes", { n: number(bytes / 1e3, 0) });
}

async function syncView() {
  const pending = await db.pending();
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  const last = await db.meta("last_sync");
  const button = h("button", { type: "button", id: "sync-now", disabled: !online() }, t("sync_now"));
  button.addEventListener("click", async () => {
    const result = await sync();
    app.message = result.ok ? null : (result.login ? t("log_in_again") : t("sync_failed", { e: result.error }));
    if (result.login) app.needsLogin = true;
    show();
  });
  const language = h("select", { id: "language" }, [["fr", "Français"], ["en", "English"]].map(([code, name]) => h("option", { value: code, selected: code === app.language }, name)));
  language.addEventListener("change", async () => {
    app.settings = { ...(app.settings || {}), language: language.value };
    app.language = language.value;
    await db.setMeta("settings", app.settings);
    show();
  });
  const downscale = h("input", { type: "checkbox", id: "downscale", checked: !!app.settings?.downscale });
  downscale.addEventListener("change", async () => {
    app.settings = { ...(app.settings || {}), downscale: downscale.checked };
    await db.setMeta("settings", app.settings);
  });
  const message = app.message; app.message = null;
  const describe = (record) => record.type ? `${record.component} · ${typeName(record.type)}` : record.blob ? `${t("photo")} ${record.component || ""}` : record.grades ? t("grades") : record.structure ? `${t("inspection")} ${record.structure}` : record.id;
  return h("div.stack", {},
    loginBanner(),
    h("h1", {}, t("sync_title")),
    message ? h("p.notice.error", {}, message) : null,
    h("p", { id: "pending-count" }, `${pending.count} ${t("waiting")} · ${size(pending.bytes)}`),
    h("p.muted", {}, t("last_sync", { when: last ? new Date(last).toLocaleString(app.language) : t("never") })),
    estimate ? h("p.muted", {}, t("storage", { used: size(estimate.usage), quota: size(estimate.quota) })) : null,
    h("p.muted", {}, app.persisted ? t("persisted") : t("not_persisted")),
    h("ul.list", { id: "pending" }, pending.waiting.map((record) => h("li", {}, h("div.item", { style: "padding:0.5em 0.75em" },
      h("span", {}, describe(record)), " ", statusChip(record),
      record.error ? h("div.muted", {}, t("refused_reason", { e: reason(record) })) : null)))),
    h("h2", {}, t("settings")),
    h("label", { for: "language" }, t("language")), language,
    h("label", {}, downscale, " ", t("downscale")),
    h("div.actions", {}, back("#/"), button));
}
