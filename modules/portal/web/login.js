// The portal's dev login (embedded demo only): sign in as a demo citizen, then return.
'use strict';

P.ready(async function () {
  const box = document.getElementById('dev-login');
  if (!box) return; // the dev login is off
  const next = box.dataset.next || '/portal/';
  const form = document.getElementById('dev-login-form');
  const email = document.getElementById('dev-email');
  const errBox = document.getElementById('login-error');
  const list = document.getElementById('dev-citizens');

  async function signIn(address) {
    errBox.hidden = true;
    const r = await P.api('POST', '/api/v1/dev/login', { json: { email: address } });
    if (r.ok) { location.assign(next); return; }
    errBox.textContent = '登录失败 / sign-in failed：' + P.errorText(r);
    errBox.hidden = false;
  }
  form.addEventListener('submit', function (ev) { ev.preventDefault(); signIn(email.value.trim()); });

  const r = await P.api('GET', '/api/v1/dev/accounts');
  if (!r.ok) return;
  for (const a of (r.data.accounts || []).filter(function (a) { return a.kind === 'citizen'; })) {
    const b = P.el('button', { type: 'button', class: 'account', 'data-email': a.email },
      P.el('span', { class: 'name', text: a.name }), P.el('span', { class: 'email', text: a.email }));
    b.addEventListener('click', function () { signIn(a.email); });
    list.append(P.el('li', {}, b));
  }
});
