// The settings page: effective values with their source and lock, editing, and the audit list.
'use strict';

Z.ready(async function (ctx) {
  const list = document.getElementById('settings-list');
  const status = document.getElementById('settings-status');
  const auditBody = document.querySelector('#audit-table tbody');
  const auditStatus = document.getElementById('audit-status');
  const here = ctx.current ? ctx.current.id : '';
  let defs = new Map();
  const names = new Map([[ctx.me.identity_id, ctx.me.name]]);

  // Names for the audit list: the demo accounts when the dev login is on; otherwise IDs.
  const accs = await Z.api('GET', '/api/v1/dev/accounts', { noTenant: true, allow401: true });
  if (accs.ok) for (const a of (accs.data.accounts || [])) names.set(a.identity_id, a.name);

  function show(v, kind) {
    if (v === undefined || v === null) return '';
    if (kind === 'bool' || typeof v === 'boolean') return v ? '是 true' : '否 false';
    return String(v);
  }

  function sourceText(src) {
    if (src === 'platform') return '平台默认 platform default';
    if (src.startsWith('body:')) return '执法主体 body ' + src.slice(5);
    return Z.tenantName(src) + (src === here ? '（本级 this tenant）' : '');
  }

  function inputFor(s, id) {
    if (s.kind === 'bool') {
      const sel = Z.el('select', { id, name: 'value' },
        Z.el('option', { value: 'true', text: '是 true', selected: s.value === true }),
        Z.el('option', { value: 'false', text: '否 false', selected: s.value === false }));
      return sel;
    }
    if (s.choices && s.choices.length) {
      return Z.el('select', { id, name: 'value' }, ...s.choices.map(function (c) { return Z.el('option', { value: c, text: c, selected: s.value === c }); }));
    }
    if (s.kind === 'int') {
      return Z.el('input', { id, name: 'value', type: 'number', step: '1', min: s.min, max: s.max, value: s.value, inputmode: 'numeric' });
    }
    return Z.el('input', { id, name: 'value', type: 'text', value: s.value, maxlength: '200' });
  }

  function readValue(s, input) {
    const v = input.value.trim();
    if (s.kind === 'bool') return v === 'true';
    if (s.kind === 'int') return /^-?\d+$/.test(v) ? Number(v) : v; // a non-number is refused by the API with its reason
    return input.value;
  }

  function card(s) {
    const id = 'set-' + s.key.replace(/[^a-z0-9]+/gi, '-');
    const own = s.source === here;
    const art = Z.el('article', { class: 'setting' + (s.locked_by ? ' is-locked' : ''), 'data-key': s.key, 'aria-labelledby': id + '-h' });
    const head = Z.el('div', { class: 'setting-head' },
      Z.el('h3', { id: id + '-h' }, Z.bi(s.title.zh, s.title.en)),
      Z.el('span', { class: 'key', text: s.key }));
    art.append(head);
    if (s.basis) art.append(Z.el('p', { class: 'basis', text: '依据 Basis：' + s.basis }));
    const meta = Z.el('div', { class: 'meta' },
      Z.el('span', {}, '当前值 Value：', Z.el('span', { class: 'value', text: show(s.value, s.kind) })),
      Z.el('span', {}, '来源 Source：', Z.el('span', { class: 'source', text: sourceText(s.source) })),
      Z.el('span', { class: 'muted', text: '默认 default：' + show(s.default, s.kind) +
        (s.min !== undefined && s.max !== undefined ? '（' + s.min + '–' + s.max + '）' : '') }));
    if (s.locked_by) {
      meta.append(Z.el('span', { class: 'badge badge-locked', text: '已被上级锁定 locked by ' + Z.tenantName(s.locked_by) }));
    } else if (s.final && own) {
      meta.append(Z.el('span', { class: 'badge badge-final', text: '下级不得修改 final for tenants below' }));
    }
    if (own) meta.append(Z.el('span', { class: 'badge badge-own', text: '本级设置 set here' }));
    art.append(meta);
    if (s.locked_by) {
      art.append(Z.el('p', { class: 'muted', text: '上级已锁定此项，本级不能修改。/ Locked above: it cannot be changed here.' }));
      return art;
    }
    if (s.root_only && ctx.current && ctx.current.parent_id) {
      art.append(Z.el('p', { class: 'muted', text: '此项仅由根租户设置。/ Set by the root tenant only.' }));
      return art;
    }
    const input = inputFor(s, id + '-v');
    const final = Z.el('input', { type: 'checkbox', id: id + '-f', name: 'final', checked: s.final && own });
    const err = Z.el('p', { class: 'field-error', hidden: true });
    const ok = Z.el('p', { class: 'form-ok', role: 'status', hidden: true });
    const form = Z.el('form', { novalidate: true, 'aria-label': s.title.zh },
      Z.el('div', { class: 'field', 'data-field': 'value' },
        Z.el('label', { for: id + '-v' }, '设置为 ', Z.el('span', { class: 'en', lang: 'en', text: 'New value' })), input),
      Z.el('label', { class: 'check', for: id + '-f' }, final, '下级不得修改 ', Z.el('span', { class: 'en', lang: 'en', text: 'final' })),
      Z.el('div', { class: 'actions' },
        Z.el('button', { type: 'submit', class: 'button' }, '保存 ', Z.el('span', { class: 'en', lang: 'en', text: 'Save' })),
        own ? Z.el('button', { type: 'button', class: 'button-secondary', 'data-action': 'reset' }, '恢复继承 ',
          Z.el('span', { class: 'en', lang: 'en', text: 'Reset to inherited' })) : null),
      err, ok);
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      err.hidden = true; ok.hidden = true; input.removeAttribute('aria-invalid');
      const r = await Z.api('PUT', '/api/v1/settings/' + encodeURIComponent(s.key), { json: { value: readValue(s, input), final: final.checked } });
      if (!r.ok) { fail(r); return; }
      await reload(s.key, '已保存 / saved');
    });
    const reset = form.querySelector('[data-action="reset"]');
    if (reset) {
      reset.addEventListener('click', async function () {
        err.hidden = true; ok.hidden = true;
        const r = await Z.api('DELETE', '/api/v1/settings/' + encodeURIComponent(s.key));
        if (!r.ok) { fail(r); return; }
        await reload(s.key, '已恢复继承值 / reset to the inherited value');
      });
    }
    function fail(r) {
      const fs = (r.data && r.data.fields) || [];
      err.textContent = Z.errorText(r) + fs.map(function (f) { return '：' + Z.msg(f.message); }).join('');
      err.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
    art.append(form);
    return art;
  }

  async function loadSettings() {
    const r = await Z.api('GET', '/api/v1/settings');
    if (!r.ok) { status.textContent = '无法加载设置：' + Z.errorText(r); return false; }
    list.textContent = '';
    defs = new Map();
    for (const s of r.data.settings || []) {
      defs.set(s.key, s);
      list.append(card(s));
    }
    status.textContent = ctx.current ? '租户 ' + Z.tenantName(ctx.current.id) + ' 的生效设置 / effective at this tenant' : '';
    return true;
  }

  function cell(label, ...content) { return Z.el('td', { 'data-label': label }, ...content); }

  function auditValue(v, final, kind) {
    if (v === null || v === undefined) return Z.el('span', { class: 'muted', text: '（无 / none: inherited）' });
    let shown = v;
    try { shown = show(JSON.parse(v), kind); } catch (e) { /* stored text as it is */ }
    const s = Z.el('span', {}, Z.el('span', { class: 'mono', text: shown }));
    if (final) s.append(' ', Z.el('span', { class: 'badge badge-final', text: '下级不得修改 final' }));
    return s;
  }

  async function loadAudit() {
    const r = await Z.api('GET', '/api/v1/settings-audit?limit=50');
    auditBody.textContent = '';
    if (!r.ok) { auditStatus.textContent = '无法加载变更记录：' + Z.errorText(r); return; }
    const rows = r.data.changes || [];
    for (const a of rows) {
      const d = defs.get(a.key);
      const who = names.get(a.actor) || a.actor;
      auditBody.append(Z.el('tr', {},
        cell('时间 When', Z.fmtTime(a.at)),
        cell('操作人 Who', Z.el('span', { title: a.actor, text: who })),
        cell('设置项 Setting', d ? d.title.zh : '', Z.el('br'), Z.el('span', { class: 'mono muted', text: a.key + (a.body_id ? ' @ body ' + a.body_id : '') })),
        cell('原值 Old', auditValue(a.old_value, a.old_final, d && d.kind)),
        cell('新值 New', a.new_value === null || a.new_value === undefined
          ? Z.el('span', { class: 'muted', text: '恢复继承 reset to inherited' }) : auditValue(a.new_value, a.new_final, d && d.kind))));
    }
    if (!rows.length) auditBody.append(Z.el('tr', {}, Z.el('td', { colspan: 5, class: 'empty', text: '暂无变更 / no changes yet' })));
    auditStatus.textContent = '';
  }

  async function reload(key, note) {
    await loadSettings();
    await loadAudit();
    const art = list.querySelector('article[data-key="' + CSS.escape(key) + '"]');
    const ok = art && art.querySelector('.form-ok');
    if (ok) { ok.textContent = note; ok.hidden = false; }
  }

  document.getElementById('audit-table').classList.add('table-stack');
  if (await loadSettings()) await loadAudit();
});
