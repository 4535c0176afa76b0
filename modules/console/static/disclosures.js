// The disclosures page: the records of the caller's bodies, due soonest first, each with its
// state; a record opens its redaction review (the public text beside the original), and the body
// head approves a pending one (masking other persons' names) or withdraws a public one with the
// day of the revocation and a public explanation (行政处罚法 Art. 48).
'use strict';

Z.ready(async function () {
  const tbody = document.querySelector('#records-table tbody');
  const status = document.getElementById('records-status');
  const review = document.getElementById('review');
  const note = document.getElementById('review-note');
  const error = document.getElementById('review-error');
  const approveForm = document.getElementById('approve-form');
  const withdrawForm = document.getElementById('withdraw-form');
  const prev = document.getElementById('prev-page');
  const next = document.getElementById('next-page');
  const PAGE = 20;
  const states = {
    pending: '待批准 pending', published: '公示中 published', updated: '更新后公示 updated', withdrawn: '已撤回 withdrawn',
    ended_early: '提前结束 ended early', expired: '期满 expired', withheld: '不予公示 withheld'
  };
  let page = 1;
  let current = null;

  function cell(label, ...content) { return Z.el('td', { 'data-label': label }, ...content); }
  // late: published after its due day, or still not public past it
  function late(r) {
    if (!r.publish_by) return false;
    if (r.published_on) return r.published_on > r.publish_by;
    return r.state === 'pending' && r.publish_by < new Date().toISOString().slice(0, 10);
  }

  async function load() {
    const state = document.getElementById('f-state').value;
    const r = await Z.api('GET', '/api/v1/disclosures?page=' + page + (state ? '&state=' + encodeURIComponent(state) : ''));
    tbody.textContent = '';
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    const items = r.data.items || [];
    status.textContent = '共 ' + r.data.total + ' 条 / ' + r.data.total + ' records';
    for (const rec of items) {
      const open = Z.el('button', { type: 'button', class: 'button-secondary', text: '核对 review', onclick: function () { show(rec.id); } });
      tbody.append(Z.el('tr', { 'data-id': rec.id, 'data-state': rec.state, class: late(rec) ? 'late' : '' },
        cell('决定书文号 Decision', Z.el('span', { class: 'mono', text: rec.decision_number })),
        cell('当事人 Party', rec.party_name),
        cell('状态 State', Z.el('span', { class: 'badge', text: states[rec.state] || rec.state }), rec.withheld_reason ? ' ' + rec.withheld_reason : ''),
        cell('应公示日期 Due', Z.el('span', { class: late(rec) ? 'overdue' : '', text: rec.publish_by + (late(rec) ? '（逾期 late）' : '') })),
        cell('公示期 Published', rec.published_on ? rec.published_on + ' 至 ' + rec.ends_on : '—'),
        cell('操作 Actions', open)));
    }
    if (!items.length) tbody.append(Z.el('tr', {}, Z.el('td', { colspan: '6', class: 'muted', text: '没有公示记录 / no records' })));
    prev.disabled = page <= 1;
    next.disabled = page * PAGE >= r.data.total;
  }

  async function show(id) {
    note.hidden = error.hidden = true;
    const r = await Z.api('GET', '/api/v1/disclosures/' + encodeURIComponent(id));
    if (!r.ok) { status.textContent = Z.errorText(r); return; }
    current = r.data.record;
    const head = document.getElementById('review-head');
    head.textContent = '';
    for (const [k, v] of [['决定书文号 Decision', current.decision_number], ['当事人 Party', current.party_name],
      ['状态 State', states[current.state] || current.state], ['应公示日期 Due', current.publish_by]]) {
      head.append(Z.el('dt', { text: k }), Z.el('dd', { text: v || '—' }));
    }
    document.getElementById('review-public').textContent = current.facts;
    document.getElementById('review-original').textContent = r.data.original_facts;
    const history = document.getElementById('review-history');
    history.textContent = '';
    for (const e of r.data.history || []) history.append(Z.el('li', { text: (e.at || '').slice(0, 16).replace('T', ' ') + ' ' + (states[e.to] || e.to) + (e.reason ? '：' + e.reason : '') }));
    const head_ = Z.can('cases.approve', current.body_id);
    approveForm.hidden = !(head_ && current.state === 'pending');
    withdrawForm.hidden = !(head_ && (current.state === 'published' || current.state === 'updated' || current.state === 'pending'));
    document.getElementById('mask-names').value = (r.data.masked_names || []).join('、');
    review.hidden = false;
    review.scrollIntoView({ block: 'start' });
  }

  async function act(path, json, done) {
    note.hidden = error.hidden = true;
    const r = await Z.api('POST', path, { json });
    if (!r.ok) { error.textContent = Z.errorText(r); error.hidden = false; return; }
    await load();
    await show(current.id);
    note.textContent = done;
    note.hidden = false;
  }

  approveForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    const names = document.getElementById('mask-names').value.split(/[、,，\s]+/).map(function (s) { return s.trim(); }).filter(Boolean);
    act('/api/v1/disclosures/' + current.id + '/approve', { mask_names: names }, '已批准公示 / approved');
  });
  withdrawForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    act('/api/v1/disclosures/' + current.id + '/withdraw', { revoked_on: document.getElementById('revoked-on').value,
      explanation: document.getElementById('withdraw-why').value }, '已撤回公示 / withdrawn');
  });
  document.getElementById('filter-form').addEventListener('submit', function (ev) { ev.preventDefault(); page = 1; load(); });
  prev.addEventListener('click', function () { page--; load(); });
  next.addEventListener('click', function () { page++; load(); });
  await load();
});
