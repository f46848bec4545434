// The documents page: filter by region and kind, full-text search with hits in context
// (opening the reader at the hit), and upload by drag and drop.
import { api, element, listen, status, upload } from "./api.js";

const filters = document.getElementById("filters");
const hits = document.getElementById("hits");
const table = document.getElementById("documents");

function filter() {
  const { region, kind, coder, attribute } = filters.elements;
  for (const row of table?.tBodies[0].rows ?? []) {
    row.hidden = (region.value && row.dataset.region !== region.value) ||
      (kind.value && row.dataset.kind !== kind.value) ||
      (coder.value && !row.dataset.coders.split(" ").includes(coder.value)) ||
      (attribute.value && !row.dataset.attributes.split("\u001f").includes(attribute.value));
  }
}

let searchTimer = null;
async function search() {
  const query = filters.elements.q.value.trim();
  if (!query) {
    hits.hidden = true;
    return;
  }
  try {
    const result = await api("GET", `/api/search?q=${encodeURIComponent(query)}`);
    hits.replaceChildren(element("h2", `${result.total} passages`));
    const list = element("ol");
    for (const hit of result.segments) {
      const item = element("li");
      const link = element("a", `${hit.document}${hit.speaker ? " · " + hit.speaker : ""}`);
      link.href = `/documents/${hit.document_id}#s${hit.id}`;
      item.append(link, element("p", hit.text));
      list.append(item);
    }
    hits.append(list);
    hits.hidden = false;
  } catch (error) {
    status(error.message, true);
  }
}

filters.addEventListener("change", filter);
filters.addEventListener("submit", (event) => event.preventDefault());
filters.elements.q.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(search, 250);
});

// Upload: each file on its own, its result or error beside its name.
const drop = document.getElementById("upload");
const results = document.getElementById("uploads");
async function send(files) {
  let added = 0;
  for (const file of files) {
    const line = element("li", `${file.name}: reading…`);
    results.append(line);
    try {
      const answer = await upload(file, filters.elements.region.value);
      added += answer.added + answer.replaced;
      line.textContent = `${file.name}: ${answer.added ? "added" : answer.replaced ? "replaced" : "unchanged"}, ` +
        `${answer.segments} segments, ${answer.coded} automatic codings`;
    } catch (error) {
      line.textContent = error.message;
      line.className = "error";
    }
  }
  if (added) status(`${added} documents added; reload to see them in the list.`);
}
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  send([...event.dataTransfer.files]);
});
drop.querySelector("input[type=file]").addEventListener("change", (event) => send([...event.target.files]));

listen((change) => {
  if (change.type === "documents") status("Documents changed; reload to see them.");
});

// A team server's admin: assign documents to coders, blind until revealed.
const blind = document.getElementById("blind");
async function showAssignments() {
  const list = document.getElementById("assignments");
  try {
    const assignments = await api("GET", "/api/assignments");
    list.replaceChildren(...assignments.map((a) => element("li",
      `${a.document}: ${a.coders.join(", ") || "no coders"}${a.blind ? " — blind" + (a.show_auto ? " (auto codings shown)" : "") : " — revealed"}`)));
  } catch (error) {
    status(error.message, true);
  }
}
if (blind) {
  const call = async (path, body, done) => {
    try {
      await api("POST", path, body);
      status(done);
      showAssignments();
    } catch (error) {
      status(error.message, true);
    }
  };
  blind.addEventListener("submit", (event) => {
    event.preventDefault();
    const { document: name, coders, show_auto: showAuto } = blind.elements;
    call("/api/assignments", { document: name.value, blind: true, show_auto: showAuto.checked,
      coders: coders.value.split(",").map((c) => c.trim()).filter(Boolean) }, `${name.value} is blind.`);
  });
  blind.elements.reveal.addEventListener("click", () =>
    call("/api/reveal", { document: blind.elements.document.value }, "Revealed."));
  blind.elements.all.addEventListener("click", () => call("/api/reveal", { all: true }, "Every document revealed."));
  showAssignments();
}
