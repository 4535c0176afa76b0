// The people page: the people holding roles at the tenant (search, filters, pages), each with
// revoke, suspend and reinstate buttons where the caller may use them; the forms to grant a role
// and to register a person (invited by e-mail); and, for the tenant's operator, the grants audit.
// What the caller may give, and where, is GET /api/v1/me's grantable list.
'use strict';

Z.ready(async function (ctx) {
  const L = Z.labels;
  const PAGE = 20;
  const tbody = document.querySelector('#people-table tbody');
  const status = document.getElementById('people-status');
  const note = document.getElementById('people-note');
  const searchForm = document.getElementById('search-form');
  const prev = document.getElementById('prev-page');
  const next = document.getElementById('next-page');
  const grantForm = document.getElementById('grant-form');
  const accountForm = document.getElementById('account-form');
  const me = ctx.me ? ctx.me.identity_id : '';
  const grantable = new Map((ctx.grantable || []).map(function (g) { return [g.role, g]; }));
  const bodyNames = new Map();
  let offset = 0;
  let people = [];

  const actions = {
    account_created: '登记账号 account created', granted: '授予 granted', revoked: '撤销 revoked',
    suspended: '停用 suspended', reinstated: '恢复 reinstated'
  };

  function cell(label, ...content) { return Z.el('td', { 'data-label': label }, ...content); }
  function roleText(role) { return (L.roles[role] || role) + ' ' + role; }
  function bodyText(id) { return id ? (bodyNames.get(id) || id) : '全租户 whole tenant'; }

  // mayGive reports whether the caller may give (and take back) role at body ('' the tenant).
  function mayGive(role, body) {
    const g = grantable.get(role);
    return !!g && (body ? g.all_bodies || (g.bodies || []).includes(body) : g.tenant);
  }

  // bodyOptions fills sel with where role may be given: the tenant itself, then the bodies.
  function bodyOptions(sel, role) {
    sel.textContent = '';
    const g = grantable.get(role);
    if (!g) return;
    if (g.tenant) sel.append(Z.el('option', { value: '', text: '全租户 whole tenant' }));
    for (const [id, name] of bodyNames) {
      if (g.all_bodies || (g.bodies || []).includes(id)) sel.append(Z.el('option', { value: id, text: name }));
    }
  }

  function roleOptions(sel) {
    sel.textContent = '';
    for (const g of ctx.grantable || []) sel.append(Z.el('option', { value: g.role, text: roleText(g.role) }));
  }

  async function act(method, path, done) {
    note.hidden = true;
    const r = await Z.api(method, path);
    if (!r.ok) {
      status.textContent = Z.errorText(r);
      return;
    }
    await load();
    await loadAudit();
    note.textContent = done;
    note.hidden = false;
  }

  function row(a) {
    const roles = Z.el('ul', { class: 'plain' });
    for (const g of a.grants) {
      const li = Z.el('li', {}, Z.el('span', { class: 'badge', text: roleText(g.role) }), ' ', Z.el('span', { class: 'muted', text: bodyText(g.body_id) }));
      if (a.identity_id !== me && mayGive(g.role, g.body_id)) {
        li.append(' ', Z.el('button', { type: 'button', class: 'button-secondary', 'data-revoke': g.id,
          'aria-label': '撤销 ' + a.name + ' 的 ' + roleText(g.role), text: '撤销 revoke',
          onclick: function () { act('DELETE', '/api/v1/grants/' + encodeURIComponent(g.id), '已撤销 / revoked: ' + a.name + ' ' + roleText(g.role)); } }));
      }
      roles.append(li);
    }
    const mayChange = a.identity_id !== me && a.grants.length > 0 && a.grants.every(function (g) { return mayGive(g.role, g.body_id); });
    const ops = Z.el('span', { class: 'actions' });
    if (mayChange && a.state === 'active') {
      ops.append(Z.el('button', { type: 'button', class: 'button-danger', 'data-suspend': a.identity_id, text: '停用 suspend',
        onclick: function () {
          if (!confirm('停用 ' + a.name + '？其登录会立即失效。\nSuspend ' + a.name + '? Their sessions end at once.')) return;
          act('POST', '/api/v1/accounts/' + encodeURIComponent(a.identity_id) + '/suspend', '已停用 / suspended: ' + a.name);
        } }));
    }
    if (mayChange && a.state === 'suspended') {
      ops.append(Z.el('button', { type: 'button', class: 'button', 'data-reinstate': a.identity_id, text: '恢复 reinstate',
        onclick: function () { act('POST', '/api/v1/accounts/' + encodeURIComponent(a.identity_id) + '/reinstate', '已恢复 / reinstated: ' + a.name); } }));
    }
    return Z.el('tr', { 'data-id': a.identity_id, 'data-state': a.state },
      cell('姓名 Name', Z.el('strong', { text: a.name }), Z.el('br'), Z.el('span', { class: 'mono muted', text: a.email })),
      cell('角色 Roles', roles),
      cell('状态 State', a.state === 'suspended'
        ? Z.el('span', { class: 'badge badge-locked', text: '已停用 suspended' }) : Z.el('span', { class: 'badge badge-own', text: '正常 active' })),
      cell('最近变更 Last change', Z.fmtTime(a.last_change)),
      cell('操作 Actions', ops));
  }

  async function load() {
    status.textContent = '正在加载… Loading…';
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    for (const k of ['q', 'role', 'state']) {
      const v = searchForm.elements[k].value.trim();
      if (v) p.set(k, v);
    }
    const r = await Z.api('GET', '/api/v1/accounts?' + p);
    tbody.textContent = '';
    if (!r.ok) { status.textContent = '无法加载人员：' + Z.errorText(r); return; }
    people = r.data.accounts || [];
    for (const a of people) tbody.append(row(a));
    if (!people.length) tbody.append(Z.el('tr', {}, Z.el('td', { colspan: 5, class: 'empty', text: '没有符合条件的人员 / nobody matches' })));
    status.textContent = '第 ' + (offset + 1) + '–' + (offset + people.length) + ' 人 / people ' + (offset + 1) + '–' + (offset + people.length);
    if (!people.length) status.textContent = '';
    prev.disabled = offset === 0;
    next.disabled = r.data.next_offset === undefined || r.data.next_offset === null;
    const sel = grantForm.elements.identity_id;
    sel.textContent = '';
    for (const a of people) if (a.identity_id !== me) sel.append(Z.el('option', { value: a.identity_id, text: a.name + ' ' + a.email }));
  }

  async function loadAudit() {
    if (!Z.administers('')) return;
    const card = document.getElementById('audit-card');
    const body = document.querySelector('#audit-table tbody');
    const st = document.getElementById('audit-status');
    card.hidden = false;
    const r = await Z.api('GET', '/api/v1/grants/audit?limit=50');
    body.textContent = '';
    if (!r.ok) { st.textContent = '无法加载变更记录：' + Z.errorText(r); return; }
    for (const a of r.data.rows || []) {
      const what = Z.el('span', { text: actions[a.action] || a.action });
      if (a.role) what.append(' ', Z.el('span', { class: 'badge', text: roleText(a.role) }), ' ', Z.el('span', { class: 'muted', text: bodyText(a.body_id) }));
      body.append(Z.el('tr', { 'data-action': a.action },
        cell('时间 When', Z.fmtTime(a.at)),
        cell('操作人 Who', Z.el('span', { title: a.actor, text: a.actor_name || a.actor })),
        cell('变更 Change', what),
        cell('人员 Person', Z.el('span', { title: a.identity_id, text: a.name || a.identity_id }))));
    }
    if (!(r.data.rows || []).length) body.append(Z.el('tr', {}, Z.el('td', { colspan: 4, class: 'empty', text: '暂无变更 / no changes yet' })));
    st.textContent = '';
  }

  // Filters and forms offer only the roles the caller may give.
  const fRole = document.getElementById('f-role');
  for (const role of Object.keys(L.roles)) if (role !== 'citizen') fRole.append(Z.el('option', { value: role, text: roleText(role) }));
  const bodies = await Z.api('GET', '/api/v1/bodies?limit=200');
  if (bodies.ok) for (const b of Z.list(bodies.data)) bodyNames.set(b.id, b.name);
  for (const [form, roleSel, bodySel] of [[grantForm, 'g-role', 'g-body'], [accountForm, 'a-role', 'a-body']]) {
    const rs = document.getElementById(roleSel), bs = document.getElementById(bodySel);
    roleOptions(rs);
    bodyOptions(bs, rs.value);
    rs.addEventListener('change', function () { bodyOptions(bs, rs.value); });
    form.closest('section').hidden = !grantable.size;
  }
  if (!mayGive('tenant_operator', '')) accountForm.querySelector('#a-kind option[value="operator"]').remove();

  searchForm.addEventListener('submit', function (ev) { ev.preventDefault(); offset = 0; load(); });
  prev.addEventListener('click', function () { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', function () { offset += PAGE; load(); });

  grantForm.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    Z.clearFormErrors(grantForm);
    const req = { identity_id: grantForm.elements.identity_id.value, role: grantForm.elements.role.value, body_id: grantForm.elements.body_id.value };
    const r = await Z.api('POST', '/api/v1/grants', { json: req });
    if (!r.ok) { Z.showFormErrors(grantForm, r); return; }
    const who = people.find(function (a) { return a.identity_id === req.identity_id; });
    await load();
    await loadAudit();
    Z.showOK(grantForm, '已授予 / granted: ' + (who ? who.name : '') + ' ' + roleText(req.role) + ' ' + bodyText(req.body_id));
  });

  accountForm.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    Z.clearFormErrors(accountForm);
    const f = accountForm.elements;
    const req = { email: f.email.value.trim(), name: f.name.value.trim(), kind: f.kind.value, roles: [f.role.value], body_id: f.body_id.value };
    const btn = accountForm.querySelector('button[type="submit"]');
    btn.disabled = true;
    const r = await Z.api('POST', '/api/v1/accounts', { json: req });
    btn.disabled = false;
    if (!r.ok) { Z.showFormErrors(accountForm, r); return; }
    f.email.value = '';
    f.name.value = '';
    await load();
    await loadAudit();
    Z.showOK(accountForm, r.data.invite === 'queued'
      ? '已登记，邀请邮件已发往 ' + r.data.email + ' / registered; the invitation is on its way'
      : '已登记（本环境未接入身份服务，不发送邀请）/ registered; no invitation in this environment');
  });

  await load();
  await loadAudit();
});
