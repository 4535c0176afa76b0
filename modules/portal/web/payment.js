// The return page of a payment: the case's payments as they stand, checked again for a while
// after a successful payment until the confirmation (the provider's webhook) has arrived.
'use strict';

P.ready(async function () {
  const box = document.getElementById('payment');
  const id = box.dataset.case;
  const status = document.getElementById('payment-status');
  const list = document.getElementById('payment-list');
  const labels = { pending: '待确认 pending', paid: '已缴纳 paid', expired: '已过期 expired', failed: '未成功 failed', refunded: '已退款 refunded' };

  async function load() {
    const r = await P.api('GET', '/api/v1/portal/cases/' + encodeURIComponent(id) + '/payments');
    if (!r.ok) { P.status(status, P.errorText(r), 'error'); return true; }
    list.textContent = '';
    let paid = false;
    for (const p of r.data.payments || []) {
      paid = paid || p.status === 'paid';
      const li = P.el('li', { class: 'payment', 'data-id': p.id, 'data-status': p.status },
        P.el('strong', { text: P.yuan(p.total_fen) }), ' ', labels[p.status] || p.status, p.simulated ? ' （模拟支付 simulated）' : '');
      if (p.receipt_document_id) {
        li.append(' ', P.el('a', { class: 'receipt-download', href: '/api/v1/portal/cases/' + encodeURIComponent(id) + '/documents/' +
          encodeURIComponent(p.receipt_document_id) + '/pdf' }, '下载票据 ', P.el('span', { class: 'en', lang: 'en', text: 'Receipt' })));
      }
      list.append(li);
    }
    P.status(status, paid ? '已确认到账。 Payment confirmed.' : (box.dataset.result === 'success' ? '等待确认… Waiting for the confirmation…' : ''), paid ? 'ok' : '');
    box.dataset.paid = String(paid);
    return paid;
  }
  let done = await load();
  for (let i = 0; !done && box.dataset.result === 'success' && i < 20; i++) {
    await new Promise(function (ok) { setTimeout(ok, 1500); });
    done = await load();
  }
});
