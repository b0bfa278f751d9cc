// Countdowns to premieres (templates/live/includes/countdown.html): each [data-countdown] holds the
// start time; the time left is computed here, every second, so a cached page is never stale.
// Past the start it says so (data-starting-text) until the page shows the premiere live.
(function () {
  "use strict";
  const countdowns = Array.from(document.querySelectorAll("[data-countdown]"));
  if (!countdowns.length) return;

  const pad = (number) => String(number).padStart(2, "0");

  function show(element, now) {
    const clock = element.querySelector("[data-countdown-clock]");
    const left = Math.floor((Date.parse(element.dataset.countdown) - now) / 1000);
    if (!(left > 0)) {
      clock.textContent = element.dataset.startingText;
    } else {
      const days = Math.floor(left / 86400);
      const time = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
      clock.textContent = days ? `${element.dataset.daysText.replace("{days}", days)} ${time}` : time;
    }
    element.hidden = false;
  }

  function tick() {
    const now = Date.now();
    countdowns.forEach((element) => show(element, now));
  }

  tick();
  window.setInterval(tick, 1000);
})();
