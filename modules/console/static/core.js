// Shared code of the staff console: the API client, the session context (who am I, at which
// tenant), the header with the tenant switcher, and small DOM helpers. Each page's own script
// registers with Z.ready and receives the context.
'use strict';

(function () {
  const TENANT_KEY = 'zhifa.tenant';
  const Z = {};
  window.Z = Z;

  Z.labels = {
    tiers: { province: '省', city: '市', county: '县', township: '乡镇' },
    tierOrder: ['province', 'city', 'county', 'township'],
    roles: {
      officer: '执法人员', legal_reviewer: '法制审核人员', body_head: '执法主体负责人', body_admin: '执法主体管理员',
      supervisor: '执法监督', procurator: '检察监督', tenant_operator: '平台运维', citizen: '当事人'
    },
    accountKinds: { officer: '工作人员', operator: '平台运维', citizen: '当事人' },
    sectors: {
      market_regulation: '市场监管', urban_management: '城市管理', transport: '交通运输', agriculture: '农业农村',
      ecology: '生态环境', emergency: '应急管理', culture_tourism: '文化旅游', health: '卫生健康', other: '其他'
    },
    bodyKinds: { administrative_organ: '行政机关', authorised_organisation: '法律法规授权组织', entrusted_organisation: '受委托组织' },
    matterKinds: { penalty: '行政处罚', inspection: '行政检查', coercion: '行政强制', other: '其他行政执法' },
    lawLevels: {
      law: '法律', administrative_regulation: '行政法规', local_regulation: '地方性法规', autonomous_regulation: '自治条例和单行条例',
      departmental_rule: '部门规章', local_rule: '地方政府规章', normative_document: '行政规范性文件'
    },
    certStatus: { valid: '有效', suspended: '暂扣', revoked: '吊销/注销' }
  };

  // The DOM helpers are shared with the citizen portal (dom.js, loaded first).
  Z.el = DOM.el;
  Z.bi = DOM.bi;
  Z.msg = DOM.msg;

  Z.label = function (table, v) {
    const zh = (Z.labels[table] || {})[v];
    return zh ? zh + '（' + v + '）' : (v || '');
  };

  Z.tenantID = function () {
    try { return localStorage.getItem(TENANT_KEY) || ''; } catch (e) { return ''; }
  };
  Z.setTenantID = function (id) {
    try {
      if (id) localStorage.setItem(TENANT_KEY, id);
      else localStorage.removeItem(TENANT_KEY);
    } catch (e) { /* storage disabled: the home tenant applies */ }
  };

  // api calls the JSON API with the session cookie and the current tenant. It resolves to
  // {ok, status, data}; a 401 sends the browser to the login page.
  Z.api = async function (method, path, opts) {
    opts = opts || {};
    const headers = { Accept: 'application/json' };
    const tenant = opts.tenant !== undefined ? opts.tenant : (opts.noTenant ? '' : Z.tenantID());
    if (tenant) headers['X-Zhifa-Tenant'] = tenant;
    if (opts.headers) Object.assign(headers, opts.headers);
    let body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.raw !== undefined) {
      headers['Content-Type'] = opts.contentType || 'text/plain';
      body = opts.raw;
    } else if (opts.formData !== undefined) {
      body = opts.formData; // the browser sets the multipart boundary
    }
    let res;
    try {
      res = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
    } catch (err) {
      return { ok: false, status: 0, data: { message: { zh: '无法连接服务器，请检查网络', en: 'cannot reach the server' } } };
    }
    let data = null;
    if ((res.headers.get('Content-Type') || '').includes('json')) {
      try { data = await res.json(); } catch (e) { data = null; }
    }
    if (res.status === 401 && !opts.allow401) {
      // a step the session lacks (the second factor) has its own page; else sign in again
      location.assign(DOM.nextPage(data) || '/login?next=' + encodeURIComponent(location.pathname + location.search));
      return new Promise(function () {}); // the page is going away
    }
    return { ok: res.ok, status: res.status, data };
  };

  // uuid returns a random UUID (v4): crypto.randomUUID where the page is a secure context, else
  // built from crypto.getRandomValues (an intranet served over plain HTTP).
  Z.uuid = function () {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, '0'); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  };

  // errorText is the message of a failed API answer, with its request id.
  Z.errorText = function (r) {
    const d = r.data || {};
    let t = Z.msg(d.message) || ('HTTP ' + r.status);
    if (d.request_id) t += '（request_id: ' + d.request_id + '）';
    return t;
  };

  // list returns the rows of a list answer: an array, or the first array property of an object.
  Z.list = function (data) {
    if (Array.isArray(data)) return data;
    if (data && typeof data === 'object') {
      for (const k of ['items', 'results', 'data']) if (Array.isArray(data[k])) return data[k];
      for (const v of Object.values(data)) if (Array.isArray(v)) return v;
    }
    return [];
  };

  Z.clearFormErrors = function (form) {
    form.querySelectorAll('.field-error').forEach(function (p) { p.textContent = ''; p.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    form.querySelectorAll('.form-error, .form-ok').forEach(function (p) { p.textContent = ''; p.hidden = true; });
  };

  // showFormErrors puts each field error of an API answer under its field (the .field whose
  // data-field names it) and the message, with any field that has no place, at the form's top.
  Z.showFormErrors = function (form, r) {
    Z.clearFormErrors(form);
    const d = r.data || {};
    const top = form.querySelector('.form-error');
    const rest = [];
    let first = null;
    for (const f of d.fields || []) {
      const box = form.querySelector('.field[data-field="' + CSS.escape(f.field) + '"]');
      const p = box && box.querySelector('.field-error');
      if (!p) { rest.push(f); continue; }
      p.textContent = (p.textContent ? p.textContent + '；' : '') + Z.msg(f.message);
      p.hidden = false;
      const input = box.querySelector('input, select, textarea');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        if (!first) first = input;
      }
    }
    if (top) {
      top.textContent = Z.errorText(r);
      for (const f of rest) top.append(Z.el('br'), f.field + '：' + Z.msg(f.message));
      top.hidden = false;
    }
    if (first) first.focus();
  };

  Z.showOK = function (form, text) {
    const p = form.querySelector('.form-ok');
    if (p) { p.textContent = text; p.hidden = false; }
  };

  // fillOptions fills every select[data-options="table"] from Z.labels.
  Z.fillOptions = function (root) {
    (root || document).querySelectorAll('select[data-options]').forEach(function (s) {
      if (s.options.length) return;
      for (const [v, zh] of Object.entries(Z.labels[s.dataset.options] || {})) {
        s.append(Z.el('option', { value: v, text: zh + ' ' + v }));
      }
    });
  };

  Z.fmtTime = function (iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    const p = function (n) { return String(n).padStart(2, '0'); };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes());
  };

  Z.depth = function (t) { return t.path ? t.path.split('/').length : 1; };

  // comparePaths orders tenants as a tree: parents before their children, siblings by code.
  Z.comparePaths = function (a, b) {
    const x = a.path.split('/'), y = b.path.split('/');
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length;
  };

  Z.tenantName = function (id) {
    const t = Z.ctx && Z.ctx.byId.get(id);
    return t ? t.name + '（' + id + '）' : id;
  };

  // What the user may do here is the API's answer (GET /api/v1/me at the current tenant:
  // actions, each with all_bodies or the bodies it applies to, and what the user administers);
  // pages show menus and buttons from it and never work out role rules themselves.
  function permit(action) {
    return Z.ctx ? (Z.ctx.actions || []).find(function (p) { return p.action === action; }) : undefined;
  }

  // can reports whether the user may take action at the current tenant: for bodyID if given,
  // else for some body at least.
  Z.can = function (action, bodyID) {
    const p = permit(action);
    return !!p && (bodyID === undefined || p.all_bodies || (p.bodies || []).includes(bodyID));
  };

  // bodiesFor returns the bodies action applies to: null for every body of the tenant, else the
  // list (empty when the action is not allowed at all).
  Z.bodiesFor = function (action) {
    const p = permit(action);
    return !p ? [] : p.all_bodies ? null : (p.bodies || []);
  };

  // administers reports whether the user administers body bodyID ('' for the tenant itself).
  Z.administers = function (bodyID) {
    const a = Z.ctx && Z.ctx.administers;
    if (!a) return false;
    return bodyID ? a.all_bodies || (a.bodies || []).includes(bodyID) : a.tenant;
  };

  // holds reports whether the API lists role among the user's roles here: for a page's defaults
  // (an officer's list starts at their own cases), never for what is allowed.
  Z.holds = function (role) {
    return !!Z.ctx && Z.ctx.roles.includes(role);
  };

  // loadContext asks who the user is and which tenants they may act at, and picks the current
  // tenant: the one chosen before if still allowed, else the home tenant.
  Z.loadContext = async function () {
    const me = await Z.api('GET', '/api/v1/me', { noTenant: true });
    if (!me.ok) throw new Error(Z.errorText(me));
    const grantTenants = [...new Set((me.data.grants || []).map(function (g) { return g.tenant_id; }).filter(Boolean))];
    const byId = new Map();
    for (const id of grantTenants) {
      const r = await Z.api('GET', '/api/v1/tenants', { tenant: id });
      if (r.ok) for (const t of (r.data.tenants || [])) byId.set(t.id, t);
    }
    const tenants = [...byId.values()].sort(Z.comparePaths);
    let id = Z.tenantID();
    if (!byId.has(id)) id = byId.has(me.data.home_tenant) ? me.data.home_tenant : (tenants[0] ? tenants[0].id : '');
    Z.setTenantID(id);
    const current = byId.get(id) || null;
    let here = me.data;
    if (current && here.tenant !== current.id) {
      const r = await Z.api('GET', '/api/v1/me', { tenant: current.id });
      here = r.ok ? r.data : { roles: [], actions: [], administers: null };
    }
    if (!current) here = { roles: [], actions: [], administers: null };
    Z.ctx = { me: me.data, tenants, byId, current, roles: here.roles || [], actions: here.actions || [], administers: here.administers,
      grantable: here.grantable || [] };
    return Z.ctx;
  };

  function renderHeader(ctx) {
    // Menu entries and shortcuts marked data-needs show only when the API allows that action here.
    for (const e of document.querySelectorAll('[data-needs]')) e.hidden = !Z.can(e.dataset.needs);
    const where = document.getElementById('current-tenant');
    if (where) {
      where.textContent = '';
      if (ctx.current) {
        where.append('当前租户 ', Z.el('strong', { text: ctx.current.name }), ' ',
          Z.el('span', { class: 'badge badge-tier', text: Z.labels.tiers[ctx.current.tier] || ctx.current.tier }));
      } else if (ctx.me && ctx.me.kind === 'citizen') {
        where.textContent = '当事人 / party';
      } else {
        where.textContent = '无租户 / no tenant';
      }
    }
    const box = document.getElementById('tenant-switcher');
    const sel = document.getElementById('tenant-select');
    if (!box || !sel) return;
    sel.textContent = '';
    if (ctx.tenants.length < 2) { box.hidden = true; return; }
    const base = Math.min(...ctx.tenants.map(Z.depth));
    for (const t of ctx.tenants) {
      const pad = '\u3000'.repeat(Math.max(0, Z.depth(t) - base));
      sel.append(Z.el('option', { value: t.id, selected: ctx.current && t.id === ctx.current.id,
        text: pad + t.name + '（' + (Z.labels.tiers[t.tier] || t.tier) + '）' }));
    }
    box.hidden = false;
    if (!sel.dataset.bound) {
      sel.dataset.bound = '1';
      sel.addEventListener('change', function () {
        Z.setTenantID(sel.value);
        location.reload();
      });
    }
  }
  Z.renderHeader = renderHeader;

  // refreshContext reloads the context (after creating a tenant, say) and redraws the header.
  Z.refreshContext = async function () {
    const ctx = await Z.loadContext();
    renderHeader(ctx);
    return ctx;
  };

  Z.calendar = Promise.resolve(null);

  // calendarStatus asks which holiday notices are needed today and not loaded (the State Council's
  // notice of next year from 1 November, and of the current year), and who can load them. Staff
  // only; it resolves to null for anyone else or on failure. Z.calendar holds the promise.
  async function calendarStatus(ctx) {
    if (!ctx || !ctx.current || (ctx.me && ctx.me.kind === 'citizen') || !ctx.roles.length) return null;
    const r = await Z.api('GET', '/api/v1/calendar/status');
    return r.ok ? r.data : null;
  }

  // renderCalendarBanner names each missing year and the operators who can load it; officers are
  // sent to their cases whose deadlines wait for it, an operator who can load it to the form.
  function renderCalendarBanner(st) {
    const box = document.getElementById('calendar-banner');
    if (!box) return;
    box.textContent = '';
    box.hidden = true;
    if (!st || !(st.missing || []).length) return;
    const ops = (st.operators || []).map(function (o) { return o.name + '（' + o.email + '）'; }).join('、');
    for (const m of st.missing) {
      const y = m.year;
      const p = Z.el('p', { class: 'calendar-banner-text', 'data-year': y },
        Z.el('strong', { text: y + ' 年国务院节假日安排尚未加载。' }),
        '自 ' + m.since + ' 起需要：需用到 ' + y + ' 年日期的期限暂无法计算，显示为“待 ' + y + ' 年节假日安排加载”。',
        st.can_load ? '请您据国务院办公厅通知录入。' : (ops ? '可加载的平台运维：' : '请联系根租户的平台运维加载。'),
        !st.can_load && ops ? Z.el('span', { class: 'calendar-operators', text: ops }) : null,
        Z.el('span', { class: 'en', lang: 'en', text: ' The State Council\'s ' + y + ' holiday notice is not loaded (needed since ' + m.since +
          '): deadlines that need ' + y + ' dates wait for it. ' + (st.can_load ? 'Enter it from the notice.' : ops ? 'Operators who can load it: ' + ops + '.' : 'Ask a root operator to load it.') }));
      const links = Z.el('p', { class: 'calendar-banner-links' });
      if (Z.can('cases.read') && !st.can_load) {
        links.append(Z.el('a', { href: '/console/cases?calendar_wait=' + y + (Z.holds('officer') ? '&mine=1' : '&mine=0'), 'data-link': 'waiting' },
          '查看等待 ' + y + ' 年安排的案件 ', Z.el('span', { class: 'en', lang: 'en', text: 'cases waiting for it' })));
      }
      if (st.can_load) {
        links.append(Z.el('a', { href: '/console/deadlines#load=' + y, 'data-link': 'load' },
          '录入 ' + y + ' 年节假日安排 ', Z.el('span', { class: 'en', lang: 'en', text: 'enter the notice' })));
      }
      box.append(Z.el('div', { class: 'calendar-banner-inner' }, p, links.childNodes.length ? links : null));
    }
    box.hidden = false;
  }

  // refreshCalendar asks again (after a notice is loaded) and redraws the banner.
  Z.refreshCalendar = async function () {
    Z.calendar = calendarStatus(Z.ctx).catch(function () { return null; });
    renderCalendarBanner(await Z.calendar);
  };

  const callbacks = [];
  Z.ready = function (fn) { callbacks.push(fn); };

  async function boot() {
    Z.fillOptions(document);
    let ctx = null;
    if (document.body.dataset.page !== 'login') {
      try {
        ctx = await Z.loadContext();
        renderHeader(ctx);
        Z.calendar = calendarStatus(ctx).catch(function () { return null; });
        Z.calendar.then(renderCalendarBanner);
      } catch (err) {
        const main = document.getElementById('main');
        main.prepend(Z.el('p', { class: 'notice-error', role: 'alert', text: '无法加载当前用户：' + err.message }));
        return;
      }
    }
    for (const fn of callbacks) {
      try {
        await fn(ctx);
      } catch (err) {
        document.getElementById('main').prepend(Z.el('p', { class: 'notice-error', role: 'alert', text: '页面出错 / page error: ' + err.message }));
      }
    }
    await Z.calendar;
    document.body.dataset.ready = 'true';
  }

  // Page scripts are deferred after this one: wait until they have registered.
  if (document.readyState === 'complete') boot();
  else document.addEventListener('DOMContentLoaded', boot);
}());
