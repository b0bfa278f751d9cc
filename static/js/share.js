/* The share blocks (templates/includes/share.html): "copy link" with a confirmation one can see
   and that screen readers hear, and the system share sheet where the browser has one
   (navigator.share). X and Facebook are plain links and need nothing from here. Progressive
   enhancement: without this file the block still offers those two links. Loaded once per share
   block; runs once per page. */
(function () {
  "use strict";
  if (window.reelvisionShare) return;
  window.reelvisionShare = true;

  var CONFIRMATION_MS = 6000;

  function setUp(block) {
    var url = block.dataset.shareUrl;
    var status = block.querySelector("[data-share-status]");
    var copyItem = block.querySelector("[data-share-copy]");
    var copyLabel = block.querySelector("[data-share-copy-label]");
    var nativeItem = block.querySelector("[data-share-native]");
    var fallback = block.querySelector("[data-share-fallback]");
    var label = copyLabel.textContent;
    var cleared = null;

    function say(message) {
      status.textContent = message;
      clearTimeout(cleared);
      cleared = setTimeout(function () {
        status.textContent = "";
        copyItem.classList.remove("is-copied");
        copyLabel.textContent = label;
      }, CONFIRMATION_MS);
    }

    function copied() {
      copyItem.classList.add("is-copied");
      copyLabel.textContent = block.dataset.copiedLabel;
      say(block.dataset.copied);
    }

    // The address in a field one can select by hand, for browsers that refuse the clipboard.
    function offerTheAddress() {
      fallback.hidden = false;
      var field = fallback.querySelector("input");
      field.focus();
      field.select();
      var done = false;
      try {
        done = document.execCommand("copy");
      } catch (error) {
        done = false;
      }
      if (done) copied();
      else say(block.dataset.copyFailed);
    }

    copyItem.hidden = false;
    copyItem.querySelector("button").addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(copied, offerTheAddress);
      } else {
        offerTheAddress();
      }
    });

    if (typeof navigator.share === "function") {
      var data = { title: block.dataset.shareTitle, text: block.dataset.shareText, url: url };
      if (!navigator.canShare || navigator.canShare(data)) {
        nativeItem.hidden = false;
        nativeItem.querySelector("button").addEventListener("click", function () {
          // Closing the sheet without sharing rejects the promise: nothing to tell anyone.
          navigator.share(data).catch(function () {});
        });
      }
    }
  }

  function start() {
    document.querySelectorAll("[data-share]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
