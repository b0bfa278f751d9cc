// Stops the editor's autosave once its form is submitted for real (save, publish, submit for
// review, a workflow action). Wagtail's autosave POSTs the whole form about a second after its
// data changes, and choosing a workflow action changes it (hidden inputs naming the action are
// added just before submitting): an autosave of that form would race the action on the server
// (members/page_editing.py refuses one that still gets through).
(function () {
  "use strict";

  const ACTION_INPUT = /^(action-|workflow-action-name$)/;

  function stopAutosave(form) {
    form.setAttribute("data-w-autosave-active-value", "false");
  }

  // Buttons submit the form natively, which fires "submit".
  document.addEventListener("submit", (event) => {
    if (!event.defaultPrevented && event.target.matches("[data-edit-form]")) stopAutosave(event.target);
  });

  // "Approve with comment" adds its hidden inputs and then submits with jQuery, which calls
  // form.submit(): no "submit" event. The inputs are seen here first (a microtask, before any
  // autosave timer can run).
  function watch(form) {
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (node instanceof HTMLInputElement && ACTION_INPUT.test(node.name)) {
            stopAutosave(form);
            return;
          }
        }
      }
    }).observe(form, { childList: true });
  }

  function start() {
    document.querySelectorAll("[data-edit-form]").forEach(watch);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
