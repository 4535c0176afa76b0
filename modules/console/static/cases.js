// My cases: the list with its filters (state, kind, mine, overdue, search by code or party), each
// case with its state, next deadline and an overdue badge; and the form that opens a new case.
'use strict';

Z.ready(async function (ctx) {
  const list = document.getElementById('case-list');
  const status = document.getElementById('list-status');
  const filters = document.getElementById('case-filters');
  const f = {
    q: document.getElementById('f-q'), state: document.getElementById('f-state'), kind: document.getElementById('f-kind'),
    mine: document.getElementById('f-mine'), overdue: document.getElementById('f-overdue')
  };
  const pager = document.getElementById('pager');
  const limit = 20;
  let offset = 0;
  const today = ZC.today();

  for (const [k, v] of Object.entries(ZC.states)) f.state.append(Z.el('option', { value: k, text: v[0] + ' ' + v[1] }));
  for (const [k, v] of Object.entries(ZC.kinds)) f.kind.append(Z.el('option', { value: k, text: v[0] }));

  // Officers see their own cases first; heads and reviewers, who are on no team, see the body's.
  const officer = Z.holds('officer');
  const params = new URLSearchParams(location.search);
  f.q.value = params.get('q') || '';
  f.state.value = params.get('state') || '';
  f.kind.value = params.get('kind') || '';
  f.mine.checked = params.has('mine') ? params.get('mine') === '1' : officer;
  f.overdue.checked = params.get('overdue') === '1';
  // Cases with a deadline waiting for a year's holiday notice: from the banner's link, or offered
  // while a notice is missing.
  f.wait = document.getElementById('f-wait');
  const waitBox = document.getElementById('f-wait-box');
  const cal = await Z.calendar;
  const waitYear = Number(params.get('calendar_wait')) || (cal && cal.missing.length ? cal.missing[cal.missing.length - 1].year : 0);
  if (waitYear) {
    f.wait.value = String(waitYear);
    f.wait.checked = params.get('calendar_wait') === String(waitYear);
    document.getElementById('f-wait-year').textContent = String(waitYear);
    waitBox.hidden = false;
  }

  function query() {
    const q = new URLSearchParams();
    if (f.q.value.trim()) q.set('q', f.q.value.trim());
    if (f.state.value) q.set('state', f.state.value);
    if (f.kind.value) q.set('kind', f.kind.value);
    if (f.mine.checked) q.set('officer', 'me');
    if (f.overdue.checked) q.set('overdue', 'true');
    if (f.wait.checked) q.set('calendar_wait', f.wait.value);
    return q;
  }

  function dueText(c) {
    if (!c.next_due_on) return null;
    const days = Math.round((Date.parse(c.next_due_on) - Date.parse(today)) / 86400000);
    const left = days < 0 ? '已逾期 ' + (-days) + ' 天' : days === 0 ? '今日届满' : '还剩 ' + days + ' 天';
    return Z.el('span', { class: 'case-due' + (c.overdue ? ' is-overdue' : ''), 'data-due': c.next_due_on },
      '下一期限 ', Z.el('strong', { text: ZC.showDue(c.next_due_on) }), ' · ' + left);
  }

  function row(c) {
    const st = ZC.states[c.state] || [];
    const li = Z.el('li', { class: 'case-row' + (c.overdue ? ' is-overdue' : '') + (st[2] === 'end' || st[2] === 'done' ? ' is-closed' : ''),
      'data-id': c.id, 'data-code': c.code, 'data-state': c.state });
    const top = Z.el('span', { class: 'case-top' }, ZC.stateBadge(c.state), ZC.kindBadge(c.kind));
    if (c.overdue) top.append(Z.el('span', { class: 'badge badge-overdue', text: '已逾期 overdue' }));
    if (c.late_backfill) top.append(Z.el('span', { class: 'badge badge-late', text: '逾期补录 late backfill' }));
    if (c.calendar_wait) top.append(Z.el('span', { class: 'badge badge-warn', 'data-calendar-wait': c.calendar_wait, text: '期限待 ' + c.calendar_wait + ' 年节假日安排 waits for the ' + c.calendar_wait + ' notice' }));
    const meta = Z.el('span', { class: 'case-meta' }, Z.el('span', {}, '当事人 ', Z.el('strong', { text: c.party_name })));
    const due = dueText(c);
    if (due) meta.append(due);
    meta.append(Z.el('span', { text: '更新 ' + Z.fmtTime(c.updated_at) }));
    li.append(Z.el('a', { class: 'case-link', href: '/console/cases/' + encodeURIComponent(c.id) }, top,
      Z.el('span', { class: 'case-title', text: c.title }), Z.el('span', { class: 'case-code', text: c.code }), meta));
    return li;
  }

  async function load() {
    const q = query();
    q.set('limit', String(limit));
    q.set('offset', String(offset));
    const shown = new URLSearchParams();
    for (const k of ['q', 'state', 'kind']) if (q.get(k)) shown.set(k, q.get(k));
    shown.set('mine', f.mine.checked ? '1' : '0');
    if (f.overdue.checked) shown.set('overdue', '1');
    if (f.wait.checked) shown.set('calendar_wait', f.wait.value);
    history.replaceState(null, '', '/console/cases?' + shown.toString() + location.hash);
    status.textContent = '正在加载… loading';
    const r = await Z.api('GET', '/api/v1/cases?' + q.toString());
    list.textContent = '';
    if (!r.ok) {
      status.textContent = '无法加载案件：' + Z.errorText(r);
      pager.hidden = true;
      return;
    }
    const cs = r.data.cases || [];
    status.textContent = '共 ' + r.data.total + ' 件' + (r.data.total > cs.length ? '，第 ' + (offset + 1) + '–' + (offset + cs.length) + ' 件' : '') +
      ' / ' + r.data.total + ' cases';
    status.dataset.total = String(r.data.total);
    if (!cs.length) {
      list.append(Z.el('li', { class: 'empty-note' }, f.mine.checked ? '没有您承办的案件。可取消“我承办的”查看本主体全部案件。' : '没有符合条件的案件。',
        Z.el('br'), Z.el('span', { lang: 'en', text: f.mine.checked ? 'No cases on your team: untick “mine” to see all the body’s cases.' : 'No cases match.' })));
    }
    for (const c of cs) list.append(row(c));
    pager.hidden = r.data.total <= limit;
    document.getElementById('prev-page').disabled = offset === 0;
    document.getElementById('next-page').disabled = offset + limit >= r.data.total;
    document.body.dataset.listed = String(Date.now());
  }

  filters.addEventListener('submit', function (ev) { ev.preventDefault(); offset = 0; load(); });
  filters.addEventListener('reset', function () {
    setTimeout(function () { f.mine.checked = officer; offset = 0; load(); }, 0);
  });
  for (const el of [f.state, f.kind, f.mine, f.overdue, f.wait]) el.addEventListener('change', function () { offset = 0; load(); });
  document.getElementById('prev-page').addEventListener('click', function () { offset = Math.max(0, offset - limit); load(); });
  document.getElementById('next-page').addEventListener('click', function () { offset += limit; load(); });

  await load();
  await newCaseForm(ctx);
});

// newCaseForm sets up the form that opens a case.
async function newCaseForm(ctx) {
  const details = document.getElementById('new-case');
  const form = document.getElementById('case-form');
  const $ = function (id) { return document.getElementById(id); };
  if (!Z.can('cases.write')) {
    details.hidden = true;
    document.getElementById('new-case-link').hidden = true;
    return;
  }
  document.getElementById('new-case-link').addEventListener('click', function () { details.open = true; });
  if (location.hash === '#new-case') details.open = true;

  const fill = function (sel, table, first) {
    for (const [k, v] of Object.entries(table)) sel.append(Z.el('option', { value: k, text: v[0] + ' ' + v[1], selected: k === first }));
  };
  fill($('n-kind'), ZC.kinds, 'penalty_general');
  fill($('n-lead-source'), ZC.leadSources, 'complaint');
  fill($('n-insp-basis'), ZC.inspectionBasis, 'random');
  fill($('n-m-type'), ZC.measureTypes, 'seize');
  $('n-lead-date').value = ZC.today();

  // Bodies: those the API says the user may open cases for.
  const br = await Z.api('GET', '/api/v1/bodies?limit=200');
  const bodies = (br.ok ? br.data.bodies : []).filter(function (b) { return b.active !== false && Z.can('cases.write', b.id); });
  for (const b of bodies) $('n-body').append(Z.el('option', { value: b.id, text: b.name, 'data-sector': b.sector }));
  if (!bodies.length) $('n-body').append(Z.el('option', { value: '', text: '（本租户没有执法主体 no body）' }));

  async function bodyChanged() {
    const body = bodies.find(function (b) { return b.id === $('n-body').value; });
    const matter = $('n-matter');
    matter.length = 1;
    const picks = $('n-officers');
    picks.textContent = '';
    if (!body) return;
    const mr = await Z.api('GET', '/api/v1/matters?limit=200&sector=' + encodeURIComponent(body.sector));
    for (const m of (mr.ok ? mr.data.matters : [])) matter.append(Z.el('option', { value: m.id, text: m.code + ' ' + m.name }));
    const today = ZC.today();
    const officers = await ZC.officersOf(body.id);
    for (const o of officers) {
      const valid = ZC.certValid(o, today);
      const c = o.certificate || {};
      picks.append(Z.el('li', {}, Z.el('label', {},
        Z.el('input', { type: 'checkbox', name: 'officer_ids', value: o.id, checked: o.identity_id === ctx.me.identity_id }),
        Z.el('span', { class: 'name', text: o.name }),
        Z.el('span', { class: 'cert' + (valid ? '' : ' invalid'), text: '执法证 ' + (c.number || '—') + (valid ? '（有效至 ' + c.expires_on + '）' : '（今日无效 not valid today）') }))));
    }
    if (!officers.length) picks.append(Z.el('li', { class: 'muted', text: '该主体没有登记执法人员 / no officers registered' }));
  }
  $('n-body').addEventListener('change', bodyChanged);
  await bodyChanged();

  function kindChanged() {
    const k = $('n-kind').value;
    form.querySelectorAll('.kind-part').forEach(function (fs) { fs.hidden = !fs.dataset.kinds.split(' ').includes(k); });
  }
  $('n-kind').addEventListener('change', kindChanged);
  kindChanged();

  function partyChanged() {
    const person = $('n-party-person').checked;
    $('n-uscc-field').hidden = person;
    $('n-idnum-field').hidden = !person;
  }
  $('n-party-person').addEventListener('change', partyChanged);
  $('n-party-org').addEventListener('change', partyChanged);
  partyChanged();

  function body() {
    const v = function (id) { return $(id).value.trim(); };
    const kind = v('n-kind');
    const person = $('n-party-person').checked;
    const party = { kind: person ? 'person' : 'organisation', name: v('n-party-name') };
    if (person && v('n-party-idnum')) party.id_number = v('n-party-idnum');
    if (!person && v('n-party-uscc')) party.uscc = v('n-party-uscc');
    if (v('n-party-phone')) party.phone = v('n-party-phone');
    if (v('n-party-address')) party.address = v('n-party-address');
    if ($('n-consent').checked) party.e_delivery_consent = true;
    const out = { kind, body_id: v('n-body'), title: v('n-title'), party,
      officer_ids: [...form.querySelectorAll('input[name="officer_ids"]:checked')].map(function (i) { return i.value; }) };
    if (v('n-matter')) out.matter_id = v('n-matter');
    const bad = [];
    const money = function (id, field) {
      const fen = ZC.toFen($(id).value);
      if (Number.isNaN(fen)) bad.push({ field, message: { zh: '金额格式有误（元，最多两位小数）', en: 'an amount in yuan, at most two decimals' } });
      return fen;
    };
    if (kind === 'penalty_general') {
      out.lead = { source: v('n-lead-source'), received_on: v('n-lead-date'), summary: v('n-lead-summary') };
      if (v('n-act-ended')) out.act_ended_on = v('n-act-ended');
    } else if (kind === 'inspection') {
      out.inspection = { basis: v('n-insp-basis'), checklist: v('n-insp-checklist').split('\n').map(function (s) { return s.trim(); }).filter(Boolean) };
      if ($('n-insp-remote').checked) out.inspection.remote = true;
    } else if (kind === 'coercion') {
      out.measure = { type: v('n-m-type'), items: v('n-m-items'), reason: v('n-m-reason') };
      const fen = money('n-m-amount', 'measure.amount_fen');
      if (fen) out.measure.amount_fen = fen;
    } else if (kind === 'enforcement') {
      out.enforcement = { decision_ref: v('n-e-ref'), payment_due: v('n-e-due') };
      const fen = money('n-e-principal', 'enforcement.principal_fen');
      out.enforcement.principal_fen = fen || 0;
      if (v('n-e-remedies')) out.enforcement.remedies_end = v('n-e-remedies');
    }
    return { out, bad };
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    ZC.clearRefusal(form);
    const b = body();
    if (b.bad.length) {
      ZC.showRefusal(form, { status: 400, data: { code: 'invalid', message: { zh: '请求内容有误', en: 'invalid request' }, fields: b.bad } });
      return;
    }
    const btn = $('case-submit');
    btn.disabled = true;
    const r = await ZC.submitOnce(form, '/api/v1/cases', { json: b.out });
    btn.disabled = false;
    if (!r.ok) {
      ZC.showRefusal(form, r);
      return;
    }
    location.assign('/console/cases/' + encodeURIComponent(r.data.case.id) + '#opened');
  });
}
