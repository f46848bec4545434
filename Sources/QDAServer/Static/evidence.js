// The evidence view: the quotes behind a heatmap cell (the cell's link names region and
// code), each opening the reader at its segment; the heatmap follows codings live.
import { api, askText, colourOf, element, listen, showMemos, status } from "./api.js";

const quotes = document.getElementById("quotes");
const sign = (v) => (v > 0 ? "+" : v < 0 ? "−" : "0");

async function show() {
  const query = new URLSearchParams(location.search);
  const code = query.get("code");
  if (!code) return;
  const region = query.get("region");
  try {
    const answer = await api("GET", `/api/evidence?${query}`);
    quotes.replaceChildren(element("h2", `${region ?? "All regions"} · ${code}: ${answer.total} segments`));
    if (region) {
      const memos = (await api("GET", "/api/memos")).filter((m) => m.target === "cell" && m.region === region &&
        m.code === code);
      const box = element("div", undefined, "memos");
      showMemos(box, memos, show);
      const add = element("button", "memo on this cell");
      add.type = "button";
      add.addEventListener("click", async () => {
        const text = await askText(`Memo on ${region} · ${code}`);
        if (!text) return;
        try {
          await api("POST", "/api/memos", { text, region, code });
          show();
        } catch (error) {
          status(error.message, true);
        }
      });
      quotes.append(box, add, await gridForm(region, code));
    }
    const list = element("ol");
    for (const segment of answer.segments) {
      const item = element("li", undefined, segment.interviewer ? "interviewer" : "");
      const link = element("a", `${segment.document}${segment.speaker ? " · " + segment.speaker : ""}`);
      link.href = `/documents/${segment.document_id}#s${segment.id}`;
      const codings = element("span", undefined, "codings");
      for (const c of segment.codings) {
        const tag = element("span", `${c.code} ${sign(c.valence)} ${c.coder}`, "tag");
        tag.style.borderLeftColor = colourOf(c.code);
        codings.append(tag, " ");
      }
      item.append(link, " ", codings, element("p", segment.text));
      list.append(item);
    }
    quotes.append(list);
  } catch (error) {
    status(error.message, true);
  }
}

/** The researcher's own judgement of the cell (`qda grid`), edited in place. */
async function gridForm(region, code) {
  const cell = (await api("GET", "/api/grid")).find((c) => c.region === region && c.code === code);
  const form = element("form", undefined, "bar grid");
  form.id = "grid";
  form.append(element("b", "Your judgement:"));
  const rating = element("select");
  rating.name = "rating";
  rating.setAttribute("aria-label", "rating");
  for (const value of ["", "--", "-", "o", "+", "++"]) {
    const option = element("option", value || "no rating");
    option.value = value;
    rating.append(option);
  }
  rating.value = cell?.rating ?? "";
  const descriptor = element("input");
  descriptor.name = "descriptor";
  descriptor.placeholder = "descriptor (public, high & low …)";
  descriptor.value = cell?.descriptor ?? "";
  const note = element("input");
  note.name = "note";
  note.placeholder = "note";
  note.value = cell?.note ?? "";
  const save = element("button", "save");
  const remove = element("button", "clear");
  remove.type = "button";
  remove.disabled = !cell;
  form.append(rating, descriptor, note, save, remove);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("PUT", "/api/grid", { region, code, rating: rating.value, descriptor: descriptor.value,
        note: note.value });
      status(`Saved your judgement of ${region} · ${code}.`);
      remove.disabled = false;
    } catch (error) {
      status(error.message, true);
    }
  });
  remove.addEventListener("click", async () => {
    try {
      await api("DELETE", `/api/grid?${new URLSearchParams({ region, code })}`);
      status("Cleared.");
      form.reset();
      rating.value = "";
      remove.disabled = true;
    } catch (error) {
      status(error.message, true);
    }
  });
  return form;
}

let timer = null;
listen((change) => {
  if (change.type === "memos") {
    show();
  } else if (["codings", "reviews", "codebook", "documents"].includes(change.type)) {
    clearTimeout(timer);
    timer = setTimeout(() => location.reload(), 300);
  }
});
show();
