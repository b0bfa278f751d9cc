/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Catalogue filters: submit as soon as a select changes. The form is a plain
  // GET form and keeps its submit button, so it works the same without this.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    // Leave "all" filters out of the URL (?genre=drama, not ?genre=drama&year=&status=).
    form.addEventListener("submit", function () {
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.name && field.value === "") field.disabled = true;
      });
    });
    // Coming back through the history cache must not leave fields disabled.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("[disabled]").forEach(function (field) {
        field.disabled = false;
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") {
        // Changing a filter starts again at page 1; the form never carries `page`.
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  // Close the open collections menu on Escape or on a click elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // Funding figures: the page may come from the anonymous page cache, so its
  // totals can be minutes old. Fetch fresh copies of every [data-funding-live]
  // part (rendered by the server with the same templates) on load and every
  // 30 seconds while the tab is visible; replace only what changed, so the
  // aria-live regions announce real changes only.
  var liveParts = document.querySelectorAll("[data-funding-live]");
  if (liveParts.length && window.fetch) {
    var ids = [];
    var recent = "";
    liveParts.forEach(function (part) {
      var id = part.getAttribute("data-funding-live");
      if (ids.indexOf(id) < 0) ids.push(id);
      if (part.getAttribute("data-funding-part") === "recent") recent = id;
    });
    // The request carries no cookies (so shared caches may keep it), hence no language cookie:
    // the page's own language goes in the URL, which also keeps the two languages apart in caches.
    var lang = encodeURIComponent(document.documentElement.lang || "");
    var url = "/projects/live/?ids=" + ids.join(",") + (recent ? "&recent=" + recent : "") + "&lang=" + lang;
    var refresh = function () {
      if (document.visibilityState === "hidden") return;
      fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (body) {
          if (!body) return;
          liveParts.forEach(function (part) {
            var fresh = (body.projects[part.getAttribute("data-funding-live")] || {})[part.getAttribute("data-funding-part")];
            if (!fresh) return;
            var holder = document.createElement("template");
            holder.innerHTML = fresh.trim();
            var element = holder.content.firstElementChild;
            // The progress parts are whole elements; the recent list is the inside of its holder.
            var inner = part.getAttribute("data-funding-part") === "recent" ? holder.innerHTML : element && element.innerHTML;
            if (inner != null && inner !== part.innerHTML) part.innerHTML = inner;
          });
          document.documentElement.setAttribute("data-funding-refreshed", String(Date.now()));
        })
        .catch(function () {
          /* The cached figures stay; the next round may work. */
        });
    };
    refresh();
    window.setInterval(refresh, 30000);
    document.addEventListener("visibilitychange", refresh);
  }
})();
