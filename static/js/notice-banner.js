// The notice pinned to the top of the home page (templates/home/notice_banner.html).
// A visitor may hide it: remembered in this browser for that notice only, so the next pinned
// notice shows again. It also goes away by itself once its time is up (`data-until`), on a page
// left open or brought back by the back button; the server stops showing it at that time too.
(() => {
  "use strict";
  const STORAGE_KEY = "reelvision:hidden-notice";
  const banner = document.querySelector("[data-notice-banner]");
  if (!banner) return;
  const id = banner.dataset.noticeBanner;
  const until = Date.parse(banner.dataset.until || "");

  const remembered = () => {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch {
      return null; // storage blocked: the banner simply stays
    }
  };
  const expired = () => Number.isFinite(until) && until <= Date.now();
  const takeDown = () => banner.remove();

  if (remembered() === id || expired()) {
    takeDown();
    return;
  }

  const hide = banner.querySelector("[data-notice-hide]");
  if (hide) {
    hide.hidden = false;
    hide.addEventListener("click", () => {
      try {
        window.localStorage.setItem(STORAGE_KEY, id);
      } catch {
        // not remembered; hidden for this visit
      }
      takeDown();
      document.getElementById("main")?.focus();
    });
  }

  if (Number.isFinite(until)) {
    const wait = until - Date.now();
    if (wait < 2 ** 31 - 1) window.setTimeout(takeDown, wait);
  }
  window.addEventListener("pageshow", () => {
    if (expired() || remembered() === id) takeDown();
  });
})();
