// The login page: the dev-login panel lists the demo accounts; one click signs in.
'use strict';

Z.ready(async function () {
  const list = document.getElementById('dev-accounts');
  if (!list) return; // the dev login is off: sign-in goes through the identity service
  const errBox = document.getElementById('login-error');
  const next = list.dataset.next || '/console';
  const r = await Z.api('GET', '/api/v1/dev/accounts', { noTenant: true, allow401: true });
  list.textContent = '';
  if (!r.ok) {
    errBox.textContent = '无法加载演示账号：' + Z.errorText(r);
    errBox.hidden = false;
    return;
  }
  const accounts = (r.data.accounts || []).slice().sort(function (a, b) {
    const rank = { operator: 0, officer: 1, citizen: 2 };
    return (rank[a.kind] ?? 9) - (rank[b.kind] ?? 9) || a.email.localeCompare(b.email);
  });
  for (const a of accounts) {
    const roles = (a.roles || []).map(function (s) {
      const [role, tenant] = s.split('@');
      return (Z.labels.roles[role] || role) + (tenant ? ' @ ' + tenant : '');
    }).join('，');
    const btn = Z.el('button', { type: 'button', class: 'account', 'data-email': a.email },
      Z.el('span', { class: 'name', text: a.name }),
      Z.el('span', { class: 'email', text: a.email }),
      Z.el('span', { class: 'roles', text: roles || Z.labels.accountKinds[a.kind] || a.kind }));
    btn.addEventListener('click', async function () {
      errBox.hidden = true;
      list.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
      const res = await Z.api('POST', '/api/v1/dev/login', { json: { email: a.email }, noTenant: true, allow401: true });
      if (res.ok) {
        Z.setTenantID('');
        // a party goes to the portal inbox, unless a portal page sent them here
        location.assign(a.kind === 'citizen' && !next.startsWith('/portal/') ? list.dataset.citizenHome : next);
        return;
      }
      list.querySelectorAll('button').forEach(function (b) { b.disabled = false; });
      errBox.textContent = '登录失败：' + Z.errorText(res);
      errBox.hidden = false;
    });
    list.append(Z.el('li', {}, btn));
  }
  if (!accounts.length) list.append(Z.el('li', { class: 'muted', text: '没有演示账号 / no demo accounts' }));
});
