// The evidence view: the quotes behind a heatmap cell (the cell's link names region and
// code), each opening the reader at its segment; the heatmap follows codings live.
import { api, colourOf, element, listen, status } from "./api.js";

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
  if (["codings", "reviews", "codebook", "documents"].includes(change.type)) {
    clearTimeout(timer);
    timer = setTimeout(() => location.reload(), 300);
  }
});
show();
