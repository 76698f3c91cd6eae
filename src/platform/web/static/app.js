// Progressive enhancement only: every page works without this file.
// Strength meter: asks the server's zxcvbn-based rater while the user types (debounced).
document.addEventListener('DOMContentLoaded', () => {
  const input = document.querySelector('input[data-strength]');
  const out = document.getElementById('strength');
  if (!input || !out) return;
  const meter = out.querySelector('meter');
  const label = out.querySelector('[data-label]');
  const username = input.getAttribute('data-username') || '';
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!input.value) { meter.value = 0; label.textContent = ''; return; }
      const res = await fetch('/password/strength', {
        method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin',
        body: JSON.stringify({ password: input.value, username, _csrf: input.form.elements._csrf.value }),
      });
      if (!res.ok) return;
      const r = await res.json();
      meter.value = r.score;
      label.textContent = r.label;
      out.dataset.level = r.level;
    }, 250);
  });
});
