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

// ACC-2: the add-account form checks the username while typing, through an administrator-only
// endpoint for the chosen unit; the answer is read out by the aria-live region. Submitting checks again.
document.addEventListener('DOMContentLoaded', () => {
  const out = document.querySelector('[data-username-check]');
  const input = document.getElementById('username');
  const unit = document.getElementById('unitOid');
  if (!out || !input || !unit) return;
  let timer;
  let seq = 0;
  const check = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const mine = ++seq;
      const username = input.value.trim();
      if (!username) { out.textContent = ''; delete out.dataset.available; return; }
      const url = out.getAttribute('data-username-check') + '?username=' + encodeURIComponent(username) + '&unit=' + encodeURIComponent(unit.value);
      try {
        const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (!res.ok || mine !== seq) return;
        const r = await res.json();
        out.textContent = r.message || '';
        out.dataset.available = String(r.available);
      } catch { /* the submit check still applies */ }
    }, 300);
  };
  input.addEventListener('input', check);
  unit.addEventListener('change', check);
});

// 顯示密碼: the server renders the checkbox hidden; shown here, it switches the named password
// fields between hidden and plain text. Without this script the box never appears.
document.addEventListener('DOMContentLoaded', () => {
  for (const box of document.querySelectorAll('[data-show-password]')) {
    const inputs = box.getAttribute('data-show-password').split(' ').map((id) => document.getElementById(id)).filter(Boolean);
    const toggle = box.querySelector('input[type="checkbox"]');
    if (!toggle || inputs.length === 0) continue;
    box.hidden = false;
    toggle.addEventListener('change', () => { for (const i of inputs) i.type = toggle.checked ? 'text' : 'password'; });
    // Never submit a password left visible: it goes back to a password field first (autofill, history).
    toggle.form?.addEventListener('submit', () => { for (const i of inputs) i.type = 'password'; });
  }
});
