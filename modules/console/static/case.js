// A case: its head (code, kind, state, party), the running deadlines with the article and how each
// was counted, the next allowed steps with their deadlines and the form of each, the whole-process
// record, the evidence (upload from the phone, SHA-256, download), and the verification of the
// hash chain.
'use strict';

Z.ready(async function (ctx) {
  const caseID = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop());
  const $ = function (id) { return document.getElementById(id); };
  const head = $('case-head');
  const devLogin = head.dataset.devLogin === 'true';
  const api = '/api/v1/cases/' + encodeURIComponent(caseID);
  let detail = null;
  let officers = [];
  let openapi = null;
  let benchmarksP = null;
  const versions = new Map();
  const names = { body: '', matter: '' };
  // Actions kept out of the way under "other steps": they are not on the case's main path.
  const other = ['flag', 'extend', 'exclude_period', 'recuse', 'suspend', 'terminate', 'transfer', 'dismiss', 'not_penalise', 'add_evidence'];

  async function fetchDetail() {
    const r = await Z.api('GET', api);
    if (!r.ok) {
      head.textContent = '';
      head.append(Z.el('p', { class: 'notice-error', role: 'alert', text: '无法加载案件：' + Z.errorText(r) }));
      return false;
    }
    detail = r.data;
    return true;
  }

  if (!(await fetchDetail())) return;
  const settings = new Map();
  const [, bodyR, matterR, settingsR] = await Promise.all([
    ZC.officersOf(detail.body_id).then(function (o) { officers = o; }),
    Z.api('GET', '/api/v1/bodies/' + encodeURIComponent(detail.body_id)),
    detail.matter_id ? Z.api('GET', '/api/v1/matters/' + encodeURIComponent(detail.matter_id)) : Promise.resolve(null),
    Z.api('GET', '/api/v1/settings?body_id=' + encodeURIComponent(detail.body_id))
  ]);
  // The settings in force for the case's body (e.g. cases.court), for the forms' defaults.
  if (settingsR && settingsR.ok) for (const st of settingsR.data.settings || []) settings.set(st.key, st.value);
  if (bodyR && bodyR.ok) names.body = bodyR.data.name;
  if (matterR && matterR.ok) names.matter = matterR.data.code + ' ' + matterR.data.name;
  const matter = matterR && matterR.ok ? matterR.data : null;
  const cached = function (m, key, load) { if (!m.has(key)) m.set(key, load()); return m.get(key); };
  const lawsC = new Map(), articlesC = new Map(), articleC = new Map();
  await ZC.loadNames(ctx, officers, devLogin);

  const env = {
    get detail() { return detail; },
    get officers() { return officers; },
    get openapi() { return openapi; },
    // setting is the value of a setting in force for the case's body, or '' when unset.
    setting: function (key) { const v = settings.get(key); return v === undefined || v === null ? '' : v; },
    benchmarks: function () {
      if (!benchmarksP) {
        const q = detail.matter_id ? '?limit=200&matter_id=' + encodeURIComponent(detail.matter_id) : '?limit=200';
        benchmarksP = Z.api('GET', '/api/v1/benchmarks' + q).then(function (r) { return r.ok ? (r.data.benchmarks || []) : []; });
      }
      return benchmarksP;
    },
    // matter is the case's enforcement matter, with the provisions its decisions cite by default.
    matter: matter,
    // laws, articles and article read the law database for the provisions a penalty cites.
    laws: function () {
      return cached(lawsC, '', function () { return Z.api('GET', '/api/v1/laws?limit=200').then(function (r) { return r.ok ? r.data.laws || [] : []; }); });
    },
    articles: function (lawID) {
      return cached(articlesC, lawID, function () {
        return Z.api('GET', '/api/v1/laws/' + encodeURIComponent(lawID) + '/articles?limit=200').then(function (r) { return r.ok ? r.data.articles || [] : []; });
      });
    },
    article: function (id) {
      return cached(articleC, id, async function () {
        const r = await Z.api('GET', '/api/v1/articles/' + encodeURIComponent(id));
        if (!r.ok) return null;
        const l = await Z.api('GET', '/api/v1/laws/' + encodeURIComponent(r.data.law_id));
        return { number: r.data.number, law: l.ok ? l.data.name : '' };
      });
    },
    // benchmarkVersion is the version of a benchmark in force today.
    benchmarkVersion: async function (id) {
      if (!versions.has(id)) {
        const r = await Z.api('GET', '/api/v1/benchmarks/' + encodeURIComponent(id) + '/versions');
        const t = ZC.today();
        const vs = (r.ok ? r.data.versions || [] : []).filter(function (v) { return v.effective_from <= t; })
          .sort(function (a, b) { return a.effective_from < b.effective_from ? 1 : -1; });
        versions.set(id, vs[0] || null);
      }
      return versions.get(id);
    }
  };

  function render() {
    renderHead();
    renderPath();
    renderAlerts();
    renderActions();
    renderDeadlines();
    renderHistory();
    renderEvidence();
    renderDocuments();
    renderFacts();
    document.body.dataset.caseState = detail.state;
    document.body.dataset.caseVersion = String(detail.version);
    document.title = detail.code + ' ' + detail.title + ' · 案件详情';
  }

  // The head: code, kind, state, party.
  function renderHead() {
    const f = detail.facts || {};
    const p = f.party || {};
    head.textContent = '';
    const top = Z.el('p', { class: 'case-top' }, ZC.stateBadge(detail.state), ZC.kindBadge(detail.kind));
    if ((detail.deadlines || []).some(function (d) { return d.status === 'overdue'; })) top.append(Z.el('span', { class: 'badge badge-overdue', text: '已逾期 overdue' }));
    if (detail.late_backfill) top.append(Z.el('span', { class: 'badge badge-late', text: '逾期补录 late backfill' }));
    if (f.flags && f.flags.major) top.append(Z.el('span', { class: 'badge badge-warn', text: '重大案件 major' }));
    if (f.flags && f.flags.complex) top.append(Z.el('span', { class: 'badge badge-warn', text: '情节复杂 complex' }));
    head.append(top, Z.el('h1', { id: 'case-title', text: detail.title }));
    const dl = Z.el('dl', { class: 'facts' });
    const fact = function (dt, ...dd) { dl.append(Z.el('dt', { text: dt }), Z.el('dd', {}, ...dd)); };
    fact('案件编码 Code', Z.el('span', { class: 'code-big', id: 'case-code', text: detail.code }));
    fact('当事人 Party', Z.el('strong', { id: 'case-party', text: p.name }), ' ',
      Z.el('span', { class: 'muted', text: (p.kind === 'person' ? '个人' : '单位') + (p.uscc ? ' · ' + p.uscc : '') }),
      p.id_number ? partyID(p.id_number) : null);
    fact('执法主体 Body', names.body || detail.body_id);
    const opened = detail.opened || { zh: '开立', en: 'opened' };
    fact(opened.zh + ' ' + cap(opened.en), Z.el('span', { id: 'case-opened', text: f.opened_on || '' }));
    if (f.filed_on) fact('立案 Filed', Z.el('span', { id: 'case-filed', text: f.filed_on }));
    head.append(dl);
  }

  const cap = function (s) { return s.charAt(0).toUpperCase() + s.slice(1); };

  // partyID is the party's identity number as the API gives it (masked), with the button that asks
  // for it in full: the platform logs each reveal, and the page says how many there were.
  function partyID(masked) {
    const box = Z.el('span', { class: 'party-id' }, ' · ', Z.el('span', { class: 'mono', id: 'case-party-id', text: masked }), ' ');
    const btn = Z.el('button', { type: 'button', class: 'button-secondary button-small', id: 'reveal-id' }, '显示完整号码 ', Z.el('span', { class: 'en', lang: 'en', text: 'Reveal' }));
    const note = Z.el('span', { class: 'muted reveal-note', id: 'reveal-note', role: 'status' });
    const n = (detail.reveals || []).length;
    if (n) note.textContent = '（已查看完整号码 ' + n + ' 次 · revealed ' + n + '×）';
    btn.addEventListener('click', async function () {
      btn.disabled = true;
      const r = await Z.api('POST', api + '/reveal');
      if (!r.ok) { note.textContent = '无法显示：' + Z.errorText(r); btn.disabled = false; return; }
      box.querySelector('#case-party-id').textContent = r.data.id_number;
      btn.remove();
      note.textContent = '（已记录查看：' + Z.fmtTime(r.data.reveal.at) + ' · the reveal is logged）';
    });
    box.append(btn, note);
    return box;
  }

  // The path of the kind's main procedure, with the steps done.
  function renderPath() {
    const path = ZC.paths[detail.kind];
    const ol = $('case-path');
    ol.textContent = '';
    if (!path) { ol.hidden = true; return; }
    const seen = new Set((detail.history || []).map(function (e) { return e.to_state; }));
    for (const s of path) {
      const cur = s === detail.state;
      ol.append(Z.el('li', { class: cur ? 'current' : seen.has(s) ? 'done' : '', 'aria-current': cur ? 'step' : false, title: ZC.en(ZC.states, s) }, ZC.name(ZC.states, s)));
    }
    ol.hidden = false;
  }

  function renderAlerts() {
    const box = $('alerts');
    box.textContent = '';
    const ds = detail.deadlines || [];
    for (const d of ds.filter(function (x) { return x.status === 'overdue'; })) {
      box.append(Z.el('p', { class: 'notice-error', role: 'alert', 'data-rule': d.rule_id }, '⚠ 期限已逾期：' + d.title.zh + '（' + d.cite + '，应于 ' + d.due + ' 前）',
        Z.el('br'), Z.el('span', { lang: 'en', text: 'Overdue: ' + d.title.en + ' (due ' + d.due + ')' })));
    }
    for (const d of ds.filter(function (x) { return x.status === 'warning'; })) {
      box.append(Z.el('p', { class: 'notice notice-warn', 'data-rule': d.rule_id }, '期限即将届满：' + d.title.zh + '，' + ZC.showDue(d.due) + '（' + d.cite + '）',
        Z.el('br'), Z.el('span', { lang: 'en', text: 'Due soon: ' + d.title.en + ', ' + d.due })));
    }
    if (location.hash === '#opened' && detail.version === 1) {
      box.append(Z.el('p', { class: 'notice notice-ok', role: 'status' }, '案件已建立，编码 ' + detail.code + '。', Z.el('span', { lang: 'en', text: ' The case is open.' })));
    }
  }

  function daysLeft(d) {
    if (d.status === 'unknown_calendar' || !d.due) return '';
    const n = d.days_left;
    switch (d.status) {
      case 'overdue': return '已逾期 ' + (-n) + ' 天 · ' + (-n) + ' days overdue';
      case 'ended': return '已届满 ended';
      case 'waiting': return '等待期还剩 ' + n + ' 天 · ' + n + ' days to wait';
      case 'open': return '等待期已过 the wait is over';
      case 'met': return '已满足 met';
      case 'paused': return '中止期间暂停 paused';
      case 'info': return '';
      default: return n === 0 ? '今日届满 due today' : '还剩 ' + n + ' 天 · ' + n + ' days left';
    }
  }

  // A deadline: the rule and its article, the last day, and how it was counted.
  function deadlineItem(d) {
    const st = ZC.deadlineStatus[d.status] || [d.status, d.status];
    const c = d.counted || {};
    const li = Z.el('li', { class: 'deadline st-' + d.status, 'data-rule': d.rule_id, 'data-status': d.status });
    li.append(Z.el('div', { class: 'dl-head' },
      Z.el('span', { class: 'dl-title' }, d.title.zh, ' ', Z.el('span', { class: 'en', lang: 'en', text: d.title.en })),
      Z.el('span', { class: 'dl-article', text: d.cite })));
    if (d.due) {
      li.append(Z.el('p', { class: 'dl-due', 'data-due': d.due }, ZC.showDue(d.due), Z.el('span', { class: 'dl-left', text: daysLeft(d) })));
    } else if (d.status === 'unknown_calendar') {
      // No due day until the year's notice is loaded: say so, not an error.
      li.append(Z.el('p', { class: 'dl-due dl-waiting', 'data-calendar-year': d.calendar_year }, '待 ' + d.calendar_year + ' 年节假日安排加载',
        Z.el('span', { class: 'dl-left', lang: 'en', text: 'waiting for the ' + d.calendar_year + ' holiday notice' })));
    }
    const tags = Z.el('p', { class: 'case-top' }, Z.el('span', { class: 'badge ' + (d.status === 'overdue' ? 'badge-overdue' : d.status === 'warning' || d.status === 'unknown_calendar' ? 'badge-warn' : 'badge-tier'), text: st[0] + ' ' + st[1] }),
      Z.el('span', { class: 'badge badge-kind', text: d.party_deadline ? '当事人期限（届满遇休息日顺延）party’s' : '机关期限（不顺延）agency’s' }));
    li.append(tags);
    if (d.from) li.append(Z.el('p', { class: 'dl-how', text: '起算 From：' + d.from + (c.rule && c.rule.from_title && c.rule.from_title.zh ? '（' + c.rule.from_title.zh + '）' : '') }));
    if (c.explanation && c.explanation.zh) {
      li.append(Z.el('p', { class: 'dl-how dl-explain', text: c.explanation.zh }), Z.el('p', { class: 'dl-how en', lang: 'en', text: c.explanation.en }));
    }
    if (d.adjusted && d.status !== 'unknown_calendar') {
      li.append(Z.el('p', { class: 'dl-how dl-adjusted', text: d.adjusted.zh }), Z.el('p', { class: 'dl-how en', lang: 'en', text: d.adjusted.en }));
    }
    const more = Z.el('details', { class: 'dl-more' }, Z.el('summary', {}, '计算明细 ', Z.el('span', { lang: 'en', text: 'How it was counted' })));
    if (c.rule && c.rule.basis) more.append(Z.el('p', { class: 'dl-how', text: c.rule.basis }));
    if ((c.skipped || []).length) {
      const ul = Z.el('ul');
      for (const s of c.skipped) ul.append(Z.el('li', { text: s.date + ' ' + ZC.weekday(s.date) + ' ' + s.reason }));
      more.append(Z.el('p', { class: 'dl-how', text: '跳过 ' + c.skipped.length + ' 天 Days skipped:' }), ul);
    }
    if (c.shifted) more.append(Z.el('p', { class: 'dl-how', text: '原届满日 ' + c.raw_due + ' 为休息日，顺延。 The raw end fell on a rest day: moved on.' }));
    const from = (d.from || '').slice(0, d.from && d.from.length > 10 ? 16 : 10);
    more.append(Z.el('p', { class: 'dl-how' }, Z.el('a', { href: '/console/deadlines#rule=' + encodeURIComponent(d.rule_id) + '&from=' + encodeURIComponent(from) },
      '在期限计算器中打开 open in the calculator')));
    li.append(more);
    return li;
  }

  function renderDeadlines() {
    const ul = $('deadlines');
    ul.textContent = '';
    for (const d of detail.deadlines || []) ul.append(deadlineItem(d));
    if (!(detail.deadlines || []).length) ul.append(Z.el('li', { class: 'muted' }, '当前没有进行中的法定期限。', Z.el('span', { lang: 'en', text: ' No statutory period runs now.' })));
  }

  // The next steps, each with the article it implements, the deadlines that govern it, what
  // refuses it today and who may take it.
  function renderActions() {
    const main = $('next-actions');
    const rest = $('other-actions');
    main.textContent = '';
    rest.textContent = '';
    for (const na of detail.next_actions || []) {
      if (na.action === 'add_evidence') continue;
      // A step a guard refuses today goes with the other steps, except the decision: its refusal
      // (the hearing window, the review) is what the case waits for.
      const secondary = other.includes(na.action) || (na.blocked && na.action !== 'decide');
      (secondary ? rest : main).append(actionItem(na));
    }
    $('more-actions').hidden = !rest.children.length;
    if (!main.children.length) {
      main.append(Z.el('li', { class: 'muted' }, detail.state === 'archived' ? '案件已归档，办理完毕。' : '当前没有可办理的步骤。',
        Z.el('span', { lang: 'en', text: detail.state === 'archived' ? ' The case is archived.' : ' No step can follow now.' })));
    }
  }

  function actionItem(na) {
    const li = Z.el('li', { class: 'next-action' + (na.blocked ? ' is-blocked' : '') + (na.allowed ? '' : ' is-other-role'),
      'data-action': na.action, 'data-allowed': String(na.allowed) });
    const to = na.to ? '→ ' + ZC.name(ZC.states, na.to) + ' ' + ZC.en(ZC.states, na.to) : '（状态不变 state unchanged）';
    const btn = Z.el('button', { type: 'button', class: na.allowed ? 'button na-open' : 'button-secondary na-open', disabled: !na.allowed,
      'aria-expanded': 'false', 'data-action': na.action }, na.allowed ? '办理 ' : '无权限 ', Z.el('span', { class: 'en', lang: 'en', text: na.allowed ? 'Take' : 'Not yours' }));
    li.append(Z.el('div', { class: 'na-head' }, Z.el('span', {},
      Z.el('span', { class: 'na-title' }, na.title.zh, ' ', Z.el('span', { class: 'en', lang: 'en', text: na.title.en })), ' ',
      Z.el('span', { class: 'na-to', text: to })), btn));
    if (na.rule) li.append(Z.el('p', { class: 'na-rule', 'data-rule': na.rule.id }, '依据 ', Z.el('strong', { text: ZC.ruleText(na.rule) }), Z.el('span', { class: 'muted mono', text: ' ' + na.rule.id })));
    for (const d of na.deadlines || []) {
      li.append(Z.el('p', { class: 'na-due', 'data-rule': d.rule_id }, '期限 ', d.title.zh, '：',
        Z.el('span', { class: 'due-date', text: d.due ? ZC.showDue(d.due) : '—' }), ' ', daysLeft(d) ? '· ' + daysLeft(d) + ' ' : '',
        Z.el('span', { class: 'muted', text: d.cite })));
    }
    if (na.blocked) {
      li.append(Z.el('p', { class: 'na-blocked', 'data-rule': na.blocked.rule ? na.blocked.rule.id : '' }, '⚠ 今日不能办理：', na.blocked.message.zh,
        na.blocked.rule ? '（' + ZC.ruleText(na.blocked.rule) + '）' : '', Z.el('br'), Z.el('span', { lang: 'en', class: 'en', text: na.blocked.message.en })));
    }
    if (!na.allowed) {
      const p = ZC.permissions[na.permission] || [na.permission, na.permission];
      li.append(Z.el('p', { class: 'na-who' }, '由 ' + p[0] + ' 办理', Z.el('span', { lang: 'en', text: ' · taken by ' + p[1] })));
    }
    const slot = Z.el('div', { class: 'action-slot' });
    li.append(slot);
    btn.addEventListener('click', function () { toggleForm(na, slot, btn); });
    return li;
  }

  function label(btn, open) {
    btn.textContent = '';
    btn.append(open ? '收起 ' : '办理 ', Z.el('span', { class: 'en', lang: 'en', text: open ? 'Close' : 'Take' }));
    btn.setAttribute('aria-expanded', String(open));
  }

  function closeForms() {
    document.querySelectorAll('.action-slot').forEach(function (s) { s.textContent = ''; });
    document.querySelectorAll('.na-open[aria-expanded="true"]').forEach(function (b) { label(b, false); });
  }

  // loadOpenAPI fetches the API's description once, for the steps that have no form of their own.
  async function loadOpenAPI() {
    if (openapi) return;
    const r = await Z.api('GET', '/api/openapi.json', { noTenant: true });
    if (r.ok) openapi = r.data;
  }

  async function toggleForm(na, slot, btn) {
    if (slot.firstChild) { closeForms(); return; }
    if (btn.dataset.opening) return;
    closeForms();
    btn.dataset.opening = '1';
    try {
      if (!ZC.forms.specs[na.action]) await loadOpenAPI();
    } finally {
      delete btn.dataset.opening;
    }
    const form = ZC.forms.build(na.action, env);
    slot.append(form);
    label(btn, true);
    form.querySelector('.cancel').addEventListener('click', closeForms);
    if (ZC.fieldActions.includes(na.action)) {
      const geo = form.querySelector('.geo-status');
      const show = function (g) {
        const t = ZC.geoText(g);
        geo.querySelector('.geo-text').textContent = t[0] + ' / ' + t[1];
        geo.dataset.geo = g ? (g.location ? 'ok' : g.error) : 'pending';
      };
      show(null);
      ZC.locate().then(function (g) { form.geo = g; if (form.isConnected) show(g); });
    }
    form.addEventListener('submit', function (ev) { ev.preventDefault(); submit(na, form); });
    const first = form.querySelector('input:not([type="checkbox"]), textarea, select');
    if (first) first.focus({ preventScroll: true });
    form.scrollIntoView({ block: 'nearest' });
  }

  async function submit(na, form) {
    ZC.clearRefusal(form);
    const c = form.collect();
    if (c.bad.length) {
      ZC.showRefusal(form, { status: 400, data: { code: 'invalid', message: { zh: '请求内容有误', en: 'invalid request' }, fields: c.bad } });
      return;
    }
    // The position is added when the device has given it by now; the step never waits for it.
    if (form.geo && form.geo.location) c.body.location = form.geo.location;
    const btn = form.querySelector('button[type="submit"]');
    btn.disabled = true;
    const r = await ZC.submitOnce(form, na.path, { json: c.body });
    btn.disabled = false;
    if (!r.ok) {
      ZC.showRefusal(form, r);
      if (r.status === 409) {
        form.querySelector('.refusal').append(Z.el('p', {}, Z.el('button', { type: 'button', class: 'button-secondary', onclick: reload }, '刷新案件 Reload the case')));
      }
      return;
    }
    const ev = r.data.event || {};
    const res = $('action-result');
    res.textContent = '';
    res.className = 'action-result notice notice-ok';
    res.dataset.action = na.action;
    res.dataset.seq = String(ev.seq || '');
    res.append('✓ 已办理：' + na.title.zh + '（第 ' + ev.seq + ' 条记录' + (ev.to_state && ev.to_state !== ev.from_state ? '，案件状态：' + ZC.name(ZC.states, ev.to_state) : '') + '）' +
      (r.data.replayed ? '（重复提交，未重复记录）' : ''), Z.el('br'),
    Z.el('span', { lang: 'en', text: 'Done: ' + na.title.en + ', event #' + ev.seq + (r.data.replayed ? ' (a replay: recorded once)' : '') }));
    res.hidden = false;
    await reload();
    res.scrollIntoView({ block: 'nearest' });
  }

  async function reload() {
    if (await fetchDetail()) render();
  }

  // The record, newest first.
  const derivedLabels = {
    decide_due: '办案期限 time limit', hearing_request_due: '听证申请期限 hearing request due', hearing_required: '法定听证 hearing required',
    delivery_due: '送达期限 delivery due', payment_due: '缴款期限 payment due', decide_by: '处理决定期限 decide by', benchmark: '裁量基准 benchmark',
    officers: '执法人员 officers', ends: '期限届满 term ends', remedies_end: '救济期限 remedies end', backfill_due: '补录期限 backfill due',
    notice_latest: '最迟通知日 latest notice', approve_by: '补批时限 approve by', deliver_by: '交付期限 deliver by', hand_over_by: '上交期限 hand over by',
    opened: '开立案件 opened', parent: '来源案件 from case', court_not_before: '申请法院不早于 court not before',
    limitation_ends: '处罚时效届满 limitation ends', cap_fen: '加处罚款上限 surcharge cap', emergency: '紧急 emergency',
    surcharge_days: '逾期天数 days late', surcharge_fen: '加处罚款 surcharge',
    documents: '签发文书 documents issued', decision_number: '决定书文号 decision number', document_id: '文书 document',
    document_number: '文号 number', channel: '送达渠道 channel', at: '到达时间 arrived at', served: '送达 served',
    already_served_on: '此前已送达 served before on', notice_served_on: '告知书送达 notice served on'
  };
  function derivedText(k, v) {
    if (k === 'officers' && Array.isArray(v)) return v.map(function (id) { const o = officers.find(function (x) { return x.id === id; }); return o ? o.name : id.slice(0, 8); }).join('、');
    if (k === 'documents' && Array.isArray(v)) return v.map(function (d) { return (d.number || d.type) + ' SM3 ' + String(d.pdf_sm3 || '').slice(0, 12) + '…'; }).join('、');
    if (k === 'at' && typeof v === 'string') return Z.fmtTime(v);
    if (k === 'benchmark' && v && typeof v === 'object') return v.circumstance + ' v' + v.version + '（' + ZC.yuan(v.min_fine_fen) + '–' + ZC.yuan(v.max_fine_fen) + '）';
    if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
    if (k.endsWith('_fen') && typeof v === 'number') return ZC.yuan(v);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function renderHistory() {
    const ol = $('history');
    ol.textContent = '';
    const evs = (detail.history || []).slice().sort(function (a, b) { return b.seq - a.seq; });
    for (const e of evs) {
      const t = e.action === 'create' && detail.opened ? [detail.opened.zh, detail.opened.en] : ZC.actions[e.action] || [e.action, e.action];
      const li = Z.el('li', { class: 'event' + (e.late ? ' is-late' : ''), 'data-seq': String(e.seq), 'data-action': e.action });
      const move = e.from_state && e.to_state !== e.from_state ? ZC.name(ZC.states, e.from_state) + ' → ' + ZC.name(ZC.states, e.to_state)
        : e.from_state ? '' : '→ ' + ZC.name(ZC.states, e.to_state);
      li.append(Z.el('div', { class: 'ev-head' }, Z.el('span', { class: 'ev-seq', text: '#' + e.seq }),
        Z.el('span', { class: 'ev-title' }, t[0], ' ', Z.el('span', { class: 'en', lang: 'en', text: t[1] })),
        move ? Z.el('span', { class: 'muted', text: move }) : null, e.late ? Z.el('span', { class: 'badge badge-late', text: '逾期 late' }) : null));
      li.append(Z.el('p', { class: 'ev-meta', text: '日期 ' + e.on + ' · 记录于 ' + Z.fmtTime(e.at) + ' · ' + ZC.who(e.actor) }));
      const content = e.content || {};
      const der = content.derived || {};
      const parts = Object.keys(der).map(function (k) { return (derivedLabels[k] || k) + '：' + derivedText(k, der[k]); });
      if (content.input && content.input.location) parts.push('位置 location：' + content.input.location.lat + ', ' + content.input.location.lng);
      if (parts.length) li.append(Z.el('p', { class: 'ev-derived', text: parts.join('；') }));
      for (const ev of content.evidence || []) li.append(Z.el('p', { class: 'ev-derived', text: '证据 evidence：' + ev.name + ' SHA-256 ' + ev.sha256.slice(0, 16) + '…' }));
      li.append(Z.el('p', { class: 'ev-hash', text: 'hash ' + e.hash + ' · prev ' + e.prev_hash.slice(0, 12) + '…' }));
      li.append(Z.el('details', { class: 'ev-content' }, Z.el('summary', {}, '记录内容 content'),
        Z.el('pre', { class: 'json', text: JSON.stringify(content.input || {}, null, 2) })));
      ol.append(li);
    }
  }

  // Evidence: the upload form (from a phone's camera too) and the list with hashes.
  const evForm = $('evidence-form');
  const evKind = $('ev-kind');
  for (const [k, v] of Object.entries(ZC.evidenceKinds)) evKind.append(Z.el('option', { value: k, text: v[0] + ' ' + v[1] }));
  evKind.value = 'audiovisual';
  $('ev-collected').value = ZC.today();
  $('ev-file').addEventListener('change', function () {
    const f = $('ev-file').files[0];
    if (f && !$('ev-title').value.trim()) $('ev-title').value = f.name.replace(/\.[^.]+$/, '');
    if (f && f.type) evKind.value = f.type.startsWith('image/') || f.type.startsWith('video/') || f.type.startsWith('audio/') ? 'audiovisual' : f.type === 'text/plain' ? 'record' : 'documentary';
  });
  let evGeo = null;
  evForm.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    ZC.clearRefusal(evForm);
    const file = $('ev-file').files[0];
    if (!file) {
      ZC.showRefusal(evForm, { status: 400, data: { message: { zh: '请选择或拍摄文件', en: 'choose or take a file' }, fields: [{ field: 'file', message: { zh: '必填', en: 'required' } }] } });
      return;
    }
    const fd = new FormData();
    fd.append('file', file, file.name);
    fd.append('title', $('ev-title').value.trim() || file.name);
    fd.append('kind', evKind.value);
    if ($('ev-collected').value) fd.append('collected_on', $('ev-collected').value);
    if (evGeo && evGeo.location) {
      fd.append('lat', String(evGeo.location.lat));
      fd.append('lng', String(evGeo.location.lng));
      fd.append('accuracy_m', String(evGeo.location.accuracy_m));
    }
    $('ev-submit').disabled = true;
    const r = await ZC.submitOnce(evForm, api + '/evidence', { formData: fd });
    $('ev-submit').disabled = false;
    if (!r.ok) { ZC.showRefusal(evForm, r); return; }
    const ev2 = (r.data.event.content && r.data.event.content.evidence && r.data.event.content.evidence[0]) || {};
    evForm.reset();
    evKind.value = 'audiovisual';
    $('ev-collected').value = ZC.today();
    Z.showOK(evForm, '已上传 uploaded：' + (ev2.name || file.name) + '，SHA-256 ' + (ev2.sha256 || ''));
    await reload();
  });

  function renderEvidence() {
    const na = (detail.next_actions || []).find(function (x) { return x.action === 'add_evidence'; });
    const can = !!(na && na.allowed);
    evForm.hidden = !can;
    $('evidence-closed').hidden = can || !(detail.next_actions || []).length;
    if (can && !evForm.dataset.located) {
      evForm.dataset.located = '1';
      const g = $('ev-geo');
      g.hidden = false;
      g.textContent = '位置 Location：' + ZC.geoText(null).join(' / ');
      ZC.locate().then(function (res) { evGeo = res; g.textContent = '位置 Location：' + ZC.geoText(res).join(' / '); });
    }
    const ul = $('evidence-list');
    ul.textContent = '';
    for (const e of detail.evidence || []) {
      const status = Z.el('span', { class: 'verify-status', 'aria-live': 'polite' });
      const dl = Z.el('button', { type: 'button', class: 'button-secondary download', 'data-id': e.id }, '下载 ', Z.el('span', { class: 'en', lang: 'en', text: 'Download' }));
      dl.addEventListener('click', function () { download(e, status); });
      ul.append(Z.el('li', { class: 'evidence', 'data-id': e.id, 'data-sha': e.sha256 },
        Z.el('span', { class: 'ev-name', text: e.title }), ' ', Z.el('span', { class: 'badge badge-kind', text: ZC.name(ZC.evidenceKinds, e.kind) }),
        Z.el('p', { class: 'meta', text: e.file_name + ' · ' + size(e.size_bytes) + ' · ' + e.content_type }),
        Z.el('p', { class: 'sha' }, 'SHA-256 ', Z.el('span', { class: 'sha-value', text: e.sha256 })),
        Z.el('p', { class: 'meta', text: '取得 ' + e.collected_on + ' · 上传 ' + Z.fmtTime(e.uploaded_at) + ' ' + ZC.who(e.uploaded_by) + ' · 记录 #' + e.seq }),
        Z.el('div', { class: 'actions' }, dl, status)));
    }
    if (!(detail.evidence || []).length) ul.append(Z.el('li', { class: 'muted' }, '尚无证据文件。', Z.el('span', { lang: 'en', text: ' No evidence files yet.' })));
  }
  function size(n) { return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB'; }

  // download fetches a file with the session and tenant, checks its SHA-256 against the one the
  // record holds (where the browser can hash), and saves it.
  async function download(e, status) {
    status.textContent = '下载中… downloading';
    status.className = 'verify-status';
    let res;
    try {
      const headers = {};
      if (Z.tenantID()) headers['X-Zhifa-Tenant'] = Z.tenantID();
      res = await fetch(api + '/evidence/' + encodeURIComponent(e.id) + '/file', { headers, credentials: 'same-origin', cache: 'no-store' });
    } catch (err) {
      status.textContent = '下载失败 download failed';
      return;
    }
    if (!res.ok) { status.textContent = '下载失败 HTTP ' + res.status; return; }
    const blob = await res.blob();
    if (window.crypto && crypto.subtle) {
      const sum = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      const hex = Array.from(new Uint8Array(sum), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
      const ok = hex === e.sha256;
      status.textContent = ok ? '✓ 文件哈希与记录一致 hash matches the record' : '✗ 文件哈希与记录不符 hash differs from the record';
      status.className = 'verify-status ' + (ok ? 'check-ok' : 'check-bad');
      status.dataset.match = String(ok);
    } else {
      status.textContent = '已下载；记录的 SHA-256 见上 downloaded';
    }
    const url = URL.createObjectURL(blob);
    const a = Z.el('a', { href: url, download: e.file_name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // The documents issued with the case's steps: number, when issued, whether and how served.
  function renderDocuments() {
    const ul = $('document-list');
    ul.textContent = '';
    const refs = new Map(((detail.facts || {}).documents || []).map(function (r) { return [r.id, r]; }));
    for (const d of detail.documents || []) {
      const r = refs.get(d.id) || {};
      const served = r.served_on ? '已送达 served ' + r.served_on + (r.served_by ? '（' + ZC.name(ZC.methods, r.served_by) + '）' : '') : '待送达 not yet served';
      ul.append(Z.el('li', { class: 'document', 'data-id': d.id, 'data-type': d.type, 'data-served': r.served_on || '' },
        Z.el('a', { href: '/console/documents/' + encodeURIComponent(d.id), class: 'doc-title', text: d.title }),
        Z.el('p', { class: 'meta', text: '签发 ' + Z.fmtTime(d.issued_at) + ' · 模板 v' + d.template_version + ' · ' + served }),
        Z.el('p', { class: 'sha' }, 'SM3 ', Z.el('span', { class: 'sha-value', text: d.pdf_sm3 }))));
    }
    if (!(detail.documents || []).length) ul.append(Z.el('li', { class: 'muted' }, '尚无文书。', Z.el('span', { lang: 'en', text: ' No documents yet.' })));
  }

  // Facts recorded on the case.
  function renderFacts() {
    const f = detail.facts || {};
    const dl = $('facts');
    dl.textContent = '';
    const fact = function (dt, ...dd) { if (dd.some(function (x) { return x !== '' && x !== undefined && x !== null; })) dl.append(Z.el('dt', { text: dt }), Z.el('dd', {}, ...dd)); };
    const pen = function (p) {
      if (!p) return '';
      return (p.types || []).map(function (t) { return ZC.name(ZC.penaltyTypes, t); }).join('、') + (p.fine_fen ? ' ' + ZC.yuan(p.fine_fen) : '') +
        (p.confiscation_fen ? ' 没收 ' + ZC.yuan(p.confiscation_fen) : '') + (p.basis ? '（依据 ' + p.basis + '）' : '') +
        (p.violated && p.violated.length ? '；违反 ' + p.violated.map(function (v) { return '《' + v.law + '》' + v.number; }).join('、') : '');
    };
    fact('类型 Kind', ZC.name(ZC.kinds, detail.kind) + ' / ' + ZC.en(ZC.kinds, detail.kind));
    fact('执法事项 Matter', names.matter);
    fact('承办人员 Team', (f.team || []).map(function (id) { const o = officers.find(function (x) { return x.id === id; }); return o ? o.name : id.slice(0, 8); }).join('、'));
    if (f.lead) fact('案源 Lead', ZC.name(ZC.leadSources, f.lead.source) + ' · ' + f.lead.received_on, Z.el('br'), f.lead.summary);
    fact('违法行为日 Act', f.act_ended_on || '');
    fact('立案 Filed', f.filed_on || '');
    if (f.report) fact('调查终结 Report', f.report.on + ' ' + f.report.facts);
    for (const p of f.preservations || []) fact('先行登记保存 Preserved', p.on + ' ' + p.items + (p.decided_on ? '；' + p.decided_on + ' 处理：' + p.outcome : '（待处理 awaiting a decision）'));
    if (f.proposal) {
      const b = f.proposal.benchmark;
      fact('拟处罚 Proposed', pen(f.proposal.penalty), b ? Z.el('br') : '', b ? '裁量基准 v' + b.version + ' “' + b.circumstance + '” ' + ZC.yuan(b.min_fine_fen) + '–' + ZC.yuan(b.max_fine_fen) : '',
        f.proposal.outside_reason ? Z.el('br') : '', f.proposal.outside_reason ? '理由 reason：' + f.proposal.outside_reason : '');
    }
    if (f.notice) {
      const n = f.notice;
      const waiver = function (w) { return w ? '（' + w.on + ' 书面放弃 waived in writing：' + w.title + '）' : ''; };
      fact('告知 Notice', (n.served_on ? '送达 ' + n.served_on : '公告期间 notice period') + ' ' + pen(n.penalty) +
        (n.statement_due ? '；陈述、申辩期限 ' + n.statement_due + '（' + n.statement_days + '个工作日）' + waiver(n.statement_waiver) : '') +
        (n.hearing_right ? '；告知听证权利' + (n.hearing_request_due ? '，申请期限 ' + n.hearing_request_due : '') + (n.hearing_waived ? waiver(n.hearing_waiver) : '') : '；未达听证标准 no hearing right'));
    }
    for (const s of f.statements || []) {
      fact('陈述申辩 Statement', (s.received_on || s.on) + ' 收到 received：' + s.summary, Z.el('br'),
        (s.adopted ? '予以采纳 adopted' : '不予采纳 not adopted') + (s.reason ? '：' + s.reason : ''));
    }
    for (const pn of f.public_notices || []) {
      fact('公告送达 Public notice', ({ penalty_decision: '行政处罚决定书', prior_notice: '行政处罚事先告知书' }[pn.document] || pn.document) + ' ' + pn.published_on + ' ' + pn.place + '；' +
        (pn.served ? pn.served_on + ' 期满视为送达 served' : pn.closed ? '已以其他方式送达 served otherwise' : '公告期间至 ' + pn.served_on + ' notice period until ' + pn.served_on) +
        ((pn.attempts || []).length ? '；此前送达 attempts：' + pn.attempts.map(function (a) { return a.on + ' ' + ZC.name(ZC.methods, a.method) + ' ' + a.result; }).join('；') : '；受送达人下落不明 whereabouts unknown'));
    }
    if (f.hearing) fact('听证 Hearing', '申请 ' + f.hearing.requested_on + (f.hearing.scheduled_on ? '；定于 ' + f.hearing.scheduled_on : '') + (f.hearing.held_on ? '；举行 ' + f.hearing.held_on : ''));
    if (f.review) fact('法制审核 Review', '提交 ' + f.review.submitted_on + (f.review.reviewed_on ? '；' + (f.review.passed ? '通过 passed ' : '退回 returned ') + f.review.reviewed_on + ' ' + (f.review.opinion || '') : ''));
    if (f.discussion) fact('集体讨论 Discussion', f.discussion.on + ' ' + f.discussion.conclusion);
    if (f.decision) fact('处罚决定 Decision', f.decision.number + ' · ' + f.decision.on + ' · ' + pen(f.decision.penalty), Z.el('br'), f.decision.reconsideration || '', Z.el('br'), f.decision.litigation || '',
      f.decision.statement_opinion ? Z.el('br') : '', f.decision.statement_opinion ? '当事人陈述申辩意见及采纳情况：' + f.decision.statement_opinion : '');
    if (f.delivery) fact('送达 Served', f.delivery.served_on + ' ' + ZC.name(ZC.methods, f.delivery.method) + (f.delivery.channel ? '（' + f.delivery.channel + '）' : '') +
      ((f.delivery.witnesses || []).length ? '；见证人 witnesses：' + f.delivery.witnesses.join('、') : '') + ((f.delivery.evidence_ids || []).length ? '；影像 images ' + f.delivery.evidence_ids.length : '') +
      (f.delivery.receipt ? '；' + f.delivery.receipt : '') +
      (f.delivery.at ? ' ' + Z.fmtTime(f.delivery.at) : '') + (f.delivery.late ? '（逾期 late）' : '') + (f.delivery.payment_due ? '；缴款期限 ' + f.delivery.payment_due : ''));
    if (f.payment) fact('缴纳 Paid', f.payment.paid_on + ' ' + ZC.yuan(f.payment.amount_fen) + (f.payment.surcharge_fen ? ' + 加处罚款 ' + ZC.yuan(f.payment.surcharge_fen) : '') +
      (f.payment.online ? '（在线缴纳 online）' : f.payment.on_the_spot ? '（当场收缴 on the spot）' : '（登记 recorded）') + (f.payment.receipt ? ' ' + f.payment.receipt : ''));
    renderMoney(f, fact);
    if (f.not_penalised) fact('不予处罚 Not penalised', f.not_penalised.on + ' ' + f.not_penalised.reason);
    if (f.inspection) fact('检查 Inspection', ZC.name(ZC.inspectionBasis, f.inspection.basis) + (f.inspection.inspected_on ? ' · 检查 ' + f.inspection.inspected_on : '') +
      ((f.inspection.checklist || []).length ? ' · ' + f.inspection.checklist.join('、') : '') + (f.inspection.findings ? '：' + f.inspection.findings : ''));
    if (f.measure) fact('强制措施 Measure', ZC.name(ZC.measureTypes, f.measure.type) + ' ' + f.measure.items + (f.measure.taken_on ? ' · 实施 ' + f.measure.taken_on : '') +
      (f.measure.ends ? ' · 期限至 ' + f.measure.ends : ''));
    if (f.enforcement) fact('强制执行 Enforcement', f.enforcement.decision_ref + ' ' + ZC.yuan(f.enforcement.principal_fen) + ' 履行期限 ' + f.enforcement.payment_due);
    fact('结案 Closed', f.closed_on || '');
    fact('归档 Archived', f.archived_on || '');
    fact('记录 Events', String(detail.last_seq), ' · head ', Z.el('span', { class: 'mono', text: detail.chain_head.slice(0, 16) + '…' }));
  }

  // renderMoney shows what followed the decision: the approved plan (Art. 66 ¶2), the payments
  // received online (simulated ones marked) with their receipts, refunds, the remedies, a revision
  // of the decision and the party's evaluation.
  function renderMoney(f, fact) {
    const plan = f.plan;
    if (plan) {
      const ul = Z.el('ul', { class: 'plain-list', id: 'payment-plan' });
      for (const p of plan.instalments || []) {
        ul.append(Z.el('li', { 'data-seq': String(p.seq), 'data-paid': p.paid_on || '' }, (plan.kind === 'deferral' ? '暂缓至 ' : '第' + p.seq + '期 ') + p.due_on + ' ' + ZC.yuan(p.amount_fen) +
          (p.paid_on ? '（' + p.paid_on + ' 已缴 paid）' : '（未缴 unpaid）')));
      }
      fact(plan.kind === 'deferral' ? '暂缓缴纳 Deferral' : '分期缴纳 Instalments', plan.approved_on + ' 批准（' + ZC.cite('payment_plan') + '）' + (plan.reason ? '：' + plan.reason : ''), ul);
    }
    for (const p of f.payments || []) {
      const li = Z.el('span', { class: 'online-payment', 'data-payment': p.payment_id },
        p.paid_on + ' ' + ZC.yuan(p.principal_fen) + (p.surcharge_fen ? ' + 加处罚款 ' + ZC.yuan(p.surcharge_fen) : '') + (p.instalment ? '（第' + p.instalment + '期）' : '') +
        ' · ' + p.provider + ' ' + p.reference, p.simulated ? Z.el('span', { class: 'badge badge-warn', text: '模拟 simulated' }) : '',
        p.receipt_number ? Z.el('span', { class: 'muted', text: ' · 财政电子票据 receipt ' + p.receipt_number }) : '');
      fact('在线缴款 Paid online', li);
    }
    for (const r of f.refunds || []) fact('退款 Refund', Z.fmtTime(r.at) + ' ' + ZC.yuan(r.amount_fen) + ' · ' + (r.reason === 'revoked' ? '决定撤销 revoked' : r.reason === 'reduced' ? '罚款减少 reduced' : r.reason) + (r.reference ? ' · ' + r.reference : ''));
    const kinds = { reconsideration: '行政复议 reconsideration', litigation: '行政诉讼 litigation' };
    const outcomes = { upheld: '维持 upheld', changed: '变更 changed', revoked: '撤销 revoked', withdrawn: '撤回 withdrawn' };
    for (const r of f.remedies || []) {
      fact(kinds[r.kind] || r.kind, r.from + ' 提出' + (r.by === 'party' ? '（当事人在线申请 online）' : '') + (r.body ? ' · ' + r.body : '') + (r.ref ? ' · ' + r.ref : '') +
        (r.to ? '；' + r.to + ' ' + (outcomes[r.outcome] || r.outcome) : '；未决，加处罚款暂停计算 pending: no surcharge accrues'));
    }
    const v = f.revision;
    if (v) {
      fact('变更、撤销 Revision', v.on + ' ' + (v.outcome === 'revoked' ? '撤销处罚决定 revoked' : '罚款由 ' + ZC.yuan(v.prior_fine_fen) + ' 减为 ' + ZC.yuan(v.fine_fen) + ' reduced') +
        '（' + ({ reconsideration: '复议决定', litigation: '法院判决', self_correction: '自行纠正' }[v.basis] || v.basis) + (v.ref ? ' ' + v.ref : '') + '）' + v.reason +
        (v.refund_fen ? '；应退 refund ' + ZC.yuan(v.refund_fen) : ''));
    }
    if (f.evaluation) fact('当事人评议 Evaluation', f.evaluation.on + ' ' + '★'.repeat(f.evaluation.rating) + '☆'.repeat(5 - f.evaluation.rating) + (f.evaluation.comment ? ' ' + f.evaluation.comment : ''));
  }

  // Verify the chain: OK, or the first broken event.
  $('verify-chain').addEventListener('click', async function () {
    const box = $('chain-result');
    box.hidden = false;
    box.className = 'chain-result';
    box.textContent = '校验中… verifying';
    const r = await Z.api('GET', api + '/chain');
    box.textContent = '';
    if (!r.ok) { box.className = 'chain-result bad'; box.append(ZC.refusal(r)); return; }
    const c = r.data;
    box.dataset.valid = String(c.valid);
    if (c.valid) {
      box.className = 'chain-result ok';
      box.append(Z.el('p', { class: 'verdict' }, '✓ 记录完整 ', Z.el('span', { lang: 'en', text: 'Chain intact' })),
        Z.el('p', { text: '共 ' + c.events + ' 条记录、' + c.evidence_files + ' 个证据文件，逐条哈希校验一致。' }),
        Z.el('p', { lang: 'en', class: 'en', text: c.events + ' events and ' + c.evidence_files + ' evidence files: every hash checks.' }),
        Z.el('p', { class: 'mono', text: 'head ' + c.head }));
    } else {
      const b = c.broken || {};
      box.className = 'chain-result bad';
      box.dataset.brokenSeq = String(b.seq || '');
      box.append(Z.el('p', { class: 'verdict' }, '✗ 记录被改动：第 ' + b.seq + ' 条 ', Z.el('span', { lang: 'en', text: 'Broken at event #' + b.seq })),
        Z.el('p', { text: (b.message && b.message.zh) || '' }), Z.el('p', { lang: 'en', class: 'en', text: (b.message && b.message.en) || '' }),
        Z.el('p', { class: 'mono', text: (b.reason || '') + (b.event_id ? ' · ' + b.event_id : '') }));
    }
    box.scrollIntoView({ block: 'nearest' });
  });

  render();
});
