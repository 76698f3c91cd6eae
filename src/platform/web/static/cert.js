// Citizen certificate (AUTH-8): asks the server for a one-time challenge, has the card sign it
// through HiPKI's local signing service (a popup on http://localhost:61161 answering by
// postMessage, as MOICA's own pages do), and posts the signed answer. Without JavaScript the form
// stays hidden and the text beside it says why.
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-cert]')) {
    const status = form.querySelector('[data-cert-status]');
    const say = (text) => { if (status) status.textContent = text || ''; };
    const nojs = form.parentElement && form.parentElement.querySelector('[data-cert-nojs]');
    if (nojs) nojs.hidden = true;
    form.hidden = false;
    const service = form.dataset.service;
    const post = async (url, body) => {
      const res = await fetch(url, {
        method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ _csrf: form.elements._csrf.value, ...body }),
      });
      let data = {};
      try { data = await res.json(); } catch { /* an error page */ }
      return { ok: res.ok, data };
    };
    // One signature through the popup: it says it is ready, gets the tbsPackage, answers the result.
    const sign = (tbsPackage) => new Promise((resolve, reject) => {
      const popup = window.open(service + '/popupForm', 'hipki-sign', 'height=200,width=200,left=100,top=20');
      if (!popup) { reject(new Error('popup')); return; }
      const timer = setTimeout(() => { window.removeEventListener('message', onMessage); reject(new Error('timeout')); }, 120000);
      function onMessage(e) {
        if (e.origin !== service) return;
        let m;
        try { m = typeof e.data === 'string' ? JSON.parse(e.data) : e.data; } catch { return; }
        if (m && m.func === 'getTbs') { popup.postMessage(JSON.stringify(tbsPackage), service); return; }
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        resolve(m);
      }
      window.addEventListener('message', onMessage);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      say(form.dataset.msgWorking);
      try {
        const c = await post(form.dataset.challenge, {});
        if (!c.ok) { say(c.data.message || form.dataset.msgFailed); return; }
        let r;
        try {
          r = await sign({ tbs: c.data.tbs, tbsEncoding: 'NONE', hashAlgorithm: 'SHA256', withCardSN: 'false', pin: form.elements.pin.value, nonce: '', func: 'MakeSignature', signatureType: 'PKCS7' });
        } catch {
          say(form.dataset.msgNoservice);
          return;
        } finally {
          form.elements.pin.value = '';
        }
        if (!r || Number(r.ret_code) !== 0 || !r.signature) { say((r && r.message) || form.dataset.msgFailed); return; }
        const next = form.elements.next ? form.elements.next.value : undefined;
        const done = await post(form.getAttribute('action'), { format: 'pkcs7', signature: r.signature, certificate: r.certb64 || undefined, ...(next ? { next } : {}) });
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
