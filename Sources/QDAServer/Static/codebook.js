// The codebook panel: rename, move and merge codes (the edits of `qda codebook`).
import { api, colourOf, listen, status } from "./api.js";

const form = document.getElementById("edit");
for (const row of document.querySelectorAll("#codes tbody tr")) {
  row.querySelector(".key").style.borderLeftColor = colourOf(row.dataset.key);
  row.addEventListener("click", () => { form.elements.code.value = row.dataset.key; form.elements.target.focus(); });
}
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { op, code, target } = form.elements;
  const body = { op: op.value, code: code.value.trim() };
  body[{ rename: "to", move: "group", merge: "into" }[op.value]] = target.value.trim();
  try {
    const answer = await api("POST", "/api/codebook", body);
    status(`Done: ${answer.codings_moved} codings follow.`);
    location.reload();
  } catch (error) {
    status(error.message, true);
  }
});
listen((change) => { if (change.type === "codebook") location.reload(); });
