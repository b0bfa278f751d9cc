/* Checkout forms: one order per click however often the button is pressed (the server also
   dedupes by the form's token). */
(function () {
  "use strict";
  document.querySelectorAll("form").forEach((form) => form.addEventListener("submit", () => {
    const button = form.querySelector("[data-once]");
    if (button) setTimeout(() => { button.disabled = true; }, 0);
  }));
})();
