// Kept in a file of our own, not inline, so the Content-Security-Policy can forbid inline script.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// The decision screen's running total: what the chosen outcomes approve against what the fund
// has left. The server works the same total out again ("Check the total") and refuses a decision
// that commits too much; this only saves a round trip.
const pounds = (pence) => {
  const sign = pence < 0 ? "−" : "";
  const abs = Math.abs(pence);
  const whole = Math.floor(abs / 100).toLocaleString("en-GB");
  const part = abs % 100;
  return `${sign}£${whole}${part ? "." + String(part).padStart(2, "0") : ""}`;
};
const parsePence = (text) => {
  const cleaned = text.trim().replace(/^£/, "").replace(/[,\s]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, part = ""] = cleaned.split(".");
  return Number(whole) * 100 + Number(part.padEnd(2, "0"));
};
for (const form of document.querySelectorAll('[data-module="app-decision"]')) {
  const left = Number(form.dataset.left);
  const update = () => {
    let total = 0;
    for (const bid of form.querySelectorAll(".app-decision-bid")) {
      const chosen = form.querySelector(`input[name="${bid.dataset.choice}"]:checked`);
      if (!chosen) continue;
      if (chosen.value === "full") total += Number(bid.dataset.requested);
      if (chosen.value === "reduced") {
        total += parsePence(form.querySelector(`[name="${bid.dataset.amount}"]`).value) ?? 0;
      }
    }
    form.querySelector("#decision-total").textContent = pounds(total);
    form.querySelector("#decision-balance").textContent =
      total <= left
        ? `${pounds(left - total)} left after this decision`
        : `${pounds(total - left)} more than the fund has left`;
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
}
