// The inbox (电子送达收件箱): the documents served on the signed-in party, newest first, each
// with its number, case code and time of delivery; the PDF as served (its SHA-256 checked against
// the one recorded at delivery) and the public verification page.
'use strict';

P.ready(async function () {
  const status = document.getElementById('page-status');
  const list = document.getElementById('inbox-list');
  const r = await P.api('GET', '/api/v1/portal/inbox?limit=100');
  if (!r.ok) { status.textContent = P.errorText(r); return; }
  const page = r.data;
  const showCount = function () {
    document.getElementById('inbox-count').textContent = '共 ' + page.total + ' 份，未读 ' + page.unread + ' / ' + page.total + ' in all, ' + page.unread + ' unread';
  };
  showCount();
  list.textContent = '';
  for (const it of page.items || []) {
    const check = P.el('span', { class: 'verify-status', 'aria-live': 'polite' });
    const dl = P.el('button', { type: 'button', class: 'button', 'data-id': it.id }, '下载 PDF ', P.el('span', { class: 'en', lang: 'en', text: 'Download' }));
    dl.addEventListener('click', function () { download(it, check); });
    list.append(P.el('li', { class: 'inbox-item' + (it.read_at ? '' : ' unread'), 'data-id': it.id, 'data-document': it.document_id, 'data-kind': it.document_kind },
      P.el('p', { class: 'doc-title' }, P.el('strong', { text: it.title }), it.number ? ' ' + it.number : '', it.read_at ? '' : P.el('span', { class: 'badge', text: '未读 unread' })),
      P.el('p', { class: 'meta', text: '案件编码 ' + it.case_code + ' · 送达时间 ' + P.fmtTime(it.delivered_at) }),
      P.el('p', { class: 'meta mono', text: 'SHA-256 ' + it.sha256 }),
      P.el('p', { class: 'actions' }, dl, ' ',
        P.el('a', { class: 'button-secondary', href: '/verify/' + encodeURIComponent(it.document_id) }, '核验 ', P.el('span', { class: 'en', lang: 'en', text: 'Verify' })), ' ', check)));
  }
  if (!(page.items || []).length) list.append(P.el('li', { class: 'muted' }, '暂无送达的文书。', P.el('span', { lang: 'en', text: ' Nothing has been served on you.' })));

  // markRead shows an item read once its PDF was fetched (the server recorded the reading).
  function markRead(it) {
    if (it.read_at) return;
    it.read_at = new Date().toISOString();
    page.unread = Math.max(0, page.unread - 1);
    const li = list.querySelector('li[data-id="' + CSS.escape(it.id) + '"]');
    if (li) {
      li.classList.remove('unread');
      const badge = li.querySelector('.doc-title .badge');
      if (badge) badge.remove();
    }
    showCount();
  }

  // download fetches the PDF as served, checks its SHA-256 against the one recorded at delivery
  // (where the browser can hash), and saves it.
  async function download(it, check) {
    check.textContent = '下载中… downloading';
    let res;
    try {
      res = await fetch('/api/v1/portal/inbox/' + encodeURIComponent(it.id) + '/pdf', { credentials: 'same-origin', cache: 'no-store' });
    } catch (err) {
      check.textContent = '下载失败 download failed';
      return;
    }
    if (!res.ok) { check.textContent = '下载失败 HTTP ' + res.status; return; }
    const blob = await res.blob();
    if (window.crypto && crypto.subtle) {
      const sum = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      const hex = Array.from(new Uint8Array(sum), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
      const ok = hex === it.sha256;
      check.textContent = ok ? '✓ 与送达时一致 as served' : '✗ 与送达时不符 differs from what was served';
      check.dataset.match = String(ok);
    } else {
      check.textContent = '';
    }
    markRead(it);
    const url = URL.createObjectURL(blob);
    const a = P.el('a', { href: url, download: it.file_name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
});
