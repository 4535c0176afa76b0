// The lookup page: a case code with the proof of being its party; the cases the account has
// proved already. A code the account has proved already opens its case at once.
'use strict';

P.ready(async function () {
  const form = document.getElementById('lookup-form');
  const code = document.getElementById('lookup-code');
  const proof = document.getElementById('lookup-proof');
  const status = document.getElementById('lookup-status');
  const submit = document.getElementById('lookup-submit');
  const list = document.getElementById('my-cases');
  const listStatus = document.getElementById('my-cases-status');

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    P.status(status, '');
    submit.disabled = true;
    const r = await P.api('POST', '/api/v1/portal/lookup', { json: { code: code.value, proof: proof.value } });
    submit.disabled = false;
    if (r.ok) {
      location.assign('/portal/cases/' + encodeURIComponent(r.data.case.id));
      return;
    }
    status.dataset.code = (r.data && r.data.code) || '';
    P.status(status, P.errorText(r), 'error');
  });

  const r = await P.api('GET', '/api/v1/portal/cases');
  list.textContent = '';
  if (!r.ok) { P.status(listStatus, P.errorText(r), 'error'); return; }
  const cases = r.data.cases || [];
  const wanted = code.value.trim().toUpperCase();
  for (const c of cases) {
    if (wanted && c.code === wanted) {
      location.replace('/portal/cases/' + encodeURIComponent(c.id));
      return;
    }
    list.append(P.el('li', { class: 'case-item', 'data-id': c.id },
      P.el('a', { href: '/portal/cases/' + encodeURIComponent(c.id) }, P.el('strong', { text: c.title || c.code })),
      P.el('p', { class: 'meta mono', text: c.code }),
      P.el('p', { class: 'meta', text: P.msg(c.state_title) + (c.body_name ? ' · ' + c.body_name : '') })));
  }
  if (!cases.length) list.append(P.el('li', { class: 'muted' }, '尚无已核验的案件。', P.el('span', { lang: 'en', text: ' No case proved yet.' })));
  if (!wanted) code.focus(); else proof.focus();
});
