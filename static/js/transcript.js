/* The watch page's transcript: every line with its time (GET data-url, the transcript API), the line
   being spoken highlighted as the film plays, a click on a line plays from there, and a search within
   the film's dialogue (the same API with ?q=, analysed like the site search). */
(function () {
  "use strict";
  var panel = document.querySelector("[data-transcript]");
  var video = document.querySelector("[data-player] video");
  if (!panel || !video) return;
  var list = panel.querySelector("[data-transcript-lines]");
  var status = panel.querySelector("[data-transcript-status]");
  var form = panel.querySelector("[data-transcript-search]");
  var showAll = panel.querySelector("[data-transcript-all]");
  var lines = [], items = [], current = -1, language = "";

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }

  function load(query) {
    var url = panel.dataset.url + "?q=" + encodeURIComponent(query || "") + (language ? "&language=" + encodeURIComponent(language) : "");
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    });
  }

  function render(shown) {
    list.textContent = "";
    items = shown.map(function (line) {
      var li = document.createElement("li");
      li.className = "transcript__line";
      li.lang = line.language;
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.start = line.start;
      var time = document.createElement("span");
      time.className = "transcript__time";
      time.textContent = clock(line.start);
      var text = document.createElement("span");
      text.className = "transcript__text";
      text.textContent = line.text;
      button.appendChild(time);
      button.appendChild(text);
      li.appendChild(button);
      list.appendChild(li);
      return { start: line.start, end: line.end, node: li };
    });
    current = -1;
    highlight();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-start]");
    if (!button) return;
    video.currentTime = Number(button.dataset.start);
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function () { /* the viewer presses play */ });
  });

  function highlight() {
    var at = video.currentTime, found = -1;
    // The last line that has started (lines are in time order).
    var low = 0, high = items.length - 1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (items[mid].start <= at + 0.05) { found = mid; low = mid + 1; } else high = mid - 1;
    }
    if (found === current) return;
    if (current >= 0 && items[current]) { items[current].node.classList.remove("is-current"); items[current].node.removeAttribute("aria-current"); }
    current = found;
    if (current < 0) return;
    var node = items[current].node;
    node.classList.add("is-current");
    node.setAttribute("aria-current", "true");
    // Keep the line in view inside the list, without scrolling the page.
    var top = node.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + node.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }
  video.addEventListener("timeupdate", highlight);
  video.addEventListener("seeked", highlight);

  function countText(n) {
    return n === 1 ? panel.dataset.countOne : (panel.dataset.countMany || "").replace("%(count)s", n);
  }

  function showEverything() {
    status.textContent = "";
    showAll.hidden = true;
    render(lines);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = form.elements.q.value.trim();
    if (!query) { showEverything(); return; }
    load(query).then(function (data) {
      render(data.lines);
      status.textContent = data.lines.length ? countText(data.lines.length) : panel.dataset.none;
      showAll.hidden = false;
    }).catch(function () { status.textContent = panel.dataset.failed; });
  });
  showAll.addEventListener("click", function () { form.elements.q.value = ""; showEverything(); });

  load("").then(function (data) {
    language = data.language;
    lines = data.lines;
    render(lines);
  }).catch(function () { status.textContent = panel.dataset.failed; });
})();
