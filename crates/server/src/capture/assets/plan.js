// The plan of a structure, drawn from the course file's positions: the
// axis, each component as a labelled square, the phone's position with its
// accuracy circle, and a tapped point. Tapping the plan gives a position
// (longitude, latitude) back through `onPick`.

const SIZE = 320;

function projector(points) {
  const lons = points.map((p) => p.lon), lats = points.map((p) => p.lat);
  const centre = { lon: (Math.min(...lons) + Math.max(...lons)) / 2, lat: (Math.min(...lats) + Math.max(...lats)) / 2 };
  const mLat = 111320, mLon = mLat * Math.cos(centre.lat * Math.PI / 180);
  const span = Math.max((Math.max(...lons) - Math.min(...lons)) * mLon, (Math.max(...lats) - Math.min(...lats)) * mLat, 40);
  const scale = (SIZE * 0.8) / span; // pixels per metre
  return {
    scale,
    to: (p) => [SIZE / 2 + (p.lon - centre.lon) * mLon * scale, SIZE / 2 - (p.lat - centre.lat) * mLat * scale],
    from: (x, y) => ({ lon: centre.lon + (x - SIZE / 2) / scale / mLon, lat: centre.lat - (y - SIZE / 2) / scale / mLat }),
  };
}

function svg(name, attributes, text) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text) element.textContent = text;
  return element;
}

/** Draws the plan; `here` is the phone's fix, `picked` a chosen point. */
export function drawPlan(structure, { here, picked, onPick, highlight } = {}) {
  const placed = structure.components.filter((c) => c.position);
  const points = [...structure.axis, ...placed.map((c) => c.position)];
  if (structure.position) points.push(structure.position);
  const root = svg("svg", { viewBox: `0 0 ${SIZE} ${SIZE}`, class: "plan", role: "img", "aria-label": structure.name });
  if (points.length === 0) return root;
  const p = projector(points);
  // As tall as the structure needs: a long bridge is a wide strip.
  const ys = points.map((q) => p.to(q)[1]);
  const top = Math.max(0, Math.min(...ys) - 50), bottom = Math.min(SIZE, Math.max(...ys) + 50);
  const height = Math.max(140, bottom - top);
  root.setAttribute("viewBox", `0 ${top} ${SIZE} ${height}`);
  if (structure.axis.length > 1) {
    root.append(svg("polyline", { points: structure.axis.map((q) => p.to(q).join(",")).join(" "), fill: "none", stroke: "#8a9aa5", "stroke-width": 12, "stroke-linecap": "round" }));
  }
  for (const component of placed) {
    const [x, y] = p.to(component.position);
    const on = component.code === highlight;
    root.append(svg("rect", { x: x - 6, y: y - 6, width: 12, height: 12, fill: on ? "#d62f2f" : (component.underwater ? "#1b9aaa" : "#1d2a33"), "data-component": component.code }));
    root.append(svg("text", { x: x + 8, y: y - 8, fill: "#0f1a21" }, component.code));
  }
  if (here) {
    const [x, y] = p.to(here);
    if (x > -SIZE && x < 2 * SIZE && y > -SIZE && y < 2 * SIZE) {
      root.append(svg("circle", { cx: x, cy: y, r: Math.max(4, here.accuracy * p.scale), fill: "#3b6fb6", "fill-opacity": 0.15, stroke: "#3b6fb6" }));
      root.append(svg("circle", { cx: x, cy: y, r: 6, fill: "#3b6fb6", stroke: "#fff", "stroke-width": 2, id: "you-are-here" }));
    }
  }
  if (picked) {
    const [x, y] = p.to(picked);
    root.append(svg("path", { d: `M${x - 8},${y - 8} L${x + 8},${y + 8} M${x - 8},${y + 8} L${x + 8},${y - 8}`, stroke: "#d62f2f", "stroke-width": 3 }));
  }
  if (onPick) {
    root.addEventListener("click", (event) => {
      const box = root.getBoundingClientRect();
      const x = (event.clientX - box.left) * SIZE / box.width, y = top + (event.clientY - box.top) * height / box.height;
      onPick(p.from(x, y));
    });
  }
  return root;
}

/** Metres between two positions (haversine: enough to sort by distance). */
export function metres(a, b) {
  const rad = Math.PI / 180, dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
