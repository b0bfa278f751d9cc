"""Layout checks for a page as Chromium laid it out: controls that overlap, text squeezed to a column.

`layout_problems(page)` lists, in words, every pair of visible interactive elements whose boxes
intersect (neither inside the other), and every visible text node of two or more characters that
the browser broke one character per line (as many line boxes as characters, found with
Range.getClientRects). An empty list means the page passed.
"""

from __future__ import annotations

LAYOUT_PROBLEMS_JS = """
() => {
  const problems = [];
  const visible = (element) =>
    element.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });
  const describe = (element) => {
    const text = (element.getAttribute("aria-label") || element.textContent || element.value || "").trim();
    return element.tagName.toLowerCase() + (element.className && typeof element.className === "string"
      ? "." + element.className.trim().split(/\\s+/).join(".") : "") + (text ? ` "${text.slice(0, 30)}"` : "");
  };
  // Clipped to the part of the element one can see (scrolling rows hide cards off to the side).
  const shownBox = (element) => {
    let box = element.getBoundingClientRect();
    let left = box.left, top = box.top, right = box.right, bottom = box.bottom;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX !== "visible" || style.overflowY !== "visible") {
        const clip = parent.getBoundingClientRect();
        left = Math.max(left, clip.left); right = Math.min(right, clip.right);
        top = Math.max(top, clip.top); bottom = Math.min(bottom, clip.bottom);
      }
    }
    return { left, top, right, bottom };
  };

  const interactive = Array.from(document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex='-1'])"
  )).filter((element) => {
    if (!visible(element)) return false;
    const box = shownBox(element);
    // Visually hidden helpers (1×1 px) and parts scrolled out of their box are not there to touch.
    return box.right - box.left > 2 && box.bottom - box.top > 2;
  });
  const boxes = interactive.map(shownBox);
  for (let i = 0; i < interactive.length; i++) {
    for (let j = i + 1; j < interactive.length; j++) {
      const a = interactive[i], b = interactive[j];
      if (a.contains(b) || b.contains(a)) continue;
      const p = boxes[i], q = boxes[j];
      const width = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const height = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (width > 1 && height > 1) problems.push(`overlap: ${describe(a)} and ${describe(b)}`);
    }
  }

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const characters = Array.from(node.textContent.replace(/\\s+/g, "")).length;
    const parent = node.parentElement;
    if (characters < 2 || !parent || parent.closest("script, style, template, noscript") || !visible(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (lines.size >= characters) problems.push(`one character per line: "${node.textContent.trim().slice(0, 30)}" in ${describe(parent)}`);
  }
  return problems;
}
"""


def layout_problems(page) -> list[str]:
    """What is wrong with the layout of `page` as shown now: overlapping controls, one-character-wide text."""
    return page.evaluate(LAYOUT_PROBLEMS_JS)
