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
      quotes.append(box, add);
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
