/* The admin's video upload: Uppy's Dashboard with @uppy/aws-s3 in signRequest mode.

   For every S3 request Uppy makes (create, part, list, complete, abort, or one PUT for a small
   file) it asks the server for a signed URL (videos/upload_views.py `sign`). Part bytes go to
   a presigned S3 URL when media is on S3, to Django's local store otherwise; the control requests
   go to the server, which answers in S3's XML. So this page is the same in both modes.

   Before a file's bytes move, the server registers it (size limit, type, title) and gives it its
   storage key; after Uppy reports success, the server confirms it and starts processing.
   A dropped connection: Uppy retries each request, waits for the browser to be back online, and
   this script resumes a failed upload by itself from the parts the server lists. A reload: Golden
   Retriever keeps each file's upload id, so adding the same file again resumes it. */
(function () {
  "use strict";
  const root = document.querySelector("[data-video-upload]");
  if (!root) return;
  if (!window.Uppy) {
    root.querySelector("[data-message]").textContent = root.dataset.msgNoWidget;
    return;
  }
  const { Uppy, Dashboard, AwsS3, GoldenRetriever } = window.Uppy;
  const data = root.dataset;
  const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  const message = root.querySelector("[data-message]");
  const results = root.querySelector("[data-results]");
  const basePart = Number(data.partBytes);
  const say = (text) => { message.textContent = text || ""; };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // The server's part size, so that Uppy cuts the file where the server expects the parts to end.
  function partSizeFor(size) {
    let part = basePart;
    while (size > part * 10000) part *= 2;
    return part;
  }

  // A JSON call to our own endpoints; network failures are retried with backoff.
  async function api(url, options) {
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(url, Object.assign({
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf, "Content-Type": "application/json", Accept: "application/json" },
        }, options));
      } catch (networkError) {
        if (attempt >= 5) throw networkError;
        await sleep(Math.min(15000, 1000 * 2 ** attempt));
        continue;
      }
      const body = await response.json().catch(() => ({}));
      if (response.ok) return body;
      if (response.status >= 500 && attempt < 5) { await sleep(Math.min(15000, 1000 * 2 ** attempt)); continue; }
      const error = new Error(body.error || response.statusText);
      error.status = response.status;
      error.isUserFacing = true;
      throw error;
    }
  }

  const uploadsByKey = {};  // storage key → the server's description of that upload (its sign URL)
  const remember = (info) => { uploadsByKey[info.key] = info; return info; };
  // Golden Retriever may resume a restored upload at the upload step, without the preprocessor:
  // the file's own meta (kept across the reload) then says which upload the key belongs to.
  function signUrlFor(key) {
    if (uploadsByKey[key]) return uploadsByKey[key].sign_url;
    const file = uppy.getFiles().find((f) => f.meta.objectKey === key && f.meta.videoId);
    if (!file) throw new Error(data.msgLost);
    return data.createUrl + file.meta.videoId + "/sign/";
  }
  const post = (url, body) => api(url, { method: "POST", body: JSON.stringify(body || {}) });

  const stem = (name) => name.replace(/\.[^.]+$/, "");
  const uppy = new Uppy({
    id: "reelvision-video-upload",
    autoProceed: false,
    locale: (document.documentElement.lang || "").startsWith("ko") && window.Uppy.locales.ko_KR
      ? window.Uppy.locales.ko_KR : undefined,
    restrictions: {
      maxFileSize: Number(data.maxBytes),
      maxNumberOfFiles: 5,
      allowedFileTypes: ["video/*"].concat(data.extensions.split(" ")),
    },
    onBeforeFileAdded: (file) => {
      if (!file.meta.title) file.meta.title = stem(file.name);
      return file;
    },
  });

  uppy.use(Dashboard, {
    inline: true,
    target: root.querySelector("[data-dashboard]"),
    width: "100%",
    height: 380,
    theme: "auto",
    proudlyDisplayPoweredByUppy: false,
    showProgressDetails: true,
    note: data.note,
    metaFields: [{ id: "title", name: data.titleLabel, placeholder: data.titlePlaceholder }],
    doneButtonHandler: null,
  });
  uppy.use(GoldenRetriever, { serviceWorker: false });
  uppy.use(AwsS3, {
    shouldUseMultipart: true,  // files over 5 MiB go in parts; smaller ones in one PUT
    getChunkSize: (file) => partSizeFor(file.size),
    limit: 2,
    generateObjectKey: (file) => file.meta.objectKey,
    signRequest: async (request) => {
      const signed = await post(signUrlFor(request.key), request);
      return { url: signed.url, key: signed.key };
    },
  });

  // Register each file with the server before its bytes move: the server refuses what it will not
  // take (too big, not a video) with a sentence for the creator, and gives the storage key.
  uppy.addPreProcessor(async (fileIDs) => {
    for (const id of fileIDs) {
      const file = uppy.getFile(id);
      if (!file || file.error) continue;
      if (file.meta.videoId) {  // restored after a reload, or retried: is the upload still open?
        try {
          const info = await api(data.createUrl + file.meta.videoId + "/");
          if (info.status === "uploading") { remember(info); continue; }
        } catch (error) {
          if (error.status !== 404) { uppy.emit("upload-error", file, error); continue; }
        }
        uppy.setFileState(id, { s3Multipart: undefined });  // it was stopped: start over
      }
      try {
        const info = remember(await post(data.createUrl, {
          title: file.meta.title || stem(file.name), filename: file.name, size: file.size, content_type: file.type,
        }));
        uppy.setFileMeta(id, { videoId: info.video_id, objectKey: info.key });
      } catch (error) {
        uppy.emit("upload-error", uppy.getFile(id), error);
      }
    }
  });

  // After the bytes: the server checks what arrived and starts processing (once, however often asked).
  const finished = [];
  uppy.addPostProcessor(async (fileIDs) => {
    for (const id of fileIDs) {
      const file = uppy.getFile(id);
      if (!file || file.error || !file.progress.uploadComplete || !file.meta.videoId) continue;
      uppy.emit("postprocess-progress", file, { mode: "indeterminate", message: data.msgChecking });
      try {
        finished.push({ title: file.meta.title || file.name, info: await post(data.createUrl + file.meta.videoId + "/complete/") });
      } catch (error) {
        uppy.emit("upload-error", file, error);
      }
      uppy.emit("postprocess-complete", file);
    }
  });

  // The server's own sentence instead of "S3 returned 413"; lost connections resume by themselves.
  const retries = {};
  uppy.on("upload-error", (file, error) => {
    if (!file) return;
    const status = error && error.status;
    const serverText = error && error.body && (/<Message>([\s\S]*?)<\/Message>/.exec(error.body) || [])[1];
    if (serverText) {
      const text = new DOMParser().parseFromString(serverText, "text/html").documentElement.textContent;
      uppy.setFileState(file.id, { error: text });
      say(data.msgFailed + " " + text);
      return;
    }
    const connection = (error && (error.name === "S3NetworkError" || error.name === "NetworkError"
      || error instanceof TypeError && /fetch|network/i.test(error.message)))
      || status === 0 || status >= 500 || status === 408 || status === 429;
    if (!connection) {
      say(data.msgFailed + " " + (error && error.message));
      return;
    }
    const attempt = (retries[file.id] || 0) + 1;
    retries[file.id] = attempt;
    if (attempt > 10) { say(data.msgFailed + " " + error.message); return; }
    say(data.msgOffline);
    // retryUpload() resolves with the result instead of emitting "complete".
    const resume = () => { if (uppy.getFile(file.id)) uppy.retryUpload(file.id).then(showResult, () => {}); };
    setTimeout(() => {
      if (navigator.onLine === false) window.addEventListener("online", resume, { once: true });
      else resume();
    }, Math.min(30000, 1000 * 2 ** attempt));
  });
  uppy.on("upload-success", (file) => { delete retries[file.id]; });
  uppy.on("upload", () => { say(""); finished.length = 0; });

  function showResult(result) {
    if (!finished.length || !result) return;
    if (finished.length === 1 && !result.failed.length) {
      say(data.msgDone);
      window.location.assign(finished[0].info.edit_url);
      return;
    }
    say(data.msgDone);
    results.replaceChildren(...finished.map(({ title, info }) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = info.edit_url;
      link.textContent = title;
      item.append(link);
      return item;
    }));
  }
  uppy.on("complete", showResult);
})();
