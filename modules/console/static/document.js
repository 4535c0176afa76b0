// The document page: an issued document rendered as HTML (from its data snapshot and the
// template version it pinned), its number, signature and digest, and the PDF as issued.
'use strict';

Z.ready(async function () {
  const status = document.getElementById('page-status');
  const view = document.getElementById('doc-view');
  const meta = document.getElementById('doc-meta');
  const id = decodeURIComponent(location.pathname.split('/').pop());
  const headers = { Accept: 'text/html' };
  const tenant = Z.tenantID();
  if (tenant) headers['X-Zhifa-Tenant'] = tenant;

  const r = await Z.api('GET', '/api/v1/documents/' + encodeURIComponent(id));
  if (!r.ok) { status.textContent = Z.errorText(r); return; }
  const d = r.data;
  document.getElementById('doc-title').replaceChildren(Z.bi(d.title, d.type));
  document.getElementById('back').setAttribute('href', '/console/cases/' + encodeURIComponent(d.case_id));
  document.getElementById('verify-link').setAttribute('href', '/verify/' + encodeURIComponent(d.id));
  const rows = [
    ['文号', 'Number', d.number || '（无 none）'],
    ['案件编码', 'Case', d.case_code],
    ['签发时间', 'Issued', Z.fmtTime(d.issued_at)],
    ['模板版本', 'Template', d.template_ref + ' v' + d.template_version],
    ['PDF SM3', 'Digest', d.pdf_sm3],
    ['签名公钥指纹', 'Key', d.key_fingerprint],
    ['大小', 'Size', Math.round(d.pdf_size / 1024) + ' KiB']
  ];
  for (const [zh, en, v] of rows) {
    meta.append(Z.el('dt', {}, Z.bi(zh, en)), Z.el('dd', { class: zh === 'PDF SM3' || zh === '签名公钥指纹' ? 'mono' : '', text: v }));
  }

  const res = await fetch('/api/v1/documents/' + encodeURIComponent(id) + '/html', { headers, credentials: 'same-origin', cache: 'no-store' });
  if (res.ok) {
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const art = doc.querySelector('article.zdoc');
    if (art) view.replaceChildren(document.importNode(art, true));
  } else {
    status.textContent = '无法显示文书 / cannot show the document (HTTP ' + res.status + ')';
  }

  document.getElementById('download').addEventListener('click', async function () {
    const h = { Accept: 'application/pdf' };
    if (tenant) h['X-Zhifa-Tenant'] = tenant;
    const p = await fetch('/api/v1/documents/' + encodeURIComponent(id) + '/pdf', { headers: h, credentials: 'same-origin', cache: 'no-store' });
    if (!p.ok) { status.textContent = '下载失败 / download failed (HTTP ' + p.status + ')'; return; }
    const url = URL.createObjectURL(await p.blob());
    const a = Z.el('a', { href: url, download: (d.number || d.id) + '.pdf' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  });
});
