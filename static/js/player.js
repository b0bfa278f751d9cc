/* ReelVision player: hls.js (or native HLS), custom controls, storyboard previews, chapters, captions,
   quality, keyboard, resume and progress reports. Configuration comes from #player-config. */
(function () {
  "use strict";
  const root = document.querySelector("[data-player]");
  const configNode = document.getElementById("player-config");
  if (!root || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const t = config.strings || {};
  // A live stream has no length to seek along: its seek bar and times are hidden (player.css).
  root.toggleAttribute("data-live", Boolean(config.live));
  const video = root.querySelector("video");
  const $ = (selector) => root.querySelector(selector);
  const seek = $("[data-seek]"), playButton = $("[data-play]"), muteButton = $("[data-mute]");
  const volume = $("[data-volume]"), timeLabel = $("[data-time]"), notice = $("[data-notice]");
  const captionsSelect = $("[data-captions]"), qualitySelect = $("[data-quality]");
  const preview = $("[data-preview]"), previewImage = $("[data-preview-image]"), previewTime = $("[data-preview-time]");
  let hls = null;

  const clock = (seconds) => {
    seconds = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  };
  const duration = () => (isFinite(video.duration) && video.duration > 0 ? video.duration : config.duration || 0);
  const showNotice = (html, ms) => {
    notice.innerHTML = html;
    notice.hidden = false;
    if (ms) setTimeout(() => { notice.hidden = true; }, ms);
  };

  /* --- loading ------------------------------------------------------------------------ */
  // The server checks the viewer's access at every playlist and segment request. A 403 means the
  // links have expired (a sitting longer than their lifetime) or access has ended (a refund):
  // fresh links are asked for once, and if the film may no longer be watched, the player says so.
  // The buffer is kept to a minute, so a refund ends playback within about a minute.
  let renewing = false, qualityBuilt = false;
  function load() {
    const nativeHls = video.canPlayType("application/vnd.apple.mpegurl");
    if (window.Hls && window.Hls.isSupported()) {
      startHls(config.master_url, -1);
    } else if (nativeHls) {
      video.src = config.master_url;  // Safari: native HLS, its own quality choice
      video.addEventListener("error", () => renew());
    } else {
      showNotice(t.error);
    }
  }

  function startHls(masterUrl, startAt) {
    const Hls = window.Hls;
    hls = new Hls({ capLevelToPlayerSize: true, maxMaxBufferLength: 60, startPosition: startAt });
    hls.loadSource(masterUrl);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => buildQualityMenu(data.levels));
    hls.on(Hls.Events.FRAG_LOADED, () => { renewing = false; });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (data.response && data.response.code === 403) { renew(); return; }
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
      else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else { hls.destroy(); showNotice(t.error); }
    });
  }

  function renew() {
    const at = video.currentTime, playing = !video.paused;
    if (hls) { hls.destroy(); hls = null; }
    if (renewing || !config.renew_url) { showNotice(t.ended || t.error); return; }  // fresh links refused too
    renewing = true;
    fetch(config.renew_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        const fresh = body && (config.is_trailer ? body.trailer : body.film);
        if (!fresh || fresh.video_id !== config.video_id) { showNotice(t.ended || t.error); return; }
        if (window.Hls && window.Hls.isSupported()) startHls(fresh.master_url, at);
        else {
          video.src = fresh.master_url;
          video.addEventListener("loadedmetadata", () => { video.currentTime = at; renewing = false; }, { once: true });
        }
        if (playing) video.play().catch(() => { /* the viewer presses play */ });
      })
      .catch(() => showNotice(t.error));
  }

  function buildQualityMenu(levels) {
    if (qualityBuilt || !levels || levels.length < 2) return;
    qualityBuilt = true;
    levels.forEach((level, index) => {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = level.height + "p";
      qualitySelect.appendChild(option);
    });
    $("[data-quality-wrap]").hidden = false;
    qualitySelect.addEventListener("change", () => { hls.currentLevel = Number(qualitySelect.value); });
  }

  /* --- captions ------------------------------------------------------------------------- */
  (config.captions || []).forEach((caption) => {
    const track = document.createElement("track");
    track.kind = "subtitles";
    track.label = caption.label;
    track.srclang = caption.language;
    track.src = caption.url;
    video.appendChild(track);
    const option = document.createElement("option");
    option.value = caption.language;
    option.textContent = caption.label;
    captionsSelect.appendChild(option);
  });
  if ((config.captions || []).length) $("[data-captions-wrap]").hidden = false;
  function setCaptions(language) {
    Array.from(video.textTracks).forEach((track) => {
      track.mode = track.language === language ? "hidden" : "disabled";
      if (track.mode === "hidden") drawCues(track);
    });
    if (!language) { captionBox.replaceChildren(); captionBox.hidden = true; }
    captionsSelect.value = language;
    try { localStorage.setItem("reelvision.captions", language); } catch (e) { /* private mode */ }
  }
  captionsSelect.addEventListener("change", () => setCaptions(captionsSelect.value));
  // The chosen track is "hidden" (the browser parses it, fires cuechange, draws nothing) and its
  // cues are drawn here, in a box the stylesheet keeps above the control bar; the browser's own
  // rendering would sit under the controls. getCueAsHTML() keeps the cue's own <i>/<b> and
  // never turns cue text into markup.
  const captionBox = root.querySelector("[data-caption-box]");
  function drawCues(track) {
    captionBox.replaceChildren();
    Array.from(track.activeCues || []).forEach((cue) => {
      const line = document.createElement("span");
      line.className = "player__cue";
      line.appendChild(cue.getCueAsHTML());
      captionBox.appendChild(line);
    });
    captionBox.hidden = !captionBox.childElementCount;
  }
  Array.from(video.textTracks).forEach((track) => {
    track.addEventListener("cuechange", () => { if (track.mode === "hidden") drawCues(track); });
  });
  video.addEventListener("loadedmetadata", () => {
    let saved = "";
    try { saved = localStorage.getItem("reelvision.captions") || ""; } catch (e) { /* private mode */ }
    if (saved && (config.captions || []).some((c) => c.language === saved)) setCaptions(saved);
    else setCaptions("");
  }, { once: true });

  /* --- controls ------------------------------------------------------------------------- */
  const toggle = () => (video.paused || video.ended ? video.play() : video.pause());
  playButton.addEventListener("click", toggle);
  // On a touch screen, a tap on the picture while the controls are hidden only brings them back.
  let tapWokeControls = false;
  video.addEventListener("pointerdown", (event) => {
    tapWokeControls = event.pointerType !== "mouse" && root.hasAttribute("data-idle");
  });
  video.addEventListener("click", () => {
    if (tapWokeControls) { tapWokeControls = false; return; }
    toggle();
  });

  /* --- controls fade while the film plays ---------------------------------------------------- */
  // After IDLE_MS without a touch, a pointer move or a key, a playing film hides its controls (the
  // stylesheet fades them, moves the captions down and hides the cursor). Pausing, or any of those,
  // shows them again; they stay while the pointer rests on them or a control has keyboard focus.
  const IDLE_MS = 3000;
  const controls = $("[data-controls]");
  let idleTimer = 0;
  const goIdle = () => {
    if (video.paused || video.ended || controls.matches(":hover") || controls.querySelector(":focus-visible")) return;
    root.setAttribute("data-idle", "");
  };
  const wake = () => {
    root.removeAttribute("data-idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(goIdle, IDLE_MS);
  };
  ["pointermove", "pointerdown", "keydown", "focusin"].forEach((type) => root.addEventListener(type, wake));
  video.addEventListener("play", wake);
  video.addEventListener("pause", () => { clearTimeout(idleTimer); root.removeAttribute("data-idle"); });
  video.addEventListener("play", () => { playButton.textContent = "❚❚"; playButton.setAttribute("aria-label", t.pause); });
  video.addEventListener("pause", () => { playButton.textContent = "▶"; playButton.setAttribute("aria-label", t.play); });
  muteButton.addEventListener("click", () => { video.muted = !video.muted; });
  volume.addEventListener("input", () => { video.volume = Number(volume.value); video.muted = video.volume === 0; });
  video.addEventListener("volumechange", () => {
    root.toggleAttribute("data-muted", video.muted);
    muteButton.setAttribute("aria-label", video.muted ? t.unmute : t.mute);
    volume.value = video.muted ? 0 : video.volume;
  });
  video.addEventListener("timeupdate", () => {
    const total = duration();
    if (total && !seek.matches(":active")) seek.value = Math.round((video.currentTime / total) * 1000);
    timeLabel.textContent = clock(video.currentTime) + " / " + clock(total);
  });
  seek.addEventListener("input", () => { video.currentTime = (Number(seek.value) / 1000) * duration(); });
  $("[data-fullscreen]").addEventListener("click", () => {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen();
    else if (video.webkitEnterFullscreen) video.webkitEnterFullscreen();
  });

  root.addEventListener("keydown", (event) => {
    if (event.target.matches("input, select, textarea") && event.key !== " ") return;
    const key = event.key.toLowerCase();
    const jump = (delta) => { video.currentTime = Math.min(Math.max(0, video.currentTime + delta), duration()); };
    if (key === " " || key === "k") toggle();
    else if (key === "arrowleft") jump(-5);
    else if (key === "arrowright") jump(5);
    else if (key === "j") jump(-10);
    else if (key === "l") jump(10);
    else if (key === "arrowup") video.volume = Math.min(1, video.volume + 0.1);
    else if (key === "arrowdown") video.volume = Math.max(0, video.volume - 0.1);
    else if (key === "m") video.muted = !video.muted;
    else if (key === "f") $("[data-fullscreen]").click();
    else if (key === "c") {
      const languages = [""].concat((config.captions || []).map((c) => c.language));
      setCaptions(languages[(languages.indexOf(captionsSelect.value) + 1) % languages.length]);
    } else if (/^[0-9]$/.test(key)) video.currentTime = (Number(key) / 10) * duration();
    else return;
    event.preventDefault();
  });

  /* --- storyboard previews on the seek bar ------------------------------------------------ */
  let cues = [];
  const parseTime = (text) => text.split(":").reduce((total, part) => total * 60 + parseFloat(part), 0);
  if (config.storyboard_vtt_url) {
    fetch(config.storyboard_vtt_url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => {
        const lines = text.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const match = lines[i].match(/^([\d:.]+)\s+-->\s+([\d:.]+)/);
          if (!match || !lines[i + 1]) continue;
          const [url, fragment] = lines[i + 1].split("#xywh=");
          const [x, y, w, h] = (fragment || "").split(",").map(Number);
          cues.push({ start: parseTime(match[1]), end: parseTime(match[2]), url: new URL(url, config.storyboard_vtt_url).href, x, y, w, h });
        }
      })
      .catch(() => { cues = []; });
  }
  /* --- chapters: a tick on the seek bar for each, the current one's title beside the time ---- */
  const chapters = (config.chapters || []).slice().sort((a, b) => a.start - b.start);
  const chapterAt = (at) => chapters.filter((c) => c.start <= at).pop();
  const chapterLabel = $("[data-chapter]"), previewChapter = $("[data-preview-chapter]");
  const placeChapters = () => {
    const total = duration(), ticks = $("[data-chapters]");
    if (!total || !ticks) return;
    ticks.replaceChildren(...chapters.filter((c) => c.start > 0 && c.start < total).map((c) => {
      const tick = document.createElement("span");
      tick.className = "player__chapter-tick";
      tick.style.left = (c.start / total) * 100 + "%";
      return tick;
    }));
  };
  if (chapters.length) {
    placeChapters();
    video.addEventListener("loadedmetadata", placeChapters);
    video.addEventListener("timeupdate", () => {
      const current = chapterAt(video.currentTime);
      chapterLabel.hidden = !current;
      if (current && chapterLabel.textContent !== current.title) chapterLabel.textContent = current.title;
    });
  }
  seek.addEventListener("mousemove", (event) => {
    const rect = seek.getBoundingClientRect();
    const fraction = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
    const at = fraction * duration();
    const cue = cues.find((c) => at >= c.start && at < c.end);
    const chapter = chapterAt(at);
    previewChapter.hidden = !chapter;
    previewChapter.textContent = chapter ? chapter.title : "";
    previewTime.textContent = clock(at);
    if (cue) {
      previewImage.style.width = cue.w + "px";
      previewImage.style.height = cue.h + "px";
      previewImage.style.backgroundImage = "url(\"" + cue.url + "\")";
      previewImage.style.backgroundPosition = "-" + cue.x + "px -" + cue.y + "px";
    }
    previewImage.hidden = !cue;
    preview.style.left = fraction * 100 + "%";
    preview.hidden = false;
  });
  seek.addEventListener("mouseleave", () => { preview.hidden = true; });

  /* --- resume and progress ---------------------------------------------------------------- */
  const storageKey = "reelvision.position." + config.video_id;
  let viewer = "";
  try {
    viewer = localStorage.getItem("reelvision.viewer") || "";
    if (!viewer) {
      viewer = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
      localStorage.setItem("reelvision.viewer", viewer);
    }
  } catch (e) { viewer = "anonymous-" + Date.now(); }

  // A live stream (config.live) has no position to resume or report: it plays at the live edge.
  let resumeAt = Number(config.resume_at) || 0;
  if (!resumeAt && !config.is_trailer && !config.live) {
    try { resumeAt = Number(localStorage.getItem(storageKey)) || 0; } catch (e) { resumeAt = 0; }
  }
  // Opened at a moment (?t=, e.g. from a line of dialogue in search): start there and play. A browser
  // that refuses to play with sound before the viewer has touched the page plays muted, and says so.
  // A live premiere starts by itself as well: its viewers came for the moment it is on.
  const startAt = config.start_at === null || config.start_at === undefined ? null : Number(config.start_at);
  function playOrPlayMuted() {
    video.play().catch(() => {
      video.muted = true;
      video.play().then(() => showNotice(t.mutedStart || "", 6000)).catch(() => { /* the viewer presses play */ });
    });
  }
  video.addEventListener("loadedmetadata", () => {
    if (config.live) {
      playOrPlayMuted();
      return;
    }
    if (startAt !== null && isFinite(startAt)) {
      video.currentTime = Math.min(Math.max(0, startAt), Math.max(0, duration() - 1));
      playOrPlayMuted();
      return;
    }
    if (resumeAt >= 5 && resumeAt < duration() - 5) {
      video.currentTime = resumeAt;
      showNotice((t.resumed || "").replace("%(time)s", clock(resumeAt)) + ' <button type="button" class="player__link" data-start-over>' + t.startOver + "</button>", 8000);
      const again = notice.querySelector("[data-start-over]");
      if (again) again.addEventListener("click", () => { video.currentTime = 0; notice.hidden = true; });
    }
  }, { once: true });

  let lastReport = 0, playedSinceReport = 0, lastTime = null;
  video.addEventListener("timeupdate", () => {
    if (!video.paused && lastTime !== null) {
      const step = video.currentTime - lastTime;
      if (step > 0 && step < 2) playedSinceReport += step;
    }
    lastTime = video.currentTime;
    if (Date.now() - lastReport > 10000 && playedSinceReport > 0) report();
  });
  video.addEventListener("seeking", () => { lastTime = null; });
  video.addEventListener("pause", () => report());
  video.addEventListener("ended", () => {
    report();
    // What to watch next, when the page offers something (rendered hidden beside the player).
    const upNext = document.querySelector("[data-up-next]");
    if (upNext && !config.is_trailer) {
      upNext.hidden = false;
      upNext.scrollIntoView({ behavior: "smooth", block: "nearest" });
    }
  });
  window.addEventListener("pagehide", () => report());

  function report() {
    lastReport = Date.now();
    if (!config.progress_url) return;  // a premiere's stream or replay: nothing to count or resume
    if (!config.is_trailer) {
      try { localStorage.setItem(storageKey, String(video.ended ? 0 : video.currentTime)); } catch (e) { /* ignore */ }
    }
    const played = playedSinceReport;
    playedSinceReport = 0;
    if (!played && !video.ended) return;
    fetch(config.progress_url, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf_token },
      body: JSON.stringify({
        video_id: config.video_id, film_id: config.film_id, position: video.currentTime,
        duration: duration(), played: played, viewer: viewer, trailer: config.is_trailer,
      }),
    }).catch(() => { /* the next report carries it */ });
  }

  /* --- playback session (analytics) -----------------------------------------------------------
     One random id per play; the ranges of seconds actually played are sent every ~10 s and when
     the page is hidden (sendBeacon), and merged by the server, so seeks and replays count once. */
  if (config.session_url && config.session_token) {
    const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
    let session = newId(), pending = [], rangeStart = null, lastSent = Date.now();
    // Where the play came from: a line of dialogue (?t=), a page of this site, another site, or nothing.
    const source = (() => {
      if (new URLSearchParams(location.search).has("t")) return "dialogue";
      let from = null;
      try { from = document.referrer ? new URL(document.referrer) : null; } catch (e) { from = null; }
      if (!from) return "direct";
      if (from.host !== location.host) return "share";
      if (from.pathname === "/" || /^\/(en|ko)\/?$/.test(from.pathname)) return "home";
      if (from.pathname.indexOf("/search") === 0) return "search";
      if (config.catalogue_path && from.pathname.indexOf(config.catalogue_path) === 0) return "catalogue";
      return "other";
    })();
    const close = () => {
      if (rangeStart !== null && video.currentTime > rangeStart) pending.push([rangeStart, video.currentTime]);
      rangeStart = null;
    };
    const send = (beacon) => {
      close();
      if (!video.paused && !video.ended) rangeStart = video.currentTime;
      if (!pending.length) return;
      const body = JSON.stringify({ session: session, token: config.session_token, ranges: pending, source: source, viewer: viewer });
      pending = [];
      lastSent = Date.now();
      if (beacon && navigator.sendBeacon && navigator.sendBeacon(config.session_url, new Blob([body], { type: "application/json" }))) return;
      fetch(config.session_url, { method: "POST", keepalive: true, credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: body })
        .catch(() => { /* lost: a few seconds of one play */ });
    };
    video.addEventListener("playing", () => { if (rangeStart === null) rangeStart = video.currentTime; });
    video.addEventListener("seeking", () => {
      // The range ends where the viewer left it, not where they jumped to.
      if (rangeStart !== null && lastPlayed > rangeStart) pending.push([rangeStart, lastPlayed]);
      rangeStart = null;
    });
    video.addEventListener("seeked", () => { if (!video.paused) rangeStart = video.currentTime; });
    let lastPlayed = 0;
    video.addEventListener("timeupdate", () => {
      if (!video.seeking) lastPlayed = video.currentTime;
      if (Date.now() - lastSent > 10000) send(false);
    });
    video.addEventListener("pause", () => send(false));
    video.addEventListener("ended", () => { send(false); session = newId(); });
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") send(true); });
    window.addEventListener("pagehide", () => send(true));
  }

  timeLabel.textContent = clock(0) + " / " + clock(config.duration);
  load();
})();
