/* Resumable video upload: parts straight to S3 (presigned URLs) or to Django (local media).
   Each part is retried with backoff when the connection drops; a reload resumes an upload of the
   same file (name, size, date) from the parts the server already has. */
(function () {
  "use strict";
  const form = document.querySelector("[data-video-upload]");
  if (!form) return;
  const $ = (s) => form.querySelector(s);
  const fileInput = $("#video-file"), titleInput = $("#video-title"), bar = $("[data-bar]");
  const message = $("[data-message]"), startButton = $("[data-start]"), cancelButton = $("[data-cancel]");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const CONCURRENCY = 3;
  let cancelled = false, current = null;

  const say = (text) => { message.textContent = text; };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const fileKey = (file) => "reelvision.upload." + [file.name, file.size, file.lastModified].join(":");

  async function api(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin", headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" } }, options));
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { const error = new Error(data.error || response.statusText); error.status = response.status; throw error; }
    return data;
  }

  async function withRetry(work) {
    for (let attempt = 0; ; attempt++) {
      if (cancelled) throw new Error("cancelled");
      try { return await work(); } catch (error) {
        if (error.status && error.status < 500 && error.status !== 408 && error.status !== 429) throw error;
        if (!navigator.onLine) say(form.dataset.msgOffline);
        await sleep(Math.min(30000, 1000 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  async function sendPart(upload, file, number, urls) {
    const start = (number - 1) * upload.part_size;
    const blob = file.slice(start, Math.min(start + upload.part_size, file.size));
    return withRetry(async () => {
      let response;
      if (upload.mode === "s3") {
        if (!urls[number]) Object.assign(urls, (await api(upload.sign_url, { method: "POST", body: JSON.stringify({ parts: [number] }) })).urls);
        response = await fetch(urls[number], { method: "PUT", body: blob });
        if (response.status === 403) delete urls[number];  // expired signature: sign again
      } else {
        response = await fetch(upload.parts_url + number + "/", { method: "PUT", body: blob, credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
      }
      if (!response.ok) { const error = new Error((await response.json().catch(() => ({}))).error || response.statusText); error.status = response.status === 403 ? 503 : response.status; throw error; }
      return { number: number, etag: response.headers.get("ETag") };
    });
  }

  async function run(file) {
    cancelled = false;
    const key = fileKey(file);
    let upload = null, done = [];
    const savedId = localStorage.getItem(key);
    if (savedId) {
      try {
        upload = await api(form.dataset.createUrl + savedId + "/", { method: "GET" });
        done = (await api(upload.parts_url, { method: "GET" })).parts.filter((p) => p.etag);
        say(form.dataset.msgResumed);
      } catch (error) { upload = null; localStorage.removeItem(key); }
    }
    if (!upload) {
      upload = await withRetry(() => api(form.dataset.createUrl, { method: "POST", body: JSON.stringify({ title: titleInput.value, filename: file.name, size: file.size, content_type: file.type }) }));
      localStorage.setItem(key, upload.video_id);
    }
    current = upload;
    const finished = new Map(done.map((p) => [p.number, p.etag]));
    const todo = [];
    for (let n = 1; n <= upload.part_count; n++) if (!finished.has(n)) todo.push(n);
    const urls = {};
    const progress = () => { bar.value = Math.round((finished.size / upload.part_count) * 100); };
    progress();
    async function worker() {
      while (todo.length) {
        const part = await sendPart(upload, file, todo.shift(), urls);
        finished.set(part.number, part.etag);
        progress();
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const parts = Array.from(finished, ([number, etag]) => ({ number: number, etag: etag }));
    const result = await withRetry(() => api(upload.complete_url, { method: "POST", body: JSON.stringify({ parts: parts }) }));
    localStorage.removeItem(key);
    say(form.dataset.msgDone);
    window.location.href = result.edit_url;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = fileInput.files[0];
    if (!file) return;
    if (file.size > Number(form.dataset.maxBytes)) { say(form.dataset.msgTooBig); return; }
    startButton.disabled = true;
    cancelButton.hidden = false;
    bar.hidden = false;
    run(file).catch((error) => {
      if (!cancelled) say(form.dataset.msgFailed + " " + error.message);
      startButton.disabled = false;
    });
  });
  cancelButton.addEventListener("click", () => {
    cancelled = true;
    if (current) api(current.abort_url, { method: "POST" }).catch(() => {});
    localStorage.removeItem(fileKey(fileInput.files[0] || { name: "", size: 0, lastModified: 0 }));
    bar.hidden = true; cancelButton.hidden = true; startButton.disabled = false;
    say("");
  });
})();
