// The photo viewer of a report: the gallery's filters (underwater,
// unplaced, cited by no defect) and a full-screen viewer with previous and
// next (buttons, arrow keys, swipe), zoom, the photo's caption, and its
// full-resolution original where the book keeps it. Without this script
// each photo still opens alone.
"use strict";

const viewer = document.getElementById("viewer");
const figures = () => [...document.querySelectorAll(".photo-group figure")].filter((figure) => !figure.hidden);

const filters = document.querySelector("p.filters");
if (filters) {
  filters.hidden = false;
  filters.addEventListener("click", (event) => {
    const filter = event.target.dataset && event.target.dataset.filter;
    if (!filter) return;
    document.querySelectorAll(".photo-group figure").forEach((figure) => {
      figure.hidden = filter !== "all" && figure.dataset[filter] !== "true";
    });
    document.querySelectorAll(".photo-group").forEach((group) => {
      group.hidden = ![...group.querySelectorAll("figure")].some((figure) => !figure.hidden);
    });
    filters.querySelectorAll("button").forEach((button) => button.classList.toggle("on", button === event.target));
  });
}

let shown = 0;
function show(index) {
  const list = figures();
  if (!list.length) return;
  shown = (index + list.length) % list.length;
  const figure = list[shown];
  const image = viewer.querySelector(".viewer-frame img");
  image.src = figure.dataset.review || figure.querySelector("img").src;
  image.alt = figure.querySelector("img").alt;
  viewer.querySelector(".viewer-caption").innerHTML = figure.querySelector("figcaption").innerHTML;
  viewer.querySelector(".viewer-count").textContent = `${shown + 1} / ${list.length}`;
  const original = viewer.querySelector(".viewer-original");
  original.hidden = !figure.dataset.original;
  original.href = figure.dataset.original || "#";
  viewer.classList.remove("zoomed");
}

if (viewer && viewer.showModal) {
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".photo-group figure > a");
    if (!link) return;
    event.preventDefault();
    show(figures().indexOf(link.parentElement));
    viewer.showModal();
  });
  viewer.addEventListener("click", (event) => {
    const data = event.target.dataset || {};
    if (data.go) show(shown + Number(data.go));
    if (data.zoom) viewer.classList.toggle("zoomed");
    if (data.close) viewer.close();
  });
  viewer.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") show(shown + 1);
    if (event.key === "ArrowLeft") show(shown - 1);
  });
  let touchX = null;
  viewer.addEventListener("touchstart", (event) => { touchX = event.touches[0].clientX; }, { passive: true });
  viewer.addEventListener("touchend", (event) => {
    if (touchX === null) return;
    const moved = event.changedTouches[0].clientX - touchX;
    if (Math.abs(moved) > 50) show(shown + (moved < 0 ? 1 : -1));
    touchX = null;
  });
}
