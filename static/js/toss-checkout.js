/* The Toss Payments widget on the payment page. The SDK is our static copy of
   @tosspayments/tosspayments-sdk (its URL in data-toss-sdk); the order comes from #toss-widget and
   the messages from the error element's data attributes. */
(async function () {
  "use strict";
  const page = document.querySelector("[data-toss-sdk]");
  const configNode = document.getElementById("toss-widget");
  if (!page || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const button = document.querySelector("[data-toss-pay]");
  const error = document.querySelector("[data-toss-error]");
  const show = (text) => { error.textContent = text; error.hidden = false; };
  try {
    const { loadTossPayments } = await import(page.dataset.tossSdk);
    const toss = await loadTossPayments(config.clientKey);
    const widgets = toss.widgets({ customerKey: config.customerKey });
    // The amount comes from our server-side order; the server checks it again on confirmation.
    await widgets.setAmount({ currency: "KRW", value: config.amount });
    await Promise.all([
      widgets.renderPaymentMethods({ selector: "#payment-method", variantKey: "DEFAULT" }),
      widgets.renderAgreement({ selector: "#agreement", variantKey: "AGREEMENT" }),
    ]);
    button.disabled = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await widgets.requestPayment({
          orderId: config.orderId, orderName: config.orderName, successUrl: config.successUrl, failUrl: config.failUrl,
          customerEmail: config.customerEmail, customerName: config.customerName,
        });
      } catch (e) { show(e.message || error.dataset.closed); button.disabled = false; }
    });
  } catch (e) {
    show(error.dataset.unavailable);
  }
})();
