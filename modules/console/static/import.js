// The import page: pick a kind, paste or upload CSV/JSON, submit, and read the outcome: the
// count imported, or every refused row (and nothing imported).
'use strict';

Z.ready(async function () {
  const form = document.getElementById('import-form');
  const kindSel = document.getElementById('i-kind');
  const hint = document.getElementById('i-kind-hint');
  const fileIn = document.getElementById('i-file');
  const fileHint = document.getElementById('i-file-hint');
  const text = document.getElementById('i-text');
  const link = document.getElementById('template-link');
  const result = document.getElementById('import-result');
  const formErr = form.querySelector('.form-error');

  function kindChanged() {
    const o = kindSel.selectedOptions[0];
    link.href = '/console/import/templates/' + encodeURIComponent(kindSel.value) + '.csv';
    hint.textContent = '';
    hint.append('列 Columns：', Z.el('span', { class: 'mono', text: o.dataset.columns.split(',').join(', ') }));
    if (o.dataset.hintZh) hint.append(Z.el('br'), o.dataset.hintZh, ' ', Z.el('span', { lang: 'en', text: o.dataset.hintEn }));
    if (location.hash.slice(1) !== kindSel.value) history.replaceState(null, '', '#' + kindSel.value);
  }
  const fromHash = location.hash.slice(1);
  if ([...kindSel.options].some(function (o) { return o.value === fromHash; })) kindSel.value = fromHash;
  kindSel.addEventListener('change', kindChanged);
  kindChanged();

  // A file is read into the text box: UTF-8 when it is valid UTF-8, else GB18030 (what Excel
  // writes for "CSV" on Chinese Windows); the API receives UTF-8 either way.
  fileIn.addEventListener('change', async function () {
    fileHint.textContent = '';
    const f = fileIn.files[0];
    if (!f) return;
    const buf = await f.arrayBuffer();
    let s, enc = 'UTF-8';
    try {
      s = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch (e) {
      s = new TextDecoder('gb18030').decode(buf);
      enc = 'GB18030';
    }
    text.value = s;
    fileHint.textContent = '已读取 ' + f.name + '（' + f.size + ' 字节，' + enc + ' 编码）/ read ' + f.name + ' as ' + enc;
  });

  function cell(label, ...content) { return Z.el('td', { 'data-label': label }, ...content); }

  function fail(title, r, rows) {
    const d = r.data || {};
    const box = Z.el('div', { class: 'result-fail', role: 'alert' },
      Z.el('p', {}, Z.el('strong', { class: 'nothing', text: '未导入任何数据' }), ' ',
        Z.el('strong', { lang: 'en', text: 'Nothing was imported.' })),
      Z.el('p', { text: title }));
    result.append(box);
    if (!rows.length) return;
    const withLine = rows.some(function (e) { return e.line; });
    const head = ['行 Row'].concat(withLine ? ['文件行 Line'] : [], ['列 Field', '错误 Problem', 'Problem (English)']);
    const t = Z.el('table', { class: 'table table-stack', id: 'import-errors' },
      Z.el('caption', { class: 'sr-only', text: '逐行错误 / problems by row' }),
      Z.el('thead', {}, Z.el('tr', {}, head.map(function (h) { return Z.el('th', { scope: 'col', text: h }); }))));
    const body = Z.el('tbody');
    for (const e of rows) {
      body.append(Z.el('tr', { 'data-row': e.row === undefined ? '' : e.row },
        cell('行 Row', e.row === undefined ? '—' : '第 ' + e.row + ' 行'),
        withLine ? cell('文件行 Line', e.line ? String(e.line) : '') : null,
        cell('列 Field', Z.el('span', { class: 'mono', text: e.field || '（整行 whole row）' })),
        cell('错误 Problem', (e.message && e.message.zh) || ''),
        cell('Problem (English)', Z.el('span', { lang: 'en', text: (e.message && e.message.en) || '' }))));
    }
    t.append(body);
    result.append(Z.el('div', { class: 'table-wrap' }, t));
    if (d.request_id) result.append(Z.el('p', { class: 'muted', text: 'request_id: ' + d.request_id }));
  }

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    formErr.hidden = true;
    result.textContent = '';
    const body = text.value.trim();
    if (!body) {
      formErr.textContent = '请粘贴内容或选择文件。/ Paste the data or choose a file.';
      formErr.hidden = false;
      text.focus();
      return;
    }
    const isJSON = body.startsWith('[') || body.startsWith('{');
    const kind = kindSel.value;
    const btn = document.getElementById('import-submit');
    btn.disabled = true;
    result.append(Z.el('p', { class: 'status', text: '正在导入… Importing…' }));
    const r = await Z.api('POST', '/api/v1/import/' + encodeURIComponent(kind),
      { raw: body + (isJSON ? '' : '\n'), contentType: isJSON ? 'application/json' : 'text/csv; charset=utf-8' });
    btn.disabled = false;
    result.textContent = '';
    const title = kindSel.selectedOptions[0].textContent.trim();
    const d = r.data || {};
    if (r.ok) {
      const n = typeof d.imported === 'number' ? d.imported : 0;
      result.append(Z.el('div', { class: 'result-ok', role: 'status' },
        Z.el('p', {}, '导入成功 ', Z.el('span', { lang: 'en', class: 'en', text: 'Imported' })),
        Z.el('p', {}, Z.el('span', { class: 'count', id: 'imported-count', text: String(n) }), ' 条' + title + ' / rows imported')));
    } else if (Array.isArray(d.errors) && d.errors.length) {
      fail(Z.msg(d.message) || ('有 ' + d.errors.length + ' 处错误 / ' + d.errors.length + ' problems'), r, d.errors);
    } else {
      fail(Z.errorText(r), r, (d.fields || []).map(function (f) { return { field: f.field, message: f.message }; }));
    }
    result.focus();
  });
});
