/* Checkout forms: one order per click however often the button is pressed (the server also
   dedupes by the form's token). */
(function () {
  "use strict";
  document.querySelectorAll("form").forEach((form) => form.addEventListener("submit", () => {
    const button = form.querySelector("[data-once]");
    if (button) setTimeout(() => { button.disabled = true; }, 0);
  }));
})();

/* The donate form: the shipping address is asked only while a reward sent by post is chosen
   (without this script it is always shown, and the server still requires it only for such rewards). */
(function () {
  "use strict";
  const fieldset = document.querySelector("[data-shipping-tiers]");
  if (!fieldset) return;
  const shipping = fieldset.dataset.shippingTiers.split(",");
  const form = fieldset.closest("form");
  const update = () => {
    const chosen = form.querySelector('input[name="tier"]:checked');
    fieldset.hidden = !(chosen && shipping.includes(chosen.value));
  };
  form.querySelectorAll('input[name="tier"]').forEach((input) => input.addEventListener("change", update));
  update();
})();
