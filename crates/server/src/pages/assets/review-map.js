// The interactive map of a report, drawn with the vendored Leaflet from
// the report's map.json: the structure's plan as the background (nothing
// is fetched from another host), the trainee's defects coloured by
// severity, the reference's defects and the matches when the reader may
// see them, photos and GPS tracks, each a layer that can be switched off.
"use strict";

const box = document.getElementById("live-map");
if (box && window.L) {
  fetch(box.dataset.source, { credentials: "same-origin" })
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
    .then(draw)
    .catch(() => box.remove());
}

function text(value) {
  const span = document.createElement("span");
  span.textContent = value == null ? "" : String(value);
  return span.innerHTML;
}

function draw(data) {
  const L = window.L;
  const point = (at) => [at[1], at[0]];
  const bounds = [];
  const map = L.map(box, { zoomSnap: 0.25, maxZoom: 24, attributionControl: false });
  const labels = data.labels;
  const background = data.background || { layers: [] };
  // Online tiles only when the course file names a server (and its
  // attribution); else the structure's plan is the background.
  if (background.tiles) {
    L.tileLayer(background.tiles, { attribution: text(background.attribution), maxZoom: 19, maxNativeZoom: 19 }).addTo(map);
    L.control.attribution({ prefix: false }).addAttribution(text(background.attribution)).addTo(map);
  }

  const plan = L.layerGroup();
  if (data.axis.length > 1) {
    L.polyline(data.axis.map(point), { color: "#1d2a33", weight: 8, opacity: 0.25 }).addTo(plan);
    data.axis.forEach((at) => bounds.push(point(at)));
  }
  data.components.forEach((component) => {
    L.circleMarker(point(component.at), {
      radius: 4, color: component.underwater ? "#1c6e8c" : "#1d2a33", weight: 1, fillOpacity: 0.15,
    }).bindTooltip(text(component.code), { permanent: true, direction: "right", className: "plan-label" })
      .addTo(plan);
    bounds.push(point(component.at));
  });

  const byId = new Map();
  const trainee = L.layerGroup();
  data.trainee.forEach((defect) => {
    const photos = defect.photos.map((url) => `<img src="${text(url)}" alt="">`).join("");
    const marker = L.circleMarker(point(defect.at), {
      radius: 8, color: "#1d2a33", weight: 1.5, fillColor: defect.colour, fillOpacity: 0.9,
      className: "trainee-defect",
    }).bindPopup(
      `<strong>#${defect.id} ${text(defect.name)}</strong> <small>${text(defect.type)}</small><br>` +
      `${text(labels.component)} ${text(defect.component)} · ${text(labels.severity)} ${text(defect.severity || "?")}` +
      (defect.note ? `<br><em>${text(defect.note)}</em>` : "") +
      (photos ? `<div class="popup-photos">${photos}</div>` : ""),
    );
    marker.addTo(trainee);
    byId.set(defect.id, defect.at);
    bounds.push(point(defect.at));
  });

  const reference = L.layerGroup();
  data.reference.forEach((defect) => {
    L.circleMarker(point(defect.at), {
      radius: 11, color: defect.colour, weight: 3, fill: false, dashArray: "4 3", className: "reference-defect",
    }).bindPopup(`<strong>${text(labels.reference)} #${defect.id} ${text(defect.name)}</strong><br>` +
      `${text(labels.component)} ${text(defect.component)} · ${text(labels.severity)} ${text(defect.severity || "?")}`)
      .addTo(reference);
    byId.set(defect.id, defect.at);
  });
  const matches = L.layerGroup();
  data.matches.forEach(([referenceId, traineeId]) => {
    const from = byId.get(referenceId);
    const to = byId.get(traineeId);
    if (from && to) L.polyline([point(from), point(to)], { color: "#5b6a74", weight: 2, interactive: false }).addTo(matches);
  });

  const photos = L.layerGroup();
  const underwater = L.layerGroup();
  data.photos.forEach((photo) => {
    const marker = L.circleMarker(point(photo.at), {
      radius: 4, color: photo.underwater ? "#1c6e8c" : "#3355aa", weight: 1, fillOpacity: 0.8, className: "photo-marker",
    });
    const image = photo.thumb ? `<a href="${text(photo.review || photo.thumb)}"><img src="${text(photo.thumb)}" alt=""></a><br>` : "";
    marker.bindPopup(`${image}${text(photo.file)}${photo.component ? " · " + text(photo.component) : ""}`);
    marker.addTo(photo.underwater ? underwater : photos);
  });

  const tracks = L.layerGroup();
  data.tracks.forEach((segment) => {
    if (segment.length > 1) L.polyline(segment.map(point), { color: "#7a3db8", weight: 2, opacity: 0.7 }).addTo(tracks);
  });

  const overlays = {};
  background.layers.forEach((layer) => {
    overlays[layer.name] = L.geoJSON(layer.geojson, {
      style: { color: "#5b6a74", weight: 1.5, fillColor: "#9fb3c0", fillOpacity: 0.15 },
      pointToLayer: (feature, at) => L.circleMarker(at, { radius: 3, color: "#5b6a74" }),
      interactive: false,
    });
  });
  // Added in this order, the trainee's defects lie on top, clickable.
  overlays[labels.plan] = plan;
  if (data.reference.length) {
    overlays[labels.reference] = reference;
    overlays[labels.matches] = matches;
  }
  overlays[labels.trainee] = trainee;
  overlays[labels.photos] = photos;
  if (data.photos.some((photo) => photo.underwater)) overlays[labels.underwater] = underwater;
  if (data.tracks.length) overlays[labels.track] = tracks;
  Object.values(overlays).forEach((layer) => layer.addTo(map));
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 600 }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 21 });
  else map.setView([0, 0], 2);
  box.classList.add("ready");
}
