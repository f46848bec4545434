// The code picker: type-ahead over code keys, labels and definitions (English and Chinese),
// the recently used codes on keys 1–9, a valence and a memo; every part works from the keyboard.
import { colourOf, element } from "./api.js";

const recentKey = "qda.recentCodes";
const recent = () => JSON.parse(localStorage.getItem(recentKey) ?? "[]");
function remember(code) {
  localStorage.setItem(recentKey, JSON.stringify([code, ...recent().filter((c) => c !== code)].slice(0, 9)));
}

/** How well code `c` answers `query`: its key first, then its label, then its definition (5: not at all). */
function rank(c, query) {
  const key = c.key.toLowerCase();
  const last = key.slice(key.lastIndexOf(".") + 1);
  if (key === query || last === query) return 0;
  if (last.startsWith(query) || key.startsWith(query)) return 1;
  if (key.includes(query)) return 2;
  if (c.label.toLowerCase().includes(query)) return 3;
  if ((c.definition ?? "").toLowerCase().includes(query)) return 4;
  return 5;
}

/** Asks for a code (type-ahead, recent codes on 1–9), a valence and a memo; resolves to them or null. */
export function pick(title, codes, initial = {}) {
  return new Promise((resolve) => {
    const dialog = element("dialog", undefined, "picker");
    dialog.setAttribute("aria-label", title);
    const heading = element("h2", title);
    const input = element("input");
    input.type = "search";
    input.placeholder = "code: key, label or definition";
    input.setAttribute("aria-label", "code");
    input.value = initial.code ?? "";
    const list = element("ol", undefined, "choices");
    list.setAttribute("role", "listbox");
    const valences = element("fieldset", undefined, "valence");
    valences.append(element("legend", "valence (+ 0 −)"));
    for (const [value, label] of [[1, "+"], [0, "0"], [-1, "−"]]) {
      const option = element("label");
      const radio = element("input");
      radio.type = "radio";
      radio.name = "valence";
      radio.value = value;
      radio.checked = value === (initial.valence ?? 0);
      option.append(radio, ` ${label}`);
      valences.append(option);
    }
    const memo = element("textarea");
    memo.placeholder = "memo (optional)";
    memo.setAttribute("aria-label", "memo");
    memo.value = initial.memo ?? "";
    const help = element("p", "↑↓ choose · Enter code · 1–9 recent (empty field) · + = − valence · Esc cancel", "hint");
    dialog.append(heading, input, list, valences, memo, help);
    document.body.append(dialog);
    let choices = [];
    let index = 0;
    const show = () => {
      const query = input.value.trim().toLowerCase();
      const recents = recent();
      choices = query
        ? codes.map((c, order) => ({ c, order, rank: rank(c, query) })).filter((x) => x.rank < 5)
          .sort((x, y) => x.rank - y.rank || x.order - y.order).map((x) => x.c)
        : [...recents.map((k) => codes.find((c) => c.key === k)).filter(Boolean),
           ...codes.filter((c) => !recents.includes(c.key))];
      index = Math.min(index, Math.max(choices.length - 1, 0));
      list.replaceChildren(...choices.slice(0, 40).map((c, i) => {
        const item = element("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === index);
        const shortcut = !query && i < recents.length ? `${i + 1} ` : "";
        const swatch = element("span", "", "swatch");
        swatch.style.background = colourOf(c.key);
        item.append(swatch, element("b", shortcut + c.key), " ", element("span", c.label), " ",
          element("small", c.definition ?? ""));
        item.addEventListener("click", () => finish(c.key));
        return item;
      }));
    };
    const valence = () => Number(dialog.querySelector("input[name=valence]:checked").value);
    const finish = (code) => {
      dialog.close();
      dialog.remove();
      if (code) remember(code);
      resolve(code ? { code, valence: valence(), memo: memo.value.trim() } : null);
    };
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(null); });
    dialog.addEventListener("keydown", (event) => {
      const empty = input.value === "" && event.target === input;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        index = Math.max(0, Math.min(choices.length - 1, index + (event.key === "ArrowDown" ? 1 : -1)));
        show();
        event.preventDefault();
      } else if (event.key === "Enter" && event.target !== memo) {
        event.preventDefault();
        if (choices[index]) finish(choices[index].key);
      } else if (empty && /^[1-9]$/.test(event.key) && recent()[Number(event.key) - 1]) {
        event.preventDefault();
        finish(recent()[Number(event.key) - 1]);
      } else if (empty && ["+", "=", "-"].includes(event.key)) {
        event.preventDefault();
        const value = { "+": 1, "=": 0, "-": -1 }[event.key];
        dialog.querySelector(`input[name=valence][value="${value}"]`).checked = true;
      }
    });
    input.addEventListener("input", () => { index = 0; show(); });
    show();
    dialog.showModal();
    input.focus();
  });
}
