/* Search boxes (form.site-search[data-suggest-url]): suggestions as you type, and voice search.
   Progressive enhancement: without this file the form is a plain GET form.

   Suggestions: GET data-suggest-url?q=… (the search suggest API) after a short pause in typing;
   a listbox under the box (combobox pattern: ↑/↓ move, Enter opens, Escape closes).
   Voice: only where the browser has speech recognition; the recognised words fill the box and
   the form is submitted. Korean in Korean mode, English in English mode. */
(function () {
  "use strict";

  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var speechLanguage = (document.documentElement.lang || "ko").indexOf("en") === 0 ? "en-US" : "ko-KR";
  var boxes = 0;

  document.querySelectorAll("form.site-search[data-suggest-url]").forEach(function (form) {
    var input = form.querySelector("input[name=q]");
    if (!input) return;
    boxes += 1;
    suggestions(form, input, "search-suggestions-" + boxes);
    if (Recognition) voice(form, input);
  });

  function suggestions(form, input, listId) {
    var list = document.createElement("ul");
    list.className = "search-suggestions";
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.dataset.suggestLabel || "");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    var timer = null, asked = "", active = -1, controller = null;

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(items) {
      list.textContent = "";
      active = -1;
      items.forEach(function (item, index) {
        var li = document.createElement("li");
        li.id = listId + "-" + index;
        li.setAttribute("role", "option");
        li.className = "search-suggestions__item";
        var link = document.createElement("a");
        // The API's URLs are absolute on the API's base URL; on the site itself, the path is the page.
        var target = new URL(item.url, window.location.href);
        link.href = target.pathname + target.search;
        link.tabIndex = -1;
        var text = document.createElement("span");
        text.className = "search-suggestions__text";
        text.textContent = item.text;
        var kind = document.createElement("span");
        kind.className = "search-suggestions__kind";
        kind.textContent = (form.dataset["kind" + item.type.charAt(0).toUpperCase() + item.type.slice(1)]) || "";
        link.appendChild(text);
        link.appendChild(kind);
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { close(); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data.items || []); })
        .catch(function () { /* offline or aborted: no suggestions, the form still works */ });
    }

    function move(step) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      if (active >= 0) options[active].removeAttribute("aria-selected");
      active = (active + step + options.length) % options.length;
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { asked = ""; ask(); } else move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("[role=option] a")[active].href;
      }
    });
    input.addEventListener("blur", function () {
      // Later than a click on a suggestion, which must still land.
      setTimeout(close, 200);
    });
  }

  function voice(form, input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "site-search__voice";
    button.setAttribute("aria-label", form.dataset.voiceLabel || "");
    button.title = form.dataset.voiceLabel || "";
    button.setAttribute("aria-pressed", "false");
    button.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><rect x="9" y="3" width="6" height="11" rx="3" fill="none" stroke="currentColor" stroke-width="2"/><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>';
    form.insertBefore(button, form.querySelector("button[type=submit]"));
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);

    var recognition = null;
    button.addEventListener("click", function () {
      if (recognition) { recognition.stop(); return; }
      recognition = new Recognition();
      recognition.lang = speechLanguage;
      recognition.interimResults = false;
      recognition.maxAlternatives = 1;
      recognition.onresult = function (event) {
        var words = event.results[0][0].transcript.trim();
        if (!words) return;
        input.value = words;
        form.submit();
      };
      recognition.onerror = function (event) {
        status.textContent = event.error === "not-allowed" || event.error === "service-not-allowed"
          ? (form.dataset.voiceRefused || "") : (form.dataset.voiceFailed || "");
        input.placeholder = status.textContent;
      };
      recognition.onend = function () {
        recognition = null;
        button.setAttribute("aria-pressed", "false");
        button.classList.remove("is-listening");
      };
      button.setAttribute("aria-pressed", "true");
      button.classList.add("is-listening");
      status.textContent = form.dataset.voiceListening || "";
      try { recognition.start(); } catch (e) { recognition = null; button.setAttribute("aria-pressed", "false"); button.classList.remove("is-listening"); }
    });
  }
})();
