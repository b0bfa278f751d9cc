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
})();
