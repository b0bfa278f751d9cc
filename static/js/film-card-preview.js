/* Film cards: after about a second of hover, play the card's preview clip (data-preview, three
   muted seconds) over the poster; stop and remove it when the pointer leaves. Only where there is
   a real hover (a mouse or trackpad, never a touch screen) and motion is welcome. The poster stays
   until the clip is actually playing, so a slow or failed clip shows nothing worse than the poster.
   Progressive enhancement: cards are complete without this file. */
(function () {
  "use strict";

  var HOVER_DELAY_MS = 1000;
  var canHover = window.matchMedia("(hover: hover) and (pointer: fine)");
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function wanted() {
    return canHover.matches && !reducedMotion.matches;
  }

  // Read by tests and handy when debugging: whether this browser gets previews at all.
  function markState() {
    document.documentElement.setAttribute("data-card-previews", wanted() ? "on" : "off");
  }
  markState();
  [canHover, reducedMotion].forEach(function (query) {
    if (query.addEventListener) query.addEventListener("change", markState);
  });

  function stop(box) {
    clearTimeout(box._previewTimer);
    box._previewTimer = null;
    var video = box.querySelector("video.film-card__preview");
    if (!video) return;
    video.pause();
    video.removeAttribute("src");
    video.load(); // ends the download
    video.remove();
  }

  function start(box) {
    if (box.querySelector("video.film-card__preview")) return;
    var video = document.createElement("video");
    video.className = "film-card__preview";
    video.muted = true; // the property, not only the attribute: browsers let muted videos play unasked
    video.defaultMuted = true;
    video.loop = true;
    video.playsInline = true;
    video.preload = "auto";
    video.disablePictureInPicture = true;
    video.setAttribute("aria-hidden", "true");
    video.setAttribute("tabindex", "-1");
    video.addEventListener("playing", function () {
      video.classList.add("is-playing");
    });
    function giveUp() {
      if (video.parentNode === box) stop(box); // not a newer clip of the same card
    }
    video.addEventListener("error", giveUp);
    video.src = box.getAttribute("data-preview");
    // Above the poster, below the badges and the progress bar that follow it.
    var poster = box.firstElementChild;
    box.insertBefore(video, poster ? poster.nextSibling : box.firstChild);
    var playing = video.play();
    if (playing && playing.catch) {
      playing.catch(giveUp);
    }
  }

  document.querySelectorAll(".film-card__poster[data-preview]").forEach(function (box) {
    var link = box.closest(".film-card__link") || box;
    link.addEventListener("pointerenter", function (event) {
      if (event.pointerType === "touch" || event.pointerType === "pen" || !wanted()) return;
      clearTimeout(box._previewTimer);
      box._previewTimer = setTimeout(function () {
        start(box);
      }, HOVER_DELAY_MS);
    });
    link.addEventListener("pointerleave", function () {
      stop(box);
    });
  });
})();
