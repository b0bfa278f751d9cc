// The premiere chat panel (templates/live/chat.html) over its WebSocket (live/consumers.py).
// The server says on connecting what this viewer may do (write, moderate); every message has an
// increasing id, and after a lost connection the panel reconnects (waiting longer after each
// failure) with `after=<largest id it has>`, so it gets exactly the messages it missed. It also
// drops any id it already shows, and applies the pins, answers and deletions the server lists.
(function () {
  "use strict";
  const panel = document.querySelector("[data-live-chat]");
  if (!panel) return;

  const text = panel.dataset;
  const status = panel.querySelector("[data-chat-status]");
  const errorLine = panel.querySelector("[data-chat-error]");
  const pinnedList = panel.querySelector("[data-chat-pinned]");
  const lists = {
    messages: panel.querySelector('[data-chat-list="messages"]'),
    questions: panel.querySelector('[data-chat-list="questions"]'),
  };
  const form = panel.querySelector("[data-chat-form]");
  const input = form.querySelector('input[name="body"]');
  const askBox = form.querySelector('input[name="question"]');
  const slowMode = panel.querySelector("[data-chat-slow-mode]");
  const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
  });

  const shown = new Map(); // id → message data, for every message on screen
  let lastId = 0;
  let permissions = { can_moderate: false, can_block: false };
  let socket = null;
  let failures = 0;
  let lastSent = "";

  function say(line) {
    status.textContent = line;
    status.hidden = !line;
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  function button(label, action, message) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "live-chat__action";
    element.textContent = label;
    element.dataset.action = action;
    element.dataset.id = message.id;
    return element;
  }

  function render(message) {
    const item = document.createElement("li");
    item.className = "live-chat__message";
    item.dataset.id = message.id;
    item.classList.toggle("live-chat__message--question", message.kind === "question");
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = timeFormat.format(new Date(message.created_at));
    const author = document.createElement("strong");
    author.className = "live-chat__author";
    author.textContent = message.author.name;
    const body = document.createElement("span");
    body.className = "live-chat__body";
    body.textContent = message.body;
    item.append(time, " ", author, " ", body);
    const badges = [];
    if (message.kind === "question") badges.push(text.textQuestion);
    if (message.answered) badges.push(text.textAnswered);
    if (message.pinned) badges.push(text.textPinned);
    badges.forEach((label) => {
      const badge = document.createElement("span");
      badge.className = "live-chat__badge";
      badge.textContent = label;
      item.append(" ", badge);
    });
    if (permissions.can_moderate) {
      const actions = document.createElement("span");
      actions.className = "live-chat__actions";
      actions.append(button(message.pinned ? text.textUnpin : text.textPin, message.pinned ? "unpin" : "pin", message));
      if (message.kind === "question") {
        actions.append(
          button(
            message.answered ? text.textUnanswer : text.textAnswer,
            message.answered ? "unanswer" : "answer",
            message,
          ),
        );
      }
      actions.append(button(text.textDelete, "delete", message), button(text.textTimeout, "timeout", message));
      if (permissions.can_block) actions.append(button(text.textBlock, "block", message));
      item.append(actions);
    }
    return item;
  }

  function place(message) {
    // Every list the message belongs in, each with its own element, replaced when it changes.
    panel.querySelectorAll(`[data-id="${message.id}"].live-chat__message`).forEach((old) => old.remove());
    const targets = [lists.messages];
    if (message.kind === "question" && lists.questions) targets.push(lists.questions);
    if (message.pinned) targets.push(pinnedList);
    targets.forEach((list) => {
      const item = render(message);
      const later = Array.from(list.children).find((other) => Number(other.dataset.id) > message.id);
      list.insertBefore(item, later || null);
    });
    const scroller = lists.messages;
    scroller.scrollTop = scroller.scrollHeight;
  }

  function add(message) {
    lastId = Math.max(lastId, message.id);
    if (shown.has(message.id)) return;
    shown.set(message.id, message);
    place(message);
  }

  function change(id, fields) {
    const message = shown.get(id);
    if (!message) return;
    Object.assign(message, fields);
    place(message);
  }

  function remove(id) {
    shown.delete(id);
    panel.querySelectorAll(`[data-id="${id}"].live-chat__message`).forEach((item) => item.remove());
  }

  function welcome(hello) {
    failures = 0;
    permissions = hello;
    form.hidden = !hello.can_write;
    panel.querySelector("[data-chat-visitor]").hidden = hello.can_write || !hello.open || hello.needs_ticket;
    panel.querySelector("[data-chat-ticket]").hidden = !hello.needs_ticket;
    panel.querySelector("[data-chat-moderation]").hidden = !hello.can_moderate || !hello.open;
    slowMode.value = String(hello.slow_mode);
    say(hello.open ? "" : text.textClosed);
    if (hello.gap) say(text.textGap);
    hello.deleted.forEach(remove);
    const pinned = new Set(hello.pinned.map((message) => message.id));
    const answered = new Set(hello.answered);
    shown.forEach((message, id) => {
      if (message.pinned !== pinned.has(id) || message.answered !== answered.has(id)) {
        change(id, { pinned: pinned.has(id), answered: answered.has(id) });
      }
    });
    hello.pinned.forEach((message) => {
      if (shown.has(message.id)) return;
      shown.set(message.id, message);
      place(message);
    });
    // Controls depend on the permissions: draw what is shown again with them.
    shown.forEach((message) => place(message));
  }

  function receive(event) {
    const frame = JSON.parse(event.data);
    if (frame.type === "hello") welcome(frame);
    else if (frame.type === "message") add(frame.message);
    else if (frame.type === "update") change(frame.id, { pinned: frame.pinned, answered: frame.answered });
    else if (frame.type === "delete") remove(frame.id);
    else if (frame.type === "slow_mode") slowMode.value = String(frame.seconds);
    else if (frame.type === "error") {
      showError(frame.message);
      if (lastSent && !input.value) input.value = lastSent;
    }
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const query = new URLSearchParams({ lang: text.lang });
    if (lastId) query.set("after", String(lastId));
    socket = new WebSocket(`${scheme}//${window.location.host}${text.socketPath}?${query}`);
    socket.addEventListener("message", receive);
    socket.addEventListener("close", (event) => {
      socket = null;
      form.hidden = true;
      if (event.code === 4404) {
        say(text.textUnavailable);
        return;
      }
      say(text.textReconnecting);
      // 1, 2, 4 … up to 30 seconds, with jitter so a restarted server is not met by everyone at once.
      const delay = Math.min(30000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
      failures += 1;
      window.setTimeout(connect, delay);
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    showError("");
    lastSent = body;
    send({ action: "send", body, kind: askBox && askBox.checked ? "question" : "message" });
    input.value = "";
  });

  panel.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (control) {
      const frame = { action: control.dataset.action, id: Number(control.dataset.id) };
      if (frame.action === "timeout") frame.minutes = 10;
      if (frame.action === "block") frame.reason = text.textBlockReason;
      send(frame);
      return;
    }
    const tab = event.target.closest("[data-chat-tab]");
    if (!tab) return;
    panel.querySelectorAll("[data-chat-tab]").forEach((other) => {
      other.setAttribute("aria-selected", String(other === tab));
    });
    Object.entries(lists).forEach(([name, list]) => {
      if (list) list.hidden = name !== tab.dataset.chatTab;
    });
  });

  slowMode.addEventListener("change", () => send({ action: "slow_mode", seconds: Number(slowMode.value) }));

  connect();
})();
