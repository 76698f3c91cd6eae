// Passkeys (AUTH-11): WebAuthn ceremonies through @simplewebauthn/browser (webauthn.js, loaded
// before this file). Without JavaScript the forms stay hidden and the text beside them says why;
// the password form works either way.
document.addEventListener('DOMContentLoaded', () => {
  const W = window.SimpleWebAuthnBrowser;
  const forms = document.querySelectorAll('form[data-passkey]');
  if (!forms.length) return;
  const supported = Boolean(W && W.browserSupportsWebAuthn());
  for (const form of forms) {
    const status = form.querySelector('[data-passkey-status]');
    const say = (text) => { if (status) status.textContent = text || ''; };
    const nojs = form.parentElement && form.parentElement.querySelector('[data-passkey-nojs]');
    if (!supported) { if (nojs) nojs.textContent = form.dataset.msgUnsupported; continue; }
    if (nojs) nojs.hidden = true;
    form.hidden = false;
    const post = async (url, body) => {
      const res = await fetch(url, {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ _csrf: form.elements._csrf.value, ...body }),
      });
      let data = {};
      try { data = await res.json(); } catch { /* an error page */ }
      return { ok: res.ok, data };
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      say(form.dataset.msgWorking);
      try {
        const opts = await post(form.dataset.options, {});
        if (!opts.ok) { say(opts.data.message || form.dataset.msgFailed); return; }
        let credential;
        try {
          credential = form.dataset.passkey === 'register'
            ? await W.startRegistration({ optionsJSON: opts.data.options })
            : await W.startAuthentication({ optionsJSON: opts.data.options });
        } catch (e) {
          say(form.dataset.msgCancelled);
          return;
        }
        const next = form.elements.next ? form.elements.next.value : undefined;
        const done = await post(form.getAttribute('action'), next ? { credential, next } : { credential });
        if (done.ok && done.data.redirect) { window.location.assign(done.data.redirect); return; }
        say(done.data.message || form.dataset.msgFailed);
      } catch {
        say(form.dataset.msgFailed);
      } finally {
        button.disabled = false;
      }
    });
  }
});
