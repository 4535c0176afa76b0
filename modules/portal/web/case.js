// A case as its party sees it: status, decision, deadlines, documents, history; the consent to
// electronic delivery; paying the fine and the receipts; the evaluation; the application for
// reconsideration and where it stands.
'use strict';

P.ready(async function () {
  const root = document.getElementById('case');
  const id = root.dataset.case;
  const base = '/api/v1/portal/cases/' + encodeURIComponent(id);
  const $ = function (x) { return document.getElementById(x); };
  const pageStatus = $('case-status');
  const checkoutKey = P.key();

  const r = await P.api('GET', base);
  if (!r.ok) { P.status(pageStatus, P.errorText(r), 'error'); return; }
  P.status(pageStatus, '');
  const d = r.data;
  const c = d.case;
  root.dataset.state = c.state;

  $('case-title').textContent = c.title || c.code;
  $('case-code').textContent = c.code;
  $('case-state').textContent = P.msg(c.state_title) || c.state;
  $('case-body').textContent = c.body_name || '';
  $('case-party').textContent = c.party_name || '';
  showDecision(c.decision);
  showDeadlines(c.deadlines || []);
  showDocuments(c.documents || []);
  showHistory(c.history || []);
  showConsent(d.consent);
  showEvaluation(d.evaluation);
  await Promise.all([d.payments_on ? showPayment(c) : null, showReconsideration(c, d.reconsideration)]);

  function row(dl, zh, en, value) {
    if (value === undefined || value === null || value === '') return;
    dl.append(P.el('dt', {}, P.bi(zh, en)), P.el('dd', {}, value));
  }

  function showDecision(dec) {
    const dl = $('decision');
    if (!dec) return;
    row(dl, '决定书文号', 'Decision', dec.number);
    row(dl, '决定日期', 'Decided on', dec.on);
    row(dl, '处罚种类', 'Penalties', ((dec.type_titles && dec.type_titles.length ? dec.type_titles : dec.types) || []).join('、'));
    if (dec.fine_fen) row(dl, '罚款', 'Fine', P.yuan(dec.fine_fen));
    if (dec.reduced_to_fen !== undefined && dec.reduced_to_fen !== null) row(dl, '变更后罚款', 'Fine as changed', P.yuan(dec.reduced_to_fen));
    if (dec.revoked) row(dl, '已撤销', 'Revoked', '是 yes');
    row(dl, '送达日期', 'Served on', dec.served_on);
    row(dl, '缴款期限', 'Pay by', dec.payment_due);
    dl.hidden = false;
  }

  function showDeadlines(list) {
    const ul = $('deadlines');
    for (const dl of list) {
      ul.append(P.el('li', { class: 'deadline' + (dl.passed ? ' passed' : ''), 'data-key': dl.key },
        P.el('strong', { text: P.msg(dl.title) }), ' ', P.el('span', { class: 'mono', text: dl.due }),
        dl.passed ? P.el('span', { class: 'badge', text: '已过 passed' }) : '',
        P.el('p', { class: 'meta', text: [dl.article, dl.how].filter(Boolean).join(' · ') })));
    }
    if (!list.length) ul.append(P.el('li', { class: 'muted', text: '暂无进行中的期限 / no running deadline' }));
  }

  function showDocuments(list) {
    const ul = $('documents');
    for (const doc of list) {
      ul.append(P.el('li', { class: 'document', 'data-id': doc.id, 'data-kind': doc.kind },
        P.el('strong', { text: doc.title }), doc.number ? ' ' + doc.number : '',
        P.el('p', { class: 'meta', text: '制作 ' + doc.issued_on + (doc.served_on ? ' · 送达 ' + doc.served_on : ' · 未送达 not served') }),
        P.el('p', { class: 'actions' },
          P.el('a', { class: 'button-secondary doc-download', 'data-id': doc.id, href: base + '/documents/' + encodeURIComponent(doc.id) + '/pdf' },
            '下载 PDF ', P.el('span', { class: 'en', lang: 'en', text: 'Download' })),
          P.el('a', { href: '/verify/' + encodeURIComponent(doc.id) }, '核验 ', P.el('span', { class: 'en', lang: 'en', text: 'Verify' })))));
    }
    if (!list.length) ul.append(P.el('li', { class: 'muted', text: '暂无文书 / no documents yet' }));
  }

  function showHistory(list) {
    const ol = $('history');
    for (const h of list) ol.append(P.el('li', {}, P.el('span', { class: 'mono', text: h.on }), ' ', P.msg(h.title)));
  }

  function showConsent(con) {
    const cur = $('consent-current');
    const form = $('consent-form');
    if (con) {
      const ways = (con.channels || []).map(function (ch) {
        return { inbox: '门户收件箱 inbox', email: '电子邮箱 ' + (con.email || ''), sms: '短信 ' + (con.mobile || '') }[ch] || ch;
      });
      cur.textContent = '已签署（' + con.signed_on + '）：' + ways.join('；') + ' / signed';
      cur.dataset.signed = 'true';
      form.hidden = true;
      return;
    }
    cur.textContent = '尚未签署电子送达确认书。 You have not consented to electronic delivery.';
    cur.dataset.signed = 'false';
    form.hidden = false;
    const st = $('consent-status');
    form.addEventListener('submit', async function (ev) {
      ev.preventDefault();
      const channels = Array.from(form.querySelectorAll('input[name="channels"]:checked')).map(function (i) { return i.value; });
      const body = { channels: channels };
      if ($('consent-email').value.trim()) body.email = $('consent-email').value.trim();
      if ($('consent-mobile').value.trim()) body.mobile = $('consent-mobile').value.trim();
      $('consent-submit').disabled = true;
      const res = await P.api('POST', base + '/consent', { json: body });
      $('consent-submit').disabled = false;
      if (!res.ok) { P.status(st, P.errorText(res), 'error'); return; }
      P.status(st, '已签署。 Signed.', 'ok');
      showConsent(res.data);
    });
  }

  async function showPayment(c) {
    $('pay').hidden = false;
    const st = $('pay-status');
    if (c.payable) {
      const q = await P.api('GET', base + '/quote');
      if (q.ok) {
        const v = q.data;
        $('quote-principal').textContent = P.yuan(v.principal_fen) + (v.instalment ? '（第' + v.instalment + '期 instalment）' : '');
        $('quote-surcharge').textContent = P.yuan(v.surcharge_fen) + (v.capped ? '（已达上限 capped）' : '');
        $('quote-late-days').textContent = String(v.late_days);
        $('quote-paused-days').textContent = String(v.paused_days);
        $('quote-total').textContent = P.yuan(v.total_fen);
        $('quote-basis').textContent = v.basis + (v.basis_en ? ' / ' + v.basis_en : '');
        $('quote').hidden = false;
        const btn = $('pay-submit');
        btn.hidden = !!v.paid;
        btn.addEventListener('click', async function () {
          btn.disabled = true;
          P.status(st, '正在前往支付页面… Going to the payment page…');
          const res = await P.api('POST', base + '/checkout', { headers: { 'Idempotency-Key': checkoutKey } });
          if (res.ok && res.data.url) { location.assign(res.data.url); return; }
          btn.disabled = false;
          P.status(st, P.errorText(res), 'error');
        });
      } else {
        P.status(st, P.errorText(q), 'error');
      }
    }
    const ps = await P.api('GET', base + '/payments');
    const ul = $('payments');
    if (!ps.ok) return;
    if (!c.payable) {
      const paid = (ps.data.payments || []).some(function (p) { return p.status === 'paid'; });
      P.status(st, paid ? '罚款已缴清。 The fine is paid.' : '本案当前没有应缴的罚款。 Nothing is to be paid on this case now.', paid ? 'ok' : '');
    }
    for (const p of ps.data.payments || []) {
      const li = P.el('li', { class: 'payment', 'data-id': p.id, 'data-status': p.status },
        P.el('strong', { text: P.yuan(p.total_fen) }), ' ', P.paymentLabels[p.status] || p.status, p.paid_at ? ' · ' + P.fmtTime(p.paid_at) : '', p.simulated ? ' （模拟 simulated）' : '');
      if (p.receipt_document_id) {
        li.append(' ', P.el('a', { class: 'receipt-download', href: base + '/documents/' + encodeURIComponent(p.receipt_document_id) + '/pdf' },
          '下载票据 ', p.receipt_number || '', P.el('span', { class: 'en', lang: 'en', text: ' Receipt' })));
      }
      ul.append(li);
    }
    if (!ul.children.length) ul.append(P.el('li', { class: 'muted', text: '暂无缴款记录 / no payments yet' }));
  }

  function showEvaluation(ev) {
    const done = $('evaluation-done');
    const form = $('evaluate-form');
    if (ev) {
      done.textContent = '您已于 ' + ev.evaluated_on + ' 评议：' + ev.rating + ' 分' + (ev.comment ? '。' + ev.comment : '') + ' / evaluated';
      done.hidden = false;
      form.hidden = true;
      return;
    }
    form.hidden = false;
    const st = $('evaluate-status');
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      const picked = form.querySelector('input[name="rating"]:checked');
      const body = { rating: picked ? Number(picked.value) : 0, comment: $('evaluate-comment').value };
      $('evaluate-submit').disabled = true;
      const res = await P.api('POST', base + '/evaluation', { json: body });
      $('evaluate-submit').disabled = false;
      if (!res.ok) { P.status(st, P.errorText(res), 'error'); return; }
      showEvaluation(res.data);
    });
  }

  async function showReconsideration(c, app) {
    const open = $('reconsider-open');
    if (app) { track(app); return; }
    const info = c.reconsideration || {};
    if (!c.decision || !info.open) {
      open.textContent = c.decision ? '申请行政复议的期限已过（' + info.article + '：60日）。 The period to apply has passed (60 days).'
        : '本案尚无处罚决定。 The case has no decision yet.';
      open.dataset.open = 'false';
      return;
    }
    open.textContent = '可在 ' + info.due + ' 前向 ' + info.authority + ' 申请行政复议（' + info.article + '）。 You may apply until ' + info.due + '.';
    open.dataset.open = 'true';
    const dr = await P.api('GET', base + '/reconsideration/draft');
    if (!dr.ok) { P.status($('reconsider-status'), P.errorText(dr), 'error'); return; }
    const v = dr.data;
    const form = $('reconsider-form');
    $('rc-applicant').value = v.applicant;
    $('rc-address').value = v.applicant_address || '';
    $('rc-phone').value = v.applicant_phone || '';
    $('rc-respondent').value = v.respondent;
    $('rc-decision-number').value = v.decision_number;
    $('rc-request').value = v.request;
    $('rc-reasons').value = v.facts_reasons;
    $('rc-authority').value = v.authority;
    const kind = $('rc-request-kind');
    for (const o of v.request_options || []) kind.append(P.el('option', { value: o.kind, text: P.msg(o.title) }));
    kind.addEventListener('change', function () {
      const o = (v.request_options || []).find(function (x) { return x.kind === kind.value; });
      if (o) $('rc-request').value = o.text;
    });
    form.hidden = false;
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      const body = {
        applicant: $('rc-applicant').value, applicant_address: $('rc-address').value, applicant_phone: $('rc-phone').value,
        respondent: $('rc-respondent').value, decision_number: $('rc-decision-number').value, request: $('rc-request').value,
        facts_reasons: $('rc-reasons').value, authority: $('rc-authority').value
      };
      $('reconsider-submit').disabled = true;
      const res = await P.api('POST', base + '/reconsideration', { json: body });
      $('reconsider-submit').disabled = false;
      if (!res.ok) { P.status($('reconsider-status'), P.errorText(res), 'error'); return; }
      form.hidden = true;
      open.textContent = '';
      track(res.data);
    });
  }

  // track shows where an application stands: submitted, sent, decided.
  function track(app) {
    const outcomes = { upheld: '维持 upheld', changed: '变更 changed', revoked: '撤销 revoked', withdrawn: '撤回 withdrawn' };
    $('reconsider-track').hidden = false;
    $('reconsider-track').dataset.status = app.status;
    $('track-submitted').textContent = '已提交 submitted：' + P.fmtTime(app.submitted_at) + '（' + app.authority + '）';
    const sent = $('track-sent');
    if (app.status === 'sent') sent.textContent = '已发送 sent：' + P.fmtTime(app.sent_at) + '，' + app.mailbox + '，服务器回复 reply：' + app.reply;
    else if (app.status === 'failed') sent.textContent = '发送失败 failed：' + app.last_error;
    else if (app.status === 'queued') sent.textContent = '发送中 sending…';
    else sent.textContent = '尚未发送 not sent';
    const dec = app.decision;
    $('track-decided').textContent = dec && dec.outcome ? '已决定 decided：' + (outcomes[dec.outcome] || dec.outcome) + (dec.to ? '（' + dec.to + '）' : '')
      : (dec ? '复议审理中，期间不计算加处罚款（' + app.pause_article + '） pending: no late surcharge accrues meanwhile' : '尚未决定 not decided');
    const warn = $('reconsider-warning');
    warn.hidden = !app.warning;
    if (app.warning) warn.textContent = P.msg(app.warning);
    const pdf = $('reconsider-pdf');
    pdf.href = base + '/reconsideration/pdf';
    pdf.hidden = false;
  }
});
