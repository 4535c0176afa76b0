// The element databases page: one tab per kind, with search, paging and the create forms for
// bodies and matters. Officers show each certificate's state on a day (today unless asked),
// expired and expiring first, and the body's administrators see the day's certificate notice.
'use strict';

Z.ready(async function (ctx) {
  const L = Z.labels;
  const PAGE = 20;
  const table = document.getElementById('list-table');
  const thead = table.querySelector('thead');
  const tbody = table.querySelector('tbody');
  const status = document.getElementById('list-status');
  const panel = document.getElementById('element-panel');
  const q = document.getElementById('q');
  const prev = document.getElementById('prev-page');
  const next = document.getElementById('next-page');
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const onField = document.getElementById('on-field');
  const onDay = document.getElementById('on');
  const mayWrite = Z.can('elements.write');
  const bodyNames = new Map();
  const matterNames = new Map();
  let kind = 'bodies';
  let offset = 0;

  const mono = function (t) { return Z.el('span', { class: 'mono', text: t || '' }); };
  const period = function (from, to) { return (from || '') + ' 至 ' + (to || '今 now'); };
  const inherited = function (row) {
    return row.tenant_id && ctx.current && row.tenant_id !== ctx.current.id
      ? Z.el('span', { class: 'muted', text: ' · 上级 ' + Z.tenantName(row.tenant_id) }) : null;
  };

  // A certificate's state on the day asked, as a badge: red when the officer cannot enforce,
  // amber when it expires soon.
  const certStates = {
    valid: ['有效', 'valid', 'badge-own'], expiring: ['即将到期', 'expiring', 'badge-final'],
    expired: ['已过期', 'expired', 'badge-locked'], not_yet_valid: ['未生效', 'not yet valid', 'badge-locked'],
    suspended: ['暂扣', 'suspended', 'badge-locked'], revoked: ['吊销/注销', 'revoked', 'badge-locked']
  };
  const certBadge = function (c) {
    const s = certStates[c.state] || [L.certStatus[c.status] || c.status, c.status, 'badge-tier'];
    return Z.el('span', { class: 'badge ' + s[2], 'data-state': c.state || '' }, s[0] + ' ' + s[1]);
  };
  const days = function (n) { return n + (n === 1 ? ' day' : ' days'); };
  const daysText = function (c) {
    if (typeof c.days_left !== 'number') return null;
    if (c.state === 'expiring') return c.days_left === 0 ? '今日到期 expires today' : '剩 ' + c.days_left + ' 天 ' + days(c.days_left) + ' left';
    if (c.state === 'expired') return '已过期 ' + (-c.days_left) + ' 天 ' + days(-c.days_left) + ' ago';
    return null;
  };

  // Each kind: its API path, its columns (label and how to show a row's cell).
  const kinds = {
    bodies: { path: '/api/v1/bodies', ph: '名称或信用代码 name or code', cols: [
      ['名称 Name', function (b) { return b.name; }],
      ['统一社会信用代码 Code', function (b) { return mono(b.code); }],
      ['类别 Kind', function (b) { return L.bodyKinds[b.kind] || b.kind; }],
      ['领域 Sector', function (b) { return L.sectors[b.sector] || b.sector; }],
      ['状态 Status', function (b) { return b.active === false ? '停用 inactive' : '在用 active'; }]] },
    officers: { path: '/api/v1/officers', ph: '姓名或执法证号 name or certificate', cols: [
      ['姓名 Name', function (o) { return o.name; }],
      ['身份证号 ID number', function (o) { return mono(o.id_number); }],
      ['执法主体 Body', function (o) { return bodyNames.get(o.body_id) || mono(o.body_id); }],
      ['执法证 Certificate', function (o) {
        const c = o.certificate;
        if (!c || !c.number) return Z.el('span', { class: 'badge badge-locked', 'data-state': 'none', text: '未持证 none' });
        const left = daysText(c);
        return Z.el('span', {}, certBadge(c), ' ', mono(c.number), Z.el('br'),
          Z.el('span', { class: 'muted', text: period(c.issued_on, c.expires_on) + (left ? ' · ' + left : '') }));
      }]] },
    laws: { path: '/api/v1/laws', ph: '名称、简称或制定机关 name or issuer', cols: [
      ['名称 Name', function (l) { return Z.el('span', {}, l.name, l.short_name ? Z.el('span', { class: 'muted', text: '（' + l.short_name + '）' }) : null, inherited(l)); }],
      ['效力层级 Level', function (l) { return L.lawLevels[l.level] || l.level; }],
      ['制定机关 Issuer', function (l) { return l.issuer; }],
      ['施行期间 In force', function (l) { return period(l.effective_from, l.effective_to); }]] },
    matters: { path: '/api/v1/matters', ph: '编码或名称 code or name', cols: [
      ['编码 Code', function (m) { return mono(m.code); }],
      ['名称 Name', function (m) { return Z.el('span', {}, m.name, inherited(m)); }],
      ['类别 Kind', function (m) { return L.matterKinds[m.kind] || m.kind; }],
      ['领域 Sector', function (m) { return L.sectors[m.sector] || m.sector; }],
      ['依据 Basis', function (m) { return (m.article_ids || []).length + ' 条 articles'; }],
      ['实施主体 Bodies', function (m) {
        const names = (m.body_ids || []).map(function (id) { return bodyNames.get(id) || id; });
        return names.length ? names.join('、') : Z.el('span', { class: 'muted', text: '未指定 none' });
      }]] },
    benchmarks: { path: '/api/v1/benchmarks', ph: '标题 title', cols: [
      ['标题 Title', function (b) { return Z.el('span', {}, b.title, inherited(b)); }],
      ['执法事项 Matter', function (b) { return matterNames.get(b.matter_id) || mono(b.matter_id); }],
      ['更新时间 Updated', function (b) { return Z.fmtTime(b.updated_at); }]] }
  };

  async function loadNames(path, map, label) {
    const r = await Z.api('GET', path + '?limit=200');
    if (!r.ok) return;
    for (const x of Z.list(r.data)) map.set(x.id, label(x));
  }

  async function load() {
    const k = kinds[kind];
    status.textContent = '正在加载… Loading…';
    thead.textContent = '';
    tbody.textContent = '';
    if (kind === 'officers' || kind === 'matters') await loadNames('/api/v1/bodies', bodyNames, function (b) { return b.name; });
    if (kind === 'benchmarks') await loadNames('/api/v1/matters', matterNames, function (m) { return m.code + ' ' + m.name; });
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (q.value.trim()) params.set('q', q.value.trim());
    if (kind === 'officers' && onDay.value) params.set('on', onDay.value);
    const r = await Z.api('GET', k.path + '?' + params);
    if (k !== kinds[kind]) return; // another tab was chosen meanwhile
    thead.textContent = '';
    tbody.textContent = '';
    thead.append(Z.el('tr', {}, k.cols.map(function (c) { return Z.el('th', { scope: 'col', text: c[0] }); })));
    if (!r.ok) {
      status.textContent = '无法加载：' + Z.errorText(r);
      prev.disabled = next.disabled = true;
      return;
    }
    const rows = Z.list(r.data);
    for (const row of rows) {
      tbody.append(Z.el('tr', { 'data-id': row.id }, k.cols.map(function (c) {
        return Z.el('td', { 'data-label': c[0] }, c[1](row));
      })));
    }
    if (!rows.length) tbody.append(Z.el('tr', {}, Z.el('td', { colspan: k.cols.length, class: 'empty', text: '没有记录 / nothing found' })));
    const total = typeof r.data.total === 'number' ? r.data.total : null;
    if (total === null) status.textContent = rows.length + ' 条 / rows';
    else if (!rows.length) status.textContent = '共 ' + total + ' 条 / ' + total + ' in all';
    else status.textContent = '共 ' + total + ' 条，显示第 ' + (offset + 1) + '–' + (offset + rows.length) + ' 条 / ' + total + ' in all';
    if (kind === 'officers' && rows.length && rows[0].certificate && rows[0].certificate.state_on) {
      status.textContent += '；执法证状态按 ' + rows[0].certificate.state_on + ' 计算，已过期、即将到期的排在前面 / certificates as on ' +
        rows[0].certificate.state_on + ', expired and expiring first';
    }
    prev.disabled = offset === 0;
    next.disabled = total !== null ? offset + rows.length >= total : rows.length < PAGE;
  }

  function select(k, focus) {
    if (!kinds[k]) k = 'bodies';
    kind = k;
    offset = 0;
    q.value = '';
    q.placeholder = kinds[k].ph;
    onField.hidden = k !== 'officers';
    certNotices.hidden = k !== 'officers' || !certNoticeList.children.length;
    for (const t of tabs) {
      const on = t.dataset.kind === k;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      if (on) {
        panel.setAttribute('aria-labelledby', t.id);
        if (focus) t.focus();
      }
    }
    document.querySelectorAll('details.create').forEach(function (d) { d.hidden = !mayWrite || d.dataset.kind !== k; });
    if (location.hash.slice(1) !== k) history.replaceState(null, '', '#' + k);
    if (k === 'matters') fillBodies();
    return load();
  }

  tabs.forEach(function (t, i) {
    t.addEventListener('click', function () { select(t.dataset.kind); });
    t.addEventListener('keydown', function (ev) {
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
      if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      if (ev.key === 'Home') j = 0;
      if (ev.key === 'End') j = tabs.length - 1;
      if (j !== null) { ev.preventDefault(); select(tabs[j].dataset.kind, true); }
    });
  });
  document.getElementById('search-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    offset = 0;
    load();
  });
  prev.addEventListener('click', function () { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', function () { offset += PAGE; load(); });

  async function fillBodies() {
    const sel = document.getElementById('m-bodies');
    const r = await Z.api('GET', '/api/v1/bodies?limit=200');
    sel.textContent = '';
    for (const b of r.ok ? Z.list(r.data) : []) {
      if (ctx.current && b.tenant_id && b.tenant_id !== ctx.current.id) continue;
      sel.append(Z.el('option', { value: b.id, text: b.name + ' ' + b.code }));
    }
  }

  function bindCreate(form, path, build, done) {
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      Z.clearFormErrors(form);
      const btn = form.querySelector('button[type="submit"]');
      btn.disabled = true;
      const r = await Z.api('POST', path, { json: build(form) });
      btn.disabled = false;
      if (!r.ok) { Z.showFormErrors(form, r); return; }
      form.reset();
      Z.showOK(form, done(r.data));
      offset = 0;
      await load();
    });
  }
  bindCreate(document.getElementById('body-form'), '/api/v1/bodies', function (f) {
    return { name: f.elements.name.value.trim(), code: f.elements.code.value.trim(), kind: f.elements.kind.value, sector: f.elements.sector.value };
  }, function (b) { return '已创建执法主体：' + b.name + ' / body created'; });
  bindCreate(document.getElementById('matter-form'), '/api/v1/matters', function (f) {
    return {
      code: f.elements.code.value.trim(), name: f.elements.name.value.trim(), kind: f.elements.kind.value, sector: f.elements.sector.value,
      article_ids: [], body_ids: [...f.elements.body_ids.selectedOptions].map(function (o) { return o.value; })
    };
  }, function (m) { return '已创建执法事项：' + m.code + ' ' + m.name + ' / matter created'; });

  // The day's certificate notices of the bodies this administrator manages: a count on the
  // officers tab, the officers named on its panel.
  const certNotices = document.getElementById('cert-notices');
  const certNoticeList = document.getElementById('cert-notices-list');
  async function loadNotices() {
    if (!mayWrite) return;
    const r = await Z.api('GET', '/api/v1/certificate-notices');
    if (!r.ok) return;
    let count = 0;
    for (const n of r.data.notices || []) {
      count += n.officers.length;
      certNoticeList.append(Z.el('li', { 'data-body': n.body_id },
        Z.el('strong', { text: bodyNames.get(n.body_id) || n.body_id }), '：',
        Z.bi(n.expired + ' 人执法证已过期（仍登记为有效），' + n.expiring + ' 人将在 ' + n.warn_days + ' 日内到期',
          n.expired + ' expired (still recorded as valid), ' + n.expiring + ' expiring within ' + n.warn_days + ' days'),
        Z.el('ul', {}, n.officers.map(function (o) {
          const expired = o.state === 'expired';
          return Z.el('li', { 'data-officer': o.officer_id }, o.name + ' ', mono(o.cert_number), ' ',
            Z.bi(expired ? '已于 ' + o.expires_on + ' 到期' : o.expires_on + ' 到期（' + daysText(o) + '）',
              expired ? 'expired on ' + o.expires_on : 'expires on ' + o.expires_on));
        }))));
    }
    document.getElementById('cert-notices-on').textContent = r.data.on;
    const badge = document.getElementById('notice-count');
    badge.hidden = count === 0;
    badge.textContent = String(count);
    badge.setAttribute('aria-label', count + ' 份证件需处理 / certificates need attention');
  }

  table.classList.add('table-stack');
  await loadNames('/api/v1/bodies', bodyNames, function (b) { return b.name; });
  await loadNotices();
  await select(location.hash.slice(1) || 'bodies');
});
