// A team server's sign-in: POST /api/session, then the documents.
const form = document.getElementById("login");
const status = document.getElementById("status");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "";
  const response = await fetch("/api/session", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: form.elements.user.value, password: form.elements.password.value }),
  });
  if (response.ok) {
    location.assign("/");
    return;
  }
  const body = await response.json().catch(() => ({}));
  status.textContent = body.error ?? `${response.status}`;
  status.className = "error";
  form.elements.password.value = "";
  form.elements.password.focus();
});
