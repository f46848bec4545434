// Shared by every page: the JSON API with the session's CSRF token, the status line, live
// updates from the server, stable colours per code, and code-point arithmetic (offsets in
// the project are code points; JavaScript strings count UTF-16 units).

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

/** Calls the JSON API; resolves to the parsed body (null for 204), throws Error(message). */
export async function api(method, path, body) {
  const init = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) {
    const error = new Error(data.error ?? `${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

/** Uploads a file's bytes as a new document. */
export async function upload(file, region) {
  const query = new URLSearchParams({ name: file.name });
  if (region) query.set("region", region);
  const response = await fetch(`/api/documents?${query}`, {
    method: "POST", headers: { "X-CSRF-Token": csrf, "Content-Type": "application/octet-stream" },
    credentials: "same-origin", body: file,
  });
  const data = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(data.error ?? `${response.status}`);
  return data;
}

/** Says `message` in the header's status line (read out by screen readers). */
export function status(message, isError = false) {
  const element = document.getElementById("status");
  if (!element) return;
  element.textContent = message;
  element.classList.toggle("error", isError);
}

/** Calls `handler(change)` for each change the server announces (`GET /api/events`). */
export function listen(handler) {
  const source = new EventSource("/api/events");
  source.addEventListener("change", (event) => handler(JSON.parse(event.data)));
  window.addEventListener("pagehide", () => source.close());
  return source;
}

// Okabe–Ito and Tol's colours: distinguishable with the common colour blindnesses.
const palette = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
  "#44AA99", "#882255", "#999933", "#AA4499", "#332288"];

/** The colour of code `key`: the same in every session (a hash of the key). */
export function colourOf(key) {
  let hash = 2166136261;
  for (const unit of new TextEncoder().encode(key)) hash = Math.imul(hash ^ unit, 16777619) >>> 0;
  return palette[hash % palette.length];
}

/** The number of code points in `text`. */
export function cpLength(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index of code point `n` in `text`. */
export function utf16Index(text, n) {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) {
    const unit = text.charCodeAt(i);
    i += unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}

/** Code points `start`–`end` of `text`. */
export function cpSlice(text, start, end) {
  const a = utf16Index(text, start);
  return text.slice(a, a + utf16Index(text.slice(a), end - start));
}

/** A text element built without HTML (nothing from the project is parsed as markup). */
export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Whether a key event is typed into a field (where letters are text, not commands). */
export function typing(event) {
  const target = event.target;
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit"].includes(target.type);
  return target instanceof HTMLTextAreaElement || target?.isContentEditable === true;
}

/** Asks for a text (a memo) in a dialog; resolves to it, or null when cancelled. */
export function askText(title, initial = "") {
  return new Promise((resolve) => {
    const dialog = element("dialog", undefined, "picker");
    dialog.setAttribute("aria-label", title);
    const area = element("textarea");
    area.value = initial;
    area.rows = 5;
    area.setAttribute("aria-label", title);
    const save = element("button", "save");
    const cancel = element("button", "cancel");
    save.type = cancel.type = "button";
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    save.addEventListener("click", () => finish(area.value.trim() || null));
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish(null); });
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) finish(area.value.trim() || null);
    });
    dialog.append(element("h2", title), area, element("p", "Ctrl+Enter saves · Esc cancels", "hint"), save, " ", cancel);
    document.body.append(dialog);
    dialog.showModal();
    area.focus();
  });
}

/** Renders `memos` into `container`, each editable by a click (PATCH /api/memos/{id}). */
export function showMemos(container, memos, onChange) {
  container.replaceChildren();
  for (const memo of memos) {
    const note = element("button", undefined, "memo");
    note.type = "button";
    note.title = "edit the memo";
    note.append(element("b", `${memo.author}: `), memo.text);
    note.addEventListener("click", async () => {
      const text = await askText("Edit the memo", memo.text);
      if (!text) return;
      try {
        await api("PATCH", `/api/memos/${memo.id}`, { text });
        onChange();
      } catch (error) {
        status(error.message, true);
      }
    });
    container.append(note);
  }
}

// A team server's pages carry a sign-out button.
document.getElementById("logout")?.addEventListener("click", async () => {
  await fetch("/api/session", { method: "DELETE", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" });
  location.assign("/login");
});
