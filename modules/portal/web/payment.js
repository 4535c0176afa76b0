// The return page of a payment: the case's payments as they stand, checked again for a while
// after a successful payment until the confirmation (the provider's webhook) and then the fiscal
// e-receipt (issued in the background) have arrived. The page is ready once first shown.
'use strict';

P.ready(async function () {
  const box = document.getElementById('payment');
  const id = box.dataset.case;
  const status = document.getElementById('payment-status');
  const list = document.getElementById('payment-list');
  const labels = P.paymentLabels;

  // load shows the payments and reports whether there is nothing more to wait for: a paid
  // payment with its receipt, or an answer that is not going to change.
  async function load() {
    const r = await P.api('GET', '/api/v1/portal/cases/' + encodeURIComponent(id) + '/payments');
    if (!r.ok) { P.status(status, P.errorText(r), 'error'); return true; }
    list.textContent = '';
    let paid = false;
    let receipt = false;
    for (const p of r.data.payments || []) {
      paid = paid || p.status === 'paid';
      receipt = receipt || (p.status === 'paid' && !!p.receipt_document_id);
      const li = P.el('li', { class: 'payment', 'data-id': p.id, 'data-status': p.status },
        P.el('strong', { text: P.yuan(p.total_fen) }), ' ', labels[p.status] || p.status, p.simulated ? ' （模拟支付 simulated）' : '');
      if (p.receipt_document_id) {
        li.append(' ', P.el('a', { class: 'receipt-download', href: '/api/v1/portal/cases/' + encodeURIComponent(id) + '/documents/' +
          encodeURIComponent(p.receipt_document_id) + '/pdf' }, '下载票据 ', p.receipt_number || '', ' ', P.el('span', { class: 'en', lang: 'en', text: 'Receipt' })));
      }
      list.append(li);
    }
    let text = '';
    if (paid) text = receipt ? '已确认到账，财政电子票据已开具。 Payment confirmed; the receipt is issued.' : '已确认到账，正在开具财政电子票据… Payment confirmed; the receipt is on its way…';
    else if (box.dataset.result === 'success') text = '等待确认… Waiting for the confirmation…';
    P.status(status, text, paid ? 'ok' : '');
    document.getElementById('payment-result').hidden = paid; // "confirmation on its way" is past
    box.dataset.paid = String(paid);
    box.dataset.receipt = String(receipt);
    return receipt || (!paid && box.dataset.result !== 'success');
  }

  // poll checks again, every 1.5 s for at most a minute, until load has nothing more to wait for.
  async function poll() {
    for (let i = 0; i < 40; i++) {
      await new Promise(function (ok) { setTimeout(ok, 1500); });
      if (await load()) return;
    }
  }
  if (!(await load())) poll();
});
