/* Video edit page: the preview player (hls.js, or native HLS on Safari), and processing followed
   live with a reload when it is done. */
(function () {
  "use strict";
  const preview = document.querySelector("[data-video-preview]");
  if (preview) {
    const source = preview.dataset.src;
    if (window.Hls && window.Hls.isSupported()) {
      // A short buffer until it is played: the preview shows its first frame without fetching the film.
      const hls = new window.Hls({ capLevelToPlayerSize: true, maxBufferLength: 4, startLevel: 0 });
      hls.loadSource(source);
      hls.attachMedia(preview);
      preview.addEventListener("play", () => { hls.config.maxBufferLength = 30; }, { once: true });
    } else if (preview.canPlayType("application/vnd.apple.mpegurl")) {
      preview.src = source;
    }
  }

  const box = document.querySelector("[data-video-status]");
  if (!box) return;
  const active = ["uploading", "processing"];
  if (!active.includes(box.dataset.status)) return;
  const label = box.querySelector("[data-status-label]"), bar = box.querySelector("[data-progress-bar]");
  const percent = box.querySelector("[data-progress]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        label.textContent = data.status_label;
        if (bar) bar.value = data.progress;
        if (percent) percent.textContent = data.progress;
        if (!active.includes(data.status)) window.location.reload();
        else setTimeout(poll, 2000);
      })
      .catch(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 2000);
})();
