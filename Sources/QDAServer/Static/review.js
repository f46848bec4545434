// The review queue: the auto-coder's unreviewed codings with their passage in context, then
// the learned suggestions (a whole segment and a score); a accept, r reject, c recode (auto
// codings), s skip, j/k move. Decisions are those of `qda review` and `qda suggest`.
import { api, colourOf, cpLength, cpSlice, element, listen, status, typing } from "./api.js";
import { pick } from "./picker.js";

const queue = document.getElementById("queue");
const filters = document.getElementById("filters");
let items = [];
let codes = null;
let index = 0;

async function load() {
  const query = new URLSearchParams();
  for (const name of ["code", "region", "document"]) {
    const value = filters.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  try {
    const [auto, suggested] = await Promise.all([
      api("GET", `/api/reviews?${query}`),
      api("GET", `/api/suggestions?${query}`),
    ]);
    items = auto.concat(suggested);
  } catch (error) {
    status(error.message, true);
    items = [];
  }
  index = Math.min(index, Math.max(items.length - 1, 0));
  render();
}

function render() {
  queue.replaceChildren();
  if (!items.length) queue.append(element("li", "Nothing to review.", "empty"));
  items.forEach((item, i) => {
    const row = element("li", undefined, i === index ? "current" : "");
    row.tabIndex = -1;
    row.dataset.id = item.id;
    const code = element("b", item.code, "code");
    code.style.borderLeftColor = colourOf(item.code);
    const where = element("a", `${item.document}${item.segment?.speaker ? " · " + item.segment.speaker : ""}`);
    if (item.document_id) where.href = `/documents/${item.document_id}#s${item.segment?.id ?? ""}`;
    const passage = element("p", undefined, "passage");
    if (item.kind === "suggestion") {
      passage.append(element("mark", item.segment_text, "suggested"));
      row.append(code, " ", element("span", `suggested · score ${item.score.toFixed(2)}`, "score"), " ", where,
        passage);
      row.addEventListener("click", () => { index = i; render(); });
      queue.append(row);
      return;
    }
    if (item.segment_text && item.segment) {
      const from = item.start - item.segment.start;
      const to = item.end - item.segment.start;
      passage.append(cpSlice(item.segment_text, 0, from), element("mark", item.text),
        cpSlice(item.segment_text, to, cpLength(item.segment_text)));
    } else {
      passage.append(element("mark", item.text));
    }
    row.append(code, " ", where, passage);
    row.addEventListener("click", () => { index = i; render(); });
    queue.append(row);
  });
  queue.querySelector(".current")?.scrollIntoView({ block: "nearest" });
}

async function decide(decision) {
  const item = items[index];
  if (!item) return;
  const body = { decision };
  if (item.kind === "suggestion") {
    if (decision === "recode") {
      status("A suggestion is accepted or rejected; code the passage in the reader to use another code.", true);
      return;
    }
    try {
      await api("POST", `/api/suggestions/${item.id}`, body);
      status(`${decision === "accept" ? "Accepted" : "Rejected"} the suggestion ${item.code}.`);
      items.splice(index, 1);
      render();
      if (!items.length) load();
    } catch (error) {
      status(error.message, true);
    }
    return;
  }
  if (decision === "recode") {
    codes ??= await api("GET", "/api/codes");
    const choice = await pick(`Recode ${item.code} (“${item.text}”) as`, codes);
    if (!choice) return;
    body.code = choice.code;
  }
  try {
    await api("POST", `/api/codings/${item.id}/review`, body);
    status(`${decision === "accept" ? "Accepted" : decision === "reject" ? "Rejected" : "Recoded"} ${item.code}.`);
    items.splice(index, 1);
    render();
    if (!items.length) load();
  } catch (error) {
    status(error.message, true);
  }
}

document.addEventListener("keydown", (event) => {
  if (document.querySelector("dialog[open]")) return;
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  const actions = { a: "accept", r: "reject", c: "recode" };
  if (actions[event.key]) {
    event.preventDefault();
    decide(actions[event.key]);
  } else if (event.key === "s" || event.key === "j") {
    index = Math.min(index + 1, items.length - 1);
    render();
  } else if (event.key === "k") {
    index = Math.max(index - 1, 0);
    render();
  }
});
filters.addEventListener("change", () => { index = 0; load(); });
filters.addEventListener("submit", (event) => { event.preventDefault(); index = 0; load(); });
listen((change) => {
  if (change.type === "codebook") {
    codes = null;
    load();
  }
});
load().then(() => { queue.dataset.ready = "true"; });
