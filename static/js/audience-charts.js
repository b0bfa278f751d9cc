/* The audience dashboard's charts (analytics/admin/film.html), drawn with Chart.js from the figures
   the page carries in #audience-chart. */
(() => {
  const source = document.getElementById("audience-chart");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const L = data.labels;
  const gold = "#e8b04b", blue = "#4b8be8", green = "#3fae7a", grey = "#8a93a6";
  const canvas = (name) => document.querySelector(`canvas[data-chart="${name}"]`);
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const common = { responsive: true, maintainAspectRatio: false, animation: still ? false : { duration: 400 }, interaction: { mode: "index", intersect: false } };

  new Chart(canvas("plays"), {
    type: "bar",
    data: {
      labels: data.days,
      datasets: [
        { label: L.plays, data: data.plays, backgroundColor: gold, yAxisID: "y" },
        { label: L.hours, data: data.hours, type: "line", borderColor: blue, backgroundColor: blue, yAxisID: "hours", tension: 0.25 },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, hours: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } },
  });

  new Chart(canvas("retention"), {
    type: "line",
    data: {
      labels: data.retention.map((_, i) => i + "%"),
      datasets: [{ label: L.retention, data: data.retention.map((share) => Math.round(share * 1000) / 10), borderColor: gold, backgroundColor: "rgba(232,176,75,.2)", fill: true, pointRadius: 0, tension: 0.2 }],
    },
    options: { ...common, scales: { x: { title: { display: true, text: L.point }, ticks: { maxTicksLimit: 11 } }, y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
  });

  new Chart(canvas("money"), {
    type: "bar",
    data: {
      labels: data.days,
      datasets: [
        { label: L.purchases, data: data.purchases, backgroundColor: blue, stack: "won", yAxisID: "y" },
        { label: L.donations, data: data.donations, backgroundColor: green, stack: "won", yAxisID: "y" },
        { label: L.page_views, data: data.page_views, type: "line", borderColor: grey, backgroundColor: grey, yAxisID: "views", tension: 0.25 },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true, stacked: true }, views: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } } } },
  });
})();
