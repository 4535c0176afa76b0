// The document templates page: the types, the versions a body (or the tenant) sees with the one
// in effect, copying a version into a draft, editing it with the field reference, previewing it
// with a real case, publishing it, and the version history.
'use strict';

Z.ready(async function (ctx) {
  const status = document.getElementById('page-status');
  const typeList = document.getElementById('type-list');
  const owner = document.getElementById('owner');
  const policy = document.getElementById('policy');
  const versions = document.querySelector('#versions tbody');
  const copyEffective = document.getElementById('copy-effective');
  const editorCard = document.getElementById('editor-card');
  const form = document.getElementById('editor');
  const title = document.getElementById('tpl-title');
  const source = document.getElementById('tpl-source');
  const sealFile = document.getElementById('tpl-seal');
  const sealClear = document.getElementById('tpl-seal-clear');
  const sealState = document.getElementById('seal-state');
  const previewCase = document.getElementById('preview-case');
  const missing = document.getElementById('missing');
  const viewCard = document.getElementById('view-card');
  const previewCard = document.getElementById('preview-card');
  const preview = document.getElementById('preview');

  const typesR = await Z.api('GET', '/api/v1/document-types');
  if (!typesR.ok) { status.textContent = Z.errorText(typesR); return; }
  const types = typesR.data.types || [];
  document.getElementById('classes').textContent = (typesR.data.classes || []).join(' ');
  const fnList = document.getElementById('functions');
  for (const f of typesR.data.functions || []) {
    fnList.append(Z.el('li', {}, Z.el('code', { text: f.example }), ' ', Z.bi(f.doc.zh, f.doc.en)));
  }

  const here = ctx.current ? ctx.current.id : '';
  const operator = Z.administers('');
  const mine = ctx.administers || { all_bodies: false, bodies: [] };
  const bodiesR = await Z.api('GET', '/api/v1/bodies?limit=200');
  const bodies = bodiesR.ok ? (bodiesR.data.bodies || []) : [];
  const bodyName = new Map(bodies.map(function (b) { return [b.id, b.name]; }));

  if (operator) owner.append(Z.el('option', { value: '', text: '本级租户（下级和各执法主体继承）tenant level' }));
  for (const b of bodies) {
    if (!mine.all_bodies && (mine.bodies || []).length && !Z.administers(b.id)) continue;
    owner.append(Z.el('option', { value: b.id, text: b.name }));
  }
  if (!owner.options.length) owner.append(Z.el('option', { value: '', text: '本级租户 tenant level' }));

  const state = { type: null, list: null, draft: null, info: null };
  const params = new URLSearchParams(location.search);

  function mayEdit(bodyID) {
    return Z.can('templates.write') && Z.administers(bodyID);
  }

  function levelText(t) {
    if (t.level === 'platform') return '平台标准版 platform';
    if (t.level === 'body') return '执法主体 ' + (bodyName.get(t.body_id) || t.body_id);
    if (t.tenant_id === here) return '本级租户 this tenant';
    return '上级 ' + Z.tenantName(t.tenant_id);
  }

  function versionText(t) {
    if (t.status === 'draft') return Z.el('span', { class: 'badge badge-draft', text: '草稿 draft' });
    return 'v' + t.version;
  }

  async function selectType(typ) {
    state.type = typ;
    for (const b of typeList.querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.type === typ ? 'true' : 'false');
    const ti = types.find(function (x) { return x.type === typ; });
    document.getElementById('type-name').textContent = ti ? ti.name.zh + ' ' + ti.name.en : typ;
    const infoR = await Z.api('GET', '/api/v1/document-types/' + encodeURIComponent(typ));
    if (infoR.ok) {
      state.info = infoR.data;
      const req = document.getElementById('required');
      req.replaceChildren(...(infoR.data.required || []).map(function (r) {
        return Z.el('li', {}, Z.el('code', { text: r.ref }), ' ', Z.bi(r.title.zh, r.title.en), r.basis ? Z.el('span', { class: 'muted', text: '（' + r.basis + '）' }) : null);
      }));
      const fields = document.querySelector('#fields tbody');
      fields.replaceChildren(...(infoR.data.fields || []).map(function (f) {
        return Z.el('tr', {}, Z.el('td', {}, Z.el('code', { text: '.' + f.path })), Z.el('td', { text: f.kind }), Z.el('td', {}, Z.bi(f.title.zh, f.title.en)));
      }));
    }
    closeEditor();
    await loadVersions();
  }

  async function loadVersions() {
    const bodyID = owner.value;
    const q = '?type=' + encodeURIComponent(state.type) + (bodyID ? '&body_id=' + encodeURIComponent(bodyID) : '');
    const r = await Z.api('GET', '/api/v1/document-templates' + q);
    versions.replaceChildren();
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    status.textContent = '';
    state.list = r.data;
    const allowed = bodyID ? r.data.departments_may_customise : r.data.tenant_may_customise;
    policy.textContent = allowed
      ? '上级设置允许在此自定义。/ The tenant tree allows customising here.'
      : '上级设置不允许在此自定义（文书模板设置已被锁定）。/ The tenant tree does not allow customising here.';
    const editable = mayEdit(bodyID) && allowed;
    copyEffective.hidden = !editable || r.data.templates.some(function (t) { return t.status === 'draft' && (t.body_id || '') === bodyID && t.tenant_id === here; });
    for (const t of r.data.templates) {
      const actions = Z.el('div', { class: 'actions' },
        Z.el('button', { type: 'button', class: 'button-secondary', onclick: function () { view(t.id); } }, '查看 View'));
      if (t.status === 'draft') {
        actions.append(Z.el('button', { type: 'button', class: 'button', onclick: function () { openDraft(t.id); } }, '编辑 Edit'));
      } else if (editable && !copyEffective.hidden) {
        actions.append(Z.el('button', { type: 'button', class: 'button-secondary', onclick: function () { copy(t.id); } }, '复制为草稿 Copy'));
      }
      versions.append(Z.el('tr', { 'data-id': t.id },
        Z.el('td', { 'data-label': '版本' }, versionText(t), t.effective ? Z.el('span', { class: 'badge badge-effective', text: '生效中 in effect' }) : null),
        Z.el('td', { 'data-label': '层级', text: levelText(t) }),
        Z.el('td', { 'data-label': '名称', text: t.title }),
        Z.el('td', { 'data-label': '时间', text: Z.fmtTime(t.published_at || t.updated_at) }),
        Z.el('td', { 'data-label': '操作' }, actions)));
    }
    const draft = r.data.templates.find(function (t) { return t.status === 'draft'; });
    if (draft && params.get('draft') === draft.id) openDraft(draft.id);
  }

  async function view(id) {
    const r = await Z.api('GET', '/api/v1/document-templates/' + encodeURIComponent(id));
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    viewCard.hidden = false;
    document.getElementById('view-name').textContent = r.data.title + (r.data.version ? ' v' + r.data.version : '');
    document.getElementById('view-source').textContent = r.data.source;
    viewCard.scrollIntoView({ block: 'nearest' });
  }

  async function copy(from) {
    const r = await Z.api('POST', '/api/v1/document-templates', { json: { type: state.type, body_id: owner.value || undefined, from: from || undefined } });
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    await loadVersions();
    openDraft(r.data.id);
  }

  function closeEditor() {
    editorCard.hidden = true;
    viewCard.hidden = true;
    previewCard.hidden = true;
    state.draft = null;
  }

  async function openDraft(id) {
    const r = await Z.api('GET', '/api/v1/document-templates/' + encodeURIComponent(id));
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    state.draft = r.data;
    Z.clearFormErrors(form);
    title.value = r.data.title;
    source.value = r.data.source;
    sealFile.value = '';
    sealClear.checked = false;
    sealState.textContent = r.data.has_seal ? '已上传印章图片。/ An uploaded seal is set.' : '未上传：按执法主体名称生成圆形印章。/ None uploaded: a round seal is generated from the body\'s name.';
    missing.hidden = true;
    editorCard.hidden = false;
    await loadCases(r.data.body_id);
    editorCard.scrollIntoView({ block: 'start' });
  }

  async function loadCases(bodyID) {
    previewCase.replaceChildren(Z.el('option', { value: '', text: '示例数据 sample data' }));
    const r = await Z.api('GET', '/api/v1/cases?limit=100' + (bodyID ? '&body_id=' + encodeURIComponent(bodyID) : ''));
    if (!r.ok) return;
    for (const c of r.data.cases || []) {
      previewCase.append(Z.el('option', { value: c.id, text: c.code + ' ' + c.title + ' · ' + c.party_name }));
    }
  }

  function readSeal() {
    return new Promise(function (resolve, reject) {
      if (sealClear.checked) { resolve(''); return; }
      const f = sealFile.files && sealFile.files[0];
      if (!f) { resolve(undefined); return; }
      const rd = new FileReader();
      rd.onload = function () { resolve(String(rd.result).replace(/^data:[^,]*,/, '')); };
      rd.onerror = function () { reject(rd.error); };
      rd.readAsDataURL(f);
    });
  }

  function showMissing(r) {
    const fields = (r.data && r.data.fields) || (r.data && r.data.missing) || [];
    missing.replaceChildren(...fields.map(function (f) {
      return Z.el('li', {}, Z.el('code', { text: f.field }), ' ', Z.msg(f.message));
    }));
    missing.hidden = fields.length === 0;
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    Z.clearFormErrors(form);
    const body = { title: title.value, source: source.value };
    const seal = await readSeal();
    if (seal !== undefined) body.seal_png = seal;
    const r = await Z.api('PUT', '/api/v1/document-templates/' + encodeURIComponent(state.draft.id), { json: body });
    showMissing(r.ok ? { data: {} } : r);
    if (!r.ok) { Z.showFormErrors(form, r); return; }
    state.draft = r.data;
    sealFile.value = '';
    Z.showOK(form, '已保存。/ Saved.');
    await loadVersions();
  });

  async function previewRequest(format) {
    const body = { source: source.value, case_id: previewCase.value || undefined, format: format };
    const headers = { Accept: format === 'pdf' ? 'application/pdf' : 'application/json', 'Content-Type': 'application/json' };
    const tenant = Z.tenantID();
    if (tenant) headers['X-Zhifa-Tenant'] = tenant;
    return fetch('/api/v1/document-templates/' + encodeURIComponent(state.draft.id) + '/preview',
      { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
  }

  async function failed(res) {
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    const r = { ok: false, status: res.status, data };
    Z.showFormErrors(form, r);
    showMissing(r);
  }

  document.getElementById('preview-html').addEventListener('click', async function () {
    Z.clearFormErrors(form);
    const res = await previewRequest('html');
    if (!res.ok) { await failed(res); return; }
    const data = await res.json();
    const doc = new DOMParser().parseFromString(data.html, 'text/html');
    const art = doc.querySelector('article.zdoc');
    preview.replaceChildren();
    if (art) preview.append(document.importNode(art, true));
    previewCard.hidden = false;
    showMissing({ data: { missing: data.missing || [] } });
    previewCard.scrollIntoView({ block: 'start' });
  });

  document.getElementById('preview-pdf').addEventListener('click', async function () {
    Z.clearFormErrors(form);
    const res = await previewRequest('pdf');
    if (!res.ok) { await failed(res); return; }
    const url = URL.createObjectURL(await res.blob());
    const a = Z.el('a', { href: url, target: '_blank', rel: 'noopener' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  });

  document.getElementById('publish').addEventListener('click', async function () {
    Z.clearFormErrors(form);
    if (!confirm('发布后，新签发的文书将使用此版本；已签发的文书不受影响。确定发布？\nNew documents will use this version; issued ones keep theirs. Publish?')) return;
    const r = await Z.api('POST', '/api/v1/document-templates/' + encodeURIComponent(state.draft.id) + '/publish');
    if (!r.ok) { Z.showFormErrors(form, r); showMissing(r); return; }
    closeEditor();
    await loadVersions();
    status.textContent = '已发布 v' + r.data.version + '。/ Published as version ' + r.data.version + '.';
  });

  document.getElementById('discard').addEventListener('click', async function () {
    if (!confirm('放弃这份草稿？/ Discard this draft?')) return;
    const r = await Z.api('DELETE', '/api/v1/document-templates/' + encodeURIComponent(state.draft.id));
    if (!r.ok) { Z.showFormErrors(form, r); return; }
    closeEditor();
    await loadVersions();
  });

  copyEffective.addEventListener('click', function () { copy(''); });
  owner.addEventListener('change', function () { closeEditor(); loadVersions(); });

  for (const t of types) {
    typeList.append(Z.el('li', {}, Z.el('button', { type: 'button', 'data-type': t.type, onclick: function () { selectType(t.type); } },
      t.name.zh, t.series ? Z.el('span', { class: 'series', text: ' 〔' + t.series + '〕' }) : null)));
  }
  const first = params.get('type') || 'penalty_decision';
  if (params.get('body_id')) owner.value = params.get('body_id');
  await selectType(types.some(function (t) { return t.type === first; }) ? first : types[0].type);
});
