// The reader: a document's segments with its codings laid over the text as highlights
// (overlaps striped, one colour per code, labels in the margin), coding by selection with a
// picker, unmark, recode, moved boundaries, undo and redo on the server, and live updates.
import { api, askText, colourOf, cpLength, cpSlice, element, listen, showMemos, status, typing, utf16Index } from "./api.js";
import { pick } from "./picker.js";

const reader = document.getElementById("reader");
const documentID = Number(reader.dataset.documentId);
const tools = document.getElementById("tools");
const tip = document.getElementById("tip");
let doc = null;
let codes = [];
let active = null; // the coding picked by click or keyboard, for unmark/recode/move
// `?as=consensus` (from the agreement view): an admin codes the team's consensus span.
const codingAs = new URLSearchParams(location.search).get("as") === "consensus" ? "consensus" : null;
if (codingAs) status("Coding as consensus: what you code here is the team's consensus, not your own coding.");

const valenceSign = (v) => (v > 0 ? "+" : v < 0 ? "−" : "0");

let memos = [];

async function load() {
  [doc, codes, memos] = await Promise.all([api("GET", `/api/documents/${documentID}`), api("GET", "/api/codes"),
    api("GET", "/api/memos")]);
  performance.mark("qda-fetched");
  fillFilter(tools.elements.coder, [...new Set(doc.codings.map((c) => c.coder))].sort());
  fillFilter(tools.elements.code, [...new Set(doc.codings.map((c) => c.code))].sort());
  render();
}

function fillFilter(select, values) {
  const chosen = select.value;
  select.replaceChildren(element("option", "all"));
  select.options[0].value = "";
  for (const value of values) select.append(element("option", value));
  select.value = values.includes(chosen) ? chosen : "";
}

function visibleCodings() {
  const { auto, coder, code } = tools.elements;
  return doc.codings.filter((c) =>
    (auto.checked || c.coder !== "auto") && (!coder.value || c.coder === coder.value) &&
    (!code.value || c.code === code.value || c.code.startsWith(code.value + ".")));
}

const sections = [...reader.querySelectorAll(".segment")];
const starts = sections.map((section) => Number(section.dataset.start));
// Each segment's text as the server rendered it (the stored text, escaped and unescaped),
// and what was last drawn over it: only segments whose codings changed are drawn again.
const texts = new Map(sections.map((section) => [section, section.querySelector(".text").textContent]));
const drawn = new Map(sections.map((section) => [section, ""]));

/** The index of the segment holding code point `offset` (segments are in text order). */
function sectionIndex(offset) {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Lays the codings over each segment's text: pieces between every coding boundary. */
function render() {
  const bySection = new Map();
  for (const c of visibleCodings()) {
    // A coding lies in one segment (the library cuts codings at segment bounds).
    const section = sections[sectionIndex(c.start)];
    if (!section) continue;
    if (!bySection.has(section)) bySection.set(section, []);
    bySection.get(section).push(c);
  }
  for (const section of sections) {
    const inside = bySection.get(section) ?? [];
    const signature = inside.map((c) => `${c.id}:${c.code}:${c.coder}:${c.valence}`).join(" ");
    if (signature === drawn.get(section)) continue;
    drawn.set(section, signature);
    drawSection(section, inside);
  }
  if (active && !doc.codings.some((c) => c.id === active.id)) active = null;
  renderMemos();
}

function drawSection(section, inside) {
  const start = Number(section.dataset.start);
  const end = Number(section.dataset.end);
  const cuts = new Set([start, end]);
  for (const c of inside) {
    cuts.add(Math.max(c.start, start));
    cuts.add(Math.min(c.end, end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const text = section.querySelector(".text");
  const segmentText = texts.get(section);
  const pieces = [];
  let at = 0; // UTF-16 index of points[i] in segmentText
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const length = utf16Index(segmentText.slice(at), b - a);
    const piece = element("span", segmentText.slice(at, at + length));
    at += length;
    piece.dataset.start = a;
    const over = inside.filter((c) => c.start < b && c.end > a);
    if (over.length) {
      piece.className = "hl";
      piece.tabIndex = 0;
      piece.dataset.codings = over.map((c) => c.id).join(" ");
      const colours = over.map((c) => colourOf(c.code) + "66");
      piece.style.background = colours.length === 1 ? colours[0]
        : `repeating-linear-gradient(135deg, ${colours.map((c, k) => `${c} ${k * 6}px ${(k + 1) * 6}px`).join(", ")})`;
      piece.style.borderBottom = `2px solid ${colourOf(over[0].code)}`;
    }
    pieces.push(piece);
  }
  text.replaceChildren(...pieces);
  const stripes = section.querySelector(".stripes");
  stripes.replaceChildren(...inside.map((c) => {
    const label = element("span", c.code + (c.coder === "auto" ? "" : ` · ${c.coder}`), "stripe");
    label.style.borderLeftColor = colourOf(c.code);
    label.title = describe(c);
    return label;
  }));
}

/** The memos on the document (above the text) and on each segment (under it). */
function renderMemos() {
  const reload = () => load().catch((error) => status(error.message, true));
  showMemos(document.getElementById("memos"),
    memos.filter((m) => m.target === "document" && m.document === doc.name), reload);
  const bySegment = new Map();
  for (const m of memos) {
    if (m.target !== "segment") continue;
    if (!bySegment.has(`s${m.segment}`)) bySegment.set(`s${m.segment}`, []);
    bySegment.get(`s${m.segment}`).push(m);
  }
  for (const section of sections) {
    let box = section.querySelector(".memos");
    const mine = bySegment.get(section.id) ?? [];
    if (!mine.length) {
      box?.remove();
      continue;
    }
    if (!box) {
      box = element("div", undefined, "memos");
      section.append(box);
    }
    showMemos(box, mine, reload);
  }
}

/** Writes a memo on the segment of the selection or the focused coding, else on the document. */
async function writeMemo() {
  const anchor = window.getSelection()?.anchorNode ?? document.activeElement;
  const section = (anchor instanceof Element ? anchor : anchor?.parentElement)?.closest(".segment");
  const target = section ? { segment_id: Number(section.id.slice(1)) } : { document: doc.name };
  const text = await askText(section ? "Memo on this passage's segment" : "Memo on the document");
  if (!text) return;
  await act(() => api("POST", "/api/memos", { text, ...target }), "Memo saved.");
}

function describe(c) {
  return `${c.code} (${labelOf(c.code)}) — ${c.coder}, valence ${valenceSign(c.valence)}` + (c.memo ? `\nmemo: ${c.memo}` : "");
}

function labelOf(key) {
  return codes.find((code) => code.key === key)?.label ?? key;
}

// MARK: Selection → code-point offsets

/** The selection as code points of the document: {start, end, text}, or null. */
function selectedSpan() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const pieces = [...reader.querySelectorAll(".text > span")].filter((p) => range.intersectsNode(p));
  if (!pieces.length) return null;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const startOf = (p) => Number(p.dataset.start);
  let start = startOf(first);
  if (first.contains(range.startContainer) && range.startContainer.nodeType === Node.TEXT_NODE) {
    start += cpLength(range.startContainer.data.slice(0, range.startOffset));
  }
  let end = startOf(last) + cpLength(last.textContent);
  if (last.contains(range.endContainer) && range.endContainer.nodeType === Node.TEXT_NODE) {
    end = startOf(last) + cpLength(range.endContainer.data.slice(0, range.endOffset));
  }
  if (end <= start) return null;
  // The text as the page shows it, piece by piece, cut to the span.
  let text = "";
  for (const p of pieces) {
    const a = startOf(p);
    const b = a + cpLength(p.textContent);
    text += cpSlice(p.textContent, Math.max(start, a) - a, Math.min(end, b) - a);
  }
  return { start, end, text };
}

// MARK: Actions

async function act(work, done) {
  try {
    await work();
    status(done);
    await load();
  } catch (error) {
    status(error.message, true);
  }
}

async function codeSelection() {
  const span = selectedSpan();
  if (!span) {
    status("Select some text first.", true);
    return;
  }
  const choice = await pick(`Code “${span.text.length > 60 ? span.text.slice(0, 60) + "…" : span.text}”`, codes);
  if (!choice) return;
  await act(() => api("POST", "/api/codings", {
    document_id: documentID, start: span.start, end: span.end, text: span.text, code: choice.code,
    valence: choice.valence, ...(choice.memo ? { memo: choice.memo } : {}), ...(codingAs ? { as: codingAs } : {}),
  }), `Coded ${choice.code}${codingAs ? " as " + codingAs : ""}.`);
  window.getSelection()?.removeAllRanges();
}

function codingAt(piece) {
  const ids = (piece?.dataset.codings ?? "").split(" ").map(Number);
  const here = doc.codings.filter((c) => ids.includes(c.id));
  return here.find((c) => c.coder !== "auto") ?? here[0] ?? null;
}

async function unmark(coding) {
  if (coding.coder === "auto") {
    status("The auto-coder's codings are rejected in Review, so that they do not come back.", true);
    return;
  }
  await act(() => api("DELETE", `/api/codings/${coding.id}`), `Unmarked ${coding.code}.`);
}

async function recode(coding) {
  const choice = await pick(`Recode ${coding.code}`, codes, coding);
  if (!choice) return;
  await act(() => api("PATCH", `/api/codings/${coding.id}`, choice), `Recoded as ${choice.code}.`);
}

async function moveBoundaries(coding) {
  const span = selectedSpan();
  if (!span) {
    status("Select the new extent of the coding, then press m.", true);
    return;
  }
  await act(() => api("PATCH", `/api/codings/${coding.id}`, span), `Moved ${coding.code}.`);
}

async function history(kind) {
  await act(() => api("POST", `/api/${kind}`), kind === "undo" ? "Undone." : "Redone.");
}

/** Moves to the next (or previous) coding shown, of the code filter if one is chosen. */
function jump(step) {
  const pieces = [...reader.querySelectorAll(".hl")];
  if (!pieces.length) return;
  const current = pieces.indexOf(document.activeElement);
  const next = pieces[(current + step + pieces.length) % pieces.length];
  next.focus();
  next.scrollIntoView({ block: "center" });
}

function showTip(piece, x, y) {
  const ids = (piece.dataset.codings ?? "").split(" ").map(Number);
  const here = doc.codings.filter((c) => ids.includes(c.id));
  tip.replaceChildren(...here.map((c) => element("p", describe(c))));
  tip.append(element("p", "Delete unmark · r recode · m move to the selection", "hint"));
  tip.style.left = `${x + 12}px`;
  tip.style.top = `${y + 12}px`;
  tip.hidden = false;
}

reader.addEventListener("mouseover", (event) => {
  const piece = event.target.closest(".hl");
  if (piece) showTip(piece, event.pageX, event.pageY);
});
reader.addEventListener("mouseout", (event) => {
  if (event.target.closest(".hl")) tip.hidden = true;
});
reader.addEventListener("focusin", (event) => {
  const piece = event.target.closest(".hl");
  if (!piece) return;
  active = codingAt(piece);
  const box = piece.getBoundingClientRect();
  showTip(piece, box.left + window.scrollX, box.bottom + window.scrollY);
});
reader.addEventListener("click", (event) => {
  const piece = event.target.closest(".hl");
  if (piece && window.getSelection()?.isCollapsed) active = codingAt(piece);
});

document.addEventListener("keydown", (event) => {
  if (typing(event) || document.querySelector("dialog[open]")) return;
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === "z") {
    event.preventDefault();
    history(event.shiftKey ? "redo" : "undo");
  } else if (mod && event.key.toLowerCase() === "y") {
    event.preventDefault();
    history("redo");
  } else if (mod || event.altKey) {
    return;
  } else if ((event.key === "c" || event.key === "Enter") && selectedSpan()) {
    event.preventDefault();
    codeSelection();
  } else if ((event.key === "Delete" || event.key === "Backspace") && active) {
    event.preventDefault();
    unmark(active);
  } else if (event.key === "r" && active) {
    recode(active);
  } else if (event.key === "m" && active) {
    moveBoundaries(active);
  } else if (event.key === "n") {
    event.preventDefault();
    writeMemo();
  } else if (event.key === "j" || event.key === "k") {
    jump(event.key === "j" ? 1 : -1);
  } else if (event.key === "Escape") {
    tip.hidden = true;
  }
});

tools.addEventListener("change", render);
document.getElementById("prev").addEventListener("click", () => jump(-1));
document.getElementById("next").addEventListener("click", () => jump(1));
document.getElementById("undo").addEventListener("click", () => history("undo"));
document.getElementById("redo").addEventListener("click", () => history("redo"));
document.getElementById("memo").addEventListener("click", writeMemo);

listen((change) => {
  if ((change.type === "codings" && Number(change.document_id) === documentID) ||
    ["codebook", "reviews", "memos", "assignments"].includes(change.type)) {
    load().catch((error) => status(error.message, true));
  }
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") load().catch((error) => status(error.message, true));
});

const target = location.hash ? document.querySelector(location.hash) : null;
load().then(() => {
  target?.scrollIntoView({ block: "center" });
  target?.classList.add("target");
  reader.dataset.ready = "true";
  reader.dataset.readyAt = performance.now().toFixed(1);
  reader.dataset.fetchedAt = performance.getEntriesByName("qda-fetched")[0]?.startTime.toFixed(1) ?? "";
}).catch((error) => status(error.message, true));
