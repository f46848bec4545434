// The agreement view: the coefficients of `qda agreement` per code and overall, and the
// disagreements side by side with consensus actions (recorded as the coder `consensus`).
import { api, element, listen, status } from "./api.js";

const form = document.getElementById("choose");
const result = document.getElementById("result");
const mayDecide = form.dataset.consensus === "true";
const coefficients = [["units", "units"], ["percent_agreement", "%"], ["cohen_kappa", "Cohen κ"],
  ["fleiss_kappa", "Fleiss κ"], ["krippendorff_alpha", "Krippendorff α"], ["gwet_ac1", "Gwet AC1"]];

function cell(value) {
  return element("td", value === null || value === undefined ? "—" : String(value), "n");
}

function table(rows, first) {
  const head = element("tr");
  head.append(element("th", first), ...coefficients.map(([, label]) => element("th", label)));
  const body = rows.map(([name, values]) => {
    const row = element("tr");
    row.append(element("td", name), ...coefficients.map(([key]) => cell(values[key])));
    if (values.undefined) row.title = Object.values(values.undefined).join("\n");
    return row;
  });
  const t = element("table", undefined, "agreement");
  t.append(element("thead"), element("tbody"));
  t.tHead.append(head);
  t.tBodies[0].append(...body);
  return t;
}

async function compare() {
  const query = new URLSearchParams();
  for (const name of ["coders", "codes", "unit"]) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  try {
    const [report, differences, documents] = await Promise.all([
      api("GET", `/api/agreement?${query}`), api("GET", `/api/agreement/disagreements?${query}`),
      api("GET", "/api/documents")]);
    const ids = new Map(documents.map((d) => [d.name, d.id]));
    result.replaceChildren(
      element("h2", `${report.coders.join(", ")} · by ${report.unit}`),
      table([["all codes", report.overall]], ""),
      table(report.codes.map((c) => [c.code, c]), "code"));
    // The auto-coder against each person: precision, recall and F1 per code.
    for (const against of report.auto ?? []) {
      const columns = [["true_positives", "TP"], ["false_positives", "FP"], ["false_negatives", "FN"],
        ["precision", "precision"], ["recall", "recall"], ["f1", "F1"]];
      const t = element("table", undefined, "agreement auto");
      const head = element("tr");
      head.append(element("th", "code"), ...columns.map(([, label]) => element("th", label)));
      t.append(element("thead"), element("tbody"));
      t.tHead.append(head);
      for (const c of against.codes) {
        const row = element("tr");
        row.append(element("td", c.code), ...columns.map(([key]) => cell(c[key])));
        t.tBodies[0].append(row);
      }
      result.append(element("h2", `The auto-coder against ${against.against}`), t);
    }
    const list = element("ol", undefined, "disagreements");
    for (const d of differences.disagreements) {
      const item = element("li");
      const link = element("a", `${d.document}`);
      if (ids.has(d.document)) link.href = `/documents/${ids.get(d.document)}#s${d.segment}`;
      item.append(element("b", d.code), " ", link, " — coded by ", element("span", d.coded.join(", ")),
        ", not by ", element("span", d.not_coded.join(", ")), element("p", d.text, "passage"));
      if (mayDecide && report.unit === "segment" && d.segment) {
        // With two coders "take A" and "take B"; with more, the sides of the disagreement
        // ("both" is coded, "neither" not coded); "edit" codes the consensus span in the reader.
        const choices = [["code", `take ${d.coded.join(", ")}: coded`],
          ["none", `take ${d.not_coded.join(", ")}: not coded`]];
        for (const [decision, label] of choices) {
          const button = element("button", label);
          button.type = "button";
          button.addEventListener("click", async () => {
            try {
              await api("POST", "/api/consensus", { segment: d.segment, code: d.code, decision });
              status(`Consensus recorded for ${d.code}.`);
              button.closest("li").classList.add("decided");
            } catch (error) {
              status(error.message, true);
            }
          });
          item.append(button, " ");
        }
        if (ids.has(d.document)) {
          const edit = element("a", "edit the span in the reader", "button");
          edit.href = `/documents/${ids.get(d.document)}?as=consensus#s${d.segment}`;
          item.append(edit);
        }
      }
      list.append(item);
    }
    result.append(element("h2", `${differences.disagreements.length} disagreements`), list);
    result.dataset.ready = "true";
  } catch (error) {
    status(error.message, true);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  compare();
});
listen((change) => { if (change.type === "consensus" && result.dataset.ready) compare(); });
