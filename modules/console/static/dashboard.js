// The dashboard: who am I, where do I act, and what may I do there.
'use strict';

Z.ready(async function (ctx) {
  const L = Z.labels;
  const me = ctx.me;
  const fact = function (dl, dt, ...dd) { dl.append(Z.el('dt', { text: dt }), Z.el('dd', {}, ...dd)); };

  const who = document.getElementById('whoami');
  fact(who, '姓名 Name', Z.el('strong', { text: me.name }));
  fact(who, '类型 Kind', Z.label('accountKinds', me.kind));
  fact(who, '账号 ID', Z.el('span', { class: 'mono', text: me.identity_id }));
  fact(who, '登录方式 Sign-in', me.dev ? Z.el('span', {}, Z.el('span', { class: 'badge badge-dev', text: 'DEV' }), ' 开发登录（仅限演示）dev login')
    : '统一身份认证 identity service');
  if (me.home_tenant) fact(who, '所属租户 Home', Z.tenantName(me.home_tenant));

  const where = document.getElementById('where');
  const t = ctx.current;
  if (t) {
    const trail = t.path.split('/').map(function (id) { const x = ctx.byId.get(id); return x ? x.name : id; }).join(' › ');
    fact(where, '租户 Tenant', Z.el('strong', { text: t.name }));
    fact(where, '代码 Code', Z.el('span', { class: 'mono', text: t.id }));
    fact(where, '层级 Tier', Z.label('tiers', t.tier));
    fact(where, '路径 Path', trail);
    fact(where, '本级角色 Roles here', ctx.roles.map(function (r) { return L.roles[r] || r; }).join('、') || '无 none');
    if (ctx.tenants.length > 1) {
      fact(where, '可切换 Switchable', ctx.tenants.length + ' 个租户（页眉切换）/ tenants, switch in the header');
    }
  } else {
    fact(where, '租户 Tenant', '无 none');
  }

  const grants = document.getElementById('grants');
  for (const g of me.grants || []) {
    const li = Z.el('li', {}, Z.el('strong', { text: L.roles[g.role] || g.role }), ' ',
      Z.el('span', { class: 'mono muted', text: g.role }));
    if (g.tenant_id) li.append(' @ ', Z.tenantName(g.tenant_id));
    if (g.body_id) li.append(' · 执法主体 ', Z.el('span', { class: 'mono', text: g.body_id }));
    if ((me.subtree_roles || []).includes(g.role)) li.append(Z.el('span', { class: 'muted', text: '（本级及下级 / this tenant and below）' }));
    grants.append(li);
  }
  if (!(me.grants || []).length) grants.append(Z.el('li', { class: 'muted', text: '无授权 / no roles' }));

  const staff = (me.grants || []).some(function (g) { return g.role !== 'citizen'; });
  if (!staff) {
    const st = document.getElementById('page-status');
    st.className = 'notice';
    st.textContent = '本工作台供工作人员使用；当事人请使用公众服务页面。/ The console is for staff.';
  }
});
