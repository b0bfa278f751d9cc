/* Points hls.js at its self-hosted worker (vendor/hls.js/hls.worker.js) before the player starts it.
   Without a worker path hls.js builds its worker from a blob: URL, which the site's CSP
   (worker-src 'self') refuses. The URL comes from this script tag's data-worker attribute. */
(function () {
  "use strict";
  const script = document.currentScript;
  if (window.Hls && script && script.dataset.worker) window.Hls.DefaultConfig.workerPath = script.dataset.worker;
})();
