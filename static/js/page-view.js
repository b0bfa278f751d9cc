/* Counts one view of a film's page (analytics.views.page_view): sent once the page is shown, never
   for a prerendered or prefetched page until someone actually sees it. */
(() => {
  const script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  const send = () => navigator.sendBeacon(script.dataset.url, new Blob([JSON.stringify({ film: Number(script.dataset.film) })], { type: "application/json" }));
  if (document.visibilityState === "visible") send();
  else document.addEventListener("visibilitychange", function shown() {
    if (document.visibilityState !== "visible") return;
    document.removeEventListener("visibilitychange", shown);
    send();
  });
})();
