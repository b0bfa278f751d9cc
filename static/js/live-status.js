/* A premiere's watch page: the "LIVE" badge's viewer count, asked for every 10 s
   ({status, viewers} from the status address in the player's configuration); when the
   broadcast ends the badge goes and the page says so. */
(function () {
  "use strict";
  const badge = document.querySelector("[data-live-badge]");
  const configNode = document.getElementById("player-config");
  if (!badge || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const count = badge.querySelector("[data-live-viewers]");
  const watching = (config.strings && config.strings.watching) || "%(count)s";
  const ended = document.querySelector("[data-live-ended]");
  if (!config.status_url) return;

  function refresh() {
    fetch(config.status_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (!body) return;
        if (body.status !== "live") {
          badge.hidden = true;
          if (ended) ended.hidden = false;
          clearInterval(timer);
          return;
        }
        count.textContent = watching.replace("%(count)s", String(body.viewers));
      })
      .catch(() => { /* the next poll tries again */ });
  }
  // The page came with the count: the first poll is due when the player has fetched its playlist.
  const timer = setInterval(refresh, 10000);
})();
